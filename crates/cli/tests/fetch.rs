//! `podcorpus fetch` as a user runs it: the real yt-dlp against pages on
//! 127.0.0.1, a run killed halfway, and `fetch --resume` finishing it.

use serde_json::Value;

mod support;
use support::podcorpus;

#[path = "../../fetch/tests/support/site.rs"]
mod site;

#[test]
fn killed_fetch_resumes_where_it_stopped() {
    let site = site::serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let feed = format!("{}/v/feed.xml", site.base);
    let bin = assert_cmd::cargo::cargo_bin("podcorpus");
    // A slow, polite run (3 s between videos) killed once the first video is in.
    let mut child = std::process::Command::new(&bin)
        .arg("--db")
        .arg(&db)
        .args([
            "fetch",
            &feed,
            "--sleep",
            "3",
            "--collection",
            "talks",
            "--sub-format",
            "vtt",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let done: i64 = rusqlite::Connection::open(&db)
            .and_then(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM fetch_items WHERE status != 'pending'",
                    [],
                    |r| r.get(0),
                )
            })
            .unwrap_or(0);
        if done >= 1 || started.elapsed() > std::time::Duration::from_secs(120) {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let pending: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM fetch_items WHERE status = 'pending'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert!(pending >= 1, "the kill came before the end");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");

    let out = podcorpus(&db)
        .args(["fetch", "--resume", "--json"])
        .output()
        .expect("runs");
    // One video of the feed is a 404: the run finishes, reporting it, exit code 1.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["pending"], 0);
    assert_eq!(report["listed"], 4);
    assert_eq!(report["fetched"], 2);
    assert_eq!(report["no_captions"], 1);
    assert!(report["failed"][0]["reason"]
        .as_str()
        .expect("reason")
        .contains("404"));
    let list = podcorpus(&db)
        .args(["list", "--json"])
        .output()
        .expect("runs");
    let list: Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(list.as_array().expect("array").len(), 3);

    let again = podcorpus(&db)
        .args(["fetch", "--resume"])
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("no interrupted fetch to resume"));
}

#[test]
fn missing_yt_dlp_says_how_to_install_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = podcorpus(&dir.path().join("c.db"))
        .args([
            "fetch",
            "https://www.youtube.com/@lexfridman",
            "--yt-dlp",
            "/nonexistent/yt-dlp",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("python3 -m pip install yt-dlp"));
}
