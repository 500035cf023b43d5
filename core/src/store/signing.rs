//! Ed25519 sign-off: each user's key pair, the private key encrypted with a key
//! derived from the password (argon2id + ChaCha20-Poly1305), signatures over the
//! SHA-256 of the exact content signed, and their verification.

use super::sql::{OptionalExtension, Transaction, params};
use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand_core::{OsRng, RngCore};

use super::{Result, StoreError, now_text};

fn key_from_password(password: &str, salt: &[u8]) -> Result<Key> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|e| StoreError::Invalid(format!("không tạo được khóa từ mật khẩu: {e}")))?;
    Ok(Key::from(key))
}

fn unhex(text: &str, what: &str) -> Result<Vec<u8>> {
    hex::decode(text).map_err(|_| StoreError::Invalid(format!("{what} hỏng")))
}

/// A user's stored key pair: the public key and the private key encrypted under a
/// key derived from the password (hex columns of `user_keys`).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct KeyRow {
    public: String,
    encrypted: String,
    salt: String,
    nonce: String,
}

fn read_key_row(conn: &super::sql::Connection, user_id: i64) -> Result<Option<KeyRow>> {
    Ok(conn
        .query_row(
            "SELECT public_key, encrypted_private, salt, nonce FROM user_keys WHERE user_id = ?1",
            [user_id],
            |r| Ok(KeyRow { public: r.get(0)?, encrypted: r.get(1)?, salt: r.get(2)?, nonce: r.get(3)? }),
        )
        .optional()?)
}

/// A signing key opened with the password: the stored one, or a new one made for a
/// first signature (not stored yet).
#[derive(Clone)]
pub(crate) enum OpenedKey {
    /// The stored key, decrypted.
    Existing { key: SigningKey, public: String },
    /// A new key and its encrypted row, to store with the first signature.
    New { key: SigningKey, row: KeyRow },
}

/// Opens the stored key with `password`, or makes a new one (argon2id: slow, and
/// needs no database, so the window runs it off the UI thread).
pub(crate) fn open_key(row: Option<&KeyRow>, password: &str) -> Result<OpenedKey> {
    if let Some(row) = row {
        let cipher = ChaCha20Poly1305::new(&key_from_password(password, &unhex(&row.salt, "muối khóa")?)?);
        let nonce = unhex(&row.nonce, "nonce")?;
        let secret = cipher
            .decrypt(Nonce::from_slice(&nonce), unhex(&row.encrypted, "khóa bí mật")?.as_ref())
            .map_err(|_| StoreError::BadCredentials)?;
        let bytes: [u8; 32] = secret.try_into().map_err(|_| StoreError::Invalid("khóa bí mật hỏng".into()))?;
        let key = SigningKey::from_bytes(&bytes);
        if hex::encode(key.verifying_key().as_bytes()) != row.public {
            return Err(StoreError::Invalid("khóa ký không khớp khóa công khai".into()));
        }
        return Ok(OpenedKey::Existing { key, public: row.public.clone() });
    }
    let key = SigningKey::generate(&mut OsRng);
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut nonce);
    let cipher = ChaCha20Poly1305::new(&key_from_password(password, &salt)?);
    let encrypted = cipher
        .encrypt(Nonce::from_slice(&nonce), key.to_bytes().as_ref())
        .map_err(|_| StoreError::Invalid("không mã hóa được khóa ký".into()))?;
    let row = KeyRow {
        public: hex::encode(key.verifying_key().as_bytes()),
        encrypted: hex::encode(encrypted),
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
    };
    Ok(OpenedKey::New { key, row })
}

/// Inside the signing transaction: checks that the key opened is still the user's
/// (a password reset retires it), or stores the new key (audited) on first use.
pub(crate) fn install_key(tx: &Transaction<'_>, user_id: i64, opened: OpenedKey) -> Result<SigningKey> {
    let now_row = read_key_row(tx, user_id)?;
    let changed = || StoreError::Invalid("khóa ký của bạn vừa thay đổi: hãy ký lại (signing key changed)".into());
    match opened {
        OpenedKey::Existing { key, public } => match now_row {
            Some(row) if row.public == public => Ok(key),
            _ => Err(changed()),
        },
        OpenedKey::New { key, row } => {
            if now_row.is_some() {
                return Err(changed());
            }
            tx.execute(
                "INSERT INTO user_keys (user_id, public_key, encrypted_private, salt, nonce, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![user_id, row.public, row.encrypted, row.salt, row.nonce, now_text()],
            )?;
            let username: String = tx.query_row("SELECT username FROM users WHERE id = ?1", [user_id], |r| r.get(0))?;
            let public_key = row.public;
            let author = super::effects::Author { user_id: Some(user_id), username: &username, role: "signer" };
            let comment = format!("khóa ký của {username}: {public_key}");
            let effect = super::effects::AdminEffect::SigningKey { user_id, public_key };
            super::effects::record_effects(tx, &author, "register-key", &comment, &[effect])?;
            Ok(key)
        }
    }
}

/// The user's signing key, created (and stored encrypted) on first use.
pub(crate) fn signing_key(tx: &Transaction<'_>, user_id: i64, password: &str) -> Result<SigningKey> {
    let row = read_key_row(tx, user_id)?;
    install_key(tx, user_id, open_key(row.as_ref(), password)?)
}

/// A signature begun by [`super::Store::begin_signing`]: what unlocking the signer's
/// key needs, read from the database.
#[derive(Clone)]
pub struct SignAttempt {
    login: super::LoginAttempt,
    key_row: Option<KeyRow>,
}

impl std::fmt::Debug for SignAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignAttempt").field("username", &self.login.username()).finish_non_exhaustive()
    }
}

impl SignAttempt {
    /// Checks the password and opens the signing key with it (two argon2id runs,
    /// about a second: run it off the UI thread). Hand the result to
    /// [`super::Store::sign_unlocked`].
    pub fn unlock(self, password: &str) -> UnlockedSigner {
        let checked = self.login.check(password);
        let key = open_key(self.key_row.as_ref(), password).ok();
        UnlockedSigner { checked, key }
    }
}

/// The outcome of [`SignAttempt::unlock`]; only the unlock creates one.
#[derive(Clone)]
pub struct UnlockedSigner {
    pub(crate) checked: super::CheckedLogin,
    pub(crate) key: Option<OpenedKey>,
}

impl std::fmt::Debug for UnlockedSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnlockedSigner").finish_non_exhaustive()
    }
}

impl super::Store {
    /// First step of a signature whose password work runs elsewhere (the window's
    /// worker thread). Nothing is written.
    pub fn begin_signing(&self, actor: &super::Actor) -> Result<SignAttempt> {
        Ok(SignAttempt {
            login: self.begin_login(&actor.user().username)?,
            key_row: read_key_row(&self.conn, actor.user().id)?,
        })
    }
}

/// Signs the SHA-256 (hex) of the content and records the signature.
pub(crate) fn record_signature(
    tx: &Transaction<'_>,
    document_id: i64,
    user_id: i64,
    key: &SigningKey,
    content_hash: &str,
    at: &str,
) -> Result<()> {
    let signature = key.sign(content_hash.as_bytes());
    tx.execute(
        "INSERT INTO signatures (document_id, user_id, public_key, content_hash, signature, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            document_id,
            user_id,
            hex::encode(key.verifying_key().as_bytes()),
            content_hash,
            hex::encode(signature.to_bytes()),
            at
        ],
    )?;
    Ok(())
}

/// Whether a stored signature verifies.
pub(crate) fn signature_verifies(public_key: &str, content_hash: &str, signature: &str) -> bool {
    let (Ok(public), Ok(signature)) = (hex::decode(public_key), hex::decode(signature)) else { return false };
    let (Ok(public), Ok(signature)) = (<[u8; 32]>::try_from(public), <[u8; 64]>::try_from(signature)) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&public) else { return false };
    key.verify(content_hash.as_bytes(), &Signature::from_bytes(&signature)).is_ok()
}

/// Re-encrypts the user's signing key under a new password (a password change keeps
/// the key). Nothing to do for a user who never signed.
pub(crate) fn reencrypt_key(tx: &Transaction<'_>, user_id: i64, old: &str, new: &str) -> Result<()> {
    let exists: bool =
        tx.query_row("SELECT count(*) FROM user_keys WHERE user_id = ?1", [user_id], |r| r.get::<_, i64>(0))? > 0;
    if !exists {
        return Ok(());
    }
    let key = signing_key(tx, user_id, old)?;
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut nonce);
    let cipher = ChaCha20Poly1305::new(&key_from_password(new, &salt)?);
    let encrypted = cipher
        .encrypt(Nonce::from_slice(&nonce), key.to_bytes().as_ref())
        .map_err(|_| StoreError::Invalid("không mã hóa được khóa ký".into()))?;
    tx.execute(
        "UPDATE user_keys SET encrypted_private = ?2, salt = ?3, nonce = ?4 WHERE user_id = ?1",
        params![user_id, hex::encode(encrypted), hex::encode(salt), hex::encode(nonce)],
    )?;
    Ok(())
}

/// An in-app sign-off (Ed25519) of a document, as the document page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApprovalSignature {
    /// Who signed: full name.
    pub signer: String,
    /// When (RFC 3339, as recorded).
    pub signed_at: String,
    /// Fingerprint of the signer's public key: the first 16 bytes of its SHA-256, hex
    /// in groups of four.
    pub fingerprint: String,
    /// SHA-256 (hex) of the exact content signed.
    pub content_hash: String,
    /// The signature verifies with its key and the content signed is the content
    /// kept.
    pub valid: bool,
}

/// The fingerprint of a hex public key (see [`ApprovalSignature::fingerprint`]).
fn fingerprint(public_key_hex: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(hex::decode(public_key_hex).unwrap_or_default());
    hex::encode(&digest[..16])
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

impl super::Store {
    /// The in-app sign-offs of document `id`, oldest first, each checked against the
    /// content kept.
    pub fn approval_signatures(&self, id: i64) -> Result<Vec<ApprovalSignature>> {
        let signed: Option<String> = self
            .conn
            .query_row("SELECT signed_content FROM documents WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .flatten();
        let kept_hash = signed.as_deref().map(super::documents::sha256_hex);
        let mut stmt = self.conn.prepare(
            "SELECT u.full_name, s.signed_at, s.public_key, s.content_hash, s.signature
             FROM signatures s JOIN users u ON u.id = s.user_id WHERE s.document_id = ?1 ORDER BY s.id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (signer, signed_at, public_key, content_hash, signature) = row?;
            let valid = signature_verifies(&public_key, &content_hash, &signature)
                && kept_hash.as_deref() == Some(content_hash.as_str());
            out.push(ApprovalSignature {
                signer,
                signed_at,
                fingerprint: fingerprint(&public_key),
                content_hash,
                valid,
            });
        }
        Ok(out)
    }
}
