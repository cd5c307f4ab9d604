//! One provider-neutral lifecycle over both upstreams, sans-IO.
//!
//! Billing panels think in create / renew / suspend / unsuspend / terminate / reboot / reinstall
//! / info / list / balance. Each is a [`Step`]; any [`Upstream`] (a Friendhosting
//! [`crate::friendhosting::Gateway`], a GoVPSFX [`crate::govpsfx::Partner`], or a [`Provider`]
//! chosen at run time from configuration) turns a step into an [`crate::Operation`]: a pure
//! build of the exact request and a pure parse of the answer into the neutral types. Drive it
//! by hand, through [`crate::execute`] / [`crate::execute_async`], or through the
//! [`Lifecycle`] / [`AsyncLifecycle`] traits. An operation an upstream does not have is
//! [`crate::Error::Unsupported`] before anything is sent, so a panel module can switch upstream
//! by configuration alone.
//!
//! ```
//! use vpsgate::lifecycle::{Balance, Provider, Upstream};
//! use vpsgate::Operation;
//!
//! let provider = Provider::from_json(br#"{"provider":"friendhosting","login":"test","password":"test"}"#)?;
//! let call = provider.balance();
//! let request = call.request()?; // send it with anything
//! assert_eq!(request.body(), b"command=getBalance&login=test&pass=test");
//! let body = br#"a:3:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:4:"9.50";s:8:"currency";s:3:"USD";}"#;
//! let balance: Balance = call.parse(http::StatusCode::OK, &http::HeaderMap::new(), body)?;
//! assert_eq!((balance.amount.to_string(), balance.currency), ("9.50".into(), "USD".into()));
//! # Ok::<(), vpsgate::Error>(())
//! ```

mod call;
mod provider;
mod step;
mod types;

pub use call::{
    run, run_async, run_async_with, run_with, AsyncLifecycle, Client, Lifecycle, StepCall, Upstream,
};
pub use provider::Provider;
pub use step::{FromOutcome, Outcome, Step, StepArgs};
pub use types::{
    Access, Balance, CreateSpec, Created, Done, Notice, Provisioning, Renewed, ServiceInfo,
    ServiceRef, ServiceState,
};

use crate::error::Error;

/// The [`Error::Unsupported`] for `operation` at `provider`.
pub fn unsupported<T>(provider: &'static str, operation: &'static str) -> Result<T, Error> {
    Err(Error::Unsupported {
        provider,
        operation,
    })
}
