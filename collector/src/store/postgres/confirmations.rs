//! The confirmations table in Postgres: written on the writing session, a phone's count under an
//! advisory lock on that phone and an attempt under its row lock, so collectors sharing the
//! database cannot both pass a limit.

use postgres::types::Type;
use postgres::{Client, Transaction};

use super::session::{lock, Failure};
use super::PostgresLedger;
use crate::confirm::attempt::Judged;
use crate::confirm::limits::{self, Window};
use crate::store::confirmations::{count, update_values, CONFIRMATION_COLUMNS};
use crate::store::{Confirmation, ConfirmationState, Confirmations, Opened, StoreError};

/// The advisory lock class of the per-phone count ("ksms" in ASCII); the phone's hash is the key.
const PHONE_LOCK: i32 = 0x6b73_6d73;

fn from_row(r: &postgres::Row) -> Result<Confirmation, Failure> {
    let state: String = r.try_get(8)?;
    Ok(Confirmation {
        id: r.try_get(0)?,
        phone: r.try_get(1)?,
        policy_id: r.try_get(2)?,
        language: r.try_get(3)?,
        created_at_ms: r.try_get(4)?,
        expires_at_ms: r.try_get(5)?,
        salt: r.try_get(6)?,
        code_hash: r.try_get(7)?,
        state: ConfirmationState::parse(&state).map_err(|e| Failure::Ledger(e.0))?,
        attempts: count(r.try_get(9)?).map_err(|e| Failure::Ledger(e.0))?,
        verified_at_ms: r.try_get(10)?,
        receipts_sent: count(r.try_get(11)?).map_err(|e| Failure::Ledger(e.0))?,
    })
}

/// The confirmations among `ids`, read inside the append transaction.
pub fn by_ids(tx: &mut Transaction<'_>, ids: &[String]) -> Result<Vec<Confirmation>, Failure> {
    let sql = format!("SELECT {CONFIRMATION_COLUMNS} FROM confirmations WHERE id = ANY($1)");
    tx.query_typed(&sql, &[(&ids, Type::TEXT_ARRAY)])?.iter().map(from_row).collect()
}

impl PostgresLedger {
    /// Runs `work` in one transaction on the writing session and commits it.
    fn write<T>(
        &self,
        work: impl FnOnce(&mut Transaction<'_>) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        let Some(writer) = &self.writer else {
            return Err(self.target.error("the ledger was opened read-only"));
        };
        lock(writer).run(&self.target, |client: &mut Client| {
            let mut tx = client.transaction()?;
            let done = work(&mut tx)?;
            tx.commit()?;
            Ok(done)
        })
    }
}

impl Confirmations for PostgresLedger {
    fn open_confirmation(&self, new: &Confirmation, windows: &[Window]) -> Result<Opened, StoreError> {
        self.write(|tx| {
            tx.execute_typed(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                &[(&PHONE_LOCK, Type::INT4), (&new.phone, Type::TEXT)],
            )?;
            let since = new.created_at_ms - limits::lookback_ms(windows);
            let rows = tx.query_typed(
                "SELECT created_at_ms FROM confirmations WHERE phone = $1 AND created_at_ms > $2
                 ORDER BY created_at_ms",
                &[(&new.phone, Type::TEXT), (&since, Type::INT8)],
            )?;
            let sent = rows.iter().map(|r| r.try_get(0)).collect::<Result<Vec<i64>, _>>()?;
            if let Some(retry_after) = limits::phone_wait(&sent, new.created_at_ms, windows) {
                return Ok(Opened::PhoneLimited { retry_after });
            }
            let (attempts, receipts) = (i64::from(new.attempts), i64::from(new.receipts_sent));
            tx.execute_typed(
                &format!(
                    "INSERT INTO confirmations ({CONFIRMATION_COLUMNS})
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                ),
                &[
                    (&new.id, Type::TEXT),
                    (&new.phone, Type::TEXT),
                    (&new.policy_id, Type::TEXT),
                    (&new.language, Type::TEXT),
                    (&new.created_at_ms, Type::INT8),
                    (&new.expires_at_ms, Type::INT8),
                    (&new.salt, Type::TEXT),
                    (&new.code_hash, Type::TEXT),
                    (&new.state.as_str(), Type::TEXT),
                    (&attempts, Type::INT8),
                    (&new.verified_at_ms, Type::INT8),
                    (&receipts, Type::INT8),
                ],
            )?;
            Ok(Opened::Created)
        })
    }

    fn set_sent(&self, id: &str, sent: bool) -> Result<(), StoreError> {
        let state = if sent { ConfirmationState::Sent } else { ConfirmationState::Failed };
        self.write(|tx| {
            tx.execute_typed(
                "UPDATE confirmations SET state = $1 WHERE id = $2 AND state = $3",
                &[
                    (&state.as_str(), Type::TEXT),
                    (&id, Type::TEXT),
                    (&ConfirmationState::Sending.as_str(), Type::TEXT),
                ],
            )?;
            Ok(())
        })
    }

    fn confirmation(&self, id: &str) -> Result<Option<Confirmation>, StoreError> {
        let sql = format!("SELECT {CONFIRMATION_COLUMNS} FROM confirmations WHERE id = $1");
        self.read(|client| {
            client.query_typed_opt(&sql, &[(&id, Type::TEXT)])?.as_ref().map(from_row).transpose()
        })
    }

    fn attempt(
        &self,
        id: &str,
        judge: &(dyn Fn(&Confirmation) -> Judged + Sync),
    ) -> Result<Option<Judged>, StoreError> {
        self.write(|tx| {
            let sql = format!("SELECT {CONFIRMATION_COLUMNS} FROM confirmations WHERE id = $1 FOR UPDATE");
            let Some(row) = tx.query_typed_opt(&sql, &[(&id, Type::TEXT)])? else {
                return Ok(None);
            };
            let judged = judge(&from_row(&row)?);
            if let Some(update) = &judged.update {
                let (state, attempts, verified_at_ms) = update_values(update);
                tx.execute_typed(
                    "UPDATE confirmations SET state = $1, attempts = $2, verified_at_ms = $3 WHERE id = $4",
                    &[
                        (&state, Type::TEXT),
                        (&attempts, Type::INT8),
                        (&verified_at_ms, Type::INT8),
                        (&id, Type::TEXT),
                    ],
                )?;
            }
            Ok(Some(judged))
        })
    }

    fn take_receipt(&self, id: &str, max: u32) -> Result<bool, StoreError> {
        self.write(|tx| {
            let changed = tx.execute_typed(
                "UPDATE confirmations SET receipts_sent = receipts_sent + 1 WHERE id = $1 AND receipts_sent < $2",
                &[(&id, Type::TEXT), (&i64::from(max), Type::INT8)],
            )?;
            Ok(changed == 1)
        })
    }
}
