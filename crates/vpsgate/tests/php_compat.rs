//! `vpsgate::php::parse` against real PHP 8.2 `unserialize($s, ['allowed_classes' => false])`.
//!
//! `tests/php/gen_cases.php` produces every input with real `serialize()` (a fixed corpus of
//! tricky values, seeded random values, and seeded malformations of both) together with PHP's
//! verdict and a canonical dump of the value (grammar in `tests/php/lib.php`). Each input is
//! decoded here and compared: verdict and dump must agree, except for these documented
//! divergences, each checked precisely:
//! - `overflow`: PHP clamps an out-of-range `i:` with a warning, the codec says `IntegerOverflow`;
//! - `cycle`: PHP builds a cyclic value, the codec says `RecursiveReference` (a tree cannot hold it);
//! - `expansion`: PHP builds a huge shared value, the codec stops at `ExpansionLimit`;
//! - `trailing`: PHP 8.2 ignores bytes after the value, the codec says `TrailingBytes` at the end
//!   of a value that itself decodes exactly as PHP's;
//! - `enum`: PHP rejects `E:` when no class is allowed, the codec reads it as data (the `enum`
//!   category checks `E:` against PHP with the enums defined).
//!
//! Every input also goes through `php::to_json_bytes`, the direct transcoder: its JSON (or its
//! error and offset) must be exactly the tree path's. And through the typed deserializer
//! (`php::from_bytes`): into a generic tree it must give what the tree gives through
//! `php::from_value`, and its verdict must be the tree's, but for its documented divergences
//! (see `typed_differs`).
//!
//! Then the serializer: every accepted value goes back through `php::to_vec` and PHP's
//! `unserialize()` must give the same dump.
//!
//! Without `php` the tests print a SKIPPED line and pass, unless `VPSGATE_REQUIRE_PHP=1`.

#[path = "php/harness.rs"]
mod harness;
#[path = "php/msgpack_reader.rs"]
mod msgpack_reader;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use harness::{clip, dump, has_back_refs, has_enum, hex, parse_cases, php_or_skip, run_php, Case};
use vpsgate::php::{self, ErrorKind, Value};

/// How one case came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    AcceptAgree,
    RejectAgree,
    HugeAgree,
    AllowedOverflow,
    AllowedCycle,
    AllowedExpansion,
    AllowedTrailing,
    AllowedEnum,
    Mismatch,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::AcceptAgree => "accept-agree",
            Outcome::RejectAgree => "reject-agree",
            Outcome::HugeAgree => "huge-agree",
            Outcome::AllowedOverflow => "allowed-overflow",
            Outcome::AllowedCycle => "allowed-cycle",
            Outcome::AllowedExpansion => "allowed-expansion",
            Outcome::AllowedTrailing => "allowed-trailing",
            Outcome::AllowedEnum => "allowed-enum",
            Outcome::Mismatch => "MISMATCH",
        }
    }
}

fn ours_text(r: &Result<Value, php::Error>) -> String {
    match r {
        Ok(v) => format!("accept {}", clip(&dump(v), 600)),
        Err(e) => format!("reject {e} ({:?})", e.kind),
    }
}

fn classify(case: &Case, ours: &Result<Value, php::Error>) -> Outcome {
    if let Err(e) = ours {
        // Wherever the codec stops, it must point into the input.
        if e.offset.is_none_or(|o| o > case.input.len()) {
            return Outcome::Mismatch;
        }
    }
    match (case.ok, ours) {
        (true, Ok(v)) => {
            let php_dump = case.dump.as_deref().unwrap_or("");
            let d = dump(v);
            if d == php_dump {
                if d == "HUGE" {
                    Outcome::HugeAgree
                } else {
                    Outcome::AcceptAgree
                }
            } else {
                Outcome::Mismatch
            }
        }
        (true, Err(e)) => {
            let php_dump = case.dump.as_deref().unwrap_or("");
            match &e.kind {
                ErrorKind::IntegerOverflow
                    if case
                        .warnings
                        .iter()
                        .any(|w| w.contains("Numerical result out of range")) =>
                {
                    Outcome::AllowedOverflow
                }
                ErrorKind::RecursiveReference { .. } if php_dump == "CYCLE" => {
                    Outcome::AllowedCycle
                }
                ErrorKind::ExpansionLimit { .. } if php_dump == "HUGE" => Outcome::AllowedExpansion,
                ErrorKind::TrailingBytes => {
                    // The value before the trailing bytes must be exactly PHP's value.
                    match php::parse(&case.input[..e.offset.unwrap_or(0)]) {
                        Ok(v) if dump(&v) == php_dump => Outcome::AllowedTrailing,
                        Err(e2)
                            if matches!(e2.kind, ErrorKind::RecursiveReference { .. })
                                && php_dump == "CYCLE" =>
                        {
                            Outcome::AllowedTrailing
                        }
                        _ => Outcome::Mismatch,
                    }
                }
                _ => Outcome::Mismatch,
            }
        }
        (false, Ok(v)) => {
            if has_enum(v) && case.input.windows(2).any(|w| w == b"E:") {
                Outcome::AllowedEnum
            } else {
                Outcome::Mismatch
            }
        }
        (false, Err(_)) => Outcome::RejectAgree,
    }
}

fn describe(case: &Case, ours: &str) -> String {
    format!(
        "[{}] input hex {} (text {:?})\n    php:  {} warnings {:?} dump {}\n    ours: {}",
        case.cat,
        clip(&hex(&case.input), 800),
        clip(&String::from_utf8_lossy(&case.input), 300),
        if case.ok { "accept" } else { "reject" },
        case.warnings,
        clip(case.dump.as_deref().unwrap_or("-"), 600),
        ours
    )
}

/// Runs the comparison on a thread with a large stack: the harness's own dump recurses once per
/// nesting level (inputs go to depth 10000), which is not what is being tested here.
fn on_big_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

#[test]
fn parse_agrees_with_php_unserialize() {
    if !php_or_skip("parse_agrees_with_php_unserialize") {
        return;
    }
    on_big_stack(|| {
        let cases = parse_cases(&run_php("gen_cases.php", &[]));
        assert!(
            cases.len() > 10_000,
            "generator produced only {} cases",
            cases.len()
        );

        let mut counts: BTreeMap<String, BTreeMap<Outcome, usize>> = BTreeMap::new();
        let mut total: BTreeMap<Outcome, usize> = BTreeMap::new();
        let mut failures = Vec::new();
        let mut n = 0;
        // Cases whose JS flavour has a non-ASCII character escaped, and an unsafe integer.
        let (mut escaped, mut unsafe_ints) = (0, 0);
        let mut typed_checked = 0;
        // Cases the MessagePack flavour carries, and of those, the ones with a record.
        let (mut packed_n, mut with_records) = (0, 0);
        for case in cases.iter().filter(|c| c.cat != "enum") {
            n += 1;
            let ours = php::parse(&case.input);
            let outcome = classify(case, &ours);
            *counts
                .entry(case.cat.clone())
                .or_default()
                .entry(outcome)
                .or_default() += 1;
            *total.entry(outcome).or_default() += 1;
            if outcome == Outcome::Mismatch {
                failures.push(describe(case, &ours_text(&ours)));
            }
            // The direct transcoder must say exactly what the tree path says.
            let direct = php::to_json_bytes(&case.input, &php::Options::default());
            let same = match (&ours, &direct) {
                (Ok(v), Ok(j)) => php::to_json(v).as_bytes() == &j[..],
                (Err(a), Err(b)) => a == b,
                _ => false,
            };
            if !same {
                failures.push(describe(
                    case,
                    &format!(
                        "to_json_bytes {:?} differs from the tree: {}",
                        direct
                            .as_ref()
                            .map(|j| String::from_utf8_lossy(j).into_owned()),
                        ours_text(&ours)
                    ),
                ));
            }
            // The typed deserializer: into `serde_json::Value` it must give what the tree gives
            // through `from_value`, and skipping (`IgnoredAny`) must reach the same verdict.
            if let Some(why) = typed_differs(&case.input, &ours) {
                failures.push(describe(case, &format!("typed: {why}")));
            }
            typed_checked += 1;
            // The JS flavour: ASCII, the same values, the same errors, and a correct note of
            // integers beyond 2^53 - 1.
            let js = php::to_json_for_js(&case.input, &php::Options::default());
            if let Some(why) = js_flavour_differs(&direct, &js) {
                failures.push(describe(case, &format!("to_json_for_js: {why}")));
            }
            if let (Ok(d), Ok(j)) = (&direct, &js) {
                escaped += usize::from(!d.is_ascii());
                unsafe_ints += usize::from(j.unsafe_int);
            }
            // The MessagePack flavour: where it writes anything, what `JSON.parse` gives for
            // the JS flavour's text, nothing where that text is an error.
            let packed = php::to_msgpack_for_js(&case.input, &php::Options::default());
            if let Some(p) = &packed {
                packed_n += 1;
                with_records += usize::from(p.windows(2).any(|w| w == [0xd4, 0x72]));
                if let Some(why) = msgpack_differs(&js, p) {
                    failures.push(describe(case, &format!("to_msgpack_for_js: {why}")));
                }
            }
        }
        // ... and the check is only as good as the cases it carries.
        assert!(
            packed_n >= 1000 && with_records >= 5,
            "to_msgpack_for_js carried {packed_n} cases, {with_records} with records"
        );

        // The JS flavour's check is only as good as its cases.
        assert!(
            escaped >= 100 && unsafe_ints >= 10,
            "too few cases for to_json_for_js: {escaped} with non-ASCII, {unsafe_ints} unsafe ints"
        );
        let mut report = format!(
            "{n} cases ({escaped} with non-ASCII JSON, {unsafe_ints} with unsafe ints in the JS flavour, {typed_checked} through the typed deserializer, {packed_n} as MessagePack of which {with_records} with records):"
        );
        for (o, k) in &total {
            let _ = write!(report, " {k} {},", o.label());
        }
        report.pop();
        for (cat, per) in &counts {
            let _ = write!(report, "\n  {cat:>10}:");
            for (o, k) in per {
                let _ = write!(report, " {k} {}", o.label());
            }
        }
        eprintln!("{report}");

        // The corpus must really exercise both sides.
        assert!(
            total.get(&Outcome::AcceptAgree).copied().unwrap_or(0) > 1000,
            "{report}"
        );
        assert!(
            total.get(&Outcome::RejectAgree).copied().unwrap_or(0) > 5000,
            "{report}"
        );
        // A reference to a value still being built that a duplicate key then overwrites is no
        // cycle in PHP (`a:2:{i:0;R:1;i:0;i:5;}` is `[5]`): those cases must be accepted with
        // PHP's value, and those whose cycle survives must stay cycles.
        let overwrite = counts.get("overwrite").cloned().unwrap_or_default();
        assert_eq!(
            overwrite.get(&Outcome::AcceptAgree).copied().unwrap_or(0),
            8,
            "{report}"
        );
        assert_eq!(
            overwrite.get(&Outcome::AllowedCycle).copied().unwrap_or(0),
            3,
            "{report}"
        );
        assert!(
            failures.is_empty(),
            "{} disagreements with PHP; first ones:\n{}\n\n{report}",
            failures.len(),
            failures
                .iter()
                .take(25)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    });
}

/// The same error kind at the same offset (the wording of what was expected may differ).
fn same_error(a: &php::Error, b: &php::Error) -> bool {
    a.offset == b.offset && std::mem::discriminant(&a.kind) == std::mem::discriminant(&b.kind)
}

/// Any decoded value, as the typed deserializer hands it to `deserialize_any`: strings as bytes
/// (binary ones too), floats by their bits (NaN equals itself), entries in order, a duplicate
/// key overwriting in place as PHP does.
#[derive(Debug, PartialEq)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Bytes(Vec<u8>),
    Map(Vec<(Tree, Tree)>),
}

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Tree;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_unit<E>(self) -> Result<Tree, E> {
                Ok(Tree::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
                Ok(Tree::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
                Ok(Tree::Int(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Tree, E> {
                Ok(Tree::Float(v.to_bits()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
                Ok(Tree::Bytes(v.as_bytes().to_vec()))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Tree, E> {
                Ok(Tree::Bytes(v.to_vec()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Tree, A::Error> {
                let mut entries: Vec<(Tree, Tree)> = Vec::new();
                while let Some((k, v)) = m.next_entry::<Tree, Tree>()? {
                    match entries.iter_mut().find(|(have, _)| *have == k) {
                        Some(slot) => slot.1 = v,
                        None => entries.push((k, v)),
                    }
                }
                Ok(Tree::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Where the typed deserializer (`php::from_bytes`) disagrees with the tree (`ours`), if it does.
///
/// Its documented divergences from the tree are allowed, each precisely: it streams entries,
/// so a reference to an entry a duplicate key later replaces replays the original (inputs with
/// references are compared by verdict only), and a cycle that a duplicate key overwrites stays
/// a cycle; it stops recursing at `Options::max_typed_depth`.
fn typed_differs(input: &[u8], ours: &Result<Value, php::Error>) -> Option<String> {
    let refs = input.windows(2).any(|w| w == b"R:" || w == b"r:");
    let allowed = |e: &php::Error| {
        matches!(
            e.kind,
            ErrorKind::DepthLimit { .. } | ErrorKind::RecursiveReference { .. }
        ) || (refs && matches!(e.kind, ErrorKind::BadReference { .. }))
    };
    let skipped = php::from_bytes::<serde::de::IgnoredAny>(input);
    let typed = php::from_bytes::<Tree>(input);
    match (ours, &skipped) {
        (Ok(_), Err(e)) if !allowed(e) => return Some(format!("skip rejects: {e}")),
        (Err(a), Err(b)) if !same_error(a, b) && !allowed(b) => {
            return Some(format!("skip says {b}, the tree {a}"))
        }
        (Err(a), Ok(_)) if !refs && !matches!(a.kind, ErrorKind::ExpansionLimit { .. }) => {
            return Some(format!("skip accepts, the tree says {a}"))
        }
        _ => {}
    }
    match (ours, &typed) {
        (Ok(v), Ok(t)) if !refs => {
            let want = php::from_value::<Tree>(v).ok()?;
            (want != *t).then(|| format!("{t:?} differs from the tree's {want:?}"))
        }
        (Ok(_), Err(e)) if !allowed(e) => Some(format!("typed rejects: {e}")),
        (Err(a), Err(b)) if !same_error(a, b) && !allowed(b) && !refs => {
            Some(format!("typed says {b}, the tree {a}"))
        }
        (Err(a), Ok(_)) if !refs && !matches!(a.kind, ErrorKind::ExpansionLimit { .. }) => {
            Some(format!("typed accepts, the tree says {a}"))
        }
        _ => None,
    }
}

/// `E:` read with the enum classes defined and allowed: class and case must match PHP's.
#[test]
fn enums_agree_with_php() {
    if !php_or_skip("enums_agree_with_php") {
        return;
    }
    let cases = parse_cases(&run_php("gen_cases.php", &["--cli"]));
    let enums: Vec<_> = cases.iter().filter(|c| c.cat == "enum").collect();
    assert!(
        enums.len() >= 5,
        "generator produced {} enum cases",
        enums.len()
    );
    let mut failures = Vec::new();
    for case in &enums {
        assert!(case.ok, "PHP itself rejected {}", describe(case, ""));
        let ours = php::parse(&case.input);
        match &ours {
            Ok(v) if Some(dump(v).as_str()) == case.dump.as_deref() => {}
            _ => failures.push(describe(case, &ours_text(&ours))),
        }
    }
    eprintln!("{} enum cases, {} disagree", enums.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// PHP serialize() → our parse → `Value::to_php` → PHP unserialize() gives the same value; our
/// outputs of reference-free serialize() output must be byte-identical to PHP's own.
/// (`php::to_vec(&value)` goes through serde, which has no notion of a PHP object: it is only
/// counted.)
#[test]
fn serializer_round_trips_through_php() {
    if !php_or_skip("serializer_round_trips_through_php") {
        return;
    }
    on_big_stack(|| {
        let cases = parse_cases(&run_php("gen_cases.php", &[]));
        let mut inputs = Vec::new();
        let mut failures = Vec::new();
        let (mut identical, mut from_serialize) = (0usize, 0usize);
        let mut not_identical = Vec::new();
        let mut to_vec_differs = 0usize;
        for case in &cases {
            let php_dump = match case.dump.as_deref() {
                Some(d) if case.ok && d != "CYCLE" && d != "HUGE" => d,
                _ => continue,
            };
            let Ok(v) = php::parse(&case.input) else {
                continue;
            };
            if dump(&v) != php_dump {
                continue; // reported by parse_agrees_with_php_unserialize
            }
            let bytes = v.to_php();
            match php::to_vec(&v) {
                Ok(generic) if generic == bytes => {}
                Ok(_) => to_vec_differs += 1,
                Err(e) => failures.push(describe(case, &format!("to_vec failed: {e}"))),
            }
            {
                {
                    // serialize() output without back-references (R:/r: depend on PHP's
                    // reference bookkeeping, which a tree does not keep).
                    let has_refs = has_back_refs(&case.input);
                    if matches!(case.cat.as_str(), "fixed" | "random") && !has_refs {
                        from_serialize += 1;
                        if bytes == case.input {
                            identical += 1;
                        } else {
                            not_identical.push(format!(
                                "[{}] php: {:?}\n    ours: {:?}",
                                case.cat,
                                clip(&String::from_utf8_lossy(&case.input), 400),
                                clip(&String::from_utf8_lossy(&bytes), 400)
                            ));
                        }
                    }
                    inputs.push((case, bytes));
                }
            }
        }
        assert!(
            inputs.len() > 1000,
            "only {} round-trip inputs",
            inputs.len()
        );
        let dir = std::env::temp_dir().join(format!("vpsgate-compat-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("roundtrip.hex");
        let mut text = String::new();
        for (_, b) in &inputs {
            text.push_str(&hex(b));
            text.push('\n');
        }
        std::fs::write(&file, text).expect("write");
        let back = parse_cases_plain(&run_php(
            "check.php",
            &[file.to_str().expect("utf-8 temp path")],
        ));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(back.len(), inputs.len(), "check.php answered every line");
        for ((case, ours), (ok, d)) in inputs.iter().zip(&back) {
            // Our parse of our own output must agree too.
            let reparsed = php::parse(ours).map(|v| dump(&v));
            if !*ok
                || d.as_deref() != case.dump.as_deref()
                || reparsed.as_ref().ok() != case.dump.as_ref()
            {
                failures.push(format!(
                    "{}\n    our to_vec: {:?}\n    php reads it as: {} {}\n    we re-read it as: {:?}",
                    describe(case, "accept (same dump)"),
                    clip(&String::from_utf8_lossy(ours), 400),
                    if *ok { "accept" } else { "reject" },
                    clip(d.as_deref().unwrap_or("-"), 400),
                    reparsed.map(|d| clip(&d, 400))
                ));
            }
        }
        eprintln!(
            "serializer: {} values round-tripped through PHP, {} disagree; {identical} of {from_serialize} \
             reference-free serialize() outputs re-encoded byte-identically; php::to_vec(&value) \
             differs from value.to_php() for {to_vec_differs} (objects written as arrays by serde)",
            inputs.len(),
            failures.len()
        );
        assert!(
            failures.is_empty(),
            "{} serializer round-trip failures; first ones:\n{}",
            failures.len(),
            failures
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        // Values without references must come back byte for byte as PHP wrote them.
        assert!(
            from_serialize > 300,
            "only {from_serialize} reference-free serialize() outputs"
        );
        assert!(
            not_identical.is_empty(),
            "{} of {from_serialize} reference-free serialize() outputs re-encode differently; first ones:\n{}",
            not_identical.len(),
            not_identical.iter().take(15).cloned().collect::<Vec<_>>().join("\n")
        );
    });
}

fn parse_cases_plain(out: &[u8]) -> Vec<(bool, Option<String>)> {
    std::str::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            (
                v["ok"].as_bool().expect("ok"),
                v["d"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Why `js` (`php::to_json_for_js`) is not the JS flavour of `direct` (`php::to_json_bytes`),
/// or `None`: the same error, or ASCII text with the same JSON values and `unsafe_int` set
/// exactly when a number in them is an integer outside ±(2^53 − 1).
fn js_flavour_differs(
    direct: &Result<Vec<u8>, php::Error>,
    js: &Result<php::JsJson, php::Error>,
) -> Option<String> {
    fn unsafe_int(v: &serde_json::Value) -> bool {
        const SAFE: i64 = (1 << 53) - 1;
        match v {
            serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => !(-SAFE..=SAFE).contains(&i),
                (None, Some(_)) => true,
                (None, None) => false,
            },
            serde_json::Value::Array(a) => a.iter().any(unsafe_int),
            serde_json::Value::Object(o) => o.values().any(unsafe_int),
            _ => false,
        }
    }
    match (direct, js) {
        (Err(a), Err(b)) if a == b => None,
        (Ok(d), Ok(j)) => {
            if !j.text.is_ascii() {
                return Some(format!("not ASCII: {:?}", j.text));
            }
            let want: serde_json::Value = serde_json::from_slice(d).ok()?;
            match serde_json::from_str::<serde_json::Value>(&j.text) {
                Ok(got) if got != want => Some(format!("{:?} reads other than {want}", j.text)),
                Ok(_) if j.unsafe_int != unsafe_int(&want) => {
                    Some(format!("unsafe_int {} for {want}", j.unsafe_int))
                }
                Ok(_) => None,
                Err(e) => Some(format!("not JSON ({e}): {:?}", j.text)),
            }
        }
        (d, j) => Some(format!("{d:?} against {j:?}")),
    }
}

/// Where `to_msgpack_for_js` wrote bytes, they must read as the JS flavour's JSON text does
/// (`msgpack_reader`), and that text must exist and need no BigInt.
fn msgpack_differs(js: &Result<php::JsJson, php::Error>, packed: &[u8]) -> Option<String> {
    let j = match js {
        Ok(j) if !j.unsafe_int => j,
        Ok(_) => return Some("written for a value with an unsafe integer".into()),
        Err(e) => return Some(format!("written for input that is an error: {e}")),
    };
    let want: serde_json::Value = serde_json::from_str(&j.text).ok()?;
    match msgpack_reader::read(packed) {
        Ok(got) if got == want => None,
        Ok(got) => Some(format!("reads as {got}, JSON as {want}")),
        Err(e) => Some(format!("unreadable ({e}): {}", hex(packed))),
    }
}

/// The MessagePack flavour where it matters, on maps that repeat their keys (msgpackr records:
/// lists of them, nested, more shapes than record ids, shapes that change, keys that start as a
/// record's and then differ) made by `tests/php/gen_records.php`: where it writes anything, it
/// must read as `json_encode` of the same value does in real PHP; the structured cases must all be
/// written, with records, and the random mixtures often enough.
#[test]
fn msgpack_records_agree_with_php_json_encode() {
    if !php_or_skip("msgpack_records_agree_with_php_json_encode") {
        return;
    }
    let unhex = |h: &str| -> Vec<u8> {
        (0..h.len() / 2)
            .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    };
    let out = run_php("gen_records.php", &[]);
    let (mut n, mut packed_n, mut with_records) = (0, 0, 0);
    for line in String::from_utf8(out).unwrap().lines() {
        let mut cols = line.split('\t');
        let (kind, ser, json) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap(),
        );
        let (ser, json) = (unhex(ser), unhex(json));
        n += 1;
        let want: serde_json::Value = serde_json::from_slice(&json).unwrap();
        // The JSON stream, whose shape checks these cases exercise too, says what the tree says.
        let tree = php::to_json(&php::parse(&ser).unwrap());
        let direct = php::to_json_bytes(&ser, &php::Options::default()).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&direct),
            tree,
            "{}",
            String::from_utf8_lossy(&ser)
        );
        let packed = php::to_msgpack_for_js(&ser, &php::Options::default());
        let records = packed
            .as_ref()
            .is_some_and(|p| p.windows(2).any(|w| w == [0xd4, 0x72]));
        assert!(
            kind != "records" || records,
            "not written with records: {}",
            String::from_utf8_lossy(&ser)
        );
        let Some(packed) = packed else {
            continue;
        };
        packed_n += 1;
        with_records += usize::from(records);
        let got = msgpack_reader::read(&packed)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&ser)));
        assert_eq!(got, want, "{}", String::from_utf8_lossy(&ser));
    }
    eprintln!("{n} cases, {packed_n} as MessagePack, {with_records} with records");
    assert!(n > 300, "{n} cases");
    assert!(packed_n * 10 >= n * 3, "only {packed_n} of {n} written");
    assert!(
        with_records * 10 >= n * 3,
        "only {with_records} of {n} with records"
    );
}
