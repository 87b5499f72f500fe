//! The fetch options the loopback tests start from: English VTT captions,
//! no comments, no pause between videos, yt-dlp from `PATH`.

#![allow(dead_code)]

use podcorpus_fetch::args::SubtitleRequest;
use podcorpus_fetch::listing::Selection;
use podcorpus_fetch::FetchOptions;
use std::path::PathBuf;

/// Options writing into `out`, two attempts per video, no transcriber.
pub fn options(out: PathBuf) -> FetchOptions {
    FetchOptions {
        selection: Selection::default(),
        subs: SubtitleRequest {
            lang: "en".into(),
            format: "vtt".into(),
        },
        comments: None,
        out_dir: out,
        collection: None,
        sleep_secs: 0.0,
        attempts: 2,
        pass_through: Vec::new(),
        yt_dlp: None,
        transcribe_cmd: None,
        transcribe_source: "asr".into(),
        asr: Default::default(),
    }
}

/// A progress callback that shows nothing.
pub fn no_progress(_: &podcorpus_store::fetch_state::FetchItem, _: usize, _: usize) {}
