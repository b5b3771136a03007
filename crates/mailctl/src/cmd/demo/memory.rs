//! `mailctl demo --in-memory`: a POP3 client session against a POP3 server session, both
//! sans-IO state machines wired to each other in memory, over a sample
//! maildrop. Prints the exchange and checks what arrived.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, bail, ensure};
use pop3_proto::sasl::Plain;
use pop3_proto::{
    ClientConfig, ClientSession, Command, CommandId, Credentials, Event, LoginFailure, MessageInfo,
    MessageNumber, Positive, Response, Secret, ServerSession, SessionConfig, SessionEvent, Text,
    UniqueId,
};

use super::sample::{MESSAGES, wire_form};
use crate::cmd::pop3::describe::response_line;

const USER: &str = "alice";
const PASSWORD: &str = "correct horse battery staple";
/// Lines of one server answer shown before the rest is summarised.
const SHOWN_LINES: usize = 24;

/// The server's side: the maildrop the application owns.
struct Maildrop {
    messages: Vec<(String, Vec<u8>)>,
}

/// Both sessions, the application state behind the server, and the printer.
struct Wire<'o> {
    client: ClientSession,
    server: ServerSession,
    maildrop: Maildrop,
    events: Vec<Event>,
    out: &'o mut dyn Write,
}

impl Wire<'_> {
    fn new(maildrop: Maildrop, out: &mut dyn Write) -> Wire<'_> {
        let mut config = SessionConfig::default();
        config.greeting = "mailwire demo POP3 server ready".into();
        config.apop_timestamp = Some("<4242.1672531200@demo.mailwire.invalid>".into());
        config.implementation = Some("mailwire pop3-proto".into());
        // The two sessions talk through memory, not a network: nothing to
        // protect with TLS.
        config.allow_plaintext_logins = true;
        Wire {
            client: ClientSession::new(ClientConfig::default()),
            server: ServerSession::new(config),
            maildrop,
            events: Vec::new(),
            out,
        }
    }

    fn say(&mut self, text: &str) -> anyhow::Result<()> {
        writeln!(self.out, "\n# {text}")?;
        Ok(())
    }

    /// Moves bytes both ways and lets both sides act until nothing moves.
    fn pump(&mut self) -> anyhow::Result<()> {
        loop {
            let mut moved = false;
            while let Some(bytes) = self.client.poll_transmit() {
                print_lines(self.out, "C:", &bytes)?;
                self.server.handle_input(&bytes);
                moved = true;
            }
            while let Some(request) = self.server.poll_event().context("server session")? {
                self.serve(request)?;
                moved = true;
            }
            while let Some(bytes) = self.server.poll_transmit() {
                print_lines(self.out, "S:", &bytes)?;
                self.client.handle_input(&bytes);
                moved = true;
            }
            while let Some(event) = self.client.poll_event().context("client session")? {
                self.events.push(event);
                moved = true;
            }
            if !moved {
                return Ok(());
            }
        }
    }

    /// The server application: authentication, content, commit.
    fn serve(&mut self, request: SessionEvent) -> anyhow::Result<()> {
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
                    _ => false,
                };
                if ok {
                    let snapshot = self
                        .maildrop
                        .messages
                        .iter()
                        .map(|(uid, body)| {
                            Ok(MessageInfo {
                                size: wire_form_len(body),
                                uid: UniqueId::new(uid.clone().into_bytes())?,
                            })
                        })
                        .collect::<Result<Vec<_>, pop3_proto::SendError>>()?;
                    self.server.accept_login(snapshot)?;
                } else {
                    self.server.reject_login(LoginFailure::BadCredentials)?;
                }
            }
            SessionEvent::Retrieve { msg, .. } => {
                let body = self.maildrop.messages[msg.index()].1.clone();
                // Stream it in small pieces: stuffing state carries across them.
                for piece in body.chunks(64) {
                    if !self.server.send_body(piece)? {
                        break;
                    }
                }
                self.server.end_body()?;
            }
            SessionEvent::Commit { deleted } => {
                let gone: Vec<&UniqueId> = deleted.iter().map(|(_, uid)| uid).collect();
                self.maildrop
                    .messages
                    .retain(|(uid, _)| !gone.iter().any(|g| g.as_str() == uid));
                self.server.commit_done(Ok(()))?;
            }
            other => bail!("unexpected request {other:?}"),
        }
        Ok(())
    }

    fn send(&mut self, command: Command) -> anyhow::Result<CommandId> {
        let id = self.client.send(command)?;
        self.pump()?;
        Ok(id)
    }

    fn response(&self, id: CommandId) -> anyhow::Result<&Response> {
        self.events
            .iter()
            .find_map(|e| match e {
                Event::Response { id: i, response } if *i == id => Some(response),
                _ => None,
            })
            .with_context(|| format!("no answer to command {}", id.get()))
    }

    fn body(&self, id: CommandId) -> Vec<u8> {
        let mut body = Vec::new();
        for e in &self.events {
            if let Event::BodyChunk { id: i, data } = e
                && *i == id
            {
                body.extend_from_slice(data);
            }
        }
        body
    }
}

fn wire_form_len(body: &[u8]) -> u64 {
    wire_form(&String::from_utf8_lossy(body)).len() as u64
}

/// Prints protocol lines, secrets redacted, long answers summarised.
fn print_lines(out: &mut dyn Write, who: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches(['\r', '\n']);
        if i == SHOWN_LINES && lines.len() > SHOWN_LINES + 2 {
            writeln!(
                out,
                "{who} ... {} more lines ...",
                lines.len() - SHOWN_LINES - 1
            )?;
        }
        if i >= SHOWN_LINES && i + 1 < lines.len() && lines.len() > SHOWN_LINES + 2 {
            continue;
        }
        let shown = if text.len() >= 5 && text[..5].eq_ignore_ascii_case("PASS ") {
            "PASS <redacted>".to_owned()
        } else if text.to_ascii_uppercase().starts_with("AUTH PLAIN ") {
            "AUTH PLAIN <initial response redacted>".to_owned()
        } else {
            text.to_owned()
        };
        writeln!(out, "{who} {shown}")?;
    }
    Ok(())
}

fn num(n: u32) -> anyhow::Result<MessageNumber> {
    MessageNumber::new(n).context("message numbers start at 1")
}

/// Runs the demo, printing to `out`.
pub(crate) fn run(out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    writeln!(
        out,
        "mailwire demo: a POP3 client session and a POP3 server session (pop3-proto, sans IO)\n\
         wired to each other in memory, over a sample maildrop of {} messages.\n\
         C: lines are what the client sent, S: lines what the server sent.",
        MESSAGES.len()
    )?;
    let maildrop = Maildrop {
        messages: MESSAGES
            .iter()
            .map(|(uid, body)| ((*uid).to_owned(), body.as_bytes().to_vec()))
            .collect(),
    };
    let mut w = Wire::new(maildrop, out);

    w.say("Session 1: greeting, capabilities, USER/PASS login")?;
    w.pump()?;
    let capa = w.send(Command::Capa)?;
    ensure!(w.response(capa)?.is_ok(), "CAPA failed");
    w.send(Command::User(Text::try_from(USER)?))?;
    let pass = w.send(Command::Pass(Secret::from(PASSWORD)))?;
    ensure!(w.response(pass)?.is_ok(), "login failed");

    w.say("Drop listing, scan listings, unique-ids")?;
    w.send(Command::Stat)?;
    w.send(Command::List(None))?;
    w.send(Command::Uidl(None))?;

    w.say("TOP 1 0: the header of message 1 only")?;
    w.send(Command::Top {
        msg: num(1)?,
        lines: 0,
    })?;

    w.say(
        "RETR 2: lines starting with '.' are dot-stuffed on the wire and unstuffed by the client",
    )?;
    let retr = w.send(Command::Retr(num(2)?))?;
    let body = w.body(retr);
    let expected = wire_form(MESSAGES[1].1);
    ensure!(body == expected, "message 2 arrived changed");
    writeln!(
        w.out,
        "  -> message 2 arrived intact: {} octets, identical to the stored message (CRLF line endings)",
        body.len()
    )?;

    w.say("RETR 4: a message without a final newline gets one on the wire")?;
    let retr4 = w.send(Command::Retr(num(4)?))?;
    ensure!(
        w.body(retr4) == wire_form(MESSAGES[3].1),
        "message 4 arrived changed"
    );
    writeln!(w.out, "  -> message 4 arrived intact")?;

    w.say("DELE 1, then a bad command and a RETR of the deleted message: both -ERR, the session goes on")?;
    w.send(Command::Dele(num(1)?))?;
    let bad = w.send(Command::other_from_line(&"1 DELE".into())?)?;
    ensure!(!w.response(bad)?.is_ok(), "a bad command was accepted");
    let gone = w.send(Command::Retr(num(1)?))?;
    ensure!(
        !w.response(gone)?.is_ok(),
        "a deleted message was retrieved"
    );

    w.say("QUIT in TRANSACTION state: the server enters UPDATE and commits the deletion")?;
    w.send(Command::Quit)?;
    let left = w.maildrop.messages.len();
    ensure!(left == MESSAGES.len() - 1, "the deletion was not committed");

    w.say("Session 2: AUTH PLAIN (SASL), then STAT, LIST and UIDL pipelined (PIPELINING)")?;
    let maildrop = std::mem::replace(
        &mut w.maildrop,
        Maildrop {
            messages: Vec::new(),
        },
    );
    let mut w = Wire::new(maildrop, w.out);
    w.pump()?;
    w.send(Command::Capa)?;
    let auth = w
        .client
        .authenticate(Box::new(Plain::new(USER, Secret::from(PASSWORD))))?;
    w.pump()?;
    ensure!(w.response(auth)?.is_ok(), "AUTH PLAIN failed");
    let stat = w.client.send(Command::Stat)?;
    let list = w.client.send(Command::List(None))?;
    let uidl = w.client.send(Command::Uidl(None))?;
    w.pump()?;
    let Response::Ok(Positive::Stat(drop)) = w.response(stat)? else {
        bail!("STAT failed")
    };
    ensure!(
        drop.count as usize == left,
        "STAT does not see the committed deletion"
    );
    for id in [list, uidl] {
        ensure!(w.response(id)?.is_ok(), "pipelined command failed");
    }
    w.send(Command::Quit)?;

    writeln!(
        w.out,
        "\nSummary: {} messages at the start; message 2 and 4 retrieved and verified byte for byte;\n\
         message 1 deleted and committed at QUIT; the second session sees {left} messages ({}).\n\
         Both state machines agreed on every step.",
        MESSAGES.len(),
        response_line(w.response(stat)?),
    )?;
    Ok(ExitCode::SUCCESS)
}
