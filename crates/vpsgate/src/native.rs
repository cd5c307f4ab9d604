//! A blocking HTTP transport over `ureq` with `rustls` (feature `native`).
//!
//! ```no_run
//! use std::time::Duration;
//! use vpsgate::native::NativeTransport;
//! let transport = NativeTransport::new().timeout(Duration::from_secs(30));
//! # let _ = transport;
//! ```
//!
//! What it guarantees, whatever the upstream does:
//!
//! - **Sent at most once,** unless read-only. ureq 3 has no retry loop (ureq 2 re-sent
//!   idempotent requests on a stale pooled connection; ureq 3 does not). A request that is not
//!   marked [`ReadOnly`](crate::transport::ReadOnly) (every money-moving one among them) opens a
//!   connection of its own, so it never meets a connection the server has already closed; a
//!   failure after it left is reported, not repeated. Read-only requests (`getTarifs`,
//!   `getOrders`, `getBalance`, the lifecycle's reads) share kept-alive connections
//!   ([`NativeSettings::reuse_read_only_connections`], on by default: no new TCP and TLS set-up
//!   per call), and one whose kept connection fails is sent once more over a new connection.
//!   [`NativeSettings::reuse_connections`] (off by default) keeps connections for every request,
//!   with the risk that implies.
//! - **No redirects.** A 3xx answer becomes [`TransportErrorKind::Redirect`] with the status and
//!   the `Location` in the message; the request is not sent anywhere else.
//! - **HTTPS only,** except to loopback hosts (`127.0.0.0/8`, `::1`, `localhost`). A plain
//!   `http://` URL to any other host is refused before connecting with
//!   [`TransportErrorKind::InsecureUrl`], unless [`NativeTransport::allow_insecure_http`] is set.
//! - **HTTP error statuses are answers.** 4xx and 5xx come back as responses (GoVPSFX carries its
//!   outcome in 400/403/500); the operation's parser decides what they mean.
//! - **Bounded.** The body is read up to [`NativeSettings::max_body_size`]; a longer body stops
//!   the read and fails with [`TransportErrorKind::Other`] ("response body exceeds the limit of
//!   N bytes"). It is a transport failure, not [`crate::Error::PayloadTooLarge`], because the
//!   [`Transport`] seam reports only [`TransportError`]s.
//!
//! Failures map to [`TransportErrorKind`]: `Timeout` for any time limit; `Connect` for a failed
//! DNS lookup, a refused or unreachable address, TLS (certificates included) and proxy set-up;
//! `Redirect` and `InsecureUrl` as above; `Other` for the rest (a connection dropped mid-answer,
//! malformed HTTP, an oversize body). A TLS failure (a certificate, or a peer that does not speak
//! TLS on an `https://` port) is `Connect`. Messages name the `host:port` and, for `Timeout` and
//! `Connect`, the limit in force (`time limit 30 s`, `connect limit 10 s`); never bodies or
//! secrets.
//!
//! Proxies: `ALL_PROXY` / `HTTPS_PROXY` / `HTTP_PROXY` (and `NO_PROXY`) are honoured as ureq
//! reads them, except for loopback targets, which are always reached directly.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::error::{TransportError, TransportErrorKind};
use crate::transport::{is_read_only, HttpRequest, HttpResponse, Transport};

/// Settings of a [`NativeTransport`]; every field has a documented default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NativeSettings {
    /// Time allowed to resolve the host and set up the connection, TLS included. Default 10 s.
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange, from resolving to the last body byte. Default 60 s.
    pub timeout: Duration,
    /// Largest response body accepted, in bytes. Default 16 MiB.
    pub max_body_size: u64,
    /// `User-Agent` sent unless the request carries one. Default `vpsgate/<crate version>`.
    pub user_agent: String,
    /// Allow plain `http://` to non-loopback hosts. Default `false`.
    pub allow_insecure_http: bool,
    /// Keep idle connections for every request, not only read-only ones. Default `false`: a
    /// request that is not read-only could then meet a connection the server already closed
    /// and fail after it may have been executed (see the module docs).
    pub reuse_connections: bool,
    /// Keep idle connections for requests marked [`ReadOnly`](crate::transport::ReadOnly) and
    /// send later such requests over them; one whose kept connection fails (anything but a
    /// timeout, a refused connection or a permanent failure) is sent once more over a new
    /// connection. Requests that are not read-only always open their own. Default `true`.
    pub reuse_read_only_connections: bool,
}

/// The default [`NativeSettings::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default [`NativeSettings::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default [`NativeSettings::max_body_size`].
pub const DEFAULT_MAX_BODY_SIZE: u64 = 16 * 1024 * 1024;

impl Default for NativeSettings {
    fn default() -> Self {
        NativeSettings {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            user_agent: concat!("vpsgate/", env!("CARGO_PKG_VERSION")).to_owned(),
            allow_insecure_http: false,
            reuse_connections: false,
            reuse_read_only_connections: true,
        }
    }
}

/// A blocking [`Transport`] over ureq + rustls (webpki roots). `Send + Sync`: build one and share
/// it; the underlying agents are created on first use.
#[derive(Debug, Default)]
pub struct NativeTransport {
    settings: NativeSettings,
    /// Agents by `[loopback][kept]`: for non-loopback hosts they honour proxy variables, for
    /// loopback hosts never; the `kept` ones keep idle connections, the others never do.
    agents: [[OnceLock<ureq::Agent>; 2]; 2],
}

impl NativeTransport {
    /// A transport with [`NativeSettings::default`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A transport with the given settings.
    pub fn with_settings(settings: NativeSettings) -> Self {
        NativeTransport {
            settings,
            agents: Default::default(),
        }
    }

    /// A transport with the defaults, changed by what a configuration asked for
    /// ([`crate::config::TransportSettings`]).
    pub fn from_config(config: &crate::config::TransportSettings) -> Self {
        let mut settings = NativeSettings::default();
        if let Some(t) = config.timeout {
            settings.timeout = t;
        }
        if let Some(t) = config.connect_timeout {
            settings.connect_timeout = t;
        }
        if let Some(n) = config.max_body_size {
            settings.max_body_size = n;
        }
        settings.allow_insecure_http = config.allow_insecure_http;
        Self::with_settings(settings)
    }

    /// The settings in force.
    pub fn settings(&self) -> &NativeSettings {
        &self.settings
    }

    fn change(mut self, f: impl FnOnce(&mut NativeSettings)) -> Self {
        f(&mut self.settings);
        Self::with_settings(self.settings)
    }

    /// Set [`NativeSettings::connect_timeout`].
    pub fn connect_timeout(self, value: Duration) -> Self {
        self.change(|s| s.connect_timeout = value)
    }

    /// Set [`NativeSettings::timeout`].
    pub fn timeout(self, value: Duration) -> Self {
        self.change(|s| s.timeout = value)
    }

    /// Set [`NativeSettings::max_body_size`].
    pub fn max_body_size(self, value: u64) -> Self {
        self.change(|s| s.max_body_size = value)
    }

    /// Set [`NativeSettings::user_agent`].
    pub fn user_agent(self, value: impl Into<String>) -> Self {
        let value = value.into();
        self.change(|s| s.user_agent = value)
    }

    /// Set [`NativeSettings::allow_insecure_http`].
    pub fn allow_insecure_http(self, value: bool) -> Self {
        self.change(|s| s.allow_insecure_http = value)
    }

    /// Set [`NativeSettings::reuse_connections`].
    pub fn reuse_connections(self, value: bool) -> Self {
        self.change(|s| s.reuse_connections = value)
    }

    /// Set [`NativeSettings::reuse_read_only_connections`].
    pub fn reuse_read_only_connections(self, value: bool) -> Self {
        self.change(|s| s.reuse_read_only_connections = value)
    }

    fn agent(&self, loopback: bool, kept: bool) -> &ureq::Agent {
        self.agents[usize::from(loopback)][usize::from(kept)]
            .get_or_init(|| build_agent(&self.settings, !loopback, kept))
    }

    /// One exchange over an agent of the given kind: the response, its body read to the end.
    fn exchange(
        &self,
        request: HttpRequest,
        loopback: bool,
        kept: bool,
    ) -> Result<HttpResponse, TransportError> {
        let limit = self.settings.max_body_size;
        let to = target(request.uri());
        let tls = request
            .uri()
            .scheme_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("https"));
        let response = self
            .agent(loopback, kept)
            .run(request)
            .map_err(|e| map_error(e, &self.settings, &to, tls))?;
        let (parts, mut body) = response.into_parts();
        if parts.status.is_redirection() {
            let location = parts
                .headers
                .get(http::header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_else(|| "(no Location header)".to_owned());
            return Err(TransportError::new(
                TransportErrorKind::Redirect,
                format!(
                    "the server answered HTTP {} redirecting to {location}; redirects are never followed",
                    parts.status.as_u16()
                ),
            ));
        }
        if let Some(len) = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            if len > limit {
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    format!("response body of {len} bytes exceeds the limit of {limit} bytes"),
                )
                .permanent());
            }
        }
        // ureq's limit fails on the read *after* `limit` bytes, even at end of body: allow one
        // more byte and check the length here.
        let bytes = body
            .with_config()
            .limit(limit.saturating_add(1))
            .read_to_vec()
            .map_err(|e| map_error(e, &self.settings, &to, false))?;
        if bytes.len() as u64 > limit {
            return Err(TransportError::new(
                TransportErrorKind::Other,
                format!("response body exceeds the limit of {limit} bytes"),
            )
            .permanent());
        }
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// A copy of `request` to send again (read-only requests only: their bodies are small forms).
fn copy(request: &HttpRequest) -> HttpRequest {
    let mut again = http::Request::new(request.body().clone());
    *again.method_mut() = request.method().clone();
    *again.uri_mut() = request.uri().clone();
    *again.version_mut() = request.version();
    *again.headers_mut() = request.headers().clone();
    *again.extensions_mut() = request.extensions().clone();
    again
}

/// How long a kept agent may keep a connection idle, and so how long its resolver may reuse an
/// address it looked up: using an address that long is what keeping the connection is.
const MAX_IDLE: Duration = Duration::from_secs(15);

/// ureq's resolver (which looks the host up before it checks its pool for a kept connection, on
/// a thread of its own when the lookup has a time limit) with two shortcuts: an IP address is
/// its own answer, and, for the kept agents, a name's addresses are reused for [`MAX_IDLE`].
/// Built on ureq's `unversioned` resolver API, which may change in a minor ureq release.
#[derive(Debug, Default)]
struct Resolve {
    inner: DefaultResolver,
    /// `host:port` -> when it was looked up and its addresses; `None` for agents that keep no
    /// connections.
    cache: Option<Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>>,
}

impl Resolver for Resolve {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        // `host:port` with the scheme's default port, as ureq's own resolver spells it; an IP
        // address in it (`127.0.0.1:80`, `[::1]:443`) reads as a socket address.
        let Some(key) = uri
            .scheme()
            .zip(uri.authority())
            .and_then(|(scheme, authority)| DefaultResolver::host_and_port(scheme, authority))
        else {
            return self.inner.resolve(uri, config, timeout);
        };
        if let Ok(addr) = key.parse::<std::net::SocketAddr>() {
            let mut one = self.inner.empty();
            one.push(addr);
            return Ok(one);
        }
        let Some(cache) = &self.cache else {
            return self.inner.resolve(uri, config, timeout);
        };
        let now = Instant::now();
        if let Some((at, addrs)) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            if now.duration_since(*at) < MAX_IDLE {
                return Ok(addrs.clone());
            }
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.retain(|_, (at, _)| now.duration_since(*at) < MAX_IDLE);
        cache.insert(key, (now, addrs.clone()));
        Ok(addrs)
    }
}

fn build_agent(s: &NativeSettings, use_env_proxy: bool, kept: bool) -> ureq::Agent {
    let idle = if kept { 10 } else { 0 };
    let mut builder = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .https_only(false) // enforced by `check_url` with the loopback exception
        .user_agent(s.user_agent.as_str())
        .timeout_resolve(Some(s.connect_timeout))
        .timeout_connect(Some(s.connect_timeout))
        .timeout_global(Some(s.timeout))
        .max_idle_connections(idle)
        .max_idle_connections_per_host(idle)
        .max_idle_age(MAX_IDLE);
    if !use_env_proxy {
        builder = builder.proxy(None);
    }
    let resolve = Resolve {
        inner: DefaultResolver::default(),
        cache: kept.then(Mutex::default),
    };
    ureq::Agent::with_parts(builder.build(), DefaultConnector::default(), resolve)
}

pub use crate::transport::is_loopback_host;

/// Refuse what must not be sent; returns whether the host is loopback.
fn check_url(uri: &http::Uri, allow_insecure: bool) -> Result<bool, TransportError> {
    let host = uri.host().ok_or_else(|| {
        TransportError::new(TransportErrorKind::Other, "the URL has no host".to_owned()).permanent()
    })?;
    let loopback = is_loopback_host(host);
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => Ok(loopback),
        Some(s) if s.eq_ignore_ascii_case("http") => {
            if loopback || allow_insecure {
                Ok(loopback)
            } else {
                Err(TransportError::new(
                    TransportErrorKind::InsecureUrl,
                    format!(
                        "refusing plain http:// to {host}: HTTPS is required except for loopback \
                         hosts (allow insecure HTTP to override)"
                    ),
                ))
            }
        }
        Some(other) => Err(TransportError::new(
            TransportErrorKind::Other,
            format!("unsupported URL scheme `{other}` (http or https only)"),
        )
        .permanent()),
        None => Err(TransportError::new(
            TransportErrorKind::Other,
            "the URL has no scheme (http or https)".to_owned(),
        )
        .permanent()),
    }
}

/// A duration as people write it: `400 ms`, `30 s`.
fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 1000 && ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// Where a request went, for messages: `host:port` as the URL gives it.
fn target(uri: &http::Uri) -> String {
    let host = uri.host().unwrap_or("?");
    match uri.port_u16() {
        Some(port) => format!("{host}:{port}"),
        None => match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("http") => format!("{host}:80"),
            _ => format!("{host}:443"),
        },
    }
}

/// Map a ureq failure. `handshake` is set for the errors of sending an `https://` request and
/// reading its answer's head, where rustls reports a failed handshake (a peer that does not
/// speak TLS, a bad certificate) as invalid data on the socket.
fn map_error(e: ureq::Error, s: &NativeSettings, to: &str, handshake: bool) -> TransportError {
    use std::io::ErrorKind as Io;
    use ureq::Error as U;
    let connect = format!("connect limit {}", human(s.connect_timeout));
    let whole = format!("time limit {}", human(s.timeout));
    let (kind, message) = match &e {
        U::Timeout(t) => {
            let limit = match t {
                ureq::Timeout::Resolve | ureq::Timeout::Connect => &connect,
                _ => &whole,
            };
            (
                TransportErrorKind::Timeout,
                format!("{to}: no complete answer within the {limit} ({t})"),
            )
        }
        U::HostNotFound => (
            TransportErrorKind::Connect,
            format!("{to}: host not found ({connect})"),
        ),
        U::ConnectionFailed
        | U::Tls(_)
        | U::Rustls(_)
        | U::Pem(_)
        | U::TlsRequired
        | U::ConnectProxyFailed(_) => (
            TransportErrorKind::Connect,
            format!("{to}: cannot connect ({connect}): {e}"),
        ),
        U::Io(io) => match io.kind() {
            Io::TimedOut | Io::WouldBlock => (
                TransportErrorKind::Timeout,
                format!("{to}: no complete answer within the {whole} ({e})"),
            ),
            Io::ConnectionRefused
            | Io::AddrNotAvailable
            | Io::HostUnreachable
            | Io::NetworkUnreachable
            | Io::NetworkDown => (
                TransportErrorKind::Connect,
                format!("{to}: cannot connect ({connect}): {e}"),
            ),
            // A failed DNS lookup: std reports it with an unstable kind, so the (stable) text
            // of std's `to_socket_addrs` error is the only sign.
            _ if io
                .to_string()
                .starts_with("failed to lookup address information") =>
            {
                (
                    TransportErrorKind::Connect,
                    format!("{to}: host not found ({connect}): {e}"),
                )
            }
            Io::InvalidData if handshake => (
                TransportErrorKind::Connect,
                format!("{to}: TLS failed ({connect}): {e}"),
            ),
            _ => (TransportErrorKind::Other, format!("{to}: {e}")),
        },
        U::BodyExceedsLimit(_) => {
            return TransportError::new(
                TransportErrorKind::Other,
                format!(
                    "{to}: response body exceeds the limit of {} bytes",
                    s.max_body_size
                ),
            )
            .permanent()
        }
        _ => (TransportErrorKind::Other, format!("{to}: {e}")),
    };
    TransportError::new(kind, message).with_source(e)
}

impl Transport for NativeTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let loopback = check_url(request.uri(), self.settings.allow_insecure_http)?;
        let read_only = is_read_only(&request);
        let s = &self.settings;
        if !(read_only && (s.reuse_read_only_connections || s.reuse_connections)) {
            return self.exchange(request, loopback, s.reuse_connections);
        }
        // Read-only: over a kept connection, and once more over a new one when that failed in a
        // way a dead kept connection fails (not a time limit, a refused connection or an
        // oversize answer, which a new connection would meet again).
        let again = copy(&request);
        match self.exchange(request, loopback, true) {
            Err(e) if e.kind() == TransportErrorKind::Other && e.is_transient() => {
                self.exchange(again, loopback, false)
            }
            done => done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::thread;

    use crate::transport::{form_encode, form_post};

    /// What the stub server does with one connection, given the raw request it read.
    type Handler = Box<dyn Fn(&[u8], &mut TcpStream) + Send + Sync>;

    struct Stub {
        url: String,
        accepted: Arc<AtomicUsize>,
        requests: Arc<Mutex<Vec<Vec<u8>>>>,
    }

    /// Read one HTTP/1.1 request (headers + Content-Length body).
    fn read_request(stream: &mut TcpStream) -> Vec<u8> {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse::<usize>().unwrap())
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    return buf;
                }
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return buf,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    fn stub(handler: Handler) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/apih.php", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (a, r) = (accepted.clone(), requests.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                a.fetch_add(1, Ordering::SeqCst);
                let req = read_request(&mut stream);
                r.lock().unwrap().push(req.clone());
                handler(&req, &mut stream);
            }
        });
        Stub {
            url,
            accepted,
            requests,
        }
    }

    fn answer(status: &str, headers: &str, body: &'static [u8]) -> Handler {
        let head = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        Box::new(move |_, s| {
            s.write_all(head.as_bytes()).unwrap();
            s.write_all(body).unwrap();
        })
    }

    fn post(url: &str) -> HttpRequest {
        form_post(
            url,
            form_encode([("command", "getBalance"), ("login", "test")]),
        )
        .unwrap()
    }

    #[test]
    fn success_returns_exact_body_and_sends_exact_request() {
        let body: &[u8] = b"a:2:{s:6:\"status\";s:7:\"SUCCESS\";s:7:\"balance\";s:4:\"9.99\";}";
        let s = stub(answer("200 OK", "X-Test: yes\r\n", body));
        let resp = NativeTransport::new().send(post(&s.url)).unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["x-test"], "yes");
        assert_eq!(resp.body(), body);
        let reqs = s.requests.lock().unwrap();
        let req = String::from_utf8(reqs[0].clone()).unwrap();
        assert!(req.starts_with("POST /apih.php HTTP/1.1\r\n"), "{req}");
        let lower = req.to_ascii_lowercase();
        assert!(
            lower.contains("content-type: application/x-www-form-urlencoded\r\n"),
            "{req}"
        );
        assert!(
            lower.contains(&format!(
                "user-agent: vpsgate/{}\r\n",
                env!("CARGO_PKG_VERSION")
            )),
            "{req}"
        );
        assert!(
            req.ends_with("\r\n\r\ncommand=getBalance&login=test"),
            "{req}"
        );
    }

    #[test]
    fn http_400_is_a_response_not_an_error() {
        let s = stub(answer("400 Bad Request", "", b"{\"message\":\"bad term\"}"));
        let resp = NativeTransport::new().send(post(&s.url)).unwrap();
        assert_eq!(resp.status(), 400);
        assert_eq!(resp.body(), b"{\"message\":\"bad term\"}");
        let s = stub(answer("500 Internal Server Error", "", b"internal error"));
        let resp = NativeTransport::new().send(post(&s.url)).unwrap();
        assert_eq!(resp.status(), 500);
        assert_eq!(resp.body(), b"internal error");
    }

    #[test]
    fn redirect_is_an_error_and_is_not_followed() {
        let s = stub(answer(
            "302 Found",
            "Location: http://127.0.0.1:9/elsewhere\r\n",
            b"",
        ));
        let err = NativeTransport::new().send(post(&s.url)).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Redirect);
        assert!(err.message().contains("302"), "{}", err.message());
        assert!(
            err.message().contains("http://127.0.0.1:9/elsewhere"),
            "{}",
            err.message()
        );
        assert_eq!(s.accepted.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn slow_server_times_out() {
        let s = stub(Box::new(|_, _| thread::sleep(Duration::from_secs(3))));
        let t = NativeTransport::new().timeout(Duration::from_millis(300));
        let started = std::time::Instant::now();
        let err = t.send(post(&s.url)).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
        let host = s
            .url
            .trim_start_matches("http://")
            .trim_end_matches("/apih.php");
        assert!(err.message().contains(host), "{}", err.message());
        assert!(
            err.message().contains("time limit 300 ms"),
            "{}",
            err.message()
        );
        // Well before the server's 3 s: the limit, not the server, ended the call.
        assert!(started.elapsed() < Duration::from_millis(2500));
    }

    #[test]
    fn tls_to_a_plain_http_port_is_connect_and_names_the_host() {
        // A plain-HTTP server that answers whatever arrives, as nginx does to a TLS hello.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://{}/apih.php", listener.local_addr().unwrap());
        thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut buf = [0u8; 512];
                let _ = s.read(&mut buf);
                let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                thread::sleep(Duration::from_millis(200));
            }
        });
        let err = NativeTransport::new()
            .connect_timeout(Duration::from_millis(2500))
            .send(post(&url))
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
        let host = url
            .trim_start_matches("https://")
            .trim_end_matches("/apih.php");
        assert!(err.message().contains(host), "{}", err.message());
        assert!(err.message().contains("TLS"), "{}", err.message());
        assert!(err.message().contains("2500 ms"), "{}", err.message());
    }

    #[test]
    fn refused_connection_is_connect() {
        // Bind then drop, so the port is (almost certainly) closed.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = NativeTransport::new()
            .send(post(&format!("http://127.0.0.1:{port}/x")))
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
        assert!(
            err.message().contains(&format!("127.0.0.1:{port}")),
            "{}",
            err.message()
        );
        assert!(
            err.message().contains("connect limit 10 s"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn unknown_host_is_connect() {
        // `.invalid` never resolves (RFC 2606).
        let err = NativeTransport::new()
            .connect_timeout(Duration::from_secs(5))
            .send(post("https://no-such-host.invalid/apih.php"))
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    }

    #[test]
    fn plain_http_to_remote_host_is_refused_before_connecting() {
        let err = NativeTransport::new()
            .connect_timeout(Duration::from_millis(1))
            .send(post("http://example.com/apih.php"))
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InsecureUrl);
        assert!(err.message().contains("example.com"), "{}", err.message());
        // The same for a non-loopback IP literal (unroutable: connecting would hang).
        let err = NativeTransport::new()
            .send(post("http://10.255.255.1/apih.php"))
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InsecureUrl);
    }

    #[test]
    fn insecure_http_allowed_when_asked() {
        // `localhost` counts as loopback even without the override.
        let s = stub(answer("200 OK", "", b"ok"));
        let url = s.url.replace("127.0.0.1", "localhost");
        let resp = NativeTransport::new().send(post(&url)).unwrap();
        assert_eq!(resp.body(), b"ok");
        // The check itself: loopback passes and says so; the override lets a remote host
        // through; other schemes are refused whatever the override.
        let uri: http::Uri = "http://127.0.0.1:1/".parse().unwrap();
        assert!(check_url(&uri, false).unwrap());
        let uri: http::Uri = "http://example.com/".parse().unwrap();
        assert_eq!(
            check_url(&uri, false).unwrap_err().kind(),
            TransportErrorKind::InsecureUrl
        );
        let uri: http::Uri = "http://example.com/".parse().unwrap();
        assert!(!check_url(&uri, true).unwrap());
        let uri: http::Uri = "ftp://example.com/".parse().unwrap();
        assert_eq!(
            check_url(&uri, true).unwrap_err().kind(),
            TransportErrorKind::Other
        );
    }

    #[test]
    fn ipv6_loopback_is_reached_over_plain_http() {
        let Ok(listener) = TcpListener::bind("[::1]:0") else {
            eprintln!("SKIPPED: no IPv6 loopback here");
            return;
        };
        let port = listener.local_addr().unwrap().port();
        thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let _ = read_request(&mut s);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6");
            }
        });
        let resp = NativeTransport::new()
            .send(post(&format!("http://[::1]:{port}/x")))
            .unwrap();
        assert_eq!(resp.body(), b"v6");
    }

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "LOCALHOST.",
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.com",
            "128.0.0.1",
            "[::2]",
            "localhost.example.com",
            "10.0.0.1",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn oversize_body_is_bounded() {
        // Declared length over the limit: refused from the header.
        static BIG: [u8; 4096] = [b'x'; 4096];
        let s = stub(answer("200 OK", "", &BIG));
        let err = NativeTransport::new()
            .max_body_size(1000)
            .send(post(&s.url))
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(!err.is_transient(), "an oversize answer is not retried");
        assert!(
            err.message().contains("limit of 1000 bytes"),
            "{}",
            err.message()
        );

        // No length (read until close): the read stops at the limit.
        let s = stub(Box::new(|_, s| {
            s.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
                .unwrap();
            for _ in 0..64 {
                if s.write_all(&BIG).is_err() {
                    return;
                }
            }
        }));
        let err = NativeTransport::new()
            .max_body_size(1000)
            .send(post(&s.url))
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(
            err.message().contains("limit of 1000 bytes"),
            "{}",
            err.message()
        );

        // Exactly at the limit is fine.
        let s = stub(answer("200 OK", "", &BIG));
        let resp = NativeTransport::new()
            .max_body_size(4096)
            .send(post(&s.url))
            .unwrap();
        assert_eq!(resp.body().len(), 4096);
    }

    #[test]
    fn post_is_sent_once_when_the_server_drops_the_connection() {
        let s = stub(Box::new(|_, s| {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }));
        let t = NativeTransport::new();
        let err = t.send(post(&s.url)).unwrap_err();
        assert_ne!(err.kind(), TransportErrorKind::Redirect);
        thread::sleep(Duration::from_millis(300));
        assert_eq!(s.accepted.load(Ordering::SeqCst), 1);
        assert_eq!(s.requests.lock().unwrap().len(), 1);

        // Also with connection reuse on: a first request leaves an idle connection that the
        // server then closes; the second POST must fail or succeed, never be sent twice.
        let s = stub(Box::new(|_, s| {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            thread::sleep(Duration::from_millis(100));
            let _ = s.shutdown(std::net::Shutdown::Both);
        }));
        let t = NativeTransport::new().reuse_connections(true);
        assert_eq!(t.send(post(&s.url)).unwrap().body(), b"ok");
        thread::sleep(Duration::from_millis(300));
        let _ = t.send(post(&s.url));
        thread::sleep(Duration::from_millis(300));
        let sent = s
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| !r.is_empty())
            .count();
        assert!(sent <= 2, "a request was sent more than once: {sent}");
    }

    /// A handler that answers `ok` and keeps the connection open for more requests, counting
    /// every request it answers in `served`; with `drop_second`, it reads a second request on
    /// the same connection and closes without answering (a kept connection dying under a
    /// request).
    fn keep_alive(served: Arc<AtomicUsize>, drop_second: bool) -> Handler {
        Box::new(move |_, s| {
            let mut on_this = 0;
            loop {
                on_this += 1;
                if drop_second && on_this == 2 {
                    let _ = s.shutdown(std::net::Shutdown::Both);
                    return;
                }
                served.fetch_add(1, Ordering::SeqCst);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                if read_request(s).is_empty() {
                    return;
                }
            }
        })
    }

    fn read_only(url: &str) -> HttpRequest {
        let mut request = post(url);
        request.extensions_mut().insert(crate::transport::ReadOnly);
        request
    }

    #[test]
    fn read_only_requests_share_a_kept_connection_and_others_never_do() {
        let served = Arc::new(AtomicUsize::new(0));
        let s = stub(keep_alive(served.clone(), false));
        let t = NativeTransport::new();
        // Not read-only: a connection each, closed after the answer.
        for _ in 0..2 {
            assert_eq!(t.send(post(&s.url)).unwrap().body(), b"ok");
        }
        assert_eq!(s.accepted.load(Ordering::SeqCst), 2);
        // Read-only: one connection for all three.
        for _ in 0..3 {
            assert_eq!(t.send(read_only(&s.url)).unwrap().body(), b"ok");
        }
        assert_eq!(s.accepted.load(Ordering::SeqCst), 3);
        assert_eq!(served.load(Ordering::SeqCst), 5);

        // Switched off, read-only requests open their own connections too.
        let served = Arc::new(AtomicUsize::new(0));
        let s = stub(keep_alive(served.clone(), false));
        let t = NativeTransport::new().reuse_read_only_connections(false);
        for _ in 0..2 {
            assert_eq!(t.send(read_only(&s.url)).unwrap().body(), b"ok");
        }
        assert_eq!(s.accepted.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_read_only_request_whose_kept_connection_dies_is_sent_once_more_on_a_new_one() {
        let served = Arc::new(AtomicUsize::new(0));
        let s = stub(keep_alive(served.clone(), true));
        let t = NativeTransport::new();
        assert_eq!(t.send(read_only(&s.url)).unwrap().body(), b"ok");
        // The kept connection takes the second request and dies: sent again, answered.
        assert_eq!(t.send(read_only(&s.url)).unwrap().body(), b"ok");
        assert_eq!(s.accepted.load(Ordering::SeqCst), 2);
        assert_eq!(served.load(Ordering::SeqCst), 2);

        // A server that drops every request: sent twice in all (kept, then new), then reported.
        let s = stub(Box::new(|_, s| {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }));
        let err = t.send(read_only(&s.url)).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        thread::sleep(Duration::from_millis(300));
        assert_eq!(s.accepted.load(Ordering::SeqCst), 2);
    }

    fn resolve_now(r: &Resolve, url: &str) -> Result<Vec<std::net::SocketAddr>, ureq::Error> {
        let uri: http::Uri = url.parse().unwrap();
        let config = ureq::Agent::config_builder().build();
        let timeout = NextTimeout {
            after: Duration::from_secs(5).into(),
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        };
        r.resolve(&uri, &config, timeout).map(|a| a.to_vec())
    }

    #[test]
    fn ip_addresses_resolve_to_themselves_and_names_are_kept_for_the_idle_age() {
        let plain = Resolve::default();
        let v4: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let v6: std::net::SocketAddr = "[::1]:443".parse().unwrap();
        assert_eq!(
            resolve_now(&plain, "http://127.0.0.1:8080/x").unwrap(),
            [v4]
        );
        assert_eq!(resolve_now(&plain, "https://[::1]/x").unwrap(), [v6]);
        assert!(matches!(
            resolve_now(&plain, "http://vpsgate.invalid/x"),
            Err(ureq::Error::HostNotFound | ureq::Error::Io(_))
        ));

        // A kept agent's resolver answers a name from its cache while the entry is younger than
        // MAX_IDLE (`.invalid` names never resolve: an answer can only come from the cache)...
        let kept = Resolve {
            inner: DefaultResolver::default(),
            cache: Some(Mutex::default()),
        };
        let mut fake = DefaultResolver::default().empty();
        fake.push(v4);
        let cache = kept.cache.as_ref().unwrap();
        let fresh = Instant::now();
        cache
            .lock()
            .unwrap()
            .insert("vpsgate.invalid:80".into(), (fresh, fake.clone()));
        assert_eq!(
            resolve_now(&kept, "http://vpsgate.invalid/x").unwrap(),
            [v4]
        );
        // ... and looks it up again once it is older.
        let old = fresh - MAX_IDLE - Duration::from_secs(1);
        cache
            .lock()
            .unwrap()
            .insert("vpsgate.invalid:80".into(), (old, fake));
        assert!(resolve_now(&kept, "http://vpsgate.invalid/x").is_err());
    }
}
