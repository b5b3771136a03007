//! The server-side command decoder: splits client lines off a receive
//! buffer ([`crate::codec`] frames them) and parses each one; a bad line is
//! reported with its offset and skipped. The same place as imap-proto's
//! `command/decoder.rs`.

use bytes::Bytes;

use super::{Command, SaslResponse, parse_command};
use crate::codec::{LineReader, ReceiveBuffer};
use crate::error::DecodeError;
use crate::limits::Limits;

/// What the next client line is, as only the session knows: a command, or
/// an answer in a SASL exchange. (imap-proto's `Expect` has the same job;
/// IMAP names the SASL line `AuthLine`, POP3 `SaslResponse` as RFC 5034
/// does.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A command (255 octets at most).
    Command,
    /// A base64 SASL answer or `*` (RFC 5034 §4; longer lines allowed).
    SaslResponse,
}

/// What [`CommandDecoder::decode`] found in a good line. A bad line's
/// error is in [`ClientFrame::message`] instead, with its offset and text,
/// so the server can answer `-ERR` and go on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandEvent {
    /// A command.
    Command(Command),
    /// An answer to a SASL challenge.
    SaslResponse(SaslResponse),
}

/// One line from a client and what it decoded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFrame {
    /// Stream offset of the line's first octet.
    pub offset: u64,
    /// The line without its ending (empty when it was too long to keep).
    pub line: Bytes,
    /// The decoded message, or why the line was rejected.
    pub message: Result<CommandEvent, DecodeError>,
}

/// Splits client lines off a receive buffer and parses them (server side).
///
/// Never fails as a whole: a malformed or overlong line is returned as a
/// frame with an error and skipped, so a server can answer `-ERR` and go on.
#[derive(Debug)]
pub struct CommandDecoder {
    lines: LineReader,
    limits: Limits,
    allow_bare_lf: bool,
}

impl CommandDecoder {
    /// A decoder with these limits. `allow_bare_lf`: accept lines ended by LF
    /// alone (RFC 1939 requires CRLF; some hand-typed sessions send LF).
    pub fn new(limits: Limits, allow_bare_lf: bool) -> Self {
        Self {
            lines: LineReader::default(),
            limits,
            allow_bare_lf,
        }
    }

    /// Stream offset of the front of the buffer.
    pub fn offset(&self) -> u64 {
        self.lines.offset()
    }

    /// Decodes the next line of `kind` from `buf`, or `None` if no whole line
    /// is there yet.
    pub fn decode<B: ReceiveBuffer>(&mut self, buf: &mut B, kind: Expect) -> Option<ClientFrame> {
        let max = match kind {
            Expect::Command => self.limits.max_command_line,
            Expect::SaslResponse => self.limits.max_sasl_line,
        };
        let offset = self.lines.offset();
        let line = match self.lines.next_line(buf, max) {
            Ok(None) => return None,
            Ok(Some(line)) => line,
            Err(e) => {
                return Some(ClientFrame {
                    offset,
                    line: Bytes::new(),
                    message: Err(e),
                });
            }
        };
        let message = if line.bare_lf && !self.allow_bare_lf {
            Err(DecodeError::BareLineFeed)
        } else {
            match kind {
                Expect::Command => parse_command(&line.content).map(CommandEvent::Command),
                Expect::SaslResponse => {
                    SaslResponse::parse(&line.content).map(CommandEvent::SaslResponse)
                }
            }
        };
        Some(ClientFrame {
            offset: line.offset,
            line: line.content,
            message,
        })
    }
}
