//! The GoVPSFX partner API: `get`, `extend`, `recall`, md5-signed.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use vpsgate::govpsfx::sign::{self, SignedFields};
use vpsgate::PartnerSecret;

use crate::config::{Delivery, PartnerConfig};
use crate::dates;
use crate::delivery::{self, ServerDetails};
use crate::model::Server;
use crate::state::App;

/// The lease terms the API accepts, in months.
pub(crate) const TERMS: [u32; 5] = [1, 3, 6, 9, 12];

/// The 202 answer's text.
pub(crate) const ACCEPTED_TEXT: &str =
    "order created, access to the server will be provided during the day";

/// An answer: HTTP status, content type, body, and a note for the log.
pub(crate) struct Reply {
    pub status: u16,
    pub json: bool,
    pub body: String,
    pub partner: String,
}

fn reply(status: u16, body: impl Into<String>) -> Reply {
    Reply {
        status,
        json: false,
        body: body.into(),
        partner: String::new(),
    }
}

/// The request's `hash` by the core's rule ([`vpsgate::govpsfx::sign::signature`]): md5 of the
/// values of `rate`, `term`, `server_id`, `partner_code` (those present, in that order) and the
/// secret, lower-cased as PHP's `mb_strtolower` does.
pub(crate) fn signature(fields: &HashMap<String, String>, secret: &str) -> String {
    let value = |name: &str| fields.get(name).map(String::as_str);
    let signed = SignedFields {
        rate: value("rate"),
        term: value("term"),
        server_id: value("server_id"),
        partner_code: value("partner_code"),
    };
    sign::signature(&signed, &PartnerSecret::new(secret))
}

/// Partner lookup and signature check, shared by the three endpoints.
fn partner<'c>(app: &'c App, fields: &HashMap<String, String>) -> Result<&'c PartnerConfig, Reply> {
    let Some(code) = fields.get("partner_code").filter(|v| !v.is_empty()) else {
        return Err(reply(400, "partner_code is required"));
    };
    let Some(p) = app.config.govpsfx.partners.iter().find(|p| &p.code == code) else {
        return Err(reply(403, format!("unknown partner_code {code:?}")));
    };
    match fields.get("hash").filter(|v| !v.is_empty()) {
        None => Err(reply(403, "hash is required")),
        Some(h) if *h != signature(fields, &p.secret) => Err(reply(403, "invalid md5 hash")),
        Some(_) => Ok(p),
    }
}

fn required<'f>(fields: &'f HashMap<String, String>, name: &str) -> Result<&'f str, Reply> {
    fields
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| reply(400, format!("{name} is required")))
}

fn term(fields: &HashMap<String, String>) -> Result<u32, Reply> {
    let raw = required(fields, "term")?;
    raw.parse::<u32>()
        .ok()
        .filter(|t| TERMS.contains(t))
        .ok_or_else(|| reply(400, format!("term {raw:?} is not one of 1, 3, 6, 9, 12")))
}

fn with_partner(r: Result<Reply, Reply>, fields: &HashMap<String, String>) -> Reply {
    let mut r = r.unwrap_or_else(|e| e);
    r.partner = fields.get("partner_code").cloned().unwrap_or_default();
    r
}

/// `POST /server/server/get`: lease a server.
pub(crate) fn get(app: &Arc<App>, fields: &HashMap<String, String>) -> Reply {
    with_partner(get_inner(app, fields), fields)
}

fn get_inner(app: &Arc<App>, fields: &HashMap<String, String>) -> Result<Reply, Reply> {
    let p = partner(app, fields)?;
    let rate = required(fields, "rate")?;
    let term = term(fields)?;
    let client_id = required(fields, "client_id")?;
    let Some(r) = p.rates.iter().find(|r| r.name == rate) else {
        return Err(reply(
            400,
            format!("unknown rate {rate:?} for partner {}", p.code),
        ));
    };
    let delivery = r.delivery.unwrap_or(p.delivery);
    let cfg = &app.config.govpsfx;
    if delivery == Delivery::Deferred {
        let pending = app.pending_deliveries.fetch_add(1, Ordering::SeqCst);
        if pending >= cfg.max_pending_deliveries {
            app.pending_deliveries.fetch_sub(1, Ordering::SeqCst);
            return Err(reply(500, "internal error: too many pending deliveries"));
        }
    }
    let today = app.today();
    let (port, password, octet) = {
        let mut rng = app.rng();
        let pw: String = (0..7).map(|_| rng.alphanumeric()).collect();
        (rng.u16(8000..9000), pw, rng.u8(2..255))
    };
    let mut state = app.begin();
    if state.records() >= app.config.max_records {
        if delivery == Delivery::Deferred {
            app.pending_deliveries.fetch_sub(1, Ordering::SeqCst);
        }
        return Err(reply(
            500,
            "internal error: the sandbox's max_records is reached",
        ));
    }
    let n = state.next_server_id;
    state.touch_counters();
    state.touch_server(&format!("ID{n}"));
    state.next_server_id += 1;
    let server = Server {
        server_id: format!("ID{n}"),
        partner_code: p.code.clone(),
        client_id: client_id.to_string(),
        rate: rate.to_string(),
        ip: format!("{}{octet}", cfg.ip_prefix),
        port,
        login: "Admin".into(),
        password,
        created_at: dates::dmy(today),
        end_at: dates::dmy(dates::add_months(today, term)),
        seq: n,
        recalled: false,
        pending: delivery == Delivery::Deferred,
    };
    let body = serde_json::to_string(&ServerDetails::from(&server)).unwrap_or_default();
    let id = server.server_id.clone();
    state.servers.insert(id.clone(), server);
    if state.commit().is_err() {
        // The server and the id are taken back; no delivery is started for it.
        if delivery == Delivery::Deferred {
            app.pending_deliveries.fetch_sub(1, Ordering::SeqCst);
        }
        return Err(reply(500, "internal error"));
    }
    if delivery == Delivery::Deferred {
        delivery::spawn(app.clone(), id);
        return Ok(reply(202, ACCEPTED_TEXT));
    }
    Ok(Reply {
        status: 200,
        json: true,
        body,
        partner: String::new(),
    })
}

/// `POST /server/server/extend`: extend a lease by `term` months from its current end.
pub(crate) fn extend(app: &App, fields: &HashMap<String, String>) -> Reply {
    with_partner(extend_inner(app, fields), fields)
}

fn extend_inner(app: &App, fields: &HashMap<String, String>) -> Result<Reply, Reply> {
    let p = partner(app, fields)?;
    let term = term(fields)?;
    let client_id = required(fields, "client_id")?;
    let server_id = fields.get("server_id").filter(|v| !v.is_empty());
    let mut state = app.begin();
    let found = state
        .servers
        .values()
        .filter(|s| s.partner_code == p.code && s.client_id == client_id && !s.recalled)
        .filter(|s| server_id.is_none_or(|id| *id == s.server_id))
        .max_by_key(|s| s.seq)
        .map(|s| s.server_id.clone());
    if let Some(id) = &found {
        state.touch_server(id);
    }
    let Some(server) = found.and_then(|id| state.servers.get_mut(&id)) else {
        return Err(reply(
            400,
            format!("no active server for client_id {client_id:?}"),
        ));
    };
    let end = dates::parse_dmy(&server.end_at).unwrap_or_else(|| app.today());
    server.end_at = dates::dmy(dates::add_months(end, term));
    let body = serde_json::json!({ "end_at": server.end_at }).to_string();
    if state.commit().is_err() {
        return Err(reply(500, "internal error"));
    }
    Ok(Reply {
        status: 200,
        json: true,
        body,
        partner: String::new(),
    })
}

/// `POST /server/server/recall`: end a lease.
pub(crate) fn recall(app: &App, fields: &HashMap<String, String>) -> Reply {
    with_partner(recall_inner(app, fields), fields)
}

fn recall_inner(app: &App, fields: &HashMap<String, String>) -> Result<Reply, Reply> {
    let p = partner(app, fields)?;
    let server_id = required(fields, "server_id")?;
    let mut state = app.begin();
    state.touch_server(server_id);
    let Some(server) = state
        .servers
        .get_mut(server_id)
        .filter(|s| s.partner_code == p.code)
    else {
        return Err(reply(400, format!("unknown server_id {server_id:?}")));
    };
    if server.recalled {
        return Err(reply(
            403,
            format!("server {server_id} is already recalled"),
        ));
    }
    server.recalled = true;
    if state.commit().is_err() {
        return Err(reply(500, "internal error"));
    }
    Ok(Reply {
        status: 200,
        json: true,
        body: "1".into(),
        partner: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_test_vector() {
        let f: HashMap<String, String> = [
            ("rate", "singapore"),
            ("term", "1"),
            ("partner_code", "14321"),
            ("client_id", "X"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            signature(&f, "sdsd4223dsd"),
            "8cfff6fb2b39a4f0c9d6d7413e9439f6"
        );
    }
}
