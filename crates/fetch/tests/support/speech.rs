//! Speech for the recognizer's tests: the committed text (Lexicap, episode
//! 316's opening, 57 words) read aloud by espeak-ng at test time, and the
//! checks every recognized transcript of it must pass.
// Included by the tests of two crates; each uses part of it.
#![allow(dead_code)]

use podcorpus_core::Segment;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the test audio says.
pub const SPOKEN: &str = include_str!("../fixtures/spoken.txt");

/// Writes `dir/spoken.wav`, SPOKEN read by espeak-ng (about 18 s).
pub fn spoken_wav(dir: &Path) -> PathBuf {
    let wav = dir.join("spoken.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "165", "-w"])
        .arg(&wav)
        .arg(SPOKEN.trim())
        .status()
        .expect("espeak-ng is needed for the speech tests: `apt-get install espeak-ng` (scripts/test installs it)");
    assert!(status.success(), "espeak-ng failed: {status}");
    wav
}

/// Word error rate of `hypothesis` against SPOKEN, normalized as jiwer does.
pub fn wer(hypothesis: &str) -> f64 {
    let (counts, _) = podcorpus_analysis::wer::compare(SPOKEN, hypothesis, Default::default());
    counts.wer()
}

/// The checks of a timed transcript of the test audio: segments and words
/// in order, every word inside its audio (`duration_ms`), words timed.
pub fn check_timings(segments: &[Segment], duration_ms: u64) {
    assert!(segments.len() >= 2, "{segments:?}");
    let mut last_word = 0;
    let mut last_start = 0;
    let mut words = 0;
    for s in segments {
        let (start, end) = (s.start_ms.expect("timed"), s.end_ms.expect("timed"));
        assert!(start <= end && end <= duration_ms + 500, "{s:?}");
        assert!(start >= last_start, "segments in order: {s:?}");
        last_start = start;
        assert!(!s.words.is_empty(), "every segment has word timings: {s:?}");
        for w in &s.words {
            assert!(w.start_ms >= last_word, "word timings increase: {s:?}");
            assert!(w.start_ms <= duration_ms, "{w:?} past the audio");
            last_word = w.start_ms;
            words += 1;
        }
    }
    assert!(words >= 45, "{words} words timed");
}

/// The version of a Python module as the installed recognizer reports it
/// (what its provenance must record).
pub fn python_version_of(module: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(format!("import {module}; print({module}.__version__)"))
        .output()
        .expect("python3");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
