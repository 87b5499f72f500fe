//! PostgreSQL as a [`Conn`]: the store's statements rewritten once
//! ([`to_postgres`]) and prepared once per connection, values sent in the
//! binary protocol as the server's parameter types ask, bulk rows streamed
//! with `COPY ... FROM STDIN BINARY`, and statements whose result nobody
//! reads ([`Conn::execute_later`]) pipelined with the next one, so that an
//! import waits for the server once per question rather than once per
//! statement.

use crate::sql::{to_postgres, Conn, Dialect, HeldRows, Param, Row, Val};
use crate::{Result, StoreError};
use bytes::BufMut;
use bytes::{Bytes, BytesMut};
use futures_util::SinkExt;
use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::{Client, Statement};

/// How many bytes of `COPY` rows go to the server in one message.
const COPY_CHUNK: usize = 256 * 1024;

/// One connection to a PostgreSQL server.
///
/// The client is tokio-postgres on a runtime of this connection's own, on
/// the calling thread (as the `postgres` crate does it), so that several
/// requests can be in flight at once: the sync client waits for each.
pub struct Postgres {
    /// Dropped first in [`Drop`], which ends the connection's task.
    client: Option<Client>,
    runtime: tokio::runtime::Runtime,
    /// The task that reads and writes the socket; it ends when the client is dropped.
    connection: Option<tokio::task::JoinHandle<()>>,
    /// Prepared statements by the store's SQL text.
    statements: RefCell<HashMap<String, Statement>>,
    /// The column types of each table's `COPY`, by table and columns.
    copy_types: RefCell<HashMap<String, Vec<Type>>>,
    /// Statements sent with the next one ([`Conn::execute_later`]).
    later: RefCell<Vec<(Statement, String, Vec<Owned>)>>,
    /// Rows held for one `COPY` ([`Conn::insert_rows_later`]).
    held: RefCell<Option<Held>>,
}

/// Rows encoded for a `COPY` that has not been sent yet.
struct Held {
    /// `table (columns)`.
    key: String,
    /// The encoded rows, without the format's header and trailer.
    rows: BytesMut,
    /// Each group's bytes in `rows`: `(group, start, end)`.
    groups: Vec<(i64, usize, usize)>,
}

/// A parameter kept until its statement is sent.
#[derive(Debug)]
enum Owned {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Owned {
    fn of(p: &Param<'_>) -> Owned {
        match *p {
            Param::Null => Owned::Null,
            Param::Int(v) => Owned::Int(v),
            Param::Real(v) => Owned::Real(v),
            Param::Text(v) => Owned::Text(v.to_string()),
            Param::Blob(v) => Owned::Blob(v.to_vec()),
        }
    }

    fn param(&self) -> PgParam<'_> {
        PgParam(match self {
            Owned::Null => Param::Null,
            Owned::Int(v) => Param::Int(*v),
            Owned::Real(v) => Param::Real(*v),
            Owned::Text(v) => Param::Text(v),
            Owned::Blob(v) => Param::Blob(v),
        })
    }
}

impl Postgres {
    /// Connects to `url` (`postgres://user@host/db`, or libpq's `key=value` form).
    pub fn connect(url: &str) -> Result<Postgres> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Server(format!("cannot start the PostgreSQL client: {e}")))?;
        let (client, connection) = runtime
            .block_on(tokio_postgres::connect(url, tokio_postgres::NoTls))
            .map_err(|e| {
                StoreError::Server(format!(
                    "cannot connect to the PostgreSQL server {}: {e}; is it running, and does the URL name a database you may use?",
                    redact(url)
                ))
            })?;
        // A broken connection is reported by the next request, as a closed connection.
        let connection = runtime.spawn(async move {
            let _ = connection.await;
        });
        Ok(Postgres {
            client: Some(client),
            runtime,
            connection: Some(connection),
            statements: RefCell::new(HashMap::new()),
            copy_types: RefCell::new(HashMap::new()),
            later: RefCell::new(Vec::new()),
            held: RefCell::new(None),
        })
    }

    fn client(&self) -> Result<&Client> {
        self.client
            .as_ref()
            .ok_or_else(|| StoreError::Server("the PostgreSQL connection is closed".into()))
    }

    /// The statement prepared for `sql`, preparing it the first time.
    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let client = self.client()?;
        let st = self
            .runtime
            .block_on(client.prepare(&to_postgres(sql)))
            .map_err(|e| pg_error(e, sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }

    /// Runs the statements held by [`Conn::execute_later`] and then `last`,
    /// all sent before any answer is awaited; `last`'s result, or the first
    /// error (of a held statement, if it failed: what follows it in the
    /// transaction then fails only because it did).
    fn pipelined<'c, T>(
        &'c self,
        last: Pin<Box<dyn Future<Output = Result<T>> + 'c>>,
    ) -> Result<T> {
        let held = std::mem::take(&mut *self.later.borrow_mut());
        if held.is_empty() {
            return self.runtime.block_on(last);
        }
        let client = self.client()?;
        let params: Vec<Vec<PgParam<'_>>> = held
            .iter()
            .map(|(_, _, ps)| ps.iter().map(Owned::param).collect())
            .collect();
        let refs: Vec<Vec<&(dyn ToSql + Sync)>> = params
            .iter()
            .map(|ps| ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect())
            .collect();
        let mut earlier: Vec<Pin<Box<dyn Future<Output = Result<u64>> + '_>>> = held
            .iter()
            .zip(&refs)
            .map(|((st, sql, _), r)| {
                Box::pin(async move { client.execute(st, r).await.map_err(|e| pg_error(e, sql)) })
                    as Pin<Box<dyn Future<Output = Result<u64>> + '_>>
            })
            .collect();
        let (first, last) = self.runtime.block_on(in_order(&mut earlier, last));
        first.and(last)
    }
}

/// Polls `earlier` and then `last`, always in that order, to the end of
/// all of them: tokio-postgres queues a request when its future is first
/// polled, so the server receives them in this order. Every answer is read
/// before the connection is used again.
async fn in_order<'a, T>(
    earlier: &mut [Pin<Box<dyn Future<Output = Result<u64>> + 'a>>],
    mut last: Pin<Box<dyn Future<Output = Result<T>> + 'a>>,
) -> (Result<()>, Result<T>) {
    let mut done: Vec<Option<Result<u64>>> = earlier.iter().map(|_| None).collect();
    let mut last_done: Option<Result<T>> = None;
    std::future::poll_fn(|cx| {
        for (f, d) in earlier.iter_mut().zip(done.iter_mut()) {
            if d.is_none() {
                if let Poll::Ready(r) = f.as_mut().poll(cx) {
                    *d = Some(r);
                }
            }
        }
        if last_done.is_none() {
            if let Poll::Ready(r) = last.as_mut().poll(cx) {
                last_done = Some(r);
            }
        }
        if done.iter().all(Option::is_some) && last_done.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    let first = done
        .into_iter()
        .flatten()
        .find(|r| r.is_err())
        .map_or(Ok(()), |r| r.map(|_| ()));
    let last = last_done.unwrap_or_else(|| Err(StoreError::Server("no answer".into())));
    (first, last)
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Dropping the client ends the connection's task, which tells the
        // server goodbye; waiting for it spares the server's log an
        // "unexpected EOF".
        self.client.take();
        // On a thread that drives async tasks, blocking is not allowed:
        // the connection is then just dropped.
        if tokio::runtime::Handle::try_current().is_ok() {
            return;
        }
        if let Some(task) = self.connection.take() {
            let _ = self.runtime.block_on(async {
                tokio::time::timeout(std::time::Duration::from_secs(2), task).await
            });
        }
    }
}

/// `url` without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A server error, with the statement it came from.
fn pg_error(e: tokio_postgres::Error, sql: &str) -> StoreError {
    let what = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        // "error serializing parameter 3" says which, its source says why.
        None => match e.source() {
            Some(why) => format!("{e}: {why}"),
            None => e.to_string(),
        },
    };
    StoreError::Server(format!(
        "PostgreSQL refused a statement: {what}; statement: {}",
        sql.split_whitespace().collect::<Vec<_>>().join(" ")
    ))
}

/// A [`Param`] sent as whatever type the server asks for it, where that
/// is a faithful conversion.
#[derive(Debug)]
struct PgParam<'a>(Param<'a>);

impl ToSql for PgParam<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self.0 {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::FLOAT8 => (v as f64).to_sql(ty, out),
                Type::BOOL => (v != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    v.to_string().as_str().to_sql(ty, out)
                }
                _ => Err(format!("an integer cannot be sent as {ty}").into()),
            },
            Param::Real(v) => match *ty {
                Type::FLOAT8 => v.to_sql(ty, out),
                Type::FLOAT4 => (v as f32).to_sql(ty, out),
                _ => Err(format!("a number cannot be sent as {ty}").into()),
            },
            // PostgreSQL's text cannot hold U+0000 (SQLite's can); said
            // here, so that the file that carries one fails alone.
            Param::Text(v) if v.as_bytes().contains(&0) && *ty != Type::BYTEA => {
                Err("the text holds a NUL character (U+0000), which PostgreSQL cannot store".into())
            }
            Param::Text(v) => match *ty {
                Type::INT8 => v.parse::<i64>()?.to_sql(ty, out),
                Type::BYTEA => v.as_bytes().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Param::Blob(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Calls `f` with `params` as the client's slice of parameters takes them.
fn with_params<T>(params: &[Param<'_>], f: impl FnOnce(&[&(dyn ToSql + Sync)]) -> T) -> T {
    let owned: Vec<PgParam<'_>> = params.iter().map(|p| PgParam(*p)).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    f(&refs)
}

/// Appends `rows` rows in `COPY`'s binary format to `buf`: for each, the
/// number of fields, then each field's length and bytes (-1 for NULL).
fn encode_rows<'p>(
    buf: &mut BytesMut,
    key: &str,
    types: &[Type],
    rows: usize,
    row: &mut dyn FnMut(usize, &mut Vec<Param<'p>>),
) -> Result<()> {
    let bad = |what: String| StoreError::Server(format!("COPY {key}: {what}"));
    let fields = i16::try_from(types.len()).map_err(|_| bad("too many columns".into()))?;
    let mut values: Vec<Param<'p>> = Vec::with_capacity(types.len());
    for i in 0..rows {
        values.clear();
        row(i, &mut values);
        if values.len() != types.len() {
            return Err(bad(format!(
                "a row of {} values for {} columns",
                values.len(),
                types.len()
            )));
        }
        buf.put_i16(fields);
        for (value, ty) in values.iter().zip(types) {
            let at = buf.len();
            buf.put_i32(0);
            let written = PgParam(*value)
                .to_sql_checked(ty, buf)
                .map_err(|e| bad(e.to_string()))?;
            let len = match written {
                IsNull::Yes => -1,
                IsNull::No => i32::try_from(buf.len() - at - 4)
                    .map_err(|_| bad("a value over 2 GiB".into()))?,
            };
            buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
        }
    }
    Ok(())
}

struct PgRow<'r>(&'r tokio_postgres::Row);

impl Row for PgRow<'_> {
    fn val(&self, i: usize) -> Result<Val<'_>> {
        let col = self
            .0
            .columns()
            .get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("no column {i} in the row")))?;
        let bad = |e: tokio_postgres::Error| {
            StoreError::Corrupt(format!("column {} ({i}): {e}", col.name()))
        };
        let ty = col.type_().clone();
        Ok(match ty {
            Type::INT8 => self.0.try_get::<_, Option<i64>>(i).map_err(bad)?.map_or(Val::Null, Val::Int),
            Type::INT4 => self
                .0
                .try_get::<_, Option<i32>>(i)
                .map_err(bad)?
                .map_or(Val::Null, |v| Val::Int(v.into())),
            Type::INT2 => self
                .0
                .try_get::<_, Option<i16>>(i)
                .map_err(bad)?
                .map_or(Val::Null, |v| Val::Int(v.into())),
            Type::OID => self
                .0
                .try_get::<_, Option<u32>>(i)
                .map_err(bad)?
                .map_or(Val::Null, |v| Val::Int(v.into())),
            Type::BOOL => self
                .0
                .try_get::<_, Option<bool>>(i)
                .map_err(bad)?
                .map_or(Val::Null, |v| Val::Int(v.into())),
            Type::FLOAT8 => self.0.try_get::<_, Option<f64>>(i).map_err(bad)?.map_or(Val::Null, Val::Real),
            Type::FLOAT4 => self
                .0
                .try_get::<_, Option<f32>>(i)
                .map_err(bad)?
                .map_or(Val::Null, |v| Val::Real(v.into())),
            Type::BYTEA => self.0.try_get::<_, Option<&[u8]>>(i).map_err(bad)?.map_or(Val::Null, Val::Blob),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                self.0.try_get::<_, Option<&str>>(i).map_err(bad)?.map_or(Val::Null, Val::Text)
            }
            other => {
                return Err(StoreError::Corrupt(format!(
                    "column {} ({i}) is of type {other}, which the store does not read (CAST it to BIGINT, DOUBLE PRECISION or TEXT)",
                    col.name()
                )))
            }
        })
    }
}

impl Conn for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let st = self.statement(sql)?;
        let client = self.client()?;
        with_params(params, |refs| {
            self.pipelined(Box::pin(async move {
                client
                    .execute(&st, refs)
                    .await
                    .map_err(|e| pg_error(e, sql))
            }))
        })
    }

    fn execute_later(&self, sql: &str, params: &[Param<'_>]) -> Result<()> {
        let st = self.statement(sql)?;
        let owned = params.iter().map(Owned::of).collect();
        self.later.borrow_mut().push((st, sql.to_string(), owned));
        Ok(())
    }

    fn flush(&self) -> Result<()> {
        self.pipelined(Box::pin(async { Ok(()) }))
    }

    fn batch(&self, sql: &str) -> Result<()> {
        let pg = to_postgres(sql);
        let client = self.client()?;
        self.pipelined(Box::pin(async move {
            client
                .batch_execute(&pg)
                .await
                .map_err(|e| pg_error(e, sql))
        }))
    }

    fn each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<()>,
    ) -> Result<()> {
        // The rows are read whole before `f` sees them, so that `f` may
        // use the store again (SQLite allows that; one PostgreSQL
        // connection carries one statement at a time).
        let st = self.statement(sql)?;
        let client = self.client()?;
        let rows = with_params(params, |refs| {
            self.pipelined(Box::pin(async move {
                client.query(&st, refs).await.map_err(|e| pg_error(e, sql))
            }))
        })?;
        for r in &rows {
            f(&PgRow(r))?;
        }
        Ok(())
    }

    fn insert_rows<'p>(
        &self,
        table: &str,
        columns: &[&str],
        rows: usize,
        row: &mut dyn FnMut(usize, &mut Vec<Param<'p>>),
    ) -> Result<()> {
        if rows == 0 {
            return Ok(());
        }
        let (key, types) = self.copy_target(table, columns)?;
        let mut buf = BytesMut::new();
        encode_rows(&mut buf, &key, &types, rows, row)?;
        let whole = buf.freeze();
        self.copy_in(&key, &[whole])
    }

    fn insert_rows_later<'p>(
        &self,
        group: i64,
        table: &str,
        columns: &[&str],
        rows: usize,
        row: &mut dyn FnMut(usize, &mut Vec<Param<'p>>),
    ) -> Result<()> {
        let (key, types) = self.copy_target(table, columns)?;
        let mut held = self.held.borrow_mut();
        let held = held.get_or_insert_with(|| Held {
            key: key.clone(),
            rows: BytesMut::new(),
            groups: Vec::new(),
        });
        if held.key != key {
            return Err(StoreError::Server(format!(
                "rows for {key} held beside rows for {}: write those first",
                held.key
            )));
        }
        let start = held.rows.len();
        if let Err(e) = encode_rows(&mut held.rows, &key, &types, rows, row) {
            // The rows of this group so far are forgotten with it.
            held.rows.truncate(start);
            return Err(e);
        }
        held.groups.push((group, start, held.rows.len()));
        Ok(())
    }

    fn held(&self) -> Option<HeldRows> {
        let held = self.held.borrow();
        let h = held.as_ref()?;
        Some(HeldRows {
            low: h.groups.iter().map(|g| g.0).min()?,
            high: h.groups.iter().map(|g| g.0).max()?,
            bytes: h.rows.len(),
        })
    }

    fn write_held(&self, keep: &dyn Fn(i64) -> bool) -> Result<()> {
        let Some(held) = self.held.borrow_mut().take() else {
            return Ok(());
        };
        let rows = held.rows.freeze();
        // Runs of kept groups, sent as slices of the one buffer.
        let mut parts: Vec<Bytes> = Vec::new();
        let mut run: Option<(usize, usize)> = None;
        for &(group, start, end) in &held.groups {
            if keep(group) {
                run = match run {
                    Some((s, e)) if e == start => Some((s, end)),
                    Some((s, e)) => {
                        parts.push(rows.slice(s..e));
                        Some((start, end))
                    }
                    None => Some((start, end)),
                };
            }
        }
        if let Some((s, e)) = run {
            parts.push(rows.slice(s..e));
        }
        if parts.is_empty() {
            return Ok(());
        }
        self.copy_in(&held.key, &parts)
    }

    fn drop_held(&self) {
        self.held.borrow_mut().take();
    }

    fn data_version(&self) -> Result<i64> {
        self.query_one_i64("SELECT data_version FROM podcorpus_meta")
    }

    fn check(&self) -> Result<Vec<String>> {
        // PostgreSQL enforces foreign keys and checksums its pages itself;
        // what is left to check is that the schema is the store's, and the
        // one link kept by a trigger rather than a key (see pg_schema.rs).
        let mut problems = Vec::new();
        let found = self.query_one_i64("SELECT version FROM podcorpus_meta")?;
        let known = crate::schema::MIGRATIONS.len() as i64;
        if found != known {
            problems.push(format!(
                "schema version {found}, this podcorpus writes {known}"
            ));
        }
        let orphans = self.query_one_i64(
            "SELECT count(*) FROM segments s
             WHERE NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.id = s.transcript_id)",
        )?;
        if orphans > 0 {
            problems.push(format!("{orphans} segments belong to no transcript"));
        }
        Ok(problems)
    }
}

impl Postgres {
    /// `table (columns)` and the server's types of those columns.
    fn copy_target(&self, table: &str, columns: &[&str]) -> Result<(String, Vec<Type>)> {
        let cols = columns.join(", ");
        let key = format!("{table} ({cols})");
        if let Some(t) = self.copy_types.borrow().get(&key) {
            return Ok((key, t.clone()));
        }
        let probe = format!("SELECT {cols} FROM {table} LIMIT 0");
        let st = self.statement(&probe)?;
        let t: Vec<Type> = st.columns().iter().map(|c| c.type_().clone()).collect();
        self.copy_types.borrow_mut().insert(key.clone(), t.clone());
        Ok((key, t))
    }

    /// One `COPY key FROM STDIN BINARY` of `parts`, encoded rows, sent in
    /// messages of about [`COPY_CHUNK`] bytes: the client library's own
    /// writer sends 4 KiB at a time, one socket write and one wake of the
    /// server for each.
    fn copy_in(&self, key: &str, parts: &[Bytes]) -> Result<()> {
        // Prepared once, like any statement: a `COPY` by its text would be
        // parsed again, one more wait, for every transcript.
        let copy = format!("COPY {key} FROM STDIN BINARY");
        let st = self.statement(&copy)?;
        let client = self.client()?;
        let copy = copy.as_str();
        let sink = self.pipelined(Box::pin(async move {
            client
                .copy_in::<_, Bytes>(&st)
                .await
                .map_err(|e| pg_error(e, copy))
        }))?;
        self.runtime.block_on(async {
            let mut sink = std::pin::pin!(sink);
            let mut header = BytesMut::with_capacity(19);
            header.put_slice(b"PGCOPY\n\xff\r\n\0");
            header.put_i32(0); // flags
            header.put_i32(0); // header extension
            sink.feed(header.freeze())
                .await
                .map_err(|e| pg_error(e, copy))?;
            for part in parts {
                let mut at = 0;
                while at < part.len() {
                    let end = (at + COPY_CHUNK).min(part.len());
                    sink.feed(part.slice(at..end))
                        .await
                        .map_err(|e| pg_error(e, copy))?;
                    at = end;
                }
            }
            // The end of the rows.
            sink.feed(Bytes::from_static(&[0xff, 0xff]))
                .await
                .map_err(|e| pg_error(e, copy))?;
            sink.as_mut()
                .finish()
                .await
                .map_err(|e| pg_error(e, copy))?;
            Ok(())
        })
    }

    fn query_one_i64(&self, sql: &str) -> Result<i64> {
        let c: &dyn Conn = self;
        c.one::<i64>(sql, &[])
    }
}
