//! SubRip (`.srt`) subtitles: numbered cues, `HH:MM:SS,mmm` timings,
//! multi-line text with `<i>`/`<b>`/`<font>` markup.
//!
//! SRT has no formal grammar and real files bend the little it has, so the
//! reader accepts what the `srt` and pysrt libraries accept (missing or wrong
//! cue numbers, blank lines inside a cue's text, extra or missing blank lines,
//! whitespace-only "blank" lines, CRLF, lone CR, BOM, `.` instead of `,`,
//! text after the end time) and leaves out, with a warning naming the line,
//! a cue whose timing cannot be read and lines that belong to no cue.

use crate::cue::{
    clean_lines, emit, has_extension, looks_like_timing, nothing_usable, parse_timing, show,
    single_episode, Lines, Markup,
};
use crate::{timestamp, Context, ParseError, ReadError, Reader};
use podcorpus_core::{Segment, Sink, Transcript, TranscriptMeta, Warning};

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
        let mut warnings = Vec::new();
        let transcript = parse(ctx, text, &mut warnings)?;
        emit(sink, warnings, single_episode(ctx, transcript))
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

/// A cue number as the `srt` library accepts one (`RGX_INDEX`,
/// `-?[0-9]+\.?[0-9]*`): wrong numbers such as `-3` or `12.5` still number a
/// cue. A number is never required; the timing line is enough.
fn is_cue_index(line: &str) -> bool {
    let b = line.trim().as_bytes();
    let b = b.strip_prefix(b"-").unwrap_or(b);
    let (whole, frac) = match b.iter().position(|&c| c == b'.') {
        Some(i) => (
            b.get(..i).unwrap_or_default(),
            b.get(i + 1..).unwrap_or_default(),
        ),
        None => (b, &b""[..]),
    };
    is_cue_number(whole) && (frac.is_empty() || frac.iter().all(u8::is_ascii_digit))
}

/// The cue header at the next non-blank line: a timing line, or a cue number
/// then a timing line (blank lines between them are tolerated, as the `srt`
/// library's `\s*` tolerates them). Gives the timing line and the lines after
/// it, leaving `lines` where it was.
fn header_at<'a>(lines: &Lines<'a>) -> Option<((usize, &'a str), Lines<'a>)> {
    let mut it = lines.clone();
    let first = next_non_blank(&mut it)?;
    if looks_like_timing(first.1) {
        return Some((first, it));
    }
    if !is_cue_index(first.1) {
        return None;
    }
    let timing = next_non_blank(&mut it)?;
    looks_like_timing(timing.1).then_some((timing, it))
}

fn next_non_blank<'a>(lines: &mut Lines<'a>) -> Option<(usize, &'a str)> {
    lines.find(|(_, l)| !l.trim().is_empty())
}

/// Moves `lines` past a run of blank lines, to just before the next line
/// with something on it. Skipping a run at once, rather than looking ahead
/// from each of its lines, keeps the reader linear however long the run.
fn skip_blank(lines: &mut Lines) {
    let mut ahead = lines.clone();
    while let Some((_, l)) = ahead.next() {
        if !l.trim().is_empty() {
            break;
        }
        *lines = ahead.clone();
    }
}

/// Parses a whole SRT document into its transcript, the way the `srt`
/// library reads one: a cue is an optional number, a timing line and the
/// text up to the next cue. Blank lines inside the text are text when no cue
/// header follows them; what is after the end time on the timing line
/// (`srt`'s "proprietary" field, pysrt's `X1:… Y2:…` position) is not speech.
/// A cue whose timing cannot be read, and lines that belong to no cue, are
/// left out with a warning. A file with no cue at all is refused.
fn parse(ctx: &Context, text: &str, warnings: &mut Vec<Warning>) -> Result<Transcript, ParseError> {
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
    let mut segments = Vec::new();
    let mut cue_lines: Vec<&str> = Vec::new();
    loop {
        // Whatever stands before the next cue header belongs to no cue.
        let ((timing_no, timing), after) = loop {
            if let Some(found) = header_at(&lines) {
                break found;
            }
            let Some(stray) = next_non_blank(&mut lines) else {
                return finish(ctx, segments, warnings);
            };
            warnings.push(stray_lines(stray, &mut lines));
        };
        lines = after;
        cue_text(&mut lines, &mut cue_lines);
        match parse_timing(timing) {
            Ok((start, end)) => {
                let (text, events) = clean_lines(&cue_lines, Markup::Srt);
                segments.push(Segment {
                    start_ms: Some(start),
                    end_ms: Some(end),
                    text,
                    events,
                    words: Vec::new(),
                });
            }
            Err(why) => warnings.push(Warning::part(
                timing_no as u64,
                format!(
                    "cue left out: {}",
                    why.message(timing.trim(), SRT_TIMING_EXAMPLE)
                ),
            )),
        }
    }
}

/// The warning for lines that belong to no cue, from `first` up to the next
/// cue header (which `lines` is left before).
fn stray_lines<'a>(first: (usize, &'a str), lines: &mut Lines<'a>) -> Warning {
    let (n, line) = first;
    let mut last = n;
    let at_end = loop {
        skip_blank(lines);
        if header_at(lines).is_some() {
            break false;
        }
        match lines.next() {
            Some((m, _)) => last = m,
            None => break true,
        }
    };
    let span = if last == n {
        format!("\"{}\"", show(line.trim()))
    } else {
        format!("lines {n}–{last} (\"{}\" …)", show(line.trim()))
    };
    let why = if at_end && is_cue_number(line.trim().as_bytes()) && last == n {
        format!("the file ends after the cue number; expected a timing like {SRT_TIMING_EXAMPLE} (is the file cut short?)")
    } else {
        format!("not part of a cue: expected a cue number or a timing like {SRT_TIMING_EXAMPLE}")
    };
    Warning::part(n as u64, format!("left out {span}: {why}"))
}

/// Collects a cue's text lines into `out`: up to the next cue header, which
/// is a timing line (with or without its number) after a blank line, or
/// right after the text when a writer left the blank line out.
fn cue_text<'a>(lines: &mut Lines<'a>, out: &mut Vec<&'a str>) {
    out.clear();
    loop {
        let before = lines.clone();
        let Some((_, l)) = lines.next() else { return };
        if l.trim().is_empty() {
            skip_blank(lines);
            let mut ahead = lines.clone();
            let ends = match next_non_blank(&mut ahead) {
                None => true,
                // A cue number and then the end: the file was cut short
                // there, and the number is not speech.
                Some((_, next)) if is_cue_number(next.trim().as_bytes()) => {
                    next_non_blank(&mut ahead).is_none() || header_at(lines).is_some()
                }
                Some(_) => header_at(lines).is_some(),
            };
            if ends {
                return;
            }
            // Blank lines inside the text: `srt` keeps what follows.
            continue;
        }
        if looks_like_timing(l) {
            *lines = before;
            return;
        }
        if is_cue_number(l.trim().as_bytes()) && header_at(&before).is_some() {
            *lines = before;
            return;
        }
        // A line that is only a number ("1984") is speech.
        out.push(l);
    }
}

/// The transcript of the cues read; refused when there are none and
/// something was left out (the file is not SRT, or nothing in it is usable).
fn finish(
    ctx: &Context,
    segments: Vec<Segment>,
    warnings: &[Warning],
) -> Result<Transcript, ParseError> {
    nothing_usable(segments.is_empty(), warnings, "cue")?;
    Ok(Transcript {
        meta: TranscriptMeta {
            source: ctx
                .hints
                .source
                .clone()
                .unwrap_or_else(|| "srt".to_string()),
            language: ctx.hints.language.clone(),
            provenance: None,
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

    fn read_warned(text: &str) -> (Transcript, Vec<(u64, String)>) {
        crate::test_support::read_warned(Format::Srt, text).unwrap()
    }

    #[test]
    fn a_bad_timing_loses_its_cue_not_the_file() {
        let (t, w) = read_warned(
            "1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n00:00:0x,000 --> 00:00:03,000\nb\n\n3\n00:00:03,000 --> 00:00:04,000\nc\n",
        );
        assert_eq!(texts(&t), vec!["a", "c"]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 6);
        for want in [
            "cue left out",
            "expected a cue timing like \"00:00:01,000 --> 00:00:04,000\"",
            "start time",
        ] {
            assert!(w[0].1.contains(want), "{want}: {}", w[0].1);
        }
        // An inverted cue is kept, zero-length (see `parse_timing`).
        let t = read("1\n00:00:05,000 --> 00:00:04,000\nx\n").unwrap();
        assert_eq!(times(&t), vec![(5000, 5000)]);
    }

    #[test]
    fn blank_lines_in_the_text_and_between_number_and_timing() {
        // The `srt` library's reading: a blank line ends the text only when a
        // cue (or the end) follows; a number may stand apart from its timing.
        let (t, w) = read_warned(
            "1\n00:00:01,000 --> 00:00:02,000\na\n\nstill a\n\n\n2\n\n00:00:02,000 --> 00:00:03,000\nb\n\n1984\n\n3\n00:00:03,000 --> 00:00:04,000\nc\n",
        );
        assert_eq!(texts(&t), vec!["a still a", "b 1984", "c"]);
        assert_eq!(times(&t), vec![(1000, 2000), (2000, 3000), (3000, 4000)]);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn lines_outside_any_cue_are_left_out_with_a_warning() {
        let (t, w) =
            read_warned("Title: my captions\nby me\n\n1\n00:00:01,000 --> 00:00:02,000\na\n");
        assert_eq!(texts(&t), vec!["a"]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 1);
        assert!(
            w[0].1
                .starts_with("left out lines 1–2 (\"Title: my captions\" …): not part of a cue"),
            "{}",
            w[0].1
        );
    }

    #[test]
    fn nothing_usable_is_refused() {
        let e = read("1\nhello\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(
            e.message
                .starts_with("no cue could be read: left out lines 1–2"),
            "{}",
            e.message
        );
        let e = read("stray\n").unwrap_err();
        assert!(
            e.message.contains("found") || e.message.contains("not part of a cue"),
            "{}",
            e.message
        );
        // A WebVTT file read as SRT: its signature is not part of a cue.
        let (t, w) = read_warned("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n");
        assert_eq!(texts(&t), vec!["x"]);
        assert_eq!(w[0].0, 1);
    }

    #[test]
    fn truncated_files() {
        // Cut after a cue number: the cues before it are kept.
        let (t, w) = read_warned("1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n");
        assert_eq!(texts(&t), vec!["a"]);
        assert_eq!(w[0].0, 5);
        assert!(w[0].1.contains("ends after the cue number"), "{}", w[0].1);
        // Cut inside the only timing line: nothing is usable.
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
    fn long_runs_of_blank_lines_read_in_linear_time() {
        // 200,000 blank lines inside a cue's text and around stray lines:
        // each run is skipped once, not looked across from each of its lines.
        let blank = "\n".repeat(200_000);
        let doc = format!(
            "1\n00:00:01,000 --> 00:00:02,000\na\n{blank}still a\n{blank}2\n{blank}00:00:02,000 --> 00:00:03,000\nb\n"
        );
        let (t, w) = read_warned(&doc);
        assert_eq!(texts(&t), vec!["a still a", "b"]);
        assert!(w.is_empty(), "{w:?}");
        let (t, w) = read_warned(&format!(
            "stray{blank}x\n{blank}1\n00:00:01,000 --> 00:00:02,000\nc\n"
        ));
        assert_eq!(texts(&t), vec!["c"]);
        assert_eq!(w.len(), 1);
        assert!(w[0].1.starts_with("left out lines 1–200001"), "{}", w[0].1);
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
