//! The `Command` enum (client to server), its encoding and its parsing.

mod decoder;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{DecodeError, SendError};
use crate::types::{Mechanism, MessageNumber, Secret, State, Text, check_line_octets};

pub use self::decoder::{ClientFrame, CommandDecoder, CommandEvent, Expect};

/// An APOP digest: the MD5 of the greeting timestamp followed by the shared
/// secret (RFC 1939 §7), sent as 32 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApopDigest(pub [u8; 16]);

impl ApopDigest {
    /// The digest as 32 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(32);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        s
    }

    /// Parses 32 hex digits (either case).
    pub fn from_hex(hex: &[u8]) -> Option<Self> {
        if hex.len() != 32 {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            let hi = hex_value(pair[0])?;
            let lo = hex_value(pair[1])?;
            out[i] = hi << 4 | lo;
        }
        Some(Self(out))
    }
}

impl std::fmt::Debug for ApopDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApopDigest({})", self.to_hex())
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The argument of a `LANG` command (RFC 6856 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LangArgument {
    /// `LANG` alone: list the languages the server supports.
    List,
    /// `LANG tag`: switch to a language (a language range, or `*` for the
    /// client's default). No spaces.
    Set(Text),
}

/// A POP3 command, as a client sends it and a server decodes it.
///
/// Covers RFC 1939, RFC 2449 (CAPA), RFC 2595 (STLS), RFC 5034 (AUTH) and
/// RFC 6856 (UTF8, LANG). Anything else (LAST, RPOP, XTND, vendor commands) is
/// [`Command::Other`], which a server answers with `-ERR` unless it knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// `USER name`. The name is the rest of the line (servers differ on spaces).
    User(Text),
    /// `PASS secret`. The secret is the rest of the line, spaces included
    /// (RFC 1939 §7 allows servers to treat spaces as part of the password).
    Pass(Secret),
    /// `APOP name digest` (RFC 1939 §7).
    Apop {
        /// The mailbox name (no spaces).
        name: Text,
        /// The MD5 digest of timestamp and secret.
        digest: ApopDigest,
    },
    /// `AUTH mechanism [initial-response]` (RFC 5034 §4).
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism,
        /// The initial response (decoded); `Some` of empty data is sent as `=`.
        initial_response: Option<Secret>,
    },
    /// `AUTH` alone: list the SASL mechanisms, one per line. Not in RFC 5034
    /// (CAPA's `SASL` replaced it), but clients probe with it and servers such
    /// as Dovecot answer it.
    AuthMechanisms,
    /// `STAT`.
    Stat,
    /// `LIST [msg]`.
    List(Option<MessageNumber>),
    /// `UIDL [msg]`.
    Uidl(Option<MessageNumber>),
    /// `RETR msg`.
    Retr(MessageNumber),
    /// `TOP msg n`: the headers and the first `lines` lines of the body.
    Top {
        /// The message.
        msg: MessageNumber,
        /// Number of body lines.
        lines: u64,
    },
    /// `DELE msg`.
    Dele(MessageNumber),
    /// `NOOP`.
    Noop,
    /// `RSET`.
    Rset,
    /// `QUIT`.
    Quit,
    /// `CAPA` (RFC 2449).
    Capa,
    /// `STLS` (RFC 2595).
    Stls,
    /// `UTF8` (RFC 6856 §2).
    Utf8,
    /// `LANG [tag]` (RFC 6856 §3).
    Lang(LangArgument),
    /// A command this library does not model: legacy (LAST, RPOP, XTND) or
    /// vendor extensions. Its answer is a single line.
    Other {
        /// The keyword as sent (printable ASCII, no spaces).
        keyword: Text,
        /// Everything after the first space (may be empty).
        arguments: Text,
    },
}

/// What a command's answer looks like on the wire, given a `+OK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseShape {
    /// A single line with no data.
    Status,
    /// The greeting.
    Greeting,
    /// `+OK nn mm` (STAT).
    Stat,
    /// `+OK msg size` (LIST msg).
    Scan,
    /// Multi-line scan listings (LIST).
    ScanListing,
    /// `+OK msg uid` (UIDL msg).
    UniqueId,
    /// Multi-line unique-id listings (UIDL).
    UniqueIdListing,
    /// Multi-line capabilities (CAPA).
    Capabilities,
    /// Multi-line language listing (LANG).
    Languages,
    /// Multi-line SASL mechanism listing (AUTH without argument).
    Mechanisms,
    /// Multi-line, dot-stuffed message (RETR, TOP).
    Message,
    /// `+ ` challenges until a final status (AUTH).
    Sasl,
}

impl Command {
    /// The keyword, upper case (for `Other`, as sent).
    pub fn keyword(&self) -> &str {
        match self {
            Self::Other { keyword, .. } => std::str::from_utf8(keyword.as_bytes()).unwrap_or("?"),
            _ => self.name(),
        }
    }

    /// The command's name, upper case; `OTHER` for [`Command::Other`].
    pub fn name(&self) -> &'static str {
        match self {
            Self::User(_) => "USER",
            Self::Pass(_) => "PASS",
            Self::Apop { .. } => "APOP",
            Self::Auth { .. } | Self::AuthMechanisms => "AUTH",
            Self::Stat => "STAT",
            Self::List(_) => "LIST",
            Self::Uidl(_) => "UIDL",
            Self::Retr(_) => "RETR",
            Self::Top { .. } => "TOP",
            Self::Dele(_) => "DELE",
            Self::Noop => "NOOP",
            Self::Rset => "RSET",
            Self::Quit => "QUIT",
            Self::Capa => "CAPA",
            Self::Stls => "STLS",
            Self::Utf8 => "UTF8",
            Self::Lang(_) => "LANG",
            Self::Other { .. } => "OTHER",
        }
    }

    /// What a `+OK` answer to this command looks like.
    pub fn response_shape(&self) -> ResponseShape {
        match self {
            Self::Stat => ResponseShape::Stat,
            Self::List(Some(_)) => ResponseShape::Scan,
            Self::List(None) => ResponseShape::ScanListing,
            Self::Uidl(Some(_)) => ResponseShape::UniqueId,
            Self::Uidl(None) => ResponseShape::UniqueIdListing,
            Self::Retr(_) | Self::Top { .. } => ResponseShape::Message,
            Self::Capa => ResponseShape::Capabilities,
            Self::Lang(LangArgument::List) => ResponseShape::Languages,
            Self::AuthMechanisms => ResponseShape::Mechanisms,
            Self::Auth { .. } => ResponseShape::Sasl,
            _ => ResponseShape::Status,
        }
    }

    /// Whether the command may be sent in `state` (RFC 1939 §4-§7, RFC 2449 §5,
    /// RFC 2595 §4, RFC 5034 §4, RFC 6856 §2-§3). `Other` is allowed anywhere:
    /// the server decides.
    pub fn allowed_in(&self, state: State) -> bool {
        match self {
            Self::User(_)
            | Self::Pass(_)
            | Self::Apop { .. }
            | Self::Auth { .. }
            | Self::AuthMechanisms
            | Self::Stls
            | Self::Utf8 => state == State::Authorization,
            Self::Stat
            | Self::List(_)
            | Self::Uidl(_)
            | Self::Retr(_)
            | Self::Top { .. }
            | Self::Dele(_)
            | Self::Rset => state == State::Transaction,
            Self::Noop => state == State::Transaction || state == State::Authorization,
            Self::Quit | Self::Capa | Self::Lang(_) | Self::Other { .. } => {
                state == State::Authorization || state == State::Transaction
            }
        }
    }

    /// Checks that every argument can be sent as it stands: no spaces where the
    /// grammar separates arguments, nothing that breaks the line.
    pub fn validate(&self) -> Result<(), SendError> {
        match self {
            Self::Pass(secret) => check_line_octets(secret.expose()),
            Self::Apop { name, .. } => no_space("APOP name", name),
            Self::Lang(LangArgument::Set(tag)) => {
                no_space("LANG tag", tag)?;
                if tag.is_empty() {
                    return Err(SendError::InvalidArgument("LANG tag is empty"));
                }
                Ok(())
            }
            Self::Other { keyword, .. } => {
                if keyword.is_empty()
                    || !keyword.as_bytes().iter().all(|b| (0x21..=0x7e).contains(b))
                {
                    return Err(SendError::InvalidArgument(
                        "keyword must be printable ASCII",
                    ));
                }
                Ok(())
            }
            Self::User(name) if name.is_empty() => {
                Err(SendError::InvalidArgument("user name is empty"))
            }
            _ => Ok(()),
        }
    }

    /// Appends the command and its CRLF to `out`. The command should have
    /// passed [`Command::validate`].
    pub fn encode(&self, out: &mut BytesMut) {
        out.put_slice(self.keyword().as_bytes());
        match self {
            Self::User(name) => put_arg(out, name.as_bytes()),
            Self::Pass(secret) => put_arg(out, secret.expose()),
            Self::Apop { name, digest } => {
                put_arg(out, name.as_bytes());
                put_arg(out, digest.to_hex().as_bytes());
            }
            Self::Auth {
                mechanism,
                initial_response,
            } => {
                put_arg(out, mechanism.as_str().as_bytes());
                if let Some(ir) = initial_response {
                    put_base64(out, ir.expose());
                }
            }
            Self::List(Some(n)) | Self::Uidl(Some(n)) | Self::Retr(n) | Self::Dele(n) => {
                put_num(out, u64::from(n.get()))
            }
            Self::Top { msg, lines } => {
                put_num(out, u64::from(msg.get()));
                put_num(out, *lines);
            }
            Self::Lang(LangArgument::Set(tag)) => put_arg(out, tag.as_bytes()),
            Self::Other { arguments, .. } if !arguments.is_empty() => {
                put_arg(out, arguments.as_bytes())
            }
            _ => {}
        }
        out.put_slice(b"\r\n");
    }

    /// The encoded length of `AUTH mechanism initial-response CRLF`, to decide
    /// whether an initial response fits in the 255-octet command limit.
    pub fn encoded_len(&self) -> usize {
        let mut out = BytesMut::new();
        self.encode(&mut out);
        out.len()
    }

    /// Builds an [`Command::Other`] from a raw command line (without CRLF),
    /// whatever its keyword: how a replay re-sends a line that a server
    /// rejected as malformed.
    pub fn other_from_line(line: &Bytes) -> Result<Self, SendError> {
        check_line_octets(line)?;
        let (keyword, arguments) = match memchr::memchr(b' ', line) {
            Some(i) => (line.slice(..i), line.slice(i + 1..)),
            None => (line.clone(), Bytes::new()),
        };
        let command = Self::Other {
            keyword: Text::from_checked(keyword),
            arguments: Text::from_checked(arguments),
        };
        command.validate()?;
        Ok(command)
    }
}

fn no_space(what: &'static str, text: &Text) -> Result<(), SendError> {
    if text.as_bytes().contains(&b' ') || text.is_empty() {
        return Err(SendError::InvalidArgument(what));
    }
    Ok(())
}

fn put_arg(out: &mut BytesMut, arg: &[u8]) {
    out.put_u8(b' ');
    out.put_slice(arg);
}

fn put_num(out: &mut BytesMut, n: u64) {
    out.put_u8(b' ');
    out.put_slice(itoa_u64(n).as_bytes());
}

pub(crate) fn itoa_u64(n: u64) -> String {
    n.to_string()
}

/// Appends ` base64` (or ` =` for empty data, RFC 5034 §4).
fn put_base64(out: &mut BytesMut, data: &[u8]) {
    out.put_u8(b' ');
    put_sasl_data(out, data);
}

/// Appends SASL data as base64, `=` when empty (an initial response).
pub(crate) fn put_sasl_data(out: &mut BytesMut, data: &[u8]) {
    if data.is_empty() {
        out.put_u8(b'=');
    } else {
        out.put_slice(BASE64.encode(data).as_bytes());
    }
}

/// A client's answer to a SASL challenge (RFC 5034 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaslResponse {
    /// Response data (decoded; sent as base64, empty as an empty line).
    Data(Secret),
    /// `*`: the client cancels the exchange.
    Cancel,
}

impl SaslResponse {
    /// Appends the line and its CRLF.
    pub fn encode(&self, out: &mut BytesMut) {
        match self {
            Self::Data(data) => out.put_slice(BASE64.encode(data.expose()).as_bytes()),
            Self::Cancel => out.put_u8(b'*'),
        }
        out.put_slice(b"\r\n");
    }

    /// Parses a SASL answer line (without CRLF).
    pub fn parse(line: &[u8]) -> Result<Self, DecodeError> {
        if line == b"*" {
            return Ok(Self::Cancel);
        }
        let data = decode_base64(line)?;
        Ok(Self::Data(Secret::from(data)))
    }
}

/// Decodes base64 (padding required, RFC 5034 §5), allowing `=` for empty data.
pub(crate) fn decode_base64(data: &[u8]) -> Result<Vec<u8>, DecodeError> {
    if data == b"=" {
        return Ok(Vec::new());
    }
    BASE64.decode(data).map_err(|_| DecodeError::InvalidBase64)
}

/// Parses a command line (without its line ending) into a [`Command`].
///
/// Keywords are case-insensitive (RFC 1939 §3). Arguments are separated by
/// spaces; runs of spaces are tolerated. `USER` and `PASS` take the rest of the
/// line. Unknown keywords become [`Command::Other`].
pub fn parse_command(line: &Bytes) -> Result<Command, DecodeError> {
    if line.is_empty() {
        return Err(DecodeError::EmptyLine);
    }
    if let Some(bad) = line.iter().find(|&&b| b < 0x20 || b == 0x7f) {
        return Err(match *bad {
            0 => DecodeError::NulByte,
            c => DecodeError::ControlCharacter(c),
        });
    }
    let (keyword, rest) = match memchr::memchr(b' ', line) {
        Some(i) => (&line[..i], Some(line.slice(i + 1..))),
        None => (&line[..], None),
    };
    if keyword.is_empty() || !keyword.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return Err(DecodeError::Syntax {
            expected: "a keyword of printable ASCII",
        });
    }
    let mut upper = [0u8; 4];
    let known = keyword.len() <= 4 && {
        upper[..keyword.len()].copy_from_slice(keyword);
        upper.make_ascii_uppercase();
        true
    };
    let kw = if known {
        &upper[..keyword.len()]
    } else {
        b"" as &[u8]
    };
    let args = Args::new(rest.as_ref());
    let command = match kw {
        b"USER" => Command::User(utf8_text(rest_required(rest)?)?),
        b"PASS" => {
            let secret = rest.ok_or(DecodeError::Arguments {
                expected: "a password",
            })?;
            std::str::from_utf8(&secret).map_err(|_| DecodeError::InvalidUtf8)?;
            Command::Pass(Secret::new(secret))
        }
        b"APOP" => {
            let [name, digest] = args.exactly::<2>("a name and a digest")?;
            let digest = ApopDigest::from_hex(digest).ok_or(DecodeError::Syntax {
                expected: "32 hex digits",
            })?;
            Command::Apop {
                name: utf8_text(line.slice_ref(name))?,
                digest,
            }
        }
        b"AUTH" => {
            let (mechanism, ir) = match args.list()[..] {
                [] => return Ok(Command::AuthMechanisms),
                [m] => (m, None),
                [m, ir] => (m, Some(ir)),
                _ => {
                    return Err(DecodeError::Arguments {
                        expected: "a mechanism and an optional initial response",
                    });
                }
            };
            let mechanism = Mechanism::new(mechanism).map_err(|_| DecodeError::Syntax {
                expected: "a SASL mechanism name",
            })?;
            let initial_response = ir.map(decode_base64).transpose()?.map(Secret::from);
            Command::Auth {
                mechanism,
                initial_response,
            }
        }
        b"STAT" => args.none(Command::Stat)?,
        b"LIST" => Command::List(args.optional_msg()?),
        b"UIDL" => Command::Uidl(args.optional_msg()?),
        b"RETR" => Command::Retr(args.msg()?),
        b"DELE" => Command::Dele(args.msg()?),
        b"TOP" => {
            let [msg, lines] = args.exactly::<2>("a message number and a line count")?;
            Command::Top {
                msg: parse_msg(msg)?,
                lines: parse_u64(lines)?,
            }
        }
        b"NOOP" => args.none(Command::Noop)?,
        b"RSET" => args.none(Command::Rset)?,
        b"QUIT" => args.none(Command::Quit)?,
        b"CAPA" => args.none(Command::Capa)?,
        b"STLS" => args.none(Command::Stls)?,
        b"UTF8" => args.none(Command::Utf8)?,
        b"LANG" => match args.list()[..] {
            [] => Command::Lang(LangArgument::List),
            [tag] => Command::Lang(LangArgument::Set(utf8_text(line.slice_ref(tag))?)),
            _ => {
                return Err(DecodeError::Arguments {
                    expected: "at most one language tag",
                });
            }
        },
        _ => Command::Other {
            keyword: Text::from_checked(line.slice_ref(keyword)),
            arguments: Text::from_checked(rest.unwrap_or_default()),
        },
    };
    Ok(command)
}

fn rest_required(rest: Option<Bytes>) -> Result<Bytes, DecodeError> {
    match rest {
        Some(r) if !r.is_empty() => Ok(r),
        _ => Err(DecodeError::Arguments {
            expected: "one argument",
        }),
    }
}

fn utf8_text(b: Bytes) -> Result<Text, DecodeError> {
    std::str::from_utf8(&b).map_err(|_| DecodeError::InvalidUtf8)?;
    Ok(Text::from_checked(b))
}

/// The space-separated arguments of a command.
struct Args<'a> {
    items: Vec<&'a [u8]>,
}

impl<'a> Args<'a> {
    fn new(rest: Option<&'a Bytes>) -> Self {
        let items = match rest {
            Some(r) => r
                .split(|&b| b == b' ')
                .filter(|a| !a.is_empty())
                .take(8)
                .collect(),
            None => Vec::new(),
        };
        Self { items }
    }

    fn list(&self) -> &[&'a [u8]] {
        &self.items
    }

    fn none(&self, command: Command) -> Result<Command, DecodeError> {
        if self.items.is_empty() {
            Ok(command)
        } else {
            Err(DecodeError::Arguments {
                expected: "no arguments",
            })
        }
    }

    fn exactly<const N: usize>(
        &self,
        expected: &'static str,
    ) -> Result<[&'a [u8]; N], DecodeError> {
        <[&[u8]; N]>::try_from(&self.items[..]).map_err(|_| DecodeError::Arguments { expected })
    }

    fn msg(&self) -> Result<MessageNumber, DecodeError> {
        let [n] = self.exactly::<1>("a message number")?;
        parse_msg(n)
    }

    fn optional_msg(&self) -> Result<Option<MessageNumber>, DecodeError> {
        match self.items[..] {
            [] => Ok(None),
            [n] => parse_msg(n).map(Some),
            _ => Err(DecodeError::Arguments {
                expected: "at most a message number",
            }),
        }
    }
}

/// Parses a decimal number of at most 20 digits into a `u64`.
pub(crate) fn parse_u64(digits: &[u8]) -> Result<u64, DecodeError> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(DecodeError::Syntax {
            expected: "a decimal number",
        });
    }
    digits
        .iter()
        .try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
        .ok_or(DecodeError::NumberOutOfRange)
}

/// Parses a message number (1..=u32::MAX).
pub(crate) fn parse_msg(digits: &[u8]) -> Result<MessageNumber, DecodeError> {
    let n = parse_u64(digits)?;
    u32::try_from(n)
        .ok()
        .and_then(MessageNumber::new)
        .ok_or(DecodeError::NumberOutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Command, DecodeError> {
        parse_command(&Bytes::copy_from_slice(s.as_bytes()))
    }

    fn msg(n: u32) -> MessageNumber {
        MessageNumber::new(n).unwrap()
    }

    #[test]
    fn parses_rfc1939_commands_case_insensitively() {
        assert_eq!(
            parse("USER mrose").unwrap(),
            Command::User(Text::try_from("mrose").unwrap())
        );
        assert_eq!(
            parse("user mrose").unwrap(),
            Command::User(Text::try_from("mrose").unwrap())
        );
        assert_eq!(parse("stat").unwrap(), Command::Stat);
        assert_eq!(parse("LIST").unwrap(), Command::List(None));
        assert_eq!(parse("LIST 2").unwrap(), Command::List(Some(msg(2))));
        assert_eq!(
            parse("Top 1 10").unwrap(),
            Command::Top {
                msg: msg(1),
                lines: 10
            }
        );
        assert_eq!(
            parse("LIST  2").unwrap(),
            Command::List(Some(msg(2))),
            "runs of spaces are tolerated"
        );
        assert_eq!(
            parse("APOP mrose c4c9334bac560ecc979e58001b3e22fb").unwrap(),
            Command::Apop {
                name: Text::try_from("mrose").unwrap(),
                digest: ApopDigest::from_hex(b"c4c9334bac560ecc979e58001b3e22fb").unwrap()
            }
        );
    }

    #[test]
    fn pass_keeps_spaces() {
        assert_eq!(
            parse("PASS  two words ").unwrap(),
            Command::Pass(Secret::from(" two words "))
        );
    }

    #[test]
    fn auth_initial_response_and_equals() {
        assert_eq!(
            parse("AUTH PLAIN AGFsaWNlAHNlY3JldA==").unwrap(),
            Command::Auth {
                mechanism: Mechanism::new(b"PLAIN").unwrap(),
                initial_response: Some(Secret::from("\0alice\0secret"))
            }
        );
        assert_eq!(
            parse("AUTH plain =").unwrap(),
            Command::Auth {
                mechanism: Mechanism::new(b"PLAIN").unwrap(),
                initial_response: Some(Secret::default())
            }
        );
        assert_eq!(parse("AUTH PLAIN !!!"), Err(DecodeError::InvalidBase64));
    }

    #[test]
    fn bad_commands_are_typed_errors() {
        assert_eq!(parse(""), Err(DecodeError::EmptyLine));
        assert_eq!(
            parse("LIST abc"),
            Err(DecodeError::Syntax {
                expected: "a decimal number"
            })
        );
        assert_eq!(parse("LIST 0"), Err(DecodeError::NumberOutOfRange));
        assert_eq!(
            parse("RETR 99999999999999999999999"),
            Err(DecodeError::NumberOutOfRange)
        );
        assert_eq!(parse("RETR 4294967296"), Err(DecodeError::NumberOutOfRange));
        assert_eq!(
            parse("TOP 1"),
            Err(DecodeError::Arguments {
                expected: "a message number and a line count"
            })
        );
        assert_eq!(
            parse("STAT extra"),
            Err(DecodeError::Arguments {
                expected: "no arguments"
            })
        );
        assert_eq!(parse("USER a\0b"), Err(DecodeError::NulByte));
        assert_eq!(
            parse("USER a\rb"),
            Err(DecodeError::ControlCharacter(b'\r'))
        );
        assert_eq!(
            parse("USER \u{ff}"),
            Ok(Command::User(Text::try_from("\u{ff}").unwrap()))
        );
        assert_eq!(
            parse_command(&Bytes::from_static(b"USER \xff")),
            Err(DecodeError::InvalidUtf8)
        );
        assert_eq!(
            parse(" LIST"),
            Err(DecodeError::Syntax {
                expected: "a keyword of printable ASCII"
            })
        );
    }

    #[test]
    fn unknown_and_legacy_commands_are_other() {
        for line in ["LISTE", "1 DELE", "LAST", "RPOP x", "XTND XMIT"] {
            let Command::Other { keyword, .. } = parse(line).unwrap() else {
                panic!("{line} is not Other")
            };
            assert!(line.starts_with(&*keyword.to_str_lossy()));
        }
    }

    #[test]
    fn encodes_canonically() {
        let mut out = BytesMut::new();
        Command::Top {
            msg: msg(3),
            lines: 0,
        }
        .encode(&mut out);
        Command::Auth {
            mechanism: Mechanism::new(b"plain").unwrap(),
            initial_response: Some(Secret::default()),
        }
        .encode(&mut out);
        assert_eq!(&out[..], b"TOP 3 0\r\nAUTH PLAIN =\r\n");
    }
}
