//! A reader's connection to a server is read-only by the server's own rule:
//! a write through it is refused and changes nothing.

use podcorpus_store::{Access, ReadOnly, Store};
use std::path::Path;

#[test]
fn a_server_refuses_writes_through_a_readers_connection() {
    let url = podcorpus_testpg::fresh_database("ro_writes");
    let db = Path::new(&url);
    let mut parsed = podcorpus_core::Collect::default();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/lex-fridman-notes.txt"),
    )
    .expect("sample");
    let format = podcorpus_formats::Format::detect("lex-fridman-notes.txt", text.as_bytes())
        .expect("format");
    format
        .read(&podcorpus_formats::Context::default(), &text, &mut parsed)
        .expect("read");
    let writer = Store::open(db).expect("open for writing");
    writer.begin().expect("begin");
    let file = podcorpus_store::write::FileRecord {
        path: "notes.txt".into(),
        hash: "h".into(),
        format: "notes".into(),
        word_counts: Vec::new(),
    };
    let collection = podcorpus_store::write::CollectionSpec {
        name: "notes".into(),
        kind: "notes".into(),
        url: None,
    };
    writer
        .write_file(&file, &collection, &parsed)
        .expect("write");
    writer.commit().expect("commit");
    let before = writer.list(&Default::default()).expect("list").len();
    assert!(before > 0);

    let ro = ReadOnly::open(db).expect("open for reading");
    assert_eq!(ro.access(), Access::Server);
    let reader = ro.connect().expect("connect");
    assert_eq!(
        reader.list(&Default::default()).expect("list").len(),
        before
    );
    let episode = reader.list(&Default::default()).expect("list")[0].id;
    let refused = reader.save_summaries(&[(
        episode,
        podcorpus_store::summaries::NewSummary {
            kind: "extractive".into(),
            subject: podcorpus_core::Subject::Episode,
            text: "x".into(),
            method: None,
            model: None,
            params: None,
            prompt_hash: None,
            usage: None,
        },
    )]);
    let err = refused.expect_err("a write through a reader");
    assert!(err.to_string().contains("read-only transaction"), "{err}");
    assert!(writer
        .summaries(episode, None)
        .expect("summaries")
        .iter()
        .all(|s| s.summary.text != "x"));
}
