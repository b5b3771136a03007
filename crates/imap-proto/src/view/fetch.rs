//! `FETCH` metadata read in place: the reader that records the items on the
//! tape (canonical grammar only, RFC 3501 §7.4.2 / RFC 9051 §7.5.2), and
//! the typed views over the tape.

use bytes::Bytes;

use super::lex::{Item, Kind, NStr, Node, Part, Str, Tok, is_word, to_nstring};
use crate::response::{
    Address, BasicFields, BodyStructure, Disposition, DispositionExt, Envelope, FetchItem,
    LanguageExt, LocationExt, MultiPartExt, SingleKind, SinglePart, SinglePartExt,
};
use crate::types::{DateTime, Flag, IString};

// ------------------------------------------------------------------ names

/// The item named `name` (any case), if views read it.
#[inline]
fn item_named(name: &[u8]) -> Option<Item> {
    let item = match name.len() {
        3 if is_word(name, b"uid", b"UID") => Item::Uid,
        4 if is_word(name, b"body", b"BODY") => Item::Body,
        5 if is_word(name, b"flags", b"FLAGS") => Item::Flags,
        6 if is_word(name, b"modseq", b"MODSEQ") => Item::ModSeq,
        8 if is_word(name, b"envelope", b"ENVELOPE") => Item::Envelope,
        10 if is_word(name, b"x-gm-msgid", b"X-GM-MSGID") => Item::GmMsgId,
        10 if is_word(name, b"x-gm-thrid", b"X-GM-THRID") => Item::GmThrId,
        11 if is_word(name, b"rfc822.size", b"RFC822.SIZE") => Item::Rfc822Size,
        12 if is_word(name, b"internaldate", b"INTERNALDATE") => Item::InternalDate,
        13 if is_word(name, b"bodystructure", b"BODYSTRUCTURE") => Item::BodyStructure,
        _ => return None,
    };
    Some(item)
}

/// The item whose name and a space start `rest` (any case), and the
/// name's length: the first letter picks the candidate, which is then
/// compared whole (no scan for the name's end).
#[inline]
pub(super) fn item_at(rest: &[u8]) -> Option<(Item, usize)> {
    let len = match rest.first()? | 0x20 {
        b'u' => 3,
        b'f' => 5,
        b'm' => 6,
        b'e' => 8,
        b'x' => 10,
        b'r' => 11,
        b'i' => 12,
        b'b' if rest.get(4) == Some(&b' ') => 4,
        b'b' => 13,
        _ => return None,
    };
    if rest.get(len) != Some(&b' ') {
        return None;
    }
    Some((item_named(&rest[..len])?, len))
}

/// The kind of a single part of type `media` / `subtype` (as received:
/// escaped strings never name these types).
pub(super) fn part_kind(media: &[u8], subtype: &[u8]) -> Part {
    if is_word(media, b"text", b"TEXT") {
        Part::Text
    } else if is_word(media, b"message", b"MESSAGE")
        && (is_word(subtype, b"rfc822", b"RFC822") || is_word(subtype, b"global", b"GLOBAL"))
    {
        Part::Message
    } else {
        Part::Basic
    }
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
    #[inline]
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// The items, in the order received.
    #[inline]
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

    #[inline]
    fn next(&mut self) -> Option<FetchItemView<'a>> {
        let name = self.0.next()?;
        let value = self.0.next()?;
        let Kind::Item(item) = name.kind() else {
            return None;
        };
        Some(match item {
            Item::Uid => FetchItemView::Uid(u32::try_from(value.number()).unwrap_or(0)),
            Item::Flags => FetchItemView::Flags(FlagsView(value)),
            Item::InternalDate => FetchItemView::InternalDate(DateTime::parse_fixed(value.span())?),
            Item::Rfc822Size => FetchItemView::Rfc822Size(value.number()),
            Item::Envelope => FetchItemView::Envelope(EnvelopeView::new(value)),
            Item::Body => FetchItemView::Body(BodyView::new(value)),
            Item::BodyStructure => FetchItemView::BodyStructure(BodyView::new(value)),
            Item::ModSeq => FetchItemView::ModSeq(value.first().number()),
            Item::GmMsgId => FetchItemView::GmMsgId(value.number()),
            Item::GmThrId => FetchItemView::GmThrId(value.number()),
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
    #[inline]
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
pub struct EnvelopeView<'a> {
    node: Node<'a>,
    /// Tape index of the `In-Reply-To:` field (after the address lists).
    in_reply_to: usize,
}

impl<'a> EnvelopeView<'a> {
    fn new(node: Node<'a>) -> Self {
        // Date and subject are strings; six address lists follow.
        let mut field = node.at(node.index + 3);
        for _ in 0..6 {
            field = field.next();
        }
        Self {
            node,
            in_reply_to: field.index,
        }
    }

    #[inline]
    fn addresses(&self, n: usize) -> AddressesView<'a> {
        let mut field = self.node.at(self.node.index + 3);
        for _ in 0..n {
            field = field.next();
        }
        AddressesView(field)
    }

    /// `Date:`.
    #[inline]
    pub fn date(&self) -> NStr<'a> {
        self.node.at(self.node.index + 1).nstr()
    }

    /// `Subject:`.
    #[inline]
    pub fn subject(&self) -> NStr<'a> {
        self.node.at(self.node.index + 2).nstr()
    }

    /// `From:`.
    #[inline]
    pub fn from(&self) -> AddressesView<'a> {
        self.addresses(0)
    }

    /// `Sender:`.
    #[inline]
    pub fn sender(&self) -> AddressesView<'a> {
        self.addresses(1)
    }

    /// `Reply-To:`.
    #[inline]
    pub fn reply_to(&self) -> AddressesView<'a> {
        self.addresses(2)
    }

    /// `To:`.
    #[inline]
    pub fn to(&self) -> AddressesView<'a> {
        self.addresses(3)
    }

    /// `Cc:`.
    #[inline]
    pub fn cc(&self) -> AddressesView<'a> {
        self.addresses(4)
    }

    /// `Bcc:`.
    #[inline]
    pub fn bcc(&self) -> AddressesView<'a> {
        self.addresses(5)
    }

    /// `In-Reply-To:`.
    #[inline]
    pub fn in_reply_to(&self) -> NStr<'a> {
        self.node.at(self.in_reply_to).nstr()
    }

    /// `Message-ID:`.
    #[inline]
    pub fn message_id(&self) -> NStr<'a> {
        self.node.at(self.in_reply_to + 1).nstr()
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
pub struct AddressesView<'a>(Node<'a>);

impl<'a> AddressesView<'a> {
    /// The addresses.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = AddressView<'a>> + use<'a> {
        self.0.items().map(AddressView)
    }

    /// Whether the list is NIL.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.kind() != Kind::List
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
    /// The `n`th field (all four are strings or NIL, one token each).
    #[inline]
    fn field(&self, n: usize) -> NStr<'a> {
        self.0.at(self.0.index + 1 + n).nstr()
    }

    /// Display name.
    #[inline]
    pub fn name(&self) -> NStr<'a> {
        self.field(0)
    }

    /// Source route (obsolete).
    #[inline]
    pub fn adl(&self) -> NStr<'a> {
        self.field(1)
    }

    /// Local part, or group name.
    #[inline]
    pub fn mailbox(&self) -> NStr<'a> {
        self.field(2)
    }

    /// Domain.
    #[inline]
    pub fn host(&self) -> NStr<'a> {
        self.field(3)
    }

    /// The owned address.
    pub fn to_address(&self) -> Address {
        Address {
            name: to_nstring(self.name()),
            adl: to_nstring(self.adl()),
            mailbox: to_nstring(self.mailbox()),
            host: to_nstring(self.host()),
        }
    }
}

/// Body parameters read in place: name / value pairs (none for NIL).
#[derive(Debug, Clone, Copy)]
pub struct ParamsView<'a>(Option<Node<'a>>);

impl<'a> ParamsView<'a> {
    /// The pairs.
    #[inline]
    pub fn iter(&self) -> Params<'a> {
        Params(self.0.map(|n| n.items()))
    }

    fn to_params(self) -> Vec<(IString, IString)> {
        self.iter()
            .map(|(k, v)| (k.to_istring(), v.to_istring()))
            .collect()
    }
}

/// The pairs of a [`ParamsView`].
#[derive(Debug, Clone)]
pub struct Params<'a>(Option<super::lex::Items<'a>>);

impl<'a> Iterator for Params<'a> {
    type Item = (Str<'a>, Str<'a>);

    #[inline]
    fn next(&mut self) -> Option<(Str<'a>, Str<'a>)> {
        let items = self.0.as_mut()?;
        Some((items.next()?.str(), items.next()?.str()))
    }
}

/// A body structure read in place (RFC 3501 §7.4.2 BODYSTRUCTURE).
#[derive(Debug, Clone, Copy)]
pub struct BodyView<'a> {
    node: Node<'a>,
    part: Part,
    /// A single part: the tape index after its parameters (`body-fld-id`);
    /// a multipart: the index of its subtype.
    mark: usize,
    /// The tape index of the first extension field (a single part's MD5,
    /// a multipart's parameters); the end of the list when there is none.
    ext: usize,
}

impl<'a> BodyView<'a> {
    #[inline]
    fn new(node: Node<'a>) -> Self {
        let end = node.next_index();
        let Kind::Body(part) = node.kind() else {
            return Self {
                node,
                part: Part::Basic,
                mark: end,
                ext: end,
            };
        };
        let (mark, ext) = match part {
            Part::Multi => {
                let mut n = node.first();
                while n.kind().is_list() {
                    n = n.next();
                }
                (n.index, n.index + 1)
            }
            _ => {
                let mark = node.at(node.index + 3).next_index();
                let ext = match part {
                    Part::Text => mark + 5,
                    // The envelope and the body, then the size in lines.
                    Part::Message => node.at(node.at(mark + 4).next_index()).next_index() + 1,
                    _ => mark + 4,
                };
                (mark, ext)
            }
        };
        Self {
            node,
            part,
            mark,
            ext: ext.min(end),
        }
    }

    /// The value at tape index `index`, if inside this body's list.
    #[inline]
    fn at(&self, index: usize) -> Option<Node<'a>> {
        (index < self.node.next_index()).then(|| self.node.at(index))
    }

    /// Whether this is a multipart.
    #[inline]
    pub fn is_multipart(&self) -> bool {
        self.part == Part::Multi
    }

    /// The parts of a multipart (none for a single part).
    #[inline]
    pub fn parts(&self) -> impl Iterator<Item = BodyView<'a>> + use<'a> {
        let multi = self.is_multipart();
        self.node
            .items()
            .take_while(move |n| multi && n.kind().is_list())
            .map(BodyView::new)
    }

    /// The media type (`text`, `image`, ...); `multipart` for a multipart.
    #[inline]
    pub fn media_type(&self) -> Str<'a> {
        if self.is_multipart() {
            return Str::new(b"multipart", false);
        }
        self.node.first().str()
    }

    /// The subtype (`plain`, `alternative`, ...).
    #[inline]
    pub fn subtype(&self) -> Str<'a> {
        if self.is_multipart() {
            return self.node.at(self.mark).str();
        }
        self.node.at(self.node.index + 2).str()
    }

    /// The parameters (`charset`, `boundary`, ...).
    #[inline]
    pub fn params(&self) -> ParamsView<'a> {
        let node = if self.is_multipart() {
            self.at(self.mark + 1)
        } else {
            Some(self.node.at(self.node.index + 3))
        };
        ParamsView(node.filter(|n| n.kind() == Kind::List))
    }

    fn single(&self, n: usize) -> Option<Node<'a>> {
        if self.is_multipart() {
            None
        } else {
            Some(self.node.at(self.mark + n))
        }
    }

    /// `Content-ID` (single parts).
    #[inline]
    pub fn id(&self) -> NStr<'a> {
        self.single(0).and_then(|n| n.nstr())
    }

    /// `Content-Description` (single parts).
    #[inline]
    pub fn description(&self) -> NStr<'a> {
        self.single(1).and_then(|n| n.nstr())
    }

    /// `Content-Transfer-Encoding` (single parts).
    #[inline]
    pub fn encoding(&self) -> NStr<'a> {
        self.single(2).and_then(|n| n.nstr())
    }

    /// Size in octets (single parts; 0 for a multipart).
    #[inline]
    pub fn size(&self) -> u64 {
        self.single(3).map_or(0, |n| n.number())
    }

    /// Size in lines (`text/*`, `message/rfc822`).
    #[inline]
    pub fn lines(&self) -> Option<u64> {
        match self.part {
            Part::Text => Some(self.node.at(self.mark + 4).number()),
            Part::Message => Some(self.body()?.node.next().number()),
            Part::Basic | Part::Multi => None,
        }
    }

    /// The envelope of an enclosed message (`message/rfc822`).
    #[inline]
    pub fn envelope(&self) -> Option<EnvelopeView<'a>> {
        (self.part == Part::Message).then(|| EnvelopeView::new(self.node.at(self.mark + 4)))
    }

    /// The body structure of an enclosed message (`message/rfc822`).
    #[inline]
    pub fn body(&self) -> Option<BodyView<'a>> {
        (self.part == Part::Message).then(|| BodyView::new(self.node.at(self.mark + 4).next()))
    }

    /// The `n`th extension field: for a single part `md5, dsp, lang, loc`;
    /// for a multipart `params, dsp, lang, loc`.
    #[inline]
    fn ext_field(&self, n: usize) -> Option<Node<'a>> {
        let mut node = self.at(self.ext)?;
        for _ in 0..n {
            node = self.at(node.next_index())?;
        }
        Some(node)
    }

    /// `Content-MD5` (single parts, BODYSTRUCTURE).
    #[inline]
    pub fn md5(&self) -> NStr<'a> {
        if self.is_multipart() {
            return None;
        }
        self.ext_field(0).and_then(|n| n.nstr())
    }

    /// `Content-Disposition`: its kind and parameters.
    #[inline]
    pub fn disposition(&self) -> Option<(Str<'a>, ParamsView<'a>)> {
        let d = self.ext_field(1)?;
        if d.kind() != Kind::List {
            return None;
        }
        let kind = d.first();
        let params = kind.next();
        Some((
            kind.str(),
            ParamsView(Some(params).filter(|n| n.kind() == Kind::List)),
        ))
    }

    /// `Content-Language` tags.
    #[inline]
    pub fn language(&self) -> impl Iterator<Item = Str<'a>> + use<'a> {
        let l = self.ext_field(2);
        let list = l.filter(|n| n.kind() == Kind::List);
        let one = l.filter(|n| n.kind() != Kind::List).and_then(|n| n.nstr());
        list.into_iter()
            .flat_map(|n| n.items())
            .map(|n| n.str())
            .chain(one)
    }

    /// `Content-Location`.
    #[inline]
    pub fn location(&self) -> NStr<'a> {
        self.ext_field(3).and_then(|n| n.nstr())
    }

    fn to_dsp_ext(self) -> Option<DispositionExt> {
        // Present when the extension data reaches the disposition.
        self.ext_field(1)?;
        let disposition = self.disposition().map(|(kind, params)| Disposition {
            kind: kind.to_istring(),
            params: params.to_params(),
        });
        let lang = self.ext_field(2).map(|_| LanguageExt {
            language: self.language().map(Str::to_istring).collect(),
            loc: self.ext_field(3).map(|loc| LocationExt {
                location: to_nstring(loc.nstr()),
                extensions: Vec::new(),
            }),
        });
        Some(DispositionExt { disposition, lang })
    }

    /// The owned body structure.
    pub fn to_body_structure(&self) -> BodyStructure {
        let has_ext = self.ext_field(0).is_some();
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
        let kind = match self.part {
            Part::Text => SingleKind::Text {
                subtype,
                lines: self.lines().unwrap_or(0),
            },
            Part::Message => SingleKind::Message {
                subtype,
                envelope: self.envelope().map(|e| Box::new(e.to_envelope())),
                body: self.body().map(|b| Box::new(b.to_body_structure())),
                lines: self.lines().unwrap_or(0),
            },
            Part::Basic | Part::Multi => SingleKind::Basic {
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
