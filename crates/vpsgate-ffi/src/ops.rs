//! What a request handle can be: a lifecycle step or one upstream command, and the one dispatch
//! that builds it, reads its answer, or sends it through the native transport.

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use vpsgate_core::friendhosting::{
    Command, CreateOrder, Gateway, GetBalance, GetOrders, GetTarifs, ReinstallOrder, RenewOrder,
    RestartOrder, SuspendOrder, UnSuspendOrder, Vid,
};
use vpsgate_core::govpsfx::{Extend, Lease, Partner, Recall, Term};
use vpsgate_core::lifecycle::{Outcome, Provider, Step, Upstream};
use vpsgate_core::native::NativeTransport;
use vpsgate_core::retry::RetryPolicy;
use vpsgate_core::{contract, execute_with, Error, HttpRequest, Operation};

/// Friendhosting's nine commands, then GoVPSFX's three, as the faces name them.
pub(crate) const COMMANDS: [&str; 12] = [
    "createOrder",
    "renewOrder",
    "suspendOrder",
    "unSuspendOrder",
    "restartOrder",
    "reinstallOrder",
    "getTarifs",
    "getOrders",
    "getBalance",
    "lease",
    "extend",
    "recall",
];

/// One operation at a provider.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Step(Step),
    CreateOrder(CreateOrder),
    RenewOrder(RenewOrder),
    SuspendOrder(SuspendOrder),
    UnSuspendOrder(UnSuspendOrder),
    RestartOrder(RestartOrder),
    ReinstallOrder(ReinstallOrder),
    GetTarifs(GetTarifs),
    GetOrders(GetOrders),
    GetBalance(GetBalance),
    Lease(Lease),
    Extend(Extend),
    Recall(Recall),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateOrderArgs {
    tarifid: String,
    period: u32,
    #[serde(default)]
    vid: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    addons: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenewOrderArgs {
    orderid: String,
    period: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderArgs {
    orderid: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TarifsArgs {
    #[serde(default)]
    vid: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrdersArgs {
    #[serde(default)]
    orderid: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaseArgs {
    rate: String,
    term: u32,
    client_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendArgs {
    term: u32,
    client_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecallArgs {
    server_id: String,
}

fn args<T: DeserializeOwned>(command: &str, json: &[u8]) -> Result<T, Error> {
    let json: &[u8] = if json.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        json
    };
    serde_json::from_slice(json).map_err(|e| {
        Error::invalid_input("args", format!("not valid arguments of `{command}`: {e}"))
    })
}

fn vid(v: Option<String>) -> Option<Vid> {
    v.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(Vid::parse)
}

impl Op {
    /// The lifecycle step `name` with its flat JSON arguments.
    pub(crate) fn step(name: &str, json: &[u8]) -> Result<Op, Error> {
        Step::from_json(name, json).map(Op::Step)
    }

    /// The upstream command `name` with its JSON arguments (see docs/C-API.md).
    pub(crate) fn command(name: &str, json: &[u8]) -> Result<Op, Error> {
        Ok(match name {
            "createOrder" => {
                let a: CreateOrderArgs = args(name, json)?;
                Op::CreateOrder(CreateOrder {
                    vid: vid(a.vid),
                    tarifid: a.tarifid,
                    period: a.period,
                    domain: a.domain,
                    addons: a.addons.unwrap_or_default(),
                })
            }
            "renewOrder" => {
                let a: RenewOrderArgs = args(name, json)?;
                Op::RenewOrder(RenewOrder::new(a.orderid, a.period))
            }
            "suspendOrder" => {
                Op::SuspendOrder(SuspendOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "unSuspendOrder" => {
                Op::UnSuspendOrder(UnSuspendOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "restartOrder" => {
                Op::RestartOrder(RestartOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "reinstallOrder" => {
                Op::ReinstallOrder(ReinstallOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "getTarifs" => Op::GetTarifs(GetTarifs::new(vid(args::<TarifsArgs>(name, json)?.vid))),
            "getOrders" => Op::GetOrders(GetOrders::new(args::<OrdersArgs>(name, json)?.orderid)),
            "getBalance" => {
                args::<NoArgs>(name, json)?;
                Op::GetBalance(GetBalance)
            }
            "lease" => {
                let a: LeaseArgs = args(name, json)?;
                Op::Lease(Lease::new(a.rate, Term::try_from(a.term)?, a.client_id))
            }
            "extend" => {
                let a: ExtendArgs = args(name, json)?;
                Op::Extend(Extend::new(Term::try_from(a.term)?, a.client_id))
            }
            "recall" => Op::Recall(Recall::new(args::<RecallArgs>(name, json)?.server_id)),
            other => {
                return Err(Error::invalid_input(
                    "command",
                    format!(
                        "unknown command {other:?}; expected one of {}",
                        COMMANDS.join(", ")
                    ),
                ))
            }
        })
    }

    /// The operation's name (`"create"`, `"getBalance"`, `"lease"`, ...).
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Op::Step(s) => s.name(),
            Op::CreateOrder(_) => CreateOrder::NAME,
            Op::RenewOrder(_) => RenewOrder::NAME,
            Op::SuspendOrder(_) => SuspendOrder::NAME,
            Op::UnSuspendOrder(_) => UnSuspendOrder::NAME,
            Op::RestartOrder(_) => RestartOrder::NAME,
            Op::ReinstallOrder(_) => ReinstallOrder::NAME,
            Op::GetTarifs(_) => GetTarifs::NAME,
            Op::GetOrders(_) => GetOrders::NAME,
            Op::GetBalance(_) => GetBalance::NAME,
            Op::Lease(_) => "lease",
            Op::Extend(_) => "extend",
            Op::Recall(_) => "recall",
        }
    }
}

/// What to do with an operation.
pub(crate) enum Mode<'a> {
    /// Build its request.
    Build,
    /// Read the answer a host received.
    Answer { status: StatusCode, body: &'a [u8] },
    /// Send it through the native transport (a read-only operation tried again under the
    /// configured retry policy, anything else once) and read the answer.
    Send(&'a NativeTransport, &'a RetryPolicy),
}

/// What came of it.
pub(crate) enum Done {
    Request(Box<HttpRequest>),
    Json(Value),
}

fn go<O: Operation>(
    op: &O,
    mode: &Mode<'_>,
    render: impl FnOnce(O::Output) -> Result<Value, Error>,
) -> Result<Done, Error> {
    match mode {
        Mode::Build => Ok(Done::Request(Box::new(op.request()?))),
        Mode::Answer { status, body } => {
            render(op.parse(*status, &HeaderMap::new(), body)?).map(Done::Json)
        }
        Mode::Send(transport, retry) => {
            render(execute_with(op, *transport, retry)?).map(Done::Json)
        }
    }
}

fn gateway<'p>(p: &'p Provider, command: &'static str) -> Result<&'p Gateway, Error> {
    match p {
        Provider::Friendhosting(g) => Ok(g),
        Provider::Govpsfx(p) => Err(Error::Unsupported {
            provider: p.provider(),
            operation: command,
        }),
    }
}

fn partner<'p>(p: &'p Provider, request: &'static str) -> Result<&'p Partner, Error> {
    match p {
        Provider::Govpsfx(p) => Ok(p),
        Provider::Friendhosting(g) => Err(Error::Unsupported {
            provider: g.provider(),
            operation: request,
        }),
    }
}

fn fh<C>(p: &Provider, command: &C, mode: &Mode<'_>) -> Result<Done, Error>
where
    C: Command,
    C::Answer: serde::Serialize,
{
    let call = gateway(p, C::NAME)?.call(command);
    go(&call, mode, |answer| contract::answer(C::NAME, &answer))
}

/// Build, read or send `op` at `provider`.
pub(crate) fn perform(provider: &Provider, op: &Op, mode: &Mode<'_>) -> Result<Done, Error> {
    match op {
        Op::Step(step) => go(&provider.step::<Outcome>(step.clone()), mode, |o| {
            Ok(contract::outcome(&o))
        }),
        Op::CreateOrder(c) => fh(provider, c, mode),
        Op::RenewOrder(c) => fh(provider, c, mode),
        Op::SuspendOrder(c) => fh(provider, c, mode),
        Op::UnSuspendOrder(c) => fh(provider, c, mode),
        Op::RestartOrder(c) => fh(provider, c, mode),
        Op::ReinstallOrder(c) => fh(provider, c, mode),
        Op::GetTarifs(c) => fh(provider, c, mode),
        Op::GetOrders(c) => fh(provider, c, mode),
        Op::GetBalance(c) => fh(provider, c, mode),
        Op::Lease(l) => go(&partner(provider, "lease")?.call(l), mode, |o| {
            Ok(contract::lease(&o))
        }),
        Op::Extend(e) => go(&partner(provider, "extend")?.call(e), mode, |o| {
            Ok(contract::extended(&o))
        }),
        Op::Recall(r) => go(&partner(provider, "recall")?.call(r), mode, |_| {
            Ok(contract::recalled())
        }),
    }
}

/// Whether `op` moves money (create, renew, createOrder, renewOrder, lease, extend).
pub(crate) fn moves_money(op: &Op) -> bool {
    match op {
        Op::Step(s) => s.moves_money(),
        Op::CreateOrder(_) | Op::RenewOrder(_) | Op::Lease(_) | Op::Extend(_) => true,
        Op::SuspendOrder(_)
        | Op::UnSuspendOrder(_)
        | Op::RestartOrder(_)
        | Op::ReinstallOrder(_)
        | Op::GetTarifs(_)
        | Op::GetOrders(_)
        | Op::GetBalance(_)
        | Op::Recall(_) => false,
    }
}
