//! `vanthu server init` (an office database on PostgreSQL) and `vanthu copy` (a whole
//! office from one backend to the other).

use std::path::Path;

use clap::{Args, Subcommand};
use vanthu_core::store::{Store, is_postgres_url, redact_url};

use crate::cli::{Failure, read_password};

/// `vanthu server …`.
#[derive(Debug, Args)]
pub struct ServerArgs {
    #[command(subcommand)]
    command: ServerCommand,
}

#[derive(Debug, Subcommand)]
enum ServerCommand {
    /// Tạo lược đồ, vai trò ứng dụng và quản trị viên đầu tiên trên máy chủ PostgreSQL /
    /// Create the schema, the application role and the first administrator on a PostgreSQL server.
    Init {
        /// Vai trò PostgreSQL mà các máy trạm dùng / The PostgreSQL role the desks log in as.
        #[arg(long, value_name = "ROLE", default_value = "vanthu_app")]
        app_role: String,
        /// Tên đăng nhập quản trị viên Vanthu đầu tiên (bỏ trống: tạo sau bằng `vanthu init`
        /// hoặc ở lần mở cửa sổ đầu tiên) / The first Vanthu administrator (omit: create it later).
        #[arg(long, value_name = "NAME")]
        admin: Option<String>,
        /// Họ và tên / Full name.
        #[arg(long, value_name = "NAME", default_value = "")]
        full_name: String,
    },
}

/// Runs `vanthu server init`.
pub fn run_server(db: &Path, args: ServerArgs) -> Result<(), Failure> {
    let url = db.to_str().filter(|s| is_postgres_url(s)).ok_or_else(|| {
        Failure::input(format!(
            "--db phải là địa chỉ PostgreSQL (postgres://CHỦ_SỞ_HỮU@máy/csdl), không phải {} (a server URL is needed)",
            db.display()
        ))
    })?;
    let ServerCommand::Init { app_role, admin, full_name } = args.command;
    let app_password = match std::env::var("VANTHU_APP_PASSWORD") {
        Ok(p) if !p.is_empty() => Some(p),
        _ => None,
    };
    let (mut store, setup) = Store::init_server(url, &app_role, app_password.as_deref())?;
    println!(
        "Máy chủ {}: lược đồ phiên bản {}; vai trò {} {} (chỉ đọc và ghi thêm nhật ký, chữ ký, phiên bản).",
        redact_url(url),
        setup.schema_version,
        setup.app_role,
        if setup.role_created { "đã tạo" } else { "đã có, quyền được cấp lại" }
    );
    if setup.role_created && app_password.is_none() {
        println!(
            "Vai trò {} chưa có mật khẩu: đặt VANTHU_APP_PASSWORD rồi chạy lại, hoặc ALTER ROLE trên máy chủ.",
            setup.app_role
        );
    }
    match (admin, store.needs_first_admin()?) {
        (Some(admin), true) => {
            let password = read_password(&format!("Mật khẩu cho {admin} / Password for {admin}: "))?;
            let actor = store.create_first_admin(&admin, &full_name, &password)?;
            println!("Đã tạo quản trị viên {}.", actor.user().username);
        }
        (Some(_), false) => println!("Văn phòng đã có quản trị viên; không tạo thêm."),
        (None, true) => println!(
            "Chưa có quản trị viên Vanthu: tạo bằng «vanthu init --admin TÊN --db …» hoặc ở lần mở cửa sổ đầu tiên."
        ),
        (None, false) => {}
    }
    Ok(())
}

/// Runs `vanthu copy --from SRC --to DST`.
pub fn run_copy(from: &Path, to: &Path) -> Result<(), Failure> {
    let source = Store::open_existing(from)?;
    let target = to.to_str().ok_or_else(|| Failure::input(format!("tên tệp {} không hợp lệ", to.display())))?;
    let mut last = 0;
    let report = source.copy_to(target, &mut |done, total| {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        if percent >= last + 10 {
            last = percent;
            eprintln!("… {percent}%");
        }
    })?;
    println!(
        "Đã chép {} dòng từ {} sang {}; chuỗi nhật ký kiểm tra đúng ({} sự kiện, đầu chuỗi {}).",
        report.rows,
        source.location(),
        if is_postgres_url(target) { redact_url(target) } else { target.to_owned() },
        report.anchor.events,
        report.anchor.head
    );
    if is_postgres_url(target) {
        println!(
            "Trên máy chủ, chạy «vanthu server init --db …» (với tài khoản chủ sở hữu) để cấp quyền cho vai trò của các máy trạm."
        );
    }
    Ok(())
}
