//! YouTube's json3 timed text (`fmt=json3`, yt-dlp `--sub-format json3`): the
//! caption format the YouTube player itself fetches, the only one that carries
//! automatic captions' word timings without WebVTT's rolling duplicates.

use crate::cue::nothing_usable;
use crate::{Context, ParseError, ReadError, Reader};
use podcorpus_core::text::{decode_entities, split_tags};
use podcorpus_core::{
    Episode, EpisodeMeta, Segment, Sink, Transcript, TranscriptMeta, Warning, WordTiming,
};
use serde::Deserialize;
use serde_json::value::RawValue;

/// Source name when the file name gives none.
const DEFAULT_SOURCE: &str = "youtube-json3";

/// How much of a file's head sniffing looks through for a JSON reader's key.
const SNIFF_WINDOW: usize = 4096;

/// What a json3 document looks like, for error messages.
const EXPECTED: &str = "YouTube json3 timed text: an object whose \"events\" list holds \
     {\"tStartMs\": ms, \"dDurationMs\": ms, \"segs\": [{\"utf8\": text, \"tOffsetMs\": ms}]}";

/// The json3 reader. Each event with text becomes one [`Segment`]; automatic
/// captions' one-word `segs` become [`WordTiming`]s.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json3;

/// The document. Only `events` matters: `pens`, `wsWinStyles` and
/// `wpWinPositions` style the on-screen box.
#[derive(Deserialize)]
struct Document<'a> {
    // YouTube answers `{"wireMagic":"pb3"}` with no events for an empty track.
    // Each event is read on its own, so one malformed event is left out
    // rather than the whole track.
    #[serde(borrow)]
    events: Option<Vec<&'a RawValue>>,
}

/// One event: a window definition (no `segs`), a caption line, or an
/// `aAppend` that only breaks the rolling box's line.
#[derive(Deserialize)]
struct Event {
    #[serde(rename = "tStartMs")]
    start_ms: Option<u64>,
    #[serde(rename = "dDurationMs")]
    duration_ms: Option<u64>,
    segs: Option<Vec<Seg>>,
}

/// A run of text: one word in automatic captions, a whole line (or a styled
/// part of one) in uploaded captions.
#[derive(Deserialize)]
struct Seg {
    utf8: Option<String>,
    #[serde(rename = "tOffsetMs")]
    offset_ms: Option<u64>,
}

impl Reader for Json3 {
    fn name(&self) -> &'static str {
        "json3"
    }

    fn sniff(&self, file_name: &str, head: &[u8]) -> bool {
        if has_suffix_ignore_case(file_name, ".json3") {
            return true;
        }
        // An info.json is JSON too; it is read as a bundle, never alone.
        if crate::ytdlp::is_info_json(file_name) {
            return false;
        }
        json_object_holding(head, b"\"events\"")
    }

    fn read<S: Sink>(
        &self,
        ctx: &Context,
        text: &str,
        sink: &mut S,
    ) -> Result<(), ReadError<S::Error>> {
        let mut warnings = Vec::new();
        let segments = segments(text, &mut warnings)?;
        let hints = &ctx.hints;
        let transcript = Transcript {
            meta: TranscriptMeta {
                source: hints
                    .source
                    .clone()
                    .unwrap_or_else(|| DEFAULT_SOURCE.to_string()),
                language: hints.language.clone(),
                provenance: None,
            },
            segments,
        };
        let episode = Episode {
            meta: EpisodeMeta {
                number: hints.number,
                video_id: hints.video_id.clone(),
                ..EpisodeMeta::default()
            },
            transcripts: vec![transcript],
            ..Episode::default()
        };
        crate::cue::emit(sink, warnings, episode)
    }
}

/// The segments of a json3 document, in event order. An event that is not
/// a json3 event (a wrong type, times that overflow) is left out with a
/// warning at its line; a document that is not JSON, or whose every caption
/// event was left out, is refused.
fn segments(text: &str, warnings: &mut Vec<Warning>) -> Result<Vec<Segment>, ParseError> {
    let doc: Document = serde_json::from_str(text).map_err(|e| json_error(&e, EXPECTED))?;
    let mut out = Vec::new();
    for (index, raw) in doc.events.unwrap_or_default().into_iter().enumerate() {
        match segment(raw.get()) {
            Ok(Some(segment)) => out.push(segment),
            Ok(None) => {}
            Err(why) => {
                let (line, detail) = match &why {
                    Malformed::Json(e) => (
                        line_of(text, raw.get()) + e.line().saturating_sub(1) as u64,
                        json_detail(e),
                    ),
                    Malformed::Overflow => (
                        line_of(text, raw.get()),
                        "its times add up past what milliseconds can count".to_string(),
                    ),
                };
                warnings.push(Warning::part(
                    line,
                    format!("event {} left out: {detail}", index + 1),
                ));
            }
        }
    }
    nothing_usable(out.is_empty(), warnings, "caption")?;
    Ok(out)
}

/// Why one event was left out.
enum Malformed {
    Json(serde_json::Error),
    Overflow,
}

/// The segment of one event; `None` for an event that says nothing (a
/// window definition, the rolling box's `aAppend` line breaks).
fn segment(raw: &str) -> Result<Option<Segment>, Malformed> {
    let event: Event = serde_json::from_str(raw).map_err(Malformed::Json)?;
    let Some(segs) = event.segs else {
        return Ok(None); // a window definition
    };
    let raw: String = segs.iter().filter_map(|s| s.utf8.as_deref()).collect();
    // JSON has already unescaped the text, but captions uploaded as SRT or
    // TTML can still carry HTML references (`&amp;`, `&#39;`).
    let (text, events) = split_tags(&decode_entities(&raw));
    // The rolling box's `aAppend` "\n" events (and any other blank event)
    // move lines up; nothing is said.
    if text.is_empty() && events.is_empty() {
        return Ok(None);
    }
    let end_ms = match (event.start_ms, event.duration_ms) {
        (Some(start), Some(duration)) => {
            Some(start.checked_add(duration).ok_or(Malformed::Overflow)?)
        }
        _ => None,
    };
    let words = match event.start_ms {
        Some(start) => word_timings(start, &segs).ok_or(Malformed::Overflow)?,
        None => Vec::new(),
    };
    Ok(Some(Segment {
        start_ms: event.start_ms,
        end_ms,
        text,
        events,
        words,
    }))
}

/// The 1-based line of `text` on which `part`, a slice of it, starts.
fn line_of(text: &str, part: &str) -> u64 {
    let offset = (part.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len());
    1 + memchr::memchr_iter(b'\n', text.as_bytes().get(..offset).unwrap_or_default()).count() as u64
}

/// The word timings of an event starting at `start`: one per seg when every
/// seg with speech holds exactly one word, as automatic captions' do. An
/// uploaded caption's seg holds a whole line, or a styled part of one, and is
/// timed only by its event, so such an event gives none rather than wrong
/// ones. `None` when a time overflows.
fn word_timings(start: u64, segs: &[Seg]) -> Option<Vec<WordTiming>> {
    let mut words = Vec::new();
    for seg in segs {
        let (word, _) = split_tags(&decode_entities(seg.utf8.as_deref().unwrap_or("")));
        if word.is_empty() {
            continue; // a tag or a line break
        }
        if word.contains(' ') {
            return Some(Vec::new());
        }
        let start_ms = start.checked_add(seg.offset_ms.unwrap_or(0))?;
        words.push(WordTiming { start_ms, word });
    }
    Some(words)
}

/// Whether a file's head is a JSON object (after any BOM) that names `key`
/// (quoted) within its first [`SNIFF_WINDOW`] bytes: how the JSON readers
/// know their documents by content.
pub(crate) fn json_object_holding(head: &[u8], key: &[u8]) -> bool {
    let head = &head[..head.len().min(SNIFF_WINDOW)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    first == Some(&b'{') && memchr::memmem::find(head, key).is_some()
}

/// Whether `name` ends with `suffix`, ASCII case ignored.
pub(crate) fn has_suffix_ignore_case(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// What a serde_json error says, without the position it appends (which
/// goes in a [`ParseError`]'s line instead).
fn json_detail(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match full.strip_suffix(&position) {
        Some(detail) => detail.to_string(),
        None => full,
    }
}

/// Turns a serde_json error into a [`ParseError`] at its line, naming the
/// column (JSON files are often one long line) and what the input should be.
pub(crate) fn json_error(err: &serde_json::Error, expected: &str) -> ParseError {
    let detail = json_detail(err);
    let what = match err.classify() {
        serde_json::error::Category::Data => "unexpected content",
        _ => "not valid JSON",
    };
    if err.line() == 0 {
        return ParseError::whole(format!("{what}: {detail}; expected {expected}"));
    }
    ParseError::at_line(
        err.line(),
        format!(
            "{what} at column {}: {detail}; expected {expected}",
            err.column()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileHints;
    use podcorpus_core::Collect;

    const AUTO: &str = include_str!("../tests/fixtures/json3/o8nZaDw_mOs.en.json3");
    const MANUAL: &str = include_str!("../tests/fixtures/json3/manual.en.json3");

    fn read(ctx: &Context, text: &str) -> Result<Episode, ParseError> {
        let mut sink = Collect::default();
        match Json3.read(ctx, text, &mut sink) {
            Ok(()) => {}
            Err(ReadError::Parse(e)) => return Err(e),
            Err(ReadError::Sink(never)) => match never {},
        }
        assert_eq!(sink.episodes.len(), 1, "one episode per document");
        Ok(sink.episodes.remove(0))
    }

    fn auto_segments() -> Vec<Segment> {
        let mut ep = read(&Context::default(), AUTO).unwrap();
        assert_eq!(ep.transcripts.len(), 1);
        ep.transcripts.remove(0).segments
    }

    #[test]
    fn auto_captions_give_one_segment_per_line() {
        let segs = auto_segments();
        // 17 events: 1 window, 8 lines (2 of them [Music]), 7 "\n" appends
        assert_eq!(segs.len(), 8);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "",
                "so today we're going to talk about",
                "movement and what it means to practice",
                "it every day not as a sport but as",
                "a way of living in your body",
                "the first thing is to look at how you",
                "walk how you sit how you get up off the floor",
                "",
            ]
        );
        assert_eq!((segs[1].start_ms, segs[1].end_ms), (Some(4080), Some(9720)));
        let last_speech = &segs[6];
        assert_eq!(last_speech.start_ms, Some(20300));
        assert_eq!(last_speech.end_ms, Some(27700));
    }

    #[test]
    fn word_timings_come_from_seg_offsets() {
        let segs = auto_segments();
        let words: Vec<(u64, &str)> = segs[1]
            .words
            .iter()
            .map(|w| (w.start_ms, w.word.as_str()))
            .collect();
        // the first seg has no tOffsetMs: it starts with the event
        assert_eq!(
            words,
            [
                (4080, "so"),
                (4320, "today"),
                (4560, "we're"),
                (4720, "going"),
                (4880, "to"),
                (5039, "talk"),
                (5280, "about"),
            ]
        );
        assert_eq!(segs[6].words.len(), 11);
        assert_eq!(segs[6].words[10].start_ms, 22700);
        assert_eq!(segs[6].words[10].word, "floor");
    }

    #[test]
    fn append_newlines_are_not_speech() {
        let segs = auto_segments();
        // the "\n" appends start 10 ms before each following line
        for append_start in [4070, 6550, 9710, 13170, 17010, 20290, 24490] {
            assert!(
                segs.iter().all(|s| s.start_ms != Some(append_start)),
                "the append at {append_start} became a segment"
            );
        }
        assert!(segs
            .iter()
            .all(|s| !s.text.is_empty() || !s.events.is_empty()));
    }

    #[test]
    fn music_tags_become_events() {
        let segs = auto_segments();
        assert_eq!(segs[0].events, ["Music"]);
        assert_eq!(segs[0].text, "");
        assert!(segs[0].words.is_empty(), "a tag is not a word");
        assert_eq!((segs[0].start_ms, segs[0].end_ms), (Some(0), Some(6560)));
        assert_eq!(segs[7].events, ["Music"]);
        assert_eq!(
            (segs[7].start_ms, segs[7].end_ms),
            (Some(24500), Some(27700))
        );
        assert!(segs[1..7].iter().all(|s| s.events.is_empty()));
    }

    #[test]
    fn manual_lines_join_their_newlines_and_styled_parts() {
        let ep = read(&Context::default(), MANUAL).unwrap();
        let segs = &ep.transcripts[0].segments;
        assert_eq!(segs.len(), 6);
        assert_eq!(
            segs[0].text,
            "Movement is the big picture, not one discipline."
        );
        assert_eq!((segs[0].start_ms, segs[0].end_ms), (Some(1400), Some(4520)));
        assert_eq!(segs[2].text, "");
        assert_eq!(segs[2].events, ["Applause"]);
        assert_eq!(segs[3].text, "The floor is the first teacher.");
        assert_eq!(segs[5].text, "Thanks for watching.");
        assert_eq!(segs[5].events, ["Music"]);
        assert_eq!(
            (segs[5].start_ms, segs[5].end_ms),
            (Some(15000), Some(19100))
        );
        // whole lines and styled parts have no per-word times; a one-word
        // line is its own word
        assert!(segs[0].words.is_empty());
        assert!(segs[3].words.is_empty(), "not even its one-word \".\" part");
        assert_eq!(
            segs[4].words,
            [WordTiming {
                start_ms: 12750,
                word: "Yes.".to_string()
            }]
        );
    }

    #[test]
    fn hints_name_the_episode_and_transcript() {
        let ep = read(&Context::default(), MANUAL).unwrap();
        assert_eq!(ep.transcripts[0].meta.source, "youtube-json3");
        assert_eq!(ep.transcripts[0].meta.language, None);
        assert_eq!(ep.meta.video_id, None);

        let hints = FileHints::from_file_name("Ido Portal： Movement [o8nZaDw_mOs].en.json3");
        let ep = read(
            &Context {
                hints,
                ..Default::default()
            },
            AUTO,
        )
        .unwrap();
        assert_eq!(ep.meta.video_id.as_deref(), Some("o8nZaDw_mOs"));
        assert_eq!(ep.transcripts[0].meta.language.as_deref(), Some("en"));
        assert_eq!(ep.transcripts[0].meta.source, "youtube-json3");

        let hints = FileHints {
            number: Some(7),
            source: Some("youtube-auto".to_string()),
            ..FileHints::default()
        };
        let ep = read(
            &Context {
                hints,
                ..Default::default()
            },
            AUTO,
        )
        .unwrap();
        assert_eq!(ep.meta.number, Some(7));
        assert_eq!(ep.transcripts[0].meta.source, "youtube-auto");
    }

    #[test]
    fn empty_tracks_and_odd_events_are_tolerated() {
        // what YouTube sends for a track with no captions
        let ep = read(&Context::default(), r#"{"wireMagic":"pb3"}"#).unwrap();
        assert!(ep.transcripts[0].segments.is_empty());
        let ep = read(
            &Context::default(),
            r#"{"events":[{"tStartMs":5},{"segs":null},{"segs":[{"utf8":"no time"}]},
               {"tStartMs":9,"segs":[{"utf8":"no duration","tOffsetMs":null}],"extra":[1]}]}"#,
        )
        .unwrap();
        let segs = &ep.transcripts[0].segments;
        assert_eq!(segs.len(), 2);
        assert_eq!((segs[0].start_ms, segs[0].end_ms), (None, None));
        assert!(segs[0].words.is_empty(), "no start, no word times");
        assert_eq!((segs[1].start_ms, segs[1].end_ms), (Some(9), None));
        assert_eq!(segs[1].text, "no duration");
    }

    #[test]
    fn malformed_json_names_its_line() {
        // a comma lost after the first event's "dDurationMs" on line 3
        let text = "{\n  \"events\": [ {\n    \"tStartMs\": 0,\n    \"dDurationMs\": 100\n    \"segs\": [ ]\n  } ]\n}";
        let err = read(&Context::default(), text).unwrap_err();
        assert_eq!(err.line, Some(5));
        assert!(
            err.message.starts_with("not valid JSON at column 5"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("expected YouTube json3"),
            "{}",
            err.message
        );

        let truncated = &AUTO[..AUTO.len() / 2];
        let err = read(&Context::default(), truncated).unwrap_err();
        assert_eq!(err.line, Some(truncated.lines().count()));
    }

    type Warned = (Vec<Segment>, Vec<(u64, String)>);

    fn read_warned(text: &str) -> Result<Warned, ParseError> {
        crate::test_support::read_warned(crate::Format::Json3, text).map(|(t, w)| (t.segments, w))
    }

    #[test]
    fn a_malformed_event_is_left_out_with_its_line() {
        let text = AUTO.replacen("\"tStartMs\": 4080", "\"tStartMs\": \"4080\"", 1);
        let line = 1 + text[..text.find("\"4080\"").unwrap()].matches('\n').count() as u64;
        let (segs, w) = read_warned(&text).unwrap();
        assert_eq!(segs.len(), auto_segments().len() - 1);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, line);
        assert!(
            w[0].1
                .starts_with("event 4 left out: invalid type: string \"4080\", expected u64"),
            "{}",
            w[0].1
        );
        // The other events are read as before.
        let kept: Vec<_> = auto_segments()
            .into_iter()
            .filter(|s| s.start_ms != Some(4080))
            .collect();
        assert_eq!(segs, kept);
    }

    #[test]
    fn a_document_that_is_not_json3_is_refused() {
        let err = read(&Context::default(), "\"captions\"").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(
            err.message.contains("expected struct Document"),
            "{}",
            err.message
        );
        let err = read(&Context::default(), "[1, 2]").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(
            err.message.contains("expected YouTube json3"),
            "{}",
            err.message
        );
        // Every event malformed: nothing usable.
        let err = read(
            &Context::default(),
            "{\"events\": [\n{\"tStartMs\": \"x\", \"segs\": []},\n 7]}",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message
                .starts_with("no caption could be read: event 1 left out"),
            "{}",
            err.message
        );
    }

    #[test]
    fn times_past_u64_lose_their_event_not_the_file() {
        let text = "{\"events\":[{\"tStartMs\":1,\"dDurationMs\":1,\"segs\":[{\"utf8\":\"kept\"}]},\n{\"tStartMs\":18446744073709551615,\"dDurationMs\":1,\"segs\":[{\"utf8\":\"x\"}]},\n{\"tStartMs\":18446744073709551615,\"segs\":[{\"utf8\":\"x\",\"tOffsetMs\":2}]}]}";
        let (segs, w) = read_warned(text).unwrap();
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].text, "kept");
        let got: Vec<u64> = w.iter().map(|(l, _)| *l).collect();
        assert_eq!(got, vec![2, 3]);
        assert!(
            w[0].1.starts_with("event 2 left out: its times add up"),
            "{}",
            w[0].1
        );
        let text = r#"{"events":[{"tStartMs":18446744073709551615,"dDurationMs":1,"segs":[{"utf8":"x"}]}]}"#;
        let err = read(&Context::default(), text).unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("event 1 left out"), "{}", err.message);
    }

    #[test]
    fn sniffs_by_name_or_by_head() {
        assert!(Json3.sniff("o8nZaDw_mOs.en.json3", b""));
        assert!(Json3.sniff("X.EN.JSON3", b""));
        assert!(Json3.sniff("captions.json", AUTO.as_bytes()));
        assert!(Json3.sniff("captions.json", b"\xEF\xBB\xBF \n{\"events\": []}"));
        assert!(!Json3.sniff("captions.json", b"WEBVTT\n\n\"events\""));
        assert!(!Json3.sniff("captions.json", b"[{\"events\": 1}]"));
        // "events" past the first 4 KiB does not count
        let late = format!("{{\"x\": \"{}\", \"events\": []}}", "a".repeat(5000));
        assert!(!Json3.sniff("captions.json", late.as_bytes()));
        // an info.json is read as a bundle, even if it mentions "events"
        assert!(!Json3.sniff("o8nZaDw_mOs.info.json", b"{\"id\": \"x\", \"events\": []}"));
        assert_eq!(
            crate::Format::detect("o8nZaDw_mOs.en.json3", AUTO.as_bytes()),
            Some(crate::Format::Json3)
        );
    }
}
