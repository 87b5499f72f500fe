//! `podcorpus list`: a table of episodes.

use crate::output;
use podcorpus_store::query::ListFilter;
use std::path::Path;

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this collection.
    #[arg(long)]
    collection: Option<String>,
}

/// Runs `list`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    let rows = store.list(&ListFilter {
        collection: args.collection,
    })?;
    if json {
        output::print_json(&rows)?;
        return Ok(0);
    }
    if rows.is_empty() {
        println!("The corpus is empty: import something, e.g. `podcorpus import notes.txt` or a folder of .vtt files.");
        return Ok(0);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.collection.clone(),
                r.number.to_string(),
                r.published.clone().unwrap_or_default(),
                output::clip(r.title.as_deref().unwrap_or(""), 60),
                r.sources.join(","),
                r.words.to_string(),
            ]
        })
        .collect();
    output::print_table(
        &["COLLECTION", "NUMBER", "DATE", "TITLE", "SOURCES", "WORDS"],
        &table,
        &[1, 5],
    );
    Ok(0)
}
