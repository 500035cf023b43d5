//! `vanthu passwd` and `vanthu admin`: changing one's password, and the
//! administrator's account and agency settings (reset a password, lift a login wait,
//! record which agency's office serves which agency, the office's password and idle
//! settings). Every change is checked and audited in the core.

use vanthu_core::Store;

use crate::cli::{Failure, read_password};
use crate::register_cmd::login;

/// Reads a new password from `VANTHU_NEW_PASSWORD`, or asks twice.
fn new_password(prompt: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var("VANTHU_NEW_PASSWORD") {
        return Ok(password);
    }
    let cannot = |e: std::io::Error| {
        Failure::input(format!("không đọc được mật khẩu mới: {e}; hãy đặt VANTHU_NEW_PASSWORD (cannot read password)"))
    };
    let first = rpassword::prompt_password(prompt).map_err(cannot)?;
    let again = rpassword::prompt_password("Nhập lại / Again: ").map_err(cannot)?;
    if first != again {
        return Err(Failure::input("hai lần nhập mật khẩu mới không khớp (passwords differ)".into()));
    }
    Ok(first)
}

/// `vanthu passwd --as USER`.
pub fn passwd(store: &mut Store, user: &str) -> Result<(), Failure> {
    let old = read_password(&format!("Mật khẩu hiện tại của {user} / Current password: "))?;
    let new = new_password("Mật khẩu mới / New password: ")?;
    store.change_password(user, &old, &new)?;
    println!("Đã đổi mật khẩu của {user}.");
    Ok(())
}

/// Arguments of `vanthu admin`.
#[derive(Debug, clap::Args)]
pub struct AdminArgs {
    /// Việc / Task: reset-password USER, unlock USER, serve PROVIDER SERVED, unserve PROVIDER SERVED,
    /// set password-min-length|idle-lock-minutes N.
    task: String,
    /// Đối tượng (người dùng, cơ quan hoặc tên thiết lập) / Target (user, agency or setting).
    target: Option<String>,
    /// Giá trị thứ hai (cơ quan được phục vụ, giá trị thiết lập) / Second value.
    value: Option<String>,
    /// Quản trị viên thực hiện (mật khẩu từ VANTHU_PASSWORD) / Acting administrator.
    #[arg(long = "as", value_name = "ADMIN")]
    as_user: String,
}

fn agency_id(store: &Store, wanted: &str) -> Result<i64, Failure> {
    let key = vanthu_core::text::name_key(wanted.trim());
    let found: Vec<i64> = store
        .agencies()?
        .into_iter()
        .filter(|a| a.id.to_string() == wanted.trim() || vanthu_core::text::name_key(&a.abbreviation) == key)
        .map(|a| a.id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Failure::input(format!("không có cơ quan `{wanted}` (no such agency)"))),
        _ => Err(Failure::input(format!("`{wanted}` chỉ nhiều cơ quan; dùng mã số (ambiguous agency)"))),
    }
}

fn need(value: Option<String>, what: &str) -> Result<String, Failure> {
    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| Failure::input(format!("thiếu {what} (missing {what})")))
}

/// Runs one `vanthu admin` task.
pub fn run(args: AdminArgs, store: &mut Store) -> Result<(), Failure> {
    let admin = login(store, &args.as_user)?;
    match args.task.as_str() {
        "reset-password" => {
            let username = need(args.target, "người dùng")?;
            let user = store.users()?.into_iter().find(|u| u.username == username.trim()).ok_or_else(|| Failure {
                code: 1,
                message: format!("không có người dùng `{username}` (no such user)"),
            })?;
            let temporary = new_password(&format!("Mật khẩu tạm cho {username} / Temporary password: "))?;
            store.reset_password(&admin, user.id, &temporary)?;
            println!("Đã đặt lại mật khẩu của {username}: người dùng phải đổi mật khẩu khi đăng nhập.");
        }
        "unlock" => {
            let username = need(args.target, "người dùng")?;
            store.unlock_login(&admin, &username)?;
            println!("Đã mở khóa đăng nhập của {username}.");
        }
        task @ ("serve" | "unserve") => {
            let provider = agency_id(store, &need(args.target, "cơ quan phục vụ")?)?;
            let served = agency_id(store, &need(args.value, "cơ quan được phục vụ")?)?;
            store.set_agency_serves(&admin, provider, served, task == "serve")?;
            println!(
                "Đã ghi: cơ quan #{provider} {} cơ quan #{served}.",
                if task == "serve" { "phục vụ" } else { "thôi phục vụ" }
            );
        }
        "set" => {
            let key = need(args.target, "tên thiết lập")?;
            let value = need(args.value, "giá trị")?;
            store.set_office_setting(&admin, &key, &value)?;
            println!("Đã đặt {key} = {value}.");
        }
        other => {
            return Err(Failure::input(format!(
                "việc `{other}` không có: reset-password, unlock, serve, unserve, set (unknown task)"
            )));
        }
    }
    Ok(())
}
