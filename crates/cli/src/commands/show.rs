//! `podcorpus show`: one episode in full.

use crate::output;
use std::path::Path;

/// Arguments of `show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The episode: COLLECTION/NUMBER, NUMBER, or a YouTube video id.
    episode: String,
    /// Print the transcript text of every source.
    #[arg(long)]
    text: bool,
}

/// Runs `show`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let store = super::open_read_only(db)?;
    // JSON always carries the transcript text, as its consumers expect it.
    let d = store.show(&args.episode, args.text || json)?;
    if json {
        output::print_json(&d)?;
        return Ok(0);
    }
    let r = &d.row;
    println!(
        "{}  {}",
        r.name(),
        r.title.as_deref().unwrap_or("(untitled)")
    );
    let field = |name: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            println!("{name:<12}{v}");
        }
    };
    if r.collections.len() > 1 {
        let names: Vec<String> = r.collections.iter().map(|n| n.to_string()).collect();
        field("also", Some(&names.join(", ")));
    }
    field("date", r.published.as_deref());
    field("video id", r.video_id.as_deref());
    field("url", r.url.as_deref());
    field("guests", Some(&r.guests.join(", ")));
    field(
        "duration",
        d.row
            .duration_ms
            .map(|ms| output::hms(ms as u64))
            .as_deref(),
    );
    field("tags", Some(&d.tags.join(", ")));
    if let Some(desc) = &d.description {
        println!("\nDescription\n{}", output::indent(desc));
    }
    if !d.chapters.is_empty() {
        println!("\nChapters");
        for (i, c) in d.chapters.iter().enumerate() {
            let at = match (c.start_ms, c.text_pos) {
                (Some(ms), _) => output::hms(ms as u64),
                (None, Some(pos)) => format!("char {pos}"),
                _ => String::new(),
            };
            println!("  {:>2}. {:<12} {}", i + 1, at, c.title);
        }
    }
    println!("\nSources");
    if d.transcripts.is_empty() {
        println!("  (no transcript)");
    }
    for t in &d.transcripts {
        println!(
            "  {:<16} {:<6} {:>8} words {:>7} segments",
            t.source,
            t.language.as_deref().unwrap_or("-"),
            t.words,
            t.segments
        );
        if let Some(p) = store.transcript_provenance(r.id, &t.source)? {
            println!("    {}", super::transcribe::describe_provenance(&p));
        }
    }
    for (i, s) in d.summaries.iter().enumerate() {
        let how = output::provenance(&s.kind, s.method.as_deref(), s.model.as_deref());
        println!(
            "\nSummary {} of the {} ({how}; {})",
            i + 1,
            s.subject.as_str(),
            s.created
        );
        if let Some(p) = &s.params {
            println!("  params: {p}");
        }
        if let Some(h) = &s.prompt_hash {
            println!("  prompt: {h}");
        }
        if let Some(u) = &s.usage {
            println!("  usage:  {u}");
        }
        println!("{}", output::indent(&s.text));
    }
    if !d.comments.is_empty() {
        let threads = d.threads();
        println!(
            "\nComments: {} in {} threads ({} replies); the most liked:",
            d.comments.len(),
            threads.len(),
            d.comments.len() - threads.len()
        );
        for c in d.comments.iter().take(5) {
            let likes = c.likes.map(|l| format!(" ({l} likes)")).unwrap_or_default();
            let reply = if c.parent.is_some() { " (a reply)" } else { "" };
            println!(
                "  {}{likes}{reply}: {}",
                c.author.as_deref().unwrap_or("anonymous"),
                output::clip(&c.text, 200)
            );
        }
    }
    if args.text {
        for t in &d.transcripts {
            println!(
                "\nTranscript: {}\n{}",
                t.source,
                t.text.as_deref().unwrap_or("")
            );
        }
    }
    Ok(0)
}
