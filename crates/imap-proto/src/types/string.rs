//! String values (`string`, `astring`, `nstring`) and the choice of their
//! wire form.

use std::fmt;

use bytes::Bytes;

use super::{is_astring_char, is_text_char};
use crate::error::ValueError;

/// Largest non-synchronizing literal a client may send to a server that
/// advertises LITERAL- (RFC 7888 §5), in octets.
pub const LITERAL_MINUS_MAX: usize = 4096;

/// Longest content written as a quoted string; longer content becomes a
/// literal, so command lines stay well below server line limits (RFC 7162
/// §4 asks servers to take 8192 octets).
const QUOTED_MAX: usize = 1024;

/// Which non-synchronizing literals the peer (a server) accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NonSyncLiterals {
    /// Neither LITERAL+ nor LITERAL- (or the peer is a client: servers send
    /// `{n}` and never wait).
    #[default]
    None,
    /// LITERAL+ (RFC 7888 §4): any size.
    Plus,
    /// LITERAL- (RFC 7888 §5), also part of IMAP4rev2: up to
    /// [`LITERAL_MINUS_MAX`] octets.
    Minus,
}

/// What the peer accepts, for choosing how to write a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StringOptions {
    /// Non-synchronizing literals the server accepts (client side only).
    pub non_sync: NonSyncLiterals,
    /// Quoted strings may carry UTF-8 (IMAP4rev2, or UTF8=ACCEPT enabled;
    /// RFC 9051 §9 `QUOTED-CHAR`, RFC 6855 §3).
    pub utf8: bool,
}

/// The wire form of a string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringKind {
    /// Bare `ASTRING-CHAR`s (only where an `astring` is allowed).
    Atom,
    /// `"..."` with `\` before `"` and `\`.
    Quoted,
    /// `{n}` CRLF data: a client waits for the server's `+` before the data;
    /// a server sends the data at once.
    Literal,
    /// `{n+}` CRLF data, sent at once (LITERAL+ / LITERAL-).
    NonSyncLiteral,
}

impl StringKind {
    /// The simplest form that can carry `content` to this peer: an atom
    /// when `atom_ok` (an `astring` position) and the content allows it
    /// (never for `NIL`, which some parsers take for the nil value), a
    /// quoted string when the content is text of at most 1024 octets, else
    /// a literal, non-synchronizing when the peer accepts one that large.
    pub fn choose(content: &[u8], atom_ok: bool, options: StringOptions) -> StringKind {
        if atom_ok
            && !content.is_empty()
            && !content.eq_ignore_ascii_case(b"NIL")
            && content.iter().all(|&b| is_astring_char(b))
        {
            return StringKind::Atom;
        }
        let quotable = content.len() <= QUOTED_MAX
            && if options.utf8 && !content.is_ascii() {
                std::str::from_utf8(content).is_ok()
                    && content.iter().all(|&b| b >= 0x80 || is_text_char(b))
            } else {
                content.iter().all(|&b| is_text_char(b))
            };
        if quotable {
            return StringKind::Quoted;
        }
        match options.non_sync {
            NonSyncLiterals::Plus => StringKind::NonSyncLiteral,
            NonSyncLiterals::Minus if content.len() <= LITERAL_MINUS_MAX => {
                StringKind::NonSyncLiteral
            }
            _ => StringKind::Literal,
        }
    }

    /// Writes `content` in this form. For [`StringKind::Literal`] from a
    /// client, the caller must wait for `+` between the announcement
    /// (ending in CRLF) and the data: the data starts at the returned index.
    ///
    /// `content` must be valid for the form ([`StringKind::choose`] only
    /// picks such a form); `Atom` and `Quoted` are written as given.
    pub fn write(self, content: &[u8], out: &mut Vec<u8>) -> usize {
        match self {
            StringKind::Atom => out.extend_from_slice(content),
            StringKind::Quoted => {
                out.push(b'"');
                for &b in content {
                    if b == b'"' || b == b'\\' {
                        out.push(b'\\');
                    }
                    out.push(b);
                }
                out.push(b'"');
            }
            StringKind::Literal | StringKind::NonSyncLiteral => {
                out.push(b'{');
                out.extend_from_slice(content.len().to_string().as_bytes());
                if self == StringKind::NonSyncLiteral {
                    out.push(b'+');
                }
                out.extend_from_slice(b"}\r\n");
                let start = out.len();
                out.extend_from_slice(content);
                return start;
            }
        }
        out.len()
    }
}

/// A string value (`string` in RFC 3501 §9): any octets but NUL, possibly
/// empty. NUL can only travel in a literal8 (RFC 3516), which is not a
/// string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct IString(Bytes);

impl IString {
    /// Validates a string value.
    pub fn new(content: impl Into<Bytes>) -> Result<Self, ValueError> {
        let content = content.into();
        if let Some(index) = memchr::memchr(0, &content) {
            return Err(ValueError::InvalidOctet {
                what: "string",
                octet: 0,
                index,
            });
        }
        Ok(Self(content))
    }

    /// A string the grammar already checked (no NUL).
    pub(crate) fn from_checked(content: Bytes) -> Self {
        debug_assert!(!content.contains(&0));
        Self(content)
    }

    /// The content.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The content as shared `Bytes` (a slice of the frame when decoded).
    pub fn to_bytes(&self) -> Bytes {
        self.0.clone()
    }

    /// The wire form for this peer (never an atom: use [`AString`] where
    /// the grammar allows one).
    pub fn kind(&self, options: StringOptions) -> StringKind {
        StringKind::choose(&self.0, false, options)
    }
}

impl fmt::Debug for IString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IString({:?})", String::from_utf8_lossy(&self.0))
    }
}

impl TryFrom<&str> for IString {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Self::new(Bytes::copy_from_slice(s.as_bytes()))
    }
}

/// An `astring`: a string that may also be written as an atom. Same content
/// as [`IString`]; only the choice of wire form differs.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct AString(pub IString);

impl AString {
    /// Validates an astring.
    pub fn new(content: impl Into<Bytes>) -> Result<Self, ValueError> {
        IString::new(content).map(Self)
    }

    /// The content.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The wire form for this peer (an atom when possible).
    pub fn kind(&self, options: StringOptions) -> StringKind {
        StringKind::choose(self.0.as_bytes(), true, options)
    }
}

impl fmt::Debug for AString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AString({:?})", String::from_utf8_lossy(self.as_bytes()))
    }
}

impl From<IString> for AString {
    fn from(s: IString) -> Self {
        Self(s)
    }
}

impl TryFrom<&str> for AString {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        IString::try_from(s).map(Self)
    }
}

/// An `nstring`: a string or `NIL`. A present string is never written as an
/// atom (an atom `NIL` would read back as absent).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct NString(pub Option<IString>);

impl NString {
    /// `NIL`.
    pub const NIL: NString = NString(None);

    /// The content, if not `NIL`.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        self.0.as_ref().map(IString::as_bytes)
    }

    /// Writes `NIL` or the string in the form chosen for this peer; returns
    /// the form (`None` for `NIL`).
    pub fn write(&self, options: StringOptions, out: &mut Vec<u8>) -> Option<StringKind> {
        match &self.0 {
            None => {
                out.extend_from_slice(b"NIL");
                None
            }
            Some(s) => {
                let kind = s.kind(options);
                kind.write(s.as_bytes(), out);
                Some(kind)
            }
        }
    }
}

impl From<Option<IString>> for NString {
    fn from(s: Option<IString>) -> Self {
        Self(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: StringOptions = StringOptions {
        non_sync: NonSyncLiterals::None,
        utf8: false,
    };

    #[test]
    fn kind_follows_content_and_capabilities() {
        let plus = StringOptions {
            non_sync: NonSyncLiterals::Plus,
            ..PLAIN
        };
        let minus = StringOptions {
            non_sync: NonSyncLiterals::Minus,
            ..PLAIN
        };
        let utf8 = StringOptions {
            utf8: true,
            ..PLAIN
        };
        let big = vec![b'a'; 5000];
        let big_text = vec![b' '; 2000];
        let cases: &[(&[u8], bool, StringOptions, StringKind)] = &[
            (b"INBOX", true, PLAIN, StringKind::Atom),
            (b"a]b", true, PLAIN, StringKind::Atom),
            (b"INBOX", false, PLAIN, StringKind::Quoted),
            (b"nil", true, PLAIN, StringKind::Quoted),
            (b"", true, PLAIN, StringKind::Quoted),
            (b"two words", true, PLAIN, StringKind::Quoted),
            (b"q\"b\\", true, PLAIN, StringKind::Quoted),
            (b"a*", true, PLAIN, StringKind::Quoted),
            (b"line\r\nbreak", true, PLAIN, StringKind::Literal),
            (b"line\r\nbreak", true, plus, StringKind::NonSyncLiteral),
            (b"line\r\nbreak", true, minus, StringKind::NonSyncLiteral),
            (&big, true, PLAIN, StringKind::Atom),
            (&big_text, true, PLAIN, StringKind::Literal),
            (&big_text, true, minus, StringKind::NonSyncLiteral),
            ("Grüße".as_bytes(), true, PLAIN, StringKind::Literal),
            ("Grüße".as_bytes(), true, utf8, StringKind::Quoted),
            (b"\xff\xfe", true, utf8, StringKind::Literal),
        ];
        for (content, atom_ok, options, kind) in cases {
            assert_eq!(
                StringKind::choose(content, *atom_ok, *options),
                *kind,
                "{:?}",
                String::from_utf8_lossy(content)
            );
        }
        // LITERAL- stops at 4096 octets.
        let at = vec![b'\n'; LITERAL_MINUS_MAX];
        let over = vec![b'\n'; LITERAL_MINUS_MAX + 1];
        assert_eq!(
            StringKind::choose(&at, false, minus),
            StringKind::NonSyncLiteral
        );
        assert_eq!(StringKind::choose(&over, false, minus), StringKind::Literal);
        assert_eq!(
            StringKind::choose(&over, false, plus),
            StringKind::NonSyncLiteral
        );
    }

    #[test]
    fn writes_each_form() {
        let mut out = Vec::new();
        StringKind::Quoted.write(b"a\"b\\c", &mut out);
        assert_eq!(out, b"\"a\\\"b\\\\c\"");
        let mut out = b"A1 LOGIN ".to_vec();
        let data_at = StringKind::Literal.write(b"x\r\ny", &mut out);
        assert_eq!(out, b"A1 LOGIN {4}\r\nx\r\ny");
        assert_eq!(data_at, 14);
        let mut out = Vec::new();
        StringKind::NonSyncLiteral.write(b"", &mut out);
        assert_eq!(out, b"{0+}\r\n");
        let mut out = Vec::new();
        assert_eq!(NString::NIL.write(PLAIN, &mut out), None);
        assert_eq!(out, b"NIL");
        let mut out = Vec::new();
        let s = NString(Some(IString::try_from("NIL").unwrap()));
        assert_eq!(s.write(PLAIN, &mut out), Some(StringKind::Quoted));
        assert_eq!(out, b"\"NIL\"");
    }

    #[test]
    fn nul_cannot_be_a_string() {
        assert_eq!(
            IString::new(&b"a\0"[..]),
            Err(ValueError::InvalidOctet {
                what: "string",
                octet: 0,
                index: 1
            })
        );
        assert!(AString::new(&b"\r\n\xff"[..]).is_ok());
    }
}
