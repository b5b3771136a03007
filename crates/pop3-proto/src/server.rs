//! The server connection: decodes commands one at a time, classifies them
//! against the protocol state, and encodes the application's answers, tracking
//! the state from what was answered.
//!
//! This is the protocol layer alone: the application answers every command.
//! [`ServerSession`](crate::ServerSession) builds on it and also does the
//! maildrop bookkeeping, which is what most servers want.

use bytes::{Bytes, BytesMut};

use crate::codec::Stuffer;
use crate::command::{ClientFrame, CommandDecoder, CommandEvent, Expect};
use crate::command::{Command, ResponseShape, SaslResponse};
use crate::error::{DecodeError, Error, SendError};
use crate::limits::Limits;
use crate::response::{Positive, Response};
use crate::types::State;

/// Server configuration shared by [`ServerConnection`] and
/// [`ServerSession`](crate::ServerSession).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Limits on what clients may send.
    pub limits: Limits,
    /// Accept command lines ended by a bare LF (RFC 1939 requires CRLF).
    pub allow_bare_lf: bool,
}

/// Why a command line was not handed to the application as a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// The line could not be decoded.
    #[error("{0}")]
    Malformed(DecodeError),
    /// The command is not valid in the current state.
    #[error("{command} is not valid in the {state:?} state")]
    WrongState {
        /// The command's name.
        command: &'static str,
        /// The state.
        state: State,
    },
    /// PASS that does not follow a successful USER (RFC 1939 §7).
    #[error("PASS must follow a successful USER")]
    PassWithoutUser,
}

/// What a [`ServerConnection`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A command valid in the current state; answer it with
    /// [`ServerConnection::respond`].
    Command(Command),
    /// A line that is not a valid command here; answer it with `-ERR`
    /// ([`ServerConnection::reject`] does).
    Rejected {
        /// Stream offset of the line.
        offset: u64,
        /// The line (empty when it was too long to keep).
        line: Bytes,
        /// Why.
        reason: Rejection,
    },
    /// The client's answer to a SASL challenge.
    SaslResponse(SaslResponse),
}

/// What the connection waits for.
#[derive(Debug)]
enum Awaiting {
    /// The application's greeting.
    Greeting,
    /// The next line from the client.
    Input(Expect),
    /// The application's answer to this command.
    Answer(Command),
    /// The application's answer to a rejected line.
    RejectionAnswer,
    /// The application's answer to a SASL line.
    SaslAnswer(u32),
    /// The application's body for a RETR/TOP.
    Body(Stuffer),
    /// Nothing more: closed.
    Closed,
}

/// A POP3 server connection, sans IO: the protocol layer.
#[derive(Debug)]
pub struct ServerConnection {
    config: ServerConfig,
    recv: BytesMut,
    out: BytesMut,
    decoder: CommandDecoder,
    state: State,
    awaiting: Awaiting,
    /// Rounds of the SASL exchange in progress.
    sasl_rounds: u32,
    /// The last command was a USER that got `+OK`.
    user_accepted: bool,
    /// The client answered the current SASL challenge with `*`.
    sasl_cancelled: bool,
    /// Bad commands so far (rejected lines, unknown commands refused,
    /// cancelled AUTH exchanges), bounded by `max_bad_commands`.
    bad_commands: u32,
    /// Authentication attempts refused, bounded by `max_failed_logins`.
    failed_logins: u32,
    utf8: bool,
    error: Option<Error>,
    starved: bool,
}

impl ServerConnection {
    /// A connection that waits for the application's greeting.
    pub fn new(config: ServerConfig) -> Self {
        Self {
            decoder: CommandDecoder::new(config.limits.clone(), config.allow_bare_lf),
            config,
            recv: BytesMut::new(),
            out: BytesMut::new(),
            state: State::Greeting,
            awaiting: Awaiting::Greeting,
            sasl_rounds: 0,
            user_accepted: false,
            sasl_cancelled: false,
            bad_commands: 0,
            failed_logins: 0,
            utf8: false,
            error: None,
            starved: true,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// The protocol state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the client enabled UTF8 mode (RFC 6856 §2).
    pub fn utf8_enabled(&self) -> bool {
        self.utf8
    }

    /// Whether the connection is over (after QUIT, a fatal error, or EOF).
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Adds received bytes.
    pub fn handle_input(&mut self, data: &[u8]) {
        self.recv.extend_from_slice(data);
        self.starved = false;
    }

    /// Whether the connection can take more input now.
    pub fn wants_input(&self) -> bool {
        self.state != State::Closed
            && (self.starved || self.recv.len() < self.config.limits.input_buffer)
    }

    /// Whether the connection is waiting for another line from the client
    /// (everything received so far is decoded and answered).
    pub fn is_waiting_for_input(&self) -> bool {
        matches!(self.awaiting, Awaiting::Input(_)) && self.starved && self.error.is_none()
    }

    /// Stream offset of the first received octet not yet decoded.
    pub fn input_offset(&self) -> u64 {
        self.decoder.offset()
    }

    /// The client closed the connection. Nothing is committed: a session in
    /// TRANSACTION state never reaches UPDATE this way (RFC 1939 §6).
    pub fn handle_eof(&mut self) {
        self.state = State::Closed;
        self.awaiting = Awaiting::Closed;
    }

    /// The TLS handshake after STLS completed: back to AUTHORIZATION.
    ///
    /// Anything received before this call arrived in plaintext behind the
    /// STLS command (RFC 2595 §4 / RFC 8314 §4.1: command injection): it is
    /// dropped and the connection fails with [`Error::StlsInjection`].
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.state != State::TlsHandshake {
            return Err(Error::NotUpgrading);
        }
        if !self.recv.is_empty() {
            let len = self.recv.len();
            self.recv.clear();
            return Err(self.fail(Error::StlsInjection { len }));
        }
        self.state = State::Authorization;
        self.awaiting = Awaiting::Input(Expect::Command);
        Ok(())
    }

    /// Bytes to send to the client, if any.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        (!self.out.is_empty()).then(|| self.out.split().freeze())
    }

    /// Octets encoded and not yet taken by [`poll_transmit`](Self::poll_transmit):
    /// a driver streaming a body stops feeding chunks while this is large.
    pub fn pending_output(&self) -> usize {
        self.out.len()
    }

    /// The command being answered, if the application owes an answer to one.
    pub fn current_command(&self) -> Option<&Command> {
        match &self.awaiting {
            Awaiting::Answer(c) => Some(c),
            _ => None,
        }
    }

    /// The next event, `Ok(None)` when more input (or an answer from the
    /// application) is needed. Commands are handed out one at a time: the next
    /// is decoded only once the previous one is answered, as RFC 2449
    /// PIPELINING requires. A returned error is fatal and sticky.
    pub fn poll_event(&mut self) -> Result<Option<Event>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.state == State::TlsHandshake && !self.recv.is_empty() {
            // RFC 2595 §4 / RFC 8314 §4.1: commands pipelined behind STLS were
            // sent in plaintext and must not be executed after the upgrade.
            let len = self.recv.len();
            self.recv.clear();
            return Err(self.fail(Error::StlsInjection { len }));
        }
        let Awaiting::Input(kind) = self.awaiting else {
            return Ok(None);
        };
        let Some(frame) = self.decoder.decode(&mut self.recv, kind) else {
            self.starved = true;
            return Ok(None);
        };
        Ok(Some(self.classify(frame)))
    }

    fn fail(&mut self, error: Error) -> Error {
        self.error = Some(error.clone());
        self.state = State::Closed;
        self.awaiting = Awaiting::Closed;
        error
    }

    fn classify(&mut self, frame: ClientFrame) -> Event {
        let ClientFrame {
            offset,
            line,
            message,
        } = frame;
        let reject = |this: &mut Self, reason| {
            this.awaiting = Awaiting::RejectionAnswer;
            this.bad_commands = this.bad_commands.saturating_add(1);
            Event::Rejected {
                offset,
                line: line.clone(),
                reason,
            }
        };
        match message {
            // An undecodable SASL answer also ends the exchange (RFC 5034 §4).
            Err(e) => reject(self, Rejection::Malformed(e)),
            Ok(CommandEvent::SaslResponse(r)) => {
                self.sasl_cancelled = matches!(r, SaslResponse::Cancel);
                self.awaiting = Awaiting::SaslAnswer(self.sasl_rounds);
                Event::SaslResponse(r)
            }
            Ok(CommandEvent::Command(command)) => {
                let after_user = std::mem::take(&mut self.user_accepted);
                if !command.allowed_in(self.state) {
                    return reject(
                        self,
                        Rejection::WrongState {
                            command: command.name(),
                            state: self.state,
                        },
                    );
                }
                if matches!(command, Command::Pass(_)) && !after_user {
                    return reject(self, Rejection::PassWithoutUser);
                }
                if let Command::Auth { .. } = command {
                    self.sasl_rounds = 0;
                }
                self.awaiting = Awaiting::Answer(command.clone());
                Event::Command(command)
            }
        }
    }

    /// Answers a rejected line with `-ERR` and a text saying why.
    pub fn reject(&mut self, reason: &Rejection) -> Result<(), SendError> {
        let text = match reason {
            Rejection::Malformed(DecodeError::LineTooLong { .. }) => "Line too long".to_owned(),
            Rejection::Malformed(e) => format!("Invalid command: {e}"),
            other => other.to_string(),
        };
        self.respond(Response::err(&text)?)
    }

    /// Sends the answer to the greeting, the current command, or the current
    /// SASL line. The answer must fit: `+OK` data of the command's shape, or
    /// `-ERR`; a challenge only inside AUTH. For RETR/TOP, `+OK` is followed by
    /// [`send_body`](Self::send_body) calls and [`end_body`](Self::end_body).
    pub fn respond(&mut self, response: Response) -> Result<(), SendError> {
        if self.error.is_some() {
            return Err(SendError::Closed);
        }
        match std::mem::replace(&mut self.awaiting, Awaiting::Closed) {
            Awaiting::Greeting => self.greet(response),
            Awaiting::Answer(command) => self.answer(command, response),
            Awaiting::SaslAnswer(rounds) => self.answer_sasl(rounds, response),
            Awaiting::RejectionAnswer => match response {
                Response::Err(_) | Response::Ok(Positive::Text(_)) => {
                    response.encode(&mut self.out);
                    self.after_bad_command();
                    Ok(())
                }
                _ => {
                    self.awaiting = Awaiting::RejectionAnswer;
                    Err(SendError::ResponseMismatch(
                        "a rejected line gets a single-line answer",
                    ))
                }
            },
            other => {
                self.awaiting = other;
                Err(SendError::NothingPending("no command awaits an answer"))
            }
        }
    }

    fn greet(&mut self, response: Response) -> Result<(), SendError> {
        match &response {
            Response::Ok(Positive::Text(_)) => {
                self.state = State::Authorization;
                self.awaiting = Awaiting::Input(Expect::Command);
            }
            Response::Err(_) => self.close(),
            _ => {
                self.awaiting = Awaiting::Greeting;
                return Err(SendError::ResponseMismatch(
                    "a greeting is +OK text or -ERR",
                ));
            }
        }
        response.encode(&mut self.out);
        Ok(())
    }

    fn close(&mut self) {
        self.state = State::Closed;
        self.awaiting = Awaiting::Closed;
    }

    fn after_bad_command(&mut self) {
        if self.bad_commands >= self.config.limits.max_bad_commands {
            self.fail(Error::TooManyBadCommands);
        } else {
            self.awaiting = Awaiting::Input(Expect::Command);
        }
    }

    fn answer(&mut self, command: Command, response: Response) -> Result<(), SendError> {
        let shape = command.response_shape();
        let fits = match (&response, shape) {
            (Response::Err(_), _) => true,
            (Response::Challenge(_), ResponseShape::Sasl) => true,
            (Response::Ok(p), shape) => matches!(
                (p, shape),
                (
                    Positive::Text(_),
                    ResponseShape::Status | ResponseShape::Sasl
                ) | (Positive::Stat(_), ResponseShape::Stat)
                    | (Positive::Scan(_), ResponseShape::Scan)
                    | (Positive::ScanListing { .. }, ResponseShape::ScanListing)
                    | (Positive::UniqueId(_), ResponseShape::UniqueId)
                    | (
                        Positive::UniqueIdListing { .. },
                        ResponseShape::UniqueIdListing
                    )
                    | (Positive::Capabilities { .. }, ResponseShape::Capabilities)
                    | (Positive::Languages { .. }, ResponseShape::Languages)
                    | (Positive::Mechanisms { .. }, ResponseShape::Mechanisms)
                    | (Positive::Message(_), ResponseShape::Message)
            ),
            _ => false,
        };
        if !fits {
            self.awaiting = Awaiting::Answer(command);
            return Err(SendError::ResponseMismatch(
                "the answer does not have the shape of the command's",
            ));
        }
        response.encode(&mut self.out);
        if let Response::Challenge(_) = response {
            return self.challenged();
        }
        self.awaiting = Awaiting::Input(Expect::Command);
        let ok = response.is_ok();
        match command {
            // An unknown command the application refused counts as a bad one.
            Command::Other { .. } if !ok => {
                self.bad_commands = self.bad_commands.saturating_add(1);
                self.after_bad_command();
            }
            Command::User(_) => self.user_accepted = ok,
            Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. } => self.login_result(ok),
            Command::Quit => self.close(),
            Command::Stls if ok => self.state = State::TlsHandshake,
            Command::Utf8 if ok => self.utf8 = true,
            Command::Retr(_) if ok => self.awaiting = Awaiting::Body(Stuffer::new()),
            Command::Top { lines, .. } if ok => self.awaiting = Awaiting::Body(Stuffer::top(lines)),
            _ => {}
        }
        Ok(())
    }

    fn challenged(&mut self) -> Result<(), SendError> {
        self.sasl_rounds = self.sasl_rounds.saturating_add(1);
        self.awaiting = Awaiting::Input(Expect::SaslResponse);
        Ok(())
    }

    fn login_result(&mut self, ok: bool) {
        if ok {
            self.state = State::Transaction;
            return;
        }
        self.failed_logins = self.failed_logins.saturating_add(1);
        if self.failed_logins >= self.config.limits.max_failed_logins {
            self.fail(Error::TooManyFailedLogins);
        }
    }

    fn answer_sasl(&mut self, rounds: u32, response: Response) -> Result<(), SendError> {
        if self.sasl_cancelled {
            return self.answer_cancel(rounds, response);
        }
        match response {
            Response::Challenge(_) if rounds >= self.config.limits.max_sasl_steps => {
                self.awaiting = Awaiting::SaslAnswer(rounds);
                Err(SendError::ResponseMismatch(
                    "too many SASL rounds: answer -ERR",
                ))
            }
            Response::Challenge(_) => {
                response.encode(&mut self.out);
                self.challenged()
            }
            Response::Ok(Positive::Text(_)) | Response::Err(_) => {
                response.encode(&mut self.out);
                self.awaiting = Awaiting::Input(Expect::Command);
                self.login_result(response.is_ok());
                Ok(())
            }
            _ => {
                self.awaiting = Awaiting::SaslAnswer(rounds);
                Err(SendError::ResponseMismatch(
                    "a SASL step gets a challenge, +OK or -ERR",
                ))
            }
        }
    }

    /// Answers a SASL exchange the client cancelled with `*`. RFC 5034 §4:
    /// "the server MUST reject the AUTH command by sending an -ERR reply",
    /// so nothing else is accepted.
    ///
    /// A cancellation is not a failed login: no credentials were refused, and
    /// a client that gives up on one mechanism to try USER/PASS (as real
    /// clients do, and servers such as Dovecot allow) must not lose one of its
    /// `max_failed_logins` attempts to it. It counts as a bad command instead:
    /// otherwise a client could loop `AUTH`/`*` for ever without reaching any
    /// limit, keeping the connection (and the server's SASL state) busy.
    fn answer_cancel(&mut self, rounds: u32, response: Response) -> Result<(), SendError> {
        let Response::Err(_) = response else {
            self.awaiting = Awaiting::SaslAnswer(rounds);
            return Err(SendError::ResponseMismatch(
                "a cancelled AUTH is answered -ERR (RFC 5034 section 4)",
            ));
        };
        response.encode(&mut self.out);
        self.sasl_cancelled = false;
        self.bad_commands = self.bad_commands.saturating_add(1);
        self.after_bad_command();
        Ok(())
    }

    /// Sends octets of the message body being answered: dot-stuffed, bare LF
    /// made CRLF; for TOP, cut after the header and the requested lines.
    /// Returns whether more of the message is wanted (false once TOP has
    /// enough: the rest may be skipped).
    pub fn send_body(&mut self, chunk: &[u8]) -> Result<bool, SendError> {
        let Awaiting::Body(stuffer) = &mut self.awaiting else {
            return Err(SendError::NothingPending("no body is being sent"));
        };
        stuffer.write(chunk, &mut self.out);
        Ok(stuffer.wants_more())
    }

    /// Ends the message body (adds the final CRLF if needed, and `.`).
    pub fn end_body(&mut self) -> Result<(), SendError> {
        let Awaiting::Body(stuffer) = &mut self.awaiting else {
            return Err(SendError::NothingPending("no body is being sent"));
        };
        stuffer.finish(&mut self.out);
        self.awaiting = Awaiting::Input(Expect::Command);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::ResponseCode;
    use crate::types::Secret;

    /// A connection past its greeting, in the AUTHORIZATION state.
    fn connection() -> ServerConnection {
        let mut c = ServerConnection::new(ServerConfig::default());
        c.respond(Response::ok("ready").unwrap()).unwrap();
        c.poll_transmit();
        c
    }

    fn next(c: &mut ServerConnection, line: &[u8]) -> Result<Option<Event>, Error> {
        c.handle_input(line);
        c.poll_event()
    }

    fn empty_challenge() -> Response {
        Response::Challenge(Secret::new(Bytes::new()))
    }

    /// `AUTH PLAIN`, an empty challenge, `*`, and the application's `-ERR`.
    fn cancelled_auth(c: &mut ServerConnection) -> Result<(), Error> {
        let Some(Event::Command(Command::Auth { .. })) = next(c, b"AUTH PLAIN\r\n")? else {
            panic!("AUTH not decoded");
        };
        c.respond(empty_challenge()).unwrap();
        assert_eq!(
            next(c, b"*\r\n")?,
            Some(Event::SaslResponse(SaslResponse::Cancel))
        );
        c.respond(Response::err("Authentication aborted by client.").unwrap())
            .unwrap();
        // A fatal error shows on the next poll.
        c.poll_event().map(|_| ())
    }

    #[test]
    fn cancelled_auths_are_not_failed_logins() {
        let mut c = connection();
        let limit = c.config().limits.max_failed_logins;
        for _ in 0..limit {
            assert_eq!(cancelled_auth(&mut c), Ok(()));
        }
        assert_eq!(c.state(), State::Authorization);
        let Some(Event::Command(Command::User(_))) = next(&mut c, b"USER alice\r\n").unwrap()
        else {
            panic!("USER not decoded");
        };
        c.respond(Response::ok("").unwrap()).unwrap();
        let Some(Event::Command(Command::Pass(_))) = next(&mut c, b"PASS secret\r\n").unwrap()
        else {
            panic!("PASS not decoded");
        };
        c.respond(Response::ok("Logged in.").unwrap()).unwrap();
        assert_eq!(c.state(), State::Transaction);
    }

    #[test]
    fn cancelled_auths_count_toward_the_bad_command_limit() {
        let mut c = connection();
        let limit = c.config().limits.max_bad_commands;
        for _ in 1..limit {
            assert_eq!(cancelled_auth(&mut c), Ok(()));
        }
        assert_eq!(cancelled_auth(&mut c), Err(Error::TooManyBadCommands));
        assert!(c.is_closed());
        // The last -ERR still went out before the close.
        let out = c.poll_transmit().unwrap_or_default();
        assert!(out.ends_with(b"-ERR Authentication aborted by client.\r\n"));
    }

    #[test]
    fn a_cancelled_auth_is_answered_err_only() {
        let mut c = connection();
        next(&mut c, b"AUTH PLAIN\r\n").unwrap();
        c.respond(empty_challenge()).unwrap();
        next(&mut c, b"*\r\n").unwrap();
        for wrong in [Response::ok("Logged in.").unwrap(), empty_challenge()] {
            assert!(matches!(
                c.respond(wrong),
                Err(SendError::ResponseMismatch(_))
            ));
        }
        c.respond(Response::err("Authentication aborted by client.").unwrap())
            .unwrap();
        assert_eq!(c.state(), State::Authorization);
        assert_eq!(c.poll_event(), Ok(None));
        assert!(c.is_waiting_for_input());
    }

    #[test]
    fn refused_credentials_are_still_failed_logins() {
        let mut c = connection();
        let limit = c.config().limits.max_failed_logins;
        for i in 1..=limit {
            next(&mut c, b"AUTH PLAIN\r\n").unwrap();
            c.respond(empty_challenge()).unwrap();
            let Some(Event::SaslResponse(SaslResponse::Data(_))) =
                next(&mut c, b"AGFsaWNlAHdyb25n\r\n").unwrap()
            else {
                panic!("SASL answer not decoded");
            };
            let refused = Response::err_code(ResponseCode::Auth, "Authentication failed.");
            c.respond(refused.unwrap()).unwrap();
            let result = c.poll_event().map(|_| ());
            if i < limit {
                assert_eq!(result, Ok(()));
            } else {
                assert_eq!(result, Err(Error::TooManyFailedLogins));
            }
        }
    }
}
