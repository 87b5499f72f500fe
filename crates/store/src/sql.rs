//! The seam between the store's logic and a database engine, as tantivy's
//! `Directory` is the seam under its index: the store's queries are written
//! once, in SQLite's SQL, against [`Conn`]; each engine runs them (PostgreSQL
//! after [`to_postgres`] rewrites the few spellings that differ) and hands
//! rows back as plain values. A third engine is one more `Conn`.

use crate::{Result, StoreError};

/// A statement parameter, borrowed from the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    /// SQL NULL.
    Null,
    /// An integer (SQLite INTEGER, PostgreSQL BIGINT).
    Int(i64),
    /// A float (REAL / DOUBLE PRECISION).
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes (BLOB / BYTEA).
    Blob(&'a [u8]),
}

macro_rules! param_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Param<'_> {
            fn from(v: $t) -> Self {
                Param::Int(v as i64)
            }
        }
    )*};
}
param_from_int!(i64, i32, u32, u16, u8, usize, u64);

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Int(i64::from(v))
    }
}
impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}
impl From<f32> for Param<'_> {
    fn from(v: f32) -> Self {
        Param::Real(f64::from(v))
    }
}
impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}
impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}
impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(v: &'a [u8]) -> Self {
        Param::Blob(v)
    }
}
impl<'a> From<&'a Vec<u8>> for Param<'a> {
    fn from(v: &'a Vec<u8>) -> Self {
        Param::Blob(v)
    }
}
impl<'a, T> From<Option<T>> for Param<'a>
where
    T: Into<Param<'a>>,
{
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// The parameters of a statement: `p![a, b, c]` is `&[Param]`.
#[macro_export]
macro_rules! p {
    ($($x:expr),* $(,)?) => {
        &[$($crate::sql::Param::from($x)),*][..]
    };
}

/// One value of a result row, borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    /// SQL NULL.
    Null,
    /// An integer (booleans read as 0 and 1).
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

/// A result row, read by column index from 0.
pub trait Row {
    /// The value in column `i`.
    fn val(&self, i: usize) -> Result<Val<'_>>;
}

impl dyn Row + '_ {
    /// Column `i` as a Rust value; a NULL or a value of another type is an
    /// error naming the column, unless `T` is an `Option`.
    pub fn get<T: FromVal>(&self, i: usize) -> Result<T> {
        T::from_val(self.val(i)?).map_err(|why| StoreError::Corrupt(format!("column {i}: {why}")))
    }

    /// Column `i` as borrowed text (`None` for NULL).
    pub fn text(&self, i: usize) -> Result<Option<&str>> {
        match self.val(i)? {
            Val::Null => Ok(None),
            Val::Text(s) => Ok(Some(s)),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: text expected, found {other:?}"
            ))),
        }
    }

    /// Column `i` as borrowed bytes (`None` for NULL); text reads as its bytes.
    pub fn blob(&self, i: usize) -> Result<Option<&[u8]>> {
        match self.val(i)? {
            Val::Null => Ok(None),
            Val::Blob(b) => Ok(Some(b)),
            Val::Text(s) => Ok(Some(s.as_bytes())),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: bytes expected, found {other:?}"
            ))),
        }
    }
}

/// A Rust value read from a [`Val`].
pub trait FromVal: Sized {
    /// Converts, or says why not.
    fn from_val(v: Val<'_>) -> std::result::Result<Self, String>;
}

macro_rules! int_from_val {
    ($($t:ty),*) => {$(
        impl FromVal for $t {
            fn from_val(v: Val<'_>) -> std::result::Result<Self, String> {
                match v {
                    Val::Int(i) => <$t>::try_from(i).map_err(|_| format!("{i} is out of range")),
                    other => Err(format!("integer expected, found {other:?}")),
                }
            }
        }
    )*};
}
int_from_val!(i64, i32, u32, u16, u8, usize, u64);

impl FromVal for bool {
    fn from_val(v: Val<'_>) -> std::result::Result<Self, String> {
        match v {
            Val::Int(i) => Ok(i != 0),
            other => Err(format!("boolean expected, found {other:?}")),
        }
    }
}
impl FromVal for f64 {
    fn from_val(v: Val<'_>) -> std::result::Result<Self, String> {
        match v {
            Val::Real(f) => Ok(f),
            // SQLite hands back whole-valued REALs of some expressions as integers.
            Val::Int(i) => Ok(i as f64),
            other => Err(format!("number expected, found {other:?}")),
        }
    }
}
impl FromVal for String {
    fn from_val(v: Val<'_>) -> std::result::Result<Self, String> {
        match v {
            Val::Text(s) => Ok(s.to_string()),
            other => Err(format!("text expected, found {other:?}")),
        }
    }
}
impl FromVal for Vec<u8> {
    fn from_val(v: Val<'_>) -> std::result::Result<Self, String> {
        match v {
            Val::Blob(b) => Ok(b.to_vec()),
            Val::Text(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("bytes expected, found {other:?}")),
        }
    }
}
impl<T: FromVal> FromVal for Option<T> {
    fn from_val(v: Val<'_>) -> std::result::Result<Self, String> {
        match v {
            Val::Null => Ok(None),
            v => T::from_val(v).map(Some),
        }
    }
}

/// A summary of the rows an engine holds ([`Conn::held`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldRows {
    /// The lowest group.
    pub low: i64,
    /// The highest group.
    pub high: i64,
    /// The bytes the held rows take.
    pub bytes: usize,
}

/// Which SQL an engine speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite: the statements as written.
    Sqlite,
    /// PostgreSQL: the statements after [`to_postgres`].
    Postgres,
}

/// A connection to one engine. Statements are SQLite's SQL with `?N` (or
/// `?`) parameters; an engine caches what it prepares by the statement's text.
pub trait Conn {
    /// The engine's SQL.
    fn dialect(&self) -> Dialect;

    /// Runs one statement; returns the rows it changed.
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64>;

    /// Runs one statement whose count nobody reads. An engine may hold it
    /// and send it with the next statement on this connection (PostgreSQL
    /// pipelines them, so the writer waits for the server once for both);
    /// its error is then that statement's error. For statements inside a
    /// transaction, where a failure aborts the rest of it.
    fn execute_later(&self, sql: &str, params: &[Param<'_>]) -> Result<()> {
        self.execute(sql, params).map(|_| ())
    }

    /// Sends the statements [`Conn::execute_later`] holds and waits for
    /// them: the first error among them, if any.
    fn flush(&self) -> Result<()> {
        Ok(())
    }

    /// Runs statements separated by `;`, without parameters.
    fn batch(&self, sql: &str) -> Result<()>;

    /// Runs a query and calls `f` with each row, in order. `f` must not use
    /// this connection (PostgreSQL streams the rows over it).
    fn each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<()>,
    ) -> Result<()>;

    /// Appends many rows to `table`'s `columns` (SQLite: multi-row inserts;
    /// PostgreSQL: `COPY`). `row(i, out)` pushes row `i`'s values.
    fn insert_rows<'p>(
        &self,
        table: &str,
        columns: &[&str],
        rows: usize,
        row: &mut dyn FnMut(usize, &mut Vec<Param<'p>>),
    ) -> Result<()>;

    /// [`Conn::insert_rows`], except that an engine may hold the rows and
    /// write them with the others it holds in one bulk operation, at
    /// [`Conn::write_held`] (PostgreSQL: one `COPY` for many transcripts
    /// instead of one each, which costs the server about 1.4 ms apiece).
    /// `group` names the rows for `write_held`'s choice. Held rows are not
    /// seen by statements until written, so only rows nothing reads before
    /// then, of one table and columns at a time, and only inside a
    /// transaction.
    fn insert_rows_later<'p>(
        &self,
        group: i64,
        table: &str,
        columns: &[&str],
        rows: usize,
        row: &mut dyn FnMut(usize, &mut Vec<Param<'p>>),
    ) -> Result<()> {
        let _ = group;
        self.insert_rows(table, columns, rows, row)
    }

    /// What [`Conn::insert_rows_later`] holds: the lowest and highest
    /// group, and the bytes the rows take; `None` when nothing is held.
    fn held(&self) -> Option<HeldRows> {
        None
    }

    /// Writes the held rows of the groups `keep` keeps, and forgets the rest.
    fn write_held(&self, keep: &dyn Fn(i64) -> bool) -> Result<()> {
        let _ = keep;
        Ok(())
    }

    /// Forgets the held rows (the transaction is being rolled back).
    fn drop_held(&self) {}

    /// A number that changes whenever another connection has committed a
    /// change to the corpus since this one last asked.
    fn data_version(&self) -> Result<i64>;

    /// The engine's own consistency checks; the problems found.
    fn check(&self) -> Result<Vec<String>>;

    /// The SQLite connection, for the few things only SQLite has (its
    /// write-ahead log's checkpoints, its backup API).
    fn sqlite(&self) -> Option<&rusqlite::Connection> {
        None
    }
}

impl dyn Conn + '_ {
    /// The rows of a query, each made by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut f: impl FnMut(&dyn Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query made by `f`, `None` when there is none.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&dyn Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, params, &mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query made by `f`; no row is an error.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&dyn Row) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| StoreError::Corrupt(format!("no row for: {}", first_line(sql))))
    }

    /// The first column of the first row.
    pub fn one<T: FromVal>(&self, sql: &str, params: &[Param<'_>]) -> Result<T> {
        self.query_row(sql, params, |r| r.get(0))
    }
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or("")
}

/// Rewrites a statement of the store's SQL (SQLite's) for PostgreSQL:
/// `?N` and `?` become `$N`, `group_concat` `string_agg`, `char(N)`
/// `chr(N)`, `BEGIN IMMEDIATE` `BEGIN`, and the functions the store defines
/// keep their names (the PostgreSQL schema defines them too). String
/// literals and quoted names are copied as they are.
pub fn to_postgres(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut i = 0;
    let mut next_param = 1usize;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' => {
                let end = b[i + 1..]
                    .iter()
                    .position(|&x| x == c)
                    .map_or(b.len(), |p| i + 1 + p + 1);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'?' => {
                let digits = b[i + 1..].iter().take_while(|x| x.is_ascii_digit()).count();
                if digits > 0 {
                    let n = &sql[i + 1..i + 1 + digits];
                    out.push('$');
                    out.push_str(n);
                    next_param = next_param.max(n.parse::<usize>().unwrap_or(0) + 1);
                } else {
                    out.push('$');
                    out.push_str(&next_param.to_string());
                    next_param += 1;
                }
                i += 1 + digits;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let len = b[i..]
                    .iter()
                    .take_while(|x| x.is_ascii_alphanumeric() || **x == b'_')
                    .count();
                let word = &sql[i..i + len];
                let before_paren = b.get(i + len) == Some(&b'(');
                if before_paren && word.eq_ignore_ascii_case("group_concat") {
                    out.push_str("string_agg");
                } else if before_paren && word.eq_ignore_ascii_case("char") {
                    out.push_str("chr");
                } else if word.eq_ignore_ascii_case("IMMEDIATE")
                    && out.trim_end().to_ascii_uppercase().ends_with("BEGIN")
                {
                    // `BEGIN IMMEDIATE` → `BEGIN`: PostgreSQL locks rows, not the file.
                } else {
                    out.push_str(word);
                }
                i += len;
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_spelling_of_the_stores_sql() {
        assert_eq!(
            to_postgres(
                "SELECT group_concat(a || char(31) || b, char(30)) FROM t WHERE x = ?1 AND y = ?2"
            ),
            "SELECT string_agg(a || chr(31) || b, chr(30)) FROM t WHERE x = $1 AND y = $2"
        );
        assert_eq!(
            to_postgres("INSERT INTO t VALUES (?,?),(?,?)"),
            "INSERT INTO t VALUES ($1,$2),($3,$4)"
        );
        assert_eq!(to_postgres("BEGIN IMMEDIATE"), "BEGIN ");
        // Literals and quoted names are left alone, even with ? or char( in them.
        assert_eq!(
            to_postgres("SELECT 'what?1', \"char(\" FROM t WHERE a = ?3"),
            "SELECT 'what?1', \"char(\" FROM t WHERE a = $3"
        );
        assert_eq!(to_postgres("SELECT 'café' || ?1"), "SELECT 'café' || $1");
        // A column named like a function is not a call.
        assert_eq!(
            to_postgres("SELECT char_count, chars FROM t"),
            "SELECT char_count, chars FROM t"
        );
    }

    #[test]
    fn values_convert_with_reasons() {
        assert_eq!(i64::from_val(Val::Int(5)), Ok(5));
        assert_eq!(Option::<i64>::from_val(Val::Null), Ok(None));
        assert!(i64::from_val(Val::Null).is_err());
        assert!(u8::from_val(Val::Int(300))
            .unwrap_err()
            .contains("out of range"));
        assert_eq!(f64::from_val(Val::Int(2)), Ok(2.0));
        assert_eq!(String::from_val(Val::Text("a")), Ok("a".to_string()));
        assert!(String::from_val(Val::Int(1)).is_err());
        let none: Option<&str> = None;
        assert_eq!(
            p![1i64, "a", none, 2.5f64],
            &[
                Param::Int(1),
                Param::Text("a"),
                Param::Null,
                Param::Real(2.5)
            ]
        );
    }
}
