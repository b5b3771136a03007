//! Tokio transports for the mailwire codecs: tokio-util `Framed` adapters,
//! implicit TLS and the STLS / STARTTLS upgrade with rustls, async clients,
//! and server connection drivers.
//!
//! - [`tls`]: client trust (platform roots, webpki roots, extra CA files, an
//!   explicit opt-in for self-signed servers) and server certificates (PEM
//!   files, or with the `self-signed` feature (off by default, it brings in
//!   rcgen) a generated self-signed pair).
//! - [`MailStream`]: a connection that is plaintext or TLS and can be
//!   upgraded in place.
//! - [`guard`]: server guards shared by every protocol's driver: handshake
//!   and login deadlines that traffic cannot extend, connection limits per
//!   address, unauthenticated and per user, and failed-login delays tracked
//!   per address and per user name across connections.
//! - [`pop3`]: the async [`pop3::Pop3Client`], the server driver
//!   [`pop3::serve_connection`] over an embedder's [`pop3::Maildrop`], and the
//!   `Framed` codecs.
//!
//! STLS is not injectable in either direction: bytes that arrive in plaintext
//! after the `+OK` to STLS (client) or behind the STLS command (server) fail
//! the connection before the TLS handshake starts, and capabilities are asked
//! again over TLS.

#![forbid(unsafe_code)]

pub mod guard;
pub mod pop3;
mod stream;
pub mod tls;

pub use imap_proto as imap_codec;
pub use pop3_proto as pop3_codec;
pub use stream::MailStream;
