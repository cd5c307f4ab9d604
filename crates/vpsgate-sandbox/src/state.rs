//! The sandbox's shared state: what mutates, how it is kept on disk.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::config::{FaultConfig, SandboxConfig};
use crate::error::SandboxError;
use crate::faults::Faults;
use crate::handler_url::check_loopback_url;

/// Most delivery attempts remembered (older ones are forgotten first).
pub(crate) const MAX_RECORDED_ATTEMPTS: usize = 1000;

/// Everything a restart must not lose.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct State {
    pub next_order_id: u64,
    pub next_server_id: u64,
    pub accounts: BTreeMap<String, AccountState>,
    pub servers: BTreeMap<String, Server>,
    pub handler_urls: BTreeMap<String, String>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct AccountState {
    pub balance: Decimal,
    pub orders: BTreeMap<u64, Order>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Order {
    pub orderid: u64,
    pub domain: String,
    pub domain_reg: u8,
    pub vid: String,
    pub tarifid: String,
    pub tarifname: String,
    pub addons: Vec<String>,
    pub orderdate: String,
    pub startdate: String,
    pub todate: String,
    pub status: u8,
    pub unpaid: bool,
}

/// A leased GoVPSFX server. Holds a server password: no `Debug`.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Server {
    pub server_id: String,
    pub partner_code: String,
    pub client_id: String,
    pub rate: String,
    pub ip: String,
    pub port: u16,
    pub login: String,
    pub password: String,
    pub created_at: String,
    pub end_at: String,
    pub seq: u64,
    pub recalled: bool,
    /// Deferred and not yet delivered.
    pub pending: bool,
}

impl State {
    /// Orders of every account plus leased servers.
    pub(crate) fn records(&self) -> usize {
        self.accounts
            .values()
            .map(|a| a.orders.len())
            .sum::<usize>()
            + self.servers.len()
    }

    /// The state a fresh sandbox starts from.
    pub(crate) fn seed(config: &SandboxConfig, today: Date) -> State {
        let mut next = config.friendhosting.first_order_id;
        let mut accounts = BTreeMap::new();
        for a in &config.friendhosting.accounts {
            let mut orders = BTreeMap::new();
            for o in &a.orders {
                let Some(t) = config
                    .friendhosting
                    .tariffs
                    .iter()
                    .find(|t| t.id == o.tarifid)
                else {
                    continue; // rejected by validate()
                };
                let id = if o.orderid == 0 {
                    next += 1;
                    next - 1
                } else {
                    o.orderid
                };
                next = next.max(id + 1);
                let orderdate = if o.orderdate.is_empty() {
                    crate::dates::ymd(today)
                } else {
                    o.orderdate.clone()
                };
                let startdate = if o.startdate.is_empty() {
                    orderdate.clone()
                } else {
                    o.startdate.clone()
                };
                let todate = if o.todate.is_empty() {
                    let start = crate::dates::parse_ymd(&startdate).unwrap_or(today);
                    crate::dates::ymd(crate::dates::add_months(start, 1))
                } else {
                    o.todate.clone()
                };
                orders.insert(
                    id,
                    Order {
                        orderid: id,
                        domain: o.domain.clone(),
                        domain_reg: o.domain_reg,
                        vid: t.vid.clone(),
                        tarifid: t.id.clone(),
                        tarifname: t.name.clone(),
                        addons: Vec::new(),
                        orderdate,
                        startdate,
                        todate,
                        status: o.status,
                        unpaid: o.unpaid,
                    },
                );
            }
            accounts.insert(
                a.login.clone(),
                AccountState {
                    balance: a.balance,
                    orders,
                },
            );
        }
        let handler_urls = config
            .govpsfx
            .partners
            .iter()
            .filter_map(|p| p.handler_url.clone().map(|u| (p.code.clone(), u)))
            .collect();
        State {
            next_order_id: next,
            next_server_id: config.govpsfx.first_server_id,
            accounts,
            servers: BTreeMap::new(),
            handler_urls,
        }
    }
}

/// One attempt to deliver a deferred lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryAttempt {
    /// The leased server.
    pub server_id: String,
    /// Its partner.
    pub partner_code: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The handler URL used, if one was registered.
    pub url: Option<String>,
    /// The handler's HTTP status, if it answered.
    pub status: Option<u16>,
    /// What happened, e.g. `delivered`, `HTTP 500`, `no handler registered`.
    pub outcome: String,
    /// Whether the delivery is complete.
    pub delivered: bool,
}

/// Shared by every request of one running sandbox.
pub(crate) struct App {
    pub config: SandboxConfig,
    pub today_fixed: Option<Date>,
    pub state: Mutex<State>,
    pub rng: Mutex<fastrand::Rng>,
    pub faults: Mutex<Faults>,
    pub attempts: Mutex<VecDeque<DeliveryAttempt>>,
    pub pending_deliveries: AtomicUsize,
    pub log_lines: Mutex<VecDeque<String>>,
    pub stop: tokio::sync::watch::Sender<bool>,
}

impl App {
    /// Build the app, loading the state file when it exists.
    pub(crate) fn new(config: SandboxConfig) -> Result<Arc<App>, SandboxError> {
        config.validate()?;
        let today_fixed = config.today.as_deref().and_then(crate::dates::parse_ymd);
        let today = crate::dates::today(today_fixed);
        let state = match &config.state_file {
            Some(path) if path.exists() => {
                let mut loaded = load_state(path)?;
                // Accounts added to the config since the file was written start fresh.
                let fresh = State::seed(&config, today);
                for (login, acc) in fresh.accounts {
                    loaded.accounts.entry(login).or_insert(acc);
                }
                loaded
            }
            _ => State::seed(&config, today),
        };
        let fault_seed = config.faults.seed.unwrap_or(config.seed);
        let faults = Faults::new(config.faults.clone(), fault_seed);
        let (stop, _) = tokio::sync::watch::channel(false);
        let app = Arc::new(App {
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            faults: Mutex::new(faults),
            today_fixed,
            state: Mutex::new(state),
            attempts: Mutex::new(VecDeque::new()),
            pending_deliveries: AtomicUsize::new(0),
            log_lines: Mutex::new(VecDeque::new()),
            stop,
            config,
        });
        app.persist(&app.lock())?;
        Ok(app)
    }

    pub(crate) fn today(&self) -> Date {
        crate::dates::today(self.today_fixed)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn rng(&self) -> MutexGuard<'_, fastrand::Rng> {
        self.rng.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn set_faults(&self, f: FaultConfig) {
        let seed = f.seed.unwrap_or(self.config.seed);
        *self.faults.lock().unwrap_or_else(|p| p.into_inner()) = Faults::new(f, seed);
    }

    pub(crate) fn fault_config(&self) -> FaultConfig {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .config()
            .clone()
    }

    pub(crate) fn record_attempt(&self, a: DeliveryAttempt) {
        let mut q = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if q.len() >= MAX_RECORDED_ATTEMPTS {
            q.pop_front();
        }
        q.push_back(a);
    }

    pub(crate) fn attempts(&self) -> Vec<DeliveryAttempt> {
        self.attempts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Write the state file (if configured): a temporary file renamed over the old one.
    pub(crate) fn persist(&self, state: &State) -> Result<(), SandboxError> {
        let Some(path) = &self.config.state_file else {
            return Ok(());
        };
        let bytes = serde_json::to_vec(state)
            .map_err(|e| SandboxError::State(format!("cannot encode state: {e}")))?;
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = std::path::PathBuf::from(tmp);
        std::fs::write(&tmp, &bytes)
            .and_then(|_| std::fs::rename(&tmp, path))
            .map_err(|e| SandboxError::State(format!("cannot write {}: {e}", path.display())))
    }

    /// Lock the state for a request that may change it. With a state file configured, a copy
    /// of the state is kept so that a failed [`Txn::commit`] can put everything back.
    pub(crate) fn begin(&self) -> Txn<'_> {
        let state = self.lock();
        let before = self.config.state_file.as_ref().map(|_| state.clone());
        Txn {
            app: self,
            state,
            before,
        }
    }

    /// Register a partner's handler URL (loopback only) and keep it.
    pub(crate) fn set_handler(&self, code: &str, url: &str) -> Result<(), SandboxError> {
        if !self.config.govpsfx.partners.iter().any(|p| p.code == code) {
            return Err(SandboxError::UnknownPartner(code.to_string()));
        }
        check_loopback_url(url).map_err(SandboxError::Config)?;
        let mut txn = self.begin();
        txn.handler_urls.insert(code.to_string(), url.to_string());
        txn.commit()
    }

    /// Log one line to stderr and keep it (the latest 1000) when logging is on. Callers
    /// never pass a password, API key, hash or server password.
    pub(crate) fn log(&self, line: std::fmt::Arguments<'_>) {
        if self.config.log {
            let line = line.to_string();
            eprintln!("sandbox: {line}");
            let mut q = self.log_lines.lock().unwrap_or_else(|p| p.into_inner());
            if q.len() >= MAX_RECORDED_ATTEMPTS {
                q.pop_front();
            }
            q.push_back(line);
        }
    }
}

/// The state locked by one request (see [`App::begin`]). Changes made through it are kept
/// in memory until [`Txn::commit`]; a commit whose write fails undoes them all.
pub(crate) struct Txn<'a> {
    app: &'a App,
    state: MutexGuard<'a, State>,
    /// The state as it was when locked; `None` without a state file (nothing can fail then).
    before: Option<State>,
}

impl Txn<'_> {
    /// Write the state file. On failure the error is logged and the state is restored to
    /// what it was when [`App::begin`] locked it, so the failed request changed nothing.
    pub(crate) fn commit(mut self) -> Result<(), SandboxError> {
        let r = self.app.persist(&self.state);
        if let Err(e) = &r {
            self.app.log(format_args!("{e}"));
            if let Some(before) = self.before.take() {
                *self.state = before;
            }
        }
        r
    }
}

impl std::ops::Deref for Txn<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.state
    }
}

impl std::ops::DerefMut for Txn<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.state
    }
}

fn load_state(path: &Path) -> Result<State, SandboxError> {
    let bytes = std::fs::read(path)
        .map_err(|e| SandboxError::State(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        SandboxError::State(format!(
            "{}: not a sandbox state file (line {}, column {}): {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}
