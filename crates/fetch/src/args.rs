//! The arguments podcorpus gives yt-dlp: what to list, and per video what to
//! write (info JSON, subtitles, comments; never the media).

use std::path::Path;

/// How subtitles are asked for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubtitleRequest {
    /// Language code (`en`): manual subtitles first, automatic captions otherwise.
    pub lang: String,
    /// `json3` (word timings on YouTube) or `vtt`.
    pub format: String,
}

/// A YouTube channel's root address (`/@name`, `/channel/ID`, `/c/name`,
/// `/user/name`) lists its tabs, not its videos: podcorpus lists the
/// `/videos` tab. Any other URL is left as it is.
pub fn normalize_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    let Some(rest) = trimmed
        .strip_prefix("https://www.youtube.com/")
        .or_else(|| trimmed.strip_prefix("https://youtube.com/"))
        .or_else(|| trimmed.strip_prefix("https://m.youtube.com/"))
    else {
        return url.trim().to_string();
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let root = match parts.as_slice() {
        [handle] => handle.starts_with('@'),
        [kind, _] => matches!(*kind, "channel" | "c" | "user"),
        _ => false,
    };
    if root && !rest.contains('?') {
        format!("{trimmed}/videos")
    } else {
        url.trim().to_string()
    }
}

/// Whether a URL names a channel's tab of uploads (listed newest first).
pub fn is_channel_listing(url: &str) -> bool {
    let u = url.trim_end_matches('/');
    u.contains("youtube.com/")
        && (u.contains("/@")
            || u.contains("/channel/")
            || u.contains("/c/")
            || u.contains("/user/"))
        && !u.contains("watch?")
        && !u.contains("playlist?")
}

/// Arguments that list a URL without fetching each video.
pub fn listing_args(url: &str, pass_through: &[String]) -> Vec<String> {
    let a: Vec<String> = [
        "--flat-playlist",
        "-J",
        "--no-warnings",
        "--ignore-no-formats-error",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    finish(a, None, pass_through, url)
}

/// Ends an argument list: the playlist item, the user's pass-through
/// arguments, then `--` and the URL (so a URL can never be read as an option).
fn finish(
    mut a: Vec<String>,
    playlist_item: Option<i64>,
    pass_through: &[String],
    url: &str,
) -> Vec<String> {
    if let Some(i) = playlist_item {
        a.push("--playlist-items".into());
        a.push(i.to_string());
    }
    a.extend(pass_through.iter().cloned());
    a.push("--".into());
    a.push(url.to_string());
    a
}

/// Arguments that write one video's info JSON, subtitles and (optionally)
/// comments into `out_dir` as `ID.info.json`, `ID.LANG.EXT`.
pub fn video_args(
    url: &str,
    playlist_item: Option<i64>,
    out_dir: &Path,
    subs: &SubtitleRequest,
    comments: Option<u32>,
    pass_through: &[String],
) -> Vec<String> {
    let mut a: Vec<String> = vec![
        "--skip-download".into(),
        "--ignore-no-formats-error".into(),
        "--no-write-playlist-metafiles".into(),
        "--write-info-json".into(),
        "--write-subs".into(),
        "--write-auto-subs".into(),
        // `en` and its variants (`en-US`, `en-orig`), never every language.
        "--sub-langs".into(),
        format!("{0},{0}-.*", subs.lang),
        "--sub-format".into(),
        format!("{}/vtt/best", subs.format),
        "--retries".into(),
        "3".into(),
        "--no-warnings".into(),
        "-o".into(),
        out_dir.join("%(id)s.%(ext)s").display().to_string(),
    ];
    if let Some(n) = comments {
        a.push("--write-comments".into());
        a.push("--extractor-args".into());
        a.push(format!("youtube:max_comments={n},all,0,0;comment_sort=top"));
    }
    finish(a, playlist_item, pass_through, url)
}

/// Arguments that download one video's audio (or, failing that, its
/// smallest whole file) as `ID.audio.EXT`, for a speech recognizer. No
/// conversion, so no ffmpeg is needed.
pub fn audio_args(
    url: &str,
    playlist_item: Option<i64>,
    out_dir: &Path,
    pass_through: &[String],
) -> Vec<String> {
    let a: Vec<String> = vec![
        "-f".into(),
        "bestaudio/worst".into(),
        "--no-playlist".into(),
        "--no-warnings".into(),
        "-o".into(),
        out_dir.join("%(id)s.audio.%(ext)s").display().to_string(),
    ];
    finish(a, playlist_item, pass_through, url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_roots_list_their_videos_tab() {
        assert_eq!(
            normalize_url("https://www.youtube.com/@lexfridman"),
            "https://www.youtube.com/@lexfridman/videos"
        );
        assert_eq!(
            normalize_url("https://www.youtube.com/@LexClips/"),
            "https://www.youtube.com/@LexClips/videos"
        );
        assert_eq!(
            normalize_url("https://www.youtube.com/@lexfridman/shorts"),
            "https://www.youtube.com/@lexfridman/shorts"
        );
        let video = "https://www.youtube.com/watch?v=G5RY_SUJih4";
        assert_eq!(normalize_url(video), video);
        assert!(is_channel_listing(
            "https://www.youtube.com/@lexfridman/videos"
        ));
        assert!(!is_channel_listing(
            "https://www.youtube.com/playlist?list=PLrAXtmErZgOdP_8GztsuKi9nrraNbKKp4"
        ));
        assert!(!is_channel_listing("http://127.0.0.1:8000/list.html"));
    }

    #[test]
    fn video_args_ask_for_info_subtitles_and_comments_never_media() {
        let subs = SubtitleRequest {
            lang: "en".into(),
            format: "json3".into(),
        };
        let a = video_args(
            "https://www.youtube.com/watch?v=G5RY_SUJih4",
            None,
            Path::new("/tmp/dl"),
            &subs,
            Some(100),
            &["--cookies-from-browser".into(), "firefox".into()],
        );
        let joined = a.join(" ");
        assert!(joined.starts_with("--skip-download "));
        assert!(joined.contains("--write-info-json --write-subs --write-auto-subs --sub-langs en,en-.* --sub-format json3/vtt/best"));
        assert!(joined.contains("-o /tmp/dl/%(id)s.%(ext)s"));
        assert!(joined.contains(
            "--write-comments --extractor-args youtube:max_comments=100,all,0,0;comment_sort=top"
        ));
        assert!(joined.ends_with(
            "--cookies-from-browser firefox -- https://www.youtube.com/watch?v=G5RY_SUJih4"
        ));
        let b = video_args(
            "http://x/list.html",
            Some(2),
            Path::new("d"),
            &subs,
            None,
            &[],
        );
        assert!(b
            .join(" ")
            .contains("--playlist-items 2 -- http://x/list.html"));
        assert!(!b.contains(&"--write-comments".to_string()));
    }
}
