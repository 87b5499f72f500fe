//! `GET /e/{collection}/{number}`: one episode to read: metadata, summaries,
//! chapters beside the text, the transcript in paragraphs with a timestamp
//! that links to YouTube at that second and an anchor (`#t=754`) to share.

use super::episodes::encode;
use super::layout::{hms, page as frame, youtube_at};
use crate::paragraphs::{paragraphs, Paragraph};
use crate::state::{AppState, WebError};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use maud::{html, PreEscaped};

/// A convenience, not a need (the page works without it): `#t=754` scrolls to
/// the paragraph that holds second 754 when no paragraph starts exactly there.
const SEEK_JS: &str = r#"(function(){var m=location.hash.match(/^#t=(\d+)$/);if(!m||document.getElementById('t='+m[1]))return;var t=+m[1],best=null;document.querySelectorAll('.para[data-t]').forEach(function(p){if(+p.dataset.t<=t)best=p;});if(best){best.scrollIntoView();best.style.background='#fff3b0';}})();"#;
use podcorpus_store::query::EpisodeDetail;
use serde::Deserialize;

/// The page's query string.
#[derive(Debug, Default, Deserialize)]
pub struct EpisodeQuery {
    /// Which transcript source to show (default: the best).
    pub source: Option<String>,
}

/// Everything the page shows.
pub struct EpisodeView {
    /// The episode.
    pub detail: EpisodeDetail,
    /// Word error rate of the shown (or second) source against the best, with
    /// both names, when the episode has two sources.
    pub wer: Option<(String, String, f64)>,
    /// The source shown.
    pub source: Option<String>,
    /// Its paragraphs.
    pub paragraphs: Vec<Paragraph>,
}

/// What an episode page reads: the episode, and its transcripts' words for
/// the error rates between them.
pub trait EpisodeReader:
    podcorpus_store::seams::Queries + podcorpus_store::seams::AnalysisFeed
{
}
impl<T: podcorpus_store::seams::Queries + podcorpus_store::seams::AnalysisFeed> EpisodeReader
    for T
{
}

/// Loads an episode and the paragraphs of one of its sources.
pub fn load(
    store: &dyn EpisodeReader,
    collection: &str,
    number: &str,
    source: Option<&str>,
    cache: &crate::state::WerCache,
) -> Result<EpisodeView, WebError> {
    let number: i64 = number
        .parse()
        .map_err(|_| WebError::NotFound(format!("{number:?} is not an episode number")))?;
    let detail = store.show(&format!("{collection}/{number}"), false)?;
    let chosen = match source {
        Some(s) => Some(
            detail
                .transcripts
                .iter()
                .find(|t| t.source == s)
                .ok_or_else(|| {
                    WebError::NotFound(format!("this episode has no {s:?} transcript"))
                })?,
        ),
        None => detail.transcripts.first(),
    };
    let (source, paragraphs) = match chosen {
        Some(t) => (
            Some(t.source.clone()),
            paragraphs(&store.segments(t.id)?, &detail.chapters),
        ),
        None => (None, Vec::new()),
    };
    let wer = match (detail.transcripts.first(), &source) {
        (Some(best), Some(shown)) if detail.transcripts.len() > 1 => {
            let other = if *shown != best.source {
                detail.transcripts.iter().find(|t| t.source == *shown)
            } else {
                detail.transcripts.get(1)
            };
            match other {
                Some(o) => Some((
                    best.source.clone(),
                    o.source.clone(),
                    wer(store, best.id, o.id, cache)?,
                )),
                None => None,
            }
        }
        _ => None,
    };
    Ok(EpisodeView {
        detail,
        source,
        paragraphs,
        wer,
    })
}

/// The word error rate of transcript `hyp` against `reference`, as
/// `podcorpus compare` (jiwer's normalization), from the cache when known.
fn wer(
    store: &dyn podcorpus_store::seams::AnalysisFeed,
    reference: i64,
    hyp: i64,
    cache: &crate::state::WerCache,
) -> Result<f64, WebError> {
    if let Some(w) = cache
        .lock()
        .ok()
        .and_then(|c| c.get(&(reference, hyp)).copied())
    {
        return Ok(w);
    }
    let r = podcorpus_analysis::source::text_as_written(store, reference, false)?;
    let h = podcorpus_analysis::source::text_as_written(store, hyp, false)?;
    let opts = podcorpus_analysis::wer::Options {
        chars: false,
        align: false,
    };
    let w = podcorpus_analysis::wer::compare(&r, &h, opts).0.wer();
    if let Ok(mut c) = cache.lock() {
        c.insert((reference, hyp), w);
    }
    Ok(w)
}

/// One comment: author (marked when the uploader wrote, pinned or hearted
/// it), likes, time and text, every part escaped.
fn comment(c: &podcorpus_store::query::CommentRow) -> maud::Markup {
    html! {
        div.comment {
            div.muted {
                b { (c.author.as_deref().unwrap_or("anonymous")) }
                @if c.by_uploader { " " span.badge { "uploader" } }
                @if c.pinned { " " span.badge { "pinned" } }
                @if c.favorited { " " span.badge { "♥ by the uploader" } }
                @if let Some(l) = c.likes { " · " (l) " likes" }
                @if let Some(t) = &c.time { " · " (t) }
            }
            div { (c.text) }
        }
    }
}

/// `GET /e/{collection}/{number}`.
pub async fn page(
    State(state): State<AppState>,
    Path((collection, number)): Path<(String, String)>,
    Query(q): Query<EpisodeQuery>,
) -> Result<Html<String>, WebError> {
    let cache = state.wer_cache();
    let v = state
        .with_store(move |s| load(s, &collection, &number, q.source.as_deref(), &cache))
        .await?;
    let d = &v.detail;
    let r = &d.row;
    let title = r.title.clone().unwrap_or_else(|| r.name().to_string());
    let base = format!("/e/{}/{}", encode(&r.collection), r.number);
    let body = html! {
        h1 { (title) }
        dl.meta {
            dt { "Episode" } dd {
                @for (i, n) in r.collections.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("/e/{}/{}", encode(&n.collection), n.number)) { (n) }
                }
            }
            @if let Some(p) = &r.published { dt { "Date" } dd { (p) } }
            @if !r.guests.is_empty() { dt { "Guests" } dd { (r.guests.join(", ")) } }
            @if let Some(ms) = r.duration_ms { dt { "Length" } dd { (hms(ms.max(0) as u64)) } }
            @if let Some(u) = &r.url { dt { "Video" } dd { a href=(u) rel="noopener" { (u) } } }
            @if let Some((r, h, w)) = &v.wer {
                dt { "WER" } dd { span.badge title=(format!("word error rate of {h} against {r}, jiwer's normalization")) { (format!("{:.1} %", w * 100.0)) } " " span.muted { (h) " vs " (r) } }
            }
            dt { "Sources" } dd {
                @for t in &d.transcripts {
                    @if Some(&t.source) == v.source.as_ref() { span.badge { b { (t.source) } " · " (t.words) " words" } }
                    @else { a.badge href=(format!("{base}?source={}", encode(&t.source))) { (t.source) " · " (t.words) " words" } }
                }
            }
        }
        @if let Some(desc) = &d.description { details { summary { "Description" } p style="white-space: pre-wrap" { (desc) } } }
        @for s in &d.summaries {
            div.summary {
                div.muted { "Summary of the " (s.subject.as_str()) " — " (s.kind) @if let Some(m) = &s.method { ", " (m) } @if let Some(m) = &s.model { ", " (m) } ", " (s.created) }
                (s.text)
            }
        }
        @if !d.comments.is_empty() {
            @let threads = d.threads();
            details.comments {
                summary { "Comments — " (d.comments.len()) " in " (threads.len()) " threads" }
                ol.threads {
                    @for t in &threads {
                        li { (comment(&d.comments[t.root]))
                            @if !t.replies.is_empty() {
                                ol.replies { @for &r in &t.replies { li { (comment(&d.comments[r])) } } }
                            }
                        }
                    }
                }
            }
        }
        div.episode {
            aside {
                @if !d.chapters.is_empty() {
                    h2 { "Chapters" }
                    ol { @for (i, p) in v.paragraphs.iter().enumerate().filter(|(_, p)| p.chapter.is_some()) {
                        li { a href=(format!("#p{i}")) { (p.chapter.as_deref().unwrap_or("")) } }
                    } }
                }
            }
            article {
                @if v.paragraphs.is_empty() { p.muted { "No transcript for this episode." } }
                @for (i, p) in v.paragraphs.iter().enumerate() {
                    div.para id=(format!("p{i}")) data-t=[p.start_ms.map(|ms| ms / 1000)] {
                        @if let Some(c) = &p.chapter { h3 { (c) } }
                        @if let Some(ms) = p.start_ms {
                            span id=(format!("t={}", ms / 1000)) {}
                            @if let Some(yt) = youtube_at(r.video_id.as_deref(), ms) {
                                a.ts href=(yt) rel="noopener" title="Watch from here on YouTube" { (hms(ms)) }
                            } @else {
                                a.ts href=(format!("#t={}", ms / 1000)) { (hms(ms)) }
                            }
                        }
                        (p.text)
                    }
                }
            }
        }
    };
    let body = html! { (body) script { (PreEscaped(SEEK_JS)) } };
    Ok(Html(frame(&title, body).into_string()))
}
