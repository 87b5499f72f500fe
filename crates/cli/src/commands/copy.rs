//! `podcorpus copy --to DEST`: copy the corpus at `--db` into another
//! store, an SQLite file or a PostgreSQL database, ids and all, verified
//! table by table before it commits (how a laptop's corpus moves to the
//! team's server, and back).

use crate::output;
use anyhow::Context;
use podcorpus_store::copy::{self, CopyError, Progress, Stage};
use podcorpus_store::location::{self, Location};
use podcorpus_store::Store;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Arguments of `copy`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to copy the corpus: a new SQLite file, or an empty PostgreSQL
    /// database (`postgres://user@host/db`).
    #[arg(long)]
    to: PathBuf,
}

/// Runs `copy`.
pub fn run(db: &Path, json: bool, args: Args) -> anyhow::Result<i32> {
    let dest = args.to.as_path();
    if same_place(db, dest) {
        anyhow::bail!(
            "the destination {} is the source: name another file or database with --to",
            super::shown(dest)
        );
    }
    let source = copy::open_source(db)
        .with_context(|| format!("opening the corpus {} to copy it", super::shown(db)))?;
    // A file made here is removed again if the copy fails, so that a
    // failed copy leaves the destination as it was: absent.
    let made_file = match location::locate(dest) {
        Location::File(p) if !p.exists() => Some(p.to_path_buf()),
        _ => None,
    };
    let result = Store::open(dest)
        .with_context(|| format!("opening the destination {}", super::shown(dest)))
        .and_then(|destination| {
            let mut shown = Shower::new();
            let copied = copy::copy(&source, &destination, &mut |p| shown.progress(p));
            shown.finish();
            copied.map_err(|e| explain(e, dest))
        });
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            if let Some(file) = made_file {
                for suffix in ["", "-wal", "-shm"] {
                    let mut name = file.clone().into_os_string();
                    name.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(name));
                }
            }
            return Err(e);
        }
    };

    let to = super::shown(dest);
    if json {
        output::print_json(&serde_json::json!({
            "source": super::shown(db),
            "destination": to,
            "tables": report.tables.iter().map(|t| serde_json::json!({
                "table": t.table,
                "rows": t.rows,
                "bytes": t.bytes,
                "seconds": t.seconds,
                "verify_seconds": t.verify_seconds,
                "checksum": t.checksum,
            })).collect::<Vec<_>>(),
            "rows": report.rows(),
            "bytes": report.bytes(),
            "seconds": report.seconds,
            "verified": true,
            "identities": report.identities.iter()
                .map(|(c, next)| (c.clone(), serde_json::json!(next)))
                .collect::<serde_json::Map<_, _>>(),
        }))?;
        return Ok(0);
    }
    let rows: Vec<Vec<String>> = report
        .tables
        .iter()
        .map(|t| {
            vec![
                t.table.to_string(),
                t.rows.to_string(),
                t.bytes.to_string(),
                format!("{:.2}", t.seconds),
                format!("{:.2}", t.verify_seconds),
            ]
        })
        .collect();
    output::print_table(
        &["table", "rows", "bytes", "copy s", "verify s"],
        &rows,
        &[1, 2, 3, 4],
    );
    println!(
        "copied {} rows ({:.1} MB) of {} tables from {} to {} in {:.1} s",
        report.rows(),
        report.bytes() as f64 / 1e6,
        report.tables.len(),
        super::shown(db),
        to,
        report.seconds
    );
    println!(
        "verified: every table has the same rows in both, by count and by checksum of its rows in key order"
    );
    println!(
        "next: `podcorpus --db {to} reindex` builds the search index on this machine (an index is derived data, kept per machine, and is not copied)"
    );
    Ok(0)
}

/// Whether `a` and `b` name the same corpus: the same file, or the same URL.
fn same_place(a: &Path, b: &Path) -> bool {
    match (location::locate(a), location::locate(b)) {
        (Location::Server(x), Location::Server(y)) => {
            x.trim_end_matches('/') == y.trim_end_matches('/')
        }
        (Location::File(x), Location::File(y)) => match (x.canonicalize(), y.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => x == y,
        },
        _ => false,
    }
}

/// A copy's error as the user should read it.
fn explain(e: CopyError, dest: &Path) -> anyhow::Error {
    match e {
        CopyError::Store(e) => anyhow::Error::new(e).context(format!(
            "copying into {}; nothing was kept",
            super::shown(dest)
        )),
        other => anyhow::Error::new(other),
    }
}

/// Shows a big copy's progress on stderr: a line every few seconds (one
/// line rewritten in place on a terminal), nothing for a copy done sooner.
struct Shower {
    start: Instant,
    last: Instant,
    tty: bool,
    shown: bool,
}

impl Shower {
    fn new() -> Shower {
        let now = Instant::now();
        Shower {
            start: now,
            last: now,
            tty: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    fn progress(&mut self, p: Progress<'_>) {
        let every = if self.tty {
            Duration::from_millis(250)
        } else {
            Duration::from_secs(5)
        };
        if self.last.elapsed() < every {
            return;
        }
        self.last = Instant::now();
        let what = match p.stage {
            Stage::Copying => "copying",
            Stage::Verifying => "verifying",
        };
        let line = format!(
            "{what} {}: {} of {} rows ({:.0} s)",
            p.table,
            p.done,
            p.total,
            self.start.elapsed().as_secs_f64()
        );
        let mut err = std::io::stderr().lock();
        let _ = if self.tty {
            write!(err, "\r\x1b[K{line}")
        } else {
            writeln!(err, "{line}")
        };
        self.shown = true;
    }

    fn finish(&self) {
        if self.tty && self.shown {
            eprintln!();
        }
    }
}
