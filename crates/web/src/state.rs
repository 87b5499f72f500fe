//! Shared state: the database path and a small pool of open connections, so
//! requests run on blocking threads without opening SQLite each time.

use podcorpus_search::{SearchError, SearchIndex};
use podcorpus_store::{Store, StoreError};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    pool: Mutex<Vec<Store>>,
    index: Option<SearchIndex>,
    wer: WerCache,
    corpus: tokio::sync::OnceCell<Arc<crate::pages::stats::CorpusView>>,
}

/// Word error rates already computed, by (reference, hypothesis) transcript
/// id: an alignment of a 4-hour episode is worth doing once, not per view.
pub type WerCache = Arc<Mutex<std::collections::HashMap<(i64, i64), f64>>>;

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The user named something that is not there (404).
    #[error("{0}")]
    NotFound(String),
    /// The request itself is wrong (400).
    #[error("{0}")]
    BadRequest(String),
    /// The store failed (500, logged).
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => WebError::NotFound(m),
            other => WebError::Store(other),
        }
    }
}

impl From<SearchError> for WebError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Syntax(_) | SearchError::Option(_) => WebError::BadRequest(e.to_string()),
            SearchError::Empty => WebError::NotFound(e.to_string()),
            SearchError::Store(s) => WebError::from(s),
            other => WebError::Store(StoreError::Corrupt(other.to_string())),
        }
    }
}

impl AppState {
    /// Opens the database once to check it, and keeps it for the pool; brings
    /// the search index up to date and opens it (an empty corpus has none).
    pub fn new(db: PathBuf) -> Result<AppState, StoreError> {
        let first = Store::open(&db)?;
        let index = match SearchIndex::open_current(&first, &podcorpus_search::index_dir(&db)) {
            Ok((index, _)) => Some(index),
            Err(e) => {
                tracing::warn!("search is off: {e}");
                None
            }
        };
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                pool: Mutex::new(vec![first]),
                index,
                wer: WerCache::default(),
                corpus: tokio::sync::OnceCell::new(),
            }),
        })
    }

    /// The corpus statistics and charts, computed on first use.
    pub async fn corpus_view(&self) -> Result<Arc<crate::pages::stats::CorpusView>, WebError> {
        let inner = self.inner.clone();
        let this = self.clone();
        inner
            .corpus
            .get_or_try_init(|| async move {
                this.with_store(|s| crate::pages::stats::compute(s).map(Arc::new))
                    .await
            })
            .await
            .cloned()
    }

    /// The cache of word error rates.
    pub fn wer_cache(&self) -> WerCache {
        self.inner.wer.clone()
    }

    /// Runs `f` with the search index on a blocking thread.
    pub async fn with_index<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&SearchIndex) -> Result<T, SearchError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || match &inner.index {
            Some(ix) => f(ix).map_err(WebError::from),
            None => Err(WebError::NotFound(
                "search is not available: the corpus is empty; import transcripts first".into(),
            )),
        })
        .await
        .map_err(|e| WebError::Store(StoreError::Corrupt(format!("worker failed: {e}"))))?
    }

    /// Runs `f` with a store on a blocking thread (SQLite calls block).
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, WebError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let store = match inner.pool.lock().ok().and_then(|mut p| p.pop()) {
                Some(s) => s,
                None => Store::open(&inner.db)?,
            };
            let out = f(&store);
            if let Ok(mut pool) = inner.pool.lock() {
                pool.push(store);
            }
            out
        })
        .await
        .map_err(|e| WebError::Store(StoreError::Corrupt(format!("worker failed: {e}"))))?
    }
}
