//! How episodes are identified: a YouTube [`VideoId`] when one is known, an
//! [`EpisodeName`] (`COLLECTION/NUMBER`, one membership of the episode), and
//! the [`EpisodeRef`] a user types to name one of them.

use serde::Serialize;
use std::fmt;

/// A YouTube video id: eleven characters of `A-Z a-z 0-9 - _`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct VideoId(String);

impl VideoId {
    /// The id if `s` has the shape of one.
    pub fn parse(s: &str) -> Option<VideoId> {
        let ok = s.len() == 11
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| VideoId(s.to_string()))
    }

    /// The id of a YouTube address: `watch?v=ID`, `youtu.be/ID`,
    /// `/shorts/ID`, `/embed/ID`, `/live/ID`; or a bare id.
    pub fn from_url(url: &str) -> Option<VideoId> {
        let url = url.trim();
        if let Some(id) = VideoId::parse(url) {
            return Some(id);
        }
        let candidates = [
            url.split_once("v=").map(|(_, r)| r),
            url.split_once("youtu.be/").map(|(_, r)| r),
            url.split_once("/shorts/").map(|(_, r)| r),
            url.split_once("/embed/").map(|(_, r)| r),
            url.split_once("/live/").map(|(_, r)| r),
        ];
        candidates.into_iter().flatten().find_map(|rest| {
            let id = VideoId::parse(rest.get(..11)?)?;
            // `v=abcdefghijkl` is not an id with a letter cut off.
            let next = rest.as_bytes().get(11).copied();
            let ends = next.is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            ends.then_some(id)
        })
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The video's canonical address.
    pub fn url(&self) -> String {
        crate::link::youtube_url(&self.0, None)
    }
}

impl fmt::Display for VideoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One membership of an episode: its number in one collection
/// (`lexicap/316`, `lexfridman/1`, `lex-fridman-notes/1`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EpisodeName {
    /// The collection's name.
    pub collection: String,
    /// The episode's number there.
    pub number: i64,
}

impl EpisodeName {
    /// A name from its parts.
    pub fn new(collection: impl Into<String>, number: i64) -> EpisodeName {
        EpisodeName {
            collection: collection.into(),
            number,
        }
    }
}

impl fmt::Display for EpisodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.collection, self.number)
    }
}

/// What a user types to name an episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EpisodeRef {
    /// `COLLECTION/NUMBER`.
    Named(EpisodeName),
    /// A bare number: the episode with that number, when only one has it.
    Number(i64),
    /// A YouTube video id (or an address that carries one).
    Video(VideoId),
    /// Anything else, kept to say what was not found.
    Unknown(String),
}

impl EpisodeRef {
    /// Reads `lexicap/5`, `5`, `G5RY_SUJih4` or a YouTube address.
    pub fn parse(s: &str) -> EpisodeRef {
        let s = s.trim();
        if let Some((coll, num)) = s.rsplit_once('/') {
            if let (false, Ok(n)) = (coll.is_empty(), num.parse::<i64>()) {
                return EpisodeRef::Named(EpisodeName::new(coll, n));
            }
        }
        if let Ok(n) = s.parse::<i64>() {
            return EpisodeRef::Number(n);
        }
        match VideoId::from_url(s) {
            Some(v) => EpisodeRef::Video(v),
            None => EpisodeRef::Unknown(s.to_string()),
        }
    }
}

impl fmt::Display for EpisodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EpisodeRef::Named(n) => n.fmt(f),
            EpisodeRef::Number(n) => n.fmt(f),
            EpisodeRef::Video(v) => v.fmt(f),
            EpisodeRef::Unknown(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_ids_from_addresses() {
        for url in [
            "https://www.youtube.com/watch?v=G5RY_SUJih4",
            "https://www.youtube.com/watch?v=G5RY_SUJih4&t=754s",
            "https://youtu.be/G5RY_SUJih4",
            "https://www.youtube.com/shorts/G5RY_SUJih4",
            "G5RY_SUJih4",
        ] {
            assert_eq!(
                VideoId::from_url(url).map(|v| v.to_string()).as_deref(),
                Some("G5RY_SUJih4"),
                "{url}"
            );
        }
        assert_eq!(
            VideoId::from_url("https://www.youtube.com/watch?v=G5RY_SUJih4x"),
            None
        );
        assert_eq!(VideoId::from_url("https://example.com/a"), None);
        assert_eq!(VideoId::parse("short"), None);
    }

    #[test]
    fn references_as_users_type_them() {
        assert_eq!(
            EpisodeRef::parse("lexicap/316"),
            EpisodeRef::Named(EpisodeName::new("lexicap", 316))
        );
        assert_eq!(EpisodeRef::parse("a/b/3").to_string(), "a/b/3");
        assert_eq!(EpisodeRef::parse("12"), EpisodeRef::Number(12));
        assert!(matches!(
            EpisodeRef::parse("7uHGlfeCBbE"),
            EpisodeRef::Video(_)
        ));
        assert!(matches!(EpisodeRef::parse("nope"), EpisodeRef::Unknown(_)));
        assert_eq!(
            EpisodeName::new("lexfridman", 1).to_string(),
            "lexfridman/1"
        );
    }
}
