//! Embeds the demo office (`assets/demo/`) into the core library.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo");
    let documents = demo.join("documents");
    println!("cargo:rerun-if-changed={}", demo.display());
    println!("cargo:rerun-if-changed={}", documents.display());
    let mut names: Vec<String> = std::fs::read_dir(&documents)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::from("/// The demo documents: (path relative to `assets/demo/`, text).\n");
    code.push_str("pub(crate) static DEMO_DOCUMENTS: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = documents.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(code, "    (\"documents/{name}\", include_str!({:?})),", path.display().to_string()).unwrap();
    }
    code.push_str("];\n");
    let office = demo.join("office.toml");
    println!("cargo:rerun-if-changed={}", office.display());
    if office.exists() {
        writeln!(
            code,
            "/// The demo office manifest.\npub(crate) static DEMO_OFFICE: &str = include_str!({:?});",
            office.display().to_string()
        )
        .unwrap();
    } else {
        code.push_str("/// The demo office manifest (missing).\npub(crate) static DEMO_OFFICE: &str = \"\";\n");
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("demo_files.rs");
    std::fs::write(out, code).unwrap();
}
