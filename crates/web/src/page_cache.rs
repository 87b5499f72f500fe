//! Rendered answers kept by the corpus's data version: an episode page, the
//! statistics, the list and their API twins are computed once, compressed
//! once per encoding (gzip, brotli) when a client first asks for it, and
//! then served from memory until an import, a summary or an embedding run
//! changes the corpus ([`crate::caching::DataVersion`]), which drops them
//! all. Concurrent first requests for one answer wait for one computation.
//!
//! The cache holds at most [`BUDGET`] bytes; beyond that the answers used
//! longest ago go. Searches are not kept: their keys are unbounded and they
//! are fast to compute.

use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Most bytes of answers kept (every encoding counted).
pub(crate) const BUDGET: usize = 128 << 20;

/// Largest answer kept; larger ones are served, not stored.
const LARGEST: usize = 16 << 20;

/// gzip level and brotli quality: each answer is compressed once per data
/// version, so a better ratio than per-request compression can afford.
const GZIP_LEVEL: u32 = 6;
const BROTLI_QUALITY: u32 = 9;
/// Brotli's window, 2^22 bytes (its default).
const BROTLI_WINDOW: u32 = 22;

/// The content coding of an answer.
pub(crate) use podcorpus_core::headers::Coding as Encoding;

/// The encoding to send a client, by its `Accept-Encoding`.
fn negotiate(headers: &HeaderMap) -> Encoding {
    podcorpus_core::headers::negotiate(
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok()),
    )
}

/// One rendered answer and its encodings, made when first asked for.
#[derive(Debug)]
struct Page {
    content_type: Option<HeaderValue>,
    identity: Bytes,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

impl Page {
    /// The body in `encoding`, compressed now if it was not yet (blocking).
    fn body(&self, encoding: Encoding) -> (Bytes, bool) {
        let Some(cell) = self.encoded(encoding) else {
            return (self.identity.clone(), false);
        };
        let mut made = false;
        let body = cell.get_or_init(|| {
            made = true;
            compress(&self.identity, encoding)
        });
        (body.clone(), made)
    }

    /// The body in `encoding` if it is made already.
    fn has(&self, encoding: Encoding) -> Option<Bytes> {
        self.encoded(encoding)
            .map_or(Some(self.identity.clone()), |c| c.get().cloned())
    }

    /// Where the body in `encoding` is kept; `None` for identity, which is
    /// the page itself.
    fn encoded(&self, encoding: Encoding) -> Option<&OnceLock<Bytes>> {
        match encoding {
            Encoding::Identity => None,
            Encoding::Gzip => Some(&self.gzip),
            Encoding::Brotli => Some(&self.brotli),
        }
    }

    /// Bytes held, every encoding made so far counted.
    fn size(&self) -> usize {
        self.identity.len()
            + [Encoding::Gzip, Encoding::Brotli]
                .into_iter()
                .filter_map(|e| self.encoded(e).and_then(OnceLock::get))
                .map(Bytes::len)
                .sum::<usize>()
    }
}

/// `data` compressed in `encoding`. Writing to a Vec cannot fail; should
/// the encoder still report an error, the answer goes uncompressed.
fn compress(data: &[u8], encoding: Encoding) -> Bytes {
    let out = match encoding {
        Encoding::Identity => return Bytes::copy_from_slice(data),
        Encoding::Gzip => {
            let mut e = flate2::write::GzEncoder::new(
                Vec::with_capacity(data.len() / 4),
                flate2::Compression::new(GZIP_LEVEL),
            );
            e.write_all(data).and_then(|_| e.finish())
        }
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(data.len() / 5);
            let mut e =
                brotli::CompressorWriter::new(&mut out, 1 << 16, BROTLI_QUALITY, BROTLI_WINDOW);
            let written = e.write_all(data).and_then(|_| e.flush());
            drop(e);
            written.map(|_| out)
        }
    };
    match out {
        Ok(v) => Bytes::from(v),
        Err(e) => {
            tracing::warn!("compression failed ({e}); sending the answer uncompressed");
            Bytes::copy_from_slice(data)
        }
    }
}

/// A key's place in the cache: the answer once computed, and when it was
/// last used.
struct Slot {
    page: tokio::sync::OnceCell<Arc<Page>>,
    used: AtomicU64,
}

/// What the cache holds at one data version.
#[derive(Default)]
struct Shelf {
    version: u64,
    slots: HashMap<String, Arc<Slot>>,
    bytes: usize,
    clock: u64,
}

/// The cache of rendered answers.
pub(crate) struct PageCache {
    shelf: Mutex<Shelf>,
    budget: usize,
}

impl PageCache {
    /// An empty cache that keeps at most `budget` bytes.
    pub(crate) fn new(budget: usize) -> PageCache {
        PageCache {
            shelf: Mutex::default(),
            budget,
        }
    }

    /// The slot of `key` at `version`, made if absent; everything kept at
    /// another version is dropped first.
    fn slot(&self, key: &str, version: u64) -> Arc<Slot> {
        let Ok(mut shelf) = self.shelf.lock() else {
            return Arc::new(Slot {
                page: tokio::sync::OnceCell::new(),
                used: AtomicU64::new(0),
            });
        };
        if shelf.version != version {
            *shelf = Shelf {
                version,
                ..Shelf::default()
            };
        }
        shelf.clock += 1;
        let now = shelf.clock;
        let slot = shelf
            .slots
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Slot {
                    page: tokio::sync::OnceCell::new(),
                    used: AtomicU64::new(now),
                })
            })
            .clone();
        slot.used.store(now, Ordering::Relaxed);
        slot
    }

    /// Forgets `key` (its answer was not one to keep).
    fn forget(&self, key: &str, version: u64) {
        if let Ok(mut shelf) = self.shelf.lock() {
            if shelf.version == version {
                shelf.slots.remove(key);
            }
        }
    }

    /// Counts `bytes` more held at `version`, and drops the answers used
    /// longest ago while the cache is over its budget.
    fn hold(&self, bytes: usize, version: u64) {
        let Ok(mut shelf) = self.shelf.lock() else {
            return;
        };
        if shelf.version != version {
            return;
        }
        shelf.bytes += bytes;
        if shelf.bytes <= self.budget {
            return;
        }
        let mut by_age: Vec<(u64, String, usize)> = shelf
            .slots
            .iter()
            .map(|(k, s)| (s.used.load(Ordering::Relaxed), k.clone(), size(s)))
            .collect();
        by_age.sort_unstable();
        // Down to three quarters, so that the next answers do not each evict.
        for (_, key, held) in by_age {
            if shelf.bytes <= self.budget / 4 * 3 {
                break;
            }
            shelf.slots.remove(&key);
            shelf.bytes = shelf.bytes.saturating_sub(held);
        }
    }

    /// Bytes held now (every encoding).
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.shelf.lock().map(|s| s.bytes).unwrap_or(0)
    }
}

/// Bytes a slot holds.
fn size(slot: &Slot) -> usize {
    slot.page.get().map_or(0, |p| p.size())
}

/// The middleware: answers a GET from the cache, computing and keeping the
/// answer on a miss (only `200 OK` answers are kept).
pub(crate) async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let key = req.uri().to_string();
    let encoding = negotiate(req.headers());
    let cache = state.pages();
    let version = state.data_version().changes();
    let slot = cache.slot(&key, version);
    let mut computed = false;
    let mut passed: Option<Response> = None;
    let page = slot
        .page
        .get_or_try_init(|| async {
            let res = next.run(req).await;
            match keep(res).await {
                Ok(page) => {
                    computed = true;
                    Ok(Arc::new(page))
                }
                Err(res) => {
                    passed = Some(res);
                    Err(())
                }
            }
        })
        .await
        .ok()
        .cloned();
    let Some(page) = page else {
        cache.forget(&key, version);
        return passed.unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    if computed {
        cache.hold(page.identity.len(), version);
    }
    let body = match page.has(encoding) {
        Some(b) => b,
        None => {
            let p = page.clone();
            match tokio::task::spawn_blocking(move || p.body(encoding)).await {
                Ok((b, made)) => {
                    if made {
                        cache.hold(b.len(), version);
                    }
                    b
                }
                Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
    };
    let mut res = Response::new(Body::from(body));
    let headers = res.headers_mut();
    if let Some(t) = &page.content_type {
        headers.insert(header::CONTENT_TYPE, t.clone());
    }
    if let Some(e) = encoding.token() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// The answer as a page to keep, or the answer itself when it is not one:
/// not `200 OK`, already encoded, or too large.
async fn keep(res: Response) -> Result<Page, Response> {
    if res.status() != StatusCode::OK || res.headers().contains_key(header::CONTENT_ENCODING) {
        return Err(res);
    }
    // Told before reading it, so that a larger answer is still served.
    if axum::body::HttpBody::size_hint(res.body()).lower() > LARGEST as u64 {
        return Err(res);
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, LARGEST).await {
        Ok(identity) => Ok(Page {
            content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
            identity,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn negotiates_from_every_accept_encoding_line() {
        let mut h = HeaderMap::new();
        h.append(header::ACCEPT_ENCODING, HeaderValue::from_static("deflate"));
        h.append(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0.4"),
        );
        assert_eq!(negotiate(&h), Encoding::Gzip);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_bodies_decode_to_the_page() {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("<p>word {i} of the page</p>\n").into_bytes())
            .collect();
        let gz = compress(&text, Encoding::Gzip);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .expect("gunzip");
        assert_eq!(back, text);
        let br = compress(&text, Encoding::Brotli);
        let mut back = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut back)
            .expect("unbrotli");
        assert_eq!(back, text);
        assert!(br.len() < text.len() / 5, "{} of {}", br.len(), text.len());
    }

    fn page(bytes: usize) -> Arc<Page> {
        Arc::new(Page {
            content_type: None,
            identity: Bytes::from(vec![b'x'; bytes]),
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        })
    }

    #[test]
    fn keeps_to_its_budget_dropping_the_least_recently_used() {
        let cache = PageCache::new(1000);
        for key in ["a", "b", "c"] {
            let slot = cache.slot(key, 7);
            slot.page.set(page(300)).expect("empty");
            cache.hold(300, 7);
        }
        // "a" used again: "b" is now the oldest.
        let _ = cache.slot("a", 7);
        let slot = cache.slot("d", 7);
        slot.page.set(page(300)).expect("empty");
        cache.hold(300, 7);
        assert!(cache.bytes() <= 750, "{}", cache.bytes());
        let kept = |k: &str| cache.slot(k, 7).page.get().is_some();
        assert!(kept("a") && kept("d"));
        assert!(!kept("b"));
        // A new data version drops everything.
        assert!(cache.slot("a", 8).page.get().is_none());
        assert_eq!(cache.bytes(), 0);
    }
}
