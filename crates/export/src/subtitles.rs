//! WebVTT and SubRip subtitles from the timed segments: one file per episode,
//! one cue per segment, non-speech events written back as `[Music]` tags.
//! Untimed transcripts (notes) cannot become subtitles and are skipped.

use crate::atomic::write_file;
use crate::driver::ExportReport;
use crate::writer::{episode_file_name, EpisodeWriter, Format};
use crate::Result;
use podcorpus_core::Segment;
use podcorpus_store::export_feed::ExportEpisode;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Which subtitle format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// WebVTT: `WEBVTT` header, `HH:MM:SS.mmm`, text escaped as HTML.
    Vtt,
    /// SubRip: numbered cues, `HH:MM:SS,mmm`.
    Srt,
}

/// `HH:MM:SS.mmm` (or `,mmm` for SRT).
fn timestamp(ms: u64, sep: char) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    format!("{h:02}:{m:02}:{s:02}{sep}{ms:03}")
}

/// A segment's cue text on one line: its events as `[tags]`, then the speech.
fn cue_text(seg: &Segment, kind: Kind) -> String {
    let mut out = String::with_capacity(seg.text.len() + 16);
    for e in &seg.events {
        let _ = write!(out, "[{e}] ");
    }
    out.push_str(&seg.text);
    let line = out.trim_end().replace(['\n', '\r'], " ");
    match kind {
        // WebVTT cue text is HTML-like: `&`, `<` and `>` must be escaped
        // (and escaping `>` also keeps a `-->` out of the text).
        Kind::Vtt => line
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
        // SubRip has no escapes; an arrow in the text would read as a timing line.
        Kind::Srt => line.replace("-->", "->"),
    }
}

/// The whole subtitle file for a transcript's segments; `None` when no
/// segment has a start time.
pub fn render(segments: &[Segment], kind: Kind) -> Option<(String, u64)> {
    let mut out = String::new();
    if kind == Kind::Vtt {
        out.push_str("WEBVTT\n\n");
    }
    let sep = if kind == Kind::Vtt { '.' } else { ',' };
    let mut cues = 0u64;
    for (i, seg) in segments.iter().enumerate() {
        let Some(start) = seg.start_ms else { continue };
        let text = cue_text(seg, kind);
        if text.is_empty() {
            continue;
        }
        // A missing end runs to the next start; an end before the start is the start.
        let next = segments.get(i + 1).and_then(|n| n.start_ms);
        let end = seg.end_ms.or(next).unwrap_or(start).max(start);
        cues += 1;
        if kind == Kind::Srt {
            let _ = writeln!(out, "{cues}");
        }
        let _ = write!(
            out,
            "{} --> {}\n{text}\n\n",
            timestamp(start, sep),
            timestamp(end, sep)
        );
    }
    (cues > 0).then_some((out, cues))
}

/// Writes one subtitle file per episode into a folder.
pub struct SubtitleWriter {
    dir: PathBuf,
    kind: Kind,
}

impl SubtitleWriter {
    /// Writes `format` (vtt or srt) files into `dir` (which exists).
    pub fn new(dir: &Path, format: Format) -> SubtitleWriter {
        SubtitleWriter {
            dir: dir.to_path_buf(),
            kind: if format == Format::Srt {
                Kind::Srt
            } else {
                Kind::Vtt
            },
        }
    }
}

impl EpisodeWriter for SubtitleWriter {
    fn write(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        let name = format!("{}/{}", ep.collection, ep.number);
        let Some(t) = &ep.transcript else {
            report.skipped.push(format!("{name}: no transcript"));
            return Ok(());
        };
        let Some((text, cues)) = render(&t.segments, self.kind) else {
            report.skipped.push(format!(
                "{name}: the {} transcript has no timings",
                t.source
            ));
            return Ok(());
        };
        let ext = if self.kind == Kind::Srt { "srt" } else { "vtt" };
        let path = self.dir.join(episode_file_name(ep, ext));
        write_file(&path, text.as_bytes())?;
        report.add_file(&path, text.len() as u64);
        report.episodes += 1;
        report.segments += cues;
        Ok(())
    }

    fn finish(self: Box<Self>, _report: &mut ExportReport) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: Option<u64>, end: Option<u64>, text: &str, events: &[&str]) -> Segment {
        Segment {
            start_ms: start,
            end_ms: end,
            text: text.into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            words: Vec::new(),
        }
    }

    #[test]
    fn vtt_escapes_and_fills_missing_ends() {
        let segs = [
            seg(Some(0), None, "a <b> & c --> d", &[]),
            seg(Some(3_723_004), Some(3_723_000), "", &["Music"]),
            seg(None, None, "untimed", &[]),
        ];
        let (vtt, cues) = render(&segs, Kind::Vtt).unwrap();
        assert_eq!(cues, 2);
        assert_eq!(
            vtt,
            "WEBVTT\n\n00:00:00.000 --> 01:02:03.004\na &lt;b&gt; &amp; c --&gt; d\n\n\
             01:02:03.004 --> 01:02:03.004\n[Music]\n\n"
        );
        let (srt, _) = render(&segs, Kind::Srt).unwrap();
        assert!(srt.starts_with("1\n00:00:00,000 --> 01:02:03,004\na <b> & c -> d\n\n2\n"));
        assert!(render(&segs[2..], Kind::Srt).is_none());
    }
}
