//! The tokenizer: a cursor over serialized bytes that reads one value head at a time
//! ([`Reader::head`]), shared by the tree builder, the typed deserializer and the JSON
//! transcoder. It allocates nothing except for `S:` strings, and knows nothing of values.
//!
//! Every rule here mirrors `ext/standard/var_unserializer.re` of PHP 8.2; the comments name the
//! PHP behaviour each check reproduces.

use std::borrow::Cow;

use super::{Error, ErrorKind, Options};

/// PHP's `HT_MAX_SIZE` on 64-bit builds: element counts at or above it are rejected.
const HT_MAX_SIZE: u64 = 0x4000_0000;

/// The start of one serialized value, as read by [`Reader::head`].
#[derive(Debug)]
pub(crate) enum Head<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// `s:` borrows; `S:` (escaped form) is decoded into an owned buffer.
    Str(Cow<'a, [u8]>),
    /// `a:n:{` with the cursor after `{`.
    Array(usize),
    /// `O:len:"class":n:{` with the cursor after `{`.
    Object {
        class: &'a [u8],
        len: usize,
    },
    /// `C:len:"class":plen:{payload}` (complete).
    Custom {
        class: &'a [u8],
        payload: &'a [u8],
    },
    /// `E:len:"Class:Case";` (complete).
    Enum {
        class: &'a [u8],
        case: &'a [u8],
    },
    /// `R:n;` (`strong`) or `r:n;`.
    Ref {
        slot: u64,
        strong: bool,
    },
}

/// A cursor over the input. Never indexes out of bounds: every access goes through `get`.
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) pos: usize,
}

pub(crate) fn err(offset: usize, kind: ErrorKind) -> Error {
    Error::at(offset, kind)
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Reader { input, pos: 0 }
    }

    #[inline(always)]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    #[inline(always)]
    fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    fn unexpected(&self, expected: &'static str) -> Error {
        match self.peek() {
            None => err(self.pos, ErrorKind::UnexpectedEnd { expected }),
            Some(found) => err(self.pos, ErrorKind::UnexpectedByte { expected, found }),
        }
    }

    #[inline(always)]
    pub(crate) fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), Error> {
        if matches!(self.peek(), Some(b) if b == byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(expected))
        }
    }

    /// `[0-9]+`, accumulated like PHP's `parse_uiv`: wrapping modulo 2^64 (so PHP reads
    /// `s:18446744073709551617:"a";` as a 1-byte string, and so do we).
    fn uiv(&mut self) -> Result<u64, Error> {
        let start = self.pos;
        let mut v: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            v = v.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.unexpected("a digit"));
        }
        Ok(v)
    }

    /// PHP's `parse_iv2` over the digits starting at the cursor: optional sign, leading zeros
    /// skipped, then *zero or more* digits. More than 19 significant digits or a value outside
    /// i64 is an overflow (PHP clamps with a warning; we report it).
    fn iv_lenient(&mut self) -> Result<i64, Error> {
        let start = self.pos;
        let neg = match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                true
            }
            Some(b'+') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        while matches!(self.peek(), Some(b'0')) {
            self.pos += 1;
        }
        let digits_start = self.pos;
        let mut v: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            v = v.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            self.pos += 1;
        }
        let limit = if neg { 1u64 << 63 } else { i64::MAX as u64 };
        if self.pos - digits_start > 19 || v > limit {
            return Err(err(start, ErrorKind::IntegerOverflow));
        }
        Ok(if neg {
            (v as i64).wrapping_neg()
        } else {
            v as i64
        })
    }

    /// The `iv` grammar (`[+-]?[0-9]+`) then PHP's `parse_iv`.
    fn iv_strict(&mut self) -> Result<i64, Error> {
        let start = self.pos;
        let mut p = self.pos;
        if matches!(self.input.get(p), Some(b'+' | b'-')) {
            p += 1;
        }
        if !matches!(self.input.get(p), Some(b'0'..=b'9')) {
            self.pos = p;
            return Err(self.unexpected("a digit"));
        }
        self.pos = start;
        self.iv_lenient()
    }

    /// An element count written as `uiv` but read with `parse_iv` (PHP's range check), then
    /// the `HT_MAX_SIZE` and fake-count (`n > bytes_left / 2`) checks.
    fn count(&mut self, n: i64, at: usize, left: usize) -> Result<usize, Error> {
        if n < 0 {
            return Err(err(at, ErrorKind::IntegerOverflow));
        }
        let n = n as u64;
        if n >= HT_MAX_SIZE || n > (left / 2) as u64 {
            return Err(err(
                at,
                ErrorKind::LengthExceedsInput {
                    declared: n,
                    remaining: left,
                },
            ));
        }
        Ok(n as usize)
    }

    /// `:` uiv `:"` then `len` bytes then the closing `"`; returns the bytes.
    #[inline]
    fn quoted(&mut self, allow_empty: bool) -> Result<&'a [u8], Error> {
        // Fast path for well-formed input; anything unusual (including every error) is read
        // again from the start by `quoted_checked`, which words the errors.
        if let Some((body, end)) = fast_quoted(self.input, self.pos, allow_empty) {
            self.pos = end;
            return Ok(body);
        }
        self.quoted_checked(allow_empty)
    }

    /// `:<len>:"` of a string or class name, with `len` checked against the bytes left before
    /// anything is read or allocated. Returns where the length starts and the length.
    fn length_header(&mut self) -> Result<(usize, usize), Error> {
        self.expect(b':', "':'")?;
        let at = self.pos;
        let len = self.uiv()?;
        self.expect(b':', "':'")?;
        self.expect(b'"', "'\"'")?;
        let left = self.remaining();
        if (left as u64) < len {
            return Err(err(
                at,
                ErrorKind::LengthExceedsInput {
                    declared: len,
                    remaining: left,
                },
            ));
        }
        // len <= left, so it fits in usize.
        Ok((at, len as usize))
    }

    /// [`Reader::quoted`] step by step, with precise errors.
    #[cold]
    fn quoted_checked(&mut self, allow_empty: bool) -> Result<&'a [u8], Error> {
        let (at, len) = self.length_header()?;
        if len == 0 && !allow_empty {
            return Err(err(
                at,
                ErrorKind::UnexpectedByte {
                    expected: "a non-empty name",
                    found: b'0',
                },
            ));
        }
        let s = &self.input[self.pos..self.pos + len];
        self.pos += len;
        self.expect(b'"', "'\"' after the declared length")?;
        Ok(s)
    }

    /// Read the head of one value. Containers leave the cursor after `{`.
    ///
    /// The two most common heads, `s:<len>:"...";` and a short `i:<digits>;`, are read by a
    /// fast path that accepts only well-formed text and yields exactly what the full grammar
    /// below yields; anything else (every error included) is read by [`Reader::head_slow`].
    /// Always inlined: returned through memory, the head costs store-forwarding stalls when
    /// the caller reads its fields back.
    #[inline(always)]
    pub(crate) fn head(&mut self) -> Result<Head<'a>, Error> {
        let input = self.input;
        let p = self.pos;
        match input.get(p..p + 2) {
            Some(b"s:") => {
                if let Some((body, end)) = fast_quoted(input, p + 1, true) {
                    if matches!(input.get(end), Some(b';')) {
                        self.pos = end + 1;
                        return Ok(Head::Str(Cow::Borrowed(body)));
                    }
                }
            }
            Some(b"i:") => {
                if let Some((v, end)) = fast_int(input, p + 2) {
                    self.pos = end;
                    return Ok(Head::Int(v));
                }
            }
            _ => {}
        }
        self.head_slow()
    }

    /// The fast path of [`Reader::head`] for `s:<len>:"...";` alone: the string's bytes, or
    /// `None` (cursor unmoved) for anything else. Two words, returned in registers, so a
    /// caller that branches on it reads no head back from memory.
    #[inline(always)]
    pub(crate) fn fast_str(&mut self) -> Option<&'a [u8]> {
        let input = self.input;
        let p = self.pos;
        if !matches!(input.get(p..p + 2), Some(b"s:")) {
            return None;
        }
        let (body, end) = fast_quoted(input, p + 1, true)?;
        if !matches!(input.get(end), Some(b';')) {
            return None;
        }
        self.pos = end + 1;
        Some(body)
    }

    /// The fast path of [`Reader::head`] for a short `i:<digits>;` alone, like
    /// [`Reader::fast_str`].
    #[inline(always)]
    pub(crate) fn fast_int(&mut self) -> Option<i64> {
        let input = self.input;
        let p = self.pos;
        if !matches!(input.get(p..p + 2), Some(b"i:")) {
            return None;
        }
        let (v, end) = fast_int(input, p + 2)?;
        self.pos = end;
        Some(v)
    }

    /// [`Reader::head`] by the full grammar, with precise errors.
    #[inline(never)]
    fn head_slow(&mut self) -> Result<Head<'a>, Error> {
        let start = self.pos;
        let Some(tag) = self.peek() else {
            return Err(self.unexpected("a value"));
        };
        self.pos += 1;
        match tag {
            b'N' => {
                self.expect(b';', "';'")?;
                Ok(Head::Null)
            }
            b'b' => {
                self.expect(b':', "':'")?;
                let v = match self.peek() {
                    Some(b'0') => false,
                    Some(b'1') => true,
                    _ => return Err(self.unexpected("'0' or '1'")),
                };
                self.pos += 1;
                self.expect(b';', "';'")?;
                Ok(Head::Bool(v))
            }
            b'i' => {
                self.expect(b':', "':'")?;
                let v = self.iv_strict()?;
                self.expect(b';', "';'")?;
                Ok(Head::Int(v))
            }
            b'd' => {
                self.expect(b':', "':'")?;
                self.float().map(Head::Float)
            }
            b's' => {
                let s = self.quoted(true)?;
                self.expect(b';', "';'")?;
                Ok(Head::Str(Cow::Borrowed(s)))
            }
            b'S' => self.escaped_str().map(Head::Str),
            b'a' => {
                self.expect(b':', "':'")?;
                if !matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.unexpected("a digit"));
                }
                let at = self.pos;
                let n = self.iv_lenient()?;
                self.expect(b':', "':'")?;
                self.expect(b'{', "'{'")?;
                let left = self.remaining();
                let n = self.count(n, at, left)?;
                Ok(Head::Array(n))
            }
            b'O' | b'C' => {
                let class = self.quoted(false)?;
                check_class(class, start + 2)?;
                self.expect(b':', "':'")?;
                let at = self.pos;
                if tag == b'O' {
                    // PHP measures the fake-count limit from the closing quote.
                    let left = self.remaining() + 2;
                    let n = self.iv_lenient()?;
                    let n = self.count(n, at, left)?;
                    self.expect(b':', "':'")?;
                    self.expect(b'{', "'{'")?;
                    Ok(Head::Object { class, len: n })
                } else {
                    let n = self.iv_lenient()?;
                    self.expect(b':', "':'")?;
                    self.expect(b'{', "'{'")?;
                    let left = self.remaining();
                    if n < 0 || n as u64 >= left as u64 {
                        return Err(err(
                            at,
                            ErrorKind::LengthExceedsInput {
                                declared: n.max(0) as u64,
                                remaining: left,
                            },
                        ));
                    }
                    let n = n as usize;
                    let payload = &self.input[self.pos..self.pos + n];
                    self.pos += n;
                    self.expect(b'}', "'}' after the declared payload length")?;
                    Ok(Head::Custom { class, payload })
                }
            }
            b'E' => {
                let body = self.quoted(false)?;
                self.expect(b';', "';'")?;
                let Some(colon) = memchr::memchr(b':', body) else {
                    return Err(err(
                        start,
                        ErrorKind::UnexpectedByte {
                            expected: "an enum name of the form Class:Case",
                            found: b'E',
                        },
                    ));
                };
                let (class, case) = (&body[..colon], &body[colon + 1..]);
                if class.is_empty() || case.is_empty() {
                    return Err(err(
                        start,
                        ErrorKind::UnexpectedByte {
                            expected: "a non-empty enum class and case",
                            found: b'E',
                        },
                    ));
                }
                check_class(class, start + 2)?;
                Ok(Head::Enum { class, case })
            }
            b'r' | b'R' => {
                self.expect(b':', "':'")?;
                let slot = self.uiv()?;
                self.expect(b';', "';'")?;
                if slot == 0 {
                    return Err(err(start, ErrorKind::BadReference { slot }));
                }
                Ok(Head::Ref {
                    slot,
                    strong: tag == b'R',
                })
            }
            _ => {
                self.pos = start;
                Err(self.unexpected("a value (one of N b i d s S a O C E r R)"))
            }
        }
    }

    /// `d:` already read: `NAN;`, `INF;`, `-INF;` or PHP's `iv | nv | nvexp` then `;`.
    fn float(&mut self) -> Result<f64, Error> {
        let rest = &self.input[self.pos..];
        for (lit, v) in [
            (&b"NAN;"[..], f64::NAN),
            (&b"INF;"[..], f64::INFINITY),
            (&b"-INF;"[..], f64::NEG_INFINITY),
        ] {
            if rest.starts_with(lit) {
                self.pos += lit.len();
                return Ok(v);
            }
        }
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let int_digits = self.digits();
        let mut frac_digits = 0;
        let dot = matches!(self.peek(), Some(b'.'));
        if dot {
            self.pos += 1;
            frac_digits = self.digits();
        }
        if int_digits + frac_digits == 0 {
            return Err(self.unexpected("a digit"));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("an exponent digit"));
            }
        }
        let text = &self.input[start..self.pos];
        self.expect(b';', "';'")?;
        // The grammar above only admits ASCII digits, signs, '.', 'e'/'E'.
        let text = std::str::from_utf8(text).unwrap_or("");
        crate::float::parse(text).ok_or_else(|| {
            err(
                start,
                ErrorKind::UnexpectedByte {
                    expected: "a float",
                    found: b'd',
                },
            )
        })
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `S:` (the escaped string form): `\hh` stands for one byte.
    fn escaped_str(&mut self) -> Result<Cow<'a, [u8]>, Error> {
        let (_, len) = self.length_header()?;
        let mut out = Vec::with_capacity(len);
        for _ in 0..len {
            let Some(b) = self.peek() else {
                return Err(self.unexpected("string content"));
            };
            self.pos += 1;
            if b != b'\\' {
                out.push(b);
                continue;
            }
            let mut v = 0u8;
            for _ in 0..2 {
                let d = match self.peek() {
                    Some(c @ b'0'..=b'9') => c - b'0',
                    Some(c @ b'a'..=b'f') => c - b'a' + 10,
                    Some(c @ b'A'..=b'F') => c - b'A' + 10,
                    _ => return Err(self.unexpected("a hex digit after '\\'")),
                };
                v = (v << 4) | d;
                self.pos += 1;
            }
            out.push(v);
        }
        self.expect(b'"', "'\"' after the declared length")?;
        self.expect(b';', "';'")?;
        Ok(Cow::Owned(out))
    }

    /// Read an array or property key: only `i:`, `s:` and `S:` are keys in PHP.
    #[inline(always)]
    pub(crate) fn key(&mut self) -> Result<Head<'a>, Error> {
        let at = self.pos;
        match self.peek() {
            Some(b'i' | b's' | b'S') => self.head(),
            Some(b'N' | b'b' | b'd' | b'a' | b'O' | b'C' | b'E' | b'r' | b'R') => {
                Err(err(at, ErrorKind::InvalidKey))
            }
            _ => Err(self.unexpected("an array key (i: or s:)")),
        }
    }
}

/// `:<len>:"<len bytes>"` at `colon`, well-formed (at most 18 length digits, so no wrapping):
/// the bytes and the position after the closing quote. `None` for anything else, which the
/// caller reads again by the full grammar.
#[inline(always)]
fn fast_quoted(input: &[u8], colon: usize, allow_empty: bool) -> Option<(&[u8], usize)> {
    if !matches!(input.get(colon), Some(b':')) {
        return None;
    }
    let mut p = colon + 1;
    let mut len: u64 = 0;
    loop {
        let d = *input.get(p)?;
        if !d.is_ascii_digit() {
            break;
        }
        if p - colon > 18 {
            return None;
        }
        len = len * 10 + u64::from(d - b'0');
        p += 1;
    }
    if p == colon + 1 || !matches!(input.get(p..p + 2), Some(b":\"")) {
        return None;
    }
    let body = p + 2;
    let len = usize::try_from(len).ok()?;
    if len > input.len() - body || (len == 0 && !allow_empty) {
        return None;
    }
    let end = body + len;
    if !matches!(input.get(end), Some(b'"')) {
        return None;
    }
    Some((&input[body..end], end + 1))
}

/// `[-]<1 to 18 digits>;` at `p` (after `i:`): the value and the position after `;`. With at
/// most 18 digits the value cannot overflow; leading zeros read as PHP reads them. `None` for
/// anything else (a `+`, longer numbers, errors), which the caller reads by the full grammar.
#[inline(always)]
fn fast_int(input: &[u8], p: usize) -> Option<(i64, usize)> {
    let neg = matches!(input.get(p), Some(b'-'));
    let start = p + usize::from(neg);
    let mut q = start;
    let mut v: i64 = 0;
    loop {
        let d = *input.get(q)?;
        if !d.is_ascii_digit() {
            break;
        }
        if q - start == 18 {
            return None;
        }
        v = v * 10 + i64::from(d - b'0');
        q += 1;
    }
    if q == start || !matches!(input.get(q), Some(b';')) {
        return None;
    }
    Some((if neg { -v } else { v }, q + 1))
}

/// PHP's class-name checks under `allowed_classes => false`: non-empty, not starting with NUL
/// or `\`, every byte `[A-Za-z0-9_\\]` or >= 0x80 (`zend_is_valid_class_name`).
fn check_class(class: &[u8], at: usize) -> Result<(), Error> {
    let bad = |found| {
        err(
            at,
            ErrorKind::UnexpectedByte {
                expected: "a valid class name",
                found,
            },
        )
    };
    if let Some(&first) = class.first() {
        if first == 0 || first == b'\\' {
            return Err(bad(first));
        }
    }
    if let Some(&b) = class
        .iter()
        .find(|&&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'\\' || b >= 0x80))
    {
        return Err(bad(b));
    }
    Ok(())
}

/// The PHP array key for a string: canonical decimal integers in i64 range become ints
/// (`"1"`, `"-5"`), everything else (`"01"`, `"-0"`, `" 1"`, `"1.0"`, out of range) stays.
#[inline(always)]
pub(crate) fn numeric_key(s: &[u8]) -> Option<i64> {
    // Most keys are names: reject them on the first byte, inline.
    if !matches!(s.first(), Some(b'-' | b'0'..=b'9')) {
        return None;
    }
    numeric_key_digits(s)
}

/// [`numeric_key`] past its first byte.
fn numeric_key_digits(s: &[u8]) -> Option<i64> {
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    match digits {
        [] => return None,
        [b'0'] => {
            return if digits.len() == s.len() {
                Some(0)
            } else {
                None
            }
        }
        [b'0', ..] => return None,
        _ => {}
    }
    if digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse::<i64>().ok()
}

/// False when `input` cannot hold an `R:`/`r:` back-reference, so the slot bookkeeping that
/// only references need can be skipped. A string containing those bytes only makes this answer
/// a harmless `true`. (`R:`/`r:` rather than `;R:`: `;` and `:` are in every value, which
/// would make the search check a candidate per value.)
///
/// Natively [`refs_by_blocks`] (one SIMD pass; two `memmem` passes, one per needle, took 1.7 ms
/// of a 20 MB answer against its 1.3, and the first of them read the whole input cold); in wasm
/// (no SIMD there, and `r` a common letter: two passes took a tenth of the npm package's
/// `decodePhp`) [`refs_by_words`].
pub(crate) fn may_have_refs(input: &[u8]) -> bool {
    if cfg!(target_arch = "wasm32") {
        return refs_by_words(input);
    }
    refs_by_blocks(input)
}

/// [`may_have_refs`] in one pass, 64 positions at a time with no branch inside a block (the
/// block and the byte after it are a fixed-size array), which the compiler turns into vector
/// compares; blocks overlap by that one byte, so a pair across two blocks is seen; the tail byte
/// by byte.
pub(crate) fn refs_by_blocks(input: &[u8]) -> bool {
    const N: usize = 64;
    let mut i = 0;
    while let Some(block) = input
        .get(i..)
        .and_then(|rest| rest.first_chunk::<{ N + 1 }>())
    {
        let mut hit = false;
        for j in 0..N {
            hit |= is_ref_pair(block[j], block[j + 1]);
        }
        if hit {
            return true;
        }
        i += N;
    }
    refs_bytewise(input.get(i..).unwrap_or_default())
}

/// [`may_have_refs`] in one pass, eight positions at a time: `b | 0x20 == b'r'` holds for `R`
/// and `r` only, so a position is a hit when that byte-wise test and "the next byte is `:`"
/// both give a zero byte (the exact has-a-zero-byte test); the tail byte by byte.
pub(crate) fn refs_by_words(input: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const CASE: u64 = u64::from_ne_bytes([0x20; 8]);
    const LOWER_R: u64 = u64::from_ne_bytes([b'r'; 8]);
    const COLON: u64 = u64::from_ne_bytes([b':'; 8]);
    let mut i = 0;
    while let Some(w) = input.get(i..i + 9) {
        let Some(a) = w.first_chunk::<8>() else {
            break;
        };
        let a = u64::from_le_bytes(*a);
        // The eight bytes after each of those: `a` moved down one lane, the ninth on top.
        let b = (a >> 8) | (u64::from(w[8]) << 56);
        let z = ((a | CASE) ^ LOWER_R) | (b ^ COLON);
        if (z.wrapping_sub(ONES) & !z & HIGH) != 0 {
            return true;
        }
        i += 8;
    }
    refs_bytewise(input.get(i..).unwrap_or_default())
}

/// Whether `a` then `b` is `R:` or `r:` (`a | 0x20 == b'r'` holds for those two letters only).
/// Without a branch, so that [`refs_by_blocks`] stays vectorised.
#[inline(always)]
fn is_ref_pair(a: u8, b: u8) -> bool {
    ((a | 0x20) == b'r') & (b == b':')
}

/// The tail the block and word loops leave, byte by byte.
fn refs_bytewise(tail: &[u8]) -> bool {
    tail.windows(2).any(|w| is_ref_pair(w[0], w[1]))
}

/// A budget for values and string bytes copied by back-references.
pub(crate) struct Budget {
    values: usize,
    bytes: usize,
    limit: usize,
    byte_limit: usize,
}

impl Budget {
    pub(crate) fn new(o: &Options) -> Self {
        Budget {
            values: 0,
            bytes: 0,
            limit: o.max_reference_expansion,
            byte_limit: o.max_reference_bytes,
        }
    }
    pub(crate) fn charge(&mut self, values: usize, bytes: usize) -> Result<(), ErrorKind> {
        self.values = self.values.saturating_add(values);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.values > self.limit || self.bytes > self.byte_limit {
            return Err(ErrorKind::ExpansionLimit { limit: self.limit });
        }
        Ok(())
    }
}
