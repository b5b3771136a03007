//! The RFC examples (`tests/fixtures/responses/rfc/`) and other servers'
//! lines (`other-servers.txt`): each decodes, round-trips and means what
//! the RFC says.

use super::*;

#[test]
fn every_rfc_example_decodes_and_round_trips() {
    for example in load("responses/rfc") {
        let (rfc, line) = (example.at(), example.text());
        assert_ne!(
            example.strict,
            Strict::Unsaid,
            "{rfc}: refused or accepted?"
        );
        let quirky = example.strict == Strict::Refused;
        let input = format!("{line}\r\n");
        let (r, quirks) = parse(input.as_bytes());
        check_roundtrip(&r);
        assert_eq!(!quirks.is_empty(), quirky, "{rfc}: {line} {quirks:?}");
        if let Some(q) = example.quirk {
            assert!(
                quirks.contains(&q),
                "{rfc}: {line}: {q:?} not in {quirks:?}"
            );
        }
        assert_eq!(
            parse_with(input.as_bytes(), Strictness::Strict).is_err(),
            quirky,
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

#[test]
fn lines_from_other_servers_decode_and_round_trip() {
    for r in load("responses/other-servers.txt") {
        roundtrip(&r.wire());
    }
}
