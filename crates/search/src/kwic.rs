//! Concordance (keyword in context): every occurrence of a pattern — a word,
//! a phrase, `consci*`, `/regex/`, `lemma:run`, `"elon mars"~10` — with the
//! words to its left and right, the episode and the time (or, in comments,
//! the author).
//!
//! The index finds the passages (or comments) that can hold the pattern
//! (wildcards, regexes and lemmas expanded through the term dictionary);
//! only those are read back and scanned with [`Pattern::find`], so a word
//! with tens of thousands of occurrences costs the passages that hold it,
//! not the corpus, and the counts are exact.

use crate::comments::{CommentInfo, StoredComment, SOURCE};
use crate::compile::{filtered, to_query, Filter, Kind};
use crate::index::{SearchIndex, StoredPassage};
use crate::matcher::{find_pattern, find_seq_fast};
use crate::passages::CONTEXT_WORDS;
use crate::pattern::{Pattern, TokenTest};
use crate::query::{Field, Node};
use crate::tokens::{normalize, terms, token_ranges};
use crate::{Result, SearchError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use tantivy::collector::DocSetCollector;
use tantivy::TantivyDocument;

/// How concordance lines are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// By the words left of the keyword, nearest first.
    Left,
    /// By the words right of the keyword.
    Right,
    /// By episode and time.
    #[default]
    Episode,
}

/// What to look for and how.
#[derive(Debug, Clone, Default)]
pub struct KwicOptions {
    /// Words of context on each side (at most [`CONTEXT_WORDS`]).
    pub window: usize,
    /// Match case exactly.
    pub case: bool,
    /// Line order.
    pub sort: Sort,
    /// Which passages, or comments.
    pub filter: Filter,
}

/// One occurrence.
#[derive(Debug, Clone, Serialize)]
pub struct KwicLine {
    /// Collection name.
    pub collection: String,
    /// Episode number.
    pub number: i64,
    /// Transcript source; [`crate::comments::SOURCE`] in a comment.
    pub source: String,
    /// Start of the cue holding the keyword (none in a comment).
    pub start_ms: Option<u64>,
    /// `start_ms` as `HH:MM:SS`.
    pub timestamp: Option<String>,
    /// Words before the keyword.
    pub left: String,
    /// The keyword as spoken.
    pub keyword: String,
    /// Words after the keyword.
    pub right: String,
    /// YouTube link at `start_ms`, when the video id is known; in a
    /// comment, the link to the comment.
    pub url: Option<String>,
    /// In a passage of a transcript, or in a comment.
    pub kind: Kind,
    /// The comment's author, likes and id (flat in JSON); `None` in a passage.
    #[serde(flatten)]
    pub comment: Option<CommentInfo>,
}

/// Occurrences in one episode.
#[derive(Debug, Clone, Serialize)]
pub struct EpisodeCount {
    /// Collection name.
    pub collection: String,
    /// Episode number.
    pub number: i64,
    /// Occurrences.
    pub count: usize,
}

/// The whole concordance.
#[derive(Debug, Clone, Serialize)]
pub struct Concordance {
    /// The keyword's tokens as searched.
    pub keyword: Vec<String>,
    /// Occurrences in all.
    pub total: usize,
    /// Occurrences per episode, most first.
    pub per_episode: Vec<EpisodeCount>,
    /// Every occurrence, in the order asked for.
    pub lines: Vec<KwicLine>,
}

/// Text before `at` in `text` (preceded by `before`), the last `n` words.
fn left_context(before: &str, text: &str, at: usize, n: usize) -> String {
    let prefix = text.get(..at).unwrap_or("");
    // Tokenize only a stretch before the keyword when it holds enough words.
    let mut from = at.saturating_sub(n * 24);
    while !prefix.is_char_boundary(from) {
        from -= 1;
    }
    if from > 0 {
        let near = &prefix[from..];
        let toks: Vec<Range<usize>> = token_ranges(near).collect();
        // The first token may be cut; it must not be among the n kept.
        if toks.len() > n {
            return near[toks[toks.len() - n].start..].trim().to_string();
        }
    }
    let toks: Vec<Range<usize>> = token_ranges(prefix).collect();
    if toks.len() >= n {
        let from = toks.len() - n;
        return prefix[toks[from].start..].trim().to_string();
    }
    let need = n - toks.len();
    let btoks: Vec<Range<usize>> = token_ranges(before).collect();
    let mut out = match btoks.len().checked_sub(need) {
        Some(from) if !btoks.is_empty() => before[btoks[from].start..].trim().to_string(),
        _ => before.trim().to_string(),
    };
    let prefix = prefix.trim();
    if !out.is_empty() && !prefix.is_empty() {
        out.push(' ');
    }
    out.push_str(prefix);
    out
}

/// Text after `at` in `text`, the first `n` words (with the punctuation that follows the last).
fn right_context(text: &str, at: usize, n: usize) -> String {
    let suffix = text.get(at..).unwrap_or("");
    let end = match token_ranges(suffix).nth(n.saturating_sub(1)) {
        Some(r) if n > 0 => {
            // Keep punctuation glued to the last word ("life." / "life,").
            let rest = &suffix[r.end..];
            r.end + rest.find(char::is_whitespace).unwrap_or(rest.len())
        }
        _ if n == 0 => 0,
        _ => suffix.len(),
    };
    suffix[..end].trim().to_string()
}

/// The query node that finds the documents which can hold `p`.
fn pattern_node(p: &Pattern) -> Node {
    let field = Field::Text;
    if let Some(near) = &p.near {
        return Node::Near {
            field,
            a: p.seq.clone(),
            b: near.other.clone(),
            within: near.within,
        };
    }
    if p.is_words() {
        return Node::Terms {
            field,
            terms: p.seq.iter().map(|t| normalize(&t.to_string())).collect(),
        };
    }
    Node::Seq {
        field,
        tests: p.seq.clone(),
    }
}

/// The words of a pattern of plain words (as written when cased).
fn plain_words(p: &Pattern) -> Option<Vec<String>> {
    if !p.is_words() {
        return None;
    }
    p.seq
        .iter()
        .map(|t| match t {
            TokenTest::Word(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// Every occurrence of `keyword` (a pattern, see [`Pattern::parse`]) in the
/// filtered passages, or in the filtered comments when the filter's kind
/// says so.
pub fn kwic(idx: &SearchIndex, keyword: &str, opts: &KwicOptions) -> Result<Concordance> {
    let pat = Pattern::parse(keyword, opts.case)?;
    let words = plain_words(&pat);
    // Plain words take the substring path, which never tokenizes a
    // passage whole; anything else is matched token by token.
    let find = |text: &str| match &words {
        Some(seq) => find_seq_fast(text, seq, opts.case),
        None => find_pattern(text, &pat),
    };
    let seq = words.clone().unwrap_or_else(|| vec![pat.to_string()]);
    let window = opts.window.clamp(1, CONTEXT_WORDS);
    let f = &idx.fields;
    let node = pattern_node(&pat);
    let kind = opts.filter.kind;
    let q = filtered(to_query(&node, f, kind), &opts.filter, f)?;
    let searcher = idx.reader.searcher();
    let index_err = |cause| SearchError::Index {
        path: "(concordance)".into(),
        cause,
    };
    let mut docs: Vec<_> = searcher
        .search(&q, &DocSetCollector)
        .map_err(index_err)?
        .into_iter()
        .collect();
    // Document order reads the stored passages block by block.
    docs.sort();
    let mut lines = Vec::new();
    // Order of appearance, to sort by episode and time (comments: by
    // episode and the order they were fetched in).
    let mut order: Vec<Place> = Vec::new();
    for addr in docs {
        let doc: TantivyDocument = searcher.doc(addr).map_err(index_err)?;
        if kind == Kind::Comment {
            let c = StoredComment::from_doc(f, &doc);
            for m in find(&c.text) {
                order.push(Place {
                    collection: c.collection.clone(),
                    number: c.number,
                    at: c.position,
                    source: String::new(),
                    passage: 0,
                    offset: m.start,
                    line: lines.len(),
                });
                lines.push(KwicLine {
                    collection: c.collection.clone(),
                    number: c.number,
                    source: SOURCE.to_string(),
                    start_ms: None,
                    timestamp: None,
                    left: left_context("", &c.text, m.start, window),
                    keyword: c.text[m.clone()].to_string(),
                    right: right_context(&c.text, m.end, window),
                    url: c.url(),
                    kind,
                    comment: Some(c.info.clone()),
                });
            }
            continue;
        }
        let p = StoredPassage::from_doc(f, &doc);
        for m in find(&p.text) {
            if m.start >= p.own_len {
                continue;
            }
            let start_ms = p.time_at(m.start);
            order.push(Place {
                collection: p.collection.clone(),
                number: p.number,
                at: start_ms.unwrap_or(0),
                source: p.source.clone(),
                passage: p.position,
                offset: m.start,
                line: lines.len(),
            });
            lines.push(KwicLine {
                collection: p.collection.clone(),
                number: p.number,
                source: p.source.clone(),
                timestamp: start_ms.map(crate::hms),
                url: p.url(start_ms),
                start_ms,
                left: left_context(&p.before, &p.text, m.start, window),
                keyword: p.text[m.clone()].to_string(),
                right: right_context(&p.text, m.end, window),
                kind,
                comment: None,
            });
        }
    }
    let mut counts: BTreeMap<(String, i64), usize> = BTreeMap::new();
    for l in &lines {
        *counts.entry((l.collection.clone(), l.number)).or_default() += 1;
    }
    let mut per_episode: Vec<EpisodeCount> = counts
        .into_iter()
        .map(|((collection, number), count)| EpisodeCount {
            collection,
            number,
            count,
        })
        .collect();
    per_episode.sort_by_key(|e| std::cmp::Reverse(e.count));
    let lines = sort_lines(lines, order, opts.sort);
    Ok(Concordance {
        keyword: seq,
        total: lines.len(),
        per_episode,
        lines,
    })
}

/// Where a line was found, in the corpus's own order: episode, time (a
/// comment's place), source, passage, offset in it. The index's document
/// order, which depends on how the index was written, never decides.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    collection: String,
    number: i64,
    at: u64,
    source: String,
    passage: u64,
    offset: usize,
    /// The line's index in the unsorted list (unique: the last key).
    line: usize,
}

fn sort_lines(lines: Vec<KwicLine>, mut order: Vec<Place>, sort: Sort) -> Vec<KwicLine> {
    let mut slots: Vec<Option<KwicLine>> = lines.into_iter().map(Some).collect();
    match sort {
        Sort::Episode => order.sort(),
        Sort::Left | Sort::Right => {
            let key = |i: usize| -> String {
                let l = slots[i].as_ref().map_or("", |l| {
                    if sort == Sort::Left {
                        l.left.as_str()
                    } else {
                        l.right.as_str()
                    }
                });
                let mut words = terms(l);
                if sort == Sort::Left {
                    words.reverse();
                }
                words.join(" ")
            };
            let mut keyed: Vec<(String, Place)> =
                order.into_iter().map(|o| (key(o.line), o)).collect();
            keyed.sort();
            return keyed
                .into_iter()
                .filter_map(|(_, o)| slots[o.line].take())
                .collect();
        }
    }
    order
        .into_iter()
        .filter_map(|o| slots[o.line].take())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_cross_into_the_previous_passage() {
        let text = "so love is all";
        assert_eq!(left_context("one two three", text, 3, 3), "two three so");
        assert_eq!(left_context("", text, 3, 3), "so");
        assert_eq!(right_context(text, 7, 1), "is");
        assert_eq!(right_context("love is, all. you", 4, 1), "is,");
        assert_eq!(right_context(text, 7, 10), "is all");
        let long: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let long = long.join(" ") + " love";
        assert_eq!(left_context("", &long, long.len() - 4, 3), "w97 w98 w99");
        assert_eq!(
            left_context("", &long, long.len() - 4, 20)
                .split(' ')
                .count(),
            20
        );
    }

    #[test]
    fn keywords_with_or_without_quotes() {
        let words = |k: &str, case: bool| plain_words(&Pattern::parse(k, case).expect(k));
        assert_eq!(
            words("\"Meaning of Life\"", false),
            Some(vec!["meaning".into(), "of".into(), "life".into()])
        );
        assert_eq!(words("Love", true), Some(vec!["Love".into()]));
        assert_eq!(words("lov*", true), None);
        assert!(Pattern::parse("\"!\"", false).is_err());
        let near = Pattern::parse("\"Elon mars\"~4", false).expect("near");
        assert!(matches!(pattern_node(&near), Node::Near { within: 4, .. }));
    }
}
