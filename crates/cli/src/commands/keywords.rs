//! `podcorpus keywords`: what is distinctive about an episode (or all episodes
//! of a guest) against the rest of the corpus, by log-likelihood with log ratio.

use super::stats::CorpusArgs;
use crate::output;
use anyhow::bail;
use podcorpus_analysis::keyness::{keywords, KeyOptions};
use podcorpus_analysis::plots;
use std::path::{Path, PathBuf};

/// Arguments of `keywords`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The episode (COLLECTION/NUMBER, NUMBER or video id).
    episode: Option<String>,
    /// Instead of one episode: every episode whose guests include this name.
    #[arg(long)]
    guest: Option<String>,
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

/// Runs `keywords`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    let corpus = args.corpus.load(&store, None)?;
    let (label, target): (String, Vec<usize>) = match (&args.episode, &args.guest) {
        (Some(name), None) => {
            let row = store.resolve(name)?;
            let label = format!("{}/{}", row.collection, row.number);
            let idx = corpus.docs.iter().position(|d| d.name == label);
            let Some(i) = idx else {
                bail!("{label} has no transcript in the selected corpus");
            };
            (label, vec![i])
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
            (format!("guest {guest}"), idx)
        }
        _ => bail!("name one episode, or --guest NAME"),
    };
    let list = keywords(
        &corpus,
        &target,
        KeyOptions {
            top: args.top,
            min_count: args.min_count,
            no_stop: args.no_stop,
        },
    );
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
            "G² against the rest of the corpus",
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
    println!(
        "Keywords of {label} against the rest of the corpus ({} documents)",
        corpus.docs.len()
    );
    output::print_table(
        &["word", "here", "rest", "G2", "log ratio"],
        &rows,
        &[1, 2, 3, 4],
    );
    Ok(0)
}
