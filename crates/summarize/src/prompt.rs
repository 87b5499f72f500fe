//! The prompts sent to a language model: the default one asks for the
//! layout of the summaries in the user's notes (a short paragraph, then
//! numbered key points with bold headings); `--prompt FILE` replaces it.

/// The default instruction for the final summary.
pub const DEFAULT_PROMPT: &str = "\
You summarize transcripts of podcast conversations and lectures.
Write the summary in this layout:
- first a short paragraph (two to four sentences) saying who talks about what;
- then the line \"Here are the key points:\";
- then 5 to 12 numbered key points in the order they come up, each a bold heading, \
a colon, and one or two sentences, like
1. **Holistic Approach to Movement**: ...
2. **Journey to Generalism**: ...
Use only what the transcript says. Write in English. No preamble, no closing remarks.";

/// The instruction for one part of a transcript too long for one request
/// (the map step), and for merging notes that are still too long.
pub const PART_PROMPT: &str = "\
You read one part of a longer transcript of a podcast conversation or lecture.
Write concise notes of the key points of this part: the claims, ideas, names, \
numbers and examples, as a short bulleted list in the order they come up.
Use only what the text says. No preamble.";

/// The default instruction for a summary of viewers' comments: what the
/// audience valued, criticised and asked, in the layout of the notes'
/// comment summaries ("Based on the comments, …").
pub const COMMENTS_PROMPT: &str = "\
You summarize what the audience said in the comments under a video of a podcast \
conversation or lecture. Each comment comes with its author and how many people liked it; \
a comment many people liked speaks for many viewers.
Write the summary in this layout:
- first a short paragraph (two to four sentences) that begins \"Based on the comments,\" \
and says how viewers received the video;
- then the line \"Here are the key points:\";
- then 3 to 8 numbered points, each a bold heading, a colon, and one or two sentences, covering \
what viewers valued, what they criticised, and what they asked or wanted next.
Use only what the comments say. Write in English. No preamble, no closing remarks.";

/// The instruction for one part of a comment section too long for one
/// request, and for merging notes that are still too long.
pub const COMMENTS_PART_PROMPT: &str = "\
You read one part of the comments under a video of a podcast conversation or lecture. \
Each comment comes with its author and how many people liked it.
Write concise notes, as a short bulleted list: what viewers valued, what they criticised, \
and what they asked or wanted next, with how widely each was shared (likes, how many said it).
Use only what the comments say. No preamble.";

/// A short, stable fingerprint of a prompt text (BLAKE3, 16 hex digits),
/// stored with each LLM summary.
pub fn prompt_hash(prompt: &str) -> String {
    blake3::hash(prompt.as_bytes()).to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_distinguishes_prompts() {
        // blake3 of the empty input starts af1349b9f5f9a1a6 (the BLAKE3 test vector).
        assert_eq!(prompt_hash(""), "af1349b9f5f9a1a6");
        assert_ne!(prompt_hash(DEFAULT_PROMPT), prompt_hash(PART_PROMPT));
        assert!(DEFAULT_PROMPT.contains("numbered key points"));
        for p in [COMMENTS_PROMPT, COMMENTS_PART_PROMPT] {
            assert!(p.contains("valued") && p.contains("criticised") && p.contains("asked"));
        }
    }
}
