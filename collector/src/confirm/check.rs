//! The confirmation check of a record: verified only if its confirmation was proved for the
//! record's phone and policy and no earlier row counted it.

use crate::store::Confirmation;

/// Why a record's confirmation does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The collector never gave out this confirmation id.
    Unknown,
    /// The code was never typed back correctly (and the confirmation has not expired).
    NotVerified,
    /// The code was not typed back correctly before the confirmation expired.
    Expired,
    /// The confirmation was made for another phone than the record's `subject.ref`.
    OtherPhone,
    /// The confirmation was made for another policy than the record's `policy.id`.
    OtherPolicy,
    /// An earlier row already counted this confirmation as verified.
    AlreadyUsed,
    /// The record arrived more than [`USE_WITHIN_MS`] after the code was verified: a proof left
    /// unused that long is not taken for a decision made now.
    Stale,
}

/// How long after its code was verified a confirmation may still be used by a record: long enough
/// for a browser's outbox to deliver it after a day offline, not forever.
pub const USE_WITHIN_MS: i64 = 24 * 3_600_000;

impl Reason {
    const ALL: [Reason; 7] = [
        Reason::Unknown,
        Reason::NotVerified,
        Reason::Expired,
        Reason::OtherPhone,
        Reason::OtherPolicy,
        Reason::AlreadyUsed,
        Reason::Stale,
    ];

    /// The stored and reported spelling, e.g. `already_used`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Unknown => "unknown",
            Reason::NotVerified => "not_verified",
            Reason::Expired => "expired",
            Reason::OtherPhone => "other_phone",
            Reason::OtherPolicy => "other_policy",
            Reason::AlreadyUsed => "already_used",
            Reason::Stale => "stale",
        }
    }
}

/// What the collector found about a record's confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmationCheck {
    /// Proved for this phone and policy, and counted for this row only.
    Verified,
    /// Carried but not holding, and why.
    Unverified(Reason),
}

impl ConfirmationCheck {
    /// The columns `(confirmation_check, confirmation_reason)` as stored.
    pub fn columns(self) -> (&'static str, Option<&'static str>) {
        match self {
            ConfirmationCheck::Verified => ("verified", None),
            ConfirmationCheck::Unverified(reason) => ("unverified", Some(reason.as_str())),
        }
    }

    /// Reads the stored columns back: `Some(None)` for a row without a check, `None` for a pair no
    /// collector writes.
    pub fn from_columns(columns: (Option<&str>, Option<&str>)) -> Option<Option<ConfirmationCheck>> {
        match columns {
            (None, None) => Some(None),
            (Some("verified"), None) => Some(Some(ConfirmationCheck::Verified)),
            (Some("unverified"), Some(reason)) => Reason::ALL
                .into_iter()
                .find(|r| r.as_str() == reason)
                .map(|r| Some(ConfirmationCheck::Unverified(r))),
            _ => None,
        }
    }
}

/// What is checked: the record's phone (`subject.ref`) and policy id.
pub struct Claim<'a> {
    pub subject_ref: &'a str,
    pub policy_id: &'a str,
}

/// The check of a record making `claim` with the confirmation `stored` (if the collector has it),
/// `used` if an earlier row counted it, at `now_ms`.
pub fn check(claim: &Claim<'_>, stored: Option<&Confirmation>, used: bool, now_ms: i64) -> ConfirmationCheck {
    let unverified = ConfirmationCheck::Unverified;
    let Some(c) = stored else {
        return unverified(Reason::Unknown);
    };
    let Some(verified_at) = c.verified_at_ms else {
        return unverified(if now_ms > c.expires_at_ms { Reason::Expired } else { Reason::NotVerified });
    };
    if c.phone != claim.subject_ref {
        return unverified(Reason::OtherPhone);
    }
    if c.policy_id != claim.policy_id {
        return unverified(Reason::OtherPolicy);
    }
    if used {
        return unverified(Reason::AlreadyUsed);
    }
    if now_ms > verified_at + USE_WITHIN_MS {
        return unverified(Reason::Stale);
    }
    ConfirmationCheck::Verified
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ConfirmationState;

    fn confirmation(verified: bool) -> Confirmation {
        Confirmation {
            id: "c".into(),
            phone: "+77012345678".into(),
            policy_id: "p".into(),
            language: "kk".into(),
            created_at_ms: 0,
            expires_at_ms: 600_000,
            salt: String::new(),
            code_hash: String::new(),
            state: if verified { ConfirmationState::Verified } else { ConfirmationState::Sent },
            attempts: 0,
            verified_at_ms: verified.then_some(1000),
            receipts_sent: 0,
        }
    }

    const CLAIM: Claim<'static> = Claim { subject_ref: "+77012345678", policy_id: "p" };

    #[test]
    fn only_a_proved_unused_confirmation_of_this_phone_and_policy_is_verified() {
        let ok = confirmation(true);
        assert_eq!(check(&CLAIM, Some(&ok), false, 10_000_000), ConfirmationCheck::Verified);
        let reason = |claim: &Claim<'_>, c: Option<&Confirmation>, used: bool, now: i64| match check(
            claim, c, used, now,
        ) {
            ConfirmationCheck::Unverified(r) => r.as_str(),
            ConfirmationCheck::Verified => "verified",
        };
        assert_eq!(reason(&CLAIM, None, false, 0), "unknown");
        assert_eq!(reason(&CLAIM, Some(&confirmation(false)), false, 1), "not_verified");
        assert_eq!(reason(&CLAIM, Some(&confirmation(false)), false, 600_001), "expired");
        let other = Claim { subject_ref: "+77770000000", ..CLAIM };
        assert_eq!(reason(&other, Some(&ok), false, 1), "other_phone");
        let other = Claim { policy_id: "q", ..CLAIM };
        assert_eq!(reason(&other, Some(&ok), false, 1), "other_policy");
        assert_eq!(reason(&CLAIM, Some(&ok), true, 1), "already_used");
        assert_eq!(reason(&CLAIM, Some(&ok), false, 1000 + USE_WITHIN_MS), "verified");
        assert_eq!(reason(&CLAIM, Some(&ok), false, 1001 + USE_WITHIN_MS), "stale");
    }

    #[test]
    fn the_stored_columns_read_back_and_nonsense_is_refused() {
        for check in [ConfirmationCheck::Verified, ConfirmationCheck::Unverified(Reason::AlreadyUsed)] {
            let (c, r) = check.columns();
            assert_eq!(ConfirmationCheck::from_columns((Some(c), r)), Some(Some(check)));
        }
        assert_eq!(ConfirmationCheck::from_columns((None, None)), Some(None));
        assert_eq!(ConfirmationCheck::from_columns((Some("verified"), Some("unknown"))), None);
        assert_eq!(ConfirmationCheck::from_columns((Some("unverified"), Some("nope"))), None);
        assert_eq!(ConfirmationCheck::from_columns((None, Some("unknown"))), None);
    }
}
