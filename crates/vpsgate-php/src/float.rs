//! PHP's float formatting (`zend_gcvt` with `serialize_precision = -1`), shared by the PHP
//! writer (`1.0E+25`) and the JSON writer (`1.0e+25`).

use super::out::Out;

/// Write `f` like PHP's `zend_gcvt` in mode 0 (shortest round-trip digits, precision 17), as
/// `serialize()` (`exp_char = 'E'`) and `json_encode()` (`'e'`) do with
/// `serialize_precision = -1`. NaN and infinities are the caller's business.
pub(crate) fn write_gcvt<O: Out + ?Sized>(out: &mut O, f: f64, exp_char: u8) {
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(f).as_bytes();
    let text = text.strip_prefix(b"-").unwrap_or(text);
    let (mant, exp) = match memchr::memchr(b'e', text) {
        Some(i) => {
            let e = std::str::from_utf8(&text[i + 1..])
                .ok()
                .and_then(|s| s.parse::<i32>().ok())
                .unwrap_or(0);
            (&text[..i], e)
        }
        None => (text, 0),
    };
    let mut digits = [0u8; 40];
    let mut n = 0;
    let mut int_len = mant.len() as i32;
    for (i, &c) in mant.iter().enumerate() {
        if c == b'.' {
            int_len = i as i32;
        } else if n < digits.len() {
            digits[n] = c;
            n += 1;
        }
    }
    let mut decpt = int_len + exp;
    let mut lead = 0;
    while lead < n && digits[lead] == b'0' {
        lead += 1;
        decpt -= 1;
    }
    let mut end = n;
    while end > lead && digits[end - 1] == b'0' {
        end -= 1;
    }
    let digits: &[u8] = if lead == end {
        decpt = 1;
        b"0"
    } else {
        &digits[lead..end]
    };
    if f.is_sign_negative() {
        out.byte(b'-');
    }
    if if decpt < 0 { decpt < -3 } else { decpt > 17 } {
        // Exponential: d.ddddE+x
        out.byte(digits[0]);
        out.byte(b'.');
        if digits.len() == 1 {
            out.byte(b'0');
        } else {
            out.bytes(&digits[1..]);
        }
        out.byte(exp_char);
        let e = decpt - 1;
        out.byte(if e < 0 { b'-' } else { b'+' });
        out.bytes(itoa::Buffer::new().format(e.unsigned_abs()).as_bytes());
    } else if decpt < 0 {
        out.bytes(b"0.");
        for _ in decpt..0 {
            out.byte(b'0');
        }
        out.bytes(digits);
    } else {
        let d = decpt as usize;
        if digits.len() <= d {
            out.bytes(digits);
            for _ in digits.len()..d {
                out.byte(b'0');
            }
        } else {
            if d == 0 {
                out.byte(b'0');
            } else {
                out.bytes(&digits[..d]);
            }
            out.byte(b'.');
            out.bytes(&digits[d..]);
        }
    }
}
