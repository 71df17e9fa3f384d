//! The `tally` binary: parses arguments, calls `run`, maps the error to an exit code.
//!
//! Exit codes: 0 success, 1 bad input, 2 usage error (clap's own), 3 internal error.

mod cli;
mod commands;
mod exit;
mod format;
mod input;
mod ledger;
mod outfile;
mod selection;
mod terminal;

use clap::{CommandFactory, FromArgMatches};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let matches = cli::Cli::command().get_matches();
    let mut cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    cli.global.db_given = matches!(
        matches.value_source("db"),
        Some(clap::parser::ValueSource::CommandLine | clap::parser::ValueSource::EnvVariable)
    );
    init_logging(cli.global.verbose, cli.global.quiet);
    match commands::run(cli) {
        Ok(code) => code.into(),
        Err(error) => exit::report(&error),
    }
}

/// Output that cannot be written never ends in a panic. `tally events | head` closes the
/// pipe early: the reader has what it wanted, so the `println!` that fails then ends the
/// process quietly. Any other failure to write standard output (`> /dev/full`, a full
/// disk) ends it with a message and exit code 3. Nothing is half-written either way: a
/// write that was under way is a transaction that was not committed.
fn quiet_on_closed_pipe() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        for stream in ["stdout", "stderr"] {
            let Some(cause) = message.strip_prefix(&format!("failed printing to {stream}: "))
            else {
                continue;
            };
            if cause.contains("Broken pipe") {
                std::process::exit(0);
            }
            if stream == "stdout" {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "error: cannot write to standard output: {cause}"
                );
            }
            std::process::exit(3);
        }
        default_hook(info);
    }));
}

/// Logs go to stderr; `-v`/`-q` move the level and `RUST_LOG` overrides both.
fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(
            std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        )
        .without_time()
        .try_init();
}
