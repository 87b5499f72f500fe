//! Readers never write: `show`, `search`, `kwic` and `list`-like reads of an
//! old corpus leave its file as it was (no migration, no index made), a
//! corpus from a newer podcorpus gets a clear message, and on a server the
//! readers' connections are read-only.

mod support;
use support::{json, podcorpus, samples};

use std::path::Path;

/// The bytes of `path`, to tell whether anything wrote to it.
fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

#[test]
fn readers_leave_an_old_corpus_as_it_was_and_refuse_a_newer_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    // Written by version 7 of the schema: Lexicap and a talk.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../store/tests/fixtures/v7-lexicap-and-a-talk.db"),
        &db,
    )
    .expect("copy fixture");
    let before = bytes(&db);
    let version = |db: &Path| -> i64 {
        let c = rusqlite::Connection::open(db).expect("open");
        c.pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version")
    };
    assert_eq!(version(&db), 7);

    let out = podcorpus(&db)
        .args(["show", "lexicap/49"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("lexicap/49"), "{stdout}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("older podcorpus") && err.contains("reindex"),
        "{err}"
    );

    // search and kwic: no index is built behind the reader's back.
    let out = podcorpus(&db)
        .args(["search", "neuralink"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no search index") && err.contains("reindex"),
        "{err}"
    );
    let out = podcorpus(&db)
        .args(["kwic", "neuralink"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(!dir.path().join("old.db.index").exists());

    assert_eq!(bytes(&db), before, "a reader changed the file");
    assert_eq!(version(&db), 7);

    // A writer migrates it once; then readers read the file itself.
    let out = podcorpus(&db).arg("reindex").output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(version(&db) > 7);
    let hits = json(podcorpus(&db).args(["search", "neuralink"]));
    assert!(!hits.as_array().expect("hits").is_empty());

    // From a newer podcorpus: refused, saying so, and left alone.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&db, &newer).expect("copy");
    rusqlite::Connection::open(&newer)
        .expect("open")
        .pragma_update(None, "user_version", 999)
        .expect("bump");
    let newer_bytes = bytes(&newer);
    for args in [
        &["show", "lexicap/49"][..],
        &["search", "neuralink"],
        &["list"],
    ] {
        let out = podcorpus(&newer).args(args).output().expect("runs");
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("schema version 999") && err.contains("upgrade podcorpus"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(bytes(&newer), newer_bytes);
}

#[test]
fn on_a_server_readers_use_read_only_connections_and_never_migrate() {
    let url = podcorpus_testpg::fresh_database("readers");
    let db = Path::new(&url);
    let cache = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        podcorpus(db)
            .env("PODCORPUS_CACHE", cache.path())
            .args(args)
            .output()
            .expect("runs")
    };
    // Nothing there yet: a reader says how to make a corpus, and makes nothing.
    let out = run(&["show", "1"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no corpus on") && err.contains("import"),
        "{err}"
    );
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let tables: i64 = admin
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(tables, 0, "a reader created tables");

    let out = podcorpus(db)
        .env("PODCORPUS_CACHE", cache.path())
        .arg("import")
        .arg(samples().join("lexicap"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let version = |c: &mut postgres::Client| -> i64 {
        c.query_one("SELECT version FROM podcorpus_meta", &[])
            .expect("version")
            .get(0)
    };
    let current = version(&mut admin);
    let shown = json(
        podcorpus(db)
            .env("PODCORPUS_CACHE", cache.path())
            .args(["show", "lexicap/316"]),
    );
    assert_eq!(shown["number"], 316);
    assert_eq!(shown["collection"], "lexicap");

    // An older schema on the server: readers refuse and leave it, a writer upgrades.
    admin
        .execute("UPDATE podcorpus_meta SET version = version - 1", &[])
        .expect("downgrade the mark");
    let out = run(&["show", "lexicap/316"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("older than this podcorpus reads") && err.contains("reindex"),
        "{err}"
    );
    assert_eq!(
        version(&mut admin),
        current - 1,
        "a reader migrated the server"
    );
    admin
        .execute("UPDATE podcorpus_meta SET version = version + 1", &[])
        .expect("restore the mark");

    // Newer: refused with the same message as a file's.
    admin
        .execute("UPDATE podcorpus_meta SET version = 999", &[])
        .expect("bump");
    let out = run(&["search", "ukraine"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schema version 999") && err.contains("upgrade podcorpus"),
        "{err}"
    );
    admin
        .execute("UPDATE podcorpus_meta SET version = $1", &[&current])
        .expect("restore");
}
