//! HTTP caching: every page and API answer carries a weak ETag naming the
//! corpus's data version, a request whose `If-None-Match` names the current
//! one gets `304 Not Modified` without the page being computed again, and
//! `Cache-Control: no-cache` tells browsers to keep answers but ask first.
//!
//! The data version is SQLite's `PRAGMA data_version` of one connection that
//! the server keeps for asking: it moves when an import, a summary or an
//! embedding run in another process commits. A thread asks once a second
//! (the same second within which the server already notices a new index),
//! so a request only reads an atomic.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use podcorpus_store::Store;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

/// The corpus's data version as the server last saw it.
pub(crate) struct DataVersion {
    /// Distinguishes this server's counts from another run's.
    run: u64,
    /// Changes seen since the server started.
    changes: AtomicU64,
}

impl DataVersion {
    /// Starts watching the database through `store` (a connection of its
    /// own) on a thread of its own, which ends when the returned version is
    /// dropped.
    pub(crate) fn watch(store: Store) -> Arc<DataVersion> {
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        let version = Arc::new(DataVersion {
            run,
            changes: AtomicU64::new(0),
        });
        let weak: Weak<DataVersion> = Arc::downgrade(&version);
        std::thread::spawn(move || {
            let mut last = store.data_version().ok();
            loop {
                std::thread::sleep(crate::state::CHECK_EVERY);
                let Some(version) = weak.upgrade() else {
                    return;
                };
                let now = store.data_version().ok();
                if now != last {
                    last = now;
                    version.changes.fetch_add(1, Ordering::Release);
                }
            }
        });
        version
    }

    /// Changes seen since the server started: what the page cache is keyed by.
    pub(crate) fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// The weak ETag of every answer at this version.
    pub(crate) fn etag(&self) -> String {
        format!(
            "W/\"{:x}-{}\"",
            self.run,
            self.changes.load(Ordering::Acquire)
        )
    }
}

/// Whether an `If-None-Match` header names `etag` (weak comparison).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    podcorpus_core::headers::none_match(
        headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok()),
        etag,
    )
}

/// The caching middleware: 304 for a current `If-None-Match`, else the
/// answer with its ETag and Cache-Control.
pub(crate) async fn revalidate(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let etag = state.data_version().etag();
    let cacheable = matches!(*req.method(), Method::GET | Method::HEAD);
    let tag = HeaderValue::from_str(&etag).ok();
    if cacheable && matches(req.headers(), &etag) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        if let Some(t) = tag {
            not_modified.headers_mut().insert(header::ETAG, t);
        }
        not_modified
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return not_modified;
    }
    let mut res = next.run(req).await;
    if cacheable && res.status() == StatusCode::OK {
        if let Some(t) = tag {
            res.headers_mut().insert(header::ETAG, t);
        }
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}
