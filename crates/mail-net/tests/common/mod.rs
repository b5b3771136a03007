//! Shared fixtures for the mail-net integration tests: an in-memory
//! [`Maildrop`], a loopback server harness, certificates written to temporary
//! PEM files, and the expected wire form of stored messages.

#![allow(dead_code)]

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use mail_net::guard::{ConnectionGuard, FailureDelays, GuardConfig, Guards};
use mail_net::pop3::{
    ConnectOptions, ConnectionSummary, Locks, Mailbox, Maildrop, Security, ServeError,
    ServerOptions, TlsMode, serve_listener,
};
use mail_net::tls::{self, ClientTlsOptions, SelfSigned};
use pop3_proto::{Credentials, LoginFailure, MessageInfo, UniqueId};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

/// Upper bound for any single await in the tests: nothing may hang.
pub(crate) const STEP: Duration = Duration::from_secs(10);

/// Runs `f` with the [`STEP`] timeout, panicking with `what` when it expires.
pub(crate) async fn bounded<F: Future>(what: &str, f: F) -> F::Output {
    match tokio::time::timeout(STEP, f).await {
        Ok(v) => v,
        Err(_) => panic!("timed out: {what}"),
    }
}

/// One stored message: its bytes as stored (LF endings) and its unique-id.
#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub(crate) uid: String,
    pub(crate) data: Bytes,
    /// Size as sent with CRLF line endings.
    pub(crate) wire_size: u64,
}

#[derive(Debug)]
struct User {
    password: String,
    messages: Vec<StoredMessage>,
}

#[derive(Debug, Default)]
struct Inner {
    users: HashMap<String, User>,
    /// Every commit: the user and the 0-based snapshot positions deleted.
    commits: Vec<(String, Vec<usize>)>,
}

/// An in-memory maildrop: users with passwords and messages; counts the
/// bytes handed out by message readers and records commits.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemMaildrop {
    inner: Arc<Mutex<Inner>>,
    /// Octets handed out by `Mailbox::read` readers, all sessions together.
    pub(crate) bytes_read: Arc<AtomicU64>,
    /// Mailboxes opened.
    pub(crate) opened: Arc<AtomicUsize>,
}

impl MemMaildrop {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn add_user(&self, user: &str, password: &str, messages: Vec<(String, Bytes)>) {
        let messages = messages
            .into_iter()
            .map(|(uid, data)| StoredMessage {
                wire_size: wire_size(&data),
                uid,
                data,
            })
            .collect();
        self.inner.lock().unwrap().users.insert(
            user.to_owned(),
            User {
                password: password.to_owned(),
                messages,
            },
        );
    }

    /// The commits so far.
    pub(crate) fn commits(&self) -> Vec<(String, Vec<usize>)> {
        self.inner.lock().unwrap().commits.clone()
    }

    /// The unique-ids of `user`'s messages now in the store.
    pub(crate) fn uids(&self, user: &str) -> Vec<String> {
        self.inner.lock().unwrap().users[user]
            .messages
            .iter()
            .map(|m| m.uid.clone())
            .collect()
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::SeqCst)
    }
}

impl Maildrop for MemMaildrop {
    type Mailbox = MemMailbox;

    fn authenticate(
        &self,
        credentials: &Credentials,
    ) -> impl Future<Output = Result<String, LoginFailure>> + Send {
        let result = (|| {
            let inner = self.inner.lock().unwrap();
            let name = credentials.user().to_str_lossy().into_owned();
            let user = inner.users.get(&name).ok_or(LoginFailure::BadCredentials)?;
            let ok = match credentials {
                Credentials::Password { password, .. } => {
                    password.expose() == user.password.as_bytes()
                }
                Credentials::Apop {
                    digest, timestamp, ..
                } => pop3_proto::apop::verify(timestamp, user.password.as_bytes(), digest),
                _ => false,
            };
            if ok {
                Ok(name)
            } else {
                Err(LoginFailure::BadCredentials)
            }
        })();
        async move { result }
    }

    fn open(&self, user: &str) -> impl Future<Output = io::Result<MemMailbox>> + Send {
        let result = {
            let inner = self.inner.lock().unwrap();
            match inner.users.get(user) {
                Some(u) => {
                    self.opened.fetch_add(1, Ordering::SeqCst);
                    Ok(MemMailbox {
                        user: user.to_owned(),
                        snapshot: u.messages.clone(),
                        drop: self.clone(),
                    })
                }
                None => Err(io::Error::new(io::ErrorKind::NotFound, "no such user")),
            }
        };
        async move { result }
    }
}

/// One user's open maildrop.
#[derive(Debug)]
pub(crate) struct MemMailbox {
    user: String,
    snapshot: Vec<StoredMessage>,
    drop: MemMaildrop,
}

impl Mailbox for MemMailbox {
    type Message = CountingReader;

    fn messages(&self) -> Vec<MessageInfo> {
        self.snapshot
            .iter()
            .map(|m| MessageInfo {
                size: m.wire_size,
                uid: UniqueId::new(m.uid.clone()).unwrap(),
            })
            .collect()
    }

    fn read(&mut self, index: usize) -> impl Future<Output = io::Result<CountingReader>> + Send {
        let result = match self.snapshot.get(index) {
            Some(m) => Ok(CountingReader {
                data: m.data.clone(),
                pos: 0,
                counter: self.drop.bytes_read.clone(),
            }),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no such message")),
        };
        async move { result }
    }

    fn commit(&mut self, deleted: &[usize]) -> impl Future<Output = io::Result<()>> + Send {
        let mut inner = self.drop.inner.lock().unwrap();
        inner.commits.push((self.user.clone(), deleted.to_vec()));
        let gone: Vec<String> = deleted
            .iter()
            .map(|&i| self.snapshot[i].uid.clone())
            .collect();
        if let Some(u) = inner.users.get_mut(&self.user) {
            u.messages.retain(|m| !gone.contains(&m.uid));
        }
        async { Ok(()) }
    }
}

/// A message reader that counts the octets it hands out.
#[derive(Debug)]
pub(crate) struct CountingReader {
    data: Bytes,
    pos: usize,
    counter: Arc<AtomicU64>,
}

impl AsyncRead for CountingReader {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let n = buf.remaining().min(this.data.len() - this.pos);
        buf.put_slice(&this.data[this.pos..this.pos + n]);
        this.pos += n;
        this.counter.fetch_add(n as u64, Ordering::SeqCst);
        Poll::Ready(Ok(()))
    }
}

/// The wire form of a stored message (before dot-stuffing): every bare LF
/// becomes CRLF, a bare CR stays, and a final CRLF is added when missing.
pub(crate) fn wire_form(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 16 + 2);
    let mut prev = 0u8;
    for &b in data {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The length of [`wire_form`], without building it.
pub(crate) fn wire_size(data: &[u8]) -> u64 {
    let bare_lf = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || data[i - 1] != b'\r'))
        .count();
    let mut size = (data.len() + bare_lf) as u64;
    if !data.ends_with(b"\n") {
        size += 2;
    }
    size
}

/// What TOP `lines` gives for a message whose wire form is `wire`: the header,
/// the blank line, and `lines` body lines.
pub(crate) fn expected_top(wire: &[u8], lines: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut in_header = true;
    let mut left = lines;
    for line in wire.split_inclusive(|&b| b == b'\n') {
        if !in_header {
            if left == 0 {
                break;
            }
            left -= 1;
        }
        out.extend_from_slice(line);
        if in_header && line == b"\r\n" {
            in_header = false;
        }
    }
    out
}

/// The 14 messages of `testdata/messages`, sorted by name: unique-id
/// (the file stem) and content.
pub(crate) fn testdata_messages() -> Vec<(String, Bytes)> {
    mailwire_testdata::messages()
        .into_iter()
        .map(|m| (m.stem, Bytes::from(m.content)))
        .collect()
}

/// A PEM file in the temp directory, removed when dropped.
#[derive(Debug)]
pub(crate) struct TempPem {
    pub(crate) path: PathBuf,
}

impl TempPem {
    pub(crate) fn new(pem: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "mail-net-test-{}-{}-{}.pem",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            nanos
        ));
        std::fs::write(&path, pem).unwrap();
        Self { path }
    }
}

impl Drop for TempPem {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The result of one served connection, as `serve_listener` reports it.
pub(crate) type Done = (SocketAddr, Result<ConnectionSummary, ServeError>);

/// A server on 127.0.0.1 with a self-signed certificate; stops when dropped.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    pub(crate) maildrop: Arc<MemMaildrop>,
    pub(crate) locks: Locks,
    pub(crate) guards: Guards,
    pub(crate) cert: SelfSigned,
    /// The server certificate as a CA file for clients.
    pub(crate) ca: TempPem,
    done: mpsc::UnboundedReceiver<Done>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for TestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Which TLS mode a [`TestServer`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Implicit,
    StartTls,
    Plain,
}

impl TestServer {
    /// A server with [`fast_guards`].
    pub(crate) async fn start(mode: Mode, maildrop: MemMaildrop, options: ServerOptions) -> Self {
        Self::start_guarded(mode, maildrop, options, Guards::new(fast_guards())).await
    }

    /// A server with these guards.
    pub(crate) async fn start_guarded(
        mode: Mode,
        maildrop: MemMaildrop,
        options: ServerOptions,
        guards: Guards,
    ) -> Self {
        let cert = tls::self_signed(&["localhost", "127.0.0.1"]).unwrap();
        let ca = TempPem::new(&cert.cert_pem);
        let acceptor = tokio_rustls::TlsAcceptor::from(cert.config.clone());
        let tls_mode = match mode {
            Mode::Implicit => TlsMode::Implicit(acceptor),
            Mode::StartTls => TlsMode::StartTls(acceptor),
            Mode::Plain => TlsMode::None,
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let maildrop = Arc::new(maildrop);
        let locks = Locks::default();
        let (done_tx, done) = mpsc::unbounded_channel();
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let on_done = Arc::new(move |peer: SocketAddr, r| {
            let _ = done_tx.send((peer, r));
        });
        tokio::spawn(serve_listener(
            listener,
            tls_mode,
            maildrop.clone(),
            locks.clone(),
            guards.clone(),
            Arc::new(options),
            async move {
                let _ = shutdown_rx.await;
            },
            on_done,
        ));
        Self {
            addr,
            maildrop,
            locks,
            guards,
            cert,
            ca,
            done,
            shutdown: Some(shutdown_tx),
        }
    }

    /// Client options for this server trusting its certificate.
    pub(crate) fn connect_options(&self, security: Security) -> ConnectOptions {
        let config =
            tls::client_config(&ClientTlsOptions::with_ca_files(vec![self.ca.path.clone()]))
                .unwrap();
        let mut options = ConnectOptions::new("127.0.0.1", self.addr.port(), security, config);
        options.timeouts.connect = STEP;
        options.timeouts.greeting = STEP;
        options.timeouts.command = STEP;
        options
    }

    /// The outcome of the next connection to end.
    pub(crate) async fn next_done(&mut self) -> Result<ConnectionSummary, ServeError> {
        bounded("a connection to end", self.done.recv())
            .await
            .expect("the listener stopped")
            .1
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Server options with a short idle timeout, so tests run fast. Logins
/// need TLS, as by default.
pub(crate) fn fast_options() -> ServerOptions {
    let mut options = ServerOptions::default();
    options.idle_timeout = Duration::from_secs(10);
    options
}

/// [`fast_options`] that accept logins in plaintext (for `Mode::Plain` and
/// in-memory streams).
pub(crate) fn plaintext_options() -> ServerOptions {
    let mut options = fast_options();
    options.session.allow_plaintext_logins = true;
    options
}

/// Guards with the default limits and failure delays of milliseconds
/// (10 ms doubling to 50 ms), so tests run fast.
pub(crate) fn fast_guards() -> GuardConfig {
    let mut config = GuardConfig::default();
    let ms = Duration::from_millis;
    config.failures.per_address = FailureDelays::new(ms(10), ms(50), ms(1000));
    config.failures.per_user = FailureDelays::new(ms(10), ms(50), ms(1000));
    config
}

/// A guard for a connection over an in-memory stream (counted as loopback).
pub(crate) fn memory_guard() -> ConnectionGuard {
    Guards::new(fast_guards())
        .admit(std::net::Ipv4Addr::LOCALHOST.into())
        .expect("a fresh guard admits")
}
