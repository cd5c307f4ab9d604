//! The wasm layer in Node (`wasm-bindgen-test-runner`): errors as JS objects, the codec, the
//! configuration, and the fetch transport against injected fetch functions.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use vpsgate_wasm::clients::{Friendhosting, Govpsfx, Lifecycle};
use vpsgate_wasm::codec::{decode_php, encode_php, set_msgpack_decoder, sign};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn obj(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn code(e: &JsValue) -> f64 {
    prop(e, "code").as_f64().unwrap()
}

fn json(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

/// A fetch that answers every request with `status` and `body` (and records the request body).
fn canned(status: u16, body: &str) -> Function {
    Function::new_with_args(
        "url, init",
        &format!(
            "globalThis.lastUrl = url; globalThis.lastBody = new TextDecoder().decode(init.body || new Uint8Array()); \
             return Promise.resolve(new Response({body:?}, {{status: {status}}}));"
        ),
    )
}

fn with_fetch(config: &str, fetch: &Function) -> JsValue {
    let c = obj(config);
    Reflect::set(&c, &"fetch".into(), fetch).unwrap();
    c
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
fn errors_are_real_error_objects() {
    let e = decode_php(JsValue::from_str("a:1:{i:0;"), JsValue::UNDEFINED).unwrap_err();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(prop(&e, "name").as_string().unwrap(), "VpsgateError");
    assert_eq!(code(&e), 2.0);
    assert_eq!(prop(&e, "codeName").as_string().unwrap(), "php_syntax");
    assert_eq!(prop(&e, "offset").as_f64(), Some(9.0));
    assert!(prop(&e, "upstreamCode").is_null());
}

#[wasm_bindgen_test]
fn decode_shapes_and_options() {
    let v = decode_php(
        JsValue::from_str(r#"a:3:{i:0;s:6:"мир";i:1;d:0.5;i:2;b:1;}"#),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(json(&v), r#"["мир",0.5,true]"#);
    // Invalid UTF-8 becomes U+FFFD, as json_encode's JSON_INVALID_UTF8_SUBSTITUTE.
    let bytes = Uint8Array::from(&b"s:3:\"a\xffb\";"[..]);
    let v = decode_php(bytes.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(v.as_string().unwrap(), "a\u{fffd}b");
    // Beyond 2^53: BigInt by default, the decimal string on request, never a rounded number.
    let big = "a:1:{s:1:\"n\";i:9223372036854775807;}";
    let v = decode_php(JsValue::from_str(big), JsValue::UNDEFINED).unwrap();
    assert!(prop(&v, "n").is_bigint());
    let v = decode_php(JsValue::from_str(big), obj(r#"{"bigint":"string"}"#)).unwrap();
    assert_eq!(prop(&v, "n").as_string().unwrap(), "9223372036854775807");
    // Key order a plain object would change comes back as a Map with "ordered".
    let sparse = "a:2:{i:5;s:1:\"a\";i:1;s:1:\"b\";}";
    let v = decode_php(JsValue::from_str(sparse), obj(r#"{"maps":"ordered"}"#)).unwrap();
    let m: js_sys::Map = v.dyn_into().unwrap();
    let keys: Vec<String> = js_sys::Array::from(&m.keys().into())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(keys, ["5", "1"]);
    let v = decode_php(
        JsValue::from_str("a:1:{i:0;i:1;}"),
        obj(r#"{"maps":"ordered"}"#),
    )
    .unwrap();
    assert!(js_sys::Array::is_array(&v));
    let e = decode_php(JsValue::from_str("N;"), obj(r#"{"map":true}"#)).unwrap_err();
    assert_eq!(prop(&e, "field").as_string().unwrap(), "options");
}

#[wasm_bindgen_test]
fn proto_keys_stay_own_properties() {
    let v = decode_php(
        JsValue::from_str("a:1:{s:9:\"__proto__\";i:1;}"),
        obj(r#"{"bigint":"string","maps":"ordered"}"#),
    )
    .unwrap();
    assert_eq!(json(&v), r#"{"__proto__":1}"#);
    // Still a plain object: its prototype is Object.prototype, not the decoded value.
    let proto = Object::get_prototype_of(&v);
    assert_eq!(
        JsValue::from(proto),
        JsValue::from(Object::get_prototype_of(&Object::new()))
    );
}

/// The MessagePack path: with a decoder installed, `decodePhp` hands it the core's MessagePack
/// (here a recording stand-in for the package's msgpackr) and returns what it gives; what that
/// path does not carry, and the `maps` options, go through `JSON.parse`. Sync, and the decoder
/// is removed at the end, so no other test sees it.
#[wasm_bindgen_test]
fn msgpack_path_is_taken_where_it_carries_the_value() {
    let recorder = Function::new_with_args(
        "b",
        "globalThis.packed = Array.from(b); return {from: 'msgpack'};",
    );
    set_msgpack_decoder(recorder.into()).unwrap();
    let packed = || json(&Reflect::get(&js_sys::global(), &"packed".into()).unwrap());
    let v = decode_php(
        JsValue::from_str("a:2:{i:0;i:7;i:1;d:0.5;}"),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(json(&v), r#"{"from":"msgpack"}"#);
    assert_eq!(
        packed(),
        "[214,98,0,0,0,15,146,7,203,63,224,0,0,0,0,0,0,160,160]"
    );
    // Not carried: an integer beyond 2^53, a `__proto__` key, a string that is not UTF-8; and
    // the maps option. Each is the JSON path's exact value.
    let big = decode_php(JsValue::from_str("i:9007199254740993;"), JsValue::UNDEFINED).unwrap();
    assert!(big.is_bigint());
    let proto = decode_php(
        JsValue::from_str("a:1:{s:9:\"__proto__\";i:1;}"),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(json(&proto), r#"{"__proto__":1}"#);
    let bytes = Uint8Array::from(&b"s:2:\"\xff\xfe\";"[..]);
    let bad = decode_php(bytes.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(bad.as_string().as_deref(), Some("\u{fffd}\u{fffd}"));
    let ordered = decode_php(
        JsValue::from_str("a:2:{i:5;s:1:\"a\";i:1;s:1:\"b\";}"),
        obj(r#"{"maps":"ordered"}"#),
    )
    .unwrap();
    assert!(ordered.is_instance_of::<js_sys::Map>());
    // Errors are the JSON path's, offset included.
    let e = decode_php(JsValue::from_str("a:1:{i:0;"), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(code(&e), 2.0);
    // A decoder that throws: the JSON path's value, not its exception.
    let thrower = Function::new_with_args("b", "throw new Error('broken decoder');");
    set_msgpack_decoder(thrower.into()).unwrap();
    let v = decode_php(
        JsValue::from_str("a:2:{i:0;i:7;i:1;d:0.5;}"),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(json(&v), "[7,0.5]");
    // Refused: a decoder that is not a function. Removed: the JSON path again.
    let e = set_msgpack_decoder(JsValue::from_str("unpack")).unwrap_err();
    assert_eq!(code(&e), 1.0);
    set_msgpack_decoder(JsValue::UNDEFINED).unwrap();
    let v = decode_php(
        JsValue::from_str("a:2:{i:0;i:7;i:1;d:0.5;}"),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(json(&v), "[7,0.5]");
}

#[wasm_bindgen_test]
fn encode_round_trips() {
    let value = obj(r#"{"a":[1,2.5,"ж"],"7":null,"b":true}"#);
    let bytes = encode_php(value).unwrap().to_vec();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "a:3:{i:7;N;s:1:\"a\";a:3:{i:0;i:1;i:1;d:2.5;i:2;s:2:\"ж\";}s:1:\"b\";b:1;}"
    );
    let f = Function::new_no_args("return () => 1");
    let e = encode_php(f.call0(&JsValue::NULL).unwrap()).unwrap_err();
    assert_eq!(code(&e), 4.0);
}

#[wasm_bindgen_test]
fn sign_matches_the_document() {
    let fields = obj(r#"{"rate":"singapore","term":1,"partner_code":"14321"}"#);
    assert_eq!(
        sign(fields, "sdsd4223dsd".into()).unwrap(),
        "8cfff6fb2b39a4f0c9d6d7413e9439f6"
    );
}

#[wasm_bindgen_test]
fn config_errors_name_the_field_and_hide_secrets() {
    let Err(e) = Friendhosting::new(obj(r#"{"api_key":"hunter2"}"#)) else {
        panic!("accepted");
    };
    assert_eq!(code(&e), 1.0);
    assert_eq!(prop(&e, "field").as_string().unwrap(), "login");
    let Err(e) = Friendhosting::new(obj(r#"{"login":"x","api_key":12345678}"#)) else {
        panic!("accepted");
    };
    assert_eq!(prop(&e, "field").as_string().unwrap(), "api_key");
    assert!(!prop(&e, "message")
        .as_string()
        .unwrap()
        .contains("12345678"));
    let Err(e) = Govpsfx::new(obj(r#"{"provider":"friendhosting"}"#)) else {
        panic!("accepted");
    };
    assert_eq!(prop(&e, "field").as_string().unwrap(), "provider");
    let Err(e) = Lifecycle::new(obj(
        r#"{"provider":"govpsfx","partner_code":"1","secret":"hunter2","colour":1}"#,
    )) else {
        panic!("accepted");
    };
    let text = prop(&e, "message").as_string().unwrap();
    assert!(
        text.contains("colour") && !text.contains("hunter2"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn gateway_answer_through_an_injected_fetch() {
    let fetch = canned(
        200,
        r#"a:3:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:5:"12.50";s:8:"currency";s:3:"EUR";}"#,
    );
    let fh = Friendhosting::new(with_fetch(
        r#"{"endpoint":"https://gw.example/apih.php","login":"demo","api_key":"k"}"#,
        &fetch,
    ))
    .unwrap();
    let answer = settle(fh.get_balance(JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(prop(&answer, "command").as_string().unwrap(), "getBalance");
    assert_eq!(
        prop(&prop(&answer, "data"), "balance").as_string().unwrap(),
        "12.50"
    );
    let sent = Reflect::get(&js_sys::global(), &"lastBody".into()).unwrap();
    assert_eq!(
        sent.as_string().unwrap(),
        "command=getBalance&login=demo&apikey=k"
    );
}

#[wasm_bindgen_test]
async fn unreadable_answer_keeps_the_raw_body() {
    let fetch = canned(200, "<html>oops</html>");
    let fh = Friendhosting::new(with_fetch(
        r#"{"endpoint":"https://gw.example/apih.php","login":"demo","api_key":"secret-key"}"#,
        &fetch,
    ))
    .unwrap();
    let e = settle(fh.get_balance(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(code(&e), 5.0);
    assert_eq!(
        prop(&e, "rawBody").as_string().unwrap(),
        "<html>oops</html>"
    );
    assert!(!prop(&e, "message")
        .as_string()
        .unwrap()
        .contains("secret-key"));
}

#[wasm_bindgen_test]
async fn transport_failures_have_their_codes() {
    let config =
        r#"{"provider":"govpsfx","endpoint":"https://fx.example","partner_code":"1","secret":"s"}"#;
    // A redirect is never followed.
    let fetch = Function::new_no_args(
        "return Promise.resolve(new Response('', {status: 302, headers: {location: 'https://elsewhere.example/'}}))",
    );
    let fx = Lifecycle::new(with_fetch(config, &fetch)).unwrap();
    let e = settle(fx.terminate(obj(r#"{"id":"S1"}"#), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(code(&e), 18.0);
    // A fetch that never answers times out.
    let never = Function::new_with_args(
        "url, init",
        "return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)))",
    );
    let fx = Lifecycle::new(with_fetch(config, &never)).unwrap();
    let e = settle(fx.terminate(obj(r#"{"id":"S1"}"#), obj(r#"{"timeout_ms":20}"#)))
        .await
        .unwrap_err();
    assert_eq!(code(&e), 15.0);
    // A rejected fetch whose cause shows nothing was sent (Node's refused connection) is
    // "connect"; one that may have come after sending (a reset, a browser's bare TypeError) is
    // "transport".
    let refused = Function::new_no_args(
        "return Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))",
    );
    let fx = Lifecycle::new(with_fetch(config, &refused)).unwrap();
    let e = settle(fx.terminate(obj(r#"{"id":"S1"}"#), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(code(&e), 16.0);
    for cause in [
        "undefined",
        "Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })",
        "Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })",
    ] {
        let dropped = Function::new_no_args(&format!(
            "return Promise.reject(new TypeError('fetch failed', {{ cause: {cause} }}))"
        ));
        let fx = Lifecycle::new(with_fetch(config, &dropped)).unwrap();
        let e = settle(fx.terminate(obj(r#"{"id":"S1"}"#), JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 19.0, "{cause}");
    }
    // Plain http to a remote host is refused before sending.
    let fx = Lifecycle::new(with_fetch(
        r#"{"provider":"govpsfx","endpoint":"http://fx.example","partner_code":"1","secret":"s"}"#,
        &refused,
    ))
    .unwrap();
    let e = settle(fx.terminate(obj(r#"{"id":"S1"}"#), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(code(&e), 17.0);
    // An operation the provider lacks sends nothing.
    let e = settle(fx.suspend(obj(r#"{"id":"S1"}"#), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(code(&e), 14.0);
}

#[wasm_bindgen_test]
async fn a_fetch_that_ignores_its_signal_still_times_out_and_aborts() {
    // Never settles and never looks at init.signal (a custom fetch, a relay that hangs).
    let deaf = Function::new_no_args("return new Promise(() => {})");
    let config = r#"{"endpoint":"https://gw.example/apih.php","login":"demo","api_key":"k"}"#;
    let fh = Friendhosting::new(with_fetch(config, &deaf)).unwrap();
    let e = settle(fh.get_balance(obj(r#"{"timeout_ms":20}"#)))
        .await
        .unwrap_err();
    assert_eq!(code(&e), 15.0);
    assert!(prop(&e, "message")
        .as_string()
        .unwrap()
        .contains("within 20 ms"));
    // The caller's AbortSignal ends it too: 19, not 15.
    let controller = Function::new_no_args("return new AbortController()")
        .call0(&JsValue::UNDEFINED)
        .unwrap();
    let options = js_sys::Object::new();
    Reflect::set(&options, &"signal".into(), &prop(&controller, "signal")).unwrap();
    let pending = fh.get_balance(options.into());
    let abort: Function = prop(&controller, "abort").unchecked_into();
    abort.call0(&controller).unwrap();
    let e = settle(pending).await.unwrap_err();
    assert_eq!(code(&e), 19.0);
    assert!(prop(&e, "message")
        .as_string()
        .unwrap()
        .contains("AbortSignal"));
}
