//! What an import did: counts, files that failed, parts left out.

use podcorpus_store::write::Written;
use serde::Serialize;

/// A file that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The file's path as given.
    pub path: String,
    /// What is wrong, with line or byte.
    pub error: String,
}

/// A part of a file that was left out while the rest was imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportWarning {
    /// The file's path as given.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// What was left out and why.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Files read (imported, unchanged or failed; skipped files not counted).
    pub files: u64,
    /// Files imported (new or changed).
    pub imported: u64,
    /// Files already imported with the same content.
    pub unchanged: u64,
    /// Files in a folder that are not in a known format.
    pub skipped: u64,
    /// Episodes created or updated.
    pub episodes: u64,
    /// Transcripts stored.
    pub transcripts: u64,
    /// Segments stored.
    pub segments: u64,
    /// Summaries stored.
    pub summaries: u64,
    /// Episodes (table rows, notes slots, files) that matched one already stored.
    pub matched: u64,
    /// Episodes that were new.
    pub created: u64,
    /// Table rows and other episodes that were not stored: refused or unreadable.
    pub unmatched: u64,
    /// Parts of files left out, with where and why (bad table rows,
    /// episodes refused because they would tie two videos together).
    pub warnings: Vec<ImportWarning>,
    /// Files that failed.
    pub failed: Vec<Failure>,
    /// Whether `--strict` rolled everything back.
    pub rolled_back: bool,
    /// The distinct episodes touched, behind `episodes`.
    #[serde(skip)]
    pub(crate) touched: std::collections::HashSet<i64>,
}

pub(crate) fn add(report: &mut ImportReport, w: Written) {
    report.touched.extend(w.episodes);
    report.episodes = report.touched.len() as u64;
    report.transcripts += w.transcripts;
    report.segments += w.segments;
    report.summaries += w.summaries;
    report.matched += w.matched;
    report.created += w.created;
}
