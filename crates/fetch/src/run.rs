//! A fetch run: list the URL, plan the videos, then fetch and import them one
//! by one, recording each outcome in the database as it happens, so that a
//! run killed at any point resumes with `fetch --resume`. On a server many
//! processes (workers) fetch one run together: each claims a video under a
//! lease a heartbeat thread renews, imports it only while it still holds
//! it, and pauses, with every worker of its address, when the site refuses
//! that address.

use crate::args::{self, SubtitleRequest};
use crate::listing::{self, Listing, Selection};
use crate::whisper::Progress;
use crate::ytdlp::{classify, Problem, YtDlp};
use crate::FetchError;
use podcorpus_ingest::{ImportOptions, Job};
use podcorpus_store::fetch_state::{FetchItem, FetchWorker};
use podcorpus_store::write::CollectionSpec;
use podcorpus_store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// Who fetches, and how it shares a run with other fetch processes.
#[derive(Debug, Clone)]
pub struct Worker {
    /// Its name in the run (`host:pid` unless given): who holds a video.
    pub name: String,
    /// The machine it runs on.
    pub host: String,
    /// The local address yt-dlp connects from (`--source-address`): the
    /// address a site sees, and throttles.
    pub source_address: Option<String>,
    /// How long a claim lasts without renewal: a killed worker's video
    /// goes back to the others this long after its last heartbeat.
    pub lease: Duration,
    /// How long it pauses when the site refuses it (doubling each time);
    /// zero: it stops at the first refusal, as one process on SQLite does.
    pub pause: Duration,
    /// Refusals after which it stops rather than pause again.
    pub max_refusals: u32,
    /// The database to renew leases through, from a thread of its own
    /// (a second connection, so a long yt-dlp call cannot let a lease
    /// lapse). `None`: no heartbeat (one process on SQLite needs none).
    pub heartbeat: Option<PathBuf>,
    /// Where this worker's yt-dlp writes, instead of the run's folder (a
    /// worker on another machine has its own disk).
    pub out_dir: Option<PathBuf>,
}

impl Worker {
    /// One process alone on its run, as on SQLite: named `host:pid`, no
    /// heartbeat, stopping at the first refusal.
    pub fn solo() -> Worker {
        let host = host_name();
        Worker {
            name: format!("{host}:{}", std::process::id()),
            host,
            source_address: None,
            lease: Duration::from_secs(60),
            pause: Duration::ZERO,
            max_refusals: 1,
            heartbeat: None,
            out_dir: None,
        }
    }

    fn lease_ms(&self) -> i64 {
        i64::try_from(self.lease.as_millis())
            .unwrap_or(i64::MAX / 4)
            .max(1)
    }
}

/// This machine's name (the kernel's hostname), `localhost` if unknown.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

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
    /// The worker this call was (its name in `fetch --status`).
    pub worker: String,
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
    store: &dyn crate::FetchStore,
    url: &str,
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
) -> Result<FetchReport, FetchError> {
    fetch_observed(store, url, options, progress, &|_, _| {})
}

/// [`fetch`], telling `whisper_progress` how far the recognizer is with a
/// video's audio (`--transcribe whisper`).
pub fn fetch_observed(
    store: &dyn crate::FetchStore,
    url: &str,
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    fetch_as(
        store,
        url,
        options,
        &Worker::solo(),
        progress,
        whisper_progress,
    )
}

/// [`fetch_observed`] as `worker`: lists and enqueues the run, then works
/// on it beside any other workers that join it with [`resume_as`].
pub fn fetch_as(
    store: &dyn crate::FetchStore,
    url: &str,
    options: &FetchOptions,
    worker: &Worker,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    let yt = YtDlp::locate(options.yt_dlp.as_deref())?;
    let (run, url) = enqueue_with(store, &yt, url, options)?;
    process(
        store,
        &yt,
        run,
        &url,
        options,
        worker,
        progress,
        whisper_progress,
    )
}

/// Lists `url` and records the plan as a new run, fetching nothing: the
/// workers that join with `fetch --resume` fetch it. Returns the run's id
/// and the number of videos it has to fetch.
pub fn enqueue(
    store: &dyn crate::FetchStore,
    url: &str,
    options: &FetchOptions,
) -> Result<(i64, usize), FetchError> {
    let yt = YtDlp::locate(options.yt_dlp.as_deref())?;
    let (run, _) = enqueue_with(store, &yt, url, options)?;
    let pending = store
        .fetch_items(run)?
        .iter()
        .filter(|i| i.status == "pending")
        .count();
    Ok((run, pending))
}

fn enqueue_with(
    store: &dyn crate::FetchStore,
    yt: &YtDlp,
    url: &str,
    options: &FetchOptions,
) -> Result<(i64, String), FetchError> {
    let url = args::normalize_url(url);
    let listing = list(yt, &url, &options.pass_through)?;
    let known = store.known_video_ids()?;
    let items = listing::plan(
        &listing,
        &url,
        args::is_channel_listing(&url),
        &options.selection,
        &known,
    );
    let json = serde_json::to_string(options).map_err(|e| FetchError::Listing(e.to_string()))?;
    Ok((store.fetch_run_create(&url, &json, &items)?, url))
}

/// Fetches one video the caller knows is one (a notes slot's link): the
/// same run as [`fetch`], without asking yt-dlp to list the address first,
/// which would cost a second yt-dlp process. An address that names a
/// channel or a playlist is listed as [`fetch`] does. `yt` is located once
/// by the caller for all its videos ([`YtDlp::locate`] starts a process).
pub fn fetch_video(
    store: &dyn crate::FetchStore,
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
    store: &dyn crate::FetchStore,
    yt: &YtDlp,
    url: &str,
    items: &[FetchItem],
    options: &FetchOptions,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    let json = serde_json::to_string(options).map_err(|e| FetchError::Listing(e.to_string()))?;
    let run = store.fetch_run_create(url, &json, items)?;
    process(
        store,
        yt,
        run,
        url,
        options,
        &Worker::solo(),
        progress,
        whisper_progress,
    )
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
    store: &dyn crate::FetchStore,
    yt_dlp: Option<&Path>,
    progress: &dyn Fn(&FetchItem, usize, usize),
) -> Result<FetchReport, FetchError> {
    resume_observed(store, yt_dlp, progress, &|_, _| {})
}

/// [`resume`], telling `whisper_progress` how far the recognizer is.
pub fn resume_observed(
    store: &dyn crate::FetchStore,
    yt_dlp: Option<&Path>,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    resume_as(store, yt_dlp, &Worker::solo(), progress, whisper_progress)
}

/// [`resume_observed`] as `worker`: on a server, one more worker on the
/// newest unfinished run, beside any others.
pub fn resume_as(
    store: &dyn crate::FetchStore,
    yt_dlp: Option<&Path>,
    worker: &Worker,
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
        worker,
        progress,
        whisper_progress,
    )
}

/// A worker's hold on the video it fetches, and what it tells others.
struct Hold<'a> {
    run: i64,
    worker: &'a Worker,
    lease_ms: i64,
    /// The item being fetched, for the heartbeat thread.
    current: Arc<Mutex<Option<i64>>>,
}

/// Renews the lease on the worker's current video (and says it is
/// alive) every third of a lease, over its own connection, until told to stop.
fn heartbeat(
    db: PathBuf,
    run: i64,
    name: String,
    lease_ms: i64,
    current: Arc<Mutex<Option<i64>>>,
    stop: mpsc::Receiver<()>,
) {
    let store = match Store::open(&db) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("fetch heartbeat cannot open the store: {e}");
            return;
        }
    };
    let every = Duration::from_millis(u64::try_from(lease_ms / 3).unwrap_or(1000).max(50));
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(every) {
        let idx = current.lock().map(|c| *c).unwrap_or(None);
        if let Some(idx) = idx {
            match store.fetch_renew(run, idx, &name, lease_ms) {
                Ok(true) => {}
                Ok(false) => tracing::warn!("video {idx} of run {run} is no longer held by {name}"),
                Err(e) => tracing::warn!("cannot renew the lease on video {idx}: {e}"),
            }
        }
        if let Err(e) = store.fetch_worker_seen(&name) {
            tracing::warn!("cannot record that {name} is alive: {e}");
        }
    }
}

/// Fetches the run's items, claiming them one at a time, until none is
/// left to claim; on a server, also waits while other workers hold videos,
/// to take over those whose worker dies.
#[allow(clippy::too_many_arguments)]
fn process(
    store: &dyn crate::FetchStore,
    yt: &YtDlp,
    run: i64,
    run_url: &str,
    options: &FetchOptions,
    worker: &Worker,
    progress: &dyn Fn(&FetchItem, usize, usize),
    whisper_progress: &dyn Fn(&FetchItem, &Progress),
) -> Result<FetchReport, FetchError> {
    let mut options = options.clone();
    if let Some(dir) = &worker.out_dir {
        options.out_dir = dir.clone();
    }
    std::fs::create_dir_all(&options.out_dir)?;
    if let Some(addr) = &worker.source_address {
        options
            .pass_through
            .extend(["--source-address".to_string(), addr.clone()]);
    }
    let options = &options;
    let shared = store.fetch_shared();
    let hold = Hold {
        run,
        worker,
        lease_ms: worker.lease_ms(),
        current: Arc::new(Mutex::new(None)),
    };
    let mut me = FetchWorker {
        name: worker.name.clone(),
        host: worker.host.clone(),
        address: worker.source_address.clone(),
        run: Some(run),
        state: "waiting".into(),
        item: None,
        detail: None,
        paused_until: None,
        fetched: 0,
        lease_ms: hold.lease_ms,
        started: store.fetch_clock()?,
        last_seen: 0,
    };
    let say = |me: &mut FetchWorker| -> Result<(), FetchError> {
        me.last_seen = store.fetch_clock()?;
        store.fetch_worker_report(me)?;
        Ok(())
    };
    say(&mut me)?;
    let (stop_heartbeat, stopped_rx) = mpsc::channel();
    let beat = worker.heartbeat.clone().map(|db| {
        let (name, current, lease_ms) = (worker.name.clone(), hold.current.clone(), hold.lease_ms);
        std::thread::spawn(move || heartbeat(db, run, name, lease_ms, current, stopped_rx))
    });
    let left = |counts: &[(String, i64)]| -> usize {
        counts
            .iter()
            .filter(|(s, _)| s == "pending" || s == "working")
            .map(|(_, n)| *n as usize)
            .sum()
    };
    let total = left(&store.fetch_run_counts(run)?);
    let poll = Duration::from_millis(
        u64::try_from(hold.lease_ms / 4)
            .unwrap_or(1000)
            .clamp(100, 1000),
    );
    let mut stopped = None;
    let mut imported = Vec::new();
    let mut refusals = 0u32;
    let outcome = (|| -> Result<(), FetchError> {
        loop {
            if shared {
                // A site refuses an address, not a worker: while another
                // worker from this address is paused, so is this one.
                let now = store.fetch_clock()?;
                if let Some(by) = address_paused(&store.fetch_workers(run)?, &me, now) {
                    let until = by.paused_until.unwrap_or(now);
                    if me.state != "paused" || me.paused_until != Some(until) {
                        me.state = "paused".into();
                        me.item = None;
                        me.detail = Some(format!(
                            "paused with {}, whose address this is: {}",
                            by.name,
                            by.detail.as_deref().unwrap_or("the site refused it")
                        ));
                        me.paused_until = Some(until);
                        say(&mut me)?;
                    }
                    let wait = u64::try_from(until - now).unwrap_or(0).clamp(50, 60_000);
                    std::thread::sleep(Duration::from_millis(wait));
                    continue;
                }
            }
            let Some(item) = store.fetch_claim(run, &worker.name, hold.lease_ms)? else {
                if shared && store.fetch_held(run)? > 0 {
                    // Others hold videos: wait, to take over any whose worker dies.
                    if me.state != "waiting" {
                        me.state = "waiting".into();
                        (me.item, me.detail, me.paused_until) = (None, None, None);
                        say(&mut me)?;
                    }
                    std::thread::sleep(poll);
                    continue;
                }
                return Ok(());
            };
            if let Ok(mut c) = hold.current.lock() {
                *c = Some(item.idx);
            }
            me.state = "fetching".into();
            me.item = Some(item.idx);
            me.detail = item.title.clone().or_else(|| item.video_id.clone());
            me.paused_until = None;
            say(&mut me)?;
            let counts = store.fetch_run_counts(run)?;
            progress(&item, total.saturating_sub(left(&counts)), total.max(1));
            let outcome = fetch_one(store, yt, &item, run_url, options, &hold);
            let finish = |status: &str,
                          reason: Option<&str>,
                          attempts: i64|
             -> Result<(), FetchError> {
                if !store.fetch_item_finish(
                    run,
                    item.idx,
                    &worker.name,
                    status,
                    reason,
                    attempts,
                )? {
                    tracing::warn!(
                        "video {} of run {run} was taken over by another worker; its outcome here is dropped",
                        item.idx
                    );
                }
                Ok(())
            };
            let mut refused = false;
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
                        // Imported as the captions are: only while this
                        // worker still holds the video, under the import lock.
                        let import = |jobs: &[Job], o: &ImportOptions| {
                            match while_held(store, &hold, item.idx, &mut || {
                                podcorpus_ingest::import(store, jobs, o, &|_| {})
                            }) {
                                Ok(Some(report)) => report.map_err(|e| e.to_string()),
                                Ok(None) => Err("another worker took the video over while it was transcribed here; its transcript is theirs to store".into()),
                                Err(e) => Err(e.to_string()),
                            }
                        };
                        let hooks = crate::transcribe::Hooks {
                            progress: &|p| whisper_progress(&item, p),
                            import: &import,
                        };
                        if let (Some(recognizer), Some(id)) = (recognizer, &video_id) {
                            match crate::transcribe::transcribe(
                                store, yt, &item, id, recognizer, options, hooks,
                            ) {
                                Ok(n) => transcribed = n,
                                Err(why) => {
                                    reason = Some(format!(
                                        "no captions, and transcription failed: {why}"
                                    ))
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
                    me.fetched += 1;
                    refusals = 0;
                    finish(status, reason.as_deref(), item.attempts + 1)?;
                }
                Outcome::Lost => {
                    tracing::warn!(
                        "video {} of run {run} was taken over by another worker before it was imported here",
                        item.idx
                    );
                }
                Outcome::Failed { problem, attempts } => {
                    let reason = problem.reason();
                    if matches!(problem, Problem::Refused(_)) {
                        // Hammering a refusing site makes it worse: give the
                        // video back to the others, and pause (or stop).
                        finish("pending", Some(&reason), attempts)?;
                        refused = true;
                        refusals += 1;
                        if worker.pause.is_zero() || refusals >= worker.max_refusals.max(1) {
                            stopped = Some(reason);
                            if let Ok(mut c) = hold.current.lock() {
                                *c = None;
                            }
                            return Ok(());
                        }
                        let pause = worker.pause * (1u32 << (refusals - 1).min(6));
                        let now = store.fetch_clock()?;
                        me.state = "paused".into();
                        me.item = None;
                        me.detail = Some(reason);
                        me.paused_until = Some(now + i64::try_from(pause.as_millis()).unwrap_or(0));
                        say(&mut me)?;
                        if let Ok(mut c) = hold.current.lock() {
                            *c = None;
                        }
                        std::thread::sleep(pause);
                    } else {
                        refusals = 0;
                        finish("failed", Some(&reason), attempts)?;
                    }
                }
            }
            if let Ok(mut c) = hold.current.lock() {
                *c = None;
            }
            let pending = store
                .fetch_run_counts(run)?
                .iter()
                .any(|(s, n)| s == "pending" && *n > 0);
            if !refused && pending && options.sleep_secs > 0.0 {
                std::thread::sleep(Duration::from_secs_f64(options.sleep_secs));
            }
        }
    })();
    drop(stop_heartbeat);
    if let Some(beat) = beat {
        let _ = beat.join();
    }
    me.state = if stopped.is_some() { "stopped" } else { "done" }.into();
    (me.item, me.paused_until) = (None, None);
    me.detail = stopped.clone();
    // A failure of the run itself is what the caller hears about; telling
    // the others this worker is gone is best effort then.
    let told = say(&mut me);
    outcome?;
    told?;
    let items = store.fetch_items(run)?;
    let count = |s: &str| items.iter().filter(|i| i.status == s).count() as u64;
    let pending = count("pending") + count("working");
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
        worker: worker.name.clone(),
    })
}

enum Outcome {
    Imported {
        transcripts: u64,
        video_id: Option<String>,
    },
    /// Another worker took the video over (this one's lease ran out)
    /// before it was imported here: nothing was stored.
    Lost,
    Failed {
        problem: Problem,
        attempts: i64,
    },
}

/// The worker of `workers`, other than `me`, that fetches from `me`'s
/// address (its `--source-address`, or else its host) and is paused at
/// `now` (the database's clock) because the site refused it; the one whose
/// pause ends last.
fn address_paused<'w>(
    workers: &'w [FetchWorker],
    me: &FetchWorker,
    now: i64,
) -> Option<&'w FetchWorker> {
    let address = |w: &FetchWorker| w.address.clone().unwrap_or_else(|| w.host.clone());
    let mine = address(me);
    workers
        .iter()
        .filter(|w| w.name != me.name && w.state == "paused" && address(w) == mine)
        .filter(|w| w.paused_until.is_some_and(|until| until > now))
        .max_by_key(|w| w.paused_until)
}

/// Runs `import` only if this worker still holds video `idx`: `None` when
/// another has taken it over. No two imports run at once: the check and the
/// import happen under one lock, the lease pushed on so that no one takes
/// the video over meanwhile.
fn while_held<T>(
    store: &dyn crate::FetchStore,
    hold: &Hold,
    idx: i64,
    import: &mut dyn FnMut() -> T,
) -> podcorpus_store::Result<Option<T>> {
    let mut result = None;
    store.fetch_exclusively(&mut || {
        result = match store.fetch_renew(hold.run, idx, &hold.worker.name, hold.lease_ms) {
            Ok(true) => Some(Ok(import())),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        };
    })?;
    result.transpose()
}

/// Fetches one video with retries and backoff, then imports its files.
fn fetch_one(
    store: &dyn crate::FetchStore,
    yt: &YtDlp,
    item: &FetchItem,
    run_url: &str,
    o: &FetchOptions,
    hold: &Hold,
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
            Ok(out) => match info_file(&o.out_dir, item, started) {
                // yt-dlp may fail on a subtitle yet have written the info: import what is there.
                Some(info) => return import(store, &info, item, run_url, o, attempts, hold),
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
/// file yt-dlp wrote since `since` for this item's URL: other workers may
/// be writing theirs into the same folder at the same time.
fn info_file(dir: &Path, item: &FetchItem, since: std::time::SystemTime) -> Option<PathBuf> {
    if let Some(id) = &item.video_id {
        let p = dir.join(format!("{id}.info.json"));
        return p.is_file().then_some(p);
    }
    let recent: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".info.json"))
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|m| m >= since)
        })
        .map(|e| e.path())
        .collect();
    let for_this = |p: &PathBuf| {
        let Ok(text) = std::fs::read_to_string(p) else {
            return false;
        };
        let Ok(info) = serde_json::from_str::<serde_json::Value>(&text) else {
            return false;
        };
        ["original_url", "webpage_url", "url"]
            .iter()
            .any(|k| info.get(k).and_then(|v| v.as_str()) == Some(item.url.as_str()))
    };
    match recent.iter().find(|p| for_this(p)) {
        Some(p) => Some(p.clone()),
        // An item picked by `-I` from the run's URL names no URL of its own.
        None if item.playlist_item.is_some() => recent.into_iter().next(),
        None => None,
    }
}

fn import(
    store: &dyn crate::FetchStore,
    info: &Path,
    item: &FetchItem,
    run_url: &str,
    o: &FetchOptions,
    attempts: i64,
    hold: &Hold,
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
    let imported = while_held(store, hold, item.idx, &mut || {
        podcorpus_ingest::import(store, &jobs, &options, &|_| {})
    });
    let imported = match imported {
        Ok(Some(result)) => result,
        Ok(None) => return Outcome::Lost,
        Err(e) => {
            return Outcome::Failed {
                problem: Problem::Other(format!("import failed: {e}")),
                attempts,
            }
        }
    };
    match imported {
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

#[cfg(test)]
mod tests {
    use super::address_paused;
    use podcorpus_store::fetch_state::FetchWorker;

    fn worker(
        name: &str,
        host: &str,
        address: Option<&str>,
        paused_until: Option<i64>,
    ) -> FetchWorker {
        FetchWorker {
            name: name.into(),
            host: host.into(),
            address: address.map(Into::into),
            run: Some(1),
            state: if paused_until.is_some() {
                "paused"
            } else {
                "fetching"
            }
            .into(),
            item: None,
            detail: Some("the site refused this address (HTTP 429)".into()),
            paused_until,
            fetched: 0,
            lease_ms: 60_000,
            started: 0,
            last_seen: 0,
        }
    }

    #[test]
    fn a_pause_holds_the_workers_of_the_same_address_and_no_other() {
        let me = worker("me", "box1", Some("10.0.0.7"), None);
        let workers = vec![
            me.clone(),
            worker("same-address", "box2", Some("10.0.0.7"), Some(5_000)),
            worker("later", "box3", Some("10.0.0.7"), Some(9_000)),
            worker("other-address", "box1", Some("10.0.0.8"), Some(20_000)),
            worker("over", "box4", Some("10.0.0.7"), Some(900)),
        ];
        // The one whose pause ends last, of those from this address.
        assert_eq!(
            address_paused(&workers, &me, 1_000).map(|w| w.name.as_str()),
            Some("later")
        );
        assert_eq!(
            address_paused(&workers, &me, 9_000).map(|w| w.name.as_str()),
            None
        );
        // Without --source-address, a worker's address is its host's.
        let plain = worker("plain", "box1", None, None);
        let hosts = vec![
            worker("on-box1", "box1", None, Some(5_000)),
            worker("on-box2", "box2", None, Some(5_000)),
        ];
        assert_eq!(
            address_paused(&hosts, &plain, 1_000).map(|w| w.name.as_str()),
            Some("on-box1")
        );
        // Its own pause is not another's.
        let paused_me = worker("me", "box1", Some("10.0.0.7"), Some(5_000));
        assert!(address_paused(std::slice::from_ref(&paused_me), &paused_me, 1_000).is_none());
    }
}
