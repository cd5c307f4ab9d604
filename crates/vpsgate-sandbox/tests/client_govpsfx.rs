//! The typed GoVPSFX client against the sandbox over real loopback HTTP: immediate and deferred
//! leases, signed deliveries and their retries, extend, recall, every error status, faults.

mod common;

use common::add_months;

use std::cell::Cell;
use std::time::Duration;

use time::{Date, Month};
use vpsgate::govpsfx::{
    self as gv, CallbackLimits, Client, Extend, Lease, LeaseOutcome, Partner, Recall, Term,
};
use vpsgate::native::NativeTransport;
use vpsgate::{
    Error, ErrorCode, HttpRequest, HttpResponse, PartnerSecret, SignatureProblem, Transport,
    TransportError,
};
use vpsgate_sandbox::{
    CallbackReceiver, FaultConfig, ReceivedPost, RunningSandbox, Sandbox, SandboxConfig,
};

const CODE: &str = "14321";
const SECRET: &str = "sdsd4223dsd";
const ACCEPTED: &str = "order created, access to the server will be provided during the day";

fn today() -> Date {
    Date::from_calendar_date(2026, Month::January, 31).unwrap()
}

fn start() -> RunningSandbox {
    // The 31st, so month arithmetic has to clamp.
    let mut c = SandboxConfig {
        today: Some("2026-01-31".into()),
        ..SandboxConfig::default()
    };
    c.govpsfx.delivery_delay_ms = 20;
    c.govpsfx.retry_backoff_ms = 40;
    Sandbox::start(c).expect("sandbox starts")
}

fn partner(sb: &RunningSandbox) -> Partner {
    Partner::new(CODE, PartnerSecret::new(SECRET)).with_base_url(&sb.base_url())
}

fn client(sb: &RunningSandbox) -> Client<NativeTransport> {
    Client::new(
        partner(sb),
        NativeTransport::new().timeout(Duration::from_secs(10)),
    )
}

fn term(n: u32) -> Term {
    Term::try_from(n).unwrap()
}

fn delivered(outcome: LeaseOutcome) -> gv::ServerDetails {
    match outcome {
        LeaseOutcome::Delivered(d) => d,
        LeaseOutcome::Pending { message } => panic!("expected 200, got 202 {message:?}"),
    }
}

#[track_caller]
fn assert_status<T: std::fmt::Debug>(r: Result<T, Error>, status: i64, needle: &str) -> Error {
    let e = r.expect_err("expected an error status");
    let (code, message) = match e.cause() {
        Error::InvalidParameters { message, .. } => (ErrorCode::InvalidParameters, message),
        Error::Refused { message, .. } => (ErrorCode::Refused, message),
        Error::ProviderError { message, .. } => (ErrorCode::ProviderError, message),
        other => panic!("expected HTTP {status}, got {other:?}"),
    };
    assert_eq!(e.code(), code);
    assert_eq!(e.upstream_code(), Some(status), "{e}");
    assert!(message.contains(needle), "{message:?} lacks {needle:?}");
    assert_eq!(
        e.raw_body()
            .map(|b| String::from_utf8_lossy(b).into_owned()),
        Some(message.clone()),
        "raw body kept"
    );
    e
}

#[test]
fn immediate_lease_is_typed_server_details() {
    let sb = start();
    let gv = client(&sb);
    let d = delivered(gv.lease(&Lease::new("singapore", term(3), "C-1")).unwrap());
    assert_eq!(d.server_id, "ID20001");
    assert_eq!(d.rate, "singapore");
    assert_eq!(d.client_id, "C-1");
    assert_eq!(d.created_at, today());
    assert_eq!(
        d.end_at,
        Date::from_calendar_date(2026, Month::April, 30).unwrap()
    );
    assert!((8000..9000).contains(&d.port), "port {}", d.port);
    assert!(d.ip.starts_with("203.0.113."), "{}", d.ip);
    assert_eq!(d.login, "Admin");
    assert_eq!(d.password.secret().len(), 7);
    assert!(!format!("{d:?}").contains(d.password.secret()));
    // Each lease is its own server; a 1-month term from 31 January ends on 28 February.
    let e = delivered(
        gv.lease(&Lease::new("france_classic", term(1), "C-2"))
            .unwrap(),
    );
    assert_eq!(e.server_id, "ID20002");
    assert_eq!(e.end_at, add_months(today(), 1));
    assert_eq!(
        e.end_at,
        Date::from_calendar_date(2026, Month::February, 28).unwrap()
    );
    assert!(
        sb.delivery_attempts().is_empty(),
        "immediate leases POST nothing"
    );
}

fn verify(partner: &Partner, post: &ReceivedPost) -> Result<gv::ServerDetails, Error> {
    let ct = (!post.content_type.is_empty()).then_some(post.content_type.as_str());
    gv::verify_callback(
        partner,
        ct,
        post.body.as_bytes(),
        &CallbackLimits::default(),
    )
}

/// The sandbox records an attempt after the handler answered; wait for `n` records to land.
fn attempts_at_least(sb: &RunningSandbox, n: usize) -> Vec<vpsgate_sandbox::DeliveryAttempt> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let a = sb.delivery_attempts();
        if a.len() >= n || std::time::Instant::now() > deadline {
            return a;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn deferred_lease_is_202_then_a_signed_post_of_the_same_server() {
    let sb = start();
    let gv = client(&sb);
    let handler = CallbackReceiver::start().unwrap();
    sb.set_handler(CODE, &handler.url()).unwrap();
    match gv
        .lease(&Lease::new("france_mini", term(6), "C-7"))
        .unwrap()
    {
        LeaseOutcome::Pending { message } => assert_eq!(message, ACCEPTED),
        LeaseOutcome::Delivered(d) => panic!("france_mini is deferred, got {d:?}"),
    }
    let posts = handler.wait_for(1, Duration::from_secs(10));
    assert_eq!(posts.len(), 1, "one delivery");
    let post = &posts[0];
    assert_eq!(post.answered, 200);
    let d = verify(&partner(&sb), post).expect("signature verifies");
    assert_eq!(d.rate, "france_mini");
    assert_eq!(d.client_id, "C-7");
    assert_eq!(d.server_id, "ID20001");
    assert_eq!(d.created_at, today());
    assert_eq!(d.end_at, add_months(today(), 6));
    // The signature is checked against our secret, not just present.
    let other = Partner::new(CODE, PartnerSecret::new("another-secret"));
    match verify(&other, post) {
        Err(Error::BadSignature(SignatureProblem::Mismatch)) => {}
        other => panic!("wrong secret accepted: {other:?}"),
    }
    let attempts = attempts_at_least(&sb, 1);
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(attempts[0].server_id, d.server_id);
    assert_eq!(attempts[0].attempt, 1);
    assert_eq!(attempts[0].status, Some(200));
    assert!(attempts[0].delivered);
    assert_eq!(attempts[0].url.as_deref(), Some(handler.url().as_str()));

    // Later operations see the same server: extend moves its end date, recall ends it.
    let x = gv.extend(&Extend::new(term(3), "C-7")).unwrap();
    assert_eq!(x.end_at, add_months(d.end_at, 3));
    gv.recall(&Recall::new(d.server_id.clone())).unwrap();
    assert_status(
        gv.recall(&Recall::new(d.server_id)),
        403,
        "already recalled",
    );
}

#[test]
fn failing_handler_is_retried_until_it_accepts() {
    let sb = start();
    let gv = client(&sb);
    let handler = CallbackReceiver::start_failing(2).unwrap();
    sb.set_handler(CODE, &handler.url()).unwrap();
    let outcome = gv
        .lease(&Lease::new("france_mini", term(1), "C-9"))
        .unwrap();
    assert!(
        matches!(outcome, LeaseOutcome::Pending { .. }),
        "{outcome:?}"
    );
    let posts = handler.wait_for(3, Duration::from_secs(10));
    let answered: Vec<u16> = posts.iter().map(|p| p.answered).collect();
    assert_eq!(answered, [500, 500, 200]);
    // Every attempt carries the same signed details.
    let details: Vec<_> = posts
        .iter()
        .map(|p| verify(&partner(&sb), p).expect("signed"))
        .collect();
    assert!(details.iter().all(|d| d == &details[0]));
    assert_eq!(details[0].client_id, "C-9");
    let attempts = attempts_at_least(&sb, 3);
    let summary: Vec<_> = attempts
        .iter()
        .map(|a| (a.attempt, a.status, a.delivered))
        .collect();
    assert_eq!(
        summary,
        [
            (1, Some(500), false),
            (2, Some(500), false),
            (3, Some(200), true)
        ]
    );
    assert!(attempts.iter().all(|a| a.server_id == details[0].server_id));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        handler.received().len(),
        3,
        "no POST after the accepted one"
    );
}

#[test]
fn extend_moves_end_at_by_the_term_from_the_previous_end() {
    let sb = start();
    let gv = client(&sb);
    let d = delivered(gv.lease(&Lease::new("singapore", term(1), "C-3")).unwrap());
    assert_eq!(
        d.end_at,
        Date::from_calendar_date(2026, Month::February, 28).unwrap()
    );
    let a = gv.extend(&Extend::new(term(3), "C-3")).unwrap();
    assert_eq!(a.end_at, add_months(d.end_at, 3));
    assert_eq!(
        a.end_at,
        Date::from_calendar_date(2026, Month::May, 28).unwrap(),
        "from the previous end (28 Feb), not from the lease day (31 Jan)"
    );
    let b = gv.extend(&Extend::new(term(12), "C-3")).unwrap();
    assert_eq!(b.end_at, add_months(a.end_at, 12));
    // Another client's server is untouched by it.
    let other = delivered(gv.lease(&Lease::new("singapore", term(9), "C-4")).unwrap());
    let c = gv.extend(&Extend::new(term(6), "C-4")).unwrap();
    assert_eq!(c.end_at, add_months(other.end_at, 6));
    let again = gv.extend(&Extend::new(term(1), "C-3")).unwrap();
    assert_eq!(again.end_at, add_months(b.end_at, 1));
}

#[test]
fn recall_then_extend_and_recall_fail_typed() {
    let sb = start();
    let gv = client(&sb);
    let d = delivered(gv.lease(&Lease::new("singapore", term(1), "C-5")).unwrap());
    let r = gv.recall(&Recall::new(d.server_id.clone()));
    assert!(matches!(r, Ok(gv::Recalled)), "{r:?}");
    assert_status(
        gv.recall(&Recall::new(d.server_id.clone())),
        403,
        &format!("server {} is already recalled", d.server_id),
    );
    assert_status(
        gv.extend(&Extend::new(term(1), "C-5")),
        400,
        "no active server for client_id \"C-5\"",
    );
    assert_status(
        gv.recall(&Recall::new("ID99999")),
        400,
        "unknown server_id \"ID99999\"",
    );
}

#[test]
fn bad_secret_or_partner_is_refused_403() {
    let sb = start();
    let good = client(&sb);
    let d = delivered(
        good.lease(&Lease::new("singapore", term(1), "C-6"))
            .unwrap(),
    );
    let bad = Client::new(
        Partner::new(CODE, PartnerSecret::new("wrong")).with_base_url(&sb.base_url()),
        NativeTransport::new(),
    );
    assert_status(
        bad.lease(&Lease::new("singapore", term(1), "C-6")),
        403,
        "invalid md5 hash",
    );
    assert_status(
        bad.extend(&Extend::new(term(1), "C-6")),
        403,
        "invalid md5 hash",
    );
    assert_status(
        bad.recall(&Recall::new(d.server_id.clone())),
        403,
        "invalid md5 hash",
    );
    let stranger = Client::new(
        Partner::new("99999", PartnerSecret::new(SECRET)).with_base_url(&sb.base_url()),
        NativeTransport::new(),
    );
    assert_status(
        stranger.lease(&Lease::new("singapore", term(1), "C-6")),
        403,
        "unknown partner_code \"99999\"",
    );
    // The refused calls changed nothing: the server still runs until its first end date.
    let x = good.extend(&Extend::new(term(1), "C-6")).unwrap();
    assert_eq!(x.end_at, add_months(d.end_at, 1));
}

#[test]
fn bad_parameters_are_invalid_parameters_400() {
    let sb = start();
    let gv = client(&sb);
    assert_status(
        gv.lease(&Lease::new("mars_base", term(1), "C-8")),
        400,
        "unknown rate \"mars_base\" for partner 14321",
    );
    assert_status(
        gv.extend(&Extend::new(term(1), "nobody")),
        400,
        "no active server for client_id \"nobody\"",
    );
    // A rejected lease leased nothing: the next server still gets the first id.
    let d = delivered(gv.lease(&Lease::new("singapore", term(1), "C-8")).unwrap());
    assert_eq!(d.server_id, "ID20001");
}

/// Counts what the library hands to the transport.
struct Counting {
    inner: NativeTransport,
    sent: Cell<u32>,
}

impl Transport for Counting {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.set(self.sent.get() + 1);
        self.inner.send(request)
    }
}

fn counting(sb: &RunningSandbox) -> Client<Counting> {
    Client::new(
        partner(sb),
        Counting {
            inner: NativeTransport::new(),
            sent: Cell::new(0),
        },
    )
}

#[test]
fn terms_and_empty_fields_are_refused_before_sending() {
    for bad in [0, 2, 4, 5, 7, 8, 10, 11, 13, 24] {
        match Term::try_from(bad) {
            Err(Error::InvalidInput { field: "term", .. }) => {}
            other => panic!("term {bad}: {other:?}"),
        }
    }
    assert!("7".parse::<Term>().is_err());
    assert!("three".parse::<Term>().is_err());
    let ok: Vec<u32> = Term::ALLOWED
        .iter()
        .map(|m| Term::try_from(*m).unwrap().months())
        .collect();
    assert_eq!(ok, [1, 3, 6, 9, 12]);
    assert_eq!(" 9 ".parse::<Term>().unwrap(), term(9));

    let sb = start();
    let gv = counting(&sb);
    for (r, field) in [
        (gv.lease(&Lease::new("", term(1), "C")).map(drop), "rate"),
        (
            gv.lease(&Lease::new("singapore", term(1), " ")).map(drop),
            "client_id",
        ),
        (gv.extend(&Extend::new(term(1), "")).map(drop), "client_id"),
        (gv.recall(&Recall::new("")).map(drop), "server_id"),
    ] {
        match r {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert_eq!(gv.transport().sent.get(), 0, "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// Faults between the client and the API.

#[test]
fn fault_500_is_provider_error() {
    let sb = start();
    sb.set_faults(FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    })
    .unwrap();
    let gv = client(&sb);
    let e = assert_status(
        gv.lease(&Lease::new("singapore", term(1), "C")),
        500,
        "Internal Server Error",
    );
    assert!(matches!(e.cause(), Error::ProviderError { .. }));
    assert!(e.outcome_unknown(), "a 500 after a lease may hide a lease");
    assert!(assert_status(gv.extend(&Extend::new(term(1), "C")), 500, "").outcome_unknown());
    // A recall moves no money: a 500 is just a provider error.
    assert!(!assert_status(gv.recall(&Recall::new("ID20001")), 500, "").outcome_unknown());
}

#[test]
fn fault_html_page_is_malformed_with_the_raw_body_kept() {
    let sb = start();
    sb.set_faults(FaultConfig {
        html_rate: 1.0,
        ..FaultConfig::default()
    })
    .unwrap();
    let gv = client(&sb);
    for e in [
        gv.lease(&Lease::new("singapore", term(1), "C"))
            .unwrap_err(),
        gv.extend(&Extend::new(term(1), "C")).unwrap_err(),
        gv.recall(&Recall::new("ID20001")).unwrap_err(),
    ] {
        assert!(
            matches!(e.cause(), Error::MalformedResponse { .. }),
            "{e:?}"
        );
        assert_eq!(e.code(), ErrorCode::MalformedResponse);
        let body = String::from_utf8_lossy(e.raw_body().unwrap()).into_owned();
        assert!(
            body.starts_with("<!DOCTYPE html>") && body.contains("Fatal error"),
            "{body}"
        );
    }
}

#[test]
fn fault_drop_and_latency_are_transport_errors() {
    let sb = start();
    sb.set_faults(FaultConfig {
        drop_rate: 1.0,
        ..FaultConfig::default()
    })
    .unwrap();
    let e = client(&sb)
        .lease(&Lease::new("singapore", term(1), "C"))
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    assert!(matches!(e.cause(), Error::Transport(_)), "{e:?}");
    assert_eq!(e.upstream_code(), None);

    sb.set_faults(FaultConfig {
        latency_ms: 600,
        ..FaultConfig::default()
    })
    .unwrap();
    let impatient = Client::new(
        partner(&sb),
        NativeTransport::new().timeout(Duration::from_millis(150)),
    );
    let e = impatient.extend(&Extend::new(term(1), "C")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout, "{e:?}");
    assert!(
        e.outcome_unknown(),
        "a timed-out extend may have happened: {e:?}"
    );
    assert!(matches!(e.cause(), Error::Transport(_)));
}

/// A fault seed whose first draw drops the connection and whose second does not.
fn drop_then_pass_seed(rate: f64) -> u64 {
    (0..10_000u64)
        .find(|s| {
            let mut r = fastrand::Rng::with_seed(*s);
            r.f64() < rate && r.f64() >= rate
        })
        .expect("a seed exists")
}

#[test]
fn a_dropped_lease_or_extend_is_not_sent_again() {
    let sb = start();
    let gv = client(&sb);
    let d = delivered(gv.lease(&Lease::new("singapore", term(1), "C-1")).unwrap());
    for step in ["lease", "extend"] {
        sb.set_faults(FaultConfig {
            seed: Some(drop_then_pass_seed(0.5)),
            drop_rate: 0.5,
            ..FaultConfig::default()
        })
        .unwrap();
        let c = counting(&sb);
        let r = match step {
            "lease" => c.lease(&Lease::new("singapore", term(1), "C-2")).map(drop),
            _ => c.extend(&Extend::new(term(12), "C-1")).map(drop),
        };
        let e = r.expect_err(step);
        assert!(e.outcome_unknown(), "{step}: {e:?}");
        assert!(matches!(e.cause(), Error::Transport(_)), "{step}: {e:?}");
        assert_eq!(c.transport().sent.get(), 1, "{step}: one request");
        sb.set_faults(FaultConfig::default()).unwrap();
    }
    // Had either been re-sent, the second draw would have let it through: C-2 would own a
    // server and C-1's end date would be 12 months later.
    assert_status(
        gv.extend(&Extend::new(term(1), "C-2")),
        400,
        "no active server",
    );
    let x = gv.extend(&Extend::new(term(1), "C-1")).unwrap();
    assert_eq!(x.end_at, add_months(d.end_at, 1));
    let next = delivered(gv.lease(&Lease::new("singapore", term(1), "C-3")).unwrap());
    assert_eq!(next.server_id, "ID20002", "no server was leased in between");
}
