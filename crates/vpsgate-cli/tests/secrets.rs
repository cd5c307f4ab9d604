//! A known password, API key and md5 secret never appear in the Rust core's `Debug` output or
//! error messages (the whole `source()` chain), nor in the CLI's stdout or stderr on failure,
//! whatever fails: configuration, URL, connection, TLS, time limit, dropped connection, upstream
//! refusal, unreadable answer. The GET method puts the credentials in the URL, so it is tried too.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use common::{code, err, out, vpsgate, Stub};
use vpsgate::config::{Config, ProviderConfig};
use vpsgate::friendhosting::{self as fh, Credentials, Gateway, GetBalance, Method};
use vpsgate::govpsfx::{self as gv, Lease, Partner, Term};
use vpsgate::lifecycle::{Lifecycle, Provider, ServiceRef};
use vpsgate::native::NativeTransport;
use vpsgate::{ApiKey, PartnerSecret, Password};

const PASSWORD: &str = "Pa55-w0rd-81";
const API_KEY: &str = "Ap1-k3y-82";
const SECRET: &str = "Md5-s3cret-83";
const SECRETS: [&str; 3] = [PASSWORD, API_KEY, SECRET];

fn assert_clean(text: &str, what: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} shows a secret: {text}");
    }
}

/// `Display`, `Debug` and every `source()` of an error.
fn everything(e: &dyn std::error::Error) -> String {
    let mut text = format!("{e} {e:?}");
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(" <- {c} {c:?}"));
        cause = c.source();
    }
    text
}

/// Servers that fail in each way.
#[derive(Clone, Copy, Debug)]
enum Peer {
    Closed,
    Silent,
    Drops,
    PlainForTls,
}

fn serve(peer: Peer) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    if let Peer::Closed = peer {
        return addr; // dropped: nothing listens
    }
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming() {
            let Ok(mut s) = s else { return };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            match peer {
                Peer::Silent => held.push(s),
                Peer::Drops => drop(s),
                Peer::PlainForTls => {
                    let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                    std::thread::sleep(Duration::from_millis(100));
                }
                Peer::Closed => unreachable!(),
            }
        }
    });
    addr
}

fn url(peer: Peer, addr: SocketAddr) -> String {
    match peer {
        Peer::PlainForTls => format!("https://{addr}"),
        _ => format!("http://{addr}"),
    }
}

#[test]
fn core_debug_output_shows_no_secret() {
    let with_password = Credentials::with_password("reseller", Password::new(PASSWORD));
    let with_key = Credentials::with_api_key("reseller", ApiKey::new(API_KEY));
    let gateway = Gateway::new(with_key.clone()).with_method(Method::Get);
    let partner = Partner::new("14321", PartnerSecret::new(SECRET));
    let settings: ProviderConfig = serde_json::from_value(serde_json::json!({
        "provider": "govpsfx", "partner_code": "14321", "secret": SECRET, "retry_attempts": 3
    }))
    .unwrap();
    let config = Config::from_settings(&settings).unwrap();
    let fh_client = fh::Client::new(gateway.clone(), NativeTransport::new());
    let gv_client = gv::Client::new(partner.clone(), NativeTransport::new());
    let neutral = vpsgate::lifecycle::Client::new(
        Provider::Friendhosting(Gateway::new(with_password.clone())),
        NativeTransport::new(),
    );
    let text = format!(
        "{with_password:?} {with_key:?} {gateway:?} {partner:?} {settings:?} {config:?} \
         {fh_client:?} {gv_client:?} {neutral:?} {:?} {:?} {:?}",
        gateway.call(&GetBalance),
        config.provider.balance(),
        Password::new(PASSWORD),
    );
    assert_clean(&text, "Debug");
    assert!(text.contains("[redacted]"), "{text}");
    // The secrets are still there for the request itself.
    let req = vpsgate::Operation::request(&gateway.call(&GetBalance)).unwrap();
    assert!(req.uri().to_string().contains(API_KEY));
}

#[test]
fn core_errors_show_no_secret_whatever_fails() {
    for peer in [Peer::Closed, Peer::Silent, Peer::Drops, Peer::PlainForTls] {
        let addr = serve(peer);
        let base = url(peer, addr);
        let transport = || {
            NativeTransport::new()
                .timeout(Duration::from_millis(500))
                .connect_timeout(Duration::from_millis(500))
        };
        for method in [Method::Get, Method::Post] {
            for creds in [
                Credentials::with_password("reseller", Password::new(PASSWORD)),
                Credentials::with_api_key("reseller", ApiKey::new(API_KEY)),
            ] {
                let c = fh::Client::new(
                    Gateway::new(creds)
                        .with_url(format!("{base}/apih.php"))
                        .with_method(method),
                    transport(),
                );
                let e = c.get_balance().unwrap_err();
                assert_clean(&everything(&e), &format!("{peer:?} {method:?} getBalance"));
                let e = c.create_order(&fh::CreateOrder::new("201", 1)).unwrap_err();
                assert_clean(&everything(&e), &format!("{peer:?} {method:?} createOrder"));
                let neutral = vpsgate::lifecycle::Client::new(
                    Provider::Friendhosting(c.gateway().clone()),
                    transport(),
                );
                let e = neutral.suspend(&ServiceRef::new("1")).unwrap_err();
                assert_clean(&everything(&e), &format!("{peer:?} {method:?} suspend"));
            }
        }
        let g = gv::Client::new(
            Partner::new("14321", PartnerSecret::new(SECRET)).with_base_url(&base),
            transport(),
        );
        let e = g
            .lease(&Lease::new("singapore", Term::try_from(1).unwrap(), "C1"))
            .unwrap_err();
        assert_clean(&everything(&e), &format!("{peer:?} lease"));
    }
    // Configuration errors, with every secret present.
    for json in [
        format!(
            r#"{{"provider":"friendhosting","login":"x","password":"{PASSWORD}","api_key":"{API_KEY}"}}"#
        ),
        format!(
            r#"{{"provider":"friendhosting","login":"x","api_key":"{API_KEY}","secret":"{SECRET}"}}"#
        ),
        format!(
            r#"{{"provider":"govpsfx","partner_code":"1","secret":"{SECRET}","retry_attempts":99}}"#
        ),
        format!(
            r#"{{"provider":"govpsfx","partner_code":"1","secret":"{SECRET}","endpoint":"ftp://x"}}"#
        ),
        format!(r#"{{"provider":"govpsfx","partner_code":"1","secret":{{"nested":"{SECRET}"}}}}"#),
        format!(
            r#"{{"provider":"friendhosting","login":"x","password":"{PASSWORD}","timeout_ms":0}}"#
        ),
        format!(
            r#"{{"provider":"friendhosting","login":"x","password":"{PASSWORD}","passwrod":"{API_KEY}"}}"#
        ),
        format!(r#"{{"provider":"friendhosting","login":"x","api_key":["{API_KEY}"]}}"#),
    ] {
        let result = Config::from_json(json.as_bytes()).and_then(|c| {
            vpsgate::Operation::request(&c.provider.balance()).map(drop)?;
            vpsgate::Operation::request(&c.provider.create(&Default::default())).map(drop)
        });
        let e = result.unwrap_err();
        assert_clean(&everything(&e), &json);
    }
}

fn fh_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("VPSGATE_FH_LOGIN", "reseller"),
        ("VPSGATE_FH_APIKEY", API_KEY),
    ]
}

fn gv_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("VPSGATE_GOVPSFX_PARTNER", "14321"),
        ("VPSGATE_GOVPSFX_SECRET", SECRET),
    ]
}

#[test]
fn cli_output_on_failure_shows_no_secret() {
    let refusing = Stub::new(
        200,
        "application/json",
        r#"{"status":"ERROR","errorCode":7,"errorMsg":"Authorization failed"}"#,
    );
    let forbidden = Stub::new(403, "text/plain", "bad hash");
    let html = Stub::new(200, "text/html", "<html>Fatal error</html>");
    let mut endpoints = vec![
        refusing.base.clone(),
        forbidden.base.clone(),
        html.base.clone(),
        "ftp://127.0.0.1:1".to_owned(),
    ];
    for peer in [Peer::Closed, Peer::Silent, Peer::Drops, Peer::PlainForTls] {
        endpoints.push(url(peer, serve(peer)));
    }
    for base in &endpoints {
        let fh_ep = format!("{base}/apih.php");
        for json in [false, true] {
            let flag = if json { "--json" } else { "--show-secrets" };
            let runs = [
                (
                    vec![
                        "fh",
                        "--endpoint",
                        &fh_ep,
                        "--timeout",
                        "1",
                        flag,
                        "balance",
                    ],
                    fh_env(),
                ),
                (
                    vec![
                        "fh",
                        "--endpoint",
                        &fh_ep,
                        "--timeout",
                        "1",
                        flag,
                        "create",
                        "--tariff",
                        "201",
                        "--period",
                        "1",
                    ],
                    fh_env(),
                ),
                (
                    vec![
                        "fh",
                        "--endpoint",
                        &fh_ep,
                        "--timeout",
                        "1",
                        "--retry-attempts",
                        "2",
                        flag,
                        "orders",
                    ],
                    vec![
                        ("VPSGATE_FH_LOGIN", "reseller"),
                        ("VPSGATE_FH_PASSWORD", PASSWORD),
                    ],
                ),
                (
                    vec![
                        "govpsfx",
                        "--endpoint",
                        base,
                        "--timeout",
                        "1",
                        flag,
                        "lease",
                        "--rate",
                        "singapore",
                        "--term",
                        "1",
                        "--client-id",
                        "C1",
                    ],
                    gv_env(),
                ),
            ];
            for (args, env) in runs {
                let o = vpsgate(&args, &env, None);
                let what = args.join(" ");
                assert_ne!(code(&o), 0, "{what}: must fail");
                assert_clean(&format!("{}{}", out(&o), err(&o)), &what);
                assert!(!err(&o).is_empty(), "{what}: says why");
            }
        }
    }
    // The secrets were in play: the upstream received them.
    let sent: Vec<String> = refusing.seen().into_iter().map(|r| r.body).collect();
    assert!(sent.iter().any(|b| b.contains(API_KEY)), "{sent:?}");
    assert!(sent.iter().any(|b| b.contains(PASSWORD)), "{sent:?}");
    // Environment mistakes and a bad configuration file.
    let both = [
        ("VPSGATE_FH_LOGIN", "reseller"),
        ("VPSGATE_FH_PASSWORD", PASSWORD),
        ("VPSGATE_FH_APIKEY", API_KEY),
    ];
    let o = vpsgate(&["fh", "balance"], &both, None);
    assert_eq!(code(&o), 11);
    assert_clean(&format!("{}{}", out(&o), err(&o)), "both credentials");
    let dir = std::env::temp_dir().join(format!("vpsgate-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("provider.json");
    std::fs::write(
        &file,
        format!(r#"{{"provider":"govpsfx","partner_code":"1","secret":"{SECRET}","login":"{PASSWORD}"}}"#),
    )
    .unwrap();
    let o = vpsgate(
        &["lifecycle", "--config", file.to_str().unwrap(), "balance"],
        &[],
        None,
    );
    assert_eq!(code(&o), 11, "{}", err(&o));
    assert_clean(&format!("{}{}", out(&o), err(&o)), "lifecycle config");
    std::fs::remove_dir_all(&dir).unwrap();
}
