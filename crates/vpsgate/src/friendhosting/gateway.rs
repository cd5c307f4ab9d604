//! Gateway settings and request building.

use std::borrow::Cow;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::credentials::Credentials;
use super::format::Format;
use super::parse::{self, Answer};
use crate::error::{Error, MoneyMove};
use crate::transport::{form_encode, form_post, HttpRequest, Operation};

/// How the fields travel (section 3.2 allows both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// A form-encoded POST body.
    #[default]
    Post,
    /// A query string on the URL, empty body.
    Get,
}

/// One request field of a [`Command`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field name, exactly as the gateway expects it (case matters).
    pub name: &'static str,
    /// The value; an empty optional field is not sent.
    pub value: Cow<'a, str>,
    /// A required field must have at least one character (section 3.2).
    pub required: bool,
}

impl<'a> Field<'a> {
    /// A field that must be present and non-empty.
    pub fn required(name: &'static str, value: impl Into<Cow<'a, str>>) -> Self {
        Field {
            name,
            value: value.into(),
            required: true,
        }
    }

    /// A field that is left out when empty.
    pub fn optional(name: &'static str, value: impl Into<Cow<'a, str>>) -> Self {
        Field {
            name,
            value: value.into(),
            required: false,
        }
    }
}

/// A gateway command: its name, its fields, the answer it gets.
///
/// The nine documented commands implement it; so can a command this crate does not know
/// (newer RootPanel versions have power, VNC and tariff-change commands whose names are not
/// published). The transport, the codec and the error handling come for free:
///
/// ```
/// use std::borrow::Cow;
/// use vpsgate::friendhosting::{Command, Credentials, Field, Gateway};
/// use vpsgate::Password;
///
/// /// A hypothetical `powerOff` command.
/// struct PowerOff {
///     orderid: String,
/// }
///
/// #[derive(Debug, serde::Deserialize)]
/// struct PowerOffAnswer {
///     #[serde(default)]
///     orderid: Option<vpsgate::lenient::Text>,
/// }
///
/// impl Command for PowerOff {
///     const NAME: &'static str = "powerOff";
///     type Answer = PowerOffAnswer;
///     fn fields(&self) -> Vec<Field<'_>> {
///         vec![Field::required("orderid", self.orderid.as_str())]
///     }
/// }
///
/// let gateway = Gateway::new(Credentials::with_password("test", Password::new("test")))
///     .with_format(vpsgate::friendhosting::Format::Json);
/// let cmd = PowerOff { orderid: "77".into() };
/// let req = gateway.request(&cmd)?;
/// assert_eq!(req.body(), b"command=powerOff&login=test&pass=test&orderid=77&json=1");
///
/// let body = br#"{"status":"SUCCESS","orderid":77}"#;
/// let answer = gateway.parse(&cmd, http::StatusCode::OK, &http::HeaderMap::new(), body)?;
/// assert_eq!(answer.data.orderid.unwrap().0, "77");
/// # Ok::<(), vpsgate::Error>(())
/// ```
pub trait Command {
    /// The `command` value, e.g. `createOrder`.
    const NAME: &'static str;
    /// Whether the command moves money (`createOrder`, `renewOrder`): never sent twice, and a
    /// failure after sending is [`Error::OutcomeUnknown`].
    const MOVES_MONEY: bool = false;
    /// Whether the command only reads (`getTarifs`, `getOrders`, `getBalance`): only such a
    /// command is ever retried, under an opt-in [`crate::retry::RetryPolicy`].
    const READ_ONLY: bool = false;
    /// The typed success answer, decoded from the answer's fields besides
    /// `status`/`errorCode`/`errorMsg` (unknown fields are ignored unless the type denies them).
    type Answer: DeserializeOwned;
    /// The command's own fields, in the order they are sent.
    fn fields(&self) -> Vec<Field<'_>>;
    /// Checks beyond "required fields are non-empty" (which the [`Gateway`] does for every
    /// command). Runs before anything is sent.
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// The provider name the gateway reports.
pub const PROVIDER: &str = "friendhosting";

/// Field names the gateway itself fills in; a [`Command`] may not use them.
const RESERVED: [&str; 5] = ["command", "login", "pass", "apikey", "json"];

/// Where and how to talk to one gateway, and as whom.
///
/// `Debug` shows the login and settings, never the password or API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    url: String,
    format: Format,
    method: Method,
    credentials: Credentials,
}

impl Gateway {
    /// Friendhosting's gateway (section 2.1). Other RootPanel hosts serve the same gateway at
    /// `https://<their panel>/apih.php`.
    pub const DEFAULT_URL: &'static str = "https://my.friendhosting.net/apih.php";

    /// Friendhosting's gateway, PHP answers, POST.
    pub fn new(credentials: Credentials) -> Self {
        Gateway {
            url: Self::DEFAULT_URL.to_owned(),
            format: Format::default(),
            method: Method::default(),
            credentials,
        }
    }

    /// Use another RootPanel host's `apih.php`. Checked when a request is built.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// Ask for another answer format. Parsing accepts either format whatever is asked for.
    pub fn with_format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Send the fields by GET or POST.
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// The gateway URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The answer format asked for.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The HTTP method used.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The login and secret.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The fields of `command` in the order they are sent:
    /// `command, login, pass|apikey, <command fields in document order>, json=1` (the last only
    /// for [`Format::Json`]). Empty optional fields are dropped; an empty required field, a
    /// reserved field name or a failed [`Command::validate`] is [`Error::InvalidInput`] naming the
    /// field. The list holds the password or API key in clear: do not log it.
    pub fn fields<'a, C: Command>(
        &'a self,
        command: &'a C,
    ) -> Result<Vec<(&'a str, Cow<'a, str>)>, Error> {
        self.credentials.validate()?;
        command.validate()?;
        let own = command.fields();
        let mut out = Vec::with_capacity(own.len() + 4);
        out.push(("command", Cow::Borrowed(C::NAME)));
        out.push(("login", Cow::Borrowed(self.credentials.login.as_str())));
        out.push((
            self.credentials.secret.field(),
            Cow::Borrowed(self.credentials.secret.secret()),
        ));
        for field in own {
            if RESERVED.contains(&field.name) {
                return Err(Error::invalid_input(
                    field.name,
                    "is set by the gateway settings, not by a command",
                ));
            }
            if field.value.is_empty() {
                if field.required {
                    return Err(Error::invalid_input(
                        field.name,
                        "is required and must have at least one character",
                    ));
                }
                continue;
            }
            out.push((field.name, field.value));
        }
        if self.format == Format::Json {
            out.push(("json", Cow::Borrowed("1")));
        }
        Ok(out)
    }

    /// Build the exact HTTP request for `command`. Pure; nothing is sent.
    ///
    /// POST: body `application/x-www-form-urlencoded` with the fields of [`Gateway::fields`].
    /// GET: the same encoding as the query string (appended with `&` if the URL already has
    /// one), empty body.
    pub fn request<C: Command>(&self, command: &C) -> Result<HttpRequest, Error> {
        let fields = self.fields(command)?;
        let encoded = form_encode(fields.iter().map(|(k, v)| (*k, v.as_ref())));
        match self.method {
            Method::Post => form_post(&self.url, encoded),
            Method::Get => {
                crate::transport::check_endpoint(&self.url)?;
                let sep = if self.url.contains('?') { '&' } else { '?' };
                let mut url = String::with_capacity(self.url.len() + 1 + encoded.len());
                url.push_str(&self.url);
                url.push(sep);
                // form_encode output is ASCII.
                url.push_str(&String::from_utf8_lossy(&encoded));
                http::Request::builder()
                    .method(http::Method::GET)
                    .uri(url)
                    .header(http::header::ACCEPT, "*/*")
                    .body(Vec::new())
                    .map_err(|e| Error::invalid_input("endpoint", format!("not a usable URL: {e}")))
            }
        }
    }

    /// Read the gateway's answer to `command`; see [`parse::parse`]. The configured format is
    /// only a hint: the body's own format wins. In the wasm32 build a PHP answer is
    /// transcoded to JSON and read from that (the same answers; what differs on broken ones is
    /// listed in `docs/CONTRACT.md`).
    pub fn parse<C: Command>(
        &self,
        command: &C,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Answer<C::Answer>, Error> {
        let _ = command;
        parse::read_answer(self.format, status, headers, body)
    }

    /// `command` at this gateway as an [`Operation`], for [`crate::execute`] or any transport.
    pub fn call<'a, C: Command>(&'a self, command: &'a C) -> Call<'a, C> {
        Call {
            gateway: self,
            command,
        }
    }
}

/// One command at one gateway: an [`Operation`] whose output is the typed [`Answer`].
#[derive(Debug, Clone, Copy)]
pub struct Call<'a, C> {
    /// Where and as whom.
    pub gateway: &'a Gateway,
    /// What.
    pub command: &'a C,
}

impl<C: Command> Operation for Call<'_, C> {
    type Output = Answer<C::Answer>;

    fn request(&self) -> Result<HttpRequest, Error> {
        self.gateway.request(self.command)
    }

    fn parse(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self::Output, Error> {
        self.gateway
            .parse(self.command, status, headers, body)
            .map_err(|e| e.after_sending(self.money()))
    }

    fn money(&self) -> Option<MoneyMove> {
        C::MOVES_MONEY.then_some(MoneyMove {
            provider: PROVIDER,
            operation: C::NAME,
        })
    }

    fn read_only(&self) -> bool {
        C::READ_ONLY && !C::MOVES_MONEY
    }
}
