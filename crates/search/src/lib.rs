//! Full-text search (tantivy) and concordance over the corpus.
