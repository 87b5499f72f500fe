//! Snippets: a short stretch of a passage around its first match, with the
//! byte ranges to highlight. Plain data; the terminal decides how to show it.

use serde::Serialize;
use std::ops::Range;

/// Characters of context kept before the first match.
const LEAD_CHARS: usize = 60;

/// A stretch of text with the parts to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The text, with `…` where it was cut.
    pub text: String,
    /// Byte ranges of `text` to highlight, in order.
    pub highlights: Vec<Range<usize>>,
}

/// The largest char boundary of `s` not above `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A snippet of about `max_chars` characters of `text`, starting a little
/// before `focus` (the first match), cut at spaces, with `matches` (sorted
/// byte ranges of `text`) highlighted where they fall inside it.
pub fn make(text: &str, focus: usize, matches: &[Range<usize>], max_chars: usize) -> Snippet {
    let focus = floor_boundary(text, focus);
    // Start: LEAD_CHARS characters before the focus, moved forward to a word start.
    let mut start = text[..focus]
        .char_indices()
        .rev()
        .nth(LEAD_CHARS)
        .map_or(0, |(i, _)| i);
    if start > 0 {
        start = text[start..focus]
            .find(' ')
            .map_or(focus, |s| start + s + 1);
    }
    // End: max_chars characters later, moved back to a word end.
    let mut end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        if let Some(sp) = text[start..end].rfind(' ') {
            if start + sp > focus {
                end = start + sp;
            }
        }
    }
    // Never cut a highlighted match in two.
    if let Some(m) = matches.iter().find(|m| m.start < end && m.end > end) {
        end = m.end;
    }
    let lead = if start > 0 { "…" } else { "" };
    let mut out = String::with_capacity(end - start + 8);
    out.push_str(lead);
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    let highlights = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| m.start - start + lead.len()..m.end - start + lead.len())
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

impl Snippet {
    /// The text with each highlight wrapped in `open` and `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut at = 0;
        for h in &self.highlights {
            out.push_str(&self.text[at..h.start]);
            out.push_str(open);
            out.push_str(&self.text[h.clone()]);
            out.push_str(close);
            at = h.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_spaces_around_the_match_and_marks_it() {
        let text = "a ".repeat(50) + "the meaning of life is " + &"b ".repeat(100);
        let focus = 100 + 4;
        let s = make(&text, focus, std::slice::from_ref(&(focus..focus + 15)), 80);
        assert!(s.text.starts_with("…a a"), "{:?}", s.text);
        assert!(s.text.ends_with(" is…"), "{:?}", s.text);
        assert_eq!(s.text.chars().count(), 1 + 78 + 1);
        assert_eq!(s.highlights.len(), 1);
        assert_eq!(&s.text[s.highlights[0].clone()], "meaning of life");
        assert!(s.marked("[", "]").contains("the [meaning of life] is"));
    }

    #[test]
    fn short_text_is_whole() {
        let s = make("hello world", 6, std::slice::from_ref(&(6..11)), 200);
        assert_eq!(s.text, "hello world");
        assert_eq!(s.marked("*", "*"), "hello *world*");
    }
}
