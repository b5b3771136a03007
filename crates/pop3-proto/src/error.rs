//! The error types: what the peer got wrong, what went fatally wrong, and what
//! the application got wrong.

use crate::types::{State, UniqueIdFault};

/// Why bytes from the peer could not be decoded.
///
/// Carried in [`Error::Decode`] with the stream offset where the bad line starts,
/// and in a server's [`Rejection`](crate::server::Rejection) for a bad command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// A line was longer than the limit (octets including CRLF).
    #[error("line longer than {limit} octets")]
    LineTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A line ended with LF alone where CRLF is required.
    #[error("line ends with a bare LF, CRLF required")]
    BareLineFeed,
    /// A NUL octet in a command or response line.
    #[error("NUL octet in line")]
    NulByte,
    /// A control character (CR, other C0 controls, DEL) inside a line.
    #[error("control character {0:#04x} in line")]
    ControlCharacter(u8),
    /// An argument that must be UTF-8 was not.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// An empty command line.
    #[error("empty command line")]
    EmptyLine,
    /// The line did not start with `+OK`, `-ERR` (or `+ ` inside SASL).
    #[error("response does not start with +OK or -ERR")]
    BadStatus,
    /// A command or response did not have the shape its grammar requires.
    #[error("syntax error: expected {expected}")]
    Syntax {
        /// What the grammar wanted at that point.
        expected: &'static str,
    },
    /// A command got the wrong number of arguments.
    #[error("wrong number of arguments: expected {expected}")]
    Arguments {
        /// How many the command takes.
        expected: &'static str,
    },
    /// A number that does not fit its type, or a message number 0.
    #[error("number out of range")]
    NumberOutOfRange,
    /// Base64 data (SASL) that does not decode.
    #[error("invalid base64")]
    InvalidBase64,
    /// A multi-line listing had more entries than allowed.
    #[error("listing has more than {limit} entries")]
    TooManyEntries {
        /// The limit in force.
        limit: usize,
    },
    /// A unique-id that RFC 1939 §7 does not allow (in strict decoding;
    /// a lenient decoder keeps some, marked: see
    /// [`UniqueId::quirk`](crate::UniqueId::quirk)).
    #[error("invalid unique-id: {0}")]
    UniqueId(UniqueIdFault),
    /// A multi-line listing would hold more memory than allowed
    /// ([`Limits::max_listing_bytes`](crate::Limits::max_listing_bytes)).
    #[error("listing holds more than {limit} octets")]
    ListingTooLarge {
        /// The limit in force, in octets.
        limit: usize,
    },
}

/// Fatal session errors. A session that returned one returns the same error from
/// every later call (it is sticky); the connection should be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The peer sent bytes that could not be decoded.
    #[error("decode error at stream offset {offset}: {error}")]
    Decode {
        /// Offset of the start of the offending line in the received stream.
        offset: u64,
        /// What was wrong.
        error: DecodeError,
    },
    /// Bytes arrived in plaintext after the STLS exchange, before TLS started:
    /// an injection attempt (RFC 2595 §3.1 / RFC 8314 §4.1). They were dropped.
    #[error(
        "{len} octets received in plaintext after STLS: possible injection, connection must be closed"
    )]
    StlsInjection {
        /// How many octets were pending.
        len: usize,
    },
    /// The server sent a response that no command was waiting for (servers
    /// do this before closing an idle connection: `-ERR Disconnected for
    /// inactivity.`).
    #[error("unsolicited data from server: {line:?}")]
    Unsolicited {
        /// The start of what the server sent (at most 200 octets, lossy).
        line: String,
    },
    /// The peer closed the connection in the middle of an exchange.
    #[error("connection closed by peer while {during}")]
    UnexpectedEof {
        /// What the session was doing.
        during: &'static str,
    },
    /// A server session gave up on a peer that sent too many bad commands.
    #[error("too many bad commands")]
    TooManyBadCommands,
    /// A server session gave up after too many failed logins.
    #[error("too many failed logins")]
    TooManyFailedLogins,
    /// `tls_established` was called with no STLS upgrade in progress (a bug
    /// in the caller).
    #[error("no STLS upgrade in progress")]
    NotUpgrading,
    /// A bug in this library: a session produced an answer its own protocol
    /// layer refused.
    #[error("internal error: {0}")]
    Internal(&'static str),
    /// A SASL mechanism on this side failed.
    #[error("SASL mechanism failed: {0}")]
    Sasl(String),
}

/// The application misused the API. The session is unaffected and can go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The command is not allowed in the state the session will be in when it
    /// is processed.
    #[error("{command} is not allowed in the {state:?} state")]
    WrongState {
        /// The command keyword.
        command: &'static str,
        /// The (projected) state.
        state: State,
    },
    /// Another command is in flight and the server did not advertise PIPELINING,
    /// or the one in flight (STLS, AUTH, QUIT) must be answered first.
    #[error("a command is already in flight and cannot be pipelined with this one")]
    Busy,
    /// Too many commands in flight.
    #[error("more than {limit} commands in flight")]
    TooManyPending {
        /// The limit in force.
        limit: usize,
    },
    /// The response does not fit the command it answers (or no command waits).
    #[error("response does not fit the command it answers: {0}")]
    ResponseMismatch(&'static str),
    /// There is nothing to answer or nothing in progress for this call.
    #[error("nothing to answer: {0}")]
    NothingPending(&'static str),
    /// The session is closed or has failed.
    #[error("session closed")]
    Closed,
    /// An argument cannot be sent (control characters, empty, too long).
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
}
