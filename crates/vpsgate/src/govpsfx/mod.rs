//! The GoVPSFX partner ("for brokers") API: lease a VPS, extend it, recall it.
//!
//! Every request is a form-encoded POST signed with an md5 `hash` (see [`sign`]); the HTTP status
//! carries the outcome (see [`response`]). A lease may answer 202: the server details then come
//! later to the partner's own handler (see [`callback`]).
//!
//! ```
//! use vpsgate::govpsfx::{Client, Lease, LeaseOutcome, Partner, Term};
//! use vpsgate::{HttpRequest, HttpResponse, PartnerSecret, TransportError};
//!
//! let partner = Partner::new("14321", PartnerSecret::new("sdsd4223dsd"));
//! let transport = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(req.uri(), "https://api.govpsfx.com/server/server/get");
//!     assert_eq!(
//!         req.body(),
//!         b"rate=singapore&term=1&partner_code=14321&client_id=ID16773\
//!           &hash=8cfff6fb2b39a4f0c9d6d7413e9439f6"
//!     );
//!     Ok(http::Response::builder().status(202).body(b"order created".to_vec()).unwrap())
//! };
//! let client = Client::new(partner, transport);
//! let lease = Lease::new("singapore", Term::try_from(1)?, "ID16773");
//! assert_eq!(
//!     client.lease(&lease)?,
//!     LeaseOutcome::Pending { message: "order created".into() }
//! );
//! # Ok::<(), vpsgate::Error>(())
//! ```

pub mod callback;
pub mod delivery;
pub mod lifecycle;
mod lower_table;
mod request;
pub mod response;
pub mod sign;

use std::fmt;

pub use callback::{callback_form, callback_json, verify_callback, CallbackLimits};
pub use delivery::{server_key, verify_delivery, PendingLease};
pub use request::{Call, Extend, Lease, PartnerRequest, Recall, Term};
pub use response::{details_body, Extended, LeaseOutcome, Recalled, ServerDetails};

use crate::error::Error;
use crate::lifecycle::{AsyncLifecycle, Lifecycle, Outcome, Step};
use crate::secret::PartnerSecret;
use crate::transport::{execute, execute_async, AsyncTransport, Transport};
use lifecycle::PROVIDER;

/// The provider's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.govpsfx.com";
/// Path of the lease ("get") endpoint, as documented.
pub const LEASE_PATH: &str = "/server/server/get";
/// Path of the extend endpoint. **Unverified**: no document we have gives it; this is our
/// assumption by analogy with [`LEASE_PATH`]. Override it when the real one is known.
pub const EXTEND_PATH: &str = "/server/server/extend";
/// Path of the recall endpoint. **Unverified**, like [`EXTEND_PATH`].
pub const RECALL_PATH: &str = "/server/server/recall";

/// The three endpoint URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Lease; default `https://api.govpsfx.com/server/server/get` (documented).
    pub lease: String,
    /// Extend; default `https://api.govpsfx.com/server/server/extend` (our unverified guess).
    pub extend: String,
    /// Recall; default `https://api.govpsfx.com/server/server/recall` (our unverified guess).
    pub recall: String,
}

impl Endpoints {
    /// The three default paths under `base` (e.g. a sandbox `http://127.0.0.1:8080`); a
    /// trailing `/` on `base` is ignored.
    pub fn with_base_url(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Endpoints {
            lease: format!("{base}{LEASE_PATH}"),
            extend: format!("{base}{EXTEND_PATH}"),
            recall: format!("{base}{RECALL_PATH}"),
        }
    }
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints::with_base_url(DEFAULT_BASE_URL)
    }
}

/// A partner account: its code, its md5 secret and where to send requests.
///
/// `Debug` never shows the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    partner_code: String,
    secret: PartnerSecret,
    endpoints: Endpoints,
}

impl Partner {
    /// A partner with the default endpoints. The code is checked (non-empty) when a request is
    /// built.
    pub fn new(partner_code: impl Into<String>, secret: PartnerSecret) -> Self {
        Partner {
            partner_code: partner_code.into(),
            secret,
            endpoints: Endpoints::default(),
        }
    }

    /// Replace all three endpoint URLs.
    pub fn with_endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// Keep the three paths, change scheme, host and port (and any path prefix) to `base`.
    pub fn with_base_url(self, base: &str) -> Self {
        self.with_endpoints(Endpoints::with_base_url(base))
    }

    /// Override the lease URL.
    pub fn with_lease_url(mut self, url: impl Into<String>) -> Self {
        self.endpoints.lease = url.into();
        self
    }

    /// Override the extend URL (the default path is an unverified assumption).
    pub fn with_extend_url(mut self, url: impl Into<String>) -> Self {
        self.endpoints.extend = url.into();
        self
    }

    /// Override the recall URL (the default path is an unverified assumption).
    pub fn with_recall_url(mut self, url: impl Into<String>) -> Self {
        self.endpoints.recall = url.into();
        self
    }

    /// The partner code.
    pub fn partner_code(&self) -> &str {
        &self.partner_code
    }

    /// The md5 secret.
    pub fn secret(&self) -> &PartnerSecret {
        &self.secret
    }

    /// The endpoint URLs.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Bind `request` to this partner: the [`crate::Operation`] to run.
    pub fn call<'a, R>(&'a self, request: &'a R) -> Call<'a, R> {
        Call {
            partner: self,
            request,
        }
    }
}

/// A thin client: a [`Partner`] plus a transport. Each call sends exactly one request.
pub struct Client<T> {
    partner: Partner,
    transport: T,
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("partner", &self.partner)
            .finish_non_exhaustive()
    }
}

impl<T> Client<T> {
    /// A client sending through `transport`.
    pub fn new(partner: Partner, transport: T) -> Self {
        Client { partner, transport }
    }

    /// The partner settings.
    pub fn partner(&self) -> &Partner {
        &self.partner
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
}

impl<T: Transport> Client<T> {
    /// Lease a server. Moves money; never retried.
    pub fn lease(&self, lease: &Lease) -> Result<LeaseOutcome, Error> {
        execute(&self.partner.call(lease), &self.transport)
    }

    /// Extend a client's server. Moves money; never retried.
    pub fn extend(&self, extend: &Extend) -> Result<Extended, Error> {
        execute(&self.partner.call(extend), &self.transport)
    }

    /// Recall a server.
    pub fn recall(&self, recall: &Recall) -> Result<Recalled, Error> {
        execute(&self.partner.call(recall), &self.transport)
    }
}

impl<T: AsyncTransport> Client<T> {
    /// [`Client::lease`], asynchronously.
    pub async fn lease_async(&self, lease: &Lease) -> Result<LeaseOutcome, Error> {
        execute_async(&self.partner.call(lease), &self.transport).await
    }

    /// [`Client::extend`], asynchronously.
    pub async fn extend_async(&self, extend: &Extend) -> Result<Extended, Error> {
        execute_async(&self.partner.call(extend), &self.transport).await
    }

    /// [`Client::recall`], asynchronously.
    pub async fn recall_async(&self, recall: &Recall) -> Result<Recalled, Error> {
        execute_async(&self.partner.call(recall), &self.transport).await
    }
}

/// The neutral lifecycle over the partner API: see [`lifecycle`] for the mapping.
impl<T: Transport> Lifecycle for Client<T> {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    fn run(&self, step: Step) -> Result<Outcome, Error> {
        crate::lifecycle::run(&self.partner, &self.transport, step)
    }
}

/// The async twin: the same mapping over an [`AsyncTransport`].
impl<T: AsyncTransport> AsyncLifecycle for Client<T> {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    async fn run(&self, step: Step) -> Result<Outcome, Error> {
        crate::lifecycle::run_async(&self.partner, &self.transport, step).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_base_urls() {
        let p = Partner::new("1880", PartnerSecret::new("s3cr3t-value"));
        assert_eq!(
            p.endpoints().lease,
            "https://api.govpsfx.com/server/server/get"
        );
        assert_eq!(
            p.endpoints().extend,
            "https://api.govpsfx.com/server/server/extend"
        );
        assert_eq!(
            p.endpoints().recall,
            "https://api.govpsfx.com/server/server/recall"
        );
        let p = p
            .with_base_url("http://127.0.0.1:9000/")
            .with_recall_url("http://x/r");
        assert_eq!(
            p.endpoints().lease,
            "http://127.0.0.1:9000/server/server/get"
        );
        assert_eq!(
            p.endpoints().extend,
            "http://127.0.0.1:9000/server/server/extend"
        );
        assert_eq!(p.endpoints().recall, "http://x/r");
        let dbg = format!("{p:?}");
        assert!(dbg.contains("1880") && !dbg.contains("s3cr3t"), "{dbg}");
    }
}
