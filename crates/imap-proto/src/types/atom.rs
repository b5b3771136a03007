//! Tags and atoms: the unquoted tokens of IMAP.

use std::fmt;

use bytes::Bytes;

use super::{is_atom_char, is_tag_char};
use crate::error::ValueError;

/// Checks `value` is non-empty and every octet passes `ok`.
fn check(value: &[u8], what: &'static str, ok: fn(u8) -> bool) -> Result<(), ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty { what });
    }
    match value.iter().position(|&b| !ok(b)) {
        Some(index) => Err(ValueError::InvalidOctet {
            what,
            octet: value[index],
            index,
        }),
        None => Ok(()),
    }
}

/// The text of a value checked to be ASCII.
fn ascii(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_default()
}

/// A command tag: one or more `ASTRING-CHAR`s except `+` (RFC 3501 §9,
/// `tag`). Compared exactly (tags are case-sensitive).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(Bytes);

impl Tag {
    /// Validates a tag.
    pub fn new(tag: impl Into<Bytes>) -> Result<Self, ValueError> {
        let tag = tag.into();
        check(&tag, "tag", is_tag_char)?;
        Ok(Self(tag))
    }

    /// A value the grammar already checked.
    pub(crate) fn from_checked(bytes: Bytes) -> Self {
        Self(bytes)
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The tag as text (always ASCII).
    pub fn as_str(&self) -> &str {
        ascii(&self.0)
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({})", self.as_str())
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An atom: one or more `ATOM-CHAR`s (RFC 3501 §9, `atom`): printable ASCII
/// except `(`, `)`, `{`, SP, `%`, `*`, `"`, `\` and `]`.
///
/// Equality is exact; use [`Atom::eq_ignore_ascii_case`] where the grammar
/// is case-insensitive (command names, capabilities, keywords).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom(Bytes);

impl Atom {
    /// Validates an atom.
    pub fn new(atom: impl Into<Bytes>) -> Result<Self, ValueError> {
        let atom = atom.into();
        check(&atom, "atom", is_atom_char)?;
        Ok(Self(atom))
    }

    /// A value the grammar already checked.
    pub(crate) fn from_checked(bytes: Bytes) -> Self {
        Self(bytes)
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The atom as text (always ASCII).
    pub fn as_str(&self) -> &str {
        ascii(&self.0)
    }

    /// Case-insensitive comparison with `other`.
    pub fn eq_ignore_ascii_case(&self, other: &[u8]) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

impl fmt::Debug for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Atom({})", self.as_str())
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<&str> for Atom {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Self::new(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl TryFrom<&str> for Tag {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Self::new(Bytes::copy_from_slice(s.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        for ok in ["A001", "a.b", "x]", "1", "~tag!"] {
            assert_eq!(Tag::try_from(ok).unwrap().as_str(), ok);
        }
        let bad: &[(&str, ValueError)] = &[
            ("", ValueError::Empty { what: "tag" }),
            (
                "A+1",
                ValueError::InvalidOctet {
                    what: "tag",
                    octet: b'+',
                    index: 1,
                },
            ),
            (
                "A 1",
                ValueError::InvalidOctet {
                    what: "tag",
                    octet: b' ',
                    index: 1,
                },
            ),
            (
                "A*",
                ValueError::InvalidOctet {
                    what: "tag",
                    octet: b'*',
                    index: 1,
                },
            ),
            (
                "\"",
                ValueError::InvalidOctet {
                    what: "tag",
                    octet: b'"',
                    index: 0,
                },
            ),
            (
                "a\r",
                ValueError::InvalidOctet {
                    what: "tag",
                    octet: b'\r',
                    index: 1,
                },
            ),
            (
                "ä",
                ValueError::InvalidOctet {
                    what: "tag",
                    octet: 0xc3,
                    index: 0,
                },
            ),
        ];
        for (input, err) in bad {
            assert_eq!(Tag::try_from(*input).as_ref(), Err(err), "{input:?}");
        }
    }

    #[test]
    fn atoms() {
        for ok in ["FETCH", "$Forwarded", "BODY.PEEK", "+", "a~b"] {
            assert_eq!(Atom::try_from(ok).unwrap().to_string(), ok);
        }
        for bad in [
            "", "a]", "a b", "(", ")", "{", "%", "*", "\\Seen", "\"", "\x7f", "\x00",
        ] {
            assert!(Atom::try_from(bad).is_err(), "{bad:?}");
        }
        assert!(
            Atom::try_from("fetch")
                .unwrap()
                .eq_ignore_ascii_case(b"FETCH")
        );
    }
}
