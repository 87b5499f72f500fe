//! Writing what one file holds into the store, inside a transaction the caller
//! owns: the file's earlier content is replaced, episodes are merged by key.

use crate::{Result, Store};
use podcorpus_core::{Chapter, Collect, Episode, Segment};
use rusqlite::{params, Connection, OptionalExtension};
use std::sync::LazyLock;

/// Where a file's episodes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionSpec {
    /// The collection name (`lexicap`, `lex-fridman-notes`, a channel).
    pub name: String,
    /// `notes`, `folder`, `channel` or `file`.
    pub kind: String,
    /// The collection's address, when known (a channel URL).
    pub url: Option<String>,
}

/// One imported file (or yt-dlp bundle) as the store records it.
#[derive(Debug, Clone)]
pub struct FileRecord {
    /// The canonical path, the file's identity.
    pub path: String,
    /// Content hash of the bytes.
    pub hash: String,
    /// The format that read it.
    pub format: String,
    /// The word count of each transcript of the file, in the order of its
    /// episodes and their transcripts, when the caller counted them (the
    /// import counts on its parser threads, off the writer's); empty to
    /// have them counted here.
    pub word_counts: Vec<u64>,
}

/// What writing a file added.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    /// Ids of the episodes created or updated.
    pub episodes: Vec<i64>,
    /// Transcripts stored.
    pub transcripts: u64,
    /// Segments stored.
    pub segments: u64,
    /// Summaries stored.
    pub summaries: u64,
    /// Episodes that were already stored (by video id, number or title).
    pub matched: u64,
    /// Episodes created.
    pub created: u64,
    /// Episodes refused, with where and why.
    pub refused: Vec<Refusal>,
    /// Where each stored transcript came from in the parsed file: (episode
    /// index, transcript index) → its id. Lets a caller hand the parsed
    /// segments on (to the search index) instead of reading them back.
    pub placed: Vec<((usize, usize), i64)>,
}

/// An episode of a file that was not stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    /// The line of the file it was read from, when known.
    pub line: Option<u64>,
    /// Why.
    pub message: String,
}

impl std::ops::AddAssign for Written {
    fn add_assign(&mut self, o: Written) {
        self.episodes.extend(o.episodes);
        self.transcripts += o.transcripts;
        self.segments += o.segments;
        self.summaries += o.summaries;
        self.matched += o.matched;
        self.created += o.created;
        self.refused.extend(o.refused);
        self.placed.extend(o.placed);
    }
}

impl Store {
    /// Path → (content hash, collection) of every imported file, to skip
    /// unchanged files.
    pub fn file_hashes(&self) -> Result<std::collections::HashMap<String, (String, String)>> {
        let mut st = self.conn().prepare(
            "SELECT f.path, f.hash, c.name FROM files f JOIN collections c ON c.id = f.collection_id",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE`: takes the write lock now,
    /// so a concurrent writer waits instead of failing halfway).
    pub fn begin(&self) -> Result<()> {
        Ok(self.conn().execute_batch("BEGIN IMMEDIATE")?)
    }

    /// Commits the transaction opened by [`Store::begin`].
    pub fn commit(&self) -> Result<()> {
        Ok(self.conn().execute_batch("COMMIT")?)
    }

    /// Rolls back the transaction opened by [`Store::begin`].
    pub fn rollback(&self) -> Result<()> {
        Ok(self.conn().execute_batch("ROLLBACK")?)
    }

    /// Marks a point inside the transaction that [`Store::undo_to_savepoint`]
    /// can return to: one file of a transaction that holds several.
    pub fn savepoint(&self) -> Result<()> {
        Ok(self.conn().execute_batch("SAVEPOINT file")?)
    }

    /// Keeps what was written since [`Store::savepoint`].
    pub fn release_savepoint(&self) -> Result<()> {
        Ok(self.conn().execute_batch("RELEASE file")?)
    }

    /// Undoes what was written since [`Store::savepoint`]; the rest of the
    /// transaction stays.
    pub fn undo_to_savepoint(&self) -> Result<()> {
        Ok(self
            .conn()
            .execute_batch("ROLLBACK TO file; RELEASE file")?)
    }

    /// Writes one parsed file inside the current transaction, replacing what
    /// the same path stored before.
    pub fn write_file(
        &self,
        file: &FileRecord,
        collection: &CollectionSpec,
        parsed: &Collect,
    ) -> Result<Written> {
        let conn = self.conn();
        let collection_id = upsert_collection(conn, collection)?;
        let file_id = replace_file(conn, file, collection_id)?;
        let previous = take_memberships(conn, file_id)?;
        if let Some(doc) = &parsed.document {
            conn.prepare_cached(
                "INSERT INTO documents (file_id, collection_id, format, slots, raw) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![file_id, collection_id, doc.format, doc.slots, doc.raw])?;
        }
        let mut written = Written::default();
        let mut counted = file.word_counts.as_slice();
        for (e, ep) in parsed.episodes.iter().enumerate() {
            let n = ep.transcripts.len();
            let words = match counted.split_at_checked(n) {
                Some((these, rest)) => {
                    counted = rest;
                    these
                }
                None => &[],
            };
            let mut w = write_episode(
                conn,
                collection,
                (collection_id, file_id),
                &file.format,
                ep,
                words,
                &previous,
            )?;
            for ((episode, _), _) in &mut w.placed {
                *episode = e;
            }
            written += w;
        }
        settle_memberships(conn, &previous, file_id)?;
        Ok(written)
    }
}

fn upsert_collection(conn: &Connection, c: &CollectionSpec) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO collections (name, kind, url) VALUES (?1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET url = COALESCE(excluded.url, url)",
    )?
    .execute(params![c.name, c.kind, c.url])?;
    Ok(conn
        .prepare_cached("SELECT id FROM collections WHERE name = ?1")?
        .query_row([&c.name], |r| r.get(0))?)
}

/// Records the file and removes what an earlier version of it stored.
fn replace_file(conn: &Connection, f: &FileRecord, collection_id: i64) -> Result<i64> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM files WHERE path = ?1")?
        .query_row([&f.path], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        for sql in [
            "DELETE FROM transcripts WHERE file_id = ?1",
            "DELETE FROM summaries WHERE file_id = ?1",
            "DELETE FROM chapters WHERE file_id = ?1",
            "DELETE FROM documents WHERE file_id = ?1",
            "DELETE FROM comments WHERE file_id = ?1",
            // Episodes this file made that nothing else holds on to.
            "DELETE FROM episodes WHERE file_id = ?1
               AND NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.episode_id = episodes.id)
               AND NOT EXISTS (SELECT 1 FROM summaries s WHERE s.episode_id = episodes.id)
               AND NOT EXISTS (SELECT 1 FROM comments k WHERE k.episode_id = episodes.id)
               AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.episode_id = episodes.id
                                 AND m.file_id IS NOT ?1)",
        ] {
            conn.prepare_cached(sql)?.execute([id])?;
        }
        conn.prepare_cached(
            "UPDATE files SET hash = ?2, format = ?3, collection_id = ?4,
             imported_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
        )?
        .execute(params![id, f.hash, f.format, collection_id])?;
        return Ok(id);
    }
    conn.prepare_cached(
        "INSERT INTO files (path, hash, format, collection_id, imported_at)
         VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    )?
    .execute(params![f.path, f.hash, f.format, collection_id])?;
    Ok(conn.last_insert_rowid())
}

/// A membership an earlier version of a file made: `(episode, collection, number)`.
type Previous = Vec<(i64, i64, i64)>;

/// Removes the memberships an earlier version of the file made, so that the
/// new version states them afresh (a slot now holding another video is no
/// conflict with the one it held), and returns them for [`identify`].
fn take_memberships(conn: &Connection, file_id: i64) -> Result<Previous> {
    let previous: Previous = conn
        .prepare_cached(
            "SELECT episode_id, collection_id, number FROM memberships WHERE file_id = ?1",
        )?
        .query_map([file_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if !previous.is_empty() {
        conn.prepare_cached("DELETE FROM memberships WHERE file_id = ?1")?
            .execute([file_id])?;
    }
    Ok(previous)
}

/// After a file is written: an episode the file no longer names but that
/// other files still hold on to keeps its old membership (else it would be in
/// no collection), under its old number while that is free; an episode whose
/// home membership went is shown under another of its memberships.
fn settle_memberships(conn: &Connection, previous: &Previous, file_id: i64) -> Result<()> {
    if previous.is_empty() {
        return Ok(());
    }
    for &(episode, collection, number) in previous {
        let homeless: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM episodes WHERE id = ?1)
                    AND NOT EXISTS (SELECT 1 FROM memberships WHERE episode_id = ?1)",
            )?
            .query_row([episode], |r| r.get(0))?;
        if homeless {
            let n = free_number(conn, collection, u32::try_from(number).ok())?;
            add_membership(conn, episode, collection, n, file_id)?;
        }
    }
    conn.prepare_cached(
        "UPDATE episodes SET
           collection_id = (SELECT m.collection_id FROM memberships m WHERE m.episode_id = episodes.id
                            ORDER BY m.collection_id LIMIT 1),
           number = (SELECT m.number FROM memberships m WHERE m.episode_id = episodes.id
                     ORDER BY m.collection_id LIMIT 1)
         WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.episode_id = episodes.id
                             AND m.collection_id = episodes.collection_id AND m.number = episodes.number)
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.episode_id = episodes.id)",
    )?
    .execute([])?;
    Ok(())
}

/// How an incoming episode relates to what is stored.
enum Identity {
    /// An episode already stored: updated.
    Matched(i64),
    /// A new episode.
    Created(i64),
    /// Refused, with the reason (it would tie two videos together).
    Refused(String),
}

/// Finds the episode an incoming one is: by video id anywhere in the corpus
/// (else by its address, for pages of other sites), else by its number in
/// this collection, else (with neither) by title in
/// this collection; creates it when new. Records its membership of the
/// collection and merges its facts (what this file knows wins).
fn identify(
    conn: &Connection,
    collection: &CollectionSpec,
    collection_id: i64,
    ep: &Episode,
    file_id: i64,
    previous: &Previous,
) -> Result<Identity> {
    let m = &ep.meta;
    let by_video: Option<i64> = match &m.video_id {
        Some(v) => conn
            .prepare_cached("SELECT id FROM episodes WHERE video_id = ?1")?
            .query_row([v], |r| r.get(0))
            .optional()?,
        None => None,
    };
    // A page of another site than YouTube has no id the notes could read
    // from its link: its address is its identity until a fetch gives one.
    let by_video = match (by_video, &m.url) {
        (None, Some(url)) => conn
            .prepare_cached(
                "SELECT id FROM episodes WHERE url = ?1 AND (video_id IS NULL OR video_id IS ?2)
                 ORDER BY id LIMIT 1",
            )?
            .query_row(params![url, m.video_id], |r| r.get(0))
            .optional()?,
        (found, _) => found,
    };
    let by_number: Option<(i64, Option<String>)> = match m.number {
        Some(n) => conn
            .prepare_cached(
                "SELECT e.id, e.video_id FROM memberships m JOIN episodes e ON e.id = m.episode_id
                 WHERE m.collection_id = ?1 AND m.number = ?2",
            )?
            .query_row(params![collection_id, n], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        None => None,
    };
    // The number this file gave an episode last time still names it.
    let by_number = match (by_number, m.number) {
        (None, Some(n)) => match previous
            .iter()
            .find(|p| p.1 == collection_id && p.2 == i64::from(n))
        {
            // Unless it was another video: then the slot now names this one.
            Some(&(id, _, _)) => conn
                .prepare_cached(
                    "SELECT id, video_id FROM episodes
                     WHERE id = ?1 AND (video_id IS NULL OR ?2 IS NULL OR video_id = ?2)",
                )?
                .query_row(params![id, m.video_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
            None => None,
        },
        (found, _) => found,
    };
    let conflict = |other: &str| {
        Identity::Refused(format!(
            "{}/{} is already the video {other}, and this names {}; two videos are never one episode (give this one another number, or fix the number)",
            collection.name,
            m.number.unwrap_or(0),
            m.video_id.as_deref().unwrap_or("?"),
        ))
    };
    let found = match (by_video, by_number) {
        (Some(a), Some((b, _))) if a == b => Some(a),
        (Some(_), Some((_, Some(other)))) => return Ok(conflict(&other)),
        (Some(a), Some((b, None))) => {
            // The numbered episode had no id yet: it is this video.
            crate::merge::merge_into(conn, a, b)?;
            Some(a)
        }
        (Some(a), None) => Some(a),
        (None, Some((_, Some(other)))) if m.video_id.is_some() => return Ok(conflict(&other)),
        (None, Some((b, _))) => Some(b),
        (None, None) => match (&m.video_id, m.number, &m.title) {
            (None, None, Some(t)) => conn
                .prepare_cached(
                    "SELECT e.id FROM memberships m JOIN episodes e ON e.id = m.episode_id
                     WHERE m.collection_id = ?1 AND e.title = ?2 ORDER BY m.number LIMIT 1",
                )?
                .query_row(params![collection_id, t], |r| r.get(0))
                .optional()?,
            _ => None,
        },
    };
    let guests = json(&m.guests);
    let tags = json(&m.tags);
    let duration = m.duration_ms.map(|d| d as i64);
    if let Some(id) = found {
        conn.prepare_cached(
            "UPDATE episodes SET
               video_id = COALESCE(?2, video_id), title = COALESCE(?3, title),
               guests = CASE WHEN ?4 = '[]' THEN guests ELSE ?4 END,
               published = COALESCE(?5, published), url = COALESCE(?6, url),
               duration_ms = COALESCE(?7, duration_ms), description = COALESCE(?8, description),
               tags = CASE WHEN ?9 = '[]' THEN tags ELSE ?9 END, file_id = ?10
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            m.video_id,
            m.title,
            guests,
            m.published,
            m.url,
            duration,
            m.description,
            tags,
            file_id
        ])?;
        join_collection(conn, id, collection_id, m.number, ep.number_hint, file_id)?;
        return Ok(Identity::Matched(id));
    }
    let number: i64 = match m.number {
        Some(n) => n.into(),
        None => free_number(conn, collection_id, ep.number_hint)?,
    };
    conn.prepare_cached(
        "INSERT INTO episodes (collection_id, number, video_id, title, guests, published, url,
                               duration_ms, description, tags, file_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        collection_id,
        number,
        m.video_id,
        m.title,
        guests,
        m.published,
        m.url,
        duration,
        m.description,
        tags,
        file_id
    ])?;
    let id = conn.last_insert_rowid();
    add_membership(conn, id, collection_id, number, file_id)?;
    Ok(Identity::Created(id))
}

/// Records that the episode is `number` in the collection, as `file_id` says.
fn add_membership(
    conn: &Connection,
    episode: i64,
    collection: i64,
    number: i64,
    file_id: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO memberships (episode_id, collection_id, number, file_id) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![episode, collection, number, file_id])?;
    Ok(())
}

/// The number after the collection's highest.
fn next_number(conn: &Connection, collection_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM memberships WHERE collection_id = ?1",
        )?
        .query_row([collection_id], |r| r.get(0))?)
}

/// `hint` when no episode has it in the collection, else the next number.
fn free_number(conn: &Connection, collection_id: i64, hint: Option<u32>) -> Result<i64> {
    if let Some(h) = hint {
        let taken: Option<i64> = conn
            .prepare_cached("SELECT 1 FROM memberships WHERE collection_id = ?1 AND number = ?2")?
            .query_row(params![collection_id, h], |r| r.get(0))
            .optional()?;
        if taken.is_none() {
            return Ok(h.into());
        }
    }
    next_number(conn, collection_id)
}

/// Puts the episode in the collection under `number` (when none is given
/// and it is not there yet: the hint if free, else the next free number).
/// The number is free or the episode's own: [`identify`] looked it up first.
fn join_collection(
    conn: &Connection,
    id: i64,
    collection_id: i64,
    number: Option<u32>,
    hint: Option<u32>,
    file_id: i64,
) -> Result<()> {
    let current: Option<i64> = conn
        .prepare_cached(
            "SELECT number FROM memberships WHERE episode_id = ?1 AND collection_id = ?2",
        )?
        .query_row(params![id, collection_id], |r| r.get(0))
        .optional()?;
    let number = match (number, current) {
        (None, Some(_)) => return Ok(()),
        (Some(n), Some(c)) if i64::from(n) == c => return Ok(()),
        (Some(n), _) => i64::from(n),
        (None, None) => free_number(conn, collection_id, hint)?,
    };
    match current {
        Some(_) => {
            conn.prepare_cached(
                "UPDATE memberships SET number = ?3 WHERE episode_id = ?1 AND collection_id = ?2",
            )?
            .execute(params![id, collection_id, number])?;
            // The home membership's number is also the episode's own.
            conn.prepare_cached(
                "UPDATE episodes SET number = ?3 WHERE id = ?1 AND collection_id = ?2",
            )?
            .execute(params![id, collection_id, number])?;
        }
        None => add_membership(conn, id, collection_id, number, file_id)?,
    }
    Ok(())
}

/// Where a chapter list came from, best first when an episode has several.
fn chapter_origin(chapters: &[Chapter]) -> &'static str {
    if chapters.iter().any(|c| c.text_pos.is_some()) {
        "text"
    } else {
        "video"
    }
}

/// Replaces the episode's chapters of one origin.
fn put_chapters(
    conn: &Connection,
    id: i64,
    origin: &str,
    chapters: &[Chapter],
    file_id: i64,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM chapters WHERE episode_id = ?1 AND origin = ?2")?
        .execute(params![id, origin])?;
    let mut st = conn.prepare_cached(
        "INSERT INTO chapters (episode_id, origin, idx, title, start_ms, text_pos, file_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, c) in chapters.iter().enumerate() {
        st.execute(params![
            id,
            origin,
            i as i64,
            c.title,
            c.start_ms.map(|v| v as i64),
            c.text_pos.map(|v| v as i64),
            file_id
        ])?;
    }
    Ok(())
}

/// Writes one episode of a file; `words` holds its transcripts' word
/// counts, or is empty to count them here.
fn write_episode(
    conn: &Connection,
    collection: &CollectionSpec,
    (collection_id, file_id): (i64, i64),
    format: &str,
    ep: &Episode,
    words: &[u64],
    previous: &Previous,
) -> Result<Written> {
    let mut w = Written::default();
    let id = match identify(conn, collection, collection_id, ep, file_id, previous)? {
        Identity::Matched(id) => {
            w.matched += 1;
            id
        }
        Identity::Created(id) => {
            w.created += 1;
            id
        }
        Identity::Refused(message) => {
            w.refused.push(Refusal {
                line: ep.line,
                message,
            });
            return Ok(w);
        }
    };
    w.episodes.push(id);
    if !ep.chapters.is_empty() {
        put_chapters(
            conn,
            id,
            chapter_origin(&ep.chapters),
            &ep.chapters,
            file_id,
        )?;
    }
    if let Some(d) = &ep.meta.description {
        // The description's own outline, kept apart: the video's chapters win where both exist.
        let outline = podcorpus_core::chapters::from_description(d);
        put_chapters(conn, id, "description", &outline, file_id)?;
    }
    for (k, t) in ep.transcripts.iter().enumerate() {
        let word_count = words.get(k).copied().unwrap_or_else(|| t.words());
        conn.prepare_cached("DELETE FROM transcripts WHERE episode_id = ?1 AND source = ?2")?
            .execute(params![id, t.meta.source])?;
        conn.prepare_cached(
            "INSERT INTO transcripts (episode_id, source, language, words, segments, file_id,
                                      provenance)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            id,
            t.meta.source,
            t.meta.language,
            word_count as i64,
            t.segments.len() as i64,
            file_id,
            t.meta.provenance
        ])?;
        let tid = conn.last_insert_rowid();
        w.placed.push(((0, k), tid));
        put_segments(conn, tid, &t.segments)?;
        w.transcripts += 1;
        w.segments += t.segments.len() as u64;
    }
    if !ep.comments.is_empty() {
        conn.prepare_cached("DELETE FROM comments WHERE episode_id = ?1")?
            .execute([id])?;
        let mut st = conn.prepare_cached(
            "INSERT INTO comments (episode_id, idx, author, text, likes, time, file_id,
                                   comment_id, parent, by_uploader, pinned, favorited)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for (i, c) in ep.comments.iter().enumerate() {
            let likes = c.likes.and_then(|l| i64::try_from(l).ok());
            st.execute(params![
                id,
                i as i64,
                c.author,
                c.text,
                likes,
                c.time,
                file_id,
                c.id,
                c.parent,
                c.by_uploader,
                c.pinned,
                c.favorited
            ])?;
        }
    }
    let mut st = conn.prepare_cached(
        "INSERT INTO summaries (episode_id, kind, subject, text, method, file_id, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    )?;
    for s in &ep.summaries {
        // The method of an imported summary is the format it was read from.
        st.execute(params![
            id,
            s.kind,
            s.subject.as_str(),
            s.text,
            format,
            file_id
        ])?;
        w.summaries += 1;
    }
    Ok(w)
}

/// Rows per `INSERT` statement, largest first: a transcript's segments go
/// in as many statements of the first size as fit, then of the next. One
/// statement of many rows costs SQLite one statement's overhead (reset,
/// halt, and the statement journal's copy of the B-tree's right edge)
/// instead of one per cue; three sizes keep the remainder cheap too.
/// Measured on Lexicap's 1.41 million cues: 12% less writer time than one
/// statement per cue at 32 rows, and 3.5% less again at 128 (the journal
/// copies fall from 5% of the import's instructions to 2%).
const SEGMENT_ROWS: [usize; 3] = [128, 8, 1];

/// The `INSERT` of `rows` segments.
fn insert_segments_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO segments (transcript_id, idx, start_ms, end_ms, text, events, words) VALUES ",
    );
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push_str("(?,?,?,?,?,?,?)");
    }
    sql
}

/// Writes a transcript's segments in statements of [`SEGMENT_ROWS`] rows.
fn put_segments(conn: &Connection, tid: i64, segments: &[Segment]) -> Result<()> {
    // The statements' texts, built once per process.
    static SQL: LazyLock<[String; 3]> = LazyLock::new(|| SEGMENT_ROWS.map(insert_segments_sql));
    let mut rest = segments;
    let mut idx: i64 = 0;
    for (rows, sql) in SEGMENT_ROWS.iter().zip(SQL.iter()) {
        let whole = rest.len() / rows * rows;
        let (head, tail) = rest.split_at(whole);
        rest = tail;
        if head.is_empty() {
            continue;
        }
        let mut st = conn.prepare_cached(sql)?;
        for chunk in head.chunks(*rows) {
            for (k, s) in chunk.iter().enumerate() {
                let (events, words) = segment_json(s);
                let at = k * 7;
                st.raw_bind_parameter(at + 1, tid)?;
                st.raw_bind_parameter(at + 2, idx)?;
                st.raw_bind_parameter(at + 3, s.start_ms.map(|v| v as i64))?;
                st.raw_bind_parameter(at + 4, s.end_ms.map(|v| v as i64))?;
                st.raw_bind_parameter(at + 5, s.text.as_str())?;
                st.raw_bind_parameter(at + 6, events)?;
                st.raw_bind_parameter(at + 7, words)?;
                idx += 1;
            }
            st.raw_execute()?;
        }
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// The JSON columns of a segment, `None` when empty (most segments).
fn segment_json(s: &Segment) -> (Option<String>, Option<String>) {
    let events = (!s.events.is_empty()).then(|| json(&s.events));
    let words = (!s.words.is_empty()).then(|| {
        let pairs: Vec<(u64, &str)> = s
            .words
            .iter()
            .map(|w| (w.start_ms, w.word.as_str()))
            .collect();
        json(&pairs)
    });
    (events, words)
}
