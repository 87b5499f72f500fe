//! `search`, `kwic` and `reindex` end to end on the bundled samples: the
//! index kept current by `import`, plain output when piped, JSON fields,
//! exit codes, syntax errors and the empty corpus.

use assert_cmd::Command;
use serde_json::Value;

mod support;
use support::{podcorpus, samples};

fn stdout(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn import_keeps_the_index_current_and_search_finds_cross_cue_phrases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let (code, out, _) = stdout(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    assert_eq!(code, 0);
    assert!(out.contains("search index: 4 transcripts indexed"), "{out}");
    assert!(dir.path().join("c.db.index").join("meta.json").exists());
    // Re-importing the same files indexes nothing.
    let (_, out, _) = stdout(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    assert!(!out.contains("search index"), "{out}");

    // Piped: plain text, no escape codes; the cue time of the match.
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "\"Ukraine into the NATO\""]));
    assert_eq!(code, 0);
    assert!(!out.contains('\x1b'));
    assert!(
        out.starts_with("lexicap/316  [whisper-large]\n  00:06:56\n"),
        "{out}"
    );
    assert!(out.contains("integrate Ukraine into the NATO"), "{out}");

    let out = podcorpus(&db)
        .args(["--json", "search", "Chomsky", "--limit", "3"])
        .output()
        .expect("runs");
    let hits: Value = serde_json::from_slice(&out.stdout).expect("json");
    let hits = hits.as_array().expect("array");
    assert_eq!(hits.len(), 3);
    for key in [
        "collection",
        "number",
        "title",
        "start_ms",
        "score",
        "snippet",
        "url",
    ] {
        assert!(hits[0].get(key).is_some(), "{key} missing in {}", hits[0]);
    }
    assert_eq!(hits[0]["number"], 316);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // Nothing found: exit 1, as grep.
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "zyzzyva"]));
    assert_eq!((code, out.trim()), (1, "no passage matches zyzzyva"));

    // A syntax error says where.
    let (code, _, err) = stdout(podcorpus(&db).args(["search", "war AND (china"]));
    assert_eq!(code, 2);
    assert!(err.contains("query syntax error at column 9"), "{err}");
    assert_eq!(err.matches("column 9").count(), 1, "{err}");
}

#[test]
fn kwic_aligns_the_keyword_and_counts_per_episode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    podcorpus(&db)
        .arg("import")
        .arg(samples().join("lexicap"))
        .assert()
        .success();
    let (code, out, _) =
        stdout(podcorpus(&db).args(["kwic", "China", "--window", "3", "--limit", "0"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("lexicap/")).collect();
    assert!(lines.len() > 5);
    // The keyword starts in the same column on every line (two spaces on
    // each side of it; the contexts are single-spaced).
    let cols: Vec<usize> = lines
        .iter()
        .map(|l| l.to_lowercase().find("  china  ").expect("keyword column"))
        .collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{out}");
    let total: usize = out
        .lines()
        .find(|l| l.contains("occurrences of"))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("total line");
    assert_eq!(total, lines.len());
    assert!(out.contains("per episode: lexicap/316 "), "{out}");

    let out = podcorpus(&db)
        .args(["--json", "kwic", "war", "--sort", "left", "--limit", "2"])
        .output()
        .expect("runs");
    let c: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(c["total"].as_u64().unwrap() > 2);
    assert_eq!(c["lines"].as_array().unwrap().len(), 2);
    assert!(c["per_episode"][0]["count"].as_u64().unwrap() > 0);
}

#[test]
fn an_empty_corpus_says_how_to_import_and_reindex_rebuilds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let (code, _, err) = stdout(podcorpus(&db).args(["search", "love"]));
    assert_eq!(code, 2);
    assert!(err.contains("podcorpus import"), "{err}");
    // A database with no transcripts yet.
    rusqlite::Connection::open(&db).unwrap();
    podcorpus(&db).arg("list").assert().success();
    let (code, _, err) = stdout(podcorpus(&db).args(["kwic", "love"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("the corpus is empty: import transcripts first"),
        "{err}"
    );

    podcorpus(&db)
        .arg("import")
        .arg(samples().join("lexicap"))
        .assert()
        .success();
    std::fs::remove_dir_all(dir.path().join("c.db.index")).unwrap();
    let (code, out, _) = stdout(podcorpus(&db).arg("reindex"));
    assert_eq!(code, 0);
    assert!(out.starts_with("indexed 4 transcripts ("), "{out}");
    let (code, _, _) = stdout(podcorpus(&db).args(["search", "\"integrate Ukraine\""]));
    assert_eq!(code, 0);
}
