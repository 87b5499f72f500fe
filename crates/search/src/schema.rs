//! The index schema: one document per passage and one per viewer's
//! comment, each with the episode fields that filter and display it, so that
//! a search never needs the database. A comment's words, title and guests
//! go into fields of their own: BM25 reads its statistics per field, so
//! each kind is ranked as if it had an index to itself.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Bumped whenever the schema, the passage cutting or the analyzer's tokens
/// change: an index of another version is rebuilt by the updater and
/// refused by the read-only opener. 4: the core analyzer keeps apostrophes
/// inside words (`don't` is one term, no longer `don` and `t`). 5: passages
/// store their place in the transcript (`position`).
pub const VERSION: u32 = 5;

/// The [`Fields::kind`] of a passage document.
pub const KIND_TRANSCRIPT: &str = "transcript";
/// The [`Fields::kind`] of a comment document.
pub const KIND_COMMENT: &str = "comment";

/// The fields of the index's documents (passages, and comments where said).
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Own text and tail, tokenized with positions (phrases), stored.
    pub text: Field,
    /// Episode title, tokenized with positions, stored.
    pub title: Field,
    /// One value per guest, tokenized with positions, stored.
    pub guest: Field,
    /// Collection name, exact, stored.
    pub collection: Field,
    /// Source name, exact, stored.
    pub source: Field,
    /// Video id, stored only.
    pub video_id: Field,
    /// Episode number, stored.
    pub number: Field,
    /// Transcript id: what an update deletes by.
    pub transcript: Field,
    /// 1 when the transcript is its episode's best source.
    pub best: Field,
    /// Publication date as the number YYYYMMDD, for `--since/--until`.
    pub published: Field,
    /// Start of the passage in ms (absent when untimed).
    pub start_ms: Field,
    /// Byte length of the passage's own text within `text`.
    pub own_len: Field,
    /// The words before the passage, stored only.
    pub before: Field,
    /// Cue offsets and start times, packed (see [`crate::index`]).
    pub cues: Field,
    /// What the document is: [`KIND_TRANSCRIPT`] or [`KIND_COMMENT`], exact.
    pub kind: Field,
    /// A comment's text, tokenized with positions, stored.
    pub comment_text: Field,
    /// A comment's episode title, as [`Fields::title`].
    pub comment_title: Field,
    /// A comment's episode guests, as [`Fields::guest`].
    pub comment_guest: Field,
    /// A comment's episode id: what an update deletes its comments by.
    pub episode: Field,
    /// The site's id of a comment, stored only.
    pub comment_id: Field,
    /// A comment's author, stored only.
    pub author: Field,
    /// A comment's likes, stored.
    pub likes: Field,
    /// A comment's place among its episode's comments (the order fetched),
    /// or a passage's among its transcript's, stored: the order of things
    /// that have no time, whatever order the index holds them in.
    pub position: Field,
}

/// Builds the schema and names its fields.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let positions = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(crate::tokens::ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        text: b.add_text_field("text", positions.clone()),
        title: b.add_text_field("title", positions.clone()),
        guest: b.add_text_field("guest", positions.clone()),
        collection: b.add_text_field("collection", STRING | STORED),
        source: b.add_text_field("source", STRING | STORED),
        video_id: b.add_text_field("video_id", STORED),
        number: b.add_i64_field("number", STORED),
        transcript: b.add_u64_field("transcript", INDEXED | STORED),
        best: b.add_u64_field("best", INDEXED),
        published: b.add_u64_field("published", INDEXED | FAST),
        start_ms: b.add_u64_field("start_ms", STORED),
        own_len: b.add_u64_field("own_len", STORED),
        before: b.add_text_field("before", STORED),
        cues: b.add_bytes_field("cues", STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        comment_text: b.add_text_field("comment_text", positions.clone()),
        comment_title: b.add_text_field("comment_title", positions.clone()),
        comment_guest: b.add_text_field("comment_guest", positions),
        episode: b.add_u64_field("episode", INDEXED),
        comment_id: b.add_text_field("comment_id", STORED),
        author: b.add_text_field("author", STORED),
        likes: b.add_u64_field("likes", STORED),
        position: b.add_u64_field("position", STORED),
    };
    (b.build(), fields)
}

/// An ISO date (`YYYY-MM-DD`, or its first part `YYYY-MM`/`YYYY`) as the
/// number YYYYMMDD; `end` fills a partial date to its last day instead of its first.
pub fn date_number(iso: &str, end: bool) -> Option<u64> {
    let parts: Vec<&str> = iso.trim().split('-').collect();
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let (y, m, d) = match parts.as_slice() {
        [y] => (
            num(y, 4)?,
            if end { 12 } else { 1 },
            if end { 31 } else { 1 },
        ),
        [y, m] => (num(y, 4)?, num(m, 2)?, if end { 31 } else { 1 }),
        [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        _ => return None,
    };
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(y * 10_000 + m * 100 + d)
}

#[cfg(test)]
mod tests {
    use super::date_number;

    #[test]
    fn dates_become_comparable_numbers() {
        assert_eq!(date_number("2019-01-01", false), Some(20190101));
        assert_eq!(date_number("2019", true), Some(20191231));
        assert_eq!(date_number("2019-06", false), Some(20190601));
        assert_eq!(date_number("2019-13-01", false), None);
        assert_eq!(date_number("yesterday", false), None);
        assert_eq!(date_number("", false), None);
    }
}
