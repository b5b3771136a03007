//! CRLF to LF, as Maildir stores messages, across chunk boundaries.

/// Turns CRLF into LF (when asked) in a stream given in pieces; a bare CR is
/// kept.
#[derive(Debug)]
pub(crate) struct LineEndings {
    to_lf: bool,
    /// A CR seen at the end of the last piece, not yet written.
    pending_cr: bool,
}

impl LineEndings {
    pub(crate) fn new(to_lf: bool) -> Self {
        Self {
            to_lf,
            pending_cr: false,
        }
    }

    /// Appends `data`, converted, to `out`.
    pub(crate) fn convert(&mut self, data: &[u8], out: &mut Vec<u8>) {
        if !self.to_lf {
            out.extend_from_slice(data);
            return;
        }
        out.reserve(data.len() + 1);
        let mut rest = data;
        if rest.is_empty() {
            // A held CR waits for the next octet, whatever the pieces.
            return;
        }
        if self.pending_cr {
            self.pending_cr = false;
            if rest.first() != Some(&b'\n') {
                out.push(b'\r');
            }
        }
        // Copy runs between CRs whole: most of a message has none.
        while let Some(at) = memchr::memchr(b'\r', rest) {
            out.extend_from_slice(&rest[..at]);
            match rest.get(at + 1) {
                Some(b'\n') => {}
                Some(_) => out.push(b'\r'),
                None => self.pending_cr = true,
            }
            rest = &rest[at + 1..];
        }
        out.extend_from_slice(rest);
    }

    /// The end of the stream: a CR held back is written.
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) {
        if std::mem::take(&mut self.pending_cr) {
            out.push(b'\r');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(to_lf: bool, pieces: &[&[u8]]) -> Vec<u8> {
        let mut conv = LineEndings::new(to_lf);
        let mut out = Vec::new();
        for piece in pieces {
            conv.convert(piece, &mut out);
        }
        conv.finish(&mut out);
        out
    }

    #[test]
    fn crlf_becomes_lf_across_pieces() {
        let pieces: [&[u8]; 4] = [b"a\r", b"\nb\rc\r", b"\r\n", b"d\r"];
        assert_eq!(run(true, &pieces), b"a\nb\rc\r\nd\r");
        assert_eq!(run(false, &pieces), b"a\r\nb\rc\r\r\nd\r");
        assert_eq!(run(true, &[b"\r", b"", b"\n\r\n"]), b"\n\n");
        assert_eq!(run(true, &[b"\r", b"x"]), b"\rx");
    }

    /// Every split of every short string of CR, LF and x converts as the
    /// whole string does.
    #[test]
    fn splits_do_not_matter() {
        let alphabet = [b'\r', b'\n', b'x'];
        for len in 0..=6u32 {
            for code in 0..3usize.pow(len) {
                let mut s = Vec::new();
                let mut c = code;
                for _ in 0..len {
                    s.push(alphabet[c % 3]);
                    c /= 3;
                }
                let whole = run(true, &[&s]);
                let want: Vec<u8> = String::from_utf8(s.clone())
                    .unwrap()
                    .replace("\r\n", "\n")
                    .into_bytes();
                assert_eq!(whole, want, "{s:?}");
                for at in 0..=s.len() {
                    assert_eq!(run(true, &[&s[..at], &s[at..]]), want, "{s:?} at {at}");
                }
            }
        }
    }
}
