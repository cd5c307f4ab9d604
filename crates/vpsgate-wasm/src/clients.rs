//! The three JS classes: `Friendhosting`, `Govpsfx` and `Lifecycle`.
//!
//! Each is built from the configuration object of `docs/CONTRACT.md` (plus a `fetch` option).
//! Each method is one call of the core's table (`vpsgate::named`): it sends one request (a
//! read-only one again only under the configured retry policy, a money-moving one never) and
//! returns a `Promise` of a plain JS object in the contract's shape, or rejects with a
//! `VpsgateError`. The last argument of every method is the per-call options
//! `{signal?: AbortSignal, timeout_ms?: number}`.

use js_sys::{Function, Promise};
use vpsgate::config::{Config, ProviderConfig};
use vpsgate::friendhosting::Gateway;
use vpsgate::govpsfx::{CallbackLimits, Partner};
use vpsgate::lifecycle::Provider;
use vpsgate::named::{Bound, Call};
use vpsgate::{contract, HttpRequest};
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

/// Run `call` (read by name from the core's table, [`vpsgate::named`]) at `provider` over
/// fetch: build, send (a read-only request again under the configured retry policy; anything
/// else once), parse into the contract's JSON, hand it over as a plain JS object; every error a
/// `VpsgateError`.
fn promise(
    provider: &Provider,
    net: &Net,
    options: &JsValue,
    call: Result<Call, vpsgate::Error>,
) -> Promise {
    let setup = CallOptions::read(options)
        .and_then(|options| call.map(|call| (options, Bound::owned(provider.clone(), call))));
    crate::exec::spawn(Box::pin(run(net.clone(), setup)))
}

async fn run(
    net: Net,
    setup: Result<(CallOptions, Bound<'static>), vpsgate::Error>,
) -> Result<JsValue, JsValue> {
    let (call, op) = setup.map_err(|e| to_js(&e))?;
    let (net, call) = (&net, &call);
    let transport = move |req: HttpRequest| send(net, call, req);
    vpsgate::execute_async_with(&op, &transport, &net.retry, crate::fetch::sleep)
        .await
        .map(|json| jsobj::json_text_to_js(&json))
        .map_err(|e| to_js(&e))
}

/// The call `name` of the core's table with its arguments, a plain object (`undefined` for
/// none): ids given as JS numbers turned to strings first, then read as JSON.
fn call(name: &str, args: &JsValue, step: bool) -> Result<Call, vpsgate::Error> {
    let json = if args.is_undefined() || args.is_null() {
        String::new()
    } else {
        let obj = jsobj::copy(args, "args")?;
        jsobj::ids_to_strings(&obj, Call::id_fields(name));
        jsobj::to_json(&obj, "args")?
    };
    let read = if step { Call::step } else { Call::command };
    read(name, json.as_bytes()).map_err(jsobj::without_position)
}

/// The Friendhosting / RootPanel gateway: the nine `apih.php` commands. Each resolves to
/// `{command, warning, data}` (`docs/CONTRACT.md`, "Provider commands").
#[wasm_bindgen]
pub struct Friendhosting {
    gateway: Gateway,
    net: Net,
}

impl Friendhosting {
    fn provider(&self) -> Provider {
        Provider::Friendhosting(self.gateway.clone())
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
        let call = call("getBalance", &JsValue::UNDEFINED, false);
        promise(&self.provider(), &self.net, &options, call)
    }
}

/// Methods that send the core table's command of the same name with their arguments object
/// ([`vpsgate::named::Call::command`]), one row each.
macro_rules! commands {
    ($class:ident: $( $(#[$doc:meta])* $js:ident => fn $name:ident; )*) => {
        #[wasm_bindgen]
        impl $class {
            $(
                $(#[$doc])*
                #[wasm_bindgen(js_name = $js)]
                pub fn $name(&self, args: JsValue, options: JsValue) -> Promise {
                    let call = call(stringify!($js), &args, false);
                    promise(&self.provider(), &self.net, &options, call)
                }
            )*
        }
    };
}

commands! { Friendhosting:
    /// `createOrder` with `{tarifid, period, vid?, domain?, addons?}`. Moves money: sent once.
    createOrder => fn create_order;
    /// `renewOrder` with `{orderid, period}`. Moves money: sent once.
    renewOrder => fn renew_order;
    /// `suspendOrder` with `{orderid}`.
    suspendOrder => fn suspend_order;
    /// `unSuspendOrder` with `{orderid}`.
    unSuspendOrder => fn unsuspend_order;
    /// `restartOrder` with `{orderid}`.
    restartOrder => fn restart_order;
    /// `reinstallOrder` with `{orderid}`.
    reinstallOrder => fn reinstall_order;
    /// `getTarifs` with `{vid?}` (the gateway defaults to hosting).
    getTarifs => fn get_tarifs;
    /// `getOrders` with `{orderid?}`. The gateway answers error 26 when there are none.
    getOrders => fn get_orders;
}

/// The GoVPSFX partner API: lease, extend, recall, and checking deferred deliveries.
#[wasm_bindgen]
pub struct Govpsfx {
    partner: Partner,
    net: Net,
}

impl Govpsfx {
    fn provider(&self) -> Provider {
        Provider::Govpsfx(self.partner.clone())
    }
}

commands! { Govpsfx:
    /// Lease a server with `{rate, term, client_id}`: `{status:"delivered", server}` or
    /// `{status:"pending", message}`. Moves money: sent once.
    lease => fn lease;
    /// Extend a client's server with `{term, client_id}`: `{end_at}`. Moves money: sent once.
    extend => fn extend;
    /// Recall a server with `{server_id}`: `{recalled: true}`.
    recall => fn recall;
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
        promise(
            &self.provider,
            &self.net,
            &options,
            call(&name, &args, true),
        )
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
