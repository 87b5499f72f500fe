//! Helpers shared by the export tests: a corpus imported from the samples
//! bundled in the repo (the notes document and four Lexicap transcripts).

#![allow(dead_code)]

use podcorpus_export::hf::Split;
use podcorpus_export::{export, ExportReport, ExportRequest, Format};
use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_store::export_feed::{ExportEpisode, ExportSelection};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

/// The repo's `samples/` folder.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// Imports `paths` into a fresh database at `db`.
pub fn import(db: &Path, paths: &[PathBuf]) -> Store {
    let store = Store::open(db).expect("open");
    let options = ImportOptions::default();
    let (jobs, _) = discover(paths, &options).expect("discover");
    let report = podcorpus_ingest::import(&store, &jobs, &options, &|_| {}).expect("import");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    store
}

/// The notes document and the Lexicap samples in one database.
pub fn sample_corpus(dir: &Path) -> Store {
    import(
        &dir.join("c.db"),
        &[
            samples().join("lex-fridman-notes.txt"),
            samples().join("lexicap"),
        ],
    )
}

/// A request with defaults.
pub fn request(format: Format, output: &Path) -> ExportRequest {
    ExportRequest {
        format,
        output: output.to_path_buf(),
        selection: ExportSelection::default(),
        segments: false,
        comments: false,
        slots: None,
        split: Split::default(),
    }
}

/// Runs an export that must succeed.
pub fn run(store: &Store, req: &ExportRequest) -> ExportReport {
    export(store, req).expect("export")
}

/// Every episode of the store (or one collection), read the way exports read them.
pub fn episodes(store: &Store, collection: Option<&str>) -> Vec<ExportEpisode> {
    let sel = ExportSelection {
        collection: collection.map(str::to_string),
        ..Default::default()
    };
    store
        .export_items(&sel)
        .expect("items")
        .iter()
        .map(|i| store.export_episode(i).expect("episode"))
        .collect()
}

/// Cues in a WebVTT file, counted by its timing lines.
pub fn cue_count(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .filter(|l| l.contains("-->"))
        .count()
}

/// Runs a Python script with arguments; returns its stdout. Fails the test
/// when Python or the module is missing (`scripts/test` installs pyarrow).
pub fn python(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (scripts/test installs pyarrow)");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}
