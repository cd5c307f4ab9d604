//! A faithful local emulator of both upstream APIs: the Friendhosting / RootPanel gateway
//! (`/apih.php`) and the GoVPSFX partner API (`/server/server/{get,extend,recall}`).
//!
//! ```no_run
//! use vpsgate_sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default())?;
//! let url = format!("{}?command=getBalance&login=demo&apikey=demo-key&json=1", sandbox.gateway_url());
//! // ... send requests to `url` ...
//! sandbox.shutdown();
//! # Ok::<(), vpsgate_sandbox::SandboxError>(())
//! ```
//!
//! Limits: a request's headers and, separately, its body must arrive within
//! `read_timeout_ms` (default 10 000 ms) or the connection is closed; at most
//! `max_connections` (default 512) are served at once. Admin and configuration values are
//! bounded: `faults.latency_ms` at most 60 000, fault rates within
//! 0..=1 (NaN refused), account balances not negative; `/_sandbox/faults` answers 400 naming the
//! value otherwise.
//!
//! How the sandbox models what the documents leave open:
//! - Test access (`test_mode`, the default `test`/`test` account): every command answers as
//!   for a real account, but nothing is charged (`cost` is `"0.00"`) and nothing is kept: a
//!   created order's id is the next free one and is used up (no later real order gets it), but
//!   the order is not stored, and state changes to seeded orders are discarded.
//! - Order states follow the document: only a processed order (status 1) can be suspended and
//!   only a suspended one (2) started; an order not processed yet (0) or being processed (3)
//!   answers 25 (operation not supported) to both and keeps its status.
//! - `errorCode` is sent as a string (`"7"`), as the one public client's fixtures show it;
//!   `friendhosting.error_code_as_number = true` sends an integer instead. `errorMsg` is the
//!   document's English text, or with `friendhosting.language = "ru"` (`vpsgate sandbox
//!   --language ru`) a Russian translation of it (this sandbox's own wording, not captured
//!   from a real gateway).
//! - Prices: `cost = costMonthly * months * (1 - discount) + costSetup + Σ add-on
//!   (costMonthly * months + costSetup)`; `discount` is a fraction (`"0.1"` = 10 %). A renewal
//!   charges the monthly parts only. With too little balance the order is placed unpaid
//!   (`status` SUCCESS, `errorCode` 31, order status 0) and further commands on it answer 20.
//! - A tariff with `manual_processing` answers 30 and leaves the order in status 3.
//! - PHP answers have content type `text/html; charset=UTF-8` (PHP's default), JSON answers
//!   `application/json`; the HTTP status is always 200, as from a PHP script.
//! - Deferred GoVPSFX deliveries (contract unpublished, assumed as in the specs README): after
//!   `delivery_delay_ms` the sandbox POSTs the 200 answer's fields plus `partner_code` and
//!   `hash` (md5 rule over `rate`, `server_id`, `partner_code`), form-encoded, to the partner's
//!   loopback handler; a non-2xx answer or a connection error is retried up to
//!   `max_delivery_attempts` times with doubling backoff. Every attempt is a
//!   [`DeliveryAttempt`]. Pending deliveries resume after a restart when a state file is kept.
//! - GoVPSFX answers: 200 JSON (`port` a number), 202/400/403/500 plain-text messages; `extend`
//!   finds the partner's latest active server of `client_id` (or `server_id` when sent).
//!
//! Admin endpoints (never faulted): `POST /_sandbox/partners/{code}/handler` (form `url=`),
//! `GET`/`POST /_sandbox/faults` (JSON [`FaultConfig`]), `GET /_sandbox/deliveries` (JSON list
//! of [`DeliveryAttempt`]), `GET /_sandbox/stats` (faults injected and connections accepted
//! since start: `{"faults":{"drop":n,"error_500":n,"truncate":n,"html":n},"connections":n}`),
//! `GET /_sandbox/health`.
//!
//! Web pages the developer opens while the sandbox runs:
//! - The emulated APIs answer CORS for any origin (the browser example calls them from its own
//!   page). The admin endpoints send no CORS headers, refuse every preflight (`OPTIONS`) and
//!   every request whose `Origin` is not the sandbox's own (`http://` + its `Host`) with 403.
//! - A `Host` header other than `127.0.0.1`, `localhost` or `[::1]` (with or without a port) is
//!   refused with 403 on every endpoint, so a foreign name resolved to 127.0.0.1 (DNS
//!   rebinding) reaches nothing; two `Host` headers are refused with 400. A request without
//!   `Host` (HTTP/1.0) names nothing to rebind and is served.
//! - PHP answers are `text/html` as PHP sends them: request input quoted in an `errorMsg` is
//!   HTML-escaped there (as `htmlspecialchars` would), and every answer carries
//!   `X-Content-Type-Options: nosniff`. The HTML fault page is a fixed text.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod answer;
mod callback;
mod config;
mod dates;
mod delivery;
mod error;
mod faults;
mod gateway;
mod govpsfx;
mod handler_url;
mod messages;
mod model;
mod server;
mod state;
mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub use callback::{CallbackReceiver, ReceivedPost};
pub use config::{
    AccountConfig, AddonConfig, Delivery, FaultConfig, FriendhostingConfig, GovpsfxConfig,
    OrderSeed, PartnerConfig, PeriodConfig, RateConfig, SandboxConfig, TariffConfig,
};
pub use error::SandboxError;
pub use messages::Language;
pub use server::{GATEWAY_PATH, GOVPSFX_EXTEND_PATH, GOVPSFX_GET_PATH, GOVPSFX_RECALL_PATH};
pub use state::DeliveryAttempt;

/// Serve the sandbox on `listener` until `shutdown` resolves (for `vpsgate sandbox`).
pub async fn serve(
    config: SandboxConfig,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), SandboxError> {
    Prepared::new(config)?.serve(listener, shutdown).await
}

/// A sandbox whose configuration is checked and whose state file is open and read, not yet
/// serving: a caller can report "listening" only once this worked (a corrupt state file or a
/// bad configuration fails here).
pub struct Prepared {
    app: Arc<state::App>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").finish_non_exhaustive()
    }
}

impl Prepared {
    /// Check `config` and open (or create) its state file.
    pub fn new(config: SandboxConfig) -> Result<Prepared, SandboxError> {
        Ok(Prepared {
            app: state::App::new(config)?,
        })
    }

    /// Serve on `listener` until `shutdown` resolves.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), SandboxError> {
        server::serve_app(self.app, listener, shutdown).await
    }
}

/// Starts a sandbox on its own background thread, for synchronous callers.
pub struct Sandbox;

impl Sandbox {
    /// Bind `127.0.0.1:<config.port>` and serve until the returned handle is shut down or
    /// dropped.
    pub fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let app = state::App::new(config)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("vpsgate-sandbox")
            .enable_all()
            .build()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app2 = app.clone();
        let thread = std::thread::Builder::new()
            .name("vpsgate-sandbox".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    server::serve_app(app2, listener, async {
                        let _ = rx.await;
                    })
                    .await
                })
            })?;
        Ok(RunningSandbox {
            addr,
            app,
            stop: Some(tx),
            thread: Some(thread),
        })
    }
}

/// A sandbox serving on a background thread. Dropping it shuts it down.
pub struct RunningSandbox {
    addr: SocketAddr,
    app: Arc<state::App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), SandboxError>>>,
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningSandbox {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The gateway endpoint, `<base>/apih.php`.
    pub fn gateway_url(&self) -> String {
        format!("{}{GATEWAY_PATH}", self.base_url())
    }

    /// The GoVPSFX lease endpoint, `<base>/server/server/get`.
    pub fn govpsfx_get_url(&self) -> String {
        format!("{}{GOVPSFX_GET_PATH}", self.base_url())
    }

    /// Connections accepted since start (as `GET /_sandbox/stats` counts them).
    pub fn connections(&self) -> u64 {
        self.app
            .connections
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Every deferred-delivery attempt so far (the latest 1000).
    pub fn delivery_attempts(&self) -> Vec<DeliveryAttempt> {
        self.app.attempts()
    }

    /// The latest 1000 log lines, when `log` is on (empty otherwise).
    pub fn log_lines(&self) -> Vec<String> {
        self.app
            .log_lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Replace the fault settings (as `POST /_sandbox/faults` does).
    pub fn set_faults(&self, faults: FaultConfig) -> Result<(), SandboxError> {
        let mut probe = self.app.config.clone();
        probe.faults = faults.clone();
        probe.validate()?;
        self.app.set_faults(faults);
        Ok(())
    }

    /// Register a partner's handler URL (as `POST /_sandbox/partners/{code}/handler` does).
    pub fn set_handler(&self, partner_code: &str, url: &str) -> Result<(), SandboxError> {
        self.app.set_handler(partner_code, url)
    }

    /// Stop accepting, finish open requests, stop deliveries, and join the thread.
    pub fn shutdown(mut self) -> Result<(), SandboxError> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), SandboxError> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(SandboxError::State("sandbox thread panicked".into())),
            None => Ok(()),
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}
