//! A loopback stub server and a runner for the built `vpsgate` binary.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One request as the stub received it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `POST /apih.php` etc.
    pub request_line: String,
    /// Lower-cased header lines.
    pub headers: Vec<String>,
    /// The body.
    pub body: String,
}

/// A server on 127.0.0.1 that answers every connection with the next canned answer.
pub struct Stub {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Stub {
    /// Answers `status` + `body` (with `content_type`) to every request.
    pub fn new(status: u16, content_type: &str, body: &str) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let answer = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let seen = read_request(&mut stream);
                record.lock().unwrap().push(seen);
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        Stub { base, seen }
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The one request received (fails if there was not exactly one).
    pub fn only(&self) -> Seen {
        let seen = self.seen();
        assert_eq!(seen.len(), 1, "expected exactly one request: {seen:?}");
        seen[0].clone()
    }
}

fn read_request(stream: &mut TcpStream) -> Seen {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let request_line = lines.next().unwrap_or_default().to_owned();
            let headers: Vec<String> = lines.map(|l| l.to_ascii_lowercase()).collect();
            let len = headers
                .iter()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse::<usize>().unwrap())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Seen {
                    request_line,
                    headers,
                    body: String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned(),
                };
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => {
                return Seen {
                    request_line: String::new(),
                    headers: Vec::new(),
                    body: String::from_utf8_lossy(&buf).into_owned(),
                }
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Run `vpsgate` with only the given `VPSGATE_*` variables set (and no proxy variables).
pub fn vpsgate(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vpsgate"));
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("VPSGATE_") || k.to_ascii_lowercase().ends_with("_proxy") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    match stdin {
        None => cmd.stdin(std::process::Stdio::null()).output().unwrap(),
        Some(input) => {
            cmd.stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            let mut child = cmd.spawn().unwrap();
            child.stdin.take().unwrap().write_all(input).unwrap();
            child.wait_with_output().unwrap()
        }
    }
}

/// stdout as text.
pub fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// stderr as text.
pub fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The exit code.
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}
