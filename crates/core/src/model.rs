//! The data model: episodes, chapters, transcripts with timed segments, summaries.

use serde::Serialize;

/// What is known about one video (or one notes slot) apart from its speech.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EpisodeMeta {
    /// Position in its collection (oldest = 1), or the podcast's `#N`.
    pub number: Option<u32>,
    /// The YouTube video id, when known.
    pub video_id: Option<String>,
    /// The video's title.
    pub title: Option<String>,
    /// Guests, as far as the title or the metadata tell.
    pub guests: Vec<String>,
    /// Publication date, ISO `YYYY-MM-DD`.
    pub published: Option<String>,
    /// The video's address.
    pub url: Option<String>,
    /// Length of the video in milliseconds.
    pub duration_ms: Option<u64>,
    /// The video description.
    pub description: Option<String>,
    /// Tags from the metadata.
    pub tags: Vec<String>,
    /// The channel the video belongs to; when set it names the collection.
    pub channel: Option<String>,
    /// The channel's address, when known.
    pub channel_url: Option<String>,
}

/// One chapter of an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chapter {
    /// The chapter title as written.
    pub title: String,
    /// Start of the chapter in the video, when the source has times.
    pub start_ms: Option<u64>,
    /// Position of the chapter in the transcript text (a character offset into
    /// the text joined by [`Transcript::text`]), for chapters pasted into notes.
    pub text_pos: Option<u64>,
}

/// A word with its own start time (YouTube auto-captions carry these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordTiming {
    /// Start of the word in milliseconds.
    pub start_ms: u64,
    /// The word as written.
    pub word: String,
}

/// One timed stretch of speech (a cue), with its non-speech events split off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Start in milliseconds, when the source is timed.
    pub start_ms: Option<u64>,
    /// End in milliseconds, when the source is timed.
    pub end_ms: Option<u64>,
    /// The spoken text, one line, without non-speech tags.
    pub text: String,
    /// Non-speech tags found in the cue (`Music`, `Applause`, ...), in order.
    pub events: Vec<String>,
    /// Word timings, where the source has them.
    pub words: Vec<WordTiming>,
}

/// Which source a transcript comes from and in what language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptMeta {
    /// `notes`, `youtube-manual`, `youtube-auto`, `whisper-<model>` or a user's name.
    pub source: String,
    /// BCP-47-ish language code, when known.
    pub language: Option<String>,
    /// How the transcript was made, as a JSON object, when the source says
    /// (a recognizer's name, version, model and settings); `None` for
    /// captions and documents, which do not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// One source of one episode's speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transcript {
    /// Source and language.
    pub meta: TranscriptMeta,
    /// The timed (or untimed) segments in order.
    pub segments: Vec<Segment>,
}

/// How much a source is trusted when an episode has several: manual
/// captions, then Whisper large, other Whisper models, auto-captions, notes,
/// then anything else. Lower is better.
pub fn source_rank(source: &str) -> u8 {
    match source {
        "youtube-manual" => 0,
        s if s.starts_with("whisper-large") => 1,
        s if s.starts_with("whisper-") => 2,
        // A standalone json3 file is YouTube's, manual or auto unknown.
        "youtube-auto" | "youtube-json3" => 3,
        "notes" => 4,
        _ => 5,
    }
}

impl Transcript {
    /// The transcript's speech as one string: segment texts joined by one space,
    /// empty segments skipped. Chapter `text_pos` offsets point into this string.
    pub fn text(&self) -> String {
        crate::text::join_segments(self.segments.iter().map(|s| s.text.as_str()))
    }

    /// Number of words of speech (non-speech tags excluded).
    pub fn words(&self) -> u64 {
        self.segments
            .iter()
            .map(|s| crate::text::count_words(&s.text))
            .sum()
    }
}

/// A summary with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `imported`, `extractive` or `llm`.
    pub kind: String,
    /// What it summarizes.
    pub subject: Subject,
    /// The summary text as written.
    pub text: String,
}

/// What a summary is about: the episode itself, or what its viewers wrote
/// about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// The conversation, lecture or talk.
    #[default]
    Episode,
    /// The viewers' comments.
    Comments,
}

impl Subject {
    /// The name stored and shown: `episode` or `comments`.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Episode => "episode",
            Subject::Comments => "comments",
        }
    }

    /// The subject named `name` (`episode` or `comments`).
    pub fn parse(name: &str) -> Option<Subject> {
        match name {
            "episode" => Some(Subject::Episode),
            "comments" => Some(Subject::Comments),
            _ => None,
        }
    }

    /// What a summary written by someone else (a chat model, a person) is
    /// about, by what it says: a summary of comments names them, and the
    /// viewers or listeners who wrote them. It is about the comments when
    /// its first sentence names comments ("Based on the comments, ..."), or
    /// when comments and their writers come up often: each mention of a
    /// comment counts 2, of viewers, listeners or commenters 1, and 6 is
    /// often. A lecture summary that says the speaker "engages with the
    /// audience" is about the episode.
    pub fn of_summary(text: &str) -> Subject {
        let first = text
            .find(['.', '!', '?', '\n'])
            .map_or(text, |end| &text[..end]);
        let words = crate::analyzer::terms;
        let is_comment = |w: &str| w == "comment" || w == "comments";
        if words(first).iter().any(|w| is_comment(w)) {
            return Subject::Comments;
        }
        let score: usize = words(text)
            .iter()
            .map(|w| match w.as_str() {
                "comment" | "comments" => 2,
                "commenter" | "commenters" | "viewer" | "viewers" | "listener" | "listeners" => 1,
                _ => 0,
            })
            .sum();
        if score >= 6 {
            Subject::Comments
        } else {
            Subject::Episode
        }
    }
}

/// A viewer's comment on a video (yt-dlp `--write-comments`), or a reply
/// to one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The site's id of the comment, when known.
    pub id: Option<String>,
    /// The id of the comment this one answers; `None` for a comment that
    /// starts a thread (yt-dlp's `"parent": "root"`).
    pub parent: Option<String>,
    /// The author's display name.
    pub author: Option<String>,
    /// Written by the channel that uploaded the video.
    pub by_uploader: bool,
    /// Pinned by the uploader to the top of the comments.
    pub pinned: bool,
    /// Hearted ("favorited") by the uploader.
    pub favorited: bool,
    /// The comment text.
    pub text: String,
    /// Likes, when known.
    pub likes: Option<u64>,
    /// When it was posted, ISO date-time (UTC), when known.
    pub time: Option<String>,
}

/// Everything a reader found about one episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Episode {
    /// Metadata.
    pub meta: EpisodeMeta,
    /// Chapters in order.
    pub chapters: Vec<Chapter>,
    /// Transcripts, one per source.
    pub transcripts: Vec<Transcript>,
    /// Summaries in document order.
    pub summaries: Vec<Summary>,
    /// Viewers' comments, as fetched.
    pub comments: Vec<Comment>,
    /// The 1-based line of the input where the reader found it, when that
    /// locates it (a table's row), so a refusal can point there.
    pub line: Option<u64>,
    /// A number for the episode when it joins its collection without one of
    /// its own (a table without numbers ranks its rows by date). Weaker than
    /// `meta.number`: an episode already in the collection keeps its number,
    /// and a number taken by another episode is not used.
    pub number_hint: Option<u32>,
}

/// Facts about a whole input document that belong to no single episode
/// (a notes document's header and slot count), kept so it can be written back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    /// The format that read it (`notes`).
    pub format: String,
    /// The number of slots in the document, filled or not.
    pub slots: u32,
    /// The document's text exactly as read, for a lossless write-back.
    pub raw: String,
}

#[cfg(test)]
mod tests {
    use super::Subject;

    #[test]
    fn a_summary_of_comments_is_told_by_what_it_says() {
        assert_eq!(
            Subject::of_summary("Based on the comments, the talk was loved. Viewers agreed."),
            Subject::Comments
        );
        assert_eq!(
            Subject::of_summary(
                "The speaker engages with the audience and answers questions. Listeners learn a lot."
            ),
            Subject::Episode
        );
        // Comments and their writers named often, though not at the start.
        assert_eq!(
            Subject::of_summary(
                "It was well received. Comments praised it; many comments asked for more, and viewers, listeners agreed."
            ),
            Subject::Comments
        );
        // One passing mention is not enough.
        assert_eq!(
            Subject::of_summary("He explains judo. A comment he made about training stood out."),
            Subject::Episode
        );
        for s in [Subject::Episode, Subject::Comments] {
            assert_eq!(Subject::parse(s.as_str()), Some(s));
        }
        assert_eq!(Subject::parse("video"), None);
    }
}
