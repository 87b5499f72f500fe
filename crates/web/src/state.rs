//! Shared state: the corpus opened read-only and a small pool of its
//! connections, so requests run on blocking threads without opening SQLite
//! each time; the search index opened for reading; what is computed once.
//!
//! The server never changes the corpus: it does not migrate the database or
//! build the index. When either needs it, it says which command to run
//! ([`AppState::notices`]) and serves what it can.

use crate::meaning::Meaning;
use axum::http::StatusCode;
use podcorpus_search::{SearchError, SearchIndex};
use podcorpus_semantic::SemanticError;
use podcorpus_store::{ReadOnly, Store, StoreError};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    corpus_ro: ReadOnly,
    pool: Mutex<Vec<Store>>,
    /// What the server tells whoever runs it at start, e.g. a command to run.
    notices: Vec<String>,
    pages: crate::page_cache::PageCache,
    index: Mutex<IndexSlot>,
    wer: WerCache,
    corpus: tokio::sync::Mutex<Option<CorpusSlot>>,
    meaning: Meaning,
    version: Arc<crate::caching::DataVersion>,
}

/// The search index as the server last saw it. An `import` or `reindex` in
/// another process commits to the same index folder; the server looks for
/// such commits at most once a second, and opens the index late when the
/// corpus was empty at start.
struct IndexSlot {
    index: Option<Arc<SearchIndex>>,
    checked: Instant,
}

/// How often the server looks for a newer search index, newly embedded
/// passages, or changed transcripts under its statistics.
pub(crate) const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The statistics view, and the transcripts it was computed from.
struct CorpusSlot {
    view: Arc<crate::pages::stats::CorpusView>,
    content: u64,
    checked: Instant,
}

/// A digest of rows keyed by id (transcript fingerprints, embedded
/// transcripts), to tell cheaply whether they changed.
pub(crate) fn digest(rows: std::collections::HashMap<i64, String>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut rows: Vec<(i64, String)> = rows.into_iter().collect();
    rows.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    rows.hash(&mut h);
    h.finish()
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
    /// Something the server needs is not set up yet, e.g. the embedding
    /// model or the passage embeddings for search by meaning (503).
    #[error("{0}")]
    Unavailable(String),
    /// The store failed (500, logged).
    #[error("{0}")]
    Store(StoreError),
}

impl WebError {
    /// The HTTP status of the error, and its title on an error page; a
    /// store failure is logged here, once, as the response is made.
    pub fn status(&self) -> (StatusCode, &'static str) {
        match self {
            WebError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found"),
            WebError::BadRequest(_) => (StatusCode::BAD_REQUEST, "Bad request"),
            WebError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "Not available"),
            WebError::Store(e) => {
                tracing::error!("store error: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, "Server error")
            }
        }
    }
}

impl From<SemanticError> for WebError {
    fn from(e: SemanticError) -> Self {
        match e {
            SemanticError::Model(_) | SemanticError::Usage(_) => {
                WebError::Unavailable(e.to_string())
            }
            SemanticError::Embed(m) => WebError::BadRequest(format!("embedding failed: {m}")),
            SemanticError::Store(s) => WebError::from(s),
            SemanticError::Search(s) => WebError::from(s),
        }
    }
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
    /// [`AppState::with_model_dir`] with the model found where `podcorpus
    /// embed` finds it.
    pub fn new(db: PathBuf) -> Result<AppState, StoreError> {
        AppState::with_model_dir(db, None)
    }

    /// Opens the corpus read-only (see [`ReadOnly`]) and keeps the first
    /// connection for the pool; opens the search index for reading as it is
    /// (without one, search says which command builds it). Search by
    /// meaning loads the model from `model_dir` on first use.
    pub fn with_model_dir(db: PathBuf, model_dir: Option<PathBuf>) -> Result<AppState, StoreError> {
        let corpus_ro = ReadOnly::open(&db)?;
        let mut notices: Vec<String> = corpus_ro.advice().map(str::to_string).into_iter().collect();
        let first = corpus_ro.connect()?;
        let (index, advice) = open_index(&first, &db);
        notices.extend(advice);
        for n in &notices {
            tracing::warn!("{n}");
        }
        let version = crate::caching::DataVersion::watch(corpus_ro.connect()?);
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                corpus_ro,
                pool: Mutex::new(vec![first]),
                notices,
                pages: crate::page_cache::PageCache::new(crate::page_cache::BUDGET),
                index: Mutex::new(IndexSlot {
                    index,
                    checked: Instant::now(),
                }),
                wer: WerCache::default(),
                corpus: tokio::sync::Mutex::new(None),
                meaning: Meaning::new(model_dir),
                version,
            }),
        })
    }

    /// The corpus statistics and charts, computed on first use and again
    /// when the transcripts have changed (checked at most once a second).
    pub async fn corpus_view(&self) -> Result<Arc<crate::pages::stats::CorpusView>, WebError> {
        // An async lock: concurrent first views wait for one computation.
        let mut slot = self.inner.corpus.lock().await;
        if let Some(c) = slot.as_ref().filter(|c| c.checked.elapsed() < CHECK_EVERY) {
            return Ok(c.view.clone());
        }
        let content = self
            .with_store(|s| Ok(digest(s.transcript_fingerprints()?)))
            .await?;
        if let Some(c) = slot.as_mut().filter(|c| c.content == content) {
            c.checked = Instant::now();
            return Ok(c.view.clone());
        }
        let view = self
            .with_store(|s| crate::pages::stats::compute(s).map(Arc::new))
            .await?;
        *slot = Some(CorpusSlot {
            view: view.clone(),
            content,
            checked: Instant::now(),
        });
        Ok(view)
    }

    /// The numbers of one episode of the statistics (see
    /// [`crate::pages::stats::CorpusView::episode`]), on a blocking thread.
    pub async fn episode_numbers(
        &self,
        name: String,
    ) -> Result<Arc<crate::pages::stats::EpisodeNumbers>, WebError> {
        let view = self.corpus_view().await?;
        blocking(move || view.episode(&name)).await
    }

    /// What the server told whoever runs it at start: that the database
    /// needs a migration, that the index is missing or behind, each with the
    /// command that fixes it.
    pub fn notices(&self) -> &[String] {
        &self.inner.notices
    }

    /// The cache of rendered answers.
    pub(crate) fn pages(&self) -> &crate::page_cache::PageCache {
        &self.inner.pages
    }

    /// The corpus's data version, for ETags.
    pub(crate) fn data_version(&self) -> &crate::caching::DataVersion {
        &self.inner.version
    }

    /// The cache of word error rates.
    pub fn wer_cache(&self) -> WerCache {
        self.inner.wer.clone()
    }

    /// The search index, with what other processes committed to it up to a
    /// second ago; opened now if the corpus was empty until now.
    /// Blocking: call it on a blocking thread.
    fn index(&self) -> Result<Arc<SearchIndex>, WebError> {
        let mut slot = self
            .inner
            .index
            .lock()
            .map_err(|_| WebError::Store(StoreError::Corrupt("index lock poisoned".into())))?;
        if slot.checked.elapsed() >= CHECK_EVERY {
            slot.checked = Instant::now();
            match &slot.index {
                Some(ix) => {
                    if let Err(e) = ix.reload() {
                        tracing::warn!("keeping the index as it was: {e}");
                    }
                }
                // Rare (no index at start): a connection of its own.
                None => slot.index = open_index(&self.inner.corpus_ro.connect()?, &self.inner.db).0,
            }
        }
        slot.index.clone().ok_or_else(|| {
            WebError::Unavailable(format!(
                "search is not available: there is no search index at {}; `podcorpus --db {} reindex` builds it (or import transcripts, which does too)",
                podcorpus_search::index_dir(&self.inner.db).display(),
                podcorpus_store::location::shown(&self.inner.db)
            ))
        })
    }

    /// Runs `f` on a blocking thread with what a search by meaning needs:
    /// a store, the keyword index (hybrid search fuses it), and the loaded
    /// vectors and model.
    pub async fn with_meaning<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Store, &SearchIndex, &crate::meaning::Loaded) -> Result<T, SemanticError>
            + Send
            + 'static,
    {
        let this = self.clone();
        self.with_store(move |store| {
            let index = this.index()?;
            let loaded = this.inner.meaning.get(store)?;
            Ok(f(store, &index, &loaded)?)
        })
        .await
    }

    /// Runs `f` with the search index on a blocking thread.
    pub async fn with_index<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&SearchIndex) -> Result<T, SearchError> + Send + 'static,
    {
        let this = self.clone();
        // A search needs no connection from the pool: the index is enough.
        blocking(move || Ok(f(&*this.index()?)?)).await
    }

    /// Runs `f` with a store on a blocking thread (SQLite calls block).
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, WebError> + Send + 'static,
    {
        let inner = self.inner.clone();
        blocking(move || {
            let store = match inner.pool.lock().ok().and_then(|mut p| p.pop()) {
                Some(s) => s,
                None => inner.corpus_ro.connect()?,
            };
            let out = f(&store);
            if let Ok(mut pool) = inner.pool.lock() {
                pool.push(store);
            }
            out
        })
        .await
    }
}

/// Runs `f` on a blocking thread; a worker that panicked is a server error.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Store(StoreError::Corrupt(format!("worker failed: {e}"))))?
}

/// Opens the search index for reading as it is, with what to tell the user
/// when it is behind the store or missing (which turns search off).
fn open_index(store: &Store, db: &std::path::Path) -> (Option<Arc<SearchIndex>>, Option<String>) {
    match SearchIndex::open_read_only(store, &podcorpus_search::index_dir(db)) {
        Ok((index, behind)) => (Some(Arc::new(index)), behind),
        Err(e) => (None, Some(e.to_string())),
    }
}
