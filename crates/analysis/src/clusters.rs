//! Clusters, as AntConc's Clusters tool makes them: the n-grams (of a range
//! of sizes) that hold a search term at a given position, with how often each
//! occurs (frequency) and in how many documents (range).
//!
//! The term is matched by whatever the caller passes (the search crate's
//! `Pattern::find`, over a document's tokens in order): this module only
//! counts windows around the matches, so any pattern language works. Each
//! window (document, start, size) is counted once even when it holds the
//! term twice (`the the` with `--position any`).

use crate::corpus::Corpus;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::ops::Range;

/// Where the term sits in its clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    /// The cluster begins with the term (AntConc's "On Left").
    Left,
    /// The cluster ends with the term ("On Right").
    Right,
    /// Anywhere in the cluster.
    Any,
}

/// Options of [`clusters`].
#[derive(Debug, Clone, Copy)]
pub struct ClusterOptions {
    /// Smallest cluster, in tokens (at least the term's length).
    pub min: usize,
    /// Largest cluster, in tokens.
    pub max: usize,
    /// Where the term sits.
    pub position: Position,
    /// Leave out clusters seen fewer times.
    pub min_freq: u64,
    /// Keep this many, most frequent first.
    pub limit: usize,
}

/// One cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// Its tokens, joined by a space.
    pub cluster: String,
    /// Its length in tokens.
    pub size: usize,
    /// Its occurrences.
    pub freq: u64,
    /// The documents it occurs in.
    pub range: u64,
}

/// The clusters of a term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clusters {
    /// Matches of the term.
    pub hits: u64,
    /// Distinct clusters at or above the minimum frequency (before the limit).
    pub distinct: usize,
    /// The clusters kept: by frequency, then range, then text.
    pub clusters: Vec<Cluster>,
}

/// The window starts of size `n` around a match `m` in `len` tokens.
fn starts(m: &Range<usize>, n: usize, len: usize, p: Position) -> Range<usize> {
    if m.end - m.start > n || m.end > len {
        return 0..0;
    }
    // Every start s with s ≤ m.start and m.end ≤ s + n, within the text;
    // left and right pin s to one end.
    let lo = m.end.saturating_sub(n);
    let hi = m.start.min(len.saturating_sub(n));
    let (lo, hi) = match p {
        Position::Any => (lo, hi),
        Position::Left => (m.start, m.start.min(hi)),
        Position::Right if m.end >= n => (lo, lo.min(hi)),
        Position::Right => return 0..0,
    };
    if lo > hi || lo + n > len {
        0..0
    } else {
        lo..hi + 1
    }
}

/// The clusters around every match that `find` gives in the documents
/// `docs` (indices into `corpus.docs`; all when empty) of `corpus`.
pub fn clusters(
    corpus: &Corpus,
    docs: &[usize],
    find: impl Fn(&[&str]) -> Vec<Range<usize>>,
    o: ClusterOptions,
) -> Clusters {
    let all: Vec<usize> = if docs.is_empty() {
        (0..corpus.docs.len()).collect()
    } else {
        docs.to_vec()
    };
    // Per cluster (its token ids): frequency, range, the last document seen.
    let mut seen: FxHashMap<Vec<u32>, (u64, u64, usize)> = FxHashMap::default();
    let mut hits = 0u64;
    for &di in &all {
        let Some(d) = corpus.docs.get(di) else {
            continue;
        };
        let words: Vec<&str> = d.tokens.iter().map(|&t| corpus.vocab.word(t)).collect();
        let matches = find(&words);
        hits += matches.len() as u64;
        let mut windows: FxHashSet<(usize, usize)> = FxHashSet::default();
        for m in &matches {
            for n in o.min.max(1)..=o.max {
                for s in starts(m, n, words.len(), o.position) {
                    windows.insert((s, n));
                }
            }
        }
        for (s, n) in windows {
            let e = seen
                .entry(d.tokens[s..s + n].to_vec())
                .or_insert((0, 0, usize::MAX));
            e.0 += 1;
            if e.2 != di {
                e.1 += 1;
                e.2 = di;
            }
        }
    }
    let mut out: Vec<Cluster> = seen
        .into_iter()
        .filter(|(_, (f, _, _))| *f >= o.min_freq.max(1))
        .map(|(ids, (freq, range, _))| Cluster {
            cluster: ids
                .iter()
                .map(|&t| corpus.vocab.word(t))
                .collect::<Vec<_>>()
                .join(" "),
            size: ids.len(),
            freq,
            range,
        })
        .collect();
    out.sort_by(|a, b| {
        b.freq
            .cmp(&a.freq)
            .then(b.range.cmp(&a.range))
            .then_with(|| a.cluster.cmp(&b.cluster))
    });
    let distinct = out.len();
    out.truncate(o.limit);
    Clusters {
        hits,
        distinct,
        clusters: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Doc;

    fn word(w: &'static str) -> impl Fn(&[&str]) -> Vec<Range<usize>> {
        move |t: &[&str]| {
            (0..t.len())
                .filter(|&i| t[i] == w)
                .map(|i| i..i + 1)
                .collect()
        }
    }

    fn corpus(texts: &[&str]) -> Corpus {
        let mut c = Corpus::default();
        for t in texts {
            c.begin(Doc::default());
            c.segment(None, None, t, 0);
        }
        c
    }

    #[test]
    fn windows_sit_where_asked() {
        let m = 2..3;
        assert_eq!(starts(&m, 2, 5, Position::Left), 2..3);
        assert_eq!(starts(&m, 2, 5, Position::Right), 1..2);
        assert_eq!(starts(&m, 3, 5, Position::Any), 0..3);
        assert_eq!(starts(&m, 3, 4, Position::Any), 0..2);
        assert_eq!(starts(&m, 3, 4, Position::Left), 0..0);
        assert_eq!(starts(&(0..1), 2, 5, Position::Right), 0..0);
        assert_eq!(starts(&(0..2), 1, 5, Position::Any), 0..0);
    }

    #[test]
    fn counts_frequency_and_range() {
        let c = corpus(&["the cat sat on the mat", "the cat ran", "a dog"]);
        let opts = ClusterOptions {
            min: 2,
            max: 2,
            position: Position::Left,
            min_freq: 1,
            limit: 10,
        };
        let k = clusters(&c, &[], word("the"), opts);
        assert_eq!(k.hits, 3);
        assert_eq!(k.clusters[0].cluster, "the cat");
        assert_eq!((k.clusters[0].freq, k.clusters[0].range), (2, 2));
        assert_eq!(k.clusters[1].cluster, "the mat");
        let twice = corpus(&["the the end"]);
        let any = clusters(
            &twice,
            &[],
            word("the"),
            ClusterOptions {
                position: Position::Any,
                ..opts
            },
        );
        // "the the" holds two matches but is one window.
        let tt = any.clusters.iter().find(|c| c.cluster == "the the");
        assert_eq!(tt.map(|c| c.freq), Some(1));
    }
}
