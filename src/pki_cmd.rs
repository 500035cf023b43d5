//! `vanthu pki` (trusted certificates, bindings), `vanthu pdf verify`, and the key
//! options of `doc sign` / `doc issue` (`--pkcs12`, `--pkcs11`).

use std::path::{Path, PathBuf};

use vanthu_core::Store;
use vanthu_core::pki::appearance::Stencil;
use vanthu_core::pki::keys::{KeySigner, Pkcs11Key, Pkcs12Key};
use vanthu_core::pki::verify::verify_signed;
use vanthu_core::store::ImageOwner;

use crate::cli::{Failure, read_password};

/// The key to sign with (`doc sign`, `doc issue`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KeyArgs {
    /// Tệp PKCS#12 (.p12/.pfx); mật khẩu từ VANTHU_PKCS12_PASSWORD / A PKCS#12 key file.
    #[arg(long, value_name = "FILE", conflicts_with = "pkcs11")]
    pub pkcs12: Option<PathBuf>,
    /// Thư viện PKCS#11 của thiết bị ký số (.so/.dll); PIN từ VANTHU_PIN / A PKCS#11 module.
    #[arg(long, value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// Nhãn thiết bị ký số (khi có nhiều) / Token label.
    #[arg(long, value_name = "LABEL", requires = "pkcs11")]
    pub token: Option<String>,
    /// Ảnh PNG chữ ký tay (khi ký) hoặc con dấu (khi phát hành) / Signature or seal image.
    #[arg(long, value_name = "FILE.png")]
    pub image: Option<PathBuf>,
}

fn secret(var: &str, prompt: &str) -> Result<String, Failure> {
    if let Ok(value) = std::env::var(var) {
        return Ok(value);
    }
    rpassword::prompt_password(prompt)
        .map_err(|e| Failure::input(format!("không đọc được {prompt}: {e}; hãy đặt {var} (cannot read secret)")))
}

fn pki_failure(e: vanthu_core::pki::PkiError) -> Failure {
    Failure { code: 2, message: e.to_string() }
}

impl KeyArgs {
    /// Whether a key was given.
    pub fn given(&self) -> bool {
        self.pkcs12.is_some() || self.pkcs11.is_some()
    }

    /// Opens the key (asking for the password or PIN) and reads the image.
    pub fn open(&self) -> Result<(Box<dyn KeySigner>, Option<Stencil>), Failure> {
        let key: Box<dyn KeySigner> = match (&self.pkcs12, &self.pkcs11) {
            (Some(file), _) => {
                let bytes = std::fs::read(file)
                    .map_err(|e| Failure::input(format!("không đọc được {}: {e} (cannot read)", file.display())))?;
                let password = secret("VANTHU_PKCS12_PASSWORD", "Mật khẩu tệp PKCS#12 / PKCS#12 password: ")?;
                Box::new(Pkcs12Key::open(&bytes, &password).map_err(pki_failure)?)
            }
            (None, Some(module)) => {
                let pin = secret("VANTHU_PIN", "Mã PIN thiết bị ký số / Token PIN: ")?;
                Box::new(Pkcs11Key::open(module, self.token.as_deref(), &pin).map_err(pki_failure)?)
            }
            (None, None) => {
                return Err(Failure::input("cần --pkcs12 FILE hoặc --pkcs11 MODULE (a key is required)".into()));
            }
        };
        let image = match &self.image {
            Some(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| Failure::input(format!("không đọc được {}: {e} (cannot read)", path.display())))?;
                Some(Stencil::from_png(&bytes).map_err(pki_failure)?)
            }
            None => None,
        };
        let cert = key.certificate();
        eprintln!(
            "Chứng thư số: {} — cấp bởi {} — hiệu lực {} đến {}",
            cert.subject,
            cert.issuer,
            cert.not_before.format("%d/%m/%Y"),
            cert.not_after.format("%d/%m/%Y")
        );
        Ok((key, image))
    }
}

/// Arguments of `vanthu pki`.
#[derive(Debug, clap::Args)]
pub struct PkiArgs {
    /// Việc / Task: trust FILE.pem, bind FILE.pem (--user USER | --agency ID), image FILE.png
    /// (--user USER | --agency ID), copy SCAN.pdf --out OUT.pdf --pkcs12|--pkcs11, list.
    task: String,
    /// Tệp chứng thư (PEM hoặc DER) / Certificate file.
    file: Option<PathBuf>,
    /// Quản trị viên (mật khẩu từ VANTHU_PASSWORD) / Administrator.
    #[arg(long = "as", value_name = "ADMIN")]
    as_user: Option<String>,
    /// Người dùng được gắn chứng thư hoặc ảnh chữ ký (bind, image) / User to bind to.
    #[arg(long, value_name = "USER", alias = "person")]
    user: Option<String>,
    /// Cơ quan được gắn chứng thư hoặc ảnh con dấu (bind, image), cơ quan sao (copy) / Agency id.
    #[arg(long, value_name = "ID")]
    agency: Option<i64>,
    /// Tệp bản sao điện tử ra (copy) / Output of the electronic copy.
    #[arg(long, value_name = "OUT.pdf")]
    out: Option<PathBuf>,
    /// Hình thức sao (copy): "SAO Y", "TRÍCH SAO", "SAO LỤC" / Copy form.
    #[arg(long, default_value = "SAO Y")]
    form: String,
    /// Khóa ký số của cơ quan (copy) / The agency's key (copy).
    #[command(flatten)]
    key: KeyArgs,
}

/// Runs `vanthu pki`.
pub fn run_pki(args: PkiArgs, db: &Path) -> Result<(), Failure> {
    let mut store = Store::open_existing(db)?;
    if args.task == "list" {
        for cert in store.trusted_certificates()? {
            println!(
                "{}  {}  (hiệu lực {} – {})",
                &cert.fingerprint[..16],
                cert.subject,
                cert.not_before.format("%d/%m/%Y"),
                cert.not_after.format("%d/%m/%Y")
            );
        }
        return Ok(());
    }
    let file = args.file.ok_or_else(|| Failure::input("cần tên tệp (a file is required)".into()))?;
    let bytes = std::fs::read(&file)
        .map_err(|e| Failure::input(format!("không đọc được {}: {e} (cannot read)", file.display())))?;
    let as_user = args.as_user.ok_or_else(|| Failure::input("cần --as ADMIN (administrator required)".into()))?;
    let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
    let actor = store.login(&as_user, &password)?;
    match args.task.as_str() {
        "trust" => {
            let added = store.trust_certificates(&actor, &bytes)?;
            for cert in &added {
                println!("Đã tin cậy: {} (SHA-256 {})", cert.subject, cert.fingerprint);
            }
            if added.is_empty() {
                println!("Các chứng thư này đã được tin cậy từ trước.");
            }
        }
        "bind" => {
            let user = match &args.user {
                Some(name) => Some(
                    store
                        .user_id(name)?
                        .ok_or_else(|| Failure::input(format!("không có người dùng {name} (no such user)")))?,
                ),
                None => None,
            };
            if user.is_none() == args.agency.is_none() {
                return Err(Failure::input(
                    "bind cần --user USER hoặc --agency ID, một trong hai (bind needs a user or an agency)".into(),
                ));
            }
            store.bind_certificate(&actor, &bytes, user, args.agency)?;
            println!("Đã gắn chứng thư.");
        }
        "image" => {
            let owner = match (&args.user, args.agency) {
                (Some(name), _) => ImageOwner::Person(store.person_of_user(name)?.ok_or_else(|| {
                    Failure::input(format!(
                        "người dùng {name} không có hoặc chưa gắn với hồ sơ cá nhân (no such person)"
                    ))
                })?),
                (None, Some(agency)) => ImageOwner::Agency(agency),
                (None, None) => {
                    return Err(Failure::input(
                        "image cần --user USER (ảnh chữ ký) hoặc --agency ID (ảnh con dấu) (image needs an owner)"
                            .into(),
                    ));
                }
            };
            store.bind_signing_image(&actor, owner, &bytes)?;
            println!("Đã gắn ảnh.");
        }
        "copy" => {
            let out = args.out.ok_or_else(|| Failure::input("copy cần --out OUT.pdf (copy needs --out)".into()))?;
            let (key, _) = args.key.open()?;
            let signed = store.sign_electronic_copy(
                &actor,
                &bytes,
                &args.form,
                args.agency,
                key.as_ref(),
                chrono::Local::now(),
            )?;
            crate::export_cmd::write_out(Some(db), &out, &signed)?;
            println!("{} ({} byte, bản sao điện tử đã ký số)", out.display(), signed.len());
        }
        other => {
            return Err(Failure::input(format!(
                "việc `{other}` không có: trust, bind, image, copy, list (unknown task)"
            )));
        }
    }
    Ok(())
}

/// Arguments of `vanthu pdf`.
#[derive(Debug, clap::Args)]
pub struct PdfArgs {
    /// Việc / Task: verify.
    task: String,
    /// Tệp PDF / The PDF file.
    file: PathBuf,
}

/// Runs `vanthu pdf verify FILE.pdf`: exit 0 when every signature is valid and
/// trusted, 5 otherwise.
pub fn run_pdf(args: PdfArgs, db: &Path, db_given: bool) -> Result<(), Failure> {
    if args.task != "verify" {
        return Err(Failure::input(format!("việc `{}` không có: verify (unknown task)", args.task)));
    }
    let bytes = std::fs::read(&args.file)
        .map_err(|e| Failure::input(format!("không đọc được {}: {e} (cannot read)", args.file.display())))?;
    let trusted = if db_given || db.exists() { Store::open_existing(db)?.trusted_certificates()? } else { Vec::new() };
    let reports = verify_signed(&bytes, &trusted).map_err(|e| Failure { code: 5, message: e.to_string() })?;
    // The same lines as the incoming card shows for a received PDF.
    for line in vanthu_core::received::report_lines(&reports) {
        println!("{line}");
    }
    let (status, _) = vanthu_core::received::signature_status(&reports);
    if status == vanthu_core::received::SignatureStatus::Valid {
        Ok(())
    } else {
        Err(Failure {
            code: 5,
            message: "có chữ ký số không hợp lệ hoặc không tin cậy (a signature is not valid and trusted)".into(),
        })
    }
}
