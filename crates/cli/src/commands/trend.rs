//! `podcorpus trend`: how often words or phrases occur per year or month of
//! publication, per million tokens, several terms at once (as the Ngram
//! Viewer shows them).

use super::dispersion::Selection;
use crate::output;
use anyhow::Context;
use podcorpus_analysis::corpus::Corpus;
use podcorpus_analysis::dispersion::Find;
use podcorpus_analysis::plots;
use podcorpus_analysis::trend::{trend_of, By, Trend};
use podcorpus_search::pattern::Pattern;
use std::path::{Path, PathBuf};

/// The trend of each of `terms` over `docs`, grouped `by` year or month;
/// each term a pattern (case folded: the corpus keeps lowercased tokens).
pub fn compute(corpus: &Corpus, docs: &[usize], terms: &[String], by: By) -> anyhow::Result<Trend> {
    let patterns = terms
        .iter()
        .map(|t| Pattern::parse(t, false))
        .collect::<Result<Vec<_>, _>>()?;
    let finds: Vec<Box<Find>> = patterns
        .iter()
        .map(|p| Box::new(move |t: &[&str]| p.find(t)) as Box<Find>)
        .collect();
    let terms: Vec<(&str, &Find)> = terms
        .iter()
        .map(String::as_str)
        .zip(finds.iter().map(|f| &**f))
        .collect();
    Ok(trend_of(corpus, docs, by, &terms))
}

/// Arguments of `trend`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words or phrases ("meaning of life"), one line each; compared lowercased.
    #[arg(required = true)]
    terms: Vec<String>,
    /// Period: year or month of publication.
    #[arg(long, default_value = "year", value_parser = ["year", "month"])]
    by: String,
    /// Print CSV.
    #[arg(long)]
    csv: bool,
    /// Write the line chart as SVG to this file.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    select: Selection,
}

/// Runs `trend`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let by = By::parse(&args.by).unwrap_or(By::Year);
    let store = super::open_existing(db)?;
    let (corpus, docs) = args.select.load(&store)?;
    let t = compute(&corpus, &docs, &args.terms, by)?;
    if !t.undated.is_empty() {
        eprintln!(
            "left out {} of {} episodes without a date: {}",
            t.undated.len(),
            docs.len(),
            t.undated.join(", ")
        );
    }
    if t.rows.is_empty() {
        anyhow::bail!("no selected episode has a date (import a metadata table with dates)");
    }
    if let Some(file) = &args.plot {
        if let Some(dir) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        plots::write(file, &plots::trend(&t.rows)?)?;
        eprintln!("wrote {}", file.display());
    }
    if json {
        output::print_json(&t.rows)?;
    } else if args.csv {
        println!("term,period,count,tokens,per_million");
        for r in &t.rows {
            println!(
                "{},{},{},{},{}",
                output::csv_field(&r.term),
                r.period,
                r.count,
                r.tokens,
                r.per_million
            );
        }
    } else {
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.term.clone(),
                    r.period.clone(),
                    r.count.to_string(),
                    r.tokens.to_string(),
                    format!("{:.1}", r.per_million),
                ]
            })
            .collect();
        output::print_table(
            &["term", "period", "count", "tokens", "per million"],
            &rows,
            &[2, 3, 4],
        );
    }
    Ok(0)
}
