//! Typed success answers, with every field the document lists.
//!
//! The gateway is a PHP program: numbers and flags arrive as numbers, numeric strings or PHP
//! bools, lists as lists or id-keyed maps, and an empty string stands for "no value". Every
//! scalar field is therefore an `Option` (`None` when absent or blank) and every list is empty
//! when absent; a listed field that is missing never fails the answer.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use super::de;
use super::vid::Vid;
use crate::dates::Layout;
use crate::lenient::Int;
use crate::secret::ServerPassword;

/// A date as the gateway sent it, with a parsed view.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct GatewayDate(pub String);

impl GatewayDate {
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date, if the text is `YYYY-MM-DD` or `DD.MM.YYYY`, optionally followed by a time
    /// (after a space or `T`), which is ignored. `None` for anything else, including the
    /// MySQL zero date `0000-00-00`.
    pub fn date(&self) -> Option<time::Date> {
        parse_date(&self.0)
    }
}

impl<'de> Deserialize<'de> for GatewayDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::Text::deserialize(d).map(|t| GatewayDate(t.0))
    }
}

fn parse_date(s: &str) -> Option<time::Date> {
    let s = s.trim();
    let day = match s.find([' ', 'T']) {
        Some(i) => &s[..i],
        None => s,
    };
    crate::dates::read(day, Layout::YearFirst)
        .or_else(|_| crate::dates::read(day, Layout::DayFirst))
        .ok()
}

/// `domain_reg` of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DomainReg {
    /// 0: without domain registration.
    None,
    /// 1: with domain registration.
    Registration,
    /// 3: with domain transfer.
    Transfer,
    /// A value the document does not list, kept.
    Other(i64),
}

impl DomainReg {
    /// The value for a number.
    pub fn from_number(n: i64) -> Self {
        match n {
            0 => DomainReg::None,
            1 => DomainReg::Registration,
            3 => DomainReg::Transfer,
            n => DomainReg::Other(n),
        }
    }
    /// The number the gateway uses.
    pub fn number(self) -> i64 {
        match self {
            DomainReg::None => 0,
            DomainReg::Registration => 1,
            DomainReg::Transfer => 3,
            DomainReg::Other(n) => n,
        }
    }
}

/// `status` of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    /// 0: not processed.
    NotProcessed,
    /// 1: processed (active).
    Processed,
    /// 2: suspended.
    Suspended,
    /// 3: being processed.
    BeingProcessed,
    /// A value the document does not list, kept.
    Other(i64),
}

impl OrderStatus {
    /// The value for a number.
    pub fn from_number(n: i64) -> Self {
        match n {
            0 => OrderStatus::NotProcessed,
            1 => OrderStatus::Processed,
            2 => OrderStatus::Suspended,
            3 => OrderStatus::BeingProcessed,
            n => OrderStatus::Other(n),
        }
    }
    /// The number the gateway uses.
    pub fn number(self) -> i64 {
        match self {
            OrderStatus::NotProcessed => 0,
            OrderStatus::Processed => 1,
            OrderStatus::Suspended => 2,
            OrderStatus::BeingProcessed => 3,
            OrderStatus::Other(n) => n,
        }
    }
}

macro_rules! numbered_serde {
    ($t:ty) => {
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Int::deserialize(d).map(|n| <$t>::from_number(n.0))
            }
        }
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.number())
            }
        }
    };
}
numbered_serde!(DomainReg);
numbered_serde!(OrderStatus);

fn kind(vid: &Option<String>) -> Option<Vid> {
    vid.as_deref().map(Vid::parse)
}

/// The `createOrder` answer (4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateOrderAnswer {
    /// Order id, for further management.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub orderid: Option<String>,
    /// Tariff plan type used.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub vid: Option<String>,
    /// Tariff plan id used.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub tarifid: Option<String>,
    /// The domain the order was created for.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub domain: Option<String>,
    /// The period in months.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub period: Option<i64>,
    /// Add-on ids attached (sent as `"1,2"`, a list or a map).
    #[serde(default, deserialize_with = "de::ids")]
    pub addons: Vec<String>,
    /// The balance after the order.
    #[serde(default, deserialize_with = "de::opt_money")]
    pub balance: Option<Decimal>,
    /// The price charged.
    #[serde(default, deserialize_with = "de::opt_money")]
    pub cost: Option<Decimal>,
    /// Currency code of `balance` and `cost`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub currency: Option<String>,
    /// Login on the server.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub serverlogin: Option<String>,
    /// Password on the server (redacted in `Debug`).
    #[serde(default, deserialize_with = "de::blank")]
    pub serverpassword: Option<ServerPassword>,
    /// Free-form notes.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub remark: Option<String>,
}

impl CreateOrderAnswer {
    /// `vid` as a [`Vid`].
    pub fn kind(&self) -> Option<Vid> {
        kind(&self.vid)
    }
}

/// The `renewOrder` answer (4.2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct RenewOrderAnswer {
    /// Order id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub orderid: Option<String>,
    /// The period renewed for, in months.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub period: Option<i64>,
    /// The balance after the renewal.
    #[serde(default, deserialize_with = "de::opt_money")]
    pub balance: Option<Decimal>,
    /// The price charged.
    #[serde(default, deserialize_with = "de::opt_money")]
    pub cost: Option<Decimal>,
    /// Currency code of `balance` and `cost`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub currency: Option<String>,
}

/// The answer of `suspendOrder`, `unSuspendOrder`, `restartOrder` and `reinstallOrder`
/// (4.3, 4.4, 4.6, 4.7).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OrderAnswer {
    /// Order id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub orderid: Option<String>,
}

/// The `getTarifs` answer (4.5).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TarifsAnswer {
    /// The tariff plans (a list or an id-keyed map on the wire).
    #[serde(default, deserialize_with = "crate::lenient::list_or_map")]
    pub tarifs: Vec<Tariff>,
}

/// One tariff plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Tariff {
    /// Tariff plan id (`tarifid` of `createOrder`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub id: Option<String>,
    /// Tariff plan type.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub vid: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
    /// Monthly price.
    #[serde(rename = "costMonthly", default, deserialize_with = "de::opt_money")]
    pub cost_monthly: Option<Decimal>,
    /// Installation price.
    #[serde(rename = "costSetup", default, deserialize_with = "de::opt_money")]
    pub cost_setup: Option<Decimal>,
    /// Currency code of the prices.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub currency: Option<String>,
    /// Whether it can be ordered without a domain.
    #[serde(
        rename = "allowWithoutDomain",
        default,
        deserialize_with = "de::opt_flag"
    )]
    pub allow_without_domain: Option<bool>,
    /// Available order periods.
    #[serde(default, deserialize_with = "crate::lenient::list_or_map")]
    pub months: Vec<TariffPeriod>,
    /// Available add-ons.
    #[serde(default, deserialize_with = "crate::lenient::list_or_map")]
    pub addons: Vec<TariffAddon>,
}

impl Tariff {
    /// `vid` as a [`Vid`].
    pub fn kind(&self) -> Option<Vid> {
        kind(&self.vid)
    }
}

/// One order period a tariff allows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TariffPeriod {
    /// The period in months.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub months: Option<i64>,
    /// The discount for this period.
    #[serde(default, deserialize_with = "de::opt_money")]
    pub discount: Option<Decimal>,
    /// Whether new orders may use it.
    #[serde(
        rename = "allowForNewOrder",
        default,
        deserialize_with = "de::opt_flag"
    )]
    pub allow_for_new_order: Option<bool>,
    /// Whether renewals may use it.
    #[serde(rename = "allowForRenew", default, deserialize_with = "de::opt_flag")]
    pub allow_for_renew: Option<bool>,
}

/// One add-on a tariff offers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TariffAddon {
    /// Add-on id (for `createOrder`'s `addons`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub id: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
    /// Monthly price.
    #[serde(rename = "costMonthly", default, deserialize_with = "de::opt_money")]
    pub cost_monthly: Option<Decimal>,
    /// Installation price.
    #[serde(rename = "costSetup", default, deserialize_with = "de::opt_money")]
    pub cost_setup: Option<Decimal>,
}

/// The `getOrders` answer (4.8).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OrdersAnswer {
    /// The orders (a list or an id-keyed map on the wire).
    #[serde(default, deserialize_with = "crate::lenient::list_or_map")]
    pub orders: Vec<Order>,
}

/// One order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Order {
    /// Order id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub orderid: Option<String>,
    /// Domain name.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub domain: Option<String>,
    /// Domain registration kind.
    #[serde(default, deserialize_with = "de::blank")]
    pub domain_reg: Option<DomainReg>,
    /// Tariff plan type.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub vid: Option<String>,
    /// Tariff plan id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub tarifid: Option<String>,
    /// Tariff plan name.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub tarifname: Option<String>,
    /// When the order was placed.
    #[serde(default, deserialize_with = "de::blank")]
    pub orderdate: Option<GatewayDate>,
    /// When it started.
    #[serde(default, deserialize_with = "de::blank")]
    pub startdate: Option<GatewayDate>,
    /// Paid until.
    #[serde(default, deserialize_with = "de::blank")]
    pub todate: Option<GatewayDate>,
    /// Days left until the end.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub leftdays: Option<i64>,
    /// Order status.
    #[serde(default, deserialize_with = "de::blank")]
    pub status: Option<OrderStatus>,
}

impl Order {
    /// `vid` as a [`Vid`].
    pub fn kind(&self) -> Option<Vid> {
        kind(&self.vid)
    }
}

/// The `getBalance` answer (4.9).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BalanceAnswer {
    /// Current balance.
    #[serde(default, deserialize_with = "de::opt_money")]
    pub balance: Option<Decimal>,
    /// Currency code.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub currency: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_in_both_formats() {
        let d = |s: &str| GatewayDate(s.into()).date();
        assert_eq!(d("2024-02-29"), Some(date!(2024 - 02 - 29)));
        assert_eq!(d("2024-02-29 13:45:00"), Some(date!(2024 - 02 - 29)));
        assert_eq!(d("2024-02-29T13:45:00Z"), Some(date!(2024 - 02 - 29)));
        assert_eq!(d("29.02.2024"), Some(date!(2024 - 02 - 29)));
        assert_eq!(d(" 01.12.2025 10:00 "), Some(date!(2025 - 12 - 01)));
        assert_eq!(d("2023-02-29"), None);
        assert_eq!(d("0000-00-00"), None);
        assert_eq!(d("0000-00-00 00:00:00"), None);
        assert_eq!(d("tomorrow"), None);
        assert_eq!(d("2024-1-5"), None);
        assert_eq!(d("+024-01-05"), None);
        assert_eq!(d(""), None);
        assert_eq!(d("ЯЯЯЯ-01-05"), None);
    }

    #[test]
    fn numbered_enums_keep_unknown_values() {
        assert_eq!(OrderStatus::from_number(2), OrderStatus::Suspended);
        assert_eq!(OrderStatus::from_number(3), OrderStatus::BeingProcessed);
        assert_eq!(OrderStatus::from_number(9), OrderStatus::Other(9));
        assert_eq!(OrderStatus::Other(9).number(), 9);
        assert_eq!(DomainReg::from_number(3), DomainReg::Transfer);
        assert_eq!(DomainReg::from_number(2), DomainReg::Other(2));
        assert_eq!(DomainReg::from_number(0).number(), 0);
    }
}
