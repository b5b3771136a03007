//! FETCH data items (RFC 3501 §7.4.2, RFC 9051 §7.5.2, RFC 3516, RFC 7162,
//! RFC 8474, RFC 8514, Gmail's X-GM-EXT-1) and envelopes.

use bytes::Bytes;

use super::value::raw_token;
use super::{BodyStructure, ObjectId, Value};
use crate::encode::{Writer, write_num};
use crate::parse::values::{astring, flag_list, nstring, nstring_or_literal8};
use crate::parse::{Cursor, PResult};
use crate::types::section::{parse_binary_part, write_part};
use crate::types::{AString, Atom, DateTime, Flag, NString, Partial, Section};

/// One FETCH data item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchItem {
    /// `UID n`.
    Uid(u32),
    /// `FLAGS (...)`.
    Flags(Vec<Flag>),
    /// `INTERNALDATE "..."`.
    InternalDate(DateTime),
    /// `RFC822.SIZE n`.
    Rfc822Size(u64),
    /// `RFC822 data` (IMAP4rev1).
    Rfc822(NString),
    /// `RFC822.HEADER data` (IMAP4rev1).
    Rfc822Header(NString),
    /// `RFC822.TEXT data` (IMAP4rev1).
    Rfc822Text(NString),
    /// `ENVELOPE (...)`.
    Envelope(Box<Envelope>),
    /// `BODY (...)`: the body structure without extension data.
    Body(Box<BodyStructure>),
    /// `BODYSTRUCTURE (...)`.
    BodyStructure(Box<BodyStructure>),
    /// `BODY[section]<origin> data`.
    BodySection {
        /// The section.
        section: Section,
        /// The first octet's position when a partial range was asked for.
        origin: Option<u64>,
        /// The data (a slice of the received frame).
        data: NString,
    },
    /// `BINARY[part]<origin> data` (RFC 3516); `None` for NIL.
    Binary {
        /// The part numbers.
        part: Vec<u32>,
        /// The first octet's position when a partial range was asked for.
        origin: Option<u64>,
        /// The decoded content (may hold NUL).
        data: Option<Bytes>,
    },
    /// `BINARY.SIZE[part] n` (RFC 3516).
    BinarySize {
        /// The part numbers.
        part: Vec<u32>,
        /// The decoded size.
        size: u64,
    },
    /// `MODSEQ (n)` (RFC 7162).
    ModSeq(u64),
    /// `EMAILID (id)` (RFC 8474).
    EmailId(ObjectId),
    /// `THREADID (id)` or `THREADID NIL` (RFC 8474).
    ThreadId(Option<ObjectId>),
    /// `SAVEDATE "..."` or `SAVEDATE NIL` (RFC 8514).
    SaveDate(Option<DateTime>),
    /// `X-GM-MSGID n`.
    GmMsgId(u64),
    /// `X-GM-THRID n`.
    GmThrId(u64),
    /// `X-GM-LABELS (...)`.
    GmLabels(Vec<GmLabel>),
    /// Any other item: its name as received (`SNIPPET`, `X-FOO[1]`) and value.
    Other {
        /// The name (a [`super::Token`]: brackets may hold spaces).
        name: super::Token,
        /// The value.
        value: Value,
    },
}

/// A Gmail label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GmLabel {
    /// A system label such as `\Inbox` (the atom after `\`).
    System(Atom),
    /// A user label.
    Label(AString),
}

/// An envelope (RFC 3501 §7.4.2 ENVELOPE).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelope {
    /// `Date:`.
    pub date: NString,
    /// `Subject:`.
    pub subject: NString,
    /// `From:` (empty for NIL).
    pub from: Vec<Address>,
    /// `Sender:`.
    pub sender: Vec<Address>,
    /// `Reply-To:`.
    pub reply_to: Vec<Address>,
    /// `To:`.
    pub to: Vec<Address>,
    /// `Cc:`.
    pub cc: Vec<Address>,
    /// `Bcc:`.
    pub bcc: Vec<Address>,
    /// `In-Reply-To:`.
    pub in_reply_to: NString,
    /// `Message-ID:`.
    pub message_id: NString,
}

/// An address of an envelope: `(name adl mailbox host)`. A group starts
/// with host NIL and mailbox the group name and ends with both NIL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    /// Display name.
    pub name: NString,
    /// Source route (obsolete).
    pub adl: NString,
    /// Local part, or group name.
    pub mailbox: NString,
    /// Domain.
    pub host: NString,
}

/// Reads `"(" msg-att ... ")"`.
pub(crate) fn parse_items(c: &mut Cursor<'_>) -> PResult<Vec<FetchItem>> {
    // Room for a typical sync (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE
    // BODYSTRUCTURE, MODSEQ) without growing.
    let mut items = Vec::with_capacity(8);
    // Each entry of the list is an item, or what servers write in place of
    // one: the list's own count (`Vec<()>`) allocates nothing.
    c.list_sized(0, |c| {
        loop {
            if c.peek() == Some(b'(') {
                // Domino 10 wraps items in parentheses: `(UID 14935
                // (ENVELOPE (...)) BODYSTRUCTURE (...))` (MailKit#943).
                // Read as if not; the item limit counts what is inside.
                c.quirk(crate::Quirk::WrappedItems, "a FETCH item name")?;
                items.extend(c.list(FetchItem::parse)?);
            } else {
                items.push(FetchItem::parse(c)?);
            }
            if items.len() > c.limits().max_items {
                return Err(c.error("fewer list items"));
            }
            // A literal whose data ends in CRLF, then the next item with
            // no space (Exchange, mailio#135: `RFC822 {6}` CRLF `abcd`
            // CRLF `UID 10)`): a LF is only ever the end of literal data,
            // or of the line announcing it.
            if c.previous() != Some(b'\n') || !c.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                return Ok(());
            }
            c.quirk(crate::Quirk::NoSpaceAfterLiteral, "a space")?;
        }
    })?;
    Ok(items)
}

fn sp(c: &mut Cursor<'_>) -> PResult<()> {
    c.sp()
}

/// A FETCH item, or the head of one whose literal is streamed.
enum Parsed {
    Item(FetchItem),
    Streamed(StreamedItem),
}

/// Which FETCH item a streamed literal (one above
/// [`Limits::literal_stream_threshold`](crate::Limits::literal_stream_threshold))
/// carries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamedItem {
    /// `BODY[section]<origin>`.
    BodySection {
        /// The section.
        section: Section,
        /// The first octet's position, for a partial fetch.
        origin: Option<u64>,
    },
    /// `BINARY[part]<origin>`.
    Binary {
        /// The part numbers.
        part: Vec<u32>,
        /// The first octet's position, for a partial fetch.
        origin: Option<u64>,
    },
    /// `RFC822`.
    Rfc822,
    /// `RFC822.HEADER`.
    Rfc822Header,
    /// `RFC822.TEXT`.
    Rfc822Text,
}

/// A streamed literal's item and announced length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamedLiteral {
    /// The item the data belongs to.
    pub item: StreamedItem,
    /// The announced number of octets.
    pub length: u64,
    /// Announced as literal8 (`~{n}`): may hold NUL.
    pub binary: bool,
}

/// Index in `bytes` (a frame ending with a literal announcement line) where
/// the announcement starts.
fn announcement_at(bytes: &[u8]) -> Option<usize> {
    let line = bytes.strip_suffix(b"\n")?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let brace = line.iter().rposition(|&b| b == b'{')?;
    Some(if brace > 0 && line[brace - 1] == b'~' {
        brace - 1
    } else {
        brace
    })
}

/// Reads the announcement `{n}` / `~{n}` that ends a head frame. A
/// literal8 belongs to BINARY data (RFC 3516 §4.2); for any other item it
/// is the quirk [`Quirk::Literal8AsString`](crate::Quirk::Literal8AsString),
/// as when the literal is read whole (its data then may hold NUL, and
/// `binary` says so).
fn announcement(c: &mut Cursor<'_>, item: StreamedItem) -> PResult<StreamedLiteral> {
    let binary = c.eat(b'~');
    if binary && !matches!(item, StreamedItem::Binary { .. }) {
        c.quirk(crate::Quirk::Literal8AsString, "a literal, not a literal8")?;
    }
    c.expect(b'{', "a literal")?;
    let length = c.number64()?;
    let _ = c.eat(b'+');
    c.expect(b'}', "} closing the literal length")?;
    c.finish()?;
    Ok(StreamedLiteral {
        item,
        length,
        binary,
    })
}

/// Reads the piece of a FETCH response before its first streamed literal:
/// `* n FETCH (items... NAME {length}`.
pub(crate) fn parse_stream_head(
    c: &mut Cursor<'_>,
    bytes: &[u8],
) -> PResult<(u32, Vec<FetchItem>, StreamedLiteral)> {
    let at = announcement_at(bytes).ok_or_else(|| c.error("a literal announcement"))?;
    c.expect(b'*', "*")?;
    c.expect(b' ', "a space")?;
    let seq = c.number()?;
    c.sp()?;
    c.expect_keyword(b"FETCH", "FETCH (only FETCH literals are streamed)")?;
    c.sp()?;
    c.expect(b'(', "(")?;
    let mut items = Vec::new();
    loop {
        match FetchItem::parse_inner(c, Some(at))? {
            Parsed::Item(i) => items.push(i),
            Parsed::Streamed(s) => return Ok((seq, items, announcement(c, s)?)),
        }
        if items.len() >= c.limits().max_items {
            return Err(c.error("fewer FETCH items"));
        }
        c.sp()?;
    }
}

/// Reads the piece of a FETCH response after a streamed literal: the
/// remaining items, and the next streamed literal if the piece ends with one.
pub(crate) fn parse_stream_tail(
    c: &mut Cursor<'_>,
    bytes: &[u8],
    streamed: bool,
) -> PResult<(Vec<FetchItem>, Option<StreamedLiteral>)> {
    let at = if streamed {
        Some(announcement_at(bytes).ok_or_else(|| c.error("a literal announcement"))?)
    } else {
        None
    };
    let mut items = Vec::new();
    loop {
        c.trailing_space()?;
        if c.eat(b')') {
            c.finish()?;
            if streamed {
                return Err(c.error("a streamed literal"));
            }
            return Ok((items, None));
        }
        c.sp()?;
        if items.len() >= c.limits().max_items {
            return Err(c.error("fewer FETCH items"));
        }
        match FetchItem::parse_inner(c, at)? {
            Parsed::Item(i) => items.push(i),
            Parsed::Streamed(s) => return Ok((items, Some(announcement(c, s)?))),
        }
    }
}

/// Whether the literal at `c` holds a date-time: such an INTERNALDATE is
/// refused, not kept raw (it would be written back quoted, and read back
/// as a date).
fn literal_date(c: &Cursor<'_>) -> bool {
    let Ok((content, _)) = c.fork_lenient().literal() else {
        return false;
    };
    let mut quoted = Vec::with_capacity(content.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(&content);
    quoted.push(b'"');
    let quoted = Bytes::from(quoted);
    let mut probe = Cursor::over(&quoted, 0, c.limits(), crate::parse::Strictness::Lenient);
    DateTime::parse(&mut probe).is_ok() && probe.rest().is_empty()
}

impl FetchItem {
    fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        match Self::parse_inner(c, None)? {
            Parsed::Item(i) => Ok(i),
            Parsed::Streamed(_) => Err(c.error("a FETCH item")),
        }
    }

    /// Reads an item; when its value starts at `stream_at`, returns its head
    /// instead (the value is a streamed literal).
    fn parse_inner(c: &mut Cursor<'_>, stream_at: Option<usize>) -> PResult<Parsed> {
        let rest = c.rest();
        let n = rest
            .iter()
            .take_while(|&&b| crate::types::is_atom_char(b) && b != b'[' && b != b'<')
            .count();
        let name = &rest[..n];
        let upper = crate::parse::upper(name);
        let with_section = rest.get(n) == Some(&b'[');
        let known = match (&upper[..], with_section) {
            (b"BODY", true) | (b"BINARY", true) | (b"BINARY.SIZE", true) => true,
            (_, true) => false,
            (
                b"UID" | b"FLAGS" | b"INTERNALDATE" | b"RFC822.SIZE" | b"RFC822" | b"RFC822.HEADER"
                | b"RFC822.TEXT" | b"ENVELOPE" | b"BODY" | b"BODYSTRUCTURE" | b"MODSEQ"
                | b"EMAILID" | b"THREADID" | b"SAVEDATE" | b"X-GM-MSGID" | b"X-GM-THRID"
                | b"X-GM-LABELS",
                false,
            ) => true,
            _ => false,
        };
        if !known {
            let name = raw_token(c, "a FETCH item name")?;
            let name = super::Token::new(name).map_err(|_| c.error("a FETCH item name"))?;
            sp(c)?;
            return Ok(Parsed::Item(FetchItem::Other {
                name,
                value: Value::parse(c)?,
            }));
        }
        c.advance(n);
        if with_section {
            c.advance(1);
            let streamed = |c: &Cursor<'_>| stream_at == Some(c.pos());
            return Ok(Parsed::Item(match &upper[..] {
                b"BODY" => {
                    let section = Section::parse(c)?;
                    c.expect(b']', "] closing the section")?;
                    let origin = partial_origin(c)?;
                    sp(c)?;
                    if streamed(c) {
                        return Ok(Parsed::Streamed(StreamedItem::BodySection {
                            section,
                            origin,
                        }));
                    }
                    FetchItem::BodySection {
                        section,
                        origin,
                        data: nstring(c)?,
                    }
                }
                b"BINARY" => {
                    let part = parse_binary_part(c)?;
                    c.expect(b']', "] closing the part")?;
                    let origin = partial_origin(c)?;
                    sp(c)?;
                    if streamed(c) {
                        return Ok(Parsed::Streamed(StreamedItem::Binary { part, origin }));
                    }
                    FetchItem::Binary {
                        part,
                        origin,
                        data: nstring_or_literal8(c)?,
                    }
                }
                _ => {
                    let part = parse_binary_part(c)?;
                    c.expect(b']', "] closing the part")?;
                    sp(c)?;
                    FetchItem::BinarySize {
                        part,
                        size: c.number64()?,
                    }
                }
            }));
        }
        sp(c)?;
        if stream_at == Some(c.pos()) {
            let item = match &upper[..] {
                b"RFC822" => Some(StreamedItem::Rfc822),
                b"RFC822.HEADER" => Some(StreamedItem::Rfc822Header),
                b"RFC822.TEXT" => Some(StreamedItem::Rfc822Text),
                _ => None,
            };
            if let Some(item) = item {
                return Ok(Parsed::Streamed(item));
            }
        }
        Ok(Parsed::Item(match &upper[..] {
            b"UID" => FetchItem::Uid(c.nz_number()?),
            b"FLAGS" => FetchItem::Flags(flag_list(c, false)?),
            b"INTERNALDATE" => {
                let mut probe = c.fork_lenient();
                match DateTime::parse(&mut probe) {
                    Ok(date) => {
                        c.advance(probe.pos() - c.pos());
                        FetchItem::InternalDate(date)
                    }
                    // A string that is no date, such as Domino's
                    // `"00-Jan-0000 00:00:00 +0000"` for a message without
                    // one (MailKit#1236): kept raw, as an unknown item is
                    // (and written back as its value is: a literal when
                    // it must be).
                    Err(_) if c.peek() == Some(b'"') || (c.at_literal() && !literal_date(c)) => {
                        c.quirk(crate::Quirk::InvalidDate, "a valid date")?;
                        let name = super::Token::new(Bytes::from_static(b"INTERNALDATE"))
                            .map_err(|_| c.error("a FETCH item name"))?;
                        FetchItem::Other {
                            name,
                            value: Value::parse(c)?,
                        }
                    }
                    Err(error) => return Err(error),
                }
            }
            b"RFC822.SIZE" => FetchItem::Rfc822Size(c.number64()?),
            b"RFC822" => FetchItem::Rfc822(nstring(c)?),
            b"RFC822.HEADER" => FetchItem::Rfc822Header(nstring(c)?),
            b"RFC822.TEXT" => FetchItem::Rfc822Text(nstring(c)?),
            b"ENVELOPE" => FetchItem::Envelope(Envelope::parse_boxed(c)?),
            b"BODY" => FetchItem::Body(Box::new(BodyStructure::parse(c)?)),
            b"BODYSTRUCTURE" => FetchItem::BodyStructure(Box::new(BodyStructure::parse(c)?)),
            b"MODSEQ" => {
                c.expect(b'(', "( before the mod-sequence")?;
                let n = c.number64()?;
                c.expect(b')', ") after the mod-sequence")?;
                FetchItem::ModSeq(n)
            }
            b"EMAILID" => FetchItem::EmailId(ObjectId::parse_paren(c)?),
            b"THREADID" => FetchItem::ThreadId(if c.eat_keyword(b"NIL") {
                None
            } else {
                Some(ObjectId::parse_paren(c)?)
            }),
            b"SAVEDATE" => FetchItem::SaveDate(if c.eat_keyword(b"NIL") {
                None
            } else {
                Some(DateTime::parse(c)?)
            }),
            b"X-GM-MSGID" => FetchItem::GmMsgId(c.number64()?),
            b"X-GM-THRID" => FetchItem::GmThrId(c.number64()?),
            _ => FetchItem::GmLabels(c.list(|c| {
                if c.eat(b'\\') {
                    let a = c.atom()?;
                    Ok(GmLabel::System(
                        Atom::new(a).map_err(|_| c.error("a label"))?,
                    ))
                } else {
                    Ok(GmLabel::Label(astring(c)?))
                }
            })?),
        }))
    }

    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        let kw = |out: &mut Writer<'_>, k: &[u8]| {
            out.extend_from_slice(k);
            out.push(b' ');
        };
        match self {
            FetchItem::Uid(n) => {
                kw(out, b"UID");
                write_num(out, n);
            }
            FetchItem::Flags(f) => {
                kw(out, b"FLAGS");
                out.flags(f);
            }
            FetchItem::InternalDate(d) => {
                kw(out, b"INTERNALDATE");
                d.write(out);
            }
            FetchItem::Rfc822Size(n) => {
                kw(out, b"RFC822.SIZE");
                write_num(out, n);
            }
            FetchItem::Rfc822(s) => {
                kw(out, b"RFC822");
                out.nstring(s);
            }
            FetchItem::Rfc822Header(s) => {
                kw(out, b"RFC822.HEADER");
                out.nstring(s);
            }
            FetchItem::Rfc822Text(s) => {
                kw(out, b"RFC822.TEXT");
                out.nstring(s);
            }
            FetchItem::Envelope(e) => {
                kw(out, b"ENVELOPE");
                e.write(out);
            }
            FetchItem::Body(b) => {
                kw(out, b"BODY");
                b.write(out);
            }
            FetchItem::BodyStructure(b) => {
                kw(out, b"BODYSTRUCTURE");
                b.write(out);
            }
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => {
                out.extend_from_slice(b"BODY[");
                section.write(out);
                out.push(b']');
                write_origin(out, *origin);
                out.push(b' ');
                out.nstring(data);
            }
            FetchItem::Binary { part, origin, data } => {
                out.extend_from_slice(b"BINARY[");
                write_part(part, out);
                out.push(b']');
                write_origin(out, *origin);
                out.push(b' ');
                match data {
                    None => out.extend_from_slice(b"NIL"),
                    Some(d) => out.literal8(d),
                }
            }
            FetchItem::BinarySize { part, size } => {
                out.extend_from_slice(b"BINARY.SIZE[");
                write_part(part, out);
                out.extend_from_slice(b"] ");
                write_num(out, size);
            }
            FetchItem::ModSeq(n) => {
                kw(out, b"MODSEQ");
                out.push(b'(');
                write_num(out, n);
                out.push(b')');
            }
            FetchItem::EmailId(id) => {
                kw(out, b"EMAILID");
                id.write_paren(out);
            }
            FetchItem::ThreadId(id) => {
                kw(out, b"THREADID");
                match id {
                    Some(id) => id.write_paren(out),
                    None => out.extend_from_slice(b"NIL"),
                }
            }
            FetchItem::SaveDate(d) => {
                kw(out, b"SAVEDATE");
                match d {
                    Some(d) => d.write(out),
                    None => out.extend_from_slice(b"NIL"),
                }
            }
            FetchItem::GmMsgId(n) => {
                kw(out, b"X-GM-MSGID");
                write_num(out, n);
            }
            FetchItem::GmThrId(n) => {
                kw(out, b"X-GM-THRID");
                write_num(out, n);
            }
            FetchItem::GmLabels(labels) => {
                kw(out, b"X-GM-LABELS");
                out.list(labels, |out, l| match l {
                    GmLabel::System(a) => {
                        out.push(b'\\');
                        out.extend_from_slice(a.as_bytes());
                    }
                    GmLabel::Label(s) => out.astring_bytes(s.as_bytes()),
                });
            }
            FetchItem::Other { name, value } => {
                out.extend_from_slice(name.as_bytes());
                out.push(b' ');
                value.write_to(out);
            }
        }
    }
}

fn partial_origin(c: &mut Cursor<'_>) -> PResult<Option<u64>> {
    match Partial::parse_opt(c)? {
        None => Ok(None),
        Some(Partial {
            origin,
            length: None,
        }) => Ok(Some(origin)),
        Some(_) => Err(c.error("<origin> without a length in a response")),
    }
}

fn write_origin(out: &mut Writer<'_>, origin: Option<u64>) {
    if let Some(o) = origin {
        out.push(b'<');
        write_num(out, o);
        out.push(b'>');
    }
}

fn address_list(c: &mut Cursor<'_>) -> PResult<Vec<Address>> {
    if c.eat_keyword(b"NIL") {
        return Ok(Vec::new());
    }
    c.expect(b'(', "( or NIL")?;
    c.enter()?;
    let mut list = Vec::new();
    loop {
        if c.peek() == Some(b' ') {
            c.quirk(crate::Quirk::SpacedAddresses, "addresses without spaces")?;
            while c.eat(b' ') {}
        }
        if c.eat(b')') {
            break;
        }
        if list.len() >= c.limits().max_items {
            return Err(c.error("fewer addresses"));
        }
        list.push(Address::parse(c)?);
    }
    c.leave();
    if list.is_empty() {
        c.quirk(crate::Quirk::EmptyList, "NIL for an empty address list")?;
    }
    Ok(list)
}

fn write_address_list(out: &mut Writer<'_>, list: &[Address]) {
    if list.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for a in list {
        a.write(out);
    }
    out.push(b')');
}

impl Address {
    fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        c.expect(b'(', "( starting an address")?;
        c.enter()?;
        let name = nstring(c)?;
        sp(c)?;
        let adl = nstring(c)?;
        sp(c)?;
        let mailbox = nstring(c)?;
        sp(c)?;
        let host = nstring(c)?;
        c.trailing_space()?;
        c.expect(b')', ") closing the address")?;
        c.leave();
        Ok(Self {
            name,
            adl,
            mailbox,
            host,
        })
    }

    fn write(&self, out: &mut Writer<'_>) {
        out.push(b'(');
        out.nstring(&self.name);
        out.push(b' ');
        out.nstring(&self.adl);
        out.push(b' ');
        out.nstring(&self.mailbox);
        out.push(b' ');
        out.nstring(&self.host);
        out.push(b')');
    }
}

impl Envelope {
    /// Reads `"(" env-date SP env-subject SP ... ")"` into a box, field by
    /// field (the envelope is never moved as a whole).
    pub(crate) fn parse_boxed(c: &mut Cursor<'_>) -> PResult<Box<Self>> {
        let mut e = Box::<Envelope>::default();
        c.expect(b'(', "( starting an envelope")?;
        c.enter()?;
        e.date = nstring(c)?;
        sp(c)?;
        e.subject = nstring(c)?;
        sp(c)?;
        e.from = address_list(c)?;
        sp(c)?;
        e.sender = address_list(c)?;
        sp(c)?;
        e.reply_to = address_list(c)?;
        sp(c)?;
        e.to = address_list(c)?;
        sp(c)?;
        e.cc = address_list(c)?;
        sp(c)?;
        e.bcc = address_list(c)?;
        // Eight or nine fields may end here, perhaps after spaces (read
        // below): the last ones are missing.
        let closes = |c: &Cursor<'_>| {
            let rest = c.rest();
            let spaces = rest.iter().take_while(|&&b| b == b' ').count();
            rest.get(spaces) == Some(&b')')
        };
        if closes(c) {
            c.quirk(crate::Quirk::MissingMessageId, "the in-reply-to")?;
        } else {
            sp(c)?;
            e.in_reply_to = nstring(c)?;
            if closes(c) {
                c.quirk(crate::Quirk::MissingMessageId, "the message id")?;
            } else {
                sp(c)?;
                e.message_id = nstring(c)?;
            }
        }
        c.trailing_space()?;
        c.expect(b')', ") closing the envelope")?;
        c.leave();
        Ok(e)
    }

    /// Writes the envelope.
    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        out.push(b'(');
        out.nstring(&self.date);
        out.push(b' ');
        out.nstring(&self.subject);
        for list in [
            &self.from,
            &self.sender,
            &self.reply_to,
            &self.to,
            &self.cc,
            &self.bcc,
        ] {
            out.push(b' ');
            write_address_list(out, list);
        }
        out.push(b' ');
        out.nstring(&self.in_reply_to);
        out.push(b' ');
        out.nstring(&self.message_id);
        out.push(b')');
    }
}
