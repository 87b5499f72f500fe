//! Text rules shared by every reader: whitespace words (`wc -w`), which
//! bracketed tags are non-speech events, how cue texts join, and the guests
//! named in a title. Word tokens, their normal form, stop words and sentence
//! ends are the analyzer's ([`crate::analyzer`]).

/// Counts words as whitespace-separated tokens, the way `wc -w` does.
pub fn count_words(text: &str) -> u64 {
    // A byte loop: this runs over every segment of every import, and is
    // several times faster than counting `split_ascii_whitespace`.
    let mut n = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
        n += u64::from(!space && !in_word);
        in_word = !space;
    }
    n
}

/// `s` without surrounding whitespace, as [`str::trim`] gives it: decided
/// from the bytes when both ends are ASCII (nearly always), with the Unicode
/// rule only when a non-ASCII character is at an end.
pub fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(&a), Some(&z)) if a >= 0x80 || z >= 0x80 => t.trim(),
        _ => t,
    }
}

/// Joins segment texts with one space, skipping empty ones.
pub fn join_segments<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for t in texts {
        if t.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// Splits bracketed non-speech tags (`[Music]`, `[Applause]`, `[ __ ]`,
/// `(laughter)` is left alone because parentheses also hold speech) out of a
/// line of caption text.
///
/// Returns the speech with runs of whitespace collapsed to one space and the
/// tags' inner texts, trimmed, in order. A `[` without its `]` is speech.
pub fn split_tags(line: &str) -> (String, Vec<String>) {
    let mut speech = String::with_capacity(line.len());
    let mut events = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close_rel) = rest[open..].find(']') else {
            break;
        };
        push_words(&mut speech, &rest[..open]);
        events.push(rest[open + 1..open + close_rel].trim().to_string());
        rest = &rest[open + close_rel + 1..];
    }
    push_words(&mut speech, rest);
    (speech, events)
}

/// Appends the whitespace-separated words of `text` to `out`, one space apart.
pub fn push_words(out: &mut String, text: &str) {
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// Decodes the HTML character references that captions use (`&amp;`,
/// `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;`, `&lrm;`, `&rlm;`, numeric).
/// Unknown references are kept as written.
pub fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        // Look for the `;` only where a reference could end: a scan of the
        // whole rest at every `&` would make a line of `&`s quadratic.
        let end = tail.bytes().take(11).position(|b| b == b';');
        let decoded = end.and_then(|e| decode_entity(&tail[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                if let Some(c) = c {
                    out.push(c);
                }
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// `Some(Some(c))` for a character, `Some(None)` for a reference that stands
/// for nothing visible (direction marks), `None` when unknown.
fn decode_entity(name: &str) -> Option<Option<char>> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "lrm" | "rlm" => return Some(None),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some(Some(c))
}

/// The guests named in a video title, by the conventions of the Lex Fridman
/// channels and the podcasts they grew out of:
///
/// - `Guest: Topic | Show #N` and `Guest: Topic` give the part before the colon;
/// - `Topic (Guest, Org)` gives the first name in the trailing parentheses;
/// - `Guest - Topic` is not used by these channels and gives nothing.
///
/// Names joined by `and` or `&` before the colon are split.
pub fn guests_from_title(title: &str) -> Vec<String> {
    let title = title.trim();
    let head = title.split('|').next().unwrap_or(title).trim();
    if let Some((who, _)) = head.split_once(':') {
        let who = who.trim();
        if looks_like_names(who) {
            return split_names(who);
        }
    }
    if let (Some(open), true) = (head.rfind('('), head.ends_with(')')) {
        let inner = &head[open + 1..head.len() - 1];
        let who = inner.split(',').next().unwrap_or(inner).trim();
        if looks_like_names(who) {
            return split_names(who);
        }
    }
    Vec::new()
}

fn split_names(who: &str) -> Vec<String> {
    who.split(" and ")
        .flat_map(|p| p.split(" & "))
        .flat_map(|p| p.split(", "))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A name is a few capitalised words ("Ido Portal", "Quoc Le", "Jimmy Pedro"),
/// not a topic like "Deep Learning Basics" followed by more words.
fn looks_like_names(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && words.iter().all(|w| {
            let c = w.chars().next().unwrap_or(' ');
            c.is_uppercase() || matches!(*w, "and" | "&" | "de" | "van" | "von" | "der" | "la")
        })
}

/// A like count as shown beside a comment: `1 like`, `412 likes`.
pub fn likes(n: u64) -> String {
    if n == 1 {
        "1 like".to_string()
    } else {
        format!("{n} likes")
    }
}

/// The stop words are the analyzer's ([`crate::analyzer::STOP_WORDS`]);
/// they are named here too because readers looked for them here first.
pub use crate::analyzer::{is_stop_word, STOP_WORDS};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_as_str_trim_does() {
        for s in [
            "",
            "  ",
            " a b ",
            "\u{a0}x\u{2003}",
            "\t\u{3000} y \u{85}",
            "é",
            " \u{a0} ",
            "\u{1f600} z \u{1f600}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn words_are_counted_like_wc() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  one\ttwo  three\n"), 3);
        assert_eq!(count_words("we're finished."), 2);
        assert_eq!(count_words("naïve café"), 2);
    }

    #[test]
    fn tags_are_split_from_speech() {
        let (s, e) = split_tags("[Music] so  we start [ __ ] now [Applause]");
        assert_eq!(s, "so we start now");
        assert_eq!(e, vec!["Music", "__", "Applause"]);
        let (s, e) = split_tags("a [b without close");
        assert_eq!(s, "a [b without close");
        assert!(e.is_empty());
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a &amp; b &lt;3 &#39;x&#x27; &bogus; &"),
            "a & b <3 'x' &bogus; &"
        );
        assert_eq!(decode_entities("&lrm;hi"), "hi");
    }

    #[test]
    fn guests_from_real_titles() {
        assert_eq!(
            guests_from_title("Ido Portal: Movement"),
            vec!["Ido Portal"]
        );
        assert_eq!(
            guests_from_title("Sequence to Sequence Deep Learning (Quoc Le, Google)"),
            vec!["Quoc Le"]
        );
        assert_eq!(
            guests_from_title("Ryan Hall: Value of Competition | Take It Uneasy Podcast"),
            vec!["Ryan Hall"]
        );
        assert_eq!(
            guests_from_title("Foundations of Deep Learning (Hugo Larochelle, Twitter)"),
            vec!["Hugo Larochelle"]
        );
        assert_eq!(
            guests_from_title("Max Tegmark: Life 3.0 | Lex Fridman Podcast #1"),
            vec!["Max Tegmark"]
        );
        assert!(guests_from_title("Deep learning basics").is_empty());
    }
}
