//! One episode's summary with its provenance, ready to store: reads the
//! transcript and chapters from the store, runs the chosen method, and
//! describes how the summary was made (method, parameters, prompt hash,
//! usage). Storing is left to the caller, so that a run stores all or nothing.

use crate::extractive::{self, ExtractiveOptions};
use crate::llm::{Client, ReplyCache};
use crate::mapreduce::{self, LlmOptions, SummaryError};
use crate::prompt::prompt_hash;
use podcorpus_store::query::TranscriptRef;
use podcorpus_store::summaries::NewSummary;
use podcorpus_store::{Store, StoreError};
use serde_json::json;

/// How to summarize.
pub enum Method<'a> {
    /// Key sentences, no network.
    Extractive(ExtractiveOptions),
    /// A language model.
    Llm {
        /// The server connection.
        client: &'a Client,
        /// Prompt, context and grouping.
        opts: LlmOptions,
        /// Answer identical requests from the store's cache.
        cache: bool,
    },
}

/// What can stop one episode's summary.
#[derive(Debug, thiserror::Error)]
pub enum EpisodeError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The model failed.
    #[error(transparent)]
    Llm(#[from] SummaryError),
}

/// The algorithm name stored for extractive summaries.
pub const EXTRACTIVE_METHOD: &str = "lexrank-mmr";
/// The algorithm name stored for LLM summaries.
pub const LLM_METHOD: &str = "chat-completions-map-reduce";

fn by(by_chapter: bool) -> &'static str {
    if by_chapter {
        "chapter"
    } else {
        "whole"
    }
}

/// Summarizes the transcript `t` (of its episode). `None` when it has no
/// speech. `progress` is told the requests made so far (LLM only).
pub fn summarize(
    store: &Store,
    t: &TranscriptRef,
    method: &Method<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<Option<NewSummary>, EpisodeError> {
    let segments = store.segments(t.id)?;
    let chapters = store.chapters(t.episode_id)?;
    match method {
        Method::Extractive(opts) => {
            let Some(e) = extractive::extract(&segments, &chapters, opts) else {
                return Ok(None);
            };
            let text = extractive::format(&e, &chapters, t.video_id.as_deref());
            Ok(Some(NewSummary {
                kind: "extractive".into(),
                text,
                method: Some(EXTRACTIVE_METHOD.into()),
                model: None,
                params: Some(json!({
                    "points": opts.points,
                    "by": by(e.by_chapter),
                    "source": t.source,
                    "damping": opts.rank.damping,
                    "lambda": opts.rank.lambda,
                    "min_words": opts.rank.min_words,
                })),
                prompt_hash: None,
                usage: None,
            }))
        }
        Method::Llm {
            client,
            opts,
            cache,
        } => {
            let cache: Option<&dyn ReplyCache> = if *cache { Some(store) } else { None };
            let s = match mapreduce::summarize(
                client,
                cache,
                t.title.as_deref(),
                &segments,
                &chapters,
                opts,
                progress,
            ) {
                Ok(s) => s,
                Err(SummaryError::NoSpeech) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let cfg = client.config();
            Ok(Some(NewSummary {
                kind: "llm".into(),
                text: s.text,
                method: Some(LLM_METHOD.into()),
                model: Some(cfg.model.clone()),
                params: Some(json!({
                    "by": by(s.by_chapter),
                    "source": t.source,
                    "context_tokens": opts.context_tokens,
                    "max_tokens": cfg.max_tokens,
                    "temperature": cfg.temperature,
                    // Without any user:password@ part.
                    "server": server_of(&cfg.base_url),
                })),
                prompt_hash: Some(prompt_hash(&opts.prompt)),
                usage: Some(json!({
                    "prompt_tokens": s.usage.prompt_tokens,
                    "completion_tokens": s.usage.completion_tokens,
                    "total_tokens": s.usage.total_tokens,
                    "requests": s.requests,
                    "cached": s.cached,
                    "chunks": s.chunks,
                })),
            }))
        }
    }
}

/// What a run over several episodes reports as it goes.
pub enum Progress<'a> {
    /// Starting an episode (`COLLECTION/NUMBER`).
    Episode(&'a str),
    /// Requests made so far for the current episode.
    Requests(usize),
    /// Done with an episode.
    Done,
}

/// The summaries a run made, each with its transcript.
pub struct Outcome {
    /// Made (and stored unless it was a dry run), in order.
    pub made: Vec<(TranscriptRef, NewSummary)>,
    /// Transcripts without speech.
    pub skipped: usize,
}

/// A run that stopped at an episode; nothing of it was stored.
#[derive(Debug, thiserror::Error)]
#[error("summarizing {episode}: {source}")]
pub struct RunError {
    /// `COLLECTION/NUMBER`.
    pub episode: String,
    /// Why.
    #[source]
    pub source: EpisodeError,
}

/// Summarizes every transcript in `todo` and stores the summaries in one
/// transaction at the end (unless `dry_run`): a run that fails anywhere
/// stores nothing. LLM answers are cached as they come, so a re-run after
/// a failure repeats no request that had succeeded.
pub fn run(
    store: &Store,
    todo: &[TranscriptRef],
    method: &Method<'_>,
    dry_run: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Outcome, RunError> {
    let mut out = Outcome {
        made: Vec::new(),
        skipped: 0,
    };
    for t in todo {
        let name = format!("{}/{}", t.collection, t.number);
        progress(Progress::Episode(&name));
        let made = summarize(store, t, method, &mut |n| progress(Progress::Requests(n))).map_err(
            |source| RunError {
                episode: name.clone(),
                source,
            },
        )?;
        match made {
            Some(s) => out.made.push((t.clone(), s)),
            None => out.skipped += 1,
        }
        progress(Progress::Done);
    }
    if !dry_run {
        let items: Vec<(i64, NewSummary)> = out
            .made
            .iter()
            .map(|(t, s)| (t.episode_id, s.clone()))
            .collect();
        store.save_summaries(&items).map_err(|e| RunError {
            episode: "the run".into(),
            source: e.into(),
        })?;
    }
    Ok(out)
}

/// The base URL without credentials or query, safe to store.
fn server_of(base_url: &str) -> String {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("", base_url));
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let rest = match rest.split_once('/') {
        Some((host, path)) => format!("{}/{path}", host.rsplit('@').next().unwrap_or(host)),
        None => rest.rsplit('@').next().unwrap_or(rest).to_string(),
    };
    if scheme.is_empty() {
        rest
    } else {
        format!("{scheme}://{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_server_has_no_credentials() {
        assert_eq!(
            server_of("https://user:pw@api.example.com/v1?key=x"),
            "https://api.example.com/v1"
        );
        assert_eq!(
            server_of("http://127.0.0.1:11434/v1"),
            "http://127.0.0.1:11434/v1"
        );
        assert_eq!(server_of("localhost:8080"), "localhost:8080");
    }
}
