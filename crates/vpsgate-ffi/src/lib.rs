//! libvpsgate: the vpsgate core behind a C ABI, for PHP FFI, Python ctypes, Go and C.
//!
//! The header is `include/vpsgate.h`, generated from this crate by cbindgen (see
//! `cbindgen.toml`); `docs/C-API.md` is the user's guide. Conventions (rustls-ffi's):
//!
//! - names `vpsgate_<type>_<verb>`; opaque handles with `_new` / `_free`, `_free(NULL)` a no-op;
//! - every fallible function returns a `vpsgate_status` (0 = `VPSGATE_OK`) and writes its
//!   outputs only on success; on failure it stores a new `vpsgate_error` in `*out_error` when
//!   `out_error` is not NULL (free it with `vpsgate_error_free`);
//! - every string the library returns is freed by `vpsgate_string_free`; pointers returned by
//!   accessors are borrowed from their handle and live as long as it;
//! - every body runs inside a panic boundary: a panic is `VPSGATE_PANIC`, never an abort;
//! - results cross as JSON text in the shapes of `docs/CONTRACT.md`.
#![allow(non_camel_case_types)]
#![warn(missing_docs)]

mod error;
mod panic;

use std::ffi::{c_char, CStr, CString};
use std::sync::Arc;

use http::StatusCode;
use vpsgate_core::config::Config;
use vpsgate_core::decode::Source;
use vpsgate_core::govpsfx::{sign, verify_callback, CallbackLimits};
use vpsgate_core::lifecycle::{Provider, Upstream};
use vpsgate_core::named::{Bound, Call};
use vpsgate_core::native::NativeTransport;
use vpsgate_core::transport::{is_read_only, marked_request};
use vpsgate_core::{contract, execute_with, Error, Operation, PartnerSecret};

use error::{c_string, status_name, Failure};
use panic::{guard, shield};

/// A status as returned by every fallible function: one of `vpsgate_status_code`.
pub type vpsgate_status = u32;

/// Every status number. 1-19 are the core's stable error numbers (`docs/CONTRACT.md`), the same
/// in the CLI (exit `10 + n`), the npm and the PHP package; 100 and above belong to the C
/// library. Numbers are never reused.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum vpsgate_status_code {
    /// Success.
    VPSGATE_OK = 0,
    /// A request or configuration could not be built (field named); nothing was sent.
    VPSGATE_INVALID_INPUT = 1,
    /// Malformed PHP serialize data (byte offset).
    VPSGATE_PHP_SYNTAX = 2,
    /// Malformed JSON (byte offset).
    VPSGATE_JSON_SYNTAX = 3,
    /// A value cannot be written in PHP format.
    VPSGATE_SERIALIZE = 4,
    /// An answer that is neither format, truncated, or missing a field; raw body kept.
    VPSGATE_MALFORMED_RESPONSE = 5,
    /// An HTTP status the API does not define; raw body kept.
    VPSGATE_UNEXPECTED_STATUS = 6,
    /// Friendhosting critical error; the upstream code is its `errorCode`.
    VPSGATE_GATEWAY = 7,
    /// GoVPSFX 400.
    VPSGATE_INVALID_PARAMETERS = 8,
    /// GoVPSFX 403 (bad hash or refused).
    VPSGATE_REFUSED = 9,
    /// GoVPSFX 500.
    VPSGATE_PROVIDER_ERROR = 10,
    /// A deferred-delivery callback with a missing or wrong hash.
    VPSGATE_BAD_SIGNATURE = 11,
    /// A callback field that cannot be read.
    VPSGATE_MALFORMED_CALLBACK = 12,
    /// Input over the configured limit.
    VPSGATE_PAYLOAD_TOO_LARGE = 13,
    /// The provider has no such operation; nothing was sent.
    VPSGATE_UNSUPPORTED = 14,
    /// The transport timed out.
    VPSGATE_TIMEOUT = 15,
    /// Connection failed (DNS, refused, TLS).
    VPSGATE_CONNECT = 16,
    /// Plain http to a non-loopback host without `allow_insecure_http`.
    VPSGATE_INSECURE_URL = 17,
    /// The server redirected; redirects are never followed.
    VPSGATE_REDIRECT = 18,
    /// Any other transport failure.
    VPSGATE_TRANSPORT = 19,
    /// A panic inside the library was caught; the message says where. The library stays usable.
    VPSGATE_PANIC = 100,
    /// A required pointer argument was NULL (the error's `field` names it).
    VPSGATE_NULL_ARGUMENT = 101,
    /// A string argument is not valid UTF-8 (the error's `field` names it).
    VPSGATE_INVALID_UTF8 = 102,
    /// An argument is out of its range: an unknown `vpsgate_source`, an HTTP status outside
    /// 100-999, a length over `PTRDIFF_MAX`.
    VPSGATE_INVALID_ARGUMENT = 103,
}

/// How `vpsgate_decode_to_json` reads its input (pass the number as `uint32_t`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum vpsgate_source {
    /// Decide from the first bytes: a PHP type tag and `:` (or `N;`) is PHP, anything else JSON.
    VPSGATE_SOURCE_AUTO = 0,
    /// PHP `serialize()` output.
    VPSGATE_SOURCE_PHP = 1,
    /// JSON.
    VPSGATE_SOURCE_JSON = 2,
}

/// A failure: status, stable name, message, the upstream's own code and the contract's error
/// JSON. Immutable: may be read from any thread. Free with `vpsgate_error_free`.
pub struct vpsgate_error {
    status: vpsgate_status,
    upstream: Option<i64>,
    outcome_unknown: bool,
    name: &'static str,
    message: CString,
    json: CString,
}

/// What a provider handle and its requests share.
struct Shared {
    config: Config,
    transport: NativeTransport,
}

/// A provider (Friendhosting or GoVPSFX) built from a JSON configuration, with the built-in
/// transport its configuration describes. Immutable and thread-safe: one handle may be used by
/// any number of threads at once (free it only when no call is running). Free with
/// `vpsgate_provider_free`.
pub struct vpsgate_provider {
    shared: Arc<Shared>,
}

/// One built HTTP request (method, URL, headers, body) and what it is for, so its answer can be
/// read with `vpsgate_request_parse_response`. It holds the credentials in clear (body, or the
/// URL for GET): never log it. Immutable: may be read from any thread. It keeps what it needs
/// of its provider, which may be freed first. Free with `vpsgate_request_free`.
pub struct vpsgate_request {
    shared: Arc<Shared>,
    op: Call,
    method: CString,
    url: CString,
    headers: Vec<(CString, CString)>,
    /// Sending it twice changes nothing at the provider (read-only, moving no money).
    read_only: bool,
    /// The body and one NUL byte after it (not part of the body), so that a host reading it
    /// as a C string (PHP FFI turns a `const char *` result into a string) stops at its end.
    body: Vec<u8>,
}

// ---------------------------------------------------------------------------------------------
// Argument helpers: never trust a caller's pointer.

/// `len` bytes at `ptr` (`const char *` so PHP FFI can pass a string); NULL only with `len == 0`.
///
/// # Safety
/// `ptr` must be NULL or point at `len` readable bytes that stay valid for `'a`.
unsafe fn bytes<'a>(
    ptr: *const c_char,
    len: usize,
    field: &'static str,
) -> Result<&'a [u8], Failure> {
    if len > isize::MAX as usize {
        return Err(Failure::argument(field, "length is over PTRDIFF_MAX"));
    }
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(field))
        };
    }
    // SAFETY: non-NULL and `len` bytes readable, by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
/// `ptr` must be NULL or a NUL-terminated string valid for `'a`.
unsafe fn text<'a>(ptr: *const c_char, field: &'static str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    unsafe { opt_text(ptr, field) }?.ok_or_else(|| Failure::null(field))
}

/// An optional NUL-terminated UTF-8 string (NULL = absent).
///
/// # Safety
/// As [`text`].
unsafe fn opt_text<'a>(
    ptr: *const c_char,
    field: &'static str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, NUL-terminated by the caller's contract.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str()
        .map(Some)
        .map_err(|e| Failure::utf8(field, e.valid_up_to()))
}

/// Check an out-parameter before doing any work.
fn out<T>(ptr: *mut T, field: &'static str) -> Result<(), Failure> {
    if ptr.is_null() {
        Err(Failure::null(field))
    } else {
        Ok(())
    }
}

/// Hand `s` to the caller as a string it frees with `vpsgate_string_free`.
///
/// # Safety
/// `out_string` must be non-NULL (checked by [`out`]) and writable.
unsafe fn give_string(out_string: *mut *mut c_char, s: String) {
    // SAFETY: checked non-NULL, writable by contract.
    unsafe { *out_string = c_string(s).into_raw() };
}

/// A provider handle's contents.
///
/// # Safety
/// `provider` must be NULL or a live handle from `vpsgate_provider_new`.
unsafe fn provider_ref<'a>(provider: *const vpsgate_provider) -> Result<&'a Shared, Failure> {
    // SAFETY: NULL or live, by contract.
    unsafe { provider.as_ref() }
        .map(|p| p.shared.as_ref())
        .ok_or_else(|| Failure::null("provider"))
}

// ---------------------------------------------------------------------------------------------
// Version, statuses, strings.

/// The library version, e.g. `"0.1.0"`.
///
/// Ownership: a static string; never free it. Never fails.
#[no_mangle]
pub extern "C" fn vpsgate_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The stable name of a status number: `"ok"`, `"gateway"`, `"panic"`, ...; `"unknown"` for a
/// number that is not a status.
///
/// Ownership: a static string; never free it. Never fails.
#[no_mangle]
pub extern "C" fn vpsgate_status_name(status: vpsgate_status) -> *const c_char {
    shield(c"unknown".as_ptr(), || {
        let name = status_name(status);
        // Names are static and few: find the matching static C string.
        NAMES
            .iter()
            .find(|c| c.to_bytes() == name.as_bytes())
            .map_or(c"unknown".as_ptr(), |c| c.as_ptr())
    })
}

/// Static C strings of every status name.
const NAMES: [&CStr; 25] = [
    c"ok",
    c"invalid_input",
    c"php_syntax",
    c"json_syntax",
    c"serialize",
    c"malformed_response",
    c"unexpected_status",
    c"gateway",
    c"invalid_parameters",
    c"refused",
    c"provider_error",
    c"bad_signature",
    c"malformed_callback",
    c"payload_too_large",
    c"unsupported",
    c"timeout",
    c"connect",
    c"insecure_url",
    c"redirect",
    c"transport",
    c"panic",
    c"null_argument",
    c"invalid_utf8",
    c"invalid_argument",
    c"unknown",
];

/// Free a string the library returned (decoded JSON, results, hashes).
///
/// # Safety
/// `string` must be NULL (a no-op) or a string from this library not yet freed; it must not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_string_free(string: *mut c_char) {
    if string.is_null() {
        return;
    }
    shield((), || {
        // SAFETY: from `CString::into_raw` in this library, by contract.
        drop(unsafe { CString::from_raw(string) });
    });
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// The status number of `error` (1-19 the core's, 100+ the library's); `VPSGATE_NULL_ARGUMENT`
/// when `error` is NULL.
///
/// # Safety
/// `error` must be NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_code(error: *const vpsgate_error) -> vpsgate_status {
    // SAFETY: NULL or live, by contract.
    match unsafe { error.as_ref() } {
        Some(e) => e.status,
        None => vpsgate_status_code::VPSGATE_NULL_ARGUMENT as vpsgate_status,
    }
}

/// The stable name of the error's status (`"gateway"`, `"null_argument"`, ...); `""` when
/// `error` is NULL.
///
/// Ownership: a static string; never free it.
///
/// # Safety
/// `error` must be NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_name(error: *const vpsgate_error) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    match unsafe { error.as_ref() } {
        Some(e) => NAMES
            .iter()
            .find(|c| c.to_bytes() == e.name.as_bytes())
            .map_or(c"unknown".as_ptr(), |c| c.as_ptr()),
        None => c"".as_ptr(),
    }
}

/// The human-readable message (one line, never a secret); `""` when `error` is NULL.
///
/// Ownership: borrowed from `error`; valid until `vpsgate_error_free(error)`. Do not free it.
///
/// # Safety
/// `error` must be NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_message(error: *const vpsgate_error) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    match unsafe { error.as_ref() } {
        Some(e) => e.message_ptr(),
        None => c"".as_ptr(),
    }
}

/// The error as the contract's JSON object: `{"code":7,"name":"gateway","message":"…",
/// "upstream_code":22,"field":null,"offset":null,"raw_body":null,"outcome_unknown":false}`;
/// `""` when `error` is NULL.
///
/// Ownership: borrowed from `error`; valid until `vpsgate_error_free(error)`. Do not free it.
///
/// # Safety
/// `error` must be NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_json(error: *const vpsgate_error) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    match unsafe { error.as_ref() } {
        Some(e) => e.json.as_ptr(),
        None => c"".as_ptr(),
    }
}

/// 1 when the error carries an upstream code (Friendhosting `errorCode`, GoVPSFX HTTP status),
/// else 0 (also when `error` is NULL).
///
/// # Safety
/// `error` must be NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_has_upstream_code(error: *const vpsgate_error) -> i32 {
    // SAFETY: NULL or live, by contract.
    i32::from(unsafe { error.as_ref() }.is_some_and(|e| e.upstream.is_some()))
}

/// The upstream's own code (see `vpsgate_error_has_upstream_code`); 0 when there is none or
/// `error` is NULL.
///
/// # Safety
/// `error` must be NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_upstream_code(error: *const vpsgate_error) -> i64 {
    // SAFETY: NULL or live, by contract.
    unsafe { error.as_ref() }
        .and_then(|e| e.upstream)
        .unwrap_or(0)
}

/// 1 when a money-moving request (create, renew, lease, extend) failed after it may have
/// reached the upstream: check before trying again. 0 otherwise (also when `error` is NULL).
///
/// # Safety
/// `error` must be NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_outcome_unknown(error: *const vpsgate_error) -> i32 {
    // SAFETY: NULL or live, by contract.
    i32::from(unsafe { error.as_ref() }.is_some_and(|e| e.outcome_unknown))
}

/// Free an error handle.
///
/// # Safety
/// `error` must be NULL (a no-op) or a live error handle; it and the strings borrowed from it
/// must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_error_free(error: *mut vpsgate_error) {
    if error.is_null() {
        return;
    }
    shield((), || {
        // SAFETY: from `Box::into_raw` in this library, by contract.
        drop(unsafe { Box::from_raw(error) });
    });
}

// ---------------------------------------------------------------------------------------------
// Decoding and signing.

/// Decode a PHP `serialize()` or JSON body to one line of JSON text (no trailing newline),
/// exactly as `vpsgate decode` prints it.
///
/// - `input`, `input_len`: the bytes; `input` may be NULL only when `input_len` is 0.
/// - `source`: a `vpsgate_source` number (0 auto, 1 PHP, 2 JSON); anything else is
///   `VPSGATE_INVALID_ARGUMENT`.
/// - `out_json`: required; on success receives a string to free with `vpsgate_string_free`.
/// - `out_error`: may be NULL; on failure receives an error to free with `vpsgate_error_free`.
///
/// Malformed input is `VPSGATE_PHP_SYNTAX` / `VPSGATE_JSON_SYNTAX` with the byte offset.
///
/// # Safety
/// Pointers must be NULL or valid as described; `input` readable for `input_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_decode_to_json(
    input: *const c_char,
    input_len: usize,
    source: u32,
    out_json: *mut *mut c_char,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_decode_to_json", out_error, || {
        out(out_json, "out_json")?;
        // SAFETY: caller's contract.
        let input = unsafe { bytes(input, input_len, "input") }?;
        let from = match source {
            0 => Source::Auto,
            1 => Source::Php,
            2 => Source::Json,
            n => return Err(Failure::argument("source", format!("{n} is not 0, 1 or 2"))),
        };
        let json = vpsgate_core::decode::to_json(input, from)?;
        // SAFETY: checked above.
        unsafe { give_string(out_json, json) };
        Ok(())
    })
}

/// The GoVPSFX md5 signature (`hash`) of the given values, lower-case hex.
///
/// `secret` is required; `rate`, `term`, `server_id`, `partner_code` are the values as sent,
/// NULL for one the request does not carry. `out_hash` receives a 32-character string to free
/// with `vpsgate_string_free`. `out_error` may be NULL.
///
/// # Safety
/// Each string must be NULL or NUL-terminated; `out_hash` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_govpsfx_sign(
    secret: *const c_char,
    rate: *const c_char,
    term: *const c_char,
    server_id: *const c_char,
    partner_code: *const c_char,
    out_hash: *mut *mut c_char,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_govpsfx_sign", out_error, || {
        out(out_hash, "out_hash")?;
        // SAFETY: caller's contract, for each string.
        let (secret, rate, term, server_id, partner_code) = unsafe {
            (
                text(secret, "secret")?,
                opt_text(rate, "rate")?,
                opt_text(term, "term")?,
                opt_text(server_id, "server_id")?,
                opt_text(partner_code, "partner_code")?,
            )
        };
        let fields = sign::SignedFields {
            rate,
            term,
            server_id,
            partner_code,
        };
        let hash = sign::signature(&fields, &PartnerSecret::new(secret));
        // SAFETY: checked above.
        unsafe { give_string(out_hash, hash) };
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Providers.

/// Build a provider from its JSON configuration (`docs/CONTRACT.md`, "Provider
/// configuration"): `{"provider":"friendhosting","endpoint":…,"login":…,"api_key":…}` or
/// `{"provider":"govpsfx","partner_code":…,"secret":…}`, plus the transport settings
/// (`timeout_ms`, `connect_timeout_ms`, `max_body_bytes`, `allow_insecure_http`) the built-in
/// transport honours, and the retry settings (`retry_attempts`, `retry_base_delay_ms`,
/// `retry_max_delay_ms`) for read-only requests; money-moving requests are always sent once.
///
/// - `config_json`, `config_len`: the JSON bytes (need not be NUL-terminated).
/// - `out_provider`: required; on success receives a handle to free with
///   `vpsgate_provider_free`.
/// - `out_error`: may be NULL. A bad configuration is `VPSGATE_INVALID_INPUT` naming the field;
///   secrets never appear in the message.
///
/// # Safety
/// `config_json` readable for `config_len` bytes (NULL only with 0); `out_provider` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_new(
    config_json: *const c_char,
    config_len: usize,
    out_provider: *mut *mut vpsgate_provider,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_provider_new", out_error, || {
        out(out_provider, "out_provider")?;
        // SAFETY: caller's contract.
        let json = unsafe { bytes(config_json, config_len, "config_json") }?;
        let config = Config::from_json(json)?;
        let transport = NativeTransport::from_config(&config.transport);
        let handle = vpsgate_provider {
            shared: Arc::new(Shared { config, transport }),
        };
        // SAFETY: checked above.
        unsafe { *out_provider = Box::into_raw(Box::new(handle)) };
        Ok(())
    })
}

/// Free a provider. Requests built from it stay usable.
///
/// # Safety
/// `provider` must be NULL (a no-op) or a live handle no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_free(provider: *mut vpsgate_provider) {
    if provider.is_null() {
        return;
    }
    shield((), || {
        // SAFETY: from `Box::into_raw` in this library, by contract.
        drop(unsafe { Box::from_raw(provider) });
    });
}

/// The provider's name, `"friendhosting"` or `"govpsfx"`; `""` when `provider` is NULL.
///
/// Ownership: a static string; never free it.
///
/// # Safety
/// `provider` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_name(provider: *const vpsgate_provider) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    match unsafe { provider_ref(provider) } {
        Ok(s) => match s.config.provider {
            Provider::Friendhosting(_) => c"friendhosting".as_ptr(),
            Provider::Govpsfx(_) => c"govpsfx".as_ptr(),
        },
        Err(_) => c"".as_ptr(),
    }
}

/// Check and read a GoVPSFX deferred delivery (the body your handler received after a lease
/// answered 202). On success `out_json` receives the server details as JSON (`{"ip","port",
/// "login","password","created_at","end_at","rate","client_id","server_id"}`), to free with
/// `vpsgate_string_free`. A missing or wrong hash is `VPSGATE_BAD_SIGNATURE`; a Friendhosting
/// provider is `VPSGATE_UNSUPPORTED`; a body over 64 KiB is `VPSGATE_PAYLOAD_TOO_LARGE`.
///
/// `content_type` (the request's `Content-Type`) may be NULL: the body is then sniffed.
/// `body` may be NULL only when `body_len` is 0. `out_error` may be NULL.
///
/// # Safety
/// `provider` a live handle; `content_type` NULL or NUL-terminated; `body` readable for
/// `body_len` bytes; `out_json` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_verify_callback(
    provider: *const vpsgate_provider,
    content_type: *const c_char,
    body: *const c_char,
    body_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_provider_verify_callback", out_error, || {
        out(out_json, "out_json")?;
        // SAFETY: caller's contract.
        let (shared, content_type, body) = unsafe {
            (
                provider_ref(provider)?,
                opt_text(content_type, "content_type")?,
                bytes(body, body_len, "body")?,
            )
        };
        let partner = match &shared.config.provider {
            Provider::Govpsfx(p) => p,
            Provider::Friendhosting(g) => {
                return Err(Error::Unsupported {
                    provider: g.provider(),
                    operation: "verify_callback",
                }
                .into())
            }
        };
        let details = verify_callback(partner, content_type, body, &CallbackLimits::default())?;
        // SAFETY: checked above.
        unsafe { give_string(out_json, contract::server(&details).to_string()) };
        Ok(())
    })
}

/// Which kind of operation a `make_request` / `run` call names.
#[derive(Clone, Copy)]
enum Kind {
    Step,
    Command,
}

/// Read `name` and its arguments into an operation.
///
/// # Safety
/// As the exports that call it.
unsafe fn operation(
    kind: Kind,
    name: *const c_char,
    args_json: *const c_char,
    args_len: usize,
) -> Result<Call, Failure> {
    // SAFETY: caller's contract.
    let args = unsafe { bytes(args_json, args_len, "args_json") }?;
    Ok(match kind {
        // SAFETY: caller's contract.
        Kind::Step => Call::step(unsafe { text(name, "step") }?, args)?,
        // SAFETY: caller's contract.
        Kind::Command => Call::command(unsafe { text(name, "command") }?, args)?,
    })
}

/// Build the request handle for `op`.
fn build_request(shared: &Arc<Shared>, op: Call) -> Result<vpsgate_request, Failure> {
    let http = marked_request(&Bound::borrowed(&shared.config.provider, &op))?;
    let read_only = is_read_only(&http);
    let headers = http
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                c_string(k.as_str().to_owned()),
                c_string(String::from_utf8_lossy(v.as_bytes()).into_owned()),
            )
        })
        .collect();
    let mut body = Vec::with_capacity(http.body().len() + 1);
    body.extend_from_slice(http.body());
    body.push(0);
    Ok(vpsgate_request {
        shared: Arc::clone(shared),
        body,
        method: c_string(http.method().as_str().to_owned()),
        url: c_string(http.uri().to_string()),
        headers,
        read_only,
        op,
    })
}

/// Shared body of the two `*_request` exports.
///
/// # Safety
/// As those exports.
unsafe fn make_request(
    kind: Kind,
    provider: *const vpsgate_provider,
    name: *const c_char,
    args_json: *const c_char,
    args_len: usize,
    out_request: *mut *mut vpsgate_request,
) -> Result<(), Failure> {
    out(out_request, "out_request")?;
    // SAFETY: NULL or live, by contract.
    let handle = unsafe { provider.as_ref() }.ok_or_else(|| Failure::null("provider"))?;
    // SAFETY: caller's contract.
    let op = unsafe { operation(kind, name, args_json, args_len) }?;
    let request = build_request(&handle.shared, op)?;
    // SAFETY: checked above.
    unsafe { *out_request = Box::into_raw(Box::new(request)) };
    Ok(())
}

/// Shared body of the two `*_run` exports.
///
/// # Safety
/// As those exports.
unsafe fn run(
    kind: Kind,
    provider: *const vpsgate_provider,
    name: *const c_char,
    args_json: *const c_char,
    args_len: usize,
    out_json: *mut *mut c_char,
) -> Result<(), Failure> {
    out(out_json, "out_json")?;
    // SAFETY: caller's contract.
    let shared = unsafe { provider_ref(provider) }?;
    // SAFETY: caller's contract.
    let op = unsafe { operation(kind, name, args_json, args_len) }?;
    let value = execute_with(
        &Bound::borrowed(&shared.config.provider, &op),
        &shared.transport,
        &shared.config.transport.retry,
    )?;
    // SAFETY: checked above.
    unsafe { give_string(out_json, value) };
    Ok(())
}

/// Build the request of a lifecycle step, to send with your own HTTP client.
///
/// - `step`: `create`, `renew`, `suspend`, `unsuspend`, `terminate`, `reboot`, `reinstall`,
///   `info`, `list` or `balance`.
/// - `args_json`, `args_len`: the step's flat argument object (`{"id":"100001","months":3}`,
///   `docs/CONTRACT.md`); NULL / 0 or blank for none.
/// - `out_request`: required; on success receives a request to free with
///   `vpsgate_request_free`.
/// - `out_error`: may be NULL. An unknown step or a bad argument is `VPSGATE_INVALID_INPUT`; a
///   step the provider lacks is `VPSGATE_UNSUPPORTED`. Nothing is ever sent.
///
/// # Safety
/// `provider` a live handle; `step` NUL-terminated; `args_json` readable for `args_len` bytes
/// (NULL only with 0); `out_request` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_step_request(
    provider: *const vpsgate_provider,
    step: *const c_char,
    args_json: *const c_char,
    args_len: usize,
    out_request: *mut *mut vpsgate_request,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_provider_step_request", out_error, || {
        // SAFETY: forwarded contract.
        unsafe { make_request(Kind::Step, provider, step, args_json, args_len, out_request) }
    })
}

/// Build the request of one upstream command, to send with your own HTTP client.
///
/// `command` is one of Friendhosting's `createOrder`, `renewOrder`, `suspendOrder`,
/// `unSuspendOrder`, `restartOrder`, `reinstallOrder`, `getTarifs`, `getOrders`, `getBalance`
/// or GoVPSFX's `lease`, `extend`, `recall`; `args_json` its JSON arguments (`docs/C-API.md`),
/// e.g. `{"tarifid":"201","period":3,"vid":"vds"}`. A command of the other provider is
/// `VPSGATE_UNSUPPORTED`. Ownership and errors as `vpsgate_provider_step_request`.
///
/// # Safety
/// As `vpsgate_provider_step_request`.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_command_request(
    provider: *const vpsgate_provider,
    command: *const c_char,
    args_json: *const c_char,
    args_len: usize,
    out_request: *mut *mut vpsgate_request,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_provider_command_request", out_error, || {
        // SAFETY: forwarded contract.
        unsafe {
            make_request(
                Kind::Command,
                provider,
                command,
                args_json,
                args_len,
                out_request,
            )
        }
    })
}

/// Run a lifecycle step through the built-in transport: build, send once, read (a read-only
/// step is tried again after a transient failure only under the configured `retry_attempts`,
/// and sent once more over a new connection when the kept-alive one it went over died; see
/// `vpsgate_request_read_only`).
/// Blocks up to the configured `timeout_ms` per attempt. On success `out_json` receives the result
/// (`Created`, `Renewed`, `Done`, `ServiceInfo`, an array of them, or `Balance`), to free with
/// `vpsgate_string_free`. `out_error` may be NULL. Arguments as
/// `vpsgate_provider_step_request`.
///
/// # Safety
/// As `vpsgate_provider_step_request`, with `out_json` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_step_run(
    provider: *const vpsgate_provider,
    step: *const c_char,
    args_json: *const c_char,
    args_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_provider_step_run", out_error, || {
        // SAFETY: forwarded contract.
        unsafe { run(Kind::Step, provider, step, args_json, args_len, out_json) }
    })
}

/// Run one upstream command through the built-in transport: build, send once, read (a
/// read-only command is tried again after a transient failure only under `retry_attempts`, and
/// sent once more over a new connection when its kept-alive one died). On
/// success `out_json` receives `{"command":…,"warning":…,"data":{…}}` (Friendhosting) or the
/// lease / extend / recall shape (GoVPSFX), to free with `vpsgate_string_free`. Arguments as
/// `vpsgate_provider_command_request`.
///
/// # Safety
/// As `vpsgate_provider_command_request`, with `out_json` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_provider_command_run(
    provider: *const vpsgate_provider,
    command: *const c_char,
    args_json: *const c_char,
    args_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_provider_command_run", out_error, || {
        // SAFETY: forwarded contract.
        unsafe {
            run(
                Kind::Command,
                provider,
                command,
                args_json,
                args_len,
                out_json,
            )
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Requests.

/// Free a request.
///
/// # Safety
/// `request` must be NULL (a no-op) or a live handle no other thread is using; it and the
/// pointers borrowed from it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_free(request: *mut vpsgate_request) {
    if request.is_null() {
        return;
    }
    shield((), || {
        // SAFETY: from `Box::into_raw` in this library, by contract.
        drop(unsafe { Box::from_raw(request) });
    });
}

/// The HTTP method, `"POST"` or `"GET"`; `""` when `request` is NULL.
///
/// Ownership: borrowed from `request`; valid until `vpsgate_request_free(request)`.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_method(request: *const vpsgate_request) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }.map_or(c"".as_ptr(), |r| r.method.as_ptr())
}

/// The full URL (for GET it carries the fields, credentials included); `""` when `request`
/// is NULL.
///
/// Ownership: borrowed from `request`; valid until `vpsgate_request_free(request)`.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_url(request: *const vpsgate_request) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }.map_or(c"".as_ptr(), |r| r.url.as_ptr())
}

/// The body bytes, `vpsgate_request_body_len` of them, followed by one NUL byte that is not
/// part of the body (the form-encoded body itself never holds a NUL); NULL when `request` is
/// NULL. A GET request has an empty body.
///
/// Ownership: borrowed from `request`; valid until `vpsgate_request_free(request)`.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_body(request: *const vpsgate_request) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }.map_or(std::ptr::null(), |r| r.body.as_ptr().cast())
}

/// The body length in bytes; 0 when `request` is NULL.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_body_len(request: *const vpsgate_request) -> usize {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }.map_or(0, |r| r.body.len().saturating_sub(1))
}

/// How many headers the request carries (send them all); 0 when `request` is NULL.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_header_count(request: *const vpsgate_request) -> usize {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }.map_or(0, |r| r.headers.len())
}

/// The name of header `index` (lower-case, e.g. `"content-type"`); NULL when `request` is NULL
/// or `index` is not below `vpsgate_request_header_count`.
///
/// Ownership: borrowed from `request`; valid until `vpsgate_request_free(request)`.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_header_name(
    request: *const vpsgate_request,
    index: usize,
) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }
        .and_then(|r| r.headers.get(index))
        .map_or(std::ptr::null(), |(name, _)| name.as_ptr())
}

/// The value of header `index`; NULL when `request` is NULL or `index` is out of range.
///
/// Ownership: borrowed from `request`; valid until `vpsgate_request_free(request)`.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_header_value(
    request: *const vpsgate_request,
    index: usize,
) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }
        .and_then(|r| r.headers.get(index))
        .map_or(std::ptr::null(), |(_, value)| value.as_ptr())
}

/// The operation's name (`"create"`, `"getBalance"`, `"lease"`, ...); `""` when `request` is
/// NULL.
///
/// Ownership: a static string; never free it.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_operation(
    request: *const vpsgate_request,
) -> *const c_char {
    // SAFETY: NULL or live, by contract.
    let Some(r) = (unsafe { request.as_ref() }) else {
        return c"".as_ptr();
    };
    shield(c"".as_ptr(), || {
        let name = r.op.name();
        OPERATION_NAMES
            .iter()
            .find(|c| c.to_bytes() == name.as_bytes())
            .map_or(c"".as_ptr(), |c| c.as_ptr())
    })
}

/// Static C strings of every operation name.
const OPERATION_NAMES: [&CStr; 22] = [
    c"create",
    c"renew",
    c"suspend",
    c"unsuspend",
    c"terminate",
    c"reboot",
    c"reinstall",
    c"info",
    c"list",
    c"balance",
    c"createOrder",
    c"renewOrder",
    c"suspendOrder",
    c"unSuspendOrder",
    c"restartOrder",
    c"reinstallOrder",
    c"getTarifs",
    c"getOrders",
    c"getBalance",
    c"lease",
    c"extend",
    c"recall",
];

/// 1 when the request moves money (create, renew, createOrder, renewOrder, lease, extend):
/// send it exactly once, and after a failure check at the provider before trying again. 0
/// otherwise (also when `request` is NULL).
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_moves_money(request: *const vpsgate_request) -> i32 {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }.map_or(0, |r| i32::from(r.op.moves_money()))
}

/// 1 when sending the request twice changes nothing at the provider (getTarifs, getOrders,
/// getBalance; the lifecycle's info, list and balance): your HTTP client may send it over a
/// kept-alive connection, and once more over a new connection when the kept one turned out to
/// be dead, as the built-in transport does. 0 otherwise (also when `request` is NULL): send it
/// over a connection of its own, and never twice.
///
/// # Safety
/// `request` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_read_only(request: *const vpsgate_request) -> i32 {
    // SAFETY: NULL or live, by contract.
    unsafe { request.as_ref() }.map_or(0, |r| i32::from(r.read_only))
}

/// Read the answer your HTTP client received for `request`: its HTTP status (100-999) and body.
/// On success `out_json` receives the result in the shape `vpsgate_provider_*_run` gives, to
/// free with `vpsgate_string_free`. `body` may be NULL only when `body_len` is 0. `out_error`
/// may be NULL; a failure of a money-moving request that may have been executed has
/// `vpsgate_error_outcome_unknown` set.
///
/// # Safety
/// `request` a live handle; `body` readable for `body_len` bytes; `out_json` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_parse_response(
    request: *const vpsgate_request,
    http_status: u32,
    body: *const c_char,
    body_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_request_parse_response", out_error, || {
        out(out_json, "out_json")?;
        // SAFETY: NULL or live, by contract.
        let r = unsafe { request.as_ref() }.ok_or_else(|| Failure::null("request"))?;
        // SAFETY: caller's contract.
        let body = unsafe { bytes(body, body_len, "body") }?;
        let status = u16::try_from(http_status)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .ok_or_else(|| {
                Failure::argument("http_status", format!("{http_status} is not 100-999"))
            })?;
        let value = Bound::borrowed(&r.shared.config.provider, &r.op).parse(
            status,
            &http::HeaderMap::new(),
            body,
        )?;
        // SAFETY: checked above.
        unsafe { give_string(out_json, value) };
        Ok(())
    })
}

/// Send `request` through the built-in transport (the provider's timeouts; once, unless it is
/// read-only: then as `retry_attempts` allows, and once more over a new connection when its
/// kept-alive one died) and read the answer: the same as `vpsgate_provider_*_run` for the operation it was built for. Each call
/// sends again: never call it twice for a money-moving request. Ownership as
/// `vpsgate_request_parse_response`.
///
/// # Safety
/// `request` a live handle; `out_json` writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_request_send(
    request: *const vpsgate_request,
    out_json: *mut *mut c_char,
    out_error: *mut *mut vpsgate_error,
) -> vpsgate_status {
    guard("vpsgate_request_send", out_error, || {
        out(out_json, "out_json")?;
        // SAFETY: NULL or live, by contract.
        let r = unsafe { request.as_ref() }.ok_or_else(|| Failure::null("request"))?;
        let shared = &r.shared;
        let value = execute_with(
            &Bound::borrowed(&shared.config.provider, &r.op),
            &shared.transport,
            &shared.config.transport.retry,
        )?;
        // SAFETY: checked above.
        unsafe { give_string(out_json, value) };
        Ok(())
    })
}

/// For tests of the panic boundary: panics inside the library and returns `VPSGATE_PANIC`,
/// with an error whose message contains `"vpsgate_test_panic"` in `*out_error` (may be NULL).
/// The library stays usable afterwards.
///
/// # Safety
/// `out_error` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn vpsgate_test_panic(out_error: *mut *mut vpsgate_error) -> vpsgate_status {
    guard("vpsgate_test_panic", out_error, || {
        panic!("deliberate panic for the boundary test")
    })
}
