//! `podcorpus dispersion`: where a word or phrase falls in each episode (one
//! barcode row per episode, as AntConc's concordance plot) and how evenly it
//! spreads over them: range, Juilland's D, Gries' DP and DPnorm.

use super::stats::CorpusArgs;
use crate::output;
use anyhow::Context;
use podcorpus_analysis::corpus::Corpus;
use podcorpus_analysis::dispersion::{dispersion, docs_with_guest, match_starts, Dispersion};
use podcorpus_analysis::plots;
use podcorpus_search::pattern::Pattern;
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

/// Which episodes `dispersion` and `trend` read: the corpus commands'
/// --collection and --source, and --guest.
#[derive(Debug, Clone, clap::Args)]
pub struct Selection {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Only episodes whose guests include this name (case-insensitive).
    #[arg(long)]
    guest: Option<String>,
}

impl Selection {
    /// The selected transcripts and the indexes of the documents to use.
    pub fn load(&self, store: &Store) -> anyhow::Result<(Corpus, Vec<usize>)> {
        let corpus = self.corpus.load(store, None)?;
        let docs = docs_with_guest(&corpus, self.guest.as_deref());
        if docs.is_empty() {
            anyhow::bail!(
                "no episode has a guest matching {:?}",
                self.guest.as_deref().unwrap_or("")
            );
        }
        Ok((corpus, docs))
    }
}

/// The dispersion of `query` over `docs`: the pattern parsed (case folded:
/// the corpus keeps lowercased tokens) and matched.
pub fn compute(corpus: &Corpus, docs: &[usize], query: &str) -> anyhow::Result<Dispersion> {
    let pattern = Pattern::parse(query, false)?;
    let starts = match_starts(corpus, docs, &|t: &[&str]| pattern.find(t));
    Ok(dispersion(corpus, docs, query, &starts))
}

/// Arguments of `dispersion`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A word, or a phrase ("meaning of life"); compared lowercased.
    query: String,
    /// Write the barcode plot (one row per episode) as SVG to this file.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    select: Selection,
}

/// Width of the text barcode, in characters.
const STRIP: usize = 40;

/// Runs `dispersion`; exit code 1 when the pattern never occurs.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    let (corpus, docs) = args.select.load(&store)?;
    let d = compute(&corpus, &docs, &args.query)?;
    let code = i32::from(d.measures.hits == 0);
    if let Some(file) = &args.plot {
        if let Some(dir) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        plots::write(file, &plots::dispersion(&d)?)?;
        eprintln!("wrote {}", file.display());
    }
    if json {
        output::print_json(&d)?;
        return Ok(code);
    }
    let rows: Vec<Vec<String>> = d
        .episodes
        .iter()
        .map(|p| {
            let mut strip = vec![b'.'; STRIP];
            for &f in &p.positions {
                let c = ((f * STRIP as f64) as usize).min(STRIP - 1);
                strip[c] = b'|';
            }
            let per_million = if p.tokens > 0 {
                p.hits as f64 / p.tokens as f64 * 1e6
            } else {
                0.0
            };
            vec![
                p.episode.clone(),
                p.tokens.to_string(),
                p.hits.to_string(),
                format!("{per_million:.1}"),
                String::from_utf8_lossy(&strip).into_owned(),
            ]
        })
        .collect();
    output::print_table(
        &[
            "episode",
            "tokens",
            "hits",
            "per million",
            "where (start → end)",
        ],
        &rows,
        &[1, 2, 3],
    );
    let m = &d.measures;
    let fmt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.4}"));
    println!();
    println!(
        "{:?}: {} hits in {} tokens ({:.1} per million)",
        d.query, m.hits, m.tokens, m.per_million
    );
    println!("range         {} of {} episodes", m.range, m.parts);
    println!("Juilland's D  {}", fmt(m.juilland_d));
    println!("DP            {}", fmt(m.dp));
    println!("DPnorm        {}", fmt(m.dp_norm));
    Ok(code)
}
