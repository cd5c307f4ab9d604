//! The provider-neutral lifecycle over both clients, driven by one panel function that only
//! knows `&dyn Lifecycle`, against the sandbox over real loopback HTTP.

mod common;

use common::add_months;

use std::time::Duration;

use rust_decimal::{Decimal, RoundingStrategy};
use time::{Date, Month};
use vpsgate::friendhosting::{self as fh, Credentials, Gateway, Vid};
use vpsgate::govpsfx::{self as gv, Partner};
use vpsgate::lifecycle::{
    Balance, CreateSpec, Created, Done, Lifecycle, Provisioning, Renewed, ServiceInfo, ServiceRef,
    ServiceState,
};
use vpsgate::native::NativeTransport;
use vpsgate::{ApiKey, Error, ErrorCode, PartnerSecret};
use vpsgate_sandbox::{AccountConfig, CallbackReceiver, RunningSandbox, Sandbox, SandboxConfig};

fn today() -> Date {
    Date::from_calendar_date(2026, Month::March, 31).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn start(balance: &str) -> RunningSandbox {
    let mut c = SandboxConfig {
        today: Some("2026-03-31".into()),
        ..SandboxConfig::default()
    };
    c.govpsfx.delivery_delay_ms = 20;
    c.friendhosting.accounts.push(AccountConfig {
        login: "panel".into(),
        apikey: Some("panel-key".into()),
        balance: dec(balance),
        ..AccountConfig::default()
    });
    Sandbox::start(c).expect("sandbox starts")
}

fn friendhosting(sb: &RunningSandbox) -> fh::Client<NativeTransport> {
    fh::Client::new(
        Gateway::new(Credentials::with_api_key("panel", ApiKey::new("panel-key")))
            .with_url(sb.gateway_url()),
        NativeTransport::new().timeout(Duration::from_secs(10)),
    )
}

fn govpsfx(sb: &RunningSandbox) -> gv::Client<NativeTransport> {
    gv::Client::new(
        Partner::new("14321", PartnerSecret::new("sdsd4223dsd")).with_base_url(&sb.base_url()),
        NativeTransport::new().timeout(Duration::from_secs(10)),
    )
}

/// Everything a billing panel did with one provider, knowing only the trait.
struct PanelRun {
    created: Created,
    info_before: Result<ServiceInfo, Error>,
    renewed: Renewed,
    info_after: Result<ServiceInfo, Error>,
    list: Result<Vec<ServiceInfo>, Error>,
    balance: Result<Balance, Error>,
    terminated: Result<Done, Error>,
}

/// The panel module: create, look, renew, look again, list, balance, terminate.
fn panel(lc: &dyn Lifecycle, spec: &CreateSpec, renew_months: u32) -> PanelRun {
    let created = lc.create(spec).expect("create");
    let info_before = lc.info(&created.service);
    let renewed = lc.renew(&created.service, renew_months).expect("renew");
    let info_after = lc.info(&created.service);
    let list = lc.list();
    let balance = lc.balance();
    let terminated = lc.terminate(&created.service);
    PanelRun {
        created,
        info_before,
        renewed,
        info_after,
        list,
        balance,
        terminated,
    }
}

#[track_caller]
fn assert_unsupported<T: std::fmt::Debug>(
    r: Result<T, Error>,
    provider: &'static str,
    operation: &'static str,
) {
    let e = r.expect_err("unsupported");
    assert!(
        matches!(&e, Error::Unsupported { provider: p, operation: o } if *p == provider && *o == operation),
        "{e:?}"
    );
    assert_eq!(e.code(), ErrorCode::Unsupported);
    assert_eq!(e.upstream_code(), None);
    assert_eq!(
        e.to_string(),
        format!("{provider} does not support {operation}")
    );
}

fn vds_spec(months: u32) -> CreateSpec {
    CreateSpec {
        plan: "201".into(),
        months,
        kind: Some("vds".into()),
        addons: vec!["12".into()],
        ..CreateSpec::default()
    }
}

fn gv_spec(rate: &str, months: u32, client: &str) -> CreateSpec {
    CreateSpec {
        plan: rate.into(),
        months,
        client_id: Some(client.into()),
        ..CreateSpec::default()
    }
}

#[test]
fn the_same_panel_runs_on_both_providers() {
    let sb = start("100.00");
    let fh = friendhosting(&sb);
    let gv = govpsfx(&sb);

    // Expected Friendhosting prices from the tariff answer itself.
    let tarifs = fh.get_tarifs(Some(Vid::Vds)).unwrap().data.tarifs;
    let t = tarifs
        .iter()
        .find(|t| t.id.as_deref() == Some("201"))
        .unwrap();
    let price = |months: i64, renew: bool| {
        let p = t.months.iter().find(|p| p.months == Some(months)).unwrap();
        let m = Decimal::from(months);
        let addon = t
            .addons
            .iter()
            .find(|a| a.id.as_deref() == Some("12"))
            .unwrap();
        let mut c = t.cost_monthly.unwrap() * m * (Decimal::ONE - p.discount.unwrap())
            + addon.cost_monthly.unwrap() * m;
        if !renew {
            c += t.cost_setup.unwrap() + addon.cost_setup.unwrap();
        }
        c.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    };

    let providers: [(&dyn Lifecycle, CreateSpec, u32); 2] = [
        (&fh, vds_spec(6), 3),
        (&gv, gv_spec("singapore", 6, "CL-1"), 3),
    ];
    let runs: Vec<PanelRun> = providers
        .iter()
        .map(|(lc, spec, months)| panel(*lc, spec, *months))
        .collect();
    assert_eq!(fh.provider(), "friendhosting");
    assert_eq!(Lifecycle::provider(&gv), "govpsfx");

    // Friendhosting: create -> info -> renew -> list -> balance; no terminate.
    let f = &runs[0];
    let (create_cost, renew_cost) = (price(6, false), price(3, true));
    assert_eq!(f.created.service.id, "100001");
    assert_eq!(f.created.service.client_id, None);
    assert_eq!(f.created.provisioning, Provisioning::Ready);
    assert_eq!(f.created.warning, None);
    assert_eq!(f.created.cost, Some(create_cost));
    let access = f.created.access.as_ref().expect("server access");
    assert_eq!(access.login.as_deref(), Some("root"));
    assert_eq!(access.password.as_ref().map(|p| p.secret().len()), Some(12));
    let before = f.info_before.as_ref().expect("info");
    assert_eq!(before.service.id, "100001");
    assert_eq!(before.plan, "VDS-1");
    assert_eq!(before.state, ServiceState::Active);
    assert_eq!(before.expires, Some(add_months(today(), 6)));
    assert_eq!(f.renewed.cost, Some(renew_cost));
    assert_eq!(f.renewed.warning, None);
    let after = f.info_after.as_ref().expect("info");
    assert_eq!(
        after.expires,
        Some(add_months(add_months(today(), 6), 3)),
        "renewal moved the paid-until date"
    );
    assert_eq!(f.list.as_ref().expect("list"), &vec![after.clone()]);
    let b = f.balance.as_ref().expect("balance");
    assert_eq!(b.amount, dec("100.00") - create_cost - renew_cost);
    assert_eq!(b.currency, "USD");
    assert_unsupported(
        f.terminated.as_ref().map_err(clone_unsupported).cloned(),
        "friendhosting",
        "terminate",
    );

    // GoVPSFX: create -> renew -> terminate; no info, list or balance.
    let g = &runs[1];
    assert_eq!(g.created.service.id, "ID20001");
    assert_eq!(g.created.service.client_id.as_deref(), Some("CL-1"));
    assert_eq!(g.created.provisioning, Provisioning::Ready);
    let created_end = add_months(today(), 6);
    assert_eq!(g.created.expires, Some(created_end));
    let access = g.created.access.as_ref().expect("server access");
    assert!(access.ip.as_deref().unwrap().starts_with("203.0.113."));
    assert!((8000..9000).contains(&access.port.unwrap()));
    assert_eq!(access.login.as_deref(), Some("Admin"));
    assert_eq!(
        g.renewed.expires,
        Some(add_months(created_end, 3)),
        "extended from the previous end"
    );
    assert!(g.terminated.is_ok(), "{:?}", g.terminated);
    assert_unsupported(
        g.info_before.as_ref().map_err(clone_unsupported).cloned(),
        "govpsfx",
        "info",
    );
    assert_unsupported(
        g.list.as_ref().map_err(clone_unsupported).cloned(),
        "govpsfx",
        "list",
    );
    assert_unsupported(
        g.balance.as_ref().map_err(clone_unsupported).cloned(),
        "govpsfx",
        "balance",
    );
    // The terminated server is gone for good.
    let again = Lifecycle::terminate(&gv, &g.created.service).unwrap_err();
    assert!(matches!(again, Error::Refused { .. }), "{again:?}");
    let renew = Lifecycle::renew(&gv, &g.created.service, 1).unwrap_err();
    assert!(
        matches!(renew, Error::InvalidParameters { .. }),
        "{renew:?}"
    );
}

/// `Error` is not `Clone`; the unsupported ones are rebuilt for the shared assertion.
fn clone_unsupported(e: &Error) -> Error {
    match e {
        Error::Unsupported {
            provider,
            operation,
        } => Error::Unsupported {
            provider,
            operation,
        },
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

#[test]
fn server_operations_through_the_trait() {
    let sb = start("100.00");
    let fh = friendhosting(&sb);
    let gv = govpsfx(&sb);
    let lc: &dyn Lifecycle = &fh;
    let s = lc.create(&vds_spec(1)).unwrap().service;
    lc.suspend(&s).unwrap();
    assert_eq!(lc.info(&s).unwrap().state, ServiceState::Suspended);
    let e = lc.suspend(&s).unwrap_err();
    assert_eq!(e.upstream_code(), Some(21), "{e:?}");
    lc.unsuspend(&s).unwrap();
    assert_eq!(lc.info(&s).unwrap().state, ServiceState::Active);
    lc.reboot(&s).unwrap();
    lc.reinstall(&s).unwrap();
    let missing = lc.info(&ServiceRef {
        id: "999999".into(),
        client_id: None,
    });
    assert_eq!(missing.unwrap_err().upstream_code(), Some(19));

    let lc: &dyn Lifecycle = &gv;
    let s = lc
        .create(&gv_spec("france_classic", 1, "CL-2"))
        .unwrap()
        .service;
    assert_unsupported(lc.suspend(&s), "govpsfx", "suspend");
    assert_unsupported(lc.unsuspend(&s), "govpsfx", "unsuspend");
    assert_unsupported(lc.reboot(&s), "govpsfx", "reboot");
    assert_unsupported(lc.reinstall(&s), "govpsfx", "reinstall");
    // Nothing unsupported touched the server: it still extends from its first end date.
    let r = lc.renew(&s, 1).unwrap();
    assert_eq!(r.expires, Some(add_months(add_months(today(), 1), 1)));
}

#[test]
fn pending_provisioning_on_both_providers() {
    let sb = start("3.00");
    let fh = friendhosting(&sb);
    let gv = govpsfx(&sb);

    // Friendhosting warning 31 (balance too low): placed, pending, nothing charged.
    let c = Lifecycle::create(&fh, &vds_spec(1)).unwrap();
    let w = fh::WarningCode::AwaitingPayment.description();
    assert_eq!(
        c.warning.as_ref().map(|n| (n.code, n.message.as_str())),
        Some((31, w))
    );
    assert_eq!(
        c.provisioning,
        Provisioning::Pending {
            message: w.to_string()
        }
    );
    assert_eq!(c.access, None);
    let info = Lifecycle::info(&fh, &c.service).unwrap();
    assert_eq!(info.state, ServiceState::Pending);
    assert_eq!(Lifecycle::balance(&fh).unwrap().amount, dec("3.00"));

    // GoVPSFX 202: pending with no server id yet; the delivery brings it.
    let handler = CallbackReceiver::start().unwrap();
    sb.set_handler("14321", &handler.url()).unwrap();
    let c = Lifecycle::create(&gv, &gv_spec("france_mini", 3, "CL-3")).unwrap();
    assert!(
        matches!(&c.provisioning, Provisioning::Pending { message } if message.starts_with("order created")),
        "{:?}",
        c.provisioning
    );
    assert_eq!(c.service.id, "");
    assert_eq!(c.service.client_id.as_deref(), Some("CL-3"));
    assert_eq!(c.expires, None);
    let post = handler
        .wait_for(1, Duration::from_secs(10))
        .pop()
        .expect("delivery");
    let d = gv::verify_callback(
        gv.partner(),
        Some(post.content_type.as_str()),
        post.body.as_bytes(),
        &gv::CallbackLimits::default(),
    )
    .unwrap();
    assert_eq!(d.client_id, "CL-3");
    // Renewal by client id works before the panel learned the server id.
    let r = Lifecycle::renew(&gv, &c.service, 6).unwrap();
    assert_eq!(r.expires, Some(add_months(d.end_at, 6)));
    let service = ServiceRef {
        id: d.server_id,
        client_id: Some(d.client_id),
    };
    Lifecycle::terminate(&gv, &service).unwrap();
}

#[test]
fn lifecycle_input_is_checked_before_sending() {
    let sb = start("100.00");
    let gv = govpsfx(&sb);
    let lc: &dyn Lifecycle = &gv;
    for (spec, field) in [
        (gv_spec("singapore", 2, "CL-4"), "term"),
        (
            CreateSpec {
                client_id: None,
                ..gv_spec("singapore", 1, "")
            },
            "client_id",
        ),
    ] {
        match lc.create(&spec) {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let no_client = ServiceRef {
        id: "ID20001".into(),
        client_id: None,
    };
    match lc.renew(&no_client, 1) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "client_id"),
        other => panic!("{other:?}"),
    }
    // Nothing reached the sandbox: the first real lease still gets the first server id.
    let c = lc.create(&gv_spec("singapore", 12, "CL-4")).unwrap();
    assert_eq!(c.service.id, "ID20001");
    assert_eq!(c.expires, Some(add_months(today(), 12)));
    // Friendhosting refuses a zero-month period before sending too.
    let fh = friendhosting(&sb);
    match Lifecycle::create(&fh, &vds_spec(0)) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "period"),
        other => panic!("{other:?}"),
    }
    assert_eq!(Lifecycle::list(&fh).unwrap(), Vec::new(), "no order placed");
}
