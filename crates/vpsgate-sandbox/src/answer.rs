//! Gateway answers shaped like a PHP array: ordered keys, strings for database values.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// One PHP value in an answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// A string (what a database column reads as in PHP).
    Str(String),
    /// An integer literal in the PHP code (`errorCode` with `error_code_as_number`).
    Int(i64),
    /// A list (`array(0 => ..., 1 => ...)`).
    List(Vec<Val>),
    /// An associative array with ordered string keys.
    Map(Assoc),
    /// An array keyed by integer ids (`array(101 => ..., 102 => ...)`).
    IdMap(Vec<(i64, Val)>),
}

/// An associative array with keys in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Assoc(pub(crate) Vec<(&'static str, Val)>);

impl Assoc {
    pub(crate) fn new() -> Self {
        Assoc(Vec::new())
    }
    pub(crate) fn s(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.0.push((k, Val::Str(v.into())));
        self
    }
    pub(crate) fn v(mut self, k: &'static str, v: Val) -> Self {
        self.0.push((k, v));
        self
    }
    pub(crate) fn get(&self, k: &str) -> Option<&Val> {
        self.0.iter().find(|(key, _)| *key == k).map(|(_, v)| v)
    }
}

impl Serialize for Assoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Str(v) => s.serialize_str(v),
            Val::Int(v) => s.serialize_i64(*v),
            Val::List(items) => {
                let mut q = s.serialize_seq(Some(items.len()))?;
                for it in items {
                    q.serialize_element(it)?;
                }
                q.end()
            }
            Val::Map(a) => a.serialize(s),
            Val::IdMap(items) => {
                let mut m = s.serialize_map(Some(items.len()))?;
                for (k, v) in items {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

/// `json_encode()` with PHP's default flags: non-ASCII as `\uXXXX` (UTF-16), `/` as `\/`.
pub(crate) fn php_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PhpJson);
    value.serialize(&mut ser)?;
    Ok(out)
}

struct PhpJson;

impl serde_json::ser::Formatter for PhpJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() && c != '/' {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            if c == '/' {
                writer.write_all(b"\\/")?;
            } else {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{u:04x}")?;
                }
            }
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_like_php() {
        let a = Assoc::new().s("d", "пример.рф/😀").v("n", Val::Int(7));
        let s = String::from_utf8(php_json(&a).unwrap()).unwrap();
        assert_eq!(
            s,
            r#"{"d":"\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444\/\ud83d\ude00","n":7}"#
        );
    }
}
