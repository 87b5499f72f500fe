//! The one interface every output format implements, the formats by name, and
//! the two kinds of destination: one stream (a file or stdout) or a folder.

use crate::atomic::AtomicFile;
use crate::driver::ExportReport;
use crate::{ExportError, Result};
use podcorpus_store::export_feed::ExportEpisode;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The user's notes document layout.
    Notes,
    /// One JSON object per episode per line.
    Jsonl,
    /// Apache Parquet: an episodes table, and with segments a segments table.
    Parquet,
    /// RFC 4180 CSV: one row per episode, or per segment.
    Csv,
    /// One UTF-8 text file per episode.
    Txt,
    /// One WebVTT file per episode.
    Vtt,
    /// One SubRip file per episode.
    Srt,
    /// A Hugging Face datasets folder (Parquet shards and a dataset card).
    Hf,
}

impl Format {
    /// Every format, in the order help lists them.
    pub const ALL: [Format; 8] = [
        Format::Notes,
        Format::Jsonl,
        Format::Parquet,
        Format::Csv,
        Format::Txt,
        Format::Vtt,
        Format::Srt,
        Format::Hf,
    ];

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Notes => "notes",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
            Format::Csv => "csv",
            Format::Txt => "txt",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Hf => "hf",
        }
    }

    /// Whether the format writes a folder (of files per episode, or a dataset)
    /// rather than one file.
    pub fn writes_folder(self) -> bool {
        matches!(self, Format::Txt | Format::Vtt | Format::Srt | Format::Hf)
    }
}

impl std::str::FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Format> {
        let lower = s.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == lower)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                ExportError::Usage(format!(
                    "unknown export format {s:?}; choose one of {}",
                    names.join(", ")
                ))
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Receives the selected episodes one at a time, in the order the format
/// wants them, and writes them out.
pub trait EpisodeWriter {
    /// Writes one episode; records what it wrote or skipped in `report`.
    fn write(&mut self, episode: &ExportEpisode, report: &mut ExportReport) -> Result<()>;

    /// Completes the output (closing files, renaming them into place) and
    /// records the files written in `report`.
    fn finish(self: Box<Self>, report: &mut ExportReport) -> Result<()>;
}

/// A one-file destination: standard output, or a file written atomically.
pub enum Stream {
    /// Standard output (`-o -`).
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// A file, renamed into place on [`Stream::finish`].
    File(AtomicFile),
}

impl Stream {
    /// Opens `-` as stdout, anything else as an atomic file.
    pub fn open(target: &Path) -> Result<Stream> {
        if target == Path::new("-") {
            return Ok(Stream::Stdout(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout(),
            )));
        }
        Ok(Stream::File(AtomicFile::create(target)?))
    }

    /// The path for messages (`-` for stdout).
    pub fn path(&self) -> PathBuf {
        match self {
            Stream::Stdout(_) => PathBuf::from("-"),
            Stream::File(f) => f.dest().to_path_buf(),
        }
    }

    /// Flushes and, for a file, renames it into place; records it in `report`.
    pub fn finish(self, report: &mut ExportReport) -> Result<()> {
        match self {
            Stream::Stdout(mut out) => out
                .flush()
                .map_err(|e| ExportError::io("write", Path::new("-"), e)),
            Stream::File(f) => {
                let bytes = f.written();
                let path = f.commit()?;
                report.add_file(&path, bytes);
                Ok(())
            }
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Stdout(o) => o.write(buf),
            Stream::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Stdout(o) => o.flush(),
            Stream::File(f) => f.flush(),
        }
    }
}

/// A file name safe on every file system for `COLLECTION-NNN.EXT`.
pub fn episode_file_name(episode: &ExportEpisode, ext: &str) -> String {
    let safe: String = episode
        .collection
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    format!("{safe}-{:03}.{ext}", episode.number)
}

/// Creates the output folder (and its parents) for a folder format.
pub fn create_folder(dir: &Path) -> Result<()> {
    if dir == Path::new("-") {
        return Err(ExportError::Usage(
            "this format writes a folder of files; -o must name a folder, not -".into(),
        ));
    }
    if dir.is_file() {
        return Err(ExportError::Usage(format!(
            "{} is a file; this format writes a folder of files, so -o must name a folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| ExportError::io("create the folder", dir, e))
}

/// The transcript's text (segments joined by one space), or empty.
pub fn transcript_text(episode: &ExportEpisode) -> String {
    match &episode.transcript {
        Some(t) => podcorpus_core::text::join_segments(t.segments.iter().map(|s| s.text.as_str())),
        None => String::new(),
    }
}
