//! `podcorpus fill` as the README shows it: paste a link into a slot of the
//! real notes document, run fill (the real yt-dlp fetching a page on
//! 127.0.0.1), read the slot; first as a dry run, which changes nothing.

use serde_json::Value;

mod support;
use support::{podcorpus, samples};

#[path = "../../fetch/tests/support/site.rs"]
mod site;

#[test]
fn paste_a_link_run_fill_read_the_slot() {
    let dir = tempfile::tempdir().expect("tempdir");
    fill_into(&dir.path().join("c.db"), dir.path());
}

#[test]
fn fill_writes_into_a_corpus_on_a_server_as_into_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = podcorpus_testpg::fresh_database("fill");
    fill_into(std::path::Path::new(&url), dir.path());
}

/// The whole user story on the corpus at `db`, with files in `dir`.
fn fill_into(db: &std::path::Path, dir: &std::path::Path) {
    let site = site::serve();
    let cache = dir.join("cache");
    // The downloads and the index of a server's corpus go to this cache.
    let podcorpus = |db: &std::path::Path| {
        let mut c = podcorpus(db);
        c.env("PODCORPUS_CACHE", &cache);
        c
    };
    let db = db.to_path_buf();
    let file = matches!(
        podcorpus_store::location::locate(&db),
        podcorpus_store::location::Location::File(_)
    );
    let notes = dir.join("lex-fridman-notes.txt");
    let original = std::fs::read_to_string(samples().join("lex-fridman-notes.txt")).expect("notes");
    let url = format!("{}/v/talk1.html", site.base);
    let linked = original.replace(
        "--08--\n\n-----\nDate:\nLink:\n",
        &format!("--08--\n\n-----\nDate:\nLink: {url}\n"),
    );
    assert_ne!(linked, original);
    std::fs::write(&notes, &linked).expect("write");
    let args = [
        "fill",
        notes.to_str().expect("path"),
        "--sub-format",
        "vtt",
        "--sleep",
        "0",
    ];

    // The dry run prints the diff and writes nothing, not even the corpus.
    let out = podcorpus(&db)
        .args(args)
        .arg("--dry-run")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains(&format!("+Link: [Talk one: movement (1)]({url})")),
        "{diff}"
    );
    assert!(
        diff.contains("+0:02\n+[Music] to the first talk\n"),
        "{diff}"
    );
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), linked);
    if file {
        assert!(!db.exists(), "a dry run leaves the corpus alone");
    }

    // The user imported the document before, into a collection of their own.
    let imported = support::json(podcorpus(&db).args([
        "import",
        notes.to_str().expect("path"),
        "--collection",
        "mine",
    ]));
    assert_eq!(
        imported["episodes"], 7,
        "six filled slots and slot 08 with its link: {imported}"
    );
    let report = support::json(podcorpus(&db).args(args));
    assert_eq!(report["filled"][0]["slot"], 8);
    assert_eq!(report["written"], true);
    assert_eq!(report["failed"], Value::Array(vec![]));
    let filled = std::fs::read_to_string(&notes).expect("read");
    assert_eq!(
        std::fs::read_to_string(dir.join("lex-fridman-notes.txt.bak")).expect("backup"),
        linked
    );
    assert!(filled.contains(
        "Transcription:\n\n0:00\nhello and welcome\n0:02\n[Music] to the first talk\n\nSummary:\n"
    ));
    // Read: the slot is in the corpus with its times, in the collection the
    // document was imported into.
    // The slot named the page before it was fetched: one page, one episode,
    // with the page's captions and the slot's timed text.
    let show = support::json(podcorpus(&db).args(["show", "mine/8"]));
    let sources: Vec<&str> = show["transcripts"]
        .as_array()
        .expect("transcripts")
        .iter()
        .filter_map(|t| t["source"].as_str())
        .collect();
    assert_eq!(sources, ["youtube-manual", "notes"], "{show}\n{report}");
    let elsewhere = podcorpus(&db)
        .args(["show", "lex-fridman-notes/8"])
        .output()
        .expect("runs");
    assert!(
        !elsewhere.status.success(),
        "no second copy under the file's stem"
    );
    let kwic = support::json(podcorpus(&db).args(["kwic", "first talk", "--collection", "mine"]));
    let lines = kwic["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1, "{kwic}");
    assert_eq!(
        (&lines[0]["number"], &lines[0]["start_ms"]),
        (&Value::from(8), &Value::from(2000))
    );
    let again = podcorpus(&db).args(args).output().expect("runs");
    assert!(String::from_utf8_lossy(&again.stdout).contains("no slot to fill"));
}
