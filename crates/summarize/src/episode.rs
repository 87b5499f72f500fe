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
    let input = Input {
        subject: podcorpus_core::Subject::Episode,
        title: t.title.as_deref(),
        // Links go to YouTube: other sites' ids (a page's name) get none.
        video_id: t
            .video_id
            .as_deref()
            .filter(|v| podcorpus_core::VideoId::parse(v).is_some()),
        segments: &segments,
        chapters: &chapters,
        params: json!({ "source": t.source }),
    };
    summarize_input(store, &input, method, progress)
}

/// The instruction for a summary of viewers' comments (the LLM method).
pub const COMMENTS_PROMPT: &str = "\
You summarize what the audience said in the comments under a video of a podcast \
conversation or lecture.
Write the summary in this layout:
- first a short paragraph (two to four sentences) saying how viewers received it;
- then the line \"Here are the key points:\";
- then 3 to 8 numbered points on what viewers praised, asked, disputed or added, \
each a bold heading, a colon, and one or two sentences.
Use only what the comments say. Write in English. No preamble, no closing remarks.";

/// Summarizes viewers' comments, `comments` most liked first: with the
/// extractive method, the comments most central to all of them; with an
/// LLM, [`COMMENTS_PROMPT`] (unless the method's prompt was replaced). The
/// parameters say `"subject": "comments"` and how many were read. `None`
/// when there are no comments.
pub fn summarize_comments(
    store: &Store,
    title: Option<&str>,
    comments: &[String],
    method: &Method<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<Option<NewSummary>, EpisodeError> {
    // One comment is one unit of text, the way a caption is.
    let segments: Vec<podcorpus_core::Segment> = comments
        .iter()
        .map(|c| podcorpus_core::Segment {
            text: c.split_whitespace().collect::<Vec<_>>().join(" "),
            ..Default::default()
        })
        .filter(|s| !s.text.is_empty())
        .collect();
    let input = Input {
        subject: podcorpus_core::Subject::Comments,
        title,
        video_id: None,
        segments: &segments,
        chapters: &[],
        params: json!({ "subject": "comments", "comments": segments.len() }),
    };
    let method = match method {
        Method::Llm {
            client,
            opts,
            cache,
        } => {
            let mut opts = opts.clone();
            if opts.prompt == crate::prompt::DEFAULT_PROMPT {
                opts.prompt = COMMENTS_PROMPT.to_string();
            }
            opts.by_chapter = false;
            Method::Llm {
                client,
                opts,
                cache: *cache,
            }
        }
        Method::Extractive(o) => Method::Extractive(ExtractiveOptions {
            by_chapter: false,
            ..*o
        }),
    };
    summarize_input(store, &input, &method, progress)
}

/// What one summary is made of.
struct Input<'a> {
    /// What the summary will be about.
    subject: podcorpus_core::Subject,
    title: Option<&'a str>,
    video_id: Option<&'a str>,
    segments: &'a [podcorpus_core::Segment],
    chapters: &'a [podcorpus_core::Chapter],
    /// Parameters that say what was summarized, merged into the stored ones.
    params: serde_json::Value,
}

/// `extra`'s fields added to the object `params`.
fn with_params(mut params: serde_json::Value, extra: &serde_json::Value) -> serde_json::Value {
    if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            p.insert(k.clone(), v.clone());
        }
    }
    params
}

fn summarize_input(
    store: &Store,
    input: &Input<'_>,
    method: &Method<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<Option<NewSummary>, EpisodeError> {
    let (segments, chapters) = (input.segments, input.chapters);
    match method {
        Method::Extractive(opts) => {
            let Some(e) = extractive::extract(segments, chapters, opts) else {
                return Ok(None);
            };
            let text = extractive::format(&e, chapters, input.video_id);
            Ok(Some(NewSummary {
                kind: "extractive".into(),
                subject: input.subject,
                text,
                method: Some(EXTRACTIVE_METHOD.into()),
                model: None,
                params: Some(with_params(
                    json!({
                        "points": opts.points,
                        "by": by(e.by_chapter),
                        "damping": opts.rank.damping,
                        "lambda": opts.rank.lambda,
                        "min_words": opts.rank.min_words,
                    }),
                    &input.params,
                )),
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
                input.title,
                segments,
                chapters,
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
                subject: input.subject,
                text: s.text,
                method: Some(LLM_METHOD.into()),
                model: Some(cfg.model.clone()),
                params: Some(with_params(
                    json!({
                        "by": by(s.by_chapter),
                        "context_tokens": opts.context_tokens,
                        "max_tokens": cfg.max_tokens,
                        "temperature": cfg.temperature,
                        // Without any user:password@ part.
                        "server": server_of(&cfg.base_url),
                    }),
                    &input.params,
                )),
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
    use crate::rank::RankOptions;

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

    #[test]
    fn extractive_comments_summary_takes_the_most_shared_comments_without_links() {
        let store = Store::open_in_memory().expect("store");
        let comments: Vec<String> = [
            "The part about movement and training the body was the best part.",
            "Training the body every day is what movement practice is about.",
            "First!",
            "Where can I buy the shirt he is wearing?",
            "Movement practice and training changed my body and my life.",
        ]
        .map(String::from)
        .to_vec();
        let method = Method::Extractive(ExtractiveOptions {
            points: 2,
            by_chapter: true,
            rank: RankOptions {
                min_words: 3,
                ..RankOptions::default()
            },
        });
        let s = summarize_comments(&store, Some("t"), &comments, &method, &mut |_| {})
            .expect("summary")
            .expect("comments");
        let lines: Vec<&str> = s.text.lines().collect();
        assert_eq!(lines.len(), 2, "{}", s.text);
        assert!(lines.iter().all(|l| l.contains("body")), "{}", s.text);
        assert!(
            !s.text.contains("http") && !s.text.contains("First!"),
            "{}",
            s.text
        );
        let params = s.params.expect("params");
        assert_eq!(params["subject"], "comments");
        assert_eq!(params["comments"], 5);
        assert_eq!(params["by"], "whole");
    }
}
