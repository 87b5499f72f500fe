//! Choosing the key sentences: LexRank centrality over TF-IDF cosine
//! similarity, then maximal marginal relevance so that the chosen sentences
//! do not repeat each other. Deterministic: ties go to the earlier sentence.

use podcorpus_core::analyzer;
use std::collections::HashMap;

/// Cosine similarity above which a sentence repeats one already chosen.
const MAX_OVERLAP: f64 = 0.7;

/// How the ranking is tuned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankOptions {
    /// PageRank damping (the chance of following an edge rather than jumping).
    pub damping: f64,
    /// MMR trade-off: 1 ranks by centrality only, 0 by novelty only; 0.5
    /// weighs them equally (on the notes slots 01 and 05 it gave the best
    /// ROUGE of 0.5, 0.7, 0.85 and 1).
    pub lambda: f64,
    /// Sentences with fewer content-bearing words are never chosen: a
    /// summary point must say something.
    pub min_words: usize,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            damping: 0.85,
            lambda: 0.5,
            min_words: 8,
        }
    }
}

/// Sparse, L2-normalised TF-IDF vectors of sentences, sorted by term id.
pub struct Vectors {
    vecs: Vec<Vec<(u32, f32)>>,
}

impl Vectors {
    /// Builds TF-IDF vectors of the texts (the analyzer's tokens, stop words
    /// and spoken fillers dropped; idf = ln(N / df), so a word in every
    /// sentence weighs 0).
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vectors {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut counts: Vec<Vec<(u32, f32)>> = Vec::new();
        for text in texts {
            let mut tf: Vec<(u32, f32)> = Vec::new();
            analyzer::for_each_term(text, |tok| {
                if analyzer::is_stop_word(tok) {
                    return;
                }
                let id = match ids.get(tok) {
                    Some(&id) => id,
                    None => {
                        let id = ids.len() as u32;
                        ids.insert(tok.to_string(), id);
                        id
                    }
                };
                tf.push((id, 1.0));
            });
            tf.sort_by_key(|p| p.0);
            tf.dedup_by(|b, a| {
                if a.0 == b.0 {
                    a.1 += b.1;
                    true
                } else {
                    false
                }
            });
            counts.push(tf);
        }
        let n = counts.len() as f32;
        let mut df = vec![0u32; ids.len()];
        for v in &counts {
            for &(t, _) in v {
                df[t as usize] += 1;
            }
        }
        for v in &mut counts {
            for p in v.iter_mut() {
                p.1 *= (n / df[p.0 as usize] as f32).ln();
            }
            v.retain(|p| p.1 > 0.0);
            let norm = v.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|p| p.1 /= norm);
            }
        }
        Vectors { vecs: counts }
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.vecs.len()
    }

    /// Whether there are no sentences.
    pub fn is_empty(&self) -> bool {
        self.vecs.is_empty()
    }

    /// Cosine similarity of sentences `i` and `j`.
    pub fn cosine(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (&self.vecs[i], &self.vecs[j]);
        let (mut x, mut y, mut dot) = (0, 0, 0.0f64);
        while x < a.len() && y < b.len() {
            match a[x].0.cmp(&b[y].0) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    dot += f64::from(a[x].1) * f64::from(b[y].1);
                    x += 1;
                    y += 1;
                }
            }
        }
        dot
    }

    /// The similarity graph as adjacency lists (both directions, no
    /// self-loops), built through an inverted index so that only sentences
    /// sharing a word are ever compared.
    fn graph(&self) -> Vec<Vec<(u32, f32)>> {
        let terms = self
            .vecs
            .iter()
            .flatten()
            .map(|p| p.0)
            .max()
            .map_or(0, |m| m as usize + 1);
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms];
        for (i, v) in self.vecs.iter().enumerate() {
            for &(t, w) in v {
                postings[t as usize].push((i as u32, w));
            }
        }
        let n = self.vecs.len();
        let mut adj: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
        let mut acc = vec![0f32; n];
        let mut touched: Vec<u32> = Vec::new();
        for (i, v) in self.vecs.iter().enumerate() {
            for &(t, w) in v {
                // Only later sentences: each pair once, mirrored below.
                for &(j, wj) in postings[t as usize].iter().rev() {
                    if j as usize <= i {
                        break;
                    }
                    if acc[j as usize] == 0.0 {
                        touched.push(j);
                    }
                    acc[j as usize] += w * wj;
                }
            }
            touched.sort_unstable();
            for &j in &touched {
                let s = std::mem::take(&mut acc[j as usize]);
                if s > 0.0 {
                    adj[i].push((j, s));
                    adj[j as usize].push((i as u32, s));
                }
            }
            touched.clear();
        }
        adj
    }
}

/// LexRank centrality (continuous edges: the random walk follows an edge
/// with probability proportional to its similarity), by power iteration.
/// Isolated sentences keep only the teleport share.
pub fn lexrank(vectors: &Vectors, damping: f64) -> Vec<f64> {
    let n = vectors.len();
    if n == 0 {
        return Vec::new();
    }
    let adj = vectors.graph();
    let out: Vec<f64> = adj
        .iter()
        .map(|e| e.iter().map(|p| f64::from(p.1)).sum())
        .collect();
    let mut p = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..100 {
        // Mass on sentences without edges goes back to everyone, so the
        // scores stay a distribution.
        let dangling: f64 = (0..n).filter(|&i| out[i] == 0.0).map(|i| p[i]).sum();
        let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
        next.iter_mut().for_each(|x| *x = base);
        for (i, edges) in adj.iter().enumerate() {
            if out[i] == 0.0 {
                continue;
            }
            let share = damping * p[i] / out[i];
            for &(j, w) in edges {
                next[j as usize] += share * f64::from(w);
            }
        }
        let delta: f64 = p.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut p, &mut next);
        if delta < 1e-9 {
            break;
        }
    }
    p
}

/// Picks up to `k` of the `candidates` (indices into `vectors`) by maximal
/// marginal relevance over `scores`; returns them in transcript order.
pub fn mmr(
    vectors: &Vectors,
    scores: &[f64],
    candidates: &[usize],
    k: usize,
    lambda: f64,
) -> Vec<usize> {
    let max = candidates.iter().map(|&i| scores[i]).fold(0.0f64, f64::max);
    let norm = if max > 0.0 { max } else { 1.0 };
    let mut chosen: Vec<usize> = Vec::new();
    // Highest similarity of each candidate to anything chosen so far.
    let mut redundancy = vec![0.0f64; candidates.len()];
    let mut taken = vec![false; candidates.len()];
    while chosen.len() < k {
        let mut best: Option<(usize, f64)> = None;
        for (c, &i) in candidates.iter().enumerate() {
            // A near-copy of a chosen sentence is never a new point,
            // however central.
            if taken[c] || redundancy[c] >= MAX_OVERLAP {
                continue;
            }
            let value = lambda * scores[i] / norm - (1.0 - lambda) * redundancy[c];
            match best {
                Some((_, v)) if value <= v => {}
                _ => best = Some((c, value)),
            }
        }
        let Some((c, _)) = best else { break };
        taken[c] = true;
        let pick = candidates[c];
        chosen.push(pick);
        for (d, &i) in candidates.iter().enumerate() {
            if !taken[d] {
                redundancy[d] = redundancy[d].max(vectors.cosine(i, pick));
            }
        }
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_analyzers_so_accents_and_contractions_survive() {
        // rouge-score's ASCII rule made "café" "caf", matching "caf" in
        // another sentence; the analyzer keeps "café" whole, and drops
        // "don't" as a stop word rather than leaving a "don" and a "t".
        let v = Vectors::new(["café culture", "caf culture", "don't café", "other"]);
        assert!(v.cosine(0, 2) > 0.1, "café is shared");
        assert_eq!(v.cosine(1, 2), 0.0, "caf is not café");
        let only_stop = Vectors::new(["don't", "I'm gonna", "don't"]);
        assert!(only_stop.vecs.iter().all(Vec::is_empty));
    }

    #[test]
    fn central_sentence_wins_and_duplicates_are_skipped() {
        let texts = [
            "neural networks learn representations from data",
            "neural networks learn representations from data",
            "training neural networks needs data and compute",
            "representations learned by networks transfer across tasks",
            "my cat enjoys sunny windows",
        ];
        let v = Vectors::new(texts);
        let scores = lexrank(&v, 0.85);
        assert!((scores.iter().sum::<f64>() - 1.0).abs() < 1e-6);
        // The unrelated sentence is the least central.
        let min = (0..5).min_by(|&a, &b| scores[a].total_cmp(&scores[b]));
        assert_eq!(min, Some(4));
        // Two points from the four related sentences: never both copies.
        let picked = mmr(&v, &scores, &[0, 1, 2, 3, 4], 2, 0.7);
        assert_eq!(picked.len(), 2);
        assert!(!(picked.contains(&0) && picked.contains(&1)), "{picked:?}");
        // Deterministic.
        assert_eq!(
            picked,
            mmr(&v, &lexrank(&v, 0.85), &[0, 1, 2, 3, 4], 2, 0.7)
        );
    }

    #[test]
    fn cosine_of_identical_sentences_is_one() {
        let v = Vectors::new(["alpha beta gamma", "alpha beta gamma", "delta"]);
        assert!((v.cosine(0, 1) - 1.0).abs() < 1e-6);
        assert_eq!(v.cosine(0, 2), 0.0);
    }

    #[test]
    fn empty_input_ranks_nothing() {
        let v = Vectors::new(Vec::<&str>::new());
        assert!(lexrank(&v, 0.85).is_empty());
        assert!(mmr(&v, &[], &[], 3, 0.7).is_empty());
    }
}
