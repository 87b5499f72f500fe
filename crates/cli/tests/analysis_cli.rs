//! `stats`, `freq`, `keywords`, `collocates` and `compare` end to end on the
//! bundled Lexicap samples (two episodes, Whisper large and small each).
//! Error-rate numbers come from jiwer 4.0.0 run on the same files the way
//! ../shared/bench/peer_wer.py does (cue texts joined by one space, lowercase,
//! punctuation removed, spaces collapsed, stripped).

use serde_json::Value;
use std::path::Path;

mod support;
use support::{json, podcorpus, samples};

fn corpus(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("c.db");
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    db
}

#[test]
fn compare_episode_all_and_files_equal_jiwer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = corpus(dir.path());
    let one = json(podcorpus(&db).args([
        "compare",
        "lexicap/49",
        "--ref",
        "whisper-large",
        "--hyp",
        "whisper-small",
    ]));
    // jiwer: S=111 D=241 I=90 H=5291, wer 0.07832713095870991, cer 0.05697078999066053
    assert_eq!(
        (
            &one["substitutions"],
            &one["deletions"],
            &one["insertions"],
            &one["hits"]
        ),
        (
            &Value::from(111),
            &Value::from(241),
            &Value::from(90),
            &Value::from(5291)
        )
    );
    assert_eq!(one["wer"], 0.07832713095870991);
    assert_eq!(one["cer"], 0.05697078999066053);

    let files = json(
        podcorpus(&dir.path().join("absent.db"))
            .args(["compare"])
            .arg(samples().join("lexicap/episode_316_large.vtt"))
            .arg(samples().join("lexicap/episode_316_small.vtt")),
    );
    // jiwer: S=78 D=36 I=80 H=4955, wer 0.03827184849082659; no database needed.
    assert_eq!(files["wer"], 0.03827184849082659);
    assert_eq!(files["hits"], 4955);
    assert!(!dir.path().join("absent.db").exists());

    let all = json(podcorpus(&db).args([
        "compare",
        "--all",
        "--ref",
        "whisper-large",
        "--hyp",
        "whisper-small",
    ]));
    // jiwer.process_words on both pairs: errors summed, (442 + 194) / (5643 + 5069).
    assert_eq!(all["pairs"], 2);
    assert_eq!(all["wer"], 636.0 / 10712.0);
    assert_eq!(all["episodes"][1]["episode"], "lexicap/316");
    assert_eq!(all["episodes"][1]["insertions"], 80);
    assert!(all.get("cer").is_none());
}

#[test]
fn align_marks_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../analysis/tests/fixtures");
    let out = podcorpus(&dir.path().join("c.db"))
        .args(["compare", "--align"])
        .arg(fixtures.join("tags_ref.vtt"))
        .arg(fixtures.join("tags_hyp.vtt"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    // jiwer.visualize_alignment: REF "music wellknown facts ** dont" / HYP "well known facts do not"
    assert!(
        text.starts_with("[music→well] [wellknown→known] facts [+do] [dont→not] panic"),
        "{text}"
    );
    assert!(text.contains("WER 0.6000"), "{text}");
}

#[test]
fn stats_freq_keywords_collocates_and_plots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = corpus(dir.path());
    let s = json(podcorpus(&db).arg("stats"));
    // Words as `wc -w` counts them = `list`'s word counts of the best sources (5643 + 5069).
    assert_eq!(s["words"], 10712);
    assert_eq!(s["documents"], 2);
    assert!(s["mattr"].as_f64().unwrap() > s["ttr"].as_f64().unwrap());
    let wpm = s["speaking_rate_wpm"].as_f64().unwrap();
    assert!((100.0..250.0).contains(&wpm), "{wpm}");

    let rows = podcorpus(&db)
        .args(["stats", "--by", "episode", "--csv"])
        .output()
        .expect("runs");
    let csv = String::from_utf8_lossy(&rows.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("lexicap/49,,"), "{csv}");
    assert!(lines[1].contains(",5643,"), "{csv}");

    let f = json(podcorpus(&db).args(["freq", "--top", "3"]));
    assert_eq!(f[0]["item"], "the");
    let f = json(podcorpus(&db).args(["freq", "--top", "5", "--ngram", "2", "--no-stop"]));
    assert_eq!(f.as_array().unwrap().len(), 5);

    // Episode 49 (Elon Musk on Neuralink) against 316: "brain" 46 times here, once there.
    let k = json(podcorpus(&db).args(["keywords", "lexicap/49", "--top", "5"]));
    assert_eq!(k[0]["word"], "brain");
    assert_eq!(
        (&k[0]["target"], &k[0]["reference"]),
        (&Value::from(46), &Value::from(1))
    );

    let c = json(podcorpus(&db).args(["collocates", "think", "--window", "3"]));
    assert_eq!(c["node"], "think");
    assert_eq!(c["collocates"][0]["word"], "i");

    let plots = dir.path().join("plots");
    let out = podcorpus(&db)
        .arg("stats")
        .arg("--plot")
        .arg(&plots)
        .output()
        .expect("runs");
    assert!(out.status.success());
    for f in ["zipf.svg", "words_per_episode.svg", "speaking_rate.svg"] {
        let svg = std::fs::read_to_string(plots.join(f)).expect(f);
        assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{f}");
    }
    let zipf = std::fs::read_to_string(plots.join("zipf.svg")).unwrap();
    assert!(zipf.contains("rank (log scale)"));
}
