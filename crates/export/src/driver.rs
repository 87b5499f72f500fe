//! The export driver: reads the selected episodes from the store one at a
//! time and pushes them into the chosen format's writer.

use crate::hf::Split;
use crate::writer::{EpisodeWriter, Format};
use crate::{ExportError, Result};
use podcorpus_store::export_feed::ExportSelection;
use podcorpus_store::seams::ExportFeed;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What to export, where.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The format.
    pub format: Format,
    /// A file (or `-` for stdout) for one-file formats, a folder for the others.
    pub output: PathBuf,
    /// Which episodes and which transcript of each.
    pub selection: ExportSelection,
    /// Also write the timed segments (JSONL, Parquet, CSV, hf).
    pub segments: bool,
    /// Also write the viewers' comments (Parquet: a comments table; hf: a
    /// comments column). JSONL always carries them; the other formats have
    /// no place for them.
    pub comments: bool,
    /// The notes document's highest slot number (default: the imported
    /// document's, else 99 or the highest episode number).
    pub slots: Option<u32>,
    /// The hf train/validation/test shares.
    pub split: Split,
}

/// A file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenFile {
    /// Its path.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// What an export did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportReport {
    /// The format written.
    pub format: String,
    /// Episodes written.
    pub episodes: u64,
    /// Segments written (formats that write them).
    pub segments: u64,
    /// Comments written (formats that write them).
    pub comments: u64,
    /// Episodes selected but not written, with the reason.
    pub skipped: Vec<String>,
    /// Files written, in order.
    pub files: Vec<WrittenFile>,
    /// Things the user should know (e.g. text the notes reader would misread).
    pub warnings: Vec<String>,
}

impl ExportReport {
    /// Records a file written.
    pub fn add_file(&mut self, path: &Path, bytes: u64) {
        self.files.push(WrittenFile {
            path: path.display().to_string(),
            bytes,
        });
    }

    /// Total bytes written.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

/// Runs an export. On error nothing is left behind but files completed
/// before it (each file appears whole or not at all).
pub fn export(store: &dyn ExportFeed, req: &ExportRequest) -> Result<ExportReport> {
    let mut selection = req.selection.clone();
    if req.format == Format::Notes && selection.source.is_none() {
        // The notes layout writes each slot's own pasted transcript where it has one.
        selection.prefer_source = Some("notes".into());
    }
    let mut items = store.export_items(&selection)?;
    if items.is_empty() {
        return Err(ExportError::Empty(format!(
            "no episode matches {}; `podcorpus list` shows what is there",
            describe(&req.selection)
        )));
    }
    if req.format.writes_folder() {
        crate::writer::create_folder(&req.output)?;
    } else if req.format == Format::Parquet && req.output == Path::new("-") {
        let tables = [(req.segments, "segments"), (req.comments, "comments")];
        if let Some((_, table)) = tables.iter().find(|t| t.0) {
            return Err(ExportError::Usage(format!(
                "parquet with --{table} writes two files (episodes and {table}); -o must name a file, not -"
            )));
        }
    }
    let mut writer: Box<dyn EpisodeWriter> = match req.format {
        Format::Notes => {
            let w = crate::notes::NotesWriter::open(store, &items, req)?;
            // The document lists the newest slot first.
            items.reverse();
            Box::new(w)
        }
        Format::Jsonl => Box::new(crate::jsonl::JsonlWriter::open(req)?),
        Format::Parquet => Box::new(crate::parquet::ParquetWriter::open(req)?),
        Format::Csv => Box::new(crate::csv::CsvWriter::open(req)?),
        Format::Txt => Box::new(crate::txt::TxtWriter::new(&req.output)),
        Format::Vtt | Format::Srt => Box::new(crate::subtitles::SubtitleWriter::new(
            &req.output,
            req.format,
        )),
        Format::Hf => Box::new(crate::hf::HfWriter::open(store, req)?),
    };
    let mut report = ExportReport {
        format: req.format.name().to_string(),
        ..Default::default()
    };
    if req.comments && !matches!(req.format, Format::Parquet | Format::Hf | Format::Jsonl) {
        report.warnings.push(format!(
            "--comments: {} has no place for comments; jsonl, parquet and hf carry them",
            req.format
        ));
    }
    for item in &items {
        let episode = store.export_episode(item)?;
        writer.write(&episode, &mut report)?;
    }
    if report.episodes == 0 {
        // Dropping the writer removes its temporary files.
        drop(writer);
        let why = report.skipped.first().cloned().unwrap_or_default();
        return Err(ExportError::Empty(format!(
            "none of the {} selected episodes can be written as {} (e.g. {why})",
            items.len(),
            req.format
        )));
    }
    writer.finish(&mut report)?;
    Ok(report)
}

/// The selection in words, for the empty-selection error.
fn describe(sel: &ExportSelection) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &sel.collection {
        parts.push(format!("collection {c:?}"));
    }
    if let Some(s) = &sel.source {
        parts.push(format!("source {s:?}"));
    }
    if let Some(s) = &sel.since {
        parts.push(format!("since {s}"));
    }
    if let Some(u) = &sel.until {
        parts.push(format!("until {u}"));
    }
    if let Some(ids) = &sel.episode_ids {
        parts.push(format!("{} named episodes", ids.len()));
    }
    if parts.is_empty() {
        "the selection (the corpus is empty)".into()
    } else {
        parts.join(", ")
    }
}
