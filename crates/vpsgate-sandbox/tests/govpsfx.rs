//! The GoVPSFX partner API over real loopback HTTP: signatures, validation, deferred delivery.

mod common;

use std::time::Duration;

use common::*;
use vpsgate_sandbox::{CallbackReceiver, RunningSandbox, Sandbox, SandboxConfig};

const SECRET: &str = "sdsd4223dsd";

/// The server details' fields, in the order of the document's sample.
const DETAILS_FIELDS: [&str; 9] = [
    "ip",
    "port",
    "login",
    "password",
    "created_at",
    "end_at",
    "rate",
    "client_id",
    "server_id",
];

fn start() -> RunningSandbox {
    Sandbox::start(SandboxConfig::from_toml_str(GOVPSFX_TOML).unwrap()).unwrap()
}

fn lease(
    s: &RunningSandbox,
    rate: &str,
    term: &str,
    partner: &str,
    client: &str,
    secret: &str,
) -> Resp {
    let hash = sign(&[rate, term, partner], secret);
    post(
        s.addr(),
        "/server/server/get",
        &form(&[
            ("rate", rate),
            ("term", term),
            ("partner_code", partner),
            ("client_id", client),
            ("hash", &hash),
        ]),
    )
}

/// A signed `extend` for partner 14321.
fn extend(s: &RunningSandbox, term: &str, client: &str) -> Resp {
    let hash = sign(&[term, "14321"], SECRET);
    post(
        s.addr(),
        "/server/server/extend",
        &form(&[
            ("term", term),
            ("partner_code", "14321"),
            ("client_id", client),
            ("hash", &hash),
        ]),
    )
}

/// A signed `recall` for partner 14321.
fn recall(s: &RunningSandbox, server_id: &str) -> Resp {
    let hash = sign(&[server_id, "14321"], SECRET);
    post(
        s.addr(),
        "/server/server/recall",
        &form(&[
            ("server_id", server_id),
            ("partner_code", "14321"),
            ("hash", &hash),
        ]),
    )
}

#[test]
fn document_test_vector_is_accepted() {
    let s = start();
    let body = "rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6";
    let r = post(s.addr(), "/server/server/get", body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    let mut expected = DETAILS_FIELDS.map(String::from).to_vec();
    expected.sort();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    assert_eq!(keys_sorted, expected);
    // The raw text keeps the document's field order.
    let text = r.text();
    assert!(text.starts_with("{\"ip\":\"203.0.113."), "{text}");
    assert!(text.find("\"end_at\"").unwrap() < text.find("\"server_id\"").unwrap());
    assert_eq!(v["created_at"], "21.11.2026");
    assert_eq!(v["end_at"], "21.12.2026");
    assert_eq!(v["rate"], "singapore");
    assert_eq!(v["client_id"], "ID16773");
    assert_eq!(v["server_id"], "ID20001");
    assert_eq!(v["login"], "Admin");
    assert!(v["port"]
        .as_u64()
        .is_some_and(|p| (8000..9000).contains(&p)));
    assert_eq!(v["password"].as_str().unwrap().len(), 7);
}

#[test]
fn bad_or_missing_hash_is_403() {
    let s = start();
    let a = s.addr();
    let r = post(a, "/server/server/get", "rate=singapore&term=1&partner_code=14321&client_id=ID1&hash=8cfff6fb2b39a4f0c9d6d7413e9439f7");
    assert_eq!(r.status, 403);
    assert_eq!(r.text(), "invalid md5 hash");
    // Upper-case hex is not what PHP's md5() returns.
    let r = post(a, "/server/server/get", "rate=singapore&term=1&partner_code=14321&client_id=ID1&hash=8CFFF6FB2B39A4F0C9D6D7413E9439F6");
    assert_eq!(r.status, 403);
    let r = post(
        a,
        "/server/server/get",
        "rate=singapore&term=1&partner_code=14321&client_id=ID1",
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.text(), "hash is required");
    // The hash covers term: changing it invalidates the vector.
    let r = post(a, "/server/server/get", "rate=singapore&term=3&partner_code=14321&client_id=ID1&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6");
    assert_eq!(r.status, 403);
    // ... but not client_id.
    let r = post(a, "/server/server/get", "rate=singapore&term=1&partner_code=14321&client_id=OTHER&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6");
    assert_eq!(r.status, 200);
    let r = lease(&s, "singapore", "1", "99999", "ID1", SECRET);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("partner_code"), "{}", r.text());
    let r = lease(&s, "singapore", "1", "14321", "ID1", "wrong-secret");
    assert_eq!(r.status, 403);
}

#[test]
fn hash_is_over_the_lower_cased_string_unicode_aware() {
    let s = start();
    // Partner 1880's secret is Cyrillic with capitals; mb_strtolower lowers it too.
    let r = lease(&s, "france_classic", "3", "1880", "ID5", "другой-секрет");
    assert_eq!(r.status, 202, "{}", r.text());
    // A hash of the un-lowered string is refused.
    let raw = format!(
        "{:x}",
        <md5::Md5 as md5::Digest>::digest("france_classic31880Другой-Секрет".as_bytes())
    );
    let r = post(
        s.addr(),
        "/server/server/get",
        &form(&[
            ("rate", "france_classic"),
            ("term", "3"),
            ("partner_code", "1880"),
            ("client_id", "ID5"),
            ("hash", &raw),
        ]),
    );
    assert_eq!(r.status, 403);
}

fn unicode_sign_cases() -> Vec<serde_json::Value> {
    let text = include_str!("fixtures/govpsfx_unicode_sign.json");
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

/// The sandbox checks a hash as PHP computes it (`md5(mb_strtolower(...))`, by real PHP in
/// fixtures/govpsfx_unicode_sign.php), not as Rust's `to_lowercase` would: a final capital sigma
/// and letters newer than PHP 8.2's Unicode lower differently.
#[test]
fn hash_is_lowered_like_php_mb_strtolower() {
    let cases = unicode_sign_cases();
    assert_eq!(cases.len(), 3);
    let text = |c: &serde_json::Value, k: &str| c[k].as_str().unwrap().to_owned();
    let mut toml = String::from("today = \"2026-11-21\"\n");
    for c in &cases {
        let (code, secret, rate) = (text(c, "partner_code"), text(c, "secret"), text(c, "rate"));
        assert!(!(secret.clone() + &rate).contains(['"', '\\']));
        toml.push_str(&format!(
            "[[govpsfx.partners]]\ncode = \"{code}\"\nsecret = \"{secret}\"\nrates = [{{ name = \"{rate}\" }}]\n"
        ));
    }
    let s = Sandbox::start(SandboxConfig::from_toml_str(&toml).unwrap()).unwrap();
    for c in &cases {
        let (code, secret) = (text(c, "partner_code"), text(c, "secret"));
        let (rate, term, php_hash) = (text(c, "rate"), text(c, "term"), text(c, "hash"));
        let send = |hash: &str| {
            post(
                s.addr(),
                "/server/server/get",
                &form(&[
                    ("rate", &rate),
                    ("term", &term),
                    ("partner_code", &code),
                    ("client_id", "ID1"),
                    ("hash", hash),
                ]),
            )
        };
        let r = send(&php_hash);
        assert_eq!(r.status, 200, "{rate}/{secret}: {}", r.text());
        assert_eq!(r.json()["rate"], rate.as_str());
        // The same request signed with Rust's `to_lowercase` differs, and is refused.
        let rust_hash = sign(&[&rate, &term, &code], &secret);
        assert_ne!(
            rust_hash, php_hash,
            "{rate}/{secret} does not tell the rules apart"
        );
        let r = send(&rust_hash);
        assert_eq!(r.status, 403, "{rate}/{secret}: {}", r.text());
    }
}

/// The committed govpsfx_unicode_sign.json is what its PHP script prints now (skipped without
/// `php`, unless `VPSGATE_REQUIRE_PHP=1`).
#[test]
fn unicode_sign_fixture_is_fresh_from_real_php() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let Some(out) = run_php(&[&format!("{dir}/govpsfx_unicode_sign.php")]) else {
        return;
    };
    let committed = std::fs::read(format!("{dir}/govpsfx_unicode_sign.json")).unwrap();
    assert!(
        out == committed,
        "govpsfx_unicode_sign.json is stale: run php tests/fixtures/govpsfx_unicode_sign.php"
    );
}

#[test]
fn invalid_parameters_are_400_with_a_message() {
    let s = start();
    let a = s.addr();
    for term in ["2", "0", "24", "x"] {
        let r = lease(&s, "singapore", term, "14321", "ID1", SECRET);
        assert_eq!(r.status, 400, "term {term}");
        assert!(r.text().contains("term"), "{}", r.text());
    }
    let r = lease(&s, "moon", "1", "14321", "ID1", SECRET);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("moon"));
    // A rate of another partner is unknown for this one.
    let r = lease(&s, "france_classic", "1", "14321", "ID1", SECRET);
    assert_eq!(r.status, 400);
    let r = lease(&s, "singapore", "1", "14321", "", SECRET);
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "client_id is required");
    let hash = sign(&["1", "14321"], SECRET);
    let r = post(
        a,
        "/server/server/get",
        &form(&[
            ("term", "1"),
            ("partner_code", "14321"),
            ("client_id", "ID1"),
            ("hash", &hash),
        ]),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "rate is required");
    let r = post(
        a,
        "/server/server/get",
        "rate=singapore&term=1&client_id=ID1&hash=x",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "partner_code is required");
    // GET is not the API's method.
    assert_eq!(get(a, "/server/server/get?rate=singapore").status, 405);
}

#[test]
fn extend_and_recall() {
    let s = start();
    let a = s.addr();
    let v = lease(&s, "singapore", "3", "14321", "ID77", SECRET).json();
    assert_eq!(v["end_at"], "21.02.2027");
    let server_id = v["server_id"].as_str().unwrap().to_string();

    let ext = |term: &str, client: &str| extend(&s, term, client);
    let r = ext("6", "ID77");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), r#"{"end_at":"21.08.2027"}"#);
    let r = ext("12", "ID77");
    assert_eq!(r.text(), r#"{"end_at":"21.08.2028"}"#);
    assert_eq!(ext("5", "ID77").status, 400);
    let r = ext("1", "NOBODY");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("NOBODY"));
    let bad = post(
        a,
        "/server/server/extend",
        "term=1&partner_code=14321&client_id=ID77&hash=00",
    );
    assert_eq!(bad.status, 403);

    let rec = |id: &str| recall(&s, id);
    let bad = post(
        a,
        "/server/server/recall",
        &form(&[
            ("server_id", &server_id),
            ("partner_code", "14321"),
            ("hash", &sign(&["14321"], SECRET)),
        ]),
    );
    assert_eq!(bad.status, 403, "server_id must be part of the hash");
    let r = rec(&server_id);
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "1");
    let r = rec(&server_id);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("already recalled"));
    assert_eq!(rec("ID1").status, 400);
    // A recalled server cannot be extended.
    assert_eq!(ext("1", "ID77").status, 400);
}

fn wait_attempts(s: &RunningSandbox, n: usize) -> Vec<vpsgate_sandbox::DeliveryAttempt> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let a = s.delivery_attempts();
        if a.len() >= n || std::time::Instant::now() > deadline {
            return a;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn check_delivery(post: &vpsgate_sandbox::ReceivedPost, rate: &str, partner: &str, secret: &str) {
    assert_eq!(post.content_type, "application/x-www-form-urlencoded");
    assert_eq!(post.path, "/handler");
    let fields: Vec<String> = post.form().into_iter().map(|(k, _)| k).collect();
    let (details, signature) = fields.split_at(DETAILS_FIELDS.len().min(fields.len()));
    assert_eq!(details, DETAILS_FIELDS, "{fields:?}");
    assert_eq!(signature, ["partner_code", "hash"], "{fields:?}");
    assert_eq!(post.field("rate").unwrap(), rate);
    assert_eq!(post.field("partner_code").unwrap(), partner);
    let server_id = post.field("server_id").unwrap();
    assert_eq!(
        post.field("hash").unwrap(),
        sign(&[rate, &server_id, partner], secret)
    );
}

#[test]
fn deferred_lease_is_delivered_to_the_handler_signed() {
    let s = start();
    let rx = CallbackReceiver::start().unwrap();
    // Registered at runtime through the admin endpoint.
    let r = post(
        s.addr(),
        "/_sandbox/partners/14321/handler",
        &form(&[("url", &rx.url())]),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = lease(&s, "france_mini", "6", "14321", "ID9", SECRET);
    assert_eq!(r.status, 202);
    assert_eq!(
        r.text(),
        "order created, access to the server will be provided during the day"
    );
    let got = rx.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    check_delivery(&got[0], "france_mini", "14321", SECRET);
    assert_eq!(got[0].field("client_id").unwrap(), "ID9");
    assert_eq!(got[0].field("end_at").unwrap(), "21.05.2027");
    // The attempt is recorded once the handler's answer is read, just after it arrives.
    let attempts = wait_attempts(&s, 1);
    assert_eq!(attempts.len(), 1);
    assert!(attempts[0].delivered);
    assert_eq!(attempts[0].status, Some(200));
    // Delivered once only.
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(rx.received().len(), 1);
}

#[test]
fn failing_handler_is_retried_then_succeeds() {
    let s = start();
    let rx = CallbackReceiver::start_failing(2).unwrap();
    s.set_handler("1880", &rx.url()).unwrap();
    let r = lease(&s, "france_classic", "1", "1880", "ID3", "Другой-Секрет");
    assert_eq!(r.status, 202);
    let got = rx.wait_for(3, Duration::from_secs(5));
    assert_eq!(
        got.iter().map(|p| p.answered).collect::<Vec<_>>(),
        [500, 500, 200]
    );
    for p in &got {
        check_delivery(p, "france_classic", "1880", "Другой-Секрет");
    }
    // The admin view shows the same three attempts.
    wait_attempts(&s, 3);
    let v = get(s.addr(), "/_sandbox/deliveries").json();
    let statuses: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["attempt"].as_u64().unwrap(),
                a["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(statuses, [(1, 500), (2, 500), (3, 200)]);
}

#[test]
fn retries_are_bounded_and_only_loopback_handlers_are_accepted() {
    let s = start();
    let rx = CallbackReceiver::start_failing(100).unwrap();
    s.set_handler("14321", &rx.url()).unwrap();
    assert_eq!(
        lease(&s, "france_mini", "1", "14321", "ID4", SECRET).status,
        202
    );
    // 4 attempts at 20, 40, 80 ms backoff, then it gives up.
    let got = rx.wait_for(5, Duration::from_millis(1500));
    assert_eq!(got.len(), 4);
    let attempts = wait_attempts(&s, 4);
    assert_eq!(attempts.len(), 4);
    assert!(attempts
        .iter()
        .all(|a| !a.delivered && a.outcome == "HTTP 500"));

    let r = post(
        s.addr(),
        "/_sandbox/partners/14321/handler",
        "url=http%3A%2F%2Fexample.com%2Fhook",
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("loopback"));
    let r = post(
        s.addr(),
        "/_sandbox/partners/nope/handler",
        "url=http%3A%2F%2F127.0.0.1%3A1%2F",
    );
    assert_eq!(r.status, 404);
    assert!(s.set_handler("14321", "https://127.0.0.1/x").is_err());
}

#[test]
fn deferred_without_a_handler_records_the_attempts() {
    let s = start();
    assert_eq!(
        lease(&s, "france_mini", "1", "14321", "ID4", SECRET).status,
        202
    );
    std::thread::sleep(Duration::from_millis(600));
    let attempts = s.delivery_attempts();
    assert_eq!(attempts.len(), 4);
    assert!(attempts
        .iter()
        .all(|a| a.url.is_none() && a.outcome == "no handler registered"));
}

#[test]
fn pending_delivery_survives_a_restart() {
    let dir = temp_dir("pending");
    let mut cfg = SandboxConfig::from_toml_str(GOVPSFX_TOML).unwrap();
    cfg.state_file = Some(dir.join("state.json"));
    cfg.govpsfx.delivery_delay_ms = 60_000;
    let s = Sandbox::start(cfg.clone()).unwrap();
    assert_eq!(
        lease(&s, "france_mini", "1", "14321", "ID8", SECRET).status,
        202
    );
    // Shutdown cancels the waiting delivery at once.
    let t = std::time::Instant::now();
    s.shutdown().unwrap();
    assert!(t.elapsed() < Duration::from_secs(5));

    let rx = CallbackReceiver::start().unwrap();
    cfg.govpsfx.delivery_delay_ms = 20;
    let s = Sandbox::start(cfg).unwrap();
    s.set_handler("14321", &rx.url()).unwrap();
    let got = rx.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    check_delivery(&got[0], "france_mini", "14321", SECRET);
    assert_eq!(got[0].field("client_id").unwrap(), "ID8");
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn record_limit_answers_500() {
    let mut cfg = SandboxConfig::from_toml_str(GOVPSFX_TOML).unwrap();
    cfg.max_records = 1;
    let s = Sandbox::start(cfg).unwrap();
    assert_eq!(
        lease(&s, "singapore", "1", "14321", "ID1", SECRET).status,
        200
    );
    let r = lease(&s, "singapore", "1", "14321", "ID2", SECRET);
    assert_eq!(r.status, 500);
    assert!(r.text().contains("max_records"));
}

#[test]
fn state_file_write_failure_changes_nothing() {
    let dir = temp_dir("unwritable");
    let mut cfg = SandboxConfig::from_toml_str(GOVPSFX_TOML).unwrap();
    cfg.state_file = Some(dir.join("state.json"));
    cfg.govpsfx.max_pending_deliveries = 1;
    let s = Sandbox::start(cfg).unwrap();
    let rx = CallbackReceiver::start().unwrap();
    s.set_handler("14321", &rx.url()).unwrap();
    let v = lease(&s, "singapore", "3", "14321", "ID77", SECRET).json();
    assert_eq!(v["server_id"], "ID20001");
    assert_eq!(v["end_at"], "21.02.2027");
    let ext = |term: &str, client: &str| extend(&s, term, client);
    let rec = |id: &str| recall(&s, id);

    // The state file can no longer be written once its directory is gone.
    std::fs::remove_dir_all(&dir).unwrap();
    let r = lease(&s, "singapore", "1", "14321", "ID78", SECRET);
    assert_eq!(r.status, 500, "{}", r.text());
    let r = lease(&s, "france_mini", "1", "14321", "ID79", SECRET);
    assert_eq!(r.status, 500, "{}", r.text());
    assert_eq!(ext("6", "ID77").status, 500);
    assert_eq!(rec("ID20001").status, 500);
    assert!(s
        .set_handler("14321", "http://127.0.0.1:1/elsewhere")
        .is_err());

    // Writable again: every failed request left the state as it was.
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(ext("1", "ID78").status, 400, "failed lease left a server");
    assert_eq!(ext("1", "ID79").status, 400, "failed lease left a server");
    let r = ext("6", "ID77");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.text(),
        r#"{"end_at":"21.08.2027"}"#,
        "the failed extend moved the end date"
    );
    // With at most one pending delivery, this is refused if the failed deferred lease
    // still counted as pending.
    let r = lease(&s, "france_mini", "1", "14321", "ID80", SECRET);
    assert_eq!(r.status, 202, "{}", r.text());
    // Delivered to the handler registered before the failure, under the next unused id.
    let got = rx.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].field("client_id").unwrap(), "ID80");
    assert_eq!(got[0].field("server_id").unwrap(), "ID20002");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(rx.wait_for(2, Duration::from_millis(1)).len(), 1);
    let attempts = s.delivery_attempts();
    assert_eq!(attempts.len(), 1, "a delivery started for the failed lease");
    assert_eq!(attempts[0].server_id, "ID20002");
    let r = rec("ID20001");
    assert_eq!(
        r.status, 200,
        "the failed recall marked the server recalled"
    );
    assert_eq!(r.text(), "1");
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}
