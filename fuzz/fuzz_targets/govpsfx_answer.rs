//! Arbitrary bodies and statuses into the GoVPSFX answer readers (lease, extend, recall), and the
//! same bytes as a JSON answer of the Friendhosting gateway: never a panic; an error that
//! names a byte offset points into the body.
#![no_main]

use http::{HeaderMap, StatusCode};
use libfuzzer_sys::fuzz_target;
use vpsgate::friendhosting::{self, Format, OrdersAnswer, TarifsAnswer};
use vpsgate::govpsfx::response::{parse_extend, parse_lease, parse_recall};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let status = [200u16, 202, 400, 403, 500, 302, 418][usize::from(pick) % 7];
    let status = StatusCode::from_u16(status).expect("a valid status");
    for result in [
        parse_lease(status, body).map(drop),
        parse_extend(status, body).map(drop),
        parse_recall(status, body).map(drop),
        friendhosting::parse_hinted::<OrdersAnswer>(Format::Json, status, &HeaderMap::new(), body)
            .map(drop),
        friendhosting::parse_hinted::<TarifsAnswer>(Format::Json, status, &HeaderMap::new(), body)
            .map(drop),
    ] {
        if let Err(e) = result {
            assert!(e.byte_offset().is_none_or(|o| o <= body.len()), "{e:?}");
            let _ = e.to_string();
        }
    }
});
