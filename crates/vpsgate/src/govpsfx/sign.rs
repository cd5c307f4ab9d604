//! The GoVPSFX md5 signature (`hash`).
//!
//! The rule, from the provider's "forming the md5 hash" page: concatenate the values of `rate`,
//! `term`, `server_id` and `partner_code`, in exactly that order, skipping those the request does
//! not carry; append the partner secret; lower-case the whole string the way PHP 8.2's
//! `mb_strtolower` does; send the lower-case hex md5. `client_id` is not signed.
//!
//! ```
//! use vpsgate::govpsfx::sign::{signature, SignedFields};
//! use vpsgate::PartnerSecret;
//! let fields = SignedFields {
//!     rate: Some("singapore"),
//!     term: Some("1"),
//!     partner_code: Some("14321"),
//!     ..SignedFields::default()
//! };
//! let hash = signature(&fields, &PartnerSecret::new("sdsd4223dsd"));
//! assert_eq!(hash, "8cfff6fb2b39a4f0c9d6d7413e9439f6");
//! ```

use md5::{Digest, Md5};
use subtle::ConstantTimeEq;

use crate::secret::PartnerSecret;

/// The values that take part in the signature, as sent on the wire. `None` = not carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignedFields<'a> {
    /// `rate` (lease).
    pub rate: Option<&'a str>,
    /// `term` as sent, e.g. `"12"` (lease, extend).
    pub term: Option<&'a str>,
    /// `server_id` (recall).
    pub server_id: Option<&'a str>,
    /// `partner_code` (every request).
    pub partner_code: Option<&'a str>,
}

impl<'a> SignedFields<'a> {
    /// The carried values in signing order.
    fn values(&self) -> impl Iterator<Item = &'a str> {
        [self.rate, self.term, self.server_id, self.partner_code]
            .into_iter()
            .flatten()
    }
}

/// Lower-case `s` like PHP 8.2's `mb_strtolower($s, 'UTF-8')`.
///
/// Each character is mapped on its own with Unicode's full lower-case mapping and no context, so
/// `Σ` always becomes `σ` (never the final `ς` that [`str::to_lowercase`] picks at a word's end)
/// and `İ` becomes `i` followed by U+0307.
pub fn mb_strtolower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().flat_map(char::to_lowercase));
    out
}

/// The `hash` value: lower-case hex md5 of the lower-cased signed values followed by the secret.
pub fn signature(fields: &SignedFields<'_>, secret: &PartnerSecret) -> String {
    let mut plain = String::new();
    for value in fields.values() {
        plain.push_str(value);
    }
    plain.push_str(secret.secret());
    let lowered = mb_strtolower(&plain);
    let digest = Md5::digest(lowered.as_bytes());
    format!("{digest:x}")
}

/// Whether `hash` is the signature of `fields`, compared in constant time.
///
/// Hex case is ignored: `8CFF…` is accepted like `8cff…`. Case carries no information in hex,
/// and PHP's `md5()` (or `strtoupper` on it) produces either; the 128 bits compared are the same.
pub fn verify(fields: &SignedFields<'_>, secret: &PartnerSecret, hash: &str) -> bool {
    let expected = signature(fields, secret);
    let given = hash.trim().to_ascii_lowercase();
    // The length of a valid md5 hex string is public (32), so an early length check leaks nothing.
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> PartnerSecret {
        PartnerSecret::new(s)
    }

    #[test]
    fn provider_test_vector() {
        let fields = SignedFields {
            rate: Some("singapore"),
            term: Some("1"),
            server_id: None,
            partner_code: Some("14321"),
        };
        let concatenated: String = fields.values().collect::<String>() + "sdsd4223dsd";
        assert_eq!(concatenated, "singapore114321sdsd4223dsd");
        assert_eq!(
            signature(&fields, &secret("sdsd4223dsd")),
            "8cfff6fb2b39a4f0c9d6d7413e9439f6"
        );
    }

    #[test]
    fn order_is_rate_term_server_id_partner_code() {
        // Same values, different slots: a wrong order would give the same string for both.
        let a = SignedFields {
            rate: Some("a"),
            term: Some("1"),
            server_id: Some("s"),
            partner_code: Some("p"),
        };
        let plain = md5_hex("a1spk");
        assert_eq!(signature(&a, &secret("K")), plain);
        let b = SignedFields {
            rate: Some("s"),
            term: Some("1"),
            server_id: Some("a"),
            partner_code: Some("p"),
        };
        assert_ne!(signature(&b, &secret("K")), plain);
    }

    #[test]
    fn secret_is_lower_cased_too() {
        let f = SignedFields {
            term: Some("3"),
            partner_code: Some("1880"),
            ..SignedFields::default()
        };
        assert_eq!(signature(&f, &secret("AbC")), md5_hex("31880abc"));
        assert_eq!(
            signature(&f, &secret("AbC")),
            "fa509395ebf51223687f551d323c49b2"
        );
    }

    #[test]
    fn sigma_is_not_context_sensitive() {
        // Rust's str::to_lowercase picks final sigma at a word end; PHP 8.2 does not.
        assert_eq!("ΟΔΟΣ".to_lowercase(), "οδος");
        assert_eq!(mb_strtolower("ΟΔΟΣ"), "οδοσ");
        assert_eq!(mb_strtolower("İ"), "i\u{307}");
        assert_eq!(mb_strtolower("ẞǅ"), "ßǆ");
    }

    #[test]
    fn verify_is_case_insensitive_and_rejects_others() {
        let f = SignedFields {
            rate: Some("singapore"),
            term: Some("1"),
            partner_code: Some("14321"),
            ..SignedFields::default()
        };
        let s = secret("sdsd4223dsd");
        assert!(verify(&f, &s, "8cfff6fb2b39a4f0c9d6d7413e9439f6"));
        assert!(verify(&f, &s, "8CFFF6FB2B39A4F0C9D6D7413E9439F6"));
        assert!(!verify(&f, &s, "8cfff6fb2b39a4f0c9d6d7413e9439f7"));
        assert!(!verify(&f, &s, "8cfff6fb2b39a4f0c9d6d7413e9439f"));
        assert!(!verify(&f, &s, ""));
    }

    fn md5_hex(s: &str) -> String {
        format!("{:x}", Md5::digest(s.as_bytes()))
    }
}
