//! Per-client rate limits: a token bucket per client address.
//!
//! A client may send `burst` requests at once, then one per `interval`. A refused
//! request is refused before anything is read or written, so a flood leaves the ledger
//! as it was. Memory is bounded: when the table grows large, clients whose bucket has
//! refilled are forgotten (they are indistinguishable from new ones).

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    burst: f64,
    interval: Duration,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Clients remembered before the table is swept.
const SWEEP_AT: usize = 50_000;

impl RateLimiter {
    pub fn new(burst: u32, interval: Duration) -> RateLimiter {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            interval: interval.max(Duration::from_millis(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request's token for `client`; `Err(seconds)` to wait when none is left.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        self.check_at(client, Instant::now())
    }

    fn check_at(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let per_second = 1.0 / self.interval.as_secs_f64();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= SWEEP_AT {
            let burst = self.burst;
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * per_second < burst
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let refill = now.duration_since(bucket.updated).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / per_second;
            Err(wait.ceil() as u64)
        }
    }
}

/// The client's address: the TCP peer, or, behind a trusted loopback proxy, the last
/// address the proxy appended to `X-Forwarded-For` (earlier entries are the client's
/// own claims and can be forged).
pub fn client_addr(parts: &Parts, trust_proxy: bool) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if trust_proxy && peer.is_loopback() {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(addr) = forwarded {
            return addr;
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_interval() {
        let limiter = RateLimiter::new(3, Duration::from_secs(10));
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let other: IpAddr = "203.0.113.8".parse().unwrap();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(client, start).is_ok());
        }
        assert_eq!(limiter.check_at(client, start), Err(10));
        // Another client has its own bucket.
        assert!(limiter.check_at(other, start).is_ok());
        // After one interval, one more.
        let later = start + Duration::from_secs(10);
        assert!(limiter.check_at(client, later).is_ok());
        assert!(limiter.check_at(client, later).is_err());
    }

    #[test]
    fn forwarded_for_only_from_a_trusted_loopback_proxy() {
        let request = axum::http::Request::builder()
            .header("x-forwarded-for", "10.9.9.9, 198.51.100.4")
            .body(())
            .unwrap();
        let (mut parts, ()) = request.into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 5555))));
        assert_eq!(
            client_addr(&parts, true),
            "198.51.100.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            client_addr(&parts, false),
            "127.0.0.1".parse::<IpAddr>().unwrap()
        );
    }
}
