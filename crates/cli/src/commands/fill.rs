//! `podcorpus fill NOTES.txt`: the slots of the user's notes document that
//! have only a link get the video's date, title, description, timed
//! transcript and summary, written into the document in place.

use super::fetch::VideoArgs;
use super::summarize::{client_of, method_of, MethodArgs};
use crate::output;
use podcorpus_fetch::listing::Selection;
use podcorpus_fill::{fill, FillOptions, FillReport};
use std::path::{Path, PathBuf};

/// Arguments of `fill`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes document to fill in place (a backup NAME.bak is kept).
    notes: PathBuf,
    /// Put this channel's next videos (oldest first, after the newest one
    /// the document holds) into the empty slots of --slots, then fill them.
    #[arg(long, value_name = "CHANNEL_URL", requires = "slots")]
    from: Option<String>,
    /// Only these slots: 7..20 (both ends included), or one number.
    #[arg(long, value_name = "RANGE", value_parser = podcorpus_fill::plan::parse_range)]
    slots: Option<std::ops::RangeInclusive<u32>>,
    /// With --from: leave out shorts (`/shorts/` addresses, or 60 s and less).
    #[arg(long)]
    no_shorts: bool,
    /// With --from: leave out videos shorter than this many seconds.
    #[arg(long)]
    min_duration: Option<f64>,
    /// Print the change as a diff; write nothing (the videos are fetched
    /// into a temporary corpus, not yours).
    #[arg(long)]
    dry_run: bool,
    /// How each video is fetched.
    #[command(flatten)]
    video: VideoArgs,
    /// How each slot's summary is made.
    #[command(flatten)]
    method: MethodArgs,
}

/// Runs `fill`; exit code 1 when any slot failed.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let client = client_of(&args.method)?;
    let method = method_of(&args.method, false, client.as_ref())?;
    let selection = Selection {
        no_shorts: args.no_shorts,
        min_duration: args.min_duration,
        ..Selection::default()
    };
    // A dry run fetches into a corpus of its own, so that yours is untouched.
    let scratch = if args.dry_run {
        Some(tempfile::tempdir()?)
    } else {
        None
    };
    let mut video = args.video;
    let db = match &scratch {
        Some(dir) => {
            video.out = Some(dir.path().join("downloads"));
            dir.path().join("dry-run.db")
        }
        None => db.to_path_buf(),
    };
    let store = super::open(&db)?;
    let opts = FillOptions {
        fetch: video.options(&db, selection),
        from: args.from,
        slots: args.slots,
        dry_run: args.dry_run,
    };
    let report = fill(&store, &args.notes, &opts, &method, &|slot, url| {
        eprintln!("slot {slot:02}: {url}");
    })?;
    if scratch.is_none() && !report.filled.is_empty() {
        super::refresh_index(&store, &db);
    }
    if json {
        output::print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

fn print_report(r: &FillReport) {
    if let Some(diff) = &r.diff {
        print!("{diff}");
    }
    for f in &r.filled {
        println!(
            "slot {:02}: filled with {} ({}, {} words of {}, {} {})",
            f.slot,
            f.title.as_deref().unwrap_or(&f.url),
            f.episode,
            f.words,
            f.source,
            f.summaries,
            if f.summaries == 1 {
                "summary"
            } else {
                "summaries"
            }
        );
    }
    for f in &r.failed {
        println!(
            "slot {:02}: not filled, left as it was: {} ({})",
            f.slot, f.reason, f.url
        );
    }
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    let path = r.path.display();
    match (&r.backup, r.written) {
        (Some(b), true) => println!(
            "{path} written; the document as it was is in {}",
            b.display()
        ),
        _ if r.diff.is_some() => println!("{path}: dry run, nothing written"),
        _ if r.filled.is_empty() && r.failed.is_empty() => {
            println!(
                "{path}: no slot to fill (a slot is filled when it has a link and nothing else)"
            )
        }
        _ => println!("{path}: nothing written"),
    }
}
