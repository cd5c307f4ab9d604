//! GoVPSFX partner API, driven through a mock transport that checks every outgoing byte.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use time::macros::date;
use vpsgate::govpsfx::sign::{mb_strtolower, signature, SignedFields};
use vpsgate::govpsfx::{
    callback_form, callback_json, verify_callback, CallbackLimits, Client, Endpoints, Extend,
    Extended, Lease, LeaseOutcome, Partner, Recall, Recalled, ServerDetails, Term,
};
use vpsgate::lifecycle::{CreateSpec, Lifecycle, Provisioning, ServiceRef};
use vpsgate::{
    Error, ErrorCode, HttpRequest, HttpResponse, PartnerSecret, ServerPassword, SignatureProblem,
    TransportError,
};

const SECRET: &str = "sdsd4223dsd";

fn partner() -> Partner {
    Partner::new("14321", PartnerSecret::new(SECRET))
}

fn term(m: u32) -> Term {
    Term::try_from(m).unwrap()
}

fn response(status: u16, body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

/// A transport that asserts the exact request and answers `status` + `body`, counting calls.
fn mock<'a>(
    calls: &'a Cell<u32>,
    url: &'a str,
    form: &'a str,
    status: u16,
    body: &'a [u8],
) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> + 'a {
    move |req: HttpRequest| {
        calls.set(calls.get() + 1);
        assert_eq!(req.method(), http::Method::POST);
        assert_eq!(req.uri().to_string(), url);
        assert_eq!(
            req.headers()[http::header::CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(
            std::str::from_utf8(req.body()).unwrap(),
            form,
            "request body"
        );
        Ok(response(status, body))
    }
}

/// A transport that must never be reached.
fn unreachable_transport(
    calls: &Cell<u32>,
) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> + '_ {
    move |_req: HttpRequest| {
        calls.set(calls.get() + 1);
        Err(TransportError::new(
            vpsgate::TransportErrorKind::Other,
            "must not be sent",
        ))
    }
}

fn md5_of(plain: &str) -> String {
    use md5::{Digest, Md5};
    format!("{:x}", Md5::digest(plain.as_bytes()))
}

const LEASE_URL: &str = "https://api.govpsfx.com/server/server/get";
const EXTEND_URL: &str = "https://api.govpsfx.com/server/server/extend";
const RECALL_URL: &str = "https://api.govpsfx.com/server/server/recall";
const LEASE_FORM: &str = "rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6";

const DETAILS: &str = r#"{"ip":"203.0.113.7","port":8015,"login":"Admin","password":"4iJtCt7","created_at":"01.07.2020","end_at":"02.08.2020","rate":"singapore","client_id":"ID16773","server_id":"SRV-77"}"#;

fn expected_details() -> ServerDetails {
    ServerDetails {
        ip: "203.0.113.7".into(),
        port: 8015,
        login: "Admin".into(),
        password: ServerPassword::new("4iJtCt7"),
        created_at: date!(2020 - 07 - 01),
        end_at: date!(2020 - 08 - 02),
        rate: "singapore".into(),
        client_id: "ID16773".into(),
        server_id: "SRV-77".into(),
    }
}

fn lease() -> Lease {
    Lease::new("singapore", term(1), "ID16773")
}

// ---------------------------------------------------------------- signing

#[derive(serde::Deserialize)]
struct Vector {
    rate: Option<String>,
    term: Option<String>,
    server_id: Option<String>,
    partner_code: Option<String>,
    secret: String,
    lowered: String,
    hash: String,
}

#[derive(serde::Deserialize)]
struct Plane {
    plane: u32,
    md5: String,
}

#[derive(serde::Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
    planes: Vec<Plane>,
}

fn php_vectors() -> Vectors {
    serde_json::from_str(include_str!("govpsfx_sign_vectors.json")).unwrap()
}

/// Vectors produced by real PHP 8.2 `md5(mb_strtolower(...))`: tests/govpsfx_sign_vectors.php.
#[test]
fn signatures_match_php_mb_strtolower_md5() {
    let vectors = php_vectors().vectors;
    assert!(vectors.len() >= 10);
    assert_eq!(vectors[0].hash, "8cfff6fb2b39a4f0c9d6d7413e9439f6");
    for v in &vectors {
        let fields = SignedFields {
            rate: v.rate.as_deref(),
            term: v.term.as_deref(),
            server_id: v.server_id.as_deref(),
            partner_code: v.partner_code.as_deref(),
        };
        let plain: String = [&v.rate, &v.term, &v.server_id, &v.partner_code]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain([v.secret.as_str()])
            .collect();
        assert_eq!(mb_strtolower(&plain), v.lowered, "lowering {plain}");
        assert_eq!(
            signature(&fields, &PartnerSecret::new(v.secret.as_str())),
            v.hash,
            "hash of {plain}"
        );
    }
}

/// Every Unicode scalar value lowers exactly as PHP 8.2 lowers it (md5 per plane, from PHP).
#[test]
fn every_code_point_lowers_like_php() {
    let planes = php_vectors().planes;
    assert_eq!(planes.len(), 17);
    for p in planes {
        let all: String = ((p.plane << 16)..((p.plane + 1) << 16))
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(md5_of(&mb_strtolower(&all)), p.md5, "plane {}", p.plane);
    }
}

#[test]
fn final_sigma_differs_from_str_to_lowercase() {
    // The PHP vector with ΟΔΟΣ: Rust's context-sensitive lowering would sign a different string.
    let fields = SignedFields {
        rate: Some("ΟΔΟΣ"),
        term: Some("1"),
        partner_code: Some("1880"),
        ..SignedFields::default()
    };
    let ours = signature(&fields, &PartnerSecret::new("ΚΛΕΙΔΙΣ"));
    assert_eq!(ours, "f808cdb6f87aa39ade55b2e48fab1579");
    let naive = md5_of(&"ΟΔΟΣ11880ΚΛΕΙΔΙΣ".to_lowercase());
    assert_ne!(ours, naive);
}

// ---------------------------------------------------------------- exact requests

#[test]
fn lease_request_bytes() {
    let calls = Cell::new(0);
    let client = Client::new(
        partner(),
        mock(&calls, LEASE_URL, LEASE_FORM, 200, DETAILS.as_bytes()),
    );
    assert_eq!(
        client.lease(&lease()).unwrap(),
        LeaseOutcome::Delivered(expected_details())
    );
    assert_eq!(calls.get(), 1);
}

#[test]
fn extend_request_bytes() {
    let calls = Cell::new(0);
    // term 12, partner_code 14321, secret: "1214321sdsd4223dsd".
    let hash = md5_of("1214321sdsd4223dsd");
    let form = format!("term=12&partner_code=14321&client_id=ID+16773%2F%C3%A9&hash={hash}");
    let client = Client::new(
        partner(),
        mock(
            &calls,
            EXTEND_URL,
            &form,
            200,
            br#"{"end_at":"02.08.2021"}"#,
        ),
    );
    let out = client.extend(&Extend::new(term(12), "ID 16773/é")).unwrap();
    assert_eq!(
        out,
        Extended {
            end_at: date!(2021 - 08 - 02)
        }
    );
    assert_eq!(calls.get(), 1);
}

#[test]
fn recall_request_bytes() {
    let calls = Cell::new(0);
    // server_id then partner_code; the secret is lower-cased with the rest.
    let p = Partner::new("P-9", PartnerSecret::new("MiXeD"));
    let hash = md5_of("srv-77p-9mixed");
    let form = format!("server_id=SRV-77&partner_code=P-9&hash={hash}");
    let client = Client::new(p, mock(&calls, RECALL_URL, &form, 200, b"1"));
    assert_eq!(client.recall(&Recall::new("SRV-77")).unwrap(), Recalled);
    assert_eq!(calls.get(), 1);
}

#[test]
fn endpoints_are_overridable() {
    let calls = Cell::new(0);
    let p = partner().with_base_url("http://127.0.0.1:8080/");
    let client = Client::new(
        p,
        mock(
            &calls,
            "http://127.0.0.1:8080/server/server/get",
            LEASE_FORM,
            202,
            b"",
        ),
    );
    client.lease(&lease()).unwrap();
    let p = partner().with_endpoints(Endpoints {
        lease: "https://a.test/l".into(),
        extend: "https://a.test/e".into(),
        recall: "https://a.test/r".into(),
    });
    let hash = md5_of("x14321sdsd4223dsd");
    let form = format!("server_id=x&partner_code=14321&hash={hash}");
    let client = Client::new(p, mock(&calls, "https://a.test/r", &form, 200, b"1"));
    client.recall(&Recall::new("x")).unwrap();
    assert_eq!(calls.get(), 2);
}

// ---------------------------------------------------------------- statuses

fn lease_answer(status: u16, body: &[u8]) -> Result<LeaseOutcome, Error> {
    let calls = Cell::new(0);
    let client = Client::new(partner(), mock(&calls, LEASE_URL, LEASE_FORM, status, body));
    let out = client.lease(&lease());
    assert_eq!(calls.get(), 1);
    out
}

#[test]
fn status_200_port_as_number_or_string() {
    let as_string = DETAILS.replace("8015", "\"8015\"");
    for body in [DETAILS.to_owned(), as_string] {
        match lease_answer(200, body.as_bytes()).unwrap() {
            LeaseOutcome::Delivered(d) => assert_eq!(d, expected_details()),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn status_202_is_pending() {
    assert_eq!(
        lease_answer(202, "Заказ создан".as_bytes()).unwrap(),
        LeaseOutcome::Pending {
            message: "Заказ создан".into()
        }
    );
    assert_eq!(
        lease_answer(202, br#"{"message":"order created"}"#).unwrap(),
        LeaseOutcome::Pending {
            message: "order created".into()
        }
    );
    assert_eq!(
        lease_answer(202, b"").unwrap(),
        LeaseOutcome::Pending {
            message: "pending, will be delivered to your handler".into()
        }
    );
}

#[test]
fn error_statuses_keep_message_and_raw_body() {
    let cases: [(u16, &[u8], ErrorCode, &str); 6] = [
        (
            400,
            b"Invalid term\n",
            ErrorCode::InvalidParameters,
            "Invalid term",
        ),
        (
            400,
            br#"{"error":"unknown rate"}"#,
            ErrorCode::InvalidParameters,
            "unknown rate",
        ),
        (403, b"\"Invalid hash\"", ErrorCode::Refused, "Invalid hash"),
        (
            403,
            br#"{"status":403,"message":"no balance"}"#,
            ErrorCode::Refused,
            "no balance",
        ),
        (
            500,
            b"internal error",
            ErrorCode::ProviderError,
            "internal error",
        ),
        (
            500,
            br#"{"msg":"db down"}"#,
            ErrorCode::ProviderError,
            "db down",
        ),
    ];
    for (status, body, code, message) in cases {
        let err = lease_answer(status, body).unwrap_err();
        assert_eq!(err.code(), code, "{status}");
        assert_eq!(err.upstream_code(), Some(i64::from(status)));
        assert_eq!(err.raw_body(), Some(body));
        // A 500 after a lease may hide an executed lease; a 400/403 refusal cannot.
        assert_eq!(err.outcome_unknown(), status == 500, "{status}");
        let got = match err.cause() {
            Error::InvalidParameters { message, .. }
            | Error::Refused { message, .. }
            | Error::ProviderError { message, .. } => message.as_str(),
            e => panic!("{e:?}"),
        };
        assert_eq!(got, message);
        assert!(err.to_string().contains(message), "{err}");
    }
}

#[test]
fn other_statuses_are_unexpected() {
    for status in [302u16, 418, 201, 404] {
        let err = lease_answer(status, b"<html>teapot</html>").unwrap_err();
        // A lease moves money: an answer the API does not define leaves its outcome unknown.
        assert!(err.outcome_unknown(), "{err:?}");
        match err.into_cause() {
            Error::UnexpectedStatus { status: s, body } => {
                assert_eq!(s, status);
                assert_eq!(body.as_bytes(), b"<html>teapot</html>");
            }
            e => panic!("{e:?}"),
        }
    }
    // 202 is a lease-only outcome.
    let calls = Cell::new(0);
    let client = Client::new(
        partner(),
        |_req: HttpRequest| -> Result<HttpResponse, TransportError> {
            calls.set(calls.get() + 1);
            Ok(response(202, b"later"))
        },
    );
    assert!(matches!(
        client.recall(&Recall::new("x")),
        Err(Error::UnexpectedStatus { status: 202, .. })
    ));
    let e = client.extend(&Extend::new(term(3), "c")).unwrap_err();
    assert!(e.outcome_unknown(), "an extend moves money: {e:?}");
    assert!(
        matches!(e.cause(), Error::UnexpectedStatus { status: 202, .. }),
        "{e:?}"
    );
    assert_eq!(calls.get(), 2);
}

#[test]
fn malformed_200_bodies() {
    let cases: Vec<(String, &str)> = vec![
        (
            DETAILS.replace("\"02.08.2020\"", "\"2020-08-02\""),
            "`end_at`",
        ),
        (
            DETAILS.replace("\"02.08.2020\"", "\"30.02.2020\""),
            "`end_at`",
        ),
        (
            DETAILS.replace("\"01.07.2020\"", "\"1 July\""),
            "`created_at`",
        ),
        (DETAILS.replace("8015", "\"eighty\""), "`port`"),
        (DETAILS.replace("8015", "65536"), "`port`"),
        (
            DETAILS.replace(r#","server_id":"SRV-77""#, ""),
            "`server_id`",
        ),
        (DETAILS.replace(r#""login":"Admin","#, ""), "`login`"),
    ];
    for (body, field) in cases {
        match lease_answer(200, body.as_bytes()).unwrap_err().into_cause() {
            Error::MalformedResponse {
                reason, body: raw, ..
            } => {
                assert!(reason.contains(field), "{reason} should name {field}");
                assert_eq!(raw.as_bytes(), body.as_bytes());
            }
            e => panic!("{e:?}"),
        }
    }
    // Not JSON: the byte offset points into the body; serde_json's error is the source.
    let body = br#"{"ip": "1.2.3.4", "port": 80,, }"#;
    match lease_answer(200, body).unwrap_err().into_cause() {
        Error::MalformedResponse { offset, source, .. } => {
            let at = offset.expect("offset");
            assert_eq!(&body[at..at + 1], b",", "offset {at}");
            assert_eq!(at, 29);
            let json = source.expect("a source");
            let json = json
                .downcast_ref::<serde_json::Error>()
                .expect("serde_json");
            assert!(json.is_syntax(), "{json}");
        }
        e => panic!("{e:?}"),
    }
    // A day that does not exist keeps `time`'s calendar error as the source; a missing field
    // has none.
    let bad_date = DETAILS.replace("\"02.08.2020\"", "\"30.02.2020\"");
    let err = lease_answer(200, bad_date.as_bytes()).unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    let err = err.into_cause();
    let source = std::error::Error::source(&err).expect("a source");
    assert!(
        source
            .downcast_ref::<time::error::ComponentRange>()
            .is_some(),
        "{source:?}"
    );
    let no_login = DETAILS.replace(r#""login":"Admin","#, "");
    let err = lease_answer(200, no_login.as_bytes())
        .unwrap_err()
        .into_cause();
    assert!(std::error::Error::source(&err).is_none(), "{err:?}");
    for body in [&b"<html>ok</html>"[..], b"", b"[1,2]", b"\"text\""] {
        assert_eq!(
            lease_answer(200, body).unwrap_err().code(),
            ErrorCode::MalformedResponse
        );
    }
}

#[test]
fn malformed_extend_and_recall_answers() {
    let client = Client::new(
        partner(),
        |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let body: &[u8] = if req.uri().path().ends_with("extend") {
                br#"{"end_at":"2021/08/02"}"#
            } else {
                b"0"
            };
            Ok(response(200, body))
        },
    );
    match client
        .extend(&Extend::new(term(1), "c"))
        .unwrap_err()
        .into_cause()
    {
        Error::MalformedResponse { reason, .. } => assert!(reason.contains("`end_at`"), "{reason}"),
        e => panic!("{e:?}"),
    }
    assert_eq!(
        client.recall(&Recall::new("s")).unwrap_err().code(),
        ErrorCode::MalformedResponse
    );
}

// ---------------------------------------------------------------- validation before sending

#[test]
fn invalid_input_is_never_sent() {
    let calls = Cell::new(0);
    let client = Client::new(partner(), unreachable_transport(&calls));
    let cases: Vec<(Result<(), Error>, &str)> = vec![
        (
            client.lease(&Lease::new("", term(1), "c")).map(drop),
            "rate",
        ),
        (
            client.lease(&Lease::new("r", term(1), "")).map(drop),
            "client_id",
        ),
        (
            client.extend(&Extend::new(term(3), " ")).map(drop),
            "client_id",
        ),
        (client.recall(&Recall::new("")).map(drop), "server_id"),
        (Term::try_from(2).map(drop), "term"),
        (Term::try_from(0).map(drop), "term"),
        (Term::try_from(24).map(drop), "term"),
    ];
    for (res, field) in cases {
        match res.unwrap_err() {
            Error::InvalidInput { field: f, .. } => assert_eq!(f, field),
            e => panic!("{e:?}"),
        }
    }
    let nameless = Client::new(
        Partner::new("", PartnerSecret::new("k")),
        unreachable_transport(&calls),
    );
    assert!(matches!(
        nameless.recall(&Recall::new("s")),
        Err(Error::InvalidInput {
            field: "partner_code",
            ..
        })
    ));
    let bad_url = Client::new(
        partner().with_lease_url("not a url at all"),
        unreachable_transport(&calls),
    );
    assert_eq!(
        bad_url.lease(&lease()).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    assert_eq!(calls.get(), 0, "nothing may be sent");
}

// ---------------------------------------------------------------- lifecycle

#[test]
fn lifecycle_create_ready_and_pending() {
    let calls = Cell::new(0);
    let spec = CreateSpec {
        plan: "singapore".into(),
        months: 1,
        client_id: Some("ID16773".into()),
        ..CreateSpec::default()
    };
    let client = Client::new(
        partner(),
        mock(&calls, LEASE_URL, LEASE_FORM, 200, DETAILS.as_bytes()),
    );
    assert_eq!(client.provider(), "govpsfx");
    let created = client.create(&spec).unwrap();
    assert_eq!(created.provisioning, Provisioning::Ready);
    assert_eq!(created.service.id, "SRV-77");
    assert_eq!(created.service.client_id.as_deref(), Some("ID16773"));
    assert_eq!(created.expires, Some(date!(2020 - 08 - 02)));
    let access = created.access.unwrap();
    assert_eq!(access.port, Some(8015));
    assert_eq!(access.password.unwrap().secret(), "4iJtCt7");

    let client = Client::new(
        partner(),
        mock(&calls, LEASE_URL, LEASE_FORM, 202, b"later"),
    );
    let created = client.create(&spec).unwrap();
    assert_eq!(
        created.provisioning,
        Provisioning::Pending {
            message: "later".into()
        }
    );
    assert_eq!(created.service.id, "");
    assert_eq!(created.service.client_id.as_deref(), Some("ID16773"));
    assert!(created.access.is_none());
    assert_eq!(calls.get(), 2);
}

#[test]
fn lifecycle_validation_and_unsupported() {
    let calls = Cell::new(0);
    let client = Client::new(partner(), unreachable_transport(&calls));
    let mut spec = CreateSpec {
        plan: "singapore".into(),
        months: 1,
        ..CreateSpec::default()
    };
    assert!(matches!(
        client.create(&spec),
        Err(Error::InvalidInput {
            field: "client_id",
            ..
        })
    ));
    spec.client_id = Some("c".into());
    spec.months = 2;
    assert!(matches!(
        client.create(&spec),
        Err(Error::InvalidInput { field: "term", .. })
    ));
    let no_client = ServiceRef {
        id: "SRV-77".into(),
        client_id: None,
    };
    assert!(matches!(
        client.renew(&no_client, 3),
        Err(Error::InvalidInput {
            field: "client_id",
            ..
        })
    ));
    assert!(matches!(
        client.terminate(&ServiceRef::default()),
        Err(Error::InvalidInput {
            field: "server_id",
            ..
        })
    ));
    let s = &no_client;
    let unsupported = [
        client.suspend(s).unwrap_err(),
        client.unsuspend(s).unwrap_err(),
        client.reboot(s).unwrap_err(),
        client.reinstall(s).unwrap_err(),
        client.info(s).map(drop).unwrap_err(),
        client.list().map(drop).unwrap_err(),
        client.balance().map(drop).unwrap_err(),
    ];
    let ops: Vec<&str> = unsupported
        .iter()
        .map(|e| match e {
            Error::Unsupported {
                provider: "govpsfx",
                operation,
            } => *operation,
            e => panic!("{e:?}"),
        })
        .collect();
    assert_eq!(
        ops,
        [
            "suspend",
            "unsuspend",
            "reboot",
            "reinstall",
            "info",
            "list",
            "balance"
        ]
    );
    assert_eq!(calls.get(), 0);
}

#[test]
fn lifecycle_renew_and_terminate() {
    let calls = Cell::new(0);
    let hash = md5_of("614321sdsd4223dsd");
    let form = format!("term=6&partner_code=14321&client_id=ID16773&hash={hash}");
    let client = Client::new(
        partner(),
        mock(
            &calls,
            EXTEND_URL,
            &form,
            200,
            b"{\"end_at\":\"02.02.2021\"}",
        ),
    );
    let service = ServiceRef {
        id: "SRV-77".into(),
        client_id: Some("ID16773".into()),
    };
    let renewed = client.renew(&service, 6).unwrap();
    assert_eq!(renewed.expires, Some(date!(2021 - 02 - 02)));

    let hash = md5_of("srv-7714321sdsd4223dsd");
    let form = format!("server_id=SRV-77&partner_code=14321&hash={hash}");
    let client = Client::new(partner(), mock(&calls, RECALL_URL, &form, 200, b"\"1\"\n"));
    client.terminate(&service).unwrap();
    let client = Client::new(
        partner(),
        mock(&calls, RECALL_URL, &form, 403, b"not yours"),
    );
    assert_eq!(
        client.terminate(&service).unwrap_err().code(),
        ErrorCode::Refused
    );
    assert_eq!(calls.get(), 3);
}

// ---------------------------------------------------------------- async

/// Poll a future to completion; the mock futures are ready at once, so a no-op waker suffices.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(out) = f.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("future did not complete")
}

#[test]
fn async_client_sends_the_same_bytes() {
    let calls = Cell::new(0);
    let transport = |req: HttpRequest| {
        calls.set(calls.get() + 1);
        let (url, body) = (req.uri().to_string(), req.body().clone());
        async move {
            let answer: &[u8] = match url.as_str() {
                LEASE_URL => {
                    assert_eq!(body, LEASE_FORM.as_bytes());
                    b"queued"
                }
                EXTEND_URL => br#"{"end_at":"01.01.2030"}"#,
                RECALL_URL => b"true",
                other => panic!("{other}"),
            };
            let status = if url == LEASE_URL { 202 } else { 200 };
            Ok::<_, TransportError>(response(status, answer))
        }
    };
    let client = Client::new(partner(), transport);
    assert_eq!(
        block_on(client.lease_async(&lease())).unwrap(),
        LeaseOutcome::Pending {
            message: "queued".into()
        }
    );
    assert_eq!(
        block_on(client.extend_async(&Extend::new(term(9), "c")))
            .unwrap()
            .end_at,
        date!(2030 - 01 - 01)
    );
    assert_eq!(
        block_on(client.recall_async(&Recall::new("s"))).unwrap(),
        Recalled
    );
    let err = block_on(client.recall_async(&Recall::new(""))).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(calls.get(), 3);
}

// ---------------------------------------------------------------- callbacks

fn limits() -> CallbackLimits {
    CallbackLimits::default()
}

fn callback_hash(rate: &str, term: Option<&str>, server_id: &str, code: &str) -> String {
    signature(
        &SignedFields {
            rate: Some(rate),
            term,
            server_id: Some(server_id),
            partner_code: Some(code),
        },
        &PartnerSecret::new(SECRET),
    )
}

#[test]
fn callback_form_and_json_verify() {
    let p = partner();
    let form = callback_form(&p, &expected_details());
    let hash = md5_of("singaporesrv-7714321sdsd4223dsd");
    assert_eq!(
        std::str::from_utf8(&form).unwrap(),
        format!(
            "ip=203.0.113.7&port=8015&login=Admin&password=4iJtCt7&created_at=01.07.2020\
             &end_at=02.08.2020&rate=singapore&client_id=ID16773&server_id=SRV-77\
             &partner_code=14321&hash={hash}"
        )
    );
    let ct = Some("application/x-www-form-urlencoded; charset=UTF-8");
    assert_eq!(
        verify_callback(&p, ct, &form, &limits()).unwrap(),
        expected_details()
    );
    let json = callback_json(&p, &expected_details());
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["port"], 8015);
    assert_eq!(v["hash"], hash.as_str());
    assert_eq!(
        verify_callback(&p, Some("application/json"), &json, &limits()).unwrap(),
        expected_details()
    );
    // No content type: sniffed.
    assert_eq!(
        verify_callback(&p, None, &json, &limits()).unwrap(),
        expected_details()
    );
    assert_eq!(
        verify_callback(&p, None, &form, &limits()).unwrap(),
        expected_details()
    );
}

#[test]
fn callback_with_term_and_string_port_and_without_partner_code() {
    let p = partner();
    // Carries term: it is signed between rate and server_id.
    let hash = callback_hash("singapore", Some("3"), "SRV-77", "14321");
    assert_eq!(hash, md5_of("singapore3srv-7714321sdsd4223dsd"));
    let body = format!(
        r#"{{"ip":"203.0.113.7","port":"8015","login":"Admin","password":"4iJtCt7","created_at":"01.07.2020","end_at":"02.08.2020","rate":"singapore","client_id":"ID16773","server_id":"SRV-77","term":3,"partner_code":"14321","hash":"{hash}"}}"#
    );
    assert_eq!(
        verify_callback(&p, None, body.as_bytes(), &limits()).unwrap(),
        expected_details()
    );
    // Without partner_code, the hash covers rate + server_id only.
    let hash = md5_of("singaporesrv-77sdsd4223dsd");
    let body = format!(
        "ip=203.0.113.7&port=8015&login=Admin&password=4iJtCt7&created_at=01.07.2020\
         &end_at=02.08.2020&rate=singapore&client_id=ID16773&server_id=SRV-77&hash={hash}"
    );
    assert_eq!(
        verify_callback(&p, None, body.as_bytes(), &limits()).unwrap(),
        expected_details()
    );
}

#[test]
fn callback_upper_case_hash_is_accepted() {
    let p = partner();
    let hash = md5_of("singaporesrv-7714321sdsd4223dsd");
    let form = String::from_utf8(callback_form(&p, &expected_details())).unwrap();
    let upper = form.replace(&hash, &hash.to_ascii_uppercase());
    assert_ne!(upper, form);
    assert_eq!(
        verify_callback(&p, None, upper.as_bytes(), &limits()).unwrap(),
        expected_details()
    );
}

#[test]
fn callback_bad_and_missing_hash() {
    let p = partner();
    let form = String::from_utf8(callback_form(&p, &expected_details())).unwrap();
    let hash = md5_of("singaporesrv-7714321sdsd4223dsd");

    let tampered = form.replace("rate=singapore", "rate=france");
    assert!(matches!(
        verify_callback(&p, None, tampered.as_bytes(), &limits()),
        Err(Error::BadSignature(SignatureProblem::Mismatch))
    ));
    let other_secret = Partner::new("14321", PartnerSecret::new("another"));
    assert!(matches!(
        verify_callback(&other_secret, None, form.as_bytes(), &limits()),
        Err(Error::BadSignature(SignatureProblem::Mismatch))
    ));
    let short = form.replace(&hash, &hash[..31]);
    assert!(matches!(
        verify_callback(&p, None, short.as_bytes(), &limits()),
        Err(Error::BadSignature(SignatureProblem::Mismatch))
    ));
    let missing = form.replace(&format!("&hash={hash}"), "");
    let err = verify_callback(&p, None, missing.as_bytes(), &limits()).unwrap_err();
    assert!(matches!(
        err,
        Error::BadSignature(SignatureProblem::Missing)
    ));
    assert_eq!(err.code(), ErrorCode::BadSignature);
    let json = br#"{"rate":"singapore","server_id":"SRV-77","hash":null}"#;
    assert!(matches!(
        verify_callback(&p, None, json, &limits()),
        Err(Error::BadSignature(SignatureProblem::Missing))
    ));
}

#[test]
fn callback_oversize_is_refused_before_parsing() {
    let p = partner();
    let form = callback_form(&p, &expected_details());
    let small = CallbackLimits {
        max_body: form.len() - 1,
    };
    assert!(matches!(
        verify_callback(&p, None, &form, &small),
        Err(Error::PayloadTooLarge { size, limit }) if size == form.len() && limit == form.len() - 1
    ));
    // Garbage over the default limit: size is checked first, so no parse error.
    let junk = vec![b'{'; 64 * 1024 + 1];
    assert_eq!(
        verify_callback(&p, None, &junk, &limits())
            .unwrap_err()
            .code(),
        ErrorCode::PayloadTooLarge
    );
    let exact = CallbackLimits {
        max_body: form.len(),
    };
    assert!(verify_callback(&p, None, &form, &exact).is_ok());
}

/// A correctly signed delivery whose unsigned fields are replaced.
fn signed_form_with(replace: &str, with: &str) -> String {
    let form = String::from_utf8(callback_form(&partner(), &expected_details())).unwrap();
    assert!(form.contains(replace), "{replace}");
    form.replace(replace, with)
}

#[test]
fn callback_malformed_fields_are_named() {
    let p = partner();
    let cases = [
        ("port=8015", "port=80x", "port"),
        ("port=8015", "port=99999", "port"),
        ("end_at=02.08.2020", "end_at=2020-08-02", "end_at"),
        (
            "created_at=01.07.2020",
            "created_at=32.01.2020",
            "created_at",
        ),
        ("&login=Admin", "", "login"),
    ];
    for (from, to, field) in cases {
        let body = signed_form_with(from, to);
        match verify_callback(&p, None, body.as_bytes(), &limits()).unwrap_err() {
            Error::MalformedCallback {
                field: f, reason, ..
            } => {
                assert_eq!(f, field, "{reason}");
                assert!(!reason.contains("4iJtCt7"));
            }
            e => panic!("{e:?}"),
        }
    }
    // A signed but impossible term.
    let hash = callback_hash("singapore", Some("2"), "SRV-77", "14321");
    let form = String::from_utf8(callback_form(&p, &expected_details())).unwrap();
    let (unsigned, _) = form.rsplit_once("&hash=").unwrap();
    let body = format!("{unsigned}&term=2&hash={hash}");
    match verify_callback(&p, None, body.as_bytes(), &limits()).unwrap_err() {
        Error::MalformedCallback { field, .. } => assert_eq!(field, "term"),
        e => panic!("{e:?}"),
    }
    // Broken JSON: the byte offset is reported, serde_json's error kept as the source.
    match verify_callback(&p, Some("application/json"), br#"{"ip": }"#, &limits()).unwrap_err() {
        Error::MalformedCallback {
            field,
            reason,
            source,
        } => {
            assert_eq!(field, "body");
            assert!(reason.contains("byte 7"), "{reason}");
            let json = source.expect("a source");
            assert!(
                json.downcast_ref::<serde_json::Error>().is_some(),
                "{json:?}"
            );
        }
        e => panic!("{e:?}"),
    }
    // A day that does not exist keeps `time`'s calendar error as the source.
    let body = signed_form_with("end_at=02.08.2020", "end_at=31.02.2020");
    let err = verify_callback(&p, None, body.as_bytes(), &limits()).unwrap_err();
    let source = std::error::Error::source(&err).expect("a source");
    assert!(
        source
            .downcast_ref::<time::error::ComponentRange>()
            .is_some(),
        "{source:?}"
    );
    for (ct, body) in [
        (Some("application/json"), &b"[1]"[..]),
        (Some("multipart/form-data; boundary=x"), b"--x"),
        (None, b"rate=%FF%FE\xff"),
    ] {
        assert_eq!(
            verify_callback(&p, ct, body, &limits()).unwrap_err().code(),
            ErrorCode::MalformedCallback
        );
    }
}

#[test]
fn callback_for_another_partner_is_refused() {
    let theirs = Partner::new("99999", PartnerSecret::new(SECRET));
    let body = callback_form(&theirs, &expected_details());
    match verify_callback(&partner(), None, &body, &limits()).unwrap_err() {
        Error::MalformedCallback { field, reason, .. } => {
            assert_eq!(field, "partner_code");
            assert!(reason.contains("99999"));
        }
        e => panic!("{e:?}"),
    }
}

// ---------------------------------------------------------------- secrets

#[test]
fn secrets_never_in_debug_or_errors() {
    let p = Partner::new("14321", PartnerSecret::new("TOPSECRET-md5"));
    let client = Client::new(
        p.clone(),
        |_req: HttpRequest| -> Result<HttpResponse, TransportError> {
            Ok(response(200, DETAILS.replace("8015", "\"bad\"").as_bytes()))
        },
    );
    let texts = [
        format!("{p:?}"),
        format!("{client:?}"),
        format!("{:?}", expected_details()),
        format!("{:?}", LeaseOutcome::Delivered(expected_details())),
    ];
    for t in &texts {
        assert!(!t.contains("TOPSECRET"), "{t}");
        assert!(!t.contains("4iJtCt7"), "{t}");
    }
    assert!(texts[1].contains("14321"));
    let err = client.lease(&lease()).unwrap_err();
    let shown = format!("{err:?} {err}");
    assert!(
        !shown.contains("4iJtCt7") && !shown.contains("TOPSECRET"),
        "{shown}"
    );
    // The raw body is still there for whoever needs it.
    assert!(err.raw_body().unwrap().windows(7).any(|w| w == b"4iJtCt7"));

    let mut form = callback_form(&p, &expected_details());
    form.extend_from_slice(b"&password=again");
    let err = verify_callback(&p, None, &form, &limits()).unwrap_err();
    let shown = format!("{err:?} {err}");
    assert!(
        !shown.contains("4iJtCt7") && !shown.contains("TOPSECRET"),
        "{shown}"
    );
}
