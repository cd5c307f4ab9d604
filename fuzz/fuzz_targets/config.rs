//! Arbitrary configuration and step arguments into the configuration reader every face uses:
//! never a panic, no secret in an error, and a configuration that reads builds every step
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpsgate::config::Config;
use vpsgate::lifecycle::{Step, Upstream};

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let (config, args) = rest.split_at(usize::from(cut).min(rest.len()));
    match Config::from_json(config) {
        Ok(c) => {
            assert!(!format!("{c:?}").contains("\"password\":"));
            for name in Step::NAMES {
                if let Ok(step) = Step::from_json(name, args) {
                    let _ = c.provider.build(&step);
                }
            }
        }
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"));
        }
    }
    // With a valid prefix too, so the fuzzer reaches the field checks.
    let mut framed = br#"{"provider":"friendhosting","login":"x","password":"SECRETVALUE","#.to_vec();
    framed.extend_from_slice(config);
    if let Err(e) = Config::from_json(&framed) {
        let text = format!("{e} {e:?}");
        assert!(!text.contains("SECRETVALUE"), "{text}");
    }
});
