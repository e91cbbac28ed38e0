//! The pure parts of network ingest: where a feed is ([`Endpoint`]) and
//! how long to wait before reconnecting to it ([`Backoff`]).
//!
//! The sockets themselves are not here. This crate does no I/O (bytes in,
//! messages out, time as an argument), so it stays usable anywhere and
//! testable without a network; the `easf` binary, which already owns a
//! tokio runtime and the Ctrl-C handling, opens the TCP or UDP socket,
//! feeds what it reads to a [`crate::Decoder`], and asks a [`Backoff`]
//! for each delay. As everywhere in this crate, randomness (for jitter)
//! is an argument too, so a schedule can be tested exactly.
//!
//! ```
//! use ais::feed::{Backoff, BackoffConfig, Endpoint};
//!
//! let ep = Endpoint::parse("tcp://127.0.0.1:4001").unwrap();
//! assert_eq!(ep, Endpoint::Tcp("127.0.0.1:4001".into()));
//!
//! let mut b = Backoff::new(BackoffConfig { initial_ms: 100, max_ms: 1000, jitter: 0.0 });
//! let delays: Vec<u64> = (0..6).map(|_| b.next_delay_ms(0)).collect();
//! assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
//! b.reset(); // after a connection that delivered data
//! assert_eq!(b.next_delay_ms(0), 100);
//! ```

use core::fmt;

/// A raw NMEA feed to read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `tcp://HOST:PORT`: connect to a server that sends sentences, one
    /// per line (the address is kept as `HOST:PORT`).
    Tcp(String),
    /// `udp://BIND:PORT`: listen for datagrams of one or more lines on the
    /// local address (kept as `BIND:PORT`; port 0 picks a free port).
    Udp(String),
}

/// Why an endpoint could not be parsed.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointError {
    /// The scheme is neither `tcp://` nor `udp://`.
    Scheme,
    /// The part after the scheme is not `HOST:PORT` with a port 0–65535
    /// (0 only for UDP).
    Address,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EndpointError::Scheme => "expected tcp://HOST:PORT or udp://BIND:PORT",
            EndpointError::Address => "expected HOST:PORT after the scheme, with a valid port",
        })
    }
}

impl std::error::Error for EndpointError {}

impl Endpoint {
    /// Parses `tcp://HOST:PORT` or `udp://BIND:PORT` (an IPv6 host in
    /// brackets, `[::1]:4001`). The host is not resolved here.
    pub fn parse(s: &str) -> Result<Endpoint, EndpointError> {
        let (tcp, rest) = if let Some(r) = s.strip_prefix("tcp://") {
            (true, r)
        } else if let Some(r) = s.strip_prefix("udp://") {
            (false, r)
        } else {
            return Err(EndpointError::Scheme);
        };
        let (host, port) = rest.rsplit_once(':').ok_or(EndpointError::Address)?;
        let port: u16 = port.parse().map_err(|_| EndpointError::Address)?;
        let bracketed = host.starts_with('[') && host.ends_with(']') && host.len() > 2;
        if host.is_empty()
            || (host.contains(':') && !bracketed)
            || host.contains(['/', ' '])
            || (tcp && port == 0)
        {
            return Err(EndpointError::Address);
        }
        let addr = rest.to_owned();
        Ok(if tcp {
            Endpoint::Tcp(addr)
        } else {
            Endpoint::Udp(addr)
        })
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Tcp(a) => write!(f, "tcp://{a}"),
            Endpoint::Udp(a) => write!(f, "udp://{a}"),
        }
    }
}

/// Settings of a [`Backoff`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BackoffConfig {
    /// The first delay, in milliseconds.
    pub initial_ms: u64,
    /// No delay is longer than this (milliseconds); at least `initial_ms`
    /// is used if it is smaller.
    pub max_ms: u64,
    /// Fraction of each delay, 0–1, that is random: a delay `d` becomes a
    /// value in `[d × (1 − jitter), d]`, so that many clients cut off
    /// together do not reconnect in step. Clamped to 0–1.
    pub jitter: f64,
}

impl Default for BackoffConfig {
    /// Half a second, doubling to at most 30 s, 20 % jitter.
    fn default() -> Self {
        BackoffConfig {
            initial_ms: 500,
            max_ms: 30_000,
            jitter: 0.2,
        }
    }
}

/// Capped exponential back-off: the delays before successive reconnection
/// attempts double from `initial_ms` up to `max_ms`, each shortened by a
/// random part of at most `jitter` of it. Call [`Backoff::reset`] once a
/// connection has delivered data, so a feed that drops now and then is
/// retried quickly while a dead one is not hammered.
#[derive(Clone, Debug)]
pub struct Backoff {
    config: BackoffConfig,
    attempt: u32,
}

impl Backoff {
    /// A schedule at its first delay.
    pub fn new(config: BackoffConfig) -> Backoff {
        Backoff { config, attempt: 0 }
    }

    /// The settings.
    pub fn config(&self) -> &BackoffConfig {
        &self.config
    }

    /// How many delays were given since the last reset.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// The delay before the next attempt, in milliseconds, and advances the
    /// schedule. `random` is any uniformly random value (only its top 53
    /// bits are used); pass 0 for no jitter.
    pub fn next_delay_ms(&mut self, random: u64) -> u64 {
        let max = self.config.max_ms.max(self.config.initial_ms);
        let base = self
            .config
            .initial_ms
            .checked_shl(self.attempt.min(63))
            .filter(|&d| d >> self.attempt.min(63) == self.config.initial_ms)
            .map_or(max, |d| d.min(max));
        self.attempt = self.attempt.saturating_add(1);
        let jitter = if self.config.jitter.is_nan() {
            0.0
        } else {
            self.config.jitter.clamp(0.0, 1.0)
        };
        let unit = (random >> 11) as f64 / (1u64 << 53) as f64;
        let cut = (base as f64 * jitter * unit) as u64;
        base - cut.min(base)
    }

    /// Back to the first delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(initial_ms: u64, max_ms: u64, jitter: f64) -> BackoffConfig {
        BackoffConfig {
            initial_ms,
            max_ms,
            jitter,
        }
    }

    #[test]
    fn doubles_up_to_the_cap_and_resets() {
        let mut b = Backoff::new(config(250, 5_000, 0.0));
        let d: Vec<u64> = (0..8).map(|_| b.next_delay_ms(u64::MAX)).collect();
        assert_eq!(d, [250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
        assert_eq!(b.attempts(), 8);
        b.reset();
        assert_eq!(b.next_delay_ms(7), 250);
    }

    #[test]
    fn never_overflows_however_many_attempts() {
        let mut b = Backoff::new(config(u64::MAX / 3, u64::MAX, 0.0));
        for _ in 0..200 {
            assert!(b.next_delay_ms(0) >= u64::MAX / 3);
        }
        let mut b = Backoff::new(config(1, 60_000, 0.5));
        for k in 0..10_000u64 {
            let d = b.next_delay_ms(k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            assert!(d <= 60_000);
        }
        assert_eq!(b.attempts(), 10_000);
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let mut lo = u64::MAX;
        let mut hi = 0;
        for k in 0..1000u64 {
            let mut b = Backoff::new(config(1000, 1000, 0.25));
            let d = b.next_delay_ms(k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            lo = lo.min(d);
            hi = hi.max(d);
        }
        assert!(lo >= 750 && hi <= 1000, "{lo}..{hi}");
        assert!(lo < 800 && hi > 950, "jitter should spread: {lo}..{hi}");
        // Out-of-range settings are clamped, not trusted.
        let mut b = Backoff::new(config(1000, 10, 7.0));
        assert_eq!(b.next_delay_ms(0), 1000);
        assert_eq!(b.next_delay_ms(u64::MAX), 1);
        let mut b = Backoff::new(config(100, 100, f64::NAN));
        assert_eq!(b.next_delay_ms(u64::MAX), 100);
    }

    #[test]
    fn parses_endpoints() {
        assert_eq!(
            Endpoint::parse("tcp://ais.example:4001"),
            Ok(Endpoint::Tcp("ais.example:4001".into()))
        );
        assert_eq!(
            Endpoint::parse("udp://0.0.0.0:0"),
            Ok(Endpoint::Udp("0.0.0.0:0".into()))
        );
        assert_eq!(
            Endpoint::parse("udp://[::1]:10110"),
            Ok(Endpoint::Udp("[::1]:10110".into()))
        );
        assert_eq!(Endpoint::parse("http://x:1"), Err(EndpointError::Scheme));
        for bad in [
            "tcp://x",
            "tcp://:1",
            "tcp://x:0",
            "tcp://x:65536",
            "tcp://::1:4",
            "udp://a b:1",
        ] {
            assert_eq!(Endpoint::parse(bad), Err(EndpointError::Address), "{bad}");
        }
        assert_eq!(
            Endpoint::parse("tcp://h:1").unwrap().to_string(),
            "tcp://h:1"
        );
    }
}
