//! The exact bytes the gateway client sends: every command, both credential kinds, both
//! answer formats, POST and GET, and the checks made before anything is sent.

use std::cell::RefCell;

use vpsgate::friendhosting::{
    Client, Command, CreateOrder, Credentials, Field, Format, Gateway, GetBalance, GetOrders,
    GetTarifs, Method, ReinstallOrder, RenewOrder, RestartOrder, SuspendOrder, UnSuspendOrder, Vid,
};
use vpsgate::{ApiKey, Error, ErrorCode, HttpRequest, HttpResponse, Password, TransportError};

const URL: &str = "https://my.friendhosting.net/apih.php";

fn password() -> Credentials {
    Credentials::with_password("reseller", Password::new("p@ss wörd"))
}

fn api_key() -> Credentials {
    Credentials::with_api_key("reseller", ApiKey::new("K3y/+="))
}

/// Sends every documented command through a client whose transport records the requests.
fn send_all(gateway: Gateway) -> Vec<HttpRequest> {
    let seen = RefCell::new(Vec::new());
    let transport = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
        seen.borrow_mut().push(req);
        Ok(http::Response::builder()
            .status(200)
            .body(br#"{"status":"SUCCESS"}"#.to_vec())
            .unwrap())
    };
    let client = Client::new(gateway, transport);
    let order = CreateOrder::new("12", 3)
        .vid(Vid::Vds)
        .domain("пример.рф")
        .addon("4")
        .addon("7");
    client.create_order(&order).unwrap();
    client.renew_order("51234", 6).unwrap();
    client.suspend_order("51234").unwrap();
    client.unsuspend_order("51234").unwrap();
    client.get_tarifs(Some(Vid::Dedicated)).unwrap();
    client.restart_order("51234").unwrap();
    client.reinstall_order("51234").unwrap();
    client.get_orders(Some("51234")).unwrap();
    client.get_balance().unwrap();
    // Optional fields left out.
    client.create_order(&CreateOrder::new("12", 1)).unwrap();
    client.get_tarifs(None).unwrap();
    client.get_orders(None).unwrap();
    seen.into_inner()
}

/// Per command, the fields after the credentials, in document order.
const COMMAND_FIELDS: [&str; 12] = [
    "command=createOrder&{auth}&vid=vds&tarifid=12&period=3&domain=%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.%D1%80%D1%84&addons=4%2C7",
    "command=renewOrder&{auth}&orderid=51234&period=6",
    "command=suspendOrder&{auth}&orderid=51234",
    "command=unSuspendOrder&{auth}&orderid=51234",
    "command=getTarifs&{auth}&vid=dedicated",
    "command=restartOrder&{auth}&orderid=51234",
    "command=reinstallOrder&{auth}&orderid=51234",
    "command=getOrders&{auth}&orderid=51234",
    "command=getBalance&{auth}",
    "command=createOrder&{auth}&tarifid=12&period=1",
    "command=getTarifs&{auth}",
    "command=getOrders&{auth}",
];

fn expected_bodies(auth: &str, json: bool) -> Vec<String> {
    COMMAND_FIELDS
        .iter()
        .map(|f| {
            let mut s = f.replace("{auth}", auth);
            if json {
                s.push_str("&json=1");
            }
            s
        })
        .collect()
}

fn check_post(gateway: Gateway, auth: &str, json: bool) {
    let requests = send_all(gateway);
    let expected = expected_bodies(auth, json);
    assert_eq!(requests.len(), expected.len());
    for (req, want) in requests.iter().zip(&expected) {
        assert_eq!(req.method(), http::Method::POST);
        assert_eq!(req.uri().to_string(), URL);
        assert_eq!(
            req.headers()[http::header::CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(
            std::str::from_utf8(req.body()).unwrap(),
            want.as_str(),
            "request body"
        );
    }
}

#[test]
fn post_password_php() {
    check_post(
        Gateway::new(password()),
        "login=reseller&pass=p%40ss+w%C3%B6rd",
        false,
    );
}

#[test]
fn post_password_json() {
    check_post(
        Gateway::new(password()).with_format(Format::Json),
        "login=reseller&pass=p%40ss+w%C3%B6rd",
        true,
    );
}

#[test]
fn post_api_key_php() {
    check_post(
        Gateway::new(api_key()),
        "login=reseller&apikey=K3y%2F%2B%3D",
        false,
    );
}

#[test]
fn post_api_key_json() {
    check_post(
        Gateway::new(api_key()).with_format(Format::Json),
        "login=reseller&apikey=K3y%2F%2B%3D",
        true,
    );
}

#[test]
fn get_sends_the_fields_as_query_string() {
    for (gateway, auth, json) in [
        (
            Gateway::new(password()).with_method(Method::Get),
            "login=reseller&pass=p%40ss+w%C3%B6rd",
            false,
        ),
        (
            Gateway::new(api_key())
                .with_method(Method::Get)
                .with_format(Format::Json),
            "login=reseller&apikey=K3y%2F%2B%3D",
            true,
        ),
    ] {
        let requests = send_all(gateway);
        let expected = expected_bodies(auth, json);
        assert_eq!(requests.len(), expected.len());
        for (req, want) in requests.iter().zip(&expected) {
            assert_eq!(req.method(), http::Method::GET);
            assert_eq!(req.uri().to_string(), format!("{URL}?{want}"));
            assert!(req.body().is_empty());
            assert!(req.headers().get(http::header::CONTENT_TYPE).is_none());
        }
    }
}

#[test]
fn other_rootpanel_hosts_and_urls_with_a_query() {
    let gateway = Gateway::new(Credentials::test_account())
        .with_url("https://panel.example.net/apih.php")
        .with_format(Format::Json);
    let req = gateway.request(&GetBalance).unwrap();
    assert_eq!(req.uri(), "https://panel.example.net/apih.php");
    assert_eq!(
        req.body(),
        b"command=getBalance&login=test&pass=test&json=1"
    );

    let req = gateway
        .with_url("https://panel.example.net/apih.php?lang=ru")
        .with_method(Method::Get)
        .request(&SuspendOrder::new("5"))
        .unwrap();
    assert_eq!(
        req.uri(),
        "https://panel.example.net/apih.php?lang=ru&command=suspendOrder&login=test&pass=test&orderid=5&json=1"
    );
}

#[test]
fn default_settings() {
    let gateway = Gateway::new(Credentials::test_account());
    assert_eq!(gateway.url(), Gateway::DEFAULT_URL);
    assert_eq!(Gateway::DEFAULT_URL, URL);
    assert_eq!(gateway.format(), Format::Php);
    assert_eq!(gateway.method(), Method::Post);
    let cmd = GetOrders::new(None);
    let fields = gateway.fields(&cmd).unwrap();
    let names: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["command", "login", "pass"]);
}

fn invalid_field(result: Result<HttpRequest, Error>) -> &'static str {
    match result {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn empty_required_fields_are_refused_by_name() {
    let g = Gateway::new(password());
    assert_eq!(
        invalid_field(g.request(&CreateOrder::new("", 1))),
        "tarifid"
    );
    assert_eq!(
        invalid_field(g.request(&CreateOrder::new("12", 0))),
        "period"
    );
    assert_eq!(invalid_field(g.request(&RenewOrder::new("", 1))), "orderid");
    assert_eq!(invalid_field(g.request(&RenewOrder::new("7", 0))), "period");
    assert_eq!(invalid_field(g.request(&SuspendOrder::new(""))), "orderid");
    assert_eq!(
        invalid_field(g.request(&UnSuspendOrder::new(""))),
        "orderid"
    );
    assert_eq!(invalid_field(g.request(&RestartOrder::new(""))), "orderid");
    assert_eq!(
        invalid_field(g.request(&ReinstallOrder::new(""))),
        "orderid"
    );
    assert_eq!(
        invalid_field(g.request(&CreateOrder::new("12", 1).addon(""))),
        "addons"
    );
    assert_eq!(
        invalid_field(g.request(&CreateOrder::new("12", 1).addon("4,5"))),
        "addons"
    );
}

#[test]
fn empty_credentials_are_refused_by_name() {
    let g = Gateway::new(Credentials::with_password("", Password::new("x")));
    assert_eq!(invalid_field(g.request(&GetBalance)), "login");
    let g = Gateway::new(Credentials::with_password("me", Password::new("")));
    assert_eq!(invalid_field(g.request(&GetBalance)), "pass");
    let g = Gateway::new(Credentials::with_api_key("me", ApiKey::new("")));
    assert_eq!(invalid_field(g.request(&GetBalance)), "apikey");
}

#[test]
fn empty_optional_fields_are_dropped() {
    let g = Gateway::new(password());
    let order = CreateOrder {
        vid: Some(Vid::Other(String::new())),
        tarifid: "12".into(),
        period: 2,
        domain: Some(String::new()),
        addons: vec![],
    };
    let req = g.request(&order).unwrap();
    assert_eq!(
        req.body(),
        b"command=createOrder&login=reseller&pass=p%40ss+w%C3%B6rd&tarifid=12&period=2"
    );
    // An order id given but empty would list every order: refused, by field name.
    for empty in ["", "  "] {
        let e = g
            .request(&GetOrders::new(Some(empty.to_owned())))
            .unwrap_err();
        assert_eq!(e.field(), Some("orderid"), "{e}");
        assert_eq!(e.code(), vpsgate::ErrorCode::InvalidInput);
    }
    let req = g.request(&GetOrders::new(None)).unwrap();
    assert_eq!(
        req.body(),
        b"command=getOrders&login=reseller&pass=p%40ss+w%C3%B6rd"
    );
    let req = g.request(&GetTarifs::new(Some(Vid::Hosting))).unwrap();
    assert!(req.body().ends_with(b"&vid=hosting"));
}

struct Sneaky;
impl Command for Sneaky {
    const NAME: &'static str = "getBalance";
    type Answer = serde::de::IgnoredAny;
    fn fields(&self) -> Vec<Field<'_>> {
        vec![Field::optional("json", "0")]
    }
}

#[test]
fn commands_cannot_override_gateway_fields() {
    let g = Gateway::new(password());
    assert_eq!(invalid_field(g.request(&Sneaky)), "json");
}

#[test]
fn nothing_is_sent_when_a_request_is_invalid() {
    let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!("an invalid request must not be sent")
    };
    let client = Client::new(Gateway::new(password()), transport);
    let err = client.suspend_order("").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[test]
fn unusable_url_is_invalid_input() {
    let g = Gateway::new(password()).with_url("not a url at all");
    assert_eq!(invalid_field(g.request(&GetBalance)), "endpoint");
    let g = g.with_method(Method::Get);
    assert_eq!(invalid_field(g.request(&GetBalance)), "endpoint");
}

#[test]
fn secrets_never_show_in_debug() {
    let g = Gateway::new(password()).with_format(Format::Json);
    let k = Gateway::new(api_key());
    let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> { unreachable!() };
    let client = Client::new(k.clone(), transport);
    for text in [
        format!("{:?}", password()),
        format!("{:?}", api_key()),
        format!("{g:?}"),
        format!("{k:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains("p@ss"), "{text}");
        assert!(!text.contains("wörd"), "{text}");
        assert!(!text.contains("K3y"), "{text}");
        assert!(
            text.contains("reseller") || text.contains("Password") || text.contains("ApiKey"),
            "{text}"
        );
    }
}
