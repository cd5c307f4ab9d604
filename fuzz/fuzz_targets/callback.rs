//! Arbitrary deferred-delivery bodies into the callback verifier and the delivery binding, with
//! each content type: never a panic, and nothing but a correctly signed delivery for the
//! pending lease is accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpsgate::govpsfx::{verify_callback, verify_delivery, CallbackLimits, Partner, PendingLease};
use vpsgate::PartnerSecret;

fuzz_target!(|data: &[u8]| {
    let partner = Partner::new("14321", PartnerSecret::new("sdsd4223dsd"));
    let limits = CallbackLimits { max_body: 4096 };
    let pending = PendingLease::new("ID16773", "france_mini");
    for ct in [
        None,
        Some("application/x-www-form-urlencoded"),
        Some("application/json"),
        Some("multipart/form-data"),
    ] {
        let plain = verify_callback(&partner, ct, data, &limits);
        let bound = verify_delivery(&partner, ct, data, &limits, &pending, |_| false);
        if let Ok(d) = &bound {
            // Binding only narrows what the signature check accepts.
            assert!(plain.is_ok());
            assert_eq!((d.client_id.as_str(), d.rate.as_str()), ("ID16773", "france_mini"));
        }
    }
});
