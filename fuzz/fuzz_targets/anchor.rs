//! Fuzz target: an `EPISODE@TIME` anchor (`podcorpus similar`) must parse or
//! be refused with its message, never panic or overflow, and a parsed one
//! must name a non-empty episode.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_core::link::Anchor;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match Anchor::parse(text) {
            Ok(a) => assert!(!a.episode.is_empty()),
            Err(e) => assert!(e.to_string().contains("EPISODE@TIME")),
        }
    }
});
