//! `FETCH` metadata read in place: the reader that records the items on the
//! tape (canonical grammar only, RFC 3501 §7.4.2 / RFC 9051 §7.5.2), and
//! the typed views over the tape.

use bytes::Bytes;

use super::lex::{Kind, Lex, NStr, Node, Str, Tape, Tok, to_nstring};
use crate::limits::Limits;
use crate::response::{
    Address, BasicFields, BodyStructure, Disposition, DispositionExt, Envelope, FetchItem,
    LanguageExt, LocationExt, MultiPartExt, SingleKind, SinglePart, SinglePartExt,
};
use crate::types::{DateTime, Flag, IString, NString, is_atom_char};

/// Deepest body structure nesting a view takes (the full parser reads
/// deeper ones, up to [`Limits::max_depth`]).
const MAX_BODY_DEPTH: usize = 16;

// ------------------------------------------------------------------ reader

/// Reads `"(" msg-att *(SP msg-att) ")"` onto the tape (the list is token 0).
pub(crate) fn read_items(lex: &mut Lex<'_>, tape: &mut Tape, limits: &Limits) -> Option<()> {
    let list = tape.open(lex.pos());
    lex.expect(b'(')?;
    let mut count = 0;
    loop {
        let start = lex.pos();
        let name = lex.take_while(|b| is_atom_char(b) && b != b'[' && b != b'<');
        // Sections (`BODY[...]`) and partial ranges: the full parser.
        if name.is_empty() || matches!(lex.peek(), Some(b'[' | b'<')) {
            return None;
        }
        tape.push(Kind::Atom, start, lex.pos());
        lex.sp()?;
        match &*crate::parse::upper(name) {
            b"UID" => {
                let start = lex.pos();
                lex.nz_number()?;
                tape.push(Kind::Number, start, lex.pos());
            }
            b"FLAGS" => read_flags(lex, tape)?,
            b"INTERNALDATE" => {
                let start = lex.pos();
                let date = lex.quoted()?;
                if date.is_escaped() || parse_date_time(date.raw()).is_none() {
                    return None;
                }
                tape.push(Kind::Str, start + 1, lex.pos() - 1);
            }
            b"RFC822.SIZE" | b"X-GM-MSGID" | b"X-GM-THRID" => tape.number(lex)?,
            b"MODSEQ" => {
                lex.expect(b'(')?;
                tape.number(lex)?;
                lex.expect(b')')?;
            }
            b"ENVELOPE" => read_envelope(lex, tape, limits)?,
            b"BODY" | b"BODYSTRUCTURE" => read_body(lex, tape, limits, 0)?,
            _ => return None,
        }
        count += 1;
        if count >= limits.max_items {
            return None;
        }
        if lex.eat(b')') {
            break;
        }
        lex.sp()?;
    }
    tape.close(list);
    Some(())
}

/// `"(" [flag *(SP flag)] ")"`: `\` and an atom, or an atom; no `\*`.
fn read_flags(lex: &mut Lex<'_>, tape: &mut Tape) -> Option<()> {
    let list = tape.open(lex.pos());
    lex.expect(b'(')?;
    if !lex.eat(b')') {
        loop {
            let start = lex.pos();
            lex.eat(b'\\');
            lex.atom()?;
            tape.push(Kind::Atom, start, lex.pos());
            if lex.eat(b')') {
                break;
            }
            lex.sp()?;
        }
    }
    tape.close(list);
    Some(())
}

fn read_envelope(lex: &mut Lex<'_>, tape: &mut Tape, limits: &Limits) -> Option<()> {
    let list = tape.open(lex.pos());
    lex.expect(b'(')?;
    tape.nstring(lex)?;
    lex.sp()?;
    tape.nstring(lex)?;
    for _ in 0..6 {
        lex.sp()?;
        read_addresses(lex, tape, limits)?;
    }
    lex.sp()?;
    tape.nstring(lex)?;
    lex.sp()?;
    tape.nstring(lex)?;
    lex.expect(b')')?;
    tape.close(list);
    Some(())
}

/// `"(" 1*address ")" / nil`; an empty list is a quirk.
fn read_addresses(lex: &mut Lex<'_>, tape: &mut Tape, limits: &Limits) -> Option<()> {
    let start = lex.pos();
    if lex.eat_keyword(b"NIL") {
        tape.push(Kind::Nil, start, lex.pos());
        return Some(());
    }
    let list = tape.open(start);
    lex.expect(b'(')?;
    let mut count = 0;
    while !lex.eat(b')') {
        count += 1;
        if count > limits.max_items {
            return None;
        }
        let address = tape.open(lex.pos());
        lex.expect(b'(')?;
        tape.nstring(lex)?;
        for _ in 0..3 {
            lex.sp()?;
            tape.nstring(lex)?;
        }
        lex.expect(b')')?;
        tape.close(address);
    }
    if count == 0 {
        return None;
    }
    tape.close(list);
    Some(())
}

/// `body-fld-param`: NIL, or name / value pairs (at least one).
fn read_params(lex: &mut Lex<'_>, tape: &mut Tape) -> Option<()> {
    let start = lex.pos();
    if lex.eat_keyword(b"NIL") {
        tape.push(Kind::Nil, start, lex.pos());
        return Some(());
    }
    let list = tape.open(start);
    lex.expect(b'(')?;
    loop {
        tape.string(lex)?;
        lex.sp()?;
        tape.string(lex)?;
        if lex.eat(b')') {
            break;
        }
        lex.sp()?;
    }
    tape.close(list);
    Some(())
}

/// A body size or line count: a 32-bit number (larger is a quirk).
fn read_body_number(lex: &mut Lex<'_>, tape: &mut Tape) -> Option<()> {
    let start = lex.pos();
    lex.number()?;
    tape.push(Kind::Number, start, lex.pos());
    Some(())
}

/// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]`; further
/// extension data goes to the full parser.
fn read_dsp_ext(lex: &mut Lex<'_>, tape: &mut Tape) -> Option<()> {
    if !lex.eat(b' ') {
        return Some(());
    }
    let start = lex.pos();
    if lex.eat_keyword(b"NIL") {
        tape.push(Kind::Nil, start, lex.pos());
    } else {
        let dsp = tape.open(start);
        lex.expect(b'(')?;
        tape.string(lex)?;
        lex.sp()?;
        read_params(lex, tape)?;
        lex.expect(b')')?;
        tape.close(dsp);
    }
    if !lex.eat(b' ') {
        return Some(());
    }
    match lex.peek()? {
        b'(' => {
            let lang = tape.open(lex.pos());
            lex.expect(b'(')?;
            loop {
                tape.string(lex)?;
                if lex.eat(b')') {
                    break;
                }
                lex.sp()?;
            }
            tape.close(lang);
        }
        _ => tape.nstring(lex)?,
    }
    if !lex.eat(b' ') {
        return Some(());
    }
    tape.nstring(lex)?;
    // `body-extension` values: the full parser keeps them.
    (lex.peek() != Some(b' ')).then_some(())
}

/// `body` (RFC 3501 §9), canonical: strings where strings are required,
/// sizes below 2^32, every part with its fields.
fn read_body(lex: &mut Lex<'_>, tape: &mut Tape, limits: &Limits, depth: usize) -> Option<()> {
    if depth >= MAX_BODY_DEPTH || depth + 8 >= limits.max_depth {
        return None;
    }
    let list = tape.open(lex.pos());
    lex.expect(b'(')?;
    if lex.peek() == Some(b'(') {
        let mut parts = 0;
        while lex.peek() == Some(b'(') {
            parts += 1;
            if parts > limits.max_items {
                return None;
            }
            read_body(lex, tape, limits, depth + 1)?;
        }
        lex.sp()?;
        tape.string(lex)?;
        if lex.eat(b' ') {
            read_params(lex, tape)?;
            read_dsp_ext(lex, tape)?;
        }
    } else {
        let media_start = lex.pos();
        let media = lex.quoted()?;
        tape.push(
            if media.is_escaped() {
                Kind::StrEscaped
            } else {
                Kind::Str
            },
            media_start + 1,
            lex.pos() - 1,
        );
        lex.sp()?;
        let subtype = lex.quoted()?;
        tape.push(
            if subtype.is_escaped() {
                Kind::StrEscaped
            } else {
                Kind::Str
            },
            lex.pos() - 1 - subtype.raw().len(),
            lex.pos() - 1,
        );
        lex.sp()?;
        read_params(lex, tape)?;
        lex.sp()?;
        tape.nstring(lex)?;
        lex.sp()?;
        tape.nstring(lex)?;
        lex.sp()?;
        tape.string(lex)?;
        lex.sp()?;
        read_body_number(lex, tape)?;
        match part_kind(media, subtype) {
            PartKind::Text => {
                lex.sp()?;
                read_body_number(lex, tape)?;
            }
            PartKind::Message => {
                if lex.rest().starts_with(b" (") {
                    lex.sp()?;
                    read_envelope(lex, tape, limits)?;
                    lex.sp()?;
                    read_body(lex, tape, limits, depth + 1)?;
                    lex.sp()?;
                    read_body_number(lex, tape)?;
                } else if !subtype.eq_ignore_ascii_case(b"GLOBAL")
                    || crate::response::body::nil_envelope_ahead(lex.rest())
                {
                    // message/rfc822 without its fields: a quirk.
                    return None;
                }
            }
            PartKind::Basic => {}
        }
        if lex.eat(b' ') {
            tape.nstring(lex)?;
            read_dsp_ext(lex, tape)?;
        }
    }
    lex.expect(b')')?;
    tape.close(list);
    Some(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Text,
    Message,
    Basic,
}

fn part_kind(media: Str<'_>, subtype: Str<'_>) -> PartKind {
    if media.eq_ignore_ascii_case(b"TEXT") {
        PartKind::Text
    } else if media.eq_ignore_ascii_case(b"MESSAGE")
        && (subtype.eq_ignore_ascii_case(b"RFC822") || subtype.eq_ignore_ascii_case(b"GLOBAL"))
    {
        PartKind::Message
    } else {
        PartKind::Basic
    }
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// `date-time` content as servers write it (RFC 3501 §9): `dd-Mon-yyyy
/// hh:mm:ss +zzzz`, the day two digits or a space and one.
fn parse_date_time(s: &[u8]) -> Option<DateTime> {
    let &[
        d1,
        d2,
        b'-',
        m1,
        m2,
        m3,
        b'-',
        y1,
        y2,
        y3,
        y4,
        b' ',
        h1,
        h2,
        b':',
        n1,
        n2,
        b':',
        s1,
        s2,
        b' ',
        sign,
        z1,
        z2,
        z3,
        z4,
    ] = s
    else {
        return None;
    };
    let digit = |b: u8| b.is_ascii_digit().then(|| u32::from(b - b'0'));
    let two = |a: u8, b: u8| Some(digit(a)? * 10 + digit(b)?);
    let day = if d1 == b' ' { digit(d2)? } else { two(d1, d2)? };
    let month = MONTHS
        .iter()
        .position(|m| [m1, m2, m3].eq_ignore_ascii_case(&m[..]))?;
    let year = two(y1, y2)? * 100 + two(y3, y4)?;
    let (hour, minute, second) = (two(h1, h2)?, two(n1, n2)?, two(s1, s2)?);
    let (zh, zm) = (two(z1, z2)?, two(z3, z4)?);
    let sign: i16 = match sign {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 60 || zm > 59 {
        return None;
    }
    let date = crate::types::Date::new(
        u16::try_from(year).ok()?,
        u8::try_from(month + 1).ok()?,
        u8::try_from(day).ok()?,
    )?;
    Some(DateTime {
        date,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        offset_minutes: sign * i16::try_from(zh * 60 + zm).ok()?,
    })
}

// ------------------------------------------------------------------- views

/// `* n FETCH (...)` read in place.
#[derive(Debug, Clone, Copy)]
pub struct FetchView<'a> {
    seq: u32,
    items: Node<'a>,
}

impl<'a> FetchView<'a> {
    pub(crate) fn new(seq: u32, line: &'a [u8], toks: &'a [Tok]) -> Self {
        Self {
            seq,
            items: Node {
                line,
                toks,
                index: 0,
            },
        }
    }

    /// The message sequence number.
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// The items, in the order received.
    pub fn items(&self) -> FetchItems<'a> {
        FetchItems(self.items.items())
    }

    /// The owned items.
    pub fn to_items(&self) -> Vec<FetchItem> {
        self.items().map(|i| i.to_item()).collect()
    }
}

/// The items of a [`FetchView`].
#[derive(Debug, Clone)]
pub struct FetchItems<'a>(super::lex::Items<'a>);

impl<'a> Iterator for FetchItems<'a> {
    type Item = FetchItemView<'a>;

    fn next(&mut self) -> Option<FetchItemView<'a>> {
        let name = self.0.next()?;
        let value = self.0.next()?;
        Some(match &*crate::parse::upper(name.span()) {
            b"UID" => FetchItemView::Uid(value.number() as u32),
            b"FLAGS" => FetchItemView::Flags(FlagsView(value)),
            b"INTERNALDATE" => FetchItemView::InternalDate(parse_date_time(value.span())?),
            b"RFC822.SIZE" => FetchItemView::Rfc822Size(value.number()),
            b"ENVELOPE" => FetchItemView::Envelope(EnvelopeView(value)),
            b"BODY" => FetchItemView::Body(BodyView(value)),
            b"BODYSTRUCTURE" => FetchItemView::BodyStructure(BodyView(value)),
            b"MODSEQ" => FetchItemView::ModSeq(value.number()),
            b"X-GM-MSGID" => FetchItemView::GmMsgId(value.number()),
            b"X-GM-THRID" => FetchItemView::GmThrId(value.number()),
            _ => return None,
        })
    }
}

/// A FETCH item read in place.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum FetchItemView<'a> {
    /// `UID n`.
    Uid(u32),
    /// `FLAGS (...)`.
    Flags(FlagsView<'a>),
    /// `INTERNALDATE "..."`.
    InternalDate(DateTime),
    /// `RFC822.SIZE n`.
    Rfc822Size(u64),
    /// `ENVELOPE (...)`.
    Envelope(EnvelopeView<'a>),
    /// `BODY (...)`: the body structure without extension data.
    Body(BodyView<'a>),
    /// `BODYSTRUCTURE (...)`.
    BodyStructure(BodyView<'a>),
    /// `MODSEQ (n)` (RFC 7162).
    ModSeq(u64),
    /// `X-GM-MSGID n`.
    GmMsgId(u64),
    /// `X-GM-THRID n`.
    GmThrId(u64),
}

impl FetchItemView<'_> {
    /// The owned item.
    pub fn to_item(&self) -> FetchItem {
        match self {
            FetchItemView::Uid(n) => FetchItem::Uid(*n),
            FetchItemView::Flags(f) => FetchItem::Flags(f.to_flags()),
            FetchItemView::InternalDate(d) => FetchItem::InternalDate(*d),
            FetchItemView::Rfc822Size(n) => FetchItem::Rfc822Size(*n),
            FetchItemView::Envelope(e) => FetchItem::Envelope(Box::new(e.to_envelope())),
            FetchItemView::Body(b) => FetchItem::Body(Box::new(b.to_body_structure())),
            FetchItemView::BodyStructure(b) => {
                FetchItem::BodyStructure(Box::new(b.to_body_structure()))
            }
            FetchItemView::ModSeq(n) => FetchItem::ModSeq(*n),
            FetchItemView::GmMsgId(n) => FetchItem::GmMsgId(*n),
            FetchItemView::GmThrId(n) => FetchItem::GmThrId(*n),
        }
    }
}

/// A flag list read in place.
#[derive(Debug, Clone, Copy)]
pub struct FlagsView<'a>(Node<'a>);

impl<'a> FlagsView<'a> {
    /// The flags as sent (`\Seen`, `$Forwarded`).
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        self.0.items().map(|n| n.span())
    }

    /// The owned flags.
    pub fn to_flags(&self) -> Vec<Flag> {
        self.iter().filter_map(|f| Flag::parse(f).ok()).collect()
    }
}

/// An envelope read in place (RFC 3501 §7.4.2).
#[derive(Debug, Clone, Copy)]
pub struct EnvelopeView<'a>(Node<'a>);

impl<'a> EnvelopeView<'a> {
    fn field(&self, n: usize) -> Option<Node<'a>> {
        self.0.item(n)
    }

    fn nstr(&self, n: usize) -> NStr<'a> {
        self.field(n).and_then(|f| f.nstr())
    }

    fn addresses(&self, n: usize) -> AddressesView<'a> {
        AddressesView(self.field(n))
    }

    /// `Date:`.
    pub fn date(&self) -> NStr<'a> {
        self.nstr(0)
    }

    /// `Subject:`.
    pub fn subject(&self) -> NStr<'a> {
        self.nstr(1)
    }

    /// `From:`.
    pub fn from(&self) -> AddressesView<'a> {
        self.addresses(2)
    }

    /// `Sender:`.
    pub fn sender(&self) -> AddressesView<'a> {
        self.addresses(3)
    }

    /// `Reply-To:`.
    pub fn reply_to(&self) -> AddressesView<'a> {
        self.addresses(4)
    }

    /// `To:`.
    pub fn to(&self) -> AddressesView<'a> {
        self.addresses(5)
    }

    /// `Cc:`.
    pub fn cc(&self) -> AddressesView<'a> {
        self.addresses(6)
    }

    /// `Bcc:`.
    pub fn bcc(&self) -> AddressesView<'a> {
        self.addresses(7)
    }

    /// `In-Reply-To:`.
    pub fn in_reply_to(&self) -> NStr<'a> {
        self.nstr(8)
    }

    /// `Message-ID:`.
    pub fn message_id(&self) -> NStr<'a> {
        self.nstr(9)
    }

    /// The owned envelope.
    pub fn to_envelope(&self) -> Envelope {
        Envelope {
            date: to_nstring(self.date()),
            subject: to_nstring(self.subject()),
            from: self.from().to_addresses(),
            sender: self.sender().to_addresses(),
            reply_to: self.reply_to().to_addresses(),
            to: self.to().to_addresses(),
            cc: self.cc().to_addresses(),
            bcc: self.bcc().to_addresses(),
            in_reply_to: to_nstring(self.in_reply_to()),
            message_id: to_nstring(self.message_id()),
        }
    }
}

/// An address list read in place (empty for NIL).
#[derive(Debug, Clone, Copy)]
pub struct AddressesView<'a>(Option<Node<'a>>);

impl<'a> AddressesView<'a> {
    /// The addresses.
    pub fn iter(&self) -> impl Iterator<Item = AddressView<'a>> + use<'a> {
        self.0.into_iter().flat_map(|n| n.items()).map(AddressView)
    }

    /// Whether the list is NIL.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The owned addresses.
    pub fn to_addresses(&self) -> Vec<Address> {
        self.iter().map(|a| a.to_address()).collect()
    }
}

/// An address read in place.
#[derive(Debug, Clone, Copy)]
pub struct AddressView<'a>(Node<'a>);

impl<'a> AddressView<'a> {
    /// Display name.
    pub fn name(&self) -> NStr<'a> {
        self.0.item(0).and_then(|n| n.nstr())
    }

    /// Source route (obsolete).
    pub fn adl(&self) -> NStr<'a> {
        self.0.item(1).and_then(|n| n.nstr())
    }

    /// Local part, or group name.
    pub fn mailbox(&self) -> NStr<'a> {
        self.0.item(2).and_then(|n| n.nstr())
    }

    /// Domain.
    pub fn host(&self) -> NStr<'a> {
        self.0.item(3).and_then(|n| n.nstr())
    }

    /// The owned address.
    pub fn to_address(&self) -> Address {
        let mut items = self.0.items().map(|n| to_nstring(n.nstr()));
        let mut next = || items.next().unwrap_or(NString::NIL);
        Address {
            name: next(),
            adl: next(),
            mailbox: next(),
            host: next(),
        }
    }
}

/// Body parameters read in place: name / value pairs (none for NIL).
#[derive(Debug, Clone, Copy)]
pub struct ParamsView<'a>(Option<Node<'a>>);

impl<'a> ParamsView<'a> {
    /// The pairs.
    pub fn iter(&self) -> impl Iterator<Item = (Str<'a>, Str<'a>)> + use<'a> {
        let mut items = self
            .0
            .filter(|n| n.kind() == Kind::List)
            .into_iter()
            .flat_map(|n| n.items());
        std::iter::from_fn(move || Some((items.next()?.str(), items.next()?.str())))
    }

    fn to_params(self) -> Vec<(IString, IString)> {
        self.iter()
            .map(|(k, v)| (k.to_istring(), v.to_istring()))
            .collect()
    }
}

/// A body structure read in place (RFC 3501 §7.4.2 BODYSTRUCTURE).
#[derive(Debug, Clone, Copy)]
pub struct BodyView<'a>(Node<'a>);

impl<'a> BodyView<'a> {
    /// Whether this is a multipart.
    pub fn is_multipart(&self) -> bool {
        self.0.item(0).is_some_and(|n| n.kind() == Kind::List)
    }

    /// The parts of a multipart (none for a single part).
    pub fn parts(&self) -> impl Iterator<Item = BodyView<'a>> + use<'a> {
        let multi = self.is_multipart();
        self.0
            .items()
            .take_while(move |n| multi && n.kind() == Kind::List)
            .map(BodyView)
    }

    /// Where the fields after a multipart's parts start.
    fn multi_rest(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        self.0.items().skip_while(|n| n.kind() == Kind::List)
    }

    /// The media type (`text`, `image`, ...); `multipart` for a multipart.
    pub fn media_type(&self) -> Str<'a> {
        if self.is_multipart() {
            return Str::new(b"multipart", false);
        }
        self.0
            .item(0)
            .map(|n| n.str())
            .unwrap_or(Str::new(b"", false))
    }

    /// The subtype (`plain`, `alternative`, ...).
    pub fn subtype(&self) -> Str<'a> {
        let node = if self.is_multipart() {
            self.multi_rest().next()
        } else {
            self.0.item(1)
        };
        node.map(|n| n.str()).unwrap_or(Str::new(b"", false))
    }

    /// The parameters (`charset`, `boundary`, ...).
    pub fn params(&self) -> ParamsView<'a> {
        ParamsView(if self.is_multipart() {
            self.multi_rest().nth(1)
        } else {
            self.0.item(2)
        })
    }

    /// `Content-ID` (single parts).
    pub fn id(&self) -> NStr<'a> {
        self.single_field(3)
    }

    /// `Content-Description` (single parts).
    pub fn description(&self) -> NStr<'a> {
        self.single_field(4)
    }

    /// `Content-Transfer-Encoding` (single parts).
    pub fn encoding(&self) -> NStr<'a> {
        self.single_field(5)
    }

    /// Size in octets (single parts; 0 for a multipart).
    pub fn size(&self) -> u64 {
        self.single(6).map_or(0, |n| n.number())
    }

    fn single(&self, n: usize) -> Option<Node<'a>> {
        if self.is_multipart() {
            None
        } else {
            self.0.item(n)
        }
    }

    fn single_field(&self, n: usize) -> NStr<'a> {
        self.single(n).and_then(|n| n.nstr())
    }

    fn kind(&self) -> Option<PartKind> {
        if self.is_multipart() {
            return None;
        }
        let kind = part_kind(self.media_type(), self.subtype());
        // message/global without an envelope is a basic part.
        if kind == PartKind::Message && self.0.item(7).is_none_or(|n| n.kind() != Kind::List) {
            return Some(PartKind::Basic);
        }
        Some(kind)
    }

    /// Size in lines (`text/*`, `message/rfc822`).
    pub fn lines(&self) -> Option<u64> {
        match self.kind()? {
            PartKind::Text => self.0.item(7).map(|n| n.number()),
            PartKind::Message => self.0.item(9).map(|n| n.number()),
            PartKind::Basic => None,
        }
    }

    /// The envelope of an enclosed message (`message/rfc822`).
    pub fn envelope(&self) -> Option<EnvelopeView<'a>> {
        (self.kind()? == PartKind::Message)
            .then(|| self.0.item(7).map(EnvelopeView))
            .flatten()
    }

    /// The body structure of an enclosed message (`message/rfc822`).
    pub fn body(&self) -> Option<BodyView<'a>> {
        (self.kind()? == PartKind::Message)
            .then(|| self.0.item(8).map(BodyView))
            .flatten()
    }

    /// The extension data, in order (`None` where absent): for a single
    /// part `md5, dsp, lang, loc`; for a multipart `params, dsp, lang, loc`.
    fn ext(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        let skip = match self.kind() {
            // The parts, then the subtype.
            None => self.parts().count() + 1,
            Some(PartKind::Text) => 8,
            Some(PartKind::Message) => 10,
            Some(PartKind::Basic) => 7,
        };
        self.0.items().skip(skip)
    }

    /// `Content-MD5` (single parts, BODYSTRUCTURE).
    pub fn md5(&self) -> NStr<'a> {
        if self.is_multipart() {
            return None;
        }
        self.ext().next().and_then(|n| n.nstr())
    }

    /// `Content-Disposition`: its kind and parameters.
    pub fn disposition(&self) -> Option<(Str<'a>, ParamsView<'a>)> {
        let d = self.ext().nth(1)?;
        if d.kind() != Kind::List {
            return None;
        }
        Some((d.item(0)?.str(), ParamsView(d.item(1))))
    }

    /// `Content-Language` tags.
    pub fn language(&self) -> impl Iterator<Item = Str<'a>> + use<'a> {
        let l = self.ext().nth(2);
        let list = l.filter(|n| n.kind() == Kind::List);
        let one = l.filter(|n| n.kind() != Kind::List).and_then(|n| n.nstr());
        list.into_iter()
            .flat_map(|n| n.items())
            .map(|n| n.str())
            .chain(one)
    }

    /// `Content-Location`.
    pub fn location(&self) -> NStr<'a> {
        self.ext().nth(3).and_then(|n| n.nstr())
    }

    fn to_dsp_ext(self) -> Option<DispositionExt> {
        let mut ext = self.ext().skip(1);
        let dsp = ext.next()?;
        let disposition = (dsp.kind() == Kind::List).then(|| Disposition {
            kind: dsp
                .item(0)
                .map(|n| n.str().to_istring())
                .unwrap_or_default(),
            params: ParamsView(dsp.item(1)).to_params(),
        });
        let lang = ext.next().map(|_| LanguageExt {
            language: self.language().map(Str::to_istring).collect(),
            loc: ext.next().map(|loc| LocationExt {
                location: to_nstring(loc.nstr()),
                extensions: Vec::new(),
            }),
        });
        Some(DispositionExt { disposition, lang })
    }

    /// The owned body structure.
    pub fn to_body_structure(&self) -> BodyStructure {
        let has_ext = self.ext().next().is_some();
        if self.is_multipart() {
            return BodyStructure::Multi {
                parts: self.parts().map(|p| p.to_body_structure()).collect(),
                subtype: self.subtype().to_istring(),
                ext: has_ext.then(|| MultiPartExt {
                    params: self.params().to_params(),
                    dsp: self.to_dsp_ext(),
                }),
            };
        }
        let subtype = self.subtype().to_istring();
        let kind = match self.kind() {
            Some(PartKind::Text) => SingleKind::Text {
                subtype,
                lines: self.lines().unwrap_or(0),
            },
            Some(PartKind::Message) => SingleKind::Message {
                subtype,
                envelope: self.envelope().map(|e| Box::new(e.to_envelope())),
                body: self.body().map(|b| Box::new(b.to_body_structure())),
                lines: self.lines().unwrap_or(0),
            },
            _ => SingleKind::Basic {
                media_type: self.media_type().to_istring(),
                subtype,
            },
        };
        BodyStructure::Single(SinglePart {
            kind,
            fields: BasicFields {
                params: self.params().to_params(),
                id: to_nstring(self.id()),
                description: to_nstring(self.description()),
                encoding: self
                    .encoding()
                    .map(Str::to_istring)
                    .unwrap_or_else(|| IString::from_checked(Bytes::new())),
                size: self.size(),
            },
            ext: has_ext.then(|| SinglePartExt {
                md5: to_nstring(self.md5()),
                dsp: self.to_dsp_ext(),
            }),
        })
    }
}
