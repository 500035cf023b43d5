//! `vanthu-window`: opens the Vanthu window without a console window.
//!
//! Windows gives every program one "subsystem". A console program (`vanthu.exe`)
//! gets a console window when started from the Start menu or Explorer; a window
//! program gets none, but then its output is lost and `cmd.exe` neither waits for
//! it nor sees its exit status, which would break the command line (scripts,
//! `%ERRORLEVEL%`, password prompts). Vanthu therefore ships two programs:
//! `vanthu.exe`, the console program with every command and the window, and this
//! small window-subsystem launcher, which the Start-menu and desktop shortcuts
//! start. It runs the `vanthu.exe` beside it, with the same arguments (normally
//! none, or `--db PATH`), without a console (`CREATE_NO_WINDOW`), waits for it, and
//! shows its error in a message box if it fails, since there is no console to
//! print it on. On other systems it behaves the same, minus the console flag.

#![cfg_attr(windows, windows_subsystem = "windows")]

use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

/// How much of the program's error output the message box shows (its end).
const SHOWN_ERROR_BYTES: usize = 2000;

fn main() -> ExitCode {
    let program = match sibling_program() {
        Ok(path) => path,
        Err(message) => {
            show_error(&message);
            return ExitCode::from(1);
        }
    };
    let mut command = Command::new(&program);
    command.args(std::env::args_os().skip(1)).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt as _;
        /// `CREATE_NO_WINDOW`: a console program run without a console window.
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            show_error(&format!("Không chạy được {}: {e} (cannot start the program)", program.display()));
            return ExitCode::from(1);
        }
    };
    // Read the error output while the window runs (a full pipe would block it),
    // keeping only its end.
    let mut tail = Vec::new();
    if let Some(mut stderr) = child.stderr.take() {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > 2 * SHOWN_ERROR_BYTES {
                tail.drain(..tail.len() - SHOWN_ERROR_BYTES);
            }
        }
    }
    match child.wait() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            // Killed (no exit code, e.g. at log-off): nothing to tell.
            if let Some(code) = status.code() {
                show_error(&failure_text(code, &tail));
            }
            ExitCode::from(1)
        }
        Err(e) => {
            show_error(&format!("Vanthu kết thúc bất thường: {e} (the program failed)"));
            ExitCode::from(1)
        }
    }
}

/// `vanthu.exe` (`vanthu` elsewhere) in this launcher's directory.
fn sibling_program() -> Result<PathBuf, String> {
    let me = std::env::current_exe()
        .map_err(|e| format!("Không xác định được thư mục chương trình: {e} (cannot locate the program)"))?;
    let name = format!("vanthu{}", std::env::consts::EXE_SUFFIX);
    let program = me.with_file_name(name);
    if program.is_file() {
        Ok(program)
    } else {
        Err(format!(
            "Không tìm thấy {} cạnh {}; hãy cài đặt lại Vanthu (program missing: reinstall)",
            program.display(),
            me.display()
        ))
    }
}

/// The message for a failed run: its exit status and the end of its error output.
fn failure_text(code: i32, stderr_tail: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr_tail);
    let text = text.trim();
    let start = text.len().saturating_sub(SHOWN_ERROR_BYTES);
    let start = (start..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
    let detail = &text[start..];
    if detail.is_empty() {
        format!("Vanthu đã dừng với mã lỗi {code} (exited with status {code}).")
    } else {
        format!("Vanthu đã dừng với mã lỗi {code} (exited with status {code}):\n\n{detail}")
    }
}

/// A message box (there is no console to print on).
fn show_error(message: &str) {
    let _ = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Vanthu")
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_text_keeps_the_end_of_the_error_output_on_a_character_boundary() {
        let long = format!("{}vanthu: không mở được cửa sổ", "ư".repeat(3000));
        let text = failure_text(1, long.as_bytes());
        assert!(text.starts_with("Vanthu đã dừng với mã lỗi 1"), "{text}");
        assert!(text.ends_with("vanthu: không mở được cửa sổ"), "{text}");
        assert!(text.len() < SHOWN_ERROR_BYTES + 200, "{}", text.len());
        assert_eq!(failure_text(3, b"  \n"), "Vanthu đã dừng với mã lỗi 3 (exited with status 3).");
    }
}
