//! Exit codes and the one-line error report.
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | success (a Friendhosting warning 30/31 is a success; the warning goes to stderr) |
//! | 1 | local I/O failure: the input file cannot be read, stdout cannot be written (for a money-moving command also a closed pipe, with a warning that it was executed) |
//! | 2 | usage error (reported by clap) |
//! | 10 + n | the library's error `n` = [`vpsgate::ErrorCode::number`], e.g. 17 = gateway error, 19 = refused (HTTP 403) |
//!
//! The full table is generated from [`vpsgate::ErrorCode::ALL`] by [`help_table`], so it cannot
//! drift from the library.

use std::io::Write;

use vpsgate::ErrorCode;

/// Exit status for a local I/O failure.
pub const IO: u8 = 1;
/// What is added to [`ErrorCode::number`] to make an exit status.
pub const BASE: u32 = 10;

/// A failed run: what to print and how to exit. Never holds a secret.
#[derive(Debug)]
pub struct Failure {
    /// The process exit status.
    pub exit: u8,
    /// One line for stderr (without the `vpsgate: ` prefix).
    pub message: String,
    /// The library's code, if the failure came from the library.
    pub code: Option<ErrorCode>,
    /// The upstream's own code (gateway `errorCode`, GoVPSFX HTTP status), if any.
    pub upstream: Option<i64>,
    /// The library's error object ([`vpsgate::contract::error`]), printed under `error` with
    /// `--json`.
    pub detail: Option<serde_json::Value>,
}

impl Failure {
    /// A local I/O failure (exit 1).
    pub fn io(context: &str, e: &std::io::Error) -> Self {
        Failure::local(format!("{context}: {e}"))
    }

    /// Any other local failure, such as the sandbox not starting (exit 1).
    pub fn local(message: String) -> Self {
        Failure {
            exit: IO,
            message,
            code: None,
            upstream: None,
            detail: None,
        }
    }
}

/// The exit status of a library error.
pub fn exit_code(code: ErrorCode) -> u8 {
    // Codes are small (< 100); the sum always fits.
    u8::try_from(BASE + code.number()).unwrap_or(u8::MAX)
}

impl From<vpsgate::Error> for Failure {
    fn from(e: vpsgate::Error) -> Self {
        let code = e.code();
        Failure {
            exit: exit_code(code),
            message: e.to_string(),
            code: Some(code),
            upstream: e.upstream_code(),
            detail: Some(vpsgate::contract::error(&e)),
        }
    }
}

/// Make `s` one line: control characters (newlines included) become spaces.
pub fn one_line(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    out.truncate(out.trim_end().len());
    out
}

/// The exit-code table shown by `vpsgate --help`.
pub fn help_table() -> String {
    let mut s = String::from(
        "Exit codes:\n  0   success (a Friendhosting warning 30/31 is a success, printed to stderr)\n  \
         1   local I/O failure (input file unreadable, stdout not writable; after a\n      \
         money-moving command a warning says it was executed)\n  \
         2   usage error\n",
    );
    for code in ErrorCode::ALL {
        s.push_str(&format!("  {:<3} {}\n", exit_code(code), code.name()));
    }
    s.push_str(
        "\nErrors are one line on stderr: `vpsgate: <message>`; with --json, stdout also gets\n\
         {\"error\":{\"code\":N,\"name\":\"...\",\"upstream_code\":N|null,\"message\":\"...\"}}.",
    );
    s
}

/// Report the outcome and turn it into the process exit status.
pub fn finish(outcome: Result<(), Failure>, json: bool) -> std::process::ExitCode {
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(f) => {
            let message = one_line(&f.message);
            if json {
                let detail = f.detail.unwrap_or_else(|| {
                    serde_json::json!({
                        "code": f.code.map(|c| c.number()),
                        "name": f.code.map(|c| c.name()),
                        "upstream_code": f.upstream,
                        "message": message,
                    })
                });
                let v = serde_json::json!({ "error": detail });
                let _ = writeln!(std::io::stdout().lock(), "{v}");
            }
            let _ = writeln!(std::io::stderr().lock(), "vpsgate: {message}");
            std::process::ExitCode::from(f.exit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_plus_the_library_number() {
        assert_eq!(exit_code(ErrorCode::InvalidInput), 11);
        assert_eq!(exit_code(ErrorCode::Gateway), 17);
        assert_eq!(exit_code(ErrorCode::Refused), 19);
        assert_eq!(exit_code(ErrorCode::TransportOther), 29);
        let table = help_table();
        assert!(table.contains("  17  gateway\n"), "{table}");
        assert!(table.contains("  27  insecure_url\n"), "{table}");
    }

    #[test]
    fn one_line_removes_breaks() {
        assert_eq!(one_line("a\nb\r\nc\t \n"), "a b  c");
    }
}
