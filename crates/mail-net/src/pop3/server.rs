//! The POP3 server connection driver: runs a [`ServerSession`] over a stream
//! and asks a [`Maildrop`] the embedder implements for authentication,
//! message content and the commit of deletions.

use std::collections::HashSet;
use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use pop3_proto::{
    Credentials, LoginFailure, MessageInfo, ServerSession, SessionConfig, SessionEvent,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::guard::{ConnectionGuard, Deadline, Expired, Guards, Refusal};
use crate::stream::MailStream;

/// A mail store the server serves from.
pub trait Maildrop: Send + Sync + 'static {
    /// An open, locked maildrop of one user.
    type Mailbox: Mailbox;

    /// Checks credentials (USER/PASS, APOP, SASL PLAIN/LOGIN/XOAUTH2); returns
    /// the user whose maildrop to open.
    fn authenticate(
        &self,
        credentials: &Credentials,
    ) -> impl Future<Output = Result<String, LoginFailure>> + Send;

    /// Opens `user`'s maildrop and takes the snapshot the session numbers
    /// messages from. The driver holds the user's lock while it is open.
    fn open(&self, user: &str) -> impl Future<Output = io::Result<Self::Mailbox>> + Send;
}

/// One user's maildrop, open for a session.
pub trait Mailbox: Send + 'static {
    /// A message's content, as a stream.
    type Message: AsyncRead + Unpin + Send;

    /// The snapshot: size (as sent with CRLF) and unique-id of each message.
    fn messages(&self) -> Vec<MessageInfo>;

    /// Opens message `index` (0-based position in the snapshot).
    fn read(&mut self, index: usize) -> impl Future<Output = io::Result<Self::Message>> + Send;

    /// Deletes these messages for good (0-based positions in the snapshot).
    /// Called only after QUIT in the TRANSACTION state; must be durable when
    /// it returns `Ok`.
    fn commit(&mut self, deleted: &[usize]) -> impl Future<Output = io::Result<()>> + Send;
}

/// The users whose maildrop is open, so that a second session for the same
/// user gets `-ERR [IN-USE]` (RFC 1939 §8, RFC 2449 §8.1.2).
#[derive(Debug, Clone, Default)]
pub struct Locks {
    held: Arc<Mutex<HashSet<String>>>,
}

/// Holds a user's lock; released when dropped.
#[derive(Debug)]
struct LockGuard {
    locks: Locks,
    user: String,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Ok(mut held) = self.locks.held.lock() {
            held.remove(&self.user);
        }
    }
}

impl Locks {
    fn try_lock(&self, user: &str) -> Option<LockGuard> {
        let mut held = self.held.lock().ok()?;
        held.insert(user.to_owned()).then(|| LockGuard {
            locks: self.clone(),
            user: user.to_owned(),
        })
    }

    /// Whether `user`'s maildrop is open in some session.
    pub fn is_locked(&self, user: &str) -> bool {
        self.held.lock().is_ok_and(|h| h.contains(user))
    }
}

/// How TLS is offered on a listener.
#[derive(Clone)]
#[non_exhaustive]
pub enum TlsMode {
    /// Implicit TLS from the first byte (POP3S, port 995).
    Implicit(tokio_rustls::TlsAcceptor),
    /// Plaintext with STLS offered (port 110).
    StartTls(tokio_rustls::TlsAcceptor),
    /// Plaintext only (tests, loopback).
    None,
}

impl std::fmt::Debug for TlsMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Implicit(_) => "Implicit",
            Self::StartTls(_) => "StartTls",
            Self::None => "None",
        })
    }
}

/// Server behaviour around the session. The guards shared between
/// connections (deadlines, connection limits, failed-login delays) are a
/// [`Guards`] the listener is given.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerOptions {
    /// The session's configuration (greeting, mechanisms, limits). STLS is
    /// offered when the connection's [`TlsMode`] is `StartTls`; logins wait
    /// for TLS unless `session.allow_plaintext_logins` is set. The APOP
    /// timestamp is made unique for each connection (RFC 1939 §7) by a
    /// number put before its `@`.
    pub session: SessionConfig,
    /// Autologout: a client idle this long is disconnected without any
    /// deletion. Default 10 minutes, the least RFC 1939 §3 allows. Before
    /// login the (shorter) login deadline of the [`Guards`] applies too.
    pub idle_timeout: Duration,
    /// Size of the chunks a message is read and sent in (and so the most the
    /// driver buffers for one message).
    pub body_chunk: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            session: SessionConfig::default(),
            idle_timeout: Duration::from_secs(10 * 60),
            body_chunk: 64 * 1024,
        }
    }
}

/// What can end a connection with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// Network error.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The client broke the protocol (injection around STLS, too many bad
    /// commands, too many failed logins).
    #[error(transparent)]
    Protocol(#[from] pop3_proto::Error),
    /// A session call failed (a bug in the driver).
    #[error(transparent)]
    Session(#[from] pop3_proto::SendError),
    /// The TLS handshake failed.
    #[error("TLS handshake failed: {0}")]
    Handshake(io::Error),
    /// A deadline passed: the TLS handshake or the login took too long
    /// (an idle client is an autologout, not an error).
    #[error(transparent)]
    Deadline(Expired),
    /// The connection was refused at once, over a connection limit. On a
    /// plaintext or STLS listener the client got a `-ERR [SYS/TEMP]` line;
    /// on an implicit-TLS one it was closed without a word (an answer would
    /// need a TLS handshake first, the very cost the limit avoids).
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The storage failed while reading a message (the `+OK` was already
    /// sent, so the connection had to be closed).
    #[error("reading message {index} from storage failed")]
    Storage {
        /// The message.
        index: usize,
        /// Why.
        source: io::Error,
    },
}

/// How a connection went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionSummary {
    /// The user who logged in, if any.
    pub user: Option<String>,
    /// Messages retrieved (RETR and TOP).
    pub retrieved: usize,
    /// Messages deleted at QUIT.
    pub deleted: usize,
    /// The client was disconnected for being idle.
    pub autologout: bool,
}

/// Runs one POP3 connection to its end, within the deadlines and limits of
/// `guard` (from [`Guards::admit`]).
///
/// The greeting is sent at once. Commands are read and answered one at a time;
/// output is written out before more input is read, and a message is read
/// from the mailbox one chunk at a time, only as fast as the client takes it,
/// so a client that stops reading cannot make the server buffer.
pub async fn serve_connection<S, M>(
    mut stream: MailStream<S>,
    tls: &TlsMode,
    maildrop: &M,
    locks: &Locks,
    options: &ServerOptions,
    mut guard: ConnectionGuard,
) -> Result<ConnectionSummary, ServeError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
    M: Maildrop,
{
    let mut deadline = guard.deadline(options.idle_timeout);
    let mut config = options.session.clone();
    config.stls = matches!(tls, TlsMode::StartTls(_)) && !stream.is_tls();
    config.apop_timestamp = config.apop_timestamp.as_deref().map(unique_timestamp);
    let mut session = if stream.is_tls() {
        ServerSession::new_tls(config)
    } else {
        ServerSession::new(config)
    };
    let mut summary = ConnectionSummary::default();
    let mut mailbox: Option<(M::Mailbox, LockGuard)> = None;
    let mut buf = BytesMut::with_capacity(4096);
    loop {
        while let Some(event) = next_event(&mut session, &mut stream, &deadline).await? {
            match event {
                SessionEvent::Authenticate(credentials) => {
                    // The failure delays of this address and this name are
                    // served before the check, so that success and failure
                    // are answered alike and hanging up learns nothing.
                    let name = credentials.user().to_str_lossy().into_owned();
                    deadline
                        .sleep(guard.login_wait(&name))
                        .await
                        .map_err(ServeError::Deadline)?;
                    let result = deadline
                        .io(login(maildrop, locks, &mut guard, &credentials))
                        .await
                        .map_err(ServeError::Deadline)?;
                    match result {
                        Ok((user, opened, lock)) => {
                            session.accept_login(opened.messages())?;
                            deadline.logged_in();
                            summary.user = Some(user);
                            mailbox = Some((opened, lock));
                        }
                        Err(failure) => {
                            if failure == LoginFailure::BadCredentials {
                                guard.login_failed(&name);
                            }
                            session.reject_login(failure)?;
                        }
                    }
                }
                SessionEvent::Retrieve { msg, .. } => {
                    let Some((open, _)) = mailbox.as_mut() else {
                        return Err(ServeError::Protocol(pop3_proto::Error::Internal(
                            "RETR without a maildrop",
                        )));
                    };
                    send_message(
                        &mut session,
                        &mut stream,
                        open,
                        msg.index(),
                        options,
                        &deadline,
                    )
                    .await?;
                    summary.retrieved += 1;
                }
                SessionEvent::Commit { deleted } => {
                    let indices: Vec<usize> = deleted.iter().map(|(msg, _)| msg.index()).collect();
                    let result = match mailbox.as_mut() {
                        Some((open, _)) => open.commit(&indices).await.map_err(|e| e.to_string()),
                        None => Err("no maildrop open".to_owned()),
                    };
                    if result.is_ok() {
                        summary.deleted = indices.len();
                    }
                    // The session ends here: release the maildrop before the
                    // client hears +OK, so it can log in again at once.
                    mailbox = None;
                    session.commit_done(result)?;
                }
                SessionEvent::StartTls => {
                    let TlsMode::StartTls(acceptor) = tls else {
                        return Err(ServeError::Protocol(pop3_proto::Error::Internal(
                            "STLS without TLS",
                        )));
                    };
                    write_out(&mut session, &mut stream, &deadline).await?;
                    // Plaintext pipelined behind STLS is refused here, before
                    // the handshake reads a byte (RFC 2595 §4).
                    session.tls_established()?;
                    let plain = stream.take_plain()?;
                    let tls_stream = deadline
                        .handshake(acceptor.accept(plain))
                        .await
                        .map_err(ServeError::Deadline)?
                        .map_err(ServeError::Handshake)?;
                    stream = MailStream::ServerTls(Box::new(tls_stream));
                }
                _ => {}
            }
            write_out(&mut session, &mut stream, &deadline).await?;
        }
        if session.is_closed() {
            // QUIT answered by the session: unlock before the answer goes out.
            mailbox = None;
        }
        // Answers the session gave by itself (STAT, LIST, ...) go out before
        // the next read.
        write_out(&mut session, &mut stream, &deadline).await?;
        if session.is_closed() {
            let _ = stream.shutdown().await;
            return Ok(summary);
        }
        buf.clear();
        buf.reserve(4096);
        let read = deadline.io(stream.read_buf(&mut buf)).await;
        match read {
            // RFC 1939 §3: an idle session is closed without a response and
            // without entering UPDATE: nothing is deleted.
            Err(Expired::Idle) => {
                summary.autologout = true;
                let _ = stream.shutdown().await;
                return Ok(summary);
            }
            // Not logged in by the deadline, however busy: closed without a
            // response too (an unsolicited line would confuse a pipelining
            // client, and a trickling one does not deserve it).
            Err(expired) => {
                let _ = stream.shutdown().await;
                return Err(ServeError::Deadline(expired));
            }
            Ok(Ok(0)) => {
                session.handle_eof();
                return Ok(summary);
            }
            Ok(Ok(_)) => session.handle_input(&buf),
            Ok(Err(e)) => return Err(e.into()),
        }
    }
}

/// This connection's APOP timestamp, from the configured one: RFC 1939 §7
/// says it MUST differ in every greeting, or a digest seen once could be
/// replayed on the next connection. A number, unique in this process, goes
/// before the `@`: `<1234.5678@host>` becomes `<1234.5678.42@host>` (the
/// configured part, with a process id and start time, keeps it unique
/// across restarts).
fn unique_timestamp(configured: &str) -> String {
    static GREETINGS: AtomicU64 = AtomicU64::new(0);
    let n = GREETINGS.fetch_add(1, Ordering::Relaxed);
    let at = configured
        .rfind('@')
        .or_else(|| configured.rfind('>'))
        .unwrap_or(configured.len());
    format!("{}.{n}{}", &configured[..at], &configured[at..])
}

/// Checks the credentials, counts the session against the user's limit,
/// takes the user's lock and opens the maildrop (undoing the count when
/// either fails).
async fn login<M: Maildrop>(
    maildrop: &M,
    locks: &Locks,
    guard: &mut ConnectionGuard,
    credentials: &Credentials,
) -> Result<(String, M::Mailbox, LockGuard), LoginFailure> {
    let user = maildrop.authenticate(credentials).await?;
    guard
        .log_in(&user)
        .map_err(|_| LoginFailure::TooManySessions)?;
    let opened = match locks.try_lock(&user) {
        None => Err(LoginFailure::InUse),
        Some(lock) => match maildrop.open(&user).await {
            Ok(mailbox) => Ok((user, mailbox, lock)),
            Err(_) => Err(LoginFailure::Temporary),
        },
    };
    if opened.is_err() {
        guard.log_out();
    }
    opened
}

/// The session's next request. When the session fails, the answer it queued
/// last (the `-ERR` to the last of too many bad commands) still goes out
/// before the connection is closed.
async fn next_event<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut ServerSession,
    stream: &mut MailStream<S>,
    deadline: &Deadline,
) -> Result<Option<SessionEvent>, ServeError> {
    match session.poll_event() {
        Ok(event) => Ok(event),
        Err(e) => {
            let _ = write_out(session, stream, deadline).await;
            Err(e.into())
        }
    }
}

/// Writes what the session queued; a client that does not read makes this
/// wait (up to the idle timeout, and before login the login deadline),
/// never buffer.
async fn write_out<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut ServerSession,
    stream: &mut MailStream<S>,
    deadline: &Deadline,
) -> Result<(), ServeError> {
    let mut wrote = false;
    while let Some(bytes) = session.poll_transmit() {
        match deadline.io(stream.write_all(&bytes)).await {
            Ok(written) => written?,
            Err(Expired::Idle) => {
                return Err(
                    io::Error::new(io::ErrorKind::TimedOut, "client stopped reading").into(),
                );
            }
            Err(expired) => return Err(ServeError::Deadline(expired)),
        }
        wrote = true;
    }
    if wrote {
        stream.flush().await?;
    }
    Ok(())
}

async fn send_message<S: AsyncRead + AsyncWrite + Unpin, B: Mailbox>(
    session: &mut ServerSession,
    stream: &mut MailStream<S>,
    mailbox: &mut B,
    index: usize,
    options: &ServerOptions,
    deadline: &Deadline,
) -> Result<(), ServeError> {
    let storage = |source| ServeError::Storage { index, source };
    let mut message = match mailbox.read(index).await {
        Ok(m) => m,
        Err(source) => {
            // The +OK is out: the connection cannot go on honestly.
            let _ = session.fail_retrieve();
            return Err(storage(source));
        }
    };
    let mut chunk = vec![0u8; options.body_chunk.max(512)];
    loop {
        let n = message.read(&mut chunk).await.map_err(storage)?;
        if n == 0 {
            break;
        }
        let more = session.send_body(&chunk[..n])?;
        write_out(session, stream, deadline).await?;
        if !more {
            break;
        }
    }
    session.end_body()?;
    Ok(())
}

/// Accepts connections on `listener` until `shutdown` resolves, serving each
/// in its own task. TLS handshakes happen inside the connection tasks.
///
/// Each connection is first admitted by `guards` (shared with the other
/// listeners of the server, so limits count all ports together). One over a
/// limit costs no task and no handshake: on a plaintext or STLS listener it
/// gets one `-ERR [SYS/TEMP]` line (RFC 3206 §4: a temporary condition,
/// retry later; written only if the socket takes it at once) and is closed;
/// on an implicit-TLS listener it is closed without a word, since a POP3
/// answer would need a TLS handshake first. `on_done` hears of it as
/// [`ServeError::Refused`]. A failed accept (out of file descriptors) does
/// not end the listener: it returns `Ok` when `shutdown` resolves.
#[allow(clippy::too_many_arguments)] // each is a distinct part of the server
pub async fn serve_listener<M: Maildrop>(
    listener: TcpListener,
    tls: TlsMode,
    maildrop: Arc<M>,
    locks: Locks,
    guards: Guards,
    options: Arc<ServerOptions>,
    shutdown: impl Future<Output = ()>,
    on_done: Arc<dyn Fn(std::net::SocketAddr, Result<ConnectionSummary, ServeError>) + Send + Sync>,
) -> io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => return Ok(()),
        };
        let (tcp, peer) = match accepted {
            Ok(accepted) => accepted,
            // A failed accept concerns one connection (reset before it was
            // taken) or a passing shortage (out of file descriptors or
            // buffers). Ending the listener would let a flood of clients
            // stop the server for good; pause briefly so a shortage does not
            // spin, then go on.
            Err(_) => {
                tokio::select! {
                    () = tokio::time::sleep(ACCEPT_RETRY) => continue,
                    () = &mut shutdown => return Ok(()),
                }
            }
        };
        let guard = match guards.admit(peer.ip()) {
            Ok(guard) => guard,
            Err(refusal) => {
                refuse(&tcp, &tls, refusal);
                drop(tcp);
                on_done(peer, Err(ServeError::Refused(refusal)));
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        let (tls, maildrop, locks, options, on_done) = (
            tls.clone(),
            maildrop.clone(),
            locks.clone(),
            options.clone(),
            on_done.clone(),
        );
        tokio::spawn(async move {
            let result = async {
                let stream = match &tls {
                    TlsMode::Implicit(acceptor) => {
                        let deadline = guard.deadline(options.idle_timeout);
                        let s = deadline
                            .handshake(acceptor.accept(tcp))
                            .await
                            .map_err(ServeError::Deadline)?
                            .map_err(ServeError::Handshake)?;
                        MailStream::ServerTls(Box::new(s))
                    }
                    _ => MailStream::Plain(tcp),
                };
                serve_connection(stream, &tls, maildrop.as_ref(), &locks, &options, guard).await
            }
            .await;
            on_done(peer, result);
        });
    }
}

/// Pause after a failed accept (e.g. out of file descriptors) before the
/// next: long enough not to spin, short enough that service resumes at once
/// when descriptors are free again.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// Tells a refused plaintext client why, if its socket takes the line at
/// once (it always does on a fresh connection; nothing waits for it).
fn refuse(tcp: &TcpStream, tls: &TlsMode, refusal: Refusal) {
    if matches!(tls, TlsMode::Implicit(_)) {
        return;
    }
    let line: &[u8] = match refusal {
        Refusal::TooManyFromAddress => {
            b"-ERR [SYS/TEMP] Too many connections from your address, try again later.\r\n"
        }
        _ => b"-ERR [SYS/TEMP] Too many connections, try again later.\r\n",
    };
    let _ = tcp.try_write(line);
}
