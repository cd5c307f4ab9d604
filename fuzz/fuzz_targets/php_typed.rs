//! Arbitrary bytes into `php::from_bytes` for typed targets: a getOrders-like struct with
//! borrowed and lenient fields, serde_json::Value, and a few generic shapes. Never a panic, and
//! a typed decode never succeeds where the dynamic parse fails for a syntax reason.
#![no_main]

use std::borrow::Cow;
use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use vpsgate::lenient::{Flag, Int, Money, Text};
use vpsgate::php;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Order<'a> {
    #[serde(borrow)]
    orderid: Cow<'a, str>,
    domain: Option<Text>,
    domain_reg: Option<Int>,
    vid: Option<String>,
    tarifid: Option<Int>,
    tarifname: Option<Text>,
    leftdays: Option<Int>,
    status: Option<Int>,
    paid: Option<Flag>,
    cost: Option<Money>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Orders<'a> {
    status: String,
    #[serde(borrow)]
    orders: Option<Vec<Order<'a>>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
enum Shape {
    Unit,
    Tuple(i64, String),
    Struct { a: Option<f64> },
}

fuzz_target!(|data: &[u8]| {
    let dynamic = php::parse(data);
    let _ = php::from_bytes::<Orders>(data);
    let _ = php::from_bytes::<BTreeMap<String, Order>>(data);
    let _ = php::from_bytes::<Vec<Option<(i64, bool)>>>(data);
    let _ = php::from_bytes::<Shape>(data);
    let _ = php::from_bytes::<BTreeMap<i64, Cow<[u8]>>>(data);
    let _ = php::from_bytes::<serde::de::IgnoredAny>(data);
    let json = php::from_bytes::<serde_json::Value>(data);
    if let (Ok(_), Err(e)) = (&json, &dynamic) {
        // A typed decode may accept less than parse (its own types), never more bytes than PHP.
        assert!(
            matches!(
                e.kind,
                php::ErrorKind::RecursiveReference { .. }
                    | php::ErrorKind::ExpansionLimit { .. }
                    | php::ErrorKind::BadReference { .. }
            ),
            "from_bytes::<serde_json::Value> accepted what parse rejects ({e}): {:?}",
            String::from_utf8_lossy(data)
        );
    }
});
