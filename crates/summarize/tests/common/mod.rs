//! Helpers shared by the integration tests: the bundled notes document in
//! an in-memory store, and reading back what was stored.

#![allow(dead_code)]

use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_store::query::{TranscriptFilter, TranscriptRef};
use podcorpus_store::summaries::NewSummary;
use podcorpus_store::Store;

/// A store with the bundled notes document imported.
pub fn notes_store() -> Store {
    let notes = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/lex-fridman-notes.txt"
    );
    let store = Store::open_in_memory().expect("store");
    let options = ImportOptions::default();
    let (jobs, _) = discover(&[notes.into()], &options).expect("discover");
    podcorpus_ingest::import(&store, &jobs, &options, &|_| {}).expect("import");
    store
}

/// A store with the yt-dlp fixture of a video with 12 real-format comments
/// (5 replies, the uploader's pinned one, one spam) imported; its name.
pub fn comments_store() -> (Store, String) {
    let info = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json"
    );
    let store = Store::open_in_memory().expect("store");
    let options = ImportOptions::default();
    let (jobs, _) = discover(&[info.into()], &options).expect("discover");
    podcorpus_ingest::import(&store, &jobs, &options, &|_| {}).expect("import");
    let name = store
        .resolve("o8nZaDw_mOs")
        .expect("the video")
        .name()
        .to_string();
    (store, name)
}

/// The best transcript of a named episode.
pub fn transcript(store: &Store, name: &str) -> TranscriptRef {
    let id = store.resolve(name).expect("episode").id;
    let filter = TranscriptFilter {
        episode_id: Some(id),
        ..Default::default()
    };
    store.transcripts(&filter).expect("transcripts").remove(0)
}

/// The stored summaries of one kind of an episode.
pub fn stored(store: &Store, episode_id: i64, kind: &str) -> Vec<NewSummary> {
    store
        .summaries(episode_id, Some(kind))
        .expect("read")
        .into_iter()
        .map(|s| s.summary)
        .collect()
}
