//! `GET /search` and `GET /kwic`: the CLI's search and concordance as pages,
//! with the same query language and filters, over the transcripts or (with
//! `in=comments`) the viewers' comments.

use super::episodes::encode;
use super::layout::page as frame;
use crate::meaning::Mode;
use crate::state::{AppState, WebError};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};
use podcorpus_search::{Filter, Hit, Kind, KwicOptions, Sort};
use serde::Deserialize;

/// Most hits a page or API call returns.
pub const MAX_HITS: usize = 100;
/// Most concordance lines a page or API call returns.
pub const MAX_LINES: usize = 1000;

/// The search form's fields.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SearchQuery {
    /// The query, in the CLI's language.
    pub q: Option<String>,
    /// `words` (keyword search, the default), `meaning` or `both`.
    pub mode: Option<String>,
    /// Only this collection.
    pub collection: Option<String>,
    /// Only this source.
    pub source: Option<String>,
    /// Episodes on or after.
    pub since: Option<String>,
    /// Episodes on or before.
    pub until: Option<String>,
    /// Every source, not only the best ("on").
    pub all_sources: Option<String>,
    /// How many hits.
    pub limit: Option<usize>,
    /// Concordance: words of context.
    pub window: Option<usize>,
    /// Concordance: `left`, `right` or `episode`.
    pub sort: Option<String>,
    /// `transcripts` (the default) or `comments`.
    #[serde(rename = "in")]
    pub within: Option<String>,
}

impl SearchQuery {
    /// The filters, with empty form fields meaning "no filter".
    pub fn filter(&self) -> Filter {
        let some = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        Filter {
            collection: some(&self.collection),
            source: some(&self.source),
            since: some(&self.since),
            until: some(&self.until),
            all_sources: self
                .all_sources
                .as_deref()
                .is_some_and(|v| !v.is_empty() && v != "0"),
            kind: Kind::Transcript,
        }
    }

    /// How to rank: by words, by meaning, or both fused.
    pub fn mode(&self) -> Result<Mode, WebError> {
        Mode::parse(self.mode.as_deref()).map_err(WebError::BadRequest)
    }

    /// What to look in: transcripts (also for an empty field) or comments.
    pub fn kind(&self) -> Result<Kind, WebError> {
        match self.within.as_deref().map(str::trim) {
            None | Some("" | "transcripts") => Ok(Kind::Transcript),
            Some("comments") => Ok(Kind::Comment),
            Some(other) => Err(WebError::BadRequest(format!(
                "in={other:?} is not transcripts or comments"
            ))),
        }
    }

    /// [`SearchQuery::filter`] of what `in` names.
    pub fn filter_in(&self) -> Result<Filter, WebError> {
        Ok(Filter {
            kind: self.kind()?,
            ..self.filter()
        })
    }

    /// The concordance options.
    pub fn kwic_options(&self) -> Result<KwicOptions, WebError> {
        let sort = match self.sort.as_deref().unwrap_or("episode") {
            "left" => Sort::Left,
            "right" => Sort::Right,
            "episode" | "" => Sort::Episode,
            other => {
                return Err(WebError::BadRequest(format!(
                    "sort {other:?} is not left, right or episode"
                )))
            }
        };
        Ok(KwicOptions {
            window: self.window.unwrap_or(6).clamp(1, 20),
            case: false,
            sort,
            filter: self.filter_in()?,
        })
    }
}

/// Runs a search (an empty query gives no hits).
pub async fn run_search(state: &AppState, q: &SearchQuery) -> Result<Vec<Hit>, WebError> {
    let Some(query) = q.q.clone().filter(|s| !s.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let filter = q.filter_in()?;
    let limit = q.limit.unwrap_or(20).clamp(1, MAX_HITS);
    let mode = q.mode()?;
    if filter.kind == Kind::Comment && mode != Mode::Words {
        return Err(WebError::BadRequest(
            "comments are searched by their words (mode=words): they are not embedded".into(),
        ));
    }
    if mode == Mode::Words {
        return state
            .with_index(move |ix| podcorpus_search::search(ix, &query, &filter, limit))
            .await;
    }
    state
        .with_meaning(move |store, index, loaded| {
            let ctx = podcorpus_semantic::hits::Context {
                store,
                vectors: &loaded.vectors,
                embedder: &loaded.embedder,
            };
            if mode == Mode::Both {
                podcorpus_semantic::hybrid(&ctx, index, &query, &filter, limit)
            } else {
                podcorpus_semantic::semantic(&ctx, &query, &filter, limit)
            }
        })
        .await
}

/// The snippet with its highlights as `<mark>`, everything else escaped.
fn marked(hit: &Hit) -> Markup {
    let s = &hit.snippet;
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for [a, b] in &hit.highlights {
        let (a, b) = (*a, *b);
        if a < at || b > s.len() || !s.is_char_boundary(a) || !s.is_char_boundary(b) {
            continue;
        }
        parts.push((false, &s[at..a]));
        parts.push((true, &s[a..b]));
        at = b;
    }
    parts.push((false, s.get(at..).unwrap_or("")));
    html! { @for (m, t) in parts { @if m { mark { (t) } } @else { (t) } } }
}

/// The episode page, at the second when there is one.
fn episode_href(collection: &str, number: i64, start_ms: Option<u64>) -> String {
    format!(
        "/e/{}/{}{}",
        encode(collection),
        number,
        start_ms
            .map(|ms| format!("#t={}", ms / 1000))
            .unwrap_or_default()
    )
}

fn form(action: &str, q: &SearchQuery, extra: Markup) -> Markup {
    let comments = q.kind().is_ok_and(|k| k == Kind::Comment);
    html! {
        form.filters method="get" action=(action) {
            label.vh for="f-q" { "Query" }
            input #f-q type="search" name="q" size="40" placeholder="words, \"phrases\", AND OR NOT, title: guest:" value=[q.q.as_deref()] autofocus;
            label.vh for="f-collection" { "Collection" }
            input #f-collection type="text" name="collection" placeholder="collection" value=[q.collection.as_deref()];
            label.vh for="f-source" { "Source" }
            input #f-source type="text" name="source" placeholder="source" value=[q.source.as_deref()];
            label.field.date { "since " input type="date" name="since" value=[q.since.as_deref()]; }
            label.field.date { "until " input type="date" name="until" value=[q.until.as_deref()]; }
            label.vh for="f-in" { "Look in" }
            select #f-in name="in" {
                option value="transcripts" selected[!comments] { "in transcripts" }
                option value="comments" selected[comments] { "in comments" }
            }
            (extra)
            button type="submit" { "Search" }
        }
    }
}

/// `GET /search`. When search by meaning is not set up (no model, nothing
/// embedded), the page keeps its form and says what to do, with status 503.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let mode = q.mode()?;
    let (hits, unavailable) = match run_search(&state, &q).await {
        Ok(h) => (h, None),
        Err(WebError::Unavailable(m)) => (Vec::new(), Some(m)),
        Err(e) => return Err(e),
    };
    let extra = html! {
        span.modes {
            @for (m, label) in Mode::ALL {
                label { input type="radio" name="mode" value=(m.name()) checked[m == mode]; " " (label) }
            }
        }
        label { input type="checkbox" name="all_sources" value="on" checked[q.filter().all_sources]; " all sources" }
    };
    let body = html! {
        h1 { "Search" }
        (form("/search", &q, extra))
        @if let Some(m) = &unavailable {
            p.error { (m) }
        } @else if q.q.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            @let unit = if q.kind().is_ok_and(|k| k == Kind::Comment) { ("comment", "comments") } else { ("passage", "passages") };
            p.muted { (hits.len()) @if hits.len() == 1 { " " (unit.0) } @else { " " (unit.1) } @if hits.len() >= q.limit.unwrap_or(20).clamp(1, MAX_HITS) { " (more with a higher limit)" } }
        }
        ol.hits {
            @for h in &hits {
                li.para {
                    a href=(episode_href(&h.collection, h.number, h.start_ms)) {
                        b { @if let Some(t) = &h.title { (t) } @else { (h.collection) " #" (h.number) } } " — " (h.collection) "/" (h.number)
                    }
                    @if let Some(c) = &h.comment {
                        " " span.muted { (c.label()) }
                        @if let Some(u) = &h.url { " " a href=(u) rel="noopener" { "▶ the comment on YouTube" } }
                    } @else {
                        " " span.muted { (h.timestamp.as_deref().unwrap_or("")) " · " (h.source) }
                        @if let Some(u) = &h.url { " " a href=(u) rel="noopener" { "▶ YouTube" } }
                    }
                    div { (marked(h)) }
                }
            }
        }
    };
    let status = if unavailable.is_some() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    Ok((status, Html(frame("Search", body).into_string())).into_response())
}

/// Runs a concordance, capped at [`MAX_LINES`] lines (totals stay whole).
pub async fn run_kwic(
    state: &AppState,
    q: &SearchQuery,
) -> Result<Option<podcorpus_search::Concordance>, WebError> {
    let Some(word) = q.q.clone().filter(|s| !s.trim().is_empty()) else {
        return Ok(None);
    };
    let opts = q.kwic_options()?;
    let mut c = state
        .with_index(move |ix| podcorpus_search::kwic(ix, &word, &opts))
        .await?;
    c.lines.truncate(MAX_LINES);
    Ok(Some(c))
}

/// `GET /kwic`.
pub async fn kwic_page(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Html<String>, WebError> {
    let c = run_kwic(&state, &q).await?;
    let sort = q.sort.as_deref().unwrap_or("episode");
    let body = html! {
        h1 { "Concordance" }
        (form("/kwic", &q, html! {
            label.vh for="f-sort" { "Sort by" }
            select #f-sort name="sort" { @for s in ["episode", "left", "right"] { option value=(s) selected[sort == s] { "sort: " (s) } } }
            label.field { input type="number" name="window" min="1" max="20" value=(q.window.unwrap_or(6)); " words of context" }
        }))
        @if let Some(c) = &c {
            p.muted { (c.total) " occurrences in " (c.per_episode.len()) " episodes" @if c.total > c.lines.len() { " (first " (c.lines.len()) " shown)" } }
            table.kwic {
                @for l in &c.lines {
                    tr {
                        td.num { (l.left) }
                        td { b { (l.keyword) } }
                        td { (l.right) }
                        td.nowrap.muted {
                            a href=(episode_href(&l.collection, l.number, l.start_ms)) { (l.collection) "/" (l.number) } " "
                            @if let Some(c) = &l.comment {
                                (c.label())
                                @if let Some(u) = &l.url { " " a href=(u) rel="noopener" { "▶ comment" } }
                            } @else {
                                (l.timestamp.as_deref().unwrap_or(""))
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(frame("Concordance", body).into_string()))
}
