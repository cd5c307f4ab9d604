//! Field decoders for PHP's habits: blank means absent, ids may come as a string, list or map.

use std::fmt;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use crate::lenient::{Flag, Int, Money, Text};

/// Decode `T`, reading `null`, `""` (or only spaces) as `None`: PHP sends empty strings for
/// NULL database columns.
pub(crate) fn blank<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a value, an empty string or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            blank(d)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map(Some)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map(Some)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map(Some)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map(Some)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                return Ok(None);
            }
            T::deserialize(v.into_deserializer()).map(Some)
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                return Ok(None);
            }
            T::deserialize(de::value::BorrowedStrDeserializer::new(v)).map(Some)
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                return Ok(None);
            }
            T::deserialize(v.into_deserializer()).map(Some)
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            match std::str::from_utf8(v) {
                Ok(s) => self.visit_str(s),
                Err(_) => T::deserialize(de::value::BytesDeserializer::new(v)).map(Some),
            }
        }
        fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
            match std::str::from_utf8(v) {
                Ok(s) => self.visit_borrowed_str(s),
                Err(_) => T::deserialize(de::value::BorrowedBytesDeserializer::new(v)).map(Some),
            }
        }
        fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
            self.visit_bytes(&v)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            T::deserialize(SeqAccessDeserializer::new(seq)).map(Some)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(Some)
        }
    }

    d.deserialize_any(V(PhantomData))
}

pub(crate) fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(blank::<D, Int>(d)?.map(|v| v.0))
}

pub(crate) fn opt_money<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    Ok(blank::<D, Money>(d)?.map(|v| v.0))
}

pub(crate) fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(blank::<D, Flag>(d)?.map(|v| v.0))
}

/// Text that keeps `""` as `None` but never fails on numbers or bools.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(blank::<D, Text>(d)?.map(|v| v.0))
}

/// A list of ids sent as `"1,2"`, a single number, a list, or an id-keyed map (values kept).
pub(crate) fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;

    fn split(s: &str) -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    }

    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("comma-separated ids, a list of ids or a map of ids")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            ids(d)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            if v {
                Err(E::invalid_type(de::Unexpected::Bool(true), &self))
            } else {
                Ok(Vec::new())
            }
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(split(v))
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            let s = std::str::from_utf8(v)
                .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &"UTF-8 ids"))?;
            Ok(split(s))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(Text(id)) = seq.next_element()? {
                out.push(id);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((_, Text(id))) = map.next_entry::<de::IgnoredAny, Text>()? {
                out.push(id);
            }
            Ok(out)
        }
    }

    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct S {
        #[serde(default, deserialize_with = "opt_int")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "opt_money")]
        m: Option<Decimal>,
        #[serde(default, deserialize_with = "opt_flag")]
        f: Option<bool>,
        #[serde(default, deserialize_with = "opt_text")]
        t: Option<String>,
        #[serde(default, deserialize_with = "ids")]
        ids: Vec<String>,
    }

    fn j(s: &str) -> S {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn blanks_are_none() {
        let s = j(r#"{"n":"","m":" ","f":null,"t":""}"#);
        assert_eq!((s.n, s.m, s.f, s.t), (None, None, None, None));
        let s = j("{}");
        assert_eq!((s.n, s.m, s.f, s.t), (None, None, None, None));
        assert!(s.ids.is_empty());
    }

    #[test]
    fn values_in_every_php_form() {
        let s = j(r#"{"n":"-3","m":"4.99","f":"1","t":42}"#);
        assert_eq!(s.n, Some(-3));
        assert_eq!(s.m.unwrap().to_string(), "4.99");
        assert_eq!(s.f, Some(true));
        assert_eq!(s.t.as_deref(), Some("42"));
        let s = j(r#"{"n":7,"m":0.1,"f":false,"t":true}"#);
        assert_eq!(s.n, Some(7));
        assert_eq!(s.m.unwrap().to_string(), "0.1");
        assert_eq!(s.f, Some(false));
        assert_eq!(s.t.as_deref(), Some("1"));
        assert!(serde_json::from_str::<S>(r#"{"n":"x"}"#).is_err());
        assert!(serde_json::from_str::<S>(r#"{"f":"2"}"#).is_err());
        assert!(serde_json::from_str::<S>(r#"{"n":[1]}"#).is_err());
    }

    #[test]
    fn ids_in_every_form() {
        assert_eq!(j(r#"{"ids":"4, 7,"}"#).ids, ["4", "7"]);
        assert_eq!(j(r#"{"ids":9}"#).ids, ["9"]);
        assert_eq!(j(r#"{"ids":[4,"7"]}"#).ids, ["4", "7"]);
        assert_eq!(j(r#"{"ids":{"4":"4","7":7}}"#).ids, ["4", "7"]);
        assert!(j(r#"{"ids":false}"#).ids.is_empty());
        assert!(j(r#"{"ids":null}"#).ids.is_empty());
        assert!(serde_json::from_str::<S>(r#"{"ids":true}"#).is_err());
    }
}
