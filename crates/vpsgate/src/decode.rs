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

use std::io::Write;

use crate::error::Error;

/// Why [`write_json`] stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The input is malformed ([`to_json_bytes`]'s error, same offset); nothing was written.
    #[error(transparent)]
    Decode(#[from] Error),
    /// Writing failed; what the writer accepted before stays written.
    #[error("writing the JSON: {0}")]
    Io(#[source] std::io::Error),
}

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

/// Whether `input` looks like PHP `serialize()` output (the `--from auto` rule): after leading
/// ASCII whitespace, [`crate::body::starts_with_php_tag`].
pub fn looks_like_php(input: &[u8]) -> bool {
    crate::body::starts_with_php_tag(input.trim_ascii_start())
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

/// [`to_json`] of PHP input for a JavaScript engine: ASCII text, and whether an integer in it
/// is beyond what a JS number holds exactly ([`crate::php::to_json_for_js`]); the npm package's
/// `decodePhp` hands the text to `JSON.parse`. Same errors and offsets as [`to_json`] with
/// [`Source::Php`].
pub fn php_to_json_for_js(input: &[u8]) -> Result<crate::php::JsJson, Error> {
    Ok(crate::php::to_json_for_js(
        php_part(input),
        &crate::php::Options::default(),
    )?)
}

/// PHP input as MessagePack for a JavaScript engine's msgpackr decoder, the values
/// `JSON.parse` gives for [`php_to_json_for_js`]'s text ([`crate::php::to_msgpack_for_js`]),
/// or `None` where only that text can carry them or the input is malformed: the npm package's
/// `decodePhp` then takes [`php_to_json_for_js`] (and its error).
pub fn php_to_msgpack_for_js(input: &[u8]) -> Option<Vec<u8>> {
    crate::php::to_msgpack_for_js(php_part(input), &crate::php::Options::default())
}

/// [`to_json`] as UTF-8 bytes: what a face writes straight to its output.
pub fn to_json_bytes(input: &[u8], from: Source) -> Result<Vec<u8>, Error> {
    match prepare(input, from)? {
        Prepared::Php(php) => Ok(crate::php::to_json_bytes(
            php,
            &crate::php::Options::default(),
        )?),
        Prepared::Json(text) => {
            let mut out = Vec::with_capacity(text.len());
            // Writing into a Vec cannot fail.
            let _ = minify_into(text.as_bytes(), &mut out);
            Ok(out)
        }
    }
}

/// [`to_json_bytes`] onto a writer, without holding the whole output: what `vpsgate decode`
/// prints. The bytes are the same (no trailing newline).
///
/// The writer sees the whole JSON or, when the input is malformed, nothing
/// ([`WriteError::Decode`], before any byte is written): PHP input goes through
/// [`crate::php::to_json_writer`] (output held up to the input's size, at least 8 MiB; past
/// that the input is checked in full first, then streamed), JSON input is validated in full and
/// then written without its whitespace. Memory: the input, at most that much held output (or the
/// tree where PHP input needs one) and a 64 KiB buffer.
pub fn write_json<W: Write>(input: &[u8], from: Source, out: W) -> Result<(), WriteError> {
    match prepare(input, from)? {
        Prepared::Php(php) => crate::php::to_json_writer(php, &crate::php::Options::default(), out)
            .map_err(|e| match e {
                crate::php::WriteError::Decode(d) => WriteError::Decode(d.into()),
                crate::php::WriteError::Io(io) => WriteError::Io(io),
            }),
        Prepared::Json(text) => {
            let mut out = std::io::BufWriter::with_capacity(64 << 10, out);
            minify_into(text.as_bytes(), &mut out)
                .and_then(|()| out.flush())
                .map_err(WriteError::Io)
        }
    }
}

/// The input, checked and ready to write: PHP bytes (trailing whitespace cut) or valid JSON.
enum Prepared<'a> {
    Php(&'a [u8]),
    Json(&'a str),
}

/// PHP input without its trailing whitespace.
fn php_part(input: &[u8]) -> &[u8] {
    let end = input
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &input[..end]
}

/// Detect the format; JSON is validated here (PHP while it is transcoded).
fn prepare(input: &[u8], from: Source) -> Result<Prepared<'_>, Error> {
    let php = match from {
        Source::Php => true,
        Source::Json => false,
        Source::Auto => looks_like_php(input),
    };
    if php {
        return Ok(Prepared::Php(php_part(input)));
    }
    let text = std::str::from_utf8(input).map_err(|e| crate::Error::Json {
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
        crate::Error::Json {
            offset: crate::body::json_error_offset(input, &e),
            message,
            source: Some(e.into()),
        }
    })?;
    Ok(Prepared::Json(text))
}

/// Valid JSON without the whitespace between tokens, written run by run. Keys keep their
/// order and values their spelling (a `serde_json::Value` would sort keys and respell
/// numbers). Bytewise: in UTF-8 no byte of a multi-byte character is `"`, `\\` or whitespace.
fn minify_into<W: Write + ?Sized>(json: &[u8], out: &mut W) -> std::io::Result<()> {
    let (mut in_string, mut escaped) = (false, false);
    let mut run = 0;
    for (i, &c) in json.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            out.write_all(&json[run..i])?;
            run = i + 1;
        }
    }
    out.write_all(&json[run..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_rule() {
        // The tags themselves are body::starts_with_php_tag's; here: what is skipped first.
        for (input, php) in [
            (&b"a:0:{}"[..], true),
            (b"  i:5;", true),
            (b"\n\tN;", true),
            (b"\xEF\xBB\xBFa:0:{}", false),
            (b"{}", false),
            (b"-1", false),
            (b"true", false),
            (b"", false),
            (b"  ", false),
        ] {
            let shown = String::from_utf8_lossy(input);
            assert_eq!(looks_like_php(input), php, "{shown:?}");
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
        let source = std::error::Error::source(&e).expect("the UTF-8 error as the source");
        assert!(source.downcast_ref::<std::str::Utf8Error>().is_some());
    }

    #[test]
    fn json_error_names_the_byte() {
        let e = to_json(b"{\"a\":1,\n \"b\":}", Source::Json).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::JsonSyntax);
        match e {
            crate::Error::Json {
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
