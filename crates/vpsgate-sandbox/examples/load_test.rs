//! Load and crash test of the sandbox, with the core's blocking clients (scripts/load-test.sh).
//!
//! ```text
//! cargo run -p vpsgate-sandbox --example load_test -- [--duration S] [--clients N]
//!     [--fault-rate R] [--kill] [--vpsgate PATH]
//! ```
//! Starts `vpsgate sandbox` (the binary next to this example's directory, or `--vpsgate`) as
//! its own process on loopback with a fresh SQLite state file and fault injection (`R`, default
//! 0.03, split evenly over dropped connections, bare 500s and HTML pages: faults that stop a
//! request before it runs, so every outcome is known; truncated answers, whose outcome is
//! unknown by design, are left to the other tests). `N` clients (default 50), half of them
//! asking for PHP answers and half for JSON, create, renew and look up their orders for `S`
//! seconds (default 30). Then, with faults off, the whole order list and the balance are read
//! and checked:
//! - every order appears exactly once, and every acknowledged create is there;
//! - the balance reconciles to the cent: opening balance minus 4.99 per paid month, the months
//!   read from each order's `todate`; each order has at least the months its acknowledged
//!   renewals paid for;
//! - without `--kill`: no order beyond the acknowledged ones, the balance equals the opening
//!   one minus the acknowledged charges, and the client errors are exactly the faults the
//!   sandbox reports having injected (`GET /_sandbox/stats`);
//! - with `--kill`: halfway through the sandbox is killed with SIGKILL and started again on
//!   the same port and state file; requests in flight or sent meanwhile fail as transport
//!   errors (their outcome unknown: an order so created may be there, never one more than
//!   such failures), and nothing acknowledged is lost.
//!
//! Any gateway error or other unexpected failure fails the run. Prints requests/s and the
//! latency percentiles of every request (failed ones included). Exit status 0 when every check
//! holds, 1 otherwise.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use time::{Date, Month};
use vpsgate::friendhosting::{Client, CreateOrder, Credentials, Format, Gateway, Vid};
use vpsgate::native::NativeTransport;
use vpsgate::{ApiKey, Error, ErrorCode};
use vpsgate_sandbox::{AccountConfig, FaultConfig, SandboxConfig};

const LOGIN: &str = "load";
const KEY: &str = "load-key";
const OPENING: &str = "10000000.00";
/// The tariff every order uses: VDS-1, 4.99 a month, no setup cost, no discount for 1 month.
const TARIFF: &str = "201";
const MONTHLY: &str = "4.99";
const TODAY: (i32, Month, u8) = (2026, Month::January, 15);

struct Opts {
    duration: Duration,
    clients: usize,
    fault_rate: f64,
    kill: bool,
    bin: PathBuf,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        duration: Duration::from_secs(30),
        clients: 50,
        fault_rate: 0.03,
        kill: false,
        bin: std::env::current_exe()
            .ok()
            .and_then(|p| Some(p.parent()?.parent()?.join("vpsgate")))
            .unwrap_or_else(|| PathBuf::from("vpsgate")),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--duration" => {
                let s: f64 = value("--duration")?
                    .parse()
                    .map_err(|e| format!("--duration: {e}"))?;
                if !(0.5..=3600.0).contains(&s) {
                    return Err("--duration: between 0.5 and 3600 seconds".into());
                }
                o.duration = Duration::from_secs_f64(s);
            }
            "--clients" => {
                o.clients = value("--clients")?
                    .parse()
                    .map_err(|e| format!("--clients: {e}"))?;
                if !(1..=500).contains(&o.clients) {
                    return Err("--clients: between 1 and 500".into());
                }
            }
            "--fault-rate" => {
                o.fault_rate = value("--fault-rate")?
                    .parse()
                    .map_err(|e| format!("--fault-rate: {e}"))?;
                if !(0.0..=0.5).contains(&o.fault_rate) {
                    return Err("--fault-rate: between 0 and 0.5".into());
                }
            }
            "--kill" => o.kill = true,
            "--vpsgate" => o.bin = PathBuf::from(value("--vpsgate")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

/// `vpsgate sandbox` running as a child process.
struct Sandbox {
    child: Child,
    addr: String,
}

impl Sandbox {
    /// Start it and wait for its "listening on" line (at most 30 s).
    fn start(bin: &Path, config: &Path, state: &Path, port: u16) -> Result<Sandbox, String> {
        let mut child = Command::new(bin)
            .args(["sandbox", "--config"])
            .arg(config)
            .arg("--state-file")
            .arg(state)
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads to the end, so the pipe never fills.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut said = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.split("listening on http://").nth(1) {
                        return Ok(Sandbox {
                            child,
                            addr: url.trim().to_string(),
                        });
                    }
                    said.push(line);
                }
                Err(_) => break,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        Err(format!("the sandbox did not start: {}", said.join(" | ")))
    }

    /// SIGKILL (`Child::kill` sends SIGKILL on Unix) and reap.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn port(&self) -> u16 {
        self.addr
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client of the core over the native transport, without kept connections for reads (on by
/// default): the transport would send a read whose kept connection was dropped once more, and
/// the check that every injected fault reaches a client as an error needs each one to count.
fn client(base: &str, format: Format) -> Client<NativeTransport> {
    Client::new(
        Gateway::new(Credentials::with_api_key(LOGIN, ApiKey::new(KEY)))
            .with_url(format!("{base}/apih.php"))
            .with_format(format),
        NativeTransport::new()
            .timeout(Duration::from_secs(10))
            .reuse_read_only_connections(false),
    )
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Failure {
    /// What an injected fault produces: a 500, an HTML page, a dropped connection.
    Fault,
    /// The connection failed (a dropped connection, or the sandbox down).
    Transport,
    /// Anything else: a gateway error, a bad answer.
    Unexpected,
}

fn classify(e: &Error) -> Failure {
    match e.code() {
        ErrorCode::UnexpectedStatus
        | ErrorCode::MalformedResponse
        | ErrorCode::PhpSyntax
        | ErrorCode::JsonSyntax => Failure::Fault,
        ErrorCode::Connect | ErrorCode::TransportOther | ErrorCode::Timeout => Failure::Transport,
        _ => Failure::Unexpected,
    }
}

/// What one client saw.
#[derive(Default)]
struct Tally {
    created: Vec<(String, Decimal)>,
    renewed: Vec<(String, Decimal)>,
    looked_up: u64,
    faults: u64,
    transport: u64,
    failed_creates: u64,
    unexpected: Vec<String>,
    latencies_us: Vec<u64>,
}

fn work(base: &str, format: Format, seed: u64, stop: &AtomicBool) -> Tally {
    let c = client(base, format);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut t = Tally::default();
    let create = CreateOrder::new(TARIFF, 1).vid(Vid::Vds);
    while !stop.load(Ordering::Relaxed) {
        let roll = rng.u32(0..100);
        let start = Instant::now();
        let outcome: Result<(), Error> = if roll < 40 || t.created.is_empty() {
            match c.create_order(&create) {
                Ok(a) => {
                    match (a.data.orderid, a.data.cost, a.warning) {
                        (Some(id), Some(cost), None) => t.created.push((id, cost)),
                        (id, cost, w) => t.unexpected.push(format!(
                            "createOrder answered orderid {id:?} cost {cost:?} warning {w:?}"
                        )),
                    }
                    Ok(())
                }
                Err(e) => {
                    t.failed_creates += 1;
                    Err(e)
                }
            }
        } else if roll < 80 {
            let id = t.created[rng.usize(0..t.created.len())].0.clone();
            match c.renew_order(id.as_str(), 1) {
                Ok(a) => {
                    match (a.data.cost, a.warning) {
                        (Some(cost), None) => t.renewed.push((id, cost)),
                        (cost, w) => t.unexpected.push(format!(
                            "renewOrder {id} answered cost {cost:?} warning {w:?}"
                        )),
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        } else {
            let id = t.created[rng.usize(0..t.created.len())].0.clone();
            match c.get_orders(Some(&id)) {
                Ok(a) => {
                    let n = a
                        .data
                        .orders
                        .iter()
                        .filter(|o| o.orderid.as_deref() == Some(id.as_str()))
                        .count();
                    if n != 1 || a.data.orders.len() != 1 {
                        t.unexpected.push(format!(
                            "getOrders {id}: {} orders listed",
                            a.data.orders.len()
                        ));
                    }
                    t.looked_up += 1;
                    Ok(())
                }
                Err(e) => Err(e),
            }
        };
        t.latencies_us.push(start.elapsed().as_micros() as u64);
        if let Err(e) = outcome {
            match classify(&e) {
                Failure::Fault => t.faults += 1,
                Failure::Transport => t.transport += 1,
                Failure::Unexpected => t.unexpected.push(e.to_string()),
            }
        }
    }
    t
}

fn months_paid(todate: Date) -> i64 {
    let today = Date::from_calendar_date(TODAY.0, TODAY.1, TODAY.2).expect("date");
    let m = |d: Date| i64::from(d.year()) * 12 + i64::from(d.month() as u8);
    m(todate) - m(today)
}

fn fault_stats(base: &str) -> Result<u64, String> {
    let body = admin(base, "/_sandbox/stats", None)?;
    let v: serde_json::Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    let f = &v["faults"];
    Ok(["drop", "error_500", "truncate", "html"]
        .iter()
        .map(|k| f[k].as_u64().unwrap_or(0))
        .sum())
}

/// A plain GET or POST to an admin endpoint, through the core's transport.
fn admin(base: &str, path: &str, body: Option<&str>) -> Result<String, String> {
    use vpsgate::Transport;
    let uri = format!("{base}{path}");
    let req = match body {
        None => http::Request::get(uri).body(Vec::new()),
        Some(b) => http::Request::post(uri).body(b.as_bytes().to_vec()),
    }
    .map_err(|e| e.to_string())?;
    let r = NativeTransport::new()
        .timeout(Duration::from_secs(10))
        .send(req)
        .map_err(|e| e.to_string())?;
    if r.status() != 200 {
        return Err(format!("{path}: HTTP {}", r.status()));
    }
    String::from_utf8(r.into_body()).map_err(|e| e.to_string())
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

fn run(o: &Opts) -> Result<Vec<String>, String> {
    let dir = std::env::temp_dir().join(format!("vpsgate-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let state = dir.join("state.db");
    let config_path = dir.join("sandbox.toml");
    let mut config = SandboxConfig {
        today: Some(format!("{}-{:02}-{:02}", TODAY.0, TODAY.1 as u8, TODAY.2)),
        faults: FaultConfig {
            seed: Some(7),
            drop_rate: o.fault_rate / 3.0,
            error_rate: o.fault_rate / 3.0,
            html_rate: o.fault_rate / 3.0,
            ..FaultConfig::default()
        },
        max_connections: 1024,
        ..SandboxConfig::default()
    };
    config.friendhosting.accounts.push(AccountConfig {
        login: LOGIN.into(),
        apikey: Some(KEY.into()),
        balance: OPENING.parse().expect("decimal"),
        ..AccountConfig::default()
    });
    let text = toml::to_string_pretty(&config).map_err(|e| e.to_string())?;
    std::fs::write(&config_path, text).map_err(|e| e.to_string())?;

    let sandbox = Sandbox::start(&o.bin, &config_path, &state, 0)?;
    let base = format!("http://{}", sandbox.addr);
    println!(
        "sandbox pid {} at {base}; {} clients for {:.1} s, fault rate {}{}",
        sandbox.child.id(),
        o.clients,
        o.duration.as_secs_f64(),
        o.fault_rate,
        if o.kill {
            ", SIGKILL and restart halfway"
        } else {
            ""
        }
    );
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..o.clients)
        .map(|i| {
            let (base, stop) = (base.clone(), stop.clone());
            let format = if i % 2 == 0 {
                Format::Php
            } else {
                Format::Json
            };
            std::thread::spawn(move || work(&base, format, 1000 + i as u64, &stop))
        })
        .collect();
    let mut sandbox = Some(sandbox);
    let mut injected_before_kill = 0;
    if o.kill {
        std::thread::sleep(o.duration / 2);
        let s = sandbox.take().expect("running");
        let port = s.port();
        injected_before_kill = fault_stats(&base).unwrap_or(0);
        let t = Instant::now();
        s.kill();
        println!(
            "killed with SIGKILL at {:.1} s",
            started.elapsed().as_secs_f64()
        );
        // The port is free at once (no listener left); retry a little in case it is not yet.
        let mut again = Err(String::new());
        for _ in 0..20 {
            again = Sandbox::start(&o.bin, &config_path, &state, port);
            if again.is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        sandbox = Some(again?);
        println!(
            "restarted on the same state file in {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        std::thread::sleep(o.duration.saturating_sub(started.elapsed()));
    } else {
        std::thread::sleep(o.duration);
    }
    stop.store(true, Ordering::Relaxed);
    let tallies: Vec<Tally> = workers
        .into_iter()
        .map(|w| w.join().map_err(|_| "a client thread panicked".to_string()))
        .collect::<Result<_, _>>()?;
    let elapsed = started.elapsed().as_secs_f64();
    let injected = injected_before_kill + fault_stats(&base)?;
    admin(&base, "/_sandbox/faults", Some("{}"))?;

    // Totals.
    let mut lat: Vec<u64> = tallies
        .iter()
        .flat_map(|t| t.latencies_us.iter().copied())
        .collect();
    lat.sort_unstable();
    let sum = |f: fn(&Tally) -> u64| tallies.iter().map(f).sum::<u64>();
    let (faults, transport, failed_creates) = (
        sum(|t| t.faults),
        sum(|t| t.transport),
        sum(|t| t.failed_creates),
    );
    let creates = sum(|t| t.created.len() as u64);
    let renews = sum(|t| t.renewed.len() as u64);
    let lookups = sum(|t| t.looked_up);
    println!(
        "{} requests in {elapsed:.1} s = {:.0} requests/s; latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        lat.len(),
        lat.len() as f64 / elapsed,
        percentile(&lat, 0.50),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0),
    );
    println!(
        "acknowledged: {creates} creates, {renews} renewals, {lookups} lookups; failed: {faults} by faults (sandbox injected {injected}), {transport} transport errors"
    );

    // The final state, through a fresh client, faults off.
    let c = client(&base, Format::Json);
    let listed = c
        .get_orders(None)
        .map_err(|e| format!("final getOrders: {e}"))?
        .data
        .orders;
    let balance = c
        .get_balance()
        .map_err(|e| format!("final getBalance: {e}"))?
        .data
        .balance
        .ok_or("no balance")?;

    let mut problems = Vec::new();
    for t in &tallies {
        problems.extend(t.unexpected.iter().take(5).cloned());
    }
    let mut months: BTreeMap<String, i64> = BTreeMap::new();
    for o in &listed {
        let Some(id) = o.orderid.clone() else {
            problems.push("an order without orderid".into());
            continue;
        };
        let Some(to) = o.todate.as_ref().and_then(|d| d.date()) else {
            problems.push(format!("order {id} without a todate"));
            continue;
        };
        if months.insert(id.clone(), months_paid(to)).is_some() {
            problems.push(format!("order {id} listed more than once"));
        }
    }
    let mut acked_months: HashMap<&str, i64> = HashMap::new();
    let mut acked_charges = Decimal::ZERO;
    for t in &tallies {
        for (id, cost) in &t.created {
            *acked_months.entry(id).or_default() += 1;
            acked_charges += cost;
        }
        for (id, cost) in &t.renewed {
            *acked_months.entry(id).or_default() += 1;
            acked_charges += cost;
        }
    }
    let created_ids: Vec<&str> = tallies
        .iter()
        .flat_map(|t| t.created.iter().map(|(id, _)| id.as_str()))
        .collect();
    let mut lost = 0;
    for id in &created_ids {
        match months.get(*id) {
            None => lost += 1,
            Some(m) if *m < acked_months[id] => problems.push(format!(
                "order {id}: {m} months paid, {} acknowledged",
                acked_months[id]
            )),
            Some(_) => {}
        }
    }
    if lost > 0 {
        problems.push(format!("{lost} acknowledged orders are missing"));
    }
    let extra = (listed.len() as u64).saturating_sub(created_ids.len() as u64 - lost);
    let monthly: Decimal = MONTHLY.parse().expect("decimal");
    let opening: Decimal = OPENING.parse().expect("decimal");
    let paid_months: i64 = months.values().sum();
    let expected = opening - monthly * Decimal::from(paid_months);
    println!(
        "state: {} orders, {paid_months} paid months; balance {balance} (expected {expected}: {OPENING} - {paid_months} x {MONTHLY})",
        listed.len()
    );
    if balance != expected {
        problems.push(format!(
            "balance {balance} does not reconcile: expected {expected}"
        ));
    }
    if o.kill {
        if extra > failed_creates {
            problems.push(format!(
                "{extra} orders nobody acknowledged, but only {failed_creates} creates failed"
            ));
        }
        println!(
            "after the crash: every acknowledged order and renewal kept; {extra} orders placed by requests whose answer was lost (of {failed_creates} failed creates)"
        );
    } else {
        if extra != 0 {
            problems.push(format!("{extra} orders nobody acknowledged"));
        }
        if opening - acked_charges != balance {
            problems.push(format!(
                "balance {balance} is not the opening balance minus the acknowledged charges {acked_charges}"
            ));
        }
        if faults + transport != injected {
            problems.push(format!(
                "{} client errors but {injected} injected faults",
                faults + transport
            ));
        }
    }
    drop(sandbox);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(problems)
}

fn main() -> ExitCode {
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("load_test: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&o) {
        Ok(problems) if problems.is_empty() => {
            println!("load test passed");
            ExitCode::SUCCESS
        }
        Ok(problems) => {
            for p in problems {
                eprintln!("load test FAILED: {p}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("load test FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}
