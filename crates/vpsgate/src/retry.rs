//! Opt-in retries of read-only requests: a pure policy, applied by [`crate::execute_with`],
//! [`crate::execute_async_with`], [`crate::lifecycle::run_with`] and
//! [`crate::lifecycle::run_async_with`].
//!
//! By default nothing is retried ([`RetryPolicy::NEVER`]). A policy with more than one attempt
//! re-sends a request only when **both** hold:
//!
//! - the operation is read-only ([`crate::Operation::read_only`]): Friendhosting `getTarifs`,
//!   `getOrders`, `getBalance`, and the lifecycle steps `info`, `list`, `balance`. GoVPSFX has no
//!   read-only request. A money-moving request (create, renew, lease, extend) or any other
//!   state-changing one (suspend, restart, recall, ...) is never sent twice, whatever the policy;
//! - the failure is transient ([`retryable`]): a connection that could not be made, a timeout, a
//!   connection dropped or an answer cut short, an HTTP 5xx status. An upstream's business
//!   answer (a gateway `ERROR`, a GoVPSFX 400/403), a redirect, a refused insecure URL, an
//!   oversize or unreadable answer is final.
//!
//! The wait before retry `n` (1 for the first) is drawn between half and the whole of
//! `min(max_delay, base_delay × 2^(n-1))` ("equal jitter"): exponential, capped, and spread so
//! that many clients failing together do not come back together.
//!
//! ```
//! use std::time::Duration;
//! use vpsgate::retry::RetryPolicy;
//!
//! let policy = RetryPolicy::new(4)?.with_delays(Duration::from_millis(100), Duration::from_secs(1))?;
//! assert_eq!(policy.attempts(), 4);
//! // The third retry waits between 200 and 400 ms, whatever the random draw.
//! let wait = policy.delay(3, 0xDEAD_BEEF);
//! assert!(wait >= Duration::from_millis(200) && wait <= Duration::from_millis(400));
//! # Ok::<(), vpsgate::Error>(())
//! ```

use std::time::Duration;

use crate::error::{Error, TransportErrorKind};

/// The most attempts (the first one included) a policy may make.
pub const MAX_ATTEMPTS: u32 = 10;
/// The longest wait a policy may ask for between two attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(60);
/// The default [`RetryPolicy::base_delay`].
pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(200);
/// The default [`RetryPolicy::max_delay`].
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(5);

/// How often and how patiently to retry a read-only request; see the module docs.
///
/// Built through [`RetryPolicy::new`] and [`RetryPolicy::with_delays`], which refuse values out
/// of bounds (naming the configuration field), so every policy is bounded: at most
/// [`MAX_ATTEMPTS`] attempts and [`MAX_DELAY`] between two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// [`RetryPolicy::NEVER`].
    fn default() -> Self {
        RetryPolicy::NEVER
    }
}

impl RetryPolicy {
    /// One attempt, no retry: the library's default.
    pub const NEVER: RetryPolicy = RetryPolicy {
        attempts: 1,
        base_delay: DEFAULT_BASE_DELAY,
        max_delay: DEFAULT_MAX_DELAY,
    };

    /// Up to `attempts` attempts in all (1 = no retry), with the default delays. More than
    /// [`MAX_ATTEMPTS`], or 0, is [`Error::InvalidInput`] on `retry_attempts`.
    pub fn new(attempts: u32) -> Result<RetryPolicy, Error> {
        if attempts == 0 || attempts > MAX_ATTEMPTS {
            return Err(Error::invalid_input(
                "retry_attempts",
                format!("{attempts} is not within 1 to {MAX_ATTEMPTS}"),
            ));
        }
        Ok(RetryPolicy {
            attempts,
            ..RetryPolicy::NEVER
        })
    }

    /// The same policy with other delays. `base` must be at least 1 ms and `max` at least
    /// `base`, both at most [`MAX_DELAY`]: otherwise [`Error::InvalidInput`] on
    /// `retry_base_delay_ms` or `retry_max_delay_ms`.
    pub fn with_delays(self, base: Duration, max: Duration) -> Result<RetryPolicy, Error> {
        if base < Duration::from_millis(1) || base > MAX_DELAY {
            return Err(Error::invalid_input(
                "retry_base_delay_ms",
                format!(
                    "{} ms is not within 1 to {} ms",
                    base.as_millis(),
                    MAX_DELAY.as_millis()
                ),
            ));
        }
        if max < base || max > MAX_DELAY {
            return Err(Error::invalid_input(
                "retry_max_delay_ms",
                format!(
                    "{} ms is not within retry_base_delay_ms ({} ms) to {} ms",
                    max.as_millis(),
                    base.as_millis(),
                    MAX_DELAY.as_millis()
                ),
            ));
        }
        Ok(RetryPolicy {
            base_delay: base,
            max_delay: max,
            ..self
        })
    }

    /// Attempts in all, the first one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait before the first retry, before jitter.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest wait between two attempts.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The wait before retry number `retry` (1 for the first), given any random `u64`: between
    /// half and the whole of `min(max_delay, base_delay × 2^(retry-1))`, to the nanosecond.
    pub fn delay(&self, retry: u32, random: u64) -> Duration {
        let doublings = retry.saturating_sub(1).min(32);
        let cap = self
            .base_delay
            .checked_mul(1u32 << doublings.min(31))
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let cap_ns = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        let half = cap_ns / 2;
        // `cap_ns - half + 1` is at least 1: no division by zero.
        let spread = random % (cap_ns - half + 1);
        Duration::from_nanos(half + spread)
    }

    /// After `failed` attempts (1 or more) of an operation that ended in `error`: the wait
    /// before trying again, or `None` to report `error`. Only a read-only operation
    /// (`read_only`) is ever tried again, only for a [`retryable`] error, and never past
    /// [`RetryPolicy::attempts`].
    pub fn next_delay(
        &self,
        read_only: bool,
        failed: u32,
        error: &Error,
        random: u64,
    ) -> Option<Duration> {
        (read_only && failed < self.attempts && retryable(error))
            .then(|| self.delay(failed, random))
    }
}

/// Whether `error` is a transient failure worth another attempt of a read-only request: the
/// connection could not be made, a time limit passed, the connection dropped or the answer was
/// cut short, or the upstream answered an HTTP 5xx it does not define. Never an upstream's
/// business answer, a redirect, a refused URL, an oversize answer, a well-formed but unreadable
/// answer (an HTML page), nor anything of a money-moving request ([`Error::OutcomeUnknown`]).
pub fn retryable(error: &Error) -> bool {
    match error {
        Error::Transport(t) => match t.kind() {
            TransportErrorKind::Timeout | TransportErrorKind::Connect => true,
            TransportErrorKind::Other => t.is_transient(),
            TransportErrorKind::InsecureUrl | TransportErrorKind::Redirect => false,
        },
        Error::UnexpectedStatus { status, .. } => (500..600).contains(status),
        Error::ProviderError { .. } => true,
        Error::MalformedResponse {
            offset,
            body,
            source,
            ..
        } => cut_short(*offset, body.as_bytes(), source.as_deref()),
        Error::OutcomeUnknown { .. }
        | Error::InvalidInput { .. }
        | Error::Php(_)
        | Error::Json { .. }
        | Error::Serialize(_)
        | Error::Gateway(_)
        | Error::InvalidParameters { .. }
        | Error::Refused { .. }
        | Error::BadSignature(_)
        | Error::MalformedCallback { .. }
        | Error::PayloadTooLarge { .. }
        | Error::Unsupported { .. } => false,
    }
}

/// Whether a malformed answer reads as one cut short: empty, or the decoder ran out of bytes
/// (PHP: input ended or a declared length passes the end; JSON: end of input).
fn cut_short(
    offset: Option<usize>,
    body: &[u8],
    source: Option<&(dyn std::error::Error + Send + Sync + 'static)>,
) -> bool {
    if body.is_empty() || offset == Some(body.len()) {
        return true;
    }
    let Some(source) = source else { return false };
    if let Some(php) = source.downcast_ref::<crate::php::Error>() {
        return matches!(
            php.kind,
            crate::php::ErrorKind::UnexpectedEnd { .. }
                | crate::php::ErrorKind::LengthExceedsInput { .. }
        );
    }
    source
        .downcast_ref::<serde_json::Error>()
        .is_some_and(serde_json::Error::is_eof)
}

/// A random `u64` for the jitter, with no dependency and no I/O: std's per-process random hash
/// keys (advanced on every call) mix a counter. Not for cryptography; where std has no random
/// source (wasm32-unknown-unknown) the keys are fixed and the counter alone spreads the draws.
pub(crate) fn jitter_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{RawBody, TransportError};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn transport(kind: TransportErrorKind) -> Error {
        Error::Transport(TransportError::new(kind, "x"))
    }

    #[test]
    fn bounds_are_refused_by_field_name() {
        for n in [0, MAX_ATTEMPTS + 1, u32::MAX] {
            let e = RetryPolicy::new(n).unwrap_err();
            assert_eq!(e.field(), Some("retry_attempts"), "{n}");
        }
        assert_eq!(RetryPolicy::new(MAX_ATTEMPTS).unwrap().attempts(), 10);
        let p = RetryPolicy::new(3).unwrap();
        let cases = [
            (Duration::ZERO, ms(10), "retry_base_delay_ms"),
            (Duration::from_micros(999), ms(10), "retry_base_delay_ms"),
            (MAX_DELAY + ms(1), MAX_DELAY + ms(1), "retry_base_delay_ms"),
            (ms(10), ms(9), "retry_max_delay_ms"),
            (ms(10), MAX_DELAY + ms(1), "retry_max_delay_ms"),
        ];
        for (base, max, field) in cases {
            let e = p.with_delays(base, max).unwrap_err();
            assert_eq!(e.field(), Some(field), "{base:?} {max:?}");
        }
        let p = p.with_delays(ms(1), MAX_DELAY).unwrap();
        assert_eq!((p.base_delay(), p.max_delay()), (ms(1), MAX_DELAY));
        assert_eq!(RetryPolicy::default(), RetryPolicy::NEVER);
        assert_eq!(RetryPolicy::NEVER.attempts(), 1);
    }

    #[test]
    fn jitter_stays_within_half_and_whole_of_the_capped_exponential() {
        let p = RetryPolicy::new(10)
            .unwrap()
            .with_delays(ms(100), ms(1000))
            .unwrap();
        // Expected caps: 100, 200, 400, 800, then 1000 for ever.
        let caps = [100u64, 200, 400, 800, 1000, 1000, 1000, 1000, 1000];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for (i, cap) in caps.iter().enumerate() {
            let retry = i as u32 + 1;
            let (lo, hi) = (ms(cap / 2), ms(*cap));
            assert_eq!(p.delay(retry, 0), lo, "retry {retry}: smallest draw");
            assert_eq!(
                p.delay(retry, cap * 1_000_000 / 2),
                hi,
                "retry {retry}: largest"
            );
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..200 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let d = p.delay(retry, seed);
                assert!(
                    d >= lo && d <= hi,
                    "retry {retry}: {d:?} outside {lo:?}..={hi:?}"
                );
                seen.insert(d);
            }
            assert!(seen.len() > 150, "jitter spreads the waits: {}", seen.len());
        }
        // Far retries and huge bases never overflow and never pass the cap.
        let p = RetryPolicy::new(10)
            .unwrap()
            .with_delays(MAX_DELAY, MAX_DELAY)
            .unwrap();
        for retry in [1, 31, 32, 33, u32::MAX] {
            let d = p.delay(retry, u64::MAX);
            assert!(d >= MAX_DELAY / 2 && d <= MAX_DELAY, "{retry}: {d:?}");
        }
        assert_eq!(RetryPolicy::NEVER.delay(0, 0), DEFAULT_BASE_DELAY / 2);
    }

    #[test]
    fn attempts_are_capped() {
        let p = RetryPolicy::new(3).unwrap();
        let e = transport(TransportErrorKind::Timeout);
        assert!(p.next_delay(true, 1, &e, 7).is_some());
        assert!(p.next_delay(true, 2, &e, 7).is_some());
        assert_eq!(p.next_delay(true, 3, &e, 7), None);
        assert_eq!(p.next_delay(true, 4, &e, 7), None);
        assert_eq!(RetryPolicy::NEVER.next_delay(true, 1, &e, 7), None);
    }

    #[test]
    fn never_for_money_nor_for_state_changes() {
        let p = RetryPolicy::new(MAX_ATTEMPTS).unwrap();
        let cause = transport(TransportErrorKind::Timeout);
        // A state-changing operation: not read-only, whatever the error.
        assert_eq!(p.next_delay(false, 1, &cause, 1), None);
        // A money-moving one fails as OutcomeUnknown, which is never retryable even if an
        // operation claimed to be read-only.
        let unknown =
            transport(TransportErrorKind::Timeout).after_sending(Some(crate::MoneyMove {
                provider: "friendhosting",
                operation: "createOrder",
            }));
        assert!(unknown.outcome_unknown());
        assert!(!retryable(&unknown));
        assert_eq!(p.next_delay(true, 1, &unknown, 1), None);
    }

    #[test]
    fn which_errors_are_transient() {
        let other_transient = transport(TransportErrorKind::Other);
        let oversize =
            Error::Transport(TransportError::new(TransportErrorKind::Other, "too big").permanent());
        let fh = |body: &[u8]| {
            crate::friendhosting::parse::<crate::friendhosting::BalanceAnswer>(
                http::StatusCode::OK,
                &http::HeaderMap::new(),
                body,
            )
            .unwrap_err()
        };
        let full = br#"a:2:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:4:"9.50";}"#;
        let json = br#"{"status":"SUCCESS","balance":"9.50"}"#;
        let cuts: Vec<Error> = [&full[..], &json[..]]
            .iter()
            .flat_map(|b| [b.len() / 3, b.len() / 2, b.len() - 1].map(|n| fh(&b[..n])))
            .collect();
        let html = crate::friendhosting::parse::<crate::friendhosting::BalanceAnswer>(
            http::StatusCode::OK,
            &http::HeaderMap::new(),
            b"<!DOCTYPE html><html><body>Fatal error</body></html>",
        )
        .unwrap_err();
        let empty = crate::friendhosting::parse::<crate::friendhosting::BalanceAnswer>(
            http::StatusCode::OK,
            &http::HeaderMap::new(),
            b"",
        )
        .unwrap_err();
        let status = |s| Error::UnexpectedStatus {
            status: s,
            body: RawBody::default(),
        };
        let gateway = crate::friendhosting::parse::<crate::friendhosting::BalanceAnswer>(
            http::StatusCode::OK,
            &http::HeaderMap::new(),
            br#"a:3:{s:6:"status";s:5:"ERROR";s:9:"errorCode";i:5;s:8:"errorMsg";s:3:"bad";}"#,
        )
        .unwrap_err();
        assert_eq!(gateway.code(), crate::ErrorCode::Gateway);
        let yes = [
            transport(TransportErrorKind::Timeout),
            transport(TransportErrorKind::Connect),
            other_transient,
            status(500),
            status(503),
            empty,
        ];
        for e in &cuts {
            assert_eq!(e.code(), crate::ErrorCode::MalformedResponse, "{e:?}");
            assert!(retryable(e), "a cut answer: {e:?}");
        }
        for e in &yes {
            assert!(retryable(e), "{e:?}");
        }
        let no = [
            transport(TransportErrorKind::Redirect),
            transport(TransportErrorKind::InsecureUrl),
            oversize,
            status(404),
            status(429),
            html,
            gateway,
            Error::invalid_input("x", "y"),
            Error::Refused {
                message: "bad hash".into(),
                body: RawBody::default(),
            },
        ];
        for e in &no {
            assert!(!retryable(e), "{e:?}");
        }
    }

    #[test]
    fn exactly_the_read_only_requests_say_so() {
        use crate::friendhosting as fh;
        use crate::lifecycle::{CreateSpec, ServiceRef, Step, Upstream};
        use crate::Operation;
        let g = fh::Gateway::new(fh::Credentials::with_api_key("x", crate::ApiKey::new("k")));
        assert!(g.call(&fh::GetBalance).read_only());
        assert!(g.call(&fh::GetTarifs::new(None)).read_only());
        assert!(g.call(&fh::GetOrders::new(None)).read_only());
        assert!(!g.call(&fh::CreateOrder::new("1", 1)).read_only());
        assert!(!g.call(&fh::RenewOrder::new("1", 1)).read_only());
        assert!(!g.call(&fh::SuspendOrder::new("1")).read_only());
        assert!(!g.call(&fh::UnSuspendOrder::new("1")).read_only());
        assert!(!g.call(&fh::RestartOrder::new("1")).read_only());
        assert!(!g.call(&fh::ReinstallOrder::new("1")).read_only());
        let s = ServiceRef::new("1");
        let steps = [
            (Step::Create(CreateSpec::default()), false),
            (
                Step::Renew {
                    service: s.clone(),
                    months: 1,
                },
                false,
            ),
            (Step::Suspend(s.clone()), false),
            (Step::Unsuspend(s.clone()), false),
            (Step::Terminate(s.clone()), false),
            (Step::Reboot(s.clone()), false),
            (Step::Reinstall(s.clone()), false),
            (Step::Info(s.clone()), true),
            (Step::List, true),
            (Step::Balance, true),
        ];
        for (step, read_only) in steps {
            let name = step.name();
            assert_eq!(
                g.step::<crate::lifecycle::Outcome>(step).read_only(),
                read_only,
                "{name}"
            );
        }
        let p = crate::govpsfx::Partner::new("1", crate::PartnerSecret::new("s"));
        let lease =
            crate::govpsfx::Lease::new("r", crate::govpsfx::Term::try_from(1).unwrap(), "c");
        assert!(!p.call(&lease).read_only());
    }

    #[test]
    fn jitter_seed_varies() {
        let draws: std::collections::BTreeSet<u64> = (0..64).map(|_| jitter_seed()).collect();
        assert_eq!(draws.len(), 64);
    }
}
