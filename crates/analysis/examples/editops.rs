//! Reads pairs of integer sequences, one JSON `[[s1...], [s2...]]` per line on
//! stdin, and prints the edit operations as JSON `[[kind, src, dest], ...]` per
//! line: the format of rapidfuzz's `Levenshtein.editops(s1, s2).as_list()`, so the
//! two can be diffed on random inputs.

use podcorpus_analysis::levenshtein::{editops, EditKind};
use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for line in std::io::stdin().lock().lines() {
        let (s1, s2): (Vec<u32>, Vec<u32>) = serde_json::from_str(&line?)?;
        let ops: Vec<(&str, usize, usize)> = editops(&s1, &s2)
            .iter()
            .map(|o| {
                let kind = match o.kind {
                    EditKind::Replace => "replace",
                    EditKind::Delete => "delete",
                    EditKind::Insert => "insert",
                };
                (kind, o.src, o.dest)
            })
            .collect();
        println!("{}", serde_json::to_string(&ops)?);
    }
    Ok(())
}
