//! Mailbox names: Unicode text, written in modified UTF-7 or, once
//! UTF8=ACCEPT is enabled (RFC 6855) or with IMAP4rev2, in UTF-8; `INBOX`
//! in any case is the inbox.

use std::fmt;

use super::utf7;
use crate::error::ValueError;

/// How mailbox names travel on this connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MailboxEncoding {
    /// Modified UTF-7 (RFC 3501 §5.1.3), the IMAP4rev1 default.
    #[default]
    ModifiedUtf7,
    /// UTF-8 as is (UTF8=ACCEPT enabled, RFC 6855 §3; IMAP4rev2, RFC 9051
    /// §5.1).
    Utf8,
}

/// A mailbox name as Unicode text.
///
/// `INBOX` is case-insensitive (RFC 3501 §5.1): any casing of it is stored
/// as `INBOX`, so names compare equal exactly when they name the same
/// mailbox. Other names are case-sensitive, and so are names below the
/// inbox (`INBOX/Sub` and `inbox/Sub` differ; servers disagree here). A
/// name cannot contain U+0000 (a literal cannot carry NUL in UTF-8 mode).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MailboxName(String);

impl MailboxName {
    /// A name from its Unicode text.
    pub fn new(name: impl Into<String>) -> Result<Self, ValueError> {
        let name = name.into();
        if let Some(index) = name.find('\0') {
            return Err(ValueError::InvalidOctet {
                what: "mailbox name",
                octet: 0,
                index,
            });
        }
        if name.eq_ignore_ascii_case("INBOX") {
            return Ok(Self::inbox());
        }
        Ok(Self(name))
    }

    /// `INBOX`.
    pub fn inbox() -> Self {
        Self("INBOX".to_owned())
    }

    /// Whether this is the inbox.
    pub fn is_inbox(&self) -> bool {
        self.0 == "INBOX"
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The octets to send (before string quoting): modified UTF-7 or UTF-8.
    pub fn to_wire(&self, encoding: MailboxEncoding) -> Vec<u8> {
        match encoding {
            MailboxEncoding::ModifiedUtf7 => utf7::encode(&self.0).into_bytes(),
            MailboxEncoding::Utf8 => self.0.clone().into_bytes(),
        }
    }

    /// Reads a name as received (the content of the string, unquoted).
    /// Modified UTF-7 must be canonical (see [`utf7::decode`]).
    pub fn from_wire(wire: &[u8], encoding: MailboxEncoding) -> Result<Self, ValueError> {
        let text = match encoding {
            MailboxEncoding::ModifiedUtf7 => utf7::decode(wire)?,
            MailboxEncoding::Utf8 => std::str::from_utf8(wire)
                .map_err(|_| ValueError::InvalidUtf8 {
                    what: "mailbox name",
                })?
                .to_owned(),
        };
        Self::new(text)
    }
}

impl fmt::Debug for MailboxName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MailboxName({:?})", self.0)
    }
}

impl fmt::Display for MailboxName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<&str> for MailboxName {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_is_case_insensitive() {
        for s in ["INBOX", "inbox", "InBoX"] {
            let m = MailboxName::new(s).unwrap();
            assert!(m.is_inbox());
            assert_eq!(m, MailboxName::inbox());
            assert_eq!(m.to_wire(MailboxEncoding::ModifiedUtf7), b"INBOX");
        }
        assert_ne!(
            MailboxName::new("inbox/a").unwrap(),
            MailboxName::new("INBOX/a").unwrap()
        );
        assert!(!MailboxName::new("INBOXES").unwrap().is_inbox());
        assert_eq!(
            MailboxName::from_wire(b"Inbox", MailboxEncoding::Utf8).unwrap(),
            MailboxName::inbox()
        );
    }

    #[test]
    fn wire_forms() {
        let m = MailboxName::new("Entwürfe & Co").unwrap();
        assert_eq!(
            m.to_wire(MailboxEncoding::ModifiedUtf7),
            b"Entw&APw-rfe &- Co"
        );
        assert_eq!(m.to_wire(MailboxEncoding::Utf8), "Entwürfe & Co".as_bytes());
        assert_eq!(
            MailboxName::from_wire(b"Entw&APw-rfe &- Co", MailboxEncoding::ModifiedUtf7).unwrap(),
            m
        );
        assert_eq!(
            MailboxName::from_wire("Entwürfe & Co".as_bytes(), MailboxEncoding::Utf8).unwrap(),
            m
        );
        // In UTF-8 mode `&` is just `&`.
        assert_eq!(
            MailboxName::from_wire(b"&APw-", MailboxEncoding::Utf8)
                .unwrap()
                .as_str(),
            "&APw-"
        );
        assert!(MailboxName::from_wire(b"\xff", MailboxEncoding::Utf8).is_err());
        assert!(MailboxName::from_wire("ü".as_bytes(), MailboxEncoding::ModifiedUtf7).is_err());
        assert!(MailboxName::new("a\0b").is_err());
        assert!(MailboxName::from_wire(b"&AAA-", MailboxEncoding::ModifiedUtf7).is_err());
    }
}
