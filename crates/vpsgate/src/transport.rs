//! The seam between the pure protocol code and the network.
//!
//! Every upstream operation is an [`Operation`]: two pure steps, [`Operation::request`] builds the
//! HTTP request (signing included) and [`Operation::parse`] reads the status, headers and body.
//! A [`Transport`] (or [`AsyncTransport`]) moves the bytes in between. Closures are transports:
//!
//! ```
//! use vpsgate::{HttpRequest, HttpResponse, TransportError};
//! let transport = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(req.method(), http::Method::POST);
//!     Ok(http::Response::builder().status(200).body(b"a:0:{}".to_vec()).unwrap())
//! };
//! # let _ = &transport;
//! ```
//!
//! The library never retries on its own: a failed `createOrder` or lease is reported, not
//! re-sent, so money is never moved twice.

use std::future::Future;

use http::{HeaderMap, StatusCode};

use crate::error::{Error, MoneyMove, TransportError};

/// An outgoing HTTP request: fully built, body included.
pub type HttpRequest = http::Request<Vec<u8>>;
/// An HTTP response as a transport hands it back.
pub type HttpResponse = http::Response<Vec<u8>>;

/// One upstream call as two pure steps.
pub trait Operation {
    /// The typed outcome of a successful call.
    type Output;

    /// Build the exact HTTP request to send. Pure: no I/O, same input gives the same bytes.
    fn request(&self) -> Result<HttpRequest, Error>;

    /// Read the upstream's answer. Pure. For a money-moving operation, a failure that may come
    /// after the upstream executed the request is [`Error::OutcomeUnknown`].
    fn parse(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self::Output, Error>;

    /// `Some` when the operation moves money (create, renew, lease, extend): it must never be
    /// sent twice, and a failure after sending leaves its outcome unknown.
    fn money(&self) -> Option<MoneyMove> {
        None
    }
}

/// Sends one request and returns the response, blocking.
///
/// Implemented for any `Fn(HttpRequest) -> Result<HttpResponse, TransportError>`.
/// An implementation must not retry a request on its own.
pub trait Transport {
    /// Send `request` and wait for the whole response.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<F> Transport for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
{
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

/// Sends one request and returns the response, asynchronously.
///
/// Implemented for any `Fn(HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>>`.
/// The future need not be `Send`, so browser `fetch` fits.
pub trait AsyncTransport {
    /// Send `request` and resolve to the whole response.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}

impl<F, Fut> AsyncTransport for F
where
    F: Fn(HttpRequest) -> Fut,
    Fut: Future<Output = Result<HttpResponse, TransportError>>,
{
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self(request)
    }
}

/// Build, send once, parse.
pub fn execute<O, T>(operation: &O, transport: &T) -> Result<O::Output, Error>
where
    O: Operation + ?Sized,
    T: Transport + ?Sized,
{
    let request = operation.request()?;
    let response = transport
        .send(request)
        .map_err(|e| Error::from(e).after_sending(operation.money()))?;
    let (parts, body) = response.into_parts();
    operation.parse(parts.status, &parts.headers, &body)
}

/// Build, send once, parse: the async twin of [`execute`].
pub async fn execute_async<O, T>(operation: &O, transport: &T) -> Result<O::Output, Error>
where
    O: Operation + ?Sized,
    T: AsyncTransport + ?Sized,
{
    let request = operation.request()?;
    let response = transport
        .send(request)
        .await
        .map_err(|e| Error::from(e).after_sending(operation.money()))?;
    let (parts, body) = response.into_parts();
    operation.parse(parts.status, &parts.headers, &body)
}

/// Whether `host` (as in a URI, IPv6 possibly in brackets) is a loopback host: the
/// one kind of host every transport lets plain `http://` reach.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// Encode `fields` as `application/x-www-form-urlencoded`, in the given order.
pub fn form_encode<'a, I>(fields: I) -> Vec<u8>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
        .into_bytes()
}

/// Build a form-encoded POST request to `url`.
pub fn form_post(url: &str, body: Vec<u8>) -> Result<HttpRequest, Error> {
    http::Request::builder()
        .method(http::Method::POST)
        .uri(url)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(http::header::ACCEPT, "*/*")
        .body(body)
        .map_err(|e| Error::invalid_input("endpoint", format!("not a usable URL: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl Operation for Echo {
        type Output = (u16, Vec<u8>);
        fn request(&self) -> Result<HttpRequest, Error> {
            form_post(
                "https://example.test/x",
                form_encode([("a", "b c"), ("d", "é&")]),
            )
        }
        fn parse(&self, s: StatusCode, _: &HeaderMap, b: &[u8]) -> Result<Self::Output, Error> {
            Ok((s.as_u16(), b.to_vec()))
        }
    }

    #[test]
    fn closure_transport_sees_exact_bytes() {
        let t = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            assert_eq!(req.body(), b"a=b+c&d=%C3%A9%26");
            assert_eq!(
                req.headers()[http::header::CONTENT_TYPE],
                "application/x-www-form-urlencoded"
            );
            Ok(http::Response::builder()
                .status(202)
                .body(b"ok".to_vec())
                .unwrap())
        };
        assert_eq!(execute(&Echo, &t).unwrap(), (202, b"ok".to_vec()));
    }

    #[test]
    fn transport_errors_pass_through() {
        let t = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
            Err(TransportError::new(
                crate::TransportErrorKind::Timeout,
                "timed out",
            ))
        };
        let err = execute(&Echo, &t).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Timeout);
    }

    #[test]
    fn bad_url_is_invalid_input() {
        let err = form_post("not a url", vec![]).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
    }
}
