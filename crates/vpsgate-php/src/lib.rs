//! PHP `serialize()` / `unserialize()` codec: the bottom layer of vpsgate, re-exported by the
//! core as `vpsgate::php` (which adds only a `to_vec` with the core's error type).
//!
//! A crate of its own so that it depends on nothing of vpsgate's (serde and a few small crates
//! only) and so that a build can optimise it on its own terms: the npm package's wasm is built
//! for size, except this crate, whose decoding loops are built for speed (`Cargo.toml`,
//! `[profile.wasm-release.package.vpsgate-php]`).
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
//!   [`ErrorKind::RecursiveReference`] (at the reference, once its array closes: an entry a
//!   later duplicate key overwrites is no cycle, so `a:2:{i:0;R:1;i:0;i:5;}` is `[5]` as in
//!   PHP).
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
//! writes; [`to_json`] prints what PHP's `json_encode` prints for the decoded value, and
//! [`to_json_bytes`] goes from the bytes to that JSON directly, without building a tree.
//!
//! [`Value`] borrows its strings from the input (`Value<'a>`; [`Value::into_owned`] detaches
//! it). Dropping, cloning, comparing and writing values (PHP or JSON) is iterative, so a
//! value nested as deep as memory allows (`max_depth: 0`) is safe. serde's `Serialize`, the
//! `Deserializer for &Value` and `Debug` recurse per level, as serde and `fmt` do, so they are
//! capped: `Serialize` refuses a value nested deeper than [`SERIALIZE_DEPTH`] (4096, the default
//! `max_depth`) before writing anything; `from_value` refuses, and `Debug` elides, what lies
//! deeper than [`SERDE_DEPTH`] (256, the default `max_typed_depth`).
//!
//! The files: `read` (tokenizer), `build` (tree builder), `value` (the model), `value_de`
//! (serde for the model), `de` (typed decoding from bytes), `ser` (PHP writer and serde
//! serializer), `float` (decimal to f64, PHP's float formatting), `out` (where written bytes
//! go: memory, a writer, nowhere), `json` (JSON writer), `transcode` (PHP to JSON without a
//! tree), `msgpack` (the same stream as MessagePack for a JS engine), `error`.
//!
//! ```
//! use vpsgate_php as php;
//! let v = php::parse(br#"a:2:{s:2:"id";i:7;s:4:"name";s:3:"web";}"#).unwrap();
//! assert_eq!(v.get("id").and_then(php::Value::as_int), Some(7));
//! assert_eq!(php::to_json(&v), r#"{"id":7,"name":"web"}"#);
//! let json = php::to_json_bytes(br#"a:1:{i:0;s:1:"x";}"#, &php::Options::default()).unwrap();
//! assert_eq!(json, br#"["x"]"#);
//!
//! #[derive(serde::Deserialize)]
//! struct Server<'a> { id: i64, name: &'a str }
//! let s: Server = php::from_bytes(br#"a:2:{s:2:"id";i:7;s:4:"name";s:3:"web";}"#).unwrap();
//! assert_eq!((s.id, s.name), (7, "web"));
//! assert_eq!(php::to_vec(&[1, 2]).unwrap(), b"a:2:{i:0;i:1;i:1;i:2;}");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod build;
mod de;
mod error;
mod float;
mod json;
mod msgpack;
mod out;
mod read;
mod ser;
mod transcode;
mod value;
mod value_de;

pub use de::Deserializer;
pub use error::{Error, ErrorKind, WriteError};
pub use float::parse as parse_float;
pub use msgpack::to_msgpack_for_js;
pub use ser::SerializeError;
pub use value::{
    Array, Custom, Enum, Key, Object, Value, INDEX_FROM, SERDE_DEPTH, SERIALIZE_DEPTH,
};

/// Decode one serialized value into the dynamic [`Value`] model (default [`Options`]).
/// Strings borrow from `input`.
pub fn parse(input: &[u8]) -> Result<Value<'_>, Error> {
    parse_with(input, &Options::default())
}

/// Decode one serialized value into the dynamic [`Value`] model.
pub fn parse_with<'a>(input: &'a [u8], options: &Options) -> Result<Value<'a>, Error> {
    build::parse_value(input, options)
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
/// strings borrowed from the value). Errors raised here have no offset
/// ([`Error::offset`] is `None`): a `Value` keeps no byte positions.
pub fn from_value<'de, 'a: 'de, T: serde::Deserialize<'de>>(
    value: &'de Value<'a>,
) -> Result<T, Error> {
    T::deserialize(value)
}

/// Serialize any `serde::Serialize` value in PHP `serialize()` format.
///
/// To write a [`Value`] faithfully use [`Value::to_php`]: serde has no notion of a PHP object,
/// so through `to_vec` an `O:`/`C:`/`E:` value comes out as a plain array (or string), while
/// `to_php` writes it back as PHP sent it.
pub fn to_vec<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, SerializeError> {
    let mut out = Vec::new();
    ser::to_writer(&mut out, value)?;
    Ok(out)
}

/// Render a [`Value`] as JSON shaped like PHP's `json_encode(unserialize(...))` (see the
/// `json` module docs for the exact rules). Iterative: any depth is fine.
pub fn to_json(value: &Value<'_>) -> String {
    let mut out = Vec::new();
    json::write_value(&mut out, value);
    // Everything written is valid UTF-8 (strings go through U+FFFD substitution); the check
    // cannot fail. Use `to_json_bytes` or `write_json` to skip it.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Append the JSON of a [`Value`] (as [`to_json`]) to `out`, as bytes.
pub fn write_json(out: &mut Vec<u8>, value: &Value<'_>) {
    json::write_value(out, value);
}

/// PHP `serialize()` bytes straight to JSON text: the one call for turning a PHP answer into
/// JSON (the command line's `vpsgate decode`, the npm package and the C library use it).
///
/// The output is byte for byte `to_json(&parse_with(input, options)?)`, and so are the error
/// and its offset; it is always valid UTF-8 (invalid sequences in PHP strings become U+FFFD),
/// without a trailing newline. In the common case no [`Value`] is built: JSON is written while
/// the input is read. Input with back-references (`R:`/`r:`), duplicate keys, an array that
/// starts like a list and then is not one, or an object property named
/// `__PHP_Incomplete_Class_Name` goes through the tree instead (same output, slower).
///
/// ```
/// use vpsgate_php::{to_json_bytes, Options};
/// let json = to_json_bytes(br#"a:2:{s:2:"id";i:7;s:4:"tags";a:2:{i:0;s:1:"a";i:1;d:0.5;}}"#,
///     &Options::default()).unwrap();
/// assert_eq!(json, br#"{"id":7,"tags":["a",0.5]}"#);
/// let e = to_json_bytes(b"a:1:{i:0;x}", &Options::default()).unwrap_err();
/// assert_eq!(e.offset, Some(9));
/// ```
pub fn to_json_bytes(input: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
    transcode::to_json_bytes(input, options)
}

/// [`to_json_bytes`] for a caller that has checked `input` for UTF-8 already (`valid`: the
/// whole input is UTF-8), so that it is not checked twice.
pub fn to_json_bytes_valid(input: &[u8], options: &Options, valid: bool) -> Result<Vec<u8>, Error> {
    transcode::to_json_bytes_valid(input, options, valid)
}

/// JSON text made for a JavaScript engine's `JSON.parse` ([`to_json_for_js`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsJson {
    /// [`to_json_bytes`]'s text with every non-ASCII character written as a `\uXXXX` escape
    /// (a UTF-16 surrogate pair beyond U+FFFF, `\ufffd` for an invalid UTF-8 sequence), as
    /// PHP's `json_encode` writes without `JSON_UNESCAPED_UNICODE`. The text is ASCII, which
    /// an engine turns into a string without decoding UTF-8 and parses fastest; `JSON.parse`
    /// gives the same values as for [`to_json_bytes`]'s text.
    pub text: String,
    /// Whether an integer in the text is outside ±(2^53 − 1), the range a JS number holds
    /// exactly (`JSON.parse` would round it).
    pub unsafe_int: bool,
}

/// [`to_json_bytes`] for a JavaScript engine ([`JsJson`]): ASCII text, and whether an integer
/// in it is beyond a JS number's exact range; same errors and offsets.
///
/// ```
/// use vpsgate_php::{to_json_for_js, Options};
/// let j = to_json_for_js("a:2:{i:0;s:4:\"Юг\";i:1;i:9007199254740992;}".as_bytes(),
///     &Options::default()).unwrap();
/// assert_eq!(j.text, r#"["\u042e\u0433",9007199254740992]"#);
/// assert!(j.unsafe_int);
/// ```
pub fn to_json_for_js(input: &[u8], options: &Options) -> Result<JsJson, Error> {
    let valid = std::str::from_utf8(input).is_ok();
    let out = transcode::to_json_filled(input, options, valid, true)?;
    let unsafe_int = out.unsafe_int();
    let bytes = out.into_vec();
    // ASCII by construction; the check cannot fail.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(JsJson { text, unsafe_int })
}

/// [`to_json_bytes`] onto a writer, for output too large to hold: the same bytes, written
/// through a 64 KiB buffer (flushed at the end).
///
/// The writer sees the whole JSON or, when the input is malformed, nothing: the text is held
/// in memory up to the size of the input (at least 8 MiB) and written once complete; a longer
/// text (a string of control characters grows sixfold) is preceded by a checking pass over the
/// whole input (the same transcoder, writing nowhere), after which it is streamed. So memory
/// stays within the input, that much held output (or the tree, where the input needs one) and a
/// small constant, and a decoding error ([`WriteError::Decode`], the error and offset of
/// [`to_json_bytes`]) always comes before any byte is written. A failing writer stops the run
/// ([`WriteError::Io`]); what it accepted before stays written.
///
/// ```
/// use vpsgate_php::{to_json_writer, Options, WriteError};
/// let mut out = Vec::new();
/// to_json_writer(b"a:1:{s:1:\"k\";s:2:\"\x01v\";}", &Options::default(), &mut out).unwrap();
/// assert_eq!(out, br#"{"k":"\u0001v"}"#);
/// let mut out = Vec::new();
/// let e = to_json_writer(b"a:1:{i:0;x}", &Options::default(), &mut out).unwrap_err();
/// assert!(matches!(e, WriteError::Decode(ref d) if d.offset == Some(9)));
/// assert!(out.is_empty());
/// ```
pub fn to_json_writer<W: std::io::Write>(
    input: &[u8],
    options: &Options,
    out: W,
) -> Result<(), WriteError> {
    transcode::to_json_writer(input, options, out)
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

#[cfg(test)]
mod tests;
