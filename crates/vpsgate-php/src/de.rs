//! A serde `Deserializer` reading PHP `serialize()` bytes straight into typed values.
//!
//! Rules:
//! - `N;` → unit (`None` for an `Option`); `b:` → bool; `i:` → i64; `d:` → f64.
//! - `s:` → a borrowed `&str` when the bytes are UTF-8, otherwise borrowed bytes (a `String`
//!   target then reports an invalid-type error; use `Vec<u8>`/`&[u8]`/`serde_bytes` for binary
//!   strings). `S:` strings are decoded into owned buffers.
//! - Arrays and objects (`O:`, class dropped) → maps for `deserialize_any`/`map`/`struct`: int
//!   keys as i64, string keys as str (or bytes). An int key asked for as a string or a struct
//!   field name is given as its decimal text. `deserialize_seq`/`tuple` on an array yields its
//!   values in order, keys ignored: that is how id-keyed maps become lists.
//! - Enums: a string (or `E:` case name) names a unit variant; a one-entry array
//!   `{variant: content}` any variant.
//! - `C:` → a map `{"__PHP_Incomplete_Class_Name": class}`; `E:` (outside enums) → the string
//!   `"Class:Case"`.
//! - `R:`/`r:` back-references are resolved by replaying the referenced value's bytes (each
//!   slot's start offset is recorded, numbered as PHP's `var_hash`), with the same checks as
//!   [`super::parse`] (missing slot, cycle, `r:` to a non-object) and the same expansion
//!   budget. Unlike [`super::parse`], entries are streamed as they come: duplicate keys reach
//!   the visitor twice (serde-derived structs reject a duplicate field), and a reference to an
//!   entry later replaced by a duplicate key replays the original value.
//! - Nesting: the values the target type asks for are decoded by recursion through its
//!   visitors, which costs stack per level (about 3 KiB in debug builds), so that recursion
//!   stops at [`Options::max_typed_depth`] (default 256, which fits a 2 MiB debug-build
//!   stack). Only recursive targets (`serde_json::Value`, recursive enums) reach it: whatever
//!   the target ignores is skipped without recursion, up to [`Options::max_depth`].
//! - Errors raised by the target type (missing field, invalid type) carry the byte offset of
//!   the value being decoded, as [`ErrorKind::Custom`].

use std::borrow::Cow;
use std::fmt::Display;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::read::{err, may_have_refs, numeric_key, Budget, Head, Reader};
use super::{Error, ErrorKind, Options};

/// A slot whose value is not complete yet.
const UNSET: usize = usize::MAX;

impl de::Error for Error {
    /// An error raised by the target type: its offset is filled in by the decoder, which knows
    /// where the value started (through [`super::from_value`] it stays `None`).
    fn custom<T: Display>(msg: T) -> Self {
        Error {
            offset: None,
            kind: ErrorKind::Custom(msg.to_string()),
        }
    }
}

fn at(start: usize) -> impl Fn(Error) -> Error {
    move |mut e| {
        if e.offset.is_none() {
            e.offset = Some(start);
        }
        e
    }
}

#[derive(Clone, Copy)]
struct Slot {
    start: usize,
    end: usize,
}

/// The typed deserializer behind [`super::from_bytes`].
pub struct Deserializer<'de> {
    r: Reader<'de>,
    slots: Vec<Slot>,
    replay: usize,
    /// False when the input holds no reference: no slot is then recorded.
    track: bool,
    /// The whole input as text when it is valid UTF-8: a string inside it is then valid iff it
    /// starts and ends on character boundaries, which costs two comparisons instead of a scan.
    text: Option<&'de str>,
    depth: usize,
    max_depth: usize,
    max_typed_depth: usize,
    reject_trailing: bool,
    budget: Budget,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Any,
    Seq,
    Option,
    Enum,
    Bytes,
}

pub(crate) fn from_bytes_with<'de, T: de::Deserialize<'de>>(
    input: &'de [u8],
    options: &Options,
) -> Result<T, Error> {
    let mut d = Deserializer::new(input, options);
    let v = T::deserialize(&mut d)?;
    d.end()?;
    Ok(v)
}

impl<'de> Deserializer<'de> {
    /// A deserializer over `input` with the given limits.
    pub fn new(input: &'de [u8], options: &Options) -> Self {
        Deserializer {
            r: Reader::new(input),
            slots: Vec::new(),
            replay: 0,
            track: may_have_refs(input),
            text: std::str::from_utf8(input).ok(),
            depth: 0,
            max_depth: options.max_depth,
            max_typed_depth: options.max_typed_depth,
            reject_trailing: options.reject_trailing_bytes,
            budget: Budget::new(options),
        }
    }

    /// Finish: checks trailing bytes when [`Options::reject_trailing_bytes`] is set.
    pub fn end(&self) -> Result<(), Error> {
        if self.reject_trailing && self.r.pos < self.r.input.len() {
            return Err(err(self.r.pos, ErrorKind::TrailingBytes));
        }
        Ok(())
    }

    fn begin_slot(&mut self) -> Option<usize> {
        if !self.track || self.replay > 0 || self.r.peek() == Some(b'R') {
            return None;
        }
        self.slots.push(Slot {
            start: self.r.pos,
            end: UNSET,
        });
        Some(self.slots.len() - 1)
    }

    fn end_slot(&mut self, s: Option<usize>) {
        if let Some(i) = s {
            let pos = self.r.pos;
            if let Some(sl) = self.slots.get_mut(i) {
                sl.end = pos;
            }
        }
    }

    /// `b` (a slice of the input) as text, or `None` when it is not UTF-8.
    #[inline]
    fn borrowed_str(&self, b: &'de [u8]) -> Option<&'de str> {
        if let Some(t) = self.text {
            let off = (b.as_ptr() as usize).wrapping_sub(t.as_ptr() as usize);
            if let Some(s) = off.checked_add(b.len()).and_then(|end| t.get(off..end)) {
                if s.as_ptr() == b.as_ptr() {
                    return Some(s);
                }
            }
        }
        std::str::from_utf8(b).ok()
    }

    /// Read a head, charging the reference budget while replaying.
    #[inline]
    fn head(&mut self) -> Result<Head<'de>, Error> {
        // Inlined, so that the tokenizer's fast paths hand their head over in registers.
        if self.replay == 0 {
            return self.r.head();
        }
        self.head_replaying()
    }

    #[inline(never)]
    fn head_replaying(&mut self) -> Result<Head<'de>, Error> {
        let start = self.r.pos;
        let h = self.r.head()?;
        if self.replay > 0 {
            let bytes = match &h {
                Head::Str(s) => s.len(),
                _ => 0,
            };
            self.budget.charge(1, bytes).map_err(|k| err(start, k))?;
        }
        Ok(h)
    }

    /// The start offset of the value slot `slot` refers to, checked like PHP does.
    fn target(
        &self,
        slot: u64,
        strong: bool,
        own: Option<usize>,
        start: usize,
    ) -> Result<usize, Error> {
        let bad = || err(start, ErrorKind::BadReference { slot });
        let id = usize::try_from(slot - 1).map_err(|_| bad())?;
        let Some(t) = self.slots.get(id) else {
            return Err(bad());
        };
        if !strong && own == Some(id) {
            return Err(bad());
        }
        if t.end == UNSET {
            return Err(err(start, ErrorKind::RecursiveReference { slot }));
        }
        if !strong && !matches!(self.r.input.get(t.start), Some(b'O' | b'C' | b'E' | b'r')) {
            return Err(bad());
        }
        // `r:` slots are re-pointed at their object once resolved (`alias`), so this loop
        // runs at most once; it stays as a guard, without recursion.
        let mut at = t.start;
        while self.r.input.get(at) == Some(&b'r') {
            let mut link = Reader {
                input: self.r.input,
                pos: at,
            };
            match link.head() {
                Ok(Head::Ref { slot, .. }) => {
                    match usize::try_from(slot - 1)
                        .ok()
                        .and_then(|i| self.slots.get(i))
                    {
                        Some(next) if next.start < at => at = next.start,
                        _ => return Err(bad()),
                    }
                }
                _ => return Err(bad()),
            }
        }
        Ok(at)
    }

    /// Point an `r:` value's own slot at the object it resolved to, so that references to it
    /// replay the object directly and `r:` chains never have to be walked.
    fn alias(&mut self, own: Option<usize>, target: usize) {
        if let Some(sl) = own.and_then(|i| self.slots.get_mut(i)) {
            sl.start = target;
        }
    }

    fn enter(&mut self, start: usize) -> Result<(), Error> {
        let limit = match self.max_depth {
            0 => self.max_typed_depth,
            m => m.min(self.max_typed_depth),
        };
        if self.depth >= limit {
            return Err(err(start, ErrorKind::DepthLimit { limit }));
        }
        self.depth += 1;
        Ok(())
    }

    /// Decode one value, handing it to `visitor` as `mode` prefers.
    fn decode<V: Visitor<'de>>(&mut self, mode: Mode, visitor: V) -> Result<V::Value, Error> {
        let start = self.r.pos;
        self.decode_inner(mode, visitor).map_err(at(start))
    }

    // The recursion of nested values runs through `decode_inner` and `container`: both keep
    // small frames (everything else lives in never-inlined helpers).
    fn decode_inner<V: Visitor<'de>>(&mut self, mode: Mode, visitor: V) -> Result<V::Value, Error> {
        let start = self.r.pos;
        if mode == Mode::Option {
            return self.option(visitor);
        }
        // Without references (no slots to record), the two most common heads go straight to
        // the visitor: a head returned from the tokenizer's slow path lives in memory, and
        // reading it back after the fast path's register stores stalls (store forwarding).
        if !self.track && mode != Mode::Enum {
            if let Some(b) = self.r.fast_str() {
                return match (mode, self.borrowed_str(b)) {
                    (Mode::Bytes, _) | (_, None) => visitor.visit_borrowed_bytes(b),
                    (_, Some(s)) => visitor.visit_borrowed_str(s),
                };
            }
            if let Some(i) = self.r.fast_int() {
                return visitor.visit_i64(i);
            }
        }
        let slot = self.begin_slot();
        let head = self.head()?;
        let out = match head {
            Head::Array(n) if n > 0 => self.container(mode, visitor, n, false, start)?,
            Head::Object { len, .. } => self.container(mode, visitor, len, true, start)?,
            Head::Ref { slot: s, strong } => {
                return self.replay(mode, visitor, s, strong, slot, start)
            }
            head => self.scalar(mode, visitor, head)?,
        };
        self.end_slot(slot);
        Ok(out)
    }

    #[inline(never)]
    fn option<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        let start = self.r.pos;
        match self.r.peek() {
            Some(b'N') => {
                let s = self.begin_slot();
                self.head()?;
                self.end_slot(s);
                visitor.visit_none()
            }
            Some(b'R') => {
                // A reference to `N;` is None too.
                let mut probe = self.r.clone();
                if let Ok(Head::Ref { slot, strong }) = probe.head() {
                    let t = self.target(slot, strong, None, start)?;
                    if self.r.input.get(t) == Some(&b'N') {
                        self.r = probe;
                        return visitor.visit_none();
                    }
                }
                visitor.visit_some(self)
            }
            _ => visitor.visit_some(self),
        }
    }

    #[inline(never)]
    fn replay<V: Visitor<'de>>(
        &mut self,
        mode: Mode,
        visitor: V,
        s: u64,
        strong: bool,
        own: Option<usize>,
        start: usize,
    ) -> Result<V::Value, Error> {
        let t = self.target(s, strong, own, start)?;
        self.alias(own, t);
        let resume = self.r.pos;
        self.r.pos = t;
        self.replay += 1;
        let v = self.decode_inner(mode, visitor);
        self.replay -= 1;
        self.r.pos = resume;
        self.end_slot(own);
        v
    }

    #[inline(never)]
    fn container<V: Visitor<'de>>(
        &mut self,
        mode: Mode,
        visitor: V,
        n: usize,
        object: bool,
        start: usize,
    ) -> Result<V::Value, Error> {
        self.enter(start)?;
        let mut e = Entries {
            de: self,
            left: n,
            object,
        };
        let v = match mode {
            Mode::Seq => visitor.visit_seq(&mut e)?,
            Mode::Enum if n == 1 && !object => visitor.visit_enum(&mut e)?,
            _ => visitor.visit_map(&mut e)?,
        };
        let left = e.left;
        self.finish(left)?;
        Ok(v)
    }

    #[inline(never)]
    fn finish(&mut self, left: usize) -> Result<(), Error> {
        for _ in 0..left {
            self.r.key()?;
            self.skip()?;
        }
        self.r.expect(b'}', "'}' closing the array")?;
        self.depth -= 1;
        Ok(())
    }

    #[inline(never)]
    fn scalar<V: Visitor<'de>>(
        &mut self,
        mode: Mode,
        visitor: V,
        head: Head<'de>,
    ) -> Result<V::Value, Error> {
        match head {
            Head::Null => visitor.visit_unit(),
            Head::Bool(b) => visitor.visit_bool(b),
            Head::Int(i) => visitor.visit_i64(i),
            Head::Float(f) => visitor.visit_f64(f),
            Head::Str(Cow::Borrowed(b)) => match mode {
                Mode::Bytes => visitor.visit_borrowed_bytes(b),
                _ => match (mode, self.borrowed_str(b)) {
                    (_, None) => visitor.visit_borrowed_bytes(b),
                    (Mode::Enum, Some(s)) => visitor.visit_enum(s.into_deserializer()),
                    (_, Some(s)) => visitor.visit_borrowed_str(s),
                },
            },
            Head::Str(Cow::Owned(b)) => match (mode, String::from_utf8(b)) {
                (Mode::Bytes, Ok(s)) => visitor.visit_byte_buf(s.into_bytes()),
                (_, Err(e)) => visitor.visit_byte_buf(e.into_bytes()),
                (Mode::Enum, Ok(s)) => visitor.visit_enum(s.into_deserializer()),
                (_, Ok(s)) => visitor.visit_string(s),
            },
            Head::Enum { class, case } => match (mode, std::str::from_utf8(case)) {
                (Mode::Enum, Ok(c)) => visitor.visit_enum(c.into_deserializer()),
                _ => {
                    let mut t = String::from_utf8_lossy(class).into_owned();
                    t.push(':');
                    t.push_str(&String::from_utf8_lossy(case));
                    visitor.visit_string(t)
                }
            },
            Head::Custom { class, .. } => visitor.visit_map(ClassName(Some(class))),
            Head::Array(_) => {
                self.r.expect(b'}', "'}'")?;
                let e = Entries {
                    de: self,
                    left: 0,
                    object: false,
                };
                match mode {
                    Mode::Seq => visitor.visit_seq(e),
                    _ => visitor.visit_map(e),
                }
            }
            Head::Object { .. } | Head::Ref { .. } => {
                unreachable!("containers and references are handled by the caller")
            }
        }
    }

    /// Skip one value without recursion, recording its slots and checking everything a
    /// full parse checks.
    fn skip(&mut self) -> Result<(), Error> {
        let mut stack: Vec<(usize, Option<usize>)> = Vec::new();
        loop {
            let start = self.r.pos;
            // As in `decode_inner`: a string or short int, without slots, needs no head.
            let fast = !self.track && (self.r.fast_str().is_some() || self.r.fast_int().is_some());
            let slot = if fast { None } else { self.begin_slot() };
            match if fast { Head::Null } else { self.head()? } {
                Head::Array(n) | Head::Object { len: n, .. } if n > 0 => {
                    if self.max_depth > 0 && self.depth + stack.len() >= self.max_depth {
                        return Err(err(
                            start,
                            ErrorKind::DepthLimit {
                                limit: self.max_depth,
                            },
                        ));
                    }
                    stack.push((n, slot));
                    self.r.key()?;
                    continue;
                }
                Head::Array(_) => self.r.expect(b'}', "'}'")?,
                Head::Object { .. } => {
                    if self.max_depth > 0 && self.depth + stack.len() >= self.max_depth {
                        return Err(err(
                            start,
                            ErrorKind::DepthLimit {
                                limit: self.max_depth,
                            },
                        ));
                    }
                    self.r.expect(b'}', "'}'")?
                }
                Head::Ref { slot: s, strong } => {
                    let t = self.target(s, strong, slot, start)?;
                    self.alias(slot, t);
                }
                _ => {}
            }
            self.end_slot(slot);
            loop {
                let Some(top) = stack.last_mut() else {
                    return Ok(());
                };
                top.0 -= 1;
                if top.0 > 0 {
                    self.r.key()?;
                    break;
                }
                self.r.expect(b'}', "'}' closing the array")?;
                let s = top.1;
                stack.pop();
                self.end_slot(s);
            }
        }
    }

    /// Read an array or property key.
    #[inline]
    fn read_key(&mut self, object: bool) -> Result<KeyDe<'de>, Error> {
        let start = self.r.pos;
        let k = match self.r.key()? {
            Head::Int(i) if object => KeyDe::Str(Cow::Owned(i.to_string().into_bytes())),
            Head::Int(i) => KeyDe::Int(i),
            Head::Str(s) => match (if object { None } else { numeric_key(&s) }, s) {
                (Some(i), _) => KeyDe::Int(i),
                (None, Cow::Borrowed(b)) => match self.borrowed_str(b) {
                    Some(t) => KeyDe::Text(t),
                    None => KeyDe::Str(Cow::Borrowed(b)),
                },
                (None, s) => KeyDe::Str(s),
            },
            _ => return Err(err(start, ErrorKind::InvalidKey)),
        };
        if self.replay > 0 {
            self.budget.charge(1, 0).map_err(|k| err(start, k))?;
        }
        Ok(k)
    }
}

macro_rules! forward {
    ($mode:expr => $($name:ident)*) => {
        $(
            fn $name<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.decode($mode, visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    forward!(Mode::Any => deserialize_any deserialize_bool deserialize_i8 deserialize_i16
        deserialize_i32 deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16
        deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64
        deserialize_char deserialize_str deserialize_string deserialize_unit deserialize_map
        deserialize_identifier);
    forward!(Mode::Seq => deserialize_seq);
    forward!(Mode::Option => deserialize_option);
    forward!(Mode::Bytes => deserialize_bytes deserialize_byte_buf);

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.decode(Mode::Any, visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.decode(Mode::Seq, visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.decode(Mode::Seq, visitor)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.decode(Mode::Any, visitor)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.decode(Mode::Enum, visitor)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip()?;
        visitor.visit_unit()
    }
}

/// The entries of an array or object, as a map, a sequence (values only) or an enum.
struct Entries<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    left: usize,
    object: bool,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        let start = self.de.r.pos;
        // The common key, `s:` without references, handed over in registers (see
        // `Deserializer::decode_inner`); the same key as `read_key` gives.
        if !self.de.track {
            if let Some(b) = self.de.r.fast_str() {
                let k = match (self.object, numeric_key(b)) {
                    (false, Some(i)) => KeyDe::Int(i),
                    _ => match self.de.borrowed_str(b) {
                        Some(t) => KeyDe::Text(t),
                        None => KeyDe::Str(Cow::Borrowed(b)),
                    },
                };
                return seed.deserialize(k).map(Some).map_err(at(start));
            }
        }
        let k = self.de.read_key(self.object)?;
        seed.deserialize(k).map(Some).map_err(at(start))
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.left = self.left.saturating_sub(1);
        seed.deserialize(&mut *self.de)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::SeqAccess<'de> for Entries<'_, 'de> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        // The key is not used: without references, a common one needs no head.
        let fast =
            !self.de.track && (self.de.r.fast_int().is_some() || self.de.r.fast_str().is_some());
        if !fast {
            self.de.read_key(self.object)?;
        }
        self.left -= 1;
        seed.deserialize(&mut *self.de).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Entries<'_, 'de> {
    type Error = Error;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let start = self.de.r.pos;
        let k = self.de.read_key(false)?;
        let v = seed.deserialize(k).map_err(at(start))?;
        self.left = 0;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Entries<'_, 'de> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        self.de.skip()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(&mut *self.de)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.de.decode(Mode::Seq, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.de.decode(Mode::Any, visitor)
    }
}

/// A key already read: int keys as i64 (or their decimal text when a string is wanted).
pub(crate) enum KeyDe<'de> {
    Int(i64),
    /// A borrowed key already known to be UTF-8.
    Text(&'de str),
    Str(Cow<'de, [u8]>),
}

impl<'de> de::Deserializer<'de> for KeyDe<'de> {
    type Error = Error;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            KeyDe::Int(i) => visitor.visit_i64(i),
            KeyDe::Text(s) => visitor.visit_borrowed_str(s),
            KeyDe::Str(Cow::Borrowed(b)) => match std::str::from_utf8(b) {
                Ok(s) => visitor.visit_borrowed_str(s),
                Err(_) => visitor.visit_borrowed_bytes(b),
            },
            KeyDe::Str(Cow::Owned(b)) => match String::from_utf8(b) {
                Ok(s) => visitor.visit_string(s),
                Err(e) => visitor.visit_byte_buf(e.into_bytes()),
            },
        }
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            KeyDe::Int(i) => visitor.visit_string(i.to_string()),
            k => k.deserialize_any(visitor),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            KeyDe::Text(s) => visitor.visit_enum(s.into_deserializer()),
            KeyDe::Str(Cow::Borrowed(b)) => match std::str::from_utf8(b) {
                Ok(s) => visitor.visit_enum(s.into_deserializer()),
                Err(_) => visitor.visit_borrowed_bytes(b),
            },
            KeyDe::Str(Cow::Owned(b)) => match String::from_utf8(b) {
                Ok(s) => visitor.visit_enum(s.into_deserializer()),
                Err(e) => visitor.visit_byte_buf(e.into_bytes()),
            },
            KeyDe::Int(i) => visitor.visit_enum(i.to_string().into_deserializer()),
        }
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

/// `C:` as a one-entry map `{"__PHP_Incomplete_Class_Name": class}`.
pub(crate) struct ClassName<'de>(pub(crate) Option<&'de [u8]>);

impl<'de> de::MapAccess<'de> for ClassName<'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(KeyDe::Str(Cow::Borrowed(b"__PHP_Incomplete_Class_Name")))
            .map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let class = self.0.take().unwrap_or_default();
        seed.deserialize(KeyDe::Str(Cow::Borrowed(class)))
    }
}
