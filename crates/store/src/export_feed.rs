//! Reads for exports: which episodes a selection names (a small list of ids),
//! then each episode in full — metadata, chapters, summaries and the chosen
//! transcript's segments — one at a time, so an export of the whole corpus
//! holds one episode in memory, never the corpus.

use crate::{p, Result, Store, StoreError};
use podcorpus_core::{source_rank, Chapter, Comment, EpisodeMeta, EpisodeName, Segment};
use serde::Serialize;
use std::sync::LazyLock;

/// Which episodes an export takes, and which of their transcripts.
#[derive(Debug, Clone, Default)]
pub struct ExportSelection {
    /// Only this collection.
    pub collection: Option<String>,
    /// This transcript source; episodes without it are left out. `None`: the
    /// best source of each episode ([`podcorpus_core::source_rank`]), and
    /// episodes without any transcript are kept (a notes slot may hold only
    /// a summary).
    pub source: Option<String>,
    /// Only episodes published on or after this ISO date.
    pub since: Option<String>,
    /// Only episodes published on or before this ISO date.
    pub until: Option<String>,
    /// Only these episodes (internal ids, from [`Store::resolve`]).
    pub episode_ids: Option<Vec<i64>>,
    /// With no `source`: take this source where an episode has it, else the
    /// best (the notes layout takes the pasted transcript and its chapters).
    pub prefer_source: Option<String>,
}

/// One selected episode, before its contents are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportItem {
    /// Internal episode id.
    pub episode_id: i64,
    /// Collection name.
    pub collection: String,
    /// Number within the collection.
    pub number: i64,
    /// The chosen transcript: (id, source).
    pub transcript: Option<(i64, String)>,
    /// Whether the chapters pasted into a notes transcript come first.
    pub prefer_text_chapters: bool,
}

/// A summary as exports write it: the text and how it was made (the creation
/// time is left out so that two exports of the same corpus are identical).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// `imported`, `extractive` or `llm`.
    pub kind: String,
    /// What it summarizes: `episode` or `comments`.
    pub subject: podcorpus_core::Subject,
    /// How it was made (the import format, the algorithm).
    pub method: Option<String>,
    /// The model, for LLM summaries.
    pub model: Option<String>,
    /// The text.
    pub text: String,
}

/// The chosen transcript of an episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportTranscript {
    /// Source name.
    pub source: String,
    /// Language, when known.
    pub language: Option<String>,
    /// Word count as stored.
    pub words: i64,
    /// Segments in order.
    pub segments: Vec<Segment>,
}

/// One episode with everything an export writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportEpisode {
    /// Collection name.
    pub collection: String,
    /// Number within the collection.
    pub number: i64,
    /// Every collection the episode is in, with its number there.
    pub collections: Vec<EpisodeName>,
    /// Metadata (its `number` is the same as [`ExportEpisode::number`]).
    pub meta: EpisodeMeta,
    /// Chapters in order.
    pub chapters: Vec<Chapter>,
    /// Summaries in the order stored.
    pub summaries: Vec<ExportSummary>,
    /// Viewers' comments and replies, in the order they were fetched
    /// (yt-dlp's: each thread's comment, then its replies).
    pub comments: Vec<Comment>,
    /// The chosen transcript, if the episode has one.
    pub transcript: Option<ExportTranscript>,
}

/// A collection's name, kind and address (for dataset cards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionInfo {
    /// Name.
    pub name: String,
    /// `notes`, `folder`, `channel` or `file`.
    pub kind: String,
    /// Address, when known.
    pub url: Option<String>,
}

/// A stored notes document, for writing the collection back in its layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// Number of slots the document had.
    pub slots: u32,
    /// The document as imported.
    pub raw: String,
}

fn json_list(s: &str, what: &str) -> Result<Vec<String>> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("episode {what}: {e}")))
}

/// The query of [`Store::export_items`]: `?1` the collection (NULL: each
/// episode under its home one), `?2` and `?3` the date range.
static EXPORT_ITEMS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT e.id, c.name, m.number,
                (SELECT group_concat(t.id || char(31) || t.source, char(30))
                   FROM transcripts t WHERE t.episode_id = e.id)
         FROM {}
         WHERE {}
           AND (CAST(?2 AS TEXT) IS NULL OR e.published >= ?2) AND (CAST(?3 AS TEXT) IS NULL OR e.published <= ?3)
         ORDER BY c.name, m.number",
        crate::query::NAMED_EPISODES,
        crate::query::in_collection(1)
    )
});

impl Store {
    /// The episodes a selection names, by collection and number (oldest
    /// first), each with its chosen transcript.
    pub fn export_items(&self, sel: &ExportSelection) -> Result<Vec<ExportItem>> {
        let rows = self.db().query_map(
            &EXPORT_ITEMS,
            p![
                sel.collection.as_deref(),
                sel.since.as_deref(),
                sel.until.as_deref()
            ],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<i64>(2)?,
                    r.get::<Option<String>>(3)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for (episode_id, collection, number, sources) in rows {
            if let Some(ids) = &sel.episode_ids {
                if !ids.contains(&episode_id) {
                    continue;
                }
            }
            // The concatenation's order is the engine's: sort by rank (sources
            // are unique per episode, so the order is total).
            let mut candidates: Vec<(i64, String)> = sources
                .as_deref()
                .unwrap_or("")
                .split('\u{1e}')
                .filter_map(|s| {
                    let (id, source) = s.split_once('\u{1f}')?;
                    Some((id.parse().ok()?, source.to_string()))
                })
                .collect();
            candidates.sort_by(|a, b| {
                source_rank(&a.1)
                    .cmp(&source_rank(&b.1))
                    .then(a.1.cmp(&b.1))
            });
            let transcript = match &sel.source {
                Some(want) => match candidates.into_iter().find(|c| &c.1 == want) {
                    Some(t) => Some(t),
                    None => continue,
                },
                None => match &sel.prefer_source {
                    Some(p) if candidates.iter().any(|c| &c.1 == p) => {
                        candidates.into_iter().find(|c| &c.1 == p)
                    }
                    _ => candidates.into_iter().next(),
                },
            };
            out.push(ExportItem {
                prefer_text_chapters: sel.prefer_source.as_deref() == Some("notes"),
                episode_id,
                collection,
                number,
                transcript,
            });
        }
        Ok(out)
    }

    /// Reads one selected episode in full, its transcript's segments included.
    pub fn export_episode(&self, item: &ExportItem) -> Result<ExportEpisode> {
        let db = self.db();
        let meta = db.query_row(
            "SELECT video_id, title, guests, published, url, duration_ms, description, tags
             FROM episodes WHERE id = ?1",
            p![item.episode_id],
            |r| {
                Ok((
                    r.get::<Option<String>>(0)?,
                    r.get::<Option<String>>(1)?,
                    r.get::<String>(2)?,
                    r.get::<Option<String>>(3)?,
                    r.get::<Option<String>>(4)?,
                    r.get::<Option<i64>>(5)?,
                    r.get::<Option<String>>(6)?,
                    r.get::<String>(7)?,
                ))
            },
        )?;
        let (video_id, title, guests, published, url, duration_ms, description, tags) = meta;
        let meta = EpisodeMeta {
            number: u32::try_from(item.number).ok(),
            video_id,
            title,
            guests: json_list(&guests, "guests")?,
            published,
            url,
            duration_ms: duration_ms.and_then(|d| u64::try_from(d).ok()),
            description,
            tags: json_list(&tags, "tags")?,
            channel: None,
            channel_url: None,
        };
        // A pasted transcript goes with the chapters pasted into it.
        let prefer = (item.prefer_text_chapters
            || item.transcript.as_ref().is_some_and(|(_, s)| s == "notes"))
        .then_some("text");
        let chapters = self.chapters_preferring(item.episode_id, prefer)?;
        let summaries = db.query_map(
            "SELECT kind, method, model, text, subject FROM summaries WHERE episode_id = ?1 ORDER BY id",
            p![item.episode_id],
            |r| {
                Ok(ExportSummary {
                    kind: r.get(0)?,
                    subject: crate::summaries::subject_column(r.get(4)?)?,
                    method: r.get(1)?,
                    model: r.get(2)?,
                    text: r.get(3)?,
                })
            },
        )?;
        let transcript = match &item.transcript {
            None => None,
            Some((id, source)) => {
                let (language, words): (Option<String>, i64) = db.query_row(
                    "SELECT language, words FROM transcripts WHERE id = ?1",
                    p![*id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                Some(ExportTranscript {
                    source: source.clone(),
                    language,
                    words,
                    segments: self.segments(*id)?,
                })
            }
        };
        let collections = self.memberships(item.episode_id)?;
        let comments = self.comments(item.episode_id, false)?;
        Ok(ExportEpisode {
            collections,
            collection: item.collection.clone(),
            number: item.number,
            meta,
            chapters,
            summaries,
            comments,
            transcript,
        })
    }

    /// The collections an episode is in, with its numbers there, by name.
    pub fn memberships(&self, episode_id: i64) -> Result<Vec<EpisodeName>> {
        self.db().query_map(
            "SELECT c.name, m.number FROM memberships m JOIN collections c ON c.id = m.collection_id
             WHERE m.episode_id = ?1 ORDER BY c.name",
            p![episode_id],
            |r| Ok(EpisodeName::new(r.get::<String>(0)?, r.get(1)?)),
        )
    }

    /// The collections, by name.
    pub fn collections(&self) -> Result<Vec<CollectionInfo>> {
        self.db().query_map(
            "SELECT name, kind, url FROM collections ORDER BY name",
            p![],
            |r| {
                Ok(CollectionInfo {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    url: r.get(2)?,
                })
            },
        )
    }

    /// The notes document last imported into a collection, if any.
    pub fn notes_document(&self, collection: &str) -> Result<Option<StoredDocument>> {
        self.db().query_opt(
            "SELECT d.slots, d.raw FROM documents d JOIN collections c ON c.id = d.collection_id
             WHERE c.name = ?1 AND d.format = 'notes' ORDER BY d.file_id DESC LIMIT 1",
            p![collection],
            |r| {
                Ok(StoredDocument {
                    slots: u32::try_from(r.get::<i64>(0)?).unwrap_or(0),
                    raw: r.get(1)?,
                })
            },
        )
    }
}
