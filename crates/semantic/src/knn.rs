//! Exact nearest neighbours by cosine: every stored vector is unit length,
//! so cosine is a dot product. A scan of ~70,000 passages × 384 floats is
//! a few milliseconds with the loop below (eight independent sums that the
//! compiler turns into SIMD), well inside the latency target, so no
//! approximate index (HNSW) is needed at this size.

use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Dot product of two equally long vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// A scored row, ordered so that the heap's top is the worst kept.
#[derive(Debug, Clone, Copy)]
struct Scored(f32, usize);

impl PartialEq for Scored {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Scored {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed on score (min-heap); ties keep the earlier row.
        o.0.total_cmp(&self.0).then(self.1.cmp(&o.1))
    }
}

fn top_of(rows: impl Iterator<Item = (usize, f32)>, k: usize) -> Vec<Scored> {
    let mut heap: BinaryHeap<Scored> = BinaryHeap::with_capacity(k + 1);
    for (i, s) in rows {
        let cand = Scored(s, i);
        if heap.len() < k {
            heap.push(cand);
        } else if heap.peek().is_some_and(|w| cand < *w) {
            heap.pop();
            heap.push(cand);
        }
    }
    heap.into_vec()
}

/// The `k` rows of `data` (`dim` floats each) with the highest dot product
/// with `query`, among the rows `keep` accepts; best first, as (row, score).
pub fn top_k(
    data: &[f32],
    dim: usize,
    query: &[f32],
    k: usize,
    keep: impl Fn(usize) -> bool + Sync,
) -> Vec<(usize, f32)> {
    if k == 0 || dim == 0 || query.len() != dim {
        return Vec::new();
    }
    const ROWS_PER_TASK: usize = 8192;
    let mut all: Vec<Scored> = data
        .par_chunks(dim * ROWS_PER_TASK)
        .enumerate()
        .flat_map_iter(|(c, chunk)| {
            let base = c * ROWS_PER_TASK;
            let rows = chunk
                .chunks_exact(dim)
                .enumerate()
                .map(|(i, row)| (base + i, row))
                .filter(|(i, _)| keep(*i))
                .map(|(i, row)| (i, dot(row, query)));
            top_of(rows, k)
        })
        .collect();
    all.sort();
    all.truncate(k);
    all.into_iter().map(|Scored(s, i)| (i, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_handles_lengths_off_the_lane_width() {
        let a: Vec<f32> = (0..13).map(|i| i as f32).collect();
        let b = vec![2.0; 13];
        assert_eq!(dot(&a, &b), 156.0);
    }

    #[test]
    fn top_k_ranks_and_filters() {
        // Rows at angles: row i is (cos(i/10), sin(i/10)); the query is row 3.
        let n = 20_000;
        let data: Vec<f32> = (0..n)
            .flat_map(|i| {
                let a = (i % 50) as f32 / 10.0;
                [a.cos(), a.sin()]
            })
            .collect();
        let q = [(0.3f32).cos(), (0.3f32).sin()];
        let top = top_k(&data, 2, &q, 3, |_| true);
        // Rows 3, 53, 103 are identical to the query: ties keep the earliest rows.
        assert_eq!(top.iter().map(|t| t.0).collect::<Vec<_>>(), [3, 53, 103]);
        assert!((top[0].1 - 1.0).abs() < 1e-6);
        let top = top_k(&data, 2, &q, 2, |i| i % 50 != 3);
        // Then the neighbours at 0.1 rad (rows 2, 4, 52, ...: cos 0.1 each).
        for (row, score) in &top {
            assert!(matches!(row % 50, 2 | 4), "row {row}");
            assert!((score - (0.1f32).cos()).abs() < 1e-6);
        }
        assert!(top_k(&data, 2, &q, 0, |_| true).is_empty());
        assert!(top_k(&data, 2, &[1.0], 3, |_| true).is_empty());
    }
}
