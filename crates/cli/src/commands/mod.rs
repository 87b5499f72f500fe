//! One module per subcommand; each has `Args` and `run`, returning the exit code.

pub mod clusters;
pub mod collocates;
pub mod compare;
pub mod copy;
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
    Store::open(db).with_context(|| format!("opening the corpus database {}", shown(db)))
}

/// Opens an existing corpus for reading; an absent one is an error that says how to make it.
pub fn open_existing(db: &Path) -> anyhow::Result<Store> {
    require(db)?;
    open(db)
}

/// Opens an existing corpus for reading only, as `search`, `kwic`, `show`
/// and `serve` do: nothing is migrated or written (see [`podcorpus_store::ReadOnly`]);
/// what the reader should know (an old schema read from a migrated copy)
/// goes to stderr.
pub fn open_read_only(db: &Path) -> anyhow::Result<Store> {
    require(db)?;
    let ro = podcorpus_store::ReadOnly::open(db)
        .with_context(|| format!("opening the corpus {} for reading", shown(db)))?;
    if let Some(advice) = ro.advice() {
        eprintln!("note: {advice}");
    }
    Ok(ro.connect()?)
}

/// Brings the search index of the corpus at `db` up to date after a command
/// wrote to the corpus (readers never do it: they open the corpus read-only);
/// says what changed on stderr. An index that cannot be updated is a
/// warning: what was written stays, and `reindex` tries again.
pub fn refresh_index(store: &Store, db: &Path) {
    let dir = podcorpus_search::index_dir(db);
    match podcorpus_search::index::update(store, &dir, false) {
        Ok(r) if r.indexed > 0 || r.removed > 0 || r.comments_indexed > 0 || r.comments_removed > 0 => {
            eprintln!(
                "search index: {} transcripts indexed, {} removed; the comments of {} episodes indexed, of {} removed",
                r.indexed, r.removed, r.comments_indexed, r.comments_removed
            );
        }
        Ok(_) => {}
        Err(e) => eprintln!(
            "warning: the search index was not updated: {e}; `podcorpus --db {} reindex` rebuilds it",
            shown(db)
        ),
    }
}

/// `db` as messages show it: a server's URL without its password.
pub fn shown(db: &Path) -> String {
    podcorpus_store::location::shown(db)
}

/// Fails, saying how to make one, when there is no corpus at `db`.
pub fn require(db: &Path) -> anyhow::Result<()> {
    if !podcorpus_store::location::exists(db) {
        anyhow::bail!(podcorpus_store::no_corpus_at(db));
    }
    Ok(())
}
