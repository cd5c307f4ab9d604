//! The Friendhosting / RootPanel HTTP gateway (`apih.php`).
//!
//! Build a request with [`Gateway::request`], send it with anything, read the answer with
//! [`Gateway::parse`]; or let a [`Client`] do the three steps over a [`crate::Transport`].
//!
//! ```
//! use vpsgate::friendhosting::{Client, Credentials, Gateway, GetBalance};
//! use vpsgate::{HttpRequest, HttpResponse, Password, TransportError};
//!
//! let gateway = Gateway::new(Credentials::with_password("test", Password::new("test")));
//! let transport = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(req.body(), b"command=getBalance&login=test&pass=test");
//!     // A JSON answer (it may also come as PHP `serialize()` output).
//!     let body = br#"{"status":"SUCCESS","balance":"12.50","currency":"EUR"}"#;
//!     Ok(http::Response::builder().status(200).body(body.to_vec()).unwrap())
//! };
//! let client = Client::new(gateway, transport);
//! let answer = client.call(&GetBalance)?;
//! assert_eq!(answer.data.balance.unwrap().to_string(), "12.50");
//! assert_eq!(answer.data.currency.as_deref(), Some("EUR"));
//! assert!(answer.warning.is_none());
//! # Ok::<(), vpsgate::Error>(())
//! ```
//!
//! Requests carry their fields in a fixed order:
//! `command, login, pass|apikey, <command fields in document order>, json=1` (the last only
//! when JSON answers are asked for); empty optional fields are dropped, an empty required
//! field is refused before anything is sent. Answers are read in either format whatever was
//! asked for.

mod answers;
mod client;
mod codes;
mod commands;
mod credentials;
mod de;
mod format;
mod gateway;
pub mod lifecycle;
mod parse;
mod recover;
mod vid;

pub use answers::{
    BalanceAnswer, CreateOrderAnswer, DomainReg, GatewayDate, Order, OrderAnswer, OrderStatus,
    OrdersAnswer, RenewOrderAnswer, Tariff, TariffAddon, TariffPeriod, TarifsAnswer,
};
pub use client::Client;
pub use codes::{GatewayCode, GatewayError, Warning, WarningCode};
pub use commands::{
    CreateOrder, GetBalance, GetOrders, GetTarifs, ReinstallOrder, RenewOrder, RestartOrder,
    SuspendOrder, UnSuspendOrder,
};
pub use credentials::{Credentials, Secret};
pub use format::{detect, Format};
pub use gateway::{Call, Command, Field, Gateway, Method};
pub use parse::{parse, parse_hinted, Answer};
pub use recover::find_placed_orders;
pub use vid::Vid;
