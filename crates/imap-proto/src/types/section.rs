//! Body section specifiers (`BODY[1.2.HEADER.FIELDS (Subject)]<0.100>`,
//! RFC 3501 §6.4.5 / RFC 9051 §6.4.5) and `BINARY[1.2]` parts (RFC 3516).

use std::fmt::Write as _;

use crate::parse::{Cursor, PResult};
use crate::types::AString;

/// What part of a message a section names, after the part numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SectionText {
    /// The whole part (`BODY[]`, `BODY[1.2]`).
    Full,
    /// `HEADER`.
    Header,
    /// `HEADER.FIELDS (names)`.
    HeaderFields(Vec<AString>),
    /// `HEADER.FIELDS.NOT (names)`.
    HeaderFieldsNot(Vec<AString>),
    /// `TEXT`.
    Text,
    /// `MIME` (only after part numbers).
    Mime,
}

/// A section: part numbers and what of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Part numbers (`1.2.3`), empty for the top level.
    pub part: Vec<u32>,
    /// What of that part.
    pub text: SectionText,
}

impl Section {
    /// `[]`: the whole message.
    pub fn full() -> Self {
        Self {
            part: Vec::new(),
            text: SectionText::Full,
        }
    }

    /// Reads what is between `[` and `]` (the brackets are not consumed).
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let mut part = Vec::new();
        let mut text = SectionText::Full;
        loop {
            if c.peek().is_some_and(|b| b.is_ascii_digit()) {
                part.push(c.nz_number()?);
                if c.eat(b'.') {
                    continue;
                }
                break;
            }
            text = if c.eat_keyword(b"HEADER.FIELDS.NOT") {
                c.sp()?;
                SectionText::HeaderFieldsNot(c.list(|c| c.astring())?)
            } else if c.eat_keyword(b"HEADER.FIELDS") {
                c.sp()?;
                SectionText::HeaderFields(c.list(|c| c.astring())?)
            } else if c.eat_keyword(b"HEADER") {
                SectionText::Header
            } else if c.eat_keyword(b"TEXT") {
                SectionText::Text
            } else if !part.is_empty() && c.eat_keyword(b"MIME") {
                SectionText::Mime
            } else if part.is_empty() && c.peek() == Some(b']') {
                SectionText::Full
            } else {
                return Err(c.error("a section (part numbers, HEADER, HEADER.FIELDS, TEXT, MIME)"));
            };
            break;
        }
        Ok(Self { part, text })
    }

    /// Writes the section (without brackets). A header field name that needs
    /// a literal is written inline, as a server sends it; a client must send
    /// commands through `command::encode`, which splits at each literal.
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut s = String::new();
        for (i, p) in self.part.iter().enumerate() {
            if i > 0 {
                s.push('.');
            }
            let _ = write!(s, "{p}");
        }
        let (word, fields) = match &self.text {
            SectionText::Full => ("", None),
            SectionText::Header => ("HEADER", None),
            SectionText::HeaderFields(f) => ("HEADER.FIELDS", Some(f)),
            SectionText::HeaderFieldsNot(f) => ("HEADER.FIELDS.NOT", Some(f)),
            SectionText::Text => ("TEXT", None),
            SectionText::Mime => ("MIME", None),
        };
        if !word.is_empty() && !self.part.is_empty() {
            s.push('.');
        }
        s.push_str(word);
        out.extend_from_slice(s.as_bytes());
        if let Some(fields) = fields {
            out.extend_from_slice(b" (");
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                crate::types::StringKind::choose(f.as_bytes(), true, Default::default())
                    .write(f.as_bytes(), out);
            }
            out.push(b')');
        }
    }
}

/// A partial range `<origin.length>` of a section (the length only in
/// requests; a response carries `<origin>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    /// First octet.
    pub origin: u64,
    /// Number of octets (requests only).
    pub length: Option<u64>,
}

impl Partial {
    /// Reads `<n>` or `<n.m>` if present.
    pub fn parse_opt(c: &mut Cursor<'_>) -> PResult<Option<Self>> {
        if !c.eat(b'<') {
            return Ok(None);
        }
        let origin = c.number64()?;
        let length = if c.eat(b'.') {
            Some(c.number64()?)
        } else {
            None
        };
        c.expect(b'>', "> closing the partial range")?;
        Ok(Some(Self { origin, length }))
    }

    /// Writes `<n>` / `<n.m>`.
    pub fn write(&self, out: &mut Vec<u8>) {
        let text = match self.length {
            Some(l) => format!("<{}.{l}>", self.origin),
            None => format!("<{}>", self.origin),
        };
        out.extend_from_slice(text.as_bytes());
    }
}

/// Reads a `BINARY[1.2]` part list (numbers only, RFC 3516).
pub fn parse_binary_part(c: &mut Cursor<'_>) -> PResult<Vec<u32>> {
    let mut part = Vec::new();
    while c.peek().is_some_and(|b| b.is_ascii_digit()) {
        part.push(c.nz_number()?);
        if !c.eat(b'.') {
            break;
        }
    }
    Ok(part)
}

/// Writes part numbers `1.2.3`.
pub fn write_part(part: &[u32], out: &mut Vec<u8>) {
    let text: Vec<String> = part.iter().map(u32::to_string).collect();
    out.extend_from_slice(text.join(".").as_bytes());
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::Limits;
    use crate::parse::Strictness;

    fn roundtrip(s: &str) -> Section {
        let bytes = Bytes::copy_from_slice(s.as_bytes());
        let limits = Limits::default();
        let mut c = Cursor::over(&bytes, 0, &limits, Strictness::Strict);
        let section = Section::parse(&mut c).unwrap();
        assert_eq!(c.rest(), b"]", "{s}");
        let mut out = Vec::new();
        section.write(&mut out);
        out.push(b']');
        assert_eq!(String::from_utf8(out).unwrap(), s);
        section
    }

    #[test]
    fn sections() {
        assert_eq!(roundtrip("]"), Section::full());
        assert_eq!(roundtrip("1.2.MIME]").part, [1, 2]);
        roundtrip("HEADER]");
        roundtrip("TEXT]");
        roundtrip("4.2.HEADER.FIELDS (Subject From)]");
        let s = roundtrip("HEADER.FIELDS.NOT (DATE \"X Y\")]");
        assert!(matches!(s.text, SectionText::HeaderFieldsNot(ref f) if f.len() == 2));
    }
}
