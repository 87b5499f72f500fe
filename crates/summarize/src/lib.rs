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

/// What the summaries of a stored corpus need: the store's view for
/// summaries and a cache of the model's answers (the store is both).
pub trait SummaryBackend: podcorpus_store::seams::SummaryStore + llm::ReplyCache {}
impl<T: podcorpus_store::seams::SummaryStore + llm::ReplyCache> SummaryBackend for T {}
