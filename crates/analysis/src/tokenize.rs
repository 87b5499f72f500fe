//! Word tokens for statistics and frequency lists: lowercased runs of letters
//! and digits, keeping an apostrophe between letters (`don't`, `it's`, `lex's`)
//! and splitting at hyphens and every other punctuation (`well-known` is two
//! tokens). Whitespace words (`wc -w`) are counted separately, by the core.

/// Calls `f` with each token of `text`, lowercased.
pub fn tokens(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        } else if is_apostrophe(c)
            && !buf.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphabetic())
        {
            buf.push('\'');
        } else if !buf.is_empty() {
            f(&buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(&buf);
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// The tokens of `text` as owned strings (for tests and small inputs).
pub fn token_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokens(text, |t| out.push(t.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_apostrophes_hyphens() {
        assert_eq!(
            token_list("Don't stop—it's Lex’s well-known 6S099 course, 'quoted' ok'"),
            [
                "don't", "stop", "it's", "lex's", "well", "known", "6s099", "course", "quoted",
                "ok"
            ]
        );
        assert_eq!(token_list("Naïve CAFÉ"), ["naïve", "café"]);
        assert!(token_list(" -- ... ").is_empty());
    }
}
