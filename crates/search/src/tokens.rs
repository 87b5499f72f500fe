//! The word tokens of a text: runs of alphanumeric characters, compared
//! lowercased. The index is built with this same rule ([`Words`], registered
//! with tantivy as [`ANALYZER`]), so that highlighting and concordance find
//! the words the index matched, with their byte offsets in the original text.

use std::ops::Range;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the index's text fields give their analyzer.
pub const ANALYZER: &str = "words";

/// Tokens of this many bytes or more are left out of the index, as tantivy's
/// `default` analyzer does (`RemoveLongFilter::limit(40)`): they are never
/// words, and they would bloat the term dictionary.
pub const MAX_INDEXED_BYTES: usize = 40;

/// Whether the character at byte `i` of `text` (not ASCII) is alphanumeric,
/// and its length.
#[cold]
fn wide_class_at(text: &str, i: usize) -> (bool, usize) {
    match text.get(i..).and_then(|t| t.chars().next()) {
        Some(c) => (c.is_alphanumeric(), c.len_utf8()),
        None => (false, 1),
    }
}

/// The next token of `text` at or after byte `*i`, moving `*i` past it, and
/// whether the token is all ASCII. ASCII, nearly all of the corpus, is
/// decided from the byte alone: this loop is the index's hottest.
#[inline]
fn scan(text: &str, i: &mut usize) -> Option<(Range<usize>, bool)> {
    let bytes = text.as_bytes();
    let mut j = *i;
    loop {
        let Some(&b) = bytes.get(j) else {
            *i = j;
            return None;
        };
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                break;
            }
            j += 1;
        } else {
            let (alnum, width) = wide_class_at(text, j);
            if alnum {
                break;
            }
            j += width;
        }
    }
    let start = j;
    let mut ascii = true;
    while let Some(&b) = bytes.get(j) {
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            j += 1;
        } else {
            let (alnum, width) = wide_class_at(text, j);
            if !alnum {
                break;
            }
            ascii = false;
            j += width;
        }
    }
    *i = j;
    Some((start..j, ascii))
}

/// Byte ranges of the tokens of `text`, in order.
pub fn token_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || scan(text, &mut i).map(|(r, _)| r))
}

/// Appends [`normalize`]'s form of `token` to `out`; `ascii` says whether
/// the token is all ASCII (the scan knows it already).
#[inline]
fn push_normalized(token: &str, ascii: bool, out: &mut String) {
    if ascii {
        let start = out.len();
        out.push_str(token);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        out.extend(token.chars().flat_map(char::to_lowercase));
    }
}

/// The normalized (lowercased) form of `token`. Characters are lowercased
/// one by one, without the final-sigma rule, as tantivy's `LowerCaser` does:
/// the same form whichever position a word takes.
pub fn normalize(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_normalized(token, token.is_ascii(), &mut out);
    out
}

/// The lowercased tokens of `text` (what a query word or phrase becomes).
pub fn terms(text: &str) -> Vec<String> {
    token_ranges(text).map(|r| normalize(&text[r])).collect()
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
    normalize(token) == term
}

/// The index's analyzer: [`token_ranges`] and [`normalize`] in one pass,
/// dropping tokens of [`MAX_INDEXED_BYTES`] or more while still counting their
/// positions. It indexes exactly what tantivy's `default` analyzer
/// (SimpleTokenizer, RemoveLongFilter(40), LowerCaser) does, in one scan
/// instead of three stages.
#[derive(Debug, Clone, Default)]
pub struct Words {
    token: Token,
}

/// The token stream of [`Words`] over one text.
pub struct WordStream<'a> {
    text: &'a str,
    at: usize,
    token: &'a mut Token,
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((r, ascii)) = scan(self.text, &mut self.at) {
            self.token.position = self.token.position.wrapping_add(1);
            if r.len() >= MAX_INDEXED_BYTES {
                continue;
            }
            self.token.text.clear();
            push_normalized(&self.text[r.clone()], ascii, &mut self.token.text);
            self.token.offset_from = r.start;
            self.token.offset_to = r.end;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
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

    /// Every token tantivy's `default` analyzer gives, with its position and
    /// offsets, on real transcript text and on the awkward cases.
    #[test]
    fn indexes_exactly_what_tantivys_default_analyzer_does() {
        use tantivy::tokenizer::TextAnalyzer;
        let long = "x".repeat(MAX_INDEXED_BYTES);
        let texts = [
            "Lex Fridman: I think consciousness is... well, it's the hard problem!".to_string(),
            "ΣΊΣΥΦΟΣ and Straße, İstanbul, ǅemal, naïve café — 3.14 × 10^8".to_string(),
            format!("short {long} words {} after", &long[1..]),
            "  \u{1f600} emoji\tand\ttabs\n\nnew lines ".to_string(),
            String::new(),
        ];
        for text in &texts {
            let mut ours = TextAnalyzer::from(Words::default());
            let mut theirs = TextAnalyzer::builder(tantivy::tokenizer::SimpleTokenizer::default())
                .filter(tantivy::tokenizer::RemoveLongFilter::limit(40))
                .filter(tantivy::tokenizer::LowerCaser)
                .build();
            let collect = |a: &mut TextAnalyzer| {
                let mut out = Vec::new();
                let mut s = a.token_stream(text);
                while let Some(t) = s.next() {
                    out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
                }
                out
            };
            assert_eq!(collect(&mut ours), collect(&mut theirs), "{text:?}");
        }
        let mut ours = TextAnalyzer::from(Words::default());
        let mut s = ours.token_stream(&texts[2]);
        let mut got = Vec::new();
        while let Some(t) = s.next() {
            got.push((t.text.clone(), t.position));
        }
        // The 40-byte token is dropped but keeps its position; 39 bytes stay.
        assert_eq!(got[0], ("short".to_string(), 0));
        assert_eq!(got[1], ("words".to_string(), 2));
        assert_eq!(got[2].1, 3);
        assert_eq!(got[3], ("after".to_string(), 4));
    }

    #[test]
    fn compares_case_insensitively_unless_asked() {
        assert!(token_eq("Love", "love", false));
        assert!(!token_eq("Love", "love", true));
        assert!(token_eq("Élan", "élan", false));
    }
}
