//! Fuzz target: the srt reader must never panic, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_core::Collect;
use podcorpus_formats::{decode::decode, Context, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = decode(data) {
        let mut sink = Collect::default();
        let _ = Format::Srt.read(&Context::default(), &text, &mut sink);
    }
});
