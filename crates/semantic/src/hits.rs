//! Answering queries: semantic search (the passages nearest a query's
//! meaning), hybrid search (that fused with keyword search) and `similar`
//! (the passages nearest a passage of the corpus), all as the keyword
//! search's [`Hit`]s under the same [`Filter`].

use crate::corpus::{Row, VectorIndex};
use crate::embed::Embedder;
use crate::{fuse, knn, Result, SemanticError};
pub use podcorpus_core::link::Anchor;
use podcorpus_search::passages::{self, Passage};
use podcorpus_search::{schema::date_number, snippet, Filter, Hit, Kind, SearchIndex};
use podcorpus_store::query::{TranscriptFilter, TranscriptRef};
use podcorpus_store::seams::EmbeddingStore;
use podcorpus_store::StoreError;
use std::collections::HashMap;

/// Characters in a snippet (as keyword search).
const SNIPPET_CHARS: usize = 220;

/// Candidates each ranking contributes to a hybrid fusion.
pub const POOL: usize = 100;

/// The weight of the keyword ranking in a hybrid fusion (the semantic one
/// weighs 1); see `bench/semantic.sh` for how it was chosen.
pub const KEYWORD_WEIGHT: f64 = 1.0;

/// What a search runs against: the store, its embedded passages, the model.
pub struct Context<'a> {
    /// The corpus.
    pub store: &'a dyn EmbeddingStore,
    /// The embedded passages.
    pub vectors: &'a VectorIndex,
    /// The model, to embed queries.
    pub embedder: &'a Embedder,
}

/// The transcripts a filter lets through, by id, with the same rules as
/// keyword search (best source unless a source or all sources are asked;
/// dates compared as `YYYY[-MM[-DD]]`, a partial `until` up to its end).
/// Comments are not embedded: a filter of comments is a usage error.
pub fn scope(store: &dyn EmbeddingStore, filter: &Filter) -> Result<HashMap<i64, TranscriptRef>> {
    if filter.kind == Kind::Comment {
        return Err(SemanticError::Usage(
            "search by meaning covers the transcripts: comments are not embedded; \
             search comments by their words (without --semantic or --hybrid)"
                .into(),
        ));
    }
    let bound = |option: &str, v: &Option<String>, end: bool| -> Result<Option<u64>> {
        v.as_deref()
            .map(|d| {
                date_number(d, end).ok_or_else(|| {
                    SemanticError::Usage(format!(
                        "{option} expects a date as YYYY-MM-DD (or YYYY-MM, YYYY), got {d:?}"
                    ))
                })
            })
            .transpose()
    };
    let since = bound("--since", &filter.since, false)?;
    let until = bound("--until", &filter.until, true)?;
    let all = store.transcripts(&TranscriptFilter {
        collection: filter.collection.clone(),
        source: filter.source.clone(),
        all_sources: filter.all_sources,
        ..TranscriptFilter::default()
    })?;
    Ok(all
        .into_iter()
        .filter(|t| {
            let date = t.published.as_deref().and_then(|p| date_number(p, false));
            let after = since.is_none_or(|s| date.is_some_and(|d| d >= s));
            let before = until.is_none_or(|u| date.is_some_and(|d| d <= u));
            after && before
        })
        .map(|t| (t.id, t))
        .collect())
}

/// Passages of transcripts, cut on first use.
struct Texts<'a> {
    store: &'a dyn EmbeddingStore,
    cut: HashMap<i64, Vec<Passage>>,
}

impl<'a> Texts<'a> {
    fn new(store: &'a dyn EmbeddingStore) -> Self {
        Texts {
            store,
            cut: HashMap::new(),
        }
    }

    fn of(&mut self, transcript_id: i64) -> Result<&[Passage]> {
        if !self.cut.contains_key(&transcript_id) {
            let ps = passages::cut(&self.store.segments(transcript_id)?);
            self.cut.insert(transcript_id, ps);
        }
        Ok(self.cut.get(&transcript_id).map_or(&[], Vec::as_slice))
    }
}

/// A passage as a hit: its start, the start of its text, a link.
fn passage_hit(t: &TranscriptRef, p: &Passage, score: f32) -> Hit {
    let snip = snippet::make(p.own(), 0, &[], SNIPPET_CHARS);
    Hit {
        collection: t.collection.clone(),
        number: t.number,
        title: t.title.clone(),
        source: t.source.clone(),
        start_ms: p.start_ms,
        timestamp: p.start_ms.map(podcorpus_search::hms),
        score,
        snippet: snip.text,
        highlights: Vec::new(),
        url: t
            .video_id
            .as_deref()
            .map(|v| podcorpus_search::youtube_url(v, p.start_ms)),
        kind: Kind::Transcript,
        comment: None,
        // Ranked by similarity, which ties only by chance.
        passage: 0,
    }
}

/// Hits for ranked rows; rows whose passage is gone (the transcript changed
/// since `embed`) are skipped.
fn row_hits(
    vectors: &VectorIndex,
    scope: &HashMap<i64, TranscriptRef>,
    ranked: &[(usize, f32)],
    texts: &mut Texts,
) -> Result<Vec<Hit>> {
    let mut out = Vec::with_capacity(ranked.len());
    for &(row, score) in ranked {
        let Some(r) = vectors.rows.get(row) else {
            continue;
        };
        let Some(t) = scope.get(&r.transcript_id) else {
            continue;
        };
        if let Some(p) = texts.of(r.transcript_id)?.get(r.ordinal) {
            out.push(passage_hit(t, p, score));
        }
    }
    Ok(out)
}

/// An error when no passage in scope is embedded.
fn nothing_embedded(vectors: &VectorIndex, scope: &HashMap<i64, TranscriptRef>) -> Result<()> {
    if scope
        .keys()
        .any(|id| vectors.by_transcript.contains_key(id))
    {
        return Ok(());
    }
    Err(SemanticError::Usage(
        "no passage in scope has an embedding yet: run `podcorpus embed` first \
         (with --collection, --source or --all-sources to cover what you search)"
            .into(),
    ))
}

/// The rows nearest `query` among those of transcripts in scope.
fn nearest(
    vectors: &VectorIndex,
    query: &[f32],
    k: usize,
    keep: impl Fn(&Row) -> bool + Sync,
) -> Vec<(usize, f32)> {
    let rows = &vectors.rows;
    knn::top_k(&vectors.data, vectors.dim, query, k, |i| {
        rows.get(i).is_some_and(&keep)
    })
}

/// The `limit` passages nearest the meaning of `query`; a hit's score is its cosine.
pub fn semantic(ctx: &Context, query: &str, filter: &Filter, limit: usize) -> Result<Vec<Hit>> {
    let scope = scope(ctx.store, filter)?;
    nothing_embedded(ctx.vectors, &scope)?;
    let q = ctx.embedder.embed_one(query)?;
    let ranked = nearest(ctx.vectors, &q, limit, |r| {
        scope.contains_key(&r.transcript_id)
    });
    row_hits(ctx.vectors, &scope, &ranked, &mut Texts::new(ctx.store))
}

/// The query keyword search gets in a hybrid search: as typed when it uses
/// the query language (quotes, parentheses, fields, operators, `-word`),
/// else its words other than stop words joined by `OR` (all of them when
/// they are all stop words), so that a question ranks passages by the words
/// they share with it instead of needing all of them.
pub fn keyword_form(query: &str) -> String {
    let syntax = query.contains(['"', '(', ')', ':'])
        || query
            .split_whitespace()
            .any(|w| w.starts_with('-') || matches!(w, "AND" | "OR" | "NOT"));
    if syntax {
        return query.to_string();
    }
    // The analyzer's terms, as the index holds them: `don't` stays one word
    // (a stop word), `robots'` is `robots`.
    let words = podcorpus_core::analyzer::terms(query);
    let content: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !podcorpus_core::analyzer::is_stop_word(w))
        .collect();
    match (content.is_empty(), words.is_empty()) {
        (false, _) => content.join(" OR "),
        (true, false) => words.join(" OR "),
        (true, true) => query.to_string(),
    }
}

/// What the fused rankings hold: an embedded passage, or a keyword hit
/// whose transcript is not embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Row(usize),
    Keyword(usize),
}

/// The row of the passage a keyword hit comes from: by the time of its
/// match in a timed transcript, else by its snippet's text.
fn keyword_row(
    ctx: &Context,
    hit: &Hit,
    ids: &HashMap<(&str, i64, &str), i64>,
    texts: &mut Texts,
) -> Result<Option<usize>> {
    let Some(&tid) = ids.get(&(hit.collection.as_str(), hit.number, hit.source.as_str())) else {
        return Ok(None);
    };
    let Some(range) = ctx.vectors.by_transcript.get(&tid).cloned() else {
        return Ok(None);
    };
    let timed = ctx
        .vectors
        .rows
        .get(range.start)
        .is_some_and(|r| r.start_ms.is_some());
    if hit.start_ms.is_some() && timed {
        return Ok(ctx.vectors.row_at(tid, hit.start_ms));
    }
    let core: String = hit
        .snippet
        .trim_matches('…')
        .trim()
        .chars()
        .take(80)
        .collect();
    let found = texts.of(tid)?.iter().position(|p| p.text.contains(&core));
    Ok(found
        .map(|ordinal| range.start + ordinal)
        .filter(|&row| row < range.end))
}

/// Keyword and semantic rankings fused by reciprocal rank (k = 60, the
/// keyword ranking weighing [`KEYWORD_WEIGHT`]); a passage found by keyword
/// keeps that hit's match time and highlights. A hit's score is its fused
/// score.
pub fn hybrid(
    ctx: &Context,
    index: &SearchIndex,
    query: &str,
    filter: &Filter,
    limit: usize,
) -> Result<Vec<Hit>> {
    hybrid_weighted(ctx, index, query, filter, limit, KEYWORD_WEIGHT)
}

/// [`hybrid`] with the keyword ranking weighing `keyword_weight` against
/// the semantic ranking's 1.
pub fn hybrid_weighted(
    ctx: &Context,
    index: &SearchIndex,
    query: &str,
    filter: &Filter,
    limit: usize,
    keyword_weight: f64,
) -> Result<Vec<Hit>> {
    let scope = scope(ctx.store, filter)?;
    nothing_embedded(ctx.vectors, &scope)?;
    let keyword = podcorpus_search::search(index, &keyword_form(query), filter, POOL)?;
    let ids: HashMap<(&str, i64, &str), i64> = scope
        .values()
        .map(|t| ((t.collection.as_str(), t.number, t.source.as_str()), t.id))
        .collect();
    let mut texts = Texts::new(ctx.store);
    let mut keyword_keys = Vec::with_capacity(keyword.len());
    let mut keyword_of_row: HashMap<usize, usize> = HashMap::new();
    for (i, h) in keyword.iter().enumerate() {
        let key = match keyword_row(ctx, h, &ids, &mut texts)? {
            Some(row) if !keyword_of_row.contains_key(&row) => {
                keyword_of_row.insert(row, i);
                Key::Row(row)
            }
            Some(_) => continue,
            None => Key::Keyword(i),
        };
        keyword_keys.push(key);
    }
    let q = ctx.embedder.embed_one(query)?;
    let semantic: Vec<Key> = nearest(ctx.vectors, &q, POOL, |r| {
        scope.contains_key(&r.transcript_id)
    })
    .into_iter()
    .map(|(row, _)| Key::Row(row))
    .collect();
    let mut out = Vec::with_capacity(limit);
    let rankings = [(&keyword_keys[..], keyword_weight), (&semantic[..], 1.0)];
    for (key, score) in fuse::weighted_rrf(&rankings, fuse::K) {
        if out.len() >= limit {
            break;
        }
        let from_keyword = match key {
            Key::Keyword(i) => Some(i),
            Key::Row(row) => keyword_of_row.get(&row).copied(),
        };
        if let Some(h) = from_keyword.and_then(|i| keyword.get(i)) {
            out.push(Hit {
                score: score as f32,
                ..h.clone()
            });
        } else if let Key::Row(row) = key {
            out.extend(row_hits(
                ctx.vectors,
                &scope,
                &[(row, score as f32)],
                &mut texts,
            )?);
        }
    }
    Ok(out)
}

/// The passage at an anchor (in the episode's best source, or `filter.source`)
/// and the `limit` passages nearest it in meaning; passages of the same
/// episode only when `same_episode`. The anchor's own hit scores 1. No
/// model is needed: the anchor's vector is stored.
pub fn similar(
    store: &dyn EmbeddingStore,
    vectors: &VectorIndex,
    anchor: &Anchor,
    filter: &Filter,
    limit: usize,
    same_episode: bool,
) -> Result<(Hit, Vec<Hit>)> {
    let episode = store.resolve(&anchor.episode)?;
    let transcripts = store.transcripts(&TranscriptFilter {
        episode_id: Some(episode.id),
        source: filter.source.clone(),
        ..TranscriptFilter::default()
    })?;
    let name = format!("{}/{}", episode.collection, episode.number);
    let t = transcripts.into_iter().next().ok_or_else(|| {
        StoreError::NotFound(match &filter.source {
            Some(s) => format!("{name} has no transcript from source {s:?}"),
            None => format!("{name} has no transcript"),
        })
    })?;
    // A pasted transcript has no times: only its start can be named.
    let untimed = vectors
        .by_transcript
        .get(&t.id)
        .and_then(|r| vectors.rows.get(r.start))
        .is_some_and(|r| r.start_ms.is_none());
    if untimed && anchor.at_ms > 0 {
        return Err(SemanticError::Usage(format!(
            "{name} [{}] has no timings (a pasted transcript), so @{} names no passage of it: \
             start from its beginning with {name}@0",
            t.source,
            podcorpus_search::hms(anchor.at_ms)
        )));
    }
    let row = vectors.row_at(t.id, Some(anchor.at_ms)).ok_or_else(|| {
        SemanticError::Usage(format!(
            "{name} [{}] has no embeddings yet: run `podcorpus embed --collection {}{}`",
            t.source,
            t.collection,
            filter
                .source
                .as_deref()
                .map_or(String::new(), |s| format!(" --source {s}"))
        ))
    })?;
    let mut texts = Texts::new(store);
    let own = HashMap::from([(t.id, t.clone())]);
    let first = row_hits(vectors, &own, &[(row, 1.0)], &mut texts)?;
    let anchor_hit = first.into_iter().next().ok_or_else(|| {
        SemanticError::Usage(format!(
            "{name} changed since it was embedded: run `podcorpus embed` again"
        ))
    })?;
    let scope = scope(store, filter)?;
    let query = vectors.vector(row);
    let anchor_row = vectors.rows.get(row).copied();
    let ranked = nearest(vectors, query, limit, |r| {
        Some(*r) != anchor_row
            && scope
                .get(&r.transcript_id)
                .is_some_and(|s| same_episode || s.episode_id != episode.id)
    });
    let hits = row_hits(vectors, &scope, &ranked, &mut texts)?;
    Ok((anchor_hit, hits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_become_or_queries_and_syntax_is_kept() {
        assert_eq!(keyword_form("What happens after we die?"), "happens OR die");
        assert_eq!(keyword_form("robots' jobs"), "robots OR jobs");
        assert_eq!(keyword_form("Why do we?"), "why OR do OR we");
        assert_eq!(keyword_form("\"meaning of life\""), "\"meaning of life\"");
        assert_eq!(keyword_form("robots -jobs"), "robots -jobs");
        assert_eq!(keyword_form("?!"), "?!");
        assert_eq!(
            keyword_form("Don’t robots' café-owners"),
            "robots OR café OR owners"
        );
    }
}
