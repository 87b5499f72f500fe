//! English word lists that podcorpus reads from installed PyPI packages,
//! never from the network: lemminflect's lemma table (for `lemma:run`) and
//! wordfreq's `large_en` frequency ranks (for vocabulary profiles and
//! keyness against general English).

pub mod lemmas;
pub mod locate;
pub mod wordfreq;

pub use locate::{package_file, LexiconError};

/// Results of this crate.
pub type Result<T> = std::result::Result<T, LexiconError>;
