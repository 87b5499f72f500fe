//! Prints the embeddings of the lines of standard input as JSON arrays, one
//! per line, and the throughput as JSON on standard error:
//! `cargo run --release -p podcorpus-semantic --example embed_texts < sentences.txt`.

use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    podcorpus_semantic::embed::tune_allocator();
    let dir = podcorpus_semantic::model::locate(None)?;
    let embedder = podcorpus_semantic::Embedder::load(&dir)?;
    let lines: Vec<String> = std::io::stdin().lock().lines().collect::<Result<_, _>>()?;
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let t = std::time::Instant::now();
    let v = embedder.embed(&texts)?;
    let secs = t.elapsed().as_secs_f64();
    // The same line as bench/semantic_peer.py's, for bench/semantic.sh.
    eprintln!(
        "{}",
        serde_json::json!({"passages": texts.len(), "seconds": secs,
                           "passages_per_second": texts.len() as f64 / secs})
    );
    for row in v.chunks(embedder.dim()) {
        println!("{}", serde_json::to_string(row)?);
    }
    Ok(())
}
