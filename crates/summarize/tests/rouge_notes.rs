//! ROUGE against the real rouge-score package on the real notes summaries:
//! the references are the summaries imported from the bundled notes
//! document, the hypotheses are extractive summaries kept as fixtures.
//! Expected values were computed with rouge-score 0.1.2 from PyPI:
//! `RougeScorer(['rouge1','rouge2','rougeL'], use_stemmer=False).score(ref, hyp)`.

mod common;

use common::{notes_store, stored};
use podcorpus_summarize::rouge::{rouge, Score};

fn imported_summary(slot: u32) -> String {
    let store = notes_store();
    let id = store
        .resolve(&format!("lex-fridman-notes/{slot}"))
        .expect("slot")
        .id;
    stored(&store, id, "imported").remove(0).text
}

fn assert_score(got: Score, (p, r, f): (f64, f64, f64)) {
    assert!((got.precision - p).abs() < 1e-12, "{got:?}");
    assert!((got.recall - r).abs() < 1e-12, "{got:?}");
    assert!((got.f1 - f).abs() < 1e-12, "{got:?}");
}

#[test]
fn slot_01_equals_rouge_score() {
    let hyp = include_str!("fixtures/notes01_extractive.txt");
    let s = rouge(&imported_summary(1), hyp);
    assert_score(
        s.rouge1,
        (
            0.40668523676880225,
            0.27289719626168224,
            0.32662192393736017,
        ),
    );
    assert_score(
        s.rouge2,
        (
            0.05027932960893855,
            0.033707865168539325,
            0.04035874439461883,
        ),
    );
    assert_score(
        s.rouge_l,
        (0.181058495821727, 0.12149532710280374, 0.14541387024608501),
    );
}

#[test]
fn slot_05_equals_rouge_score() {
    let hyp = include_str!("fixtures/notes05_extractive.txt");
    let s = rouge(&imported_summary(5), hyp);
    assert_score(
        s.rouge1,
        (0.20192307692307693, 0.2809364548494983, 0.23496503496503496),
    );
    assert_score(
        s.rouge2,
        (
            0.01927710843373494,
            0.026845637583892617,
            0.02244039270687237,
        ),
    );
    assert_score(
        s.rouge_l,
        (
            0.10096153846153846,
            0.14046822742474915,
            0.11748251748251748,
        ),
    );
}
