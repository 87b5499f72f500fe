//! Importing files and folders: find the inputs, parse them in parallel
//! (both cores), and write them through one writer, one transaction per file.
//!
//! Parsing is bounded by a small channel between the parsers and the writer,
//! so memory stays flat however large the folder: a parser waits while the
//! writer is behind.

use crate::write::{CollectionSpec, FileRecord, Written};
use crate::{Result, Store};
use podcorpus_core::Collect;
use podcorpus_formats::decode::decode;
use podcorpus_formats::ytdlp::{self, SubtitleFile};
use podcorpus_formats::{Context, FileHints, Format, ReadError};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    touched: std::collections::HashSet<i64>,
}

/// One unit of import: a single file, or a yt-dlp info.json with its subtitles.
#[derive(Debug, Clone)]
pub struct Job {
    /// The main file.
    pub path: PathBuf,
    /// Sibling subtitle files of a yt-dlp bundle: (path, language, format).
    pub subtitles: Vec<(PathBuf, String, Format)>,
    /// The collection unless the file names its own (a yt-dlp channel).
    pub collection: CollectionSpec,
    /// The episode number to give what the file holds, overriding the file's
    /// own (fetch numbers a channel's videos by upload order).
    pub number: Option<u32>,
    /// The transcript source to record, overriding the file's own (a
    /// recognizer's output is `asr`, not `webvtt`).
    pub source: Option<String>,
}

/// Finds the jobs in the given files and folders (folders recursively, in
/// name order). Returns the jobs and the number of files skipped.
pub fn discover(inputs: &[PathBuf], options: &ImportOptions) -> std::io::Result<(Vec<Job>, u64)> {
    let mut jobs = Vec::new();
    let mut skipped = 0;
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot read {}: {e}", input.display()))
        })?;
        if meta.is_dir() {
            let mut by_dir: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
            for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
                let entry = entry.map_err(std::io::Error::other)?;
                if entry.file_type().is_file() {
                    let parent = entry.path().parent().unwrap_or(input).to_path_buf();
                    by_dir.entry(parent).or_default().push(entry.into_path());
                }
            }
            let mut dirs: Vec<_> = by_dir.into_iter().collect();
            dirs.sort();
            for (dir, files) in dirs {
                let spec = CollectionSpec {
                    name: options.collection.clone().unwrap_or_else(|| name_of(&dir)),
                    kind: "folder".into(),
                    url: None,
                };
                skipped += jobs_in_dir(&files, &spec, &mut jobs);
            }
        } else {
            let stem = input
                .file_stem()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let spec = CollectionSpec {
                name: options.collection.clone().unwrap_or(stem),
                kind: "file".into(),
                url: None,
            };
            let siblings: Vec<PathBuf> =
                match (ytdlp::is_info_json(&file_name(input)), input.parent()) {
                    (true, Some(dir)) => std::fs::read_dir(if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .collect(),
                    _ => Vec::new(),
                };
            let mut all = vec![input.clone()];
            all.extend(
                siblings
                    .into_iter()
                    .filter(|p| p.file_name() != input.file_name()),
            );
            let mut found = Vec::new();
            jobs_in_dir(&all, &spec, &mut found);
            // Only the file named, with its own subtitles; never its neighbours.
            jobs.extend(
                found
                    .into_iter()
                    .filter(|j| j.path.file_name() == input.file_name()),
            );
        }
    }
    Ok((jobs, skipped))
}

/// Groups one folder's files into jobs; returns how many were skipped.
fn jobs_in_dir(files: &[PathBuf], spec: &CollectionSpec, jobs: &mut Vec<Job>) -> u64 {
    let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
    let mut taken = vec![false; files.len()];
    for (i, name) in names.iter().enumerate() {
        if !ytdlp::is_info_json(name) {
            continue;
        }
        taken[i] = true;
        let subs = ytdlp::sibling_subtitles(name, names.iter().map(String::as_str));
        let mut subtitles = Vec::new();
        for s in subs {
            if let Some(k) = names.iter().position(|n| *n == s.file_name) {
                taken[k] = true;
                subtitles.push((files[k].clone(), s.language, s.format));
            }
        }
        jobs.push(Job {
            path: files[i].clone(),
            subtitles,
            collection: spec.clone(),
            number: None,
            source: None,
        });
    }
    let mut skipped = 0;
    for (i, path) in files.iter().enumerate() {
        if taken[i] {
            continue;
        }
        if candidate(&names[i]) {
            jobs.push(Job {
                path: path.clone(),
                subtitles: Vec::new(),
                collection: spec.clone(),
                number: None,
                source: None,
            });
        } else {
            skipped += 1;
        }
    }
    jobs.sort_by(|a, b| a.path.cmp(&b.path));
    skipped
}

/// Names worth opening: subtitle and text extensions (the content decides).
fn candidate(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".vtt", ".srt", ".json3", ".json", ".txt", ".md", ".csv", ".tsv", ".jsonl", ".ndjson",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn name_of(dir: &Path) -> String {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    abs.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "corpus".into())
}

/// The outcome of reading one job, ready for the writer.
// Most jobs are `Ok`, so boxing it would add an allocation per file and save nothing.
#[allow(clippy::large_enum_variant)]
enum Parsed {
    Unchanged,
    Skipped,
    Failed(String),
    Ok {
        record: FileRecord,
        collection: CollectionSpec,
        content: Collect,
    },
}

/// Reads and parses one job; pure apart from reading its files.
fn parse_job(
    job: &Job,
    known: &HashMap<String, (String, String)>,
    options: &ImportOptions,
) -> Parsed {
    let path_key = std::fs::canonicalize(&job.path)
        .unwrap_or_else(|_| job.path.clone())
        .display()
        .to_string();
    let bytes = match std::fs::read(&job.path) {
        Ok(b) => b,
        Err(e) => return Parsed::Failed(format!("cannot read the file: {e}")),
    };
    let mut hasher = blake3::Hasher::new();
    hasher.update(&bytes);
    let mut subs = Vec::new();
    for (p, lang, format) in &job.subtitles {
        match std::fs::read(p) {
            Ok(b) => {
                hasher.update(file_name(p).as_bytes());
                hasher.update(&b);
                subs.push((file_name(p), lang.clone(), *format, b));
            }
            Err(e) => {
                return Parsed::Failed(format!(
                    "cannot read the subtitle file {}: {e}",
                    p.display()
                ))
            }
        }
    }
    let hash = hasher.finalize().to_hex().to_string();
    if let Some((old_hash, old_collection)) = known.get(&path_key) {
        // Unchanged, unless the user now sends it to another collection.
        let same_place = options
            .collection
            .as_ref()
            .is_none_or(|c| c == old_collection);
        if *old_hash == hash && same_place {
            return Parsed::Unchanged;
        }
    }
    let name = file_name(&job.path);
    let text = match decode(&bytes) {
        Ok((t, _)) => t,
        Err(e) => return Parsed::Failed(e.to_string()),
    };
    let mut content = Collect::default();
    let mut collection = job.collection.clone();
    let format_name;
    if ytdlp::is_info_json(&name) {
        if ytdlp::is_playlist_info(&text) {
            // A playlist's or channel's own info file: no episode in it.
            return Parsed::Skipped;
        }
        format_name = "ytdlp";
        let mut decoded = Vec::new();
        for (n, lang, format, b) in &subs {
            match decode(b) {
                Ok((t, _)) => decoded.push((n.as_str(), lang.clone(), *format, t)),
                Err(e) => return Parsed::Failed(format!("subtitle file {n}: {e}")),
            }
        }
        let files: Vec<SubtitleFile> = decoded
            .iter()
            .map(|(n, lang, format, t)| SubtitleFile {
                file_name: n,
                language: lang.clone(),
                format: *format,
                text: t,
            })
            .collect();
        if let Err(e) = ytdlp::read_bundle(&text, &files, &mut content) {
            return Parsed::Failed(read_error(e));
        }
        // yt-dlp files carry their channel, which is their collection.
        if let (None, Some(ep)) = (&options.collection, content.episodes.first()) {
            if let Some(channel) = &ep.meta.channel {
                collection = CollectionSpec {
                    name: channel.clone(),
                    kind: "channel".into(),
                    url: ep.meta.channel_url.clone(),
                };
            }
        }
    } else {
        let head = &bytes[..bytes.len().min(8192)];
        // The raw head for most files; the decoded text for UTF-16 ones.
        let Some(format) = Format::detect(&name, head).or_else(|| {
            Format::detect(
                &name,
                text.as_bytes().get(..8192).unwrap_or(text.as_bytes()),
            )
        }) else {
            return Parsed::Skipped;
        };
        format_name = format.name();
        let ctx = Context {
            hints: FileHints::from_file_name(&name),
            columns: options.columns.clone(),
        };
        if let Err(e) = format.read(&ctx, &text, &mut content) {
            return Parsed::Failed(read_error(e));
        }
        if format == Format::Notes {
            collection.kind = "notes".into();
        }
    }
    for ep in &mut content.episodes {
        if let Some(n) = job.number {
            ep.meta.number = Some(n);
        }
        if let Some(source) = &job.source {
            for t in &mut ep.transcripts {
                t.meta.source.clone_from(source);
            }
        }
    }
    Parsed::Ok {
        record: FileRecord {
            path: path_key,
            hash,
            format: format_name.into(),
        },
        collection,
        content,
    }
}

fn read_error(e: ReadError<std::convert::Infallible>) -> String {
    match e {
        ReadError::Parse(p) => p.to_string(),
        ReadError::Sink(never) => match never {},
    }
}

impl Store {
    /// Imports the jobs: parses in parallel, writes one transaction per file
    /// (or one for all with `strict`). `progress` is told after each job.
    pub fn import(
        &self,
        jobs: &[Job],
        options: &ImportOptions,
        progress: &(dyn Fn(&Path) + Sync),
    ) -> Result<ImportReport> {
        let known = self.file_hashes()?;
        let mut report = ImportReport::default();
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Parsed)>(4);
        let mut outcome: Result<()> = Ok(());
        std::thread::scope(|scope| {
            scope.spawn(|| {
                // Workers take jobs in order (par_bridge pulls from one
                // iterator), so results arrive nearly in order and the
                // reorder buffer below stays a few files deep.
                jobs.iter()
                    .enumerate()
                    .par_bridge()
                    .for_each_with(tx, |tx, (i, job)| {
                        // A closed channel means the writer stopped: nothing left to do.
                        let _ = tx.send((i, parse_job(job, &known, options)));
                    });
            });
            if options.strict {
                outcome = self.begin();
            }
            // Files are written in path order whatever order parsing ends in,
            // so the numbers given to files that carry none are the same on
            // every run.
            let mut waiting: std::collections::BTreeMap<usize, Parsed> = Default::default();
            let mut next = 0;
            for (i, parsed) in rx.iter() {
                waiting.insert(i, parsed);
                while let Some(parsed) = waiting.remove(&next) {
                    let job = &jobs[next];
                    next += 1;
                    if outcome.is_err() {
                        continue;
                    }
                    progress(&job.path);
                    if let Err(e) = self.write_one(job, parsed, options, &mut report) {
                        outcome = Err(e);
                    }
                }
            }
        });
        outcome?;
        if options.strict {
            if report.failed.is_empty() {
                self.commit()?;
            } else {
                self.rollback()?;
                report.rolled_back = true;
                report.imported = 0;
                report.episodes = 0;
                report.touched.clear();
                report.transcripts = 0;
                report.segments = 0;
                report.summaries = 0;
                report.matched = 0;
                report.created = 0;
            }
        }
        Ok(report)
    }

    fn write_one(
        &self,
        job: &Job,
        parsed: Parsed,
        options: &ImportOptions,
        report: &mut ImportReport,
    ) -> Result<()> {
        let shown = job.path.display().to_string();
        match parsed {
            Parsed::Skipped => report.skipped += 1,
            Parsed::Unchanged => {
                report.files += 1;
                report.unchanged += 1;
            }
            Parsed::Failed(error) => {
                report.files += 1;
                report.failed.push(Failure { path: shown, error });
            }
            Parsed::Ok {
                record,
                collection,
                content,
            } => {
                report.files += 1;
                for w in &content.warnings {
                    report.unmatched += 1;
                    report.warnings.push(ImportWarning {
                        path: shown.clone(),
                        line: Some(w.line),
                        message: w.message.clone(),
                    });
                }
                if !options.strict {
                    self.begin()?;
                }
                match self.write_file(&record, &collection, &content) {
                    Ok(w) => {
                        if !options.strict {
                            self.commit()?;
                        }
                        report.imported += 1;
                        for r in &w.refused {
                            report.unmatched += 1;
                            report.warnings.push(ImportWarning {
                                path: shown.clone(),
                                line: r.line,
                                message: format!("left out: {}", r.message),
                            });
                        }
                        add(report, w);
                    }
                    Err(e) => {
                        if !options.strict {
                            self.rollback()?;
                        }
                        report.failed.push(Failure {
                            path: shown,
                            error: e.to_string(),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

fn add(report: &mut ImportReport, w: Written) {
    report.touched.extend(w.episodes);
    report.episodes = report.touched.len() as u64;
    report.transcripts += w.transcripts;
    report.segments += w.segments;
    report.summaries += w.summaries;
    report.matched += w.matched;
    report.created += w.created;
}
