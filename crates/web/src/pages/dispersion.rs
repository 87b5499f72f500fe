//! `GET /dispersion?q=` and `GET /api/dispersion?q=`: `podcorpus dispersion`
//! as a page (its barcode plot inline, the measures, a row per episode) and
//! as JSON (what `--json` prints), over the corpus the statistics page keeps
//! (best source of each episode). The matching is CPU work, done on a
//! blocking thread.

use super::episodes::encode;
use super::layout::page as frame;
use crate::api::ApiError;
use crate::state::{AppState, WebError};
use axum::extract::{Query, State};
use axum::response::{Html, Json};
use maud::{html, Markup, PreEscaped};
use podcorpus_analysis::dispersion::{dispersion, docs_with_guest, match_starts, Dispersion};
use podcorpus_analysis::plots;
use podcorpus_search::pattern::Pattern;
use serde::Deserialize;

/// The form's fields (and the API's parameters).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct DispersionQuery {
    /// A word or phrase.
    pub q: Option<String>,
    /// Only episodes whose guests include this name.
    pub guest: Option<String>,
}

/// A form field's value, empty meaning absent.
pub(crate) fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The dispersion and its plot, or `None` without a query.
async fn run(
    state: &AppState,
    q: &DispersionQuery,
    plot: bool,
) -> Result<Option<(Dispersion, Option<String>)>, WebError> {
    let Some(query) = given(&q.q) else {
        return Ok(None);
    };
    let guest = given(&q.guest);
    let view = state.corpus_view().await?;
    let work = move || -> Result<(Dispersion, Option<String>), WebError> {
        let pattern = Pattern::parse(&query, false)?;
        let docs = docs_with_guest(&view.corpus, guest.as_deref());
        let starts = match_starts(&view.corpus, &docs, &|t: &[&str]| pattern.find(t));
        let d = dispersion(&view.corpus, &docs, &query, &starts);
        let svg = match plot.then(|| plots::dispersion(&d)).transpose() {
            Ok(svg) => svg,
            Err(e) => {
                tracing::warn!("{e}");
                None
            }
        };
        Ok((d, svg))
    };
    let out = tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WebError::BadRequest(format!("worker failed: {e}")))??;
    Ok(Some(out))
}

/// A measure to three places, or a dash when undefined.
fn num(v: Option<f64>) -> String {
    v.map_or("–".to_string(), |v| format!("{v:.4}"))
}

fn form(q: &DispersionQuery) -> Markup {
    html! {
        form.filters method="get" action="/dispersion" {
            label.vh for="f-q" { "Word or phrase" }
            input #f-q type="search" name="q" size="40" placeholder="a word or \"a phrase\"" value=[q.q.as_deref()] autofocus;
            label.vh for="f-guest" { "Guest" }
            input #f-guest type="text" name="guest" placeholder="guest" value=[q.guest.as_deref()];
            button type="submit" { "Plot" }
        }
    }
}

/// `GET /dispersion?q=&guest=`.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<DispersionQuery>,
) -> Result<Html<String>, WebError> {
    let result = run(&state, &q, true).await?;
    let body = html! {
        h1 { "Dispersion" }
        p.muted { "Where a word or phrase falls in each episode, and how evenly it spreads over them. Numbers as " code { "podcorpus dispersion" } " prints them (best source of each episode)." }
        (form(&q))
        @if let Some((d, svg)) = &result {
            @let m = &d.measures;
            table.stats {
                tr { th { "Hits" } td.num { (m.hits) } }
                tr { th { "Tokens" } td.num { (m.tokens) } }
                tr { th { "Per million tokens" } td.num { (format!("{:.1}", m.per_million)) } }
                tr { th { "Range" } td.num { (m.range) " of " (m.parts) " episodes" } }
                tr { th { "Juilland's D" } td.num { (num(m.juilland_d)) } }
                tr { th { "DP" } td.num { (num(m.dp)) } }
                tr { th { "DPnorm" } td.num { (num(m.dp_norm)) } }
            }
            @if let Some(svg) = svg { figure.chart { (PreEscaped(svg)) } }
            table {
                tr { th { "episode" } th.num { "tokens" } th.num { "hits" } th.num { "per million" } }
                @for p in &d.episodes {
                    @let (c, n) = p.episode.rsplit_once('/').unwrap_or((&p.episode, ""));
                    tr {
                        td { a href=(format!("/e/{}/{}", encode(c), encode(n))) { (p.episode) } " " span.muted { (p.title.as_deref().unwrap_or("")) } }
                        td.num { (p.tokens) }
                        td.num { (p.hits) }
                        td.num { (format!("{:.1}", if p.tokens > 0 { p.hits as f64 / p.tokens as f64 * 1e6 } else { 0.0 })) }
                    }
                }
            }
        }
    };
    Ok(Html(frame("Dispersion", body).into_string()))
}

/// `GET /api/dispersion?q=&guest=`: what `podcorpus dispersion --json` prints.
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<DispersionQuery>,
) -> Result<Json<Dispersion>, ApiError> {
    match run(&state, &q, false).await? {
        Some((d, _)) => Ok(Json(d)),
        None => Err(WebError::BadRequest("give a word or phrase: ?q=...".into()).into()),
    }
}
