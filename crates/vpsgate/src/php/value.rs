//! The dynamic value model: what PHP's `unserialize()` produces, kept faithfully.

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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Array {
    entries: Vec<(Key, Value)>,
}

impl Array {
    /// An empty array.
    pub fn new() -> Self {
        Array::default()
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
}
