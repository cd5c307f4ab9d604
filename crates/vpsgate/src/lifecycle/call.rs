//! A step at an upstream as an [`Operation`], and the blocking and async lifecycle traits over it.

use std::future::Future;
use std::marker::PhantomData;

use http::{HeaderMap, StatusCode};

use super::step::{FromOutcome, Outcome, Step};
use super::types::{Balance, CreateSpec, Created, Done, Renewed, ServiceInfo, ServiceRef};
use crate::error::{Error, MoneyMove};
use crate::retry::RetryPolicy;
use crate::transport::{
    execute, execute_async, execute_async_with, execute_with, AsyncTransport, HttpRequest,
    Operation, Transport,
};

/// An upstream that can run every lifecycle [`Step`] as two pure functions. Implemented by
/// [`crate::friendhosting::Gateway`], [`crate::govpsfx::Partner`] and [`super::Provider`].
pub trait Upstream {
    /// The provider's short name (`"friendhosting"`, `"govpsfx"`).
    fn provider(&self) -> &'static str;

    /// The exact request for `step`; [`Error::Unsupported`] (nothing to send) when the provider
    /// has no such operation, [`Error::InvalidInput`] when an argument is missing or invalid.
    fn build(&self, step: &Step) -> Result<HttpRequest, Error>;

    /// Read the answer to `step` into the neutral [`Outcome`].
    fn read(
        &self,
        step: &Step,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Outcome, Error>;

    /// `step` at this upstream as an [`Operation`] whose output is `T` (`Created` for create,
    /// [`Outcome`] for any step).
    fn step<T: FromOutcome>(&self, step: Step) -> StepCall<'_, Self, T>
    where
        Self: Sized,
    {
        StepCall {
            upstream: self,
            step,
            out: PhantomData,
        }
    }
}

/// One [`Step`] at one [`Upstream`]: an [`Operation`] with output `T`.
pub struct StepCall<'a, U, T> {
    upstream: &'a U,
    step: Step,
    out: PhantomData<fn() -> T>,
}

impl<U, T> StepCall<'_, U, T> {
    /// The step.
    pub fn step(&self) -> &Step {
        &self.step
    }
}

impl<U: std::fmt::Debug, T> std::fmt::Debug for StepCall<'_, U, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepCall")
            .field("upstream", self.upstream)
            .field("step", &self.step)
            .finish()
    }
}

impl<U: Upstream, T: FromOutcome> Operation for StepCall<'_, U, T> {
    type Output = T;

    fn request(&self) -> Result<HttpRequest, Error> {
        self.upstream.build(&self.step)
    }

    fn parse(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<T, Error> {
        let outcome = self
            .upstream
            .read(&self.step, status, headers, body)
            .map_err(|e| e.after_sending(self.money()))?;
        T::from_outcome(outcome)
    }

    fn money(&self) -> Option<MoneyMove> {
        let operation = match &self.step {
            Step::Create(_) => "create",
            Step::Renew { .. } => "renew",
            _ => return None,
        };
        Some(MoneyMove {
            provider: self.upstream.provider(),
            operation,
        })
    }

    fn read_only(&self) -> bool {
        self.step.read_only()
    }
}

/// The provider-neutral lifecycle, blocking. Every method sends at most one request, unless an
/// opt-in [`RetryPolicy`] lets a read-only one (info, list, balance) be tried again; an operation the provider lacks is [`Error::Unsupported`] and sends nothing.
///
/// Implementors provide [`Lifecycle::provider`] and [`Lifecycle::run`]; the named methods are
/// [`Lifecycle::run`] with the matching [`Step`].
pub trait Lifecycle {
    /// The provider's short name (`"friendhosting"`, `"govpsfx"`).
    fn provider(&self) -> &'static str;
    /// Run any step.
    fn run(&self, step: Step) -> Result<Outcome, Error>;

    /// Order a new service. Moves money; never retried by the library.
    fn create(&self, spec: &CreateSpec) -> Result<Created, Error> {
        Created::from_outcome(self.run(Step::Create(spec.clone()))?)
    }
    /// Extend a service by `months`. Moves money; never retried by the library.
    fn renew(&self, service: &ServiceRef, months: u32) -> Result<Renewed, Error> {
        let step = Step::Renew {
            service: service.clone(),
            months,
        };
        Renewed::from_outcome(self.run(step)?)
    }
    /// Suspend a running service.
    fn suspend(&self, service: &ServiceRef) -> Result<Done, Error> {
        Done::from_outcome(self.run(Step::Suspend(service.clone()))?)
    }
    /// Start a suspended service.
    fn unsuspend(&self, service: &ServiceRef) -> Result<Done, Error> {
        Done::from_outcome(self.run(Step::Unsuspend(service.clone()))?)
    }
    /// End a service.
    fn terminate(&self, service: &ServiceRef) -> Result<Done, Error> {
        Done::from_outcome(self.run(Step::Terminate(service.clone()))?)
    }
    /// Restart the server.
    fn reboot(&self, service: &ServiceRef) -> Result<Done, Error> {
        Done::from_outcome(self.run(Step::Reboot(service.clone()))?)
    }
    /// Reinstall the server.
    fn reinstall(&self, service: &ServiceRef) -> Result<Done, Error> {
        Done::from_outcome(self.run(Step::Reinstall(service.clone()))?)
    }
    /// Details of one service.
    fn info(&self, service: &ServiceRef) -> Result<ServiceInfo, Error> {
        ServiceInfo::from_outcome(self.run(Step::Info(service.clone()))?)
    }
    /// Every service of the account.
    fn list(&self) -> Result<Vec<ServiceInfo>, Error> {
        Vec::<ServiceInfo>::from_outcome(self.run(Step::List)?)
    }
    /// Account balance.
    fn balance(&self) -> Result<Balance, Error> {
        Balance::from_outcome(self.run(Step::Balance)?)
    }
}

/// The async twin of [`Lifecycle`]; the futures need not be `Send`, so browser `fetch` fits.
pub trait AsyncLifecycle {
    /// The provider's short name.
    fn provider(&self) -> &'static str;
    /// Run any step.
    fn run(&self, step: Step) -> impl Future<Output = Result<Outcome, Error>>;

    /// Order a new service. Moves money; never retried by the library.
    fn create(&self, spec: &CreateSpec) -> impl Future<Output = Result<Created, Error>> {
        typed(self.run(Step::Create(spec.clone())))
    }
    /// Extend a service by `months`. Moves money; never retried by the library.
    fn renew(
        &self,
        service: &ServiceRef,
        months: u32,
    ) -> impl Future<Output = Result<Renewed, Error>> {
        typed(self.run(Step::Renew {
            service: service.clone(),
            months,
        }))
    }
    /// Suspend a running service.
    fn suspend(&self, service: &ServiceRef) -> impl Future<Output = Result<Done, Error>> {
        typed(self.run(Step::Suspend(service.clone())))
    }
    /// Start a suspended service.
    fn unsuspend(&self, service: &ServiceRef) -> impl Future<Output = Result<Done, Error>> {
        typed(self.run(Step::Unsuspend(service.clone())))
    }
    /// End a service.
    fn terminate(&self, service: &ServiceRef) -> impl Future<Output = Result<Done, Error>> {
        typed(self.run(Step::Terminate(service.clone())))
    }
    /// Restart the server.
    fn reboot(&self, service: &ServiceRef) -> impl Future<Output = Result<Done, Error>> {
        typed(self.run(Step::Reboot(service.clone())))
    }
    /// Reinstall the server.
    fn reinstall(&self, service: &ServiceRef) -> impl Future<Output = Result<Done, Error>> {
        typed(self.run(Step::Reinstall(service.clone())))
    }
    /// Details of one service.
    fn info(&self, service: &ServiceRef) -> impl Future<Output = Result<ServiceInfo, Error>> {
        typed(self.run(Step::Info(service.clone())))
    }
    /// Every service of the account.
    fn list(&self) -> impl Future<Output = Result<Vec<ServiceInfo>, Error>> {
        typed(self.run(Step::List))
    }
    /// Account balance.
    fn balance(&self) -> impl Future<Output = Result<Balance, Error>> {
        typed(self.run(Step::Balance))
    }
}

async fn typed<T: FromOutcome>(
    run: impl Future<Output = Result<Outcome, Error>>,
) -> Result<T, Error> {
    T::from_outcome(run.await?)
}

/// An [`Upstream`] plus a transport: the lifecycle over any provider.
///
/// Implements [`Lifecycle`] when `T` is a [`Transport`] and [`AsyncLifecycle`] when it is an
/// [`AsyncTransport`]. `Debug` shows the upstream (no secrets), not the transport.
pub struct Client<U, T> {
    upstream: U,
    transport: T,
    retry: RetryPolicy,
}

impl<U: std::fmt::Debug, T> std::fmt::Debug for Client<U, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<U, T> Client<U, T> {
    /// A client for `upstream` sending through `transport`.
    pub fn new(upstream: U, transport: T) -> Self {
        Client {
            upstream,
            transport,
            retry: RetryPolicy::NEVER,
        }
    }

    /// Retry read-only steps (info, list, balance) under `policy` in the blocking
    /// [`Lifecycle`]; create, renew and every other step are still sent once. The async
    /// [`AsyncLifecycle`] sends once: it has no timer (use [`run_async_with`]).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy of the blocking lifecycle.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The upstream.
    pub fn upstream(&self) -> &U {
        &self.upstream
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
}

impl<U: Upstream, T: Transport> Lifecycle for Client<U, T> {
    fn provider(&self) -> &'static str {
        self.upstream.provider()
    }

    fn run(&self, step: Step) -> Result<Outcome, Error> {
        run_with(&self.upstream, &self.transport, step, &self.retry)
    }
}

impl<U: Upstream, T: AsyncTransport> AsyncLifecycle for Client<U, T> {
    fn provider(&self) -> &'static str {
        self.upstream.provider()
    }

    fn run(&self, step: Step) -> impl Future<Output = Result<Outcome, Error>> {
        run_async(&self.upstream, &self.transport, step)
    }
}

/// Build `step` at `upstream`, send it once through `transport`, read the outcome.
pub fn run<U: Upstream, T: Transport + ?Sized>(
    upstream: &U,
    transport: &T,
    step: Step,
) -> Result<Outcome, Error> {
    execute(&upstream.step::<Outcome>(step), transport)
}

/// The async twin of [`run`].
pub async fn run_async<U: Upstream, T: AsyncTransport + ?Sized>(
    upstream: &U,
    transport: &T,
    step: Step,
) -> Result<Outcome, Error> {
    execute_async(&upstream.step::<Outcome>(step), transport).await
}

/// [`run`] under a retry policy: a read-only step (info, list, balance) is tried again after a
/// transient failure, as [`crate::execute_with`] does; every other step is sent once.
pub fn run_with<U: Upstream, T: Transport + ?Sized>(
    upstream: &U,
    transport: &T,
    step: Step,
    policy: &RetryPolicy,
) -> Result<Outcome, Error> {
    execute_with(&upstream.step::<Outcome>(step), transport, policy)
}

/// The async twin of [`run_with`]: `sleep` waits between attempts (the runtime's timer,
/// `setTimeout` in a browser). The generic async runner every async face can use.
pub async fn run_async_with<U, T, S, F>(
    upstream: &U,
    transport: &T,
    step: Step,
    policy: &RetryPolicy,
    sleep: S,
) -> Result<Outcome, Error>
where
    U: Upstream,
    T: AsyncTransport + ?Sized,
    S: Fn(std::time::Duration) -> F,
    F: Future<Output = ()>,
{
    execute_async_with(&upstream.step::<Outcome>(step), transport, policy, sleep).await
}
