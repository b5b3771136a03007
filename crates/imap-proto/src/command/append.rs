//! APPEND's messages (RFC 3501 §6.3.11, RFC 9051 §6.3.12): flags, internal
//! date, a literal or a literal8 (BINARY, RFC 3516), several per command
//! (MULTIAPPEND, RFC 3502).

use bytes::Bytes;

use super::encode::Encoder;
use super::parse;
use crate::parse::{Cursor, PResult};
use crate::types::{DateTime, Flag};

/// One message of an APPEND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage {
    /// The flag list; `None` when absent (`Some(vec![])` is `()`).
    pub flags: Option<Vec<Flag>>,
    /// The internal date.
    pub date: Option<DateTime>,
    /// The message octets (a slice of the received frame).
    pub data: Bytes,
    /// Sent as literal8 (`~{n}`, may contain NUL).
    pub binary: bool,
}

impl AppendMessage {
    /// A message without flags or date, sent as a plain literal.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            flags: None,
            date: None,
            data: data.into(),
            binary: false,
        }
    }

    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let flags = if c.peek() == Some(b'(') {
            let f = c.list(parse::flag)?;
            c.sp()?;
            Some(f)
        } else {
            None
        };
        let date = if c.peek() == Some(b'"') {
            let d = DateTime::parse(c)?;
            c.sp()?;
            Some(d)
        } else {
            None
        };
        if !c.at_literal() {
            return Err(c.error("a literal with the message"));
        }
        let (data, binary) = c.literal()?;
        Ok(Self {
            flags,
            date,
            data,
            binary,
        })
    }

    pub(crate) fn write(&self, e: &mut Encoder) {
        if let Some(f) = &self.flags {
            e.flags(f).sp();
        }
        if let Some(d) = &self.date {
            e.date_time(d).sp();
        }
        let mode = e.literal_mode(self.data.len());
        e.literal(self.data.clone(), mode, self.binary);
    }
}
