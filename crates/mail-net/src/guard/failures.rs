//! Failed logins tracked across connections: per client address and per
//! user name, with delays that grow with each failure and decay when the
//! failures stop, in tables of bounded size.
//!
//! - **Per address**, attempts are *spaced*: once an address has failed, each
//!   further attempt from it gets the next free slot, one current delay after
//!   the previous slot. Twenty parallel connections from one address therefore
//!   guess no faster than one. A successful login clears the address. (An
//!   address with no failure is not slowed at all, so its first parallel
//!   burst, at most its connection limit, goes through at once: the price of
//!   letting a mail client open several connections and log in on each
//!   without waiting.) A successful login clears the address only when
//!   every failure it counts was for the name that just logged in: the
//!   person who mistyped her own password starts afresh, while an attacker
//!   who holds an account of her own cannot wipe her guesses at others by
//!   logging in to it between them.
//! - **Per user name**, each attempt waits the current delay, without
//!   spacing: an attacker guessing one user's password from many addresses
//!   slows every attempt on that name, the real user's included, but only up
//!   to the (low) cap, and cannot push her into a queue that grows.
//! - **Decay**: each `decay` of quiet (no failure) takes one doubling off; an
//!   entry back at zero is forgotten.
//! - **Bounds**: each table holds at most its capacity; when full, the entry
//!   created longest ago is dropped. User names are kept as 64-bit keyed
//!   hashes, so long names cost nothing extra.
//!
//! The delay is served *before* the credentials are checked, so a client
//! cannot learn the outcome of a guess sooner by hanging up and reconnecting,
//! and success and failure answers come equally fast.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

use super::ClientKey;

/// How the delay of one table grows and decays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailureDelays {
    /// Delay after the first failure; it doubles with each further one.
    pub first: Duration,
    /// The most it grows to.
    pub max: Duration,
    /// Quiet time that takes one doubling off (the delay halves, down to
    /// nothing).
    pub decay: Duration,
}

impl FailureDelays {
    /// Delays from `first`, doubling up to `max`, one doubling off per `decay`.
    pub fn new(first: Duration, max: Duration, decay: Duration) -> Self {
        Self { first, max, decay }
    }

    /// The delay at `level` failures (after decay).
    pub fn delay(&self, level: u32) -> Duration {
        match level {
            0 => Duration::ZERO,
            n => self
                .first
                .saturating_mul(1u32 << (n - 1).min(31))
                .min(self.max),
        }
    }

    /// The level at which the delay reaches its maximum: counting further
    /// failures would only make the decay slower.
    fn top_level(&self) -> u32 {
        (1..32).find(|&l| self.delay(l) >= self.max).unwrap_or(32)
    }
}

/// What the tracker tracks and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailureConfig {
    /// Delays per client address (spaced across connections).
    pub per_address: FailureDelays,
    /// Delays per user name (not spaced; keep the cap low).
    pub per_user: FailureDelays,
    /// Most addresses tracked at once (0: none).
    pub max_addresses: usize,
    /// Most user names tracked at once (0: none).
    pub max_users: usize,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Failures counted, after decay.
    level: u32,
    /// When `level` was last brought up to date.
    since: Instant,
    /// The earliest instant the next attempt may be checked (per address).
    next_slot: Instant,
    /// Insertion number, to match the eviction queue.
    serial: u64,
    /// The names the counted failures were for (address table only).
    names: FailedNames,
}

/// Which user names an address's counted failures were for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailedNames {
    /// None yet.
    None,
    /// All for this one (keyed hash of the name).
    One(u64),
    /// More than one name.
    Several,
}

impl FailedNames {
    fn add(self, name: u64) -> Self {
        match self {
            Self::None => Self::One(name),
            Self::One(n) if n == name => self,
            _ => Self::Several,
        }
    }
}

impl Entry {
    /// Takes one level off per `decay` elapsed since `since`.
    fn decay(&mut self, now: Instant, decay: Duration) {
        if self.level == 0 {
            return;
        }
        let elapsed = now.saturating_duration_since(self.since);
        let steps = match decay.as_nanos() {
            0 => u128::MAX,
            d => elapsed.as_nanos() / d,
        };
        if steps >= u128::from(self.level) {
            self.level = 0;
        } else {
            // steps < level <= 32: the casts are exact.
            self.level -= steps as u32;
            self.since += decay * steps as u32;
        }
    }
}

/// One bounded table.
#[derive(Debug)]
struct Table<K> {
    delays: FailureDelays,
    capacity: usize,
    map: HashMap<K, Entry>,
    /// Keys in insertion order, with the serial they were inserted with.
    order: VecDeque<(K, u64)>,
    serial: u64,
}

impl<K: Hash + Eq + Copy> Table<K> {
    fn new(delays: FailureDelays, capacity: usize) -> Self {
        Self {
            delays,
            capacity,
            map: HashMap::new(),
            order: VecDeque::new(),
            serial: 0,
        }
    }

    /// The key's entry brought up to date, if it still counts.
    fn current(&mut self, key: K, now: Instant) -> Option<&mut Entry> {
        let entry = self.map.get_mut(&key)?;
        entry.decay(now, self.delays.decay);
        if entry.level == 0 && entry.next_slot <= now {
            self.map.remove(&key);
            return None;
        }
        self.map.get_mut(&key)
    }

    /// The key's entry, created (evicting the oldest when full) if missing.
    fn entry(&mut self, key: K, now: Instant) -> Option<&mut Entry> {
        if self.current(key, now).is_none() {
            if self.capacity == 0 {
                return None;
            }
            while self.map.len() >= self.capacity {
                let Some((old, serial)) = self.order.pop_front() else {
                    break;
                };
                if self.map.get(&old).is_some_and(|e| e.serial == serial) {
                    self.map.remove(&old);
                }
            }
            self.serial += 1;
            self.map.insert(
                key,
                Entry {
                    level: 0,
                    since: now,
                    next_slot: now,
                    serial: self.serial,
                    names: FailedNames::None,
                },
            );
            self.order.push_back((key, self.serial));
            // Keys removed by decay or success leave stale places behind:
            // sweep them out before the queue outgrows the table.
            if self.order.len() > 2 * self.capacity + 16 {
                let map = &self.map;
                self.order
                    .retain(|(k, s)| map.get(k).is_some_and(|e| e.serial == *s));
            }
        }
        self.map.get_mut(&key)
    }

    /// Counts a failure for the user name keyed `name`.
    fn fail(&mut self, key: K, name: u64, now: Instant) {
        let (delays, top) = (self.delays, self.delays.top_level());
        if let Some(e) = self.entry(key, now) {
            e.level = (e.level + 1).min(top);
            e.since = now;
            e.next_slot = e.next_slot.max(now + delays.delay(e.level));
            e.names = e.names.add(name);
        }
    }
}

#[derive(Debug)]
struct Tables {
    addresses: Table<ClientKey>,
    users: Table<u64>,
}

/// Failed logins per address and per user name, shared by every connection
/// of a server (cheap to clone).
#[derive(Debug, Clone)]
pub struct FailureTracker {
    tables: Arc<Mutex<Tables>>,
    /// Keys user names; random per tracker, so no one can aim at a collision.
    hasher: RandomState,
}

impl FailureTracker {
    /// An empty tracker.
    pub fn new(config: FailureConfig) -> Self {
        Self {
            tables: Arc::new(Mutex::new(Tables {
                addresses: Table::new(config.per_address, config.max_addresses),
                users: Table::new(config.per_user, config.max_users),
            })),
            hasher: RandomState::new(),
        }
    }

    fn tables(&self) -> MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// User names compare without ASCII case, so `Alice` and `alice` share
    /// one entry whatever the backend does with case.
    fn user_key(&self, user: &str) -> u64 {
        self.hasher.hash_one(
            user.bytes()
                .map(|b| b.to_ascii_lowercase())
                .collect::<Vec<u8>>(),
        )
    }

    /// How long a login attempt from `client` as `user` must wait before its
    /// credentials are checked; takes the address's next slot.
    pub fn admit(&self, client: ClientKey, user: &str) -> Duration {
        self.admit_at(client, user, Instant::now())
    }

    /// [`admit`](Self::admit) at `now`.
    pub fn admit_at(&self, client: ClientKey, user: &str, now: Instant) -> Duration {
        let user = self.user_key(user);
        let mut tables = self.tables();
        let mut wait = Duration::ZERO;
        let address_delays = tables.addresses.delays;
        if let Some(e) = tables.addresses.current(client, now)
            && e.level > 0
        {
            let slot = e.next_slot.max(now);
            wait = slot - now;
            e.next_slot = slot + address_delays.delay(e.level);
        }
        let user_delays = tables.users.delays;
        if let Some(e) = tables.users.current(user, now) {
            wait = wait.max(user_delays.delay(e.level));
        }
        wait
    }

    /// Counts a failed login from `client` as `user`.
    pub fn failed(&self, client: ClientKey, user: &str) {
        self.failed_at(client, user, Instant::now());
    }

    /// [`failed`](Self::failed) at `now`.
    pub fn failed_at(&self, client: ClientKey, user: &str, now: Instant) {
        let user = self.user_key(user);
        let mut tables = self.tables();
        tables.addresses.fail(client, user, now);
        tables.users.fail(user, user, now);
    }

    /// A login from `client` as `user` succeeded. The address starts afresh
    /// if all its counted failures were for `user` (she mistyped her own
    /// password); failures for other names stay and decay, or an attacker
    /// with an account of her own could clear her address by logging in to
    /// it between guesses at other users' passwords. (The user name's entry
    /// stays and decays too: a success from elsewhere must not clear the way
    /// for an attacker guessing that name.)
    pub fn succeeded(&self, client: ClientKey, user: &str) {
        let user = self.user_key(user);
        let mut tables = self.tables();
        let addresses = &mut tables.addresses;
        if addresses.map.get(&client).is_some_and(|e| {
            matches!(e.names, FailedNames::None) || e.names == FailedNames::One(user)
        }) {
            addresses.map.remove(&client);
        }
    }

    /// Failures counted for `client` now (after decay).
    pub fn address_level(&self, client: ClientKey) -> u32 {
        self.address_level_at(client, Instant::now())
    }

    fn address_level_at(&self, client: ClientKey, now: Instant) -> u32 {
        self.tables()
            .addresses
            .current(client, now)
            .map_or(0, |e| e.level)
    }

    /// Entries held: (addresses, user names).
    pub fn tracked(&self) -> (usize, usize) {
        let tables = self.tables();
        (tables.addresses.map.len(), tables.users.map.len())
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn key(n: u32) -> ClientKey {
        ClientKey::new(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n)), 64)
    }

    fn tracker(max_addresses: usize, max_users: usize) -> FailureTracker {
        FailureTracker::new(FailureConfig {
            per_address: FailureDelays::new(100 * MS, 1000 * MS, 10_000 * MS),
            per_user: FailureDelays::new(10 * MS, 40 * MS, 1000 * MS),
            max_addresses,
            max_users,
        })
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let d = FailureDelays::new(100 * MS, 1000 * MS, MS);
        let got: Vec<_> = (0..7).map(|l| d.delay(l)).collect();
        let want = [0, 100, 200, 400, 800, 1000, 1000].map(|m| m * MS);
        assert_eq!(got, want);
        assert_eq!(d.top_level(), 5);
        assert_eq!(d.delay(u32::MAX), 1000 * MS);
    }

    #[test]
    fn a_clean_address_waits_nothing() {
        let t = tracker(10, 10);
        assert_eq!(t.admit(key(1), "alice"), Duration::ZERO);
        assert_eq!(t.tracked(), (0, 0));
    }

    #[test]
    fn attempts_from_one_address_are_spaced() {
        let t = tracker(10, 10);
        let now = Instant::now();
        t.failed_at(key(1), "x", now);
        // Ten attempts at once from the same address: each a slot later.
        let waits: Vec<_> = (0..10)
            .map(|i| t.admit_at(key(1), &format!("u{i}"), now))
            .collect();
        let want: Vec<_> = (1..=10).map(|i| i * 100 * MS).collect();
        assert_eq!(waits, want);
        // Another address is not slowed.
        assert_eq!(t.admit_at(key(2), "u", now), Duration::ZERO);
    }

    #[test]
    fn sequential_failures_double() {
        let t = tracker(10, 0);
        let mut now = Instant::now();
        for want in [0, 100, 200, 400, 800, 1000, 1000] {
            let wait = t.admit_at(key(1), "alice", now);
            assert_eq!(wait, want * MS);
            now += wait;
            t.failed_at(key(1), "alice", now);
        }
    }

    #[test]
    fn success_clears_the_address_not_the_user() {
        let t = tracker(10, 10);
        let now = Instant::now();
        for _ in 0..3 {
            t.failed_at(key(1), "alice", now);
        }
        t.succeeded(key(1), "Alice");
        assert_eq!(t.address_level_at(key(1), now), 0);
        // The name still costs its (capped) delay, from anywhere.
        assert_eq!(t.admit_at(key(9), "ALICE", now), 40 * MS);
    }

    #[test]
    fn success_as_another_name_keeps_the_address() {
        let t = tracker(10, 10);
        let now = Instant::now();
        t.failed_at(key(1), "alice", now);
        t.failed_at(key(1), "mallory", now);
        // Mallory's own login does not wipe her guess at alice's password...
        t.succeeded(key(1), "mallory");
        assert_eq!(t.address_level_at(key(1), now), 2);
        // ...nor does one only for alice's name when a third name failed.
        t.succeeded(key(1), "alice");
        assert_eq!(t.address_level_at(key(1), now), 2);
        // An address whose failures were all for one other name keeps them.
        t.failed_at(key(2), "alice", now);
        t.succeeded(key(2), "mallory");
        assert_eq!(t.address_level_at(key(2), now), 1);
    }

    #[test]
    fn the_user_delay_is_capped_and_not_queued() {
        let t = tracker(1000, 10);
        let now = Instant::now();
        // A thousand failures on one name from a thousand addresses...
        for i in 0..1000 {
            t.failed_at(key(i), "alice", now);
        }
        // ...cost the real user, from her own address, the cap and no more,
        // however many attempts are waiting.
        for _ in 0..100 {
            assert_eq!(t.admit_at(key(5000), "alice", now), 40 * MS);
        }
    }

    #[test]
    fn levels_decay_and_entries_are_forgotten() {
        let t = tracker(10, 10);
        let now = Instant::now();
        for _ in 0..10 {
            t.failed_at(key(1), "alice", now);
        }
        // Capped at the level where the delay is at its maximum.
        assert_eq!(t.address_level_at(key(1), now), 5);
        let later = now + 20_000 * MS;
        assert_eq!(t.address_level_at(key(1), later), 3);
        assert_eq!(t.admit_at(key(1), "bob", later), Duration::ZERO);
        let quiet = now + 60_000 * MS;
        assert_eq!(t.admit_at(key(1), "alice", quiet), Duration::ZERO);
        assert_eq!(t.tracked(), (0, 0));
    }

    #[test]
    fn tables_are_bounded() {
        let t = tracker(100, 50);
        let now = Instant::now();
        for i in 0..10_000 {
            t.failed_at(key(i), &format!("user{i}"), now);
        }
        assert_eq!(t.tracked(), (100, 50));
        // The newest entries are the ones kept.
        assert_eq!(t.address_level_at(key(9_999), now), 1);
        assert_eq!(t.address_level_at(key(0), now), 0);
        // The eviction queue does not grow either.
        assert!(t.tables().addresses.order.len() <= 2 * 100 + 16);
    }
}
