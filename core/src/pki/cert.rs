//! X.509 certificates: what Vanthu shows of one (subject, issuer, validity), the
//! check of one certificate's signature by its issuer (RSA PKCS #1 v1.5 with SHA-2,
//! RFC 8017), and the path from a signer's certificate to a trusted root (RFC 5280
//! §6, without revocation: Vanthu works offline and says so).

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::Certificate;

use super::PkiError;

/// A parsed certificate with the facts Vanthu shows and checks.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// The certificate's DER bytes.
    pub der: Vec<u8>,
    /// The parsed certificate.
    pub cert: Certificate,
    /// Subject (RFC 4514 text).
    pub subject: String,
    /// The subject's common name (CN), the person's or agency's name.
    pub common_name: String,
    /// Issuer (RFC 4514 text).
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the DER bytes, hex: the certificate's identity in the database.
    pub fingerprint: String,
}

fn time(t: &x509_cert::time::Time) -> DateTime<Utc> {
    let secs = t.to_unix_duration().as_secs();
    DateTime::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0).unwrap_or_default()
}

/// The text of a directory string (UTF8String, PrintableString, IA5String,
/// BMPString).
fn directory_string(value: &der::Any) -> String {
    let bytes = value.value();
    if der::Tagged::tag(value) == der::Tag::BmpString {
        let units: Vec<u16> = bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// The value of attribute `oid` in `name` (the last one), if any.
pub fn name_attribute(name: &x509_cert::name::Name, oid: der::oid::ObjectIdentifier) -> Option<String> {
    name.0.iter().rev().flat_map(|rdn| rdn.0.iter().rev()).find(|a| a.oid == oid).map(|a| directory_string(&a.value))
}

const CN: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("2.5.4.3");

impl CertInfo {
    /// Parses DER bytes.
    pub fn from_der(der: &[u8]) -> Result<CertInfo, PkiError> {
        let cert = Certificate::from_der(der)
            .map_err(|e| PkiError::new(format!("chứng thư số không đọc được (bad certificate: {e})")))?;
        let tbs = &cert.tbs_certificate;
        Ok(CertInfo {
            der: der.to_vec(),
            subject: crate::text::nfc(&tbs.subject.to_string()),
            common_name: crate::text::nfc(&name_attribute(&tbs.subject, CN).unwrap_or_default()),
            issuer: crate::text::nfc(&tbs.issuer.to_string()),
            serial: hex::encode(tbs.serial_number.as_bytes()),
            not_before: time(&tbs.validity.not_before),
            not_after: time(&tbs.validity.not_after),
            fingerprint: hex::encode(Sha256::digest(der)),
            cert,
        })
    }

    /// Every certificate of a PEM file (or one DER certificate).
    pub fn parse_many(bytes: &[u8]) -> Result<Vec<CertInfo>, PkiError> {
        if bytes.first() == Some(&0x30) {
            return Ok(vec![CertInfo::from_der(bytes)?]);
        }
        let certs = Certificate::load_pem_chain(bytes)
            .map_err(|e| PkiError::new(format!("tệp PEM không đọc được (bad PEM: {e})")))?;
        if certs.is_empty() {
            return Err(PkiError::new("tệp không có chứng thư số nào (no certificate in file)".into()));
        }
        certs
            .iter()
            .map(|c| c.to_der().map_err(|e| PkiError::new(format!("chứng thư số hỏng ({e})"))))
            .map(|der| der.and_then(|d| CertInfo::from_der(&d)))
            .collect()
    }

    /// DER of the issuer name.
    pub fn issuer_der(&self) -> Vec<u8> {
        self.cert.tbs_certificate.issuer.to_der().unwrap_or_default()
    }

    /// DER of the subject name.
    pub fn subject_der(&self) -> Vec<u8> {
        self.cert.tbs_certificate.subject.to_der().unwrap_or_default()
    }

    /// DER of the serial number INTEGER.
    pub fn serial_der(&self) -> Vec<u8> {
        self.cert.tbs_certificate.serial_number.to_der().unwrap_or_default()
    }

    /// Whether `at` lies within the validity period.
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    /// Whether the certificate may issue certificates (basicConstraints cA; a v1
    /// certificate without extensions is taken as a CA only when trusted directly).
    pub fn is_ca(&self) -> bool {
        let Some(extensions) = &self.cert.tbs_certificate.extensions else { return false };
        extensions
            .iter()
            .filter(|e| e.extn_id == der::oid::ObjectIdentifier::new_unwrap("2.5.29.19"))
            .filter_map(|e| x509_cert::ext::pkix::BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
            .any(|b| b.ca)
    }

    /// The RSA public key of the certificate.
    pub fn rsa_key(&self) -> Result<RsaPublicKey, PkiError> {
        let spki = &self.cert.tbs_certificate.subject_public_key_info;
        if spki.algorithm.oid.to_string() != "1.2.840.113549.1.1.1" {
            return Err(PkiError::new(format!(
                "khóa {} chưa được hỗ trợ, chỉ RSA (unsupported key algorithm)",
                spki.algorithm.oid
            )));
        }
        RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes())
            .map_err(|e| PkiError::new(format!("khóa RSA hỏng (bad RSA key: {e})")))
    }

    /// Whether `issuer` signed this certificate.
    pub fn signed_by(&self, issuer: &CertInfo) -> bool {
        if self.cert.tbs_certificate.issuer != issuer.cert.tbs_certificate.subject {
            return false;
        }
        let Ok(tbs) = self.cert.tbs_certificate.to_der() else { return false };
        let Some(signature) = self.cert.signature.as_bytes() else { return false };
        let Ok(key) = issuer.rsa_key() else { return false };
        verify_rsa(&key, &self.cert.signature_algorithm.oid.to_string(), &tbs, signature).is_ok()
    }
}

/// Verifies an RSA PKCS #1 v1.5 signature over `data` with the hash that
/// `algorithm` (a sha*WithRSAEncryption OID, or rsaEncryption with SHA-256) names.
pub fn verify_rsa(key: &RsaPublicKey, algorithm: &str, data: &[u8], signature: &[u8]) -> Result<(), PkiError> {
    let bad = |e: rsa::Error| PkiError::new(format!("chữ ký không khớp (signature mismatch: {e})"));
    match algorithm {
        "1.2.840.113549.1.1.11" | "1.2.840.113549.1.1.1" => {
            key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data), signature).map_err(bad)
        }
        "1.2.840.113549.1.1.12" => {
            key.verify(Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(data), signature).map_err(bad)
        }
        "1.2.840.113549.1.1.13" => {
            key.verify(Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(data), signature).map_err(bad)
        }
        other => {
            Err(PkiError::new(format!("thuật toán ký {other} chưa được hỗ trợ (unsupported signature algorithm)")))
        }
    }
}

/// Why a certificate path failed, or the path (signer first, trusted root last).
pub fn build_path(
    signer: &CertInfo,
    pool: &[CertInfo],
    trusted: &[CertInfo],
    at: DateTime<Utc>,
) -> Result<Vec<CertInfo>, PkiError> {
    let mut path = vec![signer.clone()];
    loop {
        let current = path.last().expect("path starts with the signer");
        if !current.valid_at(at) {
            let state = if at < current.not_before { "chưa có hiệu lực" } else { "không còn hiệu lực" };
            return Err(PkiError::new(format!(
                "chứng thư số {} {state} vào {} (hiệu lực {} – {}) (certificate not valid at that time)",
                current.common_name,
                at.format("%d/%m/%Y"),
                current.not_before.format("%d/%m/%Y"),
                current.not_after.format("%d/%m/%Y")
            )));
        }
        if trusted.iter().any(|t| t.fingerprint == current.fingerprint) {
            return Ok(path);
        }
        if path.len() > 8 {
            return Err(PkiError::new("chuỗi chứng thư quá dài (certificate path too long)".into()));
        }
        let issuer = trusted
            .iter()
            .chain(pool.iter())
            .find(|candidate| candidate.fingerprint != current.fingerprint && current.signed_by(candidate))
            .cloned();
        match issuer {
            Some(issuer) if issuer.is_ca() || trusted.iter().any(|t| t.fingerprint == issuer.fingerprint) => {
                path.push(issuer)
            }
            Some(issuer) => {
                return Err(PkiError::new(format!(
                    "{} không phải tổ chức cấp chứng thư (issuer is not a CA)",
                    issuer.subject
                )));
            }
            None => {
                return Err(PkiError::new(format!(
                    "không tin cậy: chứng thư của {} không nối được tới chứng thư gốc tin cậy nào (untrusted: no path to a trusted root; issuer {})",
                    signer.common_name, current.issuer
                )));
            }
        }
    }
}
