//! The committed gateway fixtures must be exactly what `generate.php` writes today.
//!
//! Without `php` on the PATH the check is skipped with a loud message, unless
//! `VPSGATE_REQUIRE_PHP=1`, which turns the skip into a failure (CI sets it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/friendhosting")
}

fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("ser" | "json")))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn committed_fixtures_are_fresh() {
    let required = std::env::var("VPSGATE_REQUIRE_PHP").is_ok_and(|v| v == "1");
    let fresh = std::env::temp_dir().join(format!("vpsgate-fh-fixtures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    let run = Command::new("php")
        .arg(dir().join("generate.php"))
        .arg(&fresh)
        .output();
    let run = match run {
        Ok(r) => r,
        Err(e) => {
            assert!(
                !required,
                "VPSGATE_REQUIRE_PHP=1 but `php` could not be run: {e}"
            );
            eprintln!(
                "\n*** SKIPPED committed_fixtures_are_fresh: `php` could not be run ({e}); \
                 set VPSGATE_REQUIRE_PHP=1 to make this a failure ***\n"
            );
            return;
        }
    };
    assert!(
        run.status.success(),
        "generate.php failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let want = outputs(&fresh);
    let have = outputs(&dir());
    let _ = std::fs::remove_dir_all(&fresh);
    assert!(!want.is_empty(), "generate.php wrote nothing");
    let want_names: Vec<_> = want.keys().collect();
    let have_names: Vec<_> = have.keys().collect();
    assert_eq!(
        have_names, want_names,
        "committed fixture files differ from generate.php's; rerun it"
    );
    for (name, bytes) in &want {
        assert!(
            have[name] == *bytes,
            "{name} is stale: rerun `php tests/fixtures/friendhosting/generate.php`"
        );
    }
}
