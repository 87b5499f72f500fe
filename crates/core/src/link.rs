//! How a moment of a video is written for people: `HH:MM:SS`, YouTube's own
//! clock (`0:04`, `1:02:03`, as its transcript panel and chapter lists show
//! it), the YouTube address that starts playing at that second, and
//! `EPISODE@TIME` anchors.

/// Formats milliseconds as `HH:MM:SS`.
pub fn hms(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Milliseconds on YouTube's clock, the whole second rounded down: `0:04`,
/// `12:34`, `1:02:03` (minutes unpadded below an hour, as the panel shows them).
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// YouTube's clock read back: `M:SS`, `MM:SS` or `H:MM:SS` (a leading zero
/// allowed, seconds and inner minutes always two digits) as milliseconds.
pub fn parse_clock(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut secs: u64 = 0;
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty()
            || p.len() > 2 && i > 0
            || p.len() > 3
            || !p.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let v: u64 = p.parse().ok()?;
        if i > 0 && (v >= 60 || p.len() != 2) {
            return None;
        }
        secs = secs * 60 + v;
    }
    Some(secs * 1000)
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
    fn youtube_clock_both_ways() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(4_999), "0:04");
        assert_eq!(clock(62_000), "1:02");
        assert_eq!(clock(754_000), "12:34");
        assert_eq!(clock(3_723_004), "1:02:03");
        for (s, ms) in [
            ("0:00", 0),
            ("0:04", 4_000),
            ("1:02", 62_000),
            ("00:00", 0),
            ("12:34", 754_000),
            ("1:02:03", 3_723_000),
            ("100:00", 6_000_000),
        ] {
            assert_eq!(parse_clock(s), Some(ms), "{s}");
            assert_eq!(parse_clock(&clock(ms)), Some(ms), "{s}");
        }
        for bad in [
            "0",
            "0:4",
            "0:60",
            "1:2:03",
            "+1:00",
            "1:00:",
            ":00",
            "1:00:00:00",
            "a:00",
            "1234:00",
        ] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
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
