//! RFC 4180 CSV (comma, `"` quoting, CRLF records, a header row): one row per
//! episode, or with segments one row per segment. Lists are joined with `; `,
//! chapters and summaries are JSON arrays in their cells.

use crate::driver::{ExportReport, ExportRequest};
use crate::writer::{transcript_text, EpisodeWriter, Stream};
use crate::{ExportError, Result};
use podcorpus_store::export_feed::ExportEpisode;

/// The header of the per-episode file.
pub const EPISODE_HEADER: [&str; 16] = [
    "collection",
    "number",
    "video_id",
    "title",
    "guests",
    "published",
    "url",
    "duration_ms",
    "description",
    "tags",
    "chapters",
    "summaries",
    "source",
    "language",
    "words",
    "text",
];

/// The header of the per-segment file.
pub const SEGMENT_HEADER: [&str; 9] = [
    "collection",
    "number",
    "video_id",
    "source",
    "idx",
    "start_ms",
    "end_ms",
    "text",
    "events",
];

/// Writes CSV to one stream.
pub struct CsvWriter {
    out: csv::Writer<Stream>,
    segments: bool,
    path: std::path::PathBuf,
}

fn csv_err(path: &std::path::Path, e: csv::Error) -> ExportError {
    let io = match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    ExportError::io("write", path, io)
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl CsvWriter {
    /// Opens the output and writes the header row.
    pub fn open(req: &ExportRequest) -> Result<CsvWriter> {
        let stream = Stream::open(&req.output)?;
        let path = stream.path();
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(stream);
        let header: &[&str] = if req.segments {
            &SEGMENT_HEADER
        } else {
            &EPISODE_HEADER
        };
        out.write_record(header).map_err(|e| csv_err(&path, e))?;
        Ok(CsvWriter {
            out,
            segments: req.segments,
            path,
        })
    }

    fn write_segments(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        let Some(t) = &ep.transcript else {
            report
                .skipped
                .push(format!("{}/{}: no transcript", ep.collection, ep.number));
            return Ok(());
        };
        let number = ep.number.to_string();
        let video = ep.meta.video_id.clone().unwrap_or_default();
        for (i, s) in t.segments.iter().enumerate() {
            let record = [
                ep.collection.as_str(),
                &number,
                &video,
                &t.source,
                &i.to_string(),
                &opt(s.start_ms),
                &opt(s.end_ms),
                &s.text,
                &s.events.join("; "),
            ];
            self.out
                .write_record(record)
                .map_err(|e| csv_err(&self.path, e))?;
        }
        report.segments += t.segments.len() as u64;
        report.episodes += 1;
        Ok(())
    }
}

impl EpisodeWriter for CsvWriter {
    fn write(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        if self.segments {
            return self.write_segments(ep, report);
        }
        let m = &ep.meta;
        let t = ep.transcript.as_ref();
        let json = |v: serde_json::Result<String>| v.unwrap_or_default();
        let record = [
            ep.collection.clone(),
            ep.number.to_string(),
            opt(m.video_id.as_deref()),
            opt(m.title.as_deref()),
            m.guests.join("; "),
            opt(m.published.as_deref()),
            opt(m.url.as_deref()),
            opt(m.duration_ms),
            opt(m.description.as_deref()),
            m.tags.join("; "),
            json(serde_json::to_string(&ep.chapters)),
            json(serde_json::to_string(&ep.summaries)),
            opt(t.map(|t| t.source.as_str())),
            opt(t.and_then(|t| t.language.as_deref())),
            opt(t.map(|t| t.words)),
            transcript_text(ep),
        ];
        self.out
            .write_record(&record)
            .map_err(|e| csv_err(&self.path, e))?;
        report.episodes += 1;
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ExportReport) -> Result<()> {
        let path = self.path.clone();
        let stream = self
            .out
            .into_inner()
            .map_err(|e| ExportError::io("write", &path, e.into_error()))?;
        stream.finish(report)
    }
}
