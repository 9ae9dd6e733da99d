//! A typed code against a stored confirmation: right, wrong (with attempts left), expired, dead —
//! and what the confirmation becomes.

use super::code;
use super::MAX_ATTEMPTS;
use crate::store::{Confirmation, ConfirmationState};

/// The answer to one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The code is right: the confirmation is verified (now or before).
    Verified,
    /// The code is wrong; this many attempts are left.
    Wrong { attempts_left: u32 },
    /// The confirmation expired before it was verified.
    Expired,
    /// Too many wrong codes: the confirmation is dead.
    TooManyAttempts,
    /// The code could not be sent, so it cannot be verified.
    NotSent,
}

/// The answer, and the confirmation as it must be stored after (if it changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub answer: Answer,
    pub update: Option<Update>,
}

/// The columns an attempt changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Update {
    pub state: ConfirmationState,
    pub attempts: u32,
    pub verified_at_ms: Option<i64>,
}

/// Judges `typed` (six digits) against `c` at `now_ms`.
pub fn judge(c: &Confirmation, typed: &str, now_ms: i64) -> Judged {
    let answer = |answer| Judged { answer, update: None };
    let right = code::matches(&c.salt, &c.code_hash, typed);
    match c.state {
        // Proved already: the right code answers so again, and wrong ones still count, so the
        // confirmation is no unbounded oracle for guesses.
        ConfirmationState::Verified if c.attempts >= MAX_ATTEMPTS => return answer(Answer::TooManyAttempts),
        ConfirmationState::Verified if right => return answer(Answer::Verified),
        ConfirmationState::Verified => {
            let attempts = c.attempts + 1;
            let update = Update { state: c.state, attempts, verified_at_ms: c.verified_at_ms };
            return Judged {
                answer: Answer::Wrong { attempts_left: MAX_ATTEMPTS - attempts },
                update: Some(update),
            };
        }
        ConfirmationState::Failed => return answer(Answer::NotSent),
        ConfirmationState::Exhausted => return answer(Answer::TooManyAttempts),
        ConfirmationState::Sending | ConfirmationState::Sent => {}
    }
    if now_ms > c.expires_at_ms {
        return answer(Answer::Expired);
    }
    if c.attempts >= MAX_ATTEMPTS {
        return answer(Answer::TooManyAttempts);
    }
    if right {
        let update =
            Update { state: ConfirmationState::Verified, attempts: c.attempts, verified_at_ms: Some(now_ms) };
        return Judged { answer: Answer::Verified, update: Some(update) };
    }
    let attempts = c.attempts + 1;
    let state = if attempts >= MAX_ATTEMPTS { ConfirmationState::Exhausted } else { c.state };
    Judged {
        answer: Answer::Wrong { attempts_left: MAX_ATTEMPTS - attempts },
        update: Some(Update { state, attempts, verified_at_ms: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(code: &str) -> Confirmation {
        let salt = "00".repeat(16);
        Confirmation {
            id: "c".into(),
            phone: "+77012345678".into(),
            policy_id: "p".into(),
            language: "ru".into(),
            created_at_ms: 0,
            expires_at_ms: 1000,
            code_hash: code::hash(&salt, code),
            salt,
            state: ConfirmationState::Sent,
            attempts: 0,
            verified_at_ms: None,
            receipts_sent: 0,
        }
    }

    fn apply(c: &mut Confirmation, judged: &Judged) {
        if let Some(u) = judged.update {
            (c.state, c.attempts, c.verified_at_ms) = (u.state, u.attempts, u.verified_at_ms);
        }
    }

    #[test]
    fn wrong_codes_count_down_and_the_fifth_kills_the_confirmation() {
        let mut c = sent("123456");
        for left in (0..MAX_ATTEMPTS).rev() {
            let judged = judge(&c, "000000", 10);
            assert_eq!(judged.answer, Answer::Wrong { attempts_left: left });
            apply(&mut c, &judged);
        }
        assert_eq!(c.state, ConfirmationState::Exhausted);
        assert_eq!(judge(&c, "123456", 10).answer, Answer::TooManyAttempts, "even the right code");
    }

    #[test]
    fn the_right_code_verifies_once_and_again_without_change() {
        let mut c = sent("123456");
        let judged = judge(&c, "123456", 10);
        assert_eq!(judged.answer, Answer::Verified);
        apply(&mut c, &judged);
        assert_eq!((c.state, c.verified_at_ms), (ConfirmationState::Verified, Some(10)));
        let again = judge(&c, "123456", 5000);
        assert_eq!((again.answer, again.update), (Answer::Verified, None), "after expiry too");
        // Wrong codes after the proof still count down, then nothing more is compared.
        for left in (0..MAX_ATTEMPTS).rev() {
            let judged = judge(&c, "654321", 20);
            assert_eq!(judged.answer, Answer::Wrong { attempts_left: left });
            apply(&mut c, &judged);
            assert_eq!((c.state, c.verified_at_ms), (ConfirmationState::Verified, Some(10)), "still proved");
        }
        assert_eq!(judge(&c, "123456", 30).answer, Answer::TooManyAttempts);
    }

    #[test]
    fn an_expired_or_unsent_confirmation_cannot_be_verified() {
        assert_eq!(judge(&sent("123456"), "123456", 1001).answer, Answer::Expired);
        let failed = Confirmation { state: ConfirmationState::Failed, ..sent("123456") };
        assert_eq!(judge(&failed, "123456", 10).answer, Answer::NotSent);
    }
}
