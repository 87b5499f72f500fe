//! `podcorpus compare`: word and character error rates of one transcript
//! against another of the same speech — two sources of an episode, every
//! episode having both (`--all`), or two caption files without a database.

use crate::output;
use anyhow::{bail, Context};
use podcorpus_analysis::source::{pairs, text_as_written, Pair};
use podcorpus_analysis::wer::{compare, compare_all, Counts, Options, Report, Step};
use serde::Serialize;
use std::path::Path;

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An episode (COLLECTION/NUMBER, NUMBER or video id), or two caption files
    /// (reference first), or nothing with --all.
    #[arg(num_args = 0..=2)]
    inputs: Vec<String>,
    /// The reference source, e.g. whisper-large or youtube-manual.
    #[arg(long = "ref")]
    reference: Option<String>,
    /// The hypothesis source, e.g. whisper-small or youtube-auto.
    #[arg(long = "hyp")]
    hypothesis: Option<String>,
    /// Every episode that has both sources: the corpus rates (errors summed over
    /// pairs, as jiwer) and a table per episode.
    #[arg(long)]
    all: bool,
    /// Print the aligned words with the errors marked.
    #[arg(long)]
    align: bool,
    /// Leave out non-speech tags ([Music]); by default they are compared as the
    /// caption file writes them, as jiwer would see the file.
    #[arg(long)]
    speech_only: bool,
    /// Skip the character error rate (a longer alignment) for a single pair.
    #[arg(long)]
    no_cer: bool,
    /// With --all, also the character error rate (about four times the time).
    #[arg(long)]
    cer: bool,
    /// With --all, write a chart of the WER per episode (wer.svg) into this folder.
    #[arg(long, value_name = "DIR")]
    plot: Option<std::path::PathBuf>,
}

/// One compared pair in `--all` output.
#[derive(Debug, Serialize)]
struct EpisodeReport {
    episode: String,
    title: Option<String>,
    #[serde(flatten)]
    report: Report,
}

/// `--all` output.
#[derive(Debug, Serialize)]
struct CorpusReport {
    reference: String,
    hypothesis: String,
    pairs: usize,
    #[serde(flatten)]
    report: Report,
    episodes: Vec<EpisodeReport>,
}

/// Runs `compare`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let opts = Options {
        chars: if args.all { args.cer } else { !args.no_cer },
        align: args.align,
    };
    if args.all {
        return run_all(db, json, &args, opts);
    }
    match args.inputs.as_slice() {
        [a, b] => {
            let (r, h) = (read_file(Path::new(a), &args)?, read_file(Path::new(b), &args)?);
            print_one(json, compare(&r, &h, opts), opts.chars)
        }
        [episode] => {
            let (reference, hypothesis) = sources(&args)?;
            let store = super::open_existing(db)?;
            let row = store.resolve(episode)?;
            let found = pairs(&store, reference, hypothesis, Some(row.id))?;
            let Some(pair) = found.first() else {
                let detail = store.show(episode, false)?;
                let have: Vec<&str> = detail.transcripts.iter().map(|t| t.source.as_str()).collect();
                bail!(
                    "{}/{} has no pair of sources {reference} and {hypothesis}; its sources are: {}",
                    row.collection,
                    row.number,
                    if have.is_empty() { "(none)".to_string() } else { have.join(", ") }
                );
            };
            let (r, h) = texts(&store, pair, args.speech_only)?;
            print_one(json, compare(&r, &h, opts), opts.chars)
        }
        _ => bail!(
            "compare needs an episode with --ref and --hyp, two caption files, or --all with --ref and --hyp"
        ),
    }
}

fn sources(args: &Args) -> anyhow::Result<(&str, &str)> {
    match (&args.reference, &args.hypothesis) {
        (Some(r), Some(h)) => Ok((r, h)),
        _ => bail!("name the two sources to compare, e.g. --ref whisper-large --hyp whisper-small (`podcorpus show EPISODE` lists an episode's sources)"),
    }
}

fn texts(
    store: &podcorpus_store::Store,
    p: &Pair,
    speech_only: bool,
) -> anyhow::Result<(String, String)> {
    Ok((
        text_as_written(store, p.reference.id, speech_only)?,
        text_as_written(store, p.hypothesis.id, speech_only)?,
    ))
}

fn run_all(db: &Path, json: bool, args: &Args, opts: Options) -> anyhow::Result<i32> {
    let (reference, hypothesis) = sources(args)?;
    let store = super::open_existing(db)?;
    let found = pairs(&store, reference, hypothesis, None)?;
    if found.is_empty() {
        bail!("no episode has both a {reference} and a {hypothesis} transcript");
    }
    let loaded: Vec<(String, String)> = found
        .iter()
        .map(|p| texts(&store, p, args.speech_only))
        .collect::<anyhow::Result<_>>()?;
    let counts = compare_all(&loaded, opts);
    let mut total = Counts::default();
    for c in &counts {
        total.add(c);
    }
    let episodes: Vec<EpisodeReport> = found
        .iter()
        .zip(&counts)
        .map(|(p, c)| EpisodeReport {
            episode: format!("{}/{}", p.reference.collection, p.reference.number),
            title: p.reference.title.clone(),
            report: Report::new(*c, opts.chars),
        })
        .collect();
    if let Some(dir) = &args.plot {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let points: Vec<(f64, f64)> = found
            .iter()
            .zip(&counts)
            .map(|(p, c)| (p.reference.number as f64, 100.0 * c.wer()))
            .collect();
        let file = dir.join("wer.svg");
        let svg = podcorpus_analysis::plots::line(
            &format!("WER of {hypothesis} against {reference} per episode"),
            "episode number",
            "word error rate (%)",
            &points,
        )?;
        podcorpus_analysis::plots::write(&file, &svg)?;
        eprintln!("wrote {}", file.display());
    }
    if json {
        output::print_json(&CorpusReport {
            reference: reference.to_string(),
            hypothesis: hypothesis.to_string(),
            pairs: episodes.len(),
            report: Report::new(total, opts.chars),
            episodes,
        })?;
        return Ok(0);
    }
    let row = |name: String, title: &str, c: &Counts| {
        vec![
            name,
            output::clip(title, 40),
            c.ref_words().to_string(),
            format!("{:.4}", c.wer()),
            if opts.chars {
                format!("{:.4}", c.cer())
            } else {
                "-".into()
            },
            c.substitutions.to_string(),
            c.deletions.to_string(),
            c.insertions.to_string(),
            c.hits.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = episodes
        .iter()
        .map(|e| {
            row(
                e.episode.clone(),
                e.title.as_deref().unwrap_or(""),
                &e.report.counts,
            )
        })
        .collect();
    rows.push(row(format!("all {} pairs", episodes.len()), "", &total));
    output::print_table(
        &[
            "episode",
            "title",
            "ref words",
            "WER",
            "CER",
            "S",
            "D",
            "I",
            "H",
        ],
        &rows,
        &[2, 3, 4, 5, 6, 7, 8],
    );
    Ok(0)
}

fn print_one(
    json: bool,
    (counts, steps): (Counts, Option<Vec<Step>>),
    chars: bool,
) -> anyhow::Result<i32> {
    let report = Report::new(counts, chars);
    if json {
        #[derive(Serialize)]
        struct WithAlignment {
            #[serde(flatten)]
            report: Report,
            #[serde(skip_serializing_if = "Option::is_none")]
            alignment: Option<Vec<Step>>,
        }
        output::print_json(&WithAlignment {
            report,
            alignment: steps,
        })?;
        return Ok(0);
    }
    if let Some(steps) = &steps {
        print_alignment(steps);
        println!();
    }
    let c = &report.counts;
    println!(
        "WER {:.4}  ({} errors / {} reference words)",
        report.wer,
        c.substitutions + c.deletions + c.insertions,
        c.ref_words()
    );
    if let Some(cer) = report.cer {
        println!(
            "CER {cer:.4}  ({} / {} reference characters)",
            c.char_edits, c.ref_chars
        );
    }
    println!(
        "substitutions {}  deletions {}  insertions {}  hits {}",
        c.substitutions, c.deletions, c.insertions, c.hits
    );
    Ok(0)
}

/// Hits as they are, `[ref→hyp]` for a substitution, `[-ref]` for a deletion,
/// `[+hyp]` for an insertion, wrapped at 100 columns.
fn print_alignment(steps: &[Step]) {
    let mut line = String::new();
    for s in steps {
        let token = match s {
            Step::Hit { word } => word.clone(),
            Step::Substitution {
                reference,
                hypothesis,
            } => format!("[{reference}→{hypothesis}]"),
            Step::Deletion { reference } => format!("[-{reference}]"),
            Step::Insertion { hypothesis } => format!("[+{hypothesis}]"),
        };
        if !line.is_empty() && line.chars().count() + token.chars().count() + 1 > 100 {
            println!("{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&token);
    }
    if !line.is_empty() {
        println!("{line}");
    }
}

/// A caption or transcript file's speech, cue texts joined by one space.
/// The file is read the way `import` reads it (decode, detect, read).
fn read_file(path: &Path, args: &Args) -> anyhow::Result<String> {
    use podcorpus_ingest::read::{read_path, Unread};
    let content = match read_path(path) {
        Ok(read) => read.content,
        Err(Unread::NotAFormat) => bail!(
            "{}: not a transcript format podcorpus reads (WebVTT, SRT, json3, notes)",
            path.display()
        ),
        Err(Unread::Failed(e)) => bail!("{}: {e}", path.display()),
    };
    for w in &content.warnings {
        output::warn_at(&path.display().to_string(), Some(w.line), &w.message);
    }
    let Some(t) = content.episodes.iter().flat_map(|e| &e.transcripts).next() else {
        bail!("{}: no transcript in the file", path.display());
    };
    let cues: Vec<String> = t
        .segments
        .iter()
        .map(|s| {
            if args.speech_only || s.events.is_empty() {
                s.text.clone()
            } else {
                podcorpus_analysis::wer::cue_as_written(&s.text, &s.events)
            }
        })
        .collect();
    Ok(cues.join(" "))
}
