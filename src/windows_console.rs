//! Windows: Vietnamese in the console.
//!
//! Rust's standard library already writes to a console window through
//! `WriteConsoleW` (UTF-16), so `println!` shows "Quyết định" correctly whatever the
//! console's code page. Text that reaches the console as bytes does not: a pipe
//! into `more` or `findstr`, a program the user chains after `vanthu`, or a console
//! host that falls back to byte output decode those bytes with the console's
//! output code page, which on a Vietnamese Windows is 1258 (or 437/850 on an
//! English one) and turns UTF-8 into mojibake. So the command line sets the
//! output code page to UTF-8 (65001) at start and puts the previous one back when
//! it ends (the console is shared with the `cmd.exe` or PowerShell that started
//! it). Without a console (the window started from the Start menu, output
//! redirected to a file) both calls fail harmlessly and nothing changes.
//!
//! On other systems this module is empty: terminals there are UTF-8.

#![allow(unsafe_code)]

/// `CP_UTF8`.
const UTF8: u32 = 65001;

#[link(name = "kernel32")]
unsafe extern "system" {
    fn GetConsoleOutputCP() -> u32;
    fn SetConsoleOutputCP(code_page: u32) -> i32;
}

/// Sets the console's output code page to UTF-8 while alive; puts the previous
/// code page back when dropped.
#[derive(Debug)]
pub struct Utf8Console {
    /// The code page to restore (0: nothing was changed).
    previous: u32,
}

impl Utf8Console {
    /// Switches the attached console, if any, to UTF-8 output.
    pub fn enable() -> Self {
        // SAFETY: both functions take and return plain integers and only read or
        // change the state of the console attached to this process; they fail
        // (returning 0) when there is none.
        let previous = unsafe { GetConsoleOutputCP() };
        if previous == 0 || previous == UTF8 {
            return Utf8Console { previous: 0 };
        }
        // SAFETY: as above.
        let changed = unsafe { SetConsoleOutputCP(UTF8) } != 0;
        Utf8Console { previous: if changed { previous } else { 0 } }
    }
}

impl Drop for Utf8Console {
    fn drop(&mut self) {
        if self.previous != 0 {
            // SAFETY: as in `enable`; restores the value read there.
            unsafe {
                SetConsoleOutputCP(self.previous);
            }
        }
    }
}
