//! The LLM path against a real HTTP server on 127.0.0.1 started by each
//! test, speaking the Chat Completions protocol: the requests it received
//! (model, prompt, chunking) and what was stored, through retries (429 with
//! Retry-After, 500, a hang past the timeout), garbage, a server that is
//! down, and the cache.

mod common;

use podcorpus_store::query::TranscriptRef;
use podcorpus_store::Store;

use common::{comments_store, notes_store, stored, transcript};
use podcorpus_summarize::chunk::estimate_tokens;
use podcorpus_summarize::episode::{self, EpisodeError, Method};
use podcorpus_summarize::llm::{Client, LlmConfig, LlmError};
use podcorpus_summarize::mapreduce::{LlmOptions, SummaryError};
use podcorpus_summarize::prompt::{
    prompt_hash, COMMENTS_PART_PROMPT, COMMENTS_PROMPT, DEFAULT_PROMPT, PART_PROMPT,
};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    authorization: Option<String>,
    body: Value,
}

impl Received {
    fn system(&self) -> &str {
        self.body["messages"][0]["content"].as_str().unwrap_or("")
    }
    fn user(&self) -> &str {
        self.body["messages"][1]["content"].as_str().unwrap_or("")
    }
}

/// What the server answers.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    /// Wait this long before answering (a hang past the client's timeout).
    delay: Duration,
}

/// A 200 Chat Completions answer with usage.
fn ok(content: &str, prompt_tokens: u64, completion_tokens: u64) -> Answer {
    Answer {
        status: 200,
        headers: Vec::new(),
        body: json!({
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": "test-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}
        })
        .to_string(),
        delay: Duration::ZERO,
    }
}

fn status(code: u16, body: &str) -> Answer {
    Answer {
        status: code,
        headers: Vec::new(),
        body: body.to_string(),
        delay: Duration::ZERO,
    }
}

type Handler = dyn Fn(&Received, usize) -> Answer + Send + Sync;

/// A Chat Completions server on an ephemeral port; `handler` gets each
/// request and its 0-based number. One thread per connection, so a hanging
/// answer does not hold up the retry.
struct Server {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    fn start(handler: impl Fn(&Received, usize) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, handler) = (Arc::clone(&log), Arc::clone(&handler));
                std::thread::spawn(move || serve(stream, &log, &*handler));
            }
        });
        Server { url, received }
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Received>>, handler: &Handler) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let (mut length, mut authorization) = (0usize, None);
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((&h, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "authorization" => authorization = Some(value.trim().to_string()),
            _ => {}
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).expect("body");
    let req = Received {
        path,
        authorization,
        body: serde_json::from_slice(&body).expect("request body is JSON"),
    };
    let n = {
        let mut log = log.lock().expect("lock");
        log.push(req.clone());
        log.len() - 1
    };
    let answer = handler(&req, n);
    std::thread::sleep(answer.delay);
    let mut out = format!(
        "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (k, v) in &answer.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&answer.body);
    // The client may have given up (the hang test): nothing to do then.
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
}

fn client(url: &str) -> Client {
    let mut cfg = LlmConfig::new(url, "test-model");
    cfg.api_key = Some("sk-test-secret".into());
    cfg.timeout = Duration::from_millis(1500);
    cfg.backoff = Duration::from_millis(20);
    cfg.retries = 3;
    cfg.max_tokens = 256;
    Client::new(cfg).expect("client")
}

fn llm<'a>(
    client: &'a Client,
    context_tokens: usize,
    prompt: &str,
    by_chapter: bool,
) -> Method<'a> {
    Method::Llm {
        client,
        opts: LlmOptions {
            context_tokens,
            prompt: prompt.to_string(),
            by_chapter,
        },
        cache: true,
    }
}

/// A run over `todo` that stores what it made.
fn run(
    store: &Store,
    todo: &[TranscriptRef],
    method: &Method<'_>,
) -> Result<episode::Outcome, episode::RunError> {
    episode::run(store, todo, method, false, &mut |_| {})
}

/// Words of a text in order, for comparing what was sent with the transcript.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn a_transcript_that_fits_is_one_request_and_is_stored_with_provenance() {
    let server = Server::start(|_, _| {
        ok(
            "A summary.\n\n1. **Movement**: everything moves.",
            9000,
            120,
        )
    });
    let store = notes_store();
    let t = transcript(&store, "lex-fridman-notes/1");
    let c = client(&server.url);
    let out = run(
        &store,
        std::slice::from_ref(&t),
        &llm(&c, 32_768, DEFAULT_PROMPT, false),
    )
    .expect("summary");
    assert_eq!(out.made.len(), 1);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(r.authorization.as_deref(), Some("Bearer sk-test-secret"));
    assert_eq!(r.body["model"], "test-model");
    assert_eq!(r.body["stream"], false);
    assert_eq!(r.body["max_tokens"], 256);
    assert_eq!(r.system(), DEFAULT_PROMPT);
    // The whole transcript, in order, after the title line.
    let text = store.transcript_text(t.id).expect("text");
    assert!(r
        .user()
        .starts_with("Transcript of \"Ido Portal: Movement\":\n\n"));
    assert_eq!(words(r.user())[5..], words(&text)[..]);

    let stored = stored(&store, t.episode_id, "llm");
    assert_eq!(stored.len(), 1);
    let s = &stored[0];
    assert_eq!(s.text, "A summary.\n\n1. **Movement**: everything moves.");
    assert_eq!(s.model.as_deref(), Some("test-model"));
    assert_eq!(
        s.prompt_hash.as_deref(),
        Some(prompt_hash(DEFAULT_PROMPT).as_str())
    );
    let usage = s.usage.as_ref().expect("usage");
    assert_eq!(usage["prompt_tokens"], 9000);
    assert_eq!(usage["completion_tokens"], 120);
    assert_eq!(usage["total_tokens"], 9120);
    assert_eq!(usage["requests"], 1);
    assert_eq!(usage["chunks"], 1);
    let params = s.params.as_ref().expect("params");
    assert_eq!(params["context_tokens"], 32_768);
    assert_eq!(params["server"], server.url.as_str());
    // The API key is nowhere in the database.
    let all = format!("{stored:?}");
    assert!(!all.contains("sk-test-secret"));
}

#[test]
fn a_long_transcript_is_map_reduced_in_chunks_that_fit_the_context() {
    let server = Server::start(|r, n| {
        if r.system() == PART_PROMPT {
            ok(&format!("- notes of request {n}"), 100, 10)
        } else {
            ok("FINAL SUMMARY", 50, 5)
        }
    });
    let store = notes_store();
    let t = transcript(&store, "lex-fridman-notes/5");
    let c = client(&server.url);
    let prompt = "Summarize as three haiku.";
    let context = 2048;
    let out = run(
        &store,
        std::slice::from_ref(&t),
        &llm(&c, context, prompt, false),
    )
    .expect("summary");
    let reqs = server.requests();
    let (parts, finals): (Vec<_>, Vec<_>) = reqs.iter().partition(|r| r.system() == PART_PROMPT);
    // Slot 5 has about 9,400 words (~12k tokens): several chunks.
    assert!(parts.len() >= 6, "{} parts", parts.len());
    assert_eq!(finals.len(), 1);
    for r in &reqs {
        assert_eq!(r.body["model"], "test-model");
        let sent = estimate_tokens(r.system()) + estimate_tokens(r.user());
        assert!(sent + 256 <= context, "request of {sent} tokens");
    }
    // The parts, in order, are the whole transcript.
    let mut sent: Vec<&str> = Vec::new();
    for (i, r) in parts.iter().enumerate() {
        let head = format!(
            "Part {} of {} of the transcript of \"TensorFlow Tutorial (Sherry Moore, Google Brain)\":\n\n",
            i + 1,
            parts.len()
        );
        assert!(r.user().starts_with(&head), "{}", &r.user()[..80]);
        sent.extend(words(&r.user()[head.len()..]));
    }
    let text = store.transcript_text(t.id).expect("text");
    assert_eq!(sent, words(&text));
    // The reduce step gets every part's notes, in order, under the user's prompt.
    let last = finals[0];
    assert_eq!(last.system(), prompt);
    for n in 0..parts.len() {
        assert!(last
            .user()
            .contains(&format!("Part {}:\n- notes of request {n}", n + 1)));
    }
    let stored = stored(&store, t.episode_id, "llm");
    assert_eq!(stored[0].text, "FINAL SUMMARY");
    assert_eq!(
        stored[0].prompt_hash.as_deref(),
        Some(prompt_hash(prompt).as_str())
    );
    let usage = stored[0].usage.as_ref().expect("usage");
    assert_eq!(usage["requests"], parts.len() + 1);
    assert_eq!(usage["chunks"], parts.len());
    assert_eq!(usage["prompt_tokens"], 100 * parts.len() as u64 + 50);
    assert_eq!(out.made[0].1.text, "FINAL SUMMARY");
}

#[test]
fn by_chapter_asks_once_per_chapter_and_heads_each_section() {
    let server = Server::start(|r, _| {
        let chapter = r.user().split('"').nth(1).unwrap_or("?").to_string();
        ok(&format!("about {chapter}"), 10, 2)
    });
    let store = notes_store();
    let t = transcript(&store, "lex-fridman-notes/1");
    let c = client(&server.url);
    run(
        &store,
        std::slice::from_ref(&t),
        &llm(&c, 32_768, "My prompt.", true),
    )
    .expect("summary");
    let reqs = server.requests();
    // Ten chapters in slot 1, each with speech.
    assert_eq!(reqs.len(), 10);
    assert!(reqs.iter().all(|r| r.system() == "My prompt."));
    assert!(reqs[9]
        .user()
        .starts_with("Transcript of the chapter \"Diet\" of \"Ido Portal: Movement\""));
    let stored = stored(&store, t.episode_id, "llm");
    assert!(stored[0]
        .text
        .starts_with("**Intro**\nabout Intro\n\n**Journey to becoming a generalist**\n"));
    assert_eq!(stored[0].params.as_ref().expect("params")["by"], "chapter");
}

#[test]
fn retries_429_after_retry_after_then_500_then_succeeds() {
    let server = Server::start(|_, n| match n {
        0 => Answer {
            headers: vec![("retry-after", "1".into())],
            ..status(429, r#"{"error":{"message":"rate limited"}}"#)
        },
        1 => status(500, r#"{"error":"overloaded"}"#),
        _ => ok("Third time lucky.", 7, 3),
    });
    let store = notes_store();
    let t = transcript(&store, "lex-fridman-notes/2");
    let c = client(&server.url);
    let start = Instant::now();
    run(
        &store,
        std::slice::from_ref(&t),
        &llm(&c, 32_768, DEFAULT_PROMPT, false),
    )
    .expect("summary");
    // Retry-After: 1 was honoured (the backoff alone is 20 ms).
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[0].body, reqs[2].body);
    let stored = stored(&store, t.episode_id, "llm");
    assert_eq!(stored[0].text, "Third time lucky.");
    assert_eq!(stored[0].usage.as_ref().expect("usage")["total_tokens"], 10);
}

#[test]
fn a_hang_past_the_timeout_is_retried() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Answer {
                delay: Duration::from_secs(4),
                ..ok("too late", 1, 1)
            }
        } else {
            ok("on time", 1, 1)
        }
    });
    let store = notes_store();
    let t = transcript(&store, "lex-fridman-notes/2");
    let c = client(&server.url);
    let start = Instant::now();
    let out = run(&store, &[t], &llm(&c, 32_768, DEFAULT_PROMPT, false)).expect("summary");
    assert_eq!(out.made[0].1.text, "on time");
    assert_eq!(server.requests().len(), 2);
    // Gave up on the first after the 1.5 s timeout, not after the 4 s hang.
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn endless_500s_give_up_with_a_clear_error_and_store_nothing() {
    let server = Server::start(|_, _| status(503, "upstream down"));
    let store = notes_store();
    let todo = vec![
        transcript(&store, "lex-fridman-notes/1"),
        transcript(&store, "lex-fridman-notes/2"),
    ];
    let c = client(&server.url);
    let e = run(&store, &todo, &llm(&c, 32_768, DEFAULT_PROMPT, false))
        .err()
        .expect("fails");
    assert_eq!(e.episode, "lex-fridman-notes/1");
    let msg = e.to_string();
    assert!(
        msg.contains("after 4 attempts") && msg.contains("HTTP 503: upstream down"),
        "{msg}"
    );
    assert_eq!(server.requests().len(), 4);
    for t in &todo {
        assert!(stored(&store, t.episode_id, "llm").is_empty());
    }
}

#[test]
fn malformed_json_is_garbage_and_a_failed_run_stores_nothing_but_caches_what_succeeded() {
    // Episode 1 answers well; episode 2's answer is not JSON.
    let server = Server::start(|r, _| {
        if r.user().contains("Ryan Hall") {
            status(200, "{\"choices\": [ this is not json")
        } else {
            ok("Episode one.", 5, 5)
        }
    });
    let store = notes_store();
    let todo = vec![
        transcript(&store, "lex-fridman-notes/1"),
        transcript(&store, "lex-fridman-notes/2"),
    ];
    let c = client(&server.url);
    let method = llm(&c, 32_768, DEFAULT_PROMPT, false);
    let e = run(&store, &todo, &method).err().expect("fails");
    assert_eq!(e.episode, "lex-fridman-notes/2");
    assert!(matches!(
        e.source,
        EpisodeError::Llm(SummaryError::Llm(LlmError::Garbage { .. }))
    ));
    assert!(
        e.to_string()
            .contains("did not answer as an OpenAI-compatible"),
        "{e}"
    );
    // Garbage is not retried.
    assert_eq!(server.requests().len(), 2);
    for t in &todo {
        assert!(stored(&store, t.episode_id, "llm").is_empty());
    }
    // A re-run of episode 1 is answered from the cache: the server hears nothing new.
    let out = run(&store, &todo[..1], &method).expect("cached");
    assert_eq!(server.requests().len(), 2);
    let usage = out.made[0].1.usage.as_ref().expect("usage");
    assert_eq!(usage["cached"], 1);
    assert_eq!(usage["total_tokens"], 10);
    assert_eq!(
        stored(&store, todo[0].episode_id, "llm")[0].text,
        "Episode one."
    );
}

#[test]
fn a_server_that_is_down_is_named_in_the_error() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("http://127.0.0.1:{port}/v1");
    let store = notes_store();
    let t = transcript(&store, "lex-fridman-notes/2");
    let c = client(&url);
    let start = Instant::now();
    let e = run(&store, &[t], &llm(&c, 32_768, DEFAULT_PROMPT, false))
        .err()
        .expect("fails");
    let msg = e.to_string();
    assert!(
        msg.contains(&format!(
            "cannot reach the language-model server at {url}/chat/completions"
        )),
        "{msg}"
    );
    assert!(msg.contains("is it running"), "{msg}");
    assert!(!msg.contains("sk-test-secret"));
    // Not retried for minutes.
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[test]
fn a_refused_key_says_where_the_key_comes_from() {
    let server = Server::start(|_, _| status(401, r#"{"error":{"message":"Incorrect API key"}}"#));
    let store = notes_store();
    let t = transcript(&store, "lex-fridman-notes/2");
    let c = client(&server.url);
    let e = run(&store, &[t], &llm(&c, 32_768, DEFAULT_PROMPT, false))
        .err()
        .expect("fails");
    let msg = e.to_string();
    assert!(
        msg.contains("HTTP 401") && msg.contains("PODCORPUS_API_KEY"),
        "{msg}"
    );
    assert!(!msg.contains("sk-test-secret"), "{msg}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn comments_are_summarized_with_the_comments_prompt_most_liked_first_without_spam() {
    let server = Server::start(|_, _| {
        ok(
            "Based on the comments, viewers loved it.\n\n1. **Praise**: many thanks.",
            300,
            20,
        )
    });
    let (store, name) = comments_store();
    let episode = store.resolve(&name).expect("episode");
    let c = client(&server.url);
    let out = episode::run_comments(
        &store,
        std::slice::from_ref(&episode),
        &llm(&c, 32_768, DEFAULT_PROMPT, false),
        false,
        &mut |_| {},
    )
    .expect("run");
    assert_eq!(out.made.len(), 1);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].system(), COMMENTS_PROMPT);
    let user = reqs[0].user();
    let lines: Vec<&str> = user.lines().collect();
    assert_eq!(lines[0], "Comments on \"Ido Portal: Movement\":");
    // Most liked first, each with author and likes; replies say so.
    assert_eq!(
        lines[2],
        "- (@movementlover, 1530 likes) Ido Portal is a genius. His idea of a movement practice instead of a sport is so freeing."
    );
    assert_eq!(
        lines[3],
        "- (@judo_dad, 877 likes) The part about the floor as a teacher at 45:10 is gold."
    );
    assert!(
        user.contains("- (@stretchy, 88 likes, a reply) Agreed."),
        "{user}"
    );
    // Ten of the twelve: not the spam, not the channel's own pinned comment.
    assert_eq!(lines.len(), 2 + 10, "{user}");
    assert!(
        !user.contains("fitspam2020") && !user.contains("FREE workout"),
        "{user}"
    );
    assert!(!user.contains("@lexfridman,"), "{user}");
    // Stored about the comments, with what was read and left out.
    let stored: Vec<_> = store
        .summaries(episode.id, Some("llm"))
        .expect("summaries")
        .into_iter()
        .map(|s| s.summary)
        .collect();
    assert_eq!(stored.len(), 1);
    let s = &stored[0];
    assert_eq!(s.subject, podcorpus_core::Subject::Comments);
    assert_eq!(
        s.text,
        "Based on the comments, viewers loved it.\n\n1. **Praise**: many thanks."
    );
    let params = s.params.as_ref().expect("params");
    assert_eq!(params["subject"], "comments");
    assert_eq!(params["comments"], 12);
    assert_eq!(params["audience"], 10);
    assert_eq!(params["left_out"], json!({"spam": 1, "uploader": 1}));
    assert_eq!(
        s.prompt_hash.as_deref(),
        Some(prompt_hash(COMMENTS_PROMPT).as_str())
    );
    // Asked again: the answer comes from the cache, no new request.
    episode::run_comments(
        &store,
        &[episode],
        &llm(&c, 32_768, DEFAULT_PROMPT, false),
        true,
        &mut |_| {},
    )
    .expect("cached run");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn many_comments_are_map_reduced_with_the_comments_part_prompt() {
    let server = Server::start(|r, n| {
        if r.system() == COMMENTS_PART_PROMPT {
            ok(&format!("- note {n}"), 100, 5)
        } else {
            ok("Based on the comments, it was liked.", 100, 5)
        }
    });
    let (store, name) = comments_store();
    let episode = store.resolve(&name).expect("episode");
    let c = client(&server.url);
    // Room for about two comments per request.
    let method = llm(&c, 256 + 64 + 250 + 60, DEFAULT_PROMPT, false);
    let out = episode::run_comments(&store, &[episode], &method, true, &mut |_| {}).expect("run");
    let reqs = server.requests();
    let parts: Vec<&Received> = reqs
        .iter()
        .filter(|r| r.system() == COMMENTS_PART_PROMPT)
        .collect();
    assert!(parts.len() >= 2, "{} requests", reqs.len());
    assert_eq!(reqs.last().map(Received::system), Some(COMMENTS_PROMPT));
    for (i, p) in parts.iter().enumerate() {
        let head = format!(
            "Part {} of {} of the comments on \"Ido Portal: Movement\":\n\n- (",
            i + 1,
            parts.len()
        );
        assert!(p.user().starts_with(&head), "{}", p.user());
    }
    // Every comment of the audience went to exactly one part, whole.
    let sent: String = parts
        .iter()
        .map(|p| p.user())
        .collect::<Vec<_>>()
        .join("\n");
    for author in [
        "@movementlover, 1530",
        "@judo_dad",
        "@quietlistener",
        "@secondround",
        "@hanger",
        "@stretchy",
        "@floorwork",
        "@grateful",
        "@orphan",
    ] {
        assert_eq!(
            sent.matches(&format!("({author}")).count(),
            1,
            "{author}: {sent}"
        );
    }
    let s = &out.made[0].1;
    assert_eq!(s.text, "Based on the comments, it was liked.");
    assert_eq!(s.usage.as_ref().expect("usage")["chunks"], parts.len());
}
