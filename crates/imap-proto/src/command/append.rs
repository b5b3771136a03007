//! APPEND's messages (RFC 3501 §6.3.11, RFC 9051 §6.3.12): flags, internal
//! date, a literal or a literal8 (BINARY, RFC 3516), `UTF8 (...)` (RFC 6855),
//! CATENATE (RFC 4469), several per command (MULTIAPPEND, RFC 3502).

use bytes::Bytes;

use crate::codec::Frame;
use crate::encode::Writer;
use crate::parse::{Cursor, PResult, values};
use crate::types::{AString, DateTime, Flag};

/// One message of an APPEND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage {
    /// The flag list; `None` when absent (`Some(vec![])` is `()`).
    pub flags: Option<Vec<Flag>>,
    /// The internal date.
    pub date: Option<DateTime>,
    /// The message octets (a slice of the received frame), or how to put
    /// it together (CATENATE).
    pub data: AppendData,
}

/// A literal carrying message octets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiteralData {
    /// The octets (a slice of the received frame).
    pub data: Bytes,
    /// Sent as literal8 (`~{n}`, may contain NUL). Data with NUL is always
    /// encoded as literal8, since a plain literal cannot carry it.
    pub binary: bool,
    /// Wrapped as `UTF8 (literal8)` (UTF8=ACCEPT, RFC 6855 §4): the message
    /// has UTF-8 headers.
    pub utf8: bool,
}

/// What an APPEND message consists of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppendData {
    /// The message itself.
    Literal(LiteralData),
    /// `CATENATE (part ...)` (RFC 4469): at least one part.
    Catenate(Vec<CatPart>),
}

/// A CATENATE part (RFC 4469 §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatPart {
    /// `URL "imap-url"`: a part of an existing message.
    Url(AString),
    /// `TEXT literal`, or `UTF8 (literal8)` (RFC 6855): octets given here.
    Text(LiteralData),
}

impl AppendMessage {
    /// A message without flags or date, sent as a plain literal.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            flags: None,
            date: None,
            data: AppendData::Literal(LiteralData {
                data: data.into(),
                binary: false,
                utf8: false,
            }),
        }
    }

    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let (flags, date) = flags_and_date(c)?;
        let data = if c.eat_keyword(b"CATENATE") {
            c.sp()?;
            let parts = c.list(CatPart::parse)?;
            if parts.is_empty() {
                return Err(c.error("at least one CATENATE part"));
            }
            AppendData::Catenate(parts)
        } else {
            AppendData::Literal(literal_data(c)?)
        };
        Ok(Self { flags, date, data })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        if let Some(f) = &self.flags {
            e.flags(f).sp();
        }
        if let Some(d) = &self.date {
            e.date_time(d).sp();
        }
        match &self.data {
            AppendData::Literal(l) => l.write(e),
            AppendData::Catenate(parts) => {
                e.raw(b"CATENATE ").list(parts, |e, p| match p {
                    CatPart::Url(u) => {
                        e.raw(b"URL ").astring(u);
                    }
                    CatPart::Text(l) => {
                        if !l.utf8 {
                            e.raw(b"TEXT ");
                        }
                        l.write(e);
                    }
                });
            }
        }
    }
}

impl CatPart {
    fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.eat_keyword(b"URL") {
            c.sp()?;
            return Ok(Self::Url(c.astring()?));
        }
        if c.eat_keyword(b"TEXT") {
            c.sp()?;
            let l = literal_data(c)?;
            if l.utf8 {
                return Err(c.error("a literal after TEXT"));
            }
            return Ok(Self::Text(l));
        }
        if c.rest().len() >= 4 && c.rest()[..4].eq_ignore_ascii_case(b"UTF8") {
            return Ok(Self::Text(literal_data(c)?));
        }
        Err(c.error("URL, TEXT or UTF8"))
    }
}

/// `literal` / `literal8` / `UTF8 (literal8)`.
fn literal_data(c: &mut Cursor<'_>) -> PResult<LiteralData> {
    let utf8 = utf8_open(c)?;
    if !c.at_literal() {
        return Err(c.error("a literal with the message"));
    }
    let (data, binary) = c.literal()?;
    if utf8 {
        c.expect(b')', ") closing UTF8 (")?;
    }
    Ok(LiteralData { data, binary, utf8 })
}

impl LiteralData {
    fn write(&self, e: &mut Writer<'_>) {
        if self.utf8 {
            e.raw(b"UTF8 (");
        }
        let mode = e.literal_mode(self.data.len());
        // NUL cannot travel in a plain literal: such data goes as literal8.
        let binary = self.binary || memchr::memchr(0, &self.data).is_some();
        e.literal(&self.data, mode, binary);
        if self.utf8 {
            e.raw(b")");
        }
    }
}

/// `UTF8 (` before a literal (RFC 6855).
fn utf8_open(c: &mut Cursor<'_>) -> PResult<bool> {
    if c.eat_keyword(b"UTF8") {
        c.sp()?;
        c.expect(b'(', "( after UTF8")?;
        Ok(true)
    } else {
        Ok(false)
    }
}

/// The head of an APPEND message whose literal is above the stream threshold:
/// its data follows as [`CommandEvent::LiteralChunk`](super::CommandEvent)s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendHead {
    /// The flag list; `None` when absent.
    pub flags: Option<Vec<Flag>>,
    /// The internal date.
    pub date: Option<DateTime>,
    /// The announced length in octets.
    pub length: u64,
    /// literal8 (`~{n}`).
    pub binary: bool,
    /// Wrapped as `UTF8 (...)`; the `)` follows the literal.
    pub utf8: bool,
}

/// A piece of an APPEND with a streamed message (server side): memory stays
/// bounded by the stream threshold whatever the message size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppendPiece {
    /// The command starts: tag, mailbox, the messages before the streamed
    /// one (MULTIAPPEND; kept whole), and the streamed message's head.
    Start {
        /// The tag.
        tag: crate::types::Tag,
        /// The mailbox.
        mailbox: super::Mailbox,
        /// Messages kept whole before the streamed one.
        before: Vec<AppendMessage>,
        /// The streamed message.
        next: AppendHead,
    },
    /// After a streamed literal: more messages kept whole, and the next
    /// streamed one, or `None` when the command is complete.
    Continue {
        /// Messages kept whole.
        messages: Vec<AppendMessage>,
        /// The next streamed message.
        next: Option<AppendHead>,
    },
}

/// Whether the rest of the piece is just the streamed literal's announcement.
fn at_streamed_header(rest: &[u8]) -> bool {
    let r = rest.strip_prefix(b"~").unwrap_or(rest);
    let Some(r) = r.strip_prefix(b"{") else {
        return false;
    };
    let Some(close) = memchr::memchr(b'}', r) else {
        return false;
    };
    matches!(&r[close + 1..], b"\r\n" | b"\n")
}

/// Reads messages up to the end of the piece: kept messages, then either a
/// streamed head (the piece ends with its announcement) or the line end.
/// The optional flag list and date-time before an APPEND message, each
/// followed by a space.
fn flags_and_date(c: &mut Cursor<'_>) -> PResult<(Option<Vec<Flag>>, Option<DateTime>)> {
    let flags = if c.peek() == Some(b'(') {
        let f = c.list(values::flag)?;
        c.sp()?;
        Some(f)
    } else {
        None
    };
    let date = if c.peek() == Some(b'"') {
        let d = DateTime::parse(c)?;
        c.sp()?;
        Some(d)
    } else {
        None
    };
    Ok((flags, date))
}

fn messages_until_stream(
    c: &mut Cursor<'_>,
    streamed: Option<crate::codec::LiteralHeader>,
    mut first: bool,
    close_utf8: bool,
) -> PResult<(Vec<AppendMessage>, Option<AppendHead>)> {
    let mut kept = Vec::new();
    if close_utf8 {
        c.expect(b')', ") closing UTF8 (")?;
    }
    loop {
        if !first && c.at_line_end() {
            c.finish()?;
            return Ok((kept, None));
        }
        first = false;
        c.sp()?;
        let (flags, date) = flags_and_date(c)?;
        let utf8 = utf8_open(c)?;
        if let Some(h) = streamed.filter(|_| at_streamed_header(c.rest())) {
            return Ok((
                kept,
                Some(AppendHead {
                    flags,
                    date,
                    length: h.length,
                    binary: h.binary,
                    utf8,
                }),
            ));
        }
        if !c.at_literal() {
            return Err(c.error("a literal with the message"));
        }
        let (data, binary) = c.literal()?;
        if utf8 {
            c.expect(b')', ") closing UTF8 (")?;
        }
        kept.push(AppendMessage {
            flags,
            date,
            data: AppendData::Literal(LiteralData { data, binary, utf8 }),
        });
    }
}

impl AppendPiece {
    /// Parses the first piece of a streamed message (`frame` starts the
    /// message and ends with the announcement of the streamed literal).
    pub(crate) fn parse_start(c: &mut Cursor<'_>, frame: &Frame) -> PResult<Self> {
        let tag = c.tag()?;
        let tag = crate::types::Tag::new(tag).map_err(|_| c.error("a tag"))?;
        c.sp()?;
        c.expect_keyword(b"APPEND", "APPEND")?;
        c.sp()?;
        let mailbox = c.astring()?;
        let (before, next) = messages_until_stream(c, frame.streamed_literal(), true, false)?;
        match next {
            Some(next) => Ok(Self::Start {
                tag,
                mailbox,
                before,
                next,
            }),
            None => Err(c.error("a streamed literal")),
        }
    }

    /// Parses a piece that follows a streamed literal.
    pub(crate) fn parse_continue(
        c: &mut Cursor<'_>,
        frame: &Frame,
        close_utf8: bool,
    ) -> PResult<Self> {
        let (messages, next) =
            messages_until_stream(c, frame.streamed_literal(), false, close_utf8)?;
        Ok(Self::Continue { messages, next })
    }
}
