//! The confirmations table in the SQLite file: written on the writer connection, each change in
//! one immediate transaction so concurrent requests are serialized.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{lock, SqliteLedger};
use crate::confirm::attempt::Judged;
use crate::confirm::limits::{self, Window};
use crate::store::confirmations::{count, update_values, CONFIRMATION_COLUMNS};
use crate::store::{Confirmation, ConfirmationState, Confirmations, Opened, StoreError};

/// A [`Confirmation`] from a row selected as [`CONFIRMATION_COLUMNS`].
fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Confirmation, String, i64, i64)> {
    let c = Confirmation {
        id: r.get(0)?,
        phone: r.get(1)?,
        policy_id: r.get(2)?,
        language: r.get(3)?,
        created_at_ms: r.get(4)?,
        expires_at_ms: r.get(5)?,
        salt: r.get(6)?,
        code_hash: r.get(7)?,
        state: ConfirmationState::Sending,
        attempts: 0,
        verified_at_ms: r.get(10)?,
        receipts_sent: 0,
    };
    Ok((c, r.get(8)?, r.get(9)?, r.get(11)?))
}

/// The confirmation `id`, read on `conn`.
pub fn by_id(conn: &Connection, id: &str) -> Result<Option<Confirmation>, StoreError> {
    let sql = format!("SELECT {CONFIRMATION_COLUMNS} FROM confirmations WHERE id = ?1");
    let Some((mut c, state, attempts, receipts)) =
        conn.prepare_cached(&sql)?.query_row([id], from_row).optional()?
    else {
        return Ok(None);
    };
    c.state = ConfirmationState::parse(&state)?;
    c.attempts = count(attempts)?;
    c.receipts_sent = count(receipts)?;
    Ok(Some(c))
}

impl SqliteLedger {
    /// Runs `work` in an immediate transaction on the writer connection and commits it.
    fn write<T>(&self, work: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let Some(writer) = &self.writer else {
            return Err(StoreError("the ledger was opened read-only".into()));
        };
        let mut conn = lock(writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done = work(&tx)?;
        tx.commit()?;
        Ok(done)
    }
}

impl Confirmations for SqliteLedger {
    fn open_confirmation(&self, new: &Confirmation, windows: &[Window]) -> Result<Opened, StoreError> {
        self.write(|tx| {
            let since = new.created_at_ms - limits::lookback_ms(windows);
            let mut stmt = tx.prepare_cached(
                "SELECT created_at_ms FROM confirmations WHERE phone = ?1 AND created_at_ms > ?2
                 ORDER BY created_at_ms",
            )?;
            let sent: Vec<i64> =
                stmt.query_map(params![new.phone, since], |r| r.get(0))?.collect::<Result<_, _>>()?;
            if let Some(retry_after) = limits::phone_wait(&sent, new.created_at_ms, windows) {
                return Ok(Opened::PhoneLimited { retry_after });
            }
            tx.execute(
                &format!(
                    "INSERT INTO confirmations ({CONFIRMATION_COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                ),
                params![
                    new.id,
                    new.phone,
                    new.policy_id,
                    new.language,
                    new.created_at_ms,
                    new.expires_at_ms,
                    new.salt,
                    new.code_hash,
                    new.state.as_str(),
                    i64::from(new.attempts),
                    new.verified_at_ms,
                    i64::from(new.receipts_sent)
                ],
            )?;
            Ok(Opened::Created)
        })
    }

    fn set_sent(&self, id: &str, sent: bool) -> Result<(), StoreError> {
        let state = if sent { ConfirmationState::Sent } else { ConfirmationState::Failed };
        self.write(|tx| {
            tx.execute(
                "UPDATE confirmations SET state = ?1 WHERE id = ?2 AND state = ?3",
                params![state.as_str(), id, ConfirmationState::Sending.as_str()],
            )?;
            Ok(())
        })
    }

    fn confirmation(&self, id: &str) -> Result<Option<Confirmation>, StoreError> {
        by_id(&lock(&self.reader), id)
    }

    fn attempt(
        &self,
        id: &str,
        judge: &(dyn Fn(&Confirmation) -> Judged + Sync),
    ) -> Result<Option<Judged>, StoreError> {
        self.write(|tx| {
            let Some(c) = by_id(tx, id)? else {
                return Ok(None);
            };
            let judged = judge(&c);
            if let Some(update) = &judged.update {
                let (state, attempts, verified_at_ms) = update_values(update);
                tx.execute(
                    "UPDATE confirmations SET state = ?1, attempts = ?2, verified_at_ms = ?3 WHERE id = ?4",
                    params![state, attempts, verified_at_ms, id],
                )?;
            }
            Ok(Some(judged))
        })
    }

    fn take_receipt(&self, id: &str, max: u32) -> Result<bool, StoreError> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE confirmations SET receipts_sent = receipts_sent + 1 WHERE id = ?1 AND receipts_sent < ?2",
                params![id, i64::from(max)],
            )?;
            Ok(changed == 1)
        })
    }
}
