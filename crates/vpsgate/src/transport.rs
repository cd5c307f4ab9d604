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
//! [`execute`] sends once. [`execute_with`] and [`execute_async_with`] may send a read-only
//! request again under an opt-in [`RetryPolicy`], and a transport may send one ([`ReadOnly`])
//! once more when the kept-alive connection it went over died; a failed `createOrder` or lease
//! (or any other request that is not [`Operation::read_only`]) is reported, never re-sent, so
//! money is never moved twice.

use std::future::Future;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::error::{Error, MoneyMove, TransportError};
use crate::retry::{jitter_seed, RetryPolicy};

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

    /// `true` when sending the request twice changes nothing at the upstream (Friendhosting
    /// `getTarifs`, `getOrders`, `getBalance`): only such an operation is ever retried, and
    /// only under an opt-in [`RetryPolicy`]. The default, `false`, is never retried.
    fn read_only(&self) -> bool {
        false
    }
}

/// Whether `operation` may be sent again: read-only and moving no money.
fn may_retry<O: Operation + ?Sized>(operation: &O) -> bool {
    operation.read_only() && operation.money().is_none()
}

/// The mark [`execute`] and [`execute_async`] put in the extensions of a request they send for
/// a read-only operation ([`Operation::read_only`], moving no money): sending it twice changes
/// nothing at the upstream. A transport may send such a request over a kept-alive connection
/// and, when that connection turns out to be dead, once more over a new one; a request without
/// the mark must never be sent twice (see [`Transport`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOnly;

/// Whether `request` carries the [`ReadOnly`] mark.
pub fn is_read_only(request: &HttpRequest) -> bool {
    request.extensions().get::<ReadOnly>().is_some()
}

/// The request [`execute`] sends for `operation`: [`Operation::request`], marked [`ReadOnly`]
/// where sending it twice changes nothing. For faces that hand the request to an HTTP client of
/// their own, which needs the mark ([`is_read_only`]) to choose a connection.
pub fn marked_request<O: Operation + ?Sized>(operation: &O) -> Result<HttpRequest, Error> {
    let mut request = operation.request()?;
    if may_retry(operation) {
        request.extensions_mut().insert(ReadOnly);
    }
    Ok(request)
}

/// Sends one request and returns the response, blocking.
///
/// Implemented for any `Fn(HttpRequest) -> Result<HttpResponse, TransportError>`.
/// An implementation must not retry a request on its own, with one exception: a request marked
/// [`ReadOnly`] may be sent once more over a new connection when a kept-alive one it was sent
/// over failed.
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
/// The future need not be `Send`, so browser `fetch` fits. The rule on sending a request twice is
/// [`Transport`]'s.
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

/// Build, send once, parse. The request of a read-only operation is marked [`ReadOnly`].
pub fn execute<O, T>(operation: &O, transport: &T) -> Result<O::Output, Error>
where
    O: Operation + ?Sized,
    T: Transport + ?Sized,
{
    let request = marked_request(operation)?;
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
    let request = marked_request(operation)?;
    let response = transport
        .send(request)
        .await
        .map_err(|e| Error::from(e).after_sending(operation.money()))?;
    let (parts, body) = response.into_parts();
    operation.parse(parts.status, &parts.headers, &body)
}

/// [`execute`], tried again under `policy` while the operation is read-only and the failure
/// transient (see [`crate::retry`]), waiting with [`std::thread::sleep`] between attempts. An
/// operation that is not read-only is sent once, as by [`execute`]. For native targets: where
/// threads cannot sleep (wasm32-unknown-unknown) use [`execute_async_with`].
pub fn execute_with<O, T>(
    operation: &O,
    transport: &T,
    policy: &RetryPolicy,
) -> Result<O::Output, Error>
where
    O: Operation + ?Sized,
    T: Transport + ?Sized,
{
    let retry = may_retry(operation);
    let mut failed = 0;
    loop {
        match execute(operation, transport) {
            Ok(output) => return Ok(output),
            Err(e) => {
                failed += 1;
                match policy.next_delay(retry, failed, &e, jitter_seed()) {
                    Some(wait) => std::thread::sleep(wait),
                    None => return Err(e),
                }
            }
        }
    }
}

/// The async twin of [`execute_with`]: `sleep` waits between attempts (a timer of the
/// runtime, `setTimeout` in a browser).
pub async fn execute_async_with<O, T, S, F>(
    operation: &O,
    transport: &T,
    policy: &RetryPolicy,
    sleep: S,
) -> Result<O::Output, Error>
where
    O: Operation + ?Sized,
    T: AsyncTransport + ?Sized,
    S: Fn(Duration) -> F,
    F: Future<Output = ()>,
{
    let retry = may_retry(operation);
    let mut failed = 0;
    loop {
        match execute_async(operation, transport).await {
            Ok(output) => return Ok(output),
            Err(e) => {
                failed += 1;
                match policy.next_delay(retry, failed, &e, jitter_seed()) {
                    Some(wait) => sleep(wait).await,
                    None => return Err(e),
                }
            }
        }
    }
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

/// Refuse a URL no transport can use before anything is built: its scheme must be `http` or
/// `https` ([`Error::InvalidInput`] on `endpoint` otherwise).
pub fn check_endpoint(url: &str) -> Result<(), Error> {
    let scheme = url.split_once("://").map(|(s, _)| s);
    match scheme {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => Ok(()),
        Some(s) => Err(Error::invalid_input(
            "endpoint",
            format!("unsupported URL scheme `{s}`: use http:// or https://"),
        )),
        None => Err(Error::invalid_input(
            "endpoint",
            "not a usable URL: it must start with http:// or https://",
        )),
    }
}

/// Build a form-encoded POST request to `url` (`http://` or `https://`, see
/// [`check_endpoint`]).
pub fn form_post(url: &str, body: Vec<u8>) -> Result<HttpRequest, Error> {
    check_endpoint(url)?;
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

    /// An operation whose kind the test picks, answering whatever the transport returns.
    struct Probe {
        read_only: bool,
        money: bool,
    }
    impl Operation for Probe {
        type Output = Vec<u8>;
        fn request(&self) -> Result<HttpRequest, Error> {
            form_post("http://127.0.0.1:1/x", Vec::new())
        }
        fn parse(&self, s: StatusCode, _: &HeaderMap, b: &[u8]) -> Result<Vec<u8>, Error> {
            if s.is_server_error() {
                return Err(Error::UnexpectedStatus {
                    status: s.as_u16(),
                    body: crate::RawBody::new(b),
                });
            }
            Ok(b.to_vec())
        }
        fn money(&self) -> Option<MoneyMove> {
            self.money.then_some(MoneyMove {
                provider: "test",
                operation: "buy",
            })
        }
        fn read_only(&self) -> bool {
            self.read_only
        }
    }

    #[test]
    fn only_read_only_operations_that_move_no_money_are_marked() {
        for (read_only, money, marked) in [
            (true, false, true),
            (false, false, false),
            (true, true, false),
            (false, true, false),
        ] {
            let probe = Probe { read_only, money };
            let t = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
                let body = if is_read_only(&req) {
                    "marked"
                } else {
                    "plain"
                };
                Ok(http::Response::new(body.as_bytes().to_vec()))
            };
            let want: &[u8] = if marked { b"marked" } else { b"plain" };
            assert_eq!(execute(&probe, &t).unwrap(), want);
            let async_t = |req: HttpRequest| std::future::ready(t(req));
            let got = block_on(execute_async(&probe, &async_t)).unwrap();
            assert_eq!(got, want, "read_only {read_only}, money {money}");
        }
    }

    /// A transport that fails `failures` times (timeout, then 503s), then answers `ok`.
    fn flaky(
        failures: usize,
    ) -> (
        impl Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
        std::rc::Rc<std::cell::Cell<usize>>,
    ) {
        let sent = std::rc::Rc::new(std::cell::Cell::new(0));
        let count = sent.clone();
        let t = move |_: HttpRequest| {
            count.set(count.get() + 1);
            match count.get() {
                1 if failures > 0 => Err(TransportError::new(
                    crate::TransportErrorKind::Timeout,
                    "timed out",
                )),
                n if n <= failures => Ok(http::Response::builder()
                    .status(503)
                    .body(b"busy".to_vec())
                    .unwrap()),
                _ => Ok(http::Response::builder().body(b"ok".to_vec()).unwrap()),
            }
        };
        (t, sent)
    }

    fn quick(attempts: u32) -> RetryPolicy {
        RetryPolicy::new(attempts)
            .unwrap()
            .with_delays(Duration::from_millis(1), Duration::from_millis(2))
            .unwrap()
    }

    #[test]
    fn read_only_operations_are_retried_up_to_the_cap() {
        let read = Probe {
            read_only: true,
            money: false,
        };
        let (t, sent) = flaky(3);
        assert_eq!(execute_with(&read, &t, &quick(4)).unwrap(), b"ok");
        assert_eq!(sent.get(), 4);
        let (t, sent) = flaky(3);
        let e = execute_with(&read, &t, &quick(3)).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::UnexpectedStatus);
        assert_eq!(sent.get(), 3, "the cap");
        let (t, sent) = flaky(3);
        let e = execute_with(&read, &t, &RetryPolicy::NEVER).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Timeout);
        assert_eq!(sent.get(), 1, "off by default");
    }

    #[test]
    fn other_operations_are_sent_once_whatever_the_policy() {
        for probe in [
            Probe {
                read_only: false,
                money: false,
            },
            Probe {
                read_only: false,
                money: true,
            },
            // Even an operation claiming both is never re-sent: money wins.
            Probe {
                read_only: true,
                money: true,
            },
        ] {
            let (t, sent) = flaky(1);
            let e = execute_with(&probe, &t, &quick(10)).unwrap_err();
            assert_eq!(sent.get(), 1);
            assert_eq!(e.outcome_unknown(), probe.money);
            let (t, sent) = flaky(1);
            let e = block_on(execute_async_with(
                &probe,
                &async_of(&t),
                &quick(10),
                |_| async {},
            ))
            .unwrap_err();
            assert_eq!(sent.get(), 1);
            assert_eq!(e.outcome_unknown(), probe.money);
        }
    }

    fn async_of<'a>(
        t: &'a impl Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
    ) -> impl Fn(HttpRequest) -> std::future::Ready<Result<HttpResponse, TransportError>> + 'a {
        move |r| std::future::ready(t(r))
    }

    /// Poll a future that never waits on anything external to completion.
    fn block_on<F: Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    #[test]
    fn the_async_runner_waits_with_the_given_timer_within_the_jitter_bounds() {
        let read = Probe {
            read_only: true,
            money: false,
        };
        let (t, sent) = flaky(4);
        let waits = std::cell::RefCell::new(Vec::new());
        let policy = RetryPolicy::new(5)
            .unwrap()
            .with_delays(Duration::from_millis(100), Duration::from_millis(300))
            .unwrap();
        let out = block_on(execute_async_with(&read, &async_of(&t), &policy, |d| {
            waits.borrow_mut().push(d);
            async {}
        }))
        .unwrap();
        assert_eq!(out, b"ok");
        assert_eq!(sent.get(), 5);
        let waits = waits.into_inner();
        let caps = [100, 200, 300, 300];
        assert_eq!(waits.len(), caps.len());
        for (w, cap) in waits.iter().zip(caps) {
            let cap = Duration::from_millis(cap);
            assert!(
                *w >= cap / 2 && *w <= cap,
                "{w:?} outside half..whole of {cap:?}"
            );
        }
    }

    #[test]
    fn bad_url_is_invalid_input() {
        let err = form_post("not a url", vec![]).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        for url in [
            "ftp://example.com/apih.php",
            "file:///etc/passwd",
            "ws://127.0.0.1/x",
        ] {
            let err = form_post(url, vec![]).unwrap_err();
            assert_eq!(err.field(), Some("endpoint"), "{url}");
            assert!(err.to_string().contains("unsupported URL scheme"), "{err}");
        }
        assert!(form_post("HTTPS://example.com/x", vec![]).is_ok());
    }
}
