//! The HTTP server itself: HTTP/1.0, CORS, limits, persistence, fault injection, config.

mod common;

use std::time::{Duration, Instant};

use common::*;
use vpsgate_sandbox::{FaultConfig, Sandbox, SandboxConfig, SandboxError};

#[test]
fn http_1_0_request_gets_an_answer() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let body = "command=getBalance&login=demo&apikey=demo-key&json=1";
    let req = format!(
        "POST /apih.php HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // HTTP/1.0 without keep-alive: the server answers and closes (raw() reads to EOF).
    let r = raw(s.addr(), req.as_bytes()).expect("an answer");
    assert!(r.status_line.starts_with("HTTP/1."), "{}", r.status_line);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        r#"{"status":"SUCCESS","balance":"100.00","currency":"USD"}"#
    );
    let r = raw(
        s.addr(),
        b"GET /apih.php?command=getBalance&login=test&pass=test&json=1 HTTP/1.0\r\n\r\n",
    )
    .unwrap();
    assert_eq!(
        r.text(),
        r#"{"status":"SUCCESS","balance":"0.00","currency":"USD"}"#
    );
}

#[test]
fn default_config_has_the_documented_accounts() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    assert!(s.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(s.gateway_url(), format!("{}/apih.php", s.base_url()));
    let v = gw(
        s.addr(),
        &[
            ("command", "getTarifs"),
            ("vid", "vds"),
            ("login", "test"),
            ("pass", "test"),
        ],
    );
    assert_eq!(v["status"], "SUCCESS");
    let r = post(s.addr(), "/server/server/get", "rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6");
    assert_eq!(r.status, 200);
}

#[test]
fn cors_allows_any_origin() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let r = raw(
        s.addr(),
        b"GET /apih.php?command=getBalance&login=test&pass=test&json=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = raw(
        s.addr(),
        b"OPTIONS /server/server/get HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r.header("access-control-allow-methods").is_some());
}

#[test]
fn oversized_body_is_refused() {
    let cfg = SandboxConfig {
        max_body_bytes: 1024,
        ..SandboxConfig::default()
    };
    let s = Sandbox::start(cfg).unwrap();
    let big = format!(
        "command=getBalance&login=demo&pass=demo&json=1&pad={}",
        "x".repeat(2000)
    );
    assert_eq!(post(s.addr(), "/apih.php", &big).status, 413);
    let small = "command=getBalance&login=demo&pass=demo&json=1";
    assert_eq!(post(s.addr(), "/apih.php", small).status, 200);
}

#[test]
fn state_survives_a_restart() {
    let dir = temp_dir("persist");
    let file = dir.join("state.json");
    let mut cfg = SandboxConfig::from_toml_str(GATEWAY_TOML).unwrap();
    let g = SandboxConfig::from_toml_str(GOVPSFX_TOML).unwrap();
    cfg.govpsfx = g.govpsfx;
    cfg.state_file = Some(file.clone());

    let s = Sandbox::start(cfg.clone()).unwrap();
    let v = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", "3"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(v["cost"], "14.22", "{v}"); // 4.99 * 3 * 0.95 = 14.2215
    assert_eq!(v["balance"], "85.78");
    gw(
        s.addr(),
        &[
            ("command", "suspendOrder"),
            ("orderid", "504"),
            ("login", "seeded"),
            ("apikey", "seeded-key"),
        ],
    );
    let lease = post(s.addr(), "/server/server/get", "rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6").json();
    s.set_handler("1880", "http://127.0.0.1:9/hook").unwrap();
    s.shutdown().unwrap();
    assert!(file.exists());
    assert!(!dir.join("state.json.tmp").exists());

    let s = Sandbox::start(cfg.clone()).unwrap();
    let v = gw(
        s.addr(),
        &[
            ("command", "getBalance"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(v["balance"], "85.78");
    let v = gw(
        s.addr(),
        &[
            ("command", "getOrders"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(v["orders"][0]["orderid"], "100001");
    assert_eq!(v["orders"][0]["todate"], "2027-02-21");
    let v = gw(
        s.addr(),
        &[
            ("command", "getOrders"),
            ("orderid", "504"),
            ("login", "seeded"),
            ("apikey", "seeded-key"),
        ],
    );
    assert_eq!(v["orders"][0]["status"], "2");
    // Counters continue; the leased server can still be extended.
    let v = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", "1"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(v["orderid"], "100002");
    let hash = sign(&["1", "14321"], "sdsd4223dsd");
    let r = post(
        s.addr(),
        "/server/server/extend",
        &form(&[
            ("term", "1"),
            ("partner_code", "14321"),
            ("client_id", "ID16773"),
            ("hash", &hash),
        ]),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(lease["end_at"], "21.12.2026");
    assert_eq!(r.text(), r#"{"end_at":"21.01.2027"}"#);
    // Closed, the database holds everything in its main file (the write-ahead log is merged).
    drop(s);
    let persisted = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
    assert!(persisted.starts_with("SQLite format 3\0"));
    assert!(persisted.contains("http://127.0.0.1:9/hook"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn corrupt_state_file_is_a_clear_error() {
    let dir = temp_dir("corrupt");
    let file = dir.join("state.json");
    std::fs::write(&file, "{\"next_order_id\": 1,\n oops").unwrap();
    let cfg = SandboxConfig {
        state_file: Some(file),
        ..SandboxConfig::default()
    };
    let err = Sandbox::start(cfg).unwrap_err();
    assert!(matches!(err, SandboxError::State(_)), "{err}");
    assert!(
        err.to_string().contains("not a sandbox state file"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn config_errors_name_the_field() {
    let e = SandboxConfig::from_toml_str("port = \"x\"").unwrap_err();
    assert!(e.to_string().contains("port"), "{e}");
    let e = SandboxConfig::from_toml_str("[faults]\nerror_rate = 2.0").unwrap_err();
    assert!(e.to_string().contains("faults.error_rate"), "{e}");
    let e = SandboxConfig::from_toml_str("[[friendhosting.tariffs]]\nid = \"1\"\nvid = \"cloud\"")
        .unwrap_err();
    assert!(e.to_string().contains("cloud"), "{e}");
    let e = SandboxConfig::from_toml_str(
        "[[govpsfx.partners]]\ncode = \"1\"\nhandler_url = \"http://10.0.0.1/x\"",
    )
    .unwrap_err();
    assert!(e.to_string().contains("loopback"), "{e}");
    let e = SandboxConfig::from_toml_str("bogus = 1").unwrap_err();
    assert!(e.to_string().contains("bogus"), "{e}");
    let secret_free = format!("{:?}", SandboxConfig::default());
    assert!(!secret_free.contains("demo-key") && !secret_free.contains("sdsd4223dsd"));
}

const BALANCE: &str = "command=getBalance&login=demo&apikey=demo-key&json=1";

#[test]
fn fault_500() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    s.set_faults(FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    })
    .unwrap();
    let r = post(s.addr(), "/apih.php", BALANCE);
    assert_eq!(r.status, 500);
    // The admin surface is never faulted.
    assert_eq!(get(s.addr(), "/_sandbox/health").text(), "ok");
}

#[test]
fn fault_dropped_connection() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    s.set_faults(FaultConfig {
        drop_rate: 1.0,
        ..FaultConfig::default()
    })
    .unwrap();
    let req = format!("POST /apih.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{BALANCE}", BALANCE.len());
    assert!(
        raw(s.addr(), req.as_bytes()).is_none(),
        "closed without a byte"
    );
}

#[test]
fn fault_truncated_body() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    s.set_faults(FaultConfig {
        truncate_rate: 1.0,
        ..FaultConfig::default()
    })
    .unwrap();
    let r = post(s.addr(), "/apih.php", BALANCE);
    assert_eq!(r.status, 200);
    let declared: usize = r.header("content-length").unwrap().parse().unwrap();
    let full = r#"{"status":"SUCCESS","balance":"100.00","currency":"USD"}"#;
    assert_eq!(declared, full.len());
    assert_eq!(r.body, full.as_bytes()[..full.len() / 2]);
}

#[test]
fn fault_html_page_and_latency_via_admin_endpoint() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let r = post(
        s.addr(),
        "/_sandbox/faults",
        r#"{"html_rate": 1.0, "latency_ms": 150}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t = Instant::now();
    let r = post(s.addr(), "/apih.php", BALANCE);
    assert!(t.elapsed() >= Duration::from_millis(150));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("<b>Fatal error</b>"));
    let v = get(s.addr(), "/_sandbox/faults").json();
    assert_eq!(v["html_rate"], 1.0);
    assert_eq!(v["latency_ms"], 150);
    assert_eq!(
        post(s.addr(), "/_sandbox/faults", r#"{"error_rate": 7}"#).status,
        400
    );
    assert_eq!(post(s.addr(), "/_sandbox/faults", "{}").status, 200);
    assert_eq!(
        post(s.addr(), "/apih.php", BALANCE).json()["balance"],
        "100.00"
    );
    // One HTML page was injected; admin requests and the clean one are not counted.
    let stats = get(s.addr(), "/_sandbox/stats").json();
    assert_eq!(
        stats["faults"],
        serde_json::json!({"drop": 0, "error_500": 0, "truncate": 0, "html": 1})
    );
    // Every request of this test came on a connection of its own, this one included.
    assert_eq!(stats["connections"], 7);
    assert_eq!(s.connections(), 7);
}

#[test]
fn faults_are_deterministic_when_seeded() {
    let run = || {
        let cfg = SandboxConfig {
            faults: FaultConfig {
                seed: Some(42),
                error_rate: 0.5,
                ..FaultConfig::default()
            },
            ..SandboxConfig::default()
        };
        let s = Sandbox::start(cfg).unwrap();
        (0..40)
            .map(|_| post(s.addr(), "/apih.php", BALANCE).status)
            .collect::<Vec<_>>()
    };
    let a = run();
    assert_eq!(a, run());
    let errors = a.iter().filter(|s| **s == 500).count();
    assert!((8..=32).contains(&errors), "{a:?}");
    assert!(a.iter().all(|s| *s == 200 || *s == 500));
}

#[test]
fn async_serve_stops_on_its_signal() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(vpsgate_sandbox::serve(
            SandboxConfig::default(),
            listener,
            async {
                let _ = rx.await;
            },
        ));
        let r = tokio::task::spawn_blocking(move || get(addr, "/_sandbox/health"))
            .await
            .unwrap();
        assert_eq!(r.text(), "ok");
        tx.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "listener closed"
        );
    });
}

#[test]
fn the_example_config_parses() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sandbox.example.toml");
    let cfg = SandboxConfig::from_file(&path).unwrap();
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.friendhosting.accounts.len(), 2);
    assert_eq!(
        cfg.friendhosting.tariffs[0].months[1].discount.to_string(),
        "0.15"
    );
    assert_eq!(cfg.govpsfx.partners[0].rates.len(), 3);
    let e =
        SandboxConfig::from_file(std::path::Path::new("/nonexistent/sandbox.toml")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/sandbox.toml"), "{e}");
}

#[test]
fn log_lines_never_carry_secrets() {
    let cfg = SandboxConfig {
        log: true,
        ..SandboxConfig::default()
    };
    let s = Sandbox::start(cfg).unwrap();
    gw(
        s.addr(),
        &[
            ("command", "getBalance"),
            ("login", "demo"),
            ("apikey", "demo-key"),
        ],
    );
    gw(
        s.addr(),
        &[
            ("command", "getBalance"),
            ("login", "demo"),
            ("pass", "wrong-pass"),
        ],
    );
    let v = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", "1"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    let server_password = v["serverpassword"].as_str().unwrap().to_string();
    let lease = post(s.addr(), "/server/server/get", "rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6").json();
    let lines = s.log_lines();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[0].contains("getBalance") && lines[0].contains("SUCCESS"),
        "{lines:?}"
    );
    assert!(lines[1].contains("ERROR 7"), "{lines:?}");
    assert!(
        lines[3].contains("/server/server/get") && lines[3].contains("200"),
        "{lines:?}"
    );
    let all = lines.join("\n");
    for secret in [
        "demo-key",
        "wrong-pass",
        "pass=",
        "8cfff6fb",
        &server_password,
        lease["password"].as_str().unwrap(),
    ] {
        assert!(!all.contains(secret), "{secret:?} in {all}");
    }
}
