//! A thin client over any transport, and the provider-neutral lifecycle.

use std::fmt;

use http::{HeaderMap, StatusCode};

use super::answers::{
    BalanceAnswer, CreateOrderAnswer, Order, OrderAnswer, OrderStatus, OrdersAnswer,
    RenewOrderAnswer, TarifsAnswer,
};
use super::codes::GatewayCode;
use super::commands::{
    CreateOrder, GetBalance, GetOrders, GetTarifs, ReinstallOrder, RenewOrder, RestartOrder,
    SuspendOrder, UnSuspendOrder,
};
use super::gateway::{Call, Command, Gateway};
use super::parse::Answer;
use super::vid::Vid;
use crate::error::{Error, RawBody};
use crate::lifecycle::{
    self, Access, Balance, CreateSpec, Created, Lifecycle, Provisioning, Renewed, ServiceInfo,
    ServiceRef, ServiceState,
};
use crate::transport::{execute, execute_async, AsyncTransport, HttpRequest, Operation, Transport};

/// A [`Gateway`] plus a transport: one method per command, each sending exactly one request.
/// Nothing is retried, so `createOrder` and `renewOrder` never move money twice.
///
/// `Debug` shows the gateway settings (no secrets) and not the transport.
pub struct Client<T> {
    gateway: Gateway,
    transport: T,
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("gateway", &self.gateway)
            .finish_non_exhaustive()
    }
}

impl<T> Client<T> {
    /// A client for `gateway` sending through `transport`.
    pub fn new(gateway: Gateway, transport: T) -> Self {
        Client { gateway, transport }
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
    /// Send any command, including one this crate does not define.
    pub fn call<C: Command>(&self, command: &C) -> Result<Answer<C::Answer>, Error> {
        execute(&self.gateway.call(command), &self.transport)
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

/// A [`Call`] whose answer is turned into another value, with the body at hand for errors.
struct Mapped<'a, C, F> {
    call: Call<'a, C>,
    map: F,
}

impl<C, F, O> Operation for Mapped<'_, C, F>
where
    C: Command,
    F: Fn(Result<Answer<C::Answer>, Error>, &[u8]) -> Result<O, Error>,
{
    type Output = O;

    fn request(&self) -> Result<HttpRequest, Error> {
        self.call.request()
    }

    fn parse(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<O, Error> {
        (self.map)(self.call.parse(status, headers, body), body)
    }
}

const PROVIDER: &str = "friendhosting";

fn state(status: Option<OrderStatus>) -> ServiceState {
    match status {
        Some(OrderStatus::NotProcessed | OrderStatus::BeingProcessed) => ServiceState::Pending,
        Some(OrderStatus::Processed) => ServiceState::Active,
        Some(OrderStatus::Suspended) => ServiceState::Suspended,
        Some(OrderStatus::Other(n)) => ServiceState::Other(n),
        // The order carried no status at all.
        None => ServiceState::Other(-1),
    }
}

fn service_info(order: Order) -> ServiceInfo {
    let expires = order.todate.as_ref().and_then(|d| d.date());
    ServiceInfo {
        service: ServiceRef {
            id: order.orderid.unwrap_or_default(),
            client_id: None,
        },
        plan: order.tarifname.or(order.tarifid).unwrap_or_default(),
        domain: order.domain,
        state: state(order.status),
        expires,
    }
}

fn is_no_orders(e: &Error) -> bool {
    matches!(e, Error::Gateway(g) if g.code == GatewayCode::NoOrders)
}

/// The neutral lifecycle: create = `createOrder`, renew = `renewOrder`, reboot =
/// `restartOrder`, info/list = `getOrders`, balance = `getBalance`; terminate is not offered by
/// the gateway. A warning 30/31 on create makes it [`Provisioning::Pending`].
impl<T: Transport> Lifecycle for Client<T> {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    fn create(&self, spec: &CreateSpec) -> Result<Created, Error> {
        let order = CreateOrder {
            vid: spec
                .kind
                .as_deref()
                .filter(|k| !k.is_empty())
                .map(Vid::parse),
            tarifid: spec.plan.clone(),
            period: spec.months,
            domain: spec.domain.clone(),
            addons: spec.addons.clone(),
        };
        let answer = self.create_order(&order)?;
        let data = answer.data;
        let warning = answer.warning.as_ref().map(|w| w.text().to_owned());
        let provisioning = match &warning {
            Some(message) => Provisioning::Pending {
                message: message.clone(),
            },
            None => Provisioning::Ready,
        };
        let access = if data.serverlogin.is_some() || data.serverpassword.is_some() {
            Some(Access {
                ip: None,
                port: None,
                login: data.serverlogin,
                password: data.serverpassword,
            })
        } else {
            None
        };
        Ok(Created {
            service: ServiceRef {
                id: data.orderid.unwrap_or_default(),
                client_id: None,
            },
            provisioning,
            access,
            cost: data.cost,
            expires: None,
            warning,
        })
    }

    fn renew(&self, service: &ServiceRef, months: u32) -> Result<Renewed, Error> {
        let answer = self.renew_order(service.id.as_str(), months)?;
        Ok(Renewed {
            expires: None,
            cost: answer.data.cost,
            warning: answer.warning.as_ref().map(|w| w.text().to_owned()),
        })
    }

    fn suspend(&self, service: &ServiceRef) -> Result<(), Error> {
        self.suspend_order(service.id.as_str()).map(drop)
    }

    fn unsuspend(&self, service: &ServiceRef) -> Result<(), Error> {
        self.unsuspend_order(service.id.as_str()).map(drop)
    }

    fn terminate(&self, _service: &ServiceRef) -> Result<(), Error> {
        lifecycle::unsupported(PROVIDER, "terminate")
    }

    fn reboot(&self, service: &ServiceRef) -> Result<(), Error> {
        self.restart_order(service.id.as_str()).map(drop)
    }

    fn reinstall(&self, service: &ServiceRef) -> Result<(), Error> {
        self.reinstall_order(service.id.as_str()).map(drop)
    }

    fn info(&self, service: &ServiceRef) -> Result<ServiceInfo, Error> {
        let command = GetOrders::new(Some(service.id.clone()));
        let op = Mapped {
            call: self.gateway.call(&command),
            map: |answer: Result<Answer<OrdersAnswer>, Error>, body: &[u8]| {
                let orders = answer?.data.orders;
                let wanted = service.id.as_str();
                let single = orders.len() == 1 && orders[0].orderid.is_none();
                orders
                    .into_iter()
                    .find(|o| single || o.orderid.as_deref() == Some(wanted))
                    .map(service_info)
                    .ok_or_else(|| Error::MalformedResponse {
                        reason: format!("getOrders for orderid {wanted} did not list that order"),
                        offset: None,
                        body: RawBody::new(body),
                        source: None,
                    })
            },
        };
        execute(&op, &self.transport)
    }

    fn list(&self) -> Result<Vec<ServiceInfo>, Error> {
        match self.get_orders(None) {
            Ok(answer) => Ok(answer.data.orders.into_iter().map(service_info).collect()),
            Err(e) if is_no_orders(&e) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    fn balance(&self) -> Result<Balance, Error> {
        let op = Mapped {
            call: self.gateway.call(&GetBalance),
            map: |answer: Result<Answer<BalanceAnswer>, Error>, body: &[u8]| {
                let data = answer?.data;
                let amount = data.balance.ok_or_else(|| Error::MalformedResponse {
                    reason: "getBalance answer has no `balance`".into(),
                    offset: None,
                    body: RawBody::new(body),
                    source: None,
                })?;
                Ok(Balance {
                    amount,
                    currency: data.currency.unwrap_or_default(),
                })
            },
        };
        execute(&op, &self.transport)
    }
}
