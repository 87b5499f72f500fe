//! Cues into readable paragraphs: a paragraph closes at a sentence end (the
//! core analyzer's rule, [`podcorpus_core::analyzer::ends_sentence`]) after
//! about 45 s of speech (90 s at most), and every chapter opens a new one.
//! Untimed text (notes) closes a paragraph every eight lines.

use podcorpus_core::Segment;
use podcorpus_store::query::ChapterRow;

/// One paragraph of the reading view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Where it starts, when the source is timed.
    pub start_ms: Option<u64>,
    /// The chapter that starts with this paragraph, if any.
    pub chapter: Option<String>,
    /// The text.
    pub text: String,
}

const SOFT_MS: u64 = 45_000;
const HARD_MS: u64 = 90_000;
const UNTIMED_LINES: usize = 8;

/// Whether `text` ends at a sentence end, by the core analyzer's rule
/// (so "Dr." or "e.g." closes no paragraph, and a trailing quote or `…` may).
fn ends_in_sentence_end(text: &str) -> bool {
    text.split_whitespace()
        .next_back()
        .is_some_and(podcorpus_core::analyzer::ends_sentence)
}

/// Groups segments into paragraphs, opening one at each chapter.
pub fn paragraphs(segments: &[Segment], chapters: &[ChapterRow]) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut chapter = 0;
    let mut lines = 0;
    let mut pos: u64 = 0; // character offset in the joined text, for notes chapters
    for s in segments.iter().filter(|s| !s.text.is_empty()) {
        let starts_chapter =
            chapters
                .get(chapter)
                .is_some_and(|c| match (c.start_ms, s.start_ms) {
                    (Some(at), Some(start)) => start + 500 >= at.max(0) as u64,
                    (None, _) => c.text_pos.is_some_and(|p| pos >= p.max(0) as u64),
                    _ => false,
                });
        let long = match (out.last(), s.start_ms) {
            (Some(p), Some(start)) => {
                let since = start.saturating_sub(p.start_ms.unwrap_or(start));
                (since >= SOFT_MS && ends_in_sentence_end(&p.text)) || since >= HARD_MS
            }
            (Some(_), None) => lines >= UNTIMED_LINES,
            (None, _) => true,
        };
        if starts_chapter || long {
            let title = if starts_chapter {
                chapter += 1;
                chapters.get(chapter - 1).map(|c| c.title.clone())
            } else {
                None
            };
            out.push(Paragraph {
                start_ms: s.start_ms,
                chapter: title,
                text: String::new(),
            });
            lines = 0;
        }
        if let Some(p) = out.last_mut() {
            if !p.text.is_empty() {
                p.text.push(' ');
            }
            p.text.push_str(&s.text);
        }
        pos += s.text.chars().count() as u64 + 1;
        lines += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: u64, text: &str) -> Segment {
        Segment {
            start_ms: Some(start),
            end_ms: Some(start + 1000),
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn timed_paragraphs_close_at_sentences_and_chapters() {
        let segs: Vec<Segment> = (0..20)
            .map(|i| seg(i * 10_000, if i % 3 == 2 { "end." } else { "more" }))
            .collect();
        let chapters = vec![ChapterRow {
            title: "Second".into(),
            start_ms: Some(150_000),
            text_pos: None,
        }];
        let p = paragraphs(&segs, &chapters);
        let starts: Vec<Option<u64>> = p.iter().map(|p| p.start_ms).collect();
        // Sentences end at 20, 50, 80, 110 s...: the first paragraph closes after
        // the 50 s one (45 s reached), the second after 110 s; the chapter opens 150 s.
        assert_eq!(
            starts,
            vec![Some(0), Some(60_000), Some(120_000), Some(150_000)]
        );
        assert_eq!(p[3].chapter.as_deref(), Some("Second"));
        assert!(p[1].chapter.is_none());
        assert!(p[0].text.starts_with("more more end. more"));
    }

    #[test]
    fn an_abbreviation_closes_no_paragraph() {
        // Past 45 s the paragraph waits for a sentence end: "Dr." is none
        // (a bare `.` test took it for one), the quoted question is.
        let segs = vec![
            seg(0, "we met"),
            seg(46_000, "the Dr."),
            seg(60_000, "and asked \"why?\""),
            seg(80_000, "she smiled"),
        ];
        let starts: Vec<Option<u64>> = paragraphs(&segs, &[]).iter().map(|p| p.start_ms).collect();
        assert_eq!(starts, vec![Some(0), Some(80_000)]);
    }

    #[test]
    fn untimed_paragraphs_follow_text_positions() {
        let segs: Vec<Segment> = ["we choose", "to go", "to the moon", "generalist talk"]
            .iter()
            .map(|t| Segment {
                text: t.to_string(),
                ..Default::default()
            })
            .collect();
        // "we choose to go to the moon " is 28 characters: the chapter starts there.
        let chapters = vec![
            ChapterRow {
                title: "Intro".into(),
                start_ms: None,
                text_pos: Some(0),
            },
            ChapterRow {
                title: "Journey".into(),
                start_ms: None,
                text_pos: Some(28),
            },
        ];
        let p = paragraphs(&segs, &chapters);
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].chapter.as_deref(), p[0].text.as_str()),
            (Some("Intro"), "we choose to go to the moon")
        );
        assert_eq!(
            (p[1].chapter.as_deref(), p[1].text.as_str()),
            (Some("Journey"), "generalist talk")
        );
    }
}
