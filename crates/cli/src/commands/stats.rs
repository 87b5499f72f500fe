//! `podcorpus stats`: language statistics of the corpus, of one episode (with
//! its comments), or one row per episode; `--plot DIR` draws the charts.

use crate::output;
use anyhow::Context;
use podcorpus_analysis::comments::{comment_stats, CommentStats};
use podcorpus_analysis::corpus::{Corpus, Doc};
use podcorpus_analysis::plots;
use podcorpus_analysis::source::{load_corpus, Selection};
use podcorpus_analysis::stats::{stats, Stats};
use podcorpus_store::query::TranscriptFilter;
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

const NO_TRANSCRIPT: &str =
    "no transcript matches (import some first, or check --collection/--source)";

/// Which transcripts the corpus commands read (shared by stats, freq,
/// keywords and collocates).
#[derive(Debug, Clone, clap::Args)]
pub struct CorpusArgs {
    /// Only this collection.
    #[arg(long)]
    pub collection: Option<String>,
    /// Only this transcript source (default: the best source of each episode).
    #[arg(long)]
    pub source: Option<String>,
}

impl CorpusArgs {
    /// Loads the selected transcripts, only those of the named episode when given.
    pub fn load_named(&self, store: &Store, episode: Option<&str>) -> anyhow::Result<Corpus> {
        let id = match episode {
            Some(name) => Some(store.resolve(name)?.id),
            None => None,
        };
        self.load(store, id)
    }

    /// Loads the selected transcripts (only `episode_id` when given).
    pub fn load(&self, store: &Store, episode_id: Option<i64>) -> anyhow::Result<Corpus> {
        let corpus = self.load_any(store, episode_id)?;
        if corpus.docs.is_empty() {
            anyhow::bail!(NO_TRANSCRIPT);
        }
        Ok(corpus)
    }

    /// [`CorpusArgs::load`], but an empty corpus is no error.
    fn load_any(&self, store: &Store, episode_id: Option<i64>) -> anyhow::Result<Corpus> {
        let selection = Selection {
            filter: TranscriptFilter {
                collection: self.collection.clone(),
                source: self.source.clone(),
                episode_id,
                ..TranscriptFilter::default()
            },
        };
        load_corpus(store, &selection).context("reading the transcripts")
    }
}

/// Arguments of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One episode (COLLECTION/NUMBER, NUMBER or video id); the whole corpus without.
    episode: Option<String>,
    /// `episode`: one row per episode; `guest`: one row per guest (the
    /// episodes they are in, together); `year`: one row per year of publication.
    #[arg(long, value_parser = ["episode", "guest", "year"])]
    by: Option<String>,
    /// Print CSV.
    #[arg(long)]
    csv: bool,
    /// Write SVG charts (Zipf, words per episode, speaking rate; for one
    /// episode also its comments over time) into this folder.
    #[arg(long, value_name = "DIR")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    corpus: CorpusArgs,
}

/// Runs `stats`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    // One episode, as a whole: its comments are counted beside its language,
    // and an episode with comments but no transcript still has those.
    let single = args.by.is_none() && !args.csv;
    let (corpus, comments) = match (&args.episode, single) {
        (Some(name), true) => {
            let id = store.resolve(name)?.id;
            let comments = comment_stats(&store.comments(id, false)?);
            let corpus = args.corpus.load_any(&store, Some(id))?;
            if corpus.docs.is_empty() && comments.count == 0 {
                anyhow::bail!(NO_TRANSCRIPT);
            }
            (corpus, Some(comments))
        }
        _ => (
            args.corpus.load_named(&store, args.episode.as_deref())?,
            None,
        ),
    };
    let docs: Vec<&Doc> = corpus.docs.iter().collect();
    if let Some(dir) = &args.plot {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut charts = if docs.is_empty() {
            Vec::new()
        } else {
            plots::corpus_charts(&corpus)?
        };
        if let Some(chart) = comments.as_ref().map(plots::comments_chart).transpose()? {
            charts.extend(chart);
        }
        for c in &charts {
            plots::write(&dir.join(c.name), &c.svg)?;
        }
        let names: Vec<&str> = charts.iter().map(|c| c.name).collect();
        eprintln!("wrote {} in {}", names.join(", "), dir.display());
    }
    match args.by.as_deref() {
        Some("episode") => {
            let rows: Vec<(String, Option<&str>, Stats)> = docs
                .iter()
                .map(|d| (d.name.clone(), d.title.as_deref(), stats(&corpus, &[d])))
                .collect();
            return print_rows("episode", &rows, json, args.csv);
        }
        Some(by) => {
            // Each group's episodes together, in name order of the groups.
            let mut groups: std::collections::BTreeMap<String, Vec<&Doc>> = Default::default();
            for d in &docs {
                let keys: Vec<String> = if by == "guest" {
                    d.guests.clone()
                } else {
                    d.published
                        .iter()
                        .filter_map(|p| p.get(..4))
                        .map(str::to_string)
                        .collect()
                };
                for k in keys {
                    groups.entry(k).or_default().push(d);
                }
            }
            let rows: Vec<(String, Option<&str>, Stats)> = groups
                .into_iter()
                .map(|(k, ds)| (k, None, stats(&corpus, &ds)))
                .collect();
            return print_rows(by, &rows, json, args.csv);
        }
        None => {}
    }
    let s = (!docs.is_empty()).then(|| stats(&corpus, &docs));
    if json {
        /// The statistics (absent when the episode has no transcript) and,
        /// for one episode, its comments.
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            stats: Option<&'a Stats>,
            #[serde(skip_serializing_if = "Option::is_none")]
            comments: Option<&'a CommentStats>,
        }
        output::print_json(&Out {
            stats: s.as_ref(),
            comments: comments.as_ref(),
        })?;
    } else {
        match &s {
            Some(s) if args.csv => print_csv(&[("all", None, s)]),
            Some(s) => print_one(s),
            None => println!("no transcript (the language statistics need one)"),
        }
        if let Some(c) = &comments {
            print_comments(c);
        }
    }
    Ok(0)
}

const COLUMNS: [&str; 14] = [
    "tokens",
    "types",
    "ttr",
    "mattr",
    "hapax",
    "words",
    "cues",
    "words_per_cue",
    "words_per_sentence",
    "wpm",
    "duration_s",
    "fillers_per_1000",
    "nonspeech_tags",
    "nonspeech_share",
];

fn cells(s: &Stats) -> Vec<String> {
    let opt = |v: Option<f64>, p: usize| v.map_or(String::new(), |v| format!("{v:.p$}"));
    vec![
        s.tokens.to_string(),
        s.types.to_string(),
        format!("{:.4}", s.ttr),
        format!("{:.4}", s.mattr),
        s.hapax.to_string(),
        s.words.to_string(),
        s.cues.to_string(),
        format!("{:.2}", s.words_per_cue),
        opt(s.words_per_sentence, 2),
        opt(s.speaking_rate_wpm, 1),
        s.duration_ms
            .map_or(String::new(), |d| (d / 1000).to_string()),
        format!("{:.2}", s.fillers_per_1000),
        s.nonspeech_tags.to_string(),
        format!("{:.4}", s.nonspeech_share),
    ]
}

fn print_csv(rows: &[(&str, Option<&str>, &Stats)]) {
    println!("episode,title,{}", COLUMNS.join(","));
    for (name, title, s) in rows {
        println!(
            "{},{},{}",
            output::csv_field(name),
            output::csv_field(title.unwrap_or("")),
            cells(s).join(",")
        );
    }
}

/// One row per episode, guest or year; `label` names the first column.
fn print_rows(
    label: &str,
    rows: &[(String, Option<&str>, Stats)],
    json: bool,
    csv: bool,
) -> anyhow::Result<i32> {
    if json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            episode: &'a str,
            title: Option<&'a str>,
            #[serde(flatten)]
            stats: &'a Stats,
        }
        let out: Vec<Row> = rows
            .iter()
            .map(|(name, title, s)| Row {
                episode: name,
                title: *title,
                stats: s,
            })
            .collect();
        output::print_json(&out)?;
    } else if csv {
        let r: Vec<(&str, Option<&str>, &Stats)> = rows
            .iter()
            .map(|(name, title, s)| (name.as_str(), *title, s))
            .collect();
        print_csv(&r);
    } else {
        let mut header = vec![label];
        header.extend(["tokens", "types", "mattr", "words/cue", "wpm", "fillers/1k"]);
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|(name, _, s)| {
                vec![
                    name.clone(),
                    s.tokens.to_string(),
                    s.types.to_string(),
                    format!("{:.4}", s.mattr),
                    format!("{:.2}", s.words_per_cue),
                    s.speaking_rate_wpm
                        .map_or("-".into(), |v| format!("{v:.1}")),
                    format!("{:.2}", s.fillers_per_1000),
                ]
            })
            .collect();
        output::print_table(&header, &table, &[1, 2, 3, 4, 5, 6]);
    }
    Ok(0)
}

fn print_one(s: &Stats) {
    let line = |k: &str, v: String| println!("{k:<22}{v}");
    line("documents", s.documents.to_string());
    line("tokens", s.tokens.to_string());
    line("types", s.types.to_string());
    line("type-token ratio", format!("{:.4}", s.ttr));
    line("MATTR (500)", format!("{:.4}", s.mattr));
    line("hapax legomena", s.hapax.to_string());
    line("words (wc -w)", s.words.to_string());
    line("cues", s.cues.to_string());
    line("words per cue", format!("{:.2}", s.words_per_cue));
    if let Some(v) = s.words_per_sentence {
        line("words per sentence", format!("{v:.2}"));
    }
    if let Some(v) = s.speaking_rate_wpm {
        line("speaking rate", format!("{v:.1} words/min"));
    }
    if let Some(d) = s.duration_ms {
        line("duration", output::hms(d));
    }
    line(
        "fillers",
        format!("{} ({:.2} per 1000 tokens)", s.fillers, s.fillers_per_1000),
    );
    line(
        "non-speech tags",
        format!(
            "{} ({:.2}% of cues)",
            s.nonspeech_tags,
            100.0 * s.nonspeech_share
        ),
    );
}

/// The comments block of one episode.
fn print_comments(c: &CommentStats) {
    let line = |k: &str, v: String| println!("  {k:<20}{v}");
    println!("\nComments");
    if c.count == 0 {
        line("comments", "none".into());
        return;
    }
    line("comments", c.count.to_string());
    let orphans = match c.orphan_replies {
        0 => String::new(),
        1 => " (1 of them a reply whose comment was not fetched)".into(),
        n => format!(" ({n} of them replies whose comments were not fetched)"),
    };
    line("threads", format!("{}{orphans}", c.threads));
    line("replies", c.replies.to_string());
    line(
        "median likes",
        c.median_likes.map_or("n/a".into(), |m| {
            format!("{m} (of {} with a like count)", c.with_likes)
        }),
    );
    if let Some(m) = &c.most_liked {
        line(
            "most liked",
            format!(
                "{} ({} likes)",
                m.author.as_deref().unwrap_or("anonymous"),
                m.likes
            ),
        );
    }
    let Some(bucket) = c.bucket else {
        line("over time", "n/a (no times)".into());
        return;
    };
    line(
        &format!("per {}", bucket.as_str()),
        format!("{} of {} comments have a time (UTC)", c.timed, c.count),
    );
    let width = c
        .over_time
        .iter()
        .map(|p| p.count)
        .max()
        .unwrap_or(1)
        .max(1);
    for p in &c.over_time {
        // A bar of at most 40 marks: the shape at a glance.
        let marks = (p.count * 40).div_ceil(width) as usize;
        println!("    {:<12}{:>6}  {}", p.period, p.count, "#".repeat(marks));
    }
}
