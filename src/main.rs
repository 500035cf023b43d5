//! Vanthu: with no subcommand it opens the desktop window; a subcommand runs headless.

mod account_cmd;
mod archive_cmd;
mod check;
mod cli;
mod export_cmd;
mod gui;
mod incoming_cmd;
mod register_cmd;

fn main() -> std::process::ExitCode {
    cli::main()
}
