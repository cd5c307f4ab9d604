//! The dynamic value model: what PHP's `unserialize()` produces, kept faithfully, borrowing
//! its strings from the input.
//!
//! Sizes (held by the compile-time asserts below): a [`Value`] is 32 bytes, an [`Array`] entry
//! (`(Key, Value)`) 56. Strings and keys are `Cow<'a, [u8]>`: borrowed from the input where
//! PHP wrote them verbatim (`s:`), owned where they had to be decoded (`S:`) or were built in
//! code. [`Value::into_owned`] detaches a value from its input (`Value<'static>`).
//!
//! [`Array`] keeps its entries in a `Vec` in insertion order. It needs no index while it is
//! small (up to [`INDEX_FROM`] entries are searched linearly) or while its keys are strictly
//! increasing integers (lists and id-keyed maps: a new key is checked against the last one, a
//! lookup is a binary search); otherwise a `hashbrown::HashTable` of entry positions is built,
//! hashed with foldhash seeded at random per process (the keys come from the network).
//!
//! Dropping, cloning and comparing values is iterative: a value nested a million deep (only
//! possible with `Options::max_depth = 0`) costs heap, not stack.

use std::borrow::Cow;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::read::numeric_key;

/// One PHP value. Strings borrow from the input they were parsed from (`'a`); see
/// [`Value::into_owned`].
///
/// `Debug` prints containers as maps and stops at [`SERDE_DEPTH`] levels (deeper levels show
/// as `…`), so a value of any depth prints without overflowing the stack.
pub enum Value<'a> {
    /// `N;`
    Null,
    /// `b:0;` / `b:1;`
    Bool(bool),
    /// `i:...;`
    Int(i64),
    /// `d:...;` (including NAN, INF, -INF, -0)
    Float(f64),
    /// `s:...;` — PHP strings are byte strings, not necessarily UTF-8.
    String(Cow<'a, [u8]>),
    /// `a:...;` — an ordered map with int and string keys.
    Array(Array<'a>),
    /// `O:...;` read as data: the class name and its properties. Nothing is instantiated.
    Object(Box<Object<'a>>),
    /// `C:...;` read as data: the class name and its opaque payload.
    Custom(Box<Custom<'a>>),
    /// `E:...;` read as data: the enum's class and case names.
    Enum(Box<Enum<'a>>),
}

/// An `O:` object as data (see [`Value::Object`]).
#[derive(Clone, PartialEq)]
pub struct Object<'a> {
    /// The class name as sent.
    pub class: Cow<'a, [u8]>,
    /// The properties in order. Keys are strings (PHP converts int property names); mangled
    /// private/protected names (`\0Class\0name`, `\0*\0name`) are kept as sent.
    pub properties: Array<'a>,
}

/// A `C:` custom-serialized object as data (see [`Value::Custom`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Custom<'a> {
    /// The class name as sent.
    pub class: Cow<'a, [u8]>,
    /// The payload between the braces.
    pub payload: Cow<'a, [u8]>,
}

/// An `E:` enum case as data (see [`Value::Enum`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum<'a> {
    /// The enum class name.
    pub class: Cow<'a, [u8]>,
    /// The case name.
    pub case: Cow<'a, [u8]>,
}

/// An array key. PHP stores numeric-string keys such as `"1"` as ints.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key<'a> {
    /// An integer key.
    Int(i64),
    /// A byte-string key that is not a canonical decimal integer.
    String(Cow<'a, [u8]>),
}

/// A key as looked up: no allocation for a borrowed string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRef<'k> {
    Int(i64),
    Str(&'k [u8]),
}

/// An insertion-ordered PHP array (see the module docs for how it is indexed).
#[derive(Default)]
pub struct Array<'a> {
    entries: Vec<(Key<'a>, Value<'a>)>,
    /// Present when the array is larger than [`INDEX_FROM`] and its keys are not strictly
    /// increasing ints, or once an entry was removed (to remember PHP's next free key).
    index: Option<Box<Index>>,
}

/// Up to this many entries, lookups are linear and no index is kept.
pub const INDEX_FROM: usize = 16;

/// The nesting of arrays and objects that the `Deserializer` for `&Value`
/// ([`super::from_value`]) and `Debug` go through. Both recurse once per level (stack, not
/// heap), so deeper parts are refused by `from_value` ([`super::ErrorKind::DepthLimit`], when
/// the target asks for them) and elided by `Debug` (`{…}`). The same as the default
/// [`super::Options::max_typed_depth`] of [`super::from_bytes`]. The PHP and JSON writers
/// ([`Value::to_php`], [`super::to_json`]) are iterative and have no limit.
pub const SERDE_DEPTH: usize = 256;

/// The nesting serde's `Serialize` for [`Value`] accepts: the default
/// [`super::Options::max_depth`], so whatever [`super::parse`] accepts by default serializes.
/// A deeper value (possible with `max_depth: 0`) is refused up front, before any recursion.
pub const SERIALIZE_DEPTH: usize = 4096;

#[derive(Debug, Clone)]
struct Index {
    /// Entry positions, hashed by key.
    table: HashTable<u32>,
    state: foldhash::fast::RandomState,
    /// PHP's `nNextFreeElement`: one more than the largest int key ever inserted (min 0),
    /// kept here because it outlives removed entries.
    next_free: i64,
}

const _: () = assert!(std::mem::size_of::<Value<'static>>() <= 32);
const _: () = assert!(std::mem::size_of::<(Key<'static>, Value<'static>)>() <= 56);

impl KeyRef<'_> {
    /// `==`, with short strings compared word by word instead of through `memcmp` (keys are
    /// mostly short names, compared once per key by the duplicate checks).
    #[inline(always)]
    pub(crate) fn same(self, other: KeyRef<'_>) -> bool {
        match (self, other) {
            (KeyRef::Int(a), KeyRef::Int(b)) => a == b,
            (KeyRef::Str(a), KeyRef::Str(b)) => same_bytes(a, b),
            _ => false,
        }
    }
}

/// Byte-string equality; up to 16 bytes by two overlapping word loads.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    // Both have n bytes: either both loads give the word or (never, as called) both give 0.
    // Chunk references, not `copy_from_slice`: no call left where inlining is not the default
    // (the npm package's wasm).
    #[inline(always)]
    fn word(s: &[u8], i: usize) -> u64 {
        s.get(i..)
            .and_then(<[u8]>::first_chunk)
            .map_or(0, |w| u64::from_ne_bytes(*w))
    }
    #[inline(always)]
    fn half(s: &[u8], i: usize) -> u32 {
        s.get(i..)
            .and_then(<[u8]>::first_chunk)
            .map_or(0, |w| u32::from_ne_bytes(*w))
    }
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// The bytes of a `Cow`, inline: its `Deref` (through `Borrow`) stays a call where inlining is
/// not the default (the npm package's wasm).
#[inline(always)]
// Taking the `Cow` is the point: its bytes without going through `Deref`.
#[allow(clippy::ptr_arg)]
pub(crate) fn cow_bytes<'c>(s: &'c Cow<'_, [u8]>) -> &'c [u8] {
    match s {
        Cow::Borrowed(b) => b,
        Cow::Owned(v) => v,
    }
}

fn hash_key(state: &foldhash::fast::RandomState, k: KeyRef<'_>) -> u64 {
    match k {
        KeyRef::Int(i) => state.hash_one(i),
        KeyRef::Str(s) => state.hash_one(s),
    }
}

impl<'a> Key<'a> {
    /// The PHP array key for these bytes: canonical decimal integers in i64 range (`"1"`,
    /// `"-5"`) become [`Key::Int`]; anything else (`"01"`, `"-0"`, `" 1"`, `"1.0"`) stays a
    /// string.
    pub fn normalized(bytes: impl Into<Cow<'a, [u8]>>) -> Key<'a> {
        let bytes = bytes.into();
        match numeric_key(&bytes) {
            Some(i) => Key::Int(i),
            None => Key::String(bytes),
        }
    }

    /// The same key after PHP normalisation (see [`Key::normalized`]).
    fn into_normalized(self) -> Key<'a> {
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

    /// The same key, owning its bytes.
    pub fn into_owned(self) -> Key<'static> {
        match self {
            Key::Int(i) => Key::Int(i),
            Key::String(s) => Key::String(Cow::Owned(s.into_owned())),
        }
    }

    #[inline(always)]
    pub(crate) fn as_ref(&self) -> KeyRef<'_> {
        match self {
            Key::Int(i) => KeyRef::Int(*i),
            Key::String(s) => KeyRef::Str(cow_bytes(s)),
        }
    }
}

impl From<i64> for Key<'_> {
    fn from(i: i64) -> Self {
        Key::Int(i)
    }
}

impl<'a> From<&'a str> for Key<'a> {
    /// Normalised like PHP: `"7"` becomes `Key::Int(7)`.
    fn from(s: &'a str) -> Self {
        Key::normalized(s.as_bytes())
    }
}

impl From<String> for Key<'_> {
    /// Normalised like PHP: `"7"` becomes `Key::Int(7)`.
    fn from(s: String) -> Self {
        Key::normalized(s.into_bytes())
    }
}

impl<'a> From<&'a [u8]> for Key<'a> {
    /// Normalised like PHP.
    fn from(s: &'a [u8]) -> Self {
        Key::normalized(s)
    }
}

impl<'a> Array<'a> {
    /// An empty array.
    pub fn new() -> Self {
        Array::default()
    }
    /// An empty array with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Array {
            entries: Vec::with_capacity(n),
            index: None,
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
    pub fn iter(&self) -> impl Iterator<Item = (&Key<'a>, &Value<'a>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    /// The entries in insertion order.
    pub fn as_slice(&self) -> &[(Key<'a>, Value<'a>)] {
        &self.entries
    }
    /// Keys in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &Key<'a>> {
        self.entries.iter().map(|(k, _)| k)
    }
    /// Values in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &Value<'a>> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// True while no index is kept for an array above [`INDEX_FROM`] entries: its keys are
    /// then strictly increasing ints.
    fn sorted_ints(&self) -> bool {
        self.index.is_none() && self.entries.len() > INDEX_FROM
    }

    /// The entry position of exactly this key (no normalisation).
    pub(crate) fn position(&self, key: KeyRef<'_>) -> Option<usize> {
        if let Some(ix) = &self.index {
            let h = hash_key(&ix.state, key);
            return ix
                .table
                .find(h, |&i| self.entries[i as usize].0.as_ref().same(key))
                .map(|&i| i as usize);
        }
        if self.sorted_ints() {
            let KeyRef::Int(k) = key else { return None };
            return self
                .entries
                .binary_search_by(|(e, _)| match e {
                    Key::Int(i) => i.cmp(&k),
                    // Not reached while the invariant holds.
                    Key::String(_) => std::cmp::Ordering::Greater,
                })
                .ok();
        }
        self.entries.iter().position(|(k, _)| k.as_ref().same(key))
    }

    /// The key at entry position `i`.
    pub(crate) fn key_at(&self, i: usize) -> Option<&Key<'a>> {
        self.entries.get(i).map(|(k, _)| k)
    }

    /// The value stored under exactly this key (string keys are not normalised: object
    /// properties keep numeric-looking names as strings).
    pub fn get(&self, key: &Key<'_>) -> Option<&Value<'a>> {
        self.position(key.as_ref()).map(|i| &self.entries[i].1)
    }

    /// The value under a string key, normalised like PHP (`get_str("1")` finds int key 1;
    /// an object property stored under the string `"1"` is found too).
    pub fn get_str(&self, key: &str) -> Option<&Value<'a>> {
        let exact = KeyRef::Str(key.as_bytes());
        match numeric_key(key.as_bytes()) {
            Some(i) => self
                .position(KeyRef::Int(i))
                .or_else(|| self.position(exact)),
            None => self.position(exact),
        }
        .map(|i| &self.entries[i].1)
    }

    /// Mutable access to the value under exactly this key.
    pub fn get_mut(&mut self, key: &Key<'_>) -> Option<&mut Value<'a>> {
        self.position(key.as_ref()).map(|i| &mut self.entries[i].1)
    }

    /// The value at entry position `i`.
    pub(crate) fn value_at(&self, i: usize) -> Option<&Value<'a>> {
        self.entries.get(i).map(|(_, v)| v)
    }

    /// Insert with PHP semantics: the key is normalised (`"1"` → 1); an existing key keeps
    /// its position and gets the new value (the old one is returned), a new key is appended.
    pub fn insert(&mut self, key: impl Into<Key<'a>>, value: Value<'a>) -> Option<Value<'a>> {
        self.insert_exact(key.into().into_normalized(), value)
    }

    /// Like [`Array::insert`] without key normalisation (how PHP stores object properties).
    pub fn insert_exact(&mut self, key: Key<'a>, value: Value<'a>) -> Option<Value<'a>> {
        match self.position(key.as_ref()) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.push_unchecked(key, value);
                None
            }
        }
    }

    /// PHP's next free integer key: one more than the largest int key ever inserted, or 0.
    pub fn next_free(&self) -> i64 {
        if let Some(ix) = &self.index {
            return ix.next_free;
        }
        self.entries
            .iter()
            .filter_map(|(k, _)| match k {
                Key::Int(i) => Some(i.saturating_add(1)),
                Key::String(_) => None,
            })
            .max()
            .unwrap_or(0)
            .max(0)
    }

    /// Append `value` under the next integer key (one more than the largest int key, or 0),
    /// like PHP's `$a[] = value`.
    pub fn push(&mut self, value: Value<'a>) {
        let k = if self.sorted_ints() {
            match self.entries.last() {
                Some((Key::Int(i), _)) => i.saturating_add(1).max(0),
                _ => 0,
            }
        } else {
            self.next_free()
        };
        self.insert_exact(Key::Int(k), value);
    }

    pub(crate) fn replace_at(&mut self, i: usize, value: Value<'a>) -> Value<'a> {
        std::mem::replace(&mut self.entries[i].1, value)
    }

    /// Append without looking for an existing key (the caller knows it is new).
    ///
    /// The common case (a small array) is inlined into the parsers: passed to a call, the key
    /// and value go through memory and are loaded back in wider words than they were stored
    /// in (store-forwarding stalls, a quarter of this function's samples when it was a call).
    #[inline(always)]
    pub(crate) fn push_unchecked(&mut self, key: Key<'a>, value: Value<'a>) {
        if self.entries.len() < INDEX_FROM && self.index.is_none() {
            // Still small: no index, whatever the keys.
            self.entries.push((key, value));
            return;
        }
        self.push_large(key, value);
    }

    /// [`Array::push_unchecked`] past [`INDEX_FROM`] entries or with an index.
    #[inline(never)]
    fn push_large(&mut self, key: Key<'a>, value: Value<'a>) {
        let i = self.entries.len();
        if let Some(ix) = &mut self.index {
            if let Key::Int(k) = key {
                if k >= ix.next_free {
                    ix.next_free = k.saturating_add(1);
                }
            }
            let h = hash_key(&ix.state, key.as_ref());
            let entries = &self.entries;
            let state = &ix.state;
            ix.table.insert_unique(h, i as u32, |&j| {
                hash_key(state, entries[j as usize].0.as_ref())
            });
            self.entries.push((key, value));
            return;
        }
        // Unindexed: stays so while small, or while the keys keep increasing.
        let keeps_order = match (&key, self.entries.last()) {
            (Key::Int(k), Some((Key::Int(last), _))) => k > last,
            (Key::Int(_), None) => true,
            _ => false,
        };
        self.entries.push((key, value));
        let n = self.entries.len();
        if n > INDEX_FROM && !(keeps_order && (n > INDEX_FROM + 1 || self.keys_increase())) {
            self.build_index(None);
        }
    }

    /// True when every key is an int, each larger than the one before.
    fn keys_increase(&self) -> bool {
        let mut last = None;
        for (k, _) in &self.entries {
            match (k, last) {
                (Key::Int(i), None) => last = Some(*i),
                (Key::Int(i), Some(l)) if *i > l => last = Some(*i),
                _ => return false,
            }
        }
        true
    }

    fn build_index(&mut self, next_free: Option<i64>) {
        let next_free = next_free.unwrap_or_else(|| self.next_free());
        let state = foldhash::fast::RandomState::default();
        let mut table = HashTable::with_capacity(self.entries.len());
        for (i, (k, _)) in self.entries.iter().enumerate() {
            let h = hash_key(&state, k.as_ref());
            let entries = &self.entries;
            table.insert_unique(h, i as u32, |&j| {
                hash_key(&state, entries[j as usize].0.as_ref())
            });
        }
        self.index = Some(Box::new(Index {
            table,
            state,
            next_free,
        }));
    }

    /// Remove the entry under exactly this key, keeping the order of the others.
    pub fn remove(&mut self, key: &Key<'_>) -> Option<Value<'a>> {
        let i = self.position(key.as_ref())?;
        let next_free = self.next_free();
        let (_, v) = self.entries.remove(i);
        // The index is rebuilt even for a small array: it remembers PHP's next free key.
        self.build_index(Some(next_free));
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

    /// The same array, owning all its strings.
    pub fn into_owned(self) -> Array<'static> {
        match Value::Array(self).into_owned() {
            Value::Array(a) => a,
            _ => unreachable!("into_owned keeps the variant"),
        }
    }

    fn take_entries(&mut self) -> Vec<(Key<'a>, Value<'a>)> {
        self.index = None;
        std::mem::take(&mut self.entries)
    }
}

impl Drop for Array<'_> {
    /// Iterative: nested arrays are emptied onto a heap stack before they are dropped, so a
    /// deep value cannot overflow the call stack.
    fn drop(&mut self) {
        if !self.entries.iter().any(|(_, v)| v.has_entries()) {
            return;
        }
        let mut stack = vec![std::mem::take(&mut self.entries)];
        while let Some(mut entries) = stack.pop() {
            for (_, v) in &mut entries {
                if let Some(a) = v.entries_mut() {
                    if !a.entries.is_empty() {
                        stack.push(std::mem::take(&mut a.entries));
                    }
                }
            }
        }
    }
}

impl<'a> IntoIterator for Array<'a> {
    type Item = (Key<'a>, Value<'a>);
    type IntoIter = std::vec::IntoIter<(Key<'a>, Value<'a>)>;
    fn into_iter(mut self) -> Self::IntoIter {
        self.take_entries().into_iter()
    }
}

impl<'s, 'a> IntoIterator for &'s Array<'a> {
    type Item = (&'s Key<'a>, &'s Value<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'s, (Key<'a>, Value<'a>)>,
        fn(&'s (Key<'a>, Value<'a>)) -> (&'s Key<'a>, &'s Value<'a>),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<'a, K: Into<Key<'a>>> FromIterator<(K, Value<'a>)> for Array<'a> {
    /// Inserts with PHP semantics ([`Array::insert`]).
    fn from_iter<I: IntoIterator<Item = (K, Value<'a>)>>(iter: I) -> Self {
        let mut a = Array::new();
        for (k, v) in iter {
            a.insert(k, v);
        }
        a
    }
}

impl<'a> FromIterator<Value<'a>> for Array<'a> {
    /// A list: keys 0..n-1.
    fn from_iter<I: IntoIterator<Item = Value<'a>>>(iter: I) -> Self {
        let mut a = Array::new();
        for (i, v) in iter.into_iter().enumerate() {
            a.push_unchecked(Key::Int(i as i64), v);
        }
        a
    }
}

/// A container being rebuilt by [`rebuild`]: its entries so far and how to wrap them.
struct Rebuild<'b> {
    wrap: Wrap<'b>,
    entries: Vec<(Key<'b>, Value<'b>)>,
    /// The source's remembered next free key, when it kept one.
    next_free: Option<i64>,
}

enum Wrap<'b> {
    Array,
    Object(Cow<'b, [u8]>),
}

impl<'b> Rebuild<'b> {
    fn new(wrap: Wrap<'b>, src: &Array<'_>) -> Self {
        Rebuild {
            wrap,
            entries: Vec::with_capacity(src.len()),
            next_free: src.index.as_ref().map(|ix| ix.next_free),
        }
    }

    fn finish(self) -> Value<'b> {
        let mut a = Array::with_capacity(0);
        a.entries = self.entries;
        if self.next_free.is_some() || (a.entries.len() > INDEX_FROM && !a.keys_increase()) {
            a.build_index(self.next_free);
        }
        match self.wrap {
            Wrap::Array => Value::Array(a),
            Wrap::Object(class) => Value::Object(Box::new(Object {
                class,
                properties: a,
            })),
        }
    }
}

/// Rebuild the container `root` bottom-up without recursion: `leaf` maps every value that is
/// not an array or object, `text` every string key and class name.
fn rebuild<'a, 'b>(
    root: Wrap<'b>,
    root_entries: &Array<'a>,
    leaf: &mut impl FnMut(&Value<'a>) -> Value<'b>,
    text: &mut impl FnMut(&Cow<'a, [u8]>) -> Cow<'b, [u8]>,
) -> Value<'b> {
    let mut stack = vec![(
        root_entries.entries.iter(),
        Rebuild::new(root, root_entries),
    )];
    loop {
        let top = stack
            .last_mut()
            .unwrap_or_else(|| unreachable!("non-empty"));
        match top.0.next() {
            Some((k, v)) => {
                let k = match k {
                    Key::Int(i) => Key::Int(*i),
                    Key::String(s) => Key::String(text(s)),
                };
                let child = match v {
                    Value::Array(a) => Some((Wrap::Array, a)),
                    Value::Object(o) => Some((Wrap::Object(text(&o.class)), &o.properties)),
                    _ => None,
                };
                match child {
                    Some((wrap, a)) => {
                        // The key waits in the parent until the child is complete.
                        top.1.entries.push((k, Value::Null));
                        stack.push((a.entries.iter(), Rebuild::new(wrap, a)));
                    }
                    None => top.1.entries.push((k, leaf(v))),
                }
            }
            None => {
                let (_, done) = stack.pop().unwrap_or_else(|| unreachable!("non-empty"));
                let v = done.finish();
                match stack.last_mut() {
                    None => return v,
                    Some(parent) => {
                        if let Some(slot) = parent.1.entries.last_mut() {
                            slot.1 = v;
                        }
                    }
                }
            }
        }
    }
}

impl Clone for Array<'_> {
    /// Iterative, like [`Drop`].
    fn clone(&self) -> Self {
        match rebuild(Wrap::Array, self, &mut Value::clone, &mut Cow::clone) {
            Value::Array(a) => a,
            _ => unreachable!("rebuild keeps the root's kind"),
        }
    }
}

impl Clone for Value<'_> {
    /// Iterative: arrays and objects are rebuilt with an explicit stack.
    fn clone(&self) -> Self {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(i) => Value::Int(*i),
            Value::Float(f) => Value::Float(*f),
            Value::String(s) => Value::String(s.clone()),
            Value::Array(a) => Value::Array(a.clone()),
            Value::Object(o) => Value::Object(o.clone()),
            Value::Custom(c) => Value::Custom(c.clone()),
            Value::Enum(e) => Value::Enum(e.clone()),
        }
    }
}

impl<'b> PartialEq<Array<'b>> for Array<'_> {
    /// Same entries in the same order (floats by IEEE 754 `==`). Iterative.
    fn eq(&self, other: &Array<'b>) -> bool {
        compare_arrays(self, other, |x, y| x == y)
    }
}

impl<'b> PartialEq<Value<'b>> for Value<'_> {
    /// Structural equality, floats by IEEE 754 `==` (NaN is unequal to itself; see
    /// [`Value::same_as`]). Iterative.
    fn eq(&self, other: &Value<'b>) -> bool {
        compare(self, other, |x, y| x == y)
    }
}

/// One pair of values compared without looking inside containers: `Err` when they differ,
/// `Ok(Some)` with both entry lists when both are containers of the same kind (and class).
#[allow(clippy::type_complexity)]
fn shallow<'x, 'y, 'p, 'q>(
    x: &'x Value<'p>,
    y: &'y Value<'q>,
    float_eq: &impl Fn(f64, f64) -> bool,
) -> Result<Option<(&'x Array<'p>, &'y Array<'q>)>, ()> {
    let same = match (x, y) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(p), Value::Bool(q)) => p == q,
        (Value::Int(p), Value::Int(q)) => p == q,
        (Value::Float(p), Value::Float(q)) => float_eq(*p, *q),
        (Value::String(p), Value::String(q)) => p == q,
        (Value::Custom(p), Value::Custom(q)) => p.class == q.class && p.payload == q.payload,
        (Value::Enum(p), Value::Enum(q)) => p.class == q.class && p.case == q.case,
        (Value::Array(p), Value::Array(q)) => return Ok(Some((p, q))),
        (Value::Object(p), Value::Object(q)) if p.class == q.class => {
            return Ok(Some((&p.properties, &q.properties)))
        }
        _ => false,
    };
    if same {
        Ok(None)
    } else {
        Err(())
    }
}

fn compare(a: &Value<'_>, b: &Value<'_>, float_eq: impl Fn(f64, f64) -> bool) -> bool {
    match shallow(a, b, &float_eq) {
        Err(()) => false,
        Ok(None) => true,
        Ok(Some((p, q))) => compare_arrays(p, q, float_eq),
    }
}

/// Walk two arrays side by side with an explicit stack.
fn compare_arrays(a: &Array<'_>, b: &Array<'_>, float_eq: impl Fn(f64, f64) -> bool) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut stack = vec![(a.entries.iter(), b.entries.iter())];
    while let Some(top) = stack.last_mut() {
        match (top.0.next(), top.1.next()) {
            (None, None) => {
                stack.pop();
            }
            (Some((k1, v1)), Some((k2, v2))) => {
                if k1.as_ref() != k2.as_ref() {
                    return false;
                }
                match shallow(v1, v2, &float_eq) {
                    Err(()) => return false,
                    Ok(None) => {}
                    Ok(Some((p, q))) => {
                        if p.len() != q.len() {
                            return false;
                        }
                        stack.push((p.entries.iter(), q.entries.iter()));
                    }
                }
            }
            _ => return false,
        }
    }
    true
}

impl<'a> Value<'a> {
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
    pub fn as_array(&self) -> Option<&Array<'a>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The object, if this is an `O:` object.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
    /// The entries of an array or the properties of an object.
    pub fn entries(&self) -> Option<&Array<'a>> {
        match self {
            Value::Array(a) => Some(a),
            Value::Object(o) => Some(&o.properties),
            _ => None,
        }
    }
    /// Mutable entries of an array or properties of an object.
    pub fn entries_mut(&mut self) -> Option<&mut Array<'a>> {
        match self {
            Value::Array(a) => Some(a),
            Value::Object(o) => Some(&mut o.properties),
            _ => None,
        }
    }
    fn has_entries(&self) -> bool {
        self.entries().is_some_and(|a| !a.is_empty())
    }
    /// Look up a string key in an array (PHP-normalised) or object property.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.entries()?.get_str(key)
    }

    /// A new object value.
    pub fn object(class: impl Into<Cow<'a, [u8]>>, properties: Array<'a>) -> Value<'a> {
        Value::Object(Box::new(Object {
            class: class.into(),
            properties,
        }))
    }

    /// A new `C:` value.
    pub fn custom(class: impl Into<Cow<'a, [u8]>>, payload: impl Into<Cow<'a, [u8]>>) -> Self {
        Value::Custom(Box::new(Custom {
            class: class.into(),
            payload: payload.into(),
        }))
    }

    /// A new `E:` value.
    pub fn enum_case(class: impl Into<Cow<'a, [u8]>>, case: impl Into<Cow<'a, [u8]>>) -> Self {
        Value::Enum(Box::new(Enum {
            class: class.into(),
            case: case.into(),
        }))
    }

    /// The same value, owning all its strings: no longer tied to the input.
    pub fn into_owned(self) -> Value<'static> {
        let own = |c: &Cow<'a, [u8]>| -> Cow<'static, [u8]> { Cow::Owned(c.to_vec()) };
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Custom(c) => Value::custom(c.class.into_owned(), c.payload.into_owned()),
            Value::Enum(e) => Value::enum_case(e.class.into_owned(), e.case.into_owned()),
            Value::Array(a) => rebuild(
                Wrap::Array,
                &a,
                &mut |leaf| leaf.clone().into_owned(),
                &mut |c| own(c),
            ),
            Value::Object(o) => {
                let class = own(&o.class);
                rebuild(
                    Wrap::Object(class),
                    &o.properties,
                    &mut |leaf| leaf.clone().into_owned(),
                    &mut |c| own(c),
                )
            }
        }
    }

    /// True when more than `limit` non-empty arrays and objects are nested inside each other
    /// somewhere in this value. Iterative; stops at the first path that is too deep.
    pub(crate) fn nested_deeper_than(&self, limit: usize) -> bool {
        let Some(root) = self.entries().filter(|a| !a.is_empty()) else {
            return false;
        };
        let mut stack = vec![(root, 1usize)];
        while let Some((a, depth)) = stack.pop() {
            if depth > limit {
                return true;
            }
            for v in a.values() {
                if let Some(inner) = v.entries().filter(|i| !i.is_empty()) {
                    stack.push((inner, depth + 1));
                }
            }
        }
        false
    }

    /// Structural identity: like `==`, except that every NaN is identical to every NaN (PHP
    /// keeps one NaN; `==` follows IEEE 754, where NaN is unequal to itself) and that `0.0`
    /// and `-0.0` differ (they serialize differently). Iterative.
    pub fn same_as(&self, other: &Value<'_>) -> bool {
        compare(self, other, |x, y| {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        })
    }
}

impl<'a> From<Array<'a>> for Value<'a> {
    fn from(a: Array<'a>) -> Self {
        Value::Array(a)
    }
}
impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::String(Cow::Borrowed(s.as_bytes()))
    }
}
impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::String(Cow::Owned(s.into_bytes()))
    }
}
impl From<i64> for Value<'_> {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<f64> for Value<'_> {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// `Debug` of a value `depth` containers deep (see [`SERDE_DEPTH`]).
struct DebugAt<'v, 'a> {
    value: &'v Value<'a>,
    depth: usize,
}

/// `Debug` of an array's entries as a map, `depth` containers deep.
struct EntriesAt<'v, 'a> {
    array: &'v Array<'a>,
    depth: usize,
}

impl std::fmt::Debug for DebugAt<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let depth = self.depth;
        match self.value {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => f.debug_tuple("Bool").field(b).finish(),
            Value::Int(i) => f.debug_tuple("Int").field(i).finish(),
            Value::Float(x) => f.debug_tuple("Float").field(x).finish(),
            Value::String(s) => f.debug_tuple("String").field(s).finish(),
            Value::Array(a) => f
                .debug_tuple("Array")
                .field(&EntriesAt { array: a, depth })
                .finish(),
            Value::Object(o) => f
                .debug_struct("Object")
                .field("class", &o.class)
                .field(
                    "properties",
                    &EntriesAt {
                        array: &o.properties,
                        depth,
                    },
                )
                .finish(),
            Value::Custom(c) => f.debug_tuple("Custom").field(c).finish(),
            Value::Enum(e) => f.debug_tuple("Enum").field(e).finish(),
        }
    }
}

impl std::fmt::Debug for EntriesAt<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.depth >= SERDE_DEPTH && !self.array.is_empty() {
            return f.write_str("{…}");
        }
        let mut m = f.debug_map();
        for (k, v) in self.array.iter() {
            m.entry(
                k,
                &DebugAt {
                    value: v,
                    depth: self.depth + 1,
                },
            );
        }
        m.finish()
    }
}

impl std::fmt::Debug for Value<'_> {
    /// Containers as maps, [`SERDE_DEPTH`] levels at most (deeper ones print as `{…}`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        DebugAt {
            value: self,
            depth: 0,
        }
        .fmt(f)
    }
}

impl std::fmt::Debug for Array<'_> {
    /// The entries as a map, [`SERDE_DEPTH`] levels at most.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        EntriesAt {
            array: self,
            depth: 0,
        }
        .fmt(f)
    }
}

impl std::fmt::Debug for Object<'_> {
    /// The class and the properties as a map, [`SERDE_DEPTH`] levels at most.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Object")
            .field("class", &self.class)
            .field(
                "properties",
                &EntriesAt {
                    array: &self.properties,
                    depth: 0,
                },
            )
            .finish()
    }
}
