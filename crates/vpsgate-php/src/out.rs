//! Where written text goes ([`Out`]): a `Vec<u8>` (the whole text in memory), a bounded
//! buffer, an `io::Write` (streamed), or nowhere (a checking pass). Shared by the JSON writer,
//! the float formatting and the transcoder.

use std::io::Write;

/// A sink for written bytes.
pub(crate) trait Out {
    /// True for a sink that keeps nothing: strings need not be escaped.
    const DISCARD: bool = false;
    /// Append bytes.
    fn bytes(&mut self, b: &[u8]);
    /// Append one byte.
    fn byte(&mut self, b: u8);
    /// Room for `n` more bytes is about to be needed (a hint).
    fn reserve(&mut self, n: usize) {
        let _ = n;
    }
    /// True once writing more is pointless (a full buffer, a failed writer): long loops may
    /// stop early, and the caller looks at why.
    fn stopped(&self) -> bool {
        false
    }
    /// Append an integer as JSON writes it.
    #[inline(always)]
    fn int(&mut self, i: i64) {
        self.bytes(itoa::Buffer::new().format(i).as_bytes());
    }
    /// True when every non-ASCII character is to be written as a `\uXXXX` escape (the text is
    /// then ASCII): [`Filled::new`].
    #[inline(always)]
    fn ascii(&self) -> bool {
        false
    }
}

impl Out for Vec<u8> {
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }
    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.push(b);
    }
    #[inline(always)]
    fn reserve(&mut self, n: usize) {
        Vec::reserve(self, n);
    }
}

/// A `Vec<u8>` written by index into bytes already there (zeroed ahead), cut to what was
/// written at the end: the transcoder's output. Writes through `Vec::push` and
/// `extend_from_slice` stay calls where inlining is not the default (the npm package's wasm,
/// built for size), one or more per byte or short run written; an index store is inline.
///
/// It can also write ASCII only (every other character escaped, [`Filled::new`]) and notes
/// whether an integer it wrote is beyond what a JS number holds exactly
/// ([`Filled::unsafe_int`]): what a JS engine's `JSON.parse` wants to know of the text.
pub(crate) struct Filled {
    buf: Vec<u8>,
    len: usize,
    ascii: bool,
    unsafe_int: bool,
}

/// The largest integer a JS number (an IEEE double) holds exactly: 2^53 - 1.
pub(crate) const JS_SAFE_INT: i64 = (1 << 53) - 1;

impl Filled {
    /// Room for `n` bytes before the first growth; non-ASCII characters written as `\uXXXX`
    /// escapes when `ascii`.
    pub(crate) fn new(n: usize, ascii: bool) -> Self {
        Filled {
            buf: vec![0; n.max(64)],
            len: 0,
            ascii,
            unsafe_int: false,
        }
    }

    /// Whether an integer written is outside ±(2^53 - 1) ([`JS_SAFE_INT`]).
    pub(crate) fn unsafe_int(&self) -> bool {
        self.unsafe_int
    }

    /// How many bytes are written.
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Take the bytes written from `at` on out (`at` at most [`Filled::len`]).
    pub(crate) fn split_off(&mut self, at: usize) -> Vec<u8> {
        let at = at.min(self.len);
        let tail = self.buf[at..self.len].to_vec();
        self.len = at;
        tail
    }

    /// The bytes written.
    pub(crate) fn into_vec(mut self) -> Vec<u8> {
        self.buf.truncate(self.len);
        self.buf
    }

    /// Make room for `n` more bytes: at least double.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, n: usize) {
        let want = self
            .len
            .saturating_add(n)
            .max(self.buf.len().saturating_mul(2));
        self.buf.resize(want, 0);
    }
}

impl Out for Filled {
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        let end = self.len + b.len();
        if end > self.buf.len() {
            self.grow(b.len());
        }
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(b);
            self.len = end;
        }
    }
    #[inline(always)]
    fn byte(&mut self, b: u8) {
        if self.len >= self.buf.len() {
            self.grow(1);
        }
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }
    #[inline(always)]
    fn reserve(&mut self, n: usize) {
        if self.len + n > self.buf.len() {
            self.grow(n);
        }
    }
    #[inline(always)]
    fn int(&mut self, i: i64) {
        self.unsafe_int |= !(-JS_SAFE_INT..=JS_SAFE_INT).contains(&i);
        self.bytes(itoa::Buffer::new().format(i).as_bytes());
    }
    #[inline(always)]
    fn ascii(&self) -> bool {
        self.ascii
    }
}

/// A few bytes on the stack (one formatted float is at most 25 bytes).
pub(crate) struct Small {
    buf: [u8; 40],
    len: usize,
}

impl Default for Small {
    fn default() -> Self {
        Small {
            buf: [0; 40],
            len: 0,
        }
    }
}

impl Small {
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Out for Small {
    fn bytes(&mut self, b: &[u8]) {
        // Never more than the buffer holds (cannot happen for a float; keeps it panic-free).
        let n = b.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&b[..n]);
        self.len += n;
    }
    fn byte(&mut self, b: u8) {
        self.bytes(&[b]);
    }
}

/// Keeps nothing: the transcoder's checking pass.
pub(crate) struct Discard;

impl Out for Discard {
    const DISCARD: bool = true;
    #[inline]
    fn bytes(&mut self, _: &[u8]) {}
    #[inline]
    fn byte(&mut self, _: u8) {}
}

/// A `Vec<u8>` that holds at most `limit` bytes: past that it keeps nothing more and reports
/// [`Out::stopped`].
pub(crate) struct Capped {
    pub(crate) buf: Vec<u8>,
    limit: usize,
    pub(crate) full: bool,
}

impl Capped {
    pub(crate) fn new(limit: usize, capacity: usize) -> Self {
        Capped {
            buf: Vec::with_capacity(capacity.min(limit)),
            limit,
            full: false,
        }
    }
}

impl Out for Capped {
    #[inline]
    fn bytes(&mut self, b: &[u8]) {
        if b.len() <= self.limit - self.buf.len() {
            self.buf.extend_from_slice(b);
        } else {
            self.full = true;
        }
    }
    #[inline]
    fn byte(&mut self, b: u8) {
        if self.buf.len() < self.limit {
            self.buf.push(b);
        } else {
            self.full = true;
        }
    }
    fn reserve(&mut self, n: usize) {
        self.buf.reserve(n.min(self.limit - self.buf.len()));
    }
    fn stopped(&self) -> bool {
        self.full
    }
}

/// An `io::Write` behind a buffer: the first write error is kept (and stops the writing),
/// for the caller to report.
pub(crate) struct Writer<W: Write> {
    w: std::io::BufWriter<W>,
    pub(crate) error: Option<std::io::Error>,
}

impl<W: Write> Writer<W> {
    pub(crate) fn new(w: W) -> Self {
        Writer {
            w: std::io::BufWriter::with_capacity(64 << 10, w),
            error: None,
        }
    }

    /// Flush, returning the first error of the whole run.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.w.flush()
    }
}

impl<W: Write> Out for Writer<W> {
    #[inline]
    fn bytes(&mut self, b: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.w.write_all(b) {
                self.error = Some(e);
            }
        }
    }
    #[inline]
    fn byte(&mut self, b: u8) {
        self.bytes(&[b]);
    }
    fn stopped(&self) -> bool {
        self.error.is_some()
    }
}
