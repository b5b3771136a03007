//! Several RETR and DELE commands in flight at once (RFC 2449 §6.6,
//! PIPELINING), their answers handed out in order as they arrive.
//!
//! A [`Pipeline`] keeps at most a window of commands in flight: enough to
//! hide the round trip between one message's end and the next one's start,
//! few enough that the commands never fill a transport window (RFC 2449
//! §6.6: a client "MUST not exceed the window size of the underlying
//! transport layer" with blocking writes; 32 commands are a few hundred
//! octets). Bodies are not buffered: each chunk is handed out as it is
//! decoded, one message after another, so memory stays bounded whatever the
//! window and the message sizes. Without PIPELINING in the server's last
//! CAPA answer the window is one command: the same calls, one at a time.

use std::collections::VecDeque;

use bytes::Bytes;
use pop3_proto::{
    Capability, Command, CommandId, Event, MessageNumber, Positive, Response, SendError, StatusText,
};
use tokio::io::{AsyncRead, AsyncWrite};

use super::{Pop3Client, Pop3Error};

/// A window that hides a loopback or LAN round trip, and a WAN one for
/// messages of tens of kilobytes, in a few hundred octets of commands.
pub const DEFAULT_PIPELINE_WINDOW: usize = 32;

/// The largest window [`Pop3Client::pipeline`] uses: half the session's
/// default `max_pending_commands` (256), and 128 RETR lines are at most
/// 2 KB, far below any transport window.
pub const MAX_PIPELINE_WINDOW: usize = 128;

/// A command of a [`Pipeline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Retrieve(MessageNumber),
    Delete(MessageNumber),
}

impl Op {
    fn command(self) -> Command {
        match self {
            Op::Retrieve(msg) => Command::Retr(msg),
            Op::Delete(msg) => Command::Dele(msg),
        }
    }

    fn msg(self) -> MessageNumber {
        match self {
            Op::Retrieve(msg) | Op::Delete(msg) => msg,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Op::Retrieve(_) => "RETR",
            Op::Delete(_) => "DELE",
        }
    }
}

/// What a [`Pipeline`] hands out, in the order of the commands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reply {
    /// The server accepted a RETR: the message's body follows, as
    /// [`BodyChunk`](Self::BodyChunk)s then a [`BodyEnd`](Self::BodyEnd).
    BodyStart {
        /// The message.
        msg: MessageNumber,
    },
    /// Part of the body (unstuffed, CRLF line endings, as received).
    BodyChunk {
        /// The message.
        msg: MessageNumber,
        /// The octets.
        data: Bytes,
    },
    /// The body is complete.
    BodyEnd {
        /// The message.
        msg: MessageNumber,
        /// Its size in octets (the sum of its chunks).
        size: u64,
    },
    /// The server marked the message deleted (it goes at QUIT, RFC 1939 §6).
    Deleted {
        /// The message.
        msg: MessageNumber,
    },
    /// The server answered `-ERR`; the commands after it go on.
    Refused {
        /// `RETR` or `DELE`.
        command: &'static str,
        /// The message it named.
        msg: MessageNumber,
        /// What the server said.
        status: StatusText,
    },
}

/// RETR and DELE commands with up to a window of them in flight (RFC 2449
/// §6.6), their answers handed out in order. Made by
/// [`Pop3Client::pipeline`].
///
/// Bodies are not buffered: each chunk is handed out as it is decoded, one
/// message after another, so memory stays bounded whatever the window and
/// the message sizes. The window's commands are a few hundred octets, so
/// they never fill a transport window (which RFC 2449 §6.6 forbids a client
/// that blocks on writes).
///
/// Queue commands with [`retrieve`](Self::retrieve) and
/// [`delete`](Self::delete) (they are sent as the window allows), and take
/// the answers with [`next`](Self::next) until it returns `None`. Drop it
/// only once `next` returned `None`: answers still due when it is dropped
/// would reach the next command of the client, which then fails with
/// [`Pop3Error::Unexpected`] (never with another command's answer).
pub struct Pipeline<'a, S> {
    client: &'a mut Pop3Client<S>,
    window: usize,
    /// Commands queued and not yet handed to the session.
    queued: VecDeque<Op>,
    /// Commands sent, answers due in this order (RFC 2449 §6.6: the server
    /// "MUST process each command in turn").
    in_flight: VecDeque<(CommandId, Op)>,
    /// Octets of the body being received so far.
    body_size: u64,
}

impl<S> std::fmt::Debug for Pipeline<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("window", &self.window)
            .field("queued", &self.queued.len())
            .field("in_flight", &self.in_flight.len())
            .finish_non_exhaustive()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> Pop3Client<S> {
    /// A [`Pipeline`] of RETR and DELE commands: up to `window` in flight
    /// (e.g. [`DEFAULT_PIPELINE_WINDOW`]) when the server's last CAPA answer
    /// listed PIPELINING, else one at a time. Ask
    /// [`capabilities`](Self::capabilities) after login first: until a CAPA
    /// answer is known the session cannot tell, and this falls back to one
    /// command at a time. `window` is clamped to 1..=[`MAX_PIPELINE_WINDOW`]
    /// (and the session's `max_pending_commands` is respected too).
    pub fn pipeline(&mut self, window: usize) -> Pipeline<'_, S> {
        let window = if self.session.has_capability(&Capability::Pipelining) {
            window.clamp(1, MAX_PIPELINE_WINDOW)
        } else {
            1
        };
        Pipeline {
            client: self,
            window,
            queued: VecDeque::new(),
            in_flight: VecDeque::new(),
            body_size: 0,
        }
    }

    /// DELE for every message in `msgs`, pipelined as
    /// [`pipeline`](Self::pipeline) allows; every answer is read. The first
    /// refusal, if any, is the error (the messages before and after it that
    /// the server accepted stay marked: RSET unmarks them).
    pub async fn delete_many(
        &mut self,
        msgs: &[MessageNumber],
        window: usize,
    ) -> Result<(), Pop3Error> {
        let mut pipeline = self.pipeline(window);
        let mut next = msgs.iter();
        let mut refused = None;
        loop {
            while pipeline.has_room() {
                let Some(&msg) = next.next() else { break };
                pipeline.delete(msg);
            }
            match pipeline.next().await? {
                None => break,
                Some(Reply::Deleted { .. }) => {}
                Some(Reply::Refused {
                    command, status, ..
                }) => {
                    refused.get_or_insert(Pop3Error::Refused { command, status });
                }
                Some(other) => return Err(Pop3Error::Unexpected(format!("{other:?}"))),
            }
        }
        refused.map_or(Ok(()), Err)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> Pipeline<'_, S> {
    /// The window in force: 1 without PIPELINING.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Whether fewer commands than the window are queued or in flight:
    /// queue more now to keep the server busy.
    pub fn has_room(&self) -> bool {
        self.queued.len() + self.in_flight.len() < self.window
    }

    /// Commands queued or in flight, answers not yet handed out in full.
    pub fn outstanding(&self) -> usize {
        self.queued.len() + self.in_flight.len()
    }

    /// Queues a RETR; its answer comes as [`Reply::BodyStart`], chunks and
    /// [`Reply::BodyEnd`], or [`Reply::Refused`].
    pub fn retrieve(&mut self, msg: MessageNumber) {
        self.queued.push_back(Op::Retrieve(msg));
    }

    /// Queues a DELE; its answer comes as [`Reply::Deleted`] or
    /// [`Reply::Refused`].
    pub fn delete(&mut self, msg: MessageNumber) {
        self.queued.push_back(Op::Delete(msg));
    }

    /// Hands queued commands to the session while the window allows.
    fn send_queued(&mut self) -> Result<(), Pop3Error> {
        while self.in_flight.len() < self.window {
            let Some(op) = self.queued.pop_front() else {
                break;
            };
            match self.client.session.send(op.command()) {
                Ok(id) => self.in_flight.push_back((id, op)),
                // A session configured for fewer commands in flight than
                // the window: its limit is the window.
                Err(SendError::TooManyPending { .. }) if !self.in_flight.is_empty() => {
                    self.queued.push_front(op);
                    break;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The next answer, in command order; `None` once every queued command
    /// is answered. Sends queued commands as the window frees (the session's
    /// output is written before each read).
    pub async fn next(&mut self) -> Result<Option<Reply>, Pop3Error> {
        self.send_queued()?;
        let Some(&(id, op)) = self.in_flight.front() else {
            return Ok(None);
        };
        let msg = op.msg();
        let event = self.client.next_event().await?;
        let reply = match (op, event) {
            (Op::Retrieve(_), Event::BodyChunk { id: got, data }) if got == id => {
                self.body_size += data.len() as u64;
                Reply::BodyChunk { msg, data }
            }
            (Op::Retrieve(_), Event::BodyEnd { id: got }) if got == id => {
                self.in_flight.pop_front();
                Reply::BodyEnd {
                    msg,
                    size: std::mem::take(&mut self.body_size),
                }
            }
            (
                Op::Retrieve(_),
                Event::Response {
                    id: got,
                    response: Response::Ok(Positive::Message(_)),
                },
            ) if got == id => {
                self.body_size = 0;
                Reply::BodyStart { msg }
            }
            (
                Op::Delete(_),
                Event::Response {
                    id: got,
                    response: Response::Ok(_),
                },
            ) if got == id => {
                self.in_flight.pop_front();
                Reply::Deleted { msg }
            }
            (
                _,
                Event::Response {
                    id: got,
                    response: Response::Err(status),
                },
            ) if got == id => {
                self.in_flight.pop_front();
                Reply::Refused {
                    command: op.name(),
                    msg,
                    status,
                }
            }
            (_, other) => return Err(Pop3Error::Unexpected(format!("{other:?}"))),
        };
        // Refill at once: the next RETR goes out with the next flush,
        // before this body's end is even read.
        self.send_queued()?;
        Ok(Some(reply))
    }
}
