//! The decoder as a whole: progress lines between data, a malformed
//! message skipped, depth bounds, prefixes, and the fast one-line path
//! agreeing with the general one.

use super::*;

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
    assert_eq!(quirks, [Quirk::MalformedCode]);
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
    assert!(quirks.contains(&Quirk::MissingMessageId) && quirks.contains(&Quirk::ExtraSpace));
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
