//! Summaries made by podcorpus (extractive, LLM) stored with their
//! provenance, read back by kind, and the cache of language-model answers.

use crate::sql::Conn;
use crate::{p, Result, Store, StoreError};
use podcorpus_core::{Chapter, Subject};
use serde::Serialize;
use serde_json::Value;

/// A summary to store, with how it was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewSummary {
    /// `extractive` or `llm` (`imported` ones come from import).
    pub kind: String,
    /// What it summarizes.
    pub subject: Subject,
    /// The text.
    pub text: String,
    /// The algorithm (`lexrank-mmr`, `map-reduce`, ...).
    pub method: Option<String>,
    /// The model, for LLM summaries.
    pub model: Option<String>,
    /// The parameters, as JSON.
    pub params: Option<Value>,
    /// Hash of the prompt, for LLM summaries.
    pub prompt_hash: Option<String>,
    /// Token usage, as JSON.
    pub usage: Option<Value>,
}

/// A stored summary with all its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSummary {
    /// Row id.
    pub id: i64,
    /// Episode id.
    #[serde(skip)]
    pub episode_id: i64,
    /// The summary and how it was made.
    #[serde(flatten)]
    pub summary: NewSummary,
    /// When it was stored (UTC).
    pub created: String,
}

/// An answer found in the language-model cache.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedAnswer {
    /// The answer text.
    pub response: String,
    /// The token usage of the original request, as JSON.
    pub usage: Option<Value>,
}

fn json_column(v: Option<String>, what: &str) -> Result<Option<Value>> {
    v.map(|s| {
        serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("summary {what}: {e}")))
    })
    .transpose()
}

/// A stored subject; the schema's CHECK allows no other values.
pub(crate) fn subject_column(name: String) -> Result<Subject> {
    Subject::parse(&name).ok_or_else(|| StoreError::Corrupt(format!("summary subject {name:?}")))
}

/// An open transaction of [`Store::atomically`]; rolled back when dropped
/// before it commits (an error, or a panic, on the way).
struct Transaction<'a> {
    db: &'a dyn Conn,
    open: bool,
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing to do if this fails too: the error that got us here is the one to report.
            let _ = self.db.batch("ROLLBACK");
        }
    }
}

impl Store {
    /// Runs `f` in one transaction: all of its writes or, when it fails, none.
    pub(crate) fn atomically<T>(&self, f: impl FnOnce(&dyn Conn) -> Result<T>) -> Result<T> {
        let db = self.db();
        db.batch("BEGIN")?;
        let mut tx = Transaction { db, open: true };
        let out = f(db)?;
        // A COMMIT that fails leaves the transaction to the guard's ROLLBACK.
        db.batch("COMMIT")?;
        tx.open = false;
        Ok(out)
    }

    /// Stores summaries, all or none (one transaction). A summary replaces
    /// an earlier one of the same episode made the same way (kind, method,
    /// model, parameters, prompt), so re-running a command does not pile up copies.
    pub fn save_summaries(&self, items: &[(i64, NewSummary)]) -> Result<Vec<i64>> {
        self.atomically(|db| {
            let mut ids = Vec::with_capacity(items.len());
            for (episode_id, s) in items {
                let params_json = s.params.as_ref().map(Value::to_string);
                let usage_json = s.usage.as_ref().map(Value::to_string);
                db.execute(
                    "DELETE FROM summaries WHERE episode_id = ?1 AND kind = ?2 AND file_id IS NULL
                       AND method IS NOT DISTINCT FROM ?3 AND model IS NOT DISTINCT FROM ?4
                       AND params IS NOT DISTINCT FROM ?5 AND prompt_hash IS NOT DISTINCT FROM ?6
                       AND subject = ?7",
                    p![
                        *episode_id,
                        &s.kind,
                        s.method.as_deref(),
                        s.model.as_deref(),
                        params_json.as_deref(),
                        s.prompt_hash.as_deref(),
                        s.subject.as_str()
                    ],
                )?;
                ids.push(db.one::<i64>(
                    "INSERT INTO summaries (episode_id, kind, subject, text, method, model, params, prompt_hash, usage, created)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, podcorpus_now())
                     RETURNING id",
                    p![
                        *episode_id,
                        &s.kind,
                        s.subject.as_str(),
                        &s.text,
                        s.method.as_deref(),
                        s.model.as_deref(),
                        params_json.as_deref(),
                        s.prompt_hash.as_deref(),
                        usage_json.as_deref()
                    ],
                )?);
            }
            Ok(ids)
        })
    }

    /// An episode's summaries in the order stored, only those of `kind` when given.
    pub fn summaries(&self, episode_id: i64, kind: Option<&str>) -> Result<Vec<StoredSummary>> {
        self.db().query_map(
            "SELECT id, episode_id, kind, text, method, model, params, prompt_hash, usage, created, subject
             FROM summaries WHERE episode_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR kind = ?2) ORDER BY id",
            p![episode_id, kind],
            |r| {
                Ok(StoredSummary {
                    id: r.get(0)?,
                    episode_id: r.get(1)?,
                    summary: NewSummary {
                        kind: r.get(2)?,
                        subject: subject_column(r.get(10)?)?,
                        text: r.get(3)?,
                        method: r.get(4)?,
                        model: r.get(5)?,
                        params: json_column(r.get(6)?, "parameters")?,
                        prompt_hash: r.get(7)?,
                        usage: json_column(r.get(8)?, "usage")?,
                    },
                    created: r.get(9)?,
                })
            },
        )
    }

    /// Ids of the episodes that have a summary of both kinds about
    /// `subject`, in collection and number order, with their
    /// `COLLECTION/NUMBER` names.
    pub fn episodes_with_summaries(
        &self,
        a: &str,
        b: &str,
        subject: Subject,
    ) -> Result<Vec<(i64, String)>> {
        self.db().query_map(
            "SELECT e.id, c.name || '/' || e.number FROM episodes e
             JOIN collections c ON c.id = e.collection_id
             WHERE EXISTS (SELECT 1 FROM summaries s WHERE s.episode_id = e.id AND s.kind = ?1 AND s.subject = ?3)
               AND EXISTS (SELECT 1 FROM summaries s WHERE s.episode_id = e.id AND s.kind = ?2 AND s.subject = ?3)
             ORDER BY c.name, e.number",
            p![a, b, subject.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// An episode's chapters in order (the best origin it has).
    pub fn chapters(&self, episode_id: i64) -> Result<Vec<Chapter>> {
        self.chapters_preferring(episode_id, None)
    }

    /// An episode's chapters of origin `prefer` (`text`: those pasted into a
    /// notes transcript) when it has them, else of the best origin it has.
    pub fn chapters_preferring(
        &self,
        episode_id: i64,
        prefer: Option<&str>,
    ) -> Result<Vec<Chapter>> {
        self.db()
            .query_map(crate::query::CHAPTERS, p![episode_id, prefer], |r| {
                Ok(Chapter {
                    title: r.get(0)?,
                    start_ms: r.get::<Option<i64>>(1)?.map(|v| v.max(0) as u64),
                    text_pos: r.get::<Option<i64>>(2)?.map(|v| v.max(0) as u64),
                })
            })
    }

    /// The cached answer to the request with this key, if any.
    pub fn llm_cache_get(&self, key: &str) -> Result<Option<CachedAnswer>> {
        let found: Option<(String, Option<String>)> = self.db().query_opt(
            "SELECT response, usage FROM llm_cache WHERE key = ?1",
            p![key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        found
            .map(|(response, usage)| {
                Ok(CachedAnswer {
                    response,
                    usage: json_column(usage, "cached usage")?,
                })
            })
            .transpose()
    }

    /// Remembers the answer to the request with this key.
    pub fn llm_cache_put(
        &self,
        key: &str,
        model: &str,
        response: &str,
        usage: Option<&Value>,
    ) -> Result<()> {
        let usage = usage.map(Value::to_string);
        self.db().execute(
            "INSERT INTO llm_cache (key, model, response, usage, created)
             VALUES (?1, ?2, ?3, ?4, podcorpus_now())
             ON CONFLICT (key) DO UPDATE SET model = excluded.model, response = excluded.response,
                usage = excluded.usage, created = excluded.created",
            p![key, model, response, usage.as_deref()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{CollectionSpec, FileRecord};
    use podcorpus_core::Collect;
    use podcorpus_formats::{Context, Format};

    fn summary(kind: &str, text: &str, model: Option<&str>) -> NewSummary {
        NewSummary {
            kind: kind.into(),
            subject: Subject::Episode,
            text: text.into(),
            method: Some("m".into()),
            model: model.map(Into::into),
            params: Some(serde_json::json!({"points": 3})),
            prompt_hash: None,
            usage: Some(serde_json::json!({"total_tokens": 7})),
        }
    }

    #[test]
    fn summaries_round_trip_and_replace_the_same_kind_of_run() {
        let notes = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/lex-fridman-notes.txt"
        );
        let store = Store::open_in_memory().expect("open");
        let mut content = Collect::default();
        let text = std::fs::read_to_string(notes).expect("notes");
        Format::Notes
            .read(&Context::default(), &text, &mut content)
            .expect("read");
        let file = FileRecord {
            path: notes.into(),
            hash: "h".into(),
            format: "notes".into(),
            word_counts: Vec::new(),
        };
        let collection = CollectionSpec {
            name: "lex-fridman-notes".into(),
            kind: "notes".into(),
            url: None,
        };
        store
            .write_file(&file, &collection, &content)
            .expect("write");
        let ep = store.resolve("lex-fridman-notes/1").expect("slot 1").id;
        assert_eq!(
            store.summaries(ep, Some("imported")).expect("read").len(),
            1
        );
        store
            .save_summaries(&[(ep, summary("llm", "first", Some("m1")))])
            .expect("save");
        store
            .save_summaries(&[
                (ep, summary("llm", "second", Some("m1"))),
                (ep, summary("llm", "other model", Some("m2"))),
            ])
            .expect("save");
        let llm = store.summaries(ep, Some("llm")).expect("read");
        let texts: Vec<&str> = llm.iter().map(|s| s.summary.text.as_str()).collect();
        assert_eq!(texts, vec!["second", "other model"]);
        assert_eq!(
            llm[0].summary.params,
            Some(serde_json::json!({"points": 3}))
        );
        assert_eq!(
            llm[0].summary.usage,
            Some(serde_json::json!({"total_tokens": 7}))
        );
        assert!(llm[0].created.ends_with('Z'));
        // The imported summary is untouched and both kinds are found together.
        assert_eq!(store.summaries(ep, None).expect("read").len(), 3);
        let both = store
            .episodes_with_summaries("imported", "llm", Subject::Episode)
            .expect("both");
        assert_eq!(both, vec![(ep, "lex-fridman-notes/1".to_string())]);
        // Of the comments, it has neither.
        let of_comments = store
            .episodes_with_summaries("imported", "llm", Subject::Comments)
            .expect("none");
        assert!(of_comments.is_empty());
        assert_eq!(
            store.chapters(ep).expect("chapters")[1].title,
            "Journey to becoming a generalist"
        );
    }

    #[test]
    fn cache_answers_what_was_put() {
        let store = Store::open_in_memory().expect("open");
        assert_eq!(store.llm_cache_get("k").expect("get"), None);
        let usage = serde_json::json!({"prompt_tokens": 3});
        store
            .llm_cache_put("k", "m", "answer", Some(&usage))
            .expect("put");
        let got = store.llm_cache_get("k").expect("get").expect("cached");
        assert_eq!(got.response, "answer");
        assert_eq!(got.usage, Some(usage));
    }
}
