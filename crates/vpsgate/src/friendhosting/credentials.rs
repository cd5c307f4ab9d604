//! Who is calling: a login plus exactly one secret (document section 3.6).

use crate::error::Error;
use crate::secret::{ApiKey, Password};

/// The one secret that goes with the login. The gateway refuses a request carrying both
/// (error 9), so a value of this type can hold only one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// Sent as `pass` (section 3.6.1).
    Password(Password),
    /// Sent as `apikey` (section 3.6.2).
    ApiKey(ApiKey),
}

impl Secret {
    /// The request field name: `pass` or `apikey`.
    pub fn field(&self) -> &'static str {
        match self {
            Secret::Password(_) => "pass",
            Secret::ApiKey(_) => "apikey",
        }
    }

    /// The secret value, as sent on the wire.
    pub fn secret(&self) -> &str {
        match self {
            Secret::Password(p) => p.secret(),
            Secret::ApiKey(k) => k.secret(),
        }
    }
}

/// A billing-panel login and its secret. `Debug` shows the login, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The billing-panel login (`login`).
    pub login: String,
    /// The password or the API key.
    pub secret: Secret,
}

impl Credentials {
    /// Authenticate with login and password (`pass`).
    pub fn with_password(login: impl Into<String>, password: Password) -> Self {
        Credentials {
            login: login.into(),
            secret: Secret::Password(password),
        }
    }

    /// Authenticate with login and API key (`apikey`).
    pub fn with_api_key(login: impl Into<String>, api_key: ApiKey) -> Self {
        Credentials {
            login: login.into(),
            secret: Secret::ApiKey(api_key),
        }
    }

    /// The public test account of the document (section 2.2): login `test`, password `test`.
    /// Operations through it are free and create nothing.
    pub fn test_account() -> Self {
        Credentials::with_password("test", Password::new("test"))
    }

    /// Both values must have at least one character (section 3.2).
    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.login.is_empty() {
            return Err(Error::invalid_input("login", "must not be empty"));
        }
        if self.secret.secret().is_empty() {
            return Err(Error::invalid_input(
                self.secret.field(),
                "must not be empty",
            ));
        }
        Ok(())
    }
}
