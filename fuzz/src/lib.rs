//! What every caption reader's fuzz target checks, whatever the bytes: no
//! panic; what it reads is one episode; every warning, and a refusal, names
//! a line of the input.

use podcorpus_core::Collect;
use podcorpus_formats::{decode::decode, Context, Format, ReadError};

/// Reads `data` with `format` and checks the reader's promises.
pub fn check_caption_reader(format: Format, data: &[u8]) {
    let Ok((text, _)) = decode(data) else { return };
    let mut sink = Collect::default();
    // Lines end at LF, CRLF or a lone CR; one more for "the end".
    let lines = 1 + text.bytes().filter(|&b| b == b'\n' || b == b'\r').count() as u64;
    match format.read(&Context::default(), &text, &mut sink) {
        Ok(()) => {
            assert_eq!(sink.episodes.len(), 1);
            for w in &sink.warnings {
                assert!(
                    (1..=lines).contains(&w.line),
                    "warning at line {} of {lines}",
                    w.line
                );
            }
        }
        Err(ReadError::Parse(e)) => {
            if let Some(l) = e.line {
                assert!(
                    (1..=lines as usize).contains(&l),
                    "error at line {l} of {lines}"
                );
            }
        }
        Err(ReadError::Sink(never)) => match never {},
    }
}
