//! Fetching channels, playlists and videos with yt-dlp, the extractor that
//! follows YouTube's changes (podcorpus never scrapes YouTube by hand), and
//! importing what it writes through the ordinary importers.
//!
//! [`args`] and [`listing`] are pure (argument building, listing parsing,
//! planning); [`ytdlp`] runs the process and reads its errors; [`run`] drives
//! a fetch whose state lives in the database, so it can resume; [`whisper`]
//! runs the speech recognizer for videos without captions.

pub mod args;
pub mod listing;
pub mod run;
pub mod transcribe;
pub mod whisper;
pub mod ytdlp;

pub use run::{
    enqueue, fetch, fetch_as, fetch_observed, fetch_video, host_name, list, resume, resume_as,
    resume_observed, AsrOptions, FetchOptions, FetchReport, Worker,
};

/// What can stop a fetch as a whole (one video failing does not).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// yt-dlp could not be started.
    #[error("yt-dlp is not installed or not runnable ({0}); install it with `python3 -m pip install yt-dlp`, or pass --yt-dlp PATH")]
    Missing(String),
    /// yt-dlp could not list the URL.
    #[error("{0}")]
    Listing(String),
    /// The store refused a write.
    #[error(transparent)]
    Store(#[from] podcorpus_store::StoreError),
    /// Files could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Nothing to resume.
    #[error("there is no interrupted fetch to resume")]
    NothingToResume,
}

/// What fetching needs of the store: the queue of runs and their workers,
/// and the import's writer (a fetched video is imported as files are).
pub trait FetchStore:
    podcorpus_store::seams::FetchQueue + podcorpus_store::seams::ImportWriter
{
}
impl<T: podcorpus_store::seams::FetchQueue + podcorpus_store::seams::ImportWriter> FetchStore
    for T
{
}
