//! `profile` end to end on the bundled Lexicap samples, against an
//! independent count: bench/brute_profile.py tokenizes the same WebVTT file
//! with one regex and looks each token up in Python wordfreq's own
//! `top_n_list('en', 20000, wordlist='large')` (scripts/test installs
//! wordfreq 3.1.1; without it this test fails, it does not skip).

use serde_json::Value;
use std::path::Path;

mod support;
use support::{json, podcorpus, samples};

fn corpus(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("c.db");
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    // The podcast's table names each episode's guest.
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

/// bench/brute_profile.py's band counts of one file.
fn brute(vtt: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/brute_profile.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(vtt)
        .arg("--json")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "Python's wordfreq is needed (scripts/test installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn an_episodes_bands_equal_a_brute_force_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = corpus(dir.path());
    for (name, file) in [
        ("lexicap/316", "episode_316_large.vtt"),
        ("lexicap/49", "episode_049_large.vtt"),
    ] {
        let ours = json(podcorpus(&db).args(["profile", name, "--limit", "5"]));
        let theirs = brute(&samples().join("lexicap").join(file));
        assert_eq!(ours["tokens"], theirs["tokens"], "{name}");
        assert_eq!(ours["types"], theirs["types"], "{name}");
        assert_eq!(ours["numbers"], theirs["numbers"], "{name}");
        let bands = ours["bands"].as_array().expect("bands");
        assert_eq!(bands.len(), 8);
        for (o, t) in bands.iter().zip(theirs["bands"].as_array().expect("bands")) {
            assert_eq!(
                (&o["band"], &o["tokens"], &o["types"]),
                (&t["band"], &t["tokens"], &t["types"]),
                "{name}"
            );
        }
        let total = theirs["tokens"].as_f64().expect("tokens");
        let k1 = theirs["bands"][0]["tokens"].as_f64().expect("1k");
        assert_eq!(bands[0]["share"].as_f64(), Some(k1 / total), "{name}");
        assert_eq!(ours["off_list"].as_array().map(Vec::len), Some(5));
    }
    // Counted once by hand from the brute force on episode 316: 3743 of
    // 5075 tokens in the 1k band.
    let one = json(podcorpus(&db).args(["profile", "lexicap/316"]));
    assert_eq!(one["bands"][0]["tokens"], 3743);
    assert_eq!(one["tokens"], 5075);
    assert_eq!(
        one["off_list"][0],
        serde_json::json!({"word": "noam", "count": 5})
    );
}

#[test]
fn guests_side_by_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = corpus(dir.path());
    let rows = json(podcorpus(&db).args(["profile", "--by", "guest"]));
    let rows = rows.as_array().expect("rows");
    let names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["Elon Musk", "Noam Chomsky"]);
    let chomsky = json(podcorpus(&db).args(["profile", "--guest", "chomsky"]));
    let one = json(podcorpus(&db).args(["profile", "lexicap/316"]));
    assert_eq!(chomsky, one);
    assert_eq!(rows[1]["bands"], one["bands"]);
    let by_episode = json(podcorpus(&db).args(["profile", "--by", "episode"]));
    assert_eq!(by_episode[1]["name"], "lexicap/316");
    assert_eq!(by_episode[1]["bands"], one["bands"]);
    // The table: one row per guest, one column per band.
    let out = podcorpus(&db)
        .args(["profile", "--by", "guest", "--plot"])
        .arg(dir.path().join("plots"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("% 1k") && text.contains("% off-list"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.starts_with("Noam Chomsky"))
        .expect("row");
    assert!(line.contains("73.75"), "{line}");
    let svg = std::fs::read_to_string(dir.path().join("plots/profile.svg")).expect("svg");
    assert!(svg.contains("Elon Musk") && svg.contains("Noam Chomsky"));
}

#[test]
fn a_missing_word_list_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = corpus(dir.path());
    let out = podcorpus(&db)
        .args(["profile", "lexicap/316"])
        .env("PODCORPUS_WORDFREQ", dir.path().join("c.db"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("c.db") && err.contains("gzip"), "{err}");
}
