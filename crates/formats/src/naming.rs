//! What a file's name says about its content: the Lexicap convention
//! `episode_NNN_MODEL.vtt`, yt-dlp's `Title [VIDEOID].LANG.ext`.

/// Facts taken from a file name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHints {
    /// Episode number (`episode_042_large.vtt` gives 42).
    pub number: Option<u32>,
    /// Transcript source (`whisper-large` for the Lexicap files).
    pub source: Option<String>,
    /// YouTube video id from a `[VIDEOID]` in the name.
    pub video_id: Option<String>,
    /// Language from a yt-dlp subtitle name (`x.en.vtt` gives `en`).
    pub language: Option<String>,
}

impl FileHints {
    /// Reads the hints out of a file name (no directories).
    pub fn from_file_name(name: &str) -> FileHints {
        let mut hints = FileHints::default();
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        if let Some((number, model)) = lexicap(stem) {
            hints.number = Some(number);
            hints.source = Some(format!("whisper-{model}"));
        }
        hints.video_id = bracketed_video_id(name);
        if let Some((_, lang)) = stem.rsplit_once('.') {
            if is_language_code(lang) {
                hints.language = Some(lang.to_string());
            }
        }
        hints
    }
}

/// `episode_NNN_MODEL` → (NNN, MODEL).
fn lexicap(stem: &str) -> Option<(u32, &str)> {
    let rest = stem.strip_prefix("episode_")?;
    let (num, model) = rest.split_once('_')?;
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) || model.is_empty() {
        return None;
    }
    if !model
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return None;
    }
    Some((num.parse().ok()?, model))
}

/// The last `[XXXXXXXXXXX]` of eleven id characters in the name.
pub fn bracketed_video_id(name: &str) -> Option<String> {
    let mut found = None;
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let tail = &rest[open + 1..];
        if let Some(close) = tail.find(']') {
            if is_video_id(&tail[..close]) {
                found = Some(tail[..close].to_string());
            }
        }
        rest = tail;
    }
    found
}

/// Whether `s` has the shape of a YouTube video id.
pub fn is_video_id(s: &str) -> bool {
    podcorpus_core::VideoId::parse(s).is_some()
}

/// `en`, `en-US`, `en-orig`, `pt-BR`, `zh-Hans`: two or three letters, then
/// optional `-` parts of letters and digits.
pub fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicap_names() {
        let h = FileHints::from_file_name("episode_042_small.vtt");
        assert_eq!(h.number, Some(42));
        assert_eq!(h.source.as_deref(), Some("whisper-small"));
        assert_eq!(h.language, None);
    }

    #[test]
    fn ytdlp_names() {
        let h = FileHints::from_file_name("Ido Portal: Movement [o8nZaDw_mOs].en-orig.vtt");
        assert_eq!(h.video_id.as_deref(), Some("o8nZaDw_mOs"));
        assert_eq!(h.language.as_deref(), Some("en-orig"));
        assert_eq!(h.number, None);
        assert_eq!(FileHints::from_file_name("notes.txt"), FileHints::default());
    }
}
