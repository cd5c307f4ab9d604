//! The two answer formats, and telling them apart from a body's first bytes: a leaf below both
//! the request side ([`super::Gateway`]) and the answer side ([`super::parse()`]).

use crate::body::{prefix_len, starts_with_php_tag};

/// The answer format to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// PHP `serialize()` output: the gateway's default.
    #[default]
    Php,
    /// JSON: adds `json=1` to every request.
    Json,
}

/// Which format `body` is in, judged from its first bytes after any UTF-8 BOM and whitespace:
/// `{` or `[` is JSON; a PHP type tag (`a:`, `O:`, `s:`, `i:`, `N;`, ...) is PHP. `None` if
/// neither (HTML, plain text, empty).
pub fn detect(body: &[u8]) -> Option<Format> {
    let rest = &body[prefix_len(body)..];
    match rest {
        [b'{' | b'[', ..] => Some(Format::Json),
        _ if starts_with_php_tag(rest) => Some(Format::Php),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_first_bytes() {
        assert_eq!(detect(b"{\"status\":1}"), Some(Format::Json));
        assert_eq!(detect(b" \n[1]"), Some(Format::Json));
        assert_eq!(detect(b"\xEF\xBB\xBF{}"), Some(Format::Json));
        assert_eq!(detect(b"a:0:{}"), Some(Format::Php));
        assert_eq!(detect(b"\xEF\xBB\xBF\na:0:{}"), Some(Format::Php));
        assert_eq!(detect(b"N;"), Some(Format::Php));
        assert_eq!(detect(b"b:0;"), Some(Format::Php));
        assert_eq!(detect(b"<html>"), None);
        assert_eq!(detect(b"a"), None);
        assert_eq!(detect(b"abc"), None);
        assert_eq!(detect(b"null"), None);
        assert_eq!(detect(b""), None);
        assert_eq!(detect(b"   "), None);
    }
}
