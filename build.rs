//! Windows only: puts the application icon and the version information
//! (`VERSIONINFO`: product, company, version, copyright) into every `.exe` of this
//! package, so Explorer, the Start menu and the file's Properties show them.
//!
//! The resource script is generated here from the package's metadata and compiled
//! with the GNU `windres` of the MinGW-w64 toolchain (Debian
//! `binutils-mingw-w64-x86-64`; set `WINDRES` to use another); its COFF object is
//! linked into the binaries. On other targets the script does nothing.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/windows/vanthu.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let icon = Path::new(&manifest_dir).join("assets/windows/vanthu.ico");
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let rc = Path::new(&out_dir).join("vanthu.rc");
    std::fs::write(&rc, resource_script(&icon, &version)).expect("write vanthu.rc");
    let object = Path::new(&out_dir).join("vanthu-resources.o");
    let windres = std::env::var("WINDRES").unwrap_or_else(|_| default_windres());
    let status = Command::new(&windres)
        .args(["--input-format=rc", "--output-format=coff", "--codepage=65001", "-i"])
        .arg(&rc)
        .arg("-o")
        .arg(&object)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {windres} (install binutils-mingw-w64-x86-64 or set WINDRES): {e}"));
    assert!(status.success(), "{windres} failed on {}", rc.display());
    println!("cargo:rustc-link-arg-bins={}", object.display());
}

/// `x86_64-w64-mingw32-windres` when cross-compiling, plain `windres` on a
/// Windows host with MinGW.
fn default_windres() -> String {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_else(|_| "x86_64".into());
    if cfg!(windows) { "windres".into() } else { format!("{arch}-w64-mingw32-windres") }
}

/// The resource script: icon 1 (the first icon is the one Explorer shows) and a
/// `VERSIONINFO` block in Vietnamese (language 0x042A, code page 1200 = UTF-16).
fn resource_script(icon: &Path, version: &str) -> String {
    let mut parts = version.split(['.', '-', '+']).map(|p| p.parse::<u16>().unwrap_or(0));
    let (major, minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    let icon = icon.display().to_string().replace('\\', "/");
    format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {major},{minor},{patch},0
PRODUCTVERSION {major},{minor},{patch},0
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "042a04b0"
    BEGIN
      VALUE "CompanyName", "Vanthu"
      VALUE "FileDescription", "Vanthu — Văn thư 4 đúng"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "vanthu"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
      VALUE "ProductName", "Vanthu — Văn thư 4 đúng"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x042a, 1200
  END
END
"#
    )
}
