//! `vpsgate decode`: PHP `serialize()` data (or JSON) in, JSON out.
//!
//! Format detection (`--from auto`, the default): after leading ASCII whitespace, input that
//! starts with a PHP type tag followed by `:` (`a: i: s: S: d: b: O: C: E: r: R:`) or with `N;`
//! is PHP; anything else is JSON. No JSON document starts that way (JSON's own letters start
//! `true`, `false`, `null`), so the rule never misreads valid input of either format.
//!
//! PHP input goes through `vpsgate::php::to_json_bytes`, which writes JSON while it reads (no
//! value tree in the common case) exactly as `vpsgate::php::to_json` prints the parsed value (the
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

/// Read at most `limit` bytes (`size_hint`: the expected size, to allocate once); more is
/// [`vpsgate::Error::PayloadTooLarge`].
fn read_bounded(
    reader: impl Read,
    limit: u64,
    size_hint: u64,
    what: &str,
) -> Result<Vec<u8>, Failure> {
    let cap = usize::try_from(size_hint.min(limit).saturating_add(1)).unwrap_or(0);
    let mut buf = Vec::with_capacity(cap);
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

/// Whether `input` looks like PHP `serialize()` output (the `--from auto` rule).
pub fn looks_like_php(input: &[u8]) -> bool {
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    matches!(
        &input[start..],
        [b'N', b';', ..]
            | [
                b'a' | b'i' | b's' | b'S' | b'd' | b'b' | b'O' | b'C' | b'E' | b'r' | b'R',
                b':',
                ..
            ]
    )
}

/// Byte offset of serde_json's 1-based line/column.
fn json_offset(input: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match input[offset..].iter().position(|&b| b == b'\n') {
            Some(i) => offset += i + 1,
            None => return input.len(),
        }
    }
    (offset + column.saturating_sub(1)).min(input.len())
}

/// Decode `input` and render it as one line of JSON (no trailing newline), as UTF-8 bytes.
pub fn decode(input: &[u8], from: From) -> Result<Vec<u8>, vpsgate::Error> {
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
        Ok(vpsgate::php::to_json_bytes(
            &input[..end],
            &vpsgate::php::Options::default(),
        )?)
    } else {
        let text = std::str::from_utf8(input).map_err(|e| vpsgate::Error::Json {
            offset: e.valid_up_to(),
            message: "invalid UTF-8".to_owned(),
        })?;
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
            let text = e.to_string();
            let message = match text.rfind(" at line ") {
                Some(i) => text[..i].to_owned(),
                None => text,
            };
            vpsgate::Error::Json {
                offset: json_offset(input, e.line(), e.column()),
                message,
            }
        })?;
        Ok(minify(text).into_bytes())
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
        None => read_bounded(std::io::stdin().lock(), args.max_size, 0, "reading stdin")?,
        Some(p) if p.as_os_str() == "-" => {
            read_bounded(std::io::stdin().lock(), args.max_size, 0, "reading stdin")?
        }
        Some(p) => {
            let what = format!("reading {}", p.display());
            let file = std::fs::File::open(p).map_err(|e| Failure::io(&what, &e))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            read_bounded(file, args.max_size, size, &what)?
        }
    };
    let mut json = decode(&input, args.from)?;
    drop(input);
    json.push(b'\n');
    output::emit_bytes(&json)
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
            String::from_utf8(
                decode(
                    b" { \"b\" : [1, 2.50, \"\xc3\xa9 \\\" x\"], \"a\":1e3 }\n",
                    From::Auto
                )
                .unwrap()
            )
            .unwrap(),
            "{\"b\":[1,2.50,\"é \\\" x\"],\"a\":1e3}"
        );
        let e = decode(b"[\"\xff\"]", From::Json).unwrap_err();
        assert!(matches!(e, vpsgate::Error::Json { offset: 2, .. }), "{e:?}");
    }

    #[test]
    fn json_error_names_the_byte() {
        let e = decode(b"{\"a\":1,\n \"b\":}", From::Json).unwrap_err();
        assert_eq!(e.code(), vpsgate::ErrorCode::JsonSyntax);
        match e {
            vpsgate::Error::Json { offset, message } => {
                assert_eq!(offset, 13, "{message}");
                assert!(!message.contains("line"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
