//! `vpsgate demo`, the README's main command: the whole lifecycle of both APIs against an
//! in-process sandbox, through the real clients and the native transport.

use std::process::Command;

#[test]
fn demo_walks_both_lifecycles_and_exits_zero() {
    let out = Command::new(env!("CARGO_BIN_EXE_vpsgate"))
        .arg("demo")
        .output()
        .expect("run vpsgate demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        // Friendhosting: the default catalog's VDS-1, the demo account's opening balance, the
        // first order id, the priced create (3 months of 4.99 at 3 % off + add-on 11: 3 x 1.50
        // + 1.00 setup = 20.02), the renewal charge, the deliberate error 22.
        "tariff 201  VDS-1",
        "balance 100.00 USD",
        "order 100001 placed: cost 20.02 USD, balance now 79.98",
        "renewed for 1 month(s): cost 6.49 USD, balance now 73.49",
        "gateway error 22: The order is already started",
        "order 100002 at cost 0.00 USD",
        // GoVPSFX: immediate lease, deferred lease verified at our handler, forged callback
        // rejected, recall, 403 with a wrong secret, refused term.
        "server ID20001 (singapore) for client ID16773",
        "202 accepted:",
        "callback received and its md5 signature verified",
        "server ID20002 (france_mini) for client ID16774",
        "rejected -> callback signature does not match",
        "recalled",
        "refused (HTTP 403)",
        "invalid term: 2 months is not offered",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    // Server passwords are received but never printed.
    assert!(stdout.contains("password received (hidden)"), "{stdout}");
}
