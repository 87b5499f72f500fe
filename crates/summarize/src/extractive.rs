//! The extractive summary: the most central, mutually different sentences
//! of a transcript as numbered key points in transcript order, with their
//! times and links to the video at that second; per chapter on request.

use crate::rank::{self, RankOptions, Vectors};
use crate::sentences::{self, Unit};
use podcorpus_core::link::{hms, youtube_url};
use podcorpus_core::{Chapter, Segment};
use serde::Serialize;

/// What the extractive summary is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExtractiveOptions {
    /// Key points in all, or per chapter with `by_chapter`.
    pub points: usize,
    /// One group of points per chapter (when the episode has chapters).
    pub by_chapter: bool,
    /// Ranking parameters.
    #[serde(skip)]
    pub rank: RankOptions,
}

/// One chosen sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// The sentence.
    pub text: String,
    /// Where it starts in the video, when the transcript is timed.
    pub start_ms: Option<u64>,
    /// Index of its chapter, with `by_chapter`.
    pub chapter: Option<usize>,
}

/// An extractive summary before formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extract {
    /// Points in transcript order.
    pub points: Vec<Point>,
    /// Whether the points are grouped by chapter (false when asked but the
    /// episode has no chapters).
    pub by_chapter: bool,
    /// Sentences the transcript was cut into.
    pub sentences: usize,
}

/// Chooses the key points of a transcript. `None` when it has no speech.
pub fn extract(
    segments: &[Segment],
    chapters: &[Chapter],
    opts: &ExtractiveOptions,
) -> Option<Extract> {
    let units = sentences::split(segments);
    if units.is_empty() {
        return None;
    }
    let vectors = Vectors::new(units.iter().map(|u| u.text.as_str()));
    // Centrality over the whole episode even per chapter: a chapter's key
    // point is what matters to the conversation, not just to the chapter.
    let scores = rank::lexrank(&vectors, opts.rank.damping);
    let by_chapter = opts.by_chapter && !chapters.is_empty();
    let groups: Vec<Vec<usize>> = if by_chapter {
        let mut groups = vec![Vec::new(); chapters.len()];
        for (i, u) in units.iter().enumerate() {
            groups[chapter_of(u, chapters)].push(i);
        }
        groups
    } else {
        vec![(0..units.len()).collect()]
    };
    let mut points = Vec::new();
    for (g, members) in groups.iter().enumerate() {
        let long: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| units[i].words >= opts.rank.min_words)
            .collect();
        // A chapter of only short sentences still gets its best one.
        let candidates = if long.len() >= opts.points.min(members.len()) {
            long
        } else {
            members.clone()
        };
        for i in rank::mmr(
            &vectors,
            &scores,
            &candidates,
            opts.points,
            opts.rank.lambda,
        ) {
            points.push(Point {
                text: units[i].text.clone(),
                start_ms: units[i].start_ms,
                chapter: by_chapter.then_some(g),
            });
        }
    }
    Some(Extract {
        points,
        by_chapter,
        sentences: units.len(),
    })
}

/// The chapter a unit falls in: the last one starting at or before it
/// (by time when both are timed, else by text position); text before the
/// first chapter belongs to the first.
pub(crate) fn chapter_of(u: &Unit, chapters: &[Chapter]) -> usize {
    let mut found = 0;
    for (c, ch) in chapters.iter().enumerate() {
        let starts_before = match (ch.start_ms, u.start_ms, ch.text_pos) {
            (Some(c_ms), Some(u_ms), _) => c_ms <= u_ms,
            (_, _, Some(pos)) => pos <= u.char_pos,
            _ => false,
        };
        if starts_before {
            found = c;
        }
    }
    found
}

/// The summary text: numbered points (`1. [HH:MM:SS](link) sentence`),
/// under a bold chapter heading each when grouped by chapter.
pub fn format(extract: &Extract, chapters: &[Chapter], video_id: Option<&str>) -> String {
    let mut out = String::new();
    let mut current: Option<usize> = None;
    let mut n = 0;
    for p in &extract.points {
        if p.chapter != current {
            if let Some(c) = p.chapter.and_then(|c| chapters.get(c)) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("**{}**", c.title));
                if let Some(ms) = c.start_ms {
                    out.push_str(&format!(" ({})", hms(ms)));
                }
                out.push('\n');
            }
            current = p.chapter;
            n = 0;
        }
        n += 1;
        let at = match (p.start_ms, video_id) {
            (Some(ms), Some(id)) => format!("[{}]({}) ", hms(ms), youtube_url(id, Some(ms))),
            (Some(ms), None) => format!("[{}] ", hms(ms)),
            _ => String::new(),
        };
        out.push_str(&format!("{n}. {at}{}\n", p.text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(start: u64, text: &str) -> Segment {
        Segment {
            start_ms: Some(start),
            end_ms: Some(start + 2000),
            text: text.to_string(),
            ..Default::default()
        }
    }

    fn opts(points: usize, by_chapter: bool) -> ExtractiveOptions {
        ExtractiveOptions {
            points,
            by_chapter,
            rank: RankOptions {
                min_words: 3,
                ..Default::default()
            },
        }
    }

    #[test]
    fn points_come_in_transcript_order_with_times_and_links() {
        let segs = vec![
            timed(0, "Gradient descent trains neural networks."),
            timed(61_000, "My cat likes the window."),
            timed(
                125_000,
                "Neural networks need training data and gradient descent.",
            ),
            timed(
                3_725_000,
                "Training data shapes what neural networks learn.",
            ),
        ];
        let e = extract(&segs, &[], &opts(2, false)).expect("speech");
        assert_eq!(e.sentences, 4);
        assert_eq!(e.points.len(), 2);
        assert!(e.points[0].start_ms < e.points[1].start_ms);
        assert!(e.points.iter().all(|p| !p.text.contains("cat")));
        let text = format(&e, &[], Some("abc123DEF45"));
        let first = text.lines().next().unwrap_or_default();
        let ms = e.points[0].start_ms.unwrap_or_default();
        assert!(
            first.starts_with(&format!(
                "1. [{}](https://www.youtube.com/watch?v=abc123DEF45&t={}s) ",
                hms(ms),
                ms / 1000
            )),
            "{text}"
        );
        assert!(text.lines().nth(1).unwrap_or_default().starts_with("2. ["));
        let plain = format(&e, &[], None);
        assert!(plain.starts_with(&format!("1. [{}] ", hms(ms))), "{plain}");
    }

    #[test]
    fn by_chapter_groups_points_under_their_chapter() {
        let segs = vec![
            timed(0, "Welcome to the show about neural networks today."),
            timed(10_000, "Neural networks learn from training data."),
            timed(70_000, "Judo throws need balance and timing."),
            timed(80_000, "Balance in judo comes from the hips and timing."),
        ];
        let chapters = vec![
            Chapter {
                title: "Intro".into(),
                start_ms: Some(0),
                text_pos: None,
            },
            Chapter {
                title: "Judo".into(),
                start_ms: Some(60_000),
                text_pos: None,
            },
        ];
        let e = extract(&segs, &chapters, &opts(1, true)).expect("speech");
        assert!(e.by_chapter);
        assert_eq!(
            e.points.iter().map(|p| p.chapter).collect::<Vec<_>>(),
            vec![Some(0), Some(1)]
        );
        assert!(e.points[1].text.to_lowercase().contains("judo"));
        let text = format(&e, &chapters, None);
        assert!(
            text.starts_with("**Intro** (00:00:00)\n1. [00:00:"),
            "{text}"
        );
        assert!(
            text.contains("\n\n**Judo** (00:01:00)\n1. [00:01:"),
            "{text}"
        );
        // No chapters: one list, by_chapter reported off.
        let e = extract(&segs, &[], &opts(2, true)).expect("speech");
        assert!(!e.by_chapter);
    }

    #[test]
    fn untimed_text_gets_no_timestamps_and_text_pos_chapters_work() {
        let line = "the quick brown fox jumps over the lazy dog again";
        let segs: Vec<Segment> = (0..10)
            .map(|i| Segment {
                text: format!("{line} {i}"),
                ..Default::default()
            })
            .collect();
        let joined = podcorpus_core::text::join_segments(segs.iter().map(|s| s.text.as_str()));
        let half = joined
            .find("fox jumps over the lazy dog again 5")
            .unwrap_or(0);
        let chapters = vec![
            Chapter {
                title: "A".into(),
                start_ms: None,
                text_pos: Some(0),
            },
            Chapter {
                title: "B".into(),
                start_ms: None,
                text_pos: Some(half as u64),
            },
        ];
        let e = extract(&segs, &chapters, &opts(1, true)).expect("speech");
        let text = format(&e, &chapters, Some("abc123DEF45"));
        assert!(!text.contains('['), "{text}");
        assert!(text.starts_with("**A**\n1. the quick"), "{text}");
        assert!(text.contains("**B**\n1. "), "{text}");
    }

    #[test]
    fn no_speech_no_summary() {
        assert!(extract(&[], &[], &opts(3, false)).is_none());
    }
}
