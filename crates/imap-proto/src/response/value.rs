//! Values kept without a typed meaning: the generic `tagged-ext-val` /
//! `body-extension` tree used for unknown FETCH items, STATUS items, ESEARCH
//! return data, LIST extended items and body extension data, and object
//! identifiers (RFC 8474).

use bytes::Bytes;

use crate::encode::{EncodeOptions, Writer, write_num};
use crate::error::ValueError;
use crate::parse::values::{string, take_n};
use crate::parse::{Cursor, PResult};
use crate::types::IString;

/// A value the grammar does not type: an atom, a number, a string, `NIL` or
/// a parenthesized list of them (RFC 4466 `tagged-ext-val`, RFC 3501
/// `body-extension`). Kept so unknown data round-trips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `NIL`.
    Nil,
    /// A number (all digits, at most 2^63-1).
    Number(u64),
    /// A bare token that is neither a number nor `NIL` (`\Seen`, `1:5`,
    /// `BODY[HEADER]`).
    Atom(Token),
    /// A quoted string or a literal.
    String(IString),
    /// A literal8 (may hold NUL).
    Literal8(Bytes),
    /// `( ... )`.
    List(Vec<Value>),
}

/// A bare token of a [`Value`]: printable ASCII without SP, `(`, `)`, `"`,
/// `{`; `[` opens a bracketed part that may contain spaces and parentheses
/// up to the matching `]`. Never all digits and never `NIL`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token(Bytes);

fn token_len(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'[' => match memchr::memchr(b']', &b[i..]) {
                Some(j) if !b[i..i + j].iter().any(|&x| x == b'\r' || x == b'\n') => i += j + 1,
                _ => return i,
            },
            0x21..=0x7e if !matches!(c, b'(' | b')' | b'"' | b'{') => i += 1,
            _ => return i,
        }
    }
    i
}

impl Token {
    /// Validates a token.
    pub fn new(token: impl Into<Bytes>) -> Result<Self, ValueError> {
        let token = token.into();
        let what = "token";
        if token.is_empty() {
            return Err(ValueError::Empty { what });
        }
        let len = token_len(&token);
        if len != token.len() {
            return Err(ValueError::InvalidOctet {
                what,
                octet: token[len],
                index: len,
            });
        }
        if token.iter().all(u8::is_ascii_digit) || token.eq_ignore_ascii_case(b"NIL") {
            return Err(ValueError::Syntax { what, index: 0 });
        }
        Ok(Self(token))
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Reads a bare token (see [`Token`]) as raw bytes.
pub(crate) fn raw_token(c: &mut Cursor<'_>, expected: &'static str) -> PResult<Bytes> {
    let n = token_len(c.rest());
    if n == 0 {
        return Err(c.error(expected));
    }
    take_n(c, n, expected)
}

impl Value {
    /// Reads a value.
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        match c.peek() {
            Some(b'(') => Ok(Value::List(c.list(Value::parse)?)),
            Some(b'"' | b'{') => Ok(Value::String(string(c)?)),
            Some(b'~') if c.peek2() == Some(b'{') => {
                let (data, _) = c.literal()?;
                Ok(Value::Literal8(data))
            }
            _ => {
                let tok = raw_token(c, "a value")?;
                if tok.eq_ignore_ascii_case(b"NIL") {
                    return Ok(Value::Nil);
                }
                if tok.iter().all(u8::is_ascii_digit) {
                    let n = tok.iter().try_fold(0u64, |a, &d| {
                        a.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                    });
                    return match n.filter(|n| *n <= i64::MAX as u64) {
                        Some(n) => Ok(Value::Number(n)),
                        None => Err(c.error("a number below 2^63")),
                    };
                }
                Ok(Value::Atom(Token(tok)))
            }
        }
    }

    /// Writes the value (strings in the IMAP4rev1 forms).
    pub fn write(&self, out: &mut Vec<u8>) {
        self.write_to(&mut Writer::new(out, EncodeOptions::default()));
    }

    pub(crate) fn write_to(&self, out: &mut Writer<'_>) {
        match self {
            Value::Nil => out.extend_from_slice(b"NIL"),
            Value::Number(n) => write_num(out, *n),
            Value::Atom(t) => out.extend_from_slice(&t.0),
            Value::String(s) => out.string_bytes(s.as_bytes()),
            Value::Literal8(d) => out.literal8(d),
            Value::List(items) => {
                out.push(b'(');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    v.write_to(out);
                }
                out.push(b')');
            }
        }
    }
}

/// An object identifier (RFC 8474 `objectid`): 1 to 255 of `A-Z a-z 0-9 _ -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectId(Bytes);

fn is_objectid_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl ObjectId {
    /// Validates an object id.
    pub fn new(id: impl Into<Bytes>) -> Result<Self, ValueError> {
        let id = id.into();
        let what = "object id";
        if id.is_empty() {
            return Err(ValueError::Empty { what });
        }
        if id.len() > 255 {
            return Err(ValueError::TooManyItems { what, limit: 255 });
        }
        if let Some(index) = id.iter().position(|&b| !is_objectid_char(b)) {
            return Err(ValueError::InvalidOctet {
                what,
                octet: id[index],
                index,
            });
        }
        Ok(Self(id))
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Reads `objectid`.
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let id = c.take_while1(is_objectid_char, "an object id")?;
        if id.len() > 255 {
            return Err(c.error("an object id of at most 255 octets"));
        }
        Ok(Self(id))
    }

    /// Reads `"(" objectid ")"`.
    pub(crate) fn parse_paren(c: &mut Cursor<'_>) -> PResult<Self> {
        c.expect(b'(', "( before an object id")?;
        let id = Self::parse(c)?;
        c.expect(b')', ") after an object id")?;
        Ok(id)
    }

    /// Writes `(id)`.
    pub(crate) fn write_paren(&self, out: &mut Writer<'_>) {
        out.push(b'(');
        out.extend_from_slice(&self.0);
        out.push(b')');
    }
}
