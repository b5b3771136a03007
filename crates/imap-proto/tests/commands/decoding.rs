//! The decoder and encoder: binary items, IDLE / DONE and AUTHENTICATE
//! lines, errors that leave the stream usable, lenient and strict modes,
//! 8-bit strings, string forms, streamed literals and bounds.

use super::*;

#[test]
fn binary_fetch_items() {
    let c = one(
        "A1 FETCH 1 (BINARY.PEEK[1.2]<0.100> BINARY[] BINARY.SIZE[3] BODY[1.MIME] BODY.PEEK[TEXT]<0.200> RFC822.SIZE X-GM-MSGID)\r\n",
    );
    let CommandBody::Fetch { items, .. } = c.body else {
        panic!()
    };
    assert_eq!(
        items.expand()[..3],
        [
            FetchAttr::Binary {
                peek: true,
                part: vec![1, 2],
                partial: Some(Partial {
                    origin: 0,
                    length: Some(100)
                })
            },
            FetchAttr::Binary {
                peek: false,
                part: vec![],
                partial: None
            },
            FetchAttr::BinarySize(vec![3]),
        ]
    );
    assert_eq!(
        one("A1 FETCH 1:* ALL\r\n").body,
        CommandBody::Fetch {
            uid: false,
            set: set("1:*"),
            items: FetchItems::All,
            modifiers: vec![],
        }
    );
    one("A1 FETCH 1 (UID RFC822.SIZE SNIPPET (FUZZY))\r\n");
}

#[test]
fn idle_done_and_auth_lines() {
    let mut d = decoder();
    let mut buf = BytesMut::from(&b"A002 IDLE\r\nDONE\r\nA003 NOOP\r\n"[..]);
    assert!(matches!(
        d.decode(&mut buf),
        Some(CommandEvent::Command(Command {
            body: CommandBody::Idle,
            ..
        }))
    ));
    d.expect(Expect::Done);
    assert_eq!(d.decode(&mut buf), Some(CommandEvent::Done));
    assert!(matches!(d.decode(&mut buf), Some(CommandEvent::Command(_))));

    // RFC 4959 / RFC 9051 §6.2.2: data lines, an empty one, and a cancel.
    let mut buf =
        BytesMut::from(&b"A01 AUTHENTICATE PLAIN\r\ndGVzdAB0ZXN0AHRlc3Q=\r\n\r\n*\r\n"[..]);
    assert!(matches!(d.decode(&mut buf), Some(CommandEvent::Command(_))));
    d.expect(Expect::AuthLine);
    let Some(CommandEvent::AuthLine(AuthLine::Data(data))) = d.decode(&mut buf) else {
        panic!()
    };
    assert_eq!(&data.expose()[..], b"dGVzdAB0ZXN0AHRlc3Q=");
    assert!(matches!(
        d.decode(&mut buf),
        Some(CommandEvent::AuthLine(AuthLine::Data(d))) if d.expose().is_empty()
    ));
    assert_eq!(
        d.decode(&mut buf),
        Some(CommandEvent::AuthLine(AuthLine::Cancel))
    );
}

#[test]
fn errors_carry_tag_offset_and_bytes_and_decoding_goes_on() {
    let input = b"A1 FETCH 1 (FLAGS\r\nA2 NOOP\r\n\r\nA3 SEARCH NOSUCHKEY\r\nA4 LOGIN a\0b c\r\nA5 UID FETCH 0 FLAGS\r\nA6 NOOP\r\n";
    let evs = decode_chunked(input, input.len());
    let summary: Vec<(Option<String>, bool)> = evs
        .iter()
        .map(|e| match e {
            CommandEvent::Command(c) => (Some(c.tag.to_string()), true),
            CommandEvent::Error(CommandError { tag, .. }) => {
                (tag.as_ref().map(|t| t.to_string()), false)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some("A1".into()), false),
            (Some("A2".into()), true),
            (None, false),
            (Some("A3".into()), false),
            (Some("A4".into()), false),
            (Some("A5".into()), false),
            (Some("A6".into()), true),
        ]
    );
    let CommandEvent::Error(e) = &evs[0] else {
        panic!()
    };
    assert_eq!(e.error.offset, 17);
    let CommandEvent::Error(e) = &evs[3] else {
        panic!()
    };
    assert_eq!(e.error.offset, 40);
    assert!(e.error.found.to_string().contains("NOSUCHKEY"));
}

#[test]
fn lenient_and_strict() {
    // A bare LF from a hand-written client, and double spaces.
    let input = b"A1 NOOP\nA2  SELECT INBOX\r\n";
    let evs = decode_chunked(input, input.len());
    assert!(
        evs.iter().all(|e| matches!(e, CommandEvent::Command(_))),
        "{evs:?}"
    );
    let mut d = decoder();
    let mut buf = BytesMut::from(&input[..]);
    assert!(matches!(d.decode(&mut buf), Some(CommandEvent::Command(_))));
    assert_eq!(d.quirks(), [Quirk::BareLf]);
    assert!(matches!(d.decode(&mut buf), Some(CommandEvent::Command(_))));
    assert_eq!(d.quirks(), [Quirk::ExtraSpace]);
    let mut strict = CommandDecoder::new(FramerConfig::new(Side::Server), Strictness::Strict);
    let mut buf = BytesMut::from(&b"A2  SELECT INBOX\r\n"[..]);
    assert!(matches!(
        strict.decode(&mut buf),
        Some(CommandEvent::Error(_))
    ));
}

#[test]
fn a_received_keyword_with_a_bracket_is_a_quirk() {
    // A client echoing back a keyword its server sent (`x]y`).
    for input in [
        "A1 STORE 1 +FLAGS (\\Seen x]y)\r\n",
        "A1 UID SEARCH KEYWORD x]y\r\n",
        "A1 APPEND INBOX (x]y) {1}\r\nz\r\n",
    ] {
        let mut d = decoder();
        let mut buf = BytesMut::from(input.as_bytes());
        let mut evs = Vec::new();
        drain(&mut d, &mut buf, &mut evs);
        assert!(
            matches!(evs.last(), Some(CommandEvent::Command(_))),
            "{input:?}: {evs:?}"
        );
        assert_eq!(
            d.quirks(),
            [imap_proto::Quirk::BracketInKeyword],
            "{input:?}"
        );
        let CommandEvent::Command(c) = evs.pop().unwrap() else {
            unreachable!()
        };
        assert_round_trip(&c);
        let mut strict = CommandDecoder::new(FramerConfig::new(Side::Server), Strictness::Strict);
        let mut buf = BytesMut::from(input.as_bytes());
        let mut evs = Vec::new();
        while let Some(ev) = strict.decode(&mut buf) {
            if let CommandEvent::Announcement(_) = ev {
                strict.accept_literal().unwrap();
                continue;
            }
            evs.push(ev);
        }
        assert!(
            matches!(evs.last(), Some(CommandEvent::Error(_))),
            "{input:?}: {evs:?}"
        );
    }
    // An application cannot make such a keyword up.
    assert!(Flag::keyword("x]y").is_err());
    assert!(Flag::parse(b"x]y").is_err());
}

/// Decodes one command with a fresh decoder; returns the event and the
/// quirks.
fn decode_one(input: &[u8], strictness: Strictness, utf8: bool) -> (CommandEvent, Vec<Quirk>) {
    let mut d = CommandDecoder::new(FramerConfig::new(Side::Server), strictness);
    d.set_utf8(utf8);
    assert_eq!(d.is_utf8(), utf8);
    let mut buf = BytesMut::from(input);
    let mut evs = Vec::new();
    while let Some(ev) = d.decode(&mut buf) {
        if let CommandEvent::Announcement(_) = ev {
            d.accept_literal().unwrap();
            continue;
        }
        evs.push(ev);
    }
    assert_eq!(evs.len(), 1, "{evs:?}");
    (evs.pop().unwrap(), d.quirks().to_vec())
}

#[test]
fn eight_bit_quoted_strings_need_utf8() {
    let line = "A1 SELECT \"Entwürfe\"\r\n".as_bytes();
    // Without UTF-8 in force: a quirk, refused when strict (at the octet).
    let (ev, quirks) = decode_one(line, Strictness::Lenient, false);
    assert!(matches!(ev, CommandEvent::Command(_)), "{ev:?}");
    assert_eq!(quirks, [Quirk::EightBitQuoted]);
    let (ev, _) = decode_one(line, Strictness::Strict, false);
    let CommandEvent::Error(e) = ev else {
        panic!("{ev:?}")
    };
    assert_eq!(e.tag, Some(Tag::try_from("A1").unwrap()));
    assert_eq!(e.error.offset, 15);
    // With UTF-8 in force (RFC 6855 §3): valid, also strictly.
    let (ev, quirks) = decode_one(line, Strictness::Strict, true);
    assert!(matches!(ev, CommandEvent::Command(_)), "{ev:?}");
    assert!(quirks.is_empty());
    // ... but not octets that are not UTF-8.
    let bad = b"A1 LOGIN \"b\xe4r\" x\r\n";
    let (_, quirks) = decode_one(bad, Strictness::Lenient, true);
    assert_eq!(quirks, [Quirk::EightBitQuoted]);
    assert!(matches!(
        decode_one(bad, Strictness::Strict, true).0,
        CommandEvent::Error(_)
    ));
    // An escaped string is checked too, pointing at the octet.
    let escaped = b"A1 LOGIN \"b\\\"\xe4r\" x\r\n";
    let (_, quirks) = decode_one(escaped, Strictness::Lenient, false);
    assert_eq!(quirks, [Quirk::EightBitQuoted]);
    let CommandEvent::Error(e) = decode_one(escaped, Strictness::Strict, false).0 else {
        panic!("refused when strict")
    };
    assert_eq!(e.error.offset, 13);
    // The arguments of a command this crate does not know are kept raw:
    // their grammar is not known, so neither is what is a quoted string.
    let (ev, quirks) = decode_one(b"A1 XFOO \"b\xe4r\"\r\n", Strictness::Strict, false);
    assert!(matches!(ev, CommandEvent::Command(_)), "{ev:?}");
    assert!(quirks.is_empty());
    // 8-bit octets in literals are fine either way, and quotes, escapes and
    // braces inside a literal or a quoted string do not confuse the check.
    for ok in [
        &b"A1 LOGIN {4}\r\nb\xe4r\" \"x\"\r\n"[..],
        b"A1 APPEND INBOX {7}\r\n\"\xff{1}\r\n\r\n",
        b"A1 LOGIN \"a\\\"{3}\" {2}\r\n\xe4\xe4\r\n",
        "A1 LOGIN \"Jos\u{e9}\" x\r\n".as_bytes(),
    ] {
        let (ev, quirks) = decode_one(ok, Strictness::Lenient, false);
        assert!(matches!(ev, CommandEvent::Command(_)), "{ev:?}");
        let expect_quirk = ok.starts_with(b"A1 LOGIN \"Jos");
        assert_eq!(
            quirks.contains(&Quirk::EightBitQuoted),
            expect_quirk,
            "{:?}",
            String::from_utf8_lossy(ok)
        );
    }
}

#[test]
fn encoder_chooses_string_forms_and_fragments() {
    let c = Command {
        tag: Tag::try_from("A1").unwrap(),
        body: CommandBody::Login {
            username: a("joe"),
            password: Secret::new(AString::new(&b"p\r\nw"[..]).unwrap()),
        },
    };
    let f = encode(&c, EncodeOptions::default());
    assert_eq!(f.len(), 3);
    assert_eq!(to_bytes(&f[..1]), b"A1 LOGIN joe {4}\r\n");
    assert!(matches!(
        f[1],
        imap_proto::command::Fragment::Literal {
            mode: LiteralMode::Sync,
            ..
        }
    ));
    let f = encode(
        &c,
        EncodeOptions {
            literal_plus: true,
            ..Default::default()
        },
    );
    assert_eq!(to_bytes(&f), b"A1 LOGIN joe {4+}\r\np\r\nw\r\n");
    let s = Command {
        tag: Tag::try_from("A2").unwrap(),
        body: CommandBody::Select {
            mailbox: a("Entw&APw-rfe"),
            params: vec![],
        },
    };
    assert_eq!(
        to_bytes(&encode(&s, EncodeOptions::default())),
        b"A2 SELECT Entw&APw-rfe\r\n"
    );
    let s = Command {
        tag: Tag::try_from("A3").unwrap(),
        body: CommandBody::Select {
            mailbox: a("Grüße"),
            params: vec![],
        },
    };
    assert_eq!(
        to_bytes(&encode(
            &s,
            EncodeOptions {
                utf8_accept: true,
                ..Default::default()
            }
        )),
        "A3 SELECT \"Grüße\"\r\n".as_bytes()
    );
    assert!(RawArgs::new("a\r\nb").is_err());
    // A literal announcement at the end would swallow the next line.
    for bad in ["0{0}", "x {12+}", "{3-}", "a ~{1}"] {
        assert!(RawArgs::new(bad).is_err(), "{bad}");
    }
    for ok in ["{x}", "{}", "{1} a", "{1", "(a {2})"] {
        assert!(RawArgs::new(ok).is_ok(), "{ok}");
    }
}

#[test]
fn large_append_literals_are_streamed() {
    use imap_proto::command::{AppendHead, AppendPiece};
    let big = "x".repeat(40);
    let input = format!(
        "A1 APPEND INBOX (\\Seen) {{5}}\r\nhello UTF8 ({{40}}\r\n{big}) ~{{3}}\r\na\0c\r\nA2 LOGIN {{40}}\r\n{big} pw\r\nA3 NOOP\r\n"
    );
    for chunk in [1, 3, input.len()] {
        let mut config = FramerConfig::new(Side::Server);
        config.limits.literal_stream_threshold = 16;
        let mut d = CommandDecoder::new(config, Strictness::Lenient);
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for piece in input.as_bytes().chunks(chunk) {
            buf.extend_from_slice(piece);
            drain(&mut d, &mut buf, &mut out);
        }
        let mut data = Vec::new();
        let mut events = Vec::new();
        for ev in out {
            match ev {
                CommandEvent::LiteralChunk(b) => data.extend_from_slice(&b),
                other => events.push(other),
            }
        }
        assert_eq!(data, big.as_bytes(), "chunk {chunk}");
        assert_eq!(events.len(), 5, "{events:?}");
        assert_eq!(
            events[0],
            CommandEvent::Append(AppendPiece::Start {
                tag: Tag::try_from("A1").unwrap(),
                mailbox: a("INBOX"),
                before: vec![AppendMessage {
                    flags: Some(vec![Flag::Seen]),
                    date: None,
                    data: AppendData::Literal(LiteralData {
                        data: Bytes::from_static(b"hello"),
                        binary: false,
                        utf8: false,
                    }),
                }],
                next: AppendHead {
                    flags: None,
                    date: None,
                    length: 40,
                    binary: false,
                    utf8: true,
                },
            })
        );
        assert_eq!(events[1], CommandEvent::LiteralEnd);
        assert_eq!(
            events[2],
            CommandEvent::Append(AppendPiece::Continue {
                messages: vec![AppendMessage {
                    flags: None,
                    date: None,
                    data: AppendData::Literal(LiteralData {
                        data: Bytes::from_static(b"a\0c"),
                        binary: true,
                        utf8: false,
                    }),
                }],
                next: None,
            })
        );
        let CommandEvent::Error(e) = &events[3] else {
            panic!("{events:?}")
        };
        assert_eq!(e.tag, Some(Tag::try_from("A2").unwrap()));
        assert!(matches!(&events[4], CommandEvent::Command(c) if c.body == CommandBody::Noop));
    }
}

#[test]
fn deep_search_keys_are_bounded() {
    for depth in [10, 30, 62, 63, 64, 65, 200, 10_000] {
        let not = format!("A1 SEARCH {}ALL\r\n", "NOT ".repeat(depth));
        let par = format!(
            "A1 SEARCH {}ALL{}\r\n",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let or = format!("A1 SEARCH {}ALL{}\r\n", "OR ALL ".repeat(depth), "");
        for input in [not, par, or] {
            let evs = decode_chunked(input.as_bytes(), input.len());
            assert_eq!(evs.len(), 1);
            if depth <= 30 {
                assert!(matches!(evs[0], CommandEvent::Command(_)), "{depth}");
            }
        }
    }
}

#[test]
fn mailbox_names_are_decoded_and_encoded() {
    use imap_proto::command::{mailbox_arg, mailbox_name};
    use imap_proto::types::{MailboxEncoding, MailboxName};
    let c = one("A003 SELECT R&AOk-sum&AOk-\r\n");
    let CommandBody::Select { mailbox, .. } = &c.body else {
        panic!()
    };
    let name = mailbox_name(mailbox, MailboxEncoding::ModifiedUtf7).unwrap();
    assert_eq!(name.as_str(), "R\u{e9}sum\u{e9}");
    assert_eq!(mailbox_arg(&name, MailboxEncoding::ModifiedUtf7), *mailbox);
    assert_eq!(
        mailbox_arg(&name, MailboxEncoding::Utf8).as_bytes(),
        "R\u{e9}sum\u{e9}".as_bytes()
    );
    assert!(
        mailbox_name(&a("inbox"), MailboxEncoding::ModifiedUtf7)
            .unwrap()
            .is_inbox()
    );
    assert!(mailbox_name(&a("&Jjo"), MailboxEncoding::ModifiedUtf7).is_err());
    assert_eq!(
        mailbox_name(&a("Gr\u{fc}\u{df}e"), MailboxEncoding::Utf8).unwrap(),
        MailboxName::new("Gr\u{fc}\u{df}e").unwrap()
    );
}

#[test]
fn mailbox_names_follow_the_utf8_setting() {
    use imap_proto::command::mailbox_name;
    let select = |line: &str, utf8: bool| {
        let (ev, quirks) = decode_one(line.as_bytes(), Strictness::Strict, utf8);
        assert!(quirks.is_empty());
        let CommandEvent::Command(Command {
            body: CommandBody::Select { mailbox, .. },
            ..
        }) = ev
        else {
            panic!("{ev:?}")
        };
        let mut d = decoder();
        d.set_utf8(utf8);
        mailbox_name(&mailbox, d.mailbox_encoding()).map(|n| n.as_str().to_owned())
    };
    // Off (the default): modified UTF-7.
    assert_eq!(
        select("A1 SELECT Entw&APw-rfe\r\n", false).unwrap(),
        "Entw\u{fc}rfe"
    );
    // On (UTF8=ACCEPT, RFC 6855 §3): UTF-8 as is, `&` is just `&`.
    assert_eq!(
        select("A1 SELECT \"Entw\u{fc}rfe\"\r\n", true).unwrap(),
        "Entw\u{fc}rfe"
    );
    assert_eq!(
        select("A1 SELECT Entw&APw-rfe\r\n", true).unwrap(),
        "Entw&APw-rfe"
    );
    assert!(select("A1 SELECT {2}\r\n\u{fc}\r\n", false).is_err());
}

/// Found by fuzzing: an unknown command whose literal data ends with CR,
/// followed by a bare LF (lenient), kept the CR as half of the line ending
/// and lost it from the literal.
#[test]
fn unknown_command_keeps_a_literal_ending_in_cr() {
    let mut d = decoder();
    let mut buf = BytesMut::from(&b"A3 XSTORE D {3}\r\nab\r\n"[..]);
    let command = loop {
        match d.decode(&mut buf).expect("an event") {
            CommandEvent::Announcement(_) => d.accept_literal().unwrap(),
            CommandEvent::Command(c) => break c,
            other => panic!("{other:?}"),
        }
    };
    let wire = imap_proto::command::to_bytes(&imap_proto::command::encode(
        &command,
        EncodeOptions::default(),
    ));
    assert_eq!(wire, b"A3 XSTORE D {3}\r\nab\r\r\n");
    let mut again = decoder();
    let mut buf = BytesMut::from(&wire[..]);
    let decoded = loop {
        match again.decode(&mut buf).expect("an event") {
            CommandEvent::Announcement(_) => again.accept_literal().unwrap(),
            CommandEvent::Command(c) => break c,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(decoded, command);
}

/// Found by fuzzing: a SELECT parameter name starting with a digit read back
/// as the previous parameter's value (RFC 4466 names start with a letter,
/// `-`, `_` or `.`).
#[test]
fn select_parameter_names_start_with_a_letter() {
    let mut d = decoder();
    let mut buf =
        BytesMut::from(&b"A1 SELECT INBOX (X-A  4SEEN)\r\nA2 SELECT INBOX (X-A 4:7)\r\n"[..]);
    assert!(matches!(d.decode(&mut buf), Some(CommandEvent::Error(_))));
    let Some(CommandEvent::Command(c)) = d.decode(&mut buf) else {
        panic!("the valid one decodes")
    };
    assert_round_trip(&c);
}
