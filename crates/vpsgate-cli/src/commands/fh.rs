//! `vpsgate fh ...`: the nine commands of the Friendhosting / RootPanel gateway.
//!
//! Credentials come only from the environment: `VPSGATE_FH_LOGIN` plus exactly one of
//! `VPSGATE_FH_PASSWORD` / `VPSGATE_FH_APIKEY` (an empty variable counts as unset; both set is
//! an error, as the gateway refuses a request with both). `--endpoint` (or
//! `VPSGATE_FH_ENDPOINT`) points at another `apih.php`.
//!
//! `--json` prints `{"command":"<gateway command>","warning":null|{"code":N,"message":"..."},
//! "data":{...}}` where `data` holds the answer's fields as the library names them (money as
//! decimal strings). `fh create --json` includes `serverpassword`: it is the only place the
//! user gets it. Tables never show it unless `--show-secrets`.
//!
//! A warning (non-critical code 30/31) is a success: exit 0, the warning on stderr.
//! `fh orders` without `--order` shows an empty list for the gateway's "orders are absent"
//! (error 26).

use vpsgate::friendhosting::{
    find_placed_orders, Answer, Client, Command, CreateOrder, Credentials, Format, Gateway,
    GatewayCode, GetBalance, GetOrders, GetTarifs, OrdersAnswer, ReinstallOrder, RenewOrder,
    RestartOrder, SuspendOrder, UnSuspendOrder, Vid,
};
use vpsgate::native::NativeTransport;
use vpsgate::{ApiKey, Password};

use crate::commands::{env_var, require_env, NetArgs};
use crate::exit::Failure;
use crate::output::{self, cell, pairs, Table, HIDDEN};

/// Answer format asked of the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnswerFormat {
    /// PHP `serialize()` output (the gateway's default).
    Php,
    /// JSON (`json=1`).
    Json,
}

/// `vpsgate fh`.
#[derive(Debug, clap::Args)]
#[command(long_about = "Friendhosting / RootPanel gateway commands.\n\n\
    Credentials come from the environment only: VPSGATE_FH_LOGIN and one of \
    VPSGATE_FH_PASSWORD or VPSGATE_FH_APIKEY (not both).\n\n\
    --json prints {\"command\":...,\"warning\":null|{\"code\",\"message\"},\"data\":{...}}; \
    `create --json` includes the new server's `serverpassword`, which tables hide unless \
    --show-secrets. A warning (code 30/31) is a success: exit 0, the warning on stderr.")]
pub struct Args {
    #[command(flatten)]
    pub net: NetArgs,

    /// The gateway URL (`apih.php`).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "VPSGATE_FH_ENDPOINT",
        default_value = Gateway::DEFAULT_URL
    )]
    pub endpoint: String,

    /// Answer format to ask the gateway for (either is read whatever is asked).
    #[arg(long, global = true, value_enum, default_value_t = AnswerFormat::Php)]
    pub format: AnswerFormat,

    #[command(subcommand)]
    pub command: FhCommand,
}

/// One gateway command.
#[derive(Debug, clap::Subcommand)]
pub enum FhCommand {
    /// getBalance: the account balance.
    Balance,
    /// getTarifs: the tariff plans of one type.
    Tariffs {
        /// hosting, vds or dedicated (the gateway defaults to hosting).
        #[arg(long)]
        vid: Option<String>,
    },
    /// getOrders: every order, or one.
    Orders {
        /// Only this order.
        #[arg(long, value_name = "ID")]
        order: Option<String>,
    },
    /// createOrder: order a new service. Moves money; sent once, never retried.
    Create {
        /// Tariff plan id (see `fh tariffs`).
        #[arg(long, value_name = "ID")]
        tariff: String,
        /// Period in months.
        #[arg(long, value_name = "N")]
        period: u32,
        /// hosting, vds or dedicated (the gateway defaults to hosting).
        #[arg(long)]
        vid: Option<String>,
        /// Domain name.
        #[arg(long)]
        domain: Option<String>,
        /// Add-on id (repeat for several).
        #[arg(long = "addon", value_name = "ID")]
        addons: Vec<String>,
    },
    /// After an "outcome unknown" createOrder: list the orders it may have placed (getOrders,
    /// matched by tariff, domain, type and date). Nothing is created.
    FindOrder {
        /// Tariff plan id that was ordered.
        #[arg(long, value_name = "ID")]
        tariff: String,
        /// hosting, vds or dedicated, if it was given.
        #[arg(long)]
        vid: Option<String>,
        /// Domain name, if it was given.
        #[arg(long)]
        domain: Option<String>,
        /// Only orders placed on or after this day (YYYY-MM-DD), e.g. the day of the attempt.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// renewOrder: extend an order. Moves money; sent once, never retried.
    Renew {
        /// Order id.
        #[arg(long, value_name = "ID")]
        order: String,
        /// Period in months.
        #[arg(long, value_name = "N")]
        period: u32,
    },
    /// suspendOrder.
    Suspend {
        /// Order id.
        #[arg(long, value_name = "ID")]
        order: String,
    },
    /// unSuspendOrder: start a suspended order.
    Unsuspend {
        /// Order id.
        #[arg(long, value_name = "ID")]
        order: String,
    },
    /// restartOrder: restart the server.
    Restart {
        /// Order id.
        #[arg(long, value_name = "ID")]
        order: String,
    },
    /// reinstallOrder: reinstall the server.
    Reinstall {
        /// Order id.
        #[arg(long, value_name = "ID")]
        order: String,
    },
}

/// The credentials from the environment.
pub fn credentials() -> Result<Credentials, vpsgate::Error> {
    let login = require_env("VPSGATE_FH_LOGIN", "the billing-panel login")?;
    match (env_var("VPSGATE_FH_PASSWORD"), env_var("VPSGATE_FH_APIKEY")) {
        (Some(_), Some(_)) => Err(vpsgate::Error::invalid_input(
            "VPSGATE_FH_PASSWORD",
            "both VPSGATE_FH_PASSWORD and VPSGATE_FH_APIKEY are set; set only one \
             (the gateway refuses both, error 9)",
        )),
        (Some(p), None) => Ok(Credentials::with_password(login, Password::new(p))),
        (None, Some(k)) => Ok(Credentials::with_api_key(login, ApiKey::new(k))),
        (None, None) => Err(vpsgate::Error::invalid_input(
            "VPSGATE_FH_PASSWORD",
            "set VPSGATE_FH_PASSWORD or VPSGATE_FH_APIKEY",
        )),
    }
}

/// Print the `--json` envelope ([`vpsgate::contract::answer`]).
fn finish_json<C: Command, T: serde::Serialize>(answer: &Answer<T>) -> Result<(), Failure> {
    let value = vpsgate::contract::answer(C::NAME, answer)?;
    match money_answer::<C>() {
        Some(m) => m.json(&value),
        None => output::json(&value),
    }
}

/// For a money-moving command, how its answer must be printed.
fn money_answer<C: Command>() -> Option<output::MoneyAnswer> {
    C::MOVES_MONEY.then_some(output::MoneyAnswer {
        request: C::NAME,
        password: C::NAME == CreateOrder::NAME,
        check: "vpsgate fh orders, or vpsgate fh find-order after a create",
    })
}

fn warn<T>(answer: &Answer<T>) {
    if let Some(w) = &answer.warning {
        output::warn(&format!(
            "gateway warning {}: {}",
            w.code.number(),
            w.text()
        ));
    }
}

/// Send `command` once and print its answer (`table` renders the data for people).
fn show<C, F>(
    client: &Client<NativeTransport>,
    net: &NetArgs,
    command: &C,
    table: F,
) -> Result<(), Failure>
where
    C: Command,
    C::Answer: serde::Serialize,
    F: FnOnce(&C::Answer) -> String,
{
    let answer = client.call(command)?;
    warn(&answer);
    if net.json {
        finish_json::<C, _>(&answer)
    } else {
        let text = table(&answer.data);
        match money_answer::<C>() {
            Some(m) => m.emit(&text),
            None => output::emit(&text),
        }
    }
}

fn orders_table(answer: &OrdersAnswer) -> String {
    let mut t = Table::new(&[
        "ORDER",
        "DOMAIN",
        "TYPE",
        "TARIFF",
        "PAID UNTIL",
        "DAYS LEFT",
        "STATUS",
    ]);
    for o in &answer.orders {
        t.row(vec![
            cell(o.orderid.as_deref()),
            cell(o.domain.as_deref()),
            cell(o.vid.as_deref()),
            cell(o.tarifname.as_deref().or(o.tarifid.as_deref())),
            cell(o.todate.as_ref().map(|d| d.as_str())),
            cell(o.leftdays),
            cell(o.status.map(|s| match s.number() {
                0 => "not processed".to_owned(),
                1 => "active".to_owned(),
                2 => "suspended".to_owned(),
                3 => "being processed".to_owned(),
                n => n.to_string(),
            })),
        ]);
    }
    t.render()
}

fn order_done(what: &'static str) -> impl FnOnce(&vpsgate::friendhosting::OrderAnswer) -> String {
    move |a| {
        pairs(&[
            ("orderid", a.orderid.clone()),
            ("result", Some(what.to_owned())),
        ])
    }
}

/// Run `vpsgate fh ...`.
pub fn run(args: Args) -> Result<(), Failure> {
    let format = match args.format {
        AnswerFormat::Php => Format::Php,
        AnswerFormat::Json => Format::Json,
    };
    let gateway = Gateway::new(credentials()?)
        .with_url(args.endpoint.as_str())
        .with_format(format);
    let net = &args.net;
    let client = Client::new(gateway, net.transport()).with_retry(net.retry());
    let show_secrets = net.show_secrets;
    match &args.command {
        FhCommand::Balance => show(&client, net, &GetBalance, |a| {
            pairs(&[
                ("balance", a.balance.map(|b| b.to_string())),
                ("currency", a.currency.clone()),
            ])
        }),
        FhCommand::Tariffs { vid: v } => show(
            &client,
            net,
            &GetTarifs::new(Vid::parse_arg(v.as_deref())),
            |a| {
                let mut t = Table::new(&[
                    "ID", "TYPE", "NAME", "MONTHLY", "SETUP", "CURRENCY", "MONTHS", "ADDONS",
                ]);
                for tariff in &a.tarifs {
                    let months: Vec<String> = tariff
                        .months
                        .iter()
                        .filter_map(|m| m.months.map(|n| n.to_string()))
                        .collect();
                    let addons: Vec<String> =
                        tariff.addons.iter().filter_map(|x| x.id.clone()).collect();
                    t.row(vec![
                        cell(tariff.id.as_deref()),
                        cell(tariff.vid.as_deref()),
                        cell(tariff.name.as_deref()),
                        cell(tariff.cost_monthly),
                        cell(tariff.cost_setup),
                        cell(tariff.currency.as_deref()),
                        if months.is_empty() {
                            "-".into()
                        } else {
                            months.join(",")
                        },
                        if addons.is_empty() {
                            "-".into()
                        } else {
                            addons.join(",")
                        },
                    ]);
                }
                t.render()
            },
        ),
        FhCommand::FindOrder {
            tariff,
            vid: v,
            domain,
            since,
        } => {
            let since = match since.as_deref() {
                None => None,
                Some(text) => Some(
                    time::Date::parse(
                        text,
                        time::macros::format_description!("[year]-[month]-[day]"),
                    )
                    .map_err(|e| {
                        vpsgate::Error::invalid_input("--since", format!("{text:?}: {e}"))
                    })?,
                ),
            };
            let mut sent = CreateOrder::new(tariff.as_str(), 1);
            sent.vid = Vid::parse_arg(v.as_deref());
            sent.domain = domain.clone();
            let orders = match client.get_orders(None) {
                Ok(answer) => answer.data,
                Err(vpsgate::Error::Gateway(g)) if g.code == GatewayCode::NoOrders => {
                    OrdersAnswer::default()
                }
                Err(e) => return Err(e.into()),
            };
            let mut found = OrdersAnswer::default();
            found.orders = find_placed_orders(&orders.orders, &sent, since)
                .into_iter()
                .cloned()
                .collect();
            if net.json {
                finish_json::<GetOrders, _>(&Answer {
                    data: found,
                    warning: None,
                })
            } else {
                output::emit(&orders_table(&found))
            }
        }
        FhCommand::Orders { order } => {
            if order.as_deref().is_some_and(|o| o.trim().is_empty()) {
                return Err(vpsgate::Error::invalid_input(
                    "--order",
                    "must not be empty (leave it out to list every order)",
                )
                .into());
            }
            let command = GetOrders::new(order.clone());
            match client.call(&command) {
                Err(vpsgate::Error::Gateway(g))
                    if g.code == GatewayCode::NoOrders && order.is_none() =>
                {
                    let empty = Answer {
                        data: OrdersAnswer::default(),
                        warning: None,
                    };
                    if net.json {
                        finish_json::<GetOrders, _>(&empty)
                    } else {
                        output::emit(&orders_table(&empty.data))
                    }
                }
                Err(e) => Err(e.into()),
                Ok(answer) => {
                    warn(&answer);
                    if net.json {
                        finish_json::<GetOrders, _>(&answer)
                    } else {
                        output::emit(&orders_table(&answer.data))
                    }
                }
            }
        }
        FhCommand::Create {
            tariff,
            period,
            vid: v,
            domain,
            addons,
        } => {
            let order = CreateOrder {
                vid: Vid::parse_arg(v.as_deref()),
                tarifid: tariff.clone(),
                period: *period,
                domain: domain.clone(),
                addons: addons.clone(),
            };
            show(&client, net, &order, |a| {
                pairs(&[
                    ("orderid", a.orderid.clone()),
                    ("vid", a.vid.clone()),
                    ("tarifid", a.tarifid.clone()),
                    ("domain", a.domain.clone()),
                    ("period", a.period.map(|p| p.to_string())),
                    ("addons", Some(a.addons.join(","))),
                    ("cost", a.cost.map(|c| c.to_string())),
                    ("balance", a.balance.map(|b| b.to_string())),
                    ("currency", a.currency.clone()),
                    ("serverlogin", a.serverlogin.clone()),
                    (
                        "serverpassword",
                        a.serverpassword.as_ref().map(|p| {
                            if show_secrets {
                                p.secret().to_owned()
                            } else {
                                output::warn_hidden_password();
                                HIDDEN.to_owned()
                            }
                        }),
                    ),
                    ("remark", a.remark.clone()),
                ])
            })
        }
        FhCommand::Renew { order, period } => show(
            &client,
            net,
            &RenewOrder::new(order.as_str(), *period),
            |a| {
                pairs(&[
                    ("orderid", a.orderid.clone()),
                    ("period", a.period.map(|p| p.to_string())),
                    ("cost", a.cost.map(|c| c.to_string())),
                    ("balance", a.balance.map(|b| b.to_string())),
                    ("currency", a.currency.clone()),
                ])
            },
        ),
        FhCommand::Suspend { order } => show(
            &client,
            net,
            &SuspendOrder::new(order.as_str()),
            order_done("suspended"),
        ),
        FhCommand::Unsuspend { order } => show(
            &client,
            net,
            &UnSuspendOrder::new(order.as_str()),
            order_done("started"),
        ),
        FhCommand::Restart { order } => show(
            &client,
            net,
            &RestartOrder::new(order.as_str()),
            order_done("restarted"),
        ),
        FhCommand::Reinstall { order } => show(
            &client,
            net,
            &ReinstallOrder::new(order.as_str()),
            order_done("reinstalling"),
        ),
    }
}
