//! Digital signatures with legal value (NĐ 30/2020 Điều 5; Luật Giao dịch điện tử
//! 2023): X.509 certificates and their path to the office's trusted roots, signing
//! keys in PKCS #12 files or on PKCS #11 tokens, CMS SignedData, and PAdES baseline
//! B-B signatures appended to the exported PDF/A as incremental updates.

pub mod appearance;
pub mod cert;
pub mod cms_build;
pub mod der_out;
pub mod fields;
pub mod fill_plan;
pub mod keys;
pub mod pades;
pub mod pdf_file;
pub mod verify;

/// A signing or certificate failure, with a Vietnamese message (English in
/// parentheses).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PkiError(String);

impl PkiError {
    /// An error with `message`.
    pub fn new(message: String) -> PkiError {
        PkiError(message)
    }
}

#[cfg(test)]
pub(crate) mod tests;
