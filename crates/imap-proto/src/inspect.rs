//! Decoding a captured IMAP session direction by direction, message by
//! message: the protocol debugger behind `mailctl inspect imap`, and the
//! check that the codec understands real traffic.
//!
//! Client bytes are decoded as commands the way a server would, following
//! the server's own answers in the capture: whether a synchronizing literal
//! was accepted (`+`) or refused, how many AUTHENTICATE data lines follow
//! (one per `+` challenge), and IDLE's `DONE`. Server bytes are decoded as
//! responses. Every decoded message is encoded again and must decode to the
//! same value. Decoding stops at a STARTTLS upgrade (the bytes after it are
//! TLS records). A command the real server answered with `BAD` may fail to
//! decode: it is reported as rejected, not as a failure.

use bytes::{Bytes, BytesMut};

use crate::codec::{FramerConfig, Side};
use crate::command::{
    AppendPiece, Command, CommandBody, CommandDecoder, CommandEvent, EncodeOptions, Expect, encode,
    to_bytes,
};
use crate::parse::{Quirk, Strictness};
use crate::response::{Capability, Condition, Data, Response, ResponseDecoder, ResponseEvent};

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to server: commands.
    ClientToServer,
    /// Server to client: responses.
    ServerToClient,
}

impl Direction {
    /// `c2s` or `s2c`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientToServer => "c2s",
            Self::ServerToClient => "s2c",
        }
    }
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Item {
    /// A command.
    Command(Command),
    /// An AUTHENTICATE data line.
    AuthLine,
    /// IDLE's `DONE`.
    Done,
    /// An APPEND whose message literal streamed (too large to hold).
    StreamedAppend {
        /// Octets of streamed literal data.
        literal_octets: u64,
    },
    /// A command that did not decode and that the server answered with BAD.
    Rejected {
        /// Why it did not decode.
        reason: String,
        /// The server's answer.
        answer: String,
    },
    /// A response.
    Response(Response),
    /// A FETCH response whose literal streamed.
    StreamedFetch {
        /// The message sequence number.
        seq: u32,
        /// Octets of streamed literal data.
        literal_octets: u64,
    },
}

/// A decoded message and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Who sent it.
    pub direction: Direction,
    /// Offset of its first octet in that direction's stream.
    pub offset: u64,
    /// Its length on the wire.
    pub len: u64,
    /// What it was.
    pub item: Item,
    /// Deviations from the grammar that were tolerated.
    pub quirks: Vec<Quirk>,
    /// Whether encoding it again gives exactly the captured bytes (not
    /// required: peers differ in case and spacing).
    pub exact: bool,
}

/// How a capture decoded when nothing failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Client messages decoded.
    pub client_messages: usize,
    /// Server messages decoded.
    pub server_messages: usize,
    /// Octets of the client stream decoded.
    pub c2s_bytes: u64,
    /// Octets of the server stream decoded.
    pub s2c_bytes: u64,
    /// Offsets (c2s, s2c) where TLS starts after STARTTLS.
    pub tls_at: Option<(u64, u64)>,
    /// Messages that needed a quirk.
    pub quirky: usize,
}

/// Where and why decoding failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} at offset {offset}: {reason}", direction.as_str())]
pub struct InspectError {
    /// The stream.
    pub direction: Direction,
    /// Offset in it.
    pub offset: u64,
    /// What went wrong.
    pub reason: String,
}

/// The server's lines, to follow its decisions.
struct ServerLines<'a> {
    lines: Vec<&'a [u8]>,
    pos: usize,
}

impl<'a> ServerLines<'a> {
    fn new(s2c: &'a [u8]) -> Self {
        Self {
            lines: s2c.split(|&b| b == b'\n').collect(),
            pos: 0,
        }
    }

    fn is_tagged(line: &[u8], tag: &[u8]) -> bool {
        line.starts_with(tag) && line.get(tag.len()) == Some(&b' ')
    }

    /// Reads up to the tagged answer for `tag`: the `+` lines on the way and
    /// the tagged line.
    fn until_tagged(&mut self, tag: &[u8]) -> (usize, Option<&'a [u8]>) {
        let mut plus = 0;
        while let Some(line) = self.lines.get(self.pos) {
            self.pos += 1;
            if line.starts_with(b"+") {
                plus += 1;
            } else if Self::is_tagged(line, tag) {
                return (plus, Some(line));
            }
        }
        (plus, None)
    }

    /// Whether the server's lines `from..` up to the current position hold
    /// `* ENABLED` with UTF8=ACCEPT or IMAP4rev2: UTF-8 is in force from
    /// then on (RFC 6855 §3, RFC 9051 §6.3.1).
    fn enabled_utf8(&self, from: usize) -> bool {
        self.lines[from.min(self.pos)..self.pos].iter().any(|line| {
            let line = String::from_utf8_lossy(line).to_ascii_uppercase();
            let mut words = line.split_ascii_whitespace();
            words.next() == Some("*")
                && words.next() == Some("ENABLED")
                && words.any(|w| w == "UTF8=ACCEPT" || w == "IMAP4REV2")
        })
    }

    /// Whether a `+` comes before the tagged answer for `tag` (the literal
    /// was accepted); consumes that `+`.
    fn accepts(&mut self, tag: &[u8]) -> bool {
        for i in self.pos..self.lines.len() {
            if self.lines[i].starts_with(b"+") {
                self.pos = i + 1;
                return true;
            }
            if Self::is_tagged(self.lines[i], tag) {
                return false;
            }
        }
        true
    }
}

fn lossy(line: Option<&[u8]>) -> String {
    line.map(|l| String::from_utf8_lossy(l).trim_end().to_owned())
        .unwrap_or_default()
}

/// Decodes a captured session: `c2s` every byte the client sent, `s2c`
/// every byte the server sent. `on_record` sees each decoded message (client
/// messages first, then server messages).
pub fn inspect(
    c2s: &[u8],
    s2c: &[u8],
    strictness: Strictness,
    on_record: &mut dyn FnMut(&Record),
) -> Result<Summary, InspectError> {
    let mut summary = Summary::default();
    let starttls = commands(c2s, s2c, strictness, &mut summary, on_record)?;
    responses(s2c, starttls.as_ref(), strictness, &mut summary, on_record)?;
    Ok(summary)
}

/// The tag of the STARTTLS command and where the client's TLS starts.
type StartTls = (Bytes, u64);

fn commands(
    c2s: &[u8],
    s2c: &[u8],
    strictness: Strictness,
    summary: &mut Summary,
    on_record: &mut dyn FnMut(&Record),
) -> Result<Option<StartTls>, InspectError> {
    let fail = |offset: u64, reason: String| InspectError {
        direction: Direction::ClientToServer,
        offset,
        reason,
    };
    let mut config = FramerConfig::new(Side::Server);
    config.allow_bare_lf = true;
    let mut decoder = CommandDecoder::new(config, strictness);
    let mut server = ServerLines::new(s2c);
    let mut buf = BytesMut::from(c2s);
    let total = c2s.len() as u64;
    let mut start = 0u64;
    let mut auth_lines_left = 0usize;
    let mut streamed: Option<u64> = None;
    while let Some(event) = decoder.decode(&mut buf) {
        let end = total - buf.len() as u64;
        let raw = &c2s[start as usize..end as usize];
        let mut record = |item: Item, quirks: Vec<Quirk>, exact: bool| {
            summary.client_messages += 1;
            summary.quirky += usize::from(!quirks.is_empty());
            on_record(&Record {
                direction: Direction::ClientToServer,
                offset: start,
                len: end - start,
                item,
                quirks,
                exact,
            });
        };
        match event {
            CommandEvent::Announcement(a) => {
                let tag = Bytes::copy_from_slice(a.tag());
                let decided = if server.accepts(&tag) {
                    decoder.accept_literal()
                } else {
                    decoder.reject_literal()
                };
                decided.map_err(|e| fail(start, e.to_string()))?;
                continue;
            }
            CommandEvent::Command(command) => {
                let exact = round_trip_command(&command, decoder.is_utf8())
                    .map_err(|reason| fail(start, reason))?
                    == raw;
                let quirks = decoder.quirks().to_vec();
                let tag = Bytes::copy_from_slice(command.tag.as_bytes());
                let tls = matches!(command.body, CommandBody::StartTls);
                match &command.body {
                    CommandBody::Authenticate { .. } => {
                        let (plus, _) = server.until_tagged(&tag);
                        auth_lines_left = plus;
                        if plus > 0 {
                            decoder.expect(Expect::AuthLine);
                        }
                    }
                    CommandBody::Idle => decoder.expect(Expect::Done),
                    CommandBody::Enable(_) => {
                        let from = server.pos;
                        server.until_tagged(&tag);
                        if server.enabled_utf8(from) {
                            decoder.set_utf8(true);
                        }
                    }
                    _ => {
                        server.until_tagged(&tag);
                    }
                }
                record(Item::Command(command), quirks, exact);
                if tls {
                    summary.c2s_bytes = end;
                    summary.tls_at = Some((end, 0));
                    return Ok(Some((tag, end)));
                }
            }
            CommandEvent::AuthLine(_) => {
                auth_lines_left = auth_lines_left.saturating_sub(1);
                if auth_lines_left == 0 {
                    decoder.expect(Expect::Command);
                }
                record(Item::AuthLine, Vec::new(), true);
            }
            CommandEvent::Done => record(Item::Done, Vec::new(), true),
            CommandEvent::Error(e) => {
                let answer = e
                    .tag
                    .as_ref()
                    .and_then(|t| server.until_tagged(t.as_bytes()).1);
                let bad = answer.is_some_and(|l| {
                    let l = String::from_utf8_lossy(l).to_ascii_uppercase();
                    l.split(' ').nth(1) == Some("BAD")
                });
                if !bad {
                    return Err(fail(
                        e.error.offset,
                        format!("{} (expected {})", e.error.kind, e.error.expected),
                    ));
                }
                record(
                    Item::Rejected {
                        reason: e.error.to_string(),
                        answer: lossy(answer),
                    },
                    Vec::new(),
                    false,
                );
            }
            CommandEvent::Append(piece) => {
                if let AppendPiece::Start { tag, .. } = &piece {
                    server.accepts(tag.as_bytes());
                }
                let complete =
                    matches!(piece, AppendPiece::Continue { ref next, .. } if next.is_none());
                if complete {
                    record(
                        Item::StreamedAppend {
                            literal_octets: streamed.take().unwrap_or(0),
                        },
                        Vec::new(),
                        false,
                    );
                } else {
                    continue;
                }
            }
            CommandEvent::LiteralChunk(data) => {
                *streamed.get_or_insert(0) += data.len() as u64;
                continue;
            }
            CommandEvent::LiteralEnd => continue,
        }
        start = end;
    }
    summary.c2s_bytes = total - buf.len() as u64;
    if !buf.is_empty() {
        return Err(fail(
            summary.c2s_bytes,
            "client bytes left over: an incomplete command".into(),
        ));
    }
    Ok(None)
}

/// Encodes a command (with every literal inline) and decodes it again;
/// `utf8` when UTF-8 is in force on the connection.
fn round_trip_command(command: &Command, utf8: bool) -> Result<Vec<u8>, String> {
    let options = EncodeOptions {
        utf8_accept: utf8,
        ..EncodeOptions::default()
    };
    let wire = to_bytes(&encode(command, options));
    let mut decoder = CommandDecoder::new(FramerConfig::new(Side::Server), Strictness::Lenient);
    decoder.set_utf8(utf8);
    let mut buf = BytesMut::from(&wire[..]);
    loop {
        match decoder.decode(&mut buf) {
            Some(CommandEvent::Announcement(_)) => {
                decoder.accept_literal().map_err(|e| e.to_string())?;
            }
            Some(CommandEvent::Command(again)) if &again == command => return Ok(wire),
            other => {
                return Err(format!(
                    "re-encoded as {:?}, which decodes to {other:?}",
                    String::from_utf8_lossy(&wire)
                ));
            }
        }
    }
}

fn responses(
    s2c: &[u8],
    starttls: Option<&StartTls>,
    strictness: Strictness,
    summary: &mut Summary,
    on_record: &mut dyn FnMut(&Record),
) -> Result<(), InspectError> {
    let fail = |offset: u64, reason: String| InspectError {
        direction: Direction::ServerToClient,
        offset,
        reason,
    };
    let mut decoder = ResponseDecoder::with_config(FramerConfig::new(Side::Client), strictness);
    let mut buf = BytesMut::from(s2c);
    let total = s2c.len() as u64;
    let mut start = 0u64;
    let mut streamed: Option<(u32, u64)> = None;
    while let Some(event) = decoder.decode(&mut buf) {
        let end = total - buf.len() as u64;
        let raw = &s2c[start as usize..end as usize];
        let (item, quirks, exact) = match event {
            ResponseEvent::Response { response, quirks } => {
                let wire = round_trip_response(&response, decoder.is_utf8())
                    .map_err(|reason| fail(start, reason))?;
                let exact = wire[..] == *raw;
                // UTF-8 from the next response on (RFC 6855 §3).
                if let Response::Untagged(Data::Enabled(caps)) = &response
                    && caps
                        .iter()
                        .any(|c| matches!(c, Capability::Utf8Accept | Capability::Imap4Rev2))
                {
                    decoder.set_utf8(true);
                }
                (Item::Response(response), quirks, exact)
            }
            ResponseEvent::Error(e) => {
                return Err(fail(
                    e.offset,
                    format!("{} (expected {}) at {}", e.kind, e.expected, e.found),
                ));
            }
            ResponseEvent::FetchStart { seq, .. } => {
                streamed = Some((seq, 0));
                continue;
            }
            ResponseEvent::LiteralChunk(data) => {
                if let Some((_, n)) = &mut streamed {
                    *n += data.len() as u64;
                }
                continue;
            }
            ResponseEvent::FetchRest {
                literal: None,
                quirks,
                ..
            } => {
                let (seq, literal_octets) = streamed.take().unwrap_or_default();
                (
                    Item::StreamedFetch {
                        seq,
                        literal_octets,
                    },
                    quirks,
                    false,
                )
            }
            _ => continue,
        };
        summary.server_messages += 1;
        summary.quirky += usize::from(!quirks.is_empty());
        let tls = matches!(&item, Item::Response(Response::Tagged(t))
            if t.condition == Condition::Ok && starttls.is_some_and(|(tag, _)| t.tag.as_bytes() == &tag[..]));
        on_record(&Record {
            direction: Direction::ServerToClient,
            offset: start,
            len: end - start,
            item,
            quirks,
            exact,
        });
        start = end;
        if tls {
            summary.s2c_bytes = end;
            if let Some((c, _)) = summary.tls_at {
                summary.tls_at = Some((c, end));
            }
            return Ok(());
        }
    }
    summary.s2c_bytes = total - buf.len() as u64;
    if !buf.is_empty() {
        return Err(fail(
            summary.s2c_bytes,
            "server bytes left over: an incomplete response".into(),
        ));
    }
    Ok(())
}

/// Encodes a response and decodes it again; returns the encoding. `utf8`
/// when UTF-8 is in force on the connection.
fn round_trip_response(response: &Response, utf8: bool) -> Result<Vec<u8>, String> {
    let mut wire = Vec::new();
    let options = if utf8 {
        crate::response::EncodeOptions::utf8()
    } else {
        crate::response::EncodeOptions::default()
    };
    response.encode_with(options, &mut wire);
    let bytes = Bytes::from(wire.clone());
    // Lenient: a quirk tolerated once (8-bit text) is still there.
    match Response::parse_bytes_utf8(
        &bytes,
        0,
        &crate::Limits::default(),
        Strictness::Lenient,
        utf8,
    ) {
        Ok((again, _)) if &again == response => Ok(wire),
        other => Err(format!(
            "re-encoded as {:?}, which decodes to {other:?}",
            String::from_utf8_lossy(&wire)
        )),
    }
}
