//! Every input the fuzzers (`fuzz/`) ever found a problem with, kept in `tests/fuzz-crashers/`.
//!
//! A file is named `<target>-<what>.<verdict>` where `<verdict>` is `accept` or `reject`: the
//! verdict of PHP 8.2's `unserialize($s, ['allowed_classes' => false])` on it (or, for the
//! documented divergences, the codec's required answer), recorded when the file was added.
//! Each one must decode without a panic to that verdict; an accepted one must also survive
//! `to_php` → `parse` and the typed and JSON paths.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use vpsgate::php::{self, Value};

/// Structural equality where every NaN equals every NaN.
fn same(a: &Value, b: &Value) -> bool {
    let entries = |x: &php::Array, y: &php::Array| {
        x.len() == y.len()
            && x.iter()
                .zip(y.iter())
                .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2))
    };
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (Value::Array(x), Value::Array(y)) => entries(x, y),
        (
            Value::Object {
                class: c1,
                properties: p1,
            },
            Value::Object {
                class: c2,
                properties: p2,
            },
        ) => c1 == c2 && entries(p1, p2),
        _ => a == b,
    }
}

fn check(input: &[u8], expect_accept: bool) -> Result<(), String> {
    let parsed = php::parse(input);
    match (&parsed, expect_accept) {
        (Ok(v), true) => {
            let bytes = v.to_php();
            let back = php::parse(&bytes).map_err(|e| format!("own output does not parse: {e}"))?;
            if !same(v, &back) {
                return Err(format!(
                    "round trip changed the value: {:?}",
                    String::from_utf8_lossy(&bytes)
                ));
            }
            let json = php::to_json(v);
            serde_json::from_str::<serde_json::Value>(&json)
                .map_err(|e| format!("to_json is not JSON ({e}): {json}"))?;
        }
        (Err(e), false) => {
            if e.offset > input.len() {
                return Err(format!("error offset {} past the input", e.offset));
            }
        }
        (Ok(v), false) => return Err(format!("accepted, PHP rejects: {v:?}")),
        (Err(e), true) => return Err(format!("rejected ({e}), PHP accepts")),
    }
    let _ = php::from_bytes::<serde_json::Value>(input);
    let _ = php::from_bytes::<serde::de::IgnoredAny>(input);
    Ok(())
}

#[test]
fn every_fuzz_crasher_decodes_to_its_verdict() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-crashers");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz-crashers exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expect_accept = match path.extension().and_then(|e| e.to_str()) {
            Some("accept") => true,
            Some("reject") => false,
            _ => continue, // README and the like
        };
        let input = std::fs::read(path).expect("read crasher");
        checked += 1;
        match catch_unwind(AssertUnwindSafe(|| check(&input, expect_accept))) {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => failures.push(format!("{name}: {msg}")),
            Err(_) => failures.push(format!("{name}: PANIC")),
        }
    }
    eprintln!("{checked} fuzz crashers checked, {} fail", failures.len());
    assert!(checked > 0, "no crasher files in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
