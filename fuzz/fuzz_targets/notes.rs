//! Fuzz target: the notes reader must never panic, whatever the bytes; each
//! slot's body lies within the document, after its marker; a timed slot's
//! segments end where the next starts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_core::Collect;
use podcorpus_formats::notes::slots;
use podcorpus_formats::{decode::decode, Context, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = decode(data) {
        let mut sink = Collect::default();
        let _ = Format::Notes.read(&Context::default(), &text, &mut sink);
        if let Ok(all) = slots(&text) {
            let lines = text.lines().count();
            for s in &all {
                assert!(s.marker < s.body.start);
                assert!(s.body.start <= s.body.end && s.body.end <= lines);
                let Some(ep) = &s.episode else { continue };
                for t in &ep.transcripts {
                    for w in t.segments.windows(2) {
                        if let (Some(a), Some(b), Some(end)) =
                            (w[0].start_ms, w[1].start_ms, w[0].end_ms)
                        {
                            assert!(b >= a && end == b);
                        }
                    }
                }
            }
        }
    }
});
