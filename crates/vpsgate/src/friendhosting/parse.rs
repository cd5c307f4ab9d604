//! Reading an answer: format detection, the `status`/`errorCode`/`errorMsg` envelope, and the
//! typed fields, in one pass over the body.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::de::{
    self, value::MapAccessDeserializer, DeserializeSeed, Deserializer, IgnoredAny, MapAccess,
    Visitor,
};
use serde::Deserialize;

use super::codes::{GatewayCode, GatewayError, Warning, WarningCode};
use super::format::{detect, Format};
use crate::body::{json_error_offset, prefix_len};
use crate::error::{Cause, Error, RawBody};
use crate::lenient::Text;

/// A successful answer: the typed fields, and the non-critical warning (codes 30/31, or an
/// unknown code) the gateway attached, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer<T> {
    /// The answer's fields.
    pub data: T,
    /// Set when the command was executed (or will be) with a caveat.
    pub warning: Option<Warning>,
}

/// Read a gateway answer; the format is judged from the body (see [`detect`]), PHP assumed
/// when it cannot be told.
///
/// - `status` = `ERROR`: [`Error::Gateway`] with the typed `errorCode` and `errorMsg`.
/// - `status` = `SUCCESS`: the typed fields, with a [`Warning`] when a non-zero `errorCode` or a
///   non-empty `errorMsg` came along (30, 31, or any other code kept as
///   [`WarningCode::Unknown`]; a message without a code is `Unknown(0)`).
/// - anything else (not PHP nor JSON, truncated, not a map, no `status`, a field of the wrong
///   shape): [`Error::MalformedResponse`] with the body and, where known, the byte offset.
/// - a non-2xx HTTP status whose body is not a gateway answer: [`Error::UnexpectedStatus`].
///   A gateway answer is believed whatever the HTTP status.
///
/// `headers` are not consulted: the gateway's `Content-Type` is not reliable.
///
/// `T` may borrow from `body` (`&'de str`, `Cow<'de, str>` with `#[serde(borrow)]`): strings
/// written verbatim in the answer are then not copied.
pub fn parse<'de, T: Deserialize<'de>>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &'de [u8],
) -> Result<Answer<T>, Error> {
    parse_hinted(Format::Php, status, headers, body)
}

/// [`parse`], with `hint` choosing the decoder (and so the error report) for a body whose
/// format cannot be told from its first bytes.
pub fn parse_hinted<'de, T: Deserialize<'de>>(
    hint: Format,
    status: StatusCode,
    headers: &HeaderMap,
    body: &'de [u8],
) -> Result<Answer<T>, Error> {
    let _ = headers;
    unexpected_status(status, decode::<T>(hint, body))
}

/// [`parse_hinted`] for the library's own clients, whose answer types are owned. In the wasm32
/// build (the npm package) a PHP body is transcoded to JSON ([`crate::php::to_json_bytes`]) and
/// read by the JSON decoder, so that one typed decoder is compiled in instead of two (43 KB
/// less gzipped `.wasm`); elsewhere this is exactly [`parse_hinted`]. A target, not a feature:
/// a feature would be unified into every crate of a workspace build.
///
/// What the wasm32 way changes, all on broken or unusual answers, is listed in
/// `docs/CONTRACT.md` ("Broken PHP answers in the npm package").
pub(crate) fn read_answer<T: DeserializeOwned>(
    hint: Format,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Answer<T>, Error> {
    if !cfg!(target_arch = "wasm32") {
        return parse_hinted(hint, status, headers, body);
    }
    unexpected_status(status, decode_via_json(hint, body))
}

fn unexpected_status<T>(status: StatusCode, result: Result<T, Error>) -> Result<T, Error> {
    match result {
        Err(Error::MalformedResponse { body, .. }) if !status.is_success() => {
            Err(Error::UnexpectedStatus {
                status: status.as_u16(),
                body,
            })
        }
        other => other,
    }
}

/// [`decode`], a PHP body going through JSON (see [`read_answer`]).
fn decode_via_json<T: DeserializeOwned>(hint: Format, body: &[u8]) -> Result<Answer<T>, Error> {
    let (start, format) = start_and_format(hint, body)?;
    let input = &body[start..];
    if format == Format::Json {
        return decode_json(start, body);
    }
    // Checked once, here, for the transcoder and for the refusal below (after the transcoder,
    // so that a syntax error is reported first).
    let utf8 = std::str::from_utf8(input);
    let json =
        crate::php::to_json_bytes_valid(input, &crate::php::Options::default(), utf8.is_ok())
            .map_err(|e| php_malformed(e, start, body))?;
    // Every byte outside a string is ASCII in a well-formed answer, so a bad byte is in a
    // string, which the transcoder would have replaced by U+FFFD.
    if let Err(e) = utf8 {
        return Err(malformed(
            "a string in the PHP answer is not valid UTF-8",
            Some(start + e.valid_up_to()),
            body,
        ));
    }
    let envelope: Envelope<T> = serde_json::from_slice(&json).map_err(|e| {
        let reason = format!("not a PHP serialize() answer: {e}");
        malformed_by(e, reason, None, body)
    })?;
    envelope.finish(body, || json_misfit::<T>(&json))
}

fn php_malformed(e: crate::php::Error, start: usize, body: &[u8]) -> Error {
    let reason = format!("not a PHP serialize() answer: {}", e.kind);
    let offset = e.offset.map(|o| start + o);
    malformed_by(e, reason, offset, body)
}

fn malformed(reason: impl Into<String>, offset: Option<usize>, body: &[u8]) -> Error {
    Error::MalformedResponse {
        reason: reason.into(),
        offset,
        body: RawBody::new(body),
        source: None,
    }
}

/// [`malformed`], keeping the decoder's error as the [`std::error::Error::source`].
fn malformed_by(
    cause: impl Into<Cause>,
    reason: String,
    offset: Option<usize>,
    body: &[u8],
) -> Error {
    Error::MalformedResponse {
        reason,
        offset,
        body: RawBody::new(body),
        source: Some(cause.into()),
    }
}

fn decode<'de, T: Deserialize<'de>>(hint: Format, body: &'de [u8]) -> Result<Answer<T>, Error> {
    let (start, format) = start_and_format(hint, body)?;
    match format {
        Format::Php => decode_php(start, body),
        Format::Json => decode_json(start, body),
    }
}

/// Where the answer starts (after a byte-order mark or blank lines) and its format.
fn start_and_format(hint: Format, body: &[u8]) -> Result<(usize, Format), Error> {
    let start = prefix_len(body);
    if start == body.len() {
        return Err(malformed("empty body", Some(start), body));
    }
    Ok((start, detect(body).unwrap_or(hint)))
}

/// A PHP answer. The envelope reads on past a misfitting field (an ERROR envelope may follow
/// it), so on a broken answer the typed pass can fail on a later symptom: the error reported is
/// then the first syntax error, found by a plain parse (on this error path only); the same for
/// [`decode_json`].
fn decode_php<'de, T: Deserialize<'de>>(start: usize, body: &'de [u8]) -> Result<Answer<T>, Error> {
    let input = &body[start..];
    let envelope: Envelope<T> = crate::php::from_bytes(input).map_err(|e| {
        let first = crate::php::parse(input).err().unwrap_or(e);
        php_malformed(first, start, body)
    })?;
    envelope.finish(body, || {
        crate::php::from_bytes::<StopAtMisfit<T>>(input)
            .err()
            .map(Cause::from)
    })
}

/// A JSON answer.
fn decode_json<'de, T: Deserialize<'de>>(
    start: usize,
    body: &'de [u8],
) -> Result<Answer<T>, Error> {
    let input = &body[start..];
    let envelope: Envelope<T> = serde_json::from_slice(input).map_err(|e| {
        let e = serde_json::from_slice::<IgnoredAny>(input)
            .err()
            .unwrap_or(e);
        let offset = if e.is_eof() {
            input.len()
        } else {
            json_error_offset(input, &e)
        };
        let reason = format!("not a JSON answer: {e}");
        malformed_by(e, reason, Some(start + offset), body)
    })?;
    envelope.finish(body, || json_misfit::<T>(input))
}

/// The decoder's error behind a SUCCESS answer whose fields do not fit `T`. The first pass
/// reads on past a misfit (an ERROR envelope may follow it) and keeps only its text; on this
/// error path alone the body is decoded again, stopping at the misfit with the typed error.
fn json_misfit<'de, T: Deserialize<'de>>(input: &'de [u8]) -> Option<Cause> {
    serde_json::from_slice::<StopAtMisfit<T>>(input)
        .err()
        .map(Cause::from)
}

/// The whole answer as decoded: the envelope fields and the typed rest.
struct Envelope<T> {
    status: Option<String>,
    code: Option<CodeValue>,
    message: Option<String>,
    data: Result<T, String>,
}

impl<T> Envelope<T> {
    /// The answer, or the error it stands for; `misfit` finds the typed cause of a SUCCESS
    /// answer whose fields do not fit.
    fn finish(
        self,
        body: &[u8],
        misfit: impl FnOnce() -> Option<Cause>,
    ) -> Result<Answer<T>, Error> {
        let warning = outcome(self.status, self.code, self.message, body)?;
        let data = self.data.map_err(|e| Error::MalformedResponse {
            reason: format!("SUCCESS answer does not fit: {e}"),
            offset: None,
            body: RawBody::new(body),
            source: misfit(),
        })?;
        Ok(Answer { data, warning })
    }
}

/// What an envelope's `status`, `errorCode` and `errorMessage` say, whatever its data: the
/// warning a SUCCESS carries, or the error an ERROR (or a broken envelope) stands for. Kept out of
/// the generic [`Envelope::finish`] so that it is compiled once, not once per answer type (the
/// npm package's wasm carried 13 copies).
fn outcome(
    status: Option<String>,
    code: Option<CodeValue>,
    message: Option<String>,
    body: &[u8],
) -> Result<Option<Warning>, Error> {
    let message = message.unwrap_or_default();
    let code = match code {
        None | Some(CodeValue::Blank) => None,
        Some(CodeValue::Number(n)) => Some(n),
        Some(CodeValue::Text(t)) => {
            return Err(malformed(
                format!("errorCode `{t}` is not a number"),
                None,
                body,
            ))
        }
    };
    let Some(status) = status else {
        return Err(malformed("the answer has no `status` field", None, body));
    };
    if status.trim().eq_ignore_ascii_case("ERROR") {
        // An ERROR without a code still means "not executed"; 0 marks the missing code.
        return Err(Error::Gateway(GatewayError {
            code: GatewayCode::from_number(code.unwrap_or(0)),
            message,
        }));
    }
    if !status.trim().eq_ignore_ascii_case("SUCCESS") {
        return Err(malformed(
            format!("unknown status `{status}` (expected SUCCESS or ERROR)"),
            None,
            body,
        ));
    }
    Ok(match code {
        Some(0) | None if message.is_empty() => None,
        n => Some(Warning {
            code: WarningCode::from_number_or_unknown(n.unwrap_or(0)),
            message,
        }),
    })
}

/// `errorCode` as sent: an int, a numeric string, blank, or junk.
enum CodeValue {
    Number(i64),
    Blank,
    Text(String),
}

impl<'de> Deserialize<'de> for CodeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Some(Text(t)) = super::de::blank::<D, Text>(d)? else {
            return Ok(CodeValue::Blank);
        };
        let trimmed = t.trim();
        if let Ok(n) = trimmed.parse::<i64>() {
            return Ok(CodeValue::Number(n));
        }
        match crate::php::parse_float(trimmed) {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(CodeValue::Number(f as i64)),
            _ => Ok(CodeValue::Text(t)),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EnvelopeVisitor {
            stop_at_misfit: false,
            marker: PhantomData,
        })
    }
}

/// An [`Envelope`] whose decoding fails with the typed part's own error, see [`decode_php`].
struct StopAtMisfit<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for StopAtMisfit<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EnvelopeVisitor::<T> {
            stop_at_misfit: true,
            marker: PhantomData,
        })
        .map(|_| StopAtMisfit(PhantomData))
    }
}

struct EnvelopeVisitor<T> {
    /// Fail with the typed part's error (after reading the map to its end) instead of keeping
    /// its text.
    stop_at_misfit: bool,
    marker: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Envelope<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a gateway answer (a map with `status`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut head = Head::default();
        let data = {
            let mut intercept = Intercept {
                map: &mut map,
                head: &mut head,
                current: None,
                fault: false,
            };
            let data = T::deserialize(MapAccessDeserializer::new(&mut intercept));
            match data {
                Ok(v) => Ok(v),
                Err(e) => {
                    // A decoding fault in the typed part matters only for a SUCCESS answer;
                    // keep reading so an ERROR envelope after it is still seen.
                    let text = match intercept.current.take() {
                        Some(field) => format!("field `{field}`: {e}"),
                        None => e.to_string(),
                    };
                    if !intercept.fault {
                        // The fault happened in the typed part's own logic (e.g. a missing
                        // field) after every entry was read, or mid-value: try to finish the map.
                        while intercept.next_key::<IgnoredAny>()?.is_some() {
                            intercept.next_value::<IgnoredAny>()?;
                        }
                    } else {
                        return Err(e);
                    }
                    if self.stop_at_misfit {
                        return Err(e);
                    }
                    Err(text)
                }
            }
        };
        Ok(Envelope {
            status: head.status,
            code: head.code,
            message: head.message,
            data,
        })
    }
}

#[derive(Default)]
struct Head {
    status: Option<String>,
    code: Option<CodeValue>,
    message: Option<String>,
}

/// Hands the typed part every top-level entry except `status`, `errorCode` and `errorMsg`,
/// which it keeps in `head`.
struct Intercept<'m, 'h, A> {
    map: &'m mut A,
    head: &'h mut Head,
    /// The top-level field being decoded, for error messages.
    current: Option<String>,
    /// Set when the underlying decoder itself failed (the input is broken, stop reading).
    fault: bool,
}

/// A top-level key, captured so it can be checked and then handed on.
enum CapturedKey<'de> {
    Str(Cow<'de, str>),
    Bytes(Cow<'de, [u8]>),
}

impl<'de> Deserialize<'de> for CapturedKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CapturedKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CapturedKey::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CapturedKey::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CapturedKey::Str(Cow::Owned(v)))
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
                Ok(match std::str::from_utf8(v) {
                    Ok(s) => CapturedKey::Str(Cow::Borrowed(s)),
                    Err(_) => CapturedKey::Bytes(Cow::Borrowed(v)),
                })
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                Ok(match std::str::from_utf8(v) {
                    Ok(s) => CapturedKey::Str(Cow::Owned(s.to_owned())),
                    Err(_) => CapturedKey::Bytes(Cow::Owned(v.to_vec())),
                })
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
                self.visit_bytes(&v)
            }
            // Integer keys are handed on as their decimal text: a typed struct must not read a
            // top-level `0` key as "field number 0".
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(CapturedKey::Str(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(CapturedKey::Str(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Intercept<'_, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        loop {
            let key = match self.map.next_key::<CapturedKey<'de>>() {
                Ok(Some(k)) => k,
                Ok(None) => return Ok(None),
                Err(e) => {
                    self.fault = true;
                    return Err(e);
                }
            };
            let name = match &key {
                CapturedKey::Str(s) => s.as_ref(),
                CapturedKey::Bytes(_) => "",
            };
            let read = match name {
                "status" => self
                    .map
                    .next_value::<Text>()
                    .map(|t| self.head.status = Some(t.0)),
                "errorCode" => self
                    .map
                    .next_value::<CodeValue>()
                    .map(|c| self.head.code = Some(c)),
                "errorMsg" => self
                    .map
                    .next_value::<Option<Text>>()
                    .map(|t| self.head.message = t.map(|t| t.0)),
                _ => {
                    self.current = Some(name.to_owned());
                    return match key {
                        CapturedKey::Str(Cow::Borrowed(s)) => {
                            seed.deserialize(de::value::BorrowedStrDeserializer::new(s))
                        }
                        CapturedKey::Str(Cow::Owned(s)) => {
                            seed.deserialize(de::value::StringDeserializer::new(s))
                        }
                        CapturedKey::Bytes(Cow::Borrowed(b)) => {
                            seed.deserialize(de::value::BorrowedBytesDeserializer::new(b))
                        }
                        CapturedKey::Bytes(Cow::Owned(b)) => {
                            seed.deserialize(de::value::BytesDeserializer::new(&b))
                        }
                    }
                    .map(Some);
                }
            };
            if let Err(e) = read {
                self.fault = true;
                return Err(e);
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self.map.next_value_seed(seed)?;
        self.current = None;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        BalanceAnswer, CreateOrderAnswer, OrderAnswer, OrdersAnswer, RenewOrderAnswer, TarifsAnswer,
    };
    use super::*;

    /// Both ways of reading a PHP answer give the same answer or the same kind of error
    /// (the gateway's own code included), on `body` read as `T`.
    fn both_ways<T: DeserializeOwned + PartialEq + fmt::Debug>(name: &str, body: &[u8]) -> bool {
        let direct = decode::<T>(Format::Php, body);
        let via = decode_via_json::<T>(Format::Php, body);
        match (&direct, &via) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}"),
            (Err(Error::Gateway(a)), Err(Error::Gateway(b))) => assert_eq!(a, b, "{name}"),
            (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{name}: {a} / {b}"),
            _ => panic!("{name}: {direct:?} / {via:?}"),
        }
        direct.is_ok()
    }

    #[test]
    fn php_answers_read_the_same_through_json() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/friendhosting");
        let mut read = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("ser") {
                continue;
            }
            let name = path.display().to_string();
            let body = std::fs::read(&path).unwrap();
            read += usize::from(both_ways::<OrdersAnswer>(&name, &body));
            read += usize::from(both_ways::<TarifsAnswer>(&name, &body));
            read += usize::from(both_ways::<CreateOrderAnswer>(&name, &body));
            read += usize::from(both_ways::<RenewOrderAnswer>(&name, &body));
            read += usize::from(both_ways::<OrderAnswer>(&name, &body));
            read += usize::from(both_ways::<BalanceAnswer>(&name, &body));
        }
        // Most fixtures are answers every type reads (unknown fields are ignored); the point
        // is that both ways agree, on successes as on errors.
        assert!(read > 100, "{read} answers read");
    }

    #[test]
    fn through_json_keeps_offsets_and_refuses_what_it_cannot_carry() {
        // A broken answer: the PHP offset, as the direct way reports it.
        let body = b"a:2:{s:6:\"status\";s:7:\"SUCCESS\";s:7:\"orderid\";s:9:\"1\";}";
        let (a, b) = (
            decode::<OrderAnswer>(Format::Php, body).unwrap_err(),
            decode_via_json::<OrderAnswer>(Format::Php, body).unwrap_err(),
        );
        match (&a, &b) {
            (
                Error::MalformedResponse {
                    offset: Some(x),
                    reason: r1,
                    ..
                },
                Error::MalformedResponse {
                    offset: Some(y),
                    reason: r2,
                    ..
                },
            ) => {
                assert_eq!((x, r1), (y, r2));
                // The length that runs past the end, not a later symptom of it.
                assert_eq!(*x, 48);
                assert!(r1.contains("declared length 9"), "{r1}");
            }
            _ => panic!("{a:?} / {b:?}"),
        }
        // The same in JSON: the bad escape inside a field's value, not what follows it.
        let body = br#"{"status":"SUCCESS","orderid":"1\u12","x":1}"#;
        match decode::<OrderAnswer>(Format::Json, body).unwrap_err() {
            Error::MalformedResponse { offset, reason, .. } => {
                let at = body.windows(2).position(|w| w == br"\u").unwrap();
                assert!(
                    offset.is_some_and(|o| (at..at + 6).contains(&o)),
                    "{offset:?} {reason}"
                );
                assert!(reason.contains("escape"), "{reason}");
            }
            e => panic!("{e:?}"),
        }
        // A string that is not UTF-8: refused with the offset of its first bad byte, never
        // replaced by U+FFFD.
        let body = b"a:2:{s:6:\"status\";s:7:\"SUCCESS\";s:7:\"orderid\";s:2:\"1\xff\";}";
        match decode_via_json::<OrderAnswer>(Format::Php, body).unwrap_err() {
            Error::MalformedResponse { offset, reason, .. } => {
                assert_eq!(offset, Some(body.iter().position(|&c| c == 0xff).unwrap()));
                assert!(reason.contains("UTF-8"), "{reason}");
            }
            e => panic!("{e:?}"),
        }
        assert!(decode::<OrderAnswer>(Format::Php, body).is_err());
        // The HTTP status rule is the same.
        let e = read_answer::<OrderAnswer>(
            Format::Php,
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"<html>",
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::UnexpectedStatus { status: 502, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn envelope_is_read_in_any_position() {
        let a: Answer<super::super::OrderAnswer> = decode(
            Format::Json,
            br#"{"orderid":"1","errorMsg":"m","status":"SUCCESS","errorCode":31}"#,
        )
        .unwrap();
        assert_eq!(a.data.orderid.as_deref(), Some("1"));
        let w = a.warning.unwrap();
        assert_eq!(w.code, WarningCode::AwaitingPayment);
        assert_eq!(w.message, "m");
    }
}
