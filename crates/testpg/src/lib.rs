//! For tests: a PostgreSQL server on loopback, started once per machine by
//! `scripts/pg-cluster` (which installs Debian's postgresql when missing),
//! and a fresh, empty database for each test that asks. A test that needs
//! the server fails, never skips, when it cannot start.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The server's URL without a database, e.g. `postgres://podcorpus@127.0.0.1:5433`.
pub fn server() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("PODCORPUS_TEST_PG") {
            return url.trim_end_matches('/').to_string();
        }
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-cluster");
        let dir = std::env::temp_dir().join("podcorpus-test-pg");
        let out = Command::new(&script)
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "the test PostgreSQL cluster did not start ({}): {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
        // The script prints the URL of its own database; keep the server part.
        match url.rsplit_once('/') {
            Some((server, _db)) if server.contains("://") && !server.ends_with('/') => {
                server.to_string()
            }
            _ => panic!("scripts/pg-cluster printed no URL: {url:?}"),
        }
    })
}

/// A new empty database on the test server; returns its URL. Named after
/// `label`, the process and a counter, so tests running at once never share one.
pub fn fresh_database(label: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let clean: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    let name = format!(
        "t_{clean}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let admin = format!("{}/postgres", server());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to the test server {admin}: {e}"));
    client
        // One statement per message: a multi-statement message is one
        // transaction, in which PostgreSQL refuses DROP/CREATE DATABASE.
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .and_then(|()| client.batch_execute(&format!("CREATE DATABASE {name}")))
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e:?}"));
    format!("{}/{name}", server())
}
