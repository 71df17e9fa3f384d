//! Exit codes and the mapping from errors to them.

use std::process::ExitCode;

/// An error caused by the input (a bad file, row, claim or value): exit code 1.
/// Everything else that reaches `main` is internal: exit code 3.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Shorthand for returning a bad-input error from a command.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// The command line itself is wrong (a flag value that is not one of its accepted
/// forms): exit code 2, as for clap's own usage errors.
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Shorthand for returning a usage error from a command.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage(message.into()))
}

/// A query's error: the request's fault is bad input (exit 1), anything else internal.
pub fn query_error(error: tally_query::QueryError) -> anyhow::Error {
    if error.is_bad_input() {
        bad_input(error.to_string())
    } else {
        anyhow::Error::new(error)
    }
}

/// Prints the error chain to stderr and picks the exit code.
pub fn report(error: &anyhow::Error) -> ExitCode {
    // A reader that went away (`tally export | head`) is not an error worth a message.
    if is_broken_pipe(error) {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: {error:#}");
    if error.chain().any(|cause| cause.is::<Usage>()) {
        eprintln!("\nFor more information, try '--help'.");
        ExitCode::from(2)
    } else if error.chain().any(|cause| cause.is::<BadInput>()) {
        ExitCode::from(1)
    } else {
        ExitCode::from(3)
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            cause
                .source()
                .and_then(|s| s.downcast_ref::<std::io::Error>())
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.to_string().contains("Broken pipe")
    })
}

/// What a command that ran to the end reports: success, or success with rejected input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The command did its work but some input was rejected (exit code 1).
    SomeInputRejected,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::SomeInputRejected => ExitCode::from(1),
        }
    }
}
