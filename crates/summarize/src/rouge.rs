//! ROUGE-1, ROUGE-2 and ROUGE-L exactly as Google's `rouge-score` package
//! (0.1.2) computes them without stemming, so that numbers agree with the
//! package everyone quotes. Its tokenizer is the package's
//! ([`rouge_score_tokens`]), not the corpus analyzer.

use serde::Serialize;
use std::collections::HashMap;

/// Precision, recall and F1 of one ROUGE measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// Share of the hypothesis found in the reference.
    pub precision: f64,
    /// Share of the reference found in the hypothesis.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

impl Score {
    fn new(precision: f64, recall: f64) -> Score {
        // The package's `scoring.fmeasure`.
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Score {
            precision,
            recall,
            f1,
        }
    }
}

/// The three measures `eval-summary` reports.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rouge {
    /// Unigram overlap.
    pub rouge1: Score,
    /// Bigram overlap.
    pub rouge2: Score,
    /// Longest common subsequence.
    #[serde(rename = "rougeL")]
    pub rouge_l: Score,
}

/// rouge-score's tokenizer (`DefaultTokenizer` without a stemmer): lowercase,
/// every run of characters outside `[a-z0-9]` becomes a space, split on
/// spaces, so `café` is `caf` and `it's` is `it`, `s`.
///
/// This is the reference tool's rule, not the analyzer
/// ([`podcorpus_core::analyzer`]): ROUGE numbers must equal rouge-score's to
/// be comparable with the ones everyone quotes, so only [`rouge`] uses it.
pub fn rouge_score_tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut tokens = Vec::new();
    let mut cur = String::new();
    for c in lower.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            tokens.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
}

/// ROUGE-1, ROUGE-2 and ROUGE-L of `hypothesis` against `reference`
/// (the package's `score(target=reference, prediction=hypothesis)`).
pub fn rouge(reference: &str, hypothesis: &str) -> Rouge {
    let r = rouge_score_tokens(reference);
    let h = rouge_score_tokens(hypothesis);
    Rouge {
        rouge1: ngram_score(&r, &h, 1),
        rouge2: ngram_score(&r, &h, 2),
        rouge_l: lcs_score(&r, &h),
    }
}

fn ngram_counts(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    if tokens.len() >= n {
        for gram in tokens.windows(n) {
            *counts.entry(gram).or_insert(0) += 1;
        }
    }
    counts
}

fn ngram_score(reference: &[String], hypothesis: &[String], n: usize) -> Score {
    let r = ngram_counts(reference, n);
    let h = ngram_counts(hypothesis, n);
    let overlap: usize = r
        .iter()
        .map(|(g, c)| (*c).min(h.get(g).copied().unwrap_or(0)))
        .sum();
    let r_total: usize = r.values().sum();
    let h_total: usize = h.values().sum();
    Score::new(
        overlap as f64 / h_total.max(1) as f64,
        overlap as f64 / r_total.max(1) as f64,
    )
}

/// Length of the longest common subsequence, in two rows of memory (the
/// package builds the whole table; the length is the same).
fn lcs_len(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn lcs_score(reference: &[String], hypothesis: &[String]) -> Score {
    if reference.is_empty() || hypothesis.is_empty() {
        return Score::new(0.0, 0.0);
    }
    let lcs = lcs_len(reference, hypothesis) as f64;
    Score::new(lcs / hypothesis.len() as f64, lcs / reference.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_like_rouge_score() {
        // rouge_score.tokenize.tokenize("Héllo, WORLD! it's 2-fold_x", None)
        // == ['h', 'llo', 'world', 'it', 's', '2', 'fold', 'x']
        assert_eq!(
            rouge_score_tokens("Héllo, WORLD! it's 2-fold_x"),
            vec!["h", "llo", "world", "it", "s", "2", "fold", "x"]
        );
        assert!(rouge_score_tokens("— … ¿").is_empty());
    }

    #[test]
    fn small_texts_match_the_package() {
        // RougeScorer(['rouge1','rouge2','rougeL'], use_stemmer=False)
        //   .score('the cat sat on the mat', 'the cat lay on the mat today'):
        // rouge1 P=5/7 R=5/6, rouge2 P=3/6 R=3/5, rougeL P=5/7 R=5/6.
        let s = rouge("the cat sat on the mat", "the cat lay on the mat today");
        assert!((s.rouge1.precision - 5.0 / 7.0).abs() < 1e-12);
        assert!((s.rouge1.recall - 5.0 / 6.0).abs() < 1e-12);
        assert!((s.rouge2.precision - 0.5).abs() < 1e-12);
        assert!((s.rouge2.recall - 0.6).abs() < 1e-12);
        assert!((s.rouge_l.f1 - 0.7692307692307692).abs() < 1e-12);
    }

    #[test]
    fn empty_sides_score_zero() {
        let s = rouge("", "something");
        assert_eq!(s.rouge1.f1, 0.0);
        assert_eq!(s.rouge_l.recall, 0.0);
        let s = rouge("a b", "");
        assert_eq!(s.rouge2.precision, 0.0);
    }
}
