//! Cutting a transcript into the units a summary is made of: real sentences
//! where the text is punctuated (Whisper), pseudo-sentences built from cue
//! timing gaps and length where it is not (YouTube auto-captions, text
//! pasted from the transcript panel into notes). A sentence ends where the
//! core analyzer's rule says ([`podcorpus_core::analyzer::ends_sentence`]).

use podcorpus_core::analyzer::ends_sentence;
use podcorpus_core::Segment;

/// One sentence (or pseudo-sentence) of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The words, segment texts joined by one space.
    pub text: String,
    /// Start of the segment the unit begins in, when the source is timed.
    pub start_ms: Option<u64>,
    /// Character offset of the unit's first character in the transcript text
    /// joined as [`podcorpus_core::Transcript::text`] joins it (chapter
    /// `text_pos` values point into the same string).
    pub char_pos: u64,
    /// Number of whitespace-separated words.
    pub words: usize,
}

/// Below one sentence end per this many words the text counts as
/// unpunctuated: Whisper writes about one per 12-15 words, the transcript
/// panel none at all.
const WORDS_PER_END_UNPUNCTUATED: usize = 60;
/// A punctuated sentence longer than this is cut at the next cue boundary,
/// so that one run-on sentence cannot fill a summary.
const MAX_SENTENCE_WORDS: usize = 60;
/// Pseudo-sentences end at a pause once they have this many words...
const MIN_PSEUDO_WORDS: usize = 8;
/// ...and at the next cue boundary once they have this many (untimed text
/// has no pauses, so this alone cuts it).
const TARGET_PSEUDO_WORDS: usize = 25;
/// A silence between cues at least this long is taken as a sentence break.
const PAUSE_MS: u64 = 800;

/// Splits segments into units: sentences when the text is punctuated,
/// pseudo-sentences otherwise. Empty segments are skipped, as the joined
/// transcript text skips them.
pub fn split(segments: &[Segment]) -> Vec<Unit> {
    let (mut words, mut ends) = (0usize, 0usize);
    for s in segments {
        words += s.text.split_whitespace().count();
        ends += s
            .text
            .split_whitespace()
            .filter(|w| ends_sentence(w))
            .count();
    }
    if words > 0 && ends * WORDS_PER_END_UNPUNCTUATED >= words {
        sentences(segments)
    } else {
        pseudo_sentences(segments)
    }
}

/// Accumulates words into units while tracking character offsets into the
/// joined text.
struct Builder {
    units: Vec<Unit>,
    cur: String,
    cur_words: usize,
    cur_start: Option<u64>,
    cur_pos: u64,
    /// Characters of joined text seen so far.
    pos: u64,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            units: Vec::new(),
            cur: String::new(),
            cur_words: 0,
            cur_start: None,
            cur_pos: 0,
            pos: 0,
        }
    }

    /// Adds one word that starts at joined-text offset `pos`.
    fn push_word(&mut self, word: &str, pos: u64, start_ms: Option<u64>) {
        if self.cur.is_empty() {
            self.cur_start = start_ms;
            self.cur_pos = pos;
        } else {
            self.cur.push(' ');
        }
        self.cur.push_str(word);
        self.cur_words += 1;
    }

    fn finish(&mut self) {
        if self.cur_words > 0 {
            self.units.push(Unit {
                text: std::mem::take(&mut self.cur),
                start_ms: self.cur_start,
                char_pos: self.cur_pos,
                words: self.cur_words,
            });
        }
        self.cur.clear();
        self.cur_words = 0;
    }

    /// Walks the words of one segment with their joined-text offsets,
    /// calling `f(builder, word, offset)`; advances past the segment and its
    /// joining space.
    fn segment(&mut self, text: &str, mut f: impl FnMut(&mut Builder, &str, u64)) {
        if text.is_empty() {
            return;
        }
        if self.pos > 0 {
            self.pos += 1;
        }
        let base = self.pos;
        let mut chars_before = 0u64;
        let mut last_byte = 0usize;
        for (byte, word) in word_spans(text) {
            chars_before += text[last_byte..byte].chars().count() as u64;
            last_byte = byte;
            f(self, word, base + chars_before);
        }
        self.pos = base + text.chars().count() as u64;
    }
}

/// The words of a text with their byte offsets.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

fn sentences(segments: &[Segment]) -> Vec<Unit> {
    let mut b = Builder::new();
    for seg in segments {
        b.segment(&seg.text, |b, word, pos| {
            b.push_word(word, pos, seg.start_ms);
            if ends_sentence(word) {
                b.finish();
            }
        });
        if b.cur_words >= MAX_SENTENCE_WORDS {
            b.finish();
        }
    }
    b.finish();
    b.units
}

fn pseudo_sentences(segments: &[Segment]) -> Vec<Unit> {
    let mut b = Builder::new();
    let mut prev_end: Option<u64> = None;
    for seg in segments {
        if seg.text.is_empty() {
            continue;
        }
        let pause = match (prev_end, seg.start_ms) {
            (Some(end), Some(start)) => start.saturating_sub(end) >= PAUSE_MS,
            _ => false,
        };
        if (pause && b.cur_words >= MIN_PSEUDO_WORDS) || b.cur_words >= TARGET_PSEUDO_WORDS {
            b.finish();
        }
        b.segment(&seg.text, |b, word, pos| {
            b.push_word(word, pos, seg.start_ms)
        });
        prev_end = seg.end_ms.or(seg.start_ms);
    }
    b.finish();
    b.units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: Option<u64>, end: Option<u64>, text: &str) -> Segment {
        Segment {
            start_ms: start,
            end_ms: end,
            text: text.to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn punctuated_text_splits_into_sentences_with_cue_times() {
        let segs = vec![
            seg(Some(0), Some(2000), "Hello there. This is"),
            seg(Some(2000), Some(4000), "Dr. Smith speaking! Is it"),
            seg(Some(4000), Some(6000), "working? Yes."),
        ];
        let units = split(&segs);
        let texts: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Hello there.",
                "This is Dr. Smith speaking!",
                "Is it working?",
                "Yes."
            ]
        );
        let starts: Vec<Option<u64>> = units.iter().map(|u| u.start_ms).collect();
        assert_eq!(starts, vec![Some(0), Some(0), Some(2000), Some(4000)]);
    }

    #[test]
    fn a_spoken_no_ends_a_sentence_and_an_abbreviation_does_not() {
        let segs = vec![seg(None, None, "I said no. Mr. Musk, e.g. him… then what?")];
        let texts: Vec<String> = sentences(&segs).into_iter().map(|u| u.text).collect();
        assert_eq!(texts, ["I said no.", "Mr. Musk, e.g. him…", "then what?"]);
    }

    #[test]
    fn char_positions_point_into_the_joined_text() {
        let segs = vec![
            seg(None, None, "naïve café owners"),
            seg(None, None, ""),
            seg(None, None, "serve   coffee"),
        ];
        let joined = podcorpus_core::text::join_segments(segs.iter().map(|s| s.text.as_str()));
        let mut b = Builder::new();
        let mut seen = Vec::new();
        for s in &segs {
            b.segment(&s.text, |_, w, pos| seen.push((w.to_string(), pos)));
        }
        for (w, pos) in seen {
            let at: String = joined
                .chars()
                .skip(pos as usize)
                .take(w.chars().count())
                .collect();
            assert_eq!(at, w);
        }
    }

    #[test]
    fn unpunctuated_text_breaks_at_pauses_and_length() {
        let segs = vec![
            seg(Some(0), Some(1000), "one two three four five"),
            seg(Some(1000), Some(2000), "six seven eight nine"),
            // 1.5 s of silence before this cue, 9 words so far: a break.
            seg(Some(3500), Some(4000), "ten eleven"),
        ];
        let units = split(&segs);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].words, 9);
        assert_eq!(units[1].text, "ten eleven");
        assert_eq!(units[1].start_ms, Some(3500));
        // Untimed: only length cuts, at cue boundaries.
        let line = "a b c d e f g h i j";
        let untimed: Vec<Segment> = (0..6).map(|_| seg(None, None, line)).collect();
        let units = split(&untimed);
        assert_eq!(
            units.iter().map(|u| u.words).collect::<Vec<_>>(),
            vec![30, 30]
        );
        assert_eq!(units[1].char_pos, (line.len() as u64 + 1) * 3);
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(split(&[]).is_empty());
        assert!(split(&[seg(None, None, "")]).is_empty());
    }
}
