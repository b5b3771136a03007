//! Server responses (RFC 3501 §7, RFC 9051 §7 and the extensions listed in
//! the crate docs): the types (here), the parser that reads one complete
//! [`Frame`] (`parse.rs`), the canonical encoder (`encode.rs`), and
//! [`ResponseDecoder`], which couples the framer with the parser.
//!
//! A response is one of three things ([`Response`]): a tagged status
//! (`A1 OK ...`), untagged data (`* ...`, including the greeting and
//! untagged `OK` / `NO` / `BAD` / `PREAUTH` / `BYE`), or a continuation
//! request (`+ ...`).
//!
//! Decoding is lenient by default: deviations real servers commit are
//! accepted and reported as [`Quirk`]s (see [`Quirk`]);
//! [`Strictness::Strict`](crate::parse::Strictness::Strict) refuses them. Unknown capabilities, response
//! codes, FETCH items, STATUS items and untagged responses are kept (as
//! [`Value`]s or raw octets) and encoded back unchanged.
//!
//! Encoding ([`Response::encode`]) is canonical: single spaces, upper-case
//! keywords, strings in the simplest form
//! [`StringKind::choose`](crate::types::StringKind::choose) allows, so
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
//! assert_eq!(quirks, [imap_proto::Quirk::MissingText]);
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
mod encode;
mod fetch;
mod mailbox;
mod parse;
mod search;
mod value;

use bytes::Bytes;

pub use self::body::{
    BasicFields, BodyStructure, Disposition, DispositionExt, LanguageExt, LocationExt,
    MultiPartExt, SingleKind, SinglePart, SinglePartExt,
};
pub(crate) use self::code::SimpleCode;
pub use self::code::{Capability, Code, CodeText, MetadataCode, OtherCode};
pub use self::decoder::{ResponseDecoder, ResponseEvent};
pub use self::encode::EncodeOptions;
pub use self::fetch::{Address, Envelope, FetchItem, GmLabel, StreamedItem, StreamedLiteral};
pub use self::mailbox::{
    ListExtItem, ListItem, Mailbox, MailboxAttr, MetadataData, Namespace, NamespaceDesc,
    QuotaResource, StatusItem,
};
pub(crate) use self::parse::body_number;
pub use self::search::{ESearch, ESearchItem, Thread};
pub use self::value::{ObjectId, Token, Value};
#[cfg(doc)]
use crate::codec::Frame;
use crate::error::ValueError;
#[cfg(doc)]
use crate::limits::Limits;
use crate::parse::Quirk;
use crate::types::{AString, Flag, IString, NString, Tag};

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

impl Response {
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
