//! The Parquet export read by DuckDB (PyPI `duckdb`, installed by
//! scripts/test): the counts per episode DuckDB computes from
//! `corpus.parquet` equal `podcorpus stats`' on the bundled samples (the
//! Lexicap transcripts and the notes document).
//!
//! Two counts are compared, per episode and in total:
//! - words: the export's `words` column summed by DuckDB against `stats`'
//!   `words` (whitespace words, `wc -w`, what the store keeps per transcript);
//! - tokens: DuckDB counts the matches of the analyzer's token rule written as
//!   an RE2 regex over the export's `text` against `stats`' `tokens`. The
//!   regex is the rule of `podcorpus_core::analyzer` (a run of letters and
//!   digits keeping an apostrophe, `'` or `’`, that has a letter after it),
//!   with Unicode's `L` and `N` categories for Rust's `is_alphabetic` and
//!   `is_alphanumeric`; these differ only on combining marks, which the
//!   samples do not have.

use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

mod support;
use support::{json, podcorpus, samples};

/// The version scripts/test installs.
const DUCKDB: &str = "duckdb==2.0.1";

/// Reads the Parquet file named by argv[1] with DuckDB and prints, as JSON,
/// each episode that has a transcript (every name it has, its words and
/// tokens) and the totals, all computed by DuckDB.
const SCRIPT: &str = r#"
import json, sys
import duckdb
path = sys.argv[1]
token = r"[\p{L}\p{N}]+(?:['’]\p{L}[\p{L}\p{N}]*)*"
def lit(s):
    return "'" + s.replace("'", "''") + "'"
con = duckdb.connect()
con.execute(
    "CREATE VIEW ep AS SELECT"
    " list_transform(collections, lambda c: c.collection || '/' || c.number::VARCHAR) AS names,"
    " source, words, len(regexp_extract_all(text, " + lit(token) + ")) AS tokens"
    " FROM read_parquet(" + lit(path) + ") WHERE source IS NOT NULL"
)
rows = con.execute("SELECT names, source, words, tokens FROM ep").fetchall()
total = con.execute("SELECT count(*), sum(words), sum(tokens) FROM ep").fetchone()
print(json.dumps({
    "duckdb": duckdb.__version__,
    "episodes": [{"names": n, "source": s, "words": w, "tokens": t} for n, s, w, t in rows],
    "total": {"documents": total[0], "words": total[1], "tokens": total[2]},
}))
"#;

/// Fails (never skips) when DuckDB is missing.
fn require_duckdb() {
    let ok = Command::new("python3")
        .args(["-c", "import duckdb"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "python3 cannot import duckdb: run scripts/test, which installs it \
         (python3 -m pip install {DUCKDB})"
    );
}

#[test]
fn duckdb_counts_of_the_parquet_export_equal_stats() {
    require_duckdb();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    json(
        podcorpus(&db)
            .arg("import")
            .arg(samples().join("lex-fridman-notes.txt")),
    );
    let parquet = dir.path().join("corpus.parquet");
    json(
        podcorpus(&db)
            .args(["export", "--format", "parquet", "-o"])
            .arg(&parquet),
    );

    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(&parquet)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "duckdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let duck: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");

    // stats per episode, by the name it is shown under (COLLECTION/NUMBER).
    let per_episode = json(podcorpus(&db).args(["stats", "--by", "episode"]));
    let stats: BTreeMap<String, (u64, u64)> = per_episode
        .as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| {
            let name = r["episode"].as_str().expect("episode name").to_string();
            let count = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} of {name}"));
            (name.clone(), (count("words"), count("tokens")))
        })
        .collect();

    // DuckDB's rows, each under the one of its names stats shows.
    let mut ducks: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for e in duck["episodes"].as_array().expect("episodes") {
        let names: Vec<&str> = e["names"]
            .as_array()
            .expect("names")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let name = names
            .iter()
            .find(|n| stats.contains_key(**n))
            .unwrap_or_else(|| panic!("stats has no row for the exported episode {names:?}"));
        let counts = (
            e["words"].as_u64().expect("words"),
            e["tokens"].as_u64().expect("tokens"),
        );
        assert!(
            ducks.insert(name.to_string(), counts).is_none(),
            "{name} exported twice"
        );
    }
    // The samples: Lexicap #49 and #316, and the notes' filled slots.
    assert!(stats.len() >= 3, "too few episodes: {stats:?}");
    assert!(
        stats.keys().any(|n| n.starts_with("lexicap/"))
            && stats.keys().any(|n| n.starts_with("lex-fridman-notes/")),
        "both samples are counted: {stats:?}"
    );
    assert!(
        stats.values().all(|&(w, t)| w > 0 && t > 0),
        "every episode has speech: {stats:?}"
    );
    assert_eq!(
        ducks, stats,
        "(words, tokens) per episode: DuckDB on the Parquet export (left) against stats (right)"
    );

    let all = json(podcorpus(&db).arg("stats"));
    let total = &duck["total"];
    assert_eq!(total["documents"], all["documents"], "episodes counted");
    assert_eq!(total["words"], all["words"], "words in all");
    assert_eq!(total["tokens"], all["tokens"], "tokens in all");
    assert!(
        all["tokens"].as_u64().expect("tokens") > 10_000,
        "the samples hold real transcripts: {all}"
    );
    // The two counts are different things: the comparison of tokens is not
    // the comparison of words twice.
    assert_ne!(total["tokens"], total["words"]);
}
