//! Client-side SASL mechanisms (RFC 4422) for POP3 AUTH (RFC 5034), and the
//! trait to plug in others.

use std::fmt;

use crate::apop::hmac_md5;
use crate::command::ApopDigest;
use crate::types::{Mechanism, Secret};

/// A client SASL mechanism, driven by [`ClientSession::authenticate`].
///
/// [`ClientSession::authenticate`]: crate::ClientSession::authenticate
pub trait SaslMechanism: fmt::Debug + Send {
    /// The mechanism's registered name.
    fn mechanism(&self) -> Mechanism;

    /// The initial response (RFC 4959-style "client first"), or `None` if the
    /// mechanism waits for the server's first challenge.
    fn initial_response(&mut self) -> Option<Secret>;

    /// The answer to a server challenge (already base64-decoded). An error
    /// cancels the exchange (`*`).
    fn respond(&mut self, challenge: &[u8]) -> Result<Secret, String>;
}

/// `PLAIN` (RFC 4616): `authzid NUL authcid NUL password` in one response.
#[derive(Clone)]
pub struct Plain {
    authzid: String,
    username: String,
    password: Secret,
}

impl Plain {
    /// PLAIN for `username` with `password`, no authorization identity.
    pub fn new(username: &str, password: Secret) -> Self {
        Self {
            authzid: String::new(),
            username: username.to_owned(),
            password,
        }
    }

    /// Acts as `authzid` (an administrator logging in as another user).
    pub fn with_authzid(mut self, authzid: &str) -> Self {
        authzid.clone_into(&mut self.authzid);
        self
    }

    fn message(&self) -> Secret {
        let mut m = Vec::with_capacity(
            self.authzid.len() + self.username.len() + self.password.expose().len() + 2,
        );
        m.extend_from_slice(self.authzid.as_bytes());
        m.push(0);
        m.extend_from_slice(self.username.as_bytes());
        m.push(0);
        m.extend_from_slice(self.password.expose());
        Secret::from(m)
    }
}

impl fmt::Debug for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plain")
            .field("authzid", &self.authzid)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl SaslMechanism for Plain {
    fn mechanism(&self) -> Mechanism {
        mech(Mechanism::PLAIN)
    }

    fn initial_response(&mut self) -> Option<Secret> {
        Some(self.message())
    }

    fn respond(&mut self, challenge: &[u8]) -> Result<Secret, String> {
        // Only reached when the server ignored the initial response and sent
        // an empty challenge: send the message again.
        if challenge.is_empty() {
            Ok(self.message())
        } else {
            Err("unexpected PLAIN challenge".into())
        }
    }
}

/// `LOGIN` (draft-murchison-sasl-login): user name, then password, each in
/// answer to a challenge (whatever its text: servers word them differently).
#[derive(Clone)]
pub struct Login {
    username: String,
    password: Secret,
    step: u8,
}

impl Login {
    /// LOGIN for `username` with `password`.
    pub fn new(username: &str, password: Secret) -> Self {
        Self {
            username: username.to_owned(),
            password,
            step: 0,
        }
    }
}

impl fmt::Debug for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl SaslMechanism for Login {
    fn mechanism(&self) -> Mechanism {
        mech(Mechanism::LOGIN)
    }

    fn initial_response(&mut self) -> Option<Secret> {
        None
    }

    fn respond(&mut self, _challenge: &[u8]) -> Result<Secret, String> {
        self.step += 1;
        match self.step {
            1 => Ok(Secret::from(self.username.as_str())),
            2 => Ok(self.password.clone()),
            _ => Err("LOGIN has only two steps".into()),
        }
    }
}

/// `XOAUTH2` (Google, Microsoft): `user=U ^A auth=Bearer TOKEN ^A ^A`. On
/// failure the server sends a JSON error as a challenge; the answer is empty,
/// and the server then ends with `-ERR`.
#[derive(Clone)]
pub struct XOAuth2 {
    username: String,
    token: Secret,
}

impl XOAuth2 {
    /// XOAUTH2 for `username` with an OAuth 2.0 bearer `token`.
    pub fn new(username: &str, token: Secret) -> Self {
        Self {
            username: username.to_owned(),
            token,
        }
    }
}

impl fmt::Debug for XOAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XOAuth2")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl SaslMechanism for XOAuth2 {
    fn mechanism(&self) -> Mechanism {
        mech(Mechanism::XOAUTH2)
    }

    fn initial_response(&mut self) -> Option<Secret> {
        let mut m = Vec::new();
        m.extend_from_slice(b"user=");
        m.extend_from_slice(self.username.as_bytes());
        m.extend_from_slice(b"\x01auth=Bearer ");
        m.extend_from_slice(self.token.expose());
        m.extend_from_slice(b"\x01\x01");
        Some(Secret::from(m))
    }

    fn respond(&mut self, _error_json: &[u8]) -> Result<Secret, String> {
        Ok(Secret::default())
    }
}

/// `CRAM-MD5` (RFC 2195): `user SP hex(HMAC-MD5(password, challenge))`.
#[derive(Clone)]
pub struct CramMd5 {
    username: String,
    password: Secret,
}

impl CramMd5 {
    /// CRAM-MD5 for `username` with `password`.
    pub fn new(username: &str, password: Secret) -> Self {
        Self {
            username: username.to_owned(),
            password,
        }
    }
}

impl fmt::Debug for CramMd5 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CramMd5")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl SaslMechanism for CramMd5 {
    fn mechanism(&self) -> Mechanism {
        mech(Mechanism::CRAM_MD5)
    }

    fn initial_response(&mut self) -> Option<Secret> {
        None
    }

    fn respond(&mut self, challenge: &[u8]) -> Result<Secret, String> {
        let mac = ApopDigest(hmac_md5(self.password.expose(), challenge)).to_hex();
        Ok(Secret::from(format!("{} {mac}", self.username)))
    }
}

fn mech(name: &str) -> Mechanism {
    Mechanism::new(name.as_bytes())
        .unwrap_or_else(|_| unreachable!("built-in mechanism names are valid"))
}

/// Decodes a PLAIN message (server side): `(authzid, authcid, password)`.
pub fn parse_plain(message: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let mut parts = message.splitn(3, |&b| b == 0);
    let authzid = parts.next()?;
    let authcid = parts.next()?;
    let password = parts.next()?;
    (!authcid.is_empty() && !password.contains(&0)).then_some((authzid, authcid, password))
}

/// Decodes an XOAUTH2 message (server side): `(user, bearer token)`.
pub fn parse_xoauth2(message: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut user = None;
    let mut token = None;
    for field in message.split(|&b| b == 1).filter(|f| !f.is_empty()) {
        if let Some(u) = field.strip_prefix(b"user=") {
            user = Some(u);
        } else if let Some(t) = field.strip_prefix(b"auth=Bearer ") {
            token = Some(t);
        }
    }
    Some((user?, token?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_message() {
        let mut p = Plain::new("tim", Secret::from("tanstaaftanstaaf"));
        assert_eq!(
            &p.initial_response().unwrap().expose()[..],
            b"\0tim\0tanstaaftanstaaf"
        );
        assert_eq!(
            parse_plain(b"\0tim\0tanstaaftanstaaf"),
            Some((&b""[..], &b"tim"[..], &b"tanstaaftanstaaf"[..]))
        );
        assert_eq!(parse_plain(b"tim"), None);
    }

    #[test]
    fn cram_md5_rfc2195() {
        let mut m = CramMd5::new("tim", Secret::from("tanstaaftanstaaf"));
        let r = m
            .respond(b"<1896.697170952@postoffice.reston.mci.net>")
            .unwrap();
        assert_eq!(&r.expose()[..], b"tim b913a602c7eda7a495b4e6e7334d3890");
    }

    #[test]
    fn xoauth2_roundtrip_and_debug_hides_token() {
        let mut x = XOAuth2::new(
            "someuser@example.com",
            Secret::from("ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"),
        );
        let ir = x.initial_response().unwrap();
        assert_eq!(
            parse_xoauth2(ir.expose()),
            Some((
                &b"someuser@example.com"[..],
                &b"ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"[..]
            ))
        );
        assert!(!format!("{x:?}").contains("ya29"));
    }
}
