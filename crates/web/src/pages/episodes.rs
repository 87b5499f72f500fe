//! `GET /`: every episode in a table, filterable by text and collection,
//! sortable by any column, paged.

use super::layout::{hms, page as frame};
use crate::state::{AppState, WebError};
use axum::extract::{Query, State};
use axum::response::Html;
use maud::html;
use podcorpus_store::query::{EpisodeRow, ListFilter};
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

/// Filters, sorts and pages the episodes; returns the page and the total.
pub fn select(rows: Vec<EpisodeRow>, q: &ListQuery) -> Result<(Vec<EpisodeRow>, usize), WebError> {
    let needle =
        q.q.as_deref()
            .map(str::to_lowercase)
            .filter(|s| !s.trim().is_empty());
    let mut rows: Vec<EpisodeRow> = rows
        .into_iter()
        .filter(|r| {
            q.collection
                .as_ref()
                .is_none_or(|c| c.is_empty() || *c == r.collection)
        })
        .filter(|r| {
            needle.as_ref().is_none_or(|n| {
                r.title
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(n.as_str())
                    || r.guests
                        .iter()
                        .any(|g| g.to_lowercase().contains(n.as_str()))
            })
        })
        .collect();
    match q.sort.as_deref().unwrap_or("number") {
        "number" => rows.sort_by(|a, b| (&a.collection, a.number).cmp(&(&b.collection, b.number))),
        "date" => rows.sort_by(|a, b| a.published.cmp(&b.published)),
        "title" => rows.sort_by(|a, b| a.title.cmp(&b.title)),
        "words" => rows.sort_by_key(|r| r.words),
        "duration" => rows.sort_by_key(|r| r.duration_ms),
        other => {
            return Err(WebError::BadRequest(format!(
                "cannot sort by {other:?}; use number, date, title, words or duration"
            )))
        }
    }
    match q.dir.as_deref().unwrap_or("asc") {
        "asc" => {}
        "desc" => rows.reverse(),
        other => {
            return Err(WebError::BadRequest(format!(
                "sort direction {other:?} is neither asc nor desc"
            )))
        }
    }
    let total = rows.len();
    let page = q.page.unwrap_or(1).max(1);
    let rows = rows
        .into_iter()
        .skip((page - 1).saturating_mul(PAGE_SIZE))
        .take(PAGE_SIZE)
        .collect();
    Ok((rows, total))
}

/// `GET /`.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let (rows, collections) = state
        .with_store(|s| {
            let rows = s.list(&ListFilter::default())?;
            let mut collections: Vec<String> = rows.iter().map(|r| r.collection.clone()).collect();
            collections.dedup();
            Ok((rows, collections))
        })
        .await?;
    let (rows, total) = select(rows, &q)?;
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
            input type="search" name="q" placeholder="title or guest" value=[q.q.as_deref()];
            select name="collection" {
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
