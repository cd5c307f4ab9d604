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
//!
//! Answers and outcomes, which can be large (every order of an account), are written straight
//! from the typed values as JSON text, keys in the order of the types' fields (the upstream's
//! order); the small shapes are [`Value`]s. Key order is not part of the contract.

use serde::Serialize;
use serde_json::{json, Value};

use crate::error::Error;
use crate::friendhosting::{Answer, Warning};
use crate::govpsfx::{Extended, LeaseOutcome, ServerDetails};
use crate::lifecycle::Outcome;

/// A lifecycle outcome as JSON text: the inner value alone (`list` as an array).
pub fn outcome(outcome: &Outcome) -> Result<String, Error> {
    serde_json::to_string(outcome).map_err(|e| Error::Serialize(e.to_string()))
}

/// A gateway warning: `{"code":30,"message":".."}`.
pub fn warning(w: &Warning) -> Value {
    json!({ "code": w.code.number(), "message": w.text() })
}

/// The envelope of a Friendhosting command's answer as JSON text:
/// `{"command":..,"warning":..,"data":..}`.
pub fn answer<T: Serialize>(command: &str, answer: &Answer<T>) -> Result<String, Error> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        command: &'a str,
        warning: Option<Value>,
        data: &'a T,
    }
    serde_json::to_string(&Envelope {
        command,
        warning: answer.warning.as_ref().map(warning),
        data: &answer.data,
    })
    .map_err(|e| Error::Serialize(e.to_string()))
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
    use crate::friendhosting::{BalanceAnswer, WarningCode};

    #[test]
    fn answer_text_is_the_envelope_of_the_typed_fields() {
        let text = r#"a:3:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:5:"12.50";s:8:"currency";s:3:"USD";}"#;
        let a: Answer<BalanceAnswer> = crate::friendhosting::parse(
            http::StatusCode::OK,
            &http::HeaderMap::new(),
            text.as_bytes(),
        )
        .unwrap();
        let json = answer("getBalance", &a).unwrap();
        assert_eq!(
            json,
            r#"{"command":"getBalance","warning":null,"data":{"balance":"12.50","currency":"USD"}}"#
        );
        let warned = Answer {
            warning: Some(Warning {
                code: WarningCode::ManualProcessing,
                message: "low balance".into(),
            }),
            ..a
        };
        let v: Value = serde_json::from_str(&answer("getBalance", &warned).unwrap()).unwrap();
        assert_eq!(v["warning"], json!({"code": 30, "message": "low balance"}));
    }

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
