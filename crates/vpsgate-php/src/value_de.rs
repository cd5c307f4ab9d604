//! serde for the [`Value`] model: `Deserialize for Value` (any self-describing format into a
//! PHP value) and `Deserializer for &Value` (a parsed value into typed structs, the rules of
//! [`super::from_bytes`]).

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::de::{ClassName, KeyDe};
use super::value::{Array, Key, Value, SERDE_DEPTH};
use super::{Error, ErrorKind};

impl<'de> de::Deserialize<'de> for Value<'de> {
    /// Builds a [`Value`] from any self-describing format. Maps become arrays (keys
    /// normalised like PHP), sequences become lists. Through [`super::from_bytes`], objects
    /// arrive as maps and so lose their class: use [`super::parse`] for a faithful tree.
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value<'de>, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any PHP value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        de::Deserialize::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value<'de>, E> {
        // PHP has no unsigned ints: too large a number becomes a float, as in PHP.
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Value::Float(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(v.as_bytes())))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v.as_bytes().to_vec())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v.into_bytes())))
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(v)))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v.to_vec())))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v)))
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        de::Deserialize::deserialize(d)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let mut a = Array::new();
        while let Some(v) = seq.next_element::<Value<'de>>()? {
            a.push(v);
        }
        Ok(Value::Array(a))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        let mut a = Array::new();
        while let Some(k) = map.next_key::<KeyOf<'de>>()? {
            let v = map.next_value::<Value<'de>>()?;
            a.insert(k.0, v);
        }
        Ok(Value::Array(a))
    }
}

/// A map key as a PHP array key.
struct KeyOf<'de>(Key<'de>);

impl<'de> de::Deserialize<'de> for KeyOf<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<KeyOf<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyOf<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an int or string key")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Key::Int(v.into())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Key::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(i64::try_from(v).map_or_else(
                    |_| Key::String(Cow::Owned(v.to_string().into_bytes())),
                    Key::Int,
                )))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Key::normalized(v.as_bytes())))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Key::normalized(v.as_bytes().to_vec())))
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Key::normalized(v)))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Key::normalized(v.to_vec())))
            }
        }
        d.deserialize_any(V)
    }
}

/// A parsed [`Value`] as a serde `Deserializer`, with the same rules as [`super::from_bytes`]
/// (strings borrowed from the value). Errors from the target type have no offset (a `Value`
/// keeps no byte positions). serde recurses per level: arrays and objects nested deeper than
/// [`SERDE_DEPTH`] are refused with [`ErrorKind::DepthLimit`] (parts the target ignores are
/// not visited).
impl<'de, 'a: 'de> de::Deserializer<'de> for &'de Value<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        At::root(self).deserialize_any(visitor)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        At::root(self).deserialize_seq(visitor)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        At::root(self).deserialize_tuple(len, visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        At::root(self).deserialize_tuple_struct(name, len, visitor)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        At::root(self).deserialize_option(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        At::root(self).deserialize_bytes(visitor)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        At::root(self).deserialize_byte_buf(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        At::root(self).deserialize_newtype_struct(name, visitor)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        At::root(self).deserialize_enum(name, variants, visitor)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string unit unit_struct
        map struct identifier
    }
}

impl<'de, 'a: 'de> IntoDeserializer<'de, Error> for &'de Value<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// A value inside `depth` arrays and objects: the `Deserializer` behind `&Value`, with the
/// depth check.
struct At<'de, 'a> {
    value: &'de Value<'a>,
    depth: usize,
}

impl<'de, 'a: 'de> At<'de, 'a> {
    fn root(value: &'de Value<'a>) -> Self {
        At { value, depth: 0 }
    }

    /// The entries of the container `a`, after the depth check.
    fn entries(&self, a: &'de Array<'a>) -> Result<ValueEntries<'de, 'a>, Error> {
        if self.depth >= SERDE_DEPTH && !a.is_empty() {
            return Err(Error {
                offset: None,
                kind: ErrorKind::DepthLimit { limit: SERDE_DEPTH },
            });
        }
        Ok(ValueEntries {
            iter: a.as_slice().iter(),
            value: None,
            depth: self.depth + 1,
        })
    }
}

impl<'de, 'a: 'de> de::Deserializer<'de> for At<'de, 'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::String(s) => match std::str::from_utf8(s) {
                Ok(t) => visitor.visit_borrowed_str(t),
                Err(_) => visitor.visit_borrowed_bytes(s),
            },
            Value::Array(a) => visitor.visit_map(self.entries(a)?),
            Value::Object(o) => visitor.visit_map(self.entries(&o.properties)?),
            Value::Custom(c) => visitor.visit_map(ClassName(Some(&c.class))),
            Value::Enum(e) => {
                let mut t = String::from_utf8_lossy(&e.class).into_owned();
                t.push(':');
                t.push_str(&String::from_utf8_lossy(&e.case));
                visitor.visit_string(t)
            }
        }
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value.entries() {
            Some(a) => visitor.visit_seq(self.entries(a)?),
            None => self.deserialize_any(visitor),
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_bytes(s),
            _ => self.deserialize_any(visitor),
        }
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => match std::str::from_utf8(s) {
                Ok(t) => visitor.visit_enum(t.into_deserializer()),
                Err(_) => visitor.visit_borrowed_bytes(s),
            },
            Value::Enum(e) => match std::str::from_utf8(&e.case) {
                Ok(t) => visitor.visit_enum(t.into_deserializer()),
                Err(_) => visitor.visit_borrowed_bytes(&e.case),
            },
            Value::Array(a) if a.len() == 1 => visitor.visit_enum(self.entries(a)?),
            _ => self.deserialize_any(visitor),
        }
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string unit unit_struct
        map struct identifier
    }
}

/// The entries of a [`Value`] array or object, as a map, a sequence or an enum; their values
/// are `depth` containers deep.
struct ValueEntries<'de, 'a> {
    iter: std::slice::Iter<'de, (Key<'a>, Value<'a>)>,
    value: Option<&'de Value<'a>>,
    depth: usize,
}

fn key_de<'de>(k: &'de Key<'_>) -> KeyDe<'de> {
    match k {
        Key::Int(i) => KeyDe::Int(*i),
        Key::String(s) => KeyDe::Str(Cow::Borrowed(s)),
    }
}

impl<'de, 'a: 'de> de::MapAccess<'de> for ValueEntries<'de, 'a> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            None => Ok(None),
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(key_de(k)).map(Some)
            }
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(At {
                value,
                depth: self.depth,
            }),
            None => Err(de::Error::custom("value requested before its key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

impl<'de, 'a: 'de> de::SeqAccess<'de> for ValueEntries<'de, 'a> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.iter.next() {
            None => Ok(None),
            Some((_, value)) => seed
                .deserialize(At {
                    value,
                    depth: self.depth,
                })
                .map(Some),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

impl<'de, 'a: 'de> de::EnumAccess<'de> for ValueEntries<'de, 'a> {
    type Error = Error;
    type Variant = At<'de, 'a>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        mut self,
        seed: V,
    ) -> Result<(V::Value, At<'de, 'a>), Error> {
        match self.iter.next() {
            Some((k, value)) => Ok((
                seed.deserialize(key_de(k))?,
                At {
                    value,
                    depth: self.depth,
                },
            )),
            None => Err(de::Error::custom("an enum needs a one-entry array")),
        }
    }
}

impl<'de, 'a: 'de> de::VariantAccess<'de> for At<'de, 'a> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}
