//! A database written by the previous podcorpus (schema 4, one copy of a
//! video per collection) opened by this one: migration 5 brings it over with
//! every transcript, segment, summary and name kept, the copies of each video
//! folded into one episode.
//!
//! The fixture was written by podcorpus at schema 4 (commit 776d0b2):
//! `import notes.txt --collection lex-fridman-notes`, `import copy.txt
//! --collection mine` (the same document again), `import talks/`
//! (`episode_007_large.vtt`), `summarize talks/7 --points 1`.

use podcorpus_store::query::ListFilter;
use podcorpus_store::Store;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/v4-two-copies-of-the-notes.db";

/// The schema version this build writes (one more with each migration).
const LATEST: i64 = 9;

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .expect("query")
}

#[test]
fn a_schema_4_database_comes_over_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE), &db).expect("copy");
    assert_eq!(count(&db, "PRAGMA user_version"), 4);
    let before = [
        count(&db, "SELECT COUNT(*) FROM transcripts"),
        count(&db, "SELECT COUNT(*) FROM segments"),
        count(&db, "SELECT COUNT(*) FROM summaries"),
        count(&db, "SELECT COUNT(*) FROM episodes"),
    ];
    assert_eq!(before, [11, 6144, 13, 13]);
    let words_before = count(&db, "SELECT SUM(words) FROM transcripts");

    let store = Store::open(&db).expect("migrates");
    assert!(store.check().expect("check").is_empty());
    drop(store);
    assert_eq!(count(&db, "PRAGMA user_version"), LATEST);
    // Nothing of the speech or the summaries is lost...
    assert_eq!(count(&db, "SELECT COUNT(*) FROM transcripts"), 11);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM segments"), 6144);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM summaries"), 13);
    assert_eq!(
        count(&db, "SELECT SUM(words) FROM transcripts"),
        words_before
    );
    // ...but the six videos held twice are one episode each, in both collections.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM episodes"), 7);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM memberships"), 13);

    let store = Store::open(&db).expect("open again");
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 7);
    let a = store.resolve("lex-fridman-notes/5").expect("old name");
    let b = store.resolve("mine/5").expect("other old name");
    assert_eq!(a.id, b.id);
    assert_eq!(store.resolve("Ejec3ID_h0w").expect("by id").id, a.id);
    // The second copy's transcript is kept beside the first, named for where it came from.
    assert_eq!(a.sources, vec!["notes", "notes@mine"]);
    let names: Vec<String> = a.collections.iter().map(|n| n.to_string()).collect();
    assert_eq!(names, vec!["lex-fridman-notes/5", "mine/5"]);
    // The untouched episode keeps its transcript and its summary.
    let t = store.show("talks/7", true).expect("talks/7");
    assert_eq!(t.summaries.len(), 1);
    assert_eq!(
        t.transcripts[0].text.as_deref(),
        Some("we choose to go to the moon because it is hard")
    );
    // The chapters pasted into the notes are still there.
    assert!(
        store
            .show("lex-fridman-notes/1", false)
            .expect("show")
            .chapters
            .len()
            > 3
    );
    // A video id is now one episode by construction.
    let dup = rusqlite::Connection::open(&db).expect("open").execute(
        "INSERT INTO episodes (collection_id, number, video_id) VALUES (1, 99, 'Ejec3ID_h0w')",
        [],
    );
    assert!(dup.is_err(), "a second episode of one video is refused");
}

/// Written by podcorpus at schema 5 (commit 8d7acca): `import
/// samples/lex-fridman-notes.txt samples/lexicap
/// crates/formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json` (12
/// comments, which that version stored without ids or threads), `summarize
/// lexicap/49 --points 2`.
const FIXTURE_V5: &str = "tests/fixtures/v5-notes-lexicap-and-a-summary.db";

#[test]
fn a_schema_5_database_learns_what_each_summary_is_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE_V5), &db).expect("copy");
    assert_eq!(count(&db, "PRAGMA user_version"), 5);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM summaries"), 7);
    let store = Store::open(&db).expect("migrates");
    assert!(store.check().expect("check").is_empty());
    drop(store);
    assert_eq!(count(&db, "PRAGMA user_version"), LATEST);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM summaries"), 7);
    // Migration 7: the comments are kept; what the old version did not
    // store (ids, threads, the uploader's marks) is unknown, so each is a
    // thread of its own, unmarked.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM comments"), 12);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM comments WHERE parent IS NULL AND comment_id IS NULL AND NOT (by_uploader OR pinned OR favorited)"),
        12
    );
    // Slot 03 of the notes: first what the viewers said, then the episode.
    let store = Store::open(&db).expect("open again");
    let slot3 = store.show("lex-fridman-notes/3", false).expect("slot 3");
    let subjects: Vec<&str> = slot3.summaries.iter().map(|s| s.subject.as_str()).collect();
    assert_eq!(subjects, ["comments", "episode"]);
    assert!(slot3.summaries[0].text.starts_with("Based on the comments"));
    // Every other summary, the extractive one of #49 among them, is of its episode.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM summaries WHERE subject = 'comments'"
        ),
        1
    );
    let s49 = store.show("lexicap/49", false).expect("49");
    assert_eq!(s49.summaries.len(), 1);
    assert_eq!(s49.summaries[0].kind, "extractive");
    assert_eq!(s49.summaries[0].subject.as_str(), "episode");
    let video = store.show("o8nZaDw_mOs", false).expect("the video");
    assert_eq!(video.threads().len(), 12);
    assert_eq!(video.comments[0].likes, Some(1530));
}

/// Written by podcorpus at schema 7 (commit 7262a23): `import
/// samples/lexicap/episode_049_small.vtt --collection lexicap`, `import
/// crates/fetch/tests/site/subs/talk1.en.vtt --collection talks`.
const FIXTURE_V7: &str = "tests/fixtures/v7-lexicap-and-a-talk.db";

#[test]
fn a_schema_7_database_gains_transcript_provenance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE_V7), &db).expect("copy");
    assert_eq!(count(&db, "PRAGMA user_version"), 7);
    let segments = count(&db, "SELECT COUNT(*) FROM segments");
    assert_eq!(segments, 356);
    let store = Store::open(&db).expect("migrates");
    assert!(store.check().expect("check").is_empty());
    // What was stored before says nothing about how it was made.
    let ep = store.resolve("lexicap/49").expect("49");
    assert_eq!(ep.sources, vec!["whisper-small"]);
    assert_eq!(
        store
            .transcript_provenance(ep.id, "whisper-small")
            .expect("read"),
        None
    );
    drop(store);
    assert_eq!(count(&db, "PRAGMA user_version"), LATEST);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM segments"), segments);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM transcripts WHERE provenance IS NULL"
        ),
        2
    );
    // The column holds JSON objects or nothing.
    let conn = rusqlite::Connection::open(&db).expect("open");
    assert!(conn
        .execute("UPDATE transcripts SET provenance = 'not json'", [])
        .is_err());
    conn.execute(
        "UPDATE transcripts SET provenance = '{\"recognizer\":\"faster-whisper\"}' WHERE source = 'whisper-small'",
        [],
    )
    .expect("json is accepted");
    drop(conn);
    let store = Store::open(&db).expect("open again");
    assert_eq!(
        store
            .transcript_provenance(ep.id, "whisper-small")
            .expect("read")
            .as_deref(),
        Some("{\"recognizer\":\"faster-whisper\"}")
    );
}

/// Written by podcorpus at schema 8 (commit 2175bb9): `fetch
/// http://127.0.0.1:18765/v/talk1.html --collection talks --sub-format
/// vtt` (done), then `fetch http://127.0.0.1:18765/v/feed.xml` killed
/// with SIGKILL after its first video failed: a run with one failed item
/// and three pending.
const FIXTURE_V8: &str = "tests/fixtures/v8-a-fetch-run-cut-short.db";

#[test]
fn a_schema_8_database_keeps_its_interrupted_fetch_for_workers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE_V8), &db).expect("copy");
    assert_eq!(count(&db, "PRAGMA user_version"), 8);
    let store = Store::open(&db).expect("migrates");
    assert!(store.check().expect("check").is_empty());
    assert_eq!(count(&db, "PRAGMA user_version"), LATEST);
    // The runs are as they were: the first finished, the second not.
    let run = store
        .fetch_unfinished_run()
        .expect("read")
        .expect("the interrupted run");
    assert_eq!(run.id, 2);
    let items = store.fetch_items(2).expect("items");
    let states: Vec<(&str, i64)> = items
        .iter()
        .map(|i| (i.status.as_str(), i.attempts))
        .collect();
    assert_eq!(
        states,
        [
            ("failed", 3),
            ("pending", 0),
            ("pending", 0),
            ("pending", 0)
        ]
    );
    assert!(items[0]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("network error")));
    assert_eq!(store.fetch_items(1).expect("items")[0].status, "done");
    assert!(store.known_video_ids().expect("known").contains("talk1-1"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM episodes"), 1);
    // Nobody holds anything yet; the pending items are there to claim,
    // in listing order, and only their holder records their outcome.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM fetch_items WHERE worker IS NOT NULL"
        ),
        0
    );
    assert!(store.fetch_workers(2).expect("workers").is_empty());
    let first = store
        .fetch_claim(2, "here:1", 60_000)
        .expect("claim")
        .expect("a pending item");
    assert_eq!((first.idx, first.status.as_str()), (2, "working"));
    assert!(!store
        .fetch_item_finish(2, 2, "elsewhere:2", "done", None, 1)
        .expect("finish"));
    assert!(store
        .fetch_item_finish(2, 2, "here:1", "done", None, 1)
        .expect("finish"));
    let next = store.fetch_claim(2, "here:1", 60_000).expect("claim");
    assert_eq!(next.map(|i| i.idx), Some(3));
}
