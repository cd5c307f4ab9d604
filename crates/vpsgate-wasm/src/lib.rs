//! The vpsgate core in WebAssembly, for the npm package `vpsgate` (`bindings/npm`).
//!
//! Everything protocol-related is the core's ([`vpsgate`]): this crate only moves bytes with
//! `fetch` ([`fetch`]), reads JS configuration and arguments, and turns results and errors into
//! plain JS values in the shapes of `docs/CONTRACT.md`:
//!
//! - [`clients::Friendhosting`]: the nine gateway commands (`getBalance`, `createOrder`, ...);
//! - [`clients::Govpsfx`]: `lease`, `extend`, `recall`, and deferred-delivery verification;
//! - [`clients::Lifecycle`]: the provider-neutral steps, provider chosen by configuration;
//! - [`codec`]: `decodePhp`, `encodePhp`, `sign`.
//!
//! Every failure reaches JS as a `VpsgateError` (a real `Error`, `js/support.js`) whose `code`
//! is the core's [`vpsgate::ErrorCode`] number. The crate avoids panics; should one happen
//! anyway (with `panic = "abort"` it traps), the call that hit it throws or rejects with a
//! `VpsgateError` of code 100 (`panic`, the C library's number), so do the calls still pending,
//! and the instance refuses every later call with the same error ([`exec`], `js/support.js`).
#![warn(missing_docs)]

use wasm_bindgen::prelude::*;

pub mod clients;
pub mod codec;
pub mod error;
pub mod exec;
pub mod fetch;
mod jsobj;

#[wasm_bindgen(module = "/js/support.js")]
extern "C" {
    #[wasm_bindgen(js_name = reportPanic)]
    fn report_panic(message: &str);
    #[wasm_bindgen(js_name = vpsgateErrorClass)]
    fn vpsgate_error_class() -> JsValue;
    #[wasm_bindgen(js_name = runtime)]
    fn support_runtime() -> JsValue;
}

/// Installs the panic hook and the executor's poll function once, when the module is
/// instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| report_panic(&info.to_string())));
    exec::install();
}

/// The guard the package's entry files wrap every export in (`js/support.js`, `guard`): an
/// export that traps throws a `VpsgateError` 100 and breaks the instance for good.
#[doc(hidden)]
#[wasm_bindgen(js_name = __runtime)]
pub fn runtime() -> JsValue {
    support_runtime()
}

/// A deliberate panic, for the tests of the panic path only (`tests/npm/panic.test.mjs`):
/// `"sync"` panics in this call, `"async"` returns a promise whose task panics on a later
/// microtask. Either breaks the instance. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests(mode: &str) -> js_sys::Promise {
    if mode == "async" {
        return exec::spawn(Box::pin(async {
            let tick = js_sys::Promise::resolve(&JsValue::UNDEFINED);
            if wasm_bindgen_futures::JsFuture::from(tick).await.is_ok() {
                panic!("deliberate panic for tests (async)");
            }
            Ok(JsValue::UNDEFINED)
        }));
    }
    panic!("deliberate panic for tests (sync)");
}

/// The `VpsgateError` class, for `instanceof` checks (the package exports it by name).
#[wasm_bindgen(js_name = errorClass)]
pub fn error_class() -> JsValue {
    vpsgate_error_class()
}

/// The numeric error codes by name (`{invalid_input: 1, php_syntax: 2, ...}`), the same numbers
/// as the C library and the CLI's exit codes (`10 +` the number).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsValue {
    let codes = js_sys::Object::new();
    for code in vpsgate::ErrorCode::ALL {
        let _ = js_sys::Reflect::set(
            &codes,
            &JsValue::from_str(code.name()),
            &JsValue::from(code.number()),
        );
    }
    codes.into()
}
