//! `GET /`: every episode in a table, filterable by text and collection,
//! sortable by any column, paged.

use super::layout::{hms, page as frame};
use crate::state::{AppState, WebError};
use axum::extract::{Query, State};
use axum::response::Html;
use maud::html;
use podcorpus_store::query::{EpisodeRow, ListPage, ListSort};
use serde::Deserialize;

/// Rows per page.
pub const PAGE_SIZE: usize = 50;

/// The list's query string.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ListQuery {
    /// Text to find in the title or the guests.
    pub q: Option<String>,
    /// Only this collection.
    pub collection: Option<String>,
    /// `number`, `date`, `title`, `words` or `duration`.
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub dir: Option<String>,
    /// 1-based page.
    pub page: Option<usize>,
}

/// The store's query for a list query string: the page of
/// [`PAGE_SIZE`] rows it names. A sort key or direction the list does not
/// have is the request's fault (400).
pub fn list_page(q: &ListQuery) -> Result<ListPage, WebError> {
    let sort = match q.sort.as_deref().unwrap_or("number") {
        "number" => ListSort::Number,
        "date" => ListSort::Date,
        "title" => ListSort::Title,
        "words" => ListSort::Words,
        "duration" => ListSort::Duration,
        other => {
            return Err(WebError::BadRequest(format!(
                "cannot sort by {other:?}; use number, date, title, words or duration"
            )))
        }
    };
    let descending = match q.dir.as_deref().unwrap_or("asc") {
        "asc" => false,
        "desc" => true,
        other => {
            return Err(WebError::BadRequest(format!(
                "sort direction {other:?} is neither asc nor desc"
            )))
        }
    };
    let page = q.page.unwrap_or(1).max(1);
    Ok(ListPage {
        // The store treats blank text and an empty collection (the form's
        // "all collections") as no filter.
        text: q.q.clone(),
        collection: q.collection.clone(),
        sort,
        descending,
        offset: (page - 1).saturating_mul(PAGE_SIZE),
        limit: PAGE_SIZE,
    })
}

/// The page of episodes a list query string names, and how many match on
/// all pages: one query of the store, on a blocking thread.
pub async fn select(state: &AppState, q: &ListQuery) -> Result<(Vec<EpisodeRow>, usize), WebError> {
    let page = list_page(q)?;
    state.with_store(move |s| Ok(s.list_page(&page)?)).await
}

/// `GET /`.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let query = list_page(&q)?;
    let ((rows, total), collections) = state
        .with_store(move |s| Ok((s.list_page(&query)?, s.collection_names()?)))
        .await?;
    let page_no = q.page.unwrap_or(1).max(1);
    let link = |sort: &str, dir: &str, page: usize| {
        let mut url = format!("/?sort={sort}&dir={dir}&page={page}");
        for (k, v) in [("q", &q.q), ("collection", &q.collection)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                url.push_str(&format!("&{k}={}", encode(v)));
            }
        }
        url
    };
    let sort = q.sort.as_deref().unwrap_or("number");
    let dir = q.dir.as_deref().unwrap_or("asc");
    let header = |key: &str, label: &str, class: &str| {
        let next = if sort == key && dir == "asc" {
            "desc"
        } else {
            "asc"
        };
        html! { th class=(class) { a href=(link(key, next, 1)) { (label) @if sort == key { (if dir == "asc" { " ▲" } else { " ▼" }) } } } }
    };
    let body = html! {
        h1 { "Episodes" span.muted { " (" (total) ")" } }
        form.filters method="get" action="/" {
            label.vh for="f-q" { "Title or guest" }
            input #f-q type="search" name="q" placeholder="title or guest" value=[q.q.as_deref()];
            label.vh for="f-collection" { "Collection" }
            select #f-collection name="collection" {
                option value="" { "all collections" }
                @for c in &collections {
                    option value=(c) selected[q.collection.as_deref() == Some(c.as_str())] { (c) }
                }
            }
            button type="submit" { "Filter" }
        }
        table {
            thead { tr {
                (header("number", "Episode", ""))
                (header("date", "Date", ""))
                (header("title", "Title", ""))
                th.hide-s { "Guests" }
                (header("duration", "Length", "num hide-s"))
                (header("words", "Words", "num"))
                th.hide-s { "Sources" }
            } }
            tbody {
                @for r in &rows {
                    tr {
                        td.nowrap { (r.collection) "/" (r.number) }
                        td.nowrap { (r.published.as_deref().unwrap_or("")) }
                        td { a href=(format!("/e/{}/{}", encode(&r.collection), r.number)) {
                            @if let Some(t) = &r.title { (t) } @else { (r.collection) " #" (r.number) }
                        } }
                        td.hide-s { (r.guests.join(", ")) }
                        td.num.hide-s { (r.duration_ms.map(|d| hms(d.max(0) as u64)).unwrap_or_default()) }
                        td.num { (r.words) }
                        td.hide-s { @for s in &r.sources { span.badge { (s) } } }
                    }
                }
            }
        }
        div.pager {
            @if page_no > 1 { a href=(link(sort, dir, page_no - 1)) { "← previous" } }
            @if page_no * PAGE_SIZE < total { a href=(link(sort, dir, page_no + 1)) { "next →" } }
        }
    };
    Ok(Html(frame("Episodes", body).into_string()))
}

/// Percent-encodes a value for a query string or a path segment.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
