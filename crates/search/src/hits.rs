//! Ranked search: the best passages for a query (BM25), each with its
//! episode, the time of its first match, a snippet and a link to that second;
//! or, with [`Kind::Comment`], the best comments ([`crate::comments`]).

pub use crate::comments::CommentInfo;
use crate::compile::{filtered, to_query, KindStatistics};
pub use crate::compile::{Filter, Kind};
use crate::index::{SearchIndex, StoredPassage};
use crate::matcher::{highlight_ranges, matches, Fields as Texts};
use crate::query::{self, Node};
use crate::snippet::{self, Snippet};
use crate::{Result, SearchError};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::TantivyDocument;

/// Characters in a snippet.
pub(crate) const SNIPPET_CHARS: usize = 220;

/// One ranked passage or comment.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Collection name.
    pub collection: String,
    /// Episode number.
    pub number: i64,
    /// Episode title.
    pub title: Option<String>,
    /// The transcript source; [`crate::comments::SOURCE`] for a comment.
    pub source: String,
    /// Start of the cue where the first match is (else of the passage).
    pub start_ms: Option<u64>,
    /// `start_ms` as `HH:MM:SS`.
    pub timestamp: Option<String>,
    /// BM25 score.
    pub score: f32,
    /// Snippet text, plain.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched.
    pub highlights: Vec<[usize; 2]>,
    /// YouTube link at `start_ms`, when the video id is known; for a
    /// comment, the link to the comment ([`crate::comments::comment_url`]).
    pub url: Option<String>,
    /// A passage of a transcript, or a comment.
    pub kind: Kind,
    /// A comment's author, likes and id (in JSON, flat beside the other
    /// fields); `None` for a passage.
    #[serde(flatten)]
    pub comment: Option<CommentInfo>,
    /// The passage's place in its transcript (a comment's among its
    /// episode's), the last key of the order of equal scores; not shown.
    #[serde(skip)]
    pub passage: u64,
}

impl Hit {
    /// The snippet with matches wrapped in `open`/`close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        Snippet {
            text: self.snippet.clone(),
            highlights: self.highlights.iter().map(|h| h[0]..h[1]).collect(),
        }
        .marked(open, close)
    }
}

/// Whether a passage should answer for this query: its own text matches,
/// or its match needs the tail (a phrase crossing into the next passage)
/// rather than lying wholly inside it (then the next passage answers).
fn answers(node: &Node, p: &StoredPassage, guests: &str) -> bool {
    let title = p.title.as_deref().unwrap_or("");
    let own = Texts {
        text: p.text.get(..p.own_len).unwrap_or(&p.text),
        title,
        guests,
    };
    // The index may admit a little more than the query means (a
    // proximity's slop counts a swap as two moves): the text decides.
    if !matches(
        node,
        &Texts {
            text: &p.text,
            ..own
        },
    ) {
        return false;
    }
    if matches(node, &own) {
        return true;
    }
    let tail = Texts {
        text: p.text.get(p.own_len..).unwrap_or(""),
        ..own
    };
    !matches(node, &tail)
}

/// Parses and runs a query on the passages, or on the comments when the
/// filter's kind says so; at most `limit` hits, best first.
pub fn search(idx: &SearchIndex, query: &str, filter: &Filter, limit: usize) -> Result<Vec<Hit>> {
    let node = query::parse(query)?;
    let f = &idx.fields;
    let q = filtered(to_query(&node, f, filter.kind), filter, f)?;
    let searcher = idx.reader.searcher();
    let index_err = |cause| SearchError::Index {
        path: "(search)".into(),
        cause,
    };
    let stats = KindStatistics::new(&searcher, f, filter.kind).map_err(index_err)?;
    if filter.kind == Kind::Comment {
        return crate::comments::hits(&searcher, &stats, f, q.as_ref(), &node, limit);
    }
    // A few passages may give way to their neighbour (see `answers`): ask for more.
    let want = limit.saturating_mul(2).saturating_add(8);
    let top = searcher
        .search_with_statistics_provider(
            &q,
            &TopDocs::with_limit(want.max(1)).order_by_score(),
            &stats,
        )
        .map_err(index_err)?;
    let seqs = query::text_sequences(&node);
    let mut hits = Vec::with_capacity(limit);
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|cause| SearchError::Index {
            path: "(stored passage)".into(),
            cause,
        })?;
        let p = StoredPassage::from_doc(f, &doc);
        let guests = p.guests.join(" \u{1f} ");
        if !answers(&node, &p, &guests) {
            continue;
        }
        let ranges = highlight_ranges(&p.text, &seqs);
        let first = ranges.iter().find(|r| r.start < p.own_len).map(|r| r.start);
        let start_ms = match first {
            Some(off) => p.time_at(off),
            None => p.start_ms,
        };
        let snip = snippet::make(&p.text, first.unwrap_or(0), &ranges, SNIPPET_CHARS);
        hits.push(Hit {
            url: p.url(start_ms),
            collection: p.collection,
            number: p.number,
            title: p.title,
            source: p.source,
            timestamp: start_ms.map(crate::hms),
            start_ms,
            score,
            highlights: snip.highlights.iter().map(|r| [r.start, r.end]).collect(),
            snippet: snip.text,
            kind: Kind::Transcript,
            comment: None,
            passage: p.position,
        });
    }
    // Equal scores come in the index's document order, which depends on the
    // order an import wrote them in: put them in the corpus's own order, so
    // the same corpus answers the same whatever engine or import built it.
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.collection.cmp(&b.collection))
            .then_with(|| a.number.cmp(&b.number))
            .then_with(|| a.source.cmp(&b.source))
            .then_with(|| a.start_ms.cmp(&b.start_ms))
            .then_with(|| a.passage.cmp(&b.passage))
    });
    // Cut after ordering, so which of several equal scores make the last
    // places does not depend on the index's order either.
    hits.truncate(limit);
    Ok(hits)
}
