//! A `Pair` harness: a `ClientSession` and a `ServerSession` wired to each
//! other in memory with a chosen chunking, and a toy maildrop application
//! behind the server.

#![allow(dead_code, unreachable_pub)]

use pop3_proto::{
    ClientConfig, ClientSession, Command, CommandId, Credentials, Event, Limits, LoginFailure,
    MessageInfo, Response, ServerSession, SessionConfig, SessionEvent, UniqueId,
};

pub const USER: &str = "alice";
pub const PASSWORD: &str = "s3cret pass";

/// How bytes are cut on their way between the sessions.
#[derive(Debug, Clone, Copy)]
pub enum Chunking {
    /// Everything available at once.
    Whole,
    /// One octet at a time.
    Single,
    /// Random sizes from 1 to 97, from this seed.
    Random(u64),
}

/// A tiny xorshift generator: deterministic, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0 | 1;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A session configuration that accepts logins without TLS: the pair talks
/// through memory, there is no network to protect.
pub fn plaintext_config() -> SessionConfig {
    let mut config = SessionConfig::default();
    config.allow_plaintext_logins = true;
    config
}

pub struct Pair {
    pub client: ClientSession,
    pub server: ServerSession,
    pub maildrop: Vec<(UniqueId, Vec<u8>)>,
    pub events: Vec<Event>,
    pub committed: Vec<Vec<UniqueId>>,
    pub logins: usize,
    chunking: Chunking,
    rng: Rng,
    /// Bytes in flight: client to server, server to client.
    c2s: Vec<u8>,
    s2c: Vec<u8>,
}

impl Pair {
    pub fn new(messages: &[Vec<u8>], chunking: Chunking) -> Self {
        Self::with_config(messages, chunking, plaintext_config(), Limits::default())
    }

    pub fn with_config(
        messages: &[Vec<u8>],
        chunking: Chunking,
        config: SessionConfig,
        limits: Limits,
    ) -> Self {
        let seed = match chunking {
            Chunking::Random(s) => s,
            _ => 1,
        };
        Self {
            client: ClientSession::new(ClientConfig::with_limits(limits)),
            server: ServerSession::new(config),
            maildrop: messages
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    (
                        UniqueId::new(format!("uid-{i}-x").into_bytes()).unwrap(),
                        m.clone(),
                    )
                })
                .collect(),
            events: Vec::new(),
            committed: Vec::new(),
            logins: 0,
            chunking,
            rng: Rng(seed),
            c2s: Vec::new(),
            s2c: Vec::new(),
        }
    }

    fn cut(&mut self, available: usize) -> usize {
        match self.chunking {
            Chunking::Whole => available,
            Chunking::Single => available.min(1),
            Chunking::Random(_) => available.min(1 + self.rng.below(97) as usize),
        }
    }

    /// Moves bytes and lets both sides act until nothing moves.
    pub fn pump(&mut self) {
        self.try_pump().expect("session error");
    }

    /// Like `pump`, returning the first session error.
    pub fn try_pump(&mut self) -> Result<(), pop3_proto::Error> {
        loop {
            let mut moved = false;
            while let Some(b) = self.client.poll_transmit() {
                self.c2s.extend_from_slice(&b);
            }
            if !self.c2s.is_empty() {
                let n = self.cut(self.c2s.len());
                self.server.handle_input(&self.c2s[..n]);
                self.c2s.drain(..n);
                moved = true;
            }
            while let Some(request) = self.server.poll_event()? {
                self.serve(request);
                moved = true;
            }
            while let Some(b) = self.server.poll_transmit() {
                self.s2c.extend_from_slice(&b);
            }
            if !self.s2c.is_empty() {
                let n = self.cut(self.s2c.len());
                // Both ways in: copied, and handed over as `Bytes`.
                if self.rng.below(2) == 0 {
                    self.client.handle_input(&self.s2c[..n]);
                } else {
                    self.client
                        .handle_input_bytes(bytes::Bytes::copy_from_slice(&self.s2c[..n]));
                }
                self.s2c.drain(..n);
                moved = true;
            }
            while let Some(event) = self.client.poll_event()? {
                self.events.push(event);
                moved = true;
            }
            if !moved {
                return Ok(());
            }
        }
    }

    fn serve(&mut self, request: SessionEvent) {
        match request {
            SessionEvent::Authenticate(credentials) => {
                let ok = match &credentials {
                    Credentials::Password { user, password, .. } => {
                        user.as_bytes() == USER.as_bytes()
                            && password.expose() == PASSWORD.as_bytes()
                    }
                    Credentials::Apop {
                        user,
                        digest,
                        timestamp,
                    } => {
                        user.as_bytes() == USER.as_bytes()
                            && pop3_proto::apop::verify(timestamp, PASSWORD.as_bytes(), digest)
                    }
                    Credentials::OAuth2 { user, token } => {
                        user.as_bytes() == USER.as_bytes() && token.expose().starts_with(b"token-")
                    }
                    _ => false,
                };
                if ok {
                    self.logins += 1;
                    let snapshot = self
                        .maildrop
                        .iter()
                        .map(|(uid, m)| MessageInfo {
                            size: wire_size(m),
                            uid: uid.clone(),
                        })
                        .collect();
                    self.server.accept_login(snapshot).unwrap();
                } else {
                    self.server
                        .reject_login(LoginFailure::BadCredentials)
                        .unwrap();
                }
            }
            SessionEvent::Retrieve { msg, .. } => {
                let body = self.maildrop[msg.index()].1.clone();
                let mut rest = &body[..];
                while !rest.is_empty() {
                    let n = rest.len().min(1 + self.rng.below(300) as usize);
                    if !self.server.send_body(&rest[..n]).unwrap() {
                        break;
                    }
                    rest = &rest[n..];
                }
                self.server.end_body().unwrap();
            }
            SessionEvent::Commit { deleted } => {
                let uids: Vec<UniqueId> = deleted.into_iter().map(|(_, uid)| uid).collect();
                self.maildrop.retain(|(uid, _)| !uids.contains(uid));
                self.committed.push(uids);
                self.server.commit_done(Ok(())).unwrap();
            }
            SessionEvent::StartTls => self.server.tls_established().unwrap(),
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Sends a command and pumps until everything settled.
    pub fn run(&mut self, command: Command) -> CommandId {
        let id = self.client.send(command).expect("send");
        self.pump();
        id
    }

    pub fn response(&self, id: CommandId) -> Response {
        self.events
            .iter()
            .find_map(|e| match e {
                Event::Response { id: i, response } if *i == id => Some(response.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no answer to {id:?}"))
    }

    pub fn body(&self, id: CommandId) -> Vec<u8> {
        let mut body = Vec::new();
        let mut ended = false;
        for e in &self.events {
            match e {
                Event::BodyChunk { id: i, data } if *i == id => body.extend_from_slice(data),
                Event::BodyEnd { id: i } if *i == id => ended = true,
                _ => {}
            }
        }
        assert!(ended, "body of {id:?} did not end");
        body
    }

    pub fn login(&mut self) {
        self.pump();
        let capa = self.run(Command::Capa);
        assert!(self.response(capa).is_ok());
        self.run(Command::User(USER.try_into().unwrap()));
        let pass = self.run(Command::Pass(PASSWORD.into()));
        assert!(self.response(pass).is_ok(), "{:?}", self.response(pass));
    }
}

/// A stored message as POP3 puts it on the wire, before dot-stuffing: every
/// bare LF becomes CRLF (a bare CR stays), and a final CRLF is added when the
/// message does not end with a line break.
pub fn wire_form(stored: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(stored.len() + stored.len() / 30 + 2);
    let mut prev = 0u8;
    for &b in stored {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

pub fn wire_size(stored: &[u8]) -> u64 {
    wire_form(stored).len() as u64
}

/// The messages of `testdata/messages`, sorted by name: (file name, content).
pub fn testdata_messages() -> Vec<(String, Vec<u8>)> {
    mailwire_testdata::messages()
        .into_iter()
        .map(|m| (m.name, m.content))
        .collect()
}
