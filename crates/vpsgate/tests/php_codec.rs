//! The PHP codec from the outside: serde round trips, property tests, and a handful of
//! byte-for-byte comparisons with real PHP (skipped loudly without `php`, unless
//! `VPSGATE_REQUIRE_PHP=1`).

use std::collections::BTreeMap;
use std::process::Command;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use vpsgate::php::{self, Array, ErrorKind, Key, Value};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Plan {
    id: i64,
    name: String,
    price: f64,
    tags: Vec<String>,
    note: Option<String>,
    flag: bool,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
enum State {
    Active,
    Limit(i64),
    Pair(i64, String),
    Suspended { reason: String },
}

fn plan() -> Plan {
    Plan {
        id: 7,
        name: "web \"1\";".into(),
        price: 4.5,
        tags: vec!["a".into(), "b".into()],
        note: None,
        flag: true,
    }
}

#[test]
fn serde_round_trip_struct_and_enums() {
    let bytes = php::to_vec(&plan()).unwrap();
    assert_eq!(
        bytes,
        b"a:6:{s:2:\"id\";i:7;s:4:\"name\";s:8:\"web \"1\";\";s:5:\"price\";d:4.5;s:4:\"tags\";a:2:{i:0;s:1:\"a\";i:1;s:1:\"b\";}s:4:\"note\";N;s:4:\"flag\";b:1;}"
    );
    assert_eq!(php::from_bytes::<Plan>(&bytes).unwrap(), plan());
    for (s, want) in [
        (State::Active, &b"s:6:\"Active\";"[..]),
        (State::Limit(3), b"a:1:{s:5:\"Limit\";i:3;}"),
        (
            State::Pair(1, "x".into()),
            b"a:1:{s:4:\"Pair\";a:2:{i:0;i:1;i:1;s:1:\"x\";}}",
        ),
        (
            State::Suspended { reason: "r".into() },
            b"a:1:{s:9:\"Suspended\";a:1:{s:6:\"reason\";s:1:\"r\";}}",
        ),
    ] {
        let b = php::to_vec(&s).unwrap();
        assert_eq!(b, want, "{s:?}");
        assert_eq!(php::from_bytes::<State>(&b).unwrap(), s);
    }
}

#[test]
fn serializer_maps_and_errors() {
    let mut m = BTreeMap::new();
    m.insert("01".to_string(), 1);
    m.insert("1".to_string(), 2);
    m.insert("x".to_string(), 3);
    // "1" is written as the int key PHP would store.
    assert_eq!(
        php::to_vec(&m).unwrap(),
        b"a:3:{s:2:\"01\";i:1;i:1;i:2;s:1:\"x\";i:3;}"
    );
    let mut m = BTreeMap::new();
    m.insert((1, 2), 3);
    assert!(matches!(
        php::to_vec(&m),
        Err(vpsgate::Error::Serialize(msg)) if msg.contains("key")
    ));
    assert!(matches!(
        php::to_vec(&u64::MAX),
        Err(vpsgate::Error::Serialize(_))
    ));
    // Unknown-length sequences get their count written afterwards.
    struct Iter;
    impl Serialize for Iter {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq((0..3).filter(|i| i % 2 == 0))
        }
    }
    assert_eq!(php::to_vec(&Iter).unwrap(), b"a:2:{i:0;i:0;i:1;i:2;}");
    // Flattened structs are maps of unknown length.
    #[derive(Serialize)]
    struct Outer {
        a: i64,
        #[serde(flatten)]
        inner: BTreeMap<String, i64>,
    }
    let o = Outer {
        a: 1,
        inner: [("b".to_string(), 2)].into_iter().collect(),
    };
    assert_eq!(
        php::to_vec(&o).unwrap(),
        b"a:2:{s:1:\"a\";i:1;s:1:\"b\";i:2;}"
    );
}

#[test]
fn errors_are_typed_with_offsets() {
    let e = php::parse(b"a:1:{i:0;s:50:\"abc\";}").unwrap_err();
    assert_eq!(e.offset, Some(11));
    assert!(matches!(
        e.kind,
        ErrorKind::LengthExceedsInput {
            declared: 50,
            remaining: 6
        }
    ));
    let wrapped: vpsgate::Error = e.into();
    assert_eq!(wrapped.code(), vpsgate::ErrorCode::PhpSyntax);
    assert!(wrapped.to_string().contains("at byte 11"), "{wrapped}");
}

fn class_name() -> impl Strategy<Value = Vec<u8>> {
    "[A-Za-z_][A-Za-z0-9_\\\\]{0,8}".prop_map(String::into_bytes)
}

fn leaf() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        prop_oneof![
            Just(0.1),
            Just(-0.0),
            Just(1e25),
            Just(1e-7),
            Just(f64::NAN)
        ]
        .prop_map(Value::Float),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(|s| Value::String(s.into())),
        (class_name(), proptest::collection::vec(any::<u8>(), 0..12))
            .prop_map(|(class, payload)| Value::custom(class, payload)),
        (class_name(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(class, case)| Value::enum_case(class, case)),
    ]
}

fn array_key() -> impl Strategy<Value = Key<'static>> {
    prop_oneof![
        (-3i64..20).prop_map(Key::Int),
        any::<i64>().prop_map(Key::Int),
        proptest::collection::vec(any::<u8>(), 0..6).prop_map(Key::normalized),
        "-?[0-9]{1,3}".prop_map(Key::from),
    ]
}

fn value() -> impl Strategy<Value = Value<'static>> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec((array_key(), inner.clone()), 0..6).prop_map(|kv| {
                let mut a = Array::new();
                for (k, v) in kv {
                    a.insert(k, v);
                }
                Value::Array(a)
            }),
            (
                class_name(),
                proptest::collection::vec(
                    (proptest::collection::vec(any::<u8>(), 0..6), inner),
                    0..5
                )
            )
                .prop_map(|(class, kv)| {
                    let mut a = Array::new();
                    for (k, v) in kv {
                        a.insert_exact(Key::String(k.into()), v);
                    }
                    Value::object(class, a)
                }),
        ]
    })
}

proptest! {
    #[test]
    fn value_round_trips_through_php_format(v in value()) {
        let bytes = v.to_php();
        let back = php::parse(&bytes).unwrap();
        // Byte equality also covers NaN and the sign of zero.
        prop_assert_eq!(back.to_php(), bytes.clone());
        let has_nan = String::from_utf8_lossy(&bytes).contains("d:NAN;");
        if !has_nan {
            prop_assert_eq!(&back, &v);
        }
        // The typed decoder accepts everything the parser does.
        prop_assert!(php::from_bytes::<serde::de::IgnoredAny>(&bytes).is_ok());
        // JSON output is always valid JSON.
        let json = php::to_json(&back);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{}", json);
        // The direct transcoder writes the same bytes.
        let direct = php::to_json_bytes(&bytes, &php::Options::default()).unwrap();
        prop_assert_eq!(String::from_utf8(direct).unwrap(), json);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = php::parse(&bytes);
        let _ = php::from_bytes::<serde_json::Value>(&bytes);
        let _ = php::from_bytes::<serde::de::IgnoredAny>(&bytes);
    }

    #[test]
    fn mutated_input_never_panics_and_decoders_agree(
        v in value(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
    ) {
        let mut bytes = v.to_php();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 if i < bytes.len() => bytes[i] = byte,
                1 if i < bytes.len() => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        let parsed = php::parse(&bytes);
        let direct = php::to_json_bytes(&bytes, &php::Options::default());
        match (&parsed, &direct) {
            (Ok(v), Ok(j)) => prop_assert_eq!(php::to_json(v).into_bytes(), j.clone()),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "tree {:?} vs direct {:?}", parsed, direct),
        }
        let skipped = php::from_bytes::<serde::de::IgnoredAny>(&bytes);
        let _ = php::from_bytes::<serde_json::Value>(&bytes);
        // `r:` after a duplicate key is one documented divergence between the two; a cycle
        // that a duplicate key overwrites (accepted by `parse`, like PHP) is the other.
        let overwritten_cycle = matches!(
            (&parsed, &skipped),
            (Ok(_), Err(e)) if matches!(e.kind, ErrorKind::RecursiveReference { .. })
        );
        if !bytes.windows(2).any(|w| w == b"r:") && !overwritten_cycle {
            prop_assert_eq!(parsed.is_ok(), skipped.is_ok(), "{:?} {:?}", parsed, skipped);
        }
    }
}

/// Run `php -r code`; `None` (after a loud notice) when PHP is not installed, unless
/// `VPSGATE_REQUIRE_PHP=1`.
fn php_eval(code: &str) -> Option<Vec<u8>> {
    match Command::new("php").arg("-r").arg(code).output() {
        Ok(out) if out.status.success() => Some(out.stdout),
        Ok(out) => panic!("php failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => {
            if std::env::var("VPSGATE_REQUIRE_PHP").as_deref() == Ok("1") {
                panic!("VPSGATE_REQUIRE_PHP=1 but php cannot run: {e}");
            }
            eprintln!("SKIPPED: php not found ({e}); set VPSGATE_REQUIRE_PHP=1 to require it");
            None
        }
    }
}

#[test]
fn serializer_output_is_byte_identical_to_php() {
    let floats = [
        0.1,
        1e25,
        -0.0,
        1e-5,
        123456.789,
        1e15,
        1e16,
        1e17,
        2.5e-300,
        f64::MAX,
        f64::MIN_POSITIVE,
        -7.0,
        1.0 / 3.0,
    ];
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            php::to_vec(&plan()).unwrap(),
            r#"['id'=>7,'name'=>'web "1";','price'=>4.5,'tags'=>['a','b'],'note'=>null,'flag'=>true]"#,
        ),
        (
            php::to_vec(&floats).unwrap(),
            "[0.1, 1e25, -0.0, 1e-5, 123456.789, 1e15, 1e16, 1e17, 2.5e-300, PHP_FLOAT_MAX, PHP_FLOAT_MIN, -7.0, 1/3]",
        ),
        (
            php::to_vec(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]).unwrap(),
            "[NAN, INF, -INF]",
        ),
        (
            php::to_vec(
                &[("1", 1), ("01", 2), ("-5", 3), ("x", 4)]
                    .into_iter()
                    .collect::<Vec<_>>(),
            )
            .unwrap(),
            "[['1',1],['01',2],['-5',3],['x',4]]",
        ),
        (
            Value::object(
                &b"stdClass"[..],
                [("a", Value::Int(1)), ("b", Value::String(b"\xff\0"[..].into()))]
                    .into_iter()
                    .collect(),
            )
            .to_php(),
            r#"(function(){$o=new stdClass;$o->a=1;$o->b="\xff\0";return $o;})()"#,
        ),
        (
            {
                let mut a = Array::new();
                a.insert("1", Value::from("a"));
                a.insert("01", Value::from("b"));
                a.insert(-3, Value::Float(0.5));
                Value::Array(a).to_php()
            },
            r#"['1'=>'a','01'=>'b',-3=>0.5]"#,
        ),
    ];
    for (ours, expr) in cases {
        let Some(theirs) = php_eval(&format!("echo serialize({expr});")) else {
            return;
        };
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "{expr}"
        );
        assert_eq!(ours, theirs, "{expr}");
    }
}

#[test]
fn json_matches_php_json_encode() {
    let flags = "JSON_UNESCAPED_UNICODE|JSON_UNESCAPED_SLASHES|JSON_INVALID_UTF8_SUBSTITUTE|JSON_PRESERVE_ZERO_FRACTION";
    for src in [
        &b"a:3:{i:0;d:1.0E+25;i:1;d:100;i:2;s:4:\"\xff/\xe2\x80\";}"[..],
        b"a:2:{i:1;a:0:{}i:0;O:3:\"Foo\":2:{s:1:\"a\";N;s:4:\"\0*\0p\";i:1;}}",
        b"C:3:\"Foo\":3:{abc}",
        b"a:3:{i:0;s:1:\"x\";i:1;R:2;i:0;s:1:\"y\";}",
    ] {
        let hex: String = src.iter().map(|b| format!("\\x{b:02x}")).collect();
        let Some(theirs) = php_eval(&format!(
            "echo json_encode(unserialize(\"{hex}\", ['allowed_classes'=>false]), {flags});"
        )) else {
            return;
        };
        let ours = php::to_json(&php::parse(src).unwrap());
        assert_eq!(
            ours.as_bytes(),
            &theirs[..],
            "{}",
            String::from_utf8_lossy(src)
        );
    }
}
