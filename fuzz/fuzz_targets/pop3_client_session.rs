//! A whole client session: the server's bytes are the fuzz input; the client
//! sends a script of commands (picked by the input's header) as fast as the
//! session lets it, pipelining when the server advertised PIPELINING.
//!
//! Input: a byte `n` (low six bits: header length; top two: body chunk
//! threshold), `n` script bytes (indices into `STEPS`, modulo its length),
//! then the server's bytes. An odd script length runs the session with
//! lenient unique-ids (`ClientConfig::lenient_unique_ids`), so both modes
//! of the UIDL reader are fuzzed without changing the seeds' layout.

#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use mailwire_fuzz::{Chunks, split_header};
use pop3_proto::sasl::{CramMd5, Login, Plain, SaslMechanism, XOAuth2};
use pop3_proto::{
    ClientConfig, ClientSession, Command, Error, Event, SaslResponse, Secret, SendError, State,
    apop, parse_command,
};

/// What the client does at each script step. Keep in sync with the table in
/// `xtask/src/fuzz_seeds.rs`; append only.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// A command line, parsed.
    Line(&'static str),
    /// APOP with a digest of the greeting's timestamp.
    Apop,
    /// AUTH driven by a mechanism.
    Mechanism(fn() -> Box<dyn SaslMechanism>),
}

const STEPS: [Step; 25] = [
    Step::Line("CAPA"),
    Step::Line("USER alice"),
    Step::Line("PASS secret"),
    Step::Apop,
    Step::Mechanism(|| Box::new(Plain::new("alice", Secret::from("secret")))),
    Step::Mechanism(|| Box::new(Login::new("alice", Secret::from("secret")))),
    Step::Mechanism(|| Box::new(CramMd5::new("alice", Secret::from("secret")))),
    Step::Mechanism(|| Box::new(XOAuth2::new("alice", Secret::from("token")))),
    // The application answers the challenges itself.
    Step::Line("AUTH PLAIN"),
    Step::Line("STAT"),
    Step::Line("LIST"),
    Step::Line("LIST 1"),
    Step::Line("UIDL"),
    Step::Line("UIDL 1"),
    Step::Line("RETR 1"),
    Step::Line("TOP 1 0"),
    Step::Line("DELE 1"),
    Step::Line("RSET"),
    Step::Line("NOOP"),
    Step::Line("QUIT"),
    Step::Line("STLS"),
    Step::Line("UTF8"),
    Step::Line("LANG"),
    Step::Line("LANG en"),
    Step::Line("XTND XMIT"),
];

/// Sends the script's next steps while the session accepts them.
fn send_more(client: &mut ClientSession, script: &mut std::slice::Iter<'_, u8>) {
    while let Some(&b) = script.as_slice().first() {
        let step = STEPS[usize::from(b) % STEPS.len()];
        let sent = match step {
            Step::Line(line) => {
                let command = parse_command(&Bytes::from_static(line.as_bytes()))
                    .expect("a valid script line");
                client.send(command)
            }
            Step::Apop => {
                let timestamp = client.greeting().and_then(|g| g.apop_timestamp());
                let timestamp = timestamp.unwrap_or_else(|| Bytes::from_static(b"<none@fuzz>"));
                let name = "alice".try_into().expect("a valid name");
                let digest = apop::digest(&timestamp, b"secret");
                client.send(Command::Apop { name, digest })
            }
            Step::Mechanism(make) => client.authenticate(make()),
        };
        match sent {
            Ok(_) => {}
            // Try again once the commands in flight are answered.
            Err(SendError::Busy | SendError::TooManyPending { .. }) => return,
            // Not allowed now (a failed login, a closed session): skip it.
            Err(_) => {}
        }
        script.next();
    }
}

/// Drains the session's events. Returns false once the session failed.
fn drain(
    client: &mut ClientSession,
    script: &mut std::slice::Iter<'_, u8>,
    body: &mut usize,
    fed: usize,
) -> bool {
    loop {
        send_more(client, script);
        let event = match client.poll_event() {
            Ok(Some(event)) => event,
            Ok(None) => break,
            Err(Error::Internal(bug)) => panic!("internal error: {bug}"),
            Err(e) => {
                assert_eq!(client.poll_event(), Err(e), "error not sticky");
                return false;
            }
        };
        match event {
            Event::BodyChunk { data, .. } => {
                *body += data.len();
                assert!(*body <= fed, "{body} body octets from {fed} input octets");
            }
            Event::Challenge { .. } => client
                .sasl_respond(SaslResponse::Data(Secret::from("\0alice\0secret")))
                .expect("a challenge can be answered"),
            _ => {}
        }
    }
    if client.state() == State::TlsHandshake {
        match client.tls_established() {
            Ok(()) => {}
            Err(Error::StlsInjection { .. }) => {
                assert!(
                    client.poll_event().is_err(),
                    "the injection error is sticky"
                );
                return false;
            }
            Err(other) => panic!("tls_established: {other}"),
        }
    }
    while client.poll_transmit().is_some() {}
    true
}

fuzz_target!(|data: &[u8]| {
    let (limits, header, stream) = split_header(data);
    let mut config = ClientConfig::with_limits(limits);
    config.lenient_unique_ids = header.len() % 2 == 1;
    let mut client = ClientSession::new(config);
    let mut script = header.iter();
    let mut body = 0usize;
    let mut fed = 0usize;
    for (control, chunk) in Chunks::new(stream) {
        if !client.wants_input() {
            return;
        }
        // Bit 4 of the chunk's first byte: hand it over as `Bytes` (the
        // zero-copy path) rather than as a slice to copy.
        if control & 0x10 != 0 {
            client.handle_input_bytes(Bytes::copy_from_slice(chunk));
        } else {
            client.handle_input(chunk);
        }
        fed += chunk.len();
        assert!(
            client.buffered_input() <= fed,
            "input buffer grew beyond the input"
        );
        if !drain(&mut client, &mut script, &mut body, fed) {
            return;
        }
    }
    client.handle_eof();
    drain(&mut client, &mut script, &mut body, fed);
});
