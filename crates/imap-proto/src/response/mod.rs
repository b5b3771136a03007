//! Server responses (RFC 3501 §7, RFC 9051 §7 and the extensions listed in
//! the crate docs): the types, the parser that reads one complete
//! [`Frame`], the canonical encoder, and
//! [`ResponseDecoder`], which couples the framer with the parser.
//!
//! A response is one of three things ([`Response`]): a tagged status
//! (`A1 OK ...`), untagged data (`* ...`, including the greeting and
//! untagged `OK` / `NO` / `BAD` / `PREAUTH` / `BYE`), or a continuation
//! request (`+ ...`).
//!
//! Decoding is lenient by default: deviations real servers commit are
//! accepted and reported as [`Quirk`]s (see [`quirks`]);
//! [`Strictness::Strict`] refuses them. Unknown capabilities, response
//! codes, FETCH items, STATUS items and untagged responses are kept (as
//! [`Value`]s or raw octets) and encoded back unchanged.
//!
//! Encoding ([`Response::encode`]) is canonical: single spaces, upper-case
//! keywords, strings in the simplest form [`StringKind::choose`] allows, so
//! `decode(encode(x)) == x`.
//!
//! # Example
//!
//! ```
//! use bytes::BytesMut;
//! use imap_proto::response::{Data, FetchItem, Response, ResponseDecoder, ResponseEvent};
//!
//! let mut decoder = ResponseDecoder::new();
//! let mut buf = BytesMut::from(
//!     &b"* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\n* OK [HIGHESTMODSEQ 9]\r\nA1 OK done\r\n"[..],
//! );
//!
//! let Some(ResponseEvent::Response { response, quirks }) = decoder.decode(&mut buf) else {
//!     panic!()
//! };
//! assert!(quirks.is_empty());
//! let Response::Untagged(Data::Fetch { seq: 1, items }) = &response else { panic!() };
//! assert_eq!(items[0], FetchItem::Uid(7));
//! // Encoding is canonical: the simplest string form that carries the data.
//! assert_eq!(response.to_bytes(), b"* 1 FETCH (UID 7 BODY[] \"hello\")\r\n");
//!
//! // Gmail's `[HIGHESTMODSEQ n]` without text is accepted, as a quirk.
//! let Some(ResponseEvent::Response { quirks, .. }) = decoder.decode(&mut buf) else {
//!     panic!()
//! };
//! assert_eq!(quirks, [imap_proto::response::quirks::MISSING_TEXT]);
//!
//! let Some(ResponseEvent::Response { response, .. }) = decoder.decode(&mut buf) else {
//!     panic!()
//! };
//! assert_eq!(response.tag().map(|t| t.as_str()), Some("A1"));
//! assert_eq!(decoder.decode(&mut buf), None);
//! ```

pub(crate) mod body;
mod code;
mod decoder;
mod fetch;
mod mailbox;
mod search;
mod value;

use std::io::Write as _;

use bytes::Bytes;

pub use self::body::{
    BasicFields, BodyStructure, Disposition, DispositionExt, LanguageExt, LocationExt,
    MultiPartExt, SingleKind, SinglePart, SinglePartExt,
};
pub(crate) use self::code::SimpleCode;
pub use self::code::{Capability, Code, CodeText, MetadataCode, OtherCode};
pub use self::decoder::{ResponseDecoder, ResponseEvent};
pub use self::fetch::{Address, Envelope, FetchItem, GmLabel, StreamedItem, StreamedLiteral};
pub use self::mailbox::{
    ListExtItem, ListItem, Mailbox, MailboxAttr, MetadataData, Namespace, NamespaceDesc,
    QuotaResource, StatusItem,
};
pub use self::search::{ESearch, ESearchItem, Thread};
pub use self::value::{ObjectId, Token, Value};
use crate::codec::Frame;
use crate::error::{DecodeError, ValueError};
use crate::limits::Limits;
use crate::parse::{Cursor, PResult, Quirk, Strictness};
use crate::types::{AString, Flag, IString, NString, StringKind, StringOptions, Tag};

/// The quirks the response parser names (besides [`Quirk::ExtraSpace`],
/// [`Quirk::BareLf`], [`Quirk::NilAsString`] and [`Quirk::EightBitQuoted`]).
pub mod quirks {
    use crate::parse::Quirk;

    /// `[CODE]` not followed by a space and text, or a status with no text.
    pub const MISSING_TEXT: Quirk = Quirk::Other("resp-text missing");
    /// A continuation request `+` without the space and text.
    pub const BARE_CONTINUATION: Quirk = Quirk::Other("bare + continuation");
    /// `\*` in a FLAGS response or FETCH FLAGS (only PERMANENTFLAGS has it).
    pub const WILDCARD_IN_FLAGS: Quirk = Quirk::Other("\\* outside PERMANENTFLAGS");
    /// A keyword with an octet no keyword may hold (`%`, `{`, `*`,
    /// a `\`-flag with `]`...): it cannot be a [`Flag`](crate::types::Flag),
    /// so it is dropped.
    pub const INVALID_KEYWORD: Quirk = Quirk::Other("invalid keyword dropped");
    /// A flag sent as a quoted string (`"\\Deleted"`): read as the flag it
    /// holds (written back as an atom).
    pub const QUOTED_FLAG: Quirk = Quirk::Other("flag as a quoted string");
    /// A lone `\` in a LIST attribute list: dropped.
    pub const EMPTY_ATTRIBUTE: Quirk = Quirk::Other("empty mailbox attribute");
    /// A keyword containing `]` (not an atom, RFC 3501 §9 `flag-keyword`):
    /// kept as received in a [`Keyword`](crate::types::Keyword).
    pub const BRACKET_IN_KEYWORD: Quirk = Quirk::Other("] in a keyword");
    /// A negative size or line count in a body structure (read as 0).
    pub const NEGATIVE_NUMBER: Quirk = Quirk::Other("negative number in a body structure");
    /// A body structure's size or line count at or above 2^32 (the
    /// grammar's `number` has 32 bits; huge parts need more): kept as is.
    pub const LARGE_BODY_NUMBER: Quirk = Quirk::Other("body size or line count above 32 bits");
    /// A body structure's size or line count in exponent notation, as
    /// C's `%g` writes it (`9.3736e+06`, mail.ru, MailKit#1838): read as
    /// the integer it rounds to (the server's value is already rounded).
    pub const EXPONENT_NUMBER: Quirk = Quirk::Other("body size in exponent notation");
    /// A `text/*` body part without its size in lines (read as 0).
    pub const MISSING_LINES: Quirk = Quirk::Other("text part without line count");
    /// A bare string where a body disposition `(type params)` belongs.
    pub const BARE_DISPOSITION: Quirk = Quirk::Other("bare string as body disposition");
    /// Spaces between the addresses of an envelope address list.
    pub const SPACED_ADDRESSES: Quirk = Quirk::Other("spaces between envelope addresses");
    /// `message/rfc822` without envelope, body and lines (read as a basic
    /// part). `message/global` without them is no quirk: RFC 3501's grammar
    /// makes it a basic part.
    pub const MESSAGE_WITHOUT_ENVELOPE: Quirk = Quirk::Other("message part without envelope");
    /// `NIL` for the envelope of a message/rfc822 or message/global part.
    pub const NIL_ENVELOPE: Quirk = Quirk::Other("NIL envelope in a message part");
    /// `NIL` for the body structure of a message/rfc822 or message/global
    /// part.
    pub const NIL_BODY: Quirk = Quirk::Other("NIL body in a message part");
    /// A multipart body with no parts: `("mixed")`, or Gmail's
    /// `("RELATED" NIL ("ATTACHMENT" NIL) NIL)` (MailKit#371).
    pub const EMPTY_MULTIPART: Quirk = Quirk::Other("multipart without parts");
    /// A LIST mailbox name neither quoted nor an atom, to the end of the
    /// line (Exchange: tabs in a name, MailKit#945).
    pub const UNQUOTED_NAME: Quirk = Quirk::Other("unquoted mailbox name with spaces or controls");
    /// An envelope of nine fields, the message id missing (qq.com for
    /// messages without a `Message-ID:`; MailKit#279, #669), or of eight,
    /// the in-reply-to missing too (a GBK provider, MailKit#932): read as
    /// NIL.
    pub const MISSING_MESSAGE_ID: Quirk = Quirk::Other("envelope without message id");
    /// An INTERNALDATE whose value is a string but no date: Domino's
    /// `"00-Jan-0000 00:00:00 +0000"` (the grammar's shape, no calendar
    /// day) for a message without a date (MailKit#1236). Kept raw, as
    /// [`super::FetchItem::Other`].
    pub const INVALID_DATE: Quirk = Quirk::Other("INTERNALDATE that is no date kept raw");
    /// FETCH items wrapped in a second pair of parentheses, `(UID 14935
    /// (ENVELOPE (...)) BODYSTRUCTURE (...))` (Domino 10, MailKit#943):
    /// read as if not wrapped.
    pub const WRAPPED_ITEMS: Quirk = Quirk::Other("FETCH items in extra parentheses");
    /// A FETCH item right after a literal whose data ends in CRLF, with no
    /// space between (Exchange, mailio#135, HaskellNet#15).
    pub const NO_SPACE_AFTER_LITERAL: Quirk = Quirk::Other("no space after a literal");
    /// A line that is a response code alone, `[COPYUID 124 10 233]`, with
    /// no `* OK` before it (Exchange 2013 after UID MOVE; ruby/net-imap#250,
    /// MailKit#115): read as that untagged `OK`.
    pub const BARE_CODE: Quirk = Quirk::Other("response code without * OK");
    /// `()` where the grammar wants at least one item or `NIL` (body
    /// parameters, envelope address lists, namespaces).
    pub const EMPTY_LIST: Quirk = Quirk::Other("empty list instead of NIL");
    /// Text with octets that are neither ASCII nor UTF-8.
    pub const EIGHT_BIT_TEXT: Quirk = Quirk::Other("8-bit octets in text");
    /// A known response code whose arguments do not follow its grammar
    /// (`[UIDNEXT x]`): kept as [`Code::Other`](super::Code::Other).
    pub const MALFORMED_CODE: Quirk = Quirk::Other("malformed response code kept raw");
    /// `BADCHARSET charset` without the parentheses (an RFC 9051 example).
    pub const BARE_CHARSET: Quirk = Quirk::Other("charset without parentheses");
    /// `""` as a hierarchy delimiter (read as NIL, a flat namespace).
    pub const EMPTY_DELIMITER: Quirk = Quirk::Other("empty hierarchy delimiter");
    /// A LIST attribute without the leading `\`.
    pub const ATTRIBUTE_WITHOUT_BACKSLASH: Quirk = Quirk::Other("mailbox attribute without \\");
}

/// A server response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response {
    /// The tagged completion of a command: `A1 OK ...`.
    Tagged(Tagged),
    /// Untagged data or status: `* ...`.
    Untagged(Data),
    /// A continuation request: `+ ...`.
    Continue(Continue),
}

/// A tagged status response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    /// The tag of the command it completes.
    pub tag: Tag,
    /// `OK`, `NO` or `BAD`.
    pub condition: Condition,
    /// Response code and text.
    pub text: StatusText,
}

/// The result of a tagged status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    /// `OK`.
    Ok,
    /// `NO`: the command failed.
    No,
    /// `BAD`: the command was not understood.
    Bad,
}

/// `resp-text`: an optional response code and human-readable text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusText {
    /// The `[...]` response code.
    pub code: Option<Code>,
    /// The text (possibly empty).
    pub text: Text,
}

impl StatusText {
    /// Text without a code.
    pub fn new(text: Text) -> Self {
        Self { code: None, text }
    }

    /// A code and text.
    pub fn with_code(code: Code, text: Text) -> Self {
        Self {
            code: Some(code),
            text,
        }
    }
}

/// Human-readable text: any octets but NUL, CR and LF. Text that starts
/// with `[` can only follow a response code (it would read as one).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Text(Bytes);

impl Text {
    /// Text the grammar already checked (a leading `[` is allowed after a
    /// response code).
    pub(crate) fn from_checked(text: Bytes) -> Self {
        Self(text)
    }

    /// Validates text; refuses NUL, CR, LF and a leading `[`.
    pub fn new(text: impl Into<Bytes>) -> Result<Self, ValueError> {
        let text = text.into();
        if let Some(index) = text.iter().position(|&b| matches!(b, 0 | b'\r' | b'\n')) {
            return Err(ValueError::InvalidOctet {
                what: "text",
                octet: text[index],
                index,
            });
        }
        if text.first() == Some(&b'[') {
            return Err(ValueError::InvalidOctet {
                what: "text",
                octet: b'[',
                index: 0,
            });
        }
        Ok(Self(text))
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text, with invalid UTF-8 replaced.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Text({:?})", String::from_utf8_lossy(&self.0))
    }
}

impl TryFrom<&str> for Text {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Self::new(Bytes::copy_from_slice(s.as_bytes()))
    }
}

/// A continuation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Continue {
    /// `+ text` (also `+ [CODE] text`, and `+ ` / a bare `+` as empty text):
    /// ready for a literal, or IDLE accepted.
    Text(StatusText),
    /// `+ base64`: a SASL challenge. Text that happens to be valid base64
    /// (`+ Ready`) also reads as this; a session that expects a literal
    /// continuation takes either.
    Base64(Base64),
}

/// Base64 text (RFC 4648 §4, with padding) as sent in a SASL challenge.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Base64(Bytes);

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(b: u8) -> Option<u32> {
    B64.iter().position(|&x| x == b).map(|p| p as u32)
}

impl Base64 {
    /// Encodes `data`.
    pub fn encode(data: &[u8]) -> Self {
        let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
        for chunk in data.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(B64[((n >> (18 - 6 * i)) & 0x3f) as usize]);
                } else {
                    out.push(b'=');
                }
            }
        }
        Self(Bytes::from(out))
    }

    /// Checks that `text` is non-empty, padded base64.
    pub fn from_text(text: impl Into<Bytes>) -> Result<Self, ValueError> {
        let text = text.into();
        match Self::decode_text(&text) {
            Some(_) if !text.is_empty() => Ok(Self(text)),
            _ => Err(ValueError::Syntax {
                what: "base64",
                index: 0,
            }),
        }
    }

    pub(crate) fn decode_text(text: &[u8]) -> Option<Vec<u8>> {
        if !text.len().is_multiple_of(4) {
            return None;
        }
        let mut out = Vec::with_capacity(text.len() / 4 * 3);
        let chunks = text.len() / 4;
        for (ci, chunk) in text.chunks(4).enumerate() {
            let pad = chunk.iter().rev().take_while(|&&b| b == b'=').count();
            if pad > 2 || (pad > 0 && ci + 1 != chunks) {
                return None;
            }
            let mut n = 0u32;
            for &b in &chunk[..4 - pad] {
                n = (n << 6) | b64_value(b)?;
            }
            n <<= 6 * pad as u32;
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            // Non-zero padding bits would not round-trip.
            if pad > 0 && bytes[3 - pad..].iter().any(|&b| b != 0) {
                return None;
            }
            out.extend_from_slice(&bytes[..3 - pad]);
        }
        Some(out)
    }

    /// The base64 text.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The decoded data.
    pub fn decode(&self) -> Vec<u8> {
        Self::decode_text(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Debug for Base64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Base64({})", String::from_utf8_lossy(&self.0))
    }
}

/// Untagged server data and untagged status responses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Data {
    /// `* OK`: information, or the greeting.
    Ok(StatusText),
    /// `* NO`: a warning.
    No(StatusText),
    /// `* BAD`: a protocol error not tied to a command.
    Bad(StatusText),
    /// `* PREAUTH`: greeting of an already authenticated connection.
    PreAuth(StatusText),
    /// `* BYE`: the server closes the connection (or the greeting refusing it).
    Bye(StatusText),
    /// `* CAPABILITY ...`.
    Capability(Vec<Capability>),
    /// `* ENABLED ...` (RFC 5161).
    Enabled(Vec<Capability>),
    /// `* FLAGS (...)`.
    Flags(Vec<Flag>),
    /// `* LIST ...`.
    List(ListItem),
    /// `* LSUB ...`.
    Lsub(ListItem),
    /// `* STATUS mailbox (...)`.
    Status {
        /// The mailbox.
        mailbox: Mailbox,
        /// The items.
        items: Vec<StatusItem>,
    },
    /// `* SEARCH 1 2 3 [(MODSEQ n)]`.
    Search {
        /// The matching numbers.
        ids: Vec<u32>,
        /// The highest mod-sequence of the matches (RFC 7162).
        modseq: Option<u64>,
    },
    /// `* SORT 3 1 2 [(MODSEQ n)]` (RFC 5256).
    Sort {
        /// The numbers, in sort order.
        ids: Vec<u32>,
        /// The highest mod-sequence of the matches (RFC 7162).
        modseq: Option<u64>,
    },
    /// `* THREAD ...` (RFC 5256).
    Thread(Vec<Thread>),
    /// `* ESEARCH ...` (RFC 4731, RFC 9051).
    ESearch(ESearch),
    /// `* n EXISTS`.
    Exists(u32),
    /// `* n RECENT` (IMAP4rev1).
    Recent(u32),
    /// `* n EXPUNGE`.
    Expunge(u32),
    /// `* VANISHED [(EARLIER)] uids` (RFC 7162).
    Vanished {
        /// `(EARLIER)`: an answer to a FETCH / SELECT with QRESYNC.
        earlier: bool,
        /// The expunged UIDs.
        uids: crate::types::SequenceSet,
    },
    /// `* n FETCH (...)`.
    Fetch {
        /// The message sequence number.
        seq: u32,
        /// The data items, in the order received.
        items: Vec<FetchItem>,
    },
    /// `* NAMESPACE personal other shared` (RFC 2342).
    Namespace(Namespace),
    /// `* ID (...)` or `* ID NIL` (RFC 2971); NIL is empty.
    Id(Vec<(IString, NString)>),
    /// `* QUOTA root (...)` (RFC 9208).
    Quota {
        /// The quota root.
        root: AString,
        /// Its resources.
        resources: Vec<QuotaResource>,
    },
    /// `* QUOTAROOT mailbox root...` (RFC 9208).
    QuotaRoot {
        /// The mailbox.
        mailbox: Mailbox,
        /// Its quota roots.
        roots: Vec<AString>,
    },
    /// `* METADATA mailbox ...` (RFC 5464).
    Metadata {
        /// The mailbox (empty for server annotations).
        mailbox: Mailbox,
        /// Entries with values, or changed entry names.
        data: MetadataData,
    },
    /// Any other untagged response, kept as received.
    Other {
        /// A leading number (`* 3 XYZ`), if any.
        number: Option<u32>,
        /// The response name.
        name: crate::types::Atom,
        /// Everything after the name and its space, up to the line end
        /// (literals included), as received. Empty for none.
        rest: Bytes,
    },
}

// ---------------------------------------------------------------- helpers

/// Checks quoted or text octets: 8-bit octets that are not UTF-8 are a quirk.
pub(crate) fn check_8bit(c: &mut Cursor<'_>, data: &[u8], quirk: Quirk) -> PResult<()> {
    if !data.is_ascii() && std::str::from_utf8(data).is_err() {
        c.quirk(quirk, "ASCII or UTF-8")?;
    }
    Ok(())
}

/// `string`.
pub(crate) fn string(c: &mut Cursor<'_>) -> PResult<IString> {
    let data = if c.at_literal() {
        c.string_literal()?
    } else {
        let (d, eight_bit) = c.quoted_8bit()?;
        if eight_bit {
            check_8bit(c, &d, Quirk::EightBitQuoted)?;
        }
        d
    };
    // Both forms refuse NUL.
    Ok(IString::from_checked(data))
}

/// `string`, where some servers send `NIL` (a quirk; reads as empty).
pub(crate) fn string_or_nil(c: &mut Cursor<'_>) -> PResult<IString> {
    if c.eat_keyword(b"NIL") {
        c.quirk(Quirk::NilAsString, "a string, not NIL")?;
        return Ok(IString::default());
    }
    string(c)
}

/// `nstring`.
pub(crate) fn nstring(c: &mut Cursor<'_>) -> PResult<NString> {
    if c.eat_keyword(b"NIL") {
        return Ok(NString(None));
    }
    Ok(NString(Some(string(c)?)))
}

/// `astring`.
pub(crate) fn astring(c: &mut Cursor<'_>) -> PResult<AString> {
    if c.peek() == Some(b'"') || c.at_literal() {
        return Ok(AString(string(c)?));
    }
    c.astring()
}

/// After an item of a space-separated sequence: whether another follows
/// (a single space, then not the end). Trailing spaces are a quirk.
pub(crate) fn more(c: &mut Cursor<'_>) -> PResult<bool> {
    c.trailing_space()?;
    if c.peek() == Some(b' ') {
        c.sp()?;
        return Ok(true);
    }
    Ok(false)
}

/// A body structure's size or line count (`body-fld-octets`,
/// `body-fld-lines`: a 32-bit `number`, RFC 3501 §9 / RFC 9051 §9). Some
/// servers send it negative (a quirk; reads as 0), or, for huge parts, at
/// or above 2^32 (a quirk; kept, up to 2^63 - 1).
pub(crate) fn body_number(c: &mut Cursor<'_>) -> PResult<u64> {
    if c.eat(b'-') {
        c.quirk(quirks::NEGATIVE_NUMBER, "a non-negative number")?;
        c.number64()?;
        return Ok(0);
    }
    let mut n = c.number64()?;
    if matches!(c.peek(), Some(b'.' | b'e' | b'E')) {
        n = exponent_number(c, n)?;
    }
    if n > u64::from(u32::MAX) {
        c.quirk(quirks::LARGE_BODY_NUMBER, "a number below 2^32")?;
    }
    Ok(n)
}

/// The rest of a number in exponent notation after its integer digits
/// `int`: `["." 1*DIGIT] ("e" / "E") ["+" / "-"] 1*DIGIT`, read as the
/// integer it rounds to (half up), at most 2^63 - 1 (a quirk,
/// [`quirks::EXPONENT_NUMBER`]).
fn exponent_number(c: &mut Cursor<'_>, int: u64) -> PResult<u64> {
    let err = |c: &Cursor<'_>| c.error("a number (not in exponent notation, or too large)");
    // The digits as one integer, and the power of ten that scales it.
    let mut digits = u128::from(int);
    let mut scale: i64 = 0;
    if c.eat(b'.') {
        let fraction = c.take_while1_slice(|b| b.is_ascii_digit(), "digits after the point")?;
        for &d in fraction {
            digits = digits
                .checked_mul(10)
                .and_then(|v| v.checked_add(u128::from(d - b'0')))
                .filter(|&v| v <= u128::from(u64::MAX))
                .ok_or_else(|| err(c))?;
            scale -= 1;
        }
    }
    if !(c.eat(b'e') || c.eat(b'E')) {
        return Err(c.error("an exponent (e+n)"));
    }
    let negative = c.eat(b'-');
    if !negative {
        c.eat(b'+');
    }
    // Beyond 10^64 every value is out of range (or rounds to 0).
    let exponent = c.number64()?.min(64) as i64;
    scale += if negative { -exponent } else { exponent };
    let value = if scale >= 0 {
        10u128
            .checked_pow(u32::try_from(scale).map_err(|_| err(c))?)
            .and_then(|p| digits.checked_mul(p))
    } else {
        // Dividing by more than 10^38 leaves nothing.
        let p = 10u128.checked_pow(u32::try_from(-scale).unwrap_or(u32::MAX));
        Some(p.map_or(0, |p| (digits + p / 2) / p))
    };
    let value = value
        .filter(|&v| v <= i64::MAX as u128)
        .ok_or_else(|| err(c))?;
    c.quirk(quirks::EXPONENT_NUMBER, "a number")?;
    Ok(value as u64)
}

/// A literal8 or an nstring, as bytes (`None` for NIL).
pub(crate) fn nstring_or_literal8(c: &mut Cursor<'_>) -> PResult<Option<Bytes>> {
    if c.peek() == Some(b'~') {
        return Ok(Some(c.literal()?.0));
    }
    Ok(nstring(c)?.0.map(|s| s.to_bytes()))
}

/// A flag as found in a FLAGS, FETCH FLAGS or PERMANENTFLAGS list; `None`
/// for an invalid keyword dropped as a quirk. A keyword with `]` is kept (a
/// quirk): the token ends at SP, `(`, `)` or `"`, so inside
/// `[PERMANENTFLAGS (...)]` the list's `)` still ends it.
pub(crate) fn flag(c: &mut Cursor<'_>, wildcard_ok: bool) -> PResult<Option<Flag>> {
    let backslash = c.peek() == Some(b'\\');
    let tok = if c.peek() == Some(b'"') {
        // `"\\Deleted"` (InterMail): a flag is an atom, never a string.
        let quoted = c.quoted()?;
        c.quirk(quirks::QUOTED_FLAG, "a flag, not a quoted string")?;
        quoted
    } else if backslash && c.peek2() == Some(b'*') {
        value::take_n(c, 2, "\\*")?
    } else {
        let n = usize::from(backslash)
            + c.rest()[usize::from(backslash)..]
                .iter()
                .take_while(|&&b| b > 0x20 && b < 0x7f && !matches!(b, b'(' | b')' | b'"'))
                .count();
        value::take_n(c, n, "a flag")?
    };
    match Flag::parse_received(&tok) {
        Ok(Flag::Keyword(k)) if !k.is_atom() => {
            c.quirk(quirks::BRACKET_IN_KEYWORD, "a keyword without ]")?;
            Ok(Some(Flag::Keyword(k)))
        }
        Ok(Flag::Wildcard) if !wildcard_ok => {
            c.quirk(quirks::WILDCARD_IN_FLAGS, "a flag other than \\*")?;
            Ok(Some(Flag::Wildcard))
        }
        Ok(f) => Ok(Some(f)),
        Err(_) => {
            c.quirk(quirks::INVALID_KEYWORD, "a flag")?;
            Ok(None)
        }
    }
}

/// `"(" [flag *(SP flag)] ")"`.
pub(crate) fn flag_list(c: &mut Cursor<'_>, wildcard_ok: bool) -> PResult<Vec<Flag>> {
    Ok(c.list(|c| flag(c, wildcard_ok))?
        .into_iter()
        .flatten()
        .collect())
}

/// `sequence-set` read as a token.
pub(crate) fn sequence_set(c: &mut Cursor<'_>) -> PResult<crate::types::SequenceSet> {
    let start_err = c.error("a sequence set");
    let tok = c.take_while1(
        |b| b.is_ascii_digit() || matches!(b, b':' | b',' | b'*'),
        "a sequence set",
    )?;
    crate::types::SequenceSet::parse(&tok, c.limits().max_items).map_err(|_| start_err)
}

/// How responses are encoded for this connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct EncodeOptions {
    /// IMAP4rev2, or UTF8=ACCEPT enabled (RFC 6855): quoted strings may
    /// carry UTF-8 and mailbox names are sent as UTF-8 instead of modified
    /// UTF-7.
    pub utf8: bool,
}

impl EncodeOptions {
    /// Options for a UTF-8 connection (see [`EncodeOptions::utf8`]).
    pub fn utf8() -> Self {
        Self { utf8: true }
    }
}

/// The output buffer and the options in force while encoding.
pub(crate) struct Enc<'a> {
    buf: &'a mut Vec<u8>,
    pub(crate) strings: StringOptions,
    pub(crate) mailbox: crate::types::MailboxEncoding,
}

impl<'a> Enc<'a> {
    pub(crate) fn new(buf: &'a mut Vec<u8>, options: EncodeOptions) -> Self {
        Self {
            buf,
            strings: StringOptions {
                non_sync: crate::types::NonSyncLiterals::None,
                utf8: options.utf8,
            },
            mailbox: if options.utf8 {
                crate::types::MailboxEncoding::Utf8
            } else {
                crate::types::MailboxEncoding::ModifiedUtf7
            },
        }
    }
}

impl std::ops::Deref for Enc<'_> {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        self.buf
    }
}

impl std::ops::DerefMut for Enc<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        self.buf
    }
}

pub(crate) fn w_num(out: &mut Vec<u8>, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

pub(crate) fn w_string(out: &mut Enc<'_>, s: &[u8]) {
    StringKind::choose(s, false, out.strings).write(s, out);
}

pub(crate) fn w_astring(out: &mut Enc<'_>, s: &[u8]) {
    StringKind::choose(s, true, out.strings).write(s, out);
}

pub(crate) fn w_nstring(out: &mut Enc<'_>, s: &NString) {
    match &s.0 {
        None => out.extend_from_slice(b"NIL"),
        Some(s) => w_string(out, s.as_bytes()),
    }
}

pub(crate) fn w_literal8(out: &mut Enc<'_>, data: &[u8]) {
    out.extend_from_slice(b"~{");
    w_num(out, data.len());
    out.extend_from_slice(b"}\r\n");
    out.extend_from_slice(data);
}

/// `NIL`, or the bytes as a string (literal8 when they hold NUL).
pub(crate) fn w_nbytes(out: &mut Enc<'_>, data: &Option<Bytes>) {
    match data {
        None => out.extend_from_slice(b"NIL"),
        Some(d) if memchr::memchr(0, d).is_some() => w_literal8(out, d),
        Some(d) => w_string(out, d),
    }
}

pub(crate) fn w_flags(out: &mut Enc<'_>, flags: &[Flag]) {
    out.push(b'(');
    for (i, f) in flags.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        let _ = write!(out, "{f}");
    }
    out.push(b')');
}

pub(crate) fn w_list<T>(out: &mut Enc<'_>, items: &[T], mut f: impl FnMut(&mut Enc<'_>, &T)) {
    out.push(b'(');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        f(out, x);
    }
    out.push(b')');
}

// ----------------------------------------------------------------- parser

impl StatusText {
    /// Reads `resp-text` after the space that precedes it.
    fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let mut code = None;
        if c.peek() == Some(b'[') {
            c.advance(1);
            code = Some(Code::parse_lenient(c)?);
            c.expect(b']', "] closing the response code")?;
            if c.peek() == Some(b' ') {
                c.advance(1);
            } else {
                c.quirk(quirks::MISSING_TEXT, "a space and text after the code")?;
            }
        }
        let (text, eight_bit) = c.text_checked()?;
        if eight_bit {
            check_8bit(c, &text, quirks::EIGHT_BIT_TEXT)?;
        }
        Ok(Self {
            code,
            text: Text(text),
        })
    }

    /// Reads ` resp-text` (the space first); its absence is a quirk.
    fn parse_after_keyword(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.at_line_end() && c.peek() != Some(b' ') {
            c.quirk(quirks::MISSING_TEXT, "a space and text")?;
            return Ok(Self::default());
        }
        c.expect(b' ', "a space")?;
        Self::parse(c)
    }

    fn write(&self, out: &mut Enc<'_>) {
        if let Some(code) = &self.code {
            out.push(b'[');
            code.write(out);
            out.extend_from_slice(b"] ");
        }
        out.extend_from_slice(&self.text.0);
    }
}

impl Response {
    /// Parses one complete frame (see [`Frame::is_complete`]); returns the
    /// response and the quirks tolerated.
    pub fn parse(
        frame: &Frame,
        limits: &Limits,
        strictness: Strictness,
    ) -> Result<(Response, Vec<Quirk>), DecodeError> {
        Self::parse_bytes(frame.bytes(), frame.offset(), limits, strictness)
    }

    /// Parses one complete response held in `bytes` (ending with its line
    /// ending), which starts at stream offset `offset`.
    pub fn parse_bytes(
        bytes: &Bytes,
        offset: u64,
        limits: &Limits,
        strictness: Strictness,
    ) -> Result<(Response, Vec<Quirk>), DecodeError> {
        Self::parse_bytes_utf8(bytes, offset, limits, strictness, false)
    }

    /// Like [`Response::parse_bytes`]; `utf8` says UTF-8 is in force
    /// (UTF8=ACCEPT enabled, RFC 6855 §3, or IMAP4rev2, RFC 9051 §5.1), so
    /// mailbox names are read as UTF-8, not modified UTF-7.
    pub fn parse_bytes_utf8(
        bytes: &Bytes,
        offset: u64,
        limits: &Limits,
        strictness: Strictness,
        utf8: bool,
    ) -> Result<(Response, Vec<Quirk>), DecodeError> {
        let mut c = Cursor::over(bytes, offset, limits, strictness);
        let mut r = Self::read(&mut c)?;
        if utf8 {
            r.reread_mailboxes_utf8();
        }
        Ok((r, c.quirks().to_vec()))
    }

    /// Reads every mailbox name of the response again as UTF-8.
    fn reread_mailboxes_utf8(&mut self) {
        let Response::Untagged(data) = self else {
            return;
        };
        match data {
            Data::List(item) | Data::Lsub(item) => {
                item.mailbox.reread_utf8();
                for ext in &mut item.extended {
                    if let ListExtItem::OldName(m) = ext {
                        m.reread_utf8();
                    }
                }
            }
            Data::Status { mailbox, .. }
            | Data::QuotaRoot { mailbox, .. }
            | Data::Metadata { mailbox, .. } => mailbox.reread_utf8(),
            _ => {}
        }
    }

    fn read(c: &mut Cursor<'_>) -> PResult<Response> {
        match c.peek() {
            Some(b'+') => {
                c.advance(1);
                let r = Response::Continue(read_continue(c)?);
                c.finish()?;
                Ok(r)
            }
            Some(b'*') => {
                c.advance(1);
                // More spaces are a quirk: DavMail's keep-alive
                // `*  633 EXISTS` (davmail#122).
                c.sp()?;
                let data = Data::read(c)?;
                if !matches!(data, Data::Other { .. }) {
                    c.finish()?;
                }
                Ok(Response::Untagged(data))
            }
            // A tag may start with `[` (`[1 NO`); a line that is no tagged
            // response is a response code alone: Exchange 2013 answers UID
            // MOVE with a bare `[COPYUID 124 10 233]` (ruby/net-imap#250,
            // MailKit#115), read as the `* OK` it stands for.
            Some(b'[') if Self::read_tagged(&mut c.fork_lenient()).is_err() => {
                c.quirk(quirks::BARE_CODE, "* OK before the response code")?;
                let text = StatusText::parse(c)?;
                c.finish()?;
                Ok(Response::Untagged(Data::Ok(text)))
            }
            _ => Self::read_tagged(c),
        }
    }

    /// `tag SP (OK / NO / BAD) resp-text CRLF`.
    fn read_tagged(c: &mut Cursor<'_>) -> PResult<Response> {
        let tag = c.tag()?;
        let tag = Tag::new(tag).map_err(|_| c.error("a tag"))?;
        c.expect(b' ', "a space after the tag")?;
        let condition = if c.eat_keyword(b"OK") {
            Condition::Ok
        } else if c.eat_keyword(b"NO") {
            Condition::No
        } else if c.eat_keyword(b"BAD") {
            Condition::Bad
        } else {
            return Err(c.error("OK, NO or BAD"));
        };
        let text = StatusText::parse_after_keyword(c)?;
        c.finish()?;
        Ok(Response::Tagged(Tagged {
            tag,
            condition,
            text,
        }))
    }

    /// Writes the response, CRLF included, in canonical form for an
    /// IMAP4rev1 connection.
    pub fn encode(&self, out: &mut Vec<u8>) {
        self.encode_with(EncodeOptions::default(), out);
    }

    /// Writes the response, CRLF included, in canonical form with these
    /// options.
    pub fn encode_with(&self, options: EncodeOptions, out: &mut Vec<u8>) {
        self.write(&mut Enc::new(out, options));
    }

    fn write(&self, out: &mut Enc<'_>) {
        match self {
            Response::Tagged(t) => {
                out.extend_from_slice(t.tag.as_bytes());
                out.extend_from_slice(match t.condition {
                    Condition::Ok => b" OK ",
                    Condition::No => b" NO ",
                    Condition::Bad => b" BAD ",
                });
                t.text.write(out);
            }
            Response::Continue(Continue::Text(t)) => {
                out.extend_from_slice(b"+ ");
                t.write(out);
            }
            Response::Continue(Continue::Base64(b)) => {
                out.extend_from_slice(b"+ ");
                out.extend_from_slice(&b.0);
            }
            Response::Untagged(d) => {
                out.extend_from_slice(b"* ");
                d.write(out);
            }
        }
        out.extend_from_slice(b"\r\n");
    }

    /// The tag, for a tagged status response.
    pub fn tag(&self) -> Option<&Tag> {
        match self {
            Response::Tagged(t) => Some(&t.tag),
            _ => None,
        }
    }

    /// The code and text of a status response (tagged or untagged `OK`,
    /// `NO`, `BAD`, `PREAUTH`, `BYE`) or a text continuation request.
    pub fn status_text(&self) -> Option<&StatusText> {
        match self {
            Response::Tagged(t) => Some(&t.text),
            Response::Continue(Continue::Text(t)) => Some(t),
            Response::Untagged(
                Data::Ok(t) | Data::No(t) | Data::Bad(t) | Data::PreAuth(t) | Data::Bye(t),
            ) => Some(t),
            _ => None,
        }
    }

    /// The encoded response as a new buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

fn read_continue(c: &mut Cursor<'_>) -> PResult<Continue> {
    if !c.eat(b' ') {
        if c.at_line_end() {
            c.quirk(quirks::BARE_CONTINUATION, "a space after +")?;
            return Ok(Continue::Text(StatusText::default()));
        }
        return Err(c.error("a space after +"));
    }
    if c.peek() != Some(b'[') {
        let rest = c.rest();
        let end = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
        if end > 0 && Base64::decode_text(&rest[..end]).is_some() {
            return Ok(Continue::Base64(Base64(c.text())));
        }
    }
    Ok(Continue::Text(StatusText::parse(c)?))
}

fn status(c: &mut Cursor<'_>) -> PResult<StatusText> {
    StatusText::parse_after_keyword(c)
}

impl Data {
    fn read(c: &mut Cursor<'_>) -> PResult<Data> {
        if c.peek().is_some_and(|b| b.is_ascii_digit()) {
            let n = c.number()?;
            c.sp()?;
            let name = c.take_while1_slice(crate::types::is_atom_char, "an atom")?;
            let upper = crate::parse::upper(name);
            return Ok(match &upper[..] {
                b"EXISTS" => Data::Exists(n),
                b"RECENT" => Data::Recent(n),
                b"EXPUNGE" => Data::Expunge(n),
                b"FETCH" => {
                    c.sp()?;
                    Data::Fetch {
                        seq: n,
                        items: fetch::parse_items(c)?,
                    }
                }
                _ => other(c, Some(n), c.share(name))?,
            });
        }
        let name = c.take_while1_slice(crate::types::is_atom_char, "an atom")?;
        let upper = crate::parse::upper(name);
        Ok(match &upper[..] {
            b"OK" => Data::Ok(status(c)?),
            b"NO" => Data::No(status(c)?),
            b"BAD" => Data::Bad(status(c)?),
            b"PREAUTH" => Data::PreAuth(status(c)?),
            b"BYE" => Data::Bye(status(c)?),
            b"CAPABILITY" => Data::Capability(code::capabilities(c)?),
            b"ENABLED" => Data::Enabled(code::capabilities(c)?),
            b"FLAGS" => {
                c.sp()?;
                Data::Flags(flag_list(c, false)?)
            }
            b"LIST" => {
                c.sp()?;
                Data::List(ListItem::parse(c)?)
            }
            b"LSUB" => {
                c.sp()?;
                Data::Lsub(ListItem::parse(c)?)
            }
            b"STATUS" => {
                c.sp()?;
                let mailbox = Mailbox::parse(c)?;
                c.sp()?;
                let items = c.list(StatusItem::parse)?;
                Data::Status { mailbox, items }
            }
            b"SEARCH" => {
                let (ids, modseq) = search::numbers(c)?;
                Data::Search { ids, modseq }
            }
            b"SORT" => {
                let (ids, modseq) = search::numbers(c)?;
                Data::Sort { ids, modseq }
            }
            b"THREAD" => Data::Thread(search::threads(c)?),
            b"ESEARCH" => Data::ESearch(ESearch::parse(c)?),
            b"VANISHED" => {
                c.sp()?;
                let earlier = if c.peek() == Some(b'(') {
                    c.expect(b'(', "(")?;
                    c.expect_keyword(b"EARLIER", "EARLIER")?;
                    c.expect(b')', ")")?;
                    c.sp()?;
                    true
                } else {
                    false
                };
                Data::Vanished {
                    earlier,
                    uids: sequence_set(c)?,
                }
            }
            b"NAMESPACE" => {
                c.sp()?;
                Data::Namespace(Namespace::parse(c)?)
            }
            b"ID" => {
                c.sp()?;
                Data::Id(mailbox::id_params(c)?)
            }
            b"QUOTA" => {
                c.sp()?;
                let root = astring(c)?;
                c.sp()?;
                Data::Quota {
                    root,
                    resources: c.list(QuotaResource::parse)?,
                }
            }
            b"QUOTAROOT" => {
                c.sp()?;
                let mailbox = Mailbox::parse(c)?;
                let mut roots = Vec::new();
                while more(c)? {
                    roots.push(astring(c)?);
                }
                Data::QuotaRoot { mailbox, roots }
            }
            b"METADATA" => {
                c.sp()?;
                let mailbox = Mailbox::parse(c)?;
                c.sp()?;
                Data::Metadata {
                    mailbox,
                    data: MetadataData::parse(c)?,
                }
            }
            _ => other(c, None, c.share(name))?,
        })
    }

    fn write(&self, out: &mut Enc<'_>) {
        let st = |out: &mut Enc<'_>, kw: &[u8], t: &StatusText| {
            out.extend_from_slice(kw);
            out.push(b' ');
            t.write(out);
        };
        match self {
            Data::Ok(t) => st(out, b"OK", t),
            Data::No(t) => st(out, b"NO", t),
            Data::Bad(t) => st(out, b"BAD", t),
            Data::PreAuth(t) => st(out, b"PREAUTH", t),
            Data::Bye(t) => st(out, b"BYE", t),
            Data::Capability(caps) => {
                out.extend_from_slice(b"CAPABILITY");
                code::write_caps(out, caps);
            }
            Data::Enabled(caps) => {
                out.extend_from_slice(b"ENABLED");
                code::write_caps(out, caps);
            }
            Data::Flags(f) => {
                out.extend_from_slice(b"FLAGS ");
                w_flags(out, f);
            }
            Data::List(l) => {
                out.extend_from_slice(b"LIST ");
                l.write(out);
            }
            Data::Lsub(l) => {
                out.extend_from_slice(b"LSUB ");
                l.write(out);
            }
            Data::Status { mailbox, items } => {
                out.extend_from_slice(b"STATUS ");
                mailbox.write(out);
                out.push(b' ');
                w_list(out, items, |out, i| i.write(out));
            }
            Data::Search { ids, modseq } => {
                out.extend_from_slice(b"SEARCH");
                search::write_numbers(out, ids, *modseq);
            }
            Data::Sort { ids, modseq } => {
                out.extend_from_slice(b"SORT");
                search::write_numbers(out, ids, *modseq);
            }
            Data::Thread(t) => {
                out.extend_from_slice(b"THREAD");
                if !t.is_empty() {
                    out.push(b' ');
                    for th in t {
                        th.write(out);
                    }
                }
            }
            Data::ESearch(e) => {
                out.extend_from_slice(b"ESEARCH");
                e.write(out);
            }
            Data::Exists(n) => {
                w_num(out, n);
                out.extend_from_slice(b" EXISTS");
            }
            Data::Recent(n) => {
                w_num(out, n);
                out.extend_from_slice(b" RECENT");
            }
            Data::Expunge(n) => {
                w_num(out, n);
                out.extend_from_slice(b" EXPUNGE");
            }
            Data::Vanished { earlier, uids } => {
                out.extend_from_slice(b"VANISHED ");
                if *earlier {
                    out.extend_from_slice(b"(EARLIER) ");
                }
                w_num(out, uids);
            }
            Data::Fetch { seq, items } => {
                w_num(out, seq);
                out.extend_from_slice(b" FETCH ");
                w_list(out, items, |out, i| i.write(out));
            }
            Data::Namespace(n) => {
                out.extend_from_slice(b"NAMESPACE ");
                n.write(out);
            }
            Data::Id(params) => {
                out.extend_from_slice(b"ID ");
                if params.is_empty() {
                    out.extend_from_slice(b"NIL");
                } else {
                    w_list(out, params, |out, (k, v)| {
                        w_string(out, k.as_bytes());
                        out.push(b' ');
                        w_nstring(out, v);
                    });
                }
            }
            Data::Quota { root, resources } => {
                out.extend_from_slice(b"QUOTA ");
                w_astring(out, root.as_bytes());
                out.push(b' ');
                w_list(out, resources, |out, r| r.write(out));
            }
            Data::QuotaRoot { mailbox, roots } => {
                out.extend_from_slice(b"QUOTAROOT ");
                mailbox.write(out);
                for r in roots {
                    out.push(b' ');
                    w_astring(out, r.as_bytes());
                }
            }
            Data::Metadata { mailbox, data } => {
                out.extend_from_slice(b"METADATA ");
                mailbox.write(out);
                out.push(b' ');
                data.write(out);
            }
            Data::Other { number, name, rest } => {
                if let Some(n) = number {
                    w_num(out, n);
                    out.push(b' ');
                }
                out.extend_from_slice(name.as_bytes());
                if !rest.is_empty() {
                    out.push(b' ');
                    out.extend_from_slice(rest);
                }
            }
        }
    }
}

/// An unknown untagged response: the rest of the frame, without the final
/// line ending, kept as is.
fn other(c: &mut Cursor<'_>, number: Option<u32>, name: Bytes) -> PResult<Data> {
    let name = crate::types::Atom::new(name).map_err(|_| c.error("an atom"))?;
    let rest = c.rest();
    let eol = if rest.ends_with(b"\r\n") {
        2
    } else if rest.ends_with(b"\n") {
        c.quirk(Quirk::BareLf, "CRLF")?;
        1
    } else {
        return Err(c.error("the end of the line"));
    };
    let body_len = rest.len() - eol;
    let rest = if body_len == 0 {
        Bytes::new()
    } else {
        c.expect(b' ', "a space or the line end")?;
        let rest = if body_len > 1 {
            value::take_n(c, body_len - 1, "data")?
        } else {
            Bytes::new()
        };
        if rest.first() == Some(&b' ') || rest.is_empty() {
            c.quirk(Quirk::ExtraSpace, "a single space")?;
        }
        rest
    };
    c.advance(eol);
    Ok(Data::Other { number, name, rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_refuses_non_canonical_text() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"\x00\xff\x10"] {
            let b = Base64::encode(data);
            assert_eq!(b.decode(), data);
            if !data.is_empty() {
                assert_eq!(Base64::from_text(b.as_bytes().to_vec()).unwrap(), b);
            }
        }
        assert_eq!(Base64::encode(b"Password:").as_bytes(), b"UGFzc3dvcmQ6");
        for bad in [
            &b""[..],
            b"abc",
            b"a===",
            b"ab=c",
            b"Zm9=",
            b"Zm9v!A==",
            b"ab==cd==",
        ] {
            assert!(Base64::from_text(bad.to_vec()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_and_tokens_refuse_what_cannot_be_sent() {
        assert!(Text::try_from("fine text").is_ok());
        assert!(Text::try_from("").is_ok());
        for bad in ["a\r\nb", "a\nb", "a\0b", "[X] looks like a code"] {
            assert!(Text::try_from(bad).is_err(), "{bad:?}");
        }
        assert!(Token::new(&b"BODY[HEADER.FIELDS (A B)]"[..]).is_ok());
        for bad in [&b""[..], b"123", b"nil", b"a b", b"(x", b"\"q"] {
            assert!(Token::new(bad.to_vec()).is_err(), "{bad:?}");
        }
        assert!(ObjectId::new(&b"M6d99ac3-_x"[..]).is_ok());
        assert!(ObjectId::new(&b"a.b"[..]).is_err());
        assert!(ObjectId::new(vec![b'a'; 256]).is_err());
    }

    #[test]
    fn capabilities_are_typed_case_insensitively() {
        use crate::types::Atom;
        let cases: &[(&str, Capability, &str)] = &[
            ("imap4REV1", Capability::Imap4Rev1, "IMAP4rev1"),
            ("literal+", Capability::LiteralPlus, "LITERAL+"),
            (
                "auth=plain",
                Capability::Auth(Atom::try_from("plain").unwrap()),
                "AUTH=plain",
            ),
            (
                "APPENDLIMIT=35651584",
                Capability::AppendLimit(Some(35651584)),
                "APPENDLIMIT=35651584",
            ),
            (
                "APPENDLIMIT=x",
                Capability::Other(Atom::try_from("APPENDLIMIT=x").unwrap()),
                "APPENDLIMIT=x",
            ),
            (
                "XLIST",
                Capability::Other(Atom::try_from("XLIST").unwrap()),
                "XLIST",
            ),
        ];
        for (wire, cap, canonical) in cases {
            let got = Capability::from_atom(Atom::try_from(*wire).unwrap());
            assert_eq!(&got, cap, "{wire}");
            let mut out = Vec::new();
            got.write(&mut out);
            assert_eq!(out, canonical.as_bytes());
        }
    }
}
