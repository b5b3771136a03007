//! The RFC examples: each decodes to the right value, round-trips, and
//! every strict prefix is incomplete.

use super::*;

/// Client lines of the RFC examples that are one command each (the RFC text
/// joined with CRLF; literal lengths as the RFC gives them where the data is
/// shown in full).
const RFC_LINES: &[&str] = &[
    // RFC 3501 §6 and RFC 9051 §6.
    "abcd CAPABILITY",
    "efgh STARTTLS",
    "a047 NOOP",
    "A023 LOGOUT",
    "a001 LOGIN SMITH SESAME",
    "A001 AUTHENTICATE GSSAPI",
    "a004 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=",
    "A01 AUTHENTICATE EXTERNAL =",
    "A142 SELECT INBOX",
    "A932 EXAMINE blurdybloop",
    "A003 CREATE owatagusiam/",
    "A004 CREATE owatagusiam/blurdybloop",
    "A682 LIST \"\" *",
    "A683 DELETE blurdybloop",
    "A685 DELETE foo/bar",
    "A86 LIST \"\" %",
    "A683 RENAME blurdybloop sarasoop",
    "Z433 RENAME INBOX old-mail",
    "A002 SUBSCRIBE #news.comp.mail.mime",
    "A002 UNSUBSCRIBE #news.comp.mail.mime",
    "A101 LIST \"\" \"\"",
    "A102 LIST #news.comp.mail.misc \"\"",
    "A103 LIST /usr/staff/jones \"\"",
    "A202 LIST ~/Mail/ %",
    "A002 LSUB \"#news.\" \"comp.mail.*\"",
    "A003 LSUB \"#news.\" \"comp.%\"",
    "A042 STATUS blurdybloop (UIDNEXT MESSAGES)",
    "FXXZ CHECK",
    "A341 CLOSE",
    "A341 UNSELECT",
    "A202 EXPUNGE",
    "A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
    "A283 SEARCH TEXT \"string not in mailbox\"",
    "A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX",
    "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
    "A003 STORE 2:4 +FLAGS (\\Deleted)",
    "A003 COPY 2:4 MEETING",
    "A999 UID FETCH 4827313:4828442 FLAGS",
    "A442 XPIG-LATIN",
    "A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man",
    "a001 login mrc secret",
    "a002 select inbox",
    "a003 fetch 12 full",
    "a004 fetch 12 body[header]",
    "a005 store 12 +flags \\deleted",
    "a006 logout",
    "t2 ENABLE CONDSTORE X-GOOD-IDEA",
    "babc ENABLE IMAP4rev2",
    "A003 CREATE owatagusiam/",
    "1001 RENAME X Y",
    "A02 LIST (SUBSCRIBED) \"\" \"*\"",
    "A03 LIST () \"\" \"%\" RETURN (CHILDREN)",
    "A05 LIST (REMOTE SUBSCRIBED) \"\" \"*\"",
    "A06 LIST (REMOTE) \"\" \"*\" RETURN (SUBSCRIBED)",
    "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)",
    "D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*2\"",
    "a1 LIST \"\" (\"foo\")",
    "a3 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" foo RETURN (CHILDREN)",
    "a3.1 LIST \"\" (% music/rock)",
    "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))",
    "A001 NAMESPACE",
    "A002 CREATE \"INBOX.Sent Mail\"",
    "A002 LIST \"\" \"~mark/%\"",
    "A282 SEARCH RETURN (MIN COUNT) FLAGGED",
    "A283 SEARCH RETURN () FLAGGED",
    "A285 SEARCH CHARSET UTF-8 TEXT {12}\r\nотпуск",
    "A285 UID SEARCH RETURN (MIN MAX) 1:5000",
    "A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994",
    "A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])",
    "A301 UID SEARCH UID $ SMALLER 4096",
    "A301 UID SEARCH $ SMALLER 4096",
    "P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}\r\nмать",
    "E283 COPY $ \"Other Messages\"",
    "F284 STORE $ +FLAGS.Silent (\\Deleted)",
    "C286 SEARCH RETURN (ALL SAVE MIN) SINCE 12-Feb-2006",
    "a UID MOVE 42:69 foo",
    "A003 UID EXPUNGE 3000:3002",
    "b LOGIN \"fred\" \"foo\"",
    "l create \"///////\"",
    "k2 status \"/archive/projects/experiment-iv\" (messages)",
    "h search from maria@example.com",
    "n1 uid copy 1:* oldmail",
    "a000 starttls",
    "A001 AUTHENTICATE SCRAM-SHA-256",
    // RFC 7162 (CONDSTORE / QRESYNC).
    "a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)",
    "a102 STORE 12 (UNCHANGEDSINCE 0) +FLAGS.SILENT (\\Deleted)",
    "B001 STORE 1:7 (UNCHANGEDSINCE 320172338) +FLAGS (\\SEEN)",
    "s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)",
    "a FETCH 1:3 (MODSEQ)",
    "a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338",
    "t SEARCH OR NOT MODSEQ 720162338 LARGER 50000",
    "A042 STATUS blurdybloop (UIDNEXT MESSAGES HIGHESTMODSEQ)",
    "A142 SELECT INBOX (CONDSTORE)",
    "a SEARCH RETURN (ALL) MODSEQ 1234",
    "a SORT RETURN (ALL) (DATE) UTF-8 MODSEQ 1234",
    "A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
    "B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))",
    "s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
    "A150 STORE 1:2 (UNCHANGEDSINCE 96) +FLAGS.SILENT \\Seen",
    "A142 SELECT INBOX (QRESYNC (3857529045 20010715194032001 1:198))",
    "A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES))",
    "A003 APPEND saved-messages (\\Seen) {20+}\r\nSubject: x\r\n\r\nHello",
    "a002 NOOP",
    "t1 CAPABILITY",
    "A01 LIST \"\" \"*\"",
    "a2 LIST () \"\" %",
    "A06 IDLE",
    // RFC 4466.
    "a SELECT INBOX (ANNOTATE)",
    "a SELECT INBOX (BLURDYBLOOP)",
    "a EXAMINE INBOX (ANNOTATE RESPONSES (\"UID Responses\") CONDSTORE)",
    // RFC 5258 / 6154 / 5819 / 8438 / 7889 / 8474.
    "BBB LIST \"\" (\"INBOX\" \"Drafts\" \"Sent/%\")",
    "t2 LIST \"\" \"%\" RETURN (SPECIAL-USE)",
    "t3 LIST (SPECIAL-USE) \"\" \"*\"",
    "t2 CREATE MySpecial (USE (\\Drafts \\Sent))",
    "t3 CREATE Everything (USE (\\All))",
    "A01 STATUS frop (MESSAGES SIZE UIDNEXT)",
    "A04 LIST \"\" % RETURN (STATUS (MESSAGES SIZE))",
    "t1 STATUS INBOX (APPENDLIMIT)",
    "t1 LIST \"\" % RETURN (STATUS (APPENDLIMIT))",
    "6 status foo (mailboxid)",
    "11 list \"\" \"*\" return (status (mailboxid))",
    "22 fetch 1:* (emailid threadid)",
    "23 move 2 foo",
    "27 search emailid M6d99ac3275bb4e",
    "28 search threadid T64b478a75b7ea9",
    // RFC 2971, 3691, 4978, 9208, 5464, 5256.
    "a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")",
    "a042 ID NIL",
    "c compress deflate",
    "G0001 GETQUOTA \"!partition/sda4\"",
    "G0002 GETQUOTAROOT INBOX",
    "S0001 SETQUOTA \"#user/alice\" (STORAGE 510)",
    "S0003 STATUS INBOX (MESSAGES DELETED DELETED-STORAGE)",
    "a GETMETADATA \"\" /shared/comment",
    "a GETMETADATA \"INBOX\" (/shared/comment /private/comment)",
    "a GETMETADATA \"INBOX\" (MAXSIZE 1024) (/shared/comment /private/comment)",
    "a GETMETADATA \"INBOX\" (DEPTH 1) (/private/filters/values)",
    "a SETMETADATA INBOX (/private/comment {33}\r\nMy new comment across\r\ntwo lines.)",
    "a SETMETADATA INBOX (/private/comment NIL)",
    "a SETMETADATA INBOX (/private/comment \"My new comment\")",
    "t3 SETMETADATA \"SavedDrafts\" (/private/specialuse \"\\\\Drafts\")",
    "A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL",
    "A284 SORT (SUBJECT) US-ASCII TEXT \"not in mailbox\"",
    "A284 THREAD ORDEREDSUBJECT US-ASCII TEXT \"gewp\"",
    "A285 THREAD REFERENCES UTF-8 SINCE 5-MAR-2000",
    // Gmail X-GM-EXT-1 (developers.google.com/gmail/imap/imap-extensions).
    "a010 SEARCH X-GM-RAW \"has:attachment in:unread\"",
    "a011 UID SEARCH X-GM-MSGID 1278455344230334865",
    "a012 SEARCH X-GM-THRID 1266894439832287888",
    "a013 STORE 1 +X-GM-LABELS (foo)",
    "a014 STORE 1 -X-GM-LABELS.SILENT (\\Inbox \"bar baz\")",
    "a015 FETCH 1:4 (X-GM-LABELS X-GM-MSGID X-GM-THRID)",
    // RFC 7888.
    "A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man",
];

#[test]
fn rfc_examples_parse_and_round_trip() {
    for line in RFC_LINES {
        one(&format!("{line}\r\n"));
    }
}

#[test]
fn every_strict_prefix_is_incomplete() {
    for line in RFC_LINES {
        let full = format!("{line}\r\n");
        let full = full.as_bytes();
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
