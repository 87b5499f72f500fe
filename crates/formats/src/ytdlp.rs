//! yt-dlp downloads: a video's `NAME.info.json` (`--write-info-json`) read
//! together with the subtitle files yt-dlp wrote beside it (`NAME.LANG.vtt`,
//! `.srt`, `.json3`), as one episode with one transcript per subtitle file.
//!
//! Finding the files is the caller's job: [`is_info_json`] spots an info file,
//! [`sibling_subtitles`] picks its subtitles out of a folder listing, and
//! [`read_bundle`] reads the texts.

use crate::json3::json_error;
use crate::naming::{is_language_code, is_video_id};
use crate::values::seconds_ms as seconds_to_ms;
use crate::{Context, FileHints, Format, ParseError, ReadError};
use podcorpus_core::text::guests_from_title;
use podcorpus_core::{
    Chapter, Collect, Comment, Episode, EpisodeMeta, Sink, Transcript, TranscriptMeta, Warning,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What yt-dlp appends to the media file's stem for the metadata.
const INFO_SUFFIX: &str = ".info.json";

/// The "language" yt-dlp files a live stream's chat under (`NAME.live_chat.json`).
const LIVE_CHAT: &str = "live_chat";

/// Source of a transcript from the uploader's own subtitles.
const MANUAL: &str = "youtube-manual";

/// Source of a transcript from YouTube's speech recognition.
const AUTO: &str = "youtube-auto";

/// What an info file looks like, for error messages.
const EXPECTED: &str = "a yt-dlp .info.json: one JSON object with the video's \"id\" (text) \
     and optionally \"title\", \"upload_date\" (YYYYMMDD), \"duration\" (seconds), \"chapters\", \
     \"subtitles\" and \"automatic_captions\"";

/// A subtitle file found next to an info file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubtitleName {
    /// The file's name, as listed.
    pub file_name: String,
    /// The language key yt-dlp put in the name (`en`, `en-orig`, `pt-BR`).
    pub language: String,
    /// The format its extension names.
    pub format: Format,
}

/// A subtitle file's text, handed to [`read_bundle`].
#[derive(Debug, Clone)]
pub struct SubtitleFile<'a> {
    /// The file's name, for error messages.
    pub file_name: &'a str,
    /// The language key from the name (see [`SubtitleName::language`]).
    pub language: String,
    /// The format to read it as.
    pub format: Format,
    /// The decoded text.
    pub text: &'a str,
}

/// Whether a file name is yt-dlp's `NAME.info.json`.
pub fn is_info_json(file_name: &str) -> bool {
    info_stem(file_name).is_some()
}

/// `NAME` of `NAME.info.json` (the suffix in any case), when there is one.
fn info_stem(file_name: &str) -> Option<&str> {
    let cut = file_name.len().checked_sub(INFO_SUFFIX.len())?;
    let tail = file_name.as_bytes().get(cut..)?;
    if cut == 0 || !tail.eq_ignore_ascii_case(INFO_SUFFIX.as_bytes()) {
        return None;
    }
    file_name.get(..cut)
}

/// The subtitle files that belong to an info file: among `names` (the other
/// file names in its folder), those named `STEM.LANG.vtt|srt|json3` where
/// `STEM` is the info file's name without `.info.json` and `LANG` looks like
/// a language key. Other videos' files, the info file itself and
/// `STEM.live_chat.json` are left out.
///
/// When one language is there in several formats (`--convert-subs srt -k`
/// keeps both), only the best is kept, so each language gives one
/// transcript: json3 (word timings, no rolling repeats), then WebVTT, then
/// SRT. The result is ordered by language.
pub fn sibling_subtitles<'a>(
    info_file_name: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<SubtitleName> {
    let Some(stem) = info_stem(info_file_name) else {
        return Vec::new();
    };
    let mut best: BTreeMap<&str, (u8, SubtitleName)> = BTreeMap::new();
    for name in names {
        let Some(rest) = name.strip_prefix(stem).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        let Some((language, ext)) = rest.rsplit_once('.') else {
            continue;
        };
        let Some((rank, format)) = subtitle_format(ext) else {
            continue;
        };
        if language == LIVE_CHAT || !is_language_code(language) {
            continue;
        }
        if best.get(language).is_some_and(|(kept, _)| *kept <= rank) {
            continue;
        }
        let found = SubtitleName {
            file_name: name.to_string(),
            language: language.to_string(),
            format,
        };
        best.insert(language, (rank, found));
    }
    best.into_values().map(|(_, found)| found).collect()
}

/// Unix seconds to `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
fn iso_datetime(ts: i64) -> Option<String> {
    if !(0..=253_402_300_799).contains(&ts) {
        return None;
    }
    let (days, secs) = (ts.div_euclid(86_400), ts.rem_euclid(86_400));
    let (y, m, d) = podcorpus_core::calendar::civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    ))
}

/// The format of a subtitle extension and its rank (lower is better).
fn subtitle_format(ext: &str) -> Option<(u8, Format)> {
    [
        ("json3", Format::Json3),
        ("vtt", Format::WebVtt),
        ("srt", Format::Srt),
    ]
    .into_iter()
    .zip(0u8..)
    .find(|((e, _), _)| ext.eq_ignore_ascii_case(e))
    .map(|((_, format), rank)| (rank, format))
}

/// The keys of an info file podcorpus uses; the other few hundred are skipped.
#[derive(Deserialize)]
struct Info {
    id: String,
    #[serde(rename = "_type")]
    kind: Option<String>,
    title: Option<String>,
    fulltitle: Option<String>,
    upload_date: Option<String>,
    duration: Option<f64>,
    webpage_url: Option<String>,
    description: Option<String>,
    tags: Option<Vec<Option<String>>>,
    channel: Option<String>,
    uploader: Option<String>,
    channel_url: Option<String>,
    uploader_url: Option<String>,
    playlist_index: Option<u64>,
    chapters: Option<Vec<InfoChapter>>,
    // Language key → list of {ext, url, name}. Kept loose: only keys and urls
    // matter, and extractors other than YouTube fill these unevenly.
    subtitles: Option<BTreeMap<String, Value>>,
    automatic_captions: Option<BTreeMap<String, Value>>,
    requested_subtitles: Option<BTreeMap<String, Value>>,
    // Present with `--write-comments`.
    comments: Option<Vec<InfoComment>>,
}

/// yt-dlp's comment: `{"id": "Ugx…", "parent": "root", "text": "...",
/// "author": "@judo", "author_is_uploader": false, "like_count": 3,
/// "timestamp": 1700000000, "is_pinned": false, "is_favorited": false}`;
/// a reply's `parent` is the id of the comment it answers.
#[derive(Deserialize)]
struct InfoComment {
    id: Option<String>,
    parent: Option<String>,
    author: Option<String>,
    text: Option<String>,
    like_count: Option<u64>,
    timestamp: Option<i64>,
    author_is_uploader: Option<bool>,
    is_pinned: Option<bool>,
    is_favorited: Option<bool>,
}

/// `{"start_time": 0.0, "title": "Introduction", "end_time": 95.0}`.
#[derive(Deserialize)]
struct InfoChapter {
    start_time: Option<f64>,
    title: Option<String>,
}

/// Reads an info file and its subtitle files as one episode and pushes it.
///
/// The episode's metadata comes from the info; each subtitle file, read with
/// its format's reader, gives one transcript whose source is
/// `youtube-manual` or `youtube-auto` by the info's `subtitles` and
/// `automatic_captions` lists. `live_chat` files are skipped.
///
/// Whether an info.json describes a playlist or channel rather than one video
/// (yt-dlp writes one beside a playlist's videos): importers skip those.
pub fn is_playlist_info(info_text: &str) -> bool {
    #[derive(Deserialize)]
    struct Kind {
        #[serde(rename = "_type")]
        kind: Option<String>,
    }
    serde_json::from_str::<Kind>(info_text)
        .ok()
        .and_then(|k| k.kind)
        .is_some_and(|k| k != "video")
}

/// Errors: an info that is not JSON or has no `id` is a [`ParseError`] at
/// its line; an info describing a playlist rather than a video is refused; a
/// malformed subtitle file is a [`ParseError`] whose message starts with the
/// file's name (its own line and column are in the message, since `line`
/// would be taken for a line of the info file).
pub fn read_bundle<S: Sink>(
    info_text: &str,
    subtitles: &[SubtitleFile],
    sink: &mut S,
) -> Result<(), ReadError<S::Error>> {
    let info: Info = serde_json::from_str(info_text).map_err(|e| json_error(&e, EXPECTED))?;
    if let Some(kind) = info.kind.as_deref().filter(|k| *k != "video") {
        return Err(ParseError::whole(format!(
            "this info file describes a {kind} (\"_type\": \"{kind}\"), not one video; \
             only the info files of single videos are read"
        ))
        .into());
    }
    if info.id.trim().is_empty() {
        return Err(ParseError::whole("the info file's \"id\" is empty").into());
    }

    let mut transcripts = Vec::new();
    let mut warnings = Vec::new();
    for sub in subtitles {
        if sub.language == LIVE_CHAT {
            continue;
        }
        transcripts.push(Transcript {
            meta: TranscriptMeta {
                source: source_of(&info, &sub.language).to_string(),
                language: Some(sub.language.clone()),
                provenance: None,
            },
            segments: read_subtitle(sub, &info.id, &mut warnings)?,
        });
    }

    let title = non_blank(info.title).or_else(|| non_blank(info.fulltitle));
    let url = non_blank(info.webpage_url).or_else(|| {
        is_video_id(&info.id).then(|| podcorpus_core::link::youtube_url(&info.id, None))
    });
    let chapters = info
        .chapters
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            Some(Chapter {
                title: non_blank(c.title)?,
                start_ms: c.start_time.and_then(seconds_to_ms),
                text_pos: None,
            })
        })
        .collect();
    let episode = Episode {
        meta: EpisodeMeta {
            // A place in a listing is no number of the episode's own.
            number: None,
            guests: title.as_deref().map(guests_from_title).unwrap_or_default(),
            published: info.upload_date.as_deref().and_then(iso_date),
            url,
            duration_ms: info.duration.and_then(seconds_to_ms),
            description: non_blank(info.description),
            tags: info
                .tags
                .unwrap_or_default()
                .into_iter()
                .filter_map(non_blank)
                .collect(),
            channel: non_blank(info.channel).or_else(|| non_blank(info.uploader)),
            channel_url: non_blank(info.channel_url).or_else(|| non_blank(info.uploader_url)),
            video_id: Some(info.id),
            title,
        },
        chapters,
        transcripts,
        summaries: Vec::new(),
        line: None,
        number_hint: info.playlist_index.and_then(|i| u32::try_from(i).ok()),
        comments: info
            .comments
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| {
                Some(Comment {
                    text: non_blank(c.text)?,
                    id: non_blank(c.id),
                    parent: non_blank(c.parent).filter(|p| p != "root"),
                    author: non_blank(c.author),
                    by_uploader: c.author_is_uploader.unwrap_or(false),
                    pinned: c.is_pinned.unwrap_or(false),
                    favorited: c.is_favorited.unwrap_or(false),
                    likes: c.like_count,
                    time: c.timestamp.and_then(iso_datetime),
                })
            })
            .collect(),
    };
    for w in warnings {
        sink.warning(w).map_err(ReadError::Sink)?;
    }
    sink.episode(episode).map_err(ReadError::Sink)
}

/// Reads one subtitle file with its format's reader and keeps its segments;
/// what the reader left out goes to `warnings`, naming the subtitle file.
fn read_subtitle(
    sub: &SubtitleFile,
    video_id: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<podcorpus_core::Segment>, ParseError> {
    let in_file = |message: String| ParseError::whole(format!("{}: {message}", sub.file_name));
    if matches!(sub.format, Format::Notes | Format::Table) {
        return Err(in_file(format!(
            "a {} is not a subtitle file",
            if sub.format == Format::Notes {
                "notes document"
            } else {
                "metadata table"
            }
        )));
    }
    let ctx = Context {
        hints: FileHints {
            video_id: Some(video_id.to_string()),
            language: Some(sub.language.clone()),
            ..FileHints::default()
        },
        ..Context::default()
    };
    let mut collect = Collect::default();
    match sub.format.read(&ctx, sub.text, &mut collect) {
        Ok(()) => {}
        Err(ReadError::Parse(e)) => return Err(in_file(e.to_string())),
        Err(ReadError::Sink(never)) => match never {},
    }
    warnings.extend(collect.warnings.into_iter().map(|w| Warning {
        file: Some(sub.file_name.to_string()),
        ..w
    }));
    Ok(collect
        .episodes
        .into_iter()
        .flat_map(|e| e.transcripts)
        .flat_map(|t| t.segments)
        .collect())
}

/// Whether a subtitle language came from the uploader or from speech
/// recognition.
fn source_of(info: &Info, language: &str) -> &'static str {
    // yt-dlp records the track it downloaded; its url says which list it
    // came from. This matters when a language is in both lists and only
    // `--write-auto-subs` was asked for.
    let requested = info
        .requested_subtitles
        .as_ref()
        .and_then(|r| r.get(language))
        .and_then(|t| t.get("url"))
        .and_then(Value::as_str);
    if let Some(url) = requested {
        if lists_url(info.subtitles.as_ref(), language, url) {
            return MANUAL;
        }
        if lists_url(info.automatic_captions.as_ref(), language, url) {
            return AUTO;
        }
    }
    let has =
        |list: Option<&BTreeMap<String, Value>>| list.is_some_and(|l| l.contains_key(language));
    if has(info.subtitles.as_ref()) {
        MANUAL
    } else if has(info.automatic_captions.as_ref()) {
        AUTO
    } else {
        // No list names it (or the info has no lists): yt-dlp writes
        // automatic captions only when they are listed, so assume the
        // uploader's.
        MANUAL
    }
}

/// Whether `list[language]` has a track at `url`.
fn lists_url(list: Option<&BTreeMap<String, Value>>, language: &str, url: &str) -> bool {
    list.and_then(|l| l.get(language))
        .and_then(Value::as_array)
        .is_some_and(|tracks| {
            tracks
                .iter()
                .any(|t| t.get("url").and_then(Value::as_str) == Some(url))
        })
}

/// yt-dlp's `YYYYMMDD` as ISO `YYYY-MM-DD`; `None` when it is not a date.
fn iso_date(yyyymmdd: &str) -> Option<String> {
    // yt-dlp writes exactly eight digits; anything else is not its date.
    let eight = yyyymmdd.len() == 8 && yyyymmdd.bytes().all(|b| b.is_ascii_digit());
    eight.then(|| crate::values::date(yyyymmdd).ok()).flatten()
}

/// `None` for a missing or blank string: yt-dlp writes `""` for "none".
fn non_blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use podcorpus_core::Segment;

    const INFO: &str = include_str!("../tests/fixtures/ytdlp/o8nZaDw_mOs.info.json");
    const EN_JSON3: &str = include_str!("../tests/fixtures/json3/o8nZaDw_mOs.en.json3");
    const EN_VTT: &str = include_str!("../tests/fixtures/ytdlp/o8nZaDw_mOs.en.vtt");

    const FANCY: &str = "Ido Portal： Movement [o8nZaDw_mOs]";

    fn json3_sub(language: &str, text: &'static str) -> SubtitleFile<'static> {
        SubtitleFile {
            file_name: "o8nZaDw_mOs.en.json3",
            language: language.to_string(),
            format: Format::Json3,
            text,
        }
    }

    fn read(info: &str, subs: &[SubtitleFile]) -> Result<Episode, ParseError> {
        let mut sink = Collect::default();
        match read_bundle(info, subs, &mut sink) {
            Ok(()) => {}
            Err(ReadError::Parse(e)) => return Err(e),
            Err(ReadError::Sink(never)) => match never {},
        }
        assert_eq!(sink.episodes.len(), 1, "one episode per bundle");
        Ok(sink.episodes.remove(0))
    }

    /// The fixture with some keys replaced (`Value::Null` removes a key).
    fn edited(changes: &[(&str, Value)]) -> String {
        let mut info: Value = serde_json::from_str(INFO).unwrap();
        let map = info.as_object_mut().unwrap();
        for (key, value) in changes {
            if value.is_null() {
                map.remove(*key);
            } else {
                map.insert(key.to_string(), value.clone());
            }
        }
        serde_json::to_string(&info).unwrap()
    }

    #[test]
    fn info_file_names() {
        assert!(is_info_json("o8nZaDw_mOs.info.json"));
        assert!(is_info_json(&format!("{FANCY}.info.json")));
        assert!(is_info_json("X.INFO.JSON"));
        assert!(!is_info_json(".info.json"));
        assert!(!is_info_json("o8nZaDw_mOs.en.json3"));
        assert!(!is_info_json("o8nZaDw_mOs.live_chat.json"));
        assert!(!is_info_json("info.json"));
        assert!(
            !is_info_json("é.json"),
            "short multi-byte names do not panic"
        );
    }

    #[test]
    fn sibling_subtitles_pick_this_videos_files() {
        let info = format!("{FANCY}.info.json");
        let folder = [
            info.clone(),
            format!("{FANCY}.webm"),
            format!("{FANCY}.webp"),
            format!("{FANCY}.en.vtt"),
            format!("{FANCY}.en-orig.json3"),
            format!("{FANCY}.pt-BR.srt"),
            format!("{FANCY}.live_chat.json"),
            format!("{FANCY}.en.vtt.part"),
            format!("{FANCY}.f251.webm"),
            format!("{FANCY} (1).de.vtt"),
            format!("{FANCY}.description"),
            "Quoc Le： Sequence to Sequence [G5RY_SUJih4].en.vtt".to_string(),
            "Quoc Le： Sequence to Sequence [G5RY_SUJih4].info.json".to_string(),
        ];
        let found = sibling_subtitles(&info, folder.iter().map(String::as_str));
        let got: Vec<(&str, &str, Format)> = found
            .iter()
            .map(|s| (s.file_name.as_str(), s.language.as_str(), s.format))
            .collect();
        let en = format!("{FANCY}.en.vtt");
        let orig = format!("{FANCY}.en-orig.json3");
        let pt = format!("{FANCY}.pt-BR.srt");
        assert_eq!(
            got,
            [
                (en.as_str(), "en", Format::WebVtt),
                (orig.as_str(), "en-orig", Format::Json3),
                (pt.as_str(), "pt-BR", Format::Srt),
            ]
        );
    }

    #[test]
    fn sibling_subtitles_with_the_id_template() {
        let folder = [
            "o8nZaDw_mOs.info.json",
            "o8nZaDw_mOs.en.json3",
            "o8nZaDw_mOs.webm",
            "G5RY_SUJih4.en.json3",
            "o8nZaDw_mOs.live_chat.json",
        ];
        let found = sibling_subtitles("o8nZaDw_mOs.info.json", folder);
        assert_eq!(
            found,
            [SubtitleName {
                file_name: "o8nZaDw_mOs.en.json3".to_string(),
                language: "en".to_string(),
                format: Format::Json3,
            }]
        );
        assert!(sibling_subtitles("o8nZaDw_mOs.en.json3", folder).is_empty());
    }

    #[test]
    fn sibling_subtitles_keep_the_best_format_per_language() {
        let folder = [
            "v.en.srt",
            "v.en.vtt",
            "v.de.srt",
            "v.de.vtt",
            "v.fr.srt",
            "v.en.json3",
        ];
        let found = sibling_subtitles("v.info.json", folder);
        let got: Vec<(&str, Format)> = found
            .iter()
            .map(|s| (s.file_name.as_str(), s.format))
            .collect();
        assert_eq!(
            got,
            [
                ("v.de.vtt", Format::WebVtt),
                ("v.en.json3", Format::Json3),
                ("v.fr.srt", Format::Srt),
            ]
        );
    }

    #[test]
    fn bundle_metadata_comes_from_the_info() {
        let ep = read(INFO, &[]).unwrap();
        let m = &ep.meta;
        assert_eq!(m.video_id.as_deref(), Some("o8nZaDw_mOs"));
        assert_eq!(m.title.as_deref(), Some("Ido Portal: Movement"));
        assert_eq!(m.guests, ["Ido Portal"]);
        assert_eq!(m.published.as_deref(), Some("2014-05-08"));
        assert_eq!(m.duration_ms, Some(1_163_000));
        assert_eq!(
            m.url.as_deref(),
            Some("https://www.youtube.com/watch?v=o8nZaDw_mOs")
        );
        assert!(m
            .description
            .as_deref()
            .is_some_and(|d| d.starts_with("Conversation with Ido Portal")
                && d.contains("\n0:00 - Introduction")));
        assert_eq!(
            m.tags,
            ["ido portal", "movement", "movement culture", "lex fridman"]
        );
        assert_eq!(m.channel.as_deref(), Some("Lex Fridman"));
        assert_eq!(
            m.channel_url.as_deref(),
            Some("https://www.youtube.com/channel/UCSHZKyawb77ixDdsGog4iWA")
        );
        assert_eq!(m.number, None, "playlist_index is null");
        let chapters: Vec<(&str, Option<u64>)> = ep
            .chapters
            .iter()
            .map(|c| (c.title.as_str(), c.start_ms))
            .collect();
        assert_eq!(
            chapters,
            [
                ("Introduction", Some(0)),
                ("Movement as a practice", Some(95_000)),
                ("Isolation and integration", Some(640_000)),
            ]
        );
        assert!(ep.chapters.iter().all(|c| c.text_pos.is_none()));
        assert!(ep.transcripts.is_empty());
        assert!(ep.summaries.is_empty());
    }

    #[test]
    fn bundle_reads_a_json3_subtitle() {
        let ep = read(INFO, &[json3_sub("en", EN_JSON3)]).unwrap();
        assert_eq!(ep.transcripts.len(), 1);
        let t = &ep.transcripts[0];
        assert_eq!(t.meta.source, "youtube-auto");
        assert_eq!(t.meta.language.as_deref(), Some("en"));
        assert_eq!(t.segments.len(), 8);
        assert_eq!(t.segments[0].events, ["Music"]);
        assert_eq!(t.segments[1].text, "so today we're going to talk about");
        assert_eq!(t.segments[1].words[1].start_ms, 4320);
        assert_eq!(
            t.text(),
            "so today we're going to talk about movement and what it means to practice \
             it every day not as a sport but as a way of living in your body \
             the first thing is to look at how you walk how you sit how you get up off the floor"
        );
        assert_eq!(t.words(), 50);
    }

    #[test]
    fn source_follows_subtitles_and_automatic_captions() {
        let source = |info: &str, language: &str| {
            read(info, &[json3_sub(language, EN_JSON3)])
                .unwrap()
                .transcripts[0]
                .meta
                .source
                .clone()
        };
        let manual_en = serde_json::json!({"en": [{"ext": "vtt", "url": "https://www.youtube.com/api/timedtext?v=o8nZaDw_mOs&lang=en&fmt=vtt", "name": "English"}]});
        let requested_manual = serde_json::json!({"en": manual_en["en"][0].clone()});

        // the fixture: auto captions only, and yt-dlp requested the ASR track
        assert_eq!(source(INFO, "en"), "youtube-auto");
        assert_eq!(source(INFO, "en-orig"), "youtube-auto");
        // uploaded subtitles in the same language win...
        let both = edited(&[
            ("subtitles", manual_en.clone()),
            ("requested_subtitles", Value::Null),
        ]);
        assert_eq!(source(&both, "en"), "youtube-manual");
        assert_eq!(source(&both, "de"), "youtube-auto");
        // ...unless the info records that the ASR track was the one fetched
        let auto_fetched = edited(&[("subtitles", manual_en.clone())]);
        assert_eq!(source(&auto_fetched, "en"), "youtube-auto");
        let manual_fetched = edited(&[
            ("subtitles", manual_en),
            ("requested_subtitles", requested_manual),
        ]);
        assert_eq!(source(&manual_fetched, "en"), "youtube-manual");
        // an info with neither list: the uploader's
        let neither = edited(&[
            ("subtitles", Value::Null),
            ("automatic_captions", Value::Null),
            ("requested_subtitles", Value::Null),
        ]);
        assert_eq!(source(&neither, "en"), "youtube-manual");
    }

    #[test]
    fn live_chat_is_not_a_transcript() {
        let chat = SubtitleFile {
            file_name: "o8nZaDw_mOs.live_chat.json",
            language: "live_chat".to_string(),
            format: Format::Json3,
            text: "{\"replayChatItemAction\": {}}\n{\"replayChatItemAction\": {}}",
        };
        let ep = read(INFO, &[chat, json3_sub("en", EN_JSON3)]).unwrap();
        assert_eq!(ep.transcripts.len(), 1);
        assert_eq!(ep.transcripts[0].meta.language.as_deref(), Some("en"));
    }

    #[test]
    fn comments_keep_their_ids_threads_and_the_uploaders_marks() {
        let info = include_str!("../tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json");
        let ep = read(info, &[]).expect("reads");
        assert_eq!(ep.comments.len(), 12);
        // yt-dlp's `"parent": "root"` starts a thread; a reply names its parent.
        assert_eq!(ep.comments.iter().filter(|c| c.parent.is_none()).count(), 7);
        let reply = &ep.comments[7];
        assert_eq!(reply.parent.as_deref(), Some("Ugw7Hk3Lm0QpRst9Uv84AaABAg"));
        assert_eq!(
            reply.id.as_deref(),
            Some("Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D")
        );
        let lex = &ep.comments[0];
        assert!(lex.by_uploader && lex.pinned && !lex.favorited);
        assert_eq!(lex.author.as_deref(), Some("@lexfridman"));
        assert_eq!(lex.likes, Some(412));
        assert_eq!(lex.time.as_deref(), Some("2020-04-27T15:06:40Z"));
        assert!(ep.comments[1].favorited && !ep.comments[1].pinned);
    }

    #[test]
    fn comments_are_kept_with_author_likes_and_time() {
        let info = r#"{"id": "o8nZaDw_mOs", "title": "Ido Portal: Movement", "comments": [
            {"id": "1", "author": "@judo", "text": "Great talk", "like_count": 12, "timestamp": 1700000000},
            {"id": "2", "author": null, "text": "  ", "like_count": null},
            {"id": "3", "text": "No author"}]}"#;
        let ep = read(info, &[]).expect("reads");
        type Row<'a> = (Option<&'a str>, &'a str, Option<u64>, Option<&'a str>);
        let comments: Vec<Row> = ep
            .comments
            .iter()
            .map(|c| {
                (
                    c.author.as_deref(),
                    c.text.as_str(),
                    c.likes,
                    c.time.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            comments,
            vec![
                (
                    Some("@judo"),
                    "Great talk",
                    Some(12),
                    Some("2023-11-14T22:13:20Z")
                ),
                (None, "No author", None, None)
            ]
        );
    }

    #[test]
    fn missing_and_null_fields_are_tolerated() {
        let info = edited(&[
            ("chapters", Value::Null),
            ("tags", serde_json::json!(null)),
            ("channel", Value::Null),
            ("channel_url", Value::Null),
            ("webpage_url", Value::Null),
            ("upload_date", Value::Null),
            ("duration", Value::Null),
            ("description", serde_json::json!("")),
            ("playlist_index", serde_json::json!(12)),
        ]);
        let ep = read(&info, &[]).unwrap();
        let m = &ep.meta;
        assert!(ep.chapters.is_empty());
        assert!(m.tags.is_empty());
        assert_eq!(m.channel.as_deref(), Some("Lex Fridman"), "uploader");
        assert_eq!(
            m.channel_url.as_deref(),
            Some("https://www.youtube.com/@lexfridman")
        );
        assert_eq!(
            m.url.as_deref(),
            Some("https://www.youtube.com/watch?v=o8nZaDw_mOs")
        );
        assert_eq!(m.published, None);
        assert_eq!(m.duration_ms, None);
        assert_eq!(m.description, None);
        assert_eq!((m.number, ep.number_hint), (None, Some(12)));

        let bare = read(
            r#"{"id": "o8nZaDw_mOs", "title": null, "chapters": null, "tags": [null, "a"],
                              "upload_date": "2014-05-08", "duration": 1.5}"#,
            &[],
        )
        .unwrap();
        assert_eq!(bare.meta.title, None);
        assert!(bare.meta.guests.is_empty());
        assert_eq!(bare.meta.tags, ["a"]);
        assert_eq!(bare.meta.published, None, "not YYYYMMDD");
        assert_eq!(bare.meta.duration_ms, Some(1500));
        assert_eq!(bare.meta.channel, None);
        // not a YouTube id: no made-up YouTube address
        let other = read(r#"{"id": "39091936", "_type": "video"}"#, &[]).unwrap();
        assert_eq!(other.meta.url, None);
        assert_eq!(other.meta.video_id.as_deref(), Some("39091936"));
    }

    #[test]
    fn info_errors_name_their_line() {
        let err = read("<!DOCTYPE html>\n<html>", &[]).unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(
            err.message.starts_with("not valid JSON at column 1"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("expected a yt-dlp .info.json"),
            "{}",
            err.message
        );

        // yt-dlp writes one line: the column is what locates the problem
        let without_id = INFO.replacen("\"id\": \"o8nZaDw_mOs\"", "\"video\": \"o8nZaDw_mOs\"", 1);
        let err = read(&without_id, &[]).unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(
            err.message.contains("missing field `id`"),
            "{}",
            err.message
        );
        let pretty = "{\n  \"title\": \"Ido Portal: Movement\",\n  \"duration\": 1163\n}\n";
        let err = read(pretty, &[]).unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(
            err.message.contains("missing field `id`"),
            "{}",
            err.message
        );

        assert_eq!(iso_datetime(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        // `date -u -d @1700000000` gives Tue Nov 14 22:13:20 UTC 2023.
        assert_eq!(
            iso_datetime(1_700_000_000).as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(
            iso_datetime(951_782_400).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert!(!is_playlist_info(r#"{"id": "39091936", "_type": "video"}"#));
        assert!(is_playlist_info(
            r#"{"id": "PL1", "_type": "playlist", "entries": []}"#
        ));
        assert!(!is_playlist_info("not json"));
        let bad_type = edited(&[("duration", serde_json::json!("19:23"))]);
        let err = read(&bad_type, &[]).unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(
            err.message
                .contains("invalid type: string \"19:23\", expected f64"),
            "{}",
            err.message
        );

        let err = read(r#"{"id": " "}"#, &[]).unwrap_err();
        assert!(err.message.contains("\"id\" is empty"), "{}", err.message);
    }

    #[test]
    fn playlist_infos_are_refused() {
        let playlist = r#"{"id": "UCSHZKyawb77ixDdsGog4iWA", "channel": "Lex Fridman", "title": "Lex Fridman - Videos", "_type": "playlist", "entries": []}"#;
        let err = read(playlist, &[]).unwrap_err();
        assert!(
            err.message.contains("describes a playlist"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_broken_subtitle_names_its_file() {
        let broken = SubtitleFile {
            file_name: "Ido Portal： Movement [o8nZaDw_mOs].de.json3",
            language: "de".to_string(),
            format: Format::Json3,
            text: "{\n  \"events\": [ {\n    \"tStartMs\": 0,\n    \"segs\": [ { \"utf8\": \"hallo\" } \n  } ]\n}",
        };
        let err = read(INFO, &[json3_sub("en", EN_JSON3), broken]).unwrap_err();
        assert_eq!(err.line, None, "a line of the subtitle, not of the info");
        assert!(
            err.message.starts_with(
                "Ido Portal： Movement [o8nZaDw_mOs].de.json3: line 5: not valid JSON at column 3"
            ),
            "{}",
            err.message
        );
        let notes = SubtitleFile {
            format: Format::Notes,
            ..json3_sub("en", EN_JSON3)
        };
        let err = read(INFO, &[notes]).unwrap_err();
        assert!(
            err.message.starts_with("o8nZaDw_mOs.en.json3: "),
            "{}",
            err.message
        );
    }

    #[test]
    fn dates_and_durations() {
        assert_eq!(iso_date("20140508").as_deref(), Some("2014-05-08"));
        assert_eq!(iso_date("20141308"), None);
        assert_eq!(iso_date("20140500"), None);
        assert_eq!(iso_date("2014058"), None);
        assert_eq!(iso_date("２０１４０５０８"), None);
        assert_eq!(seconds_to_ms(1163.0215), Some(1_163_022));
        assert_eq!(seconds_to_ms(-1.0), None);
        assert_eq!(seconds_to_ms(1e300), None);
    }

    /// Uses the WebVTT reader (`webvtt.rs`, written separately): YouTube's
    /// rolling auto-caption VTT of the same speech as the json3 fixture must
    /// give the same speech, line for line.
    #[test]
    fn bundle_reads_a_youtube_auto_vtt() {
        let vtt = SubtitleFile {
            file_name: "o8nZaDw_mOs.en.vtt",
            language: "en".to_string(),
            format: Format::WebVtt,
            text: EN_VTT,
        };
        let ep = read(INFO, &[vtt, json3_sub("en-orig", EN_JSON3)]).unwrap();
        let (from_vtt, from_json3) = (&ep.transcripts[0], &ep.transcripts[1]);
        assert_eq!(from_vtt.meta.source, "youtube-auto");
        assert_eq!(from_vtt.meta.language.as_deref(), Some("en"));
        assert_eq!(from_vtt.text(), from_json3.text());
        assert_eq!(from_vtt.segments.len(), 8);
        let first: &Segment = &from_vtt.segments[1];
        assert_eq!(first.text, "so today we're going to talk about");
        assert_eq!(first.start_ms, Some(4080));
        assert_eq!(from_vtt.segments[7].events, ["Music"]);
    }
}
