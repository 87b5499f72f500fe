//! Word and character error rates between a reference and a hypothesis
//! transcript of the same speech, with jiwer's normalization
//! ([`crate::normalize`]) and rapidfuzz's choice of alignment
//! ([`crate::levenshtein`]), so that S, D, I and H equal jiwer 4's.
//!
//! Over several pairs the rates are jiwer's corpus rates: errors summed over all
//! pairs divided by the summed reference length, not a mean of per-pair rates.

use crate::levenshtein::{distance, editops, EditKind};
// jiwer's own rules, not the analyzer: the rates must equal jiwer's.
use crate::normalize::{jiwer_normalize as normalize, jiwer_words as words};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Substitutions, deletions, insertions and hits of one or more aligned pairs,
/// with the character edit distance behind the character error rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Reference words replaced by another word.
    pub substitutions: u64,
    /// Reference words missing from the hypothesis.
    pub deletions: u64,
    /// Hypothesis words not in the reference.
    pub insertions: u64,
    /// Words that match.
    pub hits: u64,
    /// Character edits (Levenshtein distance over normalized characters, spaces included).
    pub char_edits: u64,
    /// Characters of the normalized reference.
    pub ref_chars: u64,
    /// Characters of the normalized hypothesis.
    pub hyp_chars: u64,
}

impl Counts {
    /// Words in the reference (`H + S + D`).
    pub fn ref_words(&self) -> u64 {
        self.hits + self.substitutions + self.deletions
    }

    /// Word error rate `(S + D + I) / (H + S + D)`; with an empty reference,
    /// jiwer's convention: the number of insertions.
    pub fn wer(&self) -> f64 {
        let errors = (self.substitutions + self.deletions + self.insertions) as f64;
        match self.ref_words() {
            0 => self.insertions as f64,
            n => errors / n as f64,
        }
    }

    /// Character error rate: character edits over reference characters (with an
    /// empty reference, the hypothesis length, as jiwer).
    pub fn cer(&self) -> f64 {
        match self.ref_chars {
            0 => self.hyp_chars as f64,
            n => self.char_edits as f64 / n as f64,
        }
    }

    /// Adds another pair's counts (jiwer's corpus rates sum the counts).
    pub fn add(&mut self, o: &Counts) {
        self.substitutions += o.substitutions;
        self.deletions += o.deletions;
        self.insertions += o.insertions;
        self.hits += o.hits;
        self.char_edits += o.char_edits;
        self.ref_chars += o.ref_chars;
        self.hyp_chars += o.hyp_chars;
    }
}

/// The result as `compare --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Word error rate.
    pub wer: f64,
    /// Character error rate, when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cer: Option<f64>,
    /// Substituted words.
    pub substitutions: u64,
    /// Deleted words.
    pub deletions: u64,
    /// Inserted words.
    pub insertions: u64,
    /// Matching words.
    pub hits: u64,
    /// Words of the normalized reference.
    pub ref_words: u64,
    /// Character edits, when the CER was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub char_edits: Option<u64>,
    /// Characters of the normalized reference, when the CER was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_chars: Option<u64>,
    /// The counts behind the numbers.
    #[serde(skip)]
    pub counts: Counts,
}

impl Report {
    /// The rates of `counts`; `chars` says whether the character counts were computed.
    pub fn new(counts: Counts, chars: bool) -> Report {
        Report {
            wer: counts.wer(),
            cer: chars.then(|| counts.cer()),
            substitutions: counts.substitutions,
            deletions: counts.deletions,
            insertions: counts.insertions,
            hits: counts.hits,
            ref_words: counts.ref_words(),
            char_edits: chars.then_some(counts.char_edits),
            ref_chars: chars.then_some(counts.ref_chars),
            counts,
        }
    }
}

/// One step of the word alignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Step {
    /// The same word in both.
    Hit {
        /// The word.
        word: String,
    },
    /// A reference word replaced by a hypothesis word.
    Substitution {
        /// Reference word.
        reference: String,
        /// Hypothesis word.
        hypothesis: String,
    },
    /// A reference word the hypothesis lacks.
    Deletion {
        /// Reference word.
        reference: String,
    },
    /// A hypothesis word the reference lacks.
    Insertion {
        /// Hypothesis word.
        hypothesis: String,
    },
}

/// What to compute beside the word counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also the character error rate (a second, longer alignment).
    pub chars: bool,
    /// Also the word-by-word alignment.
    pub align: bool,
}

/// Compares two texts (each a transcript's cue texts joined by one space).
pub fn compare(reference: &str, hypothesis: &str, opts: Options) -> (Counts, Option<Vec<Step>>) {
    let (r, h) = (normalize(reference), normalize(hypothesis));
    let rw: Vec<&str> = words(&r).collect();
    let hw: Vec<&str> = words(&h).collect();
    let mut table: FxHashMap<&str, u32> = FxHashMap::default();
    let ri = intern(&mut table, &rw);
    let hi = intern(&mut table, &hw);
    let ops = editops(&ri, &hi);
    let mut c = Counts::default();
    for o in &ops {
        match o.kind {
            EditKind::Replace => c.substitutions += 1,
            EditKind::Delete => c.deletions += 1,
            EditKind::Insert => c.insertions += 1,
        }
    }
    c.hits = ri.len() as u64 - c.substitutions - c.deletions;
    if opts.chars {
        let (rc, hc) = char_ids(&r, &h);
        let hint = char_bound(&rw, &hw, &ops);
        c.char_edits = distance(&rc, &hc, Some(hint)) as u64;
        c.ref_chars = rc.len() as u64;
        c.hyp_chars = hc.len() as u64;
    }
    let steps = opts.align.then(|| {
        let mut steps = Vec::with_capacity(rw.len() + c.insertions as usize);
        let (mut i, mut j) = (0, 0);
        for o in &ops {
            while i < o.src && j < o.dest {
                steps.push(Step::Hit {
                    word: rw[i].to_string(),
                });
                i += 1;
                j += 1;
            }
            match o.kind {
                EditKind::Replace => {
                    steps.push(Step::Substitution {
                        reference: rw[i].to_string(),
                        hypothesis: hw[j].to_string(),
                    });
                    i += 1;
                    j += 1;
                }
                EditKind::Delete => {
                    steps.push(Step::Deletion {
                        reference: rw[i].to_string(),
                    });
                    i += 1;
                }
                EditKind::Insert => {
                    steps.push(Step::Insertion {
                        hypothesis: hw[j].to_string(),
                    });
                    j += 1;
                }
            }
        }
        while i < rw.len() {
            steps.push(Step::Hit {
                word: rw[i].to_string(),
            });
            i += 1;
        }
        steps
    });
    (c, steps)
}

/// An upper bound of the character distance read off the word alignment
/// (each substituted pair at its own character distance, each deleted or
/// inserted word with its space): the band of the character alignment then
/// fits at the first try.
fn char_bound(rw: &[&str], hw: &[&str], ops: &[crate::levenshtein::EditOp]) -> usize {
    let mut bound = 2;
    for o in ops {
        bound += match o.kind {
            EditKind::Replace => word_distance(rw[o.src], hw[o.dest]),
            EditKind::Delete => rw[o.src].chars().count() + 1,
            EditKind::Insert => hw[o.dest].chars().count() + 1,
        };
    }
    bound
}

/// Character Levenshtein distance of two words (short: the plain recurrence).
fn word_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for j in 1..=b.len() {
            let next = (diag + usize::from(ca != b[j - 1]))
                .min(row[j] + 1)
                .min(row[j - 1] + 1);
            diag = row[j];
            row[j] = next;
        }
    }
    row[b.len()]
}

/// Word ids: the same word gets the same small integer in both texts.
fn intern<'t>(table: &mut FxHashMap<&'t str, u32>, ws: &[&'t str]) -> Vec<u32> {
    ws.iter()
        .map(|&w| {
            let next = table.len() as u32;
            *table.entry(w).or_insert(next)
        })
        .collect()
}

/// Compares many (reference, hypothesis) pairs in parallel; the alignment
/// option is ignored. Sum the counts with [`Counts::add`] for the corpus rates.
pub fn compare_all(pairs: &[(String, String)], opts: Options) -> Vec<Counts> {
    let opts = Options {
        align: false,
        ..opts
    };
    pairs
        .par_iter()
        .map(|(r, h)| compare(r, h, opts).0)
        .collect()
}

/// The characters of both texts as small integers (ASCII as itself, other
/// characters numbered from 128 in order of appearance).
fn char_ids(r: &str, h: &str) -> (Vec<u32>, Vec<u32>) {
    let mut other: FxHashMap<char, u32> = FxHashMap::default();
    let mut conv = |s: &str| -> Vec<u32> {
        s.chars()
            .map(|ch| {
                if ch.is_ascii() {
                    ch as u32
                } else {
                    let next = 128 + other.len() as u32;
                    *other.entry(ch).or_insert(next)
                }
            })
            .collect()
    };
    let rc = conv(r);
    let hc = conv(h);
    (rc, hc)
}

/// A cue's text as a caption file wrote it, for comparing the way jiwer does
/// on the raw file: its non-speech tags (`[Music]`) put back in brackets in front
/// of the speech (where captions put a tag that stands alone in its cue).
pub fn cue_as_written(text: &str, events: &[String]) -> String {
    let mut out = String::new();
    for e in events {
        out.push('[');
        out.push_str(e);
        out.push_str("] ");
    }
    out.push_str(text);
    out
}
