//! How a moment of a video is written for people: `HH:MM:SS`, the YouTube
//! address that starts playing at that second, and `EPISODE@TIME` anchors.

/// Formats milliseconds as `HH:MM:SS`.
pub fn hms(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The YouTube address of a video, at the whole second when a time is given.
pub fn youtube_url(video_id: &str, start_ms: Option<u64>) -> String {
    match start_ms {
        Some(ms) => format!(
            "https://www.youtube.com/watch?v={video_id}&t={}s",
            ms / 1000
        ),
        None => format!("https://www.youtube.com/watch?v={video_id}"),
    }
}

/// A moment of an episode: `lexicap/1@754`, `lexicap/1@12:34`, `1@1:02:03`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The episode, named as `show` takes it.
    pub episode: String,
    /// The moment, in milliseconds.
    pub at_ms: u64,
}

/// Text that is not an `EPISODE@TIME` anchor; the message shows how to write one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAnchor(pub String);

impl std::fmt::Display for BadAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} is not EPISODE@TIME: write e.g. lexicap/1@754 (seconds) or lexicap/1@12:34",
            self.0
        )
    }
}

impl std::error::Error for BadAnchor {}

impl Anchor {
    /// Parses `EPISODE@TIME`, TIME in seconds (an `s` may follow) or
    /// `[H:]MM:SS`; the episode is everything before the last `@`.
    pub fn parse(s: &str) -> Result<Anchor, BadAnchor> {
        let bad = || BadAnchor(s.to_string());
        let (episode, time) = s.rsplit_once('@').ok_or_else(bad)?;
        let time = time.trim();
        let time = time.strip_suffix('s').unwrap_or(time);
        if episode.trim().is_empty() || time.is_empty() {
            return Err(bad());
        }
        let parts: Vec<&str> = time.split(':').collect();
        if parts.len() > 3 {
            return Err(bad());
        }
        let mut secs: u64 = 0;
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let v: u64 = part.parse().map_err(|_| bad())?;
            if i > 0 && v >= 60 {
                return Err(bad());
            }
            secs = secs
                .checked_mul(60)
                .and_then(|s| s.checked_add(v))
                .ok_or_else(bad)?;
        }
        Ok(Anchor {
            episode: episode.trim().to_string(),
            at_ms: secs.checked_mul(1000).ok_or_else(bad)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_links() {
        assert_eq!(hms(3_723_004), "01:02:03");
        assert_eq!(
            youtube_url("G5RY_SUJih4", Some(123_456)),
            "https://www.youtube.com/watch?v=G5RY_SUJih4&t=123s"
        );
        assert_eq!(
            youtube_url("G5RY_SUJih4", None),
            "https://www.youtube.com/watch?v=G5RY_SUJih4"
        );
    }

    #[test]
    fn anchors_parse_seconds_and_clock_times() {
        let a = Anchor::parse("lexicap/1@754").unwrap();
        assert_eq!((a.episode.as_str(), a.at_ms), ("lexicap/1", 754_000));
        assert_eq!(Anchor::parse("lexicap/1@754s").unwrap().at_ms, 754_000);
        assert_eq!(Anchor::parse("lexicap/1@12:34").unwrap().at_ms, 754_000);
        assert_eq!(
            Anchor::parse("G5RY_SUJih4@1:02:03").unwrap().at_ms,
            3_723_000
        );
        assert_eq!(Anchor::parse("a@b@5").unwrap().episode, "a@b");
        let huge = format!("x@{}", u64::MAX / 100);
        for bad in [
            "lexicap/1",
            "@12",
            "x@",
            "x@1:75",
            "x@a:b",
            "x@1:2:3:4",
            "x@+5",
            "x@1::2",
            "x@5ss",
            huge.as_str(),
        ] {
            let e = Anchor::parse(bad).unwrap_err().to_string();
            assert!(e.contains("EPISODE@TIME") && e.contains(bad), "{bad}: {e}");
        }
    }
}
