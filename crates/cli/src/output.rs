//! Formatting for the terminal: JSON, aligned tables, times, indentation.

use serde::Serialize;
use std::io::Write;

/// Prints, on stderr, a part of a file that was left out: `warning:
/// PATH:LINE: message`, the way compilers and linters name a place.
pub fn warn_at(path: &str, line: Option<u64>, message: &str) {
    match line {
        Some(l) => eprintln!("warning: {path}:{l}: {message}"),
        None => eprintln!("warning: {path}: {message}"),
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out));
    match written {
        // `podcorpus list --json | head`: the reader has seen enough; not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Prints rows as columns aligned to their widest cell; `right` lists the
/// columns aligned right (numbers).
pub fn print_table(header: &[&str], rows: &[Vec<String>], right: &[usize]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, c) in cells.enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if right.contains(&i) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < widths.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", line(&mut header.iter().copied()));
    for row in rows {
        let _ = writeln!(out, "{}", line(&mut row.iter().map(String::as_str)));
    }
}

/// Cuts a string to `max` characters, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

pub use podcorpus_core::link::hms;

/// Indents every line by two spaces.
pub fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// "kind, method, model" of a summary: its provenance in one line.
pub fn provenance(kind: &str, method: Option<&str>, model: Option<&str>) -> String {
    [Some(kind), method, model]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
