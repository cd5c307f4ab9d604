//! Printing: aligned tables for people, one compact JSON document per run for scripts.

use std::io::Write;

use crate::exit::Failure;

/// Write `text` to stdout. A closed pipe (`vpsgate ... | head`) is not an error.
pub fn emit(text: &str) -> Result<(), Failure> {
    emit_bytes(text.as_bytes())
}

/// Write `bytes` to stdout, as they are. A closed pipe is not an error.
pub fn emit_bytes(bytes: &[u8]) -> Result<(), Failure> {
    write_stdout(bytes, true)
}

fn write_stdout(bytes: &[u8], closed_pipe_ok: bool) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if closed_pipe_ok && e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::io("writing to stdout", &e)),
    }
}

/// Print one JSON value (a [`serde_json::Value`] or the contract's JSON text) on one line.
pub fn json(value: &impl std::fmt::Display) -> Result<(), Failure> {
    emit(&format!("{value}\n"))
}

/// How to print the answer of a request that moved money (create, renew, lease, extend): the
/// user must see it, so a closed pipe is a failure too, and a failure says what was lost.
#[derive(Debug, Clone, Copy)]
pub struct MoneyAnswer {
    /// The request, e.g. `createOrder`.
    pub request: &'static str,
    /// Whether the answer carries the one-time server password.
    pub password: bool,
    /// How to check what was done, e.g. `vpsgate fh orders`.
    pub check: &'static str,
}

impl MoneyAnswer {
    /// Write `text` to stdout; on failure warn on stderr that the request was executed and
    /// what its answer held, and fail (exit 1).
    pub fn emit(&self, text: &str) -> Result<(), Failure> {
        write_stdout(text.as_bytes(), false).map_err(|f| self.lost(f))
    }

    /// [`MoneyAnswer::emit`] of one JSON value (or JSON text) on one line.
    pub fn json(&self, value: &impl std::fmt::Display) -> Result<(), Failure> {
        self.emit(&format!("{value}\n"))
    }

    fn lost(&self, f: Failure) -> Failure {
        warn(&format!(
            "{} was executed, but its answer could not be written to stdout{}; do not send it \
             again: check first ({})",
            self.request,
            if self.password {
                " and the one-time server password in it is lost (the provider returns it only \
                 in this answer)"
            } else {
                ""
            },
            self.check
        ));
        f
    }
}

/// Print a warning line on stderr.
pub fn warn(message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "vpsgate: warning: {}",
        crate::exit::one_line(message)
    );
}

/// What a hidden secret shows as in a table.
pub const HIDDEN: &str = "[hidden: --show-secrets or --json]";

/// Tell the user a server password was returned but not shown: the upstream returns it only
/// in this one answer.
pub fn warn_hidden_password() {
    warn(
        "the server password was returned but is hidden in tables; it is returned only once \
         (use --json or --show-secrets when ordering to see it)",
    );
}

/// A table with a header row; columns are padded to their widest cell (counted in chars).
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new(headers: &[&str]) -> Self {
        Table {
            rows: vec![headers.iter().map(|h| (*h).to_owned()).collect()],
        }
    }

    /// Add a row (cells are made one-line).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.iter().map(|c| crate::exit::one_line(c)).collect());
    }

    /// The rendered table, every line ending in `\n`, no trailing spaces.
    pub fn render(&self) -> String {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; cols];
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                let pad = widths[i] - cell.chars().count();
                line.extend(std::iter::repeat_n(' ', pad));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Key/value lines with the keys aligned; `None` values are shown as `-`.
pub fn pairs(items: &[(&str, Option<String>)]) -> String {
    let width = items
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (k, v) in items {
        let v = v.as_deref().map(crate::exit::one_line);
        out.push_str(&format!(
            "{k:<width$}  {}\n",
            v.as_deref().filter(|s| !s.is_empty()).unwrap_or("-")
        ));
    }
    out
}

/// `-` for a missing value.
pub fn cell<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_by_chars() {
        let mut t = Table::new(&["ID", "NAME"]);
        t.row(vec!["1".into(), "Старт".into()]);
        t.row(vec!["100".into(), "x".into()]);
        assert_eq!(t.render(), "ID   NAME\n1    Старт\n100  x\n");
    }

    #[test]
    fn pairs_align_and_dash() {
        let s = pairs(&[("balance", Some("1.5".into())), ("currency", None)]);
        assert_eq!(s, "balance   1.5\ncurrency  -\n");
    }
}
