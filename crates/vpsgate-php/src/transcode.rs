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
//!
//! The stream reads; what it writes is an [`Emit`]: JSON text here ([`Json`]), or MessagePack
//! for a JS engine ([`super::msgpack`]), which gives up on more than JSON does and is then
//! replaced by the JSON path.

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
use std::borrow::Cow;

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
    if Stream::new(input, options, valid)
        .run(&mut Json::new(&mut out))
        .is_ok()
    {
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
    let ok = Stream::new(input, options, valid)
        .run(&mut Json::new(&mut held))
        .is_ok();
    if ok && !held.full {
        let mut out = Writer::new(w);
        out.bytes(&held.buf);
        return out.finish().map_err(WriteError::Io);
    }
    let full = held.full;
    drop(held);
    if full
        && Stream::new(input, options, valid)
            .run(&mut Json::new(&mut Discard))
            .is_ok()
    {
        let mut out = Writer::new(w);
        // Checked above: only a failing writer stops this run.
        let _ = Stream::new(input, options, valid).run(&mut Json::new(&mut out));
        return out.finish().map_err(WriteError::Io);
    }
    let value = parse_value(input, options)?;
    let mut out = Writer::new(w);
    write_value(&mut out, &value);
    out.finish().map_err(WriteError::Io)
}

/// The stream gave up: the tree path decides.
pub(crate) struct Fallback;

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

pub(crate) struct Stream<'a, 'o> {
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

/// Where a key is, for an emitter that writes records (a map's keys once, then only its
/// values: [`super::msgpack`]).
#[derive(Clone, Copy)]
pub(crate) struct Place {
    /// The stack depth of the map (1 for the outermost).
    pub(crate) depth: usize,
    /// The key's index in its map.
    pub(crate) index: usize,
    /// Whether the map's keys so far, this one included, are the first keys of the last map
    /// closed at this depth.
    pub(crate) follows: bool,
}

/// What the stream writes, step by step as it reads. A step an emitter cannot carry makes it
/// [`Emit::stopped`], and the stream gives up at the next value.
pub(crate) trait Emit {
    /// True once the stream should give up.
    fn stopped(&self) -> bool;
    /// `N;`.
    fn null(&mut self);
    /// `b:`.
    fn bool(&mut self, b: bool);
    /// `i:`.
    fn int(&mut self, i: i64);
    /// `d:`.
    fn float(&mut self, f: f64);
    /// A string value; `checked`: known to be valid UTF-8.
    fn str(&mut self, s: &[u8], checked: bool);
    /// `C:` (its payload left out).
    fn custom(&mut self, class: &[u8]);
    /// `E:`.
    fn enumeration(&mut self, class: &[u8], case: &[u8]);
    /// `a:0:{}`.
    fn empty_array(&mut self);
    /// An `O:` object of `class` opens; `empty`: it has no properties (and so closes here).
    fn object(&mut self, class: &[u8], empty: bool);
    /// An array that is a list opens with `len` elements; the first follows.
    fn list(&mut self, len: usize);
    /// The next element of a list follows.
    fn list_next(&mut self);
    /// An array that is not a list opens with `len` entries; its first key follows.
    fn map(&mut self, len: usize);
    /// An entry other than the first of a map, or a property of an object, follows.
    fn entry_next(&mut self);
    /// A key of a map or object; `checked`: a string key known to be valid UTF-8.
    fn key(&mut self, key: KeyRef<'_>, checked: bool, at: Place);
    /// The innermost list (`list`), map or object closes.
    fn close(&mut self, list: bool);
    /// From here on, write nothing (`true`: a hidden property's value) or again (`false`).
    fn mute(&mut self, muted: bool);
}

/// JSON text onto an [`Out`], as [`super::json`] writes it.
struct Json<'g, O: ?Sized> {
    out: Gate<'g, O>,
}

impl<'g, O: Out + ?Sized> Json<'g, O> {
    fn new(out: &'g mut O) -> Self {
        Json {
            out: Gate { out, open: true },
        }
    }
}

impl<O: Out + ?Sized> Emit for Json<'_, O> {
    #[inline(always)]
    fn stopped(&self) -> bool {
        self.out.stopped()
    }
    #[inline(always)]
    fn null(&mut self) {
        self.out.bytes(b"null");
    }
    #[inline(always)]
    fn bool(&mut self, b: bool) {
        self.out.bytes(if b { b"true" } else { b"false" });
    }
    #[inline(always)]
    fn int(&mut self, i: i64) {
        self.out.int(i);
    }
    #[inline(always)]
    fn float(&mut self, f: f64) {
        write_float(&mut self.out, f);
    }
    #[inline(always)]
    fn str(&mut self, s: &[u8], checked: bool) {
        if checked {
            write_str_valid(&mut self.out, s);
        } else {
            write_str(&mut self.out, s);
        }
    }
    fn custom(&mut self, class: &[u8]) {
        let out = &mut self.out;
        out.byte(b'{');
        write_str(out, CLASS_KEY);
        out.byte(b':');
        write_str(out, class);
        out.byte(b'}');
    }
    fn enumeration(&mut self, class: &[u8], case: &[u8]) {
        write_enum(&mut self.out, class, case);
    }
    #[inline(always)]
    fn empty_array(&mut self) {
        self.out.bytes(b"[]");
    }
    fn object(&mut self, class: &[u8], empty: bool) {
        let out = &mut self.out;
        out.byte(b'{');
        write_str(out, CLASS_KEY);
        out.byte(b':');
        write_str(out, class);
        if empty {
            out.byte(b'}');
        }
    }
    #[inline(always)]
    fn list(&mut self, _: usize) {
        self.out.byte(b'[');
    }
    #[inline(always)]
    fn list_next(&mut self) {
        self.out.byte(b',');
    }
    #[inline(always)]
    fn map(&mut self, _: usize) {
        self.out.byte(b'{');
    }
    #[inline(always)]
    fn entry_next(&mut self) {
        self.out.byte(b',');
    }
    #[inline(always)]
    fn key(&mut self, key: KeyRef<'_>, checked: bool, _: Place) {
        match key {
            KeyRef::Str(s) => self.str(s, checked),
            KeyRef::Int(i) => write_int_key(&mut self.out, i),
        }
        self.out.byte(b':');
    }
    #[inline(always)]
    fn close(&mut self, list: bool) {
        self.out.byte(if list { b']' } else { b'}' });
    }
    #[inline(always)]
    fn mute(&mut self, muted: bool) {
        self.out.open = !muted;
    }
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
    pub(crate) fn new(input: &'a [u8], options: &'o Options, valid_utf8: bool) -> Self {
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

    /// Whether a string of the input is known to be valid UTF-8: a slice of an input that is
    /// (`S:` strings are decoded copies, and are checked).
    #[inline(always)]
    // The `Cow` itself is the point: only a borrowed string is a slice of the input.
    #[allow(clippy::ptr_arg)]
    fn checked(&self, s: &Cow<'_, [u8]>) -> bool {
        self.valid_utf8 && matches!(s, Cow::Borrowed(_))
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
    pub(crate) fn run<E: Emit + ?Sized>(mut self, out: &mut E) -> Result<(), Fallback> {
        'value: loop {
            if out.stopped() {
                return Err(Fallback);
            }
            match self.r.head()? {
                Head::Null => out.null(),
                Head::Bool(b) => out.bool(b),
                Head::Int(i) => out.int(i),
                Head::Float(f) => out.float(f),
                Head::Str(s) => out.str(cow_bytes(&s), self.checked(&s)),
                Head::Custom { class, .. } => out.custom(class),
                Head::Enum { class, case } => out.enumeration(class, case),
                Head::Ref { .. } => return Err(Fallback),
                Head::Array(len) => {
                    if len == 0 {
                        // PHP checks no depth for an empty array.
                        self.r.expect(b'}', "'}'")?;
                        out.empty_array();
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
                    out.object(class, len == 0);
                    if len == 0 {
                        self.r.expect(b'}', "'}'")?;
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
                    out.mute(false);
                }
                f.left -= 1;
                if f.left > 0 {
                    self.next_key(out)?;
                    continue 'value;
                }
                self.r.expect(b'}', "'}' closing the array")?;
                out.close(matches!(f.mode, Mode::List(_)));
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
    fn next_key<E: Emit + ?Sized>(&mut self, out: &mut E) -> Result<(), Fallback> {
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
                out.list(f.left);
                return Ok(());
            }
            Mode::List(n) => {
                if !matches!(key, Key::Int(k) if k == n) {
                    // Printed as a list so far: only the tree knows it is an object.
                    return Err(Fallback);
                }
                f.mode = Mode::List(n + 1);
                out.list_next();
                return Ok(());
            }
            Mode::Undecided => {
                f.mode = Mode::Map;
                out.map(f.left);
            }
            Mode::Map => out.entry_next(),
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
        let depth = self.stack.len();
        let Some(f) = self.stack.last() else {
            return Err(Fallback);
        };
        let object = matches!(f.mode, Mode::Object);
        if object && matches!(&key, Key::String(s) if matches!(cow_bytes(s).first(), Some(0))) {
            if self.muted_at.is_none() {
                self.muted_at = Some(depth);
                out.mute(true);
            }
        } else {
            if object {
                out.entry_next();
            }
            let checked = match &key {
                Key::String(s) => self.checked(s),
                Key::Int(_) => false,
            };
            let at = Place {
                depth,
                index: f.count,
                follows: f.shape,
            };
            out.key(key.as_ref(), checked, at);
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
