//! Writing what one file holds into the store, inside a transaction the caller
//! owns: the file's earlier content is replaced, episodes are merged by key.

use crate::p;
use crate::sql::{Conn, Param};
use crate::{Result, Store};
use podcorpus_core::{Chapter, Collect, Episode, Segment};
use std::sync::atomic::Ordering;

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
        let rows = self.db().query_map(
            "SELECT f.path, f.hash, c.name FROM files f JOIN collections c ON c.id = f.collection_id",
            p![],
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE`: takes the write lock now,
    /// so a concurrent writer waits instead of failing halfway).
    pub fn begin(&self) -> Result<()> {
        self.db().batch("BEGIN IMMEDIATE")?;
        self.writing.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Commits the transaction opened by [`Store::begin`], with the cues
    /// held for it.
    pub fn commit(&self) -> Result<()> {
        write_held_segments(self.db())?;
        self.writing.store(false, Ordering::Relaxed);
        self.db().batch("COMMIT")
    }

    /// Rolls back the transaction opened by [`Store::begin`].
    pub fn rollback(&self) -> Result<()> {
        // What the held statements did is about to be undone, and so is
        // any error of theirs.
        let _ = self.db().flush();
        self.db().drop_held();
        self.writing.store(false, Ordering::Relaxed);
        self.db().batch("ROLLBACK")
    }

    /// Marks a point inside the transaction that [`Store::undo_to_savepoint`]
    /// can return to: one file of a transaction that holds several.
    pub fn savepoint(&self) -> Result<()> {
        // Sent with the file's first statement: one wait fewer per file.
        self.db().execute_later("SAVEPOINT file", &[])
    }

    /// Keeps what was written since [`Store::savepoint`].
    pub fn release_savepoint(&self) -> Result<()> {
        // Sent with the next file's first statement, or the commit: the
        // file's own statements were answered by the end of
        // [`Store::write_file`], so a release that failed (the connection
        // lost) fails the next step.
        self.db().execute_later("RELEASE file", &[])?;
        // Between files, outside every savepoint, is where held cues may be
        // written early, so that a long transaction (`--strict`) holds
        // only so many; a file undone later cannot undo them.
        if self
            .db()
            .held()
            .is_some_and(|h| h.bytes >= HELD_SEGMENT_BYTES)
        {
            write_held_segments(self.db())?;
        }
        Ok(())
    }

    /// Undoes what was written since [`Store::savepoint`]; the rest of the
    /// transaction stays.
    pub fn undo_to_savepoint(&self) -> Result<()> {
        // As in [`Store::rollback`]: the file's held statements are undone.
        let _ = self.db().flush();
        self.db().batch("ROLLBACK TO file; RELEASE file")
    }

    /// Writes one parsed file inside the current transaction, replacing what
    /// the same path stored before.
    pub fn write_file(
        &self,
        file: &FileRecord,
        collection: &CollectionSpec,
        parsed: &Collect,
    ) -> Result<Written> {
        let db = self.db();
        let collection_id = upsert_collection(db, collection)?;
        let file_id = replace_file(db, file, collection_id)?;
        let previous = take_memberships(db, file_id)?;
        if let Some(doc) = &parsed.document {
            db.execute_later(
                "INSERT INTO documents (file_id, collection_id, format, slots, raw) VALUES (?1, ?2, ?3, ?4, ?5)",
                p![file_id, collection_id, &doc.format, doc.slots, &doc.raw],
            )?;
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
                db,
                collection,
                Target {
                    collection_id,
                    file_id,
                    held: self.writing.load(Ordering::Relaxed),
                },
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
        settle_memberships(db, &previous, file_id)?;
        // The file's statements held for the pipeline are answered here, so
        // that an error in one is this file's, and only this file is undone.
        db.flush()?;
        Ok(written)
    }
}

fn upsert_collection(db: &dyn Conn, c: &CollectionSpec) -> Result<i64> {
    // `collections.url` is named in full: on PostgreSQL a bare `url` in the
    // update would be ambiguous beside `excluded.url`.
    db.execute_later(
        "INSERT INTO collections (name, kind, url) VALUES (?1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET url = COALESCE(excluded.url, collections.url)",
        p![&c.name, &c.kind, c.url.as_deref()],
    )?;
    db.one("SELECT id FROM collections WHERE name = ?1", p![&c.name])
}

/// Records the file and removes what an earlier version of it stored.
fn replace_file(db: &dyn Conn, f: &FileRecord, collection_id: i64) -> Result<i64> {
    let existing: Option<i64> =
        db.query_opt("SELECT id FROM files WHERE path = ?1", p![&f.path], |r| {
            r.get(0)
        })?;
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
                                 AND m.file_id IS DISTINCT FROM ?1)",
        ] {
            db.execute_later(sql, p![id])?;
        }
        db.execute_later(
            "UPDATE files SET hash = ?2, format = ?3, collection_id = ?4,
             imported_at = podcorpus_now() WHERE id = ?1",
            p![id, &f.hash, &f.format, collection_id],
        )?;
        return Ok(id);
    }
    db.one(
        "INSERT INTO files (path, hash, format, collection_id, imported_at)
         VALUES (?1, ?2, ?3, ?4, podcorpus_now()) RETURNING id",
        p![&f.path, &f.hash, &f.format, collection_id],
    )
}

/// A membership an earlier version of a file made: `(episode, collection, number)`.
type Previous = Vec<(i64, i64, i64)>;

/// Removes the memberships an earlier version of the file made, so that the
/// new version states them afresh (a slot now holding another video is no
/// conflict with the one it held), and returns them for [`identify`].
fn take_memberships(db: &dyn Conn, file_id: i64) -> Result<Previous> {
    let previous: Previous = db.query_map(
        "SELECT episode_id, collection_id, number FROM memberships WHERE file_id = ?1",
        p![file_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if !previous.is_empty() {
        db.execute_later("DELETE FROM memberships WHERE file_id = ?1", p![file_id])?;
    }
    Ok(previous)
}

/// After a file is written: an episode the file no longer names but that
/// other files still hold on to keeps its old membership (else it would be in
/// no collection), under its old number while that is free; an episode whose
/// home membership went is shown under another of its memberships.
fn settle_memberships(db: &dyn Conn, previous: &Previous, file_id: i64) -> Result<()> {
    if previous.is_empty() {
        return Ok(());
    }
    for &(episode, collection, number) in previous {
        let homeless: bool = db.one(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM episodes WHERE id = ?1)
                    AND NOT EXISTS (SELECT 1 FROM memberships WHERE episode_id = ?1)
                    THEN 1 ELSE 0 END",
            p![episode],
        )?;
        if homeless {
            let n = free_number(db, collection, u32::try_from(number).ok())?;
            add_membership(db, episode, collection, n, file_id)?;
        }
    }
    db.execute_later(
        "UPDATE episodes SET
           collection_id = (SELECT m.collection_id FROM memberships m WHERE m.episode_id = episodes.id
                            ORDER BY m.collection_id LIMIT 1),
           number = (SELECT m.number FROM memberships m WHERE m.episode_id = episodes.id
                     ORDER BY m.collection_id LIMIT 1)
         WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.episode_id = episodes.id
                             AND m.collection_id = episodes.collection_id AND m.number = episodes.number)
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.episode_id = episodes.id)",
        p![],
    )?;
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
    db: &dyn Conn,
    collection: &CollectionSpec,
    collection_id: i64,
    ep: &Episode,
    file_id: i64,
    previous: &Previous,
) -> Result<Identity> {
    let m = &ep.meta;
    let video_id = m.video_id.as_deref();
    let by_video: Option<i64> = match video_id {
        Some(v) => db.query_opt("SELECT id FROM episodes WHERE video_id = ?1", p![v], |r| {
            r.get(0)
        })?,
        None => None,
    };
    // A page of another site than YouTube has no id the notes could read
    // from its link: its address is its identity until a fetch gives one.
    let by_video = match (by_video, &m.url) {
        (None, Some(url)) => db.query_opt(
            "SELECT id FROM episodes
             WHERE url = ?1 AND (video_id IS NULL OR video_id IS NOT DISTINCT FROM ?2)
             ORDER BY id LIMIT 1",
            p![url, video_id],
            |r| r.get(0),
        )?,
        (found, _) => found,
    };
    let by_number: Option<(i64, Option<String>)> = match m.number {
        Some(n) => db.query_opt(
            "SELECT e.id, e.video_id FROM memberships m JOIN episodes e ON e.id = m.episode_id
             WHERE m.collection_id = ?1 AND m.number = ?2",
            p![collection_id, n],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        None => None,
    };
    // The number this file gave an episode last time still names it.
    let by_number = match (by_number, m.number) {
        (None, Some(n)) => match previous
            .iter()
            .find(|p| p.1 == collection_id && p.2 == i64::from(n))
        {
            // Unless it was another video: then the slot now names this one.
            Some(&(id, _, _)) => db.query_opt(
                "SELECT id, video_id FROM episodes
                 WHERE id = ?1 AND (video_id IS NULL OR CAST(?2 AS TEXT) IS NULL OR video_id = ?2)",
                p![id, video_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
            None => None,
        },
        (found, _) => found,
    };
    let conflict = |other: &str| {
        Identity::Refused(format!(
            "{}/{} is already the video {other}, and this names {}; two videos are never one episode (give this one another number, or fix the number)",
            collection.name,
            m.number.unwrap_or(0),
            video_id.unwrap_or("?"),
        ))
    };
    let found = match (by_video, by_number) {
        (Some(a), Some((b, _))) if a == b => Some(a),
        (Some(_), Some((_, Some(other)))) => return Ok(conflict(&other)),
        (Some(a), Some((b, None))) => {
            // The numbered episode had no id yet: it is this video.
            crate::merge::merge_into(db, a, b)?;
            Some(a)
        }
        (Some(a), None) => Some(a),
        (None, Some((_, Some(other)))) if video_id.is_some() => return Ok(conflict(&other)),
        (None, Some((b, _))) => Some(b),
        (None, None) => match (video_id, m.number, &m.title) {
            (None, None, Some(t)) => db.query_opt(
                "SELECT e.id FROM memberships m JOIN episodes e ON e.id = m.episode_id
                 WHERE m.collection_id = ?1 AND e.title = ?2 ORDER BY m.number LIMIT 1",
                p![collection_id, t],
                |r| r.get(0),
            )?,
            _ => None,
        },
    };
    let guests = json(&m.guests);
    let tags = json(&m.tags);
    let duration = m.duration_ms.map(|d| d as i64);
    if let Some(id) = found {
        db.execute_later(
            "UPDATE episodes SET
               video_id = COALESCE(?2, video_id), title = COALESCE(?3, title),
               guests = CASE WHEN ?4 = '[]' THEN guests ELSE ?4 END,
               published = COALESCE(?5, published), url = COALESCE(?6, url),
               duration_ms = COALESCE(?7, duration_ms), description = COALESCE(?8, description),
               tags = CASE WHEN ?9 = '[]' THEN tags ELSE ?9 END, file_id = ?10
             WHERE id = ?1",
            p![
                id,
                video_id,
                m.title.as_deref(),
                &guests,
                m.published.as_deref(),
                m.url.as_deref(),
                duration,
                m.description.as_deref(),
                &tags,
                file_id
            ],
        )?;
        join_collection(db, id, collection_id, m.number, ep.number_hint, file_id)?;
        return Ok(Identity::Matched(id));
    }
    let number: i64 = match m.number {
        Some(n) => n.into(),
        None => free_number(db, collection_id, ep.number_hint)?,
    };
    let id: i64 = db.one(
        "INSERT INTO episodes (collection_id, number, video_id, title, guests, published, url,
                               duration_ms, description, tags, file_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        p![
            collection_id,
            number,
            video_id,
            m.title.as_deref(),
            &guests,
            m.published.as_deref(),
            m.url.as_deref(),
            duration,
            m.description.as_deref(),
            &tags,
            file_id
        ],
    )?;
    add_membership(db, id, collection_id, number, file_id)?;
    Ok(Identity::Created(id))
}

/// Records that the episode is `number` in the collection, as `file_id` says.
fn add_membership(
    db: &dyn Conn,
    episode: i64,
    collection: i64,
    number: i64,
    file_id: i64,
) -> Result<()> {
    db.execute_later(
        "INSERT INTO memberships (episode_id, collection_id, number, file_id) VALUES (?1, ?2, ?3, ?4)",
        p![episode, collection, number, file_id],
    )?;
    Ok(())
}

/// The number after the collection's highest.
fn next_number(db: &dyn Conn, collection_id: i64) -> Result<i64> {
    db.one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM memberships WHERE collection_id = ?1",
        p![collection_id],
    )
}

/// `hint` when no episode has it in the collection, else the next number.
fn free_number(db: &dyn Conn, collection_id: i64, hint: Option<u32>) -> Result<i64> {
    if let Some(h) = hint {
        let taken: Option<i64> = db.query_opt(
            "SELECT 1 FROM memberships WHERE collection_id = ?1 AND number = ?2",
            p![collection_id, h],
            |r| r.get(0),
        )?;
        if taken.is_none() {
            return Ok(h.into());
        }
    }
    next_number(db, collection_id)
}

/// Puts the episode in the collection under `number` (when none is given
/// and it is not there yet: the hint if free, else the next free number).
/// The number is free or the episode's own: [`identify`] looked it up first.
fn join_collection(
    db: &dyn Conn,
    id: i64,
    collection_id: i64,
    number: Option<u32>,
    hint: Option<u32>,
    file_id: i64,
) -> Result<()> {
    let current: Option<i64> = db.query_opt(
        "SELECT number FROM memberships WHERE episode_id = ?1 AND collection_id = ?2",
        p![id, collection_id],
        |r| r.get(0),
    )?;
    let number = match (number, current) {
        (None, Some(_)) => return Ok(()),
        (Some(n), Some(c)) if i64::from(n) == c => return Ok(()),
        (Some(n), _) => i64::from(n),
        (None, None) => free_number(db, collection_id, hint)?,
    };
    match current {
        Some(_) => {
            db.execute_later(
                "UPDATE memberships SET number = ?3 WHERE episode_id = ?1 AND collection_id = ?2",
                p![id, collection_id, number],
            )?;
            // The home membership's number is also the episode's own.
            db.execute_later(
                "UPDATE episodes SET number = ?3 WHERE id = ?1 AND collection_id = ?2",
                p![id, collection_id, number],
            )?;
        }
        None => add_membership(db, id, collection_id, number, file_id)?,
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
    db: &dyn Conn,
    id: i64,
    origin: &str,
    chapters: &[Chapter],
    file_id: i64,
) -> Result<()> {
    db.execute_later(
        "DELETE FROM chapters WHERE episode_id = ?1 AND origin = ?2",
        p![id, origin],
    )?;
    for (i, c) in chapters.iter().enumerate() {
        db.execute_later(
            "INSERT INTO chapters (episode_id, origin, idx, title, start_ms, text_pos, file_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            p![
                id,
                origin,
                i as i64,
                &c.title,
                c.start_ms.map(|v| v as i64),
                c.text_pos.map(|v| v as i64),
                file_id
            ],
        )?;
    }
    Ok(())
}

/// Where [`write_episode`] writes: the file's collection and row, and
/// whether its cues may be held for the commit (see [`put_segments`]).
struct Target {
    collection_id: i64,
    file_id: i64,
    held: bool,
}

/// Writes one episode of a file; `words` holds its transcripts' word
/// counts, or is empty to count them here.
fn write_episode(
    db: &dyn Conn,
    collection: &CollectionSpec,
    Target {
        collection_id,
        file_id,
        held,
    }: Target,
    format: &str,
    ep: &Episode,
    words: &[u64],
    previous: &Previous,
) -> Result<Written> {
    let mut w = Written::default();
    let id = match identify(db, collection, collection_id, ep, file_id, previous)? {
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
        put_chapters(db, id, chapter_origin(&ep.chapters), &ep.chapters, file_id)?;
    }
    if let Some(d) = &ep.meta.description {
        // The description's own outline, kept apart: the video's chapters win where both exist.
        let outline = podcorpus_core::chapters::from_description(d);
        put_chapters(db, id, "description", &outline, file_id)?;
    }
    for (k, t) in ep.transcripts.iter().enumerate() {
        let word_count = words.get(k).copied().unwrap_or_else(|| t.words());
        db.execute_later(
            "DELETE FROM transcripts WHERE episode_id = ?1 AND source = ?2",
            p![id, &t.meta.source],
        )?;
        let tid: i64 = db.one(
            "INSERT INTO transcripts (episode_id, source, language, words, segments, file_id,
                                      provenance)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            p![
                id,
                &t.meta.source,
                t.meta.language.as_deref(),
                word_count as i64,
                t.segments.len() as i64,
                file_id,
                t.meta.provenance.as_deref()
            ],
        )?;
        w.placed.push(((0, k), tid));
        put_segments(db, held, tid, &t.segments)?;
        w.transcripts += 1;
        w.segments += t.segments.len() as u64;
    }
    if !ep.comments.is_empty() {
        db.execute_later("DELETE FROM comments WHERE episode_id = ?1", p![id])?;
        for (i, c) in ep.comments.iter().enumerate() {
            let likes = c.likes.and_then(|l| i64::try_from(l).ok());
            db.execute_later(
                "INSERT INTO comments (episode_id, idx, author, text, likes, time, file_id,
                                       comment_id, parent, by_uploader, pinned, favorited)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                p![
                    id,
                    i as i64,
                    c.author.as_deref(),
                    &c.text,
                    likes,
                    c.time.as_deref(),
                    file_id,
                    c.id.as_deref(),
                    c.parent.as_deref(),
                    c.by_uploader,
                    c.pinned,
                    c.favorited
                ],
            )?;
        }
    }
    for s in &ep.summaries {
        // The method of an imported summary is the format it was read from.
        db.execute_later(
            "INSERT INTO summaries (episode_id, kind, subject, text, method, file_id, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, podcorpus_now())",
            p![id, &s.kind, s.subject.as_str(), &s.text, format, file_id],
        )?;
        w.summaries += 1;
    }
    Ok(w)
}

/// The columns of a segment row, in the order [`put_segments`] pushes them.
const SEGMENT_COLUMNS: [&str; 7] = [
    "transcript_id",
    "idx",
    "start_ms",
    "end_ms",
    "text",
    "events",
    "words",
];

/// Writes a transcript's segments in bulk with [`Conn::insert_rows`]: on
/// SQLite, multi-row `INSERT`s of 128, 8 and 1 rows (measured on Lexicap's
/// 1.41 million cues: 12% less writer time than one statement per cue at 32
/// rows, and 3.5% less again at 128); on PostgreSQL, `COPY`.
///
/// Inside a transaction of [`Store::begin`] (`held`), an engine may hold
/// them to write at the commit with the other transcripts' cues, in one
/// operation ([`write_held_segments`]).
fn put_segments(db: &dyn Conn, held: bool, tid: i64, segments: &[Segment]) -> Result<()> {
    // The JSON columns, built before the rows borrow them.
    let json: Vec<(Option<String>, Option<String>)> = segments.iter().map(segment_json).collect();
    let mut row = segment_row(tid, segments, &json);
    if held {
        db.insert_rows_later(tid, "segments", &SEGMENT_COLUMNS, segments.len(), &mut row)
    } else {
        db.insert_rows("segments", &SEGMENT_COLUMNS, segments.len(), &mut row)
    }
}

/// The values of row `i` of a transcript's segments, in [`SEGMENT_COLUMNS`]' order.
fn segment_row<'s>(
    tid: i64,
    segments: &'s [Segment],
    json: &'s [(Option<String>, Option<String>)],
) -> impl FnMut(usize, &mut Vec<Param<'s>>) + 's {
    move |i, out| {
        let s = &segments[i];
        let (events, words) = &json[i];
        out.push(Param::Int(tid));
        out.push(Param::Int(i as i64));
        out.push(s.start_ms.map(|v| v as i64).into());
        out.push(s.end_ms.map(|v| v as i64).into());
        out.push(Param::Text(&s.text));
        out.push(events.as_deref().into());
        out.push(words.as_deref().into());
    }
}

/// How many bytes of held cues make a file's end write them early.
const HELD_SEGMENT_BYTES: usize = 32 << 20;

/// Writes the cues the engine holds, of the transcripts that still exist:
/// a transcript replaced or undone since its cues were held is gone, and
/// its cues would belong to nothing (the trigger that deletes a
/// transcript's cues found none to delete).
fn write_held_segments(db: &dyn Conn) -> Result<()> {
    let Some(held) = db.held() else {
        return Ok(());
    };
    let (lo, hi) = (held.low, held.high);
    let alive: std::collections::HashSet<i64> = db
        .query_map(
            "SELECT id FROM transcripts WHERE id BETWEEN ?1 AND ?2",
            p![lo, hi],
            |r| r.get(0),
        )?
        .into_iter()
        .collect();
    db.write_held(&|tid| alive.contains(&tid))
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
