//! Binding a deferred delivery to the lease the panel asked for.
//!
//! The provider's md5 rule ([`super::sign`]) concatenates `rate`, `term`, `server_id` and
//! `partner_code` with no separator and lower-cases the whole string; `client_id`, `ip`, `port`,
//! `login` and `password` are not covered at all. A valid hash therefore proves much less than it
//! seems: from one captured delivery an attacker can move it to another customer (`client_id`),
//! re-case the `server_id` (`ID20002` → `id20002`), shift value boundaries
//! (`rate=france_miniID2`, `server_id=0002`), or drop `partner_code` and append it to
//! `server_id`, all with the same hash. [`verify_callback`](super::verify_callback) alone
//! accepts every one of those.
//!
//! [`verify_delivery`] closes what can be closed: the delivery must match, exactly and
//! case-sensitively, a lease the panel recorded as pending ([`PendingLease`]: its `client_id`,
//! `rate` and, when the delivery carries one, `term`), it must carry `partner_code`, and a
//! `server_id` already stored is refused as a replay, compared the way the provider's hash
//! compares it (lower-cased like PHP's `mb_strtolower`), so `id20002` is the same server as
//! `ID20002`.
//!
//! What no check here can protect: `ip`, `port`, `login` and `password` are unsigned, so a
//! man-in-the-middle can change them; and two pending leases with the same `rate` cannot be told
//! apart by the hash. Serve the handler over HTTPS only, give every lease its own `client_id`
//! (the WHMCS module uses `ID<serviceid>`), and keep at most one pending lease per `client_id`.

use super::callback::{verify_signed, CallbackLimits};
use super::response::ServerDetails;
use super::sign::mb_strtolower;
use super::{Partner, Term};
use crate::error::Error;

/// A lease the panel sent and that answered 202: what the delivery must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLease {
    /// The `client_id` the lease was sent with.
    pub client_id: String,
    /// The `rate` the lease was sent with.
    pub rate: String,
    /// The term, checked when the delivery carries one.
    pub term: Option<Term>,
}

impl PendingLease {
    /// The pending lease for `client_id` at `rate`.
    pub fn new(client_id: impl Into<String>, rate: impl Into<String>) -> Self {
        PendingLease {
            client_id: client_id.into(),
            rate: rate.into(),
            term: None,
        }
    }
}

/// The key under which to store a delivered `server_id` and look it up for replays: the value
/// lower-cased as the provider's hash sees it.
pub fn server_key(server_id: &str) -> String {
    mb_strtolower(server_id)
}

/// Verify a delivery ([`super::verify_callback`]), then bind it to `pending`: `client_id` and
/// `rate` equal exactly, `term` equal if carried, `partner_code` carried, and `server_id` not
/// already stored (`is_stored` is asked with [`server_key`] of it).
///
/// A failure is [`Error::MalformedCallback`] naming the field (`client_id`, `rate`, `term`,
/// `partner_code`, `server_id`), [`Error::BadSignature`], or [`Error::PayloadTooLarge`]; the
/// handler should answer it with a 4xx and store nothing.
pub fn verify_delivery(
    partner: &Partner,
    content_type: Option<&str>,
    body: &[u8],
    limits: &CallbackLimits,
    pending: &PendingLease,
    is_stored: impl Fn(&str) -> bool,
) -> Result<ServerDetails, Error> {
    let (details, carried) = verify_signed(partner, content_type, body, limits)?;
    let refuse = |field: &str, reason: String| Error::MalformedCallback {
        field: field.into(),
        reason,
        source: None,
    };
    if !carried.partner_code {
        return Err(refuse(
            "partner_code",
            "missing: a delivery must carry partner_code".into(),
        ));
    }
    if details.client_id != pending.client_id {
        return Err(refuse(
            "client_id",
            "does not match the pending lease".into(),
        ));
    }
    if details.rate != pending.rate {
        return Err(refuse("rate", "does not match the pending lease".into()));
    }
    if let (Some(want), Some(got)) = (pending.term, carried.term.as_deref()) {
        if got != want.as_str() {
            return Err(refuse("term", "does not match the pending lease".into()));
        }
    }
    if is_stored(&server_key(&details.server_id)) {
        return Err(refuse(
            "server_id",
            "already delivered: a second delivery for a stored server is refused as a replay"
                .into(),
        ));
    }
    Ok(details)
}
