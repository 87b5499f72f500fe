//! The user's notes document: numbered slots (`--99--` down to `--01--`), each
//! with `Date:`, `Link: [Title](url)`, `Transcription:` and `Summary:`, filled
//! by hand with text pasted from YouTube's transcript panel and a chat model.
//!
//! The layout is a human habit, not a grammar, so this reader classifies lines
//! (see [`classify`]) and documents each decision where it is made. The whole
//! document is also handed to the sink verbatim ([`DocumentInfo::raw`]) so it
//! can be written back byte for byte.

use crate::{Context, ParseError, ReadError, Reader};
use podcorpus_core::text::{guests_from_title, split_tags};
use podcorpus_core::{
    Chapter, DocumentInfo, Episode, EpisodeMeta, Segment, Sink, Subject, Summary, Transcript,
    TranscriptMeta,
};
use std::borrow::Cow;

/// The notes-document reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct Notes;

/// What the template puts in an unfilled `Transcription:` section.
const PLACEHOLDER: &str = "paste here";

impl Reader for Notes {
    fn name(&self) -> &'static str {
        "notes"
    }

    /// A text file with at least one slot marker like `--01--` near the top.
    fn sniff(&self, file_name: &str, head: &[u8]) -> bool {
        let lower = file_name.to_ascii_lowercase();
        let texty = lower.ends_with(".txt") || lower.ends_with(".md") || !lower.contains('.');
        texty
            && head
                .split(|&b| b == b'\n')
                .filter_map(|l| std::str::from_utf8(l).ok())
                .any(|l| slot_marker(l).is_some())
    }

    fn read<S: Sink>(
        &self,
        _ctx: &Context,
        text: &str,
        sink: &mut S,
    ) -> Result<(), ReadError<S::Error>> {
        let slots = slots(text)?;
        sink.document(DocumentInfo {
            format: "notes".into(),
            slots: slots.len() as u32,
            raw: text.to_string(),
        })
        .map_err(ReadError::Sink)?;
        // Oldest first, as episodes are numbered: the document lists newest first.
        let mut episodes: Vec<Episode> = slots.into_iter().filter_map(|s| s.episode).collect();
        episodes.sort_by_key(|e| e.meta.number);
        for ep in episodes {
            sink.episode(ep).map_err(ReadError::Sink)?;
        }
        Ok(())
    }
}

/// How a timed paste writes its times, so that it is written back alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteStyle {
    /// `0:00` alone on a line and the caption on the next: a copy of
    /// YouTube's transcript panel.
    OwnLine,
    /// `0:00 caption` on one line.
    Inline,
}

/// One numbered slot of a notes document, as read.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The slot's number (`--07--` is 7).
    pub number: u32,
    /// 0-based index of the marker line.
    pub marker: usize,
    /// 0-based lines of the slot's body: from the line after the rule under
    /// the marker to the rule that closes the slot (not included), which is
    /// where a slot's `Date:`, `Link:`, `Transcription:` and `Summary:` are.
    pub body: std::ops::Range<usize>,
    /// What the slot holds; `None` when it is empty.
    pub episode: Option<Episode>,
    /// The style of its timed paste, when its speech is timed.
    pub style: Option<PasteStyle>,
}

impl Slot {
    /// A slot with a link and nothing else the user wrote: no speech, no
    /// description, no summary. These are the slots `fill` may write.
    pub fn wants_filling(&self) -> bool {
        self.episode.as_ref().is_some_and(|e| {
            e.meta.url.is_some()
                && e.transcripts.is_empty()
                && e.summaries.is_empty()
                && e.meta.description.is_none()
                && e.chapters.is_empty()
        })
    }

    /// A slot with nothing in it but the template.
    pub fn is_empty(&self) -> bool {
        self.episode.is_none()
    }
}

/// Every slot of a notes document, in document order (newest first). Refuses
/// a text without slots, a slot number used twice, and a bad date, naming
/// the line.
pub fn slots(text: &str) -> Result<Vec<Slot>, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let markers: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| slot_marker(l).map(|n| (i, n)))
        .collect();
    if markers.is_empty() {
        return Err(ParseError::whole(
            "no numbered slots like \"--01--\" found; is this a notes document?",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for &(i, n) in &markers {
        if !seen.insert(n) {
            return Err(ParseError::at_line(
                i + 1,
                format!("slot --{n:02}-- appears twice; number each slot once"),
            ));
        }
    }
    let mut out = Vec::with_capacity(markers.len());
    for (k, &(marker, number)) in markers.iter().enumerate() {
        let end = markers.get(k + 1).map_or(lines.len(), |&(next, _)| next);
        // The body starts under the rule below the marker and ends at the
        // next rule: the template's lines, which the reader skips anyway.
        let head = (marker + 1..end).find(|&i| is_rule(lines[i]));
        let from = head.map_or(marker + 1, |h| h + 1);
        let to = (from..end).find(|&i| is_rule(lines[i])).unwrap_or(end);
        let (episode, style) = read_slot(&lines, marker + 1, end, number)?;
        out.push(Slot {
            number,
            marker,
            body: from..to,
            episode,
            style,
        });
    }
    Ok(out)
}

/// `--07--`, `--07--  `, `--10--     https://...` give the slot number.
pub fn slot_marker(line: &str) -> Option<u32> {
    let rest = line.trim_start().strip_prefix("--")?;
    let digits_end = rest.find(|c: char| !c.is_ascii_digit())?;
    if digits_end == 0 || digits_end > 6 || !rest[digits_end..].starts_with("--") {
        return None;
    }
    rest[..digits_end].parse().ok()
}

/// Which section of a slot a line belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Head,
    Transcription,
    Summary,
}

/// Reads the lines `[from, to)` of one slot; `None` for an empty slot.
fn read_slot(
    lines: &[&str],
    from: usize,
    to: usize,
    number: u32,
) -> Result<(Option<Episode>, Option<PasteStyle>), ParseError> {
    let mut meta = EpisodeMeta {
        number: Some(number),
        ..Default::default()
    };
    let mut section = Section::Head;
    let mut transcription: Vec<(usize, &str)> = Vec::new();
    let mut summaries: Vec<Vec<&str>> = Vec::new();
    for (i, &line) in lines.iter().enumerate().take(to).skip(from) {
        let trimmed = line.trim();
        if is_rule(trimmed) {
            continue;
        }
        if let Some(value) = label(trimmed, "date:") {
            meta.published = parse_date(value).map_err(|m| ParseError::at_line(i + 1, m))?;
            continue;
        }
        if let Some(value) = label(trimmed, "link:") {
            let (title, url) = parse_link(value);
            meta.url = url;
            meta.video_id = meta.url.as_deref().and_then(video_id_from_url);
            meta.guests = title.as_deref().map(guests_from_title).unwrap_or_default();
            meta.title = title;
            continue;
        }
        if let Some(value) = label(trimmed, "transcription:") {
            section = Section::Transcription;
            if !value.is_empty() {
                transcription.push((i, value));
            }
            continue;
        }
        if let Some(value) = label(trimmed, "summary:") {
            section = Section::Summary;
            summaries.push(if value.is_empty() {
                Vec::new()
            } else {
                vec![value]
            });
            continue;
        }
        match section {
            Section::Transcription => transcription.push((i, line)),
            Section::Summary => {
                if let Some(s) = summaries.last_mut() {
                    s.push(line);
                }
            }
            Section::Head => {}
        }
    }
    let body = classify(&transcription);
    let filled = meta.published.is_some()
        || meta.url.is_some()
        || meta.title.is_some()
        || !body.speech.is_empty()
        || body.description.is_some()
        || summaries.iter().any(|s| !block_text(s).is_empty());
    if !filled {
        return Ok((None, None));
    }
    meta.description = body.description;
    let mut ep = Episode {
        meta,
        ..Default::default()
    };
    let mut text_len = 0u64;
    let mut segments = Vec::with_capacity(body.speech.len());
    for item in body.speech {
        match item {
            Speech::Chapter { title, start_ms } => ep.chapters.push(Chapter {
                title: title.to_string(),
                start_ms,
                // Where the chapter's first word will start in the joined text.
                text_pos: Some(if text_len > 0 { text_len + 1 } else { 0 }),
            }),
            Speech::Line {
                text: line,
                start_ms,
            } => {
                let (text, events) = split_tags(&line);
                if !text.is_empty() {
                    if text_len > 0 {
                        text_len += 1;
                    }
                    text_len += text.chars().count() as u64;
                }
                segments.push(Segment {
                    start_ms,
                    text,
                    events,
                    ..Default::default()
                });
            }
        }
    }
    // A pasted segment lasts until the next one starts, as in the panel.
    for k in 1..segments.len() {
        let (prev, next) = (segments[k - 1].start_ms, segments[k].start_ms);
        if let (Some(a), Some(b)) = (prev, next) {
            segments[k - 1].end_ms = (b >= a).then_some(b);
        }
    }
    if !segments.is_empty() {
        ep.transcripts.push(Transcript {
            meta: TranscriptMeta {
                source: "notes".into(),
                language: Some("en".into()),
                provenance: None,
            },
            segments,
        });
    }
    // Labelled summaries come in document order, unlabelled blocks after the speech.
    for block in summaries
        .iter()
        .map(|s| block_text(s))
        .chain(body.summaries)
    {
        if !block.is_empty() {
            ep.summaries.push(Summary {
                kind: "imported".into(),
                subject: Subject::of_summary(&block),
                text: block,
            });
        }
    }
    Ok((Some(ep), body.style))
}

/// The template's rules between slots: `-----` and `----------` (spaces
/// around them allowed).
pub fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.bytes().all(|b| b == b'-')
}

/// `Date: x` (any case) gives `x`, trimmed.
fn label<'a>(trimmed: &'a str, name: &str) -> Option<&'a str> {
    let head = trimmed.get(..name.len())?;
    head.eq_ignore_ascii_case(name)
        .then(|| trimmed[name.len()..].trim())
}

/// `2016.09.27` (also with `-` or `/`) to ISO `2016-09-27`; empty is no date.
fn parse_date(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = value.split(['.', '-', '/']).map(str::trim).collect();
    let bad = || format!("expected a date like 2016.09.27 (year.month.day), found {value:?}");
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    let (y, m, d): (u32, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
        (Ok(y), Ok(m), Ok(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    if !(1900..=2999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(Some(format!("{y:04}-{m:02}-{d:02}")))
}

/// `[Title](url)`, a bare URL, or bare text (a title without link).
fn parse_link(value: &str) -> (Option<String>, Option<String>) {
    if value.is_empty() {
        return (None, None);
    }
    if let Some(rest) = value.strip_prefix('[') {
        if let Some(mid) = rest.rfind("](") {
            let title = rest[..mid].trim();
            let url = rest[mid + 2..].trim_end().trim_end_matches(')').trim();
            return (non_empty(title), non_empty(url));
        }
    }
    if let Some(url) = bare_url(value) {
        return (None, Some(url));
    }
    (Some(value.to_string()), None)
}

/// A link written as a bare address: `https://…`, `<https://…>`, or a
/// YouTube address without its scheme (`youtu.be/ID`, `www.youtube.com/…`),
/// which gets `https://`.
fn bare_url(value: &str) -> Option<String> {
    let v = value
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(value)
        .trim();
    if v.contains(char::is_whitespace) {
        return None;
    }
    if v.starts_with("http://") || v.starts_with("https://") {
        return Some(v.to_string());
    }
    let host = v.split('/').next().unwrap_or("").to_ascii_lowercase();
    let youtube = [
        "youtu.be",
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
    ];
    (youtube.contains(&host.as_str()) && v.contains('/')).then(|| format!("https://{v}"))
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The video id of a YouTube address: `watch?v=ID`, `youtu.be/ID`,
/// `/shorts/ID`, `/embed/ID`, `/live/ID`.
pub fn video_id_from_url(url: &str) -> Option<String> {
    podcorpus_core::VideoId::from_url(url).map(|v| v.to_string())
}

/// The trimmed text of a block of lines, inner layout kept.
fn block_text(lines: &[&str]) -> String {
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].join("\n").trim_end().to_string(),
        _ => String::new(),
    }
}

/// One item of the speech, in order.
#[derive(Debug, PartialEq, Eq)]
enum Speech<'a> {
    /// A caption: one pasted line, or (timed) the lines under one timestamp.
    Line {
        text: Cow<'a, str>,
        start_ms: Option<u64>,
    },
    /// A chapter title pasted as a lone line; timed, it starts where the
    /// timestamp under it does.
    Chapter {
        title: &'a str,
        start_ms: Option<u64>,
    },
}

/// What a `Transcription:` section holds once its lines are told apart.
#[derive(Debug, Default)]
struct Body<'a> {
    description: Option<String>,
    speech: Vec<Speech<'a>>,
    summaries: Vec<String>,
    style: Option<PasteStyle>,
}

/// A timestamp of YouTube's transcript panel at the head of a line: the
/// time, and the caption after it on the same line (empty when the time is
/// alone on its line).
fn stamp(line: &str) -> Option<(u64, &str)> {
    let t = line.trim();
    let (head, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
    let ms = podcorpus_core::link::parse_clock(head)?;
    Some((ms, rest.trim_start()))
}

/// The speech of a timed paste, from `rest[0]` (content lines, positions into
/// `lines`): chapter headings, then a timestamp per caption. `None` when the
/// paste is not timed: the first line that is not a heading must be a
/// timestamp. Returns the speech, how many of `rest` it used, and its style.
///
/// Under a timestamp, the caption is the rest of its line or, when the time
/// is alone, the next line. Of the lines after the caption and before the
/// next timestamp, the last is the chapter heading the panel puts there
/// (unless it is only `[tags]`); the others continue the caption. After the
/// last timestamp, the caption continues up to the first prose line, where
/// the summaries begin.
fn timed_speech<'a>(
    lines: &[(usize, &'a str)],
    rest: &[usize],
) -> Option<(Vec<Speech<'a>>, usize, PasteStyle)> {
    let text = |p: usize| lines[rest[p]].1;
    let first = rest.iter().position(|&k| stamp(lines[k].1).is_some())?;
    // One time at the head of a caption is more likely part of the caption;
    // a time alone on its line is the panel's.
    let alone = stamp(text(first)).is_some_and(|(_, t)| t.is_empty());
    if !alone
        && rest[first + 1..]
            .iter()
            .all(|&k| stamp(lines[k].1).is_none())
    {
        return None;
    }
    let heading = |l: &str| !is_prose(l) && l.trim().chars().count() <= 100;
    if first > 3 || !(0..first).all(|p| heading(text(p))) {
        return None;
    }
    let style = match stamp(text(first)) {
        Some((_, "")) => PasteStyle::OwnLine,
        _ => PasteStyle::Inline,
    };
    let mut speech: Vec<Speech<'a>> = (0..first)
        .map(|p| Speech::Chapter {
            title: text(p).trim(),
            start_ms: None,
        })
        .collect();
    let mut p = first;
    while p < rest.len() {
        let Some((ms, same_line)) = stamp(text(p)) else {
            break;
        };
        // Headings just read start here.
        for item in speech.iter_mut().rev() {
            match item {
                Speech::Chapter { start_ms, .. } if start_ms.is_none() => *start_ms = Some(ms),
                _ => break,
            }
        }
        p += 1;
        let mut caption: Vec<&'a str> = Vec::new();
        if !same_line.is_empty() {
            caption.push(same_line);
        } else if p < rest.len() && stamp(text(p)).is_none() {
            caption.push(text(p).trim());
            p += 1;
        }
        // The lines up to the next timestamp.
        let run_end = (p..rest.len())
            .find(|&q| stamp(text(q)).is_some())
            .unwrap_or(rest.len());
        let last_run = run_end == rest.len();
        let mut heading = None;
        let mut upto = run_end;
        if last_run {
            upto = (p..run_end).find(|&q| is_prose(text(q))).unwrap_or(run_end);
        } else if run_end > p && !split_tags(text(run_end - 1)).0.is_empty() {
            heading = Some(text(run_end - 1).trim());
            upto = run_end - 1;
        }
        caption.extend((p..upto).map(|q| text(q).trim()));
        let text = if caption.len() == 1 {
            Cow::Borrowed(caption[0])
        } else {
            Cow::Owned(caption.join(" "))
        };
        speech.push(Speech::Line {
            text,
            start_ms: Some(ms),
        });
        if let Some(title) = heading {
            speech.push(Speech::Chapter {
                title,
                start_ms: None,
            });
        }
        p = if last_run { upto } else { run_end };
    }
    Some((speech, p, style))
}

/// Tells apart the four things pasted under `Transcription:`.
///
/// - Caption lines from YouTube's transcript panel carry no punctuation;
///   descriptions and chat-model summaries are prose (see [`is_prose`]).
/// - The description is the first prose paragraph, before any caption.
/// - Unlabelled summaries are the prose after the last caption line, split
///   where a new introduction starts (see [`split_summaries`]).
/// - Chapter titles are short capitalised lone lines (see [`chapter_title`]),
///   accepted only when the slot has at least three and the first one opens
///   the speech: YouTube's own rule is that chapters start at 0:00 and number
///   at least three, and it keeps sentence-initial captions such as
///   "Wednesday" in a chapterless slot from passing as chapters.
fn classify<'a>(lines: &[(usize, &'a str)]) -> Body<'a> {
    let text = |k: usize| lines[k].1;
    let blank = |l: &str| l.trim().is_empty() || l.trim().eq_ignore_ascii_case(PLACEHOLDER);
    // Positions (into `lines`) of the lines that hold something.
    let content: Vec<usize> = (0..lines.len()).filter(|&k| !blank(text(k))).collect();
    let mut body = Body::default();
    // The description: the first paragraph, when it is all prose.
    let mut start = 0;
    if let Some(&first) = content.first() {
        // A paragraph of prose, stopping before a chat model's "...:" that opens a list.
        let para_end = (first..lines.len())
            .find(|&k| {
                lines[k].1.trim().is_empty()
                    || !is_prose(text(k))
                    || (k > first && introduces_list(&content, lines, k))
            })
            .unwrap_or(lines.len());
        let para: Vec<&str> = (first..para_end).map(text).collect();
        if !para.is_empty() {
            body.description = Some(block_text(&para));
            start = para.len();
        }
    }
    let rest = &content[start..];
    if let Some((speech, used, style)) = timed_speech(lines, rest) {
        body.speech = speech;
        body.style = Some(style);
        if let Some(&tail) = rest.get(used) {
            let tail: Vec<&str> = (tail..lines.len()).map(text).collect();
            body.summaries = split_summaries(&tail);
        }
        return body;
    }
    // The speech ends at the last line that is not prose.
    let speech_end = rest
        .iter()
        .rposition(|&k| !is_prose(text(k)))
        .map_or(0, |p| p + 1);
    let speech = &rest[..speech_end];
    let chapters: Vec<bool> = speech
        .iter()
        .map(|&k| chapter_title(text(k)).is_some())
        .collect();
    let mut chapters = chapters;
    // A chapter heads some speech: the last line cannot be one.
    if let Some(last) = chapters.last_mut() {
        *last = false;
    }
    let use_chapters =
        chapters.first() == Some(&true) && chapters.iter().filter(|&&c| c).count() >= 3;
    for (&k, is_chapter) in speech.iter().zip(chapters) {
        if use_chapters && is_chapter {
            body.speech.push(Speech::Chapter {
                title: text(k).trim(),
                start_ms: None,
            });
        } else {
            body.speech.push(Speech::Line {
                text: Cow::Borrowed(text(k)),
                start_ms: None,
            });
        }
    }
    // Summaries keep the blank lines of the original between their paragraphs.
    if let Some(&tail) = rest.get(speech_end) {
        let tail: Vec<&str> = (tail..lines.len()).map(text).collect();
        body.summaries = split_summaries(&tail);
    }
    body
}

/// Whether line `k` ends with `:` and the next line with content is a list item.
fn introduces_list(content: &[usize], lines: &[(usize, &str)], k: usize) -> bool {
    lines[k].1.trim_end().ends_with(':')
        // `content` is sorted: a binary search keeps long prose linear overall.
        && content
            .get(content.partition_point(|&n| n <= k))
            .is_some_and(|&n| is_list_item(lines[n].1))
}

/// `1. `, `- `, `* ` or an indented line: an item of a markdown list.
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    line.starts_with([' ', '\t'])
        || t.starts_with("- ")
        || t.starts_with("* ")
        || t.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Prose, not a caption: ends a sentence, or has sentence punctuation inside
/// (`. `, `, `, `? `, `; `), or is a markdown list or bold line. YouTube's
/// transcript panel gives auto-captions without any of these.
fn is_prose(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let md = t.starts_with("**")
        || t.starts_with("- ")
        || t.starts_with("* ")
        || t.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    md || t.ends_with(['.', '!', '?', ':', ';'])
        || t.contains(". ")
        || t.contains(", ")
        || t.contains("? ")
        || t.contains("; ")
}

/// A chapter title: 1–8 words, at most 60 characters, starting with a capital
/// or a digit, no sentence punctuation at the end, not a `[tag]`, and not a
/// caption that merely starts with the pronoun "I".
fn chapter_title(line: &str) -> Option<&str> {
    let t = line.trim();
    let words = t.split_whitespace().count();
    let first = t.chars().next()?;
    let pronoun = t == "I" || t.starts_with("I ") || t.starts_with("I'");
    let ok = (1..=8).contains(&words)
        && t.chars().count() <= 60
        && (first.is_uppercase() || first.is_ascii_digit())
        && !t.ends_with(['.', ',', '!', '?', ';', ':'])
        && !pronoun
        && !is_prose(t);
    ok.then_some(t)
}

/// Splits the prose after the speech into summaries. A summary is an
/// introduction, a list, and closing paragraphs; after a closing paragraph, a
/// paragraph that introduces a list (ends with `:` or is followed by one)
/// starts the next summary.
fn split_summaries(lines: &[&str]) -> Vec<String> {
    // Paragraphs as (start, end) line ranges, blank-separated.
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let s = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        paras.push((s, i));
    }
    let is_list = |(s, _): (usize, usize)| is_list_item(lines[s]);
    let mut starts = vec![0usize];
    let mut seen_list = false;
    let mut closing = false;
    for (k, &p) in paras.iter().enumerate() {
        if is_list(p) {
            seen_list = true;
            closing = false;
            continue;
        }
        let intro = lines[p.1 - 1].trim_end().ends_with(':')
            || paras.get(k + 1).is_some_and(|&n| is_list(n));
        if closing && intro {
            starts.push(k);
            seen_list = false;
            closing = false;
        } else if seen_list {
            closing = true;
        }
    }
    let mut out = Vec::new();
    for (n, &k) in starts.iter().enumerate() {
        let end_para = starts.get(n + 1).copied().unwrap_or(paras.len());
        if k >= end_para {
            continue;
        }
        let from = paras[k].0;
        let to = paras[end_para - 1].1;
        let text = block_text(&lines[from..to]);
        if !text.is_empty() {
            out.push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use podcorpus_core::Collect;

    const NOTES: &str = include_str!("../tests/fixtures/notes/lex-fridman-notes.txt");

    fn read(text: &str) -> Collect {
        let mut sink = Collect::default();
        Notes
            .read(&Context::default(), text, &mut sink)
            .expect("reads");
        sink
    }

    fn slot(c: &Collect, n: u32) -> &Episode {
        c.episodes
            .iter()
            .find(|e| e.meta.number == Some(n))
            .expect("slot present")
    }

    #[test]
    fn real_document_has_six_episodes_in_99_slots() {
        let c = read(NOTES);
        let doc = c.document.as_ref().expect("document info");
        assert_eq!(doc.slots, 99);
        assert_eq!(doc.raw, NOTES);
        let numbers: Vec<u32> = c.episodes.iter().filter_map(|e| e.meta.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn slot_metadata_from_date_and_link() {
        let c = read(NOTES);
        let e = &slot(&c, 6).meta;
        assert_eq!(e.published.as_deref(), Some("2016-09-27"));
        assert_eq!(
            e.title.as_deref(),
            Some("Sequence to Sequence Deep Learning (Quoc Le, Google)")
        );
        assert_eq!(
            e.url.as_deref(),
            Some("https://www.youtube.com/watch?v=G5RY_SUJih4")
        );
        assert_eq!(e.video_id.as_deref(), Some("G5RY_SUJih4"));
        assert_eq!(e.guests, vec!["Quoc Le"]);
        // `Link:  [` with two spaces (slot 02).
        let e2 = &slot(&c, 2).meta;
        assert_eq!(e2.video_id.as_deref(), Some("94MBVD_tZeU"));
        assert_eq!(e2.guests, vec!["Ryan Hall"]);
        assert_eq!(slot(&c, 1).meta.guests, vec!["Ido Portal"]);
        assert_eq!(slot(&c, 1).meta.published.as_deref(), Some("2014-05-08"));
    }

    #[test]
    fn description_is_the_prose_above_the_speech() {
        let c = read(NOTES);
        let d1 = slot(&c, 1)
            .meta
            .description
            .as_deref()
            .expect("slot 1 description");
        assert!(d1.starts_with("Ido Portal has spent the past few decades"));
        assert!(d1.ends_with("\"I want the contents, not the container.\""));
        assert!(slot(&c, 2)
            .meta
            .description
            .as_deref()
            .expect("slot 2")
            .starts_with("Ryan Hall is an American black belt"));
        assert!(slot(&c, 4)
            .meta
            .description
            .as_deref()
            .expect("slot 4")
            .starts_with("The talks at the Deep Learning School"));
        assert!(slot(&c, 3)
            .meta
            .description
            .as_deref()
            .expect("slot 3")
            .starts_with("Jimmy Pedro is an American judo"));
        assert_eq!(slot(&c, 5).meta.description, None);
        assert_eq!(slot(&c, 6).meta.description, None);
    }

    #[test]
    fn chapters_in_order_with_text_positions() {
        let c = read(NOTES);
        let e1 = slot(&c, 1);
        let titles: Vec<&str> = e1.chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Intro",
                "Journey to becoming a generalist",
                "Specialization",
                "Improvisation",
                "Tough Love",
                "Generalist Mindset",
                "Listen to your body",
                "Movement",
                "Injury",
                "Diet"
            ]
        );
        let text = e1.transcripts[0].text();
        assert_eq!(e1.chapters[0].text_pos, Some(0));
        let pos = e1.chapters[1].text_pos.expect("position") as usize;
        let after: String = text.chars().skip(pos).take(40).collect();
        assert!(after.starts_with("biography of Albert Einstein"), "{after}");
        let before: String = text.chars().take(pos).collect();
        assert!(before.ends_with("reading a "), "{before}");
        let e4 = slot(&c, 4);
        assert_eq!(e4.chapters.len(), 19);
        assert_eq!(e4.chapters[18].title, "NEURAL NETWORK ONLINE COURSE");
        assert_eq!(e4.chapters[1].title, "FOUNDATIONS OF DEEP LEARNING");
        assert_eq!(
            slot(&c, 5).chapters.first().map(|c| c.title.as_str()),
            Some("Introduction")
        );
        assert!(slot(&c, 5)
            .chapters
            .iter()
            .any(|c| c.title == "What is important when building a network"));
        // Chapterless slots: captions that start with a capital are speech.
        assert!(slot(&c, 2).chapters.is_empty());
        assert!(slot(&c, 6).chapters.is_empty());
        let t2 = slot(&c, 2).transcripts[0].text();
        assert!(t2.contains("wait until Wednesday you come back in on Wednesday"));
    }

    #[test]
    fn music_tags_are_events_not_words() {
        let c = read(NOTES);
        let t = &slot(&c, 1).transcripts[0];
        let music = t
            .segments
            .iter()
            .filter(|s| s.events.iter().any(|e| e == "Music"))
            .count();
        assert!(music >= 1);
        assert!(!t.text().contains("[Music]"));
        assert!(t.text().starts_with("we choose to go to the moon"));
        assert!(t.text().ends_with("Daymond thank you so much man for"));
    }

    #[test]
    fn summaries_labelled_and_unlabelled() {
        let c = read(NOTES);
        let s1 = &slot(&c, 1).summaries;
        assert_eq!(s1.len(), 1);
        assert!(s1[0]
            .text
            .starts_with("The interview with Ido Portal, a prominent figure"));
        assert!(s1[0].text.contains("1. **Holistic Approach to Movement**:"));
        // Slot 05: summary before the transcription.
        let s5 = &slot(&c, 5).summaries;
        assert_eq!(s5.len(), 1);
        assert!(s5[0].text.starts_with("In this lecture, Sherry Moore"));
        assert!(slot(&c, 5).transcripts[0]
            .text()
            .starts_with("so I'm going to take a picture"));
        // Slot 04: lower-case `summary:` after the transcription.
        let s4 = &slot(&c, 4).summaries;
        assert_eq!(s4.len(), 1);
        assert!(s4[0].text.starts_with("**Key Points**:"));
        assert!(slot(&c, 4).transcripts[0]
            .text()
            .ends_with("in ten minutes"));
        // Slot 03: a description and two unlabelled summaries, no speech.
        let e3 = slot(&c, 3);
        assert!(e3.transcripts.is_empty());
        assert_eq!(e3.summaries.len(), 2);
        assert!(e3.summaries[0]
            .text
            .starts_with("Based on the comments, the interview with Jimmy Pedro"));
        assert!(e3.summaries[0]
            .text
            .ends_with("making it a valuable and enjoyable experience for the audience."));
        assert!(e3.summaries[1]
            .text
            .starts_with("The interview with Jimmy Pedro, an American judo competitor"));
        assert!(e3.summaries[1]
            .text
            .ends_with("5. **Judo Styles and Techniques**:"));
        // The first is what the viewers said; the second, the interview.
        assert_eq!(e3.summaries[0].subject, Subject::Comments);
        assert_eq!(e3.summaries[1].subject, Subject::Episode);
        // Every other summary of the document is of its episode, Sherry
        // Moore's ("engages with the audience") among them.
        for (i, e) in c.episodes.iter().enumerate() {
            for (k, s) in e.summaries.iter().enumerate() {
                let comments = e.meta.number == Some(3) && k == 0;
                assert_eq!(
                    s.subject == Subject::Comments,
                    comments,
                    "episode {i}, summary {k}: {}",
                    s.text.chars().take(80).collect::<String>()
                );
            }
        }
        assert!(slot(&c, 6).summaries.is_empty());
        // Slot 02: a lower-case `summary:` label too.
        let s2 = &slot(&c, 2).summaries;
        assert_eq!(s2.len(), 1);
        assert!(s2[0]
            .text
            .starts_with("Ryan Hall, a notable martial artist"));
    }

    #[test]
    fn word_counts_match_independent_count() {
        // `wc -w` of slot 06's speech lines (1131..=1822 of the document).
        let c = read(NOTES);
        let lines: Vec<&str> = NOTES.lines().collect();
        assert!(lines[1130].starts_with("eating that were divided"));
        assert_eq!(lines[1820], "closing keynote");
        let expected: usize = lines[1130..1821]
            .iter()
            .map(|l| l.split_whitespace().count())
            .sum();
        assert_eq!(slot(&c, 6).transcripts[0].words() as usize, expected);
    }

    #[test]
    fn bad_date_names_the_line() {
        let doc = "head\n-----\n--01--\n-----\nDate: 2016.13.45\nLink:\nTranscription:\n";
        let mut sink = Collect::default();
        let err = Notes.read(&Context::default(), doc, &mut sink).unwrap_err();
        let ReadError::Parse(e) = err;
        assert_eq!(e.line, Some(5));
        assert!(e.message.contains("2016.13.45"));
    }

    #[test]
    fn duplicate_slot_and_no_slots_are_errors() {
        let mut sink = Collect::default();
        let err = Notes
            .read(&Context::default(), "--01--\nx\n--01--\n", &mut sink)
            .unwrap_err();
        assert!(matches!(
            err,
            ReadError::Parse(ParseError { line: Some(3), .. })
        ));
        assert!(Notes
            .read(&Context::default(), "just text\n", &mut sink)
            .is_err());
    }

    #[test]
    fn long_prose_stays_linear() {
        // 100k prose lines that each end with ":" once made the list check quadratic.
        let mut doc = String::from("--01--\nDate: 2020.01.01\nTranscription:\n");
        doc.push_str(&"Here are the points:\n".repeat(100_000));
        let started = std::time::Instant::now();
        let c = read(&doc);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(c.episodes.len(), 1);
    }

    #[test]
    fn sniffs_notes_not_subtitles() {
        assert!(Notes.sniff("lex-fridman-notes.txt", NOTES.as_bytes()));
        assert!(!Notes.sniff(
            "episode_001_large.vtt",
            b"WEBVTT\n\n00:00.000 --> 00:01.000\n hi\n"
        ));
        assert!(!Notes.sniff("plain.txt", b"hello\nworld\n"));
    }

    /// Slot 07 of the real document with a paste in the layout of YouTube's
    /// transcript panel (timestamps alone on their lines, chapter headings
    /// above the timestamp they start at) and a bare URL as its link. The
    /// words are written for this test; the video id is the real one of
    /// "Detecting Driver Frustration from Audio and Video (IJCAI 2016)".
    const SLOT_07_PANEL: &str = include_str!("../tests/fixtures/notes/slot-07-panel.txt");

    /// The real document with slot 07's template body replaced by `body`.
    fn with_slot_07(body: &str) -> String {
        let empty = "--07--  \n\n-----\nDate:\nLink:\nTranscription:\n\npaste here\n";
        assert_eq!(NOTES.matches(empty).count(), 1);
        NOTES.replace(empty, &format!("--07--  \n\n-----\n{body}"))
    }

    /// A segment as (start, end, text, events).
    type Timed<'a> = (Option<u64>, Option<u64>, &'a str, &'a [String]);

    fn timed(e: &Episode) -> Vec<Timed<'_>> {
        e.transcripts[0]
            .segments
            .iter()
            .map(|s| (s.start_ms, s.end_ms, s.text.as_str(), s.events.as_slice()))
            .collect()
    }

    #[test]
    fn slot_07_pasted_with_panel_timestamps_reads_timed() {
        let doc = with_slot_07(SLOT_07_PANEL);
        let c = read(&doc);
        assert_eq!(c.episodes.len(), 7);
        let e = slot(&c, 7);
        assert_eq!(e.meta.published.as_deref(), Some("2016-07-12"));
        assert_eq!(e.meta.video_id.as_deref(), Some("wiYMwmPPGto"));
        assert_eq!(e.meta.title, None);
        let starts: Vec<Option<u64>> = timed(e).iter().map(|s| s.0).collect();
        assert_eq!(starts, [0, 4_000, 8_000, 62_000, 75_000].map(Some).to_vec());
        // Each ends where the next starts; the last has no known end.
        let ends: Vec<Option<u64>> = timed(e).iter().map(|s| s.1).collect();
        assert_eq!(
            ends,
            vec![Some(4_000), Some(8_000), Some(62_000), Some(75_000), None]
        );
        assert_eq!(e.transcripts[0].words(), 38);
        let text = e.transcripts[0].text();
        assert!(!text.contains(':'), "timestamps are not words: {text}");
        assert!(text.starts_with("hi everyone today we present"));
        assert!(text.ends_with("better than either"));
        // `[Music]` stays an event.
        assert_eq!(timed(e)[4].3, ["Music".to_string()]);
        assert_eq!(timed(e)[4].2, "");
        // Headings are chapters that start at the timestamp under them.
        let chapters: Vec<(&str, Option<u64>)> = e
            .chapters
            .iter()
            .map(|c| (c.title.as_str(), c.start_ms))
            .collect();
        assert_eq!(
            chapters,
            vec![("Introduction", Some(0)), ("Results", Some(62_000))]
        );
        assert!(e.summaries.is_empty());
        assert_eq!(e.meta.description, None);
        // The other slots read as before.
        let before = read(NOTES);
        for n in 1..=6 {
            assert_eq!(slot(&c, n), slot(&before, n), "slot {n}");
        }
        let styles: Vec<(u32, Option<PasteStyle>)> = slots(&doc)
            .unwrap()
            .iter()
            .filter(|s| s.episode.is_some())
            .map(|s| (s.number, s.style))
            .collect();
        assert_eq!(styles[0], (7, Some(PasteStyle::OwnLine)));
        assert!(styles[1..].iter().all(|s| s.1.is_none()));
    }

    #[test]
    fn timestamps_at_the_head_of_lines_read_alike() {
        // The same paste, each time at the head of its caption's line, with a
        // description above and a chat-model summary below.
        let mut inline = String::from(
            "Date: 2016.07.12\nLink: [Detecting Driver Frustration from Audio and Video (IJCAI 2016)](https://youtu.be/wiYMwmPPGto)\nTranscription:\n\nWe detect frustration in drivers. The paper was at IJCAI 2016.\n\n",
        );
        let mut lines = SLOT_07_PANEL.lines().skip(4).peekable();
        while let Some(l) = lines.next() {
            if podcorpus_core::link::parse_clock(l).is_some() {
                let caption = lines.next().unwrap_or("");
                inline.push_str(&format!("{l} {caption}\n"));
            } else {
                inline.push_str(l);
                inline.push('\n');
            }
        }
        inline.push_str(
            "\nThe talk presents a study of frustration:\n\n1. **Data**: drivers in a car.\n",
        );
        let c = read(&with_slot_07(&inline));
        let own = read(&with_slot_07(SLOT_07_PANEL));
        let (a, b) = (slot(&c, 7), slot(&own, 7));
        assert_eq!(a.transcripts, b.transcripts);
        assert_eq!(a.chapters, b.chapters);
        assert_eq!(
            a.meta.description.as_deref(),
            Some("We detect frustration in drivers. The paper was at IJCAI 2016.")
        );
        assert_eq!(a.summaries.len(), 1);
        assert!(a.summaries[0].text.starts_with("The talk presents"));
        assert_eq!(a.meta.video_id.as_deref(), Some("wiYMwmPPGto"));
        let slot7 = slots(&with_slot_07(&inline)).unwrap();
        assert_eq!(
            slot7.iter().find(|s| s.number == 7).and_then(|s| s.style),
            Some(PasteStyle::Inline)
        );
    }

    #[test]
    fn a_lone_time_in_an_untimed_paste_is_a_caption() {
        let doc = "--01--\n-----\nDate: 2020.01.01\nLink: https://youtu.be/o8nZaDw_mOs\nTranscription:\n\n12:30 is when we met\nand then we went on\n";
        let c = read(doc);
        let t = &c.episodes[0].transcripts[0];
        assert_eq!(t.segments.len(), 2);
        assert_eq!(t.segments[0].text, "12:30 is when we met");
        assert_eq!(t.segments[0].start_ms, None);
        // Alone on its line, one time is the panel's.
        let c = read(&doc.replace("12:30 is", "12:30\nis"));
        let t = &c.episodes[0].transcripts[0];
        assert_eq!(t.segments.len(), 1);
        assert_eq!(t.segments[0].start_ms, Some(750_000));
        assert_eq!(t.text(), "is when we met and then we went on");
    }

    #[test]
    fn slot_spans_and_which_slots_want_filling() {
        let doc = with_slot_07(SLOT_07_PANEL).replace(
            "--08--\n\n-----\nDate:\nLink:\n",
            "--08--\n\n-----\nDate:\nLink: youtu.be/7bO8rKtvDoE\n",
        );
        let lines: Vec<&str> = doc.lines().collect();
        let all = slots(&doc).unwrap();
        assert_eq!(all.len(), 99);
        let s8 = all.iter().find(|s| s.number == 8).unwrap();
        assert_eq!(lines[s8.marker], "--08--");
        assert_eq!(lines[s8.body.start], "Date:");
        assert_eq!(lines[s8.body.end], "----------");
        assert_eq!(
            s8.episode.as_ref().and_then(|e| e.meta.url.as_deref()),
            Some("https://youtu.be/7bO8rKtvDoE")
        );
        let wanted: Vec<u32> = all
            .iter()
            .filter(|s| s.wants_filling())
            .map(|s| s.number)
            .collect();
        // Slot 07 has speech, slot 03 a description and summaries: the user's.
        assert_eq!(wanted, vec![8]);
        assert_eq!(all.iter().filter(|s| s.is_empty()).count(), 91);
        let s6 = all.iter().find(|s| s.number == 6).unwrap();
        assert!(lines[s6.body.start].starts_with("Date: 2016.09.27"));
        assert_eq!(lines[s6.body.end], "----------");
    }

    #[test]
    fn links_as_markdown_or_bare_addresses() {
        let cases = [
            (
                "[T](https://youtu.be/o8nZaDw_mOs)",
                Some("T"),
                Some("https://youtu.be/o8nZaDw_mOs"),
            ),
            (
                "https://www.youtube.com/watch?v=o8nZaDw_mOs",
                None,
                Some("https://www.youtube.com/watch?v=o8nZaDw_mOs"),
            ),
            (
                "<https://youtu.be/o8nZaDw_mOs>",
                None,
                Some("https://youtu.be/o8nZaDw_mOs"),
            ),
            (
                "youtu.be/o8nZaDw_mOs",
                None,
                Some("https://youtu.be/o8nZaDw_mOs"),
            ),
            (
                "www.youtube.com/watch?v=o8nZaDw_mOs",
                None,
                Some("https://www.youtube.com/watch?v=o8nZaDw_mOs"),
            ),
            ("Ido Portal: Movement", Some("Ido Portal: Movement"), None),
        ];
        for (value, title, url) in cases {
            let (t, u) = parse_link(value);
            assert_eq!((t.as_deref(), u.as_deref()), (title, url), "{value}");
        }
    }

    #[test]
    fn urls_give_video_ids() {
        assert_eq!(
            video_id_from_url("https://youtu.be/o8nZaDw_mOs?t=3").as_deref(),
            Some("o8nZaDw_mOs")
        );
        assert_eq!(
            video_id_from_url("https://www.youtube.com/shorts/abcdefghijk").as_deref(),
            Some("abcdefghijk")
        );
        assert_eq!(
            video_id_from_url("https://www.youtube.com/@lexfridman/videos"),
            None
        );
    }
}
