//! `podcorpus collocates`: the words that keep company with a node within a
//! window, by log-Dice, MI and t-score. The node is a word or any
//! concordance pattern (`consci*`, `/regex/`, `lemma:run`, a phrase,
//! `"a b"~N`), found by search's `Pattern`.

use super::stats::CorpusArgs;
use crate::output;
use podcorpus_analysis::collocates::{collocates_of, CollocOptions};
use podcorpus_analysis::corpus::Doc;
use std::path::Path;

/// Arguments of `collocates`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The node: a word, a "phrase", consci*, wom?n, /regex/, lemma:run or "a b"~N.
    word: String,
    /// Words on each side.
    #[arg(long, default_value_t = 5)]
    window: usize,
    /// How many collocates.
    #[arg(long, default_value_t = 30)]
    top: usize,
    /// Ignore collocates seen together fewer times.
    #[arg(long, default_value_t = 3)]
    min_count: u64,
    /// Leave out stop words.
    #[arg(long)]
    no_stop: bool,
    #[command(flatten)]
    corpus: CorpusArgs,
}

/// Runs `collocates`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    // A mistake in the pattern is reported before the corpus is read.
    let pattern = podcorpus_search::pattern::Pattern::parse(&args.word, false)?;
    let store = super::open_existing(db)?;
    let corpus = args.corpus.load(&store, None)?;
    let docs: Vec<&Doc> = corpus.docs.iter().collect();
    let o = CollocOptions {
        window: args.window,
        min_count: args.min_count,
        no_stop: args.no_stop,
        top: args.top,
    };
    let find = |tokens: &[&str]| pattern.find(tokens);
    let Some((f, list)) = collocates_of(&corpus, &docs, &find, o) else {
        eprintln!("{:?} does not occur in the corpus", args.word);
        return Ok(1);
    };
    if json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            node: &'a str,
            frequency: u64,
            window: usize,
            collocates: &'a [podcorpus_analysis::collocates::Collocate],
        }
        output::print_json(&Out {
            node: &args.word,
            frequency: f,
            window: args.window,
            collocates: &list,
        })?;
        return Ok(0);
    }
    println!(
        "{:?}: {f} occurrences; collocates within {} words on either side",
        args.word, args.window
    );
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            vec![
                c.word.clone(),
                c.together.to_string(),
                c.frequency.to_string(),
                format!("{:.2}", c.log_dice),
                format!("{:.2}", c.mi),
                format!("{:.2}", c.t_score),
            ]
        })
        .collect();
    output::print_table(
        &["collocate", "together", "freq", "logDice", "MI", "t"],
        &rows,
        &[1, 2, 3, 4, 5],
    );
    Ok(0)
}
