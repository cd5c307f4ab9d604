//! The sandbox's shared state: what mutates, how it is kept on disk.

use std::collections::VecDeque;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use crate::config::{FaultConfig, SandboxConfig};
use crate::error::SandboxError;
use crate::faults::Faults;
use crate::handler_url::check_loopback_url;
use crate::model::{seed_account, Order, Server, State};
use crate::store::{Key, Store};

/// Most delivery attempts remembered (older ones are forgotten first).
pub(crate) const MAX_RECORDED_ATTEMPTS: usize = 1000;

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
    /// The state file, when configured. Locked only while the state is locked.
    store: Mutex<Option<Store>>,
    /// Faults injected so far: drop, 500, truncate, HTML (see `GET /_sandbox/stats`).
    pub fault_counts: [std::sync::atomic::AtomicU64; 4],
    /// Connections accepted so far (see `GET /_sandbox/stats`): with the requests logged, it
    /// shows whether clients keep connections alive.
    pub connections: std::sync::atomic::AtomicU64,
}

/// Seed the accounts of `config` that `loaded` (a state file) does not have yet, their orders
/// numbered on from the file's counter (ids from `first_order_id` may have been given out
/// since); the records written are returned. A configured `orderid` already in the file is an
/// error naming the account and the id.
fn add_new_accounts(
    loaded: &mut State,
    config: &SandboxConfig,
    today: Date,
    path: &std::path::Path,
) -> Result<Vec<Key>, SandboxError> {
    let taken: std::collections::BTreeSet<u64> = loaded
        .accounts
        .values()
        .flat_map(|a| a.orders.keys().copied())
        .collect();
    let mut added = Vec::new();
    for a in &config.friendhosting.accounts {
        if loaded.accounts.contains_key(&a.login) {
            continue;
        }
        if let Some(o) = a.orders.iter().find(|o| taken.contains(&o.orderid)) {
            return Err(SandboxError::Config(format!(
                "account {}: seeded orderid {} is already an order in the state file {} (leave \
                 orderid out to number it on)",
                a.login,
                o.orderid,
                path.display()
            )));
        }
        let acc = seed_account(config, a, &mut loaded.next_order_id, today);
        added.push(Key::Account(a.login.clone()));
        added.extend(acc.orders.keys().map(|id| Key::Order(a.login.clone(), *id)));
        loaded.accounts.insert(a.login.clone(), acc);
    }
    Ok(added)
}

impl App {
    /// Build the app, loading the state file when it exists. A state file that is not one,
    /// or is damaged, is an error here, before anything is served.
    pub(crate) fn new(config: SandboxConfig) -> Result<Arc<App>, SandboxError> {
        config.validate()?;
        let today_fixed = config.today.as_deref().and_then(crate::dates::parse_ymd);
        let today = crate::dates::today(today_fixed);
        let (store, state) = match &config.state_file {
            Some(path) => {
                let (mut store, loaded) = Store::open(path)?;
                let state = match loaded {
                    Some(mut loaded) => {
                        let mut added = add_new_accounts(&mut loaded, &config, today, path)?;
                        added.push(Key::Counters);
                        store.write(&loaded, &added)?;
                        loaded
                    }
                    None => {
                        let fresh = State::seed(&config, today);
                        store.write_all(&fresh)?;
                        fresh
                    }
                };
                (Some(store), state)
            }
            None => (None, State::seed(&config, today)),
        };
        let fault_seed = config.faults.seed.unwrap_or(config.seed);
        let faults = Faults::new(config.faults.clone(), fault_seed);
        let (stop, _) = tokio::sync::watch::channel(false);
        Ok(Arc::new(App {
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            faults: Mutex::new(faults),
            today_fixed,
            state: Mutex::new(state),
            attempts: Mutex::new(VecDeque::new()),
            pending_deliveries: AtomicUsize::new(0),
            log_lines: Mutex::new(VecDeque::new()),
            stop,
            store: Mutex::new(store),
            fault_counts: Default::default(),
            connections: Default::default(),
            config,
        }))
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

    /// Lock the state for a request that may change it. What it changes is named with the
    /// `touch_*` methods before the change, and written by [`Txn::commit`].
    pub(crate) fn begin(&self) -> Txn<'_> {
        Txn {
            app: self,
            state: self.lock(),
            undo: Vec::new(),
        }
    }

    /// Register a partner's handler URL (loopback only) and keep it.
    pub(crate) fn set_handler(&self, code: &str, url: &str) -> Result<(), SandboxError> {
        if !self.config.govpsfx.partners.iter().any(|p| p.code == code) {
            return Err(SandboxError::UnknownPartner(code.to_string()));
        }
        check_loopback_url(url).map_err(SandboxError::Config)?;
        let mut txn = self.begin();
        txn.touch_handler(code);
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

/// The state locked by one request (see [`App::begin`]). Each row about to change is named
/// first (`touch_*`), which keeps its old value; [`Txn::commit`] writes only those rows, in one
/// database transaction, so its cost does not grow with the number of orders. A commit whose
/// write fails puts the old values back.
pub(crate) struct Txn<'a> {
    app: &'a App,
    state: MutexGuard<'a, State>,
    undo: Vec<Undo>,
}

/// A row's value before the request changed it.
enum Undo {
    Counters(u64, u64),
    Balance(String, Option<Decimal>),
    Order(String, u64, Option<Order>),
    Server(String, Option<Server>),
    Handler(String, Option<String>),
}

impl Undo {
    fn key(&self) -> Key {
        match self {
            Undo::Counters(..) => Key::Counters,
            Undo::Balance(l, _) => Key::Account(l.clone()),
            Undo::Order(l, id, _) => Key::Order(l.clone(), *id),
            Undo::Server(id, _) => Key::Server(id.clone()),
            Undo::Handler(c, _) => Key::Handler(c.clone()),
        }
    }

    fn restore(self, state: &mut State) {
        match self {
            Undo::Counters(o, s) => {
                state.next_order_id = o;
                state.next_server_id = s;
            }
            Undo::Balance(login, b) => match b {
                Some(b) => {
                    if let Some(a) = state.accounts.get_mut(&login) {
                        a.balance = b;
                    }
                }
                None => {
                    state.accounts.remove(&login);
                }
            },
            Undo::Order(login, id, o) => {
                if let Some(a) = state.accounts.get_mut(&login) {
                    match o {
                        Some(o) => a.orders.insert(id, o),
                        None => a.orders.remove(&id),
                    };
                }
            }
            Undo::Server(id, s) => {
                match s {
                    Some(s) => state.servers.insert(id, s),
                    None => state.servers.remove(&id),
                };
            }
            Undo::Handler(code, u) => {
                match u {
                    Some(u) => state.handler_urls.insert(code, u),
                    None => state.handler_urls.remove(&code),
                };
            }
        }
    }
}

impl Txn<'_> {
    /// The id counters are about to change.
    pub(crate) fn touch_counters(&mut self) {
        self.undo.push(Undo::Counters(
            self.state.next_order_id,
            self.state.next_server_id,
        ));
    }

    /// An account's balance is about to change.
    pub(crate) fn touch_account(&mut self, login: &str) {
        let b = self.state.accounts.get(login).map(|a| a.balance);
        self.undo.push(Undo::Balance(login.to_string(), b));
    }

    /// An order is about to be placed or changed.
    pub(crate) fn touch_order(&mut self, login: &str, id: u64) {
        let o = self
            .state
            .accounts
            .get(login)
            .and_then(|a| a.orders.get(&id))
            .cloned();
        self.undo.push(Undo::Order(login.to_string(), id, o));
    }

    /// A server is about to be leased or changed.
    pub(crate) fn touch_server(&mut self, id: &str) {
        let s = self.state.servers.get(id).cloned();
        self.undo.push(Undo::Server(id.to_string(), s));
    }

    /// A handler URL is about to be set.
    pub(crate) fn touch_handler(&mut self, code: &str) {
        let u = self.state.handler_urls.get(code).cloned();
        self.undo.push(Undo::Handler(code.to_string(), u));
    }

    /// Forget the touched rows: the request changed nothing after all.
    pub(crate) fn discard(mut self) {
        self.undo.clear();
    }

    /// Write the touched rows to the state file (if configured). On failure the error is
    /// logged and every touched row gets its old value back, so the request changed nothing.
    pub(crate) fn commit(mut self) -> Result<(), SandboxError> {
        let undo = std::mem::take(&mut self.undo);
        if undo.is_empty() {
            return Ok(());
        }
        let mut store = self.app.store.lock().unwrap_or_else(|p| p.into_inner());
        let Some(store) = store.as_mut() else {
            return Ok(());
        };
        let keys: Vec<Key> = undo.iter().map(Undo::key).collect();
        let r = store.write(&self.state, &keys);
        if let Err(e) = &r {
            self.app.log(format_args!("{e}"));
            for u in undo.into_iter().rev() {
                u.restore(&mut self.state);
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
