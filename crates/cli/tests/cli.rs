//! The `podcorpus` binary end to end on the bundled samples: import, list,
//! show, JSON shapes, exit codes, and an import killed halfway.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;
use support::{json, podcorpus, samples};

#[test]
fn import_list_show_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let report = json(
        podcorpus(&db)
            .arg("import")
            .arg(samples().join("lex-fridman-notes.txt")),
    );
    assert_eq!(report["files"], 1);
    assert_eq!(report["episodes"], 6);
    assert_eq!(report["transcripts"], 5);
    assert_eq!(report["failed"], Value::Array(vec![]));
    let report = json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    assert_eq!(report["files"], 4);
    assert_eq!(report["transcripts"], 4);

    let list = json(podcorpus(&db).arg("list"));
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 8);
    let first = &list[0];
    assert_eq!(first["collection"], "lex-fridman-notes");
    assert_eq!(first["number"], 1);
    assert_eq!(first["video_id"], "o8nZaDw_mOs");
    assert_eq!(first["title"], "Ido Portal: Movement");
    assert_eq!(first["published"], "2014-05-08");
    assert_eq!(first["url"], "https://www.youtube.com/watch?v=o8nZaDw_mOs");
    assert_eq!(first["sources"], serde_json::json!(["notes"]));
    // `sed -n 5452,6321p | wc -w` gives 6710: minus 19 words of chapter titles, minus one `[Music]`.
    assert_eq!(first["words"], 6690);
    let lexicap = list
        .iter()
        .find(|e| e["collection"] == "lexicap")
        .expect("lexicap");
    assert_eq!(
        lexicap["sources"],
        serde_json::json!(["whisper-large", "whisper-small"])
    );

    let show = json(podcorpus(&db).args(["show", "lex-fridman-notes/5"]));
    assert_eq!(
        show["title"],
        "TensorFlow Tutorial (Sherry Moore, Google Brain)"
    );
    assert_eq!(show["chapters"][0]["title"], "Introduction");
    assert_eq!(show["chapters"][0]["text_pos"], 0);
    assert_eq!(show["transcripts"][0]["source"], "notes");
    assert!(show["transcripts"][0]["text"]
        .as_str()
        .expect("text")
        .starts_with("so I'm going to take a picture"));
    assert_eq!(show["summaries"][0]["kind"], "imported");
    assert!(show["summaries"][0]["text"]
        .as_str()
        .expect("summary")
        .starts_with("In this lecture, Sherry Moore"));
    assert_eq!(show["description"], Value::Null);

    let text = podcorpus(&db)
        .args(["show", "G5RY_SUJih4", "--text"])
        .output()
        .expect("runs");
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).expect("utf8");
    assert!(
        text.contains("lex-fridman-notes/6  Sequence to Sequence Deep Learning (Quoc Le, Google)")
    );
    assert!(text.contains("eating that were divided in two parts"));

    let table = podcorpus(&db).arg("list").output().expect("runs");
    let table = String::from_utf8(table.stdout).expect("utf8");
    assert!(table.starts_with("COLLECTION"));
    assert!(table.contains("whisper-large,whisper-small"));
}

#[test]
fn no_index_leaves_the_search_index_to_reindex_and_search_never_builds_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let out = podcorpus(&db)
        .args(["import", "--no-index"])
        .arg(samples().join("lexicap"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("search index"));
    assert!(!dir.path().join("c.db.index").exists());
    // A reader opens the corpus read-only: no index is made behind its back.
    let out = podcorpus(&db)
        .args(["search", "\"Ukraine into the NATO\""])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no search index") && err.contains("podcorpus reindex"),
        "{err}"
    );
    assert!(!dir.path().join("c.db.index").exists());
    let out = podcorpus(&db).arg("reindex").output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits = json(podcorpus(&db).args(["search", "\"Ukraine into the NATO\""]));
    assert_eq!(hits.as_array().expect("hits").len(), 1);
}

#[test]
fn failures_exit_non_zero_and_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let bad = dir.path().join("episode_007_large.vtt");
    std::fs::write(&bad, "WEBVTT\n\n00:00.000 --> banana\n hello\n").expect("write");
    let out = podcorpus(&db)
        .arg("import")
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("episode_007_large.vtt") && err.contains("line 3"),
        "{err}"
    );

    let out = podcorpus(&dir.path().join("none.db"))
        .arg("list")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("import something first"));

    let out = podcorpus(&db)
        .args(["show", "nope/3"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no episode 3 in collection \"nope\""));
}

#[test]
fn killed_import_leaves_a_consistent_database_that_a_second_run_completes() {
    const N: usize = 300;
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("many");
    std::fs::create_dir(&folder).expect("mkdir");
    copy_samples(
        &folder,
        (1..=N).map(|n| format!("episode_{n:03}_large.vtt")),
    );
    let db = dir.path().join("c.db");
    let bin = assert_cmd::cargo::cargo_bin("podcorpus");
    let mut child = std::process::Command::new(&bin)
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&folder)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it as soon as some files are in, well before the end.
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(5));
        let done = rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row("SELECT COUNT(*) FROM files", [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0);
        if done >= 3 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let (integrity, files, transcripts) = rusqlite_check(&db);
    assert_eq!(integrity, "ok");
    assert_eq!(
        files, transcripts,
        "every file row has its transcript, none half-written"
    );
    assert!(
        files < N as i64,
        "the import was interrupted ({files} files done)"
    );
    let report = json(podcorpus(&db).arg("import").arg(&folder));
    assert_eq!(report["failed"], Value::Array(vec![]));
    assert_eq!(
        report["imported"].as_u64().expect("n") + report["unchanged"].as_u64().expect("n"),
        N as u64
    );
    let list = json(podcorpus(&db).arg("list"));
    assert_eq!(list.as_array().expect("array").len(), N);
}

/// Fills `folder` with copies of the bundled Lexicap samples under `names`,
/// the samples taken in turn: a folder large enough to kill an import in.
fn copy_samples(folder: &Path, names: impl Iterator<Item = String>) {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(samples().join("lexicap"))
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .collect();
    sources.sort();
    for (i, name) in names.enumerate() {
        std::fs::copy(&sources[i % sources.len()], folder.join(name)).expect("copy");
    }
}

/// (integrity_check, files, transcripts) of the database, read directly.
fn rusqlite_check(db: &Path) -> (String, i64, i64) {
    let conn = rusqlite::Connection::open(db).expect("opens");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    let fk: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap_or(0);
    assert_eq!(fk, 0, "foreign keys hold");
    // Before the first transaction commits the schema may not exist yet.
    let files: i64 = conn
        .query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0))
        .unwrap_or(0);
    let transcripts: i64 = conn
        .query_row("SELECT COUNT(*) FROM transcripts", [], |r| r.get(0))
        .unwrap_or(0);
    (integrity, files, transcripts)
}

fn table(name: &str) -> PathBuf {
    samples()
        .join("../crates/formats/tests/fixtures/tables")
        .join(name)
}

#[test]
fn metadata_tables_join_the_videos_they_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    let report = json(
        podcorpus(&db)
            .args(["import", "--collection", "lexicap"])
            .arg(table("lex-fridman-podcast-episodes.csv")),
    );
    assert_eq!(
        (report["matched"].as_u64(), report["created"].as_u64()),
        (Some(3), Some(5))
    );
    json(
        podcorpus(&db)
            .args(["import", "--collection", "lexfridman"])
            .arg(table("lexitalk-channel-uploads.csv")),
    );
    json(
        podcorpus(&db)
            .arg("import")
            .arg(samples().join("lex-fridman-notes.txt")),
    );
    let list = json(podcorpus(&db).arg("list"));
    assert_eq!(list.as_array().map(Vec::len), Some(15));
    let show = json(podcorpus(&db).args(["show", "lexfridman/1"]));
    assert_eq!(show["video_id"], "o8nZaDw_mOs");
    assert_eq!(
        show["collections"],
        serde_json::json!([
            {"collection": "lex-fridman-notes", "number": 1},
            {"collection": "lexfridman", "number": 1}
        ])
    );
    let lexicap = json(podcorpus(&db).args(["list", "--collection", "lexicap"]));
    let numbers: Vec<u64> = lexicap
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["number"].as_u64())
        .collect();
    assert_eq!(numbers, vec![1, 2, 49, 101, 315, 316, 318]);
    // Stats per guest: Noam Chomsky's episode alone.
    let by_guest = json(podcorpus(&db).args(["stats", "--by", "guest", "--collection", "lexicap"]));
    let chomsky = by_guest
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["episode"] == "Noam Chomsky")
        .cloned()
        .expect("a row for the guest");
    let one = json(podcorpus(&db).args(["stats", "lexicap/316"]));
    assert_eq!(chomsky["tokens"], one["tokens"]);

    // A column under a name of its own, and a row that is no good.
    let odd = dir.path().join("odd.tsv");
    std::fs::write(
        &odd,
        "ep\tname\tday\n316\tChomsky again\t2022-08-31\n49\tNope\tsoon\n",
    )
    .expect("write");
    let out = podcorpus(&db)
        .args([
            "import",
            "--collection",
            "lexicap",
            "--map",
            "number=ep",
            "--map",
            "title=name",
            "--map",
            "published=day",
        ])
        .arg(&odd)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "a row left out is an error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("odd.tsv:3: row left out: \"soon\" is not a date"),
        "{stderr}"
    );
    let show = json(podcorpus(&db).args(["show", "lexicap/316"]));
    assert_eq!(show["title"], "Chomsky again");
    let bad = podcorpus(&db)
        .args(["import", "--map", "colour=name"])
        .arg(&odd)
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("\"colour\" is not a field"));
}

#[test]
fn flawed_caption_files_import_with_warnings_and_exit_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let recovery = Path::new(env!("CARGO_MANIFEST_DIR")).join("../formats/tests/fixtures/recovery");
    let out = podcorpus(&db)
        .arg("import")
        .arg(&recovery)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Warnings do not change the exit code: every file imported.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.starts_with("7 files: 7 imported, 0 unchanged, 0 failed"),
        "{stdout}"
    );
    assert!(
        stderr.contains("style-blank-line.vtt:9: left out lines 9–10 (\"color: #ffffff;\" …)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad-timestamp.vtt:6: cue left out: expected a cue timing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 warnings: parts of files were left out"),
        "{stderr}"
    );

    // --json lists them all as {path, line, message}.
    let db = dir.path().join("j.db");
    let report = json(podcorpus(&db).arg("import").arg(&recovery));
    let warnings = report["warnings"].as_array().expect("warnings");
    let at: Vec<(String, u64)> = warnings
        .iter()
        .map(|w| {
            let path = w["path"].as_str().unwrap_or_default();
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            (name, w["line"].as_u64().unwrap_or(0))
        })
        .collect();
    assert_eq!(
        at,
        vec![
            ("bad-timestamp.vtt".to_string(), 6),
            ("orphan-blocks.vtt".to_string(), 15),
            ("orphan-blocks.vtt".to_string(), 22),
            ("style-blank-line.vtt".to_string(), 9),
        ]
    );
    assert!(warnings[1]["message"].as_str().is_some_and(
        |m| m.starts_with("left out lines 15–16 (\"these two lines were left behind\" …)")
    ));
    assert_eq!(report["unmatched"], 0);
    assert_eq!(report["segments"], 23);
}

/// kill -9 at any moment of an import (store writes and the index built
/// beside them), then rerun it: the database is consistent and the search
/// index complete.
#[test]
fn an_import_killed_at_any_moment_recovers_on_rerun() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("lexicap");
    std::fs::create_dir(&folder).expect("mkdir");
    // 160 files: enough that a kill lands mid-import.
    copy_samples(
        &folder,
        (1..=80).flat_map(|n| ["large", "small"].map(|m| format!("episode_{n:03}_{m}.vtt"))),
    );
    let db = dir.path().join("c.db");
    let conn_check = |db: &Path| {
        let (integrity, _, _) = rusqlite_check(db);
        assert_eq!(integrity, "ok");
        let conn = rusqlite::Connection::open(db).expect("open");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        if version == 0 {
            // Killed before the first migration committed: the file SQLite
            // made is there, with nothing half-created in it.
            let tables: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |r| r.get(0),
                )
                .expect("tables");
            assert_eq!(tables, 0);
            return;
        }
        // Every file recorded has all its segments: none is half-written.
        let partial: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM transcripts t
                 WHERE t.segments != (SELECT COUNT(*) FROM segments s WHERE s.transcript_id = t.id)",
                [],
                |r| r.get(0),
            )
            .expect("partial");
        assert_eq!(partial, 0);
    };
    for delay_ms in [40, 120, 250, 400, 700] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("podcorpus"))
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&folder)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if db.exists() {
            conn_check(&db);
        }
    }
    let report = json(podcorpus(&db).arg("import").arg(&folder));
    assert_eq!(report["failed"], serde_json::json!([]));
    conn_check(&db);
    let store = podcorpus_store::Store::open(&db).expect("store");
    assert_eq!(store.transcript_fingerprints().expect("fps").len(), 160);
    // The index holds every transcript as it is: nothing left to do.
    let again = podcorpus_search::index::update(&store, &podcorpus_search::index_dir(&db), false)
        .expect("update");
    assert_eq!((again.indexed, again.removed, again.unchanged), (0, 0, 160));
    let (index, _) =
        podcorpus_search::SearchIndex::open_current(&store, &podcorpus_search::index_dir(&db))
            .expect("open");
    let fresh = dir.path().join("fresh.index");
    let rebuilt = podcorpus_search::index::update(&store, &fresh, true).expect("rebuild");
    assert_eq!(index.passages(), rebuilt.passages);
}
