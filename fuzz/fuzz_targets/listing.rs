//! Fuzz target: parsing and planning a yt-dlp `--flat-playlist -J` listing
//! must never panic, whatever yt-dlp (or a site) puts in it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_fetch::listing::{parse, plan, Selection};
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(listing) = parse(text) {
            let known: HashSet<String> = ["abc".to_string()].into_iter().collect();
            let sel = Selection {
                limit: Some(2),
                no_shorts: true,
                min_duration: Some(30.0),
                since: Some("2020-01-01".into()),
                ..Default::default()
            };
            let _ = plan(
                &listing,
                "https://www.youtube.com/@x/videos",
                true,
                &sel,
                &known,
            );
            let _ = plan(
                &listing,
                "http://127.0.0.1/list.html",
                false,
                &Selection::default(),
                &HashSet::new(),
            );
        }
    }
});
