//! Keeping the stored embeddings current with the corpus, and loading them
//! for search. A transcript is re-cut only when its fingerprint changed; a
//! passage is embedded only when no vector of its text is stored yet (a
//! re-imported file with mostly the same text costs only its new passages).

use crate::embed::Embedder;
use crate::model::MODEL_NAME;
use crate::Result;
use podcorpus_search::passages::{self, Passage};
use podcorpus_store::embeddings::PassageKey;
use podcorpus_store::query::{TranscriptFilter, TranscriptRef};
use podcorpus_store::seams::EmbeddingStore;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Changes whenever the way passages are cut or what is embedded of them
/// changes, so that every transcript is re-cut then.
const CUT_VERSION: &str = "own-text:100w:60s";

/// Texts embedded and saved together: a progress step, and what an
/// interrupted run loses at most.
const SAVE_EVERY: usize = 256;

/// Which transcripts `embed` covers.
#[derive(Debug, Clone, Default)]
pub struct UpdateOptions {
    /// Only this collection.
    pub collection: Option<String>,
    /// Only this source.
    pub source: Option<String>,
    /// Every source of each episode, not only the best one.
    pub all_sources: bool,
}

/// What an update did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateReport {
    /// Transcripts in scope.
    pub transcripts: u64,
    /// Transcripts (re)cut into passages.
    pub cut: u64,
    /// Passages of the transcripts (re)cut.
    pub passages: u64,
    /// Passages embedded now (the others were stored already).
    pub embedded: u64,
    /// Seconds spent embedding.
    pub seconds: f64,
}

/// The text of a passage that is embedded: its own words, without the
/// neighbours' context that the keyword index carries.
pub fn embedded_text(p: &Passage) -> &str {
    p.own()
}

/// Hash under which a passage text's vector is stored.
pub fn text_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

/// The fingerprint of a transcript's passages.
fn fingerprint(content: &str) -> String {
    format!("{CUT_VERSION}:{content}")
}

/// Brings the stored embeddings of the transcripts in scope up to date.
/// `progress(done, total)` is called as passages are embedded.
pub fn update(
    store: &dyn EmbeddingStore,
    embedder: &Embedder,
    opts: &UpdateOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<UpdateReport> {
    let transcripts = store.transcripts(&TranscriptFilter {
        collection: opts.collection.clone(),
        source: opts.source.clone(),
        all_sources: opts.all_sources,
        ..TranscriptFilter::default()
    })?;
    let content = store.transcript_fingerprints()?;
    let done = store.embedded_fingerprints(MODEL_NAME)?;
    let mut known = store.embedding_hashes(MODEL_NAME)?;
    let mut report = UpdateReport {
        transcripts: transcripts.len() as u64,
        ..UpdateReport::default()
    };
    // Cut every stale transcript first, to know how much there is to embed.
    let mut stale: Vec<(i64, String, Vec<PassageKey>)> = Vec::new();
    let mut todo: Vec<(String, String)> = Vec::new();
    let mut queued: HashSet<String> = HashSet::new();
    for t in &transcripts {
        let fp = fingerprint(content.get(&t.id).map_or("", String::as_str));
        if done.get(&t.id) == Some(&fp) {
            continue;
        }
        let mut keys = Vec::new();
        for p in passages::cut(&store.segments(t.id)?) {
            let text = embedded_text(&p);
            let hash = text_hash(text);
            if !known.contains(&hash) && queued.insert(hash.clone()) {
                todo.push((hash.clone(), text.to_string()));
            }
            keys.push(PassageKey {
                ordinal: p.ordinal as i64,
                hash,
                start_ms: p.start_ms,
            });
        }
        stale.push((t.id, fp, keys));
    }
    report.cut = stale.len() as u64;
    let total = todo.len() as u64;
    let started = std::time::Instant::now();
    progress(0, total);
    // Transcripts are saved as soon as every passage of theirs has a vector
    // (texts are queued in transcript order): an interrupted run leaves
    // them searchable, and the next run picks up where it stopped.
    let mut saved = 0;
    let mut save_ready = |known: &HashSet<String>| -> Result<()> {
        while let Some((id, fp, keys)) = stale.get(saved) {
            if !keys.iter().all(|k| known.contains(&k.hash)) {
                break;
            }
            store.save_passages(MODEL_NAME, *id, fp, keys)?;
            saved += 1;
        }
        Ok(())
    };
    for chunk in todo.chunks(SAVE_EVERY) {
        let texts: Vec<&str> = chunk.iter().map(|(_, t)| t.as_str()).collect();
        let flat = embedder.embed(&texts)?;
        let vectors: Vec<(String, Vec<f32>)> = chunk
            .iter()
            .zip(flat.chunks(embedder.dim()))
            .map(|((h, _), v)| (h.clone(), v.to_vec()))
            .collect();
        store.save_embeddings(MODEL_NAME, &vectors)?;
        known.extend(chunk.iter().map(|(h, _)| h.clone()));
        report.embedded += chunk.len() as u64;
        save_ready(&known)?;
        progress(report.embedded, total);
    }
    save_ready(&known)?;
    report.seconds = started.elapsed().as_secs_f64();
    report.passages = stale.iter().map(|s| s.2.len() as u64).sum();
    Ok(report)
}

/// Where a row of the vector index comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The transcript.
    pub transcript_id: i64,
    /// The passage's position in it.
    pub ordinal: usize,
    /// The passage's start, when timed.
    pub start_ms: Option<u64>,
}

/// Every embedded passage's vector in one contiguous matrix, for scanning.
pub struct VectorIndex {
    /// Floats per vector.
    pub dim: usize,
    /// `rows.len() × dim` floats.
    pub data: Vec<f32>,
    /// What each row is.
    pub rows: Vec<Row>,
    /// The rows of each transcript (contiguous, in passage order).
    pub by_transcript: HashMap<i64, Range<usize>>,
}

impl VectorIndex {
    /// Loads the stored vectors of the model.
    pub fn load(store: &dyn EmbeddingStore) -> Result<VectorIndex> {
        let stored = store.embedded_passages(MODEL_NAME)?;
        let dim = stored.first().map_or(0, |p| p.vector.len());
        let mut data = Vec::with_capacity(stored.len() * dim);
        let mut rows = Vec::with_capacity(stored.len());
        let mut by_transcript: HashMap<i64, Range<usize>> = HashMap::new();
        for p in stored.into_iter().filter(|p| p.vector.len() == dim) {
            let i = rows.len();
            by_transcript
                .entry(p.transcript_id)
                .and_modify(|r| r.end = i + 1)
                .or_insert(i..i + 1);
            rows.push(Row {
                transcript_id: p.transcript_id,
                ordinal: usize::try_from(p.ordinal).unwrap_or(usize::MAX),
                start_ms: p.start_ms,
            });
            data.extend_from_slice(&p.vector);
        }
        Ok(VectorIndex {
            dim,
            data,
            rows,
            by_transcript,
        })
    }

    /// Number of passages.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether nothing is embedded.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The vector of a row.
    pub fn vector(&self, row: usize) -> &[f32] {
        self.data
            .get(row * self.dim..(row + 1) * self.dim)
            .unwrap_or(&[])
    }

    /// The row of a transcript's passage covering `ms` (the last one that
    /// starts at or before it; the first when `ms` is before them all, or
    /// is not given, or the transcript has no times).
    pub fn row_at(&self, transcript_id: i64, ms: Option<u64>) -> Option<usize> {
        let range = self.by_transcript.get(&transcript_id)?.clone();
        let rows = self.rows.get(range.clone())?;
        let (Some(ms), Some(true)) = (ms, rows.first().map(|r| r.start_ms.is_some())) else {
            return Some(range.start);
        };
        let after = rows.partition_point(|r| r.start_ms.is_none_or(|s| s <= ms));
        Some(range.start + after.saturating_sub(1))
    }
}

/// Transcripts by id, as a lookup for hits.
pub fn by_id(transcripts: Vec<TranscriptRef>) -> HashMap<i64, TranscriptRef> {
    transcripts.into_iter().map(|t| (t.id, t)).collect()
}
