//! Frequency lists of words and n-grams, lowercased, optionally without stop
//! words, above a minimum count.

use crate::corpus::{Corpus, Doc};
use rustc_hash::FxHashMap;
use serde::Serialize;

pub use podcorpus_core::text::{is_stop_word, STOP_WORDS};

/// One line of a frequency list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The word or the n-gram (words joined by one space).
    pub item: String,
    /// Occurrences.
    pub count: u64,
    /// Occurrences per million n-grams of the same size.
    pub per_million: f64,
}

/// What to count.
#[derive(Debug, Clone, Copy)]
pub struct FreqOptions {
    /// 1 for words, 2 for bigrams, up to 4.
    pub n: usize,
    /// Leave out n-grams holding a stop word.
    pub no_stop: bool,
    /// Leave out items seen fewer times.
    pub min_count: u64,
    /// Keep the `top` most frequent (0: all).
    pub top: usize,
}

/// The frequency list of `docs`, most frequent first (ties alphabetical).
/// N-grams do not cross documents.
pub fn frequencies(corpus: &Corpus, docs: &[&Doc], o: FreqOptions) -> Vec<Entry> {
    let n = o.n.clamp(1, 4);
    let vocab = &corpus.vocab;
    let stop: Vec<bool> = (0..vocab.len() as u32)
        .map(|id| o.no_stop && is_stop_word(vocab.word(id)))
        .collect();
    // An n-gram of ids packed in 128 bits (32 each): no allocation per n-gram.
    let mut counts: FxHashMap<u128, u64> = FxHashMap::default();
    let mut total = 0u64;
    for d in docs {
        for g in d.tokens.windows(n) {
            total += 1;
            if g.iter().any(|&t| stop[t as usize]) {
                continue;
            }
            let key = g.iter().fold(0u128, |k, &t| (k << 32) | u128::from(t));
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    let mut list: Vec<(u128, u64)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= o.min_count)
        .collect();
    let text = |key: u128| -> String {
        (0..n)
            .rev()
            .map(|k| vocab.word((key >> (32 * k)) as u32))
            .collect::<Vec<_>>()
            .join(" ")
    };
    list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| text(a.0).cmp(&text(b.0))));
    if o.top > 0 {
        list.truncate(o.top);
    }
    list.into_iter()
        .map(|(k, c)| Entry {
            item: text(k),
            count: c,
            per_million: if total == 0 {
                0.0
            } else {
                c as f64 * 1e6 / total as f64
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("don't") && !is_stop_word("mind"));
    }

    #[test]
    fn words_and_bigrams() {
        let mut c = Corpus::default();
        c.begin(Doc::default());
        c.segment(None, None, "The mind, the Mind and the body.", 0);
        let docs: Vec<&Doc> = c.docs.iter().collect();
        let o = FreqOptions {
            n: 1,
            no_stop: false,
            min_count: 1,
            top: 2,
        };
        let f = frequencies(&c, &docs, o);
        assert_eq!((f[0].item.as_str(), f[0].count), ("the", 3));
        assert_eq!((f[1].item.as_str(), f[1].count), ("mind", 2));
        let f = frequencies(&c, &docs, FreqOptions { n: 2, top: 0, ..o });
        assert_eq!((f[0].item.as_str(), f[0].count), ("the mind", 2));
        let f = frequencies(
            &c,
            &docs,
            FreqOptions {
                n: 1,
                no_stop: true,
                min_count: 2,
                top: 0,
            },
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].item, "mind");
    }
}
