//! The CLI end to end against the real sandbox (both formats, both APIs), in-process on
//! loopback with the built-in catalog: `demo`/`demo` (API key `demo-key`, 100.00 USD) and
//! GoVPSFX partner `14321` / `sdsd4223dsd`.

mod common;
use common::{code, err, out, vpsgate};
use vpsgate_sandbox::{Sandbox, SandboxConfig};

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&out(o)).unwrap_or_else(|e| panic!("{e}: {:?}", out(o)))
}

#[test]
fn friendhosting_lifecycle_through_the_sandbox() {
    let sandbox = Sandbox::start(SandboxConfig::default()).unwrap();
    let ep = sandbox.gateway_url();
    let pw = [
        ("VPSGATE_FH_LOGIN", "demo"),
        ("VPSGATE_FH_PASSWORD", "demo"),
    ];
    let key = [
        ("VPSGATE_FH_LOGIN", "demo"),
        ("VPSGATE_FH_APIKEY", "demo-key"),
    ];

    // PHP answers (the default) and JSON answers read alike.
    let o = vpsgate(&["fh", "balance", "--endpoint", &ep], &pw, None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "balance   100.00\ncurrency  USD\n");
    let o = vpsgate(
        &[
            "fh",
            "balance",
            "--endpoint",
            &ep,
            "--format",
            "json",
            "--json",
        ],
        &key,
        None,
    );
    assert_eq!(
        json(&o)["data"],
        serde_json::json!({"balance": "100.00", "currency": "USD"})
    );

    // Order a VDS, find it, renew it, suspend and start it.
    let o = vpsgate(
        &[
            "fh",
            "create",
            "--tariff",
            "202",
            "--period",
            "1",
            "--vid",
            "vds",
            "--endpoint",
            &ep,
            "--json",
        ],
        &pw,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let created = json(&o);
    let id = created["data"]["orderid"].as_str().unwrap().to_owned();
    assert_eq!(created["data"]["cost"], "29.99");
    assert_eq!(created["warning"], serde_json::Value::Null);

    let o = vpsgate(
        &["fh", "orders", "--order", &id, "--endpoint", &ep, "--json"],
        &pw,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(json(&o)["data"]["orders"][0]["orderid"], id.as_str());

    let o = vpsgate(
        &[
            "fh",
            "renew",
            "--order",
            &id,
            "--period",
            "1",
            "--endpoint",
            &ep,
        ],
        &pw,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(out(&o).contains("cost      19.99\n"), "{}", out(&o));

    let o = vpsgate(
        &["fh", "suspend", "--order", &id, "--endpoint", &ep],
        &pw,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    // Suspending twice: gateway error 21 → exit 17.
    let o = vpsgate(
        &["fh", "suspend", "--order", &id, "--endpoint", &ep],
        &pw,
        None,
    );
    assert_eq!(code(&o), 17, "{}", err(&o));
    assert!(
        err(&o).starts_with("vpsgate: gateway error 21"),
        "{}",
        err(&o)
    );
    let o = vpsgate(
        &["fh", "unsuspend", "--order", &id, "--endpoint", &ep],
        &pw,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));

    // A manually processed tariff: warning 30, still a success.
    let o = vpsgate(
        &[
            "fh",
            "create",
            "--tariff",
            "102",
            "--period",
            "1",
            "--domain",
            "example.com",
            "--endpoint",
            &ep,
        ],
        &pw,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        err(&o).starts_with("vpsgate: warning: gateway warning 30"),
        "{}",
        err(&o)
    );

    // Wrong password: error 7 → exit 17, the password nowhere in the output.
    let bad = [
        ("VPSGATE_FH_LOGIN", "demo"),
        ("VPSGATE_FH_PASSWORD", "wrong-pass-xyz"),
    ];
    let o = vpsgate(&["fh", "balance", "--endpoint", &ep], &bad, None);
    assert_eq!(code(&o), 17, "{}", err(&o));
    assert!(!err(&o).contains("wrong-pass-xyz") && !out(&o).contains("wrong-pass-xyz"));
}

#[test]
fn govpsfx_through_the_sandbox() {
    let sandbox = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = sandbox.base_url();
    let creds = [
        ("VPSGATE_GOVPSFX_PARTNER", "14321"),
        ("VPSGATE_GOVPSFX_SECRET", "sdsd4223dsd"),
    ];
    let o = vpsgate(
        &[
            "govpsfx",
            "lease",
            "--rate",
            "singapore",
            "--term",
            "1",
            "--client-id",
            "ID16773",
            "--endpoint",
            &base,
            "--json",
        ],
        &creds,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let leased = json(&o);
    assert_eq!(leased["status"], "delivered");
    assert_eq!(leased["server"]["client_id"], "ID16773");
    let server_id = leased["server"]["server_id"].as_str().unwrap().to_owned();
    assert!(!leased["server"]["password"].as_str().unwrap().is_empty());

    let o = vpsgate(
        &[
            "govpsfx",
            "extend",
            "--term",
            "3",
            "--client-id",
            "ID16773",
            "--endpoint",
            &base,
            "--json",
        ],
        &creds,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(json(&o)["end_at"].as_str().unwrap().len() == 10);

    // Deferred rate: 202 → pending, exit 0.
    let o = vpsgate(
        &[
            "govpsfx",
            "lease",
            "--rate",
            "france_mini",
            "--term",
            "1",
            "--client-id",
            "C2",
            "--endpoint",
            &base,
            "--json",
        ],
        &creds,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(json(&o)["status"], "pending");

    let o = vpsgate(
        &[
            "govpsfx",
            "recall",
            "--server-id",
            &server_id,
            "--endpoint",
            &base,
        ],
        &creds,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));

    // A wrong secret: the sandbox answers 403 → exit 19.
    let wrong = [
        ("VPSGATE_GOVPSFX_PARTNER", "14321"),
        ("VPSGATE_GOVPSFX_SECRET", "nope"),
    ];
    let o = vpsgate(
        &[
            "govpsfx",
            "recall",
            "--server-id",
            &server_id,
            "--endpoint",
            &base,
        ],
        &wrong,
        None,
    );
    assert_eq!(code(&o), 19, "{}", err(&o));
}
