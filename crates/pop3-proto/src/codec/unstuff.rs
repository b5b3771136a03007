//! Decoding of a dot-stuffed multi-line body (RFC 1939 §3), streaming and
//! zero-copy.

use bytes::{Bytes, BytesMut};
use memchr::memmem;

use super::ReceiveBuffer;

/// What the body decoder produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyStep {
    /// More input is needed; everything given so far is accounted for.
    NeedMore,
    /// Body octets, unstuffed. `end`: the terminating `.` line has been read.
    Chunk { data: Bytes, end: bool },
}

/// Where the decoder is within a line. The octets of a possible terminator
/// (`.`, `.` CR) are held as state, not as bytes, so a chunk boundary anywhere
/// leaves nothing behind in the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// Inside a line.
    Mid,
    /// At the start of a line.
    LineStart,
    /// After a `.` at the start of a line.
    Dot,
    /// After `.` CR at the start of a line.
    DotCr,
}

static LF_DOT: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"\n."));

/// Reverses dot-stuffing as the bytes arrive.
///
/// Only lines that start with `.` are looked at: a SIMD search for `"\n."`
/// skips every other line. Body octets are taken off the receive buffer as
/// slices (no copy). A body no larger than the threshold is gathered and
/// comes out as one chunk (still a single slice when no dot was removed and it
/// arrived in one piece); a larger one is handed out as it arrives, in slices
/// between stuffed dots, so memory stays bounded whatever the body's size.
#[derive(Debug)]
pub(crate) struct Unstuffer {
    at: At,
    /// Gathered body while it is below the threshold: the first piece as is,
    /// later pieces copied after it.
    first: Bytes,
    gathered: BytesMut,
    streaming: bool,
}

impl Unstuffer {
    /// A decoder positioned at the start of the first body line.
    pub(crate) fn new() -> Self {
        Self {
            at: At::LineStart,
            first: Bytes::new(),
            gathered: BytesMut::new(),
            streaming: false,
        }
    }

    /// Decodes from the front of `buf`. Returns how many octets it took off
    /// `buf` along with the step.
    pub(crate) fn decode<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        threshold: usize,
    ) -> (BodyStep, usize) {
        let mut used = 0;
        loop {
            let data = buf.octets();
            let Some(&first) = data.first() else {
                return (BodyStep::NeedMore, used);
            };
            match self.at {
                At::LineStart if first == b'.' => {
                    buf.skip(1);
                    used += 1;
                    self.at = At::Dot;
                    continue;
                }
                At::Dot => match first {
                    // RFC 1939 §3: "." CRLF ends the body (a bare LF is
                    // accepted too); any other line starting with "." loses
                    // that first octet.
                    b'\n' => return self.end(buf, 1, used),
                    b'\r' => {
                        buf.skip(1);
                        used += 1;
                        self.at = At::DotCr;
                        continue;
                    }
                    _ => self.at = At::Mid,
                },
                At::DotCr => {
                    if first == b'\n' {
                        return self.end(buf, 1, used);
                    }
                    // ". CR x": the dot was stuffing, the CR is data.
                    self.at = At::Mid;
                    if let Some(step) = self.piece(Bytes::from_static(b"\r"), threshold) {
                        return (step, used);
                    }
                    continue;
                }
                At::LineStart | At::Mid => {}
            }
            // Inside a line: the next place that needs a look is a "." at the
            // start of a line.
            let (n, at) = match LF_DOT.find(data) {
                Some(i) => (i + 1, At::LineStart),
                None => (
                    data.len(),
                    if data.last() == Some(&b'\n') {
                        At::LineStart
                    } else {
                        At::Mid
                    },
                ),
            };
            let piece = buf.take(n);
            used += n;
            self.at = at;
            if let Some(step) = self.piece(piece, threshold) {
                return (step, used);
            }
        }
    }

    /// Takes in a piece of body: streams it, or gathers it while the body is
    /// small. Returns the step to hand out, if any.
    #[inline]
    fn piece(&mut self, piece: Bytes, threshold: usize) -> Option<BodyStep> {
        if self.streaming {
            return Some(BodyStep::Chunk {
                data: piece,
                end: false,
            });
        }
        if self.first.is_empty() && self.gathered.is_empty() {
            self.first = piece;
        } else {
            if !self.first.is_empty() {
                self.gathered.reserve(self.first.len() + piece.len());
                self.gathered.extend_from_slice(&self.first);
                self.first = Bytes::new();
            }
            self.gathered.extend_from_slice(&piece);
        }
        if self.first.len() + self.gathered.len() > threshold {
            self.streaming = true;
            return Some(BodyStep::Chunk {
                data: self.take_gathered(),
                end: false,
            });
        }
        None
    }

    fn take_gathered(&mut self) -> Bytes {
        if self.gathered.is_empty() {
            std::mem::take(&mut self.first)
        } else {
            self.gathered.split().freeze()
        }
    }

    fn end<B: ReceiveBuffer>(&mut self, buf: &mut B, n: usize, used: usize) -> (BodyStep, usize) {
        buf.skip(n);
        (
            BodyStep::Chunk {
                data: self.take_gathered(),
                end: true,
            },
            used + n,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `wire` fed in pieces of `step` octets (as `BytesMut` or as
    /// `Bytes`); returns the body, the chunk count and what is left over.
    fn run(wire: &[u8], step: usize, threshold: usize, shared: bool) -> (Vec<u8>, usize, Vec<u8>) {
        let mut u = Unstuffer::new();
        let mut body = Vec::new();
        let mut chunks = 0;
        let mut taken = 0;
        let mut input = wire.chunks(step.max(1));
        let mut owned = BytesMut::new();
        let mut bytes = Bytes::new();
        loop {
            let (s, used) = if shared {
                u.decode(&mut bytes, threshold)
            } else {
                u.decode(&mut owned, threshold)
            };
            taken += used;
            match s {
                BodyStep::NeedMore => match input.next() {
                    Some(piece) if shared => {
                        assert!(bytes.is_empty(), "nothing is left behind");
                        bytes = Bytes::copy_from_slice(piece);
                    }
                    Some(piece) => owned.extend_from_slice(piece),
                    None => panic!("body not terminated"),
                },
                BodyStep::Chunk { data, end } => {
                    body.extend_from_slice(&data);
                    chunks += 1;
                    if end {
                        break;
                    }
                }
            }
        }
        let mut rest = if shared {
            bytes.to_vec()
        } else {
            owned.to_vec()
        };
        for piece in input {
            rest.extend_from_slice(piece);
        }
        assert_eq!(taken + rest.len(), wire.len());
        (body, chunks, rest)
    }

    #[test]
    fn unstuffs_at_line_starts_only_for_every_split() {
        let wire = b"..first\r\na.b\r\n..\r\nnot end\r\n...\r\n.x\r\n.\rx\r\n.\r\nNEXT";
        let want = b".first\r\na.b\r\n.\r\nnot end\r\n..\r\nx\r\n\rx\r\n";
        for step in 1..wire.len() {
            for threshold in [0, 3, 1 << 20] {
                for shared in [false, true] {
                    let (body, _, rest) = run(wire, step, threshold, shared);
                    assert_eq!(
                        body, want,
                        "step {step} threshold {threshold} shared {shared}"
                    );
                    assert_eq!(rest, b"NEXT");
                }
            }
        }
    }

    #[test]
    fn empty_body_and_bare_lf_terminator() {
        assert_eq!(run(b".\r\n", 1, 10, false).0, b"");
        assert_eq!(
            run(b"a\n.\nZ", 2, 10, true),
            (b"a\n".to_vec(), 1, b"Z".to_vec())
        );
    }

    #[test]
    fn small_body_is_one_chunk() {
        let (body, chunks, _) = run(b"line one\r\nline two\r\n.\r\n", 4, 1024, false);
        assert_eq!(body, b"line one\r\nline two\r\n");
        assert_eq!(chunks, 1);
    }

    #[test]
    fn large_body_streams() {
        let mut wire = Vec::new();
        for i in 0..1000 {
            wire.extend_from_slice(format!("..{i} line of text\r\n").as_bytes());
        }
        wire.extend_from_slice(b".\r\n");
        let (body, chunks, _) = run(&wire, 100, 256, true);
        assert!(chunks > 100, "{chunks}");
        assert_eq!(body.len(), wire.len() - 1000 - 3);
    }
}
