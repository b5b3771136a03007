//! Client commands (RFC 3501 §6, RFC 9051 §6 and the extensions listed in the
//! crate docs): the typed [`Command`], its parser over one framed message
//! ([`Command::parse`]), the server-side [`CommandDecoder`] that couples the
//! [`Framer`](crate::codec::Framer) with the parser, and the canonical encoder ([`encode()`]) that
//! yields line and literal [`Fragment`]s.
//!
//! Besides commands a client sends two kinds of lines that are not commands:
//! AUTHENTICATE data lines ([`AuthLine`]) and IDLE's `DONE`. They cannot be
//! told apart from commands by their syntax, so the caller says when one is
//! expected ([`Expect`]).
//!
//! # Example: a server decodes, a client encodes
//!
//! ```
//! use bytes::BytesMut;
//! use imap_proto::codec::{FramerConfig, LiteralMode, Side};
//! use imap_proto::command::{EncodeOptions, Fragment, encode};
//! use imap_proto::parse::Strictness;
//! use imap_proto::{CommandBody, CommandDecoder, CommandEvent};
//!
//! let mut server = CommandDecoder::new(FramerConfig::new(Side::Server), Strictness::Lenient);
//! let mut buf = BytesMut::from(&b"A1 LOGIN joe {7}\r\n"[..]);
//! // The client waits for `+`: the server hears of the literal first.
//! let Some(CommandEvent::Announcement(a)) = server.decode(&mut buf) else { panic!() };
//! assert_eq!(a.header.length, 7);
//! server.accept_literal().unwrap(); // after sending "+ go ahead\r\n"
//! buf.extend_from_slice(b"se cret\r\n");
//! let Some(CommandEvent::Command(login)) = server.decode(&mut buf) else { panic!() };
//! let CommandBody::Login { password, .. } = &login.body else { panic!() };
//! assert_eq!(password.expose().as_bytes(), b"se cret");
//! assert!(!format!("{login:?}").contains("se cret"), "Debug hides the password");
//!
//! // Encoding picks the string forms; without LITERAL+ the client must
//! // wait for `+` before the literal fragment.
//! let mut cmd = login.clone();
//! cmd.body = CommandBody::Login {
//!     username: "joe".try_into().unwrap(),
//!     password: imap_proto::types::Secret::new("two\r\nlines".try_into().unwrap()),
//! };
//! let fragments = encode(&cmd, EncodeOptions::default());
//! assert_eq!(fragments[0], Fragment::Line("A1 LOGIN joe {10}\r\n".into()));
//! assert!(matches!(fragments[1], Fragment::Literal { mode: LiteralMode::Sync, .. }));
//! assert_eq!(fragments[2], Fragment::Line("\r\n".into()));
//! ```
//!
//! Submodules by subject: [`fetch`] (attributes, macros, CHANGEDSINCE /
//! VANISHED), [`search`] (search keys, ESEARCH RETURN, SORT / THREAD),
//! [`store`], [`list`] (LIST-EXTENDED, LIST-STATUS, STATUS items),
//! [`append`] (MULTIAPPEND, literal8), [`mod@encode`].

pub mod append;
mod decoder;
pub mod encode;
pub mod fetch;
pub mod list;
mod parse;
pub mod search;
pub mod store;

use bytes::Bytes;

use crate::error::ValueError;
use crate::parse::values::{self, SetError};
use crate::parse::{Cursor, PResult};
use crate::types::{
    AString, Atom, Flag, IString, MailboxEncoding, MailboxName, NString, Secret, SequenceSet, Tag,
};

pub use self::append::{AppendData, AppendHead, AppendMessage, AppendPiece, CatPart, LiteralData};
pub use self::decoder::{CommandDecoder, CommandEvent, Expect};
pub use self::encode::{EncodeOptions, Fragment, encode, encode_auth_line, encode_done, to_bytes};
pub use self::fetch::{FetchAttr, FetchItems, FetchModifier};
pub use self::list::{ListPattern, ListReturn, ListSelect, StatusAttr};
pub use self::parse::{CommandError, parse_auth_line};
pub use self::search::{SearchKey, SearchReturn, SortCriterion, SortKey, ThreadAlgorithm};
pub use self::store::{GmLabel, StoreAction, StoreFlags, StoreTarget};

/// A tagged client command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The tag the server's completion response repeats.
    pub tag: Tag,
    /// What the command asks for.
    pub body: CommandBody,
}

/// A mailbox name as sent: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once
/// UTF8=ACCEPT is enabled. Convert with
/// [`MailboxName::from_wire`](crate::types::MailboxName::from_wire) /
/// [`MailboxName::to_wire`](crate::types::MailboxName::to_wire); kept as
/// sent so that names a client mangled still round-trip.
pub type Mailbox = AString;

/// Decodes a mailbox argument: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8
/// once UTF8=ACCEPT is enabled; `INBOX` in any case becomes `INBOX`.
pub fn mailbox_name(
    mailbox: &Mailbox,
    encoding: MailboxEncoding,
) -> Result<MailboxName, ValueError> {
    MailboxName::from_wire(mailbox.as_bytes(), encoding)
}

/// The mailbox argument for a name, in the connection's encoding.
pub fn mailbox_arg(name: &MailboxName, encoding: MailboxEncoding) -> Mailbox {
    // A MailboxName holds no NUL, so this cannot fail.
    AString::new(name.to_wire(encoding)).unwrap_or_default()
}

/// A message set: numbers / UIDs, or `$`, the saved search result (SEARCHRES,
/// RFC 5182).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Sequence {
    /// A sequence set.
    Set(SequenceSet),
    /// `$`.
    Saved,
}

impl Sequence {
    /// Reads a sequence set or `$`.
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.eat(b'$') {
            return Ok(Sequence::Saved);
        }
        values::sequence_set(c, SetError::AtEnd).map(Sequence::Set)
    }
}

impl From<SequenceSet> for Sequence {
    fn from(s: SequenceSet) -> Self {
        Self::Set(s)
    }
}

/// The initial response of AUTHENTICATE (SASL-IR, RFC 4959).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SaslInitial {
    /// `=`: an empty initial response.
    Empty,
    /// Base64 data (as sent, not decoded).
    Data(Secret<Atom>),
}

/// SASL data as sent on an AUTHENTICATE line: base64 characters only
/// (possibly none), so it cannot end the line early. `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct SaslData(Bytes);

impl SaslData {
    /// Base64 text (`A-Z a-z 0-9 + / =`), possibly empty.
    pub fn new(data: impl Into<Bytes>) -> Result<Self, ValueError> {
        let data = data.into();
        if let Some(index) = data.iter().position(|&b| !is_base64_char(b)) {
            return Err(ValueError::InvalidOctet {
                what: "SASL data",
                octet: data[index],
                index,
            });
        }
        Ok(Self(data))
    }

    pub(crate) fn from_wire(data: Bytes) -> Self {
        Self(data)
    }

    /// The base64 text, for the code that must decode or check it.
    pub fn expose(&self) -> &Bytes {
        &self.0
    }
}

impl std::fmt::Debug for SaslData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SaslData(<redacted>)")
    }
}

pub(crate) fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// A line the client sends during AUTHENTICATE (RFC 3501 §6.2.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthLine {
    /// Base64 data (possibly empty), as sent.
    Data(SaslData),
    /// `*`: the client cancels the exchange.
    Cancel,
}

/// A SELECT / EXAMINE parameter (RFC 4466 §2.1, RFC 7162).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SelectParam {
    /// `CONDSTORE`.
    Condstore,
    /// `QRESYNC (uidvalidity modseq [known-uids [(seq-match uid-match)]])`.
    Qresync {
        /// The last known UIDVALIDITY.
        uid_validity: u32,
        /// The last known HIGHESTMODSEQ.
        mod_seq: u64,
        /// The UIDs the client knows.
        known_uids: Option<SequenceSet>,
        /// Message sequence numbers and the UIDs they had.
        seq_match: Option<(SequenceSet, SequenceSet)>,
    },
    /// Another parameter (RFC 4466 `select-param`), its value kept as sent
    /// (a parenthesized list or a simple token).
    Other {
        /// The parameter name.
        name: Atom,
        /// The value.
        value: Option<RawArgs>,
    },
}

/// A GETMETADATA option (RFC 5464 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetadataOption {
    /// `MAXSIZE n`.
    MaxSize(u32),
    /// `DEPTH 0` / `DEPTH 1` / `DEPTH infinity` (`None`).
    Depth(Option<u8>),
}

/// Octets this library keeps without understanding them, as sent: the
/// arguments of an unknown command (from the space after the name to the
/// end, CRLF excluded; literals included), or the value of an unknown FETCH
/// attribute or SELECT parameter. Made by hand they cannot hold a line break,
/// so they cannot inject a command.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct RawArgs(Bytes);

impl RawArgs {
    /// Arguments on one line: not empty, not starting with a space, no CR,
    /// LF or NUL, and not ending in `{n}` / `{n+}` / `{n-}`, which before
    /// the line end would announce a literal (RFC 3501 §4.3, RFC 7888).
    /// Literals cannot be made up by hand; only the parser keeps them.
    pub fn new(args: impl Into<Bytes>) -> Result<Self, ValueError> {
        let args = args.into();
        match args.first() {
            None => {
                return Err(ValueError::Empty {
                    what: "command arguments",
                });
            }
            Some(b' ') => {
                return Err(ValueError::InvalidOctet {
                    what: "command arguments",
                    octet: b' ',
                    index: 0,
                });
            }
            Some(_) => {}
        }
        if let Some(index) = args.iter().position(|&b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(ValueError::InvalidOctet {
                what: "command arguments",
                octet: args[index],
                index,
            });
        }
        if let Some(open) = args.iter().rposition(|&b| b == b'{') {
            let inner = args[open + 1..].strip_suffix(b"}").unwrap_or_default();
            let digits = inner
                .strip_suffix(b"+")
                .or_else(|| inner.strip_suffix(b"-"))
                .unwrap_or(inner);
            if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
                return Err(ValueError::Syntax {
                    what: "command arguments",
                    index: open,
                });
            }
        }
        Ok(Self(args))
    }

    pub(crate) fn from_wire(args: Bytes) -> Self {
        Self(args)
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for RawArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawArgs({})", crate::Snippet::new(&self.0))
    }
}

/// Every command of RFC 3501 and RFC 9051 and the supported extensions.
///
/// `uid: bool` fields mean the `UID` prefix. Flag and item lists are written
/// in parentheses by the encoder; the parser also accepts the forms without.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandBody {
    /// `CAPABILITY`.
    Capability,
    /// `NOOP`.
    Noop,
    /// `LOGOUT`.
    Logout,
    /// `STARTTLS`.
    StartTls,
    /// `AUTHENTICATE mechanism [initial-response]` (SASL-IR, RFC 4959).
    Authenticate {
        /// The SASL mechanism (`PLAIN`, `XOAUTH2`, ...).
        mechanism: Atom,
        /// The initial response.
        initial: Option<SaslInitial>,
    },
    /// `LOGIN user password`.
    Login {
        /// The user name.
        username: AString,
        /// The password.
        password: Secret<AString>,
    },
    /// `ENABLE cap...` (RFC 5161).
    Enable(Vec<Atom>),
    /// `SELECT mailbox [(params)]`.
    Select {
        /// The mailbox.
        mailbox: Mailbox,
        /// CONDSTORE / QRESYNC parameters.
        params: Vec<SelectParam>,
    },
    /// `EXAMINE mailbox [(params)]`.
    Examine {
        /// The mailbox.
        mailbox: Mailbox,
        /// CONDSTORE / QRESYNC parameters.
        params: Vec<SelectParam>,
    },
    /// `CREATE mailbox [(USE (attrs))]` (CREATE-SPECIAL-USE, RFC 6154).
    Create {
        /// The mailbox.
        mailbox: Mailbox,
        /// Special-use attributes (`\Drafts`, ...); `None` without `USE`.
        special_use: Option<Vec<Flag>>,
    },
    /// `DELETE mailbox`.
    Delete(Mailbox),
    /// `RENAME from to`.
    Rename {
        /// The existing name.
        from: Mailbox,
        /// The new name.
        to: Mailbox,
    },
    /// `SUBSCRIBE mailbox`.
    Subscribe(Mailbox),
    /// `UNSUBSCRIBE mailbox`.
    Unsubscribe(Mailbox),
    /// `LIST [(selection)] reference pattern(s) [RETURN (options)]`
    /// (LIST-EXTENDED RFC 5258, SPECIAL-USE RFC 6154, LIST-STATUS RFC 5819).
    List {
        /// Selection options; `None` when there is no selection list.
        selection: Option<Vec<ListSelect>>,
        /// The reference name.
        reference: Mailbox,
        /// One pattern, or several in parentheses.
        patterns: Vec<ListPattern>,
        /// Return options; `None` without `RETURN`.
        returns: Option<Vec<ListReturn>>,
    },
    /// `LSUB reference pattern`.
    Lsub {
        /// The reference name.
        reference: Mailbox,
        /// The pattern.
        pattern: ListPattern,
    },
    /// `NAMESPACE` (RFC 2342).
    Namespace,
    /// `STATUS mailbox (items)`.
    Status {
        /// The mailbox.
        mailbox: Mailbox,
        /// The items asked for.
        items: Vec<StatusAttr>,
    },
    /// `APPEND mailbox message...` (several: MULTIAPPEND, RFC 3502).
    Append {
        /// The mailbox.
        mailbox: Mailbox,
        /// At least one message.
        messages: Vec<AppendMessage>,
    },
    /// `IDLE` (RFC 2177); the client ends it with [`CommandEvent::Done`].
    Idle,
    /// `CHECK` (RFC 3501 only).
    Check,
    /// `CLOSE`.
    Close,
    /// `UNSELECT` (RFC 3691).
    Unselect,
    /// `EXPUNGE`.
    Expunge,
    /// `UID EXPUNGE set` (UIDPLUS, RFC 4315).
    UidExpunge(Sequence),
    /// `[UID] SEARCH [RETURN (..)] [CHARSET c] keys`.
    Search {
        /// `UID SEARCH`.
        uid: bool,
        /// ESEARCH return options (RFC 4731); `None` without `RETURN`.
        returns: Option<Vec<SearchReturn>>,
        /// The charset.
        charset: Option<AString>,
        /// The keys (all must match); at least one.
        criteria: Vec<SearchKey>,
    },
    /// `[UID] FETCH set items [(modifiers)]`.
    Fetch {
        /// `UID FETCH`.
        uid: bool,
        /// The messages.
        set: Sequence,
        /// What to fetch.
        items: FetchItems,
        /// CHANGEDSINCE / VANISHED (RFC 7162).
        modifiers: Vec<FetchModifier>,
    },
    /// `[UID] STORE set [(UNCHANGEDSINCE n)] (+|-)FLAGS[.SILENT] (flags)`.
    Store {
        /// `UID STORE`.
        uid: bool,
        /// The messages.
        set: Sequence,
        /// CONDSTORE's UNCHANGEDSINCE.
        unchanged_since: Option<u64>,
        /// Replace, add or remove, and the flags.
        flags: StoreFlags,
    },
    /// `[UID] COPY set mailbox`.
    Copy {
        /// `UID COPY`.
        uid: bool,
        /// The messages.
        set: Sequence,
        /// The destination.
        mailbox: Mailbox,
    },
    /// `[UID] MOVE set mailbox` (RFC 6851).
    Move {
        /// `UID MOVE`.
        uid: bool,
        /// The messages.
        set: Sequence,
        /// The destination.
        mailbox: Mailbox,
    },
    /// `[UID] SORT [RETURN (..)] (criteria) charset keys` (RFC 5256).
    Sort {
        /// `UID SORT`.
        uid: bool,
        /// ESORT return options; `None` without `RETURN`.
        returns: Option<Vec<SearchReturn>>,
        /// The sort order; at least one.
        criteria: Vec<SortCriterion>,
        /// The charset.
        charset: AString,
        /// The search keys; at least one.
        search: Vec<SearchKey>,
    },
    /// `[UID] THREAD algorithm charset keys` (RFC 5256).
    Thread {
        /// `UID THREAD`.
        uid: bool,
        /// The algorithm.
        algorithm: ThreadAlgorithm,
        /// The charset.
        charset: AString,
        /// The search keys; at least one.
        search: Vec<SearchKey>,
    },
    /// `GETQUOTA root` (RFC 9208).
    GetQuota(AString),
    /// `GETQUOTAROOT mailbox`.
    GetQuotaRoot(Mailbox),
    /// `SETQUOTA root (resource limit ...)`.
    SetQuota {
        /// The quota root.
        root: AString,
        /// Resource names and limits.
        limits: Vec<(Atom, u64)>,
    },
    /// `GETMETADATA [(options)] mailbox entries` (RFC 5464).
    GetMetadata {
        /// MAXSIZE / DEPTH.
        options: Vec<MetadataOption>,
        /// The mailbox (`""` for server annotations).
        mailbox: Mailbox,
        /// Entry names; at least one.
        entries: Vec<AString>,
    },
    /// `SETMETADATA mailbox (entry value ...)`.
    SetMetadata {
        /// The mailbox (`""` for server annotations).
        mailbox: Mailbox,
        /// Entries and values (`NIL` removes an entry).
        entries: Vec<(AString, NString)>,
    },
    /// `ID (field value ...)` or `ID NIL` (RFC 2971).
    Id(Option<Vec<(IString, NString)>>),
    /// `COMPRESS mechanism` (RFC 4978).
    Compress(Atom),
    /// A command this library does not know (X- commands and others), kept
    /// raw.
    Other {
        /// The command name as sent.
        name: Atom,
        /// The arguments; `None` when the name ends the line.
        args: Option<RawArgs>,
    },
}

impl CommandBody {
    /// The command name as the encoder writes it (`UID FETCH`, `LOGIN`, ...).
    pub fn name(&self) -> &str {
        use CommandBody as C;
        let uid = |u: &bool, with: &'static str, without: &'static str| {
            if *u { with } else { without }
        };
        match self {
            C::Capability => "CAPABILITY",
            C::Noop => "NOOP",
            C::Logout => "LOGOUT",
            C::StartTls => "STARTTLS",
            C::Authenticate { .. } => "AUTHENTICATE",
            C::Login { .. } => "LOGIN",
            C::Enable(_) => "ENABLE",
            C::Select { .. } => "SELECT",
            C::Examine { .. } => "EXAMINE",
            C::Create { .. } => "CREATE",
            C::Delete(_) => "DELETE",
            C::Rename { .. } => "RENAME",
            C::Subscribe(_) => "SUBSCRIBE",
            C::Unsubscribe(_) => "UNSUBSCRIBE",
            C::List { .. } => "LIST",
            C::Lsub { .. } => "LSUB",
            C::Namespace => "NAMESPACE",
            C::Status { .. } => "STATUS",
            C::Append { .. } => "APPEND",
            C::Idle => "IDLE",
            C::Check => "CHECK",
            C::Close => "CLOSE",
            C::Unselect => "UNSELECT",
            C::Expunge => "EXPUNGE",
            C::UidExpunge(_) => "UID EXPUNGE",
            C::Search { uid: u, .. } => uid(u, "UID SEARCH", "SEARCH"),
            C::Fetch { uid: u, .. } => uid(u, "UID FETCH", "FETCH"),
            C::Store { uid: u, .. } => uid(u, "UID STORE", "STORE"),
            C::Copy { uid: u, .. } => uid(u, "UID COPY", "COPY"),
            C::Move { uid: u, .. } => uid(u, "UID MOVE", "MOVE"),
            C::Sort { uid: u, .. } => uid(u, "UID SORT", "SORT"),
            C::Thread { uid: u, .. } => uid(u, "UID THREAD", "THREAD"),
            C::GetQuota(_) => "GETQUOTA",
            C::GetQuotaRoot(_) => "GETQUOTAROOT",
            C::SetQuota { .. } => "SETQUOTA",
            C::GetMetadata { .. } => "GETMETADATA",
            C::SetMetadata { .. } => "SETMETADATA",
            C::Id(_) => "ID",
            C::Compress(_) => "COMPRESS",
            C::Other { name, .. } => name.as_str(),
        }
    }
}
