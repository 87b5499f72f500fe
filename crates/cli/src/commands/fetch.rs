//! `podcorpus fetch`: channels, playlists and videos through yt-dlp. On a
//! PostgreSQL store every `fetch --resume`, on any machine, is one more
//! worker on the run, and `fetch --status` shows what each is doing.

use crate::output;
use indicatif::{ProgressBar, ProgressStyle};
use podcorpus_fetch::args::SubtitleRequest;
use podcorpus_fetch::listing::Selection;
use podcorpus_fetch::{AsrOptions, FetchOptions, FetchReport, Worker};
use podcorpus_store::fetch_state::{FetchItem, FetchWorker};
use podcorpus_store::{location, Store};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Arguments of `fetch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A channel, playlist or video URL (anything yt-dlp can extract).
    #[arg(required_unless_present_any = ["resume", "status"])]
    url: Option<String>,
    /// Finish the last interrupted fetch; on a PostgreSQL store, join it
    /// as one more worker (from any machine).
    #[arg(long, conflicts_with = "url")]
    resume: bool,
    /// List the URL and record the run, fetching nothing: workers started
    /// with `fetch --resume` fetch it.
    #[arg(long, requires = "url")]
    enqueue_only: bool,
    /// Show the newest run: its videos by state, and what each worker is doing.
    #[arg(long, conflicts_with_all = ["url", "resume"])]
    status: bool,
    /// This worker's name in the run (default: host:pid).
    #[arg(long)]
    worker_name: Option<String>,
    /// How long a worker's claim on a video lasts unless renewed (it is
    /// renewed while the worker lives): a killed worker's video goes back
    /// to the others this long after it died. E.g. 60s, 2m.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    lease: Duration,
    /// How long a worker pauses when the site refuses it (HTTP 429, a
    /// sign-in check), doubling each time; it stops after the third. The
    /// other workers of its address (--source-address, or else the host)
    /// pause with it. PostgreSQL stores only: a lone fetch on SQLite stops
    /// at once.
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    pause: Duration,
    /// The local address yt-dlp connects from (its --source-address):
    /// the address the site sees, and throttles.
    #[arg(long)]
    source_address: Option<String>,
    /// At most this many videos.
    #[arg(long)]
    limit: Option<usize>,
    /// Leave out shorts.
    #[arg(long)]
    no_shorts: bool,
    /// Leave out videos shorter than this many seconds.
    #[arg(long)]
    min_duration: Option<f64>,
    /// Only videos uploaded on or after this date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only videos uploaded on or before this date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Fetch again videos that are already in the corpus.
    #[arg(long)]
    refresh: bool,
    /// How each video is fetched.
    #[command(flatten)]
    video: VideoArgs,
}

/// How each video is fetched: shared by `fetch` and `fill`.
#[derive(Debug, clap::Args)]
pub struct VideoArgs {
    /// Subtitle language: manual subtitles first, automatic captions otherwise.
    #[arg(long, default_value = "en")]
    pub(crate) lang: String,
    /// Subtitle format to ask for (json3 carries word timings on YouTube).
    #[arg(long, default_value = "json3", value_parser = ["json3", "vtt", "srt"])]
    pub(crate) sub_format: String,
    /// Keep the top N comments of each video.
    #[arg(long)]
    pub(crate) comments: Option<u32>,
    /// Where yt-dlp's files go (default: `downloads/` beside the database).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Put everything in this collection (default: each video's channel).
    #[arg(long)]
    pub(crate) collection: Option<String>,
    /// Seconds between videos, to be polite to the site.
    #[arg(long, default_value_t = 2.0)]
    pub(crate) sleep: f64,
    /// Tries per video for transient failures.
    #[arg(long, default_value_t = 3)]
    pub(crate) attempts: u32,
    /// The yt-dlp program to run.
    #[arg(long)]
    pub(crate) yt_dlp: Option<PathBuf>,
    /// Passed to yt-dlp: take cookies from this browser (when YouTube asks to sign in).
    #[arg(long)]
    pub(crate) cookies_from_browser: Option<String>,
    /// Passed to yt-dlp: a cookies.txt file.
    #[arg(long)]
    pub(crate) cookies: Option<PathBuf>,
    /// Transcribe videos without captions with this command, run by `sh -c`
    /// with {audio} and {out} replaced; it must write {out}.vtt
    /// (e.g. 'whisper-cli -m MODEL -f {audio} -ovtt -of {out}').
    #[arg(long)]
    pub(crate) transcribe_cmd: Option<String>,
    /// The source name of what --transcribe-cmd writes.
    #[arg(long, default_value = "asr")]
    pub(crate) transcribe_source: String,
    /// Transcribe videos without captions with Whisper (faster-whisper,
    /// offline; source `whisper-MODEL`).
    #[arg(long, value_parser = ["whisper"], conflicts_with = "transcribe_cmd")]
    pub(crate) transcribe: Option<String>,
    /// Keep the audio fetched for the recognizer (else deleted once transcribed).
    #[arg(long)]
    pub(crate) keep_audio: bool,
    /// How Whisper runs (with --transcribe whisper).
    #[command(flatten)]
    pub(crate) whisper: super::transcribe::WhisperArgs,
}

impl VideoArgs {
    /// The fetch options these arguments and `selection` ask for; yt-dlp's
    /// files go to `--out`, or `downloads/` beside the database.
    pub fn options(self, db: &Path, selection: Selection) -> FetchOptions {
        let mut pass_through = Vec::new();
        if let Some(b) = &self.cookies_from_browser {
            pass_through.extend(["--cookies-from-browser".to_string(), b.clone()]);
        }
        if let Some(c) = &self.cookies {
            pass_through.extend(["--cookies".to_string(), c.display().to_string()]);
        }
        let out_dir = self
            .out
            .clone()
            .unwrap_or_else(|| match location::locate(db) {
                // A server has no folder beside it: this machine's cache.
                location::Location::Server(_) => location::derived(db, ".downloads"),
                location::Location::File(_) => db
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .join("downloads"),
            });
        FetchOptions {
            selection,
            subs: SubtitleRequest {
                lang: self.lang,
                format: self.sub_format,
            },
            comments: self.comments,
            out_dir: std::path::absolute(&out_dir).unwrap_or(out_dir),
            collection: self.collection,
            sleep_secs: self.sleep.max(0.0),
            attempts: self.attempts.max(1),
            pass_through,
            yt_dlp: self.yt_dlp,
            transcribe_cmd: self.transcribe_cmd,
            transcribe_source: self.transcribe_source,
            asr: AsrOptions {
                whisper: self.transcribe.is_some().then(|| self.whisper.options()),
                keep_audio: self.keep_audio,
            },
        }
    }
}

/// Runs `fetch`; exit code 1 when any video failed.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open(db)?;
    if args.status {
        return status(&store, json);
    }
    let shared = store.fetch_shared();
    let worker = {
        let solo = Worker::solo();
        Worker {
            name: args.worker_name.clone().unwrap_or(solo.name),
            source_address: args.source_address.clone(),
            lease: args.lease,
            pause: if shared { args.pause } else { Duration::ZERO },
            max_refusals: if shared { 3 } else { 1 },
            // A second connection renews the leases while yt-dlp runs;
            // one process on SQLite needs none.
            heartbeat: shared.then(|| db.to_path_buf()),
            out_dir: if args.resume {
                args.video
                    .out
                    .clone()
                    .map(|o| std::path::absolute(&o).unwrap_or(o))
            } else {
                None
            },
            ..solo
        }
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} videos {elapsed} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let progress = |item: &FetchItem, done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(
            item.title
                .clone()
                .or_else(|| item.video_id.clone())
                .unwrap_or_default(),
        );
    };
    // The recognizer's progress, in seconds of audio, beside the video's name.
    let whisper_progress = |item: &FetchItem, p: &podcorpus_fetch::whisper::Progress| {
        let name = item.title.clone().or_else(|| item.video_id.clone());
        bar.set_message(format!(
            "{}: transcribing, {:.0}/{:.0} s of audio{}",
            name.unwrap_or_default(),
            p.audio_s,
            p.duration_s,
            p.real_time_factor()
                .map_or(String::new(), |r| format!(", real-time factor {r:.2}"))
        ));
    };
    let report = if args.resume {
        podcorpus_fetch::resume_as(
            &store,
            args.video.yt_dlp.as_deref(),
            &worker,
            &progress,
            &whisper_progress,
        )?
    } else {
        let url = args.url.clone().unwrap_or_default();
        let selection = Selection {
            limit: args.limit,
            no_shorts: args.no_shorts,
            min_duration: args.min_duration,
            refresh: args.refresh,
            since: args.since,
            until: args.until,
        };
        let options = args.video.options(db, selection);
        if args.enqueue_only {
            let (run, pending) = podcorpus_fetch::enqueue(&store, &url, &options)?;
            bar.finish_and_clear();
            if json {
                output::print_json(
                    &serde_json::json!({"run": run, "url": url, "pending": pending}),
                )?;
            } else {
                println!("{url}: run {run}, {pending} videos to fetch; start workers with `podcorpus fetch --resume`");
            }
            return Ok(0);
        }
        podcorpus_fetch::fetch_as(
            &store,
            &url,
            &options,
            &worker,
            &progress,
            &whisper_progress,
        )?
    };
    bar.finish_and_clear();
    if report.fetched > 0 {
        // This machine's index; other workers' machines update theirs with `reindex`.
        super::refresh_index(&store, db);
    }
    if json {
        output::print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

fn print_report(r: &FetchReport) {
    println!(
        "{}: {} listed — {} fetched, {} skipped, {} without captions, {} failed, {} left for --resume",
        r.url,
        r.listed,
        r.fetched,
        r.skipped,
        r.no_captions,
        r.failed.len(),
        r.pending
    );
    for f in &r.failed {
        println!("  failed {}: {}", f.video, f.reason);
    }
    if let Some(why) = &r.stopped {
        println!("stopped early: {why}");
    }
}

/// `3s`, `500ms`, `2m`, `1h`, or a number of seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration: write e.g. 30s, 500ms, 2m"))?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{s}`: use ms, s, m or h"
            ))
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("`{s}`: {e}"))
}

/// A worker as `fetch --status` shows it: what it said, and whether it
/// still says anything.
#[derive(serde::Serialize)]
struct WorkerStatus<'a> {
    #[serde(flatten)]
    worker: &'a FetchWorker,
    /// Milliseconds since it last said anything.
    seen_ago_ms: i64,
    /// Still at work but silent for longer than its lease: killed, or cut off.
    lost: bool,
}

/// `fetch --status`: the newest run's videos by state and its workers.
fn status(store: &Store, json: bool) -> anyhow::Result<i32> {
    let Some(run) = store.fetch_latest_run()? else {
        anyhow::bail!("no fetch has run on this corpus yet; start one with `podcorpus fetch URL`");
    };
    let counts = store.fetch_run_counts(run.id)?;
    let workers = store.fetch_workers(run.id)?;
    let now = store.fetch_clock()?;
    let shown: Vec<WorkerStatus> = workers
        .iter()
        .map(|w| {
            let ago = (now - w.last_seen).max(0);
            WorkerStatus {
                worker: w,
                seen_ago_ms: ago,
                lost: !matches!(w.state.as_str(), "done" | "stopped") && ago > w.lease_ms,
            }
        })
        .collect();
    let finished = counts
        .iter()
        .all(|(s, n)| *n == 0 || !(s == "pending" || s == "working"));
    if json {
        let by_state: serde_json::Map<String, serde_json::Value> = counts
            .iter()
            .map(|(s, n)| (s.clone(), serde_json::Value::from(*n)))
            .collect();
        output::print_json(&serde_json::json!({
            "run": run.id,
            "url": run.url,
            "finished": finished,
            "videos": by_state,
            "workers": shown,
        }))?;
        return Ok(0);
    }
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    println!(
        "run {}: {} — {total} videos: {}{}",
        run.id,
        run.url,
        parts.join(", "),
        if finished { " (finished)" } else { "" }
    );
    if shown.is_empty() {
        return Ok(0);
    }
    println!(
        "{:<28} {:<9} {:>7}  {:>10}  doing",
        "worker", "state", "fetched", "last seen"
    );
    for s in &shown {
        let w = s.worker;
        let state = if s.lost { "lost" } else { w.state.as_str() };
        let doing = match (state, w.item, &w.detail, w.paused_until) {
            ("paused", _, why, Some(until)) => format!(
                "{:.0} s more: {}",
                ((until - now).max(0) as f64) / 1000.0,
                why.as_deref().unwrap_or("the site refused")
            ),
            (_, Some(item), what, _) => format!("video {item}: {}", what.as_deref().unwrap_or("")),
            (_, None, Some(what), _) => what.clone(),
            _ => String::new(),
        };
        let name = match &w.address {
            Some(a) => format!("{} ({a})", w.name),
            None => w.name.clone(),
        };
        println!(
            "{:<28} {:<9} {:>7}  {:>8.1} s  {doing}",
            name,
            state,
            w.fetched,
            s.seen_ago_ms as f64 / 1000.0
        );
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("3s"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3 weeks").is_err());
    }
}
