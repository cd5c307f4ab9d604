//! A raw HTTP/1.1 client over `TcpStream` for the sandbox tests, and shared configs.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use md5::{Digest, Md5};

/// A raw answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

/// Send raw bytes, read until the server closes; `None` if it closed without a byte.
pub fn raw(addr: SocketAddr, request: &[u8]) -> Option<Resp> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).expect("write");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    if buf.is_empty() {
        return None;
    }
    Some(parse(&buf))
}

pub fn parse(buf: &[u8]) -> Resp {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of head");
    let head = std::str::from_utf8(&buf[..end]).expect("ascii head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap().to_string();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect::<Vec<_>>();
    let body = buf[end + 4..].to_vec();
    Resp {
        status,
        status_line,
        headers,
        body,
    }
}

pub fn post(addr: SocketAddr, path: &str, body: &str) -> Resp {
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    raw(addr, req.as_bytes()).expect("an answer")
}

pub fn get(addr: SocketAddr, path_and_query: &str) -> Resp {
    let req = format!("GET {path_and_query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    raw(addr, req.as_bytes()).expect("an answer")
}

/// Form-encode pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// POST a gateway command, JSON answer.
pub fn gw(addr: SocketAddr, pairs: &[(&str, &str)]) -> serde_json::Value {
    let mut p = pairs.to_vec();
    p.push(("json", "1"));
    let r = post(addr, "/apih.php", &form(&p));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// The md5 rule, written out independently for the tests with Rust's `to_lowercase`: the same
/// as PHP's `mb_strtolower` for ASCII and Cyrillic, not for a final `Σ` or letters newer than
/// PHP 8.2's Unicode (see `hash_is_lowered_like_php_mb_strtolower`).
pub fn sign(values: &[&str], secret: &str) -> String {
    let s = format!("{}{secret}", values.concat()).to_lowercase();
    format!("{:x}", Md5::digest(s.as_bytes()))
}

/// Run `php` with `args`; its stdout. `None` (the caller skips) when php is not installed,
/// unless `VPSGATE_REQUIRE_PHP=1`; a failing script panics.
pub fn run_php(args: &[&str]) -> Option<Vec<u8>> {
    match std::process::Command::new("php").args(args).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "php {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(out.stdout)
        }
        Err(e) => {
            assert!(
                std::env::var("VPSGATE_REQUIRE_PHP").as_deref() != Ok("1"),
                "php is required: {e}"
            );
            eprintln!("SKIPPED: php not found ({e})");
            None
        }
    }
}

/// Months later, the day clamped to the month's length (the sandbox's documented rule).
pub fn add_months(d: time::Date, months: u32) -> time::Date {
    let total = i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1 + i64::from(months);
    let year = total.div_euclid(12) as i32;
    let month = time::Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap();
    time::Date::from_calendar_date(year, month, d.day().min(month.length(year))).unwrap()
}

/// A fresh temporary directory.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let d = std::env::temp_dir().join(format!(
        "vpsgate-sandbox-{tag}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The gateway test catalog: fixed date 2026-11-21 and accounts in every state.
pub const GATEWAY_TOML: &str = r#"
today = "2026-11-21"
seed = 7

[friendhosting]
currency = "USD"
restart_types = ["vds"]
reinstall_types = ["vds"]

[[friendhosting.tariffs]]
id = "101"
vid = "hosting"
name = "Hosting Start"
cost_monthly = "2.50"
cost_setup = "1.00"
months = [
  { months = 1, discount = "0", allow_for_new_order = true, allow_for_renew = true },
  { months = 12, discount = "0.1", allow_for_new_order = true, allow_for_renew = true },
  { months = 24, discount = "0.2", allow_for_new_order = false, allow_for_renew = true },
]
addons = [
  { id = "1", name = "Mail pack", cost_monthly = "0.50", cost_setup = "2.00" },
]

[[friendhosting.tariffs]]
id = "102"
vid = "hosting"
name = "Hosting Manual"
cost_monthly = "3.00"
manual_processing = true
months = [{ months = 1 }]

[[friendhosting.tariffs]]
id = "201"
vid = "vds"
name = "VDS-1"
cost_monthly = "4.99"
allow_without_domain = true
months = [{ months = 1 }, { months = 3, discount = "0.05" }]

[[friendhosting.accounts]]
login = "test"
password = "test"
test_mode = true

[[friendhosting.accounts]]
login = "demo"
password = "demo"
apikey = "demo-key"
balance = "100.00"

[[friendhosting.accounts]]
login = "seeded"
apikey = "seeded-key"
balance = "50.00"
orders = [
  { orderid = 500, tarifid = "101", domain = "пример.рф", orderdate = "2026-01-10", startdate = "2026-01-10", todate = "2027-01-10", status = 1 },
  { orderid = 501, tarifid = "201", domain = "", orderdate = "2026-01-10", todate = "2026-02-10", status = 1 },
  { orderid = 502, tarifid = "201", domain = "", orderdate = "2026-01-10", todate = "2027-02-10", status = 2 },
  { orderid = 503, tarifid = "201", domain = "", orderdate = "2026-11-20", todate = "2026-11-20", status = 0, unpaid = true },
  { orderid = 504, tarifid = "201", domain = "", orderdate = "2026-01-10", todate = "2027-02-10", status = 1 },
]

[[friendhosting.accounts]]
login = "noapi"
password = "x"
api_access = false

[[friendhosting.accounts]]
login = "locked"
password = "x"
allowed_ips = ["10.1.2.3"]

[[friendhosting.accounts]]
login = "poor"
password = "x"
balance = "1.00"

[[friendhosting.accounts]]
login = "empty"
password = "x"
"#;

/// The GoVPSFX test partners, with short delivery delays.
pub const GOVPSFX_TOML: &str = r#"
today = "2026-11-21"

[govpsfx]
delivery_delay_ms = 20
max_delivery_attempts = 4
retry_backoff_ms = 20

[[govpsfx.partners]]
code = "14321"
secret = "sdsd4223dsd"
rates = [{ name = "singapore" }, { name = "france_mini", delivery = "deferred" }]

[[govpsfx.partners]]
code = "1880"
secret = "Другой-Секрет"
delivery = "deferred"
rates = [{ name = "france_classic" }]
"#;
