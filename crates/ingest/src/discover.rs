//! Finding what to import: files and folders into [`Job`]s, a yt-dlp
//! info.json grouped with its subtitle files, in path order.

use crate::ImportOptions;
use podcorpus_formats::ytdlp;
use podcorpus_formats::Format;
use podcorpus_store::write::CollectionSpec;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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

pub(crate) fn file_name(p: &Path) -> String {
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
