//! `vpsgate govpsfx ...`: lease, extend, recall.
//!
//! Credentials come only from the environment: `VPSGATE_GOVPSFX_PARTNER` (the partner code) and
//! `VPSGATE_GOVPSFX_SECRET` (the md5 secret). `--endpoint` (or `VPSGATE_GOVPSFX_ENDPOINT`) is a
//! base URL: the paths `/server/server/get`, `/server/server/extend`, `/server/server/recall`
//! are kept (the last two are unverified assumptions of the library).
//!
//! `--json` shapes (dates ISO `YYYY-MM-DD`):
//! - lease: `{"status":"delivered","server":{"ip","port","login","password","created_at",
//!   "end_at","rate","client_id","server_id"}}` or `{"status":"pending","message":"..."}`.
//!   The password is included: the user needs it and gets it nowhere else.
//! - extend: `{"end_at":"YYYY-MM-DD"}`; recall: `{"recalled":true}`.
//!
//! A 202 (pending) lease is a success (exit 0). 400/403/500 exit 18/19/20.

use vpsgate::govpsfx::{
    Client, Extend, Lease, LeaseOutcome, Partner, Recall, Term, DEFAULT_BASE_URL,
};
use vpsgate::PartnerSecret;

use crate::commands::{require_env, NetArgs};
use crate::exit::Failure;
use crate::output::{self, pairs, HIDDEN};

/// `vpsgate govpsfx`.
#[derive(Debug, clap::Args)]
#[command(long_about = "GoVPSFX partner API commands.\n\n\
    Credentials come from the environment only: VPSGATE_GOVPSFX_PARTNER (partner code) and \
    VPSGATE_GOVPSFX_SECRET (md5 secret). --endpoint is a base URL; the request paths are kept.\n\n\
    `lease --json` includes the server password, which tables hide unless --show-secrets. \
    A 202 answer (delivered later to your handler) is a success: status pending, exit 0.")]
pub struct Args {
    #[command(flatten)]
    pub net: NetArgs,

    /// Base URL; the request paths are kept.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "VPSGATE_GOVPSFX_ENDPOINT",
        default_value = DEFAULT_BASE_URL
    )]
    pub endpoint: String,

    #[command(subcommand)]
    pub command: GovpsfxCommand,
}

/// One partner request.
#[derive(Debug, clap::Subcommand)]
pub enum GovpsfxCommand {
    /// Lease a server. Moves money; sent once, never retried.
    Lease {
        /// The rate, e.g. singapore.
        #[arg(long)]
        rate: String,
        /// Months: 1, 3, 6, 9 or 12.
        #[arg(long, value_name = "N")]
        term: u32,
        /// Your id for the customer.
        #[arg(long)]
        client_id: String,
    },
    /// Extend a customer's lease. Moves money; sent once, never retried.
    Extend {
        /// Months: 1, 3, 6, 9 or 12.
        #[arg(long, value_name = "N")]
        term: u32,
        /// The client id given at lease time.
        #[arg(long)]
        client_id: String,
    },
    /// Recall (end) a server.
    Recall {
        /// The server id returned by the lease.
        #[arg(long)]
        server_id: String,
    },
}

/// The partner from the environment, at `endpoint`.
pub fn partner(endpoint: &str) -> Result<Partner, vpsgate::Error> {
    let code = require_env("VPSGATE_GOVPSFX_PARTNER", "the GoVPSFX partner code")?;
    let secret = require_env("VPSGATE_GOVPSFX_SECRET", "the GoVPSFX partner secret")?;
    Ok(Partner::new(code, PartnerSecret::new(secret)).with_base_url(endpoint))
}

/// Run `vpsgate govpsfx ...`.
pub fn run(args: Args) -> Result<(), Failure> {
    let net = &args.net;
    let client = Client::new(partner(&args.endpoint)?, net.transport());
    match &args.command {
        GovpsfxCommand::Lease {
            rate,
            term,
            client_id,
        } => {
            let lease = Lease::new(rate.as_str(), Term::try_from(*term)?, client_id.as_str());
            let outcome = client.lease(&lease)?;
            let out = output::MoneyAnswer {
                request: "lease",
                password: matches!(outcome, LeaseOutcome::Delivered(_)),
                check: "ask GoVPSFX: it offers no way to list servers",
            };
            match &outcome {
                LeaseOutcome::Delivered(d) => {
                    if net.json {
                        out.json(&vpsgate::contract::lease(&outcome))
                    } else {
                        let password = if net.show_secrets {
                            d.password.secret().to_owned()
                        } else {
                            output::warn_hidden_password();
                            HIDDEN.to_owned()
                        };
                        out.emit(&pairs(&[
                            ("status", Some("delivered".to_owned())),
                            ("server_id", Some(d.server_id.clone())),
                            ("ip", Some(d.ip.clone())),
                            ("port", Some(d.port.to_string())),
                            ("login", Some(d.login.clone())),
                            ("password", Some(password)),
                            ("created_at", Some(d.created_at.to_string())),
                            ("end_at", Some(d.end_at.to_string())),
                            ("rate", Some(d.rate.clone())),
                            ("client_id", Some(d.client_id.clone())),
                        ]))
                    }
                }
                LeaseOutcome::Pending { message } => {
                    if net.json {
                        out.json(&vpsgate::contract::lease(&outcome))
                    } else {
                        out.emit(&pairs(&[
                            ("status", Some("pending".to_owned())),
                            ("message", Some(message.clone())),
                        ]))
                    }
                }
            }
        }
        GovpsfxCommand::Extend { term, client_id } => {
            let extended =
                client.extend(&Extend::new(Term::try_from(*term)?, client_id.as_str()))?;
            let out = output::MoneyAnswer {
                request: "extend",
                password: false,
                check: "ask GoVPSFX: it offers no way to list servers",
            };
            if net.json {
                out.json(&vpsgate::contract::extended(&extended))
            } else {
                out.emit(&pairs(&[("end_at", Some(extended.end_at.to_string()))]))
            }
        }
        GovpsfxCommand::Recall { server_id } => {
            client.recall(&Recall::new(server_id.as_str()))?;
            if net.json {
                output::json(&vpsgate::contract::recalled())
            } else {
                output::emit(&pairs(&[
                    ("server_id", Some(server_id.clone())),
                    ("result", Some("recall requested".to_owned())),
                ]))
            }
        }
    }
}
