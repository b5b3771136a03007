//! The async POP3 client.

use std::io;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use pop3_proto::sasl::SaslMechanism;
use pop3_proto::{
    ApopDigest, Capability, ClientConfig, ClientSession, Command, DropListing, Event,
    MessageNumber, Positive, Response, ScanListing, Secret, SendError, State, StatusText, Text,
    UniqueIdListing,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::stream::MailStream;
use crate::tls::{TlsSetupError, server_name};

mod pipeline;

pub use pipeline::{DEFAULT_PIPELINE_WINDOW, MAX_PIPELINE_WINDOW, Pipeline, Reply};

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Implicit TLS from the first byte (POP3S, port 995; RFC 8314).
    Tls,
    /// Plaintext, upgraded with STLS before login (port 110; RFC 2595).
    StartTls,
    /// No TLS at all: only allowed to loopback addresses unless
    /// [`ConnectOptions::allow_plaintext`] is set.
    Plain,
}

/// Timeouts for each stage of a session.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// TCP connect and TLS handshake.
    pub connect: Duration,
    /// The server's greeting.
    pub greeting: Duration,
    /// Each command's answer (and each read while a body streams).
    pub command: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(30),
            greeting: Duration::from_secs(30),
            command: Duration::from_secs(120),
        }
    }
}

/// Which way a traced line went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceDirection {
    /// Sent to the server.
    Sent,
    /// Received from the server.
    Received,
}

/// A protocol trace callback: sees every line sent and every response line
/// received (not message bodies). Passwords and SASL data are redacted before
/// it is called.
pub type Tracer = Box<dyn FnMut(TraceDirection, &str) + Send>;

/// Where and how to connect.
#[derive(Clone)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// Host name or IP address.
    pub host: String,
    /// Port (995 for [`Security::Tls`], 110 otherwise, by convention).
    pub port: u16,
    /// TLS mode.
    pub security: Security,
    /// TLS client configuration (see [`crate::tls::client_config`]).
    pub tls: Option<Arc<rustls::ClientConfig>>,
    /// Allow [`Security::Plain`] to a host that is not loopback.
    pub allow_plaintext: bool,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// Codec limits.
    pub config: ClientConfig,
}

impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("allow_plaintext", &self.allow_plaintext)
            .finish_non_exhaustive()
    }
}

impl ConnectOptions {
    /// Options for `host:port` with `security` and a TLS configuration.
    pub fn new(host: &str, port: u16, security: Security, tls: Arc<rustls::ClientConfig>) -> Self {
        Self {
            host: host.to_owned(),
            port,
            security,
            tls: Some(tls),
            allow_plaintext: false,
            timeouts: Timeouts::default(),
            config: ClientConfig::default(),
        }
    }
}

/// What can go wrong in a client session.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pop3Error {
    /// Network error.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// TLS setup failed.
    #[error(transparent)]
    TlsSetup(#[from] TlsSetupError),
    /// The TLS handshake failed (certificate not trusted, ...).
    #[error("TLS handshake with {host} failed")]
    Handshake {
        /// The server.
        host: String,
        /// Why.
        source: io::Error,
    },
    /// Something took too long.
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
    /// The server broke the protocol (or injected data around STLS).
    #[error(transparent)]
    Protocol(#[from] pop3_proto::Error),
    /// The command could not be sent in this state.
    #[error(transparent)]
    Send(#[from] SendError),
    /// The server answered `-ERR`.
    #[error("server refused {command}: -ERR {}", describe(.status))]
    Refused {
        /// The command.
        command: &'static str,
        /// What the server said.
        status: StatusText,
    },
    /// The server does not offer what was asked (STLS, a SASL mechanism, APOP).
    #[error("server does not support {0}")]
    Unsupported(&'static str),
    /// Plaintext to a remote host without the explicit opt-in.
    #[error(
        "refusing to send a password in plaintext to {0}: use TLS, or allow plaintext explicitly"
    )]
    PlaintextRefused(String),
    /// The server closed the connection.
    #[error("connection closed by the server")]
    Closed,
    /// The server sent something this client did not expect here.
    #[error("unexpected answer from the server: {0}")]
    Unexpected(String),
}

fn describe(status: &StatusText) -> String {
    let mut s = String::new();
    if let Some(code) = &status.code {
        s.push('[');
        s.push_str(&String::from_utf8_lossy(code.as_bytes()));
        s.push_str("] ");
    }
    s.push_str(&status.text.to_str_lossy());
    s
}

/// An async POP3 client over any stream.
pub struct Pop3Client<S = TcpStream> {
    stream: MailStream<S>,
    session: ClientSession,
    read_buf: BytesMut,
    timeouts: Timeouts,
    tracer: Option<Tracer>,
    host: String,
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl<S> std::fmt::Debug for Pop3Client<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pop3Client")
            .field("host", &self.host)
            .field("state", &self.session.state())
            .field("tls", &self.stream.is_tls())
            .finish_non_exhaustive()
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Pop3Client<TcpStream> {
    /// Connects, runs TLS as asked (implicit, or STLS after the greeting),
    /// and waits for the greeting. With STLS the capabilities are asked again
    /// over TLS.
    pub async fn connect(options: ConnectOptions) -> Result<Self, Pop3Error> {
        Self::connect_traced(options, None).await
    }

    /// [`connect`](Self::connect) with a protocol tracer.
    pub async fn connect_traced(
        options: ConnectOptions,
        tracer: Option<Tracer>,
    ) -> Result<Self, Pop3Error> {
        if options.security == Security::Plain
            && !options.allow_plaintext
            && !is_loopback(&options.host)
        {
            return Err(Pop3Error::PlaintextRefused(options.host));
        }
        let addr = (
            options.host.trim_start_matches('[').trim_end_matches(']'),
            options.port,
        );
        let tcp = timeout(options.timeouts.connect, TcpStream::connect(addr))
            .await
            .map_err(|_| Pop3Error::Timeout("the TCP connection"))??;
        let _ = tcp.set_nodelay(true);
        let stream = MailStream::Plain(tcp);
        let mut client = Self::start(stream, &options, tracer);
        if options.security == Security::Tls {
            client.upgrade().await?;
        }
        client.read_greeting().await?;
        if options.security == Security::StartTls {
            client.starttls().await?;
        }
        Ok(client)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> Pop3Client<S> {
    fn start(stream: MailStream<S>, options: &ConnectOptions, tracer: Option<Tracer>) -> Self {
        Self {
            stream,
            session: ClientSession::new(options.config.clone()),
            read_buf: BytesMut::with_capacity(64 * 1024),
            timeouts: options.timeouts,
            tracer,
            host: options.host.clone(),
            tls: options.tls.clone(),
        }
    }

    /// A client over an established stream (already TLS or not); waits for
    /// the greeting.
    pub async fn from_stream(
        stream: MailStream<S>,
        options: &ConnectOptions,
    ) -> Result<Self, Pop3Error> {
        let mut client = Self::start(stream, options, None);
        client.read_greeting().await?;
        Ok(client)
    }

    /// Sets the protocol tracer.
    pub fn set_tracer(&mut self, tracer: Option<Tracer>) {
        self.tracer = tracer;
    }

    /// The sans-IO session (state, greeting, capabilities).
    pub fn session(&self) -> &ClientSession {
        &self.session
    }

    /// Whether the connection is TLS, and with what.
    pub fn tls_summary(&self) -> Option<String> {
        self.stream.tls_summary()
    }

    async fn upgrade(&mut self) -> Result<(), Pop3Error> {
        let config = self
            .tls
            .clone()
            .ok_or(Pop3Error::Unsupported("TLS without a TLS configuration"))?;
        let name = server_name(&self.host)?;
        let plain = self.stream.take_plain()?;
        let connector = tokio_rustls::TlsConnector::from(config);
        let tls = timeout(self.timeouts.connect, connector.connect(name, plain))
            .await
            .map_err(|_| Pop3Error::Timeout("the TLS handshake"))?
            .map_err(|source| Pop3Error::Handshake {
                host: self.host.clone(),
                source: crate::tls::explain_handshake_error(source),
            })?;
        self.stream = MailStream::ClientTls(Box::new(tls));
        Ok(())
    }

    async fn read_greeting(&mut self) -> Result<(), Pop3Error> {
        let limit = self.timeouts.greeting;
        match timeout(limit, self.next_event())
            .await
            .map_err(|_| Pop3Error::Timeout("the greeting"))??
        {
            Event::Greeting(Response::Ok(_)) => Ok(()),
            Event::Greeting(Response::Err(status)) => Err(Pop3Error::Refused {
                command: "connection",
                status,
            }),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// Upgrades with STLS (RFC 2595): asks CAPA, sends STLS, runs the TLS
    /// handshake, and asks CAPA again over TLS. Bytes the server sent after
    /// its `+OK` in plaintext fail the connection (response injection).
    pub async fn starttls(&mut self) -> Result<(), Pop3Error> {
        let caps = self.capabilities().await?;
        if !caps.contains(&Capability::Stls) {
            return Err(Pop3Error::Unsupported("STLS"));
        }
        self.expect_ok(Command::Stls).await?;
        if self.session.state() != State::TlsHandshake {
            return Err(Pop3Error::Unexpected(
                "STLS accepted but the session did not switch".into(),
            ));
        }
        // Every read went to the session: anything it holds past the +OK
        // arrived in plaintext and was injected. `tls_established` fails on
        // it, before the handshake starts.
        self.session.tls_established()?;
        self.upgrade().await?;
        self.capabilities().await?;
        Ok(())
    }

    /// Writes everything the session has to send.
    async fn flush(&mut self) -> Result<(), Pop3Error> {
        let in_sasl = self.session.in_sasl_exchange();
        while let Some(bytes) = self.session.poll_transmit() {
            if let Some(tracer) = &mut self.tracer {
                trace_sent(tracer, &bytes, in_sasl);
            }
            self.stream.write_all(&bytes).await?;
        }
        self.stream.flush().await?;
        Ok(())
    }

    /// The next event, reading as needed (each read bounded by the command timeout).
    async fn next_event(&mut self) -> Result<Event, Pop3Error> {
        loop {
            if let Some(event) = self.session.poll_event()? {
                if let Some(tracer) = &mut self.tracer {
                    trace_event(tracer, &event);
                }
                return Ok(event);
            }
            self.flush().await?;
            if self.read_buf.capacity() - self.read_buf.len() < 4096 {
                self.read_buf.reserve(64 * 1024);
            }
            let n = timeout(
                self.timeouts.command,
                self.stream.read_buf(&mut self.read_buf),
            )
            .await
            .map_err(|_| Pop3Error::Timeout("the server's answer"))??;
            if n == 0 {
                self.session.handle_eof();
                if let Some(event) = self.session.poll_event()? {
                    return Ok(event);
                }
                return Err(Pop3Error::Closed);
            }
            self.session
                .handle_input_bytes(self.read_buf.split().freeze());
        }
    }

    /// Sends a command and returns its answer (for RETR/TOP, the first line).
    async fn exchange(&mut self, command: Command) -> Result<(&'static str, Response), Pop3Error> {
        let name = command.name();
        let id = self
            .session
            .send(command)
            .map_err(|e| self.send_failed(e))?;
        self.flush().await?;
        match self.next_event().await? {
            Event::Response { id: got, response } if got == id => Ok((name, response)),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// Why a command could not be sent: the server's protocol error when
    /// the session failed on it (e.g. an answer nothing asked for), else
    /// the misuse.
    fn send_failed(&self, e: SendError) -> Pop3Error {
        match self.session.error() {
            Some(error) => Pop3Error::Protocol(error.clone()),
            None => Pop3Error::Send(e),
        }
    }

    async fn expect_ok(&mut self, command: Command) -> Result<Positive, Pop3Error> {
        match self.exchange(command).await? {
            (_, Response::Ok(p)) => Ok(p),
            (command, Response::Err(status)) => Err(Pop3Error::Refused { command, status }),
            (_, other) => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// CAPA (RFC 2449). Servers without CAPA answer `-ERR`: an empty list.
    pub async fn capabilities(&mut self) -> Result<Vec<Capability>, Pop3Error> {
        match self.exchange(Command::Capa).await? {
            (_, Response::Ok(Positive::Capabilities { capabilities, .. })) => Ok(capabilities),
            (_, Response::Err(_)) => Ok(Vec::new()),
            (_, other) => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// USER / PASS login.
    pub async fn login(&mut self, user: &str, password: &Secret) -> Result<(), Pop3Error> {
        let name = Text::try_from(user)?;
        self.expect_ok(Command::User(name)).await?;
        self.expect_ok(Command::Pass(password.clone())).await?;
        Ok(())
    }

    /// APOP login (RFC 1939 §7), if the greeting carried a timestamp.
    pub async fn apop(&mut self, user: &str, secret: &Secret) -> Result<(), Pop3Error> {
        let timestamp = self
            .session
            .greeting()
            .and_then(StatusText::apop_timestamp)
            .ok_or(Pop3Error::Unsupported(
                "APOP (no timestamp in the greeting)",
            ))?;
        let digest: ApopDigest = pop3_proto::apop::digest(&timestamp, secret.expose());
        self.expect_ok(Command::Apop {
            name: Text::try_from(user)?,
            digest,
        })
        .await?;
        Ok(())
    }

    /// SASL login (RFC 5034) with `mechanism`.
    pub async fn authenticate(
        &mut self,
        mechanism: Box<dyn SaslMechanism>,
    ) -> Result<(), Pop3Error> {
        let id = self
            .session
            .authenticate(mechanism)
            .map_err(|e| self.send_failed(e))?;
        self.flush().await?;
        match self.next_event().await? {
            Event::Response {
                id: got,
                response: Response::Ok(_),
            } if got == id => Ok(()),
            Event::Response {
                id: got,
                response: Response::Err(status),
            } if got == id => Err(Pop3Error::Refused {
                command: "AUTH",
                status,
            }),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// STAT.
    pub async fn stat(&mut self) -> Result<DropListing, Pop3Error> {
        match self.expect_ok(Command::Stat).await? {
            Positive::Stat(d) => Ok(d),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// LIST.
    pub async fn list(&mut self) -> Result<Vec<ScanListing>, Pop3Error> {
        match self.expect_ok(Command::List(None)).await? {
            Positive::ScanListing { entries, .. } => Ok(entries),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// LIST msg.
    pub async fn list_one(&mut self, msg: MessageNumber) -> Result<ScanListing, Pop3Error> {
        match self.expect_ok(Command::List(Some(msg))).await? {
            Positive::Scan(s) => Ok(s),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// UIDL.
    pub async fn uidl(&mut self) -> Result<Vec<UniqueIdListing>, Pop3Error> {
        match self.expect_ok(Command::Uidl(None)).await? {
            Positive::UniqueIdListing { entries, .. } => Ok(entries),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// UIDL msg.
    pub async fn uidl_one(&mut self, msg: MessageNumber) -> Result<UniqueIdListing, Pop3Error> {
        match self.expect_ok(Command::Uidl(Some(msg))).await? {
            Positive::UniqueId(u) => Ok(u),
            other => Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
    }

    /// RETR: streams the message (unstuffed, CRLF line endings) into `out`;
    /// returns its size. Memory stays bounded whatever the message's size.
    pub async fn retrieve<W: AsyncWrite + Unpin>(
        &mut self,
        msg: MessageNumber,
        out: &mut W,
    ) -> Result<u64, Pop3Error> {
        self.body(Command::Retr(msg), out, &mut |_| {}).await
    }

    /// RETR with a progress callback (octets so far).
    pub async fn retrieve_with_progress<W: AsyncWrite + Unpin>(
        &mut self,
        msg: MessageNumber,
        out: &mut W,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, Pop3Error> {
        self.body(Command::Retr(msg), out, progress).await
    }

    /// TOP: the header and `lines` body lines of a message, into `out`.
    pub async fn top<W: AsyncWrite + Unpin>(
        &mut self,
        msg: MessageNumber,
        lines: u64,
        out: &mut W,
    ) -> Result<u64, Pop3Error> {
        self.body(Command::Top { msg, lines }, out, &mut |_| {})
            .await
    }

    async fn body<W: AsyncWrite + Unpin>(
        &mut self,
        command: Command,
        out: &mut W,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, Pop3Error> {
        let (name, head) = self.exchange(command).await?;
        match head {
            Response::Ok(Positive::Message(_)) => {}
            Response::Err(status) => {
                return Err(Pop3Error::Refused {
                    command: name,
                    status,
                });
            }
            other => return Err(Pop3Error::Unexpected(format!("{other:?}"))),
        }
        let mut total = 0u64;
        loop {
            match self.next_event().await? {
                Event::BodyChunk { data, .. } => {
                    out.write_all(&data).await?;
                    total += data.len() as u64;
                    progress(total);
                }
                Event::BodyEnd { .. } => break,
                other => return Err(Pop3Error::Unexpected(format!("{other:?}"))),
            }
        }
        out.flush().await?;
        Ok(total)
    }

    /// DELE.
    pub async fn delete(&mut self, msg: MessageNumber) -> Result<(), Pop3Error> {
        self.expect_ok(Command::Dele(msg)).await.map(|_| ())
    }

    /// RSET.
    pub async fn reset(&mut self) -> Result<(), Pop3Error> {
        self.expect_ok(Command::Rset).await.map(|_| ())
    }

    /// NOOP.
    pub async fn noop(&mut self) -> Result<(), Pop3Error> {
        self.expect_ok(Command::Noop).await.map(|_| ())
    }

    /// QUIT: in the TRANSACTION state the server now deletes what was marked
    /// (RFC 1939 §6); an `-ERR` means it could not.
    pub async fn quit(mut self) -> Result<(), Pop3Error> {
        self.expect_ok(Command::Quit).await?;
        let _ = self.stream.shutdown().await;
        Ok(())
    }
}

fn trace_sent(tracer: &mut Tracer, bytes: &Bytes, in_sasl: bool) {
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches('\r');
        let words: Vec<&str> = text.split(' ').collect();
        let keyword = words[0].to_ascii_uppercase();
        let shown = match keyword.as_str() {
            "PASS" => "PASS <redacted>".to_owned(),
            "AUTH" if words.len() > 2 => format!("AUTH {} <initial response redacted>", words[1]),
            "APOP" => format!("APOP {} <digest>", words.get(1).unwrap_or(&"")),
            "AUTH" => text.to_owned(),
            // Inside an AUTH exchange every other line is SASL data.
            _ if in_sasl => "<SASL answer redacted>".to_owned(),
            _ => text.to_owned(),
        };
        tracer(TraceDirection::Sent, &shown);
    }
}

fn trace_event(tracer: &mut Tracer, event: &Event) {
    let response = match event {
        Event::Greeting(r) | Event::Response { response: r, .. } => r,
        Event::Challenge { .. } => return tracer(TraceDirection::Received, "+ <SASL challenge>"),
        Event::BodyEnd { .. } => return tracer(TraceDirection::Received, "."),
        _ => return,
    };
    // The response as the server would have sent it: its first line, and how
    // many lines of listing followed.
    let mut wire = BytesMut::new();
    response.encode(&mut wire);
    let text = String::from_utf8_lossy(&wire);
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default().to_owned();
    let more = lines.count();
    if more > 1 {
        tracer(
            TraceDirection::Received,
            &format!("{first}  [{} more lines]", more - 1),
        );
    } else {
        tracer(TraceDirection::Received, &first);
    }
}
