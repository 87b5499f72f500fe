//! Semantic search: finding passages by meaning, offline.
//!
//! Passages are the keyword index's own units ([`podcorpus_search::passages`]).
//! [`model`] finds the all-MiniLM-L6-v2 files on disk, [`embed`] turns text
//! into unit vectors with candle, [`corpus`] keeps the stored embeddings
//! current (only new or changed passage texts are computed), [`knn`] ranks
//! passages by cosine, [`fuse`] merges keyword and semantic rankings, and
//! [`hits`] answers queries with the keyword search's [`Hit`] shape.

pub mod corpus;
pub mod embed;
pub mod fuse;
pub mod hits;
pub mod knn;
pub mod model;

pub use corpus::{update, UpdateOptions, UpdateReport, VectorIndex};
pub use embed::Embedder;
pub use hits::{hybrid, semantic, similar, Anchor};
pub use podcorpus_search::{Filter, Hit};

/// What can go wrong in semantic search.
#[derive(Debug, thiserror::Error)]
pub enum SemanticError {
    /// The model is missing or unreadable.
    #[error("{0}")]
    Model(String),
    /// The model failed on some input.
    #[error("embedding failed: {0}")]
    Embed(String),
    /// An option has a value that cannot be used, or nothing is embedded yet.
    #[error("{0}")]
    Usage(String),
    /// The store could not be read or written.
    #[error(transparent)]
    Store(#[from] podcorpus_store::StoreError),
    /// Keyword search failed (in hybrid search).
    #[error(transparent)]
    Search(#[from] podcorpus_search::SearchError),
}

/// Result alias for semantic search.
pub type Result<T, E = SemanticError> = std::result::Result<T, E>;
