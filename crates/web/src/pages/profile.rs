//! `GET /profile` and `GET /api/profile`: the vocabulary profile of
//! `podcorpus profile` (each wordfreq `large_en` band's share of tokens and
//! types, the off-list words) for the corpus, an episode, a guest, or every
//! episode or guest side by side, with the SVG bar chart of the bands. The
//! numbers and the JSON are the CLI's; the corpus is the statistics page's
//! (read once, kept until an import), and the answers are kept rendered by
//! the page cache. The work is CPU-bound and runs on a blocking thread.

use super::episodes::encode;
use super::layout::page as frame;
use crate::state::{AppState, WebError};
use axum::extract::{Query, State};
use axum::response::{Html, Json};
use maud::{html, Markup, PreEscaped};
use podcorpus_analysis::corpus::Doc;
use podcorpus_analysis::profile::{by_guest, shared_large_en, Profile, Profiler};
use podcorpus_analysis::profile_plot::bands_chart;
use serde::Deserialize;
use serde_json::Value;

/// The most off-list words a page lists.
const MAX_LIMIT: usize = 1000;

/// The query string of both.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileQuery {
    /// One episode (`COLLECTION/NUMBER`).
    pub episode: Option<String>,
    /// The episodes whose guests include this name.
    pub guest: Option<String>,
    /// `episode` or `guest`: one profile each, side by side.
    pub by: Option<String>,
    /// How many off-list words (default 20).
    pub limit: Option<usize>,
}

/// What was asked, computed.
enum Answer {
    /// One profile of some documents, under a label.
    One(String, Profile),
    /// `by`, and one profile per episode or guest.
    By(String, Vec<(String, Profile)>),
}

/// Profiles what `q` names, off the async threads.
async fn compute(state: &AppState, q: ProfileQuery) -> Result<Answer, WebError> {
    let view = state.corpus_view().await?;
    let worker = tokio::task::spawn_blocking(move || {
        let words = shared_large_en().map_err(|e| WebError::Unavailable(e.to_string()))?;
        let corpus = &view.corpus;
        let profiler = Profiler::new(corpus, &words);
        let limit = q.limit.unwrap_or(20).min(MAX_LIMIT);
        let some = |s: &Option<String>| s.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
        match (some(&q.by), some(&q.episode), some(&q.guest)) {
            (Some(by), None, None) => {
                let groups: Vec<(String, Vec<&Doc>)> = match by.as_str() {
                    "guest" => by_guest(corpus),
                    "episode" => corpus
                        .docs
                        .iter()
                        .map(|d| (d.name.clone(), vec![d]))
                        .collect(),
                    _ => {
                        return Err(WebError::BadRequest(format!(
                            "by={by:?}: give by=episode or by=guest"
                        )))
                    }
                };
                let rows = groups
                    .into_iter()
                    .map(|(name, docs)| {
                        let p = profiler.profile(&docs, limit);
                        (name, p)
                    })
                    .collect();
                Ok(Answer::By(by, rows))
            }
            (Some(_), _, _) => Err(WebError::BadRequest(
                "by= profiles every episode or guest: give no episode or guest with it".into(),
            )),
            (None, Some(name), None) => {
                let Some(d) = corpus.docs.iter().find(|d| d.name == name) else {
                    return Err(WebError::NotFound(format!(
                        "no episode {name:?} in the corpus"
                    )));
                };
                Ok(Answer::One(name, profiler.profile(&[d], limit)))
            }
            (None, None, Some(guest)) => {
                let g = guest.to_lowercase();
                let docs: Vec<&Doc> = corpus
                    .docs
                    .iter()
                    .filter(|d| d.guests.iter().any(|n| n.to_lowercase().contains(&g)))
                    .collect();
                if docs.is_empty() {
                    return Err(WebError::NotFound(format!(
                        "no episode has a guest matching {guest:?}"
                    )));
                }
                Ok(Answer::One(
                    format!("guest {guest}"),
                    profiler.profile(&docs, limit),
                ))
            }
            (None, Some(_), Some(_)) => Err(WebError::BadRequest(
                "give an episode or a guest, not both".into(),
            )),
            (None, None, None) => {
                let docs: Vec<&Doc> = corpus.docs.iter().collect();
                Ok(Answer::One(
                    "the corpus".into(),
                    profiler.profile(&docs, limit),
                ))
            }
        }
    });
    worker
        .await
        .map_err(|e| WebError::BadRequest(format!("the profile failed: {e}")))?
}

fn pct(x: f64) -> String {
    format!("{:.2} %", 100.0 * x)
}

fn chart(title: &str, profiles: &[(String, &Profile)]) -> Markup {
    match bands_chart(title, profiles) {
        Ok(svg) => html! { figure.chart { (PreEscaped(svg)) } },
        Err(e) => {
            tracing::warn!("{e}");
            html! {}
        }
    }
}

fn one(label: &str, p: &Profile) -> Markup {
    html! {
        p.muted {
            (p.tokens) " tokens, " (p.types) " types against wordfreq's large_en ranks; "
            (p.numbers.tokens) " number tokens left out. As " code { "podcorpus profile" } " prints it."
        }
        (chart(&format!("Vocabulary profile of {label}"), &[(label.to_string(), p)]))
        table.stats {
            tr { th { "band" } th.num { "tokens" } th.num { "% tokens" } th.num { "types" } th.num { "% types" } }
            @for b in &p.bands {
                tr { td { (b.band) } td.num { (b.tokens) } td.num { (pct(b.share)) } td.num { (b.types) } td.num { (pct(b.type_share)) } }
            }
        }
        @if !p.off_list.is_empty() {
            h2 { "Off-list words" }
            table { tr { th { "word" } th.num { "count" } }
                @for w in &p.off_list { tr { td { (w.word) } td.num { (w.count) } } } }
        }
    }
}

fn side_by_side(by: &str, rows: &[(String, Profile)]) -> Markup {
    let refs: Vec<(String, &Profile)> = rows.iter().map(|(n, p)| (n.clone(), p)).collect();
    let bands: Vec<&str> = rows
        .first()
        .map(|(_, p)| p.bands.iter().map(|b| b.band).collect())
        .unwrap_or_default();
    html! {
        p.muted { "Share of each " (by) "'s tokens in each wordfreq large_en band (numbers left out)." }
        // A chart of many groups of bars is unreadable; the table holds them all.
        @if refs.len() <= 8 { (chart(&format!("Vocabulary profile by {by}"), &refs)) }
        table.stats {
            tr { th { (by) } th.num { "tokens" } @for b in &bands { th.num { "% " (b) } } }
            @for (name, p) in rows {
                tr {
                    td { a href=(format!("/profile?{by}={}", encode(name))) { (name) } }
                    td.num { (p.tokens) }
                    @for b in &p.bands { td.num { (format!("{:.2}", 100.0 * b.share)) } }
                }
            }
        }
    }
}

/// `GET /profile?episode=&guest=&by=&limit=`.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    let body = match compute(&state, q).await? {
        Answer::One(label, p) => html! {
            h1 { "Vocabulary profile of " (label) }
            p { "Compare: " a href="/profile?by=guest" { "guests side by side" } " · " a href="/profile?by=episode" { "episodes side by side" } }
            (one(&label, &p))
        },
        Answer::By(by, rows) => html! {
            h1 { "Vocabulary profile by " (by) }
            p { a href="/profile" { "The whole corpus" } }
            (side_by_side(&by, &rows))
        },
    };
    Ok(Html(frame("Vocabulary profile", body).into_string()))
}

/// `GET /api/profile?episode=&guest=&by=&limit=`: the JSON of `podcorpus
/// profile --json` (with `by`, an array of `{name, ...profile}`).
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<ProfileQuery>,
) -> Result<Json<Value>, crate::api::ApiError> {
    let to = |p: &Profile| serde_json::to_value(p).map_err(|e| WebError::BadRequest(e.to_string()));
    let v = match compute(&state, q).await? {
        Answer::One(_, p) => to(&p)?,
        Answer::By(_, rows) => {
            let mut out = Vec::with_capacity(rows.len());
            for (name, p) in &rows {
                let mut v = to(p)?;
                if let Some(o) = v.as_object_mut() {
                    o.insert("name".into(), Value::String(name.clone()));
                }
                out.push(v);
            }
            Value::Array(out)
        }
    };
    Ok(Json(v))
}
