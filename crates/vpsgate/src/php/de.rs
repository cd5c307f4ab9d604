//! serde deserializer.
use super::{Error, Options};
/// The typed deserializer.
pub struct Deserializer;
pub(crate) fn from_bytes_with<'de, T: serde::Deserialize<'de>>(
    _i: &'de [u8],
    _o: &Options,
) -> Result<T, Error> {
    unimplemented!()
}
