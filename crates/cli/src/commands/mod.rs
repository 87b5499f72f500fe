//! One module per subcommand; each has `Args` and `run`, returning the exit code.

pub mod clusters;
pub mod collocates;
pub mod compare;
pub mod dispersion;
pub mod embed;
pub mod eval_summary;
pub mod export;
pub mod fetch;
pub mod fill;
pub mod freq;
pub mod import;
pub mod keywords;
pub mod kwic;
pub mod list;
pub mod profile;
pub mod reindex;
pub mod search;
pub mod serve;
pub mod show;
pub mod similar;
pub mod stats;
pub mod summarize;
pub mod transcribe;
pub mod trend;

use anyhow::Context;
use podcorpus_store::Store;
use std::path::Path;

/// Opens the corpus database, saying which file could not be opened.
pub fn open(db: &Path) -> anyhow::Result<Store> {
    Store::open(db).with_context(|| format!("opening the corpus database {}", db.display()))
}

/// Opens an existing corpus for reading; an absent one is an error that says how to make it.
pub fn open_existing(db: &Path) -> anyhow::Result<Store> {
    require(db)?;
    open(db)
}

/// Fails, saying how to make one, when there is no corpus at `db`.
pub fn require(db: &Path) -> anyhow::Result<()> {
    if !podcorpus_store::location::exists(db) {
        anyhow::bail!(podcorpus_store::no_corpus_at(db));
    }
    Ok(())
}
