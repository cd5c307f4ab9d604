//! Writing PHP `serialize()` format: the faithful [`Value`] writer ([`Value::to_php`]) and a
//! serde `Serializer`.
//!
//! Mapping from serde: bool → `b:`; integers → `i:` (a `u64`/`u128` above `i64::MAX` is an
//! error: PHP has no such integer); floats → `d:` written exactly as PHP 8 writes them with
//! `serialize_precision = -1`; char/str → `s:`; bytes → `s:` (PHP strings are bytes);
//! `None`/unit/unit struct → `N;`; `Some(x)`/newtype struct → `x`; sequences, tuples and tuple
//! structs → `a:n:{i:0;...}`; structs → `a:n:{s:"field";...}`; maps → arrays whose keys are
//! ints, strings (numeric strings written as ints, as PHP stores them), chars or bools (as
//! 0/1); unit variants → the variant name as a string; newtype, tuple and struct variants →
//! a one-entry array `{variant: content}`.

use std::fmt::Display;

use serde::ser::{self, Serialize};

use super::float::write_gcvt;
use super::read::numeric_key;
use super::value::{Key, Value};

fn write_float(out: &mut Vec<u8>, f: f64) {
    out.extend_from_slice(b"d:");
    if f.is_nan() {
        out.extend_from_slice(b"NAN");
    } else if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 { b"INF" } else { b"-INF" });
    } else {
        write_gcvt(out, f, b'E');
    }
    out.push(b';');
}

fn write_int(out: &mut Vec<u8>, i: i64) {
    out.extend_from_slice(b"i:");
    out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes());
    out.push(b';');
}

fn write_len_prefixed(out: &mut Vec<u8>, tag: &[u8], s: &[u8]) {
    out.extend_from_slice(tag);
    out.extend_from_slice(itoa::Buffer::new().format(s.len()).as_bytes());
    out.extend_from_slice(b":\"");
    out.extend_from_slice(s);
    out.push(b'"');
}

fn write_str(out: &mut Vec<u8>, s: &[u8]) {
    write_len_prefixed(out, b"s:", s);
    out.push(b';');
}

/// A string key, written as an int when PHP would store it as one.
fn write_str_key(out: &mut Vec<u8>, s: &[u8]) {
    match numeric_key(s) {
        Some(i) => write_int(out, i),
        None => write_str(out, s),
    }
}

fn write_count(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    out.extend_from_slice(b":{");
}

fn write_key(out: &mut Vec<u8>, k: &Key<'_>) {
    match k {
        Key::Int(i) => write_int(out, *i),
        Key::String(s) => write_str(out, s),
    }
}

fn write_head(out: &mut Vec<u8>, v: &Value<'_>) {
    match v {
        Value::Null => out.extend_from_slice(b"N;"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"b:1;" } else { b"b:0;" }),
        Value::Int(i) => write_int(out, *i),
        Value::Float(f) => write_float(out, *f),
        Value::String(s) => write_str(out, s),
        Value::Array(a) => {
            out.extend_from_slice(b"a:");
            write_count(out, a.len());
        }
        Value::Object(o) => {
            write_len_prefixed(out, b"O:", &o.class);
            out.push(b':');
            write_count(out, o.properties.len());
        }
        Value::Custom(c) => {
            write_len_prefixed(out, b"C:", &c.class);
            out.push(b':');
            write_count(out, c.payload.len());
            out.extend_from_slice(&c.payload);
            out.push(b'}');
        }
        Value::Enum(e) => {
            out.extend_from_slice(b"E:");
            out.extend_from_slice(
                itoa::Buffer::new()
                    .format(e.class.len() + 1 + e.case.len())
                    .as_bytes(),
            );
            out.extend_from_slice(b":\"");
            out.extend_from_slice(&e.class);
            out.push(b':');
            out.extend_from_slice(&e.case);
            out.extend_from_slice(b"\";");
        }
    }
}

/// Write one [`Value`] exactly as PHP's `serialize()` writes the value it stands for.
/// Iterative: nesting costs heap, not stack.
pub(crate) fn write_value(out: &mut Vec<u8>, v: &Value<'_>) {
    let mut stack = Vec::new();
    let mut cur = v;
    loop {
        write_head(out, cur);
        if let Some(a) = cur.entries() {
            stack.push(a.as_slice().iter());
        }
        loop {
            let Some(top) = stack.last_mut() else {
                return;
            };
            match top.next() {
                Some((k, v)) => {
                    write_key(out, k);
                    cur = v;
                    break;
                }
                None => {
                    out.push(b'}');
                    stack.pop();
                }
            }
        }
    }
}

impl Value<'_> {
    /// Write this value in PHP `serialize()` format, byte-identical to what PHP writes for
    /// the same value. Iterative: any depth is fine.
    pub fn to_php(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_value(&mut out, self);
        out
    }
}

/// Why [`crate::to_vec`] could not write a value (a map key that is neither an integer nor a
/// string, a value nested too deep, a serde `custom` error); its text says what.
#[derive(Debug)]
pub struct SerializeError(String);

impl Display for SerializeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for SerializeError {}
impl ser::Error for SerializeError {
    fn custom<T: Display>(msg: T) -> Self {
        SerializeError(msg.to_string())
    }
}

/// Serialize `value` into `out`.
pub(crate) fn to_writer<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
) -> Result<(), SerializeError> {
    value.serialize(Ser { out })
}

struct Ser<'a> {
    out: &'a mut Vec<u8>,
}

/// An array being written: where its header starts, the declared length, entries written.
pub(crate) struct Compound<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
    declared: Option<usize>,
    count: usize,
    /// For tuple/struct variants: close the wrapping one-entry array too.
    close_variant: bool,
}

impl<'a> Compound<'a> {
    fn open(out: &'a mut Vec<u8>, len: Option<usize>, close_variant: bool) -> Self {
        let start = out.len();
        if let Some(n) = len {
            out.extend_from_slice(b"a:");
            write_count(out, n);
        }
        Compound {
            out,
            start,
            declared: len,
            count: 0,
            close_variant,
        }
    }

    fn close(self) -> Result<(), SerializeError> {
        self.out.push(b'}');
        if self.declared != Some(self.count) {
            let mut header = b"a:".to_vec();
            write_count(&mut header, self.count);
            let old_len = match self.declared {
                Some(n) => 2 + itoa::Buffer::new().format(n).len() + 2,
                None => 0,
            };
            self.out.splice(self.start..self.start + old_len, header);
        }
        if self.close_variant {
            self.out.push(b'}');
        }
        Ok(())
    }

    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        write_int(self.out, self.count as i64);
        self.count += 1;
        v.serialize(Ser { out: self.out })
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, v: &T) -> Result<(), SerializeError> {
        write_str_key(self.out, name.as_bytes());
        self.count += 1;
        v.serialize(Ser { out: self.out })
    }
}

fn variant_open(out: &mut Vec<u8>, variant: &str) {
    out.extend_from_slice(b"a:1:{");
    write_str_key(out, variant.as_bytes());
}

impl<'a> ser::Serializer for Ser<'a> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.out
            .extend_from_slice(if v { b"b:1;" } else { b"b:0;" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerializeError> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), SerializeError> {
        let v = i64::try_from(v)
            .map_err(|_| SerializeError(format!("integer {v} does not fit PHP's 64-bit int")))?;
        self.serialize_i64(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerializeError> {
        self.serialize_i128(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<(), SerializeError> {
        let v = i64::try_from(v)
            .map_err(|_| SerializeError(format!("integer {v} does not fit PHP's 64-bit int")))?;
        self.serialize_i64(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), SerializeError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerializeError> {
        write_float(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), SerializeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        write_str(self.out, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerializeError> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), SerializeError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerializeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), SerializeError> {
        self.out.extend_from_slice(b"N;");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerializeError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerializeError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        variant_open(self.out, variant);
        value.serialize(Ser { out: self.out })?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, SerializeError> {
        Ok(Compound::open(self.out, len, false))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, SerializeError> {
        Ok(Compound::open(self.out, Some(len), false))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerializeError> {
        Ok(Compound::open(self.out, Some(len), false))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerializeError> {
        variant_open(self.out, variant);
        Ok(Compound::open(self.out, Some(len), true))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, SerializeError> {
        Ok(Compound::open(self.out, len, false))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerializeError> {
        Ok(Compound::open(self.out, Some(len), false))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerializeError> {
        variant_open(self.out, variant);
        Ok(Compound::open(self.out, Some(len), true))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        self.element(v)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.close()
    }
}
impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        self.element(v)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.close()
    }
}
impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        self.element(v)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.close()
    }
}
impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        self.element(v)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.close()
    }
}
impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.close()
    }
}
impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.close()
    }
}
impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerializeError> {
        self.count += 1;
        key.serialize(KeySer { out: self.out })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        v.serialize(Ser { out: self.out })
    }
    fn end(self) -> Result<(), SerializeError> {
        self.close()
    }
}

/// Writes a map key: ints and strings (numeric strings as ints), chars, bools as 0/1.
struct KeySer<'a> {
    out: &'a mut Vec<u8>,
}

fn bad_key() -> SerializeError {
    SerializeError("a PHP array key must be an int or a string".into())
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = ser::Impossible<(), SerializeError>;
    type SerializeTuple = ser::Impossible<(), SerializeError>;
    type SerializeTupleStruct = ser::Impossible<(), SerializeError>;
    type SerializeTupleVariant = ser::Impossible<(), SerializeError>;
    type SerializeMap = ser::Impossible<(), SerializeError>;
    type SerializeStruct = ser::Impossible<(), SerializeError>;
    type SerializeStructVariant = ser::Impossible<(), SerializeError>;

    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i8(self, v: i8) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerializeError> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), SerializeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerializeError> {
        let v = i64::try_from(v)
            .map_err(|_| SerializeError(format!("key {v} does not fit PHP's 64-bit int")))?;
        self.serialize_i64(v)
    }
    fn serialize_f32(self, _v: f32) -> Result<(), SerializeError> {
        Err(bad_key())
    }
    fn serialize_f64(self, _v: f64) -> Result<(), SerializeError> {
        Err(bad_key())
    }
    fn serialize_char(self, v: char) -> Result<(), SerializeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        write_str_key(self.out, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerializeError> {
        write_str_key(self.out, v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), SerializeError> {
        Err(bad_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerializeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), SerializeError> {
        Err(bad_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerializeError> {
        Err(bad_key())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerializeError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), SerializeError> {
        Err(bad_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, SerializeError> {
        Err(bad_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, SerializeError> {
        Err(bad_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, SerializeError> {
        Err(bad_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        Err(bad_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, SerializeError> {
        Err(bad_key())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, SerializeError> {
        Err(bad_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        Err(bad_key())
    }
}

impl Serialize for Value<'_> {
    /// Arrays become maps (int or string keys) or, when [`super::Array::is_list`], sequences;
    /// objects become maps of their properties (the class is dropped); `C:` becomes a map
    /// `{"__PHP_Incomplete_Class_Name": class}` and `E:` the string `"Class:Case"`, as in
    /// [`super::to_json`]. Non-UTF-8 strings are serialized as bytes. Use
    /// [`Value::to_php`] for a faithful PHP writer.
    ///
    /// serde recurses once per level: a value with more than [`super::SERIALIZE_DEPTH`]
    /// (4096, what [`super::parse`] accepts by default) nested non-empty arrays and objects is
    /// refused with the serializer's error before anything is written (found by an iterative
    /// walk); up to that depth the caller's stack must hold the recursion. `Value::to_php` and
    /// `to_json` write any depth.
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::Error as _;
        if self.nested_deeper_than(super::SERIALIZE_DEPTH) {
            return Err(S::Error::custom(format_args!(
                "nesting deeper than {} arrays and objects (serde recurses per level; \
                 Value::to_php and php::to_json write any depth)",
                super::SERIALIZE_DEPTH
            )));
        }
        Nested(self).serialize(s)
    }
}

/// A value whose depth was checked at the top.
struct Nested<'v, 'a>(&'v Value<'a>);

impl Serialize for Nested<'_, '_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        let inner = Nested;
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(b) => match std::str::from_utf8(b) {
                Ok(t) => s.serialize_str(t),
                Err(_) => s.serialize_bytes(b),
            },
            Value::Array(a) if a.is_list() => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a.values() {
                    seq.serialize_element(&inner(v))?;
                }
                seq.end()
            }
            Value::Array(_) | Value::Object(_) => {
                let a = self
                    .0
                    .entries()
                    .unwrap_or_else(|| unreachable!("a container"));
                let mut m = s.serialize_map(Some(a.len()))?;
                for (k, v) in a.iter() {
                    m.serialize_key(&KeyRef(k))?;
                    m.serialize_value(&inner(v))?;
                }
                m.end()
            }
            Value::Custom(c) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(
                    "__PHP_Incomplete_Class_Name",
                    &Value::String(c.class.clone()),
                )?;
                m.end()
            }
            Value::Enum(e) => {
                let mut t = e.class.to_vec();
                t.push(b':');
                t.extend_from_slice(&e.case);
                Value::String(t.into()).serialize(s)
            }
        }
    }
}

struct KeyRef<'k, 'a>(&'k Key<'a>);

impl Serialize for KeyRef<'_, '_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Key::Int(i) => s.serialize_i64(*i),
            Key::String(b) => match std::str::from_utf8(b) {
                Ok(t) => s.serialize_str(t),
                Err(_) => s.serialize_bytes(b),
            },
        }
    }
}
