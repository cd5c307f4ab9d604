//! The tree builder: [`parse_value`] reads one value into the [`Value`] model, iteratively
//! (nesting costs heap, not stack), with PHP's back-reference slots, duplicate-key overwrites
//! and cycle rules. Without references in the input, runs of scalar entries are read straight
//! into their array ([`scalar_run`]), which is most of a typical answer.

use std::borrow::Cow;

use super::read::{err, may_have_refs, numeric_key, Budget, Head, Reader};
use super::value::{Array, Key, KeyRef, Value};
use super::{Error, ErrorKind, Options};

/// Where a slot's value lives: entry `index` of the container in slot `parent`, the graveyard
/// (an array entry replaced by a duplicate key), or the top level.
#[derive(Clone, Copy)]
enum Parent {
    Root,
    Slot(u32),
    Grave(u32),
}

#[derive(Clone, Copy)]
struct Loc {
    parent: Parent,
    index: u32,
    /// One past the last slot of this value's subtree, once complete.
    end: u32,
}

/// A reference to a value still being built (`Value::Null` stands in for it), from the
/// reference at `offset`: it sits in entry `index` of the frame at `depth`, directly or
/// (once inner frames closed) inside that entry. A duplicate key overwriting that entry
/// removes it; one still there when the top-level value closes is an error.
struct Cycle {
    depth: usize,
    index: usize,
    /// True while the stand-in is the entry itself, not inside it.
    direct: bool,
    /// The stand-in's own slot (an `r:` has one, an `R:` not).
    own: Option<u32>,
    offset: usize,
    slot: u64,
}

struct Frame<'a> {
    slot: u32,
    class: Option<&'a [u8]>,
    entries: Array<'a>,
    left: usize,
    /// The key and target entry index of the value being parsed.
    pending: Option<(Key<'a>, usize)>,
    /// Where this frame's entry slot ids start in the shared `entry_slots` stack.
    base: usize,
    /// True while the keys so far are, in order, the first keys of the previous sibling (the
    /// parent's last entry): the next key is then new if it equals that sibling's next key,
    /// one comparison instead of a search (lists of records repeat their keys).
    shape: bool,
}

/// Parse one value into the [`Value`] tree. Iterative: nesting costs heap, not stack.
pub(crate) fn parse_value<'a>(input: &'a [u8], opts: &Options) -> Result<Value<'a>, Error> {
    let mut r = Reader::new(input);
    let mut stack: Vec<Frame<'a>> = Vec::new();
    let mut slots: Vec<Loc> = Vec::new();
    let mut graves: Vec<Value<'a>> = Vec::new();
    // Entries holding a reference to a value still being built (see `Cycle`).
    let mut cycles: Vec<Cycle> = Vec::new();
    // Slots whose value is such a stand-in: a reference to one is a cycle too.
    let mut stand_ins: Vec<u32> = Vec::new();
    // Slot id of the value at each entry of each open frame (a stack shared by the frames).
    let mut entry_slots: Vec<u32> = Vec::new();
    let mut budget = Budget::new(opts);
    // Without references no slot is ever looked up: skip the bookkeeping entirely.
    let track = may_have_refs(input);
    let value = 'outer: loop {
        if !track {
            scalar_run(&mut r, &mut stack)?;
        }
        let start = r.pos;
        let mut is_strong_ref = r.peek() == Some(b'R');
        let mut my_slot = slots.len() as u32;
        if track && !is_strong_ref {
            let loc = match stack.last() {
                None => Loc {
                    parent: Parent::Root,
                    index: 0,
                    end: 0,
                },
                Some(f) => Loc {
                    parent: Parent::Slot(f.slot),
                    index: f.pending.as_ref().map_or(0, |p| p.1) as u32,
                    end: 0,
                },
            };
            slots.push(loc);
        }
        let mut value = match r.head()? {
            Head::Null => Value::Null,
            Head::Bool(b) => Value::Bool(b),
            Head::Int(i) => Value::Int(i),
            Head::Float(f) => Value::Float(f),
            Head::Str(s) => Value::String(s),
            Head::Custom { class, payload } => Value::custom(class, payload),
            Head::Enum { class, case } => Value::enum_case(class, case),
            Head::Ref { slot, strong } => {
                match resolve(slot, strong, &stack, &slots, &graves, &stand_ins, my_slot) {
                    Ok(v) => {
                        charge_tree(&mut budget, v).map_err(|k| err(start, k))?;
                        v.clone()
                    }
                    Err(ErrorKind::RecursiveReference { slot }) => {
                        // A cycle is an error only if the entry survives: PHP lets a later
                        // duplicate key overwrite it (`a:2:{i:0;R:1;i:0;i:5;}` is `[5]`).
                        // Only a value inside an open frame can refer to one being built.
                        let depth = stack.len().saturating_sub(1);
                        let index = stack
                            .last()
                            .and_then(|f| f.pending.as_ref())
                            .map_or(0, |p| p.1);
                        cycles.push(Cycle {
                            depth,
                            index,
                            direct: true,
                            own: (!is_strong_ref).then_some(my_slot),
                            offset: start,
                            slot,
                        });
                        if !is_strong_ref {
                            stand_ins.push(my_slot);
                        }
                        Value::Null
                    }
                    Err(k) => return Err(err(start, k)),
                }
            }
            head @ (Head::Array(_) | Head::Object { .. }) => {
                let (class, len) = match head {
                    Head::Object { class, len } => (Some(class), len),
                    Head::Array(len) => (None, len),
                    _ => unreachable!("matched above"),
                };
                if len == 0 && class.is_none() {
                    // PHP checks no depth for an empty array.
                    r.expect(b'}', "'}'")?;
                    Value::Array(Array::new())
                } else {
                    if opts.max_depth > 0 && stack.len() >= opts.max_depth {
                        return Err(err(
                            start,
                            ErrorKind::DepthLimit {
                                limit: opts.max_depth,
                            },
                        ));
                    }
                    if len == 0 {
                        r.expect(b'}', "'}'")?;
                        Value::object(class.unwrap_or_default(), Array::new())
                    } else {
                        let f = Frame {
                            slot: my_slot,
                            class,
                            entries: Array::with_capacity(len.min(1024)),
                            left: len,
                            pending: None,
                            base: entry_slots.len(),
                            shape: true,
                        };
                        stack.push(f);
                        next_key(
                            &mut r,
                            &mut stack,
                            &mut slots,
                            &entry_slots,
                            &mut graves,
                            &mut cycles,
                            &mut stand_ins,
                        )?;
                        continue 'outer;
                    }
                }
            }
        };
        if !is_strong_ref {
            let n = slots.len() as u32;
            if let Some(l) = slots.get_mut(my_slot as usize) {
                l.end = n;
            }
        }
        // Deliver the finished value to its parent, closing parents that are complete.
        loop {
            let Some(f) = stack.last_mut() else {
                break 'outer value;
            };
            let (key, idx) = f.pending.take().unwrap_or((Key::Int(0), 0));
            if idx < f.entries.len() {
                f.entries.replace_at(idx, value);
                if !is_strong_ref {
                    if let Some(s) = entry_slots.get_mut(f.base + idx) {
                        *s = my_slot;
                    }
                }
            } else {
                f.entries.push_unchecked(key, value);
                if track {
                    entry_slots.push(if is_strong_ref { u32::MAX } else { my_slot });
                }
            }
            f.left -= 1;
            if f.left > 0 {
                next_key(
                    &mut r,
                    &mut stack,
                    &mut slots,
                    &entry_slots,
                    &mut graves,
                    &mut cycles,
                    &mut stand_ins,
                )?;
                continue 'outer;
            }
            r.expect(b'}', "'}' closing the array")?;
            let depth = stack.len() - 1;
            if cycles.iter().any(|c| c.depth == depth) {
                // The closed container goes to its parent's pending entry: so do its cycles.
                let parent = depth
                    .checked_sub(1)
                    .and_then(|d| stack[d].pending.as_ref().map(|p| (d, p.1)));
                let Some((d, i)) = parent else {
                    let c = &cycles[0];
                    return Err(err(
                        c.offset,
                        ErrorKind::RecursiveReference { slot: c.slot },
                    ));
                };
                for c in cycles.iter_mut().filter(|c| c.depth == depth) {
                    (c.depth, c.index, c.direct) = (d, i, false);
                }
            }
            let f = stack
                .pop()
                .unwrap_or_else(|| unreachable!("non-empty stack"));
            entry_slots.truncate(f.base);
            let n = slots.len() as u32;
            if let Some(l) = slots.get_mut(f.slot as usize) {
                l.end = n;
            }
            my_slot = f.slot;
            is_strong_ref = false;
            value = match f.class {
                None => Value::Array(f.entries),
                Some(c) => Value::object(c, f.entries),
            };
        }
    };
    if opts.reject_trailing_bytes && r.pos < input.len() {
        return Err(err(r.pos, ErrorKind::TrailingBytes));
    }
    Ok(value)
}

/// Read the next key of the top frame and decide where its value goes (replace in place or
/// append).
fn next_key<'a>(
    r: &mut Reader<'a>,
    stack: &mut [Frame<'a>],
    slots: &mut [Loc],
    entry_slots: &[u32],
    graves: &mut Vec<Value<'a>>,
    cycles: &mut Vec<Cycle>,
    stand_ins: &mut Vec<u32>,
) -> Result<(), Error> {
    let depth = stack.len() - 1;
    let (parents, rest) = stack.split_at_mut(depth);
    let f = &mut rest[0];
    let key = frame_key(r, f)?;
    let idx = match locate(f, parents, key.as_ref()) {
        Some(i) => {
            // An overwritten entry takes its cycles with it; a stand-in overwritten in place no
            // longer stands for anything (its slot now aliases the new value, as in PHP).
            cycles.retain(|c| {
                if c.depth != depth || c.index != i {
                    return true;
                }
                if let (true, Some(own)) = (c.direct, c.own) {
                    stand_ins.retain(|&s| s != own);
                }
                false
            });
            // PHP reuses the bucket: the old value's slot now aliases the new value, while
            // slots inside the old value keep pointing at the old children.
            let old_slot = entry_slots.get(f.base + i).copied().unwrap_or(u32::MAX);
            if let Some(loc) = slots.get(old_slot as usize).copied() {
                let old = f.entries.replace_at(i, Value::Null);
                if matches!(old, Value::Array(_) | Value::Object(_)) {
                    let g = graves.len() as u32;
                    graves.push(old);
                    let end = (loc.end as usize).min(slots.len());
                    for s in slots.iter_mut().take(end).skip(old_slot as usize + 1) {
                        if matches!(s.parent, Parent::Slot(p) if p == old_slot) {
                            s.parent = Parent::Grave(g);
                        }
                    }
                }
            }
            i
        }
        None => f.entries.len(),
    };
    f.pending = Some((key, idx));
    Ok(())
}

/// Read a key of frame `f`, as PHP stores it: numeric strings become ints in arrays, ints
/// become strings in objects.
#[inline(always)]
fn frame_key<'a>(r: &mut Reader<'a>, f: &Frame<'a>) -> Result<Key<'a>, Error> {
    Ok(match r.key()? {
        Head::Int(i) => {
            if f.class.is_some() {
                // PHP converts int property names to strings.
                Key::String(Cow::Owned(
                    itoa::Buffer::new().format(i).as_bytes().to_vec(),
                ))
            } else {
                Key::Int(i)
            }
        }
        Head::Str(s) => match (f.class, numeric_key(&s)) {
            (None, Some(i)) => Key::Int(i),
            _ => Key::String(s),
        },
        _ => unreachable!("Reader::key returns only ints and strings"),
    })
}

/// Where `key` already is in frame `f` (`None`: it is new). While the frame follows the shape
/// of its previous sibling (`parents`' last frame's last entry), a key equal to that sibling's
/// next key is new without a search: a sibling's keys are distinct.
#[inline(always)]
fn locate(f: &mut Frame<'_>, parents: &[Frame<'_>], key: KeyRef<'_>) -> Option<usize> {
    if f.shape {
        let n = f.entries.len();
        let sibling = parents
            .last()
            .and_then(|p| p.entries.value_at(p.entries.len().wrapping_sub(1)))
            .and_then(Value::entries)
            .and_then(|t| t.key_at(n));
        if sibling.is_some_and(|k| k.as_ref().same(key)) {
            return None;
        }
        f.shape = false;
    }
    f.entries.position(key)
}

/// With no references in the input (so no slots to keep): deliver the top frame's pending
/// entry and every following key and scalar (`N b i d s S`) straight into the frame, keys
/// and values kept in registers, until the frame's last entry or a value that is not a
/// scalar. That entry is left pending for the general loop, which closes the frame or opens
/// the container. The same reader calls, in the same order, as the general loop: the same
/// values, errors and offsets.
#[inline(always)]
fn scalar_run<'a>(r: &mut Reader<'a>, stack: &mut [Frame<'a>]) -> Result<(), Error> {
    let Some((f, parents)) = stack.split_last_mut() else {
        return Ok(());
    };
    let Some((mut key, mut idx)) = f.pending.take() else {
        return Ok(());
    };
    while f.left > 1 && matches!(r.peek(), Some(b'N' | b'b' | b'i' | b'd' | b's' | b'S')) {
        let value = match r.head()? {
            Head::Null => Value::Null,
            Head::Bool(b) => Value::Bool(b),
            Head::Int(i) => Value::Int(i),
            Head::Float(x) => Value::Float(x),
            Head::Str(s) => Value::String(s),
            _ => unreachable!("a scalar's tag starts a scalar head"),
        };
        if idx < f.entries.len() {
            f.entries.replace_at(idx, value);
        } else {
            f.entries.push_unchecked(key, value);
        }
        f.left -= 1;
        key = frame_key(r, f)?;
        idx = locate(f, parents, key.as_ref()).unwrap_or(f.entries.len());
    }
    f.pending = Some((key, idx));
    Ok(())
}

/// Find the value slot `slot` (1-based) refers to, as PHP's `var_access` would.
fn resolve<'v, 'a>(
    slot: u64,
    strong: bool,
    stack: &'v [Frame<'a>],
    slots: &[Loc],
    graves: &'v [Value<'a>],
    stand_ins: &[u32],
    my_slot: u32,
) -> Result<&'v Value<'a>, ErrorKind> {
    let id = slot - 1;
    if id >= slots.len() as u64 || (!strong && id == u64::from(my_slot)) {
        return Err(ErrorKind::BadReference { slot });
    }
    if stand_ins.contains(&(id as u32)) {
        // That slot's value is a reference to a value still being built.
        return Err(ErrorKind::RecursiveReference { slot });
    }
    // Path of entry indices from the root (or a grave) down to the slot.
    let mut path = Vec::new();
    let mut cur = id as u32;
    let base = loop {
        let l = slots[cur as usize];
        match l.parent {
            Parent::Root => break None,
            Parent::Grave(g) => {
                path.push(l.index);
                break Some(g);
            }
            Parent::Slot(p) => {
                path.push(l.index);
                cur = p;
            }
        }
    };
    let in_progress = || ErrorKind::RecursiveReference { slot };
    let mut node: &Value<'a>;
    let mut rest = path.iter().rev();
    match base {
        Some(g) => {
            node = graves
                .get(g as usize)
                .ok_or(ErrorKind::BadReference { slot })?
        }
        None => {
            // Walk the frames under construction first.
            let mut depth = 0;
            loop {
                let Some(f) = stack.get(depth) else {
                    return Err(in_progress());
                };
                let Some(&i) = rest.next() else {
                    return Err(in_progress());
                };
                let i = i as usize;
                if f.pending.as_ref().map(|p| p.1) == Some(i) {
                    depth += 1;
                    continue;
                }
                node = f
                    .entries
                    .value_at(i)
                    .ok_or(ErrorKind::BadReference { slot })?;
                break;
            }
        }
    }
    for &i in rest {
        let Some(a) = node.entries() else {
            return Err(ErrorKind::BadReference { slot });
        };
        node = a
            .value_at(i as usize)
            .ok_or(ErrorKind::BadReference { slot })?;
    }
    if !strong && !matches!(node, Value::Object(_) | Value::Custom(_) | Value::Enum(_)) {
        // PHP 8 only accepts `r:` to an object.
        return Err(ErrorKind::BadReference { slot });
    }
    Ok(node)
}

/// Charge the reference budget for a copy of `v` (values and string bytes), iteratively.
fn charge_tree(budget: &mut Budget, v: &Value<'_>) -> Result<(), ErrorKind> {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        let bytes = match v {
            Value::String(s) => s.len(),
            Value::Object(o) => o.class.len(),
            Value::Custom(c) => c.class.len() + c.payload.len(),
            Value::Enum(e) => e.class.len() + e.case.len(),
            _ => 0,
        };
        budget.charge(1, bytes)?;
        if let Some(a) = v.entries() {
            for (k, v) in a.iter() {
                if let Key::String(s) = k {
                    budget.charge(0, s.len())?;
                }
                stack.push(v);
            }
        }
    }
    Ok(())
}
