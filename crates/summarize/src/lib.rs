//! Summaries of episodes: extractive key points (LexRank + MMR, no network,
//! deterministic), LLM summaries through any OpenAI-compatible Chat
//! Completions server (map-reduce over long transcripts, cached), and ROUGE
//! to measure one summary against another.

pub mod chunk;
pub mod comments;
pub mod episode;
pub mod extractive;
pub mod llm;
pub mod mapreduce;
pub mod prompt;
pub mod rank;
pub mod rouge;
pub mod sentences;
pub mod store_cache;
