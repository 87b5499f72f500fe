//! What the search index needs from the store beyond the transcript walk: a
//! fingerprint of each transcript's content, so that an index update
//! re-reads only the transcripts whose content changed.

use crate::{Result, Store};
use std::collections::HashMap;

impl Store {
    /// For every stored transcript, a string that changes whenever its content
    /// may have changed: the hash of the file it came from with its word and
    /// segment counts. Transcript ids alone are not enough, because SQLite may
    /// reuse the id of a deleted row for the replacement of a changed file.
    pub fn transcript_fingerprints(&self) -> Result<HashMap<i64, String>> {
        self.fingerprints_where(None)
    }

    /// [`Store::transcript_fingerprints`] of one episode's transcripts.
    pub fn episode_fingerprints(&self, episode_id: i64) -> Result<HashMap<i64, String>> {
        self.fingerprints_where(Some(episode_id))
    }

    fn fingerprints_where(&self, episode_id: Option<i64>) -> Result<HashMap<i64, String>> {
        let mut st = self.conn().prepare_cached(
            "SELECT t.id, COALESCE(f.hash, ''), t.words, t.segments
             FROM transcripts t LEFT JOIN files f ON f.id = t.file_id
             WHERE ?1 IS NULL OR t.episode_id = ?1",
        )?;
        let rows = st.query_map([episode_id], |r| {
            let id: i64 = r.get(0)?;
            let hash: String = r.get(1)?;
            let words: i64 = r.get(2)?;
            let segments: i64 = r.get(3)?;
            Ok((id, format!("{hash}:{words}:{segments}")))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
