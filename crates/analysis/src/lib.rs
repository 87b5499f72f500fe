//! Corpus analysis: statistics, frequency lists, keyness, collocations, word error rate, plots.

pub mod levenshtein;
pub mod normalize;
pub mod source;
mod unicode_tables;
pub mod wer;
