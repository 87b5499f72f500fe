//! Fuzz target: the json3 reader must never panic, whatever the bytes; what
//! it reads is one episode, and every warning (and a refusal) names a line
//! of the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_core::Collect;
use podcorpus_formats::{decode::decode, Context, Format, ReadError};

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = decode(data) {
        let mut sink = Collect::default();
        // Lines end at LF, CRLF or a lone CR; one more for "the end".
        let lines = 1 + text.bytes().filter(|&b| b == b'\n' || b == b'\r').count() as u64;
        match Format::Json3.read(&Context::default(), &text, &mut sink) {
            Ok(()) => {
                assert_eq!(sink.episodes.len(), 1);
                for w in &sink.warnings {
                    assert!((1..=lines).contains(&w.line), "warning at line {} of {lines}", w.line);
                }
            }
            Err(ReadError::Parse(e)) => {
                if let Some(l) = e.line {
                    assert!((1..=lines as usize).contains(&l), "error at line {l} of {lines}");
                }
            }
            Err(ReadError::Sink(never)) => match never {},
        }
    }
});
