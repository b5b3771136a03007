//! Borrowed views of the responses a client receives most: status lines,
//! `EXISTS` / `RECENT` / `EXPUNGE`, continuation requests, `LIST` / `LSUB`,
//! and `FETCH` metadata (`UID`, `FLAGS`, `INTERNALDATE`, `RFC822.SIZE`,
//! `ENVELOPE`, `BODY` / `BODYSTRUCTURE`, `MODSEQ`, `X-GM-MSGID`,
//! `X-GM-THRID`).
//!
//! [`ResponseDecoder::decode_view`] reads such a response in place, in the
//! receive buffer: no allocation, no reference count, no copy. Strings are
//! slices of the line ([`Str`]), nested values (envelopes, body structures)
//! are read from a tape of spans the decoder reuses. A view lives until the
//! next call to the decoder; [`ResponseView::to_response`] makes the owned
//! [`Response`] when it must be kept.
//!
//! Views cover the canonical grammar of those responses, written as
//! servers write them: single spaces, quoted strings, 7-bit text. Any other
//! line, and every line that needs a quirk, a literal, a limit check or an
//! error, is read by the full parser and comes out as a
//! [`ViewEvent::Event`], exactly as [`ResponseDecoder::decode`] gives it.
//! So the two entry points agree on every input: a view is the owned
//! response, borrowed.

mod fetch;
mod items;
mod lex;
mod list;
mod status;

use bytes::Bytes;

pub use self::fetch::{
    AddressView, AddressesView, BodyView, EnvelopeView, FetchItemView, FetchItems, FetchView,
    FlagsView, Params, ParamsView,
};
pub(crate) use self::lex::Tape;
pub use self::lex::{NStr, Str};
pub use self::list::ListView;
pub use self::status::{StatusKind, StatusView};

use self::lex::{Lex, is_word};
use self::list::read_list;
use self::status::{ViewCode, read_continue, read_status, status_kind};
use crate::codec::ReceiveBuffer;
use crate::limits::Limits;
use crate::response::{Continue, Data, Response, ResponseDecoder, ResponseEvent, StatusText, Text};
use crate::types::is_tag_char;

/// What [`ResponseDecoder::decode_view`] found.
#[derive(Debug)]
pub enum ViewEvent<'a> {
    /// A whole response, read in place (see [`ResponseView`]).
    View(ResponseView<'a>),
    /// Anything else, as [`ResponseDecoder::decode`] gives it: the
    /// responses views do not cover or that need the full parser, pieces
    /// of streamed literals, and errors. Boxed: these are the rare events
    /// (and the full parser's values allocate anyway), and a small
    /// `ViewEvent` moves cheaply on the path of views.
    Event(Box<ResponseEvent>),
}

/// A response read in place; borrowed from the receive buffer and the
/// decoder until the decoder's next call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ResponseView<'a> {
    /// A status response: `tag OK|NO|BAD ...`, `* OK|NO|BAD|PREAUTH|BYE ...`.
    Status(StatusView<'a>),
    /// `+ text`: a continuation request that is not base64.
    Continue(&'a [u8]),
    /// `* n EXISTS`.
    Exists(u32),
    /// `* n RECENT`.
    Recent(u32),
    /// `* n EXPUNGE`.
    Expunge(u32),
    /// `* n FETCH (...)` with metadata items.
    Fetch(FetchView<'a>),
    /// `* LIST (...) "/" name`.
    List(ListView<'a>),
    /// `* LSUB (...) "/" name`.
    Lsub(ListView<'a>),
}

impl ResponseView<'_> {
    /// The owned response (what [`ResponseDecoder::decode`] gives for the
    /// same octets).
    pub fn to_response(&self) -> Response {
        match self {
            ResponseView::Status(s) => s.to_response(),
            ResponseView::Continue(text) => Response::Continue(Continue::Text(StatusText::new(
                Text::from_checked(Bytes::copy_from_slice(text)),
            ))),
            ResponseView::Exists(n) => Response::Untagged(Data::Exists(*n)),
            ResponseView::Recent(n) => Response::Untagged(Data::Recent(*n)),
            ResponseView::Expunge(n) => Response::Untagged(Data::Expunge(*n)),
            ResponseView::Fetch(f) => Response::Untagged(Data::Fetch {
                seq: f.seq(),
                items: f.to_items(),
            }),
            ResponseView::List(l) => Response::Untagged(Data::List(l.to_list_item())),
            ResponseView::Lsub(l) => Response::Untagged(Data::Lsub(l.to_list_item())),
        }
    }
}

/// A response's shape, found by [`read`] before the view borrows the line
/// (the view is made once the buffer is no longer needed mutably).
/// Positions in the line are 32-bit: views read no longer lines (see
/// [`ResponseDecoder::view_window`]), and a small `Head` moves cheaply.
enum Head {
    Status {
        /// Where the tag ends; `None` for an untagged status.
        tag_end: Option<u32>,
        kind: StatusKind,
        code: Option<ViewCode>,
        text: u32,
    },
    Continue,
    Exists(u32),
    Recent(u32),
    Expunge(u32),
    Fetch(u32),
    List {
        lsub: bool,
        attributes: (u32, u32),
        delimiter: Option<u8>,
        mailbox: (u32, u32, bool),
    },
}

/// A position in a line views read, as the tape and [`Head`] hold it:
/// lines views read are shorter than 4 GiB (see
/// [`ResponseDecoder::view_window`]).
#[inline(always)]
pub(crate) fn pos32(pos: usize) -> u32 {
    debug_assert!(u32::try_from(pos).is_ok());
    pos as u32
}

impl Head {
    #[inline(always)]
    fn view<'a>(self, line: &'a [u8], tape: &'a Tape, utf8: bool) -> ResponseView<'a> {
        let slice = |a: u32, b: usize| line.get(a as usize..b).unwrap_or_default();
        match self {
            Head::Status {
                tag_end,
                kind,
                code,
                text,
            } => ResponseView::Status(StatusView {
                tag: tag_end.map(|end| slice(0, end as usize)),
                kind,
                code,
                text: slice(text, line.len()),
            }),
            Head::Continue => ResponseView::Continue(slice(2, line.len())),
            Head::Exists(n) => ResponseView::Exists(n),
            Head::Recent(n) => ResponseView::Recent(n),
            Head::Expunge(n) => ResponseView::Expunge(n),
            Head::Fetch(seq) => ResponseView::Fetch(FetchView::new(seq, line, &tape.toks)),
            Head::List {
                lsub,
                attributes,
                delimiter,
                mailbox,
            } => {
                let view = ListView {
                    attributes: slice(attributes.0, attributes.1 as usize),
                    delimiter,
                    mailbox: Str::new(slice(mailbox.0, mailbox.1 as usize), mailbox.2),
                    utf8,
                };
                if lsub {
                    ResponseView::Lsub(view)
                } else {
                    ResponseView::List(view)
                }
            }
        }
    }
}

/// Reads the line at the start of `window` if it is a response views
/// cover, in the canonical grammar, through the CRLF that ends it; returns
/// its shape and its length without the CRLF. `None` sends it to the full
/// parser (or `window` holds no whole line). `window` is at most
/// [`ResponseDecoder::view_window`] octets.
///
/// The readers stop at the first octet the grammar does not expect, and
/// take no LF before the line's CRLF, so the line read ends where the
/// framer ends it.
#[inline(always)]
fn read(window: &[u8], tape: &mut Tape, limits: &Limits) -> Option<(Head, usize)> {
    let mut lex = Lex::new(window);
    let head = match lex.peek()? {
        b'+' => read_continue(&mut lex)?,
        b'*' => {
            lex.expect(b'*')?;
            lex.sp()?;
            read_untagged(&mut lex, tape, limits)?
        }
        _ => {
            let tag = lex.take_while(is_tag_char);
            if tag.is_empty() {
                return None;
            }
            let tag_end = pos32(lex.pos());
            lex.sp()?;
            let kind = if lex.eat_written(b"OK") {
                StatusKind::Ok
            } else {
                status_kind(lex.atom()?, true)?
            };
            read_status(&mut lex, kind, Some(tag_end))?
        }
    };
    // The whole line is read (a trailing space is a quirk).
    let len = lex.crlf()?;
    // A line that ends in `}` may announce a literal: the framer decides.
    if window[..len].last() == Some(&b'}') {
        return None;
    }
    Some((head, len))
}

#[inline(always)]
fn read_untagged(lex: &mut Lex<'_>, tape: &mut Tape, limits: &Limits) -> Option<Head> {
    if lex.peek()?.is_ascii_digit() {
        let n = lex.number()?;
        lex.sp()?;
        // As servers write them, with the line's end: one compare of a
        // machine word each.
        let word = lex
            .rest()
            .first_chunk::<8>()
            .map(|w| u64::from_le_bytes(*w));
        let written = |keyword: &[u8; 8]| word == Some(u64::from_le_bytes(*keyword));
        // Up to the CRLF, which `read` takes.
        let head = if written(b"EXISTS\r\n") {
            Some((Head::Exists(n), 6))
        } else if written(b"RECENT\r\n") {
            Some((Head::Recent(n), 6))
        } else if written(b"EXPUNGE\r") {
            Some((Head::Expunge(n), 7))
        } else {
            None
        };
        if let Some((head, len)) = head {
            lex.advance(len);
            return Some(head);
        }
        let name = lex.atom()?;
        return Some(match name.len() {
            6 if is_word(name, b"exists", b"EXISTS") => Head::Exists(n),
            6 if is_word(name, b"recent", b"RECENT") => Head::Recent(n),
            7 if is_word(name, b"expunge", b"EXPUNGE") => Head::Expunge(n),
            5 if is_word(name, b"fetch", b"FETCH") => {
                lex.sp()?;
                tape.clear();
                items::read_items(lex, tape, limits)?;
                Head::Fetch(n)
            }
            _ => return None,
        });
    }
    /// `LIST` or `LSUB` (`true`), or a status.
    enum Untagged {
        List(bool),
        Status(StatusKind),
    }
    let untagged = if lex.eat_written(b"LIST") {
        Untagged::List(false)
    } else if lex.eat_written(b"OK") {
        Untagged::Status(StatusKind::Ok)
    } else {
        let name = lex.atom()?;
        match name.len() {
            4 if is_word(name, b"list", b"LIST") => Untagged::List(false),
            4 if is_word(name, b"lsub", b"LSUB") => Untagged::List(true),
            _ => Untagged::Status(status_kind(name, false)?),
        }
    };
    // Each reader is inlined once: a view's shape then stays in
    // registers (a `Head` returned through memory, written and read back
    // in pieces of other sizes, stalls the load).
    match untagged {
        // The attribute list nests one level (`Limits::max_depth`). Its
        // atoms, delimiter and name are checked as they are read (7-bit
        // octets, no NUL or CR).
        Untagged::List(lsub) if limits.max_depth >= 1 => read_list(lex, lsub),
        Untagged::List(_) => None,
        Untagged::Status(kind) => read_status(lex, kind, None),
    }
}

impl ResponseDecoder {
    /// Like [`ResponseDecoder::decode`], but the responses views cover
    /// come out read in place, as a [`ResponseView`] borrowed from `buf`
    /// and the decoder until the next call. Everything else comes out as
    /// [`ViewEvent::Event`], exactly as `decode` gives it.
    ///
    /// The octets of views stay at the front of `buf` until the decoder
    /// gives something other than a view: `None`, an event, or anything
    /// from [`ResponseDecoder::decode`]. Views in a row are dropped
    /// together, and `buf` holds only octets not yet read whenever the
    /// decoder asks for more. Pass the same buffer each time (or call
    /// [`ResponseDecoder::release`] before switching buffers).
    pub fn decode_view<'b, B: ReceiveBuffer>(
        &'b mut self,
        buf: &'b mut B,
    ) -> Option<ViewEvent<'b>> {
        if self.skipping {
            return self.decode(buf).map(|e| ViewEvent::Event(Box::new(e)));
        }
        // The octets of earlier views are still at the front: dropped
        // together once the decoder gives anything but a view (one buffer
        // update per batch of lines, not per line).
        let pending = self.view_pending.min(buf.octets().len());
        let data = &buf.octets()[pending..];
        if self.framer.at_fresh_line() {
            // Read first: the reader finds the line's end itself (no
            // separate search for the LF), within the framer's limit for a
            // simple line.
            if let Some((head, len)) = self.read_fresh(data, self.view_window()) {
                return Some(self.view(buf, pending, head, len));
            }
            return self.not_a_view(buf, pending);
        } else if let Some((end, offset)) = self.framer.claim_simple_line(data) {
            // A line that came in pieces, whole now.
            let window = &data[..end.min(self.view_window())];
            let limits = &self.framer.config().limits;
            if let Some((head, len)) = read(window, &mut self.view_tape, limits) {
                return Some(self.view(buf, pending, head, len));
            }
            return Some(self.whole_line(buf, end, offset));
        }
        self.decode(buf).map(|e| ViewEvent::Event(Box::new(e)))
    }

    /// Decodes every whole response in `buf`, handing each to `f` in
    /// order, exactly as calling [`ResponseDecoder::decode_view`] until it
    /// gives `None` would: views where they cover the response, events
    /// otherwise. Lines in a row are read with one set-up (the decoder's
    /// state is checked once, not per line), so this is the fastest way
    /// through a read full of short responses. When it returns, `buf`
    /// holds only octets not read yet (the start of a response that is
    /// not whole).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use imap_proto::response::ResponseDecoder;
    /// use imap_proto::view::{ResponseView, ViewEvent};
    ///
    /// let mut decoder = ResponseDecoder::new();
    /// let mut buf = BytesMut::from(&b"* 3 EXISTS\r\n* 1 RECENT\r\nA1 OK done\r\n* 4 EX"[..]);
    /// let mut exists = Vec::new();
    /// decoder.decode_views(&mut buf, |event| {
    ///     if let ViewEvent::View(ResponseView::Exists(n)) = event {
    ///         exists.push(n);
    ///     }
    /// });
    /// assert_eq!(exists, [3]);
    /// assert_eq!(&buf[..], b"* 4 EX");
    /// ```
    pub fn decode_views<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        mut f: impl FnMut(ViewEvent<'_>),
    ) {
        loop {
            let event = if !self.skipping && self.framer.at_fresh_line() {
                // Lines read in a row leave the framer at a fresh line.
                let octets = buf.octets();
                let limit = self.view_window();
                let mut at = self.view_pending.min(octets.len());
                loop {
                    let data = &octets[at..];
                    let Some((head, len)) = self.read_fresh(data, limit) else {
                        break;
                    };
                    at += len + 2;
                    self.view_pending = at;
                    f(ViewEvent::View(head.view(
                        &data[..len],
                        &self.view_tape,
                        self.utf8,
                    )));
                }
                self.not_a_view(buf, at)
            } else {
                self.decode_view(buf)
            };
            match event {
                Some(event) => f(event),
                None => return,
            }
        }
    }

    /// Reads the line at the start of `data`, the framer at a fresh line
    /// (see [`read`]), within `window` octets
    /// ([`ResponseDecoder::view_window`]); a view's line is claimed from
    /// the framer.
    #[inline(always)]
    fn read_fresh(&mut self, data: &[u8], window: usize) -> Option<(Head, usize)> {
        let window = &data[..data.len().min(window)];
        let (head, len) = read(window, &mut self.view_tape, &self.framer.config().limits)?;
        self.framer.claim_fresh_line(len + 2);
        Some((head, len))
    }

    /// The longest line, with its CRLF, views read.
    ///
    /// - The framer's limit for a simple line.
    /// - Two octets per item the item limit allows: a list holds at most
    ///   one item per two octets of its line (an item and a space, or a
    ///   list touching the next). A longer line goes to the full parser,
    ///   which checks the limit (and may refuse the line); and the tape
    ///   holds no more tokens than the limit allows.
    /// - Less than 4 GiB: the tape and [`Head`] hold 32-bit positions.
    #[inline]
    fn view_window(&self) -> usize {
        let items = self.framer.config().limits.max_items;
        self.framer
            .simple_line_limit()
            .min(items.saturating_mul(2).saturating_add(2))
            .min(u32::MAX as usize)
    }

    /// The response at `pending` in `buf`, at a fresh line, that is no
    /// view (or not whole yet): the framer decides.
    fn not_a_view<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        pending: usize,
    ) -> Option<ViewEvent<'static>> {
        let data = &buf.octets()[pending..];
        if let Some((end, offset)) = self.framer.claim_simple_line(data) {
            return Some(self.whole_line(buf, end, offset));
        }
        self.decode(buf).map(|e| ViewEvent::Event(Box::new(e)))
    }

    /// The view of the line of `len` octets (and its CRLF) read at
    /// `pending` in `buf`; its octets stay there until the decoder gives
    /// something other than a view.
    #[inline]
    fn view<'b, B: ReceiveBuffer>(
        &'b mut self,
        buf: &'b B,
        pending: usize,
        head: Head,
        len: usize,
    ) -> ViewEvent<'b> {
        self.view_pending = pending + len + 2;
        let line = &buf.octets()[pending..pending + len];
        ViewEvent::View(head.view(line, &self.view_tape, self.utf8))
    }

    /// The simple line of `end` octets the framer claimed (at the front of
    /// `buf`, after the views' octets), parsed by the full parser.
    fn whole_line<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        end: usize,
        offset: u64,
    ) -> ViewEvent<'static> {
        self.settle(buf);
        let line = buf.take(end);
        ViewEvent::Event(Box::new(self.parse_whole(&line, offset)))
    }

    /// Drops the octets of the views read so far from `buf` now: for a
    /// caller that stops between views and is done with `buf` (it moves
    /// the rest elsewhere, or drops it).
    pub fn release<B: ReceiveBuffer>(&mut self, buf: &mut B) {
        self.settle(buf);
    }

    /// Drops the octets of the views read so far from `buf`.
    pub(crate) fn settle<B: ReceiveBuffer>(&mut self, buf: &mut B) {
        if self.view_pending > 0 {
            // The caller's buffer still holds the views' octets, unless it
            // was swapped for another one: never take more than is there.
            let n = self.view_pending.min(buf.octets().len());
            buf.skip(n);
            self.view_pending = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use bytes::BytesMut;

    use super::ViewEvent;
    use crate::codec::{FramerConfig, Side};
    use crate::parse::Strictness;
    use crate::response::ResponseDecoder;

    /// The tape holds no more tokens than the item limit lets a view line
    /// have: a long line is not read past that, whole or in pieces.
    #[test]
    fn the_tape_stays_within_the_item_limit() {
        let mut config = FramerConfig::new(Side::Client);
        config.limits.max_items = 8;
        let mut line = b"* 1 FETCH (FLAGS (".to_vec();
        for _ in 0..50_000 {
            line.extend_from_slice(b"a ");
        }
        line.extend_from_slice(b"a))\r\n* 2 EXISTS\r\n");
        for read in [line.len(), 1000] {
            let mut d = ResponseDecoder::with_config(config.clone(), Strictness::Lenient);
            let mut buf = BytesMut::new();
            let mut views = 0;
            for piece in line.chunks(read) {
                buf.extend_from_slice(piece);
                while let Some(ev) = d.decode_view(&mut buf) {
                    views += usize::from(matches!(ev, ViewEvent::View(_)));
                }
                assert!(
                    d.view_tape.toks.capacity() <= 64,
                    "{}",
                    d.view_tape.toks.capacity()
                );
            }
            assert_eq!(views, 1, "only the EXISTS line");
        }
    }
}
