//! A static file server on 127.0.0.1 for the fetch tests: serves
//! `crates/fetch/tests/site/` (and `/gen/` from a folder a test fills),
//! with `HOST` in text files replaced by its own address, and answers 429
//! for talk1 while `refuse` is set.
// Included by the tests of two crates; each uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A static file server for tests/site; `refuse` answers 429 for talk1.
pub struct Site {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// While set, talk1 answers 429.
    pub refuse: Arc<AtomicBool>,
}

/// Starts the server on a free port.
pub fn serve() -> Site {
    serve_with(None)
}

/// Starts the server, serving `/gen/NAME` from `generated` (media a test
/// makes at run time, such as speech from espeak-ng).
pub fn serve_with(generated: Option<std::path::PathBuf>) -> Site {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let host = listener.local_addr().expect("addr").to_string();
    // From crates/fetch or crates/cli alike.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fetch/tests/site");
    let refuse = Arc::new(AtomicBool::new(false));
    let flag = refuse.clone();
    let h = host.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            let generated = generated.clone();
            let flag = flag.clone();
            let h = h.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let path = path.split(['?', '#']).next().unwrap_or("/").to_string();
                let file = match (&generated, path.strip_prefix("/gen/")) {
                    (Some(dir), Some(name)) => dir.join(name),
                    _ => root.join(path.trim_start_matches('/')),
                };
                let (status, body, kind) = if flag.load(Ordering::SeqCst) && path.contains("talk1")
                {
                    ("429 Too Many Requests", b"slow down".to_vec(), "text/plain")
                } else if path.contains("..") || !file.is_file() {
                    ("404 Not Found", b"not found".to_vec(), "text/plain")
                } else {
                    let bytes = std::fs::read(&file).unwrap_or_default();
                    let kind = match file.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html; charset=utf-8",
                        Some("xml") => "application/rss+xml",
                        Some("vtt") => "text/vtt",
                        Some("wav") => "audio/wav",
                        _ => "video/mp4",
                    };
                    // Only text names the host; media bytes go out as they are.
                    let body = if kind.starts_with("text/") || kind.contains("xml") {
                        String::from_utf8_lossy(&bytes)
                            .replace("HOST", &h)
                            .into_bytes()
                    } else {
                        bytes
                    };
                    ("200 OK", body, kind)
                };
                let mut out = &stream;
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = out.write_all(head.as_bytes());
                if !request.starts_with("HEAD") {
                    let _ = out.write_all(&body);
                }
            });
        }
    });
    Site {
        base: format!("http://{host}"),
        refuse,
    }
}
