//! The state file: an SQLite database written one row per change, one transaction per request.
//!
//! Tables: `meta` (the id counters), `accounts` (balances), `orders` and `servers` (one JSON
//! document per row), `handlers` (registered handler URLs). The file carries SQLite's
//! `application_id` [`APPLICATION_ID`] so another database is not taken for a state file.
//!
//! Durability: the journal is a write-ahead log with `synchronous = NORMAL`, so a committed
//! request survives the sandbox process being killed at any point (SIGKILL included); a power
//! loss may lose the last few commits, never leave a torn state.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;

use crate::error::SandboxError;
use crate::model::{AccountState, Order, Server, State};

/// `application_id` of a sandbox state file: "vpsg".
pub(crate) const APPLICATION_ID: i32 = 0x7670_7367;
/// Layout version (`user_version`).
const SCHEMA_VERSION: i32 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (login TEXT PRIMARY KEY, balance TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    login TEXT NOT NULL, orderid INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (login, orderid));
CREATE TABLE IF NOT EXISTS servers (server_id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS handlers (partner_code TEXT PRIMARY KEY, url TEXT NOT NULL);
";

/// One row that a request changed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Key {
    Counters,
    Account(String),
    Order(String, u64),
    Server(String),
    Handler(String),
}

/// An open state file.
pub(crate) struct Store {
    path: PathBuf,
    conn: Option<Connection>,
    /// The file's identity when opened: a file deleted or replaced since is noticed.
    identity: Option<(u64, u64)>,
}

fn err(path: &Path, what: &str, e: impl std::fmt::Display) -> SandboxError {
    SandboxError::State(format!("{}: {what}: {e}", path.display()))
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|_| (0, 0))
}

/// Create the file readable by its owner only, or narrow an existing one to that: it holds
/// the leased servers' passwords. SQLite gives its `-wal` and `-shm` files the same mode.
fn private_file(path: &Path) -> Result<(), SandboxError> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path).map_err(|e| err(path, "cannot open", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = f
            .metadata()
            .map_err(|e| err(path, "cannot stat", e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| err(path, "cannot make it private (mode 0600)", e))?;
        }
    }
    drop(f);
    Ok(())
}

/// Open (or create) the database; `Ok(true)` when it is new (no sandbox tables yet).
fn open(path: &Path) -> Result<(Connection, bool), SandboxError> {
    private_file(path)?;
    let conn = Connection::open(path).map_err(|e| err(path, "cannot open", e))?;
    let not_ours = |e: rusqlite::Error| err(path, "not a sandbox state file", e);
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_ours)?;
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_ours)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(not_ours)?;
    let fresh = app_id == 0 && version == 0 && tables == 0;
    if !fresh && app_id != APPLICATION_ID {
        return Err(err(
            path,
            "not a sandbox state file",
            format!("application_id {app_id:#x}"),
        ));
    }
    if !fresh && version != SCHEMA_VERSION {
        return Err(err(
            path,
            "unsupported state file layout",
            format!("version {version}, this sandbox reads {SCHEMA_VERSION}"),
        ));
    }
    if !fresh {
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| err(path, "damaged state file", e))?;
        if check != "ok" {
            return Err(err(path, "damaged state file", check));
        }
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| err(path, "cannot set the journal mode", e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| err(path, "cannot set synchronous", e))?;
    if fresh {
        conn.execute_batch(SCHEMA)
            .and_then(|_| conn.pragma_update(None, "application_id", APPLICATION_ID))
            .and_then(|_| conn.pragma_update(None, "user_version", SCHEMA_VERSION))
            .map_err(|e| err(path, "cannot create the tables", e))?;
    }
    Ok((conn, fresh))
}

fn decode<T: serde::de::DeserializeOwned>(
    path: &Path,
    table: &str,
    key: &str,
    data: &str,
) -> Result<T, SandboxError> {
    serde_json::from_str(data).map_err(|e| {
        err(
            path,
            "damaged state file",
            format!("{table} row {key:?}: {e}"),
        )
    })
}

fn read_all(conn: &Connection, path: &Path) -> Result<State, SandboxError> {
    let q = |e: rusqlite::Error| err(path, "cannot read", e);
    let counter = |name: &str| -> Result<Option<u64>, SandboxError> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [name], |r| {
            r.get::<_, i64>(0)
        })
        .optional()
        .map_err(q)
        .map(|v| v.map(|v| v as u64))
    };
    let (Some(next_order_id), Some(next_server_id)) =
        (counter("next_order_id")?, counter("next_server_id")?)
    else {
        return Err(err(
            path,
            "damaged state file",
            "the id counters are missing",
        ));
    };
    let mut state = State {
        next_order_id,
        next_server_id,
        accounts: Default::default(),
        servers: Default::default(),
        handler_urls: Default::default(),
    };
    let mut st = conn
        .prepare("SELECT login, balance FROM accounts")
        .map_err(q)?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(q)?;
    for row in rows {
        let (login, balance) = row.map_err(q)?;
        let balance: Decimal = balance.parse().map_err(|e| {
            err(
                path,
                "damaged state file",
                format!("balance of {login:?}: {e}"),
            )
        })?;
        state.accounts.insert(
            login,
            AccountState {
                balance,
                orders: Default::default(),
            },
        );
    }
    let mut st = conn
        .prepare("SELECT login, orderid, data FROM orders")
        .map_err(q)?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(q)?;
    for row in rows {
        let (login, id, data) = row.map_err(q)?;
        let order: Order = decode(path, "orders", &id.to_string(), &data)?;
        let Some(acc) = state.accounts.get_mut(&login) else {
            return Err(err(
                path,
                "damaged state file",
                format!("order {id} of unknown account {login:?}"),
            ));
        };
        acc.orders.insert(id as u64, order);
    }
    let mut st = conn
        .prepare("SELECT server_id, data FROM servers")
        .map_err(q)?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(q)?;
    for row in rows {
        let (id, data) = row.map_err(q)?;
        let server: Server = decode(path, "servers", &id, &data)?;
        state.servers.insert(id, server);
    }
    let mut st = conn
        .prepare("SELECT partner_code, url FROM handlers")
        .map_err(q)?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(q)?;
    for row in rows {
        let (code, url) = row.map_err(q)?;
        state.handler_urls.insert(code, url);
    }
    Ok(state)
}

/// Write one row as it is in `state` (deleting it when it is gone).
fn write_key(tx: &rusqlite::Transaction<'_>, state: &State, key: &Key) -> rusqlite::Result<()> {
    match key {
        Key::Counters => {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('next_order_id', ?1), ('next_server_id', ?2)",
                params![state.next_order_id as i64, state.next_server_id as i64],
            )?;
        }
        Key::Account(login) => match state.accounts.get(login) {
            Some(a) => {
                tx.execute(
                    "INSERT OR REPLACE INTO accounts (login, balance) VALUES (?1, ?2)",
                    params![login, a.balance.to_string()],
                )?;
            }
            None => {
                tx.execute("DELETE FROM accounts WHERE login = ?1", [login])?;
            }
        },
        Key::Order(login, id) => {
            match state.accounts.get(login).and_then(|a| a.orders.get(id)) {
                Some(o) => tx.execute(
                    "INSERT OR REPLACE INTO orders (login, orderid, data) VALUES (?1, ?2, ?3)",
                    params![login, *id as i64, json(o)],
                )?,
                None => tx.execute(
                    "DELETE FROM orders WHERE login = ?1 AND orderid = ?2",
                    params![login, *id as i64],
                )?,
            };
        }
        Key::Server(id) => {
            match state.servers.get(id) {
                Some(s) => tx.execute(
                    "INSERT OR REPLACE INTO servers (server_id, data) VALUES (?1, ?2)",
                    params![id, json(s)],
                )?,
                None => tx.execute("DELETE FROM servers WHERE server_id = ?1", [id])?,
            };
        }
        Key::Handler(code) => {
            match state.handler_urls.get(code) {
                Some(u) => tx.execute(
                    "INSERT OR REPLACE INTO handlers (partner_code, url) VALUES (?1, ?2)",
                    params![code, u],
                )?,
                None => tx.execute("DELETE FROM handlers WHERE partner_code = ?1", [code])?,
            };
        }
    }
    Ok(())
}

/// A row kept as a JSON document (plain structs of strings and numbers: cannot fail).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Every row of `state`, for a new file.
fn all_keys(state: &State) -> Vec<Key> {
    let mut keys = vec![Key::Counters];
    for (login, a) in &state.accounts {
        keys.push(Key::Account(login.clone()));
        keys.extend(a.orders.keys().map(|id| Key::Order(login.clone(), *id)));
    }
    keys.extend(state.servers.keys().map(|id| Key::Server(id.clone())));
    keys.extend(state.handler_urls.keys().map(|c| Key::Handler(c.clone())));
    keys
}

impl Store {
    /// Open the state file at `path`: the state it holds, or `None` when the file is new.
    pub(crate) fn open(path: &Path) -> Result<(Store, Option<State>), SandboxError> {
        let (conn, fresh) = open(path)?;
        let loaded = if fresh {
            None
        } else {
            Some(read_all(&conn, path)?)
        };
        Ok((
            Store {
                path: path.to_path_buf(),
                identity: identity(path),
                conn: Some(conn),
            },
            loaded,
        ))
    }

    /// Write every row of `state` (start-up: a new file, accounts added to the config).
    pub(crate) fn write_all(&mut self, state: &State) -> Result<(), SandboxError> {
        self.write(state, &all_keys(state))
    }

    /// Write the rows named by `keys` in one transaction. When the file was deleted or
    /// replaced since it was opened, this fails, and a later call writes the whole state to
    /// whatever file is then at the path.
    pub(crate) fn write(&mut self, state: &State, keys: &[Key]) -> Result<(), SandboxError> {
        let path = self.path.clone();
        if self.conn.is_some() && identity(&path) != self.identity {
            self.conn = None;
            return Err(err(&path, "cannot write", "the file was moved or deleted"));
        }
        if self.conn.is_none() {
            let (conn, fresh) = open(&path)?;
            self.identity = identity(&path);
            self.conn = Some(conn);
            if fresh {
                return self.write(state, &all_keys(state));
            }
        }
        let Some(conn) = self.conn.as_mut() else {
            return Err(err(&path, "cannot write", "not open"));
        };
        let r = (|| {
            let tx = conn.transaction()?;
            for k in keys {
                write_key(&tx, state, k)?;
            }
            tx.commit()
        })();
        r.map_err(|e| {
            // Opened again at the next write, in case the connection itself is the problem.
            self.conn = None;
            err(&path, "cannot write", e)
        })
    }
}
