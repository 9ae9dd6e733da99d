//! Connections to the Postgres ledger: where it lives, the settings each connection gets, and
//! reconnecting after a connection breaks.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use postgres::error::Severity;
use postgres::{Client, Config, NoTls};

use crate::store::StoreError;

/// How long a new connection may take when the URL sets no `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long an appender waits for another's lock (another collector's commit) before giving up.
const LOCK_TIMEOUT: &str = "10s";

/// What a connection is for: the settings it gets on every (re)connect.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Writer,
    Reader,
}

/// Where the ledger lives: the parsed URL and a description of it without the password.
pub(super) struct Target {
    config: Config,
    pub(super) shown: String,
}

impl Target {
    pub(super) fn parse(url: &str) -> Result<Target, StoreError> {
        // Neither the URL nor the parser's message is shown whole: either may hold the password.
        let mut config: Config = url.parse().map_err(|_| {
            StoreError(format!(
                "the Postgres connection URL {} is not valid: expected postgres://user[:password]@host:port/database \
                 (percent-encode @, : and / in a password)",
                super::super::describe(url)
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("kelisim-collector");
        }
        // Notices ("relation already exists, skipping") are not news.
        config.notice_callback(|_| {});
        Ok(Target { config, shown: super::super::describe(url) })
    }

    pub(super) fn error(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError(format!("ledger {}: {e}", self.shown))
    }

    pub(super) fn pg(&self, e: postgres::Error) -> StoreError {
        match e.as_db_error() {
            Some(db) => self.error(db.message()),
            None => self.error(e),
        }
    }
}

/// One connection, opened again on the next call after it breaks.
pub(super) struct Session {
    role: Role,
    client: Option<Client>,
}

impl Session {
    pub(super) fn new(role: Role) -> Session {
        Session { role, client: None }
    }

    /// The open connection, connecting (again) first if there is none or it was closed.
    pub(super) fn client(&mut self, target: &Target) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_some_and(Client::is_closed) {
            self.client = None;
        }
        match &mut self.client {
            Some(client) => Ok(client),
            none => Ok(none.insert(open(target, self.role)?)),
        }
    }

    /// Runs `work` on the connection; a failure that leaves the connection unusable drops it.
    pub(super) fn run<T>(
        &mut self,
        target: &Target,
        work: impl FnOnce(&mut Client) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        let outcome = work(self.client(target)?);
        if let Err(Failure::Pg(e)) = &outcome {
            if !still_usable(e) {
                self.client = None;
            }
        }
        outcome.map_err(|e| e.within(target))
    }
}

/// Whether the connection that returned `e` can still be used: only after an error the server raised
/// for one statement (a constraint, a trigger, a lock timeout). After a lost connection, a server that
/// ends the session (FATAL, as `pg_terminate_backend` or a shutdown does) or anything unexpected, the
/// connection is dropped and the next call opens a new one.
fn still_usable(e: &postgres::Error) -> bool {
    !e.is_closed() && e.as_db_error().is_some_and(|db| db.parsed_severity() == Some(Severity::Error))
}

/// Connects and applies the role's session settings.
fn open(target: &Target, role: Role) -> Result<Client, StoreError> {
    let mut client = target.config.connect(NoTls).map_err(|e| target.pg(e))?;
    let settings = match role {
        // Commit only once the WAL is flushed (and on any synchronous standby); read committed so
        // that the reads after taking the append lock see the previous appender's commit.
        Role::Writer => format!(
            "SET synchronous_commit = on; SET lock_timeout = '{LOCK_TIMEOUT}'; \
             SET default_transaction_isolation = 'read committed';"
        ),
        Role::Reader => "SET default_transaction_read_only = on;".to_owned(),
    };
    client.batch_execute(&settings).map_err(|e| target.pg(e))?;
    if role == Role::Writer {
        let fsync: String =
            client.query_one("SHOW fsync", &[]).and_then(|r| r.try_get(0)).map_err(|e| target.pg(e))?;
        if fsync != "on" {
            return Err(target.error(
                "the server runs with fsync = off, so a commit could be lost in a crash; \
                 a consent ledger needs fsync = on",
            ));
        }
    }
    Ok(client)
}

/// Locks a session; a poisoned lock still holds a usable connection (transactions roll back on drop).
pub(super) fn lock(session: &Mutex<Session>) -> MutexGuard<'_, Session> {
    session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Why a call failed: the database's error, or a finding of the ledger's own.
pub(super) enum Failure {
    Pg(postgres::Error),
    Ledger(String),
}

impl From<postgres::Error> for Failure {
    fn from(e: postgres::Error) -> Failure {
        Failure::Pg(e)
    }
}

impl Failure {
    pub(super) fn within(self, target: &Target) -> StoreError {
        match self {
            Failure::Pg(e) => target.pg(e),
            Failure::Ledger(why) => target.error(why),
        }
    }
}
