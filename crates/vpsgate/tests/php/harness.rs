//! Shared by the real-PHP comparison tests: finding `php`, running the generator scripts in
//! `tests/php/`, reading their JSON lines, and the canonical dump of a `php::Value` that
//! `tests/php/lib.php` also produces (see the grammar there).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use vpsgate::php::{Key, Value};

/// Node budget of a dump; must equal `CANON_BUDGET` in `tests/php/lib.php`.
pub const BUDGET: usize = 300_000;

/// The directory holding the PHP scripts (this file is also compiled into the CLI's tests, so
/// the path goes through the crates directory).
pub fn php_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vpsgate/tests/php")
}

/// Whether `php` runs. When it does not, prints a loud SKIPPED line and returns false, unless
/// `VPSGATE_REQUIRE_PHP=1`, where it panics.
pub fn php_or_skip(test: &str) -> bool {
    let ok = Command::new("php")
        .arg("-r")
        .arg("exit(PHP_MAJOR_VERSION >= 8 ? 0 : 1);")
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var("VPSGATE_REQUIRE_PHP").as_deref() == Ok("1") {
            panic!("{test}: php (>= 8) is not runnable and VPSGATE_REQUIRE_PHP=1");
        }
        eprintln!("\n!!!!!!!! SKIPPED {test}: php (>= 8) not found; set VPSGATE_REQUIRE_PHP=1 to make this fatal !!!!!!!!\n");
    }
    ok
}

/// Runs `php tests/php/<script> <args>` and returns its stdout; panics with stderr on failure.
pub fn run_php(script: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new("php")
        .arg("-d")
        .arg("memory_limit=2G")
        .arg(php_dir().join(script))
        .args(args)
        .output()
        .expect("spawn php");
    assert!(
        out.status.success(),
        "php {script} failed ({}): {}\n(stdout ends) {}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout[out.stdout.len().saturating_sub(2000)..])
    );
    out.stdout
}

/// One case from `gen_cases.php`.
#[derive(Debug, Clone)]
pub struct Case {
    /// Category (fixed, random, truncated, ...).
    pub cat: String,
    /// The serialized input.
    pub input: Vec<u8>,
    /// PHP accepted it.
    pub ok: bool,
    /// Warnings PHP raised.
    pub warnings: Vec<String>,
    /// PHP's canonical dump, `CYCLE`, `HUGE`, or None when rejected.
    pub dump: Option<String>,
    /// PHP's json_encode shaping (only from `--cli`).
    pub json: Option<String>,
}

/// Parses the generator's JSON lines.
pub fn parse_cases(out: &[u8]) -> Vec<Case> {
    let text = std::str::from_utf8(out).expect("generator output is UTF-8 JSON");
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            Case {
                cat: v["c"].as_str().expect("c").to_owned(),
                input: unhex(v["in"].as_str().expect("in")),
                ok: v["ok"].as_bool().expect("ok"),
                warnings: v["w"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|w| w.as_str().unwrap_or("").to_owned())
                            .collect()
                    })
                    .unwrap_or_default(),
                dump: v["d"].as_str().map(str::to_owned),
                json: v.get("j").and_then(|j| j.as_str()).map(str::to_owned),
            }
        })
        .collect()
}

/// Whether serialized bytes hold a back-reference (`R:` or `r:`): PHP's reference bookkeeping,
/// which a tree does not keep, so such input need not re-encode byte for byte.
pub fn has_back_refs(serialized: &[u8]) -> bool {
    serialized.windows(2).any(|w| w == b"R:" || w == b"r:")
}

/// Lower-case hex of bytes.
pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Bytes of a hex string.
pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Shortens long text for a report line.
pub fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        s.to_owned()
    } else {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…(+{} bytes)", &s[..end], s.len() - end)
    }
}

/// The canonical dump of `lib.php` (`canon()`), or `HUGE` past [`BUDGET`] nodes.
pub fn dump(v: &Value) -> String {
    let mut out = String::new();
    let mut budget = BUDGET;
    match dump_rec(v, &mut out, &mut budget) {
        Ok(()) => out,
        Err(()) => "HUGE".to_owned(),
    }
}

fn dump_rec(v: &Value, out: &mut String, budget: &mut usize) -> Result<(), ()> {
    if *budget == 0 {
        return Err(());
    }
    *budget -= 1;
    match v {
        Value::Null => out.push('N'),
        Value::Bool(b) => out.push_str(if *b { "b1" } else { "b0" }),
        Value::Int(i) => {
            let _ = write!(out, "i{i}");
        }
        Value::Float(f) if f.is_nan() => out.push_str("dnan"),
        Value::Float(f) => {
            let _ = write!(out, "d{:016x}", f.to_bits());
        }
        Value::String(s) => {
            out.push('s');
            out.push_str(&hex(s));
        }
        Value::Array(a) => {
            let _ = write!(out, "a{}{{", a.len());
            for (k, v) in a.iter() {
                match k {
                    Key::Int(i) => {
                        let _ = write!(out, "i{i}");
                    }
                    Key::String(s) => {
                        out.push('s');
                        out.push_str(&hex(s));
                    }
                }
                out.push(':');
                dump_rec(v, out, budget)?;
                out.push(',');
            }
            out.push('}');
        }
        Value::Object(o) => {
            let (class, properties) = (&o.class, &o.properties);
            out.push('o');
            out.push_str(&hex(class));
            out.push('{');
            for (k, v) in properties.iter() {
                out.push('s');
                match k {
                    Key::Int(i) => out.push_str(&hex(i.to_string().as_bytes())),
                    Key::String(s) => out.push_str(&hex(s)),
                }
                out.push(':');
                dump_rec(v, out, budget)?;
                out.push(',');
            }
            out.push('}');
        }
        // PHP (allowed_classes=false) warns "has no unserializer" and keeps only the class.
        Value::Custom(c) => {
            out.push('o');
            out.push_str(&hex(&c.class));
            out.push_str("{}");
        }
        Value::Enum(e) => {
            let _ = write!(out, "e{}:{}", hex(&e.class), hex(&e.case));
        }
    }
    Ok(())
}

/// Whether the value holds an `E:` enum anywhere.
pub fn has_enum(v: &Value) -> bool {
    match v {
        Value::Enum(_) => true,
        v => v
            .entries()
            .is_some_and(|a| a.iter().any(|(_, v)| has_enum(v))),
    }
}
