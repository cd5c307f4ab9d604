//! Bodies that are not (or not quite) gateway answers, format detection and the format hint.

use http::{HeaderMap, StatusCode};
use vpsgate::friendhosting::{
    parse, parse_hinted, BalanceAnswer, CreateOrderAnswer, Credentials, Format, Gateway,
    GetBalance, OrderAnswer,
};
use vpsgate::{Error, ErrorCode};

fn p<T: serde::de::DeserializeOwned>(
    hint: Format,
    status: u16,
    body: &[u8],
) -> Result<vpsgate::friendhosting::Answer<T>, Error> {
    parse_hinted::<T>(
        hint,
        StatusCode::from_u16(status).unwrap(),
        &HeaderMap::new(),
        body,
    )
}

fn malformed(result: Result<impl std::fmt::Debug, Error>) -> (String, Option<usize>, Vec<u8>) {
    match result {
        Err(Error::MalformedResponse {
            reason,
            offset,
            body,
            ..
        }) => (reason, offset, body.into_bytes()),
        other => panic!("expected MalformedResponse, got {other:?}"),
    }
}

const HTML: &[u8] = b"<html><head><title>502 Bad Gateway</title></head></html>";

#[test]
fn html_with_200_is_malformed_keeping_the_bytes() {
    let (reason, offset, body) = malformed(p::<OrderAnswer>(Format::Json, 200, HTML));
    assert_eq!(offset, Some(0));
    assert_eq!(body, HTML);
    assert!(reason.contains("JSON"), "{reason}");
    // Leading whitespace moves the offset.
    let mut spaced = b"\n\n".to_vec();
    spaced.extend_from_slice(HTML);
    let (_, offset, body) = malformed(p::<OrderAnswer>(Format::Json, 200, &spaced));
    assert_eq!(offset, Some(2));
    assert_eq!(body, spaced);
}

#[test]
fn html_with_an_error_status_is_unexpected_status() {
    for hint in [Format::Json, Format::Php] {
        match p::<OrderAnswer>(hint, 502, HTML) {
            Err(Error::UnexpectedStatus { status, body }) => {
                assert_eq!(status, 502);
                assert_eq!(body.as_bytes(), HTML);
            }
            other => panic!("{other:?}"),
        }
    }
    let err = p::<OrderAnswer>(Format::Php, 404, b"").unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnexpectedStatus);
    assert_eq!(err.upstream_code(), Some(404));
}

#[test]
fn empty_bodies_are_malformed() {
    for hint in [Format::Json, Format::Php] {
        let (reason, offset, body) = malformed(p::<OrderAnswer>(hint, 200, b""));
        assert_eq!(offset, Some(0));
        assert!(body.is_empty());
        assert!(reason.contains("empty"), "{reason}");
        let (_, offset, body) = malformed(p::<OrderAnswer>(hint, 200, b" \r\n"));
        assert_eq!(offset, Some(3));
        assert_eq!(body, b" \r\n");
    }
}

#[test]
fn json_errors_report_the_byte_offset() {
    let body = b"{\"status\":\"SUCCESS\",\n\"balance\": 1x}";
    let (_, offset, _) = malformed(p::<BalanceAnswer>(Format::Php, 200, body));
    // The `x` on the second line.
    assert_eq!(offset, Some(33));
    assert_eq!(body[33], b'x');
    let (_, offset, _) = malformed(p::<BalanceAnswer>(Format::Json, 200, b"{\"status\":"));
    assert_eq!(offset, Some(10));
}

#[test]
fn a_json_answer_that_is_not_a_map_is_malformed() {
    for body in [&b"[]"[..], b"[\"SUCCESS\"]", b"{}"] {
        malformed(p::<OrderAnswer>(Format::Json, 200, body));
    }
}

#[test]
fn the_configured_format_is_only_a_hint() {
    let gateway = Gateway::new(Credentials::test_account());
    assert_eq!(gateway.format(), Format::Php);
    let a = gateway
        .parse(
            &GetBalance,
            StatusCode::OK,
            &HeaderMap::new(),
            br#"{"status":"SUCCESS","balance":"7.10","currency":"EUR"}"#,
        )
        .unwrap();
    assert_eq!(a.data.balance.unwrap().to_string(), "7.10");
    // The untyped default entry point reads JSON as well.
    let a = parse::<BalanceAnswer>(
        StatusCode::OK,
        &HeaderMap::new(),
        br#"{"balance":1,"status":"SUCCESS"}"#,
    )
    .unwrap();
    assert_eq!(a.data.balance.unwrap().to_string(), "1");
}

#[test]
fn a_field_of_the_wrong_shape_names_the_field() {
    let (reason, _, body) = malformed(p::<CreateOrderAnswer>(
        Format::Json,
        200,
        br#"{"status":"SUCCESS","orderid":"5","cost":"4,99"}"#,
    ));
    assert!(reason.contains("`cost`"), "{reason}");
    assert!(body.starts_with(b"{\"status\""));
    let (reason, _, _) = malformed(p::<CreateOrderAnswer>(
        Format::Json,
        200,
        br#"{"cost":"abc","status":"SUCCESS"}"#,
    ));
    assert!(reason.contains("`cost`"), "{reason}");
}

#[test]
fn an_error_answer_wins_over_odd_fields() {
    for body in [
        &br#"{"status":"ERROR","errorCode":19,"errorMsg":"x","cost":"abc"}"#[..],
        br#"{"cost":"abc","status":"ERROR","errorCode":"19","errorMsg":"x"}"#,
    ] {
        let err = p::<CreateOrderAnswer>(Format::Json, 200, body).unwrap_err();
        assert_eq!(err.upstream_code(), Some(19), "{err:?}");
    }
}

#[test]
fn status_and_error_code_must_make_sense() {
    let (reason, offset, _) = malformed(p::<OrderAnswer>(
        Format::Json,
        200,
        br#"{"status":"MAYBE"}"#,
    ));
    assert!(reason.contains("MAYBE"), "{reason}");
    assert_eq!(offset, None);
    let (reason, _, _) = malformed(p::<OrderAnswer>(
        Format::Json,
        200,
        br#"{"status":"ERROR","errorCode":"seven"}"#,
    ));
    assert!(reason.contains("seven"), "{reason}");
    // Case and spaces in `status`, a float-looking code: still understood.
    let err = p::<OrderAnswer>(
        Format::Json,
        200,
        br#"{"status":" error ","errorCode":"12.0"}"#,
    )
    .unwrap_err();
    assert_eq!(err.upstream_code(), Some(12));
    let a = p::<OrderAnswer>(
        Format::Json,
        200,
        br#"{"status":"success","errorCode":null,"errorMsg":null,"orderid":9}"#,
    )
    .unwrap();
    assert_eq!(a.warning, None);
    assert_eq!(a.data.orderid.as_deref(), Some("9"));
}

#[test]
fn a_success_message_without_code_is_kept() {
    let a = p::<OrderAnswer>(
        Format::Json,
        200,
        br#"{"status":"SUCCESS","errorMsg":"note"}"#,
    )
    .unwrap();
    let w = a.warning.unwrap();
    assert_eq!(w.code.number(), 0);
    assert_eq!(w.message, "note");
}

#[test]
fn a_success_with_an_error_status_code_is_still_a_success() {
    let a = p::<OrderAnswer>(Format::Json, 500, br#"{"status":"SUCCESS","orderid":"3"}"#).unwrap();
    assert_eq!(a.data.orderid.as_deref(), Some("3"));
}

#[test]
fn unknown_fields_are_ignored_and_integer_keys_never_match_fields() {
    let a = p::<BalanceAnswer>(
        Format::Json,
        200,
        br#"{"0":"99","status":"SUCCESS","extra":{"a":[1,2]},"balance":"5","currency":"EUR"}"#,
    )
    .unwrap();
    assert_eq!(a.data.balance.unwrap().to_string(), "5");
    assert_eq!(a.data.currency.as_deref(), Some("EUR"));
}

// ---- PHP-format specifics, on bodies generate.php wrote ----------------------------------

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/friendhosting/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn answers_that_are_not_maps_are_malformed() {
    for name in ["false", "null", "string", "int"] {
        for (ext, hint) in [("ser", Format::Php), ("json", Format::Json)] {
            let body = fixture(&format!("not_a_map_{name}.{ext}"));
            let (_, _, raw) = malformed(p::<OrderAnswer>(hint, 200, &body));
            assert_eq!(raw, body, "{name}.{ext}");
        }
    }
}

#[test]
fn php_html_with_php_hint_is_malformed_at_zero() {
    let (_, offset, body) = malformed(p::<OrderAnswer>(Format::Php, 200, HTML));
    assert_eq!(offset, Some(0));
    assert_eq!(body, HTML);
}

#[test]
fn php_answer_to_a_json_request_still_works() {
    let gateway = Gateway::new(Credentials::test_account()).with_format(Format::Json);
    let body = fixture("get_balance.ser");
    let a = gateway
        .parse(&GetBalance, StatusCode::OK, &HeaderMap::new(), &body)
        .unwrap();
    assert_eq!(a.data.balance.unwrap().to_string(), "1234.56");
    assert_eq!(a.data.currency.as_deref(), Some("RUB"));
}

#[test]
fn a_field_of_the_wrong_shape_names_the_field_in_both_formats() {
    for ext in ["ser", "json"] {
        let body = fixture(&format!("bad_cost.{ext}"));
        let (reason, _, raw) = malformed(p::<CreateOrderAnswer>(Format::Php, 200, &body));
        assert!(reason.contains("`cost`"), "{ext}: {reason}");
        assert_eq!(raw, body);
        // The same answer read into a type without `cost` is fine.
        let a = p::<OrderAnswer>(Format::Php, 200, &body).unwrap();
        assert_eq!(a.data.orderid.as_deref(), Some("51234"));
    }
}

/// The typed cause under a malformed answer: its `source()`, downcast.
fn source_of<E: std::error::Error + 'static>(err: &Error) -> &E {
    assert_eq!(err.code(), ErrorCode::MalformedResponse, "{err:?}");
    let source = std::error::Error::source(err).expect("a source");
    source
        .downcast_ref::<E>()
        .unwrap_or_else(|| panic!("source is not the typed cause: {source:?}"))
}

#[test]
fn syntax_errors_keep_the_decoders_error_as_source() {
    let err = p::<BalanceAnswer>(Format::Php, 200, br#"a:1:{s:6:"status";"#).unwrap_err();
    let php = source_of::<vpsgate::php::Error>(&err);
    assert!(err.to_string().contains(&php.kind.to_string()), "{err}");
    let err = p::<BalanceAnswer>(Format::Json, 200, br#"{"status": 1x}"#).unwrap_err();
    let json = source_of::<serde_json::Error>(&err);
    assert!(json.is_syntax(), "{json}");
    assert!(err.to_string().contains(&json.to_string()), "{err}");
}

#[test]
fn a_field_that_does_not_fit_keeps_the_decoders_error_as_source() {
    let body = br#"a:2:{s:6:"status";s:7:"SUCCESS";s:4:"cost";s:4:"4,99";}"#;
    let err = p::<CreateOrderAnswer>(Format::Php, 200, body).unwrap_err();
    let php = source_of::<vpsgate::php::Error>(&err);
    assert!(php.to_string().contains("4,99"), "{php}");
    let body = br#"{"cost":"abc","status":"SUCCESS"}"#;
    let err = p::<CreateOrderAnswer>(Format::Json, 200, body).unwrap_err();
    let json = source_of::<serde_json::Error>(&err);
    assert!(json.is_data(), "{json}");
    // The reason names the field; the source is the decoder's own error.
    assert!(err.to_string().contains("`cost`"), "{err}");
    // A malformed answer that no decoder refused has no source.
    let err = p::<OrderAnswer>(Format::Json, 200, br#"{"status":"MAYBE"}"#).unwrap_err();
    assert!(std::error::Error::source(&err).is_none(), "{err:?}");
}

// ---- robustness: no input panics, every failure is typed ---------------------------------

mod robustness {
    use super::*;
    use proptest::prelude::*;
    use vpsgate::friendhosting::{OrdersAnswer, TarifsAnswer};

    fn fixtures() -> Vec<Vec<u8>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/friendhosting");
        ["get_tarifs", "get_orders", "create_order", "error_07"]
            .iter()
            .flat_map(|n| ["ser", "json"].map(|e| format!("{dir}/{n}.{e}")))
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    }

    fn typed_outcome<T: std::fmt::Debug>(r: Result<T, Error>) {
        if let Err(e) = r {
            assert!(
                matches!(e.code(), ErrorCode::MalformedResponse | ErrorCode::Gateway),
                "{e:?}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn mutated_fixtures_never_panic(which in 0usize..8, at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
            let mut body = fixtures()[which].clone();
            let i = at.index(body.len());
            body[i] = byte;
            let end = cut.index(body.len() + 1);
            let body = &body[..end];
            for hint in [Format::Php, Format::Json] {
                typed_outcome(p::<TarifsAnswer>(hint, 200, body));
                typed_outcome(p::<OrdersAnswer>(hint, 200, body));
                typed_outcome(p::<CreateOrderAnswer>(hint, 200, body));
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(prefix in prop::sample::select(vec![&b""[..], b"{", b"a:", b"a:1:{", b"[", b"N;"]), rest in prop::collection::vec(any::<u8>(), 0..64)) {
            let mut body = prefix.to_vec();
            body.extend(rest);
            for hint in [Format::Php, Format::Json] {
                typed_outcome(p::<OrdersAnswer>(hint, 200, &body));
            }
        }
    }
}

/// A typed answer may borrow from the body through `parse`: strings written verbatim point
/// into the body, in both formats; the envelope is still read (ERROR, warnings).
#[test]
fn typed_answers_can_borrow_from_the_body() {
    use std::borrow::Cow;

    #[derive(Debug, serde::Deserialize)]
    struct Order<'a> {
        #[serde(borrow)]
        domain: Cow<'a, str>,
        vid: &'a str,
    }
    #[derive(Debug, serde::Deserialize)]
    struct Orders<'a> {
        #[serde(borrow)]
        orders: Vec<Order<'a>>,
    }
    fn inside(body: &[u8], s: &str) -> bool {
        let range = body.as_ptr_range();
        range.contains(&s.as_ptr()) && s.len() <= body.len()
    }

    let php = br#"a:3:{s:6:"status";s:7:"SUCCESS";s:9:"errorCode";i:31;s:6:"orders";a:2:{i:0;a:2:{s:6:"domain";s:5:"a.com";s:3:"vid";s:3:"vds";}i:1;a:2:{s:6:"domain";s:5:"b.org";s:3:"vid";s:3:"vps";}}}"#;
    let json = br#"{"status":"SUCCESS","errorCode":31,"orders":[{"domain":"a.com","vid":"vds"},{"domain":"b.org","vid":"vps"}]}"#;
    for body in [&php[..], &json[..]] {
        let a = parse::<Orders<'_>>(StatusCode::OK, &HeaderMap::new(), body).unwrap();
        let got: Vec<(&str, &str)> = a.data.orders.iter().map(|o| (&*o.domain, o.vid)).collect();
        assert_eq!(got, [("a.com", "vds"), ("b.org", "vps")]);
        for o in &a.data.orders {
            assert!(matches!(o.domain, Cow::Borrowed(_)), "{:?}", o.domain);
            assert!(inside(body, &o.domain) && inside(body, o.vid));
        }
        assert_eq!(a.warning.unwrap().code.number(), 31);
    }
    let err = br#"a:3:{s:6:"status";s:5:"ERROR";s:9:"errorCode";i:4;s:8:"errorMsg";s:3:"bad";}"#;
    let e = parse::<Orders<'_>>(StatusCode::OK, &HeaderMap::new(), err).unwrap_err();
    assert_eq!(e.upstream_code(), Some(4));
}
