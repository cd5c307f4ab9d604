//! A provider built from plain configuration: the one shape the CLI, the C library, the npm
//! package and the PHP package all read.
//!
//! [`ProviderConfig`] is a flat serde structure, so it reads from JSON, TOML, a JS object or a
//! PHP array alike. Unknown fields are refused by name; fields of the other provider are refused
//! by name; a missing credential names the field it needs. Secrets are [`Password`], [`ApiKey`]
//! and [`PartnerSecret`]: `Debug` and every error print `[redacted]`.
//!
//! ```json
//! {"provider": "friendhosting", "endpoint": "https://my.friendhosting.net/apih.php",
//!  "login": "reseller", "api_key": "...", "format": "json", "method": "post", "timeout_ms": 30000}
//! {"provider": "govpsfx", "endpoint": "https://api.govpsfx.com",
//!  "partner_code": "14321", "secret": "..."}
//! ```
//!
//! | field | provider | meaning | default |
//! |---|---|---|---|
//! | `provider` | both | `"friendhosting"` or `"govpsfx"` | required |
//! | `endpoint` | both | Friendhosting: the full `apih.php` URL; GoVPSFX: the base URL the three paths go under | the provider's own |
//! | `login` | friendhosting | account login | required |
//! | `password` / `api_key` | friendhosting | exactly one of them | required |
//! | `format` | friendhosting | `"php"` or `"json"` answers | `"php"` |
//! | `method` | friendhosting | `"post"` or `"get"` | `"post"` |
//! | `partner_code`, `secret` | govpsfx | partner code and md5 secret | required |
//! | `lease_url`, `extend_url`, `recall_url` | govpsfx | override one URL (extend/recall paths are unverified) | under `endpoint` |
//! | `timeout_ms` | both | whole-exchange timeout, 1 ms to 24 h | transport's (60 s native) |
//! | `connect_timeout_ms` | both | connect timeout, 1 ms to 24 h | transport's (10 s native) |
//! | `max_body_bytes` | both | largest answer accepted | transport's (16 MiB native) |
//! | `allow_insecure_http` | both | allow `http://` to non-loopback hosts | `false` |
//! | `retry_attempts` | both | attempts in all for read-only requests (1 = no retry), 1 to 10; see [`crate::retry`] | 1 |
//! | `retry_base_delay_ms` | both | wait before the first retry (doubling, jittered), 1 ms to 60 s | 200 |
//! | `retry_max_delay_ms` | both | longest wait between attempts, `retry_base_delay_ms` to 60 s | 5000 |
//!
//! Retries never apply to create, renew, lease, extend or any other state change: only to
//! Friendhosting `getTarifs` / `getOrders` / `getBalance` (the `info`, `list`, `balance` steps).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::friendhosting::{Credentials, Format, Gateway, Method};
use crate::govpsfx::{Endpoints, Partner};
use crate::lifecycle::Provider;
use crate::retry::RetryPolicy;
use crate::secret::{ApiKey, PartnerSecret, Password};

/// The longest timeout a configuration may ask for.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// Provider configuration as read from JSON, TOML or any serde format; see the module docs for
/// every field. Build the provider with [`Config::from_settings`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// `"friendhosting"` or `"govpsfx"`.
    #[serde(default)]
    pub provider: Option<String>,
    /// The gateway URL (Friendhosting) or the base URL (GoVPSFX).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Friendhosting login.
    #[serde(default)]
    pub login: Option<String>,
    /// Friendhosting password.
    #[serde(default)]
    pub password: Option<Password>,
    /// Friendhosting API key.
    #[serde(default)]
    pub api_key: Option<ApiKey>,
    /// Friendhosting answer format, `"php"` or `"json"`.
    #[serde(default)]
    pub format: Option<String>,
    /// Friendhosting HTTP method, `"post"` or `"get"`.
    #[serde(default)]
    pub method: Option<String>,
    /// GoVPSFX partner code.
    #[serde(default)]
    pub partner_code: Option<String>,
    /// GoVPSFX md5 secret.
    #[serde(default)]
    pub secret: Option<PartnerSecret>,
    /// GoVPSFX lease URL override.
    #[serde(default)]
    pub lease_url: Option<String>,
    /// GoVPSFX extend URL override.
    #[serde(default)]
    pub extend_url: Option<String>,
    /// GoVPSFX recall URL override.
    #[serde(default)]
    pub recall_url: Option<String>,
    /// Whole-exchange timeout in milliseconds.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Connect timeout in milliseconds.
    #[serde(default)]
    pub connect_timeout_ms: Option<u64>,
    /// Largest answer accepted, in bytes.
    #[serde(default)]
    pub max_body_bytes: Option<u64>,
    /// Allow plain `http://` to non-loopback hosts.
    #[serde(default)]
    pub allow_insecure_http: Option<bool>,
    /// Attempts in all for a read-only request, 1 (no retry) to 10.
    #[serde(default)]
    pub retry_attempts: Option<u64>,
    /// Wait before the first retry, in milliseconds.
    #[serde(default)]
    pub retry_base_delay_ms: Option<u64>,
    /// Longest wait between two attempts, in milliseconds.
    #[serde(default)]
    pub retry_max_delay_ms: Option<u64>,
}

/// What a transport should honour, as configured. `None` leaves the transport's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransportSettings {
    /// Whole-exchange timeout.
    pub timeout: Option<Duration>,
    /// Connect timeout.
    pub connect_timeout: Option<Duration>,
    /// Largest answer accepted, in bytes.
    pub max_body_size: Option<u64>,
    /// Allow plain `http://` to non-loopback hosts.
    pub allow_insecure_http: bool,
    /// Retries of read-only requests ([`RetryPolicy::NEVER`] unless configured).
    pub retry: RetryPolicy,
}

/// A configured provider and the transport settings that came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The provider.
    pub provider: Provider,
    /// How to send.
    pub transport: TransportSettings,
}

impl Config {
    /// Read a JSON configuration object. Malformed JSON, unknown fields and wrong types are
    /// [`Error::InvalidInput`] on `config` with serde's description (field, line, column).
    pub fn from_json(json: &[u8]) -> Result<Config, Error> {
        let settings: ProviderConfig = serde_json::from_slice(json)
            .map_err(|e| Error::invalid_input("config", e.to_string()))?;
        Config::from_settings(&settings)
    }

    /// Validate `settings` and build the provider.
    pub fn from_settings(settings: &ProviderConfig) -> Result<Config, Error> {
        let provider = match settings.provider.as_deref().map(str::trim) {
            Some("friendhosting") => Provider::Friendhosting(friendhosting(settings)?),
            Some("govpsfx") => Provider::Govpsfx(govpsfx(settings)?),
            Some(other) => {
                return Err(Error::invalid_input(
                    "provider",
                    format!(
                        "unknown provider {other:?}; expected \"friendhosting\" or \"govpsfx\""
                    ),
                ))
            }
            None => {
                return Err(Error::invalid_input(
                    "provider",
                    "is required: \"friendhosting\" or \"govpsfx\"",
                ))
            }
        };
        Ok(Config {
            provider,
            transport: transport(settings)?,
        })
    }
}

impl Provider {
    /// A provider from a JSON configuration; the transport fields are checked and dropped (use
    /// [`Config::from_json`] to keep them).
    pub fn from_json(json: &[u8]) -> Result<Provider, Error> {
        Config::from_json(json).map(|c| c.provider)
    }

    /// A provider from parsed settings; see [`Config::from_settings`].
    pub fn from_config(settings: &ProviderConfig) -> Result<Provider, Error> {
        Config::from_settings(settings).map(|c| c.provider)
    }
}

/// A required, non-blank string field.
fn required<'a>(
    field: &'static str,
    value: &'a Option<String>,
    what: &str,
) -> Result<&'a str, Error> {
    match value.as_deref() {
        Some(v) if !v.trim().is_empty() => Ok(v),
        Some(_) => Err(Error::invalid_input(field, "must not be empty")),
        None => Err(Error::invalid_input(
            field,
            format!("is required for {what}"),
        )),
    }
}

/// Fields of the other provider are refused, so a mixed-up configuration fails loudly.
fn refuse(provider: &str, fields: &[(&'static str, bool)]) -> Result<(), Error> {
    match fields.iter().find(|(_, present)| *present) {
        Some((field, _)) => Err(Error::invalid_input(
            field,
            format!("is not a setting of {provider}"),
        )),
        None => Ok(()),
    }
}

fn friendhosting(c: &ProviderConfig) -> Result<Gateway, Error> {
    refuse(
        "friendhosting",
        &[
            ("partner_code", c.partner_code.is_some()),
            ("secret", c.secret.is_some()),
            ("lease_url", c.lease_url.is_some()),
            ("extend_url", c.extend_url.is_some()),
            ("recall_url", c.recall_url.is_some()),
        ],
    )?;
    let login = required("login", &c.login, "friendhosting")?;
    let credentials = match (&c.password, &c.api_key) {
        (Some(p), None) => Credentials::with_password(login, p.clone()),
        (None, Some(k)) => Credentials::with_api_key(login, k.clone()),
        (Some(_), Some(_)) => {
            return Err(Error::invalid_input(
                "api_key",
                "give either password or api_key, not both",
            ))
        }
        (None, None) => {
            return Err(Error::invalid_input(
                "password",
                "friendhosting needs password or api_key",
            ))
        }
    };
    credentials.validate()?;
    let mut gateway = Gateway::new(credentials);
    if let Some(url) = &c.endpoint {
        gateway = gateway.with_url(required("endpoint", &Some(url.clone()), "friendhosting")?);
    }
    match c.format.as_deref().map(str::trim) {
        None | Some("php") => {}
        Some("json") => gateway = gateway.with_format(Format::Json),
        Some(other) => {
            return Err(Error::invalid_input(
                "format",
                format!("{other:?} is not a format; use \"php\" or \"json\""),
            ))
        }
    }
    match c.method.as_deref().map(str::trim) {
        None => {}
        Some(m) if m.eq_ignore_ascii_case("post") => {}
        Some(m) if m.eq_ignore_ascii_case("get") => gateway = gateway.with_method(Method::Get),
        Some(other) => {
            return Err(Error::invalid_input(
                "method",
                format!("{other:?} is not a method; use \"post\" or \"get\""),
            ))
        }
    }
    Ok(gateway)
}

fn govpsfx(c: &ProviderConfig) -> Result<Partner, Error> {
    refuse(
        "govpsfx",
        &[
            ("login", c.login.is_some()),
            ("password", c.password.is_some()),
            ("api_key", c.api_key.is_some()),
            ("format", c.format.is_some()),
            ("method", c.method.is_some()),
        ],
    )?;
    let code = required("partner_code", &c.partner_code, "govpsfx")?;
    let secret = match &c.secret {
        Some(s) if !s.secret().is_empty() => s.clone(),
        Some(_) => return Err(Error::invalid_input("secret", "must not be empty")),
        None => return Err(Error::invalid_input("secret", "is required for govpsfx")),
    };
    let mut endpoints = match &c.endpoint {
        Some(base) => {
            Endpoints::with_base_url(required("endpoint", &Some(base.clone()), "govpsfx")?)
        }
        None => Endpoints::default(),
    };
    for (field, value, slot) in [
        ("lease_url", &c.lease_url, &mut endpoints.lease),
        ("extend_url", &c.extend_url, &mut endpoints.extend),
        ("recall_url", &c.recall_url, &mut endpoints.recall),
    ] {
        if value.is_some() {
            *slot = required(field, value, "govpsfx")?.to_owned();
        }
    }
    Ok(Partner::new(code, secret).with_endpoints(endpoints))
}

fn millis(field: &'static str, value: Option<u64>) -> Result<Option<Duration>, Error> {
    match value {
        None => Ok(None),
        Some(0) => Err(Error::invalid_input(field, "must be at least 1 ms")),
        Some(ms) if Duration::from_millis(ms) > MAX_TIMEOUT => Err(Error::invalid_input(
            field,
            format!("{ms} ms is more than the 24 h allowed"),
        )),
        Some(ms) => Ok(Some(Duration::from_millis(ms))),
    }
}

fn transport(c: &ProviderConfig) -> Result<TransportSettings, Error> {
    if c.max_body_bytes == Some(0) {
        return Err(Error::invalid_input("max_body_bytes", "must be at least 1"));
    }
    Ok(TransportSettings {
        timeout: millis("timeout_ms", c.timeout_ms)?,
        connect_timeout: millis("connect_timeout_ms", c.connect_timeout_ms)?,
        max_body_size: c.max_body_bytes,
        allow_insecure_http: c.allow_insecure_http.unwrap_or(false),
        retry: retry(c)?,
    })
}

fn retry(c: &ProviderConfig) -> Result<RetryPolicy, Error> {
    let attempts = match c.retry_attempts {
        None => 1,
        Some(n) => u32::try_from(n).map_err(|_| {
            Error::invalid_input("retry_attempts", format!("{n} is not within 1 to 10"))
        })?,
    };
    let policy = RetryPolicy::new(attempts)?;
    let delay = |field: &'static str, value: Option<u64>, default: Duration| match value {
        None => Ok(default),
        Some(ms) if ms > crate::retry::MAX_DELAY.as_millis() as u64 => Err(Error::invalid_input(
            field,
            format!(
                "{ms} ms is more than the {} ms allowed",
                crate::retry::MAX_DELAY.as_millis()
            ),
        )),
        Some(ms) => Ok(Duration::from_millis(ms)),
    };
    let base = delay(
        "retry_base_delay_ms",
        c.retry_base_delay_ms,
        policy.base_delay(),
    )?;
    let default_max = policy.max_delay().max(base);
    let max = delay("retry_max_delay_ms", c.retry_max_delay_ms, default_max)?;
    policy.with_delays(base, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::Upstream;
    use crate::Operation;

    fn field_of(e: &Error) -> &'static str {
        match e {
            Error::InvalidInput { field, .. } => field,
            other => panic!("not invalid input: {other:?}"),
        }
    }

    #[test]
    fn friendhosting_from_json() {
        let c = Config::from_json(
            br#"{"provider":"friendhosting","endpoint":"http://127.0.0.1:9/apih.php",
                 "login":"demo","api_key":"k3y","format":"json","timeout_ms":1500}"#,
        )
        .unwrap();
        assert_eq!(c.transport.timeout, Some(Duration::from_millis(1500)));
        let req = c.provider.balance().request().unwrap();
        assert_eq!(req.uri(), "http://127.0.0.1:9/apih.php");
        assert_eq!(
            req.body(),
            b"command=getBalance&login=demo&apikey=k3y&json=1"
        );
        assert_eq!(c.provider.provider(), "friendhosting");
    }

    #[test]
    fn govpsfx_from_json_signs_the_test_vector() {
        let p = Provider::from_json(
            br#"{"provider":"govpsfx","endpoint":"http://127.0.0.1:9","partner_code":"14321","secret":"sdsd4223dsd","recall_url":"http://127.0.0.1:9/r"}"#,
        )
        .unwrap();
        let spec = crate::lifecycle::CreateSpec {
            plan: "singapore".into(),
            months: 1,
            client_id: Some("ID16773".into()),
            ..Default::default()
        };
        let req = p.create(&spec).request().unwrap();
        assert_eq!(req.uri(), "http://127.0.0.1:9/server/server/get");
        assert_eq!(
            req.body(),
            b"rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6"
        );
        let req = p
            .terminate(
                &"S1"
                    .parse::<String>()
                    .map(crate::lifecycle::ServiceRef::new)
                    .unwrap(),
            )
            .request()
            .unwrap();
        assert_eq!(req.uri(), "http://127.0.0.1:9/r");
    }

    #[test]
    fn errors_name_the_field_and_hide_secrets() {
        let cases: [(&[u8], &str); 12] = [
            (br#"{"login":"x"}"#, "provider"),
            (br#"{"provider":"aws"}"#, "provider"),
            (br#"{"provider":"friendhosting","password":"hunter2"}"#, "login"),
            (br#"{"provider":"friendhosting","login":"x"}"#, "password"),
            (br#"{"provider":"friendhosting","login":"x","password":"hunter2","api_key":"hunter2"}"#, "api_key"),
            (br#"{"provider":"friendhosting","login":"x","password":"hunter2","secret":"hunter2"}"#, "secret"),
            (br#"{"provider":"friendhosting","login":"x","password":"hunter2","format":"xml"}"#, "format"),
            (br#"{"provider":"govpsfx","secret":"hunter2"}"#, "partner_code"),
            (br#"{"provider":"govpsfx","partner_code":"1"}"#, "secret"),
            (br#"{"provider":"govpsfx","partner_code":"1","secret":"hunter2","login":"x"}"#, "login"),
            (br#"{"provider":"govpsfx","partner_code":"1","secret":"hunter2","timeout_ms":0}"#, "timeout_ms"),
            (br#"{"provider":"govpsfx","partner_code":"1","secret":"hunter2","timeout_ms":9223372036854775807}"#, "timeout_ms"),
        ];
        for (json, field) in cases {
            let e = Config::from_json(json).unwrap_err();
            assert_eq!(field_of(&e), field, "{}", String::from_utf8_lossy(json));
            let text = format!("{e} {e:?}");
            assert!(!text.contains("hunter2"), "{text}");
        }
        let e = Config::from_json(br#"{"provider":"govpsfx","partnercode":"1"}"#).unwrap_err();
        assert_eq!(field_of(&e), "config");
        assert!(e.to_string().contains("unknown field `partnercode`"), "{e}");
        let e = Config::from_json(b"{\"provider\":").unwrap_err();
        assert_eq!(field_of(&e), "config");
    }

    #[test]
    fn retry_settings_are_bounded_by_field_name() {
        let base = r#""provider":"friendhosting","login":"x","api_key":"hunter2""#;
        let c = Config::from_json(format!("{{{base}}}").as_bytes()).unwrap();
        assert_eq!(c.transport.retry, RetryPolicy::NEVER);
        let c = Config::from_json(
            format!(
                r#"{{{base},"retry_attempts":4,"retry_base_delay_ms":50,"retry_max_delay_ms":400}}"#
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(c.transport.retry.attempts(), 4);
        assert_eq!(c.transport.retry.base_delay(), Duration::from_millis(50));
        assert_eq!(c.transport.retry.max_delay(), Duration::from_millis(400));
        // A base above the default cap lifts the default cap with it.
        let c = Config::from_json(
            format!(r#"{{{base},"retry_attempts":2,"retry_base_delay_ms":9000}}"#).as_bytes(),
        )
        .unwrap();
        assert_eq!(c.transport.retry.max_delay(), Duration::from_millis(9000));
        let cases = [
            (r#""retry_attempts":0"#, "retry_attempts"),
            (r#""retry_attempts":11"#, "retry_attempts"),
            (r#""retry_attempts":18446744073709551615"#, "retry_attempts"),
            (r#""retry_base_delay_ms":0"#, "retry_base_delay_ms"),
            (r#""retry_base_delay_ms":60001"#, "retry_base_delay_ms"),
            (
                r#""retry_base_delay_ms":18446744073709551615"#,
                "retry_base_delay_ms",
            ),
            (
                r#""retry_base_delay_ms":500,"retry_max_delay_ms":499"#,
                "retry_max_delay_ms",
            ),
            (r#""retry_max_delay_ms":60001"#, "retry_max_delay_ms"),
        ];
        for (extra, field) in cases {
            let json = format!("{{{base},{extra}}}");
            let e = Config::from_json(json.as_bytes()).unwrap_err();
            assert_eq!(field_of(&e), field, "{json}");
            assert!(!e.to_string().contains("hunter2"), "{e}");
        }
        let e =
            Config::from_json(format!(r#"{{{base},"retry_attempts":11}}"#).as_bytes()).unwrap_err();
        assert!(e.to_string().contains("11 is not within 1 to 10"), "{e}");
    }

    #[test]
    fn debug_is_redacted() {
        let s: ProviderConfig =
            serde_json::from_str(r#"{"provider":"govpsfx","partner_code":"1","secret":"hunter2"}"#)
                .unwrap();
        let c = Config::from_settings(&s).unwrap();
        let text = format!("{s:?} {c:?}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}
