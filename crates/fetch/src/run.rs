//! A fetch run: list the URL, plan the videos, then fetch and import them one
//! by one, recording each outcome in the database as it happens, so that a
//! run killed at any point resumes with `fetch --resume`.

use crate::args::{self, SubtitleRequest};
use crate::listing::{self, Listing, Selection};
use crate::whisper::Progress;
use crate::ytdlp::{classify, Problem, YtDlp};
use crate::FetchError;
use podcorpus_ingest::{ImportOptions, Job};
use podcorpus_store::fetch_state::FetchItem;
use podcorpus_store::write::CollectionSpec;
use podcorpus_store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How a fetch runs; stored with the run so `--resume` continues alike.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FetchOptions {
    /// Which videos.
    pub selection: Selection,
    /// Which subtitles.
    pub subs: SubtitleRequest,
    /// Top comments per video to keep, if any.
    pub comments: Option<u32>,
    /// Where yt-dlp writes its files (kept: they can be imported again).
    pub out_dir: PathBuf,
    /// Collection to put everything in (default: the video's channel).
    pub collection: Option<String>,
    /// Seconds to wait between videos (politeness towards the site).
    pub sleep_secs: f64,
    /// Attempts per video for transient failures.
    pub attempts: u32,
    /// Extra arguments passed to yt-dlp (`--cookies-from-browser firefox`).
    pub pass_through: Vec<String>,
    /// The yt-dlp to run (default: found on PATH).
    pub yt_dlp: Option<PathBuf>,
    /// A speech recognizer for videos without captions, run through `sh -c`
    /// with `{audio}` and `{out}` replaced; it must write `{out}.vtt`.
    #[serde(default)]
    pub transcribe_cmd: Option<String>,
    /// The source name of what the recognizer writes.
    #[serde(default = "default_asr_source")]
    pub transcribe_source: String,
    /// Whisper for videos without captions (`--transcribe whisper`), and
    /// what becomes of the audio.
    #[serde(default)]
    pub asr: AsrOptions,
}

/// How videos without captions are transcribed beside `--transcribe-cmd`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AsrOptions {
    /// Run Whisper (faster-whisper) on them, so.
    pub whisper: Option<crate::whisper::WhisperOptions>,
    /// Keep the audio yt-dlp fetched for the recognizer (else it is
    /// deleted once the recognizer is done with it).
    pub keep_audio: bool,
}

fn default_asr_source() -> String {
    "asr".into()
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchReport {
    /// Run id (for the record).
    pub run: i64,
    /// The URL listed.
    pub url: String,
    /// Videos in the listing.
    pub listed: u64,
    /// Videos fetched and imported with a transcript.
    pub fetched: u64,
    /// Videos skipped (already there, filtered out).
    pub skipped: u64,
    /// Videos imported without any captions.
    pub no_captions: u64,
    /// Videos that failed, with reasons.
    pub failed: Vec<FetchFailure>,
    /// Videos left for `--resume` (the site refused, or the run was cut short).
    pub pending: u64,
    /// Why the run stopped early, if it did.
    pub stopped: Option<String>,
    /// The ids of the videos this call imported (with or without captions),
    /// as yt-dlp named them.
    pub imported: Vec<String>,
}

/// One video that could not be fetched.
#[derive(Debug, Clone, Serialize)]
pub struct FetchFailure {
    /// Video id or URL.
    pub video: String,
    /// Why.
    pub reason: String,
}

/// Lists `url`, records the plan as a new run, and fetches it.
pub fn fetch(
    store: &Store,
    url: &str,
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
) -> Result<FetchReport, FetchError> {
    fetch_observed(store, url, options, progress, &|_, _| {})
}

/// [`fetch`], telling `whisper_progress` how far the recognizer is with a
/// video's audio (`--transcribe whisper`).
pub fn fetch_observed(
    store: &Store,
    url: &str,
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    let yt = YtDlp::locate(options.yt_dlp.as_deref())?;
    let url = args::normalize_url(url);
    let listing = list(&yt, &url, &options.pass_through)?;
    let known = store.known_video_ids()?;
    let items = listing::plan(
        &listing,
        &url,
        args::is_channel_listing(&url),
        &options.selection,
        &known,
    );
    start(
        store,
        &yt,
        &url,
        &items,
        options,
        progress,
        whisper_progress,
    )
}

/// Fetches one video the caller knows is one (a notes slot's link): the
/// same run as [`fetch`], without asking yt-dlp to list the address first,
/// which would cost a second yt-dlp process. An address that names a
/// channel or a playlist is listed as [`fetch`] does. `yt` is located once
/// by the caller for all its videos ([`YtDlp::locate`] starts a process).
pub fn fetch_video(
    store: &Store,
    yt: &YtDlp,
    url: &str,
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
) -> Result<FetchReport, FetchError> {
    let url = args::normalize_url(url);
    if args::is_channel_listing(&url) || url.contains("list=") || url.contains("/playlist") {
        return fetch(store, &url, options, progress);
    }
    let one = Listing {
        kind: Some("video".into()),
        id: podcorpus_core::VideoId::from_url(&url).map(|v| v.to_string()),
        title: None,
        entries: Vec::new(),
        webpage_url: Some(url.clone()),
    };
    let items = listing::plan(
        &one,
        &url,
        false,
        &options.selection,
        &store.known_video_ids()?,
    );
    start(store, yt, &url, &items, options, progress, &|_, _| {})
}

/// Records the planned `items` as a new run with its options, and fetches it.
fn start(
    store: &Store,
    yt: &YtDlp,
    url: &str,
    items: &[FetchItem],
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    let json = serde_json::to_string(options).map_err(|e| FetchError::Listing(e.to_string()))?;
    let run = store.fetch_run_create(url, &json, items)?;
    process(store, yt, run, url, options, progress, whisper_progress)
}

/// Lists a channel, playlist or video with yt-dlp, without fetching it.
pub fn list(yt: &YtDlp, url: &str, pass_through: &[String]) -> Result<Listing, FetchError> {
    let out = yt.run(&args::listing_args(url, pass_through))?;
    if !out.success || out.stdout.trim().is_empty() {
        return Err(FetchError::Listing(format!(
            "cannot list {url}: {}",
            classify(&out.stderr).reason()
        )));
    }
    listing::parse(&out.stdout).map_err(FetchError::Listing)
}

/// Continues the newest run that did not finish, with its own options.
pub fn resume(
    store: &Store,
    yt_dlp: Option<&Path>,
    progress: &dyn Fn(&FetchItem, usize, usize),
) -> Result<FetchReport, FetchError> {
    resume_observed(store, yt_dlp, progress, &|_, _| {})
}

/// [`resume`], telling `whisper_progress` how far the recognizer is.
pub fn resume_observed(
    store: &Store,
    yt_dlp: Option<&Path>,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    let run = store
        .fetch_unfinished_run()?
        .ok_or(FetchError::NothingToResume)?;
    let mut options: FetchOptions = serde_json::from_str(&run.options)
        .map_err(|e| FetchError::Listing(format!("the stored run has unreadable options: {e}")))?;
    if yt_dlp.is_some() {
        options.yt_dlp = yt_dlp.map(Path::to_path_buf);
    }
    let yt = YtDlp::locate(options.yt_dlp.as_deref())?;
    process(
        store,
        &yt,
        run.id,
        &run.url,
        &options,
        progress,
        whisper_progress,
    )
}

/// Fetches the run's pending items in order.
fn process(
    store: &Store,
    yt: &YtDlp,
    run: i64,
    run_url: &str,
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    std::fs::create_dir_all(&options.out_dir)?;
    let items = store.fetch_items(run)?;
    let total = items.iter().filter(|i| i.status == "pending").count();
    let mut done = 0;
    let mut stopped = None;
    let mut imported = Vec::new();
    for item in items.iter().filter(|i| i.status == "pending") {
        progress(item, done, total);
        let outcome = fetch_one(store, yt, item, run_url, options);
        done += 1;
        match outcome {
            Outcome::Imported {
                transcripts,
                video_id,
            } => {
                let mut reason = None;
                let mut transcribed = 0;
                if transcripts == 0 {
                    reason =
                        Some("the video has no captions in the requested language".to_string());
                    let recognizer = match (&options.asr.whisper, &options.transcribe_cmd) {
                        (Some(w), _) => Some(crate::transcribe::Recognizer::Whisper(w)),
                        (None, Some(cmd)) => Some(crate::transcribe::Recognizer::Command(cmd)),
                        (None, None) => None,
                    };
                    if let (Some(recognizer), Some(id)) = (recognizer, &video_id) {
                        match crate::transcribe::transcribe(
                            store,
                            yt,
                            item,
                            id,
                            recognizer,
                            options,
                            &|p| whisper_progress(item, p),
                        ) {
                            Ok(n) => transcribed = n,
                            Err(why) => {
                                reason =
                                    Some(format!("no captions, and transcription failed: {why}"))
                            }
                        }
                    }
                }
                let status = if transcripts + transcribed > 0 {
                    "done"
                } else {
                    "no-captions"
                };
                let reason = if status == "done" { None } else { reason };
                imported.extend(video_id.clone());
                store.fetch_item_update(
                    run,
                    item.idx,
                    status,
                    reason.as_deref(),
                    item.attempts + 1,
                )?;
            }
            Outcome::Failed { problem, attempts } => {
                let reason = problem.reason();
                if matches!(problem, Problem::Refused(_)) {
                    // Hammering a refusing site makes it worse: stop, keep the rest pending.
                    store.fetch_item_update(run, item.idx, "pending", Some(&reason), attempts)?;
                    stopped = Some(reason);
                    break;
                }
                store.fetch_item_update(run, item.idx, "failed", Some(&reason), attempts)?;
            }
        }
        if done < total && options.sleep_secs > 0.0 {
            std::thread::sleep(Duration::from_secs_f64(options.sleep_secs));
        }
    }
    let items = store.fetch_items(run)?;
    let count = |s: &str| items.iter().filter(|i| i.status == s).count() as u64;
    let pending = count("pending");
    if pending == 0 {
        store.fetch_run_finish(run)?;
    }
    Ok(FetchReport {
        run,
        url: run_url.to_string(),
        listed: items.len() as u64,
        fetched: count("done"),
        skipped: count("skipped"),
        no_captions: count("no-captions"),
        failed: items
            .iter()
            .filter(|i| i.status == "failed")
            .map(|i| FetchFailure {
                video: i.video_id.clone().unwrap_or_else(|| i.url.clone()),
                reason: i.reason.clone().unwrap_or_default(),
            })
            .collect(),
        pending,
        stopped,
        imported,
    })
}

enum Outcome {
    Imported {
        transcripts: u64,
        video_id: Option<String>,
    },
    Failed {
        problem: Problem,
        attempts: i64,
    },
}

/// Fetches one video with retries and backoff, then imports its files.
fn fetch_one(
    store: &Store,
    yt: &YtDlp,
    item: &FetchItem,
    run_url: &str,
    o: &FetchOptions,
) -> Outcome {
    let mut attempts = item.attempts;
    let started = std::time::SystemTime::now();
    loop {
        attempts += 1;
        let args = args::video_args(
            &item.url,
            item.playlist_item,
            &o.out_dir,
            &o.subs,
            o.comments,
            &o.pass_through,
        );
        let problem = match yt.run(&args) {
            Err(e) => Problem::Other(e.to_string()),
            Ok(out) => match info_file(&o.out_dir, item.video_id.as_deref(), started) {
                // yt-dlp may fail on a subtitle yet have written the info: import what is there.
                Some(info) => return import(store, &info, item, run_url, o, attempts),
                None if out.success => Problem::Other("yt-dlp wrote no info file".into()),
                None => classify(&out.stderr),
            },
        };
        if !problem.transient()
            || matches!(problem, Problem::Refused(_))
            || attempts >= i64::from(o.attempts.max(1))
        {
            return Outcome::Failed { problem, attempts };
        }
        // Exponential backoff: 1 s, 2 s, 4 s, ... (scaled by the politeness setting).
        let wait = o.sleep_secs.max(0.25) * f64::from(1u32 << (attempts - 1).clamp(0, 6) as u32);
        std::thread::sleep(Duration::from_secs_f64(wait));
    }
}

/// `ID.info.json` in the folder, or (when the listing gave no id) the info
/// file yt-dlp wrote since `since`.
fn info_file(dir: &Path, id: Option<&str>, since: std::time::SystemTime) -> Option<PathBuf> {
    if let Some(id) = id {
        let p = dir.join(format!("{id}.info.json"));
        return p.is_file().then_some(p);
    }
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".info.json"))
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|m| m >= since)
        })
        .map(|e| e.path())
        .next()
}

fn import(
    store: &Store,
    info: &Path,
    item: &FetchItem,
    run_url: &str,
    o: &FetchOptions,
    attempts: i64,
) -> Outcome {
    let options = ImportOptions {
        collection: o.collection.clone(),
        strict: false,
        columns: Vec::new(),
    };
    let jobs = match podcorpus_ingest::discover(&[info.to_path_buf()], &options) {
        Ok((jobs, _)) => jobs,
        Err(e) => {
            return Outcome::Failed {
                problem: Problem::Other(e.to_string()),
                attempts,
            }
        }
    };
    // Without a channel in the info (a plain web page), the site names the collection.
    let fallback = CollectionSpec {
        name: site_name(run_url),
        kind: "channel".into(),
        url: None,
    };
    let jobs: Vec<Job> = jobs
        .into_iter()
        .map(|mut j| {
            if o.collection.is_none() {
                j.collection = fallback.clone();
            }
            j.number = item.number.and_then(|n| u32::try_from(n).ok());
            j
        })
        .collect();
    match podcorpus_ingest::import(store, &jobs, &options, &|_| {}) {
        Ok(report) if report.failed.is_empty() => Outcome::Imported {
            transcripts: report.transcripts,
            video_id: info
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".info.json"))
                .map(str::to_string),
        },
        Ok(report) => Outcome::Failed {
            problem: Problem::Other(format!(
                "import failed: {}",
                report
                    .failed
                    .iter()
                    .map(|f| f.error.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            attempts,
        },
        Err(e) => Outcome::Failed {
            problem: Problem::Other(format!("import failed: {e}")),
            attempts,
        },
    }
}

/// `127.0.0.1:8765` for `http://127.0.0.1:8765/v/talk1.html`.
fn site_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/')
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("web")
        .to_string()
}
