//! Sans-IO IMAP codec (IMAP4rev1, RFC 3501, and IMAP4rev2, RFC 9051, with
//! the common extensions): framing, typed commands and responses, their
//! parsers and encoders, and a capture inspector. The session state machines
//! come next.
//!
//! Nothing here does IO, reads a clock or spawns a task. The crate follows
//! the same contract as `pop3-proto` (see `DESIGN.md`): frame first, parse
//! once; a scan that resumes where it stopped, so the cost is linear however
//! the bytes arrive; payloads handed out as `Bytes` slices of the receive
//! buffer; large literals streamed in bounded memory; typed errors that say
//! where and why; secure [`Limits`].
//!
//! # What exists
//!
//! - [`codec::Framer`]: splits a byte stream into IMAP messages, a line plus
//!   the literals it announces (`{n}`, `{n+}`, `~{n}`, `~{n+}`) and the lines
//!   continuing after them. Whole messages come out as one `Bytes` with the
//!   position of each literal recorded; literals above
//!   [`Limits::literal_stream_threshold`] come out as start / chunks / end.
//!   On the server side a synchronizing literal is announced
//!   ([`codec::FrameEvent::Announcement`]) before its data arrives, so the
//!   server answers `+` or refuses it. A malformed message is reported
//!   ([`DecodeError`] with offset, escaped octets and what was expected) and
//!   skipped at its boundary; framing continues with the next one.
//! - [`types`]: values that cannot be unsendable: [`types::Tag`],
//!   [`types::Atom`], [`types::IString`] / [`types::AString`] /
//!   [`types::NString`] with [`types::StringKind::choose`] (atom, quoted,
//!   literal, LITERAL+ / LITERAL-), [`types::Flag`] and [`types::Keyword`]
//!   (a keyword a server sent with `]` in it is kept, marked, and echoed
//!   back as received), [`types::SequenceSet`] (ranges, never expanded),
//!   [`types::MailboxName`] with modified UTF-7 ([`types::utf7`]) or UTF-8
//!   and case-insensitive `INBOX`.
//! - NUL: refused in quoted strings and plain literals, kept or streamed,
//!   allowed in literal8 (`~{n}`, RFC 3516). UTF-8: after UTF8=ACCEPT is
//!   enabled or on IMAP4rev2 tell the decoders
//!   ([`ResponseDecoder::set_utf8`], [`CommandDecoder::set_utf8`]); mailbox
//!   names are then read as UTF-8 and 8-bit quoted strings are no quirk.
//! - [`parse`]: the lexical reader ([`parse::Cursor`]) the grammar is built
//!   on, lenient by default, recording the [`Quirk`]s real peers
//!   commit; [`parse::Strictness::Strict`] refuses them.
//! - [`command`]: [`Command`] for every command of RFC 3501 / 9051 and the
//!   extensions (with AUTHENTICATE data lines and IDLE's DONE), parsed from
//!   frames by [`CommandDecoder`] (server side, literal announcements passed
//!   through), encoded into [`command::Fragment`]s that show where a client
//!   must wait for a continuation (atom / quoted / literal / LITERAL+ /
//!   LITERAL- chosen from content and capabilities).
//! - [`response`]: [`Response`] for every server response of RFC 3501 / 9051
//!   and the extensions (unknown codes, capabilities and FETCH items kept),
//!   decoded by [`ResponseDecoder`] (client side; large FETCH literals
//!   stream), encoded canonically.
//! - [`EncodeOptions`]: what the peer accepts (LITERAL+ / LITERAL-, UTF-8),
//!   one set of options for the command and the response encoder.
//! - [`view`]: the responses a client receives most (status lines,
//!   `EXISTS` / `EXPUNGE`, `LIST`, FETCH metadata with `ENVELOPE` and
//!   `BODYSTRUCTURE`) read in place by a [`view::ViewReader`], which owns
//!   its receive buffer: strings are slices of that buffer (or of the
//!   `Bytes` handed over), nested values sit on a tape the reader reuses, nothing is allocated or reference-counted. Lines
//!   outside the canonical grammar go to the full parser, so a view is
//!   always exactly the owned response ([`view::ResponseView::to_response`]).
//! - [`inspect`]: decodes a captured session direction by direction and
//!   round-trips every message (`mailctl inspect imap`).
//! - [`Limits`]: every bound on peer input, each with its unit, default and
//!   reason.
//!
//! # Still to come
//!
//! - The sessions: `ClientSession` / `ServerSession` state machines
//!   (`handle_input`, `poll_event`, `poll_transmit`), tag correlation, IDLE,
//!   AUTHENTICATE, STARTTLS with injection detection, and `inspect` as a
//!   lockstep replay through both.
//!
//! # Example: a client decodes responses
//!
//! [`ResponseDecoder::decode`] takes responses off the front of the
//! receive buffer as owned [`Response`]s (their strings and literals are
//! `Bytes` slices of the buffer, not copies), with the [`parse::Quirk`]s a
//! lenient read tolerated. A malformed response is an error event and is
//! skipped; decoding goes on with the next one.
//!
//! ```
//! use bytes::BytesMut;
//! use imap_proto::response::{Data, FetchItem};
//! use imap_proto::{Response, ResponseDecoder, ResponseEvent};
//!
//! let mut decoder = ResponseDecoder::new();
//! // The receive buffer the socket is read into.
//! let mut buf = BytesMut::from(
//!     &b"* 2 EXISTS\r\n* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\nA1 OK done\r\n"[..],
//! );
//! let mut responses = Vec::new();
//! while let Some(event) = decoder.decode(&mut buf) {
//!     match event {
//!         ResponseEvent::Response { response, quirks } => {
//!             assert!(quirks.is_empty());
//!             responses.push(response);
//!         }
//!         // A malformed response, skipped.
//!         ResponseEvent::Error(e) => eprintln!("{e}"),
//!         // The pieces of a FETCH literal above the stream threshold.
//!         _ => {}
//!     }
//! }
//! assert_eq!(responses[0], Response::Untagged(Data::Exists(2)));
//! let Response::Untagged(Data::Fetch { seq: 1, items }) = &responses[1] else { panic!() };
//! assert_eq!(items[0], FetchItem::Uid(7));
//! assert_eq!(responses[2].tag().map(|t| t.as_str()), Some("A1"));
//! // Written back canonically.
//! assert_eq!(responses[2].to_bytes(), b"A1 OK done\r\n");
//! ```
//!
//! # Example: a server frames an APPEND
//!
//! ```
//! use bytes::BytesMut;
//! use imap_proto::codec::{FrameEvent, Framer, FramerConfig, Side};
//!
//! let mut framer = Framer::new(FramerConfig::new(Side::Server));
//! let mut buf = BytesMut::from(&b"A1 APPEND INBOX {11}\r\n"[..]);
//!
//! // The client waits for `+`: the server hears of the literal first.
//! let Some(FrameEvent::Announcement(a)) = framer.decode(&mut buf) else { panic!() };
//! assert_eq!((a.tag(), a.header.length), (&b"A1"[..], 11));
//! framer.accept_literal().unwrap(); // after sending "+ Ready\r\n"
//!
//! buf.extend_from_slice(b"Hello World\r\nA2 NOOP\r\n");
//! let Some(FrameEvent::Frame(append)) = framer.decode(&mut buf) else { panic!() };
//! assert!(append.is_complete());
//! let literal = &append.literals()[0];
//! assert_eq!(&append.literal_data(literal)[..], b"Hello World");
//!
//! let Some(FrameEvent::Frame(noop)) = framer.decode(&mut buf) else { panic!() };
//! assert_eq!(&noop.bytes()[..], b"A2 NOOP\r\n");
//! assert_eq!(noop.offset(), 35);
//! assert_eq!(framer.decode(&mut buf), None);
//! ```
//!
//! # Views: the common responses read in place
//!
//! A client spends most of its decoding on a few responses: status lines,
//! `EXISTS` / `EXPUNGE`, `LIST`, and FETCH metadata. A
//! [`view::ViewReader`] reads those in place, in its own receive buffer,
//! without allocating; every other response, and every line outside the
//! canonical grammar, comes out exactly as [`ResponseDecoder::decode`]
//! gives it. On the bench traces (`cargo xtask bench`, and
//! `benches/examples/imap_profile.rs`) that is about 5 times as fast as
//! owned decoding for the FETCH dump and the status lines, and about 8
//! times for the `LIST` answer (with a third to a sixth of the
//! instructions).
//!
//! The reader owns the buffer, and an event borrows the reader: a view
//! cannot outlive the next input, and the compiler checks it.
//! [`view::ResponseView::to_response`] makes the owned response when one
//! must be kept. [`view::ViewReader::for_each_event`] hands every whole
//! response of a read to a closure in one call, the fastest way through
//! reads full of short lines.
//!
//! ```
//! use imap_proto::view::{FetchItemView, ResponseView, ViewEvent, ViewReader};
//!
//! let mut reader = ViewReader::new();
//! reader.handle_input(
//!     b"* 1 FETCH (UID 7 ENVELOPE (NIL \"Hi\" ((\"Ann\" NIL \"ann\" \"example.com\")) \
//!       NIL NIL NIL NIL NIL NIL NIL))\r\nA1 OK done\r\n",
//! );
//! let mut subjects = Vec::new();
//! while let Some(event) = reader.poll_event() {
//!     match event {
//!         ViewEvent::View(ResponseView::Fetch(fetch)) => {
//!             for item in fetch.items() {
//!                 if let FetchItemView::Envelope(envelope) = item {
//!                     // Borrowed from the reader: copy what must outlive the event.
//!                     let subject = envelope.subject().map(|s| s.to_str().into_owned());
//!                     subjects.push(subject);
//!                 }
//!             }
//!         }
//!         ViewEvent::View(ResponseView::Status(status)) => assert_eq!(status.tag(), Some("A1")),
//!         ViewEvent::View(other) => println!("{:?}", other.to_response()),
//!         // Everything views do not cover, exactly as `decode` gives it.
//!         ViewEvent::Event(event) => println!("{event:?}"),
//!     }
//! }
//! assert_eq!(subjects, [Some("Hi".to_owned())]);
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod codec;
pub mod command;
mod encode;
mod error;
pub mod inspect;
mod limits;
pub mod parse;
mod quirk;
pub mod response;
pub mod types;
pub mod view;

pub use command::{Command, CommandBody, CommandDecoder, CommandEvent};
pub use encode::{EncodeOptions, Fragment};
pub use error::{DecodeError, DecodeErrorKind, Snippet, UsageError, ValueError};
pub use limits::Limits;
pub use quirk::{Quirk, UnknownQuirk};
pub use response::{Response, ResponseDecoder, ResponseEvent};
pub use types::Secret;
