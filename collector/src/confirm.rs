//! SMS confirmations: a one-time code sent to a phone, proved by typing it back, and the check
//! that ties a record carrying the confirmation to that phone and policy, once.

pub mod attempt;
pub mod check;
pub mod code;
pub mod limits;
pub mod sms;
pub mod text;

/// Wrong codes a confirmation takes before it is dead.
pub const MAX_ATTEMPTS: u32 = 5;

/// Receipt messages one confirmation may send.
pub const MAX_RECEIPTS: u32 = 2;

/// What the confirmation endpoints share: how to send, how long a code holds, and the limits.
pub struct Service {
    /// The SMS command; `None` when the collector was started without `--sms-command`.
    pub sender: Option<sms::Sender>,
    /// How long a code can be typed back.
    pub ttl: std::time::Duration,
    /// Codes per phone: each window holds.
    pub phone_windows: Vec<limits::Window>,
    /// Codes per client address.
    pub per_client: limits::PerClient,
}

impl Service {
    /// The code's validity in whole minutes, as the message states it (at least 1).
    pub fn ttl_minutes(&self) -> u64 {
        self.ttl.as_secs().div_ceil(60).max(1)
    }
}
