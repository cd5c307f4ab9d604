//! Inputs the fuzzers (`fuzz/`) found, kept in `tests/fuzz-crashers/`: every crash they ever
//! found (`<target>-<hash>.<verdict>`, added by `fuzz/run.sh`; none so far) and a sample of the
//! coverage-increasing inputs libFuzzer built for `php_parse` (`php_parse-corpus-<hash>.<verdict>`).
//!
//! `<verdict>` is `accept` or `reject`: what PHP 8.2's
//! `unserialize($s, ['allowed_classes' => false])` does with the file, adjusted for the codec's
//! documented divergences (`tests/php/verdict.php`), recorded when the file was added. Each one
//! must decode without a panic to that verdict; an accepted one must also survive `to_php` →
//! `parse`, `to_json`, and the typed paths.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use vpsgate::php;

fn check(input: &[u8], expect_accept: bool) -> Result<(), String> {
    let parsed = php::parse(input);
    match (&parsed, expect_accept) {
        (Ok(v), true) => {
            let bytes = v.to_php();
            let back = php::parse(&bytes).map_err(|e| format!("own output does not parse: {e}"))?;
            if !v.same_as(&back) {
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
            if e.offset.is_none_or(|o| o > input.len()) {
                return Err(format!("error offset {:?} past the input", e.offset));
            }
        }
        (Ok(v), false) => return Err(format!("accepted, PHP rejects: {v:?}")),
        (Err(e), true) => return Err(format!("rejected ({e}), PHP accepts")),
    }
    // The npm package's fast path: nothing written for refused input, and no panic.
    let packed = php::to_msgpack_for_js(input, &php::Options::default());
    if parsed.is_err() && packed.is_some() {
        return Err("MessagePack written for input the codec refuses".into());
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
