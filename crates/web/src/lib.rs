//! The podcorpus web reader: server-side HTML pages and a JSON API over the
//! corpus, read-only, bound to 127.0.0.1 by default.
//!
//! Every page is rendered with maud, which escapes all text it is given:
//! transcripts, titles and descriptions hold `<`, `&` and stray HTML, and none
//! of it can reach the page unescaped. No request path touches the filesystem.
//!
//! Answers are compressed (gzip or brotli, as the client accepts) and carry
//! an ETag of the corpus's data version ([`caching`]); pages are kept
//! rendered and compressed until the corpus changes ([`page_cache`]). The
//! server opens the corpus read-only and changes nothing in its folder.

mod api;
mod caching;
mod meaning;
mod page_cache;
mod pages;
mod paragraphs;
mod state;

pub use state::AppState;

use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The application's routes over a database.
pub fn router(state: AppState) -> Router {
    // Answers that depend only on the path and the corpus: kept rendered
    // and compressed until the corpus changes.
    let kept = Router::new()
        .route("/", get(pages::episodes::page))
        .route("/e/{collection}/{number}", get(pages::episode::page))
        .route("/stats", get(pages::stats::page))
        .route("/profile", get(pages::profile::page))
        .route("/style.css", get(pages::layout::stylesheet))
        .route("/api/episodes", get(api::episodes))
        .route("/api/episodes/{collection}/{number}", get(api::episode))
        .route("/api/stats", get(api::stats))
        .route("/api/profile", get(pages::profile::api))
        .route("/api/openapi.json", get(api::openapi))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ));
    Router::new()
        .route("/search", get(pages::search::page))
        .route("/kwic", get(pages::search::kwic_page))
        .route("/api/search", get(api::search))
        .route("/api/kwic", get(api::kwic))
        // Queries as unbounded as searches: computed each time, not kept.
        .route("/dispersion", get(pages::dispersion::page))
        .route("/trend", get(pages::trend::page))
        .route("/api/dispersion", get(pages::dispersion::api))
        .route("/api/trend", get(pages::trend::api))
        .merge(kept)
        .fallback(pages::error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            caching::revalidate,
        ))
        // Outermost: gzip or brotli as the client accepts (not 304s, which have
        // no body). Level 4: brotli's default (11) made the longest episode
        // page 5x slower to serve than uncompressed; 4 keeps most of the size.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .with_state(state)
}

/// Serves the reader until the process is stopped; search by meaning loads
/// the embedding model from `model_dir` (default: where `podcorpus embed`
/// finds it) on first use.
pub async fn serve(
    db: PathBuf,
    addr: SocketAddr,
    model_dir: Option<PathBuf>,
) -> std::io::Result<()> {
    // Opening connects to the store, which blocks (a PostgreSQL client runs
    // its own small runtime): off the async threads, as every query is.
    let state = tokio::task::spawn_blocking(move || AppState::with_model_dir(db, model_dir))
        .await
        .map_err(std::io::Error::other)?
        .map_err(std::io::Error::other)?;
    for n in state.notices() {
        eprintln!("podcorpus: {n}");
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    axum::serve(listener, router(state)).await
}
