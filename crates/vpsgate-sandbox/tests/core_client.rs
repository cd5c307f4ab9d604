//! End to end: the core's own clients (over a plain TCP transport) against the sandbox, in both
//! answer formats. The other suites check the sandbox against the documents; this one checks
//! that the two sides agree.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use vpsgate::friendhosting::{
    Client, CreateOrder, Credentials, Format, Gateway, GatewayCode, Vid, WarningCode,
};
use vpsgate::govpsfx::{self, Extend, Lease, LeaseOutcome, Partner, Recall, Term};
use vpsgate::{
    ApiKey, Error, HttpRequest, HttpResponse, PartnerSecret, Password, TransportError,
    TransportErrorKind,
};
use vpsgate_sandbox::{CallbackReceiver, Sandbox, SandboxConfig};

/// HTTP/1.1 with `Connection: close` over a fresh loopback connection.
fn send(req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let uri = req.uri().clone();
    let host = uri.authority().map(|a| a.to_string()).unwrap_or_default();
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let fail = |e: std::io::Error| TransportError::new(TransportErrorKind::Connect, e.to_string());
    let mut s = TcpStream::connect(&host).map_err(fail)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(fail)?;
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
        req.method()
    );
    for (k, v) in req.headers() {
        head.push_str(&format!("{k}: {}\r\n", v.to_str().unwrap_or("")));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", req.body().len()));
    s.write_all(head.as_bytes()).map_err(fail)?;
    s.write_all(req.body()).map_err(fail)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(fail)?;
    let r = common::parse(&buf);
    let mut b = http::Response::builder().status(r.status);
    for (k, v) in &r.headers {
        b = b.header(k, v);
    }
    b.body(r.body)
        .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))
}

type Transport = fn(HttpRequest) -> Result<HttpResponse, TransportError>;

fn gateway_client(url: &str, creds: Credentials, format: Format) -> Client<Transport> {
    Client::new(
        Gateway::new(creds).with_url(url).with_format(format),
        send as Transport,
    )
}

#[test]
fn friendhosting_client_round_trip_in_both_formats() {
    for format in [Format::Php, Format::Json] {
        let s =
            Sandbox::start(SandboxConfig::from_toml_str(common::GATEWAY_TOML).unwrap()).unwrap();
        let c = gateway_client(
            &s.gateway_url(),
            Credentials::with_api_key("demo", ApiKey::new("demo-key")),
            format,
        );
        let b = c.get_balance().unwrap();
        assert_eq!(b.data.balance.unwrap().to_string(), "100.00");
        let t = c.get_tarifs(Some(Vid::Vds)).unwrap();
        assert_eq!(t.data.tarifs.len(), 1);
        let o = c
            .create_order(&CreateOrder::new("201", 3).vid(Vid::Vds))
            .unwrap();
        assert!(o.warning.is_none());
        assert_eq!(o.data.cost.unwrap().to_string(), "14.22");
        assert_eq!(o.data.balance.unwrap().to_string(), "85.78");
        let id = o.data.orderid.unwrap();
        assert_eq!(id, "100001");
        let list = c.get_orders(None).unwrap();
        assert_eq!(list.data.orders.len(), 1);
        assert_eq!(list.data.orders[0].leftdays, Some(92)); // 2026-11-21 to 2027-02-21
        c.suspend_order(id.clone()).unwrap();
        match c.suspend_order(id.clone()) {
            Err(Error::Gateway(e)) => assert_eq!(e.code, GatewayCode::AlreadySuspended),
            other => panic!("{other:?}"),
        }
        c.unsuspend_order(id.clone()).unwrap();
        c.restart_order(id.clone()).unwrap();
        c.reinstall_order(id.clone()).unwrap();

        let poor = gateway_client(
            &s.gateway_url(),
            Credentials::with_password("poor", Password::new("x")),
            format,
        );
        let o = poor
            .create_order(&CreateOrder::new("201", 1).vid(Vid::Vds))
            .unwrap();
        assert_eq!(o.warning.unwrap().code, WarningCode::AwaitingPayment);

        let wrong = gateway_client(
            &s.gateway_url(),
            Credentials::with_password("demo", Password::new("nope")),
            format,
        );
        match wrong.get_balance() {
            Err(Error::Gateway(e)) => assert_eq!(e.code, GatewayCode::SecretWrong),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn govpsfx_client_round_trip_and_signed_callback() {
    let s = Sandbox::start(SandboxConfig::from_toml_str(common::GOVPSFX_TOML).unwrap()).unwrap();
    let rx = CallbackReceiver::start().unwrap();
    s.set_handler("14321", &rx.url()).unwrap();
    let partner =
        Partner::new("14321", PartnerSecret::new("sdsd4223dsd")).with_base_url(&s.base_url());
    let c = govpsfx::Client::new(partner.clone(), send as Transport);
    let details = match c
        .lease(&Lease::new(
            "singapore",
            Term::try_from(1).unwrap(),
            "ID16773",
        ))
        .unwrap()
    {
        LeaseOutcome::Delivered(d) => d,
        other => panic!("{other:?}"),
    };
    assert_eq!(details.client_id, "ID16773");
    let ext = c
        .extend(&Extend::new(Term::try_from(3).unwrap(), "ID16773"))
        .unwrap();
    assert_eq!(
        ext.end_at,
        time::Date::from_calendar_date(2027, time::Month::March, 21).unwrap()
    );
    c.recall(&Recall::new(details.server_id.clone())).unwrap();

    match c
        .lease(&Lease::new(
            "france_mini",
            Term::try_from(6).unwrap(),
            "ID2",
        ))
        .unwrap()
    {
        LeaseOutcome::Pending { .. } => {}
        other => panic!("{other:?}"),
    }
    let got = rx.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    let d = govpsfx::verify_callback(
        &partner,
        Some(&got[0].content_type),
        got[0].body.as_bytes(),
        &govpsfx::CallbackLimits::default(),
    )
    .unwrap();
    assert_eq!(d.client_id, "ID2");
    assert_eq!(d.rate, "france_mini");

    let bad = Partner::new("14321", PartnerSecret::new("wrong")).with_base_url(&s.base_url());
    let c = govpsfx::Client::new(bad, send as Transport);
    assert!(matches!(
        c.lease(&Lease::new("singapore", Term::try_from(1).unwrap(), "ID1")),
        Err(Error::Refused { .. })
    ));
}
