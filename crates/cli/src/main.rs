//! The `podcorpus` command: parses arguments, calls the library, prints.

mod commands;
mod output;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Turn YouTube channels and transcripts into a clean, searchable, measurable
/// corpus of spoken English.
#[derive(Debug, Parser)]
#[command(name = "podcorpus", version, about)]
struct Cli {
    /// The corpus database.
    #[arg(
        long,
        global = true,
        env = "PODCORPUS_DB",
        default_value = "podcorpus.db"
    )]
    db: PathBuf,

    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import transcript files and folders (notes documents, WebVTT, SRT,
    /// YouTube json3, yt-dlp info.json with its subtitles).
    Import(commands::import::Args),
    /// List the episodes in the corpus.
    List(commands::list::Args),
    /// Show one episode: metadata, chapters, sources, summaries.
    Show(commands::show::Args),
    /// Search the transcripts (or, with --in comments, viewers' comments):
    /// ranked passages with a link to the second.
    Search(commands::search::Args),
    /// Concordance: every occurrence of a word or phrase in its context
    /// (in the transcripts, or with --in comments in viewers' comments).
    Kwic(commands::kwic::Args),
    /// Rebuild the search index from the database.
    Reindex(commands::reindex::Args),
    /// Compute passage embeddings (all-MiniLM-L6-v2, offline) for semantic
    /// search and `similar`; only new or changed passages are computed.
    Embed(commands::embed::Args),
    /// Passages like the one at a moment of an episode: `similar lexicap/1@754`.
    Similar(commands::similar::Args),
    /// Fetch a channel, playlist or video with yt-dlp and import it.
    Fetch(commands::fetch::Args),
    /// Transcribe audio or video files, or episodes whose audio is at hand,
    /// with Whisper (faster-whisper, offline) and import the transcripts.
    Transcribe(commands::transcribe::Args),
    /// Fill the notes document in place: every slot with only a link gets
    /// the video's date, title, timed transcript and summary (yt-dlp).
    Fill(commands::fill::Args),
    /// Read, search and chart the corpus in a browser.
    Serve(commands::serve::Args),
    /// Summarize episodes: extractive key points (default) or an LLM summary
    /// through any OpenAI-compatible server; stored with provenance.
    Summarize(commands::summarize::Args),
    /// ROUGE-1/2/L of one summary against another (as rouge-score computes them).
    EvalSummary(commands::eval_summary::Args),
    /// Word and character error rate of one transcript against another
    /// (two sources of an episode, every episode with --all, or two files).
    Compare(commands::compare::Args),
    /// Language statistics: tokens, types, TTR, MATTR, hapax, words per cue,
    /// speaking rate, fillers, non-speech tags; --plot draws SVG charts.
    Stats(commands::stats::Args),
    /// Word or n-gram frequency list.
    Freq(commands::freq::Args),
    /// Keywords of an episode (or a guest) against the rest, by log-likelihood.
    Keywords(commands::keywords::Args),
    /// Collocates of a word within a window: log-Dice, MI, t-score.
    Collocates(commands::collocates::Args),
    /// Vocabulary profile: each wordfreq frequency band's share of tokens
    /// and types (1k ... 20k, off-list), for an episode, a guest, or by
    /// episode or guest side by side; the off-list words.
    Profile(commands::profile::Args),
    /// Clusters: the n-grams that hold a word or phrase at a position, with
    /// frequency and range (AntConc's Clusters).
    Clusters(commands::clusters::Args),
    /// Dispersion of a word or phrase: one barcode row per episode, range,
    /// Juilland's D, Gries' DP; --plot draws the rows as SVG.
    Dispersion(commands::dispersion::Args),
    /// Occurrences per million tokens per year or month of publication, for
    /// several words or phrases at once; --plot draws the lines as SVG.
    Trend(commands::trend::Args),
    /// Export the corpus: notes document, JSONL, Parquet, CSV, text, WebVTT/SRT
    /// subtitles or a Hugging Face dataset folder.
    Export(commands::export::Args),
    /// Copy the corpus into another store (a new SQLite file or an empty
    /// PostgreSQL database), ids kept, verified table by table.
    Copy(commands::copy::Args),
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PODCORPUS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // Commands that may run the embedding model keep its activations in the
    // heap (set before any thread starts); the others keep glibc's defaults.
    if matches!(
        cli.command,
        Command::Embed(_) | Command::Search(_) | Command::Serve(_)
    ) {
        podcorpus_semantic::embed::tune_allocator();
    }
    let result = match cli.command {
        Command::Import(args) => commands::import::run(&cli.db, cli.json, args),
        Command::List(args) => commands::list::run(&cli.db, cli.json, args),
        Command::Show(args) => commands::show::run(&cli.db, cli.json, args),
        Command::Search(args) => commands::search::run(&cli.db, cli.json, args),
        Command::Kwic(args) => commands::kwic::run(&cli.db, cli.json, args),
        Command::Reindex(args) => commands::reindex::run(&cli.db, cli.json, args),
        Command::Embed(args) => commands::embed::run(&cli.db, cli.json, args),
        Command::Similar(args) => commands::similar::run(&cli.db, cli.json, args),
        Command::Fetch(args) => commands::fetch::run(&cli.db, cli.json, args),
        Command::Transcribe(args) => commands::transcribe::run(&cli.db, cli.json, args),
        Command::Fill(args) => commands::fill::run(&cli.db, cli.json, args),
        Command::Serve(args) => commands::serve::run(&cli.db, cli.json, args),
        Command::Summarize(args) => commands::summarize::run(&cli.db, cli.json, args),
        Command::EvalSummary(args) => commands::eval_summary::run(&cli.db, cli.json, args),
        Command::Compare(args) => commands::compare::run(&cli.db, cli.json, args),
        Command::Stats(args) => commands::stats::run(&cli.db, cli.json, args),
        Command::Freq(args) => commands::freq::run(&cli.db, cli.json, args),
        Command::Keywords(args) => commands::keywords::run(&cli.db, cli.json, args),
        Command::Collocates(args) => commands::collocates::run(&cli.db, cli.json, args),
        Command::Profile(args) => commands::profile::run(&cli.db, cli.json, args),
        Command::Clusters(args) => commands::clusters::run(&cli.db, cli.json, args),
        Command::Dispersion(args) => commands::dispersion::run(&cli.db, cli.json, args),
        Command::Trend(args) => commands::trend::run(&cli.db, cli.json, args),
        Command::Export(args) => commands::export::run(&cli.db, cli.json, args),
        Command::Copy(args) => commands::copy::run(&cli.db, cli.json, args),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}
