//! The index's side of the one analyzer ([`podcorpus_core::analyzer`]):
//! [`Words`], the tantivy tokenizer registered as [`ANALYZER`], and the
//! token functions the query, highlighting and concordance code calls, all
//! over the core's scanner, so that what they find is what the index
//! matched, with byte offsets in the original text.

use podcorpus_core::analyzer;
use std::ops::Range;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the index's text fields give their analyzer.
pub const ANALYZER: &str = "words";

/// Tokens of this many bytes or more are left out of the index, as tantivy's
/// `default` analyzer does (`RemoveLongFilter::limit(40)`): they are never
/// words, and they would bloat the term dictionary.
pub const MAX_INDEXED_BYTES: usize = 40;

/// Byte ranges of the tokens of `text`, in order ([`analyzer::token_ranges`]).
pub fn token_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    analyzer::token_ranges(text)
}

/// The normal form of `token` ([`analyzer::normalize`]): lowercased
/// character by character without the final-sigma rule, `’` written `'`.
pub fn normalize(token: &str) -> String {
    analyzer::normalize(token)
}

/// The normal forms of the tokens of `text` (what a query word or phrase
/// becomes; [`analyzer::terms`]).
pub fn terms(text: &str) -> Vec<String> {
    analyzer::terms(text)
}

/// Whether `token` equals the normalized `term`, ignoring case unless `case`
/// is set (then `term` is compared as written; [`analyzer::token_eq`]).
pub fn token_eq(token: &str, term: &str, case: bool) -> bool {
    analyzer::token_eq(token, term, case)
}

/// The index's analyzer: the core's tokens and normal forms in one pass,
/// dropping tokens of [`MAX_INDEXED_BYTES`] or more while still counting
/// their positions (a phrase cannot match across a dropped token).
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
        while let Some((r, ascii)) = analyzer::next_token(self.text, &mut self.at) {
            self.token.position = self.token.position.wrapping_add(1);
            let Some(word) = self.text.get(r.clone()) else {
                continue;
            };
            if word.len() >= MAX_INDEXED_BYTES {
                continue;
            }
            self.token.text.clear();
            analyzer::push_normalized(word, ascii, &mut self.token.text);
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
    use tantivy::tokenizer::TextAnalyzer;

    /// (text, position, from, to) of every token `Words` indexes in `text`.
    fn indexed(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut a = TextAnalyzer::from(Words::default());
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    /// The index's rule written the slow way, independently of the core's
    /// scanner: the regex `[^\W_]+(?:['’][^\W\d_][^\W_]*)*` as `char` logic
    /// (alphanumeric runs joined through an apostrophe that follows a word
    /// character and precedes a letter), lowercased one `char` at a time with
    /// `’` as `'`, tokens of 40 bytes or more dropped but counted.
    fn brute_force(text: &str) -> Vec<(String, usize, usize, usize)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut spans = Vec::new();
        let mut start: Option<usize> = None;
        for (k, &(at, c)) in chars.iter().enumerate() {
            let next_alpha = chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphabetic());
            let keep = c.is_alphanumeric()
                || (start.is_some() && matches!(c, '\'' | '\u{2019}') && next_alpha);
            match (keep, start) {
                (true, None) => start = Some(at),
                (false, Some(s)) => {
                    spans.push((s, at));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            spans.push((s, text.len()));
        }
        spans
            .into_iter()
            .enumerate()
            .filter(|(_, (s, e))| e - s < 40)
            .map(|(pos, (s, e))| {
                let lower: String = text[s..e]
                    .chars()
                    .flat_map(|c| {
                        if c == '\u{2019}' {
                            '\''.to_lowercase()
                        } else {
                            c.to_lowercase()
                        }
                    })
                    .collect();
                (lower, pos, s, e)
            })
            .collect()
    }

    fn lexicap_samples() -> Vec<String> {
        let dir = format!("{}/../../samples/lexicap", env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        texts.sort();
        texts
    }

    #[test]
    fn splits_on_punctuation_keeping_apostrophes() {
        let t = "Don't stop—the meaning of life, 42! ’quoted’ 90s'";
        let words: Vec<&str> = token_ranges(t).map(|r| &t[r]).collect();
        assert_eq!(
            words,
            ["Don't", "stop", "the", "meaning", "of", "life", "42", "quoted", "90s"]
        );
        assert_eq!(terms("Élan VITAL don’t"), ["élan", "vital", "don't"]);
    }

    /// Every token the index gets, with its position and offsets, on the
    /// awkward cases and on real transcript text.
    #[test]
    fn indexes_exactly_the_rule_written_slowly() {
        let long = "x".repeat(MAX_INDEXED_BYTES);
        let mut texts = vec![
            "Lex Fridman: I think consciousness is... well, it's the hard problem!".to_string(),
            "ΣΊΣΥΦΟΣ and Straße, İstanbul, ǅemal, naïve café — 3.14 × 10^8".to_string(),
            "Don’t, 'quoted', rock'n'roll, lex's 90s' '99 a'1 l'été don''t x’".to_string(),
            format!("short {long} words {} after", &long[1..]),
            format!("{}'s long'{}", &long[3..], &long[5..]),
            "  \u{1f600} emoji\tand\ttabs\n\nnew lines ".to_string(),
            String::new(),
        ];
        texts.extend(lexicap_samples());
        assert!(texts.len() > 7, "the Lexicap samples are in the repository");
        for text in &texts {
            assert_eq!(indexed(text), brute_force(text), "{:.80}", text);
        }
        let got = indexed(&texts[3]);
        // The 40-byte token is dropped but keeps its position; 39 bytes stay.
        assert_eq!((got[0].0.as_str(), got[0].1), ("short", 0));
        assert_eq!((got[1].0.as_str(), got[1].1), ("words", 2));
        assert_eq!(got[2].1, 3);
        assert_eq!((got[3].0.as_str(), got[3].1), ("after", 4));
        // 37 x's and "'s" is 39 bytes, one token, indexed; 35 + "long'" is 40.
        let got = indexed(&texts[4]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, format!("{}'s", &long[3..]));
    }

    /// What the index holds is the core analyzer's tokens, in order, on
    /// real transcripts (none of their words is 40 bytes long).
    #[test]
    fn the_index_tokens_are_the_core_analyzers() {
        let samples = lexicap_samples();
        assert!(
            !samples.is_empty(),
            "the Lexicap samples are in the repository"
        );
        for text in &samples {
            let core: Vec<(String, usize, usize)> = podcorpus_core::analyzer::token_ranges(text)
                .map(|r| {
                    (
                        podcorpus_core::analyzer::normalize(&text[r.clone()]),
                        r.start,
                        r.end,
                    )
                })
                .collect();
            let index: Vec<(String, usize, usize)> = indexed(text)
                .into_iter()
                .map(|(t, _, s, e)| (t, s, e))
                .collect();
            assert!(core.len() > 1000);
            assert_eq!(index, core);
            assert_eq!(
                terms(text),
                core.iter().map(|c| c.0.clone()).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn compares_case_insensitively_unless_asked() {
        assert!(token_eq("Love", "love", false));
        assert!(!token_eq("Love", "love", true));
        assert!(token_eq("Élan", "élan", false));
        assert!(token_eq("Don’t", "don't", false));
    }
}
