//! One lifecycle, three ways to drive it, the same results: the blocking clients, the async
//! path (a closure returning a future that speaks HTTP over a tokio socket), and build/parse
//! by hand on a [`Provider`] read from JSON configuration. Each way runs against its own fresh
//! sandbox with the same seed and date, so every id, price and date must agree.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vpsgate::friendhosting::{self as fh, Credentials, Gateway};
use vpsgate::govpsfx::{self as gv, Partner};
use vpsgate::lifecycle::{
    AsyncLifecycle, Client, CreateSpec, Lifecycle, Outcome, Provider, ServiceRef, Step, Upstream,
};
use vpsgate::native::NativeTransport;
use vpsgate::{
    ApiKey, Error, HttpRequest, HttpResponse, Operation, PartnerSecret, Transport, TransportError,
    TransportErrorKind,
};
use vpsgate_sandbox::{AccountConfig, RunningSandbox, Sandbox, SandboxConfig};

fn start() -> RunningSandbox {
    let mut c = SandboxConfig {
        today: Some("2026-03-31".into()),
        ..SandboxConfig::default()
    };
    c.friendhosting.accounts.push(AccountConfig {
        login: "panel".into(),
        apikey: Some("panel-key".into()),
        balance: "100.00".parse().unwrap(),
        ..AccountConfig::default()
    });
    Sandbox::start(c).expect("sandbox starts")
}

#[derive(Clone, Copy, Debug)]
enum Which {
    Friendhosting,
    Govpsfx,
}

fn config(which: Which, sb: &RunningSandbox) -> String {
    match which {
        Which::Friendhosting => format!(
            r#"{{"provider":"friendhosting","endpoint":"{}","login":"panel","api_key":"panel-key"}}"#,
            sb.gateway_url()
        ),
        Which::Govpsfx => format!(
            r#"{{"provider":"govpsfx","endpoint":"{}","partner_code":"14321","secret":"sdsd4223dsd"}}"#,
            sb.base_url()
        ),
    }
}

fn spec(which: Which) -> CreateSpec {
    match which {
        Which::Friendhosting => CreateSpec {
            plan: "201".into(),
            months: 6,
            kind: Some("vds".into()),
            domain: Some("panel.example".into()),
            addons: vec!["12".into()],
            client_id: None,
        },
        Which::Govpsfx => CreateSpec {
            plan: "singapore".into(),
            months: 6,
            client_id: Some("ID1".into()),
            ..CreateSpec::default()
        },
    }
}

/// The steps a panel walks after a create, addressed to the created service.
fn steps_after(service: &ServiceRef) -> Vec<Step> {
    let s = || service.clone();
    vec![
        Step::Info(s()),
        Step::Renew {
            service: s(),
            months: 3,
        },
        Step::Suspend(s()),
        Step::Unsuspend(s()),
        Step::Reboot(s()),
        Step::Reinstall(s()),
        Step::List,
        Step::Balance,
        Step::Terminate(s()),
    ]
}

/// One step's result as text: the outcome's contract JSON, or the error's code and upstream code.
fn record(result: &Result<Outcome, Error>) -> String {
    match result {
        Ok(o) => serde_json::to_string(o).unwrap(),
        Err(e) => format!("error {} {:?}: {}", e.code().number(), e.upstream_code(), e),
    }
}

fn created_service(result: &Result<Outcome, Error>) -> ServiceRef {
    match result {
        Ok(Outcome::Created(c)) => c.service.clone(),
        other => panic!("create failed: {other:?}"),
    }
}

fn transport() -> NativeTransport {
    NativeTransport::new().timeout(Duration::from_secs(10))
}

/// Path 1: the blocking clients of each provider, through `&dyn Lifecycle`.
fn blocking(which: Which) -> Vec<String> {
    let sb = start();
    let lc: Box<dyn Lifecycle> = match which {
        Which::Friendhosting => Box::new(fh::Client::new(
            Gateway::new(Credentials::with_api_key("panel", ApiKey::new("panel-key")))
                .with_url(sb.gateway_url()),
            transport(),
        )),
        Which::Govpsfx => Box::new(gv::Client::new(
            Partner::new("14321", PartnerSecret::new("sdsd4223dsd")).with_base_url(&sb.base_url()),
            transport(),
        )),
    };
    let created = lc.run(Step::Create(spec(which)));
    let mut out = vec![record(&created)];
    for step in steps_after(&created_service(&created)) {
        out.push(record(&lc.run(step)));
    }
    out
}

/// A minimal async HTTP/1.1 client over a tokio socket: `Connection: close`, read to the end.
async fn send_async(req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let uri = req.uri().clone();
    let host = uri.host().unwrap_or("127.0.0.1").to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let mut stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| TransportError::new(TransportErrorKind::Connect, e.to_string()))?;
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        req.method(),
        req.body().len()
    );
    for (name, value) in req.headers() {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    head.push_str("\r\n");
    let io = |e: std::io::Error| TransportError::other(e);
    stream.write_all(head.as_bytes()).await.map_err(io)?;
    stream.write_all(req.body()).await.map_err(io)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.map_err(io)?;
    parse_http(&raw).ok_or_else(|| TransportError::new(TransportErrorKind::Other, "bad answer"))
}

fn parse_http(raw: &[u8]) -> Option<HttpResponse> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut headers = HeaderMap::new();
    for line in lines {
        let (k, v) = line.split_once(':')?;
        headers.append(
            HeaderName::from_bytes(k.trim().as_bytes()).ok()?,
            HeaderValue::from_str(v.trim()).ok()?,
        );
    }
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .get("transfer-encoding")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n")?;
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..eol]).ok()?.trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            out.extend_from_slice(rest.get(eol + 2..eol + 2 + size)?);
            rest = rest.get(eol + 4 + size..)?;
        }
        body = out;
    }
    let mut response = http::Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).ok()?;
    *response.headers_mut() = headers;
    Some(response)
}

/// Path 2: the async lifecycle over a `Provider` from configuration and an async closure.
fn asynchronous(which: Which) -> Vec<String> {
    let sb = start();
    let provider = Provider::from_json(config(which, &sb).as_bytes()).unwrap();
    let client = Client::new(provider, send_async);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        assert_eq!(
            AsyncLifecycle::provider(&client),
            match which {
                Which::Friendhosting => "friendhosting",
                Which::Govpsfx => "govpsfx",
            }
        );
        let created = AsyncLifecycle::create(&client, &spec(which))
            .await
            .map(Outcome::Created);
        let mut out = vec![record(&created)];
        for step in steps_after(&created_service(&created)) {
            out.push(record(&AsyncLifecycle::run(&client, step).await));
        }
        out
    })
}

/// Path 3: by hand. Build the request, send its bytes, parse what came back.
fn by_hand(which: Which) -> Vec<String> {
    let sb = start();
    let provider = Provider::from_json(config(which, &sb).as_bytes()).unwrap();
    let net = transport();
    let once = |step: Step| -> Result<Outcome, Error> {
        let call = provider.step::<Outcome>(step);
        let request = call.request()?;
        let (parts, body) = net.send(request)?.into_parts();
        call.parse(parts.status, &parts.headers, &body)
    };
    let created = once(Step::Create(spec(which)));
    let mut out = vec![record(&created)];
    for step in steps_after(&created_service(&created)) {
        out.push(record(&once(step)));
    }
    out
}

fn check(which: Which) -> Vec<String> {
    let blocking = blocking(which);
    let asynchronous = asynchronous(which);
    let by_hand = by_hand(which);
    assert_eq!(blocking, asynchronous, "{which:?}: blocking vs async");
    assert_eq!(blocking, by_hand, "{which:?}: blocking vs by hand");
    assert_eq!(blocking.len(), 10);
    blocking
}

#[test]
fn friendhosting_lifecycle_three_ways() {
    let r = check(Which::Friendhosting);
    assert!(
        r[0].starts_with(
            r#"{"service":{"id":"100001","client_id":null},"provisioning":{"state":"ready"}"#
        ),
        "{}",
        r[0]
    );
    assert!(
        r[1].contains(r#""id":"100001""#) && r[1].contains(r#""plan":"#),
        "info: {}",
        r[1]
    );
    assert!(r[2].contains(r#""cost":""#), "renew: {}", r[2]);
    for (i, name) in [
        (3, "suspend"),
        (4, "unsuspend"),
        (5, "reboot"),
        (6, "reinstall"),
    ] {
        assert_eq!(r[i], r#"{"done":true,"warning":null}"#, "{name}");
    }
    assert!(
        r[7].starts_with('[') && r[7].contains("100001"),
        "list: {}",
        r[7]
    );
    assert!(r[8].contains(r#""currency":"USD""#), "balance: {}", r[8]);
    assert_eq!(
        r[9],
        "error 14 None: friendhosting does not support terminate"
    );
}

#[test]
fn govpsfx_lifecycle_three_ways() {
    let r = check(Which::Govpsfx);
    assert!(
        r[0].contains(r#""provisioning":{"state":"ready"}"#)
            && r[0].contains(r#""client_id":"ID1""#),
        "{}",
        r[0]
    );
    assert!(r[0].contains(r#""expires":"2026-09-30""#), "{}", r[0]);
    assert_eq!(r[1], "error 14 None: govpsfx does not support info");
    // Extended from the old end date, 2026-09-30, by three months.
    assert_eq!(
        r[2],
        r#"{"expires":"2026-12-30","cost":null,"warning":null}"#
    );
    for (i, name) in [
        (3, "suspend"),
        (4, "unsuspend"),
        (5, "reboot"),
        (6, "reinstall"),
        (7, "list"),
        (8, "balance"),
    ] {
        assert_eq!(
            r[i],
            format!("error 14 None: govpsfx does not support {name}")
        );
    }
    assert_eq!(r[9], r#"{"done":true,"warning":null}"#);
}
