//! [`ResponseDecoder`]: the framer (client side) and the response parser
//! coupled, with FETCH literals above the stream threshold handed out in
//! pieces.

use bytes::Bytes;

use super::{FetchItem, Response, StreamedLiteral, fetch};
use crate::codec::{FrameEvent, Framer, FramerConfig, ReceiveBuffer, Side};
use crate::error::DecodeError;
use crate::parse::{Cursor, Quirk, Strictness};

/// What [`ResponseDecoder::decode`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseEvent {
    /// A parsed response and the quirks it showed.
    Response {
        /// The response.
        response: Response,
        /// Deviations tolerated (empty when it followed the grammar).
        quirks: Vec<Quirk>,
    },
    /// A malformed message, skipped; decoding goes on with the next one.
    Error(DecodeError),
    /// The start of a FETCH response with a literal larger than
    /// [`Limits::literal_stream_threshold`](crate::Limits::literal_stream_threshold): the items before it, and which
    /// item the literal belongs to. [`ResponseEvent::LiteralChunk`]s and a
    /// [`ResponseEvent::LiteralEnd`] follow, then a
    /// [`ResponseEvent::FetchRest`].
    FetchStart {
        /// The message sequence number.
        seq: u32,
        /// The items before the streamed one.
        items: Vec<FetchItem>,
        /// The streamed item and its length.
        literal: StreamedLiteral,
        /// Deviations tolerated so far.
        quirks: Vec<Quirk>,
    },
    /// Data of a streamed literal (a slice of the receive buffer).
    LiteralChunk(Bytes),
    /// The streamed literal is complete.
    LiteralEnd,
    /// The items after a streamed literal. When `literal` is `Some`, another
    /// streamed literal follows (chunks, end, then another `FetchRest`);
    /// otherwise the FETCH response is complete.
    FetchRest {
        /// The items after the streamed one.
        items: Vec<FetchItem>,
        /// The next streamed literal, if any.
        literal: Option<StreamedLiteral>,
        /// Deviations tolerated in this piece.
        quirks: Vec<Quirk>,
    },
}

/// Decodes a stream of server responses: the [`Framer`] (client side)
/// finds each message, the parser reads it.
///
/// A FETCH literal larger than [`Limits::literal_stream_threshold`](crate::Limits::literal_stream_threshold) comes
/// out as [`ResponseEvent::FetchStart`], chunks, [`ResponseEvent::LiteralEnd`]
/// and [`ResponseEvent::FetchRest`], so memory stays bounded; any other
/// response with such a literal is reported as an error and skipped.
#[derive(Debug)]
pub struct ResponseDecoder {
    pub(crate) framer: Framer,
    strictness: Strictness,
    pub(crate) utf8: bool,
    /// Dropping the rest of a streamed message that could not be parsed.
    pub(crate) skipping: bool,
}

impl ResponseDecoder {
    /// A decoder with default limits, lenient.
    pub fn new() -> Self {
        Self::with_config(FramerConfig::new(Side::Client), Strictness::Lenient)
    }

    /// A decoder with these framer settings (the side is forced to
    /// [`Side::Client`]) and strictness.
    pub fn with_config(mut config: FramerConfig, strictness: Strictness) -> Self {
        config.side = Side::Client;
        Self {
            framer: Framer::new(config),
            strictness,
            skipping: false,
            utf8: false,
        }
    }

    /// Says whether UTF-8 is in force: once the server accepted `ENABLE
    /// UTF8=ACCEPT` (its `* ENABLED UTF8=ACCEPT`, RFC 6855 §3), or from the
    /// start on an IMAP4rev2 connection (RFC 9051 §5.1). Off by default.
    /// While on, mailbox names are read as UTF-8 rather than modified UTF-7
    /// (`Entw&APw-rfe` is then that text; `Entwürfe` comes as is).
    /// Encode for such a connection with [`EncodeOptions::utf8`](super::EncodeOptions::utf8).
    pub fn set_utf8(&mut self, utf8: bool) {
        self.utf8 = utf8;
    }

    /// Whether UTF-8 is in force (see [`ResponseDecoder::set_utf8`]).
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// The framer (its offset, whether it is between messages).
    pub fn framer(&self) -> &Framer {
        &self.framer
    }

    /// Finds the next response (or piece of a streamed one) in `buf`;
    /// `None` when more input is needed.
    pub fn decode<B: ReceiveBuffer>(&mut self, buf: &mut B) -> Option<ResponseEvent> {
        // Most responses are one line: no frame to build.
        if !self.skipping
            && let Some((line, offset)) = self.framer.take_simple_line(buf)
        {
            return Some(self.parse_whole(&line, offset));
        }
        if self.framer.waits_for_line_end(buf.octets().len()) {
            return None;
        }
        loop {
            let ev = self.framer.decode(buf)?;
            if self.skipping {
                match &ev {
                    // The framer drops the rest of a message it refuses.
                    FrameEvent::Error(_) => self.skipping = false,
                    FrameEvent::Frame(f) => {
                        self.skipping = !f.is_message_end();
                        continue;
                    }
                    _ => continue,
                }
            }
            let limits = &self.framer.config().limits;
            return Some(match ev {
                FrameEvent::Frame(f) if f.is_complete() => self.parse_whole(f.bytes(), f.offset()),
                FrameEvent::Frame(f) => {
                    let mut c = Cursor::new(&f, limits, self.strictness);
                    let r = if f.is_message_start() {
                        fetch::parse_stream_head(&mut c, f.bytes()).map(|(seq, items, literal)| {
                            ResponseEvent::FetchStart {
                                seq,
                                items,
                                literal,
                                quirks: c.quirks().to_vec(),
                            }
                        })
                    } else {
                        fetch::parse_stream_tail(&mut c, f.bytes(), !f.is_message_end()).map(
                            |(items, literal)| ResponseEvent::FetchRest {
                                items,
                                literal,
                                quirks: c.quirks().to_vec(),
                            },
                        )
                    };
                    match r {
                        Ok(ev) => ev,
                        Err(e) => {
                            self.skipping = !f.is_message_end();
                            ResponseEvent::Error(e.into())
                        }
                    }
                }
                FrameEvent::LiteralChunk(b) => ResponseEvent::LiteralChunk(b),
                FrameEvent::LiteralEnd => ResponseEvent::LiteralEnd,
                FrameEvent::Error(e) => ResponseEvent::Error(e),
                FrameEvent::Announcement(_) => continue,
            });
        }
    }
}

impl ResponseDecoder {
    /// Parses a whole response (a line, or a frame with its literals)
    /// taken off the buffer.
    pub(crate) fn parse_whole(&self, line: &Bytes, offset: u64) -> ResponseEvent {
        let limits = &self.framer.config().limits;
        match Response::parse_bytes_utf8(line, offset, limits, self.strictness, self.utf8) {
            Ok((response, quirks)) => ResponseEvent::Response { response, quirks },
            Err(e) => ResponseEvent::Error(e),
        }
    }
}

impl Default for ResponseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_lf_is_a_quirk_when_the_framer_allows_it() {
        let mut config = FramerConfig::new(Side::Client);
        config.allow_bare_lf = true;
        let mut d = ResponseDecoder::with_config(config, Strictness::Lenient);
        let mut buf = Bytes::from_static(b"* OK hi\nA1 OK done\r\n");
        let Some(ResponseEvent::Response { quirks, .. }) = d.decode(&mut buf) else {
            panic!()
        };
        assert_eq!(quirks, [Quirk::BareLf]);
        assert!(matches!(
            d.decode(&mut buf),
            Some(ResponseEvent::Response { ref quirks, .. }) if quirks.is_empty()
        ));
        let mut strict = ResponseDecoder::with_config(
            {
                let mut c = FramerConfig::new(Side::Client);
                c.allow_bare_lf = true;
                c
            },
            Strictness::Strict,
        );
        let mut buf = Bytes::from_static(b"* OK hi\n");
        assert!(matches!(
            strict.decode(&mut buf),
            Some(ResponseEvent::Error(_))
        ));
    }
}
