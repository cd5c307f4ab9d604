//! Throughput of `getOrders` and memory with many orders, against an in-process sandbox.
//!
//! ```text
//! cargo run --release -p vpsgate-sandbox --example load -- [threads] [requests-per-thread] [orders]
//! ```
//! Defaults: 4 threads × 5000 requests, 10 000 orders. Each thread keeps one HTTP/1.1
//! connection alive. Orders are placed through `createOrder` (JSON answers).

#[path = "support/conn.rs"]
mod conn;
use conn::Conn;

use std::time::Instant;

use vpsgate_sandbox::{AccountConfig, Sandbox, SandboxConfig};

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let threads = arg(1, 4).clamp(1, 64);
    let per_thread = arg(2, 5000).clamp(1, 1_000_000);
    let orders = arg(3, 10_000).clamp(1, 1_000_000);

    let mut config = SandboxConfig::default();
    config.friendhosting.accounts.push(AccountConfig {
        login: "load".into(),
        apikey: Some("load-key".into()),
        balance: "100000000".parse().expect("decimal"),
        ..AccountConfig::default()
    });
    let sandbox = Sandbox::start(config).expect("start");
    let addr = sandbox.addr();
    let rss_before = rss_kib();

    // Seed orders through createOrder, spread over the threads.
    let t = Instant::now();
    std::thread::scope(|s| {
        for i in 0..threads {
            s.spawn(move || {
                let mut c = Conn::open(addr);
                let mine = orders / threads + usize::from(i < orders % threads);
                for _ in 0..mine {
                    let (status, body) = c.post("command=createOrder&vid=vds&tarifid=201&period=1&login=load&apikey=load-key&json=1");
                    assert_eq!(status, 200);
                    assert!(body.starts_with(b"{\"status\":\"SUCCESS\""), "{}", String::from_utf8_lossy(&body));
                }
            });
        }
    });
    let seed_secs = t.elapsed().as_secs_f64();
    let rss_after = rss_kib();
    println!(
        "createOrder: {orders} orders in {seed_secs:.2} s ({:.0} req/s)",
        orders as f64 / seed_secs
    );
    println!(
        "RSS: {rss_before} KiB before, {rss_after} KiB with {orders} orders (+{} KiB)",
        rss_after.saturating_sub(rss_before)
    );

    // getOrders for one order of the 10 000 (JSON, then PHP format), and an empty account.
    for (label, body) in [
        (
            "getOrders orderid=100500 (account with all orders)",
            "command=getOrders&orderid=100500&login=load&apikey=load-key&json=1",
        ),
        (
            "getOrders orderid=100500, PHP serialize() format",
            "command=getOrders&orderid=100500&login=load&apikey=load-key",
        ),
        (
            "getOrders (test account, no orders: error 26)",
            "command=getOrders&login=test&pass=test&json=1",
        ),
    ] {
        let t = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    let mut c = Conn::open(addr);
                    for _ in 0..per_thread {
                        let (status, _) = c.post(body);
                        assert_eq!(status, 200);
                    }
                });
            }
        });
        let secs = t.elapsed().as_secs_f64();
        let total = threads * per_thread;
        println!(
            "{label}: {total} requests over {threads} keep-alive connections in {secs:.2} s = {:.0} req/s",
            total as f64 / secs
        );
    }
    // The full listing of the big account, a few times (one answer holds every order).
    let mut c = Conn::open(addr);
    let t = Instant::now();
    let mut size = 0;
    for _ in 0..20 {
        let (status, body) = c.post("command=getOrders&login=load&apikey=load-key&json=1");
        assert_eq!(status, 200);
        size = body.len();
    }
    println!(
        "getOrders listing all {orders} orders: {:.1} ms per request, {size} bytes",
        t.elapsed().as_secs_f64() * 1000.0 / 20.0
    );
    println!("RSS at the end: {} KiB", rss_kib());
    sandbox.shutdown().expect("shutdown");
}
