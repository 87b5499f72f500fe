//! Reading what the analyses need out of the store: transcript texts as a
//! caption file wrote them (for error rates) and segment streams (for
//! statistics and frequencies). The only module of this crate that does I/O.

use crate::corpus::{Corpus, Doc};
use crate::wer::cue_as_written;
use podcorpus_store::query::{TranscriptFilter, TranscriptRef};
use podcorpus_store::seams::AnalysisFeed;
use podcorpus_store::StoreError;

/// A transcript's cue texts joined by one space, as jiwer sees a caption file:
/// non-speech tags put back (`[Music]`) unless `speech_only`.
pub fn text_as_written(
    store: &dyn AnalysisFeed,
    transcript_id: i64,
    speech_only: bool,
) -> Result<String, StoreError> {
    let mut out = String::new();
    store.for_each_segment(transcript_id, &mut |s| {
        if !out.is_empty() {
            out.push(' ');
        }
        if speech_only || s.events_json.is_none() {
            out.push_str(s.text);
        } else {
            out.push_str(&cue_as_written(s.text, &s.events()?));
        }
        Ok(())
    })?;
    Ok(out)
}

/// A reference and a hypothesis transcript of the same episode.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The reference transcript.
    pub reference: TranscriptRef,
    /// The hypothesis transcript.
    pub hypothesis: TranscriptRef,
}

/// Every episode (or only `episode_id`) that has both a `reference` and a
/// `hypothesis` source, in collection and number order.
pub fn pairs(
    store: &dyn AnalysisFeed,
    reference: &str,
    hypothesis: &str,
    episode_id: Option<i64>,
) -> Result<Vec<Pair>, StoreError> {
    let of = |source: &str| {
        store.transcripts(&TranscriptFilter {
            source: Some(source.to_string()),
            episode_id,
            all_sources: true,
            ..TranscriptFilter::default()
        })
    };
    let hyps: std::collections::HashMap<i64, TranscriptRef> = of(hypothesis)?
        .into_iter()
        .map(|t| (t.episode_id, t))
        .collect();
    let mut out = Vec::new();
    for r in of(reference)? {
        if let Some(h) = hyps.get(&r.episode_id) {
            out.push(Pair {
                hypothesis: h.clone(),
                reference: r,
            });
        }
    }
    Ok(out)
}

/// Which transcripts make up the corpus of a run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The store's filter (collection, source, dates; best source per episode by default).
    pub filter: TranscriptFilter,
}

/// Reads the selected transcripts into a [`Corpus`], one document each,
/// streaming their segments (tokens, timings, tags).
pub fn load_corpus(store: &dyn AnalysisFeed, selection: &Selection) -> Result<Corpus, StoreError> {
    let mut corpus = Corpus::default();
    for t in store.transcripts(&selection.filter)? {
        corpus.begin(Doc {
            name: format!("{}/{}", t.collection, t.number),
            title: t.title.clone(),
            published: t.published.clone(),
            number: t.number,
            guests: t.guests.clone(),
            ..Doc::default()
        });
        store.for_each_segment(t.id, &mut |s| {
            let tags = match s.events_json {
                None => 0,
                Some(_) => s.events()?.len(),
            };
            corpus.segment(s.start_ms, s.end_ms, s.text, tags);
            Ok(())
        })?;
    }
    Ok(corpus)
}
