//! lemminflect's English lemma table, read from the installed package (filled in by the query-language work).
