//! A thin client over any transport, and the provider-neutral lifecycle.

use std::fmt;

use super::answers::{
    BalanceAnswer, CreateOrderAnswer, OrderAnswer, OrdersAnswer, RenewOrderAnswer, TarifsAnswer,
};
use super::commands::{
    CreateOrder, GetBalance, GetOrders, GetTarifs, ReinstallOrder, RenewOrder, RestartOrder,
    SuspendOrder, UnSuspendOrder,
};
use super::gateway::{Command, Gateway};
use super::lifecycle::PROVIDER;
use super::parse::Answer;
use super::vid::Vid;
use crate::error::Error;
use crate::lifecycle::{self, AsyncLifecycle, Lifecycle, Outcome, Step};
use crate::retry::RetryPolicy;
use crate::transport::{execute_async, execute_with, AsyncTransport, Transport};

/// A [`Gateway`] plus a transport: one method per command, each sending exactly one request.
/// Nothing is retried unless asked ([`Client::with_retry`]), and then only `getTarifs`,
/// `getOrders` and `getBalance`: `createOrder` and `renewOrder` never move money twice.
///
/// `Debug` shows the gateway settings (no secrets) and not the transport.
pub struct Client<T> {
    gateway: Gateway,
    transport: T,
    retry: RetryPolicy,
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("gateway", &self.gateway)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl<T> Client<T> {
    /// A client for `gateway` sending through `transport`.
    pub fn new(gateway: Gateway, transport: T) -> Self {
        Client {
            gateway,
            transport,
            retry: RetryPolicy::NEVER,
        }
    }

    /// Retry the read-only commands (`getTarifs`, `getOrders`, `getBalance`) after a transient
    /// failure under `policy`, in the blocking methods; every other command is still sent once.
    /// The async methods send once (they have no timer: use [`crate::execute_async_with`]).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy of the blocking methods.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The settings.
    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
}

impl<T: Transport> Client<T> {
    /// Send any command, including one this crate does not define (tried again under the
    /// retry policy only when it is [`Command::READ_ONLY`]).
    pub fn call<C: Command>(&self, command: &C) -> Result<Answer<C::Answer>, Error> {
        execute_with(&self.gateway.call(command), &self.transport, &self.retry)
    }

    /// `createOrder`.
    pub fn create_order(&self, order: &CreateOrder) -> Result<Answer<CreateOrderAnswer>, Error> {
        self.call(order)
    }

    /// `renewOrder` for `period` months.
    pub fn renew_order(
        &self,
        orderid: impl Into<String>,
        period: u32,
    ) -> Result<Answer<RenewOrderAnswer>, Error> {
        self.call(&RenewOrder::new(orderid, period))
    }

    /// `suspendOrder`.
    pub fn suspend_order(&self, orderid: impl Into<String>) -> Result<Answer<OrderAnswer>, Error> {
        self.call(&SuspendOrder::new(orderid))
    }

    /// `unSuspendOrder`.
    pub fn unsuspend_order(
        &self,
        orderid: impl Into<String>,
    ) -> Result<Answer<OrderAnswer>, Error> {
        self.call(&UnSuspendOrder::new(orderid))
    }

    /// `restartOrder`.
    pub fn restart_order(&self, orderid: impl Into<String>) -> Result<Answer<OrderAnswer>, Error> {
        self.call(&RestartOrder::new(orderid))
    }

    /// `reinstallOrder`.
    pub fn reinstall_order(
        &self,
        orderid: impl Into<String>,
    ) -> Result<Answer<OrderAnswer>, Error> {
        self.call(&ReinstallOrder::new(orderid))
    }

    /// `getTarifs`; `None` for the gateway's default type (hosting).
    pub fn get_tarifs(&self, vid: Option<Vid>) -> Result<Answer<TarifsAnswer>, Error> {
        self.call(&GetTarifs::new(vid))
    }

    /// `getOrders`: every order, or only `orderid`. The gateway answers error 26 when the
    /// account has no orders.
    pub fn get_orders(&self, orderid: Option<&str>) -> Result<Answer<OrdersAnswer>, Error> {
        self.call(&GetOrders::new(orderid.map(str::to_owned)))
    }

    /// `getBalance`.
    pub fn get_balance(&self) -> Result<Answer<BalanceAnswer>, Error> {
        self.call(&GetBalance)
    }
}

impl<T: AsyncTransport> Client<T> {
    /// Send any command through an async transport.
    pub async fn call_async<C: Command>(&self, command: &C) -> Result<Answer<C::Answer>, Error> {
        execute_async(&self.gateway.call(command), &self.transport).await
    }
}

/// The neutral lifecycle over the gateway: see [`super::lifecycle`] for the mapping.
impl<T: Transport> Lifecycle for Client<T> {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    fn run(&self, step: Step) -> Result<Outcome, Error> {
        lifecycle::run_with(&self.gateway, &self.transport, step, &self.retry)
    }
}

/// The async twin: the same mapping over an [`AsyncTransport`].
impl<T: AsyncTransport> AsyncLifecycle for Client<T> {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    async fn run(&self, step: Step) -> Result<Outcome, Error> {
        lifecycle::run_async(&self.gateway, &self.transport, step).await
    }
}
