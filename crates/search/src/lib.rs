//! Full-text search (tantivy) and concordance over the corpus.
//!
//! The index lives in a folder beside the database (`<db>.index/`), is
//! derived from the store and can be rebuilt from it at any time. Its unit is
//! a passage of about a hundred words ([`passages`]), or a viewer's comment
//! ([`comments`]); [`index`] builds and updates it, [`query`] parses the query
//! language, [`hits`] ranks passages (or comments) with snippets and links,
//! [`kwic`] lists every occurrence of a word.

pub mod comments;
pub mod compile;
pub mod hits;
pub mod index;
pub mod kwic;
pub mod matcher;
pub mod passages;
pub mod pattern;
pub mod query;
mod read_only;
pub mod schema;
pub mod snippet;
pub mod tokens;

pub use comments::{comment_url, CommentInfo};
pub use hits::{search, Filter, Hit, Kind};
pub use index::{index_dir, SearchIndex, UpdateReport};
pub use kwic::{kwic, Concordance, KwicLine, KwicOptions, Sort};
pub use query::SyntaxError;

/// What can go wrong in search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query does not parse.
    #[error(transparent)]
    Syntax(#[from] query::SyntaxError),
    /// An option has a value that cannot be used.
    #[error("{0}")]
    Option(String),
    /// The corpus has no transcripts yet.
    #[error("the corpus is empty: import transcripts first, e.g. `podcorpus import ../shared/corpus/lexicap/` or `podcorpus import notes.txt`")]
    Empty,
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] podcorpus_store::StoreError),
    /// There is no usable index to read, and the reader may not build one;
    /// the message says which command does.
    #[error("{0}")]
    Unbuilt(String),
    /// The index could not be read or written.
    #[error("search index {path}: {cause} (`podcorpus reindex` rebuilds it from the database)")]
    Index {
        /// The index folder.
        path: String,
        /// tantivy's reason.
        cause: tantivy::TantivyError,
    },
}

/// Result alias for search.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;

pub use podcorpus_core::link::{hms, youtube_url};

#[cfg(test)]
mod tests {
    #[test]
    fn times_and_links() {
        assert_eq!(super::hms(3_723_999), "01:02:03");
        assert_eq!(
            super::youtube_url("G5RY_SUJih4", Some(123_456)),
            "https://www.youtube.com/watch?v=G5RY_SUJih4&t=123s"
        );
        assert_eq!(
            super::youtube_url("G5RY_SUJih4", None),
            "https://www.youtube.com/watch?v=G5RY_SUJih4"
        );
    }
}
