//! A Hugging Face datasets folder: `data/{split}-NNNNN-of-NNNNN.parquet`
//! shards (the episodes table, with segments and comments list columns) and a
//! `README.md` dataset card whose YAML front matter declares the configs,
//! features and split sizes, so that `datasets.load_dataset("parquet", ...)`
//! and the Hub's viewer read it without guessing.
//!
//! Each episode goes to one split by a hash of its key (the video id, else
//! `collection/number`): the same episode lands in the same split in every
//! export, whatever else is selected.

use crate::arrow_rows::{episode_schema, EpisodeRows, Nested};
use crate::driver::{ExportReport, ExportRequest};
use crate::parquet::{TableFile, BYTES_PER_GROUP, EPISODES_PER_GROUP};
use crate::writer::EpisodeWriter;
use crate::writer::Stream;
use crate::{ExportError, Result};
use arrow_schema::{DataType, Field, TimeUnit};
use podcorpus_store::export_feed::{CollectionInfo, ExportEpisode, ExportSelection};
use podcorpus_store::seams::ExportFeed;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The split names, in order.
pub const SPLITS: [&str; 3] = ["train", "validation", "test"];
/// A shard closes once this many bytes are written (the Hub's advice is
/// shards of a few hundred MB).
pub const SHARD_BYTES: usize = 256 << 20;

/// The shares of train, validation and test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split(pub [f64; 3]);

impl Default for Split {
    fn default() -> Self {
        Split([0.9, 0.05, 0.05])
    }
}

impl std::str::FromStr for Split {
    type Err = ExportError;

    /// `0.9,0.05,0.05` (train, validation, test); missing shares are 0.
    fn from_str(s: &str) -> Result<Split> {
        let bad = |why: &str| {
            ExportError::Usage(format!(
                "--split {s:?}: {why}; give train,validation,test shares that add up to 1, e.g. 0.9,0.05,0.05"
            ))
        };
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad("one to three numbers expected"));
        }
        let mut shares = [0.0; 3];
        for (i, p) in parts.iter().enumerate() {
            let v: f64 = p.parse().map_err(|_| bad("not a number"))?;
            if !(0.0..=1.0).contains(&v) {
                return Err(bad("each share is between 0 and 1"));
            }
            shares[i] = v;
        }
        if (shares.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
            return Err(bad("the shares do not add up to 1"));
        }
        Ok(Split(shares))
    }
}

impl Split {
    /// The split (index into [`SPLITS`]) of an episode key: the key's hash
    /// as a fraction in [0, 1) against the cumulative shares.
    pub fn of(&self, key: &str) -> usize {
        let h = blake3::hash(key.as_bytes());
        let mut b = [0u8; 8];
        b.copy_from_slice(&h.as_bytes()[..8]);
        let x = u64::from_le_bytes(b) as f64 / 18_446_744_073_709_551_616.0;
        let mut acc = 0.0;
        for (i, share) in self.0.iter().enumerate() {
            acc += share;
            if x < acc && *share > 0.0 {
                return i;
            }
        }
        // Rounding at the top: the last split with a share.
        self.0.iter().rposition(|&s| s > 0.0).unwrap_or(0)
    }
}

/// The key an episode is split by.
pub fn episode_key(ep: &ExportEpisode) -> String {
    match &ep.meta.video_id {
        Some(v) => v.clone(),
        None => format!("{}/{}", ep.collection, ep.number),
    }
}

/// One split's shards.
struct SplitOut {
    rows: EpisodeRows,
    current: Option<TableFile>,
    done: Vec<Stream>,
    examples: u64,
    memory: u64,
}

/// Writes the dataset folder.
pub struct HfWriter {
    dir: PathBuf,
    splits: Vec<SplitOut>,
    nested: Nested,
    collections: Vec<CollectionInfo>,
    used: BTreeSet<String>,
    languages: BTreeSet<String>,
    sources: BTreeSet<String>,
    split: Split,
    selection: ExportSelection,
}

impl HfWriter {
    /// Prepares `DIR/data/` (which the driver created).
    pub fn open(store: &dyn ExportFeed, req: &ExportRequest) -> Result<HfWriter> {
        let nested = Nested {
            segments: req.segments,
            comments: req.comments,
        };
        let data = req.output.join("data");
        std::fs::create_dir_all(&data)
            .map_err(|e| ExportError::io("create the folder", &data, e))?;
        Ok(HfWriter {
            dir: req.output.clone(),
            splits: (0..SPLITS.len())
                .map(|_| SplitOut {
                    rows: EpisodeRows::new(nested),
                    current: None,
                    done: Vec::new(),
                    examples: 0,
                    memory: 0,
                })
                .collect(),
            nested,
            collections: store.collections()?,
            used: BTreeSet::new(),
            languages: BTreeSet::new(),
            sources: BTreeSet::new(),
            split: req.split,
            selection: req.selection.clone(),
        })
    }

    fn flush(&mut self, i: usize) -> Result<()> {
        let out = &mut self.splits[i];
        if out.rows.is_empty() {
            return Ok(());
        }
        let batch = out.rows.take_batch()?;
        out.memory += batch.get_array_memory_size() as u64;
        let file = match &mut out.current {
            Some(f) => f,
            None => {
                let n = out.done.len();
                let tmp = self
                    .dir
                    .join("data")
                    .join(format!("{}-{n:05}.parquet", SPLITS[i]));
                out.current
                    .insert(TableFile::open(&tmp, episode_schema(self.nested))?)
            }
        };
        file.write_group(&batch)?;
        if file.bytes_written() >= SHARD_BYTES {
            if let Some(f) = out.current.take() {
                out.done.push(f.into_stream()?);
            }
        }
        Ok(())
    }
}

impl EpisodeWriter for HfWriter {
    fn write(&mut self, ep: &ExportEpisode, report: &mut ExportReport) -> Result<()> {
        let i = self.split.of(&episode_key(ep));
        self.splits[i].rows.push(ep);
        self.splits[i].examples += 1;
        self.used.insert(ep.collection.clone());
        if let Some(t) = &ep.transcript {
            self.sources.insert(t.source.clone());
            if let Some(l) = &t.language {
                self.languages.insert(l.clone());
            }
            if self.nested.segments {
                report.segments += t.segments.len() as u64;
            }
        }
        if self.nested.comments {
            report.comments += ep.comments.len() as u64;
        }
        let rows = &self.splits[i].rows;
        if rows.len() >= EPISODES_PER_GROUP || rows.text_bytes() >= BYTES_PER_GROUP {
            self.flush(i)?;
        }
        report.episodes += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>, report: &mut ExportReport) -> Result<()> {
        let data = self.dir.join("data");
        let mut sizes = Vec::new();
        let mut written = Vec::new();
        for (i, split) in SPLITS.iter().enumerate() {
            self.flush(i)?;
            let out = &mut self.splits[i];
            if let Some(f) = out.current.take() {
                out.done.push(f.into_stream()?);
            }
            let n = out.done.len();
            let mut bytes = 0;
            for (k, stream) in std::mem::take(&mut out.done).into_iter().enumerate() {
                let Stream::File(file) = stream else { continue };
                bytes += file.written();
                let size = file.written();
                let path =
                    file.commit_as(&data.join(format!("{split}-{k:05}-of-{n:05}.parquet")))?;
                report.add_file(&path, size);
                written.push(path);
            }
            sizes.push((*split, out.examples, out.memory, bytes));
        }
        remove_stale_shards(&data, &written)?;
        let card = self.card(&sizes);
        let path = self.dir.join("README.md");
        crate::atomic::write_file(&path, card.as_bytes())?;
        report.add_file(&path, card.len() as u64);
        Ok(())
    }
}

/// Removes shards an earlier export left in `data/` (another split or count),
/// which `data/train-*` would otherwise pick up.
fn remove_stale_shards(data: &Path, written: &[PathBuf]) -> Result<()> {
    let entries = std::fs::read_dir(data).map_err(|e| ExportError::io("read", data, e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = SPLITS.iter().any(|s| name.starts_with(&format!("{s}-")))
            && name.ends_with(".parquet")
            && name.contains("-of-");
        if ours && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| ExportError::io("remove", &path, e))?;
        }
    }
    Ok(())
}

/// The `datasets` feature of an Arrow field, as YAML lines at `indent`.
fn feature_yaml(out: &mut String, field: &Field, indent: usize) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}- name: {}", field.name());
    type_yaml(out, field.data_type(), indent + 2);
}

fn type_yaml(out: &mut String, dt: &DataType, indent: usize) {
    let pad = " ".repeat(indent);
    match dt {
        DataType::List(item) => match item.data_type() {
            DataType::Struct(fields) => {
                let _ = writeln!(out, "{pad}list:");
                for f in fields {
                    feature_yaml(out, f, indent);
                }
            }
            other => {
                let _ = writeln!(out, "{pad}list:");
                let _ = writeln!(out, "{pad}  dtype: {}", dtype(other));
            }
        },
        other => {
            let _ = writeln!(out, "{pad}dtype: {}", dtype(other));
        }
    }
}

/// The `datasets` Value type of an Arrow type (the names `datasets.Value` takes).
fn dtype(dt: &DataType) -> String {
    match dt {
        DataType::Utf8 => "string".into(),
        DataType::Int64 => "int64".into(),
        DataType::Date32 => "date32".into(),
        DataType::Boolean => "bool".into(),
        DataType::Timestamp(unit, tz) => {
            let unit = match unit {
                TimeUnit::Second => "s",
                TimeUnit::Millisecond => "ms",
                TimeUnit::Microsecond => "us",
                TimeUnit::Nanosecond => "ns",
            };
            match tz {
                Some(tz) => format!("timestamp[{unit}, tz={tz}]"),
                None => format!("timestamp[{unit}]"),
            }
        }
        _ => "string".into(),
    }
}

fn size_category(n: u64) -> &'static str {
    match n {
        0..=999 => "n<1K",
        1_000..=9_999 => "1K<n<10K",
        10_000..=99_999 => "10K<n<100K",
        100_000..=999_999 => "100K<n<1M",
        _ => "1M<n<10M",
    }
}

impl HfWriter {
    /// The dataset card: YAML front matter, then prose.
    fn card(&self, sizes: &[(&str, u64, u64, u64)]) -> String {
        let present: Vec<&(&str, u64, u64, u64)> = sizes.iter().filter(|s| s.1 > 0).collect();
        let total: u64 = present.iter().map(|s| s.1).sum();
        let mut y = String::from("---\n");
        y.push_str("language:\n");
        if self.languages.is_empty() {
            y.push_str("- en\n");
        }
        for l in &self.languages {
            let _ = writeln!(y, "- {l}");
        }
        y.push_str("pretty_name: podcorpus transcripts\n");
        y.push_str("task_categories:\n- text-generation\n- summarization\n");
        let _ = writeln!(y, "size_categories:\n- {}", size_category(total));
        y.push_str("configs:\n- config_name: default\n  data_files:\n");
        for (name, ..) in &present {
            let _ = writeln!(y, "  - split: {name}\n    path: data/{name}-*");
        }
        y.push_str("dataset_info:\n  features:\n");
        for f in episode_schema(self.nested).fields() {
            feature_yaml(&mut y, f, 2);
        }
        y.push_str("  splits:\n");
        for (name, examples, memory, _) in &present {
            let _ = writeln!(
                y,
                "  - name: {name}\n    num_bytes: {memory}\n    num_examples: {examples}"
            );
        }
        let download: u64 = present.iter().map(|s| s.3).sum();
        let dataset: u64 = present.iter().map(|s| s.2).sum();
        let _ = writeln!(y, "  download_size: {download}\n  dataset_size: {dataset}");
        y.push_str("---\n\n");

        y.push_str("# podcorpus transcripts\n\n");
        let _ = writeln!(
            y,
            "{total} episodes of spoken English: metadata, chapters, summaries and one transcript each{}{}.\n",
            if self.nested.segments { ", with its timed segments" } else { "" },
            if self.nested.comments { ", and the viewers' comments" } else { "" }
        );
        y.push_str("## Sources\n\n");
        for c in self
            .collections
            .iter()
            .filter(|c| self.used.contains(&c.name))
        {
            match &c.url {
                Some(u) => {
                    let _ = writeln!(y, "- `{}` ({}): <{u}>", c.name, c.kind);
                }
                None => {
                    let _ = writeln!(y, "- `{}` ({})", c.name, c.kind);
                }
            }
        }
        let sources: Vec<&str> = self.sources.iter().map(String::as_str).collect();
        let _ = writeln!(y, "\nTranscript sources: {}.\n", sources.join(", "));
        y.push_str("## How it was made\n\n");
        let _ = writeln!(
            y,
            "Exported by `podcorpus export --format hf` (podcorpus {}). Transcripts were imported \
             into podcorpus's SQLite store from subtitle files (WebVTT, SRT, YouTube json3), yt-dlp \
             downloads or a hand-kept notes document; non-speech tags such as `[Music]` are kept out \
             of the text.",
            env!("CARGO_PKG_VERSION")
        );
        let sel = &self.selection;
        let _ = writeln!(
            y,
            "Selection: collection {}, transcript {}, published {} to {}.",
            sel.collection.as_deref().unwrap_or("all"),
            sel.source.as_deref().map_or("the best source of each episode (manual captions, then Whisper large, other Whisper, auto-captions, notes)".to_string(), |s| format!("source `{s}`")),
            sel.since.as_deref().unwrap_or("any date"),
            sel.until.as_deref().unwrap_or("any date"),
        );
        let [tr, va, te] = self.split.0;
        let _ = writeln!(
            y,
            "\nSplits are by episode, deterministic: the first 8 bytes of the BLAKE3 hash of the \
             episode's key (its video id, else `collection/number`) as a fraction of 2^64, against the \
             shares train {tr}, validation {va}, test {te}.\n"
        );
        y.push_str("| split | episodes |\n|---|---|\n");
        for (name, examples, ..) in &present {
            let _ = writeln!(y, "| {name} | {examples} |");
        }
        y.push_str(
            "\n## Fields\n\n`text` is the transcript's segments joined by one space; `published` is a \
             date; times (`start_ms`, `end_ms`, `duration_ms`) are milliseconds; chapters carry a \
             start time or a character position in `text`.",
        );
        if self.nested.comments {
            y.push_str(
                " `comments` are the viewers' comments in the order fetched, each thread's comment \
                 before its replies; `parent` is the id of the comment a reply answers, null for one \
                 that starts a thread; `likes` may be unknown; `time` is when it was posted (UTC).",
            );
        }
        y.push_str(
            "\n\n```python\nfrom datasets import load_dataset\nds = load_dataset(\"parquet\", data_dir=\"data\")  # or the folder's path\n```\n",
        );
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_parses_and_rejects() {
        assert_eq!("0.8,0.1,0.1".parse::<Split>().unwrap().0, [0.8, 0.1, 0.1]);
        assert_eq!("1".parse::<Split>().unwrap().0, [1.0, 0.0, 0.0]);
        assert!("0.5,0.1".parse::<Split>().is_err());
        assert!("a,b".parse::<Split>().is_err());
    }

    #[test]
    fn split_is_deterministic_and_close_to_the_shares() {
        let s = Split::default();
        let mut counts = [0usize; 3];
        for n in 0..10_000 {
            counts[s.of(&format!("lexicap/{n}"))] += 1;
        }
        assert_eq!(s.of("lexicap/5"), s.of("lexicap/5"));
        // 10 000 keys: train within 1% of 9 000, the others within 1% of 500.
        assert!((8_900..=9_100).contains(&counts[0]), "{counts:?}");
        assert!((400..=600).contains(&counts[1]), "{counts:?}");
        assert!((400..=600).contains(&counts[2]), "{counts:?}");
        assert_eq!("1,0,0".parse::<Split>().unwrap().of("x"), 0);
    }
}
