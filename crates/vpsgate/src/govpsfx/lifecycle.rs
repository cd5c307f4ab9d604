//! The neutral lifecycle at the partner API: create = lease, renew = extend (by `client_id`),
//! terminate = recall (by `server_id`). The API has no suspend, unsuspend, reboot, reinstall,
//! info, list or balance: those are [`Error::Unsupported`] and send nothing.

use http::{HeaderMap, StatusCode};

use super::request::{Extend, Lease, Recall, Term};
use super::response::{parse_extend, parse_lease, parse_recall, LeaseOutcome};
use super::Partner;
use crate::error::Error;
use crate::lifecycle::{
    Access, CreateSpec, Created, Done, Outcome, Provisioning, Renewed, ServiceRef, Step, Upstream,
};
use crate::transport::HttpRequest;

pub use super::request::PROVIDER;

/// The lease for a neutral create: `spec.plan` is the rate, `spec.client_id` is required.
pub fn lease(spec: &CreateSpec) -> Result<Lease, Error> {
    let client_id = spec
        .client_id
        .as_deref()
        .ok_or_else(|| Error::invalid_input("client_id", "GoVPSFX needs a client_id"))?;
    Ok(Lease::new(
        spec.plan.as_str(),
        Term::try_from(spec.months)?,
        client_id,
    ))
}

/// The extend for a neutral renew: GoVPSFX extends by `client_id`, not by server id.
pub fn extend(service: &ServiceRef, months: u32) -> Result<Extend, Error> {
    let client_id = service.client_id.as_deref().ok_or_else(|| {
        Error::invalid_input("client_id", "GoVPSFX extends by client_id, none given")
    })?;
    Ok(Extend::new(Term::try_from(months)?, client_id))
}

fn unsupported(step: &Step) -> Error {
    Error::Unsupported {
        provider: PROVIDER,
        operation: step.name(),
    }
}

impl Upstream for Partner {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    fn build(&self, step: &Step) -> Result<HttpRequest, Error> {
        match step {
            Step::Create(spec) => lease(spec)?.http_request(self),
            Step::Renew { service, months } => extend(service, *months)?.http_request(self),
            Step::Terminate(service) => Recall::new(service.id.as_str()).http_request(self),
            other => Err(unsupported(other)),
        }
    }

    fn read(
        &self,
        step: &Step,
        status: StatusCode,
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Outcome, Error> {
        match step {
            Step::Create(spec) => Ok(Outcome::Created(created(
                parse_lease(status, body)?,
                spec.client_id.as_deref().unwrap_or_default(),
            ))),
            Step::Renew { .. } => {
                let extended = parse_extend(status, body)?;
                Ok(Outcome::Renewed(Renewed {
                    expires: Some(extended.end_at),
                    cost: None,
                    warning: None,
                }))
            }
            Step::Terminate(_) => {
                parse_recall(status, body)?;
                Ok(Outcome::Done(Done::new(None)))
            }
            other => Err(unsupported(other)),
        }
    }
}

/// A lease outcome as a neutral create. A 202 gives [`Provisioning::Pending`] with an empty
/// service id (the server id comes with the delivery).
fn created(outcome: LeaseOutcome, client_id: &str) -> Created {
    match outcome {
        LeaseOutcome::Delivered(d) => Created {
            service: ServiceRef {
                id: d.server_id,
                client_id: Some(d.client_id),
            },
            provisioning: Provisioning::Ready,
            access: Some(Access {
                ip: Some(d.ip),
                port: Some(d.port),
                login: Some(d.login),
                password: Some(d.password),
            }),
            cost: None,
            expires: Some(d.end_at),
            warning: None,
        },
        LeaseOutcome::Pending { message } => Created {
            service: ServiceRef {
                id: String::new(),
                client_id: Some(client_id.to_owned()),
            },
            provisioning: Provisioning::Pending { message },
            access: None,
            cost: None,
            expires: None,
            warning: None,
        },
    }
}
