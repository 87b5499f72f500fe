//! `summarize` and `eval-summary` end to end on the bundled samples: the
//! notes document (unpunctuated, untimed, chapters by text position) and
//! Lexicap Whisper transcripts (punctuated, timed).

use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;
use support::{json, podcorpus, samples};

fn corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    podcorpus(&db)
        .arg("import")
        .arg(samples().join("lex-fridman-notes.txt"))
        .arg(samples().join("lexicap"))
        .assert()
        .success();
    (dir, db)
}

fn summaries(db: &Path, episode: &str, kind: &str) -> Vec<Value> {
    let show = json(podcorpus(db).args(["show", episode]));
    show["summaries"]
        .as_array()
        .expect("summaries")
        .iter()
        .filter(|s| s["kind"] == kind)
        .cloned()
        .collect()
}

#[test]
fn extractive_key_points_on_notes_are_numbered_untimed_and_deterministic() {
    let (_dir, db) = corpus();
    let first = json(podcorpus(&db).args(["summarize", "lex-fridman-notes/1"]));
    let s = &first[0];
    assert_eq!(s["episode"], "lex-fridman-notes/1");
    assert_eq!(s["kind"], "extractive");
    assert_eq!(s["method"], "lexrank-mmr");
    assert_eq!(s["params"]["points"], 10);
    assert_eq!(s["params"]["source"], "notes");
    let text = s["text"].as_str().expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10);
    for (i, l) in lines.iter().enumerate() {
        assert!(l.starts_with(&format!("{}. ", i + 1)), "{l}");
        // No timestamps in the notes: none are shown.
        assert!(!l.contains('['), "{l}");
    }
    // Every point is transcript text, in transcript order.
    let show = json(podcorpus(&db).args(["show", "lex-fridman-notes/1"]));
    let transcript = show["transcripts"][0]["text"].as_str().expect("text");
    let mut at = 0;
    for l in &lines {
        let point = l.split_once(". ").expect("numbered").1;
        let found = transcript[at..]
            .find(point)
            .expect("point is in the transcript, in order");
        at += found + point.len();
    }
    // Deterministic, and a re-run replaces rather than adds.
    let again = json(podcorpus(&db).args(["summarize", "lex-fridman-notes/1"]));
    assert_eq!(again[0]["text"], s["text"]);
    assert_eq!(summaries(&db, "lex-fridman-notes/1", "extractive").len(), 1);
}

#[test]
fn extractive_on_whisper_has_timestamps_and_by_chapter_has_headings() {
    let (_dir, db) = corpus();
    let out = json(podcorpus(&db).args(["summarize", "lexicap/49", "--points", "5"]));
    let text = out[0]["text"].as_str().expect("text");
    assert_eq!(text.lines().count(), 5);
    for l in text.lines() {
        // `N. [HH:MM:SS] Sentence.` — whole sentences from punctuated Whisper text.
        assert!(l.contains(". [00:") && l.ends_with(['.', '?', '!']), "{l}");
    }
    let out = json(podcorpus(&db).args([
        "summarize",
        "lex-fridman-notes/1",
        "--by",
        "chapter",
        "--points",
        "1",
    ]));
    let text = out[0]["text"].as_str().expect("text");
    assert_eq!(out[0]["params"]["by"], "chapter");
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("**")).collect();
    assert_eq!(headings.len(), 10);
    assert_eq!(headings[0], "**Intro**");
    assert_eq!(headings[9], "**Diet**");
    assert_eq!(text.lines().filter(|l| l.starts_with("1. ")).count(), 10);
    // --all: every episode with speech (notes slot 3 has none), best source each.
    let all = json(podcorpus(&db).args(["summarize", "--all", "--dry-run"]));
    assert_eq!(all.as_array().expect("list").len(), 7);
}

#[test]
fn eval_summary_reports_rouge_of_stored_summaries_and_files() {
    let (dir, db) = corpus();
    podcorpus(&db)
        .args(["summarize", "lex-fridman-notes/5"])
        .assert()
        .success();
    let r = json(podcorpus(&db).args([
        "eval-summary",
        "lex-fridman-notes/5",
        "--ref",
        "imported",
        "--hyp",
        "extractive",
    ]));
    for m in ["rouge1", "rouge2", "rougeL"] {
        let f1 = r[m]["f1"].as_f64().expect("f1");
        assert!(f1 > 0.0 && f1 < 1.0, "{m} {f1}");
    }
    assert!(r["rouge1"]["f1"].as_f64() > r["rouge2"]["f1"].as_f64());
    // Two files: the example of the rouge-score README's style, checked by hand:
    // 5 of 6 reference unigrams found, 5 of 7 hypothesis unigrams correct.
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, "The cat sat on the mat.").expect("write");
    std::fs::write(&b, "the cat lay on the mat today").expect("write");
    let r = json(
        podcorpus(&db)
            .args(["eval-summary", "--ref-file"])
            .arg(&a)
            .arg("--hyp-file")
            .arg(&b),
    );
    assert!((r["rouge1"]["recall"].as_f64().expect("r") - 5.0 / 6.0).abs() < 1e-12);
    assert!((r["rouge1"]["precision"].as_f64().expect("p") - 5.0 / 7.0).abs() < 1e-12);
    // --all: episodes with both kinds only.
    let all = json(podcorpus(&db).args(["eval-summary", "--all"]));
    assert_eq!(all.as_array().expect("list").len(), 1);
    assert_eq!(all[0]["episode"], "lex-fridman-notes/5");
    // A missing kind is a clear error.
    let out = podcorpus(&db)
        .args(["eval-summary", "lex-fridman-notes/5", "--hyp", "llm"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no llm summary"));
}

#[test]
fn llm_without_a_server_fails_clearly_and_stores_nothing() {
    let (_dir, db) = corpus();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let out = podcorpus(&db)
        .args([
            "summarize",
            "--all",
            "--method",
            "llm",
            "--model",
            "m",
            "--base-url",
        ])
        .arg(format!("http://127.0.0.1:{port}/v1"))
        .env("PODCORPUS_API_KEY", "sk-never-printed")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot reach the language-model server"),
        "{err}"
    );
    assert!(err.contains("nothing was stored"), "{err}");
    assert!(!err.contains("sk-never-printed"));
    assert!(summaries(&db, "lex-fridman-notes/1", "llm").is_empty());
    // No model: says how to give one.
    let out = podcorpus(&db)
        .args(["summarize", "1", "--method", "llm"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--model"));
}

/// The notes document with a yt-dlp info.json of slot 03's video
/// (7bO8rKtvDoE) in yt-dlp's real comment format: 11 comments, 3 of them
/// replies (one by the channel), 2 spam.
fn notes_with_comments() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let info = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/7bO8rKtvDoE.info.json");
    podcorpus(&db)
        .arg("import")
        .arg(samples().join("lex-fridman-notes.txt"))
        .arg(&info)
        .assert()
        .success();
    (dir, db, info)
}

#[test]
fn comments_summary_quotes_the_audience_leaves_spam_out_and_is_stored_about_the_comments() {
    let (_dir, db, info) = notes_with_comments();
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(&info).expect("fixture")).expect("json");
    let raw = fixture["comments"].as_array().expect("comments");
    let audience: Vec<&Value> = raw
        .iter()
        .filter(|c| c["author_is_uploader"] != true)
        .filter(|c| {
            let t = c["text"].as_str().unwrap_or("").to_lowercase();
            !t.contains("whatsapp") && !t.contains("my channel")
        })
        .collect();
    let made = json(podcorpus(&db).args(["summarize", "7bO8rKtvDoE", "--of", "comments"]));
    let made = &made.as_array().expect("list")[0];
    assert_eq!(made["episode"], "lex-fridman-notes/3");
    assert_eq!(made["subject"], "comments");
    assert_eq!(made["method"], "lexrank-likes-mmr");
    let text = made["text"].as_str().expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "Representative comments, 5 of the {} read (left out: {} spam or self-promotion, 1 by the uploader):",
            raw.len(),
            raw.len() - audience.len() - 1
        )
    );
    assert_eq!(lines.len(), 6, "{text}");
    // Each point quotes one of the audience's comments with its author and likes.
    for (i, line) in lines[1..].iter().enumerate() {
        let quoted = audience.iter().find(|c| {
            line.contains(c["text"].as_str().unwrap_or("#"))
                && line.ends_with(&format!(
                    "({}, {} likes)",
                    c["author"].as_str().unwrap_or("#"),
                    c["like_count"]
                ))
        });
        assert!(
            line.starts_with(&format!("{}. “", i + 1)) && quoted.is_some(),
            "{line}"
        );
    }
    for spam in ["WhatsApp", "visit my channel", "Thanks for listening"] {
        assert!(!text.contains(spam), "{text}");
    }
    // Stored beside the notes' two, about the comments.
    let show = json(podcorpus(&db).args(["show", "lex-fridman-notes/3"]));
    let subjects: Vec<(String, String)> = show["summaries"]
        .as_array()
        .expect("summaries")
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap_or("").into(),
                s["subject"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let pair = |k: &str, s: &str| (k.to_string(), s.to_string());
    assert_eq!(
        subjects,
        [
            pair("imported", "comments"),
            pair("imported", "episode"),
            pair("extractive", "comments")
        ]
    );
    // --all finds the one episode with comments; a re-run replaces, not piles up.
    let all = json(podcorpus(&db).args(["summarize", "--all", "--of", "comments"]));
    assert_eq!(all.as_array().expect("list").len(), 1);
    assert_eq!(summaries(&db, "lex-fridman-notes/3", "extractive").len(), 1);
    // What does not fit is refused clearly.
    for (args, says) in [
        (
            vec![
                "summarize",
                "lex-fridman-notes/3",
                "--of",
                "comments",
                "--source",
                "notes",
            ],
            "--source",
        ),
        (
            vec![
                "summarize",
                "lex-fridman-notes/3",
                "--of",
                "comments",
                "--by",
                "chapter",
            ],
            "--by chapter",
        ),
        (
            vec!["summarize", "lex-fridman-notes/5", "--of", "comments"],
            "has no comments to summarize",
        ),
    ] {
        let out = podcorpus(&db).args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn eval_summary_of_comments_compares_with_the_notes_comment_summary() {
    let (dir, db, _) = notes_with_comments();
    podcorpus(&db)
        .args(["summarize", "7bO8rKtvDoE", "--of", "comments"])
        .assert()
        .success();
    let r = json(podcorpus(&db).args([
        "eval-summary",
        "lex-fridman-notes/3",
        "--of",
        "comments",
        "--hyp",
        "extractive",
    ]));
    // The same numbers as the two texts given as files: the notes' summary
    // of the comments (not of the interview) against the one just made.
    let summaries = json(podcorpus(&db).args(["show", "lex-fridman-notes/3"]))["summaries"].clone();
    let text_of = |kind: &str, subject: &str| {
        summaries
            .as_array()
            .expect("summaries")
            .iter()
            .find(|s| s["kind"] == kind && s["subject"] == subject)
            .and_then(|s| s["text"].as_str())
            .expect("summary")
            .to_string()
    };
    let reference = text_of("imported", "comments");
    assert!(reference.starts_with("Based on the comments, the interview with Jimmy Pedro"));
    let (a, b) = (dir.path().join("ref.txt"), dir.path().join("hyp.txt"));
    std::fs::write(&a, &reference).expect("write");
    std::fs::write(&b, text_of("extractive", "comments")).expect("write");
    let files = json(
        podcorpus(&db)
            .args(["eval-summary", "--ref-file"])
            .arg(&a)
            .arg("--hyp-file")
            .arg(&b),
    );
    for m in ["rouge1", "rouge2", "rougeL"] {
        assert_eq!(r[m], files[m], "{m}");
        let f1 = r[m]["f1"].as_f64().expect("f1");
        assert!(f1 > 0.0 && f1 < 1.0, "{m} {f1}");
    }
    // Against the interview's summary the numbers differ.
    std::fs::write(&a, text_of("imported", "episode")).expect("write");
    let other = json(
        podcorpus(&db)
            .args(["eval-summary", "--ref-file"])
            .arg(&a)
            .arg("--hyp-file")
            .arg(&b),
    );
    assert_ne!(other["rouge1"], r["rouge1"]);
    // --all --of comments: the one episode with both; of the episode, none
    // has an extractive summary.
    let all = json(podcorpus(&db).args(["eval-summary", "--all", "--of", "comments"]));
    assert_eq!(all.as_array().expect("list").len(), 1);
    let out = podcorpus(&db)
        .args(["eval-summary", "lex-fridman-notes/3", "--hyp", "extractive"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no extractive summary"));
}
