//! Literals: large FETCH literals streamed, literal8 where a string is
//! expected.

use super::*;

/// Decodes `stream` in `chunk`-octet pieces with a small stream threshold
/// and puts streamed FETCH responses back together.
fn decode_streamed(stream: &[u8], chunk: usize) -> Vec<Result<Response, String>> {
    let mut config = FramerConfig::new(imap_proto::codec::Side::Client);
    config.limits.literal_stream_threshold = 16;
    let mut d = ResponseDecoder::with_config(config, Strictness::Lenient);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut open: Option<(u32, Vec<FetchItem>, StreamedLiteral, Vec<u8>)> = None;
    let finish = |lit: StreamedLiteral, data: Vec<u8>| -> FetchItem {
        use imap_proto::types::{IString, NString};
        let string = || NString(Some(IString::new(Bytes::from(data.clone())).unwrap()));
        match lit.item {
            StreamedItem::BodySection { section, origin } => FetchItem::BodySection {
                section,
                origin,
                data: string(),
            },
            StreamedItem::Binary { part, origin } => FetchItem::Binary {
                part,
                origin,
                data: Some(Bytes::from(data.clone())),
            },
            StreamedItem::Rfc822 => FetchItem::Rfc822(string()),
            StreamedItem::Rfc822Header => FetchItem::Rfc822Header(string()),
            StreamedItem::Rfc822Text => FetchItem::Rfc822Text(string()),
            other => panic!("{other:?}"),
        }
    };
    for piece in stream.chunks(chunk) {
        buf.extend_from_slice(piece);
        while let Some(ev) = d.decode(&mut buf) {
            match ev {
                ResponseEvent::Response { response, .. } => out.push(Ok(response)),
                ResponseEvent::Error(e) => out.push(Err(e.to_string())),
                ResponseEvent::FetchStart {
                    seq,
                    items,
                    literal,
                    ..
                } => open = Some((seq, items, literal, Vec::new())),
                ResponseEvent::LiteralChunk(b) => open.as_mut().unwrap().3.extend_from_slice(&b),
                ResponseEvent::LiteralEnd => {}
                ResponseEvent::FetchRest { items, literal, .. } => {
                    let (seq, mut all, lit, data) = open.take().unwrap();
                    all.push(finish(lit, data));
                    all.extend(items);
                    match literal {
                        Some(l) => open = Some((seq, all, l, Vec::new())),
                        None => out.push(Ok(Response::Untagged(Data::Fetch { seq, items: all }))),
                    }
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(open.is_none());
    out
}

#[test]
fn large_fetch_literals_are_streamed() {
    let body = "x".repeat(40);
    let bin = "b\0".repeat(15);
    let stream = format!(
        "* 1 FETCH (UID 1 BODY[] {{40}}\r\n{body} FLAGS (\\Seen) BINARY[1] ~{{30}}\r\n{bin} RFC822.SIZE 5)\r\n\
         * 2 FETCH (RFC822.TEXT {{20}}\r\n{})\r\n\
         * METADATA \"\" (/shared/x {{20}}\r\n{})\r\n\
         * 3 FETCH (BODY[TEXT]<7> {{3}}\r\nabc)\r\n\
         A1 OK done\r\n",
        "t".repeat(20),
        "m".repeat(20),
    );
    let whole: Vec<Result<Response, String>> = decode_stream(&[stream.as_bytes()])
        .into_iter()
        .map(|e| match e {
            ResponseEvent::Response { response, .. } => Ok(response),
            other => panic!("{other:?}"),
        })
        .collect();
    for chunk in [1, 5, 64, stream.len()] {
        let pieces = decode_streamed(stream.as_bytes(), chunk);
        assert_eq!(pieces.len(), 5, "{pieces:?}");
        // The METADATA response with a streamed literal is refused and
        // skipped; everything else is what the unstreamed decoder gives.
        assert!(pieces[2].is_err());
        for i in [0, 1, 3, 4] {
            assert_eq!(
                pieces[i].as_ref().unwrap(),
                whole[i].as_ref().unwrap(),
                "{chunk}"
            );
        }
    }
}

/// Found by fuzzing: a literal8 (`~{n}`) where a string is expected put a
/// NUL into a string. It is read as the string only without NUL, and as a
/// quirk (literal8 belongs to BINARY data, RFC 3516 §4.2).
#[test]
fn literal8_where_a_string_is_expected() {
    for line in [
        &b"* 1 FETCH (BODY[] ~{5}\r\nhe\0lo)\r\n"[..],
        b"* 1 FETCH (ENVELOPE (NIL ~{3}\r\na\0b NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
        b"* LIST () \"/\" ~{3}\r\na\0b\r\n",
    ] {
        for strictness in [Strictness::Lenient, Strictness::Strict] {
            assert!(
                parse_with(line, strictness).is_err(),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }
    let r = quirk_case(
        b"* 1 FETCH (BODY[] ~{5}\r\nhello)\r\n",
        Quirk::Literal8AsString,
    );
    let Response::Untagged(Data::Fetch { items, .. }) = r else {
        panic!("{r:?}")
    };
    assert!(matches!(
        &items[..],
        [FetchItem::BodySection { data, .. }] if data.0.as_ref().map(|s| s.as_bytes()) == Some(&b"hello"[..])
    ));
    quirk_case(
        b"* 1 FETCH (ENVELOPE (NIL ~{3}\r\nabc NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
        Quirk::Literal8AsString,
    );
    // In BINARY data, literal8 is the grammar, NUL included.
    let (r, quirks) = parse(b"* 1 FETCH (BINARY[] ~{3}\r\na\0b)\r\n");
    assert!(quirks.is_empty(), "{quirks:?}");
    check_roundtrip(&r);
}

/// The same, streamed: a literal8 announced for `BODY[]` or `RFC822` is
/// the quirk (strict refuses it, whatever the stream threshold); for
/// `BINARY[]` it is the grammar.
#[test]
fn streamed_literal8_outside_binary_is_a_quirk() {
    let first = |input: &[u8], strictness| {
        let mut config = FramerConfig::new(imap_proto::codec::Side::Client);
        config.limits.literal_stream_threshold = 4;
        let mut d = ResponseDecoder::with_config(config, strictness);
        let mut buf = BytesMut::from(input);
        d.decode(&mut buf)
    };
    for line in [
        &b"* 1 FETCH (BODY[] ~{6}\r\nab\0def)\r\n"[..],
        b"* 1 FETCH (RFC822 ~{6}\r\nabcdef)\r\n",
    ] {
        let strict = first(line, Strictness::Strict);
        assert!(
            matches!(strict, Some(ResponseEvent::Error(_))),
            "{strict:?}"
        );
        match first(line, Strictness::Lenient) {
            Some(ResponseEvent::FetchStart {
                literal, quirks, ..
            }) => {
                assert!(literal.binary);
                assert_eq!(quirks, [Quirk::Literal8AsString]);
            }
            other => panic!("{other:?}"),
        }
    }
    match first(
        b"* 1 FETCH (BINARY[] ~{6}\r\nab\0def)\r\n",
        Strictness::Strict,
    ) {
        Some(ResponseEvent::FetchStart {
            literal, quirks, ..
        }) => {
            assert!(literal.binary);
            assert!(quirks.is_empty(), "{quirks:?}");
        }
        other => panic!("{other:?}"),
    }
}
