//! The records a restart must not lose (orders, balances, leased servers, counters) and the
//! state a fresh sandbox starts from: plain data, kept on disk by `store`, shared and mutated
//! under one lock by `state`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::config::{AccountConfig, SandboxConfig};

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
        let accounts = config
            .friendhosting
            .accounts
            .iter()
            .map(|a| (a.login.clone(), seed_account(config, a, &mut next, today)))
            .collect();
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

/// The seeded state of one configured account. Orders without an id in the config take
/// `*next` and onwards; `*next` ends past every id used.
pub(crate) fn seed_account(
    config: &SandboxConfig,
    a: &AccountConfig,
    next: &mut u64,
    today: Date,
) -> AccountState {
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
            *next += 1;
            *next - 1
        } else {
            o.orderid
        };
        *next = (*next).max(id + 1);
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
    AccountState {
        balance: a.balance,
        orders,
    }
}
