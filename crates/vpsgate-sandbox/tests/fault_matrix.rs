//! Every command of both APIs under every fault the sandbox injects, against a port with nothing
//! listening and against a server that accepts and never answers: a typed error, in bounded
//! time, and for a money-moving command that may have been executed, "outcome unknown".

use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use vpsgate::friendhosting::{self as fh, CreateOrder, Credentials, Gateway, Vid};
use vpsgate::govpsfx::{self as gv, Extend, Lease, Partner, Recall, Term};
use vpsgate::native::NativeTransport;
use vpsgate::{ApiKey, Error, ErrorCode, PartnerSecret};
use vpsgate_sandbox::{FaultConfig, Sandbox, SandboxConfig};

const TIMEOUT: Duration = Duration::from_millis(1000);

/// Correctness, not speed: generous.
fn bound() -> Duration {
    TIMEOUT * 5 + Duration::from_secs(2)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scenario {
    Latency,
    Error500,
    Drop,
    Truncate,
    Html,
    NothingListening,
    NeverAnswers,
}

/// Sends one command through one of the two clients.
type Sender =
    dyn Fn(&fh::Client<NativeTransport>, &gv::Client<NativeTransport>) -> Result<(), Error>;

/// One command: its name, whether it moves money, and how to send it.
struct Cmd {
    name: &'static str,
    money: bool,
    govpsfx: bool,
    run: Box<Sender>,
}

fn cmd(
    name: &'static str,
    money: bool,
    govpsfx: bool,
    run: impl Fn(&fh::Client<NativeTransport>, &gv::Client<NativeTransport>) -> Result<(), Error>
        + 'static,
) -> Cmd {
    Cmd {
        name,
        money,
        govpsfx,
        run: Box::new(run),
    }
}

fn commands() -> Vec<Cmd> {
    let term = || Term::try_from(1).unwrap();
    vec![
        cmd("getBalance", false, false, |f, _| f.get_balance().map(drop)),
        cmd("getTarifs", false, false, |f, _| {
            f.get_tarifs(Some(Vid::Vds)).map(drop)
        }),
        cmd("getOrders", false, false, |f, _| {
            f.get_orders(None).map(drop)
        }),
        cmd("createOrder", true, false, |f, _| {
            f.create_order(&CreateOrder::new("201", 1).vid(Vid::Vds))
                .map(drop)
        }),
        cmd("renewOrder", true, false, |f, _| {
            f.renew_order("100001", 1).map(drop)
        }),
        cmd("suspendOrder", false, false, |f, _| {
            f.suspend_order("100001").map(drop)
        }),
        cmd("unSuspendOrder", false, false, |f, _| {
            f.unsuspend_order("100001").map(drop)
        }),
        cmd("restartOrder", false, false, |f, _| {
            f.restart_order("100001").map(drop)
        }),
        cmd("reinstallOrder", false, false, |f, _| {
            f.reinstall_order("100001").map(drop)
        }),
        cmd("lease", true, true, move |_, g| {
            g.lease(&Lease::new("singapore", term(), "ID-MATRIX"))
                .map(drop)
        }),
        cmd("extend", true, true, move |_, g| {
            g.extend(&Extend::new(term(), "ID-MATRIX")).map(drop)
        }),
        cmd("recall", false, true, |_, g| {
            g.recall(&Recall::new("ID20002")).map(drop)
        }),
    ]
}

fn clients(base: &str) -> (fh::Client<NativeTransport>, gv::Client<NativeTransport>) {
    let transport = || NativeTransport::new().timeout(TIMEOUT);
    (
        fh::Client::new(
            Gateway::new(Credentials::with_api_key("demo", ApiKey::new("demo-key")))
                .with_url(format!("{base}/apih.php")),
            transport(),
        ),
        gv::Client::new(
            Partner::new("14321", PartnerSecret::new("sdsd4223dsd")).with_base_url(base),
            transport(),
        ),
    )
}

/// The error a scenario must give, as its stable code.
fn expected(s: Scenario, govpsfx: bool) -> ErrorCode {
    match s {
        Scenario::Latency | Scenario::NeverAnswers => ErrorCode::Timeout,
        Scenario::NothingListening => ErrorCode::Connect,
        Scenario::Error500 if govpsfx => ErrorCode::ProviderError,
        Scenario::Error500 => ErrorCode::UnexpectedStatus,
        Scenario::Drop | Scenario::Truncate => ErrorCode::TransportOther,
        Scenario::Html => ErrorCode::MalformedResponse,
    }
}

/// A port nobody listens on (bound, then freed).
fn closed_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A server that accepts every connection, reads nothing and never answers. Kept open while
/// the returned listener lives (the kernel completes the handshakes from the backlog; the
/// accepted sockets are held so they are not reset).
fn silent_server() -> (SocketAddr, std::sync::mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        loop {
            if let Ok((s, _)) = listener.accept() {
                held.push(s);
            }
            match stopped.recv_timeout(Duration::from_millis(5)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                _ => return,
            }
        }
    });
    (addr, stop)
}

fn check(scenario: Scenario, base: &str, host: &str) {
    let (f, g) = clients(base);
    for c in commands() {
        let started = Instant::now();
        let result = (c.run)(&f, &g);
        let took = started.elapsed();
        let what = format!("{scenario:?} {}", c.name);
        assert!(took < bound(), "{what}: took {took:?}");
        let e = match result {
            Err(e) => e,
            Ok(()) => panic!("{what}: succeeded"),
        };
        assert_eq!(e.code(), expected(scenario, c.govpsfx), "{what}: {e:?}");
        // A money-moving command whose request left may have been executed; a refused
        // connection proves it was not.
        let unknown = c.money && scenario != Scenario::NothingListening;
        assert_eq!(e.outcome_unknown(), unknown, "{what}: {e}");
        let text = e.to_string();
        match e.code() {
            ErrorCode::Timeout => {
                assert!(text.contains(host), "{what}: names the host: {text}");
                assert!(
                    text.contains("time limit 1 s"),
                    "{what}: names the limit: {text}"
                );
            }
            ErrorCode::Connect => {
                assert!(text.contains(host), "{what}: names the host: {text}");
                assert!(
                    text.contains("connect limit 10 s"),
                    "{what}: names the limit: {text}"
                );
            }
            _ => {}
        }
        // Nothing in any message is a secret.
        for secret in ["demo-key", "sdsd4223dsd"] {
            assert!(
                !text.contains(secret) && !format!("{e:?}").contains(secret),
                "{what}"
            );
        }
    }
}

#[test]
fn every_command_under_every_sandbox_fault_is_a_typed_error_in_bounded_time() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let host = sb.addr().to_string();
    for (scenario, faults) in [
        (
            Scenario::Latency,
            FaultConfig {
                latency_ms: 3000,
                ..FaultConfig::default()
            },
        ),
        (
            Scenario::Error500,
            FaultConfig {
                error_rate: 1.0,
                ..FaultConfig::default()
            },
        ),
        (
            Scenario::Drop,
            FaultConfig {
                drop_rate: 1.0,
                ..FaultConfig::default()
            },
        ),
        (
            Scenario::Truncate,
            FaultConfig {
                truncate_rate: 1.0,
                ..FaultConfig::default()
            },
        ),
        (
            Scenario::Html,
            FaultConfig {
                html_rate: 1.0,
                ..FaultConfig::default()
            },
        ),
    ] {
        sb.set_faults(faults).unwrap();
        check(scenario, &sb.base_url(), &host);
    }
}

#[test]
fn every_command_against_a_closed_port_is_connect() {
    let addr = closed_port();
    check(
        Scenario::NothingListening,
        &format!("http://{addr}"),
        &addr.to_string(),
    );
}

#[test]
fn every_command_against_a_server_that_never_answers_times_out() {
    let (addr, stop) = silent_server();
    check(
        Scenario::NeverAnswers,
        &format!("http://{addr}"),
        &addr.to_string(),
    );
    drop(stop);
}
