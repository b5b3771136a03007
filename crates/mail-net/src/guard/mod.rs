//! Server guards, the same for every protocol: deadlines that traffic cannot
//! extend, connection limits, and failed-login delays tracked across
//! connections.
//!
//! A server makes one [`Guards`] from a [`GuardConfig`] and shares it (it is
//! cheap to clone) between all its listeners, so that the limits count every
//! port together. For each accepted connection it calls [`Guards::admit`]
//! *before* spending anything on it (no TLS handshake, no task): a refused
//! connection costs a lock and a map look-up. The [`ConnectionGuard`] it gets
//! then gives the connection its [`Deadline`], the wait before each login
//! attempt, and the move to a logged-in session.
//!
//! - [`deadline`]: the handshake and login deadlines, and the idle timeout.
//! - [`limits`]: connections per address, unauthenticated in total, sessions
//!   per user, as RAII permits.
//! - [`failures`]: failures per address and per user name, with delays that
//!   grow, decay, and live in bounded tables.
//!
//! The TLS-required rule itself belongs to each protocol's sans-IO session
//! (`pop3_proto::SessionConfig::allow_plaintext_logins`); the driver tells
//! the session whether its connection is TLS.

pub mod deadline;
pub mod failures;
pub mod limits;

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

pub use deadline::{Deadline, Expired};
pub use failures::{FailureConfig, FailureDelays, FailureTracker};
pub use limits::{ConnectionLimiter, ConnectionLimits, ConnectionPermit, Refusal};

/// A client address as the guards count it: an IPv4 address, or an IPv6
/// address cut to its prefix (one subscriber holds a whole prefix, and would
/// otherwise count as 2^64 clients or more). IPv4-mapped IPv6 addresses
/// count as their IPv4 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// The key of `ip`, IPv6 cut to `ipv6_prefix` bits (at most 128).
    pub fn new(ip: IpAddr, ipv6_prefix: u8) -> Self {
        match ip {
            IpAddr::V4(v4) => Self(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(IpAddr::V4(v4)),
                None => {
                    let bits = u32::from(ipv6_prefix.min(128));
                    let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
                    Self(IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask)))
                }
            },
        }
    }

    /// The address (the prefix's first address for IPv6).
    pub fn ip(&self) -> IpAddr {
        self.0
    }
}

impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Every guard's setting. The defaults are meant for a server on the
/// Internet; each says why it is what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GuardConfig {
    /// Longest a TLS handshake (implicit TLS, or after STLS / STARTTLS) may
    /// take. Default 30 s: a TLS 1.3 handshake is one or two round trips
    /// plus certificate checks, well under a few seconds even on a
    /// satellite or congested mobile link with retransmissions; 30 s leaves
    /// ample margin, while half a ClientHello holds a connection (and its
    /// buffers) for 30 s instead of the idle timeout.
    pub handshake_timeout: Duration,
    /// Longest from accepting a connection to a successful login, whatever
    /// the traffic (STLS and its handshake, failed attempts and their delays
    /// included). Default 3 minutes, Dovecot's `CLIENT_LOGIN_TIMEOUT_MSECS`:
    /// enough for a person to type a password at a prompt, short enough
    /// that trickled bytes cannot hold a connection.
    pub login_timeout: Duration,
    /// Connection limits. Defaults: see [`ConnectionLimits::default`].
    pub limits: ConnectionLimits,
    /// Failed-login delays. Defaults: see [`FailureConfig::default`].
    pub failures: FailureConfig,
    /// IPv6 addresses are counted per prefix of this many bits. Default 56:
    /// ISPs give each subscriber a /48 or a /56 (RIPE-690), so a /56 never
    /// lumps two subscribers together, and an attacker holding a /56 counts
    /// as one client instead of 2^72 (Dovecot groups failure penalties by
    /// /48).
    pub ipv6_prefix: u8,
}

impl Default for GuardConfig {
    fn default() -> Self {
        Self {
            handshake_timeout: Duration::from_secs(30),
            login_timeout: Duration::from_secs(3 * 60),
            limits: ConnectionLimits::default(),
            failures: FailureConfig::default(),
            ipv6_prefix: 56,
        }
    }
}

impl Default for ConnectionLimits {
    /// - `per_address` 20: a mail client opens one POP3 connection per
    ///   account and up to about five IMAP connections (Dovecot allows 10
    ///   per user and address, `mail_max_userip_connections`); 20 covers a
    ///   few people behind one NAT, and keeps one address from taking more
    ///   than a small share of the unauthenticated total.
    /// - `unauthenticated` 256: Dovecot's default "high-security" login
    ///   service runs one process per unauthenticated client and at most
    ///   `default_process_limit` = 100 of them per protocol; the listeners
    ///   sharing these guards get about the same together. Each costs at
    ///   most a task, its TLS buffers and a bounded input buffer (well under
    ///   100 KiB), so the total stays in the tens of MiB.
    /// - `per_user` 10: Dovecot's `mail_max_userip_connections` default.
    ///   (POP3 allows one session per maildrop anyway: its lock answers a
    ///   second login with `[IN-USE]`.)
    fn default() -> Self {
        Self {
            per_address: 20,
            unauthenticated: 256,
            per_user: 10,
        }
    }
}

impl Default for FailureConfig {
    /// - Per address: 2 s after the first failure (Dovecot's
    ///   `AUTH_PENALTY_INIT_SECS`), doubling to 30 s (Dovecot stops at
    ///   15 s, but does not space parallel attempts; here an address that
    ///   keeps failing gets two guesses a minute however many connections
    ///   it opens); one doubling off per quiet minute, so a person who
    ///   mistyped is back to no delay within minutes.
    /// - Per user name: 1 s doubling to 4 s, one doubling off per 30 s: an
    ///   attacker spread over many addresses pays at least 4 s per guess
    ///   while a real user, even under attack, waits at most 4 s.
    /// - 16384 entries per table: about 1 MiB each; an attacker needs more
    ///   addresses (or /56 prefixes) than that to flush the table.
    fn default() -> Self {
        Self {
            per_address: FailureDelays::new(
                Duration::from_secs(2),
                Duration::from_secs(30),
                Duration::from_secs(60),
            ),
            per_user: FailureDelays::new(
                Duration::from_secs(1),
                Duration::from_secs(4),
                Duration::from_secs(30),
            ),
            max_addresses: 16_384,
            max_users: 16_384,
        }
    }
}

/// The guards of a server: its configuration, connection counts and failure
/// tables. Cheap to clone; clones share the counts.
#[derive(Debug, Clone)]
pub struct Guards {
    config: Arc<GuardConfig>,
    limiter: ConnectionLimiter,
    failures: FailureTracker,
}

impl Default for Guards {
    fn default() -> Self {
        Self::new(GuardConfig::default())
    }
}

impl Guards {
    /// Guards with no connections and no failures yet.
    pub fn new(config: GuardConfig) -> Self {
        Self {
            limiter: ConnectionLimiter::new(config.limits),
            failures: FailureTracker::new(config.failures),
            config: Arc::new(config),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &GuardConfig {
        &self.config
    }

    /// How `ip` is counted.
    pub fn client_key(&self, ip: IpAddr) -> ClientKey {
        ClientKey::new(ip, self.config.ipv6_prefix)
    }

    /// Admits a connection just accepted from `ip`, starting its login
    /// deadline, or says which limit it is over. Call it before anything
    /// else is spent on the connection.
    pub fn admit(&self, ip: IpAddr) -> Result<ConnectionGuard, Refusal> {
        let permit = self.limiter.connect(self.client_key(ip))?;
        Ok(ConnectionGuard {
            permit,
            failures: self.failures.clone(),
            login_by: Instant::now() + self.config.login_timeout,
            handshake_timeout: self.config.handshake_timeout,
        })
    }

    /// The connection counts.
    pub fn limiter(&self) -> &ConnectionLimiter {
        &self.limiter
    }

    /// The failure tables.
    pub fn failures(&self) -> &FailureTracker {
        &self.failures
    }
}

/// One admitted connection's guard: holds its place in the counts (given
/// back when dropped) and its login deadline.
#[derive(Debug)]
pub struct ConnectionGuard {
    permit: ConnectionPermit,
    failures: FailureTracker,
    login_by: Instant,
    handshake_timeout: Duration,
}

impl ConnectionGuard {
    /// The client, as counted.
    pub fn client(&self) -> ClientKey {
        self.permit.client()
    }

    /// The connection's deadlines, with the protocol's idle timeout.
    pub fn deadline(&self, idle_timeout: Duration) -> Deadline {
        let mut deadline = Deadline::new(self.login_by, self.handshake_timeout, idle_timeout);
        if self.permit.user().is_some() {
            deadline.logged_in();
        }
        deadline
    }

    /// How long to wait before checking credentials for `user` (the failure
    /// delays of this address and of that name); takes the address's slot.
    pub fn login_wait(&self, user: &str) -> Duration {
        self.failures.admit(self.client(), user)
    }

    /// The credentials for `user` were wrong.
    pub fn login_failed(&self, user: &str) {
        self.failures.failed(self.client(), user);
    }

    /// The credentials for `user` were right: counts the connection as
    /// `user`'s session (refused when the user has as many as allowed) and
    /// clears the address's failures if they were all for `user` (see
    /// [`FailureTracker::succeeded`]).
    pub fn log_in(&mut self, user: &str) -> Result<(), Refusal> {
        self.permit.log_in(user)?;
        self.failures.succeeded(self.client(), user);
        Ok(())
    }

    /// The login could not be completed after [`log_in`](Self::log_in)
    /// (maildrop locked or unavailable): the connection is unauthenticated
    /// again.
    pub fn log_out(&mut self) {
        self.permit.log_out();
    }

    /// The user logged in on this connection, if any.
    pub fn user(&self) -> Option<&str> {
        self.permit.user()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_keys() {
        let k = |s: &str, p| ClientKey::new(s.parse().unwrap(), p).to_string();
        assert_eq!(k("192.0.2.7", 56), "192.0.2.7");
        assert_eq!(k("::ffff:192.0.2.7", 56), "192.0.2.7");
        assert_eq!(k("2001:db8:1:2ff:a:b:c:d", 56), "2001:db8:1:200::");
        assert_eq!(k("2001:db8:1:2ff:a:b:c:d", 128), "2001:db8:1:2ff:a:b:c:d");
        assert_eq!(k("2001:db8:1:2ff:a:b:c:d", 0), "::");
        assert_eq!(k("2001:db8::1", 200), "2001:db8::1");
    }

    #[test]
    fn a_guard_counts_until_dropped() {
        let mut config = GuardConfig::default();
        config.limits.per_address = 1;
        let guards = Guards::new(config);
        let ip: IpAddr = "2001:db8:1:200::1".parse().unwrap();
        let mut guard = guards.admit(ip).unwrap();
        // Same /56: the same client.
        let neighbour: IpAddr = "2001:db8:1:2ff::9".parse().unwrap();
        assert_eq!(
            guards.admit(neighbour).unwrap_err(),
            Refusal::TooManyFromAddress
        );
        assert!(guard.deadline(Duration::from_secs(1)).login_by().is_some());
        guard.log_in("alice").unwrap();
        assert!(guard.deadline(Duration::from_secs(1)).login_by().is_none());
        assert_eq!(guards.limiter().sessions_of("alice"), 1);
        drop(guard);
        assert_eq!(guards.limiter().sessions_of("alice"), 0);
        assert!(guards.admit(neighbour).is_ok());
    }
}
