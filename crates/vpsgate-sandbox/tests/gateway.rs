//! The Friendhosting / RootPanel gateway, checked over real loopback HTTP against the document.

mod common;

use common::*;
use serde_json::json;
use vpsgate_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

fn start() -> RunningSandbox {
    Sandbox::start(SandboxConfig::from_toml_str(GATEWAY_TOML).unwrap()).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// `errorCode`, which the sandbox sends as a string (`"7"`).
fn code(v: &serde_json::Value) -> i64 {
    v["errorCode"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no errorCode string in {v}"))
}

fn assert_error(v: &serde_json::Value, expected: i64) {
    assert_eq!(v["status"], "ERROR", "{v}");
    assert_eq!(code(v), expected, "{v}");
    assert!(v["errorMsg"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
}

#[test]
fn get_balance_json_by_apikey_post() {
    let s = start();
    let r = post(
        s.addr(),
        "/apih.php",
        "command=getBalance&login=demo&apikey=demo-key&json=1",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.text(),
        r#"{"status":"SUCCESS","balance":"100.00","currency":"USD"}"#
    );
}

#[test]
fn get_balance_by_password_over_get_query() {
    let s = start();
    let r = get(
        s.addr(),
        "/apih.php?command=getBalance&login=demo&pass=demo&json=1",
    );
    assert_eq!(
        r.json(),
        json!({"status":"SUCCESS","balance":"100.00","currency":"USD"})
    );
}

#[test]
fn body_fields_override_the_query_string_like_php_request() {
    let s = start();
    let r = post(
        s.addr(),
        "/apih.php?command=getBalance&login=nobody&json=1",
        "login=demo&pass=demo",
    );
    assert_eq!(r.json()["balance"], "100.00");
}

#[test]
fn php_format_bytes_match_real_php() {
    let s = start();
    let r = post(
        s.addr(),
        "/apih.php",
        "command=getBalance&login=demo&apikey=demo-key",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.body, fixture("getBalance_demo.php.txt"));
    assert!(r.header("content-type").unwrap().starts_with("text/html"));

    let r = post(
        s.addr(),
        "/apih.php",
        "command=getBalance&login=demo&pass=nope",
    );
    assert_eq!(r.body, fixture("error_7.php.txt"));

    let r = post(
        s.addr(),
        "/apih.php",
        "command=getTarifs&vid=dedicated&login=demo&pass=demo",
    );
    assert_eq!(r.body, fixture("getTarifs_dedicated_error_10.php.txt"));

    let r = post(
        s.addr(),
        "/apih.php",
        "command=getOrders&orderid=500&login=seeded&apikey=seeded-key",
    );
    assert_eq!(r.body, fixture("getOrders_one.php.txt"));
}

#[test]
fn json_bytes_match_php_json_encode() {
    let s = start();
    let r = post(
        s.addr(),
        "/apih.php",
        "command=getOrders&orderid=500&login=seeded&apikey=seeded-key&json=1",
    );
    assert_eq!(r.body, fixture("getOrders_one.json"));
    let r = post(
        s.addr(),
        "/apih.php",
        "command=getBalance&login=demo&pass=nope&json=1",
    );
    assert_eq!(r.body, fixture("error_7.json"));
}

#[test]
fn lists_keyed_by_id_when_configured() {
    let toml = GATEWAY_TOML.replace(
        "[friendhosting]\n",
        "[friendhosting]\nlists_keyed_by_id = true\n",
    );
    let s = Sandbox::start(SandboxConfig::from_toml_str(&toml).unwrap()).unwrap();
    let q = "command=getOrders&orderid=500&login=seeded&apikey=seeded-key";
    let r = post(s.addr(), "/apih.php", &format!("{q}&json=1"));
    assert_eq!(r.body, fixture("getOrders_keyed.json"));
}

#[test]
fn lists_keyed_by_id_in_php_format() {
    let toml = GATEWAY_TOML.replace(
        "[friendhosting]\n",
        "[friendhosting]\nlists_keyed_by_id = true\n",
    );
    let s = Sandbox::start(SandboxConfig::from_toml_str(&toml).unwrap()).unwrap();
    let q = "command=getOrders&orderid=500&login=seeded&apikey=seeded-key";
    let r = post(s.addr(), "/apih.php", q);
    assert_eq!(r.body, fixture("getOrders_keyed.php.txt"));
}

#[test]
fn tariff_catalog_shape() {
    let s = start();
    let v = gw(
        s.addr(),
        &[
            ("command", "getTarifs"),
            ("vid", "vds"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(
        v,
        json!({"status":"SUCCESS","tarifs":[{
            "id":"201","vid":"vds","name":"VDS-1","costMonthly":"4.99","costSetup":"0.00",
            "currency":"USD","allowWithoutDomain":"1",
            "months":[
                {"months":"1","discount":"0","allowForNewOrder":"1","allowForRenew":"1"},
                {"months":"3","discount":"0.05","allowForNewOrder":"1","allowForRenew":"1"}],
            "addons":[]}]})
    );
    // No vid means hosting.
    let v = gw(
        s.addr(),
        &[
            ("command", "getTarifs"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    let ids: Vec<_> = v["tarifs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!("101"), json!("102")]);
    assert_eq!(
        v["tarifs"][0]["addons"][0],
        json!({"id":"1","name":"Mail pack","costMonthly":"0.50","costSetup":"2.00"})
    );
}

#[test]
fn order_lifecycle_charges_the_balance() {
    let s = start();
    let a = s.addr();
    let auth = [("login", "demo"), ("apikey", "demo-key")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut p = auth.to_vec();
        p.extend_from_slice(extra);
        gw(a, &p)
    };
    // 2.50 * 12 * (1 - 0.1) + 1.00 setup + (0.50 * 12 + 2.00) add-on = 36.00
    let v = with(&[
        ("command", "createOrder"),
        ("vid", "hosting"),
        ("tarifid", "101"),
        ("period", "12"),
        ("domain", "example.com"),
        ("addons", "1"),
    ]);
    assert_eq!(v["status"], "SUCCESS", "{v}");
    assert!(v.get("errorCode").is_none());
    assert_eq!(v["orderid"], "100001");
    assert_eq!(v["cost"], "36.00");
    assert_eq!(v["balance"], "64.00");
    assert_eq!(v["currency"], "USD");
    assert_eq!(v["period"], "12");
    assert_eq!(v["addons"], "1");
    assert_eq!(v["domain"], "example.com");
    assert_eq!(v["vid"], "hosting");
    assert_eq!(v["tarifid"], "101");
    assert_eq!(v["serverlogin"], "u100001");
    assert_eq!(v["serverpassword"].as_str().unwrap().len(), 12);

    let v = with(&[("command", "getOrders"), ("orderid", "100001")]);
    assert_eq!(
        v["orders"][0],
        json!({"orderid":"100001","domain":"example.com","domain_reg":"0","vid":"hosting",
               "tarifid":"101","tarifname":"Hosting Start","orderdate":"2026-11-21",
               "startdate":"2026-11-21","todate":"2027-11-21","leftdays":"365","status":"1"})
    );
    // Renew one month: 2.50 + 0.50 add-on, from the current end date.
    let v = with(&[
        ("command", "renewOrder"),
        ("orderid", "100001"),
        ("period", "1"),
    ]);
    assert_eq!(
        v,
        json!({"status":"SUCCESS","orderid":"100001","period":"1","balance":"61.00","cost":"3.00","currency":"USD"})
    );
    // 24 months is allowed for renewals only: 2.50 * 24 * 0.8 + 0.50 * 24 = 60.00.
    let v = with(&[
        ("command", "renewOrder"),
        ("orderid", "100001"),
        ("period", "24"),
    ]);
    assert_eq!(v["cost"], "60.00");
    assert_eq!(v["balance"], "1.00");
    let v = with(&[("command", "getOrders"), ("orderid", "100001")]);
    assert_eq!(v["orders"][0]["todate"], "2029-12-21");

    let v = with(&[("command", "suspendOrder"), ("orderid", "100001")]);
    assert_eq!(v, json!({"status":"SUCCESS","orderid":"100001"}));
    assert_eq!(
        with(&[("command", "getOrders")])["orders"][0]["status"],
        "2"
    );
    assert_error(
        &with(&[("command", "suspendOrder"), ("orderid", "100001")]),
        21,
    );
    let v = with(&[("command", "unSuspendOrder"), ("orderid", "100001")]);
    assert_eq!(v, json!({"status":"SUCCESS","orderid":"100001"}));
    assert_error(
        &with(&[("command", "unSuspendOrder"), ("orderid", "100001")]),
        22,
    );
    let v = with(&[("command", "getBalance")]);
    assert_eq!(v["balance"], "1.00");
    // Same domain, same type: 14.
    assert_error(
        &with(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "1"),
            ("domain", "example.com"),
        ]),
        14,
    );
}

#[test]
fn vds_restart_and_reinstall() {
    let s = start();
    let auth = [("login", "seeded"), ("apikey", "seeded-key")];
    for cmd in ["restartOrder", "reinstallOrder"] {
        let mut p = auth.to_vec();
        p.extend([("command", cmd), ("orderid", "504")]);
        assert_eq!(
            gw(s.addr(), &p),
            json!({"status":"SUCCESS","orderid":"504"})
        );
        // Hosting orders do not support it.
        let mut p = auth.to_vec();
        p.extend([("command", cmd), ("orderid", "500")]);
        assert_error(&gw(s.addr(), &p), 25);
    }
}

#[test]
fn insufficient_balance_is_the_non_critical_31() {
    let s = start();
    let v = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", "1"),
            ("login", "poor"),
            ("pass", "x"),
        ],
    );
    assert_eq!(v["status"], "SUCCESS", "{v}");
    assert_eq!(code(&v), 31);
    assert_eq!(v["cost"], "4.99");
    assert_eq!(v["balance"], "1.00");
    let id = v["orderid"].as_str().unwrap().to_string();
    let orders = gw(
        s.addr(),
        &[("command", "getOrders"), ("login", "poor"), ("pass", "x")],
    );
    assert_eq!(orders["orders"][0]["status"], "0");
    // The unpaid bill blocks further commands.
    let v = gw(
        s.addr(),
        &[
            ("command", "renewOrder"),
            ("orderid", &id),
            ("period", "1"),
            ("login", "poor"),
            ("pass", "x"),
        ],
    );
    assert_error(&v, 20);
}

#[test]
fn manual_processing_is_the_non_critical_30() {
    let s = start();
    let v = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("tarifid", "102"),
            ("period", "1"),
            ("domain", "manual.org"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(v["status"], "SUCCESS", "{v}");
    assert_eq!(code(&v), 30);
    assert_eq!(v["cost"], "3.00");
    assert_eq!(v["balance"], "97.00");
    let o = gw(
        s.addr(),
        &[
            ("command", "getOrders"),
            ("orderid", v["orderid"].as_str().unwrap()),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(o["orders"][0]["status"], "3");
}

#[test]
fn test_account_is_free_and_keeps_nothing() {
    let s = start();
    let t = [("login", "test"), ("pass", "test")];
    let mut p = t.to_vec();
    p.extend([
        ("command", "createOrder"),
        ("vid", "vds"),
        ("tarifid", "201"),
        ("period", "3"),
    ]);
    let v = gw(s.addr(), &p);
    assert_eq!(v["status"], "SUCCESS", "{v}");
    assert!(v.get("errorCode").is_none(), "{v}");
    assert_eq!(v["cost"], "0.00");
    assert_eq!(v["balance"], "0.00");
    assert_eq!(v["orderid"], "100001");
    let mut p = t.to_vec();
    p.push(("command", "getOrders"));
    assert_error(&gw(s.addr(), &p), 26);
    // The id the test account answered with is used up: a later real order never reuses it
    // (a panel that stored the test answer would otherwise mix the two orders up).
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
}

#[test]
fn every_authentication_error_from_its_state() {
    let s = start();
    let a = s.addr();
    let c = |p: &[(&str, &str)]| {
        let mut p = p.to_vec();
        p.push(("command", "getBalance"));
        gw(a, &p)
    };
    assert_error(&c(&[("pass", "demo")]), 3);
    assert_error(&c(&[("login", ""), ("pass", "demo")]), 3);
    assert_error(&c(&[("login", "nobody"), ("pass", "x")]), 4);
    assert_error(&c(&[("login", "noapi"), ("pass", "x")]), 5);
    assert_error(&c(&[("login", "demo")]), 6);
    assert_error(&c(&[("login", "demo"), ("pass", "")]), 6);
    assert_error(&c(&[("login", "demo"), ("pass", "wrong")]), 7);
    assert_error(&c(&[("login", "demo"), ("apikey", "wrong")]), 7);
    // Case matters.
    assert_error(&c(&[("login", "demo"), ("apikey", "DEMO-KEY")]), 7);
    assert_error(
        &c(&[("login", "demo"), ("pass", "demo"), ("apikey", "demo-key")]),
        9,
    );
    assert_error(&c(&[("login", "locked"), ("pass", "x")]), 54);
    assert_error(
        &gw(
            a,
            &[("command", "fooBar"), ("login", "demo"), ("pass", "demo")],
        ),
        8,
    );
    assert_error(&gw(a, &[("login", "demo"), ("pass", "demo")]), 8);
    // Command names are case-sensitive, as field names are.
    assert_error(
        &gw(
            a,
            &[
                ("command", "getbalance"),
                ("login", "demo"),
                ("pass", "demo"),
            ],
        ),
        8,
    );
}

#[test]
fn every_order_error_from_its_state() {
    let s = start();
    let a = s.addr();
    let demo = |p: &[(&str, &str)]| {
        let mut p = p.to_vec();
        p.extend([("login", "demo"), ("pass", "demo")]);
        gw(a, &p)
    };
    let seeded = |p: &[(&str, &str)]| {
        let mut p = p.to_vec();
        p.extend([("login", "seeded"), ("apikey", "seeded-key")]);
        gw(a, &p)
    };
    assert_error(&demo(&[("command", "getTarifs"), ("vid", "dedicated")]), 10);
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("vid", "dedicated"),
            ("tarifid", "1"),
            ("period", "1"),
        ]),
        10,
    );
    assert_error(&demo(&[("command", "getTarifs"), ("vid", "cloud")]), 24);
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("vid", "cloud"),
            ("tarifid", "101"),
            ("period", "1"),
        ]),
        24,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("period", "1"),
            ("domain", "a.com"),
        ]),
        11,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "999"),
            ("period", "1"),
            ("domain", "a.com"),
        ]),
        12,
    );
    // A vds tariff asked for as hosting (the default vid) is not found.
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "201"),
            ("period", "1"),
        ]),
        12,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "1"),
        ]),
        13,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "1"),
            ("domain", "bad domain!"),
        ]),
        13,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("domain", "a.com"),
        ]),
        15,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "2"),
            ("domain", "a.com"),
        ]),
        16,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "x"),
            ("domain", "a.com"),
        ]),
        16,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "24"),
            ("domain", "a.com"),
        ]),
        16,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "1"),
            ("domain", "a.com"),
            ("addons", "1,9"),
        ]),
        17,
    );
    assert_error(
        &demo(&[
            ("command", "createOrder"),
            ("tarifid", "101"),
            ("period", "1"),
            ("domain", "a.com"),
            ("addons", "1,1"),
        ]),
        17,
    );
    for cmd in [
        "renewOrder",
        "suspendOrder",
        "unSuspendOrder",
        "restartOrder",
        "reinstallOrder",
    ] {
        assert_error(&demo(&[("command", cmd), ("period", "1")]), 18);
        assert_error(
            &demo(&[("command", cmd), ("orderid", "999999"), ("period", "1")]),
            19,
        );
        // Another account's order is not found either.
        assert_error(
            &demo(&[("command", cmd), ("orderid", "500"), ("period", "1")]),
            19,
        );
    }
    assert_error(&demo(&[("command", "getOrders"), ("orderid", "500")]), 19);
    assert_error(
        &seeded(&[
            ("command", "renewOrder"),
            ("orderid", "503"),
            ("period", "1"),
        ]),
        20,
    );
    assert_error(
        &seeded(&[("command", "suspendOrder"), ("orderid", "503")]),
        20,
    );
    assert_error(
        &seeded(&[
            ("command", "renewOrder"),
            ("orderid", "500"),
            ("period", "5"),
        ]),
        16,
    );
    assert_error(
        &seeded(&[("command", "suspendOrder"), ("orderid", "502")]),
        21,
    );
    assert_error(
        &seeded(&[("command", "restartOrder"), ("orderid", "502")]),
        21,
    );
    assert_error(
        &seeded(&[("command", "unSuspendOrder"), ("orderid", "504")]),
        22,
    );
    assert_error(
        &seeded(&[("command", "suspendOrder"), ("orderid", "501")]),
        23,
    );
    assert_error(
        &seeded(&[("command", "restartOrder"), ("orderid", "501")]),
        23,
    );
    assert_error(
        &seeded(&[("command", "restartOrder"), ("orderid", "500")]),
        25,
    );
    assert_error(
        &gw(
            a,
            &[("command", "getOrders"), ("login", "empty"), ("pass", "x")],
        ),
        26,
    );
    // Critical errors change nothing.
    assert_eq!(demo(&[("command", "getBalance")])["balance"], "100.00");
    // Renewing an expired order is allowed and starts from today.
    let v = seeded(&[
        ("command", "renewOrder"),
        ("orderid", "501"),
        ("period", "1"),
    ]);
    assert_eq!(v["cost"], "4.99", "{v}");
    let v = seeded(&[("command", "getOrders"), ("orderid", "501")]);
    assert_eq!(v["orders"][0]["todate"], "2026-12-21");
    assert_eq!(v["orders"][0]["leftdays"], "30");
}

#[test]
fn record_limit_is_the_database_error_2() {
    // Five seeded orders plus one more fit in six.
    let toml = GATEWAY_TOML.replace("seed = 7\n", "seed = 7\nmax_records = 6\n");
    let s = Sandbox::start(SandboxConfig::from_toml_str(&toml).unwrap()).unwrap();
    let order = [
        ("command", "createOrder"),
        ("vid", "vds"),
        ("tarifid", "201"),
        ("period", "1"),
        ("login", "demo"),
        ("pass", "demo"),
    ];
    assert_eq!(gw(s.addr(), &order)["status"], "SUCCESS");
    assert_error(&gw(s.addr(), &order), 2);
    assert_eq!(
        gw(
            s.addr(),
            &[
                ("command", "getBalance"),
                ("login", "demo"),
                ("pass", "demo")
            ]
        )["balance"],
        "95.01"
    );
}

/// The committed fixtures are what `gen.php` produces now (skipped without `php`, unless
/// `VPSGATE_REQUIRE_PHP=1`).
#[test]
fn fixtures_are_fresh_from_real_php() {
    let dir = temp_dir("fixtures");
    let script = format!("{}/tests/fixtures/gen.php", env!("CARGO_MANIFEST_DIR"));
    if run_php(&[&script, dir.to_str().unwrap()]).is_none() {
        return;
    }
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            fixture(&name),
            "{name} is stale: run php gen.php"
        );
        checked += 1;
    }
    assert_eq!(checked, 10);
    std::fs::remove_dir_all(&dir).unwrap();
}
