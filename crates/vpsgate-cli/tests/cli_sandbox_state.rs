//! `vpsgate sandbox` start-up: a bad state file or configuration stops it before it says it
//! is listening.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Run `vpsgate sandbox ARGS`; killed after 20 s if it does not exit by itself.
fn sandbox(args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vpsgate"))
        .arg("sandbox")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn temp(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("vpsgate-cli-state-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_corrupt_state_file_fails_before_listening() {
    let dir = temp("corrupt");
    let file = dir.join("state.db");
    std::fs::write(
        &file,
        b"SQLite format 3\0 but then nothing that makes sense......",
    )
    .unwrap();
    let (code, stdout, stderr) = sandbox(&["--port", "0", "--state-file", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "stdout {stdout:?} stderr {stderr:?}");
    assert!(!stdout.contains("listening"), "{stdout}");
    assert!(!stderr.contains("listening"), "{stderr}");
    assert!(stderr.contains("state.db"), "{stderr}");
    assert!(stderr.contains("sandbox state"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_negative_balance_in_the_configuration_fails_before_listening() {
    let dir = temp("negative");
    let cfg = dir.join("sandbox.toml");
    std::fs::write(
        &cfg,
        "[[friendhosting.accounts]]\nlogin = \"a\"\npassword = \"p\"\nbalance = \"-5\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = sandbox(&["--port", "0", "--config", cfg.to_str().unwrap()]);
    assert_eq!(code, Some(1), "stdout {stdout:?} stderr {stderr:?}");
    assert!(!stdout.contains("listening") && !stderr.contains("listening"));
    assert!(
        stderr.contains("account a: balance -5 is negative"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
