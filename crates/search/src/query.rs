//! The query language, parsed into a small tree before it becomes a tantivy
//! query: words, `"phrases"`, `AND`/`OR`/`NOT` (or a leading `-`),
//! parentheses, and the field filters `title:` and `guest:`. Words side by
//! side must all match (an implicit `AND`), as in a web search box.
//!
//! Beyond words, each over one whole token: wildcards (`consci*`, `wom?n`),
//! `/regex/`, `lemma:run` (run, runs, ran, running), also inside phrases,
//! and proximity, `"elon mars"~10` (both within ten words, either order).
//! The same syntax is the concordance's pattern ([`parse_pattern`]).
//!
//! Parsing ourselves rather than with tantivy's parser gives every mistake a
//! message with the column where it is.

use crate::pattern::{Near, Pattern, TokenRegex, TokenTest};
use crate::tokens::{normalize, token_ranges};

/// Where a word or phrase is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The spoken text.
    Text,
    /// The episode title.
    Title,
    /// The episode's guests.
    Guest,
}

/// The most words a proximity may allow between its two sides: a passage
/// carries the next one's first 20 words (`passages::CONTEXT_WORDS`), so a
/// match starting at a passage's end is still seen whole.
pub const MAX_PROXIMITY: usize = 15;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A word (one or more tokens: `don't` is `don t`) or a quoted phrase,
    /// as lowercased tokens that must follow each other.
    Terms {
        /// The field searched.
        field: Field,
        /// Lowercased tokens, at least one.
        terms: Vec<String>,
    },
    /// A word or phrase with a wildcard, regex or lemma in it: token tests
    /// that must follow each other.
    Seq {
        /// The field searched.
        field: Field,
        /// At least one test, not all plain words.
        tests: Vec<TokenTest>,
    },
    /// `"a b"~N`: two sequences with at most `within` tokens between them,
    /// in either order.
    Near {
        /// The field searched.
        field: Field,
        /// The first sequence.
        a: Vec<TokenTest>,
        /// The second.
        b: Vec<TokenTest>,
        /// Most tokens between them.
        within: usize,
    },
    /// All must match.
    And(Vec<Node>),
    /// Any may match.
    Or(Vec<Node>),
    /// Must not match.
    Not(Box<Node>),
}

/// A mistake in a query, with the column (1-based, in characters) where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The query as given.
    pub query: String,
    /// 1-based character column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "query syntax error at column {}: {}\n  {}\n  {}^",
            self.column,
            self.message,
            self.query,
            " ".repeat(self.column.saturating_sub(1))
        )
    }
}

impl std::error::Error for SyntaxError {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Field(Field),
    /// `lemma:` (the word follows as its own token).
    Lemma,
    Word(String),
    /// A phrase's text, and the column of its first character.
    Phrase(String, usize),
    /// `"a b"~N`: the phrase's text, its first column, N and the column of `~`.
    Near(String, usize, usize, usize),
    /// `/regex/`: the regex (`\/` unescaped) and the column of its first character.
    Regex(String, usize),
}

/// A token with its 1-based column.
type Lexed = (Tok, usize);

/// An error: its 1-based column and message.
type Fail = (usize, String);

/// The end (exclusive, in chars) of a `/regex/` starting at `chars[i] == '/'`,
/// and its text with `\/` unescaped.
fn regex_at(chars: &[char], i: usize) -> Option<(usize, String)> {
    let mut j = i + 1;
    let mut text = String::new();
    while j < chars.len() {
        match chars[j] {
            '\\' if chars.get(j + 1) == Some(&'/') => {
                text.push('/');
                j += 2;
            }
            '\\' => {
                text.push('\\');
                if let Some(&c) = chars.get(j + 1) {
                    text.push(c);
                }
                j += 2;
            }
            '/' => return Some((j + 1, text)),
            c => {
                text.push(c);
                j += 1;
            }
        }
    }
    None
}

fn lex(query: &str) -> Result<Vec<Lexed>, Fail> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((Tok::Open, col));
            i += 1;
        } else if c == ')' {
            out.push((Tok::Close, col));
            i += 1;
        } else if c == '"' {
            let close = chars[i + 1..].iter().position(|&d| d == '"').ok_or((
                col,
                "this quote is never closed; end the phrase with \"".to_string(),
            ))?;
            let phrase: String = chars[i + 1..i + 1 + close].iter().collect();
            i += close + 2;
            if chars.get(i) == Some(&'~') {
                let tilde = i + 1;
                let digits: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let n = digits.parse::<usize>().ok().filter(|&n| n <= MAX_PROXIMITY);
                let Some(n) = n else {
                    return Err((
                        tilde,
                        format!(
                            "`~` after a phrase takes the most words between its two words, 0 to {MAX_PROXIMITY}, e.g. \"elon mars\"~10"
                        ),
                    ));
                };
                i += 1 + digits.len();
                out.push((Tok::Near(phrase, col + 1, n, tilde), col));
            } else {
                out.push((Tok::Phrase(phrase, col + 1), col));
            }
        } else if c == '/' {
            let (end, text) = regex_at(&chars, i).ok_or((
                col,
                "this regex is never closed; end it with / (write \\/ for a slash in it)"
                    .to_string(),
            ))?;
            out.push((Tok::Regex(text, col + 1), col));
            i = end;
        } else if c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            // A leading minus negates what follows, as in web search.
            out.push((Tok::Not, col));
            i += 1;
        } else {
            // A field prefix (`title:`, `lemma:`) is a token of its own, so
            // that a phrase, a regex or a parenthesis may follow it.
            let name_len = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if name_len > 0 && chars.get(i + name_len) == Some(&':') {
                let name: String = chars[i..i + name_len].iter().collect();
                let tok = match name.to_ascii_lowercase().as_str() {
                    "title" => Tok::Field(Field::Title),
                    "guest" | "guests" => Tok::Field(Field::Guest),
                    "lemma" => Tok::Lemma,
                    _ => {
                        return Err((
                            col,
                            format!("unknown field `{name}:`; the fields are `title:`, `guest:` and `lemma:` (quote the word to search for it as text)"),
                        ))
                    }
                };
                out.push((tok, col));
                i += name_len + 1;
                continue;
            }
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !"()\"".contains(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "AND" => out.push((Tok::And, col)),
                "OR" => out.push((Tok::Or, col)),
                "NOT" => out.push((Tok::Not, col)),
                _ => out.push((Tok::Word(word), col)),
            }
        }
    }
    Ok(out)
}

/// A `/regex/` test; `col` is the column of its first character.
fn regex_test(text: &str, col: usize, case: bool) -> Result<TokenTest, Fail> {
    if text.is_empty() {
        return Err((col - 1, "this regex is empty".to_string()));
    }
    TokenRegex::new(text, text, case)
        .map(TokenTest::Regex)
        .map_err(|(at, msg)| {
            let chars = text.get(..at).map_or(0, |s| s.chars().count());
            (col + chars, format!("bad regex: {msg}"))
        })
}

/// `lemma:word`; `col` is the column of the word.
fn lemma_test(word: &str, col: usize, case: bool) -> Result<TokenTest, Fail> {
    let toks: Vec<&str> = token_ranges(word).map(|r| &word[r]).collect();
    let [one] = toks.as_slice() else {
        return Err((col, "`lemma:` takes one word, e.g. lemma:run".to_string()));
    };
    if one.contains(['*', '?']) || word.contains(['*', '?']) {
        return Err((col, "`lemma:` takes a word, not a wildcard".to_string()));
    }
    TokenTest::lemma(one, case).map_err(|m| (col - "lemma:".len(), m))
}

/// The tests of one whitespace-free word, which may hold `*`/`?` wildcards:
/// split into tokens the way the text is (so `co-op*` is `co` then `op*`).
fn word_tests(word: &str, col: usize, case: bool) -> Result<Vec<TokenTest>, Fail> {
    // Wildcard characters read as a letter while splitting: `*`/`?` and
    // `x` are one byte each, so the byte ranges hold on the original.
    let probe: String = word
        .chars()
        .map(|c| if c == '*' || c == '?' { 'x' } else { c })
        .collect();
    let mut out = Vec::new();
    let lettered = word.chars().any(char::is_alphanumeric);
    for r in token_ranges(&probe) {
        let piece = &word[r];
        if piece.contains(['*', '?']) {
            if !piece.chars().any(|c| c != '*' && c != '?') {
                if !lettered {
                    // Punctuation, as `?!` in a phrase: nothing to look for.
                    continue;
                }
                return Err((
                    col,
                    "a wildcard needs a letter or digit beside * and ?, e.g. consci*".to_string(),
                ));
            }
            out.push(TokenTest::wildcard(piece, case).map_err(|m| (col, m))?);
        } else if case {
            out.push(TokenTest::Word(piece.to_string()));
        } else {
            out.push(TokenTest::Word(normalize(piece)));
        }
    }
    Ok(out)
}

/// The tests of a phrase's text (its first character at column `col`):
/// words, wildcards, `/regex/` and `lemma:word`, separated by spaces.
fn phrase_tests(text: &str, col: usize, case: bool) -> Result<Vec<TokenTest>, Fail> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let at = col + i;
        if chars[i] == '/' {
            if let Some((end, re)) = regex_at(&chars, i) {
                out.push(regex_test(&re, at + 1, case)?);
                i = end;
                continue;
            }
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let item: String = chars[start..i].iter().collect();
        match item.split_once(':') {
            Some((name, rest)) if name.eq_ignore_ascii_case("lemma") => {
                out.push(lemma_test(rest, at + 6, case)?);
            }
            _ => out.extend(word_tests(&item, at, case)?),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Lexed>,
    pos: usize,
    end_col: usize,
    case: bool,
}

impl Parser {
    fn peek(&self) -> Option<&Lexed> {
        self.toks.get(self.pos)
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.peek(),
            Some((
                Tok::Open
                    | Tok::Not
                    | Tok::Field(_)
                    | Tok::Lemma
                    | Tok::Word(_)
                    | Tok::Phrase(..)
                    | Tok::Near(..)
                    | Tok::Regex(..),
                _
            ))
        )
    }

    fn need_operand(&self, after: &str, col: usize) -> Result<(), Fail> {
        if self.starts_operand() {
            return Ok(());
        }
        Err(match self.peek() {
            None => (col, format!("{after} has nothing after it")),
            Some((t, c)) => (
                *c,
                format!(
                    "expected a word, phrase or `(` after {after}, found {}",
                    describe(t)
                ),
            ),
        })
    }

    fn or(&mut self, field: Field) -> Result<Node, Fail> {
        let mut items = vec![self.and(field)?];
        while let Some((Tok::Or, col)) = self.peek().cloned() {
            self.pos += 1;
            self.need_operand("OR", col)?;
            items.push(self.and(field)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self, field: Field) -> Result<Node, Fail> {
        let mut items = vec![self.unary(field)?];
        loop {
            if let Some((Tok::And, col)) = self.peek().cloned() {
                self.pos += 1;
                self.need_operand("AND", col)?;
            } else if !self.starts_operand() {
                break;
            }
            items.push(self.unary(field)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::And(items)
        })
    }

    fn unary(&mut self, field: Field) -> Result<Node, Fail> {
        if let Some((Tok::Not, col)) = self.peek().cloned() {
            self.pos += 1;
            self.need_operand("NOT", col)?;
            return Ok(Node::Not(Box::new(self.unary(field)?)));
        }
        self.primary(field)
    }

    /// The tests of one leaf token (a word, a regex, `lemma:` and its word).
    fn leaf_tests(&mut self, tok: Tok, col: usize) -> Result<Vec<TokenTest>, Fail> {
        match tok {
            Tok::Word(w) => {
                let tests = word_tests(&w, col, self.case)?;
                if tests.is_empty() {
                    return Err((
                        col,
                        "this word has no letters or digits to search for".to_string(),
                    ));
                }
                Ok(tests)
            }
            Tok::Regex(re, at) => Ok(vec![regex_test(&re, at, self.case)?]),
            Tok::Lemma => match self.peek().cloned() {
                Some((Tok::Word(w), at)) => {
                    self.pos += 1;
                    Ok(vec![lemma_test(&w, at, self.case)?])
                }
                _ => Err((
                    col,
                    "`lemma:` must be followed by a word, e.g. lemma:run".to_string(),
                )),
            },
            Tok::Phrase(p, at) => {
                let tests = phrase_tests(&p, at, self.case)?;
                if tests.is_empty() {
                    return Err((
                        col,
                        "this phrase has no letters or digits to search for".to_string(),
                    ));
                }
                Ok(tests)
            }
            other => Err((col, format!("unexpected {}", describe(&other)))),
        }
    }

    fn primary(&mut self, field: Field) -> Result<Node, Fail> {
        let Some((tok, col)) = self.peek().cloned() else {
            return Err((
                self.end_col,
                "the query ends where a word was expected".to_string(),
            ));
        };
        self.pos += 1;
        match tok {
            Tok::Open => {
                let inner = self.or(field)?;
                match self.peek() {
                    Some((Tok::Close, _)) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err((col, "this parenthesis is never closed; add `)`".to_string())),
                }
            }
            Tok::Field(f) => {
                let name = if f == Field::Title {
                    "title:"
                } else {
                    "guest:"
                };
                match self.peek() {
                    Some((
                        Tok::Word(_)
                        | Tok::Phrase(..)
                        | Tok::Near(..)
                        | Tok::Regex(..)
                        | Tok::Lemma
                        | Tok::Open,
                        _,
                    )) => self.primary(f),
                    _ => Err((
                        col,
                        format!("`{name}` must be followed by a word, a phrase or a parenthesis"),
                    )),
                }
            }
            Tok::Near(p, at, within, tilde) => {
                let (a, b) = near_sides(&p, at, col, tilde, self.case)?;
                Ok(Node::Near {
                    field,
                    a,
                    b,
                    within,
                })
            }
            t @ (Tok::Word(_) | Tok::Regex(..) | Tok::Lemma | Tok::Phrase(..)) => {
                let tests = self.leaf_tests(t, col)?;
                Ok(node_of(field, tests))
            }
            Tok::Close => Err((col, "this `)` closes nothing".to_string())),
            Tok::And | Tok::Or => Err((col, format!("{} has nothing before it", describe(&tok)))),
            Tok::Not => Err((col, "NOT needs something after it".to_string())),
        }
    }
}

/// The two sides of `"a b"~N`: the phrase's two space-separated items.
fn near_sides(
    phrase: &str,
    at: usize,
    col: usize,
    tilde: usize,
    case: bool,
) -> Result<(Vec<TokenTest>, Vec<TokenTest>), Fail> {
    // Whitespace-separated items, with their char offsets.
    let mut items: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in phrase
        .char_indices()
        .chain(std::iter::once((phrase.len(), ' ')))
    {
        if !c.is_whitespace() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            items.push((phrase[..s].chars().count(), &phrase[s..i]));
        }
    }
    let [(ca, a), (cb, b)] = items.as_slice() else {
        return Err((
            tilde,
            format!(
                "`~` needs exactly two words in the quotes, e.g. \"elon mars\"~10 (found {})",
                items.len()
            ),
        ));
    };
    let side = |text: &str, c: usize| -> Result<Vec<TokenTest>, Fail> {
        let t = phrase_tests(text, at + c, case)?;
        if t.is_empty() {
            return Err((
                col,
                "this phrase has no letters or digits to search for".to_string(),
            ));
        }
        Ok(t)
    };
    Ok((side(a, *ca)?, side(b, *cb)?))
}

/// A leaf: plain words stay [`Node::Terms`] (lowercased), else a [`Node::Seq`].
fn node_of(field: Field, tests: Vec<TokenTest>) -> Node {
    if tests.iter().all(TokenTest::is_word) {
        let terms = tests
            .into_iter()
            .filter_map(|t| match t {
                TokenTest::Word(w) => Some(normalize(&w)),
                _ => None,
            })
            .collect();
        Node::Terms { field, terms }
    } else {
        Node::Seq { field, tests }
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Open => "`(`".into(),
        Tok::Close => "`)`".into(),
        Tok::And => "AND".into(),
        Tok::Or => "OR".into(),
        Tok::Not => "NOT".into(),
        Tok::Field(_) => "a field".into(),
        Tok::Lemma => "`lemma:`".into(),
        Tok::Word(w) => format!("`{w}`"),
        Tok::Phrase(p, _) => format!("\"{p}\""),
        Tok::Near(p, _, n, _) => format!("\"{p}\"~{n}"),
        Tok::Regex(r, _) => format!("/{r}/"),
    }
}

/// Whether a query can match anything without an `AND` partner: a query of
/// only negations would list the whole corpus.
fn positive(node: &Node) -> bool {
    match node {
        Node::Terms { .. } | Node::Seq { .. } | Node::Near { .. } => true,
        Node::Not(_) => false,
        Node::And(items) => items.iter().any(positive),
        Node::Or(items) => items.iter().all(positive),
    }
}

fn error_in(query: &str) -> impl Fn(Fail) -> SyntaxError + '_ {
    move |(column, message)| SyntaxError {
        query: query.to_string(),
        column,
        message,
    }
}

/// Parses a query.
pub fn parse(query: &str) -> Result<Node, SyntaxError> {
    let err = error_in(query);
    let toks = lex(query).map_err(&err)?;
    let end_col = query.chars().count() + 1;
    if toks.is_empty() {
        return Err(err((
            1,
            "the query is empty; give a word or a \"phrase\"".to_string(),
        )));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end_col,
        case: false,
    };
    let node = p.or(Field::Text).map_err(&err)?;
    if let Some((t, col)) = p.peek() {
        let msg = match t {
            Tok::Close => "this `)` closes nothing".to_string(),
            other => format!("unexpected {}", describe(other)),
        };
        return Err(err((*col, msg)));
    }
    if !positive(&node) {
        return Err(err((1, "a query of only NOT terms matches nothing; add a word to look for, e.g. `love NOT hate`".to_string())));
    }
    Ok(node)
}

/// Parses a concordance pattern: one word, wildcard, `/regex/`,
/// `lemma:word`, `"phrase"` or `"a b"~N`, or several of them side by side
/// (a phrase without quotes, as `kwic meaning of life` always was). Words
/// are kept as written when `case` is set.
pub fn parse_pattern(query: &str, case: bool) -> Result<Pattern, SyntaxError> {
    let err = error_in(query);
    let toks = lex(query).map_err(&err)?;
    if toks.is_empty() {
        return Err(err((
            1,
            "the keyword is empty; give a word, a \"phrase\", consci*, /regex/, lemma:run or \"a b\"~N".to_string(),
        )));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end_col: query.chars().count() + 1,
        case,
    };
    let mut seq = Vec::new();
    while let Some((tok, col)) = p.peek().cloned() {
        p.pos += 1;
        match tok {
            Tok::Near(text, at, within, tilde) => {
                if p.toks.len() != 1 {
                    return Err(err((col, "a proximity `\"a b\"~N` stands alone in a concordance".to_string())));
                }
                let (a, b) = near_sides(&text, at, col, tilde, case).map_err(&err)?;
                return Ok(Pattern {
                    seq: a,
                    case,
                    near: Some(Near {
                        other: b,
                        within,
                    }),
                });
            }
            t @ (Tok::Word(_) | Tok::Regex(..) | Tok::Lemma | Tok::Phrase(..)) => {
                seq.extend(p.leaf_tests(t, col).map_err(&err)?);
            }
            other => {
                return Err(err((
                    col,
                    format!(
                        "a concordance looks for a word, \"phrase\", consci*, /regex/, lemma:run or \"a b\"~N; {} is for search",
                        describe(&other)
                    ),
                )))
            }
        }
    }
    if seq.is_empty() {
        return Err(err((
            1,
            format!("the keyword {query:?} has no letters or digits to look for"),
        )));
    }
    Ok(Pattern {
        seq,
        case,
        near: None,
    })
}

/// The positive patterns searched for in the spoken text, for highlighting
/// (negated ones are never shown).
pub fn text_sequences(node: &Node) -> Vec<Pattern> {
    fn walk(n: &Node, out: &mut Vec<Pattern>) {
        match n {
            Node::Terms {
                field: Field::Text,
                terms,
            } => out.push(Pattern {
                seq: terms.iter().cloned().map(TokenTest::Word).collect(),
                case: false,
                near: None,
            }),
            Node::Seq {
                field: Field::Text,
                tests,
            } => out.push(Pattern {
                seq: tests.clone(),
                case: false,
                near: None,
            }),
            Node::Near {
                field: Field::Text,
                a,
                b,
                within,
            } => out.push(Pattern {
                seq: a.clone(),
                case: false,
                near: Some(Near {
                    other: b.clone(),
                    within: *within,
                }),
            }),
            Node::Terms { .. } | Node::Seq { .. } | Node::Near { .. } | Node::Not(_) => {}
            Node::And(items) | Node::Or(items) => items.iter().for_each(|i| walk(i, out)),
        }
    }
    let mut out = Vec::new();
    walk(node, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(field: Field, words: &[&str]) -> Node {
        Node::Terms {
            field,
            terms: words.iter().map(|w| w.to_string()).collect(),
        }
    }

    #[test]
    fn parses_booleans_phrases_and_fields() {
        let q = parse("Elon AND (mars OR \"Falcon Heavy\") -boring guest:musk").unwrap();
        assert_eq!(
            q,
            Node::And(vec![
                t(Field::Text, &["elon"]),
                Node::Or(vec![
                    t(Field::Text, &["mars"]),
                    t(Field::Text, &["falcon", "heavy"])
                ]),
                Node::Not(Box::new(t(Field::Text, &["boring"]))),
                t(Field::Guest, &["musk"]),
            ])
        );
        // Split into tokens as the text is, whatever the tokenizer does with `'`.
        let dont = crate::tokens::terms("don't");
        let dont: Vec<&str> = dont.iter().map(String::as_str).collect();
        assert_eq!(parse("don't").unwrap(), t(Field::Text, &dont));
        assert_eq!(
            parse("title:(love OR war)").unwrap(),
            Node::Or(vec![t(Field::Title, &["love"]), t(Field::Title, &["war"])])
        );
        // OR binds looser than the implicit AND.
        assert_eq!(
            parse("a b OR c").unwrap(),
            Node::Or(vec![
                Node::And(vec![t(Field::Text, &["a"]), t(Field::Text, &["b"])]),
                t(Field::Text, &["c"])
            ])
        );
    }

    fn error(q: &str) -> (usize, String) {
        let e = parse(q).unwrap_err();
        (e.column, e.message)
    }

    #[test]
    fn mistakes_name_their_column() {
        assert_eq!(error("love AND (war OR peace").0, 10);
        assert_eq!(error("love \"meaning of").0, 6);
        assert!(error("love \"meaning of").1.contains("never closed"));
        assert_eq!(error("love OR").0, 6);
        assert!(error("love OR").1.contains("nothing after"));
        assert_eq!(error("AND love").0, 1);
        assert_eq!(error("love )").0, 6);
        assert_eq!(error("speaker:lex").0, 1);
        assert!(error("speaker:lex").1.contains("title:"));
        assert_eq!(error("love title:").0, 6);
        assert_eq!(parse("title: love").unwrap(), t(Field::Title, &["love"]));
        assert_eq!(error("love \"?!\"").0, 6);
        assert_eq!(error("   ").0, 1);
        assert!(error("NOT love").1.contains("only NOT"));
        let shown = parse("a OR").unwrap_err().to_string();
        assert_eq!(
            shown,
            "query syntax error at column 3: OR has nothing after it\n  a OR\n    ^"
        );
    }

    #[test]
    fn highlights_only_positive_text_terms() {
        let q = parse("love -hate title:war \"of life\"").unwrap();
        let shown: Vec<String> = text_sequences(&q).iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, ["love", "of life"]);
        let q = parse("consci* -war \"elon mars\"~3 title:/x.*/").unwrap();
        let shown: Vec<String> = text_sequences(&q).iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, ["consci*", "\"elon mars\"~3"]);
    }

    fn shown(q: &str) -> String {
        match parse(q).unwrap() {
            Node::Seq { tests, .. } => tests
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            Node::Near { a, b, within, .. } => format!("{} {} ~{within}", a[0], b[0]),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn parses_wildcards_regexes_lemmas_and_proximity() {
        assert_eq!(shown("Consci*"), "consci*");
        assert_eq!(shown("wom?n"), "wom?n");
        assert_eq!(shown("/(cat|dog)s?/"), "/(cat|dog)s?/");
        assert_eq!(shown("/a\\/b/"), "/a/b/");
        assert_eq!(shown("\"the consci* mind\""), "the consci* mind");
        assert_eq!(shown("\"the /m.nd/\""), "the /m.nd/");
        assert_eq!(shown("\"elon mars\"~10"), "elon mars ~10");
        assert_eq!(shown("\"elon /mars?/\"~0"), "elon /mars?/ ~0");
        assert!(matches!(
            parse("title:consci*").unwrap(),
            Node::Seq {
                field: Field::Title,
                ..
            }
        ));
        assert!(matches!(
            parse("guest:/mu.k/ OR love").unwrap(),
            Node::Or(items) if matches!(items[0], Node::Seq { field: Field::Guest, .. })
        ));
        // A split word with a wildcard keeps its parts as the text's tokens.
        assert_eq!(shown("co-op*"), "co op*");
        if crate::pattern::TokenTest::lemma("run", false).is_ok() {
            assert_eq!(shown("lemma:run"), "lemma:run");
            assert_eq!(shown("\"lemma:run fast\""), "lemma:run fast");
            assert!(matches!(parse("-lemma:run love").unwrap(), Node::And(_)));
        }
    }

    #[test]
    fn new_syntax_mistakes_name_their_column() {
        // An unclosed regex: the column of its slash.
        assert_eq!(error("love /(cat"), (6, error("love /(cat").1));
        assert!(error("love /(cat").1.contains("never closed"));
        // A bad regex: the column inside it, from regex-syntax's span.
        let (col, msg) = error("love /(cat/");
        assert_eq!(col, 7, "{msg}");
        assert!(msg.contains("bad regex"), "{msg}");
        let (col, msg) = error("/ab[/");
        assert_eq!(col, 4, "{msg}");
        let (col, msg) = error("x /a{2,1}/");
        assert!((4..=9).contains(&col), "{col} {msg}");
        assert_eq!(error("//").0, 1);
        // Anchors are for the regex crate, not the term dictionary.
        assert!(error("/^cat$/").1.contains("whole word"));
        // Proximity.
        let (col, msg) = error("\"elon mars\"~");
        assert_eq!(col, 12, "{msg}");
        assert_eq!(error("a \"elon mars\"~99").0, 14);
        assert_eq!(error("\"elon\"~3").0, 7);
        assert!(error("\"elon\"~3").1.contains("exactly two"));
        assert_eq!(error("\"a b c\"~3").0, 8);
        // Wildcards and lemmas.
        assert_eq!(error("love *").0, 6);
        assert_eq!(error("love c*-*").0, 6);
        assert!(error("love c*-*").1.contains("wildcard"));
        assert_eq!(error("love lemma:").0, 6);
        assert!(error("love lemma:").1.contains("lemma:"));
        assert_eq!(error("lemma:(run)").0, 1);
        assert_eq!(error("\"a lemma:run*\"").0, 10);
        assert_eq!(error("foo:bar").0, 1);
        assert_eq!(error("\"a /b(/\"").0, 6);
    }

    #[test]
    fn concordance_patterns_take_one_item_or_a_bare_phrase() {
        let p = parse_pattern("meaning of life", false).unwrap();
        assert_eq!(p.to_string(), "meaning of life");
        assert_eq!(parse_pattern("Love", true).unwrap().to_string(), "Love");
        assert_eq!(parse_pattern("Love", false).unwrap().to_string(), "love");
        let p = parse_pattern("\"Elon mars\"~10", false).unwrap();
        assert_eq!(p.to_string(), "\"elon mars\"~10");
        let e = parse_pattern("love AND war", false).unwrap_err();
        assert_eq!(e.column, 6);
        assert!(e.message.contains("is for search"), "{}", e.message);
        assert_eq!(parse_pattern("love (war)", false).unwrap_err().column, 6);
        assert_eq!(
            parse_pattern("love \"a b\"~3", false).unwrap_err().column,
            6
        );
        assert_eq!(parse_pattern("  ", false).unwrap_err().column, 1);
        assert_eq!(parse_pattern("x /(/", false).unwrap_err().column, 4);
    }
}
