//! `podcorpus summarize`: extractive key points (default) or an LLM summary
//! of one episode or all, stored with provenance — all or nothing.

use crate::output;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use podcorpus_store::query::{EpisodeRow, ListFilter, TranscriptFilter, TranscriptRef};
use podcorpus_store::summaries::NewSummary;
use podcorpus_summarize::episode::{self, Method, Progress};
use podcorpus_summarize::extractive::ExtractiveOptions;
use podcorpus_summarize::llm::{Client, LlmConfig};
use podcorpus_summarize::mapreduce::LlmOptions;
use podcorpus_summarize::prompt::DEFAULT_PROMPT;
use podcorpus_summarize::rank::RankOptions;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How to summarize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Key sentences of the transcript (LexRank + MMR), no network.
    Extractive,
    /// A language model through an OpenAI-compatible Chat Completions server.
    Llm,
}

/// Comments quoted by an extractive summary of comments, unless --points says.
const COMMENT_POINTS: usize = 5;

/// How to group the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    /// One summary of the whole episode.
    Whole,
    /// One per chapter, when the episode has chapters.
    Chapter,
}

/// What to summarize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Of {
    /// The conversation: its transcript.
    Episode,
    /// What viewers wrote under the video (`fetch --comments N`).
    Comments,
}

impl From<Of> for podcorpus_core::Subject {
    fn from(of: Of) -> Self {
        match of {
            Of::Episode => podcorpus_core::Subject::Episode,
            Of::Comments => podcorpus_core::Subject::Comments,
        }
    }
}

/// Arguments of `summarize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The episode: COLLECTION/NUMBER, NUMBER, or a YouTube video id.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    episode: Option<String>,
    /// Every episode that has a transcript, or comments with --of comments
    /// (of --collection, if given).
    #[arg(long)]
    all: bool,
    /// episode (the transcript), or comments: the representative comments
    /// (spam, self-promotion and the channel's own left out), or with
    /// --method llm what viewers valued, criticised and asked.
    #[arg(long, value_enum, default_value = "episode")]
    of: Of,
    /// With --all: only this collection.
    #[arg(long, requires = "all")]
    collection: Option<String>,
    /// Summarize this transcript source instead of the best one.
    #[arg(long)]
    source: Option<String>,
    /// whole, or chapter (key points per chapter when the episode has chapters).
    #[arg(long, value_enum, default_value = "whole")]
    by: By,
    /// How to summarize.
    #[command(flatten)]
    method: MethodArgs,
    /// Print the summaries without storing them.
    #[arg(long)]
    dry_run: bool,
}

/// How summaries are made: shared by `summarize` and `fill`.
#[derive(Debug, clap::Args)]
pub struct MethodArgs {
    /// extractive (no network) or llm.
    #[arg(long, value_enum, default_value = "extractive")]
    pub(crate) method: MethodArg,
    /// Extractive: key points in all, or per chapter with --by chapter
    /// (default 10, or 3 per chapter; 5 comments with --of comments).
    #[arg(long)]
    pub(crate) points: Option<usize>,
    /// Extractive: MMR trade-off between centrality (1) and novelty (0).
    #[arg(long, default_value_t = RankOptions::default().lambda, hide = true)]
    pub(crate) lambda: f64,
    /// Extractive: shortest sentence (in words) that can be a key point.
    #[arg(long, default_value_t = RankOptions::default().min_words, hide = true)]
    pub(crate) min_words: usize,
    /// LLM: the API base of an OpenAI-compatible server.
    #[arg(
        long,
        env = "PODCORPUS_BASE_URL",
        default_value = "http://127.0.0.1:11434/v1"
    )]
    pub(crate) base_url: String,
    /// LLM: the model name (the API key comes from PODCORPUS_API_KEY or OPENAI_API_KEY).
    #[arg(long, env = "PODCORPUS_MODEL")]
    pub(crate) model: Option<String>,
    /// LLM: a file whose text replaces the default prompt.
    #[arg(long)]
    pub(crate) prompt: Option<PathBuf>,
    /// LLM: the model's context window in tokens; longer transcripts are map-reduced.
    #[arg(long, default_value_t = 8192)]
    pub(crate) context_tokens: usize,
    /// LLM: most tokens of one answer.
    #[arg(long, default_value_t = 1024)]
    pub(crate) max_tokens: u32,
    /// LLM: sampling temperature.
    #[arg(long, default_value_t = 0.0)]
    pub(crate) temperature: f64,
    /// LLM: seconds to wait for one answer.
    #[arg(long, default_value_t = 300)]
    pub(crate) timeout: u64,
    /// LLM: retries on 429, 5xx and timeouts.
    #[arg(long, default_value_t = 4)]
    pub(crate) retries: u32,
    /// LLM: first wait between retries in milliseconds (doubles each time).
    #[arg(long, default_value_t = 2000, hide = true)]
    pub(crate) retry_backoff_ms: u64,
    /// LLM: always ask the server, even for a request answered before.
    #[arg(long)]
    pub(crate) no_cache: bool,
}

/// One summary made, as printed.
#[derive(Serialize)]
struct Made {
    episode: String,
    title: Option<String>,
    #[serde(flatten)]
    summary: NewSummary,
}

/// The episodes whose comments `summarize --of comments` reads: the one
/// named, or with `--all` every episode (of `--collection`) with comments.
fn commented(store: &podcorpus_store::Store, args: &Args) -> anyhow::Result<Vec<EpisodeRow>> {
    if let Some(name) = &args.episode {
        let row = store.resolve(name)?;
        if store.commented_episodes(Some(row.id))?.is_empty() {
            anyhow::bail!(
                "{name} has no comments to summarize: fetch them with `podcorpus fetch {} --comments 100`, or import the video's yt-dlp .info.json written with --write-comments",
                row.url.as_deref().or(row.video_id.as_deref()).unwrap_or("URL")
            );
        }
        return Ok(vec![row]);
    }
    let with_comments: std::collections::HashSet<i64> = store
        .commented_episodes(None)?
        .into_iter()
        .map(|e| e.episode_id)
        .collect();
    let mut rows = store.list(&ListFilter {
        collection: args.collection.clone(),
    })?;
    rows.retain(|row| with_comments.contains(&row.id));
    Ok(rows)
}

fn transcripts(store: &podcorpus_store::Store, args: &Args) -> anyhow::Result<Vec<TranscriptRef>> {
    let mut filter = TranscriptFilter {
        source: args.source.clone(),
        collection: args.collection.clone(),
        ..Default::default()
    };
    if let Some(name) = &args.episode {
        let row = store.resolve(name)?;
        filter.episode_id = Some(row.id);
        let found = store.transcripts(&filter)?;
        if found.is_empty() {
            anyhow::bail!(
                "{name} has no {}transcript to summarize (`podcorpus show {name}` lists its sources)",
                args.source.as_deref().map(|s| format!("{s} ")).unwrap_or_default()
            );
        }
        return Ok(found);
    }
    Ok(store.transcripts(&filter)?)
}

/// The summary method the arguments ask for (`client` for `--method llm`).
pub fn method_of<'a>(
    args: &MethodArgs,
    by_chapter: bool,
    client: Option<&'a Client>,
) -> anyhow::Result<Method<'a>> {
    Ok(match client {
        None => Method::Extractive(ExtractiveOptions {
            points: args
                .points
                .unwrap_or(if by_chapter { 3 } else { 10 })
                .max(1),
            by_chapter,
            rank: RankOptions {
                lambda: args.lambda.clamp(0.0, 1.0),
                min_words: args.min_words,
                ..RankOptions::default()
            },
        }),
        Some(client) => {
            let prompt = match &args.prompt {
                Some(p) => std::fs::read_to_string(p)
                    .with_context(|| format!("reading the prompt file {}", p.display()))?,
                None => DEFAULT_PROMPT.to_string(),
            };
            if prompt.trim().is_empty() {
                anyhow::bail!("the prompt file is empty");
            }
            Method::Llm {
                client,
                opts: LlmOptions {
                    context_tokens: args.context_tokens,
                    prompt,
                    by_chapter,
                },
                cache: !args.no_cache,
            }
        }
    })
}

/// The LLM client for `--method llm`; `None` for the extractive method.
pub fn client_of(args: &MethodArgs) -> anyhow::Result<Option<Client>> {
    if args.method != MethodArg::Llm {
        return Ok(None);
    }
    let model = args
        .model
        .clone()
        .context("--method llm needs --model NAME (or PODCORPUS_MODEL), e.g. --model llama3.1")?;
    let mut cfg = LlmConfig::new(&args.base_url, &model);
    cfg.api_key = ["PODCORPUS_API_KEY", "OPENAI_API_KEY"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|k| !k.is_empty()));
    cfg.timeout = Duration::from_secs(args.timeout.max(1));
    cfg.retries = args.retries;
    cfg.backoff = Duration::from_millis(args.retry_backoff_ms);
    cfg.temperature = args.temperature;
    cfg.max_tokens = args.max_tokens.max(1);
    Ok(Some(Client::new(cfg)?))
}

/// A bar over episodes whose message shows the requests of the current one;
/// only on a terminal.
fn progress_bar(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} episodes {elapsed} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// A run's summaries as printed, each named by `name` (`COLLECTION/NUMBER`
/// and title), with the number skipped.
fn made_of<T>(
    outcome: episode::Outcome<T>,
    name: impl Fn(T) -> (String, Option<String>),
) -> (Vec<Made>, usize) {
    let made = outcome
        .made
        .into_iter()
        .map(|(item, summary)| {
            let (episode, title) = name(item);
            Made {
                episode,
                title,
                summary,
            }
        })
        .collect();
    (made, outcome.skipped)
}

/// Runs `summarize`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    if args.of == Of::Comments {
        if args.source.is_some() {
            anyhow::bail!("--source names a transcript; it does not go with --of comments");
        }
        if args.by == By::Chapter {
            anyhow::bail!("--by chapter splits a transcript; comments have no chapters, so it does not go with --of comments");
        }
    }
    let store = super::open_existing(db)?;
    let client = client_of(&args.method)?;
    let mut method = method_of(&args.method, args.by == By::Chapter, client.as_ref())?;
    let mut current = String::new();
    let bar;
    let mut report = |bar: &ProgressBar, p: Progress<'_>| match p {
        Progress::Episode(name) => {
            current = name.to_string();
            bar.set_message(current.clone());
        }
        Progress::Requests(n) => bar.set_message(format!("{current}: {n} requests")),
        Progress::Done => bar.inc(1),
    };
    let outcome = match args.of {
        Of::Episode => {
            let todo = transcripts(&store, &args)?;
            bar = progress_bar(todo.len());
            episode::run(&store, &todo, &method, args.dry_run, &mut |p| {
                report(&bar, p)
            })
            .map(|o| made_of(o, |t| (format!("{}/{}", t.collection, t.number), t.title)))
        }
        Of::Comments => {
            if let (Method::Extractive(opts), None) = (&mut method, args.method.points) {
                opts.points = COMMENT_POINTS;
            }
            let todo = commented(&store, &args)?;
            bar = progress_bar(todo.len());
            episode::run_comments(&store, &todo, &method, args.dry_run, &mut |p| {
                report(&bar, p)
            })
            .map(|o| made_of(o, |e| (e.name().to_string(), e.title)))
        }
    };
    bar.finish_and_clear();
    let (made, skipped) = match outcome {
        Ok(o) => o,
        Err(e) => {
            let cached = if matches!(method, Method::Llm { cache: true, .. }) {
                "; the answers received so far are cached, so a re-run continues where this one stopped"
            } else {
                ""
            };
            anyhow::bail!("{e}\nnothing was stored{cached}");
        }
    };
    if json {
        output::print_json(&made)?;
        return Ok(0);
    }
    for m in &made {
        let s = &m.summary;
        let how = output::provenance(&s.kind, s.method.as_deref(), s.model.as_deref());
        println!(
            "{}  {} ({how})\n{}\n",
            m.episode,
            m.title.as_deref().unwrap_or(""),
            s.text.trim_end()
        );
    }
    let verb = if args.dry_run {
        "made (not stored)"
    } else {
        "stored"
    };
    let what = match (args.of, made.len()) {
        (Of::Episode, 1) => "summary",
        (Of::Episode, _) => "summaries",
        (Of::Comments, 1) => "summary of comments",
        (Of::Comments, _) => "summaries of comments",
    };
    let why_skipped = match args.of {
        Of::Episode => "episodes without speech skipped",
        Of::Comments => "episodes with only spam or the channel's own comments skipped",
    };
    eprintln!(
        "{} {what} {verb}{}",
        made.len(),
        if skipped > 0 {
            format!(", {skipped} {why_skipped}")
        } else {
            String::new()
        }
    );
    Ok(0)
}
