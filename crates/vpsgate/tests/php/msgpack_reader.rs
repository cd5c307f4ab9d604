//! A reader of what `vpsgate::php::to_msgpack_for_js` writes (MessagePack with msgpackr's
//! record extension: `d4 72 id` and an array of keys defines record `id` and reads its first
//! instance; a byte `0x40..0x7f` of a defined id is an instance; and its bundled strings: a
//! leading `d6 62` extension whose 4 bytes say where two strings follow the value, `c1` and a
//! length in UTF-16 units, negative for the first, being the next string of a bundle), into the
//! `serde_json::Value` that `JSON.parse` would give. For the tests only: it trusts nothing and
//! says where it stopped.

use serde_json::{Map, Number, Value};

/// The value, or why the bytes are not what the writer should have written.
pub fn read(bytes: &[u8]) -> Result<Value, String> {
    let mut r = Reader {
        b: bytes,
        i: 0,
        records: vec![None; 64],
        bundles: None,
    };
    let mut end = bytes.len();
    if bytes.starts_with(&[0xd6, 0x62]) {
        r.i = 2;
        let at = 2 + r.uint(4)? as usize;
        let start = r.i;
        r.i = at;
        let mut units = || -> Result<Vec<u16>, String> {
            match r.value(0)? {
                Value::String(s) => Ok(s.encode_utf16().collect()),
                other => Err(format!("a bundle that is not a string: {other}")),
            }
        };
        let (wide, narrow) = (units()?, units()?);
        if r.i != bytes.len() {
            return Err(format!(
                "{} bytes left after the bundles",
                bytes.len() - r.i
            ));
        }
        r.i = start;
        r.bundles = Some([(wide, 0), (narrow, 0)]);
        end = at;
    }
    let v = r.value(0)?;
    if r.i != end {
        return Err(format!(
            "{} bytes left after the value",
            end as i64 - r.i as i64
        ));
    }
    if let Some(b) = &r.bundles {
        for (units, used) in b {
            if *used != units.len() {
                return Err(format!(
                    "{} of {} bundled units unused",
                    units.len() - used,
                    units.len()
                ));
            }
        }
    }
    Ok(v)
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
    records: Vec<Option<Vec<String>>>,
    /// The two bundles as UTF-16 units, and how many of each are used.
    bundles: Option<[(Vec<u16>, usize); 2]>,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let s = self
            .b
            .get(self.i..self.i + n)
            .ok_or_else(|| format!("truncated at {}", self.i))?;
        self.i += n;
        Ok(s)
    }
    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn uint(&mut self, n: usize) -> Result<u64, String> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }
    fn text(&mut self, n: usize) -> Result<String, String> {
        let at = self.i;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| format!("string at {at} is not UTF-8"))
    }
    fn int(i: i64) -> Value {
        Value::Number(Number::from(i))
    }
    fn values(&mut self, n: usize, depth: usize) -> Result<Vec<Value>, String> {
        (0..n).map(|_| self.value(depth + 1)).collect()
    }
    fn map(&mut self, n: usize, depth: usize) -> Result<Value, String> {
        let mut m = Map::new();
        for _ in 0..n {
            let Value::String(k) = self.value(depth + 1)? else {
                return Err(format!("a map key that is not a string before {}", self.i));
            };
            let v = self.value(depth + 1)?;
            if m.insert(k.clone(), v).is_some() {
                return Err(format!("duplicate key {k:?}"));
            }
        }
        Ok(Value::Object(m))
    }
    fn instance(&mut self, id: usize, depth: usize) -> Result<Value, String> {
        let keys = self.records[id]
            .clone()
            .ok_or(format!("record {id} is not defined"))?;
        let mut m = Map::new();
        for k in keys {
            let v = self.value(depth + 1)?;
            m.insert(k, v);
        }
        Ok(Value::Object(m))
    }
    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > 2000 {
            return Err("too deep".into());
        }
        let at = self.i;
        let t = self.byte()?;
        Ok(match t {
            0x00..=0x3f => Self::int(i64::from(t)),
            0x40..=0x7f => return self.instance(usize::from(t & 0x3f), depth),
            0x80..=0x8f => return self.map(usize::from(t & 0x0f), depth),
            0x90..=0x9f => Value::Array(self.values(usize::from(t & 0x0f), depth)?),
            0xa0..=0xbf => Value::String(self.text(usize::from(t & 0x1f))?),
            0xc0 => Value::Null,
            0xc1 => {
                let Value::Number(n) = self.value(depth + 1)? else {
                    return Err(format!("a bundled string's length at {at} is not a number"));
                };
                let n = n.as_i64().ok_or(format!("bundled length {n}"))?;
                let Some(bundles) = &mut self.bundles else {
                    return Err(format!("a bundled string at {at} without bundles"));
                };
                let (units, used) = &mut bundles[usize::from(n > 0)];
                let len = n.unsigned_abs() as usize;
                let Some(s) = units.get(*used..*used + len) else {
                    return Err(format!("bundled string at {at} runs past its bundle"));
                };
                *used += len;
                Value::String(
                    String::from_utf16(s)
                        .map_err(|_| format!("bundled string at {at} splits a pair"))?,
                )
            }
            0xc2 => Value::Bool(false),
            0xc3 => Value::Bool(true),
            0xcb => {
                let f = f64::from_bits(self.uint(8)?);
                Value::Number(Number::from_f64(f).ok_or(format!("non-finite double at {at}"))?)
            }
            0xcc => Self::int(self.uint(1)? as i64),
            0xcd => Self::int(self.uint(2)? as i64),
            0xce => Self::int(self.uint(4)? as i64),
            0xd0 => Self::int(i64::from(self.uint(1)? as u8 as i8)),
            0xd1 => Self::int(i64::from(self.uint(2)? as u16 as i16)),
            0xd2 => Self::int(i64::from(self.uint(4)? as u32 as i32)),
            0xd3 => Self::int(self.uint(8)? as i64),
            0xd9 => {
                let n = self.uint(1)? as usize;
                Value::String(self.text(n)?)
            }
            0xda => {
                let n = self.uint(2)? as usize;
                Value::String(self.text(n)?)
            }
            0xdb => {
                let n = self.uint(4)? as usize;
                Value::String(self.text(n)?)
            }
            0xdc | 0xdd => {
                let n = self.uint(if t == 0xdc { 2 } else { 4 })? as usize;
                Value::Array(self.values(n, depth)?)
            }
            0xde | 0xdf => {
                let n = self.uint(if t == 0xde { 2 } else { 4 })? as usize;
                return self.map(n, depth);
            }
            0xd4 => {
                if self.byte()? != 0x72 {
                    return Err(format!("an extension other than records at {at}"));
                }
                let id = self.byte()?;
                if !(0x40..=0x7f).contains(&id) {
                    return Err(format!("record id {id:#x} at {at}"));
                }
                let Value::Array(keys) = self.value(depth + 1)? else {
                    return Err(format!("record {id:#x} at {at}: keys are not an array"));
                };
                let keys = keys
                    .into_iter()
                    .map(|k| match k {
                        Value::String(s) => Ok(s),
                        other => Err(format!("record key {other}")),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                self.records[usize::from(id & 0x3f)] = Some(keys);
                return self.instance(usize::from(id & 0x3f), depth);
            }
            0xe0..=0xff => Self::int(i64::from(t as i8)),
            other => return Err(format!("type byte {other:#x} at {at}")),
        })
    }
}
