//! Helpers for the readers' own tests: read one subtitle file into its
//! single episode and transcript, and look at segment texts and times.

use crate::{Context, Format, ParseError, ReadError};
use podcorpus_core::{Collect, Dropped, Episode, Transcript, Warning};

/// Reads a single-transcript file into its one episode.
pub fn read_with(format: Format, ctx: &Context, text: &str) -> Result<Episode, ParseError> {
    read_warned_with(format, ctx, text).map(|(ep, _)| ep)
}

/// Reads a single-transcript file into its transcript and the warnings
/// (line, message) of what was left out.
pub fn read_warned(
    format: Format,
    text: &str,
) -> Result<(Transcript, Vec<(u64, String)>), ParseError> {
    let (mut ep, warnings) = read_warned_with(format, &Context::default(), text)?;
    assert_eq!(ep.transcripts.len(), 1, "one transcript per file");
    let warnings = warnings.into_iter().map(|w| (w.line, w.message)).collect();
    Ok((ep.transcripts.remove(0), warnings))
}

fn read_warned_with(
    format: Format,
    ctx: &Context,
    text: &str,
) -> Result<(Episode, Vec<Warning>), ParseError> {
    let mut sink = Collect::default();
    match format.read(ctx, text, &mut sink) {
        Ok(()) => {}
        Err(ReadError::Parse(e)) => return Err(e),
        Err(ReadError::Sink(never)) => match never {},
    }
    assert_eq!(sink.episodes.len(), 1, "one episode per file");
    assert!(
        sink.warnings.iter().all(|w| w.dropped == Dropped::Part),
        "a subtitle file leaves out parts, never its episode"
    );
    Ok((sink.episodes.remove(0), sink.warnings))
}

/// Reads a single-transcript file into its transcript.
pub fn read(format: Format, text: &str) -> Result<Transcript, ParseError> {
    read_warned(format, text).map(|(t, _)| t)
}

/// The segment texts.
pub fn texts(t: &Transcript) -> Vec<&str> {
    t.segments.iter().map(|s| s.text.as_str()).collect()
}

/// The segment (start, end) times; every segment must be timed.
pub fn times(t: &Transcript) -> Vec<(u64, u64)> {
    t.segments
        .iter()
        .map(|s| (s.start_ms.expect("timed"), s.end_ms.expect("timed")))
        .collect()
}
