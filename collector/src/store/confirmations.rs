//! The confirmations table beside the ledger (not chained): each code asked for, its salted hash,
//! its attempts and whether it was proved; read by the append plan to check records.

use super::StoreError;
use crate::confirm::attempt::{Judged, Update};
use crate::confirm::limits::Window;

/// Where a confirmation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmationState {
    /// Stored; the SMS command is running.
    Sending,
    /// The SMS command reported the message sent.
    Sent,
    /// The SMS command failed: the code can never be verified.
    Failed,
    /// The right code came back before expiry.
    Verified,
    /// Too many wrong codes: it can never be verified.
    Exhausted,
}

impl ConfirmationState {
    const ALL: [ConfirmationState; 5] = [
        ConfirmationState::Sending,
        ConfirmationState::Sent,
        ConfirmationState::Failed,
        ConfirmationState::Verified,
        ConfirmationState::Exhausted,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmationState::Sending => "sending",
            ConfirmationState::Sent => "sent",
            ConfirmationState::Failed => "failed",
            ConfirmationState::Verified => "verified",
            ConfirmationState::Exhausted => "exhausted",
        }
    }

    /// Reads the stored spelling back.
    pub fn parse(s: &str) -> Result<ConfirmationState, StoreError> {
        ConfirmationState::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| StoreError(format!("a confirmation has the unknown state {s:?}")))
    }
}

/// One row of the confirmations table. The phone is personal data: stored, never logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// A version-4 UUID from the OS random source.
    pub id: String,
    /// The phone the code was sent to, E.164.
    pub phone: String,
    pub policy_id: String,
    /// `kk`, `ru` or `en`: the language of the messages.
    pub language: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    /// The salt of `code_hash`, hex.
    pub salt: String,
    /// `hex(sha256(salt ":" code))`: the code itself is never stored.
    pub code_hash: String,
    pub state: ConfirmationState,
    /// Wrong codes typed so far.
    pub attempts: u32,
    /// When the right code came back.
    pub verified_at_ms: Option<i64>,
    /// Receipt messages sent (or tried).
    pub receipts_sent: u32,
}

/// The columns of the table, in the order every backend reads them.
pub const CONFIRMATION_COLUMNS: &str = "id, phone, policy_id, language, created_at_ms, expires_at_ms, salt, \
     code_hash, state, attempts, verified_at_ms, receipts_sent";

/// What storing a new confirmation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// Stored.
    Created,
    /// Not stored: the phone has had its codes; another may be asked for after this many seconds.
    PhoneLimited { retry_after: u64 },
}

/// The confirmations store. Calls block: run them off the async executor.
pub trait Confirmations {
    /// Stores `new` unless its phone already had as many codes as `windows` allow (counted in the
    /// same transaction, so concurrent requests cannot both pass).
    fn open_confirmation(&self, new: &Confirmation, windows: &[Window]) -> Result<Opened, StoreError>;

    /// Records whether the SMS command sent the code (`Sending` becomes `Sent` or `Failed`).
    fn set_sent(&self, id: &str, sent: bool) -> Result<(), StoreError>;

    /// The confirmation stored under `id`, if any.
    fn confirmation(&self, id: &str) -> Result<Option<Confirmation>, StoreError>;

    /// Judges one attempt on the confirmation `id` under its row lock and stores what it changes;
    /// `None` if there is no such confirmation.
    fn attempt(
        &self,
        id: &str,
        judge: &(dyn Fn(&Confirmation) -> Judged + Sync),
    ) -> Result<Option<Judged>, StoreError>;

    /// Counts one more receipt message for `id` if fewer than `max` were sent; whether it did.
    fn take_receipt(&self, id: &str, max: u32) -> Result<bool, StoreError>;
}

/// The columns an attempt writes, as stored values.
pub fn update_values(update: &Update) -> (&'static str, i64, Option<i64>) {
    (update.state.as_str(), i64::from(update.attempts), update.verified_at_ms)
}

/// A count as stored (an integer column), read back; a negative one is a broken row.
pub fn count(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError(format!("a confirmation holds the count {value}")))
}
