//! `podcorpus reindex`: rebuild the search index (passages and comments)
//! from the database.

use crate::output;
use podcorpus_search::index::{index_dir, update};
use std::path::Path;
use std::time::Instant;

/// Arguments of `reindex` (none: the index folder is `<db>.index`).
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `reindex`.
pub fn run(db: &Path, json: bool, _args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    let dir = index_dir(db);
    let start = Instant::now();
    let report = update(&store, &dir, true)?;
    let seconds = start.elapsed().as_secs_f64();
    if json {
        output::print_json(&serde_json::json!({
            "index": dir.display().to_string(),
            "transcripts": report.indexed,
            "passages": report.passages,
            "commented_episodes": report.comments_indexed,
            "comments": report.comments,
            "seconds": seconds,
        }))?;
    } else {
        println!(
            "indexed {} transcripts ({} passages) into {} in {:.2} s",
            report.indexed,
            report.passages,
            dir.display(),
            seconds
        );
        if report.comments_indexed > 0 {
            println!(
                "indexed the comments of {} episodes ({} comments)",
                report.comments_indexed, report.comments
            );
        }
        if report.indexed == 0 && report.comments_indexed == 0 {
            println!("{}", podcorpus_search::SearchError::Empty);
        }
    }
    Ok(0)
}
