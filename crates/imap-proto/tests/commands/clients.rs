//! The commands widely used clients send.

use bytes::Bytes;
use imap_proto::Limits;

use super::*;

/// Commands in the shapes widely used clients send them (Thunderbird,
/// Outlook, Apple Mail, mutt, K-9, Python's imaplib, Gmail clients):
/// each decodes (leniently: lower-case names, odd tags) and round-trips
/// through the encoder.
#[test]
fn commands_of_widely_deployed_clients() {
    use imap_proto::command::{Command, EncodeOptions, encode, to_bytes};
    let lines: &[&str] = &[
        // Thunderbird.
        "1 capability",
        "2 authenticate PLAIN",
        "3 ID (\"name\" \"Thunderbird\" \"version\" \"115.5.0\")",
        "4 list (SUBSCRIBED) \"\" \"*\" RETURN (SPECIAL-USE)",
        "5 select \"INBOX\" (CONDSTORE)",
        "6 UID fetch 1:* (FLAGS) (CHANGEDSINCE 1467802)",
        "7 UID fetch 3951:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])",
        "8 IDLE",
        "9 UID store 5 +Flags (\\Seen)",
        "10 UID MOVE 7 \"Trash\"",
        "11 UID EXPUNGE 7",
        "12 noop",
        "13 logout",
        // Outlook.
        "A0002 LOGIN \"user@example.com\" \"pa ss\"",
        "A0003 LSUB \"\" \"*\"",
        "A0004 SELECT \"Sent Items\"",
        "A0005 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM SUBJECT CONTENT-TYPE X-MS-TNEF-Correlator CONTENT-CLASS IMPORTANCE PRIORITY X-PRIORITY THREAD-TOPIC REPLY-TO)])",
        // Apple Mail.
        "1.1 ID (\"name\" \"Mac OS X Mail\" \"version\" \"16.0 (3731.700.6)\" \"os\" \"Mac OS X\" \"os-version\" \"13.4 (22F66)\" \"vendor\" \"Apple Inc.\")",
        "5.2 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)",
        "6.3 UID FETCH 1:* (FLAGS MODSEQ) (CHANGEDSINCE 1 VANISHED)",
        // mutt.
        "a0005 UID FETCH 1:10 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM SENDER SUBJECT TO CC MESSAGE-ID REFERENCES CONTENT-TYPE CONTENT-DESCRIPTION IN-REPLY-TO REPLY-TO LINES LIST-POST X-LABEL X-ORIGINAL-TO)])",
        "a0006 UID STORE 3 -FLAGS.SILENT (\\Deleted)",
        // K-9.
        "7 UID SEARCH 1:* NOT DELETED",
        "9 UID FETCH 5 (UID RFC822.SIZE BODY.PEEK[]<0.32768>)",
        "10 UID FETCH 5 (BODY.PEEK[1.2.MIME] BODY.PEEK[1.2])",
        // fetchmail.
        "A0004 FETCH 1:3 RFC822.SIZE",
        "A0005 FETCH 1 RFC822.HEADER",
        "A0006 FETCH 1 BODY.PEEK[TEXT]",
        "A0007 SEARCH UNSEEN NOT DELETED",
        // mbsync (isync).
        "7 UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (X-TUID MESSAGE-ID)])",
        "8 APPEND \"INBOX\" (\\Seen) {5+}\r\nhello",
        "9 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)",
        // Lower case, a negated header list, a trailing space.
        "15 fetch 1:* (flags internaldate rfc822.size envelope body.peek[header.fields.not (received)])",
        "16 UID FETCH 1:* (UID FLAGS) ",
        "17 UID FETCH 1,3,5:7 (BODY.PEEK[HEADER] BODY.PEEK[1]<0.1024>)",
        "18 ID NIL",
        // imaplib.
        "GDEL1 CAPABILITY",
        "GDEL2 LOGIN alice \"se cret\"",
        "GDEL3 FETCH 1 (RFC822)",
        "GDEL4 SEARCH UNSEEN",
        // Gmail extensions.
        "a UID STORE 1 +X-GM-LABELS (\\Important \"Muy Importante\")",
        "b UID SEARCH X-GM-RAW \"has:attachment in:unread\"",
        "c UID FETCH 1:* (X-GM-MSGID X-GM-THRID X-GM-LABELS)",
        // Extensions in use.
        "A03 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
        "A04 ENABLE QRESYNC",
        "A05 COMPRESS DEFLATE",
        "A06 GETQUOTAROOT INBOX",
        "A07 UNSELECT",
        "A08 APPEND Sent (\\Seen) \"26-Nov-2026 10:00:00 +0100\" {5}\r\nhello",
        "A09 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX",
        "A10 UID SEARCH RETURN (SAVE) SINCE 1-Feb-1994",
        "A11 UID COPY $ Archive",
        "A12 GETMETADATA \"INBOX\" /private/comment",
        "A13 CREATE \"Projects\" (USE (\\Archive))",
        "A14 LIST \"\" \"%\" RETURN (STATUS (MESSAGES UNSEEN SIZE))",
    ];
    let mut failures = Vec::new();
    for line in lines {
        let input = Bytes::from(format!("{line}\r\n"));
        let limits = Limits::default();
        let cmd = match Command::parse_bytes(&input, 0, &limits, Strictness::Lenient) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{line:?}: {e:?}"));
                continue;
            }
        };
        let wire = Bytes::from(to_bytes(&encode(&cmd, EncodeOptions::default())));
        match Command::parse_bytes(&wire, 0, &limits, Strictness::Strict) {
            Ok(again) if again == cmd => {}
            Ok(again) => failures.push(format!("{line:?}: {cmd:?} came back as {again:?}")),
            Err(e) => failures.push(format!("{line:?}: re-encoded as {wire:?}: {e:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
