//! A stand-in for the partner's deferred-delivery handler: records every POST it gets.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::Router;

use crate::error::SandboxError;

/// Most requests remembered; later ones are answered but not recorded.
const MAX_RECORDED: usize = 10_000;

/// One request the receiver got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedPost {
    /// Request path.
    pub path: String,
    /// `Content-Type` header, empty if absent.
    pub content_type: String,
    /// The body (lossy UTF-8).
    pub body: String,
    /// The status the receiver answered with.
    pub answered: u16,
}

impl ReceivedPost {
    /// The body's form fields, decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }

    /// One form field.
    pub fn field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

struct Shared {
    fail_left: AtomicU32,
    got: Mutex<Vec<ReceivedPost>>,
    signal: Condvar,
}

/// A loopback HTTP server that records every POST (any path) and answers 200 `OK`, or 500
/// for the first N when told to.
pub struct CallbackReceiver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for CallbackReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackReceiver")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

async fn record(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    if method != Method::POST {
        return (StatusCode::METHOD_NOT_ALLOWED, "POST only");
    }
    let fail = shared
        .fail_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let status = if fail {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    let post = ReceivedPost {
        path: uri.path().to_string(),
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        body: String::from_utf8_lossy(&body).into_owned(),
        answered: status.as_u16(),
    };
    let mut got = shared.got.lock().unwrap_or_else(|p| p.into_inner());
    if got.len() < MAX_RECORDED {
        got.push(post);
    }
    shared.signal.notify_all();
    (status, if fail { "failing on purpose" } else { "OK" })
}

impl CallbackReceiver {
    /// Start a receiver that answers every POST with 200.
    pub fn start() -> Result<Self, SandboxError> {
        Self::start_failing(0)
    }

    /// Start a receiver that answers the first `failures` POSTs with 500, the rest with 200.
    pub fn start_failing(failures: u32) -> Result<Self, SandboxError> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            fail_left: AtomicU32::new(failures),
            got: Mutex::new(Vec::new()),
            signal: Condvar::new(),
        });
        let router = Router::new()
            .fallback(record)
            .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
            .with_state(shared.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("vpsgate-callback".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let _ = axum::serve(listener, router)
                        .with_graceful_shutdown(async {
                            let _ = rx.await;
                        })
                        .await;
                });
            })?;
        Ok(CallbackReceiver {
            addr,
            shared,
            stop: Some(tx),
            thread: Some(thread),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/handler`, a URL to register as the partner's handler.
    pub fn url(&self) -> String {
        format!("http://{}/handler", self.addr)
    }

    /// Everything received so far, failed deliveries included.
    pub fn received(&self) -> Vec<ReceivedPost> {
        self.shared
            .got
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Wait until at least `count` requests have arrived or `timeout` passes; what arrived.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedPost> {
        let deadline = Instant::now() + timeout;
        let mut got = self.shared.got.lock().unwrap_or_else(|p| p.into_inner());
        while got.len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            got = match self.shared.signal.wait_timeout(got, left) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        got.clone()
    }
}

impl Drop for CallbackReceiver {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
