//! proptest: `decode(encode(x)) == x` for every command and response type,
//! and a stream split at random points decodes to the same messages.

use bytes::{Bytes, BytesMut};
use pop3_proto::codec::Stuffer;
use pop3_proto::{
    ApopDigest, Capability, Command, DropListing, LangArgument, Language, Limits, Mechanism,
    MessageNumber, Positive, Response, ResponseCode, ResponseShape, SaslResponse, ScanListing,
    Scope, Secret, StatusText, Text, UniqueId, UniqueIdListing, parse_command,
};
use pop3_proto::{CommandDecoder, CommandEvent, Expect, ResponseDecoder, ResponseEvent};
use proptest::prelude::*;

fn msg() -> impl Strategy<Value = MessageNumber> {
    prop_oneof![1u32..100, any::<u32>().prop_filter("non-zero", |n| *n != 0)]
        .prop_map(|n| MessageNumber::new(n).unwrap())
}

/// UTF-8 text without control characters.
fn utf8_text(min: usize) -> impl Strategy<Value = Text> {
    proptest::string::string_regex(&format!("[^\\x00-\\x1f\\x7f]{{{min},24}}"))
        .unwrap()
        .prop_map(|s| Text::try_from(s).unwrap())
}

fn token() -> impl Strategy<Value = Text> {
    "[!-~]{1,16}".prop_map(|s| Text::try_from(s).unwrap())
}

fn mechanism() -> impl Strategy<Value = Mechanism> {
    "[A-Z0-9_-]{1,20}".prop_map(|s| Mechanism::new(s.as_bytes()).unwrap())
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        utf8_text(1).prop_map(Command::User),
        "[^\\x00-\\x1f\\x7f]{0,30}".prop_map(|s| Command::Pass(Secret::from(s))),
        ("[^\\x00-\\x20\\x7f]{1,20}", any::<[u8; 16]>()).prop_map(|(n, d)| Command::Apop {
            name: Text::try_from(n).unwrap(),
            digest: ApopDigest(d)
        }),
        (
            mechanism(),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80))
        )
            .prop_map(|(m, ir)| {
                Command::Auth {
                    mechanism: m,
                    initial_response: ir.map(Secret::from),
                }
            }),
        Just(Command::AuthMechanisms),
        Just(Command::Stat),
        proptest::option::of(msg()).prop_map(Command::List),
        proptest::option::of(msg()).prop_map(Command::Uidl),
        msg().prop_map(Command::Retr),
        (msg(), any::<u64>()).prop_map(|(msg, lines)| Command::Top { msg, lines }),
        msg().prop_map(Command::Dele),
        Just(Command::Noop),
        Just(Command::Rset),
        Just(Command::Quit),
        Just(Command::Capa),
        Just(Command::Stls),
        Just(Command::Utf8),
        Just(Command::Lang(LangArgument::List)),
        "[A-Za-z*-]{1,12}"
            .prop_map(|t| Command::Lang(LangArgument::Set(Text::try_from(t).unwrap()))),
        ("X[A-Z]{1,6}", "[^\\x00-\\x1f\\x7f]{0,30}").prop_map(|(k, a)| Command::Other {
            keyword: Text::try_from(k).unwrap(),
            arguments: Text::try_from(a).unwrap()
        }),
    ]
}

/// Response text: any octet but NUL, CR and LF.
fn status_text() -> impl Strategy<Value = StatusText> {
    let code = prop_oneof![
        Just(ResponseCode::LoginDelay),
        Just(ResponseCode::InUse),
        Just(ResponseCode::SysTemp),
        Just(ResponseCode::SysPerm),
        Just(ResponseCode::Auth),
        Just(ResponseCode::Utf8),
        "X-[A-Z]{1,8}(/[A-Z]{1,5})?".prop_map(|c| ResponseCode::other(&c).unwrap()),
    ];
    let text = proptest::collection::vec(
        any::<u8>().prop_filter("line octet", |b| !matches!(b, 0 | b'\r' | b'\n')),
        0..60,
    );
    (proptest::option::of(code), text).prop_filter_map(
        "text cannot start with [ without a code",
        |(code, text)| {
            if code.is_none() && text.first() == Some(&b'[') {
                return None;
            }
            Some(StatusText {
                code,
                text: Text::new(Bytes::from(text)).unwrap(),
            })
        },
    )
}

fn uid() -> impl Strategy<Value = UniqueId> {
    "[!-~]{1,70}".prop_map(|s| UniqueId::new(s.into_bytes()).unwrap())
}

fn capability() -> impl Strategy<Value = Capability> {
    let scope = prop_oneof![Just(Scope::Global), Just(Scope::PerUser)];
    prop_oneof![
        Just(Capability::Top),
        Just(Capability::User),
        proptest::collection::vec(mechanism(), 0..5).prop_map(Capability::Sasl),
        Just(Capability::RespCodes),
        (any::<u64>(), scope.clone())
            .prop_map(|(seconds, scope)| Capability::LoginDelay { seconds, scope }),
        Just(Capability::Pipelining),
        (proptest::option::of(any::<u64>()), scope)
            .prop_map(|(days, scope)| Capability::Expire { days, scope }),
        Just(Capability::Uidl),
        "[!-~][ -~]{0,40}".prop_map(|t| Capability::Implementation(Text::try_from(t).unwrap())),
        Just(Capability::Stls),
        Just(Capability::AuthRespCode),
        any::<bool>().prop_map(|user| Capability::Utf8 { user }),
        Just(Capability::Lang),
        ("[.X][A-Z-]{1,10}", proptest::collection::vec(token(), 0..4)).prop_map(|(tag, params)| {
            Capability::Other {
                tag: Text::try_from(tag).unwrap(),
                params,
            }
        }),
    ]
}

fn response() -> impl Strategy<Value = Response> {
    prop_oneof![
        status_text().prop_map(|s| Response::Ok(Positive::Text(s))),
        status_text().prop_map(Response::Err),
        proptest::collection::vec(any::<u8>(), 0..100)
            .prop_map(|d| Response::Challenge(Secret::from(d))),
        (any::<u32>(), any::<u64>())
            .prop_map(|(count, size)| Response::Ok(Positive::Stat(DropListing { count, size }))),
        (msg(), any::<u64>())
            .prop_map(|(msg, size)| Response::Ok(Positive::Scan(ScanListing { msg, size }))),
        (msg(), uid())
            .prop_map(|(msg, uid)| Response::Ok(Positive::UniqueId(UniqueIdListing { msg, uid }))),
        (
            status_text(),
            proptest::collection::vec((msg(), any::<u64>()), 0..20)
        )
            .prop_map(|(status, e)| {
                Response::Ok(Positive::ScanListing {
                    status,
                    entries: e
                        .into_iter()
                        .map(|(msg, size)| ScanListing { msg, size })
                        .collect(),
                })
            }),
        (
            status_text(),
            proptest::collection::vec((msg(), uid()), 0..20)
        )
            .prop_map(|(status, e)| {
                Response::Ok(Positive::UniqueIdListing {
                    status,
                    entries: e
                        .into_iter()
                        .map(|(msg, uid)| UniqueIdListing { msg, uid })
                        .collect(),
                })
            }),
        (
            status_text(),
            proptest::collection::vec(capability(), 0..12)
        )
            .prop_map(
                |(status, capabilities)| Response::Ok(Positive::Capabilities {
                    status,
                    capabilities
                })
            ),
        (
            status_text(),
            proptest::collection::vec(("[a-zA-Z*-]{1,10}", utf8_text(0)), 0..6)
        )
            .prop_map(|(status, l)| {
                Response::Ok(Positive::Languages {
                    status,
                    languages: l
                        .into_iter()
                        .map(|(tag, description)| Language {
                            tag: Text::try_from(tag).unwrap(),
                            description,
                        })
                        .collect(),
                })
            }),
        (status_text(), proptest::collection::vec(mechanism(), 0..6)).prop_map(
            |(status, mechanisms)| Response::Ok(Positive::Mechanisms { status, mechanisms })
        ),
    ]
}

fn shape_of(r: &Response) -> ResponseShape {
    match r {
        Response::Challenge(_) => ResponseShape::Sasl,
        Response::Err(_) | Response::Ok(Positive::Text(_)) => ResponseShape::Status,
        Response::Ok(Positive::Stat(_)) => ResponseShape::Stat,
        Response::Ok(Positive::Scan(_)) => ResponseShape::Scan,
        Response::Ok(Positive::UniqueId(_)) => ResponseShape::UniqueId,
        Response::Ok(Positive::ScanListing { .. }) => ResponseShape::ScanListing,
        Response::Ok(Positive::UniqueIdListing { .. }) => ResponseShape::UniqueIdListing,
        Response::Ok(Positive::Capabilities { .. }) => ResponseShape::Capabilities,
        Response::Ok(Positive::Languages { .. }) => ResponseShape::Languages,
        Response::Ok(Positive::Mechanisms { .. }) => ResponseShape::Mechanisms,
        Response::Ok(Positive::Message(_)) => ResponseShape::Message,
        _ => unreachable!("all shapes covered"),
    }
}

/// Cuts `data` at the given points (taken modulo its length).
fn pieces(data: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    points.push(0);
    points.push(data.len());
    points.sort_unstable();
    points.dedup();
    points
        .windows(2)
        .map(|w| data[w[0]..w[1]].to_vec())
        .collect()
}

fn decode_responses(pieces: &[Vec<u8>], shapes: &[ResponseShape]) -> Vec<ResponseEvent> {
    let mut decoder = ResponseDecoder::new(Limits::default());
    let mut buf = BytesMut::new();
    let mut items = Vec::new();
    let mut shapes = shapes.iter();
    let mut shape = shapes.next().copied();
    for piece in pieces {
        buf.extend_from_slice(piece);
        while let Some(s) = shape {
            match decoder.decode(&mut buf, s).expect("decodes") {
                Some(item) => {
                    let done = item.is_final()
                        || matches!(item, ResponseEvent::Response(Response::Challenge(_)));
                    items.push(item);
                    if done {
                        shape = shapes.next().copied();
                    }
                }
                None => break,
            }
        }
    }
    assert!(buf.is_empty(), "bytes left over");
    items
}

fn decode_commands(pieces: &[Vec<u8>]) -> Vec<Command> {
    let mut decoder = CommandDecoder::new(Limits::default(), false);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for piece in pieces {
        buf.extend_from_slice(piece);
        while let Some(frame) = decoder.decode(&mut buf, Expect::Command) {
            match frame.message.expect("decodes") {
                CommandEvent::Command(c) => out.push(c),
                other => panic!("{other:?}"),
            }
        }
    }
    out
}

/// The wire form of a body: bare LF made CRLF, a final CRLF added.
fn normalised(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev = 0;
    for &b in body {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn command_roundtrip(c in command()) {
        prop_assert!(c.validate().is_ok());
        let mut out = BytesMut::new();
        c.encode(&mut out);
        prop_assert!(out.ends_with(b"\r\n"));
        let line = Bytes::copy_from_slice(&out[..out.len() - 2]);
        prop_assert_eq!(parse_command(&line), Ok(c));
    }

    #[test]
    fn response_roundtrip(r in response()) {
        let mut out = BytesMut::new();
        r.encode(&mut out);
        let items = decode_responses(&[out.to_vec()], &[shape_of(&r)]);
        prop_assert_eq!(items, vec![ResponseEvent::Response(r)]);
    }

    #[test]
    fn sasl_answer_roundtrip(data in proptest::collection::vec(any::<u8>(), 0..200), cancel in any::<bool>()) {
        let answer = if cancel { SaslResponse::Cancel } else { SaslResponse::Data(Secret::from(data)) };
        let mut out = BytesMut::new();
        answer.encode(&mut out);
        prop_assert_eq!(SaslResponse::parse(&out[..out.len() - 2]), Ok(answer));
    }

    #[test]
    fn command_stream_split_anywhere(cs in proptest::collection::vec(command(), 1..20),
                                     cuts in proptest::collection::vec(any::<usize>(), 0..40)) {
        let mut wire = BytesMut::new();
        cs.iter().for_each(|c| c.encode(&mut wire));
        prop_assert_eq!(decode_commands(&pieces(&wire, &cuts)), cs);
    }

    #[test]
    fn response_stream_split_anywhere(rs in proptest::collection::vec(response(), 1..12),
                                      cuts in proptest::collection::vec(any::<usize>(), 0..40)) {
        let mut wire = BytesMut::new();
        rs.iter().for_each(|r| r.encode(&mut wire));
        let shapes: Vec<_> = rs.iter().map(shape_of).collect();
        let whole = decode_responses(&[wire.to_vec()], &shapes);
        let split = decode_responses(&pieces(&wire, &cuts), &shapes);
        prop_assert_eq!(&split, &whole);
        prop_assert_eq!(whole, rs.into_iter().map(ResponseEvent::Response).collect::<Vec<_>>());
    }

    /// Any body, written in any chunks and read in any chunks, arrives as its
    /// wire form; a body already in wire form arrives unchanged.
    #[test]
    fn message_body_roundtrip(body in proptest::collection::vec(prop_oneof![
                                  Just(b'.'), Just(b'\r'), Just(b'\n'), Just(0u8), any::<u8>()], 0..400),
                              head in status_text(),
                              write_cuts in proptest::collection::vec(any::<usize>(), 0..10),
                              read_cuts in proptest::collection::vec(any::<usize>(), 0..30),
                              threshold in 0usize..64,
                              shared in any::<bool>()) {
        let response = Response::Ok(Positive::Message(head));
        let mut wire = BytesMut::new();
        response.encode(&mut wire);
        let mut stuffer = Stuffer::new();
        for piece in pieces(&body, &write_cuts) {
            stuffer.write(&piece, &mut wire);
        }
        stuffer.finish(&mut wire);
        let mut limits = Limits::default();
        limits.body_chunk_threshold = threshold;
        let mut decoder = ResponseDecoder::new(limits);
        let mut buf = BytesMut::new();
        let mut shared_buf = Bytes::new();
        let mut got = Vec::new();
        let mut first = None;
        let mut ended = false;
        for piece in pieces(&wire, &read_cuts) {
            // Either a receive buffer, or each read handed over as `Bytes`
            // (what is left of the previous one is joined to it).
            if shared {
                let mut joined = shared_buf.to_vec();
                joined.extend_from_slice(&piece);
                shared_buf = Bytes::from(joined);
            } else {
                buf.extend_from_slice(&piece);
            }
            loop {
                let item = if shared {
                    decoder.decode(&mut shared_buf, ResponseShape::Message).unwrap()
                } else {
                    decoder.decode(&mut buf, ResponseShape::Message).unwrap()
                };
                let Some(item) = item else { break };
                match item {
                    ResponseEvent::Response(r) => first = Some(r),
                    ResponseEvent::BodyChunk(d) => got.extend_from_slice(&d),
                    ResponseEvent::BodyEnd => ended = true,
                    other => prop_assert!(false, "unexpected {other:?}"),
                }
                if ended { break; }
            }
        }
        prop_assert!(ended);
        prop_assert_eq!(first, Some(response));
        prop_assert_eq!(&got, &normalised(&body));
        prop_assert!(buf.is_empty() && shared_buf.is_empty());
    }
}
