//! The opt-in retry policy against the sandbox's fault injection: a read-only call comes through
//! transient faults; a money-moving call is sent exactly once under every fault, and the
//! sandbox's request log and ledger show it.

use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use vpsgate::friendhosting::{self as fh, CreateOrder, Credentials, Gateway, Vid};
use vpsgate::lifecycle::{CreateSpec, Lifecycle, Provider, ServiceRef};
use vpsgate::native::NativeTransport;
use vpsgate::retry::RetryPolicy;
use vpsgate::{ApiKey, ErrorCode, PartnerSecret};
use vpsgate_sandbox::{FaultConfig, RunningSandbox, Sandbox, SandboxConfig};

/// The client's whole-exchange limit; latency faults are set well past it.
const TIMEOUT: Duration = Duration::from_millis(1000);
const LATENCY_MS: u64 = 2500;

fn sandbox() -> RunningSandbox {
    Sandbox::start(SandboxConfig {
        log: true,
        ..SandboxConfig::default()
    })
    .unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy::new(vpsgate::retry::MAX_ATTEMPTS)
        .unwrap()
        .with_delays(Duration::from_millis(100), Duration::from_millis(800))
        .unwrap()
}

fn gateway(relay: &Relay) -> Gateway {
    Gateway::new(Credentials::with_api_key("demo", ApiKey::new("demo-key")))
        .with_url(relay.url("/apih.php"))
}

/// The native transport without kept connections for read-only requests (on by default), so
/// that the relay's connection count is the count of requests sent.
fn transport() -> NativeTransport {
    NativeTransport::new()
        .timeout(TIMEOUT)
        .reuse_read_only_connections(false)
}

fn client(relay: &Relay) -> fh::Client<NativeTransport> {
    fh::Client::new(gateway(relay), transport()).with_retry(policy())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    Latency,
    Error500,
    Drop,
    Truncate,
    Html,
}

const ALL: [Fault; 5] = [
    Fault::Latency,
    Fault::Error500,
    Fault::Drop,
    Fault::Truncate,
    Fault::Html,
];

fn config(f: Fault) -> FaultConfig {
    let mut c = FaultConfig::default();
    match f {
        Fault::Latency => c.latency_ms = LATENCY_MS,
        Fault::Error500 => c.error_rate = 1.0,
        Fault::Drop => c.drop_rate = 1.0,
        Fault::Truncate => c.truncate_rate = 1.0,
        Fault::Html => c.html_rate = 1.0,
    }
    c
}

/// A loopback TCP relay in front of the sandbox that counts connections. The tests' transport
/// ([`transport`]) opens one connection per request, so connections = requests sent, whatever
/// the sandbox did with them (a request cut off by the client's timeout is never logged there).
struct Relay {
    addr: SocketAddr,
    count: Arc<AtomicUsize>,
}

impl Relay {
    fn new(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let n = count.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                n.fetch_add(1, Ordering::SeqCst);
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Write);
                    });
                }
            }
        });
        Relay { addr, count }
    }

    fn sent(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn faulted(sb: &RunningSandbox) -> usize {
    sb.log_lines()
        .iter()
        .filter(|l| l.contains("-> fault"))
        .count()
}

/// Wait (bounded) until `cond` holds.
fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_read_only_call_comes_through_transient_faults() {
    for fault in [
        Fault::Error500,
        Fault::Drop,
        Fault::Truncate,
        Fault::Latency,
    ] {
        let sb = sandbox();
        let relay = Relay::new(sb.addr());
        sb.set_faults(config(fault)).unwrap();
        let balance = std::thread::scope(|s| {
            let call = s.spawn(|| client(&relay).get_balance());
            // Let at least two attempts fail, then heal the upstream.
            wait_for("two failed attempts", || {
                relay.sent() >= 3 || (relay.sent() >= 2 && faulted(&sb) >= 2)
            });
            sb.set_faults(FaultConfig::default()).unwrap();
            call.join().unwrap()
        });
        let balance = balance.unwrap_or_else(|e| panic!("{fault:?}: {e:?}"));
        assert_eq!(
            balance.data.balance,
            Some(Decimal::new(10000, 2)),
            "{fault:?}"
        );
        let sent = relay.sent();
        assert!(
            sent >= 3,
            "{fault:?}: two failures and a success, saw {sent}"
        );
        assert!(sent <= 10, "{fault:?}: never more than the cap, saw {sent}");
    }
}

#[test]
fn read_only_retries_stop_at_the_cap_and_skip_final_answers() {
    let sb = sandbox();
    let relay = Relay::new(sb.addr());
    let three = RetryPolicy::new(3)
        .unwrap()
        .with_delays(Duration::from_millis(1), Duration::from_millis(5))
        .unwrap();
    let c = fh::Client::new(gateway(&relay), transport()).with_retry(three);
    sb.set_faults(config(Fault::Error500)).unwrap();
    let e = c.get_orders(None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::UnexpectedStatus, "{e:?}");
    assert_eq!(relay.sent(), 3, "exactly the three attempts");
    // An HTML page is an answer, not a transient failure: sent once.
    sb.set_faults(config(Fault::Html)).unwrap();
    let e = c.get_tarifs(Some(Vid::Vds)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedResponse, "{e:?}");
    assert_eq!(relay.sent(), 4);
    // A gateway error (an upstream business answer) is final too.
    sb.set_faults(FaultConfig::default()).unwrap();
    let e = c.get_orders(Some("999999")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Gateway, "{e:?}");
    assert_eq!(relay.sent(), 5);
}

/// The cost of one order of `order` on a fresh sandbox.
fn price_of(order: &CreateOrder) -> Decimal {
    let sb = sandbox();
    let relay = Relay::new(sb.addr());
    client(&relay)
        .create_order(order)
        .unwrap()
        .data
        .cost
        .unwrap()
}

/// Every order of the demo account.
fn orders(c: &fh::Client<NativeTransport>) -> Vec<fh::Order> {
    match c.get_orders(None) {
        Ok(a) => a.data.orders,
        Err(vpsgate::Error::Gateway(g)) if g.code == fh::GatewayCode::NoOrders => vec![],
        Err(other) => panic!("{other:?}"),
    }
}

/// Give a request the client gave up on time to end at the sandbox (latency faults).
fn settle(fault: Fault) {
    if fault == Fault::Latency {
        std::thread::sleep(Duration::from_millis(LATENCY_MS + 500));
    }
}

#[test]
fn a_money_moving_call_is_sent_exactly_once_under_every_fault() {
    let order = CreateOrder::new("201", 1).vid(Vid::Vds);
    let price = price_of(&order);
    assert!(price > Decimal::ZERO);
    for fault in ALL {
        let sb = sandbox();
        let relay = Relay::new(sb.addr());
        let c = client(&relay);
        let before = c.get_balance().unwrap().data.balance.unwrap();
        let seen = relay.sent();
        sb.set_faults(config(fault)).unwrap();
        let e = c.create_order(&order).unwrap_err();
        settle(fault);
        sb.set_faults(FaultConfig::default()).unwrap();
        assert_eq!(relay.sent() - seen, 1, "{fault:?}: sent once");
        // The client cannot tell whether the command ran: every fault leaves it unknown.
        assert!(e.outcome_unknown(), "{fault:?}: {e:?}");
        // Drop, 500 and HTML come before the sandbox runs the command; truncation and latency
        // (a late answer) after it. Either way the ledger shows at most one order, charged once.
        let placed = orders(&c);
        let after = c.get_balance().unwrap().data.balance.unwrap();
        let expected = match fault {
            Fault::Truncate | Fault::Latency => 1,
            Fault::Drop | Fault::Error500 | Fault::Html => 0,
        };
        assert_eq!(placed.len(), expected, "{fault:?}: {placed:?}");
        assert_eq!(
            before - after,
            price * Decimal::from(placed.len()),
            "{fault:?}: charged once per order placed"
        );

        // Renewing is money too: sent once, charged at most once.
        let id = match placed.first() {
            Some(o) => o.orderid.clone().unwrap(),
            None => c.create_order(&order).unwrap().data.orderid.unwrap(),
        };
        let before = c.get_balance().unwrap().data.balance.unwrap();
        let seen = relay.sent();
        sb.set_faults(config(fault)).unwrap();
        let e = c.renew_order(id.as_str(), 1).unwrap_err();
        settle(fault);
        sb.set_faults(FaultConfig::default()).unwrap();
        assert!(e.outcome_unknown(), "{fault:?}: {e:?}");
        assert_eq!(relay.sent() - seen, 1, "{fault:?}: renew sent once");
        let after = c.get_balance().unwrap().data.balance.unwrap();
        let charged = before - after;
        match fault {
            Fault::Truncate | Fault::Latency => {
                assert!(charged > Decimal::ZERO, "{fault:?}: renewed once")
            }
            Fault::Drop | Fault::Error500 | Fault::Html => {
                assert_eq!(charged, Decimal::ZERO, "{fault:?}")
            }
        }
        assert!(
            charged <= price,
            "{fault:?}: one renewal at most: {charged}"
        );
    }
}

#[test]
fn state_changes_and_govpsfx_calls_are_sent_once_through_the_lifecycle() {
    for fault in ALL {
        let sb = sandbox();
        let relay = Relay::new(sb.addr());
        // A Friendhosting order to act on, placed before the faults.
        let placed = client(&relay)
            .create_order(&CreateOrder::new("201", 1).vid(Vid::Vds))
            .unwrap();
        let id = ServiceRef::new(placed.data.orderid.unwrap());
        let fh =
            vpsgate::lifecycle::Client::new(Provider::Friendhosting(gateway(&relay)), transport())
                .with_retry(policy());
        let gv = vpsgate::lifecycle::Client::new(
            Provider::Govpsfx(
                vpsgate::govpsfx::Partner::new("14321", PartnerSecret::new("sdsd4223dsd"))
                    .with_base_url(&relay.url("")),
            ),
            transport(),
        )
        .with_retry(policy());
        sb.set_faults(config(fault)).unwrap();
        let seen = relay.sent();
        assert!(fh.suspend(&id).is_err(), "{fault:?}");
        assert!(fh.reboot(&id).is_err(), "{fault:?}");
        assert_eq!(
            relay.sent() - seen,
            2,
            "{fault:?}: suspend, reboot once each"
        );
        let e = fh
            .create(&CreateSpec {
                plan: "201".into(),
                months: 1,
                kind: Some("vds".into()),
                ..CreateSpec::default()
            })
            .unwrap_err();
        assert!(e.outcome_unknown(), "{fault:?}: {e:?}");
        assert_eq!(relay.sent() - seen, 3, "{fault:?}: create once");
        let spec = CreateSpec {
            plan: "singapore".into(),
            months: 1,
            client_id: Some("ID-RETRY".into()),
            ..CreateSpec::default()
        };
        let e = gv.create(&spec).unwrap_err();
        assert!(e.outcome_unknown(), "{fault:?}: {e:?}");
        assert!(gv.terminate(&ServiceRef::new("S-1")).is_err(), "{fault:?}");
        assert_eq!(relay.sent() - seen, 5, "{fault:?}: lease, recall once each");
        // The read-only steps, by contrast, are retried until the cap.
        let e = fh.balance().unwrap_err();
        assert!(!e.outcome_unknown());
        let extra = relay.sent() - seen - 5;
        if fault == Fault::Html {
            assert_eq!(extra, 1, "an HTML page is final");
        } else {
            assert_eq!(extra, 10, "{fault:?}: the whole cap");
        }
        sb.set_faults(FaultConfig::default()).unwrap();
    }
}
