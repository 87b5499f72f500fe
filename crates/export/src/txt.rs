//! Plain text: one UTF-8 file per episode, `COLLECTION-NNN.txt`, one segment
//! per line (joined by spaces the lines give the transcript's text exactly).

use crate::atomic::write_file;
use crate::driver::ExportReport;
use crate::writer::{episode_file_name, EpisodeWriter};
use crate::Result;
use podcorpus_store::export_feed::ExportEpisode;
use std::path::{Path, PathBuf};

/// Writes one text file per episode into a folder.
pub struct TxtWriter {
    dir: PathBuf,
}

impl TxtWriter {
    /// Writes into `dir` (which exists).
    pub fn new(dir: &Path) -> TxtWriter {
        TxtWriter {
            dir: dir.to_path_buf(),
        }
    }
}

/// The text of a transcript's segments, one non-empty segment per line.
pub fn lines_text(segments: &[podcorpus_core::Segment]) -> String {
    let mut out = String::new();
    for s in segments.iter().filter(|s| !s.text.is_empty()) {
        out.push_str(&s.text);
        out.push('\n');
    }
    out
}

impl EpisodeWriter for TxtWriter {
    fn write(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        let Some(t) = &ep.transcript else {
            report
                .skipped
                .push(format!("{}/{}: no transcript", ep.collection, ep.number));
            return Ok(());
        };
        let text = lines_text(&t.segments);
        let path = self.dir.join(episode_file_name(ep, "txt"));
        write_file(&path, text.as_bytes())?;
        report.add_file(&path, text.len() as u64);
        report.episodes += 1;
        Ok(())
    }

    fn finish(self: Box<Self>, _report: &mut ExportReport) -> Result<()> {
        Ok(())
    }
}
