//! Copying a corpus from one store into another of either engine
//! (`podcorpus copy`): every table with its ids, read in pages by primary
//! key, written in one transaction of the destination, and verified (row
//! counts and a checksum of every table, read back from the destination)
//! before that transaction commits, so a failed copy leaves nothing behind.

use crate::location::Location;
use crate::sql::{Conn, Dialect, Param, Val};
use crate::{ReadOnly, Store, StoreError};
use std::path::Path;
use std::time::Instant;

/// A table of the schema as the copy reads it.
struct Table {
    /// Its name.
    name: &'static str,
    /// Its primary key: the order rows are read in and pages are cut by.
    key: &'static [&'static str],
    /// Rows read per page: bounds the memory a page takes (on PostgreSQL a
    /// query's rows are read whole), smaller where one row can be large.
    page: usize,
}

/// Rows per page of a table of small rows: 10,000 cues are a few MB.
const PAGE: usize = 10_000;

/// Every table of the schema, parents before children, which is the order
/// inserts satisfy the foreign keys in. A table the schema gains must be
/// added here; the tests compare this list with each engine's catalog, and
/// a copy refuses a source holding a table it lacks.
const TABLES: &[Table] = &[
    Table {
        name: "collections",
        key: &["id"],
        page: PAGE,
    },
    Table {
        name: "files",
        key: &["id"],
        page: PAGE,
    },
    // A notes document's whole text is one row: a few MB each.
    Table {
        name: "documents",
        key: &["file_id"],
        page: 8,
    },
    Table {
        name: "episodes",
        key: &["id"],
        page: 2_000,
    },
    Table {
        name: "memberships",
        key: &["episode_id", "collection_id"],
        page: PAGE,
    },
    Table {
        name: "chapters",
        key: &["episode_id", "origin", "idx"],
        page: PAGE,
    },
    Table {
        name: "transcripts",
        key: &["id"],
        page: PAGE,
    },
    Table {
        name: "segments",
        key: &["transcript_id", "idx"],
        page: PAGE,
    },
    Table {
        name: "summaries",
        key: &["id"],
        page: 2_000,
    },
    Table {
        name: "comments",
        key: &["episode_id", "idx"],
        page: PAGE,
    },
    Table {
        name: "fetch_runs",
        key: &["id"],
        page: PAGE,
    },
    Table {
        name: "fetch_items",
        key: &["run_id", "idx"],
        page: PAGE,
    },
    // Each fetch worker's last word (a worker's name is its key).
    Table {
        name: "fetch_workers",
        key: &["name"],
        page: PAGE,
    },
    // A language model's answer may be long.
    Table {
        name: "llm_cache",
        key: &["key"],
        page: 500,
    },
    // 1.5 KB a vector of 384 floats.
    Table {
        name: "embeddings",
        key: &["model", "hash"],
        page: 5_000,
    },
    Table {
        name: "embedded_transcripts",
        key: &["model", "transcript_id"],
        page: PAGE,
    },
    Table {
        name: "embedded_passages",
        key: &["model", "transcript_id", "ordinal"],
        page: PAGE,
    },
];

/// The tables a copy copies, in the order it copies them.
pub fn tables() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|t| t.name)
}

/// Why a copy did not happen or did not verify.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The copy was not started: the reason and what to do.
    #[error("{0}")]
    Refused(String),
    /// What was read back from the destination is not what was read from
    /// the source; the destination's transaction was rolled back.
    #[error("verification failed for table {table}: {source_rows} rows in the source, {destination_rows} in the destination{detail}; the destination was left as it was")]
    Mismatch {
        /// The table.
        table: String,
        /// Its rows in the source.
        source_rows: u64,
        /// Its rows in the destination.
        destination_rows: u64,
        /// What else differs (the checksums), or nothing.
        detail: String,
    },
    /// An engine failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a copy did with one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableReport {
    /// The table.
    pub table: &'static str,
    /// Rows copied (equal in the source and, verified, in the destination).
    pub rows: u64,
    /// Bytes of the values copied (text and blobs by length, numbers 8).
    pub bytes: u64,
    /// Seconds spent reading and writing it.
    pub seconds: f64,
    /// Seconds spent reading it back and comparing.
    pub verify_seconds: f64,
    /// blake3 of its rows in key order, the same on both sides (hex).
    pub checksum: String,
}

/// What a copy did.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyReport {
    /// Every table, in the order copied.
    pub tables: Vec<TableReport>,
    /// On a PostgreSQL destination: each identity column's next value,
    /// set past the ids copied so that later inserts do not collide.
    pub identities: Vec<(String, i64)>,
    /// Seconds from start to commit.
    pub seconds: f64,
}

impl CopyReport {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }

    /// Bytes copied in all.
    pub fn bytes(&self) -> u64 {
        self.tables.iter().map(|t| t.bytes).sum()
    }
}

/// What a copy is doing, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading from the source and writing to the destination.
    Copying,
    /// Reading the destination back.
    Verifying,
}

/// Progress of a copy: `done` of `total` rows of `table`.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// What is being done.
    pub stage: Stage,
    /// The table.
    pub table: &'a str,
    /// Rows done.
    pub done: u64,
    /// Rows the table holds.
    pub total: u64,
}

/// One value read, owned so that a page outlives the query that read it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    fn read(v: Val<'_>) -> Value {
        match v {
            Val::Null => Value::Null,
            Val::Int(i) => Value::Int(i),
            Val::Real(f) => Value::Real(f),
            Val::Text(s) => Value::Text(s.to_string()),
            Val::Blob(b) => Value::Blob(b.to_vec()),
        }
    }

    fn param(&self) -> Param<'_> {
        match self {
            Value::Null => Param::Null,
            Value::Int(i) => Param::Int(*i),
            Value::Real(f) => Param::Real(*f),
            Value::Text(s) => Param::Text(s),
            Value::Blob(b) => Param::Blob(b),
        }
    }

    fn bytes(&self) -> u64 {
        match self {
            Value::Null => 0,
            Value::Int(_) | Value::Real(_) => 8,
            Value::Text(s) => s.len() as u64,
            Value::Blob(b) => b.len() as u64,
        }
    }

    /// Feeds the value to a checksum, tagged by its type so that 1, 1.0,
    /// '1' and NULL all differ, and text by its length so that no two rows
    /// render alike.
    fn hash(&self, h: &mut blake3::Hasher) {
        match self {
            Value::Null => {
                h.update(b"N");
            }
            Value::Int(i) => {
                h.update(b"I");
                h.update(&i.to_le_bytes());
            }
            Value::Real(f) => {
                h.update(b"R");
                h.update(&f.to_bits().to_le_bytes());
            }
            Value::Text(s) => {
                h.update(b"T");
                h.update(&(s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            Value::Blob(b) => {
                h.update(b"B");
                h.update(&(b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }
}

/// The schema version of the corpus in `store` (SQLite: `user_version`;
/// PostgreSQL: `podcorpus_meta`).
pub fn schema_version(store: &Store) -> Result<i64, StoreError> {
    version_of(store.db())
}

fn version_of(db: &dyn Conn) -> Result<i64, StoreError> {
    match db.sqlite() {
        // The version is SQLite's own header field, which only a PRAGMA reads.
        Some(conn) => Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?),
        None => db.one("SELECT version FROM podcorpus_meta", &[]),
    }
}

/// The tables in the engine's catalog (without the engine's own and, on
/// PostgreSQL, without the bookkeeping table `podcorpus_meta`, which each
/// database keeps for itself).
pub fn catalog_tables(store: &Store) -> Result<Vec<String>, StoreError> {
    catalog_tables_of(store.db())
}

fn catalog_tables_of(db: &dyn Conn) -> Result<Vec<String>, StoreError> {
    let sql = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND table_name <> 'podcorpus_meta' ORDER BY 1"
        }
    };
    db.query_map(sql, &[], |r| r.get(0))
}

/// The columns of `table` in the engine's catalog, in their order.
fn catalog_columns(db: &dyn Conn, table: &str) -> Result<Vec<String>, StoreError> {
    let sql = match db.dialect() {
        // SQLite's catalog of columns is a pragma, read as a table.
        Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
        Dialect::Postgres => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_schema = current_schema() AND CAST(table_name AS TEXT) = ?1
             ORDER BY ordinal_position"
        }
    };
    db.query_map(sql, crate::p![table], |r| r.get(0))
}

/// Opens the corpus at `path` (a file or a server's URL) to be copied
/// from: for reading only, and only if it is of this build's schema
/// version (a copy never migrates its source; the user does, knowingly).
pub fn open_source(path: &Path) -> Result<Store, CopyError> {
    if let Location::File(file) = crate::location::locate(path) {
        if !file.is_file() {
            return Err(CopyError::Refused(crate::no_corpus_at(path)));
        }
        // The version is read before anything else: the reader would
        // otherwise copy an old file into memory to migrate it there.
        // A file this cannot open is left to the reader, which says why.
        let found =
            rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|conn| {
                    conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
                })
                .ok();
        if let Some(found) = found {
            check_source_version(found)?;
        }
    }
    let source = ReadOnly::open(path)?.connect()?;
    check_source_version(version_of(source.db())?)?;
    Ok(source)
}

fn check_source_version(found: i64) -> Result<(), CopyError> {
    let known = crate::schema::MIGRATIONS.len() as i64;
    if found == known {
        return Ok(());
    }
    Err(CopyError::Refused(format!(
        "the source corpus has schema version {found}, this podcorpus copies version {known}: open it with this podcorpus first (e.g. `podcorpus --db SOURCE reindex`, or any command that writes), which migrates it, then copy"
    )))
}

/// Copies the corpus in `source` into `destination`, which must be empty
/// and of this build's schema version, as `source` must be. Rows keep
/// their ids. Everything is written in one transaction of the destination,
/// committed only when every table's row count and checksum read back from
/// the destination equal the source's; `progress` hears of each page.
pub fn copy(
    source: &Store,
    destination: &Store,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<CopyReport, CopyError> {
    let src = source.db();
    let dst = destination.db();
    let known = crate::schema::MIGRATIONS.len() as i64;
    check_source_version(version_of(src)?)?;
    let to = version_of(dst)?;
    if to != known {
        return Err(CopyError::Refused(format!(
            "the destination has schema version {to}, this podcorpus writes version {known}; copy into a new, empty database"
        )));
    }
    // The source is read in one transaction, so that what is copied and
    // what it is compared with are one snapshot even if someone writes to
    // the source meanwhile.
    src.batch(match src.dialect() {
        Dialect::Sqlite => "BEGIN",
        Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ",
    })?;
    let copied = in_transaction(dst, || copy_all(src, dst, progress));
    // Nothing was written to the source: ending its snapshot cannot lose anything.
    let _ = src.batch("ROLLBACK");
    copied
}

/// Runs `f` in a transaction of `db`, committed if it succeeds and rolled
/// back if it fails.
fn in_transaction<T>(
    db: &dyn Conn,
    f: impl FnOnce() -> Result<T, CopyError>,
) -> Result<T, CopyError> {
    db.batch("BEGIN IMMEDIATE")?;
    match f() {
        Ok(v) => match db.batch("COMMIT") {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = db.batch("ROLLBACK");
                Err(e.into())
            }
        },
        Err(e) => {
            let _ = db.batch("ROLLBACK");
            Err(e)
        }
    }
}

/// What the copy knows of a table before copying it.
struct Plan<'t> {
    table: &'t Table,
    columns: Vec<String>,
    /// Where each key column is among `columns`.
    key_at: Vec<usize>,
    /// Rows in the source's snapshot.
    rows: u64,
}

fn copy_all(
    src: &dyn Conn,
    dst: &dyn Conn,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<CopyReport, CopyError> {
    let start = Instant::now();
    let known: Vec<&str> = tables().collect();
    for (side, db) in [("source", src), ("destination", dst)] {
        let unknown: Vec<String> = catalog_tables_of(db)?
            .into_iter()
            .filter(|t| !known.contains(&t.as_str()))
            .collect();
        if !unknown.is_empty() {
            return Err(CopyError::Refused(format!(
                "the {side} has tables this podcorpus does not know how to copy ({}): it was changed by hand or by another podcorpus",
                unknown.join(", ")
            )));
        }
    }
    let mut held = Vec::new();
    for t in TABLES {
        let n: i64 = dst.one(&format!("SELECT count(*) FROM {}", t.name), &[])?;
        if n > 0 {
            held.push(format!("{} {}", n, t.name));
        }
    }
    if !held.is_empty() {
        return Err(CopyError::Refused(format!(
            "the destination is not empty (it holds {}): copy into a new SQLite file or a new, empty PostgreSQL database (e.g. `createdb NAME`); nothing was changed",
            held.join(", ")
        )));
    }

    let mut plans = Vec::with_capacity(TABLES.len());
    for t in TABLES {
        let columns = catalog_columns(src, t.name)?;
        let theirs = catalog_columns(dst, t.name)?;
        if let Some(missing) = columns.iter().find(|c| !theirs.contains(c)) {
            return Err(CopyError::Refused(format!(
                "the destination's table {} has no column {missing}: its schema is not this podcorpus's",
                t.name
            )));
        }
        let key_at = t
            .key
            .iter()
            .map(|k| {
                columns.iter().position(|c| c == k).ok_or_else(|| {
                    CopyError::Refused(format!(
                        "the source's table {} has no column {k}: its schema is not this podcorpus's",
                        t.name
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let rows: i64 = src.one(&format!("SELECT count(*) FROM {}", t.name), &[])?;
        plans.push(Plan {
            table: t,
            columns,
            key_at,
            rows: rows as u64,
        });
    }

    let mut reports = Vec::with_capacity(plans.len());
    for plan in &plans {
        let began = Instant::now();
        let names: Vec<&str> = plan.columns.iter().map(String::as_str).collect();
        let width = names.len();
        let mut hasher = blake3::Hasher::new();
        let (mut rows, mut bytes) = (0u64, 0u64);
        scan(src, plan, &mut |page| {
            let n = page.len() / width;
            for v in page {
                v.hash(&mut hasher);
                bytes += v.bytes();
            }
            dst.insert_rows(plan.table.name, &names, n, &mut |i, out| {
                out.extend(page[i * width..(i + 1) * width].iter().map(Value::param));
            })?;
            rows += n as u64;
            progress(Progress {
                stage: Stage::Copying,
                table: plan.table.name,
                done: rows,
                total: plan.rows,
            });
            Ok(())
        })?;
        reports.push(TableReport {
            table: plan.table.name,
            rows,
            bytes,
            seconds: began.elapsed().as_secs_f64(),
            verify_seconds: 0.0,
            checksum: hasher.finalize().to_hex().to_string(),
        });
    }

    let identities = if dst.dialect() == Dialect::Postgres {
        reset_identities(dst)?
    } else {
        // SQLite gives a new row the largest id plus one, whatever was copied.
        Vec::new()
    };

    for (plan, report) in plans.iter().zip(&mut reports) {
        let began = Instant::now();
        let name = plan.table.name;
        let theirs: i64 = dst.one(&format!("SELECT count(*) FROM {name}"), &[])?;
        let theirs = theirs as u64;
        if theirs != plan.rows || report.rows != plan.rows {
            return Err(CopyError::Mismatch {
                table: name.to_string(),
                source_rows: plan.rows,
                destination_rows: theirs,
                detail: if report.rows != plan.rows {
                    format!(" ({} read from the source)", report.rows)
                } else {
                    String::new()
                },
            });
        }
        let mut hasher = blake3::Hasher::new();
        let mut done = 0u64;
        let width = plan.columns.len();
        scan(dst, plan, &mut |page| {
            for v in page {
                v.hash(&mut hasher);
            }
            done += (page.len() / width) as u64;
            progress(Progress {
                stage: Stage::Verifying,
                table: name,
                done,
                total: theirs,
            });
            Ok(())
        })?;
        let checksum = hasher.finalize().to_hex().to_string();
        if checksum != report.checksum {
            return Err(CopyError::Mismatch {
                table: name.to_string(),
                source_rows: plan.rows,
                destination_rows: theirs,
                detail: format!(
                    ", but their contents differ (checksum {} in the source, {checksum} in the destination)",
                    report.checksum
                ),
            });
        }
        report.verify_seconds = began.elapsed().as_secs_f64();
    }
    Ok(CopyReport {
        tables: reports,
        identities,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Reads `plan`'s table from `db` in key order, one page at a time, and
/// hands each page (its rows' values one after another) to `f`. Each page
/// starts after the last key of the one before (keyset pagination), so
/// every page is an index range scan, however far into the table.
fn scan(
    db: &dyn Conn,
    plan: &Plan<'_>,
    f: &mut dyn FnMut(&[Value]) -> Result<(), CopyError>,
) -> Result<(), CopyError> {
    let t = plan.table;
    let list = plan.columns.join(", ");
    let order = t.key.join(", ");
    let first = format!(
        "SELECT {list} FROM {} ORDER BY {order} LIMIT {}",
        t.name, t.page
    );
    let after = if t.key.len() == 1 {
        format!("{order} > ?1")
    } else {
        let params: Vec<String> = (1..=t.key.len()).map(|i| format!("?{i}")).collect();
        format!("({order}) > ({})", params.join(", "))
    };
    let next = format!(
        "SELECT {list} FROM {} WHERE {after} ORDER BY {order} LIMIT {}",
        t.name, t.page
    );
    let width = plan.columns.len();
    let mut page: Vec<Value> = Vec::with_capacity(width * t.page.min(PAGE));
    let mut last: Option<Vec<Value>> = None;
    loop {
        page.clear();
        {
            let params: Vec<Param<'_>> = last.iter().flatten().map(Value::param).collect();
            let sql = if last.is_some() { &next } else { &first };
            db.each(sql, &params, &mut |r| {
                for i in 0..width {
                    page.push(Value::read(r.val(i)?));
                }
                Ok(())
            })?;
        }
        let n = page.len() / width;
        if n == 0 {
            return Ok(());
        }
        f(&page)?;
        let row = &page[(n - 1) * width..n * width];
        let key: Vec<Value> = plan.key_at.iter().map(|&i| row[i].clone()).collect();
        if key.contains(&Value::Null) {
            // SQLite lets a NULL into the primary key of a table with row
            // ids; no key follows it, and PostgreSQL would refuse it.
            return Err(CopyError::Store(StoreError::Corrupt(format!(
                "a row of {} has no {} (NULL in its primary key); delete it and copy again",
                t.name, order
            ))));
        }
        if n < t.page {
            return Ok(());
        }
        last = Some(key);
    }
}

/// Sets every identity column's sequence of a PostgreSQL database past the
/// largest id it holds, which a copy with ids (as any insert naming its id)
/// does not move; returns each one's next value.
fn reset_identities(db: &dyn Conn) -> Result<Vec<(String, i64)>, StoreError> {
    let columns: Vec<(String, String)> = db.query_map(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1, 2",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut next = Vec::with_capacity(columns.len());
    for (table, column) in columns {
        let value: i64 = db.one(
            &format!(
                "SELECT setval(pg_get_serial_sequence(?1, ?2), (SELECT coalesce(max({column}), 0) + 1 FROM {table}), false)"
            ),
            crate::p![&table, &column],
        )?;
        next.push((format!("{table}.{column}"), value));
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::p;

    /// Every row of every table, in key order, as the copy reads them.
    fn dump(store: &Store) -> Vec<(&'static str, Vec<Value>)> {
        let db = store.db();
        TABLES
            .iter()
            .map(|t| {
                let columns = catalog_columns(db, t.name).unwrap();
                let key_at = t
                    .key
                    .iter()
                    .map(|k| columns.iter().position(|c| c == k).unwrap())
                    .collect();
                let plan = Plan {
                    table: t,
                    columns,
                    key_at,
                    rows: 0,
                };
                let mut all = Vec::new();
                scan(db, &plan, &mut |page| {
                    all.extend_from_slice(page);
                    Ok(())
                })
                .unwrap();
                (t.name, all)
            })
            .collect()
    }

    fn primary_key(db: &dyn Conn, table: &str) -> Vec<String> {
        let sql = match db.dialect() {
            Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
            Dialect::Postgres => {
                "SELECT CAST(k.column_name AS TEXT)
                 FROM information_schema.table_constraints c
                 JOIN information_schema.key_column_usage k
                   ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
                 WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()
                   AND CAST(c.table_name AS TEXT) = ?1
                 ORDER BY k.ordinal_position"
            }
        };
        db.query_map(sql, p![table], |r| r.get(0)).unwrap()
    }

    /// The list of tables is the schema's, on both engines, with each
    /// table's real primary key (the pages are cut by it).
    #[test]
    fn the_list_of_tables_is_every_table_of_both_schemas() {
        let sqlite = Store::open_in_memory().unwrap();
        let pg = Store::open_server(&podcorpus_testpg::fresh_database("copy_catalog")).unwrap();
        let mut ours: Vec<&str> = tables().collect();
        ours.sort_unstable();
        for store in [&sqlite, &pg] {
            let catalog = catalog_tables(store).unwrap();
            assert_eq!(
                catalog,
                ours,
                "{:?}: the schema's tables and the copy's list differ",
                store.db().dialect()
            );
            for t in TABLES {
                assert_eq!(
                    primary_key(store.db(), t.name),
                    t.key,
                    "{:?} {}",
                    store.db().dialect(),
                    t.name
                );
            }
        }
    }

    /// Rows in every table, with what is easy to get wrong: NULLs, quotes,
    /// text beyond ASCII, an integer past 2^53, blobs (one empty), ids with
    /// gaps, and 25,001 cues, past two page boundaries.
    const FIXTURE: &str = r#"
INSERT INTO collections (id, name, kind, url) VALUES
    (1, 'notes', 'notes', NULL), (5, 'café ☕', 'channel', 'https://example.com/c');
INSERT INTO files (id, path, hash, format, collection_id, imported_at) VALUES
    (3, '/a/notes.txt', 'h1', 'notes', 1, '2024-01-01T00:00:00Z'),
    (9, '/b/ep.vtt', 'h2', 'vtt', 5, '2024-01-02T00:00:00Z');
INSERT INTO documents (file_id, collection_id, format, slots, raw) VALUES
    (3, 1, 'notes', 99, 'raw text
line two, ''quoted''');
INSERT INTO episodes (id, collection_id, number, video_id, title, guests, published, url,
                      duration_ms, description, tags, file_id) VALUES
    (7, 1, 1, 'vid1', 'Title ''quoted'' — “dashes”', '["Ann"]', '2020-01-01', 'https://y/1',
     9007199254740993, NULL, '[]', 3),
    (12, 5, 2, NULL, NULL, '[]', NULL, NULL, NULL, 'desc', '["t"]', NULL);
INSERT INTO memberships (episode_id, collection_id, number, file_id) VALUES
    (7, 1, 1, 3), (7, 5, 10, NULL), (12, 5, 2, 9);
INSERT INTO chapters (episode_id, origin, idx, title, start_ms, text_pos, file_id) VALUES
    (7, 'video', 0, 'Intro', 0, NULL, 3), (7, 'text', 0, 'Intro', NULL, 42, 3);
INSERT INTO transcripts (id, episode_id, source, language, words, segments, file_id, provenance) VALUES
    (4, 7, 'notes', 'en', 5, 1, 3, NULL),
    (8, 12, 'whisper-small', NULL, 2, 25000, 9, '{"model":"small"}');
INSERT INTO segments (transcript_id, idx, start_ms, end_ms, text, events, words) VALUES
    (4, 0, NULL, NULL, 'Ünïcode “quotes”', '[{"tag":"[music]"}]', '[{"w":"a"}]');
INSERT INTO segments (transcript_id, idx, start_ms, end_ms, text, events, words)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 24999)
    SELECT 8, i, i * 10, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 10 + 9 END, 'word ' || i, NULL, NULL
    FROM n;
INSERT INTO summaries (id, episode_id, kind, text, method, model, params, prompt_hash, usage,
                       file_id, created, subject) VALUES
    (2, 7, 'imported', 'A summary', NULL, NULL, NULL, NULL, NULL, 3, '2024-01-01T00:00:00Z', 'episode'),
    (6, 12, 'llm', 'Comments say', 'llm', 'm', '{"t":0}', 'ph', '{"in":1}', NULL, '2024-01-03T00:00:00Z', 'comments');
INSERT INTO comments (episode_id, idx, author, text, likes, time, file_id, comment_id, parent,
                      by_uploader, pinned, favorited) VALUES
    (12, 0, 'bob', 'first!', 3, '2024-01-02T10:00:00Z', 9, 'c1', NULL, 0, 1, 0),
    (12, 1, NULL, 'reply', -4, NULL, NULL, 'c2', 'c1', 1, 0, 1);
INSERT INTO fetch_runs (id, url, options, started, finished) VALUES
    (1, 'https://y/c', '{}', '2024-01-02T00:00:00Z', NULL);
INSERT INTO fetch_items (run_id, idx, video_id, url, playlist_item, title, number, status, reason, attempts) VALUES
    (1, 1, 'vid1', 'https://y/1', NULL, 'T', 1, 'done', NULL, 1),
    (1, 2, NULL, 'https://y/c', 2, NULL, NULL, 'failed', 'HTTP 429', 3);
INSERT INTO fetch_workers (name, host, address, run_id, state, idx, detail, paused_until,
                           fetched, lease_ms, started, last_seen) VALUES
    ('box:12', 'box', NULL, 1, 'fetching', 2, 'T', NULL, 1, 60000, 1700000000000, 1700000005000);
INSERT INTO llm_cache (key, model, response, usage, created) VALUES
    ('k1', 'm', 'resp', '{"in":1}', '2024-01-03T00:00:00Z');
INSERT INTO embeddings (model, hash, vector) VALUES
    ('mini', 'h1', X'0000803F00000040'), ('mini', 'h2', X'');
INSERT INTO embedded_transcripts (model, transcript_id, fingerprint) VALUES ('mini', 8, 'fp');
INSERT INTO embedded_passages (model, transcript_id, ordinal, hash, start_ms) VALUES
    ('mini', 8, 0, 'h1', 0), ('mini', 8, 1, 'h2', NULL);
"#;

    fn filled() -> Store {
        let store = Store::open_in_memory().unwrap();
        store.db().batch(FIXTURE).unwrap();
        store
    }

    #[test]
    fn every_table_goes_to_postgresql_and_back_as_it_was() {
        let source = filled();
        let before = dump(&source);
        let pg = Store::open_server(&podcorpus_testpg::fresh_database("copy_both_ways")).unwrap();
        let mut pages = 0;
        let report = copy(&source, &pg, &mut |p| {
            if p.stage == Stage::Copying && p.table == "segments" {
                pages += 1;
            }
        })
        .unwrap();
        // 25,001 cues are three pages.
        assert_eq!(pages, 3);
        let rows: Vec<(&str, u64)> = report.tables.iter().map(|t| (t.table, t.rows)).collect();
        let expected: Vec<(&str, u64)> = before
            .iter()
            .map(|(t, v)| {
                let width = catalog_columns(source.db(), t).unwrap().len();
                (*t, (v.len() / width) as u64)
            })
            .collect();
        assert_eq!(rows, expected);
        assert_eq!(report.tables[7].rows, 25_001);
        assert_eq!(dump(&pg), before);
        // The identities were moved past the ids copied.
        assert!(report
            .identities
            .contains(&("collections.id".to_string(), 6)));
        assert!(report.identities.contains(&("episodes.id".to_string(), 13)));
        let id: i64 = pg
            .db()
            .one(
                "INSERT INTO collections (name, kind) VALUES ('new', 'folder') RETURNING id",
                &[],
            )
            .unwrap();
        assert_eq!(id, 6);
        pg.db()
            .execute("DELETE FROM collections WHERE id = 6", &[])
            .unwrap();

        let dir = tempfile::tempdir().unwrap();
        let back = Store::open(&dir.path().join("back.db")).unwrap();
        let again = copy(&pg, &back, &mut |_| {}).unwrap();
        assert_eq!(dump(&back), before);
        // The same rows give the same checksums from either engine.
        let sums = |r: &CopyReport| -> Vec<String> {
            r.tables.iter().map(|t| t.checksum.clone()).collect()
        };
        assert_eq!(sums(&again), sums(&report));
        assert_eq!(again.bytes(), report.bytes());
        assert!(again.identities.is_empty());
        assert!(back.check().unwrap().is_empty());
    }

    #[test]
    fn a_destination_that_is_not_empty_is_refused_and_left_alone() {
        let source = filled();
        let dest = Store::open_in_memory().unwrap();
        dest.db()
            .batch("INSERT INTO collections (id, name, kind) VALUES (40, 'mine', 'folder')")
            .unwrap();
        let err = copy(&source, &dest, &mut |_| {}).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, CopyError::Refused(_)), "{msg}");
        assert!(msg.contains("1 collections"), "{msg}");
        assert!(msg.contains("new, empty"), "{msg}");
        let names: Vec<String> = dest
            .db()
            .query_map("SELECT name FROM collections", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(names, ["mine"]);
        assert_eq!(
            dest.db()
                .one::<i64>("SELECT count(*) FROM segments", &[])
                .unwrap(),
            0
        );
    }

    #[test]
    fn a_source_of_another_schema_version_is_refused() {
        let source = filled();
        source
            .db()
            .sqlite()
            .unwrap()
            .pragma_update(None, "user_version", 7)
            .unwrap();
        let dest = Store::open_in_memory().unwrap();
        let msg = copy(&source, &dest, &mut |_| {}).unwrap_err().to_string();
        assert!(msg.contains("schema version 7"), "{msg}");
        assert!(msg.contains("open it with this podcorpus first"), "{msg}");
    }

    /// A destination that does not keep what it is given (here a trigger
    /// changes one cue, or drops one comment, as it is inserted) fails the
    /// verification, which names the table and both counts, and the
    /// destination is rolled back to empty.
    #[test]
    fn a_copy_the_destination_changed_fails_verification_and_is_rolled_back() {
        let source = filled();
        let cases = [
            (
                "CREATE TRIGGER tamper AFTER INSERT ON segments WHEN NEW.idx = 12345 BEGIN
                     UPDATE segments SET text = 'tampered' WHERE transcript_id = NEW.transcript_id AND idx = NEW.idx;
                 END",
                "segments: 25001 rows in the source, 25001 in the destination, but their contents differ",
            ),
            (
                "CREATE TRIGGER tamper AFTER INSERT ON comments WHEN NEW.idx = 1 BEGIN
                     DELETE FROM comments WHERE episode_id = NEW.episode_id AND idx = NEW.idx;
                 END",
                "comments: 2 rows in the source, 1 in the destination",
            ),
        ];
        for (trigger, expected) in cases {
            let dest = Store::open_in_memory().unwrap();
            dest.db().batch(trigger).unwrap();
            let err = copy(&source, &dest, &mut |_| {}).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, CopyError::Mismatch { .. }), "{msg}");
            assert!(msg.contains(expected), "{msg}");
            assert!(msg.contains("left as it was"), "{msg}");
            for t in TABLES {
                let n: i64 = dest
                    .db()
                    .one(&format!("SELECT count(*) FROM {}", t.name), &[])
                    .unwrap();
                assert_eq!(n, 0, "{} after a failed copy", t.name);
            }
        }
    }
}
