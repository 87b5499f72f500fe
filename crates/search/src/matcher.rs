//! Evaluating a parsed query on one passage's text, without the index: where
//! its words and phrases occur (for highlights, timestamps and concordance
//! lines) and whether the passage's own text matches at all (a passage whose
//! only match lies in the tail it borrowed from the next passage is left to
//! that next passage).

use crate::pattern::{Near, Pattern};
use crate::query::{Field, Node};
use crate::tokens::{token_eq, token_ranges};
use std::ops::Range;

/// The texts a query is evaluated on.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    /// Spoken text.
    pub text: &'a str,
    /// Episode title.
    pub title: &'a str,
    /// Guests, joined by a separator that is not a letter.
    pub guests: &'a str,
}

/// Byte ranges of every occurrence of the token sequence `seq` in `text`:
/// from the first token's start to the last one's end. `seq` is lowercased
/// unless `case` is set, in which case tokens must equal it exactly.
pub fn find_seq(text: &str, seq: &[String], case: bool) -> Vec<Range<usize>> {
    let toks: Vec<Range<usize>> = token_ranges(text).collect();
    find_in_tokens(text, &toks, seq, case)
}

/// [`find_seq`], fast on ASCII text (nearly all of the corpus): a substring
/// search for the first word, then a check of the word boundaries and of the
/// words that follow, so the text is never tokenized whole.
pub fn find_seq_fast(text: &str, seq: &[String], case: bool) -> Vec<Range<usize>> {
    let Some(first) = seq.first() else {
        return Vec::new();
    };
    if !text.is_ascii() || !seq.iter().all(|s| s.is_ascii()) {
        return find_seq(text, seq, case);
    }
    let hay = if case {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    };
    let bytes = hay.as_bytes();
    let mut out = Vec::new();
    for (i, _) in hay.match_indices(first.as_str()) {
        let end = i + first.len();
        // Inside a longer run of letters: not this word (the cheap test).
        if (i > 0 && bytes[i - 1].is_ascii_alphanumeric())
            || (end < bytes.len() && bytes[end].is_ascii_alphanumeric())
        {
            continue;
        }
        // Whether it is a whole token is the tokenizer's to say (`don` in
        // `don't` may not be): tokens never cross whitespace, so tokenizing
        // from the start of this whitespace-separated word is exact.
        let from = hay[..i]
            .rfind(|c: char| c.is_ascii_whitespace())
            .map_or(0, |k| k + 1);
        let mut next = token_ranges(&hay[from..]).map(|r| from + r.start..from + r.end);
        let whole = loop {
            match next.next() {
                Some(r) if r.start < i => continue,
                Some(r) => break r.start == i && r.end == end,
                None => break false,
            }
        };
        if !whole {
            continue;
        }
        let mut last = end;
        let rest = seq[1..].iter().all(|t| match next.next() {
            Some(r) if &hay[r.clone()] == t.as_str() => {
                last = r.end;
                true
            }
            _ => false,
        });
        if rest {
            out.push(i..last);
        }
    }
    out
}

/// [`find_seq`] over tokens already found.
pub fn find_in_tokens(
    text: &str,
    toks: &[Range<usize>],
    seq: &[String],
    case: bool,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(first) = seq.first() else {
        return out;
    };
    if toks.len() < seq.len() {
        return out;
    }
    for i in 0..=toks.len() - seq.len() {
        if !token_eq(&text[toks[i].clone()], first, case) {
            continue;
        }
        let all = seq
            .iter()
            .enumerate()
            .skip(1)
            .all(|(j, term)| token_eq(&text[toks[i + j].clone()], term, case));
        if all {
            out.push(toks[i].start..toks[i + seq.len() - 1].end);
        }
    }
    out
}

fn pick<'a>(f: &Fields<'a>, field: &Field) -> &'a str {
    match field {
        Field::Text => f.text,
        Field::Title => f.title,
        Field::Guest => f.guests,
    }
}

/// Byte ranges of every match of `p` in `text`, from the first matched
/// token's start to the last one's end.
pub fn find_pattern(text: &str, p: &Pattern) -> Vec<Range<usize>> {
    let toks: Vec<Range<usize>> = token_ranges(text).collect();
    pattern_in_tokens(text, &toks, p)
}

/// [`find_pattern`] over tokens already found.
pub fn pattern_in_tokens(text: &str, toks: &[Range<usize>], p: &Pattern) -> Vec<Range<usize>> {
    let words: Vec<&str> = toks.iter().map(|r| &text[r.clone()]).collect();
    p.find(&words)
        .into_iter()
        .filter(|m| m.end > m.start)
        .map(|m| toks[m.start].start..toks[m.end - 1].end)
        .collect()
}

/// Whether the query matches these texts.
pub fn matches(node: &Node, f: &Fields<'_>) -> bool {
    match node {
        Node::Terms { field, terms } => {
            let text = match field {
                Field::Text => f.text,
                Field::Title => f.title,
                Field::Guest => f.guests,
            };
            !find_seq(text, terms, false).is_empty()
        }
        Node::Seq { field, tests } => !find_pattern(
            pick(f, field),
            &Pattern {
                seq: tests.clone(),
                case: false,
                near: None,
            },
        )
        .is_empty(),
        Node::Near {
            field,
            a,
            b,
            within,
        } => !find_pattern(
            pick(f, field),
            &Pattern {
                seq: a.clone(),
                case: false,
                near: Some(Near {
                    other: b.clone(),
                    within: *within,
                }),
            },
        )
        .is_empty(),
        Node::And(items) => items.iter().all(|n| matches(n, f)),
        Node::Or(items) => items.iter().any(|n| matches(n, f)),
        Node::Not(inner) => !matches(inner, f),
    }
}

/// Every occurrence of any of the patterns in `text`, sorted, overlaps merged.
pub fn highlight_ranges(text: &str, seqs: &[Pattern]) -> Vec<Range<usize>> {
    let toks: Vec<Range<usize>> = token_ranges(text).collect();
    let mut all: Vec<Range<usize>> = seqs
        .iter()
        .flat_map(|p| pattern_in_tokens(text, &toks, p))
        .collect();
    all.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(all.len());
    for r in all {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn seq(s: &str) -> Vec<String> {
        crate::tokens::terms(s)
    }

    #[test]
    fn finds_phrases_across_punctuation_and_case() {
        let t = "What is the Meaning, of life? The meaning of LIFE.";
        let found = find_seq(t, &seq("meaning of life"), false);
        assert_eq!(found, vec![12..28, 34..49]);
        assert_eq!(&t[found[0].clone()], "Meaning, of life");
        let exact = find_seq(t, &["meaning".into(), "of".into(), "LIFE".into()], true);
        assert_eq!(exact, vec![34..49]);
    }

    #[test]
    fn the_fast_finder_agrees_with_the_tokenizing_one() {
        let t = "Love, lovely LOVE? glove love-love. I love you; love you too. love don't";
        for (q, case) in [
            ("don", false),
            ("t", false),
            ("don't", false),
            ("love", false),
            ("love you", false),
            ("LOVE", true),
            ("love you too", false),
            ("you love", false),
        ] {
            let s: Vec<String> = if case { vec![q.to_string()] } else { seq(q) };
            let s = if q.contains(' ') && case {
                q.split(' ').map(String::from).collect()
            } else {
                s
            };
            assert_eq!(find_seq_fast(t, &s, case), find_seq(t, &s, case), "{q}");
        }
        assert_eq!(find_seq_fast(t, &seq("love"), false).len(), 7);
        // Non-ASCII text takes the tokenizing path and still matches.
        assert_eq!(
            find_seq_fast("Élan vital, élan", &seq("élan"), false).len(),
            2
        );
    }

    #[test]
    fn evaluates_booleans_and_fields() {
        let f = Fields {
            text: "we talked about rockets and mars",
            title: "Elon Musk: SpaceX",
            guests: "Elon Musk",
        };
        assert!(matches(&parse("mars AND rockets").unwrap(), &f));
        assert!(!matches(&parse("mars -rockets").unwrap(), &f));
        assert!(matches(&parse("guest:musk (venus OR mars)").unwrap(), &f));
        assert!(!matches(&parse("title:tesla").unwrap(), &f));
    }

    #[test]
    fn merges_overlapping_highlights() {
        let t = "the meaning of life is love";
        let p = |q: &str| Pattern::parse(q, false).expect("pattern");
        let r = highlight_ranges(t, &[p("meaning of"), p("of life"), p("love")]);
        assert_eq!(r, vec![4..19, 23..27]);
    }
}
