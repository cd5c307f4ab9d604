//! Secrets: passwords, API keys and the GoVPSFX partner secret.
//!
//! Each is a newtype whose `Debug` and `Display` print `[redacted]`; the value is read only
//! through the explicit `secret()` accessor.

use std::fmt;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wrap a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }
            /// The secret itself. Every use of it should be easy to find by this name.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::Text::deserialize(d).map(|t| $name(t.0))
            }
        }
    };
}

secret_type!(
    /// A billing-panel account password (Friendhosting `pass`).
    Password
);
secret_type!(
    /// A Friendhosting / RootPanel API key (`apikey`).
    ApiKey
);
secret_type!(
    /// The GoVPSFX partner API password that keys the md5 signature.
    PartnerSecret
);
secret_type!(
    /// A server credential returned by an upstream (`serverpassword`, `password`).
    ServerPassword
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let p = Password::new("hunter2");
        assert_eq!(format!("{p:?}"), "Password([redacted])");
        assert_eq!(format!("{p}"), "[redacted]");
        assert_eq!(p.secret(), "hunter2");
        let k = PartnerSecret::new("sdsd4223dsd");
        assert!(!format!("{k:?}{k}").contains("sdsd"));
    }

    #[test]
    fn deserializes_from_number_or_string() {
        let p: ServerPassword = serde_json::from_str("\"4iJtCt7\"").unwrap();
        assert_eq!(p.secret(), "4iJtCt7");
        let p: ServerPassword = serde_json::from_str("12345").unwrap();
        assert_eq!(p.secret(), "12345");
    }
}
