//! Reading the corpus back: episode lists, one episode in full, and naming an
//! episode the way a user does (`lexicap/5`, `5`, or a video id).

use crate::{Result, Store, StoreError};
use podcorpus_core::source_rank;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

/// One line of `list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EpisodeRow {
    /// Internal id (stable within one database).
    #[serde(skip)]
    pub id: i64,
    /// Collection name.
    pub collection: String,
    /// Number within the collection.
    pub number: i64,
    /// YouTube video id.
    pub video_id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Guests.
    pub guests: Vec<String>,
    /// ISO date.
    pub published: Option<String>,
    /// Address of the video.
    pub url: Option<String>,
    /// Transcript sources, best first.
    pub sources: Vec<String>,
    /// Words in the best source's transcript.
    pub words: i64,
}

/// A chapter as `show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterRow {
    /// Title.
    pub title: String,
    /// Start in the video, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<i64>,
    /// Position in the transcript text, for chapters from notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_pos: Option<i64>,
}

/// One transcript as `show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptRow {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Source name.
    pub source: String,
    /// Language.
    pub language: Option<String>,
    /// Word count.
    pub words: i64,
    /// Segment count.
    pub segments: i64,
    /// The text, segments joined by one space (only when asked for).
    pub text: Option<String>,
}

/// One summary with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    /// `imported`, `extractive` or `llm`.
    pub kind: String,
    /// How it was made (the import format, the algorithm).
    pub method: Option<String>,
    /// The model, for LLM summaries.
    pub model: Option<String>,
    /// When it was stored.
    pub created: String,
    /// The text.
    pub text: String,
}

/// Everything about one episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EpisodeDetail {
    /// The list fields.
    #[serde(flatten)]
    pub row: EpisodeRow,
    /// Length in milliseconds.
    pub duration_ms: Option<i64>,
    /// Description.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Chapters in order.
    pub chapters: Vec<ChapterRow>,
    /// Transcripts, best source first.
    pub transcripts: Vec<TranscriptRow>,
    /// Summaries in the order stored.
    pub summaries: Vec<SummaryRow>,
}

/// Which episodes `list` shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this collection.
    pub collection: Option<String>,
}

const EPISODE_COLUMNS: &str = "e.id, c.name, e.number, e.video_id, e.title, e.guests, e.published, e.url,
     (SELECT group_concat(source || char(31) || words, char(30)) FROM transcripts t WHERE t.episode_id = e.id)";

fn episode_row(r: &Row<'_>) -> rusqlite::Result<EpisodeRow> {
    let guests: String = r.get(5)?;
    let sources: Option<String> = r.get(8)?;
    let mut pairs: Vec<(String, i64)> = sources
        .as_deref()
        .unwrap_or("")
        .split('\u{1e}')
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            let (name, words) = s.split_once('\u{1f}')?;
            Some((name.to_string(), words.parse().unwrap_or(0)))
        })
        .collect();
    pairs.sort_by(|a, b| {
        source_rank(&a.0)
            .cmp(&source_rank(&b.0))
            .then(a.0.cmp(&b.0))
    });
    Ok(EpisodeRow {
        id: r.get(0)?,
        collection: r.get(1)?,
        number: r.get(2)?,
        video_id: r.get(3)?,
        title: r.get(4)?,
        guests: serde_json::from_str(&guests).unwrap_or_default(),
        published: r.get(6)?,
        url: r.get(7)?,
        words: pairs.first().map_or(0, |p| p.1),
        sources: pairs.into_iter().map(|p| p.0).collect(),
    })
}

impl Store {
    /// Episodes ordered by collection and number.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<EpisodeRow>> {
        let sql = format!(
            "SELECT {EPISODE_COLUMNS} FROM episodes e JOIN collections c ON c.id = e.collection_id
             WHERE (?1 IS NULL OR c.name = ?1) ORDER BY c.name, e.number"
        );
        let mut st = self.conn().prepare(&sql)?;
        let rows = st.query_map([&filter.collection], episode_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Number of episodes stored.
    pub fn episode_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM episodes", [], |r| r.get(0))?)
    }

    /// Finds the episode a user named: `COLLECTION/NUMBER`, a bare number when
    /// only one collection has it, or a YouTube video id.
    pub fn resolve(&self, name: &str) -> Result<EpisodeRow> {
        let base = format!(
            "SELECT {EPISODE_COLUMNS} FROM episodes e JOIN collections c ON c.id = e.collection_id"
        );
        let conn = self.conn();
        if let Some((coll, num)) = name.rsplit_once('/') {
            if let Ok(n) = num.parse::<i64>() {
                let found = conn
                    .prepare(&format!("{base} WHERE c.name = ?1 AND e.number = ?2"))?
                    .query_row(params![coll, n], episode_row)
                    .optional()?;
                return found.ok_or_else(|| {
                    StoreError::NotFound(format!(
                        "no episode {n} in collection {coll:?}; `podcorpus list` shows what is there"
                    ))
                });
            }
        }
        let mut candidates: Vec<EpisodeRow> = if let Ok(n) = name.parse::<i64>() {
            let mut st = conn.prepare(&format!("{base} WHERE e.number = ?1 ORDER BY c.name"))?;
            let rows = st.query_map([n], episode_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        } else {
            let mut st = conn.prepare(&format!("{base} WHERE e.video_id = ?1 ORDER BY c.name"))?;
            let rows = st.query_map([name], episode_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        match candidates.len() {
            0 => Err(StoreError::NotFound(format!(
                "no episode named {name:?}; name one as COLLECTION/NUMBER, NUMBER or a video id (`podcorpus list` shows them)"
            ))),
            1 => Ok(candidates.remove(0)),
            _ => {
                let names: Vec<String> =
                    candidates.iter().map(|c| format!("{}/{}", c.collection, c.number)).collect();
                Err(StoreError::NotFound(format!(
                    "{name:?} is ambiguous: it could be {}; name it as COLLECTION/NUMBER",
                    names.join(", ")
                )))
            }
        }
    }

    /// One episode in full; with `text`, each transcript's text too.
    pub fn show(&self, name: &str, text: bool) -> Result<EpisodeDetail> {
        let row = self.resolve(name)?;
        let conn = self.conn();
        let (duration_ms, description, tags): (Option<i64>, Option<String>, String) = conn
            .query_row(
                "SELECT duration_ms, description, tags FROM episodes WHERE id = ?1",
                [row.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
        let mut st = conn.prepare(
            "SELECT title, start_ms, text_pos FROM chapters WHERE episode_id = ?1 ORDER BY idx",
        )?;
        let chapters = st
            .query_map([row.id], |r| {
                Ok(ChapterRow {
                    title: r.get(0)?,
                    start_ms: r.get(1)?,
                    text_pos: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = conn.prepare(
            "SELECT id, source, language, words, segments FROM transcripts WHERE episode_id = ?1",
        )?;
        let mut transcripts = st
            .query_map([row.id], |r| {
                Ok(TranscriptRow {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    language: r.get(2)?,
                    words: r.get(3)?,
                    segments: r.get(4)?,
                    text: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        transcripts.sort_by(|a, b| {
            source_rank(&a.source)
                .cmp(&source_rank(&b.source))
                .then(a.source.cmp(&b.source))
        });
        if text {
            for t in &mut transcripts {
                t.text = Some(self.transcript_text(t.id)?);
            }
        }
        let mut st = conn.prepare(
            "SELECT kind, method, model, created, text FROM summaries WHERE episode_id = ?1 ORDER BY id",
        )?;
        let summaries = st
            .query_map([row.id], |r| {
                Ok(SummaryRow {
                    kind: r.get(0)?,
                    method: r.get(1)?,
                    model: r.get(2)?,
                    created: r.get(3)?,
                    text: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(EpisodeDetail {
            row,
            duration_ms,
            description,
            tags: serde_json::from_str(&tags)
                .map_err(|e| StoreError::Corrupt(format!("episode tags: {e}")))?,
            chapters,
            transcripts,
            summaries,
        })
    }

    /// A transcript's segment texts joined by one space (empty ones skipped).
    pub fn transcript_text(&self, transcript_id: i64) -> Result<String> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT text FROM segments WHERE transcript_id = ?1 ORDER BY idx")?;
        let mut rows = st.query([transcript_id])?;
        let mut out = String::new();
        while let Some(r) = rows.next()? {
            let t: &str = r
                .get_ref(0)?
                .as_str()
                .map_err(|e| StoreError::Corrupt(format!("segment text: {e}")))?;
            if t.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(t);
        }
        Ok(out)
    }
}
