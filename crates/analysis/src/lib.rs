//! Corpus analysis: statistics, frequency lists, keyness, collocations, word error rate, plots.
