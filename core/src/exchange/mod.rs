//! Interchange formats: `vanthu.document/1` JSON (and later edXML).

pub mod diff;
pub mod json;
pub mod limits;

pub use json::{InputError, document_to_json, parse_document};
