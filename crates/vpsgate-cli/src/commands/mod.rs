//! One module per subcommand. A new subcommand (`sandbox`, `demo`) is one more module here and
//! one more variant of `Command` in `main.rs`.

pub mod decode;
pub mod demo;
pub mod fh;
pub mod govpsfx;
pub mod lifecycle;
pub mod sandbox;
pub mod sign;

use std::time::Duration;

use vpsgate::native::NativeTransport;
use vpsgate::retry::RetryPolicy;

/// Options shared by the commands that talk to an upstream.
#[derive(Debug, Clone, clap::Args)]
pub struct NetArgs {
    /// Print one JSON document on stdout instead of a table (stable shapes, for scripts).
    /// Includes the server password of `fh create` / `govpsfx lease`.
    #[arg(long, global = true)]
    pub json: bool,

    /// Show secrets (server passwords) in tables too.
    #[arg(long, global = true)]
    pub show_secrets: bool,

    /// Allow plain http:// to a non-loopback host (loopback hosts are always allowed).
    #[arg(long, global = true)]
    pub allow_http: bool,

    /// Overall time limit of the request, in seconds: 1 to 86400.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,

    /// Attempts in all for a read-only request (fh balance, tariffs, orders, find-order), 1 to
    /// 10; a transient failure (connect, timeout, dropped connection, cut answer, HTTP 5xx) is
    /// tried again after a jittered, doubling wait from 200 ms. Money-moving and other
    /// state-changing commands are always sent once.
    #[arg(long, global = true, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(vpsgate::retry::MAX_ATTEMPTS)))]
    pub retry_attempts: u32,
}

impl NetArgs {
    /// The transport these options ask for. It never retries and never follows redirects.
    pub fn transport(&self) -> NativeTransport {
        NativeTransport::new()
            .allow_insecure_http(self.allow_http)
            .timeout(Duration::from_secs(self.timeout))
    }

    /// The retry policy for read-only requests these options ask for.
    pub fn retry(&self) -> RetryPolicy {
        // The range is checked by clap.
        RetryPolicy::new(self.retry_attempts).unwrap_or(RetryPolicy::NEVER)
    }
}

/// A non-empty environment variable (an empty one counts as unset).
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A required environment variable, or an invalid-input error naming it.
pub fn require_env(name: &'static str, what: &str) -> Result<String, vpsgate::Error> {
    env_var(name)
        .ok_or_else(|| vpsgate::Error::invalid_input(name, format!("set {name} to {what}")))
}
