//! Response grammar tests: RFC examples, every real capture decoded and
//! round-tripped message by message, the quirks (each accepted leniently and
//! refused strictly), and proptest round trips and chunking invariance.

use bytes::{Bytes, BytesMut};
use imap_proto::Limits;
use imap_proto::codec::FramerConfig;
use imap_proto::parse::{Quirk, Strictness};
use imap_proto::response::*;

/// Parses one whole response (CRLF included).
fn parse_with(input: &[u8], strictness: Strictness) -> Result<(Response, Vec<Quirk>), String> {
    let bytes = Bytes::copy_from_slice(input);
    Response::parse_bytes(&bytes, 0, &Limits::default(), strictness).map_err(|e| e.to_string())
}

fn parse(input: &[u8]) -> (Response, Vec<Quirk>) {
    parse_with(input, Strictness::Lenient)
        .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(input)))
}

/// Parses, checks the round trip (decode(encode(x)) == x, and the encoding
/// is a fixed point), returns the response.
fn roundtrip(input: &[u8]) -> Response {
    let (r, _) = parse(input);
    check_roundtrip(&r);
    r
}

fn check_roundtrip(r: &Response) {
    let enc = r.to_bytes();
    let (again, quirks) = parse_with(&enc, Strictness::Lenient)
        .unwrap_or_else(|e| panic!("re-parse of {:?}: {e}", String::from_utf8_lossy(&enc)));
    assert_eq!(&again, r, "{:?}", String::from_utf8_lossy(&enc));
    assert_eq!(again.to_bytes(), enc);
    let strict_ok = parse_with(&enc, Strictness::Strict).is_ok();
    assert!(
        strict_ok || !quirks.is_empty(),
        "canonical encoding refused strictly: {:?}",
        String::from_utf8_lossy(&enc)
    );
}

/// A decoder that keeps literals of up to 64 MiB in the frame.
fn decoder(strictness: Strictness) -> ResponseDecoder {
    let mut config = FramerConfig::new(imap_proto::codec::Side::Client);
    config.limits.literal_stream_threshold = 64 * 1024 * 1024;
    ResponseDecoder::with_config(config, strictness)
}

/// Decodes a whole stream with the decoder; returns the events.
fn decode_stream(chunks: &[&[u8]]) -> Vec<ResponseEvent> {
    let mut d = decoder(Strictness::Lenient);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for c in chunks {
        buf.extend_from_slice(c);
        while let Some(ev) = d.decode(&mut buf) {
            out.push(ev);
        }
    }
    assert!(buf.is_empty(), "bytes left over");
    out
}

// ------------------------------------------------------------- captures

mod common;
use common::lines::{OTHER_SERVERS, RFC_EXAMPLES};
use common::strategies;

/// The server side of every capture, up to the STARTTLS upgrade where there
/// is one.
fn captures() -> Vec<(String, Vec<u8>)> {
    common::captures()
        .into_iter()
        .map(|(n, c2s, mut s2c)| {
            if n.contains("starttls") {
                s2c.truncate(plaintext_end(&c2s, &s2c));
            }
            (n, s2c)
        })
        .collect()
}

/// In a STARTTLS capture: the end of the server's tagged answer to STARTTLS.
fn plaintext_end(c2s: &[u8], s2c: &[u8]) -> usize {
    let pos = c2s
        .windows(10)
        .position(|w| w.eq_ignore_ascii_case(b" STARTTLS\r"))
        .unwrap();
    let line_start = c2s[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let mut needle = b"\n".to_vec();
    needle.extend_from_slice(&c2s[line_start..pos]);
    needle.extend_from_slice(b" OK ");
    let at = s2c.windows(needle.len()).position(|w| w == needle).unwrap();
    at + 1 + s2c[at + 1..].iter().position(|&b| b == b'\n').unwrap() + 1
}

#[test]
fn every_capture_decodes_and_round_trips() {
    let all = captures();
    assert!(all.len() >= 40, "captures found: {}", all.len());
    let mut total = 0;
    for (name, s2c) in &all {
        let events = decode_stream(&[s2c]);
        assert!(!events.is_empty(), "{name}");
        for ev in &events {
            match ev {
                ResponseEvent::Response { response, .. } => {
                    check_roundtrip(response);
                    total += 1;
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        // Strict decoding of Dovecot's bytes finds nothing to object to.
        let mut d = decoder(Strictness::Strict);
        let mut buf = Bytes::copy_from_slice(s2c);
        while let Some(ev) = d.decode(&mut buf) {
            assert!(
                matches!(ev, ResponseEvent::Response { ref quirks, .. } if quirks.is_empty()),
                "{name}: {ev:?}"
            );
        }
    }
    assert!(total > 1000, "{total}");
}

#[test]
fn captures_decode_the_same_in_any_chunking() {
    for (name, s2c) in captures() {
        let whole = decode_stream(&[&s2c]);
        for size in [1, 7, 4096] {
            let chunks: Vec<&[u8]> = s2c.chunks(size).collect();
            assert_eq!(
                decode_stream(&chunks),
                whole,
                "{name} in {size}-octet chunks"
            );
        }
    }
}

// ---------------------------------------------------------- RFC examples

#[test]
fn every_rfc_example_decodes_and_round_trips() {
    for (rfc, quirky, line) in RFC_EXAMPLES {
        let input = format!("{line}\r\n");
        let (r, quirks) = parse(input.as_bytes());
        check_roundtrip(&r);
        assert_eq!(!quirks.is_empty(), *quirky, "{rfc}: {line} {quirks:?}");
        assert_eq!(
            parse_with(input.as_bytes(), Strictness::Strict).is_err(),
            *quirky,
            "{rfc}: {line}"
        );
        // No strict prefix is a whole response.
        for i in 0..input.len() {
            assert!(
                parse_with(&input.as_bytes()[..i], Strictness::Lenient).is_err(),
                "{rfc}: prefix {i} of {line}"
            );
        }
    }
}

#[test]
fn rfc_example_with_a_literal() {
    // RFC 3501 §8 / RFC 9051 §8: FETCH BODY[HEADER] with a literal.
    let header = [
        "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
        "From: Terry Gray <gray@cac.washington.edu>",
        "Subject: IMAP4rev1 WG mtg summary and minutes",
        "To: imap@cac.washington.edu",
        "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>",
        "Message-Id: <B27397-0100000@cac.washington.edu>",
        "MIME-Version: 1.0",
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
        "",
        "",
    ]
    .join("\r\n");
    let input = format!(
        "* 12 FETCH (BODY[HEADER] {{{}}}\r\n{header})\r\n",
        header.len()
    );
    let r = roundtrip(input.as_bytes());
    let Response::Untagged(Data::Fetch { seq: 12, items }) = r else {
        panic!("{r:?}")
    };
    let [
        FetchItem::BodySection {
            section,
            origin: None,
            data,
        },
    ] = &items[..]
    else {
        panic!("{items:?}")
    };
    assert_eq!(section.text, imap_proto::types::SectionText::Header);
    assert_eq!(data.as_bytes(), Some(header.as_bytes()));
    // The encoder writes a literal (CRLF inside), the parser slices it.
    let enc = Response::Untagged(Data::Fetch {
        seq: 12,
        items: items.clone(),
    })
    .to_bytes();
    assert_eq!(enc, input.as_bytes());
}

#[test]
fn rfc_examples_have_the_expected_meaning() {
    let r = roundtrip(b"* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n");
    use imap_proto::types::Flag;
    assert_eq!(
        r,
        Response::Untagged(Data::Ok(StatusText::with_code(
            Code::PermanentFlags(vec![Flag::Deleted, Flag::Seen, Flag::Wildcard]),
            Text::try_from("Limited").unwrap()
        )))
    );
    let r = roundtrip(b"* OK [COMPRESSIONACTIVE] already\r\n");
    assert_eq!(r.status_text().unwrap().code, Some(Code::CompressionActive));
    assert_eq!(r.tag(), None);
    let r = roundtrip(b"A003 OK [APPENDUID 38505 3955] APPEND completed\r\n");
    assert_eq!(r.tag().unwrap().as_str(), "A003");
    let Response::Tagged(t) = r else { panic!() };
    assert_eq!(t.tag.as_str(), "A003");
    assert!(matches!(
        t.text.code,
        Some(Code::AppendUid { uidvalidity: 38505, ref uids }) if uids.to_string() == "3955"
    ));
    let r = roundtrip(b"* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n");
    let Response::Untagged(Data::List(l)) = r else {
        panic!()
    };
    assert_eq!(
        l.attributes,
        [MailboxAttr::HasNoChildren, MailboxAttr::Sent]
    );
    assert_eq!(l.delimiter, Some(b'/'));
    assert_eq!(l.mailbox.name().unwrap().as_str(), "Sent");
    let r = roundtrip(b"* LIST (\\HasNoChildren) \"/\" R&AOk-sum&AOk-\r\n");
    let Response::Untagged(Data::List(l)) = r else {
        panic!()
    };
    assert_eq!(l.mailbox.name().unwrap().as_str(), "Résumé");
    let r = roundtrip(b"* LIST () \"/\" \"caf\xc3\xa9\"\r\n");
    let Response::Untagged(Data::List(l)) = r else {
        panic!()
    };
    assert!(matches!(l.mailbox, Mailbox::Raw(_)), "UTF-8 kept raw");
    use imap_proto::types::MailboxEncoding;
    assert_eq!(
        l.mailbox.to_name(MailboxEncoding::Utf8).unwrap().as_str(),
        "café"
    );
    // A server in UTF-8 mode: names and strings go out as UTF-8.
    let mut out = Vec::new();
    Response::Untagged(Data::List(ListItem {
        attributes: vec![],
        delimiter: Some(b'/'),
        mailbox: Mailbox::Name(imap_proto::types::MailboxName::new("Entwürfe").unwrap()),
        extended: vec![],
    }))
    .encode_with(EncodeOptions::utf8(), &mut out);
    assert_eq!(out, "* LIST () \"/\" \"Entwürfe\"\r\n".as_bytes());
    let r = Response::Untagged(Data::List(ListItem {
        attributes: vec![],
        delimiter: None,
        mailbox: Mailbox::Name(imap_proto::types::MailboxName::new("Entwürfe").unwrap()),
        extended: vec![],
    }));
    assert_eq!(r.to_bytes(), b"* LIST () NIL Entw&APw-rfe\r\n");
    let r = roundtrip(
        b"* LIST (\\Subscribed) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\") \"OLDNAME\" (\"Bar\"))\r\n",
    );
    let Response::Untagged(Data::List(l)) = r else {
        panic!()
    };
    assert!(
        matches!(&l.extended[..], [ListExtItem::ChildInfo(c), ListExtItem::OldName(_)] if c.len() == 1)
    );
    let r =
        roundtrip(b"* ESEARCH (TAG \"A282\") UID MIN 2 COUNT 3 ALL 2,10:11 MODSEQ 917162500\r\n");
    let Response::Untagged(Data::ESearch(e)) = r else {
        panic!()
    };
    assert!(e.uid && e.tag.unwrap().as_bytes() == b"A282");
    assert_eq!(e.items.len(), 4);
    let r = roundtrip(b"* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n");
    assert!(matches!(
        r,
        Response::Untagged(Data::Vanished { earlier: true, .. })
    ));
    let r = roundtrip(
        b"* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 SIZE 5 APPENDLIMIT NIL X-FOO (1 2))\r\n",
    );
    let Response::Untagged(Data::Status { items, .. }) = r else {
        panic!()
    };
    assert_eq!(items.len(), 5);
    assert!(matches!(items[4], StatusItem::Other { .. }));
    let r = roundtrip(b"* THREAD (2)(3 6 (4 23)(44 7 96))\r\n");
    let Response::Untagged(Data::Thread(t)) = r else {
        panic!()
    };
    assert_eq!(t[1].members, [3, 6]);
    assert_eq!(t[1].children[1].members, [44, 7, 96]);
    let r = roundtrip(b"* QUOTA \"\" (STORAGE 10 512 MESSAGE 2 100)\r\n");
    let Response::Untagged(Data::Quota { resources, .. }) = r else {
        panic!()
    };
    assert_eq!(resources[1].limit, 100);
    let r = roundtrip(b"* METADATA \"\" (/shared/comment \"My comment\" /private/x NIL)\r\n");
    assert!(
        matches!(r, Response::Untagged(Data::Metadata { data: MetadataData::Values(ref v), .. }) if v.len() == 2)
    );
    let r = roundtrip(b"* ID (\"name\" \"Cyrus\" \"version\" NIL)\r\n");
    assert!(matches!(r, Response::Untagged(Data::Id(ref p)) if p.len() == 2));
    let r = roundtrip(b"+ YGgGCSqGSIb3EgECAgIAb1kwV6ADAgEFoQMCAQ+iSzBJoAMC\r\n");
    assert!(matches!(r, Response::Continue(Continue::Base64(_))));
    // RFC 9051 §6.2.2 (SCRAM-SHA-256): a server-first-message.
    let r = roundtrip(b"+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=\r\n");
    let Response::Continue(Continue::Base64(b)) = r else {
        panic!()
    };
    assert!(
        b.decode()
            .starts_with(b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=")
    );
    let r = roundtrip(b"+ Ready for additional command text\r\n");
    assert!(matches!(r, Response::Continue(Continue::Text(_))));
    let r = roundtrip(b"* 1 FETCH (BINARY[1.2]<0> ~{5}\r\na\x00b\r\n BINARY.SIZE[1] 5 X-GM-LABELS (\\Inbox \"My Label\") EMAILID (M6d99ac3) THREADID NIL X-SNIPPET (FUZZY {3}\r\nabc))\r\n");
    let Response::Untagged(Data::Fetch { items, .. }) = r else {
        panic!()
    };
    assert!(
        matches!(&items[0], FetchItem::Binary { data: Some(d), origin: Some(0), .. } if &d[..] == b"a\x00b\r\n")
    );
    assert!(matches!(&items[4], FetchItem::ThreadId(None)));
    assert!(matches!(&items[5], FetchItem::Other { .. }));
}

// ---------------------------------------------------------------- quirks

/// Checks that `input` decodes leniently with `quirk` recorded, that the
/// result round-trips, and that strict decoding refuses it.
fn quirk_case(input: &[u8], quirk: Quirk) -> Response {
    let (r, quirks) = parse(input);
    assert!(
        quirks.contains(&quirk),
        "{:?}: {quirks:?}",
        String::from_utf8_lossy(input)
    );
    check_roundtrip(&r);
    assert!(
        parse_with(input, Strictness::Strict).is_err(),
        "strict accepted {:?}",
        String::from_utf8_lossy(input)
    );
    r
}

#[test]
fn quirk_extra_spaces() {
    for line in [
        &b"* 1 FETCH (UID 1  FLAGS (\\Seen) )\r\n"[..],
        b"* 1 FETCH ( UID 1 FLAGS (\\Seen  \\Draft ))\r\n",
        b"* FLAGS (\\Seen \\Draft )\r\n",
        b"* FLAGS (\\Seen  \\Draft)\r\n",
        b"* STATUS INBOX (MESSAGES 2  UNSEEN 1 )\r\n",
        b"* SEARCH 1 2 3 \r\n",
        b"* SEARCH 1  2\r\n",
        b"* CAPABILITY IMAP4rev1 IDLE \r\n",
        b"* CAPABILITY IMAP4rev1  IDLE\r\n",
        b"* OK [CAPABILITY IMAP4rev1 IDLE ] ready\r\n",
        b"* QUOTA \"\" (STORAGE 10 512 )\r\n",
        b"* QUOTA \"\" (STORAGE  10 512)\r\n",
        b"* ID (\"name\" \"Dovecot\" )\r\n",
        b"* ID ( \"name\"  \"Dovecot\")\r\n",
        b"* LIST () \"/\"  INBOX\r\n",
    ] {
        quirk_case(line, Quirk::ExtraSpace);
    }
    let r = quirk_case(b"* SEARCH 1 2 3 \r\n", Quirk::ExtraSpace);
    assert_eq!(
        r,
        Response::Untagged(Data::Search {
            ids: vec![1, 2, 3],
            modseq: None
        })
    );
}

#[test]
fn quirk_missing_text() {
    let r = quirk_case(b"* OK [ALERT]\r\n", quirks::MISSING_TEXT);
    assert!(
        matches!(r, Response::Untagged(Data::Ok(StatusText { code: Some(Code::Alert), ref text })) if text.as_bytes().is_empty())
    );
    quirk_case(b"A1 OK\r\n", quirks::MISSING_TEXT);
    quirk_case(b"* BYE\r\n", quirks::MISSING_TEXT);
    // RFC 9051 allows an empty text after the space.
    assert!(parse_with(b"* OK [ALERT] \r\n", Strictness::Strict).is_ok());
}

#[test]
fn quirk_malformed_code() {
    // The tagged status still reads (a session needs it); the code is kept.
    let r = quirk_case(b"A1 OK [UIDNEXT x] done\r\n", quirks::MALFORMED_CODE);
    let Response::Tagged(t) = r else { panic!() };
    assert!(
        matches!(t.text.code, Some(Code::Other(ref o)) if o.name().as_str() == "UIDNEXT" && o.value().map(|v| &v[..]) == Some(&b"x"[..]))
    );
    // RFC 9051 §6.3.2 shows a UIDVALIDITY above 2^32.
    quirk_case(
        b"* OK [UIDVALIDITY 9877410381] UIDs valid\r\n",
        quirks::MALFORMED_CODE,
    );
    quirk_case(b"* NO [COPYUID] no\r\n", quirks::MALFORMED_CODE);
    assert!(parse_with(b"* OK [UIDNEXT 5 done\r\n", Strictness::Lenient).is_err());
    // A `]` in a quoted charset does not end the code.
    roundtrip(b"* NO [BADCHARSET (\"x]y\" UTF-8)] no\r\n");
}

#[test]
fn mailbox_names_follow_the_utf8_setting() {
    use imap_proto::types::MailboxName;
    let name = |s: &str| Mailbox::Name(MailboxName::new(s).unwrap());
    let stream = "* LIST () \"/\" Entw&APw-rfe\r\n\
                  * LIST () \"/\" \"Entwürfe\"\r\n\
                  * LSUB () \"/\" \"a&b\" (\"OLDNAME\" (\"Entwürfe\"))\r\n\
                  * STATUS \"Entwürfe\" (MESSAGES 1)\r\n\
                  * QUOTAROOT \"Entwürfe\" \"\"\r\n\
                  * METADATA \"Entwürfe\" (/private/comment NIL)\r\n";
    let decode = |utf8: bool| {
        let mut d = decoder(Strictness::Strict);
        d.set_utf8(utf8);
        assert_eq!(d.is_utf8(), utf8);
        let mut buf = BytesMut::from(stream.as_bytes());
        let mut out = Vec::new();
        while let Some(ev) = d.decode(&mut buf) {
            let ResponseEvent::Response { response, quirks } = ev else {
                panic!("{ev:?}")
            };
            assert!(quirks.is_empty(), "{quirks:?}");
            out.push(response);
        }
        out
    };
    let mailboxes = |r: &Response| -> Vec<Mailbox> {
        match r {
            Response::Untagged(Data::List(i) | Data::Lsub(i)) => {
                let mut v = vec![i.mailbox.clone()];
                for e in &i.extended {
                    if let ListExtItem::OldName(m) = e {
                        v.push(m.clone());
                    }
                }
                v
            }
            Response::Untagged(
                Data::Status { mailbox, .. }
                | Data::QuotaRoot { mailbox, .. }
                | Data::Metadata { mailbox, .. },
            ) => vec![mailbox.clone()],
            other => panic!("{other:?}"),
        }
    };
    // UTF-8 in force: names are UTF-8 text, `&` is just `&`.
    let on = decode(true);
    let got: Vec<Mailbox> = on.iter().flat_map(mailboxes).collect();
    assert_eq!(
        got,
        [
            name("Entw&APw-rfe"),
            name("Entwürfe"),
            name("a&b"),
            name("Entwürfe"),
            name("Entwürfe"),
            name("Entwürfe"),
            name("Entwürfe"),
        ]
    );
    // ... and round-trip on such a connection.
    for r in &on {
        let mut enc = Vec::new();
        r.encode_with(EncodeOptions::utf8(), &mut enc);
        let (again, _) = Response::parse_bytes_utf8(
            &Bytes::from(enc.clone()),
            0,
            &Limits::default(),
            Strictness::Strict,
            true,
        )
        .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(&enc)));
        assert_eq!(&again, r, "{:?}", String::from_utf8_lossy(&enc));
    }
    // Off (the default): modified UTF-7; raw UTF-8 stays raw.
    let off = decode(false);
    let got: Vec<Mailbox> = off.iter().flat_map(mailboxes).collect();
    assert_eq!(got[0], name("Entwürfe"));
    assert!(matches!(got[1], Mailbox::Raw(_)));
    assert!(
        matches!(got[2], Mailbox::Raw(_)),
        "`a&b` is not modified UTF-7"
    );
    for r in &off {
        check_roundtrip(r);
    }
}

#[test]
fn quirk_bare_continuation() {
    let r = quirk_case(b"+\r\n", quirks::BARE_CONTINUATION);
    assert_eq!(r, Response::Continue(Continue::Text(StatusText::default())));
    // `+ ` with nothing after it is valid (an empty SASL challenge).
    assert!(parse_with(b"+ \r\n", Strictness::Strict).is_ok());
}

#[test]
fn quirk_wildcard_in_flags() {
    let r = quirk_case(b"* FLAGS (\\Seen \\*)\r\n", quirks::WILDCARD_IN_FLAGS);
    use imap_proto::types::Flag;
    assert_eq!(
        r,
        Response::Untagged(Data::Flags(vec![Flag::Seen, Flag::Wildcard]))
    );
    quirk_case(
        b"* 1 FETCH (FLAGS (\\Seen \\*))\r\n",
        quirks::WILDCARD_IN_FLAGS,
    );
    assert!(parse_with(b"* OK [PERMANENTFLAGS (\\*)] ok\r\n", Strictness::Strict).is_ok());
}

#[test]
fn quirk_bracket_in_keyword() {
    use imap_proto::types::{Flag, Keyword};
    let kw =
        |s: &str| Flag::Keyword(Keyword::received(Bytes::copy_from_slice(s.as_bytes())).unwrap());
    // Inside a response code the list's `)` ends the keyword, the `]`
    // after it the code.
    let r = quirk_case(
        b"* OK [PERMANENTFLAGS (\\Seen $a]b $Foo] \\*)] Flags permitted.\r\n",
        quirks::BRACKET_IN_KEYWORD,
    );
    assert_eq!(
        r,
        Response::Untagged(Data::Ok(StatusText::with_code(
            Code::PermanentFlags(vec![Flag::Seen, kw("$a]b"), kw("$Foo]"), Flag::Wildcard]),
            Text::try_from("Flags permitted.").unwrap()
        )))
    );
    let r = quirk_case(b"* FLAGS (\\Seen foo]bar)\r\n", quirks::BRACKET_IN_KEYWORD);
    assert_eq!(
        r,
        Response::Untagged(Data::Flags(vec![Flag::Seen, kw("foo]bar")]))
    );
    let r = quirk_case(
        b"* FLAGS (\\Seen [Gmail]/Sent])\r\n",
        quirks::BRACKET_IN_KEYWORD,
    );
    assert_eq!(r.to_bytes(), b"* FLAGS (\\Seen [Gmail]/Sent])\r\n");
    let r = quirk_case(
        b"* 1 FETCH (FLAGS (\\Seen x]y))\r\n",
        quirks::BRACKET_IN_KEYWORD,
    );
    let Response::Untagged(Data::Fetch { items, .. }) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(items, &[FetchItem::Flags(vec![Flag::Seen, kw("x]y")])]);
    // Re-encoding writes the keyword as received.
    assert_eq!(r.to_bytes(), b"* 1 FETCH (FLAGS (\\Seen x]y))\r\n");
    // Octets no keyword may hold still drop the flag.
    quirk_case(b"* FLAGS (\\Seen a%b)\r\n", quirks::INVALID_KEYWORD);
    quirk_case(b"* FLAGS (\\Seen \\X]y)\r\n", quirks::INVALID_KEYWORD);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Keywords with `]`, wherever flags are listed, decode (a quirk) and
    /// round-trip as received.
    #[test]
    fn received_keywords_with_brackets_round_trip(
        names in proptest::collection::vec("[A-Za-z$\\[]{0,3}\\][A-Za-z\\]\\[]{0,3}", 1..4),
    ) {
        let list = names.join(" ");
        for line in [
            format!("* FLAGS (\\Seen {list})\r\n"),
            format!("* OK [PERMANENTFLAGS ({list} \\*)] ok\r\n"),
            format!("* 1 FETCH (FLAGS ({list}) UID 2)\r\n"),
        ] {
            let r = quirk_case(line.as_bytes(), quirks::BRACKET_IN_KEYWORD);
            proptest::prop_assert_eq!(r.to_bytes(), line.as_bytes());
        }
    }
}

fn body_of(r: &Response) -> &BodyStructure {
    let Response::Untagged(Data::Fetch { items, .. }) = r else {
        panic!("{r:?}")
    };
    match &items[0] {
        FetchItem::BodyStructure(b) | FetchItem::Body(b) => b,
        other => panic!("{other:?}"),
    }
}

#[test]
fn quirk_negative_body_numbers() {
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" -1 -1))\r\n",
        quirks::NEGATIVE_NUMBER,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    assert_eq!(s.fields.size, 0);
    assert!(matches!(s.kind, SingleKind::Text { lines: 0, .. }));
    // The size of a basic part and the lines of a message part (Dovecot's
    // `-1`, modern-email/defects#27), nested in a multipart.
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE ((\"image\" \"png\" NIL NIL NIL \"base64\" -1)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 20 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 -1) -1) \"mixed\"))\r\n",
        quirks::NEGATIVE_NUMBER,
    );
    let BodyStructure::Multi { parts, .. } = body_of(&r) else {
        panic!()
    };
    let [BodyStructure::Single(img), BodyStructure::Single(msg)] = &parts[..] else {
        panic!("{parts:?}")
    };
    assert_eq!(img.fields.size, 0);
    let SingleKind::Message {
        body: Some(inner),
        lines,
        ..
    } = &msg.kind
    else {
        panic!("{msg:?}")
    };
    assert_eq!(*lines, 0);
    assert!(matches!(
        &**inner,
        BodyStructure::Single(SinglePart {
            kind: SingleKind::Text { lines: 0, .. },
            ..
        })
    ));
    // A negative number too large even for 63 bits is refused.
    assert!(
        parse_with(
            b"* 1 FETCH (BODY (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 -99999999999999999999))\r\n",
            Strictness::Lenient
        )
        .is_err()
    );
}

#[test]
fn quirk_large_body_numbers() {
    // Sizes and line counts of huge parts, above the grammar's 32 bits, up
    // to 2^63 - 1.
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 4294967296 9223372036854775807))\r\n",
        quirks::LARGE_BODY_NUMBER,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    assert_eq!(s.fields.size, 1 << 32);
    assert!(matches!(s.kind, SingleKind::Text { lines, .. } if lines == i64::MAX as u64));
    let r = quirk_case(
        b"* 1 FETCH (BODY (\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 12884901888))\r\n",
        quirks::LARGE_BODY_NUMBER,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    assert_eq!(s.fields.size, 3 << 32);
    quirk_case(
        b"* 1 FETCH (BODY (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 4294967297))\r\n",
        quirks::LARGE_BODY_NUMBER,
    );
    // The largest 32-bit number is no quirk; 2^63 is refused.
    assert!(
        parse_with(
            b"* 1 FETCH (BODY (\"text\" \"plain\" NIL NIL NIL \"7bit\" 4294967295 4294967295))\r\n",
            Strictness::Strict
        )
        .is_ok()
    );
    assert!(
        parse_with(
            b"* 1 FETCH (BODY (\"text\" \"plain\" NIL NIL NIL \"7bit\" 9223372036854775808 1))\r\n",
            Strictness::Lenient
        )
        .is_err()
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Any size and line count up to 2^63 - 1 decodes and round-trips.
    #[test]
    fn body_numbers_up_to_63_bits_round_trip(size in 0..=i64::MAX as u64, lines in 0..=i64::MAX as u64) {
        let line = format!("* 1 FETCH (BODY (\"TEXT\" \"plain\" NIL NIL NIL \"7bit\" {size} {lines}))\r\n");
        let r = roundtrip(line.as_bytes());
        proptest::prop_assert_eq!(r.to_bytes(), line.as_bytes());
        let BodyStructure::Single(s) = body_of(&r) else {
            panic!()
        };
        proptest::prop_assert_eq!(s.fields.size, size);
        let SingleKind::Text { lines: l, .. } = s.kind else {
            panic!()
        };
        proptest::prop_assert_eq!(l, lines);
    }
}

#[test]
fn quirk_text_part_without_lines() {
    let r = quirk_case(
        b"* 1 FETCH (BODY (\"text\" \"calendar\" NIL NIL NIL \"7bit\" 10))\r\n",
        quirks::MISSING_LINES,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    assert!(matches!(s.kind, SingleKind::Text { lines: 0, .. }));
}

#[test]
fn quirk_nil_as_string() {
    let r = quirk_case(
        b"* 1 FETCH (BODY (\"text\" \"plain\" (\"charset\" NIL) NIL NIL NIL 10 1))\r\n",
        Quirk::NilAsString,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    assert!(s.fields.encoding.as_bytes().is_empty());
    assert!(s.fields.params[0].1.as_bytes().is_empty());
}

#[test]
fn quirk_bare_disposition() {
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE (\"application\" \"pdf\" NIL NIL NIL \"base64\" 100 NIL \"attachment\" NIL NIL))\r\n",
        quirks::BARE_DISPOSITION,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    let dsp = s.ext.as_ref().unwrap().dsp.as_ref().unwrap();
    assert_eq!(
        dsp.disposition.as_ref().unwrap().kind.as_bytes(),
        b"attachment"
    );
}

#[test]
fn quirk_eight_bit_strings() {
    let r = quirk_case(
        b"* 1 FETCH (ENVELOPE (NIL \"caf\xe9\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
        Quirk::EightBitQuoted,
    );
    let Response::Untagged(Data::Fetch { items, .. }) = &r else {
        panic!()
    };
    let FetchItem::Envelope(e) = &items[0] else {
        panic!()
    };
    assert_eq!(e.subject.as_bytes(), Some(&b"caf\xe9"[..]));
    quirk_case(b"* OK caf\xe9 ready\r\n", quirks::EIGHT_BIT_TEXT);
    // UTF-8 is fine (IMAP4rev2, UTF8=ACCEPT).
    assert!(
        parse_with(
            "* LIST () \"/\" \"café\"\r\n".as_bytes(),
            Strictness::Strict
        )
        .is_ok()
    );
}

#[test]
fn quirk_spaces_between_addresses() {
    let r = quirk_case(
        b"* 1 FETCH (ENVELOPE (NIL NIL ((\"A\" NIL \"a\" \"x\") (\"B\" NIL \"b\" \"x\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
        quirks::SPACED_ADDRESSES,
    );
    let Response::Untagged(Data::Fetch { items, .. }) = &r else {
        panic!()
    };
    let FetchItem::Envelope(e) = &items[0] else {
        panic!()
    };
    assert_eq!(e.from.len(), 2);
}

#[test]
fn message_global_without_envelope_is_a_basic_part() {
    // RFC 3501's grammar has no message/global: an IMAP4rev1 server sends
    // it as a basic part (RFC 9051 §9 `media-message` added it). Valid
    // strictly too, with and without extension data.
    let line = b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"7bit\" 100))\r\n";
    let (r, quirks) = parse_with(line, Strictness::Strict).unwrap();
    assert!(quirks.is_empty());
    check_roundtrip(&r);
    let (r2, _) = parse_with(
        b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 100 NIL (\"attachment\" NIL) NIL NIL))\r\n",
        Strictness::Strict,
    )
    .unwrap();
    check_roundtrip(&r2);
    // message/rfc822 always has them: without, it is a quirk.
    quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 100))\r\n",
        quirks::MESSAGE_WITHOUT_ENVELOPE,
    );
    assert!(matches!(
        body_of(&r),
        BodyStructure::Single(SinglePart {
            kind: SingleKind::Basic { .. },
            ..
        })
    ));
    // With its envelope it is a message part.
    let ok = b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"7bit\" 100 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1) 3))\r\n";
    let r = roundtrip(ok);
    assert!(matches!(
        body_of(&r),
        BodyStructure::Single(SinglePart {
            kind: SingleKind::Message { .. },
            ..
        })
    ));
}

#[test]
fn quirk_nil_envelope_or_body_in_a_message_part() {
    let part = |body: &BodyStructure| match body {
        BodyStructure::Single(SinglePart {
            kind:
                SingleKind::Message {
                    envelope,
                    body,
                    lines,
                    ..
                },
            ..
        }) => (envelope.is_some(), body.is_some(), *lines),
        other => panic!("{other:?}"),
    };
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1234 NIL (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1) 40))\r\n",
        quirks::NIL_ENVELOPE,
    );
    assert_eq!(part(body_of(&r)), (false, true, 40));
    let line = b"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 0 NIL NIL 0 NIL NIL NIL NIL))\r\n";
    let r = quirk_case(line, quirks::NIL_ENVELOPE);
    assert!(parse(line).1.contains(&quirks::NIL_BODY));
    assert_eq!(part(body_of(&r)), (false, false, 0));
    // Re-encoded as received.
    assert_eq!(r.to_bytes(), line);
    let r = quirk_case(
        b"* 1 FETCH (BODY (\"message\" \"global\" NIL NIL NIL \"8bit\" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) NIL 2))\r\n",
        quirks::NIL_BODY,
    );
    assert_eq!(part(body_of(&r)), (true, false, 2));
    // Inside a multipart, with a literal in the nested body.
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 NIL (\"TEXT\" {5}\r\nPL)IN NIL NIL NIL \"7BIT\" 2 1) 4) \"MIXED\"))\r\n",
        quirks::NIL_ENVELOPE,
    );
    let BodyStructure::Multi { parts, .. } = body_of(&r) else {
        panic!()
    };
    assert_eq!(part(&parts[1]), (false, true, 4));
    // A basic message/global part with extension data is not mistaken for
    // one: NIL there is the MD5, followed by a disposition, not a number.
    let (r, _) = parse_with(
        b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 100 NIL (\"attachment\" (\"filename\" \"m.eml\")) NIL))\r\n",
        Strictness::Strict,
    )
    .unwrap();
    assert!(matches!(
        body_of(&r),
        BodyStructure::Single(SinglePart {
            kind: SingleKind::Basic { .. },
            ext: Some(_),
            ..
        })
    ));
}

#[test]
fn quirk_empty_multipart() {
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE (\"mixed\" (\"boundary\" \"x\") NIL NIL NIL))\r\n",
        quirks::EMPTY_MULTIPART,
    );
    assert!(
        matches!(body_of(&r), BodyStructure::Multi { parts, ext: Some(_), .. } if parts.is_empty())
    );
    quirk_case(b"* 1 FETCH (BODY (\"mixed\"))\r\n", quirks::EMPTY_MULTIPART);
}

#[test]
fn quirk_empty_lists() {
    // An empty ID list is valid (RFC 2971), and reads like NIL.
    assert_eq!(
        parse_with(b"* ID ()\r\n", Strictness::Strict).unwrap().0,
        Response::Untagged(Data::Id(vec![]))
    );
    quirk_case(b"* NAMESPACE () NIL NIL\r\n", quirks::EMPTY_LIST);
    quirk_case(
        b"* 1 FETCH (BODY (\"text\" \"plain\" () NIL NIL \"7bit\" 1 1))\r\n",
        quirks::EMPTY_LIST,
    );
    quirk_case(b"* BAD [BADCHARSET UTF-8] no\r\n", quirks::BARE_CHARSET);
    quirk_case(
        b"* LIST (Marked) \"/\" x\r\n",
        quirks::ATTRIBUTE_WITHOUT_BACKSLASH,
    );
    quirk_case(b"* THREAD (1) (2)\r\n", Quirk::ExtraSpace);
    let r = quirk_case(
        b"* LIST (\\Noselect) \"\" \"\"\r\n",
        quirks::EMPTY_DELIMITER,
    );
    assert!(matches!(
        r,
        Response::Untagged(Data::List(ListItem {
            delimiter: None,
            ..
        }))
    ));
}

#[test]
fn progress_lines_between_data_decode() {
    // `* OK` progress lines in the middle of a command's data.
    let stream = b"* 1 FETCH (UID 1)\r\n* OK Still here\r\n* 2 FETCH (UID 2)\r\n* OK [ALERT] Hang on\r\nA1 OK done\r\n";
    let events = decode_stream(&[stream]);
    assert_eq!(events.len(), 5);
    assert!(
        events
            .iter()
            .all(|e| matches!(e, ResponseEvent::Response { quirks, .. } if quirks.is_empty()))
    );
}

#[test]
fn a_malformed_message_is_skipped() {
    let stream =
        b"* 1 FETCH (UID x)\r\n* 2 FETCH (BODY[] {3}\r\nabc BAD)\r\n* 3 EXISTS\r\nA1 OK done\r\n";
    let events = decode_stream(&[stream]);
    assert_eq!(events.len(), 4, "{events:?}");
    assert!(matches!(&events[0], ResponseEvent::Error(e) if e.offset == 15));
    assert!(matches!(&events[1], ResponseEvent::Error(_)));
    assert!(matches!(
        &events[2],
        ResponseEvent::Response {
            response: Response::Untagged(Data::Exists(3)),
            ..
        }
    ));
}

#[test]
fn bodystructure_depth_is_limited_not_overflowing() {
    let leaf = "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)";
    let nest = |n: usize| {
        let mut s = leaf.to_owned();
        for _ in 0..n {
            s = format!("({s} \"mixed\")");
        }
        format!("* 1 FETCH (BODYSTRUCTURE {s})\r\n")
    };
    // 32 levels of multipart (plus the FETCH list) are supported.
    let r = roundtrip(nest(32).as_bytes());
    let mut b = body_of(&r);
    let mut depth = 0;
    while let BodyStructure::Multi { parts, .. } = b {
        b = &parts[0];
        depth += 1;
    }
    assert_eq!(depth, 32);
    // Far deeper is an error (no stack overflow).
    assert!(parse_with(nest(10_000).as_bytes(), Strictness::Lenient).is_err());
    let deep_thread = format!("* THREAD {}1{}\r\n", "(".repeat(5000), ")".repeat(5000));
    assert!(parse_with(deep_thread.as_bytes(), Strictness::Lenient).is_err());
}

#[test]
fn every_strict_prefix_is_not_a_response() {
    // Truncated messages never parse (the framer only hands out whole ones).
    let full = b"* 1 FETCH (UID 1 BODY[] {5}\r\nhello FLAGS (\\Seen))\r\n";
    roundtrip(full);
    for i in 0..full.len() {
        assert!(
            parse_with(&full[..i], Strictness::Lenient).is_err(),
            "prefix {i}"
        );
    }
}

// -------------------------------------------------------------- proptest

/// Encodes `r`, decodes it strictly, and checks it is the same.
fn check_generated(r: Response) -> Result<(), proptest::test_runner::TestCaseError> {
    let enc = r.to_bytes();
    let (again, quirks) = parse_with(&enc, Strictness::Strict).map_err(|e| {
        proptest::test_runner::TestCaseError::fail(format!(
            "{:?}: {e}",
            String::from_utf8_lossy(&enc)
        ))
    })?;
    proptest::prop_assert_eq!(&again, &r, "{:?}", String::from_utf8_lossy(&enc));
    proptest::prop_assert!(quirks.is_empty());
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    #[test]
    fn generated_responses_round_trip(r in strategies::response()) {
        let enc = r.to_bytes();
        let (again, quirks) = parse_with(&enc, Strictness::Strict)
            .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(&enc)));
        proptest::prop_assert_eq!(&again, &r, "{:?}", String::from_utf8_lossy(&enc));
        proptest::prop_assert!(quirks.is_empty());
    }

    #[test]
    fn generated_fetch_responses_round_trip(
        seq in 1u32..,
        items in proptest::collection::vec(strategies::fetch_item(), 1..6),
    ) {
        let r = Response::Untagged(Data::Fetch { seq, items });
        // UTF-8 connections (quoted strings may carry UTF-8) read the same.
        let mut enc = Vec::new();
        r.encode_with(EncodeOptions::utf8(), &mut enc);
        let (again, _) = parse_with(&enc, Strictness::Strict)
            .map_err(proptest::test_runner::TestCaseError::fail)?;
        proptest::prop_assert_eq!(&again, &r);
        check_generated(r)?;
    }

    #[test]
    fn generated_body_structures_round_trip(b in strategies::body()) {
        check_generated(Response::Untagged(Data::Fetch {
            seq: 1,
            items: vec![FetchItem::BodyStructure(Box::new(b))],
        }))?;
    }

    #[test]
    fn generated_untagged_data_round_trips(d in strategies::data()) {
        check_generated(Response::Untagged(d))?;
    }

    #[test]
    fn generated_status_responses_round_trip(t in strategies::status_text()) {
        check_generated(Response::Untagged(Data::No(t.clone())))?;
        check_generated(Response::Tagged(Tagged {
            tag: imap_proto::types::Tag::try_from("a1").unwrap(),
            condition: Condition::Bad,
            text: t,
        }))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
        let _ = parse_with(&bytes, Strictness::Lenient);
        let _ = decode_stream(&[&bytes[..bytes.len() - bytes.iter().rev().take_while(|&&b| b != b'\n').count()]]);
    }

    #[test]
    fn mutated_responses_never_panic_and_what_decodes_round_trips(
        r in strategies::response(),
        at in proptest::prelude::any::<proptest::sample::Index>(),
        byte in proptest::prelude::any::<u8>(),
        cut in proptest::prelude::any::<bool>(),
    ) {
        let mut enc = r.to_bytes();
        let i = at.index(enc.len());
        if cut {
            enc.remove(i);
        } else {
            enc[i] = byte;
        }
        if let Ok((decoded, _)) = parse_with(&enc, Strictness::Lenient) {
            // Whatever decodes, even with quirks, encodes canonically and
            // decodes to the same value.
            let again = decoded.to_bytes();
            let (back, _) = parse_with(&again, Strictness::Lenient)
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{:?} -> {:?}: {e}", String::from_utf8_lossy(&enc), String::from_utf8_lossy(&again))))?;
            proptest::prop_assert_eq!(back, decoded, "{:?}", String::from_utf8_lossy(&enc));
        }
    }

    #[test]
    fn generated_streams_decode_the_same_in_any_chunking(
        rs in proptest::collection::vec(strategies::response(), 1..6),
        cuts in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..8),
    ) {
        let mut stream = Vec::new();
        for r in &rs {
            r.encode(&mut stream);
        }
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        at.push(0);
        at.push(stream.len());
        at.sort_unstable();
        let chunks: Vec<&[u8]> = at.windows(2).map(|w| &stream[w[0]..w[1]]).collect();
        let events = decode_stream(&chunks);
        let decoded: Vec<Response> = events
            .into_iter()
            .map(|e| match e {
                ResponseEvent::Response { response, .. } => response,
                other => panic!("{other:?}"),
            })
            .collect();
        proptest::prop_assert_eq!(decoded, rs);
    }
}

// ------------------------------------------------------ streamed literals

/// Decodes `stream` in `chunk`-octet pieces with a small stream threshold
/// and puts streamed FETCH responses back together.
fn decode_streamed(stream: &[u8], chunk: usize) -> Vec<Result<Response, String>> {
    let mut config = FramerConfig::new(imap_proto::codec::Side::Client);
    config.limits.literal_stream_threshold = 16;
    let mut d = ResponseDecoder::with_config(config, Strictness::Lenient);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut open: Option<(u32, Vec<FetchItem>, StreamedLiteral, Vec<u8>)> = None;
    let finish = |lit: StreamedLiteral, data: Vec<u8>| -> FetchItem {
        use imap_proto::types::{IString, NString};
        let string = || NString(Some(IString::new(Bytes::from(data.clone())).unwrap()));
        match lit.item {
            StreamedItem::BodySection { section, origin } => FetchItem::BodySection {
                section,
                origin,
                data: string(),
            },
            StreamedItem::Binary { part, origin } => FetchItem::Binary {
                part,
                origin,
                data: Some(Bytes::from(data.clone())),
            },
            StreamedItem::Rfc822 => FetchItem::Rfc822(string()),
            StreamedItem::Rfc822Header => FetchItem::Rfc822Header(string()),
            StreamedItem::Rfc822Text => FetchItem::Rfc822Text(string()),
            other => panic!("{other:?}"),
        }
    };
    for piece in stream.chunks(chunk) {
        buf.extend_from_slice(piece);
        while let Some(ev) = d.decode(&mut buf) {
            match ev {
                ResponseEvent::Response { response, .. } => out.push(Ok(response)),
                ResponseEvent::Error(e) => out.push(Err(e.to_string())),
                ResponseEvent::FetchStart {
                    seq,
                    items,
                    literal,
                    ..
                } => open = Some((seq, items, literal, Vec::new())),
                ResponseEvent::LiteralChunk(b) => open.as_mut().unwrap().3.extend_from_slice(&b),
                ResponseEvent::LiteralEnd => {}
                ResponseEvent::FetchRest { items, literal, .. } => {
                    let (seq, mut all, lit, data) = open.take().unwrap();
                    all.push(finish(lit, data));
                    all.extend(items);
                    match literal {
                        Some(l) => open = Some((seq, all, l, Vec::new())),
                        None => out.push(Ok(Response::Untagged(Data::Fetch { seq, items: all }))),
                    }
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(open.is_none());
    out
}

#[test]
fn large_fetch_literals_are_streamed() {
    let body = "x".repeat(40);
    let bin = "b\0".repeat(15);
    let stream = format!(
        "* 1 FETCH (UID 1 BODY[] {{40}}\r\n{body} FLAGS (\\Seen) BINARY[1] ~{{30}}\r\n{bin} RFC822.SIZE 5)\r\n\
         * 2 FETCH (RFC822.TEXT {{20}}\r\n{})\r\n\
         * METADATA \"\" (/shared/x {{20}}\r\n{})\r\n\
         * 3 FETCH (BODY[TEXT]<7> {{3}}\r\nabc)\r\n\
         A1 OK done\r\n",
        "t".repeat(20),
        "m".repeat(20),
    );
    let whole: Vec<Result<Response, String>> = decode_stream(&[stream.as_bytes()])
        .into_iter()
        .map(|e| match e {
            ResponseEvent::Response { response, .. } => Ok(response),
            other => panic!("{other:?}"),
        })
        .collect();
    for chunk in [1, 5, 64, stream.len()] {
        let pieces = decode_streamed(stream.as_bytes(), chunk);
        assert_eq!(pieces.len(), 5, "{pieces:?}");
        // The METADATA response with a streamed literal is refused and
        // skipped; everything else is what the unstreamed decoder gives.
        assert!(pieces[2].is_err());
        for i in [0, 1, 3, 4] {
            assert_eq!(
                pieces[i].as_ref().unwrap(),
                whole[i].as_ref().unwrap(),
                "{chunk}"
            );
        }
    }
}

#[test]
fn lines_from_other_servers_decode_and_round_trip() {
    for line in OTHER_SERVERS {
        roundtrip(format!("{line}\r\n").as_bytes());
    }
}

/// Found by fuzzing: a space before the `]` of a known code made it an
/// unknown one, which re-encoded as the known code and so did not round-trip.
#[test]
fn a_space_before_the_bracket_keeps_the_code_known() {
    let line = bytes::Bytes::from_static(b"A1 NO [ALREADYEXISTS ] Mailbox already exists\r\n");
    let limits = imap_proto::Limits::default();
    let (response, quirks) = imap_proto::Response::parse_bytes(
        &line,
        0,
        &limits,
        imap_proto::parse::Strictness::Lenient,
    )
    .unwrap();
    assert!(
        format!("{response:?}").contains("AlreadyExists"),
        "{response:?}"
    );
    assert_eq!(quirks, [imap_proto::parse::Quirk::ExtraSpace]);
    let mut wire = Vec::new();
    response.encode(&mut wire);
    assert_eq!(wire, b"A1 NO [ALREADYEXISTS] Mailbox already exists\r\n");
    assert!(
        imap_proto::Response::parse_bytes(&line, 0, &limits, imap_proto::parse::Strictness::Strict)
            .is_err()
    );
}

/// One-line responses take the decoder's fast path (no frame built), the
/// rest the framer's general one: fed one octet at a time, the work stays
/// linear (each octet looked at about once), the stream offset ends at the
/// input's length, and a malformed line between them is reported at its
/// offset and skipped.
#[test]
fn fast_and_general_paths_share_the_scan() {
    let mut stream = Vec::new();
    for i in 0..200 {
        stream.extend_from_slice(format!("* {i} EXISTS\r\n").as_bytes());
        stream.extend_from_slice(b"* 1 FETCH (BODY[] {5}\r\nhello)\r\n");
        stream.extend_from_slice(b"* LIST () \"/\" x}\r\n");
    }
    let bad_at = stream.len() as u64;
    stream.extend_from_slice(b"* 1 FETCH (\r\nA1 OK done\r\n");
    for chunk in [1, 3, stream.len()] {
        let mut d = ResponseDecoder::new();
        let mut buf = BytesMut::new();
        let (mut responses, mut errors) = (0, Vec::new());
        for piece in stream.chunks(chunk) {
            buf.extend_from_slice(piece);
            while let Some(ev) = d.decode(&mut buf) {
                match ev {
                    ResponseEvent::Response { .. } => responses += 1,
                    ResponseEvent::Error(e) => errors.push(e.offset),
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!(responses, 601, "chunk {chunk}");
        assert_eq!(errors.len(), 1, "chunk {chunk}");
        assert!(errors[0] >= bad_at, "chunk {chunk}: error at {}", errors[0]);
        assert_eq!(d.framer().offset(), stream.len() as u64);
        assert!(
            d.framer().octets_examined() <= 2 * stream.len() as u64,
            "chunk {chunk}: {} octets examined for {}",
            d.framer().octets_examined(),
            stream.len()
        );
    }
}

/// The limits and refusals hold on the one-line fast path as on the general
/// one: a line over the limit is refused whether its LF has arrived or not
/// (and the next response still decodes), a one-line message over the
/// message limit is refused, NUL is refused in text and in quoted strings,
/// and an unknown code ends at its first `]`, even inside quotes.
#[test]
fn one_line_fast_path_keeps_the_limits_and_refusals() {
    use imap_proto::DecodeErrorKind;
    use imap_proto::codec::{FramerConfig, Side};
    use imap_proto::parse::Strictness;
    let decode = |limits: imap_proto::Limits, chunks: &[&[u8]]| {
        let mut config = FramerConfig::new(Side::Client);
        config.limits = limits;
        let mut d = ResponseDecoder::with_config(config, Strictness::Lenient);
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for chunk in chunks {
            buf.extend_from_slice(chunk);
            while let Some(ev) = d.decode(&mut buf) {
                out.push(match ev {
                    ResponseEvent::Response { response, .. } => Ok(response),
                    ResponseEvent::Error(e) => Err(e.kind),
                    other => panic!("{other:?}"),
                });
            }
        }
        out
    };
    let mut small = imap_proto::Limits::default();
    small.max_response_line = 16;
    let long = b"* OK this line is far too long for the limit\r\n";
    // LF not there yet: refused once the buffer passes the limit.
    let (head, tail) = long.split_at(20);
    let events = decode(small.clone(), &[head, tail, b"* 1 EXISTS\r\n"]);
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0], Err(DecodeErrorKind::LineTooLong { limit: 16 }));
    assert!(matches!(events[1], Ok(Response::Untagged(Data::Exists(1)))));
    // The whole line at once.
    let events = decode(small, &[long, b"* 1 EXISTS\r\n"]);
    assert_eq!(events[0], Err(DecodeErrorKind::LineTooLong { limit: 16 }));
    assert!(matches!(events[1], Ok(Response::Untagged(Data::Exists(1)))));

    let mut small = imap_proto::Limits::default();
    small.max_message_size = 16;
    let events = decode(small, &[long, b"* 1 EXISTS\r\n"]);
    assert_eq!(
        events[0],
        Err(DecodeErrorKind::MessageTooLarge { limit: 16 })
    );
    assert!(matches!(events[1], Ok(Response::Untagged(Data::Exists(1)))));

    let limits = imap_proto::Limits::default();
    let events = decode(
        limits.clone(),
        &[b"* OK a\0b\r\n* 1 FETCH (ENVELOPE (\"a\0\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\nA1 OK x\r\n"],
    );
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events[0].is_err() && events[1].is_err(), "{events:?}");
    assert!(events[2].is_ok());

    let events = decode(limits, &[b"* OK [X-FOO \"a]b\" c] text\r\n"]);
    let Ok(Response::Untagged(Data::Ok(status))) = &events[0] else {
        panic!("{events:?}")
    };
    let Some(Code::Other(other)) = &status.code else {
        panic!("{status:?}")
    };
    // RFC 3501 §9: an unknown code's argument is `1*<any TEXT-CHAR except
    // "]">`, quotes or not: the first `]` ends it, the rest is text.
    assert_eq!(other.value().map(|v| &v[..]), Some(&b"\"a"[..]));
    assert_eq!(status.text.as_bytes(), b"b\" c] text");
}

/// An unknown code's text is a checked value: what cannot be sent back
/// inside the brackets cannot be built.
#[test]
fn code_text_is_checked_and_read_without_its_space() {
    assert!(CodeText::new("\"x\" y=1:2").is_ok());
    for bad in [&b""[..], b"a]b", b"a\r\nb", b"a\nb", b"a\0b"] {
        assert!(
            CodeText::new(Bytes::copy_from_slice(bad)).is_err(),
            "{bad:?}"
        );
    }

    // Microsoft 365: no space between the name and the text (a quirk).
    let line =
        b"A1 OK [Error=\"Cross Server access\" Proxy=a.b:1993:SSL] AUTHENTICATE completed.\r\n";
    let input = Bytes::from_static(line);
    let limits = Limits::default();
    let (r, quirks) = Response::parse_bytes(&input, 0, &limits, Strictness::Lenient).unwrap();
    assert_eq!(quirks, [quirks::MALFORMED_CODE]);
    let Response::Tagged(t) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(t.condition, Condition::Ok);
    assert_eq!(t.text.text.as_bytes(), b"AUTHENTICATE completed.");
    let Some(Code::Other(other)) = &t.text.code else {
        panic!("{t:?}")
    };
    assert_eq!(other.name().as_str(), "Error=");
    assert_eq!(
        other.value().map(|v| &v[..]),
        Some(&b"\"Cross Server access\" Proxy=a.b:1993:SSL"[..])
    );
    assert!(Response::parse_bytes(&input, 0, &limits, Strictness::Strict).is_err());

    // Unless the text, spaced as it is sent back, reads as a known code.
    let input = Bytes::from_static(b"A1 OK [MAILBOXID(F2212)] done\r\n");
    assert!(Response::parse_bytes(&input, 0, &limits, Strictness::Lenient).is_err());
    let input = Bytes::from_static(b"A1 OK [X-MAILBOXID(F2212)] done\r\n");
    assert!(Response::parse_bytes(&input, 0, &limits, Strictness::Lenient).is_ok());
}

/// The lenient readers added for real servers stay total and exact: no
/// panic or endless scan on hostile input, nothing read that does not
/// round-trip, and nothing taken from beyond the line.
#[test]
fn lenient_readers_for_real_servers_keep_their_bounds() {
    let limits = Limits::default();
    let parse = |line: &[u8]| {
        let input = Bytes::copy_from_slice(line);
        Response::parse_bytes(&input, 0, &limits, Strictness::Lenient)
    };
    let round_trips = |line: &[u8]| {
        let (r, _) = parse(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        let again = parse(&r.to_bytes()).map(|(r, _)| r);
        assert_eq!(again.as_ref(), Ok(&r), "{line:?}");
    };
    // A LIST name to the line end: never a NUL, a CR, a literal or
    // extended data in it, and not with trailing spaces.
    for line in [
        &b"* LIST () \"/\" foo\0bar\r\n"[..],
        b"* LIST () \"/\" foo\rbar\r\n",
        b"* LIST () \"/\" foo bar{3}\r\nabc\r\n",
        b"* LIST () \"/\" foo bar{3}\r\na\0c\r\n",
        b"* LIST () \"/\" Posta in uscita (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
        b"* LIST () \"/\" Posta in uscita  \r\n",
    ] {
        assert!(parse(line).is_err(), "{line:?}");
        let mut reader = imap_proto::view::ViewReader::new();
        reader.handle_input(line);
        while reader.poll_event().is_some() {}
    }
    round_trips(b"* LIST () \"/\" Posta in uscita\r\n");

    // A literal length that points past the end of memory ends the scan.
    let line = b"* 1 FETCH (BODYSTRUCTURE (\"X\" NIL {18446744073709551583}\r\nabc))\r\n";
    assert!(parse(line).is_err());

    // A known code's name with its text unspaced is refused: written back
    // spaced it would read as that code.
    for line in [
        &b"* OK [BADCHARSET(a]b)] x\r\n"[..],
        b"* OK [BADCHARSET(\"a] x\")] y\r\n",
        b"* OK [UIDNEXT(5)] x\r\n",
    ] {
        assert!(parse(line).is_err(), "{line:?}");
    }
    round_trips(b"* OK [X-FOO(a]b)] x\r\n");
    round_trips(b"* OK [UIDNEXT5] x\r\n");

    // A code text built by hand reads back as built: no `"` or `(` left
    // open.
    for bad in [&b"\"a"[..], b"(", b"a\\\"", b"((a)"] {
        assert!(
            CodeText::new(Bytes::copy_from_slice(bad)).is_err(),
            "{bad:?}"
        );
    }
    let text = CodeText::new("(a) \"b]\" c").unwrap_err();
    assert!(matches!(
        text,
        imap_proto::ValueError::InvalidOctet { octet: b']', .. }
    ));
    let code = Code::other(
        imap_proto::types::Atom::try_from("X-FOO").unwrap(),
        Some(CodeText::new("(a b) \"c d\" e").unwrap()),
    )
    .unwrap();
    let r = Response::Untagged(Data::Ok(StatusText {
        code: Some(code),
        text: Text::new("hi").unwrap(),
    }));
    assert_eq!(parse(&r.to_bytes()).map(|(again, _)| again), Ok(r));

    // A known name with text that reads as that code cannot be built as
    // an unknown one (`[UIDNEXT 5]` is `UidNext(5)` on the wire); with
    // text outside the code's grammar it is kept, as the decoder keeps it.
    let other = |name: &str, value: Option<&str>| {
        Code::other(
            imap_proto::types::Atom::try_from(name).unwrap(),
            value.map(|v| CodeText::new(v.to_owned()).unwrap()),
        )
    };
    for (name, value) in [
        ("UIDNEXT", Some("5")),
        ("uidnext", Some("5")),
        ("ALERT", None),
        ("UIDNEXT", Some("5 ")),
        ("BADCHARSET", Some("(UTF-8)")),
        ("CAPABILITY", Some("IMAP4rev1")),
    ] {
        assert!(other(name, value).is_err(), "{name} {value:?}");
    }
    for (name, value) in [
        ("UIDNEXT", Some("x")),
        ("ALERT", Some("now")),
        ("X-A", None),
    ] {
        let code = other(name, value).unwrap();
        let r = Response::Untagged(Data::Ok(StatusText {
            code: Some(code),
            text: Text::new("hi").unwrap(),
        }));
        assert_eq!(parse(&r.to_bytes()).map(|(again, _)| again), Ok(r));
    }

    // A broken single part stays an error; only Gmail's shape is a
    // childless multipart.
    assert!(
        parse(b"* 1 FETCH (BODYSTRUCTURE (\"application\" NIL NIL NIL NIL \"7bit\"))\r\n").is_err()
    );
    assert!(
        parse(b"* 1 FETCH (BODYSTRUCTURE (\"application\" NIL NIL NIL \"7bit\"))\r\n").is_err()
    );
    round_trips(b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)(\"RELATED\" NIL (\"ATTACHMENT\" NIL) NIL) \"MIXED\"))\r\n");
    // Five values at most (subtype, parameters, disposition, language,
    // location): six are no childless multipart.
    round_trips(b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)(\"RELATED\" NIL (\"ATTACHMENT\" NIL) NIL \"loc\") \"MIXED\"))\r\n");
    assert!(parse(b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)(\"RELATED\" NIL (\"ATTACHMENT\" NIL) NIL \"loc\" 1) \"MIXED\"))\r\n").is_err());

    // Nine envelope fields, then a space before `)`.
    let (_, quirks) =
        parse(b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL \"<a>\" ))\r\n").unwrap();
    assert!(quirks.contains(&quirks::MISSING_MESSAGE_ID) && quirks.contains(&Quirk::ExtraSpace));
}

use proptest::strategy::Strategy as _;

proptest::proptest! {
    /// `Code::other` builds exactly the codes that read back as themselves:
    /// known names with text outside their grammar (a quirk the decoder
    /// keeps), never what reads as the known code.
    #[test]
    fn other_codes_are_built_only_when_they_read_back(
        name in proptest::prop_oneof![
            "X-[A-Z]{1,4}",
            proptest::sample::select(vec![
                "UIDNEXT", "uidvalidity", "UNSEEN", "ALERT", "READ-ONLY", "CAPABILITY",
                "PERMANENTFLAGS", "BADCHARSET", "APPENDUID", "COPYUID", "MAILBOXID",
                "HIGHESTMODSEQ", "MODIFIED", "METADATA", "NOMODSEQ", "TRYCREATE",
            ]).prop_map(String::from),
        ],
        value in proptest::option::of("[0-9a-zA-Z ():,\\\\]{1,12}"),
    ) {
        let name = imap_proto::types::Atom::try_from(name.as_str()).unwrap();
        let value = match value.map(CodeText::new) {
            None => None,
            Some(Ok(text)) => Some(text),
            Some(Err(_)) => return Ok(()),
        };
        let mut line = format!("* OK [{}", name.as_str()).into_bytes();
        if let Some(v) = &value {
            line.push(b' ');
            line.extend_from_slice(v);
        }
        line.extend_from_slice(b"] hi\r\n");
        let read = parse_with(&line, Strictness::Lenient).ok().and_then(|(r, _)| match r {
            Response::Untagged(Data::Ok(t)) if t.text.as_bytes() == b"hi" => t.code,
            _ => None,
        });
        match Code::other(name.clone(), value.clone()) {
            Ok(code) => proptest::prop_assert_eq!(read, Some(code)),
            Err(_) => proptest::prop_assert!(
                !matches!(&read, Some(Code::Other(o)) if *o.name() == name && o.value() == value.as_ref()),
                "{read:?}"
            ),
        }
    }
}

/// Found by fuzzing: a literal8 (`~{n}`) where a string is expected put a
/// NUL into a string. It is read as the string only without NUL, and as a
/// quirk (literal8 belongs to BINARY data, RFC 3516 §4.2).
#[test]
fn literal8_where_a_string_is_expected() {
    use imap_proto::parse::LITERAL8_AS_STRING;
    for line in [
        &b"* 1 FETCH (BODY[] ~{5}\r\nhe\0lo)\r\n"[..],
        b"* 1 FETCH (ENVELOPE (NIL ~{3}\r\na\0b NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
        b"* LIST () \"/\" ~{3}\r\na\0b\r\n",
    ] {
        for strictness in [Strictness::Lenient, Strictness::Strict] {
            assert!(
                parse_with(line, strictness).is_err(),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }
    let r = quirk_case(b"* 1 FETCH (BODY[] ~{5}\r\nhello)\r\n", LITERAL8_AS_STRING);
    let Response::Untagged(Data::Fetch { items, .. }) = r else {
        panic!("{r:?}")
    };
    assert!(matches!(
        &items[..],
        [FetchItem::BodySection { data, .. }] if data.0.as_ref().map(|s| s.as_bytes()) == Some(&b"hello"[..])
    ));
    quirk_case(
        b"* 1 FETCH (ENVELOPE (NIL ~{3}\r\nabc NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
        LITERAL8_AS_STRING,
    );
    // In BINARY data, literal8 is the grammar, NUL included.
    let (r, quirks) = parse(b"* 1 FETCH (BINARY[] ~{3}\r\na\0b)\r\n");
    assert!(quirks.is_empty(), "{quirks:?}");
    check_roundtrip(&r);
}

/// The same, streamed: a literal8 announced for `BODY[]` or `RFC822` is
/// the quirk (strict refuses it, whatever the stream threshold); for
/// `BINARY[]` it is the grammar.
#[test]
fn streamed_literal8_outside_binary_is_a_quirk() {
    use imap_proto::parse::LITERAL8_AS_STRING;
    let first = |input: &[u8], strictness| {
        let mut config = FramerConfig::new(imap_proto::codec::Side::Client);
        config.limits.literal_stream_threshold = 4;
        let mut d = ResponseDecoder::with_config(config, strictness);
        let mut buf = BytesMut::from(input);
        d.decode(&mut buf)
    };
    for line in [
        &b"* 1 FETCH (BODY[] ~{6}\r\nab\0def)\r\n"[..],
        b"* 1 FETCH (RFC822 ~{6}\r\nabcdef)\r\n",
    ] {
        let strict = first(line, Strictness::Strict);
        assert!(
            matches!(strict, Some(ResponseEvent::Error(_))),
            "{strict:?}"
        );
        match first(line, Strictness::Lenient) {
            Some(ResponseEvent::FetchStart {
                literal, quirks, ..
            }) => {
                assert!(literal.binary);
                assert_eq!(quirks, [LITERAL8_AS_STRING]);
            }
            other => panic!("{other:?}"),
        }
    }
    match first(
        b"* 1 FETCH (BINARY[] ~{6}\r\nab\0def)\r\n",
        Strictness::Strict,
    ) {
        Some(ResponseEvent::FetchStart {
            literal, quirks, ..
        }) => {
            assert!(literal.binary);
            assert!(quirks.is_empty(), "{quirks:?}");
        }
        other => panic!("{other:?}"),
    }
}

/// mail.ru's body sizes in exponent notation read as the integers they
/// round to; anything else that is not a number stays an error.
#[test]
fn body_sizes_in_exponent_notation() {
    let size_of = |size: &str| {
        let line = format!(
            "* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" {size}))\r\n"
        );
        let (r, quirks) = parse_with(line.as_bytes(), Strictness::Lenient)?;
        assert_eq!(quirks[0], quirks::EXPONENT_NUMBER, "{size}");
        assert!(
            parse_with(line.as_bytes(), Strictness::Strict).is_err(),
            "{size}"
        );
        let Response::Untagged(Data::Fetch { items, .. }) = r else {
            panic!("{r:?}")
        };
        let [FetchItem::BodyStructure(b)] = &items[..] else {
            panic!("{items:?}")
        };
        let BodyStructure::Single(p) = &**b else {
            panic!("{b:?}")
        };
        Ok::<u64, String>(p.fields.size)
    };
    assert_eq!(size_of("9.3736e+06"), Ok(9_373_600));
    assert_eq!(size_of("1.86931E+06"), Ok(1_869_310));
    assert_eq!(size_of("3e2"), Ok(300));
    assert_eq!(size_of("1.5e+00"), Ok(2), "rounded half up");
    assert_eq!(size_of("1.23456e+02"), Ok(123));
    assert_eq!(size_of("4.2e-1"), Ok(0));
    assert_eq!(
        size_of("9.2233720368547758e+18"),
        Ok(9_223_372_036_854_775_800)
    );
    assert_eq!(size_of("1e-999999999999"), Ok(0));
    for bad in [
        "9.3736",
        "9.3736e",
        "9.e+06",
        "9.3736e+",
        "1e+19",
        "1e+99999999",
        "9.3e+06x",
    ] {
        assert!(size_of(bad).is_err(), "{bad}");
    }
}
