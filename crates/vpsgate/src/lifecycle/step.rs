//! One lifecycle step as a value: what to do ([`Step`]) and what came of it ([`Outcome`]).
//!
//! A face that is handed a step name and arguments (the C library, the npm package) reads them
//! with [`Step::from_args`]; the flat argument object is [`StepArgs`].

use serde::{Deserialize, Serialize};

use super::types::{Balance, CreateSpec, Created, Done, Renewed, ServiceInfo, ServiceRef};
use crate::error::Error;

/// One step of the provider-neutral lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Order a new service. Moves money.
    Create(CreateSpec),
    /// Extend a service by `months`. Moves money.
    Renew {
        /// The service.
        service: ServiceRef,
        /// Months to add.
        months: u32,
    },
    /// Suspend a running service.
    Suspend(ServiceRef),
    /// Start a suspended service.
    Unsuspend(ServiceRef),
    /// End a service.
    Terminate(ServiceRef),
    /// Restart the server.
    Reboot(ServiceRef),
    /// Reinstall the server.
    Reinstall(ServiceRef),
    /// Details of one service.
    Info(ServiceRef),
    /// Every service of the account.
    List,
    /// The account balance.
    Balance,
}

impl Step {
    /// Every step name, as [`Step::name`] gives it.
    pub const NAMES: [&'static str; 10] = [
        "create",
        "renew",
        "suspend",
        "unsuspend",
        "terminate",
        "reboot",
        "reinstall",
        "info",
        "list",
        "balance",
    ];

    /// The step's stable name (`"create"`, `"renew"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Step::Create(_) => "create",
            Step::Renew { .. } => "renew",
            Step::Suspend(_) => "suspend",
            Step::Unsuspend(_) => "unsuspend",
            Step::Terminate(_) => "terminate",
            Step::Reboot(_) => "reboot",
            Step::Reinstall(_) => "reinstall",
            Step::Info(_) => "info",
            Step::List => "list",
            Step::Balance => "balance",
        }
    }

    /// Whether the step moves money (create, renew): such a step is never sent twice, and a
    /// failure after sending leaves its outcome unknown.
    pub fn moves_money(&self) -> bool {
        matches!(self, Step::Create(_) | Step::Renew { .. })
    }

    /// Whether the step only reads (info, list, balance): only such a step is ever retried,
    /// under an opt-in [`crate::retry::RetryPolicy`].
    pub fn read_only(&self) -> bool {
        matches!(self, Step::Info(_) | Step::List | Step::Balance)
    }

    /// The step called `name` with `args`. Unknown names, missing or unneeded arguments are
    /// [`Error::InvalidInput`] naming the field.
    pub fn from_args(name: &str, args: StepArgs) -> Result<Step, Error> {
        let service = |args: &StepArgs| -> Result<ServiceRef, Error> {
            let id = args
                .id
                .clone()
                .ok_or_else(|| Error::invalid_input("id", format!("`{name}` needs `id`")))?;
            Ok(ServiceRef {
                id,
                client_id: args.client_id.clone(),
            })
        };
        let step = match name {
            "create" => Step::Create(CreateSpec {
                plan: args
                    .plan
                    .clone()
                    .ok_or_else(|| Error::invalid_input("plan", "`create` needs `plan`"))?,
                months: args
                    .months
                    .ok_or_else(|| Error::invalid_input("months", "`create` needs `months`"))?,
                kind: args.kind.clone(),
                domain: args.domain.clone(),
                addons: args.addons.clone().unwrap_or_default(),
                client_id: args.client_id.clone(),
            }),
            "renew" => Step::Renew {
                service: service(&args)?,
                months: args
                    .months
                    .ok_or_else(|| Error::invalid_input("months", "`renew` needs `months`"))?,
            },
            "suspend" => Step::Suspend(service(&args)?),
            "unsuspend" => Step::Unsuspend(service(&args)?),
            "terminate" => Step::Terminate(service(&args)?),
            "reboot" => Step::Reboot(service(&args)?),
            "reinstall" => Step::Reinstall(service(&args)?),
            "info" => Step::Info(service(&args)?),
            "list" => Step::List,
            "balance" => Step::Balance,
            other => {
                return Err(Error::invalid_input(
                    "step",
                    format!(
                        "unknown lifecycle step {other:?}; expected one of {}",
                        Step::NAMES.join(", ")
                    ),
                ))
            }
        };
        args.refuse_unused(&step)?;
        Ok(step)
    }

    /// [`Step::from_args`] with the arguments as a JSON object (`{}` or empty for none).
    pub fn from_json(name: &str, args: &[u8]) -> Result<Step, Error> {
        let args = if args.iter().all(u8::is_ascii_whitespace) {
            StepArgs::default()
        } else {
            serde_json::from_slice(args).map_err(|e| {
                Error::invalid_input("args", format!("not valid step arguments: {e}"))
            })?
        };
        Step::from_args(name, args)
    }
}

/// The arguments of a step as one flat object, as the faces receive them:
/// `{"plan":"201","months":3,"kind":"vds","domain":"x.example","addons":["11"]}` for create,
/// `{"id":"123","months":1}` for renew, `{"id":"123"}` for the others, `{}` for list and
/// balance. GoVPSFX steps add `client_id`. Unknown fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StepArgs {
    /// The service id (Friendhosting `orderid`, GoVPSFX `server_id`).
    #[serde(default)]
    pub id: Option<String>,
    /// GoVPSFX `client_id`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Months, for create and renew.
    #[serde(default)]
    pub months: Option<u32>,
    /// The plan, for create.
    #[serde(default)]
    pub plan: Option<String>,
    /// Friendhosting `vid`, for create.
    #[serde(default)]
    pub kind: Option<String>,
    /// Friendhosting `domain`, for create.
    #[serde(default)]
    pub domain: Option<String>,
    /// Friendhosting add-on ids, for create.
    #[serde(default)]
    pub addons: Option<Vec<String>>,
}

impl StepArgs {
    /// An argument the step does not read is refused, so a typo cannot go unnoticed.
    fn refuse_unused(&self, step: &Step) -> Result<(), Error> {
        let (id, months, create) = match step {
            Step::Create(_) => (false, true, true),
            Step::Renew { .. } => (true, true, false),
            Step::List | Step::Balance => (false, false, false),
            _ => (true, false, false),
        };
        let given: [(&'static str, bool, bool); 6] = [
            ("id", self.id.is_some(), id),
            ("months", self.months.is_some(), months),
            ("plan", self.plan.is_some(), create),
            ("kind", self.kind.is_some(), create),
            ("domain", self.domain.is_some(), create),
            ("addons", self.addons.is_some(), create),
        ];
        for (field, present, used) in given {
            if present && !used {
                return Err(Error::invalid_input(
                    field,
                    format!("is not an argument of `{}`", step.name()),
                ));
            }
        }
        if self.client_id.is_some() && matches!(step, Step::List | Step::Balance) {
            return Err(Error::invalid_input(
                "client_id",
                format!("is not an argument of `{}`", step.name()),
            ));
        }
        Ok(())
    }
}

/// What a step gave, whichever it was. Serializes as the inner value alone (`list` as an
/// array), the shape of `docs/CONTRACT.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    /// From [`Step::Create`].
    Created(Created),
    /// From [`Step::Renew`].
    Renewed(Renewed),
    /// From suspend, unsuspend, terminate, reboot, reinstall.
    Done(Done),
    /// From [`Step::Info`].
    Info(ServiceInfo),
    /// From [`Step::List`].
    List(Vec<ServiceInfo>),
    /// From [`Step::Balance`].
    Balance(Balance),
}

/// A typed result one [`Step`] gives; lets [`super::StepCall`] return `Created` for create,
/// `Balance` for balance, or the dynamic [`Outcome`] for any. Sealed.
pub trait FromOutcome: Sized + private::Sealed {
    /// Take the typed value out of `outcome`; a step parsed into the wrong type is a bug in the
    /// caller, reported as [`Error::InvalidInput`] on `step`.
    fn from_outcome(outcome: Outcome) -> Result<Self, Error>;
}

mod private {
    pub trait Sealed {}
}

macro_rules! from_outcome {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl private::Sealed for $t {}
        impl FromOutcome for $t {
            fn from_outcome(outcome: Outcome) -> Result<Self, Error> {
                match outcome {
                    Outcome::$variant(v) => Ok(v),
                    other => Err(Error::invalid_input(
                        "step",
                        format!(concat!("expected a ", stringify!($variant), " result, got {:?}"), other),
                    )),
                }
            }
        }
    )*};
}

from_outcome!(
    Created => Created,
    Renewed => Renewed,
    Done => Done,
    ServiceInfo => Info,
    Vec<ServiceInfo> => List,
    Balance => Balance,
);

impl private::Sealed for Outcome {}
impl FromOutcome for Outcome {
    fn from_outcome(outcome: Outcome) -> Result<Self, Error> {
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn args_read_into_steps() {
        let s = Step::from_json("renew", br#"{"id":"7","months":3}"#).unwrap();
        assert_eq!(
            s,
            Step::Renew {
                service: ServiceRef::new("7"),
                months: 3
            }
        );
        assert!(s.moves_money());
        let s = Step::from_json("create", br#"{"plan":"201","months":1,"addons":["11"]}"#).unwrap();
        match &s {
            Step::Create(spec) => assert_eq!((spec.plan.as_str(), spec.addons.len()), ("201", 1)),
            other => panic!("{other:?}"),
        }
        assert_eq!(Step::from_json("balance", b"").unwrap(), Step::Balance);
        assert!(!Step::Balance.moves_money());
    }

    #[test]
    fn bad_args_name_the_field() {
        let e = Step::from_json("suspend", b"{}").unwrap_err();
        assert!(matches!(e, Error::InvalidInput { field: "id", .. }), "{e}");
        let e = Step::from_json("balance", br#"{"id":"1"}"#).unwrap_err();
        assert!(matches!(e, Error::InvalidInput { field: "id", .. }), "{e}");
        let e = Step::from_json("suspend", br#"{"idd":"1"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `idd`"), "{e}");
        let e = Step::from_json("explode", b"{}").unwrap_err();
        assert!(
            matches!(e, Error::InvalidInput { field: "step", .. }),
            "{e}"
        );
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        let e = Step::from_json("renew", br#"{"id":"1"}"#).unwrap_err();
        assert!(
            matches!(
                e,
                Error::InvalidInput {
                    field: "months",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn names_round_trip() {
        for name in Step::NAMES {
            let args = match name {
                "create" => StepArgs {
                    plan: Some("p".into()),
                    months: Some(1),
                    ..StepArgs::default()
                },
                "renew" => StepArgs {
                    id: Some("1".into()),
                    months: Some(1),
                    ..StepArgs::default()
                },
                "list" | "balance" => StepArgs::default(),
                _ => StepArgs {
                    id: Some("1".into()),
                    ..StepArgs::default()
                },
            };
            assert_eq!(Step::from_args(name, args).unwrap().name(), name);
        }
    }

    #[test]
    fn outcome_to_the_wrong_type_is_an_error() {
        let o = Outcome::Done(Done::new(None));
        assert!(Balance::from_outcome(o.clone()).is_err());
        assert_eq!(Done::from_outcome(o).unwrap(), Done::new(None));
    }
}
