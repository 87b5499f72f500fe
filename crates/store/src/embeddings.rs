//! Stored passage embeddings for semantic search: vectors keyed by model and
//! passage-text hash (so unchanged text is embedded once), and per transcript
//! the list of its passages with the fingerprint it had when they were cut.

use crate::{p, Result, Store, StoreError};
use std::collections::{HashMap, HashSet};

/// One passage of an embedded transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassageKey {
    /// Position of the passage in its transcript, from 0.
    pub ordinal: i64,
    /// Hash of the text embedded.
    pub hash: String,
    /// Start of the passage, when timed.
    pub start_ms: Option<u64>,
}

/// A stored passage with its vector, as read for searching.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedPassage {
    /// The transcript.
    pub transcript_id: i64,
    /// Position of the passage in its transcript.
    pub ordinal: i64,
    /// Start of the passage, when timed.
    pub start_ms: Option<u64>,
    /// The vector.
    pub vector: Vec<f32>,
}

fn to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn from_blob(b: &[u8]) -> Result<Vec<f32>> {
    if !b.len().is_multiple_of(4) {
        return Err(StoreError::Corrupt(format!(
            "an embedding of {} bytes (not a whole number of f32)",
            b.len()
        )));
    }
    Ok(b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

impl Store {
    /// The fingerprint each embedded transcript had when its passages were cut.
    pub fn embedded_fingerprints(&self, model: &str) -> Result<HashMap<i64, String>> {
        let mut out = HashMap::new();
        self.db().each(
            "SELECT transcript_id, fingerprint FROM embedded_transcripts WHERE model = ?1",
            p![model],
            &mut |r| {
                out.insert(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Hashes of every text embedded with the model.
    pub fn embedding_hashes(&self, model: &str) -> Result<HashSet<String>> {
        let mut out = HashSet::new();
        self.db().each(
            "SELECT hash FROM embeddings WHERE model = ?1",
            p![model],
            &mut |r| {
                out.insert(r.get(0)?);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Stores vectors by text hash (one transaction; existing ones are kept).
    pub fn save_embeddings(&self, model: &str, vectors: &[(String, Vec<f32>)]) -> Result<()> {
        self.atomically(|db| {
            for (hash, v) in vectors {
                db.execute(
                    "INSERT INTO embeddings (model, hash, vector) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                    p![model, hash, &to_blob(v)],
                )?;
            }
            Ok(())
        })
    }

    /// Replaces the passage list of a transcript, with its fingerprint.
    pub fn save_passages(
        &self,
        model: &str,
        transcript_id: i64,
        fingerprint: &str,
        passages: &[PassageKey],
    ) -> Result<()> {
        self.atomically(|db| {
            db.execute(
                "DELETE FROM embedded_passages WHERE model = ?1 AND transcript_id = ?2",
                p![model, transcript_id],
            )?;
            for k in passages {
                db.execute(
                    "INSERT INTO embedded_passages (model, transcript_id, ordinal, hash, start_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    p![
                        model,
                        transcript_id,
                        k.ordinal,
                        &k.hash,
                        k.start_ms.map(|v| v as i64)
                    ],
                )?;
            }
            db.execute(
                "INSERT INTO embedded_transcripts (model, transcript_id, fingerprint)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (model, transcript_id) DO UPDATE SET fingerprint = excluded.fingerprint",
                p![model, transcript_id, fingerprint],
            )?;
            Ok(())
        })
    }

    /// Every embedded passage of the model whose vector is stored, in
    /// transcript and passage order.
    pub fn embedded_passages(&self, model: &str) -> Result<Vec<EmbeddedPassage>> {
        self.db().query_map(
            "SELECT p.transcript_id, p.ordinal, p.start_ms, e.vector
             FROM embedded_passages p JOIN embeddings e ON e.model = p.model AND e.hash = p.hash
             WHERE p.model = ?1 ORDER BY p.transcript_id, p.ordinal",
            p![model],
            |r| {
                // The vector is decoded from the row's bytes, not copied first.
                let blob = r
                    .blob(3)?
                    .ok_or_else(|| StoreError::Corrupt("an embedding vector is NULL".into()))?;
                Ok(EmbeddedPassage {
                    transcript_id: r.get(0)?,
                    ordinal: r.get(1)?,
                    start_ms: r.get::<Option<i64>>(2)?.map(|v| v as u64),
                    vector: from_blob(blob)?,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_round_trip_and_passages_are_replaced() {
        let store = Store::open_in_memory().unwrap();
        let model = "m";
        store
            .save_embeddings(
                model,
                &[
                    ("h1".into(), vec![0.5, -1.25]),
                    ("h2".into(), vec![1.0, 2.0]),
                ],
            )
            .unwrap();
        assert_eq!(
            store.embedding_hashes(model).unwrap(),
            HashSet::from(["h1".to_string(), "h2".to_string()])
        );
        assert!(store.embedding_hashes("other").unwrap().is_empty());
        // A passage needs a transcript row (foreign key): make one.
        store
            .db()
            .batch(
                "INSERT INTO collections (id, name, kind) VALUES (1, 'c', 'folder');
                 INSERT INTO episodes (id, collection_id, number) VALUES (1, 1, 1);
                 INSERT INTO transcripts (id, episode_id, source, words, segments) VALUES (7, 1, 's', 0, 0);",
            )
            .unwrap();
        let key = |o: i64, h: &str| PassageKey {
            ordinal: o,
            hash: h.into(),
            start_ms: Some(o as u64 * 1000),
        };
        store
            .save_passages(model, 7, "fp1", &[key(0, "h1"), key(1, "h9")])
            .unwrap();
        store
            .save_passages(model, 7, "fp2", &[key(0, "h2"), key(1, "h1")])
            .unwrap();
        assert_eq!(store.embedded_fingerprints(model).unwrap()[&7], "fp2");
        let got = store.embedded_passages(model).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].ordinal, got[0].vector.clone()), (0, vec![1.0, 2.0]));
        assert_eq!(
            (got[1].start_ms, got[1].vector.clone()),
            (Some(1000), vec![0.5, -1.25])
        );
        // Deleting the transcript takes its passages with it.
        store
            .db()
            .execute("DELETE FROM transcripts WHERE id = 7", p![])
            .unwrap();
        assert!(store.embedded_passages(model).unwrap().is_empty());
        assert!(store.embedded_fingerprints(model).unwrap().is_empty());
    }

    #[test]
    fn a_truncated_vector_is_reported() {
        assert!(from_blob(&[0, 0, 0]).is_err());
        assert_eq!(from_blob(&to_blob(&[3.5])).unwrap(), vec![3.5]);
    }
}
