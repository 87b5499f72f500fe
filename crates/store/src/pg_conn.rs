//! PostgreSQL as a [`Conn`]: the store's statements rewritten once
//! ([`to_postgres`]) and prepared once per connection, values sent in the
//! binary protocol as the server's parameter types ask, and bulk rows
//! streamed with `COPY ... FROM STDIN BINARY`.

use crate::sql::{to_postgres, Conn, Dialect, Param, Row, Val};
use crate::{Result, StoreError};
use bytes::BytesMut;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, Statement};
use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;

/// One connection to a PostgreSQL server.
pub struct Postgres {
    client: RefCell<Client>,
    /// Prepared statements by the store's SQL text.
    statements: RefCell<HashMap<String, Statement>>,
    /// The column types of each table's `COPY`, by table and columns.
    copy_types: RefCell<HashMap<String, Vec<Type>>>,
}

impl Postgres {
    /// Connects to `url` (`postgres://user@host/db`, or libpq's `key=value` form).
    pub fn connect(url: &str) -> Result<Postgres> {
        let client = Client::connect(url, postgres::NoTls).map_err(|e| {
            StoreError::Server(format!(
                "cannot connect to the PostgreSQL server {}: {e}; is it running, and does the URL name a database you may use?",
                redact(url)
            ))
        })?;
        Ok(Postgres {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            copy_types: RefCell::new(HashMap::new()),
        })
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, Client>> {
        self.client.try_borrow_mut().map_err(|_| {
            StoreError::Server(
                "the store used its PostgreSQL connection from inside a row callback".into(),
            )
        })
    }

    /// The statement prepared for `sql`, preparing it the first time.
    fn statement(&self, client: &mut Client, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = client
            .prepare(&to_postgres(sql))
            .map_err(|e| pg_error(e, sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
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
fn pg_error(e: postgres::Error, sql: &str) -> StoreError {
    let what = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
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

struct PgRow<'r>(&'r postgres::Row);

impl Row for PgRow<'_> {
    fn val(&self, i: usize) -> Result<Val<'_>> {
        let col = self
            .0
            .columns()
            .get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("no column {i} in the row")))?;
        let bad =
            |e: postgres::Error| StoreError::Corrupt(format!("column {} ({i}): {e}", col.name()));
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
        let mut client = self.client()?;
        let st = self.statement(&mut client, sql)?;
        with_params(params, |refs| client.execute(&st, refs)).map_err(|e| pg_error(e, sql))
    }

    fn batch(&self, sql: &str) -> Result<()> {
        let pg = to_postgres(sql);
        self.client()?
            .batch_execute(&pg)
            .map_err(|e| pg_error(e, sql))
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
        let rows = {
            let mut client = self.client()?;
            let st = self.statement(&mut client, sql)?;
            with_params(params, |refs| client.query(&st, refs)).map_err(|e| pg_error(e, sql))?
        };
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
        let cols = columns.join(", ");
        let key = format!("{table} ({cols})");
        let mut client = self.client()?;
        let types = self.copy_types.borrow().get(&key).cloned();
        let types = match types {
            Some(t) => t,
            None => {
                let probe = format!("SELECT {cols} FROM {table} LIMIT 0");
                let st = client.prepare(&probe).map_err(|e| pg_error(e, &probe))?;
                let t: Vec<Type> = st.columns().iter().map(|c| c.type_().clone()).collect();
                self.copy_types.borrow_mut().insert(key.clone(), t.clone());
                t
            }
        };
        let copy = format!("COPY {key} FROM STDIN BINARY");
        let writer = client.copy_in(&copy).map_err(|e| pg_error(e, &copy))?;
        let mut writer = BinaryCopyInWriter::new(writer, &types);
        let mut values: Vec<Param<'_>> = Vec::with_capacity(columns.len());
        for i in 0..rows {
            values.clear();
            row(i, &mut values);
            // Straight from the row's values: nothing allocated per row.
            writer
                .write_raw(values.iter().map(|p| PgParam(*p)))
                .map_err(|e| pg_error(e, &copy))?;
        }
        writer.finish().map_err(|e| pg_error(e, &copy))?;
        Ok(())
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
    fn query_one_i64(&self, sql: &str) -> Result<i64> {
        let c: &dyn Conn = self;
        c.one::<i64>(sql, &[])
    }
}
