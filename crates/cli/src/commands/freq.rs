//! `podcorpus freq`: word or n-gram frequency list of the corpus (or one episode).

use super::stats::CorpusArgs;
use crate::output;
use podcorpus_analysis::corpus::Doc;
use podcorpus_analysis::freq::{frequencies, FreqOptions};
use std::path::Path;

/// Arguments of `freq`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this episode (COLLECTION/NUMBER, NUMBER or video id).
    episode: Option<String>,
    /// How many lines.
    #[arg(long, default_value_t = 50)]
    top: usize,
    /// N-gram size: 1 for words, 2 for bigrams, up to 4.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    ngram: u8,
    /// Leave out stop words (n-grams holding one).
    #[arg(long)]
    no_stop: bool,
    /// Leave out items seen fewer times.
    #[arg(long, default_value_t = 1)]
    min_count: u64,
    #[command(flatten)]
    corpus: CorpusArgs,
}

/// Runs `freq`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    let corpus = args.corpus.load_named(&store, args.episode.as_deref())?;
    let docs: Vec<&Doc> = corpus.docs.iter().collect();
    let list = frequencies(
        &corpus,
        &docs,
        FreqOptions {
            n: args.ngram as usize,
            no_stop: args.no_stop,
            min_count: args.min_count,
            top: args.top,
        },
    );
    if json {
        output::print_json(&list)?;
        return Ok(0);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                (i + 1).to_string(),
                e.item.clone(),
                e.count.to_string(),
                format!("{:.1}", e.per_million),
            ]
        })
        .collect();
    output::print_table(&["rank", "item", "count", "per million"], &rows, &[0, 2, 3]);
    Ok(0)
}
