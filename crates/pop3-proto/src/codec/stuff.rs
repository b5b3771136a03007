//! Dot-stuffing of a multi-line body as the application streams it
//! (RFC 1939 §3), with CRLF normalisation and TOP truncation.

use bytes::{BufMut, BytesMut};

/// Encodes a message body for the wire, one chunk at a time.
///
/// - a `.` at the start of any line (the first line too) is doubled;
/// - a bare LF becomes CRLF (a bare CR is passed through, as Dovecot does);
/// - NUL and 8-bit octets pass through untouched;
/// - state is kept across chunks, so a CRLF or a line start split between two
///   chunks is handled;
/// - [`finish`](Stuffer::finish) adds a CRLF when the body did not end with a
///   line break, then the terminating `.` line.
///
/// With a line limit (TOP), only the header, the blank line and that many
/// body lines are written; the rest is ignored.
#[derive(Debug, Clone)]
pub struct Stuffer {
    line_start: bool,
    prev_cr: bool,
    /// The current line so far holds nothing but CRs.
    line_blank: bool,
    top: Option<TopState>,
    done: bool,
}

#[derive(Debug, Clone, Copy)]
struct TopState {
    in_header: bool,
    body_lines_left: u64,
}

impl Stuffer {
    /// Stuffs a whole message (RETR).
    pub fn new() -> Self {
        Self {
            line_start: true,
            prev_cr: false,
            line_blank: true,
            top: None,
            done: false,
        }
    }

    /// Stuffs the header and the first `lines` body lines of a message (TOP).
    pub fn top(lines: u64) -> Self {
        Self {
            top: Some(TopState {
                in_header: true,
                body_lines_left: lines,
            }),
            ..Self::new()
        }
    }

    /// Whether more input would still be written (false once TOP has its lines).
    pub fn wants_more(&self) -> bool {
        !self.done
    }

    /// Stuffs `chunk` into `out`.
    pub fn write(&mut self, mut chunk: &[u8], out: &mut BytesMut) {
        out.reserve(chunk.len() + chunk.len() / 64 + 4);
        while !chunk.is_empty() && !self.done {
            if self.line_start && chunk[0] == b'.' {
                out.put_u8(b'.');
            }
            let (line, rest, complete) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (&chunk[..=i], &chunk[i + 1..], true),
                None => (chunk, &[][..], false),
            };
            chunk = rest;
            if self.line_blank {
                self.line_blank = line.iter().all(|&b| b == b'\r' || b == b'\n');
            }
            if complete {
                let text = &line[..line.len() - 1];
                out.put_slice(text);
                let cr_before = match text.last() {
                    Some(&c) => c == b'\r',
                    None => self.prev_cr,
                };
                out.put_slice(if cr_before { b"\n" } else { b"\r\n" });
                self.prev_cr = false;
                self.line_start = true;
                self.end_line();
            } else {
                out.put_slice(line);
                self.prev_cr = line.last() == Some(&b'\r');
                self.line_start = false;
            }
        }
    }

    fn end_line(&mut self) {
        let blank = std::mem::replace(&mut self.line_blank, true);
        if let Some(top) = &mut self.top {
            if top.in_header {
                top.in_header = !blank;
                self.done = blank && top.body_lines_left == 0;
            } else {
                top.body_lines_left = top.body_lines_left.saturating_sub(1);
                self.done = top.body_lines_left == 0;
            }
        }
    }

    /// Ends the body: a CRLF if the last line had none, then `.` CRLF. A
    /// CR at the very end is a bare CR like any other and stays (as Dovecot
    /// sends it): the line still gets its CRLF.
    pub fn finish(&mut self, out: &mut BytesMut) {
        if !self.line_start {
            out.put_slice(b"\r\n");
        }
        out.put_slice(b".\r\n");
        *self = Self::new();
        self.done = true;
    }
}

/// A stored message as POP3 puts it on the wire, before dot-stuffing: every
/// bare LF becomes CRLF, a bare CR stays, and a CRLF is added when the
/// message does not end with a line break. Its length is what LIST reports
/// (RFC 1939 §11: "the exact size ... as transmitted").
pub fn wire_form(stored: &[u8]) -> Vec<u8> {
    let mut size = WireSize::new();
    size.update(stored);
    let mut out = Vec::with_capacity(usize::try_from(size.finish()).unwrap_or(stored.len()));
    let mut prev = 0u8;
    for &b in stored {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    if !stored.is_empty() && !stored.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Counts the length of [`wire_form`] as a message streams by, without
/// holding it: what a server needs for STAT and LIST.
#[derive(Debug, Clone, Copy, Default)]
pub struct WireSize {
    size: u64,
    prev: u8,
    empty: bool,
}

impl WireSize {
    /// A counter at zero.
    pub fn new() -> Self {
        Self {
            size: 0,
            prev: 0,
            empty: true,
        }
    }

    /// Counts the next part of the message.
    pub fn update(&mut self, chunk: &[u8]) {
        let Some(&last) = chunk.last() else { return };
        let bare_lf = memchr::memchr_iter(b'\n', chunk)
            .filter(|&i| {
                if i == 0 {
                    self.prev != b'\r'
                } else {
                    chunk[i - 1] != b'\r'
                }
            })
            .count();
        self.size += (chunk.len() + bare_lf) as u64;
        self.prev = last;
        self.empty = false;
    }

    /// The total.
    pub fn finish(&self) -> u64 {
        if self.empty || self.prev == b'\n' {
            self.size
        } else {
            self.size + 2
        }
    }
}

impl Default for Stuffer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stuff(chunks: &[&[u8]], top: Option<u64>) -> Vec<u8> {
        let mut s = top.map_or_else(Stuffer::new, Stuffer::top);
        let mut out = BytesMut::new();
        for c in chunks {
            s.write(c, &mut out);
        }
        s.finish(&mut out);
        out.to_vec()
    }

    #[test]
    fn stuffs_first_line_and_line_starts() {
        assert_eq!(
            stuff(&[b".a\n..\nb.c\n.\n"], None),
            b"..a\r\n...\r\nb.c\r\n..\r\n.\r\n"
        );
    }

    #[test]
    fn state_survives_chunk_boundaries() {
        assert_eq!(
            stuff(&[b"a\r", b"\n", b".b\n", b"x"], None),
            b"a\r\n..b\r\nx\r\n.\r\n"
        );
        assert_eq!(stuff(&[b"a\n", b".", b".\n"], None), b"a\r\n...\r\n.\r\n");
    }

    #[test]
    fn final_crlf_added_and_bare_cr_kept() {
        assert_eq!(stuff(&[b"no newline"], None), b"no newline\r\n.\r\n");
        assert_eq!(stuff(&[b"a\rb\n"], None), b"a\rb\r\n.\r\n");
        assert_eq!(stuff(&[b"ends in cr\r"], None), b"ends in cr\r\r\n.\r\n");
        assert_eq!(stuff(&[], None), b".\r\n");
        assert_eq!(stuff(&[b"nul\0\xff\n"], None), b"nul\0\xff\r\n.\r\n");
    }

    #[test]
    fn wire_form_and_its_size_agree_with_the_stuffer() {
        for (stored, wire) in [
            (&b""[..], &b""[..]),
            (b"a\nb", b"a\r\nb\r\n"),
            (b"a\r\n", b"a\r\n"),
            (b"x\r", b"x\r\r\n"),
            (b"a\rb\n\n", b"a\rb\r\n\r\n"),
        ] {
            assert_eq!(wire_form(stored), wire, "{stored:?}");
            for split in 0..=stored.len() {
                let mut size = WireSize::new();
                size.update(&stored[..split]);
                size.update(&stored[split..]);
                assert_eq!(
                    size.finish(),
                    wire.len() as u64,
                    "{stored:?} split at {split}"
                );
            }
            let mut out = BytesMut::new();
            let mut s = Stuffer::new();
            s.write(stored, &mut out);
            s.finish(&mut out);
            assert_eq!(&out[..out.len() - 3], wire, "{stored:?}");
        }
    }

    #[test]
    fn top_truncates_after_header_and_n_lines() {
        let msg: &[u8] = b"H: 1\nH: 2\n\n.l1\nl2\nl3\n";
        assert_eq!(stuff(&[msg], Some(0)), b"H: 1\r\nH: 2\r\n\r\n.\r\n");
        assert_eq!(
            stuff(&[msg], Some(2)),
            b"H: 1\r\nH: 2\r\n\r\n..l1\r\nl2\r\n.\r\n"
        );
        assert_eq!(
            stuff(&[msg], Some(99)),
            b"H: 1\r\nH: 2\r\n\r\n..l1\r\nl2\r\nl3\r\n.\r\n"
        );
        // Split inside the blank line's CRLF.
        assert_eq!(
            stuff(&[b"H: 1\r\n\r", b"\nbody\r\n"], Some(0)),
            b"H: 1\r\n\r\n.\r\n"
        );
    }
}
