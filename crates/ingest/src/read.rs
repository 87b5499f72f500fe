//! One file's bytes into what it holds: decode (BOM, UTF-16, Windows-1252),
//! detect the format from the name and the first bytes, read. The import
//! pipeline and `compare FILE FILE` both read files this way.

use podcorpus_core::Collect;
use podcorpus_formats::decode::decode;
use podcorpus_formats::ytdlp::{self, SubtitleFile};
use podcorpus_formats::{Context, FileHints, Format, ReadError};
use std::path::Path;

/// How far into a file format detection looks.
const HEAD: usize = 8192;

/// What one file held.
#[derive(Debug, Default)]
pub struct Read {
    /// The format's short name (`webvtt`, `srt`, `json3`, `notes`, `table`, `ytdlp`).
    pub format: &'static str,
    /// The episodes, document facts and warnings the reader gave.
    pub content: Collect,
}

/// Why a file gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// Not in a format podcorpus reads (or a playlist's own info.json).
    NotAFormat,
    /// In a known format, but unreadable: the message names the line.
    Failed(String),
}

/// A subtitle file that came with a yt-dlp info.json: its name, language,
/// format and bytes.
pub struct Subtitle {
    /// The file's name, for messages and source hints.
    pub file_name: String,
    /// The language code its name gives.
    pub language: String,
    /// Its caption format.
    pub format: Format,
    /// Its bytes as read.
    pub bytes: Vec<u8>,
}

/// Reads one file, named `name`, whose bytes are `bytes`. An info.json is
/// read with the `subtitles` that came with it; `columns` is `--map` for
/// metadata tables.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    subtitles: &[Subtitle],
    columns: &[(String, String)],
) -> Result<Read, Unread> {
    let text = decode(bytes).map_err(|e| Unread::Failed(e.to_string()))?.0;
    let mut content = Collect::default();
    if ytdlp::is_info_json(name) {
        if ytdlp::is_playlist_info(&text) {
            // A playlist's or channel's own info file: no episode in it.
            return Err(Unread::NotAFormat);
        }
        let mut decoded = Vec::with_capacity(subtitles.len());
        for s in subtitles {
            let t = decode(&s.bytes)
                .map_err(|e| Unread::Failed(format!("subtitle file {}: {e}", s.file_name)))?
                .0;
            decoded.push(t);
        }
        let files: Vec<SubtitleFile> = subtitles
            .iter()
            .zip(&decoded)
            .map(|(s, t)| SubtitleFile {
                file_name: &s.file_name,
                language: s.language.clone(),
                format: s.format,
                text: t,
            })
            .collect();
        ytdlp::read_bundle(&text, &files, &mut content).map_err(failed)?;
        return Ok(Read {
            format: "ytdlp",
            content,
        });
    }
    // The raw head for most files; the decoded text for UTF-16 ones.
    let head = bytes.get(..HEAD).unwrap_or(bytes);
    let format = Format::detect(name, head)
        .or_else(|| {
            let t = text.as_bytes();
            Format::detect(name, t.get(..HEAD).unwrap_or(t))
        })
        .ok_or(Unread::NotAFormat)?;
    let ctx = Context {
        hints: FileHints::from_file_name(name),
        columns: columns.to_vec(),
    };
    format.read(&ctx, &text, &mut content).map_err(failed)?;
    Ok(Read {
        format: format.name(),
        content,
    })
}

/// Reads the file at `path` on its own (no bundle, no `--map`).
pub fn read_path(path: &Path) -> Result<Read, Unread> {
    let bytes =
        std::fs::read(path).map_err(|e| Unread::Failed(format!("cannot read the file: {e}")))?;
    read_bytes(&crate::discover::file_name(path), &bytes, &[], &[])
}

fn failed(e: ReadError<std::convert::Infallible>) -> Unread {
    match e {
        ReadError::Parse(p) => Unread::Failed(p.to_string()),
        ReadError::Sink(never) => match never {},
    }
}
