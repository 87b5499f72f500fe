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

#[test]
fn stats_of_one_episode_count_its_comments_and_chart_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json");
    json(podcorpus(&db).arg("import").arg(&fixture));

    // What the fixture holds, counted here from its JSON.
    let info: Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).expect("fixture")).expect("json");
    let cs = info["comments"].as_array().expect("comments");
    let ids: std::collections::HashSet<&str> = cs.iter().filter_map(|c| c["id"].as_str()).collect();
    fn parent(c: &Value) -> Option<&str> {
        c["parent"].as_str().filter(|p| *p != "root")
    }
    let roots = cs.iter().filter(|c| parent(c).is_none()).count();
    // A reply to a comment that was not fetched starts a thread of its own.
    let orphans = cs
        .iter()
        .filter(|c| parent(c).is_some_and(|p| !ids.contains(p)))
        .count();
    let threads = roots + orphans;
    let mut likes: Vec<u64> = cs.iter().filter_map(|c| c["like_count"].as_u64()).collect();
    likes.sort_unstable();
    let n = likes.len();
    let median = if n % 2 == 1 {
        likes[n / 2] as f64
    } else {
        (likes[n / 2 - 1] + likes[n / 2]) as f64 / 2.0
    };
    let top_likes = *likes.last().expect("likes");
    let top = cs
        .iter()
        .find(|c| c["like_count"].as_u64() == Some(top_likes))
        .expect("top");
    let mut per_day = std::collections::BTreeMap::<i64, u64>::new();
    for c in cs {
        let day = c["timestamp"]
            .as_i64()
            .expect("timestamp")
            .div_euclid(86_400);
        *per_day.entry(day).or_default() += 1;
    }
    let (first, last) = (
        *per_day.keys().next().expect("a day"),
        *per_day.keys().last().expect("a day"),
    );
    let over_time: Vec<Value> = (first..=last)
        .map(|d| {
            let (y, m, day) = podcorpus_core::calendar::civil_from_days(d);
            serde_json::json!({
                "period": format!("{y:04}-{m:02}-{day:02}"),
                "count": per_day.get(&d).copied().unwrap_or(0),
            })
        })
        .collect();
    assert_eq!((cs.len(), threads, orphans), (12, 8, 1));

    let s = json(podcorpus(&db).args(["stats", "o8nZaDw_mOs"]));
    let c = &s["comments"];
    assert_eq!(c["count"], cs.len());
    assert_eq!(c["threads"], threads);
    assert_eq!(c["replies"], cs.len() - threads);
    assert_eq!(c["orphan_replies"], orphans);
    assert_eq!(c["median_likes"], median);
    assert_eq!(c["most_liked"]["author"], top["author"]);
    assert_eq!(c["most_liked"]["likes"], top_likes);
    assert_eq!(c["bucket"], "day");
    assert_eq!(c["over_time"], Value::from(over_time.clone()));
    assert_eq!(over_time[0]["period"], "2020-04-27");
    // The video has no transcript: only the comments are counted.
    assert!(s.get("tokens").is_none(), "{s}");

    let out = podcorpus(&db)
        .args(["stats", "o8nZaDw_mOs", "--plot"])
        .arg(dir.path().join("plots"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\nComments\n"), "{text}");
    assert!(
        text.contains(&format!("  {:<20}{threads} ", "threads")),
        "{text}"
    );
    assert!(
        text.contains(&format!("  {:<20}{median} ", "median likes")),
        "{text}"
    );
    let author = top["author"].as_str().expect("author");
    assert!(
        text.contains(&format!("{author} ({top_likes} likes)")),
        "{text}"
    );
    let svg = std::fs::read_to_string(dir.path().join("plots/comments_over_time.svg"))
        .expect("the chart");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("Comments per day"));
    // One bar per day, each labelled with its day.
    for p in &over_time {
        assert!(svg.contains(p["period"].as_str().expect("period")), "{p}");
    }

    // An episode without comments: zeros, no median, no series.
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    let s = json(podcorpus(&db).args(["stats", "lexicap/49"]));
    assert_eq!(s["words"], 5643);
    assert_eq!(s["comments"]["count"], 0);
    assert_eq!(s["comments"]["median_likes"], Value::Null);
    assert_eq!(s["comments"]["over_time"], serde_json::json!([]));
    // The whole corpus has no comments block.
    assert!(json(podcorpus(&db).arg("stats")).get("comments").is_none());
}
