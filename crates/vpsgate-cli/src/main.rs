//! The `vpsgate` command line.
//!
//! Subcommands: `decode` (PHP `serialize()` data to JSON), `sign` (GoVPSFX md5 hash), `fh`
//! (the Friendhosting / RootPanel gateway), `govpsfx` (the GoVPSFX partner API), `lifecycle`
//! (one neutral step at a configured provider), `sandbox`
//! (the local emulator of both) and `demo` (the whole lifecycle against an in-process sandbox).
//! Each lives in one module under `commands/`.
//!
//! Exit codes (see [`exit`]): 0 success, 1 local I/O failure, 2 usage, otherwise
//! 10 + [`vpsgate::ErrorCode::number`]. Secrets are read from environment variables only and
//! never printed in errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;
mod exit;
mod output;

const LONG_ABOUT: &str = "\
vpsgate drives the Friendhosting / RootPanel HTTP gateway and the GoVPSFX partner API, decodes \
PHP serialize() data and computes GoVPSFX signatures.

Credentials are read from environment variables only, never from the command line:
  VPSGATE_FH_LOGIN + VPSGATE_FH_PASSWORD or VPSGATE_FH_APIKEY   (fh)
  VPSGATE_GOVPSFX_PARTNER + VPSGATE_GOVPSFX_SECRET             (govpsfx, sign)
Requests are sent once, redirects are never followed, and plain http:// is refused except to \
loopback hosts unless --allow-http. With --retry-attempts N (or `retry_attempts` in a \
lifecycle configuration) a read-only request is tried again after a transient failure; \
money-moving and other state-changing requests are never sent twice.";

#[derive(Debug, Parser)]
#[command(
    name = "vpsgate",
    version,
    about = "Drive the Friendhosting gateway and the GoVPSFX partner API; decode PHP serialize() data",
    long_about = LONG_ABOUT,
    after_long_help = exit::help_table()
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    // `about` rather than a doc comment, so the module's own `long_about` is kept.
    #[command(about = "Decode PHP serialize() data (or JSON) and print it as JSON")]
    Decode(commands::decode::Args),
    /// Print the GoVPSFX md5 hash of the given fields (secret from the environment).
    Sign(commands::sign::Args),
    #[command(about = "Friendhosting / RootPanel gateway commands")]
    Fh(commands::fh::Args),
    #[command(about = "GoVPSFX partner API commands")]
    Govpsfx(commands::govpsfx::Args),
    /// Run one provider-neutral lifecycle step at a configured provider; prints JSON.
    Lifecycle(commands::lifecycle::Args),
    /// Serve the local emulator of both upstream APIs (until Ctrl-C).
    Sandbox(commands::sandbox::Args),
    /// Start the sandbox in-process and walk the whole lifecycle of both APIs through it.
    Demo(commands::demo::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = match &cli.command {
        Command::Fh(a) => a.net.json,
        Command::Govpsfx(a) => a.net.json,
        Command::Lifecycle(_) => true,
        Command::Decode(_) | Command::Sign(_) | Command::Sandbox(_) | Command::Demo(_) => false,
    };
    let outcome = match cli.command {
        Command::Decode(a) => commands::decode::run(a),
        Command::Sign(a) => commands::sign::run(a),
        Command::Fh(a) => commands::fh::run(a),
        Command::Govpsfx(a) => commands::govpsfx::run(a),
        Command::Lifecycle(a) => commands::lifecycle::run_step(a),
        Command::Sandbox(a) => commands::sandbox::run(a),
        Command::Demo(a) => commands::demo::run(a),
    };
    exit::finish(outcome, json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
