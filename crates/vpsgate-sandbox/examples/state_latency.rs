//! Latency of `getBalance` and `createOrder` with a state file holding many orders.
//!
//! ```text
//! cargo run --release -p vpsgate-sandbox --example state_latency -- [orders] [requests]
//! ```
//! Defaults: 10 000 orders (seeded through the configuration), 300 timed requests of each
//! command over one keep-alive connection. Prints the median and p95 in milliseconds.

#[path = "support/conn.rs"]
mod conn;
use conn::Conn;

use std::time::Instant;

use vpsgate_sandbox::{AccountConfig, OrderSeed, Sandbox, SandboxConfig};

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn time(c: &mut Conn, n: usize, body: &str) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let (status, answer) = c.post(body);
            assert_eq!(status, 200);
            assert!(
                answer.starts_with(b"{\"status\":\"SUCCESS\""),
                "{}",
                String::from_utf8_lossy(&answer)
            );
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms[n / 2], ms[(n * 95 / 100).min(n - 1)])
}

fn main() {
    let orders = arg(1, 10_000).clamp(1, 1_000_000);
    let n = arg(2, 300).clamp(1, 100_000);
    let dir = std::env::temp_dir().join(format!("vpsgate-state-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("state.db");
    let mut config = SandboxConfig {
        state_file: Some(file.clone()),
        ..SandboxConfig::default()
    };
    config.friendhosting.accounts.push(AccountConfig {
        login: "load".into(),
        apikey: Some("load-key".into()),
        balance: "100000000".parse().expect("decimal"),
        orders: (0..orders)
            .map(|_| OrderSeed {
                tarifid: "201".into(),
                ..OrderSeed::default()
            })
            .collect(),
        ..AccountConfig::default()
    });
    let t = Instant::now();
    let sandbox = Sandbox::start(config).expect("start");
    println!(
        "start-up with {orders} seeded orders: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut c = Conn::open(sandbox.addr());
    let (p50, p95) = time(
        &mut c,
        n,
        "command=getBalance&login=load&apikey=load-key&json=1",
    );
    println!("getBalance at {orders} orders: p50 {p50:.2} ms, p95 {p95:.2} ms ({n} requests)");
    let (p50, p95) = time(
        &mut c,
        n,
        "command=createOrder&vid=vds&tarifid=201&period=1&login=load&apikey=load-key&json=1",
    );
    println!("createOrder at {orders} orders: p50 {p50:.2} ms, p95 {p95:.2} ms ({n} requests)");
    sandbox.shutdown().expect("shutdown");
    let _ = std::fs::remove_dir_all(&dir);
}
