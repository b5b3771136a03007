//! The error types: what the peer got wrong ([`DecodeError`]), which values
//! cannot be sent ([`ValueError`]), and how the application misused the API
//! ([`UsageError`]).

use std::fmt;

/// Bytes from the peer that could not be framed or parsed.
///
/// Carries where (stream offset), what was wrong ([`DecodeErrorKind`]), what
/// the grammar expected there, and the offending octets, escaped and
/// truncated so it can be logged and shown as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at stream offset {offset}: {kind}: expected {expected}, found {found}")]
pub struct DecodeError {
    /// Stream offset (octets since the start of the connection, in the
    /// direction decoded) of the first offending octet.
    pub offset: u64,
    /// What was wrong.
    pub kind: DecodeErrorKind,
    /// What the grammar (or the limits) wanted at that point.
    pub expected: &'static str,
    /// The offending octets, escaped and truncated.
    pub found: Snippet,
}

impl DecodeError {
    /// An error at `offset` showing (a prefix of) `found`.
    pub fn new(offset: u64, kind: DecodeErrorKind, expected: &'static str, found: &[u8]) -> Self {
        Self {
            offset,
            kind,
            expected,
            found: Snippet::new(found),
        }
    }
}

/// The reasons peer bytes are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// A line was longer than the limit (octets including CRLF).
    #[error("line longer than {limit} octets")]
    LineTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A line ended with LF alone where CRLF is required.
    #[error("line ends with a bare LF")]
    BareLineFeed,
    /// A literal announcement whose length does not fit in 64 bits.
    #[error("literal length does not fit in 64 bits")]
    LiteralLengthOverflow,
    /// A literal longer than the limit.
    #[error("literal of {length} octets is larger than the limit of {limit}")]
    LiteralTooLarge {
        /// The announced length.
        length: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A non-synchronizing literal larger than LITERAL- allows (RFC 7888 §5:
    /// 4096 octets); a server answers `BAD [TOOBIG]`.
    #[error("non-synchronizing literal of {length} octets is larger than {limit}")]
    NonSyncLiteralTooLarge {
        /// The announced length.
        length: u64,
        /// The limit in force.
        limit: u64,
    },
    /// More literals in one message than the limit.
    #[error("more than {limit} literals in one message")]
    TooManyLiterals {
        /// The limit in force.
        limit: usize,
    },
    /// A message held more octets (lines and kept literals) than the limit.
    #[error("message larger than {limit} octets")]
    MessageTooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// The message did not have the shape its grammar requires.
    #[error("syntax error")]
    Syntax,
}

/// Octets from the peer, escaped for display and cut after
/// [`Snippet::MAX`] octets.
///
/// Printable ASCII shows as itself; CR, LF, TAB, `"` and `\` as `\r`, `\n`,
/// `\t`, `\"`, `\\`; everything else as `\xNN`. Shown in double quotes, with
/// `...` after the closing quote when the input was longer.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    escaped: String,
    truncated: bool,
}

impl Snippet {
    /// Most octets of the input kept.
    pub const MAX: usize = 48;

    /// Escapes (a prefix of) `bytes`.
    pub fn new(bytes: &[u8]) -> Self {
        let truncated = bytes.len() > Self::MAX;
        let mut escaped = String::with_capacity(Self::MAX.min(bytes.len()) + 8);
        for &b in bytes.iter().take(Self::MAX) {
            match b {
                b'\r' => escaped.push_str("\\r"),
                b'\n' => escaped.push_str("\\n"),
                b'\t' => escaped.push_str("\\t"),
                b'"' => escaped.push_str("\\\""),
                b'\\' => escaped.push_str("\\\\"),
                0x20..=0x7e => escaped.push(char::from(b)),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    escaped.push_str("\\x");
                    escaped.push(char::from(HEX[usize::from(b >> 4)]));
                    escaped.push(char::from(HEX[usize::from(b & 0xf)]));
                }
            }
        }
        Self { escaped, truncated }
    }

    /// The escaped text, without quotes.
    pub fn escaped(&self) -> &str {
        &self.escaped
    }

    /// Whether the input was longer than what is shown.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.escaped)?;
        if self.truncated {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A value that cannot be sent: the constructors of the types in
/// [`crate::types`] refuse it, so a value that exists can always be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The value must not be empty.
    #[error("{what} must not be empty")]
    Empty {
        /// Which kind of value.
        what: &'static str,
    },
    /// An octet that this kind of value cannot contain.
    #[error("{what} cannot contain the octet {octet:#04x} (at index {index})")]
    InvalidOctet {
        /// Which kind of value.
        what: &'static str,
        /// The octet.
        octet: u8,
        /// Its index in the value.
        index: usize,
    },
    /// A number outside the range of its type (0 where 1 or more is needed).
    #[error("{what}: number out of range")]
    NumberOutOfRange {
        /// Which kind of value.
        what: &'static str,
    },
    /// Text that does not follow the value's syntax.
    #[error("{what}: invalid syntax at index {index}")]
    Syntax {
        /// Which kind of value.
        what: &'static str,
        /// Index of the first octet that does not fit.
        index: usize,
    },
    /// Too many items (see [`Limits::max_items`](crate::Limits::max_items)).
    #[error("{what}: more than {limit} items")]
    TooManyItems {
        /// Which kind of value.
        what: &'static str,
        /// The limit in force.
        limit: usize,
    },
    /// Octets that must be UTF-8 were not.
    #[error("{what}: invalid UTF-8")]
    InvalidUtf8 {
        /// Which kind of value.
        what: &'static str,
    },
    /// A mailbox name that is not valid modified UTF-7 (RFC 3501 §5.1.3).
    #[error("invalid modified UTF-7 at index {index}")]
    InvalidModifiedUtf7 {
        /// Index of the first octet that does not fit.
        index: usize,
    },
}

/// The application misused the API; the framer or session is unaffected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// There is no literal announcement waiting for a decision.
    #[error("no literal announcement is pending")]
    NoAnnouncement,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_escapes_and_truncates() {
        assert_eq!(
            Snippet::new(b"A1 \"x\\\"\r\n\x00\xff").to_string(),
            r#""A1 \"x\\\"\r\n\x00\xff""#
        );
        let long = [b'a'; 100];
        let s = Snippet::new(&long);
        assert!(s.is_truncated());
        assert_eq!(s.escaped().len(), Snippet::MAX);
        assert!(s.to_string().ends_with("\"..."));
    }

    #[test]
    fn decode_error_displays_everything() {
        let e = DecodeError::new(
            12,
            DecodeErrorKind::LineTooLong { limit: 8 },
            "a line of at most 8 octets",
            b"A001 LOGIN",
        );
        assert_eq!(
            e.to_string(),
            "at stream offset 12: line longer than 8 octets: expected a line of at most 8 octets, found \"A001 LOGIN\""
        );
    }
}
