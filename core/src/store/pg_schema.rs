//! The PostgreSQL schema: versioned migrations (numbered like the SQLite schema
//! version they reach, so both backends report the same version), the server set-up
//! (`vanthu server init`: schema, application role, grants) and the schema check.

use super::sql::{Connection, OptionalExtension};
use super::{Result, StoreError, schema_version};

/// The SQLite schema version the PostgreSQL baseline stands for (0001–0012).
const BASELINE: i64 = 11;

/// Migrations for PostgreSQL: the baseline, then one file per later SQLite migration
/// (same name, same order), so each brings both backends to the same version.
const PG_MIGRATIONS: &[&str] = &[
    include_str!("pg_migrations/0011_baseline.sql"),
    include_str!("pg_migrations/0013_files.sql"),
    include_str!("pg_migrations/0014_outgoing_files.sql"),
    include_str!("pg_migrations/0015_incoming_opinions.sql"),
];

/// (version reached, SQL) of each PostgreSQL migration.
fn pg_migrations() -> impl Iterator<Item = (i64, &'static str)> {
    PG_MIGRATIONS.iter().enumerate().map(|(i, sql)| (BASELINE + i as i64, *sql))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_sqlite_migration_has_its_postgresql_counterpart() {
        assert_eq!(super::pg_migrations().last().map(|(v, _)| v), Some(super::schema_version()));
    }
}

/// Tables an application role reads and appends to but never changes or removes.
pub(crate) const APPEND_ONLY_TABLES: &[&str] = &[
    "audit_events",
    "signatures",
    "document_versions",
    "retired_user_keys",
    "signed_pdfs",
    "attachment_signatures",
    "blobs",
    "incoming_files",
    "incoming_file_checks",
];

/// The schema version of the database (0 for an empty one).
pub(crate) fn version(conn: &Connection) -> Result<i64> {
    let has_table: bool = conn.query_row("SELECT to_regclass('vanthu_schema') IS NOT NULL", [], |r| r.get(0))?;
    if !has_table {
        let foreign: bool = conn.query_row(
            "SELECT to_regclass('documents') IS NOT NULL OR to_regclass('users') IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        if foreign {
            return Err(StoreError::NotVanthu("cơ sở dữ liệu PostgreSQL này".into()));
        }
        return Ok(0);
    }
    Ok(conn.query_row("SELECT version FROM vanthu_schema", [], |r| r.get(0)).optional()?.unwrap_or(0))
}

/// Brings the database to this build's schema, under a lock so that two desks
/// starting at once do not both migrate. A newer schema is refused untouched.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let latest = schema_version();
    let found = version(conn)?;
    if found > latest {
        return Err(StoreError::TooNew { path: "PostgreSQL".into(), found, supported: latest });
    }
    if found == latest {
        return Ok(());
    }
    conn.execute_batch("BEGIN; SELECT pg_advisory_xact_lock(1448365141)")?;
    let outcome = (|| -> Result<()> {
        let found = version(conn)?;
        if found == 0 {
            conn.execute_batch(
                "CREATE TABLE vanthu_schema (version BIGINT NOT NULL); INSERT INTO vanthu_schema VALUES (0)",
            )?;
        }
        for (reached, sql) in pg_migrations().filter(|(v, _)| *v > found) {
            conn.execute_batch(sql).map_err(|e| StoreError::Migration(format!("PostgreSQL {reached}: {e}")))?;
            conn.execute("UPDATE vanthu_schema SET version = ?1", [reached])?;
        }
        Ok(())
    })();
    match outcome {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    let reached = version(conn)?;
    if reached != latest {
        return Err(StoreError::Migration(format!("PostgreSQL schema {reached}, expected {latest}")));
    }
    Ok(())
}

/// `"ok"` when the schema is this build's and every table is there; otherwise what
/// is wrong. (The server keeps pages sound itself: checksums and WAL.)
pub(crate) fn integrity(conn: &Connection) -> Result<String> {
    let found = version(conn)?;
    if found != schema_version() {
        return Ok(format!("schema {found}, expected {}", schema_version()));
    }
    let mut missing = Vec::new();
    for table in ["documents", "incoming", "dossiers", "audit_events", "search_index", "vanthu_write_lock"]
        .iter()
        .chain(APPEND_ONLY_TABLES)
    {
        let there: bool = conn.query_row("SELECT to_regclass(?1) IS NOT NULL", [table], |r| r.get(0))?;
        if !there {
            missing.push(*table);
        }
    }
    Ok(if missing.is_empty() { "ok".into() } else { format!("missing tables: {}", missing.join(", ")) })
}

/// Tables whose rows the application changes but never removes: the desks' role
/// gets no DELETE or TRUNCATE on them, so no desk can make a record disappear.
pub(crate) const KEPT_TABLES: &[&str] = &["documents", "incoming", "dossiers", "users", "people", "agencies"];

/// What `vanthu server init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSetup {
    /// The schema version now in the database.
    pub schema_version: i64,
    /// The application role the desks log in as.
    pub app_role: String,
    /// Whether the role was created now (false: it existed and its grants were renewed).
    pub role_created: bool,
}

/// Grants the application role what the desks need and nothing more: read and
/// append everywhere, change only the tables that change, never UPDATE, DELETE or
/// TRUNCATE the append-only records.
pub(crate) fn grant_app_role(conn: &Connection, role: &str, password: Option<&str>) -> Result<bool> {
    let valid = role.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && role.starts_with(|c: char| c.is_ascii_lowercase())
        && role.len() <= 63
        && !role.starts_with("pg_");
    if !valid {
        return Err(StoreError::Invalid(format!(
            "tên vai trò PostgreSQL «{role}»: chữ thường không dấu, số và _, bắt đầu bằng chữ, không bắt đầu bằng pg_ (role name)"
        )));
    }
    let (exists, powerful): (bool, bool) = conn.query_row(
        "SELECT count(*) > 0, coalesce(bool_or(rolsuper OR rolcreaterole OR rolcreatedb OR rolname = current_user), false)
         FROM pg_roles WHERE rolname = ?1",
        [role],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if powerful {
        return Err(StoreError::Invalid(format!(
            "vai trò «{role}» là chủ sở hữu hoặc có quyền quản trị máy chủ; máy trạm cần một vai trò riêng, ít quyền \
             (the application role must not be the owner or a privileged role)"
        )));
    }
    // A SCRAM verifier, never the password: statements can end up in the server's log.
    let quoted_password = password.map(|p| format!("'{}'", postgres_protocol::password::scram_sha_256(p.as_bytes())));
    if !exists {
        let with_password = quoted_password.as_deref().map(|p| format!(" PASSWORD {p}")).unwrap_or_default();
        conn.execute_batch(&format!("CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE{with_password}"))?;
    } else if let Some(p) = &quoted_password {
        conn.execute_batch(&format!("ALTER ROLE {role} PASSWORD {p}"))?;
    }
    let database: String = conn.query_row("SELECT current_database()", [], |r| r.get(0))?;
    let schema: String = conn.query_row("SELECT current_schema()", [], |r| r.get(0))?;
    let tables: Vec<String> = conn
        .prepare("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")?
        .query_map([], |r| r.get(0))?
        .collect::<super::sql::Result<_>>()?;
    let mut sql = format!(
        "GRANT CONNECT ON DATABASE \"{database}\" TO {role}; GRANT USAGE ON SCHEMA \"{schema}\" TO {role}; \
         REVOKE CREATE ON SCHEMA \"{schema}\" FROM {role}; \
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA \"{schema}\" TO {role};"
    );
    for table in &tables {
        sql.push_str(&format!("REVOKE ALL ON \"{table}\" FROM {role};"));
        let rights = if table == "vanthu_schema" {
            "SELECT"
        } else if table == "vanthu_write_lock" {
            // FOR UPDATE needs UPDATE; the row itself must never go.
            "SELECT, UPDATE"
        } else if APPEND_ONLY_TABLES.contains(&table.as_str()) {
            "SELECT, INSERT"
        } else if KEPT_TABLES.contains(&table.as_str()) {
            "SELECT, INSERT, UPDATE"
        } else {
            "SELECT, INSERT, UPDATE, DELETE"
        };
        sql.push_str(&format!("GRANT {rights} ON \"{table}\" TO {role};"));
    }
    conn.execute_batch(&sql)?;
    Ok(!exists)
}
