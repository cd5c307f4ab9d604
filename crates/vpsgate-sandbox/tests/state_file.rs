//! The SQLite state file: what a restart keeps, its mode, and what start-up refuses.

mod common;

use common::*;
use vpsgate_sandbox::{Sandbox, SandboxConfig, SandboxError};

fn demo(addr: std::net::SocketAddr, pairs: &[(&str, &str)]) -> serde_json::Value {
    let mut p = pairs.to_vec();
    p.extend([("login", "demo"), ("pass", "demo")]);
    gw(addr, &p)
}

fn create(addr: std::net::SocketAddr) -> serde_json::Value {
    demo(
        addr,
        &[
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", "1"),
        ],
    )
}

fn with_state(file: &std::path::Path) -> SandboxConfig {
    SandboxConfig {
        state_file: Some(file.to_path_buf()),
        today: Some("2026-11-21".into()),
        ..SandboxConfig::default()
    }
}

#[test]
fn a_restart_keeps_orders_balance_and_counters() {
    let dir = temp_dir("restart");
    let file = dir.join("state.db");
    let s = Sandbox::start(with_state(&file)).unwrap();
    let ids: Vec<String> = (0..5)
        .map(|_| create(s.addr())["orderid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["100001", "100002", "100003", "100004", "100005"]);
    let v = demo(
        s.addr(),
        &[
            ("command", "renewOrder"),
            ("orderid", "100002"),
            ("period", "3"),
        ],
    );
    assert_eq!(v["cost"], "14.52", "{v}"); // 4.99 * 3 * 0.97
    let v = demo(
        s.addr(),
        &[("command", "suspendOrder"), ("orderid", "100003")],
    );
    assert_eq!(v["status"], "SUCCESS", "{v}");
    // The test account's order takes an id too, and keeps nothing else.
    let v = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "201"),
            ("period", "1"),
            ("login", "test"),
            ("pass", "test"),
        ],
    );
    assert_eq!(v["orderid"], "100006");
    let balance = demo(s.addr(), &[("command", "getBalance")])["balance"].clone();
    // 100 - 5 * 4.99 - 14.52 = 60.53
    assert_eq!(balance, "60.53");
    s.shutdown().unwrap();

    let s = Sandbox::start(with_state(&file)).unwrap();
    assert_eq!(
        demo(s.addr(), &[("command", "getBalance")])["balance"],
        "60.53"
    );
    let v = demo(s.addr(), &[("command", "getOrders")]);
    let orders = v["orders"].as_array().unwrap();
    let got: Vec<(&str, &str, &str)> = orders
        .iter()
        .map(|o| {
            (
                o["orderid"].as_str().unwrap(),
                o["status"].as_str().unwrap(),
                o["todate"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("100001", "1", "2026-12-21"),
            ("100002", "1", "2027-03-21"),
            ("100003", "2", "2026-12-21"),
            ("100004", "1", "2026-12-21"),
            ("100005", "1", "2026-12-21"),
        ]
    );
    assert_eq!(create(s.addr())["orderid"], "100007");
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_state_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("mode");
    let file = dir.join("state.db");
    let s = Sandbox::start(with_state(&file)).unwrap();
    create(s.addr());
    assert_eq!(mode(&file), 0o600);
    let wal = dir.join("state.db-wal");
    assert!(wal.exists(), "the write-ahead log is in use while open");
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&dir.join("state.db-shm")), 0o600);
    drop(s);
    // An existing file that others can read is narrowed to the owner at start-up.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let s = Sandbox::start(with_state(&file)).unwrap();
    assert_eq!(mode(&file), 0o600);
    assert_eq!(
        demo(s.addr(), &[("command", "getBalance")])["balance"],
        "95.01"
    );
    drop(s);
    // So is an empty file made by someone else beforehand.
    let other = dir.join("made-before.db");
    std::fs::write(&other, b"").unwrap();
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o666)).unwrap();
    let s = Sandbox::start(with_state(&other)).unwrap();
    assert_eq!(mode(&other), 0o600);
    assert_eq!(create(s.addr())["orderid"], "100001");
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn start_err(file: &std::path::Path) -> String {
    match Sandbox::start(with_state(file)) {
        Err(e @ SandboxError::State(_)) => e.to_string(),
        Err(e) => panic!("not a state error: {e}"),
        Ok(_) => panic!("started on {}", file.display()),
    }
}

#[test]
fn a_file_that_is_not_a_state_file_stops_start_up() {
    let dir = temp_dir("notours");
    // Random bytes, an old JSON state file, a truncated database.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, [0x5au8; 5000]).unwrap();
    let e = start_err(&junk);
    assert!(
        e.contains("junk.db") && e.contains("not a sandbox state file"),
        "{e}"
    );
    let json = dir.join("old.json");
    std::fs::write(&json, r#"{"next_order_id":1,"accounts":{}}"#).unwrap();
    assert!(start_err(&json).contains("not a sandbox state file"));
    let good = dir.join("good.db");
    let s = Sandbox::start(with_state(&good)).unwrap();
    create(s.addr());
    drop(s);
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = start_err(&cut);
    assert!(e.contains("cut.db"), "{e}");
    // Another program's SQLite database.
    let other = dir.join("other.db");
    let c = rusqlite::Connection::open(&other).unwrap();
    c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(c);
    let e = start_err(&other);
    assert!(e.contains("application_id 0x0"), "{e}");
    // A state file whose order row was damaged.
    let c = rusqlite::Connection::open(&good).unwrap();
    c.execute(
        "UPDATE orders SET data = '{\"orderid\": ' WHERE orderid = 100001",
        [],
    )
    .unwrap();
    drop(c);
    let e = start_err(&good);
    assert!(
        e.contains("damaged state file") && e.contains("orders row \"100001\""),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_negative_balance_in_the_configuration_is_refused() {
    let text = "[[friendhosting.accounts]]\nlogin = \"a\"\npassword = \"p\"\nbalance = \"-0.01\"\n";
    let e = SandboxConfig::from_toml_str(text).unwrap_err();
    assert!(matches!(e, SandboxError::Config(_)));
    assert!(
        e.to_string()
            .contains("account a: balance -0.01 is negative"),
        "{e}"
    );
    let ok = SandboxConfig::from_toml_str(&text.replace("-0.01", "-0")).unwrap();
    assert!(ok.friendhosting.accounts[0].balance.is_zero());
}

#[test]
fn a_deleted_state_file_is_written_again_whole() {
    let dir = temp_dir("deleted");
    let file = dir.join("state.db");
    let s = Sandbox::start(with_state(&file)).unwrap();
    assert_eq!(create(s.addr())["orderid"], "100001");
    std::fs::remove_dir_all(&dir).unwrap();
    // Nowhere to write: refused with error 2, nothing charged.
    let v = create(s.addr());
    assert_eq!(v["errorCode"], "2", "{v}");
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(create(s.addr())["orderid"], "100002");
    drop(s);
    // The new file holds everything, not only the rows written since it came back.
    let s = Sandbox::start(with_state(&file)).unwrap();
    let v = demo(s.addr(), &[("command", "getOrders")]);
    assert_eq!(v["orders"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(
        demo(s.addr(), &[("command", "getBalance")])["balance"],
        "90.02"
    );
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn with_new_account(file: &std::path::Path, orderid: u64) -> SandboxConfig {
    let mut c = with_state(file);
    c.friendhosting
        .accounts
        .push(vpsgate_sandbox::AccountConfig {
            login: "late".into(),
            password: Some("late-pass".into()),
            balance: rust_decimal::Decimal::new(5000, 2),
            orders: [orderid, 0]
                .into_iter()
                .map(|id| vpsgate_sandbox::OrderSeed {
                    orderid: id,
                    tarifid: "201".into(),
                    domain: format!("late{id}.example"),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        });
    c
}

/// The order ids of a getOrders answer, in order.
fn order_ids(v: &serde_json::Value) -> Vec<String> {
    v["orders"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|o| o["orderid"].as_str().unwrap().to_string())
        .collect()
}

fn late_orders(addr: std::net::SocketAddr) -> Vec<String> {
    let v = gw(
        addr,
        &[
            ("command", "getOrders"),
            ("login", "late"),
            ("pass", "late-pass"),
        ],
    );
    order_ids(&v)
}

#[test]
fn an_account_added_after_the_file_numbers_its_orders_on() {
    let dir = temp_dir("late-account");
    let file = dir.join("state.db");
    let s = Sandbox::start(with_state(&file)).unwrap();
    assert_eq!(create(s.addr())["orderid"], "100001");
    assert_eq!(create(s.addr())["orderid"], "100002");
    s.shutdown().unwrap();

    // The fresh seed of the new account would start at 100001 too: it must number on.
    let s = Sandbox::start(with_new_account(&file, 0)).unwrap();
    assert_eq!(late_orders(s.addr()), ["100003", "100004"]);
    let demo_ids = order_ids(&demo(s.addr(), &[("command", "getOrders")]));
    assert_eq!(demo_ids, ["100001", "100002"]);
    // The counter moved past them; the next restart keeps the account as it is.
    assert_eq!(create(s.addr())["orderid"], "100005");
    s.shutdown().unwrap();
    let s = Sandbox::start(with_new_account(&file, 0)).unwrap();
    assert_eq!(late_orders(s.addr()), ["100003", "100004"]);
    assert_eq!(create(s.addr())["orderid"], "100006");
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_added_account_with_a_taken_orderid_stops_start_up() {
    let dir = temp_dir("late-taken");
    let file = dir.join("state.db");
    let s = Sandbox::start(with_state(&file)).unwrap();
    assert_eq!(create(s.addr())["orderid"], "100001");
    s.shutdown().unwrap();
    let e = Sandbox::start(with_new_account(&file, 100001))
        .err()
        .unwrap();
    let m = e.to_string();
    assert!(matches!(e, SandboxError::Config(_)), "{m}");
    assert!(
        m.contains("account late") && m.contains("orderid 100001"),
        "{m}"
    );
    // Nothing was written: the file still starts the old config.
    let s = Sandbox::start(with_state(&file)).unwrap();
    assert_eq!(create(s.addr())["orderid"], "100002");
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}
