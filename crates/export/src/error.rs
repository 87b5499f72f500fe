//! What can go wrong in an export, said so that the user knows what to do.

use std::path::{Path, PathBuf};

/// An export failure.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the corpus failed.
    #[error(transparent)]
    Store(#[from] podcorpus_store::StoreError),
    /// A file or folder could not be written.
    #[error("cannot {action} {path}: {cause}; check that the folder exists and is writable")]
    Io {
        /// What was being done (`create`, `write`, `rename into place`).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The operating system's reason (not a `source`: the message already says it).
        cause: std::io::Error,
    },
    /// The request does not make sense (bad option values, wrong target kind).
    #[error("{0}")]
    Usage(String),
    /// The selection holds no episode the format can write.
    #[error("nothing to export: {0}")]
    Empty(String),
    /// Encoding Parquet or Arrow data failed.
    #[error("writing Parquet failed: {0}")]
    Parquet(String),
}

/// Result alias for exports.
pub type Result<T, E = ExportError> = std::result::Result<T, E>;

impl ExportError {
    /// An I/O error about `path`.
    pub fn io(action: &'static str, path: &Path, cause: std::io::Error) -> ExportError {
        ExportError::Io {
            action,
            path: path.to_path_buf(),
            cause,
        }
    }

    /// Whether the reader of stdout went away (`| head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ExportError::Io { cause, .. } if cause.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<parquet::errors::ParquetError> for ExportError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        ExportError::Parquet(e.to_string())
    }
}

impl From<arrow_schema::ArrowError> for ExportError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        ExportError::Parquet(e.to_string())
    }
}
