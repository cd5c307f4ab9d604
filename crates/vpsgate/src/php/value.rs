//! The dynamic value model: what PHP's `unserialize()` produces, kept faithfully.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::parse::numeric_key;

/// One PHP value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `N;`
    Null,
    /// `b:0;` / `b:1;`
    Bool(bool),
    /// `i:...;`
    Int(i64),
    /// `d:...;` (including NAN, INF, -INF, -0)
    Float(f64),
    /// `s:...;` — PHP strings are byte strings, not necessarily UTF-8.
    String(Vec<u8>),
    /// `a:...;` — an ordered map with int and string keys.
    Array(Array),
    /// `O:...;` read as data: the class name and its properties (keys are strings, as PHP
    /// converts int property names; mangled private/protected names are kept as sent).
    /// Nothing is instantiated.
    Object {
        /// The class name as sent.
        class: Vec<u8>,
        /// The properties in order.
        properties: Array,
    },
    /// `C:...;` read as data: the class name and its opaque payload.
    Custom {
        /// The class name as sent.
        class: Vec<u8>,
        /// The payload between the braces.
        payload: Vec<u8>,
    },
    /// `E:...;` read as data: the enum's class and case names.
    Enum {
        /// The enum class name.
        class: Vec<u8>,
        /// The case name.
        case: Vec<u8>,
    },
}

/// An array key. PHP stores numeric-string keys such as `"1"` as ints.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// An integer key.
    Int(i64),
    /// A byte-string key that is not a canonical decimal integer.
    String(Vec<u8>),
}

/// An insertion-ordered PHP array.
///
/// Lookups are linear for small arrays; from 16 entries on, a hash index is kept, so building
/// a large array with duplicate-key detection stays linear.
#[derive(Debug, Clone, Default)]
pub struct Array {
    entries: Vec<(Key, Value)>,
    index: Option<Box<Index>>,
    /// PHP's `nNextFreeElement`: one more than the largest int key ever inserted (min 0).
    next_free: i64,
}

/// Hash index over the keys: key hash → most recent entry with that hash, chained by `next`.
#[derive(Debug, Clone, Default)]
struct Index {
    heads: HashMap<u64, u32>,
    next: Vec<u32>,
}

const INDEX_FROM: usize = 16;
const NONE: u32 = u32::MAX;

fn key_hash(k: &Key) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    k.hash(&mut h);
    h.finish()
}

impl PartialEq for Array {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Key {
    /// The PHP array key for these bytes: canonical decimal integers in i64 range (`"1"`,
    /// `"-5"`) become [`Key::Int`]; anything else (`"01"`, `"-0"`, `" 1"`, `"1.0"`) stays a
    /// string.
    pub fn normalized(bytes: impl Into<Vec<u8>>) -> Key {
        let bytes = bytes.into();
        match numeric_key(&bytes) {
            Some(i) => Key::Int(i),
            None => Key::String(bytes),
        }
    }

    /// The same key after PHP normalisation (see [`Key::normalized`]).
    fn into_normalized(self) -> Key {
        match self {
            Key::String(s) => Key::normalized(s),
            k => k,
        }
    }

    /// The string key as UTF-8, if it is a string key and valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Key::String(s) => std::str::from_utf8(s).ok(),
            Key::Int(_) => None,
        }
    }
}

impl From<i64> for Key {
    fn from(i: i64) -> Key {
        Key::Int(i)
    }
}

impl From<&str> for Key {
    /// Normalised like PHP: `"7"` becomes `Key::Int(7)`.
    fn from(s: &str) -> Key {
        Key::normalized(s.as_bytes())
    }
}

impl From<String> for Key {
    /// Normalised like PHP: `"7"` becomes `Key::Int(7)`.
    fn from(s: String) -> Key {
        Key::normalized(s.into_bytes())
    }
}

impl From<&[u8]> for Key {
    /// Normalised like PHP.
    fn from(s: &[u8]) -> Key {
        Key::normalized(s)
    }
}

impl Array {
    /// An empty array.
    pub fn new() -> Self {
        Array::default()
    }
    /// An empty array with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Array {
            entries: Vec::with_capacity(n),
            index: None,
            next_free: 0,
        }
    }
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    /// The entries in insertion order.
    pub fn as_slice(&self) -> &[(Key, Value)] {
        &self.entries
    }
    /// Keys in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.entries.iter().map(|(k, _)| k)
    }
    /// Values in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The entry index of exactly this key (no normalisation).
    pub(crate) fn position(&self, key: &Key) -> Option<usize> {
        match &self.index {
            None => self.entries.iter().position(|(k, _)| k == key),
            Some(ix) => {
                let mut i = *ix.heads.get(&key_hash(key))?;
                while i != NONE {
                    let (k, _) = self.entries.get(i as usize)?;
                    if k == key {
                        return Some(i as usize);
                    }
                    i = *ix.next.get(i as usize)?;
                }
                None
            }
        }
    }

    /// The value stored under exactly this key (string keys are not normalised: object
    /// properties keep numeric-looking names as strings).
    pub fn get(&self, key: &Key) -> Option<&Value> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// The value under a string key, normalised like PHP (`get_str("1")` finds int key 1).
    pub fn get_str(&self, key: &str) -> Option<&Value> {
        match numeric_key(key.as_bytes()) {
            Some(i) => self.get(&Key::Int(i)).or_else(|| self.get_exact_str(key)),
            None => self
                .get(&Key::String(key.as_bytes().to_vec()))
                .or_else(|| self.get_exact_str(key)),
        }
    }

    /// Fallback for object properties stored with numeric-looking string names.
    fn get_exact_str(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| matches!(k, Key::String(s) if s == key.as_bytes()))
            .map(|(_, v)| v)
    }

    /// Mutable access to the value under exactly this key.
    pub fn get_mut(&mut self, key: &Key) -> Option<&mut Value> {
        self.position(key).map(|i| &mut self.entries[i].1)
    }

    /// The value at entry position `i`.
    pub(crate) fn value_at(&self, i: usize) -> Option<&Value> {
        self.entries.get(i).map(|(_, v)| v)
    }

    /// Insert with PHP semantics: the key is normalised (`"1"` → 1); an existing key keeps
    /// its position and gets the new value (the old one is returned), a new key is appended.
    pub fn insert(&mut self, key: impl Into<Key>, value: Value) -> Option<Value> {
        self.insert_exact(key.into().into_normalized(), value)
    }

    /// Like [`Array::insert`] without key normalisation (how PHP stores object properties).
    pub fn insert_exact(&mut self, key: Key, value: Value) -> Option<Value> {
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.push_unchecked(key, value);
                None
            }
        }
    }

    /// Append `value` under the next integer key (one more than the largest int key, or 0),
    /// like PHP's `$a[] = value`.
    pub fn push(&mut self, value: Value) {
        self.insert_exact(Key::Int(self.next_free), value);
    }

    pub(crate) fn replace_at(&mut self, i: usize, value: Value) -> Value {
        std::mem::replace(&mut self.entries[i].1, value)
    }

    /// Append without looking for an existing key (the caller knows it is new).
    pub(crate) fn push_unchecked(&mut self, key: Key, value: Value) {
        if let Key::Int(k) = key {
            if k >= self.next_free {
                self.next_free = k.saturating_add(1);
            }
        }
        let i = self.entries.len();
        if let Some(ix) = &mut self.index {
            let h = key_hash(&key);
            let prev = ix.heads.insert(h, i as u32).unwrap_or(NONE);
            ix.next.push(prev);
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            self.build_index();
        }
    }

    fn build_index(&mut self) {
        let mut ix = Index {
            heads: HashMap::with_capacity(self.entries.len() * 2),
            next: Vec::with_capacity(self.entries.len() * 2),
        };
        for (i, (k, _)) in self.entries.iter().enumerate() {
            let prev = ix.heads.insert(key_hash(k), i as u32).unwrap_or(NONE);
            ix.next.push(prev);
        }
        self.index = Some(Box::new(ix));
    }

    /// Remove the entry under exactly this key, keeping the order of the others.
    pub fn remove(&mut self, key: &Key) -> Option<Value> {
        let i = self.position(key)?;
        let (_, v) = self.entries.remove(i);
        self.index = None;
        if self.entries.len() >= INDEX_FROM {
            self.build_index();
        }
        Some(v)
    }

    /// True when the keys are exactly `0, 1, ..., n-1` in this order (what `json_encode`
    /// prints as a JSON array).
    pub fn is_list(&self) -> bool {
        self.entries
            .iter()
            .enumerate()
            .all(|(i, (k, _))| *k == Key::Int(i as i64))
    }
}

impl IntoIterator for Array {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Array {
    type Item = (&'a Key, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Key, Value)>,
        fn(&'a (Key, Value)) -> (&'a Key, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Array {
    /// Inserts with PHP semantics ([`Array::insert`]).
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut a = Array::new();
        for (k, v) in iter {
            a.insert(k, v);
        }
        a
    }
}

impl FromIterator<Value> for Array {
    /// A list: keys 0..n-1.
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Self {
        let mut a = Array::new();
        for (i, v) in iter.into_iter().enumerate() {
            a.push_unchecked(Key::Int(i as i64), v);
        }
        a
    }
}

impl Value {
    /// The string as UTF-8, if this is a string and valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => std::str::from_utf8(s).ok(),
            _ => None,
        }
    }
    /// The raw bytes of a string.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The integer, if this is an int.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    /// The number as f64, if this is a float or an int.
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
    /// The boolean, if this is a bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// True for `N;`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// The array, if this is an array.
    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The entries of an array or the properties of an object.
    pub fn entries(&self) -> Option<&Array> {
        match self {
            Value::Array(a) | Value::Object { properties: a, .. } => Some(a),
            _ => None,
        }
    }
    /// Look up a string key in an array (PHP-normalised) or object property.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries()?.get_str(key)
    }
    /// Write this value in PHP `serialize()` format, byte-identical to what PHP writes for
    /// the same value.
    pub fn to_php(&self) -> Vec<u8> {
        let mut out = Vec::new();
        super::ser::write_value(&mut out, self);
        out
    }
}

impl From<Array> for Value {
    fn from(a: Array) -> Value {
        Value::Array(a)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.as_bytes().to_vec())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s.into_bytes())
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
