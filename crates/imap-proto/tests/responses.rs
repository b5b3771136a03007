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

/// Every single-line server response in the examples of RFC 3501, RFC 9051
/// and the extension RFCs, copied from the RFC text (lines the RFC wraps
/// joined; lines with `...` placeholders left out). The flag says whether
/// the line deviates from the grammar (a quirk: a missing resp-text, a
/// double space, ...), so strict decoding must refuse it.
const RFC_EXAMPLES: &[(&str, bool, &str)] = &[
    (
        "rfc3501",
        false,
        r#"* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED"#,
    ),
    ("rfc3501", false, r#"abcd OK CAPABILITY completed"#),
    (
        "rfc3501",
        false,
        r#"efgh OK STARTLS completed <TLS negotiation, further commands are under [TLS] layer>"#,
    ),
    (
        "rfc3501",
        false,
        r#"* CAPABILITY IMAP4rev1 AUTH=GSSAPI AUTH=PLAIN"#,
    ),
    ("rfc3501", false, r#"ijkl OK CAPABILITY completed"#),
    ("rfc3501", false, r#"a002 OK NOOP completed . . ."#),
    ("rfc3501", false, r#"* 22 EXPUNGE"#),
    ("rfc3501", false, r#"* 23 EXISTS"#),
    ("rfc3501", false, r#"* 3 RECENT"#),
    ("rfc3501", false, r#"* 14 FETCH (FLAGS (\Seen \Deleted))"#),
    ("rfc3501", false, r#"a047 OK NOOP completed"#),
    ("rfc3501", false, r#"* BYE IMAP4rev1 Server logging out"#),
    (
        "rfc3501",
        false,
        r#"A023 OK LOGOUT completed (Server and client then close the connection)"#,
    ),
    (
        "rfc3501",
        false,
        r#"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED"#,
    ),
    ("rfc3501", false, r#"a001 OK CAPABILITY completed"#),
    (
        "rfc3501",
        false,
        r#"a002 OK Begin TLS negotiation now <TLS negotiation, further commands are under [TLS] layer>"#,
    ),
    ("rfc3501", false, r#"* CAPABILITY IMAP4rev1 AUTH=PLAIN"#),
    ("rfc3501", false, r#"a003 OK CAPABILITY completed"#),
    ("rfc3501", false, r#"a004 OK LOGIN completed"#),
    ("rfc3501", true, r#"+"#),
    (
        "rfc3501",
        false,
        r#"A001 OK GSSAPI authentication successful"#,
    ),
    ("rfc3501", false, r#"a001 OK LOGIN completed"#),
    ("rfc3501", false, r#"* 172 EXISTS"#),
    ("rfc3501", false, r#"* 1 RECENT"#),
    (
        "rfc3501",
        false,
        r#"* OK [UNSEEN 12] Message 12 is first unseen"#,
    ),
    (
        "rfc3501",
        false,
        r#"* OK [UIDVALIDITY 3857529045] UIDs valid"#,
    ),
    (
        "rfc3501",
        false,
        r#"* OK [UIDNEXT 4392] Predicted next UID"#,
    ),
    (
        "rfc3501",
        false,
        r#"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)"#,
    ),
    (
        "rfc3501",
        false,
        r#"* OK [PERMANENTFLAGS (\Deleted \Seen \*)] Limited"#,
    ),
    ("rfc3501", false, r#"A142 OK [READ-WRITE] SELECT completed"#),
    ("rfc3501", false, r#"* 17 EXISTS"#),
    ("rfc3501", false, r#"* 2 RECENT"#),
    (
        "rfc3501",
        false,
        r#"* OK [UNSEEN 8] Message 8 is first unseen"#,
    ),
    (
        "rfc3501",
        false,
        r#"* OK [PERMANENTFLAGS ()] No permanent flags permitted"#,
    ),
    ("rfc3501", false, r#"A932 OK [READ-ONLY] EXAMINE completed"#),
    ("rfc3501", false, r#"A003 OK CREATE completed"#),
    ("rfc3501", false, r#"A004 OK CREATE completed"#),
    ("rfc3501", false, r#"* LIST () "/" blurdybloop"#),
    ("rfc3501", false, r#"* LIST (\Noselect) "/" foo"#),
    ("rfc3501", false, r#"* LIST () "/" foo/bar"#),
    ("rfc3501", false, r#"A682 OK LIST completed"#),
    ("rfc3501", false, r#"A683 OK DELETE completed"#),
    (
        "rfc3501",
        false,
        r#"A684 NO Name "foo" has inferior hierarchical names"#,
    ),
    ("rfc3501", false, r#"A685 OK DELETE Completed"#),
    ("rfc3501", false, r#"A686 OK LIST completed"#),
    ("rfc3501", false, r#"A687 OK DELETE Completed"#),
    ("rfc3501", false, r#"* LIST () "." blurdybloop"#),
    ("rfc3501", false, r#"* LIST () "." foo"#),
    ("rfc3501", false, r#"* LIST () "." foo.bar"#),
    ("rfc3501", false, r#"A82 OK LIST completed"#),
    ("rfc3501", false, r#"A83 OK DELETE completed"#),
    ("rfc3501", false, r#"A84 OK DELETE Completed"#),
    ("rfc3501", false, r#"A85 OK LIST completed"#),
    ("rfc3501", false, r#"* LIST (\Noselect) "." foo"#),
    ("rfc3501", false, r#"A86 OK LIST completed"#),
    ("rfc3501", false, r#"A683 OK RENAME completed"#),
    ("rfc3501", false, r#"A684 OK RENAME Completed"#),
    ("rfc3501", false, r#"* LIST () "/" sarasoop"#),
    ("rfc3501", false, r#"* LIST (\Noselect) "/" zowie"#),
    ("rfc3501", false, r#"* LIST () "/" zowie/bar"#),
    ("rfc3501", false, r#"A685 OK LIST completed"#),
    ("rfc3501", false, r#"* LIST () "." INBOX"#),
    ("rfc3501", false, r#"* LIST () "." INBOX.bar"#),
    ("rfc3501", false, r#"Z432 OK LIST completed"#),
    ("rfc3501", false, r#"Z433 OK RENAME completed"#),
    ("rfc3501", false, r#"* LIST () "." old-mail"#),
    ("rfc3501", false, r#"Z434 OK LIST completed"#),
    ("rfc3501", false, r#"A002 OK SUBSCRIBE completed"#),
    ("rfc3501", false, r#"A002 OK UNSUBSCRIBE completed"#),
    ("rfc3501", false, r#"* LIST (\Noselect) "/" """#),
    ("rfc3501", false, r#"A101 OK LIST Completed"#),
    ("rfc3501", false, r#"* LIST (\Noselect) "." #news."#),
    ("rfc3501", false, r#"A102 OK LIST Completed"#),
    ("rfc3501", false, r#"* LIST (\Noselect) "/" /"#),
    ("rfc3501", false, r#"A103 OK LIST Completed"#),
    ("rfc3501", false, r#"* LIST (\Noselect) "/" ~/Mail/foo"#),
    ("rfc3501", false, r#"* LIST () "/" ~/Mail/meetings"#),
    ("rfc3501", false, r#"A202 OK LIST completed"#),
    ("rfc3501", false, r#"* LSUB () "." #news.comp.mail.mime"#),
    ("rfc3501", false, r#"* LSUB () "." #news.comp.mail.misc"#),
    ("rfc3501", false, r#"A002 OK LSUB completed"#),
    (
        "rfc3501",
        false,
        r#"* LSUB (\NoSelect) "." #news.comp.mail"#,
    ),
    ("rfc3501", false, r#"A003 OK LSUB completed"#),
    (
        "rfc3501",
        false,
        r#"* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)"#,
    ),
    ("rfc3501", false, r#"A042 OK STATUS completed"#),
    ("rfc3501", false, r#"+ Ready for literal data"#),
    ("rfc3501", false, r#"A003 OK APPEND completed"#),
    ("rfc3501", false, r#"FXXZ OK CHECK Completed"#),
    ("rfc3501", false, r#"A341 OK CLOSE completed"#),
    ("rfc3501", false, r#"* 3 EXPUNGE"#),
    ("rfc3501", false, r#"* 5 EXPUNGE"#),
    ("rfc3501", false, r#"* 8 EXPUNGE"#),
    ("rfc3501", false, r#"A202 OK EXPUNGE completed"#),
    ("rfc3501", false, r#"* SEARCH 2 84 882"#),
    ("rfc3501", false, r#"A282 OK SEARCH completed"#),
    ("rfc3501", false, r#"* SEARCH"#),
    ("rfc3501", false, r#"A283 OK SEARCH completed"#),
    ("rfc3501", false, r#"* SEARCH 43"#),
    ("rfc3501", false, r#"A284 OK SEARCH completed"#),
    ("rfc3501", false, r#"A654 OK FETCH completed"#),
    ("rfc3501", false, r#"* 2 FETCH (FLAGS (\Deleted \Seen))"#),
    ("rfc3501", false, r#"* 3 FETCH (FLAGS (\Deleted))"#),
    (
        "rfc3501",
        false,
        r#"* 4 FETCH (FLAGS (\Deleted \Flagged \Seen))"#,
    ),
    ("rfc3501", false, r#"A003 OK STORE completed"#),
    ("rfc3501", false, r#"A003 OK COPY completed"#),
    (
        "rfc3501",
        false,
        r#"* 23 FETCH (FLAGS (\Seen) UID 4827313)"#,
    ),
    (
        "rfc3501",
        false,
        r#"* 24 FETCH (FLAGS (\Seen) UID 4827943)"#,
    ),
    (
        "rfc3501",
        false,
        r#"* 25 FETCH (FLAGS (\Seen) UID 4828442)"#,
    ),
    ("rfc3501", false, r#"A999 OK UID FETCH completed"#),
    ("rfc3501", false, r#"* CAPABILITY IMAP4rev1 XPIG-LATIN"#),
    ("rfc3501", false, r#"a441 OK CAPABILITY completed"#),
    (
        "rfc3501",
        false,
        r#"* XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay"#,
    ),
    ("rfc3501", false, r#"A442 OK XPIG-LATIN ompleted-cay"#),
    (
        "rfc3501",
        false,
        r#"* OK [ALERT] System shutdown in 10 minutes"#,
    ),
    ("rfc3501", false, r#"A001 OK LOGIN Completed"#),
    (
        "rfc3501",
        false,
        r#"* NO Disk is 98% full, please delete unnecessary data"#,
    ),
    ("rfc3501", false, r#"A222 OK COPY completed"#),
    (
        "rfc3501",
        false,
        r#"* NO Disk is 99% full, please delete unnecessary data"#,
    ),
    ("rfc3501", false, r#"A223 NO COPY failed: disk is full"#),
    ("rfc3501", false, r#"* BAD Command line too long"#),
    ("rfc3501", false, r#"* BAD Empty command line"#),
    (
        "rfc3501",
        false,
        r#"* BAD Disk crash, attempting salvage to a new disk!"#,
    ),
    ("rfc3501", false, r#"* OK Salvage successful, no data lost"#),
    ("rfc3501", false, r#"A443 OK Expunge completed"#),
    ("rfc3501", false, r#"+ Ready for additional command text"#),
    ("rfc3501", false, r#"A001 OK LOGIN completed"#),
    (
        "rfc3501",
        false,
        r#"A044 BAD No such command as "BLURDYBLOOP""#,
    ),
    ("rfc3501", false, r#"* OK IMAP4rev1 Service Ready"#),
    ("rfc3501", false, r#"* 18 EXISTS"#),
    (
        "rfc3501",
        false,
        r#"* OK [UNSEEN 17] Message 17 is the first unseen message"#,
    ),
    ("rfc3501", false, r#"a002 OK [READ-WRITE] SELECT completed"#),
    (
        "rfc3501",
        true,
        r#"* 12 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US") ("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))"#,
    ),
    ("rfc3501", false, r#"a003 OK FETCH completed"#),
    ("rfc3501", false, r#"a004 OK FETCH completed"#),
    ("rfc3501", false, r#"* 12 FETCH (FLAGS (\Seen \Deleted))"#),
    ("rfc3501", false, r#"a005 OK +FLAGS completed"#),
    (
        "rfc3501",
        false,
        r#"* BYE IMAP4rev1 server terminating connection"#,
    ),
    ("rfc3501", false, r#"a006 OK LOGOUT completed"#),
    (
        "rfc9051",
        false,
        r#"* CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI LOGINDISABLED"#,
    ),
    (
        "rfc9051",
        false,
        r#"efgh OK STARTTLS completed <TLS negotiation, further commands are under TLS layer>"#,
    ),
    (
        "rfc9051",
        false,
        r#"* CAPABILITY IMAP4rev2 AUTH=GSSAPI AUTH=PLAIN"#,
    ),
    (
        "rfc9051",
        false,
        r#"* 14 FETCH (UID 1305 FLAGS (\Seen \Deleted))"#,
    ),
    ("rfc9051", false, r#"* BYE IMAP4rev2 Server logging out"#),
    (
        "rfc9051",
        false,
        r#"* CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED"#,
    ),
    (
        "rfc9051",
        false,
        r#"a002 OK Begin TLS negotiation now <TLS negotiation, further commands are under TLS layer>"#,
    ),
    ("rfc9051", false, r#"* CAPABILITY IMAP4rev2 AUTH=PLAIN"#),
    ("rfc9051", false, r#"a004 OK Success (tls protection)"#),
    (
        "rfc9051",
        false,
        r#"* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI] Capabilities"#,
    ),
    (
        "rfc9051",
        false,
        r#"* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI LOGINDISABLED] Server ready"#,
    ),
    (
        "rfc9051",
        false,
        r#"A01 OK STARTTLS completed <TLS negotiation, further commands are under TLS layer>"#,
    ),
    ("rfc9051", false, r#"A02 OK CAPABILITY completed"#),
    ("rfc9051", false, r#"A03 OK Success (tls protection)"#),
    ("rfc9051", false, r#"C01 OK Completed"#),
    ("rfc9051", false, r#"A01 OK Success (tls protection)"#),
    (
        "rfc9051",
        false,
        r#"* CAPABILITY IMAP4rev2 AUTH=PLAIN AUTH=EXTERNAL"#,
    ),
    (
        "rfc9051",
        false,
        r#"* CAPABILITY IMAP4rev2 ID LITERAL+ X-GOOD-IDEA"#,
    ),
    ("rfc9051", false, r#"t1 OK foo"#),
    ("rfc9051", false, r#"* ENABLED X-GOOD-IDEA"#),
    ("rfc9051", false, r#"t2 OK foo"#),
    ("rfc9051", false, r#"t3 OK foo again"#),
    ("rfc9051", false, r#"* ENABLED CONDSTORE"#),
    ("rfc9051", false, r#"a1 OK Conditional Store enabled"#),
    ("rfc9051", false, r#"* LIST () "/" INBOX"#),
    (
        "rfc9051",
        false,
        r#"* OK [CLOSED] Previous mailbox is now closed"#,
    ),
    ("rfc9051", false, r#"* 5 EXISTS"#),
    ("rfc9051", false, r#"* OK [UIDNEXT 102] Predicted next UID"#),
    ("rfc9051", false, r#"* LIST () "/" Drafts"#),
    (
        "rfc9051",
        false,
        r#"* OK [PERMANENTFLAGS (\Deleted \Seen \Answered \Flagged \Draft \*)] System flags and keywords allowed"#,
    ),
    ("rfc9051", false, r#"A143 OK [READ-WRITE] SELECT completed"#),
    (
        "rfc9051",
        false,
        r#"* LIST () "/" "Normalized" ("OLDNAME" ("NonNormalized"))"#,
    ),
    ("rfc9051", false, r#"A005 OK CREATE completed"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed \NonExistent) "/" "Fruit/Peach""#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent) "." "INBOX.DeletedMailbox""#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST () "/" "NewMailbox" ("OLDNAME" ("OldMailbox"))"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\Marked \NoInferiors) "/" "inbox""#,
    ),
    ("rfc9051", false, r#"* LIST () "/" "Fruit""#),
    ("rfc9051", false, r#"* LIST () "/" "Fruit/Apple""#),
    ("rfc9051", false, r#"* LIST () "/" "Fruit/Banana""#),
    ("rfc9051", false, r#"* LIST () "/" "Tofu""#),
    ("rfc9051", false, r#"* LIST () "/" "Vegetable""#),
    ("rfc9051", false, r#"* LIST () "/" "Vegetable/Broccoli""#),
    ("rfc9051", false, r#"* LIST () "/" "Vegetable/Corn""#),
    ("rfc9051", false, r#"A01 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Marked \NoInferiors \Subscribed) "/" "inbox""#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed) "/" "Fruit/Banana""#,
    ),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "Vegetable""#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed) "/" "Vegetable/Broccoli""#,
    ),
    ("rfc9051", false, r#"A02 OK done"#),
    ("rfc9051", false, r#"* LIST (\HasChildren) "/" "Fruit""#),
    ("rfc9051", false, r#"* LIST (\HasNoChildren) "/" "Tofu""#),
    ("rfc9051", false, r#"* LIST (\HasChildren) "/" "Vegetable""#),
    ("rfc9051", false, r#"A03 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Remote \HasNoChildren) "/" "Bread""#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\HasChildren \Remote) "/" "Meat""#,
    ),
    ("rfc9051", false, r#"A04 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Remote \Subscribed) "/" "Bread""#,
    ),
    ("rfc9051", false, r#"A05 OK done"#),
    ("rfc9051", false, r#"* LIST (\Remote) "/" "Meat""#),
    ("rfc9051", false, r#"A06 OK done"#),
    ("rfc9051", false, r#"* LIST () "/" "Foo""#),
    ("rfc9051", false, r#"* LIST () "/" "Foo/Bar""#),
    ("rfc9051", false, r#"* LIST () "/" "Foo/Baz""#),
    ("rfc9051", false, r#"* LIST () "/" "Moo""#),
    ("rfc9051", false, r#"C01 OK done"#),
    ("rfc9051", false, r#"* LIST (\HasChildren) "/" "Foo""#),
    ("rfc9051", false, r#"* LIST (\HasNoChildren) "/" "Moo""#),
    ("rfc9051", false, r#"CA3 OK done"#),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "Foo/Baz""#),
    ("rfc9051", false, r#"C02 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST () "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    ("rfc9051", false, r#"C04 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed \HasChildren) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\HasChildren \Subscribed) "/" "Foo""#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\HasNoChildren \Subscribed) "/" "Moo""#,
    ),
    ("rfc9051", false, r#"* LIST () "/" "foo2""#),
    ("rfc9051", false, r#"* LIST () "/" "foo2/bar1""#),
    ("rfc9051", false, r#"* LIST () "/" "foo2/bar2""#),
    ("rfc9051", false, r#"* LIST () "/" "baz2""#),
    ("rfc9051", false, r#"* LIST () "/" "baz2/bar2""#),
    ("rfc9051", false, r#"* LIST () "/" "baz2/bar22""#),
    ("rfc9051", false, r#"* LIST () "/" "baz2/bar222""#),
    ("rfc9051", false, r#"* LIST () "/" "eps2""#),
    ("rfc9051", false, r#"* LIST () "/" "eps2/mamba""#),
    ("rfc9051", false, r#"* LIST () "/" "qux2/bar2""#),
    ("rfc9051", false, r#"D01 OK done"#),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "foo2/bar1""#),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "foo2/bar2""#),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "baz2/bar2""#),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "baz2/bar22""#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed) "/" "baz2/bar222""#,
    ),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "eps2""#),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "eps2/mamba""#),
    ("rfc9051", false, r#"* LIST (\Subscribed) "/" "qux2/bar2""#),
    ("rfc9051", false, r#"D02 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST () "/" "foo2" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed) "/" "eps2" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    ("rfc9051", false, r#"D03 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST () "/" "baz2" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent) "/" "qux2" ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    ("rfc9051", false, r#"* LIST () "/" foo"#),
    ("rfc9051", false, r#"a1 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\Subscribed \NonExistent) "/" foo/bar"#,
    ),
    ("rfc9051", false, r#"a2 OK done"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\HasNoChildren) "/" foo ("CHILDINFO" ("SUBSCRIBED"))"#,
    ),
    ("rfc9051", false, r#"a3 OK done"#),
    ("rfc9051", false, r#"* LIST () "/" music/rock"#),
    ("rfc9051", false, r#"* LIST (\Remote) "/" also/jazz"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent \HasChildren) "/" music"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent \HasChildren) "/" also"#,
    ),
    ("rfc9051", false, r#"a3.1 OK done"#),
    ("rfc9051", true, r#"* LIST () "."  "INBOX""#),
    (
        "rfc9051",
        false,
        r#"* STATUS "INBOX" (MESSAGES 17 UNSEEN 16)"#,
    ),
    ("rfc9051", false, r#"* LIST () "." "foo""#),
    (
        "rfc9051",
        false,
        r#"* STATUS "foo" (MESSAGES 30 UNSEEN 29)"#,
    ),
    ("rfc9051", false, r#"* LIST (\NoSelect) "." "bar""#),
    ("rfc9051", false, r#"A01 OK List completed."#),
    ("rfc9051", true, r#"* LIST (\Subscribed) "."  "INBOX""#),
    ("rfc9051", false, r#"* STATUS "INBOX" (MESSAGES 17)"#),
    (
        "rfc9051",
        false,
        r#"* LIST () "." "foo" (CHILDINFO ("SUBSCRIBED"))"#,
    ),
    ("rfc9051", false, r#"A02 OK List completed."#),
    ("rfc9051", false, r#"* NAMESPACE (("" "/")) NIL NIL"#),
    ("rfc9051", false, r#"A001 OK NAMESPACE command completed"#),
    ("rfc9051", false, r#"* NAMESPACE NIL NIL (("" "."))"#),
    (
        "rfc9051",
        false,
        r#"* NAMESPACE (("" "/")) NIL (("Public Folders/" "/"))"#,
    ),
    (
        "rfc9051",
        true,
        r##"* NAMESPACE (("" "/")) (("~" "/")) (("#shared/" "/") ("#public/" "/")("#ftp/" "/")("#news." "."))"##,
    ),
    ("rfc9051", true, r#"* NAMESPACE (("INBOX." ".")) NIL  NIL"#),
    ("rfc9051", false, r#"A002 OK CREATE command completed"#),
    (
        "rfc9051",
        false,
        r##"* NAMESPACE (("" "/")("#mh/" "/" "X-PARAM" ("FLAG1" "FLAG2"))) NIL NIL"##,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent \Archive) "/" Archives"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent \Drafts) "/" Drafts"#,
    ),
    ("rfc9051", false, r#"* LIST (\NonExistent \Junk) "/" Junk"#),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent \Sent) "/" "Sent Mail""#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\NonExistent \Trash) "/" "Deleted Items""#,
    ),
    ("rfc9051", false, r#"A002 OK LIST Completed"#),
    (
        "rfc9051",
        false,
        r##"* LIST (\NonExistent \Archive) "/" "#mh/Archives""##,
    ),
    (
        "rfc9051",
        false,
        r##"* LIST (\NonExistent \Drafts) "/" "#mh/Drafts""##,
    ),
    (
        "rfc9051",
        false,
        r##"* LIST (\NonExistent \Junk) "/" "#mh/Junk""##,
    ),
    (
        "rfc9051",
        false,
        r##"* LIST (\NonExistent \Sent) "/" "#mh/Sent Mail""##,
    ),
    (
        "rfc9051",
        false,
        r##"* LIST (\NonExistent \Trash) "/" "#mh/Deleted Items""##,
    ),
    ("rfc9051", false, r#"A003 OK LIST Completed"#),
    ("rfc9051", false, r#"A004 OK CREATE command completed"#),
    ("rfc9051", false, r#"A005 OK CREATE command completed"#),
    ("rfc9051", false, r#"A006 OK CREATE command completed"#),
    (
        "rfc9051",
        false,
        r#"* NAMESPACE (("" "/")) (("Other Users/" "/")) NIL"#,
    ),
    ("rfc9051", false, r#"* LIST () "/" "Other Users/Mike""#),
    ("rfc9051", false, r#"* LIST () "/" "Other Users/Karen""#),
    ("rfc9051", false, r#"* LIST () "/" "Other Users/Matthew""#),
    ("rfc9051", false, r#"* LIST () "/" "Other Users/Tesa""#),
    ("rfc9051", false, r#"A002 OK LIST command completed"#),
    (
        "rfc9051",
        false,
        r##"* NAMESPACE (("" "/")) (("#Users/" "/")) NIL"##,
    ),
    (
        "rfc9051",
        false,
        r#"A002 NO The requested item could not be found."#,
    ),
    ("rfc9051", false, r##"* LIST () "/" "#Users/Mike/INBOX""##),
    ("rfc9051", false, r##"* LIST () "/" "#Users/Mike/Foo""##),
    ("rfc9051", false, r#"A003 OK LIST command completed."#),
    (
        "rfc9051",
        false,
        r#"* NAMESPACE (("" "/")) (("~" "/")) NIL"#,
    ),
    ("rfc9051", false, r#"* LIST () "/" "~mark/INBOX""#),
    ("rfc9051", false, r#"* LIST () "/" "~mark/foo""#),
    (
        "rfc9051",
        false,
        r#"A003 OK [APPENDUID 38505 3955] APPEND completed"#,
    ),
    (
        "rfc9051",
        false,
        r#"A004 OK [COPYUID 38505 304,319:320 3956:3958] Done"#,
    ),
    (
        "rfc9051",
        false,
        r#"A005 OK No matching messages, so nothing copied"#,
    ),
    ("rfc9051", false, r#"A006 OK Done"#),
    ("rfc9051", false, r#"* 1 EXISTS"#),
    (
        "rfc9051",
        false,
        r#"* OK [UIDVALIDITY 3857529045] Validity session-only"#,
    ),
    ("rfc9051", false, r#"* OK [UIDNEXT 2] Predicted next UID"#),
    (
        "rfc9051",
        false,
        r#"* NO [UIDNOTSTICKY] Non-persistent UIDs"#,
    ),
    (
        "rfc9051",
        false,
        r#"* OK [PERMANENTFLAGS (\Deleted \Seen)] Limited"#,
    ),
    ("rfc9051", false, r#"* LIST () "." funny"#),
    ("rfc9051", false, r#"A007 OK [READ-WRITE] SELECT completed"#),
    ("rfc9051", false, r#"* FLAGS (\Deleted \Seen \Flagged)"#),
    (
        "rfc9051",
        false,
        r#"* OK [PERMANENTFLAGS (\Deleted \Seen \Flagged)] Limited"#,
    ),
    ("rfc9051", false, r#"* 3 EXISTS"#),
    ("rfc9051", true, r#"* OK [UIDVALIDITY 1]"#),
    ("rfc9051", true, r#"* OK [UIDNEXT 1]"#),
    ("rfc9051", false, r#"A001 OK [READ-WRITE] SELECT completed"#),
    ("rfc9051", false, r#"* 4 EXISTS"#),
    ("rfc9051", false, r#"A003 OK FETCH completed"#),
    ("rfc9051", false, r#"* 2 EXPUNGE"#),
    ("rfc9051", false, r#"A004 OK IDLE terminated"#),
    ("rfc9051", false, r#"A005 OK FETCH completed"#),
    ("rfc9051", false, r#"A342 OK Unselect completed"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "A282") MIN 2 COUNT 3"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "A283") ALL 2,10:11"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "A284")"#),
    ("rfc9051", false, r#"+ Ready for literal text"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "A285") ALL 43"#),
    ("rfc9051", false, r#"A285 OK SEARCH completed"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "A284") MIN 4"#),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "A285") UID MIN 7 MAX 3800"#,
    ),
    ("rfc9051", false, r#"* ESEARCH (TAG "A286") COUNT 15"#),
    ("rfc9051", false, r#"A286 OK SEARCH completed"#),
    (
        "rfc9051",
        false,
        r#"A282 OK SEARCH completed, result saved"#,
    ),
    ("rfc9051", false, r#"A283 OK completed"#),
    ("rfc9051", false, r#"A300 OK SEARCH completed"#),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "A301") UID ALL 17,900,901"#,
    ),
    ("rfc9051", false, r#"A301 OK completed"#),
    ("rfc9051", false, r#"P282 OK SEARCH completed"#),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "P283") ALL 882,1102,3003,3005:3006"#,
    ),
    ("rfc9051", false, r#"P283 OK completed"#),
    ("rfc9051", false, r#"B282 OK SEARCH completed"#),
    (
        "rfc9051",
        true,
        r#"B283 NO [BADCHARSET UTF-8] KOI8-R is not supported"#,
    ),
    ("rfc9051", false, r#"E282 OK SEARCH completed"#),
    (
        "rfc9051",
        false,
        r#"E283 OK COPY completed, nothing copied"#,
    ),
    ("rfc9051", false, r#"F282 OK SEARCH completed"#),
    ("rfc9051", false, r#"F283 OK COPY completed"#),
    ("rfc9051", false, r#"F284 OK STORE completed"#),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "G283") ALL 3:15,27,29:103"#,
    ),
    ("rfc9051", false, r#"G283 OK SEARCH completed"#),
    ("rfc9051", false, r#"G282 OK SEARCH completed"#),
    ("rfc9051", false, r#"H282 OK SEARCH completed"#),
    ("rfc9051", false, r#"H283 OK SEARCH completed"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "C283") ALL 2,10:15,21"#),
    ("rfc9051", false, r#"C282 OK SEARCH completed"#),
    ("rfc9051", false, r#"C283 OK SEARCH completed"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "C284") MIN 2"#),
    ("rfc9051", false, r#"C284 OK SEARCH completed"#),
    ("rfc9051", false, r#"* ESEARCH (TAG "C285") MIN 2 MAX 21"#),
    ("rfc9051", false, r#"C285 OK SEARCH completed"#),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "C286") MIN 2 MAX 21 COUNT 8"#,
    ),
    ("rfc9051", false, r#"C286 OK SEARCH completed"#),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "C286") MIN 2 ALL 2,10:15,21"#,
    ),
    (
        "rfc9051",
        false,
        r#"A003 OK [COPYUID 38505 304,319:320 3956:3958] COPY completed"#,
    ),
    ("rfc9051", true, r#"* OK [COPYUID 432432 42:69 1202:1229]"#),
    ("rfc9051", false, r#"a OK Done"#),
    ("rfc9051", false, r#"A003 OK UID EXPUNGE completed"#),
    ("rfc9051", false, r#"* CAPABILITY IMAP4rev2 XPIG-LATIN"#),
    (
        "rfc9051",
        false,
        r#"o356 NO [ALREADYEXISTS] Mailbox "that" already exists"#,
    ),
    (
        "rfc9051",
        false,
        r#"b NO [AUTHENTICATIONFAILED] Authentication failed"#,
    ),
    (
        "rfc9051",
        false,
        r#"c1 NO [AUTHORIZATIONFAILED] No such authorization-ID"#,
    ),
    (
        "rfc9051",
        false,
        r#"c2 NO [AUTHORIZATIONFAILED] Authenticator is not an admin"#,
    ),
    (
        "rfc9051",
        false,
        r#"l NO [CANNOT] Adjacent slashes are not supported"#,
    ),
    ("rfc9051", false, r#"k1 OK [READ-ONLY] Done"#),
    ("rfc9051", false, r#"k2 OK [CLIENTBUG] Done"#),
    ("rfc9051", true, r#"e NO [CONTACTADMIN]"#),
    ("rfc9051", false, r#"i NO [CORRUPTION] Cannot open mailbox"#),
    (
        "rfc9051",
        false,
        r#"d NO [EXPIRED] That password isn't valid any more"#,
    ),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "h") ALL 1:3,5,8,13,21,42"#,
    ),
    ("rfc9051", false, r#"h OK [EXPUNGEISSUED] Search completed"#),
    (
        "rfc9051",
        false,
        r#"o356 NO [HASCHILDREN] Mailbox "Notes" has children that need to be deleted first"#,
    ),
    ("rfc9051", false, r#"g NO [INUSE] Mailbox in use"#),
    (
        "rfc9051",
        false,
        r#"m NO [LIMIT] At most 32 flags in one mailbox supported"#,
    ),
    ("rfc9051", false, r#"p NO [NONEXISTENT] No such mailbox"#),
    ("rfc9051", false, r#"f NO [NOPERM] Access denied"#),
    ("rfc9051", false, r#"n1 NO [OVERQUOTA] Sorry"#),
    (
        "rfc9051",
        false,
        r#"n2 OK [OVERQUOTA] You are now over your soft quota"#,
    ),
    (
        "rfc9051",
        false,
        r#"d NO [PRIVACYREQUIRED] Connection offers no privacy"#,
    ),
    (
        "rfc9051",
        false,
        r#"j NO [SERVERBUG] This should not happen"#,
    ),
    (
        "rfc9051",
        false,
        r#"a NO [UNAVAILABLE] User's backend down for maintenance"#,
    ),
    ("rfc9051", false, r#"* OK IMAP4rev2 server ready"#),
    (
        "rfc9051",
        false,
        r#"* PREAUTH IMAP4rev2 server logged in as Smith"#,
    ),
    ("rfc9051", false, r#"* BYE Autologout; idle for too long"#),
    ("rfc9051", false, r#"* ENABLED CONDSTORE QRESYNC"#),
    (
        "rfc9051",
        false,
        r#"* CAPABILITY STARTTLS AUTH=GSSAPI IMAP4rev2 LOGINDISABLED XPIG-LATIN"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST (\Marked) ":" Tables (tablecloth (("edge" "lacy") ("color" "red")) Sample "text")"#,
    ),
    (
        "rfc9051",
        false,
        r#"* LIST () ":" Tables:new (tablecloth ("edge" "lacy") Sample ("text" "more text"))"#,
    ),
    ("rfc9051", false, r#"* ESEARCH UID COUNT 17 ALL 4:18,21,28"#),
    (
        "rfc9051",
        false,
        r#"* ESEARCH (TAG "a567") UID COUNT 17 ALL 4:18,21,28"#,
    ),
    ("rfc9051", false, r#"* ESEARCH COUNT 18 ALL 1:17,21"#),
    ("rfc9051", false, r#"* 44 EXPUNGE"#),
    (
        "rfc9051",
        false,
        r#"* 23 FETCH (FLAGS (\Seen) RFC822.SIZE 44827 UID 447)"#,
    ),
    (
        "rfc9051",
        false,
        r#"* OK [CAPABILITY STARTTLS AUTH=SCRAM-SHA-256 LOGINDISABLED IMAP4rev2] IMAP4rev2 Service Ready"#,
    ),
    (
        "rfc9051",
        false,
        r#"a000 OK Proceed with TLS negotiation <TLS negotiation>"#,
    ),
    (
        "rfc9051",
        false,
        r#"+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY="#,
    ),
    (
        "rfc9051",
        false,
        r#"A001 OK SCRAM-SHA-256 authentication successful"#,
    ),
    ("rfc9051", false, r#"* ENABLED IMAP4rev2"#),
    ("rfc9051", false, r#"babc OK Some capabilities enabled"#),
    (
        "rfc9051",
        false,
        r#"* LIST () "/" INBOX ("OLDNAME" ("inbox"))"#,
    ),
    (
        "rfc9051",
        true,
        r#"* 12 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev2 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US") ("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.ed>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))"#,
    ),
    (
        "rfc9051",
        false,
        r#"* BYE IMAP4rev2 server terminating connection"#,
    ),
    (
        "rfc4315",
        false,
        r#"* OK [UNSEEN 1] Message 1 is first unseen"#,
    ),
    ("rfc7162", true, r#"* OK [HIGHESTMODSEQ 715194045007]"#),
    (
        "rfc7162",
        false,
        r#"* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 1 FETCH (UID 4 MODSEQ (12121231000))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 2 FETCH (UID 6 MODSEQ (12121230852))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 4 FETCH (UID 8 MODSEQ (12121230956))"#,
    ),
    ("rfc7162", false, r#"a103 OK Conditional Store completed"#),
    ("rfc7162", false, r#"* 50 FETCH (MODSEQ (12111230047))"#),
    ("rfc7162", false, r#"a104 OK Store (conditional) completed"#),
    ("rfc7162", true, r#"* OK [HIGHESTMODSEQ 12111230047]"#),
    ("rfc7162", false, r#"* 50 FETCH (MODSEQ (12111230048))"#),
    ("rfc7162", false, r#"c101 OK Store (conditional) completed"#),
    ("rfc7162", false, r#"* 5 FETCH (MODSEQ (320162350))"#),
    (
        "rfc7162",
        false,
        r#"d105 OK [MODIFIED 7,9] Conditional STORE failed"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 7 FETCH (MODSEQ (320162342) FLAGS (\Seen \Deleted))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 9 FETCH (MODSEQ (320162349) FLAGS (\Answered))"#,
    ),
    (
        "rfc7162",
        false,
        r#"a102 OK [MODIFIED 12] Conditional STORE failed"#,
    ),
    ("rfc7162", false, r#"* 100 FETCH (MODSEQ (303181230852))"#),
    ("rfc7162", false, r#"* 150 FETCH (MODSEQ (303181230852))"#),
    (
        "rfc7162",
        false,
        r#"a106 OK [MODIFIED 101] Conditional STORE failed"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 101 FETCH (MODSEQ (303011130956) FLAGS ($Processed))"#,
    ),
    ("rfc7162", true, r#"a107 OK"#),
    (
        "rfc7162",
        false,
        r#"* 101 FETCH (MODSEQ (303011130956) FLAGS (\Deleted \Answered))"#,
    ),
    ("rfc7162", true, r#"b107 OK"#),
    ("rfc7162", false, r#"* 101 FETCH (MODSEQ (303181230852))"#),
    ("rfc7162", false, r#"b108 OK Conditional Store completed"#),
    (
        "rfc7162",
        false,
        r#"* 101 FETCH (MODSEQ (303011130956) FLAGS ($Processed \Deleted \Answered))"#,
    ),
    ("rfc7162", false, r#"a106 OK Conditional STORE completed"#),
    (
        "rfc7162",
        false,
        r#"* 1 FETCH (MODSEQ (320172342) FLAGS (\SEEN))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 3 FETCH (MODSEQ (320172342) FLAGS (\SEEN))"#,
    ),
    (
        "rfc7162",
        false,
        r#"B001 NO [MODIFIED 2] Some of the messages no longer exist."#,
    ),
    ("rfc7162", false, r#"* 4 EXPUNGE"#),
    (
        "rfc7162",
        false,
        r#"* 2 FETCH (MODSEQ (320172340) FLAGS (\Deleted \Answered))"#,
    ),
    ("rfc7162", false, r#"B002 OK NOOP Completed."#),
    (
        "rfc7162",
        false,
        r#"* 2 FETCH (MODSEQ (320180050) FLAGS (\SEEN \Flagged))"#,
    ),
    ("rfc7162", false, r#"b003 OK Conditional Store completed"#),
    (
        "rfc7162",
        false,
        r#"* 1 FETCH (UID 4 MODSEQ (65402) FLAGS (\Seen))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 2 FETCH (UID 6 MODSEQ (75403) FLAGS (\Deleted))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 4 FETCH (UID 8 MODSEQ (29738) FLAGS ($NoJunk $AutoJunk $MDNSent))"#,
    ),
    ("rfc7162", false, r#"s100 OK FETCH completed"#),
    ("rfc7162", false, r#"* 1 FETCH (MODSEQ (624140003))"#),
    ("rfc7162", false, r#"* 2 FETCH (MODSEQ (624140007))"#),
    ("rfc7162", false, r#"* 3 FETCH (MODSEQ (624140005))"#),
    ("rfc7162", false, r#"a OK Fetch complete"#),
    ("rfc7162", false, r#"* 7 FETCH (MODSEQ (2121231000))"#),
    ("rfc7162", false, r#"A160 OK Store completed"#),
    (
        "rfc7162",
        false,
        r#"* 7 FETCH (FLAGS (\Deleted \Answered) MODSEQ (12121231000))"#,
    ),
    ("rfc7162", false, r#"C180 OK Noop completed"#),
    ("rfc7162", false, r#"D210 OK Noop completed"#),
    ("rfc7162", false, r#"* 7 FETCH (MODSEQ (12121231777))"#),
    ("rfc7162", false, r#"A240 OK Store completed"#),
    (
        "rfc7162",
        false,
        r#"* 7 FETCH (FLAGS (\Deleted \Answered \Seen) MODSEQ (12121231777))"#,
    ),
    ("rfc7162", false, r#"C270 OK Noop completed"#),
    ("rfc7162", false, r#"D300 OK Noop completed"#),
    ("rfc7162", false, r#"* 7 FETCH (MODSEQ (12121245160))"#),
    ("rfc7162", false, r#"A330 OK Store completed"#),
    (
        "rfc7162",
        false,
        r#"* 7 FETCH (FLAGS (\Deleted) MODSEQ (12121245160))"#,
    ),
    ("rfc7162", false, r#"C360 OK Noop completed"#),
    ("rfc7162", false, r#"D390 OK Noop completed"#),
    (
        "rfc7162",
        false,
        r#"* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)"#,
    ),
    ("rfc7162", false, r#"a OK Search complete"#),
    ("rfc7162", false, r#"t OK Search complete, nothing found"#),
    (
        "rfc7162",
        false,
        r#"* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7011231777)"#,
    ),
    (
        "rfc7162",
        false,
        r#"A142 OK [READ-WRITE] SELECT completed, CONDSTORE is now enabled"#,
    ),
    (
        "rfc7162",
        false,
        r#"* ESEARCH (TAG "a") ALL 1:3,5 MODSEQ 1236"#,
    ),
    ("rfc7162", false, r#"a OK Extended SEARCH completed"#),
    (
        "rfc7162",
        false,
        r#"* ESEARCH (TAG "a") ALL 5,3,2,1 MODSEQ 1236"#,
    ),
    ("rfc7162", false, r#"a OK Extended SORT completed"#),
    ("rfc7162", false, r#"* 464 EXISTS"#),
    (
        "rfc7162",
        false,
        r#"* OK [UIDVALIDITY 3857529045] UIDVALIDITY"#,
    ),
    ("rfc7162", false, r#"* OK [UIDNEXT 550] Predicted next UID"#),
    (
        "rfc7162",
        false,
        r#"* OK [HIGHESTMODSEQ 90060128194045007] Highest mailbox mod-sequence"#,
    ),
    (
        "rfc7162",
        false,
        r#"* FLAGS (\Answered \Flagged \Draft \Deleted \Seen)"#,
    ),
    (
        "rfc7162",
        false,
        r#"* OK [PERMANENTFLAGS (\Answered \Flagged \Draft \Deleted \Seen \*)] Permanent flags"#,
    ),
    (
        "rfc7162",
        false,
        r#"A02 OK [READ-WRITE] Sorry, UIDVALIDITY mismatch"#,
    ),
    ("rfc7162", true, r#"* OK [CLOSED]"#),
    ("rfc7162", false, r#"* 100 EXISTS"#),
    ("rfc7162", false, r#"* 11 RECENT"#),
    (
        "rfc7162",
        false,
        r#"* OK [UIDVALIDITY 67890007] UIDVALIDITY"#,
    ),
    ("rfc7162", false, r#"* OK [UIDNEXT 600] Predicted next UID"#),
    (
        "rfc7162",
        false,
        r#"* OK [HIGHESTMODSEQ 90060115205545359] Highest mailbox mod-sequence"#,
    ),
    (
        "rfc7162",
        false,
        r#"* OK [UNSEEN 7] There are some unseen messages in the mailbox"#,
    ),
    (
        "rfc7162",
        false,
        r#"* VANISHED (EARLIER) 41,43:116,118,120:211,214:540"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 49 FETCH (UID 117 FLAGS (\Seen \Answered) MODSEQ (90060115194045001))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 50 FETCH (UID 119 FLAGS (\Draft $MDNSent) MODSEQ (90060115194045308))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 51 FETCH (UID 541 FLAGS (\Seen $Forwarded) MODSEQ (90060115194045001))"#,
    ),
    ("rfc7162", false, r#"A03 OK [READ-WRITE] mailbox selected"#),
    ("rfc7162", false, r#"* 10003 EXISTS"#),
    ("rfc7162", false, r#"* 4 RECENT"#),
    (
        "rfc7162",
        false,
        r#"* OK [UIDNEXT 30013] Predicted next UID"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 1 FETCH (UID 3 FLAGS (\Seen \Answered $Important) MODSEQ (90060115194045001))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 9889 FETCH (UID 29667 FLAGS (\Seen \Answered) MODSEQ (90060115194045027))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 9890 FETCH (UID 29670 FLAGS (\Draft $MDNSent) MODSEQ (90060115194045028))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 9999 FETCH (UID 29997 FLAGS (\Seen $Forwarded) MODSEQ (90060115194045031))"#,
    ),
    ("rfc7162", false, r#"A04 OK [READ-WRITE] mailbox selected"#),
    (
        "rfc7162",
        false,
        r#"* OK [HIGHESTMODSEQ 90060115205545359] Highest mailbox mod- sequence"#,
    ),
    ("rfc7162", false, r#"B04 OK [READ-WRITE] mailbox selected"#),
    (
        "rfc7162",
        false,
        r#"* 1 FETCH (UID 404 MODSEQ (65402) FLAGS (\Seen))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 2 FETCH (UID 406 MODSEQ (75403) FLAGS (\Deleted))"#,
    ),
    (
        "rfc7162",
        false,
        r#"* 4 FETCH (UID 408 MODSEQ (29738) FLAGS ($NoJunk $AutoJunk $MDNSent))"#,
    ),
    ("rfc7162", false, r#"* SEARCH 404 406 407 408 410 412"#),
    ("rfc7162", false, r#"s101 OK search completed"#),
    ("rfc7162", false, r#"* VANISHED (EARLIER) 300:310,405,411"#),
    (
        "rfc7162",
        false,
        r#"A202 OK [HIGHESTMODSEQ 20010715194045319] expunged"#,
    ),
    ("rfc7162", false, r#"* VANISHED 405,407,410,425"#),
    (
        "rfc7162",
        false,
        r#"B202 OK [HIGHESTMODSEQ 20010715194045319] expunged"#,
    ),
    ("rfc7162", false, r#"A202 OK done"#),
    (
        "rfc7162",
        false,
        r#". OK [HIGHESTMODSEQ 20010715194045319] Ok"#,
    ),
    ("rfc7162", false, r#"* VANISHED 505,507,510,625"#),
    ("rfc7162", false, r#"* VANISHED 504,508"#),
    ("rfc7162", false, r#"A210 OK EXPUNGE completed"#),
    ("rfc7162", false, r#"* VANISHED 1"#),
    ("rfc7162", false, r#"* VANISHED 3"#),
    ("rfc7162", false, r#"* VANISHED 5"#),
    ("rfc7162", false, r#"* 1 FETCH (UID 6 MODSEQ (103))"#),
    ("rfc7162", false, r#"* 2 FETCH (UID 7 MODSEQ (101))"#),
    (
        "rfc7162",
        false,
        r#"* OK [HIGHESTMODSEQ 99] VANISHED reply with MODSEQ 100 is delayed"#,
    ),
    ("rfc7162", false, r#"A150 OK [MODIFIED 3] done"#),
    ("rfc7162", false, r#"* 3 FETCH (UID 8 MODSEQ (104))"#),
    (
        "rfc7162",
        false,
        r#"A151 OK [HIGHESTMODSEQ 99] Still delaying VANISHED"#,
    ),
    ("rfc7162", false, r#"* VANISHED 8"#),
    ("rfc7162", false, r#"A153 OK [HIGHESTMODSEQ 104] done"#),
    ("rfc7162", false, r#"* OK [UIDNEXT 201] Predicted next UID"#),
    (
        "rfc7162",
        false,
        r#"* OK [HIGHESTMODSEQ 20010715194045007] Highest mailbox mod-sequence"#,
    ),
    ("rfc7162", false, r#"* VANISHED (EARLIER) 1:5,7:8,10:15"#),
    (
        "rfc7162",
        false,
        r#"* 2 FETCH (UID 6 MODSEQ (20010715205008000) FLAGS (\Deleted))"#,
    ),
    (
        "rfc4731",
        false,
        r#"* ESEARCH (TAG "a1") MIN 2 MODSEQ 917162488"#,
    ),
    ("rfc4731", false, r#"a1 OK Search complete"#),
    (
        "rfc4731",
        false,
        r#"* ESEARCH (TAG "a2") MAX 23 MODSEQ 907162321"#,
    ),
    ("rfc4731", false, r#"a2 OK Search complete"#),
    (
        "rfc4731",
        false,
        r#"* ESEARCH (TAG "a3") MIN 2 MAX 23 MODSEQ 917162488"#,
    ),
    ("rfc4731", false, r#"a3 OK Search complete"#),
    (
        "rfc4731",
        false,
        r#"* ESEARCH (TAG "a4") MIN 2 COUNT 10 MODSEQ 917162500"#,
    ),
    ("rfc4731", false, r#"a4 OK Search complete"#),
    ("rfc5258", false, r#"* LIST (\Remote) "/" "Bread""#),
    ("rfc5258", false, r#"* LIST () "/" "INBOX""#),
    ("rfc5258", false, r#"* LIST (\NoInferiors) "/" "Drafts""#),
    ("rfc5258", false, r#"* LIST () "/" "Sent/March2004""#),
    (
        "rfc5258",
        false,
        r#"* LIST (\Marked) "/" "Sent/December2003""#,
    ),
    ("rfc5258", false, r#"* LIST () "/" "Sent/August2004""#),
    ("rfc5258", false, r#"BBB OK done"#),
    (
        "rfc6154",
        false,
        r#"* LIST (\Marked \HasNoChildren) "/" Inbox"#,
    ),
    ("rfc6154", false, r#"* LIST (\HasNoChildren) "/" ToDo"#),
    ("rfc6154", false, r#"* LIST (\HasChildren) "/" Projects"#),
    (
        "rfc6154",
        false,
        r#"* LIST (\Sent \HasNoChildren) "/" SentMail"#,
    ),
    (
        "rfc6154",
        false,
        r#"* LIST (\Marked \Drafts \HasNoChildren) "/" MyDrafts"#,
    ),
    (
        "rfc6154",
        false,
        r#"* LIST (\Trash \HasNoChildren) "/" Trash"#,
    ),
    ("rfc6154", false, r#"t1 OK done"#),
    ("rfc6154", false, r#"* CAPABILITY IMAP4rev1 SPECIAL-USE"#),
    ("rfc6154", false, r#"* LIST (\Marked) "/" Inbox"#),
    ("rfc6154", false, r#"* LIST () "/" ToDo"#),
    ("rfc6154", false, r#"* LIST () "/" Projects"#),
    ("rfc6154", false, r#"* LIST (\Sent) "/" SentMail"#),
    ("rfc6154", false, r#"* LIST (\Marked \Drafts) "/" MyDrafts"#),
    ("rfc6154", false, r#"* LIST (\Trash) "/" Trash"#),
    ("rfc6154", false, r#"t2 OK done"#),
    ("rfc6154", false, r#"t3 OK done"#),
    (
        "rfc6154",
        false,
        r#"* CAPABILITY IMAP4rev1 CREATE-SPECIAL-USE"#,
    ),
    ("rfc6154", false, r#"t2 OK MySpecial created"#),
    ("rfc6154", false, r#"t3 NO [USEATTR] \All not supported"#),
    ("rfc6154", false, r#"* LIST (\Drafts) "/" MyDrafts"#),
    ("rfc6154", false, r#"* LIST () "/" SavedDrafts"#),
    (
        "rfc6154",
        false,
        r#"* METADATA "MyDrafts" (/private/specialuse "\\Drafts")"#,
    ),
    (
        "rfc6154",
        false,
        r#"* METADATA "MyDrafts" (/private/specialuse NIL)"#,
    ),
    ("rfc6154", false, r#"t3 OK SETMETADATA complete"#),
    ("rfc6154", false, r#"t4 OK SETMETADATA complete"#),
    ("rfc6154", false, r#"* LIST () "/" SentMail"#),
    ("rfc6154", false, r#"* LIST () "/" MyDrafts"#),
    ("rfc6154", false, r#"* LIST (\Drafts) "/" SavedDrafts"#),
    ("rfc6154", false, r#"t5 OK done"#),
    ("rfc2342", false, r#"A003 OK CREATE command completed"#),
    ("rfc2971", false, r#"* ID NIL"#),
    ("rfc2971", false, r#"a023 OK ID completed"#),
    (
        "rfc2971",
        false,
        r#"* ID ("name" "Cyrus" "version" "1.5" "os" "sunos" "os-version" "5.5" "support-url" "mailto:cyrus-bugs+@andrew.cmu.edu")"#,
    ),
    ("rfc2971", false, r#"a042 OK ID command completed"#),
    (
        "rfc9208",
        false,
        r#"* QUOTA "!partition/sda4" (STORAGE 104 10923847)"#,
    ),
    ("rfc9208", false, r#"G0001 OK Getquota complete"#),
    (
        "rfc9208",
        false,
        r##"* QUOTAROOT INBOX "#user/alice" "!partition/sda4""##,
    ),
    (
        "rfc9208",
        false,
        r##"* QUOTA "#user/alice" (MESSAGE 42 1000)"##,
    ),
    ("rfc9208", false, r#"G0002 OK Getquotaroot complete"#),
    (
        "rfc9208",
        false,
        r##"* QUOTA "#user/alice" (STORAGE 54 111 MESSAGE 42 1000)"##,
    ),
    ("rfc9208", false, r#"S0000 OK Getquota completed"#),
    (
        "rfc9208",
        false,
        r##"* QUOTA "#user/alice" (STORAGE 58 512)"##,
    ),
    ("rfc9208", false, r#"S0001 OK Rounded quota"#),
    ("rfc9208", false, r#"S0002 NO Cannot change system limit"#),
    (
        "rfc9208",
        false,
        r#"* STATUS INBOX (MESSAGES 12 DELETED 4 DELETED-STORAGE 8)"#,
    ),
    ("rfc9208", false, r#"S0003 OK Status complete."#),
    ("rfc9208", false, r#"* QUOTA "" (STORAGE 10 512)"#),
    ("rfc9208", false, r#"* QUOTAROOT INBOX """#),
    ("rfc9208", false, r#"* QUOTAROOT comp.mail.mime"#),
    ("rfc9208", false, r#"A003 NO [OVERQUOTA] APPEND Failed"#),
    (
        "rfc9208",
        false,
        r#"* NO [OVERQUOTA] Soft quota has been exceeded"#,
    ),
    (
        "rfc9208",
        false,
        r#"A004 OK [COPYUID 38505 304,319:320 3956:3958] COPY command completed"#,
    ),
    (
        "rfc5464",
        false,
        r#"* METADATA "" (/shared/comment "Shared comment")"#,
    ),
    ("rfc5464", false, r#"a OK GETMETADATA complete"#),
    (
        "rfc5464",
        false,
        r#"* METADATA "INBOX" (/private/comment "My own comment")"#,
    ),
    (
        "rfc5464",
        false,
        r#"* METADATA "INBOX" (/shared/comment "Shared comment" /private/comment "My own comment")"#,
    ),
    (
        "rfc5464",
        false,
        r#"a OK [METADATA LONGENTRIES 2199] GETMETADATA complete"#,
    ),
    (
        "rfc5464",
        false,
        r#"* METADATA "INBOX" (/private/filters/values/small "SMALLER 5000" /private/filters/values/boss "FROM \"boss@example.com\"")"#,
    ),
    ("rfc5464", false, r#"+ ready for data"#),
    ("rfc5464", false, r#"a OK SETMETADATA complete"#),
    (
        "rfc5464",
        false,
        r#"a NO [METADATA TOOMANY] SETMETADATA failed"#,
    ),
    (
        "rfc5464",
        false,
        r#"* METADATA "" (/shared/comment "My comment")"#,
    ),
    (
        "rfc5464",
        false,
        r#"* METADATA "INBOX" (/private/comment "My comment" /shared/comment "Its sunny outside!")"#,
    ),
    (
        "rfc5464",
        false,
        r#"* METADATA "INBOX" (/private/comment "My comment")"#,
    ),
    (
        "rfc5464",
        false,
        r#"* METADATA "INBOX" (/shared/comment "Its sunny outside!")"#,
    ),
    ("rfc5464", false, r#"* METADATA "" /shared/comment"#),
    ("rfc5464", false, r#"a OK NOOP complete"#),
    (
        "rfc5464",
        false,
        r#"* METADATA "INBOX" /shared/comment /private/comment"#,
    ),
    ("rfc5256", false, r#"* SORT 2 84 882"#),
    ("rfc5256", false, r#"A282 OK SORT completed"#),
    ("rfc5256", false, r#"* SORT 5 3 4 1 2"#),
    ("rfc5256", false, r#"A283 OK SORT completed"#),
    ("rfc5256", false, r#"* SORT"#),
    ("rfc5256", false, r#"A284 OK SORT completed"#),
    (
        "rfc5256",
        true,
        r#"* THREAD (166)(167)(168)(169)(172)(170)(171) (173)(174 (175)(176)(178)(181)(180))(179)(177 (183)(182)(188)(184)(185)(186)(187)(189))(190) (191)(192)(193)(194 195)(196 (197)(198))(199) (200 202)(201)(203)(204)(205)(206 207)(208)"#,
    ),
    ("rfc5256", false, r#"A283 OK THREAD completed"#),
    ("rfc5256", false, r#"* THREAD"#),
    ("rfc5256", false, r#"A284 OK THREAD completed"#),
    (
        "rfc5256",
        true,
        r#"* THREAD (166)(167)(168)(169)(172)((170)(179)) (171)(173)((174)(175)(176)(178)(181)(180)) ((177)(183)(182)(188 (184)(189))(185 186)(187)) (190)(191)(192)(193)((194)(195 196))(197 198) (199)(200 202)(201)(203)(204)(205 206 207)(208)"#,
    ),
    ("rfc5256", false, r#"A285 OK THREAD completed"#),
    (
        "rfc5161",
        false,
        r#"* CAPABILITY IMAP4rev1 ID LITERAL+ ENABLE X-GOOD-IDEA"#,
    ),
    ("rfc5530", true, r#"e OK [CONTACTADMIN]"#),
    ("rfc5530", false, r#"* SEARCH 1 2 3 5 8 13 21 42"#),
    (
        "rfc5530",
        false,
        r#"o NO [ALREADYEXISTS] Mailbox "that" already exists"#,
    ),
    (
        "rfc8474",
        false,
        r#"3 OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Completed"#,
    ),
    (
        "rfc8474",
        false,
        r#"4 OK [MAILBOXID (F6352ae03-b7f5-463c-896f-d8b48ee3)] Completed"#,
    ),
    ("rfc8474", false, r#"5 NO Mailbox already exists"#),
    ("rfc8474", false, r#"27 OK [READ-WRITE] Completed"#),
    (
        "rfc8474",
        false,
        r#"* STATUS foo (MAILBOXID (F2212ea87-6097-4256-9d51-71338625))"#,
    ),
    ("rfc8474", false, r#"6 OK Completed"#),
    (
        "rfc8474",
        false,
        r#"* STATUS bar (MAILBOXID (F6352ae03-b7f5-463c-896f-d8b48ee3))"#,
    ),
    ("rfc8474", false, r#"7 OK Completed"#),
    ("rfc8474", false, r#"* OK rename foo renamed"#),
    ("rfc8474", false, r#"8 OK Completed"#),
    (
        "rfc8474",
        false,
        r#"* STATUS renamed (MAILBOXID (F2212ea87-6097-4256-9d51-71338625))"#,
    ),
    ("rfc8474", false, r#"9 OK Completed"#),
    ("rfc8474", false, r#"10 OK Completed"#),
    ("rfc8474", false, r#"* LIST (\HasNoChildren) "." INBOX"#),
    (
        "rfc8474",
        false,
        r#"* STATUS INBOX (MAILBOXID (Ff8e3ead4-9389-4aff-adb1-d8d89efd8cbf))"#,
    ),
    ("rfc8474", false, r#"* LIST (\HasNoChildren) "." bar"#),
    ("rfc8474", false, r#"* LIST (\HasNoChildren) "." renamed"#),
    ("rfc8474", false, r#"11 OK Completed (0.001 secs 3 calls)"#),
    (
        "rfc8474",
        false,
        r#"5 OK [APPENDUID 1521475658 1] Completed"#,
    ),
    (
        "rfc8474",
        false,
        r#"11 OK [APPENDUID 1521475658 2] Completed"#,
    ),
    (
        "rfc8474",
        false,
        r#"17 OK [APPENDUID 1521475658 3] Completed"#,
    ),
    (
        "rfc8474",
        false,
        r#"* 1 FETCH (EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9))"#,
    ),
    (
        "rfc8474",
        false,
        r#"* 2 FETCH (EMAILID (M288836c4c7a762) THREADID (T64b478a75b7ea9))"#,
    ),
    (
        "rfc8474",
        false,
        r#"* 3 FETCH (EMAILID (M5fdc09b49ea703) THREADID (T11863d02dd95b5))"#,
    ),
    ("rfc8474", false, r#"22 OK Completed (0.000 sec)"#),
    (
        "rfc8474",
        false,
        r#"* OK [COPYUID 1521475659 2 1] Completed"#,
    ),
    ("rfc8474", false, r#"23 OK Completed"#),
    (
        "rfc8474",
        false,
        r#"* 2 FETCH (EMAILID (M5fdc09b49ea703) THREADID (T11863d02dd95b5))"#,
    ),
    ("rfc8474", false, r#"24 OK Completed (0.000 sec)"#),
    ("rfc8474", false, r#"25 OK [READ-WRITE] Completed"#),
    (
        "rfc8474",
        false,
        r#"* 1 FETCH (EMAILID (M288836c4c7a762) THREADID (T64b478a75b7ea9))"#,
    ),
    ("rfc8474", false, r#"26 OK Completed (0.000 sec)"#),
    (
        "rfc8474",
        false,
        r#"* 1 FETCH (EMAILID (M00000001) THREADID NIL)"#,
    ),
    (
        "rfc8474",
        false,
        r#"* 2 FETCH (EMAILID (M00000002) THREADID NIL)"#,
    ),
    ("rfc8474", false, r#"* SEARCH 1"#),
    (
        "rfc8474",
        false,
        r#"27 OK Completed (1 msgs in 0.000 secs)"#,
    ),
    ("rfc8474", false, r#"* SEARCH 1 2"#),
    (
        "rfc8474",
        false,
        r#"28 OK Completed (2 msgs in 0.000 secs)"#,
    ),
    (
        "rfc8438",
        false,
        r#"* STATUS frop (MESSAGES 8 SIZE 44421 UIDNEXT 242344)"#,
    ),
    ("rfc8438", false, r#"A01 OK STATUS completed"#),
    ("rfc8438", false, r#"* 8 EXISTS"#),
    ("rfc8438", false, r#"* OK [UNSEEN 7] First unseen."#),
    (
        "rfc8438",
        false,
        r#"* OK [UIDVALIDITY 1364851417] UIDs valid"#,
    ),
    (
        "rfc8438",
        false,
        r#"* OK [UIDNEXT 242344] Predicted next UID"#,
    ),
    ("rfc8438", false, r#"* OK [HIGHESTMODSEQ 3914] Highest"#),
    ("rfc8438", false, r#"A02 OK [READ-WRITE] Select completed."#),
    ("rfc8438", false, r#"* 1 FETCH (RFC822.SIZE 3224)"#),
    ("rfc8438", false, r#"* 2 FETCH (RFC822.SIZE 1222)"#),
    ("rfc8438", false, r#"* 3 FETCH (RFC822.SIZE 444)"#),
    ("rfc8438", false, r#"* 4 FETCH (RFC822.SIZE 4516)"#),
    ("rfc8438", false, r#"* 5 FETCH (RFC822.SIZE 544)"#),
    ("rfc8438", false, r#"* 6 FETCH (RFC822.SIZE 922)"#),
    ("rfc8438", false, r#"* 7 FETCH (RFC822.SIZE 31126)"#),
    ("rfc8438", false, r#"* 8 FETCH (RFC822.SIZE 2423)"#),
    ("rfc8438", false, r#"A03 OK Fetch completed."#),
    ("rfc8438", false, r#"* LIST () "." "INBOX""#),
    (
        "rfc8438",
        false,
        r#"* STATUS "INBOX" (MESSAGES 17 SIZE 16234)"#,
    ),
    ("rfc8438", false, r#"* LIST () "." "frop""#),
    (
        "rfc8438",
        false,
        r#"* STATUS "frop" (MESSAGES 8 SIZE 44421)"#,
    ),
    ("rfc8438", false, r#"A04 OK List completed."#),
    (
        "rfc7889",
        false,
        r#"* CAPABILITY IMAP4rev1 ID APPENDLIMIT=257890"#,
    ),
    ("rfc7889", false, r#"* CAPABILITY IMAP4rev1 ID APPENDLIMIT"#),
    ("rfc7889", false, r#"* STATUS INBOX (APPENDLIMIT 257890)"#),
    ("rfc7889", false, r#"t1 OK STATUS completed"#),
    ("rfc7889", false, r#"* STATUS "INBOX" (APPENDLIMIT 257890)"#),
    ("rfc7889", false, r#"t1 OK List completed."#),
    ("rfc3348", false, r#"* LIST (\HasNoChildren) "/" INBOX"#),
    ("rfc3348", false, r#"* LIST (\HasChildren) "/" ITEM_1"#),
    (
        "rfc3348",
        false,
        r#"* LIST (\HasNoChildren) "/" ITEM_1/ITEM_1A"#,
    ),
    ("rfc3348", false, r#"* LIST (\HasChildren) "/" ITEM_2"#),
    ("rfc3348", false, r#"A001 OK LIST Completed"#),
    ("rfc2177", false, r#"* FLAGS (Deleted Seen)"#),
    ("rfc2177", false, r#"* 0 RECENT"#),
    ("rfc2177", false, r#"A001 OK SELECT completed"#),
    ("rfc5182", false, r#"* SEARCH 17 900 901"#),
    ("rfc5182", false, r#"* SEARCH 882 1102 3003 3005 3006"#),
    ("rfc3691", false, r#"A341 OK Unselect completed"#),
    (
        "rfc4978",
        true,
        r#"* OK [CAPABILITY IMAP4REV1 STARTTLS COMPRESS=DEFLATE]"#,
    ),
    ("rfc4978", false, r#"a OK TLS active"#),
    ("rfc4978", false, r#"b OK Logged in as arnt"#),
    ("rfc4978", false, r#"d OK DEFLATE active"#),
    (
        "rfc4978",
        false,
        r#"c NO [COMPRESSIONACTIVE] DEFLATE active via TLS"#,
    ),
    (
        "rfc4959",
        false,
        r#"* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN"#,
    ),
    (
        "rfc4959",
        false,
        r#"* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=EXTERNAL"#,
    ),
    (
        "rfc3502",
        false,
        r#"A004 NO [TRYCREATE] No such mailbox as bogusname"#,
    ),
    (
        "rfc3502",
        false,
        r#"A005 NO APPEND failed: Disk quota exceeded"#,
    ),
];

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
        matches!(t.text.code, Some(Code::Other(ref o)) if o.name.as_str() == "UIDNEXT" && o.value.as_deref() == Some(&b"x"[..]))
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

mod strategies {
    use bytes::Bytes;
    use imap_proto::response::*;
    use imap_proto::types::{
        AString, Atom, Date, DateTime, Flag, IString, MailboxName, NString, Section, SectionText,
        SequenceSet, Tag,
    };
    use proptest::collection::vec;
    use proptest::prelude::*;

    pub(super) fn istring() -> impl Strategy<Value = IString> {
        prop_oneof![
            "[a-zA-Z0-9 ._-]{0,12}".prop_map(|s| IString::try_from(s.as_str()).unwrap()),
            vec(1u8..=255, 0..24).prop_map(|v| IString::new(Bytes::from(v)).unwrap()),
        ]
    }

    pub(super) fn nstring() -> impl Strategy<Value = NString> {
        proptest::option::of(istring()).prop_map(NString)
    }

    pub(super) fn astring() -> impl Strategy<Value = AString> {
        istring().prop_map(AString)
    }

    pub(super) fn text() -> impl Strategy<Value = Text> {
        "([a-zA-Z0-9.,()] ?){0,10}".prop_map(|s| Text::try_from(s.as_str()).unwrap())
    }

    fn nz() -> impl Strategy<Value = u32> {
        1u32..
    }

    fn n64() -> impl Strategy<Value = u64> {
        0..=i64::MAX as u64
    }

    pub(super) fn seqset() -> impl Strategy<Value = SequenceSet> {
        vec(
            (
                nz(),
                proptest::option::of(prop_oneof![
                    nz().prop_map(|n| n.to_string()),
                    Just("*".to_owned())
                ]),
            ),
            1..4,
        )
        .prop_map(|v| {
            let s: Vec<String> = v
                .into_iter()
                .map(|(a, b)| match b {
                    Some(b) => format!("{a}:{b}"),
                    None => a.to_string(),
                })
                .collect();
            SequenceSet::parse(s.join(",").as_bytes(), 100).unwrap()
        })
    }

    pub(super) fn flag(wildcard: bool) -> impl Strategy<Value = Flag> {
        let mut v = vec![
            Flag::Seen,
            Flag::Answered,
            Flag::Flagged,
            Flag::Deleted,
            Flag::Draft,
            Flag::Recent,
        ];
        if wildcard {
            v.push(Flag::Wildcard);
        }
        prop_oneof![
            proptest::sample::select(v),
            "\\$?[A-Za-z][A-Za-z0-9_]{0,8}".prop_map(|s| Flag::keyword(&s).unwrap()),
            "X[A-Za-z]{1,6}".prop_map(|s| Flag::Extension(Atom::try_from(s.as_str()).unwrap())),
        ]
    }

    pub(super) fn capability() -> impl Strategy<Value = Capability> {
        prop_oneof![
            proptest::sample::select(vec![
                "IMAP4rev1",
                "IMAP4rev2",
                "IDLE",
                "LITERAL+",
                "AUTH=PLAIN",
                "THREAD=REFS",
                "COMPRESS=DEFLATE",
                "QUOTA=RES-STORAGE",
                "APPENDLIMIT=1000",
                "APPENDLIMIT",
                "X-GM-EXT-1",
                "CONDSTORE",
                "SORT=DISPLAY",
                "UTF8=ACCEPT",
                "STATUS=SIZE",
            ])
            .prop_map(|s| Capability::from_atom(Atom::try_from(s).unwrap())),
            "X-[A-Z]{1,6}".prop_map(|s| Capability::from_atom(Atom::try_from(s.as_str()).unwrap())),
        ]
    }

    pub(super) fn objectid() -> impl Strategy<Value = ObjectId> {
        "[A-Za-z0-9_-]{1,20}".prop_map(|s| ObjectId::new(Bytes::from(s)).unwrap())
    }

    pub(super) fn code() -> impl Strategy<Value = Code> {
        prop_oneof![
            proptest::sample::select(vec![
                Code::Alert,
                Code::CompressionActive,
                Code::UseAttr,
                Code::NotSaved,
                Code::Parse,
                Code::ReadOnly,
                Code::ReadWrite,
                Code::TryCreate,
                Code::UidNotSticky,
                Code::NoModSeq,
                Code::Closed,
                Code::AuthenticationFailed,
                Code::OverQuota,
                Code::AlreadyExists,
                Code::NonExistent,
                Code::TooBig,
                Code::UnknownCte,
                Code::HasChildren,
                Code::Cannot,
                Code::Metadata(MetadataCode::TooMany),
            ]),
            any::<u32>().prop_map(Code::UidNext),
            any::<u32>().prop_map(Code::UidValidity),
            any::<u32>().prop_map(Code::Unseen),
            n64().prop_map(Code::HighestModSeq),
            any::<u32>().prop_map(|n| Code::Metadata(MetadataCode::MaxSize(n))),
            seqset().prop_map(Code::Modified),
            (any::<u32>(), seqset())
                .prop_map(|(uidvalidity, uids)| Code::AppendUid { uidvalidity, uids }),
            (any::<u32>(), seqset(), seqset()).prop_map(|(uidvalidity, source, dest)| {
                Code::CopyUid {
                    uidvalidity,
                    source,
                    dest,
                }
            }),
            vec(flag(true), 0..5).prop_map(Code::PermanentFlags),
            vec(capability(), 0..5).prop_map(Code::Capability),
            vec(astring(), 0..3).prop_map(Code::BadCharset),
            objectid().prop_map(Code::MailboxId),
            (
                "X-[A-Z]{1,6}",
                proptest::option::of("[a-z0-9][a-z0-9 ]{0,8}")
            )
                .prop_map(|(n, v)| {
                    Code::other(Atom::try_from(n.as_str()).unwrap(), v.map(Bytes::from))
                }),
        ]
    }

    pub(super) fn status_text() -> impl Strategy<Value = StatusText> {
        (proptest::option::of(code()), text()).prop_map(|(code, text)| StatusText { code, text })
    }

    pub(super) fn mailbox() -> impl Strategy<Value = Mailbox> {
        prop_oneof![
            Just(Mailbox::Name(MailboxName::inbox())),
            "[^\u{0}]{0,10}".prop_map(|s| Mailbox::Name(MailboxName::new(s).unwrap())),
        ]
    }

    pub(super) fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Nil),
            n64().prop_map(Value::Number),
            istring().prop_map(Value::String),
            "[A-Z][A-Z0-9.:]{0,5}"
                .prop_filter("NIL", |s| s != "NIL")
                .prop_map(|s| Value::Atom(Token::new(Bytes::from(s)).unwrap())),
        ];
        leaf.prop_recursive(3, 12, 4, |inner| vec(inner, 0..4).prop_map(Value::List))
    }

    pub(super) fn datetime() -> impl Strategy<Value = DateTime> {
        (
            1970u16..2100,
            1u8..=12,
            1u8..=28,
            0u8..24,
            0u8..60,
            0u8..60,
            -720i16..=840,
        )
            .prop_map(
                |(y, mo, d, hour, minute, second, offset_minutes)| DateTime {
                    date: Date::new(y, mo, d).unwrap(),
                    hour,
                    minute,
                    second,
                    offset_minutes,
                },
            )
    }

    pub(super) fn address() -> impl Strategy<Value = Address> {
        (nstring(), nstring(), nstring(), nstring()).prop_map(|(name, adl, mailbox, host)| {
            Address {
                name,
                adl,
                mailbox,
                host,
            }
        })
    }

    pub(super) fn envelope() -> impl Strategy<Value = Envelope> {
        let addrs = || vec(address(), 0..3);
        (
            (nstring(), nstring(), addrs(), addrs(), addrs()),
            (addrs(), addrs(), addrs(), nstring(), nstring()),
        )
            .prop_map(
                |(
                    (date, subject, from, sender, reply_to),
                    (to, cc, bcc, in_reply_to, message_id),
                )| {
                    Envelope {
                        date,
                        subject,
                        from,
                        sender,
                        reply_to,
                        to,
                        cc,
                        bcc,
                        in_reply_to,
                        message_id,
                    }
                },
            )
    }

    fn params() -> impl Strategy<Value = Vec<(IString, IString)>> {
        vec((istring(), istring()), 0..3)
    }

    fn dsp_ext() -> impl Strategy<Value = Option<DispositionExt>> {
        let loc = proptest::option::of((nstring(), vec(value(), 0..3)).prop_map(
            |(location, extensions)| LocationExt {
                location,
                extensions,
            },
        ));
        let lang = proptest::option::of(
            (vec(istring(), 0..3), loc).prop_map(|(language, loc)| LanguageExt { language, loc }),
        );
        let disp = proptest::option::of(
            (istring(), params()).prop_map(|(kind, params)| Disposition { kind, params }),
        );
        proptest::option::of(
            (disp, lang).prop_map(|(disposition, lang)| DispositionExt { disposition, lang }),
        )
    }

    /// A body size or line count as the grammar has it (32 bits; larger
    /// ones are a quirk, see `quirk_large_body_numbers`).
    fn body_num() -> impl Strategy<Value = u64> {
        0..=u64::from(u32::MAX)
    }

    fn fields() -> impl Strategy<Value = BasicFields> {
        (params(), nstring(), nstring(), istring(), body_num()).prop_map(
            |(params, id, description, encoding, size)| BasicFields {
                params,
                id,
                description,
                encoding,
                size,
            },
        )
    }

    pub(super) fn body() -> impl Strategy<Value = BodyStructure> {
        let single_ext = proptest::option::of(
            (nstring(), dsp_ext()).prop_map(|(md5, dsp)| SinglePartExt { md5, dsp }),
        );
        let leaf = (
            prop_oneof![
                (
                    proptest::sample::select(vec!["APPLICATION", "image", "Audio", "video"]),
                    istring()
                )
                    .prop_map(|(t, subtype)| SingleKind::Basic {
                        media_type: IString::try_from(t).unwrap(),
                        subtype
                    }),
                (istring(), body_num())
                    .prop_map(|(subtype, lines)| SingleKind::Text { subtype, lines }),
            ],
            fields(),
            single_ext,
        )
            .prop_map(|(kind, fields, ext)| {
                BodyStructure::Single(SinglePart { kind, fields, ext })
            });
        leaf.prop_recursive(4, 16, 3, |inner| {
            prop_oneof![
                (
                    vec(inner.clone(), 1..3),
                    istring(),
                    proptest::option::of(
                        (params(), dsp_ext())
                            .prop_map(|(params, dsp)| MultiPartExt { params, dsp })
                    ),
                )
                    .prop_map(|(parts, subtype, ext)| BodyStructure::Multi {
                        parts,
                        subtype,
                        ext
                    }),
                (
                    envelope(),
                    inner,
                    fields(),
                    body_num(),
                    proptest::sample::select(vec!["RFC822", "global"])
                )
                    .prop_map(|(envelope, body, fields, lines, st)| {
                        BodyStructure::Single(SinglePart {
                            kind: SingleKind::Message {
                                subtype: IString::try_from(st).unwrap(),
                                envelope: Some(Box::new(envelope)),
                                body: Some(Box::new(body)),
                                lines,
                            },
                            fields,
                            ext: None,
                        })
                    }),
            ]
        })
    }

    fn section() -> impl Strategy<Value = Section> {
        (
            vec(nz(), 0..3),
            prop_oneof![
                Just(SectionText::Full),
                Just(SectionText::Header),
                Just(SectionText::Text),
                vec(
                    "[A-Za-z-]{1,8}".prop_map(|s| AString::try_from(s.as_str()).unwrap()),
                    1..3
                )
                .prop_map(SectionText::HeaderFields),
            ],
        )
            .prop_map(|(part, text)| {
                let text = if part.is_empty() {
                    text
                } else if text == SectionText::Full {
                    SectionText::Mime
                } else {
                    text
                };
                let text = if part.is_empty() && text == SectionText::Mime {
                    SectionText::Full
                } else {
                    text
                };
                Section { part, text }
            })
    }

    pub(super) fn fetch_item() -> impl Strategy<Value = FetchItem> {
        prop_oneof![
            nz().prop_map(FetchItem::Uid),
            vec(flag(false), 0..4).prop_map(FetchItem::Flags),
            datetime().prop_map(FetchItem::InternalDate),
            n64().prop_map(FetchItem::Rfc822Size),
            nstring().prop_map(FetchItem::Rfc822),
            nstring().prop_map(FetchItem::Rfc822Header),
            envelope().prop_map(|e| FetchItem::Envelope(Box::new(e))),
            body().prop_map(|b| FetchItem::BodyStructure(Box::new(b))),
            body().prop_map(|b| FetchItem::Body(Box::new(b))),
            (section(), proptest::option::of(n64()), nstring()).prop_map(
                |(section, origin, data)| FetchItem::BodySection {
                    section,
                    origin,
                    data
                }
            ),
            (
                vec(nz(), 0..3),
                proptest::option::of(n64()),
                proptest::option::of(vec(any::<u8>(), 0..20))
            )
                .prop_map(|(part, origin, data)| FetchItem::Binary {
                    part,
                    origin,
                    data: data.map(Bytes::from)
                }),
            (vec(nz(), 0..3), n64()).prop_map(|(part, size)| FetchItem::BinarySize { part, size }),
            n64().prop_map(FetchItem::ModSeq),
            objectid().prop_map(FetchItem::EmailId),
            proptest::option::of(objectid()).prop_map(FetchItem::ThreadId),
            proptest::option::of(datetime()).prop_map(FetchItem::SaveDate),
            n64().prop_map(FetchItem::GmMsgId),
            n64().prop_map(FetchItem::GmThrId),
            vec(
                prop_oneof![
                    "[A-Z][a-z]{1,6}"
                        .prop_map(|s| GmLabel::System(Atom::try_from(s.as_str()).unwrap())),
                    astring().prop_map(GmLabel::Label),
                ],
                0..3
            )
            .prop_map(FetchItem::GmLabels),
            ("X-[A-Z]{1,6}", value()).prop_map(|(n, value)| FetchItem::Other {
                name: Token::new(Bytes::from(n)).unwrap(),
                value
            }),
        ]
    }

    fn list_item() -> impl Strategy<Value = ListItem> {
        (
            vec(
                prop_oneof![
                    proptest::sample::select(vec![
                        MailboxAttr::NoSelect,
                        MailboxAttr::HasChildren,
                        MailboxAttr::HasNoChildren,
                        MailboxAttr::Sent,
                        MailboxAttr::Trash,
                        MailboxAttr::Subscribed,
                        MailboxAttr::NonExistent,
                    ]),
                    "X[a-z]{1,6}"
                        .prop_map(|s| MailboxAttr::from_atom(Atom::try_from(s.as_str()).unwrap())),
                ],
                0..4,
            ),
            proptest::option::of(proptest::sample::select(vec![b'/', b'.', b'"', b'\\'])),
            mailbox(),
            vec(
                prop_oneof![
                    vec(istring(), 1..3).prop_map(ListExtItem::ChildInfo),
                    mailbox().prop_map(ListExtItem::OldName),
                    ("X-[A-Z]{1,5}", value()).prop_map(|(t, value)| ListExtItem::Other {
                        tag: AString::try_from(t.as_str()).unwrap(),
                        value
                    }),
                ],
                0..3,
            ),
        )
            .prop_map(|(attributes, delimiter, mailbox, extended)| ListItem {
                attributes,
                delimiter,
                mailbox,
                extended,
            })
    }

    fn status_item() -> impl Strategy<Value = StatusItem> {
        prop_oneof![
            any::<u32>().prop_map(StatusItem::Messages),
            any::<u32>().prop_map(StatusItem::Recent),
            any::<u32>().prop_map(StatusItem::UidNext),
            any::<u32>().prop_map(StatusItem::UidValidity),
            any::<u32>().prop_map(StatusItem::Unseen),
            any::<u32>().prop_map(StatusItem::Deleted),
            n64().prop_map(StatusItem::Size),
            n64().prop_map(StatusItem::HighestModSeq),
            proptest::option::of(n64()).prop_map(StatusItem::AppendLimit),
            objectid().prop_map(StatusItem::MailboxId),
            ("X-[A-Z]{1,5}", value()).prop_map(|(n, value)| StatusItem::Other {
                name: Atom::try_from(n.as_str()).unwrap(),
                value
            }),
        ]
    }

    fn esearch() -> impl Strategy<Value = ESearch> {
        (
            proptest::option::of(istring()),
            any::<bool>(),
            vec(
                prop_oneof![
                    nz().prop_map(ESearchItem::Min),
                    nz().prop_map(ESearchItem::Max),
                    any::<u32>().prop_map(ESearchItem::Count),
                    seqset().prop_map(ESearchItem::All),
                    n64().prop_map(ESearchItem::ModSeq),
                    ("X-[A-Z]{1,5}", value()).prop_map(|(n, value)| ESearchItem::Other {
                        name: Atom::try_from(n.as_str()).unwrap(),
                        value
                    }),
                ],
                0..4,
            ),
        )
            .prop_map(|(tag, uid, items)| ESearch { tag, uid, items })
    }

    fn thread() -> impl Strategy<Value = Thread> {
        let leaf = vec(nz(), 1..3).prop_map(|members| Thread {
            members,
            children: vec![],
        });
        leaf.prop_recursive(4, 12, 3, |inner| {
            (vec(nz(), 0..3), vec(inner, 1..3))
                .prop_map(|(members, children)| Thread { members, children })
        })
    }

    fn namespace_desc() -> impl Strategy<Value = NamespaceDesc> {
        (
            istring(),
            proptest::option::of(proptest::sample::select(vec![b'/', b'.'])),
            vec((istring(), vec(istring(), 0..2)), 0..2),
        )
            .prop_map(|(prefix, delimiter, extensions)| NamespaceDesc {
                prefix,
                delimiter,
                extensions,
            })
    }

    pub(super) fn data() -> impl Strategy<Value = Data> {
        prop_oneof![
            status_text().prop_map(Data::Ok),
            status_text().prop_map(Data::No),
            status_text().prop_map(Data::Bad),
            status_text().prop_map(Data::PreAuth),
            status_text().prop_map(Data::Bye),
            vec(capability(), 0..6).prop_map(Data::Capability),
            vec(capability(), 0..3).prop_map(Data::Enabled),
            vec(flag(false), 0..6).prop_map(Data::Flags),
            list_item().prop_map(Data::List),
            list_item().prop_map(Data::Lsub),
            (mailbox(), vec(status_item(), 0..5))
                .prop_map(|(mailbox, items)| Data::Status { mailbox, items }),
            (vec(nz(), 0..8), proptest::option::of(n64()))
                .prop_map(|(ids, modseq)| Data::Search { ids, modseq }),
            (vec(nz(), 0..8), proptest::option::of(n64()))
                .prop_map(|(ids, modseq)| Data::Sort { ids, modseq }),
            vec(thread(), 0..4).prop_map(Data::Thread),
            esearch().prop_map(Data::ESearch),
            any::<u32>().prop_map(Data::Exists),
            any::<u32>().prop_map(Data::Recent),
            any::<u32>().prop_map(Data::Expunge),
            (any::<bool>(), seqset()).prop_map(|(earlier, uids)| Data::Vanished { earlier, uids }),
            (any::<u32>(), vec(fetch_item(), 0..5))
                .prop_map(|(seq, items)| Data::Fetch { seq, items }),
            (
                vec(namespace_desc(), 0..2),
                vec(namespace_desc(), 0..2),
                vec(namespace_desc(), 0..2)
            )
                .prop_map(|(personal, other, shared)| Data::Namespace(Namespace {
                    personal,
                    other,
                    shared
                })),
            vec((istring(), nstring()), 0..3).prop_map(Data::Id),
            (
                astring(),
                vec(
                    ("[A-Z]{1,8}", n64(), n64()).prop_map(|(n, usage, limit)| QuotaResource {
                        name: Atom::try_from(n.as_str()).unwrap(),
                        usage,
                        limit
                    }),
                    0..3
                )
            )
                .prop_map(|(root, resources)| Data::Quota { root, resources }),
            (mailbox(), vec(astring(), 0..3))
                .prop_map(|(mailbox, roots)| Data::QuotaRoot { mailbox, roots }),
            (
                mailbox(),
                prop_oneof![
                    vec(
                        (
                            astring(),
                            proptest::option::of(vec(any::<u8>(), 0..10).prop_map(Bytes::from))
                        ),
                        0..3
                    )
                    .prop_map(MetadataData::Values),
                    vec(astring(), 1..3).prop_map(MetadataData::Keys),
                ]
            )
                .prop_map(|(mailbox, data)| Data::Metadata { mailbox, data }),
        ]
    }

    pub(super) fn response() -> impl Strategy<Value = Response> {
        prop_oneof![
            (
                "[A-Za-z0-9.]{1,6}",
                proptest::sample::select(vec![Condition::Ok, Condition::No, Condition::Bad]),
                status_text()
            )
                .prop_map(|(tag, condition, text)| Response::Tagged(Tagged {
                    tag: Tag::try_from(tag.as_str()).unwrap(),
                    condition,
                    text
                })),
            data().prop_map(Response::Untagged),
            (proptest::option::of(code()), "[a-z]{1,6} [a-z ]{0,10}").prop_map(|(code, t)| {
                Response::Continue(Continue::Text(StatusText {
                    code,
                    text: Text::try_from(t.as_str()).unwrap(),
                }))
            }),
            vec(any::<u8>(), 1..30)
                .prop_map(|d| Response::Continue(Continue::Base64(Base64::encode(&d)))),
        ]
    }
}

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

/// Lines of the shapes other servers (Gmail, Exchange, Yahoo, Cyrus /
/// Fastmail, Courier) send, with their known deviations.
const OTHER_SERVERS: &[&str] = &[
    "* OK Gimap ready for requests from 192.0.2.1 h5mb123456",
    "* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER AUTH=XOAUTH",
    "* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"",
    "* LIST (\\HasChildren \\Noselect) \"/\" \"[Gmail]\"",
    "* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334865 X-GM-LABELS (\\Important \\Sent \"Muy importante\" foo) UID 4 FLAGS (\\Seen))",
    "* 2 FETCH (X-GM-LABELS (\"\\\\Important\") UID 5)",
    "* OK [HIGHESTMODSEQ 123456]",
    "* OK The Microsoft Exchange IMAP4 service is ready. [TQBOADIAUABSADAANQBDAEEAMAAwADEANwAuAG4AYQBtAHAAcgBkADAANQAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]",
    "* STATUS INBOX (MESSAGES 5 UNSEEN 0) ",
    "* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 -1 NIL NIL NIL NIL))",
    "* 3 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 12 1 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 4 NIL (\"attachment\" (\"filename\" \"a.pdf\" \"size\" \"3\" \"creation-date\" \"Tue, 01 Aug 2023 10:00:00 GMT\")) NIL NIL) \"mixed\" (\"boundary\" \"b1\") NIL NIL NIL))",
    "* OK [CAPABILITY IMAP4rev1 ID MOVE NAMESPACE XYMHIGHESTMODSEQ UIDPLUS LITERAL+ CHILDREN X-MSG-EXT UNSELECT OBJECTID] IMAP4rev1 imapgate-1.8.1_01.20166 imap1010.mail.ne1.yahoo.com",
    "* STATUS INBOX (MESSAGES 3 UIDNEXT 4 MAILBOXID (P5ca4ae6bcde))",
    "* OK [MAILBOXID (P-1)] Ok",
    "* 1 FETCH (MODSEQ (12) UID 3 EMAILID (Mb53b1d0f) THREADID (T0a8c1b2))",
    "* OK [CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE ACL ACL2=UNION STARTTLS] Courier-IMAP ready. Copyright 1998-2018 Double Precision, Inc.  See COPYING for distribution information.",
    "* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)",
    "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 5 1 NIL NIL NIL)(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 23 1 NIL NIL NIL) \"ALTERNATIVE\" (\"BOUNDARY\" \"x\") NIL NIL))",
    "* 4 FETCH (BODYSTRUCTURE (\"message\" \"delivery-status\" NIL NIL NIL \"7BIT\" 421 NIL NIL NIL NIL))",
    "* NAMESPACE ((\"\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL ((\"#shared\" \".\"))",
    "* 5 FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"x\" NIL NIL NIL ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL \"<x@y>\"))",
    "* 6 FETCH (INTERNALDATE \"07-Feb-1994 21:52:25 -0800\" RFC822.SIZE 44827)",
    "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)",
    "* BYE Connection closed. 14",
    "* OK [REFERRAL imap://user;AUTH=*@SERVER2/] Server not accepting connections.",
    "* LANGUAGE (EN DE IT i-default)",
    "* ACL INBOX user lrswipkxtecda",
    "* 7 FETCH (UID 9 SNIPPET (FUZZY \"Hello there\") PREVIEW \"Hi\")",
];

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
    assert_eq!(other.value.as_deref(), Some(&b"\"a"[..]));
    assert_eq!(status.text.as_bytes(), b"b\" c] text");
}
