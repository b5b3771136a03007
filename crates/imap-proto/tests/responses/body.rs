//! The quirks of body structures and envelopes: each accepted leniently
//! (and recorded) and refused strictly.

use super::*;

#[test]
fn quirk_negative_body_numbers() {
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" -1 -1))\r\n",
        Quirk::NegativeNumber,
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
        Quirk::NegativeNumber,
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
        Quirk::LargeBodyNumber,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    assert_eq!(s.fields.size, 1 << 32);
    assert!(matches!(s.kind, SingleKind::Text { lines, .. } if lines == i64::MAX as u64));
    let r = quirk_case(
        b"* 1 FETCH (BODY (\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 12884901888))\r\n",
        Quirk::LargeBodyNumber,
    );
    let BodyStructure::Single(s) = body_of(&r) else {
        panic!()
    };
    assert_eq!(s.fields.size, 3 << 32);
    quirk_case(
        b"* 1 FETCH (BODY (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 4294967297))\r\n",
        Quirk::LargeBodyNumber,
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
        Quirk::MissingLines,
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
        Quirk::BareDisposition,
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
    quirk_case(b"* OK caf\xe9 ready\r\n", Quirk::EightBitText);
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
        Quirk::SpacedAddresses,
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
        Quirk::MessageWithoutEnvelope,
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
        Quirk::NilEnvelope,
    );
    assert_eq!(part(body_of(&r)), (false, true, 40));
    let line = b"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 0 NIL NIL 0 NIL NIL NIL NIL))\r\n";
    let r = quirk_case(line, Quirk::NilEnvelope);
    assert!(parse(line).1.contains(&Quirk::NilBody));
    assert_eq!(part(body_of(&r)), (false, false, 0));
    // Re-encoded as received.
    assert_eq!(r.to_bytes(), line);
    let r = quirk_case(
        b"* 1 FETCH (BODY (\"message\" \"global\" NIL NIL NIL \"8bit\" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) NIL 2))\r\n",
        Quirk::NilBody,
    );
    assert_eq!(part(body_of(&r)), (true, false, 2));
    // Inside a multipart, with a literal in the nested body.
    let r = quirk_case(
        b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 NIL (\"TEXT\" {5}\r\nPL)IN NIL NIL NIL \"7BIT\" 2 1) 4) \"MIXED\"))\r\n",
        Quirk::NilEnvelope,
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
        Quirk::EmptyMultipart,
    );
    assert!(
        matches!(body_of(&r), BodyStructure::Multi { parts, ext: Some(_), .. } if parts.is_empty())
    );
    quirk_case(b"* 1 FETCH (BODY (\"mixed\"))\r\n", Quirk::EmptyMultipart);
}

#[test]
fn quirk_empty_lists() {
    // An empty ID list is valid (RFC 2971), and reads like NIL.
    assert_eq!(
        parse_with(b"* ID ()\r\n", Strictness::Strict).unwrap().0,
        Response::Untagged(Data::Id(vec![]))
    );
    quirk_case(b"* NAMESPACE () NIL NIL\r\n", Quirk::EmptyList);
    quirk_case(
        b"* 1 FETCH (BODY (\"text\" \"plain\" () NIL NIL \"7bit\" 1 1))\r\n",
        Quirk::EmptyList,
    );
    quirk_case(b"* BAD [BADCHARSET UTF-8] no\r\n", Quirk::BareCharset);
    quirk_case(
        b"* LIST (Marked) \"/\" x\r\n",
        Quirk::AttributeWithoutBackslash,
    );
    quirk_case(b"* THREAD (1) (2)\r\n", Quirk::ExtraSpace);
    let r = quirk_case(b"* LIST (\\Noselect) \"\" \"\"\r\n", Quirk::EmptyDelimiter);
    assert!(matches!(
        r,
        Response::Untagged(Data::List(ListItem {
            delimiter: None,
            ..
        }))
    ));
}

/// mail.ru's body sizes in exponent notation read as the integers they
/// round to; anything else that is not a number stays an error.
#[test]
fn body_sizes_in_exponent_notation() {
    let size_of = |size: &str| {
        let line = format!(
            "* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" {size}))\r\n"
        );
        let (r, quirks) = parse_with(line.as_bytes(), Strictness::Lenient)?;
        assert_eq!(quirks[0], Quirk::ExponentNumber, "{size}");
        assert!(
            parse_with(line.as_bytes(), Strictness::Strict).is_err(),
            "{size}"
        );
        let Response::Untagged(Data::Fetch { items, .. }) = r else {
            panic!("{r:?}")
        };
        let [FetchItem::BodyStructure(b)] = &items[..] else {
            panic!("{items:?}")
        };
        let BodyStructure::Single(p) = &**b else {
            panic!("{b:?}")
        };
        Ok::<u64, String>(p.fields.size)
    };
    assert_eq!(size_of("9.3736e+06"), Ok(9_373_600));
    assert_eq!(size_of("1.86931E+06"), Ok(1_869_310));
    assert_eq!(size_of("3e2"), Ok(300));
    assert_eq!(size_of("1.5e+00"), Ok(2), "rounded half up");
    assert_eq!(size_of("1.23456e+02"), Ok(123));
    assert_eq!(size_of("4.2e-1"), Ok(0));
    assert_eq!(
        size_of("9.2233720368547758e+18"),
        Ok(9_223_372_036_854_775_800)
    );
    assert_eq!(size_of("1e-999999999999"), Ok(0));
    for bad in [
        "9.3736",
        "9.3736e",
        "9.e+06",
        "9.3736e+",
        "1e+19",
        "1e+99999999",
        "9.3e+06x",
    ] {
        assert!(size_of(bad).is_err(), "{bad}");
    }
}
