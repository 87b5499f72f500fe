//! `podcorpus clusters`: AntConc's Clusters tool: the n-grams that hold a
//! word or phrase at a given position, with frequency and range (episodes).

use super::keywords::select_target;
use super::stats::CorpusArgs;
use crate::output;
use anyhow::bail;
use podcorpus_analysis::clusters::{clusters, ClusterOptions, Position};
use podcorpus_search::pattern::Pattern;
use std::path::Path;

/// Arguments of `clusters`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The search term: a word or a phrase (as `kwic` takes it).
    query: String,
    /// Only this episode (COLLECTION/NUMBER, NUMBER or video id).
    #[arg(long)]
    episode: Option<String>,
    /// Only the episodes whose guests include this name.
    #[arg(long)]
    guest: Option<String>,
    /// Cluster sizes in tokens: `3`, or a range `2..4`.
    #[arg(long, default_value = "2..4")]
    size: String,
    /// Smallest cluster (overrides the start of --size).
    #[arg(long)]
    min: Option<usize>,
    /// Largest cluster (overrides the end of --size).
    #[arg(long)]
    max: Option<usize>,
    /// Where the term sits in its clusters.
    #[arg(long, default_value = "any", value_parser = ["left", "right", "any"])]
    position: String,
    /// Leave out clusters seen fewer times.
    #[arg(long, default_value_t = 1)]
    min_freq: u64,
    /// How many clusters to show.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[command(flatten)]
    corpus: CorpusArgs,
}

/// `3` → (3, 3); `2..4` or `2-4` → (2, 4).
fn sizes(s: &str) -> anyhow::Result<(usize, usize)> {
    let parse = |x: &str| {
        x.trim()
            .parse::<usize>()
            .map_err(|_| anyhow::anyhow!("--size {s:?}: give a number or a range like 2..4"))
    };
    match s.split_once("..").or_else(|| s.split_once('-')) {
        Some((a, b)) => Ok((parse(a)?, parse(b.trim_start_matches('='))?)),
        None => parse(s).map(|n| (n, n)),
    }
}

/// Runs `clusters`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let (lo, hi) = sizes(&args.size)?;
    let (min, max) = (args.min.unwrap_or(lo), args.max.unwrap_or(hi));
    if min == 0 || min > max {
        bail!("cluster sizes {min}..{max}: give 1 ≤ min ≤ max");
    }
    // The corpus tokens are lowercased, so the term is matched without case.
    let pattern = Pattern::parse(&args.query, false)?;
    let store = super::open_existing(db)?;
    let corpus = args.corpus.load(&store, None)?;
    let (label, docs) = select_target(
        &store,
        &corpus,
        args.episode.as_deref(),
        args.guest.as_deref(),
        true,
    )?;
    let position = match args.position.as_str() {
        "left" => Position::Left,
        "right" => Position::Right,
        _ => Position::Any,
    };
    let found = clusters(
        &corpus,
        &docs,
        |tokens| pattern.find(tokens),
        ClusterOptions {
            min,
            max,
            position,
            min_freq: args.min_freq,
            limit: args.limit,
        },
    );
    if json {
        output::print_json(&found)?;
        return Ok(0);
    }
    println!(
        "Clusters of {:?} in {label} ({} hits; sizes {min}..{max}, term {}; {} clusters seen at least {} times)",
        args.query, found.hits, args.position, found.distinct, args.min_freq.max(1)
    );
    let rows: Vec<Vec<String>> = found
        .clusters
        .iter()
        .map(|c| vec![c.cluster.clone(), c.freq.to_string(), c.range.to_string()])
        .collect();
    output::print_table(&["cluster", "freq", "range"], &rows, &[1, 2]);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::sizes;

    #[test]
    fn sizes_parse() {
        assert_eq!(sizes("3").ok(), Some((3, 3)));
        assert_eq!(sizes("2..4").ok(), Some((2, 4)));
        assert_eq!(sizes("2..=4").ok(), Some((2, 4)));
        assert_eq!(sizes("2-5").ok(), Some((2, 5)));
        assert!(sizes("two").is_err());
    }
}
