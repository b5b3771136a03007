//! Time limits on one connection: a login deadline that traffic cannot
//! extend, a shorter one for each TLS handshake, and the idle timeout.
//!
//! A plain read timeout restarts with every byte, so a client trickling one
//! byte a minute holds a connection for ever; the deadlines here are fixed
//! instants taken when the connection was accepted. After login only the idle
//! timeout is left (a logged-in user may take as long as the protocol allows).
//!
//! All instants are [`tokio::time::Instant`], so tests may pause the clock.

use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, timeout_at};

/// Which limit ended a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Expired {
    /// A TLS handshake took longer than the handshake timeout.
    #[error("the TLS handshake did not finish in time")]
    Handshake,
    /// The client was not logged in by the login deadline.
    #[error("the client did not log in before the login deadline")]
    Login,
    /// Nothing arrived (or nothing could be sent) for the idle timeout.
    #[error("the client was idle too long")]
    Idle,
}

/// The time limits of one connection.
#[derive(Debug, Clone)]
pub struct Deadline {
    /// The fixed instant by which the client must be logged in; `None` once
    /// it is.
    login_by: Option<Instant>,
    handshake_timeout: Duration,
    idle_timeout: Duration,
}

impl Deadline {
    /// Limits for a connection that must log in by `login_by`, finish each
    /// TLS handshake within `handshake_timeout`, and is cut after
    /// `idle_timeout` without traffic.
    pub fn new(login_by: Instant, handshake_timeout: Duration, idle_timeout: Duration) -> Self {
        Self {
            login_by: Some(login_by),
            handshake_timeout,
            idle_timeout,
        }
    }

    /// The login deadline, while the client is not logged in.
    pub fn login_by(&self) -> Option<Instant> {
        self.login_by
    }

    /// The client logged in: from now on only the idle timeout applies.
    pub fn logged_in(&mut self) {
        self.login_by = None;
    }

    /// The idle timeout.
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// Runs one read or write: it must finish within the idle timeout and,
    /// before login, by the login deadline.
    pub async fn io<F: Future>(&self, io: F) -> Result<F::Output, Expired> {
        let idle_end = Instant::now() + self.idle_timeout;
        self.run(io, idle_end, Expired::Idle).await
    }

    /// Runs a TLS handshake: it must finish within the handshake timeout
    /// and, before login (STLS), by the login deadline.
    pub async fn handshake<F: Future>(&self, handshake: F) -> Result<F::Output, Expired> {
        let end = Instant::now() + self.handshake_timeout;
        self.run(handshake, end, Expired::Handshake).await
    }

    /// Waits `delay` (a failed-login delay), cut short by the login deadline.
    pub async fn sleep(&self, delay: Duration) -> Result<(), Expired> {
        let until = Instant::now() + delay;
        match self.login_by {
            Some(login_by) if login_by <= until => {
                tokio::time::sleep_until(login_by).await;
                Err(Expired::Login)
            }
            _ => {
                tokio::time::sleep_until(until).await;
                Ok(())
            }
        }
    }

    async fn run<F: Future>(
        &self,
        f: F,
        own_end: Instant,
        own: Expired,
    ) -> Result<F::Output, Expired> {
        let (end, which) = match self.login_by {
            Some(login_by) if login_by <= own_end => (login_by, Expired::Login),
            _ => (own_end, own),
        };
        timeout_at(end, f).await.map_err(|_| which)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadline(login_in: Duration) -> Deadline {
        Deadline::new(
            Instant::now() + login_in,
            Duration::from_secs(30),
            Duration::from_secs(600),
        )
    }

    #[tokio::test(start_paused = true)]
    async fn the_login_deadline_is_not_moved_by_traffic() {
        let d = deadline(Duration::from_secs(180));
        // Each read finishes well within the idle timeout...
        for _ in 0..3 {
            let r = d.io(tokio::time::sleep(Duration::from_secs(50))).await;
            assert_eq!(r, Ok(()));
        }
        // ...but the fourth crosses the fixed login deadline.
        let start = Instant::now();
        let r = d.io(tokio::time::sleep(Duration::from_secs(50))).await;
        assert_eq!(r, Err(Expired::Login));
        assert_eq!(start.elapsed(), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn after_login_only_idle_applies() {
        let mut d = deadline(Duration::from_secs(1));
        d.logged_in();
        assert_eq!(d.login_by(), None);
        let r = d.io(tokio::time::sleep(Duration::from_secs(599))).await;
        assert_eq!(r, Ok(()));
        let r = d.io(tokio::time::sleep(Duration::from_secs(601))).await;
        assert_eq!(r, Err(Expired::Idle));
    }

    #[tokio::test(start_paused = true)]
    async fn a_handshake_has_its_own_shorter_limit() {
        let d = deadline(Duration::from_secs(180));
        let start = Instant::now();
        let r = d.handshake(std::future::pending::<()>()).await;
        assert_eq!(r, Err(Expired::Handshake));
        assert_eq!(start.elapsed(), Duration::from_secs(30));
        // Close to the login deadline, that one cuts the handshake first.
        let d = deadline(Duration::from_secs(10));
        assert_eq!(
            d.handshake(std::future::pending::<()>()).await,
            Err(Expired::Login)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_delay_is_cut_by_the_login_deadline() {
        let d = deadline(Duration::from_secs(5));
        assert_eq!(d.sleep(Duration::from_secs(2)).await, Ok(()));
        assert_eq!(d.sleep(Duration::from_secs(10)).await, Err(Expired::Login));
    }
}
