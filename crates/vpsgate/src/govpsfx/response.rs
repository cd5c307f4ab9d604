//! Reading GoVPSFX answers: the HTTP status carries the outcome, the body the details.
//!
//! | status | lease | extend | recall |
//! |---|---|---|---|
//! | 200 | [`LeaseOutcome::Delivered`] | [`Extended`] | [`Recalled`] |
//! | 202 | [`LeaseOutcome::Pending`] | [`Error::UnexpectedStatus`] | [`Error::UnexpectedStatus`] |
//! | 400 | [`Error::InvalidParameters`] | same | same |
//! | 403 | [`Error::Refused`] | same | same |
//! | 500 | [`Error::ProviderError`] | same | same |
//! | other | [`Error::UnexpectedStatus`] | same | same |
//!
//! Error bodies may be JSON or text; the raw body is always kept in the error.

use http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};
use time::Date;

use crate::body::{json_error_offset, prefix_len};
use crate::dates::{DateError, Layout};
use crate::error::{Cause, Error, RawBody};
use crate::lenient::{Int, Text};
use crate::secret::ServerPassword;

/// The message used for a 202 whose body says nothing.
pub const PENDING_MESSAGE: &str = "pending, will be delivered to your handler";

/// Longest provider message kept in an error's `message` (the raw body is kept whole).
const MESSAGE_LIMIT: usize = 512;

/// Access details of a leased server (the 200 answer to a lease, or a deferred delivery).
///
/// `Debug` shows the password as `[redacted]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDetails {
    /// Server address (may be empty: the provider's own sample has none).
    pub ip: String,
    /// Port, sent as a number or a numeric string.
    pub port: u16,
    /// Login on the server.
    pub login: String,
    /// Password on the server.
    pub password: ServerPassword,
    /// Lease start (`DD.MM.YYYY` on the wire).
    pub created_at: Date,
    /// Lease end (`DD.MM.YYYY` on the wire).
    pub end_at: Date,
    /// The rate leased.
    pub rate: String,
    /// The partner's client id, as sent in the lease.
    pub client_id: String,
    /// The provider's id for the server: what [`super::Recall`] takes. Never empty.
    pub server_id: String,
}

/// What a lease came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseOutcome {
    /// 200: the server is ready.
    Delivered(ServerDetails),
    /// 202: the order is taken; the details will be POSTed to the partner's handler later
    /// (see [`super::callback`]).
    Pending {
        /// The provider's message, or [`PENDING_MESSAGE`] if the body was empty.
        message: String,
    },
}

/// 200 to an extend: the new end of the lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extended {
    /// New lease end.
    pub end_at: Date,
}

/// 200 to a recall (the body `1`): the recall request was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recalled;

/// The body of a 200 answer to a lease as the provider sends it (`port` as a number, dates
/// `DD.MM.YYYY`): for emulators and tests. [`parse_lease`] reads it back.
pub fn details_body(details: &ServerDetails) -> Vec<u8> {
    Value::Object(details_value(details))
        .to_string()
        .into_bytes()
}

/// The JSON object behind [`details_body`].
pub(crate) fn details_value(details: &ServerDetails) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("ip".into(), details.ip.clone().into());
    map.insert("port".into(), details.port.into());
    map.insert("login".into(), details.login.clone().into());
    map.insert("password".into(), details.password.secret().into());
    map.insert("created_at".into(), format_date(details.created_at).into());
    map.insert("end_at".into(), format_date(details.end_at).into());
    map.insert("rate".into(), details.rate.clone().into());
    map.insert("client_id".into(), details.client_id.clone().into());
    map.insert("server_id".into(), details.server_id.clone().into());
    map
}

/// Read a lease answer.
pub fn parse_lease(status: StatusCode, body: &[u8]) -> Result<LeaseOutcome, Error> {
    match status.as_u16() {
        200 => {
            let object = json_object(body)?;
            details_from_object(&object)
                .map(LeaseOutcome::Delivered)
                .map_err(|e| e.into_response_error(body))
        }
        202 => {
            let message = provider_message(body);
            Ok(LeaseOutcome::Pending {
                message: if message.is_empty() {
                    PENDING_MESSAGE.to_owned()
                } else {
                    message
                },
            })
        }
        _ => Err(status_error(status, body)),
    }
}

/// Read an extend answer: `{"end_at": "DD.MM.YYYY"}` (a bare JSON string or plain-text date is
/// also accepted).
pub fn parse_extend(status: StatusCode, body: &[u8]) -> Result<Extended, Error> {
    if status != StatusCode::OK {
        return Err(status_error(status, body));
    }
    let (start, text) = trimmed(body);
    let end_at = match text.first() {
        Some(b'{') => {
            let object = json_object(body)?;
            let value = object
                .get("end_at")
                .ok_or_else(|| FieldError::missing("end_at").into_response_error(body))?;
            date_field("end_at", value).map_err(|e| e.into_response_error(body))?
        }
        Some(b'"') => {
            let s: String = serde_json::from_slice(text)
                .map_err(|e| json_error(body, start, e, "expected the new end_at date"))?;
            parse_date("end_at", &s).map_err(|e| e.into_response_error(body))?
        }
        _ => {
            let s = std::str::from_utf8(text).map_err(|e| Error::MalformedResponse {
                reason: "end_at: not UTF-8 text".into(),
                offset: Some(start + e.valid_up_to()),
                body: RawBody::new(body),
                source: Some(e.into()),
            })?;
            parse_date("end_at", s).map_err(|e| e.into_response_error(body))?
        }
    };
    Ok(Extended { end_at })
}

/// Read a recall answer: `1`, `"1"` or `true`, as JSON or text, surrounding whitespace ignored.
pub fn parse_recall(status: StatusCode, body: &[u8]) -> Result<Recalled, Error> {
    if status != StatusCode::OK {
        return Err(status_error(status, body));
    }
    let (start, text) = trimmed(body);
    match text {
        b"1" | b"\"1\"" | b"true" => Ok(Recalled),
        _ => Err(Error::MalformedResponse {
            reason: "a recall answers `1`".into(),
            offset: Some(start),
            body: RawBody::new(body),
            source: None,
        }),
    }
}

/// The typed error for a status other than the operation's success: 400, 403, 500 or any other.
pub fn status_error(status: StatusCode, body: &[u8]) -> Error {
    let raw = RawBody::new(body);
    match status.as_u16() {
        400 => Error::InvalidParameters {
            message: provider_message(body),
            body: raw,
        },
        403 => Error::Refused {
            message: provider_message(body),
            body: raw,
        },
        500 => Error::ProviderError {
            message: provider_message(body),
            body: raw,
        },
        other => Error::UnexpectedStatus {
            status: other,
            body: raw,
        },
    }
}

/// The human message in an error body: a JSON string, the `message` / `error` / `msg` string
/// of a JSON object (also one level down in an `error` object), or else the text itself,
/// trimmed and cut to 512 characters.
pub fn provider_message(body: &[u8]) -> String {
    let (_, text) = trimmed(body);
    let message = match serde_json::from_slice::<Value>(text) {
        Ok(Value::String(s)) => s,
        Ok(Value::Object(map)) => message_in(&map)
            .or_else(|| match map.get("error") {
                Some(Value::Object(inner)) => message_in(inner),
                _ => None,
            })
            .unwrap_or_else(|| String::from_utf8_lossy(text).into_owned()),
        _ => String::from_utf8_lossy(text).into_owned(),
    };
    let message = message.trim();
    match message.char_indices().nth(MESSAGE_LIMIT) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_owned(),
    }
}

fn message_in(map: &Map<String, Value>) -> Option<String> {
    ["message", "error", "msg"]
        .iter()
        .find_map(|k| match map.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        })
}

/// The body without a UTF-8 BOM and surrounding ASCII whitespace, with its start offset.
fn trimmed(body: &[u8]) -> (usize, &[u8]) {
    let start = prefix_len(body);
    (start, body[start..].trim_ascii_end())
}

/// Parse the body as one JSON object, or report where it stops being one.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, Error> {
    let (start, text) = trimmed(body);
    match serde_json::from_slice::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Error::MalformedResponse {
            reason: format!("expected a JSON object, got {}", kind_of(&other)),
            offset: Some(start),
            body: RawBody::new(body),
            source: None,
        }),
        Err(e) => Err(json_error(body, start, e, "expected a JSON object")),
    }
}

fn json_error(body: &[u8], start: usize, e: serde_json::Error, what: &str) -> Error {
    let (_, text) = trimmed(body);
    Error::MalformedResponse {
        reason: format!("{what}: {e}"),
        offset: Some(start + json_error_offset(text, &e)),
        body: RawBody::new(body),
        source: Some(e.into()),
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A field of a details object that is missing or unreadable.
#[derive(Debug)]
pub(crate) struct FieldError {
    pub(crate) field: &'static str,
    pub(crate) reason: String,
    /// The error behind `reason`, if another decoder's.
    pub(crate) source: Option<Cause>,
}

impl FieldError {
    fn missing(field: &'static str) -> Self {
        FieldError {
            field,
            reason: "missing".into(),
            source: None,
        }
    }

    fn into_response_error(self, body: &[u8]) -> Error {
        Error::MalformedResponse {
            reason: format!("field `{}`: {}", self.field, self.reason),
            offset: None,
            body: RawBody::new(body),
            source: self.source,
        }
    }

    pub(crate) fn into_callback_error(self) -> Error {
        Error::MalformedCallback {
            field: self.field.to_owned(),
            reason: self.reason,
            source: self.source,
        }
    }
}

fn get<'a>(map: &'a Map<String, Value>, field: &'static str) -> Result<&'a Value, FieldError> {
    match map.get(field) {
        None | Some(Value::Null) => Err(FieldError::missing(field)),
        Some(v) => Ok(v),
    }
}

fn text_field(field: &'static str, v: &Value) -> Result<String, FieldError> {
    Text::deserialize(v).map(|t| t.0).map_err(|_| FieldError {
        field,
        reason: format!("expected a string, got {}", kind_of(v)),
        source: None,
    })
}

fn port_field(v: &Value) -> Result<u16, FieldError> {
    let bad = || FieldError {
        field: "port",
        reason: format!("expected a port number 1-65535, got {}", shown(v)),
        source: None,
    };
    let n = Int::deserialize(v).map_err(|_| bad())?.0;
    match u16::try_from(n) {
        Ok(p) if p != 0 => Ok(p),
        _ => Err(bad()),
    }
}

fn date_field(field: &'static str, v: &Value) -> Result<Date, FieldError> {
    match v {
        Value::String(s) => parse_date(field, s),
        other => Err(FieldError {
            field,
            reason: format!("expected a date DD.MM.YYYY, got {}", kind_of(other)),
            source: None,
        }),
    }
}

/// Parse `DD.MM.YYYY` (surrounding whitespace ignored). A day that does not exist keeps
/// `time`'s calendar error as the source.
pub(crate) fn parse_date(field: &'static str, s: &str) -> Result<Date, FieldError> {
    crate::dates::read(s.trim(), Layout::DayFirst).map_err(|e| FieldError {
        field,
        reason: format!("expected a date DD.MM.YYYY, got {:?}: {e}", cut(s)),
        source: match e {
            DateError::Calendar(range) => Some(range.into()),
            DateError::Shape(_) => None,
        },
    })
}

/// Format a date as `DD.MM.YYYY`.
pub(crate) fn format_date(d: Date) -> String {
    crate::dates::write(d, Layout::DayFirst)
}

/// A non-secret value for an error message, cut short.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{:?}", cut(s)),
        Value::Number(n) => n.to_string(),
        other => kind_of(other).to_owned(),
    }
}

fn cut(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Read the details fields of a 200 answer or a callback. Unknown fields are ignored.
pub(crate) fn details_from_object(map: &Map<String, Value>) -> Result<ServerDetails, FieldError> {
    let password = get(map, "password")?;
    let password = ServerPassword::deserialize(password).map_err(|_| FieldError {
        field: "password",
        reason: format!("expected a string, got {}", kind_of(password)),
        source: None,
    })?;
    let server_id = text_field("server_id", get(map, "server_id")?)?;
    if server_id.trim().is_empty() {
        return Err(FieldError {
            field: "server_id",
            reason: "empty".into(),
            source: None,
        });
    }
    Ok(ServerDetails {
        ip: text_field("ip", get(map, "ip")?)?,
        port: port_field(get(map, "port")?)?,
        login: text_field("login", get(map, "login")?)?,
        password,
        created_at: date_field("created_at", get(map, "created_at")?)?,
        end_at: date_field("end_at", get(map, "end_at")?)?,
        rate: text_field("rate", get(map, "rate")?)?,
        client_id: text_field("client_id", get(map, "client_id")?)?,
        server_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ok(body: &str) -> Result<LeaseOutcome, Error> {
        parse_lease(StatusCode::OK, body.as_bytes())
    }

    const SAMPLE: &str = r#"{"ip":"","port":8015,"login":"Admin","password":"4iJtCt7","created_at":"01.07.2020","end_at":"02.08.2020","rate":"france_classic","client_id":"ID16773","server_id":"ID16773"}"#;

    #[test]
    fn documented_sample_parses() {
        let LeaseOutcome::Delivered(d) = ok(SAMPLE).unwrap() else {
            panic!("not delivered")
        };
        assert_eq!(d.port, 8015);
        assert_eq!(d.login, "Admin");
        assert_eq!(d.password.secret(), "4iJtCt7");
        assert_eq!(d.created_at, date!(2020 - 07 - 01));
        assert_eq!(d.end_at, date!(2020 - 08 - 02));
        assert_eq!(d.server_id, "ID16773");
        assert!(!format!("{d:?}").contains("4iJtCt7"));
    }

    #[test]
    fn bad_port_and_dates_name_the_field() {
        for (from, to, field) in [
            ("8015", "\"80x\"", "port"),
            ("8015", "70000", "port"),
            ("8015", "0", "port"),
            ("\"02.08.2020\"", "\"2020-08-02\"", "end_at"),
            ("\"02.08.2020\"", "\"31.02.2020\"", "end_at"),
            ("\"01.07.2020\"", "20200701", "created_at"),
        ] {
            let body = SAMPLE.replacen(from, to, 1);
            match ok(&body).unwrap_err() {
                Error::MalformedResponse {
                    reason, body: raw, ..
                } => {
                    assert!(reason.contains(&format!("`{field}`")), "{reason}");
                    assert_eq!(raw.as_bytes(), body.as_bytes());
                }
                e => panic!("{e:?}"),
            }
        }
    }

    #[test]
    fn syntax_error_offset_is_in_bytes() {
        let body = b"\xEF\xBB\xBF\n {\"ip\": ,}";
        match parse_lease(StatusCode::OK, body).unwrap_err() {
            Error::MalformedResponse { offset, .. } => {
                assert_eq!(offset, Some(12));
                assert_eq!(body[12], b',');
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn messages_from_json_or_text() {
        assert_eq!(provider_message(b"  bad term \n"), "bad term");
        assert_eq!(provider_message(br#"{"message":"bad hash"}"#), "bad hash");
        assert_eq!(provider_message(br#"{"code":3,"msg":"m"}"#), "m");
        assert_eq!(provider_message(br#"{"error":{"message":"deep"}}"#), "deep");
        assert_eq!(provider_message(br#""quoted""#), "quoted");
        assert_eq!(provider_message(br#"{"x":1}"#), r#"{"x":1}"#);
        let long = "я".repeat(600);
        let m = provider_message(long.as_bytes());
        assert_eq!(m.chars().count(), 513);
        assert!(m.ends_with('…'));
    }

    #[test]
    fn recall_accepts_one_forms_only() {
        for body in ["1", " 1\n", "\"1\"", "true", "\r\n\"1\" "] {
            assert_eq!(
                parse_recall(StatusCode::OK, body.as_bytes()).unwrap(),
                Recalled
            );
        }
        for body in ["0", "", "false", "11", "{\"result\":1}"] {
            assert!(matches!(
                parse_recall(StatusCode::OK, body.as_bytes()),
                Err(Error::MalformedResponse { .. })
            ));
        }
    }

    #[test]
    fn extend_accepts_object_string_or_text() {
        for body in [
            r#"{"end_at":"02.08.2020"}"#,
            r#""02.08.2020""#,
            " 02.08.2020\n",
        ] {
            assert_eq!(
                parse_extend(StatusCode::OK, body.as_bytes())
                    .unwrap()
                    .end_at,
                date!(2020 - 08 - 02),
                "{body}"
            );
        }
        assert_eq!(format_date(date!(2020 - 08 - 02)), "02.08.2020");
    }
}
