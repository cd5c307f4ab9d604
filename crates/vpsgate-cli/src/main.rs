//! The `vpsgate` command line.
//!
//! Subcommands: `decode` (PHP `serialize()` data to JSON), `sign` (GoVPSFX md5 hash), `fh`
//! (the Friendhosting / RootPanel gateway), `govpsfx` (the GoVPSFX partner API). Each lives in
//! one module under `commands/`.
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
Requests are sent once (never retried), redirects are never followed, and plain http:// is \
refused except to loopback hosts unless --allow-http.";

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
    /// Decode PHP serialize() data (or JSON) and print it as JSON.
    Decode(commands::decode::Args),
    /// Print the GoVPSFX md5 hash of the given fields (secret from the environment).
    Sign(commands::sign::Args),
    /// Friendhosting / RootPanel gateway commands.
    Fh(commands::fh::Args),
    /// GoVPSFX partner API commands.
    Govpsfx(commands::govpsfx::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = match &cli.command {
        Command::Fh(a) => a.net.json,
        Command::Govpsfx(a) => a.net.json,
        Command::Decode(_) | Command::Sign(_) => false,
    };
    let outcome = match cli.command {
        Command::Decode(a) => commands::decode::run(a),
        Command::Sign(a) => commands::sign::run(a),
        Command::Fh(a) => commands::fh::run(a),
        Command::Govpsfx(a) => commands::govpsfx::run(a),
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
