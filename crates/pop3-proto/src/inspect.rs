//! Replaying a captured session through a server and a client session in
//! lockstep: the protocol debugger behind `mailctl inspect pop3`, and the
//! check that both session types understand real traffic. The same shape as
//! `imap_proto::inspect`: [`inspect`] reports a [`Record`] (direction,
//! offset, length, [`Item`], exactness) per message and ends with a
//! [`Summary`] or an [`InspectError`].
//!
//! The bytes each side sent are fed line by line to the session that receives
//! them, only when that session waits for input, so the replay needs no
//! timing information. Every command the server session decodes is sent by the
//! client session (which must encode it to the same command) so that the
//! client knows what answer to expect; every answer the client decodes is
//! given to the server session as the application's answer, and the server's
//! encoding of it must decode to the same answer.
//!
//! A replay checks the protocol, not our server's policy: the server session
//! runs with the limits of [`replay_limits`] (no cap on bad commands, failed
//! logins or SASL rounds; the memory bounds and RFC line lengths stay).
//!
//! A line our server session rejects (undecodable, or out of state) is carried
//! as received, byte for byte, and never re-encoded: the replay reads the real
//! server's answer to it itself. Where the real server accepted what we
//! refuse, or did something else that is not ours to do but is no protocol
//! violation, the record says so in its [`Finding`]s and the replay goes on; a
//! protocol violation still ends the replay with an [`InspectError`].

use bytes::{Bytes, BytesMut};

use crate::client::{ClientConfig, ClientSession, Event as ClientEvent};
use crate::command::{Command, ResponseShape, SaslResponse, parse_command};
use crate::limits::Limits;
use crate::response::{Positive, Response};
use crate::response::{ResponseDecoder, ResponseEvent};
use crate::server::{Event as ServerEvent, Rejection, ServerConfig, ServerConnection};
use crate::types::State;

/// The limits a replay runs with: `limits` with the server's policy lifted.
///
/// Another server's transcript follows that server's policy (Dovecot answers
/// 20 bad commands in a row before it gives up, and lets a client that
/// cancelled AUTH three times log in), so the replay does not apply ours:
/// [`Limits::max_bad_commands`], [`Limits::max_failed_logins`] and
/// [`Limits::max_sasl_steps`] (also the client's, which would otherwise
/// cancel the exchange itself) are unbounded. Everything that bounds memory
/// (buffers, listing entries, chunk sizes) and the line lengths RFC 2449 §4
/// and RFC 5034 §4 define stay as given: a capture is untrusted input.
pub fn replay_limits(limits: &Limits) -> Limits {
    let mut limits = limits.clone();
    limits.max_bad_commands = u32::MAX;
    limits.max_failed_logins = u32::MAX;
    limits.max_sasl_steps = u32::MAX;
    limits
}

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to server: commands and SASL answers.
    ClientToServer,
    /// Server to client: greeting and responses.
    ServerToClient,
}

impl Direction {
    /// `c2s` or `s2c`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientToServer => "c2s",
            Self::ServerToClient => "s2c",
        }
    }
}

/// One decoded message of the replay.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Item {
    /// A command the server accepted for processing.
    Command(Command),
    /// A line our server session rejected, carried as received (the server's
    /// answer follows as an [`Item::Response`] to [`REJECTED_LINE`]).
    Rejected {
        /// The line as received, without its line ending (empty when it was
        /// too long to keep).
        line: Bytes,
        /// Why it was rejected.
        reason: Rejection,
        /// The line was an answer in a SASL exchange: it may hold
        /// credentials, whatever it looks like.
        sasl: bool,
    },
    /// An answer to a SASL challenge.
    SaslResponse(SaslResponse),
    /// The greeting.
    Greeting(Response),
    /// A response (for RETR/TOP, with the body that followed it).
    Response {
        /// The command answered (its name).
        command: &'static str,
        /// The response.
        response: Response,
        /// The unstuffed length of what followed the status line: the body
        /// for RETR/TOP, the lines of a multi-line answer to a rejected
        /// line (`CAPA x`).
        body_len: Option<u64>,
    },
    /// A line no command asked for, sent before the server closed the
    /// connection (always `-ERR`, with [`Finding::UnsolicitedBeforeClose`]).
    Unsolicited(Response),
}

/// The `command` of the [`Item::Response`] that answers an [`Item::Rejected`].
pub const REJECTED_LINE: &str = "rejected line";

/// Something the real server did that our sessions would not, and that is no
/// protocol violation: reported on the record where it shows, and the
/// replay goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Finding {
    /// The server accepted (`+OK`) a line our command decoder refuses: an
    /// empty or non-ASCII line, `USER` with no name (Dovecot), `STAT` with an
    /// argument. Reported on the answer.
    AcceptedUndecodableLine,
    /// The server accepted (`+OK`) a command our server session refuses in
    /// that state (RFC 1939 §4-§7 state rules, PASS not right after USER).
    /// Reported on the answer.
    AcceptedOutOfState,
    /// The server sent a line no command asked for, then closed the
    /// connection (Dovecot's `-ERR Too many bad commands.`, an idle
    /// timeout's `-ERR`). Reported on that line.
    UnsolicitedBeforeClose,
}

impl Finding {
    /// A short name in kebab case, for output.
    pub fn name(self) -> &'static str {
        match self {
            Self::AcceptedUndecodableLine => "accepted-undecodable-line",
            Self::AcceptedOutOfState => "accepted-out-of-state",
            Self::UnsolicitedBeforeClose => "unsolicited-before-close",
        }
    }

    /// What it means, in a sentence.
    pub fn description(self) -> &'static str {
        match self {
            Self::AcceptedUndecodableLine => {
                "our decoder refuses this line, the server accepted it"
            }
            Self::AcceptedOutOfState => {
                "our server session refuses this command here, the server accepted it"
            }
            Self::UnsolicitedBeforeClose => {
                "the server sent this line unasked before it closed the connection"
            }
        }
    }
}

/// A decoded message and where it was in the capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Who sent it.
    pub direction: Direction,
    /// Offset of its first octet in that direction's stream.
    pub offset: u64,
    /// Its length on the wire.
    pub len: u64,
    /// What it was.
    pub item: Item,
    /// Whether the session re-encoded it to exactly the captured bytes (not
    /// required: servers differ in spelling, e.g. `+ok`). A rejected line is
    /// carried as received: exact unless it was too long to keep.
    pub exact: bool,
    /// What the real server did here that our sessions would not.
    pub findings: Vec<Finding>,
}

/// How a replay ended when nothing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Commands (and rejected lines, and SASL answers) decoded.
    pub client_messages: usize,
    /// Greeting and responses decoded.
    pub server_messages: usize,
    /// Octets of the client stream decoded.
    pub c2s_bytes: u64,
    /// Octets of the server stream decoded.
    pub s2c_bytes: u64,
    /// The session switched to TLS after STLS: offsets (c2s, s2c) where the
    /// encrypted bytes start. They are not decoded.
    pub tls_at: Option<(u64, u64)>,
}

/// Where and why a replay failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} at offset {offset}: {reason}", direction.as_str())]
pub struct InspectError {
    /// The stream where it failed.
    pub direction: Direction,
    /// Offset in that stream.
    pub offset: u64,
    /// What went wrong.
    pub reason: String,
}

/// Feeds one direction's bytes a line at a time.
#[derive(Clone)]
struct Feeder<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Feeder<'a> {
    fn next_line(&mut self) -> Option<&'a [u8]> {
        let rest = &self.data[self.pos..];
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        self.pos += end;
        Some(&rest[..end])
    }
}

struct BodyInProgress {
    command: &'static str,
    head: Response,
    offset: u64,
    body: BytesMut,
    wire: BytesMut,
}

/// A line our server session rejected, waiting for the real server's answer.
struct RejectedLine {
    /// Where it was in the client stream.
    offset: u64,
    /// What it means if the server accepted it.
    if_accepted: Finding,
    /// It was a SASL answer: the client session, told that the exchange was
    /// cancelled, decodes the server's final answer to the AUTH. Otherwise
    /// the replay reads the answer itself.
    in_sasl: bool,
    /// A `+OK` to it starts a multi-line answer ([`answer_has_lines`]).
    answer_has_lines: bool,
}

/// The replay engine.
struct Replay<'a, 'f> {
    limits: Limits,
    server: ServerConnection,
    client: ClientSession,
    c2s: &'a [u8],
    s2c: &'a [u8],
    on_record: &'f mut dyn FnMut(&Record),
    summary: Summary,
    /// Names of commands in flight on the client, oldest first.
    sent: std::collections::VecDeque<(&'static str, ResponseShape)>,
    body: Option<BodyInProgress>,
    /// Where the next server message starts: messages are contiguous, and a
    /// multi-line one is decoded over several polls.
    s2c_start: u64,
    /// The rejected line being answered, if any.
    rejected: Option<RejectedLine>,
    /// The first rejected line the real server accepted (its c2s offset):
    /// from there on that server's state and ours may differ, which later
    /// failures mention.
    diverged_at: Option<u64>,
    /// Server octets the replay read itself (answers to rejected lines,
    /// lines before the close): the client session's offsets are this much
    /// behind the capture's.
    s2c_skipped: u64,
}

/// Replays a captured session: `c2s` is every byte the client sent, `s2c`
/// every byte the server sent. `on_record` sees each decoded message.
pub fn inspect(
    c2s: &[u8],
    s2c: &[u8],
    limits: &Limits,
    on_record: &mut dyn FnMut(&Record),
) -> Result<Summary, InspectError> {
    let limits = replay_limits(limits);
    // Replays show what clients really send; hand-typed sessions use bare LF.
    let server_config = ServerConfig {
        limits: limits.clone(),
        allow_bare_lf: true,
    };
    let mut r = Replay {
        server: ServerConnection::new(server_config),
        client: ClientSession::new(ClientConfig::with_limits(limits.clone())),
        limits,
        c2s,
        s2c,
        on_record,
        summary: Summary {
            client_messages: 0,
            server_messages: 0,
            c2s_bytes: 0,
            s2c_bytes: 0,
            tls_at: None,
        },
        sent: Default::default(),
        body: None,
        s2c_start: 0,
        rejected: None,
        diverged_at: None,
        s2c_skipped: 0,
    };
    r.run()
}

impl Replay<'_, '_> {
    fn run(&mut self) -> Result<Summary, InspectError> {
        let mut c2s = Feeder {
            data: self.c2s,
            pos: 0,
        };
        let mut s2c = Feeder {
            data: self.s2c,
            pos: 0,
        };
        loop {
            self.pump()?;
            if self.server.state() == State::TlsHandshake {
                self.summary.tls_at = Some((self.server.input_offset(), self.s2c_decoded()));
                break;
            }
            if self.server.is_waiting_for_input()
                && let Some(line) = c2s.next_line()
            {
                self.server.handle_input(line);
                continue;
            }
            if self.rejected.as_ref().is_some_and(|r| !r.in_sasl)
                && let Some(line) = s2c.next_line()
            {
                self.answer_rejected(line, &mut s2c)?;
                continue;
            }
            if self.client.is_waiting_for_input()
                && let Some(line) = s2c.next_line()
            {
                self.client.handle_input(line);
                continue;
            }
            break;
        }
        self.summary.c2s_bytes = self.server.input_offset();
        if self.summary.tls_at.is_none() {
            if (self.summary.c2s_bytes as usize) < self.c2s.len() {
                return Err(self.fail(Direction::ClientToServer, self.summary.c2s_bytes, "client bytes left over: the server session waits for an answer the capture does not hold".into()));
            }
            self.lines_before_close(&mut s2c)?;
        }
        self.summary.s2c_bytes = self.s2c_decoded();
        if self.summary.tls_at.is_none() && (self.summary.s2c_bytes as usize) < self.s2c.len() {
            return Err(self.fail(
                Direction::ServerToClient,
                self.summary.s2c_bytes,
                "server bytes left over that no command asked for".into(),
            ));
        }
        Ok(self.summary.clone())
    }

    /// Octets of the server stream decoded, by the client session or by the
    /// replay itself.
    fn s2c_decoded(&self) -> u64 {
        self.client.input_offset() + self.s2c_skipped
    }

    /// Once the client has said everything and every command is answered,
    /// what the server still sent must be `-ERR` lines before its close
    /// (Dovecot's `-ERR Too many bad commands.`): each is recorded with
    /// [`Finding::UnsolicitedBeforeClose`]. Anything else is left over, and
    /// the caller reports it.
    fn lines_before_close(&mut self, s2c: &mut Feeder<'_>) -> Result<(), InspectError> {
        if self.client.pending() > 0
            || self.rejected.is_some()
            || self.body.is_some()
            || self.s2c_decoded() != s2c.pos as u64
        {
            return Ok(());
        }
        let mut decoder = ResponseDecoder::new(self.limits.clone());
        let mut lines = s2c.clone();
        let mut found = Vec::new();
        while let Some(line) = lines.next_line() {
            let mut buf = BytesMut::from(line);
            match decoder.decode(&mut buf, ResponseShape::Status) {
                Ok(Some(ResponseEvent::Response(response @ Response::Err(_))))
                    if buf.is_empty() =>
                {
                    found.push((line.len() as u64, response));
                }
                _ => return Ok(()),
            }
        }
        *s2c = lines;
        for (len, response) in found {
            let offset = self.s2c_start;
            let mut wire = BytesMut::new();
            response.encode(&mut wire);
            let exact = self.captured(Direction::ServerToClient, offset, len) == &wire[..];
            self.s2c_start += len;
            self.s2c_skipped += len;
            self.record(
                Direction::ServerToClient,
                offset,
                len,
                Item::Unsolicited(response),
                exact,
                vec![Finding::UnsolicitedBeforeClose],
            );
        }
        Ok(())
    }

    /// Reads the real server's answer to a rejected line, gives it to the
    /// server session and records it. The answer is one line (`-ERR`, or a
    /// `+OK` to a line that server took for a command), or a `+OK` and the
    /// lines up to the terminating `.` when the line, read as the real
    /// server may have read it, asks for a multi-line answer (Dovecot
    /// answers `CAPA x` with its capability list). If the server's answer
    /// had more lines than that, the states have split (a finding says
    /// where) and the next message fails to decode.
    fn answer_rejected(&mut self, line: &[u8], s2c: &mut Feeder<'_>) -> Result<(), InspectError> {
        let Some(rejected) = self.rejected.take() else {
            return Ok(());
        };
        let offset = self.s2c_start;
        let len = line.len() as u64;
        let mut buf = BytesMut::from(line);
        let mut decoder = ResponseDecoder::new(self.limits.clone());
        let response = match decoder.decode(&mut buf, ResponseShape::Status) {
            Ok(Some(ResponseEvent::Response(response))) if buf.is_empty() => response,
            Ok(None) => {
                return Err(self.s2c_fail(
                    offset,
                    "the capture ends inside the answer to a rejected line",
                ));
            }
            Ok(Some(other)) => {
                return Err(self.s2c_fail(
                    offset,
                    format!("the answer to a rejected line decodes to {other:?}"),
                ));
            }
            Err(e) => {
                let e = match e {
                    crate::error::Error::Decode { error, .. } => error.to_string(),
                    e => e.to_string(),
                };
                return Err(self.s2c_fail(
                    offset,
                    format!("the answer to a rejected line does not decode: {e}"),
                ));
            }
        };
        let status_len = len;
        let mut len = len;
        let mut body_len = None;
        if response.is_ok() && rejected.answer_has_lines {
            let (lines_len, unstuffed) = lines_to_terminator(s2c).ok_or_else(|| {
                self.s2c_fail(
                    offset + len,
                    "the capture ends inside the multi-line answer to a rejected line",
                )
            })?;
            len += lines_len;
            body_len = Some(unstuffed);
        }
        self.s2c_start += len;
        self.s2c_skipped += len;
        self.answer(&response, offset)?;
        let exact = self.check_reencoding(&response, ResponseShape::Status, offset, status_len)?;
        let findings = if response.is_ok() {
            self.accepted(rejected)
        } else {
            Vec::new()
        };
        let item = Item::Response {
            command: REJECTED_LINE,
            response,
            body_len,
        };
        self.record(
            Direction::ServerToClient,
            offset,
            len,
            item,
            exact,
            findings,
        );
        Ok(())
    }

    fn fail(&self, direction: Direction, offset: u64, mut reason: String) -> InspectError {
        if let Some(at) = self.diverged_at {
            reason.push_str(&format!(
                " (the server accepted the line at c2s offset {at} that our session \
                 rejected: from there on the two may disagree on the state)"
            ));
        }
        InspectError {
            direction,
            offset,
            reason,
        }
    }

    /// The real server accepted a line our session rejected: a finding.
    fn accepted(&mut self, rejected: RejectedLine) -> Vec<Finding> {
        self.diverged_at.get_or_insert(rejected.offset);
        vec![rejected.if_accepted]
    }

    fn c2s_fail(&self, offset: u64, reason: impl std::fmt::Display) -> InspectError {
        self.fail(Direction::ClientToServer, offset, reason.to_string())
    }

    fn s2c_fail(&self, offset: u64, reason: impl std::fmt::Display) -> InspectError {
        self.fail(Direction::ServerToClient, offset, reason.to_string())
    }

    /// Runs both sessions until neither makes progress.
    fn pump(&mut self) -> Result<(), InspectError> {
        loop {
            let mut progress = false;
            loop {
                let offset = self.server.input_offset();
                let Some(event) = self
                    .server
                    .poll_event()
                    .map_err(|e| self.c2s_fail(error_offset(&e, offset), e))?
                else {
                    break;
                };
                progress = true;
                let len = self.server.input_offset() - offset;
                self.on_server_event(event, offset, len)?;
            }
            let offset = self.s2c_start;
            let skipped = self.s2c_skipped;
            if let Some(event) = self.client.poll_event().map_err(|e| match e {
                // The session's offset misses what the replay read itself:
                // say the capture's.
                crate::error::Error::Decode { offset, error } => {
                    self.s2c_fail(offset + skipped, format!("decode error: {error}"))
                }
                e => self.s2c_fail(offset, e),
            })? {
                progress = true;
                let end = self.s2c_decoded();
                self.on_client_event(event, offset, end - offset)?;
                if self.body.is_none() {
                    self.s2c_start = end;
                }
            }
            if !progress {
                return Ok(());
            }
        }
    }

    fn record(
        &mut self,
        direction: Direction,
        offset: u64,
        len: u64,
        item: Item,
        exact: bool,
        findings: Vec<Finding>,
    ) {
        match direction {
            Direction::ClientToServer => self.summary.client_messages += 1,
            Direction::ServerToClient => self.summary.server_messages += 1,
        }
        (self.on_record)(&Record {
            direction,
            offset,
            len,
            item,
            exact,
            findings,
        });
    }

    fn captured(&self, direction: Direction, offset: u64, len: u64) -> &[u8] {
        let data = match direction {
            Direction::ClientToServer => self.c2s,
            Direction::ServerToClient => self.s2c,
        };
        data.get(offset as usize..(offset + len) as usize)
            .unwrap_or_default()
    }

    fn on_server_event(
        &mut self,
        event: ServerEvent,
        offset: u64,
        len: u64,
    ) -> Result<(), InspectError> {
        match event {
            ServerEvent::Command(command) => {
                let shape = command.response_shape();
                self.client.send(command.clone()).map_err(|e| {
                    self.c2s_fail(
                        offset,
                        format!("the client session refuses to send it: {e}"),
                    )
                })?;
                let sent = self.client.poll_transmit().unwrap_or_default();
                let line = sent
                    .strip_suffix(b"\r\n")
                    .map(Bytes::copy_from_slice)
                    .unwrap_or_default();
                let again = parse_command(&line).map_err(|e| {
                    self.c2s_fail(
                        offset,
                        format!("the client's encoding does not decode: {e}"),
                    )
                })?;
                if again != command {
                    return Err(self.c2s_fail(
                        offset,
                        format!("the client encoded {again:?} for {command:?}"),
                    ));
                }
                let exact = self.captured(Direction::ClientToServer, offset, len) == &sent[..];
                self.sent.push_back((command.name(), shape));
                self.record(
                    Direction::ClientToServer,
                    offset,
                    len,
                    Item::Command(command),
                    exact,
                    Vec::new(),
                );
            }
            ServerEvent::Rejected { line, reason, .. } => {
                // Carried as received: never re-encoded, so any octets do.
                let captured = self.captured(Direction::ClientToServer, offset, len);
                let content = captured
                    .strip_suffix(b"\n")
                    .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
                let exact = content == Some(&line[..]);
                let if_accepted = match reason {
                    Rejection::Malformed(_) => Finding::AcceptedUndecodableLine,
                    _ => Finding::AcceptedOutOfState,
                };
                let in_sasl = self.client.in_sasl_exchange();
                if in_sasl {
                    // RFC 5034 §4: a SASL answer the server cannot decode
                    // ends the exchange with -ERR, as `*` does; the client
                    // session, told the exchange was cancelled, decodes the
                    // final answer to the AUTH.
                    self.client
                        .sasl_respond(SaslResponse::Cancel)
                        .map_err(|e| self.c2s_fail(offset, e))?;
                    let _ = self.client.poll_transmit();
                }
                self.rejected = Some(RejectedLine {
                    offset,
                    if_accepted,
                    in_sasl,
                    answer_has_lines: !in_sasl && answer_has_lines(&line),
                });
                self.record(
                    Direction::ClientToServer,
                    offset,
                    len,
                    Item::Rejected {
                        line,
                        reason,
                        sasl: in_sasl,
                    },
                    exact,
                    Vec::new(),
                );
            }
            ServerEvent::SaslResponse(answer) => {
                self.client
                    .sasl_respond(answer.clone())
                    .map_err(|e| self.c2s_fail(offset, e))?;
                let sent = self.client.poll_transmit().unwrap_or_default();
                let exact = self.captured(Direction::ClientToServer, offset, len) == &sent[..];
                self.record(
                    Direction::ClientToServer,
                    offset,
                    len,
                    Item::SaslResponse(answer),
                    exact,
                    Vec::new(),
                );
            }
        }
        Ok(())
    }

    fn on_client_event(
        &mut self,
        event: ClientEvent,
        offset: u64,
        len: u64,
    ) -> Result<(), InspectError> {
        match event {
            ClientEvent::Greeting(response) => {
                self.answer(&response, offset)?;
                let exact =
                    self.check_reencoding(&response, ResponseShape::Greeting, offset, len)?;
                self.record(
                    Direction::ServerToClient,
                    offset,
                    len,
                    Item::Greeting(response),
                    exact,
                    Vec::new(),
                );
            }
            ClientEvent::Challenge { data, .. } => {
                let response = Response::Challenge(data);
                self.answer(&response, offset)?;
                let command = self.sent.front().map_or("?", |s| s.0);
                self.relayed(
                    command,
                    response,
                    ResponseShape::Sasl,
                    offset,
                    len,
                    Vec::new(),
                )?;
            }
            ClientEvent::Response { response, .. } => {
                let (command, shape) = self
                    .sent
                    .front()
                    .copied()
                    .unwrap_or(("?", ResponseShape::Status));
                self.answer(&response, offset)?;
                if let Response::Ok(Positive::Message(_)) = response {
                    let wire = self
                        .server
                        .poll_transmit()
                        .map(BytesMut::from)
                        .unwrap_or_default();
                    self.body = Some(BodyInProgress {
                        command,
                        head: response,
                        offset,
                        body: BytesMut::new(),
                        wire,
                    });
                    return Ok(());
                }
                self.sent.pop_front();
                // The final answer to an AUTH whose SASL line we rejected.
                let findings = match self.rejected.take() {
                    Some(r) if response.is_ok() => self.accepted(r),
                    _ => Vec::new(),
                };
                self.relayed(command, response, shape, offset, len, findings)?;
            }
            ClientEvent::BodyChunk { data, .. } => {
                self.server
                    .send_body(&data)
                    .map_err(|e| self.s2c_fail(offset, e))?;
                if let Some(b) = &mut self.body {
                    b.body.extend_from_slice(&data);
                    if let Some(out) = self.server.poll_transmit() {
                        b.wire.extend_from_slice(&out);
                    }
                }
            }
            ClientEvent::BodyEnd { .. } => {
                self.server
                    .end_body()
                    .map_err(|e| self.s2c_fail(offset, e))?;
                self.sent.pop_front();
                let Some(mut b) = self.body.take() else {
                    return Err(self.s2c_fail(offset, "body end without a body"));
                };
                if let Some(out) = self.server.poll_transmit() {
                    b.wire.extend_from_slice(&out);
                }
                let total = offset + len - b.offset;
                let exact =
                    self.captured(Direction::ServerToClient, b.offset, total) == &b.wire[..];
                // The server's encoding must decode to the same head and body,
                // unless TOP cut differently (the server re-applies the limit).
                let items = redecode(&b.wire, ResponseShape::Message)
                    .map_err(|e| self.s2c_fail(b.offset, e))?;
                let mut again = BytesMut::new();
                for item in &items[1..] {
                    if let ResponseEvent::BodyChunk(d) = item {
                        again.extend_from_slice(d);
                    }
                }
                if items.first() != Some(&ResponseEvent::Response(b.head.clone()))
                    || again != b.body
                {
                    return Err(self.s2c_fail(
                        b.offset,
                        "the server's re-encoding of the message decodes differently",
                    ));
                }
                let body_len = Some(b.body.len() as u64);
                self.record(
                    Direction::ServerToClient,
                    b.offset,
                    total,
                    Item::Response {
                        command: b.command,
                        response: b.head,
                        body_len,
                    },
                    exact,
                    Vec::new(),
                );
            }
        }
        Ok(())
    }

    /// Checks the server's encoding of a single-line or listing answer and
    /// records it.
    fn relayed(
        &mut self,
        command: &'static str,
        response: Response,
        shape: ResponseShape,
        offset: u64,
        len: u64,
        findings: Vec<Finding>,
    ) -> Result<(), InspectError> {
        let exact = self.check_reencoding(&response, shape, offset, len)?;
        let item = Item::Response {
            command,
            response,
            body_len: None,
        };
        self.record(
            Direction::ServerToClient,
            offset,
            len,
            item,
            exact,
            findings,
        );
        Ok(())
    }

    /// Gives the client's decoded response to the server as the application's answer.
    fn answer(&mut self, response: &Response, offset: u64) -> Result<(), InspectError> {
        self.server.respond(response.clone()).map_err(|e| {
            self.s2c_fail(
                offset,
                format!("the server session refuses this answer: {e}"),
            )
        })
    }

    /// Checks that what the server encoded decodes to `response`; returns
    /// whether it is byte-identical to the capture.
    fn check_reencoding(
        &mut self,
        response: &Response,
        shape: ResponseShape,
        offset: u64,
        len: u64,
    ) -> Result<bool, InspectError> {
        let wire = self.server.poll_transmit().unwrap_or_default();
        let items = redecode(&wire, shape).map_err(|e| self.s2c_fail(offset, e))?;
        if items != [ResponseEvent::Response(response.clone())] {
            return Err(self.s2c_fail(
                offset,
                format!("the server's re-encoding decodes to {items:?}"),
            ));
        }
        Ok(self.captured(Direction::ServerToClient, offset, len) == &wire[..])
    }
}

/// Whether a `+OK` to `line`, a line our command decoder refused, starts a
/// multi-line answer, as a lenient server reads the line: CAPA (RFC 2449
/// §5), RETR and TOP (RFC 1939 §7) always; LIST and UIDL (RFC 1939 §5, §7)
/// and AUTH (RFC 5034 §4, the mechanism list some servers give) when no
/// argument follows the keyword. Dovecot, for one, ignores `CAPA`'s
/// arguments and sends its whole list.
fn answer_has_lines(line: &[u8]) -> bool {
    let mut words = line
        .split(|b| matches!(b, b' ' | b'\t'))
        .filter(|word| !word.is_empty());
    let Some(keyword) = words.next() else {
        return false;
    };
    let bare = words.next().is_none();
    let keyword = keyword.to_ascii_uppercase();
    match &keyword[..] {
        b"CAPA" | b"RETR" | b"TOP" => true,
        b"LIST" | b"UIDL" | b"AUTH" => bare,
        _ => false,
    }
}

/// Steps over the lines of a multi-line answer up to and including its
/// terminating `.` line (RFC 1939 §3); returns the octets stepped over and
/// the unstuffed length of the lines before the terminator, or `None` when
/// the capture ends first.
fn lines_to_terminator(s2c: &mut Feeder<'_>) -> Option<(u64, u64)> {
    let mut lines = s2c.clone();
    let (mut wire, mut unstuffed) = (0u64, 0u64);
    loop {
        let line = lines.next_line()?;
        wire += line.len() as u64;
        if matches!(line, b".\r\n" | b".\n") {
            *s2c = lines;
            return Some((wire, unstuffed));
        }
        unstuffed += line.len() as u64 - u64::from(line.first() == Some(&b'.'));
    }
}

/// Where a session error happened: the offending line when the error says,
/// else the start of the message being decoded.
fn error_offset(error: &crate::error::Error, start: u64) -> u64 {
    match error {
        crate::error::Error::Decode { offset, .. } => *offset,
        _ => start,
    }
}

/// Decodes a complete encoded answer with a fresh decoder.
fn redecode(wire: &[u8], shape: ResponseShape) -> Result<Vec<ResponseEvent>, String> {
    let mut decoder = ResponseDecoder::new(Limits::default());
    let mut buf = BytesMut::from(wire);
    let mut items = Vec::new();
    loop {
        match decoder.decode(&mut buf, shape) {
            Ok(Some(item)) => {
                let done = item.is_final()
                    || matches!(item, ResponseEvent::Response(Response::Challenge(_)));
                items.push(item);
                if done {
                    break;
                }
            }
            Ok(None) => return Err("the server's re-encoding is incomplete".into()),
            Err(e) => return Err(format!("the server's re-encoding does not decode: {e}")),
        }
    }
    if !buf.is_empty() {
        return Err("the server's re-encoding has trailing bytes".into());
    }
    Ok(items)
}
