//! `vpsgate demo`: the main job. Starts the built-in sandbox on a free loopback port and walks
//! the whole lifecycle of both upstream APIs through the real clients and the native transport.

use std::time::Duration;

use vpsgate::friendhosting::{self, Answer, CreateOrder, Credentials, Format, Gateway, Vid};
use vpsgate::govpsfx::{self, CallbackLimits, Extend, Lease, LeaseOutcome, Partner, Recall, Term};
use vpsgate::native::NativeTransport;
use vpsgate::{ApiKey, Error, PartnerSecret, Password};
use vpsgate_sandbox::{CallbackReceiver, Sandbox, SandboxConfig};

use crate::exit::Failure;

/// Arguments of `vpsgate demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Answer format the Friendhosting client asks for.
    #[arg(long, value_enum, default_value_t = DemoFormat::Php)]
    pub format: DemoFormat,
}

/// The gateway answer format the demo asks for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DemoFormat {
    /// PHP `serialize()` answers (the gateway's default).
    Php,
    /// JSON answers (`json=1`).
    Json,
}

const PARTNER_CODE: &str = "14321";
const PARTNER_SECRET: &str = "sdsd4223dsd";

/// Run the demo; every step goes over real HTTP on 127.0.0.1.
pub fn run(args: Args) -> Result<(), Failure> {
    let mut config = SandboxConfig::default();
    config.govpsfx.delivery_delay_ms = 300;
    let sandbox = Sandbox::start(config).map_err(sandbox_failure)?;
    println!("vpsgate demo: both upstream APIs, against the built-in sandbox");
    println!(
        "sandbox on {}  (gateway {}, GoVPSFX {}/server/server/…)",
        sandbox.base_url(),
        sandbox.gateway_url(),
        sandbox.base_url()
    );

    friendhosting_walk(&sandbox.gateway_url(), args.format)?;
    govpsfx_walk(&sandbox)?;

    println!();
    println!("Done: every call above went through vpsgate's typed clients and native transport over loopback HTTP.");
    sandbox.shutdown().map_err(sandbox_failure)?;
    Ok(())
}

fn sandbox_failure(e: vpsgate_sandbox::SandboxError) -> Failure {
    Failure::local(format!("sandbox: {e}"))
}

fn heading(title: &str) {
    println!();
    println!("== {title}");
}

fn step(n: &mut u32, what: &str) {
    *n += 1;
    println!("{:>2}. {what}", n);
}

fn warning_note<T>(answer: &Answer<T>) {
    if let Some(w) = &answer.warning {
        println!(
            "    warning {} (non-critical, the command was executed): {}",
            w.code.number(),
            w.code.description()
        );
    }
}

fn money(v: Option<rust_decimal::Decimal>) -> String {
    v.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

fn friendhosting_walk(url: &str, format: DemoFormat) -> Result<(), Error> {
    let format = match format {
        DemoFormat::Php => Format::Php,
        DemoFormat::Json => Format::Json,
    };
    heading(&format!(
        "Friendhosting / RootPanel gateway: login \"demo\" with an API key, {} answers",
        match format {
            Format::Json => "JSON",
            _ => "PHP serialize()",
        }
    ));
    let gateway = Gateway::new(Credentials::with_api_key("demo", ApiKey::new("demo-key")))
        .with_url(url)
        .with_format(format);
    let fh = friendhosting::Client::new(gateway, NativeTransport::new());
    let mut n = 0;

    step(&mut n, "getTarifs vid=vds");
    let tariffs = fh.get_tarifs(Some(Vid::Vds))?;
    for t in &tariffs.data.tarifs {
        let periods: Vec<String> = t
            .months
            .iter()
            .filter_map(|p| p.months.map(|m| m.to_string()))
            .collect();
        let addons: Vec<String> = t
            .addons
            .iter()
            .map(|a| format!("{} {}", text(&a.id), text(&a.name)))
            .collect();
        println!(
            "    tariff {:<4} {:<8} {:>6} {}/month, setup {}, periods {} months, add-ons: {}",
            text(&t.id),
            text(&t.name),
            money(t.cost_monthly),
            text(&t.currency),
            money(t.cost_setup),
            periods.join(","),
            if addons.is_empty() {
                "none".into()
            } else {
                addons.join("; ")
            }
        );
    }

    step(&mut n, "getBalance");
    let balance = fh.get_balance()?;
    println!(
        "    balance {} {}",
        money(balance.data.balance),
        text(&balance.data.currency)
    );

    step(
        &mut n,
        "createOrder tarifid=201 (VDS-1) period=3 addons=11 (Extra IPv4)",
    );
    let created = fh.create_order(&CreateOrder::new("201", 3).vid(Vid::Vds).addon("11"))?;
    warning_note(&created);
    let order = created.data.orderid.clone().unwrap_or_default();
    println!(
        "    order {order} placed: cost {} {}, balance now {}; server login {}, password {}",
        money(created.data.cost),
        text(&created.data.currency),
        money(created.data.balance),
        text(&created.data.serverlogin),
        if created.data.serverpassword.is_some() {
            "received (hidden)"
        } else {
            "none"
        }
    );

    step(&mut n, "getOrders");
    print_orders(&fh, None)?;

    step(&mut n, &format!("renewOrder orderid={order} period=1"));
    let renewed = fh.renew_order(order.clone(), 1)?;
    warning_note(&renewed);
    println!(
        "    renewed for {} month(s): cost {} {}, balance now {}",
        renewed.data.period.unwrap_or_default(),
        money(renewed.data.cost),
        text(&renewed.data.currency),
        money(renewed.data.balance)
    );

    step(&mut n, &format!("suspendOrder orderid={order}"));
    fh.suspend_order(order.clone())?;
    println!("    suspended");
    step(&mut n, &format!("unSuspendOrder orderid={order}"));
    fh.unsuspend_order(order.clone())?;
    println!("    running again");
    step(&mut n, &format!("restartOrder orderid={order}"));
    fh.restart_order(order.clone())?;
    println!("    restart requested");
    step(&mut n, &format!("reinstallOrder orderid={order}"));
    fh.reinstall_order(order.clone())?;
    println!("    reinstall requested");

    step(&mut n, "getOrders orderid (after renew)");
    print_orders(&fh, Some(&order))?;

    step(
        &mut n,
        &format!("a deliberate error: unSuspendOrder orderid={order} while it runs"),
    );
    match fh.unsuspend_order(order.clone()) {
        Err(e @ Error::Gateway(_)) => println!(
            "    refused as expected -> {e}  (error code {}, upstream code {})",
            e.code().number(),
            e.upstream_code().unwrap_or_default()
        ),
        Err(e) => return Err(e),
        Ok(_) => println!("    unexpected: the gateway accepted it"),
    }

    step(&mut n, "the document's test access: login test / pass test, createOrder is free and creates nothing");
    let test = friendhosting::Client::new(
        Gateway::new(Credentials::with_password("test", Password::new("test")))
            .with_url(url)
            .with_format(format),
        NativeTransport::new(),
    );
    let free = test.create_order(&CreateOrder::new("101", 1).domain("example.com"))?;
    println!(
        "    order {} at cost {} {}",
        text(&free.data.orderid),
        money(free.data.cost),
        text(&free.data.currency)
    );
    match test.get_orders(None) {
        Ok(list) => println!("    test account lists {} order(s)", list.data.orders.len()),
        Err(e @ Error::Gateway(_)) => println!("    test account keeps nothing -> {e}"),
        Err(e) => return Err(e),
    }
    Ok(())
}

fn print_orders<T: vpsgate::Transport>(
    fh: &friendhosting::Client<T>,
    id: Option<&str>,
) -> Result<(), Error> {
    let orders = fh.get_orders(id)?;
    for o in &orders.data.orders {
        println!(
            "    order {:<7} {:<6} {:<8} status {:<16} until {} ({} days left)",
            text(&o.orderid),
            text(&o.vid),
            text(&o.tarifname),
            o.status
                .map(|s| format!("{s:?}"))
                .unwrap_or_else(|| "-".into()),
            o.todate
                .as_ref()
                .map(|d| d.as_str().to_owned())
                .unwrap_or_else(|| "-".into()),
            o.leftdays.unwrap_or_default()
        );
    }
    Ok(())
}

fn local(message: String) -> Error {
    Error::Transport(vpsgate::TransportError::new(
        vpsgate::TransportErrorKind::Other,
        message,
    ))
}

fn govpsfx_walk(sandbox: &vpsgate_sandbox::RunningSandbox) -> Result<(), Error> {
    heading(&format!(
        "GoVPSFX partner API: partner {PARTNER_CODE}, md5-signed requests"
    ));
    let partner = Partner::new(PARTNER_CODE, PartnerSecret::new(PARTNER_SECRET))
        .with_base_url(&sandbox.base_url());
    let gv = govpsfx::Client::new(partner.clone(), NativeTransport::new());
    let mut n = 0;

    step(
        &mut n,
        "lease rate=singapore term=1 client_id=ID16773 (immediate delivery)",
    );
    let first = match gv.lease(&Lease::new("singapore", Term::try_from(1)?, "ID16773"))? {
        LeaseOutcome::Delivered(d) => d,
        LeaseOutcome::Pending { message } => {
            println!("    unexpected: pending ({message})");
            return Ok(());
        }
    };
    print_server(&first);

    step(
        &mut n,
        "lease rate=france_mini term=3 client_id=ID16774 (deferred: 202, then a callback)",
    );
    let handler = CallbackReceiver::start().map_err(|e| local(e.to_string()))?;
    sandbox
        .set_handler(PARTNER_CODE, &handler.url())
        .map_err(|e| local(e.to_string()))?;
    println!("    our handler listens on {}", handler.url());
    match gv.lease(&Lease::new("france_mini", Term::try_from(3)?, "ID16774"))? {
        LeaseOutcome::Pending { message } => println!("    202 accepted: {message}"),
        LeaseOutcome::Delivered(d) => {
            println!("    delivered at once instead: server {}", d.server_id)
        }
    }
    let posts = handler.wait_for(1, Duration::from_secs(15));
    let Some(post) = posts.first() else {
        println!("    no callback arrived within 15 s");
        return Err(local("the deferred delivery did not arrive".into()));
    };
    let content_type = (!post.content_type.is_empty()).then_some(post.content_type.as_str());
    let delivered = govpsfx::verify_callback(
        &partner,
        content_type,
        post.body.as_bytes(),
        &CallbackLimits::default(),
    )?;
    println!("    callback received and its md5 signature verified:");
    print_server(&delivered);

    step(
        &mut n,
        "a forged callback (hash signed with the wrong secret) is rejected",
    );
    let forged = govpsfx::callback_form(
        &Partner::new(PARTNER_CODE, PartnerSecret::new("not-the-secret")),
        &delivered,
    );
    match govpsfx::verify_callback(
        &partner,
        Some("application/x-www-form-urlencoded"),
        &forged,
        &CallbackLimits::default(),
    ) {
        Err(e) => println!("    rejected -> {e}"),
        Ok(_) => println!("    unexpected: accepted"),
    }

    step(&mut n, "extend term=3 client_id=ID16773");
    let extended = gv.extend(&Extend::new(Term::try_from(3)?, "ID16773"))?;
    println!("    paid until {}", dmy(extended.end_at));

    step(&mut n, &format!("recall server_id={}", first.server_id));
    gv.recall(&Recall::new(first.server_id.clone()))?;
    println!("    recalled");

    step(
        &mut n,
        "a deliberate error: lease signed with a wrong secret",
    );
    let wrong = govpsfx::Client::new(
        Partner::new(PARTNER_CODE, PartnerSecret::new("wrong")).with_base_url(&sandbox.base_url()),
        NativeTransport::new(),
    );
    match wrong.lease(&Lease::new("singapore", Term::try_from(1)?, "ID16775")) {
        Err(e) => println!(
            "    refused as expected -> {e}  (error code {})",
            e.code().number()
        ),
        Ok(_) => println!("    unexpected: accepted"),
    }

    step(
        &mut n,
        "a term outside 1, 3, 6, 9, 12 is refused before anything is sent",
    );
    match Term::try_from(2) {
        Err(e) => println!("    {e}"),
        Ok(_) => println!("    unexpected: accepted"),
    }
    Ok(())
}

fn dmy(d: time::Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

fn print_server(d: &govpsfx::ServerDetails) {
    println!(
        "    server {} ({}) for client {}: {}:{} login {}, password (hidden), {} -> {}",
        d.server_id,
        d.rate,
        d.client_id,
        d.ip,
        d.port,
        d.login,
        dmy(d.created_at),
        dmy(d.end_at)
    );
}
