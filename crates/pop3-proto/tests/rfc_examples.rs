//! The examples of RFC 1939, 2449, 2595, 5034 and 6856 as test vectors, in
//! both directions: each transcript is replayed through a server session and
//! a client session (see `pop3_proto::inspect`), every message must decode,
//! and both sessions must re-encode it to exactly the RFC's bytes.

use pop3_proto::inspect::{Direction, Item, Record, inspect};
use pop3_proto::{Command, Limits, Positive, Response, ResponseCode, State};

/// Splits a `C:` / `S:` transcript into the two byte streams (CRLF lines).
fn streams(transcript: &str) -> (Vec<u8>, Vec<u8>) {
    let (mut c2s, mut s2c) = (Vec::new(), Vec::new());
    for line in transcript
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty())
    {
        let (target, text) = match line.split_at(2) {
            ("C:", rest) => (&mut c2s, rest),
            ("S:", rest) => (&mut s2c, rest),
            _ => panic!("bad transcript line {line:?}"),
        };
        target.extend_from_slice(text.strip_prefix(' ').unwrap_or(text).as_bytes());
        target.extend_from_slice(b"\r\n");
    }
    (c2s, s2c)
}

/// Replays a transcript; every message must re-encode exactly, except the
/// server lines listed in `inexact`.
fn check(transcript: &str, inexact: &[&str]) -> Vec<Record> {
    let (c2s, s2c) = streams(transcript);
    let mut records = Vec::new();
    let summary = inspect(&c2s, &s2c, &Limits::default(), &mut |r| {
        records.push(r.clone())
    })
    .unwrap_or_else(|e| panic!("{e}\n{transcript}"));
    for r in &records {
        let data = if r.direction == Direction::ClientToServer {
            &c2s
        } else {
            &s2c
        };
        let bytes = String::from_utf8_lossy(&data[r.offset as usize..(r.offset + r.len) as usize])
            .into_owned();
        if !inexact.iter().any(|i| bytes.starts_with(i)) {
            assert!(r.exact, "not re-encoded exactly: {bytes:?} ({:?})", r.item);
        }
    }
    if summary.tls_at.is_none() {
        assert_eq!(summary.c2s_bytes as usize, c2s.len());
        assert_eq!(summary.s2c_bytes as usize, s2c.len());
    }
    records
}

fn responses(records: &[Record]) -> Vec<&Response> {
    records
        .iter()
        .filter_map(|r| match &r.item {
            Item::Response { response, .. } | Item::Greeting(response) => Some(response),
            _ => None,
        })
        .collect()
}

const LOGGED_IN: &str = "
S: +OK POP3 server ready
C: USER mrose
S: +OK mrose is a real hoopy frood
C: PASS secret
S: +OK mrose's maildrop has 2 messages (320 octets)
";

#[test]
fn rfc1939_section_10_example_session() {
    let records = check(
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
        S: +OK mrose's maildrop has 2 messages (320 octets)
        C: STAT
        S: +OK 2 320
        C: LIST
        S: +OK 2 messages (320 octets)
        S: 1 120
        S: 2 200
        S: .
        C: RETR 1
        S: +OK 120 octets
        S: Subject: message 1
        S:
        S: ..the first body line starts with a dot
        S: .
        C: DELE 1
        S: +OK message 1 deleted
        C: RETR 2
        S: +OK 200 octets
        S: Subject: message 2
        S: .
        C: DELE 2
        S: +OK message 2 deleted
        C: QUIT
        S: +OK dewey POP3 server signing off (maildrop empty)
        ",
        &[],
    );
    let Item::Greeting(Response::Ok(Positive::Text(greeting))) = &records[0].item else {
        panic!()
    };
    assert_eq!(
        &greeting.apop_timestamp().unwrap()[..],
        b"<1896.697170952@dbc.mtview.ca.us>"
    );
    let Item::Command(Command::Apop { digest, .. }) = &records[1].item else {
        panic!()
    };
    assert_eq!(
        *digest,
        pop3_proto::apop::digest(b"<1896.697170952@dbc.mtview.ca.us>", b"tanstaaf")
    );
    let bodies: Vec<u64> = records
        .iter()
        .filter_map(|r| match r.item {
            Item::Response { body_len, .. } => body_len,
            _ => None,
        })
        .collect();
    assert_eq!(bodies, [20 + 2 + 40, 20]);
}

#[test]
fn rfc1939_command_examples() {
    for example in [
        "C: STAT\nS: +OK 2 320",
        "C: LIST\nS: +OK 2 messages (320 octets)\nS: 1 120\nS: 2 200\nS: .\nC: LIST 2\nS: +OK 2 200\nC: LIST 3\nS: -ERR no such message, only 2 messages in maildrop",
        "C: DELE 1\nS: +OK message 1 deleted\nC: DELE 2\nS: -ERR message 2 already deleted",
        "C: NOOP\nS: +OK",
        "C: RSET\nS: +OK maildrop has 2 messages (320 octets)",
        "C: QUIT\nS: +OK dewey POP3 server signing off (2 messages left)",
        "C: TOP 1 10\nS: +OK\nS: Subject: x\nS:\nS: line 1\nS: .\nC: TOP 100 3\nS: -ERR no such message",
        "C: UIDL\nS: +OK\nS: 1 whqtswO00WBw418f9t5JxYwZ\nS: 2 QhdPYR:00WBw1Ph7x7\nS: .\nC: UIDL 2\nS: +OK 2 QhdPYR:00WBw1Ph7x7\nC: UIDL 3\nS: -ERR no such message, only 2 messages in maildrop",
    ] {
        let records = check(&format!("{LOGGED_IN}\n{example}"), &[]);
        assert!(records.len() >= 7, "{example}");
    }
    // AUTHORIZATION-state examples.
    check(
        "S: +OK POP3 server ready\nC: QUIT\nS: +OK dewey POP3 server signing off",
        &[],
    );
    check(
        "S: +OK POP3 server ready
         C: USER frated
         S: -ERR sorry, no mailbox for frated here
         C: USER mrose
         S: +OK mrose is a real hoopy frood
         C: PASS secret
         S: -ERR maildrop already locked
         C: USER mrose
         S: +OK mrose is a real hoopy frood
         C: PASS secret
         S: +OK mrose's maildrop has 2 messages (320 octets)",
        &[],
    );
}

#[test]
fn rfc2449_capa_and_in_use() {
    let records = check(
        "S: +OK POP3 server ready
         C: CAPA
         S: +OK Capability list follows
         S: TOP
         S: USER
         S: SASL CRAM-MD5 KERBEROS_V4
         S: RESP-CODES
         S: LOGIN-DELAY 900
         S: PIPELINING
         S: EXPIRE 60
         S: UIDL
         S: IMPLEMENTATION Shlemazle-Plotz-v302
         S: .
         C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
         S: -ERR [IN-USE] Do you have another POP session running?",
        &[],
    );
    let r = responses(&records);
    let Response::Ok(Positive::Capabilities { capabilities, .. }) = r[1] else {
        panic!()
    };
    assert_eq!(capabilities.len(), 9);
    assert!(capabilities.contains(&pop3_proto::Capability::LoginDelay {
        seconds: 900,
        scope: pop3_proto::Scope::Global
    }));
    let Response::Err(text) = r[2] else { panic!() };
    assert_eq!(text.code, Some(ResponseCode::InUse));
}

#[test]
fn rfc2595_stls() {
    let mut records = Vec::new();
    let (c2s, s2c) = streams("S: +OK POP3 server ready\nC: STLS\nS: +OK Begin TLS negotiation");
    let summary = inspect(&c2s, &s2c, &Limits::default(), &mut |r| {
        records.push(r.clone())
    })
    .unwrap();
    assert_eq!(summary.tls_at, Some((c2s.len() as u64, s2c.len() as u64)));
    check(
        "S: +OK POP3 server ready\nC: STLS\nS: -ERR Command not permitted when TLS active",
        &[],
    );
}

#[test]
fn rfc5034_auth_examples() {
    check(
        "S: +OK pop.example.com BlurdyBlurp POP3 server ready
         C: CAPA
         S: +OK List of capabilities follows
         S: SASL PLAIN DIGEST-MD5 GSSAPI ANONYMOUS
         S: IMPLEMENTATION BlurdyBlurp POP3 server
         S: .
         C: AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=
         S: +OK Maildrop locked and ready",
        &[],
    );
    let records = check(
        "S: +OK ready
         C: AUTH PLAIN
         S: +
         C: dGVzdAB0ZXN0AHRlc3Q=
         S: +OK Maildrop locked and ready",
        // The RFC shows a bare "+"; a space follows it on the wire, as we send.
        &["+"],
    );
    let Some(Item::SaslResponse(pop3_proto::SaslResponse::Data(d))) =
        records.iter().map(|r| &r.item).nth(3).cloned()
    else {
        panic!("{records:?}")
    };
    assert_eq!(&d.expose()[..], b"test\0test\0test");
    check(
        "S: +OK pop.example.com BlurdyBlurp POP3 server ready
         C: AUTH DIGEST-MD5
         S: + cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hhcnNldD11dGYtOA==
         C: Y2hhcnNldD11dGYtOCx1c2VybmFtZT0iY2hyaXMiLHJlYWxtPSJlbHdvb2QuaW5ub3NvZnQuY29tIixub25jZT0iT0E2TUc5dEVRR20yaGgiLG5jPTAwMDAwMDAxLGNub25jZT0iT0E2TUhYaDZWcVRyUmsiLGRpZ2VzdC11cmk9InBvcC9lbHdvb2QuaW5ub3NvZnQuY29tIixyZXNwb25zZT1iMGQ1NmQyZjA1NGMyNGI2MjA3MjMyMjEwNjQ2OGRiOSxxb3A9YXV0aA==
         S: + cnNwYXV0aD0wYjk3MTQ2MmNlZjVlOGY5MzBkYjlhMzNiMDJmYzlhMA==
         C:
         S: +OK Maildrop locked and ready",
        &[],
    );
}

#[test]
fn rfc6856_lang_examples() {
    let records = check(
        "S: +OK POP3 server ready
         C: USER karen
         S: +OK Hello, karen
         C: PASS password
         S: +OK karen's maildrop contains 2 messages (320 octets)
         C: LANG MUL
         S: -ERR invalid language MUL
         C: LANG
         S: +OK Language listing follows:
         S: en English
         S: en-boont English Boontling dialect
         S: de Deutsch
         S: it Italiano
         S: es Espanol
         S: sv Svenska
         S: .
         C: LANG es
         S: +OK es Idioma cambiado
         C: LANG uga
         S: -ERR es Idioma <<UGA>> no es conocido
         C: LANG sv
         S: +OK sv Kommandot \"LANG\" lyckades
         C: LANG *
         S: +OK es Idioma cambiado",
        &[],
    );
    let Response::Ok(Positive::Languages { languages, .. }) = responses(&records)[4] else {
        panic!()
    };
    assert_eq!(languages.len(), 6);
    assert_eq!(
        languages[1].description.as_bytes(),
        b"English Boontling dialect"
    );
}

/// The same RFC 1939 session, this time against the bookkeeping server
/// session, which must answer with the same data (its texts differ).
#[test]
fn rfc1939_session_against_the_server_session() {
    use pop3_proto::{ServerSession, SessionConfig, SessionEvent, UniqueId};
    let mut config = SessionConfig::default();
    config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
    // RFC 1939's examples run without TLS.
    config.allow_plaintext_logins = true;
    let mut s = ServerSession::new(config);
    s.handle_input(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\nSTAT\r\nLIST\r\nDELE 1\r\nDELE 2\r\nQUIT\r\n");
    let Ok(Some(SessionEvent::Authenticate(pop3_proto::Credentials::Apop {
        user,
        digest,
        timestamp,
    }))) = s.poll_event()
    else {
        panic!()
    };
    assert_eq!(user.as_bytes(), b"mrose");
    assert!(pop3_proto::apop::verify(&timestamp, b"tanstaaf", &digest));
    let info = |size, uid: &str| pop3_proto::MessageInfo {
        size,
        uid: UniqueId::new(uid.as_bytes().to_vec()).unwrap(),
    };
    s.accept_login(vec![info(120, "a"), info(200, "b")])
        .unwrap();
    let Ok(Some(SessionEvent::Commit { deleted })) = s.poll_event() else {
        panic!()
    };
    assert_eq!(deleted.len(), 2);
    s.commit_done(Ok(())).unwrap();
    assert_eq!(s.state(), State::Closed);
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend_from_slice(&b);
    }
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("+OK") && lines[0].ends_with("<1896.697170952@dbc.mtview.ca.us>"));
    assert_eq!(lines[2], "+OK 2 320");
    assert_eq!(
        &lines[3..7],
        ["+OK 2 messages (320 octets)", "1 120", "2 200", "."]
    );
    assert!(
        lines[7].starts_with("+OK") && lines[8].starts_with("+OK") && lines[9].starts_with("+OK")
    );
}

/// A client session logged in with canned answers, strict or lenient about
/// unique-ids.
fn uidl_client(lenient: bool) -> pop3_proto::ClientSession {
    use pop3_proto::{ClientConfig, ClientSession};
    let mut config = ClientConfig::default();
    config.lenient_unique_ids = lenient;
    let mut c = ClientSession::new(config);
    c.handle_input(b"+OK hi\r\n");
    c.poll_event().unwrap();
    c.send(Command::User("u".try_into().unwrap())).unwrap();
    c.handle_input(b"+OK\r\n");
    c.poll_event().unwrap();
    c.send(Command::Pass("p".into())).unwrap();
    c.handle_input(b"+OK\r\n");
    c.poll_event().unwrap();
    c
}

/// What a UIDL listing (`line` is its one entry) or a `UIDL 1` answer
/// (`+OK line`) decodes to.
fn uidl(lenient: bool, line: &[u8]) -> [Result<pop3_proto::UniqueId, pop3_proto::Error>; 2] {
    use pop3_proto::{Event, MessageNumber};
    let listing = {
        let mut c = uidl_client(lenient);
        c.send(Command::Uidl(None)).unwrap();
        c.handle_input(&[&b"+OK\r\n"[..], line, b"\r\n.\r\n"].concat());
        c.poll_event().map(|e| match e {
            Some(Event::Response {
                response: Response::Ok(Positive::UniqueIdListing { entries, .. }),
                ..
            }) => entries[0].uid.clone(),
            other => panic!("{other:?}"),
        })
    };
    let single = {
        let mut c = uidl_client(lenient);
        c.send(Command::Uidl(MessageNumber::new(1))).unwrap();
        c.handle_input(&[&b"+OK "[..], line, b"\r\n"].concat());
        c.poll_event().map(|e| match e {
            Some(Event::Response {
                response: Response::Ok(Positive::UniqueId(entry)),
                ..
            }) => entry.uid.clone(),
            other => panic!("{other:?}"),
        })
    };
    [listing, single]
}

fn refused(fault: pop3_proto::UniqueIdFault) -> pop3_proto::DecodeError {
    pop3_proto::DecodeError::UniqueId(fault)
}

/// RFC 1939 §7: "The unique-id of a message is an arbitrary server-
/// determined string, consisting of one to 70 characters in the range 0x21
/// to 0x7E". The RFC's own ids pass; longer ids, ids followed by more text
/// and ids with other octets are protocol errors in strict decoding.
#[test]
fn rfc1939_unique_ids_are_checked() {
    use pop3_proto::UniqueIdFault::{Character, TooLong, TrailingText};
    let all_printable: Vec<u8> = (0x21..=0x7e).collect();
    let line = |uid: &[u8]| [b"1 ", uid].concat();
    let ok = [
        b"1 whqtswO00WBw418f9t5JxYwZ".to_vec(),
        b"2 QhdPYR:00WBw1Ph7x7".to_vec(),
        line(&b"x".repeat(70)),
        line(&all_printable[..40]),
        line(&all_printable[40..]),
    ];
    for line in &ok {
        for got in uidl(false, line) {
            let uid = got.unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(line)));
            assert_eq!(uid.as_bytes(), &line[2..]);
            assert_eq!(uid.quirk(), None);
        }
    }
    let bad = [
        (line(&b"x".repeat(71)), TooLong),
        (b"1 abc def".to_vec(), TrailingText),
        (b"1 abc\x7f".to_vec(), Character),
        (b"1 ab\x1b[2J".to_vec(), Character),
        (b"1 caf\xc3\xa9".to_vec(), Character),
        (b"1 a\tb".to_vec(), Character),
    ];
    for (line, fault) in &bad {
        let (line, fault) = (&line[..], *fault);
        for got in uidl(false, line) {
            assert!(
                matches!(&got, Err(pop3_proto::Error::Decode { error, .. }) if *error == refused(fault)),
                "{:?}: {got:?}",
                String::from_utf8_lossy(line)
            );
        }
    }
}

/// Lenient decoding keeps the ids real servers get wrong, marked, and
/// still refuses what could not be stored or shown safely.
#[test]
fn lenient_decoding_keeps_and_marks_nonstandard_unique_ids() {
    use pop3_proto::UniqueIdFault::{Character, TooLong, TrailingText};
    let long = [b"1 ", &b"y".repeat(255)[..]].concat();
    for got in uidl(true, &long) {
        let uid = got.unwrap();
        assert_eq!(uid.as_bytes().len(), 255);
        assert_eq!(uid.quirk(), Some(TooLong));
    }
    for got in uidl(true, b"1 abc def") {
        let uid = got.unwrap();
        assert_eq!(uid.as_str(), "abc");
        assert_eq!(uid.quirk(), Some(TrailingText));
    }
    for got in uidl(true, b"1 whqtswO00WBw418f9t5JxYwZ") {
        assert_eq!(got.unwrap().quirk(), None);
    }
    let too_long = [b"1 ", &b"y".repeat(256)[..]].concat();
    for (line, fault) in [(&too_long[..], TooLong), (&b"1 ab\x07c"[..], Character)] {
        for got in uidl(true, line) {
            assert!(
                matches!(&got, Err(pop3_proto::Error::Decode { error, .. }) if *error == refused(fault)),
                "{got:?}"
            );
        }
    }
}

/// A unique-id never holds what would break a file that stores one id per
/// line, or a terminal: whatever the decoder's mode, and whoever builds it.
#[test]
fn a_unique_id_holds_printable_ascii_only() {
    use pop3_proto::UniqueId;
    for bad in [
        &b""[..],
        b"a\r\nb",
        b"a\nb",
        b"a b",
        b"a\0b",
        b"\x1b[2J",
        b"caf\xc3\xa9",
    ] {
        assert!(UniqueId::new(bad.to_vec()).is_err(), "{bad:?}");
    }
    assert!(
        UniqueId::new(b"x".repeat(71)).is_err(),
        "RFC 1939 §7: 70 at most"
    );
    assert!(UniqueId::new(b"x".repeat(70)).is_ok());
    // `/` is printable: an id may hold it, and no one may make a path of it.
    assert_eq!(UniqueId::new("a/../b").unwrap().as_str(), "a/../b");
}
