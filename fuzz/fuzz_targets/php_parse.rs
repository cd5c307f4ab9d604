//! Arbitrary bytes into `php::parse`: never a panic; an error points into the input; whatever
//! parses re-encodes (`Value::to_php`) into bytes that parse back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpsgate::php::{self, Options, Value};

/// Structural equality where every NaN equals every NaN (PHP keeps only one NaN).
fn same(a: &Value, b: &Value) -> bool {
    let entries = |x: &php::Array, y: &php::Array| {
        x.len() == y.len()
            && x.iter()
                .zip(y.iter())
                .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2))
    };
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (Value::Array(x), Value::Array(y)) => entries(x, y),
        (
            Value::Object {
                class: c1,
                properties: p1,
            },
            Value::Object {
                class: c2,
                properties: p2,
            },
        ) => c1 == c2 && entries(p1, p2),
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks tight limits now and then, to reach the limit paths.
    let mut options = Options::default();
    if data.first() == Some(&b'#') {
        options.max_depth = 3;
        options.max_reference_expansion = 50;
    }
    match php::parse_with(data, &options) {
        Ok(v) => {
            let bytes = v.to_php();
            let back = php::parse(&bytes).unwrap_or_else(|e| {
                panic!(
                    "our own output does not parse: {e}\ninput {:?}\noutput {:?}",
                    String::from_utf8_lossy(data),
                    String::from_utf8_lossy(&bytes)
                )
            });
            assert!(
                same(&v, &back),
                "round trip changed the value\ninput {:?}\noutput {:?}\n{v:?}\n{back:?}",
                String::from_utf8_lossy(data),
                String::from_utf8_lossy(&bytes)
            );
            let json = php::to_json(&v);
            assert!(
                serde_json::from_str::<serde_json::Value>(&json).is_ok() || json.len() > 10_000,
                "to_json is not JSON: {json}"
            );
        }
        Err(e) => assert!(
            e.offset <= data.len(),
            "error offset {} past the input ({})",
            e.offset,
            data.len()
        ),
    }
});
