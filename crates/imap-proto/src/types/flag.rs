//! Message flags: system flags, keywords, extension flags and `\*`.

use std::fmt;

use bytes::Bytes;

use super::{Atom, is_atom_char};
use crate::error::ValueError;

/// A keyword's name (`flag-keyword`, RFC 3501 §9 / RFC 9051 §9).
///
/// The grammar makes a keyword an `atom`, so `]` is not allowed in it. Real
/// servers nevertheless send keywords such as `foo]bar` in FLAGS,
/// PERMANENTFLAGS and FETCH FLAGS; the response decoder keeps them (as a
/// quirk, refused when decoding is strict) so they round-trip as received.
///
/// [`Keyword::new`] and `TryFrom<&str>` build only atoms, so a keyword an
/// application makes up can always be sent. [`Keyword::received`] also
/// takes `]`: it is meant for names that came from the server (echoing one
/// back in STORE, APPEND or SEARCH KEYWORD to that same server); a strict
/// peer refuses such a command. [`Keyword::is_atom`] tells the two apart.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Keyword(KeywordRepr);

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeywordRepr {
    /// A valid atom (every keyword built by [`Keyword::new`]).
    Atom(Atom),
    /// Received octets: atom characters and at least one `]`.
    Received(Bytes),
}

impl Keyword {
    /// Validates a keyword: an atom (no `]`, `\`, SP, CTL, `(`, `)`, `{`,
    /// `%`, `*`, `"`).
    pub fn new(name: impl Into<Bytes>) -> Result<Self, ValueError> {
        Atom::new(name)
            .map(|a| Self(KeywordRepr::Atom(a)))
            .map_err(|e| rename(e, "keyword"))
    }

    /// Validates a keyword as servers send it: an atom in which `]` is also
    /// allowed (still no `\`, SP, CTL, `(`, `)`, `{`, `%`, `*`, `"`).
    ///
    /// For names received from a peer; see the type's documentation.
    pub fn received(name: impl Into<Bytes>) -> Result<Self, ValueError> {
        let name = name.into();
        if !name.contains(&b']') {
            return Self::new(name);
        }
        match name.iter().position(|&b| !is_atom_char(b) && b != b']') {
            Some(index) => Err(ValueError::InvalidOctet {
                what: "keyword",
                octet: name[index],
                index,
            }),
            None => Ok(Self(KeywordRepr::Received(name))),
        }
    }

    /// Whether the name is an atom, as the grammar requires (false only for
    /// a name with `]` kept by [`Keyword::received`]).
    pub fn is_atom(&self) -> bool {
        matches!(self.0, KeywordRepr::Atom(_))
    }

    /// The name as an atom, unless it holds `]`.
    pub fn as_atom(&self) -> Option<&Atom> {
        match &self.0 {
            KeywordRepr::Atom(a) => Some(a),
            KeywordRepr::Received(_) => None,
        }
    }

    /// The octets, as received or constructed.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            KeywordRepr::Atom(a) => a.as_bytes(),
            KeywordRepr::Received(b) => b,
        }
    }

    /// The name as text (always ASCII).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// Case-insensitive comparison with `other` (keywords are compared
    /// case-insensitively by servers).
    pub fn eq_ignore_ascii_case(&self, other: &[u8]) -> bool {
        self.as_bytes().eq_ignore_ascii_case(other)
    }
}

impl From<Atom> for Keyword {
    fn from(atom: Atom) -> Self {
        Self(KeywordRepr::Atom(atom))
    }
}

impl TryFrom<&str> for Keyword {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Self::new(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl fmt::Debug for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Keyword({})", self.as_str())
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// A keyword: an atom without `\` (`$Forwarded`, `$MDNSent`, `NonJunk`);
    /// one received from a server may also hold `]` (see [`Keyword`]).
    Keyword(Keyword),
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
            return Keyword::new(Bytes::copy_from_slice(wire)).map(Flag::Keyword);
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

    /// Reads a flag as a server may send it: like [`Flag::parse`], but a
    /// keyword may also hold `]` (see [`Keyword::received`]).
    pub fn parse_received(wire: &[u8]) -> Result<Flag, ValueError> {
        if !wire.starts_with(b"\\") && wire.contains(&b']') {
            return Keyword::received(Bytes::copy_from_slice(wire)).map(Flag::Keyword);
        }
        Flag::parse(wire)
    }

    /// A keyword flag.
    pub fn keyword(name: &str) -> Result<Flag, ValueError> {
        Keyword::try_from(name).map(Flag::Keyword)
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
    fn received_keywords_may_hold_a_bracket() {
        let k = Keyword::received(Bytes::from_static(b"foo]bar")).unwrap();
        assert!(!k.is_atom() && k.as_atom().is_none());
        assert_eq!(k.as_bytes(), b"foo]bar");
        assert_eq!(Flag::Keyword(k.clone()).to_string(), "foo]bar");
        assert_eq!(Flag::parse_received(b"foo]bar"), Ok(Flag::Keyword(k)));
        // Without `]` it is the same value as a constructed keyword.
        assert_eq!(
            Keyword::received(Bytes::from_static(b"$Junk")),
            Keyword::try_from("$Junk")
        );
        assert!(Keyword::try_from("$Junk").unwrap().is_atom());
        for bad in [
            &b""[..],
            b"a] b",
            b"a](",
            b"]{",
            b"a]%",
            b"a]*",
            b"a]\"",
            b"a]\\",
            b"a]\r",
            b"a]\xff",
        ] {
            assert!(
                Keyword::received(Bytes::copy_from_slice(bad)).is_err(),
                "{bad:?}"
            );
        }
        assert_eq!(
            Keyword::received(Bytes::from_static(b"a]%")),
            Err(ValueError::InvalidOctet {
                what: "keyword",
                octet: b'%',
                index: 2
            })
        );
        // Constructors for what an application sends refuse `]`.
        assert!(Keyword::try_from("a]").is_err());
        assert!(Keyword::new(Bytes::from_static(b"a]")).is_err());
        assert!(Flag::parse_received(b"\\a]").is_err());
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
