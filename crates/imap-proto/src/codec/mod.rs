//! The codec layer. For now: the framer ([`Framer`]), which splits a stream
//! into IMAP messages (lines plus literals) before any parsing, and the
//! receive buffers it works on ([`ReceiveBuffer`]). The command and response
//! parsers and encoders will sit on top of it.

mod buffer;
mod frame;

pub(crate) use self::buffer::Input;
pub use self::buffer::ReceiveBuffer;
pub use self::frame::{
    Announcement, Frame, FrameEvent, Framer, FramerConfig, LiteralHeader, LiteralMode, LiteralSpan,
    Side,
};
