//! Arbitrary bytes into `php::parse`: never a panic; an error points into the input; whatever
//! parses re-encodes (`Value::to_php`) into bytes that parse back to the same value
//! (`Value::same_as`); `php::to_json_bytes` says exactly what the tree path says; and
//! `php::to_msgpack_for_js` (the npm package's fast path) never writes anything for input the
//! tree refuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpsgate::php::{self, Options};

fuzz_target!(|data: &[u8]| {
    // The first byte picks tight limits now and then, to reach the limit paths.
    let mut options = Options::default();
    if data.first() == Some(&b'#') {
        options.max_depth = 3;
        options.max_reference_expansion = 50;
    }
    let packed = php::to_msgpack_for_js(data, &options);
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
                v.same_as(&back),
                "round trip changed the value\ninput {:?}\noutput {:?}\n{v:?}\n{back:?}",
                String::from_utf8_lossy(data),
                String::from_utf8_lossy(&bytes)
            );
            let json = php::to_json(&v);
            assert!(
                serde_json::from_str::<serde_json::Value>(&json).is_ok() || json.len() > 10_000,
                "to_json is not JSON: {json}"
            );
            let direct = php::to_json_bytes(data, &options).expect("the tree accepted it");
            assert_eq!(direct, json.as_bytes(), "to_json_bytes differs from the tree");
        }
        Err(e) => {
            assert!(
                e.offset.is_some_and(|o| o <= data.len()),
                "error offset {:?} past the input ({})",
                e.offset,
                data.len()
            );
            assert!(packed.is_none(), "MessagePack written for refused input: {e}");
            assert_eq!(php::to_json_bytes(data, &options), Err(e), "same error as the tree");
        }
    }
});
