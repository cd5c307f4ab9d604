//! Gateway answers shaped like a PHP array: ordered keys, strings for database values.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// One PHP value in an answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// A string (what a database column reads as in PHP).
    Str(String),
    /// An integer literal in the PHP code (`errorCode`).
    Int(i64),
    /// A list (`array(0 => ..., 1 => ...)`).
    List(Vec<Val>),
    /// An associative array with ordered string keys.
    Map(Assoc),
    /// An array keyed by integer ids (`array(101 => ..., 102 => ...)`).
    IdMap(Vec<(i64, Val)>),
}

/// An associative array with keys in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Assoc(pub(crate) Vec<(&'static str, Val)>);

impl Assoc {
    pub(crate) fn new() -> Self {
        Assoc(Vec::new())
    }
    pub(crate) fn s(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.0.push((k, Val::Str(v.into())));
        self
    }
    pub(crate) fn i(mut self, k: &'static str, v: i64) -> Self {
        self.0.push((k, Val::Int(v)));
        self
    }
    pub(crate) fn v(mut self, k: &'static str, v: Val) -> Self {
        self.0.push((k, v));
        self
    }
    pub(crate) fn get(&self, k: &str) -> Option<&Val> {
        self.0.iter().find(|(key, _)| *key == k).map(|(_, v)| v)
    }
}

impl Serialize for Assoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Str(v) => s.serialize_str(v),
            Val::Int(v) => s.serialize_i64(*v),
            Val::List(items) => {
                let mut q = s.serialize_seq(Some(items.len()))?;
                for it in items {
                    q.serialize_element(it)?;
                }
                q.end()
            }
            Val::Map(a) => a.serialize(s),
            Val::IdMap(items) => {
                let mut m = s.serialize_map(Some(items.len()))?;
                for (k, v) in items {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}
