//! The word tokens of a text exactly as the index sees them: runs of
//! alphanumeric characters, compared lowercased. This mirrors tantivy's
//! `default` analyzer (SimpleTokenizer + LowerCaser), so that highlighting
//! and concordance find the same words the index matched, with their byte
//! offsets in the original text.

use std::ops::Range;

/// Whether the character at byte `i` of `text` is alphanumeric, and its length.
/// ASCII, nearly all of the corpus, is decided from the byte alone.
fn class_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b.is_ascii_alphanumeric(), 1);
    }
    match text[i..].chars().next() {
        Some(c) => (c.is_alphanumeric(), c.len_utf8()),
        None => (false, 1),
    }
}

/// Byte ranges of the tokens of `text`, in order.
pub fn token_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            if i >= text.len() {
                return None;
            }
            let (alnum, width) = class_at(text, i);
            if alnum {
                break;
            }
            i += width;
        }
        let start = i;
        while i < text.len() {
            let (alnum, width) = class_at(text, i);
            if !alnum {
                break;
            }
            i += width;
        }
        Some(start..i)
    })
}

/// The lowercased tokens of `text` (what a query word or phrase becomes).
pub fn terms(text: &str) -> Vec<String> {
    token_ranges(text).map(|r| text[r].to_lowercase()).collect()
}

/// Whether `token` equals the lowercased `term`, ignoring case unless `case` is set
/// (then `term` is compared as written).
pub fn token_eq(token: &str, term: &str, case: bool) -> bool {
    if case {
        return token == term;
    }
    if token.is_ascii() {
        return token.eq_ignore_ascii_case(term);
    }
    token.to_lowercase() == term
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_punctuation_like_tantivy() {
        let t = "Don't stop—the meaning of life, 42!";
        let words: Vec<&str> = token_ranges(t).map(|r| &t[r]).collect();
        assert_eq!(
            words,
            ["Don", "t", "stop", "the", "meaning", "of", "life", "42"]
        );
        assert_eq!(terms("Élan VITAL"), ["élan", "vital"]);
    }

    #[test]
    fn compares_case_insensitively_unless_asked() {
        assert!(token_eq("Love", "love", false));
        assert!(!token_eq("Love", "love", true));
        assert!(token_eq("Élan", "élan", false));
    }
}
