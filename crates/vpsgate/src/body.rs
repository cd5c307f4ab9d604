//! The first look at an answer's bytes, shared by both providers and the CLI: the UTF-8 BOM and
//! whitespace PHP scripts often print before their output, the first-bytes test for PHP
//! `serialize()` data, and serde_json's line/column turned into a byte offset.
//!
//! A leaf: it uses nothing else in the crate.
//!
//! ```
//! use vpsgate::body;
//!
//! let answer = b"\xEF\xBB\xBF\n a:1:{i:0;N;}";
//! let start = body::prefix_len(answer);
//! assert_eq!(start, 5);
//! assert!(body::starts_with_php_tag(&answer[start..]));
//! assert_eq!(body::without_bom(b"\xEF\xBB\xBF{}"), b"{}");
//! ```

/// The UTF-8 byte order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `body` without a leading UTF-8 BOM (unchanged if it has none). The BOM's length is
/// `body.len() - without_bom(body).len()`.
pub fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(UTF8_BOM).unwrap_or(body)
}

/// Length of a leading UTF-8 BOM plus the ASCII whitespace after it: where the data starts.
pub fn prefix_len(body: &[u8]) -> usize {
    let rest = without_bom(body);
    body.len() - rest.trim_ascii_start().len()
}

/// Whether `bytes` start like PHP `serialize()` output: `N;`, or a type tag
/// (`a i s S d b O C E r R`) followed by `:`. Nothing is skipped first.
///
/// No JSON document starts that way (JSON's own letters start `true`, `false`, `null`).
pub fn starts_with_php_tag(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [b'N', b';', ..]
            | [
                b'a' | b'i' | b's' | b'S' | b'd' | b'b' | b'O' | b'C' | b'E' | b'r' | b'R',
                b':',
                ..
            ]
    )
}

/// The byte offset in `text` of serde_json's 1-based `line` and (byte) `column`, as reported
/// by [`serde_json::Error::line`] and [`serde_json::Error::column`] for an error in `text`.
/// Line 0 counts as line 1, column 0 as column 1; a position past the end is `text.len()`.
pub fn json_offset(text: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text)
            .nth(line - 2)
            .map_or(text.len(), |i| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// [`json_offset`] of `error`, a serde_json error in `text`.
pub fn json_error_offset(text: &[u8], error: &serde_json::Error) -> usize {
    json_offset(text, error.line(), error.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_whitespace_are_skipped() {
        assert_eq!(prefix_len(b""), 0);
        assert_eq!(prefix_len(b"a:0:{}"), 0);
        assert_eq!(prefix_len(b" \r\n\ta"), 4);
        assert_eq!(prefix_len(b"\xEF\xBB\xBF"), 3);
        assert_eq!(prefix_len(b"\xEF\xBB\xBF \n{"), 5);
        // Only one BOM, and only in front.
        assert_eq!(prefix_len(b"\xEF\xBB\xBF\xEF\xBB\xBF{"), 3);
        assert_eq!(prefix_len(b" \xEF\xBB\xBF{"), 1);
        assert_eq!(without_bom(b"\xEF\xBB\xBF\xEF\xBB\xBF"), UTF8_BOM);
        assert_eq!(without_bom(b"\xEF\xBB"), b"\xEF\xBB");
    }

    #[test]
    fn php_tags() {
        let php = [
            &b"a:0:{}"[..],
            b"i:5;",
            b"N;",
            b"s:1:\"x\";",
            b"S:1:\"x\";",
            b"b:1;",
            b"d:0.5;",
            b"O:8:",
            b"C:1:",
            b"E:3:",
            b"r:1;",
            b"R:1;",
        ];
        let other = [
            &b"{}"[..],
            b"[1]",
            b"\"s\"",
            b"5",
            b"null",
            b"N",
            b"a",
            b"abc",
            b"x:1;",
            b" a:0:{}",
            b"",
        ];
        let cases = php
            .iter()
            .map(|p| (*p, true))
            .chain(other.iter().map(|o| (*o, false)));
        for (bytes, want) in cases {
            let shown = String::from_utf8_lossy(bytes);
            assert_eq!(starts_with_php_tag(bytes), want, "{shown:?}");
        }
    }

    #[test]
    fn json_positions_become_byte_offsets() {
        let input = b"ab\ncd\n\nefg";
        assert_eq!(json_offset(input, 1, 1), 0);
        assert_eq!(json_offset(input, 1, 2), 1);
        assert_eq!(json_offset(input, 2, 1), 3);
        assert_eq!(json_offset(input, 4, 3), 9);
        assert_eq!(json_offset(input, 9, 1), input.len());
        assert_eq!(json_offset(input, 1, 0), 0);
        assert_eq!(json_offset(input, 0, 0), 0);
        assert_eq!(json_offset(input, 1, 99), input.len());
        assert_eq!(json_offset(b"ab\ncd\nef", 3, 2), 7);
    }

    #[test]
    fn serde_json_errors_point_at_the_byte() {
        let text = b"{\"a\":1,\n \"b\":}";
        let e = serde_json::from_slice::<serde_json::Value>(text).unwrap_err();
        assert_eq!(json_error_offset(text, &e), 13);
        assert_eq!(text[13], b'}');
    }
}
