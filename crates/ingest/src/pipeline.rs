//! Reading jobs on every core and writing them through one writer, in
//! transactions of about 200 ms of whole files, each file in a savepoint.
//!
//! Parsing is bounded by a small channel between the parsers and the writer,
//! so memory stays flat however large the folder: a parser waits while the
//! writer is behind.

use crate::discover::file_name;
use crate::read::{read_bytes, Read, Subtitle, Unread};
use crate::report::{add, Failure, ImportReport, ImportWarning};
use crate::{ImportOptions, Job};
use podcorpus_core::{Collect, Dropped, Segment};
use podcorpus_formats::Format;
use podcorpus_store::seams::ImportWriter;
use podcorpus_store::write::{CollectionSpec, FileRecord};
use podcorpus_store::Result;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

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
                subs.push(Subtitle {
                    file_name: file_name(p),
                    language: lang.clone(),
                    format: *format,
                    bytes: b,
                });
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
    let read = match read_bytes(&name, &bytes, &subs, &options.columns) {
        Ok(read) => read,
        Err(Unread::NotAFormat) => return Parsed::Skipped,
        Err(Unread::Failed(e)) => return Parsed::Failed(e),
    };
    let Read {
        format,
        mut content,
    } = read;
    let mut collection = job.collection.clone();
    if format == "ytdlp" {
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
    } else if format == Format::Notes.name() {
        collection.kind = "notes".into();
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
            format: format.into(),
            // Counted here, on a parser thread, rather than on the writer's.
            word_counts: content
                .episodes
                .iter()
                .flat_map(|e| &e.transcripts)
                .map(|t| t.words())
                .collect(),
        },
        collection,
        content,
    }
}

/// Told about what each transaction stored, once it is committed: the seam
/// where the search index is built beside the store's writes.
pub trait Committed {
    /// The episodes a committed transaction created or changed, and the
    /// segments of the transcripts it stored, by transcript id, as parsed
    /// (with `strict`, none: the store has them). Called on the writer's
    /// thread, so it should hand the work on, not do it.
    fn committed(&mut self, episodes: &[i64], segments: Vec<(i64, Vec<Segment>)>);

    /// Whether the segments are wanted; when not, they are not held until
    /// the commit.
    fn wants_segments(&self) -> bool {
        true
    }
}

/// Nobody to tell.
impl Committed for () {
    fn committed(&mut self, _episodes: &[i64], _segments: Vec<(i64, Vec<Segment>)>) {}

    fn wants_segments(&self) -> bool {
        false
    }
}

/// How long the writer keeps a transaction open before committing it (at
/// the end of a file). Committing every file costs a WAL append of every
/// page it touched; a few hundred milliseconds of files share those pages.
const BATCH: Duration = Duration::from_millis(200);

/// The writer's transactions. With `strict`, one for the whole import;
/// otherwise files are grouped into transactions of about [`BATCH`]. Each
/// file is written inside its own savepoint, so a file that fails is undone
/// alone, and a crash loses at most the open transaction: its files are not
/// recorded as imported either, so the next run imports them again.
struct Transactions<'a> {
    store: &'a dyn ImportWriter,
    strict: bool,
    /// When the open transaction began.
    open: Option<Instant>,
    /// Episodes written in the open transaction.
    episodes: Vec<i64>,
    /// Their transcripts' segments, by transcript id (not kept with `strict`).
    segments: Vec<(i64, Vec<Segment>)>,
    committed: &'a mut dyn Committed,
}

impl Transactions<'_> {
    /// Opens a transaction if none is, and a savepoint for the next file.
    fn begin_file(&mut self) -> Result<()> {
        if self.open.is_none() {
            self.store.begin()?;
            self.open = Some(Instant::now());
        }
        self.store.savepoint()
    }

    /// Keeps the file's writes; commits when the transaction is old enough.
    fn keep_file(&mut self, episodes: &[i64], segments: Vec<(i64, Vec<Segment>)>) -> Result<()> {
        self.store.release_savepoint()?;
        self.episodes.extend_from_slice(episodes);
        if !self.strict && self.committed.wants_segments() {
            // One transaction holds the whole of a strict import: its
            // segments are read back from the store instead of held here.
            self.segments.extend(segments);
        }
        match self.open {
            Some(since) if !self.strict && since.elapsed() >= BATCH => self.commit(),
            _ => Ok(()),
        }
    }

    /// Undoes the file's writes; the rest of the transaction stays.
    fn undo_file(&mut self) -> Result<()> {
        self.store.undo_to_savepoint()
    }

    /// Commits the open transaction and says what it stored.
    fn commit(&mut self) -> Result<()> {
        if self.open.take().is_some() {
            self.store.commit()?;
            let segments = std::mem::take(&mut self.segments);
            self.committed.committed(&self.episodes, segments);
            self.episodes.clear();
        }
        Ok(())
    }

    /// Undoes the open transaction.
    fn rollback(&mut self) -> Result<()> {
        self.episodes.clear();
        self.segments.clear();
        match self.open.take() {
            Some(_) => self.store.rollback(),
            None => Ok(()),
        }
    }
}

/// Imports the jobs into `store`: parses in parallel, writes the files in
/// path order through one writer (see [`Transactions`]: all in one
/// transaction with `strict`). `progress` is told after each job.
pub fn import(
    store: &dyn ImportWriter,
    jobs: &[Job],
    options: &ImportOptions,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<ImportReport> {
    import_with(store, jobs, options, progress, &mut ())
}

/// [`import`], telling `committed` about each transaction it commits.
pub fn import_with(
    store: &dyn ImportWriter,
    jobs: &[Job],
    options: &ImportOptions,
    progress: &(dyn Fn(&Path) + Sync),
    committed: &mut dyn Committed,
) -> Result<ImportReport> {
    let known = store.file_hashes()?;
    let mut report = ImportReport::default();
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Parsed)>(4);
    let mut outcome: Result<()> = Ok(());
    let mut tx_state = Transactions {
        store,
        strict: options.strict,
        open: None,
        episodes: Vec::new(),
        segments: Vec::new(),
        committed,
    };
    // The body runs once; the seam takes it as `FnMut`, so it is handed over in an Option.
    let mut body = Some(|| {
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
                    if let Err(e) = write_one(&mut tx_state, job, parsed, &mut report) {
                        outcome = Err(e);
                    }
                }
            }
        });
    });
    store.with_background_checkpoints(&mut || {
        if let Some(body) = body.take() {
            body();
        }
    })?;
    if let Err(e) = outcome {
        // What the open transaction holds is not recorded: nothing half-written stays.
        let _ = tx_state.rollback();
        return Err(e);
    }
    if options.strict && !report.failed.is_empty() {
        tx_state.rollback()?;
        report.rolled_back = true;
        report.imported = 0;
        report.episodes = 0;
        report.touched.clear();
        report.transcripts = 0;
        report.segments = 0;
        report.summaries = 0;
        report.matched = 0;
        report.created = 0;
    } else {
        tx_state.commit()?;
    }
    Ok(report)
}

fn write_one(
    tx: &mut Transactions,
    job: &Job,
    parsed: Parsed,
    report: &mut ImportReport,
) -> Result<()> {
    let store = tx.store;
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
                // A row left out is an episode not stored; a cue left out
                // is part of an episode that is.
                if w.dropped == Dropped::Episode {
                    report.unmatched += 1;
                }
                let path = match (&w.file, job.path.parent()) {
                    (Some(f), Some(dir)) => dir.join(f).display().to_string(),
                    _ => shown.clone(),
                };
                report.warnings.push(ImportWarning {
                    path,
                    line: Some(w.line),
                    message: w.message.clone(),
                });
            }
            tx.begin_file()?;
            match store.write_file(&record, &collection, &content) {
                Ok(w) => {
                    let mut content = content;
                    let segments = w
                        .placed
                        .iter()
                        .filter_map(|&((e, t), id)| {
                            let tr = content.episodes.get_mut(e)?.transcripts.get_mut(t)?;
                            Some((id, std::mem::take(&mut tr.segments)))
                        })
                        .collect();
                    tx.keep_file(&w.episodes, segments)?;
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
                    tx.undo_file()?;
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
