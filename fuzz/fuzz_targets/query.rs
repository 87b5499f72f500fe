//! Fuzz target: the query language (wildcards, `/regex/`, `lemma:`,
//! proximity) must never panic, whatever the text; a mistake names a column
//! inside the query (or just after it); a concordance pattern that parses
//! evaluates on a small token list and a small text, its matches in order
//! and within them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_search::matcher::find_pattern;
use podcorpus_search::pattern::Pattern;
use podcorpus_search::query::{parse, text_sequences};

const TOKENS: [&str; 12] = [
    "The", "consciousness", "of", "women", "and", "cats", "ran", "running", "Elon", "to",
    "mars", "don't",
];
const TEXT: &str = "The consciousness of women, and cats ran; running Elon to mars. Don't!";

fuzz_target!(|data: &[u8]| {
    // Long inputs only make slower regexes, not new paths.
    let Ok(q) = std::str::from_utf8(&data[..data.len().min(256)]) else {
        return;
    };
    let cols = q.chars().count() + 1;
    match parse(q) {
        Ok(node) => {
            for p in text_sequences(&node) {
                check(&p);
            }
        }
        Err(e) => assert!((1..=cols).contains(&e.column), "{e}"),
    }
    for case in [false, true] {
        match Pattern::parse(q, case) {
            Ok(p) => check(&p),
            Err(podcorpus_search::SearchError::Syntax(e)) => {
                assert!((1..=cols).contains(&e.column), "{e}")
            }
            Err(other) => panic!("a pattern fails only by syntax: {other}"),
        }
    }
});

fn check(p: &Pattern) {
    let found = p.find(&TOKENS);
    for w in found.windows(2) {
        assert!(w[0].start <= w[1].start);
    }
    for r in &found {
        assert!(r.start < r.end && r.end <= TOKENS.len(), "{r:?}");
    }
    for r in find_pattern(TEXT, p) {
        assert!(r.start < r.end && TEXT.get(r).is_some());
    }
}
