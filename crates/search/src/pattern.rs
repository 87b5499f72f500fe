//! A concordance pattern evaluated on a stream of tokens, without the index:
//! what `kwic`, `dispersion` and `trend` count. Every count the index gives
//! for a pattern must equal what [`Pattern::find`] finds by brute force over
//! the same tokens.

use crate::tokens::{terms, token_eq, token_ranges};
use crate::{Result, SearchError};
use std::ops::Range;

/// One token's test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenTest {
    /// The token equals this word (lowercased unless the pattern is cased).
    Word(String),
}

impl TokenTest {
    /// Whether `token` (as written in the text) passes.
    pub fn matches(&self, token: &str, case: bool) -> bool {
        match self {
            TokenTest::Word(w) => token_eq(token, w, case),
        }
    }
}

/// A parsed concordance pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Tokens that must follow each other, at least one.
    pub seq: Vec<TokenTest>,
    /// Whether tokens are compared as written (`--case`).
    pub case: bool,
}

impl Pattern {
    /// Parses `query`: a word, or a phrase with or without quotes.
    pub fn parse(query: &str, case: bool) -> Result<Pattern> {
        let k = query.trim();
        let k = k
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(k);
        let words: Vec<String> = if case {
            token_ranges(k).map(|r| k[r].to_string()).collect()
        } else {
            terms(k)
        };
        if words.is_empty() {
            return Err(SearchError::Option(format!(
                "the keyword {query:?} has no letters or digits to look for"
            )));
        }
        Ok(Pattern {
            seq: words.into_iter().map(TokenTest::Word).collect(),
            case,
        })
    }

    /// Every match in `tokens` (the tokens of one text, in order, as
    /// written), as a range of token indexes.
    pub fn find(&self, tokens: &[&str]) -> Vec<Range<usize>> {
        let n = self.seq.len();
        if n == 0 || tokens.len() < n {
            return Vec::new();
        }
        (0..=tokens.len() - n)
            .filter(|&i| {
                self.seq
                    .iter()
                    .zip(&tokens[i..i + n])
                    .all(|(t, tok)| t.matches(tok, self.case))
            })
            .map(|i| i..i + n)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_and_phrases_by_token_index() {
        let toks = ["The", "meaning", "of", "life", "is", "the", "meaning"];
        let p = Pattern::parse("\"the meaning\"", false).expect("parse");
        assert_eq!(p.find(&toks), [0..2, 5..7]);
        let cased = Pattern::parse("The", true).expect("parse");
        assert_eq!(cased.find(&toks), [0..1]);
        assert!(Pattern::parse(" -- ", false).is_err());
    }
}
