//! Language statistics of a document or a set of documents: tokens, types,
//! type–token ratio, moving-average TTR, hapax legomena, words per cue and per
//! sentence, speaking rate, duration, fillers and non-speech tags.

use crate::corpus::{Corpus, Doc, Vocab};
use serde::Serialize;

/// The MATTR window (Covington & McFall 2010 use 500 tokens).
pub const MATTR_WINDOW: usize = 500;

/// Filler phrases, counted as phrases over the token stream.
pub const FILLERS: &[&str] = &[
    "um", "uh", "like", "you know", "i mean", "sort of", "kind of",
];

/// The statistics of one document or of several together.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Documents counted.
    pub documents: u64,
    /// Tokens (see [`crate::tokenize`]).
    pub tokens: u64,
    /// Distinct tokens.
    pub types: u64,
    /// Types / tokens.
    pub ttr: f64,
    /// Moving-average type–token ratio over windows of [`MATTR_WINDOW`] tokens
    /// (a document shorter than the window counts as one window of its length).
    pub mattr: f64,
    /// Types that occur once.
    pub hapax: u64,
    /// Whitespace-separated words (`wc -w`).
    pub words: u64,
    /// Cues (segments).
    pub cues: u64,
    /// Words per cue with speech.
    pub words_per_cue: f64,
    /// Sentence ends seen.
    pub sentences: u64,
    /// Words per sentence (when sentences are marked).
    pub words_per_sentence: Option<f64>,
    /// Words per minute of timed speech (cue durations), when the source is timed.
    pub speaking_rate_wpm: Option<f64>,
    /// Span of the transcripts (latest cue end, summed over documents), in ms.
    pub duration_ms: Option<u64>,
    /// Filler phrases found.
    pub fillers: u64,
    /// Fillers per 1000 tokens.
    pub fillers_per_1000: f64,
    /// Non-speech tags (`[Music]`, `[Applause]`...).
    pub nonspeech_tags: u64,
    /// Share of cues carrying a non-speech tag.
    pub nonspeech_share: f64,
}

/// The filler phrases as id sequences of the vocabulary (absent ones left out).
pub fn filler_ids(vocab: &Vocab) -> Vec<Vec<u32>> {
    FILLERS
        .iter()
        .filter_map(|f| {
            f.split(' ')
                .map(|w| vocab.id(w))
                .collect::<Option<Vec<u32>>>()
        })
        .collect()
}

/// Filler phrases in a token stream (non-overlapping, longest first).
pub fn count_fillers(tokens: &[u32], fillers: &[Vec<u32>]) -> u64 {
    let mut n = 0;
    let mut i = 0;
    while i < tokens.len() {
        let hit = fillers
            .iter()
            .filter(|f| tokens[i..].starts_with(f))
            .map(Vec::len)
            .max();
        match hit {
            Some(len) => {
                n += 1;
                i += len;
            }
            None => i += 1,
        }
    }
    n
}

/// Sum of the type–token ratios of every window and the number of windows.
fn mattr_parts(tokens: &[u32], seen: &mut [u32]) -> (f64, u64) {
    let w = MATTR_WINDOW;
    if tokens.is_empty() {
        return (0.0, 0);
    }
    if tokens.len() <= w {
        let mut distinct = 0;
        for &t in tokens {
            distinct += u64::from(seen[t as usize] == 0);
            seen[t as usize] += 1;
        }
        tokens.iter().for_each(|&t| seen[t as usize] = 0);
        return (distinct as f64 / tokens.len() as f64, 1);
    }
    let mut distinct = 0i64;
    let mut sum = 0.0;
    for (i, &t) in tokens.iter().enumerate() {
        distinct += i64::from(seen[t as usize] == 0);
        seen[t as usize] += 1;
        if i >= w {
            let old = tokens[i - w] as usize;
            seen[old] -= 1;
            distinct -= i64::from(seen[old] == 0);
        }
        if i + 1 >= w {
            sum += distinct as f64 / w as f64;
        }
    }
    tokens[tokens.len() - w..]
        .iter()
        .for_each(|&t| seen[t as usize] = 0);
    (sum, (tokens.len() - w + 1) as u64)
}

/// Statistics of the documents `docs` of `corpus` together.
pub fn stats(corpus: &Corpus, docs: &[&Doc]) -> Stats {
    let vocab = &corpus.vocab;
    let fillers = filler_ids(vocab);
    let mut seen = vec![0u32; vocab.len()];
    let mut s = Stats {
        documents: docs.len() as u64,
        ..Stats::default()
    };
    let (mut windows_sum, mut windows) = (0.0, 0u64);
    let (mut timed_words, mut timed_ms, mut speech_cues, mut tagged) = (0, 0, 0, 0);
    for d in docs {
        s.tokens += d.tokens.len() as u64;
        s.words += d.words;
        s.cues += d.cues;
        s.sentences += d.sentences;
        s.nonspeech_tags += d.tags;
        s.fillers += count_fillers(&d.tokens, &fillers);
        timed_words += d.timed_words;
        timed_ms += d.timed_ms;
        speech_cues += d.speech_cues;
        tagged += d.tagged_cues;
        if let Some(e) = d.end_ms {
            s.duration_ms = Some(s.duration_ms.unwrap_or(0) + e);
        }
        let (sum, n) = mattr_parts(&d.tokens, &mut seen);
        windows_sum += sum;
        windows += n;
    }
    // Type counts of exactly these documents (the corpus counts may cover more).
    let mut freq = seen;
    for d in docs {
        for &t in &d.tokens {
            freq[t as usize] += 1;
        }
    }
    s.types = freq.iter().filter(|&&f| f > 0).count() as u64;
    s.hapax = freq.iter().filter(|&&f| f == 1).count() as u64;
    let ratio = |a: f64, b: u64| if b == 0 { 0.0 } else { a / b as f64 };
    s.ttr = ratio(s.types as f64, s.tokens);
    s.mattr = ratio(windows_sum, windows);
    s.words_per_cue = ratio(s.words as f64, speech_cues);
    s.words_per_sentence = (s.sentences > 0).then(|| ratio(s.words as f64, s.sentences));
    s.speaking_rate_wpm = (timed_ms > 0).then(|| timed_words as f64 / (timed_ms as f64 / 60_000.0));
    s.fillers_per_1000 = ratio(1000.0 * s.fillers as f64, s.tokens);
    s.nonspeech_share = ratio(tagged as f64, s.cues);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Doc;

    fn corpus(texts: &[&str]) -> Corpus {
        let mut c = Corpus::default();
        c.begin(Doc::default());
        for (i, t) in texts.iter().enumerate() {
            let at = i as i64 * 6000;
            c.segment(Some(at), Some(at + 6000), t, 0);
        }
        c
    }

    #[test]
    fn fillers_are_phrases() {
        let c = corpus(&["Um, you know, I like it. I mean, it's kind of you know nice uh"]);
        let f = filler_ids(&c.vocab);
        // um, you know, like, i mean, kind of, you know, uh
        assert_eq!(count_fillers(&c.docs[0].tokens, &f), 7);
    }

    #[test]
    fn counts_and_rates() {
        let c = corpus(&["the cat saw the dog.", "The dog ran!"]);
        let s = stats(&c, &[&c.docs[0]]);
        assert_eq!(
            (s.tokens, s.types, s.hapax, s.words, s.sentences),
            (8, 5, 3, 8, 2)
        );
        assert_eq!(s.ttr, 5.0 / 8.0);
        assert_eq!(s.mattr, s.ttr); // shorter than the window: one window
        assert_eq!(s.words_per_cue, 4.0);
        // 8 words in 12 s of cues.
        assert_eq!(s.speaking_rate_wpm, Some(40.0));
        assert_eq!(s.duration_ms, Some(12000));
    }

    #[test]
    fn mattr_slides_over_the_window() {
        // 1000 tokens alternating over 250 types: every window of 500 has 250 types.
        let tokens: Vec<u32> = (0..1000).map(|i| i % 250).collect();
        let mut seen = vec![0u32; 250];
        let (sum, n) = mattr_parts(&tokens, &mut seen);
        assert_eq!(n, 501);
        assert!((sum / n as f64 - 0.5).abs() < 1e-12);
        assert!(seen.iter().all(|&v| v == 0));
    }
}
