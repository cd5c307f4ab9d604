//! The three partner requests, validated and signed before anything is sent.

use std::fmt;
use std::str::FromStr;

use http::{HeaderMap, StatusCode};

use super::response::{self, Extended, LeaseOutcome, Recalled};
use super::sign::{signature, SignedFields};
use super::Partner;
use crate::error::{Error, MoneyMove};
use crate::transport::{form_encode, form_post, HttpRequest, Operation};

/// The provider name the partner API reports.
pub const PROVIDER: &str = "govpsfx";

/// A lease term in months: one of 1, 3, 6, 9, 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term(u8);

impl Term {
    /// Every term the API accepts, in months.
    pub const ALLOWED: [u32; 5] = [1, 3, 6, 9, 12];

    /// The number of months.
    pub fn months(self) -> u32 {
        u32::from(self.0)
    }

    /// The value as sent in the `term` field (and signed).
    pub fn as_str(self) -> &'static str {
        match self.0 {
            1 => "1",
            3 => "3",
            6 => "6",
            9 => "9",
            _ => "12",
        }
    }
}

impl TryFrom<u32> for Term {
    type Error = Error;

    /// Fails with [`Error::InvalidInput`] on `term` for anything but 1, 3, 6, 9, 12.
    fn try_from(months: u32) -> Result<Self, Error> {
        match months {
            1 | 3 | 6 | 9 | 12 => Ok(Term(months as u8)),
            other => Err(Error::invalid_input(
                "term",
                format!("{other} months is not offered; use 1, 3, 6, 9 or 12"),
            )),
        }
    }
}

impl From<Term> for u32 {
    fn from(term: Term) -> u32 {
        term.months()
    }
}

impl FromStr for Term {
    type Err = Error;

    /// Parses `"1"`, `"3"`, `"6"`, `"9"` or `"12"` (surrounding whitespace ignored).
    fn from_str(s: &str) -> Result<Self, Error> {
        let months: u32 = s.trim().parse().map_err(|_| {
            Error::invalid_input(
                "term",
                format!("{s:?} is not a number of months; use 1, 3, 6, 9 or 12"),
            )
        })?;
        Term::try_from(months)
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lease ("get") a server: `rate, term, partner_code, client_id, hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The partner's short rate name, e.g. `singapore`.
    pub rate: String,
    /// Lease term.
    pub term: Term,
    /// The partner's own id for its customer, e.g. `ID16773`.
    pub client_id: String,
}

/// Extend the lease of a client's server: `term, partner_code, client_id, hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extend {
    /// Extra months.
    pub term: Term,
    /// The `client_id` given at lease time.
    pub client_id: String,
}

/// Recall (end) a server: `server_id, partner_code, hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recall {
    /// The `server_id` the provider returned.
    pub server_id: String,
}

/// `value` if it has a non-blank character, else [`Error::InvalidInput`] naming `field`.
fn required<'a>(field: &'static str, value: &'a str) -> Result<&'a str, Error> {
    if value.trim().is_empty() {
        Err(Error::invalid_input(field, "must not be empty"))
    } else {
        Ok(value)
    }
}

impl Lease {
    /// A lease request; validated when the request is built.
    pub fn new(rate: impl Into<String>, term: Term, client_id: impl Into<String>) -> Self {
        Lease {
            rate: rate.into(),
            term,
            client_id: client_id.into(),
        }
    }

    /// The signed form body, fields in the documented order.
    pub fn form(&self, partner: &Partner) -> Result<Vec<u8>, Error> {
        let rate = required("rate", &self.rate)?;
        let client_id = required("client_id", &self.client_id)?;
        let code = required("partner_code", partner.partner_code())?;
        let term = self.term.as_str();
        let hash = signature(
            &SignedFields {
                rate: Some(rate),
                term: Some(term),
                server_id: None,
                partner_code: Some(code),
            },
            partner.secret(),
        );
        Ok(form_encode([
            ("rate", rate),
            ("term", term),
            ("partner_code", code),
            ("client_id", client_id),
            ("hash", hash.as_str()),
        ]))
    }

    /// The complete POST to the lease endpoint.
    pub fn http_request(&self, partner: &Partner) -> Result<HttpRequest, Error> {
        form_post(&partner.endpoints().lease, self.form(partner)?)
    }
}

impl Extend {
    /// An extend request; validated when the request is built.
    pub fn new(term: Term, client_id: impl Into<String>) -> Self {
        Extend {
            term,
            client_id: client_id.into(),
        }
    }

    /// The signed form body, fields in the documented order.
    pub fn form(&self, partner: &Partner) -> Result<Vec<u8>, Error> {
        let client_id = required("client_id", &self.client_id)?;
        let code = required("partner_code", partner.partner_code())?;
        let term = self.term.as_str();
        let hash = signature(
            &SignedFields {
                rate: None,
                term: Some(term),
                server_id: None,
                partner_code: Some(code),
            },
            partner.secret(),
        );
        Ok(form_encode([
            ("term", term),
            ("partner_code", code),
            ("client_id", client_id),
            ("hash", hash.as_str()),
        ]))
    }

    /// The complete POST to the extend endpoint.
    pub fn http_request(&self, partner: &Partner) -> Result<HttpRequest, Error> {
        form_post(&partner.endpoints().extend, self.form(partner)?)
    }
}

impl Recall {
    /// A recall request; validated when the request is built.
    pub fn new(server_id: impl Into<String>) -> Self {
        Recall {
            server_id: server_id.into(),
        }
    }

    /// The signed form body, fields in the documented order.
    pub fn form(&self, partner: &Partner) -> Result<Vec<u8>, Error> {
        let server_id = required("server_id", &self.server_id)?;
        let code = required("partner_code", partner.partner_code())?;
        let hash = signature(
            &SignedFields {
                rate: None,
                term: None,
                server_id: Some(server_id),
                partner_code: Some(code),
            },
            partner.secret(),
        );
        Ok(form_encode([
            ("server_id", server_id),
            ("partner_code", code),
            ("hash", hash.as_str()),
        ]))
    }

    /// The complete POST to the recall endpoint.
    pub fn http_request(&self, partner: &Partner) -> Result<HttpRequest, Error> {
        form_post(&partner.endpoints().recall, self.form(partner)?)
    }
}

/// One request bound to the partner that signs it: the [`Operation`] a transport runs.
///
/// Made by [`Partner::call`].
#[derive(Debug)]
pub struct Call<'a, R> {
    /// Who signs and where it goes.
    pub partner: &'a Partner,
    /// What is asked.
    pub request: &'a R,
}

impl<R> Clone for Call<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Call<'_, R> {}

/// One of the three partner requests: its endpoint, its answer reader, and whether it moves
/// money. One generic [`Operation`] impl for [`Call`] serves all three.
pub trait PartnerRequest {
    /// The typed answer.
    type Output;
    /// The request's name (`"lease"`, `"extend"`, `"recall"`).
    const NAME: &'static str;
    /// Lease and extend move money; recall does not.
    const MOVES_MONEY: bool;
    /// The complete signed POST.
    fn http_request(&self, partner: &Partner) -> Result<HttpRequest, Error>;
    /// Read the answer.
    fn read(status: StatusCode, body: &[u8]) -> Result<Self::Output, Error>;
}

impl PartnerRequest for Lease {
    type Output = LeaseOutcome;
    const NAME: &'static str = "lease";
    const MOVES_MONEY: bool = true;
    fn http_request(&self, partner: &Partner) -> Result<HttpRequest, Error> {
        Lease::http_request(self, partner)
    }
    fn read(status: StatusCode, body: &[u8]) -> Result<LeaseOutcome, Error> {
        response::parse_lease(status, body)
    }
}

impl PartnerRequest for Extend {
    type Output = Extended;
    const NAME: &'static str = "extend";
    const MOVES_MONEY: bool = true;
    fn http_request(&self, partner: &Partner) -> Result<HttpRequest, Error> {
        Extend::http_request(self, partner)
    }
    fn read(status: StatusCode, body: &[u8]) -> Result<Extended, Error> {
        response::parse_extend(status, body)
    }
}

impl PartnerRequest for Recall {
    type Output = Recalled;
    const NAME: &'static str = "recall";
    const MOVES_MONEY: bool = false;
    fn http_request(&self, partner: &Partner) -> Result<HttpRequest, Error> {
        Recall::http_request(self, partner)
    }
    fn read(status: StatusCode, body: &[u8]) -> Result<Recalled, Error> {
        response::parse_recall(status, body)
    }
}

impl<R: PartnerRequest> Operation for Call<'_, R> {
    type Output = R::Output;

    fn request(&self) -> Result<HttpRequest, Error> {
        self.request.http_request(self.partner)
    }

    fn parse(&self, status: StatusCode, _: &HeaderMap, body: &[u8]) -> Result<R::Output, Error> {
        R::read(status, body).map_err(|e| e.after_sending(self.money()))
    }

    fn money(&self) -> Option<MoneyMove> {
        R::MOVES_MONEY.then_some(MoneyMove {
            provider: PROVIDER,
            operation: R::NAME,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::PartnerSecret;
    use crate::ErrorCode;

    fn partner() -> Partner {
        Partner::new("14321", PartnerSecret::new("sdsd4223dsd"))
    }

    #[test]
    fn term_accepts_only_documented_months() {
        for m in 0..=24u32 {
            let ok = Term::try_from(m).is_ok();
            assert_eq!(ok, [1, 3, 6, 9, 12].contains(&m), "{m}");
        }
        let t = Term::try_from(12).unwrap();
        assert_eq!((t.months(), t.as_str()), (12, "12"));
        assert_eq!(" 9 ".parse::<Term>().unwrap().months(), 9);
        match "two".parse::<Term>().unwrap_err() {
            Error::InvalidInput { field, .. } => assert_eq!(field, "term"),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn lease_form_is_ordered_and_signed() {
        let lease = Lease::new("singapore", Term::try_from(1).unwrap(), "ID16773");
        assert_eq!(
            lease.form(&partner()).unwrap(),
            b"rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6"
        );
    }

    #[test]
    fn blank_fields_are_named() {
        let t = Term::try_from(3).unwrap();
        let cases: Vec<(Result<Vec<u8>, Error>, &str)> = vec![
            (Lease::new("", t, "c").form(&partner()), "rate"),
            (Lease::new("r", t, "  ").form(&partner()), "client_id"),
            (Extend::new(t, "").form(&partner()), "client_id"),
            (Recall::new("").form(&partner()), "server_id"),
            (
                Recall::new("s").form(&Partner::new("", PartnerSecret::new("x"))),
                "partner_code",
            ),
        ];
        for (res, want) in cases {
            let err = res.unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput);
            match err {
                Error::InvalidInput { field, .. } => assert_eq!(field, want),
                e => panic!("{e:?}"),
            }
        }
    }
}
