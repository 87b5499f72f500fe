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
    pack_with(pieces, budget, " ")
}

/// [`pack`] with pieces joined by `sep` (a newline between comments); the
/// words of a piece cut in two are still joined by a space.
pub fn pack_with<'a>(
    pieces: impl IntoIterator<Item = &'a str>,
    budget: usize,
    sep: &str,
) -> Vec<String> {
    let budget = budget.max(1);
    let mut chunks = Vec::new();
    let mut cur = String::new();
    // Characters in `cur`, so the estimate of `cur + sep + piece` is exact.
    let mut cur_chars = 0usize;
    let mut add = |cur: &mut String, chunks: &mut Vec<String>, piece: &str, joiner: &str| {
        let piece_chars = piece.chars().count();
        let joiner_chars = joiner.chars().count();
        if !cur.is_empty() && (cur_chars + joiner_chars + piece_chars).div_ceil(4) > budget {
            chunks.push(std::mem::take(cur));
            cur_chars = 0;
        }
        if !cur.is_empty() {
            cur_chars += joiner_chars;
            cur.push_str(joiner);
        }
        cur_chars += piece_chars;
        cur.push_str(piece);
    };
    for piece in pieces {
        if estimate_tokens(piece) <= budget {
            add(&mut cur, &mut chunks, piece, sep);
        } else {
            for (i, word) in piece.split_whitespace().enumerate() {
                add(&mut cur, &mut chunks, word, if i == 0 { sep } else { " " });
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

    #[test]
    fn pieces_can_be_lines() {
        let pieces = ["- a b", "- c d", "- e f g h i j k l m n o p"];
        let chunks = pack_with(pieces, 3, "\n");
        assert_eq!(chunks[0], "- a b\n- c d");
        assert!(chunks.iter().all(|c| estimate_tokens(c) <= 3), "{chunks:?}");
        assert!(chunks[1..].iter().all(|c| !c.contains('\n')), "{chunks:?}");
    }
}
