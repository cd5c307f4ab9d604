//! The client and the neutral lifecycle over a mock transport that checks every request.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use rust_decimal::Decimal;
use time::macros::date;
use vpsgate::friendhosting::{
    Client, Command, Credentials, Field, Format, Gateway, GatewayCode, GetBalance, WarningCode,
};
use vpsgate::lifecycle::{CreateSpec, Lifecycle, Provisioning, ServiceRef, ServiceState};
use vpsgate::{ApiKey, Error, ErrorCode, HttpRequest, HttpResponse, TransportError};

const URL: &str = "https://my.friendhosting.net/apih.php";
const AUTH: &str = "login=shop&apikey=k3y";

/// A transport that expects exactly the given request bodies, in order, and answers each with
/// the paired JSON body.
struct Script {
    steps: RefCell<Vec<(String, u16, String)>>,
}

impl Script {
    fn new(steps: &[(&str, u16, &str)]) -> Self {
        Script {
            steps: RefCell::new(
                steps
                    .iter()
                    .rev()
                    .map(|(a, s, b)| (a.replace("{auth}", AUTH), *s, b.to_string()))
                    .collect(),
            ),
        }
    }

    fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let (want, status, answer) = self
            .steps
            .borrow_mut()
            .pop()
            .expect("more requests than scripted");
        assert_eq!(req.method(), http::Method::POST);
        assert_eq!(req.uri(), URL);
        assert_eq!(
            req.headers()[http::header::CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(std::str::from_utf8(req.body()).unwrap(), want);
        Ok(http::Response::builder()
            .status(status)
            .body(answer.into_bytes())
            .unwrap())
    }

    fn done(&self) {
        assert!(self.steps.borrow().is_empty(), "scripted requests not sent");
    }
}

fn client(
    script: &Script,
) -> Client<impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> + '_> {
    let gateway = Gateway::new(Credentials::with_api_key("shop", ApiKey::new("k3y")))
        .with_format(Format::Json);
    Client::new(gateway, move |req| script.send(req))
}

fn svc(id: &str) -> ServiceRef {
    ServiceRef {
        id: id.into(),
        client_id: None,
    }
}

#[test]
fn create_ready_with_access() {
    let script = Script::new(&[(
        "command=createOrder&{auth}&vid=vds&tarifid=12&period=3&domain=a.example&addons=4%2C7&json=1",
        200,
        r#"{"status":"SUCCESS","orderid":"900","cost":"14.97","serverlogin":"root","serverpassword":"s3cr3t!"}"#,
    )]);
    let c = client(&script);
    let created = c
        .create(&CreateSpec {
            plan: "12".into(),
            months: 3,
            kind: Some("VDS".into()),
            domain: Some("a.example".into()),
            addons: vec!["4".into(), "7".into()],
            client_id: None,
        })
        .unwrap();
    script.done();
    assert_eq!(created.service.id, "900");
    assert_eq!(created.provisioning, Provisioning::Ready);
    assert_eq!(created.cost, Some(Decimal::new(1497, 2)));
    assert_eq!(created.warning, None);
    let access = created.access.clone().unwrap();
    assert_eq!(access.login.as_deref(), Some("root"));
    assert_eq!(access.password.unwrap().secret(), "s3cr3t!");
    assert!(!format!("{created:?}").contains("s3cr3t!"));
}

#[test]
fn create_with_warning_is_pending_not_failed() {
    let script = Script::new(&[
        (
            "command=createOrder&{auth}&tarifid=5&period=1&json=1",
            200,
            r#"{"status":"SUCCESS","errorCode":"31","errorMsg":"После оплаты","orderid":901}"#,
        ),
        (
            "command=createOrder&{auth}&tarifid=5&period=1&json=1",
            200,
            r#"{"status":"SUCCESS","errorCode":30,"errorMsg":"","orderid":902}"#,
        ),
    ]);
    let c = client(&script);
    let spec = CreateSpec {
        plan: "5".into(),
        months: 1,
        ..CreateSpec::default()
    };
    let created = c.create(&spec).unwrap();
    assert_eq!(created.service.id, "901");
    assert_eq!(
        created.provisioning,
        Provisioning::Pending {
            message: "После оплаты".into()
        }
    );
    let warning = created.warning.as_ref().unwrap();
    assert_eq!(
        (warning.code, warning.message.as_str()),
        (31, "После оплаты")
    );
    assert!(created.access.is_none());
    // Without a message, the document's text stands in.
    let created = c.create(&spec).unwrap();
    assert_eq!(created.service.id, "902");
    assert_eq!(
        created.warning.as_ref().map(|w| w.message.as_str()),
        Some(WarningCode::ManualProcessing.description())
    );
    script.done();
}

#[test]
fn create_failure_is_a_typed_error_and_sent_once() {
    let script = Script::new(&[(
        "command=createOrder&{auth}&tarifid=5&period=1&json=1",
        200,
        r#"{"status":"ERROR","errorCode":"12","errorMsg":"Тарифный план не найден"}"#,
    )]);
    let c = client(&script);
    let err = c
        .create(&CreateSpec {
            plan: "5".into(),
            months: 1,
            ..CreateSpec::default()
        })
        .unwrap_err();
    script.done();
    match err {
        Error::Gateway(g) => {
            assert_eq!(g.code, GatewayCode::TariffNotFound);
            assert_eq!(g.message, "Тарифный план не найден");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn renew_and_order_actions() {
    let script = Script::new(&[
        (
            "command=renewOrder&{auth}&orderid=900&period=6&json=1",
            200,
            r#"{"status":"SUCCESS","orderid":"900","period":"6","cost":29.94}"#,
        ),
        (
            "command=suspendOrder&{auth}&orderid=900&json=1",
            200,
            r#"{"status":"SUCCESS","orderid":"900"}"#,
        ),
        (
            "command=unSuspendOrder&{auth}&orderid=900&json=1",
            200,
            r#"{"status":"SUCCESS","orderid":"900"}"#,
        ),
        (
            "command=restartOrder&{auth}&orderid=900&json=1",
            200,
            r#"{"status":"SUCCESS","orderid":"900"}"#,
        ),
        (
            "command=reinstallOrder&{auth}&orderid=900&json=1",
            200,
            r#"{"status":"SUCCESS","orderid":"900"}"#,
        ),
        (
            "command=suspendOrder&{auth}&orderid=900&json=1",
            200,
            r#"{"status":"ERROR","errorCode":21,"errorMsg":"Заказ уже приостановлен"}"#,
        ),
    ]);
    let c = client(&script);
    let renewed = c.renew(&svc("900"), 6).unwrap();
    assert_eq!(renewed.cost, Some(Decimal::new(2994, 2)));
    assert_eq!(renewed.warning, None);
    c.suspend(&svc("900")).unwrap();
    c.unsuspend(&svc("900")).unwrap();
    c.reboot(&svc("900")).unwrap();
    c.reinstall(&svc("900")).unwrap();
    let err = c.suspend(&svc("900")).unwrap_err();
    assert_eq!(err.upstream_code(), Some(21));
    script.done();
}

#[test]
fn terminate_is_unsupported_and_sends_nothing() {
    let script = Script::new(&[]);
    let c = client(&script);
    let err = c.terminate(&svc("900")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unsupported);
    assert_eq!(c.provider(), "friendhosting");
    script.done();
}

const ORDERS: &str = r#"{"status":"SUCCESS","orders":{"900":{"orderid":"900","domain":"a.example","tarifid":"12","tarifname":"VDS-Старт","todate":"01.02.2026","status":"1"},"901":{"orderid":901,"domain":"","tarifid":"5","status":"2","todate":"0000-00-00"},"902":{"orderid":"902","status":"3"},"903":{"orderid":"903","status":"9"},"904":{"orderid":"904"}}}"#;

#[test]
fn list_maps_every_order() {
    let script = Script::new(&[("command=getOrders&{auth}&json=1", 200, ORDERS)]);
    let c = client(&script);
    let list = c.list().unwrap();
    script.done();
    let ids: Vec<&str> = list.iter().map(|s| s.service.id.as_str()).collect();
    assert_eq!(ids, ["900", "901", "902", "903", "904"]);
    assert_eq!(list[0].plan, "VDS-Старт");
    assert_eq!(list[0].domain.as_deref(), Some("a.example"));
    assert_eq!(list[0].state, ServiceState::Active);
    assert_eq!(list[0].expires, Some(date!(2026 - 02 - 01)));
    assert_eq!(list[1].plan, "5", "tariff id when there is no name");
    assert_eq!(list[1].domain, None);
    assert_eq!(list[1].state, ServiceState::Suspended);
    assert_eq!(list[1].expires, None);
    assert_eq!(list[2].state, ServiceState::Pending);
    assert_eq!(list[3].state, ServiceState::Other(9));
    assert_eq!(list[4].state, ServiceState::Other(-1));
}

#[test]
fn list_without_orders_is_empty_but_other_errors_fail() {
    let script = Script::new(&[
        (
            "command=getOrders&{auth}&json=1",
            200,
            r#"{"status":"ERROR","errorCode":"26","errorMsg":"Заказы отсутствуют"}"#,
        ),
        (
            "command=getOrders&{auth}&json=1",
            200,
            r#"{"status":"ERROR","errorCode":7,"errorMsg":"bad key"}"#,
        ),
    ]);
    let c = client(&script);
    assert!(c.list().unwrap().is_empty());
    assert_eq!(c.list().unwrap_err().upstream_code(), Some(7));
    script.done();
}

#[test]
fn info_picks_the_asked_order() {
    let script = Script::new(&[
        ("command=getOrders&{auth}&orderid=901&json=1", 200, ORDERS),
        (
            "command=getOrders&{auth}&orderid=555&json=1",
            200,
            r#"{"status":"SUCCESS","orders":[{"orderid":"556"}]}"#,
        ),
        (
            "command=getOrders&{auth}&orderid=557&json=1",
            200,
            r#"{"status":"ERROR","errorCode":19}"#,
        ),
    ]);
    let c = client(&script);
    let info = c.info(&svc("901")).unwrap();
    assert_eq!(info.service.id, "901");
    assert_eq!(info.state, ServiceState::Suspended);
    match c.info(&svc("555")).unwrap_err() {
        Error::MalformedResponse { reason, body, .. } => {
            assert!(reason.contains("555"), "{reason}");
            assert!(body.as_bytes().starts_with(b"{\"status\""));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.info(&svc("557")).unwrap_err().upstream_code(), Some(19));
    script.done();
}

#[test]
fn balance() {
    let script = Script::new(&[
        (
            "command=getBalance&{auth}&json=1",
            200,
            r#"{"status":"SUCCESS","balance":"1234.56","currency":"RUB"}"#,
        ),
        (
            "command=getBalance&{auth}&json=1",
            200,
            r#"{"status":"SUCCESS"}"#,
        ),
    ]);
    let c = client(&script);
    let b = c.balance().unwrap();
    assert_eq!(b.amount, Decimal::new(123456, 2));
    assert_eq!(b.currency, "RUB");
    assert_eq!(
        c.balance().unwrap_err().code(),
        ErrorCode::MalformedResponse
    );
    script.done();
}

#[test]
fn transport_errors_pass_through_untouched() {
    let c = Client::new(
        Gateway::new(Credentials::test_account()),
        |_: HttpRequest| -> Result<HttpResponse, TransportError> {
            Err(TransportError::new(
                vpsgate::TransportErrorKind::Timeout,
                "timed out",
            ))
        },
    );
    assert_eq!(c.get_balance().unwrap_err().code(), ErrorCode::Timeout);
}

/// A command the crate does not define, sent through the generic `call`.
struct PowerOn<'a> {
    orderid: &'a str,
}

#[derive(Debug, serde::Deserialize)]
struct PowerAnswer {
    state: vpsgate::lenient::Text,
}

impl Command for PowerOn<'_> {
    const NAME: &'static str = "powerOn";
    type Answer = PowerAnswer;
    fn fields(&self) -> Vec<Field<'_>> {
        vec![Field::required("orderid", self.orderid)]
    }
}

#[test]
fn user_defined_commands_work_through_call() {
    let script = Script::new(&[
        (
            "command=powerOn&{auth}&orderid=900&json=1",
            200,
            r#"{"status":"SUCCESS","state":"on"}"#,
        ),
        (
            "command=powerOn&{auth}&orderid=900&json=1",
            200,
            r#"{"status":"ERROR","errorCode":8,"errorMsg":"Неизвестная команда"}"#,
        ),
    ]);
    let c = client(&script);
    let a = c.call(&PowerOn { orderid: "900" }).unwrap();
    assert_eq!(a.data.state.0, "on");
    let err = c.call(&PowerOn { orderid: "900" }).unwrap_err();
    match err {
        Error::Gateway(g) => assert_eq!(g.code, GatewayCode::UnknownCommand),
        other => panic!("{other:?}"),
    }
    // A required field the answer lacks is a malformed answer, not a panic.
    let script = Script::new(&[(
        "command=powerOn&{auth}&orderid=1&json=1",
        200,
        r#"{"status":"SUCCESS"}"#,
    )]);
    let err = client(&script).call(&PowerOn { orderid: "1" }).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
}

fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[test]
fn async_transport() {
    let sent = RefCell::new(Vec::new());
    let c = Client::new(
        Gateway::new(Credentials::test_account()).with_format(Format::Json),
        |req: HttpRequest| {
            sent.borrow_mut().push(req.body().clone());
            std::future::ready(Ok::<_, TransportError>(
                http::Response::builder()
                    .status(200)
                    .body(br#"{"status":"SUCCESS","balance":3,"currency":"EUR"}"#.to_vec())
                    .unwrap(),
            ))
        },
    );
    let a = block_on(c.call_async(&GetBalance)).unwrap();
    assert_eq!(a.data.balance, Some(Decimal::from(3)));
    assert_eq!(
        sent.into_inner(),
        [b"command=getBalance&login=test&pass=test&json=1".to_vec()]
    );
}

/// The default gateway (PHP answers) through the client, fed the PHP-generated fixtures.
#[test]
fn default_php_answers_through_the_lifecycle() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/friendhosting");
    let answers = RefCell::new(vec![
        std::fs::read(format!("{dir}/error_26.ser")).unwrap(),
        std::fs::read(format!("{dir}/get_orders_map.ser")).unwrap(),
        std::fs::read(format!("{dir}/create_order_warning_31.ser")).unwrap(),
        std::fs::read(format!("{dir}/get_balance.ser")).unwrap(),
    ]);
    let c = Client::new(
        Gateway::new(Credentials::test_account()),
        |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            assert!(
                !req.body().ends_with(b"&json=1"),
                "PHP answers are the default"
            );
            Ok(http::Response::builder()
                .status(200)
                .body(answers.borrow_mut().pop().unwrap())
                .unwrap())
        },
    );
    let b = c.balance().unwrap();
    assert_eq!(b.amount, Decimal::new(123456, 2));
    assert_eq!(b.currency, "RUB");
    let created = c
        .create(&CreateSpec {
            plan: "40".into(),
            months: 12,
            ..CreateSpec::default()
        })
        .unwrap();
    assert_eq!(created.service.id, "51237");
    assert_eq!(
        created.provisioning,
        Provisioning::Pending {
            message: "Заказ размещен, но будет обработан после оплаты.".into()
        }
    );
    let list = c.list().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].state, ServiceState::Suspended);
    assert_eq!(list[0].expires, Some(date!(2025 - 01 - 15)));
    assert!(c.list().unwrap().is_empty(), "error 26 is an empty list");
    assert!(answers.borrow().is_empty());
}
