//! tokio-util `Decoder` / `Encoder` adapters over the POP3 sessions, so that
//! `Framed<S, _>` works over any `AsyncRead + AsyncWrite`.
//!
//! They are thin: received bytes are handed to the session without a copy
//! (`split().freeze()` of the read buffer), and what the session has to send
//! is appended to the write buffer.

use bytes::{Bytes, BytesMut};
use pop3_proto::{
    ClientConfig, ClientSession, Command, Event, LoginFailure, MessageInfo, SaslResponse,
    ServerSession, SessionConfig, SessionEvent,
};
use tokio_util::codec::{Decoder, Encoder};

use super::client::Pop3Error;

/// What a [`Pop3ClientCodec`] decodes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientItem {
    /// An event for the application.
    Event(Event),
    /// The session wrote to the server by itself (a SASL answer from a
    /// mechanism, an initial response held back for an empty challenge): send
    /// [`Flush`] so it goes out before more input is awaited.
    Output,
}

/// Sent to a codec to write out what its session queued by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flush;

/// Client side: decodes [`ClientItem`]s (greeting, responses, body chunks),
/// encodes [`Command`]s, SASL answers and [`Flush`].
#[derive(Debug)]
pub struct Pop3ClientCodec {
    session: ClientSession,
}

impl Pop3ClientCodec {
    /// A codec whose session waits for the greeting.
    pub fn new(config: ClientConfig) -> Self {
        Self {
            session: ClientSession::new(config),
        }
    }

    /// The session (state, capabilities, the STLS upgrade).
    pub fn session(&self) -> &ClientSession {
        &self.session
    }

    /// The session, mutably (e.g. `authenticate`, `tls_established`).
    pub fn session_mut(&mut self) -> &mut ClientSession {
        &mut self.session
    }

    fn drain(&mut self, dst: &mut BytesMut) {
        while let Some(bytes) = self.session.poll_transmit() {
            dst.extend_from_slice(&bytes);
        }
    }
}

impl Decoder for Pop3ClientCodec {
    type Item = ClientItem;
    type Error = Pop3Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ClientItem>, Pop3Error> {
        if !src.is_empty() {
            self.session.handle_input_bytes(src.split().freeze());
        }
        if let Some(event) = self.session.poll_event()? {
            return Ok(Some(ClientItem::Event(event)));
        }
        // The decoder cannot write: what the session answered by itself must
        // be handed out, or `Framed` would wait for a reply that only comes
        // once the server has it.
        if self.session.pending_output() > 0 {
            return Ok(Some(ClientItem::Output));
        }
        Ok(None)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<ClientItem>, Pop3Error> {
        if let Some(item) = self.decode(src)? {
            return Ok(Some(item));
        }
        self.session.handle_eof();
        Ok(self.session.poll_event()?.map(ClientItem::Event))
    }
}

impl Encoder<Command> for Pop3ClientCodec {
    type Error = Pop3Error;

    fn encode(&mut self, command: Command, dst: &mut BytesMut) -> Result<(), Pop3Error> {
        self.session.send(command)?;
        self.drain(dst);
        Ok(())
    }
}

impl Encoder<SaslResponse> for Pop3ClientCodec {
    type Error = Pop3Error;

    fn encode(&mut self, answer: SaslResponse, dst: &mut BytesMut) -> Result<(), Pop3Error> {
        self.session.sasl_respond(answer)?;
        self.drain(dst);
        Ok(())
    }
}

impl Encoder<Flush> for Pop3ClientCodec {
    type Error = Pop3Error;

    fn encode(&mut self, _: Flush, dst: &mut BytesMut) -> Result<(), Pop3Error> {
        self.drain(dst);
        Ok(())
    }
}

/// What a server application tells a [`Pop3ServerCodec`] in answer to a
/// [`SessionEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerAction {
    /// Answer to `Authenticate`: the maildrop snapshot, or why not.
    Login(Result<Vec<MessageInfo>, LoginFailure>),
    /// Part of the message being retrieved.
    Body(Bytes),
    /// The end of the message being retrieved.
    EndBody,
    /// Answer to `Commit`.
    Committed(Result<(), String>),
    /// Answer to [`ServerItem::Output`]: nothing to decide, just write out
    /// what the session queued by itself.
    Flush,
}

/// What a [`Pop3ServerCodec`] decodes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerItem {
    /// The session needs the application: answer with a [`ServerAction`].
    Event(SessionEvent),
    /// The session answered the client by itself (CAPA, USER, STAT, LIST, a
    /// rejected line, ...): send [`ServerAction::Flush`] so the answer goes
    /// out before more input is awaited (the client is waiting for it).
    Output,
}

/// Server side: decodes [`ServerItem`]s ([`SessionEvent`]s the application
/// must act on, and answers the session gave by itself), encodes
/// [`ServerAction`]s (the application's answers). The greeting is queued at
/// once: write out [`take_output`](Self::take_output) before the first read.
#[derive(Debug)]
pub struct Pop3ServerCodec {
    session: ServerSession,
}

impl Pop3ServerCodec {
    /// A codec over a new server session on a plaintext stream: logins wait
    /// for STLS unless `config.allow_plaintext_logins` is set.
    pub fn new(config: SessionConfig) -> Self {
        Self {
            session: ServerSession::new(config),
        }
    }

    /// A codec over a new server session on a stream that is already TLS
    /// (POP3S).
    pub fn new_tls(config: SessionConfig) -> Self {
        Self {
            session: ServerSession::new_tls(config),
        }
    }

    /// The session.
    pub fn session(&self) -> &ServerSession {
        &self.session
    }

    /// The session, mutably (e.g. `tls_established`).
    pub fn session_mut(&mut self) -> &mut ServerSession {
        &mut self.session
    }

    /// Bytes the session queued by itself (the greeting, its own answers):
    /// write them out before waiting for input.
    pub fn take_output(&mut self) -> Option<Bytes> {
        self.session.poll_transmit()
    }
}

impl Decoder for Pop3ServerCodec {
    type Item = ServerItem;
    type Error = Pop3Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ServerItem>, Pop3Error> {
        if !src.is_empty() {
            self.session.handle_input(src);
            src.clear();
        }
        match self.session.poll_event() {
            Ok(Some(event)) => return Ok(Some(ServerItem::Event(event))),
            Ok(None) => {}
            // The error is sticky: it comes again once the last answer is out.
            Err(_) if self.session.pending_output() > 0 => {}
            Err(e) => return Err(e.into()),
        }
        // The decoder cannot write: answers the session gave by itself must be
        // handed out, or `Framed` would wait for input the client only sends
        // once it has them.
        if self.session.pending_output() > 0 {
            return Ok(Some(ServerItem::Output));
        }
        Ok(None)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<ServerItem>, Pop3Error> {
        if let Some(event) = self.decode(src)? {
            return Ok(Some(event));
        }
        self.session.handle_eof();
        Ok(None)
    }
}

impl Encoder<ServerAction> for Pop3ServerCodec {
    type Error = Pop3Error;

    fn encode(&mut self, action: ServerAction, dst: &mut BytesMut) -> Result<(), Pop3Error> {
        match action {
            ServerAction::Login(Ok(snapshot)) => self.session.accept_login(snapshot)?,
            ServerAction::Login(Err(failure)) => self.session.reject_login(failure)?,
            ServerAction::Body(chunk) => {
                self.session.send_body(&chunk)?;
            }
            ServerAction::EndBody => self.session.end_body()?,
            ServerAction::Committed(result) => self.session.commit_done(result)?,
            ServerAction::Flush => {}
        }
        while let Some(bytes) = self.session.poll_transmit() {
            dst.extend_from_slice(&bytes);
        }
        Ok(())
    }
}
