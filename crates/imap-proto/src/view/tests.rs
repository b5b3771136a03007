use bytes::BytesMut;

use super::*;

/// Decodes `input` in `read`-octet pieces with both entry points; checks
/// that they agree event by event; returns the number of views.
pub(crate) fn agree(input: &[u8], read: usize) -> usize {
    let mut owned = Vec::new();
    let mut d = ResponseDecoder::new();
    let mut buf = BytesMut::new();
    for chunk in input.chunks(read.max(1)) {
        buf.extend_from_slice(chunk);
        while let Some(ev) = d.decode(&mut buf) {
            owned.push(ev);
        }
    }
    let mut viewed = Vec::new();
    let mut views = 0;
    let mut d = ResponseDecoder::new();
    let mut buf = BytesMut::new();
    for chunk in input.chunks(read.max(1)) {
        buf.extend_from_slice(chunk);
        while let Some(ev) = d.decode_view(&mut buf) {
            viewed.push(match ev {
                ViewEvent::View(v) => {
                    views += 1;
                    ResponseEvent::Response {
                        response: v.to_response(),
                        quirks: Vec::new(),
                    }
                }
                ViewEvent::Event(e) => e,
            });
        }
    }
    assert_eq!(owned, viewed, "{:?}", String::from_utf8_lossy(input));
    views
}

/// Each line must come out as a view that equals the owned response.
fn all_views(lines: &[&str]) {
    for line in lines {
        let input = format!("{line}\r\n");
        assert_eq!(agree(input.as_bytes(), 4096), 1, "not a view: {line}");
        assert_eq!(agree(input.as_bytes(), 3), 1, "not a view: {line}");
    }
}

/// Each line must go to the full parser (and agree).
fn no_views(lines: &[&[u8]]) {
    for line in lines {
        let mut input = line.to_vec();
        input.extend_from_slice(b"\r\n");
        assert_eq!(
            agree(&input, 4096),
            0,
            "a view: {:?}",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn status_lines() {
    all_views(&[
        "* 1001 EXISTS",
        "* 3 RECENT",
        "* 0 RECENT",
        "* 998 EXPUNGE",
        "A00005 OK [READ-WRITE] SELECT completed (0.002 + 0.000 secs).",
        "A00006 OK Idle completed (12.345 + 12.344 + 0.001 secs).",
        "* OK [UIDVALIDITY 1600000123] UIDs valid",
        "* OK [UIDNEXT 1005] Predicted next UID",
        "* OK [HIGHESTMODSEQ 123456] Highest",
        "A00010 NO [TRYCREATE] Mailbox doesn't exist: Archive/2023",
        "+ idling",
        "+ ",
        "a1 ok done",
        "A1 OK ",
        "A1 BAD [PARSE] what",
        "* BYE Logging out",
        "* PREAUTH [ALERT] hi",
        "* OK [ALERT] [not a code]",
        "* NO [UNSEEN 3] x",
        "* OK  two spaces",
    ]);
}

#[test]
fn list_lines() {
    all_views(&[
        r#"* LIST (\HasNoChildren) "/" "Projects/example.com/Folder 1""#,
        r#"* LIST (\HasNoChildren \Marked) "." INBOX"#,
        r#"* LIST () NIL "Entw&APw-rfe""#,
        r#"* LSUB (\Noselect) "/" "a \"b\" \\ c""#,
        r#"* list (\Foo \Archive) "/" Sent]"#,
    ]);
}

#[test]
fn fetch_lines() {
    all_views(&[
        "* 1 FETCH (UID 1001 FLAGS (\\Seen $Forwarded) INTERNALDATE \" 2-Jan-2023 09:01:07 +0000\" RFC822.SIZE 4242 ENVELOPE (\"Mon, 2 Jan 2023 09:00:00 +0000\" \"Re: quarterly report\" ((\"Alice Example\" NIL \"alice\" \"example.com\")) ((\"Alice Example\" NIL \"alice\" \"example.com\")) ((\"Alice Example\" NIL \"alice\" \"example.com\")) ((\"Bob\" NIL \"bob\" \"example.org\")(NIL NIL \"c\" \"d\")) NIL NIL NIL \"<1.2@example.com>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 100 3 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 200 4 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1_1\") NIL NIL NIL))",
        "* 2 FETCH (FLAGS () UID 7 MODSEQ (12345) X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888)",
        "* 3 FETCH (BODY (\"image\" \"png\" NIL \"<id>\" \"desc\" \"base64\" 1024))",
        "* 4 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 300 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1) 12 \"md5\" (\"attachment\" (\"filename\" \"m.eml\")) (\"en\" \"de\") \"loc\"))",
        "* 5 FETCH (BODYSTRUCTURE (\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 5000 NIL (\"attachment\" NIL) \"en\"))",
        "* 6 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\"))",
        "* 7 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300 NIL NIL))",
    ]);
}

#[test]
fn full_parser_lines() {
    no_views(&[
        b"* 1 FETCH (UID 0)",
        b"* 1 FETCH (BODY[] \"x\")",
        b"* 1 FETCH (UID 1 )",
        b"* 1 FETCH (FLAGS (\\*))",
        b"* 1 FETCH (ENVELOPE (NIL NIL () NIL NIL NIL NIL NIL NIL NIL))",
        b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1))",
        b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" -1 1))",
        b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 4294967296 1))",
        b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1 NIL NIL NIL NIL 5))",
        b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1 NIL NIL 1))",
        b"* OK [CAPABILITY IMAP4rev1] hi",
        b"* OK [UIDNEXT 5]",
        b"* OK caf\xc3\xa9",
        b"A1 OK [UIDNEXT 0x] x",
        b"+ YQ==",
        b"+ [ALERT] x",
        b"+",
        b"* LIST (\\HasNoChildren) \"\\\\\" x",
        b"* LIST (HasNoChildren) \"/\" x",
        b"* LIST (\\HasNoChildren) \"/\" x (\"CHILDINFO\" (\"SUBSCRIBED\"))",
        b"* CAPABILITY IMAP4rev1",
        b"* 99999999999 EXISTS",
        b"A1 OK x\x00y",
    ]);
}

#[test]
fn views_are_read_in_place() {
    let mut d = ResponseDecoder::new();
    let mut buf = BytesMut::from(
        &b"* 1 FETCH (UID 9 ENVELOPE (NIL \"a \\\"q\\\"\" NIL NIL NIL ((\"B\" NIL \"b\" \"h\")) NIL NIL NIL NIL))\r\n* 2 EXISTS\r\n"[..],
    );
    let Some(ViewEvent::View(ResponseView::Fetch(f))) = d.decode_view(&mut buf) else {
        panic!("a FETCH view");
    };
    assert_eq!(f.seq(), 1);
    let items: Vec<_> = f.items().collect();
    assert!(matches!(items[0], FetchItemView::Uid(9)));
    let FetchItemView::Envelope(e) = items[1] else {
        panic!("an envelope");
    };
    assert_eq!(e.subject().unwrap().bytes().as_ref(), b"a \"q\"");
    let to: Vec<_> = e.to().iter().collect();
    assert_eq!(to.len(), 1);
    assert_eq!(to[0].host().unwrap().raw(), b"h");
    assert!(e.from().is_empty());
    assert!(matches!(
        d.decode_view(&mut buf),
        Some(ViewEvent::View(ResponseView::Exists(2)))
    ));
    assert!(d.decode_view(&mut buf).is_none());
    assert!(buf.is_empty());
}

#[test]
fn a_view_stays_in_the_buffer_until_the_next_call() {
    let mut d = ResponseDecoder::new();
    let mut buf = BytesMut::from(&b"* 1 EXISTS\r\n* 2 EXISTS\r\n"[..]);
    assert!(matches!(
        d.decode_view(&mut buf),
        Some(ViewEvent::View(ResponseView::Exists(1)))
    ));
    assert_eq!(buf.len(), 24, "the view borrows the octets in place");
    // The owned entry point drops them first too.
    assert!(matches!(
        d.decode(&mut buf),
        Some(ResponseEvent::Response {
            response: Response::Untagged(Data::Exists(2)),
            ..
        })
    ));
    assert!(buf.is_empty());

    // `release` drops them now; a buffer swapped without it is never
    // over-consumed (no panic).
    let mut buf = BytesMut::from(&b"* 3 EXISTS\r\n"[..]);
    assert!(d.decode_view(&mut buf).is_some());
    d.release(&mut buf);
    assert!(buf.is_empty());
    let mut first = BytesMut::from(&b"* 4 EXISTS\r\n"[..]);
    assert!(d.decode_view(&mut first).is_some());
    let mut other = BytesMut::from(&b"* 5"[..]);
    assert!(d.decode_view(&mut other).is_none());
    assert!(other.is_empty());
}
