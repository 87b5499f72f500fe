//! `podcorpus keywords`: what is distinctive about an episode (or all episodes
//! of a guest) against the rest of the corpus, or with `--reference english`
//! against general English (wordfreq's `large_en`), by log-likelihood with
//! log ratio.

use super::stats::CorpusArgs;
use crate::output;
use anyhow::{bail, Context};
use podcorpus_analysis::corpus::Corpus;
use podcorpus_analysis::keyness::{keywords, keywords_against_english, KeyOptions, ENGLISH_TOKENS};
use podcorpus_analysis::plots;
use podcorpus_analysis::profile::shared_large_en;
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

/// Arguments of `keywords`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The episode (COLLECTION/NUMBER, NUMBER or video id); with
    /// `--reference english` and no episode, the whole selected corpus.
    episode: Option<String>,
    /// Instead of one episode: every episode whose guests include this name.
    #[arg(long)]
    guest: Option<String>,
    /// What to compare with: `rest` (the rest of the corpus) or `english`
    /// (wordfreq's large_en frequencies as a corpus of 10⁹ tokens).
    #[arg(long, default_value = "rest", value_parser = ["rest", "english"])]
    reference: String,
    /// How many keywords.
    #[arg(long, default_value_t = 30)]
    top: usize,
    /// Ignore words seen fewer times in the target.
    #[arg(long, default_value_t = 3)]
    min_count: u64,
    /// Leave out stop words.
    #[arg(long)]
    no_stop: bool,
    /// Write a bar chart of the keywords into this folder.
    #[arg(long, value_name = "DIR")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    corpus: CorpusArgs,
}

/// The documents a command looks at: one episode, a guest's episodes, or
/// (when `whole` allows it and neither is named) every document, with a
/// label for headings. Shared by `keywords`, `profile` and `clusters`.
pub fn select_target(
    store: &Store,
    corpus: &Corpus,
    episode: Option<&str>,
    guest: Option<&str>,
    whole: bool,
) -> anyhow::Result<(String, Vec<usize>)> {
    match (episode, guest) {
        (Some(name), None) => {
            let row = store.resolve(name)?;
            let label = format!("{}/{}", row.collection, row.number);
            let idx = corpus.docs.iter().position(|d| d.name == label);
            let Some(i) = idx else {
                bail!("{label} has no transcript in the selected corpus");
            };
            Ok((label, vec![i]))
        }
        (None, Some(guest)) => {
            let g = guest.to_lowercase();
            let idx: Vec<usize> = (0..corpus.docs.len())
                .filter(|&i| {
                    corpus.docs[i]
                        .guests
                        .iter()
                        .any(|n| n.to_lowercase().contains(&g))
                })
                .collect();
            if idx.is_empty() {
                bail!("no episode has a guest matching {guest:?}");
            }
            Ok((format!("guest {guest}"), idx))
        }
        (None, None) if whole => Ok(("the corpus".into(), (0..corpus.docs.len()).collect())),
        (Some(_), Some(_)) => bail!("name one episode or --guest NAME, not both"),
        _ => bail!("name one episode, or --guest NAME"),
    }
}

/// Runs `keywords`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    let english = args.reference == "english";
    let corpus = args.corpus.load(&store, None)?;
    let (label, target) = select_target(
        &store,
        &corpus,
        args.episode.as_deref(),
        args.guest.as_deref(),
        english,
    )?;
    let options = KeyOptions {
        top: args.top,
        min_count: args.min_count,
        no_stop: args.no_stop,
    };
    let (list, against) = if english {
        let words = shared_large_en().context("reading wordfreq's large_en word list")?;
        (
            keywords_against_english(&corpus, &target, &words, options),
            "general English (wordfreq large_en)",
        )
    } else {
        (
            keywords(&corpus, &target, options),
            "the rest of the corpus",
        )
    };
    if let Some(dir) = &args.plot {
        std::fs::create_dir_all(dir)?;
        let file = dir.join(format!("keywords_{}.svg", label.replace(['/', ' '], "_")));
        let items: Vec<(String, f64)> = list
            .iter()
            .take(25)
            .map(|k| (k.word.clone(), k.g2))
            .collect();
        let svg = plots::bars(
            &format!("Top keywords of {label} (log-likelihood G²)"),
            &format!("G² against {against}"),
            &items,
        )?;
        plots::write(&file, &svg)?;
        eprintln!("wrote {}", file.display());
    }
    if json {
        output::print_json(&list)?;
        return Ok(0);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|k| {
            vec![
                k.word.clone(),
                k.target.to_string(),
                k.reference.to_string(),
                format!("{:.1}", k.g2),
                format!("{:.2}", k.log_ratio),
            ]
        })
        .collect();
    if english {
        println!(
            "Keywords of {label} against {against}, taken as {ENGLISH_TOKENS:.0} tokens; numbers left out"
        );
    } else {
        println!(
            "Keywords of {label} against {against} ({} documents)",
            corpus.docs.len()
        );
    }
    let rest = if english { "english" } else { "rest" };
    output::print_table(
        &["word", "here", rest, "G2", "log ratio"],
        &rows,
        &[1, 2, 3, 4],
    );
    Ok(0)
}
