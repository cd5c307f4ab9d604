//! The panic boundary every export runs inside (rustls-ffi's `panic.rs` idea).
//!
//! A panic must never unwind into C (that aborts the host: a PHP-FPM worker would die). Every
//! fallible export runs its body through [`guard`], which turns a panic into
//! `VPSGATE_PANIC` with a message; every infallible accessor runs through [`shield`], which
//! returns a fixed default instead.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{set_error, Failure};
use crate::{vpsgate_error, vpsgate_status, vpsgate_status_code::VPSGATE_OK};

// The boundary needs unwinding; with `panic = "abort"` every panic would kill the host.
#[cfg(panic = "abort")]
compile_error!("vpsgate-ffi must be built with panic = \"unwind\" (see the workspace Cargo.toml)");

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with no message".to_owned()
    }
}

/// Run `body` for the export `name`: `VPSGATE_OK` on success; on failure the status and, when
/// `out_error` is not NULL, a new error handle in `*out_error`. A panic becomes `VPSGATE_PANIC`.
pub(crate) fn guard<F>(
    name: &'static str,
    out_error: *mut *mut vpsgate_error,
    body: F,
) -> vpsgate_status
where
    F: FnOnce() -> Result<(), Failure>,
{
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return VPSGATE_OK as vpsgate_status,
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::panic(name, &payload_text(payload.as_ref())),
    };
    let status = failure.status();
    // Building the error handle allocates and formats: keep it inside a boundary too.
    let _ = catch_unwind(AssertUnwindSafe(|| set_error(out_error, failure)));
    status
}

/// Run an infallible accessor: its value, or `default` if it panicked.
pub(crate) fn shield<T, F: FnOnce() -> T>(default: T, body: F) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}
