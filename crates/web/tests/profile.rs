//! `/profile` and `/api/profile` over real HTTP on the bundled Lexicap
//! samples (with the podcast's table naming the guests): the numbers are the
//! CLI's (the bands of episode 316 as bench/brute_profile.py counts them with
//! Python's wordfreq), the page draws them and escapes what it shows.

use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// Imports the Lexicap samples and the guests' table; serves them.
fn serve(dir: &Path) -> String {
    let db = dir.join("c.db");
    let store = Store::open(&db).expect("open");
    let run = |inputs: &[PathBuf], o: &ImportOptions| {
        let (jobs, _) = discover(inputs, o).expect("discover");
        let report = podcorpus_ingest::import(&store, &jobs, o, &|_| {}).expect("import");
        assert!(report.failed.is_empty());
    };
    run(&[samples().join("lexicap")], &ImportOptions::default());
    run(
        &[samples()
            .join("../crates/formats/tests/fixtures/tables/lex-fridman-podcast-episodes.csv")],
        &ImportOptions {
            collection: Some("lexicap".into()),
            ..ImportOptions::default()
        },
    );
    podcorpus_search::index::update(&store, &podcorpus_search::index_dir(&db), false)
        .expect("index");
    drop(store);
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

fn get_json(url: &str) -> (u16, Value) {
    let (status, body) = get(url);
    (status, serde_json::from_str(&body).expect("json"))
}

#[test]
fn profile_page_and_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = serve(dir.path());

    // Episode 316: 3743 of 5075 tokens in the 1k band, 105 off-list, as
    // bench/brute_profile.py counts them on episode_316_large.vtt.
    let (status, one) = get_json(&format!("{base}/api/profile?episode=lexicap/316&limit=3"));
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["tokens"], 5075);
    assert_eq!(one["bands"][0]["band"], "1k");
    assert_eq!(one["bands"][0]["tokens"], 3743);
    assert_eq!(one["bands"][0]["share"].as_f64(), Some(3743.0 / 5075.0));
    assert_eq!(one["bands"][7]["band"], "off-list");
    assert_eq!(one["bands"][7]["tokens"], 105);
    assert_eq!(one["off_list"].as_array().map(Vec::len), Some(3));
    assert_eq!(one["off_list"][0]["word"], "noam");

    let (status, guests) = get_json(&format!("{base}/api/profile?by=guest"));
    assert_eq!(status, 200);
    let rows = guests.as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["name"], "Noam Chomsky");
    assert_eq!(rows[1]["bands"], one["bands"]);
    let (_, guest) = get_json(&format!("{base}/api/profile?guest=chomsky&limit=3"));
    assert_eq!(guest, one);

    let (status, page) = get(&format!("{base}/profile?episode=lexicap/316"));
    assert_eq!(status, 200);
    assert!(page.contains("Vocabulary profile of lexicap/316"), "{page}");
    assert!(page.contains("<svg"), "{page}");
    assert!(page.contains("73.75 %"), "{page}");
    assert!(page.contains("donbass"), "{page}");
    let (status, side) = get(&format!("{base}/profile?by=guest"));
    assert_eq!(status, 200);
    assert!(
        side.contains("Elon Musk") && side.contains("73.75"),
        "{side}"
    );
    assert!(
        side.contains("href=\"/profile?guest=Noam%20Chomsky\""),
        "{side}"
    );
    let (status, _) = get(&format!("{base}/profile"));
    assert_eq!(status, 200);

    // Errors: an unknown episode, a bad by=, and markup in a name, escaped.
    assert_eq!(get(&format!("{base}/profile?episode=nope/1")).0, 404);
    assert_eq!(get(&format!("{base}/api/profile?by=year")).0, 400);
    let (status, hostile) = get(&format!("{base}/profile?guest=%3Cscript%3E"));
    assert_eq!(status, 404);
    assert!(!hostile.contains("<script>"), "{hostile}");

    let (_, spec) = get_json(&format!("{base}/api/openapi.json"));
    assert!(spec["paths"]["/api/profile"]["get"].is_object());
}
