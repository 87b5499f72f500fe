//! Keywords: what is distinctive about a document (or a set) against the rest
//! of the corpus, or against general English (wordfreq's `large_en`), by
//! log-likelihood G² (Dunning 1993, as in Rayson & Garside 2000) with the log
//! ratio (Hardie 2014) as effect size.

use crate::corpus::{Corpus, Doc};
use crate::freq::is_stop_word;
use podcorpus_lexicon::wordfreq::WordFreq;
use serde::Serialize;

/// One keyword.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyword {
    /// The word.
    pub word: String,
    /// Occurrences in the target.
    pub target: u64,
    /// Occurrences in the rest of the corpus (against general English: the
    /// expected count in [`ENGLISH_TOKENS`], rounded).
    pub reference: u64,
    /// Log-likelihood G².
    pub g2: f64,
    /// log₂ of the ratio of relative frequencies (a zero reference count taken as 0.5).
    pub log_ratio: f64,
}

/// G² of a word seen `a` times in `c` target tokens and `b` times in `d` reference tokens.
pub fn log_likelihood(a: u64, b: u64, c: u64, d: u64) -> f64 {
    log_likelihood_f(a as f64, b as f64, c as f64, d as f64)
}

/// [`log_likelihood`] with real counts: a reference corpus known only by
/// relative frequencies has expected counts, not whole ones.
pub fn log_likelihood_f(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (term(a, e1) + term(b, e2))
}

/// Hardie's log ratio, with 0.5 standing in for a zero count.
pub fn log_ratio(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let fix = |x: u64| if x == 0 { 0.5 } else { x as f64 };
    ((fix(a) / c as f64) / (fix(b) / d as f64)).log2()
}

/// Options of [`keywords`].
#[derive(Debug, Clone, Copy)]
pub struct KeyOptions {
    /// Keep this many.
    pub top: usize,
    /// Ignore words seen fewer times in the target.
    pub min_count: u64,
    /// Leave out stop words.
    pub no_stop: bool,
}

/// The words over-represented in `target` (indices into `corpus.docs`)
/// compared to every other document, by G², highest first.
pub fn keywords(corpus: &Corpus, target: &[usize], o: KeyOptions) -> Vec<Keyword> {
    let vocab = &corpus.vocab;
    let mut in_target = vec![0u64; vocab.len()];
    let docs: Vec<&Doc> = target.iter().filter_map(|&i| corpus.docs.get(i)).collect();
    for d in &docs {
        for &t in &d.tokens {
            in_target[t as usize] += 1;
        }
    }
    let c: u64 = in_target.iter().sum();
    let d = corpus.tokens() - c;
    if c == 0 || d == 0 {
        return Vec::new();
    }
    let mut out: Vec<Keyword> = in_target
        .iter()
        .enumerate()
        .filter(|&(_, &a)| a >= o.min_count.max(1))
        .filter_map(|(id, &a)| {
            let b = vocab.counts[id] - a;
            // Only over-use: relative frequency higher in the target.
            if (a as f64) / (c as f64) <= (b as f64) / (d as f64) {
                return None;
            }
            let word = vocab.word(id as u32);
            if o.no_stop && is_stop_word(word) {
                return None;
            }
            Some(Keyword {
                word: word.to_string(),
                target: a,
                reference: b,
                g2: log_likelihood(a, b, c, d),
                log_ratio: log_ratio(a, b, c, d),
            })
        })
        .collect();
    out.sort_by(|x, y| y.g2.total_cmp(&x.g2).then_with(|| x.word.cmp(&y.word)));
    out.truncate(o.top);
    out
}

/// The size given to the general-English reference corpus: a word's
/// reference count is its wordfreq frequency times this. One billion is
/// the order of the corpora wordfreq pools (its Zipf scale counts per
/// billion); G² grows with the reference size but hardly changes the order
/// of keywords once the reference dwarfs the target.
pub const ENGLISH_TOKENS: f64 = 1e9;

/// The words over-represented in `target` (indices into `corpus.docs`; the
/// whole corpus when empty) compared to general English, wordfreq's `list`
/// taken as a reference corpus of [`ENGLISH_TOKENS`] tokens. A word the list
/// lacks gets its floor frequency ([`WordFreq::floor`], half its rarest
/// bin's). Tokens that begin with a digit are left out, as in the profile
/// ([`crate::profile::is_number`]): wordfreq ranks no numbers by their digits.
pub fn keywords_against_english(
    corpus: &Corpus,
    target: &[usize],
    list: &WordFreq,
    o: KeyOptions,
) -> Vec<Keyword> {
    let vocab = &corpus.vocab;
    let mut in_target = vec![0u64; vocab.len()];
    let all: Vec<usize> = if target.is_empty() {
        (0..corpus.docs.len()).collect()
    } else {
        target.to_vec()
    };
    for d in all.iter().filter_map(|&i| corpus.docs.get(i)) {
        for &t in &d.tokens {
            if let Some(n) = in_target.get_mut(t as usize) {
                *n += 1;
            }
        }
    }
    for (id, n) in in_target.iter_mut().enumerate() {
        if crate::profile::is_number(vocab.word(id as u32)) {
            *n = 0;
        }
    }
    let c: u64 = in_target.iter().sum();
    if c == 0 {
        return Vec::new();
    }
    let (cf, d) = (c as f64, ENGLISH_TOKENS);
    let floor = list.floor();
    let mut out: Vec<Keyword> = in_target
        .iter()
        .enumerate()
        .filter(|&(_, &a)| a >= o.min_count.max(1))
        .filter_map(|(id, &a)| {
            let word = vocab.word(id as u32);
            let b = list.frequency(word).unwrap_or(floor) * d;
            if (a as f64) / cf <= b / d {
                return None;
            }
            if o.no_stop && is_stop_word(word) {
                return None;
            }
            let a = a as f64;
            Some(Keyword {
                word: word.to_string(),
                target: a as u64,
                reference: b.round() as u64,
                g2: log_likelihood_f(a, b, cf, d),
                log_ratio: ((a / cf) / (b / d)).log2(),
            })
        })
        .collect();
    out.sort_by(|x, y| y.g2.total_cmp(&x.g2).then_with(|| x.word.cmp(&y.word)));
    out.truncate(o.top);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g2_matches_the_textbook_example() {
        // 10 in 1000 against 10 in 10000 tokens: expected 20·1000/11000 and
        // 20·10000/11000, so G² = 2·(10·ln 5.5 + 10·ln 0.55) ≈ 22.14.
        let want = 2.0 * (10.0 * 5.5f64.ln() + 10.0 * 0.55f64.ln());
        assert!((log_likelihood(10, 10, 1000, 10000) - want).abs() < 1e-9);
        assert!((want - 22.14).abs() < 0.01);
        assert!((log_ratio(10, 10, 1000, 10000) - 10f64.log2()).abs() < 1e-12);
        assert_eq!(log_likelihood(0, 0, 10, 10), 0.0);
    }

    #[test]
    fn distinctive_words_rank_first() {
        let mut c = Corpus::default();
        c.begin(Doc::default());
        c.segment(
            None,
            None,
            "rockets rockets rockets and the moon and the sea",
            0,
        );
        c.begin(Doc::default());
        c.segment(
            None,
            None,
            "the sea and the land and the sky and the sea",
            0,
        );
        let k = keywords(
            &c,
            &[0],
            KeyOptions {
                top: 5,
                min_count: 1,
                no_stop: false,
            },
        );
        assert_eq!(k[0].word, "rockets");
        assert_eq!((k[0].target, k[0].reference), (3, 0));
        assert!(k.iter().all(|w| w.word != "the"));
    }
    #[test]
    fn against_english_unlisted_words_get_the_floor() {
        // [header, [], ["the"]]: "the" at 10^(-0.01), the floor half that.
        let mut pack = vec![0x93, 0x82];
        for w in ["format", "cB", "version"] {
            pack.push(0xa0 | w.len() as u8);
            pack.extend_from_slice(w.as_bytes());
        }
        pack.extend_from_slice(&[0x01, 0x90, 0x91, 0xa3]);
        pack.extend_from_slice(b"the");
        let list = WordFreq::from_msgpack(&pack).expect("list");
        let mut c = Corpus::default();
        c.begin(Doc::default());
        c.segment(
            None,
            None,
            "rockets rockets rockets the the 2019 2019 2019",
            0,
        );
        let o = KeyOptions {
            top: 5,
            min_count: 1,
            no_stop: false,
        };
        let k = keywords_against_english(&c, &[0], &list, o);
        // "the" is rarer here (2 in 5) than in the list; the numbers are out.
        assert_eq!(k.len(), 1);
        assert_eq!(k[0].word, "rockets");
        let floor = 10f64.powf(-0.01) / 2.0;
        assert_eq!(k[0].reference, (floor * ENGLISH_TOKENS).round() as u64);
        let want = log_likelihood_f(3.0, floor * ENGLISH_TOKENS, 5.0, ENGLISH_TOKENS);
        assert_eq!(k[0].g2, want);
        assert!((k[0].log_ratio - ((3.0 / 5.0) / floor).log2()).abs() < 1e-12);
    }
}
