//! JSON Lines: one episode per line — metadata, chapters, summaries, the
//! viewers' comments and the chosen transcript's text (and, with segments, its timed segments). The
//! schema is written down in the crate's README.md.

use crate::driver::{ExportReport, ExportRequest};
use crate::writer::{transcript_text, EpisodeWriter, Stream};
use crate::{ExportError, Result};
use podcorpus_core::{Chapter, Comment, EpisodeName, Segment};
use podcorpus_store::export_feed::{ExportEpisode, ExportSummary};
use serde::Serialize;
use std::io::Write;

/// One line of the file.
#[derive(Serialize)]
struct Line<'a> {
    collection: &'a str,
    number: i64,
    collections: &'a [EpisodeName],
    video_id: Option<&'a str>,
    title: Option<&'a str>,
    guests: &'a [String],
    published: Option<&'a str>,
    url: Option<&'a str>,
    duration_ms: Option<u64>,
    description: Option<&'a str>,
    tags: &'a [String],
    chapters: &'a [Chapter],
    summaries: &'a [ExportSummary],
    comments: &'a [Comment],
    transcript: Option<TranscriptOut<'a>>,
}

#[derive(Serialize)]
struct TranscriptOut<'a> {
    source: &'a str,
    language: Option<&'a str>,
    words: i64,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<&'a [Segment]>,
}

/// Writes JSON Lines to one stream.
pub struct JsonlWriter {
    out: Stream,
    segments: bool,
}

impl JsonlWriter {
    /// Opens the output.
    pub fn open(req: &ExportRequest) -> Result<JsonlWriter> {
        Ok(JsonlWriter {
            out: Stream::open(&req.output)?,
            segments: req.segments,
        })
    }
}

impl EpisodeWriter for JsonlWriter {
    fn write(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        let m = &ep.meta;
        let line = Line {
            collection: &ep.collection,
            number: ep.number,
            collections: &ep.collections,
            video_id: m.video_id.as_deref(),
            title: m.title.as_deref(),
            guests: &m.guests,
            published: m.published.as_deref(),
            url: m.url.as_deref(),
            duration_ms: m.duration_ms,
            description: m.description.as_deref(),
            tags: &m.tags,
            chapters: &ep.chapters,
            summaries: &ep.summaries,
            comments: &ep.comments,
            transcript: ep.transcript.as_ref().map(|t| TranscriptOut {
                source: &t.source,
                language: t.language.as_deref(),
                words: t.words,
                text: transcript_text(ep),
                segments: self.segments.then_some(t.segments.as_slice()),
            }),
        };
        let path = self.out.path();
        serde_json::to_writer(&mut self.out, &line)
            .map_err(|e| ExportError::io("write", &path, e.into()))?;
        self.out
            .write_all(b"\n")
            .map_err(|e| ExportError::io("write", &path, e))?;
        report.episodes += 1;
        report.comments += ep.comments.len() as u64;
        if self.segments {
            report.segments += ep
                .transcript
                .as_ref()
                .map_or(0, |t| t.segments.len() as u64);
        }
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ExportReport) -> Result<()> {
        self.out.finish(report)
    }
}
