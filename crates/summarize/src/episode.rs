//! One episode's summary with its provenance, ready to store: reads the
//! transcript and chapters from the store, runs the chosen method, and
//! describes how the summary was made (method, parameters, prompt hash,
//! usage). Storing is left to the caller, so that a run stores all or nothing.

use crate::comments;
use crate::extractive::{self, ExtractiveOptions};
use crate::llm::{Client, ReplyCache};
use crate::mapreduce::{self, LlmOptions, SummaryError};
use crate::prompt::{self, prompt_hash};
use crate::SummaryBackend;
use podcorpus_core::{Comment, Subject};
use podcorpus_store::query::{EpisodeRow, TranscriptRef};
use podcorpus_store::summaries::NewSummary;
use podcorpus_store::StoreError;
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
    store: &dyn SummaryBackend,
    t: &TranscriptRef,
    method: &Method<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<Option<NewSummary>, EpisodeError> {
    let segments = store.segments(t.id)?;
    let chapters = store.chapters(t.episode_id)?;
    let input = Input {
        subject: Subject::Episode,
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

/// Summarizes viewers' comments (any order). The audience's comments are
/// sorted from the rest first ([`comments::audience`]: spam,
/// self-promotion, the uploader's own, empty ones and copies are left
/// out). With the extractive method, the summary quotes the representative
/// ones ([`comments::representative`]) with author and likes; with an LLM,
/// the model reads them all, most liked first, with
/// [`prompt::COMMENTS_PROMPT`] (unless the method's prompt was replaced).
/// The parameters say `"subject": "comments"`, how many were read and
/// why the others were left out. `None` when no comment is the audience's.
pub fn summarize_comments(
    store: &dyn SummaryBackend,
    title: Option<&str>,
    comments: &[Comment],
    method: &Method<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<Option<NewSummary>, EpisodeError> {
    let audience = comments::audience(comments);
    if audience.kept.is_empty() {
        return Ok(None);
    }
    let left_out: serde_json::Map<String, serde_json::Value> = audience
        .left_out_counts()
        .into_iter()
        .map(|(why, n)| {
            (
                json!(why).as_str().unwrap_or_default().to_string(),
                json!(n),
            )
        })
        .collect();
    let about = json!({
        "subject": "comments",
        "comments": audience.kept.len() + audience.left_out.len(),
        "audience": audience.kept.len(),
        "left_out": left_out,
    });
    match method {
        Method::Extractive(opts) => {
            let picks = comments::representative(&audience.kept, opts.points, &opts.rank);
            Ok(Some(NewSummary {
                kind: "extractive".into(),
                subject: Subject::Comments,
                text: comments::format(&picks, &audience),
                method: Some(comments::EXTRACTIVE_COMMENTS_METHOD.into()),
                model: None,
                params: Some(with_params(
                    json!({
                        "points": opts.points,
                        "damping": opts.rank.damping,
                        "lambda": opts.rank.lambda,
                        "min_words": comments::COMMENT_MIN_WORDS,
                        "likes_weight": "1 + ln(1 + likes)",
                    }),
                    &about,
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
            let mut opts = opts.clone();
            if opts.prompt == prompt::DEFAULT_PROMPT {
                opts.prompt = prompt::COMMENTS_PROMPT.to_string();
            }
            opts.by_chapter = false;
            let cache: Option<&dyn ReplyCache> = if *cache { Some(store) } else { None };
            let lines = comments::lines_for_model(&audience.kept);
            let s = mapreduce::summarize_comments(client, cache, title, &lines, &opts, progress)?;
            Ok(Some(llm_summary(
                client,
                &opts,
                s,
                Subject::Comments,
                &about,
            )))
        }
    }
}

/// What one summary is made of.
struct Input<'a> {
    /// What the summary will be about.
    subject: Subject,
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
    store: &dyn SummaryBackend,
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
            Ok(Some(llm_summary(
                client,
                opts,
                s,
                input.subject,
                &input.params,
            )))
        }
    }
}

/// An LLM summary with its provenance: model, settings, server, prompt
/// hash and usage, with `about`'s fields in the parameters.
fn llm_summary(
    client: &Client,
    opts: &LlmOptions,
    s: mapreduce::LlmSummary,
    subject: Subject,
    about: &serde_json::Value,
) -> NewSummary {
    let cfg = client.config();
    NewSummary {
        kind: "llm".into(),
        subject,
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
            about,
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

/// The summaries a run made, each with what it summarized (a transcript,
/// or an episode for its comments).
pub struct Outcome<T = TranscriptRef> {
    /// Made (and stored unless it was a dry run), in order.
    pub made: Vec<(T, NewSummary)>,
    /// Transcripts without speech, or episodes without the audience's comments.
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
    store: &dyn SummaryBackend,
    todo: &[TranscriptRef],
    method: &Method<'_>,
    dry_run: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Outcome, RunError> {
    run_each(
        store,
        todo,
        |t| (format!("{}/{}", t.collection, t.number), t.episode_id),
        |t, p| summarize(store, t, method, p),
        dry_run,
        progress,
    )
}

/// [`run`] for the comments of every episode in `todo`: one summary of
/// each episode's comments ([`summarize_comments`]), all stored or none.
pub fn run_comments(
    store: &dyn SummaryBackend,
    todo: &[EpisodeRow],
    method: &Method<'_>,
    dry_run: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Outcome<EpisodeRow>, RunError> {
    run_each(
        store,
        todo,
        |e| (e.name().to_string(), e.id),
        |e, p| {
            let comments = store.comments(e.id, true)?;
            summarize_comments(store, e.title.as_deref(), &comments, method, p)
        },
        dry_run,
        progress,
    )
}

/// The loop of [`run`] and [`run_comments`]: `name` gives an item's
/// `COLLECTION/NUMBER` and episode id, `make` its summary.
fn run_each<T: Clone>(
    store: &dyn SummaryBackend,
    todo: &[T],
    name: impl Fn(&T) -> (String, i64),
    mut make: impl FnMut(&T, &mut dyn FnMut(usize)) -> Result<Option<NewSummary>, EpisodeError>,
    dry_run: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Outcome<T>, RunError> {
    let mut out = Outcome {
        made: Vec::new(),
        skipped: 0,
    };
    let mut items: Vec<(i64, NewSummary)> = Vec::new();
    for t in todo {
        let (label, episode_id) = name(t);
        progress(Progress::Episode(&label));
        let made =
            make(t, &mut |n| progress(Progress::Requests(n))).map_err(|source| RunError {
                episode: label.clone(),
                source,
            })?;
        match made {
            Some(s) => {
                items.push((episode_id, s.clone()));
                out.made.push((t.clone(), s));
            }
            None => out.skipped += 1,
        }
        progress(Progress::Done);
    }
    if !dry_run {
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
    fn extractive_comments_summary_quotes_the_shared_view_and_leaves_out_spam() {
        let store = podcorpus_store::Store::open_in_memory().expect("store");
        let c = |author: &str, likes: u64, text: &str| Comment {
            author: Some(author.into()),
            likes: Some(likes),
            text: text.into(),
            ..Comment::default()
        };
        let comments = vec![
            c(
                "@a",
                40,
                "The part about movement and training the body was the best part.",
            ),
            c(
                "@b",
                3,
                "Training the body every day is what movement practice is about.",
            ),
            c("@c", 900, "First!"),
            c(
                "@d",
                0,
                "Check out my channel for body training and movement plans",
            ),
            c("@e", 7, "Where can I buy the shirt he is wearing?"),
            c(
                "@f",
                12,
                "Movement practice and training changed my body and my life.",
            ),
        ];
        let method = Method::Extractive(ExtractiveOptions {
            points: 2,
            by_chapter: true,
            rank: RankOptions::default(),
        });
        let s = summarize_comments(&store, Some("t"), &comments, &method, &mut |_| {})
            .expect("summary")
            .expect("comments");
        assert_eq!(s.subject, Subject::Comments);
        assert_eq!(
            Subject::of_summary(&s.text),
            Subject::Comments,
            "{}",
            s.text
        );
        let lines: Vec<&str> = s.text.lines().collect();
        assert_eq!(
            lines[0],
            "Representative comments, 2 of the 6 read (left out: 1 spam or self-promotion, 1 too short):"
        );
        assert_eq!(lines.len(), 3, "{}", s.text);
        // Two about training the body (the shared view), quoted whole, with
        // who wrote them and how many liked them.
        assert!(
            lines.contains(
                &"1. “Movement practice and training changed my body and my life.” (@f, 12 likes)"
            ),
            "{}",
            s.text
        );
        assert!(lines.contains(&"2. “The part about movement and training the body was the best part.” (@a, 40 likes)"), "{}", s.text);
        assert!(!s.text.contains("my channel") && !s.text.contains("First!"));
        let params = s.params.expect("params");
        assert_eq!(params["subject"], "comments");
        assert_eq!(params["comments"], 6);
        assert_eq!(params["audience"], 4);
        assert_eq!(params["left_out"], json!({"spam": 1, "short": 1}));
        assert_eq!(
            s.method.as_deref(),
            Some(comments::EXTRACTIVE_COMMENTS_METHOD)
        );
        // Nothing but spam: nothing to summarize.
        let none = summarize_comments(&store, None, &comments[2..4], &method, &mut |_| {});
        assert!(none.expect("no error").is_none());
    }
}
