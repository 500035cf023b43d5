//! One SQL interface over the two backends: SQLite (one desk, the archive file) and
//! PostgreSQL (an office network).
//!
//! The store's modules keep rusqlite's shape (`execute`, `query_row`, `prepare` +
//! `query_map`, `optional()`, `params!`) but go through [`Connection`], which holds
//! either a `rusqlite::Connection` or a `postgres::Client`. SQL is written once in a
//! portable subset: numbered placeholders `?1` (rewritten to `$1` for PostgreSQL by
//! [`pg_placeholders`]), plain types, `ON CONFLICT`, `RETURNING id`. Values cross as
//! [`Value`], SQLite's five storage classes; PostgreSQL parameters take the type the
//! server infers ([`Value`] converts to it), so the same Rust values bind on both.
//! Rows are read whole into [`Row`] before the caller's closure runs, so a closure may
//! query again and a PostgreSQL client is never borrowed twice.

use std::cell::RefCell;

use super::pg;

/// One SQL value: SQLite's storage classes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (also booleans, 0 and 1).
    Integer(i64),
    /// A float.
    Real(f64),
    /// UTF-8 text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Integer(_) => "INTEGER",
            Value::Real(_) => "REAL",
            Value::Text(_) => "TEXT",
            Value::Blob(_) => "BLOB",
        }
    }
}

/// Errors of the SQL layer.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    /// A query that must return a row returned none.
    #[error("không có dòng dữ liệu (query returned no rows)")]
    NoRows,
    /// A column held another type than the code expects.
    #[error("cột {column}: cần {expected}, có {found} (column type mismatch)")]
    Type {
        /// Column index.
        column: usize,
        /// What the code asked for.
        expected: &'static str,
        /// What the row held.
        found: &'static str,
    },
    /// A column index past the row's end.
    #[error("không có cột {0} (no such column)")]
    Column(String),
    /// SQLite reported an error.
    #[error("{0} (SQLite)")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL reported an error.
    #[error("{} (PostgreSQL)", pg::describe(.0))]
    Postgres(#[from] postgres::Error),
}

impl SqlError {
    /// Whether a UNIQUE, CHECK, NOT NULL or foreign-key constraint refused the write.
    pub(crate) fn is_constraint_violation(&self) -> bool {
        match self {
            SqlError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::ConstraintViolation
            }
            SqlError::Postgres(e) => e.code().is_some_and(|c| c.code().starts_with("23")),
            _ => false,
        }
    }
}

/// Result of the SQL layer.
pub(crate) type Result<T, E = SqlError> = std::result::Result<T, E>;

/// `Ok(None)` for [`SqlError::NoRows`], like rusqlite's `OptionalExtension`.
pub(crate) trait OptionalExtension<T> {
    /// The row's value, or `None` when there was no row.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(SqlError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A Rust value that binds as a SQL parameter.
pub(crate) trait ToSql {
    /// The value to bind.
    fn to_value(&self) -> Value;
}

macro_rules! integer_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_value(&self) -> Value {
                Value::Integer(*self as i64)
            }
        }
    )*};
}
integer_to_sql!(i64, i32, i16, i8, u32, u16, u8, usize, u64);

impl ToSql for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}
impl ToSql for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToSql for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}
impl ToSql for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToSql for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToSql for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl<const N: usize> ToSql for [u8; N] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToSql for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToSql> ToSql for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToSql::to_value)
    }
}
impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToSql + ?Sized> ToSql for Box<T> {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

/// A Rust value read from a SQL column.
pub(crate) trait FromSql: Sized {
    /// Converts the column value, or says which type was expected.
    fn from_value(value: Value) -> std::result::Result<Self, &'static str>;
}

macro_rules! integer_from_sql {
    ($($t:ty),*) => {$(
        impl FromSql for $t {
            fn from_value(value: Value) -> std::result::Result<Self, &'static str> {
                match value {
                    Value::Integer(i) => <$t>::try_from(i).map_err(|_| stringify!($t)),
                    _ => Err(stringify!($t)),
                }
            }
        }
    )*};
}
integer_from_sql!(i64, i32, i16, u32, u16, u8, usize, u64);

impl FromSql for bool {
    fn from_value(value: Value) -> std::result::Result<Self, &'static str> {
        match value {
            Value::Integer(i) => Ok(i != 0),
            _ => Err("bool"),
        }
    }
}
impl FromSql for f64 {
    fn from_value(value: Value) -> std::result::Result<Self, &'static str> {
        match value {
            Value::Real(f) => Ok(f),
            Value::Integer(i) => Ok(i as f64),
            _ => Err("f64"),
        }
    }
}
impl FromSql for String {
    fn from_value(value: Value) -> std::result::Result<Self, &'static str> {
        match value {
            Value::Text(s) => Ok(s),
            _ => Err("String"),
        }
    }
}
impl FromSql for Vec<u8> {
    fn from_value(value: Value) -> std::result::Result<Self, &'static str> {
        match value {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            _ => Err("Vec<u8>"),
        }
    }
}
impl FromSql for Value {
    fn from_value(value: Value) -> std::result::Result<Self, &'static str> {
        Ok(value)
    }
}
impl<T: FromSql> FromSql for Option<T> {
    fn from_value(value: Value) -> std::result::Result<Self, &'static str> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// Parameters of one statement: `params![…]`, an array, or `[]`.
pub(crate) trait Params {
    /// The values in placeholder order (`?1` first).
    fn values(&self) -> Vec<Value>;
}

impl Params for &[&dyn ToSql] {
    fn values(&self) -> Vec<Value> {
        self.iter().map(|p| p.to_value()).collect()
    }
}
impl Params for [&dyn ToSql; 0] {
    fn values(&self) -> Vec<Value> {
        Vec::new()
    }
}
impl Params for Vec<Value> {
    fn values(&self) -> Vec<Value> {
        self.clone()
    }
}
macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn values(&self) -> Vec<Value> {
                self.iter().map(ToSql::to_value).collect()
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn values(&self) -> Vec<Value> {
                self.iter().map(ToSql::to_value).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

macro_rules! tuple_params {
    ($(($($name:ident),+)),*) => {$(
        impl<$($name: ToSql),+> Params for ($($name,)+) {
            #[allow(non_snake_case)]
            fn values(&self) -> Vec<Value> {
                let ($($name,)+) = self;
                vec![$($name.to_value()),+]
            }
        }
    )*};
}
tuple_params!((A), (A, B), (A, B, C), (A, B, C, D), (A, B, C, D, E), (A, B, C, D, E, F));

/// Ends a test that checks something only SQLite has (FTS5 internals, pragmas),
/// saying so, when the test matrix runs it on PostgreSQL.
#[cfg(test)]
macro_rules! sqlite_only {
    ($store:expr) => {
        if $store.conn.as_sqlite().is_none() {
            eprintln!("SQLite-only test, not run on PostgreSQL: {}", module_path!());
            return;
        }
    };
}
#[cfg(test)]
pub(crate) use sqlite_only;

/// Removes the triggers that refuse changes (append-only records, signed content,
/// closed dossiers), so that a test can tamper as an attacker with the file or the
/// server's superuser would, and check that `verify` notices.
#[cfg(test)]
pub(crate) fn drop_guards(conn: &Connection) {
    match conn.backend() {
        Backend::Sqlite => {
            let names: Vec<String> = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'search%'")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            for name in names {
                conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
            }
        }
        Backend::Postgres => {
            let triggers: Vec<(String, String)> = conn
                .prepare(
                    "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                     JOIN pg_proc p ON p.oid = t.tgfoid
                     WHERE NOT t.tgisinternal AND p.proname IN ('vanthu_refuse', 'vanthu_closed_dossier_guard')
                       AND c.relnamespace = current_schema()::regnamespace",
                )
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            for (name, table) in triggers {
                conn.execute_batch(&format!("DROP TRIGGER {name} ON {table}")).unwrap();
            }
        }
    }
}

/// `params![a, b, …]`: heterogeneous parameters, like rusqlite's.
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::sql::ToSql] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::sql::ToSql),+] as &[&dyn $crate::store::sql::ToSql] };
}
pub(crate) use params;

/// Where a column is found: by position or by name.
pub(crate) trait RowIndex {
    /// The position of the column in `row`.
    fn position(&self, row: &Row) -> Result<usize>;
}
impl RowIndex for usize {
    fn position(&self, row: &Row) -> Result<usize> {
        if *self < row.values.len() { Ok(*self) } else { Err(SqlError::Column(self.to_string())) }
    }
}
impl RowIndex for &str {
    fn position(&self, row: &Row) -> Result<usize> {
        row.names.iter().position(|n| n.eq_ignore_ascii_case(self)).ok_or_else(|| SqlError::Column((*self).to_owned()))
    }
}

/// One result row, read whole.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    values: Vec<Value>,
    names: std::rc::Rc<[String]>,
}

impl Row {
    /// Column `index` as `T` (rusqlite's `get::<_, T>` shape).
    pub(crate) fn get<I: RowIndex, T: FromSql>(&self, index: I) -> Result<T> {
        let i = index.position(self)?;
        let value = self.values[i].clone();
        let found = value.kind();
        T::from_value(value).map_err(|expected| SqlError::Type { column: i, expected, found })
    }

    /// The row's values, in column order.
    pub(crate) fn into_values(self) -> Vec<Value> {
        self.values
    }
}

/// A statement prepared on a [`Connection`]; rows are read when it runs.
pub(crate) struct Statement<'c> {
    conn: &'c Connection,
    sql: String,
}

impl Statement<'_> {
    /// Runs the statement and maps every row (rows are read before `f` runs).
    pub(crate) fn query_map<T, P: Params>(
        &mut self,
        params: P,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows = self.conn.rows(&self.sql, &params.values())?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }

    /// Runs the statement and returns its rows.
    pub(crate) fn query<P: Params>(&mut self, params: P) -> Result<Rows> {
        Ok(Rows { rows: self.conn.rows(&self.sql, &params.values())?.into_iter(), current: None })
    }

    /// The first row mapped by `f`, or [`SqlError::NoRows`].
    pub(crate) fn query_row<T, P: Params>(&mut self, params: P, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        self.conn.query_row(&self.sql, params, f)
    }

    /// Runs the statement; the number of rows changed.
    pub(crate) fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        self.conn.execute(&self.sql, params)
    }

    /// The names of the columns the statement returns.
    pub(crate) fn column_names(&self) -> Result<Vec<String>> {
        match &self.conn.engine {
            Engine::Sqlite(conn) => {
                Ok(conn.prepare_cached(&self.sql)?.column_names().iter().map(|n| n.to_string()).collect())
            }
            Engine::Postgres(client) => Ok(client.borrow_mut().column_names(&self.sql)?),
        }
    }
}

/// Rows of [`Statement::query`], walked with `next()`.
pub(crate) struct Rows {
    rows: std::vec::IntoIter<Row>,
    current: Option<Row>,
}

impl Rows {
    /// The next row, or `None` at the end.
    pub(crate) fn next(&mut self) -> Result<Option<&Row>> {
        self.current = self.rows.next();
        Ok(self.current.as_ref())
    }
}

/// Which engine a [`Connection`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (or memory).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

enum Engine {
    Sqlite(rusqlite::Connection),
    Postgres(Box<RefCell<pg::Client>>),
}

/// A connection to either backend.
pub(crate) struct Connection {
    engine: Engine,
}

impl Connection {
    /// Wraps an open SQLite connection.
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Self {
        Connection { engine: Engine::Sqlite(conn) }
    }

    /// Wraps an open PostgreSQL client.
    pub(crate) fn postgres(client: pg::Client) -> Self {
        Connection { engine: Engine::Postgres(Box::new(RefCell::new(client))) }
    }

    /// Which engine this is.
    pub(crate) fn backend(&self) -> Backend {
        match self.engine {
            Engine::Sqlite(_) => Backend::Sqlite,
            Engine::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, backup, FTS5).
    pub(crate) fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.engine {
            Engine::Sqlite(conn) => Some(conn),
            Engine::Postgres(_) => None,
        }
    }

    /// The SQLite connection, mutably.
    pub(crate) fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.engine {
            Engine::Sqlite(conn) => Some(conn),
            Engine::Postgres(_) => None,
        }
    }

    /// Runs one statement; the number of rows changed.
    pub(crate) fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        let values = params.values();
        match &self.engine {
            Engine::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(values.iter().map(sqlite_value)))?)
            }
            Engine::Postgres(client) => Ok(client.borrow_mut().execute(sql, &values)? as usize),
        }
    }

    /// Runs several statements separated by `;`, without parameters.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Engine::Postgres(client) => Ok(client.borrow_mut().batch(sql)?),
        }
    }

    /// The first row of a query mapped by `f`, or [`SqlError::NoRows`].
    pub(crate) fn query_row<T, P: Params>(&self, sql: &str, params: P, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        let rows = self.rows(sql, &params.values())?;
        rows.first().ok_or(SqlError::NoRows).and_then(f)
    }

    /// A statement to run once or many times.
    pub(crate) fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement { conn: self, sql: sql.to_owned() })
    }

    /// Same as [`Connection::prepare`] (statements are cached by both engines).
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare(sql)
    }

    /// Every row of a query.
    pub(crate) fn rows(&self, sql: &str, values: &[Value]) -> Result<Vec<Row>> {
        match &self.engine {
            Engine::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let names: std::rc::Rc<[String]> = stmt.column_names().iter().map(|n| n.to_string()).collect();
                let count = names.len();
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter().map(sqlite_value)))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let values =
                        (0..count).map(|i| row.get_ref(i).map(from_sqlite)).collect::<rusqlite::Result<_>>()?;
                    out.push(Row { values, names: names.clone() });
                }
                Ok(out)
            }
            Engine::Postgres(client) => {
                let (names, rows) = client.borrow_mut().query(sql, values)?;
                Ok(rows.into_iter().map(|values| Row { values, names: names.clone() }).collect())
            }
        }
    }

    /// Begins a write transaction that holds the store's write lock until it ends:
    /// `BEGIN IMMEDIATE` on SQLite, a row lock on `write_lock` on PostgreSQL.
    pub(crate) fn begin_write(&self) -> Result<Transaction<'_>> {
        match &self.engine {
            Engine::Sqlite(conn) => conn.execute_batch("BEGIN IMMEDIATE")?,
            Engine::Postgres(client) => client.borrow_mut().begin_write()?,
        }
        Ok(Transaction { conn: self, open: true })
    }
}

/// An open transaction; it rolls back when dropped without [`Transaction::commit`].
pub(crate) struct Transaction<'c> {
    conn: &'c Connection,
    open: bool,
}

impl Transaction<'_> {
    /// Commits every write of the transaction.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            // The engine rolls back on its own if this fails (connection lost).
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

fn sqlite_value(value: &Value) -> rusqlite::types::Value {
    match value {
        Value::Null => rusqlite::types::Value::Null,
        Value::Integer(i) => rusqlite::types::Value::Integer(*i),
        Value::Real(f) => rusqlite::types::Value::Real(*f),
        Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
        Value::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
    }
}

fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// Rewrites SQLite's numbered placeholders `?N` to PostgreSQL's `$N`, leaving string
/// literals, quoted names and comments alone.
pub(crate) fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' if chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_literals_only() {
        assert_eq!(
            pg_placeholders("SELECT '?1', \"a?2\" FROM t WHERE x = ?1 AND y = ?12 -- ?3\n AND z = ?3"),
            "SELECT '?1', \"a?2\" FROM t WHERE x = $1 AND y = $12 -- ?3\n AND z = $3"
        );
    }

    #[test]
    fn sqlite_round_trips_every_value_kind() {
        let conn = Connection::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)").unwrap();
        conn.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)",
            params![7_i64, 1.5_f64, "chữ", vec![0_u8, 255], None::<String>],
        )
        .unwrap();
        let row = conn.query_row("SELECT i, r, s, b, n FROM t", [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, f64>(1)?,
                r.get::<_, String>("s")?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        });
        assert_eq!(row.unwrap(), (7, 1.5, "chữ".to_owned(), vec![0, 255], None));
        let err = conn.query_row("SELECT s FROM t", [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert!(matches!(err, SqlError::Type { column: 0, .. }), "{err}");
        assert!(matches!(
            conn.query_row("SELECT i FROM t WHERE i = ?1", [8], |r| r.get::<_, i64>(0)),
            Err(SqlError::NoRows)
        ));
    }

    #[test]
    fn a_dropped_transaction_rolls_back() {
        let conn = Connection::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (i INTEGER)").unwrap();
        {
            let tx = conn.begin_write().unwrap();
            tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        }
        let tx = conn.begin_write().unwrap();
        tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
        tx.commit().unwrap();
        let all: Vec<i64> = conn
            .prepare("SELECT i FROM t")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(all, [2]);
    }
}
