//! Any answer body to JSON text: PHP `serialize()` data (or JSON) in, one line of JSON out. The
//! CLI's `vpsgate decode`, the C library and the npm package all decode through [`to_json`].
//!
//! Format detection ([`Source::Auto`]): after leading ASCII whitespace, input that starts with a
//! PHP type tag followed by `:` (`a: i: s: S: d: b: O: C: E: r: R:`) or with `N;` is PHP;
//! anything else is JSON. No JSON document starts that way (JSON's own letters start `true`,
//! `false`, `null`), so the rule never misreads valid input of either format.
//!
//! PHP input goes through [`crate::php::to_json_bytes`], which writes JSON while it reads (no
//! value tree in the common case) byte for byte as [`crate::php::to_json`] prints the parsed
//! value (the shape of PHP's `json_encode(unserialize(...))` with `JSON_UNESCAPED_UNICODE`,
//! `JSON_UNESCAPED_SLASHES` and `JSON_PRESERVE_ZERO_FRACTION`; the codec documents the rules).
//! Trailing ASCII whitespace (the newline of `echo`) is ignored; leading whitespace is an error,
//! as in PHP, and every byte offset counts from the first byte of the input. JSON input is
//! validated by `serde_json` and written compactly: whitespace between tokens removed, key
//! order and the spelling of numbers and strings kept.

use crate::error::Error;

/// Which decoder to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// PHP `serialize()` output.
    Php,
    /// JSON.
    Json,
    /// Decide from the first bytes (see the module docs).
    #[default]
    Auto,
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

/// Decode `input` and render it as one line of JSON (no trailing newline). Malformed input is
/// [`Error::Php`] or [`Error::Json`] with the byte offset. [`to_json_bytes`] without the
/// final UTF-8 check.
pub fn to_json(input: &[u8], from: Source) -> Result<String, Error> {
    let bytes = to_json_bytes(input, from)?;
    // Both paths write UTF-8 only (PHP strings go through U+FFFD substitution).
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// [`to_json`] as UTF-8 bytes: what a face writes straight to its output.
pub fn to_json_bytes(input: &[u8], from: Source) -> Result<Vec<u8>, Error> {
    let php = match from {
        Source::Php => true,
        Source::Json => false,
        Source::Auto => looks_like_php(input),
    };
    if php {
        let end = input
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        Ok(crate::php::to_json_bytes(
            &input[..end],
            &crate::php::Options::default(),
        )?)
    } else {
        let text = std::str::from_utf8(input).map_err(|e| crate::Error::Json {
            offset: e.valid_up_to(),
            message: "invalid UTF-8".to_owned(),
        })?;
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
            let text = e.to_string();
            let message = match text.rfind(" at line ") {
                Some(i) => text[..i].to_owned(),
                None => text,
            };
            crate::Error::Json {
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
            to_json(
                b" { \"b\" : [1, 2.50, \"\xc3\xa9 \\\" x\"], \"a\":1e3 }\n",
                Source::Auto
            )
            .unwrap(),
            "{\"b\":[1,2.50,\"é \\\" x\"],\"a\":1e3}"
        );
        let e = to_json(b"[\"\xff\"]", Source::Json).unwrap_err();
        assert!(matches!(e, crate::Error::Json { offset: 2, .. }), "{e:?}");
    }

    #[test]
    fn json_error_names_the_byte() {
        let e = to_json(b"{\"a\":1,\n \"b\":}", Source::Json).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::JsonSyntax);
        match e {
            crate::Error::Json { offset, message } => {
                assert_eq!(offset, 13, "{message}");
                assert!(!message.contains("line"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
