//! Core errors as JS `VpsgateError` objects.
//!
//! The properties are those of the contract's error object in JS spelling: `code` (the stable
//! number), `codeName` (`"gateway"`, ...; `name` is the class name `"VpsgateError"`, as JS
//! expects), `upstreamCode`, `field`, `offset`, `rawBody` (invalid UTF-8 replaced) and
//! `outcomeUnknown` (a money-moving request may have been executed). `toJSON()` gives the
//! contract's snake_case object. Messages are the core's, which never hold a secret.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/support.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    #[allow(clippy::too_many_arguments)]
    fn make_error(
        message: &str,
        code: u32,
        code_name: &str,
        upstream_code: JsValue,
        field: JsValue,
        offset: JsValue,
        raw_body: JsValue,
        outcome_unknown: bool,
    ) -> JsValue;
}

fn opt_str(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// The `VpsgateError` for a core error.
pub fn to_js(e: &vpsgate::Error) -> JsValue {
    let code = e.code();
    let raw = e
        .raw_body()
        .map(|b| String::from_utf8_lossy(b).into_owned());
    make_error(
        &e.to_string(),
        code.number(),
        code.name(),
        e.upstream_code()
            .map_or(JsValue::NULL, |c| JsValue::from_f64(c as f64)),
        opt_str(e.field()),
        e.byte_offset()
            .map_or(JsValue::NULL, |o| JsValue::from_f64(o as f64)),
        opt_str(raw.as_deref()),
        e.outcome_unknown(),
    )
}

/// `Err(VpsgateError)` from a core result.
pub fn js<T>(r: Result<T, vpsgate::Error>) -> Result<T, JsValue> {
    r.map_err(|e| to_js(&e))
}

/// An [`vpsgate::Error::InvalidInput`] on `field`.
pub fn invalid(field: &'static str, reason: impl Into<String>) -> vpsgate::Error {
    vpsgate::Error::invalid_input(field, reason)
}
