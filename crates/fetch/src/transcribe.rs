//! Videos without captions, transcribed: yt-dlp fetches the audio, then
//! either Whisper ([`crate::whisper`]) or the user's own recognizer (a
//! command that turns it into `{out}.vtt`) makes a transcript, which is
//! imported as one more source of the same episode. The audio is deleted
//! once the recognizer is done with it, unless it is to be kept.

use crate::args;
use crate::run::FetchOptions;
use crate::whisper::{Importer, Progress, Target, Whisper, WhisperOptions};
use crate::ytdlp::{classify, YtDlp};
use podcorpus_ingest::{ImportOptions, Job};
use podcorpus_store::fetch_state::FetchItem;
use podcorpus_store::write::CollectionSpec;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Which recognizer transcribes.
pub enum Recognizer<'a> {
    /// Whisper through faster-whisper.
    Whisper(&'a WhisperOptions),
    /// A user's command line, run by `sh -c`.
    Command(&'a str),
}

/// What the caller does with a transcription's progress and its result.
pub struct Hooks<'a> {
    /// Told as the recognizer goes.
    pub progress: &'a dyn Fn(&Progress),
    /// Imports the transcript file.
    pub import: &'a Importer<'a>,
}

/// Transcribes one video; returns the transcripts imported (1) or why not.
pub fn transcribe(
    store: &dyn crate::FetchStore,
    yt: &YtDlp,
    item: &FetchItem,
    video_id: &str,
    recognizer: Recognizer,
    o: &FetchOptions,
    hooks: Hooks<'_>,
) -> Result<u64, String> {
    // The recognizer is checked before the audio is fetched: a missing
    // model costs no download.
    let whisper = match &recognizer {
        Recognizer::Whisper(w) => Some(Whisper::prepare(w).map_err(|e| e.to_string())?),
        Recognizer::Command(_) => None,
    };
    let audio = fetch_audio(
        yt,
        &item.url,
        item.playlist_item,
        video_id,
        &o.out_dir,
        &o.pass_through,
    )?;
    let outcome = match (&recognizer, whisper) {
        (_, Some(whisper)) => with_whisper(store, &whisper, &audio, video_id, o, &hooks),
        (Recognizer::Command(template), None) => {
            with_command(store, &audio, video_id, template, o, hooks.import)
        }
        (Recognizer::Whisper(_), None) => Err("no recognizer".to_string()),
    };
    if !o.asr.keep_audio {
        let _ = std::fs::remove_file(&audio);
    }
    outcome
}

/// Downloads a video's audio into `out_dir` as `ID.audio.EXT`, unless it
/// is there already (kept from an earlier run).
pub fn fetch_audio(
    yt: &YtDlp,
    url: &str,
    playlist_item: Option<i64>,
    video_id: &str,
    out_dir: &Path,
    pass_through: &[String],
) -> Result<PathBuf, String> {
    if let Some(at_hand) = find_audio(out_dir, video_id) {
        return Ok(at_hand);
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let out = yt
        .run(&args::audio_args(url, playlist_item, out_dir, pass_through))
        .map_err(|e| e.to_string())?;
    find_audio(out_dir, video_id).ok_or_else(|| {
        format!(
            "the audio could not be downloaded: {}",
            classify(&out.stderr).reason()
        )
    })
}

fn with_whisper(
    store: &dyn crate::FetchStore,
    whisper: &Whisper,
    audio: &Path,
    video_id: &str,
    o: &FetchOptions,
    hooks: &Hooks<'_>,
) -> Result<u64, String> {
    let episode = store.resolve(video_id).map_err(|e| e.to_string())?;
    let target = Target {
        collection: CollectionSpec {
            name: episode.collection.clone(),
            kind: "channel".into(),
            url: None,
        },
        number: u32::try_from(episode.number).ok(),
        video_id: Some(video_id.to_string()),
        title: episode.title.clone(),
    };
    whisper
        .transcribe_with(
            store,
            audio,
            &target,
            &o.out_dir,
            hooks.progress,
            hooks.import,
        )
        .map(|_| 1)
        .map_err(|e| e.to_string())
}

fn with_command(
    store: &dyn crate::FetchStore,
    audio: &Path,
    video_id: &str,
    template: &str,
    o: &FetchOptions,
    import: &Importer<'_>,
) -> Result<u64, String> {
    // `[ID]` in the name ties the file to its episode when it is imported.
    let base = o
        .out_dir
        .join(format!("{} [{video_id}]", o.transcribe_source));
    let command = template
        .replace("{audio}", &shell_quote(audio))
        .replace("{out}", &shell_quote(&base));
    let status = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run the transcriber: {e}"))?;
    let vtt = PathBuf::from(format!("{}.vtt", base.display()));
    if !status.success() {
        return Err(format!("the transcriber exited with {status}"));
    }
    if !vtt.is_file() {
        return Err(format!("the transcriber wrote no {}", vtt.display()));
    }
    let episode = store.resolve(video_id).map_err(|e| e.to_string())?;
    let collection = episode.collection.clone();
    let job = Job {
        path: vtt,
        subtitles: Vec::new(),
        collection: CollectionSpec {
            name: collection.clone(),
            kind: "channel".into(),
            url: None,
        },
        number: u32::try_from(episode.number).ok(),
        source: Some(o.transcribe_source.clone()),
    };
    let options = ImportOptions {
        collection: Some(collection),
        strict: false,
        columns: Vec::new(),
    };
    let report = import(&[job], &options)?;
    match report.failed.first() {
        Some(f) => Err(format!(
            "the transcriber's output did not import: {}",
            f.error
        )),
        None => Ok(report.transcripts),
    }
}

/// `ID.audio.*` as yt-dlp wrote it (a partial download, `.part`, is not).
pub fn find_audio(dir: &Path, id: &str) -> Option<PathBuf> {
    let prefix = format!("{id}.audio.");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .find(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.starts_with(&prefix) && !name.ends_with(".part") && !name.ends_with(".ytdl")
        })
        .map(|e| e.path())
}

/// Single-quotes a path for `sh`.
fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}
