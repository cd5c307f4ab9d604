//! The HTTP side: routes, fault injection, the accept loop.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;
use tower_http::cors::{Any, CorsLayer};

use crate::config::FaultConfig;
use crate::error::SandboxError;
use crate::faults::{Fault, HTML_PAGE};
use crate::state::App;
use crate::{gateway, govpsfx};

/// The gateway's path.
pub const GATEWAY_PATH: &str = "/apih.php";
/// GoVPSFX lease path.
pub const GOVPSFX_GET_PATH: &str = "/server/server/get";
/// GoVPSFX extend path (assumed, see the specs README).
pub const GOVPSFX_EXTEND_PATH: &str = "/server/server/extend";
/// GoVPSFX recall path (assumed, see the specs README).
pub const GOVPSFX_RECALL_PATH: &str = "/server/server/recall";

fn is_api(path: &str) -> bool {
    path == GATEWAY_PATH || path.starts_with("/server/server/")
}

/// The admin endpoints' path prefix.
const ADMIN_PREFIX: &str = "/_sandbox/";

pub(crate) fn router(app: Arc<App>) -> Router {
    let limit = app.config.max_body_bytes;
    // The emulated APIs answer any origin (the browser example calls them from its own page);
    // the CORS layer covers only the routes added before it, so the admin routes get none.
    Router::new()
        .route(GATEWAY_PATH, any(gateway_route))
        .route(GOVPSFX_GET_PATH, post(govpsfx_get))
        .route(GOVPSFX_EXTEND_PATH, post(govpsfx_extend))
        .route(GOVPSFX_RECALL_PATH, post(govpsfx_recall))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods(Any)
                .allow_headers(Any),
        )
        .route("/_sandbox/partners/{code}/handler", post(set_handler))
        .route("/_sandbox/faults", get(get_faults).post(set_faults))
        .route("/_sandbox/deliveries", get(deliveries))
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/health", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

/// Whether `host` (a `Host` header value or an `Origin`'s host part) names this machine's
/// loopback interface: `127.0.0.1`, `localhost` or `[::1]`, with or without a port.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, port))
                if port.is_empty() || port.strip_prefix(':').is_some_and(valid_port) =>
            {
                return inside == "::1";
            }
            _ => return false,
        },
        None => match host.split_once(':') {
            Some((name, port)) if valid_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost")
}

/// The digits of a port after a host name.
fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// The refusals every request goes through before routing: a `Host` that is not loopback
/// (DNS rebinding: a page on another name resolving to 127.0.0.1), and, on the admin
/// endpoints, any cross-origin use (a preflight, or an `Origin` other than the sandbox's own).
/// A request without `Host` (HTTP/1.0) names nothing to rebind and passes.
fn refusal(req: &Request<Body>) -> Option<Response<Body>> {
    let headers = req.headers();
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return Some(text(400, "text/plain", "more than one Host header"));
    }
    let host = match host.map(|h| h.to_str()) {
        None => None,
        Some(Ok(h)) if is_loopback_host(h) => Some(h),
        Some(_) => {
            return Some(text(
                403,
                "text/plain",
                "Host is not a loopback name (127.0.0.1, localhost, [::1]): refused",
            ))
        }
    };
    if !req.uri().path().starts_with(ADMIN_PREFIX) {
        return None;
    }
    if req.method() == Method::OPTIONS {
        return Some(text(
            403,
            "text/plain",
            "the admin endpoints are not available cross-origin",
        ));
    }
    let own = |origin: &str| {
        host.is_some_and(|h| {
            origin
                .strip_prefix("http://")
                .is_some_and(|o| o.eq_ignore_ascii_case(h))
        })
    };
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => None,
        Some(Ok(o)) if own(o) => None,
        Some(_) => Some(text(
            403,
            "text/plain",
            "the admin endpoints are not available cross-origin",
        )),
    }
}

/// PHP's `$_REQUEST`: query string first, then the form body over it. Last duplicate wins.
fn fields(uri: &Uri, body: &[u8]) -> HashMap<String, String> {
    let mut f = HashMap::new();
    if let Some(q) = uri.query() {
        f.extend(form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    f.extend(form_urlencoded::parse(body).into_owned());
    f
}

fn text(status: u16, content_type: &'static str, body: impl Into<Body>) -> Response<Body> {
    let mut r = Response::new(body.into());
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn outcome_word(answer: &crate::answer::Assoc) -> &'static str {
    if answer.get("status") == Some(&crate::answer::Val::Str("ERROR".into())) {
        "ERROR"
    } else {
        "SUCCESS"
    }
}

async fn gateway_route(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response<Body> {
    let f = fields(&uri, &body);
    let out = gateway::handle(&app, &f, peer.ip());
    let status = match out.answer.get("errorCode") {
        Some(crate::answer::Val::Int(n)) => format!("{} {n}", outcome_word(&out.answer)),
        Some(crate::answer::Val::Str(n)) => format!("{} {n}", outcome_word(&out.answer)),
        _ => "SUCCESS".into(),
    };
    app.log(format_args!(
        "{method} {} command={:?} login={:?} -> {status}",
        uri.path(),
        out.command,
        out.login
    ));
    if out.json {
        return match crate::answer::php_json(&out.answer) {
            Ok(b) => text(200, "application/json", b),
            Err(e) => text(500, "text/plain", e.to_string()),
        };
    }
    // The codec is another crate's; a panic there must not take the connection down.
    let php = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        vpsgate::php::to_vec(&out.answer)
    }));
    match php {
        Ok(Ok(b)) => text(200, "text/html; charset=UTF-8", b),
        Ok(Err(e)) => text(500, "text/plain", format!("PHP serializer failed: {e}")),
        Err(_) => text(500, "text/plain", "PHP serializer unavailable"),
    }
}

fn govpsfx_reply(app: &App, path: &str, r: govpsfx::Reply) -> Response<Body> {
    app.log(format_args!(
        "POST {path} partner={:?} -> {}",
        r.partner, r.status
    ));
    let ct = if r.json {
        "application/json"
    } else {
        "text/plain; charset=UTF-8"
    };
    text(r.status, ct, r.body)
}

async fn govpsfx_get(State(app): State<Arc<App>>, uri: Uri, body: Bytes) -> Response<Body> {
    let r = govpsfx::get(&app, &fields(&uri, &body));
    govpsfx_reply(&app, GOVPSFX_GET_PATH, r)
}

async fn govpsfx_extend(State(app): State<Arc<App>>, uri: Uri, body: Bytes) -> Response<Body> {
    let r = govpsfx::extend(&app, &fields(&uri, &body));
    govpsfx_reply(&app, GOVPSFX_EXTEND_PATH, r)
}

async fn govpsfx_recall(State(app): State<Arc<App>>, uri: Uri, body: Bytes) -> Response<Body> {
    let r = govpsfx::recall(&app, &fields(&uri, &body));
    govpsfx_reply(&app, GOVPSFX_RECALL_PATH, r)
}

async fn set_handler(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Response<Body> {
    let f = fields(&uri, &body);
    match app.set_handler(&code, f.get("url").map(String::as_str).unwrap_or("")) {
        Ok(()) => text(200, "text/plain", "ok"),
        Err(SandboxError::UnknownPartner(c)) => {
            text(404, "text/plain", format!("unknown partner {c:?}"))
        }
        Err(e) => text(400, "text/plain", e.to_string()),
    }
}

async fn get_faults(State(app): State<Arc<App>>) -> impl IntoResponse {
    axum::Json(app.fault_config())
}

async fn set_faults(State(app): State<Arc<App>>, body: Bytes) -> Response<Body> {
    let f: FaultConfig = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return text(400, "text/plain", format!("bad fault settings: {e}")),
    };
    let mut probe = app.config.clone();
    probe.faults = f.clone();
    if let Err(e) = probe.validate() {
        return text(400, "text/plain", e.to_string());
    }
    app.set_faults(f);
    text(200, "text/plain", "ok")
}

async fn stats(State(app): State<Arc<App>>) -> impl IntoResponse {
    use std::sync::atomic::Ordering::Relaxed;
    let n = |i: usize| app.fault_counts[i].load(Relaxed);
    axum::Json(serde_json::json!({
        "faults": { "drop": n(0), "error_500": n(1), "truncate": n(2), "html": n(3) },
        "connections": app.connections.load(Relaxed),
    }))
}

async fn deliveries(State(app): State<Arc<App>>) -> impl IntoResponse {
    axum::Json(app.attempts())
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

async fn dispatch(
    app: Arc<App>,
    router: Router,
    peer: SocketAddr,
    req: Request<Body>,
) -> Result<Response<Body>, Dropped> {
    let mut answer = serve_one(app, router, peer, req).await?;
    answer.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(answer)
}

async fn serve_one(
    app: Arc<App>,
    router: Router,
    peer: SocketAddr,
    mut req: Request<Body>,
) -> Result<Response<Body>, Dropped> {
    if let Some(r) = refusal(&req) {
        app.log(format_args!(
            "{} {} -> refused (Host/Origin)",
            req.method(),
            req.uri().path()
        ));
        return Ok(r);
    }
    req.extensions_mut().insert(ConnectInfo(peer));
    let path = req.uri().path().to_string();
    let (latency, fault) = if is_api(&path) {
        app.faults.lock().unwrap_or_else(|p| p.into_inner()).draw()
    } else {
        (0, None)
    };
    // Latency alone delays the answer, not the work: the command runs (and its state change is
    // committed) first, as at a real upstream that is slow to answer, so a client that gives up
    // meets the case that matters, a request that did happen. With another fault it comes first.
    let late = Duration::from_millis(latency);
    if latency > 0 && fault.is_some() {
        tokio::time::sleep(late).await;
    }
    if let Some(f) = fault {
        let slot = match f {
            Fault::Drop => 0,
            Fault::Error500 => 1,
            Fault::Truncate => 2,
            Fault::Html => 3,
        };
        app.fault_counts[slot].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        app.log(format_args!("{} {path} -> fault {f:?}", req.method()));
    }
    let call = |req: Request<Body>| async move {
        match router.oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        }
    };
    match fault {
        None => {
            let answer = call(req).await;
            if latency > 0 {
                tokio::time::sleep(late).await;
            }
            Ok(answer)
        }
        Some(Fault::Drop) => Err(Dropped),
        Some(Fault::Error500) => Ok(text(500, "text/plain", "Internal Server Error")),
        Some(Fault::Html) => Ok(text(200, "text/html; charset=UTF-8", HTML_PAGE)),
        Some(Fault::Truncate) => {
            let (mut parts, body) = call(req).await.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let full = bytes.len();
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full));
            Ok(Response::from_parts(
                parts,
                Body::new(Cut::new(bytes.slice(..full / 2))),
            ))
        }
    }
}

/// A body that sends its bytes, waits so hyper flushes them, and ends without claiming a
/// size: the declared `Content-Length` stays the full one and hyper closes the connection short.
struct Cut {
    data: Option<Bytes>,
    pause: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl Cut {
    fn new(data: Bytes) -> Self {
        Cut {
            data: Some(data),
            pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
        }
    }
}

impl http_body::Body for Cut {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some(b) = this.data.take() {
            return std::task::Poll::Ready(Some(Ok(http_body::Frame::data(b))));
        }
        this.pause.as_mut().poll(cx).map(|()| None)
    }
}

/// A request body that fails once its read deadline passes, so a slow sender cannot hold a
/// connection (and a connection slot) forever. The body extractor then answers 400 and hyper
/// closes the connection, since the body was not read to its end.
struct Deadline {
    inner: hyper::body::Incoming,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(inner: hyper::body::Incoming, limit: Duration) -> Self {
        Deadline {
            inner,
            timer: Box::pin(tokio::time::sleep(limit)),
        }
    }
}

/// The error a body past its deadline ends with.
#[derive(Debug)]
struct BodyTimeout;

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("request body not received within the read timeout")
    }
}

impl std::error::Error for BodyTimeout {}

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let std::task::Poll::Ready(r) = std::pin::Pin::new(&mut this.inner).poll_frame(cx) {
            return std::task::Poll::Ready(r.map(|f| f.map_err(Into::into)));
        }
        if this.timer.as_mut().poll(cx).is_ready() {
            return std::task::Poll::Ready(Some(Err(Box::new(BodyTimeout))));
        }
        std::task::Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Serve until `shutdown` resolves, then finish open requests (for at most 5 s).
pub(crate) async fn serve_app(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), SandboxError> {
    crate::delivery::resume_pending(&app);
    let router = router(app.clone());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(
        app.config.max_connections.max(1),
    ));
    let read_timeout = Duration::from_millis(app.config.read_timeout_ms.max(1));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    app.log(format_args!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        app.connections
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (app2, router2) = (app.clone(), router.clone());
        let svc = hyper::service::service_fn(move |req| {
            // The body gets its own deadline: a client trickling it is cut off.
            let req = req.map(|b| Body::new(Deadline::new(b, read_timeout)));
            dispatch(app2.clone(), router2.clone(), peer, req)
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(read_timeout)
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), svc);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    let _ = app.stop.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    Ok(())
}
