//! Accounts: argon2id password hashes, login, and the authenticated [`Actor`].

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use rusqlite::{OptionalExtension, Transaction, params};

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
    if password.chars().count() < 4 {
        return Err(StoreError::Invalid("mật khẩu phải có ít nhất 4 ký tự".into()));
    }
    Ok(())
}

pub(crate) fn insert_user(tx: &Transaction<'_>, new: &NewUser, password_hash: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO users (username, full_name, person_id, agency_id, password_hash, active, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
        params![new.username, nfc(&new.full_name), new.person_id, new.agency_id, password_hash, now_text()],
    )?;
    let id = tx.last_insert_rowid();
    for role in &new.roles {
        tx.execute("INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?1, ?2)", params![id, role.code()])?;
    }
    Ok(id)
}

pub(crate) fn user_id_by_name(tx: &rusqlite::Connection, username: &str) -> Result<Option<i64>> {
    Ok(tx.query_row("SELECT id FROM users WHERE username = ?1", [username], |r| r.get(0)).optional()?)
}

fn load_user(conn: &rusqlite::Connection, id: i64) -> Result<User> {
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
        Ok(Actor { user: load_user(&self.conn, id)? })
    }

    /// Checks a user name and password; on success returns the actor.
    pub fn login(&self, username: &str, password: &str) -> Result<Actor> {
        let row: Option<(i64, String, i64)> = self
            .conn
            .query_row("SELECT id, password_hash, active FROM users WHERE username = ?1", [username.trim()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match row {
            Some((id, hash, 1)) if verify_password(password, &hash) => Ok(Actor { user: load_user(&self.conn, id)? }),
            _ => Err(StoreError::BadCredentials),
        }
    }

    /// Creates a user account. Only an administrator may.
    pub fn create_user(&mut self, actor: &Actor, new: &NewUser, password: &str) -> Result<User> {
        actor.require(Role::Admin, "tạo tài khoản")?;
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
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
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
        let admin = store.create_first_admin("quantri", "Quản trị viên", "matkhau1").unwrap();
        assert!(admin.has(Role::Admin));
        assert!(!store.needs_first_admin().unwrap());
        assert!(store.create_first_admin("khac", "", "matkhau1").is_err(), "only once");
        assert_eq!(store.login("quantri", "matkhau1").unwrap().user().username, "quantri");
        assert!(matches!(store.login("quantri", "sai"), Err(StoreError::BadCredentials)));
        assert!(matches!(store.login("khongco", "matkhau1"), Err(StoreError::BadCredentials)));
        let stored: String = store.conn.query_row("SELECT password_hash FROM users", [], |r| r.get(0)).unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
    }

    #[test]
    fn only_admins_create_users() {
        let mut store = Store::open_in_memory().unwrap();
        let admin = store.create_first_admin("quantri", "", "matkhau1").unwrap();
        let new = NewUser {
            username: "chuyenvien".into(),
            full_name: "Trần Thị Mai".into(),
            person_id: None,
            agency_id: None,
            roles: vec![Role::Drafter],
        };
        let user = store.create_user(&admin, &new, "demo1").unwrap();
        assert_eq!(user.roles, vec![Role::Drafter]);
        let drafter = store.login("chuyenvien", "demo1").unwrap();
        let other = NewUser { username: "x".into(), ..new.clone() };
        assert!(matches!(store.create_user(&drafter, &other, "demo1"), Err(StoreError::Denied(_))));
        assert!(store.create_user(&admin, &new, "demo1").is_err(), "duplicate user name");
        assert!(store.create_user(&admin, &NewUser { username: "có dấu".into(), ..new }, "demo1").is_err());
    }
}
