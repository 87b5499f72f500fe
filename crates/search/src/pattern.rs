//! A concordance pattern evaluated on a stream of tokens, without the index:
//! what `kwic`, `collocates`, `dispersion` and `trend` count. Every count the
//! index gives for a pattern must equal what [`Pattern::find`] finds by brute
//! force over the same tokens.
//!
//! A pattern is a sequence of token tests (a word, a `consci*`/`wom?n`
//! wildcard, a `/regex/`, a `lemma:run`), each over one whole token, or two
//! such sequences within N tokens of each other in either order
//! (`"elon mars"~10`). The syntax is the query language's
//! ([`crate::query`]); this module holds the tests and the matching.

use crate::tokens::{normalize, token_eq};
use crate::Result;
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// A regular expression over one whole token, compiled twice: for the
/// `regex` crate (the text) and for tantivy's term dictionary (the index).
/// Two of them are equal when their sources and case are.
#[derive(Clone)]
pub struct TokenRegex {
    /// What the user wrote (for a wildcard, the wildcard).
    pub source: String,
    /// The regex syntax of `source` (for a wildcard, its translation).
    pub syntax: String,
    /// Anchored at both ends; case-insensitive unless the pattern is cased.
    re: Arc<regex::Regex>,
    /// The same, case-insensitive, for the index's lowercased terms.
    fst: Arc<tantivy_fst::Regex>,
    /// Whether `re` respects case.
    case: bool,
}

impl std::fmt::Debug for TokenRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenRegex({:?})", self.source)
    }
}

impl PartialEq for TokenRegex {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.syntax == other.syntax && self.case == other.case
    }
}

impl Eq for TokenRegex {}

/// Why a regex was refused: the byte offset in its source, and the reason.
pub type RegexError = (usize, String);

impl TokenRegex {
    /// Compiles `syntax` (already in regex syntax); `source` is what is shown.
    pub fn new(source: &str, syntax: &str, case: bool) -> std::result::Result<Self, RegexError> {
        // The syntax alone first: wrapped in a group, `a)(b` would pass.
        if let Err(e) = regex_syntax::Parser::new().parse(syntax) {
            let (at, msg) = match &e {
                regex_syntax::Error::Parse(p) => (p.span().start.offset, p.kind().to_string()),
                regex_syntax::Error::Translate(t) => (t.span().start.offset, t.kind().to_string()),
                other => (0, other.to_string()),
            };
            return Err((at, msg));
        }
        let re = regex::RegexBuilder::new(&format!("^(?:{syntax})$"))
            .case_insensitive(!case)
            .build()
            .map_err(|e| (0, e.to_string()))?;
        // The term dictionary's automaton matches whole terms already, and
        // its terms are lowercase: it always ignores case (the text test
        // decides case afterwards).
        let fst = tantivy_fst::Regex::new(&format!("(?i)(?:{syntax})")).map_err(|e| {
            (
                0,
                format!("the index cannot run this regex ({e}); anchors and \\b are not needed, a regex always matches a whole word"),
            )
        })?;
        Ok(TokenRegex {
            source: source.to_string(),
            syntax: syntax.to_string(),
            re: Arc::new(re),
            fst: Arc::new(fst),
            case,
        })
    }

    /// The automaton for tantivy's `RegexQuery`.
    pub fn index_regex(&self) -> Arc<tantivy_fst::Regex> {
        self.fst.clone()
    }

    /// Whether the whole `token` matches.
    pub fn is_match(&self, token: &str) -> bool {
        // Case-insensitive on ASCII is the same on the token or its
        // lowercase; other text is lowercased as the index does.
        if self.case || token.is_ascii() {
            self.re.is_match(token)
        } else {
            self.re.is_match(&normalize(token))
        }
    }
}

/// The word forms `lemma:X` stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LemmaForms {
    /// The lemma as written.
    pub lemma: String,
    /// Its forms: lowercased unless the pattern is cased.
    pub forms: Arc<HashSet<String>>,
}

/// One token's test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenTest {
    /// The token equals this word (lowercased unless the pattern is cased).
    Word(String),
    /// A wildcard (`consci*`, `wom?n`): `*` any run of characters, `?` one.
    Wildcard(TokenRegex),
    /// A `/regex/` the whole token matches.
    Regex(TokenRegex),
    /// `lemma:X`: X or any word whose lemma is X.
    Lemma(LemmaForms),
}

impl TokenTest {
    /// A wildcard: `*` any run of characters, `?` exactly one.
    pub fn wildcard(glob: &str, case: bool) -> std::result::Result<TokenTest, String> {
        let glob = if case {
            glob.to_string()
        } else {
            normalize(glob)
        };
        let mut syntax = String::with_capacity(glob.len() + 8);
        for c in glob.chars() {
            match c {
                '*' => syntax.push_str(".*"),
                '?' => syntax.push('.'),
                c => syntax.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        TokenRegex::new(&glob, &syntax, case)
            .map(TokenTest::Wildcard)
            .map_err(|(_, m)| m)
    }

    /// `lemma:word`, from lemminflect's table.
    pub fn lemma(word: &str, case: bool) -> std::result::Result<TokenTest, String> {
        let table = podcorpus_lexicon::lemmas::lemmas().map_err(|e| e.to_string())?;
        Ok(TokenTest::Lemma(LemmaForms {
            lemma: word.to_string(),
            forms: Arc::new(table.forms(word, case).into_iter().collect()),
        }))
    }

    /// Whether `token` (as written in the text) passes.
    pub fn matches(&self, token: &str, case: bool) -> bool {
        match self {
            TokenTest::Word(w) => token_eq(token, w, case),
            TokenTest::Wildcard(r) | TokenTest::Regex(r) => r.is_match(token),
            TokenTest::Lemma(l) => {
                if case {
                    l.forms.contains(token)
                } else if token.is_ascii() && token.len() <= 64 {
                    // Lowercased on the stack: this runs on every token.
                    let mut buf = [0u8; 64];
                    let b = &mut buf[..token.len()];
                    b.copy_from_slice(token.as_bytes());
                    b.make_ascii_lowercase();
                    std::str::from_utf8(b).is_ok_and(|s| l.forms.contains(s))
                } else {
                    l.forms.contains(&normalize(token))
                }
            }
        }
    }

    /// Whether this is a plain word.
    pub fn is_word(&self) -> bool {
        matches!(self, TokenTest::Word(_))
    }
}

impl std::fmt::Display for TokenTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenTest::Word(w) => f.write_str(w),
            TokenTest::Wildcard(r) => f.write_str(&r.source),
            TokenTest::Regex(r) => write!(f, "/{}/", r.source),
            TokenTest::Lemma(l) => write!(f, "lemma:{}", l.lemma),
        }
    }
}

/// The second half of a proximity pattern: `other` within `within` tokens
/// of the pattern's `seq`, before or after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    /// The other sequence.
    pub other: Vec<TokenTest>,
    /// Most tokens between the two.
    pub within: usize,
}

/// A parsed concordance pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Tokens that must follow each other, at least one.
    pub seq: Vec<TokenTest>,
    /// Whether tokens are compared as written (`--case`).
    pub case: bool,
    /// With `"a b"~N`: the sequence that must be near `seq`.
    pub near: Option<Near>,
}

/// Every start `i` where `seq` matches `tokens[i..]`, as ranges.
fn find_seq(seq: &[TokenTest], case: bool, tokens: &[&str]) -> Vec<Range<usize>> {
    let n = seq.len();
    if n == 0 || tokens.len() < n {
        return Vec::new();
    }
    (0..=tokens.len() - n)
        .filter(|&i| {
            seq.iter()
                .zip(&tokens[i..i + n])
                .all(|(t, tok)| t.matches(tok, case))
        })
        .map(|i| i..i + n)
        .collect()
}

impl Pattern {
    /// Parses `query` in the query language's pattern subset: a word, a
    /// phrase with or without quotes, `consci*`, `wom?n`, `/regex/`,
    /// `lemma:run`, `"elon mars"~10`. Mistakes are
    /// [`crate::SearchError::Syntax`] errors with their column.
    pub fn parse(query: &str, case: bool) -> Result<Pattern> {
        Ok(crate::query::parse_pattern(query, case)?)
    }

    /// Every match in `tokens` (the tokens of one text, in order, as
    /// written), as a range of token indexes, in order of start. A
    /// proximity match spans both sequences; each distinct span counts once.
    pub fn find(&self, tokens: &[&str]) -> Vec<Range<usize>> {
        let a = find_seq(&self.seq, self.case, tokens);
        let Some(near) = &self.near else {
            return a;
        };
        if a.is_empty() {
            return a;
        }
        let b = find_seq(&near.other, self.case, tokens);
        let mut spans: BTreeSet<(usize, usize)> = BTreeSet::new();
        for x in &a {
            // Only the `b` that start close enough: they are sorted by start.
            let lo = x.start.saturating_sub(near.within + near.other.len());
            let from = b.partition_point(|y| y.start < lo);
            for y in b[from..]
                .iter()
                .take_while(|y| y.start <= x.end + near.within)
            {
                let gap = if x.end <= y.start {
                    y.start - x.end
                } else if y.end <= x.start {
                    x.start - y.end
                } else {
                    // Overlapping: not two things near each other.
                    continue;
                };
                if gap <= near.within {
                    spans.insert((x.start.min(y.start), x.end.max(y.end)));
                }
            }
        }
        spans.into_iter().map(|(s, e)| s..e).collect()
    }

    /// Whether every test is a plain word and there is no proximity (the
    /// fast substring path of the concordance applies).
    pub fn is_words(&self) -> bool {
        self.near.is_none() && self.seq.iter().all(TokenTest::is_word)
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |s: &[TokenTest]| {
            s.iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        match &self.near {
            None => f.write_str(&join(&self.seq)),
            Some(n) => write!(f, "\"{} {}\"~{}", join(&self.seq), join(&n.other), n.within),
        }
    }
}

#[cfg(test)]
// One-element lists of token ranges are what `find` returns here.
#[allow(clippy::single_range_in_vec_init)]
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
        let bare = Pattern::parse("meaning of", false).expect("parse");
        assert_eq!(bare.find(&toks), [1..3]);
    }

    #[test]
    fn wildcards_and_regexes_match_whole_tokens() {
        let toks = [
            "Conscious",
            "consciousness",
            "unconscious",
            "woman",
            "women",
            "WOMAN",
            "wooman",
            "cats",
            "dog",
            "dogsled",
        ];
        let find = |q: &str, case: bool| Pattern::parse(q, case).expect(q).find(&toks);
        assert_eq!(find("conscious*", false), [0..1, 1..2]);
        assert_eq!(find("conscious*", true), [1..2]);
        assert_eq!(find("wom?n", false), [3..4, 4..5, 5..6]);
        assert_eq!(find("wom?n", true), [3..4, 4..5]);
        assert_eq!(find("/(cat|dog)s?/", false), [7..8, 8..9]);
        assert_eq!(find("/WOM[AE]N/", false), [3..4, 4..5, 5..6]);
        assert_eq!(find("/WOM[AE]N/", true), [5..6]);
        assert_eq!(find("\"wom?n /w.*/\"", false), [3..5, 4..6, 5..7]);
    }

    #[test]
    fn proximity_in_either_order_spans_both() {
        let toks = ["elon", "went", "to", "mars", "and", "elon", "x", "y", "z"];
        let p = Pattern::parse("\"elon mars\"~2", false).expect("parse");
        // elon(0)…mars(3): two between; mars(3)…elon(5): one between.
        assert_eq!(p.find(&toks), [0..4, 3..6]);
        let p = Pattern::parse("\"mars elon\"~1", false).expect("parse");
        assert_eq!(p.find(&toks), [3..6]);
        let p = Pattern::parse("\"elon mars\"~0", false).expect("parse");
        assert!(p.find(&toks).is_empty());
        // The same word twice: each pair of occurrences once.
        let p = Pattern::parse("\"elon elon\"~4", false).expect("parse");
        assert_eq!(p.find(&toks), [0..6]);
        assert_eq!(p.to_string(), "\"elon elon\"~4");
    }

    #[test]
    fn lemmas_match_every_form() {
        let Ok(p) = Pattern::parse("lemma:run", false) else {
            eprintln!("lemminflect is not installed; skipping");
            return;
        };
        let toks = ["Ran", "runs", "running", "run", "runner", "rant"];
        assert_eq!(p.find(&toks), [0..1, 1..2, 2..3, 3..4]);
        let cased = Pattern::parse("lemma:run", true).expect("parse");
        assert_eq!(cased.find(&toks), [1..2, 2..3, 3..4]);
    }
}
