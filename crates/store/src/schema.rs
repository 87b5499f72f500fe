//! The database schema as numbered migrations, applied in order and recorded
//! in SQLite's `user_version`, so an old database is brought up to date on open.

/// Migration `n` (1-based) brings the schema from version `n - 1` to `n`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the data model of DESIGN.md.
    r#"
    CREATE TABLE collections (
        id    INTEGER PRIMARY KEY,
        name  TEXT NOT NULL UNIQUE,
        kind  TEXT NOT NULL,           -- notes | folder | channel | file
        url   TEXT
    );
    -- Every imported file, with the hash of its bytes: what makes re-import a no-op.
    CREATE TABLE files (
        id            INTEGER PRIMARY KEY,
        path          TEXT NOT NULL UNIQUE,
        hash          TEXT NOT NULL,
        format        TEXT NOT NULL,
        collection_id INTEGER NOT NULL REFERENCES collections(id),
        imported_at   TEXT NOT NULL
    );
    -- Document-level facts (a notes document's text and slot count) for write-back.
    CREATE TABLE documents (
        file_id       INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
        collection_id INTEGER NOT NULL REFERENCES collections(id),
        format        TEXT NOT NULL,
        slots         INTEGER NOT NULL,
        raw           TEXT NOT NULL
    );
    CREATE TABLE episodes (
        id            INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections(id),
        number        INTEGER NOT NULL,
        video_id      TEXT,
        title         TEXT,
        guests        TEXT NOT NULL DEFAULT '[]',   -- JSON array of names
        published     TEXT,                          -- ISO date
        url           TEXT,
        duration_ms   INTEGER,
        description   TEXT,
        tags          TEXT NOT NULL DEFAULT '[]',   -- JSON array
        file_id       INTEGER REFERENCES files(id) ON DELETE SET NULL,
        UNIQUE (collection_id, number)
    );
    CREATE INDEX episodes_video_id ON episodes(video_id);
    CREATE TABLE chapters (
        episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        title      TEXT NOT NULL,
        start_ms   INTEGER,
        text_pos   INTEGER,
        file_id    INTEGER REFERENCES files(id) ON DELETE CASCADE,
        PRIMARY KEY (episode_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE transcripts (
        id         INTEGER PRIMARY KEY,
        episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        source     TEXT NOT NULL,
        language   TEXT,
        words      INTEGER NOT NULL,
        segments   INTEGER NOT NULL,
        file_id    INTEGER REFERENCES files(id) ON DELETE CASCADE,
        UNIQUE (episode_id, source)
    );
    -- One row per cue. `events` and `words` are JSON, present only when non-empty.
    CREATE TABLE segments (
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx           INTEGER NOT NULL,
        start_ms      INTEGER,
        end_ms        INTEGER,
        text          TEXT NOT NULL,
        events        TEXT,
        words         TEXT,
        PRIMARY KEY (transcript_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE summaries (
        id          INTEGER PRIMARY KEY,
        episode_id  INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,     -- imported | extractive | llm
        text        TEXT NOT NULL,
        method      TEXT,
        model       TEXT,
        params      TEXT,              -- JSON
        prompt_hash TEXT,
        usage       TEXT,              -- JSON token usage
        file_id     INTEGER REFERENCES files(id) ON DELETE CASCADE,
        created     TEXT NOT NULL
    );
    CREATE INDEX summaries_episode ON summaries(episode_id);
    CREATE INDEX transcripts_file ON transcripts(file_id);
    CREATE INDEX summaries_file ON summaries(file_id);
    CREATE INDEX chapters_file ON chapters(file_id);
    CREATE INDEX episodes_file ON episodes(file_id);
    "#,
    // 2: fetching with yt-dlp: comments, and the state of fetch runs so an
    // interrupted run resumes where it stopped.
    r#"
    CREATE TABLE comments (
        episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        author     TEXT,
        text       TEXT NOT NULL,
        likes      INTEGER,
        time       TEXT,                 -- ISO date-time, when known
        file_id    INTEGER REFERENCES files(id) ON DELETE CASCADE,
        PRIMARY KEY (episode_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE fetch_runs (
        id       INTEGER PRIMARY KEY,
        url      TEXT NOT NULL,
        options  TEXT NOT NULL,          -- JSON of the fetch options
        started  TEXT NOT NULL,
        finished TEXT
    );
    CREATE TABLE fetch_items (
        run_id     INTEGER NOT NULL REFERENCES fetch_runs(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,     -- position in the listing, 1-based
        video_id   TEXT,
        url        TEXT NOT NULL,        -- what yt-dlp is given for this item
        playlist_item INTEGER,           -- -I index into the run's URL, when the item has no URL of its own
        title      TEXT,
        number     INTEGER,              -- episode number the item gets
        status     TEXT NOT NULL,        -- pending | done | skipped | no-captions | failed
        reason     TEXT,
        attempts   INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, idx)
    ) WITHOUT ROWID;
    "#,
    // 3: answers of language-model servers, keyed by a hash of the whole
    // request (model, prompt, text, parameters), so an identical request
    // (a re-run, or a run resumed after a failure) is answered locally.
    r#"
    CREATE TABLE llm_cache (
        key      TEXT PRIMARY KEY,
        model    TEXT NOT NULL,
        response TEXT NOT NULL,
        usage    TEXT,                   -- JSON token usage of the original answer
        created  TEXT NOT NULL
    );
    "#,
    // 4: passage embeddings for semantic search. A vector is keyed by the
    // model and the hash of the text it embeds, so unchanged text is never
    // embedded twice; each embedded transcript lists its passages (the
    // search index's units) and the fingerprint it had when they were cut.
    r#"
    CREATE TABLE embeddings (
        model  TEXT NOT NULL,
        hash   TEXT NOT NULL,            -- blake3 of the passage text, hex
        vector BLOB NOT NULL,            -- f32 little-endian
        PRIMARY KEY (model, hash)
    ) WITHOUT ROWID;
    CREATE TABLE embedded_transcripts (
        model         TEXT NOT NULL,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        fingerprint   TEXT NOT NULL,
        PRIMARY KEY (model, transcript_id)
    ) WITHOUT ROWID;
    CREATE TABLE embedded_passages (
        model         TEXT NOT NULL,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        ordinal       INTEGER NOT NULL,
        hash          TEXT NOT NULL,
        start_ms      INTEGER,
        PRIMARY KEY (model, transcript_id, ordinal)
    ) WITHOUT ROWID;
    CREATE INDEX embedded_passages_transcript ON embedded_passages(transcript_id);
    "#,
    // 5: an episode is one video. Collections hold episodes through
    // memberships, each with the episode's number there; the episode's own
    // collection and number are its home membership (the one it was first
    // stored through), the name it is shown under. Chapters are kept per
    // origin (the video's own, the description's outline, positions in a
    // pasted transcript) so that a better source never erases another.
    r#"
    CREATE TABLE memberships (
        episode_id    INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        collection_id INTEGER NOT NULL REFERENCES collections(id),
        number        INTEGER NOT NULL,
        file_id       INTEGER REFERENCES files(id) ON DELETE SET NULL,
        PRIMARY KEY (episode_id, collection_id),
        UNIQUE (collection_id, number)
    ) WITHOUT ROWID;
    INSERT INTO memberships (episode_id, collection_id, number, file_id)
        SELECT id, collection_id, number, file_id FROM episodes;
    CREATE INDEX memberships_file ON memberships(file_id);
    CREATE TABLE chapters_v5 (
        episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        origin     TEXT NOT NULL,          -- video | description | text
        idx        INTEGER NOT NULL,
        title      TEXT NOT NULL,
        start_ms   INTEGER,
        text_pos   INTEGER,
        file_id    INTEGER REFERENCES files(id) ON DELETE CASCADE,
        PRIMARY KEY (episode_id, origin, idx)
    ) WITHOUT ROWID;
    INSERT INTO chapters_v5 (episode_id, origin, idx, title, start_ms, text_pos, file_id)
        SELECT episode_id, CASE WHEN text_pos IS NOT NULL THEN 'text' ELSE 'video' END,
               idx, title, start_ms, text_pos, file_id
        FROM chapters;
    DROP TABLE chapters;
    ALTER TABLE chapters_v5 RENAME TO chapters;
    CREATE INDEX chapters_file ON chapters(file_id);
    -- The episode's own collection and number only point at its home
    -- membership: uniqueness is the memberships' job (runs with foreign keys
    -- off, so dropping the old table cascades nothing).
    CREATE TABLE episodes_v5 (
        id            INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections(id),
        number        INTEGER NOT NULL,
        video_id      TEXT,
        title         TEXT,
        guests        TEXT NOT NULL DEFAULT '[]',
        published     TEXT,
        url           TEXT,
        duration_ms   INTEGER,
        description   TEXT,
        tags          TEXT NOT NULL DEFAULT '[]',
        file_id       INTEGER REFERENCES files(id) ON DELETE SET NULL
    );
    INSERT INTO episodes_v5 (id, collection_id, number, video_id, title, guests, published, url,
                             duration_ms, description, tags, file_id)
        SELECT id, collection_id, number, video_id, title, guests, published, url,
               duration_ms, description, tags, file_id FROM episodes;
    DROP TABLE episodes;
    ALTER TABLE episodes_v5 RENAME TO episodes;
    CREATE INDEX episodes_file ON episodes(file_id);
    CREATE INDEX episodes_url ON episodes(url);
    "#,
    // 6: a summary knows what it summarizes: the episode, or its comments.
    // Imported summaries are told apart by what they say (`after`).
    r#"
    ALTER TABLE summaries ADD COLUMN subject TEXT NOT NULL DEFAULT 'episode'
        CHECK (subject IN ('episode', 'comments'));
    UPDATE summaries SET subject = 'comments'
        WHERE json_valid(params) AND json_extract(params, '$.subject') = 'comments';
    "#,
    // 7: comments in full, as yt-dlp writes them: the site's id, the
    // comment a reply answers (NULL: it starts a thread), and the uploader's
    // marks.
    r#"
    ALTER TABLE comments ADD COLUMN comment_id TEXT;
    ALTER TABLE comments ADD COLUMN parent TEXT;
    ALTER TABLE comments ADD COLUMN by_uploader INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN favorited INTEGER NOT NULL DEFAULT 0;
    "#,
    // 8: how a transcript was made, where its source says (a recognizer's
    // name, version, model and settings), as a JSON object. Captions and
    // documents say nothing: NULL, as every transcript stored before.
    r#"
    ALTER TABLE transcripts ADD COLUMN provenance TEXT
        CHECK (provenance IS NULL OR json_valid(provenance));
    "#,
    // 9: fetch workers. A video being fetched is `working`, held by one
    // worker (its name) until `lease_until` (milliseconds since 1970 on the
    // database's clock), which the worker keeps pushing on while it works:
    // a worker that dies loses its videos to the others once that passes.
    // `fetch_workers` is what each worker last said it was doing, for
    // `fetch --status`.
    r#"
    ALTER TABLE fetch_items ADD COLUMN worker TEXT;
    ALTER TABLE fetch_items ADD COLUMN lease_until INTEGER;
    CREATE INDEX fetch_items_status ON fetch_items(run_id, status);
    CREATE TABLE fetch_workers (
        name      TEXT PRIMARY KEY,       -- host:pid, or --worker-name
        host      TEXT NOT NULL,
        address   TEXT,                   -- the source address yt-dlp uses, when set
        run_id    INTEGER REFERENCES fetch_runs(id) ON DELETE CASCADE,
        state     TEXT NOT NULL,          -- fetching | waiting | paused | done | stopped
        idx       INTEGER,                -- the run's item it is on
        detail    TEXT,                   -- the video's title, or why it paused
        paused_until INTEGER,             -- end of a pause, ms
        fetched   INTEGER NOT NULL DEFAULT 0,
        lease_ms  INTEGER NOT NULL,
        started   INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    );
    "#,
];

/// Work a migration needs beyond its SQL, run in the same transaction right
/// after it: version 5 folds the copies of one video that older databases
/// kept per collection into one episode, then makes that a constraint;
/// version 6 tells imported summaries of comments from those of episodes.
pub(crate) fn after(version: usize, conn: &rusqlite::Connection) -> crate::Result<()> {
    if version == 6 {
        let imported: Vec<(i64, String)> = conn
            .prepare("SELECT id, text FROM summaries WHERE kind = 'imported'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = conn.prepare("UPDATE summaries SET subject = ?2 WHERE id = ?1")?;
        for (id, text) in imported {
            st.execute(rusqlite::params![
                id,
                podcorpus_core::Subject::of_summary(&text).as_str()
            ])?;
        }
    }
    if version == 5 {
        crate::merge::merge_duplicate_videos(conn)?;
        conn.execute_batch(
            "CREATE UNIQUE INDEX episodes_one_per_video ON episodes(video_id) WHERE video_id IS NOT NULL;",
        )?;
    }
    Ok(())
}
