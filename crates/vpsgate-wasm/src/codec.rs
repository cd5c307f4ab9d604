//! `decodePhp`, `encodePhp` and the GoVPSFX `sign`.
//!
//! `decodePhp` decodes with the core into MessagePack ([`vpsgate::decode::php_to_msgpack_for_js`]:
//! the values of PHP's `json_encode(unserialize($s))`, maps that repeat their keys as msgpackr
//! records) and hands it to msgpackr's decoder, which the package bundles and installs here
//! ([`set_msgpack_decoder`]): it builds repeated records two to three times faster than
//! `JSON.parse` builds the same objects. What that path does not carry (an integer beyond 2^53,
//! a string that is not UTF-8, a key `__proto__`, objects, references, malformed input) goes
//! through JSON ([`vpsgate::decode::php_to_json_for_js`]: ASCII text, non-ASCII characters
//! escaped, and whether an integer in it is beyond a JS number's exact range) and the engine's
//! `JSON.parse`, with the same values. Two things a plain `JSON.parse` cannot keep take a
//! slower exact path that builds the values one by one:
//!
//! - integers beyond ±(2^53 − 1): `BigInt` (option `bigint: "bigint"`, the default) or the
//!   decimal string (`bigint: "string"`), never a rounded number;
//! - key order: a plain object lists integer-like keys first, in ascending order, so PHP's
//!   `[5 => 'a', 1 => 'b']` would come back reordered. `maps: "ordered"` returns a `Map` for
//!   exactly those arrays; `maps: "always"` returns a `Map` for every array that is not a list
//!   (and every object); the default `maps: "object"` is `JSON.parse`'s behaviour.

use std::cell::RefCell;

use js_sys::{Array, BigInt, Function, Map, Object, Reflect, Uint8Array};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use vpsgate::decode::Source;
use vpsgate::govpsfx::sign::{signature, SignedFields};
use vpsgate::PartnerSecret;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{invalid, js};
use crate::jsobj;

/// The largest integer a JS number holds exactly.
const SAFE: i64 = 9_007_199_254_740_991;

/// The bytes of a `Uint8Array` (any typed array or `ArrayBuffer`) or of a string as UTF-8.
pub fn input_bytes(input: &JsValue, what: &'static str) -> Result<Vec<u8>, vpsgate::Error> {
    if let Some(s) = input.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = input.dyn_ref::<Uint8Array>() {
        return Ok(a.to_vec());
    }
    if input.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(input).to_vec());
    }
    if let Some(view) = input.dyn_ref::<js_sys::Object>() {
        if js_sys::ArrayBuffer::is_view(view) {
            let buffer = Reflect::get(view, &"buffer".into()).unwrap_or(JsValue::UNDEFINED);
            let offset = Reflect::get(view, &"byteOffset".into())
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            let length = Reflect::get(view, &"byteLength".into())
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            return Ok(Uint8Array::new_with_byte_offset_and_length(
                &buffer,
                offset as u32,
                length as u32,
            )
            .to_vec());
        }
    }
    Err(invalid(what, "must be a Uint8Array or a string"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Big {
    BigInt,
    String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Maps {
    Object,
    Ordered,
    Always,
}

fn decode_options(options: &JsValue) -> Result<(Big, Maps), vpsgate::Error> {
    let obj = jsobj::copy(options, "options")?;
    let big = match jsobj::take(&obj, "bigint").as_string().as_deref() {
        None | Some("bigint") => Big::BigInt,
        Some("string") => Big::String,
        Some(other) => {
            return Err(invalid(
                "bigint",
                format!("{other:?} is not an option; use \"bigint\" or \"string\""),
            ))
        }
    };
    let maps = match jsobj::take(&obj, "maps").as_string().as_deref() {
        None | Some("object") => Maps::Object,
        Some("ordered") => Maps::Ordered,
        Some("always") => Maps::Always,
        Some(other) => {
            return Err(invalid(
                "maps",
                format!("{other:?} is not an option; use \"object\", \"ordered\" or \"always\""),
            ))
        }
    };
    if let Some(key) = Object::keys(&obj).get(0).as_string() {
        return Err(invalid(
            "options",
            format!("unknown option `{key}`; expected bigint or maps"),
        ));
    }
    Ok((big, maps))
}

thread_local! {
    /// msgpackr's decoder, `(bytes: Uint8Array) => value`, once the package has installed it.
    static MSGPACK: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Install the MessagePack decoder `decodePhp` hands its fast path to (`bindings/npm/api.js`
/// installs msgpackr's, bundled with the package); `undefined` or `null` removes it, and
/// `decodePhp` then always goes through `JSON.parse`. The function must not call back into the
/// package: it is handed a view of the wasm's memory.
#[wasm_bindgen(js_name = __setMsgpackDecoder)]
pub fn set_msgpack_decoder(decoder: JsValue) -> Result<(), JsValue> {
    let decoder = if decoder.is_undefined() || decoder.is_null() {
        None
    } else {
        Some(js(decoder
            .dyn_into::<Function>()
            .map_err(|_| invalid("decoder", "must be a function")))?)
    };
    MSGPACK.with(|d| *d.borrow_mut() = decoder);
    Ok(())
}

/// Decode PHP `serialize()` output (a `Uint8Array`, or a string taken as UTF-8) into plain JS
/// values shaped like `JSON.parse(json_encode(unserialize($s)))`; see the module docs for the
/// options `{bigint?: "bigint" | "string", maps?: "object" | "ordered" | "always"}`.
/// Malformed input is a `VpsgateError` with code 2 and the byte `offset`.
#[wasm_bindgen(js_name = decodePhp)]
pub fn decode_php(input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (big, maps) = js(decode_options(&options))?;
    let bytes = js(input_bytes(&input, "input"))?;
    if maps == Maps::Object {
        if let Some(decoder) = MSGPACK.with(|d| d.borrow().clone()) {
            if let Some(packed) = vpsgate::decode::php_to_msgpack_for_js(&bytes) {
                // SAFETY: the view is of `packed`, alive until the end of this block; nothing
                // allocates in the wasm's memory (which could move it) while the decoder runs,
                // as it does not call back into the package, and the view is not kept (the
                // values it builds hold no bytes of it: no `bin` is written).
                let view = unsafe { Uint8Array::view(&packed) };
                // A decoder that fails (it should not) leaves the input to the JSON path, whose
                // values are the same.
                if let Ok(value) = decoder.call1(&JsValue::NULL, &view) {
                    return Ok(value);
                }
            }
        }
    }
    // ASCII text: the engine makes a string of it without decoding UTF-8 (on 20 MB of
    // getOrders, TextDecoder took 63 ms for the UTF-8 text, 14 ms for the ASCII one).
    let json = js(vpsgate::decode::php_to_json_for_js(&bytes))?;
    drop(bytes);
    if maps == Maps::Object && !json.unsafe_int {
        return js_sys::JSON::parse(&json.text);
    }
    Ok(Builder { big, maps }.build(json.text.as_bytes()))
}

/// PHP `serialize()` of the JSON text `to_json` gave, as JSON text; for tests and tools.
#[wasm_bindgen(js_name = decodePhpToJson)]
pub fn decode_php_to_json(input: JsValue) -> Result<String, JsValue> {
    let bytes = js(input_bytes(&input, "input"))?;
    js(vpsgate::decode::to_json(&bytes, Source::Php))
}

/// The index after the closing quote of a string whose contents start at `i`.
fn string_end(json: &[u8], mut i: usize) -> usize {
    loop {
        match memchr::memchr2(b'"', b'\\', &json[i.min(json.len())..]) {
            None => return json.len(),
            Some(n) if json[i + n] == b'\\' => i += n + 2,
            Some(n) => return i + n + 1,
        }
    }
}

/// The end of the number starting at `i`, and whether it is an integer.
fn number_end(json: &[u8], mut i: usize) -> (usize, bool) {
    let mut int = true;
    if matches!(json.get(i), Some(b'-')) {
        i += 1;
    }
    while let Some(&c) = json.get(i) {
        match c {
            b'0'..=b'9' => {}
            b'.' | b'e' | b'E' | b'+' | b'-' => int = false,
            _ => break,
        }
        i += 1;
    }
    (i, int)
}

/// Whether a plain object would list `key` among its integer-index keys.
fn array_index(key: &str) -> Option<u64> {
    let b = key.as_bytes();
    if b.is_empty()
        || b.len() > 10
        || !b.iter().all(u8::is_ascii_digit)
        || (b[0] == b'0' && b.len() > 1)
    {
        return None;
    }
    key.parse::<u64>().ok().filter(|&n| n < 4_294_967_295)
}

/// Whether a plain object with these keys, in this order, would list them differently.
fn reorders<'a>(keys: impl Iterator<Item = &'a str>) -> bool {
    let (mut last, mut named) = (None, false);
    for key in keys {
        match array_index(key) {
            Some(n) => {
                if named || last.is_some_and(|l| n <= l) {
                    return true;
                }
                last = Some(n);
            }
            None => named = true,
        }
    }
    false
}

/// The exact path: a small iterative parser over the core's compact JSON that builds each JS
/// value itself.
struct Builder {
    big: Big,
    maps: Maps,
}

enum Frame {
    List(Array),
    Members(Vec<(String, JsValue)>, Option<String>),
}

impl Builder {
    fn build(&self, json: &[u8]) -> JsValue {
        let mut p = Parser { s: json, i: 0 };
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // A value starts here.
            let mut value = match p.peek() {
                b'[' => {
                    p.i += 1;
                    if p.peek() == b']' {
                        p.i += 1;
                        Array::new().into()
                    } else {
                        stack.push(Frame::List(Array::new()));
                        continue;
                    }
                }
                b'{' => {
                    p.i += 1;
                    if p.peek() == b'}' {
                        p.i += 1;
                        self.object(Vec::new())
                    } else {
                        let key = p.string();
                        p.i += 1; // ':'
                        stack.push(Frame::Members(Vec::new(), Some(key)));
                        continue;
                    }
                }
                b'"' => JsValue::from_str(&p.string()),
                b't' => {
                    p.i += 4;
                    JsValue::TRUE
                }
                b'f' => {
                    p.i += 5;
                    JsValue::FALSE
                }
                b'n' => {
                    p.i += 4;
                    JsValue::NULL
                }
                _ => self.number(&mut p),
            };
            // Put it in its container; close the containers that end here.
            loop {
                match stack.last_mut() {
                    None => return value,
                    Some(Frame::List(a)) => {
                        a.push(&value);
                    }
                    Some(Frame::Members(m, key)) => {
                        m.push((key.take().unwrap_or_default(), value));
                    }
                }
                match p.peek() {
                    b',' => {
                        p.i += 1;
                        if let Some(Frame::Members(_, key)) = stack.last_mut() {
                            *key = Some(p.string());
                            p.i += 1; // ':'
                        }
                        break;
                    }
                    _ => {
                        p.i += 1; // ']' or '}'
                        value = match stack.pop() {
                            Some(Frame::List(a)) => a.into(),
                            Some(Frame::Members(m, _)) => self.object(m),
                            None => return JsValue::NULL,
                        };
                    }
                }
            }
        }
    }

    fn object(&self, members: Vec<(String, JsValue)>) -> JsValue {
        let as_map = match self.maps {
            Maps::Object => false,
            Maps::Always => true,
            Maps::Ordered => reorders(members.iter().map(|(k, _)| k.as_str())),
        };
        if as_map {
            let map = Map::new();
            for (k, v) in members {
                map.set(&JsValue::from_str(&k), &v);
            }
            return map.into();
        }
        let obj = Object::new();
        for (k, v) in members {
            let key = JsValue::from_str(&k);
            if k == "__proto__" {
                // An own property, as JSON.parse makes it, not the prototype setter.
                let desc = Object::new();
                jsobj::set(&desc, "value", &v);
                for flag in ["writable", "enumerable", "configurable"] {
                    jsobj::set(&desc, flag, &JsValue::TRUE);
                }
                Object::define_property(&obj, &key, &desc);
            } else {
                let _ = Reflect::set(&obj, &key, &v);
            }
        }
        obj.into()
    }

    fn number(&self, p: &mut Parser<'_>) -> JsValue {
        let start = p.i;
        let (end, int) = number_end(p.s, start);
        p.i = end.max(start + 1);
        let text = std::str::from_utf8(&p.s[start..end]).unwrap_or("0");
        if int {
            if let Ok(n) = text.parse::<i64>() {
                if (-SAFE..=SAFE).contains(&n) {
                    return JsValue::from_f64(n as f64);
                }
                return match self.big {
                    Big::BigInt => BigInt::from(n).into(),
                    Big::String => JsValue::from_str(text),
                };
            }
        }
        JsValue::from_f64(vpsgate::php::parse_float(text).unwrap_or(f64::NAN))
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.i).copied().unwrap_or(b']')
    }

    /// The string at `i` (which is `"`), unescaped; `i` moves past it.
    fn string(&mut self) -> String {
        let start = self.i + 1;
        let end = string_end(self.s, start);
        self.i = end;
        let raw = &self.s[start..end.saturating_sub(1).max(start)];
        if memchr::memchr(b'\\', raw).is_none() {
            return String::from_utf8_lossy(raw).into_owned();
        }
        let mut out: Vec<u8> = Vec::with_capacity(raw.len());
        let mut j = 0;
        while j < raw.len() {
            if raw[j] != b'\\' {
                out.push(raw[j]);
                j += 1;
                continue;
            }
            let c = raw.get(j + 1).copied().unwrap_or(b'\\');
            j += 2;
            let simple = match c {
                b'b' => Some(0x08),
                b'f' => Some(0x0c),
                b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'u' => None,
                other => Some(other),
            };
            if let Some(b) = simple {
                out.push(b);
                continue;
            }
            let hex = |k: usize| {
                raw.get(k..k + 4)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            let mut code = hex(j).unwrap_or(0xfffd);
            j += 4;
            if (0xd800..0xdc00).contains(&code)
                && raw.get(j) == Some(&b'\\')
                && raw.get(j + 1) == Some(&b'u')
            {
                if let Some(low) = hex(j + 2).filter(|l| (0xdc00..0xe000).contains(l)) {
                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                    j += 6;
                }
            }
            let ch = char::from_u32(code).unwrap_or('\u{fffd}');
            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// A JS value read for `encodePhp`.
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Bytes(Vec<u8>),
    List(Vec<Node>),
    Map(Vec<(NodeKey, Node)>),
}

enum NodeKey {
    Int(i64),
    Bytes(Vec<u8>),
}

impl NodeKey {
    /// PHP's key normalisation: canonical decimal integers in 64-bit range are int keys.
    fn from_str(s: String) -> NodeKey {
        let b = s.as_bytes();
        let digits = b.strip_prefix(b"-").unwrap_or(b);
        let canonical = !digits.is_empty()
            && digits.iter().all(u8::is_ascii_digit)
            && (digits[0] != b'0' || b == b"0");
        match s.parse::<i64>() {
            Ok(n) if canonical => NodeKey::Int(n),
            _ => NodeKey::Bytes(s.into_bytes()),
        }
    }
}

impl Serialize for NodeKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            NodeKey::Int(n) => s.serialize_i64(*n),
            NodeKey::Bytes(b) => s.serialize_bytes(b),
        }
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Int(n) => s.serialize_i64(*n),
            Node::Float(f) => s.serialize_f64(*f),
            Node::Bytes(b) => s.serialize_bytes(b),
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Nesting `encodePhp` follows before it assumes a cycle.
const MAX_ENCODE_DEPTH: usize = 512;

fn serialize_error(message: impl Into<String>) -> vpsgate::Error {
    vpsgate::Error::Serialize(message.into())
}

fn node_key(k: &JsValue) -> Result<NodeKey, vpsgate::Error> {
    if let Some(s) = k.as_string() {
        return Ok(NodeKey::from_str(s));
    }
    if let Some(n) = k.as_f64() {
        if n.fract() == 0.0 && n.abs() <= SAFE as f64 {
            return Ok(NodeKey::Int(n as i64));
        }
        return Err(serialize_error(format!(
            "map key {n} is not an integer a PHP key can be"
        )));
    }
    if k.is_bigint() {
        return big_to_i64(k).map(NodeKey::Int);
    }
    Err(serialize_error(
        "a map key must be a string, an integer or a BigInt",
    ))
}

fn big_to_i64(v: &JsValue) -> Result<i64, vpsgate::Error> {
    let text: String = BigInt::unchecked_from_js_ref(v)
        .to_string(10)
        .map(String::from)
        .unwrap_or_default();
    text.parse::<i64>()
        .map_err(|_| serialize_error(format!("BigInt {text} does not fit PHP's 64-bit int")))
}

fn node(v: &JsValue, depth: usize) -> Result<Node, vpsgate::Error> {
    if depth > MAX_ENCODE_DEPTH {
        return Err(serialize_error(format!(
            "nesting deeper than {MAX_ENCODE_DEPTH} (a cycle?)"
        )));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Node::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Node::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        // Integral numbers within 64 bits are PHP ints; the rest (and -0, NaN, ±Inf) floats.
        let int = n.fract() == 0.0 && n.abs() < 9.2e18 && !(n == 0.0 && n.is_sign_negative());
        return Ok(if int {
            Node::Int(n as i64)
        } else {
            Node::Float(n)
        });
    }
    if v.is_bigint() {
        return big_to_i64(v).map(Node::Int);
    }
    if let Some(s) = v.as_string() {
        return Ok(Node::Bytes(s.into_bytes()));
    }
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        return Ok(Node::Bytes(a.to_vec()));
    }
    if Array::is_array(v) {
        let a: &Array = v.unchecked_ref();
        let mut items = Vec::with_capacity(a.length() as usize);
        for item in a.iter() {
            items.push(node(&item, depth + 1)?);
        }
        return Ok(Node::List(items));
    }
    if let Some(m) = v.dyn_ref::<Map>() {
        let mut entries = Vec::with_capacity(m.size() as usize);
        let mut failure = None;
        m.for_each(&mut |value, key| {
            if failure.is_none() {
                match node_key(&key).and_then(|k| Ok((k, node(&value, depth + 1)?))) {
                    Ok(entry) => entries.push(entry),
                    Err(e) => failure = Some(e),
                }
            }
        });
        return match failure {
            Some(e) => Err(e),
            None => Ok(Node::Map(entries)),
        };
    }
    if v.is_function() || v.is_symbol() {
        return Err(serialize_error("functions and symbols have no PHP form"));
    }
    if let Some(obj) = v.dyn_ref::<Object>() {
        let mut entries = Vec::new();
        for key in Object::keys(obj).iter() {
            let value = Reflect::get(obj, &key).unwrap_or(JsValue::NULL);
            entries.push((node_key(&key)?, node(&value, depth + 1)?));
        }
        return Ok(Node::Map(entries));
    }
    Err(serialize_error("a value of this type has no PHP form"))
}

/// PHP `serialize()` of a JS value, as bytes: `null`/`undefined` → `N;`, booleans → `b:`,
/// integral numbers and `BigInt`s in 64-bit range → `i:`, other numbers → `d:` (PHP's
/// shortest form, `NAN`, `INF`), strings → `s:` (UTF-8), `Uint8Array` → `s:` (the bytes as
/// they are), arrays → lists, `Map`s and plain objects → arrays in their order (numeric-string
/// keys become int keys, as PHP makes them). Anything else is a `VpsgateError` code 4.
#[wasm_bindgen(js_name = encodePhp)]
pub fn encode_php(value: JsValue) -> Result<Uint8Array, JsValue> {
    let tree = js(node(&value, 0))?;
    let bytes = js(vpsgate::php::to_vec(&tree))?;
    Ok(Uint8Array::from(bytes.as_slice()))
}

fn field_text(obj: &Object, key: &'static str) -> Result<Option<String>, vpsgate::Error> {
    let v = jsobj::get(obj, key);
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else if let Some(s) = v.as_string() {
        Ok(Some(s))
    } else if let Some(n) = v.as_f64().filter(|n| n.fract() == 0.0) {
        Ok(Some(format!("{}", n as i64)))
    } else {
        Err(invalid(key, "must be a string or an integer"))
    }
}

/// The GoVPSFX md5 `hash` of `{rate?, term?, server_id?, partner_code?}` (the fields a request
/// carries) with the partner secret: lower-case hex.
#[wasm_bindgen]
pub fn sign(fields: JsValue, secret: JsValue) -> Result<String, JsValue> {
    let obj = js(jsobj::copy(&fields, "fields"))?;
    let mut values = Vec::new();
    for key in ["rate", "term", "server_id", "partner_code"] {
        values.push(js(field_text(&obj, key))?);
        jsobj::take(&obj, key);
    }
    if let Some(key) = Object::keys(&obj).get(0).as_string() {
        return Err(crate::error::to_js(&invalid(
            "fields",
            format!("`{key}` is not a signed field (rate, term, server_id, partner_code)"),
        )));
    }
    let secret = secret
        .as_string()
        .ok_or_else(|| crate::error::to_js(&invalid("secret", "must be a string")))?;
    let fields = SignedFields {
        rate: values[0].as_deref(),
        term: values[1].as_deref(),
        server_id: values[2].as_deref(),
        partner_code: values[3].as_deref(),
    };
    Ok(signature(&fields, &PartnerSecret::new(secret)))
}
