//! Import into a real SQLite file: the sample notes document and Lexicap
//! files bundled in the repo, re-import, changed files, bad files, --strict.

use podcorpus_ingest::{discover, ImportOptions, ImportReport};
use podcorpus_store::query::{ListFilter, TranscriptFilter};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn import(store: &Store, paths: &[PathBuf], options: &ImportOptions) -> ImportReport {
    let (jobs, skipped) = discover(paths, options).expect("discover");
    let mut report = podcorpus_ingest::import(store, &jobs, options, &|_| {}).expect("import");
    report.skipped += skipped;
    report
}

fn count(store_path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(store_path).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("query")
}

/// Words of a WebVTT file counted independently: every non-blank line that is
/// not the header or a timing line.
fn vtt_words(path: &Path) -> i64 {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .filter(|l| !l.contains("-->") && *l != "WEBVTT")
        .map(|l| l.split_whitespace().count() as i64)
        .sum()
}

#[test]
fn notes_document_imports_six_episodes_with_summaries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    let report = import(
        &store,
        &[samples().join("lex-fridman-notes.txt")],
        &ImportOptions::default(),
    );
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(
        (
            report.files,
            report.episodes,
            report.transcripts,
            report.summaries
        ),
        (1, 6, 5, 6)
    );
    let rows = store.list(&ListFilter::default()).expect("list");
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r.collection == "lex-fridman-notes"));
    let five = store.show("lex-fridman-notes/5", false).expect("show");
    assert_eq!(five.row.video_id.as_deref(), Some("Ejec3ID_h0w"));
    assert_eq!(five.row.published.as_deref(), Some("2016-09-27"));
    assert_eq!(five.row.guests, vec!["Sherry Moore"]);
    assert_eq!(five.chapters[0].title, "Introduction");
    assert_eq!(five.summaries.len(), 1);
    assert_eq!(five.summaries[0].kind, "imported");
    assert_eq!(five.row.sources, vec!["notes"]);
    let by_id = store.show("G5RY_SUJih4", true).expect("by video id");
    assert_eq!(by_id.row.number, 6);
    let text = by_id.transcripts[0].text.as_deref().expect("text");
    assert!(text.starts_with("eating that were divided in two parts"));
    assert_eq!(count(&db, "SELECT slots FROM documents"), 99);
    assert!(store.check().expect("check").is_empty());
}

#[test]
fn lexicap_folder_imports_episodes_with_two_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    let folder = samples().join("lexicap");
    let report = import(
        &store,
        std::slice::from_ref(&folder),
        &ImportOptions::default(),
    );
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(
        (report.files, report.imported, report.transcripts),
        (4, 4, 4)
    );
    let rows = store.list(&ListFilter::default()).expect("list");
    let numbers: Vec<i64> = rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, vec![49, 316]);
    assert!(rows.iter().all(|r| r.collection == "lexicap"));
    assert_eq!(rows[0].sources, vec!["whisper-large", "whisper-small"]);
    // `words` is the best source's, counted here without podcorpus.
    assert_eq!(
        rows[1].words,
        vtt_words(&folder.join("episode_316_large.vtt"))
    );
    let d = store.show("lexicap/316", true).expect("show");
    let small = d
        .transcripts
        .iter()
        .find(|t| t.source == "whisper-small")
        .expect("small");
    assert_eq!(
        small.words,
        vtt_words(&folder.join("episode_316_small.vtt"))
    );
    let large = d.transcripts[0].text.as_deref().expect("text");
    assert!(large.starts_with("Will there be a war between U.S. and China in the 21st century? If there is, we're finished."));
    // Walking transcripts: the best source per episode, or all of them.
    let best = store
        .transcripts(&TranscriptFilter::default())
        .expect("transcripts");
    assert_eq!(best.len(), 2);
    assert!(best.iter().all(|t| t.source == "whisper-large"));
    let all = TranscriptFilter {
        all_sources: true,
        ..Default::default()
    };
    assert_eq!(store.transcripts(&all).expect("transcripts").len(), 4);
    let segs = store.segments(best[1].id).expect("segments");
    assert_eq!(
        segs[0].text,
        "Will there be a war between U.S. and China in the 21st century?"
    );
    assert_eq!((segs[0].start_ms, segs[0].end_ms), (Some(0), Some(5000)));
    assert_eq!(segs.len() as i64, d.transcripts[0].segments);
    // Re-import: nothing changes.
    let segments = count(&db, "SELECT COUNT(*) FROM segments");
    let again = import(&store, &[folder], &ImportOptions::default());
    assert_eq!((again.files, again.unchanged, again.imported), (4, 4, 0));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM segments"), segments);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM transcripts"), 4);
}

#[test]
fn changed_file_replaces_its_transcript() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("lexicap");
    std::fs::create_dir(&folder).expect("mkdir");
    let file = folder.join("episode_049_large.vtt");
    std::fs::copy(samples().join("lexicap/episode_049_large.vtt"), &file).expect("copy");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    import(
        &store,
        std::slice::from_ref(&folder),
        &ImportOptions::default(),
    );
    let before = store.show("lexicap/49", false).expect("show").transcripts[0].words;
    std::fs::write(&file, "WEBVTT\n\n00:00.000 --> 00:01.000\n one two three\n").expect("write");
    let report = import(&store, &[folder], &ImportOptions::default());
    assert_eq!(report.imported, 1);
    let after = store.show("lexicap/49", false).expect("show");
    assert_eq!(after.transcripts.len(), 1);
    assert_eq!(after.transcripts[0].words, 3);
    assert_ne!(before, 3);
}

#[test]
fn bad_files_are_reported_and_the_rest_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("mixed");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::copy(
        samples().join("lexicap/episode_316_large.vtt"),
        folder.join("episode_316_large.vtt"),
    )
    .expect("copy");
    std::fs::write(
        folder.join("episode_002_large.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:01.000\n fine\n\n00:02.000 --> banana\n more\n",
    )
    .expect("write");
    std::fs::write(folder.join("episode_003_large.vtt"), b"\x00\x01\x02binary").expect("write");
    std::fs::write(folder.join("readme.pdf"), b"%PDF").expect("write");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    let report = import(
        &store,
        std::slice::from_ref(&folder),
        &ImportOptions::default(),
    );
    // The cue with a bad timing is left out with a warning; its file imports.
    assert_eq!(report.imported, 2);
    assert_eq!(report.skipped, 1);
    assert_eq!(report.failed.len(), 1, "{:?}", report.failed);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    let bad = &report.warnings[0];
    assert!(bad.path.ends_with("episode_002_large.vtt"), "{}", bad.path);
    assert_eq!(bad.line, Some(6));
    assert!(bad.message.starts_with("cue left out:"), "{}", bad.message);
    assert_eq!(report.unmatched, 0);
    let binary = report
        .failed
        .iter()
        .find(|f| f.path.ends_with("episode_003_large.vtt"))
        .expect("named");
    assert!(binary.error.contains("binary"), "{}", binary.error);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM transcripts"), 2);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM episodes"), 2);
    // --strict: the same folder imports nothing.
    let db2 = dir.path().join("strict.db");
    let strict = Store::open(&db2).expect("open");
    let report = import(
        &strict,
        &[folder],
        &ImportOptions {
            strict: true,
            ..Default::default()
        },
    );
    assert!(report.rolled_back);
    assert_eq!(count(&db2, "SELECT COUNT(*) FROM transcripts"), 0);
    assert_eq!(count(&db2, "SELECT COUNT(*) FROM files"), 0);
}

#[test]
fn collection_override_and_ambiguous_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    import(
        &store,
        &[samples().join("lex-fridman-notes.txt")],
        &ImportOptions::default(),
    );
    // The same path with another collection moves the file's episodes there.
    let opts = ImportOptions {
        collection: Some("moved".into()),
        ..Default::default()
    };
    let report = import(&store, &[samples().join("lex-fridman-notes.txt")], &opts);
    assert_eq!(report.imported, 1);
    assert_eq!(
        store
            .list(&ListFilter {
                collection: Some("lex-fridman-notes".into())
            })
            .expect("list")
            .len(),
        0
    );
    assert_eq!(
        store
            .list(&ListFilter {
                collection: Some("moved".into())
            })
            .expect("list")
            .len(),
        6
    );
    let copy = dir.path().join("copy.txt");
    std::fs::copy(samples().join("lex-fridman-notes.txt"), &copy).expect("copy");
    let opts = ImportOptions {
        collection: Some("mine".into()),
        ..Default::default()
    };
    import(&store, &[copy], &opts);
    // The copy names the same videos: they are the same episodes, now in two
    // collections, so a bare 5 is still one episode.
    let five = store.resolve("5").expect("one episode");
    let names: Vec<String> = five.collections.iter().map(|n| n.to_string()).collect();
    assert_eq!(names, vec!["mine/5", "moved/5"]);
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 6);
    // A different episode numbered 5 elsewhere makes it ambiguous.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(
        other.join("episode_005_large.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:01.000\n hello\n",
    )
    .expect("write");
    import(&store, &[other], &ImportOptions::default());
    let err = store.resolve("5").expect_err("ambiguous");
    assert!(err.to_string().contains("moved/5"), "{err}");
    assert!(err.to_string().contains("other/5"), "{err}");
    assert_eq!(
        store.resolve("mine/1").expect("mine/1").title.as_deref(),
        Some("Ido Portal: Movement")
    );
    assert!(store.resolve("nope/1").is_err());
}

#[test]
fn encodings_and_hostile_files_import_or_fail_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("odd");
    std::fs::create_dir(&folder).expect("mkdir");
    let vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n caf\u{e9} na\u{ef}ve r\u{e9}sum\u{e9}\n";
    // UTF-16 little endian with its byte order mark, as Windows tools write it.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(vtt.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(folder.join("episode_001_large.vtt"), utf16).expect("write");
    // Latin-1: é is the single byte 0xE9.
    let latin1: Vec<u8> = vtt.chars().map(|c| c as u32 as u8).collect();
    std::fs::write(folder.join("episode_002_large.vtt"), latin1).expect("write");
    // One enormous cue line (8 MB) imports whole.
    let huge = format!(
        "WEBVTT\n\n00:00.000 --> 00:02.000\n {}\n",
        "word ".repeat(1_600_000)
    );
    std::fs::write(folder.join("episode_003_large.vtt"), huge).expect("write");
    // Truncated in the middle of a timing line, and an empty file.
    std::fs::write(
        folder.join("episode_004_large.vtt"),
        "WEBVTT\n\n00:00.000 --",
    )
    .expect("write");
    std::fs::write(folder.join("episode_005_large.vtt"), "").expect("write");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    let report = import(&store, &[folder], &ImportOptions::default());
    assert_eq!(report.imported, 3, "{:?}", report.failed);
    let failed: Vec<&str> = report.failed.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(failed.len(), 2);
    assert!(
        failed[0].ends_with("episode_004_large.vtt")
            && failed[1].ends_with("episode_005_large.vtt")
    );
    assert!(
        report.failed[0].error.contains("cut short"),
        "{}",
        report.failed[0].error
    );
    for n in [1, 2] {
        let d = store.show(&format!("odd/{n}"), true).expect("show");
        assert_eq!(d.transcripts[0].text.as_deref(), Some("café naïve résumé"));
    }
    assert_eq!(
        store.show("odd/3", false).expect("show").transcripts[0].words,
        1_600_000
    );
    assert!(store.check().expect("check").is_empty());
}

#[test]
fn ytdlp_bundle_lands_in_its_channel_and_playlist_infos_are_skipped() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../formats/tests/fixtures/ytdlp");
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("downloads");
    std::fs::create_dir(&folder).expect("mkdir");
    for name in ["o8nZaDw_mOs.info.json", "o8nZaDw_mOs.en.vtt"] {
        std::fs::copy(fixtures.join(name), folder.join(name)).expect("copy");
    }
    std::fs::write(
        folder.join("Lex Fridman - Videos [UCSHZKyawb77ixDdsGog4iWA].info.json"),
        r#"{"id": "UCSHZKyawb77ixDdsGog4iWA", "_type": "playlist", "title": "Lex Fridman - Videos"}"#,
    )
    .expect("write");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let report = import(&store, &[folder], &ImportOptions::default());
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(
        (report.imported, report.skipped, report.transcripts),
        (1, 1, 1)
    );
    let d = store.show("o8nZaDw_mOs", true).expect("show");
    assert_eq!(d.row.collection, "Lex Fridman");
    assert_eq!(d.row.published.as_deref(), Some("2014-05-08"));
    assert_eq!(d.row.duration_ms, Some(1_163_000));
    let chapters: Vec<(&str, Option<i64>)> = d
        .chapters
        .iter()
        .map(|c| (c.title.as_str(), c.start_ms))
        .collect();
    assert_eq!(
        chapters,
        vec![
            ("Introduction", Some(0)),
            ("Movement as a practice", Some(95_000)),
            ("Isolation and integration", Some(640_000))
        ]
    );
    assert_eq!(d.transcripts[0].source, "youtube-auto");
    assert_eq!(d.transcripts[0].language.as_deref(), Some("en"));
}
