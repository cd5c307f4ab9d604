//! The differential against real PHP 8.2, both directions, on seeded random values.
//!
//! `tests/php/differential.php SEED COUNT` serializes COUNT random nested values with PHP's own
//! `serialize()` (every scalar type, Cyrillic and binary strings, mixed, sparse and negative keys,
//! objects with private and protected properties, `R:` and `r:` back-references, and one value in
//! fifty nested 20 to 400 levels deep) and prints each with PHP's canonical dump of the value
//! (grammar in `tests/php/lib.php`, rebuilt from a `php::Value` by `harness::dump`). Then:
//! 1. `php::parse` of PHP's bytes must give the same dump;
//! 2. `Value::to_php` of that value, read back by PHP's `unserialize()` (`tests/php/check.php`),
//!    must give the same dump again; and where PHP wrote no back-reference, our bytes must be
//!    PHP's bytes exactly.
//!
//! `VPSGATE_DIFF_COUNT` sets how many values (10,000 by default, the test command's run; the
//! long run `scripts/differential-long.sh` asks for 1,000,000), `VPSGATE_DIFF_SEED` the first
//! seed; values are generated in batches of 10,000, one seed per batch. Zero mismatches pass.
//! Without `php` the test prints a SKIPPED line and passes, unless `VPSGATE_REQUIRE_PHP=1`.

#[path = "php/harness.rs"]
mod harness;

use harness::{clip, dump, has_back_refs, hex, php_or_skip, run_php, unhex};
use vpsgate::php;

const BATCH: usize = 10_000;

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a count")),
        Err(_) => default,
    }
}

/// One generated value: PHP's `serialize()` bytes and PHP's dump of the value.
struct Generated {
    bytes: Vec<u8>,
    dump: String,
}

fn generate(seed: usize, count: usize) -> Vec<Generated> {
    let out = run_php("differential.php", &[&seed.to_string(), &count.to_string()]);
    let text = String::from_utf8(out).expect("differential.php prints ASCII lines");
    let lines: Vec<Generated> = text
        .lines()
        .map(|l| {
            let (h, d) = l.split_once(' ').expect("`<hex> <dump>` line");
            Generated {
                bytes: unhex(h),
                dump: d.to_owned(),
            }
        })
        .collect();
    assert_eq!(lines.len(), count, "differential.php printed every value");
    lines
}

/// Runs one batch; returns (values, of which written byte-identically, reference-free ones) and
/// pushes a line per mismatch.
fn batch(seed: usize, count: usize, mismatches: &mut Vec<String>) -> (usize, usize, usize) {
    let values = generate(seed, count);
    let mut ours = Vec::with_capacity(values.len());
    let (mut identical, mut ref_free) = (0, 0);
    for (i, g) in values.iter().enumerate() {
        let where_ = format!("seed {seed} value {i}");
        match php::parse(&g.bytes) {
            Err(e) => {
                mismatches.push(format!(
                    "{where_}: PHP wrote it, vpsgate refuses it: {e}\n    input: {:?}",
                    clip(&String::from_utf8_lossy(&g.bytes), 300)
                ));
                ours.push(Vec::new());
            }
            Ok(v) => {
                let d = dump(&v);
                if d != g.dump {
                    mismatches.push(format!(
                        "{where_}: vpsgate reads another value\n    php:  {}\n    ours: {}",
                        clip(&g.dump, 300),
                        clip(&d, 300)
                    ));
                }
                let bytes = v.to_php();
                if !has_back_refs(&g.bytes) {
                    ref_free += 1;
                    if bytes == g.bytes {
                        identical += 1;
                    } else {
                        mismatches.push(format!(
                            "{where_}: vpsgate writes other bytes than serialize()\n    php:  {:?}\n    ours: {:?}",
                            clip(&String::from_utf8_lossy(&g.bytes), 300),
                            clip(&String::from_utf8_lossy(&bytes), 300)
                        ));
                    }
                }
                ours.push(bytes);
            }
        }
    }
    // Our bytes, read back by PHP's unserialize().
    let dir = std::env::temp_dir().join(format!("vpsgate-diff-{}-{seed}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("ours.hex");
    let mut text = String::with_capacity(ours.iter().map(|b| b.len() * 2 + 1).sum());
    for b in &ours {
        text.push_str(&hex(b));
        text.push('\n');
    }
    std::fs::write(&file, text).expect("write our bytes");
    let back = run_php(
        "check.php",
        &[file.to_str().expect("utf-8 path"), "--allow-classes"],
    );
    let _ = std::fs::remove_dir_all(&dir);
    let back = String::from_utf8(back).expect("check.php prints JSON lines");
    let back: Vec<&str> = back.lines().collect();
    assert_eq!(back.len(), values.len(), "check.php answered every line");
    for (i, (g, line)) in values.iter().zip(back).enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let (ok, d) = (v["ok"].as_bool() == Some(true), v["d"].as_str());
        if !ok || d != Some(g.dump.as_str()) {
            mismatches.push(format!(
                "seed {seed} value {i}: PHP reads vpsgate's bytes {} as another value\n    want: {}\n    got:  {}",
                if ok { "fine" } else { "not at all" },
                clip(&g.dump, 300),
                clip(d.unwrap_or("-"), 300)
            ));
        }
    }
    (values.len(), identical, ref_free)
}

#[test]
fn random_values_agree_with_php_both_ways() {
    if !php_or_skip("random_values_agree_with_php_both_ways") {
        return;
    }
    let total = env_usize("VPSGATE_DIFF_COUNT", 10_000);
    let first_seed = env_usize("VPSGATE_DIFF_SEED", 20_261_202);
    let mut mismatches = Vec::new();
    let (mut done, mut identical, mut ref_free, mut seed) = (0, 0, 0, first_seed);
    while done < total {
        let n = BATCH.min(total - done);
        let (v, i, r) = batch(seed, n, &mut mismatches);
        done += v;
        identical += i;
        ref_free += r;
        seed += 1;
        if total > BATCH {
            eprintln!(
                "differential: {done} of {total} values, {} mismatches",
                mismatches.len()
            );
        }
    }
    eprintln!(
        "differential: {done} random values from seeds {first_seed}..{seed}, {} mismatches; \
         {identical} of {ref_free} reference-free values re-serialized byte-identically",
        mismatches.len()
    );
    // The generator must have covered what it claims, or the run proves little.
    assert!(
        ref_free * 2 > done,
        "only {ref_free} of {done} values free of references"
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches against PHP; first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
