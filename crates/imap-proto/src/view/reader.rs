//! [`ViewReader`]: a receive buffer and the decoder that reads views out of
//! it, so that a view can borrow the octets it was read from for exactly as
//! long as they stay put.

use bytes::Bytes;

use super::{Head, Tape, ViewEvent, read};
use crate::codec::{Framer, FramerConfig, Input, ReceiveBuffer};
use crate::parse::Strictness;
use crate::response::ResponseDecoder;

/// Reads server responses out of its own receive buffer, the common ones
/// as views borrowed from it ([`ViewEvent::View`]), everything else as
/// [`ResponseDecoder::decode`] gives it ([`ViewEvent::Event`]).
///
/// Give it the octets received ([`ViewReader::handle_input`], or
/// [`ViewReader::handle_input_bytes`] for a `Bytes` read without a copy),
/// then take the events out: one at a time ([`ViewReader::poll_event`]) or
/// every whole response at once ([`ViewReader::for_each_event`], the
/// fastest way through a read full of short lines). A view borrows the
/// reader, so it cannot be kept past the next input or the next event: the
/// borrow checker refuses
///
/// ```compile_fail
/// # use imap_proto::view::ViewReader;
/// let mut reader = ViewReader::new();
/// reader.handle_input(b"* 1 EXISTS\r\n");
/// let first = reader.poll_event();
/// reader.handle_input(b"* 2 EXISTS\r\n"); // `first` still borrows the reader
/// drop(first);
/// ```
///
/// [`view::ResponseView::to_response`](super::ResponseView::to_response)
/// makes the owned response when one must be kept.
///
/// The octets of views stay in the buffer, unread views in a row, until
/// the reader gives something other than a view (or more input comes):
/// they are dropped together, one buffer update per batch of lines rather
/// than per line.
///
/// ```
/// use imap_proto::view::{ResponseView, ViewEvent, ViewReader};
///
/// let mut reader = ViewReader::new();
/// reader.handle_input(b"* 3 EXISTS\r\n* 1 RECENT\r\nA1 OK done\r\n* 4 EX");
/// let mut exists = Vec::new();
/// reader.for_each_event(|event| {
///     if let ViewEvent::View(ResponseView::Exists(n)) = event {
///         exists.push(n);
///     }
/// });
/// assert_eq!(exists, [3]);
/// assert_eq!(reader.buffered(), 6); // `* 4 EX`, the start of a response
/// reader.handle_input(b"ISTS\r\n");
/// assert!(matches!(
///     reader.poll_event(),
///     Some(ViewEvent::View(ResponseView::Exists(4)))
/// ));
/// assert!(reader.poll_event().is_none());
/// ```
#[derive(Debug)]
pub struct ViewReader {
    views: Views,
    input: Input,
    /// The last call for events stopped for lack of input.
    starved: bool,
}

/// The decoding state, apart from the buffer so that both can be borrowed
/// at once.
#[derive(Debug)]
struct Views {
    decoder: ResponseDecoder,
    /// The tape the last view's nested values are on.
    tape: Tape,
    /// Octets of the views read so far, still at the front of the buffer.
    pending: usize,
}

impl ViewReader {
    /// A reader with default limits, lenient (what [`ResponseDecoder::new`]
    /// is).
    pub fn new() -> Self {
        Self::from_decoder(ResponseDecoder::new())
    }

    /// A reader with these framer settings (the side is forced to
    /// [`Side::Client`](crate::codec::Side::Client)) and strictness, as
    /// [`ResponseDecoder::with_config`].
    pub fn with_config(config: FramerConfig, strictness: Strictness) -> Self {
        Self::from_decoder(ResponseDecoder::with_config(config, strictness))
    }

    fn from_decoder(decoder: ResponseDecoder) -> Self {
        Self {
            views: Views {
                decoder,
                tape: Tape::default(),
                pending: 0,
            },
            input: Input::default(),
            starved: true,
        }
    }

    /// Says whether UTF-8 is in force (see [`ResponseDecoder::set_utf8`]).
    pub fn set_utf8(&mut self, utf8: bool) {
        self.views.decoder.set_utf8(utf8);
    }

    /// Whether UTF-8 is in force (see [`ViewReader::set_utf8`]).
    pub fn is_utf8(&self) -> bool {
        self.views.decoder.is_utf8()
    }

    /// The framer (its offset: octets of the stream read or dropped so
    /// far).
    pub fn framer(&self) -> &Framer {
        self.views.decoder.framer()
    }

    /// Appends a copy of `data`, octets received from the server.
    #[inline]
    pub fn handle_input(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        self.settle();
        self.input.push_slice(data);
        self.starved = false;
    }

    /// Appends `data` without copying it when the reader holds nothing
    /// else: responses are then read straight out of `data` (views borrow
    /// it, literals are slices of it). When the reader still holds the
    /// start of a response, `data` is copied after it.
    #[inline]
    pub fn handle_input_bytes(&mut self, data: Bytes) {
        if data.is_empty() {
            return;
        }
        self.settle();
        self.input.push_bytes(data);
        self.starved = false;
    }

    /// Octets received and not read yet: the start of a response that is
    /// not whole, or responses the caller has not taken out.
    #[inline]
    pub fn buffered(&self) -> usize {
        self.input.len() - self.views.pending.min(self.input.len())
    }

    /// Whether more input should be read: false while the reader holds
    /// [`Limits::max_response_line`](crate::Limits::max_response_line) or
    /// more octets the caller has not taken events out of. Once events
    /// are taken until none is left, it wants input again (the response
    /// in progress may be longer than that, up to the limits the framer
    /// checks).
    #[inline]
    pub fn wants_input(&self) -> bool {
        self.starved
            || self.buffered()
                < self
                    .views
                    .decoder
                    .framer()
                    .config()
                    .limits
                    .max_response_line
    }

    /// The next event: a view of the next response when views cover it,
    /// otherwise what [`ResponseDecoder::decode`] gives; `None` when more
    /// input is needed. The event borrows the reader until it is dropped.
    #[inline]
    pub fn poll_event(&mut self) -> Option<ViewEvent<'_>> {
        let event = if self.input.shared.is_empty() {
            self.views.poll(&mut self.input.owned)
        } else {
            self.views.poll(&mut self.input.shared)
        };
        self.starved = event.is_none();
        event
    }

    /// Hands every event to `f`, in order, exactly as calling
    /// [`ViewReader::poll_event`] until it gives `None` would. Lines in a
    /// row are read with one set-up (the decoder's state is checked once,
    /// not per line), so this is the fastest way through a read full of
    /// short responses. When it returns the reader holds only octets not
    /// read yet (the start of a response that is not whole).
    #[inline]
    pub fn for_each_event(&mut self, f: impl FnMut(ViewEvent<'_>)) {
        if self.input.shared.is_empty() {
            self.views.drain(&mut self.input.owned, f);
        } else {
            self.views.drain(&mut self.input.shared, f);
        }
        self.starved = true;
    }

    /// Drops the octets of the views read so far.
    #[inline]
    fn settle(&mut self) {
        if self.input.shared.is_empty() {
            self.views.settle(&mut self.input.owned);
        } else {
            self.views.settle(&mut self.input.shared);
        }
    }
}

impl Default for ViewReader {
    fn default() -> Self {
        Self::new()
    }
}

impl Views {
    /// The next event in `buf` (see [`ViewReader::poll_event`]).
    fn poll<'b, B: ReceiveBuffer>(&'b mut self, buf: &'b mut B) -> Option<ViewEvent<'b>> {
        if self.decoder.skipping {
            return self.decode(buf);
        }
        // The octets of earlier views are still at the front: dropped
        // together once the reader gives anything but a view (one buffer
        // update per batch of lines, not per line).
        let pending = self.pending.min(buf.octets().len());
        let data = &buf.octets()[pending..];
        let framer = &mut self.decoder.framer;
        if framer.at_fresh_line() {
            // Read first: the reader finds the line's end itself (no
            // separate search for the LF), within the framer's limit for a
            // simple line.
            if let Some((head, len)) = self.read_fresh(data, self.window()) {
                return Some(self.view(buf, pending, head, len));
            }
            return self.not_a_view(buf, pending);
        } else if let Some((end, offset)) = framer.claim_simple_line(data) {
            // A line that came in pieces, whole now.
            let window = &data[..end.min(self.window())];
            let limits = &self.decoder.framer.config().limits;
            if let Some((head, len)) = read(window, &mut self.tape, limits) {
                return Some(self.view(buf, pending, head, len));
            }
            return Some(self.whole_line(buf, end, offset));
        }
        self.decode(buf)
    }

    /// Hands every event in `buf` to `f` (see
    /// [`ViewReader::for_each_event`]).
    #[inline]
    fn drain<B: ReceiveBuffer>(&mut self, buf: &mut B, mut f: impl FnMut(ViewEvent<'_>)) {
        loop {
            let event = if !self.decoder.skipping && self.decoder.framer.at_fresh_line() {
                // Lines read in a row leave the framer at a fresh line;
                // they are claimed from it, and their octets counted as
                // pending, once (when `batch` is dropped, also if `f`
                // panics).
                let octets = buf.octets();
                let limit = self.window();
                let start = self.pending.min(octets.len());
                let mut batch = Batch {
                    views: self,
                    start,
                    at: start,
                    lines: 0,
                };
                loop {
                    let data = &octets[batch.at..];
                    let Some((head, len)) = batch.views.read_line(data, limit) else {
                        break;
                    };
                    batch.at += len + 2;
                    batch.lines += 1;
                    let views = &*batch.views;
                    f(ViewEvent::View(head.view(
                        &data[..len],
                        &views.tape,
                        views.decoder.utf8,
                    )));
                }
                let at = batch.at;
                drop(batch);
                self.not_a_view(buf, at)
            } else {
                self.poll(buf)
            };
            match event {
                Some(event) => f(event),
                None => return,
            }
        }
    }

    /// Reads the line at the start of `data`, the framer at a fresh line
    /// (see [`read`]), within `window` octets ([`Views::window`]); a
    /// view's line is claimed from the framer.
    #[inline(always)]
    fn read_fresh(&mut self, data: &[u8], window: usize) -> Option<(Head, usize)> {
        let (head, len) = self.read_line(data, window)?;
        self.decoder.framer.claim_fresh_line(len + 2);
        Some((head, len))
    }

    /// [`Views::read_fresh`] without the claim.
    #[inline(always)]
    fn read_line(&mut self, data: &[u8], window: usize) -> Option<(Head, usize)> {
        let window = &data[..data.len().min(window)];
        read(window, &mut self.tape, &self.decoder.framer.config().limits)
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
    fn window(&self) -> usize {
        let framer = &self.decoder.framer;
        let items = framer.config().limits.max_items;
        framer
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
        if let Some((end, offset)) = self.decoder.framer.claim_simple_line(data) {
            return Some(self.whole_line(buf, end, offset));
        }
        self.decode(buf)
    }

    /// What [`ResponseDecoder::decode`] gives, once the views' octets are
    /// dropped.
    fn decode<B: ReceiveBuffer>(&mut self, buf: &mut B) -> Option<ViewEvent<'static>> {
        self.settle(buf);
        self.decoder
            .decode(buf)
            .map(|e| ViewEvent::Event(Box::new(e)))
    }

    /// The view of the line of `len` octets (and its CRLF) read at
    /// `pending` in `buf`; its octets stay there until the reader gives
    /// something other than a view.
    #[inline]
    fn view<'b, B: ReceiveBuffer>(
        &'b mut self,
        buf: &'b B,
        pending: usize,
        head: Head,
        len: usize,
    ) -> ViewEvent<'b> {
        self.pending = pending + len + 2;
        let line = &buf.octets()[pending..pending + len];
        ViewEvent::View(head.view(line, &self.tape, self.decoder.utf8))
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
        ViewEvent::Event(Box::new(self.decoder.parse_whole(&line, offset)))
    }

    /// Drops the octets of the views read so far from `buf`.
    #[inline]
    fn settle<B: ReceiveBuffer>(&mut self, buf: &mut B) {
        if self.pending > 0 {
            buf.skip(self.pending.min(buf.octets().len()));
            self.pending = 0;
        }
    }
}

/// Views read in a row by [`Views::drain`]: `lines` lines from `start` to
/// `at` in the buffer, claimed from the framer and counted as pending when
/// dropped.
struct Batch<'v> {
    views: &'v mut Views,
    start: usize,
    at: usize,
    lines: usize,
}

impl Drop for Batch<'_> {
    #[inline]
    fn drop(&mut self) {
        if self.lines > 0 {
            let framer = &mut self.views.decoder.framer;
            framer.claim_fresh_lines(self.at - self.start, self.lines);
            self.views.pending = self.at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Side;

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
            let mut reader = ViewReader::with_config(config.clone(), Strictness::Lenient);
            let mut views = 0;
            for piece in line.chunks(read) {
                reader.handle_input(piece);
                while let Some(ev) = reader.poll_event() {
                    views += usize::from(matches!(ev, ViewEvent::View(_)));
                }
                let capacity = reader.views.tape.toks.capacity();
                assert!(capacity <= 64, "{capacity}");
            }
            assert_eq!(views, 1, "only the EXISTS line");
        }
    }
}
