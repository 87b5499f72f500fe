//! `podcorpus import`: files and folders into the corpus.

use crate::output;
use indicatif::{ProgressBar, ProgressStyle};
use podcorpus_ingest::{discover, ImportOptions};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and folders to import (folders are searched recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Put everything into this collection.
    #[arg(long)]
    collection: Option<String>,
    /// Import nothing if any file fails.
    #[arg(long)]
    strict: bool,
    /// Leave the search index for later: `reindex` brings it up to date
    /// (`search` and `kwic` only read it). Saves time on bulk loads.
    #[arg(long)]
    no_index: bool,
    /// For metadata tables: read FIELD from COLUMN (FIELD is one of id,
    /// number, title, guests, published, duration, description, tags, url).
    /// Repeat for several.
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = parse_map)]
    map: Vec<(String, String)>,
}

/// What one committed transaction gives the indexer: its episodes, and
/// its transcripts' segments as parsed.
type Batch = (Vec<i64>, Vec<(i64, Vec<podcorpus_core::Segment>)>);

/// Hands committed episodes to the indexer thread. The channel is bounded:
/// when the indexer is behind, the writer waits rather than piling up
/// segments in memory.
struct ToIndexer(std::sync::mpsc::SyncSender<Batch>);

impl podcorpus_ingest::Committed for ToIndexer {
    fn committed(&mut self, episodes: &[i64], segments: Vec<(i64, Vec<podcorpus_core::Segment>)>) {
        // A closed channel means the indexer failed; it reports why.
        let _ = self.0.send((episodes.to_vec(), segments));
    }
}

/// The indexer thread: indexes each batch of committed episodes through its
/// own connection, then brings the rest of the index up to date and commits.
fn index_while_importing(
    db: &Path,
    committed: std::sync::mpsc::Receiver<Batch>,
) -> anyhow::Result<podcorpus_search::index::UpdateReport> {
    let store = super::open(db)?;
    let mut update =
        podcorpus_search::index::Update::begin(&podcorpus_search::index_dir(db), false)?;
    for (episodes, segments) in committed {
        update.episodes(&store, &episodes, segments)?;
    }
    Ok(update.finish(&store)?)
}

fn parse_map(s: &str) -> Result<(String, String), String> {
    use podcorpus_formats::table::Field;
    let (field, column) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not FIELD=COLUMN (e.g. --map title=episode_name)"))?;
    let field = field.trim();
    if Field::from_name(field).is_none() {
        return Err(format!(
            "{field:?} is not a field; the fields are {}",
            Field::ALL.map(Field::name).join(", ")
        ));
    }
    Ok((field.to_string(), column.trim().to_string()))
}

/// Runs `import`; exit code 1 when any file failed.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open(db)?;
    let options = ImportOptions {
        collection: args.collection,
        strict: args.strict,
        columns: args.map,
    };
    let (jobs, skipped) = discover(&args.paths, &options)?;
    let folder = args.paths.iter().any(|p| p.is_dir());
    let bar = if folder && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let progress = |p: &Path| {
        bar.set_message(
            p.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
        );
        bar.inc(1);
    };
    // Keep the search index current (only new or changed transcripts are
    // indexed), building it beside the writes: each file's episodes go to
    // the indexer as soon as they are committed.
    let (report, index) = if args.no_index {
        let report = podcorpus_ingest::import(&store, &jobs, &options, &progress);
        (report, Err(anyhow::anyhow!("skipped (--no-index)")))
    } else {
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(2);
            let indexer = scope.spawn(move || index_while_importing(db, rx));
            let report = podcorpus_ingest::import_with(
                &store,
                &jobs,
                &options,
                &progress,
                &mut ToIndexer(tx),
            );
            let index = indexer
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the indexer stopped")));
            (report, index)
        })
    };
    let mut report = report?;
    bar.finish_and_clear();
    report.skipped += skipped;
    if json {
        output::print_json(&Imported {
            report: &report,
            index: index.as_ref().ok(),
        })?;
    } else {
        for f in &report.failed {
            eprintln!("error: {}: {}", f.path, f.error);
        }
        const SHOWN: usize = 10;
        for w in report.warnings.iter().take(SHOWN) {
            output::warn_at(&w.path, w.line, &w.message);
        }
        match report.warnings.len() {
            0 => {}
            n if n > SHOWN => eprintln!(
                "{n} warnings: parts of files were left out, the first {SHOWN} above (`--json` lists them all)"
            ),
            n => eprintln!(
                "{n} warning{}: parts of files were left out, listed above",
                if n == 1 { "" } else { "s" }
            ),
        }
        println!(
            "{} files: {} imported, {} unchanged, {} failed, {} skipped — {} episodes, {} transcripts, {} segments, {} summaries",
            report.files,
            report.imported,
            report.unchanged,
            report.failed.len(),
            report.skipped,
            report.episodes,
            report.transcripts,
            report.segments,
            report.summaries
        );
        if report.matched + report.created + report.unmatched > 0 {
            println!(
                "episodes: {} matched, {} created, {} not stored",
                report.matched, report.created, report.unmatched
            );
        }
        if let Ok(ix) = &index {
            if ix.indexed > 0 || ix.removed > 0 {
                println!(
                    "search index: {} transcripts indexed ({} passages), {} removed",
                    ix.indexed, ix.passages, ix.removed
                );
            }
            if ix.comments_indexed > 0 || ix.comments_removed > 0 {
                println!(
                    "search index: the comments of {} episodes indexed ({} comments), of {} removed",
                    ix.comments_indexed, ix.comments, ix.comments_removed
                );
            }
        }
        if report.rolled_back {
            println!(
                "--strict: nothing was imported because {} file(s) failed",
                report.failed.len()
            );
        }
    }
    match &index {
        Err(_) if args.no_index => {}
        Err(e) => eprintln!("warning: the search index was not updated: {e}"),
        Ok(_) => {}
    }
    // A row left out is an episode lost, like a file that failed; a cue
    // left out is only a warning and leaves the exit code alone.
    Ok(if report.failed.is_empty() && report.unmatched == 0 {
        0
    } else {
        1
    })
}

/// The import report with what the index update did, for `--json`.
#[derive(serde::Serialize)]
struct Imported<'a> {
    #[serde(flatten)]
    report: &'a podcorpus_ingest::ImportReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<&'a podcorpus_search::UpdateReport>,
}
