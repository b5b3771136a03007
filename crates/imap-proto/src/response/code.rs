//! Response codes (`[ALERT]`, `[UIDNEXT 5]`, ...: RFC 3501 §7.1, RFC 9051
//! §7.1, RFC 4315, RFC 5530, RFC 7162, RFC 5464, RFC 8474, RFC 9208) and
//! capabilities.

use bytes::Bytes;

use super::ObjectId;
use crate::ValueError;
use crate::encode::{Writer, write_num};
use crate::parse::values::{SetError, astring, flag_list, more, sequence_set};
use crate::parse::{Cursor, PResult};
use crate::types::{AString, Atom, Flag, SequenceSet};

/// A response code: what a status response means to a program.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code {
    /// `ALERT`: show the text to the user.
    Alert,
    /// `BADCHARSET [(charsets)]`.
    BadCharset(Vec<AString>),
    /// `CAPABILITY ...` (in the greeting or after login).
    Capability(Vec<Capability>),
    /// `PARSE`: a message's headers could not be parsed.
    Parse,
    /// `PERMANENTFLAGS (...)`, `\*` included.
    PermanentFlags(Vec<Flag>),
    /// `READ-ONLY`.
    ReadOnly,
    /// `READ-WRITE`.
    ReadWrite,
    /// `TRYCREATE`.
    TryCreate,
    /// `UIDNEXT n`.
    UidNext(u32),
    /// `UIDVALIDITY n`.
    UidValidity(u32),
    /// `UNSEEN n` (IMAP4rev1).
    Unseen(u32),
    /// `APPENDUID uidvalidity uids` (RFC 4315; a set with MULTIAPPEND).
    AppendUid {
        /// UIDVALIDITY of the destination.
        uidvalidity: u32,
        /// The UIDs assigned.
        uids: SequenceSet,
    },
    /// `COPYUID uidvalidity source dest` (RFC 4315).
    CopyUid {
        /// UIDVALIDITY of the destination.
        uidvalidity: u32,
        /// The source UIDs.
        source: SequenceSet,
        /// The UIDs in the destination, in the same order.
        dest: SequenceSet,
    },
    /// `UIDNOTSTICKY` (RFC 4315).
    UidNotSticky,
    /// `HIGHESTMODSEQ n` (RFC 7162).
    HighestModSeq(u64),
    /// `NOMODSEQ` (RFC 7162).
    NoModSeq,
    /// `MODIFIED set` (RFC 7162).
    Modified(SequenceSet),
    /// `CLOSED` (RFC 7162, RFC 9051).
    Closed,
    /// `UNAVAILABLE` (RFC 5530).
    Unavailable,
    /// `AUTHENTICATIONFAILED` (RFC 5530).
    AuthenticationFailed,
    /// `AUTHORIZATIONFAILED` (RFC 5530).
    AuthorizationFailed,
    /// `EXPIRED` (RFC 5530).
    Expired,
    /// `PRIVACYREQUIRED` (RFC 5530).
    PrivacyRequired,
    /// `CONTACTADMIN` (RFC 5530).
    ContactAdmin,
    /// `NOPERM` (RFC 5530).
    NoPerm,
    /// `INUSE` (RFC 5530).
    InUse,
    /// `EXPUNGEISSUED` (RFC 5530).
    ExpungeIssued,
    /// `CORRUPTION` (RFC 5530).
    Corruption,
    /// `SERVERBUG` (RFC 5530).
    ServerBug,
    /// `CLIENTBUG` (RFC 5530).
    ClientBug,
    /// `CANNOT` (RFC 5530).
    Cannot,
    /// `LIMIT` (RFC 5530).
    Limit,
    /// `OVERQUOTA` (RFC 5530, RFC 9208).
    OverQuota,
    /// `ALREADYEXISTS` (RFC 5530).
    AlreadyExists,
    /// `NONEXISTENT` (RFC 5530).
    NonExistent,
    /// `TOOBIG` (RFC 7889, RFC 9051).
    TooBig,
    /// `UNKNOWN-CTE` (RFC 3516).
    UnknownCte,
    /// `NOTSAVED` (RFC 5182).
    NotSaved,
    /// `HASCHILDREN` (RFC 9051).
    HasChildren,
    /// `USEATTR` (RFC 6154).
    UseAttr,
    /// `COMPRESSIONACTIVE` (RFC 4978).
    CompressionActive,
    /// `MAILBOXID (id)` (RFC 8474).
    MailboxId(ObjectId),
    /// `METADATA ...` (RFC 5464).
    Metadata(MetadataCode),
    /// Any other code: the atom and the text after it up to `]` (boxed:
    /// rare, and inline it would make every status response larger).
    Other(Box<OtherCode>),
}

/// A response code this crate does not read, kept as received: an unknown
/// name, or a known name whose arguments do not follow its grammar
/// (`[UIDNEXT x]`, a quirk). Built with [`Code::other`], which refuses a
/// name and text that would read back as another code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OtherCode {
    name: Atom,
    value: Option<CodeText>,
}

impl OtherCode {
    /// The code's name.
    pub fn name(&self) -> &Atom {
        &self.name
    }

    /// The rest (without the separating space), if any.
    pub fn value(&self) -> Option<&CodeText> {
        self.value.as_ref()
    }
}

/// The text of an unknown response code: `1*<any TEXT-CHAR except "]">`
/// (RFC 3501 §9 `resp-text-code`). Not empty; no NUL, CR, LF or `]`, so
/// it can always be sent inside the brackets.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CodeText(Bytes);

impl CodeText {
    /// Validates the text of a response code. Besides the octets above, a
    /// `"` or `(` left open is refused: readers (this one included) skip a
    /// `]` inside a quoted string or a list, so such a text would not read
    /// back as sent.
    pub fn new(text: impl Into<Bytes>) -> Result<Self, ValueError> {
        let text = text.into();
        if text.is_empty() {
            return Err(ValueError::Empty {
                what: "response code text",
            });
        }
        if let Some(index) = text
            .iter()
            .position(|&b| matches!(b, 0 | b'\r' | b'\n' | b']'))
        {
            return Err(ValueError::InvalidOctet {
                what: "response code text",
                octet: text[index],
                index,
            });
        }
        let mut closed = text.to_vec();
        closed.push(b']');
        if code_end(&closed) != Some(text.len()) {
            return Err(ValueError::Syntax {
                what: "response code text (an open quote or parenthesis)",
                index: 0,
            });
        }
        Ok(Self(text))
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::ops::Deref for CodeText {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for CodeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CodeText({:?})", String::from_utf8_lossy(&self.0))
    }
}

/// Whether `name` is the name of a code this crate reads (a name alone,
/// or one with arguments): such a name with its text is written back
/// spaced and would then read as that code.
fn is_known_name(name: &Atom, c: &Cursor<'_>) -> bool {
    let mut probe = Vec::with_capacity(name.as_bytes().len() + 1);
    probe.extend_from_slice(name.as_bytes());
    probe.push(b']');
    let probe = Bytes::from(probe);
    let mut p = Cursor::over(&probe, 0, c.limits(), crate::parse::Strictness::Lenient);
    !matches!(Code::parse(&mut p), Ok(Code::Other(_)))
}

/// The text of a code up to its `]` (a NUL ends it too, and the `]` the
/// caller then expects is missing); the cursor is at its first octet.
fn code_text(c: &mut Cursor<'_>) -> PResult<CodeText> {
    let text = c.take_while1(|b| !matches!(b, 0 | b'\r' | b'\n' | b']'), "text up to ]")?;
    Ok(CodeText(text))
}

impl Code {
    /// A code this crate does not read: `name` with the text `value`.
    ///
    /// Refused when the code, as it is written (`name SP value`), reads
    /// back as another code: `UIDNEXT` with `5` is [`Code::UidNext`], to be
    /// built as that (the same octets on the wire, another value here).
    /// A known name with text outside its grammar (`UIDNEXT` with `x`) is
    /// kept, as the decoder keeps it.
    pub fn other(name: Atom, value: Option<CodeText>) -> Result<Self, ValueError> {
        let code = Code::other_unchecked(name, value);
        // As the encoder writes it, and the `]` after it.
        let mut written = Vec::new();
        code.write(&mut Writer::new(
            &mut written,
            crate::encode::EncodeOptions::default(),
        ));
        written.push(b']');
        let written = Bytes::from(written);
        let limits = crate::Limits::default();
        let mut c = Cursor::over(&written, 0, &limits, crate::parse::Strictness::Lenient);
        match Code::parse_lenient(&mut c) {
            Ok(again) if again == code && c.peek() == Some(b']') => Ok(code),
            _ => Err(ValueError::Syntax {
                what: "response code (its name and text read as another code)",
                index: 0,
            }),
        }
    }

    /// [`Code::other`] for a name and text the decoder read: they read
    /// back the same way.
    pub(crate) fn other_unchecked(name: Atom, value: Option<CodeText>) -> Self {
        Code::Other(Box::new(OtherCode { name, value }))
    }
}

/// The `METADATA` response codes of RFC 5464.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetadataCode {
    /// `LONGENTRIES n`.
    LongEntries(u32),
    /// `MAXSIZE n`.
    MaxSize(u32),
    /// `TOOMANY`.
    TooMany,
    /// `NOPRIVATE`.
    NoPrivate,
}

/// The codes that are a name alone: the table the encoder writes names
/// from, and [`SimpleCode`], which the parsers look names up with (a
/// `match`: a length switch and a few compares).
macro_rules! simple_codes {
    ($($variant:ident: $name:literal,)*) => {
        const SIMPLE: &[(&[u8], Code)] = &[$(($name, Code::$variant)),*];

        /// A response code that is a name alone, without allocation or
        /// drop.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum SimpleCode {
            $($variant,)*
        }

        impl SimpleCode {
            /// The code named `upper` (uppercase).
            #[inline]
            pub(crate) fn from_upper(upper: &[u8]) -> Option<Self> {
                match upper {
                    $($name => Some(SimpleCode::$variant),)*
                    _ => None,
                }
            }

            /// The code.
            pub(crate) fn code(self) -> Code {
                match self {
                    $(SimpleCode::$variant => Code::$variant,)*
                }
            }
        }
    };
}

simple_codes! {
    Alert: b"ALERT",
    Parse: b"PARSE",
    ReadOnly: b"READ-ONLY",
    ReadWrite: b"READ-WRITE",
    TryCreate: b"TRYCREATE",
    UidNotSticky: b"UIDNOTSTICKY",
    NoModSeq: b"NOMODSEQ",
    Closed: b"CLOSED",
    Unavailable: b"UNAVAILABLE",
    AuthenticationFailed: b"AUTHENTICATIONFAILED",
    AuthorizationFailed: b"AUTHORIZATIONFAILED",
    Expired: b"EXPIRED",
    PrivacyRequired: b"PRIVACYREQUIRED",
    ContactAdmin: b"CONTACTADMIN",
    NoPerm: b"NOPERM",
    InUse: b"INUSE",
    ExpungeIssued: b"EXPUNGEISSUED",
    Corruption: b"CORRUPTION",
    ServerBug: b"SERVERBUG",
    ClientBug: b"CLIENTBUG",
    Cannot: b"CANNOT",
    Limit: b"LIMIT",
    OverQuota: b"OVERQUOTA",
    AlreadyExists: b"ALREADYEXISTS",
    NonExistent: b"NONEXISTENT",
    TooBig: b"TOOBIG",
    UnknownCte: b"UNKNOWN-CTE",
    NotSaved: b"NOTSAVED",
    HasChildren: b"HASCHILDREN",
    UseAttr: b"USEATTR",
    CompressionActive: b"COMPRESSIONACTIVE",
}

/// Where the `]` closing a response code is in `rest` (outside parentheses
/// and quoted strings, before the line end).
fn code_end(rest: &[u8]) -> Option<usize> {
    // Most codes hold no string, list or literal before their `]`.
    if let Some(i) = memchr::memchr(b']', rest)
        && !rest[..i]
            .iter()
            .any(|b| matches!(b, b'{' | b'"' | b'(' | b')' | b'\r' | b'\n'))
    {
        return Some(i);
    }
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    let mut skip_to = 0;
    for (i, &b) in rest.iter().enumerate() {
        if i < skip_to {
            continue;
        }
        match b {
            // A literal: skip its announcement and data.
            b'{' if !quoted => {
                let digits = rest[i + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                let mut j = i + 1 + digits;
                if rest.get(j) == Some(&b'+') {
                    j += 1;
                }
                if digits == 0 || rest.get(j) != Some(&b'}') {
                    continue;
                }
                j += 1;
                if rest.get(j) == Some(&b'\r') {
                    j += 1;
                }
                if rest.get(j) != Some(&b'\n') {
                    continue;
                }
                let n: usize = std::str::from_utf8(&rest[i + 1..i + 1 + digits])
                    .ok()?
                    .parse()
                    .ok()?;
                skip_to = j.checked_add(1)?.checked_add(n)?;
            }
            b'\r' | b'\n' => return None,
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b']' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

impl Code {
    /// Reads a code after `[` (the `]` is left). A known code whose
    /// arguments do not follow its grammar is kept as [`Code::Other`] (a
    /// quirk), so the status response around it still reads.
    pub(crate) fn parse_lenient(c: &mut Cursor<'_>) -> PResult<Self> {
        let rest = c.rest();
        let Some(end) = code_end(rest) else {
            return Err(c.error("] closing the response code"));
        };
        // As sent; then, for a known code, without spaces before `]` (a
        // quirk of its own, not a malformed code). An unknown code's text
        // may end in spaces: the first try keeps them.
        let trimmed = rest[..end]
            .iter()
            .rposition(|&b| b != b' ')
            .map_or(0, |i| i + 1);
        for (len, extra_space) in [(end, false), (trimmed, true)] {
            if extra_space && trimmed == end {
                break;
            }
            // The code as sent is the frame itself (its `]` is there); only
            // the trimmed form needs a copy ending in `]`.
            let copy;
            let mut s = if extra_space {
                let mut sub = Vec::with_capacity(len + 1);
                sub.extend_from_slice(&rest[..len]);
                sub.push(b']');
                copy = Bytes::from(sub);
                Cursor::over(&copy, 0, c.limits(), crate::parse::Strictness::Lenient)
            } else {
                c.fork_lenient()
            };
            let start = s.pos();
            if let Ok(code) = Code::parse(&mut s)
                && s.pos() - start == len
                && s.peek() == Some(b']')
            {
                for q in s.quirks().to_vec() {
                    c.quirk(q, "a response code following the grammar")?;
                }
                if extra_space {
                    c.quirk(crate::Quirk::ExtraSpace, "no space before ]")?;
                }
                c.advance(end);
                return Ok(code);
            }
        }
        let name = c.atom()?;
        let name = Atom::new(name).map_err(|_| c.error("a response code"))?;
        c.quirk(
            crate::Quirk::MalformedCode,
            "a response code following the grammar",
        )?;
        // The text after the name; seen without its space too, as in
        // Microsoft 365's `[Error="..." AuthResultFromPopImapEnd=0 ...]`,
        // unless the name is a code's this crate reads: written back
        // spaced, it would read as that code (`[MAILBOXID(x)]`).
        let spaced = c.eat(b' ');
        let value = if c.peek() == Some(b']') {
            None
        } else {
            if !spaced && is_known_name(&name, c) {
                return Err(c.error("a space after the response code's name"));
            }
            Some(code_text(c)?)
        };
        if c.peek() != Some(b']') {
            return Err(c.error("] closing the response code"));
        }
        Ok(Code::other_unchecked(name, value))
    }

    /// Reads a code after `[` (the `]` is left).
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let name = c.take_while1_slice(crate::types::is_atom_char, "an atom")?;
        let upper = crate::parse::upper(name);
        if c.peek() == Some(b']')
            && let Some(code) = SimpleCode::from_upper(&upper)
        {
            return Ok(code.code());
        }
        let sp = |c: &mut Cursor<'_>| c.expect(b' ', "a space");
        Ok(match &upper[..] {
            b"BADCHARSET" => {
                let mut sets = Vec::new();
                if c.eat(b' ') {
                    if c.peek() == Some(b'(') {
                        sets = c.list(astring)?;
                    } else {
                        c.quirk(crate::Quirk::BareCharset, "( before the charsets")?;
                        let a = c.atom()?;
                        sets.push(AString::new(a).map_err(|_| c.error("a charset"))?);
                    }
                }
                Code::BadCharset(sets)
            }
            b"CAPABILITY" => Code::Capability(capabilities(c)?),
            b"PERMANENTFLAGS" => {
                sp(c)?;
                Code::PermanentFlags(flag_list(c, true)?)
            }
            b"UIDNEXT" => {
                sp(c)?;
                Code::UidNext(c.number()?)
            }
            b"UIDVALIDITY" => {
                sp(c)?;
                Code::UidValidity(c.number()?)
            }
            b"UNSEEN" => {
                sp(c)?;
                Code::Unseen(c.number()?)
            }
            b"APPENDUID" => {
                sp(c)?;
                let uidvalidity = c.number()?;
                sp(c)?;
                Code::AppendUid {
                    uidvalidity,
                    uids: sequence_set(c, SetError::AtStart)?,
                }
            }
            b"COPYUID" => {
                sp(c)?;
                let uidvalidity = c.number()?;
                sp(c)?;
                let source = sequence_set(c, SetError::AtStart)?;
                sp(c)?;
                Code::CopyUid {
                    uidvalidity,
                    source,
                    dest: sequence_set(c, SetError::AtStart)?,
                }
            }
            b"HIGHESTMODSEQ" => {
                sp(c)?;
                Code::HighestModSeq(c.number64()?)
            }
            b"MODIFIED" => {
                sp(c)?;
                Code::Modified(sequence_set(c, SetError::AtStart)?)
            }
            b"MAILBOXID" => {
                sp(c)?;
                Code::MailboxId(ObjectId::parse_paren(c)?)
            }
            b"METADATA" if c.peek() == Some(b' ') => {
                sp(c)?;
                Code::Metadata(if c.eat_keyword(b"LONGENTRIES") {
                    sp(c)?;
                    MetadataCode::LongEntries(c.number()?)
                } else if c.eat_keyword(b"MAXSIZE") {
                    sp(c)?;
                    MetadataCode::MaxSize(c.number()?)
                } else if c.eat_keyword(b"TOOMANY") {
                    MetadataCode::TooMany
                } else if c.eat_keyword(b"NOPRIVATE") {
                    MetadataCode::NoPrivate
                } else {
                    return Err(c.error("LONGENTRIES, MAXSIZE, TOOMANY or NOPRIVATE"));
                })
            }
            _ => {
                let name = Atom::new(c.share(name)).map_err(|_| c.error("an atom"))?;
                let value = if c.eat(b' ') {
                    Some(code_text(c)?)
                } else {
                    None
                };
                Code::other_unchecked(name, value)
            }
        })
    }

    /// Writes the code (without brackets).
    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        if let Some((n, _)) = SIMPLE.iter().find(|(_, code)| code == self) {
            out.extend_from_slice(n);
            return;
        }
        match self {
            Code::BadCharset(sets) => {
                out.extend_from_slice(b"BADCHARSET");
                if !sets.is_empty() {
                    out.push(b' ');
                    // `charset = atom / quoted`: no `]` in an atom here.
                    out.list(sets, |out, s| {
                        let s = s.as_bytes();
                        if !s.is_empty()
                            && !s.eq_ignore_ascii_case(b"NIL")
                            && s.iter().all(|&b| crate::types::is_atom_char(b))
                        {
                            out.extend_from_slice(s);
                        } else {
                            out.string_bytes(s);
                        }
                    });
                }
            }
            Code::Capability(caps) => {
                out.extend_from_slice(b"CAPABILITY");
                write_caps(out, caps);
            }
            Code::PermanentFlags(f) => {
                out.extend_from_slice(b"PERMANENTFLAGS ");
                out.flags(f);
            }
            Code::UidNext(n) => {
                out.extend_from_slice(b"UIDNEXT ");
                write_num(out, n);
            }
            Code::UidValidity(n) => {
                out.extend_from_slice(b"UIDVALIDITY ");
                write_num(out, n);
            }
            Code::Unseen(n) => {
                out.extend_from_slice(b"UNSEEN ");
                write_num(out, n);
            }
            Code::AppendUid { uidvalidity, uids } => {
                out.extend_from_slice(b"APPENDUID ");
                write_num(out, uidvalidity);
                out.push(b' ');
                write_num(out, uids);
            }
            Code::CopyUid {
                uidvalidity,
                source,
                dest,
            } => {
                out.extend_from_slice(b"COPYUID ");
                write_num(out, uidvalidity);
                out.push(b' ');
                write_num(out, source);
                out.push(b' ');
                write_num(out, dest);
            }
            Code::HighestModSeq(n) => {
                out.extend_from_slice(b"HIGHESTMODSEQ ");
                write_num(out, n);
            }
            Code::Modified(s) => {
                out.extend_from_slice(b"MODIFIED ");
                write_num(out, s);
            }
            Code::MailboxId(id) => {
                out.extend_from_slice(b"MAILBOXID ");
                id.write_paren(out);
            }
            Code::Metadata(m) => {
                out.extend_from_slice(b"METADATA ");
                match m {
                    MetadataCode::LongEntries(n) => {
                        out.extend_from_slice(b"LONGENTRIES ");
                        write_num(out, n);
                    }
                    MetadataCode::MaxSize(n) => {
                        out.extend_from_slice(b"MAXSIZE ");
                        write_num(out, n);
                    }
                    MetadataCode::TooMany => out.extend_from_slice(b"TOOMANY"),
                    MetadataCode::NoPrivate => out.extend_from_slice(b"NOPRIVATE"),
                }
            }
            Code::Other(other) => {
                out.extend_from_slice(other.name.as_bytes());
                if let Some(v) = &other.value {
                    out.push(b' ');
                    out.extend_from_slice(v);
                }
            }
            _ => {}
        }
    }
}

/// A capability (RFC 3501 §7.2.1 and the extension RFCs). Known names are
/// typed, recognised case-insensitively and written in their canonical
/// case; others are kept as [`Capability::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `IMAP4rev1`.
    Imap4Rev1,
    /// `IMAP4rev2`.
    Imap4Rev2,
    /// `STARTTLS`.
    StartTls,
    /// `LOGINDISABLED`.
    LoginDisabled,
    /// `AUTH=mechanism`.
    Auth(Atom),
    /// `SASL-IR` (RFC 4959).
    SaslIr,
    /// `LITERAL+` (RFC 7888).
    LiteralPlus,
    /// `LITERAL-` (RFC 7888).
    LiteralMinus,
    /// `IDLE` (RFC 2177).
    Idle,
    /// `UIDPLUS` (RFC 4315).
    UidPlus,
    /// `MOVE` (RFC 6851).
    Move,
    /// `ENABLE` (RFC 5161).
    Enable,
    /// `CONDSTORE` (RFC 7162).
    CondStore,
    /// `QRESYNC` (RFC 7162).
    QResync,
    /// `NAMESPACE` (RFC 2342).
    Namespace,
    /// `ID` (RFC 2971).
    Id,
    /// `UNSELECT` (RFC 3691).
    Unselect,
    /// `ESEARCH` (RFC 4731).
    ESearch,
    /// `SPECIAL-USE` (RFC 6154).
    SpecialUse,
    /// `CREATE-SPECIAL-USE` (RFC 6154).
    CreateSpecialUse,
    /// `LIST-EXTENDED` (RFC 5258).
    ListExtended,
    /// `LIST-STATUS` (RFC 5819).
    ListStatus,
    /// `COMPRESS=algorithm` (RFC 4978).
    Compress(Atom),
    /// `UTF8=ACCEPT` (RFC 6855).
    Utf8Accept,
    /// `UTF8=ONLY` (RFC 6855).
    Utf8Only,
    /// `QUOTA` (RFC 9208).
    Quota,
    /// `QUOTA=RES-name` (RFC 9208); the resource name.
    QuotaRes(Atom),
    /// `QUOTASET` (RFC 9208).
    QuotaSet,
    /// `BINARY` (RFC 3516).
    Binary,
    /// `SORT` (RFC 5256).
    Sort,
    /// `THREAD=algorithm` (RFC 5256).
    Thread(Atom),
    /// `METADATA` (RFC 5464).
    Metadata,
    /// `METADATA-SERVER` (RFC 5464).
    MetadataServer,
    /// `OBJECTID` (RFC 8474).
    ObjectId,
    /// `STATUS=SIZE` (RFC 8438).
    StatusSize,
    /// `APPENDLIMIT` or `APPENDLIMIT=n` (RFC 7889).
    AppendLimit(Option<u32>),
    /// `MULTIAPPEND` (RFC 3502).
    MultiAppend,
    /// `SEARCHRES` (RFC 5182).
    SearchRes,
    /// `CHILDREN` (RFC 3348).
    Children,
    /// `X-GM-EXT-1` (Gmail).
    GmExt1,
    /// Any other capability.
    Other(Atom),
}

const CAPS: &[(&str, Capability)] = &[
    ("IMAP4rev1", Capability::Imap4Rev1),
    ("IMAP4rev2", Capability::Imap4Rev2),
    ("STARTTLS", Capability::StartTls),
    ("LOGINDISABLED", Capability::LoginDisabled),
    ("SASL-IR", Capability::SaslIr),
    ("LITERAL+", Capability::LiteralPlus),
    ("LITERAL-", Capability::LiteralMinus),
    ("IDLE", Capability::Idle),
    ("UIDPLUS", Capability::UidPlus),
    ("MOVE", Capability::Move),
    ("ENABLE", Capability::Enable),
    ("CONDSTORE", Capability::CondStore),
    ("QRESYNC", Capability::QResync),
    ("NAMESPACE", Capability::Namespace),
    ("ID", Capability::Id),
    ("UNSELECT", Capability::Unselect),
    ("ESEARCH", Capability::ESearch),
    ("SPECIAL-USE", Capability::SpecialUse),
    ("CREATE-SPECIAL-USE", Capability::CreateSpecialUse),
    ("LIST-EXTENDED", Capability::ListExtended),
    ("LIST-STATUS", Capability::ListStatus),
    ("UTF8=ACCEPT", Capability::Utf8Accept),
    ("UTF8=ONLY", Capability::Utf8Only),
    ("QUOTA", Capability::Quota),
    ("QUOTASET", Capability::QuotaSet),
    ("BINARY", Capability::Binary),
    ("SORT", Capability::Sort),
    ("METADATA", Capability::Metadata),
    ("METADATA-SERVER", Capability::MetadataServer),
    ("OBJECTID", Capability::ObjectId),
    ("STATUS=SIZE", Capability::StatusSize),
    ("APPENDLIMIT", Capability::AppendLimit(None)),
    ("MULTIAPPEND", Capability::MultiAppend),
    ("SEARCHRES", Capability::SearchRes),
    ("CHILDREN", Capability::Children),
    ("X-GM-EXT-1", Capability::GmExt1),
];

const PREFIXED: &[&str] = &[
    "AUTH=",
    "COMPRESS=",
    "QUOTA=RES-",
    "THREAD=",
    "APPENDLIMIT=",
];

impl Capability {
    /// Reads a capability from its atom.
    pub fn from_atom(atom: Atom) -> Self {
        let b = atom.as_bytes();
        for (n, cap) in CAPS {
            if b.eq_ignore_ascii_case(n.as_bytes()) {
                return cap.clone();
            }
        }
        for (i, p) in PREFIXED.iter().enumerate() {
            let p = p.as_bytes();
            if b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p) {
                let rest = atom.as_bytes()[p.len()..].to_vec();
                let Ok(arg) = Atom::new(rest) else { break };
                return match i {
                    0 => Capability::Auth(arg),
                    1 => Capability::Compress(arg),
                    2 => Capability::QuotaRes(arg),
                    3 => Capability::Thread(arg),
                    _ => {
                        let digits = arg.as_bytes();
                        let n = std::str::from_utf8(digits)
                            .ok()
                            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
                            .and_then(|s| s.parse::<u32>().ok());
                        match n {
                            Some(n) if !(digits.len() > 1 && digits[0] == b'0') => {
                                Capability::AppendLimit(Some(n))
                            }
                            _ => Capability::Other(atom),
                        }
                    }
                };
            }
        }
        Capability::Other(atom)
    }

    /// Writes the capability.
    pub fn write(&self, out: &mut Vec<u8>) {
        if let Some((n, _)) = CAPS.iter().find(|(_, c)| c == self) {
            out.extend_from_slice(n.as_bytes());
            return;
        }
        let (prefix, arg) = match self {
            Capability::Auth(a) => ("AUTH=", a.as_bytes()),
            Capability::Compress(a) => ("COMPRESS=", a.as_bytes()),
            Capability::QuotaRes(a) => ("QUOTA=RES-", a.as_bytes()),
            Capability::Thread(a) => ("THREAD=", a.as_bytes()),
            Capability::AppendLimit(Some(n)) => {
                out.extend_from_slice(b"APPENDLIMIT=");
                write_num(out, n);
                return;
            }
            Capability::Other(a) => ("", a.as_bytes()),
            _ => ("", &b""[..]),
        };
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(arg);
    }
}

/// `*(SP capability)` up to the line end or `]`.
pub(crate) fn capabilities(c: &mut Cursor<'_>) -> PResult<Vec<Capability>> {
    let mut caps = Vec::new();
    while more(c)? {
        if caps.len() >= c.limits().max_items {
            return Err(c.error("fewer capabilities"));
        }
        let atom = c.atom()?;
        let atom = Atom::new(atom).map_err(|_| c.error("a capability"))?;
        caps.push(Capability::from_atom(atom));
    }
    Ok(caps)
}

pub(crate) fn write_caps(out: &mut Writer<'_>, caps: &[Capability]) {
    for cap in caps {
        out.push(b' ');
        cap.write(out);
    }
}
