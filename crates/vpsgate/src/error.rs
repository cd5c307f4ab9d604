//! The one error type of the core, and the stable numbers every face (C, PHP, JS, CLI) reports.

use std::fmt;

use crate::php;

/// Every failure the core can report.
///
/// Each variant maps to one stable [`ErrorCode`] through [`Error::code`]; an upstream error code
/// (Friendhosting's `errorCode`, GoVPSFX's HTTP status) travels alongside, see
/// [`Error::upstream_code`]. No variant ever carries a secret in its `Debug` or `Display` text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A request could not be built: a field is missing, empty or outside its allowed values.
    /// Nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The request field (or setting) at fault, e.g. `term`.
        field: &'static str,
        /// What was wrong with it.
        reason: String,
    },

    /// Bytes given to the PHP `unserialize()` codec are not valid serialized data.
    #[error("malformed PHP serialize data: {0}")]
    Php(#[from] php::Error),

    /// Bytes given to the JSON decoder are not valid JSON (or do not fit the expected shape).
    #[error("malformed JSON at byte {offset}: {message}")]
    Json {
        /// Byte offset into the input where the decoder stopped.
        offset: usize,
        /// What the decoder expected there.
        message: String,
        /// The decoder's own error (e.g. a `serde_json::Error`), the [`std::error::Error::source`].
        #[source]
        source: Option<Cause>,
    },

    /// A value could not be written in PHP `serialize()` format.
    #[error("cannot serialize to PHP format: {0}")]
    Serialize(String),

    /// An upstream answer is neither valid PHP `serialize()` output nor JSON, or lacks a field
    /// the answer must have (an HTML error page, an empty or truncated body, ...).
    #[error("malformed response{}: {reason}", offset.map(|o| format!(" at byte {o}")).unwrap_or_default())]
    MalformedResponse {
        /// What was wrong.
        reason: String,
        /// Byte offset into the body, where one is known.
        offset: Option<usize>,
        /// The body exactly as received.
        body: RawBody,
        /// The decoder's own error ([`php::Error`], `serde_json::Error`, ...) where one caused
        /// this, the [`std::error::Error::source`]; `reason` already includes its text.
        #[source]
        source: Option<Cause>,
    },

    /// The upstream answered with an HTTP status the API does not define.
    #[error("unexpected HTTP status {status}")]
    UnexpectedStatus {
        /// The HTTP status code.
        status: u16,
        /// The body exactly as received.
        body: RawBody,
    },

    /// Friendhosting / RootPanel answered `status = ERROR`: a critical error, the command was
    /// not executed.
    #[error("gateway error {}: {}", .0.code.number(), .0.message)]
    Gateway(crate::friendhosting::GatewayError),

    /// GoVPSFX answered 400: invalid parameters.
    #[error("invalid parameters (HTTP 400): {message}")]
    InvalidParameters {
        /// The provider's message (text, or the `message`/`error` of a JSON body).
        message: String,
        /// The body exactly as received.
        body: RawBody,
    },

    /// GoVPSFX answered 403: bad hash, or the request was refused.
    #[error("refused (HTTP 403): {message}")]
    Refused {
        /// The provider's message.
        message: String,
        /// The body exactly as received.
        body: RawBody,
    },

    /// GoVPSFX answered 500: provider-side failure; contact their support.
    #[error("provider error (HTTP 500): {message}")]
    ProviderError {
        /// The provider's message.
        message: String,
        /// The body exactly as received.
        body: RawBody,
    },

    /// A deferred-delivery callback carried no `hash`, or one that does not match.
    #[error("callback signature {0}")]
    BadSignature(SignatureProblem),

    /// A deferred-delivery callback body could not be read.
    #[error("malformed callback: field `{field}`: {reason}")]
    MalformedCallback {
        /// The field at fault (`body` when the body as a whole is unreadable).
        field: String,
        /// What was wrong with it.
        reason: String,
        /// The decoder's own error where one caused this, the [`std::error::Error::source`].
        #[source]
        source: Option<Cause>,
    },

    /// An input is larger than the configured limit.
    #[error("payload of {size} bytes exceeds the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The size received (or announced).
        size: usize,
        /// The limit in force.
        limit: usize,
    },

    /// The provider has no such operation.
    #[error("{provider} does not support {operation}")]
    Unsupported {
        /// The provider's name.
        provider: &'static str,
        /// The lifecycle operation asked for.
        operation: &'static str,
    },

    /// The transport failed to deliver the request or to receive the answer.
    #[error("transport: {0}")]
    Transport(#[from] TransportError),

    /// A money-moving request (create, renew, lease, extend) failed after it may have reached the
    /// upstream (a timeout or reset after sending, a truncated or unreadable answer, an HTTP
    /// status the API does not define, a GoVPSFX 500 "provider error"): it may have been executed. Check before
    /// trying again; the library never resends it. [`Error::code`] and the other accessors are
    /// those of the cause.
    #[error("{operation} at {provider}: OUTCOME UNKNOWN, the request may have been executed ({cause}); {}", advice(provider))]
    OutcomeUnknown {
        /// The provider (`"friendhosting"`, `"govpsfx"`).
        provider: &'static str,
        /// The request (`"createOrder"`, `"lease"`, ...).
        operation: &'static str,
        /// What went wrong.
        #[source]
        cause: Box<Error>,
    },
}

/// How to find out what happened, per provider.
fn advice(provider: &str) -> &'static str {
    match provider {
        "friendhosting" => {
            "check with getOrders before trying again (vpsgate fh find-order, \
             friendhosting::find_placed_orders)"
        }
        "govpsfx" => "GoVPSFX offers no way to list servers: ask the provider before trying again",
        _ => "check at the provider before trying again",
    }
}

/// A money-moving operation: which provider, which request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneyMove {
    /// The provider.
    pub provider: &'static str,
    /// The request.
    pub operation: &'static str,
}

impl Error {
    /// Whether the request this error is about may have been executed by the upstream although
    /// it failed (see [`Error::OutcomeUnknown`]).
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// The error itself, or for [`Error::OutcomeUnknown`] what went wrong.
    pub fn cause(&self) -> &Error {
        match self {
            Error::OutcomeUnknown { cause, .. } => cause,
            other => other,
        }
    }

    /// [`Error::cause`], by value.
    pub fn into_cause(self) -> Error {
        match self {
            Error::OutcomeUnknown { cause, .. } => *cause,
            other => other,
        }
    }

    /// `self`, as [`Error::OutcomeUnknown`] when `money` says the request moves money and the
    /// failure may have come after the upstream executed it. Failures that prove nothing was
    /// executed (invalid input, connection refused, a gateway or GoVPSFX 400/403 refusal) pass
    /// unchanged.
    pub fn after_sending(self, money: Option<MoneyMove>) -> Error {
        let Some(m) = money else { return self };
        let unknown = match &self {
            Error::Transport(t) => matches!(
                t.kind(),
                TransportErrorKind::Timeout
                    | TransportErrorKind::Redirect
                    | TransportErrorKind::Other
            ),
            Error::MalformedResponse { .. }
            | Error::UnexpectedStatus { .. }
            | Error::ProviderError { .. }
            | Error::Php(_)
            | Error::Json { .. } => true,
            _ => false,
        };
        if unknown {
            Error::OutcomeUnknown {
                provider: m.provider,
                operation: m.operation,
                cause: Box::new(self),
            }
        } else {
            self
        }
    }
}

/// The typed error under an [`Error`]: read it with [`std::error::Error::source`] and
/// `downcast_ref`. Boxed, so that carrying one costs a variant two words.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

// `Result<_, Error>` is returned on every parse path: keep it small (the largest variant is
// `MalformedResponse`: reason, offset, body and the boxed cause).
const _: () = assert!(std::mem::size_of::<Error>() <= 80);

/// Why a callback signature was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureProblem {
    /// The callback carried no `hash` field.
    Missing,
    /// The `hash` does not match the one computed with the partner secret.
    Mismatch,
}

impl fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureProblem::Missing => "missing",
            SignatureProblem::Mismatch => "does not match",
        })
    }
}

/// Stable numbers for every kind of [`Error`], shared by the C library, the npm package and the
/// CLI's exit codes.
///
/// Never renumber a variant. A retired number stays reserved in the comment below.
/// Reserved: none yet.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// [`Error::InvalidInput`].
    InvalidInput = 1,
    /// [`Error::Php`].
    PhpSyntax = 2,
    /// [`Error::Json`].
    JsonSyntax = 3,
    /// [`Error::Serialize`].
    Serialize = 4,
    /// [`Error::MalformedResponse`].
    MalformedResponse = 5,
    /// [`Error::UnexpectedStatus`].
    UnexpectedStatus = 6,
    /// [`Error::Gateway`]; the gateway's `errorCode` is in [`Error::upstream_code`].
    Gateway = 7,
    /// [`Error::InvalidParameters`].
    InvalidParameters = 8,
    /// [`Error::Refused`].
    Refused = 9,
    /// [`Error::ProviderError`].
    ProviderError = 10,
    /// [`Error::BadSignature`].
    BadSignature = 11,
    /// [`Error::MalformedCallback`].
    MalformedCallback = 12,
    /// [`Error::PayloadTooLarge`].
    PayloadTooLarge = 13,
    /// [`Error::Unsupported`].
    Unsupported = 14,
    /// [`Error::Transport`] with [`TransportErrorKind::Timeout`].
    Timeout = 15,
    /// [`Error::Transport`] with [`TransportErrorKind::Connect`].
    Connect = 16,
    /// [`Error::Transport`] with [`TransportErrorKind::InsecureUrl`].
    InsecureUrl = 17,
    /// [`Error::Transport`] with [`TransportErrorKind::Redirect`].
    Redirect = 18,
    /// [`Error::Transport`] with [`TransportErrorKind::Other`].
    TransportOther = 19,
}

impl ErrorCode {
    /// The stable number.
    pub fn number(self) -> u32 {
        self as u32
    }

    /// A short, stable, machine-friendly name (`"invalid_input"`, `"gateway"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::PhpSyntax => "php_syntax",
            ErrorCode::JsonSyntax => "json_syntax",
            ErrorCode::Serialize => "serialize",
            ErrorCode::MalformedResponse => "malformed_response",
            ErrorCode::UnexpectedStatus => "unexpected_status",
            ErrorCode::Gateway => "gateway",
            ErrorCode::InvalidParameters => "invalid_parameters",
            ErrorCode::Refused => "refused",
            ErrorCode::ProviderError => "provider_error",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::MalformedCallback => "malformed_callback",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::Unsupported => "unsupported",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Connect => "connect",
            ErrorCode::InsecureUrl => "insecure_url",
            ErrorCode::Redirect => "redirect",
            ErrorCode::TransportOther => "transport",
        }
    }

    /// Every code, in number order.
    pub const ALL: [ErrorCode; 19] = [
        ErrorCode::InvalidInput,
        ErrorCode::PhpSyntax,
        ErrorCode::JsonSyntax,
        ErrorCode::Serialize,
        ErrorCode::MalformedResponse,
        ErrorCode::UnexpectedStatus,
        ErrorCode::Gateway,
        ErrorCode::InvalidParameters,
        ErrorCode::Refused,
        ErrorCode::ProviderError,
        ErrorCode::BadSignature,
        ErrorCode::MalformedCallback,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Unsupported,
        ErrorCode::Timeout,
        ErrorCode::Connect,
        ErrorCode::InsecureUrl,
        ErrorCode::Redirect,
        ErrorCode::TransportOther,
    ];
}

impl Error {
    /// The stable number of this kind of error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::Php(_) => ErrorCode::PhpSyntax,
            Error::Json { .. } => ErrorCode::JsonSyntax,
            Error::Serialize(_) => ErrorCode::Serialize,
            Error::MalformedResponse { .. } => ErrorCode::MalformedResponse,
            Error::UnexpectedStatus { .. } => ErrorCode::UnexpectedStatus,
            Error::Gateway(_) => ErrorCode::Gateway,
            Error::InvalidParameters { .. } => ErrorCode::InvalidParameters,
            Error::Refused { .. } => ErrorCode::Refused,
            Error::ProviderError { .. } => ErrorCode::ProviderError,
            Error::BadSignature(_) => ErrorCode::BadSignature,
            Error::MalformedCallback { .. } => ErrorCode::MalformedCallback,
            Error::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            Error::Unsupported { .. } => ErrorCode::Unsupported,
            Error::Transport(t) => match t.kind() {
                TransportErrorKind::Timeout => ErrorCode::Timeout,
                TransportErrorKind::Connect => ErrorCode::Connect,
                TransportErrorKind::InsecureUrl => ErrorCode::InsecureUrl,
                TransportErrorKind::Redirect => ErrorCode::Redirect,
                TransportErrorKind::Other => ErrorCode::TransportOther,
            },
            Error::OutcomeUnknown { cause, .. } => cause.code(),
        }
    }

    /// The upstream's own code, unchanged: Friendhosting's `errorCode` for [`Error::Gateway`],
    /// the HTTP status for GoVPSFX's 400/403/500 and for [`Error::UnexpectedStatus`].
    pub fn upstream_code(&self) -> Option<i64> {
        match self {
            Error::Gateway(g) => Some(g.code.number()),
            Error::InvalidParameters { .. } => Some(400),
            Error::Refused { .. } => Some(403),
            Error::ProviderError { .. } => Some(500),
            Error::UnexpectedStatus { status, .. } => Some(i64::from(*status)),
            Error::OutcomeUnknown { cause, .. } => cause.upstream_code(),
            _ => None,
        }
    }

    /// The raw response body kept by the error, if it has one.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::MalformedResponse { body, .. }
            | Error::UnexpectedStatus { body, .. }
            | Error::InvalidParameters { body, .. }
            | Error::Refused { body, .. }
            | Error::ProviderError { body, .. } => Some(body.as_bytes()),
            Error::OutcomeUnknown { cause, .. } => cause.raw_body(),
            _ => None,
        }
    }

    /// The input field or setting at fault, for [`Error::InvalidInput`] and
    /// [`Error::MalformedCallback`].
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            Error::MalformedCallback { field, .. } => Some(field),
            Error::OutcomeUnknown { cause, .. } => cause.field(),
            _ => None,
        }
    }

    /// The byte offset into the input where decoding stopped, where one is known.
    pub fn byte_offset(&self) -> Option<usize> {
        match self {
            Error::Php(e) => e.offset,
            Error::Json { offset, .. } => Some(*offset),
            Error::MalformedResponse { offset, .. } => *offset,
            Error::OutcomeUnknown { cause, .. } => cause.byte_offset(),
            _ => None,
        }
    }

    /// Build an [`Error::InvalidInput`].
    pub fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}

/// A response body kept verbatim inside an error.
///
/// Its `Debug` shows only the length: a body may hold server passwords.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody(Vec<u8>);

impl RawBody {
    /// Wrap the bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        RawBody(bytes.into())
    }
    /// The bytes as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// Take the bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBody({} bytes)", self.0.len())
    }
}

/// What went wrong in a transport, coarse enough to be acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Connecting, sending or receiving took longer than allowed.
    Timeout,
    /// The connection could not be made (DNS, refused, TLS handshake).
    Connect,
    /// The URL is plain HTTP to a non-loopback host and insecure URLs were not allowed.
    InsecureUrl,
    /// The server answered with a redirect; redirects are never followed.
    Redirect,
    /// Anything else.
    Other,
}

/// A transport failure, as reported by a [`crate::Transport`] implementation.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    permanent: bool,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// A new error of the given kind with a message (which must not contain secrets).
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            permanent: false,
            source: None,
        }
    }

    /// Wrap any error as [`TransportErrorKind::Other`].
    pub fn other(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        TransportError {
            kind: TransportErrorKind::Other,
            message: source.to_string(),
            permanent: false,
            source: Some(Box::new(source)),
        }
    }

    /// Attach the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Mark the failure as one that another attempt would meet again (an oversize answer, a
    /// malformed URL), so that [`crate::retry`] does not try again.
    pub fn permanent(mut self) -> Self {
        self.permanent = true;
        self
    }

    /// Whether another attempt might succeed: `false` for [`TransportErrorKind::InsecureUrl`],
    /// [`TransportErrorKind::Redirect`] and errors marked [`TransportError::permanent`].
    pub fn is_transient(&self) -> bool {
        !self.permanent
            && !matches!(
                self.kind,
                TransportErrorKind::InsecureUrl | TransportErrorKind::Redirect
            )
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_unique() {
        let numbers: Vec<u32> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        assert_eq!(numbers, (1..=19).collect::<Vec<_>>());
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn raw_body_debug_hides_content() {
        let e = Error::UnexpectedStatus {
            status: 502,
            body: RawBody::new(b"serverpassword=hunter2".to_vec()),
        };
        let dbg = format!("{e:?} {e}");
        assert!(!dbg.contains("hunter2"), "{dbg}");
        assert_eq!(e.code(), ErrorCode::UnexpectedStatus);
        assert_eq!(e.upstream_code(), Some(502));
        assert_eq!(e.raw_body(), Some(&b"serverpassword=hunter2"[..]));
    }
}
