//! Word tokens for statistics and frequency lists: the core analyzer's
//! ([`podcorpus_core::analyzer`]), the same tokens the search index holds.
//! Lowercased runs of letters and digits keeping an apostrophe between a
//! word and a letter (`don't`, `it's`, `lex’s` as `lex's`) and splitting at
//! hyphens and every other punctuation (`well-known` is two tokens).
//! Whitespace words (`wc -w`) are counted separately, by the core.

/// Calls `f` with the normal form of each token of `text`.
pub fn tokens(text: &str, f: impl FnMut(&str)) {
    podcorpus_core::analyzer::for_each_term(text, f);
}

/// The tokens of `text` as owned strings (for tests and small inputs).
pub fn token_list(text: &str) -> Vec<String> {
    podcorpus_core::analyzer::terms(text)
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
