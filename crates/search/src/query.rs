//! The query language, parsed into a small tree before it becomes a tantivy
//! query: words, `"phrases"`, `AND`/`OR`/`NOT` (or a leading `-`),
//! parentheses, and the field filters `title:` and `guest:`. Words side by
//! side must all match (an implicit `AND`), as in a web search box.
//!
//! Parsing ourselves rather than with tantivy's parser gives every mistake a
//! message with the column where it is.

use crate::tokens::terms;

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
    Word(String),
    Phrase(String),
}

/// A token with its 1-based column.
type Lexed = (Tok, usize);

fn lex(query: &str) -> Result<Vec<Lexed>, (usize, String)> {
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
            out.push((Tok::Phrase(phrase), col));
            i += close + 2;
        } else if c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            // A leading minus negates what follows, as in web search.
            out.push((Tok::Not, col));
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !"()\"".contains(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "AND" => out.push((Tok::And, col)),
                "OR" => out.push((Tok::Or, col)),
                "NOT" => out.push((Tok::Not, col)),
                _ => match word.split_once(':') {
                    Some((name, rest))
                        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) =>
                    {
                        let field = match name.to_ascii_lowercase().as_str() {
                            "title" => Field::Title,
                            "guest" | "guests" => Field::Guest,
                            _ => {
                                return Err((
                                    col,
                                    format!("unknown field `{name}:`; the fields are `title:` and `guest:` (quote the word to search for it as text)"),
                                ))
                            }
                        };
                        out.push((Tok::Field(field), col));
                        if !rest.is_empty() {
                            out.push((Tok::Word(rest.to_string()), col + name.chars().count() + 1));
                        }
                    }
                    _ => out.push((Tok::Word(word), col)),
                },
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Lexed>,
    pos: usize,
    end_col: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexed> {
        self.toks.get(self.pos)
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.peek(),
            Some((
                Tok::Open | Tok::Not | Tok::Field(_) | Tok::Word(_) | Tok::Phrase(_),
                _
            ))
        )
    }

    fn need_operand(&self, after: &str, col: usize) -> Result<(), (usize, String)> {
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

    fn or(&mut self, field: Field) -> Result<Node, (usize, String)> {
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

    fn and(&mut self, field: Field) -> Result<Node, (usize, String)> {
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

    fn unary(&mut self, field: Field) -> Result<Node, (usize, String)> {
        if let Some((Tok::Not, col)) = self.peek().cloned() {
            self.pos += 1;
            self.need_operand("NOT", col)?;
            return Ok(Node::Not(Box::new(self.unary(field)?)));
        }
        self.primary(field)
    }

    fn primary(&mut self, field: Field) -> Result<Node, (usize, String)> {
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
                    Some((Tok::Word(_) | Tok::Phrase(_) | Tok::Open, _)) => self.primary(f),
                    _ => Err((
                        col,
                        format!("`{name}` must be followed by a word, a phrase or a parenthesis"),
                    )),
                }
            }
            Tok::Word(w) => leaf(field, &w, col, "word"),
            Tok::Phrase(p) => leaf(field, &p, col, "phrase"),
            Tok::Close => Err((col, "this `)` closes nothing".to_string())),
            Tok::And | Tok::Or => Err((col, format!("{} has nothing before it", describe(&tok)))),
            Tok::Not => Err((col, "NOT needs something after it".to_string())),
        }
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
        Tok::Word(w) => format!("`{w}`"),
        Tok::Phrase(p) => format!("\"{p}\""),
    }
}

fn leaf(field: Field, text: &str, col: usize, what: &str) -> Result<Node, (usize, String)> {
    let terms = terms(text);
    if terms.is_empty() {
        return Err((
            col,
            format!("this {what} has no letters or digits to search for"),
        ));
    }
    Ok(Node::Terms { field, terms })
}

/// Whether a query can match anything without an `AND` partner: a query of
/// only negations would list the whole corpus.
fn positive(node: &Node) -> bool {
    match node {
        Node::Terms { .. } => true,
        Node::Not(_) => false,
        Node::And(items) => items.iter().any(positive),
        Node::Or(items) => items.iter().all(positive),
    }
}

/// Parses a query.
pub fn parse(query: &str) -> Result<Node, SyntaxError> {
    let err = |(column, message): (usize, String)| SyntaxError {
        query: query.to_string(),
        column,
        message,
    };
    let toks = lex(query).map_err(err)?;
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
    };
    let node = p.or(Field::Text).map_err(err)?;
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

/// The positive word sequences searched for in the spoken text, for
/// highlighting (negated ones are never shown).
pub fn text_sequences(node: &Node) -> Vec<Vec<String>> {
    fn walk(n: &Node, out: &mut Vec<Vec<String>>) {
        match n {
            Node::Terms {
                field: Field::Text,
                terms,
            } => out.push(terms.clone()),
            Node::Terms { .. } | Node::Not(_) => {}
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
        assert_eq!(parse("don't").unwrap(), t(Field::Text, &["don", "t"]));
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
        assert_eq!(
            text_sequences(&q),
            vec![
                vec!["love".to_string()],
                vec!["of".to_string(), "life".to_string()]
            ]
        );
    }
}
