//! `vpsgate lifecycle`: one neutral step at a provider described by a configuration file, against
//! the real sandbox; output in the contract's JSON shapes, errors as the contract's error object.

mod common;
use common::{code, err, out, vpsgate};
use vpsgate_sandbox::{Sandbox, SandboxConfig};

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&out(o)).unwrap_or_else(|e| panic!("{e}: {:?} {:?}", out(o), err(o)))
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn friendhosting_steps_from_json_and_toml_configs() {
    let sandbox = Sandbox::start(SandboxConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("vpsgate-cli-lifecycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json_cfg = write(
        &dir,
        "fh.json",
        &format!(
            r#"{{"provider":"friendhosting","endpoint":"{}","login":"demo","api_key":"demo-key","format":"json"}}"#,
            sandbox.gateway_url()
        ),
    );
    let toml_cfg = write(
        &dir,
        "fh.toml",
        &format!(
            "provider = \"friendhosting\"\nendpoint = \"{}\"\nlogin = \"demo\"\npassword = \"demo\"\n",
            sandbox.gateway_url()
        ),
    );

    let o = vpsgate(&["lifecycle", "--config", &json_cfg, "balance"], &[], None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        json(&o),
        serde_json::json!({"amount": "100.00", "currency": "USD"})
    );

    let o = vpsgate(
        &[
            "lifecycle",
            "--config",
            &toml_cfg,
            "create",
            "--args",
            r#"{"plan":"201","months":1,"kind":"vds"}"#,
        ],
        &[],
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let created = json(&o);
    let id = created["service"]["id"].as_str().unwrap().to_owned();
    assert!(!id.is_empty(), "{created}");
    assert_eq!(created["provisioning"]["state"], "ready");

    let args = format!(r#"{{"id":"{id}"}}"#);
    let o = vpsgate(
        &[
            "lifecycle",
            "--config",
            &json_cfg,
            "suspend",
            "--args",
            &args,
        ],
        &[],
        None,
    );
    assert_eq!(json(&o), serde_json::json!({"done": true, "warning": null}));
    let o = vpsgate(
        &["lifecycle", "--config", &json_cfg, "info", "--args", &args],
        &[],
        None,
    );
    assert_eq!(json(&o)["state"], "suspended");

    // No such operation at the gateway: exit 10 + 14, the contract's error object.
    let o = vpsgate(
        &[
            "lifecycle",
            "--config",
            &json_cfg,
            "terminate",
            "--args",
            &args,
        ],
        &[],
        None,
    );
    assert_eq!(code(&o), 24, "{}", err(&o));
    let e = &json(&o)["error"];
    assert_eq!(
        (e["code"].as_u64(), e["name"].as_str()),
        (Some(14), Some("unsupported"))
    );

    // A gateway error keeps the upstream's code: order 1 is not the demo account's.
    let o = vpsgate(
        &[
            "lifecycle",
            "--config",
            &json_cfg,
            "suspend",
            "--args",
            r#"{"id":"1"}"#,
        ],
        &[],
        None,
    );
    assert_eq!(code(&o), 17, "{}", err(&o));
    assert!(json(&o)["error"]["upstream_code"].is_i64());

    // Bad configuration and bad arguments are invalid input naming the field; nothing leaks.
    let bad = write(
        &dir,
        "bad.json",
        r#"{"provider":"friendhosting","login":"demo","password":"hunter2","api_key":"hunter2"}"#,
    );
    let o = vpsgate(&["lifecycle", "--config", &bad, "balance"], &[], None);
    assert_eq!(code(&o), 11);
    assert_eq!(json(&o)["error"]["field"], "api_key");
    assert!(!out(&o).contains("hunter2") && !err(&o).contains("hunter2"));
    let o = vpsgate(
        &[
            "lifecycle",
            "--config",
            &json_cfg,
            "renew",
            "--args",
            r#"{"id":"1"}"#,
        ],
        &[],
        None,
    );
    assert_eq!(
        (code(&o), json(&o)["error"]["field"].as_str()),
        (11, Some("months"))
    );
    let o = vpsgate(&["lifecycle", "--config", &json_cfg, "explode"], &[], None);
    assert_eq!(
        (code(&o), json(&o)["error"]["field"].as_str()),
        (11, Some("step"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_outcome_is_said_and_find_order_finds_it() {
    let sandbox = Sandbox::start(SandboxConfig::default()).unwrap();
    let ep = sandbox.gateway_url();
    let env = [
        ("VPSGATE_FH_LOGIN", "demo"),
        ("VPSGATE_FH_APIKEY", "demo-key"),
    ];
    sandbox
        .set_faults(vpsgate_sandbox::FaultConfig {
            truncate_rate: 1.0,
            ..Default::default()
        })
        .unwrap();
    let create = [
        "fh",
        "--endpoint",
        &ep,
        "create",
        "--tariff",
        "201",
        "--period",
        "1",
        "--vid",
        "vds",
        "--domain",
        "cut.example",
    ];
    let o = vpsgate(&create, &env, None);
    sandbox.set_faults(Default::default()).unwrap();
    assert_ne!(code(&o), 0);
    assert!(
        err(&o).contains("OUTCOME UNKNOWN") && err(&o).contains("find-order"),
        "{}",
        err(&o)
    );
    let o = vpsgate(
        &[
            "fh",
            "--endpoint",
            &ep,
            "find-order",
            "--tariff",
            "201",
            "--domain",
            "cut.example",
            "--json",
        ],
        &env,
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let found = json(&o);
    assert_eq!(
        found["data"]["orders"].as_array().unwrap().len(),
        1,
        "{found}"
    );
    assert_eq!(found["data"]["orders"][0]["domain"], "cut.example");
}

#[test]
fn empty_order_and_out_of_range_timeouts_are_refused() {
    let env = [
        ("VPSGATE_FH_LOGIN", "demo"),
        ("VPSGATE_FH_APIKEY", "demo-key"),
    ];
    let o = vpsgate(
        &[
            "fh",
            "--endpoint",
            "http://127.0.0.1:9/apih.php",
            "orders",
            "--order",
            "",
        ],
        &env,
        None,
    );
    assert_eq!(code(&o), 11, "{}", err(&o));
    assert!(err(&o).contains("--order"), "{}", err(&o));
    for t in ["0", "9223372036854775807", "86401"] {
        let o = vpsgate(&["fh", "--timeout", t, "balance"], &env, None);
        assert_eq!(code(&o), 2, "--timeout {t}: {}", err(&o));
    }
}
