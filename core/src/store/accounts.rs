//! Accounts: argon2id password hashes, login, and the authenticated [`Actor`].

use super::sql::{OptionalExtension, Transaction, params};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

use super::{Result, Store, StoreError, now_text};
use crate::model::{Role, User};
use crate::store::org::NewUser;
use crate::text::nfc;

/// A user who has proved their identity. Only the store creates one (by login or
/// by creating the first administrator), so a core function that takes an `&Actor`
/// knows who acts and with which roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    user: User,
    must_change_password: bool,
}

impl Actor {
    /// The account.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// Whether the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.user.roles.contains(&role)
    }

    /// Refuses unless the actor holds `role`.
    pub fn require(&self, role: Role, action: &str) -> Result<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(StoreError::Denied(format!("{} cần vai trò {} để {action}", self.user.username, role.label())))
        }
    }
}

/// A login begun by [`Store::begin_login`]: the name typed and the stored hash to
/// check against (none for an unknown name: a dummy hash is checked instead, so
/// that known and unknown names take the same time).
#[derive(Clone)]
pub struct LoginAttempt {
    typed: String,
    hash: Option<String>,
}

impl std::fmt::Debug for LoginAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginAttempt").field("username", &self.typed).finish_non_exhaustive()
    }
}

impl LoginAttempt {
    /// Checks `password` against the hash (argon2id: about half a second; needs no
    /// database, so it can run on another thread).
    pub fn check(self, password: &str) -> CheckedLogin {
        let matches = verify_password(password, self.hash.as_deref().unwrap_or(DUMMY_HASH.as_str()));
        CheckedLogin { attempt: self, matches }
    }

    /// The user name as typed (trimmed, NFC).
    pub fn username(&self) -> &str {
        &self.typed
    }
}

/// The outcome of [`LoginAttempt::check`], to hand to [`Store::finish_login`]. Only
/// the check creates one.
#[derive(Clone)]
pub struct CheckedLogin {
    attempt: LoginAttempt,
    matches: bool,
}

impl std::fmt::Debug for CheckedLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedLogin").field("username", &self.attempt.typed).finish_non_exhaustive()
    }
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub(crate) fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("không băm được mật khẩu: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// The shortest password an office may allow (issue #12); the setting
/// `password_min_length` may raise it, never lower it.
pub const MIN_PASSWORD_LENGTH: usize = 10;

/// Consecutive failures after which a name must wait.
pub const LOCK_AFTER_FAILURES: i64 = 5;

/// The first wait, doubled at each further failure up to [`MAX_LOCK_SECONDS`].
pub const FIRST_LOCK_SECONDS: i64 = 30;

/// The longest wait.
pub const MAX_LOCK_SECONDS: i64 = 15 * 60;

/// The wait after `failures` consecutive failures, if any.
pub fn lock_seconds(failures: i64) -> Option<i64> {
    (failures >= LOCK_AFTER_FAILURES).then(|| {
        let doublings = (failures - LOCK_AFTER_FAILURES).min(20) as u32;
        (FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS)
    })
}

/// Checks a new password against the office's minimum length: at least `min`
/// characters (never fewer than [`MIN_PASSWORD_LENGTH`]), not only spaces.
pub(crate) fn validate_password(password: &str, min: usize) -> Result<()> {
    let min = min.max(MIN_PASSWORD_LENGTH);
    if password.trim().is_empty() {
        return Err(StoreError::Invalid("mật khẩu không được chỉ gồm khoảng trắng".into()));
    }
    if password.chars().count() < min {
        return Err(StoreError::Invalid(format!("mật khẩu phải có ít nhất {min} ký tự")));
    }
    if password.chars().count() > 1024 {
        return Err(StoreError::Invalid("mật khẩu dài quá 1024 ký tự".into()));
    }
    Ok(())
}

/// Checks a new user name and password.
pub(crate) fn validate_credentials(username: &str, password: &str) -> Result<()> {
    let name_ok = !username.is_empty()
        && username.len() <= 64
        && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !name_ok {
        return Err(StoreError::Invalid(
            "tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang (tối đa 64 ký tự)".into(),
        ));
    }
    validate_password(password, MIN_PASSWORD_LENGTH)
}

pub(crate) fn insert_user(tx: &Transaction<'_>, new: &NewUser, password_hash: &str) -> Result<i64> {
    let new_id = tx.query_row(
        "INSERT INTO users (username, full_name, person_id, agency_id, password_hash, active, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6) RETURNING id",
        params![new.username, nfc(&new.full_name), new.person_id, new.agency_id, password_hash, now_text()],
        |r| r.get::<_, i64>(0),
    )?;
    let id = new_id;
    for role in &new.roles {
        tx.execute(
            "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![id, role.code()],
        )?;
    }
    Ok(id)
}

/// A hash no password matches quickly: unknown names are checked against it so they
/// take as long as known ones.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password("vanthu: không có tài khoản này").unwrap_or_else(|_| {
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$6xbkVBp8dgBdCIf9vl0mCNfJ5iS4ELZ1G/aV7OI0t9E".to_owned()
    })
});

fn must_change(conn: &super::sql::Connection, id: i64) -> Result<bool> {
    Ok(conn.query_row("SELECT must_change_password FROM users WHERE id = ?1", [id], |r| r.get::<_, i64>(0))? == 1)
}

/// Appends a login event (failure, wait, password change) to the audit log.
fn login_event(
    tx: &Transaction<'_>,
    user_id: Option<i64>,
    username: &str,
    action: &str,
    comment: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let mut event = super::workflow::system_event(user_id, username, "user", action, comment, None);
    event.at = now.with_timezone(&chrono::Local).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    super::workflow::append_event(tx, &event).map(|_| ())
}

pub(crate) fn user_id_by_name(tx: &super::sql::Connection, username: &str) -> Result<Option<i64>> {
    Ok(tx.query_row("SELECT id FROM users WHERE username = ?1", [username], |r| r.get(0)).optional()?)
}

fn load_user(conn: &super::sql::Connection, id: i64) -> Result<User> {
    let mut user = conn
        .query_row("SELECT id, username, full_name, person_id, agency_id, active FROM users WHERE id = ?1", [id], |r| {
            Ok(User {
                id: r.get(0)?,
                username: r.get(1)?,
                full_name: r.get(2)?,
                person_id: r.get(3)?,
                agency_id: r.get(4)?,
                roles: Vec::new(),
                active: r.get::<_, i64>(5)? == 1,
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("người dùng #{id}")))?;
    let mut stmt = conn.prepare("SELECT role FROM user_roles WHERE user_id = ?1")?;
    let mut roles: Vec<Role> = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .filter_map(|code| code.ok().and_then(|c| Role::from_code(&c)))
        .collect();
    roles.sort();
    user.roles = roles;
    Ok(user)
}

impl Store {
    /// Whether the database has no user yet (the first-run path).
    pub fn needs_first_admin(&self) -> Result<bool> {
        let count: i64 = self.conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
        Ok(count == 0)
    }

    /// Creates the first administrator of an empty database and logs them in.
    /// Refused once any user exists.
    pub fn create_first_admin(&mut self, username: &str, full_name: &str, password: &str) -> Result<Actor> {
        validate_credentials(username, password)?;
        let hash = hash_password(password)?;
        let id = self.write(|tx| {
            let count: i64 = tx.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
            if count > 0 {
                return Err(StoreError::Denied(
                    "cơ sở dữ liệu đã có người dùng; quản trị viên đầu tiên chỉ tạo được trên cơ sở dữ liệu trống"
                        .into(),
                ));
            }
            let full_name = if full_name.trim().is_empty() { username } else { full_name.trim() };
            let new = NewUser {
                username: username.to_owned(),
                full_name: full_name.to_owned(),
                person_id: None,
                agency_id: None,
                roles: vec![Role::Admin],
            };
            let id = insert_user(tx, &new, &hash)?;
            let effect = super::effects::account_effect(tx, id)?;
            let author = super::effects::Author { user_id: Some(id), username, role: Role::Admin.code() };
            let comment = format!("quản trị viên đầu tiên #{id} {username}");
            super::effects::record_effects(tx, &author, "create-first-admin", &comment, &[effect])?;
            Ok(id)
        })?;
        Ok(Actor { user: load_user(&self.conn, id)?, must_change_password: false })
    }

    /// Checks a user name and password; on success returns the actor. Refused while
    /// the name waits after repeated failures, and for an account whose password an
    /// administrator reset until its owner changes it ([`Store::change_password`]).
    pub fn login(&self, username: &str, password: &str) -> Result<Actor> {
        self.login_at(username, password, chrono::Utc::now())
    }

    /// [`Store::login`] at a given time (tests of the waits).
    pub fn login_at(&self, username: &str, password: &str, now: chrono::DateTime<chrono::Utc>) -> Result<Actor> {
        let actor = self.authenticate(username, password, now)?;
        if actor.must_change_password {
            return Err(StoreError::MustChangePassword(actor.user.username));
        }
        Ok(actor)
    }

    /// Checks the password (always hashing, so known, unknown and waiting names take
    /// the same time), records failures and waits, and audits each failure.
    fn authenticate(&self, username: &str, password: &str, now: chrono::DateTime<chrono::Utc>) -> Result<Actor> {
        let checked = self.begin_login(username)?.check(password);
        self.finish_authentication(checked, now)
    }

    /// First step of a login whose password hash runs elsewhere (the window's worker
    /// thread): reads what the check needs. Nothing is written.
    pub fn begin_login(&self, username: &str) -> Result<LoginAttempt> {
        let typed: String = nfc(username.trim()).chars().take(64).collect();
        let hash: Option<String> = self
            .conn
            .query_row("SELECT password_hash FROM users WHERE username = ?1", [&typed], |r| r.get(0))
            .optional()?;
        Ok(LoginAttempt { typed, hash })
    }

    /// Last step of a login begun with [`Store::begin_login`] and checked with
    /// [`LoginAttempt::check`]: records the success or the failure (and the waits),
    /// exactly as [`Store::login`] does.
    pub fn finish_login(&self, checked: CheckedLogin) -> Result<Actor> {
        let actor = self.finish_authentication(checked, chrono::Utc::now())?;
        if actor.must_change_password {
            return Err(StoreError::MustChangePassword(actor.user.username));
        }
        Ok(actor)
    }

    fn finish_authentication(&self, checked: CheckedLogin, now: chrono::DateTime<chrono::Utc>) -> Result<Actor> {
        let CheckedLogin { attempt, matches } = checked;
        let typed = attempt.typed;
        let tx = self.conn.begin_write()?;
        // Read again inside the transaction: a wait set or a password changed since
        // the attempt began counts (the check was against the hash read then).
        let row: Option<(i64, String, i64)> = tx
            .query_row("SELECT id, password_hash, active FROM users WHERE username = ?1", [&typed], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let (failures, locked_until): (i64, Option<String>) = tx
            .query_row("SELECT failures, locked_until FROM login_throttle WHERE username = ?1", [&typed], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .unwrap_or((0, None));
        let matches = matches && row.as_ref().map(|r| &r.1) == attempt.hash.as_ref();
        let wait = locked_until
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| (t.with_timezone(&chrono::Utc) - now).num_seconds())
            .filter(|s| *s > 0);
        let user_id = row.as_ref().map(|r| r.0);
        if let Some(seconds) = wait {
            login_event(
                &tx,
                user_id,
                &typed,
                "login-refused",
                &format!("đang chờ {seconds} giây sau nhiều lần sai"),
                now,
            )?;
            tx.commit()?;
            return Err(StoreError::LoginLocked { seconds });
        }
        match row {
            Some((id, _, 1)) if matches => {
                tx.execute("DELETE FROM login_throttle WHERE username = ?1", [&typed])?;
                tx.commit()?;
                Ok(Actor { must_change_password: must_change(&self.conn, id)?, user: load_user(&self.conn, id)? })
            }
            _ => {
                let failures = failures + 1;
                let until = lock_seconds(failures)
                    .map(|s| (now + chrono::Duration::seconds(s)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                tx.execute(
                    "INSERT INTO login_throttle (username, failures, locked_until) VALUES (?1, ?2, ?3)
                     ON CONFLICT (username) DO UPDATE SET failures = ?2, locked_until = ?3",
                    params![typed, failures, until],
                )?;
                let note = match lock_seconds(failures) {
                    Some(s) => format!("sai lần thứ {failures} liên tiếp; chờ {s} giây"),
                    None => format!("sai lần thứ {failures} liên tiếp"),
                };
                login_event(&tx, user_id, &typed, "login-failed", &note, now)?;
                tx.commit()?;
                Err(StoreError::BadCredentials)
            }
        }
    }

    /// The shortest password the office allows (setting `password_min_length`, never
    /// below [`MIN_PASSWORD_LENGTH`]).
    pub fn password_min_length(&self) -> Result<usize> {
        Ok(self.setting("password_min_length")?.and_then(|v| v.parse().ok()).unwrap_or(0).max(MIN_PASSWORD_LENGTH))
    }

    /// A user changes their own password (the old one proves who they are; it also
    /// works when an administrator's reset requires the change). The signing key is
    /// re-encrypted under the new password. Audited.
    pub fn change_password(&mut self, username: &str, old: &str, new: &str) -> Result<()> {
        let actor = self.authenticate(username, old, chrono::Utc::now())?;
        validate_password(new, self.password_min_length()?)?;
        if new == old {
            return Err(StoreError::Invalid("mật khẩu mới phải khác mật khẩu cũ".into()));
        }
        let hash = hash_password(new)?;
        let user = actor.user.clone();
        self.write(|tx| {
            super::signing::reencrypt_key(tx, user.id, old, new)?;
            tx.execute(
                "UPDATE users SET password_hash = ?2, must_change_password = 0 WHERE id = ?1",
                params![user.id, hash],
            )?;
            login_event(tx, Some(user.id), &user.username, "password-change", "đổi mật khẩu", chrono::Utc::now())
        })
    }

    /// An administrator resets a user's password to a temporary one: the user must
    /// change it at the next login, and their signing key is retired (signatures made
    /// with it still verify; a new key is made at the next signature). The user's
    /// waits are lifted. Audited.
    pub fn reset_password(&mut self, actor: &Actor, user_id: i64, temporary: &str) -> Result<()> {
        self.require_admin(actor, "đặt lại mật khẩu")?;
        validate_password(temporary, self.password_min_length()?)?;
        let hash = hash_password(temporary)?;
        self.write(|tx| {
            let username: String = tx
                .query_row("SELECT username FROM users WHERE id = ?1", [user_id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("người dùng #{user_id}")))?;
            let now = now_text();
            let retired = tx.execute(
                "INSERT INTO retired_user_keys (user_id, public_key, created_at, retired_at)
                 SELECT user_id, public_key, created_at, ?2 FROM user_keys WHERE user_id = ?1",
                params![user_id, now],
            )?;
            tx.execute("DELETE FROM user_keys WHERE user_id = ?1", [user_id])?;
            tx.execute(
                "UPDATE users SET password_hash = ?2, must_change_password = 1 WHERE id = ?1",
                params![user_id, hash],
            )?;
            tx.execute("DELETE FROM login_throttle WHERE username = ?1", [&username])?;
            let note = format!(
                "đặt lại mật khẩu của {username} (#{user_id}); phải đổi khi đăng nhập{}",
                if retired > 0 { "; khóa ký cũ đã thu hồi" } else { "" }
            );
            let effects =
                if retired > 0 { vec![super::effects::AdminEffect::SigningKeyRetired { user_id }] } else { Vec::new() };
            super::effects::record_effects(tx, &super::effects::Author::admin(actor), "password-reset", &note, &effects)
        })
    }

    /// An administrator lifts the wait of a name after repeated failures. Audited.
    pub fn unlock_login(&mut self, actor: &Actor, username: &str) -> Result<()> {
        self.require_admin(actor, "mở khóa đăng nhập")?;
        let typed: String = username.trim().chars().take(64).collect();
        self.write(|tx| {
            tx.execute("DELETE FROM login_throttle WHERE username = ?1", [&typed])?;
            super::admin::admin_event(tx, actor, "login-unlock", &format!("mở khóa đăng nhập của {typed}"))
        })
    }

    /// Creates a user account. Only an administrator may.
    pub fn create_user(&mut self, actor: &Actor, new: &NewUser, password: &str) -> Result<User> {
        self.require_admin(actor, "tạo tài khoản")?;
        validate_credentials(&new.username, password)?;
        let hash = hash_password(password)?;
        let id = self.write(|tx| {
            if user_id_by_name(tx, &new.username)?.is_some() {
                return Err(StoreError::Invalid(format!("tên đăng nhập `{}` đã tồn tại", new.username)));
            }
            let id = insert_user(tx, new, &hash)?;
            let roles: Vec<&str> = new.roles.iter().map(|r| r.code()).collect();
            let comment = format!("tài khoản #{id} {} ({})", new.username, roles.join(", "));
            let effect = super::effects::account_effect(tx, id)?;
            super::effects::record_effects(
                tx,
                &super::effects::Author::admin(actor),
                "create-user",
                &comment,
                &[effect],
            )?;
            Ok(id)
        })?;
        load_user(&self.conn, id)
    }

    /// Every account, by user name.
    pub fn users(&self) -> Result<Vec<User>> {
        let ids: Vec<i64> = {
            let mut stmt = self.conn.prepare("SELECT id FROM users ORDER BY username")?;
            stmt.query_map([], |r| r.get(0))?.collect::<super::sql::Result<_>>()?
        };
        ids.into_iter().map(|id| load_user(&self.conn, id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_admin_then_login() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(store.needs_first_admin().unwrap());
        let admin = store.create_first_admin("quantri", "Quản trị viên", "matkhau-2026").unwrap();
        assert!(admin.has(Role::Admin));
        assert!(!store.needs_first_admin().unwrap());
        assert!(store.create_first_admin("khac", "", "matkhau-2026").is_err(), "only once");
        assert_eq!(store.login("quantri", "matkhau-2026").unwrap().user().username, "quantri");
        assert!(matches!(store.login("quantri", "sai"), Err(StoreError::BadCredentials)));
        for weak in ["ngan", "          ", "123456789"] {
            assert!(store.create_first_admin("khac", "", weak).is_err(), "{weak:?}");
        }
        assert!(matches!(store.login("khongco", "matkhau-2026"), Err(StoreError::BadCredentials)));
        let stored: String = store.conn.query_row("SELECT password_hash FROM users", [], |r| r.get(0)).unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
    }

    #[test]
    fn only_admins_create_users() {
        let mut store = Store::open_in_memory().unwrap();
        let admin = store.create_first_admin("quantri", "", "matkhau-2026").unwrap();
        let new = NewUser {
            username: "chuyenvien".into(),
            full_name: "Trần Thị Mai".into(),
            person_id: None,
            agency_id: None,
            roles: vec![Role::Drafter],
        };
        let user = store.create_user(&admin, &new, "chuyenvien-2026").unwrap();
        assert_eq!(user.roles, vec![Role::Drafter]);
        let drafter = store.login("chuyenvien", "chuyenvien-2026").unwrap();
        let other = NewUser { username: "x".into(), ..new.clone() };
        assert!(matches!(store.create_user(&drafter, &other, "chuyenvien-2026"), Err(StoreError::Denied(_))));
        assert!(store.create_user(&admin, &new, "chuyenvien-2026").is_err(), "duplicate user name");
        assert!(store.create_user(&admin, &NewUser { username: "có dấu".into(), ..new }, "chuyenvien-2026").is_err());
    }
}
