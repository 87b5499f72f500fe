//! Videos without captions, transcribed by the user's own speech recognizer:
//! yt-dlp fetches the audio, the command turns it into `{out}.vtt`, and that
//! file is imported as one more transcript of the same episode.

use crate::args;
use crate::run::FetchOptions;
use crate::ytdlp::{classify, YtDlp};
use podcorpus_ingest::{ImportOptions, Job};
use podcorpus_store::fetch_state::FetchItem;
use podcorpus_store::write::CollectionSpec;
use podcorpus_store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Transcribes one video; returns the transcripts imported (1) or why not.
pub fn transcribe(
    store: &Store,
    yt: &YtDlp,
    item: &FetchItem,
    video_id: &str,
    template: &str,
    o: &FetchOptions,
) -> Result<u64, String> {
    let out = yt
        .run(&args::audio_args(
            &item.url,
            item.playlist_item,
            &o.out_dir,
            &o.pass_through,
        ))
        .map_err(|e| e.to_string())?;
    let audio = find_audio(&o.out_dir, video_id).ok_or_else(|| {
        format!(
            "the audio could not be downloaded: {}",
            classify(&out.stderr).reason()
        )
    })?;
    // `[ID]` in the name ties the file to its episode when it is imported.
    let base = o
        .out_dir
        .join(format!("{} [{video_id}]", o.transcribe_source));
    let command = template
        .replace("{audio}", &shell_quote(&audio))
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
    let report =
        podcorpus_ingest::import(store, &[job], &options, &|_| {}).map_err(|e| e.to_string())?;
    match report.failed.first() {
        Some(f) => Err(format!(
            "the transcriber's output did not import: {}",
            f.error
        )),
        None => Ok(report.transcripts),
    }
}

/// `ID.audio.*` as yt-dlp wrote it.
fn find_audio(dir: &Path, id: &str) -> Option<PathBuf> {
    let prefix = format!("{id}.audio.");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
}

/// Single-quotes a path for `sh`.
fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}
