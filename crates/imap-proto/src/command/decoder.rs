//! The server-side command decoder: the [`Framer`] (on [`Side::Server`])
//! finds each message, then the grammar parses it once. Literal
//! announcements pass through so the server can accept or refuse them; a
//! malformed command is reported with its tag (when readable) and decoding
//! goes on with the next message.

use bytes::Bytes;

use super::parse::{CommandError, parse_auth_line, parse_done};
use super::{AuthLine, Command};
use crate::codec::{Announcement, Frame, FrameEvent, Framer, FramerConfig, ReceiveBuffer, Side};
use crate::error::UsageError;
use crate::parse::Strictness;

/// What the next client line is, as only the session knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Expect {
    /// A tagged command.
    #[default]
    Command,
    /// An AUTHENTICATE data line (after the server sent `+ challenge`).
    AuthLine,
    /// IDLE's `DONE`; after it the decoder expects commands again.
    Done,
}

/// What [`CommandDecoder::decode`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandEvent {
    /// A complete command.
    Command(Command),
    /// An AUTHENTICATE data line.
    AuthLine(AuthLine),
    /// IDLE ended.
    Done,
    /// A synchronizing literal was announced: answer `+` and call
    /// [`CommandDecoder::accept_literal`], or answer `NO` / `BAD` and call
    /// [`CommandDecoder::reject_literal`].
    Announcement(Announcement),
    /// A message that could not be framed or parsed; it was skipped.
    Error(CommandError),
    /// A piece of a message whose literal is above the stream threshold
    /// (an APPEND of a large message), unparsed; the literal follows as
    /// [`CommandEvent::LiteralChunk`]s.
    Streamed(Frame),
    /// Data of a streamed literal.
    LiteralChunk(Bytes),
    /// The streamed literal is complete.
    LiteralEnd,
}

/// Decodes client commands from a byte stream (server side).
#[derive(Debug)]
pub struct CommandDecoder {
    framer: Framer,
    strictness: Strictness,
    expect: Expect,
}

impl CommandDecoder {
    /// A decoder with the framer settings `config` (its side is forced to
    /// [`Side::Server`]).
    pub fn new(mut config: FramerConfig, strictness: Strictness) -> Self {
        config.side = Side::Server;
        if strictness == Strictness::Lenient {
            config.allow_bare_lf = true;
        }
        Self {
            framer: Framer::new(config),
            strictness,
            expect: Expect::Command,
        }
    }

    /// Says what the next line is (see [`Expect`]).
    pub fn expect(&mut self, expect: Expect) {
        self.expect = expect;
    }

    /// What the next line is expected to be.
    pub fn expecting(&self) -> Expect {
        self.expect
    }

    /// The framer underneath.
    pub fn framer(&self) -> &Framer {
        &self.framer
    }

    /// Accepts the announced literal (after sending `+`).
    pub fn accept_literal(&mut self) -> Result<(), UsageError> {
        self.framer.accept_literal()
    }

    /// Refuses the announced literal; the message is dropped.
    pub fn reject_literal(&mut self) -> Result<(), UsageError> {
        self.framer.reject_literal()
    }

    /// The next event, or `None` when more input is needed (or a literal
    /// decision is pending).
    pub fn decode<B: ReceiveBuffer>(&mut self, buf: &mut B) -> Option<CommandEvent> {
        let ev = self.framer.decode(buf)?;
        Some(match ev {
            FrameEvent::Frame(frame) if frame.is_complete() => self.parse(&frame),
            FrameEvent::Frame(frame) => CommandEvent::Streamed(frame),
            FrameEvent::Announcement(a) => CommandEvent::Announcement(a),
            FrameEvent::LiteralChunk(b) => CommandEvent::LiteralChunk(b),
            FrameEvent::LiteralEnd => CommandEvent::LiteralEnd,
            FrameEvent::Error(error) => CommandEvent::Error(CommandError { tag: None, error }),
        })
    }

    fn parse(&mut self, frame: &Frame) -> CommandEvent {
        let limits = self.framer.config().limits.clone();
        match self.expect {
            Expect::Command => match Command::parse(frame, &limits, self.strictness) {
                Ok(c) => CommandEvent::Command(c),
                Err(e) => CommandEvent::Error(e),
            },
            Expect::AuthLine => match parse_auth_line(frame, &limits, self.strictness) {
                Ok(l) => CommandEvent::AuthLine(l),
                Err(error) => CommandEvent::Error(CommandError { tag: None, error }),
            },
            Expect::Done => match parse_done(frame, &limits, self.strictness) {
                Ok(()) => {
                    self.expect = Expect::Command;
                    CommandEvent::Done
                }
                Err(error) => CommandEvent::Error(CommandError { tag: None, error }),
            },
        }
    }
}
