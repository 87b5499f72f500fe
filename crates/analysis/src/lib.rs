//! Corpus analysis as plain functions over core types: statistics, frequency
//! lists, keyness, collocations, word and character error rates, comment
//! statistics, dispersion, trends over time, vocabulary profiles against
//! general English, clusters, SVG plots.
//! [`source`] is the only module that reads the store.

pub mod clusters;
pub mod collocates;
pub mod comments;
pub mod corpus;
pub mod dispersion;
pub mod freq;
pub mod keyness;
pub mod levenshtein;
pub mod normalize;
pub mod plots;
pub mod profile;
pub mod profile_plot;
pub mod source;
pub mod stats;
pub mod tokenize;
pub mod trend;
mod unicode_tables;
pub mod wer;
