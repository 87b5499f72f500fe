//! `podcorpus eval-summary`: ROUGE-1, ROUGE-2 and ROUGE-L of one summary
//! against another (as Google's rouge-score computes them, no stemming).

use crate::output;
use anyhow::Context;
use podcorpus_core::Subject;
use podcorpus_store::Store;
use podcorpus_summarize::rouge::{rouge, Rouge};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Arguments of `eval-summary`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The episode: COLLECTION/NUMBER, NUMBER, or a YouTube video id.
    #[arg(conflicts_with = "all")]
    episode: Option<String>,
    /// Every episode that has summaries of both kinds.
    #[arg(long)]
    all: bool,
    /// The reference summary's kind (imported, extractive, llm); the latest stored is used.
    #[arg(long = "ref", default_value = "imported")]
    reference: String,
    /// The evaluated summary's kind.
    #[arg(long, default_value = "extractive")]
    hyp: String,
    /// Read the reference from this file instead.
    #[arg(long)]
    ref_file: Option<PathBuf>,
    /// Read the evaluated summary from this file instead.
    #[arg(long)]
    hyp_file: Option<PathBuf>,
    /// Compare summaries of the episode, or of its comments (the notes'
    /// "Based on the comments, …" against `summarize --of comments`).
    #[arg(long, value_enum, default_value = "episode")]
    of: super::summarize::Of,
}

/// One comparison.
#[derive(Serialize)]
struct Row {
    #[serde(skip_serializing_if = "Option::is_none")]
    episode: Option<String>,
    #[serde(rename = "ref")]
    reference: String,
    hyp: String,
    #[serde(flatten)]
    scores: Rouge,
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("reading the summary file {}", path.display()))
}

/// The latest summary of `kind` about `subject` of an episode.
fn latest(
    store: &Store,
    episode_id: i64,
    name: &str,
    kind: &str,
    subject: Subject,
) -> anyhow::Result<String> {
    store
        .summaries(episode_id, Some(kind))?
        .into_iter()
        .rev()
        .find(|s| s.summary.subject == subject)
        .map(|s| s.summary.text)
        .with_context(|| {
            let (of, flag) = match subject {
                Subject::Episode => ("", ""),
                Subject::Comments => (" of comments", " --of comments"),
            };
            format!("{name} has no {kind} summary{of} (`podcorpus show {name}` lists its summaries; `podcorpus summarize {name}{flag}` makes an extractive one)")
        })
}

/// Runs `eval-summary`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    if args.episode.is_none() && !args.all && (args.ref_file.is_none() || args.hyp_file.is_none()) {
        anyhow::bail!("name an episode, or give --all, or give both --ref-file and --hyp-file");
    }
    let fixed_ref = args.ref_file.as_deref().map(read).transpose()?;
    let fixed_hyp = args.hyp_file.as_deref().map(read).transpose()?;
    let ref_label = args
        .ref_file
        .as_ref()
        .map_or(args.reference.clone(), |p| p.display().to_string());
    let hyp_label = args
        .hyp_file
        .as_ref()
        .map_or(args.hyp.clone(), |p| p.display().to_string());
    let mut rows = Vec::new();
    if let (Some(r), Some(h), None) = (&fixed_ref, &fixed_hyp, &args.episode) {
        rows.push(Row {
            episode: None,
            reference: ref_label,
            hyp: hyp_label,
            scores: rouge(r, h),
        });
    } else {
        let store = super::open_existing(db)?;
        let subject = Subject::from(args.of);
        let episodes: Vec<(i64, String)> = match &args.episode {
            Some(name) => {
                let row = store.resolve(name)?;
                vec![(row.id, format!("{}/{}", row.collection, row.number))]
            }
            None => store.episodes_with_summaries(&args.reference, &args.hyp, subject)?,
        };
        if episodes.is_empty() {
            anyhow::bail!(
                "no episode has both a {} and a {} summary{}",
                args.reference,
                args.hyp,
                if subject == Subject::Comments {
                    " of comments"
                } else {
                    ""
                }
            );
        }
        for (id, name) in episodes {
            let r = match &fixed_ref {
                Some(t) => t.clone(),
                None => latest(&store, id, &name, &args.reference, subject)?,
            };
            let h = match &fixed_hyp {
                Some(t) => t.clone(),
                None => latest(&store, id, &name, &args.hyp, subject)?,
            };
            rows.push(Row {
                episode: Some(name),
                reference: ref_label.clone(),
                hyp: hyp_label.clone(),
                scores: rouge(&r, &h),
            });
        }
    }
    if json {
        if rows.len() == 1 && !args.all {
            output::print_json(&rows[0])?;
        } else {
            output::print_json(&rows)?;
        }
        return Ok(0);
    }
    let mut table = Vec::new();
    for r in &rows {
        let s = &r.scores;
        for (measure, score) in [
            ("rouge1", s.rouge1),
            ("rouge2", s.rouge2),
            ("rougeL", s.rouge_l),
        ] {
            table.push(vec![
                r.episode.clone().unwrap_or_else(|| "-".into()),
                measure.to_string(),
                format!("{:.4}", score.precision),
                format!("{:.4}", score.recall),
                format!("{:.4}", score.f1),
            ]);
        }
    }
    println!("ref: {}   hyp: {}", rows[0].reference, rows[0].hyp);
    output::print_table(
        &["EPISODE", "MEASURE", "PRECISION", "RECALL", "F1"],
        &table,
        &[2, 3, 4],
    );
    if rows.len() > 1 {
        let n = rows.len() as f64;
        let mean = |f: &dyn Fn(&Rouge) -> f64| rows.iter().map(|r| f(&r.scores)).sum::<f64>() / n;
        println!(
            "mean F1 over {} episodes: rouge1 {:.4}  rouge2 {:.4}  rougeL {:.4}",
            rows.len(),
            mean(&|s| s.rouge1.f1),
            mean(&|s| s.rouge2.f1),
            mean(&|s| s.rouge_l.f1)
        );
    }
    Ok(0)
}
