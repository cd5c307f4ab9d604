//! Decoding a getOrders answer of ~1 MB and ~20 MB, PHP `serialize()` and JSON, into the dynamic
//! models and into typed structs. The payloads are written by real PHP
//! (`tests/php/bench_payload.php`) into `<target>/vpsgate-bench/` at start; without `php` they are
//! generated with the codec's own serializer instead (and the bench says so).
//!
//! `scripts/bench-php.sh` runs this and PHP's own `unserialize()`/`json_decode()` on the same
//! files and prints one table.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use serde::{Deserialize, Serialize};
use vpsgate::friendhosting::{self, OrdersAnswer};
use vpsgate::lenient::{Int, Text};
use vpsgate::php;

/// One order as a client would declare it: borrowed text where it can, lenient numbers.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Order<'a> {
    orderid: Int,
    #[serde(borrow)]
    domain: Cow<'a, str>,
    domain_reg: Int,
    #[serde(borrow)]
    vid: Cow<'a, str>,
    tarifid: Int,
    tarifname: Text,
    #[serde(borrow)]
    orderdate: Cow<'a, str>,
    #[serde(borrow)]
    startdate: Cow<'a, str>,
    #[serde(borrow)]
    todate: Cow<'a, str>,
    leftdays: Int,
    status: Int,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Orders<'a> {
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow)]
    orders: Vec<Order<'a>>,
}

/// The fallback payload when PHP is missing: the same shape, built in Rust.
#[derive(Serialize)]
struct OwnedOrders {
    status: &'static str,
    orders: Vec<[(&'static str, String); 11]>,
}

fn target_dir() -> PathBuf {
    if let Ok(d) = std::env::var("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    // <target>/release/deps/decode-<hash>
    std::env::current_exe()
        .ok()
        .and_then(|p| p.ancestors().nth(3).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("target"))
}

fn payload_dir() -> PathBuf {
    let dir = target_dir().join("vpsgate-bench");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/php/bench_payload.php");
    let by_php = Command::new("php")
        .arg(&script)
        .arg(&dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !by_php {
        eprintln!(
            "!!! php not available: payloads generated with vpsgate's own serializer, not by PHP"
        );
        std::fs::create_dir_all(&dir).expect("payload dir");
        for (name, n) in [("1mb", 3202usize), ("20mb", 64034)] {
            let answer = fallback_orders(n);
            std::fs::write(
                dir.join(format!("orders_{name}.ser")),
                php::to_vec(&answer).expect("to_vec"),
            )
            .expect("write");
            std::fs::write(
                dir.join(format!("orders_{name}.json")),
                serde_json::to_vec(&answer).expect("json"),
            )
            .expect("write");
        }
    }
    dir
}

fn fallback_orders(n: usize) -> OwnedOrders {
    let orders = (0..n)
        .map(|i| {
            [
                ("orderid", (100_000 + i * 7).to_string()),
                ("domain", format!("site{i}.example.com")),
                ("domain_reg", (i % 2).to_string()),
                ("vid", "vds".to_owned()),
                ("tarifid", (10 + i % 40).to_string()),
                ("tarifname", format!("VDS-Старт {}", i % 9)),
                ("orderdate", "2024-01-01".to_owned()),
                ("startdate", "2024-01-02".to_owned()),
                ("todate", "2025-01-02".to_owned()),
                ("leftdays", (i % 400).to_string()),
                ("status", (i % 4).to_string()),
            ]
        })
        .collect();
    OwnedOrders {
        status: "SUCCESS",
        orders,
    }
}

fn bench(c: &mut Criterion) {
    let dir = payload_dir();
    for name in ["1mb", "20mb"] {
        let ser = std::fs::read(dir.join(format!("orders_{name}.ser"))).expect("payload");
        let json = std::fs::read(dir.join(format!("orders_{name}.json"))).expect("payload");

        // Check once that every decoder reads the whole answer before timing it.
        let n = php::from_bytes::<Orders>(&ser)
            .expect("typed php")
            .orders
            .len();
        assert!(n > 1000);
        assert_eq!(
            serde_json::from_slice::<Orders>(&json)
                .expect("typed json")
                .orders
                .len(),
            n
        );
        let gw = friendhosting::parse::<OrdersAnswer>(
            http::StatusCode::OK,
            &http::HeaderMap::new(),
            &ser,
        )
        .expect("gateway php");
        assert_eq!(gw.data.orders.len(), n);

        let mut g = c.benchmark_group(format!("decode_{name}"));
        if name == "20mb" {
            g.sample_size(10);
        }
        g.throughput(Throughput::Bytes(ser.len() as u64));
        g.bench_function("php_value", |b| {
            b.iter(|| php::parse(black_box(&ser)).expect("parse"))
        });
        g.bench_function("php_typed", |b| {
            b.iter(|| php::from_bytes::<Orders>(black_box(&ser)).expect("typed"))
        });
        g.bench_function("php_gateway", |b| {
            b.iter(|| {
                friendhosting::parse::<OrdersAnswer>(
                    http::StatusCode::OK,
                    &http::HeaderMap::new(),
                    black_box(&ser),
                )
                .expect("gateway")
            })
        });
        g.throughput(Throughput::Bytes(json.len() as u64));
        g.bench_function("json_value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&json)).expect("json"))
        });
        g.bench_function("json_typed", |b| {
            b.iter(|| serde_json::from_slice::<Orders>(black_box(&json)).expect("json typed"))
        });
        g.bench_function("json_gateway", |b| {
            b.iter(|| {
                friendhosting::parse_hinted::<OrdersAnswer>(
                    friendhosting::Format::Json,
                    http::StatusCode::OK,
                    &http::HeaderMap::new(),
                    black_box(&json),
                )
                .expect("gateway json")
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
