//! The gateway as the document and the public client's fixtures show it: which orders can be
//! suspended, `errorCode` as a string, Russian messages as a setting.

mod common;

use std::time::Duration;

use common::*;
use vpsgate::friendhosting::{Client, Credentials, Format, Gateway, GatewayCode, WarningCode};
use vpsgate::native::NativeTransport;
use vpsgate::{Error, Password};
use vpsgate_sandbox::{AccountConfig, Language, OrderSeed, RunningSandbox, Sandbox, SandboxConfig};

fn config() -> SandboxConfig {
    let mut c = SandboxConfig {
        today: Some("2026-01-15".into()),
        ..SandboxConfig::default()
    };
    c.friendhosting.accounts.push(AccountConfig {
        login: "seeded".into(),
        password: Some("pw".into()),
        balance: "50".parse().unwrap(),
        orders: [(701, 0), (702, 1), (703, 3)]
            .into_iter()
            .map(|(orderid, status)| OrderSeed {
                orderid,
                tarifid: "201".into(),
                status,
                todate: "2026-06-01".into(),
                ..OrderSeed::default()
            })
            .collect(),
        ..AccountConfig::default()
    });
    c
}

fn seeded(addr: std::net::SocketAddr, command: &str, id: &str) -> serde_json::Value {
    gw(
        addr,
        &[
            ("command", command),
            ("orderid", id),
            ("login", "seeded"),
            ("pass", "pw"),
        ],
    )
}

fn status_of(addr: std::net::SocketAddr, id: &str) -> String {
    let v = seeded(addr, "getOrders", id);
    v["orders"][0]["status"].as_str().unwrap().to_string()
}

#[test]
fn orders_not_yet_processed_cannot_be_suspended_or_started() {
    let s = Sandbox::start(config()).unwrap();
    for (id, status) in [("701", "0"), ("703", "3")] {
        for command in ["suspendOrder", "unSuspendOrder"] {
            let v = seeded(s.addr(), command, id);
            assert_eq!(v["status"], "ERROR", "{command} {id}: {v}");
            assert_eq!(v["errorCode"], "25", "{command} {id}: {v}");
            assert!(
                v["errorMsg"]
                    .as_str()
                    .unwrap()
                    .contains("not processed yet"),
                "{v}"
            );
            assert_eq!(status_of(s.addr(), id), status, "{command} changed {id}");
        }
    }
    // A processed order goes 1 -> 2 -> 1, and the document's 21/22 still hold.
    assert_eq!(seeded(s.addr(), "unSuspendOrder", "702")["errorCode"], "22");
    assert_eq!(seeded(s.addr(), "suspendOrder", "702")["status"], "SUCCESS");
    assert_eq!(status_of(s.addr(), "702"), "2");
    assert_eq!(seeded(s.addr(), "suspendOrder", "702")["errorCode"], "21");
    assert_eq!(
        seeded(s.addr(), "unSuspendOrder", "702")["status"],
        "SUCCESS"
    );
    assert_eq!(status_of(s.addr(), "702"), "1");
    // An order placed on a manually processed tariff (warning 30, status 3) is refused too.
    let v = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("tarifid", "102"),
            ("domain", "manual.example"),
            ("period", "1"),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(v["errorCode"], "30", "{v}");
    let id = v["orderid"].as_str().unwrap();
    let v = gw(
        s.addr(),
        &[
            ("command", "suspendOrder"),
            ("orderid", id),
            ("login", "demo"),
            ("pass", "demo"),
        ],
    );
    assert_eq!(v["errorCode"], "25", "{v}");
}

fn raw_answer(s: &RunningSandbox, pairs: &[(&str, &str)]) -> String {
    let r = post(s.addr(), "/apih.php", &form(pairs));
    String::from_utf8(r.body).unwrap()
}

#[test]
fn error_code_is_a_string_unless_configured_as_a_number() {
    let bad = [
        ("command", "getBalance"),
        ("login", "demo"),
        ("pass", "nope"),
    ];
    let mut bad_json = bad.to_vec();
    bad_json.push(("json", "1"));
    let s = Sandbox::start(config()).unwrap();
    assert!(raw_answer(&s, &bad_json).contains(r#""errorCode":"7""#));
    assert!(raw_answer(&s, &bad).contains(r#"s:9:"errorCode";s:1:"7";"#));
    // Warnings too: 31 for an order placed without enough balance.
    let unpaid = gw(
        s.addr(),
        &[
            ("command", "createOrder"),
            ("vid", "vds"),
            ("tarifid", "202"),
            ("period", "12"),
            ("login", "seeded"),
            ("pass", "pw"),
        ],
    );
    assert_eq!(unpaid["status"], "SUCCESS");
    assert_eq!(unpaid["errorCode"], "31", "{unpaid}");
    drop(s);

    let mut c = config();
    c.friendhosting.error_code_as_number = true;
    let s = Sandbox::start(c).unwrap();
    assert!(raw_answer(&s, &bad_json).contains(r#""errorCode":7,"#));
    assert!(raw_answer(&s, &bad).contains(r#"s:9:"errorCode";i:7;"#));
}

fn fh(s: &RunningSandbox, pass: &str, format: Format) -> Client<NativeTransport> {
    Client::new(
        Gateway::new(Credentials::with_password("seeded", Password::new(pass)))
            .with_url(s.gateway_url())
            .with_format(format),
        NativeTransport::new().timeout(Duration::from_secs(10)),
    )
}

#[test]
fn the_core_client_reads_either_form_and_russian_messages() {
    for as_number in [false, true] {
        for language in [Language::En, Language::Ru] {
            let mut c = config();
            c.friendhosting.error_code_as_number = as_number;
            c.friendhosting.language = language;
            let s = Sandbox::start(c).unwrap();
            for format in [Format::Php, Format::Json] {
                let what = format!("{format:?} number={as_number} {language:?}");
                match fh(&s, "nope", format).get_balance() {
                    Err(Error::Gateway(g)) => {
                        assert_eq!(g.code, GatewayCode::SecretWrong, "{what}");
                        let want = match language {
                            Language::En => "The stated password or API key is not correct",
                            Language::Ru => "Указан неверный пароль или API-ключ",
                        };
                        assert_eq!(g.message, want, "{what}");
                    }
                    other => panic!("{what}: {other:?}"),
                }
                match fh(&s, "pw", format).suspend_order("703") {
                    Err(Error::Gateway(g)) => {
                        assert_eq!(g.code, GatewayCode::OperationNotSupported, "{what}")
                    }
                    other => panic!("{what}: {other:?}"),
                }
                let a = fh(&s, "pw", format)
                    .create_order(
                        &vpsgate::friendhosting::CreateOrder::new("202", 12)
                            .vid(vpsgate::friendhosting::Vid::Vds),
                    )
                    .unwrap();
                let w = a.warning.expect("warning 31");
                assert_eq!(w.code, WarningCode::AwaitingPayment, "{what}");
                if language == Language::Ru {
                    assert_eq!(
                        w.message,
                        "Заказ размещён, но будет обработан после оплаты."
                    );
                    assert!(
                        a.data.remark.unwrap().starts_with("Недостаточно средств"),
                        "{what}"
                    );
                }
            }
        }
    }
}
