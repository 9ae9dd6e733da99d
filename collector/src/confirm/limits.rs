//! How many codes may be asked for: per phone in sliding windows (counted from the confirmations
//! table, so they hold across restarts), and per client address (governor, in memory).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::DefaultClock;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::client::client_of;

/// At most `count` codes for one phone in any `span`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub count: u32,
    pub span: Duration,
}

impl Window {
    fn span_ms(self) -> i64 {
        i64::try_from(self.span.as_millis()).unwrap_or(i64::MAX)
    }
}

/// The longest span of `windows`, in milliseconds: how far back the counts must read.
pub fn lookback_ms(windows: &[Window]) -> i64 {
    windows.iter().map(|w| w.span_ms()).max().unwrap_or(0)
}

/// When another code may be sent to a phone that was sent codes at `sent_ms` (ascending, within
/// [`lookback_ms`]), at `now_ms`: `None` now, else the wait in whole seconds (at least 1).
pub fn phone_wait(sent_ms: &[i64], now_ms: i64, windows: &[Window]) -> Option<u64> {
    let mut wait_ms: i64 = 0;
    for w in windows.iter().filter(|w| w.count > 0) {
        let inside: Vec<i64> = sent_ms.iter().copied().filter(|t| *t > now_ms - w.span_ms()).collect();
        let count = inside.len();
        let allowed = w.count as usize;
        if count >= allowed {
            // The oldest code that must leave the window for one more to fit.
            let leaves = inside[count - allowed] + w.span_ms();
            wait_ms = wait_ms.max(leaves - now_ms);
        }
    }
    (wait_ms > 0).then(|| u64::try_from(wait_ms).unwrap_or(0).div_ceil(1000).max(1))
}

/// Codes per client address: up to `count` at once, then one more every `span / count`.
pub struct PerClient {
    limiter: Option<RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>>,
    /// Checks since the store was last pruned: a full store is walked at most once per 1,000.
    since_pruned: AtomicU64,
}

impl PerClient {
    /// A limit of `window.count` codes per `window.span` per client (a count of 0: none).
    pub fn new(window: Window) -> PerClient {
        let limiter = NonZeroU32::new(window.count).and_then(|n| {
            let period = window.span.checked_div(n.get()).filter(|p| !p.is_zero())?;
            Some(RateLimiter::keyed(Quota::with_period(period)?.allow_burst(n)))
        });
        PerClient { limiter, since_pruned: AtomicU64::new(0) }
    }

    /// Takes one code from `peer`'s allowance; `Err(seconds)` says when the next may be asked for.
    pub fn take(&self, peer: IpAddr) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        if self.since_pruned.fetch_add(1, Ordering::Relaxed) >= 1000 && limiter.len() > 10_000 {
            self.since_pruned.store(0, Ordering::Relaxed);
            limiter.retain_recent();
        }
        limiter.check_key(&client_of(peer)).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(limiter.clock()));
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn defaults() -> [Window; 2] {
        [
            Window { count: 3, span: Duration::from_secs(15 * 60) },
            Window { count: 10, span: Duration::from_secs(24 * 3600) },
        ]
    }

    #[test]
    fn three_codes_in_fifteen_minutes_then_wait_for_the_oldest_to_leave() {
        let now = 100 * MIN;
        assert_eq!(phone_wait(&[now - 10 * MIN, now - 5 * MIN], now, &defaults()), None);
        let three = [now - 10 * MIN, now - 5 * MIN, now - MIN];
        assert_eq!(phone_wait(&three, now, &defaults()), Some(5 * 60));
        assert_eq!(phone_wait(&three, now + 5 * MIN + 1, &defaults()), None);
    }

    #[test]
    fn ten_codes_a_day_hold_even_when_spread_out() {
        let now = 30 * 60 * MIN;
        let spread: Vec<i64> = (0..10).map(|i| now - (20 - i) * 60 * MIN).collect();
        let wait = phone_wait(&spread, now, &defaults()).expect("limited");
        assert_eq!(wait, 4 * 3600, "the oldest, 20 h ago, leaves the day in 4 h");
    }

    #[test]
    fn a_client_gets_its_burst_then_waits() {
        let limit = PerClient::new(Window { count: 2, span: Duration::from_secs(3600) });
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(limit.take(ip).is_ok() && limit.take(ip).is_ok());
        let wait = limit.take(ip).unwrap_err();
        assert!((1..=1800).contains(&wait), "{wait}");
        assert!(limit.take("10.0.0.2".parse().unwrap()).is_ok());
        let none = PerClient::new(Window { count: 0, span: Duration::from_secs(1) });
        assert!((0..100).all(|_| none.take(ip).is_ok()));
    }
}
