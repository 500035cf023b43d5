//! The PostgreSQL side of [`super::sql`]: connecting (TLS through rustls), a statement
//! cache, and the conversions between [`Value`] and PostgreSQL's types.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::rc::Rc;

use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use super::sql::{Value, pg_placeholders};

type BoxError = Box<dyn StdError + Sync + Send>;

/// Name of the channel on which every committed write is announced.
pub(crate) const CHANGES_CHANNEL: &str = "vanthu_changes";

/// Whether `target` names a PostgreSQL database rather than a file.
pub fn is_postgres_url(target: &str) -> bool {
    let lower = target.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (authority, tail) = rest.split_once('/').map_or((rest, ""), |(a, t)| (a, t));
    let shown = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{host}"),
            None => format!("{user}@{host}"),
        },
        None => authority.to_owned(),
    };
    if tail.is_empty() && !rest.contains('/') {
        format!("{scheme}://{shown}")
    } else {
        format!("{scheme}://{shown}/{tail}")
    }
}

/// A connection that waits for other desks' commits (`LISTEN vanthu_changes`): every
/// write transaction on a PostgreSQL store sends one notification when it commits.
/// One listening connection per desk, blocking, so no desk polls the server.
pub struct ChangeListener {
    client: postgres::Client,
}

impl std::fmt::Debug for ChangeListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangeListener")
    }
}

impl ChangeListener {
    /// Connects to `url` and listens.
    pub fn connect(url: &str) -> Result<Self, super::StoreError> {
        let mut client = connect(url).map_err(|reason| super::StoreError::Connect { url: redact_url(url), reason })?;
        client.batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))?;
        Ok(ChangeListener { client })
    }

    /// Waits up to `timeout` for a commit by anyone; `true` when there was at least
    /// one (all that arrived together are taken at once, so a burst of commits
    /// refreshes a desk once).
    pub fn wait(&mut self, timeout: std::time::Duration) -> Result<bool, super::StoreError> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut notifications = self.client.notifications();
        if notifications.timeout_iter(timeout).next()?.is_none() {
            return Ok(false);
        }
        while notifications.iter().next()?.is_some() {}
        Ok(true)
    }
}

/// Prepared statements kept per connection at most.
const MAX_CACHED_STATEMENTS: usize = 512;

/// One row's values, in column order.
type RowValues = Vec<Value>;

/// A PostgreSQL client with a cache of prepared statements.
pub(crate) struct Client {
    client: postgres::Client,
    statements: HashMap<String, (postgres::Statement, Rc<[String]>)>,
}

/// Opens a client for `url` (`postgres://user:pw@host:port/db?sslmode=…`).
///
/// `sslmode=disable` talks plain TCP (or a Unix socket); otherwise TLS through rustls
/// with the system's roots, or with the roots in `sslrootcert=FILE.pem` (an office's
/// own CA). `require` and `verify-full` both verify the server's certificate against
/// those roots: a LAN server gets a certificate from the office CA.
pub(crate) fn connect(url: &str) -> Result<postgres::Client, String> {
    // A server that accepts the connection and then says nothing would hang the
    // handshake: it runs on a thread, and the caller stops waiting after a deadline.
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = url.to_owned();
    std::thread::spawn(move || {
        let _ = tx.send(connect_now(&owned));
    });
    rx.recv_timeout(CONNECT_DEADLINE).unwrap_or_else(|_| {
        Err(format!("máy chủ không trả lời sau {} giây (no answer from the server)", CONNECT_DEADLINE.as_secs()))
    })
}

/// How long connecting may take, handshake and TLS included.
const CONNECT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(15);

fn connect_now(url: &str) -> Result<postgres::Client, String> {
    let (url, root_file) = take_query_param(url, "sslrootcert");
    let explicit_ssl = url.contains("sslmode=");
    let config: postgres::Config = url.parse().map_err(|e| format!("địa chỉ PostgreSQL không hợp lệ: {e}"))?;
    let mut config = config;
    if config.get_application_name().is_none() {
        config.application_name("vanthu");
    }
    config.connect_timeout(std::time::Duration::from_secs(10));
    // Off this machine, TLS is required unless the URL says otherwise (libpq's default,
    // `prefer`, would fall back to plain text).
    let local = config.get_hosts().iter().all(|h| match h {
        postgres::config::Host::Tcp(name) => matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1"),
        #[cfg(unix)]
        postgres::config::Host::Unix(_) => true,
    });
    if !explicit_ssl && !local {
        config.ssl_mode(postgres::config::SslMode::Require);
    }
    let plain = matches!(config.get_ssl_mode(), postgres::config::SslMode::Disable);
    if plain {
        return config.connect(postgres::NoTls).map_err(|e| describe(&e));
    }
    let mut roots = rustls::RootCertStore::empty();
    match root_file {
        Some(path) => {
            let pem = std::fs::read(&path).map_err(|e| format!("không đọc được sslrootcert {path}: {e}"))?;
            let mut added = 0;
            for cert in rustls_pemfile_certs(&pem) {
                if roots.add(cert).is_ok() {
                    added += 1;
                }
            }
            if added == 0 {
                return Err(format!("sslrootcert {path} không có chứng thư PEM nào"));
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls)).map_err(|e| describe(&e))
}

/// Certificates in a PEM file.
fn rustls_pemfile_certs(pem: &[u8]) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem).filter_map(Result::ok).collect()
}

/// Removes `name=value` from the URL's query, returning the value.
fn take_query_param(url: &str, name: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else { return (url.to_owned(), None) };
    let mut found = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some((key, value)) if key == name => {
                found = Some(value.to_owned());
                false
            }
            _ => true,
        })
        .collect();
    let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    (url, found)
}

/// A PostgreSQL error in words: the server's message and detail when there is one.
pub(crate) fn describe(e: &postgres::Error) -> String {
    let english = describe_english(e);
    let vietnamese = match e.code().map(|c| c.code()) {
        Some("28P01") => "sai mật khẩu hoặc tên vai trò PostgreSQL",
        Some("28000") => "máy chủ không cho vai trò này kết nối (pg_hba.conf)",
        Some("3D000") => "không có cơ sở dữ liệu này trên máy chủ",
        Some("42501") => "vai trò PostgreSQL không đủ quyền; chủ sở hữu cần chạy «vanthu server init»",
        Some("25006") => "máy chủ đang ở chế độ chỉ đọc",
        Some("53300") => "máy chủ đã đủ số kết nối",
        Some("57P01" | "57P02" | "57P03") => "máy chủ đang tắt hoặc khởi động lại",
        Some(_) => "",
        None if english.contains("password missing") => "thiếu mật khẩu trong địa chỉ (postgres://vai_trò:mật_khẩu@…)",
        None if english.contains("refused") => "máy chủ từ chối kết nối (sai máy, sai cổng, hoặc PostgreSQL chưa chạy)",
        None => "",
    };
    if vietnamese.is_empty() { english } else { format!("{vietnamese} ({english})") }
}

fn describe_english(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => match e.source() {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        },
    }
}

impl Client {
    /// Wraps a connected client.
    pub(crate) fn new(client: postgres::Client) -> Self {
        Client { client, statements: HashMap::new() }
    }

    fn statement(&mut self, sql: &str) -> Result<(postgres::Statement, Rc<[String]>), postgres::Error> {
        if let Some(found) = self.statements.get(sql) {
            return Ok(found.clone());
        }
        if self.statements.len() >= MAX_CACHED_STATEMENTS {
            // Queries built with their values (id lists) must not grow the cache forever.
            self.statements.clear();
        }
        let statement = self.client.prepare(&pg_placeholders(sql))?;
        let names: Rc<[String]> = statement.columns().iter().map(|c| c.name().to_owned()).collect();
        self.statements.insert(sql.to_owned(), (statement.clone(), names.clone()));
        Ok((statement, names))
    }

    /// The names of the columns a statement returns.
    pub(crate) fn column_names(&mut self, sql: &str) -> Result<Vec<String>, postgres::Error> {
        Ok(self.statement(sql)?.1.to_vec())
    }

    /// Runs a statement; the number of rows changed.
    pub(crate) fn execute(&mut self, sql: &str, values: &[Value]) -> Result<u64, postgres::Error> {
        let (statement, _) = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        self.client.execute(&statement, &params)
    }

    /// Every row of a query, with the column names.
    pub(crate) fn query(
        &mut self,
        sql: &str,
        values: &[Value],
    ) -> Result<(Rc<[String]>, Vec<RowValues>), postgres::Error> {
        let (statement, names) = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(&statement, &params)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push((0..row.len()).map(|i| row.try_get::<_, Value>(i)).collect::<Result<Vec<_>, _>>()?);
        }
        Ok((names, out))
    }

    /// Runs statements without parameters (schema changes clear the statement cache).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<(), postgres::Error> {
        let trimmed = sql.trim_start();
        let plain = ["BEGIN", "COMMIT", "ROLLBACK", "SELECT", "SET", "LISTEN", "NOTIFY"]
            .iter()
            .any(|w| trimmed.len() >= w.len() && trimmed[..w.len()].eq_ignore_ascii_case(w));
        if !plain {
            self.statements.clear();
        }
        self.client.batch_execute(sql)
    }

    /// `BEGIN` and the store's write lock (one row, locked until the end of the
    /// transaction): writers take turns, readers never wait.
    pub(crate) fn begin_write(&mut self) -> Result<(), postgres::Error> {
        self.client.batch_execute("BEGIN ISOLATION LEVEL READ COMMITTED")?;
        if let Err(e) = self.client.batch_execute("SELECT 1 FROM vanthu_write_lock WHERE id = 1 FOR UPDATE") {
            let _ = self.client.batch_execute("ROLLBACK");
            return Err(e);
        }
        Ok(())
    }
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::OID => u32::try_from(*i)?.to_sql(ty, out),
                _ if is_text(ty) => i.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot bind an integer as {ty}").into()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ if is_text(ty) => f.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot bind a float as {ty}").into()),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.trim().parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => s.trim().parse::<i32>()?.to_sql(ty, out),
                Type::INT2 => s.trim().parse::<i16>()?.to_sql(ty, out),
                Type::FLOAT8 => s.trim().parse::<f64>()?.to_sql(ty, out),
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                _ => s.as_str().to_sql(ty, out),
            },
            Value::Blob(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ if is_text(ty) => std::str::from_utf8(b)?.to_sql(ty, out),
                _ => Err(format!("cannot bind bytes as {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn is_text(ty: &Type) -> bool {
    matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON | Type::JSONB)
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::BOOL => Value::Integer(i64::from(bool::from_sql(ty, raw)?)),
            Type::INT2 => Value::Integer(i64::from(i16::from_sql(ty, raw)?)),
            Type::INT4 => Value::Integer(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::OID => Value::Integer(i64::from(u32::from_sql(ty, raw)?)),
            Type::FLOAT4 => Value::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::BYTEA => Value::Blob(raw.to_vec()),
            Type::NUMERIC => numeric(raw)?,
            Type::VOID => Value::Null,
            Type::JSONB => Value::Text(String::from_utf8_lossy(raw.get(1..).unwrap_or_default()).into_owned()),
            _ => Value::Text(String::from_utf8(raw.to_vec())?),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Decodes PostgreSQL's binary NUMERIC (what `sum()` of integers returns): an integer
/// when it has no fraction, else a float.
fn numeric(raw: &[u8]) -> Result<Value, BoxError> {
    let word = |i: usize| -> Result<i16, BoxError> {
        Ok(i16::from_be_bytes(raw.get(i..i + 2).ok_or("short numeric")?.try_into()?))
    };
    let ndigits = word(0)? as usize;
    let weight = word(2)?;
    let sign = word(4)? as u16;
    let scale = word(6)?;
    if sign == 0xC000 {
        return Ok(Value::Null);
    }
    let mut value = 0f64;
    let mut integer: Option<i128> = Some(0);
    for d in 0..ndigits {
        let digit = word(8 + 2 * d)?;
        let power = i32::from(weight) - d as i32;
        value += f64::from(digit) * 10_000f64.powi(power);
        integer = match (integer, power >= 0) {
            (Some(acc), true) => {
                10_000i128.checked_pow(power as u32).and_then(|p| acc.checked_add(i128::from(digit) * p))
            }
            (_, false) if digit != 0 => None,
            (acc, _) => acc,
        };
    }
    let negative = sign == 0x4000;
    match integer.and_then(|i| i64::try_from(i).ok()) {
        Some(i) if scale >= 0 => Ok(Value::Integer(if negative { -i } else { i })),
        _ => Ok(Value::Real(if negative { -value } else { value })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_recognised_and_redacted() {
        assert!(is_postgres_url("postgres://a@h/db"));
        assert!(is_postgres_url("PostgreSQL://a@h/db"));
        assert!(!is_postgres_url("/home/a/postgres://x"));
        assert!(!is_postgres_url("vanthu.db"));
        assert_eq!(
            redact_url("postgres://van:bí-mật@10.0.0.5:5432/vp?sslmode=require"),
            "postgres://van:***@10.0.0.5:5432/vp?sslmode=require"
        );
        assert_eq!(redact_url("postgres://van@h/db"), "postgres://van@h/db");
    }

    #[test]
    fn sslrootcert_is_taken_out_of_the_query() {
        let (url, root) = take_query_param("postgres://a@h/db?sslmode=require&sslrootcert=/etc/ca.pem", "sslrootcert");
        assert_eq!(url, "postgres://a@h/db?sslmode=require");
        assert_eq!(root.as_deref(), Some("/etc/ca.pem"));
    }

    #[test]
    fn numeric_sums_decode() {
        // 12345678 = [1234, 5678], weight 1, scale 0.
        let raw = [0, 2, 0, 1, 0, 0, 0, 0, 0x04, 0xD2, 0x16, 0x2E];
        assert_eq!(numeric(&raw).unwrap(), Value::Integer(12_345_678));
        // -0.5 = [5000], weight -1, scale 1.
        let raw = [0, 1, 0xFF, 0xFF, 0x40, 0, 0, 1, 0x13, 0x88];
        assert_eq!(numeric(&raw).unwrap(), Value::Real(-0.5));
    }
}
