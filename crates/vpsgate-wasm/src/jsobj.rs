//! Reading plain JS objects: configuration, arguments and options.

use js_sys::{Object, Reflect};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::invalid;

/// A shallow copy of `value` as a plain object (`undefined`/`null` give `{}`), or
/// [`vpsgate::Error::InvalidInput`] on `what` when it is not an object.
pub fn copy(value: &JsValue, what: &'static str) -> Result<Object, vpsgate::Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Object::new());
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(invalid(what, "must be a plain object"));
    }
    Ok(Object::assign(&Object::new(), value.unchecked_ref()))
}

/// Property `key` of `obj` (`undefined` when absent).
pub fn get(obj: &Object, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Remove and return property `key`.
pub fn take(obj: &Object, key: &str) -> JsValue {
    let v = get(obj, key);
    let _ = Reflect::delete_property(obj, &JsValue::from_str(key));
    v
}

/// Set property `key`.
pub fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Ids may come as JS numbers (`{id: 100001}`): write integral numbers as decimal strings.
pub fn ids_to_strings(obj: &Object, keys: &[&str]) {
    for key in keys {
        if let Some(n) = get(obj, key).as_f64() {
            if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
                set(obj, key, &JsValue::from_str(&format!("{}", n as i64)));
            }
        }
    }
}

/// Secrets must be strings, checked before serde so that no error text can quote one.
pub fn secrets_are_strings(obj: &Object, keys: &[&'static str]) -> Result<(), vpsgate::Error> {
    for &key in keys {
        let v = get(obj, key);
        if !(v.is_undefined() || v.is_null() || v.is_string()) {
            return Err(invalid(key, "must be a string"));
        }
    }
    Ok(())
}

/// Deserialize a plain object with serde; errors are [`vpsgate::Error::InvalidInput`] on
/// `what` with serde's description (which names unknown fields and wrong types).
///
/// The object goes through `JSON.stringify` and serde_json rather than serde-wasm-bindgen:
/// serde-wasm-bindgen reads a struct by its known field names only, so `deny_unknown_fields`
/// would never see a misspelt field (`{order: 1}` for `{orderid: 1}`), which the contract
/// requires to be refused by name.
pub fn from_object<T: DeserializeOwned>(
    obj: &Object,
    what: &'static str,
) -> Result<T, vpsgate::Error> {
    let text = to_json(obj, what)?;
    serde_json::from_str(&text)
        .map_err(|e| without_position(vpsgate::Error::invalid_input(what, e.to_string())))
}

/// A plain object as JSON text (`JSON.stringify`), for the core's readers.
pub fn to_json(obj: &Object, what: &'static str) -> Result<String, vpsgate::Error> {
    js_sys::JSON::stringify(obj)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            invalid(
                what,
                "holds a value JSON cannot carry (a BigInt or a cycle)",
            )
        })
}

/// An invalid-input error without serde_json's " at line L column C": the position is in the
/// text `JSON.stringify` made, not in anything the JS caller wrote.
pub fn without_position(e: vpsgate::Error) -> vpsgate::Error {
    match e {
        vpsgate::Error::InvalidInput { field, reason } => {
            let reason = match reason.rfind(" at line ") {
                Some(i) => reason[..i].to_owned(),
                None => reason,
            };
            vpsgate::Error::InvalidInput { field, reason }
        }
        other => other,
    }
}

/// A JSON value as a plain JS value.
pub fn json_to_js(value: &serde_json::Value) -> JsValue {
    json_text_to_js(&value.to_string())
}

/// JSON text (the contract's, always valid) as a plain JS value: `JSON.parse` of it.
pub fn json_text_to_js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}
