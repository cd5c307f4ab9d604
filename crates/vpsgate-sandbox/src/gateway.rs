//! The Friendhosting / RootPanel HTTP gateway (`apih.php`).
//!
//! Answers are shaped like the PHP backend's: `status`, values read from the database as
//! strings (`"100.00"`, `"1"`), `errorCode` as a string (`"5"`, as the public client's
//! fixtures show; an integer with `error_code_as_number`) with `errorMsg` in the configured
//! language.

use std::collections::HashMap;
use std::net::IpAddr;

use rust_decimal::{Decimal, RoundingStrategy};
use vpsgate::friendhosting::GatewayCode;

use crate::answer::{Assoc, Val};
use crate::config::{AccountConfig, TariffConfig, VIDS};
use crate::dates;
use crate::model::{AccountState, Order, State};
use crate::state::App;

/// Request fields, after PHP's `$_REQUEST` merge (the body overrides the query string).
pub(crate) type Fields = HashMap<String, String>;

/// A gateway answer and what to log about it.
pub(crate) struct Outcome {
    pub answer: Assoc,
    pub json: bool,
    pub command: String,
    pub login: String,
}

struct Fail(GatewayCode, String);

fn fail<T>(code: GatewayCode, detail: impl Into<String>) -> Result<T, Fail> {
    Err(Fail(code, detail.into()))
}

/// A required field: present and at least one character long.
fn field<'a>(f: &'a Fields, name: &str) -> Option<&'a str> {
    f.get(name).map(String::as_str).filter(|v| !v.is_empty())
}

fn money(d: Decimal) -> String {
    format!(
        "{:.2}",
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    )
}

fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// Run one gateway request.
pub(crate) fn handle(app: &App, fields: &Fields, client_ip: IpAddr) -> Outcome {
    let json = fields.get("json").map(String::as_str) == Some("1");
    let command = fields.get("command").cloned().unwrap_or_default();
    let login = fields.get("login").cloned().unwrap_or_default();
    let answer = match run(app, fields, &command, client_ip) {
        Ok(a) => a,
        Err(Fail(code, detail)) => {
            // A PHP answer goes out as `text/html` (PHP's default): the detail, which may
            // quote request input, is HTML-escaped there so no page can be injected.
            let detail = if json { detail } else { html_escape(&detail) };
            let text = app
                .config
                .friendhosting
                .language
                .text(code.number(), code.description());
            let msg = if detail.is_empty() {
                text.to_string()
            } else {
                format!("{text}: {detail}")
            };
            Assoc::new()
                .s("status", "ERROR")
                .v("errorCode", error_code(app, code.number()))
                .s("errorMsg", msg)
        }
    };
    Outcome {
        answer,
        json,
        command,
        login,
    }
}

/// `errorCode` as the configuration asks: a string by default, else an integer.
fn error_code(app: &App, n: i64) -> Val {
    if app.config.friendhosting.error_code_as_number {
        Val::Int(n)
    } else {
        Val::Str(n.to_string())
    }
}

/// `errorCode` and `errorMsg` of a non-critical code.
fn warn(app: &App, a: Assoc, w: vpsgate::friendhosting::WarningCode) -> Assoc {
    let text = app
        .config
        .friendhosting
        .language
        .text(w.number(), w.description());
    a.v("errorCode", error_code(app, w.number()))
        .s("errorMsg", text)
}

/// `htmlspecialchars()` with `ENT_QUOTES`: `& < > " '` as entities.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

fn authenticate<'c>(
    app: &'c App,
    fields: &Fields,
    client_ip: IpAddr,
) -> Result<&'c AccountConfig, Fail> {
    let Some(login) = field(fields, "login") else {
        return fail(GatewayCode::LoginMissing, "");
    };
    let pass = field(fields, "pass");
    let apikey = field(fields, "apikey");
    if pass.is_some() && apikey.is_some() {
        return fail(GatewayCode::PasswordAndApiKey, "");
    }
    if pass.is_none() && apikey.is_none() {
        return fail(GatewayCode::SecretMissing, "");
    }
    let Some(account) = app
        .config
        .friendhosting
        .accounts
        .iter()
        .find(|a| a.login == login)
    else {
        return fail(GatewayCode::UserNotFound, "");
    };
    if !account.api_access {
        return fail(GatewayCode::ApiAccessDenied, "");
    }
    if !account.allowed_ips.is_empty()
        && !account
            .allowed_ips
            .iter()
            .any(|ip| ip.parse::<IpAddr>().ok() == Some(client_ip))
    {
        return fail(GatewayCode::IpNotAllowed, client_ip.to_string());
    }
    let ok = match (pass, apikey) {
        (Some(p), _) => account.password.as_deref() == Some(p),
        (_, Some(k)) => account.apikey.as_deref() == Some(k),
        _ => false,
    };
    if !ok {
        return fail(GatewayCode::SecretWrong, "");
    }
    Ok(account)
}

fn run(app: &App, fields: &Fields, command: &str, ip: IpAddr) -> Result<Assoc, Fail> {
    let account = authenticate(app, fields, ip)?;
    match command {
        "getBalance" => get_balance(app, account),
        "getTarifs" => get_tarifs(app, fields),
        "createOrder" => create_order(app, account, fields),
        "renewOrder" => renew_order(app, account, fields),
        "suspendOrder" => set_suspended(app, account, fields, true),
        "unSuspendOrder" => set_suspended(app, account, fields, false),
        "restartOrder" => server_action(app, account, fields, Action::Restart),
        "reinstallOrder" => server_action(app, account, fields, Action::Reinstall),
        "getOrders" => get_orders(app, account, fields),
        "" => fail(GatewayCode::UnknownCommand, "no command"),
        other => fail(GatewayCode::UnknownCommand, format!("{other:?}")),
    }
}

/// Run `f` on the account's state. `target` is the order the command may change (`None`
/// for a new order, which gets the next free id). A test-mode account works on a copy that is
/// thrown away, so nothing it does is kept except the ids it used: a later real order never
/// gets an id the test account already answered with. Otherwise, when `f` reports a change,
/// the account's balance, the order and the id counters are written to the state file, and if
/// that fails the whole change is undone and the answer is error 2.
fn with_account<T>(
    app: &App,
    account: &AccountConfig,
    target: Option<u64>,
    f: impl FnOnce(&mut State, &mut AccountState) -> Result<(T, bool), Fail>,
) -> Result<T, Fail> {
    let mut state = app.begin();
    let login = account.login.as_str();
    if account.test_mode {
        let copy = state.accounts.get(login).cloned();
        let mut copy = copy.unwrap_or_else(|| AccountState {
            balance: account.balance,
            orders: Default::default(),
        });
        let mut scratch = State {
            next_order_id: state.next_order_id,
            next_server_id: state.next_server_id,
            accounts: Default::default(),
            servers: Default::default(),
            handler_urls: Default::default(),
        };
        let r = f(&mut scratch, &mut copy);
        if scratch.next_order_id > state.next_order_id {
            state.touch_counters();
            state.next_order_id = scratch.next_order_id;
            if state.commit().is_err() {
                return fail(GatewayCode::DatabaseSave, "");
            }
        }
        return r.map(|(t, _)| t);
    }
    let order = target.unwrap_or(state.next_order_id);
    state.touch_counters();
    state.touch_account(login);
    state.touch_order(login, order);
    let mut acc = state
        .accounts
        .remove(login)
        .unwrap_or_else(|| AccountState {
            balance: account.balance,
            orders: Default::default(),
        });
    let r = f(&mut state, &mut acc);
    state.accounts.insert(login.to_string(), acc);
    let (t, changed) = match r {
        Ok(x) => x,
        Err(e) => {
            state.discard();
            return Err(e);
        }
    };
    if !changed {
        state.discard();
    } else if state.commit().is_err() {
        // The state is back to what it was before this request.
        return fail(GatewayCode::DatabaseSave, "");
    }
    Ok(t)
}

fn get_balance(app: &App, account: &AccountConfig) -> Result<Assoc, Fail> {
    let balance = with_account(app, account, None, |_, acc| Ok((acc.balance, false)))?;
    Ok(Assoc::new()
        .s("status", "SUCCESS")
        .s("balance", money(balance))
        .s("currency", account.currency.clone()))
}

fn vid_of(fields: &Fields) -> Result<&str, Fail> {
    let vid = field(fields, "vid").unwrap_or("hosting");
    if !VIDS.contains(&vid) {
        return fail(GatewayCode::TariffTypeInvalid, format!("{vid:?}"));
    }
    Ok(vid)
}

fn id_keyed(app: &App, items: Vec<(String, Val)>) -> Val {
    if app.config.friendhosting.lists_keyed_by_id {
        if let Ok(keyed) = items
            .iter()
            .map(|(k, v)| k.parse::<i64>().map(|k| (k, v.clone())))
            .collect::<Result<Vec<_>, _>>()
        {
            return Val::IdMap(keyed);
        }
    }
    Val::List(items.into_iter().map(|(_, v)| v).collect())
}

fn get_tarifs(app: &App, fields: &Fields) -> Result<Assoc, Fail> {
    let vid = vid_of(fields)?;
    let cfg = &app.config.friendhosting;
    let tariffs: Vec<(String, Val)> = cfg
        .tariffs
        .iter()
        .filter(|t| t.vid == vid)
        .map(|t| (t.id.clone(), Val::Map(tariff_answer(t, &cfg.currency))))
        .collect();
    if tariffs.is_empty() {
        return fail(GatewayCode::NoTariffs, format!("vid {vid}"));
    }
    Ok(Assoc::new()
        .s("status", "SUCCESS")
        .v("tarifs", id_keyed(app, tariffs)))
}

fn tariff_answer(t: &TariffConfig, currency: &str) -> Assoc {
    let months = t
        .months
        .iter()
        .map(|p| {
            Val::Map(
                Assoc::new()
                    .s("months", p.months.to_string())
                    .s("discount", p.discount.normalize().to_string())
                    .s("allowForNewOrder", flag(p.allow_for_new_order))
                    .s("allowForRenew", flag(p.allow_for_renew)),
            )
        })
        .collect();
    let addons = t
        .addons
        .iter()
        .map(|a| {
            Val::Map(
                Assoc::new()
                    .s("id", a.id.clone())
                    .s("name", a.name.clone())
                    .s("costMonthly", money(a.cost_monthly))
                    .s("costSetup", money(a.cost_setup)),
            )
        })
        .collect();
    Assoc::new()
        .s("id", t.id.clone())
        .s("vid", t.vid.clone())
        .s("name", t.name.clone())
        .s("costMonthly", money(t.cost_monthly))
        .s("costSetup", money(t.cost_setup))
        .s("currency", currency)
        .s("allowWithoutDomain", flag(t.allow_without_domain))
        .v("months", Val::List(months))
        .v("addons", Val::List(addons))
}

fn valid_domain(d: &str) -> bool {
    d.len() <= 253
        && d.contains('.')
        && d.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn period_of(
    t: &TariffConfig,
    fields: &Fields,
    renew: bool,
) -> Result<(u32, Decimal, String), Fail> {
    let Some(raw) = field(fields, "period") else {
        return fail(GatewayCode::PeriodMissing, "");
    };
    let allowed: Vec<_> = t
        .months
        .iter()
        .filter(|p| {
            if renew {
                p.allow_for_renew
            } else {
                p.allow_for_new_order
            }
        })
        .collect();
    let found = raw
        .parse::<u32>()
        .ok()
        .and_then(|m| allowed.iter().find(|p| p.months == m));
    match found {
        Some(p) => Ok((p.months, p.discount, raw.to_string())),
        None => {
            let list: Vec<String> = allowed.iter().map(|p| p.months.to_string()).collect();
            fail(
                GatewayCode::PeriodInvalid,
                format!("{raw:?} (allowed: {})", list.join(", ")),
            )
        }
    }
}

fn generate_password(app: &App) -> String {
    let mut rng = app.rng();
    (0..12).map(|_| rng.alphanumeric()).collect()
}

fn create_order(app: &App, account: &AccountConfig, fields: &Fields) -> Result<Assoc, Fail> {
    let vid = vid_of(fields)?;
    let cfg = &app.config.friendhosting;
    if !cfg.tariffs.iter().any(|t| t.vid == vid) {
        return fail(GatewayCode::NoTariffs, format!("vid {vid}"));
    }
    let Some(tarifid) = field(fields, "tarifid") else {
        return fail(GatewayCode::TariffIdMissing, "");
    };
    let Some(tariff) = cfg.tariffs.iter().find(|t| t.id == tarifid && t.vid == vid) else {
        return fail(
            GatewayCode::TariffNotFound,
            format!("{tarifid:?} for vid {vid}"),
        );
    };
    let domain = field(fields, "domain").unwrap_or("").to_lowercase();
    if domain.is_empty() && !tariff.allow_without_domain {
        return fail(GatewayCode::DomainMissing, "");
    }
    if !domain.is_empty() && !valid_domain(&domain) {
        return fail(
            GatewayCode::DomainMissing,
            format!("{domain:?} is not a valid domain name"),
        );
    }
    let (months, discount, period) = period_of(tariff, fields, false)?;
    let addons_raw = field(fields, "addons").unwrap_or("");
    let mut addons = Vec::new();
    for id in addons_raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match tariff.addons.iter().find(|a| a.id == id) {
            Some(a)
                if !addons
                    .iter()
                    .any(|x: &&crate::config::AddonConfig| x.id == a.id) =>
            {
                addons.push(a)
            }
            _ => return fail(GatewayCode::AddonInvalid, format!("{id:?}")),
        }
    }
    let m = Decimal::from(months);
    let mut cost = tariff.cost_monthly * m * (Decimal::ONE - discount) + tariff.cost_setup;
    for a in &addons {
        cost += a.cost_monthly * m + a.cost_setup;
    }
    if account.test_mode {
        cost = Decimal::ZERO;
    }
    let cost = cost.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let today = app.today();
    let password = generate_password(app);
    let addon_ids: Vec<String> = addons.iter().map(|a| a.id.clone()).collect();
    let (orderid, balance, warning) = with_account(app, account, None, |state, acc| {
        if !domain.is_empty()
            && acc
                .orders
                .values()
                .any(|o| o.domain == domain && o.vid == vid)
        {
            return fail(GatewayCode::DomainAlreadyOrdered, domain.clone());
        }
        if state.records() + acc.orders.len() >= app.config.max_records {
            return fail(
                GatewayCode::DatabaseSave,
                "the sandbox's max_records is reached",
            );
        }
        let orderid = state.next_order_id;
        state.next_order_id += 1;
        let paid = acc.balance >= cost;
        let (status, warning) = if !paid {
            (
                0,
                Some(vpsgate::friendhosting::WarningCode::AwaitingPayment),
            )
        } else if tariff.manual_processing {
            (
                3,
                Some(vpsgate::friendhosting::WarningCode::ManualProcessing),
            )
        } else {
            (1, None)
        };
        if paid {
            acc.balance -= cost;
        }
        let todate = if paid {
            dates::add_months(today, months)
        } else {
            today
        };
        acc.orders.insert(
            orderid,
            Order {
                orderid,
                domain: domain.clone(),
                domain_reg: 0,
                vid: vid.to_string(),
                tarifid: tariff.id.clone(),
                tarifname: tariff.name.clone(),
                addons: addon_ids.clone(),
                orderdate: dates::ymd(today),
                startdate: dates::ymd(today),
                todate: dates::ymd(todate),
                status,
                unpaid: !paid,
            },
        );
        Ok(((orderid, acc.balance, warning), true))
    })?;
    let mut a = Assoc::new().s("status", "SUCCESS");
    if let Some(w) = warning {
        a = warn(app, a, w);
    }
    let (login, pass, remark) = match warning {
        Some(vpsgate::friendhosting::WarningCode::AwaitingPayment) => (
            String::new(),
            String::new(),
            cfg.language.insufficient_balance(&money(cost)),
        ),
        _ if vid == "hosting" => (format!("u{orderid}"), password, String::new()),
        _ => ("root".to_string(), password, String::new()),
    };
    Ok(a.s("orderid", orderid.to_string())
        .s("vid", vid)
        .s("tarifid", tariff.id.clone())
        .s("domain", domain)
        .s("period", period)
        .s("addons", addon_ids.join(","))
        .s("balance", money(balance))
        .s("cost", money(cost))
        .s("currency", account.currency.clone())
        .s("serverlogin", login)
        .s("serverpassword", pass)
        .s("remark", remark))
}

fn order_id(fields: &Fields) -> Result<u64, Fail> {
    let Some(raw) = field(fields, "orderid") else {
        return fail(GatewayCode::OrderIdMissing, "");
    };
    raw.parse::<u64>()
        .or_else(|_| fail(GatewayCode::OrderNotFound, format!("{raw:?}")))
}

fn find(acc: &mut AccountState, id: u64) -> Result<&mut Order, Fail> {
    match acc.orders.get_mut(&id) {
        Some(o) => Ok(o),
        None => fail(GatewayCode::OrderNotFound, id.to_string()),
    }
}

fn expired(o: &Order, today: time::Date) -> bool {
    dates::parse_ymd(&o.todate).is_some_and(|d| d < today)
}

fn renew_order(app: &App, account: &AccountConfig, fields: &Fields) -> Result<Assoc, Fail> {
    let id = order_id(fields)?;
    let today = app.today();
    let cfg = &app.config.friendhosting;
    let (period, balance, cost, warning) = with_account(app, account, Some(id), |_, acc| {
        let balance = acc.balance;
        let o = find(acc, id)?;
        let Some(tariff) = cfg.tariffs.iter().find(|t| t.id == o.tarifid) else {
            return fail(GatewayCode::TariffNotFound, o.tarifid.clone());
        };
        let (months, discount, period) = period_of(tariff, fields, true)?;
        if o.unpaid {
            return fail(GatewayCode::UnpaidBills, id.to_string());
        }
        let m = Decimal::from(months);
        let mut cost = tariff.cost_monthly * m * (Decimal::ONE - discount);
        for a in tariff.addons.iter().filter(|a| o.addons.contains(&a.id)) {
            cost += a.cost_monthly * m;
        }
        if account.test_mode {
            cost = Decimal::ZERO;
        }
        let cost = cost.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        if balance < cost {
            o.unpaid = true;
            return Ok(((period, balance, cost, true), true));
        }
        let from = dates::parse_ymd(&o.todate)
            .filter(|d| *d >= today)
            .unwrap_or(today);
        o.todate = dates::ymd(dates::add_months(from, months));
        acc.balance -= cost;
        Ok(((period, acc.balance, cost, false), true))
    })?;
    let mut a = Assoc::new().s("status", "SUCCESS");
    if warning {
        a = warn(app, a, vpsgate::friendhosting::WarningCode::AwaitingPayment);
    }
    Ok(a.s("orderid", id.to_string())
        .s("period", period)
        .s("balance", money(balance))
        .s("cost", money(cost))
        .s("currency", account.currency.clone()))
}

fn set_suspended(
    app: &App,
    account: &AccountConfig,
    fields: &Fields,
    suspend: bool,
) -> Result<Assoc, Fail> {
    let id = order_id(fields)?;
    let today = app.today();
    with_account(app, account, Some(id), |_, acc| {
        let o = find(acc, id)?;
        if o.unpaid {
            return fail(GatewayCode::UnpaidBills, id.to_string());
        }
        if suspend && o.status == 2 {
            return fail(GatewayCode::AlreadySuspended, id.to_string());
        }
        // Only a processed order runs: one not processed yet (0) or being processed (3) has
        // nothing to suspend or start.
        if o.status == 0 || o.status == 3 {
            return fail(
                GatewayCode::OperationNotSupported,
                format!("order {id} is not processed yet (status {})", o.status),
            );
        }
        if !suspend && o.status != 2 {
            return fail(GatewayCode::AlreadyStarted, id.to_string());
        }
        if expired(o, today) {
            return fail(GatewayCode::OrderExpired, o.todate.clone());
        }
        o.status = if suspend { 2 } else { 1 };
        Ok(((), true))
    })?;
    Ok(Assoc::new()
        .s("status", "SUCCESS")
        .s("orderid", id.to_string()))
}

#[derive(Clone, Copy)]
enum Action {
    Restart,
    Reinstall,
}

fn server_action(
    app: &App,
    account: &AccountConfig,
    fields: &Fields,
    action: Action,
) -> Result<Assoc, Fail> {
    let id = order_id(fields)?;
    let today = app.today();
    let cfg = &app.config.friendhosting;
    let types = match action {
        Action::Restart => &cfg.restart_types,
        Action::Reinstall => &cfg.reinstall_types,
    };
    with_account(app, account, Some(id), |_, acc| {
        let o = find(acc, id)?;
        if !types.contains(&o.vid) {
            return fail(GatewayCode::OperationNotSupported, format!("vid {}", o.vid));
        }
        if o.unpaid {
            return fail(GatewayCode::UnpaidBills, id.to_string());
        }
        if o.status == 2 {
            return fail(GatewayCode::AlreadySuspended, id.to_string());
        }
        if expired(o, today) {
            return fail(GatewayCode::OrderExpired, o.todate.clone());
        }
        Ok(((), false))
    })?;
    Ok(Assoc::new()
        .s("status", "SUCCESS")
        .s("orderid", id.to_string()))
}

fn get_orders(app: &App, account: &AccountConfig, fields: &Fields) -> Result<Assoc, Fail> {
    let only = match field(fields, "orderid") {
        Some(_) => Some(order_id(fields)?),
        None => None,
    };
    let today = app.today();
    let orders = with_account(app, account, None, |_, acc| {
        let list: Vec<(String, Val)> = match only {
            Some(id) => {
                let o = find(acc, id)?;
                vec![(id.to_string(), order_answer(o, today))]
            }
            None => acc
                .orders
                .values()
                .map(|o| (o.orderid.to_string(), order_answer(o, today)))
                .collect(),
        };
        Ok((list, false))
    })?;
    if orders.is_empty() {
        return fail(GatewayCode::NoOrders, "");
    }
    Ok(Assoc::new()
        .s("status", "SUCCESS")
        .v("orders", id_keyed(app, orders)))
}

fn order_answer(o: &Order, today: time::Date) -> Val {
    let left = dates::parse_ymd(&o.todate)
        .map(|d| (d - today).whole_days())
        .unwrap_or(0);
    Val::Map(
        Assoc::new()
            .s("orderid", o.orderid.to_string())
            .s("domain", o.domain.clone())
            .s("domain_reg", o.domain_reg.to_string())
            .s("vid", o.vid.clone())
            .s("tarifid", o.tarifid.clone())
            .s("tarifname", o.tarifname.clone())
            .s("orderdate", o.orderdate.clone())
            .s("startdate", o.startdate.clone())
            .s("todate", o.todate.clone())
            .s("leftdays", left.to_string())
            .s("status", o.status.to_string()),
    )
}
