//! `podcorpus export`: writes the corpus (or a selection) as a notes
//! document, JSONL, Parquet, CSV, text, WebVTT/SRT or a Hugging Face dataset.

use podcorpus_export::hf::Split;
use podcorpus_export::selection::{self, SelectionArgs};
use podcorpus_export::{ExportRequest, Format};
use std::path::{Path, PathBuf};

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// notes, jsonl, parquet, csv, txt, vtt, srt or hf.
    #[arg(long, short = 'f', value_parser = parse_format)]
    format: Format,
    /// The file to write (`-` for stdout) or, for txt/vtt/srt/hf, the folder.
    #[arg(long, short = 'o')]
    output: PathBuf,
    /// Only this collection.
    #[arg(long)]
    collection: Option<String>,
    /// This transcript source (e.g. whisper-small) instead of each episode's best.
    #[arg(long)]
    source: Option<String>,
    /// Only episodes published on or after this date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only episodes published on or before this date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Only these episodes, comma-separated: COLLECTION/NUMBER, NUMBER or video id.
    #[arg(long)]
    episodes: Option<String>,
    /// Also write the timed segments (jsonl, parquet: a segments table, csv: one row per segment, hf).
    #[arg(long)]
    segments: bool,
    /// Also write the viewers' comments (parquet: a comments table; hf: a
    /// comments column; jsonl carries them always).
    #[arg(long)]
    comments: bool,
    /// notes: the highest slot number (default: the imported document's, or 99).
    #[arg(long)]
    slots: Option<u32>,
    /// hf: train,validation,test shares of the episodes.
    #[arg(long, default_value = "0.9,0.05,0.05", value_parser = parse_split)]
    split: Split,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
        .map_err(|e: podcorpus_export::ExportError| e.to_string())
}

fn parse_split(s: &str) -> Result<Split, String> {
    s.parse()
        .map_err(|e: podcorpus_export::ExportError| e.to_string())
}

/// Runs `export`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    let selection = selection::resolve(
        &store,
        &SelectionArgs {
            collection: args.collection,
            source: args.source,
            since: args.since,
            until: args.until,
            episodes: args.episodes,
        },
    )?;
    let result = podcorpus_export::export(
        &store,
        &ExportRequest {
            format: args.format,
            output: args.output.clone(),
            selection,
            segments: args.segments,
            comments: args.comments,
            slots: args.slots,
            split: args.split,
        },
    );
    let report = match result {
        Ok(r) => r,
        // `export -o - | head`: the reader has what it wanted.
        Err(e) if e.is_broken_pipe() => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    let to_stdout = args.output == Path::new("-");
    if json && !to_stdout {
        crate::output::print_json(&report)?;
        return Ok(0);
    }
    // With `-o -` the data is on stdout: the summary goes to stderr.
    let counts: Vec<String> = [(report.segments, "segments"), (report.comments, "comments")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    let summary = format!(
        "exported {} episodes{} as {} to {} ({} files, {} bytes){}",
        report.episodes,
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        },
        report.format,
        args.output.display(),
        report.files.len(),
        report.bytes(),
        if report.skipped.is_empty() {
            String::new()
        } else {
            format!(
                "; skipped {}: {}",
                report.skipped.len(),
                report
                    .skipped
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    );
    if to_stdout {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(0)
}
