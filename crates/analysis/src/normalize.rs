//! jiwer's text normalization for error rates, character for character:
//! `Compose([ToLowerCase(), RemovePunctuation(), RemoveMultipleSpaces(), Strip()])`
//! followed by `ReduceToListOfListOfWords()` (words) or `ReduceToListOfListOfChars()`
//! (characters).
//!
//! The details matter because the counts must equal jiwer's to the unit:
//! - lowercasing is Unicode's full mapping (Python's `str.lower`);
//! - every character of a Unicode punctuation category (`P*`) is deleted, not
//!   replaced by a space: `don't` becomes `dont`, `well-known` becomes `wellknown`,
//!   while symbols (`$`, `+`, `=`, `%`... are `S*`) stay;
//! - only runs of two or more whitespace characters become one space (`\s\s+`),
//!   so a lone tab or newline stays inside a "word";
//! - `strip()` trims Python's whitespace, and words are split on the space character
//!   alone, empty words dropped.

use crate::unicode_tables::{PUNCTUATION, PY_WHITESPACE};

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether `c` is punctuation by Unicode general category `P*` (as Python 3.11 sees it).
pub fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    in_table(PUNCTUATION, c)
}

/// Whether Python's `str.isspace()` holds for `c` (what `\s` and `strip()` use).
pub fn is_py_whitespace(c: char) -> bool {
    in_table(PY_WHITESPACE, c)
}

/// Normalizes a text the way jiwer's `ToLowerCase, RemovePunctuation,
/// RemoveMultipleSpaces, Strip` does.
///
/// This is the reference tool's rule, not the corpus analyzer
/// ([`podcorpus_core::analyzer`], which keeps `don't` and splits
/// `well-known`): error rates must equal jiwer's, so only WER/CER use it.
pub fn jiwer_normalize(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    // `pending` holds a whitespace run not yet written: one character is kept
    // as it is, two or more become a single space.
    let mut run_first: Option<char> = None;
    let mut run_len = 0usize;
    let flush = |out: &mut String, first: Option<char>, len: usize| {
        if let Some(c) = first {
            out.push(if len >= 2 { ' ' } else { c });
        }
    };
    for c in lower.chars() {
        if is_punctuation(c) {
            continue;
        }
        if is_py_whitespace(c) {
            if run_len == 0 {
                run_first = Some(c);
            }
            run_len += 1;
            continue;
        }
        flush(&mut out, run_first.take(), run_len);
        run_len = 0;
        out.push(c);
    }
    flush(&mut out, run_first.take(), run_len);
    out.trim_matches(is_py_whitespace).to_string()
}

/// The words of a [`jiwer_normalize`]d text, as jiwer's
/// `ReduceToListOfListOfWords` splits them: on the space character, empty
/// words dropped.
pub fn jiwer_words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(' ').filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_punctuation_is_category_p() {
        // Python: [c for c in map(chr, range(128)) if unicodedata.category(c)[0] == 'P']
        let p: String = (0u8..128)
            .map(char::from)
            .filter(|&c| is_punctuation(c))
            .collect();
        assert_eq!(p, "!\"#%&'()*,-./:;?@[\\]_{}");
        for c in (0u8..128).map(char::from) {
            assert_eq!(is_punctuation(c), in_table(PUNCTUATION, c), "{c:?}");
        }
    }

    #[test]
    fn normalizes_like_jiwer() {
        // Values from jiwer 4.0.0: Compose([ToLowerCase(), RemovePunctuation(),
        // RemoveMultipleSpaces(), Strip()]) applied to each input.
        assert_eq!(
            jiwer_normalize("  Don't STOP — well-known…  $5 + 3% "),
            "dont stop wellknown $5 + 3"
        );
        assert_eq!(jiwer_normalize("a\tb  c\t\td"), "a\tb c d");
        assert_eq!(
            jiwer_normalize("“Quoted,” she said. ¿Qué?"),
            "quoted she said qué"
        );
        assert_eq!(jiwer_normalize(" - "), "");
        assert_eq!(
            jiwer_words("a\tb c d").collect::<Vec<_>>(),
            ["a\tb", "c", "d"]
        );
    }
}
