//! Levenshtein alignment of two symbol sequences that chooses, among the optimal
//! alignments, the very one rapidfuzz's `Levenshtein.editops` chooses, so that
//! substitution, deletion and insertion counts equal jiwer's (which counts
//! rapidfuzz's opcodes) to the unit.
//!
//! Why the path matters: optimal alignments of equal cost can split it
//! differently. Reference `a b` against hypothesis `b c` costs 2 either as two
//! substitutions or as a deletion, a hit and an insertion; the word error rate is
//! the same, the S/D/I/H counts are not. So this module
//! reproduces rapidfuzz 3.x's (rapidfuzz-cpp `levenshtein_editops`) procedure:
//!
//! 1. strip the common prefix and suffix (they are hits);
//! 2. if the problem is small (`2·band·|s2|/8 < 1 MiB`, or `|s1| < 65`, or
//!    `|s2| < 10`, with `band = min(|s1|, 2·max+1)`), walk back from the end of the
//!    full cost matrix preferring a deletion, then an insertion that is strictly
//!    better than the diagonal, then the diagonal;
//! 3. otherwise split Hirschberg-style at the middle of `s2`, at the smallest
//!    position of `s1` minimizing the sum of the two halves' costs, and recurse
//!    with each half's cost as its `max`.
//!
//! The costs come from Hyyrö's bit-parallel algorithm (64 cells per machine
//! word) restricted to Ukkonen's band around the diagonal, which holds every
//! optimal path: cells outside it are upper bounds that never win a comparison,
//! so the choices are those of the full matrix. That makes a 20 000-word pair at
//! 5 % error a few milliseconds instead of 4·10⁸ cell updates.

/// What one edit does to turn `s1` (the reference) into `s2` (the hypothesis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// `s1[src]` is replaced by `s2[dest]`.
    Replace,
    /// `s1[src]` is missing from `s2`.
    Delete,
    /// `s2[dest]` is not in `s1`.
    Insert,
}

/// One edit with its positions, as rapidfuzz reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditOp {
    /// The kind of edit.
    pub kind: EditKind,
    /// Position in `s1`.
    pub src: usize,
    /// Position in `s2`.
    pub dest: usize,
}

const INF: u32 = u32::MAX / 4;

/// Where each symbol occurs in `s1`, sorted: builds the match bit vectors of a
/// row of the bit-parallel matrix without a table per 64-symbol block, for
/// large alphabets (words).
struct Occurrences {
    start: Vec<u32>,
    pos: Vec<u32>,
}

impl Occurrences {
    fn new(s1: &[u32], alphabet: usize) -> Occurrences {
        let mut start = vec![0u32; alphabet + 1];
        for &c in s1 {
            start[c as usize + 1] += 1;
        }
        for k in 1..start.len() {
            start[k] += start[k - 1];
        }
        let mut fill = start.clone();
        let mut pos = vec![0u32; s1.len()];
        for (i, &c) in s1.iter().enumerate() {
            pos[fill[c as usize] as usize] = i as u32;
            fill[c as usize] += 1;
        }
        Occurrences { start, pos }
    }

    fn of(&self, c: u32) -> &[u32] {
        let c = c as usize;
        if c + 1 >= self.start.len() {
            return &[];
        }
        &self.pos[self.start[c] as usize..self.start[c + 1] as usize]
    }
}

/// Match bit vectors of `s1` per symbol over the whole sequence, forwards and
/// backwards, for small alphabets (characters): a row's vectors are then a
/// shifted read instead of a walk over occurrences.
struct Dense {
    words: usize,
    fwd: Vec<u64>,
    rev: Vec<u64>,
}

impl Dense {
    fn new(s1: &[u32], alphabet: usize) -> Dense {
        // One spare word per symbol so that a shifted read never runs off the end.
        let words = s1.len() / 64 + 2;
        let mut fwd = vec![0u64; alphabet * words];
        let mut rev = vec![0u64; alphabet * words];
        let n = s1.len();
        for (i, &c) in s1.iter().enumerate() {
            if c == u32::MAX {
                continue; // a rare word: found through its occurrences
            }
            let c = c as usize;
            fwd[c * words + i / 64] |= 1 << (i % 64);
            let r = n - 1 - i;
            rev[c * words + r / 64] |= 1 << (r % 64);
        }
        Dense { words, fwd, rev }
    }

    /// 64 bits of symbol `c`'s vector starting at bit `at`.
    fn read(&self, table: &[u64], c: usize, at: usize) -> u64 {
        let base = c * self.words;
        let (w, sh) = (at / 64, at % 64);
        let lo = table[base + w] >> sh;
        if sh == 0 {
            lo
        } else {
            lo | table[base + w + 1] << (64 - sh)
        }
    }
}

/// Match vectors per symbol: frequent symbols (every character; words seen
/// at least [`DENSE_MIN`] times) as dense bit vectors, read by shifting; rare
/// words through their few occurrences.
struct Matcher {
    /// Row of each symbol in `dense`, or `u32::MAX`.
    dense_id: Vec<u32>,
    dense: Dense,
    occ: Occurrences,
}

/// How often a word must occur to get a dense vector.
const DENSE_MIN: usize = 32;

impl Matcher {
    fn new(s1: &[u32]) -> Matcher {
        let alphabet = s1.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
        let occ = Occurrences::new(s1, alphabet);
        let small = alphabet.saturating_mul(s1.len() / 64 + 2) <= 1 << 21;
        let mut dense_id = vec![u32::MAX; alphabet];
        let mut rows = 0u32;
        for (c, id) in dense_id.iter_mut().enumerate() {
            if small || occ.of(c as u32).len() >= DENSE_MIN {
                *id = rows;
                rows += 1;
            }
        }
        let mapped: Vec<u32> = s1.iter().map(|&c| dense_id[c as usize]).collect();
        Matcher {
            dense: Dense::new(&mapped, rows as usize),
            dense_id,
            occ,
        }
    }
}

/// A slice `[a, b)` of a sequence, read forwards or backwards.
#[derive(Debug, Clone, Copy)]
struct View {
    a: usize,
    b: usize,
    rev: bool,
}

impl View {
    fn len(&self) -> usize {
        self.b - self.a
    }
    fn at(&self, s: &[u32], k: usize) -> u32 {
        if self.rev {
            s[self.b - 1 - k]
        } else {
            s[self.a + k]
        }
    }
}

/// Ukkonen's band: the cells `(i, j)` with `kmin ≤ i − j ≤ kmax` are the only
/// ones a path of cost `≤ max` can pass through.
#[derive(Debug, Clone, Copy)]
struct Band {
    kmin: isize,
    kmax: isize,
    n: usize,
}

impl Band {
    fn new(n: usize, m: usize, max: usize) -> Band {
        let d = n as isize - m as isize;
        let max = (max as isize).max(d.abs());
        Band {
            kmin: -((max - d) / 2),
            kmax: (d + max) / 2,
            n,
        }
    }

    /// The first and last 64-bit block holding the band's cells on row `j ≥ 1`
    /// (bit `p` holds the difference between cells `p + 1` and `p`).
    fn blocks(&self, j: usize) -> (usize, usize) {
        let j = j as isize;
        let lo = (j + self.kmin).clamp(0, self.n as isize) as usize;
        let hi = (j + self.kmax).clamp(1, self.n as isize) as usize;
        ((lo.max(1) - 1) / 64, (hi - 1) / 64)
    }
}

/// The bit vectors of the rows computed so far, when the traceback needs them.
#[derive(Default)]
struct Recorded {
    /// Per row (index = row, row 0 unused): first block, offset into `words`.
    rows: Vec<(usize, usize, usize)>,
    vp: Vec<u64>,
    vn: Vec<u64>,
}

impl Recorded {
    fn bit(words: &[u64], row: (usize, usize, usize), p: usize) -> bool {
        let (lo, off, count) = row;
        let b = p / 64;
        if b < lo || b >= lo + count {
            return false;
        }
        words[off + b - lo] >> (p % 64) & 1 == 1
    }
    fn vp(&self, row: usize, p: usize) -> bool {
        Self::bit(&self.vp, self.rows[row], p)
    }
    fn vn(&self, row: usize, p: usize) -> bool {
        Self::bit(&self.vn, self.rows[row], p)
    }
}

/// The state of the bit-parallel computation after its last row.
struct Rows {
    lo: usize,
    hi: usize,
    top: u32,
    vp: Vec<u64>,
    vn: Vec<u64>,
    score: Vec<u32>,
}

impl Rows {
    /// The cost of the whole column sequence against the rows done.
    fn last_score(&self) -> usize {
        self.score.last().map_or(0, |&v| v as usize)
    }

    /// The costs of every prefix of the column sequence against the rows done,
    /// `INF` outside the band.
    fn values(&self, n: usize) -> Vec<u32> {
        let mut out = vec![INF; n + 1];
        let first = 64 * self.lo;
        out[first] = self.top;
        let last = (64 * (self.hi + 1)).min(n);
        let mut v = self.top;
        for (p, slot) in out[first + 1..=last].iter_mut().enumerate() {
            let p = first + p; // bit p holds cell p + 1 minus cell p
            let (vp, vn) = (
                self.vp[p / 64] >> (p % 64) & 1,
                self.vn[p / 64] >> (p % 64) & 1,
            );
            v = v + vp as u32 - vn as u32;
            *slot = v;
        }
        out
    }
}

struct Aligner<'a> {
    s1: &'a [u32],
    s2: &'a [u32],
    matcher: Matcher,
    n1: usize,
    pm: Vec<u64>,
}

impl<'a> Aligner<'a> {
    /// Runs the banded bit-parallel recurrence of columns `v1` (over `s1`)
    /// against `stop` rows of `v2` (over `s2`), with the band of a problem of
    /// cost at most `max`.
    fn run(
        &mut self,
        v1: View,
        v2: View,
        max: usize,
        stop: usize,
        mut rec: Option<&mut Recorded>,
    ) -> Rows {
        let n = v1.len();
        let band = Band::new(n, v2.len(), max);
        let words = n.div_ceil(64);
        let nbits = |b: usize| (n - 64 * b).min(64);
        let mut vp = vec![!0u64; words];
        let mut vn = vec![0u64; words];
        let mut score: Vec<u32> = (0..words).map(|b| (64 * b + nbits(b)) as u32).collect();
        let (mut lo, mut hi, mut top) = (0usize, 0usize, 0u32);
        let tail_shift = (n + 63) % 64; // the last cell's bit in the last block
        if let Some(r) = rec.as_deref_mut() {
            r.rows.push((0, 0, 0));
        }
        for j in 1..=stop {
            let (new_lo, new_hi) = band.blocks(j);
            // Blocks entering the band start as a chain of deletions below the
            // last cell of the block above: an upper bound, as the band requires.
            for b in hi + 1..=new_hi {
                vp[b] = !0;
                vn[b] = 0;
                score[b] = score[b - 1] + nbits(b) as u32;
            }
            top = if new_lo == 0 {
                j as u32
            } else if new_lo > lo {
                score[new_lo - 1] + 1
            } else {
                top + 1
            };
            lo = new_lo;
            hi = hi.max(new_hi);
            self.match_bits(v1, v2.at(self.s2, j - 1), lo, hi);
            let (mut hp_c, mut hn_c) = (1u64, 0u64);
            // Zipped slices: no bounds checks in the loop that does all the work.
            let blocks = vp[lo..=hi]
                .iter_mut()
                .zip(vn[lo..=hi].iter_mut())
                .zip(score[lo..=hi].iter_mut())
                .zip(self.pm.iter());
            for (k, (((v_p, v_n), sc), &pm)) in blocks.enumerate() {
                let x = pm | hn_c;
                let d0 = (((x & *v_p).wrapping_add(*v_p)) ^ *v_p) | x | *v_n;
                let mut h_p = *v_n | !(d0 | *v_p);
                let mut h_n = d0 & *v_p;
                let shift = if lo + k == words - 1 { tail_shift } else { 63 };
                let (hp_out, hn_out) = ((h_p >> shift) & 1, (h_n >> shift) & 1);
                h_p = (h_p << 1) | hp_c;
                h_n = (h_n << 1) | hn_c;
                *v_p = h_n | !(d0 | h_p);
                *v_n = h_p & d0;
                *sc = *sc + hp_out as u32 - hn_out as u32;
                hp_c = hp_out;
                hn_c = hn_out;
            }
            if let Some(r) = rec.as_deref_mut() {
                r.rows.push((lo, r.vp.len(), hi - lo + 1));
                r.vp.extend_from_slice(&vp[lo..=hi]);
                r.vn.extend_from_slice(&vn[lo..=hi]);
            }
        }
        if stop == 0 {
            hi = words.saturating_sub(1);
        }
        Rows {
            lo,
            hi,
            top,
            vp,
            vn,
            score,
        }
    }

    /// Fills `pm` with the positions of `c` in blocks `lo..=hi` of `v1`.
    fn match_bits(&mut self, v1: View, c: u32, lo: usize, hi: usize) {
        self.pm.clear();
        self.pm.resize(hi - lo + 1, 0);
        let p0 = 64 * lo;
        let p1 = (64 * (hi + 1)).min(v1.len());
        let m = &self.matcher;
        let dense_row = m.dense_id.get(c as usize).copied().unwrap_or(u32::MAX);
        if dense_row != u32::MAX {
            let d = &m.dense;
            // Bit p of the view is bit `at + p` of the forward or reversed table.
            let (table, at) = if v1.rev {
                (&d.rev, self.n1 - v1.b)
            } else {
                (&d.fwd, v1.a)
            };
            for (k, w) in self.pm.iter_mut().enumerate() {
                *w = d.read(table, dense_row as usize, at + p0 + 64 * k);
            }
            // Bits past the view's end belong to other symbols' positions.
            let tail = p1 - 64 * hi;
            if tail < 64 {
                if let Some(last) = self.pm.last_mut() {
                    *last &= (1u64 << tail) - 1;
                }
            }
            return;
        }
        // Absolute positions of bits p0..p1 in s1.
        let (q0, q1) = if v1.rev {
            (v1.b - p1, v1.b - p0)
        } else {
            (v1.a + p0, v1.a + p1)
        };
        let occ = m.occ.of(c);
        let from = occ.partition_point(|&q| (q as usize) < q0);
        for &q in &occ[from..] {
            let q = q as usize;
            if q >= q1 {
                break;
            }
            let p = if v1.rev { v1.b - 1 - q } else { q - v1.a };
            self.pm[p / 64 - lo] |= 1 << (p % 64);
        }
    }

    /// The exact distance of `s1[a1..b1]` and `s2[a2..b2]`, trying a band
    /// of `hint` first and widening it until the cost found fits in it (a cost
    /// that fits is exact: the band then holds every optimal path).
    fn distance(&mut self, a1: usize, b1: usize, a2: usize, b2: usize, hint: usize) -> usize {
        let (n, m) = (b1 - a1, b2 - a2);
        if n == 0 || m == 0 {
            return n + m;
        }
        let cap = n.max(m);
        let mut k = hint.max(n.abs_diff(m)).min(cap);
        loop {
            let v1 = View {
                a: a1,
                b: b1,
                rev: false,
            };
            let v2 = View {
                a: a2,
                b: b2,
                rev: false,
            };
            let d = self.run(v1, v2, k, m, None).last_score();
            if d <= k || k >= cap {
                return d;
            }
            k = (k * 2).min(cap);
        }
    }

    /// Appends the edit operations of `s1[a1..b1]` → `s2[a2..b2]` to `ops`.
    /// `max` is rapidfuzz's bound (it decides between a direct walk and a
    /// split); `band`, when known, is the exact cost, else it is found by widening.
    #[allow(clippy::too_many_arguments)]
    fn align(
        &mut self,
        mut a1: usize,
        mut b1: usize,
        mut a2: usize,
        mut b2: usize,
        max: usize,
        band: Option<usize>,
        ops: &mut Vec<EditOp>,
    ) {
        while a1 < b1 && a2 < b2 && self.s1[a1] == self.s2[a2] {
            a1 += 1;
            a2 += 1;
        }
        while a1 < b1 && a2 < b2 && self.s1[b1 - 1] == self.s2[b2 - 1] {
            b1 -= 1;
            b2 -= 1;
        }
        let (n, m) = (b1 - a1, b2 - a2);
        let cap = n.max(m);
        let max = max.min(cap);
        let full_band = n.min(2 * max + 1);
        let matrix_size = 2 * full_band * m / 8;
        if matrix_size < 1024 * 1024 || n < 65 || m < 10 {
            self.leaf(a1, b1, a2, b2, band, ops);
            return;
        }
        let left_size = m / 2;
        let right_size = m - left_size;
        let fwd1 = View {
            a: a1,
            b: b1,
            rev: false,
        };
        let fwd2 = View {
            a: a2,
            b: b2,
            rev: false,
        };
        let rev1 = View { rev: true, ..fwd1 };
        let rev2 = View { rev: true, ..fwd2 };
        let mut k = band
            .unwrap_or_else(|| guess(n, m))
            .max(n.abs_diff(m))
            .min(cap);
        let (mid, ls, rs) = loop {
            let left = self.run(fwd1, fwd2, k, left_size, None).values(n);
            let right = self.run(rev1, rev2, k, right_size, None).values(n);
            let mut best = (u32::MAX, 0usize);
            for mid in 0..=n {
                let sum = left[mid].saturating_add(right[n - mid]);
                if sum < best.0 {
                    best = (sum, mid);
                }
            }
            // A minimum within the band is the exact cost, found at the same
            // (smallest) split as in the full matrix.
            if best.0 as usize <= k || k >= cap {
                let mid = best.1;
                break (mid, left[mid] as usize, right[n - mid] as usize);
            }
            k = (k * 2).min(cap);
        };
        self.align(a1, a1 + mid, a2, a2 + left_size, ls, Some(ls), ops);
        self.align(a1 + mid, b1, a2 + left_size, b2, rs, Some(rs), ops);
    }

    /// Walks back through the recorded matrix the way rapidfuzz's
    /// `recover_alignment` does.
    fn leaf(
        &mut self,
        a1: usize,
        b1: usize,
        a2: usize,
        b2: usize,
        band: Option<usize>,
        ops: &mut Vec<EditOp>,
    ) {
        let (n, m) = (b1 - a1, b2 - a2);
        let mut rec = Recorded::default();
        if n > 0 && m > 0 {
            let cap = n.max(m);
            let mut k = band
                .unwrap_or_else(|| guess(n, m))
                .max(n.abs_diff(m))
                .min(cap);
            let v1 = View {
                a: a1,
                b: b1,
                rev: false,
            };
            let v2 = View {
                a: a2,
                b: b2,
                rev: false,
            };
            loop {
                rec = Recorded::default();
                let d = self.run(v1, v2, k, m, Some(&mut rec)).last_score();
                if d <= k || k >= cap {
                    break;
                }
                k = (k * 2).min(cap);
            }
        }
        let start = ops.len();
        let (mut col, mut row) = (n, m);
        let op = |kind, col: usize, row: usize| EditOp {
            kind,
            src: a1 + col,
            dest: a2 + row,
        };
        while row > 0 && col > 0 {
            if rec.vp(row, col - 1) {
                col -= 1;
                ops.push(op(EditKind::Delete, col, row));
            } else {
                row -= 1;
                if row > 0 && rec.vn(row, col - 1) {
                    ops.push(op(EditKind::Insert, col, row));
                } else {
                    col -= 1;
                    if self.s1[a1 + col] != self.s2[a2 + row] {
                        ops.push(op(EditKind::Replace, col, row));
                    }
                }
            }
        }
        while col > 0 {
            col -= 1;
            ops.push(op(EditKind::Delete, col, row));
        }
        while row > 0 {
            row -= 1;
            ops.push(op(EditKind::Insert, col, row));
        }
        ops[start..].reverse();
    }
}

/// A first band for a problem of unknown cost: a tenth of the mean length,
/// above the error rates of transcripts of the same speech; a wrong guess
/// only costs a wider second try.
fn guess(n: usize, m: usize) -> usize {
    n.abs_diff(m) + (n + m) / 20 + 64
}

impl<'a> Aligner<'a> {
    fn new(s1: &'a [u32], s2: &'a [u32]) -> Aligner<'a> {
        Aligner {
            s1,
            s2,
            matcher: Matcher::new(s1),
            n1: s1.len(),
            pm: Vec::new(),
        }
    }
}

/// The edit operations turning `s1` into `s2`, exactly as rapidfuzz's
/// `Levenshtein.editops(s1, s2)` returns them. Symbols are small integers
/// (interned words or characters).
pub fn editops(s1: &[u32], s2: &[u32]) -> Vec<EditOp> {
    let mut ops = Vec::new();
    let (n, m) = (s1.len(), s2.len());
    Aligner::new(s1, s2).align(0, n, 0, m, n.max(m), None, &mut ops);
    ops
}

/// The Levenshtein distance of `s1` and `s2` (unit costs). `hint`, an upper
/// bound or a good guess of it, saves widening the band step by step.
pub fn distance(s1: &[u32], s2: &[u32], hint: Option<usize>) -> usize {
    let (mut a, mut b1, mut b2) = (0, s1.len(), s2.len());
    while a < b1 && a < b2 && s1[a] == s2[a] {
        a += 1;
    }
    while b1 > a && b2 > a && s1[b1 - 1] == s2[b2 - 1] {
        b1 -= 1;
        b2 -= 1;
    }
    let hint = hint.unwrap_or_else(|| guess(b1 - a, b2 - a));
    Aligner::new(s1, s2).distance(a, b1, a, b2, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain O(n·m) dynamic programme, the definition.
    fn naive(s1: &[u32], s2: &[u32]) -> usize {
        let mut prev: Vec<usize> = (0..=s1.len()).collect();
        for (j, &c) in s2.iter().enumerate() {
            let mut cur = vec![j + 1; s1.len() + 1];
            for i in 1..=s1.len() {
                cur[i] = (prev[i - 1] + usize::from(s1[i - 1] != c))
                    .min(prev[i] + 1)
                    .min(cur[i - 1] + 1);
            }
            prev = cur;
        }
        prev[s1.len()]
    }

    fn lcg(seed: &mut u64) -> u32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as u32
    }

    #[test]
    fn distance_and_ops_are_optimal_on_random_inputs() {
        let mut seed = 7;
        for round in 0..300 {
            let n = (lcg(&mut seed) % 300) as usize;
            let alphabet = 2 + lcg(&mut seed) % 20;
            let s1: Vec<u32> = (0..n).map(|_| lcg(&mut seed) % alphabet).collect();
            // s2: s1 with random edits, so that the distance is small or large.
            let mut s2 = Vec::new();
            let rate = 1 + lcg(&mut seed) % 60;
            for &c in &s1 {
                match lcg(&mut seed) % 100 {
                    r if r < rate / 3 => {}
                    r if r < 2 * rate / 3 => s2.push(lcg(&mut seed) % alphabet),
                    r if r < rate => {
                        s2.push(c);
                        s2.push(lcg(&mut seed) % alphabet);
                    }
                    _ => s2.push(c),
                }
            }
            let want = naive(&s1, &s2);
            assert_eq!(distance(&s1, &s2, None), want, "round {round}");
            let ops = editops(&s1, &s2);
            assert_eq!(ops.len(), want, "round {round}");
        }
    }

    #[test]
    fn small_cases_match_rapidfuzz() {
        // rapidfuzz 3.14.6: Levenshtein.editops([1,2,3,4], [1,3,4,5]) →
        // [('delete', 1, 1), ('insert', 4, 3)]; editops([1,2], [3,4,5]) →
        // [('insert', 0, 0), ('replace', 0, 1), ('replace', 1, 2)].
        let ops = editops(&[1, 2, 3, 4], &[1, 3, 4, 5]);
        assert_eq!(
            ops,
            vec![
                EditOp {
                    kind: EditKind::Delete,
                    src: 1,
                    dest: 1
                },
                EditOp {
                    kind: EditKind::Insert,
                    src: 4,
                    dest: 3
                },
            ]
        );
        let ops = editops(&[1, 2], &[3, 4, 5]);
        let kinds: Vec<_> = ops.iter().map(|o| (o.kind, o.src, o.dest)).collect();
        assert_eq!(
            kinds,
            vec![
                (EditKind::Insert, 0, 0),
                (EditKind::Replace, 0, 1),
                (EditKind::Replace, 1, 2)
            ]
        );
        assert!(editops(&[], &[]).is_empty());
        assert_eq!(editops(&[1, 2], &[]).len(), 2);
    }
}
