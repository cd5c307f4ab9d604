//! Deferred delivery: after a lease answered 202, GoVPSFX sends the server details to a handler
//! on the partner's side.
//!
//! # The contract is our assumption
//!
//! The provider has not published this contract in anything we have. Everything vpsgate assumes
//! about it lives in this module, so it can be corrected in one place:
//!
//! - the provider POSTs the same fields as the 200 answer to a lease (`ip`, `port`, `login`,
//!   `password`, `created_at`, `end_at`, `rate`, `client_id`, `server_id`), possibly also `term`
//!   and `partner_code`, either form-encoded or as a JSON object;
//! - it adds `hash`, computed by the request rule ([`super::sign`]) over the signed fields the
//!   delivery carries: `rate`, `term`, `server_id`, `partner_code` in that order, absent ones
//!   skipped, then the partner secret;
//! - the handler answers HTTP 200 once it has stored the details.
//!
//! Under this rule `ip`, `port`, `login` and `password` are not covered by the hash, and nothing
//! stops a captured delivery from being replayed: serve the handler over HTTPS only, and treat a
//! second delivery for a `server_id` already stored as a duplicate.
//!
//! [`verify_callback`] checks, in this order: body size (before any parsing), body syntax
//! (form or JSON), `hash` present, `partner_code` (if carried) equal to ours, `hash` matching
//! (constant-time; hex case ignored, see [`super::sign::verify`]), then every field.
//! [`callback_form`] and [`callback_json`] build deliveries the same way, for the sandbox and
//! tests.

use serde_json::{Map, Value};

use super::response::{details_from_object, details_value, format_date, kind_of, ServerDetails};
use super::sign::{signature, verify, SignedFields};
use super::{Partner, Term};
use crate::body::{json_error_offset, without_bom};
use crate::error::{Error, SignatureProblem};
use crate::lenient::Text;
use crate::transport::form_encode;

/// The default largest callback body accepted: 64 KiB. A real delivery is a few hundred bytes.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024;

/// Limits applied to a callback before it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackLimits {
    /// Largest body accepted, in bytes.
    pub max_body: usize,
}

impl Default for CallbackLimits {
    fn default() -> Self {
        CallbackLimits {
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// The fields that take part in the signature, in signing order.
const SIGNED: [&str; 4] = ["rate", "term", "server_id", "partner_code"];

/// Check and read one deferred delivery.
///
/// `content_type` is the request's `Content-Type` header: form-encoded or JSON; when it is absent
/// or names neither, the body is sniffed (a body starting with `{` is JSON). `multipart/*` is
/// refused. On success the handler should store the details and answer 200.
pub fn verify_callback(
    partner: &Partner,
    content_type: Option<&str>,
    body: &[u8],
    limits: &CallbackLimits,
) -> Result<ServerDetails, Error> {
    verify_signed(partner, content_type, body, limits).map(|(details, _)| details)
}

/// What a verified delivery carried besides the details: the signed `term` and whether
/// `partner_code` was there (see [`super::delivery`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Carried {
    /// The delivery's `term`, if it carried one.
    pub term: Option<String>,
    /// Whether the delivery carried `partner_code`.
    pub partner_code: bool,
}

/// [`verify_callback`], also telling what the delivery carried.
pub(crate) fn verify_signed(
    partner: &Partner,
    content_type: Option<&str>,
    body: &[u8],
    limits: &CallbackLimits,
) -> Result<(ServerDetails, Carried), Error> {
    if body.len() > limits.max_body {
        return Err(Error::PayloadTooLarge {
            size: body.len(),
            limit: limits.max_body,
        });
    }
    let fields = read_fields(content_type, body)?;

    let hash = match fields.get("hash") {
        None | Some(Value::Null) => return Err(Error::BadSignature(SignatureProblem::Missing)),
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(Error::BadSignature(SignatureProblem::Mismatch)),
    };

    let mut signed: [Option<String>; 4] = Default::default();
    for (slot, name) in signed.iter_mut().zip(SIGNED) {
        *slot = match fields.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(scalar(name, v)?),
        };
    }
    let [rate, term, server_id, partner_code] = &signed;

    if let Some(code) = partner_code {
        if code != partner.partner_code() {
            return Err(Error::MalformedCallback {
                field: "partner_code".into(),
                reason: format!("{code:?} is not this partner's code"),
                source: None,
            });
        }
    }

    let signed_fields = SignedFields {
        rate: rate.as_deref(),
        term: term.as_deref(),
        server_id: server_id.as_deref(),
        partner_code: partner_code.as_deref(),
    };
    if !verify(&signed_fields, partner.secret(), hash) {
        return Err(Error::BadSignature(SignatureProblem::Mismatch));
    }

    if let Some(term) = term {
        term.parse::<Term>().map_err(|_| Error::MalformedCallback {
            field: "term".into(),
            reason: format!("{term:?} is not 1, 3, 6, 9 or 12"),
            source: None,
        })?;
    }
    let details = details_from_object(&fields).map_err(|e| e.into_callback_error())?;
    let carried = Carried {
        term: term.clone(),
        partner_code: partner_code.is_some(),
    };
    Ok((details, carried))
}

/// A signed, form-encoded delivery of `details`, as the provider is assumed to send it: the
/// details fields, `partner_code`, then `hash` over `rate`, `server_id`, `partner_code`.
pub fn callback_form(partner: &Partner, details: &ServerDetails) -> Vec<u8> {
    let port = details.port.to_string();
    let created_at = format_date(details.created_at);
    let end_at = format_date(details.end_at);
    let hash = callback_hash(partner, details);
    form_encode([
        ("ip", details.ip.as_str()),
        ("port", port.as_str()),
        ("login", details.login.as_str()),
        ("password", details.password.secret()),
        ("created_at", created_at.as_str()),
        ("end_at", end_at.as_str()),
        ("rate", details.rate.as_str()),
        ("client_id", details.client_id.as_str()),
        ("server_id", details.server_id.as_str()),
        ("partner_code", partner.partner_code()),
        ("hash", hash.as_str()),
    ])
}

/// The same delivery as [`callback_form`], as a JSON object (`port` as a number).
pub fn callback_json(partner: &Partner, details: &ServerDetails) -> Vec<u8> {
    let mut map = details_value(details);
    map.insert("partner_code".into(), partner.partner_code().into());
    map.insert("hash".into(), callback_hash(partner, details).into());
    Value::Object(map).to_string().into_bytes()
}

fn callback_hash(partner: &Partner, details: &ServerDetails) -> String {
    signature(
        &SignedFields {
            rate: Some(&details.rate),
            term: None,
            server_id: Some(&details.server_id),
            partner_code: Some(partner.partner_code()),
        },
        partner.secret(),
    )
}

enum Format {
    Form,
    Json,
}

fn read_fields(content_type: Option<&str>, body: &[u8]) -> Result<Map<String, Value>, Error> {
    let essence = content_type
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let format = match essence.as_str() {
        "application/x-www-form-urlencoded" => Format::Form,
        "application/json" | "text/json" => Format::Json,
        e if e.ends_with("+json") => Format::Json,
        e if e.starts_with("multipart/") => {
            return Err(Error::MalformedCallback {
                field: "body".into(),
                reason: format!("content type {e} is not supported; expected form-encoded or JSON"),
                source: None,
            })
        }
        _ => {
            let first = body.iter().find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'{') || without_bom(body).starts_with(b"{") {
                Format::Json
            } else {
                Format::Form
            }
        }
    };
    match format {
        Format::Form => read_form(body),
        Format::Json => read_json(body),
    }
}

fn read_form(body: &[u8]) -> Result<Map<String, Value>, Error> {
    if let Err(e) = std::str::from_utf8(body) {
        return Err(Error::MalformedCallback {
            field: "body".into(),
            reason: format!("not UTF-8 at byte {}", e.valid_up_to()),
            source: Some(e.into()),
        });
    }
    let mut map = Map::new();
    for (key, value) in form_urlencoded::parse(body) {
        if map.contains_key(key.as_ref()) {
            return Err(Error::MalformedCallback {
                field: key.into_owned(),
                reason: "given more than once".into(),
                source: None,
            });
        }
        map.insert(key.into_owned(), Value::String(value.into_owned()));
    }
    Ok(map)
}

fn read_json(body: &[u8]) -> Result<Map<String, Value>, Error> {
    let json = without_bom(body);
    let bom = body.len() - json.len();
    match serde_json::from_slice::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Error::MalformedCallback {
            field: "body".into(),
            reason: format!("expected a JSON object, got {}", kind_of(&other)),
            source: None,
        }),
        Err(e) => Err(Error::MalformedCallback {
            field: "body".into(),
            reason: format!(
                "invalid JSON at byte {}: {e}",
                bom + json_error_offset(json, &e)
            ),
            source: Some(e.into()),
        }),
    }
}

/// A signed field's value as text (JSON numbers as written), or a typed error.
fn scalar(field: &str, v: &Value) -> Result<String, Error> {
    use serde::Deserialize;
    match v {
        Value::Array(_) | Value::Object(_) => Err(Error::MalformedCallback {
            field: field.into(),
            reason: format!("expected a string, got {}", kind_of(v)),
            source: None,
        }),
        _ => Text::deserialize(v)
            .map(|t| t.0)
            .map_err(|e| Error::MalformedCallback {
                field: field.into(),
                reason: e.to_string(),
                source: Some(e.into()),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{PartnerSecret, ServerPassword};
    use time::macros::date;

    fn partner() -> Partner {
        Partner::new("1880", PartnerSecret::new("Secret-Key"))
    }

    fn details() -> ServerDetails {
        ServerDetails {
            ip: "203.0.113.7".into(),
            port: 8015,
            login: "Admin".into(),
            password: ServerPassword::new("4iJtCt7"),
            created_at: date!(2020 - 07 - 01),
            end_at: date!(2020 - 08 - 02),
            rate: "france_classic".into(),
            client_id: "ID16773".into(),
            server_id: "SRV1".into(),
        }
    }

    #[test]
    fn form_and_json_round_trip() {
        let l = CallbackLimits::default();
        let form = callback_form(&partner(), &details());
        let hash = signature(
            &SignedFields {
                rate: Some("france_classic"),
                server_id: Some("SRV1"),
                partner_code: Some("1880"),
                ..SignedFields::default()
            },
            &PartnerSecret::new("secret-key"),
        );
        assert!(form.ends_with(format!("&partner_code=1880&hash={hash}").as_bytes()));
        assert_eq!(
            verify_callback(&partner(), None, &form, &l).unwrap(),
            details()
        );
        let json = callback_json(&partner(), &details());
        assert_eq!(
            verify_callback(
                &partner(),
                Some("application/json; charset=utf-8"),
                &json,
                &l
            )
            .unwrap(),
            details()
        );
        assert_eq!(
            verify_callback(&partner(), None, &json, &l).unwrap(),
            details()
        );
    }

    #[test]
    fn duplicate_form_field_is_refused() {
        let mut form = callback_form(&partner(), &details());
        form.extend_from_slice(b"&rate=other");
        match verify_callback(&partner(), None, &form, &CallbackLimits::default()) {
            Err(Error::MalformedCallback { field, .. }) => assert_eq!(field, "rate"),
            other => panic!("{other:?}"),
        }
    }
}
