//! Unit tests of the codec (grammar, errors, references, limits, writer).

#![allow(clippy::field_reassign_with_default)]
use super::*;

fn p(s: &[u8]) -> Value<'_> {
    parse(s).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(s)))
}
fn e(s: &[u8]) -> Error {
    match parse(s) {
        Ok(v) => panic!("{:?} parsed as {v:?}", String::from_utf8_lossy(s)),
        Err(e) => e,
    }
}
fn s(x: &str) -> Value<'static> {
    Value::String(x.as_bytes().to_vec().into())
}
fn arr(items: Vec<(Key<'static>, Value<'static>)>) -> Value<'static> {
    let mut a = Array::new();
    for (k, v) in items {
        a.insert_exact(k, v);
    }
    Value::Array(a)
}
fn ik(i: i64) -> Key<'static> {
    Key::Int(i)
}
fn sk(x: &str) -> Key<'static> {
    Key::String(x.as_bytes().to_vec().into())
}

#[test]
fn scalars() {
    assert_eq!(p(b"N;"), Value::Null);
    assert_eq!(p(b"b:1;"), Value::Bool(true));
    assert_eq!(p(b"b:0;"), Value::Bool(false));
    assert_eq!(p(b"i:-42;"), Value::Int(-42));
    assert_eq!(p(b"i:+0005;"), Value::Int(5));
    assert_eq!(p(b"i:-0;"), Value::Int(0));
    assert_eq!(p(b"i:9223372036854775807;"), Value::Int(i64::MAX));
    assert_eq!(p(b"i:-9223372036854775808;"), Value::Int(i64::MIN));
    assert_eq!(
        p(b"i:00000000000000000000000000001;"),
        Value::Int(1),
        "leading zeros do not count towards the 19-digit limit"
    );
}

#[test]
fn floats_every_form() {
    for (src, want) in [
        ("d:0.1;", 0.1),
        ("d:1.0E+25;", 1e25),
        ("d:1.;", 1.0),
        ("d:.5;", 0.5),
        ("d:-.5;", -0.5),
        ("d:+1.5e+3;", 1500.0),
        ("d:5;", 5.0),
        ("d:1e999;", f64::INFINITY),
        ("d:INF;", f64::INFINITY),
        ("d:-INF;", f64::NEG_INFINITY),
        ("d:1.0E-5;", 1e-5),
        ("d:5.0E-324;", 5e-324),
    ] {
        assert_eq!(p(src.as_bytes()), Value::Float(want), "{src}");
    }
    match p(b"d:-0;") {
        Value::Float(f) => assert!(f == 0.0 && f.is_sign_negative()),
        v => panic!("{v:?}"),
    }
    assert!(matches!(p(b"d:NAN;"), Value::Float(f) if f.is_nan()));
    for bad in [
        "d:-NAN;", "d:+INF;", "d:1.5e;", "d:.;", "d:;", "d:1..2;", "d:e5;", "d:1e+;",
    ] {
        assert!(parse(bad.as_bytes()).is_err(), "{bad} must be rejected");
    }
}

#[test]
fn strings_are_bytes() {
    assert_eq!(p(b"s:0:\"\";"), s(""));
    assert_eq!(p(b"s:5:\"a\";b\"\";"), s("a\";b\""));
    assert_eq!(
        p(b"s:3:\"\0\xff;\";"),
        Value::String(b"\0\xff;".to_vec().into())
    );
    assert_eq!(p(b"s:01:\"a\";"), s("a"));
    // parse_uiv wraps modulo 2^64 like PHP's.
    assert_eq!(p(b"s:18446744073709551617:\"a\";"), s("a"));
    assert_eq!(p(b"S:3:\"\\61bc\";"), s("abc"));
    assert_eq!(
        p(b"S:2:\"\\4A\\ff\";"),
        Value::String(b"J\xff".to_vec().into())
    );
    assert_eq!(p(b"s:2:\"\xc3\xa9\";").as_str(), Some("é"));
    assert_eq!(p(b"s:1:\"\xff\";").as_str(), None);
}

#[test]
fn string_errors_name_offset_and_expectation() {
    assert_eq!(
        e(b"s:99999999999:\"abc\";"),
        Error {
            offset: Some(2),
            kind: ErrorKind::LengthExceedsInput {
                declared: 99999999999,
                remaining: 5
            }
        }
    );
    assert_eq!(
        e(b"s:2:\"abc\";"),
        Error {
            offset: Some(7),
            kind: ErrorKind::UnexpectedByte {
                expected: "'\"' after the declared length",
                found: b'c'
            }
        }
    );
    assert_eq!(
        e(b"s:3:\"abc\""),
        Error {
            offset: Some(9),
            kind: ErrorKind::UnexpectedEnd { expected: "';'" }
        }
    );
    assert_eq!(e(b"s:-1:\"\";").offset, Some(2));
    assert_eq!(
        e(b"S:1:\"\\6g\";").kind,
        ErrorKind::UnexpectedByte {
            expected: "a hex digit after '\\'",
            found: b'g'
        }
    );
}

#[test]
fn scalar_errors() {
    assert_eq!(
        e(b"").kind,
        ErrorKind::UnexpectedEnd {
            expected: "a value"
        }
    );
    assert_eq!(
        e(b"b:2;"),
        Error {
            offset: Some(2),
            kind: ErrorKind::UnexpectedByte {
                expected: "'0' or '1'",
                found: b'2'
            }
        }
    );
    assert_eq!(e(b"i:;").offset, Some(2));
    assert_eq!(
        e(b"i:99999999999999999999;"),
        Error {
            offset: Some(2),
            kind: ErrorKind::IntegerOverflow
        }
    );
    assert_eq!(
        e(b"i:9223372036854775808;").kind,
        ErrorKind::IntegerOverflow
    );
    assert_eq!(
        e(b"i:-9223372036854775809;").kind,
        ErrorKind::IntegerOverflow
    );
    assert_eq!(
        e(b"x"),
        Error {
            offset: Some(0),
            kind: ErrorKind::UnexpectedByte {
                expected: "a value (one of N b i d s S a O C E r R)",
                found: b'x'
            }
        }
    );
    assert_eq!(e(b"}").offset, Some(0));
    assert_eq!(e(b"N").kind, ErrorKind::UnexpectedEnd { expected: "';'" });
}

#[test]
fn arrays_keys_and_normalisation() {
    assert_eq!(p(b"a:0:{}"), Value::Array(Array::new()));
    let v = p(b"a:7:{i:0;s:1:\"a\";s:1:\"1\";i:1;s:2:\"01\";i:2;s:2:\"-0\";i:3;s:2:\" 1\";i:4;s:3:\"1.0\";i:5;s:20:\"-9223372036854775808\";i:6;}");
    let keys: Vec<Key> = v.as_array().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        vec![
            ik(0),
            ik(1),
            sk("01"),
            sk("-0"),
            sk(" 1"),
            sk("1.0"),
            ik(i64::MIN)
        ]
    );
    let v = p(b"a:1:{s:19:\"9223372036854775808\";N;}");
    assert_eq!(
        v.as_array().unwrap().keys().next(),
        Some(&sk("9223372036854775808"))
    );
    assert_eq!(v.get("9223372036854775808"), Some(&Value::Null));
}

#[test]
fn duplicate_keys_replace_in_place() {
    let v = p(b"a:3:{s:1:\"a\";i:1;s:1:\"b\";i:2;s:1:\"a\";i:3;}");
    assert_eq!(
        v,
        arr(vec![(sk("a"), Value::Int(3)), (sk("b"), Value::Int(2))])
    );
    // "1" and 1 are the same key.
    let v = p(b"a:2:{i:1;s:1:\"x\";s:1:\"1\";s:1:\"y\";}");
    assert_eq!(v, arr(vec![(ik(1), s("y"))]));
    // Large array with duplicates (hash index path).
    let mut src = b"a:100:{".to_vec();
    for i in 0..100 {
        src.extend_from_slice(format!("i:{};i:{};", i % 40, i).as_bytes());
    }
    src.push(b'}');
    let v = p(&src);
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 40);
    assert_eq!(a.get(&ik(0)), Some(&Value::Int(80)));
    assert_eq!(a.get(&ik(39)), Some(&Value::Int(79)));
    assert_eq!(a.keys().nth(5), Some(&ik(5)));
}

/// Without references, the builder reads runs of scalars straight into their array
/// (`build::scalar_run`); a duplicate inside the run, a container between runs, every scalar
/// kind, an object's int property names and an error in the middle of a run come out as the
/// general loop gives them (and as PHP does).
#[test]
fn scalar_runs_keep_overwrites_order_and_errors() {
    // A duplicate early in the run: the first position keeps the last value.
    let v = p(b"a:4:{s:1:\"a\";i:1;s:1:\"a\";i:2;s:1:\"b\";N;s:1:\"c\";b:1;}");
    assert_eq!(
        v,
        arr(vec![
            (sk("a"), Value::Int(2)),
            (sk("b"), Value::Null),
            (sk("c"), Value::Bool(true)),
        ])
    );
    // A container between two runs, then a float and an escaped string.
    let v = p(b"a:4:{i:0;s:1:\"x\";i:1;a:1:{i:0;i:9;}i:2;d:0.5;i:3;S:1:\"\\41\";}");
    assert_eq!(
        v,
        arr(vec![
            (ik(0), s("x")),
            (ik(1), arr(vec![(ik(0), Value::Int(9))])),
            (ik(2), Value::Float(0.5)),
            (ik(3), s("A")),
        ])
    );
    // Object property 5 is the string "5": the later "5" overwrites it.
    let v = p(b"O:8:\"stdClass\":3:{i:5;i:1;s:1:\"5\";i:2;s:1:\"z\";i:3;}");
    let Value::Object(o) = &v else {
        panic!("an object: {v:?}")
    };
    assert_eq!(
        o.properties.iter().collect::<Vec<_>>(),
        vec![(&sk("5"), &Value::Int(2)), (&sk("z"), &Value::Int(3))]
    );
    // A bad value in the middle of a run: where it is, as the grammar words it.
    assert_eq!(
        e(b"a:3:{i:0;i:1;i:1;i:x;i:2;i:3;}"),
        Error {
            offset: Some(19),
            kind: ErrorKind::UnexpectedByte {
                expected: "a digit",
                found: b'x'
            }
        }
    );
    // A bad key in the middle of a run.
    assert_eq!(e(b"a:3:{i:0;i:1;N;i:1;i:2;i:3;}").offset, Some(13));
}

#[test]
fn array_errors() {
    assert_eq!(
        e(b"a:999999999:{"),
        Error {
            offset: Some(2),
            kind: ErrorKind::LengthExceedsInput {
                declared: 999999999,
                remaining: 0
            }
        }
    );
    assert_eq!(e(b"a:-1:{}").offset, Some(2));
    assert_eq!(
        e(b"a:1:{i:0;N;").kind,
        ErrorKind::UnexpectedEnd {
            expected: "'}' closing the array"
        }
    );
    for (src, off) in [
        (&b"a:1:{N;i:1;}"[..], 5),
        (b"a:1:{b:1;i:1;}", 5),
        (b"a:1:{d:1;i:1;}", 5),
        (b"a:1:{a:0:{}i:1;}", 5),
        (b"a:2:{i:0;O:1:\"A\":0:{}r:2;i:1;}", 21),
    ] {
        assert_eq!(
            e(src),
            Error {
                offset: Some(off),
                kind: ErrorKind::InvalidKey
            },
            "{}",
            String::from_utf8_lossy(src)
        );
    }
    // Fewer elements than declared.
    assert_eq!(
        e(b"a:2:{i:0;i:1;}"),
        Error {
            offset: Some(13),
            kind: ErrorKind::UnexpectedByte {
                expected: "an array key (i: or s:)",
                found: b'}'
            }
        }
    );
}

#[test]
fn objects_custom_enum_as_data() {
    let v = p(b"O:8:\"stdClass\":3:{s:1:\"a\";i:1;i:5;i:2;s:4:\"\0*\0b\";i:3;}");
    let Value::Object(o) = &v else {
        panic!("{v:?}")
    };
    let properties = &o.properties;
    assert_eq!(&o.class[..], b"stdClass");
    let keys: Vec<&Key> = properties.keys().collect();
    assert_eq!(keys, vec![&sk("a"), &sk("5"), &sk("\0*\0b")]);
    assert_eq!(v.get("5"), Some(&Value::Int(2)));
    // PHP's lenient element count: sign and no digits.
    assert!(matches!(p(b"O:1:\"A\"::{}"), Value::Object(o) if o.properties.is_empty()));
    assert!(
        matches!(p(b"O:1:\"A\":+1:{s:1:\"a\";N;}"), Value::Object(o) if o.properties.len() == 1)
    );
    assert_eq!(
        p(b"C:3:\"Foo\":3:{a}c}"),
        Value::custom(&b"Foo"[..], &b"a}c"[..])
    );
    assert_eq!(
        p(b"E:7:\"Foo:Bar\";"),
        Value::enum_case(&b"Foo"[..], &b"Bar"[..])
    );
    assert!(matches!(p(b"O:3:\"a\\b\":0:{}"), Value::Object(_)));
    assert!(matches!(p(b"O:3:\"1ab\":0:{}"), Value::Object(_)));
    for bad in [
        &b"O:1:\"-\":0:{}"[..],
        b"O:0:\"\":0:{}",
        b"O:1:\"\\\":0:{}",
        b"O:1:\"\0\":0:{}",
        b"E:3:\"Foo\";",
        b"E:4:\"Foo:\";",
        b"C:1:\"A\":2:{a}",
        b"C:1:\"A\":-1:{}",
        b"O:1:\"A\":-1:{}",
    ] {
        assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
    }
}

#[test]
fn references_like_php() {
    // R: shares a value (copied into the tree).
    let v = p(b"a:2:{i:0;a:1:{i:0;s:1:\"x\";}i:1;R:2;}");
    assert_eq!(
        v.as_array().unwrap().value_at(0),
        v.as_array().unwrap().value_at(1)
    );
    // Slot numbering: the array is 1, its values 2.., keys get none, R: gets none.
    let v = p(b"a:4:{i:0;i:10;i:1;R:2;i:2;i:30;i:3;R:3;}");
    assert_eq!(
        v,
        arr(vec![
            (ik(0), Value::Int(10)),
            (ik(1), Value::Int(10)),
            (ik(2), Value::Int(30)),
            (ik(3), Value::Int(30))
        ])
    );
    // r: must reference an object.
    let v = p(b"a:2:{i:0;O:8:\"stdClass\":0:{}i:1;r:2;}");
    assert_eq!(
        v.as_array().unwrap().value_at(0),
        v.as_array().unwrap().value_at(1)
    );
    assert_eq!(
        e(b"a:2:{i:0;i:5;i:1;r:2;}"),
        Error {
            offset: Some(17),
            kind: ErrorKind::BadReference { slot: 2 }
        }
    );
    // Missing slot, slot 0, top-level R:.
    assert_eq!(
        e(b"a:1:{i:0;R:9;}").kind,
        ErrorKind::BadReference { slot: 9 }
    );
    assert_eq!(
        e(b"a:1:{i:0;R:0;}").kind,
        ErrorKind::BadReference { slot: 0 }
    );
    assert_eq!(e(b"R:1;").kind, ErrorKind::BadReference { slot: 1 });
    assert_eq!(e(b"r:1;").kind, ErrorKind::BadReference { slot: 1 });
    // Cycles cannot be represented.
    assert_eq!(
        e(b"a:1:{s:1:\"a\";R:1;}"),
        Error {
            offset: Some(13),
            kind: ErrorKind::RecursiveReference { slot: 1 }
        }
    );
    assert_eq!(
        e(b"a:1:{i:0;a:1:{i:0;R:2;}}").kind,
        ErrorKind::RecursiveReference { slot: 2 }
    );
    assert_eq!(
        e(b"O:1:\"A\":1:{s:1:\"a\";r:1;}").kind,
        ErrorKind::RecursiveReference { slot: 1 }
    );
}

#[test]
fn references_after_duplicate_keys_follow_php_buckets() {
    // PHP: [0 => 'y', 1 => 'x'] (the reference was taken before the replacement).
    assert_eq!(
        p(b"a:3:{i:0;s:1:\"x\";i:1;R:2;i:0;s:1:\"y\";}"),
        arr(vec![(ik(0), s("y")), (ik(1), s("x"))])
    );
    // PHP: [0 => 'y', 1 => 'y'] (slot 2 now names the replaced bucket).
    assert_eq!(
        p(b"a:3:{i:0;s:1:\"x\";i:0;s:1:\"y\";i:1;R:2;}"),
        arr(vec![(ik(0), s("y")), (ik(1), s("y"))])
    );
    // The children of a replaced value keep their slots (slot 3 is the old 'x').
    assert_eq!(
        p(b"a:3:{i:0;a:1:{i:0;s:1:\"x\";}i:0;s:1:\"y\";i:1;R:3;}"),
        arr(vec![(ik(0), s("y")), (ik(1), s("x"))])
    );
}

#[test]
fn reference_expansion_is_bounded() {
    // Each level doubles the previous one: 2^40 values if expanded.
    let mut src = b"a:41:{i:0;a:2:{i:0;s:1:\"x\";i:1;s:1:\"x\";}".to_vec();
    // Slots: 1 outer, 2 level 0, 3-4 its strings, 4+i level i (R: takes no slot).
    let mut prev = 2;
    for i in 1..41 {
        src.extend_from_slice(format!("i:{i};a:2:{{i:0;R:{prev};i:1;R:{prev};}}").as_bytes());
        prev = 4 + i;
    }
    src.push(b'}');
    let t = std::time::Instant::now();
    let err = parse(&src).map(|_| ()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ExpansionLimit { limit: 1_000_000 });
    assert!(t.elapsed() < std::time::Duration::from_secs(30));
    // Byte bound: one big string referenced many times.
    let big = "x".repeat(1 << 20);
    let mut src = format!("a:101:{{i:0;s:{}:\"{big}\";", big.len()).into_bytes();
    for i in 1..101 {
        src.extend_from_slice(format!("i:{i};R:2;").as_bytes());
    }
    src.push(b'}');
    let mut o = Options::default();
    o.max_reference_bytes = 50 << 20;
    assert!(matches!(
        parse_with(&src, &o).unwrap_err().kind,
        ErrorKind::ExpansionLimit { .. }
    ));
    o.max_reference_bytes = 200 << 20;
    assert_eq!(parse_with(&src, &o).unwrap().as_array().unwrap().len(), 101);
}

fn nest(n: usize, inner: &str) -> Vec<u8> {
    let mut s = "a:1:{i:0;".repeat(n);
    s.push_str(inner);
    s.push_str(&"}".repeat(n));
    s.into_bytes()
}

#[test]
fn depth_limit_like_php() {
    assert!(parse(&nest(4096, "i:1;")).is_ok());
    assert!(
        parse(&nest(4096, "a:0:{}")).is_ok(),
        "empty arrays are not counted"
    );
    assert_eq!(
        e(&nest(4097, "i:1;")),
        Error {
            offset: Some(4096 * 9),
            kind: ErrorKind::DepthLimit { limit: 4096 }
        }
    );
    assert!(parse(&nest(4095, "O:1:\"A\":0:{}")).is_ok());
    assert_eq!(
        e(&nest(4096, "O:1:\"A\":0:{}")).kind,
        ErrorKind::DepthLimit { limit: 4096 }
    );
    // Far deeper input fails cleanly, without recursion.
    assert!(matches!(
        e(&nest(200_000, "N;")).kind,
        ErrorKind::DepthLimit { .. }
    ));
    let mut o = Options::default();
    o.max_depth = 3;
    assert!(parse_with(&nest(3, "N;"), &o).is_ok());
    assert!(parse_with(&nest(4, "N;"), &o).is_err());
}

#[test]
fn trailing_bytes_accepted_like_php_82() {
    assert_eq!(p(b"i:1;xyz"), Value::Int(1));
    let mut o = Options::default();
    o.reject_trailing_bytes = true;
    assert_eq!(
        parse_with(b"i:1;xyz", &o).unwrap_err(),
        Error {
            offset: Some(4),
            kind: ErrorKind::TrailingBytes
        }
    );
}

#[test]
fn php_float_format() {
    // Expected strings are PHP 8.2's serialize() output for the same doubles.
    let vals = [
        1e15,
        1e16,
        1e17,
        1e25,
        0.1,
        -0.0,
        1e-5,
        0.0001,
        100.0,
        1.5,
        123456789012345680.0,
        5e-324,
    ];
    let want = "a:12:{i:0;d:1000000000000000;i:1;d:10000000000000000;i:2;d:1.0E+17;i:3;d:1.0E+25;i:4;d:0.1;i:5;d:-0;i:6;d:1.0E-5;i:7;d:0.0001;i:8;d:100;i:9;d:1.5;i:10;d:1.2345678901234568E+17;i:11;d:5.0E-324;}";
    assert_eq!(String::from_utf8(to_vec(&vals).unwrap()).unwrap(), want);
    assert_eq!(
        to_vec(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]).unwrap(),
        b"a:3:{i:0;d:NAN;i:1;d:INF;i:2;d:-INF;}"
    );
    assert_eq!(Value::Float(-1.5e-7).to_php(), b"d:-1.5E-7;");
    assert_eq!(Value::Float(0.5).to_php(), b"d:0.5;");
    assert_eq!(Value::Float(123.456).to_php(), b"d:123.456;");
}

#[test]
fn value_writer_round_trips() {
    let src: &[u8] = b"a:6:{i:0;N;s:1:\"k\";b:1;i:-3;d:0.1;s:2:\"\xff\0\";O:3:\"Foo\":1:{s:4:\"\0*\0p\";a:0:{}}i:1;C:3:\"Bar\":2:{xy}i:2;E:7:\"Foo:Bar\";}";
    let v = p(src);
    assert_eq!(v.to_php(), src);
}

#[test]
fn array_api() {
    let mut a = Array::new();
    assert_eq!(a.insert("0", Value::Int(1)), None);
    assert_eq!(a.insert("x", Value::Int(2)), None);
    assert_eq!(a.insert(0, Value::Int(3)), Some(Value::Int(1)));
    assert_eq!(a.keys().cloned().collect::<Vec<_>>(), vec![ik(0), sk("x")]);
    assert!(!a.is_list());
    assert_eq!(a.get_str("0"), Some(&Value::Int(3)));
    assert_eq!(a.get(&sk("x")), Some(&Value::Int(2)));
    let l: Array = vec![Value::Null, Value::Bool(true)].into_iter().collect();
    assert!(l.is_list());
    let m: Array = [(1i64, Value::Null), (0, Value::Null)]
        .into_iter()
        .collect();
    assert!(!m.is_list());
    let collected: Vec<(Key, Value)> = l.into_iter().collect();
    assert_eq!(collected.len(), 2);
    let mut n = Array::new();
    n.insert(-5, Value::Null);
    n.push(Value::Int(1));
    n.insert(9, Value::Null);
    n.insert("x", Value::Null);
    n.push(Value::Int(2));
    assert_eq!(
        n.keys().cloned().collect::<Vec<_>>(),
        vec![ik(-5), ik(0), ik(9), sk("x"), ik(10)]
    );
    let mut big = Array::new();
    for i in 0..100 {
        big.push(Value::Int(i));
    }
    assert_eq!(big.get(&ik(99)), Some(&Value::Int(99)));
    assert_eq!(big.remove(&ik(50)), Some(Value::Int(50)));
    assert_eq!(big.get(&ik(51)), Some(&Value::Int(51)));
    assert_eq!(big.get(&ik(50)), None);
}

mod typed {
    #![allow(clippy::field_reassign_with_default)]
    use super::super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Server<'a> {
        id: i64,
        name: &'a str,
        ip: Option<String>,
        price: f64,
        active: bool,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn struct_borrows_str() {
        let src = b"a:5:{s:2:\"id\";i:7;s:4:\"name\";s:3:\"web\";s:2:\"ip\";N;s:5:\"price\";d:4.5;s:6:\"active\";b:1;}";
        let s: Server<'_> = from_bytes(src).unwrap();
        assert_eq!(
            s,
            Server {
                id: 7,
                name: "web",
                ip: None,
                price: 4.5,
                active: true,
                tags: vec![]
            }
        );
        // The &str points into the input.
        let start = src.as_ptr() as usize;
        let p = s.name.as_ptr() as usize;
        assert!(p >= start && p < start + src.len());
    }

    #[test]
    fn str_keys_and_values_borrow_when_other_strings_are_binary() {
        // The input as a whole is not UTF-8 (one binary string), so text is checked per string;
        // valid strings still borrow, the binary one is only readable as bytes.
        let src =
            b"a:3:{s:1:\"a\";s:2:\"\xc3\xa9\";s:1:\"b\";s:1:\"\xff\";s:4:\"name\";s:3:\"web\";}";
        let m: BTreeMap<&str, &[u8]> = from_bytes(src).unwrap();
        assert_eq!(m["a"], "\u{e9}".as_bytes());
        assert_eq!(m["b"], b"\xff");
        #[derive(Debug, Deserialize)]
        struct T<'a> {
            a: &'a str,
            name: &'a str,
        }
        let t: T<'_> = from_bytes(src).unwrap();
        assert_eq!((t.a, t.name), ("\u{e9}", "web"));
        let e = from_bytes::<BTreeMap<&str, &str>>(src).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Custom(_)), "{e}");
        assert_eq!(e.offset, Some(30), "{e}");
    }

    #[test]
    fn reference_text_inside_strings_changes_nothing() {
        // `R:`/`r:` inside string content makes the decoder keep slots; the result is the same.
        let plain = b"a:2:{i:0;s:3:\"abc\";i:1;s:2:\"xy\";}";
        let refy = b"a:2:{i:0;s:3:\";R:\";i:1;s:2:\"r:\";}";
        assert_eq!(from_bytes::<Vec<&str>>(plain).unwrap(), ["abc", "xy"]);
        assert_eq!(from_bytes::<Vec<&str>>(refy).unwrap(), [";R:", "r:"]);
        let v = parse(refy).unwrap();
        assert_eq!(v.get("0").and_then(Value::as_str), Some(";R:"));
        // A real reference still resolves.
        let r = b"a:2:{i:0;s:3:\"abc\";i:1;R:2;}";
        assert_eq!(from_bytes::<Vec<&str>>(r).unwrap(), ["abc", "abc"]);
        assert_eq!(
            parse(r).unwrap().get("1").and_then(Value::as_str),
            Some("abc")
        );
    }

    #[test]
    fn errors_carry_offsets() {
        // Missing field: reported at the struct's start.
        let e = from_bytes::<Server<'_>>(b"a:1:{s:2:\"id\";i:7;}").unwrap_err();
        assert_eq!(e.offset, Some(0));
        assert!(
            matches!(&e.kind, ErrorKind::Custom(m) if m.contains("name")),
            "{e}"
        );
        // Invalid type: reported at the offending value.
        let src = b"a:5:{s:2:\"id\";s:1:\"x\";s:4:\"name\";s:3:\"web\";s:2:\"ip\";N;s:5:\"price\";d:4.5;s:6:\"active\";b:1;}";
        let e = from_bytes::<Server<'_>>(src).unwrap_err();
        assert_eq!(e.offset, Some(14));
        assert!(matches!(e.kind, ErrorKind::Custom(_)));
        // Syntax errors keep theirs.
        let e = from_bytes::<Vec<i64>>(b"a:1:{i:0;i:x;}").unwrap_err();
        assert_eq!(e.offset, Some(11));
        // Non-UTF-8 into String fails, into bytes works.
        assert!(from_bytes::<String>(b"s:1:\"\xff\";").is_err());
        assert_eq!(from_bytes::<&[u8]>(b"s:1:\"\xff\";").unwrap(), b"\xff");
    }

    #[test]
    fn seq_ignores_keys_and_maps_keep_them() {
        let src = b"a:3:{i:10;s:1:\"a\";i:3;s:1:\"b\";s:1:\"x\";s:1:\"c\";}";
        let v: Vec<&str> = from_bytes(src).unwrap();
        assert_eq!(v, ["a", "b", "c"]);
        let m: BTreeMap<String, String> = from_bytes(src).unwrap();
        assert_eq!(m.get("10").map(String::as_str), Some("a"));
        let m: BTreeMap<i64, String> =
            from_bytes(b"a:2:{i:4;s:1:\"a\";s:1:\"5\";s:1:\"b\";}").unwrap();
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), vec![4, 5]);
        let j: serde_json::Value = from_bytes(src).unwrap();
        assert_eq!(j, serde_json::json!({"10": "a", "3": "b", "x": "c"}));
        let t: (i64, String) = from_bytes(b"a:2:{i:0;i:1;i:1;s:1:\"z\";}").unwrap();
        assert_eq!(t, (1, "z".to_string()));
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum State {
        Active,
        Suspended { reason: String },
        Limit(i64),
    }

    #[test]
    fn enums() {
        assert_eq!(
            from_bytes::<State>(b"s:6:\"Active\";").unwrap(),
            State::Active
        );
        assert_eq!(
            from_bytes::<State>(b"a:1:{s:5:\"Limit\";i:3;}").unwrap(),
            State::Limit(3)
        );
        assert_eq!(
            from_bytes::<State>(b"a:1:{s:9:\"Suspended\";a:1:{s:6:\"reason\";s:4:\"debt\";}}")
                .unwrap(),
            State::Suspended {
                reason: "debt".into()
            }
        );
        assert_eq!(
            from_bytes::<State>(b"E:12:\"State:Active\";").unwrap(),
            State::Active
        );
        assert!(from_bytes::<State>(b"s:4:\"Nope\";").is_err());
    }

    #[test]
    fn typed_from_value_follows_the_same_rules() {
        let s = parse(b"a:1:{s:9:\"Suspended\";a:1:{s:6:\"reason\";s:4:\"debt\";}}").unwrap();
        assert_eq!(
            from_value::<State>(&s).unwrap(),
            State::Suspended {
                reason: "debt".into()
            }
        );
        let name = parse(b"a:1:{s:4:\"name\";s:3:\"web\";}").unwrap();
        #[derive(Debug, Deserialize)]
        struct N<'a> {
            name: &'a str,
        }
        assert_eq!(from_value::<N<'_>>(&name).unwrap().name, "web");
        let e = from_value::<N<'_>>(&Value::Int(1)).unwrap_err();
        assert_eq!(e.offset, None, "a Value keeps no byte positions");
        assert!(matches!(e.kind, ErrorKind::Custom(_)));
    }

    #[test]
    fn references_replay() {
        let v: Vec<Vec<String>> = from_bytes(b"a:2:{i:0;a:1:{i:0;s:1:\"x\";}i:1;R:2;}").unwrap();
        assert_eq!(v, vec![vec!["x".to_string()], vec!["x".to_string()]]);
        // Skipped values still number their slots: field `b` refers to slot 4 ("y").
        #[derive(Deserialize)]
        struct Ab {
            b: String,
        }
        let ab: Ab = from_bytes(b"a:2:{s:1:\"a\";a:1:{i:0;s:1:\"y\";}s:1:\"b\";R:3;}").unwrap();
        assert_eq!(ab.b, "y");
        let o: Vec<Option<i64>> = from_bytes(b"a:2:{i:0;N;i:1;R:2;}").unwrap();
        assert_eq!(o, vec![None, None]);
        let e = from_bytes::<serde_json::Value>(b"a:1:{s:1:\"a\";R:1;}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::RecursiveReference { slot: 1 });
        let e = from_bytes::<serde_json::Value>(b"a:2:{i:0;i:5;i:1;r:2;}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadReference { slot: 2 });
        let e = from_bytes::<serde::de::IgnoredAny>(b"a:2:{i:0;i:5;i:1;R:3;}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadReference { slot: 3 });
    }

    #[test]
    fn long_r_chains_do_not_recurse() {
        // Each r: refers to the previous r: slot; replaying must not nest once per link.
        let n = 50_000;
        let mut src = format!("a:{n}:{{i:0;O:1:\"A\":1:{{s:1:\"p\";i:7;}}").into_bytes();
        for i in 1..n {
            let prev = if i == 1 { 2 } else { i + 2 };
            src.extend_from_slice(format!("i:{i};r:{prev};").as_bytes());
        }
        src.push(b'}');
        let v: Vec<serde_json::Value> = from_bytes(&src).unwrap();
        assert_eq!(v.len(), n);
        assert_eq!(v[n - 1], serde_json::json!({"p": 7}));
        let parsed = parse(&src).unwrap();
        assert_eq!(parsed.as_array().unwrap().len(), n);
    }

    #[test]
    fn reference_bomb_is_bounded() {
        let mut src = b"a:41:{i:0;a:2:{i:0;s:1:\"x\";i:1;s:1:\"x\";}".to_vec();
        let mut prev = 2;
        for i in 1..41 {
            src.extend_from_slice(format!("i:{i};a:2:{{i:0;R:{prev};i:1;R:{prev};}}").as_bytes());
            prev = 4 + i;
        }
        src.push(b'}');
        let mut o = Options::default();
        o.max_reference_expansion = 10_000;
        let e = from_bytes_with::<serde_json::Value>(&src, &o).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ExpansionLimit { limit: 10_000 });
        // Skipped references are checked, not expanded: ignoring the bomb is cheap.
        assert!(from_bytes::<serde::de::IgnoredAny>(&src).is_ok());
    }

    #[test]
    fn depth_limit_typed() {
        let deep = super::nest(4097, "i:1;");
        let e = from_bytes::<serde::de::IgnoredAny>(&deep).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DepthLimit { limit: 4096 });
        assert!(from_bytes::<serde::de::IgnoredAny>(&super::nest(4096, "i:1;")).is_ok());
        let e = from_bytes::<serde_json::Value>(&super::nest(100_000, "N;")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DepthLimit { limit: 256 });
        // A fixed-shape target skips the deep part iteratively, up to max_depth.
        #[derive(serde::Deserialize)]
        struct Top {
            #[allow(dead_code)]
            a: serde::de::IgnoredAny,
        }
        let mut src = b"a:1:{s:1:\"a\";".to_vec();
        src.extend_from_slice(&super::nest(4095, "N;"));
        src.push(b'}');
        assert!(from_bytes::<Top>(&src).is_ok());
    }

    #[test]
    fn deep_typed_decode_fits_the_test_stack() {
        // serde_json::Value recurses per level: up to max_typed_depth it must fit the 2 MiB
        // test-thread stack of a debug build, one level more is a clean error.
        let v: serde_json::Value = from_bytes(&super::nest(256, "i:1;")).unwrap();
        let e = from_bytes::<serde_json::Value>(&super::nest(257, "i:1;")).unwrap_err();
        assert_eq!(
            e,
            Error {
                offset: Some(256 * 9),
                kind: ErrorKind::DepthLimit { limit: 256 }
            }
        );
        let mut depth = 0;
        let mut cur = &v;
        while let Some(next) = cur.get("0") {
            cur = next;
            depth += 1;
        }
        assert_eq!(depth, 256);
    }
}

mod json {
    use super::super::*;

    fn j(src: &[u8]) -> String {
        to_json(&parse(src).unwrap())
    }

    #[test]
    fn shapes() {
        assert_eq!(j(b"a:0:{}"), "[]");
        assert_eq!(j(b"a:2:{i:0;N;i:1;b:1;}"), "[null,true]");
        assert_eq!(j(b"a:2:{i:1;i:1;i:0;i:0;}"), r#"{"1":1,"0":0}"#);
        assert_eq!(j(b"a:1:{i:1;i:1;}"), r#"{"1":1}"#);
        assert_eq!(j(b"a:1:{s:1:\"k\";i:-1;}"), r#"{"k":-1}"#);
        assert_eq!(
            j(b"O:3:\"Foo\":3:{s:1:\"a\";i:1;s:4:\"\0*\0b\";i:2;s:0:\"\";i:3;}"),
            r#"{"__PHP_Incomplete_Class_Name":"Foo","a":1,"":3}"#
        );
        assert_eq!(
            j(b"O:3:\"Foo\":2:{s:1:\"a\";i:1;s:27:\"__PHP_Incomplete_Class_Name\";s:3:\"Bar\";}"),
            r#"{"__PHP_Incomplete_Class_Name":"Bar","a":1}"#
        );
        assert_eq!(
            j(b"C:3:\"Foo\":3:{abc}"),
            r#"{"__PHP_Incomplete_Class_Name":"Foo"}"#
        );
        assert_eq!(j(b"E:7:\"Foo:Bar\";"), r#""Foo:Bar""#);
    }

    #[test]
    fn floats_like_php_json_encode() {
        // PHP 8.2: json_encode([...], JSON_PRESERVE_ZERO_FRACTION)
        let src = b"a:7:{i:0;d:1.0E+15;i:1;d:1.0E+17;i:2;d:1.0E+25;i:3;d:0.1;i:4;d:-0;i:5;d:1.0E-5;i:6;d:100;}";
        assert_eq!(
            j(src),
            "[1000000000000000.0,1.0e+17,1.0e+25,0.1,-0.0,1.0e-5,100.0]"
        );
        assert_eq!(
            j(b"a:3:{i:0;d:NAN;i:1;d:INF;i:2;d:-INF;}"),
            r#"["NAN","INF","-INF"]"#
        );
        assert_eq!(j(b"d:0.30000000000000004;"), "0.30000000000000004");
    }

    #[test]
    fn strings_like_php_json_encode() {
        assert_eq!(
            j(b"s:13:\"\x1f\x08\x0c\n\r\t\0/\"\\\xc3\xa9\x7f\";"),
            "\"\\u001f\\b\\f\\n\\r\\t\\u0000/\\\"\\\\\u{e9}\u{7f}\""
        );
        assert_eq!(j(b"s:3:\"\xe2\x80\xa8\";"), r#""\u2028""#);
        // One U+FFFD per invalid sequence, cut where PHP cuts (PHP 8.2 output).
        for (src, want) in [
            (&b"\xc2"[..], "\u{fffd}"),
            (b"\xe2\x82", "\u{fffd}"),
            (b"\xf4\x90\x80\x80", "\u{fffd}"),
            (b"\xc0\x80", "\u{fffd}\u{fffd}"),
            (b"\xe2\x28\xa1", "\u{fffd}(\u{fffd}"),
            (b"\xf0\x28\x8c\xbc", "\u{fffd}(\u{fffd}\u{fffd}"),
            (b"\xe0\x80\x80", "\u{fffd}"),
            (b"\xed\xa0\x80", "\u{fffd}"),
        ] {
            let mut s = format!("s:{}:\"", src.len()).into_bytes();
            s.extend_from_slice(src);
            s.extend_from_slice(b"\";");
            assert_eq!(j(&s), format!("\"{want}\""), "{src:x?}");
        }
    }
}

#[test]
fn expansion_limit_names_the_reference() {
    let mut o = Options::default();
    o.max_reference_expansion = 1;
    let src = b"a:3:{i:0;s:3:\"abc\";i:1;R:2;i:2;R:2;}";
    assert_eq!(
        parse_with(src, &o).unwrap_err(),
        Error {
            offset: Some(31),
            kind: ErrorKind::ExpansionLimit { limit: 1 }
        }
    );
    o.max_reference_expansion = 2;
    assert!(parse_with(src, &o).is_ok());
}

#[test]
fn value_deserializes_from_serde_formats() {
    let v: Value =
        from_bytes(b"a:3:{i:0;s:1:\"a\";s:1:\"k\";a:1:{i:0;d:0.5;}s:1:\"7\";N;}").unwrap();
    assert_eq!(
        v,
        arr(vec![
            (ik(0), s("a")),
            (sk("k"), arr(vec![(ik(0), Value::Float(0.5))])),
            (ik(7), Value::Null)
        ])
    );
    let v: Value = serde_json::from_str(r#"{"1":[true,18446744073709551615],"x":"y"}"#).unwrap();
    assert_eq!(
        v,
        arr(vec![
            (
                ik(1),
                arr(vec![
                    (ik(0), Value::Bool(true)),
                    (ik(1), Value::Float(18446744073709551615.0))
                ])
            ),
            (sk("x"), s("y"))
        ])
    );
    // And back out through serde: lists as sequences, other arrays as maps.
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"1":[true,1.8446744073709552e+19],"x":"y"}"#
    );
}

mod direct_json {
    use super::*;

    fn both(input: &[u8]) -> Result<String, Error> {
        let opts = Options::default();
        let tree = parse_with(input, &opts).map(|v| to_json(&v));
        let direct = to_json_bytes(input, &opts).map(|j| String::from_utf8(j).unwrap());
        assert_eq!(tree, direct, "{:?}", String::from_utf8_lossy(input));
        direct
    }

    /// Siblings repeating their keys take the one-comparison path (`shape`); a sibling that
    /// repeats them and then a key of its own, or a duplicate, or a shorter run, still gets
    /// PHP's answer, from the builder and the transcoder alike.
    #[test]
    fn sibling_shapes_never_hide_a_duplicate() {
        let rec = |keys: &[&str]| {
            let mut s = format!("a:{}:{{", keys.len());
            for (i, k) in keys.iter().enumerate() {
                s.push_str(&format!("s:{}:\"{k}\";i:{i};", k.len()));
            }
            s.push('}');
            s
        };
        let list = |items: &[String]| {
            let mut s = format!("a:{}:{{", items.len());
            for (i, it) in items.iter().enumerate() {
                s.push_str(&format!("i:{i};{it}"));
            }
            s.push('}');
            s.into_bytes()
        };
        let cases: [(Vec<String>, &str); 5] = [
            (
                vec![rec(&["a", "b"]), rec(&["a", "b"])],
                r#"[{"a":0,"b":1},{"a":0,"b":1}]"#,
            ),
            // The shape's keys, then one of them again: an overwrite in place.
            (
                vec![rec(&["a", "b"]), rec(&["a", "b", "a"])],
                r#"[{"a":0,"b":1},{"a":2,"b":1}]"#,
            ),
            // A shorter sibling, then a longer one checked against the shorter shape.
            (
                vec![rec(&["a", "b", "c"]), rec(&["a"]), rec(&["a", "c", "a"])],
                r#"[{"a":0,"b":1,"c":2},{"a":0},{"a":2,"c":1}]"#,
            ),
            // Numeric-string keys (ints) in falling order after a matched prefix.
            (
                vec![rec(&["5", "3"]), rec(&["5", "3", "5"])],
                r#"[{"5":0,"3":1},{"5":2,"3":1}]"#,
            ),
            (
                vec![rec(&["x", "y"]), rec(&["y", "x", "y"])],
                r#"[{"x":0,"y":1},{"y":2,"x":1}]"#,
            ),
        ];
        for (items, want) in cases {
            let input = list(&items);
            assert_eq!(both(&input).unwrap(), want);
            let mut streamed = Vec::new();
            to_json_writer(&input, &Options::default(), &mut streamed).unwrap();
            assert_eq!(streamed, want.as_bytes());
        }
    }

    /// Objects and arrays at one depth share the depth's shape (`Stream::shapes`), but the
    /// same key bytes name a string property in an object and an int key in an array; a
    /// repeat of a shape's key is still a duplicate, and `S:` bytes name the same key as
    /// `s:` ones. Answers from PHP 8.2's
    /// `json_encode(unserialize($s, ['allowed_classes' => false]))`.
    #[test]
    fn repeated_key_bytes_read_as_their_frames_kind() {
        for (input, want) in [
            (
                r#"a:3:{i:0;O:8:"stdClass":1:{i:0;i:1;}i:1;a:1:{i:0;i:2;}i:2;a:2:{i:0;i:3;s:1:"0";i:4;}}"#,
                r#"[{"__PHP_Incomplete_Class_Name":"stdClass","0":1},[2],[4]]"#,
            ),
            (
                r#"a:3:{i:0;O:8:"stdClass":1:{s:1:"0";i:1;}i:1;a:1:{s:1:"0";i:2;}i:2;O:8:"stdClass":1:{s:1:"0";i:5;}}"#,
                r#"[{"__PHP_Incomplete_Class_Name":"stdClass","0":1},[2],{"__PHP_Incomplete_Class_Name":"stdClass","0":5}]"#,
            ),
            (
                r#"a:3:{i:0;a:2:{s:1:"a";i:1;s:1:"b";i:2;}i:1;a:2:{s:1:"a";i:3;s:1:"a";i:4;}i:2;a:2:{S:1:"\61";i:5;s:1:"b";i:6;}}"#,
                r#"[{"a":1,"b":2},{"a":4},{"a":5,"b":6}]"#,
            ),
        ] {
            assert_eq!(both(input.as_bytes()).unwrap(), want, "{input}");
            let mut streamed = Vec::new();
            to_json_writer(input.as_bytes(), &Options::default(), &mut streamed).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), want, "{input}");
        }
    }

    #[test]
    fn streams_and_falls_back_to_the_same_bytes() {
        for (input, want) in [
            (&b"a:2:{i:0;s:1:\"a\";i:1;d:0.1;}"[..], r#"["a",0.1]"#),
            (b"a:0:{}", "[]"),
            (b"a:2:{s:1:\"0\";i:1;i:1;i:2;}", "[1,2]"),
            (b"a:2:{i:1;i:1;i:0;i:2;}", r#"{"1":1,"0":2}"#),
            // Starts as a list, then is not one: the tree decides.
            (b"a:3:{i:0;i:1;i:1;i:2;i:5;i:3;}", r#"{"0":1,"1":2,"5":3}"#),
            // Duplicate keys overwrite in place.
            (
                b"a:3:{s:1:\"a\";i:1;s:1:\"b\";i:2;s:1:\"a\";i:3;}",
                r#"{"a":3,"b":2}"#,
            ),
            (b"a:2:{i:5;i:1;s:1:\"5\";i:2;}", r#"{"5":2}"#),
            (b"a:2:{i:0;i:1;i:0;i:2;}", "[2]"),
            // References and overwritten cycles.
            (b"a:2:{i:0;i:7;i:1;R:2;}", "[7,7]"),
            (b"a:2:{i:0;R:1;i:0;i:5;}", "[5]"),
            (
                b"O:8:\"stdClass\":2:{s:1:\"a\";r:1;s:1:\"a\";i:5;}",
                r#"{"__PHP_Incomplete_Class_Name":"stdClass","a":5}"#,
            ),
            // Objects: hidden properties, int names, the class-name property.
            (
                b"O:3:\"Foo\":3:{s:6:\"\0*\0abc\";a:1:{i:0;i:1;}i:5;i:2;s:1:\"z\";N;}",
                r#"{"__PHP_Incomplete_Class_Name":"Foo","5":2,"z":null}"#,
            ),
            (
                b"O:3:\"Foo\":2:{s:1:\"a\";i:1;s:27:\"__PHP_Incomplete_Class_Name\";s:3:\"Bar\";}",
                r#"{"__PHP_Incomplete_Class_Name":"Bar","a":1}"#,
            ),
            (
                b"O:3:\"Foo\":0:{}",
                r#"{"__PHP_Incomplete_Class_Name":"Foo"}"#,
            ),
            (
                b"C:3:\"Foo\":3:{abc}",
                r#"{"__PHP_Incomplete_Class_Name":"Foo"}"#,
            ),
            (b"E:7:\"Foo:Bar\";", r#""Foo:Bar""#),
            (b"S:3:\"\\41\\ff\\0a\";", "\"A\u{fffd}\\n\""),
            (b"d:NAN;", r#""NAN""#),
            (b"d:100;", "100.0"),
            (b"i:1;trailing", "1"),
        ] {
            assert_eq!(
                both(input).unwrap(),
                want,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn big_maps_find_duplicates() {
        // More keys than the linear search covers, with a duplicate at the end.
        let mut s = b"a:41:{".to_vec();
        for i in 0..40 {
            s.extend_from_slice(format!("s:2:\"k{}\";i:{i};", (b'A' + i as u8) as char).as_bytes());
        }
        s.extend_from_slice(b"s:2:\"kB\";i:99;}");
        let j = both(&s).unwrap();
        assert!(j.contains(r#""kB":99"#) && !j.contains(r#""kB":1"#), "{j}");
        // Increasing int keys (an id-keyed map): no search needed, still an object.
        let mut s = b"a:30:{".to_vec();
        for i in 0..30 {
            s.extend_from_slice(format!("i:{};i:{i};", 1000 + i * 7).as_bytes());
        }
        s.push(b'}');
        assert!(both(&s).unwrap().starts_with(r#"{"1000":0,"1007":1,"#));
        // And a duplicate among them.
        let mut s = b"a:31:{".to_vec();
        for i in 0..30 {
            s.extend_from_slice(format!("i:{};i:{i};", 1000 + i * 7).as_bytes());
        }
        s.extend_from_slice(b"i:1007;s:1:\"x\";}");
        assert!(both(&s).unwrap().starts_with(r#"{"1000":0,"1007":"x","#));
    }

    #[test]
    fn errors_are_the_trees() {
        for input in [
            &b"a:2:{i:0;i:1;}"[..],
            b"a:1:{i:0;x}",
            b"a:1:{d:1;i:1;}",
            b"a:1:{i:0;R:1;}",
            b"a:2:{i:0;i:1;i:0;}",
            b"O:3:\"Foo\":1:{s:1:\"a\";i:1;",
            b"",
        ] {
            assert!(both(input).is_err(), "{:?}", String::from_utf8_lossy(input));
        }
        let e = to_json_bytes(b"a:1:{i:0;x}", &Options::default()).unwrap_err();
        assert_eq!(e.offset, Some(9));
        let mut o = Options::default();
        o.reject_trailing_bytes = true;
        let e = to_json_bytes(b"i:1;x", &o).unwrap_err();
        assert_eq!((e.offset, e.kind), (Some(4), ErrorKind::TrailingBytes));
        o = Options::default();
        o.max_depth = 2;
        let e = to_json_bytes(b"a:1:{i:0;a:1:{i:0;a:1:{i:0;N;}}}", &o).unwrap_err();
        assert_eq!(
            (e.offset, e.kind),
            (Some(18), ErrorKind::DepthLimit { limit: 2 })
        );
    }
}

/// A value a million levels deep (possible only with `max_depth: 0`) is dropped, cloned,
/// compared and written (PHP and JSON) without recursion: on a thread with a small stack.
#[test]
fn million_deep_value_is_safe() {
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(|| {
            const N: usize = 1_000_000;
            let mut input = b"a:1:{i:0;".repeat(N);
            input.extend_from_slice(b"N;");
            input.extend(std::iter::repeat_n(b'}', N));
            let mut o = Options::default();
            o.max_depth = 0;
            let v = parse_with(&input, &o).unwrap();
            assert_eq!(v.to_php(), input);
            let json = to_json(&v);
            assert!(json == format!("{}null{}", "[".repeat(N), "]".repeat(N)));
            assert_eq!(to_json_bytes(&input, &o).unwrap(), json.as_bytes());
            let c = v.clone();
            assert!(c == v && c.same_as(&v));
            let owned = c.into_owned();
            assert!(owned == v);
            drop(owned);
            drop(v);
            // An object chain too (objects are boxed).
            let mut input = b"O:1:\"A\":1:{s:1:\"p\";".repeat(N);
            input.extend_from_slice(b"i:1;");
            input.extend(std::iter::repeat_n(b'}', N));
            let v = parse_with(&input, &o).unwrap();
            assert_eq!(v.to_php(), input);
            drop(v);
        })
        .unwrap()
        .join()
        .unwrap();
}

/// serde's `Serialize`, the `Deserializer` for `&Value` and `Debug` recurse per level, so they
/// are capped: a value a million deep (built with `max_depth: 0`) is refused by serde and elided
/// by `Debug`, on the default test thread's stack; the levels below the caps go through.
#[test]
fn serde_and_debug_stop_at_their_depth() {
    const N: usize = 1_000_000;
    let mut o = Options::default();
    o.max_depth = 0;
    let deep_input = nest(N, "N;");
    let deep = parse_with(&deep_input, &o).unwrap();
    let e = serde_json::to_string(&deep).unwrap_err();
    assert!(e.to_string().contains("nesting deeper than 4096"), "{e}");
    assert!(to_vec(&deep).is_err());
    let e = from_value::<serde_json::Value>(&deep).unwrap_err();
    assert_eq!(
        (e.offset, e.kind),
        (None, ErrorKind::DepthLimit { limit: 256 })
    );
    let shown = format!("{deep:?}");
    assert_eq!(shown.matches("Array(").count(), SERDE_DEPTH + 1);
    assert!(shown.ends_with(&format!("Array({{…}}){}", "})".repeat(SERDE_DEPTH))));
    assert!(format!("{deep:#?}").contains("{…}"));
    // An object chain is counted the same way.
    let mut objects = b"O:1:\"A\":1:{s:1:\"p\";".repeat(N);
    objects.extend_from_slice(b"i:1;");
    objects.extend(std::iter::repeat_n(b'}', N));
    let chain = parse_with(&objects, &o).unwrap();
    assert!(serde_json::to_vec(&chain)
        .unwrap_err()
        .to_string()
        .contains("4096"));
    assert!(from_value::<serde_json::Value>(&chain).is_err());
    assert_eq!(
        format!("{chain:?}").matches("Object {").count(),
        SERDE_DEPTH + 1
    );

    // Exactly SERDE_DEPTH nested arrays: both directions of serde still work.
    let at_limit_input = nest(SERDE_DEPTH, "i:7;");
    let at_limit = parse(&at_limit_input).unwrap();
    let json = format!("{}7{}", "[".repeat(SERDE_DEPTH), "]".repeat(SERDE_DEPTH));
    assert_eq!(serde_json::to_string(&at_limit).unwrap(), json);
    // Serialize goes to SERIALIZE_DEPTH (the recursion needs a larger stack than the test's).
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let input = nest(SERIALIZE_DEPTH, "i:7;");
            let v = parse(&input).unwrap();
            assert_eq!(to_vec(&v).unwrap(), input);
            let over = nest(SERIALIZE_DEPTH + 1, "i:7;");
            let v = parse_with(
                &over,
                &Options {
                    max_depth: 0,
                    ..Options::default()
                },
            )
            .unwrap();
            assert!(to_vec(&v).is_err());
        })
        .unwrap()
        .join()
        .unwrap();
    let back: serde_json::Value = from_value(&at_limit).unwrap();
    // The typed view of an array is a map keyed by index: 256 maps around the 7.
    let mut cur = &back;
    for _ in 0..SERDE_DEPTH {
        cur = &cur["0"];
    }
    assert_eq!(cur, &serde_json::json!(7));
    assert!(!format!("{at_limit:?}").contains('…'));
    // One more is refused by both.
    let over_input = nest(SERDE_DEPTH + 1, "i:7;");
    let over = parse(&over_input).unwrap();
    assert_eq!(
        from_value::<serde_json::Value>(&over).unwrap_err().kind,
        ErrorKind::DepthLimit { limit: 256 }
    );
    // What the target ignores is not visited: a fixed-shape target reads past the depth.
    #[derive(serde::Deserialize)]
    struct Top {
        #[serde(rename = "0")]
        _inner: serde::de::IgnoredAny,
    }
    assert!(from_value::<Top>(&deep).is_ok());
}

/// Output larger than the input (control characters grow sixfold) goes through the streaming
/// path of `to_json_writer`: checked first, then written through the buffer. The bytes equal
/// the tree path's, and a malformed input writes nothing.
#[test]
fn streaming_writer_matches_the_tree_on_large_output() {
    let opts = Options::default();
    let big = vec![1u8; 12 << 20];
    let string = |b: &[u8]| {
        let mut s = format!("s:{}:\"", b.len()).into_bytes();
        s.extend_from_slice(b);
        s.extend_from_slice(b"\";");
        s
    };
    let streamed = |input: &[u8]| {
        let mut out = Vec::new();
        to_json_writer(input, &opts, &mut out).map(|()| out)
    };
    let tree = |input: &[u8]| to_json(&parse(input).unwrap()).into_bytes();

    // One huge string: 72 MiB of JSON out of 12 MiB.
    let input = string(&big);
    let out = streamed(&input).unwrap();
    assert_eq!(out.len(), 6 * big.len() + 2);
    assert!(out == tree(&input));

    // In an object with a hidden (private) property and a list after it.
    let mut input = b"O:1:\"A\":3:{s:4:\"\0A\0p\";".to_vec();
    input.extend_from_slice(&string(&big));
    input.extend_from_slice(b"s:1:\"q\";");
    input.extend_from_slice(&string(&big));
    input.extend_from_slice(b"s:1:\"l\";a:2:{i:0;i:1;i:1;d:0.5;}}");
    let out = streamed(&input).unwrap();
    assert!(out.starts_with(br#"{"__PHP_Incomplete_Class_Name":"A","q":"\u0001"#));
    assert!(out.ends_with(br#"\u0001","l":[1,0.5]}"#));
    assert!(out == tree(&input));

    // A duplicate key far past the first 12 MiB of output: the tree decides, streamed.
    let mut input = b"a:3:{s:1:\"a\";".to_vec();
    input.extend_from_slice(&string(&big));
    input.extend_from_slice(b"s:1:\"b\";i:2;s:1:\"a\";i:3;}");
    assert_eq!(streamed(&input).unwrap(), br#"{"a":3,"b":2}"#);

    // A malformed end after a long output: the same error as the tree's, nothing written.
    let mut input = b"a:2:{i:0;".to_vec();
    input.extend_from_slice(&string(&big));
    input.extend_from_slice(b"i:1;x}");
    let mut out = Vec::new();
    let e = to_json_writer(&input, &opts, &mut out).unwrap_err();
    let WriteError::Decode(e) = e else {
        panic!("a decoding error: {e}")
    };
    assert_eq!(Some(e), parse(&input).err());
    assert!(out.is_empty());
}

/// A writer that fails stops the run with its own error.
#[test]
fn streaming_writer_reports_the_writers_error() {
    struct Full(usize);
    impl std::io::Write for Full {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.0 < b.len() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::WriteZero,
                    "disk full",
                ));
            }
            self.0 -= b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let input = br#"a:1:{i:0;s:3:"abc";}"#;
    let e = to_json_writer(input, &Options::default(), Full(3)).unwrap_err();
    assert!(matches!(e, WriteError::Io(ref io) if io.kind() == std::io::ErrorKind::WriteZero));
    to_json_writer(input, &Options::default(), Full(100)).unwrap();
}

/// The JSON string writer's two paths (valid UTF-8 scanned by table, anything else decoded
/// like PHP) escape alike.
#[test]
fn json_strings_escape_alike_on_both_paths() {
    let cases: [(&[u8], &str); 6] = [
        (b"plain \xd0\x96 text/", "\"plain \u{416} text/\""),
        (b"q\"b\\\x01\x1f\n\t", r#""q\"b\\\u0001\u001f\n\t""#),
        (
            "a\u{2028}b\u{2029}c\u{2030}".as_bytes(),
            r#""a\u2028b\u2029c‰""#,
        ),
        (b"\xe2\x80", "\"\u{fffd}\""),
        (b"x\xff\"\xe2\x80\xa8", "\"x\u{fffd}\\\"\\u2028\""),
        (b"\xf0\x9f\x98\x80\x7f", "\"\u{1f600}\u{7f}\""),
    ];
    for (s, want) in cases {
        let v = Value::String(s.into());
        assert_eq!(to_json(&v), want, "{s:?}");
    }
}

#[test]
fn may_have_refs_finds_every_r_colon_at_every_offset() {
    use super::read::{may_have_refs, refs_by_blocks, refs_by_words};
    let slow = |s: &[u8]| s.windows(2).any(|w| w == b"R:" || w == b"r:");
    // Each needle (and near misses) at every position of inputs of every length up to 140, so
    // the eight-at-a-time and 64-at-a-time loops, their lane and block boundaries and the tails
    // see it.
    let needles: [&[u8]; 8] = [b"R:", b"r:", b"R", b"r", b":", b"2:", b"rR", b"\xd2:"];
    for len in 0..140 {
        for needle in needles {
            for at in 0..=len {
                let mut s = vec![b'x'; len];
                for (k, &b) in needle.iter().enumerate() {
                    if at + k < len {
                        s[at + k] = b;
                    }
                }
                assert_eq!(may_have_refs(&s), slow(&s));
                assert_eq!(refs_by_blocks(&s), slow(&s), "{len} {at}");
                assert_eq!(
                    refs_by_words(&s),
                    slow(&s),
                    "{:?}",
                    String::from_utf8_lossy(&s)
                );
            }
        }
    }
    let payload = br#"a:2:{s:1:"r";s:3:"r:x";i:0;R:2;}"#;
    assert!(may_have_refs(payload) && refs_by_words(payload) && refs_by_blocks(payload));
    let none = br#"a:1:{s:3:"bar";s:4:"Rrrr";}"#;
    assert!(!may_have_refs(none) && !refs_by_words(none) && !refs_by_blocks(none));
}

/// `to_json_for_js`: every non-ASCII character escaped on every path (valid strings, strings
/// with invalid bytes, the tree), and `unsafe_int` exactly beyond ±(2^53 − 1), not for what
/// the JSON hides.
#[test]
fn json_for_js_is_ascii_and_notes_unsafe_ints() {
    let js = |input: &[u8]| to_json_for_js(input, &Options::default()).unwrap();
    let cases: [(&[u8], &str); 7] = [
        // Valid UTF-8 input: the table path.
        ("s:4:\"Юг\";".as_bytes(), r#""\u042e\u0433""#),
        (b"s:5:\"\xf0\x9f\x98\x80!\";", r#""\ud83d\ude00!""#),
        (
            "s:9:\"a\u{2028}b\u{2029}c\";".as_bytes(),
            r#""a\u2028b\u2029c""#,
        ),
        (b"s:4:\"\x01\"\\/\";", r#""\u0001\"\\/""#),
        // Invalid bytes: PHP's decoder path, U+FFFD as an escape too.
        (b"s:5:\"\xd0\xae\xff\xe2\x80\";", r#""\u042e\ufffd\ufffd""#),
        // Keys and the tree path (a reference), which escape alike.
        (
            "a:2:{s:2:\"ж\";s:2:\"я\";i:1;R:2;}".as_bytes(),
            r#"{"\u0436":"\u044f","1":"\u044f"}"#,
        ),
        (
            "O:2:\"Ё\":1:{s:1:\"a\";s:1:\"b\";}".as_bytes(),
            r#"{"__PHP_Incomplete_Class_Name":"\u0401","a":"b"}"#,
        ),
    ];
    for (input, want) in cases {
        let j = js(input);
        assert_eq!(j.text, want, "{:?}", String::from_utf8_lossy(input));
        assert!(!j.unsafe_int);
        // The same values as the plain text.
        let plain: serde_json::Value =
            serde_json::from_slice(&to_json_bytes(input, &Options::default()).unwrap()).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&j.text).unwrap(),
            plain
        );
    }
    let safe = (1i64 << 53) - 1;
    for (i, unsafe_int) in [
        (safe, false),
        (-safe, false),
        (safe + 1, true),
        (-safe - 1, true),
        (i64::MAX, true),
        (i64::MIN, true),
        (0, false),
    ] {
        // On the stream and on the tree path (the reference sends the input to the tree).
        assert_eq!(
            js(format!("i:{i};").as_bytes()).unsafe_int,
            unsafe_int,
            "{i}"
        );
        let tree = format!("a:2:{{i:0;i:{i};i:1;R:2;}}");
        assert_eq!(js(tree.as_bytes()).unsafe_int, unsafe_int, "tree {i}");
        assert_eq!(js(tree.as_bytes()).text, format!("[{i},{i}]"));
    }
    // A float of that size is a float to JSON.parse as to PHP; a private property is hidden.
    assert!(!js(b"d:9007199254740993;").unsafe_int);
    let private = b"O:1:\"A\":2:{s:4:\"\0A\0x\";i:9007199254740993;s:1:\"y\";i:1;}";
    assert_eq!(
        js(private).text,
        r#"{"__PHP_Incomplete_Class_Name":"A","y":1}"#
    );
    assert!(!js(private).unsafe_int);
    // Errors and offsets are the plain transcoder's.
    let e = to_json_for_js(b"a:1:{i:0;x}", &Options::default()).unwrap_err();
    assert_eq!(
        Some(e),
        to_json_bytes(b"a:1:{i:0;x}", &Options::default()).err()
    );
}
