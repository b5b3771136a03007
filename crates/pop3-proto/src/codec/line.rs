//! Line framing with a resumable scan: each received byte is looked at once.

use bytes::Bytes;

use super::ReceiveBuffer;

use crate::error::DecodeError;

/// One line split off the receive buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// The line without its ending (CRLF or bare LF).
    pub(crate) content: Bytes,
    /// The line ended with LF alone.
    pub(crate) bare_lf: bool,
    /// Stream offset of the first octet of the line.
    pub(crate) offset: u64,
}

/// Finds line ends in a buffer that grows between calls, without rescanning.
#[derive(Debug, Default)]
pub(crate) struct LineReader {
    /// Octets at the front of the buffer already known to hold no LF.
    scanned: usize,
    /// Dropping the rest of an overlong line, up to its LF.
    discarding: bool,
    /// Stream offset of the front of the buffer.
    consumed: u64,
}

impl LineReader {
    /// Stream offset of the front of the buffer.
    pub(crate) fn offset(&self) -> u64 {
        self.consumed
    }

    /// Records that `n` octets were taken off the front of the buffer by
    /// someone else (a body decoder).
    pub(crate) fn advance(&mut self, n: usize) {
        self.consumed += n as u64;
        self.scanned = 0;
    }

    /// Splits the next line off `buf`, if a whole one is there.
    ///
    /// A line longer than `max` octets (ending included) is an error; its
    /// octets are dropped (as they arrive, so memory stays bounded) and reading
    /// resumes after its LF.
    pub(crate) fn next_line<B: ReceiveBuffer>(
        &mut self,
        buf: &mut B,
        max: usize,
    ) -> Result<Option<Line>, DecodeError> {
        if self.discarding {
            match memchr::memchr(b'\n', buf.octets()) {
                Some(i) => {
                    buf.skip(i + 1);
                    self.consumed += (i + 1) as u64;
                    self.discarding = false;
                    self.scanned = 0;
                }
                None => {
                    let n = buf.octets().len();
                    self.consumed += n as u64;
                    buf.skip(n);
                    return Ok(None);
                }
            }
        }
        let len = buf.octets().len();
        let start = self.scanned.min(len);
        match memchr::memchr(b'\n', &buf.octets()[start..]) {
            Some(i) => {
                let end = start + i + 1;
                let offset = self.consumed;
                self.consumed += end as u64;
                self.scanned = 0;
                let mut line = buf.take(end);
                if end > max {
                    return Err(DecodeError::LineTooLong { limit: max });
                }
                line.truncate(end - 1);
                let bare_lf = line.last() != Some(&b'\r');
                if !bare_lf {
                    line.truncate(end - 2);
                }
                Ok(Some(Line {
                    content: line,
                    bare_lf,
                    offset,
                }))
            }
            None if len >= max => {
                self.consumed += len as u64;
                buf.skip(len);
                self.scanned = 0;
                self.discarding = true;
                Err(DecodeError::LineTooLong { limit: max })
            }
            None => {
                self.scanned = len;
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use bytes::BytesMut;

    use super::*;

    #[test]
    fn splits_lines_and_resumes() {
        let mut r = LineReader::default();
        let mut buf = BytesMut::from(&b"+OK hel"[..]);
        assert!(r.next_line(&mut buf, 512).unwrap().is_none());
        buf.extend_from_slice(b"lo\r\nX\n");
        let l = r.next_line(&mut buf, 512).unwrap().unwrap();
        assert_eq!(
            (&l.content[..], l.bare_lf, l.offset),
            (&b"+OK hello"[..], false, 0)
        );
        let l = r.next_line(&mut buf, 512).unwrap().unwrap();
        assert_eq!((&l.content[..], l.bare_lf, l.offset), (&b"X"[..], true, 11));
        assert!(r.next_line(&mut buf, 512).unwrap().is_none());
    }

    #[test]
    fn overlong_lines_are_dropped_and_reading_resumes() {
        let mut r = LineReader::default();
        let mut buf = BytesMut::from(&b"0123456789"[..]);
        assert_eq!(
            r.next_line(&mut buf, 8),
            Err(DecodeError::LineTooLong { limit: 8 })
        );
        assert!(buf.is_empty(), "overlong input is not kept");
        buf.extend_from_slice(b"more\r\nOK\r\n");
        let l = r.next_line(&mut buf, 8).unwrap().unwrap();
        assert_eq!(&l.content[..], b"OK");
        assert_eq!(l.offset, 16);
        // A complete line that is too long.
        let mut buf = BytesMut::from(&b"0123456789\r\nOK\r\n"[..]);
        let mut r = LineReader::default();
        assert_eq!(
            r.next_line(&mut buf, 8),
            Err(DecodeError::LineTooLong { limit: 8 })
        );
        assert_eq!(
            &r.next_line(&mut buf, 8).unwrap().unwrap().content[..],
            b"OK"
        );
    }

    #[test]
    fn limit_counts_the_line_ending() {
        let mut r = LineReader::default();
        let mut buf = BytesMut::from(&b"1234\r\n"[..]);
        assert!(r.next_line(&mut buf, 6).unwrap().is_some());
        let mut buf = BytesMut::from(&b"12345\r\n"[..]);
        assert!(r.next_line(&mut buf, 6).is_err());
    }
}
