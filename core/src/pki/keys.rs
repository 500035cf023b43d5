//! Signing keys: a PKCS #12 file (RFC 7292; PBES2 as OpenSSL 3 and current Windows
//! write it) whose key is decrypted in memory, or a key on a PKCS #11 token (USB
//! token, SoftHSM) that never leaves it: the token computes the signature (C_Sign).

use der::{Decode, Encode};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};

use super::PkiError;
use super::cert::CertInfo;

/// A key able to sign with SHA-256 and RSA PKCS #1 v1.5, with its certificate.
pub trait KeySigner {
    /// The signer's certificate.
    fn certificate(&self) -> &CertInfo;
    /// The other certificates that came with the key (intermediates, root).
    fn chain(&self) -> &[CertInfo];
    /// The RSA PKCS #1 v1.5 signature of SHA-256(`data`).
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, PkiError>;
}

/// A key and certificates read from a PKCS #12 file.
pub struct Pkcs12Key {
    key: RsaPrivateKey,
    certificate: CertInfo,
    chain: Vec<CertInfo>,
}

const DATA: &str = "1.2.840.113549.1.7.1";
const ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";

fn p12_error(e: impl std::fmt::Display) -> PkiError {
    PkiError::new(format!("tệp PKCS#12 không đọc được (bad PKCS#12 file: {e})"))
}

fn decrypt(
    algorithm: &x509_cert::spki::AlgorithmIdentifierOwned,
    password: &str,
    data: &[u8],
) -> Result<Vec<u8>, PkiError> {
    let der = algorithm.to_der().map_err(p12_error)?;
    let scheme = pkcs5::EncryptionScheme::from_der(&der).map_err(|_| {
        PkiError::new(
            "tệp PKCS#12 mã hóa theo kiểu cũ (RC2/3DES); hãy xuất lại với AES (legacy PKCS#12 encryption, re-export with AES)"
                .into(),
        )
    })?;
    if scheme.pbes2().is_none() {
        return Err(PkiError::new(
            "tệp PKCS#12 mã hóa theo kiểu cũ (PBES1); hãy xuất lại với AES (legacy PKCS#12 encryption)".into(),
        ));
    }
    scheme
        .decrypt(password.as_bytes(), data)
        .map_err(|_| PkiError::new("mật khẩu tệp PKCS#12 không đúng (wrong PKCS#12 password)".into()))
}

/// The content of a context-specific [0] EXPLICIT wrapper.
fn explicit_inner(bytes: &[u8]) -> Result<Vec<u8>, PkiError> {
    Ok(der::Any::from_der(bytes).map_err(p12_error)?.value().to_vec())
}

impl Pkcs12Key {
    /// Reads `bytes` (a .p12/.pfx file) with `password`. The certificate kept is the
    /// one whose public key matches the private key.
    pub fn open(bytes: &[u8], password: &str) -> Result<Pkcs12Key, PkiError> {
        let pfx = pkcs12::pfx::Pfx::from_der(bytes).map_err(p12_error)?;
        if pfx.auth_safe.content_type.to_string() != DATA {
            return Err(p12_error("authSafe is not data"));
        }
        let auth =
            der::asn1::OctetString::from_der(&pfx.auth_safe.content.to_der().map_err(p12_error)?).map_err(p12_error)?;
        let safes = Vec::<cms::content_info::ContentInfo>::from_der(auth.as_bytes()).map_err(p12_error)?;
        let mut bags = Vec::new();
        for safe in safes {
            let content = safe.content.to_der().map_err(p12_error)?;
            let plain = match safe.content_type.to_string().as_str() {
                DATA => der::asn1::OctetString::from_der(&content).map_err(p12_error)?.as_bytes().to_vec(),
                ENCRYPTED_DATA => {
                    let encrypted = cms::encrypted_data::EncryptedData::from_der(&content).map_err(p12_error)?;
                    let info = encrypted.enc_content_info;
                    let data = info.encrypted_content.ok_or_else(|| p12_error("no content"))?;
                    decrypt(&info.content_enc_alg, password, data.as_bytes())?
                }
                other => return Err(p12_error(format!("content type {other}"))),
            };
            bags.extend(pkcs12::safe_bag::SafeContents::from_der(&plain).map_err(p12_error)?);
        }
        let mut key = None;
        let mut certs = Vec::new();
        for bag in bags {
            let value = explicit_inner(&bag.bag_value)?;
            if bag.bag_id == pkcs12::PKCS_12_PKCS8_KEY_BAG_OID {
                let shrouded = pkcs12::pbe_params::EncryptedPrivateKeyInfo::from_der(&value).map_err(p12_error)?;
                let plain = decrypt(&shrouded.encryption_algorithm, password, shrouded.encrypted_data.as_bytes())?;
                key = Some(RsaPrivateKey::from_pkcs8_der(&plain).map_err(|e| {
                    PkiError::new(format!("khóa bí mật không phải RSA hoặc hỏng (not an RSA key: {e})"))
                })?);
            } else if bag.bag_id == pkcs12::PKCS_12_KEY_BAG_OID {
                key = Some(RsaPrivateKey::from_pkcs8_der(&value).map_err(p12_error)?);
            } else if bag.bag_id == pkcs12::PKCS_12_CERT_BAG_OID {
                let cert = pkcs12::cert_type::CertBag::from_der(&value).map_err(p12_error)?;
                certs.push(CertInfo::from_der(cert.cert_value.as_bytes())?);
            }
        }
        let key = key.ok_or_else(|| PkiError::new("tệp PKCS#12 không có khóa bí mật (no private key)".into()))?;
        let public = rsa::RsaPublicKey::from(&key);
        let index = certs.iter().position(|c| c.rsa_key().is_ok_and(|k| k == public)).ok_or_else(|| {
            PkiError::new("tệp PKCS#12 không có chứng thư của khóa (no certificate for the key)".into())
        })?;
        let certificate = certs.remove(index);
        Ok(Pkcs12Key { key, certificate, chain: certs })
    }
}

impl KeySigner for Pkcs12Key {
    fn certificate(&self) -> &CertInfo {
        &self.certificate
    }
    fn chain(&self) -> &[CertInfo] {
        &self.chain
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, PkiError> {
        self.key
            .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data))
            .map_err(|e| PkiError::new(format!("không ký được (signing failed: {e})")))
    }
}

/// A key on a PKCS #11 token: the session stays open while the key is used; the
/// token signs (CKM_SHA256_RSA_PKCS).
pub struct Pkcs11Key {
    session: cryptoki::session::Session,
    key: cryptoki::object::ObjectHandle,
    certificate: CertInfo,
    _context: cryptoki::context::Pkcs11,
}

fn p11_error(e: impl std::fmt::Display) -> PkiError {
    PkiError::new(format!("lỗi thiết bị ký số PKCS#11 (token error: {e})"))
}

impl Pkcs11Key {
    /// Opens `module` (a PKCS #11 library), the token labelled `token` (or the only
    /// token present), logs in with `pin` and finds the key with a certificate.
    pub fn open(module: &std::path::Path, token: Option<&str>, pin: &str) -> Result<Pkcs11Key, PkiError> {
        use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
        use cryptoki::object::{Attribute, AttributeType, ObjectClass};
        use cryptoki::session::UserType;
        let context = Pkcs11::new(module).map_err(|e| {
            PkiError::new(format!("không nạp được thư viện PKCS#11 {} (cannot load module: {e})", module.display()))
        })?;
        context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)).map_err(p11_error)?;
        let mut present = Vec::new();
        for slot in context.get_slots_with_token().map_err(p11_error)? {
            let info = context.get_token_info(slot).map_err(p11_error)?;
            // A blank slot (SoftHSM keeps one free) holds no key.
            if info.token_initialized() {
                present.push((slot, info.label().trim().to_owned()));
            }
        }
        let named: Vec<String> = present
            .iter()
            .map(|(_, l)| if l.is_empty() { "(không nhãn)".to_owned() } else { format!("«{l}»") })
            .collect();
        let matching: Vec<_> = present.iter().filter(|(_, l)| token.is_none_or(|t| t.trim() == l)).collect();
        let slot = match (matching.as_slice(), token) {
            ([(slot, _)], _) => *slot,
            ([], _) if present.is_empty() => {
                return Err(PkiError::new("không thấy thiết bị ký số nào: hãy cắm thiết bị (no token present)".into()));
            }
            ([], Some(t)) => {
                return Err(PkiError::new(format!(
                    "không thấy thiết bị ký số «{}»; đang cắm: {} (token not found)",
                    t.trim(),
                    named.join(", ")
                )));
            }
            _ => {
                return Err(PkiError::new(format!(
                    "có nhiều thiết bị ký số ({}): hãy ghi nhãn thiết bị muốn dùng (--token trên dòng lệnh, ô «Nhãn thiết bị» trong cửa sổ) (several tokens)",
                    named.join(", ")
                )));
            }
        };
        let session = context.open_ro_session(slot).map_err(p11_error)?;
        session
            .login(UserType::User, Some(&cryptoki::types::AuthPin::new(pin.into())))
            .map_err(|e| PkiError::new(format!("mã PIN không đúng hoặc thiết bị bị khóa (login failed: {e})")))?;
        let certs = session.find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)]).map_err(p11_error)?;
        for handle in certs {
            let attrs =
                session.get_attributes(handle, &[AttributeType::Value, AttributeType::Id]).map_err(p11_error)?;
            let mut value = None;
            let mut id = None;
            for a in attrs {
                match a {
                    Attribute::Value(v) => value = Some(v),
                    Attribute::Id(i) => id = Some(i),
                    _ => {}
                }
            }
            let (Some(value), Some(id)) = (value, id) else { continue };
            let Ok(certificate) = CertInfo::from_der(&value) else { continue };
            let keys = session
                .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY), Attribute::Id(id)])
                .map_err(p11_error)?;
            if let Some(&key) = keys.first() {
                return Ok(Pkcs11Key { session, key, certificate, _context: context });
            }
        }
        Err(PkiError::new(
            "thiết bị ký số không có khóa nào kèm chứng thư (no key with a certificate on the token)".into(),
        ))
    }
}

impl KeySigner for Pkcs11Key {
    fn certificate(&self) -> &CertInfo {
        &self.certificate
    }
    fn chain(&self) -> &[CertInfo] {
        &[]
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, PkiError> {
        self.session.sign(&cryptoki::mechanism::Mechanism::Sha256RsaPkcs, self.key, data).map_err(p11_error)
    }
}
