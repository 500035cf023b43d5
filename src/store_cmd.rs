//! `vanthu backup`, `restore`, `anchor` and `verify`: the commands that protect
//! the database as a whole.

use std::path::{Path, PathBuf};

use vanthu_core::Store;
use vanthu_core::store::{ChainAnchor, RestoreOptions};

use crate::cli::{Failure, read_password};

fn login(store: &Store, user: &str) -> Result<vanthu_core::Actor, Failure> {
    let password = read_password(&format!("Mật khẩu của {user} / Password for {user}: "))?;
    Ok(store.login(user, &password)?)
}

/// Runs `vanthu backup --out FILE --as USER [--force]`.
pub fn run_backup(db: &Path, out: &Path, force: bool, as_user: &str) -> Result<(), Failure> {
    let mut store = Store::open_existing(db)?;
    let actor = login(&store, as_user)?;
    let report = store.backup_to(Some(&actor), out, force, &mut |_, _| {})?;
    println!(
        "Đã sao lưu {} vào {} ({} byte) lúc {}; mốc neo {}",
        crate::cli::shown(db),
        report.path.display(),
        report.bytes,
        report.at,
        report.anchor.display()
    );
    Ok(())
}

/// Runs `vanthu restore FILE --as ADMIN [--allow-rollback --reason TEXT]`.
pub fn run_restore(
    db: &Path,
    file: &Path,
    as_user: &str,
    allow_rollback: bool,
    reason: Option<String>,
) -> Result<(), Failure> {
    if allow_rollback && reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(Failure::input("--allow-rollback cần --reason \"lý do\" (a reason is required)".into()));
    }
    if !file.is_file() {
        return Err(Failure::input(format!("không có tệp sao lưu {} (no such backup file)", file.display())));
    }
    // A missing database is created only to receive the backup (disaster recovery);
    // its administrator then signs in against the backup's accounts.
    let mut store = Store::open(db)?;
    let options = RestoreOptions { rollback_reason: if allow_rollback { reason } else { None } };
    let report = if store.needs_first_admin()? {
        let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
        store.restore_into_empty(as_user, &password, file, &options, &mut |_, _| {})?
    } else {
        let actor = login(&store, as_user)?;
        store.restore_from(&actor, file, &options, &mut |_, _| {})?
    };
    println!(
        "Đã khôi phục {} từ {} (sha256 {}); kiểm tra toàn vẹn và chuỗi nhật ký: đạt; bỏ {} sự kiện",
        crate::cli::shown(db),
        file.display(),
        report.sha256,
        report.events_dropped
    );
    Ok(())
}

/// Runs `vanthu anchor --out FILE [--force]`.
pub fn run_anchor(db: &Path, out: &Path, force: bool) -> Result<(), Failure> {
    vanthu_core::store::refuse_database_target(db, out).map_err(Failure::input)?;
    let store = Store::open_existing(db)?;
    if !force && out.symlink_metadata().is_ok() {
        return Err(Failure::input(format!("tệp {} đã có; dùng --force để ghi đè (file exists)", out.display())));
    }
    let anchor = store.anchor()?;
    let json = serde_json::to_string_pretty(&anchor).expect("anchors serialise") + "\n";
    vanthu_core::private_fs::write(out, json.as_bytes())
        .map_err(|e| Failure {
            code: 1, message: format!("không ghi được {}: {e} (cannot write)", out.display())
        })?;
    println!("chuỗi nhật ký: {} sự kiện, đầu chuỗi {} → {}", anchor.events, anchor.head, out.display());
    Ok(())
}

/// Runs `vanthu verify [--anchor FILE]`; the last line reads
/// `chuỗi nhật ký: N sự kiện, đầu chuỗi HASH`.
pub fn run_verify(db: &Path, anchor: Option<PathBuf>) -> Result<(), Failure> {
    let store = Store::open_existing(db)?;
    let anchor: Option<ChainAnchor> = anchor
        .map(|file| {
            let text = crate::check::read_input(&file).map_err(Failure::input)?;
            serde_json::from_str::<ChainAnchor>(&text)
                .ok()
                .filter(|a| a.format == vanthu_core::store::ANCHOR_FORMAT && a.events >= 0)
                .ok_or_else(|| Failure::input(format!("{} không phải tệp mốc neo vanthu.anchor/1", file.display())))
        })
        .transpose()?;
    let now = store.anchor()?;
    let tail = format!("chuỗi nhật ký: {} sự kiện, đầu chuỗi {}", now.events, now.head);
    let broken = match store.verify()? {
        Some(broken) => Some(format!("hỏng tại {broken} (verification failed at {broken})")),
        None => match &anchor {
            Some(anchor) => store.check_anchor(anchor)?,
            None => None,
        },
    };
    match broken {
        None => {
            println!("Nhật ký và nội dung toàn vẹn: {} (audit chain and contents verified)", crate::cli::shown(db));
            if let Some(anchor) = anchor {
                println!("khớp mốc neo: {} sự kiện, {} (anchor matched)", anchor.events, anchor.head);
            }
            println!("{tail}");
            Ok(())
        }
        Some(problem) => {
            println!("{tail}");
            Err(Failure { code: 1, message: problem })
        }
    }
}
