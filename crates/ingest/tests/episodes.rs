//! One video, one episode: the bundled Lexicap transcripts, slices of the real
//! metadata tables and the notes document imported in the order a user would,
//! each video ending up once with every membership and source side by side.

use podcorpus_ingest::{discover, ImportOptions, ImportReport};
use podcorpus_store::query::{ListFilter, TranscriptFilter};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn table(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/tests/fixtures/tables")
        .join(name)
}

fn import(store: &Store, path: PathBuf, collection: Option<&str>) -> ImportReport {
    let options = ImportOptions {
        collection: collection.map(str::to_string),
        ..Default::default()
    };
    let (jobs, _) = discover(&[path], &options).expect("discover");
    podcorpus_ingest::import(store, &jobs, &options, &|_| {}).expect("import")
}

/// The user's order: Lexicap, the podcast table, the channel's uploads, the notes.
fn corpus(store: &Store) -> [ImportReport; 4] {
    [
        import(store, samples().join("lexicap"), None),
        import(
            store,
            table("lex-fridman-podcast-episodes.csv"),
            Some("lexicap"),
        ),
        import(
            store,
            table("lexitalk-channel-uploads.csv"),
            Some("lexfridman"),
        ),
        import(store, samples().join("lex-fridman-notes.txt"), None),
    ]
}

#[test]
fn every_video_once_with_all_its_memberships() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let [lexicap, podcast, uploads, notes] = corpus(&store);
    assert_eq!(
        (lexicap.created, lexicap.matched),
        (2, 2),
        "two files per episode"
    );
    // 8 rows: 2 match the Lexicap samples (#49, #316), 5 are new, and #318 is listed twice.
    assert_eq!(
        (podcast.matched, podcast.created, podcast.unmatched),
        (3, 5, 0),
        "{podcast:?}"
    );
    // 11 uploads: #1, #2 and #316 were already there through the podcast table.
    assert_eq!((uploads.matched, uploads.created), (3, 8), "{uploads:?}");
    // The six notes videos are all uploads of the channel.
    assert_eq!((notes.matched, notes.created), (6, 0), "{notes:?}");
    // The distinct video ids of the inputs (computed from the slices with Python's csv).
    let all = store.list(&ListFilter::default()).expect("list");
    assert_eq!(all.len(), 15);

    let e = store.resolve("lexicap/316").expect("316");
    assert_eq!(e.video_id.as_deref(), Some("7uHGlfeCBbE"));
    assert_eq!(e.guests, vec!["Noam Chomsky"]);
    assert_eq!(e.published.as_deref(), Some("2022-08-31"));
    // The later import (the uploads table) wins for the title it names.
    assert_eq!(
        e.title.as_deref(),
        Some("Noam Chomsky: Putin, Ukraine, China, and Nuclear War | Lex Fridman Podcast #316")
    );
    assert_eq!(e.sources, vec!["whisper-large", "whisper-small"]);
    let names: Vec<String> = e.collections.iter().map(|n| n.to_string()).collect();
    assert_eq!(names, vec!["lexfridman/11", "lexicap/316"]);
    // The same episode through its channel number and its id.
    assert_eq!(store.resolve("lexfridman/11").expect("by channel").id, e.id);
    assert_eq!(store.resolve("7uHGlfeCBbE").expect("by id").id, e.id);
    // Chapters from the description's OUTLINE, by YouTube's rule.
    let d = store.show("lexicap/316", false).expect("show");
    let starts: Vec<i64> = d
        .chapters
        .iter()
        .filter_map(|c| c.start_ms)
        .map(|ms| ms / 1000)
        .collect();
    assert_eq!(starts, vec![0, 111, 897, 1320, 1764, 2664]);
    assert_eq!(d.chapters[0].title, "Introduction");

    // The channel is numbered by upload date, oldest = 1: the notes' slot 1.
    let first = store.resolve("lexfridman/1").expect("oldest upload");
    assert_eq!(first.video_id.as_deref(), Some("o8nZaDw_mOs"));
    assert_eq!(
        store.resolve("lex-fridman-notes/1").expect("slot 1").id,
        first.id
    );
    assert_eq!(first.sources, vec!["notes"]);
    // `list --collection` shows the number there.
    let notes_rows = store
        .list(&ListFilter {
            collection: Some("lex-fridman-notes".into()),
        })
        .expect("list");
    let numbers: Vec<i64> = notes_rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6]);
    assert!(notes_rows
        .iter()
        .all(|r| r.collection == "lex-fridman-notes"));

    // Walking transcripts by collection finds them through any membership.
    let channel = store
        .transcripts(&TranscriptFilter {
            collection: Some("lexfridman".into()),
            ..Default::default()
        })
        .expect("transcripts");
    assert!(channel
        .iter()
        .any(|t| t.collection == "lexfridman" && t.number == 11));
    // Dates and guests now select Lexicap episodes.
    let since = store
        .transcripts(&TranscriptFilter {
            collection: Some("lexicap".into()),
            since: Some("2022-01-01".into()),
            ..Default::default()
        })
        .expect("transcripts");
    assert_eq!(since.len(), 1);
    assert_eq!(since[0].guests, vec!["Noam Chomsky"]);
}

#[test]
fn reimport_is_a_no_op_and_a_table_never_deletes_a_transcript() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    corpus(&store);
    let before = store.list(&ListFilter::default()).expect("list");
    let [a, b, c, d] = corpus(&store);
    assert!(
        [&a, &b, &c, &d].iter().all(|r| r.unchanged == r.files),
        "unchanged files"
    );
    assert_eq!(store.list(&ListFilter::default()).expect("list"), before);
    // A changed table that names the episode with other facts: the facts change, the transcripts stay.
    let changed = dir.path().join("t.csv");
    std::fs::write(&changed, "video_id,title\n7uHGlfeCBbE,Chomsky retitled\n").expect("write");
    let r = import(&store, changed, Some("lexicap"));
    assert_eq!(r.matched, 1, "{r:?}");
    let e = store.resolve("7uHGlfeCBbE").expect("by id");
    assert_eq!(e.title.as_deref(), Some("Chomsky retitled"));
    assert_eq!(e.sources.len(), 2);
    assert!(store.check().expect("check").is_empty());
}

#[test]
fn two_videos_never_merge_and_bad_rows_say_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    corpus(&store);
    let t = dir.path().join("wrong.csv");
    // Row 2 gives #316 another video; row 3 has a date that is none; row 4 is fine.
    std::fs::write(
        &t,
        "number,video_id,upload_date\n316,Gi8LUnhP5yU,2022-08-31\n49,smK9dgdTl40,the day after\n49,smK9dgdTl40,20191217\n",
    )
    .expect("write");
    let r = import(&store, t, Some("lexicap"));
    assert_eq!((r.matched, r.unmatched), (1, 2), "{r:?}");
    let lines: Vec<Option<u64>> = r.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, vec![Some(3), Some(2)]);
    assert!(
        r.warnings[1]
            .message
            .contains("lexicap/316 is already the video 7uHGlfeCBbE"),
        "{:?}",
        r.warnings
    );
    assert_eq!(
        store
            .resolve("lexicap/316")
            .expect("316")
            .video_id
            .as_deref(),
        Some("7uHGlfeCBbE")
    );
    assert_eq!(
        store
            .resolve("lexicap/49")
            .expect("49")
            .published
            .as_deref(),
        Some("2019-12-17")
    );
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 15);
}

#[test]
fn a_video_numbered_first_and_identified_later_is_one_episode() {
    // The notes know the video by id; a Lexicap-style file knows it only by
    // number; a table then ties the number to the id: the two become one.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    import(&store, samples().join("lex-fridman-notes.txt"), None);
    let folder = dir.path().join("talks");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(
        folder.join("episode_007_large.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:02.000\n we choose to go to the moon\n",
    )
    .expect("write");
    import(&store, folder, None);
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 7);
    let t = dir.path().join("ids.csv");
    std::fs::write(&t, "episode,id\n7,o8nZaDw_mOs\n").expect("write");
    let r = import(&store, t, Some("talks"));
    assert_eq!(r.matched, 1);
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 6);
    let e = store.resolve("talks/7").expect("talks/7");
    assert_eq!(store.resolve("lex-fridman-notes/1").expect("slot").id, e.id);
    assert_eq!(e.sources, vec!["whisper-large", "notes"]);
    assert!(store.check().expect("check").is_empty());
}

#[test]
fn a_changed_document_restates_its_slots() {
    // The user swaps two slots of a document whose videos are also channel
    // uploads: the slots now name the other videos, nothing is refused.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    import(
        &store,
        table("lexitalk-channel-uploads.csv"),
        Some("lexfridman"),
    );
    let slot = |n: u32, id: &str, words: &str| {
        format!("-----\n--{n:02}--\n\n-----\nDate: 2014.05.08\nLink: [Talk](https://www.youtube.com/watch?v={id})\nTranscription:\n\n{words}\n\n----------\n\n")
    };
    let path = dir.path().join("notes.txt");
    let write = |a: &str, b: &str| {
        let text = format!(
            "My notes\n\n{}{}",
            slot(2, b, "second words here"),
            slot(1, a, "first words here")
        );
        std::fs::write(&path, text).expect("write");
    };
    write("o8nZaDw_mOs", "94MBVD_tZeU");
    let r = import(&store, path.clone(), Some("notes"));
    assert_eq!((r.matched, r.unmatched), (2, 0), "{r:?}");
    assert_eq!(
        store.resolve("notes/1").expect("1").video_id.as_deref(),
        Some("o8nZaDw_mOs")
    );
    write("94MBVD_tZeU", "o8nZaDw_mOs");
    let r = import(&store, path.clone(), Some("notes"));
    assert_eq!((r.matched, r.unmatched), (2, 0), "{r:?}");
    assert_eq!(
        store.resolve("notes/1").expect("1").video_id.as_deref(),
        Some("94MBVD_tZeU")
    );
    assert_eq!(
        store.resolve("notes/2").expect("2").video_id.as_deref(),
        Some("o8nZaDw_mOs")
    );
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 11);
    // A slot emptied in the document leaves the corpus's own episode in its channel.
    std::fs::write(
        &path,
        format!("My notes\n\n{}", slot(1, "94MBVD_tZeU", "first words here")),
    )
    .expect("write");
    import(&store, path, Some("notes"));
    let names: Vec<String> = store
        .resolve("o8nZaDw_mOs")
        .expect("still there")
        .collections
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, vec!["lexfridman/1"]);
    assert!(store.check().expect("check").is_empty());
}
