//! The sandbox under attack: slow senders, unbounded admin values, bad start-up values.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use vpsgate_sandbox::{Sandbox, SandboxConfig};

/// Opens a connection that declares a body and then sends one byte per 300 ms.
fn trickler(addr: std::net::SocketAddr) -> std::thread::JoinHandle<Option<Duration>> {
    std::thread::spawn(move || {
        let start = Instant::now();
        let mut c = TcpStream::connect(addr).ok()?;
        c.set_read_timeout(Some(Duration::from_millis(50))).ok()?;
        c.write_all(b"POST /apih.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n")
            .ok()?;
        let mut buf = [0u8; 512];
        while start.elapsed() < Duration::from_secs(8) {
            if c.write_all(b"a").is_err() {
                return Some(start.elapsed());
            }
            match c.read(&mut buf) {
                Ok(0) => return Some(start.elapsed()),
                Ok(_) => {}
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => return Some(start.elapsed()),
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        None
    })
}

#[test]
fn slow_bodies_are_cut_off_and_do_not_freeze_the_sandbox() {
    let s = Sandbox::start(SandboxConfig {
        read_timeout_ms: 800,
        max_connections: 4,
        ..SandboxConfig::default()
    })
    .unwrap();
    let slow: Vec<_> = (0..4).map(|_| trickler(s.addr())).collect();
    std::thread::sleep(Duration::from_millis(200));
    // All four slots are held by tricklers; a normal request is served once they are cut off.
    let t = Instant::now();
    let v = gw(
        s.addr(),
        &[
            ("command", "getBalance"),
            ("login", "demo"),
            ("apikey", "demo-key"),
            ("json", "1"),
        ],
    );
    assert_eq!(v["balance"], "100.00");
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    for h in slow {
        let closed = h.join().unwrap();
        let closed = closed.expect("the slow connection was closed by the sandbox");
        assert!(closed < Duration::from_secs(4), "{closed:?}");
    }
}

#[test]
fn admin_fault_values_are_bounded() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let r = post(
        s.addr(),
        "/_sandbox/faults",
        r#"{"latency_ms": 18446744073709551615}"#,
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("latency_ms"), "{}", r.text());
    let r = post(s.addr(), "/_sandbox/faults", r#"{"latency_ms": 60001}"#);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("60000"), "{}", r.text());
    let r = post(s.addr(), "/_sandbox/faults", r#"{"drop_rate": -0.1}"#);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("drop_rate"), "{}", r.text());
    assert_eq!(
        post(s.addr(), "/_sandbox/faults", r#"{"latency_ms": 60000}"#).status,
        200
    );
    assert_eq!(
        get(s.addr(), "/_sandbox/faults").json()["latency_ms"],
        60000
    );
}

#[test]
fn config_values_are_bounded_at_start_up() {
    let neg = "[[friendhosting.accounts]]\nlogin = \"a\"\nbalance = \"-1.00\"\n";
    let e = SandboxConfig::from_toml_str(neg).unwrap_err().to_string();
    assert!(e.contains("negative"), "{e}");
    let e = SandboxConfig::from_toml_str("[faults]\nlatency_ms = 100000\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("latency_ms"), "{e}");
    let e = SandboxConfig::from_toml_str("[faults]\nerror_rate = nan\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("error_rate"), "{e}");
    let e = SandboxConfig::from_toml_str("read_timeout_ms = 0\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("read_timeout_ms"), "{e}");
    assert!(SandboxConfig::from_toml_str(
        "[[friendhosting.accounts]]\nlogin = \"a\"\nbalance = \"0\"\n"
    )
    .is_ok());
}
