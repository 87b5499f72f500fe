//! The interface between readers and whatever consumes what they read.
//!
//! Like ripgrep's `grep_searcher::Sink`, readers *push*: a reader walks its
//! input once and hands each finished episode to the sink, rather than the
//! consumer pulling an iterator out of the reader. Push keeps every reader a
//! plain loop over its own syntax (no hand-written iterator state machines for
//! formats as irregular as a notes document), lets a consumer decide what to
//! keep (the store writes rows, a test collects, an export streams), and lets
//! the consumer stop early by returning an error.

use crate::model::{DocumentInfo, Episode};

/// Receives what a reader finds, in document order.
pub trait Sink {
    /// The error a consumer may return to stop the reader.
    type Error;

    /// Called once per document that has document-level facts (notes documents).
    fn document(&mut self, _info: DocumentInfo) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Called once per episode, complete with chapters, transcripts and summaries.
    fn episode(&mut self, episode: Episode) -> Result<(), Self::Error>;

    /// Called when the reader skips part of its input it could not use (a bad
    /// row of a table) and goes on with the rest.
    fn warning(&mut self, _warning: Warning) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A part of the input a reader left out, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// 1-based line of the input where the skipped part starts.
    pub line: u64,
    /// What was wrong and what was left out.
    pub message: String,
    /// How much was left out.
    pub dropped: Dropped,
    /// The file the line is in, when it is not the file read but one that
    /// came with it (a subtitle file of a yt-dlp bundle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Warning {
    /// A part of an episode left out (a cue, a caption event, a stray block):
    /// the episode itself is still read.
    pub fn part(line: u64, message: impl Into<String>) -> Self {
        Warning {
            line,
            message: message.into(),
            dropped: Dropped::Part,
            file: None,
        }
    }

    /// A whole episode left out (a table row that cannot be read).
    pub fn episode(line: u64, message: impl Into<String>) -> Self {
        Warning {
            line,
            message: message.into(),
            dropped: Dropped::Episode,
            file: None,
        }
    }
}

/// What a [`Warning`] cost: part of an episode, or a whole one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dropped {
    /// A cue, event or block; the episode it belongs to is kept.
    Part,
    /// A whole episode (a table row): the import reports it as not stored.
    Episode,
}

/// A sink that keeps everything in memory: for tests, and for parsing in
/// parallel before a single writer stores the result.
#[derive(Debug, Default, Clone)]
pub struct Collect {
    /// The document facts, if the reader reported any.
    pub document: Option<DocumentInfo>,
    /// The episodes in the order they were read.
    pub episodes: Vec<Episode>,
    /// What the reader skipped, in input order.
    pub warnings: Vec<Warning>,
}

impl Sink for Collect {
    type Error = std::convert::Infallible;

    fn document(&mut self, info: DocumentInfo) -> Result<(), Self::Error> {
        self.document = Some(info);
        Ok(())
    }

    fn episode(&mut self, episode: Episode) -> Result<(), Self::Error> {
        self.episodes.push(episode);
        Ok(())
    }

    fn warning(&mut self, warning: Warning) -> Result<(), Self::Error> {
        self.warnings.push(warning);
        Ok(())
    }
}
