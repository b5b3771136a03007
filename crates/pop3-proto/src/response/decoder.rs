//! The client-side response decoder: single-line answers, multi-line
//! listings and streamed message bodies, given the shape the pending
//! command's answer has. The same place as imap-proto's
//! `response/decoder.rs`.

use bytes::Bytes;

use super::{
    Capability, Language, Positive, Response, ScanListing, StatusLine, StatusText, UniqueIdListing,
    check_response_line, parse_drop_listing, parse_language, parse_ok_text, parse_scan_listing,
    parse_status_line, parse_uid_listing,
};
use crate::codec::{BodyStep, LineReader, ReceiveBuffer, Unstuffer};
use crate::command::{ResponseShape, decode_base64};
use crate::error::{DecodeError, Error};
use crate::limits::Limits;
use crate::types::{Mechanism, Secret, Text};

/// What [`ResponseDecoder::decode`] found: a response, or a piece of a
/// message body. Bodies stream in bounded memory the way imap-proto streams
/// big literals (`BodyChunk` / `BodyEnd` as IMAP's `LiteralChunk` /
/// `LiteralEnd`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseEvent {
    /// A whole response; for [`Positive::Message`], only its first line.
    Response(Response),
    /// Unstuffed octets of a message body (RETR/TOP), with CRLF line endings
    /// as sent.
    BodyChunk(Bytes),
    /// The body ended.
    BodyEnd,
}

impl ResponseEvent {
    /// Whether this item ends the answer to a command (a SASL challenge and
    /// the start or middle of a body do not).
    pub fn is_final(&self) -> bool {
        match self {
            Self::Response(Response::Challenge(_)) => false,
            Self::Response(Response::Ok(Positive::Message(_))) => false,
            Self::Response(_) | Self::BodyEnd => true,
            Self::BodyChunk(_) => false,
        }
    }
}

#[derive(Debug)]
enum Partial {
    /// Waiting for a first line.
    Idle,
    /// Inside a multi-line listing.
    Listing {
        shape: ResponseShape,
        status: StatusText,
        items: Listing,
    },
    /// Inside a body.
    Body(Unstuffer),
    /// The body chunk with `end` was returned; `BodyEnd` is next.
    BodyEnd,
}

/// The entries of a listing in progress, and the memory they hold.
#[derive(Debug)]
struct Listing {
    entries: Entries,
    /// What the entries hold, as [`Limits::max_listing_bytes`] counts it.
    held: usize,
}

#[derive(Debug)]
enum Entries {
    Scan(Vec<ScanListing>),
    Uid(Vec<UniqueIdListing>),
    Capa(Vec<Capability>),
    Lang(Vec<Language>),
    Mech(Vec<Mechanism>),
}

impl Listing {
    fn new(entries: Entries) -> Self {
        Self { entries, held: 0 }
    }

    fn len(&self) -> usize {
        match &self.entries {
            Entries::Scan(v) => v.len(),
            Entries::Uid(v) => v.len(),
            Entries::Capa(v) => v.len(),
            Entries::Lang(v) => v.len(),
            Entries::Mech(v) => v.len(),
        }
    }

    /// Adds an entry if the listing stays within `limit` octets.
    fn push<T: Footprint>(
        held: &mut usize,
        list: &mut Vec<T>,
        entry: T,
        limit: usize,
    ) -> Result<(), DecodeError> {
        let after = held.saturating_add(entry.footprint());
        if after > limit {
            return Err(DecodeError::ListingTooLarge { limit });
        }
        *held = after;
        list.push(entry);
        Ok(())
    }
}

/// What one decoded listing entry holds in memory: its own size, plus the
/// octets of text it owns or keeps alive (text is a `Bytes` slice of the
/// received line, or a copy of it).
trait Footprint {
    fn footprint(&self) -> usize;
}

impl Footprint for ScanListing {
    fn footprint(&self) -> usize {
        size_of::<Self>()
    }
}

impl Footprint for UniqueIdListing {
    fn footprint(&self) -> usize {
        size_of::<Self>() + self.uid.as_bytes().len()
    }
}

impl Footprint for Mechanism {
    fn footprint(&self) -> usize {
        size_of::<Self>() + self.as_str().len()
    }
}

impl Footprint for Language {
    fn footprint(&self) -> usize {
        size_of::<Self>() + self.tag.as_bytes().len() + self.description.as_bytes().len()
    }
}

impl Footprint for Capability {
    fn footprint(&self) -> usize {
        let owned = match self {
            Self::Sasl(mechanisms) => mechanisms.iter().map(Footprint::footprint).sum(),
            Self::Implementation(text) => text.as_bytes().len(),
            Self::Other { tag, params } => {
                tag.as_bytes().len()
                    + params
                        .iter()
                        .map(|p| size_of::<Text>() + p.as_bytes().len())
                        .sum::<usize>()
            }
            _ => 0,
        };
        size_of::<Self>() + owned
    }
}

/// Decodes server responses (client side).
///
/// The caller says, for each call, what shape the answer it waits for has
/// (from the command it sent); the decoder keeps the state of a multi-line
/// answer in progress. Errors are fatal for the connection.
#[derive(Debug)]
pub struct ResponseDecoder {
    lines: LineReader,
    limits: Limits,
    partial: Partial,
    lenient_unique_ids: bool,
}

impl ResponseDecoder {
    /// A decoder with these limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            lines: LineReader::default(),
            limits,
            partial: Partial::Idle,
            lenient_unique_ids: false,
        }
    }

    /// Whether unique-ids that break RFC 1939 §7 the way real servers do
    /// (longer than 70 octets, or followed by more text) are kept, marked
    /// with [`UniqueId::quirk`](crate::UniqueId::quirk), instead of
    /// failing the decode with [`DecodeError::UniqueId`]. Off by default.
    pub fn set_lenient_unique_ids(&mut self, lenient: bool) {
        self.lenient_unique_ids = lenient;
    }

    /// Stream offset of the front of the buffer.
    pub fn offset(&self) -> u64 {
        self.lines.offset()
    }

    /// Whether a multi-line answer is in progress.
    pub fn in_progress(&self) -> bool {
        !matches!(self.partial, Partial::Idle)
    }

    /// Whether the decoder is waiting for more of a body it has buffered (so
    /// the receive buffer may grow past its usual size, up to the threshold).
    pub fn in_body(&self) -> bool {
        matches!(self.partial, Partial::Body(_))
    }

    /// Decodes the next item of an answer of `shape` from `buf`; `None` when
    /// more input is needed.
    pub fn decode<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        shape: ResponseShape,
    ) -> Result<Option<ResponseEvent>, Error> {
        loop {
            match &mut self.partial {
                Partial::Idle => return self.first_line(buf, shape),
                Partial::Body(body) => {
                    let (step, used) = body.decode(buf, self.limits.body_chunk_threshold);
                    self.lines.advance(used);
                    match step {
                        BodyStep::NeedMore => return Ok(None),
                        BodyStep::Chunk { data, end } => {
                            if end {
                                self.partial = Partial::BodyEnd;
                            }
                            if !data.is_empty() {
                                return Ok(Some(ResponseEvent::BodyChunk(data)));
                            }
                        }
                    }
                }
                Partial::BodyEnd => {
                    self.partial = Partial::Idle;
                    return Ok(Some(ResponseEvent::BodyEnd));
                }
                Partial::Listing { .. } => {
                    if let Partial::Listing {
                        shape,
                        status,
                        items,
                    } = std::mem::replace(&mut self.partial, Partial::Idle)
                    {
                        return self.listing(buf, shape, status, items);
                    }
                }
            }
        }
    }

    fn first_line<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        shape: ResponseShape,
    ) -> Result<Option<ResponseEvent>, Error> {
        let offset = self.lines.offset();
        let max = if shape == ResponseShape::Sasl {
            self.limits.max_sasl_line
        } else {
            self.limits.max_response_line
        };
        let line = match self.lines.next_line(buf, max) {
            Ok(Some(line)) => line,
            Ok(None) => return Ok(None),
            Err(error) => return Err(Error::Decode { offset, error }),
        };
        let fail = |error| Error::Decode { offset, error };
        let rest = match parse_status_line(&line.content, shape == ResponseShape::Sasl)
            .map_err(fail)?
        {
            StatusLine::Err(text) => return Ok(Some(ResponseEvent::Response(Response::Err(text)))),
            StatusLine::Challenge(data) => {
                let data = decode_base64(&data).map_err(fail)?;
                return Ok(Some(ResponseEvent::Response(Response::Challenge(
                    Secret::from(data),
                ))));
            }
            StatusLine::Ok(rest) => rest,
        };
        let positive = match shape {
            ResponseShape::Status | ResponseShape::Greeting | ResponseShape::Sasl => {
                Positive::Text(parse_ok_text(rest))
            }
            ResponseShape::Stat => Positive::Stat(parse_drop_listing(&rest).map_err(fail)?),
            ResponseShape::Scan => Positive::Scan(parse_scan_listing(&rest).map_err(fail)?),
            ResponseShape::UniqueId => {
                Positive::UniqueId(parse_uid_listing(&rest, self.lenient_unique_ids).map_err(fail)?)
            }
            ResponseShape::Message => {
                self.partial = Partial::Body(Unstuffer::new());
                Positive::Message(parse_ok_text(rest))
            }
            ResponseShape::ScanListing
            | ResponseShape::UniqueIdListing
            | ResponseShape::Capabilities
            | ResponseShape::Languages
            | ResponseShape::Mechanisms => {
                let items = Listing::new(match shape {
                    ResponseShape::ScanListing => Entries::Scan(Vec::new()),
                    ResponseShape::UniqueIdListing => Entries::Uid(Vec::new()),
                    ResponseShape::Capabilities => Entries::Capa(Vec::new()),
                    ResponseShape::Mechanisms => Entries::Mech(Vec::new()),
                    _ => Entries::Lang(Vec::new()),
                });
                return self.listing(buf, shape, parse_ok_text(rest), items);
            }
        };
        Ok(Some(ResponseEvent::Response(Response::Ok(positive))))
    }

    fn listing<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        shape: ResponseShape,
        status: StatusText,
        mut items: Listing,
    ) -> Result<Option<ResponseEvent>, Error> {
        loop {
            let offset = self.lines.offset();
            let line = match self.lines.next_line(buf, self.limits.max_listing_line) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.partial = Partial::Listing {
                        shape,
                        status,
                        items,
                    };
                    return Ok(None);
                }
                Err(error) => return Err(Error::Decode { offset, error }),
            };
            let fail = |error| Error::Decode { offset, error };
            let mut content = line.content;
            if content.first() == Some(&b'.') {
                if content.len() == 1 {
                    let positive = match items.entries {
                        Entries::Scan(entries) => Positive::ScanListing { status, entries },
                        Entries::Uid(entries) => Positive::UniqueIdListing { status, entries },
                        Entries::Capa(capabilities) => Positive::Capabilities {
                            status,
                            capabilities,
                        },
                        Entries::Lang(languages) => Positive::Languages { status, languages },
                        Entries::Mech(mechanisms) => Positive::Mechanisms { status, mechanisms },
                    };
                    return Ok(Some(ResponseEvent::Response(Response::Ok(positive))));
                }
                content = content.slice(1..);
            }
            check_response_line(&content).map_err(fail)?;
            if items.len() >= self.limits.max_listing_entries {
                return Err(fail(DecodeError::TooManyEntries {
                    limit: self.limits.max_listing_entries,
                }));
            }
            let limit = self.limits.max_listing_bytes;
            let held = &mut items.held;
            match &mut items.entries {
                Entries::Scan(v) => {
                    let entry = parse_scan_listing(&content).map_err(fail)?;
                    Listing::push(held, v, entry, limit).map_err(fail)?;
                }
                Entries::Uid(v) => {
                    let entry =
                        parse_uid_listing(&content, self.lenient_unique_ids).map_err(fail)?;
                    Listing::push(held, v, entry, limit).map_err(fail)?;
                }
                // Some servers send blank lines in CAPA; skip them.
                Entries::Capa(_) if content.iter().all(|&b| b == b' ') => {}
                Entries::Capa(v) => {
                    let entry = Capability::parse(&content).map_err(fail)?;
                    Listing::push(held, v, entry, limit).map_err(fail)?;
                }
                Entries::Lang(v) => {
                    let entry = parse_language(&content).map_err(fail)?;
                    Listing::push(held, v, entry, limit).map_err(fail)?;
                }
                Entries::Mech(v) => {
                    let entry = Mechanism::new(content.trim_ascii()).map_err(|_| {
                        fail(DecodeError::Syntax {
                            expected: "a SASL mechanism name",
                        })
                    })?;
                    Listing::push(held, v, entry, limit).map_err(fail)?;
                }
            }
        }
    }
}
