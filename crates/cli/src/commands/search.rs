//! `podcorpus search`: ranked passages, each with its episode, the time of
//! the match and a link to that second of the video; or, with `--in
//! comments`, ranked viewers' comments with their author, likes and link.

use crate::output;
use anyhow::Context;
use podcorpus_search::{index_dir, Filter, Kind, SearchIndex};
use podcorpus_semantic::hits;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `search` and `kwic` look in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InArg {
    /// The transcripts: each episode's best source, unless --source or
    /// --all-sources choose others.
    Transcripts,
    /// Viewers' comments and replies (from `fetch --comments N` or an
    /// imported info.json); the episode filters apply, --source does not.
    Comments,
}

impl InArg {
    /// The library's kind of document.
    pub fn kind(self) -> Kind {
        match self {
            InArg::Transcripts => Kind::Transcript,
            InArg::Comments => Kind::Comment,
        }
    }
}

/// `--in`, shared by `search` and `kwic`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Within {
    /// Look in the transcripts (passages with times) or in the viewers'
    /// comments (each hit or line names the comment's author and likes
    /// instead of a time, with a link to the comment).
    #[arg(
        long = "in",
        value_enum,
        value_name = "WHAT",
        default_value = "transcripts"
    )]
    pub what: InArg,
}

/// The filters shared by `search`, `kwic` and `similar`.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Only this collection.
    #[arg(long)]
    collection: Option<String>,
    /// Only this transcript source (e.g. whisper-small), best or not.
    #[arg(long)]
    source: Option<String>,
    /// Only episodes published on or after this date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only episodes published on or before this date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Every source of each episode, not only the best one
    /// (manual > whisper-large > whisper-* > auto > notes).
    #[arg(long)]
    all_sources: bool,
}

impl FilterArgs {
    /// The library's filter (of transcripts).
    pub fn filter(&self) -> Filter {
        Filter {
            collection: self.collection.clone(),
            source: self.source.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            all_sources: self.all_sources,
            kind: Kind::Transcript,
        }
    }

    /// The library's filter of what `--in` names; a transcript source
    /// asked of comments is a usage error.
    pub fn filter_in(&self, within: InArg) -> anyhow::Result<Filter> {
        if let (InArg::Comments, Some(s)) = (within, &self.source) {
            anyhow::bail!(
                "--source and --in comments do not go together: comments have no transcript \
                 source (drop --source to search the comments, or drop --in comments to \
                 search the {s} transcripts)"
            );
        }
        Ok(Filter {
            kind: within.kind(),
            ..self.filter()
        })
    }
}

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words (all must match), "exact phrases", AND, OR, NOT or
    /// -word, parentheses, title:WORD, guest:WORD; wildcards consci* and
    /// wom?n, /regex/ (a whole word), lemma:run, "elon mars"~10 (within
    /// ten words, either order).
    #[arg(required_unless_present = "bench")]
    query: Option<String>,
    /// Most passages (or comments) to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[command(flatten)]
    within: Within,
    #[command(flatten)]
    filter: FilterArgs,
    /// Rank passages by meaning (embeddings from `podcorpus embed`), not words.
    #[arg(long, conflicts_with = "hybrid")]
    semantic: bool,
    /// Fuse keyword and meaning rankings (reciprocal rank fusion); a plain
    /// question's words (but stop words) are OR-ed for the keyword side.
    #[arg(long)]
    hybrid: bool,
    /// With --hybrid: the weight of the keyword ranking against meaning's 1
    /// (0 ranks by meaning alone, 2 leans on the words).
    #[arg(long, requires = "hybrid", value_name = "W", default_value_t = hits::KEYWORD_WEIGHT)]
    keyword_weight: f64,
    #[command(flatten)]
    model: super::embed::ModelArgs,
    /// Time every query of FILE (one per line; `QUERY ||| key=value ...`
    /// sets collection, source, since, until, all-sources, in) in this process
    /// and print latency percentiles.
    #[arg(long, hide = true, value_name = "FILE")]
    bench: Option<PathBuf>,
}

/// Opens the corpus for reading and its index as it is, as `search` and
/// `kwic` read them: nothing is migrated, built or written. An index behind
/// the corpus still searches what it holds, and stderr says which command
/// brings it up to date; no index is an error that names the command that
/// builds it. A corpus with neither transcripts nor comments is an error
/// that says how to fill it.
pub fn open_index(db: &Path) -> anyhow::Result<SearchIndex> {
    let store = super::open_read_only(db)?;
    require_searchable(&store)?;
    let (index, advice) = SearchIndex::open_read_only(&store, &index_dir(db))?;
    if let Some(advice) = advice {
        eprintln!("note: {advice}");
    }
    Ok(index)
}

/// Fails, saying how to fill it, when the corpus has neither transcripts
/// nor comments to search.
fn require_searchable(store: &podcorpus_store::Store) -> anyhow::Result<()> {
    if store.transcript_fingerprints()?.is_empty() && store.commented_episodes(None)?.is_empty() {
        anyhow::bail!("{}", podcorpus_search::SearchError::Empty);
    }
    Ok(())
}

/// Opens the corpus and its index brought up to date, for commands that
/// write (`embed`).
pub fn open_index_updated(db: &Path) -> anyhow::Result<SearchIndex> {
    let store = super::open_existing(db)?;
    require_searchable(&store)?;
    let (index, report) = SearchIndex::open_current(&store, &index_dir(db))?;
    if report.indexed > 0 || report.removed > 0 {
        eprintln!(
            "search index brought up to date: {} transcripts indexed, {} removed",
            report.indexed, report.removed
        );
    }
    if report.comments_indexed > 0 || report.comments_removed > 0 {
        eprintln!(
            "search index brought up to date: the comments of {} episodes indexed, of {} removed",
            report.comments_indexed, report.comments_removed
        );
    }
    Ok(index)
}

/// Runs `search`; exit code 1 when nothing matches (as grep).
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let filter = args.filter.filter_in(args.within.what)?;
    anyhow::ensure!(
        args.within.what == InArg::Transcripts || !(args.semantic || args.hybrid),
        "--semantic and --hybrid search the transcripts (comments are not embedded): \
         leave them out to search comments by their words"
    );
    let index = open_index(db)?;
    if let Some(file) = &args.bench {
        return bench(&index, file, args.limit, json);
    }
    let query = args.query.unwrap_or_default();
    anyhow::ensure!(
        args.keyword_weight.is_finite() && args.keyword_weight >= 0.0,
        "--keyword-weight takes a number of 0 or more (0: meaning alone, 1: even), got {}",
        args.keyword_weight
    );
    let hits = if args.semantic || args.hybrid {
        super::embed::by_meaning(
            db,
            &index,
            &query,
            &filter,
            args.limit,
            args.hybrid.then_some(args.keyword_weight),
            &args.model,
        )?
    } else {
        podcorpus_search::search(&index, &query, &filter, args.limit)?
    };
    if json {
        output::print_json(&hits)?;
        return Ok(if hits.is_empty() { 1 } else { 0 });
    }
    let (bold, plain) = if std::io::stdout().is_terminal() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut out = std::io::stdout().lock();
    if hits.is_empty() {
        let what = match args.within.what {
            InArg::Transcripts => "passage",
            InArg::Comments => "comment",
        };
        writeln!(out, "no {what} matches {query}")?;
        return Ok(1);
    }
    for (i, h) in hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let mut head = format!("{}/{}", h.collection, h.number);
        if let Some(t) = &h.title {
            head.push_str(&format!("  {}", output::clip(t, 70)));
        }
        match &h.comment {
            Some(_) => head.push_str("  [comment]"),
            None => head.push_str(&format!("  [{}]", h.source)),
        }
        writeln!(out, "{bold}{head}{plain}")?;
        let at = match &h.comment {
            Some(c) => c.label(),
            None => h.timestamp.clone().unwrap_or_else(|| "--:--:--".into()),
        };
        match &h.url {
            Some(u) => writeln!(out, "  {at}  {u}")?,
            None => writeln!(out, "  {at}")?,
        }
        writeln!(out, "  {}", h.marked(bold, plain))?;
    }
    Ok(0)
}

/// One line of a bench file: the query and its filter.
fn bench_line(line: &str) -> anyhow::Result<(String, Filter)> {
    let (query, opts) = line.split_once("|||").unwrap_or((line, ""));
    let mut f = Filter::default();
    for kv in opts.split_whitespace() {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "collection" => f.collection = Some(v.to_string()),
            "source" => f.source = Some(v.to_string()),
            "since" => f.since = Some(v.to_string()),
            "until" => f.until = Some(v.to_string()),
            "all-sources" => f.all_sources = true,
            "in" if v == "comments" => f.kind = Kind::Comment,
            "in" if v == "transcripts" => f.kind = Kind::Transcript,
            _ => anyhow::bail!("unknown bench option {k:?} in line {line:?}"),
        }
    }
    Ok((query.trim().to_string(), f))
}

/// Runs every query of the file a few times; prints p50/p99 of one search.
fn bench(index: &SearchIndex, file: &Path, limit: usize, json: bool) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("reading the query file {}", file.display()))?;
    let queries: Vec<(String, Filter)> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(bench_line)
        .collect::<anyhow::Result<_>>()?;
    const ROUNDS: usize = 5;
    let mut hits_per_query = Vec::with_capacity(queries.len());
    // One warm-up round: the first touch of each posting list pages it in.
    for (q, f) in &queries {
        let hits = podcorpus_search::search(index, q, f, limit)
            .with_context(|| format!("bench query {q:?}"))?;
        hits_per_query.push(hits.len());
    }
    let mut micros: Vec<u128> = Vec::with_capacity(queries.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for (q, f) in &queries {
            let t = Instant::now();
            let _ = podcorpus_search::search(index, q, f, limit)?;
            micros.push(t.elapsed().as_micros());
        }
    }
    micros.sort_unstable();
    let pct = |p: f64| {
        let i = ((micros.len() as f64 - 1.0) * p).round() as usize;
        micros.get(i).copied().unwrap_or(0) as f64 / 1000.0
    };
    let report = serde_json::json!({
        "queries": queries.len(),
        "rounds": ROUNDS,
        "searches": micros.len(),
        "limit": limit,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
        "queries_without_hits": hits_per_query.iter().filter(|&&n| n == 0).count(),
    });
    if json {
        output::print_json(&report)?;
    } else {
        println!(
            "{} queries x {} rounds (top {}): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {} queries without hits",
            queries.len(),
            ROUNDS,
            limit,
            pct(0.50),
            pct(0.99),
            pct(1.0),
            report["queries_without_hits"]
        );
    }
    Ok(0)
}
