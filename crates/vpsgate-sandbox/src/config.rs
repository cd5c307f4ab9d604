//! Sandbox configuration, read from TOML, with a built-in default.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::SandboxError;
use crate::handler_url::check_loopback_url;

/// The tariff types the gateway knows.
pub(crate) const VIDS: [&str; 3] = ["hosting", "vds", "dedicated"];

/// Everything the sandbox serves: accounts, tariffs, partners, faults.
///
/// Every field has a default, so a TOML file only names what it changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// Loopback port to listen on; 0 picks a free one.
    pub port: u16,
    /// Log one line per request to stderr (secrets redacted).
    pub log: bool,
    /// Keep the mutable state (balances, orders, servers, handler URLs) in this SQLite
    /// database: each request that changes something writes the rows it changed in one
    /// transaction before it answers, so a crash (even SIGKILL) loses nothing that was
    /// answered. Created with mode 0600 (owner only: it holds server passwords); an existing
    /// file with a wider mode is narrowed to 0600 at start-up. A file that is not a sandbox
    /// state file, or is damaged, stops the start-up with an error. The JSON files of
    /// earlier versions are not read.
    pub state_file: Option<PathBuf>,
    /// Fixed "today" (`YYYY-MM-DD`) instead of the system clock, for reproducible dates.
    pub today: Option<String>,
    /// Seed for generated server logins and passwords (and faults, unless they have their own).
    pub seed: u64,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Deadline for reading a request's headers, and (separately) its whole body, in
    /// milliseconds; a client trickling bytes slower is cut off (default 10 000).
    pub read_timeout_ms: u64,
    /// Connections served at once; further ones wait in the listen backlog (default 512).
    pub max_connections: usize,
    /// Most orders (all accounts) plus leased servers kept; beyond it `createOrder` answers
    /// error 2 and a lease answers 500.
    pub max_records: usize,
    /// The Friendhosting / RootPanel gateway.
    pub friendhosting: FriendhostingConfig,
    /// The GoVPSFX partner API.
    pub govpsfx: GovpsfxConfig,
    /// Fault injection, off by default.
    pub faults: FaultConfig,
}

/// The gateway's accounts and tariff catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FriendhostingConfig {
    /// Currency code of the tariff prices.
    pub currency: String,
    /// Billing accounts.
    pub accounts: Vec<AccountConfig>,
    /// The tariff catalog (all types).
    pub tariffs: Vec<TariffConfig>,
    /// Order types that support `restartOrder`.
    pub restart_types: Vec<String>,
    /// Order types that support `reinstallOrder`.
    pub reinstall_types: Vec<String>,
    /// Answer `tarifs` and `orders` as PHP arrays keyed by id instead of lists.
    pub lists_keyed_by_id: bool,
    /// First order id handed out.
    pub first_order_id: u64,
    /// Language of `errorMsg` texts: `en` (the document's wording, the default) or `ru`.
    pub language: crate::messages::Language,
    /// Send `errorCode` as a JSON/PHP integer instead of a string (`"5"`, the default, as
    /// the public client's fixtures show it).
    pub error_code_as_number: bool,
}

/// One billing account.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountConfig {
    /// Login.
    pub login: String,
    /// Password (`pass`), if password access is possible.
    pub password: Option<String>,
    /// API key (`apikey`), if key access is possible.
    pub apikey: Option<String>,
    /// API access enabled (else error 5).
    pub api_access: bool,
    /// Client IPs allowed to use the API; empty allows any (else error 54).
    pub allowed_ips: Vec<String>,
    /// Opening balance.
    pub balance: Decimal,
    /// Account currency.
    pub currency: String,
    /// Test access: answers like a real account, but charges nothing (cost `0.00`) and keeps
    /// nothing (created orders and state changes are not stored).
    pub test_mode: bool,
    /// Orders the account starts with.
    pub orders: Vec<OrderSeed>,
}

impl std::fmt::Debug for AccountConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountConfig")
            .field("login", &self.login)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("apikey", &self.apikey.as_ref().map(|_| "[redacted]"))
            .field("api_access", &self.api_access)
            .field("allowed_ips", &self.allowed_ips)
            .field("balance", &self.balance)
            .field("currency", &self.currency)
            .field("test_mode", &self.test_mode)
            .field("orders", &self.orders.len())
            .finish()
    }
}

impl Default for AccountConfig {
    fn default() -> Self {
        AccountConfig {
            login: String::new(),
            password: None,
            apikey: None,
            api_access: true,
            allowed_ips: Vec::new(),
            balance: Decimal::ZERO,
            currency: "USD".into(),
            test_mode: false,
            orders: Vec::new(),
        }
    }
}

/// An order an account starts with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrderSeed {
    /// Order id; 0 takes the next free one.
    pub orderid: u64,
    /// Tariff id (must exist in the catalog).
    pub tarifid: String,
    /// Domain name.
    pub domain: String,
    /// 0, 1 or 3 (see the document).
    pub domain_reg: u8,
    /// `YYYY-MM-DD`; empty means today.
    pub orderdate: String,
    /// `YYYY-MM-DD`; empty means the order date.
    pub startdate: String,
    /// `YYYY-MM-DD` the order is paid until; empty means a month after the start.
    pub todate: String,
    /// 0 not processed, 1 processed, 2 suspended, 3 being processed.
    pub status: u8,
    /// An unpaid bill is open for the order (error 20 on renew/suspend/unsuspend).
    pub unpaid: bool,
}

impl Default for OrderSeed {
    fn default() -> Self {
        OrderSeed {
            orderid: 0,
            tarifid: String::new(),
            domain: String::new(),
            domain_reg: 0,
            orderdate: String::new(),
            startdate: String::new(),
            todate: String::new(),
            status: 1,
            unpaid: false,
        }
    }
}

/// One tariff plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TariffConfig {
    /// Tariff id.
    pub id: String,
    /// `hosting`, `vds` or `dedicated`.
    pub vid: String,
    /// Display name.
    pub name: String,
    /// Monthly price.
    pub cost_monthly: Decimal,
    /// One-off setup price.
    pub cost_setup: Decimal,
    /// May be ordered without a domain.
    pub allow_without_domain: bool,
    /// New orders are placed but processed manually (non-critical error 30).
    pub manual_processing: bool,
    /// Order periods.
    pub months: Vec<PeriodConfig>,
    /// Add-ons.
    pub addons: Vec<AddonConfig>,
}

impl Default for TariffConfig {
    fn default() -> Self {
        TariffConfig {
            id: String::new(),
            vid: "hosting".into(),
            name: String::new(),
            cost_monthly: Decimal::ZERO,
            cost_setup: Decimal::ZERO,
            allow_without_domain: false,
            manual_processing: false,
            months: Vec::new(),
            addons: Vec::new(),
        }
    }
}

/// An order period of a tariff.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeriodConfig {
    /// Months.
    pub months: u32,
    /// Discount as a fraction of the monthly price (`0.1` = 10 % off).
    pub discount: Decimal,
    /// Usable for new orders.
    pub allow_for_new_order: bool,
    /// Usable for renewals.
    pub allow_for_renew: bool,
}

impl Default for PeriodConfig {
    fn default() -> Self {
        PeriodConfig {
            months: 1,
            discount: Decimal::ZERO,
            allow_for_new_order: true,
            allow_for_renew: true,
        }
    }
}

/// An add-on of a tariff.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AddonConfig {
    /// Add-on id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Monthly price.
    pub cost_monthly: Decimal,
    /// One-off setup price.
    pub cost_setup: Decimal,
}

/// The GoVPSFX side: partners and deferred delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GovpsfxConfig {
    /// Partners.
    pub partners: Vec<PartnerConfig>,
    /// Wait before a deferred delivery's first attempt, in milliseconds.
    pub delivery_delay_ms: u64,
    /// Attempts per deferred delivery (at least 1).
    pub max_delivery_attempts: u32,
    /// Backoff before the second attempt, doubled for each later one, in milliseconds.
    pub retry_backoff_ms: u64,
    /// Deliveries waiting at once; a deferred lease beyond it answers 500.
    pub max_pending_deliveries: usize,
    /// Leased servers' IP addresses are `<ip_prefix><n>`.
    pub ip_prefix: String,
    /// First number of generated server ids (`ID<n>`).
    pub first_server_id: u64,
}

impl Default for GovpsfxConfig {
    fn default() -> Self {
        GovpsfxConfig {
            partners: Vec::new(),
            delivery_delay_ms: 1000,
            max_delivery_attempts: 5,
            retry_backoff_ms: 500,
            max_pending_deliveries: 1000,
            ip_prefix: "203.0.113.".into(),
            first_server_id: 20001,
        }
    }
}

/// How a lease answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// 200 with the server details.
    #[default]
    Immediate,
    /// 202 now; the details are POSTed to the partner's handler later.
    Deferred,
}

/// One GoVPSFX partner.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartnerConfig {
    /// `partner_code`.
    pub code: String,
    /// The md5 secret (API password).
    pub secret: String,
    /// Default delivery for the partner's rates.
    pub delivery: Delivery,
    /// Loopback URL deferred deliveries are POSTed to.
    pub handler_url: Option<String>,
    /// The partner's rates.
    pub rates: Vec<RateConfig>,
}

impl std::fmt::Debug for PartnerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerConfig")
            .field("code", &self.code)
            .field("secret", &"[redacted]")
            .field("delivery", &self.delivery)
            .field("handler_url", &self.handler_url)
            .field("rates", &self.rates)
            .finish()
    }
}

/// One rate of a partner.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateConfig {
    /// Rate name, e.g. `singapore`.
    pub name: String,
    /// Overrides the partner's delivery mode.
    pub delivery: Option<Delivery>,
}

/// Fault injection on the two API surfaces (never on `/_sandbox/`).
///
/// Each request draws once: `drop_rate`, then `error_rate`, `truncate_rate`, `html_rate` are
/// tried in that order, so their sum should stay at or below 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Seed of the fault draws (falls back to the sandbox seed).
    pub seed: Option<u64>,
    /// Delay added before every answer, in milliseconds. The command runs first (its state change
    /// is kept even if the client gives up waiting), as at a slow upstream; a request that also
    /// draws another fault waits before it.
    pub latency_ms: u64,
    /// Share of requests answered with a bare HTTP 500.
    pub error_rate: f64,
    /// Share of connections closed without an answer.
    pub drop_rate: f64,
    /// Share of answers cut in half (the declared length stays the full one).
    pub truncate_rate: f64,
    /// Share of answers replaced by an HTML error page with status 200.
    pub html_rate: f64,
}

impl Default for SandboxConfig {
    /// The built-in catalog: test account `test`/`test` (test mode), a funded `demo` account
    /// (password `demo`, API key `demo-key`, 100.00 USD), hosting and vds tariffs (no dedicated
    /// ones), and GoVPSFX partner `14321` with the document's secret `sdsd4223dsd`.
    fn default() -> Self {
        let d = |s: &str| s.parse::<Decimal>().expect("literal decimal");
        let period = |months, discount: &str, new, renew| PeriodConfig {
            months,
            discount: d(discount),
            allow_for_new_order: new,
            allow_for_renew: renew,
        };
        let tariffs = vec![
            TariffConfig {
                id: "101".into(),
                vid: "hosting".into(),
                name: "Hosting Start".into(),
                cost_monthly: d("2.50"),
                cost_setup: d("0"),
                allow_without_domain: false,
                manual_processing: false,
                months: vec![
                    period(1, "0", true, true),
                    period(3, "0.05", true, true),
                    period(12, "0.15", true, true),
                ],
                addons: vec![AddonConfig {
                    id: "1".into(),
                    name: "Extra mailbox pack".into(),
                    cost_monthly: d("0.50"),
                    cost_setup: d("0"),
                }],
            },
            TariffConfig {
                id: "102".into(),
                vid: "hosting".into(),
                name: "Hosting Business (manual setup)".into(),
                cost_monthly: d("7.00"),
                cost_setup: d("5.00"),
                allow_without_domain: false,
                manual_processing: true,
                months: vec![period(1, "0", true, true), period(12, "0.1", true, true)],
                addons: vec![],
            },
            TariffConfig {
                id: "201".into(),
                vid: "vds".into(),
                name: "VDS-1".into(),
                cost_monthly: d("4.99"),
                cost_setup: d("0"),
                allow_without_domain: true,
                manual_processing: false,
                months: vec![
                    period(1, "0", true, true),
                    period(3, "0.03", true, true),
                    period(6, "0.05", true, true),
                    period(12, "0.1", true, true),
                    period(24, "0.2", false, true),
                ],
                addons: vec![
                    AddonConfig {
                        id: "11".into(),
                        name: "Extra IPv4".into(),
                        cost_monthly: d("1.50"),
                        cost_setup: d("1.00"),
                    },
                    AddonConfig {
                        id: "12".into(),
                        name: "Backup 10 GB".into(),
                        cost_monthly: d("1.00"),
                        cost_setup: d("0"),
                    },
                ],
            },
            TariffConfig {
                id: "202".into(),
                vid: "vds".into(),
                name: "VDS-4".into(),
                cost_monthly: d("19.99"),
                cost_setup: d("10.00"),
                allow_without_domain: true,
                manual_processing: false,
                months: vec![period(1, "0", true, true), period(12, "0.1", true, true)],
                addons: vec![],
            },
        ];
        SandboxConfig {
            port: 0,
            log: false,
            state_file: None,
            today: None,
            seed: 1,
            max_body_bytes: 64 * 1024,
            read_timeout_ms: 10_000,
            max_connections: 512,
            max_records: 1_000_000,
            friendhosting: FriendhostingConfig {
                currency: "USD".into(),
                accounts: vec![
                    AccountConfig {
                        login: "test".into(),
                        password: Some("test".into()),
                        test_mode: true,
                        ..AccountConfig::default()
                    },
                    AccountConfig {
                        login: "demo".into(),
                        password: Some("demo".into()),
                        apikey: Some("demo-key".into()),
                        balance: d("100.00"),
                        ..AccountConfig::default()
                    },
                ],
                tariffs,
                restart_types: vec!["vds".into(), "dedicated".into()],
                reinstall_types: vec!["vds".into()],
                lists_keyed_by_id: false,
                first_order_id: 100001,
                language: Default::default(),
                error_code_as_number: false,
            },
            govpsfx: GovpsfxConfig {
                partners: vec![PartnerConfig {
                    code: "14321".into(),
                    secret: "sdsd4223dsd".into(),
                    delivery: Delivery::Immediate,
                    handler_url: None,
                    rates: vec![
                        RateConfig {
                            name: "singapore".into(),
                            delivery: None,
                        },
                        RateConfig {
                            name: "france_classic".into(),
                            delivery: None,
                        },
                        RateConfig {
                            name: "france_mini".into(),
                            delivery: Some(Delivery::Deferred),
                        },
                    ],
                }],
                ..GovpsfxConfig::default()
            },
            faults: FaultConfig::default(),
        }
    }
}

impl Default for FriendhostingConfig {
    fn default() -> Self {
        FriendhostingConfig {
            currency: "USD".into(),
            accounts: Vec::new(),
            tariffs: Vec::new(),
            restart_types: vec!["vds".into(), "dedicated".into()],
            reinstall_types: vec!["vds".into()],
            lists_keyed_by_id: false,
            first_order_id: 100001,
            language: Default::default(),
            error_code_as_number: false,
        }
    }
}

/// Largest accepted `faults.latency_ms` (one minute).
pub const MAX_LATENCY_MS: u64 = 60_000;

impl SandboxConfig {
    /// Parse a TOML document. Sections it leaves out are empty (not the built-in catalog).
    pub fn from_toml_str(text: &str) -> Result<Self, SandboxError> {
        let config: SandboxConfig =
            toml::from_str(text).map_err(|e| SandboxError::Config(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Read and parse a TOML file.
    pub fn from_file(path: &Path) -> Result<Self, SandboxError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| SandboxError::Config(format!("cannot read {}: {e}", path.display())))?;
        Self::from_toml_str(&text)
    }

    /// Check cross-references (tariff ids of seeded orders, vids, rates, dates).
    pub fn validate(&self) -> Result<(), SandboxError> {
        let bad = |m: String| Err(SandboxError::Config(m));
        if let Some(t) = &self.today {
            if crate::dates::parse_ymd(t).is_none() {
                return bad(format!("today: {t:?} is not YYYY-MM-DD"));
            }
        }
        for t in &self.friendhosting.tariffs {
            if !VIDS.contains(&t.vid.as_str()) {
                return bad(format!(
                    "friendhosting.tariffs id {}: vid {:?} is not hosting, vds or dedicated",
                    t.id, t.vid
                ));
            }
        }
        if self.read_timeout_ms == 0 || self.read_timeout_ms > MAX_LATENCY_MS {
            return bad(format!(
                "read_timeout_ms: {} is not between 1 and {MAX_LATENCY_MS}",
                self.read_timeout_ms
            ));
        }
        if self.max_connections == 0 {
            return bad("max_connections: must be at least 1".into());
        }
        if self.faults.latency_ms > MAX_LATENCY_MS {
            return bad(format!(
                "faults.latency_ms: {} is above the cap of {MAX_LATENCY_MS} ms",
                self.faults.latency_ms
            ));
        }
        for a in &self.friendhosting.accounts {
            if a.balance.is_sign_negative() && !a.balance.is_zero() {
                return bad(format!(
                    "account {}: balance {} is negative",
                    a.login, a.balance
                ));
            }
            for o in &a.orders {
                if !self.friendhosting.tariffs.iter().any(|t| t.id == o.tarifid) {
                    return bad(format!(
                        "account {}: seeded order uses unknown tarifid {:?}",
                        a.login, o.tarifid
                    ));
                }
                for (name, v) in [
                    ("orderdate", &o.orderdate),
                    ("startdate", &o.startdate),
                    ("todate", &o.todate),
                ] {
                    if !v.is_empty() && crate::dates::parse_ymd(v).is_none() {
                        return bad(format!(
                            "account {}: seeded order {name} {v:?} is not YYYY-MM-DD",
                            a.login
                        ));
                    }
                }
            }
        }
        for p in &self.govpsfx.partners {
            if let Some(u) = &p.handler_url {
                check_loopback_url(u).map_err(|e| {
                    SandboxError::Config(format!("partner {} handler_url: {e}", p.code))
                })?;
            }
        }
        for (name, r) in [
            ("error_rate", self.faults.error_rate),
            ("drop_rate", self.faults.drop_rate),
            ("truncate_rate", self.faults.truncate_rate),
            ("html_rate", self.faults.html_rate),
        ] {
            // NaN is not contained in the range either, so it is refused too.
            if !(0.0..=1.0).contains(&r) {
                return bad(format!("faults.{name}: {r} is not between 0 and 1"));
            }
        }
        Ok(())
    }
}
