//! Every call a face can make, by name, with its arguments as a JSON object: the one table the
//! C library and the npm package read their calls from, and the one dispatch that builds a
//! call's request and reads its answer into the contract's JSON (`docs/CONTRACT.md`, "Provider
//! commands" and "Lifecycle steps").
//!
//! ```
//! use vpsgate::lifecycle::Provider;
//! use vpsgate::named::{Bound, Call};
//! use vpsgate::Operation;
//!
//! let provider = Provider::from_json(br#"{"provider":"friendhosting","login":"test","password":"test"}"#)?;
//! let call = Call::command("suspendOrder", br#"{"orderid":"100001"}"#)?;
//! let bound = Bound::borrowed(&provider, &call);
//! assert_eq!(bound.request()?.body(), b"command=suspendOrder&login=test&pass=test&orderid=100001");
//! let json = bound.parse(http::StatusCode::OK, &http::HeaderMap::new(), br#"a:2:{s:6:"status";s:7:"SUCCESS";s:7:"orderid";s:6:"100001";}"#)?;
//! assert_eq!(json, r#"{"command":"suspendOrder","warning":null,"data":{"orderid":"100001"}}"#);
//! # Ok::<(), vpsgate::Error>(())
//! ```

use std::borrow::Cow;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::contract;
use crate::error::{Error, MoneyMove};
use crate::friendhosting::{
    Command, CreateOrder, Gateway, GetBalance, GetOrders, GetTarifs, ReinstallOrder, RenewOrder,
    RestartOrder, SuspendOrder, UnSuspendOrder, Vid,
};
use crate::govpsfx::{Extend, Lease, Partner, Recall, Term};
use crate::lifecycle::{Outcome, Provider, Step, Upstream};
use crate::transport::{HttpRequest, Operation};

/// Friendhosting's nine commands, then GoVPSFX's three, as the faces name them.
pub const COMMANDS: [&str; 12] = [
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

/// One call at a provider: a lifecycle step or one upstream command.
#[derive(Debug, Clone)]
pub enum Call {
    /// A provider-neutral lifecycle step.
    Step(Step),
    /// Friendhosting `createOrder`.
    CreateOrder(CreateOrder),
    /// Friendhosting `renewOrder`.
    RenewOrder(RenewOrder),
    /// Friendhosting `suspendOrder`.
    SuspendOrder(SuspendOrder),
    /// Friendhosting `unSuspendOrder`.
    UnSuspendOrder(UnSuspendOrder),
    /// Friendhosting `restartOrder`.
    RestartOrder(RestartOrder),
    /// Friendhosting `reinstallOrder`.
    ReinstallOrder(ReinstallOrder),
    /// Friendhosting `getTarifs`.
    GetTarifs(GetTarifs),
    /// Friendhosting `getOrders`.
    GetOrders(GetOrders),
    /// Friendhosting `getBalance`.
    GetBalance(GetBalance),
    /// GoVPSFX lease.
    Lease(Lease),
    /// GoVPSFX extend.
    Extend(Extend),
    /// GoVPSFX recall.
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

/// The arguments of `command` from a JSON object (empty or whitespace for none). serde's
/// message names an unknown field, a missing one, or a wrong type with its line and column.
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

impl Call {
    /// The lifecycle step `name` with its flat JSON arguments ([`Step::from_json`]).
    pub fn step(name: &str, json: &[u8]) -> Result<Call, Error> {
        Step::from_json(name, json).map(Call::Step)
    }

    /// The upstream command `name` (one of [`COMMANDS`]) with its JSON arguments
    /// (`docs/C-API.md`): unknown names and fields are refused by name.
    pub fn command(name: &str, json: &[u8]) -> Result<Call, Error> {
        Ok(match name {
            "createOrder" => {
                let a: CreateOrderArgs = args(name, json)?;
                Call::CreateOrder(CreateOrder {
                    vid: Vid::parse_arg(a.vid.as_deref()),
                    tarifid: a.tarifid,
                    period: a.period,
                    domain: a.domain,
                    addons: a.addons.unwrap_or_default(),
                })
            }
            "renewOrder" => {
                let a: RenewOrderArgs = args(name, json)?;
                Call::RenewOrder(RenewOrder::new(a.orderid, a.period))
            }
            "suspendOrder" => {
                Call::SuspendOrder(SuspendOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "unSuspendOrder" => {
                Call::UnSuspendOrder(UnSuspendOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "restartOrder" => {
                Call::RestartOrder(RestartOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "reinstallOrder" => {
                Call::ReinstallOrder(ReinstallOrder::new(args::<OrderArgs>(name, json)?.orderid))
            }
            "getTarifs" => Call::GetTarifs(GetTarifs::new(Vid::parse_arg(
                args::<TarifsArgs>(name, json)?.vid.as_deref(),
            ))),
            "getOrders" => Call::GetOrders(GetOrders::new(args::<OrdersArgs>(name, json)?.orderid)),
            "getBalance" => {
                args::<NoArgs>(name, json)?;
                Call::GetBalance(GetBalance)
            }
            "lease" => {
                let a: LeaseArgs = args(name, json)?;
                Call::Lease(Lease::new(a.rate, Term::try_from(a.term)?, a.client_id))
            }
            "extend" => {
                let a: ExtendArgs = args(name, json)?;
                Call::Extend(Extend::new(Term::try_from(a.term)?, a.client_id))
            }
            "recall" => Call::Recall(Recall::new(args::<RecallArgs>(name, json)?.server_id)),
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

    /// The argument fields of command or step `name` that hold ids. A face whose callers may
    /// hold ids as numbers (a JS number, a PHP int) turns those to strings before
    /// [`Call::command`] / [`Call::step`], which take ids as strings only.
    pub fn id_fields(name: &str) -> &'static [&'static str] {
        match name {
            "createOrder" => &["tarifid", "domain"],
            "renewOrder" | "suspendOrder" | "unSuspendOrder" | "restartOrder"
            | "reinstallOrder" | "getOrders" => &["orderid"],
            "lease" | "extend" => &["client_id"],
            "recall" => &["server_id"],
            _ if Step::NAMES.contains(&name) => &["id", "plan", "client_id"],
            _ => &[],
        }
    }

    /// The call's name (`"create"`, `"getBalance"`, `"lease"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Call::Step(s) => s.name(),
            Call::CreateOrder(_) => CreateOrder::NAME,
            Call::RenewOrder(_) => RenewOrder::NAME,
            Call::SuspendOrder(_) => SuspendOrder::NAME,
            Call::UnSuspendOrder(_) => UnSuspendOrder::NAME,
            Call::RestartOrder(_) => RestartOrder::NAME,
            Call::ReinstallOrder(_) => ReinstallOrder::NAME,
            Call::GetTarifs(_) => GetTarifs::NAME,
            Call::GetOrders(_) => GetOrders::NAME,
            Call::GetBalance(_) => GetBalance::NAME,
            Call::Lease(_) => "lease",
            Call::Extend(_) => "extend",
            Call::Recall(_) => "recall",
        }
    }

    /// Whether the call moves money (create, renew, createOrder, renewOrder, lease, extend):
    /// such a call is never sent twice, whatever the provider.
    pub fn moves_money(&self) -> bool {
        match self {
            Call::Step(s) => s.moves_money(),
            Call::CreateOrder(_) | Call::RenewOrder(_) | Call::Lease(_) | Call::Extend(_) => true,
            Call::SuspendOrder(_)
            | Call::UnSuspendOrder(_)
            | Call::RestartOrder(_)
            | Call::ReinstallOrder(_)
            | Call::GetTarifs(_)
            | Call::GetOrders(_)
            | Call::GetBalance(_)
            | Call::Recall(_) => false,
        }
    }
}

/// A [`Call`] at a [`Provider`]: an [`Operation`] whose output is the contract's JSON text
/// (`{command, warning, data}` for a command, the outcome for a step). A command the provider
/// does not have is [`Error::Unsupported`] when its request is built, before anything is sent.
/// Borrowed for a call run at once, owned ([`Bound::owned`]) for one that must outlive its
/// caller (a JS promise).
#[derive(Debug, Clone)]
pub struct Bound<'p> {
    provider: Cow<'p, Provider>,
    call: Cow<'p, Call>,
}

impl<'p> Bound<'p> {
    /// `call` at `provider`, both borrowed.
    pub fn borrowed(provider: &'p Provider, call: &'p Call) -> Bound<'p> {
        Bound {
            provider: Cow::Borrowed(provider),
            call: Cow::Borrowed(call),
        }
    }

    /// `call` at `provider`, both owned.
    pub fn owned(provider: Provider, call: Call) -> Bound<'static> {
        Bound {
            provider: Cow::Owned(provider),
            call: Cow::Owned(call),
        }
    }

    /// The call.
    pub fn call(&self) -> &Call {
        &self.call
    }

    /// Run `act` on the call's typed operation at the provider, with the function that turns
    /// that operation's output into the contract's JSON text.
    fn with<A: Act>(&self, act: A) -> Result<A::Out, Error> {
        let p: &Provider = &self.provider;
        match &*self.call {
            Call::Step(step) => act.on(&p.step::<Outcome>(step.clone()), |o| contract::outcome(&o)),
            Call::CreateOrder(c) => command(p, c, act),
            Call::RenewOrder(c) => command(p, c, act),
            Call::SuspendOrder(c) => command(p, c, act),
            Call::UnSuspendOrder(c) => command(p, c, act),
            Call::RestartOrder(c) => command(p, c, act),
            Call::ReinstallOrder(c) => command(p, c, act),
            Call::GetTarifs(c) => command(p, c, act),
            Call::GetOrders(c) => command(p, c, act),
            Call::GetBalance(c) => command(p, c, act),
            Call::Lease(l) => act.on(&partner(p, "lease")?.call(l), |o| {
                Ok(contract::lease(&o).to_string())
            }),
            Call::Extend(e) => act.on(&partner(p, "extend")?.call(e), |o| {
                Ok(contract::extended(&o).to_string())
            }),
            Call::Recall(r) => act.on(&partner(p, "recall")?.call(r), |_| {
                Ok(contract::recalled().to_string())
            }),
        }
    }
}

impl Operation for Bound<'_> {
    type Output = String;

    fn request(&self) -> Result<HttpRequest, Error> {
        self.with(BuildRequest)
    }

    fn parse(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<String, Error> {
        self.with(ReadAnswer {
            status,
            headers,
            body,
        })
    }

    fn money(&self) -> Option<MoneyMove> {
        // A call the provider does not have builds no request: nothing to protect.
        self.with(Money).ok().flatten()
    }

    fn read_only(&self) -> bool {
        self.with(ReadOnly).unwrap_or(false)
    }
}

/// What [`Bound`] does with the typed operation of its call.
trait Act {
    type Out;
    fn on<O, F>(self, op: &O, render: F) -> Result<Self::Out, Error>
    where
        O: Operation,
        F: FnOnce(O::Output) -> Result<String, Error>;
}

struct BuildRequest;

impl Act for BuildRequest {
    type Out = HttpRequest;
    fn on<O: Operation, F>(self, op: &O, _: F) -> Result<HttpRequest, Error> {
        op.request()
    }
}

struct ReadAnswer<'a> {
    status: StatusCode,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl Act for ReadAnswer<'_> {
    type Out = String;
    fn on<O, F>(self, op: &O, render: F) -> Result<String, Error>
    where
        O: Operation,
        F: FnOnce(O::Output) -> Result<String, Error>,
    {
        render(op.parse(self.status, self.headers, self.body)?)
    }
}

struct Money;

impl Act for Money {
    type Out = Option<MoneyMove>;
    fn on<O: Operation, F>(self, op: &O, _: F) -> Result<Option<MoneyMove>, Error> {
        Ok(op.money())
    }
}

struct ReadOnly;

impl Act for ReadOnly {
    type Out = bool;
    fn on<O: Operation, F>(self, op: &O, _: F) -> Result<bool, Error> {
        Ok(op.read_only())
    }
}

/// The gateway of a Friendhosting provider; a GoVPSFX one has no such command.
fn gateway<'p>(p: &'p Provider, command: &'static str) -> Result<&'p Gateway, Error> {
    match p {
        Provider::Friendhosting(g) => Ok(g),
        Provider::Govpsfx(p) => Err(Error::Unsupported {
            provider: p.provider(),
            operation: command,
        }),
    }
}

/// The partner of a GoVPSFX provider; a Friendhosting one has no such request.
fn partner<'p>(p: &'p Provider, request: &'static str) -> Result<&'p Partner, Error> {
    match p {
        Provider::Govpsfx(p) => Ok(p),
        Provider::Friendhosting(g) => Err(Error::Unsupported {
            provider: g.provider(),
            operation: request,
        }),
    }
}

fn command<C, A>(p: &Provider, command: &C, act: A) -> Result<A::Out, Error>
where
    C: Command,
    C::Answer: serde::Serialize,
    A: Act,
{
    let call = gateway(p, C::NAME)?.call(command);
    act.on(&call, |answer| contract::answer(C::NAME, &answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fh() -> Provider {
        Provider::from_json(br#"{"provider":"friendhosting","login":"u","password":"p"}"#).unwrap()
    }

    fn fx() -> Provider {
        Provider::from_json(
            br#"{"provider":"govpsfx","partner_code":"14321","secret":"s3cr3t-md5"}"#,
        )
        .unwrap()
    }

    #[test]
    fn every_command_is_read_by_name_and_named_back() {
        let args: [&[u8]; 12] = [
            br#"{"tarifid":"201","period":1}"#,
            br#"{"orderid":"7","period":3}"#,
            br#"{"orderid":"7"}"#,
            br#"{"orderid":"7"}"#,
            br#"{"orderid":"7"}"#,
            br#"{"orderid":"7"}"#,
            b"",
            b" ",
            b"{}",
            br#"{"rate":"r1","term":1,"client_id":"c"}"#,
            br#"{"term":3,"client_id":"c"}"#,
            br#"{"server_id":"s"}"#,
        ];
        for (name, json) in COMMANDS.iter().zip(args) {
            let call = Call::command(name, json).unwrap();
            assert_eq!(call.name(), *name);
            let money = ["createOrder", "renewOrder", "lease", "extend"].contains(name);
            assert_eq!(call.moves_money(), money, "{name}");
        }
    }

    #[test]
    fn arguments_are_refused_by_field_and_name() {
        let e = Call::command("suspendOrder", br#"{"order":"7"}"#).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidInput { field: "args", reason }
                if reason.contains("unknown field `order`") && reason.contains("`suspendOrder`")),
            "{e}"
        );
        let e = Call::command("renewOrder", br#"{"orderid":"7"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `period`"), "{e}");
        let e = Call::command("renewOrder", br#"{"orderid":7,"period":1}"#).unwrap_err();
        assert!(e.to_string().contains("invalid type: integer"), "{e}");
        let e = Call::command("lease", br#"{"rate":"r","term":5,"client_id":"c"}"#).unwrap_err();
        assert!(
            matches!(e, Error::InvalidInput { field: "term", .. }),
            "{e}"
        );
        let e = Call::command("deleteOrder", b"{}").unwrap_err();
        assert!(
            matches!(&e, Error::InvalidInput { field: "command", reason }
                if reason.contains("\"deleteOrder\"") && reason.contains("getBalance")),
            "{e}"
        );
    }

    #[test]
    fn a_blank_vid_is_the_gateways_default() {
        let call = Call::command("getTarifs", br#"{"vid":" "}"#).unwrap();
        let p = fh();
        let req = Bound::borrowed(&p, &call).request().unwrap();
        assert_eq!(req.body(), b"command=getTarifs&login=u&pass=p");
        let call = Call::command("getTarifs", br#"{"vid":"vds"}"#).unwrap();
        let req = Bound::borrowed(&p, &call).request().unwrap();
        assert_eq!(req.body(), b"command=getTarifs&login=u&pass=p&vid=vds");
    }

    #[test]
    fn a_bound_call_reads_its_answer_into_the_contract() {
        let p = fh();
        let call = Call::command("getBalance", b"").unwrap();
        let bound = Bound::borrowed(&p, &call);
        assert!(bound.read_only());
        assert!(bound.money().is_none());
        let body = br#"a:3:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:5:"12.50";s:8:"currency";s:3:"USD";}"#;
        let v = bound
            .parse(StatusCode::OK, &HeaderMap::new(), body)
            .unwrap();
        assert_eq!(
            v,
            r#"{"command":"getBalance","warning":null,"data":{"balance":"12.50","currency":"USD"}}"#
        );

        let step = Call::step("balance", b"{}").unwrap();
        let v = Bound::owned(p.clone(), step)
            .parse(StatusCode::OK, &HeaderMap::new(), body)
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&v).unwrap();
        assert_eq!(v["amount"], "12.50", "{v}");
    }

    #[test]
    fn money_moves_and_foreign_commands_are_known_before_sending() {
        let create = Call::command("createOrder", br#"{"tarifid":"201","period":1}"#).unwrap();
        let p = fh();
        let bound = Bound::borrowed(&p, &create);
        assert_eq!(bound.money().map(|m| m.operation), Some("createOrder"));
        assert!(!bound.read_only());

        let x = fx();
        let foreign = Bound::borrowed(&x, &create);
        assert!(matches!(
            foreign.request(),
            Err(Error::Unsupported {
                provider: "govpsfx",
                operation: "createOrder"
            })
        ));
        assert!(foreign.money().is_none() && !foreign.read_only());
        let lease = Call::command("lease", br#"{"rate":"r1","term":1,"client_id":"c"}"#).unwrap();
        assert!(matches!(
            Bound::borrowed(&p, &lease).request(),
            Err(Error::Unsupported {
                provider: "friendhosting",
                operation: "lease"
            })
        ));
        assert_eq!(
            Bound::borrowed(&x, &lease).money().map(|m| m.provider),
            Some("govpsfx")
        );
    }

    #[test]
    fn id_fields_cover_every_string_id_argument() {
        assert_eq!(Call::id_fields("createOrder"), ["tarifid", "domain"]);
        assert_eq!(Call::id_fields("getOrders"), ["orderid"]);
        assert_eq!(Call::id_fields("recall"), ["server_id"]);
        assert_eq!(Call::id_fields("renew"), ["id", "plan", "client_id"]);
        assert!(Call::id_fields("getBalance").is_empty());
        assert!(Call::id_fields("nope").is_empty());
    }
}
