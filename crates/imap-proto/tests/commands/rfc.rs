//! The RFC examples (`tests/fixtures/commands/rfc-examples.txt` and the
//! vectors below): each decodes to the right value, round-trips, and every
//! strict prefix is incomplete.

use super::*;

/// Client lines of the RFC examples that are one command each
/// (`tests/fixtures/commands/rfc-examples.txt`).
fn rfc_lines() -> Vec<common::fixtures::Record> {
    common::fixtures::load("commands/rfc-examples.txt")
}

#[test]
fn rfc_examples_parse_and_round_trip() {
    for r in rfc_lines() {
        one(&format!("{}\r\n", r.text()));
    }
}

#[test]
fn every_strict_prefix_is_incomplete() {
    for r in rfc_lines() {
        let full = r.wire();
        let full = &full[..];
        for end in 0..full.len() {
            let mut d = decoder();
            let mut buf = BytesMut::from(&full[..end]);
            let mut out = Vec::new();
            drain(&mut d, &mut buf, &mut out);
            assert!(
                out.is_empty(),
                "{:?}: {out:?}",
                String::from_utf8_lossy(&full[..end])
            );
        }
    }
}

#[test]
fn rfc_examples_parse_to_the_right_values() {
    use CommandBody as C;
    assert_eq!(
        one("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n").body,
        C::Search {
            uid: false,
            returns: None,
            charset: None,
            criteria: vec![
                SearchKey::Flagged,
                SearchKey::Since(Date::new(1994, 2, 1).unwrap()),
                SearchKey::Not(Box::new(SearchKey::From(a("Smith")))),
            ],
        }
    );
    assert_eq!(
        one("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])\r\n").body,
        C::Fetch {
            uid: false,
            set: set("2:4"),
            items: FetchItems::Attrs(vec![
                FetchAttr::Flags,
                FetchAttr::BodySection {
                    peek: false,
                    section: Section {
                        part: vec![],
                        text: SectionText::HeaderFields(vec![a("DATE"), a("FROM")]),
                    },
                    partial: None,
                }
            ]),
            modifiers: vec![],
        }
    );
    let login = one("A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n");
    assert_eq!(
        login.body,
        C::Login {
            username: a("FRED FOOBAR"),
            password: Secret::new(a("fat man")),
        }
    );
    assert!(!format!("{login:?}").contains("fat man"), "password hidden");
    assert_eq!(
        one("a005 store 12 +flags \\deleted\r\n").body,
        C::Store {
            uid: false,
            set: set("12"),
            unchanged_since: None,
            flags: StoreFlags {
                action: StoreAction::Add,
                silent: false,
                target: StoreTarget::Flags(vec![Flag::Deleted]),
            },
        }
    );
    assert_eq!(
        one("A142 SELECT INBOX (QRESYNC (3857529045 20010715194032001 1:198))\r\n").body,
        C::Select {
            mailbox: a("INBOX"),
            params: vec![SelectParam::Qresync {
                uid_validity: 3857529045,
                mod_seq: 20010715194032001,
                known_uids: Some(SequenceSet::parse(b"1:198", 10).unwrap()),
                seq_match: None,
            }],
        }
    );
    assert_eq!(
        one("s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n").body,
        C::Fetch {
            uid: true,
            set: set("300:500"),
            items: FetchItems::Attrs(vec![FetchAttr::Flags]),
            modifiers: vec![FetchModifier::ChangedSince(12345), FetchModifier::Vanished],
        }
    );
    assert_eq!(
        one("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338\r\n").body,
        C::Search {
            uid: false,
            returns: None,
            charset: None,
            criteria: vec![SearchKey::ModSeq {
                entry: Some((a("/flags/\\draft"), atom("all"))),
                mod_seq: 620162338,
            }],
        }
    );
    assert_eq!(
        one("C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)\r\n").body,
        C::List {
            selection: Some(vec![ListSelect::Subscribed, ListSelect::RecursiveMatch]),
            reference: a(""),
            patterns: vec![ListPattern::new("%").unwrap()],
            returns: Some(vec![ListReturn::Children]),
        }
    );
    assert_eq!(
        one("t2 CREATE MySpecial (USE (\\Drafts \\Sent))\r\n").body,
        C::Create {
            mailbox: a("MySpecial"),
            special_use: Some(vec![
                Flag::Extension(atom("Drafts")),
                Flag::Extension(atom("Sent"))
            ]),
        }
    );
    assert_eq!(
        one("A01 AUTHENTICATE EXTERNAL =\r\n").body,
        C::Authenticate {
            mechanism: atom("EXTERNAL"),
            initial: Some(SaslInitial::Empty),
        }
    );
    assert_eq!(
        one("A442 XPIG-LATIN\r\n").body,
        C::Other {
            name: atom("XPIG-LATIN"),
            args: None,
        }
    );
    assert_eq!(
        one("A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL\r\n").body,
        C::Sort {
            uid: false,
            returns: None,
            criteria: vec![
                SortCriterion {
                    reverse: false,
                    key: SortKey::Subject
                },
                SortCriterion {
                    reverse: true,
                    key: SortKey::Date
                },
            ],
            charset: a("UTF-8"),
            search: vec![SearchKey::All],
        }
    );
    assert_eq!(
        one("a GETMETADATA \"INBOX\" (DEPTH 1) (/private/filters/values)\r\n").body,
        C::GetMetadata {
            options: vec![MetadataOption::Depth(Some(1))],
            mailbox: a("INBOX"),
            entries: vec![a("/private/filters/values")],
        }
    );
    assert_eq!(one("a042 ID NIL\r\n").body, C::Id(None));
    assert_eq!(
        one("A003 UID EXPUNGE 3000:3002\r\n").body,
        C::UidExpunge(set("3000:3002"))
    );
}

#[test]
fn rfc_append_examples() {
    let body1 = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\nSubject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu\r\nMessage-Id: <B27397-0100000@Blurdybloop.COM>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    let c = one(&format!(
        "A003 APPEND saved-messages (\\Seen) {}\r\n",
        lit(body1)
    ));
    let CommandBody::Append { mailbox, messages } = c.body else {
        panic!()
    };
    assert_eq!(mailbox, a("saved-messages"));
    assert_eq!(
        messages,
        vec![AppendMessage {
            flags: Some(vec![Flag::Seen]),
            date: None,
            data: AppendData::Literal(LiteralData {
                data: Bytes::copy_from_slice(body1.as_bytes()),
                binary: false,
                utf8: false,
            }),
        }]
    );
    // RFC 3502 (MULTIAPPEND).
    let body2 = "Date: Mon, 7 Feb 1994 22:43:04 -0800 (PST)\r\nFrom: Joe Mooch <mooch@OWaTaGu.example.net>\r\nSubject: Re: afternoon meeting\r\nTo: foobar@blurdybloop.example.com\r\nMessage-Id: <a0434793874930@OWaTaGu.example.net>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n3:30 is fine with me.\r\n";
    let c = one(&format!(
        "A003 APPEND saved-messages (\\Seen) {} (\\Seen) \" 7-Feb-1994 22:43:04 -0800\" {}\r\n",
        lit(body1),
        lit(body2)
    ));
    let CommandBody::Append { messages, .. } = c.body else {
        panic!()
    };
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].date.unwrap().offset_minutes, -480);
    // RFC 8474 (with a date), RFC 3516 (literal8 with NUL).
    one(&format!(
        "5 append inbox \"20-Mar-2018 03:07:37 +1100\" {}\r\n",
        lit("Subject: x\r\n\r\nbody\r\n")
    ));
    // RFC 6855 (UTF8=ACCEPT).
    let c = one("A1 APPEND INBOX UTF8 (~{7}\r\nGr\u{fc}\u{df}e)\r\n");
    let CommandBody::Append { messages, .. } = c.body else {
        panic!()
    };
    assert!(matches!(&messages[0].data, AppendData::Literal(l) if l.utf8 && l.binary));
    let c = one("A1 APPEND INBOX ~{5}\r\na\0b\0c\r\n");
    let CommandBody::Append { messages, .. } = c.body else {
        panic!()
    };
    assert_eq!(
        messages[0].data,
        AppendData::Literal(LiteralData {
            data: Bytes::from_static(b"a\0b\0c"),
            binary: true,
            utf8: false
        })
    );
    // RFC 4469 (CATENATE).
    let c = one(&format!(
        "A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE (URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER\" TEXT {} URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME\" URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1\" TEXT {} UTF8 (~{{2}}\r\n\u{e9}))\r\n",
        lit("\r\n--------------030308070208000400050907\r\n"),
        lit("\r\n--------------030308070208000400050907--\r\n")
    ));
    let CommandBody::Append { messages, .. } = c.body else {
        panic!()
    };
    let AppendData::Catenate(parts) = &messages[0].data else {
        panic!()
    };
    assert_eq!(parts.len(), 6);
    assert!(matches!(&parts[0], CatPart::Url(u) if u.as_bytes().ends_with(b"HEADER")));
    assert!(matches!(&parts[5], CatPart::Text(l) if l.utf8));
}

#[test]
fn rfc2177_idle_transcript() {
    // RFC 2177 §3 / RFC 9051 §6.3.13, the client side.
    let input = b"A001 SELECT INBOX\r\nA002 IDLE\r\nDONE\r\nA003 FETCH 4 ALL\r\nA004 IDLE\r\nDONE\r\nA005 FETCH 3 ALL\r\nA006 IDLE\r\n";
    for chunk in [1, 5, input.len()] {
        let evs = decode_chunked(input, chunk);
        let kinds: Vec<&str> = evs
            .iter()
            .map(|e| match e {
                CommandEvent::Command(c) => c.body.name(),
                CommandEvent::Done => "DONE",
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "SELECT", "IDLE", "DONE", "FETCH", "IDLE", "DONE", "FETCH", "IDLE"
            ]
        );
    }
}
