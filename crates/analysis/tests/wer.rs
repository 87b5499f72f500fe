//! Error rates against jiwer 4.0.0 on real transcripts. Every expected number
//! below was computed with the real jiwer, the way ../shared/bench/peer_wer.py
//! does it:
//!
//! ```python
//! text = lambda f: " ".join(c.text for c in webvtt.read(f))          # webvtt-py 0.6.0
//! tr = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(),
//!                     jiwer.RemoveMultipleSpaces(), jiwer.Strip(), jiwer.ReduceToListOfListOfWords()])
//! o = jiwer.process_words(text(ref), text(hyp), reference_transform=tr, hypothesis_transform=tr)
//! # characters: the same with ReduceToListOfListOfChars() and jiwer.process_characters
//! ```

use podcorpus_analysis::wer::{compare, compare_all, Counts, Options, Step};
use podcorpus_core::Collect;
use podcorpus_formats::{Context, FileHints, Format};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A caption file's cue texts joined by one space, tags as written.
fn text(path: PathBuf) -> String {
    let raw = std::fs::read_to_string(&path).unwrap();
    let mut c = Collect::default();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    Format::WebVtt
        .read(
            &Context {
                hints: FileHints::from_file_name(&name),
                ..Default::default()
            },
            &raw,
            &mut c,
        )
        .unwrap();
    let cues: Vec<String> = c.episodes[0].transcripts[0]
        .segments
        .iter()
        .map(|s| podcorpus_analysis::wer::cue_as_written(&s.text, &s.events))
        .collect();
    cues.join(" ")
}

fn both() -> Options {
    Options {
        chars: true,
        align: true,
    }
}

#[test]
fn lexicap_049_equals_jiwer() {
    let dir = repo().join("samples/lexicap");
    let (c, _) = compare(
        &text(dir.join("episode_049_large.vtt")),
        &text(dir.join("episode_049_small.vtt")),
        both(),
    );
    // jiwer: S=111 D=241 I=90 H=5291 wer=0.07832713095870991;
    // characters: 1769 edits over 31051, cer=0.05697078999066053.
    assert_eq!(
        (c.substitutions, c.deletions, c.insertions, c.hits),
        (111, 241, 90, 5291)
    );
    assert_eq!(c.wer(), 0.07832713095870991);
    assert_eq!((c.char_edits, c.ref_chars), (1769, 31051));
    assert_eq!(c.cer(), 0.05697078999066053);
}

#[test]
fn corpus_rate_sums_errors_over_pairs_like_jiwer() {
    let dir = repo().join("samples/lexicap");
    let pairs: Vec<(String, String)> = ["049", "316"]
        .iter()
        .map(|e| {
            (
                text(dir.join(format!("episode_{e}_large.vtt"))),
                text(dir.join(format!("episode_{e}_small.vtt"))),
            )
        })
        .collect();
    let counts = compare_all(&pairs, Options::default());
    // jiwer on 316 alone: S=78 D=36 I=80 H=4955.
    assert_eq!(
        (
            counts[1].substitutions,
            counts[1].deletions,
            counts[1].insertions,
            counts[1].hits
        ),
        (78, 36, 80, 4955)
    );
    let mut total = Counts::default();
    counts.iter().for_each(|c| total.add(c));
    // jiwer.process_words([ref049, ref316], [hyp049, hyp316], ...).wer
    // = (111+241+90 + 78+36+80) / (5643 + 5069)
    assert_eq!(total.wer(), 636.0 / 10712.0);
}

#[test]
fn punctuation_apostrophes_hyphens_and_tags_as_jiwer() {
    let dir = repo().join("crates/analysis/tests/fixtures");
    let (c, steps) = compare(
        &text(dir.join("tags_ref.vtt")),
        &text(dir.join("tags_hyp.vtt")),
        both(),
    );
    // jiwer: S=6 D=0 I=3 H=9, wer=0.6; characters 24 / 78, cer=0.3076923076923077.
    // Its alignment:
    // REF: music wellknown facts ** dont panic its 42 naïve café quoted ****    words so we end **** here
    // HYP:  well     known facts do  not panic its 42 naive cafe quoted word applause so we end here here
    assert_eq!(
        (c.substitutions, c.deletions, c.insertions, c.hits),
        (6, 0, 3, 9)
    );
    assert_eq!((c.char_edits, c.ref_chars), (24, 78));
    let steps = steps.unwrap();
    assert_eq!(
        steps[..4],
        [
            Step::Substitution {
                reference: "music".into(),
                hypothesis: "well".into()
            },
            Step::Substitution {
                reference: "wellknown".into(),
                hypothesis: "known".into()
            },
            Step::Hit {
                word: "facts".into()
            },
            Step::Insertion {
                hypothesis: "do".into()
            },
        ]
    );
    assert_eq!(
        steps.last(),
        Some(&Step::Hit {
            word: "here".into()
        })
    );
    assert_eq!(steps.len(), 18);
}

#[test]
fn empty_and_identical_texts() {
    let (c, _) = compare("Hello, world!", "hello world", both());
    assert_eq!((c.hits, c.wer(), c.cer()), (2, 0.0, 0.0));
    // jiwer's convention for an empty reference: WER is the insertion count.
    let (c, _) = compare("", "two words", Options::default());
    assert_eq!((c.insertions, c.wer()), (2, 2.0));
    let (c, _) = compare("...", "", Options::default());
    assert_eq!(c, Counts::default());
}
