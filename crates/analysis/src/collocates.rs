//! Collocates of a node word: the words within a window on either side, with
//! their co-occurrence frequency and three association scores — log-Dice
//! (Rychlý 2008), mutual information and t-score (Church & Hanks; Evert 2005),
//! with the expected frequency scaled by the window span.
//!
//! The node is a word, or any pattern the caller can find in a document's
//! tokens ([`collocates_of`]): analysis does not know the query language,
//! so the CLI hands it search's `Pattern::find`.

use crate::corpus::{Corpus, Doc};
use crate::freq::is_stop_word;
use serde::Serialize;
use std::ops::Range;

/// One collocate of the node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Collocate {
    /// The collocate.
    pub word: String,
    /// Co-occurrences with the node within the window.
    pub together: u64,
    /// Corpus frequency of the collocate.
    pub frequency: u64,
    /// 14 + log₂(2·f(n,c) / (f(n) + f(c))): at most 14, comparable across corpora.
    pub log_dice: f64,
    /// log₂(observed / expected).
    pub mi: f64,
    /// (observed − expected) / √observed.
    pub t_score: f64,
}

/// Options of [`collocates`].
#[derive(Debug, Clone, Copy)]
pub struct CollocOptions {
    /// Words on each side.
    pub window: usize,
    /// Ignore collocates seen together fewer times.
    pub min_count: u64,
    /// Leave out stop words.
    pub no_stop: bool,
    /// Keep this many.
    pub top: usize,
}

/// The node's frequency and its collocates by log-Dice, highest first
/// (`None` when the corpus lacks the node). Windows do not cross documents.
pub fn collocates(
    corpus: &Corpus,
    docs: &[&Doc],
    node: &str,
    o: CollocOptions,
) -> Option<(u64, Vec<Collocate>)> {
    let node_id = corpus.vocab.id(&node.to_lowercase())?;
    let find = |toks: &[u32]| -> Vec<Range<usize>> {
        toks.iter()
            .enumerate()
            .filter(|&(_, &t)| t == node_id)
            .map(|(i, _)| i..i + 1)
            .collect()
    };
    collocates_by_id(corpus, docs, &find, o)
}

/// [`collocates`] of a pattern: `find` gives the token ranges of its
/// matches in one document's tokens (as the vocabulary writes them). The
/// window counts from each end of a match; the match's own tokens are not
/// its collocates. `None` when nothing matches.
pub fn collocates_of(
    corpus: &Corpus,
    docs: &[&Doc],
    find: &dyn Fn(&[&str]) -> Vec<Range<usize>>,
    o: CollocOptions,
) -> Option<(u64, Vec<Collocate>)> {
    let vocab = &corpus.vocab;
    let by_id = |toks: &[u32]| {
        let words: Vec<&str> = toks.iter().map(|&t| vocab.word(t)).collect();
        find(&words)
    };
    collocates_by_id(corpus, docs, &by_id, o)
}

fn collocates_by_id(
    corpus: &Corpus,
    docs: &[&Doc],
    find: &dyn Fn(&[u32]) -> Vec<Range<usize>>,
    o: CollocOptions,
) -> Option<(u64, Vec<Collocate>)> {
    let vocab = &corpus.vocab;
    let mut together = vec![0u64; vocab.len()];
    let mut f_node = 0u64;
    let mut total = 0u64;
    for d in docs {
        total += d.tokens.len() as u64;
        for m in find(&d.tokens) {
            if m.start >= m.end || m.end > d.tokens.len() {
                continue;
            }
            f_node += 1;
            let lo = m.start.saturating_sub(o.window);
            let hi = (m.end + o.window).min(d.tokens.len());
            for (j, &c) in d.tokens[lo..hi].iter().enumerate() {
                if !m.contains(&(lo + j)) {
                    together[c as usize] += 1;
                }
            }
        }
    }
    if f_node == 0 {
        return None;
    }
    let span = (2 * o.window) as f64;
    let mut out: Vec<Collocate> = together
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n >= o.min_count.max(1))
        .filter(|&(id, _)| !(o.no_stop && is_stop_word(vocab.word(id as u32))))
        .map(|(id, &n)| {
            let f_c = vocab.counts[id];
            let observed = n as f64;
            let expected = f_node as f64 * f_c as f64 * span / total.max(1) as f64;
            Collocate {
                word: vocab.word(id as u32).to_string(),
                together: n,
                frequency: f_c,
                log_dice: 14.0 + (2.0 * observed / (f_node + f_c) as f64).log2(),
                mi: (observed / expected).log2(),
                t_score: (observed - expected) / observed.sqrt(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.log_dice
            .total_cmp(&a.log_dice)
            .then_with(|| a.word.cmp(&b.word))
    });
    out.truncate(o.top);
    Some((f_node, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_and_scores() {
        let mut c = Corpus::default();
        c.begin(Doc::default());
        c.segment(
            None,
            None,
            "the human mind is a strange mind said the human",
            0,
        );
        let docs: Vec<&Doc> = c.docs.iter().collect();
        let o = CollocOptions {
            window: 1,
            min_count: 1,
            no_stop: false,
            top: 10,
        };
        let (f, cols) = collocates(&c, &docs, "Mind", o).unwrap();
        assert_eq!(f, 2);
        let get = |w: &str| cols.iter().find(|c| c.word == w).unwrap();
        // human·mind, mind·is, strange·mind, mind·said
        assert_eq!(get("human").together, 1);
        assert_eq!(get("strange").together, 1);
        assert!(cols.iter().all(|c| c.word != "the"));
        // strange: f(c)=1, f(n)=2, f(n,c)=1 → 14 + log2(2/3)
        assert!((get("strange").log_dice - (14.0 + (2.0f64 / 3.0).log2())).abs() < 1e-12);
        // expected = 2·1·2/10 = 0.4 → MI = log2(2.5), t = 0.6
        assert!((get("strange").mi - 2.5f64.log2()).abs() < 1e-12);
        assert!((get("strange").t_score - 0.6).abs() < 1e-12);
        assert!(collocates(&c, &docs, "absent", o).is_none());
        // A pattern node: `strange mind` as one match, its window from both ends.
        let find = |t: &[&str]| -> Vec<Range<usize>> {
            (0..t.len().saturating_sub(1))
                .filter(|&i| t[i] == "strange" && t[i + 1] == "mind")
                .map(|i| i..i + 2)
                .collect()
        };
        let (f, cols) = collocates_of(&c, &docs, &find, o).unwrap();
        assert_eq!(f, 1);
        let words: Vec<&str> = cols.iter().map(|c| c.word.as_str()).collect();
        assert_eq!(words.len(), 2, "{words:?}");
        assert!(words.contains(&"a") && words.contains(&"said"), "{words:?}");
        assert!(collocates_of(&c, &docs, &|_: &[&str]| Vec::new(), o).is_none());
    }
}
