//! The notes document round trip on the user's real document: import the
//! original, export it, import the export into a second database, and compare
//! every field; and the template written for a collection without a document.

mod common;

use common::*;
use podcorpus_core::{Collect, Episode};
use podcorpus_export::Format;
use podcorpus_formats::notes::Notes;
use podcorpus_formats::{Context, Reader};
use podcorpus_store::export_feed::ExportSelection;

fn read_notes(text: &str) -> Collect {
    let mut sink = Collect::default();
    Notes
        .read(&Context::default(), text, &mut sink)
        .expect("notes read");
    sink
}

fn marker_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| {
            l.trim_start().starts_with("--")
                && l.trim_start()[2..].starts_with(|c: char| c.is_ascii_digit())
        })
        .collect()
}

#[test]
fn notes_round_trip_on_the_real_document() {
    let dir = tempfile::tempdir().unwrap();
    let original_path = samples().join("lex-fridman-notes.txt");
    let original = std::fs::read_to_string(&original_path).unwrap();
    let first = import(&dir.path().join("one.db"), &[original_path]);

    // Same file stem, so the re-import lands in the same collection.
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let exported_path = out_dir.join("lex-fridman-notes.txt");
    let report = run(&first, &request(Format::Notes, &exported_path));
    assert_eq!(report.episodes, 6);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let exported = std::fs::read_to_string(&exported_path).unwrap();
    // Written, not copied: slot 05's summary now follows its transcription.
    assert_ne!(exported, original);

    // The layout: same header, same 99 slot lines (verbatim, trailing notes
    // and spaces included), the same empty slots byte for byte.
    assert_eq!(marker_lines(&exported), marker_lines(&original));
    assert_eq!(marker_lines(&exported).len(), 99);
    let header = "I discovered that the Lex Fridman Podcast covers";
    assert!(exported.starts_with(header));
    let empty_99 = "-----\n--99--\n\n-----\nDate:\nLink:\nTranscription:\n\npaste here\n\n----------\n\n-----\n--98--";
    assert!(exported.contains(empty_99));
    assert!(exported
        .contains("-----\n\n--07--  \n\n-----\nDate:\nLink:\nTranscription:\n\npaste here\n"));
    assert!(exported.ends_with("----------\n"));
    assert!(exported.contains(
        "Date: 2016.09.27\nLink: [Sequence to Sequence Deep Learning (Quoc Le, Google)](https://www.youtube.com/watch?v=G5RY_SUJih4)\nTranscription:\n\neating that were divided"
    ));

    // The reader gives the same episodes from both documents, field by field.
    let a = read_notes(&original);
    let b = read_notes(&exported);
    assert_eq!(b.document.as_ref().unwrap().slots, 99);
    assert_eq!(a.episodes.len(), 6);
    assert_eq!(b.episodes.len(), a.episodes.len());
    for (x, y) in a.episodes.iter().zip(&b.episodes) {
        let n = x.meta.number;
        assert_eq!(x.meta, y.meta, "slot {n:?} metadata");
        assert_eq!(x.chapters, y.chapters, "slot {n:?} chapters");
        assert_eq!(x.transcripts, y.transcripts, "slot {n:?} transcripts");
        assert_eq!(x.summaries, y.summaries, "slot {n:?} summaries");
        assert_eq!(x, y as &Episode);
    }
    // The parts that make this a real check, seen in the original.
    let slot = |c: &Collect, n: u32| {
        c.episodes
            .iter()
            .find(|e| e.meta.number == Some(n))
            .cloned()
            .unwrap()
    };
    assert_eq!(slot(&b, 1).chapters.len(), 10);
    assert_eq!(slot(&b, 4).chapters.len(), 19);
    assert_eq!(slot(&b, 3).summaries.len(), 2);
    assert!(slot(&b, 3).transcripts.is_empty());
    assert!(slot(&b, 1).transcripts[0]
        .segments
        .iter()
        .any(|s| s.events == ["Music"]));

    // And through the store: the second database holds what the first does.
    let second = import(
        &dir.path().join("two.db"),
        std::slice::from_ref(&exported_path),
    );
    let e1 = episodes(&first, None);
    let e2 = episodes(&second, None);
    assert_eq!(e1.len(), 6);
    assert_eq!(e1, e2);

    // Exporting the re-import gives the same document: a fixed point.
    let again = dir.path().join("again.txt");
    run(&second, &request(Format::Notes, &again));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), exported);
}

#[test]
fn notes_template_for_a_collection_without_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let out = dir.path().join("lexicap.txt");
    let mut req = request(Format::Notes, &out);
    req.selection = ExportSelection {
        collection: Some("lexicap".into()),
        ..Default::default()
    };
    let report = run(&store, &req);
    assert_eq!(report.episodes, 2);
    let text = std::fs::read_to_string(&out).unwrap();
    // Episode 316 needs slot 316: slots count down from there to 01.
    let markers = marker_lines(&text);
    assert_eq!(markers.len(), 316);
    assert_eq!(markers[0], "--316--");
    assert_eq!(markers[315], "--01--");
    assert!(markers
        .windows(2)
        .all(|w| w[0] > w[1] || w[0].len() > w[1].len()));
    assert!(text.contains("-----\n--50--\n\n-----\nDate:\nLink:\nTranscription:\n\npaste here\n\n----------\n\n-----\n--49--\n\n-----\nDate:\nLink:\nTranscription:\n\n"));
    // The whisper-large text, one segment per line.
    let c = read_notes(&text);
    assert_eq!(c.document.unwrap().slots, 316);
    let numbers: Vec<u32> = c.episodes.iter().filter_map(|e| e.meta.number).collect();
    assert_eq!(numbers, vec![49, 316]);
    // A whisper line as written in the file, with its punctuation.
    let first_cue = std::fs::read_to_string(samples().join("lexicap/episode_049_large.vtt"))
        .unwrap()
        .lines()
        .skip_while(|l| !l.contains("-->"))
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    // Timed, as the transcript panel shows it: the cue's start, to the second.
    assert!(
        text.contains(&format!("Transcription:\n\n0:00\n{first_cue}\n")),
        "{first_cue}"
    );
    let vtt_starts: Vec<u64> = episodes(&store, Some("lexicap"))
        .iter()
        .find(|e| e.number == 49)
        .unwrap()
        .transcript
        .as_ref()
        .unwrap()
        .segments
        .iter()
        .filter(|s| !s.text.is_empty() || !s.events.is_empty())
        .map(|s| s.start_ms.unwrap() / 1000 * 1000)
        .collect();
    let e49 = c
        .episodes
        .iter()
        .find(|e| e.meta.number == Some(49))
        .unwrap();
    let read_starts: Vec<u64> = e49.transcripts[0]
        .segments
        .iter()
        .map(|s| s.start_ms.unwrap())
        .collect();
    assert!(vtt_starts.len() > 300);
    assert_eq!(read_starts, vtt_starts);

    // --slots below the highest episode is refused, saying why.
    req.slots = Some(99);
    let err = podcorpus_export::export(&store, &req)
        .unwrap_err()
        .to_string();
    assert!(err.contains("--slots 99") && err.contains("316"), "{err}");
    // Two collections cannot share one document.
    let all = request(Format::Notes, &dir.path().join("all.txt"));
    let err = podcorpus_export::export(&store, &all)
        .unwrap_err()
        .to_string();
    assert!(err.contains("--collection"), "{err}");
    assert!(!dir.path().join("all.txt").exists());
}

/// The real document with slot 07 pasted from the transcript panel (the
/// fixture of the notes reader), in the panel's own layout or with each
/// time at the head of its caption's line.
fn with_slot_07(inline: bool) -> String {
    let original = std::fs::read_to_string(samples().join("lex-fridman-notes.txt")).unwrap();
    let body = std::fs::read_to_string(
        samples().join("../crates/formats/tests/fixtures/notes/slot-07-panel.txt"),
    )
    .unwrap();
    let body = if inline {
        body.replace(":00\n", ":00 ")
            .replace(":04\n", ":04 ")
            .replace(":08\n", ":08 ")
            .replace(":02\n", ":02 ")
            .replace(":15\n", ":15 ")
    } else {
        body
    };
    let empty = "--07--  \n\n-----\nDate:\nLink:\nTranscription:\n\npaste here\n";
    assert_eq!(original.matches(empty).count(), 1);
    original.replace(empty, &format!("--07--  \n\n-----\n{body}"))
}

#[test]
fn a_timed_slot_is_written_back_in_the_style_it_came_in() {
    for inline in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let doc = with_slot_07(inline);
        let path = dir.path().join("lex-fridman-notes.txt");
        std::fs::write(&path, &doc).unwrap();
        let store = import(&dir.path().join("c.db"), std::slice::from_ref(&path));
        let out_dir = dir.path().join("out");
        std::fs::create_dir(&out_dir).unwrap();
        let out = out_dir.join("lex-fridman-notes.txt");
        let report = run(&store, &request(Format::Notes, &out));
        assert_eq!(report.episodes, 7);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let exported = std::fs::read_to_string(&out).unwrap();
        // Slot 07, byte for byte: from its marker to the next slot's.
        let slot_07 = |d: &str| {
            let from = d.find("--07--").unwrap();
            let to = d.find("--06--").unwrap();
            d[from..to].to_string()
        };
        assert_eq!(slot_07(&exported), slot_07(&doc), "inline: {inline}");
        assert_eq!(
            slot_07(&exported).contains("0:04 driver frustration"),
            inline
        );
        // And the episodes read back the same, times included.
        let (a, b) = (read_notes(&doc), read_notes(&exported));
        assert_eq!(a.episodes, b.episodes);
        let seven = b
            .episodes
            .iter()
            .find(|e| e.meta.number == Some(7))
            .unwrap();
        assert_eq!(seven.transcripts[0].segments[3].start_ms, Some(62_000));
    }
}

/// Imports `path` into `collection` of an open store.
fn import_into(store: &podcorpus_store::Store, path: std::path::PathBuf, collection: &str) {
    let options = podcorpus_ingest::ImportOptions {
        collection: Some(collection.into()),
        ..Default::default()
    };
    let (jobs, _) = podcorpus_ingest::discover(&[path], &options).expect("discover");
    let report = podcorpus_ingest::import(store, &jobs, &options, &|_| {}).expect("import");
    assert!(
        report.failed.is_empty() && report.unmatched == 0,
        "{report:?}"
    );
}

fn table(name: &str) -> std::path::PathBuf {
    samples()
        .join("../crates/formats/tests/fixtures/tables")
        .join(name)
}

#[test]
fn joining_other_sources_leaves_the_notes_export_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let alone = import(
        &dir.path().join("alone.db"),
        &[samples().join("lex-fridman-notes.txt")],
    );
    // The same notes, joined with Lexicap and the metadata tables, which give
    // the same videos other titles, dates, lengths and descriptions.
    let joined = import(&dir.path().join("joined.db"), &[samples().join("lexicap")]);
    import_into(
        &joined,
        table("lex-fridman-podcast-episodes.csv"),
        "lexicap",
    );
    import_into(&joined, table("lexitalk-channel-uploads.csv"), "lexfridman");
    import_into(
        &joined,
        samples().join("lex-fridman-notes.txt"),
        "lex-fridman-notes",
    );
    let mut sel = ExportSelection {
        collection: Some("lex-fridman-notes".into()),
        ..Default::default()
    };
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    let mut req = request(Format::Notes, &a);
    req.selection = sel.clone();
    run(&alone, &req);
    req.output = b.clone();
    run(&joined, &req);
    let (a, b) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(a.len() > 200_000);
    assert!(a == b, "the joined export differs from the notes alone");

    // Lexicap written as notes: Date and Link come from the tables now.
    sel.collection = Some("lexicap".into());
    let c = dir.path().join("c.txt");
    let mut req = request(Format::Notes, &c);
    req.selection = sel;
    run(&joined, &req);
    let text = std::fs::read_to_string(&c).unwrap();
    assert!(text.contains("--316--"));
    assert!(text.contains(
        "Date: 2022.08.31\nLink: [Noam Chomsky: Putin, Ukraine, China, and Nuclear War | Lex Fridman Podcast #316](https://www.youtube.com/watch?v=7uHGlfeCBbE)\n"
    ), "{}", &text[..2000.min(text.len())]);
}
