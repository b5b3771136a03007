//! The client session: sends commands, matches each answer to its command,
//! tracks the protocol state, drives SASL, and streams message bodies.

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};

use crate::codec::Input;
use crate::command::{Command, ResponseShape, SaslResponse};
use crate::error::{Error, SendError};
use crate::limits::Limits;
use crate::response::{Capability, Positive, Response, StatusText};
use crate::response::{ResponseDecoder, ResponseEvent};
use crate::sasl::SaslMechanism;
use crate::types::{CommandId, Secret, State};

/// Client configuration.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Limits on what the server may send.
    pub limits: Limits,
    /// Keep unique-ids that break RFC 1939 §7 the way real servers do
    /// (longer than 70 octets, or followed by more text on their line),
    /// marked with [`UniqueId::quirk`](crate::UniqueId::quirk), instead of
    /// failing the session with
    /// [`DecodeError::UniqueId`](crate::DecodeError::UniqueId). Default
    /// false: strict.
    pub lenient_unique_ids: bool,
}

impl ClientConfig {
    /// The default configuration with these limits.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            limits,
            lenient_unique_ids: false,
        }
    }
}

/// What the client session reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The server's greeting: `+OK` (with the APOP timestamp, if any, in its
    /// text) or `-ERR` (the server refuses service; the session is closed).
    Greeting(Response),
    /// The answer to a command. For RETR/TOP this is the first line; the body
    /// follows as [`Event::BodyChunk`]s and an [`Event::BodyEnd`].
    Response {
        /// The command answered.
        id: CommandId,
        /// The answer.
        response: Response,
    },
    /// Unstuffed octets of a message body, CRLF line endings as sent. A body
    /// no larger than [`Limits::body_chunk_threshold`] comes as one chunk.
    BodyChunk {
        /// The RETR/TOP command.
        id: CommandId,
        /// The octets.
        data: Bytes,
    },
    /// The body is complete.
    BodyEnd {
        /// The RETR/TOP command.
        id: CommandId,
    },
    /// A SASL challenge for an AUTH sent with [`ClientSession::send`]: answer
    /// it with [`ClientSession::sasl_respond`]. (Exchanges started with
    /// [`ClientSession::authenticate`] are answered by the mechanism.)
    Challenge {
        /// The AUTH command.
        id: CommandId,
        /// The decoded challenge.
        data: Secret,
    },
}

#[derive(Debug)]
struct Pending {
    id: CommandId,
    command: Command,
    mechanism: Option<Box<dyn SaslMechanism>>,
    /// An initial response too long for the AUTH line, sent after the first
    /// (empty) challenge instead (RFC 5034 §4).
    deferred_response: Option<Secret>,
    /// The application owes an answer to a challenge.
    awaiting_answer: bool,
    /// How many octets had been received when this command (or its latest
    /// SASL answer) was queued: its next answer cannot start before that.
    answerable_from: u64,
    sasl_steps: u32,
    in_body: bool,
}

/// A POP3 client session, sans IO.
///
/// Feed received bytes with [`handle_input`](Self::handle_input), send
/// commands with [`send`](Self::send), write out what
/// [`poll_transmit`](Self::poll_transmit) returns, and drain
/// [`poll_event`](Self::poll_event) until it returns `Ok(None)`.
///
/// # Answers the server could not have given
///
/// A server speaks only when spoken to (RFC 1939 §3): after the greeting,
/// every line it sends answers a command or a SASL answer the client sent.
/// Octets that had already been received when a command was queued cannot
/// be its answer, so the session refuses them with [`Error::Unsolicited`]:
/// octets left over when nothing is in flight (a greeting followed by a
/// forged `+OK` that would answer the USER sent next), and, with several
/// commands in flight (PIPELINING) or in a SASL exchange, an answer that
/// starts before its command or SASL answer was queued. This needs nothing
/// of the caller but the call order every transport has anyway: received
/// octets go to [`handle_input`](Self::handle_input) before the session
/// sees a command that was sent after them.
#[derive(Debug)]
pub struct ClientSession {
    limits: Limits,
    input: Input,
    out: BytesMut,
    decoder: ResponseDecoder,
    state: State,
    /// Commands sent and not yet answered, oldest first.
    pending: VecDeque<Pending>,
    next_id: u64,
    greeting: Option<StatusText>,
    capabilities: Option<Vec<Capability>>,
    utf8: bool,
    error: Option<Error>,
    /// The last `poll_event` stopped for lack of input.
    starved: bool,
    /// Octets received so far (the stream offset of the end of the input).
    received: u64,
}

impl ClientSession {
    /// A session waiting for the server's greeting.
    pub fn new(config: ClientConfig) -> Self {
        let limits = config.limits;
        let mut decoder = ResponseDecoder::new(limits.clone());
        decoder.set_lenient_unique_ids(config.lenient_unique_ids);
        Self {
            decoder,
            limits,
            input: Input::default(),
            out: BytesMut::new(),
            state: State::Greeting,
            pending: VecDeque::new(),
            next_id: 0,
            greeting: None,
            capabilities: None,
            utf8: false,
            error: None,
            starved: true,
            received: 0,
        }
    }

    /// The protocol state, as confirmed by the server.
    pub fn state(&self) -> State {
        self.state
    }

    /// The greeting's text (its [`StatusText::apop_timestamp`] is what APOP
    /// needs).
    pub fn greeting(&self) -> Option<&StatusText> {
        self.greeting.as_ref()
    }

    /// The capabilities from the last CAPA answer; forgotten after STLS.
    pub fn capabilities(&self) -> Option<&[Capability]> {
        self.capabilities.as_deref()
    }

    /// Whether the server advertised `cap` (compared by kind, not parameters).
    pub fn has_capability(&self, cap: &Capability) -> bool {
        self.capabilities.as_ref().is_some_and(|caps| {
            caps.iter()
                .any(|c| std::mem::discriminant(c) == std::mem::discriminant(cap))
        })
    }

    /// Whether UTF8 mode was accepted (RFC 6856 §2).
    pub fn utf8_enabled(&self) -> bool {
        self.utf8
    }

    /// Whether an AUTH exchange is in progress (lines sent now are SASL data,
    /// to be kept out of logs).
    pub fn in_sasl_exchange(&self) -> bool {
        self.pending
            .iter()
            .any(|p| matches!(p.command, Command::Auth { .. }))
    }

    /// Number of commands in flight.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Adds received bytes (copied into the session's buffer).
    pub fn handle_input(&mut self, data: &[u8]) {
        self.input.push_slice(data);
        self.received += data.len() as u64;
        self.starved = false;
    }

    /// Adds received bytes the caller already holds as `Bytes` (e.g. a read
    /// buffer it split off and froze). When nothing else is pending they are
    /// decoded in place: body chunks are slices of them, with no copy at all.
    pub fn handle_input_bytes(&mut self, data: Bytes) {
        if !data.is_empty() {
            self.received += data.len() as u64;
            self.input.push_bytes(data);
            self.starved = false;
        }
    }

    /// Octets received and not yet decoded (bounded by the limits: a body
    /// larger than the chunk threshold is handed out as it arrives).
    pub fn buffered_input(&self) -> usize {
        self.input.len()
    }

    /// Whether the session can take more input now: false while the receive
    /// buffer is full and the buffered data has not been decoded.
    pub fn wants_input(&self) -> bool {
        self.error.is_none() && (self.starved || self.input.len() < self.limits.input_buffer)
    }

    /// Whether the session is waiting for more from the server: an answer is
    /// due (or the greeting) and what was received so far is decoded.
    pub fn is_waiting_for_input(&self) -> bool {
        self.error.is_none()
            && self.starved
            && (self.state == State::Greeting
                || self.pending.front().is_some_and(|p| !p.awaiting_answer))
    }

    /// Stream offset of the first received octet not yet decoded.
    pub fn input_offset(&self) -> u64 {
        self.decoder.offset()
    }

    /// The fatal error the session failed with, if it did (the one
    /// [`poll_event`](Self::poll_event) returns).
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The server closed the connection.
    pub fn handle_eof(&mut self) {
        if self.error.is_some() || self.state == State::Closed {
            return;
        }
        if !self.pending.is_empty() || self.decoder.in_progress() || !self.input.is_empty() {
            let during = if self.state == State::Greeting {
                "waiting for the greeting"
            } else {
                "a command was in flight"
            };
            self.error = Some(Error::UnexpectedEof { during });
        }
        self.state = State::Closed;
    }

    /// The TLS handshake after STLS completed: the session is in the
    /// AUTHORIZATION state again and has forgotten the capabilities (RFC 2595
    /// §4: they must be asked again).
    ///
    /// Anything received before this call arrived in plaintext behind the
    /// `+OK` to STLS (response injection, RFC 2595 §3.1): it is dropped and
    /// the session fails with [`Error::StlsInjection`].
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.state != State::TlsHandshake {
            return Err(Error::NotUpgrading);
        }
        if !self.input.is_empty() {
            let len = self.input.len();
            self.input.clear();
            let error = Error::StlsInjection { len };
            self.error = Some(error.clone());
            self.state = State::Closed;
            return Err(error);
        }
        self.state = State::Authorization;
        self.capabilities = None;
        Ok(())
    }

    /// Octets queued for the server and not yet taken by
    /// [`poll_transmit`](Self::poll_transmit) (e.g. a SASL answer the session
    /// gave by itself while decoding a challenge).
    pub fn pending_output(&self) -> usize {
        self.out.len()
    }

    /// Bytes to send to the server, if any.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        (!self.out.is_empty()).then(|| self.out.split().freeze())
    }

    /// The state the session will be in once every command in flight succeeds.
    fn projected_state(&self) -> State {
        self.pending
            .iter()
            .fold(self.state, |state, p| match p.command {
                Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. } => {
                    State::Transaction
                }
                Command::Quit => State::Closed,
                Command::Stls => State::TlsHandshake,
                _ => state,
            })
    }

    fn can_pipeline(&self) -> bool {
        self.pending.iter().all(|p| {
            !matches!(
                p.command,
                Command::Auth { .. } | Command::Stls | Command::Quit
            )
        }) && self.has_capability(&Capability::Pipelining)
    }

    /// Sends a command. With PIPELINING advertised, several may be in flight;
    /// without it, one at a time. STLS and AUTH are never pipelined.
    ///
    /// Octets received while no command was in flight are unsolicited: the
    /// session fails with [`Error::Unsolicited`] (returned by
    /// [`error`](Self::error) and every later `poll_event`) and the command
    /// is refused with [`SendError::Closed`].
    pub fn send(&mut self, command: Command) -> Result<CommandId, SendError> {
        self.enqueue(command, None)
    }

    /// Starts an AUTH exchange driven by `mechanism`.
    pub fn authenticate(
        &mut self,
        mut mechanism: Box<dyn SaslMechanism>,
    ) -> Result<CommandId, SendError> {
        let initial_response = mechanism.initial_response();
        let command = Command::Auth {
            mechanism: mechanism.mechanism(),
            initial_response,
        };
        self.enqueue(command, Some(mechanism))
    }

    fn enqueue(
        &mut self,
        mut command: Command,
        mechanism: Option<Box<dyn SaslMechanism>>,
    ) -> Result<CommandId, SendError> {
        if self.error.is_some() || matches!(self.state, State::Closed | State::Update) {
            return Err(SendError::Closed);
        }
        if self.pending.is_empty()
            && !matches!(self.state, State::Greeting | State::TlsHandshake)
            && !self.input.is_empty()
        {
            // Nothing was asked, yet something arrived: it must not be taken
            // for the answer to this command.
            self.fail(unsolicited(self.input.peek()));
            return Err(SendError::Closed);
        }
        command.validate()?;
        if self.pending.len() >= self.limits.max_pending_commands {
            return Err(SendError::TooManyPending {
                limit: self.limits.max_pending_commands,
            });
        }
        let exclusive = matches!(command, Command::Auth { .. } | Command::Stls);
        if !self.pending.is_empty() && (exclusive || !self.can_pipeline()) {
            return Err(SendError::Busy);
        }
        let state = self.projected_state();
        if !command.allowed_in(state) {
            return Err(SendError::WrongState {
                command: command.name(),
                state,
            });
        }
        let mut deferred_response = None;
        if let Command::Auth {
            initial_response, ..
        } = &mut command
        {
            // RFC 5034 §4: an initial response that would make the command
            // longer than 255 octets is sent after an empty challenge instead.
            if initial_response.is_some() {
                let len = command.encoded_len();
                if len > self.limits.max_command_line
                    && let Command::Auth {
                        initial_response, ..
                    } = &mut command
                {
                    deferred_response = initial_response.take();
                }
            }
        }
        command.encode(&mut self.out);
        let id = CommandId(self.next_id);
        self.next_id += 1;
        self.pending.push_back(Pending {
            id,
            command,
            mechanism,
            deferred_response,
            awaiting_answer: false,
            answerable_from: self.received,
            sasl_steps: 0,
            in_body: false,
        });
        Ok(id)
    }

    /// Answers the challenge reported by [`Event::Challenge`].
    pub fn sasl_respond(&mut self, response: SaslResponse) -> Result<(), SendError> {
        let Some(front) = self.pending.front_mut().filter(|p| p.awaiting_answer) else {
            return Err(SendError::NothingPending("no SASL challenge to answer"));
        };
        front.awaiting_answer = false;
        front.answerable_from = self.received;
        response.encode(&mut self.out);
        Ok(())
    }

    /// The next event, `Ok(None)` when more input is needed. A returned error
    /// is fatal and is returned again by every later call.
    pub fn poll_event(&mut self) -> Result<Option<Event>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        match self.next_event() {
            Ok(ev) => Ok(ev),
            Err(e) => {
                self.fail(e.clone());
                Err(e)
            }
        }
    }

    /// Fails the session for good.
    fn fail(&mut self, error: Error) {
        self.error = Some(error);
        self.state = State::Closed;
    }

    fn next_event(&mut self) -> Result<Option<Event>, Error> {
        loop {
            if self.state == State::TlsHandshake {
                // RFC 2595 §3.1 / RFC 8314 §4.1: anything received between the
                // +OK to STLS and the handshake was injected by an attacker.
                if !self.input.is_empty() {
                    let len = self.input.len();
                    self.input.clear();
                    return Err(Error::StlsInjection { len });
                }
                return Ok(None);
            }
            let shape = if self.state == State::Greeting {
                ResponseShape::Greeting
            } else {
                match self.pending.front() {
                    Some(p) if p.awaiting_answer => return Ok(None),
                    // The next answer would start with octets that arrived
                    // before the command (or its SASL answer) was sent.
                    Some(p)
                        if !self.decoder.in_progress()
                            && self.decoder.offset() < p.answerable_from =>
                    {
                        return Err(unsolicited(self.input.peek()));
                    }
                    Some(p) => p.command.response_shape(),
                    None if self.input.is_empty() || self.state == State::Closed => {
                        return Ok(None);
                    }
                    None => return Err(unsolicited(self.input.peek())),
                }
            };
            let decoded = if self.input.owned.is_empty() {
                self.decoder.decode(&mut self.input.shared, shape)
            } else {
                self.decoder.decode(&mut self.input.owned, shape)
            };
            let Some(item) = decoded? else {
                self.starved = true;
                return Ok(None);
            };
            if self.state == State::Greeting {
                return self.on_greeting(item).map(Some);
            }
            if let Some(event) = self.on_item(item)? {
                return Ok(Some(event));
            }
        }
    }

    fn on_greeting(&mut self, item: ResponseEvent) -> Result<Event, Error> {
        let ResponseEvent::Response(response) = item else {
            return Err(unsolicited(&[]));
        };
        match &response {
            Response::Ok(Positive::Text(text)) => {
                self.state = State::Authorization;
                self.greeting = Some(text.clone());
            }
            _ => self.state = State::Closed,
        }
        Ok(Event::Greeting(response))
    }

    /// Handles one decoded item for the command at the front of the queue;
    /// `None` when it was handled internally (a challenge a mechanism answers).
    fn on_item(&mut self, item: ResponseEvent) -> Result<Option<Event>, Error> {
        let Some(front) = self.pending.front_mut() else {
            return Err(unsolicited(self.input.peek()));
        };
        let id = front.id;
        match item {
            ResponseEvent::BodyChunk(data) => Ok(Some(Event::BodyChunk { id, data })),
            ResponseEvent::BodyEnd => {
                self.pending.pop_front();
                Ok(Some(Event::BodyEnd { id }))
            }
            ResponseEvent::Response(Response::Challenge(data)) => {
                front.sasl_steps += 1;
                if front.sasl_steps > self.limits.max_sasl_steps {
                    // Cancel; the server answers -ERR.
                    front.answerable_from = self.received;
                    SaslResponse::Cancel.encode(&mut self.out);
                    return Ok(None);
                }
                if let Some(ir) = front.deferred_response.take() {
                    front.answerable_from = self.received;
                    SaslResponse::Data(ir).encode(&mut self.out);
                    return Ok(None);
                }
                let Some(mechanism) = front.mechanism.as_mut() else {
                    front.awaiting_answer = true;
                    return Ok(Some(Event::Challenge { id, data }));
                };
                let answer = match mechanism.respond(data.expose()) {
                    Ok(answer) => SaslResponse::Data(answer),
                    Err(_) => SaslResponse::Cancel,
                };
                front.answerable_from = self.received;
                answer.encode(&mut self.out);
                Ok(None)
            }
            ResponseEvent::Response(response) => {
                if let Response::Ok(Positive::Message(_)) = response {
                    front.in_body = true;
                    return Ok(Some(Event::Response { id, response }));
                }
                let Some(done) = self.pending.pop_front() else {
                    return Err(unsolicited(self.input.peek()));
                };
                self.apply(&done.command, &response)?;
                Ok(Some(Event::Response { id, response }))
            }
        }
    }

    /// Updates the state from the answer to `command`.
    fn apply(&mut self, command: &Command, response: &Response) -> Result<(), Error> {
        let ok = response.is_ok();
        match command {
            Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. } if ok => {
                self.state = State::Transaction
            }
            Command::Quit => self.state = State::Closed,
            Command::Stls if ok => {
                self.state = State::TlsHandshake;
                self.capabilities = None;
                if !self.input.is_empty() {
                    let len = self.input.len();
                    self.input.clear();
                    return Err(Error::StlsInjection { len });
                }
            }
            Command::Utf8 if ok => self.utf8 = true,
            Command::Capa => {
                if let Response::Ok(Positive::Capabilities { capabilities, .. }) = response {
                    self.capabilities = Some(capabilities.clone());
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The error for data no command asked for, quoting its first line.
fn unsolicited(data: &[u8]) -> Error {
    let end = memchr::memchr(b'\n', data).unwrap_or(data.len()).min(200);
    let line = String::from_utf8_lossy(&data[..end]).trim_end().to_owned();
    Error::Unsolicited { line }
}
