//! Readers for every input format podcorpus imports, one module each, behind
//! one interface: [`Reader`]. A reader is pure: it gets decoded text and a
//! [`Context`] (what the file's name and place already tell) and pushes what it
//! finds into a [`Sink`]. Finding files and reading bytes is the caller's job.

mod cue;
pub mod decode;
pub mod error;
pub mod json3;
pub mod naming;
pub mod notes;
pub mod srt;
pub mod table;
#[cfg(test)]
mod test_support;
pub mod timestamp;
pub mod values;
pub mod webvtt;
pub mod whisper;
pub mod ytdlp;

pub use error::ParseError;
pub use naming::FileHints;
use podcorpus_core::Sink;

/// What a reader knows before it reads: hints from the file name and the
/// collection the caller chose.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Facts the file name carries (episode number, source, video id, language).
    pub hints: FileHints,
    /// For metadata tables: `(field, column)` pairs from `--map`.
    pub columns: Vec<(String, String)>,
}

/// Either the input was malformed, or the sink asked to stop.
#[derive(Debug, thiserror::Error)]
pub enum ReadError<E> {
    /// The input could not be read as this format.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The consumer returned an error.
    #[error("the consumer stopped the reader")]
    Sink(E),
}

/// One input format.
pub trait Reader {
    /// Short name of the format (`webvtt`, `srt`, `json3`, `notes`, `ytdlp`).
    fn name(&self) -> &'static str;

    /// Whether a file with this name, starting with these bytes, is in this
    /// format. Cheap: looks at the name and at most the first few KiB.
    fn sniff(&self, file_name: &str, head: &[u8]) -> bool;

    /// Reads one document and pushes what it finds into `sink`.
    fn read<S: Sink>(
        &self,
        ctx: &Context,
        text: &str,
        sink: &mut S,
    ) -> Result<(), ReadError<S::Error>>;
}

/// The single-file formats, for dispatch by sniffing. yt-dlp `.info.json`
/// files are read as bundles with their subtitles (see [`ytdlp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// WebVTT subtitles ([`webvtt`]).
    WebVtt,
    /// SubRip subtitles ([`srt`]).
    Srt,
    /// YouTube's json3 timed text ([`json3`]).
    Json3,
    /// The user's notes document ([`notes`]).
    Notes,
    /// A metadata table: CSV, TSV, JSONL, yt-dlp listings ([`table`]).
    Table,
    /// A transcript of podcorpus's Whisper edge ([`whisper`]).
    Whisper,
}

impl Format {
    /// Every single-file format, most specific first.
    pub const ALL: [Format; 6] = [
        // Before json3 and tables, which would take any JSON object.
        Format::Whisper,
        Format::WebVtt,
        Format::Srt,
        Format::Json3,
        Format::Notes,
        Format::Table,
    ];

    /// The format a file is in, judged by its name and first bytes.
    pub fn detect(file_name: &str, head: &[u8]) -> Option<Format> {
        Self::ALL.into_iter().find(|f| f.sniff(file_name, head))
    }

    /// The format's short name.
    pub fn name(self) -> &'static str {
        match self {
            Format::WebVtt => webvtt::WebVtt.name(),
            Format::Srt => srt::Srt.name(),
            Format::Json3 => json3::Json3.name(),
            Format::Notes => notes::Notes.name(),
            Format::Table => table::Table.name(),
            Format::Whisper => whisper::Whisper.name(),
        }
    }

    /// See [`Reader::sniff`].
    pub fn sniff(self, file_name: &str, head: &[u8]) -> bool {
        match self {
            Format::WebVtt => webvtt::WebVtt.sniff(file_name, head),
            Format::Srt => srt::Srt.sniff(file_name, head),
            Format::Json3 => json3::Json3.sniff(file_name, head),
            Format::Notes => notes::Notes.sniff(file_name, head),
            Format::Table => table::Table.sniff(file_name, head),
            Format::Whisper => whisper::Whisper.sniff(file_name, head),
        }
    }

    /// See [`Reader::read`].
    pub fn read<S: Sink>(
        self,
        ctx: &Context,
        text: &str,
        sink: &mut S,
    ) -> Result<(), ReadError<S::Error>> {
        match self {
            Format::WebVtt => webvtt::WebVtt.read(ctx, text, sink),
            Format::Srt => srt::Srt.read(ctx, text, sink),
            Format::Json3 => json3::Json3.read(ctx, text, sink),
            Format::Notes => notes::Notes.read(ctx, text, sink),
            Format::Table => table::Table.read(ctx, text, sink),
            Format::Whisper => whisper::Whisper.read(ctx, text, sink),
        }
    }
}
