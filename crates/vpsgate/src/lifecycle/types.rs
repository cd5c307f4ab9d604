//! The provider-neutral values: what to order, how a service is addressed, what comes back.
//!
//! Every type here is plain data with serde. The serialized forms are the JSON shapes every face
//! (CLI `--json`, C library, npm package, PHP package) returns; `docs/CONTRACT.md` lists them.
//! Dates serialize as `YYYY-MM-DD`, money as a decimal string (`"6.49"`), absent values as
//! `null`. A server password serializes in clear: it is the one thing the panel must keep.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::secret::ServerPassword;

/// What to order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSpec {
    /// The plan: Friendhosting `tarifid`, GoVPSFX `rate`.
    pub plan: String,
    /// The term in months.
    pub months: u32,
    /// Friendhosting `vid` (hosting, vds, dedicated); `None` for the provider's default.
    #[serde(default)]
    pub kind: Option<String>,
    /// Friendhosting `domain`.
    #[serde(default)]
    pub domain: Option<String>,
    /// Friendhosting add-on ids.
    #[serde(default)]
    pub addons: Vec<String>,
    /// GoVPSFX `client_id` (required there).
    #[serde(default)]
    pub client_id: Option<String>,
}

/// Identifies one service at its provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRef {
    /// Friendhosting `orderid`, GoVPSFX `server_id`.
    pub id: String,
    /// GoVPSFX `client_id`, which its extend call takes instead of the server id.
    #[serde(default)]
    pub client_id: Option<String>,
}

impl ServiceRef {
    /// A reference by id alone.
    pub fn new(id: impl Into<String>) -> Self {
        ServiceRef {
            id: id.into(),
            client_id: None,
        }
    }
}

/// Where a new service stands. JSON: `{"state":"ready"}` or
/// `{"state":"pending","message":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Provisioning {
    /// Ready now.
    Ready,
    /// Accepted; details come later (GoVPSFX 202, or a Friendhosting warning 30/31).
    Pending {
        /// The provider's message.
        message: String,
    },
}

/// Server access details, where the provider returns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// Server address (GoVPSFX), if any.
    pub ip: Option<String>,
    /// Port, if any.
    pub port: Option<u16>,
    /// Login on the server.
    pub login: Option<String>,
    /// Password on the server (redacted in `Debug`, in clear when serialized).
    pub password: Option<ServerPassword>,
}

/// A non-critical caveat the provider attached to a success (Friendhosting warnings 30/31, or
/// a code the library does not know). Never an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The provider's own code (Friendhosting `errorCode`).
    pub code: i64,
    /// The provider's message, or the documented description when it sent none.
    pub message: String,
}

/// The result of a create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// How to address the service from now on (empty `id` while GoVPSFX delivery is pending).
    pub service: ServiceRef,
    /// Ready or pending.
    pub provisioning: Provisioning,
    /// Access details, if returned.
    pub access: Option<Access>,
    /// Price charged, if reported.
    pub cost: Option<Decimal>,
    /// Expiry date, if reported.
    #[serde(with = "date_option")]
    pub expires: Option<time::Date>,
    /// A non-critical warning (Friendhosting 30/31), if any.
    pub warning: Option<Notice>,
}

/// The result of a renew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewed {
    /// New expiry date, if reported.
    #[serde(with = "date_option")]
    pub expires: Option<time::Date>,
    /// Price charged, if reported.
    pub cost: Option<Decimal>,
    /// A non-critical warning, if any.
    pub warning: Option<Notice>,
}

/// The result of an operation that returns nothing but may carry a warning (suspend,
/// unsuspend, terminate, reboot, reinstall). JSON: `{"done":true,"warning":null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    /// Always `true`: the provider accepted the request.
    pub done: bool,
    /// A non-critical warning, if any.
    pub warning: Option<Notice>,
}

impl Done {
    /// Accepted, with this warning if any.
    pub fn new(warning: Option<Notice>) -> Self {
        Done {
            done: true,
            warning,
        }
    }
}

/// Run state of a service, provider-neutral. JSON: `"pending"`, `"active"`, `"suspended"`, or
/// `{"other":N}` with the provider's own number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    /// Not yet processed / being processed.
    Pending,
    /// Running.
    Active,
    /// Suspended.
    Suspended,
    /// A state the provider reported that has no neutral name (kept as its number; `-1` when
    /// the provider reported none).
    Other(i64),
}

/// One service as listed by the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    /// How to address it.
    pub service: ServiceRef,
    /// Plan name or id.
    pub plan: String,
    /// Domain, if any.
    pub domain: Option<String>,
    /// State.
    pub state: ServiceState,
    /// Paid-until date, if the provider reports one in a known format.
    #[serde(with = "date_option")]
    pub expires: Option<time::Date>,
}

/// Account balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// The amount, exact.
    pub amount: Decimal,
    /// Currency code.
    pub currency: String,
}

/// `Option<time::Date>` as `"YYYY-MM-DD"` or `null`.
mod date_option {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::dates::{self, Layout};

    pub fn serialize<S: Serializer>(date: &Option<time::Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_some(&dates::write(*d, Layout::YearFirst)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<time::Date>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => dates::read(&text, Layout::YearFirst)
                .map(Some)
                .map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_the_documented_json() {
        let created = Created {
            service: ServiceRef::new("77"),
            provisioning: Provisioning::Pending {
                message: "wait".into(),
            },
            access: Some(Access {
                ip: None,
                port: Some(22),
                login: Some("root".into()),
                password: Some(ServerPassword::new("pw")),
            }),
            cost: Some("6.49".parse().unwrap()),
            expires: Some(time::macros::date!(2027 - 01 - 05)),
            warning: Some(Notice {
                code: 31,
                message: "low balance".into(),
            }),
        };
        let json = serde_json::to_string(&created).unwrap();
        assert_eq!(
            json,
            r#"{"service":{"id":"77","client_id":null},"provisioning":{"state":"pending","message":"wait"},"access":{"ip":null,"port":22,"login":"root","password":"pw"},"cost":"6.49","expires":"2027-01-05","warning":{"code":31,"message":"low balance"}}"#
        );
        let back: Created = serde_json::from_str(&json).unwrap();
        assert_eq!(back, created);
        assert_eq!(
            serde_json::to_string(&ServiceState::Other(7)).unwrap(),
            r#"{"other":7}"#
        );
        assert_eq!(
            serde_json::to_string(&ServiceState::Suspended).unwrap(),
            r#""suspended""#
        );
        assert_eq!(
            serde_json::to_string(&Done::new(None)).unwrap(),
            r#"{"done":true,"warning":null}"#
        );
    }

    #[test]
    fn inputs_refuse_unknown_fields() {
        let e = serde_json::from_str::<CreateSpec>(r#"{"plan":"1","months":1,"plna":"x"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `plna`"), "{e}");
    }
}
