//! How each transcript was made, where its source said (migration 8): the
//! recognizer's name, version, model and settings, kept as a JSON object;
//! and which episode a file's transcript went to, for the recognizer's
//! caller, which names the episode it made.

use crate::p;
use crate::{Result, Store};

impl Store {
    /// The provenance stored with episode `episode_id`'s transcript from
    /// `source`, as JSON text; `None` when the episode has no such
    /// transcript or its source said nothing (captions, documents).
    pub fn transcript_provenance(&self, episode_id: i64, source: &str) -> Result<Option<String>> {
        Ok(self
            .db()
            .query_opt(
                "SELECT provenance FROM transcripts WHERE episode_id = ?1 AND source = ?2",
                p![episode_id, source],
                |r| r.get::<Option<String>>(0),
            )?
            .flatten())
    }

    /// The episode that the transcript from `source` imported from the
    /// file at `path` (as the import recorded it: canonical) belongs to.
    pub fn episode_of_transcript_file(&self, path: &str, source: &str) -> Result<Option<i64>> {
        self.db().query_opt(
            "SELECT t.episode_id FROM transcripts t JOIN files f ON f.id = t.file_id
             WHERE f.path = ?1 AND t.source = ?2",
            p![path, source],
            |r| r.get(0),
        )
    }
}
