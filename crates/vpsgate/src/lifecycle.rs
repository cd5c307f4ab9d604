//! One provider-neutral lifecycle over both upstreams.
//!
//! Billing panels think in create / renew / suspend / unsuspend / terminate / reboot / reinstall
//! / info / list / balance. [`Lifecycle`] offers exactly that, implemented by
//! [`crate::friendhosting::Client`] and [`crate::govpsfx::Client`]; an operation an upstream
//! does not have returns [`Error::Unsupported`], so a panel module can switch upstream by
//! configuration alone.

use rust_decimal::Decimal;

use crate::error::Error;
use crate::secret::ServerPassword;

/// What to order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateSpec {
    /// The plan: Friendhosting `tarifid`, GoVPSFX `rate`.
    pub plan: String,
    /// The term in months.
    pub months: u32,
    /// Friendhosting `vid` (hosting, vds, dedicated); `None` for the provider's default.
    pub kind: Option<String>,
    /// Friendhosting `domain`.
    pub domain: Option<String>,
    /// Friendhosting add-on ids.
    pub addons: Vec<String>,
    /// GoVPSFX `client_id` (required there).
    pub client_id: Option<String>,
}

/// Identifies one service at its provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ServiceRef {
    /// Friendhosting `orderid`, GoVPSFX `server_id`.
    pub id: String,
    /// GoVPSFX `client_id`, which its extend call takes instead of the server id.
    pub client_id: Option<String>,
}

/// Where a new service stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provisioning {
    /// Ready now.
    Ready,
    /// Accepted; details come later (GoVPSFX 202, or a Friendhosting warning 30/31).
    Pending {
        /// The provider's message.
        message: String,
    },
}

/// Server access details, where the provider returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Server address (GoVPSFX), if any.
    pub ip: Option<String>,
    /// Port, if any.
    pub port: Option<u16>,
    /// Login on the server.
    pub login: Option<String>,
    /// Password on the server (redacted in `Debug`).
    pub password: Option<ServerPassword>,
}

/// The result of [`Lifecycle::create`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// How to address the service from now on (empty `id` while GoVPSFX delivery is pending).
    pub service: ServiceRef,
    /// Ready or pending.
    pub provisioning: Provisioning,
    /// Access details, if returned.
    pub access: Option<Access>,
    /// Price charged, if reported.
    pub cost: Option<Decimal>,
    /// Expiry date, if reported.
    pub expires: Option<time::Date>,
    /// A non-critical warning (Friendhosting 30/31), if any.
    pub warning: Option<String>,
}

/// The result of [`Lifecycle::renew`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewed {
    /// New expiry date, if reported.
    pub expires: Option<time::Date>,
    /// Price charged, if reported.
    pub cost: Option<Decimal>,
    /// A non-critical warning, if any.
    pub warning: Option<String>,
}

/// Run state of a service, provider-neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceState {
    /// Not yet processed / being processed.
    Pending,
    /// Running.
    Active,
    /// Suspended.
    Suspended,
    /// A state the provider reported that has no neutral name (kept as its number).
    Other(i64),
}

/// One service as listed by the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    /// How to address it.
    pub service: ServiceRef,
    /// Plan name or id.
    pub plan: String,
    /// Domain, if any.
    pub domain: Option<String>,
    /// State.
    pub state: ServiceState,
    /// Paid-until date, if the provider reports one in a known format.
    pub expires: Option<time::Date>,
}

/// Account balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// The amount, exact.
    pub amount: Decimal,
    /// Currency code.
    pub currency: String,
}

/// The provider-neutral lifecycle. Every method sends at most one request, never retried.
pub trait Lifecycle {
    /// The provider's short name (`"friendhosting"`, `"govpsfx"`).
    fn provider(&self) -> &'static str;
    /// Order a new service. Moves money; never retried by the library.
    fn create(&self, spec: &CreateSpec) -> Result<Created, Error>;
    /// Extend a service by `months`. Moves money; never retried by the library.
    fn renew(&self, service: &ServiceRef, months: u32) -> Result<Renewed, Error>;
    /// Suspend a running service.
    fn suspend(&self, service: &ServiceRef) -> Result<(), Error>;
    /// Start a suspended service.
    fn unsuspend(&self, service: &ServiceRef) -> Result<(), Error>;
    /// End a service.
    fn terminate(&self, service: &ServiceRef) -> Result<(), Error>;
    /// Restart the server.
    fn reboot(&self, service: &ServiceRef) -> Result<(), Error>;
    /// Reinstall the server.
    fn reinstall(&self, service: &ServiceRef) -> Result<(), Error>;
    /// Details of one service.
    fn info(&self, service: &ServiceRef) -> Result<ServiceInfo, Error>;
    /// Every service of the account.
    fn list(&self) -> Result<Vec<ServiceInfo>, Error>;
    /// Account balance.
    fn balance(&self) -> Result<Balance, Error>;
}

/// The [`Error::Unsupported`] for `operation` at `provider`.
pub fn unsupported<T>(provider: &'static str, operation: &'static str) -> Result<T, Error> {
    Err(Error::Unsupported {
        provider,
        operation,
    })
}
