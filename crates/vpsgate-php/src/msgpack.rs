//! PHP `serialize()` data as MessagePack for a JavaScript engine: [`to_msgpack_for_js`], an
//! emitter of the transcoder's stream ([`super::transcode`]).

use super::json::enum_text;
use super::out::{Filled, Out, JS_SAFE_INT};
use super::transcode::{Emit, Place, Stream};
use super::value::KeyRef;
use super::Options;

/// Nesting this emitter writes: msgpackr reads recursively, `JSON.parse` does not.
pub(crate) const MAX_DEPTH: usize = 1000;

/// The most keys a map may have for its keys to be remembered as a record's.
pub(crate) const RECORD_KEYS: usize = 64;

/// How many shapes are remembered per depth.
pub(crate) const WAYS: usize = 4;

/// The shortest string value (in bytes) written into a bundle; shorter ones are written where
/// they are.
pub(crate) const BUNDLE_FROM: usize = 4;

/// msgpackr's one-byte record ids: `0x40 + id`.
const IDS: usize = 64;

/// Shapes remembered in all (each depth's last [`WAYS`] among them).
const POOL: usize = 256;

/// PHP `serialize()` data as MessagePack for a JavaScript engine: the values
/// `JSON.parse(json_encode(unserialize($s)))` gives, for msgpackr's decoder with its record
/// and bundled-string extensions, which build JS objects two to three times faster than
/// `JSON.parse` (`docs/PERFORMANCE.md`, "npm"). The npm package's `decodePhp` uses it.
///
/// The transcoder's stream reads and decides the shape (list or map, duplicates, hidden
/// properties) as for JSON; this emitter writes MessagePack:
///
/// - a list is an array; a map is a map (int keys as their decimal strings, as JSON writes
///   them), unless it is a record instance (next point). The keys of a map of at most
///   64 keys are remembered as a shape of its depth, the last 4 per depth;
/// - a map with as many keys as a remembered shape of its depth, and the same first key, is
///   written as a record instance of that shape: its values only, after a one-byte record id
///   (defined, `d4 72 id` and the keys, the first time). Should a later key differ, what was
///   written of it is rewritten as a map. Ids are msgpackr's 64 one-byte ids (`0x40..0x7f`),
///   given round robin (a redefined id replaces the record it stood for), so an int from 64 to
///   127 is written as `cc` and a byte;
/// - floats are doubles, `NAN`/`INF`/`-INF` the strings `json_encode` writes for them;
/// - string values of at least 4 bytes are msgpackr's bundled strings: the whole
///   value follows a `d6 62` extension whose 4 bytes say where, after it, two strings hold
///   every such string's text one after another (those with a character beyond U+00FF, then
///   the others), each string in the value being `c1` and its length in UTF-16 units (negative
///   for the first bundle). The decoder turns each bundle into a JS string once and slices it,
///   instead of decoding every string's UTF-8 by itself.
///
/// It gives up ([`None`]), leaving the input to the JSON path, on what JSON carries and this
/// format does not, or not as `JSON.parse` reads it: an integer beyond ±(2^53 − 1), a string
/// that is not valid UTF-8, a key `__proto__` (msgpackr renames it), an `O:` or `C:` object,
/// nesting deeper than 1000 levels, and whatever the stream itself gives up on (references,
/// malformed input). Use [`super::to_json_for_js`] then: for malformed input it gives the error
/// and its offset.
///
/// ```
/// use vpsgate_php::{to_msgpack_for_js, Options};
/// // The bundles' extension, the value, the two (here empty) bundles.
/// let packed = to_msgpack_for_js(b"a:2:{i:0;i:7;i:1;d:0.5;}", &Options::default()).unwrap();
/// assert_eq!(packed, [0xd6, 0x62, 0, 0, 0, 15, 0x92, 0x07, 0xcb, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0, 0xa0, 0xa0]);
/// // Two maps with the same keys: a map, then a record defined with its keys and first instance.
/// let packed = to_msgpack_for_js(
///     b"a:2:{i:0;a:1:{s:1:\"k\";i:1;}i:1;a:1:{s:1:\"k\";i:2;}}",
///     &Options::default(),
/// )
/// .unwrap();
/// assert_eq!(packed[6..], [0x92, 0x81, 0xa1, b'k', 0x01, 0xd4, 0x72, 0x40, 0x91, 0xa1, b'k', 0x02, 0xa0, 0xa0]);
/// // Longer strings are bundled: `c1` and the length (negative: a character beyond U+00FF).
/// let packed = to_msgpack_for_js("a:2:{i:0;s:4:\"long\";i:1;s:4:\"Юг\";}".as_bytes(), &Options::default()).unwrap();
/// assert_eq!(packed[6..11], [0x92, 0xc1, 0x04, 0xc1, 0xfe]);
/// assert_eq!(packed[11..], *b"\xa4\xd0\xae\xd0\xb3\xa4long");
/// assert_eq!(to_msgpack_for_js(b"i:9007199254740992;", &Options::default()), None);
/// ```
pub fn to_msgpack_for_js(input: &[u8], options: &Options) -> Option<Vec<u8>> {
    let mut out = Packed::new(input.len());
    // Each string is checked by itself (`Packed::value_text`: ASCII at once, or UTF-8 and its
    // length in UTF-16 units in one go), not the whole input first.
    let ran = Stream::new(input, options, false).run(&mut out).is_ok();
    if !ran || out.stop {
        return None;
    }
    out.finish()
}

/// The keys of a map, as the texts written for them.
#[derive(Default)]
struct Shape {
    /// The keys' texts, one after another.
    text: Vec<u8>,
    /// Where each key's text starts and ends in `text`.
    ends: Vec<(usize, usize)>,
    /// Bumped when the slot is given to another shape.
    generation: u32,
    /// Its record id, while it has one.
    id: Option<u8>,
}

impl Shape {
    /// Key `i`'s text (empty past the last).
    #[inline(always)]
    fn key(&self, i: usize) -> &[u8] {
        match self.ends.get(i) {
            Some(&(a, b)) => self.text.get(a..b).unwrap_or_default(),
            None => &[],
        }
    }
}

/// A remembered shape of a depth: a pool slot, valid while its generation is this one.
#[derive(Clone, Copy)]
struct Way {
    slot: usize,
    generation: u32,
}

/// An open container.
#[derive(Clone, Copy)]
enum Open {
    List,
    /// A map of `len` keys, written as a map; its keys are collected (for a new shape) from
    /// `Packed::keys[keys..]` when it is small enough.
    Map {
        len: usize,
        keys: Option<usize>,
    },
    /// A map written as a record instance of `slot`.
    Record(Record),
}

/// Where a record instance is, for rewriting it as a map should a key differ.
#[derive(Clone, Copy)]
struct Record {
    len: usize,
    slot: usize,
    /// Where the instance (its id, or the definition) starts in `buf`.
    start: usize,
    /// Its first value's entry in `Packed::marks`.
    marks: usize,
    /// Whether it defined its id (its first instance).
    defines: bool,
}

struct Packed {
    buf: Filled,
    stop: bool,
    open: Vec<Open>,
    pool: Vec<Shape>,
    /// The pool slot to give next (round robin).
    next_slot: usize,
    /// Each depth's remembered shapes, the last first.
    ways: Vec<[Option<Way>; WAYS]>,
    /// The pool slot each record id stands for.
    id_slot: [Option<usize>; IDS],
    /// The id to give next (round robin).
    next_id: u8,
    /// Where each value of the open record instances starts in `buf`, instance after instance.
    marks: Vec<usize>,
    /// The shape of the map closed last at each depth (what [`Place::follows`] is about), if it
    /// is remembered.
    last: Vec<Option<Way>>,
    /// The keys of the open maps being collected: `(start in key_text, end)` pairs.
    keys: Vec<(usize, usize)>,
    key_text: Vec<u8>,
    /// The bundled strings with a character beyond U+00FF, and the others.
    wide: Vec<u8>,
    narrow: Vec<u8>,
}

impl Packed {
    fn new(n: usize) -> Self {
        let mut buf = Filled::new(n, false);
        // The bundles' extension; its offset is filled in by `finish`.
        buf.bytes(&[0xd6, 0x62, 0, 0, 0, 0]);
        Packed {
            buf,
            stop: false,
            open: Vec::new(),
            pool: Vec::new(),
            next_slot: 0,
            ways: Vec::new(),
            id_slot: [None; IDS],
            next_id: 0,
            marks: Vec::new(),
            last: Vec::new(),
            keys: Vec::new(),
            key_text: Vec::new(),
            wide: Vec::new(),
            narrow: Vec::new(),
        }
    }

    /// The bytes: the value, then the two bundles, their place in the extension (`None` when
    /// that place is beyond the extension's 32 bits).
    fn finish(mut self) -> Option<Vec<u8>> {
        // From the extension's 4 bytes (at 2) to the bundles.
        let at = u32::try_from(self.buf.len() - 2).ok()?;
        let (wide, narrow) = (
            std::mem::take(&mut self.wide),
            std::mem::take(&mut self.narrow),
        );
        self.text(&wide);
        self.text(&narrow);
        if self.stop {
            return None;
        }
        let mut bytes = self.buf.into_vec();
        bytes[2..6].copy_from_slice(&at.to_be_bytes());
        Some(bytes)
    }

    /// A string value, bundled when long enough (see the module docs); not UTF-8 (unless
    /// `checked`): [`Packed::stop`].
    #[inline(always)]
    fn value_text(&mut self, s: &[u8], checked: bool) {
        let ascii = s.is_ascii();
        if !ascii && !checked && std::str::from_utf8(s).is_err() {
            self.stop = true;
            return;
        }
        if s.len() < BUNDLE_FROM {
            return self.text(s);
        }
        let (units, wide) = if ascii {
            (s.len(), false)
        } else {
            // UTF-16 units: one per character (a byte that is not a continuation), two for one
            // beyond U+FFFF (a 4-byte sequence, lead byte F0 on); a character beyond U+00FF
            // starts with a byte from C4 on. One pass.
            s.iter().fold((0, false), |(units, wide), &b| {
                let unit = usize::from(b & 0xc0 != 0x80) + usize::from(b >= 0xf0);
                (units + unit, wide || b >= 0xc4)
            })
        };
        if wide {
            self.wide.extend_from_slice(s);
        } else {
            self.narrow.extend_from_slice(s);
        }
        self.buf.byte(0xc1);
        let n = units as i64;
        self.int(if wide { -n } else { n });
    }

    #[inline(always)]
    fn put(&mut self, b: &[u8]) {
        self.buf.bytes(b);
    }

    #[inline(always)]
    fn head(&mut self, n: usize, fix: u8, fix_max: usize, c8: Option<u8>, c16: u8, c32: u8) {
        if !head(&mut self.buf, n, fix, fix_max, c8, c16, c32) {
            self.stop = true;
        }
    }

    #[inline(always)]
    fn text(&mut self, s: &[u8]) {
        if !text(&mut self.buf, s) {
            self.stop = true;
        }
    }

    fn map_head(&mut self, len: usize) {
        self.head(len, 0x80, 16, None, 0xde, 0xdf);
    }

    /// The remembered shape of `depth` (1-based) with `len` keys, the first `first`.
    fn find(&self, depth: usize, len: usize, first: &[u8]) -> Option<usize> {
        self.ways.get(depth - 1)?.iter().flatten().find_map(|w| {
            let s = &self.pool[w.slot];
            (s.generation == w.generation && s.ends.len() == len && s.key(0) == first)
                .then_some(w.slot)
        })
    }

    /// Make `slot` the last remembered shape of `depth`.
    fn remember(&mut self, depth: usize, slot: usize) {
        if self.ways.len() < depth {
            self.ways.resize(depth, [None; WAYS]);
        }
        let way = Way {
            slot,
            generation: self.pool[slot].generation,
        };
        let ways = &mut self.ways[depth - 1];
        let at = ways
            .iter()
            .position(|w| w.is_some_and(|w| w.slot == slot))
            .unwrap_or(WAYS - 1);
        ways.copy_within(0..at, 1);
        ways[0] = Some(way);
    }

    /// A new shape from the keys collected from `from` on, remembered for `depth`.
    fn new_shape(&mut self, depth: usize, from: usize) -> usize {
        let slot = if self.pool.len() < POOL {
            self.pool.push(Shape::default());
            self.pool.len() - 1
        } else {
            let slot = self.next_slot;
            self.next_slot = (self.next_slot + 1) % POOL;
            slot
        };
        let s = &mut self.pool[slot];
        if let Some(id) = s.id.take() {
            self.id_slot[usize::from(id)] = None;
        }
        s.generation = s.generation.wrapping_add(1);
        s.text.clear();
        s.ends.clear();
        for &(a, b) in &self.keys[from..] {
            let start = s.text.len();
            s.text.extend_from_slice(&self.key_text[a..b]);
            s.ends.push((start, s.text.len()));
        }
        self.remember(depth, slot);
        slot
    }

    /// Whether `slot` is the shape of the map closed last at `depth`.
    #[inline(always)]
    fn is_last(&self, depth: usize, slot: usize) -> bool {
        matches!(self.last.get(depth - 1), Some(Some(w))
            if w.slot == slot && w.generation == self.pool[slot].generation)
    }

    /// Start a record instance of `slot`: its id, defined (with the keys) if it has none.
    fn instance(&mut self, slot: usize) -> bool {
        if let Some(id) = self.pool[slot].id {
            self.buf.byte(0x40 | id);
            return false;
        }
        let id = self.next_id;
        self.next_id = (self.next_id + 1) % IDS as u8;
        if let Some(old) = self.id_slot[usize::from(id)].replace(slot) {
            self.pool[old].id = None;
        }
        self.pool[slot].id = Some(id);
        self.put(&[0xd4, 0x72, 0x40 | id]);
        let shape = &self.pool[slot];
        let mut ok = head(&mut self.buf, shape.ends.len(), 0x90, 16, None, 0xdc, 0xdd);
        for &(a, b) in &shape.ends {
            ok &= text(&mut self.buf, shape.text.get(a..b).unwrap_or_default());
        }
        self.stop |= !ok;
        true
    }

    /// The record instance `r` is not one at key `k`: rewrite what was written of it as a map
    /// of its first `k` keys and values (the keys collected again), and return the map.
    fn unrecord(&mut self, r: Record, k: usize) -> Open {
        let tail = self.buf.split_off(r.start);
        let marks: Vec<usize> = self.marks.drain(r.marks..).collect();
        if r.defines {
            // The definition goes with it: nothing after it used the id.
            if let Some(id) = self.pool[r.slot].id.take() {
                self.id_slot[usize::from(id)] = None;
            }
        }
        self.map_head(r.len);
        let keys = self.keys.len();
        for (i, &mark) in marks.iter().enumerate().take(k) {
            let name = self.pool[r.slot].key(i).to_vec();
            self.collect(&name);
            self.text(&name);
            let to = marks.get(i + 1).map_or(tail.len(), |m| m - r.start);
            self.put(&tail[mark - r.start..to]);
        }
        Open::Map {
            len: r.len,
            keys: Some(keys),
        }
    }

    #[inline(always)]
    fn collect(&mut self, name: &[u8]) {
        let a = self.key_text.len();
        self.key_text.extend_from_slice(name);
        self.keys.push((a, self.key_text.len()));
    }

    /// A key's text as JSON has it: a string (checked to be UTF-8 and not `__proto__`), an int
    /// as its decimal text; then `f` with it.
    #[inline(always)]
    fn with_key<R>(
        &mut self,
        key: KeyRef<'_>,
        checked: bool,
        f: impl FnOnce(&mut Self, &[u8]) -> R,
    ) -> R {
        match key {
            KeyRef::Int(i) => f(self, itoa::Buffer::new().format(i).as_bytes()),
            KeyRef::Str(s) => {
                if (!checked && std::str::from_utf8(s).is_err()) || s == b"__proto__" {
                    self.stop = true;
                }
                f(self, s)
            }
        }
    }

    /// The first key of a map of `len` keys at `depth`: a record instance of a remembered
    /// shape, or a map.
    fn first_key(&mut self, name: &[u8], len: usize, depth: usize) -> Open {
        if let Some(slot) = self.find(depth, len, name) {
            let start = self.buf.len();
            let defines = self.instance(slot);
            let marks = self.marks.len();
            self.marks.push(self.buf.len());
            self.remember(depth, slot);
            return Open::Record(Record {
                len,
                slot,
                start,
                marks,
                defines,
            });
        }
        self.map_head(len);
        self.text(name);
        let keys = (len <= RECORD_KEYS).then(|| {
            let keys = self.keys.len();
            self.collect(name);
            keys
        });
        Open::Map { len, keys }
    }

    /// A further key of the open map or record.
    #[inline(always)]
    fn next_key(&mut self, name: &[u8], at: Place, open: Open) -> Open {
        let index = at.index;
        match open {
            Open::Record(r) if self.pool[r.slot].key(index) == name => {
                // Its keys are the record's: written once, in its definition.
                self.marks.push(self.buf.len());
                open
            }
            Open::Record(r) => {
                let open = self.unrecord(r, index);
                self.next_key(name, at, open)
            }
            Open::Map { keys, .. } => {
                self.text(name);
                if keys.is_some() {
                    self.collect(name);
                }
                open
            }
            Open::List => {
                self.stop = true;
                open
            }
        }
    }
}

/// A length after a one-byte form (`fix` | n below `fix_max`) or `c8` (if any), `c16` or `c32`
/// and the length in big-endian; `false` for a length beyond 32 bits.
#[inline(always)]
fn head(
    out: &mut Filled,
    n: usize,
    fix: u8,
    fix_max: usize,
    c8: Option<u8>,
    c16: u8,
    c32: u8,
) -> bool {
    if n < fix_max {
        out.byte(fix | n as u8);
    } else if let (Some(c), true) = (c8, n < 256) {
        out.bytes(&[c, n as u8]);
    } else if let Ok(n) = u16::try_from(n) {
        out.byte(c16);
        out.bytes(&n.to_be_bytes());
    } else if let Ok(n) = u32::try_from(n) {
        out.byte(c32);
        out.bytes(&n.to_be_bytes());
    } else {
        return false;
    }
    true
}

/// A string: its length ([`head`]) and its bytes.
#[inline(always)]
fn text(out: &mut Filled, s: &[u8]) -> bool {
    let ok = head(out, s.len(), 0xa0, 32, Some(0xd9), 0xda, 0xdb);
    out.bytes(s);
    ok
}

impl Emit for Packed {
    #[inline(always)]
    fn stopped(&self) -> bool {
        self.stop
    }
    #[inline(always)]
    fn null(&mut self) {
        self.buf.byte(0xc0);
    }
    #[inline(always)]
    fn bool(&mut self, b: bool) {
        self.buf.byte(if b { 0xc3 } else { 0xc2 });
    }
    #[inline(always)]
    fn int(&mut self, i: i64) {
        if !(-JS_SAFE_INT..=JS_SAFE_INT).contains(&i) {
            self.stop = true;
            return;
        }
        if (0..64).contains(&i) {
            self.buf.byte(i as u8);
        } else if (-32..0).contains(&i) {
            self.buf.byte(i as i8 as u8);
        } else if let Ok(n) = u8::try_from(i) {
            self.put(&[0xcc, n]);
        } else if let Ok(n) = u16::try_from(i) {
            self.buf.byte(0xcd);
            self.put(&n.to_be_bytes());
        } else if let Ok(n) = u32::try_from(i) {
            self.buf.byte(0xce);
            self.put(&n.to_be_bytes());
        } else if let Ok(n) = i8::try_from(i) {
            self.put(&[0xd0, n as u8]);
        } else if let Ok(n) = i16::try_from(i) {
            self.buf.byte(0xd1);
            self.put(&n.to_be_bytes());
        } else if let Ok(n) = i32::try_from(i) {
            self.buf.byte(0xd2);
            self.put(&n.to_be_bytes());
        } else {
            self.buf.byte(0xd3);
            self.put(&i.to_be_bytes());
        }
    }
    #[inline(always)]
    fn float(&mut self, f: f64) {
        if f.is_nan() {
            self.text(b"NAN");
        } else if f.is_infinite() {
            self.text(if f > 0.0 { b"INF" } else { b"-INF" });
        } else {
            self.buf.byte(0xcb);
            self.put(&f.to_be_bytes());
        }
    }
    #[inline(always)]
    fn str(&mut self, s: &[u8], checked: bool) {
        self.value_text(s, checked);
    }
    fn custom(&mut self, _: &[u8]) {
        self.stop = true;
    }
    fn enumeration(&mut self, class: &[u8], case: &[u8]) {
        self.value_text(&enum_text(class, case), false);
    }
    #[inline(always)]
    fn empty_array(&mut self) {
        self.buf.byte(0x90);
    }
    fn object(&mut self, _: &[u8], _: bool) {
        self.stop = true;
    }
    #[inline(always)]
    fn list(&mut self, len: usize) {
        self.head(len, 0x90, 16, None, 0xdc, 0xdd);
        self.open.push(Open::List);
        if self.open.len() > MAX_DEPTH {
            self.stop = true;
        }
    }
    #[inline(always)]
    fn list_next(&mut self) {}
    #[inline(always)]
    fn map(&mut self, len: usize) {
        // The header waits for the first key: a record instance or a map.
        self.open.push(Open::Map { len, keys: None });
        if self.open.len() > MAX_DEPTH {
            self.stop = true;
        }
    }
    #[inline(always)]
    fn entry_next(&mut self) {}
    #[inline(always)]
    fn key(&mut self, key: KeyRef<'_>, checked: bool, at: Place) {
        let Some(&open) = self.open.last() else {
            self.stop = true;
            return;
        };
        // The common case first: a record's key the stream has compared with the shape's
        // (checked then, when the shape's map was written).
        if let Open::Record(r) = open {
            if at.index > 0 && at.follows && self.is_last(at.depth, r.slot) {
                self.marks.push(self.buf.len());
                return;
            }
        }
        let open = self.with_key(key, checked, |me, name| match open {
            Open::Map { len, .. } if at.index == 0 => me.first_key(name, len, at.depth),
            _ => me.next_key(name, at, open),
        });
        if let Some(top) = self.open.last_mut() {
            *top = open;
        }
    }
    #[inline(always)]
    fn close(&mut self, _: bool) {
        let depth = self.open.len();
        let last = match self.open.pop() {
            Some(Open::Record(r)) => {
                self.marks.truncate(r.marks);
                Some(r.slot)
            }
            Some(Open::Map {
                keys: Some(from), ..
            }) => {
                let slot = self.new_shape(depth, from);
                self.keys.truncate(from);
                self.key_text.truncate(self.keys.last().map_or(0, |k| k.1));
                Some(slot)
            }
            Some(Open::Map { keys: None, .. }) => None,
            // A list leaves the stream's shapes as they are.
            Some(Open::List) | None => return,
        };
        if self.last.len() < depth {
            self.last.resize(depth, None);
        }
        self.last[depth - 1] = last.map(|slot| Way {
            slot,
            generation: self.pool[slot].generation,
        });
    }
    fn mute(&mut self, _: bool) {
        // Only objects hide properties, and objects are not written here.
        self.stop = true;
    }
}
