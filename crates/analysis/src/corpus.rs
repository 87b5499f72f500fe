//! A corpus in memory as the analyses need it: each document's tokens as
//! small integers over one shared vocabulary, with the counts per cue
//! (timings, whitespace words, sentences, non-speech tags) that statistics use.
//! Built once per run from whatever source streams segments into it.

use crate::tokenize::tokens;
use rustc_hash::FxHashMap;

/// The vocabulary: token text ↔ id, with the corpus frequency of each id.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    /// Corpus frequency per id.
    pub counts: Vec<u64>,
}

impl Vocab {
    /// The id of `word`, adding it if new.
    pub fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        self.counts.push(0);
        id
    }

    /// The id of `word`, if the corpus has it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// The text of an id.
    pub fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", |w| w)
    }

    /// Number of distinct tokens.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// One document (a transcript) of the corpus.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// A name to show (`lexicap/5`).
    pub name: String,
    /// Title, when known.
    pub title: Option<String>,
    /// Publication date (ISO), when known.
    pub published: Option<String>,
    /// Episode number within its collection.
    pub number: i64,
    /// Guests of the episode.
    pub guests: Vec<String>,
    /// Token ids in order.
    pub tokens: Vec<u32>,
    /// Cues (segments) read.
    pub cues: u64,
    /// Cues with speech.
    pub speech_cues: u64,
    /// Whitespace-separated words (`wc -w`).
    pub words: u64,
    /// Sentence ends seen (`.`, `?`, `!`, `…` closing a word, not an
    /// abbreviation's full stop).
    pub sentences: u64,
    /// Words in cues that have a start and an end.
    pub timed_words: u64,
    /// Total length of those cues, in milliseconds.
    pub timed_ms: u64,
    /// Latest cue end, in milliseconds (the transcript's span).
    pub end_ms: Option<u64>,
    /// Non-speech tags (`[Music]`...).
    pub tags: u64,
    /// Cues carrying at least one tag.
    pub tagged_cues: u64,
}

/// The documents and their shared vocabulary.
#[derive(Debug, Default, Clone)]
pub struct Corpus {
    /// Shared vocabulary with corpus frequencies.
    pub vocab: Vocab,
    /// Documents in order.
    pub docs: Vec<Doc>,
}

impl Corpus {
    /// Starts a new document; the following segments belong to it.
    pub fn begin(&mut self, doc: Doc) {
        self.docs.push(doc);
    }

    /// Adds one cue to the current document (starting an unnamed one if none).
    pub fn segment(&mut self, start_ms: Option<i64>, end_ms: Option<i64>, text: &str, tags: usize) {
        if self.docs.is_empty() {
            self.docs.push(Doc::default());
        }
        let Corpus { vocab, docs } = self;
        let Some(doc) = docs.last_mut() else {
            return;
        };
        doc.cues += 1;
        doc.tags += tags as u64;
        doc.tagged_cues += u64::from(tags > 0);
        let words = podcorpus_core::text::count_words(text);
        doc.words += words;
        doc.speech_cues += u64::from(words > 0);
        doc.sentences += sentence_ends(text);
        if let (Some(s), Some(e)) = (start_ms, end_ms) {
            let (s, e) = (s.max(0) as u64, e.max(0) as u64);
            doc.end_ms = Some(doc.end_ms.unwrap_or(0).max(e));
            if e > s && words > 0 {
                doc.timed_words += words;
                doc.timed_ms += e - s;
            }
        }
        tokens(text, |t| {
            let id = vocab.intern(t);
            vocab.counts[id as usize] += 1;
            doc.tokens.push(id);
        });
    }

    /// Total tokens.
    pub fn tokens(&self) -> u64 {
        self.vocab.counts.iter().sum()
    }
}

/// Sentence ends in a cue, by the core analyzer's rule
/// ([`podcorpus_core::analyzer::ends_sentence`]: `.`, `?`, `!` or `…`
/// closing a word, a run such as `?!` counted once, not after `Mr.` or `e.g.`).
fn sentence_ends(text: &str) -> u64 {
    podcorpus_core::analyzer::count_sentence_ends(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_counted_once_per_end() {
        assert_eq!(sentence_ends("Hi there. How are you?! Fine... ok"), 3);
        assert_eq!(sentence_ends("3.5 is a number"), 0);
        assert_eq!(sentence_ends(". ."), 0);
        assert_eq!(sentence_ends("Mr. Musk, e.g. at SpaceX… yes."), 2);
    }

    #[test]
    fn segments_fill_a_document() {
        let mut c = Corpus::default();
        c.begin(Doc::default());
        c.segment(Some(0), Some(3000), "Don't stop. Don't!", 0);
        c.segment(Some(3000), Some(4000), "", 1);
        let d = &c.docs[0];
        assert_eq!(
            (d.cues, d.words, d.sentences, d.tags, d.tagged_cues),
            (2, 3, 2, 1, 1)
        );
        assert_eq!((d.timed_words, d.timed_ms, d.end_ms), (3, 3000, Some(4000)));
        assert_eq!(d.tokens.len(), 3);
        assert_eq!(c.vocab.counts[c.vocab.id("don't").unwrap() as usize], 2);
    }
}
