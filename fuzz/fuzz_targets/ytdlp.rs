//! Fuzz target: the yt-dlp info.json bundle reader must never panic.
//!
//! The input is an info file, optionally followed by an ASCII record
//! separator (0x1E) and a json3 subtitle file, so both halves of a bundle
//! (and the subtitle error path) get exercised. The same text, read as a
//! folder listing, also goes through `sibling_subtitles`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_core::Collect;
use podcorpus_formats::decode::decode;
use podcorpus_formats::ytdlp::{read_bundle, sibling_subtitles, SubtitleFile};
use podcorpus_formats::Format;

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = decode(data) else {
        return;
    };
    let (info, subtitle) = match text.split_once('\u{1e}') {
        Some((info, subtitle)) => (info, Some(subtitle)),
        None => (&*text, None),
    };
    let subtitles: Vec<SubtitleFile> = subtitle
        .map(|text| SubtitleFile {
            file_name: "fuzz.en.json3",
            language: "en".to_string(),
            format: Format::Json3,
            text,
        })
        .into_iter()
        .collect();
    let mut sink = Collect::default();
    let _ = read_bundle(info, &subtitles, &mut sink);

    let mut lines = text.lines();
    if let Some(info_name) = lines.next() {
        let _ = sibling_subtitles(info_name, lines);
    }
});
