//! Sans-IO POP3: typed commands and responses, an incremental codec, and the
//! client and server session state machines (RFC 1939, RFC 2449, RFC 2595,
//! RFC 3206, RFC 5034, RFC 6856).
//!
//! Nothing here does IO, reads a clock or spawns a task: bytes go in through
//! `handle_input`, bytes come out of `poll_transmit`, and what happened comes
//! out of `poll_event`. The `mail-net` crate runs these machines over tokio
//! and TLS; tests run them against each other in memory.
//!
//! # Layers
//!
//! - [`codec`]: framing and dot-stuffing ([`codec::Stuffer`]); the
//!   decoders sit beside what they decode, as in imap-proto:
//!   [`command::CommandDecoder`] and [`response::ResponseDecoder`] (both
//!   re-exported here); the [`Command::encode`] / [`Response::encode`]
//!   encoders. Decoding resumes
//!   where it stopped, hands out payload as `Bytes` slices of the receive
//!   buffer, and streams message bodies of any size in bounded memory.
//! - [`ClientSession`]: matches answers to commands (the shape of an answer
//!   depends on the command: `LIST` is multi-line, `LIST 1` is not), keeps the
//!   PIPELINING queue, tracks AUTHORIZATION / TRANSACTION / UPDATE, drives
//!   SASL ([`sasl`]) and detects STLS injection.
//! - [`ServerConnection`]: the server's protocol layer; the application
//!   answers every command.
//! - [`ServerSession`]: a server connection plus the maildrop bookkeeping of
//!   RFC 1939 (snapshot, numbering, deletion marks, RSET, commit on QUIT).
//!
//! # Call order
//!
//! 1. `handle_input(bytes)` for every read (while `wants_input()`);
//!    `handle_eof()` when the peer closes.
//! 2. `poll_event()` until `Ok(None)`, acting on each event (client: `send`,
//!    `sasl_respond`; server: `respond`, `accept_login`, `send_body`, ...).
//! 3. `poll_transmit()` until `None`, writing each buffer to the peer.
//!
//! An `Err` from `poll_event` is fatal and sticky: close the connection.
//!
//! # Example: a client and a server in memory
//!
//! ```
//! use pop3_proto::{
//!     ClientConfig, ClientSession, Command, Event, MessageInfo, ServerSession, SessionConfig,
//!     SessionEvent, Text, UniqueId,
//! };
//!
//! // Memory is no network: allow logins without TLS here. (On a socket,
//! // leave it off: logins then wait for STLS, or use `new_tls` for POP3S.)
//! let mut config = SessionConfig::default();
//! config.allow_plaintext_logins = true;
//! let mut server = ServerSession::new(config);
//! let mut client = ClientSession::new(ClientConfig::default());
//! let mut events = Vec::new();
//! let mut pump = |client: &mut ClientSession, server: &mut ServerSession, events: &mut Vec<Event>| {
//!     loop {
//!         let mut moved = false;
//!         while let Some(b) = server.poll_transmit() { client.handle_input(&b); moved = true; }
//!         while let Some(b) = client.poll_transmit() { server.handle_input(&b); moved = true; }
//!         while let Some(ev) = server.poll_event().unwrap() {
//!             moved = true;
//!             match ev {
//!                 SessionEvent::Authenticate(_) => server
//!                     .accept_login(vec![MessageInfo { size: 7, uid: UniqueId::new("a1").unwrap() }])
//!                     .unwrap(),
//!                 SessionEvent::Retrieve { .. } => {
//!                     server.send_body(b"Hi!\n.\n").unwrap();
//!                     server.end_body().unwrap();
//!                 }
//!                 other => panic!("{other:?}"),
//!             }
//!         }
//!         while let Some(ev) = client.poll_event().unwrap() { events.push(ev); moved = true; }
//!         if !moved { break; }
//!     }
//! };
//! pump(&mut client, &mut server, &mut events);
//! client.send(Command::User(Text::try_from("alice").unwrap())).unwrap();
//! pump(&mut client, &mut server, &mut events);
//! client.send(Command::Pass("secret".into())).unwrap();
//! pump(&mut client, &mut server, &mut events);
//! let retr = client.send(Command::Retr(pop3_proto::MessageNumber::new(1).unwrap())).unwrap();
//! pump(&mut client, &mut server, &mut events);
//! assert!(events.contains(&Event::BodyChunk { id: retr, data: "Hi!\r\n.\r\n".into() }));
//! assert!(events.contains(&Event::BodyEnd { id: retr }));
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod apop;
mod client;
pub mod codec;
pub mod command;
mod error;
pub mod inspect;
mod limits;
mod maildrop;
pub mod response;
pub mod sasl;
pub mod server;
pub mod types;

pub use client::{ClientConfig, ClientSession, Event};
pub use command::{
    ApopDigest, ClientFrame, Command, CommandDecoder, CommandEvent, Expect, LangArgument,
    ResponseShape, SaslResponse, parse_command,
};
pub use error::{DecodeError, Error, SendError};
pub use limits::Limits;
pub use maildrop::{
    Credentials, LoginFailure, MessageInfo, ServerSession, SessionConfig, SessionEvent,
};
pub use response::{
    Capability, DropListing, Language, Positive, Response, ResponseCode, ResponseDecoder,
    ResponseEvent, ScanListing, Scope, StatusText, UniqueIdListing,
};
pub use server::{Rejection, ServerConfig, ServerConnection};
pub use types::{
    CommandId, MAX_LENIENT_UNIQUE_ID_LEN, MAX_UNIQUE_ID_LEN, Mechanism, MessageNumber, Secret,
    State, Text, UniqueId, UniqueIdFault,
};
