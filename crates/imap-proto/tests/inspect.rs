//! Every IMAP capture (real clients against Dovecot) decodes direction by
//! direction, message by message, and every message round-trips.

use imap_proto::inspect::{Item, inspect};
use imap_proto::parse::Strictness;

mod common;

#[test]
fn every_capture_inspects_cleanly() {
    let captures = common::captures();
    assert!(captures.len() >= 35, "{}", captures.len());
    for (name, c2s, s2c) in captures {
        let mut records = Vec::new();
        let summary = inspect(&c2s, &s2c, Strictness::Lenient, &mut |r| {
            records.push(r.clone())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            summary.client_messages > 0 && summary.server_messages > 0,
            "{name}"
        );
        let rejected = records
            .iter()
            .filter(|r| matches!(r.item, Item::Rejected { .. }))
            .count();
        if name.contains("starttls") {
            let (c, s) = summary
                .tls_at
                .unwrap_or_else(|| panic!("{name}: no TLS switch seen"));
            assert!(
                c > 0 && s > 0 && (c as usize) < c2s.len() && (s as usize) < s2c.len(),
                "{name}"
            );
        } else {
            assert_eq!(summary.c2s_bytes as usize, c2s.len(), "{name}");
            assert_eq!(summary.s2c_bytes as usize, s2c.len(), "{name}");
        }
        if name == "imaplib-errors" {
            assert_eq!(
                rejected, 5,
                "{name}: the deliberately malformed commands the server answered BAD"
            );
        } else {
            assert_eq!(rejected, 0, "{name}");
        }
    }
}

#[test]
fn a_corrupted_response_fails_with_its_offset() {
    let c2s = b"a1 NOOP\r\n";
    let s2c = b"* OK ready\r\na1 OK (done\r\n* 3 FETCH (FLAGS (\\Seen)\r\n";
    let err = inspect(c2s, s2c, Strictness::Lenient, &mut |_| {}).unwrap_err();
    assert_eq!(err.direction.as_str(), "s2c");
    // The third message starts at 25; its missing `)` is found at its CRLF.
    assert_eq!(err.offset, 49, "{err}");
    assert!(err.reason.contains("expected"), "{err}");
}

/// After `ENABLE UTF8=ACCEPT` is answered with `* ENABLED UTF8=ACCEPT`,
/// mailbox names travel as UTF-8 in both directions (RFC 6855 §3): the
/// inspector switches both decoders, so a raw UTF-8 name reads as that name.
#[test]
fn utf8_accept_switches_mailbox_names_to_utf8() {
    use imap_proto::response::{Data, Mailbox, Response};
    let c2s = "a ENABLE UTF8=ACCEPT\r\nb SELECT \"Entwürfe\"\r\nc LIST \"\" \"*\"\r\n";
    let s2c = "* OK ready\r\n* ENABLED UTF8=ACCEPT\r\na OK enabled\r\n\
               * 0 EXISTS\r\nb OK selected\r\n\
               * LIST (\\HasNoChildren) \"/\" \"Entwürfe\"\r\nc OK listed\r\n";
    let mut names = Vec::new();
    let summary = inspect(
        c2s.as_bytes(),
        s2c.as_bytes(),
        Strictness::Strict,
        &mut |r| {
            if let Item::Response(Response::Untagged(Data::List(item))) = &r.item {
                names.push(item.mailbox.clone());
            }
        },
    )
    .expect("a clean capture");
    assert_eq!(summary.client_messages, 3);
    assert_eq!(names.len(), 1);
    assert!(
        matches!(&names[0], Mailbox::Name(n) if n.as_str() == "Entwürfe"),
        "{names:?}"
    );
    // Without the ENABLED answer, UTF-8 is not in force: the same name is
    // not modified UTF-7 (kept raw, leniently; refused strictly for 8-bit).
    let s2c_refused = s2c.replace("* ENABLED UTF8=ACCEPT\r\n", "");
    assert!(
        inspect(
            c2s.as_bytes(),
            s2c_refused.as_bytes(),
            Strictness::Strict,
            &mut |_| {}
        )
        .is_err()
    );
}
