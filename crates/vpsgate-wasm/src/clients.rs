//! The three JS classes: `Friendhosting`, `Govpsfx` and `Lifecycle`.
//!
//! Each is built from the configuration object of `docs/CONTRACT.md` (plus a `fetch` option) and
//! each method sends at most one request, never retried, and returns a `Promise` of a plain JS
//! object in the contract's shape, or rejects with a `VpsgateError`. The last argument of every
//! method is the per-call options `{signal?: AbortSignal, timeout_ms?: number}`.

use js_sys::{Function, Promise};
use serde::Deserialize;
use vpsgate::config::{Config, ProviderConfig};
use vpsgate::friendhosting::{
    Command, CreateOrder, Gateway, GetBalance, GetOrders, GetTarifs, ReinstallOrder, RenewOrder,
    RestartOrder, SuspendOrder, UnSuspendOrder, Vid,
};
use vpsgate::govpsfx::{CallbackLimits, Extend, Lease, Partner, Recall, Term};
use vpsgate::lifecycle::{Provider, Step, StepArgs};
use vpsgate::{contract, HttpRequest, Operation};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{invalid, js, to_js};
use crate::fetch::{send, CallOptions, Net};
use crate::jsobj;

/// Read a configuration object: the `fetch` option taken out, the provider defaulted (or
/// checked) for a provider's own class, secrets checked to be strings, then the core's
/// [`Config::from_settings`].
fn read_config(
    config: &JsValue,
    provider: Option<&'static str>,
) -> Result<(Config, Net), vpsgate::Error> {
    if config.is_undefined() || config.is_null() {
        return Err(invalid("config", "a configuration object is required"));
    }
    let obj = jsobj::copy(config, "config")?;
    let fetch = jsobj::take(&obj, "fetch");
    let fetch = if fetch.is_undefined() || fetch.is_null() {
        None
    } else {
        Some(
            fetch
                .dyn_into::<Function>()
                .map_err(|_| invalid("fetch", "must be a function like globalThis.fetch"))?,
        )
    };
    if let Some(own) = provider {
        let given = jsobj::get(&obj, "provider");
        if given.is_undefined() || given.is_null() {
            jsobj::set(&obj, "provider", &JsValue::from_str(own));
        } else if given.as_string().as_deref().map(str::trim) != Some(own) {
            return Err(invalid(
                "provider",
                format!("this client is for {own}; use Lifecycle to choose the provider by configuration"),
            ));
        }
    }
    jsobj::secrets_are_strings(&obj, &["password", "api_key", "secret"])?;
    jsobj::ids_to_strings(&obj, &["partner_code"]);
    let settings: ProviderConfig = jsobj::from_object(&obj, "config")?;
    let config = Config::from_settings(&settings)?;
    let net = Net::new(fetch, &config.transport);
    Ok((config, net))
}

/// An operation whose output is already a JS value, behind one vtable: every method then shares
/// one `execute_async` and one future type (`run`), which keeps the wasm small.
trait JsOperation {
    fn request(&self) -> Result<HttpRequest, vpsgate::Error>;
    fn parse(
        &self,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<JsValue, vpsgate::Error>;
    fn money(&self) -> Option<vpsgate::MoneyMove>;
    fn read_only(&self) -> bool;
}

/// An [`Operation`] with the function that turns its output into JS.
struct ToJs<O, F> {
    op: O,
    out: F,
}

impl<O, F> JsOperation for ToJs<O, F>
where
    O: Operation,
    F: Fn(O::Output) -> Result<JsValue, vpsgate::Error>,
{
    fn request(&self) -> Result<HttpRequest, vpsgate::Error> {
        self.op.request()
    }
    fn parse(
        &self,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<JsValue, vpsgate::Error> {
        (self.out)(self.op.parse(status, headers, body)?)
    }
    fn money(&self) -> Option<vpsgate::MoneyMove> {
        self.op.money()
    }
    fn read_only(&self) -> bool {
        self.op.read_only()
    }
}

/// The type-erased operation the core executes.
struct Erased(Box<dyn JsOperation>);

impl Operation for Erased {
    type Output = JsValue;
    fn request(&self) -> Result<HttpRequest, vpsgate::Error> {
        self.0.request()
    }
    fn parse(
        &self,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<JsValue, vpsgate::Error> {
        self.0.parse(status, headers, body)
    }
    fn money(&self) -> Option<vpsgate::MoneyMove> {
        self.0.money()
    }
    fn read_only(&self) -> bool {
        self.0.read_only()
    }
}

/// Run `op` (built from owned values) over fetch and turn its output into JS with `out`.
fn promise<O, F>(net: Net, options: &JsValue, op: Result<O, vpsgate::Error>, out: F) -> Promise
where
    O: Operation + 'static,
    F: Fn(O::Output) -> Result<JsValue, vpsgate::Error> + 'static,
{
    let setup = CallOptions::read(options).and_then(|call| {
        op.map(|op| {
            let op: Box<dyn JsOperation> = Box::new(ToJs { op, out });
            (call, Erased(op))
        })
    });
    crate::exec::spawn(Box::pin(run(net, setup)))
}

/// One call: build, send with fetch (a read-only request again under the configured retry
/// policy; anything else once), parse; every error a `VpsgateError`.
async fn run(
    net: Net,
    setup: Result<(CallOptions, Erased), vpsgate::Error>,
) -> Result<JsValue, JsValue> {
    let (call, op) = setup.map_err(|e| to_js(&e))?;
    let (net, call) = (&net, &call);
    let transport = move |req: HttpRequest| send(net, call, req);
    vpsgate::execute_async_with(&op, &transport, &net.retry, crate::fetch::sleep)
        .await
        .map_err(|e| to_js(&e))
}

/// Arguments read from a plain object with serde (`undefined` for none).
fn args<T: for<'de> Deserialize<'de>>(value: &JsValue, ids: &[&str]) -> Result<T, vpsgate::Error> {
    let obj = jsobj::copy(value, "args")?;
    jsobj::ids_to_strings(&obj, ids);
    jsobj::from_object(&obj, "args")
}

/// An operation that owns its gateway and command, so the future can be `'static`.
struct FhCall<C> {
    gateway: Gateway,
    command: C,
}

impl<C: Command> Operation for FhCall<C> {
    type Output = vpsgate::friendhosting::Answer<C::Answer>;
    fn request(&self) -> Result<HttpRequest, vpsgate::Error> {
        self.gateway.call(&self.command).request()
    }
    fn parse(
        &self,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Self::Output, vpsgate::Error> {
        self.gateway
            .call(&self.command)
            .parse(status, headers, body)
    }
    fn money(&self) -> Option<vpsgate::MoneyMove> {
        self.gateway.call(&self.command).money()
    }
    fn read_only(&self) -> bool {
        self.gateway.call(&self.command).read_only()
    }
}

/// The Friendhosting / RootPanel gateway: the nine `apih.php` commands. Each resolves to
/// `{command, warning, data}` (`docs/CONTRACT.md`, "Provider commands").
#[wasm_bindgen]
pub struct Friendhosting {
    gateway: Gateway,
    net: Net,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateArgs {
    tarifid: String,
    period: u32,
    #[serde(default)]
    vid: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    addons: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenewArgs {
    orderid: String,
    period: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderArgs {
    orderid: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TarifsArgs {
    #[serde(default)]
    vid: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct OrdersArgs {
    #[serde(default)]
    orderid: Option<String>,
}

impl Friendhosting {
    fn run<C>(&self, command: Result<C, vpsgate::Error>, options: &JsValue) -> Promise
    where
        C: Command + 'static,
        C::Answer: serde::Serialize,
    {
        let op = command.map(|command| FhCall {
            gateway: self.gateway.clone(),
            command,
        });
        promise(self.net.clone(), options, op, |answer| {
            contract::answer(C::NAME, &answer).map(|v| jsobj::json_to_js(&v))
        })
    }
}

#[wasm_bindgen]
impl Friendhosting {
    /// A client from the configuration (`provider` may be left out).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Friendhosting, JsValue> {
        let (config, net) = js(read_config(&config, Some("friendhosting")))?;
        match config.provider {
            Provider::Friendhosting(gateway) => Ok(Friendhosting { gateway, net }),
            Provider::Govpsfx(_) => Err(to_js(&invalid("provider", "not friendhosting"))),
        }
    }

    /// `getBalance`.
    #[wasm_bindgen(js_name = getBalance)]
    pub fn get_balance(&self, options: JsValue) -> Promise {
        self.run(Ok(GetBalance), &options)
    }
}

/// The gateway commands that take arguments, one row each: the JS name, the arguments' type and
/// the id fields that may come as JS numbers, and how the arguments make the core's command.
macro_rules! friendhosting_commands {
    ($(
        $(#[$doc:meta])*
        $js:ident => fn $name:ident($args:ty, ids [$($id:literal),*]) -> |$a:ident| $command:expr;
    )*) => {
        #[wasm_bindgen]
        impl Friendhosting {
            $(
                $(#[$doc])*
                #[wasm_bindgen(js_name = $js)]
                pub fn $name(&self, args: JsValue, options: JsValue) -> Promise {
                    let command = self::args::<$args>(&args, &[$($id),*]).map(|$a| $command);
                    self.run(command, &options)
                }
            )*
        }
    };
}

friendhosting_commands! {
    /// `createOrder` with `{tarifid, period, vid?, domain?, addons?}`. Moves money: sent once.
    createOrder => fn create_order(CreateArgs, ids ["tarifid", "domain"]) -> |a| CreateOrder {
        vid: a.vid.as_deref().map(Vid::parse),
        tarifid: a.tarifid,
        period: a.period,
        domain: a.domain,
        addons: a.addons,
    };
    /// `renewOrder` with `{orderid, period}`. Moves money: sent once.
    renewOrder => fn renew_order(RenewArgs, ids ["orderid"]) -> |a| RenewOrder::new(a.orderid, a.period);
    /// `suspendOrder` with `{orderid}`.
    suspendOrder => fn suspend_order(OrderArgs, ids ["orderid"]) -> |a| SuspendOrder::new(a.orderid);
    /// `unSuspendOrder` with `{orderid}`.
    unSuspendOrder => fn unsuspend_order(OrderArgs, ids ["orderid"]) -> |a| UnSuspendOrder::new(a.orderid);
    /// `restartOrder` with `{orderid}`.
    restartOrder => fn restart_order(OrderArgs, ids ["orderid"]) -> |a| RestartOrder::new(a.orderid);
    /// `reinstallOrder` with `{orderid}`.
    reinstallOrder => fn reinstall_order(OrderArgs, ids ["orderid"]) -> |a| ReinstallOrder::new(a.orderid);
    /// `getTarifs` with `{vid?}` (the gateway defaults to hosting).
    getTarifs => fn get_tarifs(TarifsArgs, ids []) -> |a| GetTarifs::new(a.vid.as_deref().map(Vid::parse));
    /// `getOrders` with `{orderid?}`. The gateway answers error 26 when there are none.
    getOrders => fn get_orders(OrdersArgs, ids ["orderid"]) -> |a| GetOrders::new(a.orderid);
}

/// An operation that owns its partner and request.
struct FxCall<R> {
    partner: Partner,
    request: R,
}

macro_rules! fx_operation {
    ($req:ty) => {
        impl Operation for FxCall<$req> {
            type Output = <vpsgate::govpsfx::Call<'static, $req> as Operation>::Output;
            fn request(&self) -> Result<HttpRequest, vpsgate::Error> {
                self.partner.call(&self.request).request()
            }
            fn parse(
                &self,
                status: http::StatusCode,
                headers: &http::HeaderMap,
                body: &[u8],
            ) -> Result<Self::Output, vpsgate::Error> {
                self.partner
                    .call(&self.request)
                    .parse(status, headers, body)
            }
            fn money(&self) -> Option<vpsgate::MoneyMove> {
                self.partner.call(&self.request).money()
            }
            fn read_only(&self) -> bool {
                self.partner.call(&self.request).read_only()
            }
        }
    };
}
fx_operation!(Lease);
fx_operation!(Extend);
fx_operation!(Recall);

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

/// The GoVPSFX partner API: lease, extend, recall, and checking deferred deliveries.
#[wasm_bindgen]
pub struct Govpsfx {
    partner: Partner,
    net: Net,
}

#[wasm_bindgen]
impl Govpsfx {
    /// A client from the configuration (`provider` may be left out).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Govpsfx, JsValue> {
        let (config, net) = js(read_config(&config, Some("govpsfx")))?;
        match config.provider {
            Provider::Govpsfx(partner) => Ok(Govpsfx { partner, net }),
            Provider::Friendhosting(_) => Err(to_js(&invalid("provider", "not govpsfx"))),
        }
    }

    /// Lease a server with `{rate, term, client_id}`: `{status:"delivered", server}` or
    /// `{status:"pending", message}`. Moves money: sent once.
    pub fn lease(&self, args: JsValue, options: JsValue) -> Promise {
        let op = self::args::<LeaseArgs>(&args, &["client_id"]).and_then(|a| {
            Ok(FxCall {
                partner: self.partner.clone(),
                request: Lease::new(a.rate, Term::try_from(a.term)?, a.client_id),
            })
        });
        promise(self.net.clone(), &options, op, |o| {
            Ok(jsobj::json_to_js(&contract::lease(&o)))
        })
    }

    /// Extend a client's server with `{term, client_id}`: `{end_at}`. Moves money: sent once.
    pub fn extend(&self, args: JsValue, options: JsValue) -> Promise {
        let op = self::args::<ExtendArgs>(&args, &["client_id"]).and_then(|a| {
            Ok(FxCall {
                partner: self.partner.clone(),
                request: Extend::new(Term::try_from(a.term)?, a.client_id),
            })
        });
        promise(self.net.clone(), &options, op, |e| {
            Ok(jsobj::json_to_js(&contract::extended(&e)))
        })
    }

    /// Recall a server with `{server_id}`: `{recalled: true}`.
    pub fn recall(&self, args: JsValue, options: JsValue) -> Promise {
        let op = self::args::<RecallArgs>(&args, &["server_id"]).map(|a| FxCall {
            partner: self.partner.clone(),
            request: Recall::new(a.server_id),
        });
        promise(self.net.clone(), &options, op, |_| {
            Ok(jsobj::json_to_js(&contract::recalled()))
        })
    }

    /// Check and read one deferred delivery (the body the provider POSTed to the partner's
    /// handler, a `Uint8Array` or a string, and its `Content-Type`): the server details, or a
    /// `VpsgateError` 11 (bad signature), 12 (malformed) or 13 (too large).
    #[wasm_bindgen(js_name = verifyCallback)]
    pub fn verify_callback(
        &self,
        body: JsValue,
        content_type: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let bytes = js(crate::codec::input_bytes(&body, "body"))?;
        let details = js(vpsgate::govpsfx::verify_callback(
            &self.partner,
            content_type.as_deref(),
            &bytes,
            &CallbackLimits::default(),
        ))?;
        Ok(jsobj::json_to_js(&contract::server(&details)))
    }
}

/// The provider-neutral lifecycle; the provider is the configuration's `provider`.
#[wasm_bindgen]
pub struct Lifecycle {
    provider: Provider,
    net: Net,
}

struct StepOp {
    provider: Provider,
    step: Step,
}

impl Operation for StepOp {
    type Output = vpsgate::lifecycle::Outcome;
    fn request(&self) -> Result<HttpRequest, vpsgate::Error> {
        use vpsgate::lifecycle::Upstream;
        self.provider.build(&self.step)
    }
    fn parse(
        &self,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Self::Output, vpsgate::Error> {
        use vpsgate::lifecycle::Upstream;
        self.provider.read(&self.step, status, headers, body)
    }
    fn money(&self) -> Option<vpsgate::MoneyMove> {
        use vpsgate::lifecycle::Upstream;
        self.provider
            .step::<vpsgate::lifecycle::Outcome>(self.step.clone())
            .money()
    }
    fn read_only(&self) -> bool {
        use vpsgate::lifecycle::Upstream;
        self.provider
            .step::<vpsgate::lifecycle::Outcome>(self.step.clone())
            .read_only()
    }
}

#[wasm_bindgen]
impl Lifecycle {
    /// A lifecycle client from the configuration (`provider` is required).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Lifecycle, JsValue> {
        let (config, net) = js(read_config(&config, None))?;
        Ok(Lifecycle {
            provider: config.provider,
            net,
        })
    }

    /// `"friendhosting"` or `"govpsfx"`.
    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> String {
        use vpsgate::lifecycle::Upstream;
        self.provider.provider().to_owned()
    }

    /// Run the step called `name` with its arguments (`docs/CONTRACT.md`, "Lifecycle steps").
    pub fn run(&self, name: JsValue, args: JsValue, options: JsValue) -> Promise {
        let name = name.as_string().unwrap_or_default();
        let op = self::args::<StepArgs>(&args, &["id", "plan", "client_id"])
            .and_then(|a| Step::from_args(&name, a))
            .map(|step| StepOp {
                provider: self.provider.clone(),
                step,
            });
        promise(self.net.clone(), &options, op, |o| {
            Ok(jsobj::json_to_js(&contract::outcome(&o)))
        })
    }

    /// Order a new service: `{plan, months, kind?, domain?, addons?, client_id?}`. Moves money.
    pub fn create(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("create"), args, options)
    }
    /// Extend a service: `{id, months, client_id?}`. Moves money.
    pub fn renew(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("renew"), args, options)
    }
    /// Suspend a service: `{id}`.
    pub fn suspend(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("suspend"), args, options)
    }
    /// Start a suspended service: `{id}`.
    pub fn unsuspend(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("unsuspend"), args, options)
    }
    /// End a service: `{id}`.
    pub fn terminate(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("terminate"), args, options)
    }
    /// Restart a server: `{id}`.
    pub fn reboot(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("reboot"), args, options)
    }
    /// Reinstall a server: `{id}`.
    pub fn reinstall(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("reinstall"), args, options)
    }
    /// Details of one service: `{id}`.
    pub fn info(&self, args: JsValue, options: JsValue) -> Promise {
        self.run(JsValue::from_str("info"), args, options)
    }
    /// Every service of the account.
    pub fn list(&self, options: JsValue) -> Promise {
        self.run(JsValue::from_str("list"), JsValue::UNDEFINED, options)
    }
    /// The account balance.
    pub fn balance(&self, options: JsValue) -> Promise {
        self.run(JsValue::from_str("balance"), JsValue::UNDEFINED, options)
    }
}
