//! Arbitrary bodies into the Friendhosting answer parser (PHP or JSON, chosen by the body):
//! never a panic, whatever the HTTP status.
#![no_main]

use http::{HeaderMap, StatusCode};
use libfuzzer_sys::fuzz_target;
use vpsgate::friendhosting::{self, BalanceAnswer, Format, OrdersAnswer, TarifsAnswer};

fuzz_target!(|data: &[u8]| {
    let headers = HeaderMap::new();
    let status = if data.len() % 7 == 0 {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    let _ = friendhosting::parse::<OrdersAnswer>(status, &headers, data);
    let _ = friendhosting::parse::<TarifsAnswer>(status, &headers, data);
    let _ = friendhosting::parse_hinted::<BalanceAnswer>(Format::Json, status, &headers, data);
    let _ = friendhosting::detect(data);
});
