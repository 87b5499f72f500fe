//! Fuzz target: the metadata-table reader (CSV, TSV, JSONL, yt-dlp listings)
//! and the cell values it parses (dates, durations, lists) must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_core::Collect;
use podcorpus_formats::{decode::decode, values, Context, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = decode(data) {
        let mut sink = Collect::default();
        let _ = Format::Table.read(&Context::default(), &text, &mut sink);
        let ctx = Context {
            columns: vec![("title".into(), "name".into())],
            ..Context::default()
        };
        let _ = Format::Table.read(&ctx, &text, &mut sink);
        let _ = values::date(&text);
        let _ = values::duration_ms(&text);
        let _ = values::number(&text);
        let _ = values::list(&text);
        let _ = podcorpus_core::chapters::from_description(&text);
    }
});
