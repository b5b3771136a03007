//! Borrowed views of the responses a client receives most: status lines,
//! `EXISTS` / `RECENT` / `EXPUNGE`, continuation requests, `LIST` / `LSUB`,
//! and `FETCH` metadata (`UID`, `FLAGS`, `INTERNALDATE`, `RFC822.SIZE`,
//! `ENVELOPE`, `BODY` / `BODYSTRUCTURE`, `MODSEQ`, `X-GM-MSGID`,
//! `X-GM-THRID`).
//!
//! A [`ViewReader`] owns its receive buffer and reads such a response in
//! place, in that buffer: no allocation, no reference count, no copy.
//! Strings are slices of the line ([`Str`]), nested values (envelopes,
//! body structures) are read from a tape of spans the reader reuses. A
//! view borrows the reader, so it lives until the next call to it (the
//! borrow checker sees to that); [`ResponseView::to_response`] makes the
//! owned [`Response`] when it must be kept.
//!
//! Views cover the canonical grammar of those responses, written as
//! servers write them: single spaces, quoted strings, 7-bit text. Any other
//! line, and every line that needs a quirk, a literal, a limit check or an
//! error, is read by the full parser and comes out as a
//! [`ViewEvent::Event`], exactly as [`ResponseDecoder::decode`] gives it.
//! So the reader and the decoder agree on every input: a view is the owned
//! response, borrowed.

mod fetch;
mod items;
mod lex;
mod list;
mod reader;
mod status;

use bytes::Bytes;

pub use self::fetch::{
    AddressView, AddressesView, BodyView, EnvelopeView, FetchItemView, FetchItems, FetchView,
    FlagsView, Params, ParamsView,
};
pub use self::lex::{NStr, Str};
pub use self::list::ListView;
pub use self::reader::ViewReader;
pub use self::status::{StatusKind, StatusView};

use self::lex::{Lex, Tape, is_word};
use self::list::read_list;
use self::status::{ViewCode, read_continue, read_status, status_kind};
use crate::limits::Limits;
#[cfg(doc)]
use crate::response::ResponseDecoder;
use crate::response::{Continue, Data, Response, ResponseEvent, StatusText, Text};
use crate::types::is_tag_char;

/// What [`ViewReader::poll_event`] found.
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

/// A response read in place; borrowed from the [`ViewReader`] (its
/// receive buffer and tape) until the reader's next call.
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
/// [`ViewReader`]'s window), and a small `Head` moves cheaply.
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
/// [`ViewReader`]'s window).
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
/// [`ViewReader`]'s window octets.
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
