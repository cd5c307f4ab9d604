//! A provider chosen at run time: either upstream behind one value.

use http::{HeaderMap, StatusCode};

use super::call::{StepCall, Upstream};
use super::step::{Outcome, Step};
use super::types::{Balance, CreateSpec, Created, Done, Renewed, ServiceInfo, ServiceRef};
use crate::error::Error;
use crate::friendhosting::Gateway;
use crate::govpsfx::Partner;
use crate::transport::HttpRequest;

/// Friendhosting or GoVPSFX, as the configuration says (see [`crate::config`]). `Debug` shows
/// the settings, never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    /// The Friendhosting / RootPanel gateway.
    Friendhosting(Gateway),
    /// The GoVPSFX partner API.
    Govpsfx(Partner),
}

impl Upstream for Provider {
    fn provider(&self) -> &'static str {
        match self {
            Provider::Friendhosting(g) => g.provider(),
            Provider::Govpsfx(p) => p.provider(),
        }
    }

    fn build(&self, step: &Step) -> Result<HttpRequest, Error> {
        match self {
            Provider::Friendhosting(g) => g.build(step),
            Provider::Govpsfx(p) => p.build(step),
        }
    }

    fn read(
        &self,
        step: &Step,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Outcome, Error> {
        match self {
            Provider::Friendhosting(g) => g.read(step, status, headers, body),
            Provider::Govpsfx(p) => p.read(step, status, headers, body),
        }
    }
}

/// Typed steps: each is an [`crate::Operation`] to build, send and parse.
impl Provider {
    /// Order a new service. Moves money: send it once.
    pub fn create(&self, spec: &CreateSpec) -> StepCall<'_, Self, Created> {
        self.step(Step::Create(spec.clone()))
    }
    /// Extend a service by `months`. Moves money: send it once.
    pub fn renew(&self, service: &ServiceRef, months: u32) -> StepCall<'_, Self, Renewed> {
        self.step(Step::Renew {
            service: service.clone(),
            months,
        })
    }
    /// Suspend a running service.
    pub fn suspend(&self, service: &ServiceRef) -> StepCall<'_, Self, Done> {
        self.step(Step::Suspend(service.clone()))
    }
    /// Start a suspended service.
    pub fn unsuspend(&self, service: &ServiceRef) -> StepCall<'_, Self, Done> {
        self.step(Step::Unsuspend(service.clone()))
    }
    /// End a service.
    pub fn terminate(&self, service: &ServiceRef) -> StepCall<'_, Self, Done> {
        self.step(Step::Terminate(service.clone()))
    }
    /// Restart the server.
    pub fn reboot(&self, service: &ServiceRef) -> StepCall<'_, Self, Done> {
        self.step(Step::Reboot(service.clone()))
    }
    /// Reinstall the server.
    pub fn reinstall(&self, service: &ServiceRef) -> StepCall<'_, Self, Done> {
        self.step(Step::Reinstall(service.clone()))
    }
    /// Details of one service.
    pub fn info(&self, service: &ServiceRef) -> StepCall<'_, Self, ServiceInfo> {
        self.step(Step::Info(service.clone()))
    }
    /// Every service of the account.
    pub fn list(&self) -> StepCall<'_, Self, Vec<ServiceInfo>> {
        self.step(Step::List)
    }
    /// The account balance.
    pub fn balance(&self) -> StepCall<'_, Self, Balance> {
        self.step(Step::Balance)
    }
}
