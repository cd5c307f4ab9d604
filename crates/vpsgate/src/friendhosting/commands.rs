//! The nine documented commands (document section 4), each with every field the document gives.

use std::borrow::Cow;

use super::answers::{
    BalanceAnswer, CreateOrderAnswer, OrderAnswer, OrdersAnswer, RenewOrderAnswer, TarifsAnswer,
};
use super::gateway::{Command, Field};
use super::vid::Vid;
use crate::error::Error;

fn months(period: u32) -> Result<(), Error> {
    if period == 0 {
        Err(Error::invalid_input("period", "must be at least 1 month"))
    } else {
        Ok(())
    }
}

fn vid_field(vid: &Option<Vid>) -> Field<'_> {
    Field::optional("vid", vid.as_ref().map_or("", Vid::as_str))
}

/// `createOrder` (4.1): order a new service. Moves money; the library never re-sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateOrder {
    /// Tariff plan type; `None` lets the gateway use hosting.
    pub vid: Option<Vid>,
    /// Tariff plan id (from [`GetTarifs`]). Required.
    pub tarifid: String,
    /// Period in months; one of the tariff's `months`. Required, at least 1.
    pub period: u32,
    /// Full domain name (UTF-8 for Cyrillic ones); may be left out for tariffs with
    /// `allowWithoutDomain`.
    pub domain: Option<String>,
    /// Add-on ids, sent comma-separated; empty sends no `addons` field.
    pub addons: Vec<String>,
}

impl CreateOrder {
    /// An order for `tarifid` over `period` months, everything else default.
    pub fn new(tarifid: impl Into<String>, period: u32) -> Self {
        CreateOrder {
            tarifid: tarifid.into(),
            period,
            ..CreateOrder::default()
        }
    }

    /// Set the tariff plan type.
    pub fn vid(mut self, vid: Vid) -> Self {
        self.vid = Some(vid);
        self
    }

    /// Set the domain.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// Add one add-on id.
    pub fn addon(mut self, id: impl Into<String>) -> Self {
        self.addons.push(id.into());
        self
    }
}

impl Command for CreateOrder {
    const NAME: &'static str = "createOrder";
    const MOVES_MONEY: bool = true;
    type Answer = CreateOrderAnswer;

    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            vid_field(&self.vid),
            Field::required("tarifid", self.tarifid.as_str()),
            Field::required("period", self.period.to_string()),
            Field::optional("domain", self.domain.as_deref().unwrap_or("")),
            Field::optional("addons", Cow::Owned(self.addons.join(","))),
        ]
    }

    fn validate(&self) -> Result<(), Error> {
        months(self.period)?;
        for id in &self.addons {
            if id.is_empty() || id.contains(',') {
                return Err(Error::invalid_input(
                    "addons",
                    "every add-on id must be non-empty and contain no comma",
                ));
            }
        }
        Ok(())
    }
}

/// `renewOrder` (4.2): extend an order. Moves money; the library never re-sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenewOrder {
    /// The order id from `createOrder`. Required.
    pub orderid: String,
    /// Period in months. Required, at least 1.
    pub period: u32,
}

impl RenewOrder {
    /// Renew `orderid` for `period` months.
    pub fn new(orderid: impl Into<String>, period: u32) -> Self {
        RenewOrder {
            orderid: orderid.into(),
            period,
        }
    }
}

impl Command for RenewOrder {
    const NAME: &'static str = "renewOrder";
    const MOVES_MONEY: bool = true;
    type Answer = RenewOrderAnswer;

    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::required("orderid", self.orderid.as_str()),
            Field::required("period", self.period.to_string()),
        ]
    }

    fn validate(&self) -> Result<(), Error> {
        months(self.period)
    }
}

macro_rules! order_command {
    ($(#[$doc:meta])* $name:ident = $wire:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            /// The order id from `createOrder`. Required.
            pub orderid: String,
        }

        impl $name {
            /// The command for `orderid`.
            pub fn new(orderid: impl Into<String>) -> Self {
                $name {
                    orderid: orderid.into(),
                }
            }
        }

        impl Command for $name {
            const NAME: &'static str = $wire;
            type Answer = OrderAnswer;

            fn fields(&self) -> Vec<Field<'_>> {
                vec![Field::required("orderid", self.orderid.as_str())]
            }
        }
    };
}

order_command!(
    /// `suspendOrder` (4.3): suspend an order.
    SuspendOrder = "suspendOrder"
);
order_command!(
    /// `unSuspendOrder` (4.4): start a suspended order.
    UnSuspendOrder = "unSuspendOrder"
);
order_command!(
    /// `restartOrder` (4.6): restart the server (only some server types support it).
    RestartOrder = "restartOrder"
);
order_command!(
    /// `reinstallOrder` (4.7): reinstall the server (only some server types support it).
    ReinstallOrder = "reinstallOrder"
);

/// `getTarifs` (4.5): the tariff plans of one type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetTarifs {
    /// Tariff plan type; `None` lets the gateway use hosting.
    pub vid: Option<Vid>,
}

impl GetTarifs {
    /// The plans of type `vid` (`None`: the gateway's default, hosting).
    pub fn new(vid: Option<Vid>) -> Self {
        GetTarifs { vid }
    }
}

impl Command for GetTarifs {
    const NAME: &'static str = "getTarifs";
    const READ_ONLY: bool = true;
    type Answer = TarifsAnswer;

    fn fields(&self) -> Vec<Field<'_>> {
        vec![vid_field(&self.vid)]
    }
}

/// `getOrders` (4.8): every order, or one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetOrders {
    /// Only this order, if set.
    pub orderid: Option<String>,
}

impl GetOrders {
    /// Every order (`None`) or just `orderid`.
    pub fn new(orderid: Option<String>) -> Self {
        GetOrders { orderid }
    }
}

impl Command for GetOrders {
    const NAME: &'static str = "getOrders";
    const READ_ONLY: bool = true;
    type Answer = OrdersAnswer;

    fn fields(&self) -> Vec<Field<'_>> {
        vec![Field::optional(
            "orderid",
            self.orderid.as_deref().unwrap_or(""),
        )]
    }

    /// An order id given but empty would be dropped from the request and list every order:
    /// refused, as every required value is (leave it out, `None`, to list them all).
    fn validate(&self) -> Result<(), Error> {
        match self.orderid.as_deref() {
            Some(id) if id.trim().is_empty() => Err(Error::invalid_input(
                "orderid",
                "is empty; leave it out to list every order",
            )),
            _ => Ok(()),
        }
    }
}

/// `getBalance` (4.9): the account balance. No fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GetBalance;

impl Command for GetBalance {
    const NAME: &'static str = "getBalance";
    const READ_ONLY: bool = true;
    type Answer = BalanceAnswer;

    fn fields(&self) -> Vec<Field<'_>> {
        Vec::new()
    }
}
