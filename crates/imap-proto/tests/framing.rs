//! Framer tests over whole streams: every real capture frames completely into
//! messages, and any split of a valid stream frames the same (proptest).

use bytes::BytesMut;
use imap_proto::codec::{
    Announcement, FrameEvent, Framer, FramerConfig, LiteralHeader, LiteralMode, ReceiveBuffer, Side,
};
use proptest::prelude::*;

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
    Announce(u64, Vec<u8>, LiteralHeader),
    /// The announcement was refused; the line is dropped by the framer.
    Refused(Vec<u8>),
    Chunk(Vec<u8>),
    End,
    Error(String),
}

/// Says whether the server accepts a literal announcement.
type Decide<'a> = &'a mut dyn FnMut(&Announcement) -> bool;

/// Drains the framer, deciding on announcements with `decide`.
fn drain<B: ReceiveBuffer>(f: &mut Framer, buf: &mut B, out: &mut Vec<Ev>, decide: Decide<'_>) {
    while let Some(ev) = f.decode(buf) {
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
                out.push(Ev::Announce(a.message_offset, a.line.to_vec(), a.header));
                if decide(&a) {
                    f.accept_literal().unwrap();
                    continue;
                }
                f.reject_literal().unwrap();
                Ev::Refused(a.line.to_vec())
            }
            FrameEvent::LiteralChunk(c) => {
                if let Some(Ev::Chunk(prev)) = out.last_mut() {
                    prev.extend_from_slice(&c);
                    continue;
                }
                Ev::Chunk(c.to_vec())
            }
            FrameEvent::LiteralEnd => Ev::End,
            FrameEvent::Error(e) => Ev::Error(e.to_string()),
            other => panic!("unexpected {other:?}"),
        };
        out.push(ev);
    }
}

/// Frames `input` split at `cuts` (sorted offsets), through an owned buffer.
fn run_split(config: &FramerConfig, input: &[u8], cuts: &[usize]) -> (Vec<Ev>, Framer) {
    run_split_with(config, input, cuts, &mut |_| true)
}

fn run_split_with(
    config: &FramerConfig,
    input: &[u8],
    cuts: &[usize],
    decide: Decide<'_>,
) -> (Vec<Ev>, Framer) {
    let mut f = Framer::new(config.clone());
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut pos = 0;
    for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
        let cut = cut.clamp(pos, input.len());
        buf.extend_from_slice(&input[pos..cut]);
        pos = cut;
        drain(&mut f, &mut buf, &mut out, decide);
    }
    (out, f)
}

fn run_chunked(config: &FramerConfig, input: &[u8], chunk: usize) -> (Vec<Ev>, Framer) {
    run_chunked_with(config, input, chunk, &mut |_| true)
}

fn run_chunked_with(
    config: &FramerConfig,
    input: &[u8],
    chunk: usize,
    decide: Decide<'_>,
) -> (Vec<Ev>, Framer) {
    let cuts: Vec<usize> = (1..=input.len() / chunk).map(|i| i * chunk).collect();
    run_split_with(config, input, &cuts, decide)
}

/// The whole stream as one shared `Bytes` (the zero-copy path).
fn run_shared(config: &FramerConfig, input: &[u8], decide: Decide<'_>) -> (Vec<Ev>, Framer) {
    let mut f = Framer::new(config.clone());
    let mut buf = bytes::Bytes::copy_from_slice(input);
    let mut out = Vec::new();
    drain(&mut f, &mut buf, &mut out, decide);
    (out, f)
}

/// Replays the server's decisions on announced literals from its bytes
/// (no pipelining in the captures): the k-th announcement of a tag was
/// accepted when at least k `+` lines precede the tag's tagged response,
/// after the previous tagged response.
fn server_decisions(s2c: &[u8]) -> impl FnMut(&Announcement) -> bool + '_ {
    let mut seen: Vec<(Vec<u8>, usize)> = Vec::new();
    move |a: &Announcement| {
        let tag = a.tag().to_vec();
        let k = match seen.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((tag.clone(), 1));
                1
            }
        };
        let mut plus = 0;
        for line in s2c.split(|&b| b == b'\n') {
            if line.starts_with(b"+") {
                plus += 1;
            } else if line.starts_with(&tag) && line.get(tag.len()) == Some(&b' ') {
                return plus >= k;
            } else if !line.starts_with(b"*") && !line.is_empty() {
                plus = 0;
            }
        }
        true
    }
}

mod common;
use common::captures;

fn frame_data(ev: &Ev) -> Option<&[u8]> {
    match ev {
        Ev::Frame { data, .. } => Some(data),
        _ => None,
    }
}

/// Where plaintext ends in a STARTTLS capture: after the client's STARTTLS
/// command, and after the server's tagged answer to it.
fn upgrade_points(c2s: &[u8], s2c: &[u8]) -> (usize, usize) {
    let pos = c2s
        .windows(10)
        .position(|w| w.eq_ignore_ascii_case(b" STARTTLS\r"))
        .unwrap();
    let line_start = c2s[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let tag = &c2s[line_start..pos];
    let c_end = pos + 11;
    let mut needle = b"\n".to_vec();
    needle.extend_from_slice(tag);
    needle.extend_from_slice(b" OK ");
    let at = s2c.windows(needle.len()).position(|w| w == needle).unwrap();
    let s_end = at + memchr_lf(&s2c[at + 1..]) + 2;
    (c_end, s_end)
}

fn memchr_lf(b: &[u8]) -> usize {
    b.iter().position(|&c| c == b'\n').unwrap()
}

#[test]
fn every_capture_frames_completely() {
    let all = captures();
    assert!(all.len() >= 40, "captures found: {}", all.len());
    for (name, c2s, s2c) in &all {
        let (c2s, s2c) = if name.contains("starttls") {
            let (c, s) = upgrade_points(c2s, s2c);
            (&c2s[..c], &s2c[..s])
        } else {
            (&c2s[..], &s2c[..])
        };
        for (side, bytes) in [(Side::Server, c2s), (Side::Client, s2c)] {
            let config = FramerConfig::new(side);
            let mut decide = server_decisions(s2c);
            let (evs, f) = run_chunked_with(&config, bytes, bytes.len().max(1), &mut decide);
            assert!(
                !evs.iter().any(|e| matches!(e, Ev::Error(_))),
                "{name} {side:?}: {evs:?}"
            );
            assert_eq!(f.offset(), bytes.len() as u64, "{name} {side:?}");
            assert!(f.is_between_messages(), "{name} {side:?}");
            // Concatenated, the frames and chunks are the input.
            let mut joined = Vec::new();
            for e in &evs {
                match e {
                    Ev::Frame { data, .. } | Ev::Chunk(data) => joined.extend_from_slice(data),
                    Ev::Refused(line) => {
                        joined.extend_from_slice(line);
                        joined.extend_from_slice(b"\r\n");
                    }
                    _ => {}
                }
            }
            assert!(joined == bytes, "{name} {side:?}: frames do not add up");
            // Every message is a line (or lines with literals) ending in CRLF.
            for e in &evs {
                if let Some(d) = frame_data(e) {
                    assert!(
                        d.ends_with(b"\r\n"),
                        "{name}: {:?}",
                        String::from_utf8_lossy(d)
                    );
                }
            }
            // Chunking does not matter.
            for chunk in [1, 7, 4096] {
                if chunk == 1 && bytes.len() > 300_000 {
                    continue;
                }
                let mut decide = server_decisions(s2c);
                let (chunked, _) = run_chunked_with(&config, bytes, chunk, &mut decide);
                assert!(chunked == evs, "{name} {side:?} chunk {chunk}");
            }
            let mut decide = server_decisions(s2c);
            let (shared, _) = run_shared(&config, bytes, &mut decide);
            assert!(shared == evs, "{name} {side:?} shared");
        }
    }
}

#[test]
fn captures_frame_into_the_expected_messages() {
    let all = captures();
    let get = |n: &str| all.iter().find(|c| c.0 == n).unwrap();
    // APPEND with a synchronizing literal: one command, announced first.
    let (_, c2s, s2c) = get("imaplib-append-literal");
    let mut decide = server_decisions(s2c);
    let (evs, _) = run_chunked_with(&FramerConfig::new(Side::Server), c2s, 512, &mut decide);
    let announces = evs.iter().filter(|e| matches!(e, Ev::Announce(..))).count();
    assert_eq!(announces, 4);
    let appends: Vec<&Ev> = evs
        .iter()
        .filter(|e| frame_data(e).is_some_and(|d| d.windows(7).any(|w| w == b" APPEND")))
        .collect();
    // The fourth APPEND (to a missing mailbox) was refused before its
    // literal: the command ends at its first line, and LOGOUT follows.
    assert_eq!(appends.len(), 3);
    let refused = evs
        .iter()
        .position(|e| matches!(e, Ev::Refused(_)))
        .unwrap();
    assert_eq!(
        evs[refused],
        Ev::Refused(b"EOIP5 APPEND NoSuchFolder {334}".to_vec())
    );
    assert_eq!(
        frame_data(&evs[refused + 1]),
        Some(&b"EOIP6 LOGOUT\r\n"[..])
    );
    for a in appends {
        let Ev::Frame { literals, .. } = a else {
            unreachable!()
        };
        assert_eq!(literals.len(), 1);
        assert_eq!(literals[0].2.mode, LiteralMode::Sync);
    }
    // AUTHENTICATE data lines and IDLE's DONE are lines of their own.
    let (_, c2s, _) = get("imaplib-idle");
    let (evs, _) = run_chunked(&FramerConfig::new(Side::Server), c2s, 1);
    assert!(evs.iter().any(|e| frame_data(e) == Some(b"DONE\r\n")));
    let (_, c2s, _) = get("imaplib-authenticate-plain");
    let (evs, _) = run_chunked(&FramerConfig::new(Side::Server), c2s, 1);
    assert!(
        evs.iter()
            .any(|e| frame_data(e) == Some(b"AGFsaWNlAHNlY3JldA==\r\n"))
    );
    // The 2 MB body is streamed with the default threshold.
    let (_, _, s2c) = get("curl-fetch-large");
    let (evs, _) = run_chunked(&FramerConfig::new(Side::Client), s2c, 16 * 1024);
    assert!(
        evs.iter()
            .any(|e| matches!(e, Ev::Chunk(c) if c.len() > 1024 * 1024))
    );
    assert_eq!(evs.iter().filter(|e| matches!(e, Ev::End)).count(), 1);
}

/// A generated literal: mode, literal8 or not, data.
type Lit = (LiteralMode, bool, Vec<u8>);

/// One message of a generated stream: segments of line text, each but the
/// last followed by a literal.
#[derive(Debug, Clone)]
struct Msg {
    lines: Vec<(Vec<u8>, Option<Lit>)>,
}

fn line_text() -> impl Strategy<Value = Vec<u8>> {
    // No CR, LF; never ends with '}' (that would be an announcement).
    proptest::collection::vec(
        prop_oneof![
            Just(b'a'),
            Just(b' '),
            Just(b'('),
            Just(b')'),
            Just(b'{'),
            Just(b'1'),
            Just(b'+'),
            Just(b'~'),
            Just(b'"'),
            Just(b'*'),
            (0x21u8..0x7f).prop_filter("no brace", |b| *b != b'}'),
        ],
        0..12,
    )
}

fn literal() -> impl Strategy<Value = Lit> {
    (
        prop_oneof![Just(LiteralMode::Sync), Just(LiteralMode::NonSync)],
        any::<bool>(),
        proptest::collection::vec(
            prop_oneof![
                Just(b'\r'),
                Just(b'\n'),
                Just(b'{'),
                Just(b'}'),
                Just(0u8),
                any::<u8>()
            ],
            0..40,
        ),
    )
        // NUL only in literal8: in a plain literal it makes the message
        // invalid (tested on its own), and these streams are valid.
        .prop_map(|(mode, binary, mut data)| {
            if !binary {
                data.iter_mut().filter(|b| **b == 0).for_each(|b| *b = 1);
            }
            (mode, binary, data)
        })
}

fn message() -> impl Strategy<Value = Msg> {
    (
        proptest::collection::vec((line_text(), literal()), 0..4),
        line_text(),
    )
        .prop_map(|(with, last)| {
            let mut lines: Vec<_> = with.into_iter().map(|(l, lit)| (l, Some(lit))).collect();
            lines.push((last, None));
            Msg { lines }
        })
}

fn encode(msgs: &[Msg]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in msgs {
        for (i, (text, lit)) in m.lines.iter().enumerate() {
            if i == 0 {
                out.extend_from_slice(b"T ");
            }
            out.extend_from_slice(text);
            if let Some((mode, binary, data)) = lit {
                if *binary {
                    out.push(b'~');
                }
                out.extend_from_slice(format!("{{{}", data.len()).as_bytes());
                if *mode == LiteralMode::NonSync {
                    out.push(b'+');
                }
                out.extend_from_slice(b"}\r\n");
                out.extend_from_slice(data);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any split of a valid stream frames to the same events as the unsplit
    /// stream, and the messages are the ones encoded.
    #[test]
    fn chunking_invariance(
        msgs in proptest::collection::vec(message(), 1..6),
        server in any::<bool>(),
        threshold in prop_oneof![Just(u64::MAX), 0u64..48],
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let input = encode(&msgs);
        let side = if server { Side::Server } else { Side::Client };
        let mut config = FramerConfig::new(side);
        let mut limits = imap_proto::Limits::default();
        limits.literal_stream_threshold = threshold;
        config.limits = limits;
        let (whole, f) = run_split(&config, &input, &[]);
        prop_assert!(f.is_between_messages());
        prop_assert_eq!(f.offset(), input.len() as u64);
        let ends = whole.iter().filter(|e| matches!(e, Ev::Frame { last: true, .. })).count();
        prop_assert_eq!(ends, msgs.len());
        prop_assert!(!whole.iter().any(|e| matches!(e, Ev::Error(_))));
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(input.len() + 1)).collect();
        cuts.sort_unstable();
        let (split, _) = run_split(&config, &input, &cuts);
        prop_assert_eq!(&split, &whole);
        let (bytewise, g) = run_chunked(&config, &input, 1);
        prop_assert_eq!(&bytewise, &whole);
        prop_assert!(g.octets_examined() <= 2 * input.len() as u64);
    }
}

/// Pieces of arbitrary input: single octets that matter to the framer, and
/// announcements valid, too large, overflowing and with bare LF.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"+",
    b"~",
    b"\r",
    b"\n",
    b"1",
    b"0",
    b" ",
    b"a",
    b"A1 X ",
    b"{5}\r\n",
    b"{3+}\r\n",
    b"~{2}\r\n",
    b"{0}\r\n",
    b"{40}\r\n",
    b"{35+}\n",
    b"{101}\r\n",
    b"{99999999999999999999}\r\n",
    b"\r\n",
    b"aaaaaaaaaaaaaaaaaaaa",
];

/// Errors compared by offset and kind only (the escaped octets shown depend
/// on how much of an overlong line had arrived).
fn error_positions(evs: &[Ev]) -> Vec<Ev> {
    evs.iter()
        .map(|e| match e {
            Ev::Error(s) => Ev::Error(s.split(": expected").next().unwrap_or_default().to_owned()),
            other => other.clone(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary bytes with small limits: no panic, every octet accounted
    /// for, memory bounded, and chunking still does not matter, errors
    /// included.
    #[test]
    fn arbitrary_input_is_framed_the_same_in_any_chunks(
        input in proptest::collection::vec(
            prop_oneof![
                3 => prop::sample::select(TOKENS).prop_map(<[u8]>::to_vec),
                1 => any::<u8>().prop_map(|b| vec![b]),
            ],
            0..120,
        ).prop_map(|parts| parts.concat()),
        server in any::<bool>(),
        bare_lf in any::<bool>(),
        threshold in 0u64..40,
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let side = if server { Side::Server } else { Side::Client };
        let mut config = FramerConfig::new(side);
        config.allow_bare_lf = bare_lf;
        config.non_sync_limit = server.then_some(30);
        let mut limits = imap_proto::Limits::default();
        limits.max_command_line = 32;
        limits.max_response_line = 32;
        limits.max_message_size = 120;
        limits.max_literal_size = 100;
        limits.max_literals = 4;
        limits.literal_stream_threshold = threshold;
        config.limits = limits;

        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(input.len() + 1)).collect();
        cuts.sort_unstable();
        // Bounded memory: after each drain, the buffer holds at most one
        // message's kept octets plus one partial line.
        let mut f = Framer::new(config.clone());
        let mut buf = BytesMut::new();
        let mut split = Vec::new();
        let mut pos = 0;
        for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
            buf.extend_from_slice(&input[pos..cut]);
            pos = cut;
            drain(&mut f, &mut buf, &mut split, &mut |_| true);
            prop_assert!(buf.len() <= 120 + 32, "{} octets buffered", buf.len());
            prop_assert_eq!(f.offset() + buf.len() as u64, pos as u64);
        }
        let (whole, _) = run_split(&config, &input, &[]);
        let (bytewise, g) = run_chunked(&config, &input, 1);
        prop_assert_eq!(error_positions(&split), error_positions(&whole));
        prop_assert_eq!(error_positions(&bytewise), error_positions(&whole));
        prop_assert!(g.octets_examined() <= 2 * input.len() as u64 + 2);
    }
}
