//! The readers recover from flawed caption files the way the reference
//! parsers do: on the files in `fixtures/recovery/` (a STYLE block with a
//! blank line, a bad timestamp, blocks without timings, unknown cue settings,
//! blank lines inside SRT text, wrong cue numbers, lone-CR line endings, text
//! after the end time, `X1:` positions, `{\an8}` codes) they read the same
//! cues and words as webvtt-py, `srt` and pysrt, which
//! `reference/captions.py` runs on the same files (scripts/test installs
//! them). What the readers leave out is a warning at the right line.

use podcorpus_core::{Collect, Dropped};
use podcorpus_formats::{Context, FileHints, Format, ReadError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
struct Reference {
    library: String,
    cues: Vec<Cue>,
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recovery");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// What the reference libraries read, by file name.
fn reference(files: &[PathBuf]) -> BTreeMap<String, Reference> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/captions.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the reference parsers failed (scripts/test installs webvtt-py, srt and pysrt): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("reference JSON")
}

/// A cue as both sides give it: start, end, words.
type Cue = (u64, u64, String);

/// Our cues and warnings (line, message) of one file.
fn ours(path: &Path) -> (Vec<Cue>, Vec<(u64, String)>) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let bytes = std::fs::read(path).unwrap();
    let format = Format::detect(&name, &bytes).expect("a caption format");
    let text = String::from_utf8(bytes).unwrap();
    let ctx = Context {
        hints: FileHints::from_file_name(&name),
        ..Context::default()
    };
    let mut sink = Collect::default();
    match format.read(&ctx, &text, &mut sink) {
        Ok(()) => {}
        Err(ReadError::Parse(e)) => panic!("{name} refused: {e}"),
        Err(ReadError::Sink(never)) => match never {},
    }
    let cues = sink.episodes[0].transcripts[0]
        .segments
        .iter()
        .map(|s| {
            (
                s.start_ms.unwrap(),
                s.end_ms.unwrap(),
                s.text.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    assert!(sink.warnings.iter().all(|w| w.dropped == Dropped::Part));
    let warnings = sink
        .warnings
        .into_iter()
        .map(|w| (w.line, w.message))
        .collect();
    (cues, warnings)
}

#[test]
fn flawed_files_read_the_same_cues_and_words_as_the_reference_parsers() {
    let files = fixtures();
    assert_eq!(files.len(), 7);
    let reference = reference(&files);
    let mut words = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let want = &reference[&name];
        let (got, _) = ours(path);
        assert!(!want.cues.is_empty(), "{name}: the reference read nothing");
        assert_eq!(got, want.cues, "{name}, against {}", want.library);
        words += got.iter().map(|c| c.2.split(' ').count()).sum::<usize>();
    }
    // The reference for each format is the library named in the issue.
    assert!(reference["style-blank-line.vtt"]
        .library
        .starts_with("webvtt-py "));
    assert!(reference["blank-line-in-text.srt"]
        .library
        .starts_with("srt "));
    assert!(reference["bare-cr.srt"].library.starts_with("pysrt "));
    assert_eq!(words, 213);
}

#[test]
fn what_is_left_out_is_a_warning_at_its_line() {
    let warned: BTreeMap<String, Vec<u64>> = fixtures()
        .iter()
        .map(|p| {
            let (_, w) = ours(p);
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, w.iter().map(|(l, _)| *l).collect())
        })
        .collect();
    let want: BTreeMap<String, Vec<u64>> = [
        // The CSS after the STYLE block's blank line.
        ("style-blank-line.vtt", vec![9]),
        // The cue whose end time is "00:2x.920".
        ("bad-timestamp.vtt", vec![6]),
        // Two untimed lines, and an identifier cut off by a blank line.
        ("orphan-blocks.vtt", vec![15, 22]),
        ("bare-cr.srt", vec![]),
        ("blank-line-in-text.srt", vec![]),
        ("timing-line-extras.srt", vec![]),
        ("wrong-numbers.srt", vec![]),
    ]
    .into_iter()
    .map(|(n, l)| (n.to_string(), l))
    .collect();
    assert_eq!(warned, want);
    let (_, w) = ours(&fixtures()[0]);
    assert!(w[0].1.starts_with("cue left out: "), "{}", w[0].1);
    assert!(
        w[0].1.contains("the end time is missing or not a time"),
        "{}",
        w[0].1
    );
}
