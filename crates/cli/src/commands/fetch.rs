//! `podcorpus fetch`: channels, playlists and videos through yt-dlp.

use crate::output;
use indicatif::{ProgressBar, ProgressStyle};
use podcorpus_fetch::args::SubtitleRequest;
use podcorpus_fetch::listing::Selection;
use podcorpus_fetch::{AsrOptions, FetchOptions, FetchReport};
use podcorpus_store::fetch_state::FetchItem;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Arguments of `fetch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A channel, playlist or video URL (anything yt-dlp can extract).
    #[arg(required_unless_present = "resume")]
    url: Option<String>,
    /// Finish the last interrupted fetch.
    #[arg(long, conflicts_with = "url")]
    resume: bool,
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
        let out_dir = self.out.clone().unwrap_or_else(|| {
            db.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .join("downloads")
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
        podcorpus_fetch::resume_observed(
            &store,
            args.video.yt_dlp.as_deref(),
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
        podcorpus_fetch::fetch_observed(&store, &url, &options, &progress, &whisper_progress)?
    };
    bar.finish_and_clear();
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
