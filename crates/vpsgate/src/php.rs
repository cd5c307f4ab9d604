//! PHP `serialize()` / `unserialize()`: the crate [`vpsgate_php`], re-exported whole, with
//! [`to_vec`] returning the core's [`Error`](crate::Error).
//!
//! The codec is a crate of its own, below everything else here (it uses nothing of the core),
//! so that the npm package's wasm can build it for speed and the rest for size. Its docs are
//! the crate's: rules, limits and what follows PHP exactly.
//!
//! ```
//! use vpsgate::php;
//! let v = php::parse(br#"a:2:{s:2:"id";i:7;s:4:"name";s:3:"web";}"#).unwrap();
//! assert_eq!(php::to_json(&v), r#"{"id":7,"name":"web"}"#);
//! assert_eq!(php::to_vec(&[1, 2]).unwrap(), b"a:2:{i:0;i:1;i:1;i:2;}");
//! ```

pub use vpsgate_php::*;

/// Serialize any `serde::Serialize` value in PHP `serialize()` format
/// ([`vpsgate_php::to_vec`]), failing with [`Error::Serialize`](crate::Error::Serialize).
///
/// To write a [`Value`] faithfully use [`Value::to_php`]: serde has no notion of a PHP object,
/// so through `to_vec` an `O:`/`C:`/`E:` value comes out as a plain array (or string), while
/// `to_php` writes it back as PHP sent it.
pub fn to_vec<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, crate::Error> {
    vpsgate_php::to_vec(value).map_err(|e| crate::Error::Serialize(e.to_string()))
}
