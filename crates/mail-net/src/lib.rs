//! Tokio transports for the mailwire codecs: tokio-util `Framed` adapters,
//! implicit TLS and STARTTLS/STLS with rustls, async clients and server
//! connection drivers.
//!
//! Not written yet: the POP3 transport is the next piece of work. Until then
//! this crate re-exports the sans-IO codecs it will run, so that `mailctl`
//! depends on the crate it will use.

#![forbid(unsafe_code)]

pub use imap_proto as imap;
pub use pop3_proto as pop3;
