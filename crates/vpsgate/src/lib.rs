//! vpsgate: sans-IO clients for the Friendhosting / RootPanel HTTP gateway and the GoVPSFX
//! partner API, with an exact PHP `serialize()` codec.
//!
//! The core does no I/O. Every upstream call is two pure steps, build the [`HttpRequest`]
//! (signing included) and parse the answer from status, headers and body; anything that moves
//! bytes can sit in between:
//!
//! ```
//! use vpsgate::friendhosting::{Credentials, Gateway, GetBalance};
//! use vpsgate::{ApiKey, Operation};
//!
//! let gateway = Gateway::new(Credentials::with_api_key("reseller", ApiKey::new("k3y")));
//! let call = gateway.call(&GetBalance);
//!
//! // 1. Build: the exact request, ready for any HTTP client.
//! let request = call.request()?;
//! assert_eq!(request.uri(), "https://my.friendhosting.net/apih.php");
//! assert_eq!(request.body(), b"command=getBalance&login=reseller&apikey=k3y");
//!
//! // 2. Send it (here a canned answer in PHP serialize() format stands in for the network).
//! let body = br#"a:3:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:5:"12.50";s:8:"currency";s:3:"EUR";}"#;
//!
//! // 3. Parse: typed, whatever format the gateway chose.
//! let answer = call.parse(http::StatusCode::OK, &http::HeaderMap::new(), body)?;
//! assert_eq!(answer.data.balance.unwrap().to_string(), "12.50");
//! assert_eq!(answer.data.currency.as_deref(), Some("EUR"));
//! # Ok::<(), vpsgate::Error>(())
//! ```
//!
//! [`friendhosting::Client`] and [`govpsfx::Client`] do the three steps over any [`Transport`]
//! (a closure is one) or [`AsyncTransport`]; the `native` feature adds a blocking HTTPS
//! transport (`native::NativeTransport`). Both clients implement the provider-neutral
//! [`lifecycle::Lifecycle`] and [`lifecycle::AsyncLifecycle`]; every lifecycle step is also an
//! [`Operation`] of a [`lifecycle::Provider`] built from [`config`]. The library never retries a
//! request on its own; an opt-in [`retry::RetryPolicy`] re-sends read-only requests only
//! (never create, renew, lease, extend or any other state change).
//!
//! | module | what it holds |
//! |---|---|
//! | [`php`] | PHP `serialize()`/`unserialize()` (the crate `vpsgate-php`, re-exported): [`php::Value`], serde [`php::from_bytes`] / [`php::to_vec`] |
//! | [`friendhosting`] | the `apih.php` gateway: credentials, the nine commands, typed answers, error codes |
//! | [`govpsfx`] | the partner API: md5 signing, lease / extend / recall, deferred-delivery callbacks |
//! | [`lifecycle`] | one create / renew / suspend / ... interface over both, as sans-IO steps; [`lifecycle::Provider`] picks the upstream at run time |
//! | [`contract`] | the JSON shapes of results and errors that every face returns |
//! | [`decode`] | any answer body (PHP format or JSON) to one line of JSON text |
//! | [`body`] | the first look at a body: UTF-8 BOM and whitespace, the PHP-format sniff, serde_json positions as byte offsets |
//! | [`config`] | the provider configuration every face reads (JSON, TOML, JS object, PHP array) |
//! | [`error`] | the one [`Error`] type and its stable [`ErrorCode`] numbers |
//! | [`retry`] | the opt-in [`retry::RetryPolicy`] for read-only requests: attempts, backoff, jitter |
//! | [`secret`] | passwords and keys that print `[redacted]` |
//! | [`lenient`] | scalars that accept what PHP sends (`"10"`, `10`, `true`) |
//! | [`transport`] | [`Operation`], [`Transport`], [`AsyncTransport`] |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod body;
pub mod config;
pub mod contract;
mod dates;
pub mod decode;
pub mod error;
pub mod friendhosting;
pub mod govpsfx;
pub mod lenient;
pub mod lifecycle;
pub mod named;
#[cfg(feature = "native")]
pub mod native;
pub mod php;
pub mod retry;
pub mod secret;
pub mod transport;

pub use error::{
    Error, ErrorCode, MoneyMove, RawBody, SignatureProblem, TransportError, TransportErrorKind,
};
pub use secret::{ApiKey, PartnerSecret, Password, ServerPassword};
pub use transport::{
    execute, execute_async, execute_async_with, execute_with, AsyncTransport, HttpRequest,
    HttpResponse, Operation, ReadOnly, Transport,
};
