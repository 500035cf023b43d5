//! Moving a whole office between backends (`vanthu copy`, and the backup of a
//! PostgreSQL office as an SQLite file): every table row by row, ids kept, in one
//! transaction on the destination, then the chain and the administration state are
//! verified there and the anchors compared.

use super::sql::{Connection, Value};
use super::{Backend, ChainAnchor, Result, Store, StoreError};

/// Every table that holds office data, parents before children (foreign keys).
/// The search index is rebuilt on the destination, not copied.
pub(crate) const TABLES: &[&str] = &[
    "agencies",
    "units",
    "positions",
    "people",
    "users",
    "user_roles",
    "dossiers",
    "documents",
    "incoming",
    "settings",
    "authority_matrix",
    "number_registers",
    "user_keys",
    "signatures",
    "document_versions",
    "document_relations",
    "audit_events",
    "archive_imports",
    "agency_services",
    "login_throttle",
    "retired_user_keys",
    "delegations",
    "incoming_cohandlers",
    "incoming_notes",
    "incoming_extensions",
    "incoming_opinions",
    "trusted_certificates",
    "certificate_bindings",
    "signed_pdfs",
    "blobs",
    "draft_attachments",
    "attachment_signatures",
    "signing_images",
    "incoming_files",
    "incoming_file_checks",
];

/// Tables whose rows have an `id` column (copied in pages, ids kept).
fn has_id(conn: &Connection, table: &str) -> Result<bool> {
    let names = conn.prepare(&format!("SELECT * FROM {table} LIMIT 0"))?.column_names()?;
    Ok(names.first().is_some_and(|n| n == "id"))
}

/// Rows copied per page.
const PAGE: i64 = 500;

/// What [`Store::copy_to`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Rows copied, all tables together.
    pub rows: u64,
    /// The chain anchor of the source, equal to the destination's.
    pub anchor: ChainAnchor,
}

/// Copies every row of `src` into the empty, migrated `dst`, in one transaction.
pub(crate) fn copy_rows(src: &Connection, dst: &Connection, progress: &mut dyn FnMut(u64, u64)) -> Result<u64> {
    let occupied: bool =
        dst.query_row("SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM audit_events)", [], |r| r.get(0))?;
    if occupied {
        return Err(StoreError::Invalid(
            "cơ sở dữ liệu đích đã có dữ liệu; chỉ chép vào một cơ sở dữ liệu trống (destination not empty)".into(),
        ));
    }
    let mut total = 0u64;
    for table in TABLES {
        total += src.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0))? as u64;
    }
    let tx = dst.begin_write()?;
    let mut done = 0u64;
    let mut closed_dossiers = Vec::new();
    for table in TABLES {
        let names = src.prepare(&format!("SELECT * FROM {table} LIMIT 0"))?.column_names()?;
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let insert = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
        let closed_at = names.iter().position(|n| n == "closed").filter(|_| *table == "dossiers");
        let mut copy_page = |rows: Vec<super::sql::Row>| -> Result<Option<i64>> {
            let mut last = None;
            for row in rows {
                let mut values = row.into_values();
                if let Some(i) = closed_at
                    && values[i] == Value::Integer(1)
                {
                    // Filed documents go in first; the dossier closes after them.
                    values[i] = Value::Integer(0);
                    if let Value::Integer(id) = values[0] {
                        closed_dossiers.push(id);
                    }
                }
                if let Value::Integer(id) = values[0] {
                    last = Some(id);
                }
                tx.execute(&insert, values)?;
                done += 1;
            }
            progress(done, total);
            Ok(last)
        };
        if has_id(src, table)? {
            let page = format!("SELECT * FROM {table} WHERE id > ?1 ORDER BY id LIMIT {PAGE}");
            let mut after = i64::MIN;
            loop {
                let rows = src.rows(&page, &[Value::Integer(after)])?;
                let full = rows.len() as i64 == PAGE;
                match copy_page(rows)? {
                    Some(last) if full => after = last,
                    _ => break,
                }
            }
        } else {
            copy_page(src.rows(&format!("SELECT * FROM {table}"), &[])?)?;
        }
    }
    for id in closed_dossiers {
        tx.execute("UPDATE dossiers SET closed = 1 WHERE id = ?1", [id])?;
    }
    if tx.backend() == Backend::Postgres {
        for table in TABLES {
            if has_id(&tx, table)? {
                tx.execute_batch(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                ))?;
            }
        }
    }
    super::search::flush_pending(&tx)?;
    tx.commit()?;
    Ok(done)
}

/// Writes the office behind `src` (a PostgreSQL store) into the new SQLite file
/// connection `dst`: schema, then every row.
pub(crate) fn into_sqlite_file(
    src: &Connection,
    dst: rusqlite::Connection,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<()> {
    let mut target = Store { conn: Connection::sqlite(dst), path: None, url: None, connect_url: None };
    target.prepare()?;
    copy_rows(src, &target.conn, progress)?;
    Ok(())
}

impl Store {
    /// Copies this whole office into `target` (a new SQLite file, or an empty
    /// PostgreSQL database prepared by `vanthu server init`), then verifies the copy:
    /// its chain and administration state check out and its anchor equals this one.
    /// A failed copy leaves a new file removed and a server database empty.
    pub fn copy_to(&self, target: &str, progress: &mut dyn FnMut(u64, u64)) -> Result<CopyReport> {
        let is_new_file = !super::is_postgres_url(target) && !std::path::Path::new(target).exists();
        if !super::is_postgres_url(target) {
            if let Some(path) = self.path() {
                super::refuse_database_target(path, std::path::Path::new(target)).map_err(StoreError::Invalid)?;
            }
            if !is_new_file {
                return Err(StoreError::Invalid(format!(
                    "tệp {target} đã có; chép vào một tệp mới (destination exists)"
                )));
            }
        }
        let result = Store::open_or_create_target(target).and_then(|copy| self.copy_into(&copy, progress));
        if result.is_err() && is_new_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{target}{suffix}"));
            }
        }
        result
    }

    /// Copies this whole office into the empty, migrated store `copy` and verifies
    /// it (see [`Store::copy_to`]).
    pub fn copy_into(&self, copy: &Store, progress: &mut dyn FnMut(u64, u64)) -> Result<CopyReport> {
        let anchor = self.anchor()?;
        let rows = copy_rows(&self.conn, &copy.conn, progress)?;
        if let Some(broken) = copy.verify()? {
            return Err(StoreError::Invalid(format!("bản chép không qua kiểm tra: {broken}")));
        }
        let copied = copy.anchor()?;
        if copied.events != anchor.events || copied.head != anchor.head {
            return Err(StoreError::Invalid(format!(
                "bản chép có đầu chuỗi {} ({} sự kiện), nguồn có {} ({} sự kiện)",
                copied.head, copied.events, anchor.head, anchor.events
            )));
        }
        Ok(CopyReport { rows, anchor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_of_the_schema_is_copied() {
        let store = Store::open_in_memory().unwrap();
        super::super::sql::sqlite_only!(store);
        let sqlite = store.conn.as_sqlite().unwrap();
        let mut stmt = sqlite
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' \
                 AND name NOT LIKE 'sqlite%' ORDER BY name",
            )
            .unwrap();
        let mut tables: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        tables.sort();
        let mut listed: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
        listed.sort();
        assert_eq!(tables, listed, "a new table must be added to transfer::TABLES");
    }
}
