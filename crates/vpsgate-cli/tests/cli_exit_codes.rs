//! Exit codes as documented: TLS failure is `connect` (26), an unsupported URL scheme is invalid
//! input (11), a money-moving command whose answer cannot be written fails (1) with a warning,
//! and `--retry-attempts` retries read-only commands only.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{code, err, out, vpsgate, Stub};

const PW: &str = "pa$$-w0rd";
const SERVER_PW: &str = "S3rv3r!pw";

fn creds() -> Vec<(&'static str, &'static str)> {
    vec![
        ("VPSGATE_FH_LOGIN", "reseller"),
        ("VPSGATE_FH_PASSWORD", PW),
    ]
}

fn gv_creds() -> Vec<(&'static str, &'static str)> {
    vec![
        ("VPSGATE_GOVPSFX_PARTNER", "14321"),
        ("VPSGATE_GOVPSFX_SECRET", "sdsd4223dsd"),
    ]
}

/// Where the command's stdout goes.
enum Sink {
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
    /// A pipe whose reading end is closed as soon as the process has started (long before it
    /// has asked the upstream anything and has something to print).
    Closed,
}

/// Run `vpsgate` with stdout going to `sink`.
fn vpsgate_to(args: &[&str], env: &[(&str, &str)], sink: Sink) -> Output {
    let mut cmd = command(args, env);
    match sink {
        Sink::Full => cmd.stdout(dev_full()).output().unwrap(),
        Sink::Closed => {
            let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
            drop(child.stdout.take());
            child.wait_with_output().unwrap()
        }
    }
}

fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vpsgate"));
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("VPSGATE_") || k.to_ascii_lowercase().ends_with("_proxy") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied())
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn dev_full() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full"),
    )
}

#[test]
fn tls_to_a_plain_http_port_is_the_connect_exit_code() {
    // A plain-HTTP server answering whatever arrives at once, as nginx does to a TLS hello.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in listener.incoming() {
            let Ok(mut s) = s else { return };
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let ep = format!("https://{addr}/apih.php");
    let o = vpsgate(&["fh", "--endpoint", &ep, "balance"], &creds(), None);
    assert_eq!(code(&o), 26, "{}", err(&o));
    let e = err(&o);
    assert!(e.contains(&addr.to_string()) && e.contains("TLS"), "{e}");
    assert!(!e.contains(PW), "{e}");
    // The same for GoVPSFX, and the JSON error names the code.
    let base = format!("https://{addr}");
    let o = vpsgate(
        &[
            "govpsfx",
            "--endpoint",
            &base,
            "--json",
            "recall",
            "--server-id",
            "ID1",
        ],
        &gv_creds(),
        None,
    );
    assert_eq!(code(&o), 26, "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(out(&o).trim()).unwrap();
    assert_eq!(v["error"]["name"], "connect");
}

#[test]
fn an_unsupported_scheme_is_invalid_input_and_sends_nothing() {
    let stub = Stub::new(200, "application/json", "{}");
    let port = stub.base.rsplit(':').next().unwrap().to_owned();
    for scheme in ["ftp", "file", "gopher"] {
        let ep = format!("{scheme}://127.0.0.1:{port}/apih.php");
        let o = vpsgate(&["fh", "--endpoint", &ep, "balance"], &creds(), None);
        assert_eq!(code(&o), 11, "{scheme}: {}", err(&o));
        assert!(
            err(&o).contains(&format!("unsupported URL scheme `{scheme}`")),
            "{}",
            err(&o)
        );
        let base = format!("{scheme}://127.0.0.1:{port}");
        let o = vpsgate(
            &[
                "govpsfx",
                "--endpoint",
                &base,
                "lease",
                "--rate",
                "r",
                "--term",
                "1",
                "--client-id",
                "C1",
            ],
            &gv_creds(),
            None,
        );
        assert_eq!(code(&o), 11, "{scheme}: {}", err(&o));
    }
    std::thread::sleep(Duration::from_millis(100));
    assert!(stub.seen().is_empty(), "{:?}", stub.seen());
}

fn create_stub() -> Stub {
    Stub::new(
        200,
        "application/json",
        &format!(
            r#"{{"status":"SUCCESS","orderid":"501","tarifid":"12","cost":"9.99","serverlogin":"root","serverpassword":"{SERVER_PW}"}}"#
        ),
    )
}

#[test]
fn a_create_whose_answer_cannot_be_written_fails_with_a_warning() {
    for name in ["/dev/full", "closed pipe"] {
        for json in [false, true] {
            let stub = create_stub();
            let ep = format!("{}/apih.php", stub.base);
            let mut args = vec![
                "fh",
                "--endpoint",
                &ep,
                "create",
                "--tariff",
                "12",
                "--period",
                "1",
            ];
            if json {
                args.push("--json");
            } else {
                args.push("--show-secrets");
            }
            let sink = if name == "/dev/full" {
                Sink::Full
            } else {
                Sink::Closed
            };
            let o = vpsgate_to(&args, &creds(), sink);
            let e = err(&o);
            assert_eq!(code(&o), 1, "{name} json={json}: {e}");
            assert!(
                e.contains(
                    "warning: createOrder was executed, but its answer could not be written"
                ),
                "{name}: {e}"
            );
            assert!(e.contains("one-time server password"), "{name}: {e}");
            assert!(e.contains("vpsgate fh orders"), "{name}: {e}");
            assert!(e.contains("writing to stdout"), "{name}: {e}");
            assert!(!e.contains(SERVER_PW) && !e.contains(PW), "{name}: {e}");
            assert_eq!(stub.seen().len(), 1, "sent once");
        }
    }
    // A read-only command into a closed pipe (`| head`) is not an error.
    let stub = Stub::new(
        200,
        "application/json",
        r#"{"status":"SUCCESS","balance":"5.00","currency":"USD"}"#,
    );
    let ep = format!("{}/apih.php", stub.base);
    let o = vpsgate_to(
        &["fh", "--endpoint", &ep, "balance"],
        &creds(),
        Sink::Closed,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    // ... but into a full disk it is.
    let o = vpsgate_to(&["fh", "--endpoint", &ep, "balance"], &creds(), Sink::Full);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(!err(&o).contains("was executed"), "{}", err(&o));
}

#[test]
fn a_lease_whose_answer_cannot_be_written_fails_with_a_warning() {
    let body = r#"{"server_id":"ID20002","ip":"203.0.113.7","port":22,"login":"root","password":"L3ase!pw","created_at":"01.01.2026","end_at":"01.02.2026","rate":"singapore","client_id":"C1"}"#;
    let stub = Stub::new(200, "application/json", body);
    let o = vpsgate_to(
        &[
            "govpsfx",
            "--endpoint",
            &stub.base,
            "--json",
            "lease",
            "--rate",
            "singapore",
            "--term",
            "1",
            "--client-id",
            "C1",
        ],
        &gv_creds(),
        Sink::Full,
    );
    let e = err(&o);
    assert_eq!(code(&o), 1, "{e}");
    assert!(
        e.contains("lease was executed") && e.contains("one-time server password"),
        "{e}"
    );
    assert!(e.contains("no way to list servers"), "{e}");
    assert!(!e.contains("L3ase!pw") && !e.contains("sdsd4223dsd"), "{e}");
    assert_eq!(stub.seen().len(), 1);
}

#[test]
fn retry_attempts_retries_read_only_commands_only() {
    for bad in ["0", "11", "-1", "x"] {
        let o = vpsgate(&["fh", "--retry-attempts", bad, "balance"], &creds(), None);
        assert_eq!(code(&o), 2, "{bad}: {}", err(&o));
    }
    let stub = Stub::new(500, "text/plain", "Internal Server Error");
    let ep = format!("{}/apih.php", stub.base);
    let o = vpsgate(
        &["fh", "--endpoint", &ep, "--retry-attempts", "3", "balance"],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 16, "{}", err(&o));
    assert_eq!(stub.seen().len(), 3, "three attempts");
    let o = vpsgate(
        &[
            "fh",
            "--endpoint",
            &ep,
            "--retry-attempts",
            "3",
            "create",
            "--tariff",
            "1",
            "--period",
            "1",
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 16, "{}", err(&o));
    assert!(err(&o).contains("OUTCOME UNKNOWN"), "{}", err(&o));
    assert_eq!(stub.seen().len(), 4, "the create was sent once");
    let o = vpsgate(
        &[
            "fh",
            "--endpoint",
            &ep,
            "--retry-attempts",
            "3",
            "suspend",
            "--order",
            "7",
        ],
        &creds(),
        None,
    );
    assert_eq!(code(&o), 16, "{}", err(&o));
    assert_eq!(stub.seen().len(), 5, "a suspend is sent once");
    // Without the flag, nothing is retried.
    let o = vpsgate(&["fh", "--endpoint", &ep, "orders"], &creds(), None);
    assert_eq!(code(&o), 16, "{}", err(&o));
    assert_eq!(stub.seen().len(), 6);
}

#[test]
fn lifecycle_reads_the_retry_settings_of_its_configuration() {
    let stub = Stub::new(503, "text/plain", "Service Unavailable");
    let dir = std::env::temp_dir().join(format!("vpsgate-retry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("provider.toml");
    std::fs::write(
        &file,
        format!(
            "provider = \"friendhosting\"\nendpoint = \"{}/apih.php\"\nlogin = \"demo\"\n\
             api_key = \"k\"\nretry_attempts = 4\nretry_base_delay_ms = 1\nretry_max_delay_ms = 5\n",
            stub.base
        ),
    )
    .unwrap();
    let config = file.to_str().unwrap();
    let o = vpsgate(&["lifecycle", "--config", config, "balance"], &[], None);
    assert_eq!(code(&o), 16, "{}", err(&o));
    assert_eq!(stub.seen().len(), 4, "balance: four attempts");
    let o = vpsgate(
        &[
            "lifecycle",
            "--config",
            config,
            "create",
            "--args",
            r#"{"plan":"201","months":1}"#,
        ],
        &[],
        None,
    );
    assert_eq!(code(&o), 16, "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(out(&o).trim()).unwrap();
    assert_eq!(v["error"]["outcome_unknown"], true, "{v}");
    assert_eq!(stub.seen().len(), 5, "create: once");
    // Out of bounds: refused by name before anything is sent.
    std::fs::write(
        &file,
        "provider = \"friendhosting\"\nlogin = \"demo\"\napi_key = \"k\"\nretry_attempts = 40\n",
    )
    .unwrap();
    let o = vpsgate(&["lifecycle", "--config", config, "balance"], &[], None);
    assert_eq!(code(&o), 11, "{}", err(&o));
    assert!(err(&o).contains("retry_attempts"), "{}", err(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}
