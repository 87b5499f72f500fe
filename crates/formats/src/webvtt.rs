//! WebVTT subtitles: Whisper's `.vtt` files (the Lexicap corpus), YouTube's
//! manual captions and yt-dlp's rolling auto-captions with word timings.
//!
//! The reader is a single pass over the lines with byte-level scanning, built
//! for the common case of a Whisper file (`00:00.000 --> 00:04.200` then one
//! line of ` text`): a plain cue costs one allocation, its text. The cue
//! helpers at the bottom (line splitting, timing lines, cue text cleaning) are
//! shared with the [`srt`](crate::srt) reader.

use crate::{timestamp, Context, ParseError, ReadError, Reader};
use podcorpus_core::{
    text, Episode, EpisodeMeta, Segment, Sink, Transcript, TranscriptMeta, WordTiming,
};

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
        let transcript = parse(ctx, text)?;
        sink.episode(single_episode(ctx, transcript))
            .map_err(ReadError::Sink)
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
fn parse(ctx: &Context, text: &str) -> Result<Transcript, ParseError> {
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

    let mut cue_lines: Vec<&str> = Vec::new();
    while let Some((n, line)) = pending.take().or_else(|| lines.next()) {
        // Extra blank (or blank-looking) lines between blocks mean nothing.
        if line.trim().is_empty() {
            continue;
        }
        if is_block_keyword(line, "NOTE")
            || ((is_block_keyword(line, "STYLE") || is_block_keyword(line, "REGION"))
                && !line.contains("-->"))
        {
            // Comments, style sheets and regions hold no speech.
            for (_, l) in lines.by_ref() {
                if l.is_empty() {
                    break;
                }
            }
            continue;
        }
        let (timing_no, timing) = if line.contains("-->") {
            (n, line)
        } else {
            // A cue identifier; its timing line must follow.
            match lines.next() {
                Some((m, l)) if l.contains("-->") => (m, l),
                Some((m, l)) if !l.trim().is_empty() => {
                    return Err(ParseError::at_line(
                        m,
                        format!(
                            "expected a cue timing like {VTT_TIMING_EXAMPLE} after the cue identifier \"{}\", found \"{}\"",
                            show(line),
                            show(l)
                        ),
                    ));
                }
                Some(_) => {
                    return Err(ParseError::at_line(
                        n,
                        format!(
                            "expected a cue timing like {VTT_TIMING_EXAMPLE}, found \"{}\" (a cue's text cannot contain a blank line)",
                            show(line)
                        ),
                    ));
                }
                None => {
                    return Err(ParseError::at_line(
                        lines.next_number(),
                        format!(
                            "the file ends after \"{}\"; expected a cue timing like {VTT_TIMING_EXAMPLE} (is the file cut short?)",
                            show(line)
                        ),
                    ));
                }
            }
        };
        let (start, end) = parse_timing(timing).map_err(|why| {
            ParseError::at_line(timing_no, why.message(timing, VTT_TIMING_EXAMPLE))
        })?;

        // The cue text runs to the next empty line. Whitespace-only lines are
        // part of it (YouTube writes " " lines), and a line that is itself a
        // timing starts the next cue even without the blank line before it.
        cue_lines.clear();
        for (m, l) in lines.by_ref() {
            if l.is_empty() {
                break;
            }
            if looks_like_timing(l) {
                pending = Some((m, l));
                break;
            }
            cue_lines.push(l);
        }
        cues.push(start, end, &cue_lines);
    }

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
        },
        segments: cues.segments,
    })
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
    let mut decoded = String::with_capacity(chunk.len());
    decode_entities_into(chunk, &mut decoded);
    let (speech, _) = text::split_tags(&decoded);
    out.extend(speech.split_whitespace().map(|w| WordTiming {
        start_ms: at,
        word: w.to_string(),
    }));
}

// ---------------------------------------------------------------------------
// Cue helpers shared with the SRT reader.
// ---------------------------------------------------------------------------

/// The episode a single-transcript subtitle file stands for, with the
/// number and video id its file name gave.
pub(crate) fn single_episode(ctx: &Context, transcript: Transcript) -> Episode {
    Episode {
        meta: EpisodeMeta {
            number: ctx.hints.number,
            video_id: ctx.hints.video_id.clone(),
            ..EpisodeMeta::default()
        },
        transcripts: vec![transcript],
        ..Episode::default()
    }
}

/// Whether a file name ends with `.ext`, in any case.
pub(crate) fn has_extension(file_name: &str, ext: &str) -> bool {
    match file_name.rsplit_once('.') {
        Some((stem, e)) => !stem.is_empty() && e.eq_ignore_ascii_case(ext),
        None => false,
    }
}

/// The lines of a text with their 1-based numbers. A line ends at `\n`,
/// `\r\n` or a lone `\r`; the terminator is not part of the line.
pub(crate) struct Lines<'a> {
    text: &'a str,
    pos: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lines {
            text,
            pos: 0,
            number: 0,
        }
    }

    /// The number the next line will have.
    pub(crate) fn next_number(&self) -> usize {
        self.number + 1
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let bytes = rest.as_bytes();
        let (len, skip) = match memchr::memchr2(b'\n', b'\r', bytes) {
            Some(i) if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') => (i, 2),
            Some(i) => (i, 1),
            None => (bytes.len(), 0),
        };
        // `len` is the offset of an ASCII byte (or the end), so a char boundary.
        let line = rest.get(..len)?;
        self.pos += len + skip;
        self.number += 1;
        Some((self.number, line))
    }
}

/// Whether a cue text line is really the next cue's timing line (a writer
/// left out the blank line): it starts with a digit and has an arrow.
pub(crate) fn looks_like_timing(line: &str) -> bool {
    line.trim_start().starts_with(|c: char| c.is_ascii_digit()) && line.contains("-->")
}

/// What is wrong with a timing line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimingError {
    /// No `-->` on the line.
    NoArrow,
    /// The start time is not a time.
    BadStart,
    /// The end time is missing or not a time.
    BadEnd,
}

impl TimingError {
    /// The message for the user, quoting the line and showing a good one.
    pub(crate) fn message(self, line: &str, example: &str) -> String {
        let found = show(line);
        match self {
            TimingError::NoArrow => {
                format!("expected a cue timing like {example}, found \"{found}\"")
            }
            TimingError::BadStart => format!(
                "expected a cue timing like {example}, found \"{found}\": the start time is not a time"
            ),
            TimingError::BadEnd => format!(
                "expected a cue timing like {example}, found \"{found}\": the end time is missing or not a time"
            ),
        }
    }
}

/// Parses `START --> END [settings]` into milliseconds. Settings after the
/// end time (`align:start position:0%`, SRT's `X1:...`) are ignored.
///
/// An end before the start is taken as the start (a zero-length cue) rather
/// than refused: Whisper writes such cues (`01:50.000 --> 01:38.000` in
/// Lexicap's episode 70, six files of the corpus have one) around real
/// speech, and refusing would lose whole episodes over one bad time.
pub(crate) fn parse_timing(line: &str) -> Result<(u64, u64), TimingError> {
    let (a, b) = line.split_once("-->").ok_or(TimingError::NoArrow)?;
    let start = timestamp::parse_ms(a).ok_or(TimingError::BadStart)?;
    let end_text = b
        .split_ascii_whitespace()
        .next()
        .ok_or(TimingError::BadEnd)?;
    let end = timestamp::parse_ms(end_text).ok_or(TimingError::BadEnd)?;
    Ok((start, end.max(start)))
}

/// A piece of input quoted in a message: at most 60 characters.
pub(crate) fn show(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", s.get(..cut).unwrap_or(s)),
        None => s.to_string(),
    }
}

/// Which inline markup a format has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    /// WebVTT: `<c>`, `<v Name>`, `<i>`, `<00:00:01.234>`.
    Vtt,
    /// SRT: `<i>`, `<b>`, `<font ...>`, and `{\an8}`-style override codes.
    Srt,
}

/// A piece of a cue line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Text(&'a str),
    /// A whole tag, with its brackets.
    Tag(&'a str),
}

/// Splits a cue line into text and tags, in order.
///
/// A `<` opens a tag only when a letter, digit or `/` follows and a `>` comes
/// later on the line; otherwise it is text (`a < b`). In SRT, `{\...}` is an
/// override code and counts as a tag. Linear in the line's length whatever it
/// holds: once no closing bracket is left, the rest is text.
fn for_each_token<'a>(line: &'a str, markup: Markup, mut f: impl FnMut(Token<'a>)) {
    let b = line.as_bytes();
    let mut pos = 0;
    let mut text_from = 0;
    let mut no_gt = false;
    let mut no_brace = markup != Markup::Srt;
    loop {
        let found = if no_brace {
            memchr::memchr(b'<', b.get(pos..).unwrap_or_default())
        } else {
            memchr::memchr2(b'<', b'{', b.get(pos..).unwrap_or_default())
        };
        let Some(rel) = found else { break };
        let open = pos + rel;
        let (is_angle, close_byte) = match b.get(open) {
            Some(b'<') => (true, b'>'),
            _ => (false, b'}'),
        };
        let opens_tag = if is_angle {
            !no_gt
                && b.get(open + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'/')
        } else {
            b.get(open + 1) == Some(&b'\\')
        };
        if !opens_tag {
            pos = open + 1;
            continue;
        }
        match memchr::memchr(close_byte, b.get(open + 1..).unwrap_or_default()) {
            Some(crel) => {
                let close = open + 1 + crel;
                if let Some(t) = line.get(text_from..open).filter(|t| !t.is_empty()) {
                    f(Token::Text(t));
                }
                if let Some(tag) = line.get(open..=close) {
                    f(Token::Tag(tag));
                }
                pos = close + 1;
                text_from = pos;
            }
            None => {
                if is_angle {
                    no_gt = true;
                } else {
                    no_brace = true;
                }
                pos = open + 1;
            }
        }
    }
    if let Some(t) = line.get(text_from..).filter(|t| !t.is_empty()) {
        f(Token::Text(t));
    }
}

/// A cue line without its tags, whitespace runs collapsed, trimmed; entities
/// stay as written. Used to recognise the lines rolling captions repeat.
fn plain_text(line: &str, markup: Markup) -> String {
    let mut raw = String::with_capacity(line.len());
    for_each_token(line, markup, |tok| {
        if let Token::Text(t) = tok {
            raw.push_str(t);
        }
    });
    let mut out = String::with_capacity(raw.len());
    text::push_words(&mut out, &raw);
    out
}

/// Decodes HTML character references into `out`, with the rules of
/// [`text::decode_entities`], but looking at most 10 bytes past each `&`, so
/// that a huge line full of `&`s stays linear (the shared function searches
/// the whole rest of the line for a `;` at every `&`).
pub(crate) fn decode_entities_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let tail = rest.get(amp..).unwrap_or_default();
        let semi = tail.bytes().take(11).position(|c| c == b';');
        let reference = semi
            .and_then(|e| tail.get(..=e))
            .filter(|r| !r.get(1..).unwrap_or_default().contains('&'));
        if let Some(r) = reference {
            let decoded = text::decode_entities(r);
            if decoded != r {
                out.push_str(&decoded);
                rest = tail.get(r.len()..).unwrap_or_default();
                continue;
            }
        }
        out.push('&');
        rest = tail.get(1..).unwrap_or_default();
    }
    out.push_str(rest);
}

/// Bytes that send a line down the slow path of [`clean_lines`]: markup
/// (`<`, `&`, `[`, and `{` for SRT), ASCII control characters (tabs and other
/// whitespace), and the lead bytes of the UTF-8 encodings of every non-ASCII
/// whitespace character (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'<' as usize] = true;
    t[b'&' as usize] = true;
    t[b'[' as usize] = true;
    t[b'{' as usize] = true;
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xE1] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t
};

/// Whether a trimmed line is already clean speech: no markup, no entity, no
/// `[tag]`, and single ASCII spaces between words. Such a line is its own
/// cleaned text, which is what makes Whisper files fast.
fn is_plain(line: &str) -> bool {
    let mut prev_space = false;
    for &c in line.as_bytes() {
        if SPECIAL[c as usize] {
            return false;
        }
        let space = c == b' ';
        if space && prev_space {
            return false;
        }
        prev_space = space;
    }
    true
}

/// The speech and the non-speech events of a cue's text lines: lines joined
/// by one space, tags removed, entities decoded, `[Music]`-style tags split
/// off with [`text::split_tags`], whitespace collapsed and trimmed.
pub(crate) fn clean_lines(lines: &[&str], markup: Markup) -> (String, Vec<String>) {
    if lines.iter().all(|l| is_plain(l.trim())) {
        let len = lines.iter().map(|l| l.len() + 1).sum();
        let mut out = String::with_capacity(len);
        for l in lines {
            let l = l.trim();
            if l.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(l);
        }
        return (out, Vec::new());
    }
    let mut raw = String::new();
    for l in lines {
        for_each_token(l, markup, |tok| {
            if let Token::Text(t) = tok {
                raw.push_str(t);
            }
        });
        raw.push(' ');
    }
    // Tags first, entities second: `&lt;i&gt;` is text that shows `<i>`.
    let mut decoded = String::with_capacity(raw.len());
    decode_entities_into(&raw, &mut decoded);
    text::split_tags(&decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{naming::FileHints, Format};
    use podcorpus_core::Collect;

    const LEXICAP_LARGE: &str = include_str!("../tests/fixtures/webvtt/lexicap_001_large_head.vtt");
    const LEXICAP_SMALL: &str = include_str!("../tests/fixtures/webvtt/lexicap_001_small_head.vtt");
    const YOUTUBE_AUTO: &str = include_str!("../tests/fixtures/webvtt/youtube_auto.en.vtt");
    const MANUAL: &str = include_str!("../tests/fixtures/webvtt/manual_features.vtt");

    fn read_with(ctx: &Context, text: &str) -> Result<Episode, ParseError> {
        let mut sink = Collect::default();
        match WebVtt.read(ctx, text, &mut sink) {
            Ok(()) => {}
            Err(ReadError::Parse(e)) => return Err(e),
            Err(ReadError::Sink(never)) => match never {},
        }
        assert_eq!(sink.episodes.len(), 1, "one episode per file");
        Ok(sink.episodes.remove(0))
    }

    fn read(text: &str) -> Result<Transcript, ParseError> {
        let mut ep = read_with(&Context::default(), text)?;
        assert_eq!(ep.transcripts.len(), 1, "one transcript per file");
        Ok(ep.transcripts.remove(0))
    }

    fn texts(t: &Transcript) -> Vec<&str> {
        t.segments.iter().map(|s| s.text.as_str()).collect()
    }

    fn times(t: &Transcript) -> Vec<(u64, u64)> {
        t.segments
            .iter()
            .map(|s| (s.start_ms.unwrap(), s.end_ms.unwrap()))
            .collect()
    }

    #[test]
    fn lexicap_large_real_values() {
        let ctx = Context {
            hints: FileHints::from_file_name("episode_001_large.vtt"),
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

    #[test]
    fn errors_name_the_line() {
        let e = read("WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n00:0x.000 --> 00:03.000\nb\n")
            .unwrap_err();
        assert_eq!(e.line, Some(6));
        assert!(
            e.message
                .contains("expected a cue timing like \"00:01.000 --> 00:04.000\""),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("found \"00:0x.000 --> 00:03.000\""),
            "{}",
            e.message
        );
        assert!(e.message.contains("start time"), "{}", e.message);

        let e = read("WEBVTT\n\n00:01.000 --> \n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("end time"), "{}", e.message);

        // A cue identifier not followed by a timing.
        let e = read("WEBVTT\n\nintro\nhello\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(
            e.message.contains("after the cue identifier \"intro\""),
            "{}",
            e.message
        );

        // Text cut off from its cue by a blank line.
        let e = read(
            "WEBVTT\n\n00:01.000 --> 00:02.000\na\n\nstray text\n\n00:02.000 --> 00:03.000\nb\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(6));
        assert!(e.message.contains("found \"stray text\""), "{}", e.message);
        assert_eq!(e.to_string().split(':').next(), Some("line 6"));
    }

    #[test]
    fn truncated_files() {
        let full =
            "WEBVTT\n\n00:01.000 --> 00:02.000\nfirst cue\n\n00:02.000 --> 00:03.000\nsecond cue\n";
        // Cut inside the second timing line: an error on that line.
        let cut = full.find("00:03").unwrap() + 2;
        let e = read(&full[..cut]).unwrap_err();
        assert_eq!(e.line, Some(6));
        // Cut inside the text: what was written is kept.
        let cut = full.rfind("cue\n").unwrap();
        assert_eq!(
            texts(&read(&full[..cut]).unwrap()),
            vec!["first cue", "second"]
        );
        // Cut after a cue identifier: the timing was due on line 7.
        let e = read("WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n7").unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(
            e.message.contains("the file ends after \"7\""),
            "{}",
            e.message
        );
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
            let mut dec = String::new();
            decode_entities_into(&raw, &mut dec);
            assert_eq!(fast, text::split_tags(&dec).0, "{line:?}");
        }
        assert!(is_plain(
            "As part of MIT course 6S099, Artificial General Intelligence,"
        ));
        assert!(!is_plain("a  b"));
        assert!(!is_plain("a\u{a0}b"));
    }

    #[test]
    fn entity_decoding_matches_shared_rules() {
        for s in [
            "a &amp; b &lt;3 &#39;x&#x27; &bogus; &",
            "&&amp;",
            "&am&amp;",
            "&#1234567890;",
            "&lrm;hi",
            "x&nbsp;y;",
        ] {
            let mut out = String::new();
            decode_entities_into(s, &mut out);
            assert_eq!(out, text::decode_entities(s), "{s:?}");
        }
    }
}
