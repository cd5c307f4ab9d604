//! The sandbox against a web page the developer happens to open: admin endpoints not usable
//! cross-origin, no DNS rebinding through a foreign `Host`, no request input reflected as HTML.

mod common;

use common::*;
use vpsgate_sandbox::{Sandbox, SandboxConfig};

/// Send one request with exactly these headers (no Host unless given) and read the answer.
fn send(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Resp {
    let mut r = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        r.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    r.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    raw(addr, r.as_bytes()).unwrap_or_else(|| panic!("no answer to {method} {path}"))
}

const FAULTS_OFF: &str = r#"{"latency_ms":0}"#;
const FAULTS_ALL_DROP: &str = r#"{"drop_rate":1.0}"#;

#[test]
fn admin_endpoints_send_no_cors_headers_and_refuse_preflight() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let host = s.addr().to_string();
    let r = send(
        s.addr(),
        "GET",
        "/_sandbox/faults",
        &[("Host", &host), ("Origin", "http://evil.example")],
        "",
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.header("access-control-allow-origin"), None);
    let r = send(
        s.addr(),
        "OPTIONS",
        "/_sandbox/faults",
        &[
            ("Host", &host),
            ("Origin", "http://evil.example"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        "",
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(r.header("access-control-allow-methods"), None);
    // Even a same-origin-looking preflight is refused: the admin API never needs one.
    let own = format!("http://{host}");
    let r = send(
        s.addr(),
        "OPTIONS",
        "/_sandbox/health",
        &[("Host", &host), ("Origin", &own)],
        "",
    );
    assert_eq!(r.status, 403);
    // Without Origin (curl, the test clients) or from the sandbox's own origin: served, no CORS.
    let r = send(s.addr(), "GET", "/_sandbox/health", &[("Host", &host)], "");
    assert_eq!((r.status, r.text().as_str()), (200, "ok"));
    assert_eq!(r.header("access-control-allow-origin"), None);
    let r = send(
        s.addr(),
        "GET",
        "/_sandbox/health",
        &[("Host", &host), ("Origin", &own)],
        "",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[test]
fn a_foreign_origin_cannot_change_faults_but_the_api_keeps_cors() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let host = s.addr().to_string();
    for origin in [
        "http://evil.example",
        "null",
        "http://localhost:5173",
        "https://127.0.0.1",
    ] {
        let r = send(
            s.addr(),
            "POST",
            "/_sandbox/faults",
            &[("Host", &host), ("Origin", origin)],
            FAULTS_ALL_DROP,
        );
        assert_eq!(r.status, 403, "origin {origin}: {}", r.text());
    }
    // Nothing changed: the API still answers, with CORS for the browser example.
    let r = send(
        s.addr(),
        "GET",
        "/apih.php?command=getBalance&login=demo&pass=demo&json=1",
        &[("Host", &host), ("Origin", "http://localhost:5173")],
        "",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.json()["balance"], "100.00");
    // The same change without Origin goes through.
    let r = post(s.addr(), "/_sandbox/faults", FAULTS_OFF);
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_host_that_is_not_loopback_is_refused_everywhere() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let port = s.addr().port();
    let paths = [
        (
            "GET",
            "/apih.php?command=getBalance&login=demo&pass=demo&json=1",
        ),
        ("POST", "/server/server/get"),
        ("GET", "/_sandbox/health"),
        ("GET", "/_sandbox/faults"),
        ("GET", "/_sandbox/deliveries"),
        ("POST", "/_sandbox/partners/14321/handler"),
    ];
    let bad_hosts = [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("192.168.1.10:{port}"),
        format!("127.0.0.2:{port}"),
        "127.0.0.1:x".to_string(),
        "[::1]x".to_string(),
        "[::2]".to_string(),
    ];
    for (method, path) in paths {
        for h in &bad_hosts {
            let r = send(s.addr(), method, path, &[("Host", h)], "");
            assert_eq!(r.status, 403, "{method} {path} Host {h}: {}", r.text());
            assert!(r.text().contains("loopback"), "{}", r.text());
        }
    }
    // Two Host headers: refused rather than guessing which one counts.
    let r = send(
        s.addr(),
        "GET",
        "/_sandbox/health",
        &[("Host", "127.0.0.1"), ("Host", "evil.example")],
        "",
    );
    assert_eq!(r.status, 400);
    let good_hosts = [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
    ];
    for h in &good_hosts {
        let r = send(s.addr(), "GET", "/_sandbox/health", &[("Host", h)], "");
        assert_eq!(r.status, 200, "Host {h}");
        let r = send(
            s.addr(),
            "GET",
            "/apih.php?command=getBalance&login=demo&pass=demo&json=1",
            &[("Host", h)],
            "",
        );
        assert_eq!(r.json()["balance"], "100.00", "Host {h}");
    }
}

#[test]
fn request_input_is_escaped_in_html_answers() {
    let s = Sandbox::start(SandboxConfig::default()).unwrap();
    let evil = "<script>alert('x')</script>&\"";
    let probes: Vec<Vec<(&str, &str)>> = vec![
        vec![("command", evil), ("login", "demo"), ("pass", "demo")],
        vec![
            ("command", "getTarifs"),
            ("vid", evil),
            ("login", "demo"),
            ("pass", "demo"),
        ],
        vec![
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", evil),
            ("period", "1"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
        vec![
            ("command", "createOrder"),
            ("vid", "hosting"),
            ("tarifid", "101"),
            ("domain", evil),
            ("period", "1"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
        vec![
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", evil),
            ("login", "demo"),
            ("pass", "demo"),
        ],
        vec![
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", "1"),
            ("addons", evil),
            ("login", "demo"),
            ("pass", "demo"),
        ],
        vec![
            ("command", "renewOrder"),
            ("orderid", evil),
            ("login", "demo"),
            ("pass", "demo"),
        ],
        vec![
            ("command", "getOrders"),
            ("orderid", evil),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    ];
    for p in probes {
        let r = post(s.addr(), "/apih.php", &form(&p));
        assert_eq!(r.header("content-type"), Some("text/html; charset=UTF-8"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        let body = String::from_utf8_lossy(&r.body).into_owned();
        assert!(body.starts_with("a:3:{"), "{body}");
        assert!(body.contains("ERROR"), "{body}");
        for bad in ["<script", "</script", "'x'", "&\""] {
            assert!(!body.contains(bad), "{bad:?} reflected in {body}");
        }
        // The value is still there, escaped, and the PHP string lengths still add up.
        assert!(
            body.contains("&lt;script&gt;alert(&#039;x&#039;)&lt;/script&gt;&amp;"),
            "{body}"
        );
        let decoded: serde_json::Value = vpsgate::php::from_bytes(&r.body).expect("valid PHP");
        assert!(decoded["errorMsg"].as_str().unwrap().contains("&lt;script"));
    }
    // The JSON form is not HTML: it keeps the text as sent.
    let v = gw(
        s.addr(),
        &[
            ("command", "getTarifs"),
            ("vid", "<b>"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert!(v["errorMsg"].as_str().unwrap().contains("\"<b>\""), "{v}");
}
