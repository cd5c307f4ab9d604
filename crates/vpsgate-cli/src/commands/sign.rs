//! `vpsgate sign`: the GoVPSFX md5 `hash` of a set of fields.
//!
//! The secret is read from an environment variable (default `VPSGATE_GOVPSFX_SECRET`), never
//! from the command line, where other users could see it in the process list. Values are
//! signed exactly as given (no check that `term` is 1/3/6/9/12), so the command also serves to
//! check the `hash` of a deferred delivery.

use vpsgate::govpsfx::sign::{signature, SignedFields};
use vpsgate::PartnerSecret;

use crate::commands::require_env;
use crate::exit::Failure;
use crate::output;

/// `vpsgate sign`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `rate` (lease).
    #[arg(long)]
    pub rate: Option<String>,
    /// `term` as sent (lease, extend).
    #[arg(long)]
    pub term: Option<String>,
    /// `server_id` (recall).
    #[arg(long)]
    pub server_id: Option<String>,
    /// `partner_code`; defaults to $VPSGATE_GOVPSFX_PARTNER.
    #[arg(long, env = "VPSGATE_GOVPSFX_PARTNER")]
    pub partner_code: String,
    /// Name of the environment variable holding the partner secret.
    #[arg(long, value_name = "NAME", default_value = "VPSGATE_GOVPSFX_SECRET")]
    pub secret_env: String,
}

/// Run `vpsgate sign`.
pub fn run(args: Args) -> Result<(), Failure> {
    let secret = match crate::commands::env_var(&args.secret_env) {
        Some(s) => s,
        None if args.secret_env == "VPSGATE_GOVPSFX_SECRET" => {
            require_env("VPSGATE_GOVPSFX_SECRET", "the GoVPSFX partner secret")?
        }
        None => {
            return Err(vpsgate::Error::invalid_input(
                "secret",
                format!("environment variable {} is not set", args.secret_env),
            )
            .into())
        }
    };
    let fields = SignedFields {
        rate: args.rate.as_deref(),
        term: args.term.as_deref(),
        server_id: args.server_id.as_deref(),
        partner_code: Some(args.partner_code.as_str()),
    };
    let hash = signature(&fields, &PartnerSecret::new(secret));
    output::emit(&format!("{hash}\n"))
}
