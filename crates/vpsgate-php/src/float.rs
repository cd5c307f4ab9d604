//! Decimal to f64 for every reader ([`parse`]), and PHP's float formatting (`zend_gcvt` with
//! `serialize_precision = -1`), shared by the PHP writer (`1.0E+25`) and the JSON writer
//! (`1.0e+25`).

use super::out::Out;

/// The `f64` nearest to the decimal `text` (`[+-]digits[.digits][e[+-]digits]`, `inf`, `NaN`:
/// the forms Rust's `str::parse::<f64>` reads), correctly rounded as PHP's `zend_strtod` is; `None` when `text`
/// is not such a number. The npm package's wasm reads it with lexical's compact parser (same
/// results, without std's 12 KB of power-of-five tables in the `.wasm`); elsewhere with std's.
pub fn parse(text: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        compact(text)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.parse().ok()
    }
}

/// [`parse`] in the wasm: lexical's compact parser (tested against std's natively).
#[cfg(any(target_arch = "wasm32", test))]
fn compact(text: &str) -> Option<f64> {
    lexical_parse_float::FromLexical::from_lexical(text.as_bytes()).ok()
}

/// Write `f` like PHP's `zend_gcvt` in mode 0 (shortest round-trip digits, precision 17), as
/// `serialize()` (`exp_char = 'E'`) and `json_encode()` (`'e'`) do with
/// `serialize_precision = -1`. NaN and infinities are the caller's business.
pub(crate) fn write_gcvt<O: Out + ?Sized>(out: &mut O, f: f64, exp_char: u8) {
    let mut buf = zmij::Buffer::new();
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

#[cfg(test)]
mod tests {
    use super::compact;

    fn same(text: &str) {
        let std = text.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(compact(text).map(f64::to_bits), std, "{text:?}");
    }

    /// The wasm's parser against std's (both correctly rounded): every form of the grammar,
    /// the hard cases of correct rounding, and what is not a number.
    #[test]
    fn compact_parse_is_std_parse() {
        for text in [
            "0",
            "-0",
            "+0",
            "1",
            "-1",
            "+1",
            "1.",
            ".5",
            "-.5",
            "1.5",
            "1e5",
            "1E+5",
            "1e-5",
            "1.5e308",
            "1.8e308",
            "1e309",
            "-1e309",
            "1e-400",
            "4.9e-324",
            "2.4e-324",
            "2.5e-324",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "9007199254740993",
            "9007199254740992.9999",
            "0.1",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "7.2057594037927933e16",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1658206780088562.25",
            "00001.5000",
            "1e0000000000000000000001",
            "1e-99999999999",
        ] {
            same(text);
        }
        // Halfway and near-halfway points need every digit: 800 of them.
        let long = format!(
            "2.{}e-308",
            "2250738585072011360574097967091319759348195463516456480234261098".repeat(12)
        );
        same(&long);
        same(&format!("9007199254740993{}", "0".repeat(700)));
        same(&format!("9007199254740993.{}1", "0".repeat(700)));
        // Random doubles in every layout a writer may give them: shortest, 17 and 25 digits,
        // fixed; subnormals and huge exponents included (a fixed xorshift sequence).
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if !f.is_finite() {
                continue;
            }
            same(&format!("{f:e}"));
            same(&format!("{f:.16e}"));
            same(&format!("{f:.24e}"));
            same(&format!(
                "{}",
                f64::from_bits(x >> 12 | 0x3FF0_0000_0000_0000)
            ));
        }
        // Not numbers, for both.
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.5.2", "1_0", "0x10", " 1", "1 ", "--1",
            "1e5e5",
        ] {
            assert_eq!(compact(text), None, "{text:?}");
            assert_eq!(text.parse::<f64>().ok(), None, "{text:?}");
        }
        // The special values std reads, read alike.
        for text in ["inf", "-inf", "+inf", "Infinity", "-INFINITY", "infinity"] {
            same(text);
        }
        for text in ["NaN", "nan", "-nan"] {
            assert!(compact(text).is_some_and(f64::is_nan), "{text:?}");
            assert!(text.parse::<f64>().is_ok_and(f64::is_nan), "{text:?}");
        }
    }
}
