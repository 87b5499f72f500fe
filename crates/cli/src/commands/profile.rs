//! `podcorpus profile`: the vocabulary profile of an episode, a guest's
//! episodes or the corpus (AntWordProfiler's bands against wordfreq's
//! `large_en` ranks), or of every episode or guest side by side.

use super::keywords::select_target;
use super::stats::CorpusArgs;
use crate::output;
use anyhow::{bail, Context};
use podcorpus_analysis::corpus::Doc;
use podcorpus_analysis::plots;
use podcorpus_analysis::profile::{by_guest, shared_large_en, Profile, Profiler};
use podcorpus_analysis::profile_plot::bands_chart;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Arguments of `profile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The episode (COLLECTION/NUMBER, NUMBER or video id); the whole corpus without.
    episode: Option<String>,
    /// Instead of one episode: every episode whose guests include this name.
    #[arg(long)]
    guest: Option<String>,
    /// `episode`: one row per episode; `guest`: one row per guest (their
    /// episodes together), to compare guests side by side.
    #[arg(long, value_parser = ["episode", "guest"])]
    by: Option<String>,
    /// How many off-list words to list (most frequent first).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Write a bar chart of the bands (profile.svg) into this folder.
    #[arg(long, value_name = "DIR")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    corpus: CorpusArgs,
}

/// One row of `--by`: a name and its profile.
#[derive(Debug, Serialize)]
struct Row<'a> {
    /// The episode or guest.
    name: String,
    #[serde(flatten)]
    profile: &'a Profile,
}

/// Runs `profile`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_existing(db)?;
    // One episode's profile needs only its transcript, not the corpus.
    let corpus = match (&args.by, &args.episode) {
        (None, Some(name)) => args.corpus.load_named(&store, Some(name))?,
        _ => args.corpus.load(&store, None)?,
    };
    let words = shared_large_en().context("reading wordfreq's large_en word list")?;
    let profiler = Profiler::new(&corpus, &words);
    if let Some(by) = args.by.as_deref() {
        if args.episode.is_some() || args.guest.is_some() {
            bail!("--by {by} profiles every {by}: name no episode or --guest with it");
        }
        let groups: Vec<(String, Vec<&Doc>)> = if by == "guest" {
            by_guest(&corpus)
        } else {
            corpus
                .docs
                .iter()
                .map(|d| (d.name.clone(), vec![d]))
                .collect()
        };
        if groups.is_empty() {
            bail!("no episode in the selected corpus names its guests");
        }
        let profiles: Vec<(String, Profile)> = groups
            .into_iter()
            .map(|(name, docs)| {
                let p = profiler.profile(&docs, args.limit);
                (name, p)
            })
            .collect();
        plot(
            &args.plot,
            &format!("Vocabulary profile by {by}"),
            &profiles,
        )?;
        if json {
            let rows: Vec<Row> = profiles
                .iter()
                .map(|(name, profile)| Row {
                    name: name.clone(),
                    profile,
                })
                .collect();
            output::print_json(&rows)?;
            return Ok(0);
        }
        print_side_by_side(by, &profiles);
        return Ok(0);
    }
    let (label, target) = select_target(
        &store,
        &corpus,
        args.episode.as_deref(),
        args.guest.as_deref(),
        true,
    )?;
    let docs: Vec<&Doc> = target.iter().filter_map(|&i| corpus.docs.get(i)).collect();
    let p = profiler.profile(&docs, args.limit);
    plot(
        &args.plot,
        &format!("Vocabulary profile of {label}"),
        &[(label.clone(), p.clone())],
    )?;
    if json {
        output::print_json(&p)?;
        return Ok(0);
    }
    print_one(&label, &p);
    Ok(0)
}

/// Writes the chart of `profiles` as DIR/profile.svg when asked.
fn plot(dir: &Option<PathBuf>, title: &str, profiles: &[(String, Profile)]) -> anyhow::Result<()> {
    let Some(dir) = dir else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let refs: Vec<(String, &Profile)> = profiles.iter().map(|(n, p)| (n.clone(), p)).collect();
    let svg = bands_chart(title, &refs)?;
    let file = dir.join("profile.svg");
    plots::write(&file, &svg)?;
    eprintln!("wrote {}", file.display());
    Ok(())
}

fn pct(x: f64) -> String {
    format!("{:.2}", 100.0 * x)
}

fn print_one(label: &str, p: &Profile) {
    println!(
        "Vocabulary profile of {label} against wordfreq large_en ranks: {} tokens, {} types ({} number tokens left out)",
        p.tokens, p.types, p.numbers.tokens
    );
    let rows: Vec<Vec<String>> = p
        .bands
        .iter()
        .map(|b| {
            vec![
                b.band.to_string(),
                b.tokens.to_string(),
                pct(b.share),
                b.types.to_string(),
                pct(b.type_share),
            ]
        })
        .collect();
    output::print_table(
        &["band", "tokens", "% tokens", "types", "% types"],
        &rows,
        &[1, 2, 3, 4],
    );
    if !p.off_list.is_empty() {
        println!();
        println!("Off-list words (most frequent {}):", p.off_list.len());
        let rows: Vec<Vec<String>> = p
            .off_list
            .iter()
            .map(|w| vec![w.word.clone(), w.count.to_string()])
            .collect();
        output::print_table(&["word", "count"], &rows, &[1]);
    }
}

/// One row per episode or guest, one column per band (% of tokens).
fn print_side_by_side(by: &str, profiles: &[(String, Profile)]) {
    let Some((_, first)) = profiles.first() else {
        return;
    };
    let mut header: Vec<String> = vec![by.to_string(), "tokens".into()];
    header.extend(first.bands.iter().map(|b| format!("% {}", b.band)));
    let rows: Vec<Vec<String>> = profiles
        .iter()
        .map(|(name, p)| {
            let mut row = vec![output::clip(name, 40), p.tokens.to_string()];
            row.extend(p.bands.iter().map(|b| pct(b.share)));
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let right: Vec<usize> = (1..header.len()).collect();
    println!(
        "Vocabulary profile by {by}: % of tokens in each wordfreq large_en band (numbers left out)"
    );
    output::print_table(&header, &rows, &right);
}
