//! Decoding of a dot-stuffed multi-line body (RFC 1939 §3), streaming and
//! zero-copy.

use bytes::{Buf, Bytes, BytesMut};
use memchr::memmem;

/// What the body decoder produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyStep {
    /// More input is needed.
    NeedMore,
    /// Body octets, unstuffed. `end`: the terminating `.` line has been read.
    Chunk { data: Bytes, end: bool },
}

/// Reverses dot-stuffing as the bytes arrive.
///
/// The body stays in the receive buffer while it is scanned. Only lines that
/// start with `.` are looked at: a SIMD search for `"\n."` skips every other
/// line. A body no larger than the threshold comes out as one chunk (a slice of
/// the receive buffer when it needed no unstuffing); a larger one is handed out
/// as it arrives, as slices between stuffed dots, so memory stays bounded.
#[derive(Debug)]
pub(crate) struct Unstuffer {
    /// Octets at the front of the buffer already scanned (body data, and the
    /// stuffed dots recorded in `dots`).
    pos: usize,
    /// `pos` is at the start of a line.
    line_start: bool,
    /// Positions of stuffed dots within `..pos` (only before streaming starts).
    dots: Vec<usize>,
    /// The body outgrew the threshold: chunks are handed out as they arrive.
    streaming: bool,
}

static LF_DOT: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"\n."));

impl Unstuffer {
    /// A decoder positioned at the start of the first body line.
    pub(crate) fn new() -> Self {
        Self {
            pos: 0,
            line_start: true,
            dots: Vec::new(),
            streaming: false,
        }
    }

    /// Decodes from the front of `buf`. Calls `advance(n)` for every `n` octets
    /// it takes off the front of `buf`.
    pub(crate) fn decode(
        &mut self,
        buf: &mut BytesMut,
        threshold: usize,
        advance: &mut dyn FnMut(usize),
    ) -> BodyStep {
        loop {
            if self.line_start {
                let rest = &buf[self.pos..];
                let Some(&first) = rest.first() else { break };
                if first == b'.' {
                    // RFC 1939 §3: a line that is "." alone ends the body;
                    // any other line starting with "." loses that first octet.
                    // A bare LF after the dot is accepted as an ending too.
                    match (rest.get(1), rest.get(2)) {
                        (None, _) | (Some(b'\r'), None) => break,
                        (Some(b'\n'), _) => return self.finish(buf, 2, advance),
                        (Some(b'\r'), Some(b'\n')) => return self.finish(buf, 3, advance),
                        _ => {
                            if let Some(step) = self.drop_dot(buf, advance) {
                                return step;
                            }
                        }
                    }
                }
                self.line_start = false;
            }
            match LF_DOT.find(&buf[self.pos..]) {
                Some(i) => {
                    self.pos += i + 1;
                    self.line_start = true;
                }
                None => {
                    if buf.len() > self.pos {
                        self.line_start = buf.last() == Some(&b'\n');
                        self.pos = buf.len();
                    }
                    break;
                }
            }
        }
        if !self.streaming && self.pos - self.dots.len() > threshold {
            self.streaming = true;
            return BodyStep::Chunk {
                data: self.take(buf, self.pos, advance),
                end: false,
            };
        }
        if self.streaming && self.pos > 0 {
            return BodyStep::Chunk {
                data: self.take(buf, self.pos, advance),
                end: false,
            };
        }
        BodyStep::NeedMore
    }

    /// Handles a stuffed dot at `pos`. While streaming, the data before it is
    /// handed out first.
    fn drop_dot(&mut self, buf: &mut BytesMut, advance: &mut dyn FnMut(usize)) -> Option<BodyStep> {
        if !self.streaming {
            self.dots.push(self.pos);
            self.pos += 1;
            return None;
        }
        if self.pos > 0 {
            // Come back to the same dot with pos == 0.
            return Some(BodyStep::Chunk {
                data: self.take(buf, self.pos, advance),
                end: false,
            });
        }
        buf.advance(1);
        advance(1);
        None
    }

    fn finish(
        &mut self,
        buf: &mut BytesMut,
        terminator: usize,
        advance: &mut dyn FnMut(usize),
    ) -> BodyStep {
        let data = self.take(buf, self.pos, advance);
        buf.advance(terminator);
        advance(terminator);
        BodyStep::Chunk { data, end: true }
    }

    /// Takes `len` scanned octets off the buffer, minus the recorded dots.
    fn take(&mut self, buf: &mut BytesMut, len: usize, advance: &mut dyn FnMut(usize)) -> Bytes {
        let raw = buf.split_to(len).freeze();
        advance(len);
        self.pos = 0;
        if self.dots.is_empty() {
            return raw;
        }
        let mut out = BytesMut::with_capacity(len - self.dots.len());
        let mut from = 0;
        for &dot in &self.dots {
            out.extend_from_slice(&raw[from..dot]);
            from = dot + 1;
        }
        out.extend_from_slice(&raw[from..]);
        self.dots.clear();
        out.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `wire` fed in pieces of `step` octets; returns the body, the
    /// chunk count and what is left in the buffer.
    fn run(wire: &[u8], step: usize, threshold: usize) -> (Vec<u8>, usize, Vec<u8>) {
        let mut u = Unstuffer::new();
        let mut buf = BytesMut::new();
        let mut body = Vec::new();
        let mut chunks = 0;
        let mut taken = 0;
        let mut input = wire.chunks(step.max(1));
        loop {
            match u.decode(&mut buf, threshold, &mut |n| taken += n) {
                BodyStep::NeedMore => match input.next() {
                    Some(piece) => buf.extend_from_slice(piece),
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
        for piece in input {
            buf.extend_from_slice(piece);
        }
        assert_eq!(taken + buf.len(), wire.len());
        (body, chunks, buf.to_vec())
    }

    #[test]
    fn unstuffs_at_line_starts_only_for_every_split() {
        let wire = b"..first\r\na.b\r\n..\r\nnot end\r\n...\r\n.x\r\n.\r\nNEXT";
        let want = b".first\r\na.b\r\n.\r\nnot end\r\n..\r\nx\r\n";
        for step in 1..wire.len() {
            for threshold in [0, 3, 1 << 20] {
                let (body, _, rest) = run(wire, step, threshold);
                assert_eq!(body, want, "step {step} threshold {threshold}");
                assert_eq!(rest, b"NEXT");
            }
        }
    }

    #[test]
    fn empty_body_and_bare_lf_terminator() {
        assert_eq!(run(b".\r\n", 1, 10).0, b"");
        assert_eq!(run(b"a\n.\nZ", 2, 10), (b"a\n".to_vec(), 1, b"Z".to_vec()));
    }

    #[test]
    fn small_body_is_one_zero_copy_chunk() {
        let (body, chunks, _) = run(b"line one\r\nline two\r\n.\r\n", 4, 1024);
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
        let (body, chunks, _) = run(&wire, 100, 256);
        assert!(chunks > 100, "{chunks}");
        assert_eq!(body.len(), wire.len() - 1000 - 3);
    }
}
