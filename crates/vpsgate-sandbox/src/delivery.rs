//! Deferred GoVPSFX deliveries: the server details POSTed to the partner's handler.
//!
//! The real contract is unpublished; the sandbox assumes the one the README describes: the
//! fields of the 200 answer plus `partner_code`, form-encoded, with a `hash` by the usual rule
//! over the fields it carries (`rate`, `server_id`, `partner_code`). A 2xx answer ends it.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use vpsgate::govpsfx::sign::{signature, SignedFields};
use vpsgate::PartnerSecret;

use crate::handler_url::check_loopback_url;
use crate::model::Server;
use crate::state::{App, DeliveryAttempt};

/// The leased server's details, in the order of the document's sample.
#[derive(Serialize)]
pub(crate) struct ServerDetails<'a> {
    pub ip: &'a str,
    pub port: u16,
    pub login: &'a str,
    pub password: &'a str,
    pub created_at: &'a str,
    pub end_at: &'a str,
    pub rate: &'a str,
    pub client_id: &'a str,
    pub server_id: &'a str,
}

impl<'a> From<&'a Server> for ServerDetails<'a> {
    fn from(s: &'a Server) -> Self {
        ServerDetails {
            ip: &s.ip,
            port: s.port,
            login: &s.login,
            password: &s.password,
            created_at: &s.created_at,
            end_at: &s.end_at,
            rate: &s.rate,
            client_id: &s.client_id,
            server_id: &s.server_id,
        }
    }
}

/// Start delivering a pending server in the background.
pub(crate) fn spawn(app: Arc<App>, server_id: String) {
    tokio::spawn(async move {
        run(&app, &server_id).await;
        app.pending_deliveries.fetch_sub(1, Ordering::SeqCst);
    });
}

/// Sleep, unless the sandbox stops first (then `false`).
async fn pause(app: &App, ms: u64) -> bool {
    let mut stop = app.stop.subscribe();
    if *stop.borrow() {
        return false;
    }
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_millis(ms)) => true,
        _ = stop.changed() => false,
    }
}

async fn run(app: &App, server_id: &str) {
    let cfg = &app.config.govpsfx;
    if !pause(app, cfg.delivery_delay_ms).await {
        return;
    }
    let attempts = cfg.max_delivery_attempts.max(1);
    let mut backoff = cfg.retry_backoff_ms;
    for attempt in 1..=attempts {
        let (body, url, partner_code) = {
            let state = app.lock();
            let Some(server) = state.servers.get(server_id) else {
                return;
            };
            if server.recalled || !server.pending {
                return;
            }
            let Some(partner) = cfg.partners.iter().find(|p| p.code == server.partner_code) else {
                return;
            };
            let url = state.handler_urls.get(&partner.code).cloned();
            (
                form_body(server, &partner.secret),
                url,
                partner.code.clone(),
            )
        };
        let mut record = DeliveryAttempt {
            server_id: server_id.to_string(),
            partner_code,
            attempt,
            url: url.clone(),
            status: None,
            outcome: String::new(),
            delivered: false,
        };
        match url {
            None => record.outcome = "no handler registered".into(),
            Some(url) => match post_form(&url, &body).await {
                Ok(status) => {
                    record.status = Some(status);
                    record.delivered = (200..300).contains(&status);
                    record.outcome = if record.delivered {
                        "delivered".into()
                    } else {
                        format!("HTTP {status}")
                    };
                }
                Err(e) => record.outcome = e,
            },
        }
        app.log(format_args!(
            "deliver {server_id} attempt {attempt}: {}",
            record.outcome
        ));
        let delivered = record.delivered;
        app.record_attempt(record);
        if delivered {
            let mut state = app.begin();
            state.touch_server(server_id);
            if let Some(s) = state.servers.get_mut(server_id) {
                s.pending = false;
            }
            // A failed write is logged by commit; the delivery happened either way.
            let _ = state.commit();
            return;
        }
        if attempt < attempts {
            if !pause(app, backoff).await {
                return;
            }
            backoff = backoff.saturating_mul(2);
        }
    }
}

/// The delivered form: the 200 answer's fields, `partner_code` and `hash`.
fn form_body(server: &Server, secret: &str) -> String {
    let details = serde_json::to_value(ServerDetails::from(server)).unwrap_or_default();
    let signed = SignedFields {
        rate: Some(&server.rate),
        term: None,
        server_id: Some(&server.server_id),
        partner_code: Some(&server.partner_code),
    };
    let mut form = form_urlencoded::Serializer::new(String::new());
    if let serde_json::Value::Object(map) = details {
        for (k, v) in [
            "ip",
            "port",
            "login",
            "password",
            "created_at",
            "end_at",
            "rate",
            "client_id",
            "server_id",
        ]
        .iter()
        .filter_map(|k| map.get(*k).map(|v| (*k, v)))
        {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            form.append_pair(k, &text);
        }
    }
    form.append_pair("partner_code", &server.partner_code);
    form.append_pair("hash", &signature(&signed, &PartnerSecret::new(secret)));
    form.finish()
}

/// POST a form over a fresh connection; the answer's status code. Bounded by timeouts.
async fn post_form(url: &str, body: &str) -> Result<u16, String> {
    let (host, port, path) = check_loopback_url(url)?;
    let connect_host = if host == "localhost" {
        "127.0.0.1"
    } else {
        &host
    };
    let io = async {
        let addr = if connect_host.contains(':') {
            format!("[{connect_host}]:{port}")
        } else {
            format!("{connect_host}:{port}")
        };
        let mut s = tokio::net::TcpStream::connect(addr).await?;
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\nUser-Agent: vpsgate-sandbox\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await?;
        let mut head = Vec::with_capacity(256);
        let mut buf = [0u8; 256];
        while !head.windows(2).any(|w| w == b"\r\n") && head.len() < 4096 {
            let n = s.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        Ok::<_, std::io::Error>(head)
    };
    let head = tokio::time::timeout(Duration::from_secs(10), io)
        .await
        .map_err(|_| "handler timed out".to_string())?
        .map_err(|e| format!("connection failed: {e}"))?;
    let line = String::from_utf8_lossy(&head);
    line.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|_| line.starts_with("HTTP/"))
        .ok_or_else(|| "handler sent no HTTP status line".to_string())
}

/// After a restart: carry on delivering servers still pending in the loaded state.
pub(crate) fn resume_pending(app: &Arc<App>) {
    let ids: Vec<String> = app
        .lock()
        .servers
        .values()
        .filter(|s| s.pending && !s.recalled)
        .map(|s| s.server_id.clone())
        .collect();
    for id in ids {
        if app.pending_deliveries.fetch_add(1, Ordering::SeqCst)
            >= app.config.govpsfx.max_pending_deliveries
        {
            app.pending_deliveries.fetch_sub(1, Ordering::SeqCst);
            break;
        }
        spawn(app.clone(), id);
    }
}
