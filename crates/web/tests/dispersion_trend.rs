//! The dispersion and trend pages and their API endpoints over real HTTP on
//! 127.0.0.1: the bundled Lexicap samples dated by the bundled slice of the
//! podcast's metadata table (#49 November 2019, #316 August 2022), the same
//! numbers as `podcorpus dispersion`/`trend` (whose CLI tests check them
//! against a brute-force count: "the" 299 and 319 times, "elon" 3 and 0).

use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// Imports the Lexicap samples and the metadata table, serves them, and
/// returns the base URL.
fn serve(dir: &Path) -> String {
    let db = dir.join("c.db");
    let store = Store::open(&db).expect("open");
    let table =
        samples().join("../crates/formats/tests/fixtures/tables/lex-fridman-podcast-episodes.csv");
    for (input, collection) in [(samples().join("lexicap"), None), (table, Some("lexicap"))] {
        let opts = ImportOptions {
            collection: collection.map(str::to_string),
            ..ImportOptions::default()
        };
        let (jobs, _) = discover(&[input], &opts).expect("discover");
        let report = podcorpus_ingest::import(&store, &jobs, &opts, &|_| {}).expect("import");
        assert!(report.failed.is_empty());
    }
    podcorpus_search::index::update(&store, &podcorpus_search::index_dir(&db), false)
        .expect("index");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            let state = podcorpus_web::AppState::new(db).expect("state");
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

fn get_json(url: &str) -> (u16, serde_json::Value) {
    let (status, body) = get(url);
    (status, serde_json::from_str(&body).expect("json"))
}

#[test]
fn dispersion_page_and_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());
    let (status, d) = get_json(&format!("{base}/api/dispersion?q=the"));
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["query"], "the");
    assert_eq!(
        (d["hits"].as_u64(), d["range"].as_u64(), d["parts"].as_u64()),
        (Some(618), Some(2), Some(2))
    );
    assert_eq!(d["episodes"][0]["episode"], "lexicap/49");
    assert_eq!(d["episodes"][0]["hits"], 299);
    assert_eq!(d["episodes"][1]["hits"], 319);
    assert_eq!(d["episodes"][0]["tokens"], 5646);
    assert_eq!(d["episodes"][1]["tokens"], 5104);
    assert_eq!(
        d["episodes"][0]["positions"].as_array().map(Vec::len),
        Some(299)
    );
    // DP by hand: s = 5646/10750, v = 299/618; DP = |v - s|.
    let dp = (299.0f64 / 618.0 - 5646.0 / 10750.0).abs();
    assert!((d["dp"].as_f64().expect("dp") - dp).abs() < 1e-12, "{d}");

    let (status, html) = get(&format!("{base}/dispersion?q=elon"));
    assert_eq!(status, 200);
    assert!(html.contains("<svg"), "{html}");
    assert!(
        html.contains("lexicap/49 (3)") && html.contains("lexicap/316 (0)"),
        "{html}"
    );
    assert!(html.contains("1 of 2 episodes"), "{html}");
    // The guest filter, and a query that is not one.
    let (_, chomsky) = get_json(&format!("{base}/api/dispersion?q=the&guest=Chomsky"));
    assert_eq!(chomsky["parts"], 1);
    assert_eq!(chomsky["hits"], 319);
    assert_eq!(get(&format!("{base}/api/dispersion?q=%20--%20")).0, 400);
    assert_eq!(get(&format!("{base}/api/dispersion")).0, 400);
    // Text from the query is escaped on the page.
    let (_, page) = get(&format!("{base}/dispersion?q=%3Cscript%3Ex"));
    assert!(!page.contains("<script>x"), "{page}");
    let (_, empty) = get(&format!("{base}/dispersion"));
    assert!(empty.contains("name=\"q\"") && !empty.contains("<svg"));
}

#[test]
fn trend_page_api_and_openapi() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());
    let (status, rows) = get_json(&format!("{base}/api/trend?q=the,%20elon&by=year"));
    assert_eq!(status, 200, "{rows}");
    let got: Vec<(String, String, u64, u64)> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["term"].as_str().unwrap_or("").to_string(),
                r["period"].as_str().unwrap_or("").to_string(),
                r["count"].as_u64().unwrap_or(99),
                r["tokens"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let row = |t: &str, p: &str, c: u64, n: u64| (t.to_string(), p.to_string(), c, n);
    assert_eq!(
        got,
        [
            row("the", "2019", 299, 5646),
            row("the", "2022", 319, 5104),
            row("elon", "2019", 3, 5646),
            row("elon", "2022", 0, 5104)
        ]
    );
    let pm = rows[0]["per_million"].as_f64().expect("per million");
    assert!((pm - 299.0 / 5646.0 * 1e6).abs() < 1e-9);
    let (_, monthly) = get_json(&format!("{base}/api/trend?q=the&by=month"));
    assert_eq!(monthly[1]["period"], "2022-08");
    assert_eq!(get(&format!("{base}/api/trend?q=the&by=week")).0, 400);
    assert_eq!(get(&format!("{base}/api/trend")).0, 400);

    let (status, html) = get(&format!("{base}/trend?q=the,elon&by=year"));
    assert_eq!(status, 200);
    assert!(html.contains("<svg") && html.contains("Occurrences per million tokens, by year"));
    assert!(
        html.contains("<td>elon</td><td>2019</td><td class=\"num\">3</td>"),
        "{html}"
    );
    // Linked from every page's navigation.
    assert!(html.contains("href=\"/dispersion\"") && html.contains("href=\"/trend\""));
    let (_, spec) = get_json(&format!("{base}/api/openapi.json"));
    assert!(spec["paths"]["/api/dispersion"]["get"].is_object());
    assert!(spec["paths"]["/api/trend"]["get"].is_object());
}
