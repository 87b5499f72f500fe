//! Cutting a transcript into passages, the unit the index ranks: about 100
//! words or at most a minute of speech, always ending on a cue boundary.
//! Cue texts are joined with spaces, so a phrase split over two cues is one
//! phrase in the passage. Each passage also carries the first words of the
//! next one (its tail), so that a phrase crossing a passage boundary still
//! matches, and the last words of the previous one, so that a concordance
//! line at the start of a passage has left context.

use podcorpus_core::text::count_words;
use podcorpus_core::Segment;

/// A passage closes once it has this many words...
pub const TARGET_WORDS: usize = 100;
/// ...or spans this much time.
pub const MAX_SPAN_MS: u64 = 60_000;
/// Words of context carried from the neighbouring passages (the tail and
/// `before`): the longest phrase found across a passage boundary, and the
/// widest concordance window.
pub const CONTEXT_WORDS: usize = 20;

/// Where one cue starts inside a passage's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    /// Byte offset of the cue's first character in [`Passage::text`].
    pub offset: usize,
    /// The cue's start time, when the transcript is timed.
    pub start_ms: Option<u64>,
}

/// One indexed passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Position of the passage in its transcript, from 0.
    pub ordinal: usize,
    /// The passage's own text followed by a space and its tail.
    pub text: String,
    /// Length in bytes of the passage's own text at the start of `text`.
    pub own_len: usize,
    /// The last words before the passage, for left context.
    pub before: String,
    /// Start of the first cue.
    pub start_ms: Option<u64>,
    /// End of the last cue.
    pub end_ms: Option<u64>,
    /// The cues of the own text, in order.
    pub cues: Vec<Cue>,
}

impl Passage {
    /// The passage's own text, without the tail.
    pub fn own(&self) -> &str {
        self.text.get(..self.own_len).unwrap_or(&self.text)
    }

    /// The tail: the first words of the next passage.
    pub fn tail(&self) -> &str {
        self.text.get(self.own_len..).unwrap_or("").trim_start()
    }
}

/// The start time of the cue holding byte `offset` of a passage's text
/// (offsets in the tail belong to the last cue).
pub fn cue_start_at(cues: &[Cue], offset: usize) -> Option<u64> {
    let i = cues.partition_point(|c| c.offset <= offset);
    cues.get(i.saturating_sub(1)).and_then(|c| c.start_ms)
}

/// A stretch of speech no longer than a passage: a cue, or a piece of a very
/// long untimed segment (a notes transcript is a few huge segments).
struct Piece<'a> {
    text: &'a str,
    words: usize,
    start_ms: Option<u64>,
    end_ms: Option<u64>,
}

fn pieces(segments: &[Segment]) -> Vec<Piece<'_>> {
    let mut out = Vec::with_capacity(segments.len());
    for s in segments {
        let text = s.text.trim();
        if text.is_empty() {
            continue;
        }
        let words = count_words(text) as usize;
        if words <= 2 * TARGET_WORDS {
            out.push(Piece {
                text,
                words,
                start_ms: s.start_ms,
                end_ms: s.end_ms,
            });
            continue;
        }
        // Cut at whitespace after every TARGET_WORDS words; all pieces keep
        // the segment's start time, the only time known.
        let mut rest = text;
        while !rest.is_empty() {
            let cut = nth_word_end(rest, TARGET_WORDS);
            let (head, tail) = rest.split_at(cut);
            out.push(Piece {
                text: head,
                words: count_words(head) as usize,
                start_ms: s.start_ms,
                end_ms: s.end_ms,
            });
            rest = tail.trim_start();
        }
    }
    out
}

/// Byte offset just after the `n`th whitespace-separated word of `s` (or its end).
/// Words are what [`count_words`] counts: separated by ASCII whitespace.
fn nth_word_end(s: &str, n: usize) -> usize {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in s.bytes().enumerate() {
        if c.is_ascii_whitespace() {
            if in_word {
                seen += 1;
                if seen == n {
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    s.len()
}

/// Appends the first `n` words of the texts, in order, to `out`, each after a space.
fn push_first_words<'a>(out: &mut String, texts: impl Iterator<Item = &'a str>, n: usize) {
    for w in texts.flat_map(str::split_ascii_whitespace).take(n) {
        out.push(' ');
        out.push_str(w);
    }
}

/// The last `n` words of the texts (given last first), joined by spaces in reading order.
fn last_words<'a>(texts_backwards: impl Iterator<Item = &'a str>, n: usize) -> String {
    let mut words: Vec<&str> = Vec::with_capacity(n);
    words.extend(
        texts_backwards
            .flat_map(|t| t.split_ascii_whitespace().rev())
            .take(n),
    );
    words.reverse();
    words.join(" ")
}

/// Cuts a transcript's segments into passages.
pub fn cut(segments: &[Segment]) -> Vec<Passage> {
    let pieces = pieces(segments);
    // Group the pieces: close a group at TARGET_WORDS words or MAX_SPAN_MS.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut begin, mut words) = (0, 0);
    for (i, p) in pieces.iter().enumerate() {
        words += p.words;
        let span = match (pieces[begin].start_ms, p.end_ms) {
            (Some(s), Some(e)) => e.saturating_sub(s),
            _ => 0,
        };
        if words >= TARGET_WORDS || span >= MAX_SPAN_MS {
            groups.push(begin..i + 1);
            begin = i + 1;
            words = 0;
        }
    }
    if begin < pieces.len() {
        groups.push(begin..pieces.len());
    }
    let mut out = Vec::with_capacity(groups.len());
    for (ordinal, g) in groups.iter().enumerate() {
        let own: usize = pieces[g.clone()].iter().map(|p| p.text.len() + 1).sum();
        let mut text = String::with_capacity(own + 16 * CONTEXT_WORDS);
        let mut cues = Vec::with_capacity(g.len());
        for p in &pieces[g.clone()] {
            if !text.is_empty() {
                text.push(' ');
            }
            cues.push(Cue {
                offset: text.len(),
                start_ms: p.start_ms,
            });
            text.push_str(p.text);
        }
        let own_len = text.len();
        push_first_words(
            &mut text,
            pieces[g.end..].iter().map(|p| p.text),
            CONTEXT_WORDS,
        );
        let before = last_words(
            pieces[..g.start].iter().rev().map(|p| p.text),
            CONTEXT_WORDS,
        );
        let first = &pieces[g.start];
        out.push(Passage {
            ordinal,
            text,
            own_len,
            before,
            start_ms: first.start_ms,
            end_ms: pieces[g.end - 1].end_ms,
            cues,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: u64, end: u64, text: &str) -> Segment {
        Segment {
            start_ms: Some(start),
            end_ms: Some(end),
            text: text.to_string(),
            ..Segment::default()
        }
    }

    #[test]
    fn joins_cues_and_closes_at_a_minute() {
        // Ten-word cues of 10 s each: a minute passes before 100 words.
        let cue = "one two three four five six seven eight nine ten";
        let segs: Vec<Segment> = (0..9)
            .map(|i| seg(i * 10_000, (i + 1) * 10_000, cue))
            .collect();
        let ps = cut(&segs);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].cues.len(), 6);
        assert_eq!(ps[0].start_ms, Some(0));
        assert_eq!(ps[0].end_ms, Some(60_000));
        assert_eq!(ps[1].start_ms, Some(60_000));
        assert_eq!(ps[0].own().split_whitespace().count(), 60);
        // The tail is the next passage's first 20 words; `before` the last 20.
        assert_eq!(ps[0].tail().split_whitespace().count(), 20);
        assert_eq!(ps[1].before.split_whitespace().count(), 20);
        assert_eq!(ps[1].tail(), "");
        assert_eq!(ps[0].cues[1].offset, cue.len() + 1);
        assert_eq!(cue_start_at(&ps[0].cues, cue.len() + 3), Some(10_000));
        assert_eq!(cue_start_at(&ps[0].cues, 0), Some(0));
    }

    #[test]
    fn closes_at_a_hundred_words_and_splits_huge_untimed_segments() {
        let long: Vec<String> = (0..450).map(|i| format!("w{i}")).collect();
        let segs = vec![Segment {
            text: long.join(" "),
            ..Segment::default()
        }];
        let ps = cut(&segs);
        let counts: Vec<usize> = ps
            .iter()
            .map(|p| p.own().split_whitespace().count())
            .collect();
        assert_eq!(counts, [100, 100, 100, 100, 50]);
        assert!(ps[1].own().starts_with("w100 "));
        assert_eq!(ps[0].start_ms, None);
    }

    #[test]
    fn skips_empty_cues_and_empty_transcripts() {
        assert!(cut(&[]).is_empty());
        let ps = cut(&[seg(0, 1000, "  "), seg(1000, 2000, "hello")]);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].text, "hello");
        assert_eq!(ps[0].start_ms, Some(1000));
    }
}
