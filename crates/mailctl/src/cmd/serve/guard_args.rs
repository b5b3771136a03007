//! `mailctl serve`'s guard flags: plaintext logins, deadlines, connection
//! limits and failed-login delays. Every flag left out keeps mail-net's
//! default (documented on `mail_net::guard::GuardConfig`).

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context as _, bail};
use mail_net::guard::GuardConfig;
use mail_net::pop3::ServerOptions;

/// The guard flags.
#[derive(Debug, Default, Clone, clap::Args)]
pub(crate) struct GuardArgs {
    /// Accept USER/PASS, APOP and AUTH on the --pop3 port before STLS.
    /// Passwords then cross the network in the clear: allowed on a loopback
    /// address only, unless --force-plaintext-on-network.
    #[arg(long)]
    pub(crate) allow_plaintext_logins: bool,
    /// With --allow-plaintext-logins, allow it on a non-loopback --pop3
    /// address too.
    #[arg(long, requires = "allow_plaintext_logins")]
    pub(crate) force_plaintext_on_network: bool,
    /// Longest a TLS handshake may take [default: 30s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) handshake_timeout: Option<Duration>,
    /// Longest from connecting to a successful login, whatever the traffic
    /// [default: 3m].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) login_timeout: Option<Duration>,
    /// Autologout after this long without a command [default: 10m, the
    /// least RFC 1939 allows].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) idle_timeout: Option<Duration>,
    /// Connections from one address (IPv6: one prefix) [default: 20].
    #[arg(long, value_name = "N")]
    pub(crate) max_connections_per_address: Option<usize>,
    /// Connections not yet logged in, all ports together [default: 256].
    #[arg(long, value_name = "N")]
    pub(crate) max_unauthenticated: Option<usize>,
    /// Logged-in sessions of one user [default: 10].
    #[arg(long, value_name = "N")]
    pub(crate) max_sessions_per_user: Option<usize>,
    /// Delay after an address's first failed login; doubles per failure
    /// [default: 2s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) address_failure_delay: Option<Duration>,
    /// Most an address's failure delay grows to [default: 30s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) address_failure_max_delay: Option<Duration>,
    /// Quiet time that halves an address's failure delay [default: 1m].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) address_failure_decay: Option<Duration>,
    /// Delay after a user name's first failed login; doubles per failure
    /// [default: 1s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) user_failure_delay: Option<Duration>,
    /// Most a user name's failure delay grows to [default: 4s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) user_failure_max_delay: Option<Duration>,
    /// Quiet time that halves a user name's failure delay [default: 30s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) user_failure_decay: Option<Duration>,
    /// Addresses (and, separately, user names) whose failures are
    /// remembered at once [default: 16384].
    #[arg(long, value_name = "N")]
    pub(crate) max_tracked_failures: Option<usize>,
    /// IPv6 clients are counted per prefix of this many bits [default: 56].
    #[arg(long, value_name = "BITS", value_parser = clap::value_parser!(u8).range(0..=128))]
    pub(crate) ipv6_prefix: Option<u8>,
}

impl GuardArgs {
    /// Refuses plaintext logins on a listener other hosts can reach, unless
    /// forced: the passwords would be readable by anyone on the path. Also
    /// refuses the flag without a --pop3 listener, where it would do
    /// nothing (POP3S is TLS from the first byte) and its user would think
    /// it did something.
    pub(crate) fn check_plaintext(&self, pop3: Option<SocketAddr>) -> anyhow::Result<()> {
        if self.allow_plaintext_logins && pop3.is_none() {
            bail!(
                "--allow-plaintext-logins applies to the --pop3 (STLS) listener, and none is \
                 given: --pop3s is TLS from the first byte"
            );
        }
        if let Some(addr) = pop3
            && self.allow_plaintext_logins
            && !self.force_plaintext_on_network
            && !addr.ip().is_loopback()
        {
            bail!(
                "--allow-plaintext-logins on --pop3 {addr}: passwords would cross the network \
                 unencrypted, readable by anyone on the path (RFC 8314 deprecates this). \
                 Listen on a loopback address (127.0.0.1 or ::1), or add \
                 --force-plaintext-on-network to accept that"
            );
        }
        Ok(())
    }

    /// The guards' configuration: the defaults with the flags given.
    pub(crate) fn config(&self) -> anyhow::Result<GuardConfig> {
        let mut c = GuardConfig::default();
        let set = |field: &mut Duration, value: Option<Duration>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        set(&mut c.handshake_timeout, self.handshake_timeout);
        set(&mut c.login_timeout, self.login_timeout);
        let address = &mut c.failures.per_address;
        set(&mut address.first, self.address_failure_delay);
        set(&mut address.max, self.address_failure_max_delay);
        set(&mut address.decay, self.address_failure_decay);
        let user = &mut c.failures.per_user;
        set(&mut user.first, self.user_failure_delay);
        set(&mut user.max, self.user_failure_max_delay);
        set(&mut user.decay, self.user_failure_decay);
        if let Some(n) = self.max_connections_per_address {
            c.limits.per_address = n;
        }
        if let Some(n) = self.max_unauthenticated {
            c.limits.unauthenticated = n;
        }
        if let Some(n) = self.max_sessions_per_user {
            c.limits.per_user = n;
        }
        if let Some(n) = self.max_tracked_failures {
            c.failures.max_addresses = n;
            c.failures.max_users = n;
        }
        if let Some(bits) = self.ipv6_prefix {
            c.ipv6_prefix = bits;
        }
        if c.handshake_timeout.is_zero() || c.login_timeout.is_zero() {
            bail!("--handshake-timeout and --login-timeout must be more than zero");
        }
        Ok(c)
    }

    /// Sets the POP3 options these flags cover.
    pub(crate) fn apply(&self, options: &mut ServerOptions) {
        options.session.allow_plaintext_logins = self.allow_plaintext_logins;
        if let Some(idle) = self.idle_timeout {
            options.idle_timeout = idle;
        }
    }
}

/// A duration: a number and a unit (`ms`, `s`, `m`, `h`), or a bare number
/// of seconds.
pub(crate) fn parse_duration(text: &str) -> anyhow::Result<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .with_context(|| format!("{text:?} is not a duration like 500ms, 30s, 3m or 1h"))?;
    let unit_ms: u64 = match unit {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        other => bail!("unknown unit {other:?} in {text:?}: use ms, s, m or h"),
    };
    let ms = n
        .checked_mul(unit_ms)
        .with_context(|| format!("{text:?} is too long"))?;
    Ok(Duration::from_millis(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ms = Duration::from_millis;
        assert_eq!(parse_duration("500ms").unwrap(), ms(500));
        assert_eq!(parse_duration("30").unwrap(), ms(30_000));
        assert_eq!(parse_duration("30s").unwrap(), ms(30_000));
        assert_eq!(parse_duration("3m").unwrap(), ms(180_000));
        assert_eq!(parse_duration("1h").unwrap(), ms(3_600_000));
        for bad in ["", "s", "1.5s", "-1s", "10x", "99999999999999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn plaintext_logins_stay_on_loopback_unless_forced() {
        let allow = GuardArgs {
            allow_plaintext_logins: true,
            ..GuardArgs::default()
        };
        let any: SocketAddr = "0.0.0.0:110".parse().unwrap();
        let err = allow.check_plaintext(Some(any)).unwrap_err().to_string();
        assert!(err.contains("--force-plaintext-on-network"), "{err}");
        assert!(
            allow
                .check_plaintext(Some("127.0.0.1:110".parse().unwrap()))
                .is_ok()
        );
        assert!(
            allow
                .check_plaintext(Some("[::1]:110".parse().unwrap()))
                .is_ok()
        );
        let err = allow.check_plaintext(None).unwrap_err().to_string();
        assert!(err.contains("--pop3"), "{err}");
        let forced = GuardArgs {
            force_plaintext_on_network: true,
            ..allow
        };
        assert!(forced.check_plaintext(Some(any)).is_ok());
        assert!(GuardArgs::default().check_plaintext(Some(any)).is_ok());
    }
}
