//! The per-client rate limit: a token bucket per client (an IPv4 address, an IPv6 /64), answered
//! with 429 and Retry-After.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Buckets kept before idle, full ones are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// Requests per second per client, in bursts of up to the same number; 0 is no limit.
pub struct RateLimit {
    per_second: f64,
    buckets: Mutex<Buckets>,
}

#[derive(Default)]
struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    /// When full buckets were last forgotten: at most once a second, so a flood of new clients
    /// cannot make every request scan the map.
    swept: Option<Instant>,
}

/// The client a bucket belongs to: an IPv4 address, or an IPv6 /64 (one host's usual allocation,
/// which it can rotate through freely).
fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(prefix))
            }
        },
        v4 => v4,
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    /// A limit of `per_second` requests per client address.
    pub fn new(per_second: u32) -> RateLimit {
        RateLimit { per_second: f64::from(per_second), buckets: Mutex::new(Buckets::default()) }
    }

    /// Takes one request from `client`'s bucket; `Err(seconds)` says when the next one may come.
    pub fn take(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Buckets { by_client, swept } = &mut *buckets;
        let due = swept.is_none_or(|at| now.duration_since(at).as_secs() >= 1);
        if by_client.len() >= MAX_CLIENTS && due {
            let rate = self.per_second;
            by_client.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < rate);
            *swept = Some(now);
        }
        let full = Bucket { tokens: self.per_second, at: now };
        let bucket = by_client.entry(client_of(client)).or_insert(full);
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.per_second);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// Middleware for the API routes: 429 with `Retry-After` once a client has spent its bucket.
pub async fn guard(
    State(limit): State<Arc<RateLimit>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    match limit.take(peer.ip(), Instant::now()) {
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
    use std::time::Duration;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn a_burst_up_to_the_rate_passes_then_the_next_waits() {
        let limit = RateLimit::new(5);
        let t = Instant::now();
        assert!((0..5).all(|_| limit.take(A, t).is_ok()));
        assert_eq!(limit.take(A, t), Err(1));
        assert!(limit.take(B, t).is_ok(), "another client has its own bucket");
        assert!(limit.take(A, t + Duration::from_millis(200)).is_ok(), "one token back after 1/5 s");
        assert!(limit.take(A, t + Duration::from_millis(200)).is_err());
    }

    #[test]
    fn an_ipv6_host_cannot_escape_by_rotating_addresses_in_its_64() {
        let limit = RateLimit::new(2);
        let t = Instant::now();
        let host = |last: u16| IpAddr::V6(std::net::Ipv6Addr::new(0x2a03, 0x32c0, 0, 7, 0, 0, 0, last));
        assert!(limit.take(host(1), t).is_ok() && limit.take(host(2), t).is_ok());
        assert!(limit.take(host(3), t).is_err(), "the same /64");
        let neighbour = IpAddr::V6(std::net::Ipv6Addr::new(0x2a03, 0x32c0, 0, 8, 0, 0, 0, 1));
        assert!(limit.take(neighbour, t).is_ok(), "another /64 is another client");
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert!(limit.take(A, t).is_ok() && limit.take(A, t).is_ok());
        assert!(limit.take(mapped, t).is_err(), "an IPv4-mapped address is that IPv4 client");
    }

    #[test]
    fn zero_means_no_limit() {
        let limit = RateLimit::new(0);
        let t = Instant::now();
        assert!((0..10_000).all(|_| limit.take(A, t).is_ok()));
    }
}
