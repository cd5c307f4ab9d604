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
//!   For a JS engine ([`super::to_json_for_js`], a sink whose [`Out::ascii`] is set) every
//!   non-ASCII character is a `\uXXXX` escape instead (a surrogate pair beyond U+FFFF), as
//!   PHP writes it without `JSON_UNESCAPED_UNICODE`.
//! - Arrays whose keys are exactly `0..n-1` in order → JSON arrays; any other array → an
//!   object, int keys written as strings, in array order.
//! - Objects (`O:`) → an object whose first key is `"__PHP_Incomplete_Class_Name"` (the class,
//!   or the value of a property of that name, which PHP stores in the same slot), then the
//!   properties in order, skipping names that start with NUL (private/protected, which
//!   `json_encode` hides).
//! - `C:` → `{"__PHP_Incomplete_Class_Name": class}` (PHP keeps no payload).
//! - `E:` → the string `"Class:Case"` (PHP refuses `E:` for classes it does not allow).
//! - No depth limit (PHP's `json_encode` stops at depth 512 by default); the writer is
//!   iterative, so any depth is safe.
//!
//! The primitives here (strings, floats) are shared with the direct transcoder.

use super::float::write_gcvt;
use super::out::{Out, Small};
use super::value::{Key, Value};

pub(crate) const CLASS_KEY: &[u8] = b"__PHP_Incomplete_Class_Name";

/// Write `v` as JSON (the rules above) onto `out`. Iterative.
pub(crate) fn write_value<O: Out + ?Sized>(out: &mut O, v: &Value<'_>) {
    // Each open container: its remaining entries, whether it prints as an object (keys
    // written) and hides properties (`O:`), and whether a comma is due.
    struct Open<'v, 'a> {
        iter: std::slice::Iter<'v, (Key<'a>, Value<'a>)>,
        keys: bool,
        object: bool,
        comma: bool,
    }
    let mut stack: Vec<Open<'_, '_>> = Vec::new();
    let mut cur = v;
    loop {
        match cur {
            Value::Null => out.bytes(b"null"),
            Value::Bool(b) => out.bytes(if *b { b"true" } else { b"false" }),
            Value::Int(i) => out.int(*i),
            Value::Float(f) => write_float(out, *f),
            Value::String(s) => write_str(out, s),
            Value::Array(a) => {
                let keys = !a.is_list();
                out.byte(if keys { b'{' } else { b'[' });
                stack.push(Open {
                    iter: a.as_slice().iter(),
                    keys,
                    object: false,
                    comma: false,
                });
            }
            Value::Object(o) => {
                out.byte(b'{');
                write_str(out, CLASS_KEY);
                out.byte(b':');
                stack.push(Open {
                    iter: o.properties.as_slice().iter(),
                    keys: true,
                    object: true,
                    comma: true,
                });
                // A property of that name takes the class's place (PHP stores both in one slot).
                if let Some(own) = o.properties.get(&Key::String(CLASS_KEY.into())) {
                    cur = own;
                    continue;
                }
                write_str(out, &o.class);
            }
            Value::Custom(c) => {
                out.byte(b'{');
                write_str(out, CLASS_KEY);
                out.byte(b':');
                write_str(out, &c.class);
                out.byte(b'}');
            }
            Value::Enum(e) => write_enum(out, &e.class, &e.case),
        }
        // The next value to write, closing finished containers.
        loop {
            let Some(top) = stack.last_mut() else {
                return;
            };
            let next = loop {
                match top.iter.next() {
                    Some((Key::String(s), _))
                        if top.object && (s.first() == Some(&0) || &s[..] == CLASS_KEY) => {}
                    other => break other,
                }
            };
            match next {
                Some((k, v)) => {
                    if top.comma {
                        out.byte(b',');
                    }
                    top.comma = true;
                    if top.keys {
                        write_key(out, k);
                    }
                    cur = v;
                    break;
                }
                None => {
                    out.byte(if top.keys { b'}' } else { b']' });
                    stack.pop();
                }
            }
        }
    }
}

/// `"key":`, int keys as strings.
pub(crate) fn write_key<O: Out + ?Sized>(out: &mut O, k: &Key<'_>) {
    match k {
        Key::Int(i) => write_int_key(out, *i),
        Key::String(s) => write_str(out, s),
    }
    out.byte(b':');
}

/// An int key as a JSON string, without the colon.
pub(crate) fn write_int_key<O: Out + ?Sized>(out: &mut O, i: i64) {
    out.byte(b'"');
    out.bytes(itoa::Buffer::new().format(i).as_bytes());
    out.byte(b'"');
}

/// `E:` as the string `"Class:Case"`.
pub(crate) fn write_enum<O: Out + ?Sized>(out: &mut O, class: &[u8], case: &[u8]) {
    write_str(out, &enum_text(class, case));
}

/// The text `json_encode` gives an `E:` value: `Class:Case`.
pub(crate) fn enum_text(class: &[u8], case: &[u8]) -> Vec<u8> {
    let mut t = Vec::with_capacity(class.len() + 1 + case.len());
    t.extend_from_slice(class);
    t.push(b':');
    t.extend_from_slice(case);
    t
}

pub(crate) fn write_float<O: Out + ?Sized>(out: &mut O, f: f64) {
    if f.is_nan() {
        out.bytes(b"\"NAN\"");
    } else if f.is_infinite() {
        out.bytes(if f > 0.0 { b"\"INF\"" } else { b"\"-INF\"" });
    } else {
        let mut text = Small::default();
        write_gcvt(&mut text, f, b'e');
        out.bytes(text.as_slice());
        if !text.as_slice().iter().any(|&b| b == b'.' || b == b'e') {
            out.bytes(b".0");
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

/// What an ASCII byte needs inside a JSON string: 0 nothing, else the escape's second byte
/// (`u` for `\u00XX`).
const ESCAPE: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 0x20 {
        t[c] = b'u';
        c += 1;
    }
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// What a byte of valid UTF-8 needs inside a JSON string: 0 nothing, `E` (0xE2) a look at the
/// next two bytes (U+2028 and U+2029 are escaped), else the escape's second byte.
const VALID_ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = ESCAPE[c];
        c += 1;
    }
    t[0xe2] = b'E';
    t
};

/// [`VALID_ESCAPE`] for a text that is to be ASCII ([`Out::ascii`]): `U` for every byte of a
/// non-ASCII character (the lead byte is met first; the character is written as `\uXXXX`).
const ASCII_ESCAPE: [u8; 256] = {
    let mut t = [b'U'; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = ESCAPE[c];
        c += 1;
    }
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A JSON string with PHP's escaping (see the module docs). Valid UTF-8 (checked at once, the
/// common case) is scanned with one table lookup per byte, runs that need no escaping copied
/// at once; anything else goes through PHP's character decoder.
pub(crate) fn write_str<O: Out + ?Sized>(out: &mut O, s: &[u8]) {
    if O::DISCARD {
        return;
    }
    if std::str::from_utf8(s).is_err() {
        return write_str_checked(out, s);
    }
    write_str_valid(out, s);
}

/// [`write_str`] for a string known to be valid UTF-8 (the transcoder knows it of every string
/// of an input that is valid UTF-8 as a whole).
pub(crate) fn write_str_valid<O: Out + ?Sized>(out: &mut O, s: &[u8]) {
    if O::DISCARD {
        return;
    }
    out.reserve(s.len() + 2);
    out.byte(b'"');
    let table = if out.ascii() {
        &ASCII_ESCAPE
    } else {
        &VALID_ESCAPE
    };
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        let e = table[usize::from(s[i])];
        if e == 0 {
            i += 1;
            continue;
        }
        if e == b'U' {
            // The string is valid UTF-8, so the character is whole.
            out.bytes(&s[start..i]);
            let (ch, n) = next_char(&s[i..]).unwrap_or((0xfffd, 1));
            escape_char(out, ch);
            i += n;
            start = i;
            continue;
        }
        if e == b'E' {
            // U+2028 is E2 80 A8, U+2029 E2 80 A9; the string is valid, so both bytes exist.
            if matches!(s.get(i + 1), Some(0x80)) && matches!(s.get(i + 2), Some(0xa8 | 0xa9)) {
                out.bytes(&s[start..i]);
                out.bytes(if s[i + 2] == 0xa8 {
                    b"\\u2028"
                } else {
                    b"\\u2029"
                });
                i += 3;
                start = i;
            } else {
                i += 1;
            }
            continue;
        }
        if out.stopped() {
            return;
        }
        out.bytes(&s[start..i]);
        escape(out, s[i], e);
        i += 1;
        start = i;
    }
    out.bytes(&s[start..]);
    out.byte(b'"');
}

/// `\` and the escape's second byte (`e`) for the ASCII byte `c` (`\u00XX` when `e` is `u`).
#[inline]
fn escape<O: Out + ?Sized>(out: &mut O, c: u8, e: u8) {
    if e == b'u' {
        out.bytes(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(c >> 4)],
            HEX[usize::from(c & 0xf)],
        ]);
    } else {
        out.bytes(&[b'\\', e]);
    }
}

/// The character `ch` as `\uXXXX` (lowercase hex, as PHP writes it), a UTF-16 surrogate pair
/// beyond U+FFFF.
fn escape_char<O: Out + ?Sized>(out: &mut O, ch: u32) {
    let unit = |out: &mut O, u: u32| {
        let hex = |shift: u32| HEX[((u >> shift) & 0xf) as usize];
        out.bytes(&[b'\\', b'u', hex(12), hex(8), hex(4), hex(0)]);
    };
    if ch >= 0x10000 {
        let c = ch - 0x10000;
        unit(out, 0xd800 | (c >> 10));
        unit(out, 0xdc00 | (c & 0x3ff));
    } else {
        unit(out, ch);
    }
}

/// [`write_str`] for a string that is not valid UTF-8: every character decoded as PHP's
/// `php_next_utf8_char` does, invalid sequences replaced by U+FFFD.
fn write_str_checked<O: Out + ?Sized>(out: &mut O, s: &[u8]) {
    out.reserve(s.len() + 2);
    out.byte(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c < 0x80 {
            let e = ESCAPE[usize::from(c)];
            if e == 0 {
                i += 1;
                continue;
            }
            if out.stopped() {
                return;
            }
            out.bytes(&s[start..i]);
            escape(out, c, e);
            i += 1;
            start = i;
            continue;
        }
        match next_char(&s[i..]) {
            Ok((ch, n)) => {
                if ch == 0x2028 || ch == 0x2029 || out.ascii() {
                    out.bytes(&s[start..i]);
                    escape_char(out, ch);
                    start = i + n;
                }
                i += n;
            }
            Err(n) => {
                out.bytes(&s[start..i]);
                out.bytes(if out.ascii() {
                    b"\\ufffd"
                } else {
                    "\u{fffd}".as_bytes()
                });
                i += n.min(s.len() - i);
                start = i;
            }
        }
    }
    out.bytes(&s[start..]);
    out.byte(b'"');
}
