//! Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): a passage
//! scores the sum of 1 / (k + rank) over the rankings it appears in. It
//! needs no calibration between BM25 scores and cosines, which live on
//! unrelated scales.

use std::collections::HashMap;
use std::hash::Hash;

/// The constant of the original paper; it damps the weight of the very top ranks.
pub const K: f64 = 60.0;

/// Fuses rankings (each best first, ranks from 1) into one, best first, as
/// (item, fused score). Ties keep the order in which items were first seen.
pub fn rrf<T: Clone + Eq + Hash>(rankings: &[Vec<T>], k: f64) -> Vec<(T, f64)> {
    let weighted: Vec<(&[T], f64)> = rankings.iter().map(|r| (r.as_slice(), 1.0)).collect();
    weighted_rrf(&weighted, k)
}

/// [`rrf`] with a weight per ranking: an item scores the sum of
/// weight / (k + rank) (weighted RRF, as OpenSearch's and Elasticsearch's
/// hybrid retrievers offer it).
pub fn weighted_rrf<T: Clone + Eq + Hash>(rankings: &[(&[T], f64)], k: f64) -> Vec<(T, f64)> {
    let mut score: HashMap<T, (f64, usize)> = HashMap::new();
    let mut seen = 0;
    for &(ranking, weight) in rankings {
        for (r, item) in ranking.iter().enumerate() {
            let e = score.entry(item.clone()).or_insert_with(|| {
                seen += 1;
                (0.0, seen)
            });
            e.0 += weight / (k + (r + 1) as f64);
        }
    }
    let mut out: Vec<(T, f64, usize)> = score.into_iter().map(|(t, (s, o))| (t, s, o)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    out.into_iter().map(|(t, s, _)| (t, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_in_both_rankings_rise() {
        let bm25 = vec!["a", "b", "c"];
        let sem = vec!["c", "d", "a"];
        let fused = rrf(&[bm25, sem], K);
        let order: Vec<&str> = fused.iter().map(|f| f.0).collect();
        // a: 1/61 + 1/63; c: 1/63 + 1/61 (tie, a seen first); b: 1/62; d: 1/62.
        assert_eq!(order, ["a", "c", "b", "d"]);
        assert!((fused[0].1 - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-12);
        assert!((fused[2].1 - 1.0 / 62.0).abs() < 1e-12);
    }

    #[test]
    fn a_lighter_ranking_gives_way() {
        let bm25 = ["a", "b"];
        let sem = ["b", "a"];
        // Equal weights: a tie, a first. Keyword at half: b (semantic's first) wins.
        let even = weighted_rrf(&[(&bm25[..], 1.0), (&sem[..], 1.0)], K);
        assert_eq!(even[0].0, "a");
        let half = weighted_rrf(&[(&bm25[..], 0.5), (&sem[..], 1.0)], K);
        assert_eq!(half[0].0, "b");
        assert!((half[0].1 - (0.5 / 62.0 + 1.0 / 61.0)).abs() < 1e-12);
    }
}
