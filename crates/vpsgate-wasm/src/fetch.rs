//! The one place that does I/O: an [`vpsgate::AsyncTransport`] over `fetch`.
//!
//! What it guarantees, like the core's native transport: sent at most once (no retries);
//! redirects never followed (`redirect: "manual"`; a 3xx or an opaque redirect is error 18);
//! plain `http://` only to loopback hosts unless `allow_insecure_http` (error 17, before anything
//! is sent); a whole-exchange timeout (`timeout_ms`, default 60 s, error 15) and the caller's
//! `AbortSignal` (error 19) cover the answer's body too; the body is bounded by
//! `max_body_bytes` (default 16 MiB, error 19). A rejected `fetch` is error 16 only when its
//! cause shows that nothing was sent (Node: refused, DNS, connect timeout, a certificate that
//! does not verify); any other (a connection closed or reset while the answer was awaited, a
//! browser's bare "Failed to fetch", CORS included) is error 19, so that a money-moving request
//! that may have gone out is reported with its outcome unknown. `connect_timeout_ms` is accepted
//! but fetch has no separate connect phase: the whole-exchange timeout applies. Of the answer's
//! headers, `Content-Type`, `Content-Length` and `Retry-After` reach the core (it reads none of
//! the others).

use js_sys::{Function, Promise, Uint8Array};
use vpsgate::config::TransportSettings;
use vpsgate::retry::RetryPolicy;
use vpsgate::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestInit, RequestRedirect, Response};

/// The default whole-exchange timeout.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// The default largest answer.
pub const DEFAULT_MAX_BODY: u64 = 16 << 20;

#[wasm_bindgen(module = "/js/support.js")]
extern "C" {
    type Link;
    #[wasm_bindgen(js_name = linkSignal)]
    fn link_signal(timeout_ms: f64, caller: &JsValue) -> Link;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &Link) -> AbortSignal;
    #[wasm_bindgen(method, js_name = timedOut)]
    fn timed_out(this: &Link) -> bool;
    #[wasm_bindgen(method, js_name = callerAborted)]
    fn caller_aborted(this: &Link) -> bool;
    #[wasm_bindgen(method)]
    fn done(this: &Link);
    #[wasm_bindgen(method)]
    fn race(this: &Link, promise: &Promise) -> Promise;
    #[wasm_bindgen(js_name = describeFailure)]
    fn describe_failure(e: &JsValue, url: &JsValue) -> String;
    fn redact(text: &str, url: &JsValue) -> String;
    #[wasm_bindgen(js_name = failedBeforeSending)]
    fn failed_before_sending(e: &JsValue) -> bool;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_ms(ms: f64) -> Promise;
}

/// Waits `d` on the JS event loop (`setTimeout`): the pause between retries of a read.
pub async fn sleep(d: std::time::Duration) {
    // The promise only ever resolves.
    let _ = JsFuture::from(sleep_ms(d.as_millis() as f64)).await;
}

/// How a client sends: the configured fetch and transport settings.
#[derive(Clone, Debug)]
pub struct Net {
    /// A custom `fetch` (a panel's relay, a test double); the global one when `None`.
    pub fetch: Option<Function>,
    /// Whole-exchange timeout, ms.
    pub timeout_ms: u64,
    /// Largest answer accepted.
    pub max_body: u64,
    /// Allow plain `http://` to non-loopback hosts.
    pub allow_insecure_http: bool,
    /// Retries of read-only requests (none unless configured).
    pub retry: RetryPolicy,
}

impl Net {
    /// Settings from the configuration, with this transport's defaults.
    pub fn new(fetch: Option<Function>, settings: &TransportSettings) -> Net {
        Net {
            fetch,
            timeout_ms: settings
                .timeout
                .map_or(DEFAULT_TIMEOUT_MS, |d| d.as_millis() as u64),
            max_body: settings.max_body_size.unwrap_or(DEFAULT_MAX_BODY),
            allow_insecure_http: settings.allow_insecure_http,
            retry: settings.retry,
        }
    }
}

/// Per-call options: `{signal?: AbortSignal, timeout_ms?: number}`.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// The caller's signal.
    pub signal: JsValue,
    /// Overrides the configured timeout.
    pub timeout_ms: Option<u64>,
}

impl CallOptions {
    /// Read the options object (`undefined` for none). Unknown keys are refused.
    pub fn read(options: &JsValue) -> Result<CallOptions, vpsgate::Error> {
        let obj = crate::jsobj::copy(options, "options")?;
        let signal = crate::jsobj::take(&obj, "signal");
        if !(signal.is_undefined() || signal.is_null() || signal.is_instance_of::<AbortSignal>()) {
            return Err(vpsgate::Error::invalid_input(
                "signal",
                "must be an AbortSignal",
            ));
        }
        let timeout = crate::jsobj::take(&obj, "timeout_ms");
        let timeout_ms = if timeout.is_undefined() || timeout.is_null() {
            None
        } else {
            match timeout.as_f64() {
                Some(n) if n.fract() == 0.0 && (1.0..=86_400_000.0).contains(&n) => Some(n as u64),
                _ => {
                    return Err(vpsgate::Error::invalid_input(
                        "timeout_ms",
                        "must be a whole number of milliseconds from 1 to 86400000",
                    ))
                }
            }
        };
        if let Some(key) = js_sys::Object::keys(&obj).get(0).as_string() {
            return Err(vpsgate::Error::invalid_input(
                "options",
                format!("unknown option `{key}`; expected signal or timeout_ms"),
            ));
        }
        Ok(CallOptions { signal, timeout_ms })
    }
}

fn err(kind: TransportErrorKind, message: impl Into<String>) -> TransportError {
    TransportError::new(kind, message)
}

fn check_url(uri: &http::Uri, allow_insecure: bool) -> Result<(), TransportError> {
    let host = uri
        .host()
        .ok_or_else(|| err(TransportErrorKind::Other, "the URL has no host"))?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => Ok(()),
        Some(s) if s.eq_ignore_ascii_case("http") => {
            if allow_insecure || vpsgate::transport::is_loopback_host(host) {
                Ok(())
            } else {
                Err(err(
                    TransportErrorKind::InsecureUrl,
                    format!(
                        "refusing plain http:// to {host}: HTTPS is required except for loopback \
                         hosts (allow_insecure_http to override)"
                    ),
                ))
            }
        }
        Some(other) => Err(err(
            TransportErrorKind::Other,
            format!("unsupported URL scheme `{other}` (http or https only)"),
        )),
        None => Err(err(
            TransportErrorKind::Other,
            "the URL has no scheme (http or https)",
        )),
    }
}

fn global_fetch() -> Result<Function, TransportError> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| {
            err(
                TransportErrorKind::Other,
                "no global fetch: pass one as the `fetch` option",
            )
        })
}

/// Send `request` once with fetch.
pub async fn send(
    net: &Net,
    call: &CallOptions,
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    check_url(request.uri(), net.allow_insecure_http)?;
    let fetch = match &net.fetch {
        Some(f) => f.clone(),
        None => global_fetch()?,
    };
    let (parts, body) = request.into_parts();
    let other = |_| err(TransportErrorKind::Other, "cannot build the fetch request");
    let headers = Headers::new().map_err(other)?;
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        headers.append(name.as_str(), &value).map_err(other)?;
    }
    let init = RequestInit::new();
    init.set_method(parts.method.as_str());
    init.set_headers(&headers);
    init.set_redirect(RequestRedirect::Manual);
    if parts.method != http::Method::GET && parts.method != http::Method::HEAD {
        init.set_body(&Uint8Array::from(body.as_slice()).into());
    }
    let timeout = call.timeout_ms.unwrap_or(net.timeout_ms);
    let link = link_signal(timeout as f64, &call.signal);
    init.set_signal(Some(&link.signal()));
    let url = JsValue::from_str(&parts.uri.to_string());
    let result = exchange(&link, &fetch, &url, &init, net.max_body).await;
    link.done();
    result.map_err(|failure| match failure {
        Failure::Js(e) if link.timed_out() => err(
            TransportErrorKind::Timeout,
            format!(
                "no complete answer within {timeout} ms ({})",
                describe_failure(&e, &url)
            ),
        ),
        Failure::Js(_) if link.caller_aborted() => err(
            TransportErrorKind::Other,
            "aborted by the caller's AbortSignal",
        ),
        // Connect means "nothing was sent": a money-moving request's outcome is then known.
        Failure::Js(e) if failed_before_sending(&e) => err(
            TransportErrorKind::Connect,
            format!("fetch failed: {}", describe_failure(&e, &url)),
        ),
        Failure::Js(e) => err(
            TransportErrorKind::Other,
            format!(
                "fetch failed, maybe after the request went out: {}",
                describe_failure(&e, &url)
            ),
        ),
        Failure::Transport(t) => t,
    })
}

enum Failure {
    Js(JsValue),
    Transport(TransportError),
}

async fn exchange(
    link: &Link,
    fetch: &Function,
    url: &JsValue,
    init: &RequestInit,
    max_body: u64,
) -> Result<HttpResponse, Failure> {
    let promise = fetch
        .call2(&JsValue::UNDEFINED, url, init)
        .map_err(Failure::Js)?;
    let promise: Promise = promise.dyn_into().map_err(|_| {
        Failure::Transport(err(
            TransportErrorKind::Other,
            "the fetch function did not return a promise",
        ))
    })?;
    let response: Response = JsFuture::from(link.race(&promise))
        .await
        .map_err(Failure::Js)?
        .dyn_into()
        .map_err(|_| {
            Failure::Transport(err(
                TransportErrorKind::Other,
                "fetch resolved to something that is not a Response",
            ))
        })?;
    let status = response.status();
    if response.type_() == web_sys::ResponseType::Opaqueredirect || (300..400).contains(&status) {
        let location = response
            .headers()
            .get("location")
            .ok()
            .flatten()
            .map_or_else(
                || "(no Location header visible)".to_owned(),
                |l| redact(&l, url),
            );
        return Err(Failure::Transport(err(
            TransportErrorKind::Redirect,
            format!(
                "the server answered HTTP {status} redirecting to {location}; redirects are never followed"
            ),
        )));
    }
    // Only the headers an answer is read by are copied, by their constant names: the core
    // consults none of the others, and copying every header by its name took the `http`
    // crate's name-parsing table into the .wasm (12 KB raw).
    let mut builder = http::Response::builder().status(status);
    let mut length = None;
    let headers = response.headers();
    for name in [
        http::header::CONTENT_TYPE,
        http::header::CONTENT_LENGTH,
        http::header::RETRY_AFTER,
    ] {
        if let Ok(Some(value)) = headers.get(name.as_str()) {
            if name == http::header::CONTENT_LENGTH {
                length = value.trim().parse::<u64>().ok();
            }
            builder = builder.header(name, value);
        }
    }
    if let Some(len) = length.filter(|&l| l > max_body) {
        return Err(Failure::Transport(err(
            TransportErrorKind::Other,
            format!("response body of {len} bytes exceeds the limit of {max_body} bytes"),
        )));
    }
    let buffer = response.array_buffer().map_err(Failure::Js)?;
    let buffer = JsFuture::from(link.race(&buffer))
        .await
        .map_err(Failure::Js)?;
    let bytes = Uint8Array::new(&buffer);
    if u64::from(bytes.length()) > max_body {
        return Err(Failure::Transport(err(
            TransportErrorKind::Other,
            format!("response body exceeds the limit of {max_body} bytes"),
        )));
    }
    builder.body(bytes.to_vec()).map_err(|e| {
        Failure::Transport(err(
            TransportErrorKind::Other,
            format!("unreadable answer: {e}"),
        ))
    })
}
