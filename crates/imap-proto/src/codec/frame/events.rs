//! What the framer hands out and how it is set up: [`FramerConfig`],
//! [`FrameEvent`] with its [`Frame`] and [`Announcement`], and the literal
//! descriptions they carry.

use bytes::Bytes;

#[cfg(doc)]
use super::Framer;
use crate::error::DecodeError;
use crate::limits::Limits;

/// Which end of the connection the framer runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// This end is the client: the framer reads server responses. Every
    /// literal the server announces follows at once.
    Client,
    /// This end is the server: the framer reads client commands. A
    /// synchronizing literal follows only after the server's `+`.
    Server,
}

/// How the framer behaves; the limits and the side it runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FramerConfig {
    /// Which end of the connection this is.
    pub side: Side,
    /// The limits enforced.
    pub limits: Limits,
    /// Accept lines ended by LF alone (some hand-written clients). Default
    /// `false`: RFC 3501 §2.2 requires CRLF. The parser must then accept bare
    /// LF too.
    pub allow_bare_lf: bool,
    /// Largest non-synchronizing literal accepted (server side). `Some(4096)`
    /// for a server that advertises LITERAL- (RFC 7888 §5); `None` (default)
    /// for LITERAL+ or when neither is advertised.
    pub non_sync_limit: Option<u64>,
}

impl FramerConfig {
    /// Default settings for this side.
    pub fn new(side: Side) -> Self {
        Self {
            side,
            limits: Limits::default(),
            allow_bare_lf: false,
            non_sync_limit: None,
        }
    }
}

/// Whether the sender waits for a continuation request before the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiteralMode {
    /// `{n}`: a client waits for the server's `+` (a server never waits).
    Sync,
    /// `{n+}`: sent at once (LITERAL+ / LITERAL-, RFC 7888).
    NonSync,
}

/// A literal announcement: `{n}`, `{n+}`, `~{n}` or `~{n+}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LiteralHeader {
    /// The number of octets announced.
    pub length: u64,
    /// Synchronizing or not.
    pub mode: LiteralMode,
    /// `~{n}`: a literal8 (RFC 3516), the only kind that may contain NUL.
    pub binary: bool,
}

/// Where a literal kept inside a [`Frame`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LiteralSpan {
    /// Index of the literal's first data octet in [`Frame::bytes`].
    pub start: usize,
    /// Number of data octets.
    pub len: usize,
    /// How it was announced.
    pub header: LiteralHeader,
}

impl LiteralSpan {
    /// The index range of the data in [`Frame::bytes`].
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.start + self.len
    }
}

/// A framed message, or a piece of one whose literals are streamed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub(super) data: Bytes,
    pub(super) offset: u64,
    pub(super) literals: Vec<LiteralSpan>,
    pub(super) first: bool,
    pub(super) streamed: Option<LiteralHeader>,
}

impl Frame {
    /// The octets, as received: every line with its CRLF (or LF) and the kept
    /// literals' data in place.
    pub fn bytes(&self) -> &Bytes {
        &self.data
    }

    /// Stream offset of the first octet.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The literals kept inside this frame, in order.
    pub fn literals(&self) -> &[LiteralSpan] {
        &self.literals
    }

    /// The data of a kept literal, as a slice of the frame (no copy).
    pub fn literal_data(&self, span: &LiteralSpan) -> Bytes {
        self.data.slice(span.range())
    }

    /// Whether this frame starts a message (false for the piece that
    /// continues after a streamed literal).
    pub fn is_message_start(&self) -> bool {
        self.first
    }

    /// Whether this frame ends its message (false when it ends with the
    /// announcement of a streamed literal).
    pub fn is_message_end(&self) -> bool {
        self.streamed.is_none()
    }

    /// Whether this is a whole message in one piece.
    pub fn is_complete(&self) -> bool {
        self.first && self.streamed.is_none()
    }

    /// The announcement this piece ends with, when the literal follows as
    /// [`FrameEvent::LiteralChunk`]s.
    pub fn streamed_literal(&self) -> Option<LiteralHeader> {
        self.streamed
    }
}

/// A client announced a synchronizing literal (server side): answer `+` and
/// call [`Framer::accept_literal`], or answer `NO` / `BAD` and call
/// [`Framer::reject_literal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// Stream offset of the message's first octet.
    pub message_offset: u64,
    /// The first line of the message (a copy, without its line ending): tag,
    /// command name and the arguments before the first literal.
    pub first_line: Bytes,
    /// The line that ends with the announcement (a copy, without its line
    /// ending); the same as `first_line` for the first literal.
    pub line: Bytes,
    /// What was announced.
    pub header: LiteralHeader,
}

impl Announcement {
    /// The command's tag: the first line up to its first space (the parser
    /// has not checked it yet).
    pub fn tag(&self) -> &[u8] {
        let l = &self.first_line[..];
        memchr::memchr(b' ', l).map_or(l, |i| &l[..i])
    }
}

/// What [`Framer::decode`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameEvent {
    /// A whole message, or a piece of one (see [`Frame::is_complete`]).
    Frame(Frame),
    /// Server side: a synchronizing literal was announced; framing waits for
    /// [`Framer::accept_literal`] or [`Framer::reject_literal`].
    Announcement(Announcement),
    /// Data of a streamed literal (a slice of the receive buffer).
    LiteralChunk(Bytes),
    /// The streamed literal is complete; the next event is the `Frame` that
    /// continues the message.
    LiteralEnd,
    /// A malformed message; the rest of it is skipped and framing goes on.
    Error(DecodeError),
}
