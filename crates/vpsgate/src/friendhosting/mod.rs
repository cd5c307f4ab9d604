//! The Friendhosting / RootPanel HTTP gateway (`apih.php`).

mod codes;

pub use codes::{GatewayCode, GatewayError, Warning, WarningCode};
