//! `vpsgate decode` and `vpsgate sign` on the built binary.

mod common;
use common::{code, err, out, vpsgate};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

#[test]
fn decodes_php_from_stdin() {
    // With the newline `echo` would add.
    let mut input = fixture("decode_balance.ser");
    input.push(b'\n');
    let o = vpsgate(&["decode"], &[], Some(&input));
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "{\"status\":\"SUCCESS\",\"balance\":12.5}\n");
}

#[test]
fn decodes_php_list_from_a_file() {
    let file = format!("{FIXTURES}/decode_list.ser");
    let o = vpsgate(&["decode", "--from", "php", &file], &[], None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    // UTF-8 kept as is (JSON_UNESCAPED_UNICODE, see `vpsgate::php::to_json`).
    assert_eq!(out(&o), "[7,\"Я!\"]\n");
}

#[test]
fn php_fixtures_are_what_gen_php_writes() {
    let dir = std::env::temp_dir().join(format!("vpsgate-cli-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let status = match std::process::Command::new("php")
        .arg(format!("{FIXTURES}/gen.php"))
        .arg(&dir)
        .status()
    {
        Ok(s) => s,
        Err(e) => {
            assert!(
                std::env::var_os("VPSGATE_REQUIRE_PHP").is_none(),
                "php is required (VPSGATE_REQUIRE_PHP) but cannot run: {e}"
            );
            eprintln!("SKIPPED: php not available ({e}); fixture freshness not checked");
            return;
        }
    };
    assert!(status.success());
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        assert_eq!(
            std::fs::read(entry.path()).unwrap(),
            fixture(&name),
            "{name} is stale: run php tests/fixtures/gen.php"
        );
        checked += 1;
    }
    assert_eq!(checked, 4);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn decodes_json_compactly() {
    let o = vpsgate(
        &["decode", "-"],
        &[],
        Some(b"  [1, {\"a\" : null}, \"x\"]\n"),
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "[1,{\"a\":null},\"x\"]\n");
}

#[test]
fn malformed_php_names_the_offset() {
    // `i:12x;`: the `x` at byte 4 is not a digit or `;`.
    let o = vpsgate(&["decode"], &[], Some(b"i:12x;"));
    assert_eq!(code(&o), 12, "{}", err(&o));
    assert_eq!(out(&o), "");
    let e = err(&o);
    assert!(
        e.starts_with("vpsgate: malformed PHP serialize data: at byte 4: "),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn malformed_json_names_the_offset() {
    let o = vpsgate(&["decode", "--from", "json"], &[], Some(b"{\"a\":}"));
    assert_eq!(code(&o), 13, "{}", err(&o));
    let e = err(&o);
    assert!(e.starts_with("vpsgate: malformed JSON at byte 5: "), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}

/// Output six times the input (control characters) goes through the streaming path: stdout
/// carries exactly the library's (tree path's) bytes and the newline; a malformed end after
/// such a string prints nothing on stdout and the offset on stderr.
#[test]
fn large_output_is_streamed_byte_identically() {
    let dir = std::env::temp_dir().join(format!("vpsgate-cli-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let n = 12 << 20;
    let mut input = format!("a:2:{{i:0;s:{n}:\"").into_bytes();
    input.extend(std::iter::repeat_n(1u8, n));
    input.extend_from_slice(b"\";i:1;s:2:\"\xd0\xaf\";}");
    let file = dir.join("controls.ser");
    std::fs::write(&file, &input).unwrap();
    let o = vpsgate(&["decode", file.to_str().unwrap()], &[], None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let tree = vpsgate::php::to_json(&vpsgate::php::parse(&input).unwrap());
    assert_eq!(o.stdout.len(), 6 * n + 10);
    assert!(o.stdout[..o.stdout.len() - 1] == *tree.as_bytes());
    assert!(o.stdout.ends_with("\"Я\"]\n".as_bytes()));

    // The same, broken at the end: nothing on stdout.
    input.truncate(input.len() - 1);
    input.extend_from_slice(b"x");
    std::fs::write(&file, &input).unwrap();
    let o = vpsgate(&["decode", file.to_str().unwrap()], &[], None);
    assert_ne!(code(&o), 0);
    assert!(o.stdout.is_empty());
    let offset = input.len() - 1;
    assert!(
        err(&o).contains(&format!("at byte {offset}")),
        "{}",
        err(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_file_is_exit_1_and_oversize_is_23() {
    let o = vpsgate(&["decode", "/nonexistent/vpsgate.ser"], &[], None);
    assert_eq!(code(&o), 1);
    assert!(err(&o).starts_with("vpsgate: reading /nonexistent/vpsgate.ser: "));
    let o = vpsgate(&["decode", "--max-size", "4"], &[], Some(b"i:12345;"));
    assert_eq!(code(&o), 23, "{}", err(&o));
    assert!(
        err(&o).contains("exceeds the limit of 4 bytes"),
        "{}",
        err(&o)
    );
}

#[test]
fn sign_matches_the_spec_vector() {
    let o = vpsgate(
        &[
            "sign",
            "--rate",
            "singapore",
            "--term",
            "1",
            "--partner-code",
            "14321",
        ],
        &[("VPSGATE_GOVPSFX_SECRET", "sdsd4223dsd")],
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "8cfff6fb2b39a4f0c9d6d7413e9439f6\n");
}

#[test]
fn sign_reads_partner_and_secret_from_named_env() {
    let o = vpsgate(
        &[
            "sign",
            "--rate",
            "singapore",
            "--term",
            "1",
            "--secret-env",
            "MY_SECRET",
        ],
        &[
            ("VPSGATE_GOVPSFX_PARTNER", "14321"),
            ("MY_SECRET", "sdsd4223dsd"),
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "8cfff6fb2b39a4f0c9d6d7413e9439f6\n");
    // A different secret gives a different hash.
    let o = vpsgate(
        &[
            "sign",
            "--rate",
            "singapore",
            "--term",
            "1",
            "--partner-code",
            "14321",
        ],
        &[("VPSGATE_GOVPSFX_SECRET", "other")],
        None,
    );
    assert_ne!(out(&o), "8cfff6fb2b39a4f0c9d6d7413e9439f6\n");
    assert_eq!(out(&o).trim().len(), 32);
}

#[test]
fn sign_without_secret_is_invalid_input() {
    let o = vpsgate(&["sign", "--partner-code", "1"], &[], None);
    assert_eq!(code(&o), 11);
    assert!(err(&o).contains("VPSGATE_GOVPSFX_SECRET"), "{}", err(&o));
    // There is no --secret argument: a secret on the command line is a usage error.
    let o = vpsgate(&["sign", "--partner-code", "1", "--secret", "x"], &[], None);
    assert_eq!(code(&o), 2);
}

#[test]
fn help_lists_exit_codes() {
    let o = vpsgate(&["--help"], &[], None);
    assert_eq!(code(&o), 0);
    let h = out(&o);
    assert!(h.contains("  17  gateway\n"), "{h}");
    assert!(h.contains("  19  refused\n"), "{h}");
    assert!(h.contains("VPSGATE_FH_APIKEY"), "{h}");
    // Subcommand help keeps its long text (credentials, detection rule, secrets policy).
    let o = vpsgate(&["fh", "--help"], &[], None);
    assert!(
        out(&o).contains("VPSGATE_FH_LOGIN and one of"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("serverpassword"), "{}", out(&o));
    let o = vpsgate(&["decode", "--help"], &[], None);
    assert!(out(&o).contains("--from auto (the default)"), "{}", out(&o));
    let o = vpsgate(&["govpsfx", "--help"], &[], None);
    assert!(
        out(&o).contains("VPSGATE_GOVPSFX_SECRET (md5 secret)"),
        "{}",
        out(&o)
    );
}
