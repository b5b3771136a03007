//! The framer's tests: every event kind, every chunking of the same
//! stream, the limits, and the linear cost.

use bytes::BytesMut;

use super::*;

/// A framer event with chunking differences removed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Frame {
        data: Vec<u8>,
        offset: u64,
        literals: Vec<(usize, usize, LiteralHeader)>,
        first: bool,
        last: bool,
    },
    Announce(u64, Vec<u8>, Vec<u8>, LiteralHeader),
    Chunk(Vec<u8>),
    End,
    Error(u64, DecodeErrorKind),
}

fn config(side: Side) -> FramerConfig {
    FramerConfig::new(side)
}

/// Frames `input` fed in `chunk`-sized reads, accepting every
/// announcement (or rejecting those whose length is in `reject`).
fn run(config: FramerConfig, input: &[u8], chunk: usize, reject: &[u64]) -> (Vec<Ev>, Framer) {
    let mut f = Framer::new(config);
    let mut buf = BytesMut::new();
    let mut out: Vec<Ev> = Vec::new();
    let mut pos = 0;
    loop {
        while let Some(ev) = f.decode(&mut buf) {
            let ev = match ev {
                FrameEvent::Frame(fr) => Ev::Frame {
                    data: fr.bytes().to_vec(),
                    offset: fr.offset(),
                    literals: fr
                        .literals()
                        .iter()
                        .map(|l| (l.start, l.len, l.header))
                        .collect(),
                    first: fr.is_message_start(),
                    last: fr.is_message_end(),
                },
                FrameEvent::Announcement(a) => {
                    if reject.contains(&a.header.length) {
                        f.reject_literal().unwrap();
                    } else {
                        f.accept_literal().unwrap();
                    }
                    Ev::Announce(
                        a.message_offset,
                        a.first_line.to_vec(),
                        a.line.to_vec(),
                        a.header,
                    )
                }
                FrameEvent::LiteralChunk(c) => {
                    if let Some(Ev::Chunk(prev)) = out.last_mut() {
                        prev.extend_from_slice(&c);
                        continue;
                    }
                    Ev::Chunk(c.to_vec())
                }
                FrameEvent::LiteralEnd => Ev::End,
                FrameEvent::Error(e) => Ev::Error(e.offset, e.kind),
            };
            out.push(ev);
        }
        if pos == input.len() {
            return (out, f);
        }
        let n = chunk.min(input.len() - pos);
        buf.extend_from_slice(&input[pos..pos + n]);
        pos += n;
    }
}

fn frame(data: &[u8], offset: u64, literals: &[(usize, usize, LiteralHeader)]) -> Ev {
    Ev::Frame {
        data: data.to_vec(),
        offset,
        literals: literals.to_vec(),
        first: true,
        last: true,
    }
}

const fn lit(length: u64, mode: LiteralMode, binary: bool) -> LiteralHeader {
    LiteralHeader {
        length,
        mode,
        binary,
    }
}
const SYNC: LiteralMode = LiteralMode::Sync;
const PLUS: LiteralMode = LiteralMode::NonSync;

/// Valid single messages: framed whole by every chunking, and every strict
/// prefix is incomplete.
#[test]
fn valid_messages_and_their_prefixes() {
    type Spans = Vec<(usize, usize, LiteralHeader)>;
    let cases: &[(Side, &[u8], Spans)] = &[
        (Side::Client, b"* OK hi\r\n", vec![]),
        (Side::Client, b"+\r\n", vec![]),
        (
            Side::Client,
            b"* 1 FETCH (BODY[] {3}\r\nabc)\r\n",
            vec![(23, 3, lit(3, SYNC, false))],
        ),
        (
            Side::Client,
            b"* 1 FETCH (BINARY[] ~{3}\r\na\0c)\r\n",
            vec![(26, 3, lit(3, SYNC, true))],
        ),
        (
            Side::Client,
            b"* 1 FETCH (BODY[] {0}\r\n)\r\n",
            vec![(23, 0, lit(0, SYNC, false))],
        ),
        (
            Side::Client,
            b"* 1 FETCH (BODY[] {14}\r\n{5}\r\nab\r\n{1}\r\n BODY[1] {2}\r\n\r\n)\r\n",
            vec![(24, 14, lit(14, SYNC, false)), (52, 2, lit(2, SYNC, false))],
        ),
        (Side::Server, b"A1 NOOP\r\n", vec![]),
        (
            Side::Server,
            b"A1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n",
            vec![(15, 5, lit(5, PLUS, false)), (27, 6, lit(6, PLUS, false))],
        ),
        (
            Side::Server,
            b"A1 APPEND x ~{2+}\r\n\0\0\r\n",
            vec![(19, 2, lit(2, PLUS, true))],
        ),
        (
            Side::Server,
            b"A1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n",
            vec![(14, 5, lit(5, SYNC, false)), (25, 6, lit(6, SYNC, false))],
        ),
        (
            Side::Server,
            b"A1 APPEND x ~{1}\r\n\0\r\n",
            vec![(18, 1, lit(1, SYNC, true))],
        ),
        // Not announcements.
        (Side::Server, b"A1 X {}\r\n", vec![]),
        (Side::Server, b"A1 X {+}\r\n", vec![]),
        (Side::Server, b"A1 X {1a}\r\n", vec![]),
        (Side::Server, b"A1 X 5}\r\n", vec![]),
        (Side::Server, b"A1 X {5} \r\n", vec![]),
        (Side::Server, b"DONE\r\n", vec![]),
    ];
    for (side, input, literals) in cases {
        let want = vec![frame(input, 0, literals)];
        for chunk in [1, 2, 3, 7, input.len()] {
            let (evs, f) = run(config(*side), input, chunk, &[]);
            let frames: Vec<Ev> = evs
                .into_iter()
                .filter(|e| !matches!(e, Ev::Announce(..)))
                .collect();
            assert_eq!(
                frames,
                want,
                "{:?} chunk {chunk}",
                String::from_utf8_lossy(input)
            );
            assert!(f.is_between_messages());
        }
        for cut in 0..input.len() {
            let (evs, f) = run(config(*side), &input[..cut], cut.max(1), &[]);
            assert!(
                evs.iter().all(|e| matches!(e, Ev::Announce(..))),
                "prefix {:?}: {evs:?}",
                String::from_utf8_lossy(&input[..cut])
            );
            assert_eq!(f.offset(), 0);
        }
    }
}

#[test]
fn announcements_carry_tag_line_and_length() {
    let input = b"A1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n";
    let (evs, _) = run(config(Side::Server), input, 1, &[]);
    assert_eq!(
        evs[0],
        Ev::Announce(
            0,
            b"A1 LOGIN {5}".to_vec(),
            b"A1 LOGIN {5}".to_vec(),
            lit(5, SYNC, false)
        )
    );
    assert_eq!(
        evs[1],
        Ev::Announce(
            0,
            b"A1 LOGIN {5}".to_vec(),
            b" {6}".to_vec(),
            lit(6, SYNC, false)
        )
    );
    let mut f = Framer::new(config(Side::Server));
    let mut buf = BytesMut::from(&b"T7 APPEND INBOX {100}\r\n"[..]);
    let Some(FrameEvent::Announcement(a)) = f.decode(&mut buf) else {
        panic!()
    };
    assert_eq!(a.tag(), b"T7");
    assert!(f.is_awaiting_decision());
    // Nothing more until the caller decides.
    buf.extend_from_slice(b"more");
    assert_eq!(f.decode(&mut buf), None);
    assert_eq!(f.decode(&mut buf), None);
}

#[test]
fn server_framing_of_a_sync_literal_waits_for_the_decision() {
    // Without the decision, no literal data is consumed.
    let mut f = Framer::new(config(Side::Server));
    let mut buf = BytesMut::from(&b"A1 LOGIN {5}\r\n"[..]);
    assert!(matches!(
        f.decode(&mut buf),
        Some(FrameEvent::Announcement(_))
    ));
    assert_eq!(f.accept_literal(), Ok(()));
    assert_eq!(f.accept_literal(), Err(UsageError::NoAnnouncement));
    assert_eq!(f.reject_literal(), Err(UsageError::NoAnnouncement));
    assert_eq!(f.decode(&mut buf), None);
}

#[test]
fn rejected_literal_ends_the_message() {
    let input = b"A1 APPEND x {500}\r\nA2 NOOP\r\n";
    let (evs, _) = run(config(Side::Server), input, 1, &[500]);
    assert_eq!(
        evs,
        vec![
            Ev::Announce(
                0,
                b"A1 APPEND x {500}".to_vec(),
                b"A1 APPEND x {500}".to_vec(),
                lit(500, SYNC, false)
            ),
            frame(b"A2 NOOP\r\n", 19, &[]),
        ]
    );
}

#[test]
fn large_literals_are_streamed() {
    let mut c = config(Side::Client);
    c.limits.literal_stream_threshold = 4;
    let input = b"* 1 FETCH (BODY[] {10}\r\n0123456789 BODY[1] {4}\r\nabcd)\r\n* 2 EXISTS\r\n";
    let want = vec![
        Ev::Frame {
            data: b"* 1 FETCH (BODY[] {10}\r\n".to_vec(),
            offset: 0,
            literals: vec![],
            first: true,
            last: false,
        },
        Ev::Chunk(b"0123456789".to_vec()),
        Ev::End,
        Ev::Frame {
            data: b" BODY[1] {4}\r\nabcd)\r\n".to_vec(),
            offset: 34,
            literals: vec![(14, 4, lit(4, SYNC, false))],
            first: false,
            last: true,
        },
        frame(b"* 2 EXISTS\r\n", 55, &[]),
    ];
    for chunk in [1, 3, 10, input.len()] {
        let (evs, f) = run(c.clone(), input, chunk, &[]);
        assert_eq!(evs, want, "chunk {chunk}");
        assert!(f.is_between_messages());
    }
    // A streamed literal the server accepted.
    let mut c = config(Side::Server);
    c.limits.literal_stream_threshold = 2;
    let (evs, _) = run(c, b"A1 APPEND x {3}\r\nabc\r\n", 1, &[]);
    assert_eq!(evs.len(), 5, "{evs:?}");
    assert_eq!(evs[2], Ev::Chunk(b"abc".to_vec()));
}

#[test]
fn nul_in_a_streamed_literal_drops_the_message_but_not_in_literal8() {
    let mut c = config(Side::Client);
    c.limits.literal_stream_threshold = 4;
    let input = b"* 1 FETCH (BODY[] {6}\r\nab\0def BODY[1] {2}\r\nxy)\r\n* 2 EXISTS\r\n";
    for chunk in [1, 3, input.len()] {
        let (evs, f) = run(c.clone(), input, chunk, &[]);
        assert!(matches!(evs[0], Ev::Frame { first: true, .. }), "{evs:?}");
        let errors: Vec<_> = evs
            .iter()
            .filter(|e| matches!(e, Ev::Error(_, DecodeErrorKind::Syntax)))
            .collect();
        assert_eq!(errors.len(), 1, "chunk {chunk}: {evs:?}");
        assert!(
            !evs.iter()
                .any(|e| matches!(e, Ev::Chunk(d) if d.contains(&0))),
            "no NUL handed out"
        );
        assert_eq!(evs.last(), Some(&frame(b"* 2 EXISTS\r\n", 48, &[])));
        assert!(f.is_between_messages());
    }
    let input = b"* 1 FETCH (BINARY[] ~{6}\r\nab\0def)\r\n";
    let (evs, _) = run(c, input, 2, &[]);
    let data: Vec<u8> = evs
        .iter()
        .filter_map(|e| match e {
            Ev::Chunk(d) => Some(d.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(data, b"ab\0def", "literal8 may carry NUL: {evs:?}");
}

#[test]
fn overlong_lines_are_skipped() {
    let mut c = config(Side::Server);
    c.limits.max_command_line = 10;
    // Incomplete, then complete, then a good command.
    let input = b"A1 0123456789012345\r\nA2 NOOP\r\nA3 LOGIN 0123456 {3+}\r\nabc\r\nA4 X\r\n";
    for chunk in [1, 5, input.len()] {
        let (evs, _) = run(c.clone(), input, chunk, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(0, DecodeErrorKind::LineTooLong { limit: 10 }),
                frame(b"A2 NOOP\r\n", 21, &[]),
                Ev::Error(30, DecodeErrorKind::LineTooLong { limit: 10 }),
                frame(b"A4 X\r\n", 58, &[]),
            ],
            "chunk {chunk}"
        );
    }
}

#[test]
fn bare_lf_is_refused_unless_allowed() {
    let input = b"A1 NOOP\nA2 NOOP\r\n";
    let (evs, _) = run(config(Side::Server), input, 1, &[]);
    assert_eq!(
        evs,
        vec![
            Ev::Error(0, DecodeErrorKind::BareLineFeed),
            frame(b"A2 NOOP\r\n", 8, &[])
        ]
    );
    let mut c = config(Side::Server);
    c.allow_bare_lf = true;
    let (evs, _) = run(c, b"A1 LOGIN {1+}\nx {1}\ny\n", 1, &[]);
    assert_eq!(
        evs[1],
        frame(
            b"A1 LOGIN {1+}\nx {1}\ny\n",
            0,
            &[(14, 1, lit(1, PLUS, false)), (20, 1, lit(1, SYNC, false))]
        )
    );
}

#[test]
fn literal_lengths_are_checked() {
    // 2^64 does not wrap to 0.
    let input = b"* 1 FETCH (BODY[] {18446744073709551616}\r\n* 2 EXISTS\r\n";
    let (evs, _) = run(config(Side::Client), input, 1, &[]);
    assert_eq!(
        evs,
        vec![
            Ev::Error(18, DecodeErrorKind::LiteralLengthOverflow),
            frame(b"* 2 EXISTS\r\n", 42, &[])
        ]
    );
    // Too large, from a server: the data is skipped as it arrives.
    let mut c = config(Side::Client);
    c.limits.max_literal_size = 5;
    let (evs, _) = run(
        c,
        b"* 1 FETCH (BODY[] {6}\r\n{1}\r\n {1}\r\nx)\r\n* 2 EXISTS\r\n",
        1,
        &[],
    );
    assert_eq!(
        evs,
        vec![
            Ev::Error(
                18,
                DecodeErrorKind::LiteralTooLarge {
                    length: 6,
                    limit: 5
                }
            ),
            frame(b"* 2 EXISTS\r\n", 38, &[]),
        ]
    );
    // Too large, sync, from a client: the client waits, the next line is a command.
    let mut c = config(Side::Server);
    c.limits.max_literal_size = 5;
    let (evs, _) = run(c.clone(), b"A1 APPEND x {6}\r\nA2 NOOP\r\n", 1, &[]);
    assert_eq!(
        evs,
        vec![
            Ev::Error(
                12,
                DecodeErrorKind::LiteralTooLarge {
                    length: 6,
                    limit: 5
                }
            ),
            frame(b"A2 NOOP\r\n", 17, &[]),
        ]
    );
    // Too large, non-sync: skipped.
    let (evs, _) = run(c, b"A1 APPEND x {6+}\r\n123456\r\nA2 NOOP\r\n", 1, &[]);
    assert_eq!(
        evs,
        vec![
            Ev::Error(
                12,
                DecodeErrorKind::LiteralTooLarge {
                    length: 6,
                    limit: 5
                }
            ),
            frame(b"A2 NOOP\r\n", 26, &[]),
        ]
    );
}

#[test]
fn literal_minus_limits_non_sync_literals() {
    let mut c = config(Side::Server);
    c.non_sync_limit = Some(4096);
    let mut input = b"A1 APPEND x {4097+}\r\n".to_vec();
    input.extend_from_slice(&[b'x'; 4097]);
    input.extend_from_slice(b"\r\nA2 APPEND x {4096+}\r\n");
    input.extend_from_slice(&[b'y'; 4096]);
    input.extend_from_slice(b"\r\n");
    let (evs, _) = run(c, &input, 1000, &[]);
    assert_eq!(evs.len(), 2);
    assert_eq!(
        evs[0],
        Ev::Error(
            12,
            DecodeErrorKind::NonSyncLiteralTooLarge {
                length: 4097,
                limit: 4096
            }
        )
    );
    assert!(matches!(
        &evs[1],
        Ev::Frame {
            offset: 4120,
            first: true,
            last: true,
            ..
        }
    ));
}

#[test]
fn message_and_literal_counts_are_bounded() {
    let mut c = config(Side::Client);
    c.limits.max_literals = 2;
    let input = b"* 1 X {0}\r\n {0}\r\n {0}\r\n {1}\r\nz\r\n* 2 Y\r\n";
    let (evs, _) = run(c, input, 1, &[]);
    assert_eq!(
        evs,
        vec![
            Ev::Error(18, DecodeErrorKind::TooManyLiterals { limit: 2 }),
            frame(b"* 2 Y\r\n", 32, &[])
        ]
    );
    let mut c = config(Side::Client);
    c.limits.max_message_size = 20;
    let input = b"* 1 X {10}\r\n0123456789 {2}\r\nab\r\n* 2 Y\r\n";
    let (evs, _) = run(c, input, 3, &[]);
    assert_eq!(
        evs,
        vec![
            Ev::Error(6, DecodeErrorKind::MessageTooLarge { limit: 20 }),
            frame(b"* 2 Y\r\n", 32, &[])
        ]
    );
}

#[test]
fn an_overlong_line_announcing_a_literal_skips_the_literal() {
    let mut c = config(Side::Client);
    c.limits.max_response_line = 16;
    let input = b"* 1 FETCH (BODY[HEADER] {4}\r\nA1 X)\r\n* 2 Y\r\n";
    for chunk in [1, 4, input.len()] {
        let (evs, _) = run(c.clone(), input, chunk, &[]);
        assert_eq!(
            evs,
            vec![
                Ev::Error(0, DecodeErrorKind::LineTooLong { limit: 16 }),
                frame(b"* 2 Y\r\n", 36, &[])
            ]
        );
    }
}

#[test]
fn zero_copy_from_a_shared_buffer() {
    let input = Bytes::from_static(b"* 1 FETCH (BODY[] {3}\r\nabc)\r\n* 2 Y\r\n");
    let mut buf = input.clone();
    let mut f = Framer::new(config(Side::Client));
    let Some(FrameEvent::Frame(fr)) = f.decode(&mut buf) else {
        panic!()
    };
    assert_eq!(fr.bytes().as_ptr(), input.as_ptr());
    let lit = fr.literal_data(&fr.literals()[0]);
    assert_eq!(&lit[..], b"abc");
    assert_eq!(lit.as_ptr(), input[23..].as_ptr());
    let Some(FrameEvent::Frame(fr)) = f.decode(&mut buf) else {
        panic!()
    };
    assert_eq!(fr.offset(), 29);
    assert_eq!(f.decode(&mut buf), None);
}

/// 1 MB in 1-byte reads: every octet is looked at a bounded number of
/// times (counted, not timed).
#[test]
fn cost_is_linear_for_one_byte_reads() {
    let mut input = Vec::new();
    let mut n = 0;
    while input.len() < 1_000_000 {
        n += 1;
        input.extend_from_slice(format!("* {n} FETCH (UID {n} BODY[] {{300}}\r\n").as_bytes());
        input.extend_from_slice(&[b'x'; 300]);
        input.extend_from_slice(b" FLAGS (\\Seen))\r\n");
        input.extend_from_slice(&[b'a'; 2000]);
        input.extend_from_slice(b"\r\n");
    }
    let (evs, f) = run(config(Side::Client), &input, 1, &[]);
    assert_eq!(evs.len(), 2 * n);
    assert_eq!(f.offset(), input.len() as u64);
    assert!(
        f.octets_examined() <= input.len() as u64 * 2,
        "{} octets examined for {}",
        f.octets_examined(),
        input.len()
    );
    let (whole, f2) = run(config(Side::Client), &input, input.len(), &[]);
    assert_eq!(whole, evs);
    assert_eq!(f2.octets_examined(), f.octets_examined());
}
