//! FETCH items (RFC 3501 §6.4.5, RFC 9051 §6.4.5): attributes, the macros
//! ALL / FAST / FULL, `BODY[section]<partial>`, `BODY.PEEK`, BINARY
//! (RFC 3516), MODSEQ (RFC 7162), EMAILID / THREADID (RFC 8474), Gmail's
//! X-GM-* items, and the CHANGEDSINCE / VANISHED modifiers (RFC 7162).

use bytes::Bytes;

use super::RawArgs;
use crate::encode::Writer;
use crate::parse::{Cursor, PResult};
use crate::types::section::{parse_binary_part, write_part};
use crate::types::{Atom, Partial, Section, SectionText};

/// What a FETCH asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchItems {
    /// `ALL`: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE.
    All,
    /// `FAST`: FLAGS INTERNALDATE RFC822.SIZE.
    Fast,
    /// `FULL`: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.
    Full,
    /// Attributes (one is written without parentheses); at least one.
    Attrs(Vec<FetchAttr>),
}

impl FetchItems {
    /// The attributes the items stand for (macros expanded).
    pub fn expand(&self) -> Vec<FetchAttr> {
        use FetchAttr as A;
        match self {
            Self::All => vec![A::Flags, A::InternalDate, A::Rfc822Size, A::Envelope],
            Self::Fast => vec![A::Flags, A::InternalDate, A::Rfc822Size],
            Self::Full => vec![
                A::Flags,
                A::InternalDate,
                A::Rfc822Size,
                A::Envelope,
                A::Body,
            ],
            Self::Attrs(a) => a.clone(),
        }
    }
}

/// One FETCH attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchAttr {
    /// `ENVELOPE`.
    Envelope,
    /// `FLAGS`.
    Flags,
    /// `INTERNALDATE`.
    InternalDate,
    /// `RFC822` (RFC 3501 only).
    Rfc822,
    /// `RFC822.HEADER` (RFC 3501 only).
    Rfc822Header,
    /// `RFC822.SIZE`.
    Rfc822Size,
    /// `RFC822.TEXT` (RFC 3501 only).
    Rfc822Text,
    /// `BODY` (the non-extensible body structure).
    Body,
    /// `BODYSTRUCTURE`.
    BodyStructure,
    /// `UID`.
    Uid,
    /// `BODY[section]<partial>` / `BODY.PEEK[...]`.
    BodySection {
        /// `BODY.PEEK`: do not set `\Seen`.
        peek: bool,
        /// The section.
        section: Section,
        /// `<origin.length>`.
        partial: Option<Partial>,
    },
    /// `BINARY[part]<partial>` / `BINARY.PEEK[...]` (RFC 3516).
    Binary {
        /// `BINARY.PEEK`.
        peek: bool,
        /// The part numbers (empty: the whole message).
        part: Vec<u32>,
        /// `<origin.length>`.
        partial: Option<Partial>,
    },
    /// `BINARY.SIZE[part]`.
    BinarySize(Vec<u32>),
    /// `MODSEQ` (RFC 7162).
    ModSeq,
    /// `EMAILID` (RFC 8474).
    EmailId,
    /// `THREADID` (RFC 8474).
    ThreadId,
    /// `SAVEDATE` (RFC 8514).
    SaveDate,
    /// `X-GM-MSGID` (Gmail).
    XGmMsgId,
    /// `X-GM-THRID` (Gmail).
    XGmThrId,
    /// `X-GM-LABELS` (Gmail).
    XGmLabels,
    /// An attribute this library does not know, with a parenthesized
    /// argument list kept raw (`SNIPPET (FUZZY)`).
    Other {
        /// The name as sent.
        name: Atom,
        /// `(...)` after the name, as sent.
        args: Option<RawArgs>,
    },
}

/// A FETCH modifier (RFC 4466 §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchModifier {
    /// `CHANGEDSINCE modseq` (RFC 7162).
    ChangedSince(u64),
    /// `VANISHED` (QRESYNC, with UID FETCH).
    Vanished,
}

const SIMPLE: &[(&[u8], FetchAttr)] = &[
    (b"ENVELOPE", FetchAttr::Envelope),
    (b"FLAGS", FetchAttr::Flags),
    (b"INTERNALDATE", FetchAttr::InternalDate),
    (b"RFC822.HEADER", FetchAttr::Rfc822Header),
    (b"RFC822.SIZE", FetchAttr::Rfc822Size),
    (b"RFC822.TEXT", FetchAttr::Rfc822Text),
    (b"RFC822", FetchAttr::Rfc822),
    (b"BODYSTRUCTURE", FetchAttr::BodyStructure),
    (b"UID", FetchAttr::Uid),
    (b"MODSEQ", FetchAttr::ModSeq),
    (b"EMAILID", FetchAttr::EmailId),
    (b"THREADID", FetchAttr::ThreadId),
    (b"SAVEDATE", FetchAttr::SaveDate),
    (b"X-GM-MSGID", FetchAttr::XGmMsgId),
    (b"X-GM-THRID", FetchAttr::XGmThrId),
    (b"X-GM-LABELS", FetchAttr::XGmLabels),
];

/// Atom characters that also end a fetch attribute name (`[`, `<`).
fn name_char(b: u8) -> bool {
    crate::types::is_atom_char(b) && b != b'[' && b != b'<'
}

fn section_bracket(c: &mut Cursor<'_>) -> PResult<Section> {
    c.expect(b'[', "[")?;
    let s = Section::parse(c)?;
    c.expect(b']', "] closing the section")?;
    Ok(s)
}

fn binary_bracket(c: &mut Cursor<'_>) -> PResult<Vec<u32>> {
    c.expect(b'[', "[")?;
    let p = parse_binary_part(c)?;
    c.expect(b']', "] closing the part")?;
    Ok(p)
}

fn partial(c: &mut Cursor<'_>) -> PResult<Option<Partial>> {
    let p = Partial::parse_opt(c)?;
    if let Some(
        Partial {
            length: Some(0), ..
        }
        | Partial { length: None, .. },
    ) = p
    {
        return Err(c.error("<origin.length> with a non-zero length"));
    }
    Ok(p)
}

impl FetchAttr {
    /// Reads one attribute.
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let name = c.take_while1(name_char, "a fetch attribute")?;
        let upper = crate::parse::upper(&name);
        match &upper[..] {
            b"BODY" | b"BODY.PEEK" if c.peek() == Some(b'[') => {
                let section = section_bracket(c)?;
                let partial = partial(c)?;
                return Ok(Self::BodySection {
                    peek: upper.len() > 4,
                    section,
                    partial,
                });
            }
            b"BODY" => return Ok(Self::Body),
            b"BINARY" | b"BINARY.PEEK" => {
                let part = binary_bracket(c)?;
                let partial = partial(c)?;
                return Ok(Self::Binary {
                    peek: upper.len() > 6,
                    part,
                    partial,
                });
            }
            b"BINARY.SIZE" => return Ok(Self::BinarySize(binary_bracket(c)?)),
            _ => {}
        }
        if let Some((_, a)) = SIMPLE.iter().find(|(n, _)| *n == &upper[..]) {
            return Ok(a.clone());
        }
        let name = Atom::new(name).map_err(|_| c.error("a fetch attribute"))?;
        let args = if c.peek() == Some(b' ') && c.peek2() == Some(b'(') {
            c.advance(1);
            Some(RawArgs::from_wire(raw_parens(c)?))
        } else {
            None
        };
        Ok(Self::Other { name, args })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        use FetchAttr as A;
        if let Some((n, _)) = SIMPLE.iter().find(|(_, a)| a == self) {
            e.raw(n);
            return;
        }
        match self {
            A::Body => {
                e.raw(b"BODY");
            }
            A::BodySection {
                peek,
                section,
                partial,
            } => {
                e.raw(if *peek { b"BODY.PEEK[" } else { b"BODY[" });
                write_section(section, e);
                e.raw(b"]");
                if let Some(p) = partial {
                    let mut out = Vec::new();
                    p.write(&mut out);
                    e.raw(&out);
                }
            }
            A::Binary {
                peek,
                part,
                partial,
            } => {
                e.raw(if *peek { b"BINARY.PEEK[" } else { b"BINARY[" });
                let mut out = Vec::new();
                write_part(part, &mut out);
                e.raw(&out).raw(b"]");
                if let Some(p) = partial {
                    let mut out = Vec::new();
                    p.write(&mut out);
                    e.raw(&out);
                }
            }
            A::BinarySize(part) => {
                let mut out = Vec::new();
                write_part(part, &mut out);
                e.raw(b"BINARY.SIZE[").raw(&out).raw(b"]");
            }
            A::Other { name, args } => {
                e.raw(name.as_bytes());
                if let Some(a) = args {
                    e.sp().raw(a.as_bytes());
                }
            }
            _ => {}
        }
    }
}

/// Writes a section through the encoder, so that header field names that
/// need a literal become literal fragments.
fn write_section(s: &Section, e: &mut Writer<'_>) {
    let mut out = Vec::new();
    write_part(&s.part, &mut out);
    let (word, fields): (&[u8], _) = match &s.text {
        SectionText::Full => (b"", None),
        SectionText::Header => (b"HEADER", None),
        SectionText::HeaderFields(f) => (b"HEADER.FIELDS", Some(f)),
        SectionText::HeaderFieldsNot(f) => (b"HEADER.FIELDS.NOT", Some(f)),
        SectionText::Text => (b"TEXT", None),
        SectionText::Mime => (b"MIME", None),
    };
    if !word.is_empty() && !s.part.is_empty() {
        out.push(b'.');
    }
    out.extend_from_slice(word);
    e.raw(&out);
    if let Some(fields) = fields {
        e.sp().list(fields, |e, f| {
            e.astring(f);
        });
    }
}

/// A balanced parenthesized group kept raw (quoted strings allowed, no
/// literals).
pub(crate) fn raw_parens(c: &mut Cursor<'_>) -> PResult<Bytes> {
    let rest = c.rest();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    let mut end = None;
    for (i, &b) in rest.iter().enumerate() {
        if matches!(b, b'\r' | b'\n' | 0) {
            break;
        }
        if quoted {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => quoted = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => quoted = true,
            b'{' => break,
            b'(' => {
                depth += 1;
                if depth > c.limits().max_depth {
                    return Err(c.error("less deeply nested parentheses"));
                }
            }
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = Some(i + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return Err(c.error("a balanced parenthesized list"));
    };
    let n = std::cell::Cell::new(0usize);
    c.take_while1(
        |_| {
            n.set(n.get() + 1);
            n.get() <= end
        },
        "(",
    )
}

impl FetchItems {
    /// Reads a macro, one attribute or a parenthesized list.
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.peek() == Some(b'(') {
            let attrs = c.list(FetchAttr::parse)?;
            if attrs.is_empty() {
                return Err(c.error("at least one fetch attribute"));
            }
            return Ok(Self::Attrs(attrs));
        }
        if c.eat_keyword(b"ALL") {
            Ok(Self::All)
        } else if c.eat_keyword(b"FAST") {
            Ok(Self::Fast)
        } else if c.eat_keyword(b"FULL") {
            Ok(Self::Full)
        } else {
            Ok(Self::Attrs(vec![FetchAttr::parse(c)?]))
        }
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        match self {
            Self::All => {
                e.raw(b"ALL");
            }
            Self::Fast => {
                e.raw(b"FAST");
            }
            Self::Full => {
                e.raw(b"FULL");
            }
            // An unknown attribute alone is parenthesized: `X (..)` after
            // it could be its arguments or the modifiers.
            Self::Attrs(a) if a.len() == 1 && !matches!(a[0], FetchAttr::Other { .. }) => {
                a[0].write(e)
            }
            Self::Attrs(a) => {
                e.list(a, |e, a| a.write(e));
            }
        }
    }
}

impl FetchModifier {
    /// Reads one modifier.
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.eat_keyword(b"CHANGEDSINCE") {
            c.sp()?;
            Ok(Self::ChangedSince(c.number64()?))
        } else if c.eat_keyword(b"VANISHED") {
            Ok(Self::Vanished)
        } else {
            Err(c.error("CHANGEDSINCE or VANISHED"))
        }
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        match self {
            Self::ChangedSince(n) => {
                e.raw(b"CHANGEDSINCE ").num(*n);
            }
            Self::Vanished => {
                e.raw(b"VANISHED");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::encode::written;
    use crate::parse::read_all;

    #[test]
    fn items_table() {
        let cases: &[(&str, &str)] = &[
            ("all", "ALL"),
            ("fast", "FAST"),
            ("full", "FULL"),
            ("flags", "FLAGS"),
            ("(flags)", "FLAGS"),
            ("(uid rfc822.size)", "(UID RFC822.SIZE)"),
            ("body[]", "BODY[]"),
            ("body.peek[1.2.mime]<5.10>", "BODY.PEEK[1.2.MIME]<5.10>"),
            (
                "body[header.fields (from \"a b\")]",
                "BODY[HEADER.FIELDS (from \"a b\")]",
            ),
            ("binary.peek[1]", "BINARY.PEEK[1]"),
            ("binary.size[]", "BINARY.SIZE[]"),
            (
                "(modseq emailid threadid savedate)",
                "(MODSEQ EMAILID THREADID SAVEDATE)",
            ),
            ("(snippet (fuzzy) uid)", "(snippet (fuzzy) UID)"),
            ("x-unknown", "(x-unknown)"),
        ];
        for (input, canonical) in cases {
            let i = read_all(input, FetchItems::parse).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(written(|e| i.write(e)), *canonical);
            assert_eq!(read_all(canonical, FetchItems::parse).unwrap(), i);
        }
        for bad in [
            "()",
            "body[",
            "body[]<5>",
            "body[]<1.0>",
            "binary[text]",
            "body[0]",
            "(flags",
            "body[mime]",
        ] {
            assert!(read_all(bad, FetchItems::parse).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn raw_parens_are_balanced() {
        let c = |s: &str| read_all(s, raw_parens);
        assert_eq!(&c("(a (b) \")\")").unwrap()[..], b"(a (b) \")\")");
        assert!(c("(a").is_err());
        assert!(c("(a {3}\r\nabc)").is_err());
    }
}
