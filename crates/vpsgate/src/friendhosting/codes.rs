//! The gateway's numbered error codes (document section 3.5).

use std::fmt;

macro_rules! gateway_codes {
    ($($variant:ident = $n:literal => $text:literal,)*) => {
        /// A critical gateway error code: the command was not executed.
        ///
        /// Every code the document lists is its own variant; a code it does not list is kept
        /// in [`GatewayCode::Unknown`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum GatewayCode {
            $(
                #[doc = $text]
                $variant,
            )*
            /// A code the document does not list, kept as received.
            Unknown(i64),
        }

        impl GatewayCode {
            /// The code for a number.
            pub fn from_number(n: i64) -> Self {
                match n {
                    $($n => GatewayCode::$variant,)*
                    other => GatewayCode::Unknown(other),
                }
            }

            /// The number the gateway uses.
            pub fn number(self) -> i64 {
                match self {
                    $(GatewayCode::$variant => $n,)*
                    GatewayCode::Unknown(n) => n,
                }
            }

            /// The document's description of the code.
            pub fn description(self) -> &'static str {
                match self {
                    $(GatewayCode::$variant => $text,)*
                    GatewayCode::Unknown(_) => "Unknown error code",
                }
            }

            /// Every code the document lists.
            pub const DOCUMENTED: &'static [GatewayCode] = &[$(GatewayCode::$variant,)*];
        }
    };
}

gateway_codes! {
    DatabaseConnection = 1 => "Error in connection to the database",
    DatabaseSave = 2 => "Error in saving the data in the database",
    LoginMissing = 3 => "User login is not stated",
    UserNotFound = 4 => "User is not found",
    ApiAccessDenied = 5 => "API access is denied",
    SecretMissing = 6 => "Password or API key is not stated",
    SecretWrong = 7 => "The stated password or API key is not correct",
    UnknownCommand = 8 => "Unknown command",
    PasswordAndApiKey = 9 => "It is prohibited to use the password and API key in the same request",
    NoTariffs = 10 => "Tariff plans are absent",
    TariffIdMissing = 11 => "Tariff plan identifier is not provided",
    TariffNotFound = 12 => "Tariff plan is not found",
    DomainMissing = 13 => "Domain name is not provided",
    DomainAlreadyOrdered = 14 => "The tariff plan for the stated domain name is already ordered",
    PeriodMissing = 15 => "The order period is not stated",
    PeriodInvalid = 16 => "The order period stated is unacceptable",
    AddonInvalid = 17 => "The stated additional service is unacceptable",
    OrderIdMissing = 18 => "The order identifier is not stated",
    OrderNotFound = 19 => "The order is not found",
    UnpaidBills = 20 => "There are unpaid bills for this order",
    AlreadySuspended = 21 => "The order is already suspended",
    AlreadyStarted = 22 => "The order is already started",
    OrderExpired = 23 => "The order is expired",
    TariffTypeInvalid = 24 => "The tariff plan type is not valid",
    OperationNotSupported = 25 => "The operation is not supported for this type of orders",
    NoOrders = 26 => "Orders are absent",
    TariffOncePerClient = 27 => "The tariff plan can be ordered by one client only once",
    AddonAmountInvalid = 28 => "The stated amount of the additional service is unacceptable",
    AddonGroupRequired = 29 => "You need to order an additional service from the group",
    IpNotAllowed = 54 => "Access denied. IP address is not on the list of permissioned ones",
}

/// A critical error answer (`status = ERROR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayError {
    /// The typed code.
    pub code: GatewayCode,
    /// The gateway's `errorMsg`, as sent (often Cyrillic); empty if absent.
    pub message: String,
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gateway error {} ({})",
            self.code.number(),
            self.code.description()
        )?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// A non-critical code: the command was executed (or will be), with a caveat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningCode {
    /// 30: the order is placed, but will be processed manually.
    ManualProcessing,
    /// 31: the order is placed, but will be processed after payment.
    AwaitingPayment,
    /// A `SUCCESS` answer carrying an `errorCode` the document does not list as non-critical,
    /// kept as received so nothing is lost.
    Unknown(i64),
}

impl WarningCode {
    /// The number the gateway sent (30, 31, or the unknown one).
    pub fn number(self) -> i64 {
        match self {
            WarningCode::ManualProcessing => 30,
            WarningCode::AwaitingPayment => 31,
            WarningCode::Unknown(n) => n,
        }
    }
    /// The code for 30 or 31; `None` for any other number.
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            30 => Some(WarningCode::ManualProcessing),
            31 => Some(WarningCode::AwaitingPayment),
            _ => None,
        }
    }
    /// The code for any number: 30 and 31 are typed, everything else is [`WarningCode::Unknown`].
    pub fn from_number_or_unknown(n: i64) -> Self {
        WarningCode::from_number(n).unwrap_or(WarningCode::Unknown(n))
    }
    /// The document's description.
    pub fn description(self) -> &'static str {
        match self {
            WarningCode::ManualProcessing => {
                "The order is placed, but due to technical reasons it will be processed manually."
            }
            WarningCode::AwaitingPayment => {
                "The order is placed, but it will be processed after the payment."
            }
            WarningCode::Unknown(_) => "Unknown non-critical error code",
        }
    }
}

/// A non-critical error attached to a successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 30, 31, or an unknown code.
    pub code: WarningCode,
    /// The gateway's `errorMsg`, as sent; empty if absent.
    pub message: String,
}

impl Warning {
    /// The gateway's message, or the document's description when the gateway sent none.
    pub fn text(&self) -> &str {
        if self.message.is_empty() {
            self.code.description()
        } else {
            &self.message
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning {}: {}", self.code.number(), self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_round_trip() {
        assert_eq!(GatewayCode::DOCUMENTED.len(), 30);
        for c in GatewayCode::DOCUMENTED {
            assert_eq!(GatewayCode::from_number(c.number()), *c);
        }
        assert_eq!(GatewayCode::from_number(7), GatewayCode::SecretWrong);
        assert_eq!(GatewayCode::from_number(54), GatewayCode::IpNotAllowed);
        assert_eq!(GatewayCode::from_number(99), GatewayCode::Unknown(99));
        assert_eq!(GatewayCode::from_number(30), GatewayCode::Unknown(30));
        assert_eq!(
            WarningCode::from_number(31),
            Some(WarningCode::AwaitingPayment)
        );
    }

    #[test]
    fn unknown_warning_codes_are_kept() {
        assert_eq!(WarningCode::from_number(32), None);
        assert_eq!(
            WarningCode::from_number_or_unknown(30),
            WarningCode::ManualProcessing
        );
        assert_eq!(
            WarningCode::from_number_or_unknown(77),
            WarningCode::Unknown(77)
        );
        assert_eq!(WarningCode::Unknown(77).number(), 77);
        let w = Warning {
            code: WarningCode::AwaitingPayment,
            message: String::new(),
        };
        assert_eq!(w.text(), WarningCode::AwaitingPayment.description());
        assert_eq!(
            w.to_string(),
            "warning 31: The order is placed, but it will be processed after the payment."
        );
    }
}
