//! `pop3s://user@host[:port]` / `pop3://user@host[:port]` targets, and where
//! the password comes from.

use std::path::Path;

use anyhow::{Context as _, bail};
use mail_net::pop3::Security;
use pop3_proto::Secret;

/// A parsed POP3 URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) user: String,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) security: Security,
}

impl Target {
    /// Parses a URL. `pop3://` means STLS unless `plain` is set.
    pub(crate) fn parse(url: &str, plain: bool) -> anyhow::Result<Self> {
        let (scheme, rest) = url
            .split_once("://")
            .context("URL must start with pop3s:// or pop3://")?;
        let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "pop3s" => (Security::Tls, 995),
            "pop3" if plain => (Security::Plain, 110),
            "pop3" => (Security::StartTls, 110),
            other => bail!("unsupported scheme {other:?}: use pop3s:// or pop3://"),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (user, hostport) = authority
            .rsplit_once('@')
            .context("URL needs a user: pop3s://user@host")?;
        let user = percent_decode(user)?;
        if user.is_empty() {
            bail!("empty user name in URL");
        }
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, after) = v6.split_once(']').context("unterminated [IPv6] address")?;
            let port = match after.strip_prefix(':') {
                Some(p) => p.parse().context("invalid port")?,
                None => default_port,
            };
            (h.to_owned(), port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), p.parse().context("invalid port")?),
                None => (hostport.to_owned(), default_port),
            }
        };
        if host.is_empty() {
            bail!("URL has no host");
        }
        Ok(Self {
            user,
            host,
            port,
            security,
        })
    }

    /// `user@host:port`, for messages and file names.
    pub(crate) fn label(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }
}

fn percent_decode(s: &str) -> anyhow::Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).context("bad %-escape in URL")?;
            out.push(u8::from_str_radix(hex, 16).context("bad %-escape in URL")?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).context("user name is not UTF-8")
}

/// The password: `MAILCTL_PASSWORD`, else `--password-file`, else a prompt
/// on the terminal. Never echoed or printed.
pub(crate) fn password(file: Option<&Path>, target: &Target) -> anyhow::Result<Secret> {
    if let Some(file) = file {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        return Ok(Secret::from(text.trim_end_matches(['\r', '\n']).to_owned()));
    }
    if let Ok(p) = std::env::var("MAILCTL_PASSWORD") {
        return Ok(Secret::from(p));
    }
    let prompt = format!("Password for {}: ", target.label());
    let p = rpassword::prompt_password(prompt)
        .context("no password: set MAILCTL_PASSWORD, use --password-file, or run on a terminal")?;
    Ok(Secret::from(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let t = Target::parse("pop3s://alice@mail.example.com", false).unwrap();
        assert_eq!(
            (t.user.as_str(), t.host.as_str(), t.port, t.security),
            ("alice", "mail.example.com", 995, Security::Tls)
        );
        let t = Target::parse("pop3://bob%40example.com@[::1]:1110", false).unwrap();
        assert_eq!(
            (t.user.as_str(), t.host.as_str(), t.port, t.security),
            ("bob@example.com", "::1", 1110, Security::StartTls)
        );
        assert_eq!(
            Target::parse("pop3://u@h", true).unwrap().security,
            Security::Plain
        );
        assert!(Target::parse("imap://u@h", false).is_err());
        assert!(Target::parse("pop3s://host", false).is_err());
        assert!(Target::parse("pop3s://u@h:99999", false).is_err());
    }
}
