//! `podcorpus serve` on a corpus whose files cannot be written (a read-only
//! share, another user's corpus): it serves pages and searches, and nothing
//! in the corpus folder changes, not even SQLite's WAL index.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use support::{podcorpus, samples};

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("under").display().to_string();
                out.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// Sets the mode of `dir`, everything under it, and itself.
fn chmod_all(dir: &Path, file_mode: u32, dir_mode: u32) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            chmod_all(&path, file_mode, dir_mode);
        } else {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(file_mode))
                .expect("chmod");
        }
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode)).expect("chmod");
}

/// Stops the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

#[test]
fn serve_reads_a_corpus_whose_files_cannot_be_written_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Others may enter the test's folder: the server may run as `nobody`.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let db = corpus.join("c.db");
    podcorpus(&db)
        .arg("import")
        .arg(samples().join("lex-fridman-notes.txt"))
        .arg(samples().join("lexicap"))
        .assert()
        .success();
    chmod_all(&corpus, 0o444, 0o555);
    let before = files(&corpus);

    // Root writes whatever the modes say: run the server as `nobody` then,
    // for whom the modes hold.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let port = free_port();
    let bin = assert_cmd::cargo::cargo_bin("podcorpus");
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.arg("--db")
        .arg(&db)
        .args(["serve", "--port", &port.to_string()])
        .env_remove("PODCORPUS_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut server = Server(cmd.spawn().expect("serve starts"));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client.get(format!("{base}/")).send().is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(up, "the server never answered");
    for path in ["/", "/e/lexicap/316", "/stats", "/kwic?q=war"] {
        let r = client.get(format!("{base}{path}")).send().expect("get");
        assert_eq!(r.status(), 200, "{path}: {}", r.text().unwrap_or_default());
    }
    let hits: serde_json::Value = serde_json::from_str(
        &client
            .get(format!("{base}/api/search?q=Godfather&limit=3"))
            .send()
            .expect("search")
            .text()
            .expect("body"),
    )
    .expect("json");
    assert_eq!(hits["hits"].as_array().map(Vec::len), Some(1), "{hits}");
    assert_eq!(hits["hits"][0]["number"], 49, "{hits}");
    let _ = server.0.kill();
    let mut said = String::new();
    if let Some(mut e) = server.0.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut said);
    }
    drop(server);
    // SQLite could not keep its WAL index beside the file: read as immutable.
    assert!(said.contains("is read as immutable"), "{said}");
    let after = files(&corpus);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &before {
        assert!(after[name] == *bytes, "{name} changed");
    }
    chmod_all(&corpus, 0o644, 0o755);
}
