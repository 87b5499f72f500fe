//! How a moment of a video is written for people: `HH:MM:SS`, and the
//! YouTube address that starts playing at that second.

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
}
