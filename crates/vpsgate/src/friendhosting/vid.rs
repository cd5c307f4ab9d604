//! `vid`, the tariff plan type: a leaf that commands and answers both use.

use std::fmt;

/// Tariff plan type (`vid`). The gateway defaults to hosting when it is not sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Vid {
    /// `hosting`.
    Hosting,
    /// `vds`.
    Vds,
    /// `dedicated`.
    Dedicated,
    /// A type the document does not list, sent as is (another RootPanel host may have more).
    Other(String),
}

impl Vid {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Vid::Hosting => "hosting",
            Vid::Vds => "vds",
            Vid::Dedicated => "dedicated",
            Vid::Other(s) => s,
        }
    }

    /// Read an optional `vid` argument: absent, empty or blank is none (the gateway's
    /// default, whose request then carries no `vid`), anything else [`Vid::parse`].
    pub fn parse_arg(s: Option<&str>) -> Option<Vid> {
        s.filter(|s| !s.trim().is_empty()).map(Vid::parse)
    }

    /// Read a wire value; the documented ones case-insensitively, anything else as
    /// [`Vid::Other`].
    pub fn parse(s: &str) -> Vid {
        let t = s.trim();
        if t.eq_ignore_ascii_case("hosting") {
            Vid::Hosting
        } else if t.eq_ignore_ascii_case("vds") {
            Vid::Vds
        } else if t.eq_ignore_ascii_case("dedicated") {
            Vid::Dedicated
        } else {
            Vid::Other(t.to_owned())
        }
    }
}

impl fmt::Display for Vid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Vid;

    #[test]
    fn an_absent_empty_or_blank_argument_is_no_vid() {
        assert_eq!(Vid::parse_arg(None), None);
        assert_eq!(Vid::parse_arg(Some("")), None);
        assert_eq!(Vid::parse_arg(Some(" \t")), None);
        assert_eq!(Vid::parse_arg(Some(" VDS ")), Some(Vid::Vds));
        assert_eq!(
            Vid::parse_arg(Some("cloud")),
            Some(Vid::Other("cloud".into()))
        );
    }
}
