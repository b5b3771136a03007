//! The framer: finds where each IMAP message ends in a receive buffer (a line,
//! plus the literals it announces, plus the line continuing after each
//! literal), with a scan that resumes where it stopped, so the grammar parser
//! runs once over a complete frame.
//!
//! # What a frame is
//!
//! An IMAP message (a command, or a response) is a line ending in CRLF. When
//! the line ends with a literal announcement, `{n}` (synchronizing), `{n+}`
//! (non-synchronizing, LITERAL+ / LITERAL-, RFC 7888), `~{n}` or `~{n+}`
//! (literal8, RFC 3516 / RFC 4466), exactly `n` octets of literal data follow
//! the CRLF, and then the message continues with another line, which may end
//! with another announcement, and so on. The message ends with the first line
//! that does not end with an announcement.
//!
//! A line ending with `{digits}` is always read as an announcement, even in
//! free text (`* OK see {5}`), as every IMAP implementation does: the
//! grammar cannot tell them apart before the parser runs, and the peer that
//! sent it means a literal in practice.
//!
//! # Events
//!
//! [`Framer::decode`] returns [`FrameEvent`]s:
//!
//! - [`FrameEvent::Frame`]: a whole message as one [`Bytes`] slice of the
//!   receive buffer (no copy), with the position of every literal inside it.
//!   When a literal is larger than
//!   [`Limits::literal_stream_threshold`], the message comes in pieces
//!   instead: a `Frame` ending with the announcement, the literal as
//!   [`FrameEvent::LiteralChunk`]s and a [`FrameEvent::LiteralEnd`], then a
//!   `Frame` with the rest (see [`Frame::is_message_start`] and
//!   [`Frame::is_message_end`]).
//! - [`FrameEvent::Announcement`] (server side only): a client announced a
//!   synchronizing literal and waits for a `+` continuation request. Nothing
//!   more is framed until the caller calls [`Framer::accept_literal`] (after
//!   sending `+`) or [`Framer::reject_literal`] (after answering `NO` or
//!   `BAD`, e.g. `NO [TOOBIG]`; the client then does not send the literal and
//!   the message ends there).
//! - [`FrameEvent::Error`]: a malformed message (line too long, bare LF,
//!   literal too large or with an unreadable length, too many literals,
//!   message too large). The error is reported as soon as it is seen; the
//!   rest of that message is then dropped as it arrives (including literal
//!   data the peer sends anyway: a client's non-synchronizing literals, any
//!   literal from a server) and framing continues with the next message.
//!   When the length of a literal cannot be read (more than 64 bits), the
//!   message is taken to end at that line: the peer's stream can no longer
//!   be followed reliably and a session should close the connection.
//!
//! # Cost
//!
//! Each octet of a line is searched for LF once, whatever the chunking (the
//! scan resumes where the previous call stopped), and the end of each line
//! is read backwards once to find an announcement; literal data is never
//! scanned. [`Framer::octets_examined`] counts this work, so tests can check
//! it stays linear without timing anything. Buffered memory is bounded by the limits: one
//! line, the literals kept in a frame, and nothing of a skipped message.

use bytes::Bytes;

use super::ReceiveBuffer;
use crate::error::{DecodeError, DecodeErrorKind, UsageError};
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
    data: Bytes,
    offset: u64,
    literals: Vec<LiteralSpan>,
    first: bool,
    streamed: Option<LiteralHeader>,
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

/// How many octets before a bare LF an error shows.
const BARE_LF_CONTEXT: usize = 40;

/// Octets kept from the end of a line being dropped, to see whether it
/// announces a literal.
const TAIL: usize = 32;

#[derive(Debug, Clone)]
struct Tail {
    buf: [u8; TAIL],
    len: usize,
}

impl Tail {
    fn new() -> Self {
        Self {
            buf: [0; TAIL],
            len: 0,
        }
    }

    fn push(&mut self, data: &[u8]) {
        if data.len() >= TAIL {
            self.buf.copy_from_slice(&data[data.len() - TAIL..]);
            self.len = TAIL;
        } else {
            let keep = (TAIL - data.len()).min(self.len);
            self.buf.copy_within(self.len - keep..self.len, 0);
            self.buf[keep..keep + data.len()].copy_from_slice(data);
            self.len = keep + data.len();
        }
    }

    fn octets(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

#[derive(Debug, Clone)]
enum Phase {
    /// Searching for the end of the line that starts at `line_start`.
    Line,
    /// A kept literal ends at this buffer index.
    Literal { end: usize },
    /// Waiting for the caller's decision on a synchronizing literal announced
    /// by the line ending at `line_end`.
    Announced {
        header: LiteralHeader,
        line_end: usize,
    },
    /// The caller refused the literal: drop the message (`line_end` octets).
    Refused { line_end: usize },
    /// Hand out the piece ending at `line_end`; a streamed literal follows.
    StreamHead {
        header: LiteralHeader,
        line_end: usize,
    },
    /// Inside a streamed literal (`binary` for literal8, which may hold NUL).
    Streaming { remaining: u64, binary: bool },
    /// The streamed literal is complete.
    StreamEnd,
    /// Dropping a line of a bad message, up to its LF.
    SkipLine { tail: Tail },
    /// Dropping literal data of a bad message.
    SkipLiteral { remaining: u64 },
}

/// What the end of a line announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// No literal: the message ends with this line.
    None,
    /// A literal; `at` is the index of `{` (or `~`) in the line.
    Literal { header: LiteralHeader, at: usize },
    /// A literal whose length does not fit in 64 bits.
    Overflow { at: usize },
}

/// Reads the announcement at the end of `content` (a line without its
/// ending); also says how many octets it looked at.
fn line_ending(content: &[u8]) -> (Ending, usize) {
    let Some((&b'}', rest)) = content.split_last() else {
        return (Ending::None, 1);
    };
    let (ending, digits_start) = announcement(rest);
    (ending, content.len() - digits_start.saturating_sub(2))
}

/// Reads `~{n` / `{n` / `{n+` at the end of `rest` (a line without its final
/// `}`); returns where the digits start.
fn announcement(rest: &[u8]) -> (Ending, usize) {
    let (mode, rest) = match rest.split_last() {
        Some((&b'+', r)) => (LiteralMode::NonSync, r),
        _ => (LiteralMode::Sync, rest),
    };
    let digits_start = rest
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |p| p + 1);
    if digits_start == 0 || digits_start == rest.len() || rest[digits_start - 1] != b'{' {
        return (Ending::None, digits_start);
    }
    let brace = digits_start - 1;
    let binary = brace > 0 && rest[brace - 1] == b'~';
    let at = if binary { brace - 1 } else { brace };
    let mut length: u64 = 0;
    for &d in &rest[digits_start..] {
        match length
            .checked_mul(10)
            .and_then(|l| l.checked_add(u64::from(d - b'0')))
        {
            Some(l) => length = l,
            None => return (Ending::Overflow { at }, digits_start),
        }
    }
    let header = LiteralHeader {
        length,
        mode,
        binary,
    };
    (Ending::Literal { header, at }, digits_start)
}

/// Strips CRLF or LF from a line; says whether it was a bare LF.
fn strip_eol(line: &[u8]) -> (&[u8], bool) {
    let Some((_lf, rest)) = line.split_last() else {
        return (line, false);
    };
    match rest.split_last() {
        Some((&b'\r', content)) => (content, false),
        _ => (rest, true),
    }
}

/// Finds message boundaries in a stream of IMAP octets (see the module
/// docs). One framer per direction of a connection.
#[derive(Debug)]
pub struct Framer {
    config: FramerConfig,
    phase: Phase,
    /// Stream offset of the front of the buffer.
    consumed: u64,
    /// Stream offset of the current message's first octet.
    message_offset: u64,
    /// The current piece is the first of its message.
    first_piece: bool,
    /// Buffer index where the current line starts (the piece so far is
    /// `..line_start`).
    line_start: usize,
    /// Buffer index up to which the current line holds no LF.
    scanned: usize,
    /// Literals kept in the current piece.
    literals: Vec<LiteralSpan>,
    /// Literals announced in the current message.
    literal_count: usize,
    /// Copy of the message's first line, once an announcement needed it.
    first_line: Option<Bytes>,
    /// Octets looked at so far (the linear-cost witness).
    examined: u64,
}

impl Framer {
    /// A framer at the start of a stream.
    pub fn new(config: FramerConfig) -> Self {
        Self {
            config,
            phase: Phase::Line,
            consumed: 0,
            message_offset: 0,
            first_piece: true,
            line_start: 0,
            scanned: 0,
            literals: Vec::new(),
            literal_count: 0,
            first_line: None,
            examined: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &FramerConfig {
        &self.config
    }

    /// Changes the limits (a server raising its literal limit after login,
    /// say). Takes effect for the next line.
    pub fn set_limits(&mut self, limits: Limits) {
        self.config.limits = limits;
    }

    /// Stream offset of the front of the buffer: octets taken or dropped so
    /// far.
    pub fn offset(&self) -> u64 {
        self.consumed
    }

    /// Octets the framer has looked at so far: each line once forwards (the
    /// LF search) and its end once backwards (the announcement). Literal
    /// data is never looked at. Stays within twice the input length whatever
    /// the chunking; tests and benches use it as a time-independent witness
    /// of linear cost.
    pub fn octets_examined(&self) -> u64 {
        self.examined
    }

    /// Whether the framer is between messages: no part of a message has
    /// been framed, skipped or announced. (The buffer may still hold octets
    /// not looked at: after a STARTTLS upgrade, a session checks that the
    /// buffer is empty as well.)
    pub fn is_between_messages(&self) -> bool {
        matches!(self.phase, Phase::Line)
            && self.first_piece
            && self.line_start == 0
            && self.scanned == 0
    }

    /// Whether an [`Announcement`] waits for [`accept_literal`](Self::accept_literal)
    /// or [`reject_literal`](Self::reject_literal).
    pub fn is_awaiting_decision(&self) -> bool {
        matches!(self.phase, Phase::Announced { .. })
    }

    /// The server sent `+`: the announced literal will come. Framing goes on
    /// at the next [`decode`](Self::decode).
    pub fn accept_literal(&mut self) -> Result<(), UsageError> {
        match self.phase {
            Phase::Announced { header, line_end } => {
                self.begin_literal(header, line_end);
                Ok(())
            }
            _ => Err(UsageError::NoAnnouncement),
        }
    }

    /// The server refused the announced literal (tagged `NO` or `BAD`): the
    /// client will not send it, and the message ends here. Its octets are
    /// dropped at the next [`decode`](Self::decode).
    pub fn reject_literal(&mut self) -> Result<(), UsageError> {
        match self.phase {
            Phase::Announced { line_end, .. } => {
                self.phase = Phase::Refused { line_end };
                Ok(())
            }
            _ => Err(UsageError::NoAnnouncement),
        }
    }

    /// Finds the next event in `buf`, or `None` when more input is needed
    /// (or a decision on an announcement).
    ///
    /// Between calls the caller may only append to `buf`: the framer keeps
    /// the message in progress at its front and remembers how far it has
    /// scanned.
    pub fn decode<B: ReceiveBuffer>(&mut self, buf: &mut B) -> Option<FrameEvent> {
        loop {
            match std::mem::replace(&mut self.phase, Phase::Line) {
                Phase::Line => {
                    let data = buf.octets();
                    let len = data.len();
                    let from = self.scanned.min(len);
                    let found = memchr::memchr(b'\n', &data[from..]);
                    let Some(i) = found else {
                        self.examined += (len - from) as u64;
                        self.scanned = len;
                        let max = self.max_line();
                        if len - self.line_start >= max {
                            return Some(self.line_too_long(buf, max));
                        }
                        return None;
                    };
                    self.examined += (i + 1) as u64;
                    if let Some(ev) = self.end_of_line(buf, from + i + 1) {
                        return Some(ev);
                    }
                }
                Phase::Literal { end } => {
                    if buf.octets().len() < end {
                        self.phase = Phase::Literal { end };
                        return None;
                    }
                    self.line_start = end;
                    self.scanned = end;
                }
                Phase::Announced { header, line_end } => {
                    self.phase = Phase::Announced { header, line_end };
                    return None;
                }
                Phase::Refused { line_end } => {
                    self.drop_front(buf, line_end);
                    self.end_message();
                }
                Phase::StreamHead { header, line_end } => {
                    let frame = self.take_piece(buf, line_end, Some(header));
                    self.phase = Phase::Streaming {
                        remaining: header.length,
                        binary: header.binary,
                    };
                    return Some(FrameEvent::Frame(frame));
                }
                Phase::Streaming { remaining, binary } => {
                    let avail = buf.octets().len();
                    if avail == 0 {
                        self.phase = Phase::Streaming { remaining, binary };
                        return None;
                    }
                    let mut n = usize::try_from(remaining).map_or(avail, |r| r.min(avail));
                    // NUL is allowed in literal8 only (RFC 3516 §4.1, RFC 9051
                    // §4.3), streamed or not: the octets before it are handed
                    // out (whatever the chunking), then the rest of the
                    // message is dropped, as for any malformed message.
                    let nul = if binary {
                        None
                    } else {
                        memchr::memchr(0, &buf.octets()[..n])
                    };
                    if let Some(at) = nul.filter(|&at| at > 0) {
                        n = at;
                    } else if let Some(at) = nul {
                        let data = buf.octets();
                        let from = at.saturating_sub(BARE_LF_CONTEXT);
                        let err = DecodeError::new(
                            self.consumed + from as u64,
                            DecodeErrorKind::Syntax,
                            "no NUL in a literal (only in literal8, ~{n})",
                            &data[from..n.min(at + 8)],
                        );
                        self.phase = Phase::SkipLiteral { remaining };
                        return Some(FrameEvent::Error(err));
                    }
                    let chunk = buf.take(n);
                    self.consumed += n as u64;
                    let remaining = remaining - n as u64;
                    self.phase = if remaining == 0 {
                        Phase::StreamEnd
                    } else {
                        Phase::Streaming { remaining, binary }
                    };
                    return Some(FrameEvent::LiteralChunk(chunk));
                }
                Phase::StreamEnd => return Some(FrameEvent::LiteralEnd),
                Phase::SkipLiteral { remaining } => {
                    let avail = buf.octets().len();
                    let n = usize::try_from(remaining).map_or(avail, |r| r.min(avail));
                    self.drop_front(buf, n);
                    let remaining = remaining - n as u64;
                    if remaining > 0 {
                        self.phase = Phase::SkipLiteral { remaining };
                        return None;
                    }
                    self.phase = Phase::SkipLine { tail: Tail::new() };
                }
                Phase::SkipLine { mut tail } => {
                    let data = buf.octets();
                    match memchr::memchr(b'\n', data) {
                        None => {
                            self.examined += data.len() as u64;
                            tail.push(data);
                            let n = data.len();
                            self.drop_front(buf, n);
                            self.phase = Phase::SkipLine { tail };
                            return None;
                        }
                        Some(i) => {
                            self.examined += (i + 1) as u64;
                            tail.push(&data[..=i]);
                            self.drop_front(buf, i + 1);
                            let (content, _) = strip_eol(tail.octets());
                            let (ending, looked) = line_ending(content);
                            self.examined += looked as u64;
                            match ending {
                                Ending::Literal { header, .. } if self.literal_follows(header) => {
                                    self.phase = Phase::SkipLiteral {
                                        remaining: header.length,
                                    };
                                }
                                _ => self.end_message(),
                            }
                        }
                    }
                }
            }
        }
    }

    /// The common case, taken without building a [`Frame`]: a whole
    /// message that is one CRLF-terminated line announcing no literal, at
    /// the front of the buffer. Returns the line and its stream offset;
    /// `None` when [`Framer::decode`] must run (only the scan position has
    /// moved, so no octet is looked at twice).
    pub(crate) fn take_simple_line<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
    ) -> Option<(Bytes, u64)> {
        let (end, offset) = self.claim_simple_line(buf.octets())?;
        Some((buf.take(end), offset))
    }

    /// [`Framer::take_simple_line`] without the taking: returns the line's
    /// length and stream offset, and counts the line as consumed. The
    /// caller must drop those octets from the front of the buffer before
    /// the framer's next call.
    pub(crate) fn claim_simple_line(&mut self, data: &[u8]) -> Option<(usize, u64)> {
        if !matches!(self.phase, Phase::Line) || self.line_start != 0 || !self.first_piece {
            return None;
        }
        let from = self.scanned.min(data.len());
        let Some(i) = memchr::memchr(b'\n', &data[from..]) else {
            self.examined += (data.len() - from) as u64;
            self.scanned = data.len();
            return None;
        };
        let end = from + i + 1;
        let simple = end >= 2
            && data[end - 2] == b'\r'
            && (end < 3 || data[end - 3] != b'}')
            && end <= self.max_line()
            && end <= self.config.limits.max_message_size;
        if !simple {
            // `decode` picks up at the LF.
            self.examined += i as u64;
            self.scanned = end - 1;
            return None;
        }
        // As `decode` counts: the scan, and the look at the line's end.
        self.examined += (i + 2) as u64;
        let offset = self.consumed;
        self.consumed += end as u64;
        self.message_offset = self.consumed;
        self.scanned = 0;
        Some((end, offset))
    }

    /// The longest simple line [`Framer::claim_fresh_line`] takes from a fresh
    /// start: the line limit, and the message size limit.
    #[inline]
    pub(crate) fn simple_line_limit(&self) -> usize {
        self.max_line().min(self.config.limits.max_message_size)
    }

    /// Whether the framer is at the start of a message that is not scanned
    /// yet: a reader that finds a line's end itself may then claim it
    /// with [`Framer::claim_fresh_line`].
    #[inline]
    pub(crate) fn at_fresh_line(&self) -> bool {
        matches!(self.phase, Phase::Line)
            && self.line_start == 0
            && self.first_piece
            && self.scanned == 0
    }

    /// Claims the first `end` octets of the buffer as a simple line (see
    /// [`Framer::claim_simple_line`]) that the caller found and checked
    /// itself: CRLF-terminated, no earlier LF, announcing no literal, at
    /// most [`Framer::simple_line_limit`] octets, with the framer
    /// [at a fresh line](Framer::at_fresh_line).
    #[inline]
    pub(crate) fn claim_fresh_line(&mut self, end: usize) {
        debug_assert!(self.at_fresh_line() && end >= 2 && end <= self.simple_line_limit());
        // As `decode` counts: the scan, and the look at the line's end.
        self.examined += (end + 1) as u64;
        self.consumed += end as u64;
        self.message_offset = self.consumed;
    }

    /// Claims `lines` simple lines of `octets` octets in all at the front
    /// of the buffer, each as [`Framer::claim_fresh_line`] claims one: for
    /// a reader that reads lines in a row and counts them once.
    #[inline]
    pub(crate) fn claim_fresh_lines(&mut self, octets: usize, lines: usize) {
        debug_assert!(self.at_fresh_line() && octets >= 2 * lines);
        self.examined += (octets + lines) as u64;
        self.consumed += octets as u64;
        self.message_offset = self.consumed;
    }

    /// Whether the framer waits for the end of a line that starts a
    /// message, has scanned all `available` octets and is within the line
    /// limit: [`Framer::decode`] would then only return `None`.
    pub(crate) fn waits_for_line_end(&self, available: usize) -> bool {
        matches!(self.phase, Phase::Line)
            && self.line_start == 0
            && self.first_piece
            && self.scanned == available
            && available < self.max_line()
    }

    fn max_line(&self) -> usize {
        self.config.limits.max_line(self.config.side)
    }

    /// Whether the data of an announced literal follows without a `+`.
    fn literal_follows(&self, header: LiteralHeader) -> bool {
        self.config.side == Side::Client || header.mode == LiteralMode::NonSync
    }

    fn drop_front<B: ReceiveBuffer>(&mut self, buf: &mut B, n: usize) {
        buf.skip(n);
        self.consumed += n as u64;
        self.line_start = 0;
        self.scanned = 0;
    }

    fn end_message(&mut self) {
        self.phase = Phase::Line;
        self.message_offset = self.consumed;
        self.first_piece = true;
        self.line_start = 0;
        self.scanned = 0;
        self.literals.clear();
        self.literal_count = 0;
        self.first_line = None;
    }

    fn take_piece<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        end: usize,
        streamed: Option<LiteralHeader>,
    ) -> Frame {
        let offset = self.consumed;
        let data = buf.take(end);
        self.consumed += end as u64;
        let frame = Frame {
            data,
            offset,
            literals: std::mem::take(&mut self.literals),
            first: self.first_piece,
            streamed,
        };
        self.first_piece = false;
        self.line_start = 0;
        self.scanned = 0;
        frame
    }

    /// The line being read grew past the limit before its LF arrived.
    fn line_too_long<B: ReceiveBuffer>(&mut self, buf: &mut B, max: usize) -> FrameEvent {
        let data = buf.octets();
        let line = &data[self.line_start..];
        let err = DecodeError::new(
            self.consumed + self.line_start as u64,
            DecodeErrorKind::LineTooLong { limit: max },
            "a shorter line",
            line,
        );
        let mut tail = Tail::new();
        tail.push(line);
        let n = data.len();
        self.drop_front(buf, n);
        self.phase = Phase::SkipLine { tail };
        FrameEvent::Error(err)
    }

    /// Reports `err` and drops the message so far (`line_end` octets); its
    /// literal, if one follows anyway, is dropped as it arrives.
    fn fail<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        line_end: usize,
        ending: Ending,
        err: DecodeError,
    ) -> FrameEvent {
        self.drop_front(buf, line_end);
        match ending {
            Ending::Literal { header, .. } if self.literal_follows(header) => {
                self.phase = Phase::SkipLiteral {
                    remaining: header.length,
                };
            }
            _ => self.end_message(),
        }
        FrameEvent::Error(err)
    }

    /// A line ends at buffer index `line_end` (after its LF). Returns the
    /// event it produces, or `None` to go on framing.
    fn end_of_line<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        line_end: usize,
    ) -> Option<FrameEvent> {
        let line_start = self.line_start;
        let line_offset = self.consumed + line_start as u64;
        let data = buf.octets();
        let (content, bare_lf) = strip_eol(&data[line_start..line_end]);
        let (ending, looked) = line_ending(content);
        self.examined += looked as u64;
        let limits = &self.config.limits;
        let max = self.max_line();
        let err =
            |kind, expected, found: &[u8]| DecodeError::new(line_offset, kind, expected, found);
        let line_error = if line_end - line_start > max {
            Some(err(
                DecodeErrorKind::LineTooLong { limit: max },
                "a shorter line",
                content,
            ))
        } else if bare_lf && !self.config.allow_bare_lf {
            let from = content.len().saturating_sub(BARE_LF_CONTEXT);
            Some(DecodeError::new(
                line_offset + from as u64,
                DecodeErrorKind::BareLineFeed,
                "CRLF",
                &data[line_start + from..line_end],
            ))
        } else if line_end > limits.max_message_size {
            Some(err(
                DecodeErrorKind::MessageTooLarge {
                    limit: limits.max_message_size,
                },
                "a smaller message",
                content,
            ))
        } else {
            None
        };
        if let Some(e) = line_error {
            return Some(self.fail(buf, line_end, ending, e));
        }
        let (header, at) = match ending {
            Ending::None => {
                let frame = self.take_piece(buf, line_end, None);
                self.end_message();
                return Some(FrameEvent::Frame(frame));
            }
            Ending::Overflow { at } => {
                let e = DecodeError::new(
                    line_offset + at as u64,
                    DecodeErrorKind::LiteralLengthOverflow,
                    "a literal length below 2^64",
                    &content[at..],
                );
                return Some(self.fail(buf, line_end, ending, e));
            }
            Ending::Literal { header, at } => (header, at),
        };
        let announced = &content[at..];
        let literal_error = |kind, expected| {
            Some(DecodeError::new(
                line_offset + at as u64,
                kind,
                expected,
                announced,
            ))
        };
        self.literal_count += 1;
        let threshold = limits.literal_stream_threshold;
        let e = if self.literal_count > limits.max_literals {
            literal_error(
                DecodeErrorKind::TooManyLiterals {
                    limit: limits.max_literals,
                },
                "fewer literals",
            )
        } else if header.length > limits.max_literal_size {
            literal_error(
                DecodeErrorKind::LiteralTooLarge {
                    length: header.length,
                    limit: limits.max_literal_size,
                },
                "a smaller literal",
            )
        } else if let Some(limit) = self.config.non_sync_limit.filter(|&l| {
            self.config.side == Side::Server
                && header.mode == LiteralMode::NonSync
                && header.length > l
        }) {
            literal_error(
                DecodeErrorKind::NonSyncLiteralTooLarge {
                    length: header.length,
                    limit,
                },
                "a synchronizing literal above 4096 octets (LITERAL-)",
            )
        } else if header.length <= threshold
            && (line_end as u64).saturating_add(header.length) > limits.max_message_size as u64
        {
            literal_error(
                DecodeErrorKind::MessageTooLarge {
                    limit: limits.max_message_size,
                },
                "a smaller message",
            )
        } else {
            None
        };
        if let Some(e) = e {
            return Some(self.fail(buf, line_end, ending, e));
        }
        if self.config.side == Side::Server
            && self.first_piece
            && line_start == 0
            && self.first_line.is_none()
        {
            // The first line is copied once per message, for the
            // announcements of this message's synchronizing literals.
            self.first_line = Some(Bytes::copy_from_slice(content));
        }
        if self.config.side == Side::Server && header.mode == LiteralMode::Sync {
            let line = Bytes::copy_from_slice(content);
            let first_line = match &self.first_line {
                Some(f) => f.clone(),
                None => line.clone(),
            };
            self.phase = Phase::Announced { header, line_end };
            return Some(FrameEvent::Announcement(Announcement {
                message_offset: self.message_offset,
                first_line,
                line,
                header,
            }));
        }
        self.begin_literal(header, line_end);
        None
    }

    /// The literal announced by the line ending at `line_end` follows.
    fn begin_literal(&mut self, header: LiteralHeader, line_end: usize) {
        let inline = usize::try_from(header.length)
            .ok()
            .filter(|_| header.length <= self.config.limits.literal_stream_threshold);
        match inline {
            Some(len) => {
                self.literals.push(LiteralSpan {
                    start: line_end,
                    len,
                    header,
                });
                self.phase = Phase::Literal {
                    end: line_end + len,
                };
            }
            None => self.phase = Phase::StreamHead { header, line_end },
        }
    }
}

#[cfg(test)]
mod tests {
    use bytes::BytesMut;

    use super::*;

    /// A framer event with chunking differences removed.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Ev {
        Frame {
            data: Vec<u8>,
            offset: u64,
            literals: Vec<(usize, usize, LiteralHeader)>,
            first: bool,
            last: bool,
        },
        Announce(u64, Vec<u8>, Vec<u8>, LiteralHeader),
        Chunk(Vec<u8>),
        End,
        Error(u64, DecodeErrorKind),
    }

    fn config(side: Side) -> FramerConfig {
        FramerConfig::new(side)
    }

    /// Frames `input` fed in `chunk`-sized reads, accepting every
    /// announcement (or rejecting those whose length is in `reject`).
    fn run(config: FramerConfig, input: &[u8], chunk: usize, reject: &[u64]) -> (Vec<Ev>, Framer) {
        let mut f = Framer::new(config);
        let mut buf = BytesMut::new();
        let mut out: Vec<Ev> = Vec::new();
        let mut pos = 0;
        loop {
            while let Some(ev) = f.decode(&mut buf) {
                let ev = match ev {
                    FrameEvent::Frame(fr) => Ev::Frame {
                        data: fr.bytes().to_vec(),
                        offset: fr.offset(),
                        literals: fr
                            .literals()
                            .iter()
                            .map(|l| (l.start, l.len, l.header))
                            .collect(),
                        first: fr.is_message_start(),
                        last: fr.is_message_end(),
                    },
                    FrameEvent::Announcement(a) => {
                        if reject.contains(&a.header.length) {
                            f.reject_literal().unwrap();
                        } else {
                            f.accept_literal().unwrap();
                        }
                        Ev::Announce(
                            a.message_offset,
                            a.first_line.to_vec(),
                            a.line.to_vec(),
                            a.header,
                        )
                    }
                    FrameEvent::LiteralChunk(c) => {
                        if let Some(Ev::Chunk(prev)) = out.last_mut() {
                            prev.extend_from_slice(&c);
                            continue;
                        }
                        Ev::Chunk(c.to_vec())
                    }
                    FrameEvent::LiteralEnd => Ev::End,
                    FrameEvent::Error(e) => Ev::Error(e.offset, e.kind),
                };
                out.push(ev);
            }
            if pos == input.len() {
                return (out, f);
            }
            let n = chunk.min(input.len() - pos);
            buf.extend_from_slice(&input[pos..pos + n]);
            pos += n;
        }
    }

    fn frame(data: &[u8], offset: u64, literals: &[(usize, usize, LiteralHeader)]) -> Ev {
        Ev::Frame {
            data: data.to_vec(),
            offset,
            literals: literals.to_vec(),
            first: true,
            last: true,
        }
    }

    const fn lit(length: u64, mode: LiteralMode, binary: bool) -> LiteralHeader {
        LiteralHeader {
            length,
            mode,
            binary,
        }
    }
    const SYNC: LiteralMode = LiteralMode::Sync;
    const PLUS: LiteralMode = LiteralMode::NonSync;

    /// Valid single messages: framed whole by every chunking, and every strict
    /// prefix is incomplete.
    #[test]
    fn valid_messages_and_their_prefixes() {
        type Spans = Vec<(usize, usize, LiteralHeader)>;
        let cases: &[(Side, &[u8], Spans)] = &[
            (Side::Client, b"* OK hi\r\n", vec![]),
            (Side::Client, b"+\r\n", vec![]),
            (
                Side::Client,
                b"* 1 FETCH (BODY[] {3}\r\nabc)\r\n",
                vec![(23, 3, lit(3, SYNC, false))],
            ),
            (
                Side::Client,
                b"* 1 FETCH (BINARY[] ~{3}\r\na\0c)\r\n",
                vec![(26, 3, lit(3, SYNC, true))],
            ),
            (
                Side::Client,
                b"* 1 FETCH (BODY[] {0}\r\n)\r\n",
                vec![(23, 0, lit(0, SYNC, false))],
            ),
            (
                Side::Client,
                b"* 1 FETCH (BODY[] {14}\r\n{5}\r\nab\r\n{1}\r\n BODY[1] {2}\r\n\r\n)\r\n",
                vec![(24, 14, lit(14, SYNC, false)), (52, 2, lit(2, SYNC, false))],
            ),
            (Side::Server, b"A1 NOOP\r\n", vec![]),
            (
                Side::Server,
                b"A1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n",
                vec![(15, 5, lit(5, PLUS, false)), (27, 6, lit(6, PLUS, false))],
            ),
            (
                Side::Server,
                b"A1 APPEND x ~{2+}\r\n\0\0\r\n",
                vec![(19, 2, lit(2, PLUS, true))],
            ),
            (
                Side::Server,
                b"A1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n",
                vec![(14, 5, lit(5, SYNC, false)), (25, 6, lit(6, SYNC, false))],
            ),
            (
                Side::Server,
                b"A1 APPEND x ~{1}\r\n\0\r\n",
                vec![(18, 1, lit(1, SYNC, true))],
            ),
            // Not announcements.
            (Side::Server, b"A1 X {}\r\n", vec![]),
            (Side::Server, b"A1 X {+}\r\n", vec![]),
            (Side::Server, b"A1 X {1a}\r\n", vec![]),
            (Side::Server, b"A1 X 5}\r\n", vec![]),
            (Side::Server, b"A1 X {5} \r\n", vec![]),
            (Side::Server, b"DONE\r\n", vec![]),
        ];
        for (side, input, literals) in cases {
            let want = vec![frame(input, 0, literals)];
            for chunk in [1, 2, 3, 7, input.len()] {
                let (evs, f) = run(config(*side), input, chunk, &[]);
                let frames: Vec<Ev> = evs
                    .into_iter()
                    .filter(|e| !matches!(e, Ev::Announce(..)))
                    .collect();
                assert_eq!(
                    frames,
                    want,
                    "{:?} chunk {chunk}",
                    String::from_utf8_lossy(input)
                );
                assert!(f.is_between_messages());
            }
            for cut in 0..input.len() {
                let (evs, f) = run(config(*side), &input[..cut], cut.max(1), &[]);
                assert!(
                    evs.iter().all(|e| matches!(e, Ev::Announce(..))),
                    "prefix {:?}: {evs:?}",
                    String::from_utf8_lossy(&input[..cut])
                );
                assert_eq!(f.offset(), 0);
            }
        }
    }

    #[test]
    fn announcements_carry_tag_line_and_length() {
        let input = b"A1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n";
        let (evs, _) = run(config(Side::Server), input, 1, &[]);
        assert_eq!(
            evs[0],
            Ev::Announce(
                0,
                b"A1 LOGIN {5}".to_vec(),
                b"A1 LOGIN {5}".to_vec(),
                lit(5, SYNC, false)
            )
        );
        assert_eq!(
            evs[1],
            Ev::Announce(
                0,
                b"A1 LOGIN {5}".to_vec(),
                b" {6}".to_vec(),
                lit(6, SYNC, false)
            )
        );
        let mut f = Framer::new(config(Side::Server));
        let mut buf = BytesMut::from(&b"T7 APPEND INBOX {100}\r\n"[..]);
        let Some(FrameEvent::Announcement(a)) = f.decode(&mut buf) else {
            panic!()
        };
        assert_eq!(a.tag(), b"T7");
        assert!(f.is_awaiting_decision());
        // Nothing more until the caller decides.
        buf.extend_from_slice(b"more");
        assert_eq!(f.decode(&mut buf), None);
        assert_eq!(f.decode(&mut buf), None);
    }

    #[test]
    fn server_framing_of_a_sync_literal_waits_for_the_decision() {
        // Without the decision, no literal data is consumed.
        let mut f = Framer::new(config(Side::Server));
        let mut buf = BytesMut::from(&b"A1 LOGIN {5}\r\n"[..]);
        assert!(matches!(
            f.decode(&mut buf),
            Some(FrameEvent::Announcement(_))
        ));
        assert_eq!(f.accept_literal(), Ok(()));
        assert_eq!(f.accept_literal(), Err(UsageError::NoAnnouncement));
        assert_eq!(f.reject_literal(), Err(UsageError::NoAnnouncement));
        assert_eq!(f.decode(&mut buf), None);
    }

    #[test]
    fn rejected_literal_ends_the_message() {
        let input = b"A1 APPEND x {500}\r\nA2 NOOP\r\n";
        let (evs, _) = run(config(Side::Server), input, 1, &[500]);
        assert_eq!(
            evs,
            vec![
                Ev::Announce(
                    0,
                    b"A1 APPEND x {500}".to_vec(),
                    b"A1 APPEND x {500}".to_vec(),
                    lit(500, SYNC, false)
                ),
                frame(b"A2 NOOP\r\n", 19, &[]),
            ]
        );
    }

    #[test]
    fn large_literals_are_streamed() {
        let mut c = config(Side::Client);
        c.limits.literal_stream_threshold = 4;
        let input = b"* 1 FETCH (BODY[] {10}\r\n0123456789 BODY[1] {4}\r\nabcd)\r\n* 2 EXISTS\r\n";
        let want = vec![
            Ev::Frame {
                data: b"* 1 FETCH (BODY[] {10}\r\n".to_vec(),
                offset: 0,
                literals: vec![],
                first: true,
                last: false,
            },
            Ev::Chunk(b"0123456789".to_vec()),
            Ev::End,
            Ev::Frame {
                data: b" BODY[1] {4}\r\nabcd)\r\n".to_vec(),
                offset: 34,
                literals: vec![(14, 4, lit(4, SYNC, false))],
                first: false,
                last: true,
            },
            frame(b"* 2 EXISTS\r\n", 55, &[]),
        ];
        for chunk in [1, 3, 10, input.len()] {
            let (evs, f) = run(c.clone(), input, chunk, &[]);
            assert_eq!(evs, want, "chunk {chunk}");
            assert!(f.is_between_messages());
        }
        // A streamed literal the server accepted.
        let mut c = config(Side::Server);
        c.limits.literal_stream_threshold = 2;
        let (evs, _) = run(c, b"A1 APPEND x {3}\r\nabc\r\n", 1, &[]);
        assert_eq!(evs.len(), 5, "{evs:?}");
        assert_eq!(evs[2], Ev::Chunk(b"abc".to_vec()));
    }

    #[test]
    fn nul_in_a_streamed_literal_drops_the_message_but_not_in_literal8() {
        let mut c = config(Side::Client);
        c.limits.literal_stream_threshold = 4;
        let input = b"* 1 FETCH (BODY[] {6}\r\nab\0def BODY[1] {2}\r\nxy)\r\n* 2 EXISTS\r\n";
        for chunk in [1, 3, input.len()] {
            let (evs, f) = run(c.clone(), input, chunk, &[]);
            assert!(matches!(evs[0], Ev::Frame { first: true, .. }), "{evs:?}");
            let errors: Vec<_> = evs
                .iter()
                .filter(|e| matches!(e, Ev::Error(_, DecodeErrorKind::Syntax)))
                .collect();
            assert_eq!(errors.len(), 1, "chunk {chunk}: {evs:?}");
            assert!(
                !evs.iter()
                    .any(|e| matches!(e, Ev::Chunk(d) if d.contains(&0))),
                "no NUL handed out"
            );
            assert_eq!(evs.last(), Some(&frame(b"* 2 EXISTS\r\n", 48, &[])));
            assert!(f.is_between_messages());
        }
        let input = b"* 1 FETCH (BINARY[] ~{6}\r\nab\0def)\r\n";
        let (evs, _) = run(c, input, 2, &[]);
        let data: Vec<u8> = evs
            .iter()
            .filter_map(|e| match e {
                Ev::Chunk(d) => Some(d.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(data, b"ab\0def", "literal8 may carry NUL: {evs:?}");
    }

    #[test]
    fn overlong_lines_are_skipped() {
        let mut c = config(Side::Server);
        c.limits.max_command_line = 10;
        // Incomplete, then complete, then a good command.
        let input = b"A1 0123456789012345\r\nA2 NOOP\r\nA3 LOGIN 0123456 {3+}\r\nabc\r\nA4 X\r\n";
        for chunk in [1, 5, input.len()] {
            let (evs, _) = run(c.clone(), input, chunk, &[]);
            assert_eq!(
                evs,
                vec![
                    Ev::Error(0, DecodeErrorKind::LineTooLong { limit: 10 }),
                    frame(b"A2 NOOP\r\n", 21, &[]),
                    Ev::Error(30, DecodeErrorKind::LineTooLong { limit: 10 }),
                    frame(b"A4 X\r\n", 58, &[]),
                ],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn bare_lf_is_refused_unless_allowed() {
        let input = b"A1 NOOP\nA2 NOOP\r\n";
        let (evs, _) = run(config(Side::Server), input, 1, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(0, DecodeErrorKind::BareLineFeed),
                frame(b"A2 NOOP\r\n", 8, &[])
            ]
        );
        let mut c = config(Side::Server);
        c.allow_bare_lf = true;
        let (evs, _) = run(c, b"A1 LOGIN {1+}\nx {1}\ny\n", 1, &[]);
        assert_eq!(
            evs[1],
            frame(
                b"A1 LOGIN {1+}\nx {1}\ny\n",
                0,
                &[(14, 1, lit(1, PLUS, false)), (20, 1, lit(1, SYNC, false))]
            )
        );
    }

    #[test]
    fn literal_lengths_are_checked() {
        // 2^64 does not wrap to 0.
        let input = b"* 1 FETCH (BODY[] {18446744073709551616}\r\n* 2 EXISTS\r\n";
        let (evs, _) = run(config(Side::Client), input, 1, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(18, DecodeErrorKind::LiteralLengthOverflow),
                frame(b"* 2 EXISTS\r\n", 42, &[])
            ]
        );
        // Too large, from a server: the data is skipped as it arrives.
        let mut c = config(Side::Client);
        c.limits.max_literal_size = 5;
        let (evs, _) = run(
            c,
            b"* 1 FETCH (BODY[] {6}\r\n{1}\r\n {1}\r\nx)\r\n* 2 EXISTS\r\n",
            1,
            &[],
        );
        assert_eq!(
            evs,
            vec![
                Ev::Error(
                    18,
                    DecodeErrorKind::LiteralTooLarge {
                        length: 6,
                        limit: 5
                    }
                ),
                frame(b"* 2 EXISTS\r\n", 38, &[]),
            ]
        );
        // Too large, sync, from a client: the client waits, the next line is a command.
        let mut c = config(Side::Server);
        c.limits.max_literal_size = 5;
        let (evs, _) = run(c.clone(), b"A1 APPEND x {6}\r\nA2 NOOP\r\n", 1, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(
                    12,
                    DecodeErrorKind::LiteralTooLarge {
                        length: 6,
                        limit: 5
                    }
                ),
                frame(b"A2 NOOP\r\n", 17, &[]),
            ]
        );
        // Too large, non-sync: skipped.
        let (evs, _) = run(c, b"A1 APPEND x {6+}\r\n123456\r\nA2 NOOP\r\n", 1, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(
                    12,
                    DecodeErrorKind::LiteralTooLarge {
                        length: 6,
                        limit: 5
                    }
                ),
                frame(b"A2 NOOP\r\n", 26, &[]),
            ]
        );
    }

    #[test]
    fn literal_minus_limits_non_sync_literals() {
        let mut c = config(Side::Server);
        c.non_sync_limit = Some(4096);
        let mut input = b"A1 APPEND x {4097+}\r\n".to_vec();
        input.extend_from_slice(&[b'x'; 4097]);
        input.extend_from_slice(b"\r\nA2 APPEND x {4096+}\r\n");
        input.extend_from_slice(&[b'y'; 4096]);
        input.extend_from_slice(b"\r\n");
        let (evs, _) = run(c, &input, 1000, &[]);
        assert_eq!(evs.len(), 2);
        assert_eq!(
            evs[0],
            Ev::Error(
                12,
                DecodeErrorKind::NonSyncLiteralTooLarge {
                    length: 4097,
                    limit: 4096
                }
            )
        );
        assert!(matches!(
            &evs[1],
            Ev::Frame {
                offset: 4120,
                first: true,
                last: true,
                ..
            }
        ));
    }

    #[test]
    fn message_and_literal_counts_are_bounded() {
        let mut c = config(Side::Client);
        c.limits.max_literals = 2;
        let input = b"* 1 X {0}\r\n {0}\r\n {0}\r\n {1}\r\nz\r\n* 2 Y\r\n";
        let (evs, _) = run(c, input, 1, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(18, DecodeErrorKind::TooManyLiterals { limit: 2 }),
                frame(b"* 2 Y\r\n", 32, &[])
            ]
        );
        let mut c = config(Side::Client);
        c.limits.max_message_size = 20;
        let input = b"* 1 X {10}\r\n0123456789 {2}\r\nab\r\n* 2 Y\r\n";
        let (evs, _) = run(c, input, 3, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(6, DecodeErrorKind::MessageTooLarge { limit: 20 }),
                frame(b"* 2 Y\r\n", 32, &[])
            ]
        );
    }

    #[test]
    fn an_overlong_line_announcing_a_literal_skips_the_literal() {
        let mut c = config(Side::Client);
        c.limits.max_response_line = 16;
        let input = b"* 1 FETCH (BODY[HEADER] {4}\r\nA1 X)\r\n* 2 Y\r\n";
        for chunk in [1, 4, input.len()] {
            let (evs, _) = run(c.clone(), input, chunk, &[]);
            assert_eq!(
                evs,
                vec![
                    Ev::Error(0, DecodeErrorKind::LineTooLong { limit: 16 }),
                    frame(b"* 2 Y\r\n", 36, &[])
                ]
            );
        }
    }

    #[test]
    fn zero_copy_from_a_shared_buffer() {
        let input = Bytes::from_static(b"* 1 FETCH (BODY[] {3}\r\nabc)\r\n* 2 Y\r\n");
        let mut buf = input.clone();
        let mut f = Framer::new(config(Side::Client));
        let Some(FrameEvent::Frame(fr)) = f.decode(&mut buf) else {
            panic!()
        };
        assert_eq!(fr.bytes().as_ptr(), input.as_ptr());
        let lit = fr.literal_data(&fr.literals()[0]);
        assert_eq!(&lit[..], b"abc");
        assert_eq!(lit.as_ptr(), input[23..].as_ptr());
        let Some(FrameEvent::Frame(fr)) = f.decode(&mut buf) else {
            panic!()
        };
        assert_eq!(fr.offset(), 29);
        assert_eq!(f.decode(&mut buf), None);
    }

    /// 1 MB in 1-byte reads: every octet is looked at a bounded number of
    /// times (counted, not timed).
    #[test]
    fn cost_is_linear_for_one_byte_reads() {
        let mut input = Vec::new();
        let mut n = 0;
        while input.len() < 1_000_000 {
            n += 1;
            input.extend_from_slice(format!("* {n} FETCH (UID {n} BODY[] {{300}}\r\n").as_bytes());
            input.extend_from_slice(&[b'x'; 300]);
            input.extend_from_slice(b" FLAGS (\\Seen))\r\n");
            input.extend_from_slice(&[b'a'; 2000]);
            input.extend_from_slice(b"\r\n");
        }
        let (evs, f) = run(config(Side::Client), &input, 1, &[]);
        assert_eq!(evs.len(), 2 * n);
        assert_eq!(f.offset(), input.len() as u64);
        assert!(
            f.octets_examined() <= input.len() as u64 * 2,
            "{} octets examined for {}",
            f.octets_examined(),
            input.len()
        );
        let (whole, f2) = run(config(Side::Client), &input, input.len(), &[]);
        assert_eq!(whole, evs);
        assert_eq!(f2.octets_examined(), f.octets_examined());
    }
}
