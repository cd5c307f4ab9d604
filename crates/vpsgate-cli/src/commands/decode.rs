//! `vpsgate decode`: PHP `serialize()` data (or JSON) in, JSON out.
//!
//! Format detection (`--from auto`, the default): after leading ASCII whitespace, input that
//! starts with a PHP type tag followed by `:` (`a: i: s: S: d: b: O: C: E: r: R:`) or with `N;`
//! is PHP; anything else is JSON. No JSON document starts that way (JSON's own letters start
//! `true`, `false`, `null`), so the rule never misreads valid input of either format.
//!
//! PHP input is decoded with `vpsgate::php::parse` and printed as `vpsgate::php::to_json` (the
//! shape of PHP's `json_encode(unserialize(...))` with `JSON_UNESCAPED_UNICODE`,
//! `JSON_UNESCAPED_SLASHES` and `JSON_PRESERVE_ZERO_FRACTION`; the codec documents the rules).
//! Trailing ASCII whitespace (the newline of `echo`) is ignored; leading whitespace is an error,
//! as in PHP, and every byte offset counts from the first byte of the input. JSON input is
//! validated by `serde_json` and printed compactly: whitespace between tokens removed, key
//! order and the spelling of numbers and strings kept.

use std::io::Read;
use std::path::PathBuf;

use crate::exit::Failure;
use crate::output;

/// Which decoder to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum From {
    /// PHP `serialize()` output.
    Php,
    /// JSON.
    Json,
    /// Decide from the first bytes (see `vpsgate decode --help`).
    Auto,
}

/// `vpsgate decode`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Decode PHP serialize() data (or JSON) and print it as one line of JSON.\n\n\
    --from auto (the default): after leading whitespace, input starting with a PHP type tag and \
    a colon (a: i: s: S: d: b: O: C: E: r: R:) or with N; is PHP, anything else JSON.\n\
    PHP output has the shape of PHP's json_encode(unserialize(...)) with JSON_UNESCAPED_UNICODE, \
    JSON_UNESCAPED_SLASHES and JSON_PRESERVE_ZERO_FRACTION; trailing whitespace of the input is \
    ignored. Malformed input exits non-zero with one line naming the byte offset."
)]
pub struct Args {
    /// Input format.
    #[arg(long, value_enum, default_value_t = From::Auto)]
    pub from: From,

    /// Largest input accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_size: u64,

    /// The input file; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Read at most `limit` bytes; more is [`vpsgate::Error::PayloadTooLarge`].
fn read_bounded(reader: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| Failure::io(what, &e))?;
    if buf.len() as u64 > limit {
        return Err(vpsgate::Error::PayloadTooLarge {
            size: buf.len(),
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
        }
        .into());
    }
    Ok(buf)
}

/// Whether `input` looks like PHP `serialize()` output (the `--from auto` rule): after leading
/// ASCII whitespace, [`vpsgate::body::starts_with_php_tag`].
pub fn looks_like_php(input: &[u8]) -> bool {
    vpsgate::body::starts_with_php_tag(input.trim_ascii_start())
}

/// Decode `input` and render it as one line of JSON (no trailing newline).
pub fn decode(input: &[u8], from: From) -> Result<String, vpsgate::Error> {
    let php = match from {
        From::Php => true,
        From::Json => false,
        From::Auto => looks_like_php(input),
    };
    if php {
        let end = input
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        let value = vpsgate::php::parse(&input[..end])?;
        Ok(vpsgate::php::to_json(&value))
    } else {
        let text = std::str::from_utf8(input).map_err(|e| vpsgate::Error::Json {
            offset: e.valid_up_to(),
            message: "invalid UTF-8".to_owned(),
            source: Some(e.into()),
        })?;
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
            let text = e.to_string();
            let message = match text.rfind(" at line ") {
                Some(i) => text[..i].to_owned(),
                None => text,
            };
            vpsgate::Error::Json {
                offset: vpsgate::body::json_error_offset(input, &e),
                message,
                source: Some(e.into()),
            }
        })?;
        Ok(minify(text))
    }
}

/// Valid JSON without the whitespace between tokens. Keys keep their order and values their
/// spelling (a `serde_json::Value` would sort keys and respell numbers).
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// Run `vpsgate decode`.
pub fn run(args: Args) -> Result<(), Failure> {
    let input = match args.file.as_deref() {
        None => read_bounded(std::io::stdin().lock(), args.max_size, "reading stdin")?,
        Some(p) if p.as_os_str() == "-" => {
            read_bounded(std::io::stdin().lock(), args.max_size, "reading stdin")?
        }
        Some(p) => {
            let what = format!("reading {}", p.display());
            let file = std::fs::File::open(p).map_err(|e| Failure::io(&what, &e))?;
            read_bounded(file, args.max_size, &what)?
        }
    };
    let json = decode(&input, args.from)?;
    output::emit(&format!("{json}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_rule() {
        for php in [
            &b"a:0:{}"[..],
            b"  i:5;",
            b"N;",
            b"s:1:\"x\";",
            b"b:1;",
            b"d:0.5;",
            b"O:8:",
        ] {
            assert!(looks_like_php(php), "{:?}", String::from_utf8_lossy(php));
        }
        for json in [
            &b"{}"[..],
            b"[1]",
            b"\"s\"",
            b"5",
            b"-1",
            b"null",
            b"true",
            b"",
            b"  ",
        ] {
            assert!(!looks_like_php(json), "{:?}", String::from_utf8_lossy(json));
        }
    }

    #[test]
    fn json_is_reencoded_compactly() {
        assert_eq!(
            decode(
                b" { \"b\" : [1, 2.50, \"\xc3\xa9 \\\" x\"], \"a\":1e3 }\n",
                From::Auto
            )
            .unwrap(),
            "{\"b\":[1,2.50,\"é \\\" x\"],\"a\":1e3}"
        );
        let e = decode(b"[\"\xff\"]", From::Json).unwrap_err();
        assert!(matches!(e, vpsgate::Error::Json { offset: 2, .. }), "{e:?}");
        let source = std::error::Error::source(&e).expect("the UTF-8 error as the source");
        assert!(source.downcast_ref::<std::str::Utf8Error>().is_some());
    }

    #[test]
    fn json_error_names_the_byte() {
        let e = decode(b"{\"a\":1,\n \"b\":}", From::Json).unwrap_err();
        assert_eq!(e.code(), vpsgate::ErrorCode::JsonSyntax);
        match e {
            vpsgate::Error::Json {
                offset,
                message,
                source,
            } => {
                assert_eq!(offset, 13, "{message}");
                assert!(!message.contains("line"), "{message}");
                let source = source.expect("serde_json's error as the source");
                assert!(source.downcast_ref::<serde_json::Error>().is_some());
            }
            other => panic!("{other:?}"),
        }
    }
}
