//! `GET /trend?q=a,b&by=year` and `GET /api/trend`: `podcorpus trend` as a
//! page (the line chart inline, a row per term and period) and as JSON (the
//! rows `--json` prints), over the corpus the statistics page keeps (best
//! source of each episode). Terms are comma-separated; episodes without a
//! date are left out, and the page says how many.

use super::dispersion::given;
use super::layout::page as frame;
use crate::api::ApiError;
use crate::state::{AppState, WebError};
use axum::extract::{Query, State};
use axum::response::{Html, Json};
use maud::{html, Markup, PreEscaped};
use podcorpus_analysis::dispersion::{docs_with_guest, Find};
use podcorpus_analysis::plots;
use podcorpus_analysis::trend::{trend_of, By, Trend, TrendRow};
use podcorpus_search::pattern::Pattern;
use serde::Deserialize;

/// The form's fields (and the API's parameters).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TrendQuery {
    /// Words or phrases, separated by commas.
    pub q: Option<String>,
    /// `year` (the default) or `month`.
    pub by: Option<String>,
    /// Only episodes whose guests include this name.
    pub guest: Option<String>,
}

impl TrendQuery {
    /// The terms, trimmed, empty ones dropped.
    fn terms(&self) -> Vec<String> {
        self.q
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn by(&self) -> Result<By, WebError> {
        match given(&self.by) {
            None => Ok(By::Year),
            Some(b) => By::parse(&b)
                .ok_or_else(|| WebError::BadRequest(format!("by={b:?}: give year or month"))),
        }
    }
}

/// The trend and its chart, or `None` without terms.
async fn run(
    state: &AppState,
    q: &TrendQuery,
    plot: bool,
) -> Result<Option<(Trend, Option<String>)>, WebError> {
    let terms = q.terms();
    if terms.is_empty() {
        return Ok(None);
    }
    let by = q.by()?;
    let guest = given(&q.guest);
    let view = state.corpus_view().await?;
    let work = move || -> Result<(Trend, Option<String>), WebError> {
        let patterns = terms
            .iter()
            .map(|t| Pattern::parse(t, false))
            .collect::<Result<Vec<_>, _>>()?;
        let finds: Vec<Box<Find>> = patterns
            .iter()
            .map(|p| Box::new(move |t: &[&str]| p.find(t)) as Box<Find>)
            .collect();
        let named: Vec<(&str, &Find)> = terms
            .iter()
            .map(String::as_str)
            .zip(finds.iter().map(|f| &**f))
            .collect();
        let docs = docs_with_guest(&view.corpus, guest.as_deref());
        let t = trend_of(&view.corpus, &docs, by, &named);
        let svg = if plot && !t.rows.is_empty() {
            match plots::trend(&t.rows) {
                Ok(svg) => Some(svg),
                Err(e) => {
                    tracing::warn!("{e}");
                    None
                }
            }
        } else {
            None
        };
        Ok((t, svg))
    };
    let out = tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WebError::BadRequest(format!("worker failed: {e}")))??;
    Ok(Some(out))
}

fn form(q: &TrendQuery) -> Markup {
    let monthly = q.by.as_deref() == Some("month");
    html! {
        form.filters method="get" action="/trend" {
            label.vh for="f-q" { "Words or phrases" }
            input #f-q type="search" name="q" size="40" placeholder="love, fear, meaning of life" value=[q.q.as_deref()] autofocus;
            label.vh for="f-by" { "Period" }
            select #f-by name="by" {
                option value="year" selected[!monthly] { "by year" }
                option value="month" selected[monthly] { "by month" }
            }
            label.vh for="f-guest" { "Guest" }
            input #f-guest type="text" name="guest" placeholder="guest" value=[q.guest.as_deref()];
            button type="submit" { "Draw" }
        }
    }
}

/// `GET /trend?q=a,b&by=year&guest=`.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<TrendQuery>,
) -> Result<Html<String>, WebError> {
    let result = run(&state, &q, true).await?;
    let body = html! {
        h1 { "Trends" }
        p.muted { "Occurrences per million tokens per year or month of publication, terms separated by commas. Numbers as " code { "podcorpus trend" } " prints them (best source of each episode)." }
        (form(&q))
        @if let Some((t, svg)) = &result {
            @if !t.undated.is_empty() {
                p.muted { (t.undated.len()) " episodes without a date left out." }
            }
            @if t.rows.is_empty() {
                p { "No selected episode has a date." }
            }
            @if let Some(svg) = svg { figure.chart { (PreEscaped(svg)) } }
            @if !t.rows.is_empty() {
                (rows(&t.rows))
            }
        }
    };
    Ok(Html(frame("Trends", body).into_string()))
}

fn rows(rows: &[TrendRow]) -> Markup {
    html! {
        table {
            tr { th { "term" } th { "period" } th.num { "count" } th.num { "tokens" } th.num { "per million" } }
            @for r in rows {
                tr { td { (r.term) } td { (r.period) } td.num { (r.count) } td.num { (r.tokens) } td.num { (format!("{:.1}", r.per_million)) } }
            }
        }
    }
}

/// `GET /api/trend?q=a,b&by=year&guest=`: the rows `podcorpus trend --json`
/// prints.
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<TrendQuery>,
) -> Result<Json<Vec<TrendRow>>, ApiError> {
    match run(&state, &q, false).await? {
        Some((t, _)) => Ok(Json(t.rows)),
        None => Err(WebError::BadRequest("give words or phrases: ?q=a,b".into()).into()),
    }
}
