//! File names the window suggests, and the folder it remembers: a document's PDF is
//! named after its number and symbol (or its kind and a short trích yếu), safe on
//! Windows; the last folder saved into is offered again for the rest of the session.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use vanthu_core::model::Document;

/// Longest suggested name, in characters, before the extension (Windows paths stay
/// well under 260 characters in a usual folder).
const MAX_NAME_CHARS: usize = 80;

/// Names Windows keeps for devices: a file may not be called so (with any extension).
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// `name` made safe as a file name on Windows, macOS and Linux: no `<>:"/\|?*` nor
/// control characters (a slash of a symbol becomes a dash), spaces collapsed, no
/// trailing dot or space, not a device name, at most [`MAX_NAME_CHARS`] characters
/// cut at a word; NFC (Vietnamese letters kept).
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = vanthu_core::text::nfc(name)
        .chars()
        .map(|c| match c {
            '/' | '\\' | '|' => '-',
            ':' | '*' | '?' | '"' | '<' | '>' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut out = words.join(" ");
    while out.chars().count() > MAX_NAME_CHARS && words.len() > 1 {
        words.pop();
        out = words.join(" ");
    }
    if out.chars().count() > MAX_NAME_CHARS {
        out = out.chars().take(MAX_NAME_CHARS).collect();
    }
    let mut out = out.trim_end_matches(['.', ' ', '-', ',', ';']).to_owned();
    let stem = out.split('.').next().unwrap_or("").to_uppercase();
    if out.is_empty() || RESERVED.contains(&stem.as_str()) {
        out = format!("van-ban {out}").trim().to_owned();
    }
    out
}

/// The PDF name of a document: "Quyết định 865-QĐ-UBND.pdf" once numbered, else
/// "Công văn - V-v đề nghị cung cấp số liệu.pdf" (the kind and the first words of the
/// trích yếu), else "Dự thảo #37.pdf".
pub fn pdf_file_name(document: &Document, id: i64) -> String {
    let kind = vanthu_core::ruleset::kind_name(document.family, document.kind.as_str())
        .unwrap_or(document.kind.as_str())
        .to_owned();
    let subject: Vec<&str> = document.subject.as_deref().unwrap_or("").split_whitespace().take(10).collect();
    let stem = match document.number_notation() {
        Some(symbol) => format!("{kind} {symbol}"),
        None if !subject.is_empty() => format!("{kind} - {}", subject.join(" ")),
        None => format!("Dự thảo {kind} #{id}"),
    };
    format!("{}.pdf", safe_file_name(&stem))
}

/// The folder the user last saved into in this session.
static LAST_FOLDER: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Remembers the folder of a file just written.
pub fn remember_folder_of(file: &Path) {
    if let Some(folder) = file.parent().filter(|f| f.is_dir())
        && let Ok(mut last) = LAST_FOLDER.lock()
    {
        *last = Some(folder.to_path_buf());
    }
}

/// The folder last saved into, if it still exists.
pub fn last_folder() -> Option<PathBuf> {
    LAST_FOLDER.lock().ok().and_then(|last| last.clone()).filter(|f| f.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_on_windows() {
        assert_eq!(safe_file_name("Quyết định 865/QĐ-UBND"), "Quyết định 865-QĐ-UBND");
        assert_eq!(safe_file_name("a:b*c?d\"e<f>g|h\\i"), "a b c d e f g-h-i");
        assert_eq!(safe_file_name("Báo cáo tháng 11.  "), "Báo cáo tháng 11");
        assert_eq!(safe_file_name("CON"), "van-ban CON");
        assert_eq!(safe_file_name("   "), "van-ban");
        let long = "từ ".repeat(60);
        let safe = safe_file_name(&long);
        assert!(safe.chars().count() <= MAX_NAME_CHARS && safe.ends_with("từ"), "{safe}");
    }
}
