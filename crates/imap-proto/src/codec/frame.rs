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

mod events;
#[cfg(test)]
mod tests;

pub use self::events::{
    Announcement, Frame, FrameEvent, FramerConfig, LiteralHeader, LiteralMode, LiteralSpan, Side,
};

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
