//! The user's notes document, written back in their layout: the header, then
//! slots numbered down from the highest to `--01--`, newest first, each
//! `Date: YYYY.MM.DD`, `Link: [Title](url)`, `Transcription:` (description,
//! then the speech one segment per line with chapter titles as lone lines),
//! `Summary:` sections, and `----------` between slots.
//!
//! Re-importing the result gives the same episodes, chapters, texts and
//! summaries, because every part is written where the notes reader
//! (`podcorpus_formats::notes`) looks for it:
//! - the description is the first paragraph under `Transcription:`, so it is
//!   written there, followed by a blank line;
//! - every summary gets its own `Summary:` label (an unlabelled summary would
//!   have to be told apart from speech by its prose);
//! - a speech line is its segment's events as `[Music]` tags and its text, so
//!   the reader splits them back into the same text and events;
//! - a chapter is a lone line placed before the first segment whose text
//!   starts at or after the chapter's `text_pos`, which is where the reader
//!   measures it from;
//! - a timed transcript is written as YouTube's transcript panel shows it, a
//!   `0:04` timestamp before each caption (on its own line, or at the head of
//!   the caption's line when the slot was pasted that way) and chapter
//!   headings just above the timestamp where they start, so the reader gets
//!   the same times back (to the second, as the panel has them).
//!
//! When the collection was imported from a notes document, its header and
//! its empty slots are copied from it verbatim.

use crate::driver::{ExportReport, ExportRequest};
use crate::writer::{EpisodeWriter, Stream};
use crate::{ExportError, Result};
use podcorpus_core::link::clock;
use podcorpus_core::{Chapter, EpisodeMeta, Segment};
use podcorpus_formats::notes::{is_rule, slot_marker, PasteStyle};
use podcorpus_store::export_feed::{ExportEpisode, ExportItem, StoredDocument};
use podcorpus_store::seams::ExportFeed;
use std::collections::HashMap;
use std::io::Write;

/// The rule the template puts around a slot's number.
const RULE: &str = "-----";
/// The rule that closes a slot.
const SLOT_END: &str = "----------";
/// Default highest slot of a new document (the user's has 99).
pub const DEFAULT_SLOTS: u32 = 99;

/// The layout pieces taken from an imported document.
#[derive(Debug, Default)]
struct Template {
    /// Everything above the first slot, with its line ends.
    header: String,
    /// Per slot number: the rule, marker and rule lines above its body.
    heads: HashMap<u32, String>,
    /// Per slot number: the whole slot, when it was empty in the document.
    empty: HashMap<u32, String>,
    /// Per filled slot: the facts the document itself gives (date, link,
    /// description), which are what its slot is written with even after the
    /// episode joined other sources with facts of their own.
    facts: HashMap<u32, EpisodeMeta>,
    /// Per slot pasted with timestamps: how they were written.
    styles: HashMap<u32, PasteStyle>,
}

/// Whether a slot's lines hold nothing but the template.
fn slot_is_empty(lines: &[&str]) -> bool {
    lines.iter().all(|l| {
        let t = l.trim().to_ascii_lowercase();
        t.is_empty()
            || is_rule(&t)
            || slot_marker(&t).is_some()
            || matches!(
                t.as_str(),
                "date:" | "link:" | "transcription:" | "summary:" | "paste here"
            )
    })
}

impl Template {
    fn from_document(doc: &StoredDocument) -> Template {
        let lines: Vec<&str> = doc.raw.lines().collect();
        let markers: Vec<(usize, u32)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| slot_marker(l).map(|n| (i, n)))
            .collect();
        // A slot starts at the rule just above its marker (blank lines between allowed).
        let start_of = |m: usize| {
            let mut s = m;
            while s > 0 && (lines[s - 1].trim().is_empty() || is_rule(lines[s - 1])) {
                s -= 1;
                if is_rule(lines[s]) {
                    return s;
                }
            }
            m
        };
        let (facts, styles) = document_facts(&doc.raw);
        let mut t = Template {
            facts,
            styles,
            ..Template::default()
        };
        let Some(&(first, _)) = markers.first() else {
            return t;
        };
        t.header = join(&lines[..start_of(first)]);
        for (k, &(m, n)) in markers.iter().enumerate() {
            let start = start_of(m);
            let end = markers
                .get(k + 1)
                .map_or(lines.len(), |&(next, _)| start_of(next));
            let slot = &lines[start..end];
            // The head runs to the first rule after the marker.
            let head_end = (m + 1..end)
                .find(|&i| is_rule(lines[i]))
                .map_or(m + 1, |i| i + 1);
            t.heads.insert(n, join(&lines[start..head_end]));
            if slot_is_empty(slot) {
                let last = slot
                    .iter()
                    .rposition(|l| !l.trim().is_empty())
                    .map_or(0, |p| p + 1);
                t.empty.insert(n, join(&slot[..last]));
            }
        }
        t
    }
}

/// The facts of each filled slot of a notes document, as its reader reads
/// them, and the style of each timed paste.
fn document_facts(raw: &str) -> (HashMap<u32, EpisodeMeta>, HashMap<u32, PasteStyle>) {
    // The document was read when it was imported; a failure now only means
    // the slots are written with the corpus's facts.
    let Ok(slots) = podcorpus_formats::notes::slots(raw) else {
        return Default::default();
    };
    let styles = slots
        .iter()
        .filter_map(|s| Some((s.number, s.style?)))
        .collect();
    let facts = slots
        .into_iter()
        .filter_map(|s| Some((s.number, s.episode?.meta)))
        .collect();
    (facts, styles)
}

/// Lines joined, each ending with `\n`.
fn join(lines: &[&str]) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// Writes one collection as a notes document.
pub struct NotesWriter {
    out: Stream,
    template: Template,
    /// The next slot number to write, counting down.
    next: u32,
}

impl NotesWriter {
    /// Checks that the selection is one collection, works out the slots, and
    /// writes the header.
    pub fn open(
        store: &dyn ExportFeed,
        items: &[ExportItem],
        req: &ExportRequest,
    ) -> Result<NotesWriter> {
        let Some(first) = items.first() else {
            return Err(ExportError::Empty("no episode selected".into()));
        };
        let collection = &first.collection;
        if let Some(other) = items.iter().find(|i| &i.collection != collection) {
            return Err(ExportError::Usage(format!(
                "a notes document holds one collection, but the selection has {collection:?} and {:?}; pass --collection NAME",
                other.collection
            )));
        }
        let doc = store.notes_document(collection)?;
        let highest_episode = items.iter().map(|i| i.number).max().unwrap_or(0);
        let doc_highest = doc
            .as_ref()
            .and_then(|d| d.raw.lines().filter_map(slot_marker).max())
            .or(doc.as_ref().map(|d| d.slots));
        let slots = match req.slots {
            Some(n) => n,
            None => doc_highest
                .unwrap_or(DEFAULT_SLOTS)
                .max(u32::try_from(highest_episode).unwrap_or(u32::MAX)),
        };
        if i64::from(slots) < highest_episode {
            return Err(ExportError::Usage(format!(
                "--slots {slots} is too few: episode {collection}/{highest_episode} needs slot {highest_episode}"
            )));
        }
        if let Some(bad) = items.iter().find(|i| i.number < 1) {
            return Err(ExportError::Usage(format!(
                "episode {collection}/{} has no slot: notes slots start at 01",
                bad.number
            )));
        }
        let template = match &doc {
            Some(d) => Template::from_document(d),
            None => Template {
                header: format!(
                    "{collection}: notes written by podcorpus, one slot per episode, newest first.\n\n"
                ),
                ..Default::default()
            },
        };
        let mut out = Stream::open(&req.output)?;
        let path = out.path();
        out.write_all(template.header.as_bytes())
            .map_err(|e| ExportError::io("write", &path, e))?;
        Ok(NotesWriter {
            out,
            template,
            next: slots,
        })
    }

    fn put(&mut self, text: &str) -> Result<()> {
        let path = self.out.path();
        self.out
            .write_all(text.as_bytes())
            .map_err(|e| ExportError::io("write", &path, e))
    }

    fn head(&self, n: u32) -> String {
        self.template
            .heads
            .get(&n)
            .cloned()
            .unwrap_or_else(|| format!("{RULE}\n--{n:02}--\n\n{RULE}\n"))
    }

    /// Writes empty slots down to (not including) `stop`.
    fn empty_slots_down_to(&mut self, stop: u32) -> Result<()> {
        while self.next > stop {
            let n = self.next;
            let slot = match self.template.empty.get(&n) {
                Some(s) => s.clone(),
                None => format!(
                    "{}Date:\nLink:\nTranscription:\n\npaste here\n\n{SLOT_END}\n",
                    self.head(n)
                ),
            };
            self.put(&slot)?;
            if n > 1 {
                self.put("\n")?;
            }
            self.next -= 1;
        }
        Ok(())
    }
}

impl EpisodeWriter for NotesWriter {
    fn write(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        let n = u32::try_from(ep.number).unwrap_or(0);
        if n == 0 || n > self.next {
            return Err(ExportError::Usage(format!(
                "episode {}/{} is out of slot order",
                ep.collection, ep.number
            )));
        }
        self.empty_slots_down_to(n)?;
        let mut slot = self.head(n);
        let own = self
            .template
            .facts
            .get(&n)
            .filter(|f| f.video_id == ep.meta.video_id);
        let style = match own {
            Some(_) => self.template.styles.get(&n).copied(),
            None => None,
        }
        .unwrap_or(PasteStyle::OwnLine);
        match own {
            Some(f) => {
                let mut ep = ep.clone();
                ep.meta.published.clone_from(&f.published);
                ep.meta.title.clone_from(&f.title);
                ep.meta.url.clone_from(&f.url);
                ep.meta.description.clone_from(&f.description);
                slot.push_str(&render_slot(&ep, style, &mut report.warnings));
            }
            None => slot.push_str(&render_slot(ep, style, &mut report.warnings)),
        }
        slot.push_str(SLOT_END);
        slot.push('\n');
        if n > 1 {
            slot.push('\n');
        }
        self.put(&slot)?;
        self.next = n - 1;
        report.episodes += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>, report: &mut ExportReport) -> Result<()> {
        self.empty_slots_down_to(0)?;
        self.out.finish(report)
    }
}

/// The body of a filled slot, from `Date:` to before the closing rule; a
/// timed transcript is written with its timestamps in `style`.
pub fn render_slot(ep: &ExportEpisode, style: PasteStyle, warnings: &mut Vec<String>) -> String {
    let name = format!("{}/{}", ep.collection, ep.number);
    let m = &ep.meta;
    let mut out = String::new();
    let date = m.published.as_deref().map(|d| d.replace('-', "."));
    out.push_str(&format!("Date: {}\n", date.unwrap_or_default()).replace(": \n", ":\n"));
    let link = match (&m.title, &m.url) {
        (Some(t), Some(u)) => format!("Link: [{t}]({u})\n"),
        (Some(t), None) => format!("Link: {t}\n"),
        (None, Some(u)) => format!("Link: {u}\n"),
        (None, None) => "Link:\n".into(),
    };
    out.push_str(&link);
    out.push_str("Transcription:\n\n");
    if let Some(d) = m.description.as_deref().filter(|d| !d.trim().is_empty()) {
        if d.lines().any(|l| l.trim().is_empty()) {
            warnings.push(format!(
                "{name}: the description has blank lines; the notes reader keeps only its first paragraph as the description"
            ));
        }
        check_lines(d, &name, "description", warnings);
        out.push_str(d.trim_end());
        out.push_str("\n\n");
    }
    if let Some(t) = &ep.transcript {
        let lines = speech_lines(&t.segments, &ep.chapters, style, &name, warnings);
        for l in &lines {
            check_lines(l, &name, "transcript", warnings);
            out.push_str(l);
            out.push('\n');
        }
        if !lines.is_empty() {
            out.push('\n');
        }
    }
    for s in &ep.summaries {
        check_lines(&s.text, &name, "summary", warnings);
        out.push_str("Summary:\n");
        out.push_str(s.text.trim_end());
        out.push_str("\n\n");
    }
    out
}

/// Warns about lines the notes reader would take for template lines.
fn check_lines(text: &str, name: &str, what: &str, warnings: &mut Vec<String>) {
    for line in text.lines() {
        let t = line.trim().to_ascii_lowercase();
        let label = ["date:", "link:", "transcription:", "summary:"]
            .iter()
            .any(|l| t.starts_with(l));
        if label || is_rule(&t) || slot_marker(&t).is_some() {
            warnings.push(format!(
                "{name}: a line of the {what} ({:?}) looks like a line of the template and will be read as one on re-import",
                line.trim()
            ));
        }
    }
}

/// A segment as one line: its events as `[tags]`, then its text.
fn segment_line(seg: &Segment) -> String {
    let mut line = String::new();
    for e in &seg.events {
        line.push('[');
        line.push_str(e);
        line.push_str("] ");
    }
    line.push_str(&seg.text);
    line.trim_end().replace(['\n', '\r'], " ")
}

/// The speech as lines: one per segment, chapter titles as lone lines where
/// they start. A transcript whose every segment has a start time is written
/// timed, in `style`; its chapters go before the first segment that starts
/// at or after them. Untimed, chapters are placed by their text position and
/// written only when the notes reader will read them back as chapters: at
/// least three, the first opening the speech.
pub fn speech_lines(
    segments: &[Segment],
    chapters: &[Chapter],
    style: PasteStyle,
    name: &str,
    warnings: &mut Vec<String>,
) -> Vec<String> {
    let segs: Vec<&Segment> = segments
        .iter()
        .filter(|s| !s.text.is_empty() || !s.events.is_empty())
        .collect();
    let timed = !segs.is_empty() && segs.iter().all(|s| s.start_ms.is_some());
    // One time at the head of a line reads as part of the caption.
    let style = if segs.len() == 1 {
        PasteStyle::OwnLine
    } else {
        style
    };
    // Each segment's position in the joined text (where its first word starts).
    let mut starts = Vec::with_capacity(segs.len());
    let mut len = 0u64;
    for s in &segs {
        let start = if len > 0 { len + 1 } else { 0 };
        starts.push(start);
        if !s.text.is_empty() {
            len = start + s.text.chars().count() as u64;
        }
    }
    // The index of the segment each chapter goes before.
    let mut placed: Vec<(usize, &str)> = Vec::new();
    for c in chapters {
        let by_time = |t: u64| segs.iter().position(|s| s.start_ms.is_some_and(|s| s >= t));
        let at = match (c.text_pos, c.start_ms) {
            (_, Some(t)) if timed => by_time(t),
            (Some(p), _) => starts.iter().position(|&s| s >= p),
            (None, Some(t)) => by_time(t),
            (None, None) => None,
        };
        match at {
            Some(i) => placed.push((i, c.title.as_str())),
            None => warnings.push(format!(
                "{name}: chapter {:?} has no place in the transcript and is left out",
                c.title
            )),
        }
    }
    let usable = timed || placed.len() >= 3 && placed.first().is_some_and(|p| p.0 == 0);
    if !placed.is_empty() && !usable {
        warnings.push(format!(
            "{name}: its {} chapters are left out: the notes reader takes chapter lines only when there are at least three and the first opens the speech",
            placed.len()
        ));
        placed.clear();
    }
    let mut out = Vec::with_capacity(segs.len() * if timed { 2 } else { 1 } + placed.len());
    let mut next = placed.iter().peekable();
    for (i, s) in segs.iter().enumerate() {
        while let Some(&&(_, title)) = next.peek().filter(|p| p.0 <= i) {
            out.push(title.trim().to_string());
            next.next();
        }
        let line = segment_line(s);
        match (s.start_ms.filter(|_| timed), style) {
            (Some(t), PasteStyle::OwnLine) => {
                out.push(clock(t));
                out.push(line);
            }
            (Some(t), PasteStyle::Inline) => out.push(format!("{} {line}", clock(t))),
            (None, _) => out.push(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str, events: &[&str]) -> Segment {
        Segment {
            text: text.into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            ..Default::default()
        }
    }

    fn chapter(title: &str, pos: u64) -> Chapter {
        Chapter {
            title: title.into(),
            start_ms: None,
            text_pos: Some(pos),
        }
    }

    #[test]
    fn chapters_go_before_the_segment_they_start() {
        // Joined text: "we go" (0..5) " to the moon" starts at 6, "yes" at 18.
        let segs = [
            seg("", &["Music"]),
            seg("we go", &[]),
            seg("to the moon", &[]),
            seg("yes", &[]),
        ];
        let chapters = [chapter("Intro", 0), chapter("Moon", 6), chapter("End", 18)];
        let mut w = Vec::new();
        let lines = speech_lines(&segs, &chapters, PasteStyle::OwnLine, "x/1", &mut w);
        assert_eq!(
            lines,
            vec![
                "Intro",
                "[Music]",
                "we go",
                "Moon",
                "to the moon",
                "End",
                "yes"
            ]
        );
        assert!(w.is_empty());
        // Two chapters cannot re-import as chapters: left out, with a warning.
        let lines = speech_lines(&segs, &chapters[..2], PasteStyle::OwnLine, "x/1", &mut w);
        assert_eq!(lines.len(), 4);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn template_lines_in_text_are_warned_about() {
        let mut w = Vec::new();
        check_lines("fine\n-----\nDate: then", "c/1", "summary", &mut w);
        assert_eq!(w.len(), 2);
    }
}
