//! The import pipeline, between the readers and the store: find the files
//! ([`discover`]), read them on every core (hash, decode, detect the format,
//! parse: [`read`]), and hand what they hold to the store in path order, in
//! transactions of whole files ([`pipeline`]). The store only stores.

pub mod discover;
pub mod pipeline;
pub mod read;
pub mod report;

pub use discover::{discover, Job};
pub use pipeline::{import, import_with, Committed};
pub use report::{Failure, ImportReport, ImportWarning};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Put everything in this collection, whatever the files say.
    pub collection: Option<String>,
    /// Import nothing if any file fails.
    pub strict: bool,
    /// For metadata tables: `(field, column)` pairs naming the columns
    /// whose names are not recognised (`--map title=name`).
    pub columns: Vec<(String, String)>,
}
