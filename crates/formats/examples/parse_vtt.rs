//! Measures the WebVTT reader on a folder of `.vtt` files (the Lexicap
//! corpus): reads every file into memory first, then parses them all on one
//! thread into a sink that only counts (cues, and words with `count_words`),
//! so the time is the parser's and the counting's, not the disk's. A second
//! pass counts cues only, which is the reader's own cost.
//!
//! `cargo run --release -p podcorpus-formats --example parse_vtt -- DIR`

use podcorpus_core::{text::count_words, Episode, Sink};
use podcorpus_formats::{decode::decode, Context, FileHints, Format};
use std::time::Instant;

/// Counts what the reader pushes and keeps nothing.
#[derive(Default)]
struct Count {
    episodes: u64,
    cues: u64,
    words: u64,
}

impl Sink for Count {
    type Error = std::convert::Infallible;

    fn episode(&mut self, episode: Episode) -> Result<(), Self::Error> {
        self.episodes += 1;
        for t in &episode.transcripts {
            self.cues += t.segments.len() as u64;
            self.words += t.segments.iter().map(|s| count_words(&s.text)).sum::<u64>();
        }
        Ok(())
    }
}

/// Counts cues only: the cost of the reader itself.
#[derive(Default)]
struct Bare {
    cues: u64,
}

impl Sink for Bare {
    type Error = std::convert::Infallible;

    fn episode(&mut self, episode: Episode) -> Result<(), Self::Error> {
        self.cues += episode
            .transcripts
            .iter()
            .map(|t| t.segments.len() as u64)
            .sum::<u64>();
        Ok(())
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/corpus/lexicap".to_string());
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "vtt"))
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes =
                std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (name, bytes)
        })
        .collect();
    files.sort();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let started = Instant::now();
    let mut count = Count::default();
    let mut failed = 0;
    for (name, data) in &files {
        let ctx = Context {
            hints: FileHints::from_file_name(name),
            ..Context::default()
        };
        let result = decode(data)
            .map_err(Into::into)
            .and_then(|(text, _)| Format::WebVtt.read(&ctx, &text, &mut count));
        if let Err(e) = result {
            failed += 1;
            eprintln!("{name}: {e}");
        }
    }
    let secs = started.elapsed().as_secs_f64();

    // Again without counting words, to see the reader's own share.
    let started = Instant::now();
    let mut bare = Bare::default();
    for (name, data) in &files {
        let ctx = Context {
            hints: FileHints::from_file_name(name),
            ..Context::default()
        };
        if let Ok((text, _)) = decode(data) {
            let _ = Format::WebVtt.read(&ctx, &text, &mut bare);
        }
    }
    let parse_secs = started.elapsed().as_secs_f64();
    assert_eq!(bare.cues, count.cues);

    println!("files   {}", files.len());
    println!("failed  {failed}");
    println!("bytes   {bytes}");
    println!("cues    {}", count.cues);
    println!("words   {}", count.words);
    println!("seconds {secs:.3}");
    println!("MB/s    {:.0}", bytes as f64 / 1e6 / secs);
    println!("seconds without word counting {parse_secs:.3}");
}
