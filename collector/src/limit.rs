//! The per-client rate limit: governor's GCRA limiter keyed by client (an IPv4 address, an IPv6
//! /64), answered with 429 and Retry-After.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::client::client_of;
use crate::error::ApiError;

/// Clients remembered before those whose bucket is full again are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// governor's GCRA limiter, one state per client, on clock `C`.
type PerClient<C> =
    RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// Requests per second per client, in bursts of up to the same number; `None` is no limit.
pub struct RateLimit<C: Clock = DefaultClock> {
    limiter: Option<PerClient<C>>,
    /// Checks since the store was last pruned.
    since_pruned: AtomicU64,
}

impl RateLimit {
    /// A limit of `per_second` requests per client address (0: none).
    pub fn new(per_second: u32) -> RateLimit {
        RateLimit::with_clock(per_second, DefaultClock::default())
    }
}

impl<C: Clock> RateLimit<C> {
    fn with_clock(per_second: u32, clock: C) -> RateLimit<C> {
        let limiter = NonZeroU32::new(per_second)
            .map(|n| RateLimiter::new(Quota::per_second(n), DefaultKeyedStateStore::default(), clock));
        RateLimit { limiter, since_pruned: AtomicU64::new(0) }
    }

    /// Takes one request from `peer`'s bucket; `Err(seconds)` says when the next one may come.
    pub fn take(&self, peer: IpAddr) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        // Pruning walks the whole store: only when it is large, and at most every 1000 checks.
        if self.since_pruned.fetch_add(1, Ordering::Relaxed) >= 1000 && limiter.len() >= MAX_CLIENTS {
            self.since_pruned.store(0, Ordering::Relaxed);
            limiter.retain_recent();
        }
        limiter.check_key(&client_of(peer)).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

/// Middleware for the API routes: 429 with `Retry-After` once a client has spent its bucket.
pub async fn guard(
    State(limit): State<Arc<RateLimit>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    match limit.take(peer.ip()) {
        Ok(()) => next.run(request).await,
        Err(seconds) => {
            crate::body::drain(request.into_body()).await;
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests from this address; retry after the Retry-After seconds",
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::time::Duration;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn a_burst_up_to_the_rate_passes_then_the_next_waits() {
        let clock = FakeRelativeClock::default();
        let limit = RateLimit::with_clock(5, clock.clone());
        assert!((0..5).all(|_| limit.take(A).is_ok()));
        assert_eq!(limit.take(A), Err(1));
        assert!(limit.take(B).is_ok(), "another client has its own bucket");
        clock.advance(Duration::from_millis(200));
        assert!(limit.take(A).is_ok(), "one request back after 1/5 s");
        assert!(limit.take(A).is_err());
    }

    #[test]
    fn an_ipv6_host_cannot_escape_by_rotating_addresses_in_its_64() {
        let limit = RateLimit::with_clock(2, FakeRelativeClock::default());
        let host = |last: u16| IpAddr::V6(std::net::Ipv6Addr::new(0x2a03, 0x32c0, 0, 7, 0, 0, 0, last));
        assert!(limit.take(host(1)).is_ok() && limit.take(host(2)).is_ok());
        assert!(limit.take(host(3)).is_err(), "the same /64");
        let neighbour = IpAddr::V6(std::net::Ipv6Addr::new(0x2a03, 0x32c0, 0, 8, 0, 0, 0, 1));
        assert!(limit.take(neighbour).is_ok(), "another /64 is another client");
    }

    #[test]
    fn zero_means_no_limit() {
        let limit = RateLimit::new(0);
        assert!((0..10_000).all(|_| limit.take(A).is_ok()));
    }
}
