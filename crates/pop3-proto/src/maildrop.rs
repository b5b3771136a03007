//! The server session: a [`ServerConnection`] plus the bookkeeping RFC 1939
//! asks of every server, so that an embedder supplies only authentication
//! decisions, message content and the commit of deletions.
//!
//! The session takes a snapshot of the maildrop at login, numbers the
//! messages from it, answers STAT, LIST, UIDL, DELE, RSET, NOOP and CAPA
//! itself, refuses access to deleted messages, runs the SASL exchanges of
//! PLAIN, LOGIN and XOAUTH2, and asks for the deletions to be committed only
//! when QUIT arrives in the TRANSACTION state (RFC 1939 §6). A connection
//! that drops deletes nothing.

use bytes::Bytes;

use crate::command::{ApopDigest, Command, LangArgument, SaslResponse};
use crate::error::{Error, SendError};
use crate::response::{
    Capability, DropListing, Positive, Response, ResponseCode, ScanListing, Scope, StatusText,
    UniqueIdListing,
};
use crate::sasl::{parse_plain, parse_xoauth2};
use crate::server::{Event as ConnectionEvent, Rejection, ServerConfig, ServerConnection};
use crate::types::{Mechanism, MessageNumber, Secret, State, Text, UniqueId};

/// What the embedder tells the session about the server.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SessionConfig {
    /// Protocol limits and leniency.
    pub server: ServerConfig,
    /// Greeting text (after `+OK `).
    pub greeting: String,
    /// An APOP timestamp `<unique@host>` for the greeting, chosen by the
    /// embedder (sans IO: no clock or process id here). `None` disables APOP.
    /// RFC 1939 §7: it MUST differ in every greeting.
    ///
    /// It is left out of the greeting of a plaintext session that refuses
    /// logins (see [`allow_plaintext_logins`](Self::allow_plaintext_logins)):
    /// a timestamp announces APOP, and a client that trusts that announcement
    /// sends its digest at once, in the clear, where anyone on the path can
    /// run a dictionary against `MD5(timestamp + password)` offline. Refusing
    /// the command after it was sent would be too late. The greeting is not
    /// repeated after STLS, so such a session offers no APOP at all; USER/PASS
    /// and SASL, protected by TLS, remain.
    pub apop_timestamp: Option<String>,
    /// Offer USER/PASS.
    pub user_pass: bool,
    /// Accept logins (USER/PASS, APOP, AUTH) on a connection that is not
    /// TLS. Off by default: RFC 2595 §2.3 asks servers to be able to refuse
    /// every clear-text login until TLS is active, and RFC 8314 §4.1 makes
    /// that the norm. While off, a plaintext session ([`ServerSession::new`])
    /// lists neither `USER` nor `SASL` in CAPA, and answers USER, PASS, APOP
    /// and AUTH with `-ERR [AUTH]` (RFC 3206 §5: "an attempt to authenticate
    /// in violation of policy") until STLS has been negotiated. Turn it on
    /// only where no network can see the traffic (an in-memory pair, a
    /// loopback test).
    pub allow_plaintext_logins: bool,
    /// SASL mechanisms to offer; the session runs PLAIN, LOGIN and XOAUTH2,
    /// others are ignored.
    pub mechanisms: Vec<Mechanism>,
    /// Offer STLS (the transport can upgrade and has not yet).
    pub stls: bool,
    /// Offer UTF8 (RFC 6856).
    pub utf8: bool,
    /// `IMPLEMENTATION` capability text.
    pub implementation: Option<String>,
    /// `EXPIRE` capability: days kept, `None` for NEVER; not announced when unset.
    pub expire: Option<Option<u64>>,
    /// `LOGIN-DELAY` capability in seconds; not announced when unset.
    pub login_delay: Option<u64>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            server: ServerConfig::default(),
            greeting: "POP3 server ready".into(),
            apop_timestamp: None,
            user_pass: true,
            allow_plaintext_logins: false,
            mechanisms: [Mechanism::PLAIN, Mechanism::LOGIN]
                .iter()
                .filter_map(|m| Mechanism::new(m.as_bytes()).ok())
                .collect(),
            stls: false,
            utf8: true,
            implementation: None,
            expire: None,
            login_delay: None,
        }
    }
}

/// Credentials a client presented.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// USER/PASS, or SASL PLAIN / LOGIN.
    Password {
        /// The user name (authentication identity).
        user: Text,
        /// The password.
        password: Secret,
        /// PLAIN's authorization identity, if the client gave one.
        authzid: Option<Text>,
    },
    /// APOP: check with [`apop::verify`](crate::apop::verify).
    Apop {
        /// The user name.
        user: Text,
        /// The digest the client sent.
        digest: ApopDigest,
        /// The timestamp of this session's greeting.
        timestamp: Bytes,
    },
    /// SASL XOAUTH2: an OAuth 2.0 bearer token.
    OAuth2 {
        /// The user name.
        user: Text,
        /// The bearer token.
        token: Secret,
    },
}

impl Credentials {
    /// The user name.
    pub fn user(&self) -> &Text {
        match self {
            Self::Password { user, .. } | Self::Apop { user, .. } | Self::OAuth2 { user, .. } => {
                user
            }
        }
    }
}

/// A message in the maildrop snapshot taken at login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    /// Size in octets as sent with CRLF line endings, before dot-stuffing.
    pub size: u64,
    /// Its unique-id (stable across sessions).
    pub uid: UniqueId,
}

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginFailure {
    /// Wrong credentials: `-ERR [AUTH]`.
    BadCredentials,
    /// The maildrop is locked by another session: `-ERR [IN-USE]`.
    InUse,
    /// Logged in too recently: `-ERR [LOGIN-DELAY]`.
    LoginDelay,
    /// A temporary problem (storage down): `-ERR [SYS/TEMP]`.
    Temporary,
    /// The user has as many sessions as the server allows: `-ERR [IN-USE]`
    /// (RFC 2449 §8.1.2: the credentials were right, the maildrop is busy
    /// with other sessions).
    TooManySessions,
}

/// What the session asks of the application.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionEvent {
    /// Check the credentials; answer with [`ServerSession::accept_login`]
    /// (with the maildrop snapshot) or [`ServerSession::reject_login`].
    Authenticate(Credentials),
    /// Send the message: [`ServerSession::send_body`] chunks (as stored, LF or
    /// CRLF; the session stuffs, normalises, and cuts for TOP), then
    /// [`ServerSession::end_body`]; or [`ServerSession::fail_retrieve`].
    Retrieve {
        /// The message number.
        msg: MessageNumber,
        /// Its unique-id.
        uid: UniqueId,
        /// For TOP, the number of body lines wanted.
        top: Option<u64>,
    },
    /// QUIT in TRANSACTION: delete these messages for good, then call
    /// [`ServerSession::commit_done`].
    Commit {
        /// The messages marked deleted.
        deleted: Vec<(MessageNumber, UniqueId)>,
    },
    /// `+OK` to STLS is queued: flush it, run the TLS handshake, then call
    /// [`ServerSession::tls_established`].
    StartTls,
}

#[derive(Debug)]
enum Sasl {
    Plain,
    LoginUser,
    LoginPassword(Text),
    XOAuth2,
}

#[derive(Debug)]
enum Owed {
    Nothing,
    Login,
    Body,
    Commit,
}

/// A POP3 server session with maildrop bookkeeping, sans IO.
#[derive(Debug)]
pub struct ServerSession {
    conn: ServerConnection,
    config: SessionConfig,
    user: Option<Text>,
    sasl: Option<Sasl>,
    messages: Vec<MessageInfo>,
    deleted: Vec<bool>,
    owed: Owed,
    tls_active: bool,
    /// The APOP timestamp sent in the greeting, if any: the one APOP digests
    /// are checked against.
    greeting_timestamp: Option<String>,
}

fn text(s: &str) -> Response {
    Response::Ok(Positive::Text(StatusText::new(s).unwrap_or_default()))
}

fn err(s: &str) -> Response {
    Response::Err(StatusText::new(s).unwrap_or_default())
}

fn err_code(code: ResponseCode, s: &str) -> Response {
    Response::Err(StatusText::with_code(Some(code), s).unwrap_or_default())
}

impl ServerSession {
    /// A session on a plaintext connection; its greeting is queued for
    /// transmission at once. Logins wait for STLS unless
    /// [`SessionConfig::allow_plaintext_logins`] is set.
    pub fn new(config: SessionConfig) -> Self {
        Self::start(config, false)
    }

    /// A session on a connection that is already TLS (POP3S): STLS is not
    /// offered and logins are accepted.
    pub fn new_tls(mut config: SessionConfig) -> Self {
        config.stls = false;
        Self::start(config, true)
    }

    fn start(config: SessionConfig, tls_active: bool) -> Self {
        let mut conn = ServerConnection::new(config.server.clone());
        let greeting_timestamp = config
            .apop_timestamp
            .clone()
            .filter(|_| tls_active || config.allow_plaintext_logins);
        let mut greeting = config.greeting.clone();
        if let Some(ts) = &greeting_timestamp {
            greeting.push(' ');
            greeting.push_str(ts);
        }
        let greeting = StatusText::new(&greeting)
            .unwrap_or_else(|_| StatusText::new("POP3 server ready").unwrap_or_default());
        // A fresh connection always awaits its greeting.
        let _ = conn.respond(Response::Ok(Positive::Text(greeting)));
        Self {
            conn,
            config,
            user: None,
            sasl: None,
            messages: Vec::new(),
            deleted: Vec::new(),
            owed: Owed::Nothing,
            tls_active,
            greeting_timestamp,
        }
    }

    /// Whether logins are accepted now: over TLS, or in plaintext when
    /// [`SessionConfig::allow_plaintext_logins`] says so.
    pub fn logins_allowed(&self) -> bool {
        self.tls_active || self.config.allow_plaintext_logins
    }

    /// Whether the connection is TLS (from the start, or since STLS).
    pub fn is_tls(&self) -> bool {
        self.tls_active
    }

    /// The protocol state.
    pub fn state(&self) -> State {
        self.conn.state()
    }

    /// The authenticated user, once logged in.
    pub fn user(&self) -> Option<&Text> {
        (self.conn.state() == State::Transaction || self.conn.state() == State::Update)
            .then_some(self.user.as_ref())
            .flatten()
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.conn.is_closed()
    }

    /// Adds received bytes.
    pub fn handle_input(&mut self, data: &[u8]) {
        self.conn.handle_input(data);
    }

    /// Whether the session can take more input now.
    pub fn wants_input(&self) -> bool {
        self.conn.wants_input()
    }

    /// The client closed the connection: nothing is committed.
    pub fn handle_eof(&mut self) {
        self.conn.handle_eof();
    }

    /// Bytes to send, if any.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        self.conn.poll_transmit()
    }

    /// Octets queued for transmission.
    pub fn pending_output(&self) -> usize {
        self.conn.pending_output()
    }

    /// The TLS handshake after STLS completed.
    ///
    /// Commands pipelined in plaintext behind STLS make this fail with
    /// [`Error::StlsInjection`] (they are never executed).
    pub fn tls_established(&mut self) -> Result<(), Error> {
        self.conn.tls_established()?;
        self.tls_active = true;
        self.user = None;
        Ok(())
    }

    /// The capabilities for the current state (RFC 2449 §5: they may differ
    /// before and after login).
    pub fn capabilities(&self) -> Vec<Capability> {
        let c = &self.config;
        let auth = self.conn.state() == State::Authorization;
        let mut caps = vec![
            Capability::Top,
            Capability::Uidl,
            Capability::RespCodes,
            Capability::Pipelining,
        ];
        caps.push(Capability::AuthRespCode);
        // RFC 2595 §2.3 / RFC 4616 §6: no clear-text login is announced
        // where it would be refused.
        let logins = auth && self.logins_allowed();
        if logins && c.user_pass {
            caps.push(Capability::User);
        }
        if logins && !c.mechanisms.is_empty() {
            caps.push(Capability::Sasl(c.mechanisms.clone()));
        }
        if auth && c.stls && !self.tls_active {
            caps.push(Capability::Stls);
        }
        if c.utf8 {
            caps.push(Capability::Utf8 { user: true });
        }
        if let Some(days) = c.expire {
            caps.push(Capability::Expire {
                days,
                scope: Scope::Global,
            });
        }
        if let Some(seconds) = c.login_delay {
            caps.push(Capability::LoginDelay {
                seconds,
                scope: Scope::Global,
            });
        }
        if let Some(i) = &c.implementation
            && let Ok(t) = Text::try_from(i.as_str())
        {
            caps.push(Capability::Implementation(t));
        }
        caps
    }

    /// The next request for the application, `Ok(None)` when more input (or
    /// the application's answer to the last event) is needed. Errors are fatal.
    pub fn poll_event(&mut self) -> Result<Option<SessionEvent>, Error> {
        loop {
            if !matches!(self.owed, Owed::Nothing) {
                return Ok(None);
            }
            let Some(event) = self.conn.poll_event()? else {
                return Ok(None);
            };
            if let Some(request) = self.handle(event)? {
                return Ok(Some(request));
            }
        }
    }

    fn respond(&mut self, response: Response) -> Result<(), Error> {
        self.conn
            .respond(response)
            .map_err(|_| Error::Internal("the session's own answer was refused"))
    }

    fn handle(&mut self, event: ConnectionEvent) -> Result<Option<SessionEvent>, Error> {
        let command = match event {
            // PASS after the USER that was refused for want of TLS.
            ConnectionEvent::Rejected {
                reason: Rejection::PassWithoutUser,
                ..
            } if !self.logins_allowed() => {
                let refusal = self.tls_required();
                self.respond(refusal)?;
                return Ok(None);
            }
            ConnectionEvent::Rejected { reason, .. } => {
                self.conn
                    .reject(&reason)
                    .map_err(|_| Error::Internal("a rejection could not be answered"))?;
                return Ok(None);
            }
            ConnectionEvent::SaslResponse(r) => return self.sasl_step(r),
            ConnectionEvent::Command(c) => c,
        };
        let n = self.messages.len();
        let live = |this: &Self, msg: MessageNumber| -> Result<usize, Response> {
            let i = msg.index();
            if i >= n {
                Err(err(&format!("There's no message {msg}.")))
            } else if this.deleted[i] {
                Err(err(&format!("Message {msg} is deleted.")))
            } else {
                Ok(i)
            }
        };
        let response = match command {
            Command::User(_)
            | Command::Pass(_)
            | Command::Apop { .. }
            | Command::Auth { .. }
            | Command::AuthMechanisms
                if !self.logins_allowed() =>
            {
                self.tls_required()
            }
            Command::Capa => Response::Ok(Positive::Capabilities {
                status: StatusText::new("Capability list follows").unwrap_or_default(),
                capabilities: self.capabilities(),
            }),
            Command::Noop => text(""),
            Command::User(user) if self.config.user_pass => {
                self.user = Some(user);
                text("")
            }
            Command::Pass(password) => {
                let Some(user) = self.user.take() else {
                    self.respond(err("No user name given."))?;
                    return Ok(None);
                };
                return self.authenticate(Credentials::Password {
                    user,
                    password,
                    authzid: None,
                });
            }
            Command::Apop { name, digest } => match &self.greeting_timestamp {
                Some(ts) => {
                    let timestamp = Bytes::copy_from_slice(ts.as_bytes());
                    return self.authenticate(Credentials::Apop {
                        user: name,
                        digest,
                        timestamp,
                    });
                }
                None => err("APOP is not available."),
            },
            Command::Auth {
                mechanism,
                initial_response,
            } => return self.start_sasl(mechanism, initial_response),
            Command::Stls if self.config.stls && !self.tls_active => {
                self.respond(text("Begin TLS negotiation now."))?;
                return Ok(Some(SessionEvent::StartTls));
            }
            Command::Utf8 if self.config.utf8 => text("UTF8 enabled"),
            Command::Stat => {
                let (count, size) = self.live_totals();
                Response::Ok(Positive::Stat(DropListing { count, size }))
            }
            Command::List(Some(msg)) => match live(self, msg) {
                Ok(i) => Response::Ok(Positive::Scan(ScanListing {
                    msg,
                    size: self.messages[i].size,
                })),
                Err(e) => e,
            },
            Command::List(None) => {
                let (count, size) = self.live_totals();
                Response::Ok(Positive::ScanListing {
                    status: StatusText::new(&format!("{count} messages ({size} octets)"))
                        .unwrap_or_default(),
                    entries: self
                        .live()
                        .map(|(msg, m)| ScanListing { msg, size: m.size })
                        .collect(),
                })
            }
            Command::Uidl(Some(msg)) => match live(self, msg) {
                Ok(i) => Response::Ok(Positive::UniqueId(UniqueIdListing {
                    msg,
                    uid: self.messages[i].uid.clone(),
                })),
                Err(e) => e,
            },
            Command::Uidl(None) => Response::Ok(Positive::UniqueIdListing {
                status: StatusText::empty(),
                entries: self
                    .live()
                    .map(|(msg, m)| UniqueIdListing {
                        msg,
                        uid: m.uid.clone(),
                    })
                    .collect(),
            }),
            Command::Retr(msg) | Command::Top { msg, .. } => match live(self, msg) {
                Ok(i) => {
                    let top = match command {
                        Command::Top { lines, .. } => Some(lines),
                        _ => None,
                    };
                    let status = StatusText::new(&format!("{} octets", self.messages[i].size))
                        .unwrap_or_default();
                    self.respond(Response::Ok(Positive::Message(status)))?;
                    self.owed = Owed::Body;
                    return Ok(Some(SessionEvent::Retrieve {
                        msg,
                        uid: self.messages[i].uid.clone(),
                        top,
                    }));
                }
                Err(e) => e,
            },
            Command::Dele(msg) => match live(self, msg) {
                Ok(i) => {
                    self.deleted[i] = true;
                    text(&format!("Message {msg} deleted."))
                }
                Err(e) => e,
            },
            Command::Rset => {
                self.deleted.iter_mut().for_each(|d| *d = false);
                text("")
            }
            Command::Quit if self.conn.state() == State::Transaction => {
                let deleted: Vec<_> = self
                    .messages
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| self.deleted[*i])
                    .filter_map(|(i, m)| {
                        Some((
                            MessageNumber::new(u32::try_from(i + 1).ok()?)?,
                            m.uid.clone(),
                        ))
                    })
                    .collect();
                if deleted.is_empty() {
                    text("Logging out.")
                } else {
                    self.owed = Owed::Commit;
                    return Ok(Some(SessionEvent::Commit { deleted }));
                }
            }
            Command::Quit => text("Logging out."),
            Command::Lang(LangArgument::List | LangArgument::Set(_)) => {
                err("LANG is not supported.")
            }
            Command::Other { keyword, .. } => {
                err(&format!("Unknown command: {}", keyword.to_str_lossy()))
            }
            other => err(&format!("{} is not available.", other.name())),
        };
        self.respond(response)?;
        Ok(None)
    }

    /// The answer to a login command refused for want of TLS.
    fn tls_required(&self) -> Response {
        if self.config.stls {
            err_code(ResponseCode::Auth, "Logins need TLS: send STLS first.")
        } else {
            err_code(
                ResponseCode::Auth,
                "Logins need TLS, which this port does not offer.",
            )
        }
    }

    fn live(&self) -> impl Iterator<Item = (MessageNumber, &MessageInfo)> {
        self.messages
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.deleted[*i])
            .filter_map(|(i, m)| Some((MessageNumber::new(u32::try_from(i + 1).ok()?)?, m)))
    }

    fn live_totals(&self) -> (u32, u64) {
        self.live().fold((0u32, 0u64), |(c, s), (_, m)| {
            (c.saturating_add(1), s.saturating_add(m.size))
        })
    }

    fn authenticate(&mut self, credentials: Credentials) -> Result<Option<SessionEvent>, Error> {
        self.user = Some(credentials.user().clone());
        self.owed = Owed::Login;
        Ok(Some(SessionEvent::Authenticate(credentials)))
    }

    fn start_sasl(
        &mut self,
        mechanism: Mechanism,
        ir: Option<Secret>,
    ) -> Result<Option<SessionEvent>, Error> {
        if !self.config.mechanisms.contains(&mechanism) {
            self.respond(err("Unsupported authentication mechanism."))?;
            return Ok(None);
        }
        let (sasl, challenge): (Sasl, &[u8]) = match mechanism.as_str() {
            Mechanism::PLAIN => (Sasl::Plain, b""),
            Mechanism::LOGIN => (Sasl::LoginUser, b"Username:"),
            Mechanism::XOAUTH2 => (Sasl::XOAuth2, b""),
            _ => {
                self.respond(err("Unsupported authentication mechanism."))?;
                return Ok(None);
            }
        };
        self.sasl = Some(sasl);
        match ir {
            // LOGIN with an initial response carries the user name.
            Some(ir) => self.sasl_step(SaslResponse::Data(ir)),
            None => {
                self.respond(Response::Challenge(Secret::new(Bytes::from_static(
                    challenge,
                ))))?;
                Ok(None)
            }
        }
    }

    fn sasl_step(&mut self, response: SaslResponse) -> Result<Option<SessionEvent>, Error> {
        let SaslResponse::Data(data) = response else {
            self.sasl = None;
            self.respond(err("Authentication cancelled."))?;
            return Ok(None);
        };
        let bad = || err_code(ResponseCode::Auth, "Authentication failed.");
        let credentials = match self.sasl.take() {
            Some(Sasl::Plain) => match parse_plain(data.expose()) {
                Some((authzid, user, password)) => match (utf8(authzid), utf8(user)) {
                    (Some(authzid), Some(user)) => Credentials::Password {
                        user,
                        password: Secret::new(Bytes::copy_from_slice(password)),
                        authzid: (!authzid.is_empty()).then_some(authzid),
                    },
                    _ => return self.respond(bad()).map(|()| None),
                },
                None => return self.respond(bad()).map(|()| None),
            },
            Some(Sasl::LoginUser) => match utf8(data.expose()) {
                Some(user) if !user.is_empty() => {
                    self.sasl = Some(Sasl::LoginPassword(user));
                    self.respond(Response::Challenge(Secret::new(Bytes::from_static(
                        b"Password:",
                    ))))?;
                    return Ok(None);
                }
                _ => return self.respond(bad()).map(|()| None),
            },
            Some(Sasl::LoginPassword(user)) => Credentials::Password {
                user,
                password: data,
                authzid: None,
            },
            Some(Sasl::XOAuth2) => match parse_xoauth2(data.expose()) {
                Some((user, token)) => match utf8(user) {
                    Some(user) => Credentials::OAuth2 {
                        user,
                        token: Secret::new(Bytes::copy_from_slice(token)),
                    },
                    None => return self.respond(bad()).map(|()| None),
                },
                None => return self.respond(bad()).map(|()| None),
            },
            None => return self.respond(bad()).map(|()| None),
        };
        self.authenticate(credentials)
    }

    /// Accepts the login and opens the maildrop with this snapshot: message
    /// numbers are positions in it, 1-based, for the whole session.
    pub fn accept_login(&mut self, snapshot: Vec<MessageInfo>) -> Result<(), SendError> {
        if !matches!(self.owed, Owed::Login) {
            return Err(SendError::NothingPending("no login to accept"));
        }
        if u32::try_from(snapshot.len()).is_err() {
            return Err(SendError::InvalidArgument("more than 4294967295 messages"));
        }
        let (count, size) = (
            snapshot.len(),
            snapshot.iter().fold(0u64, |s, m| s.saturating_add(m.size)),
        );
        self.deleted = vec![false; snapshot.len()];
        self.messages = snapshot;
        self.owed = Owed::Nothing;
        self.conn.respond(text(&format!(
            "Logged in. {count} messages ({size} octets)."
        )))
    }

    /// Refuses the login.
    pub fn reject_login(&mut self, failure: LoginFailure) -> Result<(), SendError> {
        if !matches!(self.owed, Owed::Login) {
            return Err(SendError::NothingPending("no login to reject"));
        }
        self.owed = Owed::Nothing;
        self.user = None;
        let response = match failure {
            LoginFailure::BadCredentials => err_code(ResponseCode::Auth, "Authentication failed."),
            LoginFailure::InUse => err_code(
                ResponseCode::InUse,
                "Maildrop is locked by another session.",
            ),
            LoginFailure::LoginDelay => {
                err_code(ResponseCode::LoginDelay, "Logged in too recently.")
            }
            LoginFailure::Temporary => {
                err_code(ResponseCode::SysTemp, "Temporary failure, try again later.")
            }
            LoginFailure::TooManySessions => {
                err_code(ResponseCode::InUse, "Too many sessions for this user.")
            }
        };
        self.conn.respond(response)
    }

    /// Sends the next chunk of the message being retrieved. Returns whether
    /// more is wanted (false once TOP has its lines).
    pub fn send_body(&mut self, chunk: &[u8]) -> Result<bool, SendError> {
        if !matches!(self.owed, Owed::Body) {
            return Err(SendError::NothingPending("no message is being retrieved"));
        }
        self.conn.send_body(chunk)
    }

    /// Ends the message being retrieved.
    pub fn end_body(&mut self) -> Result<(), SendError> {
        if !matches!(self.owed, Owed::Body) {
            return Err(SendError::NothingPending("no message is being retrieved"));
        }
        self.owed = Owed::Nothing;
        self.conn.end_body()
    }

    /// The message could not be read. The `+OK` line is already out, so the
    /// only honest thing left is to end the connection: returns the error the
    /// driver should close with. (Check readability before accepting a login
    /// where that matters.)
    pub fn fail_retrieve(&mut self) -> Error {
        self.owed = Owed::Nothing;
        self.conn.handle_eof();
        Error::UnexpectedEof {
            during: "reading a message from storage",
        }
    }

    /// Reports the outcome of a [`SessionEvent::Commit`]: `+OK` and close, or
    /// `-ERR [SYS/TEMP]` (RFC 1939 §6: "some deleted messages not removed").
    pub fn commit_done(&mut self, result: Result<(), String>) -> Result<(), SendError> {
        if !matches!(self.owed, Owed::Commit) {
            return Err(SendError::NothingPending("no commit in progress"));
        }
        self.owed = Owed::Nothing;
        let response = match result {
            Ok(()) => {
                let (count, _) = self.live_totals();
                text(&format!("Logging out ({count} messages left)."))
            }
            Err(reason) => {
                let reason: String = reason.chars().filter(|c| !c.is_control()).collect();
                err_code(
                    ResponseCode::SysTemp,
                    &format!("Some deleted messages not removed: {reason}"),
                )
            }
        };
        self.conn.respond(response)
    }
}

fn utf8(b: &[u8]) -> Option<Text> {
    let s = std::str::from_utf8(b).ok()?;
    Text::try_from(s).ok()
}
