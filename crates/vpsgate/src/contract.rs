//! The JSON every face returns: one place for the shapes, so the CLI's `--json`, the C library,
//! the npm package and the PHP package cannot drift apart. `docs/CONTRACT.md` describes them
//! for users of the faces.
//!
//! - lifecycle results: the serde form of [`crate::lifecycle`]'s types ([`outcome`]);
//! - a Friendhosting command: `{"command":"getBalance","warning":null|{"code":30,"message":".."},"data":{..}}`
//!   ([`answer`]);
//! - GoVPSFX: `{"status":"delivered","server":{..}}` or `{"status":"pending","message":".."}`
//!   for a lease ([`lease`]), `{"end_at":"YYYY-MM-DD"}` for an extend, `{"recalled":true}` for
//!   a recall;
//! - a failure: `{"code":7,"name":"gateway","message":"..","upstream_code":22,"field":null,
//!   "offset":null,"raw_body":null,"outcome_unknown":false}` ([`error`]).

use serde::Serialize;
use serde_json::{json, Value};

use crate::error::Error;
use crate::friendhosting::{Answer, Warning};
use crate::govpsfx::{Extended, LeaseOutcome, ServerDetails};
use crate::lifecycle::Outcome;

/// A lifecycle outcome: the inner value alone (`list` as an array).
pub fn outcome(outcome: &Outcome) -> Value {
    serde_json::to_value(outcome).unwrap_or(Value::Null)
}

/// A gateway warning: `{"code":30,"message":".."}`.
pub fn warning(w: &Warning) -> Value {
    json!({ "code": w.code.number(), "message": w.text() })
}

/// The envelope of a Friendhosting command's answer.
pub fn answer<T: Serialize>(command: &str, answer: &Answer<T>) -> Result<Value, Error> {
    let data = serde_json::to_value(&answer.data).map_err(|e| Error::Serialize(e.to_string()))?;
    Ok(json!({
        "command": command,
        "warning": answer.warning.as_ref().map(warning),
        "data": data,
    }))
}

/// GoVPSFX server details, password in clear (the panel must keep it).
pub fn server(d: &ServerDetails) -> Value {
    json!({
        "ip": d.ip,
        "port": d.port,
        "login": d.login,
        "password": d.password.secret(),
        "created_at": d.created_at.to_string(),
        "end_at": d.end_at.to_string(),
        "rate": d.rate,
        "client_id": d.client_id,
        "server_id": d.server_id,
    })
}

/// A GoVPSFX lease outcome.
pub fn lease(outcome: &LeaseOutcome) -> Value {
    match outcome {
        LeaseOutcome::Delivered(d) => json!({ "status": "delivered", "server": server(d) }),
        LeaseOutcome::Pending { message } => json!({ "status": "pending", "message": message }),
    }
}

/// A GoVPSFX extend.
pub fn extended(e: &Extended) -> Value {
    json!({ "end_at": e.end_at.to_string() })
}

/// A GoVPSFX recall.
pub fn recalled() -> Value {
    json!({ "recalled": true })
}

/// A failure. `raw_body` is the body as received (invalid UTF-8 replaced) when an answer could
/// not be read; `field` names the input at fault; `offset` is a byte offset into the input.
/// Never holds a secret: error texts are built without them.
pub fn error(e: &Error) -> Value {
    let code = e.code();
    json!({
        "code": code.number(),
        "name": code.name(),
        "message": e.to_string(),
        "upstream_code": e.upstream_code(),
        "field": e.field(),
        "offset": e.byte_offset(),
        "raw_body": e.raw_body().map(|b| String::from_utf8_lossy(b).into_owned()),
        "outcome_unknown": e.outcome_unknown(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RawBody;

    #[test]
    fn error_shape() {
        let e = Error::invalid_input("term", "2 months is not offered");
        assert_eq!(
            error(&e).to_string(),
            r#"{"code":1,"field":"term","message":"invalid term: 2 months is not offered","name":"invalid_input","offset":null,"outcome_unknown":false,"raw_body":null,"upstream_code":null}"#
        );
        let e = Error::UnexpectedStatus {
            status: 502,
            body: RawBody::new(b"bad \xff gateway".to_vec()),
        };
        let v = error(&e);
        assert_eq!(v["upstream_code"], 502);
        assert_eq!(v["raw_body"], "bad \u{fffd} gateway");
        assert_eq!(v["name"], "unexpected_status");
    }
}
