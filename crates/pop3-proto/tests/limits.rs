//! Every resource limit of `Limits` is enforced: listings (entries and
//! memory), listing lines, SASL lines and rounds, commands in flight, and
//! the receive buffer.

use pop3_proto::server::Event as ServerEvent;
use pop3_proto::{
    ClientConfig, ClientSession, Command, DecodeError, Error, Event, Limits, Mechanism, Positive,
    Rejection, Response, ScanListing, SendError, ServerConfig, ServerConnection, UniqueIdListing,
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

/// A UIDL listing of `n` entries whose unique-ids have `uid_len` octets.
fn uidl_listing(n: usize, uid_len: usize) -> Vec<u8> {
    let mut wire = b"+OK\r\n".to_vec();
    for i in 1..=n {
        let uid = format!("{i:0>uid_len$}");
        wire.extend_from_slice(format!("{i} {uid}\r\n").as_bytes());
    }
    wire.extend_from_slice(b".\r\n");
    wire
}

#[test]
fn a_listing_holding_more_memory_than_the_limit_is_refused() {
    // Each entry counts its own size and the octets of its unique-id.
    let entry = size_of::<UniqueIdListing>() + 20;
    let mut limits = Limits::default();
    limits.max_listing_bytes = 3 * entry;
    let mut c = in_transaction(limits);
    c.send(Command::Uidl(None)).unwrap();
    c.handle_input(&uidl_listing(3, 20));
    let Ok(Some(Event::Response {
        response: Response::Ok(Positive::UniqueIdListing { entries, .. }),
        ..
    })) = c.poll_event()
    else {
        panic!("3 entries fit exactly")
    };
    assert_eq!(entries.len(), 3);
    // One octet more than the limit: a fourth entry with a 1-octet uid,
    // or the same three with one uid an octet longer.
    c.send(Command::Uidl(None)).unwrap();
    let mut wire = uidl_listing(3, 20);
    wire.splice(wire.len() - 3..wire.len() - 3, *b"4 x\r\n");
    c.handle_input(&wire);
    assert!(
        matches!(
            c.poll_event(),
            Err(Error::Decode {
                error: DecodeError::ListingTooLarge { limit },
                ..
            }) if limit == 3 * entry
        ),
        "the fourth entry goes over"
    );

    let mut limits = Limits::default();
    limits.max_listing_bytes = 3 * entry;
    let mut c = in_transaction(limits);
    c.send(Command::Uidl(None)).unwrap();
    let mut wire = b"+OK\r\n".to_vec();
    wire.extend_from_slice(format!("1 {}\r\n", "a".repeat(21)).as_bytes());
    wire.extend_from_slice(&uidl_listing(2, 20)[5..]);
    c.handle_input(&wire);
    assert!(matches!(
        c.poll_event(),
        Err(Error::Decode {
            error: DecodeError::ListingTooLarge { .. },
            ..
        })
    ));
}

#[test]
fn every_listing_kind_counts_its_memory() {
    // Scan listings hold no text: the limit is entries times their size.
    let mut limits = Limits::default();
    limits.max_listing_bytes = 2 * size_of::<ScanListing>();
    let mut c = in_transaction(limits.clone());
    c.send(Command::List(None)).unwrap();
    c.handle_input(b"+OK\r\n1 10\r\n2 10\r\n.\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { .. }))));
    c.send(Command::List(None)).unwrap();
    c.handle_input(b"+OK\r\n1 10\r\n2 10\r\n3 10\r\n.\r\n");
    assert!(matches!(
        c.poll_event(),
        Err(Error::Decode {
            error: DecodeError::ListingTooLarge { .. },
            ..
        })
    ));
    // CAPA, LANG and AUTH listings are counted too: a server cannot make
    // the client hold an unbounded capability list.
    for (command, line) in [
        (Command::Capa, "X-CAP some parameters"),
        (Command::Lang(pop3_proto::LangArgument::List), "en English"),
        (Command::AuthMechanisms, "X-MECH"),
    ] {
        let mut limits = Limits::default();
        limits.max_listing_bytes = 1024;
        let mut c = client(limits);
        c.send(command.clone()).unwrap();
        let mut wire = b"+OK\r\n".to_vec();
        for _ in 0..200 {
            wire.extend_from_slice(format!("{line}\r\n").as_bytes());
        }
        wire.extend_from_slice(b".\r\n");
        c.handle_input(&wire);
        assert!(
            matches!(
                c.poll_event(),
                Err(Error::Decode {
                    error: DecodeError::ListingTooLarge { limit: 1024 },
                    ..
                })
            ),
            "{command:?}"
        );
    }
}

#[test]
fn the_default_listing_memory_limit_admits_large_maildrops_and_stops_floods() {
    let limits = Limits::default();
    let counted =
        |entries: usize, uid_len: usize| entries * (size_of::<UniqueIdListing>() + uid_len);
    // A very large real maildrop: a million messages with unique-ids of
    // the 70 octets RFC 1939 §7 allows.
    assert!(counted(1_000_000, 70) <= limits.max_listing_bytes);
    // What the attack suite sent: 4,000,000 unique-ids of 250 octets, within
    // the entry and line limits, is stopped by the memory limit.
    assert!(4_000_000 <= limits.max_listing_entries);
    assert!(counted(4_000_000, 250) > limits.max_listing_bytes);
    assert!(counted(1_000_000, 250) > limits.max_listing_bytes);
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
