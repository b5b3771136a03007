//! Every resource limit of `Limits` is enforced: listings, listing lines,
//! SASL lines and rounds, commands in flight, and the receive buffer.

use pop3_proto::server::Event as ServerEvent;
use pop3_proto::{
    ClientConfig, ClientSession, Command, DecodeError, Error, Event, Limits, Mechanism, Rejection,
    Response, SendError, ServerConfig, ServerConnection,
};

fn client(limits: Limits) -> ClientSession {
    let mut c = ClientSession::new(ClientConfig::with_limits(limits));
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c
}

fn in_transaction(limits: Limits) -> ClientSession {
    let mut c = client(limits);
    c.send(Command::User("u".try_into().unwrap())).unwrap();
    c.handle_input(b"+OK\r\n");
    c.poll_event().unwrap();
    c.send(Command::Pass("p".into())).unwrap();
    c.handle_input(b"+OK\r\n");
    c.poll_event().unwrap();
    c
}

#[test]
fn a_listing_longer_than_the_limit_is_refused() {
    let mut limits = Limits::default();
    limits.max_listing_entries = 3;
    let mut c = in_transaction(limits.clone());
    c.send(Command::List(None)).unwrap();
    c.handle_input(b"+OK\r\n1 10\r\n2 10\r\n3 10\r\n.\r\n");
    assert!(
        matches!(c.poll_event(), Ok(Some(Event::Response { .. }))),
        "3 entries are fine"
    );
    c.send(Command::List(None)).unwrap();
    c.handle_input(b"+OK\r\n1 10\r\n2 10\r\n3 10\r\n4 10\r\n.\r\n");
    assert!(matches!(
        c.poll_event(),
        Err(Error::Decode {
            error: DecodeError::TooManyEntries { limit: 3 },
            ..
        })
    ));
}

#[test]
fn a_listing_line_longer_than_the_limit_is_refused() {
    let mut limits = Limits::default();
    limits.max_listing_line = 32;
    let mut c = in_transaction(limits);
    c.send(Command::Capa).unwrap();
    c.handle_input(format!("+OK\r\nX-{}\r\n.\r\n", "a".repeat(40)).as_bytes());
    assert!(matches!(
        c.poll_event(),
        Err(Error::Decode {
            error: DecodeError::LineTooLong { limit: 32 },
            ..
        })
    ));
}

#[test]
fn a_sasl_line_longer_than_the_limit_is_refused_by_the_server() {
    let mut config = ServerConfig::default();
    config.limits.max_sasl_line = 64;
    let mut s = ServerConnection::new(config);
    s.respond(Response::ok("hi").unwrap()).unwrap();
    s.handle_input(b"AUTH PLAIN\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Command(Command::Auth { .. })))
    ));
    s.respond(Response::Challenge(Default::default())).unwrap();
    s.handle_input(format!("{}\r\n", "QUFB".repeat(20)).as_bytes());
    let Ok(Some(ServerEvent::Rejected { reason, .. })) = s.poll_event() else {
        panic!("rejected")
    };
    assert_eq!(
        reason,
        Rejection::Malformed(DecodeError::LineTooLong { limit: 64 })
    );
}

#[test]
fn a_server_that_keeps_challenging_gets_a_cancel() {
    let mut limits = Limits::default();
    limits.max_sasl_steps = 2;
    let mut c = client(limits);
    let id = c
        .send(Command::Auth {
            mechanism: Mechanism::new(b"X-LOOP").unwrap(),
            initial_response: None,
        })
        .unwrap();
    c.poll_transmit();
    for _ in 0..2 {
        c.handle_input(b"+ \r\n");
        assert!(matches!(c.poll_event(), Ok(Some(Event::Challenge { .. }))));
        c.sasl_respond(pop3_proto::SaslResponse::Data(Default::default()))
            .unwrap();
        c.poll_transmit();
    }
    // The third challenge is answered with "*" by the session itself.
    c.handle_input(b"+ \r\n");
    assert_eq!(c.poll_event(), Ok(None));
    assert_eq!(&c.poll_transmit().unwrap()[..], b"*\r\n");
    c.handle_input(b"-ERR cancelled\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { id: got, .. })) if got == id));
}

#[test]
fn commands_in_flight_are_limited() {
    let mut limits = Limits::default();
    limits.max_pending_commands = 2;
    let mut c = in_transaction(limits);
    c.send(Command::Capa).unwrap();
    c.handle_input(b"+OK\r\nPIPELINING\r\n.\r\n");
    c.poll_event().unwrap();
    c.send(Command::Noop).unwrap();
    c.send(Command::Noop).unwrap();
    assert_eq!(
        c.send(Command::Noop),
        Err(SendError::TooManyPending { limit: 2 })
    );
}

#[test]
fn a_full_receive_buffer_stops_wanting_input() {
    let mut config = ServerConfig::default();
    config.limits.input_buffer = 16;
    let mut s = ServerConnection::new(config);
    s.respond(Response::ok("hi").unwrap()).unwrap();
    s.handle_input(b"NOOP\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Command(Command::Noop)))
    ));
    // Unanswered: pipelined commands pile up until the buffer is full.
    s.handle_input(b"NOOP\r\nNOOP\r\nNOOP\r\n");
    assert!(
        !s.wants_input(),
        "a peer that is not answered cannot make the buffer grow"
    );
    s.respond(Response::ok("").unwrap()).unwrap();
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Command(Command::Noop)))
    ));
}
