//! Shared helpers for the mailwire benches: generators of realistic wire
//! streams, drivers that push a stream through the codecs in fixed-size reads,
//! and the plain reference scans the codecs are compared with.

pub mod imap;

use bytes::{Bytes, BytesMut};
use memchr::memmem;
use pop3_proto::{
    ClientConfig, ClientSession, Command, CommandId, Event, Limits, MessageNumber, Positive,
    Response, ResponseShape, State, Text,
};
use pop3_proto::{ResponseDecoder, ResponseEvent};

/// Size of one simulated socket read, in octets (16 KiB).
pub const READ_SIZE: usize = 16 * 1024;

/// A small deterministic PRNG (SplitMix64), so every run benches the same
/// bytes without a `rand` dependency.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den < num
    }
}

/// A RETR answer as a server sends it, and the body a client must decode
/// from it.
#[derive(Debug, Clone)]
pub struct RetrStream {
    /// The octets on the wire: `+OK <n> octets\r\n`, the dot-stuffed body, and
    /// the terminating `.\r\n`.
    pub wire: Vec<u8>,
    /// The body as the client must deliver it: unstuffed, CRLF line endings.
    pub body: Vec<u8>,
    /// Number of body lines.
    pub lines: usize,
    /// Number of body lines that start with `.` (and so were dot-stuffed).
    pub stuffed_lines: usize,
    /// Number of body lines longer than 200 octets (without CRLF).
    pub long_lines: usize,
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "it",
    "you",
    "that",
    "he",
    "was",
    "for",
    "on",
    "are",
    "with",
    "as",
    "I",
    "his",
    "they",
    "be",
    "at",
    "one",
    "have",
    "this",
    "from",
    "or",
    "had",
    "by",
    "word",
    "but",
    "what",
    "some",
    "we",
    "can",
    "out",
    "other",
    "were",
    "all",
    "there",
    "when",
    "up",
    "use",
    "your",
    "how",
    "said",
    "an",
    "each",
    "she",
    "which",
    "do",
    "their",
    "time",
    "if",
    "will",
    "way",
    "about",
    "many",
    "then",
    "them",
    "write",
    "would",
    "like",
    "so",
    "these",
    "her",
    "long",
    "make",
    "thing",
    "see",
    "him",
    "two",
    "has",
    "look",
    "more",
    "day",
    "could",
    "go",
    "come",
    "did",
    "number",
    "sound",
    "no",
    "most",
    "people",
    "my",
    "over",
    "know",
    "water",
    "than",
    "call",
    "first",
    "who",
    "may",
    "down",
    "side",
    "been",
    "now",
    "find",
    "meeting",
    "invoice",
    "attached",
    "regards",
    "thanks,",
    "Hello,",
    "mailbox",
    "server",
    "release",
    "(see",
    "below)",
    "quarterly",
    "report.",
    "e.g.",
    "--",
    "https://example.org/x",
    "<alice@example.org>",
    "2026-11-26",
    "12:00",
    "+1",
    "#42",
];

/// Lines that start with a dot, as they occur in real mail (signatures,
/// quoted shell sessions, ellipses, and a lone `.`).
const DOT_LINES: &[&str] = &[
    ".",
    "..",
    "...",
    "... and so on",
    ".signature follows",
    ". ",
    ".profile and .bashrc were changed",
    "....",
    ".\t(indented)",
    ".NET runtime 8.0 is required",
];

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Builds the body line by line, keeping the wire (stuffed) form alongside.
struct Builder {
    rng: SplitMix64,
    body: Vec<u8>,
    stuffed: Vec<u8>,
    lines: usize,
    stuffed_lines: usize,
    long_lines: usize,
    line: Vec<u8>,
}

impl Builder {
    /// Ends the line in `self.line` and appends it to both forms.
    fn push_line(&mut self) {
        if self.line.first() == Some(&b'.') {
            self.stuffed.push(b'.');
            self.stuffed_lines += 1;
        }
        if self.line.len() > 200 {
            self.long_lines += 1;
        }
        self.line.extend_from_slice(b"\r\n");
        self.body.extend_from_slice(&self.line);
        self.stuffed.extend_from_slice(&self.line);
        self.lines += 1;
        self.line.clear();
    }

    fn push_str(&mut self, s: &str) {
        self.line.extend_from_slice(s.as_bytes());
        self.push_line();
    }

    /// A text line of about `len` octets (words, so not exactly).
    fn text_line(&mut self, len: usize) {
        while self.line.len() < len {
            if !self.line.is_empty() {
                self.line.push(b' ');
            }
            let word = WORDS[self.rng.range(0, WORDS.len() - 1)];
            self.line.extend_from_slice(word.as_bytes());
        }
        self.line.truncate(len.max(1).min(self.line.len()));
        self.push_line();
    }

    fn base64_line(&mut self, len: usize) {
        let mut bits = 0u64;
        for i in 0..len {
            if i % 10 == 0 {
                bits = self.rng.next_u64();
            }
            self.line.push(BASE64[(bits & 63) as usize]);
            bits >>= 6;
        }
        self.push_line();
    }

    fn headers(&mut self, n: u32) {
        let id = self.rng.next_u64();
        self.push_str(&format!(
            "Received: from mx{}.example.net (mx.example.net [192.0.2.{}])",
            id % 100,
            id % 250
        ));
        self.push_str("\tby pop.example.org (Postfix) with ESMTPS id 4Q9xYz1aBcD");
        self.push_str("\tfor <alice@example.org>; Thu, 26 Nov 2026 15:14:23 +0000 (UTC)");
        self.push_str("From: Bob Example <bob@example.net>");
        self.push_str("To: Alice Example <alice@example.org>");
        self.push_str(&format!("Subject: Part {n} of the quarterly report"));
        self.push_str("Date: Thu, 26 Nov 2026 15:14:20 +0000");
        self.push_str(&format!("Message-ID: <{id:016x}.{n}@example.net>"));
        self.push_str("MIME-Version: 1.0");
        self.push_str("Content-Type: multipart/mixed; boundary=\"=_mailwire_bench\"");
        self.push_str("");
    }

    /// A text/plain part: paragraphs of wrapped lines, blank lines between
    /// them, about one line in 40 starting with a dot.
    fn text_part(&mut self) {
        self.push_str("--=_mailwire_bench");
        self.push_str("Content-Type: text/plain; charset=utf-8");
        self.push_str("Content-Transfer-Encoding: 8bit");
        self.push_str("");
        for _ in 0..self.rng.range(3, 30) {
            let lines = self.rng.range(1, 8);
            for i in 0..lines {
                if self.rng.chance(1, 40) {
                    let dot = DOT_LINES[self.rng.range(0, DOT_LINES.len() - 1)];
                    self.push_str(dot);
                } else if i + 1 == lines {
                    let len = self.rng.range(0, 78);
                    self.text_line(len);
                } else {
                    let len = self.rng.range(30, 120);
                    self.text_line(len);
                }
            }
            self.push_str("");
        }
    }

    /// An attachment: 76-octet base64 lines, and now and then one long line
    /// (up to the RFC 5322 limit of 998 octets) as broken mailers write them.
    fn base64_part(&mut self) {
        self.push_str("--=_mailwire_bench");
        self.push_str("Content-Type: application/octet-stream; name=\"data.bin\"");
        self.push_str("Content-Transfer-Encoding: base64");
        self.push_str("");
        let lines = self.rng.range(20, 300);
        let long_at = self.rng.chance(1, 8).then(|| self.rng.range(0, lines - 1));
        for i in 0..lines {
            let len = if Some(i) == long_at {
                self.rng.range(500, 998)
            } else if i + 1 == lines {
                self.rng.range(4, 76) / 4 * 4
            } else {
                76
            };
            self.base64_line(len);
        }
        self.push_str("");
    }
}

/// Generates a RETR answer whose body is at least `body_len` octets: MIME
/// headers, text parts (lines of 0 to 120 octets, blank lines, some lines
/// starting with `.`, including a lone `.`), and base64 parts (76-octet lines,
/// a few long ones), about two thirds text. Deterministic for a given `seed`.
pub fn generate_retr(body_len: usize, seed: u64) -> RetrStream {
    let mut b = Builder {
        rng: SplitMix64::new(seed),
        body: Vec::with_capacity(body_len + 64 * 1024),
        stuffed: Vec::with_capacity(body_len + 128 * 1024),
        lines: 0,
        stuffed_lines: 0,
        long_lines: 0,
        line: Vec::new(),
    };
    let mut part = 0;
    b.headers(part);
    while b.body.len() < body_len {
        part += 1;
        if part % 50 == 0 {
            // A forwarded message: another header block.
            b.push_str("--=_mailwire_bench");
            b.push_str("Content-Type: message/rfc822");
            b.push_str("");
            b.headers(part);
        }
        if b.rng.chance(1, 6) {
            b.base64_part();
        } else {
            b.text_part();
        }
    }
    b.push_str("--=_mailwire_bench--");
    let mut wire = format!("+OK {} octets\r\n", b.body.len()).into_bytes();
    wire.reserve(b.stuffed.len() + 3);
    wire.extend_from_slice(&b.stuffed);
    wire.extend_from_slice(b".\r\n");
    RetrStream {
        wire,
        body: b.body,
        lines: b.lines,
        stuffed_lines: b.stuffed_lines,
        long_lines: b.long_lines,
    }
}

/// How simulated reads reach the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// Each read is copied into a receive buffer (`BytesMut`, or
    /// `ClientSession::handle_input(&[u8])`): the decoder pays a `memcpy`.
    Copy,
    /// Each read is handed over as `Bytes` (a slice of the stream, as a
    /// transport hands over the buffer it read into): no copy.
    Shared,
}

/// Decodes a RETR answer with a [`ResponseDecoder`], `wire` arriving in
/// reads of `read_size` octets fed as `feed` says; `decode` is called until it
/// needs more input. Calls `on_chunk` for every body chunk; returns the number
/// of chunks.
///
/// # Panics
///
/// If the answer does not decode to a `+OK` status line, body chunks and the
/// end of the body, or if octets are left over.
pub fn decode_with_decoder(
    wire: &Bytes,
    read_size: usize,
    feed: Feed,
    limits: Limits,
    mut on_chunk: impl FnMut(&Bytes),
) -> usize {
    let mut decoder = ResponseDecoder::new(limits);
    let mut owned = BytesMut::new();
    let mut shared = Bytes::new();
    let mut status_seen = false;
    let mut chunks = 0;
    let mut start = 0;
    'reads: while start < wire.len() {
        let end = (start + read_size).min(wire.len());
        match feed {
            Feed::Copy => owned.extend_from_slice(&wire[start..end]),
            Feed::Shared if shared.is_empty() => shared = wire.slice(start..end),
            // A partial line left over: join it to the next read.
            Feed::Shared => shared = wire.slice(start - shared.len()..end),
        }
        start = end;
        loop {
            let item = match feed {
                Feed::Copy => decoder.decode(&mut owned, ResponseShape::Message),
                Feed::Shared => decoder.decode(&mut shared, ResponseShape::Message),
            };
            match item {
                Ok(Some(ResponseEvent::BodyChunk(data))) => {
                    chunks += 1;
                    on_chunk(&data);
                }
                Ok(Some(ResponseEvent::BodyEnd)) => break 'reads,
                Ok(Some(ResponseEvent::Response(Response::Ok(Positive::Message(_)))))
                    if !status_seen =>
                {
                    status_seen = true;
                }
                Ok(Some(other)) => panic!("unexpected item {other:?}"),
                Ok(None) => break,
                Err(e) => panic!("decode error: {e}"),
            }
        }
    }
    assert!(
        start == wire.len() && owned.is_empty() && shared.is_empty(),
        "body ended early or was not ended"
    );
    chunks
}

/// A client session in the TRANSACTION state with `RETR 1` sent and its
/// answer not yet received: the greeting, USER and PASS were answered with
/// canned server lines.
///
/// # Panics
///
/// If the session does not reach the TRANSACTION state.
pub fn session_awaiting_retr(limits: Limits) -> (ClientSession, CommandId) {
    let mut session = ClientSession::new(ClientConfig::with_limits(limits));
    let answer = |session: &mut ClientSession, line: &[u8]| {
        session.handle_input(line);
        while let Some(event) = session.poll_event().expect("canned answer") {
            assert!(
                matches!(event, Event::Greeting(_) | Event::Response { .. }),
                "{event:?}"
            );
        }
        while session.poll_transmit().is_some() {}
    };
    answer(
        &mut session,
        b"+OK POP3 server ready <1896.697170952@example.org>\r\n",
    );
    let user = Text::try_from("alice").expect("valid user name");
    session.send(Command::User(user)).expect("USER");
    answer(&mut session, b"+OK alice is known here\r\n");
    session.send(Command::Pass("secret".into())).expect("PASS");
    answer(
        &mut session,
        b"+OK maildrop has 1 message (104857600 octets)\r\n",
    );
    assert_eq!(session.state(), State::Transaction);
    let msg = MessageNumber::new(1).expect("1 is a message number");
    let id = session.send(Command::Retr(msg)).expect("RETR");
    while session.poll_transmit().is_some() {}
    (session, id)
}

/// Feeds the answer to RETR (`wire`, from its `+OK` line on) to a session
/// from [`session_awaiting_retr`], in reads of `read_size` octets fed as
/// `feed` says, draining
/// `poll_event` after each read. Calls `on_chunk` for every body chunk;
/// returns the number of chunks.
///
/// # Panics
///
/// If the events are not the `+OK` response, body chunks and the end of the
/// body, all for `id`, or if the session stops wanting input.
pub fn decode_with_session(
    session: &mut ClientSession,
    id: CommandId,
    wire: &Bytes,
    read_size: usize,
    feed: Feed,
    mut on_chunk: impl FnMut(&Bytes),
) -> usize {
    let mut chunks = 0;
    let mut ended = false;
    let mut start = 0;
    while start < wire.len() {
        let end = (start + read_size).min(wire.len());
        assert!(session.wants_input(), "session refused input");
        match feed {
            Feed::Copy => session.handle_input(&wire[start..end]),
            Feed::Shared => session.handle_input_bytes(wire.slice(start..end)),
        }
        start = end;
        while let Some(event) = session.poll_event().expect("RETR answer decodes") {
            match event {
                Event::BodyChunk { id: got, data } if got == id => {
                    chunks += 1;
                    on_chunk(&data);
                }
                Event::BodyEnd { id: got } if got == id => ended = true,
                Event::Response {
                    id: got,
                    response: Response::Ok(Positive::Message(_)),
                } if got == id => {}
                other => panic!("unexpected event {other:?}"),
            }
        }
    }
    assert!(ended && session.pending() == 0, "body was not ended");
    chunks
}

/// Checks that chunks handed to [`BodyCheck::chunk`] add up to an expected
/// body, without keeping a second copy of it.
#[derive(Debug)]
pub struct BodyCheck<'a> {
    expected: &'a [u8],
    pos: usize,
}

impl<'a> BodyCheck<'a> {
    /// A check against `expected`.
    pub fn new(expected: &'a [u8]) -> Self {
        Self { expected, pos: 0 }
    }

    /// Compares the next chunk.
    ///
    /// # Panics
    ///
    /// If the chunk differs from the expected body at this point.
    pub fn chunk(&mut self, data: &[u8]) {
        let end = self.pos + data.len();
        assert!(
            end <= self.expected.len() && self.expected[self.pos..end] == *data,
            "decoded body differs from the expected body in {}..{end}",
            self.pos
        );
        self.pos = end;
    }

    /// Checks that the whole body was seen.
    ///
    /// # Panics
    ///
    /// If fewer octets than expected were decoded.
    pub fn finish(self) {
        assert_eq!(self.pos, self.expected.len(), "decoded body is short");
    }
}

/// Counts `"\r\n."` in a stream that arrives in pieces, including matches
/// split across pieces: the lower bound for finding dot-stuffed lines.
#[derive(Debug)]
pub struct CrLfDotScanner {
    finder: memmem::Finder<'static>,
    /// The last (up to) two octets seen.
    carry: [u8; 2],
    carry_len: usize,
    count: u64,
}

impl Default for CrLfDotScanner {
    fn default() -> Self {
        Self::new()
    }
}

impl CrLfDotScanner {
    /// A scanner that has seen nothing.
    pub fn new() -> Self {
        Self {
            finder: memmem::Finder::new(b"\r\n."),
            carry: [0; 2],
            carry_len: 0,
            count: 0,
        }
    }

    /// Scans the next piece of the stream.
    #[inline]
    pub fn feed(&mut self, piece: &[u8]) {
        if self.carry_len > 0 && !piece.is_empty() {
            // Matches that start in the carried octets: at most 2 + 2 octets
            // hold all of them and no match that starts in `piece`.
            let take = piece.len().min(2);
            let mut window = [0u8; 4];
            window[..self.carry_len].copy_from_slice(&self.carry[..self.carry_len]);
            window[self.carry_len..self.carry_len + take].copy_from_slice(&piece[..take]);
            self.count += self
                .finder
                .find_iter(&window[..self.carry_len + take])
                .count() as u64;
        }
        self.count += self.finder.find_iter(piece).count() as u64;
        match piece.len() {
            0 => {}
            1 if self.carry_len > 0 => {
                self.carry = [self.carry[self.carry_len - 1], piece[0]];
                self.carry_len = 2;
            }
            1 => {
                self.carry[0] = piece[0];
                self.carry_len = 1;
            }
            n => {
                self.carry.copy_from_slice(&piece[n - 2..]);
                self.carry_len = 2;
            }
        }
    }

    /// Matches found so far.
    pub fn count(&self) -> u64 {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_counts_matches_split_across_pieces() {
        let mut rng = SplitMix64::new(7);
        let data: Vec<u8> = (0..4000).map(|_| b"\r\n.x"[rng.range(0, 3)]).collect();
        let want = memmem::find_iter(&data, b"\r\n.").count() as u64;
        assert!(want > 30, "{want}");
        for step in 1..40 {
            let mut s = CrLfDotScanner::new();
            for piece in data.chunks(step) {
                s.feed(piece);
            }
            assert_eq!(s.count(), want, "step {step}");
        }
    }

    #[test]
    fn generated_stream_decodes_to_its_body() {
        let stream = generate_retr(3_000_000, 1);
        assert!(
            stream.stuffed_lines > 500 && stream.long_lines > 0,
            "{} {}",
            stream.stuffed_lines,
            stream.long_lines
        );
        let mut scan = CrLfDotScanner::new();
        for read in stream.wire.chunks(1000) {
            scan.feed(read);
        }
        // Every stuffed line, and the terminator.
        assert_eq!(scan.count(), stream.stuffed_lines as u64 + 1);
        let limits = Limits::default();
        let wire = Bytes::from(stream.wire.clone());
        for read in [7, 1000, READ_SIZE] {
            for feed in [Feed::Copy, Feed::Shared] {
                let mut check = BodyCheck::new(&stream.body);
                decode_with_decoder(&wire, read, feed, limits.clone(), |c| check.chunk(c));
                check.finish();
                let (mut session, id) = session_awaiting_retr(limits.clone());
                let mut check = BodyCheck::new(&stream.body);
                decode_with_session(&mut session, id, &wire, read, feed, |c| check.chunk(c));
                check.finish();
            }
        }
    }
}
