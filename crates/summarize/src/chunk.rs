//! Fitting text into a model's context window: a token estimate and the
//! packing of consecutive sentences into chunks under a token budget.

/// Tokens a text will take, estimated as one per four characters (the usual
/// rule of thumb for English with BPE vocabularies); it slightly
/// overestimates conversational English, which is the safe side.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

/// Packs consecutive pieces (sentences) into chunks of at most `budget`
/// estimated tokens, joined by one space, never reordering. A piece larger
/// than the budget on its own is cut between words.
pub fn pack<'a>(pieces: impl IntoIterator<Item = &'a str>, budget: usize) -> Vec<String> {
    let budget = budget.max(1);
    let mut chunks = Vec::new();
    let mut cur = String::new();
    // Characters in `cur`, so the estimate of `cur + " " + piece` is exact.
    let mut cur_chars = 0usize;
    let mut add = |cur: &mut String, chunks: &mut Vec<String>, piece: &str| {
        let piece_chars = piece.chars().count();
        if !cur.is_empty() && (cur_chars + 1 + piece_chars).div_ceil(4) > budget {
            chunks.push(std::mem::take(cur));
            cur_chars = 0;
        }
        if !cur.is_empty() {
            cur_chars += 1;
        }
        cur_chars += piece_chars;
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(piece);
    };
    for piece in pieces {
        if estimate_tokens(piece) <= budget {
            add(&mut cur, &mut chunks, piece);
        } else {
            for word in piece.split_whitespace() {
                add(&mut cur, &mut chunks, word);
            }
        }
    }
    if !cur.is_empty() {
        chunks.push(cur);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_four_characters_a_token() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("abcd"), 1);
        assert_eq!(estimate_tokens("abcde"), 2);
        assert_eq!(estimate_tokens("éééé"), 1);
    }

    #[test]
    fn packs_in_order_under_the_budget() {
        let pieces = ["aaaa aaaa.", "bbbb bbbb.", "cccc cccc.", "dd."];
        let chunks = pack(pieces, 6);
        assert_eq!(chunks, vec!["aaaa aaaa. bbbb bbbb.", "cccc cccc. dd."]);
        assert!(chunks.iter().all(|c| estimate_tokens(c) <= 6));
        assert_eq!(chunks.join(" "), pieces.join(" "));
    }

    #[test]
    fn cuts_an_oversized_piece_between_words() {
        let chunks = pack(["one two three four five six seven eight"], 3);
        assert!(chunks.len() > 1);
        assert!(chunks.iter().all(|c| estimate_tokens(c) <= 3), "{chunks:?}");
        assert_eq!(chunks.join(" "), "one two three four five six seven eight");
    }
}
