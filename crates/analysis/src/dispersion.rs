//! Dispersion of a pattern over a corpus, one part per document (episode), as
//! AntConc's concordance plot shows it: where in each part every hit falls,
//! and how evenly the hits spread over the parts — range, Juilland's D and
//! Gries' DP with its normalized form.
//!
//! The pattern itself is not known here: callers pass its `find` (token
//! slice in, token-index ranges out), so this crate stays free of the search
//! crate and follows the pattern language wherever it grows.

use crate::corpus::Corpus;
use rayon::prelude::*;
use serde::Serialize;
use std::ops::Range;

/// A pattern's `find`: every match in one text's tokens, as token-index ranges.
pub type Find<'a> = dyn Fn(&[&str]) -> Vec<Range<usize>> + Sync + 'a;

/// The start (token index) of every match of `find` in each of `docs`
/// (indexes into `corpus.docs`), in order.
///
/// A match one token wide depends on that token alone (true of words,
/// wildcards, regexes, lemmas): when the pattern matches some vocabulary
/// entry on its own, the matching entries are found once over the
/// vocabulary and each episode's token ids are only looked up, instead of
/// testing every token. A pattern no single token matches (a phrase, a
/// proximity search) goes through `find` over each document's tokens.
pub fn match_starts(corpus: &Corpus, docs: &[usize], find: &Find<'_>) -> Vec<Vec<usize>> {
    let vocab = &corpus.vocab;
    let single: Vec<bool> = (0..vocab.len() as u32)
        .into_par_iter()
        .map(|id| find(&[vocab.word(id)]).contains(&(0..1)))
        .collect();
    let by_vocab = single.iter().any(|&s| s);
    docs.par_iter()
        .map(|&d| {
            let Some(doc) = corpus.docs.get(d) else {
                return Vec::new();
            };
            if by_vocab {
                doc.tokens
                    .iter()
                    .enumerate()
                    .filter(|(_, &id)| single.get(id as usize).copied().unwrap_or(false))
                    .map(|(i, _)| i)
                    .collect()
            } else {
                let words: Vec<&str> = doc.tokens.iter().map(|&id| vocab.word(id)).collect();
                find(&words).into_iter().map(|r| r.start).collect()
            }
        })
        .collect()
}

/// Indexes of the documents whose guests include `guest`, compared
/// lowercased as a substring (`chomsky` finds Noam Chomsky); all without one.
pub fn docs_with_guest(corpus: &Corpus, guest: Option<&str>) -> Vec<usize> {
    let g = guest.map(str::to_lowercase);
    (0..corpus.docs.len())
        .filter(|&i| {
            g.as_deref().is_none_or(|g| {
                corpus.docs[i]
                    .guests
                    .iter()
                    .any(|n| n.to_lowercase().contains(g))
            })
        })
        .collect()
}

/// How evenly an item spreads over the parts of a corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measures {
    /// Parts (episodes) measured: those with at least one token.
    pub parts: usize,
    /// Parts with at least one hit.
    pub range: usize,
    /// Hits in all parts.
    pub hits: u64,
    /// Tokens in all parts.
    pub tokens: u64,
    /// Occurrences per million tokens over all parts.
    pub per_million: f64,
    /// Gries' DP (deviation of proportions): 0 = spread as the part sizes
    /// are, towards 1 = all in one small part. `None` without hits.
    pub dp: Option<f64>,
    /// DP divided by its largest possible value, `1 - min s_i` (Lijffijt &
    /// Gries 2012): 0 to 1. `None` without hits or with one part.
    pub dp_norm: Option<f64>,
    /// Juilland's D over the parts' relative frequencies: 1 = perfectly
    /// even, 0 = all in one part. `None` without hits or with one part.
    pub juilland_d: Option<f64>,
}

/// Range, DP, DPnorm and Juilland's D of an item with `freqs[i]` hits in
/// part `i` of `sizes[i]` tokens. Parts of no tokens are left out: they can
/// hold no hit and have no relative frequency.
///
/// - DP (Gries 2008): `0.5 * Σ |v_i - s_i|`, with `s_i = size_i / Σ size`
///   and `v_i = freq_i / Σ freq`.
/// - DPnorm (Gries 2008, as corrected by Lijffijt & Gries 2012):
///   `DP / (1 - min s_i)`.
/// - Juilland's D, the variant for parts of different sizes (Gries 2008,
///   2019): `1 - V / sqrt(n - 1)`, with `V` the coefficient of variation
///   (population standard deviation over the mean) of the relative
///   frequencies `p_i = freq_i / size_i` of the `n` parts.
pub fn measures(sizes: &[u64], freqs: &[u64]) -> Measures {
    let parts: Vec<(f64, f64)> = sizes
        .iter()
        .zip(freqs)
        .filter(|(&s, _)| s > 0)
        .map(|(&s, &f)| (s as f64, f as f64))
        .collect();
    let n = parts.len();
    let tokens: u64 = sizes.iter().sum();
    let hits: u64 = sizes
        .iter()
        .zip(freqs)
        .filter(|(&s, _)| s > 0)
        .map(|(_, &f)| f)
        .sum();
    let range = parts.iter().filter(|p| p.1 > 0.0).count();
    let (l, f) = (tokens as f64, hits as f64);
    let per_million = if tokens > 0 { f / l * 1e6 } else { 0.0 };
    let (mut dp, mut dp_norm, mut juilland_d) = (None, None, None);
    if hits > 0 {
        let d = 0.5
            * parts
                .iter()
                .map(|(s, v)| (v / f - s / l).abs())
                .sum::<f64>();
        dp = Some(d);
        let min_s = parts
            .iter()
            .map(|(s, _)| s / l)
            .fold(f64::INFINITY, f64::min);
        if n > 1 && min_s < 1.0 {
            dp_norm = Some(d / (1.0 - min_s));
        }
        if n > 1 {
            let p: Vec<f64> = parts.iter().map(|(s, v)| v / s).collect();
            let mean = p.iter().sum::<f64>() / n as f64;
            let var = p.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            juilland_d = Some(1.0 - (var.sqrt() / mean) / ((n - 1) as f64).sqrt());
        }
    }
    Measures {
        parts: n,
        range,
        hits,
        tokens,
        per_million,
        dp,
        dp_norm,
        juilland_d,
    }
}

/// One part (episode) of a dispersion.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// `COLLECTION/NUMBER`.
    pub episode: String,
    /// Title, when known.
    pub title: Option<String>,
    /// Publication date, when known.
    pub published: Option<String>,
    /// Tokens of the episode.
    pub tokens: u64,
    /// Hits in it.
    pub hits: u64,
    /// Where each hit starts, as a fraction (0 to 1) of the episode's tokens.
    pub positions: Vec<f64>,
}

/// A pattern's dispersion over the selected episodes.
#[derive(Debug, Clone, Serialize)]
pub struct Dispersion {
    /// The pattern as given.
    pub query: String,
    /// Range, DP, DPnorm, Juilland's D over all episodes.
    #[serde(flatten)]
    pub measures: Measures,
    /// One row per episode, in the corpus's order.
    pub episodes: Vec<Part>,
}

/// The dispersion of `query` over `docs` (indexes into `corpus.docs`), given
/// the match starts of each ([`match_starts`]).
pub fn dispersion(
    corpus: &Corpus,
    docs: &[usize],
    query: &str,
    starts: &[Vec<usize>],
) -> Dispersion {
    let episodes: Vec<Part> = docs
        .iter()
        .zip(starts)
        .filter_map(|(&d, s)| corpus.docs.get(d).map(|doc| (doc, s)))
        .map(|(doc, s)| {
            let n = doc.tokens.len();
            Part {
                episode: doc.name.clone(),
                title: doc.title.clone(),
                published: doc.published.clone(),
                tokens: n as u64,
                hits: s.len() as u64,
                positions: s.iter().map(|&i| i as f64 / n.max(1) as f64).collect(),
            }
        })
        .collect();
    let sizes: Vec<u64> = episodes.iter().map(|p| p.tokens).collect();
    let freqs: Vec<u64> = episodes.iter().map(|p| p.hits).collect();
    Dispersion {
        query: query.to_string(),
        measures: measures(&sizes, &freqs),
        episodes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Doc;

    /// Gries (2008: 415ff; 2019) works through a corpus of 50 words in five
    /// parts of 9, 10, 10, 10 and 11 words, in which `a` occurs 1, 2, 3, 4
    /// and 5 times, and gives DP = 0.18. By hand: s = .18 .2 .2 .2 .22,
    /// v = 1/15 .. 5/15, |v - s| = .1133 .0667 0 .0667 .1133, sum .36, DP
    /// .18; DPnorm .18 / (1 - .18) = .2195; p = 1/9 .2 .3 .4 5/11, mean
    /// .29313, population sd .12596, V .42969, D = 1 - V / 2 = .78515.
    #[test]
    fn gries_2008_worked_example() {
        let m = measures(&[9, 10, 10, 10, 11], &[1, 2, 3, 4, 5]);
        assert_eq!((m.parts, m.range, m.hits, m.tokens), (5, 5, 15, 50));
        let dp = m.dp.expect("dp");
        assert!((dp - 0.18).abs() < 1e-12, "{dp}");
        let norm = m.dp_norm.expect("dp_norm");
        assert!((norm - 0.18 / 0.82).abs() < 1e-12, "{norm}");
        let d = m.juilland_d.expect("D");
        assert!((d - 0.78515).abs() < 5e-5, "{d}");
        assert!((m.per_million - 300_000.0).abs() < 1e-6);
    }

    #[test]
    fn extremes_and_undefined_cases() {
        // All hits in one of four equal parts: DP = 1 - 1/4, DPnorm 1, D 0.
        let m = measures(&[10, 10, 10, 10], &[4, 0, 0, 0]);
        assert!((m.dp.expect("dp") - 0.75).abs() < 1e-12);
        assert!((m.dp_norm.expect("norm") - 1.0).abs() < 1e-12);
        assert!(m.juilland_d.expect("D").abs() < 1e-12);
        assert_eq!(m.range, 1);
        // Spread exactly as the sizes: DP 0, D 1.
        let even = measures(&[10, 20], &[1, 2]);
        assert!(even.dp.expect("dp").abs() < 1e-12);
        assert!((even.juilland_d.expect("D") - 1.0).abs() < 1e-12);
        // No hits, one part, empty parts.
        assert_eq!(measures(&[10, 10], &[0, 0]).dp, None);
        let one = measures(&[10], &[3]);
        assert_eq!(
            (one.dp, one.dp_norm, one.juilland_d),
            (Some(0.0), None, None)
        );
        assert_eq!(measures(&[0, 10], &[0, 1]).parts, 1);
    }

    #[test]
    fn guests_select_documents_by_part_of_a_name() {
        let mut c = corpus(&["a", "b", "c"]);
        c.docs[0].guests = vec!["Noam Chomsky".into()];
        c.docs[2].guests = vec!["Elon Musk".into(), "Noam Brown".into()];
        assert_eq!(docs_with_guest(&c, Some("noam")), [0, 2]);
        assert_eq!(docs_with_guest(&c, Some("CHOMSKY")), [0]);
        assert_eq!(docs_with_guest(&c, None), [0, 1, 2]);
        assert!(docs_with_guest(&c, Some("nobody")).is_empty());
    }

    fn corpus(texts: &[&str]) -> Corpus {
        let mut c = Corpus::default();
        for (i, t) in texts.iter().enumerate() {
            c.begin(Doc {
                name: format!("t/{i}"),
                ..Doc::default()
            });
            c.segment(None, None, t, 0);
        }
        c
    }

    /// A word test and a two-word phrase, as `Pattern::find` answers them.
    fn word(w: &'static str) -> impl Fn(&[&str]) -> Vec<Range<usize>> + Sync {
        move |t: &[&str]| {
            (0..t.len())
                .filter(|&i| t[i] == w)
                .map(|i| i..i + 1)
                .collect()
        }
    }

    #[test]
    fn starts_by_vocabulary_and_by_phrase_agree_with_positions() {
        let c = corpus(&["a b a c", "c c", "b a b a b"]);
        let docs = [0, 1, 2];
        assert_eq!(
            match_starts(&c, &docs, &word("a")),
            vec![vec![0, 2], vec![], vec![1, 3]]
        );
        let phrase = |t: &[&str]| -> Vec<Range<usize>> {
            (0..t.len().saturating_sub(1))
                .filter(|&i| t[i] == "b" && t[i + 1] == "a")
                .map(|i| i..i + 2)
                .collect()
        };
        let starts = match_starts(&c, &docs, &phrase);
        assert_eq!(starts, vec![vec![1], vec![], vec![0, 2]]);
        let d = dispersion(&c, &docs, "b a", &starts);
        assert_eq!(d.episodes[2].positions, [0.0, 0.4]);
        assert_eq!(
            (d.measures.hits, d.measures.range, d.measures.parts),
            (3, 2, 3)
        );
        assert_eq!(d.measures.tokens, 11);
    }
}
