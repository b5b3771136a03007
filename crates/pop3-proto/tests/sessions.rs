//! Client and server sessions driven against each other: message content
//! through wire and back, RFC 1939 bookkeeping, bad input, STLS injection,
//! SASL, and bodies far larger than memory limits.

mod common;

use common::{Chunking, PASSWORD, Pair, Rng, USER, plaintext_config, testdata_messages, wire_form};
use pop3_proto::sasl::{Login, Plain, XOAuth2};
use pop3_proto::{
    ClientConfig, ClientSession, Command, DecodeError, Error, Event, Limits, MessageNumber,
    Positive, Rejection, Response, ResponseCode, SendError, ServerConfig, ServerConnection,
    ServerSession, SessionConfig, SessionEvent, State, server,
};

fn n(i: u32) -> MessageNumber {
    MessageNumber::new(i).unwrap()
}

const CHUNKINGS: [Chunking; 3] = [Chunking::Whole, Chunking::Single, Chunking::Random(7)];

#[test]
fn testdata_messages_arrive_byte_for_byte_with_every_chunking() {
    let messages = testdata_messages();
    let bodies: Vec<Vec<u8>> = messages.iter().map(|(_, m)| m.clone()).collect();
    for chunking in [Chunking::Whole, Chunking::Random(11), Chunking::Random(99)] {
        let mut p = Pair::new(&bodies, chunking);
        p.login();
        for (i, (name, stored)) in messages.iter().enumerate() {
            let id = p.run(Command::Retr(n(i as u32 + 1)));
            let Response::Ok(Positive::Message(_)) = p.response(id) else {
                panic!("{name}: RETR failed")
            };
            assert!(
                p.body(id) == wire_form(stored),
                "{name} changed on the way ({chunking:?})"
            );
            // LIST reports the size the body has on the wire.
            let list = p.run(Command::List(Some(n(i as u32 + 1))));
            let Response::Ok(Positive::Scan(scan)) = p.response(list) else {
                panic!()
            };
            assert_eq!(scan.size, wire_form(stored).len() as u64, "{name}");
        }
    }
    // Byte-at-a-time for the smaller ones (the 2 MB one is covered above).
    let small: Vec<Vec<u8>> = bodies
        .iter()
        .filter(|b| b.len() < 200_000)
        .cloned()
        .collect();
    let mut p = Pair::new(&small, Chunking::Single);
    p.login();
    for (i, stored) in small.iter().enumerate() {
        let id = p.run(Command::Retr(n(i as u32 + 1)));
        assert_eq!(p.body(id), wire_form(stored));
    }
}

/// What TOP must return: the header, the blank line, and `lines` body lines.
fn top_of(wire: &[u8], lines: u64) -> Vec<u8> {
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
        if in_header && (line == b"\r\n" || line == b"\n") {
            in_header = false;
        }
    }
    out
}

#[test]
fn top_returns_header_and_requested_lines() {
    let messages = testdata_messages();
    let bodies: Vec<Vec<u8>> = messages.iter().map(|(_, m)| m.clone()).collect();
    let mut p = Pair::new(&bodies, Chunking::Random(3));
    p.login();
    for (i, (name, stored)) in messages.iter().enumerate() {
        for lines in [0, 1, 5, 100_000] {
            let id = p.run(Command::Top {
                msg: n(i as u32 + 1),
                lines,
            });
            assert!(
                p.body(id) == top_of(&wire_form(stored), lines),
                "{name} TOP {lines}"
            );
        }
    }
}

#[test]
fn rfc1939_bookkeeping_dele_rset_quit() {
    let msgs = vec![
        b"a: 1\n\nfirst\n".to_vec(),
        b"a: 2\n\nsecond\n".to_vec(),
        b"a: 3\n\nthird\n".to_vec(),
    ];
    let mut p = Pair::new(&msgs, Chunking::Whole);
    p.login();
    let dele = p.run(Command::Dele(n(2)));
    assert!(p.response(dele).is_ok());
    let again = p.run(Command::Dele(n(2)));
    assert!(
        !p.response(again).is_ok(),
        "a message cannot be deleted twice"
    );
    let retr = p.run(Command::Retr(n(2)));
    assert!(
        !p.response(retr).is_ok(),
        "a deleted message cannot be retrieved"
    );
    let stat = p.run(Command::Stat);
    let Response::Ok(Positive::Stat(d)) = p.response(stat) else {
        panic!()
    };
    assert_eq!(d.count, 2, "STAT skips deleted messages");
    let list = p.run(Command::List(None));
    let Response::Ok(Positive::ScanListing { entries, .. }) = p.response(list) else {
        panic!()
    };
    assert_eq!(
        entries.iter().map(|e| e.msg.get()).collect::<Vec<_>>(),
        [1, 3],
        "numbers stay as in the snapshot"
    );
    let rset = p.run(Command::Rset);
    assert!(p.response(rset).is_ok());
    let stat = p.run(Command::Stat);
    let Response::Ok(Positive::Stat(d)) = p.response(stat) else {
        panic!()
    };
    assert_eq!(d.count, 3, "RSET unmarks");
    p.run(Command::Dele(n(3)));
    let quit = p.run(Command::Quit);
    assert!(p.response(quit).is_ok());
    assert_eq!(p.committed.len(), 1);
    assert_eq!(p.committed[0].len(), 1);
    assert_eq!(p.maildrop.len(), 2);
    assert_eq!(p.client.state(), State::Closed);
    assert!(p.server.is_closed());
}

#[test]
fn dropped_connection_deletes_nothing() {
    let msgs = vec![b"x\n".to_vec(), b"y\n".to_vec()];
    let mut p = Pair::new(&msgs, Chunking::Whole);
    p.login();
    p.run(Command::Dele(n(1)));
    p.server.handle_eof();
    assert_eq!(p.server.poll_event(), Ok(None));
    assert!(p.committed.is_empty());
    assert_eq!(p.maildrop.len(), 2);
    // QUIT in AUTHORIZATION commits nothing either.
    let mut p = Pair::new(&msgs, Chunking::Whole);
    p.pump();
    p.run(Command::Quit);
    assert!(p.committed.is_empty());
}

#[test]
fn wrong_state_commands_get_err_and_the_session_goes_on() {
    let mut p = Pair::new(&[b"m\n".to_vec()], Chunking::Whole);
    p.pump();
    // The client refuses to send STAT before login...
    assert!(matches!(
        p.client.send(Command::Stat),
        Err(SendError::WrongState { .. })
    ));
    // ...but a server must answer a client that does anyway.
    let mut s = ServerSession::new(plaintext_config());
    s.handle_input(b"STAT\r\nPASS x\r\nUSER alice\r\nNOOP\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let out = s.poll_transmit().unwrap();
    let text = String::from_utf8_lossy(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("-ERR"), "STAT before login: {text}");
    assert!(lines[2].starts_with("-ERR"), "PASS without USER: {text}");
    assert!(lines[3].starts_with("+OK"), "USER: {text}");
    assert!(lines[4].starts_with("+OK"), "NOOP: {text}");
}

/// Feeds `input` to a fresh server session and returns every line it sent
/// after the greeting, and whether it closed.
fn server_lines(config: SessionConfig, input: &[u8]) -> (Vec<String>, Result<(), Error>) {
    let mut s = ServerSession::new(config);
    s.handle_input(input);
    let result = match s.poll_event() {
        Ok(Some(ev)) => panic!("unexpected request {ev:?}"),
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend_from_slice(&b);
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    (text.lines().skip(1).map(str::to_owned).collect(), result)
}

#[test]
fn bad_input_is_answered_and_bounded() {
    // The widely copied example: a user types LISTE and "1 DELE".
    let (lines, result) = server_lines(SessionConfig::default(), b"LISTE\r\n1 DELE\r\nNOOP\r\n");
    assert!(
        lines[0].starts_with("-ERR") && lines[1].starts_with("-ERR"),
        "{lines:?}"
    );
    assert_eq!(lines[2], "+OK");
    assert!(result.is_ok());

    // An overlong line, a NUL byte, a bare LF, invalid UTF-8, a huge number.
    let mut input = vec![b'X'; 300];
    input.extend_from_slice(
        b"\r\nUSER a\0b\r\nNOOP\nUSER \xff\xfe\r\nRETR 99999999999999999999\r\nNOOP\r\n",
    );
    let (lines, result) = server_lines(SessionConfig::default(), &input);
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert!(lines[0].contains("too long"), "{lines:?}");
    assert!(
        lines[..5].iter().all(|l| l.starts_with("-ERR")),
        "{lines:?}"
    );
    assert_eq!(lines[5], "+OK");
    assert!(result.is_ok());

    // A bare LF is accepted when configured.
    let mut config = SessionConfig::default();
    config.server.allow_bare_lf = true;
    let (lines, _) = server_lines(config, b"NOOP\n");
    assert_eq!(lines, ["+OK"]);

    // Too many bad commands close the connection.
    let (lines, result) = server_lines(SessionConfig::default(), &b"BOGUS\r\n".repeat(50));
    assert_eq!(lines.len(), Limits::default().max_bad_commands as usize);
    assert_eq!(result, Err(Error::TooManyBadCommands));
}

#[test]
fn an_overlong_line_is_not_buffered() {
    let mut s = ServerSession::new(SessionConfig::default());
    for _ in 0..10_000 {
        s.handle_input(&[b'A'; 1000]);
        let _ = s.poll_event();
    }
    // 10 MB of one line: answered once, nothing kept.
    s.handle_input(b"\r\nNOOP\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend_from_slice(&b);
    }
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("-ERR Line too long") && text.ends_with("+OK\r\n"),
        "{text}"
    );
}

#[test]
fn failed_logins_are_limited() {
    let mut p = Pair::new(&[], Chunking::Whole);
    p.pump();
    for i in 0..Limits::default().max_failed_logins {
        p.client
            .send(Command::User(USER.try_into().unwrap()))
            .unwrap();
        p.pump();
        let id = p.client.send(Command::Pass("wrong".into())).unwrap();
        let result = p.try_pump();
        if i + 1 < Limits::default().max_failed_logins {
            assert_eq!(result, Ok(()));
            let Response::Err(text) = p.response(id) else {
                panic!()
            };
            assert_eq!(text.code, Some(ResponseCode::Auth), "AUTH-RESP-CODE");
        } else {
            assert_eq!(
                result,
                Err(Error::TooManyFailedLogins),
                "the last failure ends the session"
            );
        }
    }
}

#[test]
fn stls_injection_is_refused_on_both_sides() {
    // Server: commands pipelined behind STLS.
    let mut config = SessionConfig::default();
    config.stls = true;
    let mut s = ServerSession::new(config);
    s.handle_input(b"STLS\r\nUSER mallory\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(pop3_proto::SessionEvent::StartTls))
    ));
    assert_eq!(s.poll_event(), Err(Error::StlsInjection { len: 14 }));

    // Client: a response injected behind the +OK to STLS.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK ready\r\n");
    c.poll_event().unwrap();
    let id = c.send(Command::Stls).unwrap();
    c.handle_input(b"+OK Begin TLS\r\n+OK injected\r\n");
    assert!(
        matches!(c.poll_event(), Err(Error::StlsInjection { .. })),
        "{id:?}"
    );
    assert!(c.poll_event().is_err(), "errors are sticky");

    // Client, injected bytes arriving in a later read before the handshake.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK ready\r\n");
    c.poll_event().unwrap();
    c.send(Command::Capa).unwrap();
    c.handle_input(b"+OK\r\nSTLS\r\nPIPELINING\r\n.\r\n");
    c.poll_event().unwrap();
    c.send(Command::Stls).unwrap();
    c.handle_input(b"+OK Begin TLS\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { .. }))));
    assert_eq!(c.state(), State::TlsHandshake);
    assert!(
        c.capabilities().is_none(),
        "capabilities are forgotten at STLS"
    );
    c.handle_input(b"+OK late\r\n");
    assert!(matches!(c.poll_event(), Err(Error::StlsInjection { .. })));
}

#[test]
fn stls_upgrade_without_injection() {
    let mut config = SessionConfig::default();
    config.stls = true;
    let mut p = Pair::with_config(
        &[b"m\n".to_vec()],
        Chunking::Whole,
        config,
        Limits::default(),
    );
    p.pump();
    let stls = p.run(Command::Stls);
    assert!(p.response(stls).is_ok());
    assert_eq!(p.client.state(), State::TlsHandshake);
    p.client.tls_established().unwrap();
    let capa = p.run(Command::Capa);
    let Response::Ok(Positive::Capabilities { capabilities, .. }) = p.response(capa) else {
        panic!()
    };
    assert!(
        !capabilities.contains(&pop3_proto::Capability::Stls),
        "STLS is not offered twice"
    );
    p.run(Command::User(USER.try_into().unwrap()));
    let pass = p.run(Command::Pass(PASSWORD.into()));
    assert!(p.response(pass).is_ok());
}

#[test]
fn sasl_plain_login_xoauth2_and_apop() {
    let mut config = plaintext_config();
    config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
    config
        .mechanisms
        .push(pop3_proto::Mechanism::new(b"XOAUTH2").unwrap());
    for chunking in CHUNKINGS {
        let mechanisms: Vec<Box<dyn pop3_proto::sasl::SaslMechanism>> = vec![
            Box::new(Plain::new(USER, PASSWORD.into())),
            Box::new(Login::new(USER, PASSWORD.into())),
            // A token long enough that the initial response must be deferred.
            Box::new(XOAuth2::new(
                USER,
                format!("token-{}", "x".repeat(2000)).into(),
            )),
        ];
        for mechanism in mechanisms {
            let mut p = Pair::with_config(
                &[b"m\n".to_vec()],
                chunking,
                config.clone(),
                Limits::default(),
            );
            p.pump();
            let id = p.client.authenticate(mechanism).unwrap();
            p.pump();
            assert!(p.response(id).is_ok(), "{:?}", p.response(id));
            assert_eq!(p.client.state(), State::Transaction);
            assert_eq!(p.server.state(), State::Transaction);
        }
        let mut p = Pair::with_config(&[], chunking, config.clone(), Limits::default());
        p.pump();
        let ts = p.client.greeting().unwrap().apop_timestamp().unwrap();
        let digest = pop3_proto::apop::digest(&ts, PASSWORD.as_bytes());
        let id = p.run(Command::Apop {
            name: USER.try_into().unwrap(),
            digest,
        });
        assert!(p.response(id).is_ok());
        // A wrong password fails with [AUTH].
        let mut p = Pair::with_config(&[], chunking, config.clone(), Limits::default());
        p.pump();
        let id = p
            .client
            .authenticate(Box::new(Plain::new(USER, "nope".into())))
            .unwrap();
        p.pump();
        let Response::Err(text) = p.response(id) else {
            panic!()
        };
        assert_eq!(text.code, Some(ResponseCode::Auth));
    }
}

#[test]
fn sasl_cancel_and_manual_challenges() {
    let mut p = Pair::new(&[], Chunking::Whole);
    p.pump();
    let id = p.run(Command::Auth {
        mechanism: pop3_proto::Mechanism::new(b"LOGIN").unwrap(),
        initial_response: None,
    });
    let Some(Event::Challenge { data, .. }) = p.events.last().cloned() else {
        panic!("{:?}", p.events)
    };
    assert_eq!(&data.expose()[..], b"Username:");
    p.client
        .sasl_respond(pop3_proto::SaslResponse::Cancel)
        .unwrap();
    p.pump();
    assert!(!p.response(id).is_ok());
    assert_eq!(p.server.state(), State::Authorization);
}

/// `AUTH LOGIN` and `*` at the first challenge; returns the AUTH's id.
fn cancel_auth(p: &mut Pair) -> Result<pop3_proto::CommandId, Error> {
    let id = p.client.send(Command::Auth {
        mechanism: pop3_proto::Mechanism::new(b"LOGIN").unwrap(),
        initial_response: None,
    });
    let id = id.expect("send AUTH");
    p.try_pump()?;
    p.client
        .sasl_respond(pop3_proto::SaslResponse::Cancel)
        .unwrap();
    p.try_pump()?;
    Ok(id)
}

#[test]
fn cancelled_auths_do_not_use_up_failed_logins() {
    let mut p = Pair::new(&[], Chunking::Whole);
    p.pump();
    for _ in 0..Limits::default().max_failed_logins {
        let id = cancel_auth(&mut p).expect("a cancel is not a failed login");
        assert!(!p.response(id).is_ok(), "RFC 5034 §4: -ERR");
    }
    p.login();
    assert_eq!(p.server.state(), State::Transaction);
}

#[test]
fn cancelled_auths_are_bounded_as_bad_commands() {
    let mut p = Pair::new(&[], Chunking::Whole);
    p.pump();
    let limit = Limits::default().max_bad_commands;
    for _ in 1..limit {
        cancel_auth(&mut p).expect("below the limit");
    }
    assert_eq!(cancel_auth(&mut p), Err(Error::TooManyBadCommands));
}

#[test]
fn pipelined_commands_are_answered_in_order() {
    let msgs: Vec<Vec<u8>> = (0..5)
        .map(|i| format!("Subject: {i}\n\n.line {i}\n").into_bytes())
        .collect();
    for chunking in CHUNKINGS {
        let mut p = Pair::new(&msgs, chunking);
        p.login();
        assert!(p.client.has_capability(&pop3_proto::Capability::Pipelining));
        let ids: Vec<_> = (1..=5)
            .map(|i| p.client.send(Command::Retr(n(i))).unwrap())
            .collect();
        let stat = p.client.send(Command::Stat).unwrap();
        p.pump();
        for (i, id) in ids.into_iter().enumerate() {
            assert_eq!(p.body(id), wire_form(&msgs[i]));
        }
        assert!(p.response(stat).is_ok());
    }
}

#[test]
fn without_pipelining_one_command_at_a_time() {
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c.send(Command::Noop).unwrap();
    assert_eq!(c.send(Command::Noop), Err(SendError::Busy));
}

/// Random sequences of commands, pipelined when possible, with random
/// chunking: the two sessions never disagree about the state.
#[test]
fn random_pipelined_sequences_keep_both_sides_in_step() {
    let msgs: Vec<Vec<u8>> = (0..4)
        .map(|i| format!("H: {i}\n\n.body\n").into_bytes())
        .collect();
    for seed in 1..=60u64 {
        let mut rng = Rng(seed * 7919);
        let mut config = plaintext_config();
        config.server.limits.max_bad_commands = 1000;
        config.server.limits.max_failed_logins = 1000;
        let mut p = Pair::with_config(&msgs, Chunking::Random(seed), config, Limits::default());
        p.pump();
        p.run(Command::Capa);
        for _ in 0..40 {
            let command = match rng.below(14) {
                0 => Command::User(USER.try_into().unwrap()),
                1 => Command::Pass(if rng.below(3) == 0 {
                    "bad".into()
                } else {
                    PASSWORD.into()
                }),
                2 => Command::Stat,
                3 => Command::List(if rng.below(2) == 0 {
                    None
                } else {
                    Some(n(1 + rng.below(6) as u32))
                }),
                4 => Command::Uidl(if rng.below(2) == 0 {
                    None
                } else {
                    Some(n(1 + rng.below(6) as u32))
                }),
                5 => Command::Retr(n(1 + rng.below(5) as u32)),
                6 => Command::Top {
                    msg: n(1 + rng.below(5) as u32),
                    lines: rng.below(3),
                },
                7 => Command::Dele(n(1 + rng.below(5) as u32)),
                8 => Command::Rset,
                9 => Command::Noop,
                10 => Command::Capa,
                11 => Command::other_from_line(&"XTND XMIT".into()).unwrap(),
                12 => Command::AuthMechanisms,
                _ if rng.below(10) == 0 => Command::Quit,
                _ => Command::Noop,
            };
            // Sometimes pipeline several before pumping.
            let _ = p.client.send(command);
            if rng.below(3) == 0 {
                p.pump();
                if p.client.pending() == 0 {
                    assert_eq!(p.client.state(), p.server.state(), "seed {seed}");
                }
            }
            if p.client.state() == State::Closed {
                break;
            }
        }
        p.pump();
        assert_eq!(p.client.pending(), 0, "seed {seed}");
        assert_eq!(p.client.state(), p.server.state(), "seed {seed}");
    }
}

/// A client logged in with canned server answers.
fn client_in_transaction(limits: Limits) -> ClientSession {
    let mut c = ClientSession::new(ClientConfig::with_limits(limits));
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c.send(Command::User("u".try_into().unwrap())).unwrap();
    c.handle_input(b"+OK\r\n");
    c.poll_event().unwrap();
    c.send(Command::Pass("p".into())).unwrap();
    c.handle_input(b"+OK\r\n");
    c.poll_event().unwrap();
    assert_eq!(c.state(), State::Transaction);
    c
}

#[test]
fn a_1_gib_body_streams_in_bounded_memory() {
    let mut limits = Limits::default();
    limits.body_chunk_threshold = 256 * 1024;
    let mut c = client_in_transaction(limits.clone());
    let id = c.send(Command::Retr(n(1))).unwrap();
    c.handle_input(b"+OK 1073741824 octets\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { .. }))));
    // 64 KiB blocks of lines, some dot-stuffed.
    let unit: &[u8] =
        b"..a stuffed line, then an ordinary one\r\nsome text of a long message body\r\n";
    let block = unit.repeat(64 * 1024 / unit.len());
    // One stuffed dot per unit is removed.
    let unstuffed_per_block = (block.len() - block.len() / unit.len()) as u64;
    let blocks = (1u64 << 30) / block.len() as u64;
    let mut received = 0u64;
    let mut max_buffered = 0;
    let mut max_chunk = 0;
    for _ in 0..blocks {
        c.handle_input(&block);
        max_buffered = max_buffered.max(c.buffered_input());
        while let Some(ev) = c.poll_event().unwrap() {
            let Event::BodyChunk { data, .. } = ev else {
                panic!("{ev:?}")
            };
            max_chunk = max_chunk.max(data.len());
            received += data.len() as u64;
        }
    }
    c.handle_input(b".\r\n");
    let mut ended = false;
    while let Some(ev) = c.poll_event().unwrap() {
        match ev {
            Event::BodyChunk { data, .. } => received += data.len() as u64,
            Event::BodyEnd { id: end } => ended = end == id,
            other => panic!("{other:?}"),
        }
    }
    assert!(ended);
    assert_eq!(received, blocks * unstuffed_per_block);
    assert!(
        max_buffered <= limits.body_chunk_threshold + 2 * block.len(),
        "buffered {max_buffered}"
    );
    assert!(
        max_chunk <= limits.body_chunk_threshold + block.len(),
        "chunk {max_chunk}"
    );
}

#[test]
fn server_connection_rejects_answers_of_the_wrong_shape() {
    let mut s = ServerConnection::new(ServerConfig::default());
    s.respond(Response::ok("hi").unwrap()).unwrap();
    s.handle_input(b"CAPA\r\n");
    assert_eq!(
        s.poll_event(),
        Ok(Some(server::Event::Command(Command::Capa)))
    );
    assert!(matches!(
        s.respond(Response::ok("no list").unwrap()),
        Err(SendError::ResponseMismatch(_))
    ));
    s.respond(Response::err("no").unwrap()).unwrap();
    s.handle_input(b"LIST x\r\n");
    let Ok(Some(server::Event::Rejected { reason, .. })) = s.poll_event() else {
        panic!()
    };
    assert_eq!(
        reason,
        Rejection::Malformed(DecodeError::Syntax {
            expected: "a decimal number"
        })
    );
}

#[test]
fn body_lines_have_no_length_cap_and_eof_mid_body_is_an_error() {
    let mut long = vec![b'x'; 3 * 1024 * 1024];
    long.extend_from_slice(b"\n.\n");
    let mut p = Pair::new(&[long.clone()], Chunking::Random(5));
    p.login();
    let id = p.run(Command::Retr(n(1)));
    assert_eq!(p.body(id), wire_form(&long));

    let mut c = client_in_transaction(Limits::default());
    c.send(Command::Retr(n(1))).unwrap();
    c.handle_input(b"+OK\r\nhalf a mess");
    while let Ok(Some(_)) = c.poll_event() {}
    c.handle_eof();
    assert!(matches!(c.poll_event(), Err(Error::UnexpectedEof { .. })));
}

#[test]
fn an_unsolicited_line_is_reported_with_its_text() {
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c.handle_input(b"-ERR Disconnected for inactivity.\r\n");
    assert_eq!(
        c.poll_event(),
        Err(Error::Unsolicited {
            line: "-ERR Disconnected for inactivity.".into()
        })
    );
}

/// The documented order (flush the +OK, run the handshake, call
/// `tls_established`) with no poll in between still catches injection.
#[test]
fn stls_injection_is_caught_at_tls_established() {
    let mut config = SessionConfig::default();
    config.stls = true;
    let mut s = ServerSession::new(config);
    s.handle_input(b"NOOP\r\nSTLS\r\nUSER mallory\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(pop3_proto::SessionEvent::StartTls))
    ));
    while s.poll_transmit().is_some() {}
    assert_eq!(s.tls_established(), Err(Error::StlsInjection { len: 14 }));
    assert!(s.poll_event().is_err());
    assert!(
        s.poll_transmit().is_none(),
        "the injected USER is never answered"
    );

    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK ready\r\n");
    c.poll_event().unwrap();
    c.send(Command::Stls).unwrap();
    c.handle_input(b"+OK Begin TLS\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { .. }))));
    c.handle_input(b"+OK injected\r\n");
    assert_eq!(c.tls_established(), Err(Error::StlsInjection { len: 14 }));
    assert_eq!(c.send(Command::Capa), Err(SendError::Closed));
    assert_eq!(
        c.tls_established(),
        Err(Error::StlsInjection { len: 14 }),
        "sticky"
    );
}

/// Every line a session queued since the last call.
fn drain(s: &mut ServerSession) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend_from_slice(&b);
    }
    String::from_utf8_lossy(&out)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn stls_config() -> SessionConfig {
    let mut config = SessionConfig::default();
    config.stls = true;
    config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
    config
}

/// By default a plaintext session refuses every login with `-ERR [AUTH]`
/// until STLS, announces none, and gives no APOP timestamp; over TLS the
/// logins are offered and accepted.
#[test]
fn logins_wait_for_tls_by_default() {
    let mut config = stls_config();
    // Refused APOP and AUTH count as failed logins: allow more than three.
    config.server.limits.max_failed_logins = 10;
    let mut s = ServerSession::new(config);
    assert!(!s.logins_allowed());
    let greeting = drain(&mut s);
    assert_eq!(greeting.len(), 1);
    assert!(
        greeting[0].starts_with("+OK") && !greeting[0].contains('<'),
        "an APOP timestamp invites a digest in the clear: {greeting:?}"
    );

    s.handle_input(b"CAPA\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let caps = drain(&mut s);
    assert!(caps.contains(&"STLS".to_owned()), "{caps:?}");
    assert!(
        !caps.iter().any(|c| c == "USER" || c.starts_with("SASL")),
        "{caps:?}"
    );

    // Each login command is refused before anything is checked.
    s.handle_input(
        b"USER alice\r\nPASS secret\r\nAPOP alice c4c9334bac560ecc979e58001b3e22fb\r\n\
          AUTH PLAIN\r\nNOOP\r\n",
    );
    assert_eq!(
        s.poll_event(),
        Ok(None),
        "no credentials reach the application"
    );
    let lines = drain(&mut s);
    assert_eq!(lines.len(), 5, "{lines:?}");
    for (line, command) in lines[..4].iter().zip(["USER", "PASS", "APOP", "AUTH"]) {
        assert!(
            line.starts_with("-ERR [AUTH] ") && line.contains("STLS"),
            "{command}: {line:?}"
        );
    }
    assert_eq!(lines[4], "+OK");

    // STLS; then the logins are there.
    s.handle_input(b"STLS\r\n");
    assert!(matches!(s.poll_event(), Ok(Some(SessionEvent::StartTls))));
    assert!(drain(&mut s)[0].starts_with("+OK"));
    s.tls_established().unwrap();
    assert!(s.logins_allowed() && s.is_tls());
    s.handle_input(b"CAPA\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let caps = drain(&mut s);
    assert!(caps.contains(&"USER".to_owned()), "{caps:?}");
    assert!(caps.iter().any(|c| c.starts_with("SASL PLAIN")), "{caps:?}");
    assert!(!caps.contains(&"STLS".to_owned()), "{caps:?}");
    // APOP stays off: its timestamp was never sent.
    s.handle_input(b"APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let apop = drain(&mut s);
    assert!(
        apop[0].starts_with("-ERR") && apop[0].contains("APOP"),
        "{apop:?}"
    );
    s.handle_input(b"USER alice\r\nPASS secret\r\n");
    let Ok(Some(SessionEvent::Authenticate(credentials))) = s.poll_event() else {
        panic!("PASS over TLS reaches the application");
    };
    assert_eq!(credentials.user().to_str_lossy(), "alice");
}

/// Without STLS on offer, the refusal says the port has no TLS.
#[test]
fn logins_refused_where_no_tls_is_offered() {
    let mut s = ServerSession::new(SessionConfig::default());
    drain(&mut s);
    s.handle_input(b"USER alice\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let lines = drain(&mut s);
    assert!(
        lines[0].starts_with("-ERR [AUTH] ") && lines[0].contains("does not offer"),
        "{lines:?}"
    );
}

/// With `allow_plaintext_logins`, a plaintext session offers and accepts
/// logins, APOP included.
#[test]
fn plaintext_logins_when_allowed() {
    let mut config = stls_config();
    config.allow_plaintext_logins = true;
    let mut s = ServerSession::new(config);
    assert!(s.logins_allowed());
    assert!(drain(&mut s)[0].ends_with("<1896.697170952@dbc.mtview.ca.us>"));
    s.handle_input(b"CAPA\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let caps = drain(&mut s);
    for want in ["USER", "STLS"] {
        assert!(caps.contains(&want.to_owned()), "{caps:?}");
    }
    assert!(caps.iter().any(|c| c.starts_with("SASL")), "{caps:?}");
    s.handle_input(b"APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(SessionEvent::Authenticate(
            pop3_proto::Credentials::Apop { .. }
        )))
    ));
}

/// A session on a connection that is TLS from the start (POP3S) accepts
/// logins and sends the APOP timestamp.
#[test]
fn implicit_tls_sessions_accept_logins() {
    let mut s = ServerSession::new_tls(stls_config());
    assert!(s.logins_allowed());
    assert!(drain(&mut s)[0].contains('<'));
    s.handle_input(b"USER alice\r\nPASS secret\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(SessionEvent::Authenticate(_)))
    ));
}

/// A greeting followed by a forged `+OK`: the forged line must not answer
/// the USER sent next, or the client would send PASS before USER was
/// answered.
#[test]
fn octets_after_the_greeting_are_unsolicited() {
    let unsolicited = Error::Unsolicited { line: "+OK".into() };
    // The caller sends right after the greeting event, without polling.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n+OK\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Greeting(_)))));
    assert_eq!(
        c.send(Command::User("alice".try_into().unwrap())),
        Err(SendError::Closed)
    );
    assert_eq!(c.error(), Some(&unsolicited));
    assert_eq!(c.poll_event(), Err(unsolicited.clone()));
    assert_eq!(c.state(), State::Closed);
    assert!(c.poll_transmit().is_none(), "USER was never sent");

    // The caller polls first: the same error.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n+OK\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Greeting(_)))));
    assert_eq!(c.poll_event(), Err(unsolicited.clone()));
    assert_eq!(
        c.send(Command::User("alice".try_into().unwrap())),
        Err(SendError::Closed)
    );

    // Even part of a line is more than nothing.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n+O");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Greeting(_)))));
    assert_eq!(c.send(Command::Noop), Err(SendError::Closed));
    assert!(matches!(c.error(), Some(Error::Unsolicited { .. })));
}

/// Octets that arrive when every answer was read are unsolicited too,
/// whenever they come.
#[test]
fn octets_after_the_last_answer_are_unsolicited() {
    let mut c = client_in_transaction(Limits::default());
    c.send(Command::Noop).unwrap();
    c.handle_input(b"+OK\r\n-ERR forged\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { .. }))));
    assert_eq!(c.send(Command::Dele(n(1))), Err(SendError::Closed));
    assert_eq!(
        c.error(),
        Some(&Error::Unsolicited {
            line: "-ERR forged".into()
        })
    );
}

/// With PIPELINING a command may be sent while answers are still being
/// read; an answer that was already received when the command was sent
/// cannot be its answer.
#[test]
fn a_pipelined_command_is_not_answered_by_octets_older_than_it() {
    let mut c = client_in_transaction(Limits::default());
    c.send(Command::Capa).unwrap();
    c.handle_input(b"+OK\r\nPIPELINING\r\n.\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { .. }))));
    let first = c.send(Command::Noop).unwrap();
    c.handle_input(b"+OK\r\n+OK forged\r\n");
    // The second command goes out while the first answer and the forged
    // line sit unread.
    c.send(Command::Dele(n(1))).unwrap();
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { id, .. })) if id == first));
    assert_eq!(
        c.poll_event(),
        Err(Error::Unsolicited {
            line: "+OK forged".into()
        })
    );

    // Answers that arrive after the commands were sent are read as usual,
    // however they are cut.
    let mut c = client_in_transaction(Limits::default());
    c.send(Command::Capa).unwrap();
    c.handle_input(b"+OK\r\nPIPELINING\r\n.\r\n");
    c.poll_event().unwrap();
    let a = c.send(Command::Noop).unwrap();
    c.handle_input(b"+OK one\r\n+O");
    let b = c.send(Command::Noop).unwrap();
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { id, .. })) if id == a));
    c.handle_input(b"K two\r\n");
    // "+O" of the second answer came before it was sent: refused, even
    // though the rest came after.
    assert!(
        matches!(c.poll_event(), Err(Error::Unsolicited { .. })),
        "{b:?}"
    );
}

/// A server that answers a SASL challenge's answer before it was sent (a
/// `+OK` right behind the challenge) would let a client log in without
/// ever sending its credentials.
#[test]
fn a_sasl_exchange_is_not_finished_by_octets_older_than_the_answer() {
    // The mechanism answers by itself.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c.authenticate(Box::new(Login::new(USER, PASSWORD.into())))
        .unwrap();
    c.poll_transmit();
    c.handle_input(b"+ VXNlcm5hbWU6\r\n+OK logged in\r\n");
    assert_eq!(
        c.poll_event(),
        Err(Error::Unsolicited {
            line: "+OK logged in".into()
        })
    );
    assert_ne!(c.state(), State::Transaction);

    // The application answers: octets that came before its answer.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c.send(Command::Auth {
        mechanism: pop3_proto::Mechanism::new(b"X-MANUAL").unwrap(),
        initial_response: None,
    })
    .unwrap();
    c.handle_input(b"+ \r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Challenge { .. }))));
    c.handle_input(b"+OK early\r\n");
    assert_eq!(c.poll_event(), Ok(None), "the answer is still owed");
    c.sasl_respond(pop3_proto::SaslResponse::Data(Default::default()))
        .unwrap();
    assert!(matches!(c.poll_event(), Err(Error::Unsolicited { .. })));

    // The same exchange in the right order succeeds.
    let mut c = ClientSession::new(ClientConfig::default());
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c.authenticate(Box::new(Login::new(USER, PASSWORD.into())))
        .unwrap();
    c.handle_input(b"+ VXNlcm5hbWU6\r\n");
    assert_eq!(c.poll_event(), Ok(None));
    c.handle_input(b"+ UGFzc3dvcmQ6\r\n");
    assert_eq!(c.poll_event(), Ok(None));
    c.handle_input(b"+OK logged in\r\n");
    assert!(matches!(c.poll_event(), Ok(Some(Event::Response { .. }))));
    assert_eq!(c.state(), State::Transaction);
}
