//! `vpsgate lifecycle --config FILE STEP [--args JSON]`: one provider-neutral lifecycle step at
//! the provider a configuration file describes (the same configuration every face reads, see
//! `vpsgate::config`; JSON, or TOML when the file name ends in `.toml`).
//!
//! The result is always printed as JSON, in the shapes of `vpsgate::contract` (the C library,
//! the npm package and the PHP package return the same). Steps: create, renew, suspend,
//! unsuspend, terminate, reboot, reinstall, info, list, balance; `--args` is the flat argument
//! object of `vpsgate::lifecycle::StepArgs`, e.g. `{"id":"100001","months":3}`.

use std::path::PathBuf;

use vpsgate::config::{Config, ProviderConfig};
use vpsgate::lifecycle::{run_with, Step};
use vpsgate::native::NativeTransport;

use crate::exit::Failure;
use crate::output;

/// `vpsgate lifecycle`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The provider configuration file (JSON, or TOML for `*.toml`). It holds secrets: keep it
    /// readable by you alone.
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,

    /// The step: create, renew, suspend, unsuspend, terminate, reboot, reinstall, info, list,
    /// balance.
    pub step: String,

    /// The step's arguments as one JSON object, e.g. '{"id":"100001","months":3}'.
    #[arg(long, value_name = "JSON", default_value = "{}")]
    pub args: String,
}

/// Run `vpsgate lifecycle`.
pub fn run_step(args: Args) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.config)
        .map_err(|e| Failure::io(&format!("reading {}", args.config.display()), &e))?;
    let config = if args.config.extension().is_some_and(|e| e == "toml") {
        let settings: ProviderConfig = toml::from_str(&text)
            .map_err(|e| vpsgate::Error::invalid_input("config", e.to_string()))?;
        Config::from_settings(&settings)?
    } else {
        Config::from_json(text.as_bytes())?
    };
    let step = Step::from_json(&args.step, args.args.as_bytes())?;
    let money = step.moves_money().then_some(output::MoneyAnswer {
        request: step.name(),
        password: matches!(step, Step::Create(_)),
        check: "the provider's list of services (the list step at Friendhosting)",
    });
    let transport = NativeTransport::from_config(&config.transport);
    let outcome = run_with(&config.provider, &transport, step, &config.transport.retry)?;
    let value = vpsgate::contract::outcome(&outcome)?;
    match money {
        Some(m) => m.json(&value),
        None => output::json(&value),
    }
}
