//! End to end in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, which `scripts/test` installs): load the episode list,
//! open an episode, follow a chapter link, switch the transcript source.
//! Screenshots go to `target/test-artifacts/web/`.

use fantoccini::{ClientBuilder, Locator};
use podcorpus_store::import::{discover, ImportOptions};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

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
        store
            .import(&jobs, &ImportOptions::default(), &|_| {})
            .expect("import");
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
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text");
    assert_eq!(h1, "Episodes (8)");
    std::fs::write(
        shots.join("1-episodes.png"),
        c.screenshot().await.expect("shot"),
    )
    .expect("save");

    // Filter through the form.
    let form = c.form(Locator::Css("form.filters")).await.expect("form");
    form.set_by_name("q", "ido").await.expect("type");
    form.submit().await.expect("submit");
    arrived(&c, "q=ido").await;
    let rows = c.find_all(Locator::Css("tbody tr")).await.expect("rows");
    assert_eq!(rows.len(), 1);

    // Open the episode and follow a chapter link.
    c.find(Locator::LinkText("Ido Portal: Movement"))
        .await
        .expect("link")
        .click()
        .await
        .expect("click");
    let title = c
        .find(Locator::Css("h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text");
    assert_eq!(title, "Ido Portal: Movement");
    std::fs::write(
        shots.join("2-episode.png"),
        c.screenshot().await.expect("shot"),
    )
    .expect("save");
    c.find(Locator::LinkText("Tough Love"))
        .await
        .expect("chapter")
        .click()
        .await
        .expect("click");
    let url = c.current_url().await.expect("url");
    let fragment = url.fragment().expect("fragment").to_string();
    let heading = c
        .find(Locator::Css(&format!("#{fragment} h3")))
        .await
        .expect("chapter heading")
        .text()
        .await
        .expect("text");
    assert_eq!(heading, "Tough Love");
    std::fs::write(
        shots.join("3-chapter.png"),
        c.screenshot().await.expect("shot"),
    )
    .expect("save");

    // A Lexicap episode: timestamps and the source switch.
    c.goto(&format!("{base}/e/lexicap/316"))
        .await
        .expect("goto");
    c.find(Locator::Css("a.badge"))
        .await
        .expect("other source")
        .click()
        .await
        .expect("click");
    let url = c.current_url().await.expect("url");
    assert!(url.as_str().ends_with("source=whisper-small"), "{url}");
    let ts = c
        .find(Locator::Css(".para .ts"))
        .await
        .expect("timestamp")
        .text()
        .await
        .expect("text");
    assert_eq!(ts, "00:00:00");
    std::fs::write(
        shots.join("4-lexicap-small.png"),
        c.screenshot().await.expect("shot"),
    )
    .expect("save");
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
    std::fs::write(
        shots.join("5-search.png"),
        c.screenshot().await.expect("shot"),
    )
    .expect("save");
    c.find(Locator::Css("ol.hits li a"))
        .await
        .expect("hit")
        .click()
        .await
        .expect("click");
    let url = c.current_url().await.expect("url");
    assert_eq!(url.fragment(), Some("t=416"));
    std::fs::write(
        shots.join("6-hit-in-episode.png"),
        c.screenshot().await.expect("shot"),
    )
    .expect("save");
    c.close().await.expect("close");
}
