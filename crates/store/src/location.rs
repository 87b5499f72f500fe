//! Where a corpus lives: an SQLite file, or a PostgreSQL server named by a
//! URL in the same `--db` argument; and where what is derived from it (the
//! search index) is kept on this machine.

use std::path::{Path, PathBuf};

/// A corpus's place, read from `--db` (or `PODCORPUS_DB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location<'a> {
    /// An SQLite file.
    File(&'a Path),
    /// A PostgreSQL server: `postgres://` or `postgresql://` URL.
    Server(&'a str),
}

/// Reads `db`: a `postgres://` (or `postgresql://`) URL is a server, anything else a file.
pub fn locate(db: &Path) -> Location<'_> {
    match db.to_str() {
        Some(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => {
            Location::Server(s)
        }
        _ => Location::File(db),
    }
}

/// Whether a corpus can be at `db` without being made: a file that exists,
/// or any server (which is asked when opened).
pub fn exists(db: &Path) -> bool {
    match locate(db) {
        Location::File(p) => p.exists(),
        Location::Server(_) => true,
    }
}

/// The path of something derived from the corpus at `db` and kept on this
/// machine, named `suffix` (`.index`): beside the file, or for a server in
/// `PODCORPUS_CACHE` (default `~/.cache/podcorpus`), under a name made of the
/// server's address and database (never its password).
pub fn derived(db: &Path, suffix: &str) -> PathBuf {
    match locate(db) {
        Location::File(p) => {
            let mut s = p.as_os_str().to_owned();
            s.push(suffix);
            PathBuf::from(s)
        }
        Location::Server(url) => {
            let base = std::env::var_os("PODCORPUS_CACHE")
                .map(PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/podcorpus"))
                })
                .unwrap_or_else(|| PathBuf::from(".podcorpus-cache"));
            base.join(format!("{}{suffix}", server_name(url)))
        }
    }
}

/// `db` as messages show it: a server's URL without its password, a file's path.
pub fn shown(db: &Path) -> String {
    match locate(db) {
        Location::Server(url) => redact(url),
        Location::File(p) => p.display().to_string(),
    }
}

/// `url` without its password, for messages and file names.
pub fn redact(url: &str) -> String {
    crate::pg_conn::redact(url)
}

/// A file name for the server and database of `url`: `host-port-db`,
/// with the user, and with anything but letters, digits, `.`, `_` and `-`
/// written `_`.
fn server_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (user, hostdb) = match rest.rsplit_once('@') {
        Some((u, h)) => (u.split(':').next().unwrap_or(""), h),
        None => ("", rest),
    };
    let name = format!("{user}@{hostdb}");
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_servers_and_get_a_local_folder_without_the_password() {
        assert_eq!(locate(Path::new("c.db")), Location::File(Path::new("c.db")));
        assert_eq!(
            locate(Path::new("postgres://u@h/db")),
            Location::Server("postgres://u@h/db")
        );
        assert_eq!(
            derived(Path::new("/x/c.db"), ".index"),
            PathBuf::from("/x/c.db.index")
        );
        let d = derived(
            Path::new("postgresql://lex:secret@10.0.0.5:5433/corpus?sslmode=disable"),
            ".index",
        );
        let name = d.file_name().unwrap().to_str().unwrap();
        assert_eq!(name, "lex@10.0.0.5_5433_corpus.index");
        assert!(!d.to_string_lossy().contains("secret"));
        assert_eq!(
            shown(Path::new("postgres://lex:secret@h/corpus")),
            "postgres://lex:***@h/corpus"
        );
        assert_eq!(shown(Path::new("/x/c.db")), "/x/c.db");
    }
}
