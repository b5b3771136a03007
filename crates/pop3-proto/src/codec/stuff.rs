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

    /// Ends the body: a CRLF if the last line had none, then `.` CRLF.
    pub fn finish(&mut self, out: &mut BytesMut) {
        if !self.line_start {
            // A dangling CR was already written: complete it to CRLF.
            out.put_slice(if self.prev_cr { b"\n" } else { b"\r\n" });
        }
        out.put_slice(b".\r\n");
        *self = Self::new();
        self.done = true;
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
        assert_eq!(stuff(&[b"ends in cr\r"], None), b"ends in cr\r\n.\r\n");
        assert_eq!(stuff(&[], None), b".\r\n");
        assert_eq!(stuff(&[b"nul\0\xff\n"], None), b"nul\0\xff\r\n.\r\n");
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
