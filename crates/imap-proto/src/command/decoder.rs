//! The server-side command decoder: the [`Framer`] (on [`Side::Server`])
//! finds each message, then the grammar parses it once. Literal
//! announcements pass through so the server can accept or refuse them; a
//! malformed command is reported with its tag (when readable) and decoding
//! goes on with the next message.

use bytes::Bytes;

use super::parse::{CommandError, parse_auth_line, parse_done};
use super::{AppendPiece, AuthLine, Command};
use crate::codec::{Announcement, Frame, FrameEvent, Framer, FramerConfig, ReceiveBuffer, Side};
use crate::error::UsageError;
use crate::parse::{Cursor, Quirk, Strictness};
use crate::types::{MailboxEncoding, Tag};

/// Where the decoder is in a message with a streamed literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    /// Not in one.
    None,
    /// In an APPEND; whether the streamed message is inside `UTF8 (...)`.
    Append { utf8: bool },
    /// Dropping the rest of a bad one.
    Skip,
}

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
    /// A piece of an APPEND whose message literal is above the stream
    /// threshold; the literal follows as [`CommandEvent::LiteralChunk`]s
    /// and [`CommandEvent::LiteralEnd`]. Only APPEND literals are streamed;
    /// any other command with such a literal is an error (skipped).
    Append(AppendPiece),
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
    stream: Stream,
    quirks: Vec<Quirk>,
    utf8: bool,
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
            stream: Stream::None,
            quirks: Vec::new(),
            utf8: false,
        }
    }

    /// Says whether UTF-8 is in force: after the client's `ENABLE
    /// UTF8=ACCEPT` succeeded (RFC 6855 §3), or from the start on an
    /// IMAP4rev2 connection (RFC 9051). Off by default. While on, quoted
    /// strings may carry UTF-8 (otherwise 8-bit octets in them are
    /// [`Quirk::EightBitQuoted`], refused when strict), and mailbox names
    /// are UTF-8 rather than modified UTF-7 (see
    /// [`CommandDecoder::mailbox_encoding`]).
    pub fn set_utf8(&mut self, utf8: bool) {
        self.utf8 = utf8;
    }

    /// Whether UTF-8 is in force (see [`CommandDecoder::set_utf8`]).
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// How mailbox names travel while the current setting is in force:
    /// [`MailboxEncoding::Utf8`] while UTF-8 is (see
    /// [`CommandDecoder::set_utf8`]), otherwise modified UTF-7. Commands
    /// keep names as sent; read one with
    /// [`mailbox_name`](super::mailbox_name)`(name, decoder.mailbox_encoding())`.
    pub fn mailbox_encoding(&self) -> MailboxEncoding {
        if self.utf8 {
            MailboxEncoding::Utf8
        } else {
            MailboxEncoding::ModifiedUtf7
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

    /// The quirks tolerated in the last command parsed (lenient mode), for
    /// logs and for tools that report them.
    pub fn quirks(&self) -> &[Quirk] {
        &self.quirks
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
        loop {
            let ev = self.framer.decode(buf)?;
            let skipping = self.stream == Stream::Skip;
            return Some(match ev {
                FrameEvent::Frame(frame) if frame.is_complete() => self.parse(&frame),
                FrameEvent::Frame(frame) => match self.piece(&frame) {
                    Some(ev) => ev,
                    None => continue,
                },
                FrameEvent::Announcement(a) => CommandEvent::Announcement(a),
                FrameEvent::LiteralChunk(_) | FrameEvent::LiteralEnd if skipping => continue,
                FrameEvent::LiteralChunk(b) => CommandEvent::LiteralChunk(b),
                FrameEvent::LiteralEnd => CommandEvent::LiteralEnd,
                FrameEvent::Error(error) => {
                    self.stream = Stream::None;
                    CommandEvent::Error(CommandError { tag: None, error })
                }
            });
        }
    }

    /// A piece of a message with a streamed literal.
    fn piece(&mut self, frame: &Frame) -> Option<CommandEvent> {
        let limits = &self.framer.config().limits;
        let mut c = Cursor::new(frame, limits, self.strictness);
        let parsed = if frame.is_message_start() {
            AppendPiece::parse_start(&mut c, frame)
        } else {
            match self.stream {
                Stream::Append { utf8 } => AppendPiece::parse_continue(&mut c, frame, utf8),
                Stream::Skip | Stream::None => {
                    if frame.is_message_end() {
                        self.stream = Stream::None;
                    }
                    return None;
                }
            }
        };
        match parsed {
            Ok(piece) => {
                self.stream = match &piece {
                    AppendPiece::Start { next, .. }
                    | AppendPiece::Continue {
                        next: Some(next), ..
                    } => Stream::Append { utf8: next.utf8 },
                    AppendPiece::Continue { next: None, .. } => Stream::None,
                };
                Some(CommandEvent::Append(piece))
            }
            Err(error) => {
                self.stream = if frame.is_message_end() {
                    Stream::None
                } else {
                    Stream::Skip
                };
                let bytes = frame.bytes();
                let tag = frame
                    .is_message_start()
                    .then(|| memchr::memchr(b' ', bytes).map(|i| bytes.slice(..i)))
                    .flatten()
                    .and_then(|t| Tag::new(t).ok());
                Some(CommandEvent::Error(CommandError {
                    tag,
                    error: error.into(),
                }))
            }
        }
    }

    fn parse(&mut self, frame: &Frame) -> CommandEvent {
        let limits = self.framer.config().limits.clone();
        match self.expect {
            Expect::Command => {
                match Command::parse_with_quirks_utf8(frame, &limits, self.strictness, self.utf8) {
                    Ok((c, quirks)) => {
                        self.quirks = quirks;
                        CommandEvent::Command(c)
                    }
                    Err(e) => {
                        self.quirks.clear();
                        CommandEvent::Error(e)
                    }
                }
            }
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
