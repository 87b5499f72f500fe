//! `podcorpus fill`: the user's notes document filled in place. For every
//! slot that has a link and nothing else, the video is fetched with the
//! fetch machinery (yt-dlp), and the slot gets its date, title, description,
//! timed transcript (in the transcript panel's layout) and summaries. Every
//! other byte of the document stays as it was.
//!
//! [`plan`] picks the slots (and, with `--from`, the channel's next videos
//! for empty slots), [`splice`] rewrites slot bodies inside the text; both
//! are pure. [`run`] does the fetching, the summaries, the safety checks and
//! the atomic write with its backup.

pub mod plan;
pub mod run;
pub mod splice;

pub use run::{fill, FillOptions, FillReport, FilledSlot, SlotFailure};

use std::path::PathBuf;

/// What stops a fill as a whole (one slot failing does not).
#[derive(Debug, thiserror::Error)]
pub enum FillError {
    /// The document could not be read or written.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done (`reading`).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The document is not a notes document, or has a line the reader refuses.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Document {
        /// The file.
        path: PathBuf,
        /// 1-based line, when the problem has one.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// The arguments do not make sense together.
    #[error("{0}")]
    Usage(String),
    /// The user changed the document while fill ran: nothing was written.
    #[error("{} changed while fill ran; nothing was written (the videos fetched are in the corpus, so running fill again is quick)", .0.display())]
    Changed(PathBuf),
    /// The corpus database refused a read or write.
    #[error(transparent)]
    Store(#[from] podcorpus_store::StoreError),
    /// The document or its backup could not be written.
    #[error(transparent)]
    Write(#[from] podcorpus_export::ExportError),
    /// Listing the channel for `--from` failed.
    #[error(transparent)]
    Fetch(#[from] podcorpus_fetch::FetchError),
}
