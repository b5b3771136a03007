//! The codec layer: framing (lines, dot-stuffed bodies) and the receive
//! buffer, with no session state beyond what framing needs. The decoders
//! built on it sit beside what they decode, as in imap-proto:
//!
//! - [`CommandDecoder`] (server side, `command/decoder.rs`) splits command
//!   lines off a receive buffer and parses them; a bad line is reported and
//!   skipped.
//! - [`ResponseDecoder`] (client side, `response/decoder.rs`) decodes
//!   responses, given the shape the pending command's answer has (see
//!   [`Command::response_shape`]), and streams message bodies.
//! - [`Stuffer`] dot-stuffs a body a server sends; [`Command::encode`] and
//!   [`Response::encode`] write the rest.
//!
//! [`CommandDecoder`]: crate::CommandDecoder
//! [`ResponseDecoder`]: crate::ResponseDecoder
//! [`Command::response_shape`]: crate::Command::response_shape
//! [`Command::encode`]: crate::Command::encode
//! [`Response::encode`]: crate::Response::encode

mod buffer;
mod line;
mod stuff;
mod unstuff;

pub(crate) use self::buffer::Input;
pub use self::buffer::ReceiveBuffer;
pub(crate) use self::line::LineReader;
pub use self::stuff::{Stuffer, WireSize, wire_form};
pub(crate) use self::unstuff::{BodyStep, Unstuffer};
