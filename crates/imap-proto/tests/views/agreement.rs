//! The reader agrees with the decoder on real traffic: every capture, the
//! lines of the other tests, and generated responses.

use super::*;

// -------------------------------------------------------------- captures

#[test]
fn every_capture_agrees_with_views() {
    let all = common::captures();
    assert!(all.len() >= 40, "captures found: {}", all.len());
    let (mut views, mut events) = (0, 0);
    for (name, _, s2c) in &all {
        // The whole server side, TLS records after STARTTLS included: they
        // are input like any other.
        let whole = agree_with_views(s2c, usize::MAX);
        for read in [1, 7, 4096] {
            assert_eq!(agree_with_views(s2c, read), whole, "{name} read {read}");
        }
        views += whole;
        events += both_ways(&Setup::default(), s2c, usize::MAX).0.len();
    }
    // Dovecot's greetings, status lines, LIST, EXISTS / RECENT / EXPUNGE
    // and FETCH metadata: most of what the captures hold.
    assert!(views >= 700, "{views} views in {events} events");
    assert!(views * 2 >= events, "{views} views in {events} events");
}

// ------------------------------------------------ lines of the other tests

#[test]
fn defect_lines_agree_with_views() {
    let mut lines: Vec<&str> = Vec::new();
    for cases in [
        DEFECTS_IN_FLAG_LISTS,
        DEFECTS_IN_STATUS_RESPONSES,
        DEFECTS_IN_SPACING_AND_LISTS,
        DEFECTS_IN_BODY_STRUCTURES,
        DEFECTS_IN_FETCH_RESPONSES,
    ] {
        for (line, quirk) in cases {
            let views = agree_everywhere(&crlf(line.as_bytes()));
            // A line with a quirk is never a view.
            assert!(quirk.is_none() || views == 0, "{line:?}");
            lines.push(line);
        }
    }
    assert_eq!(agree_everywhere(&crlf(UNDECODABLE_LINE.as_bytes())), 0);
    lines.push(UNDECODABLE_LINE);
    lines.extend(LINES_OF_WIDELY_DEPLOYED_SERVERS);
    lines.extend(GRAMMAR_CORNERS_SERVERS_REACH);
    let views = check_lines_and_stream(&lines);
    assert!(views >= 40, "{views} views");
}

#[test]
fn rfc_examples_agree_with_views() {
    let lines: Vec<&str> = RFC_EXAMPLES.iter().map(|(_, _, l)| *l).collect();
    for (rfc, quirky, line) in RFC_EXAMPLES {
        if *quirky {
            assert_eq!(
                agree_with_views(&crlf(line.as_bytes()), 4096),
                0,
                "{rfc}: {line}"
            );
        }
    }
    let views = check_lines_and_stream(&lines);
    assert!(views >= 100, "{views} views");
}

#[test]
fn other_servers_lines_agree_with_views() {
    let views = check_lines_and_stream(OTHER_SERVERS);
    assert!(views >= 8, "{views} views");
}

/// Each line alone (every setup and read size), then all of them as one
/// stream; returns the views of the stream.
fn check_lines_and_stream(lines: &[&str]) -> usize {
    let mut stream = Vec::new();
    let mut views = 0;
    for line in lines {
        let input = crlf(line.as_bytes());
        views += agree_everywhere(&input);
        stream.extend_from_slice(&input);
    }
    for (_, setup) in setups() {
        for read in READS {
            agree_with_views_in(&setup, &stream, read);
        }
    }
    assert_eq!(agree_with_views(&stream, usize::MAX), views);
    views
}

// -------------------------------------------------------------- proptest

/// Status text with a code views carry (a name, or a name and a number).
fn flat_status() -> impl Strategy<Value = StatusText> {
    use imap_proto::response::Code;
    let code = prop_oneof![
        proptest::sample::select(strategies::simple_codes()),
        any::<u32>().prop_map(Code::UidNext),
        any::<u32>().prop_map(Code::UidValidity),
        any::<u32>().prop_map(Code::Unseen),
        (0..=i64::MAX as u64).prop_map(Code::HighestModSeq),
    ];
    (proptest::option::of(code), strategies::text())
        .prop_map(|(code, text)| StatusText { code, text })
}

/// Responses views cover, in a form they always read: status responses
/// with codes that are a name or a name and a number, EXISTS / RECENT /
/// EXPUNGE, text continuations, FETCH with flat metadata items.
fn flat_covered_response() -> impl Strategy<Value = Response> {
    let item = prop_oneof![
        (1u32..).prop_map(FetchItem::Uid),
        proptest::collection::vec(strategies::flag(false), 0..4).prop_map(FetchItem::Flags),
        strategies::datetime().prop_map(FetchItem::InternalDate),
        (0..=i64::MAX as u64).prop_map(FetchItem::Rfc822Size),
        (0..=i64::MAX as u64).prop_map(FetchItem::ModSeq),
        (0..=i64::MAX as u64).prop_map(FetchItem::GmMsgId),
        (0..=i64::MAX as u64).prop_map(FetchItem::GmThrId),
    ];
    prop_oneof![
        (
            "[A-Za-z0-9.]{1,6}",
            proptest::sample::select(vec![Condition::Ok, Condition::No, Condition::Bad]),
            flat_status(),
        )
            .prop_map(|(tag, condition, text)| Response::Tagged(Tagged {
                tag: imap_proto::types::Tag::try_from(tag.as_str()).unwrap(),
                condition,
                text,
            })),
        flat_status().prop_map(|s| Response::Untagged(Data::Ok(s))),
        flat_status().prop_map(|s| Response::Untagged(Data::No(s))),
        flat_status().prop_map(|s| Response::Untagged(Data::Bad(s))),
        flat_status().prop_map(|s| Response::Untagged(Data::PreAuth(s))),
        flat_status().prop_map(|s| Response::Untagged(Data::Bye(s))),
        any::<u32>().prop_map(|n| Response::Untagged(Data::Exists(n))),
        any::<u32>().prop_map(|n| Response::Untagged(Data::Recent(n))),
        any::<u32>().prop_map(|n| Response::Untagged(Data::Expunge(n))),
        "[a-z]{1,6} [a-z ]{0,10}".prop_map(|t| Response::Continue(Continue::Text(
            StatusText::new(Text::try_from(t.as_str()).unwrap())
        ))),
        ((1u32..), proptest::collection::vec(item, 1..6))
            .prop_map(|(seq, items)| Response::Untagged(Data::Fetch { seq, items })),
    ]
}

/// Covered responses with nested values, which views read when every
/// string in them is 7-bit and every number fits: LIST / LSUB, FETCH
/// ENVELOPE, BODY and BODYSTRUCTURE.
fn nested_covered_response() -> impl Strategy<Value = Response> {
    prop_oneof![
        strategies::list_item().prop_map(|mut l| {
            l.extended.clear();
            Response::Untagged(Data::List(l))
        }),
        strategies::list_item().prop_map(|mut l| {
            l.extended.clear();
            Response::Untagged(Data::Lsub(l))
        }),
        (1u32.., strategies::envelope()).prop_map(|(seq, e)| Response::Untagged(Data::Fetch {
            seq,
            items: vec![FetchItem::Envelope(Box::new(e))],
        })),
        (1u32.., strategies::body()).prop_map(|(seq, b)| Response::Untagged(Data::Fetch {
            seq,
            items: vec![FetchItem::BodyStructure(Box::new(b))],
        })),
    ]
}

fn encode_all(rs: &[Response]) -> Vec<u8> {
    let mut stream = Vec::new();
    for r in rs {
        r.encode(&mut stream);
    }
    stream
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any generated responses (the round-trip strategies of
    /// `responses.rs`), encoded one after the other and read in pieces of
    /// any size.
    #[test]
    fn generated_streams_agree_with_views(
        rs in proptest::collection::vec(strategies::response(), 1..5),
        read in prop_oneof![1usize..8, 1usize..512, Just(usize::MAX)],
    ) {
        agree_with_views(&encode_all(&rs), read);
    }

    /// The same under other settings (strict, UTF-8, bare LF allowed,
    /// streamed literals).
    #[test]
    fn generated_streams_agree_with_views_in_any_setup(
        rs in proptest::collection::vec(strategies::response(), 1..4),
        setup in 0usize..5,
        read in 1usize..64,
    ) {
        let (_, setup) = setups().swap_remove(setup);
        agree_with_views_in(&setup, &encode_all(&rs), read);
    }

    /// Every flat covered response is read as a view: none goes to the
    /// full parser for nothing.
    #[test]
    fn flat_covered_responses_are_views(
        rs in proptest::collection::vec(flat_covered_response(), 1..6),
        read in prop_oneof![1usize..8, Just(usize::MAX)],
    ) {
        let stream = encode_all(&rs);
        let views = agree_with_views(&stream, read);
        prop_assert_eq!(views, rs.len(), "{:?}", String::from_utf8_lossy(&stream));
    }
}

/// Nested covered responses (LIST, ENVELOPE, BODYSTRUCTURE) agree, and a
/// good share of them are views (the generators put 8-bit strings,
/// delimiters that need escapes and extension values in the rest).
#[test]
fn nested_covered_responses_agree_and_are_often_views() {
    let mut runner = TestRunner::new(Config {
        cases: 512,
        failure_persistence: None,
        ..Config::default()
    });
    let (views, total) = (Cell::new(0), Cell::new(0));
    runner
        .run(
            &(
                nested_covered_response(),
                prop_oneof![1usize..8, Just(usize::MAX)],
            ),
            |(r, read)| {
                let enc = r.to_bytes();
                views.set(views.get() + agree_with_views(&enc, read));
                total.set(total.get() + 1);
                Ok(())
            },
        )
        .unwrap();
    assert!(
        views.get() * 5 >= total.get(),
        "{} views of {} responses",
        views.get(),
        total.get()
    );
}
