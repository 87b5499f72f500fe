//! Apache Parquet: `NAME.parquet` holds the episodes table, with segments
//! `NAME.segments.parquet` the segments table (one row per segment) and with
//! comments `NAME.comments.parquet` the comments table (one row per comment).
//! zstd-compressed; written in row groups of a bounded number of episodes
//! (or segments, or comments), so memory stays flat however large the corpus.

use crate::arrow_rows::{
    comment_schema, episode_schema, segment_schema, CommentRows, EpisodeRows, Nested, SegmentRows,
};
use crate::driver::{ExportReport, ExportRequest};
use crate::writer::{EpisodeWriter, Stream};
use crate::{ExportError, Result};
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;
use podcorpus_store::export_feed::ExportEpisode;
use std::path::{Path, PathBuf};

/// Episodes per row group (a row group is buffered whole before it is written).
pub const EPISODES_PER_GROUP: usize = 64;
/// Transcript bytes that close a row group early.
pub const BYTES_PER_GROUP: usize = 32 << 20;
/// Segments per row group of the segments table.
pub const SEGMENTS_PER_GROUP: usize = 128 * 1024;
/// Comments per row group of the comments table (a group also closes at
/// [`BYTES_PER_GROUP`] of text: a comment may be 10 000 characters long).
pub const COMMENTS_PER_GROUP: usize = 64 * 1024;

/// zstd, no dictionary for the long text columns (they never repeat).
pub fn properties() -> Result<WriterProperties> {
    let mut b = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_max_row_group_row_count(Some(1 << 20));
    for col in ["text", "description"] {
        b = b.set_column_dictionary_enabled(ColumnPath::from(col), false);
    }
    Ok(b.build())
}

/// A Parquet file being written from a stream of batches.
pub struct TableFile {
    writer: ArrowWriter<Stream>,
    path: PathBuf,
}

impl TableFile {
    /// Opens `path` (or stdout for `-`) with `schema`.
    pub fn open(path: &Path, schema: SchemaRef) -> Result<TableFile> {
        let stream = Stream::open(path)?;
        Ok(TableFile {
            writer: ArrowWriter::try_new(stream, schema, Some(properties()?))?,
            path: path.to_path_buf(),
        })
    }

    /// Writes one batch as one row group.
    pub fn write_group(&mut self, batch: &arrow_array::RecordBatch) -> Result<()> {
        self.writer.write(batch)?;
        self.writer.flush()?;
        Ok(())
    }

    /// Bytes written so far (row groups flushed).
    pub fn bytes_written(&self) -> usize {
        self.writer.bytes_written()
    }

    /// Writes the footer and renames the file into place.
    pub fn finish(self, report: &mut ExportReport) -> Result<()> {
        let stream = self
            .writer
            .into_inner()
            .map_err(|e| ExportError::Parquet(format!("finishing {}: {e}", self.path.display())))?;
        stream.finish(report)
    }

    /// Writes the footer and returns the unrenamed stream (for shards named at the end).
    pub fn into_stream(self) -> Result<Stream> {
        Ok(self.writer.into_inner()?)
    }
}

/// `corpus.parquet` → `corpus.TABLE.parquet`.
fn sibling(episodes: &Path, table: &str) -> PathBuf {
    let stem = episodes
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".into());
    episodes.with_file_name(format!("{stem}.{table}.parquet"))
}

/// `corpus.parquet` → `corpus.segments.parquet`.
pub fn segments_path(episodes: &Path) -> PathBuf {
    sibling(episodes, "segments")
}

/// `corpus.parquet` → `corpus.comments.parquet`.
pub fn comments_path(episodes: &Path) -> PathBuf {
    sibling(episodes, "comments")
}

/// Writes the episodes table, and the segments and comments tables when asked.
pub struct ParquetWriter {
    episodes: TableFile,
    rows: EpisodeRows,
    segments: Option<(TableFile, SegmentRows)>,
    comments: Option<(TableFile, CommentRows)>,
}

impl ParquetWriter {
    /// Opens the output file(s).
    pub fn open(req: &ExportRequest) -> Result<ParquetWriter> {
        let episodes = TableFile::open(&req.output, episode_schema(Nested::default()))?;
        let segments = if req.segments {
            Some((
                TableFile::open(&segments_path(&req.output), segment_schema())?,
                SegmentRows::default(),
            ))
        } else {
            None
        };
        let comments = if req.comments {
            Some((
                TableFile::open(&comments_path(&req.output), comment_schema())?,
                CommentRows::default(),
            ))
        } else {
            None
        };
        Ok(ParquetWriter {
            episodes,
            rows: EpisodeRows::new(Nested::default()),
            segments,
            comments,
        })
    }
}

impl EpisodeWriter for ParquetWriter {
    fn write(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        self.rows.push(ep);
        if self.rows.len() >= EPISODES_PER_GROUP || self.rows.text_bytes() >= BYTES_PER_GROUP {
            self.episodes.write_group(&self.rows.take_batch()?)?;
        }
        if let Some((file, rows)) = &mut self.segments {
            report.segments += rows.push(ep) as u64;
            if rows.len() >= SEGMENTS_PER_GROUP {
                file.write_group(&rows.take_batch()?)?;
            }
        }
        if let Some((file, rows)) = &mut self.comments {
            report.comments += rows.push(ep) as u64;
            if rows.len() >= COMMENTS_PER_GROUP || rows.text_bytes() >= BYTES_PER_GROUP {
                file.write_group(&rows.take_batch()?)?;
            }
        }
        report.episodes += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>, report: &mut ExportReport) -> Result<()> {
        if !self.rows.is_empty() {
            self.episodes.write_group(&self.rows.take_batch()?)?;
        }
        if let Some((mut file, mut rows)) = self.segments.take() {
            if !rows.is_empty() {
                file.write_group(&rows.take_batch()?)?;
            }
            // Segments first: the episodes file appearing last marks completion.
            file.finish(report)?;
        }
        if let Some((mut file, mut rows)) = self.comments.take() {
            if !rows.is_empty() {
                file.write_group(&rows.take_batch()?)?;
            }
            file.finish(report)?;
        }
        self.episodes.finish(report)
    }
}
