//! The real yt-dlp (from PyPI) against pages served on 127.0.0.1 by this
//! test: HTML5 `<video>` pages with `<track>` captions, which yt-dlp's
//! generic extractor understands, and an RSS feed listing them. Exercises the
//! real process, its real output files and the import, including a 404
//! video, a page without captions, and a run the site stops that resumes.

use podcorpus_fetch::{fetch, resume, FetchOptions};
use podcorpus_store::query::ListFilter;
use podcorpus_store::Store;
use std::sync::atomic::Ordering;

#[path = "support/options.rs"]
mod options;
#[path = "support/site.rs"]
mod site;
use options::{no_progress, options};
use site::serve;

#[test]
fn one_page_with_captions_lands_in_the_corpus() {
    let site = serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let url = format!("{}/v/talk1.html", site.base);
    let report = fetch(&store, &url, &options(dir.path().join("dl")), &no_progress).expect("fetch");
    assert_eq!(
        (report.listed, report.fetched, report.failed.len()),
        (1, 1, 0),
        "{report:?}"
    );
    let rows = store.list(&ListFilter::default()).expect("list");
    assert_eq!(rows.len(), 1);
    // yt-dlp's generic extractor numbers the page's media: "(1)" is its own.
    assert_eq!(rows[0].title.as_deref(), Some("Talk one: movement (1)"));
    // No channel on a plain page: the site names the collection.
    assert_eq!(rows[0].collection, site.base.trim_start_matches("http://"));
    assert_eq!(rows[0].sources, vec!["youtube-manual"]);
    let d = store
        .show(&format!("{}/{}", rows[0].collection, rows[0].number), true)
        .expect("show");
    assert_eq!(
        d.transcripts[0].text.as_deref(),
        Some("hello and welcome to the first talk")
    );
    assert_eq!(d.transcripts[0].language.as_deref(), Some("en"));
    // yt-dlp's own files stay on disk, importable again.
    assert!(
        std::fs::read_dir(dir.path().join("dl"))
            .expect("dl")
            .count()
            >= 2
    );
    // Fetching again skips what is there.
    let again = fetch(&store, &url, &options(dir.path().join("dl")), &no_progress).expect("fetch");
    assert_eq!((again.fetched, again.skipped), (0, 1));
}

#[test]
fn a_feed_with_a_404_and_a_captionless_page_goes_on_and_resumes() {
    let site = serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let url = format!("{}/v/feed.xml", site.base);
    // The site refuses talk1 (HTTP 429): the run stops there and keeps it pending.
    site.refuse.store(true, Ordering::SeqCst);
    let opts = FetchOptions {
        collection: Some("talks".into()),
        ..options(dir.path().join("dl"))
    };
    let report = fetch(&store, &url, &opts, &no_progress).expect("fetch");
    assert_eq!(report.listed, 4);
    assert_eq!(report.fetched, 1, "{report:?}");
    assert_eq!(report.no_captions, 1);
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].reason.contains("404"),
        "{:?}",
        report.failed
    );
    assert_eq!(report.pending, 1);
    assert!(
        report
            .stopped
            .as_deref()
            .is_some_and(|s| s.contains("--resume")),
        "{report:?}"
    );
    // The site lets us in again: --resume finishes the same run.
    site.refuse.store(false, Ordering::SeqCst);
    let resumed = resume(&store, None, &no_progress).expect("resume");
    assert_eq!(resumed.run, report.run);
    assert_eq!(
        (resumed.fetched, resumed.pending, resumed.failed.len()),
        (2, 0, 1)
    );
    let rows = store
        .list(&ListFilter {
            collection: Some("talks".into()),
        })
        .expect("list");
    let titles: Vec<(i64, &str, usize)> = rows
        .iter()
        .map(|r| (r.number, r.title.as_deref().unwrap_or(""), r.sources.len()))
        .collect();
    // Numbers follow the feed's order; the missing video has no episode.
    assert_eq!(
        titles,
        vec![
            (1, "Talk two: competition (1)", 1),
            (3, "No captions here (1)", 0),
            (4, "Talk one: movement (1)", 1)
        ]
    );
    let two = store.show("talks/1", true).expect("show");
    assert_eq!(
        two.transcripts[0].text.as_deref(),
        Some("the second talk begins & goes on")
    );
    assert!(matches!(
        resume(&store, None, &no_progress),
        Err(podcorpus_fetch::FetchError::NothingToResume)
    ));
}

#[test]
fn an_address_that_does_not_exist_is_a_clear_error() {
    let site = serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let err = fetch(
        &store,
        &format!("{}/v/nothing.html", site.base),
        &options(dir.path().join("dl")),
        &no_progress,
    )
    .expect_err("404");
    let msg = err.to_string();
    assert!(msg.contains("cannot list") && msg.contains("404"), "{msg}");
}

#[test]
fn a_captionless_video_is_transcribed_by_the_users_recognizer() {
    let site = serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    // The recognizer is any program that turns {audio} into {out}.vtt; this
    // one checks it got the downloaded media and writes a one-cue transcript.
    let cmd = "test -s {audio} && printf 'WEBVTT\\n\\n00:00.000 --> 00:01.500\\n recognised speech\\n' > {out}.vtt";
    let opts = FetchOptions {
        transcribe_cmd: Some(cmd.into()),
        transcribe_source: "whisper-tiny".into(),
        collection: Some("talks".into()),
        ..options(dir.path().join("dl"))
    };
    let report = fetch(
        &store,
        &format!("{}/v/nocap.html", site.base),
        &opts,
        &no_progress,
    )
    .expect("fetch");
    assert_eq!((report.fetched, report.no_captions), (1, 0), "{report:?}");
    let d = store.show("talks/1", true).expect("show");
    assert_eq!(d.transcripts.len(), 1);
    assert_eq!(d.transcripts[0].source, "whisper-tiny");
    assert_eq!(d.transcripts[0].text.as_deref(), Some("recognised speech"));
    assert_eq!(
        store.list(&ListFilter::default()).expect("list").len(),
        1,
        "no second episode"
    );
    // A recognizer that fails leaves the video recorded as without captions, with the reason.
    let store2 = Store::open(&dir.path().join("d.db")).expect("open");
    let opts = FetchOptions {
        transcribe_cmd: Some("exit 3".into()),
        ..opts
    };
    let report = fetch(
        &store2,
        &format!("{}/v/nocap.html", site.base),
        &opts,
        &no_progress,
    )
    .expect("fetch");
    assert_eq!(report.no_captions, 1);
    let items = store2.fetch_items(report.run).expect("items");
    assert!(
        items[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("exited with")),
        "{items:?}"
    );
}

#[test]
fn fetching_a_video_already_in_the_notes_adds_to_that_episode() {
    let site = serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    // The user's layout: slot 01 links the loopback page, slot 02 a YouTube video.
    let page = format!("{}/v/talk1.html", site.base);
    let notes = format!(
        "My notes\n\n-----\n--02--\n\n-----\nDate: 2014.05.08\nLink: [Ido Portal: Movement](https://www.youtube.com/watch?v=o8nZaDw_mOs)\nTranscription:\n\nwe choose to go to the moon\n\n----------\n\n-----\n--01--\n\n-----\nDate: 2020.01.02\nLink: [Talk one: movement]({page})\nTranscription:\n\nhello and welcome to the first talk as I pasted it\n\n----------\n"
    );
    let notes_path = dir.path().join("notes.txt");
    std::fs::write(&notes_path, notes).expect("write");
    let (jobs, _) =
        podcorpus_ingest::discover(&[notes_path], &Default::default()).expect("discover");
    let report =
        podcorpus_ingest::import(&store, &jobs, &Default::default(), &|_| {}).expect("import");
    assert_eq!((report.created, report.failed.len()), (2, 0), "{report:?}");
    let report =
        fetch(&store, &page, &options(dir.path().join("dl")), &no_progress).expect("fetch");
    assert_eq!((report.fetched, report.skipped), (1, 0), "{report:?}");
    let rows = store.list(&ListFilter::default()).expect("list");
    assert_eq!(rows.len(), 2, "no second copy of the video: {rows:?}");
    let slot = store.resolve("notes/1").expect("slot 1");
    assert_eq!(slot.sources, vec!["youtube-manual", "notes"]);
    assert_eq!(slot.video_id.as_deref(), Some("talk1-1"));
    let names: Vec<String> = slot.collections.iter().map(|n| n.to_string()).collect();
    let site_name = site.base.trim_start_matches("http://").to_string();
    assert_eq!(names, vec![format!("{site_name}/1"), "notes/1".to_string()]);
    // The fetched video is now named by its id too, and fetching it again skips it.
    assert_eq!(store.resolve("talk1-1").expect("by id").id, slot.id);
    let again = fetch(&store, &page, &options(dir.path().join("dl")), &no_progress).expect("fetch");
    assert_eq!((again.fetched, again.skipped), (0, 1));
}
