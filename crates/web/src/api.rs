//! The JSON API under `/api/`, the same data as the pages, documented in the
//! OpenAPI file served at `/api/openapi.json`.

use crate::pages::episode::load;
use crate::pages::episodes::{select, ListQuery, PAGE_SIZE};
use crate::pages::search::{run_kwic, run_search, SearchQuery};
use crate::state::{AppState, WebError};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Json, Response};
use serde_json::{json, Value};

/// Errors as JSON with the right status.
pub struct ApiError(WebError);

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _) = self.0.status();
        (status, Json(json!({ "error": self.0.to_string() }))).into_response()
    }
}

/// `GET /api/episodes?q=&collection=&sort=&dir=&page=`.
pub async fn episodes(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let (rows, total) = select(&state, &q).await?;
    Ok(Json(
        json!({ "total": total, "page": q.page.unwrap_or(1).max(1), "page_size": PAGE_SIZE, "episodes": rows }),
    ))
}

/// `GET /api/episodes/{collection}/{number}?source=`: the episode with its
/// transcript in paragraphs.
pub async fn episode(
    State(state): State<AppState>,
    Path((collection, number)): Path<(String, String)>,
    Query(q): Query<crate::pages::episode::EpisodeQuery>,
) -> Result<Json<Value>, ApiError> {
    let cache = state.wer_cache();
    let v = state
        .with_store(move |s| load(s, &collection, &number, q.source.as_deref(), &cache))
        .await?;
    let paragraphs: Vec<Value> = v
        .paragraphs
        .iter()
        .map(|p| json!({ "start_ms": p.start_ms, "chapter": p.chapter, "text": p.text }))
        .collect();
    let mut doc =
        serde_json::to_value(&v.detail).map_err(|e| WebError::BadRequest(e.to_string()))?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("source".into(), json!(v.source));
        if let Some((r, h, w)) = &v.wer {
            obj.insert(
                "wer".into(),
                json!({ "reference": r, "hypothesis": h, "wer": w }),
            );
        }
        obj.insert("paragraphs".into(), Value::Array(paragraphs));
    }
    Ok(Json(doc))
}

/// `GET /api/search?q=&mode=&collection=&source=&since=&until=&all_sources=&limit=&in=`.
pub async fn search(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Value>, ApiError> {
    if q.q.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(WebError::BadRequest("give a query: ?q=...".into()).into());
    }
    let hits = run_search(&state, &q).await?;
    Ok(Json(
        json!({ "query": q.q, "mode": q.mode()?.name(), "hits": hits }),
    ))
}

/// `GET /api/kwic?q=&window=&sort=&in=` (lines capped, totals whole).
pub async fn kwic(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Value>, ApiError> {
    match run_kwic(&state, &q).await? {
        Some(c) => Ok(Json(
            serde_json::to_value(&c).map_err(|e| WebError::BadRequest(e.to_string()))?,
        )),
        None => Err(WebError::BadRequest("give a word or phrase: ?q=...".into()).into()),
    }
}

/// `GET /api/stats?episode=`: the numbers of `podcorpus stats`, for the
/// corpus or one episode (with its top keywords).
pub async fn stats(
    State(state): State<AppState>,
    Query(q): Query<crate::pages::stats::StatsQuery>,
) -> Result<Json<Value>, ApiError> {
    match q.episode.as_deref().filter(|e| !e.is_empty()) {
        None => Ok(Json(json!({ "stats": state.corpus_view().await?.stats }))),
        Some(name) => {
            let e = state.episode_numbers(name.to_string()).await?;
            Ok(Json(
                json!({ "episode": e.name, "stats": e.stats, "keywords": e.keywords }),
            ))
        }
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

const OPENAPI: &str = include_str!("openapi.json");
