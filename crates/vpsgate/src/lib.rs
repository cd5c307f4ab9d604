//! vpsgate: sans-IO clients for the Friendhosting / RootPanel HTTP gateway and the GoVPSFX
//! partner API, with an exact PHP `serialize()` codec.
//!
//! The core does no I/O: each upstream call is built as an [`HttpRequest`] and its answer parsed
//! from status, headers and body. Any [`Transport`] moves the bytes; the `native` feature adds a
//! blocking one.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod friendhosting;
pub mod govpsfx;
pub mod lenient;
pub mod lifecycle;
#[cfg(feature = "native")]
pub mod native;
pub mod php;
pub mod secret;
pub mod transport;

pub use error::{Error, ErrorCode, RawBody, SignatureProblem, TransportError, TransportErrorKind};
pub use secret::{ApiKey, PartnerSecret, Password, ServerPassword};
pub use transport::{
    execute, execute_async, AsyncTransport, HttpRequest, HttpResponse, Operation, Transport,
};
