//! The codec's decoding error: a byte offset and what was expected there.

use std::fmt;

/// A decoding error: where it happened and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Byte offset into the input, where one is known. Errors raised by the target type of
    /// [`super::from_value`] (a [`super::Value`] keeps no byte positions) have none.
    pub offset: Option<usize>,
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
    /// Nesting deeper than [`super::Options::max_depth`].
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
    /// Back-references would materialise more than [`super::Options::max_reference_expansion`] values.
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
        match self.offset {
            Some(o) => write!(f, "at byte {o}: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
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

impl Error {
    /// An error at byte `offset`.
    pub(crate) fn at(offset: usize, kind: ErrorKind) -> Error {
        Error {
            offset: Some(offset),
            kind,
        }
    }
}

/// Why [`super::to_json_writer`] stopped: the input (nothing was written) or the writer.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The input is malformed; nothing was written (the same error and offset as
    /// [`super::to_json_bytes`]).
    #[error(transparent)]
    Decode(#[from] Error),
    /// Writing the JSON failed (what was written before the failure stays written).
    #[error("writing the JSON: {0}")]
    Io(#[source] std::io::Error),
}
