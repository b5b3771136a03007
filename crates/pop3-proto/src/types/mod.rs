//! Validated value types: message numbers, unique ids, line text, secrets,
//! SASL mechanism names, and the protocol state.

use std::fmt;
use std::num::NonZeroU32;

use bytes::Bytes;

use crate::error::SendError;

mod secret;

pub use self::secret::Secret;

/// The protocol state of a POP3 session (RFC 1939 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum State {
    /// Before the greeting has been received or sent.
    Greeting,
    /// Before successful authentication.
    Authorization,
    /// Authenticated; the maildrop is open.
    Transaction,
    /// QUIT was accepted in the TRANSACTION state: deletions are committed.
    Update,
    /// `+OK` to STLS was given; the transport must now run the TLS handshake.
    TlsHandshake,
    /// The connection is over.
    Closed,
}

/// A message number: 1-based, as in RFC 1939 §3 ("numbered from 1").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageNumber(NonZeroU32);

impl MessageNumber {
    /// A message number, or `None` for 0.
    pub const fn new(n: u32) -> Option<Self> {
        match NonZeroU32::new(n) {
            Some(n) => Some(Self(n)),
            None => None,
        }
    }

    /// The number.
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The 0-based index (number − 1).
    pub const fn index(self) -> usize {
        (self.0.get() - 1) as usize
    }
}

impl fmt::Display for MessageNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Longest unique-id RFC 1939 §7 allows, in octets.
pub const MAX_UNIQUE_ID_LEN: usize = 70;

/// Longest unique-id a lenient decoder accepts (marked
/// [`UniqueIdFault::TooLong`]), in octets. Some servers exceed the 70 of
/// RFC 1939 §7; this still keeps ids short enough to store and compare.
pub const MAX_LENIENT_UNIQUE_ID_LEN: usize = 255;

/// How a unique-id breaks RFC 1939 §7: `unique-id = 1*70 (%x21-7E)`,
/// alone after the message number.
///
/// Carried by [`DecodeError::UniqueId`](crate::DecodeError::UniqueId)
/// when a decoder refuses it, and by [`UniqueId::quirk`] when a lenient
/// decoder kept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum UniqueIdFault {
    /// Longer than 70 octets.
    #[error("longer than 70 octets")]
    TooLong,
    /// An octet outside 0x21..=0x7E (a control character, DEL, 8-bit).
    /// Never accepted, even leniently: such an id could not be stored one
    /// per line or shown safely.
    #[error("an octet outside 0x21..0x7E")]
    Character,
    /// More text after the id on its line (`1 abc def`): the id is taken
    /// to be `abc`, which may not be what the server meant.
    #[error("more text after it on its line")]
    TrailingText,
}

/// A UIDL unique-id: 1 to 70 octets in 0x21..=0x7E (RFC 1939 §7).
///
/// A lenient decoder may also produce ids that break the RFC in ways real
/// servers do, marked with their [`quirk`](Self::quirk); every id holds
/// printable ASCII only, so it never holds a space, a line break or a
/// control character. Ids compare by their octets alone.
#[derive(Clone)]
pub struct UniqueId {
    id: Bytes,
    quirk: Option<UniqueIdFault>,
}

impl UniqueId {
    /// Validates and wraps a unique-id (RFC 1939 §7).
    pub fn new(id: impl Into<Bytes>) -> Result<Self, SendError> {
        let id = id.into();
        match check_unique_id(&id) {
            Ok(()) if !id.is_empty() => Ok(Self { id, quirk: None }),
            Err(UniqueIdFault::Character) => Err(SendError::InvalidArgument(
                "unique-id must be printable ASCII",
            )),
            _ => Err(SendError::InvalidArgument(
                "unique-id must be 1 to 70 octets",
            )),
        }
    }

    /// Reads the unique-id of a UIDL line. `trailing`: more text followed
    /// it. Strict, every fault is refused; lenient, an id up to
    /// [`MAX_LENIENT_UNIQUE_ID_LEN`] octets or one followed by more text
    /// is kept and marked.
    pub(crate) fn decode(id: &[u8], trailing: bool, lenient: bool) -> Result<Self, UniqueIdFault> {
        let quirk = match check_unique_id(id) {
            Ok(()) if trailing => Some(UniqueIdFault::TrailingText),
            Ok(()) => None,
            Err(UniqueIdFault::TooLong) if id.len() <= MAX_LENIENT_UNIQUE_ID_LEN => {
                Some(UniqueIdFault::TooLong)
            }
            Err(fault) => return Err(fault),
        };
        match quirk {
            Some(fault) if !lenient => Err(fault),
            quirk => Ok(Self {
                id: Bytes::copy_from_slice(id),
                quirk,
            }),
        }
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.id
    }

    /// The id as a string (always ASCII).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.id).unwrap_or_default()
    }

    /// How the id breaks RFC 1939 §7, when a lenient decoder kept it
    /// anyway; `None` for an id the RFC allows. An application that keys
    /// state on ids may want to distrust marked ones: two messages whose
    /// ids differ only after a space read as the same id.
    pub fn quirk(&self) -> Option<UniqueIdFault> {
        self.quirk
    }
}

/// Checks the octets and the length of a unique-id against RFC 1939 §7
/// (at most 70 octets in 0x21..=0x7E; an empty one is the caller's to
/// refuse: a decoder never reads one).
fn check_unique_id(id: &[u8]) -> Result<(), UniqueIdFault> {
    if !id.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return Err(UniqueIdFault::Character);
    }
    if id.len() > MAX_UNIQUE_ID_LEN {
        return Err(UniqueIdFault::TooLong);
    }
    Ok(())
}

impl PartialEq for UniqueId {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for UniqueId {}

impl PartialOrd for UniqueId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for UniqueId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}

impl std::hash::Hash for UniqueId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl fmt::Debug for UniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quirk {
            None => write!(f, "UniqueId({})", self.as_str()),
            Some(q) => write!(f, "UniqueId({}, {q:?})", self.as_str()),
        }
    }
}

impl fmt::Display for UniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks octets for use inside one protocol line: no CR, LF or NUL.
pub(crate) fn check_line_octets(b: &[u8]) -> Result<(), SendError> {
    if b.iter().any(|&c| c == b'\r' || c == b'\n' || c == 0) {
        return Err(SendError::InvalidArgument(
            "CR, LF and NUL cannot be sent in a line",
        ));
    }
    Ok(())
}

/// Text that fits in one protocol line: any octets but CR, LF and NUL.
///
/// Used for user names, response text and other free-form arguments. It is
/// bytes, not `str`: servers send 8-bit text, and RFC 6856 makes user names
/// UTF-8; [`Text::to_str_lossy`] decodes for display.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Text(Bytes);

impl Text {
    /// Validates and wraps text (no CR, LF or NUL).
    pub fn new(text: impl Into<Bytes>) -> Result<Self, SendError> {
        let text = text.into();
        check_line_octets(&text)?;
        Ok(Self(text))
    }

    /// Wraps bytes already known to hold no CR, LF or NUL.
    pub(crate) fn from_checked(text: Bytes) -> Self {
        Self(text)
    }

    /// The empty text.
    pub const fn empty() -> Self {
        Self(Bytes::new())
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The octets as shared `Bytes`.
    pub fn bytes(&self) -> &Bytes {
        &self.0
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text as UTF-8, with invalid sequences replaced.
    pub fn to_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_str_lossy())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_str_lossy())
    }
}

impl TryFrom<&str> for Text {
    type Error = SendError;
    fn try_from(s: &str) -> Result<Self, SendError> {
        Self::new(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl TryFrom<String> for Text {
    type Error = SendError;
    fn try_from(s: String) -> Result<Self, SendError> {
        Self::new(Bytes::from(s))
    }
}

/// A SASL mechanism name (RFC 4422 §3.1): 1 to 20 of `A-Z 0-9 - _`, kept upper case.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mechanism(Bytes);

impl Mechanism {
    /// `PLAIN` (RFC 4616).
    pub const PLAIN: &'static str = "PLAIN";
    /// `LOGIN` (draft-murchison-sasl-login).
    pub const LOGIN: &'static str = "LOGIN";
    /// `XOAUTH2` (Google, Microsoft).
    pub const XOAUTH2: &'static str = "XOAUTH2";
    /// `CRAM-MD5` (RFC 2195).
    pub const CRAM_MD5: &'static str = "CRAM-MD5";

    /// Validates a mechanism name; lower case is folded to upper case.
    pub fn new(name: &[u8]) -> Result<Self, SendError> {
        if name.is_empty() || name.len() > 20 {
            return Err(SendError::InvalidArgument(
                "SASL mechanism name must be 1 to 20 characters",
            ));
        }
        if !name
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
        {
            return Err(SendError::InvalidArgument(
                "SASL mechanism name has an invalid character",
            ));
        }
        Ok(Self(Bytes::from(name.to_ascii_uppercase())))
    }

    /// The name (upper case ASCII).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Debug for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mechanism({})", self.as_str())
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identifies a command a client sent, so that its events can be matched to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandId(pub(crate) u64);

impl CommandId {
    /// The sequence number of the command (0 for the first one).
    pub const fn get(self) -> u64 {
        self.0
    }
}
