//! Harness for the interoperability tests in `peers.rs`: servers we run
//! (a private Dovecot, `mailctl serve`), the clients we drive against them,
//! the expected message forms, and process handling.

pub(crate) mod clients;
pub(crate) mod dovecot;
pub(crate) mod dovecot_config;
pub(crate) mod imap;
pub(crate) mod imap_clients;
pub(crate) mod messages;
pub(crate) mod process;
pub(crate) mod serve;
pub(crate) mod trust;

use std::path::PathBuf;

/// A running POP3 server, as its clients see it.
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// For messages: "Dovecot" or "mailctl serve".
    pub(crate) server: &'static str,
    /// Implicit TLS port.
    pub(crate) pop3s: u16,
    /// Plaintext port offering STLS.
    pub(crate) pop3: u16,
    /// The server's certificate (PEM), the clients' only trusted CA.
    pub(crate) ca: PathBuf,
    pub(crate) user: &'static str,
    pub(crate) password: &'static str,
    /// The user's Maildir on the server side.
    pub(crate) maildir: PathBuf,
    /// A directory for the clients' files.
    pub(crate) scratch: PathBuf,
    /// LIST leaves out the CRLF the server adds to a message that does not
    /// end with a line ending (Dovecot: LIST 6871, RETR 6873 octets for
    /// message 10). RFC 1939 asks for the exact size, so only Dovecot gets
    /// this allowance.
    pub(crate) list_size_excludes_added_crlf: bool,
}

/// How a client secures its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tls {
    /// POP3S: TLS from the first byte.
    Implicit,
    /// Plain POP3 upgraded with STLS.
    Stls,
}

impl Endpoint {
    pub(crate) fn port(&self, tls: Tls) -> u16 {
        match tls {
            Tls::Implicit => self.pop3s,
            Tls::Stls => self.pop3,
        }
    }
}
