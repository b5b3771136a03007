//! LIST (RFC 3501 §6.3.8) with LIST-EXTENDED selection and return options
//! (RFC 5258), SPECIAL-USE (RFC 6154), LIST-STATUS (RFC 5819); and the STATUS
//! items (RFC 3501 §6.3.10, RFC 9051, CONDSTORE, STATUS=SIZE RFC 8438,
//! APPENDLIMIT RFC 7889, OBJECTID RFC 8474).

use crate::encode::Writer;
use crate::error::ValueError;
use crate::parse::{Cursor, PResult, values};
use crate::types::{Atom, IString, is_atom_char};

/// `list-char`: an atom character, `%`, `*` or `]`.
pub fn is_list_char(b: u8) -> bool {
    is_atom_char(b) || matches!(b, b'%' | b'*' | b']')
}

/// A LIST / LSUB mailbox pattern (`%` and `*` are wildcards), as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ListPattern(pub IString);

impl ListPattern {
    /// A pattern (no NUL).
    pub fn new(p: impl Into<bytes::Bytes>) -> Result<Self, ValueError> {
        IString::new(p).map(Self)
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.peek() == Some(b'"') || c.at_literal() {
            return Ok(Self(c.string()?));
        }
        let b = c.take_while1(is_list_char, "a mailbox pattern")?;
        IString::new(b)
            .map(Self)
            .map_err(|_| c.error("a mailbox pattern"))
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        e.string_or_atom(&self.0, is_list_char);
    }
}

/// A LIST selection option (RFC 5258 §3, RFC 6154).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListSelect {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `REMOTE`.
    Remote,
    /// `RECURSIVEMATCH`.
    RecursiveMatch,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// Another option, kept as sent.
    Other(Atom),
}

/// A LIST return option (RFC 5258 §3, RFC 6154, RFC 5819).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListReturn {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `CHILDREN`.
    Children,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// `STATUS (items)` (LIST-STATUS).
    Status(Vec<StatusAttr>),
    /// Another option, kept as sent.
    Other(Atom),
}

impl ListSelect {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let a = values::atom(c)?;
        let up = a.as_bytes().to_ascii_uppercase();
        Ok(match &up[..] {
            b"SUBSCRIBED" => Self::Subscribed,
            b"REMOTE" => Self::Remote,
            b"RECURSIVEMATCH" => Self::RecursiveMatch,
            b"SPECIAL-USE" => Self::SpecialUse,
            _ => Self::Other(a),
        })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        let s: &[u8] = match self {
            Self::Subscribed => b"SUBSCRIBED",
            Self::Remote => b"REMOTE",
            Self::RecursiveMatch => b"RECURSIVEMATCH",
            Self::SpecialUse => b"SPECIAL-USE",
            Self::Other(a) => a.as_bytes(),
        };
        e.raw(s);
    }
}

impl ListReturn {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let a = values::atom(c)?;
        let up = a.as_bytes().to_ascii_uppercase();
        Ok(match &up[..] {
            b"SUBSCRIBED" => Self::Subscribed,
            b"CHILDREN" => Self::Children,
            b"SPECIAL-USE" => Self::SpecialUse,
            b"STATUS" => {
                c.sp()?;
                Self::Status(c.list(StatusAttr::parse)?)
            }
            _ => Self::Other(a),
        })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        match self {
            Self::Subscribed => {
                e.raw(b"SUBSCRIBED");
            }
            Self::Children => {
                e.raw(b"CHILDREN");
            }
            Self::SpecialUse => {
                e.raw(b"SPECIAL-USE");
            }
            Self::Status(items) => {
                e.raw(b"STATUS ").list(items, |e, i| i.write(e));
            }
            Self::Other(a) => {
                e.raw(a.as_bytes());
            }
        }
    }
}

/// A STATUS data item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StatusAttr {
    /// `MESSAGES`.
    Messages,
    /// `RECENT` (RFC 3501 only).
    Recent,
    /// `UIDNEXT`.
    UidNext,
    /// `UIDVALIDITY`.
    UidValidity,
    /// `UNSEEN`.
    Unseen,
    /// `DELETED` (RFC 9051).
    Deleted,
    /// `SIZE` (RFC 8438, RFC 9051).
    Size,
    /// `HIGHESTMODSEQ` (RFC 7162).
    HighestModSeq,
    /// `APPENDLIMIT` (RFC 7889).
    AppendLimit,
    /// `MAILBOXID` (RFC 8474).
    MailboxId,
    /// Another item, kept as sent.
    Other(Atom),
}

const STATUS: &[(&[u8], StatusAttr)] = &[
    (b"MESSAGES", StatusAttr::Messages),
    (b"RECENT", StatusAttr::Recent),
    (b"UIDNEXT", StatusAttr::UidNext),
    (b"UIDVALIDITY", StatusAttr::UidValidity),
    (b"UNSEEN", StatusAttr::Unseen),
    (b"DELETED", StatusAttr::Deleted),
    (b"SIZE", StatusAttr::Size),
    (b"HIGHESTMODSEQ", StatusAttr::HighestModSeq),
    (b"APPENDLIMIT", StatusAttr::AppendLimit),
    (b"MAILBOXID", StatusAttr::MailboxId),
];

impl StatusAttr {
    /// Reads one item name.
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let a = values::atom(c)?;
        let up = a.as_bytes().to_ascii_uppercase();
        Ok(STATUS
            .iter()
            .find(|(n, _)| *n == &up[..])
            .map_or(Self::Other(a), |(_, s)| s.clone()))
    }

    /// The name as written.
    pub fn name(&self) -> &[u8] {
        match self {
            Self::Other(a) => a.as_bytes(),
            s => STATUS
                .iter()
                .find(|(_, x)| x == s)
                .map_or(&b""[..], |(n, _)| n),
        }
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        e.raw(self.name());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::encode::written;
    use crate::parse::read_all;

    #[test]
    fn list_items() {
        let p = read_all("foo/%*]", ListPattern::parse).unwrap();
        assert_eq!(written(|e| p.write(e)), "foo/%*]");
        let p = read_all("\"a b\"", ListPattern::parse).unwrap();
        assert_eq!(written(|e| p.write(e)), "\"a b\"");
        let p = ListPattern::new("]x").unwrap();
        assert_eq!(written(|e| p.write(e)), "\"]x\"");
        let r = read_all("status (messages x-foo)", ListReturn::parse).unwrap();
        assert_eq!(written(|e| r.write(e)), "STATUS (MESSAGES x-foo)");
        assert_eq!(
            read_all("special-use", ListSelect::parse).unwrap(),
            ListSelect::SpecialUse
        );
        assert!(read_all("status", ListReturn::parse).is_err());
        assert_eq!(StatusAttr::HighestModSeq.name(), b"HIGHESTMODSEQ");
    }
}
