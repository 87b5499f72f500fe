//! Exports of the corpus: notes document, JSONL, Parquet, CSV, text, subtitles, Hugging Face datasets.
