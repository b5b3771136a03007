//! Connection limits: per client address, unauthenticated connections in
//! total, and sessions per user, counted with RAII permits.
//!
//! A connection takes a [`ConnectionPermit`] when it is accepted (it counts
//! toward its address and toward the unauthenticated total); at login the
//! permit moves from the unauthenticated total to its user; dropping it gives
//! everything back. The tables only hold live connections, so their size is
//! bounded by the limits themselves.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::ClientKey;

/// The numbers the limiter enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionLimits {
    /// Connections from one client address (an IPv6 prefix counts as one
    /// address), logged in or not.
    pub per_address: usize,
    /// Connections not yet logged in, all addresses together.
    pub unauthenticated: usize,
    /// Logged-in sessions of one user.
    pub per_user: usize,
}

/// Why a connection or a login was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The client's address has as many connections as allowed.
    #[error("too many connections from your address")]
    TooManyFromAddress,
    /// The server has as many connections waiting to log in as allowed.
    #[error("too many connections waiting to log in")]
    TooManyUnauthenticated,
    /// The user has as many sessions as allowed.
    #[error("too many sessions for this user")]
    TooManySessions,
}

#[derive(Debug, Default)]
struct Counts {
    per_address: HashMap<ClientKey, usize>,
    unauthenticated: usize,
    per_user: HashMap<String, usize>,
}

/// Counts connections against [`ConnectionLimits`]; cheap to clone (shared state).
#[derive(Debug, Clone)]
pub struct ConnectionLimiter {
    limits: ConnectionLimits,
    counts: Arc<Mutex<Counts>>,
}

impl ConnectionLimiter {
    /// A limiter with no connections yet.
    pub fn new(limits: ConnectionLimits) -> Self {
        Self {
            limits,
            counts: Arc::default(),
        }
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        // The counts stay consistent under a panic elsewhere: every update is
        // a single step.
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Admits a new, unauthenticated connection from `client`, or says which
    /// limit it is over. Costs one lock and one map look-up.
    pub fn connect(&self, client: ClientKey) -> Result<ConnectionPermit, Refusal> {
        let mut counts = self.counts();
        let from_address = counts.per_address.get(&client).copied().unwrap_or(0);
        if from_address >= self.limits.per_address {
            return Err(Refusal::TooManyFromAddress);
        }
        if counts.unauthenticated >= self.limits.unauthenticated {
            return Err(Refusal::TooManyUnauthenticated);
        }
        *counts.per_address.entry(client).or_insert(0) += 1;
        counts.unauthenticated += 1;
        Ok(ConnectionPermit {
            limiter: self.clone(),
            client,
            user: None,
        })
    }

    /// Connections from `client` now.
    pub fn connections_from(&self, client: ClientKey) -> usize {
        self.counts().per_address.get(&client).copied().unwrap_or(0)
    }

    /// Connections not logged in now.
    pub fn unauthenticated(&self) -> usize {
        self.counts().unauthenticated
    }

    /// Logged-in sessions of `user` now.
    pub fn sessions_of(&self, user: &str) -> usize {
        self.counts().per_user.get(user).copied().unwrap_or(0)
    }
}

/// One connection's place in the counts; given back when dropped.
#[derive(Debug)]
pub struct ConnectionPermit {
    limiter: ConnectionLimiter,
    client: ClientKey,
    /// The user, once logged in.
    user: Option<String>,
}

impl ConnectionPermit {
    /// The client the permit counts against.
    pub fn client(&self) -> ClientKey {
        self.client
    }

    /// The user logged in on this connection, if any.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Moves the connection from the unauthenticated total to `user`'s
    /// sessions, unless the user has as many as allowed (then nothing
    /// changes). Logging in again on a logged-in permit is refused too.
    pub fn log_in(&mut self, user: &str) -> Result<(), Refusal> {
        if self.user.is_some() {
            return Err(Refusal::TooManySessions);
        }
        let limit = self.limiter.limits.per_user;
        let mut counts = self.limiter.counts();
        let sessions = counts.per_user.get(user).copied().unwrap_or(0);
        if sessions >= limit {
            return Err(Refusal::TooManySessions);
        }
        *counts.per_user.entry(user.to_owned()).or_insert(0) += 1;
        counts.unauthenticated = counts.unauthenticated.saturating_sub(1);
        drop(counts);
        self.user = Some(user.to_owned());
        Ok(())
    }
}

impl ConnectionPermit {
    /// Undoes [`log_in`](Self::log_in) when the login could not be completed
    /// after all (the maildrop is locked or cannot be opened): the connection
    /// counts as unauthenticated again (even past that limit, briefly: it was
    /// admitted already).
    pub fn log_out(&mut self) {
        let Some(user) = self.user.take() else {
            return;
        };
        let mut counts = self.limiter.counts();
        release_user(&mut counts, &user);
        counts.unauthenticated += 1;
    }
}

fn release_user(counts: &mut Counts, user: &str) {
    if let Some(n) = counts.per_user.get_mut(user) {
        *n -= 1;
        if *n == 0 {
            counts.per_user.remove(user);
        }
    }
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let mut counts = self.limiter.counts();
        if let Some(n) = counts.per_address.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                counts.per_address.remove(&self.client);
            }
        }
        match self.user.take() {
            Some(user) => release_user(&mut counts, &user),
            None => counts.unauthenticated = counts.unauthenticated.saturating_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::*;

    fn key(last: u8) -> ClientKey {
        ClientKey::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, last)), 64)
    }

    fn limiter(per_address: usize, unauthenticated: usize, per_user: usize) -> ConnectionLimiter {
        ConnectionLimiter::new(ConnectionLimits {
            per_address,
            unauthenticated,
            per_user,
        })
    }

    #[test]
    fn per_address_limit_and_release() {
        let l = limiter(2, 100, 10);
        let a = l.connect(key(1)).unwrap();
        let _b = l.connect(key(1)).unwrap();
        assert_eq!(l.connect(key(1)).unwrap_err(), Refusal::TooManyFromAddress);
        // Another address is not affected.
        let _c = l.connect(key(2)).unwrap();
        drop(a);
        assert_eq!(l.connections_from(key(1)), 1);
        let _d = l.connect(key(1)).unwrap();
    }

    #[test]
    fn unauthenticated_total_and_login_frees_a_place() {
        let l = limiter(10, 2, 10);
        let mut a = l.connect(key(1)).unwrap();
        let _b = l.connect(key(2)).unwrap();
        assert_eq!(
            l.connect(key(3)).unwrap_err(),
            Refusal::TooManyUnauthenticated
        );
        a.log_in("alice").unwrap();
        assert_eq!(l.unauthenticated(), 1);
        assert_eq!(l.sessions_of("alice"), 1);
        let _c = l.connect(key(3)).unwrap();
        drop(a);
        assert_eq!(l.sessions_of("alice"), 0);
        assert_eq!(l.connections_from(key(1)), 0);
    }

    #[test]
    fn per_user_limit() {
        let l = limiter(10, 10, 1);
        let mut a = l.connect(key(1)).unwrap();
        let mut b = l.connect(key(2)).unwrap();
        a.log_in("alice").unwrap();
        assert_eq!(b.log_in("alice").unwrap_err(), Refusal::TooManySessions);
        // A refused login leaves the permit unauthenticated.
        assert_eq!(l.unauthenticated(), 1);
        assert_eq!(b.user(), None);
        b.log_in("bob").unwrap();
        b.log_out();
        assert_eq!((l.unauthenticated(), l.sessions_of("bob")), (1, 0));
        b.log_in("bob").unwrap();
        drop(a);
        let mut c = l.connect(key(3)).unwrap();
        c.log_in("alice").unwrap();
        drop((b, c));
        assert_eq!(l.unauthenticated(), 0);
        assert_eq!(l.counts().per_user.len(), 0);
        assert_eq!(l.counts().per_address.len(), 0);
    }
}
