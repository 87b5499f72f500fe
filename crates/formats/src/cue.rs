//! Cue-level helpers shared by the subtitle readers ([`webvtt`](crate::webvtt)
//! and [`srt`](crate::srt)): numbered lines, timing lines, inline markup, and
//! the cleaning that turns a cue's lines into speech and events.

use crate::{timestamp, Context, ParseError, ReadError};
use podcorpus_core::{text, Episode, EpisodeMeta, Sink, Transcript, Warning};

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

/// Hands a subtitle file's warnings, then its episode, to the sink.
pub(crate) fn emit<S: Sink>(
    sink: &mut S,
    warnings: Vec<Warning>,
    episode: Episode,
) -> Result<(), ReadError<S::Error>> {
    for w in warnings {
        sink.warning(w).map_err(ReadError::Sink)?;
    }
    sink.episode(episode).map_err(ReadError::Sink)
}

/// Refuses a file when nothing in it was `kept` and something was left out:
/// it is not in the format, or nothing in it is usable. The error is the
/// first warning's, at its line. (Nothing kept and nothing left out is an
/// empty but well-formed file.)
pub(crate) fn nothing_usable(
    none_kept: bool,
    warnings: &[Warning],
    what: &str,
) -> Result<(), ParseError> {
    match warnings.first() {
        Some(first) if none_kept => Err(ParseError::at_line(
            first.line as usize,
            format!("no {what} could be read: {}", first.message),
        )),
        _ => Ok(()),
    }
}

/// The lines of a text with their 1-based numbers. A line ends at `\n`,
/// `\r\n` or a lone `\r`; the terminator is not part of the line. Cloning
/// is how a reader looks ahead.
#[derive(Clone)]
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
    let arrow = memchr::memmem::find(line.as_bytes(), b"-->").ok_or(TimingError::NoArrow)?;
    let (a, b) = (&line[..arrow], &line[arrow + 3..]);
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
pub(crate) enum Token<'a> {
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
pub(crate) fn for_each_token<'a>(line: &'a str, markup: Markup, mut f: impl FnMut(Token<'a>)) {
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
pub(crate) fn plain_text(line: &str, markup: Markup) -> String {
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
pub(crate) fn is_plain(line: &str) -> bool {
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
    if lines.iter().all(|l| is_plain(text::trim(l))) {
        let len = lines.iter().map(|l| l.len() + 1).sum();
        let mut out = String::with_capacity(len);
        for l in lines {
            let l = text::trim(l);
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
    text::split_tags(&text::decode_entities(&raw))
}
