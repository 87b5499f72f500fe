//! A client for the OpenAI Chat Completions protocol
//! (`POST {base}/chat/completions`, streaming off), which Ollama,
//! llama.cpp's server, vLLM and OpenAI all speak: retries with backoff on
//! 429 (honouring `Retry-After`), 5xx and timeouts; clear errors for a
//! server that is down or answers something else; token usage of each answer.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where and how to ask.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The API base, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `https://api.openai.com/v1`.
    pub base_url: String,
    /// The model name the server knows.
    pub model: String,
    /// Sent as a bearer token; never printed or stored.
    pub api_key: Option<String>,
    /// Longest wait for one answer.
    pub timeout: Duration,
    /// Retries after the first attempt (429, 5xx, timeouts).
    pub retries: u32,
    /// First backoff; doubles with each retry.
    pub backoff: Duration,
    /// Longest single wait, also the cap on a server's `Retry-After`.
    pub max_backoff: Duration,
    /// Sampling temperature (0 = as repeatable as the server allows).
    pub temperature: f64,
    /// Most tokens one answer may have.
    pub max_tokens: u32,
}

impl LlmConfig {
    /// A configuration with the defaults for everything but server and model.
    pub fn new(base_url: &str, model: &str) -> LlmConfig {
        LlmConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            model: model.to_string(),
            api_key: None,
            timeout: Duration::from_secs(300),
            retries: 4,
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            temperature: 0.0,
            max_tokens: 1024,
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> String {
        format!("{}/chat/completions", self.base_url.trim_end_matches('/'))
    }
}

/// Token counts as the server reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens of the request.
    #[serde(default)]
    pub prompt_tokens: u64,
    /// Tokens of the answer.
    #[serde(default)]
    pub completion_tokens: u64,
    /// Both.
    #[serde(default)]
    pub total_tokens: u64,
}

impl Usage {
    /// Adds another answer's usage.
    pub fn add(&mut self, other: &Usage) {
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
        self.total_tokens += other.total_tokens;
    }
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The text the model wrote.
    pub content: String,
    /// Its token usage, when the server reported it.
    pub usage: Option<Usage>,
    /// Whether it came from the cache rather than the server.
    pub cached: bool,
}

/// What can go wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// Nothing answers at the address.
    #[error("cannot reach the language-model server at {url}: {reason}; is it running (e.g. `ollama serve`), and is --base-url right?")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// The connection error.
        reason: String,
    },
    /// Every attempt failed with a retryable problem.
    #[error("the language-model server at {url} still failed after {attempts} attempts: {last}")]
    GaveUp {
        /// The endpoint.
        url: String,
        /// Attempts made.
        attempts: u32,
        /// The last problem.
        last: String,
    },
    /// The server refused the request (4xx other than 429).
    #[error(
        "the language-model server at {url} refused the request with HTTP {status}: {body}{hint}"
    )]
    Refused {
        /// The endpoint.
        url: String,
        /// HTTP status.
        status: u16,
        /// The start of the answer body.
        body: String,
        /// What to check.
        hint: &'static str,
    },
    /// The answer is not a Chat Completions response.
    #[error("the server at {url} did not answer as an OpenAI-compatible Chat Completions API ({detail}); the answer began: {start:?}")]
    Garbage {
        /// The endpoint.
        url: String,
        /// What was wrong.
        detail: String,
        /// The start of the answer body.
        start: String,
    },
    /// The cache could not be read or written.
    #[error("language-model cache: {0}")]
    Cache(String),
}

/// Where answers are remembered, keyed by [`request_key`].
pub trait ReplyCache {
    /// The remembered answer to a request, if any.
    fn get(&self, key: &str) -> Result<Option<Reply>, LlmError>;
    /// Remembers an answer.
    fn put(&self, key: &str, model: &str, reply: &Reply) -> Result<(), LlmError>;
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'a str,
    content: &'a str,
}

/// The request body; its serialisation is also what the cache key hashes.
#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: [Message<'a>; 2],
    temperature: f64,
    max_tokens: u32,
    stream: bool,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: Option<String>,
}

/// The cache key of a request: BLAKE3 of its body (model, both messages —
/// so the prompt and the episode text — temperature and token limit).
pub fn request_key(cfg: &LlmConfig, system: &str, user: &str) -> String {
    let body = body(cfg, system, user);
    blake3::hash(body.as_bytes()).to_hex().to_string()
}

fn body(cfg: &LlmConfig, system: &str, user: &str) -> String {
    let req = ChatRequest {
        model: &cfg.model,
        messages: [
            Message {
                role: "system",
                content: system,
            },
            Message {
                role: "user",
                content: user,
            },
        ],
        temperature: cfg.temperature,
        max_tokens: cfg.max_tokens,
        stream: false,
    };
    // A struct of strings and numbers always serialises.
    serde_json::to_string(&req).unwrap_or_default()
}

/// A connection to one server and model.
pub struct Client {
    cfg: LlmConfig,
    http: reqwest::blocking::Client,
}

/// The first characters of a body, for error messages.
fn start_of(body: &str) -> String {
    body.chars().take(200).collect()
}

/// Why one attempt failed.
enum Attempt {
    /// Worth another try, after at least this long (a server's `Retry-After`).
    Retry(String, Option<Duration>),
    /// Final.
    Fail(LlmError),
}

impl Client {
    /// A client for the configured server.
    pub fn new(cfg: LlmConfig) -> Result<Client, LlmError> {
        let http = reqwest::blocking::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| LlmError::Unreachable {
                url: cfg.endpoint(),
                reason: format!("cannot set up the HTTP client: {e}"),
            })?;
        Ok(Client { cfg, http })
    }

    /// The configuration.
    pub fn config(&self) -> &LlmConfig {
        &self.cfg
    }

    /// Asks once (with retries), answering from `cache` when it has the request.
    pub fn chat(
        &self,
        system: &str,
        user: &str,
        cache: Option<&dyn ReplyCache>,
    ) -> Result<Reply, LlmError> {
        let key = request_key(&self.cfg, system, user);
        if let Some(cache) = cache {
            if let Some(mut hit) = cache.get(&key)? {
                hit.cached = true;
                return Ok(hit);
            }
        }
        let reply = self.send(&body(&self.cfg, system, user))?;
        if let Some(cache) = cache {
            cache.put(&key, &self.cfg.model, &reply)?;
        }
        Ok(reply)
    }

    fn send(&self, body: &str) -> Result<Reply, LlmError> {
        let url = self.cfg.endpoint();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (why, wait) = match self.attempt(&url, body) {
                Ok(reply) => return Ok(reply),
                Err(Attempt::Fail(e)) => return Err(e),
                Err(Attempt::Retry(why, wait)) => (why, wait),
            };
            if attempts > self.cfg.retries {
                return Err(LlmError::GaveUp {
                    url,
                    attempts,
                    last: why,
                });
            }
            let backoff = self
                .cfg
                .backoff
                .saturating_mul(1u32 << (attempts - 1).min(16));
            let wait = wait.unwrap_or(backoff).min(self.cfg.max_backoff);
            std::thread::sleep(wait);
        }
    }

    fn attempt(&self, url: &str, body: &str) -> Result<Reply, Attempt> {
        let mut req = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(key) = &self.cfg.api_key {
            req = req.bearer_auth(key);
        }
        let resp = match req.send() {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Err(Attempt::Retry(
                    format!("no answer within {:?}", self.cfg.timeout),
                    None,
                ))
            }
            Err(e) if e.is_connect() => {
                return Err(Attempt::Fail(LlmError::Unreachable {
                    url: url.to_string(),
                    reason: error_chain(&e),
                }))
            }
            Err(e) => return Err(Attempt::Retry(error_chain(&e), None)),
        };
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = match resp.text() {
            Ok(t) => t,
            Err(e) if e.is_timeout() => {
                return Err(Attempt::Retry(
                    format!("the answer did not finish within {:?}", self.cfg.timeout),
                    None,
                ))
            }
            Err(e) => return Err(Attempt::Retry(error_chain(&e), None)),
        };
        if status.as_u16() == 429 {
            return Err(Attempt::Retry(
                format!("HTTP 429 (rate limited): {}", start_of(&text)),
                retry_after,
            ));
        }
        if status.is_server_error() {
            return Err(Attempt::Retry(
                format!("HTTP {}: {}", status.as_u16(), start_of(&text)),
                retry_after,
            ));
        }
        if !status.is_success() {
            let hint = match status.as_u16() {
                401 | 403 => " — check the API key in PODCORPUS_API_KEY or OPENAI_API_KEY",
                404 => {
                    " — check --base-url (it usually ends in /v1) and that the server has --model"
                }
                _ => "",
            };
            return Err(Attempt::Fail(LlmError::Refused {
                url: url.to_string(),
                status: status.as_u16(),
                body: start_of(&text),
                hint,
            }));
        }
        parse_reply(url, &text).map_err(Attempt::Fail)
    }
}

/// An error with its causes, which reqwest keeps in the source chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Reads a Chat Completions response body.
fn parse_reply(url: &str, text: &str) -> Result<Reply, LlmError> {
    let garbage = |detail: String| LlmError::Garbage {
        url: url.to_string(),
        detail,
        start: start_of(text),
    };
    let resp: ChatResponse = serde_json::from_str(text)
        .map_err(|e| garbage(format!("not a Chat Completions JSON object: {e}")))?;
    let content = resp
        .choices
        .into_iter()
        .next()
        .and_then(|c| c.message.content)
        .ok_or_else(|| garbage("no choices[0].message.content".into()))?;
    if content.trim().is_empty() {
        return Err(garbage("the model's answer is empty".into()));
    }
    Ok(Reply {
        content: content.trim().to_string(),
        usage: resp.usage,
        cached: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_chat_completion_with_usage() {
        let body = r#"{"id":"x","object":"chat.completion","choices":[{"index":0,
            "message":{"role":"assistant","content":" Hi. "},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#;
        let r = parse_reply("u", body).expect("reply");
        assert_eq!(r.content, "Hi.");
        assert_eq!(
            r.usage,
            Some(Usage {
                prompt_tokens: 5,
                completion_tokens: 2,
                total_tokens: 7
            })
        );
    }

    #[test]
    fn rejects_what_is_not_a_chat_completion() {
        for body in [
            "<html>502</html>",
            r#"{"choices":[]}"#,
            r#"{"choices":[{"message":{"content":""}}]}"#,
        ] {
            let e = parse_reply("http://h/v1/chat/completions", body).expect_err(body);
            assert!(matches!(e, LlmError::Garbage { .. }), "{e}");
            assert!(e.to_string().contains("http://h/v1/chat/completions"));
        }
    }

    #[test]
    fn key_depends_on_model_prompt_text_and_parameters() {
        let a = LlmConfig::new("http://h/v1/", "m");
        assert_eq!(a.endpoint(), "http://h/v1/chat/completions");
        let k = request_key(&a, "p", "t");
        assert_eq!(k, request_key(&a, "p", "t"));
        assert_ne!(k, request_key(&a, "p2", "t"));
        assert_ne!(k, request_key(&a, "p", "t2"));
        let mut b = a.clone();
        b.model = "m2".into();
        assert_ne!(k, request_key(&b, "p", "t"));
        let mut c = a.clone();
        c.temperature = 0.5;
        assert_ne!(k, request_key(&c, "p", "t"));
        // The key (a secret) is not part of the request key.
        let mut d = a.clone();
        d.api_key = Some("sk-secret".into());
        assert_eq!(k, request_key(&d, "p", "t"));
    }
}
