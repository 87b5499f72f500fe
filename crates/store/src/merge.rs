//! Folding one episode into another when they turn out to be the same video
//! (a Lexicap episode whose number a metadata table ties to a video id
//! another collection already has). Nothing is dropped that is not a
//! duplicate: transcripts, summaries, comments and memberships move over; a
//! transcript whose source the kept episode already has is kept beside it
//! under `SOURCE@COLLECTION`.

use crate::p;
use crate::sql::Conn;
use crate::Result;

/// Moves everything of episode `from` into `into` and deletes `from`.
/// Facts `into` lacks are taken from `from`.
pub(crate) fn merge_into(db: &dyn Conn, into: i64, from: i64) -> Result<()> {
    if into == from {
        return Ok(());
    }
    let from_name: String = db
        .query_opt(
            "SELECT c.name FROM episodes e JOIN collections c ON c.id = e.collection_id WHERE e.id = ?1",
            p![from],
            |r| r.get(0),
        )?
        .unwrap_or_else(|| "merged".into());
    // Same source on both: keep the moved one under a name of its own.
    db.execute(
        "UPDATE transcripts SET source = source || '@' || ?3
         WHERE episode_id = ?2
           AND source IN (SELECT source FROM transcripts WHERE episode_id = ?1)",
        p![into, from, &from_name],
    )?;
    db.execute(
        "UPDATE transcripts SET episode_id = ?1 WHERE episode_id = ?2",
        p![into, from],
    )?;
    db.execute(
        "UPDATE summaries SET episode_id = ?1 WHERE episode_id = ?2",
        p![into, from],
    )?;
    db.execute(
        "UPDATE comments SET episode_id = ?1,
           idx = idx + 1 + (SELECT COALESCE(MAX(idx), -1) FROM comments WHERE episode_id = ?1)
         WHERE episode_id = ?2",
        p![into, from],
    )?;
    // Chapters of an origin the kept episode lacks.
    db.execute(
        "UPDATE chapters SET episode_id = ?1 WHERE episode_id = ?2
           AND origin NOT IN (SELECT origin FROM chapters WHERE episode_id = ?1)",
        p![into, from],
    )?;
    // Memberships in collections the kept episode is not in yet.
    db.execute(
        "UPDATE memberships SET episode_id = ?1 WHERE episode_id = ?2
           AND collection_id NOT IN (SELECT collection_id FROM memberships WHERE episode_id = ?1)",
        p![into, from],
    )?;
    db.execute(
        "UPDATE episodes SET
           title = COALESCE(title, (SELECT title FROM episodes WHERE id = ?2)),
           published = COALESCE(published, (SELECT published FROM episodes WHERE id = ?2)),
           url = COALESCE(url, (SELECT url FROM episodes WHERE id = ?2)),
           duration_ms = COALESCE(duration_ms, (SELECT duration_ms FROM episodes WHERE id = ?2)),
           description = COALESCE(description, (SELECT description FROM episodes WHERE id = ?2)),
           guests = CASE WHEN guests = '[]' THEN (SELECT guests FROM episodes WHERE id = ?2) ELSE guests END,
           tags = CASE WHEN tags = '[]' THEN (SELECT tags FROM episodes WHERE id = ?2) ELSE tags END
         WHERE id = ?1",
        p![into, from],
    )?;
    // What did not move is a duplicate of what the kept episode has. Deleted
    // here, not by cascade: migrations run with foreign keys off.
    for sql in [
        "DELETE FROM chapters WHERE episode_id = ?1",
        "DELETE FROM memberships WHERE episode_id = ?1",
        "DELETE FROM episodes WHERE id = ?1",
    ] {
        db.execute(sql, p![from])?;
    }
    Ok(())
}

/// Folds together episodes that share a video id (databases written before
/// an episode was one video could hold one copy per collection): the oldest
/// episode of each video is kept.
pub(crate) fn merge_duplicate_videos(db: &dyn Conn) -> Result<u64> {
    let pairs: Vec<(i64, i64)> = db.query_map(
        "SELECT k.id, e.id FROM episodes e
         JOIN (SELECT video_id, MIN(id) AS id FROM episodes
               WHERE video_id IS NOT NULL GROUP BY video_id HAVING COUNT(*) > 1) k
           ON k.video_id = e.video_id AND e.id <> k.id
         ORDER BY e.id",
        p![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for &(keep, other) in &pairs {
        merge_into(db, keep, other)?;
    }
    Ok(pairs.len() as u64)
}
