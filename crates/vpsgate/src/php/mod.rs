//! PHP `serialize()` / `unserialize()` codec.
//!
//! [`parse`] accepts and rejects exactly what PHP 8.2's
//! `unserialize($s, ['allowed_classes' => false])` accepts and rejects, and decodes to the
//! same value, with these documented exceptions (each returns a typed [`Error`] or is noted):
//!
//! - **Integer overflow** (`i:99999999999999999999;`, 20+ significant digits or outside i64):
//!   PHP clamps to `PHP_INT_MAX`/`PHP_INT_MIN` with a warning; we return
//!   [`ErrorKind::IntegerOverflow`].
//! - **Cycles** (`R:`/`r:` to a value still being built, e.g. `a:1:{i:0;R:1;}`): PHP builds a
//!   recursive structure; a tree cannot hold one, so we return
//!   [`ErrorKind::RecursiveReference`].
//! - **`E:` enums**: PHP looks the enum up (and fails when it is not defined); we read
//!   `E:len:"Class:Case";` as [`Value::Enum`] data after PHP's syntax checks (a colon, a valid
//!   class name, a non-empty case).
//! - **Limits**: [`Options::max_reference_expansion`] / [`Options::max_reference_bytes`]
//!   bound what back-references copy ([`ErrorKind::ExpansionLimit`]); PHP shares instead.
//! - **Trailing bytes** after the value: PHP 8.2 ignores them silently, and so do we unless
//!   [`Options::reject_trailing_bytes`] is set ([`ErrorKind::TrailingBytes`]).
//!
//! What follows PHP exactly: the `uiv`/`iv` grammars (`s:` lengths wrap modulo 2^64 like
//! `parse_uiv`; `O:`/`C:` counts take a sign and may have no digits, like `parse_iv2`); the
//! double grammar (`NAN`, `INF`, `-INF`, `1.`, `.5`, `-0`, `1.0E+25`, but not `+INF`,
//! `-NAN`, `1e`); the fake element count check (`a:n:{` with n > bytes left / 2 fails at
//! once); keys (`i:`, `s:`, `S:` only); numeric-string keys becoming ints (`"1"` → 1, while
//! `"01"`, `"-0"`, `" 1"`, `"1.0"` and out-of-range numbers stay strings); duplicate keys
//! replacing the earlier value in place; object property names staying strings (int names
//! become strings); class names checked as `zend_is_valid_class_name` does; `C:` keeping its
//! payload as data (PHP keeps only the class name); `r:` only to objects; back-reference slot
//! numbers assigned exactly as PHP's `var_hash` (every value except keys and `R:` itself, in
//! pre-order), including PHP's bucket aliasing after a duplicate key; the depth limit
//! ([`Options::max_depth`], 0 = unlimited: non-empty arrays and all objects count, a depth
//! over 4096 fails by default).
//!
//! Hostile input: declared lengths and counts are checked against the bytes left before
//! anything is allocated; parsing is iterative (nesting costs heap, not stack); nothing
//! panics. Every error names the byte offset and what was expected there.
//!
//! The other directions: [`from_bytes`] decodes typed values straight from the bytes (rules
//! in [`Deserializer`]); [`to_vec`] and [`Value::to_php`] write what PHP's `serialize()`
//! writes; [`to_json`] prints what PHP's `json_encode` prints for the decoded value.
//!
//! ```
//! use vpsgate::php;
//! let v = php::parse(br#"a:2:{s:2:"id";i:7;s:4:"name";s:3:"web";}"#).unwrap();
//! assert_eq!(v.get("id").and_then(php::Value::as_int), Some(7));
//! assert_eq!(php::to_json(&v), r#"{"id":7,"name":"web"}"#);
//!
//! #[derive(serde::Deserialize)]
//! struct Server<'a> { id: i64, name: &'a str }
//! let s: Server = php::from_bytes(br#"a:2:{s:2:"id";i:7;s:4:"name";s:3:"web";}"#).unwrap();
//! assert_eq!((s.id, s.name), (7, "web"));
//! assert_eq!(php::to_vec(&[1, 2]).unwrap(), b"a:2:{i:0;i:1;i:1;i:2;}");
//! ```

use std::fmt;

mod de;
mod json;
mod parse;
mod ser;
mod value;

pub use de::Deserializer;

pub use value::{Array, Key, Value};

/// Decode one serialized value into the dynamic [`Value`] model (default [`Options`]).
pub fn parse(input: &[u8]) -> Result<Value, Error> {
    parse_with(input, &Options::default())
}

/// Decode one serialized value into the dynamic [`Value`] model.
pub fn parse_with(input: &[u8], options: &Options) -> Result<Value, Error> {
    parse::parse_value(input, options)
}

/// Decode a typed value straight from the bytes (no intermediate [`Value`]), borrowing
/// strings from the input where the target type allows.
pub fn from_bytes<'de, T: serde::Deserialize<'de>>(input: &'de [u8]) -> Result<T, Error> {
    from_bytes_with(input, &Options::default())
}

/// [`from_bytes`] with explicit limits.
pub fn from_bytes_with<'de, T: serde::Deserialize<'de>>(
    input: &'de [u8],
    options: &Options,
) -> Result<T, Error> {
    de::from_bytes_with(input, options)
}

/// Decode a typed value from an already parsed [`Value`] (same rules as [`from_bytes`],
/// strings borrowed from the value). Errors raised here have offset 0: a `Value` keeps no
/// byte positions.
pub fn from_value<'de, T: serde::Deserialize<'de>>(value: &'de Value) -> Result<T, Error> {
    T::deserialize(value).map_err(|mut e| {
        if e.offset == usize::MAX {
            e.offset = 0;
        }
        e
    })
}

/// Serialize any `serde::Serialize` value in PHP `serialize()` format.
///
/// To write a [`Value`] faithfully use [`Value::to_php`]: serde has no notion of a PHP object,
/// so through `to_vec` an `O:`/`C:`/`E:` value comes out as a plain array (or string), while
/// `to_php` writes it back as PHP sent it.
pub fn to_vec<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, crate::Error> {
    let mut out = Vec::new();
    ser::to_writer(&mut out, value).map_err(|e| crate::Error::Serialize(e.0))?;
    Ok(out)
}

/// Render a [`Value`] as JSON shaped like PHP's `json_encode(unserialize(...))` (see the
/// `json` module docs for the exact rules).
pub fn to_json(value: &Value) -> String {
    json::to_json(value)
}

/// Limits applied while decoding untrusted input.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Maximum nesting of arrays/objects. PHP's default (`unserialize_max_depth`) is 4096.
    pub max_depth: usize,
    /// Upper bound on values materialised by `r:`/`R:` back-references, so that a small input
    /// cannot expand into unbounded memory.
    pub max_reference_expansion: usize,
    /// Nesting the typed decoder ([`from_bytes`]) recurses into. Recursion costs stack (about
    /// 3 KiB per level in debug builds), so this stays well below [`Options::max_depth`]; only
    /// recursive target types (`serde_json::Value`, recursive enums) get this deep. Parts the
    /// target ignores are skipped iteratively, up to `max_depth`.
    pub max_typed_depth: usize,
    /// Upper bound on string bytes copied by `r:`/`R:` back-references.
    pub max_reference_bytes: usize,
    /// Reject bytes after the value. PHP 8.2 ignores them silently (8.3 warns), so the
    /// default is `false`, which accepts what PHP 8.2 accepts.
    pub reject_trailing_bytes: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_depth: 4096,
            max_reference_expansion: 1_000_000,
            max_typed_depth: 256,
            max_reference_bytes: 64 << 20,
            reject_trailing_bytes: false,
        }
    }
}

/// A decoding error: where it happened and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Byte offset into the input.
    pub offset: usize,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What went wrong while decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended where more was expected.
    UnexpectedEnd {
        /// What was expected.
        expected: &'static str,
    },
    /// A byte that does not fit the grammar.
    UnexpectedByte {
        /// What was expected.
        expected: &'static str,
        /// The byte found.
        found: u8,
    },
    /// A declared string length or element count larger than the bytes left.
    LengthExceedsInput {
        /// The declared length or count.
        declared: u64,
        /// The bytes left in the input.
        remaining: usize,
    },
    /// Nesting deeper than [`Options::max_depth`].
    DepthLimit {
        /// The limit in force.
        limit: usize,
    },
    /// An integer that does not fit in 64 bits (PHP clamps it with a warning).
    IntegerOverflow,
    /// An array key that is neither an int nor a string.
    InvalidKey,
    /// An `r:`/`R:` back-reference to a slot that does not exist, or (for `r:`) is not an object.
    BadReference {
        /// The slot number referenced.
        slot: u64,
    },
    /// A back-reference to a value still being built (a cycle), which a tree cannot represent.
    RecursiveReference {
        /// The slot number referenced.
        slot: u64,
    },
    /// Back-references would materialise more than [`Options::max_reference_expansion`] values.
    ExpansionLimit {
        /// The limit in force.
        limit: usize,
    },
    /// Bytes after a complete value.
    TrailingBytes,
    /// A serde error from the type being decoded into (e.g. missing field).
    Custom(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.kind)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::UnexpectedEnd { expected } => {
                write!(f, "unexpected end of input, expected {expected}")
            }
            ErrorKind::UnexpectedByte { expected, found } => {
                write!(f, "expected {expected}, found {:?}", char::from(*found))
            }
            ErrorKind::LengthExceedsInput {
                declared,
                remaining,
            } => write!(
                f,
                "declared length {declared} exceeds the {remaining} bytes left"
            ),
            ErrorKind::DepthLimit { limit } => write!(f, "nesting deeper than {limit}"),
            ErrorKind::IntegerOverflow => f.write_str("integer out of 64-bit range"),
            ErrorKind::InvalidKey => f.write_str("array key must be an int or a string"),
            ErrorKind::BadReference { slot } => write!(f, "invalid back-reference to slot {slot}"),
            ErrorKind::RecursiveReference { slot } => write!(
                f,
                "back-reference to slot {slot} forms a cycle, which cannot be represented"
            ),
            ErrorKind::ExpansionLimit { limit } => {
                write!(f, "back-references expand to more than {limit} values")
            }
            ErrorKind::TrailingBytes => f.write_str("trailing bytes after the value"),
            ErrorKind::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests;
