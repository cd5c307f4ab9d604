//! The direct PHP-to-JSON transcoder behind [`super::to_json_bytes`]: JSON is written while the
//! input is read, with no [`Value`](super::Value) tree.
//!
//! What a stream cannot decide goes to the tree path (parse, then write the tree), which is
//! the definition of the output: input holding a back-reference (`R:`/`r:` bytes anywhere), a
//! duplicate key (PHP overwrites in place), an array that starts as a list (`0, 1, ...`) and
//! then breaks the sequence (it must be printed as an object), an object property named
//! `__PHP_Incomplete_Class_Name` (it takes the class's place), and every error (so the error
//! and its offset are the tree's). The output is therefore byte-identical to
//! `to_json(&parse_with(input, options)?)`.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::build::parse_value;
use super::json::{write_enum, write_float, write_int_key, write_str, write_value, CLASS_KEY};
use super::read::{may_have_refs, numeric_key, Head, Reader};
use super::value::{Key, KeyRef, INDEX_FROM};
use super::{Error, Options};

/// Transcode `input` to JSON (see the module docs).
pub(crate) fn to_json_bytes(input: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
    if !may_have_refs(input) {
        let mut out = Vec::with_capacity(input.len());
        if Stream::new(input, options).run(&mut out).is_ok() {
            return Ok(out);
        }
    }
    let value = parse_value(input, options)?;
    let mut out = Vec::with_capacity(input.len());
    write_value(&mut out, &value);
    Ok(out)
}

/// The stream gave up: the tree path decides.
struct Fallback;

impl From<Error> for Fallback {
    fn from(_: Error) -> Self {
        Fallback
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An array whose first key is not read yet.
    Undecided,
    /// An array printed as a JSON array; the next key must be this int.
    List(i64),
    /// An array printed as an object.
    Map,
    /// An `O:` object.
    Object,
}

struct Frame {
    mode: Mode,
    left: usize,
    /// Where this frame's keys start in `Stream::seen`.
    base: usize,
    /// True while every key so far is an int larger than the one before: a larger int is
    /// then new without a search.
    increasing: bool,
    /// A hash of the keys' positions, built once the frame has more than [`INDEX_FROM`]
    /// keys that do not increase.
    table: Option<HashTable<u32>>,
    /// Set while the current value is hidden (a private or protected property): the output
    /// length to cut back to when it ends.
    mute: Option<usize>,
}

struct Stream<'a, 'o> {
    r: Reader<'a>,
    options: &'o Options,
    stack: Vec<Frame>,
    /// The keys of the open maps and objects, frame after frame.
    seen: Vec<Key<'a>>,
    state: foldhash::fast::RandomState,
}

fn hash(state: &foldhash::fast::RandomState, k: KeyRef<'_>) -> u64 {
    match k {
        KeyRef::Int(i) => state.hash_one(i),
        KeyRef::Str(s) => state.hash_one(s),
    }
}

impl<'a, 'o> Stream<'a, 'o> {
    fn new(input: &'a [u8], options: &'o Options) -> Self {
        Stream {
            r: Reader::new(input),
            options,
            stack: Vec::new(),
            seen: Vec::new(),
            state: foldhash::fast::RandomState::default(),
        }
    }

    fn too_deep(&self) -> bool {
        self.options.max_depth > 0 && self.stack.len() >= self.options.max_depth
    }

    fn open(&mut self, mode: Mode, left: usize) {
        self.stack.push(Frame {
            mode,
            left,
            base: self.seen.len(),
            increasing: mode != Mode::Object,
            table: None,
            mute: None,
        });
    }

    fn run(mut self, out: &mut Vec<u8>) -> Result<(), Fallback> {
        'value: loop {
            match self.r.head()? {
                Head::Null => out.extend_from_slice(b"null"),
                Head::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
                Head::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes()),
                Head::Float(f) => write_float(out, f),
                Head::Str(s) => write_str(out, &s),
                Head::Custom { class, .. } => {
                    out.push(b'{');
                    write_str(out, CLASS_KEY);
                    out.push(b':');
                    write_str(out, class);
                    out.push(b'}');
                }
                Head::Enum { class, case } => write_enum(out, class, case),
                Head::Ref { .. } => return Err(Fallback),
                Head::Array(len) => {
                    if len == 0 {
                        // PHP checks no depth for an empty array.
                        self.r.expect(b'}', "'}'")?;
                        out.extend_from_slice(b"[]");
                    } else {
                        if self.too_deep() {
                            return Err(Fallback);
                        }
                        self.open(Mode::Undecided, len);
                        self.next_key(out)?;
                        continue 'value;
                    }
                }
                Head::Object { class, len } => {
                    if self.too_deep() {
                        return Err(Fallback);
                    }
                    out.push(b'{');
                    write_str(out, CLASS_KEY);
                    out.push(b':');
                    write_str(out, class);
                    if len == 0 {
                        self.r.expect(b'}', "'}'")?;
                        out.push(b'}');
                    } else {
                        self.open(Mode::Object, len);
                        self.next_key(out)?;
                        continue 'value;
                    }
                }
            }
            // The value is complete: close the containers it completes.
            loop {
                let Some(f) = self.stack.last_mut() else {
                    break 'value;
                };
                if let Some(m) = f.mute.take() {
                    out.truncate(m);
                }
                f.left -= 1;
                if f.left > 0 {
                    self.next_key(out)?;
                    continue 'value;
                }
                self.r.expect(b'}', "'}' closing the array")?;
                out.push(if matches!(f.mode, Mode::List(_)) {
                    b']'
                } else {
                    b'}'
                });
                let base = f.base;
                self.stack.pop();
                self.seen.truncate(base);
            }
        }
        if self.options.reject_trailing_bytes && self.r.pos < self.r.input.len() {
            return Err(Fallback);
        }
        Ok(())
    }

    /// Read the next key of the top frame and write what comes before its value.
    fn next_key(&mut self, out: &mut Vec<u8>) -> Result<(), Fallback> {
        let head = self.r.key()?;
        let Some(f) = self.stack.last_mut() else {
            return Err(Fallback);
        };
        let key = match (f.mode, head) {
            // PHP converts int property names to strings.
            (Mode::Object, Head::Int(i)) => {
                Key::String(itoa::Buffer::new().format(i).as_bytes().to_vec().into())
            }
            (Mode::Object, Head::Str(s)) => Key::String(s),
            (_, Head::Int(i)) => Key::Int(i),
            (_, Head::Str(s)) => match numeric_key(&s) {
                Some(i) => Key::Int(i),
                None => Key::String(s),
            },
            _ => return Err(Fallback),
        };
        match f.mode {
            Mode::Undecided if key == Key::Int(0) => {
                f.mode = Mode::List(1);
                out.push(b'[');
                return Ok(());
            }
            Mode::List(n) => {
                if key != Key::Int(n) {
                    // Printed as a list so far: only the tree knows it is an object.
                    return Err(Fallback);
                }
                f.mode = Mode::List(n + 1);
                out.push(b',');
                return Ok(());
            }
            Mode::Undecided => {
                f.mode = Mode::Map;
                out.push(b'{');
            }
            Mode::Map => out.push(b','),
            Mode::Object => {
                if let Key::String(s) = &key {
                    if &s[..] == CLASS_KEY {
                        return Err(Fallback);
                    }
                }
            }
        }
        if self.is_duplicate(&key) {
            return Err(Fallback);
        }
        let Some(f) = self.stack.last_mut() else {
            return Err(Fallback);
        };
        match &key {
            Key::String(s) if f.mode == Mode::Object && s.first() == Some(&0) => {
                f.mute = Some(out.len());
            }
            Key::String(s) => {
                if f.mode == Mode::Object {
                    out.push(b',');
                }
                write_str(out, s);
                out.push(b':');
            }
            Key::Int(i) => {
                write_int_key(out, *i);
                out.push(b':');
            }
        }
        self.remember(key);
        Ok(())
    }

    /// Whether the top frame has this key already.
    fn is_duplicate(&mut self, key: &Key<'a>) -> bool {
        let Some(f) = self.stack.last_mut() else {
            return false;
        };
        let keys = &self.seen[f.base..];
        if f.increasing {
            match (key, keys.last()) {
                (Key::Int(_), None) => return false,
                (Key::Int(k), Some(Key::Int(last))) if k > last => return false,
                _ => f.increasing = false,
            }
        }
        let k = key.as_ref();
        if keys.len() <= INDEX_FROM {
            return keys.iter().any(|s| s.as_ref() == k);
        }
        let state = &self.state;
        let table = f.table.get_or_insert_with(|| {
            let mut t = HashTable::with_capacity(keys.len() * 2);
            for (i, s) in keys.iter().enumerate() {
                t.insert_unique(hash(state, s.as_ref()), i as u32, |&j| {
                    hash(state, keys[j as usize].as_ref())
                });
            }
            t
        });
        table
            .find(hash(state, k), |&j| keys[j as usize].as_ref() == k)
            .is_some()
    }

    /// Record a new key of the top frame.
    fn remember(&mut self, key: Key<'a>) {
        let Some(f) = self.stack.last_mut() else {
            return;
        };
        let i = self.seen.len() - f.base;
        if let Some(t) = &mut f.table {
            let state = &self.state;
            let keys = &self.seen[f.base..];
            t.insert_unique(hash(state, key.as_ref()), i as u32, |&j| {
                hash(state, keys[j as usize].as_ref())
            });
        }
        self.seen.push(key);
    }
}
