//! WebVTT subtitles: Whisper's `.vtt` files (the Lexicap corpus), YouTube's
//! manual captions and yt-dlp's rolling auto-captions with word timings.
//!
//! The reader is a single pass over the lines with byte-level scanning, built
//! for the common case of a Whisper file (`00:00.000 --> 00:04.200` then one
//! line of ` text`): a plain cue costs one allocation, its text. The cue
//! helpers at the bottom (line splitting, timing lines, cue text cleaning) are
//! shared with the [`srt`](crate::srt) reader.

use crate::cue::{
    clean_lines, emit, for_each_token, has_extension, nothing_usable, parse_timing, plain_text,
    show, single_episode, Lines, Markup, Token,
};
use crate::{timestamp, Context, ParseError, ReadError, Reader};
use podcorpus_core::{text, Segment, Sink, Transcript, TranscriptMeta, Warning, WordTiming};

/// The WebVTT reader. Each file is one episode with one transcript.
///
/// The transcript's source is the file-name hint when there is one, else
/// `youtube-auto` for YouTube's auto-captions (recognised by their inline
/// `<00:00:01.234>` word timings), else `webvtt`.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebVtt;

/// What a timing line looks like, for error messages.
const VTT_TIMING_EXAMPLE: &str = "\"00:01.000 --> 00:04.000\"";

impl Reader for WebVtt {
    fn name(&self) -> &'static str {
        "webvtt"
    }

    fn sniff(&self, file_name: &str, head: &[u8]) -> bool {
        if has_extension(file_name, "vtt") {
            return true;
        }
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        is_signature(head)
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

/// Whether the bytes start with the WebVTT signature: `WEBVTT` followed by
/// the end of the line, a space or a tab (so `WEBVTTX` is not one).
fn is_signature(b: &[u8]) -> bool {
    match b.strip_prefix(b"WEBVTT") {
        Some(rest) => matches!(rest.first(), None | Some(b' ' | b'\t' | b'\n' | b'\r')),
        None => false,
    }
}

/// Parses a whole WebVTT document into its transcript.
///
/// Follows the WHATWG WebVTT parser: a block without a timing is skipped, a
/// cue whose timing cannot be read is left out, unknown cue settings are
/// ignored; each skip is a warning in `warnings`. Only a missing signature,
/// or a file whose every cue was left out, refuses the whole file.
fn parse(ctx: &Context, text: &str, warnings: &mut Vec<Warning>) -> Result<Transcript, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::at_line(
            1,
            "the file is empty; a WebVTT file starts with a line \"WEBVTT\"",
        ));
    }
    let mut lines = Lines::new(text);
    let first = lines.next().map_or("", |(_, l)| l);
    if !is_signature(first.as_bytes()) {
        return Err(ParseError::at_line(
            1,
            format!(
                "expected \"WEBVTT\" at the start of the first line, found \"{}\"; is this a WebVTT file?",
                show(first)
            ),
        ));
    }

    // One look at the whole text decides the mode: YouTube's auto-captions
    // are the only files with inline word timings, and their rolling cues
    // need different de-duplication than anything else.
    let auto = has_inline_timings(text);
    let mut cues = Cues::new(auto, text.len());
    let mut language = None;
    // A line read ahead that belongs to the next block.
    let mut pending: Option<(usize, &str)> = None;

    // Header: `Kind:`, `Language:` and other metadata up to the first blank
    // line. A timing line there means the writer left out the blank line.
    for (n, line) in lines.by_ref() {
        if line.is_empty() {
            break;
        }
        if line.contains("-->") {
            pending = Some((n, line));
            break;
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim();
            if key.trim().eq_ignore_ascii_case("language") && !value.is_empty() {
                language = Some(value.to_string());
            }
        }
    }

    // The blocks, as the WHATWG parser collects them: a block runs to an
    // empty line, or to a line with "-->" that does not belong to it (which
    // starts the next block). It is a cue when its first or second line is
    // the timing; anything else (NOTE, STYLE, REGION, stray lines) holds no
    // speech.
    let mut cue_lines: Vec<&str> = Vec::new();
    while let Some((n, line)) = pending.take().or_else(|| lines.next()) {
        // Extra blank (or blank-looking) lines between blocks mean nothing.
        if line.trim().is_empty() {
            continue;
        }
        let (timing_no, timing) = if line.contains("-->") {
            (n, line)
        } else {
            match lines.next() {
                // A cue identifier, then its timing.
                Some((m, l)) if l.contains("-->") => (m, l),
                second => {
                    // No timing where one could be: skip the block.
                    let mut last = n;
                    if let Some((m, _)) = second.filter(|(_, l)| !l.is_empty()) {
                        last = m;
                        for (k, x) in lines.by_ref() {
                            if x.is_empty() {
                                break;
                            }
                            if x.contains("-->") {
                                pending = Some((k, x));
                                break;
                            }
                            last = k;
                        }
                    }
                    if !["NOTE", "STYLE", "REGION"]
                        .iter()
                        .any(|k| is_block_keyword(line, k))
                    {
                        let at_end = pending.is_none() && lines.clone().next().is_none();
                        warnings.push(stray_block(n, last, line, at_end));
                    }
                    continue;
                }
            }
        };
        // The cue text runs to the next empty line. Whitespace-only lines are
        // part of it (YouTube writes " " lines), and a line with "-->" starts
        // the next block even without the blank line before it.
        cue_lines.clear();
        for (m, l) in lines.by_ref() {
            if l.is_empty() {
                break;
            }
            if l.contains("-->") {
                pending = Some((m, l));
                break;
            }
            cue_lines.push(l);
        }
        match parse_timing(timing) {
            Ok((start, end)) => cues.push(start, end, &cue_lines),
            // A bad timing loses its cue, not the file.
            Err(why) => warnings.push(Warning::part(
                timing_no as u64,
                format!("cue left out: {}", why.message(timing, VTT_TIMING_EXAMPLE)),
            )),
        }
    }
    nothing_usable(cues.segments.is_empty(), warnings, "cue")?;

    let source = ctx.hints.source.clone().unwrap_or_else(|| {
        if auto {
            "youtube-auto".to_string()
        } else {
            "webvtt".to_string()
        }
    });
    Ok(Transcript {
        meta: TranscriptMeta {
            source,
            language: ctx.hints.language.clone().or(language),
            provenance: None,
        },
        segments: cues.segments,
    })
}

/// The warning for a block with no timing: lines `first..=last`, the last
/// of the file when `at_end`.
fn stray_block(first: usize, last: usize, line: &str, at_end: bool) -> Warning {
    let span = if last == first {
        format!("line \"{}\"", show(line.trim()))
    } else {
        format!("lines {first}–{last} (\"{}\" …)", show(line.trim()))
    };
    Warning::part(
        first as u64,
        format!(
            "left out {span}: a block without a cue timing like {VTT_TIMING_EXAMPLE}{}",
            if at_end {
                " (is the file cut short?)"
            } else {
                ""
            }
        ),
    )
}

/// Whether `line` opens a `NOTE`/`STYLE`/`REGION` block: the keyword, then
/// the end of the line, a space or a tab.
fn is_block_keyword(line: &str, keyword: &str) -> bool {
    match line.strip_prefix(keyword) {
        Some(rest) => rest.is_empty() || rest.starts_with([' ', '\t']),
        None => false,
    }
}

/// Turns cues into segments, removing the repeats of rolling captions.
struct Cues<'a> {
    /// The file has inline word timings (YouTube auto-captions).
    auto: bool,
    segments: Vec<Segment>,
    /// Plain files: the previous cue's last non-blank line, trimmed.
    prev_last: Option<&'a str>,
    /// Auto-captions: the previous cue's lines without tags, for spotting
    /// the lines a cue repeats.
    prev_lines: Vec<String>,
}

impl<'a> Cues<'a> {
    fn new(auto: bool, text_len: usize) -> Self {
        Cues {
            auto,
            // About one cue per 80 bytes in Whisper files; reserving most of
            // that up front saves the early re-allocations.
            segments: Vec::with_capacity(text_len / 96),
            prev_last: None,
            prev_lines: Vec::new(),
        }
    }

    fn push(&mut self, start: u64, end: u64, lines: &[&'a str]) {
        if self.auto {
            self.push_auto(start, end, lines);
        } else {
            self.push_plain(start, end, lines);
        }
    }

    /// A cue of a file without word timings. Rolling captions show the
    /// previous cue's last line again above the new one; that leading line is
    /// dropped. Only cues of two or more lines can roll, so one-line Whisper
    /// cues are never touched, even when Whisper repeats itself.
    fn push_plain(&mut self, start: u64, end: u64, lines: &[&'a str]) {
        let mut take = lines;
        let mut rolled = false;
        if lines.len() >= 2 {
            let first = lines.iter().position(|l| !l.trim().is_empty());
            if let (Some(i), Some(prev)) = (first, self.prev_last) {
                if lines.get(i).map(|l| l.trim()) == Some(prev) {
                    take = lines.get(i + 1..).unwrap_or_default();
                    rolled = true;
                }
            }
        }
        if let Some(last) = lines.iter().rev().map(|l| l.trim()).find(|l| !l.is_empty()) {
            self.prev_last = Some(last);
        }
        let (text, events) = clean_lines(take, Markup::Vtt);
        if rolled && text.is_empty() && events.is_empty() {
            // Nothing but the repeat: not a cue of its own.
            return;
        }
        self.segments.push(Segment {
            start_ms: Some(start),
            end_ms: Some(end),
            text,
            events,
            words: Vec::new(),
        });
    }

    /// A cue of YouTube's auto-captions. Each cue shows the previous line
    /// again (as plain text) above the new words (with inline timings), and
    /// ~10 ms "flash" cues repeat the text alone. New are the lines with
    /// timings, and the untimed lines the previous cue did not show (a
    /// `[Music]` line, a line of a single word, which carries no timing).
    fn push_auto(&mut self, start: u64, end: u64, lines: &[&str]) {
        let mut new_lines: Vec<&str> = Vec::new();
        let mut shown = Vec::with_capacity(lines.len());
        for &line in lines {
            let plain = plain_text(line, Markup::Vtt);
            if plain.is_empty() {
                continue;
            }
            if line_has_inline_timing(line) || !self.prev_lines.contains(&plain) {
                new_lines.push(line);
            }
            shown.push(plain);
        }
        self.prev_lines = shown;
        if new_lines.is_empty() {
            return;
        }
        let (text, events) = clean_lines(&new_lines, Markup::Vtt);
        let mut words = Vec::new();
        for line in &new_lines {
            timed_words(line, start, &mut words);
        }
        self.segments.push(Segment {
            start_ms: Some(start),
            end_ms: Some(end),
            text,
            events,
            words,
        });
    }
}

/// Whether any line of the document carries an inline `<00:00:01.234>`
/// timing. A Whisper file has no `<` at all, so this costs one `memchr` scan.
fn has_inline_timings(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| inline_timestamp(b.get(i..).unwrap_or_default()).is_some())
}

/// Whether one cue line carries an inline timing.
fn line_has_inline_timing(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| inline_timestamp(b.get(i..).unwrap_or_default()).is_some())
}

/// An inline timestamp tag at the start of `b` (`<00:00:01.234>`): its time
/// and its length in bytes.
fn inline_timestamp(b: &[u8]) -> Option<(u64, usize)> {
    let inner = b.strip_prefix(b"<")?;
    // `HH:MM:SS.mmm` is 12 bytes; allow long hours, refuse anything longer
    // so that a stray `<` never scans far.
    let close = inner.iter().take(20).position(|&c| c == b'>')?;
    let ts = inner.get(..close)?;
    if ts.is_empty()
        || !ts
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'.'))
    {
        return None;
    }
    let ms = timestamp::parse_ms(std::str::from_utf8(ts).ok()?)?;
    Some((ms, close + 2))
}

/// Fills `out` with the words of one auto-caption line and their start
/// times: the words before the first inline timing start with the cue, each
/// later run of words at the timing before it.
fn timed_words(line: &str, cue_start: u64, out: &mut Vec<WordTiming>) {
    let mut at = cue_start;
    let mut chunk = String::new();
    for_each_token(line, Markup::Vtt, |tok| match tok {
        Token::Text(t) => chunk.push_str(t),
        Token::Tag(tag) => {
            if let Some((ms, _)) = inline_timestamp(tag.as_bytes()) {
                flush_words(&chunk, at, out);
                chunk.clear();
                at = ms;
            }
        }
    });
    flush_words(&chunk, at, out);
}

/// Adds the spoken words of `chunk` (entities decoded, `[tags]` left out),
/// all starting at `at`.
fn flush_words(chunk: &str, at: u64, out: &mut Vec<WordTiming>) {
    if chunk.trim().is_empty() {
        return;
    }
    let (speech, _) = text::split_tags(&text::decode_entities(chunk));
    out.extend(speech.split_whitespace().map(|w| WordTiming {
        start_ms: at,
        word: w.to_string(),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cue::is_plain;
    use crate::{naming::FileHints, Format};

    const LEXICAP_LARGE: &str = include_str!("../tests/fixtures/webvtt/lexicap_001_large_head.vtt");
    const LEXICAP_SMALL: &str = include_str!("../tests/fixtures/webvtt/lexicap_001_small_head.vtt");
    const YOUTUBE_AUTO: &str = include_str!("../tests/fixtures/webvtt/youtube_auto.en.vtt");
    const MANUAL: &str = include_str!("../tests/fixtures/webvtt/manual_features.vtt");

    use crate::test_support::{texts, times};

    fn read_with(ctx: &Context, text: &str) -> Result<podcorpus_core::Episode, ParseError> {
        crate::test_support::read_with(Format::WebVtt, ctx, text)
    }

    fn read(text: &str) -> Result<Transcript, ParseError> {
        crate::test_support::read(Format::WebVtt, text)
    }

    #[test]
    fn lexicap_large_real_values() {
        let ctx = Context {
            hints: FileHints::from_file_name("episode_001_large.vtt"),
            ..Default::default()
        };
        let ep = read_with(&ctx, LEXICAP_LARGE).unwrap();
        assert_eq!(ep.meta.number, Some(1));
        assert_eq!(ep.meta.video_id, None);
        let t = &ep.transcripts[0];
        assert_eq!(t.meta.source, "whisper-large");
        assert_eq!(t.meta.language, None);
        // 60 cues in the fixture (`grep -c -- '-->'`), 437 words (`wc -w`
        // on the lines that are neither the header nor timings).
        assert_eq!(t.segments.len(), 60);
        assert_eq!(t.words(), 437);
        let first = &t.segments[0];
        assert_eq!(
            first.text,
            "As part of MIT course 6S099, Artificial General Intelligence,"
        );
        assert_eq!((first.start_ms, first.end_ms), (Some(0), Some(4200)));
        assert!(first.events.is_empty() && first.words.is_empty());
        assert_eq!(
            t.segments[1].text,
            "I've gotten the chance to sit down with Max Tegmark."
        );
        assert_eq!(times(t)[1], (4200, 6600));
        let last = &t.segments[59];
        assert_eq!(last.text, "and when I ask why, they'll be like,");
        assert_eq!((last.start_ms, last.end_ms), (Some(165_440), Some(167_360)));
        // Cues follow each other: each starts where or after the last ended
        // (this fixture has four silent gaps, e.g. 01:13.440 to 01:14.400).
        assert!(times(t).windows(2).all(|w| w[0].1 <= w[1].0));
        assert_eq!(times(t).windows(2).filter(|w| w[0].1 < w[1].0).count(), 4);
        assert_eq!(times(t)[24], (70_480, 73_440));
        assert_eq!(times(t)[25].0, 74_400);
        assert!(t.text().starts_with(
            "As part of MIT course 6S099, Artificial General Intelligence, I've gotten"
        ));
    }

    #[test]
    fn lexicap_small_real_values() {
        let ctx = Context {
            hints: FileHints::from_file_name("episode_001_small.vtt"),
            ..Default::default()
        };
        let ep = read_with(&ctx, LEXICAP_SMALL).unwrap();
        let t = &ep.transcripts[0];
        assert_eq!(t.meta.source, "whisper-small");
        assert_eq!(t.segments.len(), 39);
        assert_eq!(t.words(), 430);
        assert_eq!(
            t.segments[0].text,
            "As part of MIT course 6S 099 Artificial General Intelligence, I've gotten the chance to sit"
        );
        assert_eq!(times(t)[0], (0, 5060));
        assert_eq!(t.segments[1].text, "down with Max Tagmark.");
        assert_eq!(times(t)[38], (161_180, 167_060));
    }

    #[test]
    fn source_defaults_to_webvtt_without_hints() {
        let t = read(LEXICAP_LARGE).unwrap();
        assert_eq!(t.meta.source, "webvtt");
    }

    #[test]
    fn youtube_auto_captions_come_out_once() {
        let ctx = Context {
            hints: FileHints::from_file_name("Robots [abcdefghijk].en.vtt"),
            ..Default::default()
        };
        let ep = read_with(&ctx, YOUTUBE_AUTO).unwrap();
        assert_eq!(ep.meta.video_id.as_deref(), Some("abcdefghijk"));
        let t = &ep.transcripts[0];
        assert_eq!(t.meta.source, "youtube-auto");
        assert_eq!(t.meta.language.as_deref(), Some("en"));
        assert_eq!(
            texts(t),
            vec![
                "",
                "welcome to the show today we talk",
                "about robots & the people who build",
                "them",
                "so let's get started",
                "",
                "that was amazing",
                "thanks everyone",
            ]
        );
        assert_eq!(
            times(t),
            vec![
                (0, 3270),
                (3280, 5630),
                (5640, 8150),
                (8160, 9190),
                (9200, 11509),
                (11519, 14000),
                (14010, 16430),
                (16440, 18000),
            ]
        );
        let events: Vec<&[String]> = t.segments.iter().map(|s| s.events.as_slice()).collect();
        assert_eq!(events[0], ["Music"]);
        assert_eq!(events[5], ["Applause"]);
        assert_eq!(events[6], ["__"]);
        assert!(events[1].is_empty() && events[7].is_empty());
        assert_eq!(
            t.text(),
            "welcome to the show today we talk about robots & the people who build them \
             so let's get started that was amazing thanks everyone"
        );
        let w: Vec<(u64, &str)> = t.segments[1]
            .words
            .iter()
            .map(|w| (w.start_ms, w.word.as_str()))
            .collect();
        assert_eq!(
            w,
            vec![
                (3280, "welcome"),
                (3600, "to"),
                (3840, "the"),
                (4080, "show"),
                (4560, "today"),
                (4960, "we"),
                (5120, "talk"),
            ]
        );
        assert_eq!(t.segments[2].words[2].word, "&");
        assert_eq!(t.segments[2].words[2].start_ms, 6480);
        // A one-word line has no inline timing: it starts with its cue.
        assert_eq!(
            t.segments[3].words,
            vec![WordTiming {
                start_ms: 8160,
                word: "them".into()
            }]
        );
        // The censored word is an event, not a word.
        let w6: Vec<&str> = t.segments[6]
            .words
            .iter()
            .map(|w| w.word.as_str())
            .collect();
        assert_eq!(w6, vec!["that", "was", "amazing"]);
        assert_eq!(t.segments[6].words[2].start_ms, 15040);
        // Every spoken word has exactly one timing.
        let timed: usize = t.segments.iter().map(|s| s.words.len()).sum();
        assert_eq!(timed as u64, t.words());
    }

    #[test]
    fn hints_override_source_and_language() {
        let ctx = Context {
            hints: FileHints {
                source: Some("youtube-manual".into()),
                language: Some("en-GB".into()),
                ..FileHints::default()
            },
            ..Context::default()
        };
        let ep = read_with(&ctx, YOUTUBE_AUTO).unwrap();
        assert_eq!(ep.transcripts[0].meta.source, "youtube-manual");
        assert_eq!(ep.transcripts[0].meta.language.as_deref(), Some("en-GB"));
    }

    #[test]
    fn manual_file_with_every_block_kind() {
        let t = read(MANUAL).unwrap();
        assert_eq!(t.meta.source, "webvtt");
        assert_eq!(t.meta.language.as_deref(), Some("de"));
        assert_eq!(
            texts(&t),
            vec![
                "We are in New York City",
                "And we're actually at the Lucerne Hotel & Café",
                "Tom <3 Jerry — \"friends\"",
                "An hour later, still talking",
            ]
        );
        assert_eq!(
            times(&t),
            vec![
                (500, 2000),
                (2000, 4250),
                (4250, 5000),
                (3_600_000, 3_602_500)
            ]
        );
        assert_eq!(t.segments[3].events, vec!["laughs"]);
        assert!(t.segments.iter().all(|s| s.words.is_empty()));
    }

    #[test]
    fn header_variants() {
        for header in ["WEBVTT", "WEBVTT ", "WEBVTT - some title", "WEBVTT\tx"] {
            let doc = format!("{header}\n\n00:01.000 --> 00:02.000\nhi\n");
            assert_eq!(texts(&read(&doc).unwrap()), vec!["hi"], "{header:?}");
        }
        // Header metadata, and no blank line before the first cue.
        let t =
            read("WEBVTT\nKind: captions\nLanguage: fr\n00:01.000 --> 00:02.000\nsalut\n").unwrap();
        assert_eq!(t.meta.language.as_deref(), Some("fr"));
        assert_eq!(texts(&t), vec!["salut"]);
        // A header alone is a valid, empty transcript.
        assert!(read("WEBVTT\n").unwrap().segments.is_empty());
    }

    #[test]
    fn missing_header_is_an_error_at_line_1() {
        let e = read("00:01.000 --> 00:02.000\nhi\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("expected \"WEBVTT\""), "{}", e.message);
        assert!(
            e.message.contains("00:01.000 --> 00:02.000"),
            "{}",
            e.message
        );
        assert_eq!(read("WEBVTTX\n").unwrap_err().line, Some(1));
    }

    #[test]
    fn empty_file_is_an_error() {
        for doc in ["", "\u{feff}", "\n\n  \n"] {
            let e = read(doc).unwrap_err();
            assert_eq!(e.line, Some(1));
            assert!(e.message.contains("empty"), "{}", e.message);
        }
    }

    #[test]
    fn bom_crlf_and_lone_cr() {
        let lf =
            "WEBVTT\n\n1\n00:01.000 --> 00:02.000\n one\n two\n\n00:02.000 --> 00:03.500\nthree\n";
        let want = vec!["one two", "three"];
        assert_eq!(texts(&read(lf).unwrap()), want);
        let bom = format!("\u{feff}{lf}");
        assert_eq!(texts(&read(&bom).unwrap()), want);
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(texts(&read(&crlf).unwrap()), want);
        assert_eq!(
            times(&read(&crlf).unwrap()),
            vec![(1000, 2000), (2000, 3500)]
        );
        let cr = lf.replace('\n', "\r");
        assert_eq!(texts(&read(&cr).unwrap()), want);
        // Line numbers count CRLF and CR line ends once.
        let bad = "WEBVTT\r\n\r\n00:01.000 --> nope\r\n";
        assert_eq!(read(bad).unwrap_err().line, Some(3));
        assert_eq!(read(&bad.replace("\r\n", "\r")).unwrap_err().line, Some(3));
    }

    #[test]
    fn cue_ids_and_settings() {
        let doc = "WEBVTT\n\nintro-1\n00:00:01.000 --> 00:00:02.000 align:start position:0% line:90%\nA\n\n42\n00:00:02.000 --> 00:00:03.000 vertical:rl\nB\n";
        let t = read(doc).unwrap();
        assert_eq!(texts(&t), vec!["A", "B"]);
        assert_eq!(times(&t), vec![(1000, 2000), (2000, 3000)]);
    }

    #[test]
    fn hours_in_both_widths() {
        let doc = "WEBVTT\n\n59:57.200 --> 1:00:00.160\n a\n\n1:00:01.560 --> 01:00:03.360\n b\n";
        assert_eq!(
            times(&read(doc).unwrap()),
            vec![(3_597_200, 3_600_160), (3_601_560, 3_603_360)]
        );
    }

    #[test]
    fn entities_and_inline_tags() {
        let doc = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Lex>Tom &amp; Jerry</v> say &quot;hi&quot; &lrm;&#x41;&bogus;\n<i>a < b</i> and <c.red>c</c>&gt;d\n";
        let t = read(doc).unwrap();
        assert_eq!(
            texts(&t),
            vec!["Tom & Jerry say \"hi\" A&bogus; a < b and c>d"]
        );
        // An escaped tag is text, not markup.
        let t = read("WEBVTT\n\n00:01.000 --> 00:02.000\n&lt;i&gt;x\n").unwrap();
        assert_eq!(texts(&t), vec!["<i>x"]);
    }

    #[test]
    fn tag_only_cue_keeps_its_event() {
        let doc = "WEBVTT\n\n00:01.000 --> 00:02.000\n[Music]\n\n00:02.000 --> 00:03.000\n[Applause] thanks [Laughter]\n";
        let t = read(doc).unwrap();
        assert_eq!(texts(&t), vec!["", "thanks"]);
        assert_eq!(t.segments[0].events, vec!["Music"]);
        assert_eq!(t.segments[1].events, vec!["Applause", "Laughter"]);
    }

    #[test]
    fn note_style_region_blocks_are_skipped() {
        let doc = "WEBVTT\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r1\n\nNOTE 00:01.000 --> 00:02.000 is in a note\nmore note\n\n00:01.000 --> 00:02.000\nNOTE this is speech\n\nNOTE\n\n00:02.000 --> 00:03.000\nSTYLE is speech too\n";
        assert_eq!(
            texts(&read(doc).unwrap()),
            vec!["NOTE this is speech", "STYLE is speech too"]
        );
    }

    #[test]
    fn rolling_captions_without_timings_drop_the_repeated_line() {
        let doc = "WEBVTT\n\n00:01.000 --> 00:02.000\n \nfirst line\n\n00:02.000 --> 00:03.000\nfirst line\nsecond line\n\n00:03.000 --> 00:03.010\nsecond line\n \n\n00:03.010 --> 00:04.000\nsecond line\nthird line\n";
        let t = read(doc).unwrap();
        assert_eq!(t.meta.source, "webvtt");
        assert_eq!(texts(&t), vec!["first line", "second line", "third line"]);
        assert_eq!(times(&t), vec![(1000, 2000), (2000, 3000), (3010, 4000)]);
    }

    #[test]
    fn one_line_cues_are_never_dropped() {
        // Whisper repeats itself sometimes; those are real, separate cues.
        let doc = "WEBVTT\n\n00:01.000 --> 00:02.000\n Thank you.\n\n00:02.000 --> 00:03.000\n Thank you.\n\n00:03.000 --> 00:04.000\n Thank you.\n";
        assert_eq!(texts(&read(doc).unwrap()), vec!["Thank you."; 3]);
    }

    #[test]
    fn missing_blank_line_between_cues() {
        let doc = "WEBVTT\n\n00:01.000 --> 00:02.000\none\n00:02.000 --> 00:03.000\ntwo\n";
        let t = read(doc).unwrap();
        assert_eq!(texts(&t), vec!["one", "two"]);
        assert_eq!(times(&t), vec![(1000, 2000), (2000, 3000)]);
    }

    #[test]
    fn end_before_start_becomes_a_zero_length_cue() {
        // As Whisper wrote it in Lexicap's episode_070_small.vtt, line 48.
        let doc = "WEBVTT\n\n01:38.000 --> 01:50.000\n They educate and inspire\n\n01:50.000 --> 01:38.000\n When you get Cash App\n\n01:38.000 --> 02:07.000\n You'll get $10\n";
        let t = read(doc).unwrap();
        assert_eq!(
            times(&t),
            vec![(98_000, 110_000), (110_000, 110_000), (98_000, 127_000)]
        );
        assert_eq!(t.segments[1].text, "When you get Cash App");
    }

    #[test]
    fn empty_cue_is_kept() {
        let doc = "WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:02.000 --> 00:03.000\nx\n";
        assert_eq!(texts(&read(doc).unwrap()), vec!["", "x"]);
    }

    fn read_warned(text: &str) -> (Transcript, Vec<(u64, String)>) {
        crate::test_support::read_warned(Format::WebVtt, text).unwrap()
    }

    #[test]
    fn a_bad_timing_loses_its_cue_not_the_file() {
        let (t, w) =
            read_warned("WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n00:0x.000 --> 00:03.000\nb\n\n00:03.000 --> 00:04.000\nc\n");
        assert_eq!(texts(&t), vec!["a", "c"]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 6);
        for want in [
            "cue left out",
            "expected a cue timing like \"00:01.000 --> 00:04.000\"",
            "found \"00:0x.000 --> 00:03.000\"",
            "start time",
        ] {
            assert!(w[0].1.contains(want), "{want}: {}", w[0].1);
        }
        let (t, w) =
            read_warned("WEBVTT\n\n00:00.000 --> 00:01.000\nok\n\n00:01.000 --> \nno end\n");
        assert_eq!(texts(&t), vec!["ok"]);
        assert_eq!(w[0].0, 6);
        assert!(w[0].1.contains("end time"), "{}", w[0].1);
    }

    #[test]
    fn blocks_without_a_timing_are_skipped_with_a_warning() {
        // An identifier with no timing, text cut off from its cue by a blank
        // line, an identifier separated from its timing by a blank line.
        let doc = "WEBVTT\n\n00:01.000 --> 00:02.000\na\n\nstray text\nand more\n\nintro\n\n00:02.000 --> 00:03.000\nb\n\nlast\nhello\n";
        let (t, w) = read_warned(doc);
        assert_eq!(texts(&t), vec!["a", "b"]);
        assert_eq!(times(&t), vec![(1000, 2000), (2000, 3000)]);
        let lines: Vec<u64> = w.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![6, 9, 14]);
        assert!(
            w[0].1.starts_with("left out lines 6–7 (\"stray text\" …)"),
            "{}",
            w[0].1
        );
        assert!(w[1].1.starts_with("left out line \"intro\""), "{}", w[1].1);
        assert!(
            w[2].1.contains("a block without a cue timing"),
            "{}",
            w[2].1
        );
        // NOTE, STYLE and REGION blocks are part of WebVTT: no warning.
        let doc = "WEBVTT\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r\n\nNOTE\nhi\n\n00:01.000 --> 00:02.000\nx\n";
        let (t, w) = read_warned(doc);
        assert_eq!(texts(&t), vec!["x"]);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn a_line_with_an_arrow_starts_the_next_block() {
        // WHATWG: a "-->" line that is not a block's first or second line
        // ends the block and starts the next one.
        let (t, w) = read_warned(
            "WEBVTT\n\n00:01.000 --> 00:02.000\na\n00:02.000 --> 00:03.000\nb\nid\n00:03.000 --> 00:04.000\nc\n",
        );
        assert_eq!(texts(&t), vec!["a", "b id", "c"]);
        assert!(w.is_empty());
    }

    #[test]
    fn nothing_usable_is_refused() {
        let e = read("WEBVTT\n\n00:01.000 --> \n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.message.starts_with("no cue could be read: cue left out"),
            "{}",
            e.message
        );
        assert!(e.message.contains("end time"), "{}", e.message);
        let e = read("WEBVTT\n\nintro\nhello\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("\"intro\""), "{}", e.message);
        assert_eq!(e.to_string().split(':').next(), Some("line 3"));
        // A header alone is an empty transcript, not an error.
        assert!(read("WEBVTT\n").unwrap().segments.is_empty());
    }

    #[test]
    fn truncated_files() {
        let full =
            "WEBVTT\n\n00:01.000 --> 00:02.000\nfirst cue\n\n00:02.000 --> 00:03.000\nsecond cue\n";
        // Cut inside the second timing line: that cue is left out.
        let cut = full.find("00:03").unwrap() + 2;
        let (t, w) = read_warned(&full[..cut]);
        assert_eq!(texts(&t), vec!["first cue"]);
        assert_eq!(w[0].0, 6);
        // Cut inside the text: what was written is kept.
        let cut = full.rfind("cue\n").unwrap();
        assert_eq!(
            texts(&read(&full[..cut]).unwrap()),
            vec!["first cue", "second"]
        );
        // Cut after a cue identifier.
        let (t, w) = read_warned("WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n7");
        assert_eq!(texts(&t), vec!["a"]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 6);
        assert!(w[0].1.contains("line \"7\""), "{}", w[0].1);
        // Every prefix either parses or fails cleanly.
        for cut in 0..=full.len() {
            let _ = read(&full[..cut]);
        }
    }

    #[test]
    fn hostile_input_does_not_panic_or_hang() {
        let big = "&".repeat(200_000) + ";";
        let doc = format!(
            "WEBVTT\n\n00:01.000 --> 00:02.000\n{big}<{}\n",
            "<a".repeat(100_000)
        );
        let t = read(&doc).unwrap();
        assert_eq!(t.segments.len(), 1);
        assert!(t.segments[0].text.starts_with("&&&"));
        let doc = format!(
            "WEBVTT\n\n00:01.000 --> 00:02.000\n{}\n",
            "[é<0".repeat(50_000)
        );
        assert_eq!(read(&doc).unwrap().segments.len(), 1);
        let e = read(&format!("WEBVTT\n\n{}é --> 1\n", "9".repeat(100_000))).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.chars().count() < 300);
        let _ = read("WEBVTT\n\n99999999999999999999:00:00.000 --> 1:00.000\n");
        let _ = read("WEBVTT\n\n00:01.000 --> 00:02.000\n<00:00:01.5\n<00:00:01.500>\n");
    }

    #[test]
    fn sniffing() {
        assert!(WebVtt.sniff("episode_001_large.vtt", b""));
        assert!(WebVtt.sniff("x.en.VTT", b""));
        assert!(WebVtt.sniff("noext", b"WEBVTT\n\n"));
        assert!(WebVtt.sniff("noext", b"\xEF\xBB\xBFWEBVTT - title\r\n"));
        assert!(WebVtt.sniff("noext", b"WEBVTT"));
        assert!(!WebVtt.sniff("noext", b"WEBVTTX"));
        assert!(!WebVtt.sniff("a.srt", b"1\n00:00:00,000 --> 00:00:01,000\n"));
        assert!(!WebVtt.sniff(".vtt", b""));
        assert_eq!(Format::detect("x.txt", b"WEBVTT\n"), Some(Format::WebVtt));
        assert_eq!(WebVtt.name(), "webvtt");
    }

    #[test]
    fn fast_path_matches_slow_path() {
        // The plain-line shortcut must give what the general cleaning gives.
        for line in [
            "a b",
            "  a  b ",
            "a\tb",
            "a\u{a0}b",
            "x’y",
            "é è",
            "a [b] c",
            "a&amp;b",
            "a<i>b</i>",
        ] {
            let (fast, _) = clean_lines(&[line], Markup::Vtt);
            let mut raw = String::new();
            for_each_token(line, Markup::Vtt, |t| {
                if let Token::Text(s) = t {
                    raw.push_str(s);
                }
            });
            assert_eq!(
                fast,
                text::split_tags(&text::decode_entities(&raw)).0,
                "{line:?}"
            );
        }
        assert!(is_plain(
            "As part of MIT course 6S099, Artificial General Intelligence,"
        ));
        assert!(!is_plain("a  b"));
        assert!(!is_plain("a\u{a0}b"));
    }
}
