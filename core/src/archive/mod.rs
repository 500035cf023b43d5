//! Archive: the retention table, archive packages (export, offline verification,
//! import) and the pieces of the file plan that are not SQL. The SQL side (dossiers,
//! search index, backup) lives in [`crate::store`].

#[cfg(test)]
mod bomb_tests;
mod container;
pub mod package;

pub use container::is_zip;
mod retention;

pub use retention::{RETENTION_TOML, RetentionItem, RetentionTable, parse_table};
