//! SubRip (`.srt`) subtitles: numbered cues, `HH:MM:SS,mmm` timings,
//! multi-line text with `<i>`/`<b>`/`<font>` markup.
//!
//! SRT has no formal grammar and real files bend the little it has, so the
//! reader tolerates what players tolerate (missing cue numbers, extra or
//! missing blank lines, whitespace-only "blank" lines, CRLF, BOM, `.` instead
//! of `,`) and reports, with its line, anything it cannot place.

use crate::cue::{
    clean_lines, has_extension, looks_like_timing, parse_timing, show, single_episode, Lines,
    Markup,
};
use crate::{timestamp, Context, ParseError, ReadError, Reader};
use podcorpus_core::{Segment, Sink, Transcript, TranscriptMeta};

/// The SRT reader. Each file is one episode with one transcript, whose
/// source is the file-name hint when there is one, else `srt`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Srt;

/// What a timing line looks like, for error messages.
const SRT_TIMING_EXAMPLE: &str = "\"00:00:01,000 --> 00:00:04,000\"";

impl Reader for Srt {
    fn name(&self) -> &'static str {
        "srt"
    }

    fn sniff(&self, file_name: &str, head: &[u8]) -> bool {
        has_extension(file_name, "srt") || head_looks_like_srt(head)
    }

    fn read<S: Sink>(
        &self,
        ctx: &Context,
        text: &str,
        sink: &mut S,
    ) -> Result<(), ReadError<S::Error>> {
        let transcript = parse(ctx, text)?;
        sink.episode(single_episode(ctx, transcript))
            .map_err(ReadError::Sink)
    }
}

/// Whether the first bytes are a cue number line followed by a line that
/// starts with a time and an arrow (`1` / `00:00:00,000 --> `).
fn head_looks_like_srt(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut lines = head
        .split(|&b| b == b'\n' || b == b'\r')
        .map(<[u8]>::trim_ascii)
        // Splitting at both `\r` and `\n` leaves empty pieces inside CRLF.
        .filter(|l| !l.is_empty());
    let (Some(number), Some(timing)) = (lines.next(), lines.next()) else {
        return false;
    };
    if !is_cue_number(number) {
        return false;
    }
    let Some(arrow) = timing.windows(3).position(|w| w == b"-->") else {
        return false;
    };
    timing
        .get(..arrow)
        .and_then(|t| std::str::from_utf8(t).ok())
        .and_then(timestamp::parse_ms)
        .is_some()
}

/// A cue number: one to ten ASCII digits.
fn is_cue_number(s: &[u8]) -> bool {
    (1..=10).contains(&s.len()) && s.iter().all(u8::is_ascii_digit)
}

/// Parses a whole SRT document into its transcript.
fn parse(ctx: &Context, text: &str) -> Result<Transcript, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::at_line(
            1,
            format!(
                "the file is empty; an SRT file holds numbered cues: \"1\", a timing like {SRT_TIMING_EXAMPLE}, then the text"
            ),
        ));
    }
    let mut lines = Lines::new(text);
    // Lines read ahead, the next one last.
    let mut pending: Vec<(usize, &str)> = Vec::new();
    let mut segments = Vec::new();
    let mut cue_lines: Vec<&str> = Vec::new();

    while let Some((n, line)) = pending.pop().or_else(|| lines.next()) {
        let line = line.trim();
        // SRT writers leave blank lines with spaces in them, and extra ones.
        if line.is_empty() {
            continue;
        }
        let (timing_no, timing) = if line.contains("-->") {
            // The cue number is missing; the timing is enough.
            (n, line)
        } else if is_cue_number(line.as_bytes()) {
            match pending.pop().or_else(|| lines.next()) {
                Some((m, l)) if l.contains("-->") => (m, l),
                Some((m, l)) => {
                    let found = if l.trim().is_empty() {
                        "a blank line".to_string()
                    } else {
                        format!("\"{}\"", show(l))
                    };
                    return Err(ParseError::at_line(
                        m,
                        format!(
                            "expected a timing like {SRT_TIMING_EXAMPLE} after the cue number {line}, found {found}"
                        ),
                    ));
                }
                None => {
                    return Err(ParseError::at_line(
                        lines.next_number(),
                        format!(
                            "the file ends after the cue number {line}; expected a timing like {SRT_TIMING_EXAMPLE} (is the file cut short?)"
                        ),
                    ));
                }
            }
        } else {
            return Err(ParseError::at_line(
                n,
                format!(
                    "expected a cue number or a timing like {SRT_TIMING_EXAMPLE}, found \"{}\" (a cue's text cannot contain a blank line)",
                    show(line)
                ),
            ));
        };
        let (start, end) = parse_timing(timing).map_err(|why| {
            ParseError::at_line(timing_no, why.message(timing.trim(), SRT_TIMING_EXAMPLE))
        })?;

        // The text runs to the next blank line, or to the next cue when the
        // blank line before it is missing (a timing line, or a number and a
        // timing line).
        cue_lines.clear();
        while let Some((m, l)) = pending.pop().or_else(|| lines.next()) {
            if l.trim().is_empty() {
                break;
            }
            if looks_like_timing(l) {
                pending.push((m, l));
                break;
            }
            if is_cue_number(l.trim().as_bytes()) {
                match lines.next() {
                    Some((k, next)) if looks_like_timing(next) => {
                        pending.push((k, next));
                        pending.push((m, l));
                        break;
                    }
                    // A line that is only a number ("1984") is speech.
                    Some(next) => pending.push(next),
                    None => {}
                }
            }
            cue_lines.push(l);
        }
        let (text, events) = clean_lines(&cue_lines, Markup::Srt);
        segments.push(Segment {
            start_ms: Some(start),
            end_ms: Some(end),
            text,
            events,
            words: Vec::new(),
        });
    }

    Ok(Transcript {
        meta: TranscriptMeta {
            source: ctx
                .hints
                .source
                .clone()
                .unwrap_or_else(|| "srt".to_string()),
            language: ctx.hints.language.clone(),
        },
        segments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{naming::FileHints, Format};

    const CAPTIONS: &str = include_str!("../tests/fixtures/srt/captions.en.srt");

    use crate::test_support::{texts, times};

    fn read_with(ctx: &Context, text: &str) -> Result<podcorpus_core::Episode, ParseError> {
        crate::test_support::read_with(Format::Srt, ctx, text)
    }

    fn read(text: &str) -> Result<Transcript, ParseError> {
        crate::test_support::read(Format::Srt, text)
    }

    const WANT_TEXTS: [&str; 6] = [
        "",
        "Welcome back to the show. Today we talk about robots.",
        "My guest is Ada & her team",
        "- Is that right? - It's right.",
        "No number on this one.",
        "An hour in, and still going",
    ];

    const WANT_TIMES: [(u64, u64); 6] = [
        (0, 3400),
        (3400, 6120),
        (6120, 9000),
        (9000, 11_500),
        (11_500, 14_250),
        (3_723_004, 3_725_000),
    ];

    #[test]
    fn fixture_real_values() {
        let ctx = Context {
            hints: FileHints::from_file_name("Robots [abcdefghijk].en.srt"),
            ..Default::default()
        };
        let ep = read_with(&ctx, CAPTIONS).unwrap();
        assert_eq!(ep.meta.video_id.as_deref(), Some("abcdefghijk"));
        assert_eq!(ep.meta.number, None);
        let t = &ep.transcripts[0];
        assert_eq!(t.meta.source, "srt");
        assert_eq!(t.meta.language.as_deref(), Some("en"));
        assert_eq!(texts(t), WANT_TEXTS);
        assert_eq!(times(t), WANT_TIMES);
        assert_eq!(t.segments[0].events, vec!["Music"]);
        assert_eq!(t.segments[3].events, vec!["laughs"]);
        assert!(t.segments[1].events.is_empty());
        assert_eq!(t.words(), 35);
        assert!(t.segments.iter().all(|s| s.words.is_empty()));
    }

    #[test]
    fn source_hint_wins() {
        let ctx = Context {
            hints: FileHints {
                source: Some("youtube-manual".into()),
                number: Some(7),
                ..FileHints::default()
            },
            ..Context::default()
        };
        let ep = read_with(&ctx, CAPTIONS).unwrap();
        assert_eq!(ep.meta.number, Some(7));
        assert_eq!(ep.transcripts[0].meta.source, "youtube-manual");
    }

    #[test]
    fn bom_crlf_and_lone_cr() {
        for doc in [
            format!("\u{feff}{CAPTIONS}"),
            CAPTIONS.replace('\n', "\r\n"),
            format!("\u{feff}{}", CAPTIONS.replace('\n', "\r")),
        ] {
            let t = read(&doc).unwrap();
            assert_eq!(texts(&t), WANT_TEXTS);
            assert_eq!(times(&t), WANT_TIMES);
        }
    }

    #[test]
    fn missing_blank_lines_and_numbers() {
        // No blank line before the next number, none before a bare timing,
        // blank lines made of spaces, and a spoken number.
        let doc = "1\n00:00:01,000 --> 00:00:02,000\none\n2\n00:00:02,000 --> 00:00:03,000\ntwo\n00:00:03,000 --> 00:00:04,000\n1984\n   \n\n4\n00:00:04,000 --> 00:00:05,000\nfour\n";
        let t = read(doc).unwrap();
        assert_eq!(texts(&t), vec!["one", "two", "1984", "four"]);
        assert_eq!(
            times(&t),
            vec![(1000, 2000), (2000, 3000), (3000, 4000), (4000, 5000)]
        );
    }

    #[test]
    fn dots_and_short_fractions_are_tolerated() {
        let t = read("1\n00:00:01.5 --> 00:00:02.250\nx\n").unwrap();
        assert_eq!(times(&t), vec![(1500, 2250)]);
    }

    #[test]
    fn empty_file_is_an_error() {
        for doc in ["", "\u{feff}", " \r\n\r\n"] {
            let e = read(doc).unwrap_err();
            assert_eq!(e.line, Some(1));
            assert!(e.message.contains("empty"), "{}", e.message);
        }
    }

    #[test]
    fn errors_name_the_line() {
        let e =
            read("1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n00:00:0x,000 --> 00:00:03,000\nb\n")
                .unwrap_err();
        assert_eq!(e.line, Some(6));
        assert!(
            e.message
                .contains("expected a cue timing like \"00:00:01,000 --> 00:00:04,000\""),
            "{}",
            e.message
        );
        assert!(e.message.contains("start time"), "{}", e.message);

        // An inverted cue is kept, zero-length (see `parse_timing`).
        let t = read("1\n00:00:05,000 --> 00:00:04,000\nx\n").unwrap();
        assert_eq!(times(&t), vec![(5000, 5000)]);

        let e = read("1\nhello\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.message
                .contains("after the cue number 1, found \"hello\""),
            "{}",
            e.message
        );

        let e = read("1\n\n00:00:01,000 --> 00:00:02,000\nx\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("found a blank line"), "{}", e.message);

        let e = read("1\n00:00:01,000 --> 00:00:02,000\na\n\nstray\n").unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(
            e.message.contains("expected a cue number or a timing"),
            "{}",
            e.message
        );
        assert!(e.message.contains("found \"stray\""), "{}", e.message);

        let e = read("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn truncated_files() {
        // Cut after a cue number.
        let e = read("1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n").unwrap_err();
        assert_eq!(e.line, Some(6));
        assert!(
            e.message.contains("ends after the cue number 2"),
            "{}",
            e.message
        );
        // Cut inside a timing line.
        let e = read("1\n00:00:01,000 --> 00").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("end time"), "{}", e.message);
        // Cut inside the text: what was written is kept.
        let t = read("1\n00:00:01,000 --> 00:00:02,000\nhalf a sen").unwrap();
        assert_eq!(texts(&t), vec!["half a sen"]);
        // A timing with no text yet is an empty cue.
        let t = read("1\n00:00:01,000 --> 00:00:02,000\n").unwrap();
        assert_eq!(texts(&t), vec![""]);
        // Every prefix of the fixture parses or fails cleanly.
        for cut in (0..=CAPTIONS.len()).filter(|&c| CAPTIONS.is_char_boundary(c)) {
            let _ = read(&CAPTIONS[..cut]);
        }
    }

    #[test]
    fn hostile_input_does_not_panic_or_hang() {
        let doc = format!(
            "1\n00:00:01,000 --> 00:00:02,000\n{}{}{}\n",
            "&".repeat(100_000),
            "{\\".repeat(50_000),
            "<b".repeat(50_000)
        );
        let t = read(&doc).unwrap();
        assert!(t.segments[0].text.starts_with("&&&"));
        assert!(t.segments[0].text.ends_with("<b<b"));
        let e = read(&format!("{}é\n", "7".repeat(100_000))).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.chars().count() < 300);
    }

    #[test]
    fn sniffing() {
        assert!(Srt.sniff("a.srt", b""));
        assert!(Srt.sniff("a.en.SRT", b""));
        assert!(Srt.sniff("noext", b"1\n00:00:00,000 --> "));
        assert!(Srt.sniff(
            "noext",
            b"\xEF\xBB\xBF\r\n1\r\n00:00:00,000 --> 00:00:01,000\r\nhi"
        ));
        assert!(!Srt.sniff("noext", b"WEBVTT\n\n00:00.000 --> 00:01.000\n"));
        assert!(!Srt.sniff("notes.txt", b"1\nsome notes\n"));
        assert!(!Srt.sniff("notes.txt", b"1\n"));
        assert!(!Srt.sniff("a.vtt", b"WEBVTT\n"));
        assert_eq!(
            Format::detect("x", b"12\n00:01:00,000 --> 00:01:02,000\n"),
            Some(Format::Srt)
        );
        assert_eq!(Srt.name(), "srt");
    }
}
