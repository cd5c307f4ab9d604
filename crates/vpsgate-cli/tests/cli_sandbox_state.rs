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

/// `vpsgate sandbox ARGS` serving in the background; killed (SIGKILL) when dropped.
struct Running {
    child: std::process::Child,
    addr: String,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_vpsgate"))
            .arg("sandbox")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(20)) {
            if let Some(a) = line.split("listening on http://").nth(1) {
                return Running {
                    child,
                    addr: a.trim().to_string(),
                };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the sandbox did not say it is listening");
    }

    /// POST a gateway form; the answer's body.
    fn post(&self, body: &str) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "POST /apih.php HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        text.split_once("\r\n\r\n").unwrap().1.to_string()
    }

    /// SIGKILL, as a crash would.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn language_flag_answers_in_russian() {
    let s = Running::start(&["--port", "0", "--language", "ru"]);
    let body = s.post("command=getBalance&login=demo&pass=wrong");
    let msg = "Указан неверный пароль или API-ключ";
    // PHP string lengths count bytes: 62 for these 35 characters.
    assert_eq!(msg.len(), 62);
    assert_eq!(
        body,
        format!("a:3:{{s:6:\"status\";s:5:\"ERROR\";s:9:\"errorCode\";s:1:\"7\";s:8:\"errorMsg\";s:62:\"{msg}\";}}")
    );
    s.kill();
    let s = Running::start(&["--port", "0"]);
    assert!(s
        .post("command=getBalance&login=demo&pass=wrong&json=1")
        .contains("The stated password or API key is not correct"));
}

#[test]
fn a_sigkill_loses_no_answered_order() {
    let dir = temp("sigkill");
    let file = dir.join("state.db");
    let state = file.to_str().unwrap();
    let s = Running::start(&["--port", "0", "--state-file", state]);
    let create =
        "command=createOrder&vid=vds&tarifid=201&period=1&login=demo&apikey=demo-key&json=1";
    let ids: Vec<String> = (0..15)
        .map(|_| {
            let v: serde_json::Value = serde_json::from_str(&s.post(create)).unwrap();
            v["orderid"].as_str().unwrap().to_string()
        })
        .collect();
    s.kill();
    let s = Running::start(&["--port", "0", "--state-file", state]);
    let v: serde_json::Value =
        serde_json::from_str(&s.post("command=getOrders&login=demo&apikey=demo-key&json=1"))
            .unwrap();
    let listed: Vec<&str> = v["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["orderid"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids);
    let v: serde_json::Value =
        serde_json::from_str(&s.post("command=getBalance&login=demo&apikey=demo-key&json=1"))
            .unwrap();
    assert_eq!(v["balance"], "25.15"); // 100 - 15 x 4.99
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}
