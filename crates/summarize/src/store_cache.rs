//! The store as the cache of language-model answers, so that an identical
//! request — a re-run, or a run resumed after a failure — costs nothing.

use crate::llm::{LlmError, Reply, ReplyCache, Usage};
use podcorpus_store::Store;

impl ReplyCache for Store {
    fn get(&self, key: &str) -> Result<Option<Reply>, LlmError> {
        let hit = self
            .llm_cache_get(key)
            .map_err(|e| LlmError::Cache(e.to_string()))?;
        Ok(hit.map(|h| Reply {
            content: h.response,
            usage: h
                .usage
                .and_then(|u| serde_json::from_value::<Usage>(u).ok()),
            cached: true,
        }))
    }

    fn put(&self, key: &str, model: &str, reply: &Reply) -> Result<(), LlmError> {
        let usage = reply
            .usage
            .as_ref()
            .and_then(|u| serde_json::to_value(u).ok());
        self.llm_cache_put(key, model, &reply.content, usage.as_ref())
            .map_err(|e| LlmError::Cache(e.to_string()))
    }
}
