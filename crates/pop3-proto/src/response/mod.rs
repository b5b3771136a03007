//! The response types (server to client): status lines, response codes,
//! listings and capabilities, with their encoding and parsing.

mod decoder;

use bytes::{BufMut, Bytes, BytesMut};

use crate::command::{parse_msg, parse_u64, put_sasl_data};
use crate::error::{DecodeError, SendError};
use crate::types::{Mechanism, MessageNumber, Secret, Text, UniqueId};

pub use self::decoder::{ResponseDecoder, ResponseEvent};

/// An extended response code (RFC 2449 §8, RFC 3206, RFC 6856), the bracketed
/// word after `+OK` / `-ERR`. Codes are hierarchical: `SYS/TEMP`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseCode {
    /// `LOGIN-DELAY`: the user logged in too recently (RFC 2449 §8.1.1).
    LoginDelay,
    /// `IN-USE`: the maildrop is locked by another session (RFC 2449 §8.1.2).
    InUse,
    /// `SYS/TEMP`: a temporary system problem (RFC 3206 §4).
    SysTemp,
    /// `SYS/PERM`: a permanent system problem (RFC 3206 §4).
    SysPerm,
    /// `AUTH`: the credentials were wrong (RFC 3206 §5).
    Auth,
    /// `UTF8`: the user name or data needs UTF-8 (RFC 6856 §2).
    Utf8,
    /// Any other code, kept as sent (without brackets).
    Other(Text),
}

impl ResponseCode {
    /// Parses the text between the brackets.
    pub fn parse(code: &Bytes) -> Self {
        let eq = |s: &[u8]| code.eq_ignore_ascii_case(s);
        if eq(b"LOGIN-DELAY") {
            Self::LoginDelay
        } else if eq(b"IN-USE") {
            Self::InUse
        } else if eq(b"SYS/TEMP") {
            Self::SysTemp
        } else if eq(b"SYS/PERM") {
            Self::SysPerm
        } else if eq(b"AUTH") {
            Self::Auth
        } else if eq(b"UTF8") {
            Self::Utf8
        } else {
            Self::Other(Text::from_checked(code.clone()))
        }
    }

    /// The code as written between the brackets.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::LoginDelay => b"LOGIN-DELAY",
            Self::InUse => b"IN-USE",
            Self::SysTemp => b"SYS/TEMP",
            Self::SysPerm => b"SYS/PERM",
            Self::Auth => b"AUTH",
            Self::Utf8 => b"UTF8",
            Self::Other(t) => t.as_bytes(),
        }
    }

    /// A code that can be sent: `Other` must be 1*(printable ASCII but `]`).
    pub fn other(code: &str) -> Result<Self, SendError> {
        if code.is_empty()
            || !code
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && b != b']')
        {
            return Err(SendError::InvalidArgument(
                "response code must be printable ASCII without ']'",
            ));
        }
        Ok(Self::parse(&Bytes::copy_from_slice(code.as_bytes())))
    }
}

/// The human-readable part of a status line, with its optional response code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusText {
    /// The response code, if any.
    pub code: Option<ResponseCode>,
    /// The text after the code (may be empty; bytes, servers send 8-bit).
    pub text: Text,
}

impl StatusText {
    /// Text without a code. Text starting with `[` would read back as a code
    /// and is refused.
    pub fn new(text: &str) -> Result<Self, SendError> {
        Self::with_code(None, text)
    }

    /// Text with an optional response code.
    pub fn with_code(code: Option<ResponseCode>, text: &str) -> Result<Self, SendError> {
        if code.is_none() && text.starts_with('[') {
            return Err(SendError::InvalidArgument(
                "status text cannot start with '[' without a code",
            ));
        }
        Ok(Self {
            code,
            text: Text::try_from(text)?,
        })
    }

    /// Empty text, no code.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The APOP timestamp (`<...@...>`, RFC 1939 §7) in a greeting's text.
    pub fn apop_timestamp(&self) -> Option<Bytes> {
        let t = self.text.bytes();
        let start = memchr::memchr(b'<', t)?;
        let len = memchr::memchr(b'>', &t[start..])?;
        let stamp = t.slice(start..=start + len);
        stamp.contains(&b'@').then_some(stamp)
    }

    fn encode(&self, out: &mut BytesMut) {
        if let Some(code) = &self.code {
            out.put_slice(b" [");
            out.put_slice(code.as_bytes());
            out.put_u8(b']');
        }
        if !self.text.is_empty() {
            out.put_u8(b' ');
            out.put_slice(self.text.as_bytes());
        }
    }

    /// Parses what follows the status indicator (starting at its first space).
    fn parse(rest: Bytes) -> Self {
        // RFC 2449 §3: text = *schar / resp-code *CHAR. Codes are accepted even
        // from servers that did not advertise RESP-CODES (some send them anyway).
        let rest = match rest.first() {
            Some(b' ') => rest.slice(1..),
            _ => rest,
        };
        if rest.first() == Some(&b'[')
            && let Some(end) = memchr::memchr(b']', &rest)
            && end > 1
        {
            let code = ResponseCode::parse(&rest.slice(1..end));
            let mut text = rest.slice(end + 1..);
            if text.first() == Some(&b' ') {
                text = text.slice(1..);
            }
            return Self {
                code: Some(code),
                text: Text::from_checked(text),
            };
        }
        Self {
            code: None,
            text: Text::from_checked(rest),
        }
    }
}

/// `+OK nn mm` to STAT: the drop listing (RFC 1939 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropListing {
    /// Number of messages (not counting those marked deleted).
    pub count: u32,
    /// Their total size in octets.
    pub size: u64,
}

/// `msg size`: one scan listing (RFC 1939 §5, LIST).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanListing {
    /// The message number.
    pub msg: MessageNumber,
    /// The exact size in octets (as if sent with CRLF line endings).
    pub size: u64,
}

/// `msg unique-id`: one unique-id listing (RFC 1939 §7, UIDL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueIdListing {
    /// The message number.
    pub msg: MessageNumber,
    /// The unique-id.
    pub uid: UniqueId,
}

/// One entry of a LANG listing (RFC 6856 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The language tag (no spaces).
    pub tag: Text,
    /// A description, possibly in that language (may be empty).
    pub description: Text,
}

/// Whether a capability applies to all users or may differ per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The value is the same for every user.
    Global,
    /// `USER`: the value is a default that may change after login.
    PerUser,
}

/// A capability from a CAPA listing (RFC 2449 §6, RFC 2595, RFC 5034, RFC 6856).
///
/// Capabilities this library does not know are kept as [`Capability::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Capability {
    /// `TOP`.
    Top,
    /// `USER`: USER/PASS login is available.
    User,
    /// `SASL mech...`.
    Sasl(Vec<Mechanism>),
    /// `RESP-CODES`.
    RespCodes,
    /// `LOGIN-DELAY seconds [USER]`.
    LoginDelay {
        /// Minimum seconds between logins.
        seconds: u64,
        /// Whether this may change per user.
        scope: Scope,
    },
    /// `PIPELINING`.
    Pipelining,
    /// `EXPIRE days|NEVER [USER]`: how long the server keeps retrieved mail.
    Expire {
        /// Days kept, `None` for NEVER.
        days: Option<u64>,
        /// Whether this may change per user.
        scope: Scope,
    },
    /// `UIDL`.
    Uidl,
    /// `IMPLEMENTATION text`.
    Implementation(Text),
    /// `STLS` (RFC 2595).
    Stls,
    /// `AUTH-RESP-CODE` (RFC 3206).
    AuthRespCode,
    /// `UTF8 [USER]` (RFC 6856 §2).
    Utf8 {
        /// `USER`: the server also accepts UTF-8 user names and passwords.
        user: bool,
    },
    /// `LANG` (RFC 6856 §3).
    Lang,
    /// Any other capability, kept as sent: its tag and its parameters.
    Other {
        /// The capability tag.
        tag: Text,
        /// The parameters.
        params: Vec<Text>,
    },
}

impl Capability {
    /// Parses one capability line (without CRLF).
    pub fn parse(line: &Bytes) -> Result<Self, DecodeError> {
        let mut words = line
            .split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
            .map(|w| line.slice_ref(w));
        let tag = words.next().ok_or(DecodeError::Syntax {
            expected: "a capability tag",
        })?;
        let params: Vec<Bytes> = words.collect();
        let scope = |p: Option<&Bytes>| match p {
            Some(p) if p.eq_ignore_ascii_case(b"USER") => Scope::PerUser,
            _ => Scope::Global,
        };
        let upper = tag.to_ascii_uppercase();
        let cap = match (&upper[..], &params[..]) {
            (b"TOP", []) => Self::Top,
            (b"USER", []) => Self::User,
            (b"SASL", mechs) => {
                let mechs: Result<Vec<_>, _> = mechs.iter().map(|m| Mechanism::new(m)).collect();
                match mechs {
                    Ok(m) => Self::Sasl(m),
                    Err(_) => Self::other(tag, params),
                }
            }
            (b"RESP-CODES", []) => Self::RespCodes,
            (b"PIPELINING", []) => Self::Pipelining,
            (b"UIDL", []) => Self::Uidl,
            (b"STLS", []) => Self::Stls,
            (b"AUTH-RESP-CODE", []) => Self::AuthRespCode,
            (b"LANG", []) => Self::Lang,
            (b"UTF8", []) => Self::Utf8 { user: false },
            (b"UTF8", [u]) if u.eq_ignore_ascii_case(b"USER") => Self::Utf8 { user: true },
            (b"LOGIN-DELAY", [n, rest @ ..]) if rest.len() <= 1 => match parse_u64(n) {
                Ok(seconds) if rest.first().is_none_or(|r| r.eq_ignore_ascii_case(b"USER")) => {
                    Self::LoginDelay {
                        seconds,
                        scope: scope(rest.first()),
                    }
                }
                _ => Self::other(tag, params),
            },
            (b"EXPIRE", [n, rest @ ..]) if rest.len() <= 1 => {
                let days = if n.eq_ignore_ascii_case(b"NEVER") {
                    Ok(None)
                } else {
                    parse_u64(n).map(Some)
                };
                match days {
                    Ok(days) if rest.first().is_none_or(|r| r.eq_ignore_ascii_case(b"USER")) => {
                        Self::Expire {
                            days,
                            scope: scope(rest.first()),
                        }
                    }
                    _ => Self::other(tag, params),
                }
            }
            (b"IMPLEMENTATION", _) => {
                let start = memchr::memchr(b' ', line).map_or(line.len(), |i| i + 1);
                Self::Implementation(Text::from_checked(line.slice(start..)))
            }
            _ => Self::other(tag, params),
        };
        Ok(cap)
    }

    fn other(tag: Bytes, params: Vec<Bytes>) -> Self {
        Self::Other {
            tag: Text::from_checked(tag),
            params: params.into_iter().map(Text::from_checked).collect(),
        }
    }

    /// Appends the capability line and its CRLF.
    pub fn encode(&self, out: &mut BytesMut) {
        let scope = |out: &mut BytesMut, s: &Scope| {
            if *s == Scope::PerUser {
                out.put_slice(b" USER");
            }
        };
        match self {
            Self::Top => out.put_slice(b"TOP"),
            Self::User => out.put_slice(b"USER"),
            Self::Sasl(mechs) => {
                out.put_slice(b"SASL");
                for m in mechs {
                    out.put_u8(b' ');
                    out.put_slice(m.as_str().as_bytes());
                }
            }
            Self::RespCodes => out.put_slice(b"RESP-CODES"),
            Self::LoginDelay { seconds, scope: s } => {
                out.put_slice(format!("LOGIN-DELAY {seconds}").as_bytes());
                scope(out, s);
            }
            Self::Pipelining => out.put_slice(b"PIPELINING"),
            Self::Expire { days, scope: s } => {
                match days {
                    Some(d) => out.put_slice(format!("EXPIRE {d}").as_bytes()),
                    None => out.put_slice(b"EXPIRE NEVER"),
                }
                scope(out, s);
            }
            Self::Uidl => out.put_slice(b"UIDL"),
            Self::Implementation(t) => {
                out.put_slice(b"IMPLEMENTATION");
                if !t.is_empty() {
                    out.put_u8(b' ');
                    out.put_slice(t.as_bytes());
                }
            }
            Self::Stls => out.put_slice(b"STLS"),
            Self::AuthRespCode => out.put_slice(b"AUTH-RESP-CODE"),
            Self::Utf8 { user } => out.put_slice(if *user { b"UTF8 USER" } else { b"UTF8" }),
            Self::Lang => out.put_slice(b"LANG"),
            Self::Other { tag, params } => {
                // A line of a multi-line answer that starts with "." is
                // dot-stuffed (RFC 1939 §3).
                if tag.as_bytes().first() == Some(&b'.') {
                    out.put_u8(b'.');
                }
                out.put_slice(tag.as_bytes());
                for p in params {
                    out.put_u8(b' ');
                    out.put_slice(p.as_bytes());
                }
            }
        }
        out.put_slice(b"\r\n");
    }
}

/// A positive (`+OK`) response with the data its command asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Positive {
    /// A plain `+OK` with text (also the greeting).
    Text(StatusText),
    /// STAT's drop listing.
    Stat(DropListing),
    /// `LIST msg`.
    Scan(ScanListing),
    /// `LIST`: multi-line scan listings.
    ScanListing {
        /// The first line's text.
        status: StatusText,
        /// The listings.
        entries: Vec<ScanListing>,
    },
    /// `UIDL msg`.
    UniqueId(UniqueIdListing),
    /// `UIDL`: multi-line unique-id listings.
    UniqueIdListing {
        /// The first line's text.
        status: StatusText,
        /// The listings.
        entries: Vec<UniqueIdListing>,
    },
    /// `CAPA`.
    Capabilities {
        /// The first line's text.
        status: StatusText,
        /// The capabilities.
        capabilities: Vec<Capability>,
    },
    /// `LANG` without argument.
    Languages {
        /// The first line's text.
        status: StatusText,
        /// The languages.
        languages: Vec<Language>,
    },
    /// `AUTH` without argument: the SASL mechanisms.
    Mechanisms {
        /// The first line's text.
        status: StatusText,
        /// The mechanisms.
        mechanisms: Vec<Mechanism>,
    },
    /// The first line of a RETR/TOP answer; the message follows as body chunks.
    Message(StatusText),
}

/// A server response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response {
    /// `+OK ...`.
    Ok(Positive),
    /// `-ERR ...`.
    Err(StatusText),
    /// `+ base64`: a SASL challenge (RFC 5034 §4), decoded.
    Challenge(Secret),
}

impl Response {
    /// A plain `+OK text`.
    pub fn ok(text: &str) -> Result<Self, SendError> {
        Ok(Self::Ok(Positive::Text(StatusText::new(text)?)))
    }

    /// A plain `-ERR text`.
    pub fn err(text: &str) -> Result<Self, SendError> {
        Ok(Self::Err(StatusText::new(text)?))
    }

    /// `-ERR [code] text`.
    pub fn err_code(code: ResponseCode, text: &str) -> Result<Self, SendError> {
        Ok(Self::Err(StatusText::with_code(Some(code), text)?))
    }

    /// Whether this is `+OK`.
    pub fn is_ok(&self) -> bool {
        matches!(self, Self::Ok(_))
    }

    /// The status text of the first line, if it has one.
    pub fn status(&self) -> Option<&StatusText> {
        match self {
            Self::Ok(
                Positive::Text(s)
                | Positive::Message(s)
                | Positive::ScanListing { status: s, .. }
                | Positive::UniqueIdListing { status: s, .. }
                | Positive::Capabilities { status: s, .. }
                | Positive::Languages { status: s, .. }
                | Positive::Mechanisms { status: s, .. },
            )
            | Self::Err(s) => Some(s),
            _ => None,
        }
    }

    /// Appends the response to `out`: the first line, and for listings the
    /// entries and the terminating `.`. A [`Positive::Message`] is only its
    /// first line; the body is written by a [`Stuffer`](crate::codec::Stuffer).
    pub fn encode(&self, out: &mut BytesMut) {
        match self {
            Self::Err(s) => {
                out.put_slice(b"-ERR");
                s.encode(out);
                out.put_slice(b"\r\n");
            }
            Self::Challenge(data) => {
                out.put_slice(b"+ ");
                if !data.is_empty() {
                    put_sasl_data(out, data.expose());
                }
                out.put_slice(b"\r\n");
            }
            Self::Ok(p) => encode_positive(p, out),
        }
    }
}

fn put_num(out: &mut BytesMut, n: u64) {
    out.put_slice(n.to_string().as_bytes());
}

fn encode_positive(p: &Positive, out: &mut BytesMut) {
    out.put_slice(b"+OK");
    match p {
        Positive::Text(s) | Positive::Message(s) => {
            s.encode(out);
            out.put_slice(b"\r\n");
        }
        Positive::Stat(d) => {
            out.put_u8(b' ');
            put_num(out, u64::from(d.count));
            out.put_u8(b' ');
            put_num(out, d.size);
            out.put_slice(b"\r\n");
        }
        Positive::Scan(s) => {
            out.put_u8(b' ');
            put_scan(out, s);
        }
        Positive::UniqueId(u) => {
            out.put_u8(b' ');
            put_uid(out, u);
        }
        Positive::ScanListing { status, entries } => {
            status.encode(out);
            out.put_slice(b"\r\n");
            entries.iter().for_each(|e| put_scan(out, e));
            out.put_slice(b".\r\n");
        }
        Positive::UniqueIdListing { status, entries } => {
            status.encode(out);
            out.put_slice(b"\r\n");
            entries.iter().for_each(|e| put_uid(out, e));
            out.put_slice(b".\r\n");
        }
        Positive::Capabilities {
            status,
            capabilities,
        } => {
            status.encode(out);
            out.put_slice(b"\r\n");
            capabilities.iter().for_each(|c| c.encode(out));
            out.put_slice(b".\r\n");
        }
        Positive::Mechanisms { status, mechanisms } => {
            status.encode(out);
            out.put_slice(b"\r\n");
            for m in mechanisms {
                out.put_slice(m.as_str().as_bytes());
                out.put_slice(b"\r\n");
            }
            out.put_slice(b".\r\n");
        }
        Positive::Languages { status, languages } => {
            status.encode(out);
            out.put_slice(b"\r\n");
            for l in languages {
                out.put_slice(l.tag.as_bytes());
                out.put_u8(b' ');
                out.put_slice(l.description.as_bytes());
                out.put_slice(b"\r\n");
            }
            out.put_slice(b".\r\n");
        }
    }
}

fn put_scan(out: &mut BytesMut, s: &ScanListing) {
    put_num(out, u64::from(s.msg.get()));
    out.put_u8(b' ');
    put_num(out, s.size);
    out.put_slice(b"\r\n");
}

fn put_uid(out: &mut BytesMut, u: &UniqueIdListing) {
    put_num(out, u64::from(u.msg.get()));
    out.put_u8(b' ');
    out.put_slice(u.uid.as_bytes());
    out.put_slice(b"\r\n");
}

/// The first line of a response, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StatusLine {
    /// `+OK` and the rest of the line after it.
    Ok(Bytes),
    /// `-ERR` and its text.
    Err(StatusText),
    /// `+ ` challenge data (still base64).
    Challenge(Bytes),
}

/// Classifies a response's first line (without CRLF). `challenge_allowed`: a
/// `+ ` continuation is only legal inside an AUTH exchange.
pub(crate) fn parse_status_line(
    line: &Bytes,
    challenge_allowed: bool,
) -> Result<StatusLine, DecodeError> {
    check_response_line(line)?;
    // Status indicators are upper case in RFC 1939 §3; accept any case, as
    // clients have done for decades.
    if line.len() >= 3 && line[..3].eq_ignore_ascii_case(b"+OK") {
        return Ok(StatusLine::Ok(line.slice(3..)));
    }
    if line.len() >= 4 && line[..4].eq_ignore_ascii_case(b"-ERR") {
        return Ok(StatusLine::Err(StatusText::parse(line.slice(4..))));
    }
    if challenge_allowed && line.first() == Some(&b'+') && matches!(line.get(1), None | Some(b' '))
    {
        // RFC 5034 §5: continue-req = "+" SP [base64]; a bare "+" is accepted.
        return Ok(StatusLine::Challenge(line.slice(line.len().min(2)..)));
    }
    Err(DecodeError::BadStatus)
}

/// Response lines may hold 8-bit text but no NUL or CR (RFC 2449 §3: CHAR).
pub(crate) fn check_response_line(line: &[u8]) -> Result<(), DecodeError> {
    match memchr::memchr2(0, b'\r', line) {
        Some(i) if line[i] == 0 => Err(DecodeError::NulByte),
        Some(_) => Err(DecodeError::ControlCharacter(b'\r')),
        None => Ok(()),
    }
}

/// Parses the text after a positive status indicator.
pub(crate) fn parse_ok_text(rest: Bytes) -> StatusText {
    StatusText::parse(rest)
}

/// Two leading space-separated numbers; whatever follows them is ignored
/// (RFC 1939 §5 allows servers to add information after the size).
fn two_fields(rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut words = rest.split(|&b| b == b' ').filter(|w| !w.is_empty());
    Some((words.next()?, words.next()?))
}

/// Parses `nn mm` after `+OK` (STAT).
pub(crate) fn parse_drop_listing(rest: &[u8]) -> Result<DropListing, DecodeError> {
    let (count, size) = two_fields(rest).ok_or(DecodeError::Syntax {
        expected: "message count and size",
    })?;
    let count = u32::try_from(parse_u64(count)?).map_err(|_| DecodeError::NumberOutOfRange)?;
    Ok(DropListing {
        count,
        size: parse_u64(size)?,
    })
}

/// Parses `msg size` (a LIST line, or what follows `+OK`).
pub(crate) fn parse_scan_listing(rest: &[u8]) -> Result<ScanListing, DecodeError> {
    let (msg, size) = two_fields(rest).ok_or(DecodeError::Syntax {
        expected: "message number and size",
    })?;
    Ok(ScanListing {
        msg: parse_msg(msg)?,
        size: parse_u64(size)?,
    })
}

/// Parses `msg unique-id` (a UIDL line, or what follows `+OK`): RFC 1939
/// §7 allows nothing after the id. `lenient`: keep (and mark) the ids real
/// servers get wrong, see [`UniqueId::quirk`].
pub(crate) fn parse_uid_listing(
    rest: &[u8],
    lenient: bool,
) -> Result<UniqueIdListing, DecodeError> {
    let mut words = rest.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let (Some(msg), Some(uid)) = (words.next(), words.next()) else {
        return Err(DecodeError::Syntax {
            expected: "message number and unique-id",
        });
    };
    let trailing = words.next().is_some();
    let msg = parse_msg(msg)?;
    let uid = UniqueId::decode(uid, trailing, lenient).map_err(DecodeError::UniqueId)?;
    Ok(UniqueIdListing { msg, uid })
}

/// Parses a LANG listing line: `tag SP description`.
pub(crate) fn parse_language(line: &Bytes) -> Result<Language, DecodeError> {
    let (tag, description) = match memchr::memchr(b' ', line) {
        Some(i) => (line.slice(..i), line.slice(i + 1..)),
        None => (line.clone(), Bytes::new()),
    };
    if tag.is_empty() {
        return Err(DecodeError::Syntax {
            expected: "a language tag",
        });
    }
    Ok(Language {
        tag: Text::from_checked(tag),
        description: Text::from_checked(description),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    #[test]
    fn status_lines() {
        assert_eq!(
            parse_status_line(&b("+OK"), false),
            Ok(StatusLine::Ok(Bytes::new()))
        );
        let StatusLine::Err(s) = parse_status_line(&b("-ERR [SYS/TEMP] try later"), false).unwrap()
        else {
            panic!()
        };
        assert_eq!(s.code, Some(ResponseCode::SysTemp));
        assert_eq!(s.text.as_bytes(), b"try later");
        let StatusLine::Err(s) = parse_status_line(&b("-ERR [no close bracket"), false).unwrap()
        else {
            panic!()
        };
        assert_eq!(s.code, None);
        assert_eq!(
            parse_status_line(&b("+ "), true),
            Ok(StatusLine::Challenge(Bytes::new()))
        );
        assert_eq!(
            parse_status_line(&b("+"), true),
            Ok(StatusLine::Challenge(Bytes::new()))
        );
        assert_eq!(
            parse_status_line(&b("+ abc"), false),
            Err(DecodeError::BadStatus)
        );
        assert_eq!(
            parse_status_line(&b("OK"), false),
            Err(DecodeError::BadStatus)
        );
        assert_eq!(
            parse_status_line(&b("+OK a\0"), false),
            Err(DecodeError::NulByte)
        );
    }

    #[test]
    fn greeting_timestamp() {
        let s = parse_ok_text(b(" POP3 server ready <1896.697170952@dbc.mtview.ca.us>"));
        assert_eq!(
            s.apop_timestamp().unwrap(),
            b("<1896.697170952@dbc.mtview.ca.us>")
        );
        assert_eq!(
            parse_ok_text(b(" ready <no-at-sign>")).apop_timestamp(),
            None
        );
    }

    #[test]
    fn lenient_listings() {
        assert_eq!(
            parse_drop_listing(b"  2   320 extra").unwrap(),
            DropListing {
                count: 2,
                size: 320
            }
        );
        assert_eq!(
            parse_scan_listing(b"1 5000000000").unwrap().size,
            5_000_000_000
        );
        assert_eq!(
            parse_scan_listing(b"1"),
            Err(DecodeError::Syntax {
                expected: "message number and size"
            })
        );
        assert_eq!(
            parse_uid_listing(b"2 QhdPYR:00WBw1Ph7x7", false)
                .unwrap()
                .uid
                .as_str(),
            "QhdPYR:00WBw1Ph7x7"
        );
    }

    #[test]
    fn capabilities_roundtrip_and_unknown_kept() {
        for line in [
            "TOP",
            "SASL PLAIN LOGIN CRAM-MD5",
            "LOGIN-DELAY 900 USER",
            "EXPIRE NEVER",
            "EXPIRE 30",
            "IMPLEMENTATION Shlemazle Plotz v302",
            "UTF8 USER",
            "X-FOO bar baz",
            "CAPA",
        ] {
            let cap = Capability::parse(&b(line)).unwrap();
            let mut out = BytesMut::new();
            cap.encode(&mut out);
            assert_eq!(&out[..], format!("{line}\r\n").as_bytes());
        }
        assert!(matches!(
            Capability::parse(&b("X-FOO bar")).unwrap(),
            Capability::Other { .. }
        ));
        assert!(matches!(
            Capability::parse(&b("LOGIN-DELAY soon")).unwrap(),
            Capability::Other { .. }
        ));
    }
}
