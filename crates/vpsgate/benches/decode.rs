//! Decoding getOrders and getTarifs answers of ~1 KB, ~1 MB and ~20 MB, written by real PHP
//! (`tests/php/bench_payload.php`, into `<target>/vpsgate-bench/` at start), in both formats:
//! into `php::Value`, into the typed answers, PHP to JSON text, and JSON into the typed answers
//! (through the gateway and through plain serde_json, the target's baseline).
//!
//! Every measurement uses `iter_with_large_drop`: the result is dropped outside the timed
//! region, as the PHP side (`tests/php/bench_php.php`) unsets its result after its timer.
//! `scripts/perf-report.sh` runs this next to PHP and writes `docs/PERFORMANCE.md`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use serde::Deserialize;
use vpsgate::friendhosting::{self, Format, OrdersAnswer, TarifsAnswer};
use vpsgate::php;

/// A getOrders answer as a client could declare it, borrowing its text from the input.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct BorrowedOrder<'a> {
    #[serde(borrow)]
    orderid: Cow<'a, str>,
    #[serde(borrow)]
    domain: Cow<'a, str>,
    #[serde(borrow)]
    vid: Cow<'a, str>,
    #[serde(borrow)]
    tarifname: Cow<'a, str>,
    #[serde(borrow)]
    todate: Cow<'a, str>,
    #[serde(borrow)]
    status: Cow<'a, str>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct BorrowedOrders<'a> {
    #[serde(borrow)]
    orders: Vec<BorrowedOrder<'a>>,
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
    let ok = Command::new("php")
        .arg(&script)
        .arg(&dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "the payloads are written by real PHP: install php-cli (8.2) and run again"
    );
    dir
}

fn gateway<'a, T: Deserialize<'a>>(body: &'a [u8], format: Format) -> T {
    friendhosting::parse_hinted::<T>(format, http::StatusCode::OK, &http::HeaderMap::new(), body)
        .expect("gateway")
        .data
}

fn bench_answer<T>(c: &mut Criterion, kind: &str, name: &str, ser: &[u8], json: &[u8])
where
    T: for<'de> Deserialize<'de>,
{
    let mut g = c.benchmark_group(format!("{kind}_{name}"));
    if name == "20mb" {
        g.sample_size(10);
    }
    g.throughput(Throughput::Bytes(ser.len() as u64));
    let opts = php::Options::default();
    g.bench_function("php_value", |b| {
        b.iter_with_large_drop(|| php::parse(black_box(ser)).expect("parse"))
    });
    g.bench_function("php_typed", |b| {
        b.iter_with_large_drop(|| gateway::<T>(black_box(ser), Format::Php))
    });
    if kind == "orders" {
        g.bench_function("php_typed_borrowed", |b| {
            b.iter_with_large_drop(|| {
                php::from_bytes::<BorrowedOrders>(black_box(ser)).expect("typed")
            })
        });
    }
    g.bench_function("php_to_json", |b| {
        b.iter_with_large_drop(|| php::to_json_bytes(black_box(ser), &opts).expect("json"))
    });
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("json_typed", |b| {
        b.iter_with_large_drop(|| gateway::<T>(black_box(json), Format::Json))
    });
    g.bench_function("serde_json_typed", |b| {
        b.iter_with_large_drop(|| serde_json::from_slice::<T>(black_box(json)).expect("serde"))
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let dir = payload_dir();
    for kind in ["orders", "tarifs"] {
        for name in ["1kb", "1mb", "20mb"] {
            let ser = std::fs::read(dir.join(format!("{kind}_{name}.ser"))).expect("payload");
            let json = std::fs::read(dir.join(format!("{kind}_{name}.json"))).expect("payload");
            // Check once that every decoder reads the whole answer, the same way, before
            // timing it.
            let tree = php::parse(&ser).expect("parse");
            assert_eq!(
                php::to_json_bytes(&ser, &php::Options::default()).expect("json"),
                php::to_json(&tree).as_bytes()
            );
            if kind == "orders" {
                let a: OrdersAnswer = gateway(&ser, Format::Php);
                let b: OrdersAnswer = gateway(&json, Format::Json);
                let c2: OrdersAnswer = serde_json::from_slice(&json).expect("serde");
                assert!(!a.orders.is_empty() && a == b && b == c2);
                bench_answer::<OrdersAnswer>(c, kind, name, &ser, &json);
            } else {
                let a: TarifsAnswer = gateway(&ser, Format::Php);
                let b: TarifsAnswer = gateway(&json, Format::Json);
                let c2: TarifsAnswer = serde_json::from_slice(&json).expect("serde");
                assert!(!a.tarifs.is_empty() && a == b && b == c2);
                bench_answer::<TarifsAnswer>(c, kind, name, &ser, &json);
            }
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
