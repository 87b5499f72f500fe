//! Opening a corpus for reading only, as the web reader does: nothing is
//! migrated or written, and a corpus whose files cannot be written (a
//! read-only share, another user's files) still opens.

use crate::{Result, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A corpus opened for reading, from which connections are made.
pub struct ReadOnly {
    /// The `file:` URI every connection opens.
    uri: String,
    /// How it is read.
    access: Access,
    /// What the reader should know about what it reads, e.g. that it needs
    /// a migration; `None` when the file is read as it is.
    advice: Option<String>,
    /// Keeps an in-memory copy alive while connections come and go (in a
    /// mutex only so that the corpus can be shared between threads).
    _anchor: Option<std::sync::Mutex<Connection>>,
    /// The server's URL, when the corpus is on one: `uri` is unused then.
    server: Option<String>,
}

/// How a read-only file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Shared with writers as any SQLite reader: an import in another
    /// process is seen when it commits. SQLite keeps the WAL's index beside
    /// the file (`-wal`, `-shm`), creating the pair when absent.
    Shared,
    /// The folder cannot be written, so SQLite cannot keep the WAL's index:
    /// the file is read as immutable, and nothing may change it meanwhile.
    Immutable,
    /// Written by an older podcorpus: a copy migrated in memory is read.
    MigratedCopy,
    /// On a PostgreSQL server, in read-only transactions: commits of
    /// writers anywhere are seen as they happen.
    Server,
}

/// Copies made of old corpora in this process, to name each one apart.
static COPIES: AtomicU64 = AtomicU64::new(0);

impl ReadOnly {
    /// Opens the database at `path` for reading. A database of an older
    /// schema is copied into memory and migrated there (the file is left as
    /// it is, and [`ReadOnly::advice`] says how to upgrade it); one of a
    /// newer schema is refused.
    pub fn open(path: &Path) -> Result<ReadOnly> {
        if let crate::location::Location::Server(url) = crate::location::locate(path) {
            return Self::open_server(url);
        }
        if !path.is_file() {
            return Err(StoreError::NotFound(crate::no_corpus_at(path)));
        }
        let shared = file_uri(path, false);
        let (conn, uri, access) = match probe(&shared) {
            Ok(conn) => (conn, shared, Access::Shared),
            // SQLite cannot create the WAL's index beside a file it may
            // not write; read it as immutable, or report the first reason.
            Err(first) => {
                let immutable = file_uri(path, true);
                match probe(&immutable) {
                    Ok(conn) => (conn, immutable, Access::Immutable),
                    Err(_) => {
                        return Err(StoreError::Open {
                            path: path.display().to_string(),
                            source: first,
                        })
                    }
                }
            }
        };
        let (version, known) = crate::schema_version(&conn)?;
        if version == known {
            let advice = (access == Access::Immutable).then(|| {
                format!(
                    "{} is read as immutable (its folder cannot be written, so SQLite cannot share it with writers): restart to see changes",
                    path.display()
                )
            });
            return Ok(ReadOnly {
                uri,
                access,
                advice,
                _anchor: None,
                server: None,
            });
        }
        let copy = format!(
            "file:podcorpus-copy-{}-{}?mode=memory&cache=shared",
            std::process::id(),
            COPIES.fetch_add(1, Ordering::Relaxed)
        );
        let mut anchor = Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // 4 MB a step (of 4 KB pages), no pause: the copy is this process's.
        rusqlite::backup::Backup::new(&conn, &mut anchor)?.run_to_completion(
            1024,
            std::time::Duration::ZERO,
            None,
        )?;
        let migrated = Store::setup(anchor)?;
        Ok(ReadOnly {
            uri: copy,
            access: Access::MigratedCopy,
            advice: Some(format!(
                "{} was written by an older podcorpus (schema {version}; this one reads {known}): serving a copy migrated in memory, which does not see later changes; `podcorpus --db {} reindex` upgrades the file and its search index once",
                path.display(),
                path.display()
            )),
            _anchor: Some(std::sync::Mutex::new(migrated)),
            server: None,
        })
    }

    /// Opens the corpus on the server at `url` for reading: a schema of
    /// another version is refused (a server's schema is brought up to date
    /// by any command that writes, never by a reader).
    fn open_server(url: &str) -> Result<ReadOnly> {
        let probe = connect_server(url)?;
        let found: i64 = probe
            .db()
            .query_opt(
                "SELECT version FROM podcorpus_meta",
                &[],
                |r| r.get(0),
            )
            .map_err(|_| {
                StoreError::NotFound(format!(
                    "no corpus on {}: import something first, e.g. `podcorpus --db {} import notes.txt`",
                    crate::pg_conn::redact(url),
                    crate::pg_conn::redact(url)
                ))
            })?
            .unwrap_or(0);
        let known = crate::schema::MIGRATIONS.len() as i64;
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        if found < known {
            return Err(StoreError::NotFound(format!(
                "the corpus on {} has schema version {found}, older than this podcorpus reads ({known}); a reader never migrates it: `podcorpus --db {} reindex` (or any command that writes) upgrades it once",
                crate::pg_conn::redact(url),
                crate::pg_conn::redact(url)
            )));
        }
        Ok(ReadOnly {
            uri: String::new(),
            access: Access::Server,
            advice: None,
            _anchor: None,
            server: Some(url.to_string()),
        })
    }

    /// How the corpus is read.
    pub fn access(&self) -> Access {
        self.access
    }

    /// What the reader should be told about the corpus, if anything.
    pub fn advice(&self) -> Option<&str> {
        self.advice.as_deref()
    }

    /// A new read-only connection to the corpus.
    pub fn connect(&self) -> Result<Store> {
        match &self.server {
            Some(url) => connect_server(url),
            None => Ok(Store::sqlite(connect(&self.uri)?)),
        }
    }
}

/// A connection to the server at `url` whose transactions are read-only:
/// the server itself refuses any write made through it.
fn connect_server(url: &str) -> Result<Store> {
    let pg = crate::pg_conn::Postgres::connect(url)?;
    crate::sql::Conn::batch(&pg, "SET default_transaction_read_only = on")?;
    Ok(Store::from_conn(Box::new(pg)))
}

/// Opens `uri` read-only with the store's reading settings.
fn connect(uri: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The SQL functions queries call (the list's match and sort keys).
    crate::query::register_functions(&conn)?;
    conn.pragma_update(None, "cache_size", -16384)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

/// Opens `uri` and reads from it, which is when SQLite opens (or fails to
/// open) the WAL's index.
fn probe(uri: &str) -> rusqlite::Result<Connection> {
    let conn = connect(uri)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    Ok(conn)
}

/// The `file:` URI of `path` (absolute, percent-encoded as SQLite's URI
/// rules ask), read-only, and immutable if asked.
fn file_uri(path: &Path, immutable: bool) -> String {
    let absolute: PathBuf = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    // Every byte that is not plain ASCII is written %HH, which SQLite
    // decodes back to the same bytes, so any path a file system allows works.
    for &b in absolute.as_os_str().as_encoded_bytes() {
        match b {
            b'?' | b'#' | b'%' => uri.push_str(&format!("%{b:02X}")),
            b if b.is_ascii() && !b.is_ascii_control() => uri.push(b as char),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro");
    if immutable {
        uri.push_str("&immutable=1");
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_sqlite_reads_as_query_or_fragment() {
        let u = file_uri(Path::new("/a b/c?d#e%f.db"), true);
        assert_eq!(u, "file:/a b/c%3Fd%23e%25f.db?mode=ro&immutable=1");
        let u = file_uri(Path::new("/corpus/café.db"), false);
        assert_eq!(u, "file:/corpus/caf%C3%A9.db?mode=ro");
    }
}
