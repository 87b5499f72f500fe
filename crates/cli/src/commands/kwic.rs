//! `podcorpus kwic`: a concordance — every occurrence of a word, phrase or
//! pattern (`consci*`, `/regex/`, `lemma:run`, `"elon mars"~10`) with its
//! left and right context, aligned, with episode and time (or, in comments,
//! the author).

use super::search::{open_index, FilterArgs, Within};
use crate::output;
use podcorpus_search::{KwicOptions, Sort};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Line order.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    /// By the words left of the keyword, nearest first.
    Left,
    /// By the words right of the keyword.
    Right,
    /// By episode and time.
    Episode,
}

/// Arguments of `kwic`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A word, a phrase ("meaning of life"), a wildcard (consci*, wom?n), a
    /// /regex/ over whole words, lemma:run (run, runs, ran, running), or
    /// "elon mars"~10 (both within ten words, either order).
    keyword: String,
    /// Words of context on each side.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=20))]
    window: u16,
    /// Line order.
    #[arg(long, value_enum, default_value = "episode")]
    sort: SortArg,
    /// Most lines to show (0: all); the counts always cover every occurrence.
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Respect case (by default `love` also finds `Love`; wildcards and
    /// regexes then match as written too).
    #[arg(long)]
    case: bool,
    #[command(flatten)]
    within: Within,
    #[command(flatten)]
    filter: FilterArgs,
}

/// Runs `kwic`; exit code 1 when the keyword never occurs.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let filter = args.filter.filter_in(args.within.what)?;
    let index = open_index(db)?;
    let opts = KwicOptions {
        window: args.window as usize,
        case: args.case,
        sort: match args.sort {
            SortArg::Left => Sort::Left,
            SortArg::Right => Sort::Right,
            SortArg::Episode => Sort::Episode,
        },
        filter,
    };
    let mut c = podcorpus_search::kwic(&index, &args.keyword, &opts)?;
    let code = if c.total == 0 { 1 } else { 0 };
    let shown = if args.limit == 0 {
        c.total
    } else {
        args.limit.min(c.total)
    };
    c.lines.truncate(shown);
    if json {
        output::print_json(&c)?;
        return Ok(code);
    }
    let (bold, plain) = if std::io::stdout().is_terminal() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let width = |s: &str| s.chars().count();
    let label = |l: &podcorpus_search::KwicLine| match &l.comment {
        Some(c) => format!("{}/{} {}", l.collection, l.number, c.label()),
        None => format!(
            "{}/{} {}",
            l.collection,
            l.number,
            l.timestamp.as_deref().unwrap_or("--:--:--")
        ),
    };
    let label_w = c.lines.iter().map(|l| width(&label(l))).max().unwrap_or(0);
    let left_w = c.lines.iter().map(|l| width(&l.left)).max().unwrap_or(0);
    let key_w = c.lines.iter().map(|l| width(&l.keyword)).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for l in &c.lines {
        let lab = label(l);
        writeln!(
            out,
            "{lab}{}  {}{}  {bold}{}{plain}{}  {}",
            " ".repeat(label_w - width(&lab)),
            " ".repeat(left_w - width(&l.left)),
            l.left,
            l.keyword,
            " ".repeat(key_w - width(&l.keyword)),
            l.right
        )?;
    }
    if shown < c.total {
        writeln!(
            out,
            "(first {shown} of {} lines; --limit 0 shows all)",
            c.total
        )?;
    }
    writeln!(
        out,
        "{} occurrences of {:?} in {} episodes",
        c.total,
        c.keyword.join(" "),
        c.per_episode.len()
    )?;
    if !c.per_episode.is_empty() {
        let counts: Vec<String> = c
            .per_episode
            .iter()
            .map(|e| format!("{}/{} {}", e.collection, e.number, e.count))
            .collect();
        writeln!(out, "per episode: {}", counts.join(", "))?;
    }
    Ok(code)
}
