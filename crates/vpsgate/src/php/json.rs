//! JSON shaped like PHP's `json_encode(unserialize($s, ['allowed_classes' => false]), $flags)`
//! with `$flags = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES |
//! JSON_INVALID_UTF8_SUBSTITUTE | JSON_PRESERVE_ZERO_FRACTION` and `serialize_precision = -1`.
//!
//! The rules:
//! - `N;` → `null`, `b:` → `true`/`false`, `i:` → the integer.
//! - Floats: the shortest text that round-trips, as PHP prints it (`0.1`, `1.0e+25`,
//!   `1.0e-5`, `1000000000000000.0`); a float with no fraction keeps `.0`
//!   (`JSON_PRESERVE_ZERO_FRACTION`), so `100.0` → `100.0` and `-0.0` → `-0.0`.
//!   NAN, INF and -INF print as the strings `"NAN"`, `"INF"`, `"-INF"` (PHP's `json_encode`
//!   fails on them instead: a deliberate divergence).
//! - Strings: UTF-8 as-is; `"` `\` and the control characters escaped (`\b \f \n \r \t`,
//!   others as `\u00XX`); `/` not escaped; U+2028 and U+2029 escaped as `\u2028`/`\u2029`
//!   (PHP does so unless `JSON_UNESCAPED_LINE_TERMINATORS`); every invalid UTF-8 sequence
//!   replaced by one U+FFFD, cut exactly where PHP's decoder (`php_next_utf8_char`) cuts it.
//! - Arrays whose keys are exactly `0..n-1` in order → JSON arrays; any other array → an
//!   object, int keys written as strings, in array order.
//! - Objects (`O:`) → an object whose first key is `"__PHP_Incomplete_Class_Name"` (the class,
//!   or the value of a property of that name, which PHP stores in the same slot), then the
//!   properties in order, skipping names that start with NUL (private/protected, which
//!   `json_encode` hides).
//! - `C:` → `{"__PHP_Incomplete_Class_Name": class}` (PHP keeps no payload).
//! - `E:` → the string `"Class:Case"` (PHP refuses `E:` for classes it does not allow).
//! - No depth limit (PHP's `json_encode` stops at depth 512 by default).

use super::ser::write_gcvt;
use super::value::{Array, Key, Value};

const CLASS_KEY: &[u8] = b"__PHP_Incomplete_Class_Name";

pub(crate) fn to_json(v: &Value) -> String {
    let mut out = Vec::new();
    write(&mut out, v);
    // Everything written is valid UTF-8: strings go through `write_str`'s substitution.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn write(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        Value::Float(f) => write_float(out, *f),
        Value::String(s) => write_str(out, s),
        Value::Array(a) if a.is_list() => {
            out.push(b'[');
            for (i, v) in a.values().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, v);
            }
            out.push(b']');
        }
        Value::Array(a) => {
            out.push(b'{');
            write_members(out, a, false, false);
            out.push(b'}');
        }
        Value::Object { class, properties } => {
            out.push(b'{');
            write_str(out, CLASS_KEY);
            out.push(b':');
            let own = properties.get(&Key::String(CLASS_KEY.to_vec()));
            match own {
                Some(v) => write(out, v),
                None => write_str(out, class),
            }
            write_members(out, properties, true, true);
            out.push(b'}');
        }
        Value::Custom { class, .. } => {
            out.push(b'{');
            write_str(out, CLASS_KEY);
            out.push(b':');
            write_str(out, class);
            out.push(b'}');
        }
        Value::Enum { class, case } => {
            let mut t = class.clone();
            t.push(b':');
            t.extend_from_slice(case);
            write_str(out, &t);
        }
    }
}

fn write_members(out: &mut Vec<u8>, a: &Array, object: bool, mut comma: bool) {
    for (k, v) in a.iter() {
        if let Key::String(s) = k {
            if object && (s.first() == Some(&0) || s == CLASS_KEY) {
                continue;
            }
        }
        if comma {
            out.push(b',');
        }
        comma = true;
        match k {
            Key::Int(i) => {
                out.push(b'"');
                out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes());
                out.push(b'"');
            }
            Key::String(s) => write_str(out, s),
        }
        out.push(b':');
        write(out, v);
    }
}

fn write_float(out: &mut Vec<u8>, f: f64) {
    if f.is_nan() {
        out.extend_from_slice(b"\"NAN\"");
    } else if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 { b"\"INF\"" } else { b"\"-INF\"" });
    } else {
        let start = out.len();
        write_gcvt(out, f, b'e');
        if !out[start..].iter().any(|&b| b == b'.' || b == b'e') {
            out.extend_from_slice(b".0");
        }
    }
}

fn is_trail(b: u8) -> bool {
    (0x80..=0xbf).contains(&b)
}
fn is_lead(b: u8) -> bool {
    b < 0x80 || (0xc2..=0xf4).contains(&b)
}

/// Decode one UTF-8 character at the start of `s` like PHP's `php_next_utf8_char`:
/// `Ok((char, len))`, or `Err(bytes to skip)` for an invalid sequence.
fn next_char(s: &[u8]) -> Result<(u32, usize), usize> {
    let at = |i: usize| s.get(i).copied();
    let avail = s.len();
    let c = s[0];
    if c < 0x80 {
        return Ok((u32::from(c), 1));
    }
    if c < 0xc2 {
        return Err(1);
    }
    if c < 0xe0 {
        let Some(b1) = at(1) else { return Err(1) };
        if !is_trail(b1) {
            return Err(if is_lead(b1) { 1 } else { 2 });
        }
        return Ok(((u32::from(c & 0x1f) << 6) | u32::from(b1 & 0x3f), 2));
    }
    if c < 0xf0 {
        let (b1, b2) = (at(1).unwrap_or(0), at(2).unwrap_or(0));
        if avail < 3 || !is_trail(b1) || !is_trail(b2) {
            return Err(if avail < 2 || is_lead(b1) {
                1
            } else if avail < 3 || is_lead(b2) {
                2
            } else {
                3
            });
        }
        let ch = (u32::from(c & 0x0f) << 12) | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
        if ch < 0x800 || (0xd800..=0xdfff).contains(&ch) {
            return Err(3);
        }
        return Ok((ch, 3));
    }
    if c < 0xf5 {
        let (b1, b2, b3) = (at(1).unwrap_or(0), at(2).unwrap_or(0), at(3).unwrap_or(0));
        if avail < 4 || !is_trail(b1) || !is_trail(b2) || !is_trail(b3) {
            return Err(if avail < 2 || is_lead(b1) {
                1
            } else if avail < 3 || is_lead(b2) {
                2
            } else if avail < 4 || is_lead(b3) {
                3
            } else {
                4
            });
        }
        let ch = (u32::from(c & 0x07) << 18)
            | (u32::from(b1 & 0x3f) << 12)
            | (u32::from(b2 & 0x3f) << 6)
            | u32::from(b3 & 0x3f);
        if !(0x10000..=0x10ffff).contains(&ch) {
            return Err(4);
        }
        return Ok((ch, 4));
    }
    Err(1)
}

/// A JSON string with PHP's escaping (see the module docs).
fn write_str(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c >= 0x80 {
            match next_char(&s[i..]) {
                Ok((ch, n)) => {
                    if ch == 0x2028 || ch == 0x2029 {
                        out.extend_from_slice(if ch == 0x2028 { b"\\u2028" } else { b"\\u2029" });
                    } else {
                        out.extend_from_slice(&s[i..i + n]);
                    }
                    i += n;
                }
                Err(n) => {
                    out.extend_from_slice("\u{fffd}".as_bytes());
                    i += n.min(s.len() - i);
                }
            }
            continue;
        }
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 0xf)]);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out.push(b'"');
}
