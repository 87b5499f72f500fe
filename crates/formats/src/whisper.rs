//! The transcript podcorpus's Whisper edge writes (`NAME.whisper.json`, from
//! faster-whisper through `crates/fetch/src/whisper.py`): timed segments with
//! word timings, the language found, and the recognizer's provenance.
//!
//! A file of its own rather than WebVTT, because VTT has no place for word
//! timings outside YouTube's rolling-caption markup, for the language the
//! recognizer detected, or for how it was run.

use crate::json3::{has_suffix_ignore_case, json_error, json_object_holding};
use crate::{Context, ParseError, ReadError, Reader};
use podcorpus_core::text::split_tags;
use podcorpus_core::{
    Episode, EpisodeMeta, Segment, Sink, Transcript, TranscriptMeta, Warning, WordTiming,
};
use serde::Deserialize;
use serde_json::value::RawValue;

/// The value of the document's `"format"` key.
pub const FORMAT_TAG: &str = "podcorpus-whisper";

/// The newest layout this reader knows.
const VERSION: u32 = 1;

/// What the document looks like, for error messages.
const EXPECTED: &str = "a podcorpus Whisper transcript: {\"format\": \"podcorpus-whisper\", \
     \"version\": 1, \"source\": name, \"language\": code, \"segments\": [{\"start\": s, \"end\": s, \
     \"text\": text, \"words\": [{\"start\": s, \"word\": text}]}], \"provenance\": {...}}";

/// The reader of Whisper transcripts. Each segment becomes one [`Segment`]
/// with its [`WordTiming`]s; the provenance object is kept as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Whisper;

#[derive(Deserialize)]
struct Document<'a> {
    format: String,
    version: u32,
    source: Option<String>,
    language: Option<String>,
    video_id: Option<String>,
    title: Option<String>,
    // Each segment is read on its own, so one bad segment is left out
    // rather than the whole transcript.
    #[serde(borrow)]
    segments: Vec<&'a RawValue>,
    #[serde(borrow)]
    provenance: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawSegment {
    start: f64,
    end: f64,
    text: String,
    #[serde(default)]
    words: Vec<RawWord>,
}

#[derive(Deserialize)]
struct RawWord {
    start: f64,
    word: String,
}

impl Reader for Whisper {
    fn name(&self) -> &'static str {
        "whisper"
    }

    fn sniff(&self, file_name: &str, head: &[u8]) -> bool {
        const SUFFIX: &str = ".whisper.json";
        if has_suffix_ignore_case(file_name, SUFFIX) && file_name.len() > SUFFIX.len() {
            return true;
        }
        json_object_holding(head, b"\"podcorpus-whisper\"")
    }

    fn read<S: Sink>(
        &self,
        ctx: &Context,
        text: &str,
        sink: &mut S,
    ) -> Result<(), ReadError<S::Error>> {
        let doc: Document = serde_json::from_str(text).map_err(|e| json_error(&e, EXPECTED))?;
        if doc.format != FORMAT_TAG {
            return Err(ParseError::whole(format!(
                "\"format\" is {:?}, not {FORMAT_TAG:?}; expected {EXPECTED}",
                doc.format
            ))
            .into());
        }
        if doc.version > VERSION {
            return Err(ParseError::whole(format!(
                "written in layout version {} by a newer podcorpus (this one reads up to {VERSION}); upgrade podcorpus",
                doc.version
            ))
            .into());
        }
        let mut warnings = Vec::new();
        let mut segments = Vec::with_capacity(doc.segments.len());
        for (index, raw) in doc.segments.iter().enumerate() {
            match segment(raw.get()) {
                Ok(Some(s)) => segments.push(s),
                Ok(None) => {}
                Err(why) => warnings.push(Warning::part(
                    line_of(text, raw.get()),
                    format!("segment {} left out: {why}", index + 1),
                )),
            }
        }
        if segments.is_empty() {
            let line = warnings.first().map_or(1, |w| w.line) as usize;
            let why = warnings
                .first()
                .map_or("the recognizer heard no speech".to_string(), |w| {
                    w.message.clone()
                });
            return Err(
                ParseError::at_line(line, format!("no segment could be read: {why}")).into(),
            );
        }
        let transcript = Transcript {
            meta: TranscriptMeta {
                source: doc
                    .source
                    .filter(|s| !s.trim().is_empty())
                    .or_else(|| ctx.hints.source.clone())
                    .unwrap_or_else(|| "whisper".to_string()),
                language: doc.language.filter(|l| !l.trim().is_empty()),
                // Only an object is provenance; anything else says nothing.
                provenance: doc
                    .provenance
                    .map(|p| p.get().trim())
                    .filter(|p| p.starts_with('{'))
                    .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
                    .map(|v| v.to_string()),
            },
            segments,
        };
        let episode = Episode {
            meta: EpisodeMeta {
                number: ctx.hints.number,
                video_id: doc
                    .video_id
                    .filter(|v| !v.is_empty())
                    .or_else(|| ctx.hints.video_id.clone()),
                title: doc.title.filter(|t| !t.trim().is_empty()),
                ..EpisodeMeta::default()
            },
            transcripts: vec![transcript],
            ..Episode::default()
        };
        crate::cue::emit(sink, warnings, episode)
    }
}

/// One segment; `None` for one with no speech and no events; `Err` with
/// the reason for one that cannot be used.
fn segment(raw: &str) -> Result<Option<Segment>, String> {
    let s: RawSegment = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    let start = millis(s.start).ok_or_else(|| format!("its start {} is not a time", s.start))?;
    let end = millis(s.end).ok_or_else(|| format!("its end {} is not a time", s.end))?;
    if end < start {
        return Err(format!(
            "it ends ({} s) before it starts ({} s)",
            s.end, s.start
        ));
    }
    let (text, events) = split_tags(s.text.trim());
    if text.is_empty() && events.is_empty() {
        return Ok(None);
    }
    let words = s
        .words
        .iter()
        .filter_map(|w| {
            let word = w.word.trim();
            let start_ms = millis(w.start)?;
            (!word.is_empty()).then(|| WordTiming {
                start_ms,
                word: word.to_string(),
            })
        })
        .collect();
    Ok(Some(Segment {
        start_ms: Some(start),
        end_ms: Some(end),
        text,
        events,
        words,
    }))
}

/// Seconds to milliseconds; `None` for a negative, infinite or absurd
/// time (more than a thousand years).
fn millis(seconds: f64) -> Option<u64> {
    (seconds.is_finite() && (0.0..3.2e10).contains(&seconds))
        .then(|| (seconds * 1000.0).round() as u64)
}

/// The 1-based line of `part`, a slice of `text`.
fn line_of(text: &str, part: &str) -> u64 {
    let offset = (part.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len());
    1 + memchr::memchr_iter(b'\n', text.as_bytes().get(..offset).unwrap_or_default()).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;

    /// As `whisper.py` writes it (faster-whisper 1.2.1, base, on espeak-ng speech).
    const SAMPLE: &str = r#"{
 "format": "podcorpus-whisper",
 "version": 1,
 "source": "whisper-base",
 "language": "en",
 "language_probability": 0.9871,
 "duration_s": 21.051,
 "video_id": null,
 "title": null,
 "segments": [
  {
   "start": 0.0,
   "end": 2.38,
   "text": "This episode is focused on the war in Ukraine.",
   "words": [
    {"start": 0.0, "end": 0.22, "word": " This", "p": 0.7522},
    {"start": 0.22, "end": 0.62, "word": " episode", "p": 0.9844}
   ],
   "avg_logprob": -0.21,
   "no_speech_prob": 0.01
  },
  {"start": 5.0, "end": 4.0, "text": "backwards", "words": []},
  {"start": 6.9, "end": 10.2, "text": "[Music] And it is a departure.", "words": [{"start": 6.9, "word": " And"}]}
 ],
 "provenance": {"recognizer": "faster-whisper", "faster_whisper": "1.2.1", "model": "base"}
}"#;

    fn read(ctx: &Context, text: &str) -> Result<podcorpus_core::Collect, ParseError> {
        let mut sink = podcorpus_core::Collect::default();
        match Format::Whisper.read(ctx, text, &mut sink) {
            Ok(()) => Ok(sink),
            Err(ReadError::Parse(e)) => Err(e),
            Err(ReadError::Sink(never)) => match never {},
        }
    }

    #[test]
    fn segments_words_language_and_provenance_are_read() {
        assert_eq!(
            Format::detect("talk.whisper-base.whisper.json", b"{}"),
            Some(Format::Whisper)
        );
        assert_eq!(
            Format::detect("out.json", SAMPLE.as_bytes()),
            Some(Format::Whisper)
        );
        let got = read(&Context::default(), SAMPLE).expect("reads");
        let t = &got.episodes[0].transcripts[0];
        assert_eq!(t.meta.source, "whisper-base");
        assert_eq!(t.meta.language.as_deref(), Some("en"));
        let p: serde_json::Value =
            serde_json::from_str(t.meta.provenance.as_deref().expect("provenance")).expect("json");
        assert_eq!(p["faster_whisper"], "1.2.1");
        assert_eq!(t.segments.len(), 2);
        assert_eq!(t.segments[0].start_ms, Some(0));
        assert_eq!(t.segments[0].end_ms, Some(2380));
        assert_eq!(
            t.segments[0].words,
            vec![
                WordTiming {
                    start_ms: 0,
                    word: "This".into()
                },
                WordTiming {
                    start_ms: 220,
                    word: "episode".into()
                }
            ]
        );
        assert_eq!(t.segments[1].text, "And it is a departure.");
        assert_eq!(t.segments[1].events, vec!["Music"]);
        // The backwards segment is left out, at its line.
        assert_eq!(got.warnings.len(), 1);
        assert_eq!(got.warnings[0].line, 22);
        assert!(got.warnings[0].message.contains("segment 2"));
    }

    #[test]
    fn other_json_and_empty_results_are_refused_with_reasons() {
        let not_ours = r#"{"format": "something", "version": 1, "segments": []}"#;
        let e = read(&Context::default(), not_ours).expect_err("refused");
        assert!(e.message.contains("podcorpus-whisper"), "{e}");
        let newer = r#"{"format": "podcorpus-whisper", "version": 9, "segments": []}"#;
        assert!(read(&Context::default(), newer)
            .expect_err("refused")
            .message
            .contains("newer podcorpus"));
        let silent = r#"{"format": "podcorpus-whisper", "version": 1, "segments": []}"#;
        assert!(read(&Context::default(), silent)
            .expect_err("refused")
            .message
            .contains("no speech"));
        assert!(
            read(&Context::default(), "{\"format\": \"podcorpus-whisper\"")
                .expect_err("truncated")
                .message
                .contains("not valid JSON")
        );
    }

    #[test]
    fn the_file_name_fills_in_what_the_document_leaves_out() {
        let doc = r#"{"format": "podcorpus-whisper", "version": 1,
            "segments": [{"start": 1.5, "end": 2, "text": "hello"}]}"#;
        let ctx = Context {
            hints: crate::FileHints::from_file_name("Talk [o8nZaDw_mOs].whisper.json"),
            columns: Vec::new(),
        };
        let got = read(&ctx, doc).expect("reads");
        let ep = &got.episodes[0];
        assert_eq!(ep.meta.video_id.as_deref(), Some("o8nZaDw_mOs"));
        assert_eq!(ep.transcripts[0].meta.source, "whisper");
        assert_eq!(ep.transcripts[0].meta.provenance, None);
        assert_eq!(ep.transcripts[0].segments[0].start_ms, Some(1500));
    }
}
