//! Realistic IMAP server traces for the benches: a large FETCH metadata
//! dump, a body download of many literals, a long LIST; and drivers that
//! push a trace through the `imap-proto` framer in fixed-size reads.

use bytes::BytesMut;
use imap_proto::codec::{FrameEvent, Framer, FramerConfig, Side};
use imap_proto::{ResponseDecoder, ResponseEvent};

use crate::SplitMix64;

const NAMES: &[&str] = &[
    "Alice Example",
    "Bob Smith",
    "Carol Jones",
    "Dave O'Brien",
    "Erin Mueller",
    "Frank Li",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "mail.example.net",
    "lists.example.io",
];
const SUBJECTS: &[&str] = &[
    "Re: quarterly report",
    "Lunch on Thursday?",
    "[ci] nightly build failed",
    "Photos from the trip",
    "=?UTF-8?B?V2Vla2x5IGRpZ2VzdCDinJM=?=",
    "Your order has shipped",
    "Meeting notes (draft)",
];

fn address(rng: &mut SplitMix64) -> String {
    let name = NAMES[rng.range(0, NAMES.len() - 1)];
    let user = name
        .split(' ')
        .next()
        .unwrap_or("user")
        .to_ascii_lowercase()
        .replace('\'', "");
    let host = DOMAINS[rng.range(0, DOMAINS.len() - 1)];
    format!("(\"{name}\" NIL \"{user}\" \"{host}\")")
}

/// `* n FETCH (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)`
/// for `count` messages, then the tagged OK: what a client's first sync of a
/// mailbox receives.
pub fn fetch_dump(count: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(count * 900);
    for n in 1..=count {
        let size = rng.range(800, 400_000);
        let flags = match rng.range(0, 3) {
            0 => "",
            1 => "\\Seen",
            2 => "\\Seen \\Answered",
            _ => "\\Seen $Forwarded",
        };
        let subject = SUBJECTS[rng.range(0, SUBJECTS.len() - 1)];
        let (from, to) = (address(&mut rng), address(&mut rng));
        let body = if rng.chance(1, 3) {
            format!(
                "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" {} {} NIL NIL NIL NIL)\
                 (\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" {} {} NIL NIL NIL NIL) \
                 \"alternative\" (\"boundary\" \"b1_{n}\") NIL NIL NIL)",
                size / 3,
                size / 90,
                size / 2,
                size / 60
            )
        } else {
            format!(
                "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" {size} {} NIL NIL NIL NIL)",
                size / 70
            )
        };
        out.extend_from_slice(
            format!(
                "* {n} FETCH (UID {} FLAGS ({flags}) INTERNALDATE \"{:>2}-Jan-2023 09:{:02}:{:02} +0000\" RFC822.SIZE {size} \
                 ENVELOPE (\"Mon, {} Jan 2023 09:00:00 +0000\" \"{subject}\" ({from}) ({from}) ({from}) ({to}) NIL NIL NIL \
                 \"<{n}.{}@example.com>\") BODYSTRUCTURE {body})\r\n",
                n + 1000,
                1 + n % 28,
                n % 60,
                (n * 7) % 60,
                1 + n % 28,
                rng.next_u64() % 100_000,
            )
            .as_bytes(),
        );
    }
    out.extend_from_slice(b"A0005 OK Fetch completed (0.123 + 0.000 + 0.122 secs).\r\n");
    out
}

/// `count` `* n FETCH (UID u BODY[] {size}` literals with message bodies of
/// realistic sizes (most a few KiB, some hundreds), then the tagged OK.
pub fn body_download(count: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::new();
    let line =
        b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n";
    for n in 1..=count {
        let size = match rng.range(0, 99) {
            0..=59 => rng.range(1_000, 8_000),
            60..=89 => rng.range(8_000, 60_000),
            90..=97 => rng.range(60_000, 400_000),
            _ => rng.range(400_000, 2_000_000),
        };
        let mut body = Vec::with_capacity(size);
        body.extend_from_slice(
            format!("Subject: message {n}\r\nFrom: a@example.com\r\n\r\n").as_bytes(),
        );
        while body.len() + line.len() <= size {
            body.extend_from_slice(line);
        }
        out.extend_from_slice(
            format!(
                "* {n} FETCH (UID {} BODY[] {{{}}}\r\n",
                n + 1000,
                body.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&body);
        out.extend_from_slice(b")\r\n");
    }
    out.extend_from_slice(b"A0006 OK Fetch completed.\r\n");
    out
}

/// A `LIST "" "*"` answer of `count` mailboxes.
pub fn list_dump(count: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(count * 60);
    for n in 0..count {
        let attrs = match rng.range(0, 3) {
            0 => "\\HasNoChildren",
            1 => "\\HasChildren",
            2 => "\\HasNoChildren \\Marked",
            _ => "\\HasNoChildren \\Archive",
        };
        out.extend_from_slice(
            format!(
                "* LIST ({attrs}) \"/\" \"Projects/{}/Folder {n}\"\r\n",
                DOMAINS[n % DOMAINS.len()]
            )
            .as_bytes(),
        );
    }
    out.extend_from_slice(b"A0003 OK List completed.\r\n");
    out
}

/// Frames `trace` with the client-side framer, fed in reads of `read_size`
/// octets; returns (messages, octets in frames and literal chunks).
///
/// # Panics
///
/// If the trace does not frame cleanly.
pub fn frame_trace(trace: &[u8], read_size: usize) -> (usize, usize) {
    let mut framer = Framer::new(FramerConfig::new(Side::Client));
    let mut buf = BytesMut::with_capacity(read_size * 2);
    let (mut messages, mut octets) = (0, 0);
    for read in trace.chunks(read_size) {
        buf.extend_from_slice(read);
        while let Some(event) = framer.decode(&mut buf) {
            match event {
                FrameEvent::Frame(f) => {
                    octets += f.bytes().len();
                    if f.is_message_end() {
                        messages += 1;
                    }
                }
                FrameEvent::LiteralChunk(c) => octets += c.len(),
                FrameEvent::LiteralEnd => {}
                other => panic!("unexpected framing event {other:?}"),
            }
        }
    }
    assert!(buf.is_empty(), "octets left over");
    (messages, octets)
}

/// Decodes `trace` into typed responses with the imap-proto
/// `ResponseDecoder`, fed in reads of `read_size` octets; returns the number
/// of complete responses.
///
/// # Panics
///
/// If a response does not decode.
pub fn parse_trace(trace: &[u8], read_size: usize) -> usize {
    let mut decoder = ResponseDecoder::new();
    let mut buf = BytesMut::with_capacity(read_size * 2);
    let mut responses = 0;
    for read in trace.chunks(read_size) {
        buf.extend_from_slice(read);
        while let Some(event) = decoder.decode(&mut buf) {
            match event {
                ResponseEvent::Response { response, .. } => {
                    std::hint::black_box(&response);
                    responses += 1;
                }
                ResponseEvent::FetchRest { literal: None, .. } => responses += 1,
                ResponseEvent::Error(e) => panic!("decode error: {e}"),
                _ => {}
            }
        }
    }
    assert!(buf.is_empty(), "octets left over");
    responses
}

/// Counts LF octets of `trace` read in `read_size` chunks: the lower bound
/// for any line-oriented decoder.
pub fn line_scan(trace: &[u8], read_size: usize) -> usize {
    trace
        .chunks(read_size)
        .map(|r| memchr::memchr_iter(b'\n', r).count())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_frame_into_the_expected_messages() {
        for read in [1, 7, 16 * 1024] {
            let trace = fetch_dump(50, 1);
            assert_eq!(frame_trace(&trace, read), (51, trace.len()));
            let trace = list_dump(100, 2);
            assert_eq!(frame_trace(&trace, read).0, 101);
        }
        let trace = body_download(30, 3);
        assert_eq!(frame_trace(&trace, 16 * 1024), (31, trace.len()));
        assert_eq!(parse_trace(&trace, 16 * 1024), 31);
        assert_eq!(parse_trace(&fetch_dump(50, 1), 7), 51);
        assert_eq!(parse_trace(&list_dump(100, 2), 1), 101);
    }
}
