//! Failures as they cross the ABI: the status numbers and the error handle.

use std::ffi::{c_char, CString};

use serde_json::json;
use vpsgate_core::{Error, ErrorCode};

use crate::{vpsgate_error, vpsgate_status, vpsgate_status_code};

/// The status of a core error code. Exhaustive, no `_` arm: a new core code cannot compile until
/// the C library has a number for it.
pub(crate) fn status_of(code: ErrorCode) -> vpsgate_status_code {
    use vpsgate_status_code::*;
    match code {
        ErrorCode::InvalidInput => VPSGATE_INVALID_INPUT,
        ErrorCode::PhpSyntax => VPSGATE_PHP_SYNTAX,
        ErrorCode::JsonSyntax => VPSGATE_JSON_SYNTAX,
        ErrorCode::Serialize => VPSGATE_SERIALIZE,
        ErrorCode::MalformedResponse => VPSGATE_MALFORMED_RESPONSE,
        ErrorCode::UnexpectedStatus => VPSGATE_UNEXPECTED_STATUS,
        ErrorCode::Gateway => VPSGATE_GATEWAY,
        ErrorCode::InvalidParameters => VPSGATE_INVALID_PARAMETERS,
        ErrorCode::Refused => VPSGATE_REFUSED,
        ErrorCode::ProviderError => VPSGATE_PROVIDER_ERROR,
        ErrorCode::BadSignature => VPSGATE_BAD_SIGNATURE,
        ErrorCode::MalformedCallback => VPSGATE_MALFORMED_CALLBACK,
        ErrorCode::PayloadTooLarge => VPSGATE_PAYLOAD_TOO_LARGE,
        ErrorCode::Unsupported => VPSGATE_UNSUPPORTED,
        ErrorCode::Timeout => VPSGATE_TIMEOUT,
        ErrorCode::Connect => VPSGATE_CONNECT,
        ErrorCode::InsecureUrl => VPSGATE_INSECURE_URL,
        ErrorCode::Redirect => VPSGATE_REDIRECT,
        ErrorCode::TransportOther => VPSGATE_TRANSPORT,
    }
}

/// The stable name of a status (`"ok"`, the core's names, then the face's own).
pub(crate) fn status_name(status: u32) -> &'static str {
    use vpsgate_status_code::*;
    match status_from_u32(status) {
        Some(VPSGATE_OK) => "ok",
        Some(VPSGATE_PANIC) => "panic",
        Some(VPSGATE_NULL_ARGUMENT) => "null_argument",
        Some(VPSGATE_INVALID_UTF8) => "invalid_utf8",
        Some(VPSGATE_INVALID_ARGUMENT) => "invalid_argument",
        Some(_) => ErrorCode::ALL
            .iter()
            .find(|c| c.number() == status)
            .map_or("unknown", |c| c.name()),
        None => "unknown",
    }
}

/// The status code with number `n`, if there is one.
pub(crate) fn status_from_u32(n: u32) -> Option<vpsgate_status_code> {
    use vpsgate_status_code::*;
    const ALL: [vpsgate_status_code; 24] = [
        VPSGATE_OK,
        VPSGATE_INVALID_INPUT,
        VPSGATE_PHP_SYNTAX,
        VPSGATE_JSON_SYNTAX,
        VPSGATE_SERIALIZE,
        VPSGATE_MALFORMED_RESPONSE,
        VPSGATE_UNEXPECTED_STATUS,
        VPSGATE_GATEWAY,
        VPSGATE_INVALID_PARAMETERS,
        VPSGATE_REFUSED,
        VPSGATE_PROVIDER_ERROR,
        VPSGATE_BAD_SIGNATURE,
        VPSGATE_MALFORMED_CALLBACK,
        VPSGATE_PAYLOAD_TOO_LARGE,
        VPSGATE_UNSUPPORTED,
        VPSGATE_TIMEOUT,
        VPSGATE_CONNECT,
        VPSGATE_INSECURE_URL,
        VPSGATE_REDIRECT,
        VPSGATE_TRANSPORT,
        VPSGATE_PANIC,
        VPSGATE_NULL_ARGUMENT,
        VPSGATE_INVALID_UTF8,
        VPSGATE_INVALID_ARGUMENT,
    ];
    ALL.into_iter().find(|s| *s as u32 == n)
}

/// A failure of the face itself (not of the core), with the argument at fault if any.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A core error.
    Core(Error),
    /// A face error: status >= 100.
    Face {
        status: vpsgate_status_code,
        message: String,
        field: Option<&'static str>,
    },
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl Failure {
    pub(crate) fn null(field: &'static str) -> Self {
        Failure::Face {
            status: vpsgate_status_code::VPSGATE_NULL_ARGUMENT,
            message: format!("`{field}` is NULL"),
            field: Some(field),
        }
    }

    pub(crate) fn utf8(field: &'static str, valid_up_to: usize) -> Self {
        Failure::Face {
            status: vpsgate_status_code::VPSGATE_INVALID_UTF8,
            message: format!("`{field}` is not valid UTF-8 (after byte {valid_up_to})"),
            field: Some(field),
        }
    }

    pub(crate) fn argument(field: &'static str, message: impl Into<String>) -> Self {
        Failure::Face {
            status: vpsgate_status_code::VPSGATE_INVALID_ARGUMENT,
            message: format!("`{field}`: {}", message.into()),
            field: Some(field),
        }
    }

    pub(crate) fn panic(export: &'static str, text: &str) -> Self {
        Failure::Face {
            status: vpsgate_status_code::VPSGATE_PANIC,
            message: format!("panic inside {export}: {text}"),
            field: None,
        }
    }

    pub(crate) fn status(&self) -> vpsgate_status {
        match self {
            Failure::Core(e) => status_of(e.code()) as vpsgate_status,
            Failure::Face { status, .. } => *status as vpsgate_status,
        }
    }
}

/// `s` as a C string; a NUL byte (never in the library's texts, but a caller's input may echo
/// one back) becomes U+FFFD.
pub(crate) fn c_string(s: String) -> CString {
    CString::new(s).unwrap_or_else(|e| {
        let text = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\u{fffd}");
        CString::new(text).unwrap_or_default()
    })
}

impl vpsgate_error {
    pub(crate) fn from_failure(failure: Failure) -> vpsgate_error {
        let status = failure.status();
        let (message, upstream, outcome_unknown, json) = match &failure {
            Failure::Core(e) => (
                e.to_string(),
                e.upstream_code(),
                e.outcome_unknown(),
                vpsgate_core::contract::error(e),
            ),
            Failure::Face { message, field, .. } => (
                message.clone(),
                None,
                false,
                json!({
                    "code": status,
                    "name": status_name(status),
                    "message": message,
                    "upstream_code": null,
                    "field": field,
                    "offset": null,
                    "raw_body": null,
                    "outcome_unknown": false,
                }),
            ),
        };
        vpsgate_error {
            status,
            upstream,
            outcome_unknown,
            name: status_name(status),
            message: c_string(message),
            json: c_string(json.to_string()),
        }
    }

    pub(crate) fn message_ptr(&self) -> *const c_char {
        self.message.as_ptr()
    }
}

/// Store `failure` in `*out_error` when `out_error` is not NULL.
pub(crate) fn set_error(out_error: *mut *mut vpsgate_error, failure: Failure) {
    if out_error.is_null() {
        return;
    }
    let handle = Box::into_raw(Box::new(vpsgate_error::from_failure(failure)));
    // SAFETY: the caller passed a writable `vpsgate_error **` (documented on every export).
    unsafe { *out_error = handle };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_codes_keep_their_numbers() {
        for code in ErrorCode::ALL {
            assert_eq!(status_of(code) as u32, code.number(), "{code:?}");
            assert_eq!(status_name(code.number()), code.name());
        }
        assert_eq!(status_name(100), "panic");
        assert_eq!(status_name(103), "invalid_argument");
        assert_eq!(status_name(20), "unknown");
        assert!(status_from_u32(104).is_none());
    }

    #[test]
    fn face_errors_have_the_contract_shape() {
        let e = vpsgate_error::from_failure(Failure::null("out_json"));
        let v: serde_json::Value = serde_json::from_slice(e.json.as_bytes()).unwrap();
        assert_eq!(v["code"], 101);
        assert_eq!(v["name"], "null_argument");
        assert_eq!(v["field"], "out_json");
        assert_eq!(v["outcome_unknown"], false);
        assert_eq!(e.message.to_str().unwrap(), "`out_json` is NULL");
    }

    #[test]
    fn nul_bytes_never_cut_a_string() {
        assert_eq!(c_string("a\0b".into()).to_str().unwrap(), "a\u{fffd}b");
    }
}
