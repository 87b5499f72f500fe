//! The pure core of podcorpus: the nouns of the corpus, the text rules every
//! reader shares, and the [`Sink`] through which readers push what they parse.
//!
//! Nothing here touches files, the network or the database.

pub mod analyzer;
pub mod calendar;
pub mod chapters;
pub mod headers;
pub mod ids;
pub mod link;
pub mod model;
pub mod sink;
pub mod text;

pub use ids::{EpisodeName, EpisodeRef, VideoId};
pub use model::{
    source_rank, Chapter, Comment, DocumentInfo, Episode, EpisodeMeta, Segment, Subject, Summary,
    Transcript, TranscriptMeta, WordTiming,
};
pub use sink::{Collect, Dropped, Sink, Warning};
