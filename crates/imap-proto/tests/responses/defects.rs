//! Lines real servers sent, as collected in the public defect registry
//! `modern-email/defects` (its issues) and in the bug trackers of other
//! IMAP libraries (go-imap, MailKit, Ruby net-imap, djc/imap-proto,
//! imap-codec, vmime, emailjs). Each is decoded leniently with
//! [`Response::parse_bytes`], and must round-trip: decode → encode → decode
//! gives the same value. Personal names and addresses are replaced; the
//! shape of each line is as reported. One test per kind of defect.

use bytes::Bytes;
use imap_proto::Limits;
use imap_proto::parse::{Quirk, Strictness};
use imap_proto::response::Response;

use super::common::fixtures::{Record, Strict, load};

/// Decodes `line` (CRLF added) leniently, checks the round trip, and
/// returns the quirks; a failure names the line.
fn check(line: &str) -> Result<Vec<Quirk>, String> {
    let input = Bytes::from(format!("{line}\r\n"));
    let limits = Limits::default();
    let (r, quirks) = Response::parse_bytes(&input, 0, &limits, Strictness::Lenient)
        .map_err(|e| format!("{line:?}: {e}"))?;
    let enc = Bytes::from(r.to_bytes());
    let (again, _) = Response::parse_bytes(&enc, 0, &limits, Strictness::Lenient)
        .map_err(|e| format!("{line:?}: re-encoded as {enc:?}: {e}"))?;
    if again != r {
        return Err(format!("{line:?}: {r:?} came back as {again:?}"));
    }
    if again.to_bytes() != enc {
        return Err(format!("{line:?}: encoding is not a fixed point"));
    }
    Ok(quirks)
}

/// Checks every record: it decodes, round-trips, and shows its quirk
/// (when one is named); strict decoding refuses it when the record says
/// so; reports all failures at once, each with its file and line.
fn check_all(records: &[Record]) {
    let mut failures = Vec::new();
    for r in records {
        let line = r.text();
        match check(line) {
            Ok(quirks) => {
                if let Some(q) = r.quirk
                    && !quirks.contains(&q)
                {
                    failures.push(format!("{}: {line:?}: {q:?} not in {quirks:?}", r.at()));
                }
                if r.strict == Strict::Refused {
                    let input = Bytes::from(r.wire());
                    let strict =
                        Response::parse_bytes(&input, 0, &Limits::default(), Strictness::Strict);
                    if strict.is_ok() {
                        failures.push(format!("{}: {line:?}: accepted strictly", r.at()));
                    }
                }
            }
            Err(e) => failures.push(format!("{}: {e}", r.at())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Flag lists: keywords with `]` (Gmail, modern-email/defects via djc/imap-
/// proto#36 and ruby/net-imap#241), `\*` in FLAGS (Zoho, djc/imap-proto#91),
/// a space after `(` in PERMANENTFLAGS (go-imap#633), a flag as a quoted
/// string (InterMail, MailKit#771).
#[test]
fn defects_in_flag_lists() {
    check_all(&load("responses/defects-flags.txt"));
}

/// Status responses: no text after a code (Gmail's HIGHESTMODSEQ,
/// modern-email/defects#28), no text at all (iCloud's BYE, djc/imap-
/// proto#131), `+` alone (public-inbox, modern-email/defects#7), a zero
/// UIDVALIDITY (modern-email/defects#52), text in brackets after the text
/// (Exchange's greeting), a trailing space after CAPABILITY
/// (modern-email/defects#21).
#[test]
fn defects_in_status_responses() {
    check_all(&load("responses/defects-status.txt"));
}

/// Spaces and lists: a space before CRLF after STATUS (Exchange,
/// go-imap#540, modern-email/defects#9), after SEARCH
/// (modern-email/defects#26), inside an ID list (Archiveopteryx,
/// modern-email/defects#24); an empty STATUS list (mail.163.com,
/// modern-email/defects#15); a lone `\` attribute (Dovecot, libetpan#403).
#[test]
fn defects_in_spacing_and_lists() {
    check_all(&load("responses/defects-spacing.txt"));
}

/// Body structures: `-1` line counts (Dovecot, modern-email/defects#27),
/// NIL for the transfer encoding (maddy, iCloud; modern-email/defects#41),
/// NIL as a parameter value (mail.ru, modern-email/defects#50 and #53,
/// vmime#159), a bare disposition string (Exchange, MailKit#919), a space
/// before `)` (yahoo.co.jp, emailjs-imap-handler#8), an empty display name
/// (mail.ru, imap-codec#700), UTF-8 in a quoted subject (online.no,
/// vmime#317).
#[test]
fn defects_in_body_structures() {
    check_all(&load("responses/defects-body.txt"));
}

/// Lines other libraries' users reported as breaking their parsers: a
/// double space after `*` (DavMail), a response code alone on its line
/// (Exchange 2013), an eight-field envelope (a GBK provider), items in
/// extra parentheses, `()` for a body and a zero date (Domino 10), a
/// multipart with NIL parts, `()` for a location (Office 365), no space
/// after a literal (Exchange).
#[test]
fn defects_in_fetch_responses() {
    check_all(&load("responses/defects-fetch.txt"));
}

/// A tag may start with `[` (it is an atom character): such a line stays a
/// tagged response, in any mode; only a line that cannot be one is read
/// as a response code alone (found by fuzzing the typed values).
#[test]
fn a_tag_starting_with_a_bracket_is_no_bare_code() {
    let limits = Limits::default();
    for strictness in [Strictness::Lenient, Strictness::Strict] {
        let line = Bytes::from_static(b"[1 NO \r\n");
        let (r, _) = Response::parse_bytes(&line, 0, &limits, strictness).unwrap();
        assert_eq!(r.tag().map(|t| t.as_str()), Some("[1"));
    }
    let line = Bytes::from_static(b"[COPYUID 1 2 3]\r\n");
    let (r, quirks) = Response::parse_bytes(&line, 0, &limits, Strictness::Lenient).unwrap();
    assert_eq!(r.tag(), None);
    assert!(quirks.contains(&imap_proto::Quirk::BareCode));
    assert!(Response::parse_bytes(&line, 0, &limits, Strictness::Strict).is_err());
}

/// Items in Domino's extra parentheses count toward the item limit, as if
/// they were not wrapped; so do items glued after a literal.
#[test]
fn wrapped_and_glued_items_count_toward_the_item_limit() {
    let mut limits = Limits::default();
    limits.max_items = 2;
    let parse = |line: &'static [u8]| {
        Response::parse_bytes(&Bytes::from_static(line), 0, &limits, Strictness::Lenient)
    };
    assert!(parse(b"* 1 FETCH (UID 1 (RFC822.SIZE 5))\r\n").is_ok());
    let refused = parse(b"* 1 FETCH (UID 1 (RFC822.SIZE 5 FLAGS ()))\r\n").unwrap_err();
    assert!(
        refused.to_string().contains("fewer list items"),
        "{refused}"
    );
    assert!(parse(b"* 1 FETCH (RFC822 {2}\r\n\r\nUID 1)\r\n").is_ok());
    let refused = parse(b"* 1 FETCH (RFC822 {2}\r\n\r\nUID 1 FLAGS ())\r\n").unwrap_err();
    assert!(
        refused.to_string().contains("fewer list items"),
        "{refused}"
    );
}

/// An INTERNALDATE that is a string but no date is kept raw, quoted or as
/// a literal (8-bit octets are written back as one); a literal that holds
/// a date is refused, since it would be written back quoted and read back
/// as a date.
#[test]
fn internaldates_that_are_no_dates_are_kept_raw() {
    assert!(check("* 1 FETCH (INTERNALDATE \"00-Jan-0000 00:00:00 +0000\")").is_ok());
    assert!(check("* 1 FETCH (INTERNALDATE {26}\r\n\u{e9}1-Jan-1970 00:00:00 +000)").is_ok());
    let refused = check("* 1 FETCH (INTERNALDATE {26}\r\n17-Jul-1996 02:44:25 -0700)");
    assert!(refused.is_err(), "{refused:?}");
}

/// A single part whose media type is `multipart` with extension data where
/// the MD5 belongs (GMX, MailKit#878): not read (see the report); kept as
/// a record of what is known to fail.
#[test]
fn known_undecodable_lines_are_refused_cleanly() {
    for r in load("responses/refused.txt") {
        assert!(check(r.text()).is_err(), "{}", r.at());
    }
}

/// Typical lines of widely deployed servers (Gmail, Outlook/Exchange,
/// Yahoo, iCloud, Cyrus/Fastmail, Courier, Zimbra, Dovecot), in the shapes
/// they are known to send: greetings with capability codes, their
/// extension data, and the odd corners (group addresses, literal subjects,
/// quoted STATUS names, empty SEARCH, bare continuations). All must decode
/// and round-trip; quirks are allowed, not required.
#[test]
fn lines_of_widely_deployed_servers() {
    check_all(&load("responses/deployed-servers.txt"));
}

/// Corners of the grammar real servers reach: lower-case keywords, literal
/// and escaped mailbox names, empty lists where NIL is meant, extension data
/// in body structures, NIL section data, empty ENABLED and QUOTAROOT, and
/// SASL challenges.
#[test]
fn grammar_corners_servers_reach() {
    check_all(&load("responses/grammar-corners.txt"));
}
