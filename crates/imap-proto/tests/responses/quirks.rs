//! The quirks of status lines, codes, mailbox names and flags: each
//! accepted leniently (and recorded) and refused strictly.

use super::*;

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
    let r = quirk_case(b"* OK [ALERT]\r\n", Quirk::MissingText);
    assert!(
        matches!(r, Response::Untagged(Data::Ok(StatusText { code: Some(Code::Alert), ref text })) if text.as_bytes().is_empty())
    );
    quirk_case(b"A1 OK\r\n", Quirk::MissingText);
    quirk_case(b"* BYE\r\n", Quirk::MissingText);
    // RFC 9051 allows an empty text after the space.
    assert!(parse_with(b"* OK [ALERT] \r\n", Strictness::Strict).is_ok());
}

#[test]
fn quirk_malformed_code() {
    // The tagged status still reads (a session needs it); the code is kept.
    let r = quirk_case(b"A1 OK [UIDNEXT x] done\r\n", Quirk::MalformedCode);
    let Response::Tagged(t) = r else { panic!() };
    assert!(
        matches!(t.text.code, Some(Code::Other(ref o)) if o.name().as_str() == "UIDNEXT" && o.value().map(|v| &v[..]) == Some(&b"x"[..]))
    );
    // RFC 9051 §6.3.2 shows a UIDVALIDITY above 2^32.
    quirk_case(
        b"* OK [UIDVALIDITY 9877410381] UIDs valid\r\n",
        Quirk::MalformedCode,
    );
    quirk_case(b"* NO [COPYUID] no\r\n", Quirk::MalformedCode);
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
    let r = quirk_case(b"+\r\n", Quirk::BareContinuation);
    assert_eq!(r, Response::Continue(Continue::Text(StatusText::default())));
    // `+ ` with nothing after it is valid (an empty SASL challenge).
    assert!(parse_with(b"+ \r\n", Strictness::Strict).is_ok());
}

#[test]
fn quirk_wildcard_in_flags() {
    let r = quirk_case(b"* FLAGS (\\Seen \\*)\r\n", Quirk::WildcardInFlags);
    use imap_proto::types::Flag;
    assert_eq!(
        r,
        Response::Untagged(Data::Flags(vec![Flag::Seen, Flag::Wildcard]))
    );
    quirk_case(
        b"* 1 FETCH (FLAGS (\\Seen \\*))\r\n",
        Quirk::WildcardInFlags,
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
        Quirk::BracketInKeyword,
    );
    assert_eq!(
        r,
        Response::Untagged(Data::Ok(StatusText::with_code(
            Code::PermanentFlags(vec![Flag::Seen, kw("$a]b"), kw("$Foo]"), Flag::Wildcard]),
            Text::try_from("Flags permitted.").unwrap()
        )))
    );
    let r = quirk_case(b"* FLAGS (\\Seen foo]bar)\r\n", Quirk::BracketInKeyword);
    assert_eq!(
        r,
        Response::Untagged(Data::Flags(vec![Flag::Seen, kw("foo]bar")]))
    );
    let r = quirk_case(
        b"* FLAGS (\\Seen [Gmail]/Sent])\r\n",
        Quirk::BracketInKeyword,
    );
    assert_eq!(r.to_bytes(), b"* FLAGS (\\Seen [Gmail]/Sent])\r\n");
    let r = quirk_case(
        b"* 1 FETCH (FLAGS (\\Seen x]y))\r\n",
        Quirk::BracketInKeyword,
    );
    let Response::Untagged(Data::Fetch { items, .. }) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(items, &[FetchItem::Flags(vec![Flag::Seen, kw("x]y")])]);
    // Re-encoding writes the keyword as received.
    assert_eq!(r.to_bytes(), b"* 1 FETCH (FLAGS (\\Seen x]y))\r\n");
    // Octets no keyword may hold still drop the flag.
    quirk_case(b"* FLAGS (\\Seen a%b)\r\n", Quirk::InvalidKeyword);
    quirk_case(b"* FLAGS (\\Seen \\X]y)\r\n", Quirk::InvalidKeyword);
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
            let r = quirk_case(line.as_bytes(), Quirk::BracketInKeyword);
            proptest::prop_assert_eq!(r.to_bytes(), line.as_bytes());
        }
    }
}
