//! `fill` on a copy of the user's real notes document, with the real yt-dlp
//! (from PyPI) fetching pages served on 127.0.0.1: a slot holding only a
//! loopback page's URL gets that page's captions, nothing else in the file
//! changes, and a backup of the original is kept.

use podcorpus_fetch::args::SubtitleRequest;
use podcorpus_fetch::listing::Selection;
use podcorpus_fetch::FetchOptions;
use podcorpus_fill::{fill, FillError, FillOptions, FillReport};
use podcorpus_formats::notes::slots;
use podcorpus_store::Store;
use podcorpus_summarize::episode::Method;
use podcorpus_summarize::extractive::ExtractiveOptions;
use podcorpus_summarize::rank::RankOptions;
use std::path::{Path, PathBuf};

#[path = "../../fetch/tests/support/site.rs"]
mod site;

const NOTES: &str = include_str!("../../formats/tests/fixtures/notes/lex-fridman-notes.txt");

fn options(out: PathBuf) -> FillOptions {
    FillOptions {
        fetch: FetchOptions {
            selection: Selection::default(),
            subs: SubtitleRequest {
                lang: "en".into(),
                format: "vtt".into(),
            },
            comments: None,
            out_dir: out,
            collection: None,
            sleep_secs: 0.0,
            attempts: 1,
            pass_through: Vec::new(),
            yt_dlp: None,
            transcribe_cmd: None,
            transcribe_source: "asr".into(),
            asr: Default::default(),
        },
        from: None,
        slots: None,
        dry_run: false,
    }
}

fn extractive() -> Method<'static> {
    Method::Extractive(ExtractiveOptions {
        points: 3,
        by_chapter: false,
        rank: RankOptions {
            min_words: 3,
            ..RankOptions::default()
        },
    })
}

/// A fill with three extractive key points and no progress output.
fn run(store: &Store, path: &Path, opts: &FillOptions) -> Result<FillReport, FillError> {
    fill(store, path, opts, &extractive(), &|_, _| {})
}

/// The document with slot `n`'s empty `Link:` set to `url`.
fn with_link(doc: &str, n: u32, url: &str) -> String {
    let empty = format!("--{n:02}--\n\n-----\nDate:\nLink:\n");
    assert_eq!(doc.matches(&empty).count(), 1, "slot {n} is empty");
    doc.replace(
        &empty,
        &format!("--{n:02}--\n\n-----\nDate:\nLink: {url}\n"),
    )
}

/// The lines of `text` outside slot `n`'s body.
fn outside(text: &str, n: u32) -> Vec<String> {
    let s = slots(text).unwrap();
    let body = s.iter().find(|s| s.number == n).unwrap().body.clone();
    text.lines()
        .enumerate()
        .filter(|(i, _)| !body.contains(i))
        .map(|(_, l)| l.to_string())
        .collect()
}

fn slot_text(text: &str, n: u32) -> String {
    let s = slots(text).unwrap();
    let body = s.iter().find(|s| s.number == n).unwrap().body.clone();
    text.lines().collect::<Vec<_>>()[body].join("\n")
}

#[test]
fn slot_08_fills_with_the_pages_captions_and_nothing_else_changes() {
    let site = site::serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lex-fridman-notes.txt");
    let url = format!("{}/v/talk1.html", site.base);
    let original = with_link(NOTES, 8, &url);
    std::fs::write(&path, &original).unwrap();
    let store = Store::open(&dir.path().join("c.db")).unwrap();
    let report = run(&store, &path, &options(dir.path().join("dl"))).expect("fill");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.filled.len(), 1);
    assert_eq!(report.filled[0].slot, 8);
    assert_eq!(report.filled[0].words, 7);
    assert!(report.written);

    let filled = std::fs::read_to_string(&path).unwrap();
    // The backup is the original, byte for byte.
    let backup = report.backup.clone().unwrap();
    assert_eq!(backup, dir.path().join("lex-fridman-notes.txt.bak"));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    // Nothing outside slot 08's body changed.
    assert_eq!(outside(&filled, 8), outside(&original, 8));
    assert_eq!(
        filled.len() - slot_text(&filled, 8).len(),
        original.len() - slot_text(&original, 8).len()
    );
    // Slot 08, in the transcript panel's layout, with the page's captions.
    let body = slot_text(&filled, 8);
    assert!(
        body.starts_with(&format!(
            "Date:\nLink: [Talk one: movement (1)]({url})\nTranscription:\n\n0:00\nhello and welcome\n0:02\n[Music] to the first talk\n"
        )),
        "{body}"
    );
    assert!(body.contains("\nSummary:\n1. "), "{body}");
    // It reads back as timed speech, and the corpus holds it.
    let read = slots(&filled).unwrap();
    let ep = read
        .iter()
        .find(|s| s.number == 8)
        .unwrap()
        .episode
        .clone()
        .unwrap();
    let segs = &ep.transcripts[0].segments;
    assert_eq!(segs.len(), 2);
    assert_eq!(
        (segs[1].start_ms, segs[1].events.as_slice()),
        (Some(2_000), &["Music".to_string()][..])
    );
    assert_eq!(
        ep.transcripts[0].text(),
        "hello and welcome to the first talk"
    );
    // The page's episode (not a YouTube video: the site names its collection).
    let fetched = store.show(&report.filled[0].episode, true).unwrap();
    assert_eq!(fetched.transcripts[0].source, "youtube-manual");
    assert_eq!(report.filled[0].source, "youtube-manual");
    assert_eq!(fetched.summaries.len(), 1, "the summary is stored too");
    // And the document is imported again: its slot 08 holds what it reads.
    let notes = store
        .show("lex-fridman-notes/8", true)
        .expect("slot 08 imported");
    assert_eq!(notes.transcripts[0].source, "notes");
    assert_eq!(
        notes.transcripts[0].text.as_deref(),
        Some("hello and welcome to the first talk")
    );
    // Slots the user filled by hand are untouched, and a second run has nothing to do.
    let again = run(&store, &path, &options(dir.path().join("dl"))).unwrap();
    assert!(again.filled.is_empty() && again.failed.is_empty() && !again.written);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), filled);
}

#[test]
fn a_dry_run_prints_the_diff_and_writes_nothing() {
    let site = site::serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let url = format!("{}/v/talk2.html", site.base);
    let original = with_link(NOTES, 8, &url);
    std::fs::write(&path, &original).unwrap();
    let store = Store::open(&dir.path().join("c.db")).unwrap();
    let mut opts = options(dir.path().join("dl"));
    opts.dry_run = true;
    // A plain page has no comments to summarize: said, and the slot still fills.
    opts.fetch.comments = Some(5);
    let report = run(&store, &path, &opts).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("no viewers' comments to summarize")),
        "{:?}",
        report.warnings
    );
    let diff = report.diff.clone().unwrap_or_else(|| panic!("{report:?}"));
    assert!(
        diff.contains(&format!(
            "-Link: {url}\n+Link: [Talk two: competition (1)]({url})\n"
        )),
        "{diff}"
    );
    assert!(
        diff.contains("+the second talk begins & goes on\n"),
        "{diff}"
    );
    // Three lines of context, as `diff -u` gives.
    assert!(diff.contains("\n \n -----\n Date:\n-Link:"), "{diff}");
    assert!(!report.written && report.backup.is_none());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    assert!(!Path::new(&format!("{}.bak", path.display())).exists());
}

#[test]
fn channel_videos_go_into_empty_slots_and_failures_leave_slots_as_they_were() {
    let site = site::serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lex-fridman-notes.txt");
    std::fs::write(&path, NOTES).unwrap();
    let store = Store::open(&dir.path().join("c.db")).unwrap();
    let mut opts = options(dir.path().join("dl"));
    // The feed lists talk2, a missing page, a page without captions, talk1.
    opts.from = Some(format!("{}/v/feed.xml", site.base));
    opts.slots = Some(7..=9);
    let report = run(&store, &path, &opts).unwrap();
    let filled: Vec<(u32, &str)> = report
        .filled
        .iter()
        .map(|f| (f.slot, f.url.as_str()))
        .collect();
    assert_eq!(
        filled,
        vec![(7, format!("{}/v/talk2.html", site.base).as_str())]
    );
    let failed: Vec<(u32, &str)> = report
        .failed
        .iter()
        .map(|f| (f.slot, f.reason.as_str()))
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert_eq!(failed[0].0, 8);
    assert!(failed[0].1.contains("404"), "{failed:?}");
    assert_eq!(failed[1].0, 9);
    assert!(failed[1].1.contains("no captions"), "{failed:?}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(outside(&text, 7), outside(NOTES, 7));
    assert!(slot_text(&text, 7).contains("\n0:00\nthe second talk begins & goes on\n"));
    // Slots 08 and 09 are as they were: empty.
    for n in [8, 9] {
        assert_eq!(slot_text(&text, n), slot_text(NOTES, n));
    }
    // --from without --slots is refused, saying what to add.
    opts.slots = None;
    let err = run(&store, &path, &opts).unwrap_err().to_string();
    assert!(err.contains("--slots"), "{err}");
}

#[test]
fn a_title_and_date_the_user_wrote_stay() {
    let site = site::serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let url = format!("{}/v/talk2.html", site.base);
    let empty = "--08--\n\n-----\nDate:\nLink:\n";
    let original = NOTES.replace(
        empty,
        &format!("--08--\n\n-----\nDate: 2020.01.02\nLink: [My own name for it]({url})\n"),
    );
    std::fs::write(&path, &original).unwrap();
    let store = Store::open(&dir.path().join("c.db")).unwrap();
    let report = run(&store, &path, &options(dir.path().join("dl"))).unwrap();
    assert_eq!(report.filled.len(), 1, "{report:?}");
    assert_eq!(
        report.filled[0].title.as_deref(),
        Some("My own name for it")
    );
    let body = slot_text(&std::fs::read_to_string(&path).unwrap(), 8);
    assert!(
        body.starts_with(&format!("Date: 2020.01.02\nLink: [My own name for it]({url})\nTranscription:\n\n0:00\nthe second talk")),
        "{body}"
    );
}

#[test]
fn a_document_that_is_not_notes_is_refused_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("c.db")).unwrap();
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, "--01--\nDate: 2016.13.45\n").unwrap();
    let err = run(&store, &path, &options(dir.path().join("dl")))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with(&format!("{}:2: ", path.display())), "{err}");
    assert!(err.contains("2016.13.45"), "{err}");
    let missing = dir.path().join("missing.txt");
    let err = run(&store, &missing, &options(dir.path().join("dl")))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.txt"), "{err}");
}
