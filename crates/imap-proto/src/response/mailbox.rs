//! Mailbox data: LIST / LSUB (RFC 3501, RFC 5258, RFC 6154, RFC 9051),
//! STATUS (RFC 3501, RFC 7162, RFC 7889, RFC 8438, RFC 8474), NAMESPACE
//! (RFC 2342), ID (RFC 2971), QUOTA (RFC 9208) and METADATA (RFC 5464).

use bytes::Bytes;

use super::{ObjectId, Quirk, Value};
use crate::encode::{Writer, write_num};
use crate::parse::values::{astring, more, nstring, nstring_or_literal8, string};
use crate::parse::{Cursor, PResult};
use crate::types::{AString, Atom, IString, MailboxEncoding, MailboxName, NString};

/// A mailbox name as received: decoded from modified UTF-7 when it is
/// valid, or from UTF-8 when the decoder was told UTF-8 is in force
/// ([`ResponseDecoder::set_utf8`](super::ResponseDecoder::set_utf8)); kept
/// raw when it is not (a broken server, or a UTF-8 one the decoder was not
/// told about).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mailbox {
    /// A decoded name.
    Name(MailboxName),
    /// Octets that are not canonical modified UTF-7.
    Raw(AString),
}

impl Mailbox {
    /// Reads a `mailbox`.
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        // A name that decodes is read in place (no slice of the frame made
        // only to be dropped): an atom, or a quoted string without escapes.
        let wire = match c.peek() {
            Some(b'"') => match c.quoted_in_place()? {
                Some((wire, eight_bit)) => {
                    if eight_bit {
                        crate::parse::values::check_8bit(c, wire, crate::Quirk::EightBitQuoted)?;
                    }
                    Some(wire)
                }
                None => None,
            },
            Some(b) if crate::types::is_astring_char(b) && !c.at_literal() => {
                Some(c.take_while1_slice(crate::types::is_astring_char, "a mailbox")?)
            }
            _ => None,
        };
        let Some(wire) = wire else {
            let a = astring(c)?;
            return Ok(Mailbox::from_wire(a.as_bytes(), || a.clone()));
        };
        Ok(Mailbox::from_wire(wire, || {
            AString(crate::types::IString::from_checked(c.share(wire)))
        }))
    }

    /// The mailbox named `wire` as received: decoded as modified UTF-7
    /// (RFC 3501 §5.1.3), or kept raw (`raw` makes the value only then).
    pub(crate) fn from_wire(wire: &[u8], raw: impl FnOnce() -> AString) -> Self {
        match MailboxName::from_wire(wire, MailboxEncoding::ModifiedUtf7) {
            Ok(n) => Mailbox::Name(n),
            Err(_) => Mailbox::Raw(raw()),
        }
    }

    /// Reads the name again for a connection where UTF-8 is in force
    /// (UTF8=ACCEPT, RFC 6855 §3; IMAP4rev2, RFC 9051 §5.1): the octets are
    /// UTF-8, and `&` is only `&`. A name decoded as modified UTF-7 gives
    /// back its octets exactly (only canonical modified UTF-7 decodes).
    pub(crate) fn reread_utf8(&mut self) {
        let wire = match self {
            Mailbox::Name(n) => n.to_wire(MailboxEncoding::ModifiedUtf7),
            Mailbox::Raw(a) => a.as_bytes().to_vec(),
        };
        if let Ok(n) = MailboxName::from_wire(&wire, MailboxEncoding::Utf8) {
            *self = Mailbox::Name(n);
        }
    }

    /// The name as the connection's encoding reads it: a [`Mailbox::Raw`]
    /// name decoded as UTF-8 once UTF8=ACCEPT is enabled or with IMAP4rev2
    /// (RFC 6855, RFC 9051), where names are not modified UTF-7.
    pub fn to_name(&self, encoding: MailboxEncoding) -> Option<MailboxName> {
        match self {
            Mailbox::Name(n) => Some(n.clone()),
            Mailbox::Raw(a) => MailboxName::from_wire(a.as_bytes(), encoding).ok(),
        }
    }

    /// The name as Unicode text, if it decoded as modified UTF-7.
    pub fn name(&self) -> Option<&MailboxName> {
        match self {
            Mailbox::Name(n) => Some(n),
            Mailbox::Raw(_) => None,
        }
    }

    /// Writes the mailbox (modified UTF-7 for a decoded name).
    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        match self {
            Mailbox::Name(n) => out.astring_bytes(&n.to_wire(out.mailbox)),
            Mailbox::Raw(a) => out.astring_bytes(a.as_bytes()),
        }
    }
}

impl From<MailboxName> for Mailbox {
    fn from(n: MailboxName) -> Self {
        Mailbox::Name(n)
    }
}

/// A mailbox attribute of a LIST response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MailboxAttr {
    /// `\Noinferiors`.
    NoInferiors,
    /// `\Noselect`.
    NoSelect,
    /// `\Marked`.
    Marked,
    /// `\Unmarked`.
    Unmarked,
    /// `\NonExistent` (RFC 5258).
    NonExistent,
    /// `\Subscribed` (RFC 5258).
    Subscribed,
    /// `\Remote` (RFC 5258).
    Remote,
    /// `\HasChildren` (RFC 3348).
    HasChildren,
    /// `\HasNoChildren` (RFC 3348).
    HasNoChildren,
    /// `\All` (RFC 6154).
    All,
    /// `\Archive` (RFC 6154).
    Archive,
    /// `\Drafts` (RFC 6154).
    Drafts,
    /// `\Flagged` (RFC 6154).
    Flagged,
    /// `\Junk` (RFC 6154).
    Junk,
    /// `\Sent` (RFC 6154).
    Sent,
    /// `\Trash` (RFC 6154).
    Trash,
    /// `\Important` (RFC 8457).
    Important,
    /// Another `\` attribute (the atom after `\`).
    Other(Atom),
}

const ATTRS: &[(&str, MailboxAttr)] = &[
    ("Noinferiors", MailboxAttr::NoInferiors),
    ("Noselect", MailboxAttr::NoSelect),
    ("Marked", MailboxAttr::Marked),
    ("Unmarked", MailboxAttr::Unmarked),
    ("NonExistent", MailboxAttr::NonExistent),
    ("Subscribed", MailboxAttr::Subscribed),
    ("Remote", MailboxAttr::Remote),
    ("HasChildren", MailboxAttr::HasChildren),
    ("HasNoChildren", MailboxAttr::HasNoChildren),
    ("All", MailboxAttr::All),
    ("Archive", MailboxAttr::Archive),
    ("Drafts", MailboxAttr::Drafts),
    ("Flagged", MailboxAttr::Flagged),
    ("Junk", MailboxAttr::Junk),
    ("Sent", MailboxAttr::Sent),
    ("Trash", MailboxAttr::Trash),
    ("Important", MailboxAttr::Important),
];

impl MailboxAttr {
    /// The attribute named by `atom` (the part after `\`).
    pub fn from_atom(atom: Atom) -> Self {
        Self::known(atom.as_bytes()).unwrap_or(MailboxAttr::Other(atom))
    }

    /// The known attribute named `name` (case-insensitive), if it is one.
    pub(crate) fn known(name: &[u8]) -> Option<Self> {
        use MailboxAttr as A;
        Some(match &*crate::parse::upper(name) {
            b"NOINFERIORS" => A::NoInferiors,
            b"NOSELECT" => A::NoSelect,
            b"MARKED" => A::Marked,
            b"UNMARKED" => A::Unmarked,
            b"NONEXISTENT" => A::NonExistent,
            b"SUBSCRIBED" => A::Subscribed,
            b"REMOTE" => A::Remote,
            b"HASCHILDREN" => A::HasChildren,
            b"HASNOCHILDREN" => A::HasNoChildren,
            b"ALL" => A::All,
            b"ARCHIVE" => A::Archive,
            b"DRAFTS" => A::Drafts,
            b"FLAGGED" => A::Flagged,
            b"JUNK" => A::Junk,
            b"SENT" => A::Sent,
            b"TRASH" => A::Trash,
            b"IMPORTANT" => A::Important,
            _ => return None,
        })
    }

    /// Reads an attribute; `None` for a lone `\\` (a quirk, dropped).
    fn parse(c: &mut Cursor<'_>) -> PResult<Option<Self>> {
        if !c.eat(b'\\') {
            c.quirk(Quirk::AttributeWithoutBackslash, "\\ before an attribute")?;
        } else if matches!(c.peek(), Some(b')' | b' ')) {
            // `(\HasChildren \)`, seen from a Dovecot (libetpan#403).
            c.quirk(Quirk::EmptyAttribute, "an attribute after \\")?;
            return Ok(None);
        }
        let a = c.take_while1_slice(crate::types::is_atom_char, "an attribute")?;
        if let Some(known) = Self::known(a) {
            return Ok(Some(known));
        }
        let atom = Atom::new(c.share(a)).map_err(|_| c.error("an attribute"))?;
        Ok(Some(MailboxAttr::Other(atom)))
    }

    fn write(&self, out: &mut Writer<'_>) {
        out.push(b'\\');
        match self {
            MailboxAttr::Other(a) => out.extend_from_slice(a.as_bytes()),
            known => {
                let name = ATTRS
                    .iter()
                    .find(|(_, a)| a == known)
                    .map_or("", |(n, _)| n);
                out.extend_from_slice(name.as_bytes());
            }
        }
    }
}

/// A LIST or LSUB response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// Attributes.
    pub attributes: Vec<MailboxAttr>,
    /// Hierarchy delimiter; `None` for NIL (a flat namespace).
    pub delimiter: Option<u8>,
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Extended data items (RFC 5258, RFC 9051).
    pub extended: Vec<ListExtItem>,
}

/// An extended data item of a LIST response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListExtItem {
    /// `"CHILDINFO" (...)` (RFC 5258).
    ChildInfo(Vec<IString>),
    /// `"OLDNAME" (mailbox)` (RFC 9051).
    OldName(Mailbox),
    /// Another item: its tag and value.
    Other {
        /// The tag.
        tag: AString,
        /// The value.
        value: Value,
    },
}

/// Reads `DQUOTE QUOTED-CHAR DQUOTE / nil`.
pub(crate) fn delimiter(c: &mut Cursor<'_>) -> PResult<Option<u8>> {
    if c.eat_keyword(b"NIL") {
        return Ok(None);
    }
    // The usual `"/"` or `"."`.
    if let [b'"', d, b'"', ..] = *c.rest()
        && d != b'"'
        && d != b'\\'
        && (0x20..0x7f).contains(&d)
    {
        c.advance(3);
        return Ok(Some(d));
    }
    let q = c.quoted()?;
    match &q[..] {
        [] => {
            c.quirk(Quirk::EmptyDelimiter, "NIL for no delimiter")?;
            Ok(None)
        }
        [d] if *d != 0 && d.is_ascii() && *d != b'\r' && *d != b'\n' => Ok(Some(*d)),
        _ => Err(c.error("a single-character delimiter")),
    }
}

pub(crate) fn write_delimiter(out: &mut Writer<'_>, d: Option<u8>) {
    match d {
        None => out.extend_from_slice(b"NIL"),
        Some(d) => {
            out.push(b'"');
            if d == b'"' || d == b'\\' {
                out.push(b'\\');
            }
            out.push(d);
            out.push(b'"');
        }
    }
}

/// Exchange sends some names neither quoted nor as an atom
/// (`INBOX/Da<TAB>Oggetto<TAB>Ricevuto`, MailKit#945): when the name at
/// `from` was read as an atom and neither the line end nor extended data
/// (` (`) follows, the name is the rest of the line, a quirk.
fn unquoted_to_line_end(c: &mut Cursor<'_>, from: &[u8]) -> PResult<Option<Mailbox>> {
    let rest = c.rest();
    let atom = matches!(from.first(), Some(&b) if b != b'"' && b != b'{');
    // The line must end the frame (no literal follows).
    let line_end = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
    if !atom || line_end == 0 || !matches!(&rest[line_end..], b"\r\n" | b"\n") {
        return Ok(None);
    }
    let wire = &from[..from.len() - rest.len() + line_end];
    // Not for extended data (` (`), trailing spaces (a quirk of their
    // own) or a NUL (no string holds one).
    if wire.ends_with(b" ") || memchr::memmem::find(wire, b" (").is_some() || wire.contains(&0) {
        return Ok(None);
    }
    c.quirk(crate::Quirk::UnquotedName, "a quoted mailbox name")?;
    c.advance(line_end);
    Ok(Some(Mailbox::from_wire(wire, || {
        AString(crate::types::IString::from_checked(c.share(wire)))
    })))
}

impl ListItem {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let attributes = c.list(MailboxAttr::parse)?.into_iter().flatten().collect();
        c.sp()?;
        let delimiter = delimiter(c)?;
        c.sp()?;
        let from = c.rest();
        let mut mailbox = Mailbox::parse(c)?;
        if let Some(name) = unquoted_to_line_end(c, from)? {
            mailbox = name;
        }
        let mut extended = Vec::new();
        if more(c)? {
            extended = c.list(|c| {
                let tag = astring(c)?;
                c.sp()?;
                if tag.as_bytes().eq_ignore_ascii_case(b"CHILDINFO") {
                    Ok(ListExtItem::ChildInfo(c.list(string)?))
                } else if tag.as_bytes().eq_ignore_ascii_case(b"OLDNAME") {
                    c.expect(b'(', "( before the old name")?;
                    let m = Mailbox::parse(c)?;
                    c.expect(b')', ") after the old name")?;
                    Ok(ListExtItem::OldName(m))
                } else {
                    Ok(ListExtItem::Other {
                        tag,
                        value: Value::parse(c)?,
                    })
                }
            })?;
        }
        Ok(Self {
            attributes,
            delimiter,
            mailbox,
            extended,
        })
    }

    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        out.list(&self.attributes, |out, a| a.write(out));
        out.push(b' ');
        write_delimiter(out, self.delimiter);
        out.push(b' ');
        self.mailbox.write(out);
        if !self.extended.is_empty() {
            out.push(b' ');
            out.list(&self.extended, |out, e| match e {
                ListExtItem::ChildInfo(v) => {
                    out.extend_from_slice(b"\"CHILDINFO\" ");
                    out.list(v, |out, s| out.string_bytes(s.as_bytes()));
                }
                ListExtItem::OldName(m) => {
                    out.extend_from_slice(b"\"OLDNAME\" (");
                    m.write(out);
                    out.push(b')');
                }
                ListExtItem::Other { tag, value } => {
                    out.string_bytes(tag.as_bytes());
                    out.push(b' ');
                    value.write_to(out);
                }
            });
        }
    }
}

/// A STATUS data item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusItem {
    /// `MESSAGES n`.
    Messages(u32),
    /// `RECENT n` (IMAP4rev1).
    Recent(u32),
    /// `UIDNEXT n`.
    UidNext(u32),
    /// `UIDVALIDITY n`.
    UidValidity(u32),
    /// `UNSEEN n`.
    Unseen(u32),
    /// `DELETED n` (RFC 9051).
    Deleted(u32),
    /// `SIZE n` (RFC 8438).
    Size(u64),
    /// `HIGHESTMODSEQ n` (RFC 7162).
    HighestModSeq(u64),
    /// `APPENDLIMIT n` or `APPENDLIMIT NIL` (RFC 7889).
    AppendLimit(Option<u64>),
    /// `MAILBOXID (id)` (RFC 8474).
    MailboxId(ObjectId),
    /// Any other item.
    Other {
        /// Its name.
        name: Atom,
        /// Its value.
        value: Value,
    },
}

impl StatusItem {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let name = c.atom()?;
        c.sp()?;
        let upper = crate::parse::upper(&name);
        Ok(match &upper[..] {
            b"MESSAGES" => StatusItem::Messages(c.number()?),
            b"RECENT" => StatusItem::Recent(c.number()?),
            b"UIDNEXT" => StatusItem::UidNext(c.number()?),
            b"UIDVALIDITY" => StatusItem::UidValidity(c.number()?),
            b"UNSEEN" => StatusItem::Unseen(c.number()?),
            b"DELETED" => StatusItem::Deleted(c.number()?),
            b"SIZE" => StatusItem::Size(c.number64()?),
            b"HIGHESTMODSEQ" => StatusItem::HighestModSeq(c.number64()?),
            b"APPENDLIMIT" => StatusItem::AppendLimit(if c.eat_keyword(b"NIL") {
                None
            } else {
                Some(c.number64()?)
            }),
            b"MAILBOXID" => StatusItem::MailboxId(ObjectId::parse_paren(c)?),
            _ => StatusItem::Other {
                name: Atom::new(name).map_err(|_| c.error("a status item"))?,
                value: Value::parse(c)?,
            },
        })
    }

    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        let mut kv = |k: &[u8], v: &dyn std::fmt::Display| {
            out.extend_from_slice(k);
            out.push(b' ');
            write_num(out, v);
        };
        match self {
            StatusItem::Messages(n) => kv(b"MESSAGES", n),
            StatusItem::Recent(n) => kv(b"RECENT", n),
            StatusItem::UidNext(n) => kv(b"UIDNEXT", n),
            StatusItem::UidValidity(n) => kv(b"UIDVALIDITY", n),
            StatusItem::Unseen(n) => kv(b"UNSEEN", n),
            StatusItem::Deleted(n) => kv(b"DELETED", n),
            StatusItem::Size(n) => kv(b"SIZE", n),
            StatusItem::HighestModSeq(n) => kv(b"HIGHESTMODSEQ", n),
            StatusItem::AppendLimit(Some(n)) => kv(b"APPENDLIMIT", n),
            StatusItem::AppendLimit(None) => out.extend_from_slice(b"APPENDLIMIT NIL"),
            StatusItem::MailboxId(id) => {
                out.extend_from_slice(b"MAILBOXID ");
                id.write_paren(out);
            }
            StatusItem::Other { name, value } => {
                out.extend_from_slice(name.as_bytes());
                out.push(b' ');
                value.write_to(out);
            }
        }
    }
}

/// The three namespace lists of a NAMESPACE response; empty for NIL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Namespace {
    /// Personal namespaces.
    pub personal: Vec<NamespaceDesc>,
    /// Other users' namespaces.
    pub other: Vec<NamespaceDesc>,
    /// Shared namespaces.
    pub shared: Vec<NamespaceDesc>,
}

/// One namespace: prefix, delimiter and extensions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NamespaceDesc {
    /// The prefix (as sent: modified UTF-7 in IMAP4rev1).
    pub prefix: IString,
    /// Hierarchy delimiter; `None` for NIL.
    pub delimiter: Option<u8>,
    /// Extensions: a name and its values.
    pub extensions: Vec<(IString, Vec<IString>)>,
}

fn namespace_list(c: &mut Cursor<'_>) -> PResult<Vec<NamespaceDesc>> {
    if c.eat_keyword(b"NIL") {
        return Ok(Vec::new());
    }
    c.expect(b'(', "( or NIL")?;
    c.enter()?;
    let mut list = Vec::new();
    loop {
        while c.peek() == Some(b' ') {
            c.quirk(crate::Quirk::ExtraSpace, "no space")?;
            c.advance(1);
        }
        if c.eat(b')') {
            break;
        }
        if list.len() >= c.limits().max_items {
            return Err(c.error("fewer namespaces"));
        }
        c.expect(b'(', "( starting a namespace")?;
        c.enter()?;
        let prefix = string(c)?;
        c.sp()?;
        let delimiter = delimiter(c)?;
        let mut extensions = Vec::new();
        while more(c)? {
            let name = string(c)?;
            c.sp()?;
            extensions.push((name, c.list(string)?));
        }
        c.expect(b')', ") closing a namespace")?;
        c.leave();
        list.push(NamespaceDesc {
            prefix,
            delimiter,
            extensions,
        });
    }
    c.leave();
    if list.is_empty() {
        c.quirk(Quirk::EmptyList, "NIL for no namespaces")?;
    }
    Ok(list)
}

fn write_namespace_list(out: &mut Writer<'_>, list: &[NamespaceDesc]) {
    if list.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for d in list {
        out.push(b'(');
        out.string_bytes(d.prefix.as_bytes());
        out.push(b' ');
        write_delimiter(out, d.delimiter);
        for (name, values) in &d.extensions {
            out.push(b' ');
            out.string_bytes(name.as_bytes());
            out.push(b' ');
            out.list(values, |out, v| out.string_bytes(v.as_bytes()));
        }
        out.push(b')');
    }
    out.push(b')');
}

impl Namespace {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let personal = namespace_list(c)?;
        c.sp()?;
        let other = namespace_list(c)?;
        c.sp()?;
        let shared = namespace_list(c)?;
        Ok(Self {
            personal,
            other,
            shared,
        })
    }

    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        write_namespace_list(out, &self.personal);
        out.push(b' ');
        write_namespace_list(out, &self.other);
        out.push(b' ');
        write_namespace_list(out, &self.shared);
    }
}

/// Reads ID parameters: `NIL` or `(name value ...)`.
pub(crate) fn id_params(c: &mut Cursor<'_>) -> PResult<Vec<(IString, NString)>> {
    if c.eat_keyword(b"NIL") {
        return Ok(Vec::new());
    }
    // `()` is as valid as NIL (RFC 2971 `#(...)`); both read as empty.
    c.list(|c| {
        let k = string(c)?;
        c.sp()?;
        Ok((k, nstring(c)?))
    })
}

/// A resource of a QUOTA response (RFC 9208).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaResource {
    /// `STORAGE`, `MESSAGE`, ...
    pub name: Atom,
    /// Current usage.
    pub usage: u64,
    /// Limit.
    pub limit: u64,
}

impl QuotaResource {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let name = c.atom()?;
        let name = Atom::new(name).map_err(|_| c.error("a resource name"))?;
        c.sp()?;
        let usage = c.number64()?;
        c.sp()?;
        let limit = c.number64()?;
        Ok(Self { name, usage, limit })
    }

    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        out.extend_from_slice(self.name.as_bytes());
        out.push(b' ');
        write_num(out, self.usage);
        out.push(b' ');
        write_num(out, self.limit);
    }
}

/// The data of a METADATA response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataData {
    /// Entries and their values (`None` for NIL; values may hold NUL).
    Values(Vec<(AString, Option<Bytes>)>),
    /// Names of entries that changed (unsolicited).
    Keys(Vec<AString>),
}

impl MetadataData {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.peek() == Some(b'(') {
            return Ok(MetadataData::Values(c.list(|c| {
                let entry = astring(c)?;
                c.sp()?;
                Ok((entry, nstring_or_literal8(c)?))
            })?));
        }
        let mut keys = vec![astring(c)?];
        while more(c)? {
            keys.push(astring(c)?);
        }
        Ok(MetadataData::Keys(keys))
    }

    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        match self {
            MetadataData::Values(v) => {
                out.list(v, |out, (k, v)| {
                    out.astring_bytes(k.as_bytes());
                    out.push(b' ');
                    out.nbytes(v);
                });
            }
            MetadataData::Keys(k) => {
                for (i, k) in k.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    out.astring_bytes(k.as_bytes());
                }
            }
        }
    }
}
