//! Viewers' comments in the index: one document per comment or reply (a
//! comment is short enough to rank whole), carrying its episode's fields so
//! that the same filters apply, and ranked hits that name the author, the
//! likes and the comment's own address on YouTube.

use crate::compile::{Kind, KindStatistics};
use crate::hits::{Hit, SNIPPET_CHARS};
use crate::index::add_collections;
use crate::matcher::highlight_ranges;
use crate::query::{self, Node};
use crate::schema::{self, Fields};
use crate::snippet;
use crate::{Result, SearchError};
use podcorpus_core::Comment;
use podcorpus_store::search_feed::CommentedEpisode;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

/// The source a comment's hits and concordance lines name: comments come
/// from no transcript.
pub const SOURCE: &str = "comments";

/// What a hit or concordance line of a comment adds to a passage's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentInfo {
    /// The author's display name, when known.
    pub author: Option<String>,
    /// Likes, when known.
    pub likes: Option<u64>,
    /// The site's id of the comment, when known.
    pub comment_id: Option<String>,
}

impl CommentInfo {
    /// The author and likes, where a passage shows its time:
    /// `@author · 412 likes`.
    pub fn label(&self) -> String {
        let author = self.author.as_deref().unwrap_or("(unknown author)");
        match self.likes {
            Some(n) => format!("{author} · {}", podcorpus_core::text::likes(n)),
            None => author.to_string(),
        }
    }
}

/// The address of a comment on YouTube: the video, with the comment shown
/// first (`&lc=`). Ids are letters, digits, `-`, `_` and `.` (a reply's);
/// anything else is percent-encoded so the address stays one.
pub fn comment_url(video_id: &str, comment_id: &str) -> String {
    let mut lc = String::with_capacity(comment_id.len());
    for b in comment_id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            lc.push(b as char);
        } else {
            lc.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{}&lc={lc}", crate::youtube_url(video_id, None))
}

/// One comment of episode `e` as an index document; `position` is its place
/// among the episode's comments, in the order fetched.
pub(crate) fn document(
    f: &Fields,
    e: &CommentedEpisode,
    position: usize,
    c: &Comment,
) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.kind, schema::KIND_COMMENT);
    d.add_text(f.comment_text, &c.text);
    if let Some(title) = &e.title {
        d.add_text(f.comment_title, title);
    }
    for g in &e.guests {
        d.add_text(f.comment_guest, g);
    }
    add_collections(&mut d, f, &e.collection, &e.collections);
    if let Some(v) = &e.video_id {
        d.add_text(f.video_id, v);
    }
    d.add_i64(f.number, e.number);
    d.add_u64(f.episode, e.episode_id as u64);
    if let Some(n) = e
        .published
        .as_deref()
        .and_then(|p| schema::date_number(p, false))
    {
        d.add_u64(f.published, n);
    }
    if let Some(id) = &c.id {
        d.add_text(f.comment_id, id);
    }
    if let Some(a) = &c.author {
        d.add_text(f.author, a);
    }
    if let Some(l) = c.likes {
        d.add_u64(f.likes, l);
    }
    d.add_u64(f.position, position as u64);
    d
}

/// A comment read back from the index, with its episode.
#[derive(Debug, Clone)]
pub struct StoredComment {
    /// The comment's text.
    pub text: String,
    /// Collection name.
    pub collection: String,
    /// Episode number.
    pub number: i64,
    /// Episode title.
    pub title: Option<String>,
    /// Video id.
    pub video_id: Option<String>,
    /// Its place among its episode's comments.
    pub position: u64,
    /// Author, likes, id.
    pub info: CommentInfo,
}

impl StoredComment {
    /// Reads the stored fields of a comment document.
    pub(crate) fn from_doc(f: &Fields, d: &TantivyDocument) -> StoredComment {
        let s = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        StoredComment {
            text: s(f.comment_text).unwrap_or_default(),
            collection: s(f.collection).unwrap_or_default(),
            number: d.get_first(f.number).and_then(|v| v.as_i64()).unwrap_or(0),
            title: s(f.comment_title),
            video_id: s(f.video_id),
            position: d
                .get_first(f.position)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            info: CommentInfo {
                author: s(f.author),
                likes: d.get_first(f.likes).and_then(|v| v.as_u64()),
                comment_id: s(f.comment_id),
            },
        }
    }

    /// The comment's address, when its video's id and its own are known,
    /// else the video's.
    pub fn url(&self) -> Option<String> {
        let video = self.video_id.as_deref()?;
        Some(match self.info.comment_id.as_deref() {
            Some(id) => comment_url(video, id),
            None => crate::youtube_url(video, None),
        })
    }
}

/// The `limit` best comments for the compiled query `q` (of `node`), best first.
pub(crate) fn hits(
    searcher: &Searcher,
    stats: &KindStatistics<'_>,
    f: &Fields,
    q: &dyn Query,
    node: &Node,
    limit: usize,
) -> Result<Vec<Hit>> {
    let index_err = |path: &str| {
        let path = path.to_string();
        move |cause| SearchError::Index { path, cause }
    };
    let top = searcher
        .search_with_statistics_provider(
            q,
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
            stats,
        )
        .map_err(index_err("(search)"))?;
    let seqs = query::text_sequences(node);
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top.into_iter().take(limit) {
        let doc: TantivyDocument = searcher.doc(addr).map_err(index_err("(stored comment)"))?;
        let c = StoredComment::from_doc(f, &doc);
        let ranges = highlight_ranges(&c.text, &seqs);
        let first = ranges.first().map_or(0, |r| r.start);
        let snip = snippet::make(&c.text, first, &ranges, SNIPPET_CHARS);
        hits.push(Hit {
            url: c.url(),
            collection: c.collection,
            number: c.number,
            title: c.title,
            source: SOURCE.to_string(),
            start_ms: None,
            timestamp: None,
            score,
            highlights: snip.highlights.iter().map(|r| [r.start, r.end]).collect(),
            snippet: snip.text,
            kind: Kind::Comment,
            passage: c.position,
            comment: Some(c.info),
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::comment_url;

    #[test]
    fn comment_links_show_the_comment_first() {
        assert_eq!(
            comment_url("o8nZaDw_mOs", "Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D"),
            "https://www.youtube.com/watch?v=o8nZaDw_mOs&lc=Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D"
        );
        assert_eq!(
            comment_url("x", "a b&c"),
            "https://www.youtube.com/watch?v=x&lc=a%20b%26c"
        );
    }
}
