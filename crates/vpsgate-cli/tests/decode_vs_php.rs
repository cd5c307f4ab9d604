//! `vpsgate decode --from php -` against PHP 8.2.
//!
//! The cases come from `crates/vpsgate/tests/php/gen_cases.php --cli` (real `serialize()`
//! output and seeded malformations of it). For an input PHP accepts, the CLI must exit 0 and
//! print JSON equal to PHP's `json_encode(unserialize($s, ['allowed_classes' => false]))` with
//! NAN/INF/-INF as the strings "NAN"/"INF"/"-INF" and the flags
//! `JSON_UNESCAPED_UNICODE|JSON_UNESCAPED_SLASHES|JSON_INVALID_UTF8_SUBSTITUTE|JSON_PRESERVE_ZERO_FRACTION`
//! (compared as parsed JSON; numbers by value, an int never equal to a float). For an input PHP
//! rejects, it must exit non-zero with a one-line stderr message containing `at byte N`.
//! Divergences allowed as in `crates/vpsgate/tests/php_compat.rs`: integer overflow (PHP clamps
//! with a warning, we reject), cycles (we reject), `E:` (PHP rejects, we read it as data).
//!
//! Without `php` the test prints a SKIPPED line and passes, unless `VPSGATE_REQUIRE_PHP=1`.

#[path = "../../vpsgate/tests/php/harness.rs"]
mod harness;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::{Command, Stdio};

use harness::{clip, hex, parse_cases, php_or_skip, run_php, Case};
use serde_json::Value as Json;

/// JSON equality with numbers compared by value: ints exactly, floats as f64, never int == float.
fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let xi = x.as_i64().map(i128::from).or(x.as_u64().map(i128::from));
            let yi = y.as_i64().map(i128::from).or(y.as_u64().map(i128::from));
            match (xi, yi) {
                (Some(p), Some(q)) => p == q,
                (None, None) => x.as_f64() == y.as_f64(),
                _ => false,
            }
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Same JSON text up to insignificant formatting, for documents too deep for serde_json's
/// recursion limit.
fn same_text(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn decode(input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vpsgate"))
        .args(["decode", "--from", "php", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vpsgate");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    // Write from another thread so a large output cannot deadlock against a full stdin pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait vpsgate");
    let _ = writer.join();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn rejected_properly(r: &Run) -> bool {
    let line = r.stderr.trim_end();
    r.code.is_some_and(|c| c != 0)
        && !line.contains('\n')
        && line
            .split("at byte ")
            .nth(1)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

fn describe(case: &Case, r: &Run) -> String {
    format!(
        "[{}] input hex {} (text {:?})\n    php:  {} {:?} json {}\n    cli:  exit {:?} stdout {} stderr {}",
        case.cat,
        clip(&hex(&case.input), 600),
        clip(&String::from_utf8_lossy(&case.input), 300),
        if case.ok { "accept" } else { "reject" },
        case.warnings,
        clip(case.json.as_deref().unwrap_or("-"), 500),
        r.code,
        clip(r.stdout.trim_end(), 500),
        clip(r.stderr.trim_end(), 300)
    )
}

#[test]
fn decode_matches_php_json_encode() {
    if !php_or_skip("decode_matches_php_json_encode") {
        return;
    }
    let cases = parse_cases(&run_php("gen_cases.php", &["--cli"]));
    assert!(
        cases.len() > 300,
        "generator produced only {} cases",
        cases.len()
    );
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in cases.iter().filter(|c| c.cat != "enum") {
        let r = decode(&case.input);
        let kind = match (case.ok, &case.json) {
            (true, Some(php_json)) => {
                if r.code == Some(0) {
                    let same = match (
                        serde_json::from_str::<Json>(php_json),
                        serde_json::from_str::<Json>(r.stdout.trim_end()),
                    ) {
                        (Ok(p), Ok(o)) => json_eq(&p, &o),
                        _ => same_text(php_json, &r.stdout),
                    };
                    if same && r.stdout.ends_with('\n') {
                        "json-agree"
                    } else {
                        "MISMATCH"
                    }
                } else if rejected_properly(&r)
                    && case
                        .warnings
                        .iter()
                        .any(|w| w.contains("Numerical result out of range"))
                {
                    "allowed-overflow"
                } else {
                    "MISMATCH"
                }
            }
            // PHP accepted a cyclic (or huge) value json_encode cannot print.
            (true, None) => {
                if rejected_properly(&r) {
                    "allowed-cycle"
                } else {
                    "MISMATCH"
                }
            }
            (false, _) => {
                if rejected_properly(&r) {
                    "reject-agree"
                } else if r.code == Some(0) && case.input.windows(2).any(|w| w == b"E:") {
                    "allowed-enum"
                } else {
                    "MISMATCH"
                }
            }
        };
        *counts.entry(kind).or_default() += 1;
        if kind == "MISMATCH" {
            failures.push(describe(case, &r));
        }
    }
    let report = counts
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    eprintln!("vpsgate decode vs PHP: {report}");
    assert!(
        failures.is_empty(),
        "{} disagreements with PHP; first ones:\n{}\n\n{report}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        counts.get("json-agree").copied().unwrap_or(0) > 200,
        "{report}"
    );
    assert!(
        counts.get("reject-agree").copied().unwrap_or(0) > 200,
        "{report}"
    );
}
