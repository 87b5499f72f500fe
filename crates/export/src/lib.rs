//! Exports of the corpus: the user's notes document, JSONL, Parquet, CSV,
//! plain text, WebVTT/SRT subtitles and a Hugging Face dataset folder.
//!
//! Every format is one module behind one interface, [`writer::EpisodeWriter`]:
//! the driver ([`export`]) reads the selected episodes from the store one at a
//! time and pushes each into the writer, so memory holds one episode (plus a
//! writer's bounded buffer) however large the corpus. Files are written under
//! a temporary name and renamed when complete ([`atomic`]).

pub mod arrow_rows;
pub mod atomic;
pub mod csv;
pub mod driver;
pub mod error;
pub mod hf;
pub mod jsonl;
pub mod notes;
pub mod parquet;
pub mod selection;
pub mod subtitles;
pub mod txt;
pub mod writer;

pub use driver::{export, ExportReport, ExportRequest};
pub use error::{ExportError, Result};
pub use writer::Format;
