//! A money-moving request that fails after it may have reached the upstream: the error says the
//! outcome is unknown and how to find out; for Friendhosting the library finds the order the
//! create placed; nothing is ever sent twice.

use std::time::Duration;

use rust_decimal::Decimal;
use vpsgate::friendhosting::{
    self as fh, find_placed_orders, CreateOrder, Credentials, Gateway, Vid,
};
use vpsgate::govpsfx::{self as gv, Lease, Partner, Term};
use vpsgate::native::NativeTransport;
use vpsgate::{ApiKey, Error, ErrorCode, PartnerSecret};
use vpsgate_sandbox::{FaultConfig, Sandbox, SandboxConfig};

fn client(sb: &vpsgate_sandbox::RunningSandbox) -> fh::Client<NativeTransport> {
    fh::Client::new(
        Gateway::new(Credentials::with_api_key("demo", ApiKey::new("demo-key")))
            .with_url(sb.gateway_url()),
        NativeTransport::new().timeout(Duration::from_secs(10)),
    )
}

fn faults(truncate: f64, drop: f64) -> FaultConfig {
    FaultConfig {
        truncate_rate: truncate,
        drop_rate: drop,
        ..FaultConfig::default()
    }
}

#[test]
fn a_cut_create_order_is_unknown_and_then_found_once() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let c = client(&sb);
    let before = c.get_balance().unwrap().data.balance.unwrap();
    let mut order = CreateOrder::new("201", 1).vid(Vid::Vds);
    order.domain = Some("cut.example".into());

    // The sandbox places the order, then cuts its answer in half.
    sb.set_faults(faults(1.0, 0.0)).unwrap();
    let e = c.create_order(&order).unwrap_err();
    sb.set_faults(FaultConfig::default()).unwrap();
    assert!(e.outcome_unknown(), "{e:?}");
    assert!(matches!(
        &e,
        Error::OutcomeUnknown {
            provider: "friendhosting",
            operation: "createOrder",
            ..
        }
    ));
    let text = e.to_string();
    assert!(
        text.contains("OUTCOME UNKNOWN") && text.contains("getOrders"),
        "{text}"
    );
    assert!(std::error::Error::source(&e).is_some());

    // It was placed exactly once and charged exactly once; the library finds it.
    let orders = c.get_orders(None).unwrap().data.orders;
    let found = find_placed_orders(&orders, &order, None);
    assert_eq!(found.len(), 1, "{orders:?}");
    let after = c.get_balance().unwrap().data.balance.unwrap();
    assert!(after < before, "charged once: {before} -> {after}");
    let charged = before - after;
    assert!(charged > Decimal::ZERO);
    assert_eq!(orders.len(), 1, "never sent twice");
}

#[test]
fn a_dropped_renew_is_unknown_and_a_read_is_not() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let c = client(&sb);
    let placed = c
        .create_order(&CreateOrder::new("201", 1).vid(Vid::Vds))
        .unwrap();
    let id = placed.data.orderid.unwrap();
    sb.set_faults(faults(0.0, 1.0)).unwrap();
    let e = c.renew_order(id.as_str(), 1).unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(e.code(), ErrorCode::TransportOther);
    // A read-only command has nothing to be unsure about.
    let e = c.get_balance().unwrap_err();
    assert!(!e.outcome_unknown(), "{e:?}");
    assert!(!e.to_string().contains("OUTCOME UNKNOWN"));
}

#[test]
fn a_cut_lease_says_govpsfx_cannot_be_checked() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let gvc = gv::Client::new(
        Partner::new("14321", PartnerSecret::new("sdsd4223dsd")).with_base_url(&sb.base_url()),
        NativeTransport::new().timeout(Duration::from_secs(10)),
    );
    sb.set_faults(faults(1.0, 0.0)).unwrap();
    let e = gvc
        .lease(&Lease::new(
            "singapore",
            Term::try_from(1).unwrap(),
            "ID-CUT",
        ))
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::OutcomeUnknown {
                provider: "govpsfx",
                operation: "lease",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("no way to list"), "{e}");
    // The neutral lifecycle says the same.
    let provider = vpsgate::lifecycle::Provider::Govpsfx(gvc.partner().clone());
    let spec = vpsgate::lifecycle::CreateSpec {
        plan: "singapore".into(),
        months: 1,
        client_id: Some("ID-CUT2".into()),
        ..Default::default()
    };
    let e = vpsgate::execute(&provider.create(&spec), gvc.transport()).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::OutcomeUnknown {
                operation: "create",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(vpsgate::contract::error(&e)["outcome_unknown"], true);
}
