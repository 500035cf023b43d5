//! Vanthu: with no subcommand it opens the desktop window; a subcommand runs headless.

mod account_cmd;
mod archive_cmd;
mod attach_cmd;
mod check;
mod cli;
mod export_cmd;
mod gui;
mod incoming_cmd;
mod incoming_files_cmd;
mod pki_cmd;
mod register_cmd;
mod server_cmd;
mod show_text;
mod store_cmd;
#[cfg(windows)]
mod windows_console;

fn main() -> std::process::ExitCode {
    // Windows: UTF-8 console output for the command's lifetime (see the module).
    #[cfg(windows)]
    let _console = windows_console::Utf8Console::enable();
    cli::main()
}

/// `vanthu list | head`: when the reader closes the pipe, printing fails; end the
/// command quietly (exit 0) instead of a panic message. Other panics keep the
/// default report.
pub(crate) fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
