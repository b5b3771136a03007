//! Message flags: system flags, keywords, extension flags and `\*`.

use std::fmt;

use bytes::Bytes;

use super::Atom;
use crate::error::ValueError;

/// A message flag (RFC 3501 §2.3.2, RFC 9051 §2.3.2).
///
/// System flags are recognised case-insensitively and written in their
/// canonical case. Which flags a position accepts is the grammar's concern:
/// `\Recent` only in FETCH and FLAGS responses (IMAP4rev1; gone in rev2), `\*`
/// only in PERMANENTFLAGS.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// `\Answered`.
    Answered,
    /// `\Flagged`.
    Flagged,
    /// `\Deleted`.
    Deleted,
    /// `\Seen`.
    Seen,
    /// `\Draft`.
    Draft,
    /// `\Recent` (IMAP4rev1 only; never stored by a client).
    Recent,
    /// `\*`: new keywords may be created (PERMANENTFLAGS only).
    Wildcard,
    /// A keyword: an atom without `\` (`$Forwarded`, `$MDNSent`, `NonJunk`).
    Keyword(Atom),
    /// Another `\`-flag (`\Important` and other future system flags); the
    /// atom after the `\`.
    Extension(Atom),
}

const SYSTEM: &[(&str, Flag)] = &[
    ("Answered", Flag::Answered),
    ("Flagged", Flag::Flagged),
    ("Deleted", Flag::Deleted),
    ("Seen", Flag::Seen),
    ("Draft", Flag::Draft),
    ("Recent", Flag::Recent),
];

impl Flag {
    /// Reads a flag as written on the wire: `\Seen`, `\*`, `$Forwarded`.
    pub fn parse(wire: &[u8]) -> Result<Flag, ValueError> {
        let Some(rest) = wire.strip_prefix(b"\\") else {
            return Atom::new(Bytes::copy_from_slice(wire))
                .map(Flag::Keyword)
                .map_err(|e| rename(e, "keyword"));
        };
        if rest == b"*" {
            return Ok(Flag::Wildcard);
        }
        for (name, flag) in SYSTEM {
            if rest.eq_ignore_ascii_case(name.as_bytes()) {
                return Ok(flag.clone());
            }
        }
        Atom::new(Bytes::copy_from_slice(rest))
            .map(Flag::Extension)
            .map_err(|e| match rename(e, "flag") {
                ValueError::InvalidOctet { what, octet, index } => ValueError::InvalidOctet {
                    what,
                    octet,
                    index: index + 1,
                },
                e => e,
            })
    }

    /// A keyword flag.
    pub fn keyword(name: &str) -> Result<Flag, ValueError> {
        Atom::try_from(name)
            .map(Flag::Keyword)
            .map_err(|e| rename(e, "keyword"))
    }

    /// Whether this is one of the system flags of RFC 3501 (`\Answered` to
    /// `\Recent`).
    pub fn is_system(&self) -> bool {
        matches!(
            self,
            Flag::Answered
                | Flag::Flagged
                | Flag::Deleted
                | Flag::Seen
                | Flag::Draft
                | Flag::Recent
        )
    }
}

fn rename(e: ValueError, to: &'static str) -> ValueError {
    match e {
        ValueError::Empty { .. } => ValueError::Empty { what: to },
        ValueError::InvalidOctet { octet, index, .. } => ValueError::InvalidOctet {
            what: to,
            octet,
            index,
        },
        e => e,
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Wildcard => f.write_str("\\*"),
            Flag::Keyword(a) => f.write_str(a.as_str()),
            Flag::Extension(a) => write!(f, "\\{}", a.as_str()),
            system => {
                let name = SYSTEM
                    .iter()
                    .find(|(_, fl)| fl == system)
                    .map_or("", |(n, _)| n);
                write!(f, "\\{name}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_write() {
        let cases: &[(&[u8], Flag, &str)] = &[
            (b"\\Seen", Flag::Seen, "\\Seen"),
            (b"\\SEEN", Flag::Seen, "\\Seen"),
            (b"\\answered", Flag::Answered, "\\Answered"),
            (b"\\Flagged", Flag::Flagged, "\\Flagged"),
            (b"\\Deleted", Flag::Deleted, "\\Deleted"),
            (b"\\Draft", Flag::Draft, "\\Draft"),
            (b"\\Recent", Flag::Recent, "\\Recent"),
            (b"\\*", Flag::Wildcard, "\\*"),
            (
                b"$Forwarded",
                Flag::keyword("$Forwarded").unwrap(),
                "$Forwarded",
            ),
            (
                b"\\Important",
                Flag::Extension(Atom::try_from("Important").unwrap()),
                "\\Important",
            ),
        ];
        for (wire, flag, text) in cases {
            assert_eq!(&Flag::parse(wire).unwrap(), flag);
            assert_eq!(flag.to_string(), *text);
            assert_eq!(Flag::parse(text.as_bytes()).unwrap(), *flag);
        }
        assert!(Flag::Seen.is_system() && !Flag::Wildcard.is_system());
    }

    #[test]
    fn unsendable_flags_are_refused() {
        assert_eq!(Flag::parse(b""), Err(ValueError::Empty { what: "keyword" }));
        assert_eq!(Flag::parse(b"\\"), Err(ValueError::Empty { what: "flag" }));
        assert_eq!(
            Flag::parse(b"\\S een"),
            Err(ValueError::InvalidOctet {
                what: "flag",
                octet: b' ',
                index: 2
            })
        );
        for bad in [&b"a]"[..], b"*", b"\\**", b"(x", b"x\r", b"\\\\"] {
            assert!(Flag::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Flag::keyword("two words").is_err());
    }
}
