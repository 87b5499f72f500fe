//! `trend` end to end on the bundled Lexicap samples dated by the bundled
//! slice of the podcast's metadata table (#49 in November 2019, #316 in
//! August 2022): counts and tokens per year and month against an
//! independent brute-force count over the VTT files, per million, the CSV
//! and JSON shapes, undated episodes left out (and said so), the SVG chart.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;
use support::{json, podcorpus, samples};

mod brute {
    //! The brute-force count of the dispersion test (a copy: each test
    //! file is its own crate).
    use std::path::Path;

    /// The tokens of a WebVTT file's cue texts, found apart from podcorpus.
    pub fn vtt_tokens(path: &Path) -> Vec<String> {
        let text = std::fs::read_to_string(path).expect("read vtt");
        let mut out = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line == "WEBVTT" || line.contains("-->") {
                continue;
            }
            let c: Vec<char> = line.chars().collect();
            let mut i = 0;
            while i < c.len() {
                if !c[i].is_alphanumeric() {
                    i += 1;
                    continue;
                }
                let mut w = String::new();
                while i < c.len() && c[i].is_alphanumeric() {
                    w.extend(c[i].to_lowercase());
                    i += 1;
                }
                // An apostrophe joins a following run that starts with a letter.
                while i + 1 < c.len() && matches!(c[i], '\'' | '’') && c[i + 1].is_alphabetic() {
                    w.push('\'');
                    i += 1;
                    while i < c.len() && c[i].is_alphanumeric() {
                        w.extend(c[i].to_lowercase());
                        i += 1;
                    }
                }
                out.push(w);
            }
        }
        out
    }

    /// Start indexes of `phrase` (space-separated words) in `tokens`.
    pub fn brute_starts(tokens: &[String], phrase: &str) -> Vec<usize> {
        let words: Vec<&str> = phrase.split(' ').collect();
        (0..tokens.len().saturating_sub(words.len() - 1))
            .filter(|&i| words.iter().enumerate().all(|(k, w)| tokens[i + k] == *w))
            .collect()
    }
}

fn dated(dir: &Path) -> PathBuf {
    let db = dir.join("c.db");
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    json(
        podcorpus(&db)
            .args(["import", "--collection", "lexicap"])
            .arg(
                samples().join(
                    "../crates/formats/tests/fixtures/tables/lex-fridman-podcast-episodes.csv",
                ),
            ),
    );
    db
}

#[test]
fn counts_per_year_and_month_equal_a_brute_force_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dated(dir.path());
    let lexicap = samples().join("lexicap");
    let t49 = brute::vtt_tokens(&lexicap.join("episode_049_large.vtt"));
    let t316 = brute::vtt_tokens(&lexicap.join("episode_316_large.vtt"));
    let terms = ["the", "know", "of the world", "elon"];
    for (by, periods) in [
        ("year", ["2019", "2022"]),
        ("month", ["2019-11", "2022-08"]),
    ] {
        let rows = json(podcorpus(&db).args(["trend", "--by", by]).args(terms));
        let rows = rows.as_array().expect("rows");
        assert_eq!(rows.len(), terms.len() * 2, "{rows:?}");
        let mut k = 0;
        for term in terms {
            for (period, tokens) in periods.iter().zip([&t49, &t316]) {
                let r = &rows[k];
                k += 1;
                let count = brute::brute_starts(tokens, term).len();
                assert_eq!(r["term"], term);
                assert_eq!(r["period"], *period);
                assert_eq!(r["count"], count, "{term} {period}");
                assert_eq!(r["tokens"], tokens.len());
                let pm = r["per_million"].as_f64().expect("per_million");
                assert!((pm - count as f64 / tokens.len() as f64 * 1e6).abs() < 1e-9);
                let keys: Vec<&str> = r
                    .as_object()
                    .expect("object")
                    .keys()
                    .map(String::as_str)
                    .collect();
                assert_eq!(keys.len(), 5, "{keys:?}");
            }
        }
    }
    // 299 of "the" in #49, 319 in #316, by the benchmark's regex (python3).
    let csv = podcorpus(&db)
        .args(["trend", "the", "--csv"])
        .output()
        .expect("runs");
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("term,period,count,tokens,per_million"));
    assert!(
        lines.next().is_some_and(|l| l.starts_with("the,2019,299,")),
        "{csv}"
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with("the,2022,319,")),
        "{csv}"
    );
}

#[test]
fn undated_episodes_are_left_out_and_the_chart_is_drawn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dated(dir.path());
    let extra = dir.path().join("extra");
    std::fs::create_dir(&extra).expect("mkdir");
    std::fs::write(
        extra.join("episode_007_large.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:02.000\n the the the\n",
    )
    .expect("write");
    json(podcorpus(&db).arg("import").arg(&extra));
    let svg = dir.path().join("trend.svg");
    let out = podcorpus(&db)
        .args(["trend", "the", "elon", "--plot"])
        .arg(&svg)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("left out 1 of 3 episodes without a date: extra/7"),
        "{err}"
    );
    let table = String::from_utf8_lossy(&out.stdout);
    // The undated episode's three "the" are not in any year.
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("the ") && l.contains(" 2019 ") && l.contains(" 299 ")),
        "{table}"
    );
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.starts_with("<svg"));
    assert!(text.contains("Occurrences per million tokens, by year"));
    // One legend entry per term.
    assert!(text.contains(">the<") || text.contains("the\n"), "{text}");
    assert!(text.contains("elon"));
    // Only undated episodes: an error that says how to get dates.
    let bare = dir.path().join("bare.db");
    json(podcorpus(&bare).arg("import").arg(&extra));
    let none = podcorpus(&bare)
        .args(["trend", "the"])
        .output()
        .expect("runs");
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no selected episode has a date"));
    let v: Value = json(podcorpus(&db).args(["trend", "the", "--guest", "musk"]));
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(v[0]["period"], "2019");
}
