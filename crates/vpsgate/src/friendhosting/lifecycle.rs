//! The neutral lifecycle at the gateway: create = `createOrder`, renew = `renewOrder`, suspend /
//! unsuspend = `suspendOrder` / `unSuspendOrder`, reboot = `restartOrder`, reinstall =
//! `reinstallOrder`, info / list = `getOrders`, balance = `getBalance`. The gateway has no
//! terminate: [`Error::Unsupported`], nothing sent. A warning 30/31 on create makes it
//! [`Provisioning::Pending`].

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::answers::{
    BalanceAnswer, CreateOrderAnswer, Order, OrderAnswer, OrderStatus, OrdersAnswer,
    RenewOrderAnswer,
};
use super::codes::{GatewayCode, Warning};
use super::commands::{
    CreateOrder, GetBalance, GetOrders, ReinstallOrder, RenewOrder, RestartOrder, SuspendOrder,
    UnSuspendOrder,
};
use super::gateway::Gateway;
use super::parse::{read_answer, Answer};
use super::vid::Vid;
use crate::error::{Error, RawBody};
use crate::lifecycle::{
    Access, Balance, CreateSpec, Created, Done, Notice, Outcome, Provisioning, Renewed,
    ServiceInfo, ServiceRef, ServiceState, Step, Upstream,
};
use crate::transport::HttpRequest;

pub use super::gateway::PROVIDER;

/// The `createOrder` command for a neutral create.
pub fn create_order(spec: &CreateSpec) -> CreateOrder {
    CreateOrder {
        vid: Vid::parse_arg(spec.kind.as_deref()),
        tarifid: spec.plan.clone(),
        period: spec.months,
        domain: spec.domain.clone(),
        addons: spec.addons.clone(),
    }
}

impl Upstream for Gateway {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    fn build(&self, step: &Step) -> Result<HttpRequest, Error> {
        let id = |s: &ServiceRef| s.id.clone();
        match step {
            Step::Create(spec) => self.request(&create_order(spec)),
            Step::Renew { service, months } => self.request(&RenewOrder::new(id(service), *months)),
            Step::Suspend(s) => self.request(&SuspendOrder::new(id(s))),
            Step::Unsuspend(s) => self.request(&UnSuspendOrder::new(id(s))),
            Step::Terminate(_) => Err(Error::Unsupported {
                provider: PROVIDER,
                operation: "terminate",
            }),
            Step::Reboot(s) => self.request(&RestartOrder::new(id(s))),
            Step::Reinstall(s) => self.request(&ReinstallOrder::new(id(s))),
            Step::Info(s) => {
                if s.id.is_empty() {
                    // An empty orderid would be dropped and list every order.
                    return Err(Error::invalid_input("id", "must not be empty"));
                }
                self.request(&GetOrders::new(Some(id(s))))
            }
            Step::List => self.request(&GetOrders::new(None)),
            Step::Balance => self.request(&GetBalance),
        }
    }

    fn read(
        &self,
        step: &Step,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Outcome, Error> {
        let format = self.format();
        match step {
            Step::Create(_) => {
                let answer: Answer<CreateOrderAnswer> = read_answer(format, status, headers, body)?;
                Ok(Outcome::Created(created(answer)))
            }
            Step::Renew { .. } => {
                let answer: Answer<RenewOrderAnswer> = read_answer(format, status, headers, body)?;
                Ok(Outcome::Renewed(Renewed {
                    expires: None,
                    cost: answer.data.cost,
                    warning: answer.warning.as_ref().map(notice),
                }))
            }
            Step::Suspend(_) | Step::Unsuspend(_) | Step::Reboot(_) | Step::Reinstall(_) => {
                done::<OrderAnswer>(format, status, headers, body)
            }
            Step::Terminate(_) => Err(Error::Unsupported {
                provider: PROVIDER,
                operation: "terminate",
            }),
            Step::Info(service) => {
                let answer: Answer<OrdersAnswer> = read_answer(format, status, headers, body)?;
                let orders = answer.data.orders;
                let wanted = service.id.as_str();
                let single = orders.len() == 1 && orders[0].orderid.is_none();
                orders
                    .into_iter()
                    .find(|o| single || o.orderid.as_deref() == Some(wanted))
                    .map(|o| Outcome::Info(service_info(o)))
                    .ok_or_else(|| Error::MalformedResponse {
                        reason: format!("getOrders for orderid {wanted} did not list that order"),
                        offset: None,
                        body: RawBody::new(body),
                        source: None,
                    })
            }
            Step::List => match read_answer::<OrdersAnswer>(format, status, headers, body) {
                Ok(answer) => Ok(Outcome::List(
                    answer.data.orders.into_iter().map(service_info).collect(),
                )),
                // The gateway answers "no orders" as error 26: an empty list, not a failure.
                Err(Error::Gateway(g)) if g.code == GatewayCode::NoOrders => {
                    Ok(Outcome::List(Vec::new()))
                }
                Err(e) => Err(e),
            },
            Step::Balance => {
                let answer: Answer<BalanceAnswer> = read_answer(format, status, headers, body)?;
                let amount = answer
                    .data
                    .balance
                    .ok_or_else(|| Error::MalformedResponse {
                        reason: "getBalance answer has no `balance`".into(),
                        offset: None,
                        body: RawBody::new(body),
                        source: None,
                    })?;
                Ok(Outcome::Balance(Balance {
                    amount,
                    currency: answer.data.currency.unwrap_or_default(),
                }))
            }
        }
    }
}

fn done<A: DeserializeOwned>(
    format: super::format::Format,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Outcome, Error> {
    let answer: Answer<A> = read_answer(format, status, headers, body)?;
    Ok(Outcome::Done(Done::new(
        answer.warning.as_ref().map(notice),
    )))
}

/// A gateway warning as a neutral notice.
pub fn notice(warning: &Warning) -> Notice {
    Notice {
        code: warning.code.number(),
        message: warning.text().to_owned(),
    }
}

fn created(answer: Answer<CreateOrderAnswer>) -> Created {
    let data = answer.data;
    let warning = answer.warning.as_ref().map(notice);
    let provisioning = match &warning {
        Some(w) => Provisioning::Pending {
            message: w.message.clone(),
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
    Created {
        service: ServiceRef::new(data.orderid.unwrap_or_default()),
        provisioning,
        access,
        cost: data.cost,
        expires: None,
        warning,
    }
}

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
        service: ServiceRef::new(order.orderid.unwrap_or_default()),
        plan: order.tarifname.or(order.tarifid).unwrap_or_default(),
        domain: order.domain,
        state: state(order.status),
        expires,
    }
}
