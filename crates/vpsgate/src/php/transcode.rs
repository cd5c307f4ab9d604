//! The direct PHP-to-JSON transcoder behind [`super::to_json_bytes`]: JSON is written while the
//! input is read, with no [`Value`](super::Value) tree.
//!
//! What a stream cannot decide goes to the tree path (parse, then write the tree), which is
//! the definition of the output: a back-reference (`R:`/`r:`: the stream stops at the first), a
//! duplicate key (PHP overwrites in place), an array that starts as a list (`0, 1, ...`) and
//! then breaks the sequence (it must be printed as an object), an object property named
//! `__PHP_Incomplete_Class_Name` (it takes the class's place), and every error (so the error
//! and its offset are the tree's). The output is therefore byte-identical to
//! `to_json(&parse_with(input, options)?)`.

use std::hash::BuildHasher;
use std::io::Write;

use hashbrown::HashTable;

use super::build::parse_value;
use super::json::{
    write_enum, write_float, write_int_key, write_str, write_str_valid, write_value, CLASS_KEY,
};
use super::out::{Capped, Discard, Filled, Out, Writer};
use super::read::{numeric_key, Head, Reader};
use super::value::{cow_bytes, Key, KeyRef, INDEX_FROM};
use super::{Error, Options, WriteError};

/// Transcode `input` to JSON (see the module docs).
///
/// No scan for `R:`/`r:` first (the tree builder's [`super::read::may_have_refs`]): answers
/// seldom hold a reference, the stream gives up at the first one it meets, and a pass over the
/// whole input costs 4 % of `vpsgate decode` on a 20 MB answer.
pub(crate) fn to_json_bytes(input: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
    to_json_bytes_valid(input, options, std::str::from_utf8(input).is_ok())
}

/// [`to_json_bytes`], `valid` saying whether `input` as a whole is UTF-8 (then each string is
/// too, and none is checked again), for a caller that has checked it already.
pub(crate) fn to_json_bytes_valid(
    input: &[u8],
    options: &Options,
    valid: bool,
) -> Result<Vec<u8>, Error> {
    to_json_filled(input, options, valid, false).map(Filled::into_vec)
}

/// [`to_json_bytes_valid`] into a [`Filled`], which says whether an integer written is beyond
/// a JS number's exact range; ASCII only when `ascii` ([`Filled::new`]).
pub(crate) fn to_json_filled(
    input: &[u8],
    options: &Options,
    valid: bool,
    ascii: bool,
) -> Result<Filled, Error> {
    let mut out = Filled::new(input.len(), ascii);
    if Stream::new(input, options, valid).run(&mut out).is_ok() {
        return Ok(out);
    }
    drop(out);
    let value = parse_value(input, options)?;
    let mut out = Filled::new(input.len(), ascii);
    write_value(&mut out, &value);
    Ok(out)
}

/// Output held in memory before the transcoder commits to streaming (see [`to_json_writer`]).
const HOLD_AT_LEAST: usize = 8 << 20;

/// Transcode `input` to JSON onto `w`, which sees either the whole text or (on a decoding
/// error) nothing: the text is held in memory up to the input's size (at least 8 MiB) and
/// written at the end; past that, the whole input is first checked by the same transcoder
/// writing nowhere, then transcoded again straight onto `w` (or, where the stream cannot decide,
/// parsed into the tree, whose text is then streamed onto `w`). Memory: the input, at most that
/// much held output, the tree where one is needed, and a 64 KiB write buffer.
pub(crate) fn to_json_writer<W: Write>(
    input: &[u8],
    options: &Options,
    w: W,
) -> Result<(), WriteError> {
    // No scan for references first, as in `to_json_bytes`.
    let limit = input.len().max(HOLD_AT_LEAST);
    let mut held = Capped::new(limit, input.len());
    let valid = std::str::from_utf8(input).is_ok();
    let ok = Stream::new(input, options, valid).run(&mut held).is_ok();
    if ok && !held.full {
        let mut out = Writer::new(w);
        out.bytes(&held.buf);
        return out.finish().map_err(WriteError::Io);
    }
    let full = held.full;
    drop(held);
    if full && Stream::new(input, options, valid).run(&mut Discard).is_ok() {
        let mut out = Writer::new(w);
        // Checked above: only a failing writer stops this run.
        let _ = Stream::new(input, options, valid).run(&mut out);
        return out.finish().map_err(WriteError::Io);
    }
    let value = parse_value(input, options)?;
    let mut out = Writer::new(w);
    write_value(&mut out, &value);
    out.finish().map_err(WriteError::Io)
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
    /// True while the keys so far are, in order, the first keys of the last map or object
    /// closed at this depth (`Stream::shapes`): a key equal to that frame's next key is then
    /// new without a search (lists of records repeat their keys), and the keys are not copied
    /// into `Stream::seen` until one differs.
    shape: bool,
    /// Keys read so far (maps and objects).
    count: usize,
}

struct Stream<'a, 'o> {
    r: Reader<'a>,
    options: &'o Options,
    stack: Vec<Frame>,
    /// The keys of the open maps and objects, frame after frame.
    seen: Vec<Key<'a>>,
    /// The keys of the last map or object closed at each depth (distinct, as every frame's).
    shapes: Vec<Vec<Key<'a>>>,
    /// The stack depth whose current value is hidden (a private or protected property of an
    /// object, which `json_encode` leaves out): nothing is written until it ends.
    muted_at: Option<usize>,
    /// The whole input is valid UTF-8, so every string in it is (each lies between ASCII
    /// quotes): strings are escaped without a check of their own.
    valid_utf8: bool,
    state: foldhash::fast::RandomState,
}

/// [`Out`] that writes nothing while the stream hides a value.
struct Gate<'g, O: ?Sized> {
    out: &'g mut O,
    open: bool,
}

impl<O: Out + ?Sized> Out for Gate<'_, O> {
    const DISCARD: bool = O::DISCARD;
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        if self.open {
            self.out.bytes(b);
        }
    }
    #[inline(always)]
    fn byte(&mut self, b: u8) {
        if self.open {
            self.out.byte(b);
        }
    }
    #[inline(always)]
    fn reserve(&mut self, n: usize) {
        if self.open {
            self.out.reserve(n);
        }
    }
    #[inline(always)]
    fn stopped(&self) -> bool {
        self.out.stopped()
    }
    #[inline(always)]
    fn int(&mut self, i: i64) {
        if self.open {
            self.out.int(i);
        }
    }
    #[inline(always)]
    fn ascii(&self) -> bool {
        self.out.ascii()
    }
}

fn hash(state: &foldhash::fast::RandomState, k: KeyRef<'_>) -> u64 {
    match k {
        KeyRef::Int(i) => state.hash_one(i),
        KeyRef::Str(s) => state.hash_one(s),
    }
}

impl<'a, 'o> Stream<'a, 'o> {
    /// A stream over `input`; `valid_utf8`: whether `input` is valid UTF-8 as a whole.
    fn new(input: &'a [u8], options: &'o Options, valid_utf8: bool) -> Self {
        Stream {
            r: Reader::new(input),
            options,
            stack: Vec::new(),
            seen: Vec::new(),
            shapes: Vec::new(),
            muted_at: None,
            valid_utf8,
            state: foldhash::fast::RandomState::default(),
        }
    }

    /// A string of the input (`S:` strings are decoded copies and are checked).
    #[inline(always)]
    // The `Cow` itself is the point: only a borrowed string is a slice of the input.
    #[allow(clippy::ptr_arg)]
    fn string<O: Out + ?Sized>(&self, out: &mut O, s: &std::borrow::Cow<'_, [u8]>) {
        match s {
            std::borrow::Cow::Borrowed(b) if self.valid_utf8 => write_str_valid(out, b),
            _ => write_str(out, s),
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
            increasing: !matches!(mode, Mode::Object),
            table: None,
            shape: true,
            count: 0,
        });
    }

    /// Transcode the input onto `out`; `Err` when the tree must decide (or `out` stopped).
    fn run<O: Out + ?Sized>(mut self, out: &mut O) -> Result<(), Fallback> {
        let out = &mut Gate { out, open: true };
        'value: loop {
            if out.stopped() {
                return Err(Fallback);
            }
            match self.r.head()? {
                Head::Null => out.bytes(b"null"),
                Head::Bool(b) => out.bytes(if b { b"true" } else { b"false" }),
                Head::Int(i) => out.int(i),
                Head::Float(f) => write_float(out, f),
                Head::Str(s) => self.string(out, &s),
                Head::Custom { class, .. } => {
                    out.byte(b'{');
                    write_str(out, CLASS_KEY);
                    out.byte(b':');
                    write_str(out, class);
                    out.byte(b'}');
                }
                Head::Enum { class, case } => write_enum(out, class, case),
                Head::Ref { .. } => return Err(Fallback),
                Head::Array(len) => {
                    if len == 0 {
                        // PHP checks no depth for an empty array.
                        self.r.expect(b'}', "'}'")?;
                        out.bytes(b"[]");
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
                    out.byte(b'{');
                    write_str(out, CLASS_KEY);
                    out.byte(b':');
                    write_str(out, class);
                    if len == 0 {
                        self.r.expect(b'}', "'}'")?;
                        out.byte(b'}');
                    } else {
                        self.open(Mode::Object, len);
                        self.next_key(out)?;
                        continue 'value;
                    }
                }
            }
            // The value is complete: close the containers it completes.
            loop {
                let depth = self.stack.len();
                let Some(f) = self.stack.last_mut() else {
                    break 'value;
                };
                if matches!(self.muted_at, Some(d) if d == depth) {
                    self.muted_at = None;
                    out.open = true;
                }
                f.left -= 1;
                if f.left > 0 {
                    self.next_key(out)?;
                    continue 'value;
                }
                self.r.expect(b'}', "'}' closing the array")?;
                out.byte(if matches!(f.mode, Mode::List(_)) {
                    b']'
                } else {
                    b'}'
                });
                let (base, mode, follows, count) = (f.base, f.mode, f.shape, f.count);
                self.stack.pop();
                // A map's or object's keys become the shape the next frame at its depth is
                // checked against.
                if self.shapes.len() < depth {
                    self.shapes.resize_with(depth, Vec::new);
                }
                let shape = &mut self.shapes[depth - 1];
                match mode {
                    Mode::List(_) | Mode::Undecided => {}
                    _ if follows => shape.truncate(count),
                    _ => {
                        shape.clear();
                        shape.extend(self.seen.drain(base..));
                    }
                }
            }
        }
        if self.options.reject_trailing_bytes && self.r.pos < self.r.input.len() {
            return Err(Fallback);
        }
        Ok(())
    }

    /// Read the next key of the top frame and write what comes before its value.
    fn next_key<O: Out + ?Sized>(&mut self, out: &mut Gate<'_, O>) -> Result<(), Fallback> {
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
            (_, Head::Str(s)) => match numeric_key(cow_bytes(&s)) {
                Some(i) => Key::Int(i),
                None => Key::String(s),
            },
            _ => return Err(Fallback),
        };
        match f.mode {
            Mode::Undecided if matches!(key, Key::Int(0)) => {
                f.mode = Mode::List(1);
                out.byte(b'[');
                return Ok(());
            }
            Mode::List(n) => {
                if !matches!(key, Key::Int(k) if k == n) {
                    // Printed as a list so far: only the tree knows it is an object.
                    return Err(Fallback);
                }
                f.mode = Mode::List(n + 1);
                out.byte(b',');
                return Ok(());
            }
            Mode::Undecided => {
                f.mode = Mode::Map;
                out.byte(b'{');
            }
            Mode::Map => out.byte(b','),
            Mode::Object => {
                if let Key::String(s) = &key {
                    if cow_bytes(s) == CLASS_KEY {
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
            Key::String(s)
                if matches!(f.mode, Mode::Object) && matches!(cow_bytes(s).first(), Some(0)) =>
            {
                if self.muted_at.is_none() {
                    self.muted_at = Some(self.stack.len());
                    out.open = false;
                }
            }
            Key::String(s) => {
                if matches!(f.mode, Mode::Object) {
                    out.byte(b',');
                }
                self.string(out, s);
                out.byte(b':');
            }
            Key::Int(i) => {
                write_int_key(out, *i);
                out.byte(b':');
            }
        }
        self.remember(key);
        Ok(())
    }

    /// Whether the top frame has this key already.
    fn is_duplicate(&mut self, key: &Key<'a>) -> bool {
        let depth = self.stack.len();
        let Some(f) = self.stack.last_mut() else {
            return false;
        };
        let shape: &[Key<'a>] = self.shapes.get(depth - 1).map_or(&[], Vec::as_slice);
        let n = f.count;
        // Whether every key so far, this one included, is an int larger than the one before.
        if f.increasing {
            let last = match n {
                0 => None,
                _ if f.shape => shape.get(n - 1),
                _ => self.seen.last(),
            };
            f.increasing = match (key, last) {
                (Key::Int(_), None) => true,
                (Key::Int(k), Some(Key::Int(last))) => k > last,
                _ => false,
            };
        }
        if f.shape {
            // The shape's keys are distinct: equal to its next key means new here.
            if shape.get(n).is_some_and(|k| k.as_ref().same(key.as_ref())) {
                return false;
            }
            // From here on the frame keeps its own keys: the ones so far are the shape's.
            f.shape = false;
            self.seen.extend(shape.iter().take(n).cloned());
        }
        if f.increasing {
            return false;
        }
        let keys = &self.seen[f.base..];
        let k = key.as_ref();
        if keys.len() <= INDEX_FROM {
            return keys.iter().any(|s| s.as_ref().same(k));
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
            .find(hash(state, k), |&j| keys[j as usize].as_ref().same(k))
            .is_some()
    }

    /// Record a new key of the top frame (nothing to keep while it follows the shape).
    fn remember(&mut self, key: Key<'a>) {
        let Some(f) = self.stack.last_mut() else {
            return;
        };
        f.count += 1;
        if f.shape {
            return;
        }
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
