//! JSON shaped like PHP's `json_encode(unserialize(...))`.
use super::Value;
pub(crate) fn to_json(_v: &Value) -> String {
    String::new()
}
