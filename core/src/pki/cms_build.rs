//! The CMS SignedData of a PAdES baseline B-B signature (ETSI EN 319 142-1 §6.3,
//! ETSI EN 319 122-1 §5.2): detached, SHA-256, signed attributes content-type,
//! message-digest and signing-certificate-v2 (RFC 5035). No signing-time attribute:
//! PAdES puts the claimed time in the signature dictionary's /M (EN 319 142-1 §5.4.2
//! and table 1, "signing-time shall not be present").

use sha2::{Digest, Sha256};

use super::PkiError;
use super::der_out::{NULL, octets, oid, seq, set_of, small_int, tlv};
use super::keys::KeySigner;

const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const RSA: &str = "1.2.840.113549.1.1.1";
const DATA: &str = "1.2.840.113549.1.7.1";
const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const SIGNING_CERTIFICATE_V2: &str = "1.2.840.113549.1.9.16.2.47";

fn attribute(kind: &str, value: &[u8]) -> Vec<u8> {
    seq(&[&oid(kind), &set_of(&[value.to_vec()])])
}

/// The DER ContentInfo of a detached SignedData over content whose SHA-256 is
/// `digest`, signed by `key`.
pub fn signed_data(key: &dyn KeySigner, digest: &[u8; 32]) -> Result<Vec<u8>, PkiError> {
    let cert = key.certificate();
    let sha256 = seq(&[&oid(SHA256)]);
    // ESSCertIDv2 with the default hash (SHA-256, so omitted) and IssuerSerial.
    let issuer_serial = seq(&[&seq(&[&tlv(0xa4, &cert.issuer_der())]), &cert.serial_der()]);
    let ess_cert_id = seq(&[&octets(&Sha256::digest(&cert.der)), &issuer_serial]);
    let signing_certificate = seq(&[&seq(&[&ess_cert_id])]);
    let attributes = vec![
        attribute(CONTENT_TYPE, &oid(DATA)),
        attribute(MESSAGE_DIGEST, &octets(digest)),
        attribute(SIGNING_CERTIFICATE_V2, &signing_certificate),
    ];
    // Signed over as a SET OF (tag 0x31); stored with the [0] IMPLICIT tag.
    let signed_set = set_of(&attributes);
    let signature = key.sign(&signed_set)?;
    let mut signed_attrs = signed_set.clone();
    signed_attrs[0] = 0xa0;
    let signer_info = seq(&[
        &small_int(1),
        &seq(&[&cert.issuer_der(), &cert.serial_der()]),
        &sha256,
        &signed_attrs,
        &seq(&[&oid(RSA), &NULL]),
        &octets(&signature),
    ]);
    let mut certificates = vec![cert.der.clone()];
    certificates.extend(key.chain().iter().map(|c| c.der.clone()));
    let certificates = tlv(0xa0, &certificates.concat());
    let signed_data = seq(&[
        &small_int(1),
        &set_of(std::slice::from_ref(&sha256)),
        &seq(&[&oid(DATA)]),
        &certificates,
        &set_of(&[signer_info]),
    ]);
    Ok(seq(&[&oid(SIGNED_DATA), &tlv(0xa0, &signed_data)]))
}
