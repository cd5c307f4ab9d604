//! The entry points the C library (crates/vpsgate-ffi) hands untrusted bytes to, in the order
//! its exports use them: `decode::to_json` (vpsgate_decode_to_json, each source),
//! `Config::from_json` (vpsgate_provider_new), then `Step::from_json` and building the request
//! (vpsgate_provider_step_request). Never a panic; a decode error's offset points into the
//! input; decoded output is valid JSON with no NUL byte (it crosses as a C string).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpsgate::config::Config;
use vpsgate::decode::{to_json, Source};
use vpsgate::lifecycle::{Step, Upstream};

fuzz_target!(|data: &[u8]| {
    for source in [Source::Auto, Source::Php, Source::Json] {
        match to_json(data, source) {
            Ok(json) => {
                assert!(!json.contains('\0'));
                // JSON by grammar (IgnoredAny: a number like 1e400 is valid JSON, out of f64 range).
                serde_json::from_str::<serde::de::IgnoredAny>(&json).expect("decoded output is JSON");
            }
            Err(e) => assert!(e.byte_offset().is_none_or(|o| o <= data.len())),
        }
    }
    // The first byte picks a split: configuration before it, step arguments after.
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let cut = usize::from(cut).min(rest.len());
    let (config, args) = rest.split_at(cut);
    if let Ok(config) = Config::from_json(config) {
        for name in Step::NAMES {
            if let Ok(step) = Step::from_json(name, args) {
                let _ = config.provider.build(&step);
            }
        }
    }
});
