//! Realistic IMAP server traces for the benches: a large FETCH metadata
//! dump, a body download of many literals, a long LIST; and drivers that
//! push a trace through the `imap-proto` framer in fixed-size reads.

use bytes::{Bytes, BytesMut};
use imap_proto::codec::{FrameEvent, Framer, FramerConfig, Side};
use imap_proto::parse::Strictness;
use imap_proto::view::{
    AddressesView, BodyView, EnvelopeView, FetchItemView, NStr, ResponseView, ViewEvent, ViewReader,
};
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

/// `count` status responses as a busy session sees them: tagged
/// completions with and without response codes, untagged EXISTS / RECENT /
/// EXPUNGE updates while idling, `* OK [code]` lines from SELECT, FLAGS
/// updates and IDLE continuations.
pub fn status_lines(count: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(count * 40);
    let mut exists = 1000usize;
    for n in 0..count {
        let line = match rng.range(0, 11) {
            0 | 1 => {
                exists += 1;
                format!("* {exists} EXISTS\r\n")
            }
            2 => format!("* {} RECENT\r\n", rng.range(0, 5)),
            3 | 4 => {
                exists -= 1;
                format!("* {} EXPUNGE\r\n", rng.range(1, exists))
            }
            5 => format!("A{n:05} OK [READ-WRITE] SELECT completed (0.002 + 0.000 secs).\r\n"),
            6 => format!("A{n:05} OK Idle completed (12.345 + 12.344 + 0.001 secs).\r\n"),
            7 => format!(
                "* OK [UIDVALIDITY {}] UIDs valid\r\n",
                1_600_000_000 + rng.range(0, 1000)
            ),
            8 => format!("* OK [UIDNEXT {}] Predicted next UID\r\n", exists + 5),
            9 => format!(
                "* OK [HIGHESTMODSEQ {}] Highest\r\n",
                rng.next_u64() % 1_000_000
            ),
            10 => format!("A{n:05} NO [TRYCREATE] Mailbox doesn't exist: Archive/2023\r\n"),
            _ => "+ idling\r\n".to_owned(),
        };
        out.extend_from_slice(line.as_bytes());
    }
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

/// Decodes `trace` with a [`ViewReader`] ([`ViewReader::for_each_event`]
/// after each read), fed in reads of
/// `read_size` octets, and reads every field of every response: each view's
/// strings, numbers and nested values (envelopes, addresses, body
/// structures) are visited through the typed accessors. Returns the number
/// of complete responses.
///
/// # Panics
///
/// If a response does not decode.
pub fn view_trace(trace: &[u8], read_size: usize) -> usize {
    view_trace_with(trace, read_size, true, true)
}

/// [`view_trace`] without reading the fields: each view is decoded (the
/// line checked against the grammar, nested values on the tape) and handed
/// to `black_box`, as the peer crates' trees are.
///
/// # Panics
///
/// If a response does not decode.
pub fn view_trace_decode_only(trace: &[u8], read_size: usize) -> usize {
    view_trace_with(trace, read_size, false, true)
}

/// [`view_trace_decode_only`] with one call of
/// [`ViewReader::poll_event`] per response, not one call of
/// [`ViewReader::for_each_event`] per read.
///
/// # Panics
///
/// If a response does not decode.
pub fn view_trace_per_call(trace: &[u8], read_size: usize) -> usize {
    view_trace_with(trace, read_size, false, false)
}

fn view_trace_with(trace: &[u8], read_size: usize, read_fields: bool, batched: bool) -> usize {
    let mut reader = ViewReader::new();
    let mut count = ViewCount::new(read_fields);
    for read in trace.chunks(read_size) {
        reader.handle_input(read);
        if batched {
            reader.for_each_event(|event| count.event(&event));
        } else {
            while let Some(event) = reader.poll_event() {
                count.event(&event);
            }
        }
    }
    assert_eq!(reader.buffered(), 0, "octets left over");
    count.finish()
}

/// [`view_trace_decode_only`] on the whole trace handed over as one read,
/// a `Bytes` ([`ViewReader::handle_input_bytes`], no copy into a receive
/// buffer): the conditions the peer crates run under in the benches (a
/// slice of the whole trace).
///
/// # Panics
///
/// If a response does not decode.
pub fn view_trace_whole(trace: &Bytes) -> usize {
    let mut reader = ViewReader::new();
    let mut count = ViewCount::new(false);
    reader.handle_input_bytes(trace.clone());
    reader.for_each_event(|event| count.event(&event));
    assert_eq!(reader.buffered(), 0, "octets left over");
    count.finish()
}

/// [`view_trace`] with each read handed over as a `Bytes` slice of the
/// trace ([`ViewReader::handle_input_bytes`]: read in place, only the
/// start of a response cut by the end of a read is copied; see
/// [`parse_trace_shared`]).
///
/// # Panics
///
/// If a response does not decode.
pub fn view_trace_shared(trace: &Bytes, read_size: usize) -> usize {
    let mut reader = ViewReader::new();
    let mut count = ViewCount::new(true);
    let mut at = 0;
    while at < trace.len() {
        let read = trace.slice(at..(at + read_size).min(trace.len()));
        at += read.len();
        reader.handle_input_bytes(read);
        reader.for_each_event(|event| count.event(&event));
    }
    assert_eq!(reader.buffered(), 0, "octets left over");
    count.finish()
}

/// Counts the complete responses a [`ViewReader`] gives, reading every field
/// of each view (or only handing it to `black_box`).
struct ViewCount {
    read_fields: bool,
    responses: usize,
    sum: usize,
}

impl ViewCount {
    fn new(read_fields: bool) -> Self {
        Self {
            read_fields,
            responses: 0,
            sum: 0,
        }
    }

    fn event(&mut self, event: &ViewEvent<'_>) {
        match event {
            ViewEvent::View(view) => {
                if self.read_fields {
                    self.sum = self.sum.wrapping_add(walk_view(view));
                } else {
                    std::hint::black_box(view);
                }
                self.responses += 1;
            }
            ViewEvent::Event(e) => match &**e {
                ResponseEvent::Response { response, .. } => {
                    std::hint::black_box(response);
                    self.responses += 1;
                }
                ResponseEvent::FetchRest { literal: None, .. } => self.responses += 1,
                ResponseEvent::Error(e) => panic!("decode error: {e}"),
                _ => {}
            },
        }
    }

    fn finish(self) -> usize {
        std::hint::black_box(self.sum);
        self.responses
    }
}

fn nstr_len(s: NStr<'_>) -> usize {
    s.map_or(1, |s| s.raw().len())
}

fn walk_addresses(list: AddressesView<'_>) -> usize {
    list.iter()
        .map(|a| {
            nstr_len(a.name()) + nstr_len(a.adl()) + nstr_len(a.mailbox()) + nstr_len(a.host())
        })
        .sum()
}

fn walk_envelope(e: &EnvelopeView<'_>) -> usize {
    nstr_len(e.date())
        + nstr_len(e.subject())
        + walk_addresses(e.from())
        + walk_addresses(e.sender())
        + walk_addresses(e.reply_to())
        + walk_addresses(e.to())
        + walk_addresses(e.cc())
        + walk_addresses(e.bcc())
        + nstr_len(e.in_reply_to())
        + nstr_len(e.message_id())
}

fn walk_body(b: &BodyView<'_>) -> usize {
    let mut n = b.media_type().raw().len() + b.subtype().raw().len();
    n += b
        .params()
        .iter()
        .map(|(k, v)| k.raw().len() + v.raw().len())
        .sum::<usize>();
    if b.is_multipart() {
        n += b.parts().map(|p| walk_body(&p)).sum::<usize>();
    } else {
        n += nstr_len(b.id()) + nstr_len(b.description()) + nstr_len(b.encoding());
        n += b.size() as usize + b.lines().unwrap_or(0) as usize;
        n += b.envelope().map_or(0, |e| walk_envelope(&e));
        n += b.body().map_or(0, |b| walk_body(&b));
        n += nstr_len(b.md5());
    }
    n += b
        .disposition()
        .map_or(0, |(k, p)| k.raw().len() + p.iter().count());
    n += b.language().count() + nstr_len(b.location());
    n
}

/// Reads every field of `view`; a checksum of what it read.
fn walk_view(view: &ResponseView<'_>) -> usize {
    match view {
        ResponseView::Status(s) => {
            s.tag().map_or(0, str::len) + s.text().len() + usize::from(s.code().is_some())
        }
        ResponseView::Continue(text) => text.len(),
        ResponseView::Exists(n) | ResponseView::Recent(n) | ResponseView::Expunge(n) => *n as usize,
        ResponseView::Fetch(f) => {
            let mut n = f.seq() as usize;
            for item in f.items() {
                n += match item {
                    FetchItemView::Uid(u) => u as usize,
                    FetchItemView::Flags(flags) => flags.iter().map(<[u8]>::len).sum(),
                    FetchItemView::InternalDate(d) => usize::from(d.second),
                    FetchItemView::Rfc822Size(s)
                    | FetchItemView::ModSeq(s)
                    | FetchItemView::GmMsgId(s)
                    | FetchItemView::GmThrId(s) => s as usize,
                    FetchItemView::Envelope(e) => walk_envelope(&e),
                    FetchItemView::Body(b) | FetchItemView::BodyStructure(b) => walk_body(&b),
                    _ => 0,
                };
            }
            n
        }
        ResponseView::List(l) | ResponseView::Lsub(l) => {
            l.attributes().map(<[u8]>::len).sum::<usize>()
                + usize::from(l.delimiter().unwrap_or(0))
                + l.mailbox().raw().len()
        }
        _ => 0,
    }
}

/// [`parse_trace`] with each read handed over as a `Bytes` slice of the
/// trace (a transport's read buffer given away without a copy) and a
/// literal stream threshold of `stream_threshold`: literals above it come
/// out as slices of the reads; a message cut by the end of a read is carried
/// into a `BytesMut` (one copy of the partial message) until it completes.
/// Returns the responses and the octets of literal data seen.
///
/// # Panics
///
/// If a response does not decode.
pub fn parse_trace_shared(
    trace: &Bytes,
    read_size: usize,
    stream_threshold: u64,
) -> (usize, usize) {
    let mut config = FramerConfig::new(Side::Client);
    config.limits.literal_stream_threshold = stream_threshold;
    let mut decoder = ResponseDecoder::with_config(config, Strictness::Lenient);
    let mut carry = BytesMut::new();
    let (mut responses, mut literal_octets) = (0, 0);
    let mut on_event = |event: ResponseEvent| match event {
        ResponseEvent::Response { response, .. } => {
            std::hint::black_box(&response);
            responses += 1;
        }
        ResponseEvent::FetchRest { literal: None, .. } => responses += 1,
        ResponseEvent::LiteralChunk(chunk) => literal_octets += chunk.len(),
        ResponseEvent::Error(e) => panic!("decode error: {e}"),
        _ => {}
    };
    let mut at = 0;
    while at < trace.len() {
        let mut read = trace.slice(at..(at + read_size).min(trace.len()));
        at += read.len();
        if carry.is_empty() {
            while let Some(event) = decoder.decode(&mut read) {
                on_event(event);
            }
            carry.extend_from_slice(&read);
        } else {
            carry.extend_from_slice(&read);
            while let Some(event) = decoder.decode(&mut carry) {
                on_event(event);
            }
        }
    }
    assert!(carry.is_empty(), "octets left over");
    (responses, literal_octets)
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
        let trace = status_lines(500, 4);
        assert_eq!(frame_trace(&trace, 7).0, 500);
        assert_eq!(parse_trace(&trace, 7), 500);
    }

    #[test]
    fn shared_reads_decode_the_same_and_stream_big_literals_as_slices() {
        let trace = body_download(40, 5);
        let expected = parse_trace(&trace, 16 * 1024);
        let shared = Bytes::from(trace);
        for (read, threshold) in [(16 * 1024, 16 * 1024), (1000, 0), (7, 1 << 20)] {
            let (responses, _) = parse_trace_shared(&shared, read, threshold);
            assert_eq!(
                responses, expected,
                "{read}-octet reads, threshold {threshold}"
            );
        }
        let (_, literal_octets) = parse_trace_shared(&shared, 16 * 1024, 0);
        assert!(literal_octets > shared.len() / 2, "bodies streamed");
    }
}

#[cfg(test)]
mod view_coverage {
    use super::*;

    #[test]
    fn every_trace_line_is_a_view() {
        for (name, trace) in [
            ("fetch", fetch_dump(200, 7)),
            ("list", list_dump(200, 9)),
            ("status", status_lines(500, 10)),
        ] {
            let mut reader = ViewReader::new();
            reader.handle_input(&trace);
            while let Some(ev) = reader.poll_event() {
                if let ViewEvent::Event(e) = ev {
                    panic!("{name}: not a view: {e:?}");
                }
            }
        }
    }
}

/// djc's imap-proto: parses every response of `trace` (given whole, its
/// best case); returns the count.
///
/// # Panics
///
/// If a response does not parse.
pub fn djc_parse(trace: &[u8]) -> usize {
    let mut rest = trace;
    let mut n = 0;
    while !rest.is_empty() {
        let (remaining, response) =
            imap_proto_djc::parser::parse_response(rest).expect("imap-proto decodes the trace");
        std::hint::black_box(&response);
        rest = remaining;
        n += 1;
    }
    n
}
