//! The one analyzer of podcorpus: what a word token is, how it is
//! normalized, which tokens are stop words and where a sentence ends. The
//! search index, concordances, frequency lists, keyness, summaries and the
//! hybrid search's keyword form all read text through these rules, so that a
//! word counted in one place is the word found in another.
//!
//! A token is a maximal run of alphanumeric characters
//! ([`char::is_alphanumeric`]) that keeps an apostrophe (`'` or `’`) inside
//! it when the character before is alphanumeric and the one after is
//! alphabetic: `don't`, `lex's` and `rock'n'roll` are one token each,
//! `'quoted'` gives `quoted` and `90s'` gives `90s`. This is how wordfreq's
//! English tokens keep apostrophes, so vocabulary profiles can look tokens
//! up as they are. The normal form lowercases character by character and
//! writes `’` as `'`.
//!
//! ROUGE and WER do not use this analyzer: their numbers must equal the
//! reference tools' (rouge-score, jiwer), so they keep those tools' rules.

use std::ops::Range;

/// The apostrophe a typographer writes (U+2019), normalized to `'`.
const RIGHT_QUOTE: char = '\u{2019}';

/// Whether `c` is an apostrophe a token may keep inside it.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | RIGHT_QUOTE)
}

/// The character at byte `i` of `text`, which is not ASCII (or past the end).
#[cold]
fn wide_char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|t| t.chars().next())
}

/// Whether the character at byte `i` of `text` is alphabetic (false past the
/// end): what must follow an apostrophe for the token to keep it.
#[inline]
fn alphabetic_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => b.is_ascii_alphabetic(),
        Some(_) => wide_char_at(text, i).is_some_and(char::is_alphabetic),
        None => false,
    }
}

/// The next token of `text` at or after byte `*at`, moving `*at` past it:
/// its byte range and whether it is all ASCII (then [`push_normalized`]
/// lowercases it byte by byte).
///
/// ASCII, nearly all of the corpus, is decided from the byte alone, and
/// characters are decoded only where a byte is not ASCII: this loop is the
/// search index's hottest.
#[inline]
pub fn next_token(text: &str, at: &mut usize) -> Option<(Range<usize>, bool)> {
    let bytes = text.as_bytes();
    let mut j = *at;
    // Skip to the first alphanumeric character: an apostrophe never starts
    // a token.
    loop {
        let Some(&b) = bytes.get(j) else {
            *at = j;
            return None;
        };
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                break;
            }
            j += 1;
        } else {
            match wide_char_at(text, j) {
                Some(c) if c.is_alphanumeric() => break,
                Some(c) => j += c.len_utf8(),
                None => j += 1,
            }
        }
    }
    let start = j;
    let mut ascii = true;
    // Inside a token the previous character is always alphanumeric (an
    // apostrophe is only taken when an alphabetic one follows it), so an
    // apostrophe needs only the look-ahead.
    while let Some(&b) = bytes.get(j) {
        if b < 0x80 {
            if b.is_ascii_alphanumeric() || (b == b'\'' && alphabetic_at(text, j + 1)) {
                j += 1;
                continue;
            }
            break;
        }
        match wide_char_at(text, j) {
            Some(c) if c.is_alphanumeric() => j += c.len_utf8(),
            Some(RIGHT_QUOTE) if alphabetic_at(text, j + RIGHT_QUOTE.len_utf8()) => {
                j += RIGHT_QUOTE.len_utf8();
            }
            _ => break,
        }
        ascii = false;
    }
    *at = j;
    Some((start..j, ascii))
}

/// Byte ranges of the tokens of `text`, in order.
pub fn token_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || next_token(text, &mut at).map(|(r, _)| r))
}

/// Appends [`normalize`]'s form of `token` to `out`; `ascii` says whether
/// `token` is all ASCII (the scan knows it already, so it is not asked twice).
#[inline]
pub fn push_normalized(token: &str, ascii: bool, out: &mut String) {
    if ascii {
        let start = out.len();
        out.push_str(token);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        for c in token.chars() {
            if c == RIGHT_QUOTE {
                out.push('\'');
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

/// The normal form of `token`: lowercased character by character, without
/// the final-sigma rule (as tantivy's `LowerCaser` does, so a word has one
/// form whatever its position), and `’` written `'` (`don’t` is `don't`).
pub fn normalize(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_normalized(token, token.is_ascii(), &mut out);
    out
}

/// Calls `f` with the normal form of each token of `text`, in order, reusing
/// one buffer (no allocation per token).
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    let mut at = 0;
    while let Some((r, ascii)) = next_token(text, &mut at) {
        buf.clear();
        if let Some(token) = text.get(r) {
            push_normalized(token, ascii, &mut buf);
        }
        f(&buf);
    }
}

/// The normal forms of the tokens of `text` (what a query word or phrase
/// becomes).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// Whether `token` (as written in a text) matches `term`: `term` is a normal
/// form and is compared with [`normalize`]`(token)`; with `case` set, `term`
/// is compared as written and only the apostrophes are made alike.
pub fn token_eq(token: &str, term: &str, case: bool) -> bool {
    if token.is_ascii() && term.is_ascii() {
        return if case {
            token == term
        } else {
            token.eq_ignore_ascii_case(term)
        };
    }
    if case {
        let fold = |c: char| if c == RIGHT_QUOTE { '\'' } else { c };
        return token.chars().map(fold).eq(term.chars().map(fold));
    }
    normalize(token) == term
}

/// Common English function words, their contractions as tokens (`don't`
/// keeps its apostrophe), and the fillers and discourse words of speech
/// (`uh`, `yeah`, `like`, `know`, `gonna`): in a spoken corpus these fill
/// every sentence and every frequency list. Sorted, for [`is_stop_word`].
#[rustfmt::skip]
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "ain't", "all", "also", "am", "an", "and",
    "any", "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "can't", "could", "could've", "couldn't", "did",
    "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "even", "few",
    "for", "from", "further", "get", "gets", "getting", "go", "goes", "going", "gonna", "got",
    "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's",
    "her", "here", "here's", "hers", "herself", "him", "himself", "his", "how", "how's", "i",
    "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it'd", "it'll", "it's",
    "its", "itself", "just", "kind", "know", "let", "let's", "like", "maybe", "me", "mean", "more",
    "most", "much", "my", "myself", "no", "nor", "not", "now", "of", "off", "oh", "ok", "okay",
    "on", "once", "one", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over",
    "own", "really", "right", "said", "same", "say", "see", "she", "she'd", "she'll", "she's",
    "should", "should've", "shouldn't", "so", "some", "sort", "such", "than", "that", "that'd",
    "that'll", "that's", "the", "their", "theirs", "them", "themselves", "then", "there",
    "there'd", "there'll", "there's", "these", "they", "they'd", "they'll", "they're", "they've",
    "thing", "things", "think", "this", "those", "through", "to", "too", "uh", "um", "under",
    "until", "up", "us", "very", "wanna", "was", "wasn't", "way", "we", "we'd", "we'll", "we're",
    "we've", "well", "were", "weren't", "what", "what'll", "what're", "what's", "when", "when's",
    "where", "where'd", "where's", "which", "while", "who", "who'd", "who'll", "who's", "whom",
    "why", "why's", "will", "with", "won't", "would", "would've", "wouldn't", "y'all", "yeah",
    "yes", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves",
];

/// Whether a normalized token is a stop word ([`STOP_WORDS`]).
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Words whose full stop ends no sentence (compared without case and
/// without the final `.`). `no` is not one: in speech "no." ends sentences
/// far more often than it abbreviates "number".
pub const ABBREVIATIONS: &[&str] = &[
    "dr", "e.g", "etc", "i.e", "jr", "mr", "mrs", "ms", "mt", "prof", "sr", "st", "vs",
];

/// Whether a whitespace-separated word closes a sentence: it ends in `.`,
/// `!`, `?` or `…` (a run such as `?!` or `...` counts once; closing quotes
/// and brackets may follow), the marks follow a letter or digit (a lone `.`
/// or `...` closes nothing), and a full stop is not that of an abbreviation
/// (`Mr.`, `Dr.`, `e.g.`). A mark inside a word (`3.5`, `a.m`) ends nothing.
pub fn ends_sentence(word: &str) -> bool {
    let closed = word.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»']);
    let stem = closed.trim_end_matches(['.', '!', '?', '…']);
    if stem.len() == closed.len() || !stem.chars().next_back().is_some_and(char::is_alphanumeric) {
        return false;
    }
    let full_stop = closed.ends_with('.') && !closed.ends_with("..");
    !(full_stop && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(stem)))
}

/// The number of sentence ends ([`ends_sentence`]) in `text`.
pub fn count_sentence_ends(text: &str) -> u64 {
    // Most cues hold no mark at all: skip them without splitting.
    if !text.bytes().any(|b| matches!(b, b'.' | b'!' | b'?' | 0xE2)) {
        return 0;
    }
    text.split_whitespace().filter(|w| ends_sentence(w)).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<&str> {
        token_ranges(text).map(|r| &text[r]).collect()
    }

    /// The rule written the slow way, one `char` at a time, as the regex
    /// `[^\W_]+(?:['’][^\W\d_][^\W_]*)*` reads: runs of alphanumerics, joined
    /// through an apostrophe only when a letter follows it.
    fn brute_force(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let next_alpha = chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
            let apostrophe = (c == '\'' || c == '\u{2019}') && !cur.is_empty() && next_alpha;
            if c.is_alphanumeric() || apostrophe {
                cur.push(c);
            } else if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    #[test]
    fn apostrophes_stay_only_between_a_word_and_a_letter() {
        assert_eq!(
            tokens("Don't stop—it's Lex’s rock'n'roll, 'quoted' 90s' ok' l'été"),
            [
                "Don't",
                "stop",
                "it's",
                "Lex’s",
                "rock'n'roll",
                "quoted",
                "90s",
                "ok",
                "l'été"
            ]
        );
        // A digit after the apostrophe does not join ('90s is two words'
        // shape), nor does a second apostrophe or a hyphen.
        assert_eq!(
            tokens("class of '99 rock'9 don''t well-known"),
            ["class", "of", "99", "rock", "9", "don", "t", "well", "known"]
        );
        assert_eq!(tokens("’’tis ’ ' x’"), ["tis", "x"]);
    }

    #[test]
    fn unicode_letters_and_digits_are_word_characters() {
        assert_eq!(
            tokens("naïve café, ΣΊΣΥΦΟΣ İstanbul ǅemal 東京 ٣٤ 3.14×10^8 \u{1f600}emoji_x"),
            [
                "naïve",
                "café",
                "ΣΊΣΥΦΟΣ",
                "İstanbul",
                "ǅemal",
                "東京",
                "٣٤",
                "3",
                "14",
                "10",
                "8",
                "emoji",
                "x"
            ]
        );
        // Lowercased one character at a time: no final sigma, İ keeps its dot.
        assert_eq!(terms("ΣΊΣΥΦΟΣ İ CAFÉ"), ["σίσυφοσ", "i\u{307}", "café"]);
    }

    #[test]
    fn the_typographic_apostrophe_normalizes_to_the_plain_one() {
        assert_eq!(terms("Don’t DON'T"), ["don't", "don't"]);
        assert!(token_eq("Don’t", "don't", false));
        assert!(token_eq("Don’t", "Don't", true));
        assert!(!token_eq("Don’t", "don't", true));
        assert!(token_eq("Élan", "élan", false) && !token_eq("Élan", "élan", true));
    }

    #[test]
    fn empty_and_punctuation_only_texts_have_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens(" -- ... ' ’ \u{2014} _ ").is_empty());
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn long_tokens_are_whole_and_ranges_point_into_the_text() {
        let long = "ab".repeat(100);
        let text = format!("  {long}'s… end");
        let ranges: Vec<_> = token_ranges(&text).collect();
        assert_eq!(ranges, [2..2 + 202, 2 + 202 + 4..text.len()]);
        assert_eq!(&text[ranges[0].clone()], format!("{long}'s"));
    }

    #[test]
    fn the_fast_scan_equals_the_rule_written_slowly() {
        let mut texts = vec![
            "Lex Fridman: I think consciousness is... well, it's the hard problem!".to_string(),
            "ΣΊΣΥΦΟΣ and Straße, İstanbul, ǅemal, naïve café — 3.14 × 10^8 l’été".to_string(),
            "a'b a'1 1'a 1'1 a'' ''a a'é é'a é'’a a’ a’b’c x'\u{1f600} \u{301}a'\u{301}"
                .to_string(),
        ];
        for name in ["episode_049_small.vtt", "episode_316_large.vtt"] {
            let path = format!(
                "{}/../../samples/lexicap/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            texts.push(std::fs::read_to_string(path).unwrap_or_default());
        }
        assert!(
            texts[3].len() > 10_000,
            "the Lexicap sample is in the repository"
        );
        for text in &texts {
            let ours: Vec<String> = tokens(text).into_iter().map(String::from).collect();
            assert_eq!(ours, brute_force(text), "{:.80}", text);
            let lowered: Vec<String> = brute_force(text)
                .iter()
                .map(|t| {
                    t.replace('\u{2019}', "'")
                        .chars()
                        .flat_map(char::to_lowercase)
                        .collect()
                })
                .collect();
            assert_eq!(terms(text), lowered);
        }
    }

    #[test]
    fn stop_words_are_sorted_normal_forms() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            STOP_WORDS.iter().all(|w| terms(w) == [*w]),
            "each is one token"
        );
        assert!(is_stop_word("don't") && is_stop_word("the") && is_stop_word("uh"));
        assert!(!is_stop_word("mind") && !is_stop_word("don") && !is_stop_word("The"));
    }

    #[test]
    fn sentences_end_at_marks_after_words_but_not_abbreviations() {
        for w in [
            "there.",
            "you?!",
            "Fine...",
            "so…",
            "Yes.\"",
            "(really!)",
            "no.",
            "U.S.",
        ] {
            assert!(ends_sentence(w), "{w}");
        }
        for w in [
            "Mr.", "dr.", "e.g.", "I.E.", "3.5", "a.m", ".", "...", "?!", "word", "",
        ] {
            assert!(!ends_sentence(w), "{w}");
        }
        assert_eq!(count_sentence_ends("Hi there. How are you?! Fine... ok"), 3);
        assert_eq!(
            count_sentence_ends("Dr. Smith, e.g. 3.5 is a number . ."),
            0
        );
        assert_eq!(count_sentence_ends(""), 0);
    }
}
