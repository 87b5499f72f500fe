//! Corpus analysis as plain functions over core types: statistics, frequency
//! lists, keyness, collocations, word and character error rates, comment
//! statistics, SVG plots.
//! [`source`] is the only module that reads the store.

pub mod collocates;
pub mod comments;
pub mod corpus;
pub mod freq;
pub mod keyness;
pub mod levenshtein;
pub mod normalize;
pub mod plots;
pub mod source;
pub mod stats;
pub mod tokenize;
mod unicode_tables;
pub mod wer;
