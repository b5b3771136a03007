//! A whole server session: arbitrary client bytes in arbitrary chunks into
//! `ServerSession`, with an application that answers every event the way a
//! simple maildrop server would.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_fuzz::Chunks;
use pop3_proto::{Error, MessageInfo, ServerSession, SessionConfig, SessionEvent, State, UniqueId};

/// The message every RETR / TOP sends: dot lines, a bare CR, LF endings, no
/// final newline. Sent in two pieces split inside a `..` line.
const MESSAGE: &[u8] =
    b"Subject: fuzz\n\n.leading dot\n..two dots\n.\n. x\nbare\rCR\r\n...\nlast line";
const SPLIT: usize = 31;

fn snapshot() -> Vec<MessageInfo> {
    [("uid-1", 80), ("uid-2", 0), ("uid-3", 123_456_789)]
        .into_iter()
        .map(|(uid, size)| MessageInfo {
            size,
            uid: UniqueId::new(uid).expect("a valid unique-id"),
        })
        .collect()
}

/// Drains the session's events, answering each. Returns false once the
/// session failed (the run is over).
fn drain(server: &mut ServerSession) -> bool {
    loop {
        let event = match server.poll_event() {
            Ok(Some(event)) => event,
            Ok(None) => break,
            Err(Error::Internal(bug)) => panic!("internal error: {bug}"),
            Err(e) => {
                // Fatal errors are sticky.
                assert_eq!(server.poll_event(), Err(e), "error not sticky");
                return false;
            }
        };
        match event {
            SessionEvent::Authenticate(_) => server.accept_login(snapshot()).expect("accept_login"),
            SessionEvent::Retrieve { .. } => {
                let (a, b) = MESSAGE.split_at(SPLIT);
                if server.send_body(a).expect("send_body") {
                    server.send_body(b).expect("send_body");
                }
                server.end_body().expect("end_body");
            }
            SessionEvent::Commit { deleted } => {
                assert!(!deleted.is_empty(), "commit of nothing");
                server.commit_done(Ok(())).expect("commit_done");
            }
            SessionEvent::StartTls => {
                // Flush the +OK, then the handshake happens at once. Whatever
                // the session still holds arrived in plaintext before it and
                // must never be acted on after the upgrade (RFC 2595 §4,
                // RFC 8314 §4.1): no event, no answer.
                assert_eq!(server.state(), State::TlsHandshake);
                while server.poll_transmit().is_some() {}
                match server.tls_established() {
                    Ok(()) => {}
                    Err(Error::StlsInjection { .. }) => {
                        assert!(
                            server.poll_event().is_err(),
                            "the injection error is sticky"
                        );
                        assert!(
                            server.poll_transmit().is_none(),
                            "nothing is answered after injection"
                        );
                        return false;
                    }
                    Err(other) => panic!("tls_established: {other}"),
                }
                match server.poll_event() {
                    Ok(None) | Err(Error::StlsInjection { .. }) => {}
                    Err(Error::Internal(bug)) => panic!("internal error: {bug}"),
                    other => panic!("plaintext sent before TLS was acted on after it: {other:?}"),
                }
                if let Some(answer) = server.poll_transmit() {
                    panic!("plaintext sent before TLS was answered after it: {answer:?}");
                }
            }
            other => panic!("unexpected event {other:?}"),
        }
    }
    while server.poll_transmit().is_some() {}
    true
}

fuzz_target!(|data: &[u8]| {
    let mut config = SessionConfig::default();
    config.apop_timestamp = Some("<1.2@fuzz>".into());
    config.stls = true;
    // The first input byte picks whether plaintext logins are allowed, so
    // both the refusals and the TRANSACTION state are reached.
    config.allow_plaintext_logins = data.first().is_some_and(|b| b & 1 == 1);
    let mut server = ServerSession::new(config);
    for (_, chunk) in Chunks::new(data) {
        if server.is_closed() {
            return;
        }
        // Every event was answered, so the session must be ready for more.
        assert!(
            server.wants_input(),
            "session stalled in {:?}",
            server.state()
        );
        server.handle_input(chunk);
        if !drain(&mut server) {
            return;
        }
    }
    server.handle_eof();
    drain(&mut server);
});
