//! Forged and replayed GoVPSFX deliveries. Each forgery below keeps the provider's md5 hash valid
//! (so `verify_callback` accepts it: the provider's rule cannot tell), and `verify_delivery`,
//! which binds the delivery to the pending lease and the stored servers, refuses it.

use std::collections::HashSet;

use time::macros::date;
use vpsgate::govpsfx::{
    callback_form, server_key, verify_callback, verify_delivery, CallbackLimits, Partner,
    PendingLease, ServerDetails, Term,
};
use vpsgate::transport::form_encode;
use vpsgate::{Error, ErrorCode, PartnerSecret, ServerPassword, SignatureProblem};

fn partner() -> Partner {
    Partner::new("14321", PartnerSecret::new("sdsd4223dsd"))
}

fn details() -> ServerDetails {
    ServerDetails {
        ip: "203.0.113.7".into(),
        port: 8015,
        login: "root".into(),
        password: ServerPassword::new("s3rv3r-pw"),
        created_at: date!(2026 - 03 - 31),
        end_at: date!(2026 - 04 - 30),
        rate: "france_mini".into(),
        client_id: "ID16773".into(),
        server_id: "ID20002".into(),
    }
}

fn pending() -> PendingLease {
    PendingLease {
        client_id: "ID16773".into(),
        rate: "france_mini".into(),
        term: Some(Term::try_from(1).unwrap()),
    }
}

/// The genuine delivery's fields, in order.
fn fields() -> Vec<(String, String)> {
    form_urlencoded::parse(&callback_form(&partner(), &details()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn encode(fields: &[(String, String)]) -> Vec<u8> {
    form_encode(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn with(changes: &[(&str, Option<&str>)]) -> Vec<u8> {
    let mut f = fields();
    for (name, value) in changes {
        match value {
            Some(v) => f
                .iter_mut()
                .filter(|(k, _)| k == name)
                .for_each(|(_, x)| *x = (*v).into()),
            None => f.retain(|(k, _)| k != name),
        }
    }
    encode(&f)
}

fn nothing_stored(_: &str) -> bool {
    false
}

fn refused_field(r: Result<ServerDetails, Error>) -> String {
    match r {
        Err(Error::MalformedCallback { field, .. }) => field,
        other => panic!("expected a refused delivery, got {other:?}"),
    }
}

fn verify(body: &[u8], stored: impl Fn(&str) -> bool) -> Result<ServerDetails, Error> {
    verify_delivery(
        &partner(),
        None,
        body,
        &CallbackLimits::default(),
        &pending(),
        stored,
    )
}

#[test]
fn the_genuine_delivery_is_accepted_once() {
    let body = encode(&fields());
    assert_eq!(verify(&body, nothing_stored).unwrap(), details());
    let mut stored = HashSet::new();
    stored.insert(server_key("ID20002"));
    assert_eq!(
        refused_field(verify(&body, |k| stored.contains(k))),
        "server_id"
    );
}

#[test]
fn each_forgery_keeps_the_hash_but_is_refused() {
    let lim = CallbackLimits::default();
    let forged: [(&str, Vec<u8>, &str); 3] = [
        (
            "client_id moved to another customer",
            with(&[("client_id", Some("ID99999"))]),
            "client_id",
        ),
        (
            "value boundaries shifted",
            with(&[
                ("rate", Some("france_miniID2")),
                ("server_id", Some("0002")),
            ]),
            "rate",
        ),
        (
            "partner_code dropped and appended to server_id",
            with(&[("partner_code", None), ("server_id", Some("ID2000214321"))]),
            "partner_code",
        ),
    ];
    for (what, body, field) in forged {
        // The provider's rule cannot tell: the hash still matches.
        verify_callback(&partner(), None, &body, &lim)
            .unwrap_or_else(|e| panic!("{what}: the hash should still match: {e}"));
        assert_eq!(
            refused_field(verify(&body, nothing_stored)),
            field,
            "{what}"
        );
    }
}

#[test]
fn a_recased_server_id_is_the_same_server() {
    let body = with(&[("server_id", Some("id20002"))]);
    let d = verify_callback(&partner(), None, &body, &CallbackLimits::default()).unwrap();
    assert_eq!(d.server_id, "id20002");
    // ID20002 is already stored: the re-cased replay is refused.
    let stored = server_key("ID20002");
    assert_eq!(refused_field(verify(&body, |k| k == stored)), "server_id");
}

#[test]
fn bad_hash_oversize_missing_and_repeated_fields_are_refused_clearly() {
    let e = verify(
        &with(&[("hash", Some("0123456789abcdef0123456789abcdef"))]),
        nothing_stored,
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::BadSignature(SignatureProblem::Mismatch)),
        "{e}"
    );
    assert_eq!(e.code(), ErrorCode::BadSignature);
    let e = verify(&with(&[("hash", None)]), nothing_stored).unwrap_err();
    assert!(
        matches!(e, Error::BadSignature(SignatureProblem::Missing)),
        "{e}"
    );

    let mut big = encode(&fields());
    big.extend(std::iter::repeat_n(b'x', 70 * 1024));
    let e = verify(&big, nothing_stored).unwrap_err();
    assert_eq!(e.code(), ErrorCode::PayloadTooLarge, "{e}");

    assert_eq!(
        refused_field(verify(&with(&[("ip", None)]), nothing_stored)),
        "ip"
    );
    let mut twice = encode(&fields());
    twice.extend_from_slice(b"&client_id=ID16773");
    assert_eq!(refused_field(verify(&twice, nothing_stored)), "client_id");

    // A term the lease did not ask for.
    let mut f = fields();
    f.insert(0, ("term".into(), "3".into()));
    let hash_pos = f.iter().position(|(k, _)| k == "hash").unwrap();
    f[hash_pos].1 = vpsgate::govpsfx::sign::signature(
        &vpsgate::govpsfx::sign::SignedFields {
            rate: Some("france_mini"),
            term: Some("3"),
            server_id: Some("ID20002"),
            partner_code: Some("14321"),
        },
        &PartnerSecret::new("sdsd4223dsd"),
    );
    assert_eq!(refused_field(verify(&encode(&f), nothing_stored)), "term");
    // Every refusal names what was wrong and never holds the server password or the secret.
    let e = verify(&with(&[("client_id", Some("ID9"))]), nothing_stored).unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(
        !text.contains("s3rv3r-pw") && !text.contains("sdsd4223dsd"),
        "{text}"
    );
}
