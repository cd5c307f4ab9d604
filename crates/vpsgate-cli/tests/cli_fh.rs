//! `vpsgate fh ...` against a loopback stub gateway.

mod common;
use common::{code, err, out, vpsgate, Stub};

const PW: &str = "pa$$-w0rd";

fn creds() -> Vec<(&'static str, &'static str)> {
    vec![
        ("VPSGATE_FH_LOGIN", "reseller"),
        ("VPSGATE_FH_PASSWORD", PW),
    ]
}

fn endpoint(stub: &Stub) -> String {
    format!("{}/billing/apih.php", stub.base)
}

#[test]
fn balance_table_and_exact_request() {
    let stub = Stub::new(
        200,
        "application/json",
        r#"{"status":"SUCCESS","balance":"12.50","currency":"EUR"}"#,
    );
    let ep = endpoint(&stub);
    let o = vpsgate(
        &["fh", "balance", "--endpoint", &ep, "--format", "json"],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "balance   12.50\ncurrency  EUR\n");
    assert_eq!(err(&o), "");
    let seen = stub.only();
    assert_eq!(seen.request_line, "POST /billing/apih.php HTTP/1.1");
    assert_eq!(
        seen.body,
        "command=getBalance&login=reseller&pass=pa%24%24-w0rd&json=1"
    );
    assert!(seen
        .headers
        .contains(&"content-type: application/x-www-form-urlencoded".to_owned()));
}

#[test]
fn balance_json_output_and_php_default_format() {
    // The answer format asked for is only a hint: a JSON body is read either way.
    let stub = Stub::new(
        200,
        "text/html",
        r#"{"status":"SUCCESS","balance":"0.10","currency":"USD"}"#,
    );
    let ep = endpoint(&stub);
    let o = vpsgate(
        &["fh", "--json", "balance", "--endpoint", &ep],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "command": "getBalance",
            "warning": null,
            "data": {"balance": "0.10", "currency": "USD"}
        })
    );
    assert_eq!(out(&o).lines().count(), 1);
    // Default format: PHP, so no json=1.
    assert_eq!(
        stub.only().body,
        "command=getBalance&login=reseller&pass=pa%24%24-w0rd"
    );
}

#[test]
fn api_key_from_env_and_both_secrets_refused_before_sending() {
    let stub = Stub::new(
        200,
        "application/json",
        r#"{"status":"SUCCESS","orderid":"77"}"#,
    );
    let ep = endpoint(&stub);
    let env = [
        ("VPSGATE_FH_LOGIN", "reseller"),
        ("VPSGATE_FH_APIKEY", "K3Y"),
    ];
    let o = vpsgate(
        &["fh", "suspend", "--order", "77", "--endpoint", &ep],
        &env,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "orderid  77\nresult   suspended\n");
    assert_eq!(
        stub.only().body,
        "command=suspendOrder&login=reseller&apikey=K3Y&orderid=77"
    );

    let both = [
        ("VPSGATE_FH_LOGIN", "reseller"),
        ("VPSGATE_FH_APIKEY", "K3Y"),
        ("VPSGATE_FH_PASSWORD", PW),
    ];
    let o = vpsgate(&["fh", "balance", "--endpoint", &ep], &both, None);
    assert_eq!(code(&o), 11);
    let e = err(&o);
    assert!(
        e.contains("VPSGATE_FH_APIKEY") && e.contains("only one"),
        "{e}"
    );
    assert!(!e.contains(PW) && !e.contains("K3Y"), "{e}");
    assert_eq!(stub.seen().len(), 1, "nothing more may be sent");

    let o = vpsgate(
        &["fh", "balance", "--endpoint", &ep],
        &[("VPSGATE_FH_PASSWORD", PW)],
        None,
    );
    assert_eq!(code(&o), 11);
    assert!(err(&o).contains("VPSGATE_FH_LOGIN"), "{}", err(&o));
}

#[test]
fn gateway_error_7_exits_17_with_one_line_and_no_secret() {
    let stub = Stub::new(
        200,
        "application/json",
        r#"{"status":"ERROR","errorCode":"7","errorMsg":"Неверный пароль\nили ключ"}"#,
    );
    let ep = endpoint(&stub);
    let o = vpsgate(&["fh", "orders", "--endpoint", &ep], &creds(), None);
    assert_eq!(code(&o), 17, "{}", err(&o));
    assert_eq!(out(&o), "");
    let e = err(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.starts_with("vpsgate: gateway error 7"), "{e}");
    assert!(e.contains("Неверный пароль или ключ"), "{e}");
    assert!(!e.contains(PW), "{e}");

    // With --json the error is also a JSON document on stdout.
    let o = vpsgate(
        &["fh", "orders", "--json", "--endpoint", &ep],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 17);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["error"]["code"], 7);
    assert_eq!(v["error"]["name"], "gateway");
    assert_eq!(v["error"]["upstream_code"], 7);
}

#[test]
fn create_sends_every_field_hides_password_in_table_and_warns() {
    let body = r#"{"status":"SUCCESS","errorCode":30,"errorMsg":"manual","orderid":"501","vid":"vds","tarifid":"12","domain":"example.com","period":"3","addons":"5,7","balance":"80.00","cost":"19.99","currency":"EUR","serverlogin":"root","serverpassword":"S3rv3r!","remark":""}"#;
    let stub = Stub::new(200, "application/json", body);
    let ep = endpoint(&stub);
    let args = [
        "fh",
        "create",
        "--tariff",
        "12",
        "--period",
        "3",
        "--vid",
        "vds",
        "--domain",
        "example.com",
        "--addon",
        "5",
        "--addon",
        "7",
        "--endpoint",
        &ep,
    ];
    let o = vpsgate(&args, &creds(), None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        stub.only().body,
        "command=createOrder&login=reseller&pass=pa%24%24-w0rd&vid=vds&tarifid=12&period=3\
         &domain=example.com&addons=5%2C7"
    );
    let table = out(&o);
    assert!(table.contains("orderid         501\n"), "{table}");
    assert!(table.contains("cost            19.99\n"), "{table}");
    assert!(table.contains("serverpassword  [hidden"), "{table}");
    assert!(!table.contains("S3rv3r!"), "{table}");
    assert_eq!(err(&o), "vpsgate: warning: gateway warning 30: manual\n");

    let mut shown = args.to_vec();
    shown.push("--show-secrets");
    let o = vpsgate(&shown, &creds(), None);
    assert!(out(&o).contains("serverpassword  S3rv3r!\n"), "{}", out(&o));

    let mut json = args.to_vec();
    json.push("--json");
    let o = vpsgate(&json, &creds(), None);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["command"], "createOrder");
    assert_eq!(
        v["warning"],
        serde_json::json!({"code": 30, "message": "manual"})
    );
    assert_eq!(v["data"]["serverpassword"], "S3rv3r!");
    assert_eq!(v["data"]["orderid"], "501");
    assert_eq!(v["data"]["addons"], serde_json::json!(["5", "7"]));
}

#[test]
fn orders_table_and_empty_list_for_error_26() {
    let body = r#"{"status":"SUCCESS","orders":{"10":{"orderid":"10","domain":"a.example","vid":"vds","tarifid":"3","tarifname":"VDS-1","todate":"2026-12-01","leftdays":"9","status":"1"},"11":{"orderid":"11","domain":"","vid":"hosting","tarifid":"4","tarifname":"Старт","todate":"","leftdays":0,"status":2}}}"#;
    let stub = Stub::new(200, "application/json", body);
    let ep = endpoint(&stub);
    let o = vpsgate(&["fh", "orders", "--endpoint", &ep], &creds(), None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        "ORDER  DOMAIN     TYPE     TARIFF  PAID UNTIL  DAYS LEFT  STATUS\n\
         10     a.example  vds      VDS-1   2026-12-01  9          active\n\
         11     -          hosting  Старт   -           0          suspended\n"
    );

    let stub = Stub::new(
        200,
        "application/json",
        r#"{"status":"ERROR","errorCode":26,"errorMsg":"Orders are absent"}"#,
    );
    let ep = endpoint(&stub);
    let o = vpsgate(
        &["fh", "orders", "--endpoint", &ep, "--json"],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["data"]["orders"], serde_json::json!([]));
    // One order asked for: 26 stays an error.
    let o = vpsgate(
        &["fh", "orders", "--order", "5", "--endpoint", &ep],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 17);
    assert_eq!(
        stub.seen().last().unwrap().body,
        "command=getOrders&login=reseller&pass=pa%24%24-w0rd&orderid=5"
    );
}

#[test]
fn renew_and_tariffs() {
    let stub = Stub::new(
        200,
        "application/json",
        r#"{"status":"SUCCESS","orderid":"10","period":"6","balance":"1.00","cost":"30","currency":"EUR"}"#,
    );
    let ep = endpoint(&stub);
    let o = vpsgate(
        &[
            "fh",
            "renew",
            "--order",
            "10",
            "--period",
            "6",
            "--endpoint",
            &ep,
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        "orderid   10\nperiod    6\ncost      30\nbalance   1.00\ncurrency  EUR\n"
    );
    assert_eq!(
        stub.only().body,
        "command=renewOrder&login=reseller&pass=pa%24%24-w0rd&orderid=10&period=6"
    );

    let stub = Stub::new(
        200,
        "application/json",
        r#"{"status":"SUCCESS","tarifs":[{"id":"3","vid":"vds","name":"VDS-1","costMonthly":"4.99","costSetup":"0","currency":"EUR","allowWithoutDomain":"1","months":[{"months":"1"},{"months":12,"discount":"10"}],"addons":[{"id":"5","name":"IP"}]}]}"#,
    );
    let ep = endpoint(&stub);
    let o = vpsgate(
        &["fh", "tariffs", "--vid", "vds", "--endpoint", &ep],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        "ID  TYPE  NAME   MONTHLY  SETUP  CURRENCY  MONTHS  ADDONS\n\
         3   vds   VDS-1  4.99     0      EUR       1,12    5\n"
    );
    assert_eq!(
        stub.only().body,
        "command=getTarifs&login=reseller&pass=pa%24%24-w0rd&vid=vds"
    );
}

#[test]
fn plain_http_to_remote_host_is_refused_without_sending() {
    let o = vpsgate(
        &[
            "fh",
            "balance",
            "--endpoint",
            "http://example.invalid/apih.php",
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 27, "{}", err(&o));
    assert!(err(&o).contains("example.invalid"), "{}", err(&o));
}

#[test]
fn http_error_status_with_html_is_unexpected_status() {
    let stub = Stub::new(502, "text/html", "<html>Bad Gateway</html>");
    let ep = endpoint(&stub);
    let o = vpsgate(
        &["fh", "balance", "--endpoint", &ep, "--format", "json"],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 16, "{}", err(&o));
    assert_eq!(err(&o), "vpsgate: unexpected HTTP status 502\n");
    assert_eq!(stub.seen().len(), 1);
}

#[test]
fn php_answers_in_the_default_format() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let body = std::fs::read_to_string(format!("{fixtures}/fh_balance.ser")).unwrap();
    let stub = Stub::new(200, "text/html; charset=utf-8", &body);
    let ep = endpoint(&stub);
    let o = vpsgate(&["fh", "balance", "--endpoint", &ep], &creds(), None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "balance   12.50\ncurrency  EUR\n");

    let body = std::fs::read_to_string(format!("{fixtures}/fh_error_7.ser")).unwrap();
    let stub = Stub::new(200, "text/html; charset=utf-8", &body);
    let ep = endpoint(&stub);
    let o = vpsgate(&["fh", "balance", "--endpoint", &ep], &creds(), None);
    assert_eq!(code(&o), 17, "{}", err(&o));
    assert!(
        err(&o).starts_with("vpsgate: gateway error 7"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("Неверный пароль"), "{}", err(&o));
}
