//! Body structures (`BODY` / `BODYSTRUCTURE`, RFC 3501 §7.4.2 and §9,
//! RFC 9051 §7.5.2), with extension data.
//!
//! The optional extension fields come in order, each only when all before
//! it are present; the types nest the same way ([`SinglePartExt`] holds an
//! optional [`DispositionExt`], which holds an optional [`LanguageExt`],
//! ...), so every value has one encoding.

use super::{Envelope, Quirk, Value, body_number};
use crate::encode::{Writer, write_num};
use crate::parse::values::{more, nstring, string, string_or_nil};
use crate::parse::{Cursor, PResult};
use crate::types::{IString, NString};

/// A body structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyStructure {
    /// A single part.
    Single(SinglePart),
    /// A multipart: its parts and subtype (`mixed`, `alternative`, ...).
    Multi {
        /// The parts (at least one, except from servers that send empty
        /// multiparts, a quirk).
        parts: Vec<BodyStructure>,
        /// The subtype.
        subtype: IString,
        /// Extension data (BODYSTRUCTURE only).
        ext: Option<MultiPartExt>,
    },
}

/// A single (non-multipart) part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinglePart {
    /// What kind of part, with the fields that depend on it.
    pub kind: SingleKind,
    /// The fields every single part has.
    pub fields: BasicFields,
    /// Extension data (BODYSTRUCTURE only).
    pub ext: Option<SinglePartExt>,
}

/// The media type of a single part and its type-specific fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SingleKind {
    /// Any type but `text/*` and `message/rfc822` / `message/global`.
    Basic {
        /// Media type (`application`, `image`, ...).
        media_type: IString,
        /// Subtype.
        subtype: IString,
    },
    /// `text/*`, with its size in lines.
    Text {
        /// Subtype (`plain`, `html`, ...).
        subtype: IString,
        /// Size in lines.
        lines: u64,
    },
    /// `message/rfc822` or `message/global`: the enclosed message.
    Message {
        /// `rfc822` or `global`.
        subtype: IString,
        /// The enclosed message's envelope; `None` where the server sent
        /// `NIL` (a quirk, [`Quirk::NilEnvelope`]).
        envelope: Option<Box<Envelope>>,
        /// The enclosed message's body structure; `None` where the server
        /// sent `NIL` (a quirk, [`Quirk::NilBody`]).
        body: Option<Box<BodyStructure>>,
        /// Size in lines.
        lines: u64,
    },
}

/// `body-fields`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BasicFields {
    /// Parameters (`charset`, `name`, ...), in order; empty for NIL.
    pub params: Vec<(IString, IString)>,
    /// `Content-ID`.
    pub id: NString,
    /// `Content-Description`.
    pub description: NString,
    /// `Content-Transfer-Encoding`.
    pub encoding: IString,
    /// Size in octets (as transferred).
    pub size: u64,
}

/// Extension data of a single part.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SinglePartExt {
    /// `Content-MD5`.
    pub md5: NString,
    /// What follows, if anything.
    pub dsp: Option<DispositionExt>,
}

/// Extension data of a multipart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultiPartExt {
    /// Parameters (`boundary`, ...); empty for NIL.
    pub params: Vec<(IString, IString)>,
    /// What follows, if anything.
    pub dsp: Option<DispositionExt>,
}

/// `body-fld-dsp` and what follows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DispositionExt {
    /// `Content-Disposition`; `None` for NIL.
    pub disposition: Option<Disposition>,
    /// What follows, if anything.
    pub lang: Option<LanguageExt>,
}

/// A content disposition: `("attachment" ("filename" "a.pdf"))`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Disposition {
    /// `inline`, `attachment`, ...
    pub kind: IString,
    /// Parameters; empty for NIL.
    pub params: Vec<(IString, IString)>,
}

/// `body-fld-lang` and what follows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LanguageExt {
    /// `Content-Language` tags; empty for NIL.
    pub language: Vec<IString>,
    /// What follows, if anything.
    pub loc: Option<LocationExt>,
}

/// `body-fld-loc` and the extensions after it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocationExt {
    /// `Content-Location`.
    pub location: NString,
    /// Further extension data, kept as values.
    pub extensions: Vec<Value>,
}

fn params(c: &mut Cursor<'_>) -> PResult<Vec<(IString, IString)>> {
    if c.eat_keyword(b"NIL") {
        return Ok(Vec::new());
    }
    let items = c.list(string_or_nil)?;
    if items.is_empty() {
        c.quirk(Quirk::EmptyList, "NIL for no parameters")?;
    }
    if items.len() % 2 != 0 {
        return Err(c.error("parameters in name / value pairs"));
    }
    let mut it = items.into_iter();
    let mut out = Vec::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        out.push((k, v));
    }
    Ok(out)
}

fn write_params(out: &mut Writer<'_>, params: &[(IString, IString)]) {
    if params.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.string_bytes(k.as_bytes());
        out.push(b' ');
        out.string_bytes(v.as_bytes());
    }
    out.push(b')');
}

fn disposition(c: &mut Cursor<'_>) -> PResult<Option<Disposition>> {
    if c.eat_keyword(b"NIL") {
        return Ok(None);
    }
    if c.peek() != Some(b'(') {
        c.quirk(Quirk::BareDisposition, "( or NIL for a disposition")?;
        return Ok(Some(Disposition {
            kind: string(c)?,
            params: Vec::new(),
        }));
    }
    c.expect(b'(', "(")?;
    c.enter()?;
    let kind = string_or_nil(c)?;
    c.sp()?;
    let params = params(c)?;
    c.trailing_space()?;
    c.expect(b')', ") closing the disposition")?;
    c.leave();
    Ok(Some(Disposition { kind, params }))
}

fn language(c: &mut Cursor<'_>) -> PResult<Vec<IString>> {
    if c.eat_keyword(b"NIL") {
        return Ok(Vec::new());
    }
    if c.peek() == Some(b'(') {
        return c.list(string);
    }
    Ok(vec![string(c)?])
}

/// Reads `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP
/// body-extension)]]]`.
fn dsp_ext(c: &mut Cursor<'_>) -> PResult<Option<DispositionExt>> {
    if !more(c)? {
        return Ok(None);
    }
    let disposition = disposition(c)?;
    let lang = if more(c)? {
        let language = language(c)?;
        let loc = if more(c)? {
            let location = if c.rest().starts_with(b"()") {
                // `()` for no location (Office 365, a MailKit test).
                c.quirk(Quirk::EmptyList, "NIL for no location")?;
                c.advance(2);
                NString(None)
            } else {
                nstring(c)?
            };
            let mut extensions = Vec::new();
            while more(c)? {
                extensions.push(Value::parse(c)?);
            }
            Some(LocationExt {
                location,
                extensions,
            })
        } else {
            None
        };
        Some(LanguageExt { language, loc })
    } else {
        None
    };
    Ok(Some(DispositionExt { disposition, lang }))
}

fn write_dsp_ext(out: &mut Writer<'_>, d: &Option<DispositionExt>) {
    let Some(d) = d else { return };
    out.push(b' ');
    match &d.disposition {
        None => out.extend_from_slice(b"NIL"),
        Some(disp) => {
            out.push(b'(');
            out.string_bytes(disp.kind.as_bytes());
            out.push(b' ');
            write_params(out, &disp.params);
            out.push(b')');
        }
    }
    let Some(l) = &d.lang else { return };
    out.push(b' ');
    match &l.language[..] {
        [] => out.extend_from_slice(b"NIL"),
        [one] => out.string_bytes(one.as_bytes()),
        many => {
            out.list(many, |out, s| out.string_bytes(s.as_bytes()));
        }
    }
    let Some(loc) = &l.loc else { return };
    out.push(b' ');
    out.nstring(&loc.location);
    for e in &loc.extensions {
        out.push(b' ');
        e.write(out);
    }
}

impl BodyStructure {
    /// Reads a `body`.
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let list = c.rest();
        c.expect(b'(', "( starting a body")?;
        c.enter()?;
        let body = if c.peek() == Some(b'(') {
            let mut parts = Vec::new();
            loop {
                if parts.len() >= c.limits().max_items {
                    return Err(c.error("fewer body parts"));
                }
                parts.push(BodyStructure::parse(c)?);
                if c.peek() == Some(b' ') && c.rest().iter().find(|&&b| b != b' ') == Some(&b'(') {
                    c.quirk(crate::Quirk::ExtraSpace, "no space between parts")?;
                    while c.eat(b' ') {}
                }
                if c.peek() != Some(b'(') {
                    break;
                }
            }
            c.sp()?;
            let subtype = string_or_nil(c)?;
            let ext = multi_ext(c)?;
            BodyStructure::Multi {
                parts,
                subtype,
                ext,
            }
        } else {
            let nil_first = c
                .rest()
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"NIL "));
            let media_type = string_or_nil(c)?;
            // An empty multipart: `("mixed")` or `("mixed" (params) ...)`,
            // or Gmail's `("RELATED" NIL ("ATTACHMENT" NIL) NIL)`.
            let rest = c.rest();
            let empty_multi = rest.first() == Some(&b')')
                || (rest.first() == Some(&b' ') && rest.get(1) == Some(&b'('))
                || gmail_childless(rest, list);
            if nil_first && !empty_multi && nil_parts_ahead(c, &media_type) {
                c.quirk(Quirk::EmptyMultipart, "at least one part")?;
                c.sp()?;
                let subtype = string_or_nil(c)?;
                let ext = multi_ext(c)?;
                BodyStructure::Multi {
                    parts: Vec::new(),
                    subtype,
                    ext,
                }
            } else if empty_multi {
                c.quirk(Quirk::EmptyMultipart, "at least one part")?;
                let ext = multi_ext(c)?;
                BodyStructure::Multi {
                    parts: Vec::new(),
                    subtype: media_type,
                    ext,
                }
            } else {
                c.sp()?;
                BodyStructure::Single(single(c, media_type)?)
            }
        };
        c.trailing_space()?;
        c.expect(b')', ") closing the body")?;
        c.leave();
        Ok(body)
    }

    /// Writes the body structure.
    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        out.push(b'(');
        match self {
            BodyStructure::Multi {
                parts,
                subtype,
                ext,
            } => {
                for p in parts {
                    p.write(out);
                }
                if !parts.is_empty() {
                    out.push(b' ');
                }
                out.string_bytes(subtype.as_bytes());
                if let Some(ext) = ext {
                    out.push(b' ');
                    write_params(out, &ext.params);
                    write_dsp_ext(out, &ext.dsp);
                }
            }
            BodyStructure::Single(s) => s.write(out),
        }
        out.push(b')');
    }
}

/// Gmail's parts without children (MailKit#371): a subtype, `NIL` for the
/// parameters, a disposition list, then at most a language and location:
/// `("RELATED" NIL ("ATTACHMENT" NIL) NIL)`. `rest` follows the subtype;
/// `list` is the part from its `(`. A single part has at least seven
/// values, so five or fewer cannot be one.
fn gmail_childless(rest: &[u8], list: &[u8]) -> bool {
    rest.get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case(b" NIL ("))
        && scan_list(list).is_some_and(|(_, items)| items <= 5)
}

/// Whether a body whose first field was `NIL` reads as a multipart with
/// `NIL` for its parts, `(NIL "alternative" (params) NIL NIL NIL)` (a
/// message part's body, MailKit#1393), and not as a single part with NIL
/// for its media type: only the first reads to the body's end.
fn nil_parts_ahead(c: &Cursor<'_>, media_type: &IString) -> bool {
    let reads_to_end = |mut fork: Cursor<'_>, multi: bool| {
        let read = if multi {
            fork.sp()
                .and_then(|()| string_or_nil(&mut fork))
                .and_then(|_| multi_ext(&mut fork).map(|_| ()))
        } else {
            fork.sp()
                .and_then(|()| single(&mut fork, media_type.clone()).map(|_| ()))
        };
        read.is_ok() && fork.trailing_space().is_ok() && fork.peek() == Some(b')')
    };
    !reads_to_end(c.fork_lenient(), false) && reads_to_end(c.fork_lenient(), true)
}

fn multi_ext(c: &mut Cursor<'_>) -> PResult<Option<MultiPartExt>> {
    if !more(c)? {
        return Ok(None);
    }
    let params = params(c)?;
    let dsp = dsp_ext(c)?;
    Ok(Some(MultiPartExt { params, dsp }))
}

/// Whether `rest` (after a message part's size) is ` NIL` for the
/// envelope, then a body (or `NIL`), then the size in lines: the shape of a
/// message part whose server sent no envelope. Anything else after ` NIL`
/// (an MD5, then a disposition and a language, never a number) is
/// extension data.
pub(crate) fn nil_envelope_ahead(rest: &[u8]) -> bool {
    fn spaces(b: &[u8]) -> Option<&[u8]> {
        let n = b.iter().take_while(|&&x| x == b' ').count();
        (n > 0).then(|| &b[n..])
    }
    fn nil(b: &[u8]) -> Option<&[u8]> {
        (b.len() >= 3 && b[..3].eq_ignore_ascii_case(b"NIL")).then(|| &b[3..])
    }
    let check = || {
        let after = nil(spaces(rest)?)?;
        let body = spaces(after)?;
        let after = if body.first() == Some(&b'(') {
            &body[skip_list(body)?..]
        } else {
            nil(body)?
        };
        let after = spaces(after)?;
        after
            .first()
            .is_some_and(|&b| b.is_ascii_digit() || b == b'-')
            .then_some(())
    };
    check().is_some()
}

/// The length of the parenthesized list at the start of `b` (strings and
/// literals inside skipped whole), or `None` if it does not end in `b`.
fn skip_list(b: &[u8]) -> Option<usize> {
    scan_list(b).map(|(len, _)| len)
}

/// The length of the parenthesized list at the start of `b` and how many
/// values it holds at its top level (strings and literals inside skipped
/// whole), or `None` if it does not end in `b`.
fn scan_list(b: &[u8]) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut items = 0;
    // At the top level, after the `(` or a space: the next octet that is
    // neither starts a value.
    let mut between = false;
    let mut i = 0;
    loop {
        let c = *b.get(i)?;
        if depth == 1 {
            match c {
                b' ' => between = true,
                b')' => {}
                _ if between => {
                    items += 1;
                    between = false;
                }
                _ => {}
            }
        }
        match c {
            b'(' => {
                depth += 1;
                between = depth == 1;
            }
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((i + 1, items));
                }
            }
            b'"' => loop {
                i += 1;
                match *b.get(i)? {
                    b'\\' => i += 1,
                    b'"' => break,
                    b'\r' | b'\n' => return None,
                    _ => {}
                }
            },
            b'{' => {
                let close = i + memchr::memchr(b'}', b.get(i..)?)?;
                let digits = b.get(i + 1..close)?;
                let digits = digits
                    .strip_suffix(b"+")
                    .or(digits.strip_suffix(b"-"))
                    .unwrap_or(digits);
                let n = std::str::from_utf8(digits).ok()?.parse::<usize>().ok()?;
                let mut j = close + 1;
                if b.get(j) == Some(&b'\r') {
                    j += 1;
                }
                if b.get(j) != Some(&b'\n') {
                    return None;
                }
                // The literal's last octet; the loop steps past it.
                i = j.checked_add(n)?;
            }
            _ => {}
        }
        // A literal's length can point anywhere: never wrap.
        i = i.checked_add(1)?;
    }
}

fn single(c: &mut Cursor<'_>, media_type: IString) -> PResult<SinglePart> {
    let subtype = string_or_nil(c)?;
    c.sp()?;
    let params = params(c)?;
    c.sp()?;
    let id = nstring(c)?;
    c.sp()?;
    let description = nstring(c)?;
    c.sp()?;
    let encoding = string_or_nil(c)?;
    c.sp()?;
    let size = body_number(c)?;
    let fields = BasicFields {
        params,
        id,
        description,
        encoding,
        size,
    };
    let t = media_type.as_bytes();
    let st = subtype.as_bytes();
    let kind = if t.eq_ignore_ascii_case(b"TEXT") {
        let lines = if c.peek() == Some(b')') {
            c.quirk(Quirk::MissingLines, "the size in lines of a text part")?;
            0
        } else {
            c.sp()?;
            body_number(c)?
        };
        SingleKind::Text { subtype, lines }
    } else if t.eq_ignore_ascii_case(b"MESSAGE")
        && (st.eq_ignore_ascii_case(b"RFC822") || st.eq_ignore_ascii_case(b"GLOBAL"))
    {
        if c.rest().starts_with(b" (") || nil_envelope_ahead(c.rest()) {
            c.sp()?;
            let envelope = if c.eat_keyword(b"NIL") {
                c.quirk(Quirk::NilEnvelope, "an envelope")?;
                None
            } else {
                Some(Envelope::parse_boxed(c)?)
            };
            c.sp()?;
            let body = if c.eat_keyword(b"NIL") {
                c.quirk(Quirk::NilBody, "a body structure")?;
                None
            } else if c.rest().starts_with(b"()") {
                // Domino 10's `()` (MailKit#944).
                c.quirk(Quirk::NilBody, "a body structure")?;
                c.advance(2);
                None
            } else {
                Some(Box::new(BodyStructure::parse(c)?))
            };
            c.sp()?;
            let lines = body_number(c)?;
            SingleKind::Message {
                subtype,
                envelope,
                body,
                lines,
            }
        } else if st.eq_ignore_ascii_case(b"GLOBAL") {
            // RFC 3501's grammar has no message/global: for an IMAP4rev1
            // server (without RFC 6855 / RFC 9051 §9 `media-message`) it is
            // a `body-type-basic` part, so no envelope is valid.
            SingleKind::Basic {
                media_type,
                subtype,
            }
        } else {
            c.quirk(Quirk::MessageWithoutEnvelope, "envelope, body and lines")?;
            SingleKind::Basic {
                media_type,
                subtype,
            }
        }
    } else {
        SingleKind::Basic {
            media_type,
            subtype,
        }
    };
    let ext = if more(c)? {
        let md5 = nstring(c)?;
        let dsp = dsp_ext(c)?;
        Some(SinglePartExt { md5, dsp })
    } else {
        None
    };
    Ok(SinglePart { kind, fields, ext })
}

impl SinglePart {
    fn write(&self, out: &mut Writer<'_>) {
        let (t, st): (&[u8], &IString) = match &self.kind {
            SingleKind::Basic {
                media_type,
                subtype,
            } => (media_type.as_bytes(), subtype),
            SingleKind::Text { subtype, .. } => (b"TEXT", subtype),
            SingleKind::Message { subtype, .. } => (b"MESSAGE", subtype),
        };
        out.string_bytes(t);
        out.push(b' ');
        out.string_bytes(st.as_bytes());
        out.push(b' ');
        write_params(out, &self.fields.params);
        out.push(b' ');
        out.nstring(&self.fields.id);
        out.push(b' ');
        out.nstring(&self.fields.description);
        out.push(b' ');
        out.string_bytes(self.fields.encoding.as_bytes());
        out.push(b' ');
        write_num(out, self.fields.size);
        match &self.kind {
            SingleKind::Basic { .. } => {}
            SingleKind::Text { lines, .. } => {
                out.push(b' ');
                write_num(out, lines);
            }
            SingleKind::Message {
                envelope,
                body,
                lines,
                ..
            } => {
                out.push(b' ');
                match envelope {
                    Some(e) => e.write(out),
                    None => out.extend_from_slice(b"NIL"),
                }
                out.push(b' ');
                match body {
                    Some(b) => b.write(out),
                    None => out.extend_from_slice(b"NIL"),
                }
                out.push(b' ');
                write_num(out, lines);
            }
        }
        if let Some(ext) = &self.ext {
            out.push(b' ');
            out.nstring(&ext.md5);
            write_dsp_ext(out, &ext.dsp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nil_envelope_lookahead() {
        for yes in [
            &b" NIL NIL 0"[..],
            b" nil  NIL -1)",
            b" NIL (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) 3",
            b" NIL ((\"a\" {3}\r\n)\"( NIL)\"x\\\"(\") 3",
            b" NIL (~{2}\r\n))) 3",
        ] {
            assert!(
                nil_envelope_ahead(yes),
                "{:?}",
                String::from_utf8_lossy(yes)
            );
        }
        for no in [
            &b""[..],
            b")",
            b" NIL",
            b" NIL)",
            b" NIL NIL",
            b" NIL NIL NIL",
            b" NIL (\"attachment\" NIL) NIL",
            b" NIL (\"a\" NIL)",
            b" NIL (\"a",
            b" NIL (\"a\r\n\") 3",
            b" NIL ({99}\r\nab) 3",
            b" NIL ({x}\r\nab) 3",
            b" NIL ({1}ab) 3",
            b" NIL ({18446744073709551615}\r\n) 3",
            b" NIL (a)) 3",
            b" \"md5\" (a) 3",
        ] {
            assert!(!nil_envelope_ahead(no), "{:?}", String::from_utf8_lossy(no));
        }
    }
}
