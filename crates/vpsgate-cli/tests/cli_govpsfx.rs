//! `vpsgate govpsfx ...` against a loopback stub partner API.

mod common;
use common::{code, err, out, vpsgate, Stub};

fn creds() -> Vec<(&'static str, &'static str)> {
    vec![
        ("VPSGATE_GOVPSFX_PARTNER", "14321"),
        ("VPSGATE_GOVPSFX_SECRET", "sdsd4223dsd"),
    ]
}

const DELIVERED: &str = r#"{"ip":"203.0.113.9","port":"8015","login":"Admin","password":"4iJtCt7","created_at":"01.07.2020","end_at":"02.08.2020","rate":"singapore","client_id":"ID16773","server_id":"SRV-1"}"#;

#[test]
fn lease_sends_signed_request_and_hides_password() {
    let stub = Stub::new(200, "application/json", DELIVERED);
    let args = [
        "govpsfx",
        "lease",
        "--rate",
        "singapore",
        "--term",
        "1",
        "--client-id",
        "ID16773",
        "--endpoint",
        &stub.base,
    ];
    let o = vpsgate(&args, &creds(), None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let seen = stub.only();
    assert_eq!(seen.request_line, "POST /server/server/get HTTP/1.1");
    assert_eq!(
        seen.body,
        "rate=singapore&term=1&partner_code=14321&client_id=ID16773\
         &hash=8cfff6fb2b39a4f0c9d6d7413e9439f6"
    );
    let table = out(&o);
    assert!(table.contains("server_id   SRV-1\n"), "{table}");
    assert!(table.contains("port        8015\n"), "{table}");
    assert!(table.contains("end_at      2020-08-02\n"), "{table}");
    assert!(table.contains("password    [hidden"), "{table}");
    assert!(!table.contains("4iJtCt7"), "{table}");

    let mut json = args.to_vec();
    json.push("--json");
    let o = vpsgate(&json, &creds(), None);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "status": "delivered",
            "server": {
                "ip": "203.0.113.9", "port": 8015, "login": "Admin", "password": "4iJtCt7",
                "created_at": "2020-07-01", "end_at": "2020-08-02", "rate": "singapore",
                "client_id": "ID16773", "server_id": "SRV-1"
            }
        })
    );
}

#[test]
fn lease_202_is_pending_success() {
    let stub = Stub::new(202, "text/plain", "order created, access during the day");
    let o = vpsgate(
        &[
            "govpsfx",
            "lease",
            "--rate",
            "france_mini",
            "--term",
            "12",
            "--client-id",
            "C1",
            "--endpoint",
            &stub.base,
            "--json",
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"status": "pending", "message": "order created, access during the day"})
    );
}

#[test]
fn refused_403_exits_19_without_secret() {
    let stub = Stub::new(403, "text/plain", "invalid hash");
    let o = vpsgate(
        &[
            "govpsfx",
            "recall",
            "--server-id",
            "SRV-1",
            "--endpoint",
            &stub.base,
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 19, "{}", err(&o));
    let e = err(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.starts_with("vpsgate: refused (HTTP 403): invalid hash"),
        "{e}"
    );
    assert!(!e.contains("sdsd4223dsd"), "{e}");
    let seen = stub.only();
    assert_eq!(seen.request_line, "POST /server/server/recall HTTP/1.1");
    assert!(
        seen.body
            .starts_with("server_id=SRV-1&partner_code=14321&hash="),
        "{}",
        seen.body
    );
}

#[test]
fn invalid_parameters_400_exits_18_and_500_exits_20() {
    let stub = Stub::new(400, "application/json", r#"{"message":"bad rate"}"#);
    let o = vpsgate(
        &[
            "govpsfx",
            "extend",
            "--term",
            "3",
            "--client-id",
            "C1",
            "--endpoint",
            &stub.base,
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 18, "{}", err(&o));
    assert!(err(&o).contains("bad rate"), "{}", err(&o));
    let stub = Stub::new(500, "text/plain", "internal error");
    let o = vpsgate(
        &[
            "govpsfx",
            "extend",
            "--term",
            "3",
            "--client-id",
            "C1",
            "--endpoint",
            &stub.base,
            "--json",
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 20);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["error"]["upstream_code"], 500);
}

#[test]
fn extend_and_recall_success() {
    let stub = Stub::new(200, "application/json", r#"{"end_at":"02.11.2020"}"#);
    let o = vpsgate(
        &[
            "govpsfx",
            "extend",
            "--term",
            "3",
            "--client-id",
            "ID16773",
            "--endpoint",
            &stub.base,
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "end_at  2020-11-02\n");
    let seen = stub.only();
    assert_eq!(seen.request_line, "POST /server/server/extend HTTP/1.1");
    assert!(
        seen.body
            .starts_with("term=3&partner_code=14321&client_id=ID16773&hash="),
        "{}",
        seen.body
    );

    let stub = Stub::new(200, "text/plain", "1");
    let o = vpsgate(
        &[
            "govpsfx",
            "recall",
            "--server-id",
            "SRV-1",
            "--endpoint",
            &stub.base,
            "--json",
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "{\"recalled\":true}\n");
}

#[test]
fn bad_term_and_missing_credentials_send_nothing() {
    let stub = Stub::new(200, "application/json", DELIVERED);
    let o = vpsgate(
        &[
            "govpsfx",
            "lease",
            "--rate",
            "x",
            "--term",
            "2",
            "--client-id",
            "C",
            "--endpoint",
            &stub.base,
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 11, "{}", err(&o));
    assert!(err(&o).contains("term"), "{}", err(&o));
    let o = vpsgate(
        &[
            "govpsfx",
            "recall",
            "--server-id",
            "S",
            "--endpoint",
            &stub.base,
        ],
        &[("VPSGATE_GOVPSFX_PARTNER", "1")],
        None,
    );
    assert_eq!(code(&o), 11);
    assert!(err(&o).contains("VPSGATE_GOVPSFX_SECRET"), "{}", err(&o));
    assert!(stub.seen().is_empty());
}

#[test]
fn redirect_is_not_followed() {
    // A stub answering 302: the CLI reports it (exit 28) and sends nothing elsewhere.
    let stub = Stub::new(302, "text/plain", "");
    let o = vpsgate(
        &[
            "govpsfx",
            "recall",
            "--server-id",
            "S",
            "--endpoint",
            &stub.base,
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 28, "{}", err(&o));
    assert_eq!(stub.seen().len(), 1);
}
