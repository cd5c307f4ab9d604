//! Scalars that accept what PHP really sends.
//!
//! Values that a PHP backend read from a database arrive as strings (`"10"`, `"4.99"`, `"1"`),
//! sometimes as numbers, sometimes as booleans. These types decode from any of those forms, from
//! PHP `serialize()` output and from JSON alike, and reject anything else with a clear message.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

/// An integer sent as a number or a numeric string (`10`, `"10"`, `10.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Int(pub i64);

/// A boolean sent as a bool, `0`/`1`, or `"0"`/`"1"`/`""`/`"true"`/`"false"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flag(pub bool);

/// An exact decimal amount (prices, balances) sent as a number or a numeric string.
/// Floats are read through their shortest round-trip decimal form, so `4.99` stays `4.99`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

/// A string that may also arrive as a number or a PHP bool (`true` reads as `"1"`, `false` as `""`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text(pub String);

fn parse_int<E: de::Error>(s: &str) -> Result<i64, E> {
    let t = s.trim();
    if let Ok(v) = t.parse::<i64>() {
        return Ok(v);
    }
    match crate::php::parse_float(t) {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(E::invalid_value(de::Unexpected::Str(s), &"an integer")),
    }
}

struct IntVisitor;
impl Visitor<'_> for IntVisitor {
    type Value = Int;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
        Ok(Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
        i64::try_from(v)
            .map(Int)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(Int(v as i64))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Int, E> {
        Ok(Int(i64::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
        parse_int(v).map(Int)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Int, E> {
        let s = std::str::from_utf8(v)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))?;
        self.visit_str(s)
    }
}

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IntVisitor)
    }
}

struct FlagVisitor;
impl Visitor<'_> for FlagVisitor {
    type Value = Flag;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, 0/1, or \"0\"/\"1\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
        Ok(Flag(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        match v.trim() {
            "1" | "true" | "TRUE" | "yes" => Ok(Flag(true)),
            "0" | "" | "false" | "FALSE" | "no" => Ok(Flag(false)),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Flag, E> {
        let s = std::str::from_utf8(v)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))?;
        self.visit_str(s)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Flag, E> {
        Ok(Flag(false))
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FlagVisitor)
    }
}

struct MoneyVisitor;
impl Visitor<'_> for MoneyVisitor {
    type Value = Money;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount as a number or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        Ok(Money(Decimal::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        Ok(Money(Decimal::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        if !v.is_finite() {
            return Err(E::invalid_value(de::Unexpected::Float(v), &self));
        }
        // `Display` for f64 prints the shortest string that round-trips, without exponent.
        Decimal::from_str(&v.to_string())
            .map(Money)
            .map_err(|_| E::invalid_value(de::Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        let t = v.trim();
        let t = t.strip_prefix('+').unwrap_or(t);
        Decimal::from_str(t)
            .or_else(|_| Decimal::from_scientific(t))
            .map(Money)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Money, E> {
        let s = std::str::from_utf8(v)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))?;
        self.visit_str(s)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MoneyVisitor)
    }
}

struct TextVisitor;
impl Visitor<'_> for TextVisitor {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Text, E> {
        String::from_utf8(v.to_vec())
            .map(Text)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &"a UTF-8 string"))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text(if v { "1".into() } else { String::new() }))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}
impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(self.0)
    }
}
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Deserialize a list that may arrive as a list, as a map keyed by id (values kept in order,
/// keys dropped), or as `null`/`false`/`""` for "none".
pub fn list_or_map<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list or a map of items")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
            while let Some((_, item)) = map.next_entry::<de::IgnoredAny, T>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
            if v {
                Err(E::invalid_type(de::Unexpected::Bool(true), &self))
            } else {
                Ok(Vec::new())
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            if v.is_empty() {
                Ok(Vec::new())
            } else {
                Err(E::invalid_type(de::Unexpected::Str(v), &self))
            }
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(s)
    }

    #[test]
    fn ints_from_every_php_form() {
        assert_eq!(j::<Int>("10").unwrap(), Int(10));
        assert_eq!(j::<Int>("\"10\"").unwrap(), Int(10));
        assert_eq!(j::<Int>("\" -7 \"").unwrap(), Int(-7));
        assert_eq!(j::<Int>("3.0").unwrap(), Int(3));
        assert!(j::<Int>("\"ten\"").is_err());
        assert!(j::<Int>("3.5").is_err());
    }

    #[test]
    fn flags_from_every_php_form() {
        for (s, v) in [
            ("true", true),
            ("1", true),
            ("\"1\"", true),
            ("false", false),
            ("0", false),
            ("\"0\"", false),
            ("\"\"", false),
        ] {
            assert_eq!(j::<Flag>(s).unwrap(), Flag(v), "{s}");
        }
        assert!(j::<Flag>("2").is_err());
        assert!(j::<Flag>("\"maybe\"").is_err());
    }

    #[test]
    fn money_is_exact() {
        assert_eq!(j::<Money>("4.99").unwrap().0.to_string(), "4.99");
        assert_eq!(j::<Money>("\"4.99\"").unwrap().0.to_string(), "4.99");
        assert_eq!(j::<Money>("0.1").unwrap().0.to_string(), "0.1");
        assert_eq!(j::<Money>("10").unwrap().0.to_string(), "10");
        assert!(j::<Money>("\"4,99\"").is_err());
    }

    #[test]
    fn text_from_numbers_and_bools() {
        assert_eq!(j::<Text>("\"ab\"").unwrap().0, "ab");
        assert_eq!(j::<Text>("42").unwrap().0, "42");
        assert_eq!(j::<Text>("true").unwrap().0, "1");
    }

    #[derive(serde::Deserialize)]
    struct L {
        #[serde(deserialize_with = "list_or_map")]
        items: Vec<Int>,
    }

    #[test]
    fn list_or_map_accepts_both() {
        assert_eq!(
            j::<L>(r#"{"items":[1,"2"]}"#).unwrap().items,
            vec![Int(1), Int(2)]
        );
        assert_eq!(
            j::<L>(r#"{"items":{"7":1,"3":"2"}}"#).unwrap().items,
            vec![Int(1), Int(2)]
        );
        assert!(j::<L>(r#"{"items":null}"#).unwrap().items.is_empty());
        assert!(j::<L>(r#"{"items":7}"#).is_err());
    }

    /// The lenient readers through the PHP codec's two typed paths: from the bytes and from
    /// a parsed [`php::Value`](crate::php::Value).
    mod through_php {
        use super::*;
        use crate::php::{from_bytes, from_value, parse};
        use serde::Deserialize;

        #[derive(Debug, Deserialize, PartialEq)]
        struct Item {
            id: Int,
        }
        #[derive(Debug, Deserialize, PartialEq)]
        struct Listing {
            #[serde(deserialize_with = "list_or_map")]
            items: Vec<Item>,
            total: Option<i64>,
            #[serde(default)]
            nested: Option<Box<Listing>>,
        }

        /// Items keyed by id (`17`, `4`), one id a numeric string; a nested listing whose
        /// `items` is `false` and `total` null.
        const LISTING: &[u8] = b"a:3:{s:5:\"items\";a:2:{i:17;a:1:{s:2:\"id\";s:2:\"17\";}i:4;a:1:{s:2:\"id\";i:4;}}s:5:\"total\";i:2;s:6:\"nested\";a:2:{s:5:\"items\";b:0;s:5:\"total\";N;}}";

        #[test]
        fn id_keyed_map_to_vec_and_nesting() {
            let l: Listing = from_bytes(LISTING).unwrap();
            assert_eq!(l.items, vec![Item { id: Int(17) }, Item { id: Int(4) }]);
            assert_eq!(l.total, Some(2));
            let n = l.nested.unwrap();
            assert!(n.items.is_empty());
            assert_eq!(n.total, None);
        }

        #[test]
        fn listing_from_a_value_follows_the_same_rules() {
            let v = parse(LISTING).unwrap();
            let l: Listing = from_value(&v).unwrap();
            assert_eq!(l.items.len(), 2);
            assert_eq!(l.items[0].id, Int(17));
            assert_eq!(l.total, Some(2));
            assert_eq!(l.nested.unwrap().total, None);
        }
    }
}
