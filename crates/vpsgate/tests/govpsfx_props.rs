//! GoVPSFX: properties over arbitrary input (no panic on any bytes; build → parse round trips).

use http::StatusCode;
use proptest::prelude::*;
use time::{Date, Month};
use vpsgate::govpsfx::response::{parse_extend, parse_lease, parse_recall};
use vpsgate::govpsfx::sign::{signature, SignedFields};
use vpsgate::govpsfx::{
    callback_form, callback_json, details_body, verify_callback, CallbackLimits, Extend, Lease,
    LeaseOutcome, Partner, Recall, ServerDetails, Term,
};
use vpsgate::{Error, PartnerSecret, ServerPassword, SignatureProblem};

fn date() -> impl Strategy<Value = Date> {
    (1000i32..=9999, 1u8..=12, 1u8..=28)
        .prop_map(|(y, m, d)| Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap())
}

fn details() -> impl Strategy<Value = ServerDetails> {
    (
        (
            "\\PC{0,12}",
            1u16..=65535,
            "\\PC{0,12}",
            "\\PC{0,16}",
            date(),
            date(),
        ),
        ("\\PC{0,12}", "\\PC{0,12}", "\\PC{0,6}[A-Za-z0-9]"),
    )
        .prop_map(
            |((ip, port, login, password, created_at, end_at), (rate, client_id, server_id))| {
                ServerDetails {
                    ip,
                    port,
                    login,
                    password: ServerPassword::new(password),
                    created_at,
                    end_at,
                    rate,
                    client_id,
                    server_id,
                }
            },
        )
}

fn partner() -> impl Strategy<Value = Partner> {
    ("\\PC{0,6}[0-9]", "\\PC{0,16}")
        .prop_map(|(code, secret)| Partner::new(code, PartnerSecret::new(secret)))
}

fn term() -> impl Strategy<Value = Term> {
    prop::sample::select(vec![1u32, 3, 6, 9, 12]).prop_map(|m| Term::try_from(m).unwrap())
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

proptest! {
    #[test]
    fn response_parsers_never_panic(status in 100u16..=599, body in prop::collection::vec(any::<u8>(), 0..256)) {
        let status = StatusCode::from_u16(status).unwrap();
        for result in [
            parse_lease(status, &body).map(drop),
            parse_extend(status, &body).map(drop),
            parse_recall(status, &body).map(drop),
        ] {
            if let Err(e) = result {
                // Every failure about a response keeps the body as received.
                prop_assert_eq!(e.raw_body(), Some(&body[..]));
            }
        }
    }

    #[test]
    fn callback_never_panics(
        body in prop::collection::vec(any::<u8>(), 0..256),
        ct in prop::option::of(prop::sample::select(vec![
            "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data",
        ])),
    ) {
        let p = Partner::new("1880", PartnerSecret::new("k"));
        // Random bytes are never a valid signed delivery.
        prop_assert!(verify_callback(&p, ct, &body, &CallbackLimits::default()).is_err());
    }

    #[test]
    fn details_round_trip_through_200_and_callbacks(d in details(), p in partner()) {
        let body = details_body(&d);
        prop_assert_eq!(parse_lease(StatusCode::OK, &body).unwrap(), LeaseOutcome::Delivered(d.clone()));
        let limits = CallbackLimits::default();
        prop_assert_eq!(&verify_callback(&p, None, &callback_form(&p, &d), &limits).unwrap(), &d);
        prop_assert_eq!(&verify_callback(&p, None, &callback_json(&p, &d), &limits).unwrap(), &d);
    }

    #[test]
    fn tampered_signed_field_is_a_mismatch(d in details(), p in partner(), extra in "[a-z0-9]{1,4}") {
        let form = callback_form(&p, &d);
        let tampered: Vec<(String, String)> = form_pairs(&form)
            .into_iter()
            .map(|(k, v)| if k == "server_id" { (k, format!("{v}{extra}")) } else { (k, v) })
            .collect();
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(tampered).finish();
        prop_assert!(matches!(
            verify_callback(&p, None, body.as_bytes(), &CallbackLimits::default()),
            Err(Error::BadSignature(SignatureProblem::Mismatch))
        ));
    }

    #[test]
    fn request_forms_carry_exact_fields(
        p in partner(),
        rate in "\\PC{0,10}[a-z]",
        client_id in "\\PC{0,10}[0-9]",
        server_id in "\\PC{0,10}[A-Z]",
        t in term(),
    ) {
        let code = p.partner_code().to_owned();
        let sign = |f: SignedFields<'_>| signature(&f, p.secret());

        let lease = form_pairs(&Lease::new(rate.as_str(), t, client_id.as_str()).form(&p).unwrap());
        let hash = sign(SignedFields { rate: Some(&rate), term: Some(t.as_str()), server_id: None, partner_code: Some(&code) });
        prop_assert_eq!(lease, vec![
            ("rate".to_owned(), rate.clone()),
            ("term".to_owned(), t.to_string()),
            ("partner_code".to_owned(), code.clone()),
            ("client_id".to_owned(), client_id.clone()),
            ("hash".to_owned(), hash),
        ]);

        let extend = form_pairs(&Extend::new(t, client_id.as_str()).form(&p).unwrap());
        let hash = sign(SignedFields { rate: None, term: Some(t.as_str()), server_id: None, partner_code: Some(&code) });
        prop_assert_eq!(extend, vec![
            ("term".to_owned(), t.to_string()),
            ("partner_code".to_owned(), code.clone()),
            ("client_id".to_owned(), client_id.clone()),
            ("hash".to_owned(), hash),
        ]);

        let recall = form_pairs(&Recall::new(server_id.as_str()).form(&p).unwrap());
        let hash = sign(SignedFields { rate: None, term: None, server_id: Some(&server_id), partner_code: Some(&code) });
        prop_assert_eq!(recall, vec![
            ("server_id".to_owned(), server_id.clone()),
            ("partner_code".to_owned(), code.clone()),
            ("hash".to_owned(), hash),
        ]);
    }
}
