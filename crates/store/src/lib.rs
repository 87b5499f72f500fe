//! The podcorpus store: one SQLite file is the source of truth for the corpus
//! (WAL, foreign keys, versioned migrations), written in transactions of
//! whole files so that a failed or interrupted import never leaves half a file.

pub mod analysis_feed;
mod checkpoint;
pub mod copy;
pub mod embeddings;
pub mod export_feed;
pub mod fetch_state;
pub mod location;
mod merge;
mod pg_conn;
mod pg_schema;
mod provenance;
pub mod query;
mod read_only;
mod schema;
pub mod seams;
pub mod search_feed;
pub mod sql;
mod sqlite_conn;
pub mod summaries;
pub mod write;

pub use read_only::{Access, ReadOnly};
use rusqlite::Connection;
use sql::Conn;
use std::path::Path;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database file could not be opened.
    #[error("cannot open the database {path}: {source}")]
    Open {
        /// The database path.
        path: String,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The database was written by a newer podcorpus.
    #[error("the database has schema version {found}, newer than this podcorpus knows ({known}); upgrade podcorpus")]
    TooNew {
        /// Version found in the file.
        found: i64,
        /// Highest version this build knows.
        known: i64,
    },
    /// A database server refused, or could not be reached.
    #[error("{0}")]
    Server(String),
    /// No episode matches what the user named.
    #[error("{0}")]
    NotFound(String),
    /// A stored JSON column did not parse (the database was edited by hand?).
    #[error("corrupt value in the database: {0}")]
    Corrupt(String),
}

/// Result alias for the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open corpus database, on any engine with a [`Conn`].
pub struct Store {
    db: Box<dyn Conn + Send>,
    /// Inside a transaction opened by [`Store::begin`], where cues may be
    /// held for one bulk write at the commit ([`Conn::insert_rows_later`]).
    writing: std::sync::atomic::AtomicBool,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let location::Location::Server(url) = location::locate(path) {
            return Self::open_server(url);
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Self::sqlite(Self::setup(conn)?))
    }

    /// Connects to the PostgreSQL server at `url` and brings its schema up
    /// to date (creating it in an empty database). Two processes opening
    /// at once take turns: the migration holds an advisory lock.
    pub fn open_server(url: &str) -> Result<Store> {
        let pg = pg_conn::Postgres::connect(url)?;
        {
            let db: &dyn Conn = &pg;
            db.batch("BEGIN; SELECT pg_advisory_xact_lock(7277011)")?;
            let migrated = migrate_server(db);
            match migrated {
                Ok(()) => db.batch("COMMIT")?,
                Err(e) => {
                    let _ = db.batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
        Ok(Self::from_conn(Box::new(pg)))
    }

    /// An in-memory database, for tests and tools that need no file.
    pub fn open_in_memory() -> Result<Store> {
        Ok(Self::sqlite(Self::setup(Connection::open_in_memory()?)?))
    }

    /// A store over an engine's connection set up already.
    pub(crate) fn from_conn(db: Box<dyn Conn + Send>) -> Store {
        Store {
            db,
            writing: Default::default(),
        }
    }

    /// A store over an SQLite connection set up already.
    pub(crate) fn sqlite(conn: Connection) -> Store {
        Self::from_conn(Box::new(conn))
    }

    /// Sets an SQLite connection up as the store wants it and migrates its schema.
    fn setup(conn: Connection) -> Result<Connection> {
        query::register_functions(&conn)?;
        // WAL lets readers (search, serve) run while an import writes;
        // NORMAL sync is durable at each checkpoint and safe against corruption in WAL mode.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 16 MB of page cache: an import touches the segment B-tree's right edge
        // and the indexes constantly; the default 2 MB thrashes. 64 MB was no
        // faster on Lexicap and cost 50 MB of peak memory.
        conn.pragma_update(None, "cache_size", -16384)?;
        // Savepoints (one per file of an import) and multi-row statements keep
        // a journal of the pages they change, in a temp file by default: that
        // cost a quarter of the writer's time in syscalls. It is at most a few
        // MB, so keep it in memory.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let (version, known) = schema_version(&conn)?;
        if version < known {
            // Rebuilding a table (SQLite's way to change its constraints)
            // needs foreign keys off, or dropping the old one would cascade;
            // they are checked before each migration commits.
            conn.pragma_update(None, "foreign_keys", "OFF")?;
            for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                let tx = conn.unchecked_transaction()?;
                tx.execute_batch(sql)?;
                schema::after(i + 1, &tx)?;
                let broken: Option<String> = tx
                    .prepare("PRAGMA foreign_key_check")?
                    .query_map([], |r| r.get(0))?
                    .next()
                    .transpose()?;
                if let Some(table) = broken {
                    return Err(StoreError::Corrupt(format!(
                        "migration {} would leave rows of {table} pointing nowhere; the database was not changed",
                        i + 1
                    )));
                }
                tx.pragma_update(None, "user_version", (i + 1) as i64)?;
                tx.commit()?;
            }
            conn.pragma_update(None, "foreign_keys", "ON")?;
        }
        Ok(conn)
    }

    /// The engine, for the store's own modules.
    pub(crate) fn db(&self) -> &dyn Conn {
        self.db.as_ref()
    }

    /// A number that changes when another connection (of this or another
    /// process) has committed a change to the corpus since this connection
    /// last asked (SQLite's `PRAGMA data_version`): a reader that keeps one
    /// connection for asking knows the corpus changed.
    pub fn data_version(&self) -> Result<i64> {
        self.db.data_version()
    }

    /// Checks the engine's own integrity and the foreign keys; returns the problems found.
    pub fn check(&self) -> Result<Vec<String>> {
        self.db.check()
    }
}

/// The schema version of the database on `conn` and the newest this build
/// knows; a database newer than that is refused (it would be misread).
pub(crate) fn schema_version(conn: &Connection) -> Result<(i64, i64)> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = schema::MIGRATIONS.len() as i64;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    Ok((found, known))
}

/// Creates the bookkeeping table of a server's schema when absent, then
/// runs the migrations past its version, inside the caller's transaction.
fn migrate_server(db: &dyn Conn) -> Result<()> {
    let has_meta: i64 = db.one(
        "SELECT count(*) FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name = 'podcorpus_meta'",
        &[],
    )?;
    if has_meta == 0 {
        db.batch(
            "CREATE TABLE podcorpus_meta (version BIGINT NOT NULL, data_version BIGINT NOT NULL);
             INSERT INTO podcorpus_meta VALUES (0, 0)",
        )?;
    }
    let found: i64 = db.one("SELECT version FROM podcorpus_meta", &[])?;
    let known = schema::MIGRATIONS.len() as i64;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (i, sql) in pg_schema::MIGRATIONS.iter().enumerate() {
        let version = pg_schema::FIRST + i as i64;
        if version > found {
            db.batch(sql)?;
            db.execute("UPDATE podcorpus_meta SET version = ?1", p![version])?;
        }
    }
    Ok(())
}

/// What to tell a user whose corpus database at `path` does not exist.
pub fn no_corpus_at(path: &Path) -> String {
    format!(
        "no corpus database at {} — import something first, e.g. `podcorpus import notes.txt`, or pass --db PATH",
        path.display()
    )
}
