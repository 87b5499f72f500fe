//! `podcorpus similar lexicap/1@754`: the passages nearest in meaning to the
//! passage at a moment of an episode, from the stored embeddings.

use super::search::FilterArgs;
use crate::output;
use podcorpus_search::Hit;
use podcorpus_semantic::{hits, Anchor, VectorIndex};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Arguments of `similar`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The passage: EPISODE@TIME, e.g. lexicap/1@754 (seconds) or lexicap/1@12:34.
    anchor: String,
    /// Most passages to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Include passages of the same episode (by default only other episodes').
    #[arg(long)]
    same_episode: bool,
    #[command(flatten)]
    filter: FilterArgs,
}

/// Prints one hit: its place, its similarity, its link and its text.
fn print_hit(out: &mut impl Write, h: &Hit, bold: &str, plain: &str) -> std::io::Result<()> {
    let mut head = format!("{}/{}", h.collection, h.number);
    if let Some(t) = &h.title {
        head.push_str(&format!("  {}", output::clip(t, 70)));
    }
    writeln!(out, "{bold}{head}{plain}  [{}]  {:.3}", h.source, h.score)?;
    let at = h.timestamp.as_deref().unwrap_or("--:--:--");
    writeln!(out, "  {at}  {}", h.url.as_deref().unwrap_or(""))?;
    writeln!(out, "  {}", h.snippet)
}

/// Runs `similar`; exit code 1 when no other passage is in scope.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let anchor = Anchor::parse(&args.anchor)?;
    let store = super::open_existing(db)?;
    let vectors = VectorIndex::load(&store)?;
    let (this, hits) = hits::similar(
        &store,
        &vectors,
        &anchor,
        &args.filter.filter(),
        args.limit,
        args.same_episode,
    )?;
    let code = if hits.is_empty() { 1 } else { 0 };
    if json {
        output::print_json(&serde_json::json!({ "passage": this, "similar": hits }))?;
        return Ok(code);
    }
    let (bold, plain) = if std::io::stdout().is_terminal() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "passages like this one (similarity is the cosine of their embeddings):"
    )?;
    print_hit(&mut out, &this, bold, plain)?;
    for h in &hits {
        writeln!(out)?;
        print_hit(&mut out, h, bold, plain)?;
    }
    if hits.is_empty() {
        writeln!(
            out,
            "\nno other embedded passage in scope: run `podcorpus embed` over more of the corpus"
        )?;
    }
    Ok(code)
}
