//! The response grammar: [`Response::parse`] and the readers of each
//! untagged response, over one complete frame.

use bytes::Bytes;

use super::{
    Base64, Code, Condition, Continue, Data, ESearch, ListExtItem, ListItem, Mailbox, MetadataData,
    Namespace, QuotaResource, Response, StatusItem, StatusText, Tagged, Text, code, fetch, mailbox,
    search,
};
use crate::codec::Frame;
use crate::error::DecodeError;
use crate::limits::Limits;
use crate::parse::values::{SetError, astring, check_8bit, flag_list, more, sequence_set, take_n};
use crate::parse::{Cursor, PResult, Quirk, Strictness};
use crate::types::Tag;

/// A body structure's size or line count (`body-fld-octets`,
/// `body-fld-lines`: a 32-bit `number`, RFC 3501 §9 / RFC 9051 §9). Some
/// servers send it negative (a quirk; reads as 0), or, for huge parts, at
/// or above 2^32 (a quirk; kept, up to 2^63 - 1).
pub(crate) fn body_number(c: &mut Cursor<'_>) -> PResult<u64> {
    if c.eat(b'-') {
        c.quirk(Quirk::NegativeNumber, "a non-negative number")?;
        c.number64()?;
        return Ok(0);
    }
    let mut n = c.number64()?;
    if matches!(c.peek(), Some(b'.' | b'e' | b'E')) {
        n = exponent_number(c, n)?;
    }
    if n > u64::from(u32::MAX) {
        c.quirk(Quirk::LargeBodyNumber, "a number below 2^32")?;
    }
    Ok(n)
}

/// The rest of a number in exponent notation after its integer digits
/// `int`: `["." 1*DIGIT] ("e" / "E") ["+" / "-"] 1*DIGIT`, read as the
/// integer it rounds to (half up), at most 2^63 - 1 (a quirk,
/// [`Quirk::ExponentNumber`]).
pub(super) fn exponent_number(c: &mut Cursor<'_>, int: u64) -> PResult<u64> {
    let err = |c: &Cursor<'_>| c.error("a number (not in exponent notation, or too large)");
    // The digits as one integer, and the power of ten that scales it.
    let mut digits = u128::from(int);
    let mut scale: i64 = 0;
    if c.eat(b'.') {
        let fraction = c.take_while1_slice(|b| b.is_ascii_digit(), "digits after the point")?;
        for &d in fraction {
            digits = digits
                .checked_mul(10)
                .and_then(|v| v.checked_add(u128::from(d - b'0')))
                .filter(|&v| v <= u128::from(u64::MAX))
                .ok_or_else(|| err(c))?;
            scale -= 1;
        }
    }
    if !(c.eat(b'e') || c.eat(b'E')) {
        return Err(c.error("an exponent (e+n)"));
    }
    let negative = c.eat(b'-');
    if !negative {
        c.eat(b'+');
    }
    // Beyond 10^64 every value is out of range (or rounds to 0).
    let exponent = c.number64()?.min(64) as i64;
    scale += if negative { -exponent } else { exponent };
    let value = if scale >= 0 {
        10u128
            .checked_pow(u32::try_from(scale).map_err(|_| err(c))?)
            .and_then(|p| digits.checked_mul(p))
    } else {
        // Dividing by more than 10^38 leaves nothing.
        let p = 10u128.checked_pow(u32::try_from(-scale).unwrap_or(u32::MAX));
        Some(p.map_or(0, |p| (digits + p / 2) / p))
    };
    let value = value
        .filter(|&v| v <= i64::MAX as u128)
        .ok_or_else(|| err(c))?;
    c.quirk(Quirk::ExponentNumber, "a number")?;
    Ok(value as u64)
}

impl StatusText {
    /// Reads `resp-text` after the space that precedes it.
    pub(super) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let mut code = None;
        if c.peek() == Some(b'[') {
            c.advance(1);
            code = Some(Code::parse_lenient(c)?);
            c.expect(b']', "] closing the response code")?;
            if c.peek() == Some(b' ') {
                c.advance(1);
            } else {
                c.quirk(Quirk::MissingText, "a space and text after the code")?;
            }
        }
        let (text, eight_bit) = c.text_checked()?;
        if eight_bit {
            check_8bit(c, &text, Quirk::EightBitText)?;
        }
        Ok(Self {
            code,
            text: Text(text),
        })
    }

    /// Reads ` resp-text` (the space first); its absence is a quirk.
    pub(super) fn parse_after_keyword(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.at_line_end() && c.peek() != Some(b' ') {
            c.quirk(Quirk::MissingText, "a space and text")?;
            return Ok(Self::default());
        }
        c.expect(b' ', "a space")?;
        Self::parse(c)
    }
}

impl Response {
    /// Parses one complete frame (see [`Frame::is_complete`]); returns the
    /// response and the quirks tolerated.
    pub fn parse(
        frame: &Frame,
        limits: &Limits,
        strictness: Strictness,
    ) -> Result<(Response, Vec<Quirk>), DecodeError> {
        Self::parse_bytes(frame.bytes(), frame.offset(), limits, strictness)
    }

    /// Parses one complete response held in `bytes` (ending with its line
    /// ending), which starts at stream offset `offset`.
    pub fn parse_bytes(
        bytes: &Bytes,
        offset: u64,
        limits: &Limits,
        strictness: Strictness,
    ) -> Result<(Response, Vec<Quirk>), DecodeError> {
        Self::parse_bytes_utf8(bytes, offset, limits, strictness, false)
    }

    /// Like [`Response::parse_bytes`]; `utf8` says UTF-8 is in force
    /// (UTF8=ACCEPT enabled, RFC 6855 §3, or IMAP4rev2, RFC 9051 §5.1), so
    /// mailbox names are read as UTF-8, not modified UTF-7.
    pub fn parse_bytes_utf8(
        bytes: &Bytes,
        offset: u64,
        limits: &Limits,
        strictness: Strictness,
        utf8: bool,
    ) -> Result<(Response, Vec<Quirk>), DecodeError> {
        let mut c = Cursor::over(bytes, offset, limits, strictness);
        let mut r = Self::read(&mut c)?;
        if utf8 {
            r.reread_mailboxes_utf8();
        }
        Ok((r, c.quirks().to_vec()))
    }

    /// Reads every mailbox name of the response again as UTF-8.
    pub(super) fn reread_mailboxes_utf8(&mut self) {
        let Response::Untagged(data) = self else {
            return;
        };
        match data {
            Data::List(item) | Data::Lsub(item) => {
                item.mailbox.reread_utf8();
                for ext in &mut item.extended {
                    if let ListExtItem::OldName(m) = ext {
                        m.reread_utf8();
                    }
                }
            }
            Data::Status { mailbox, .. }
            | Data::QuotaRoot { mailbox, .. }
            | Data::Metadata { mailbox, .. } => mailbox.reread_utf8(),
            _ => {}
        }
    }

    pub(super) fn read(c: &mut Cursor<'_>) -> PResult<Response> {
        match c.peek() {
            Some(b'+') => {
                c.advance(1);
                let r = Response::Continue(read_continue(c)?);
                c.finish()?;
                Ok(r)
            }
            Some(b'*') => {
                c.advance(1);
                // More spaces are a quirk: DavMail's keep-alive
                // `*  633 EXISTS` (davmail#122).
                c.sp()?;
                let data = Data::read(c)?;
                if !matches!(data, Data::Other { .. }) {
                    c.finish()?;
                }
                Ok(Response::Untagged(data))
            }
            // A tag may start with `[` (`[1 NO`); a line that is no tagged
            // response is a response code alone: Exchange 2013 answers UID
            // MOVE with a bare `[COPYUID 124 10 233]` (ruby/net-imap#250,
            // MailKit#115), read as the `* OK` it stands for.
            Some(b'[') if Self::read_tagged(&mut c.fork_lenient()).is_err() => {
                c.quirk(Quirk::BareCode, "* OK before the response code")?;
                let text = StatusText::parse(c)?;
                c.finish()?;
                Ok(Response::Untagged(Data::Ok(text)))
            }
            _ => Self::read_tagged(c),
        }
    }

    /// `tag SP (OK / NO / BAD) resp-text CRLF`.
    pub(super) fn read_tagged(c: &mut Cursor<'_>) -> PResult<Response> {
        let tag = c.tag()?;
        let tag = Tag::new(tag).map_err(|_| c.error("a tag"))?;
        c.expect(b' ', "a space after the tag")?;
        let condition = if c.eat_keyword(b"OK") {
            Condition::Ok
        } else if c.eat_keyword(b"NO") {
            Condition::No
        } else if c.eat_keyword(b"BAD") {
            Condition::Bad
        } else {
            return Err(c.error("OK, NO or BAD"));
        };
        let text = StatusText::parse_after_keyword(c)?;
        c.finish()?;
        Ok(Response::Tagged(Tagged {
            tag,
            condition,
            text,
        }))
    }
}

pub(super) fn read_continue(c: &mut Cursor<'_>) -> PResult<Continue> {
    if !c.eat(b' ') {
        if c.at_line_end() {
            c.quirk(Quirk::BareContinuation, "a space after +")?;
            return Ok(Continue::Text(StatusText::default()));
        }
        return Err(c.error("a space after +"));
    }
    if c.peek() != Some(b'[') {
        let rest = c.rest();
        let end = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
        if end > 0 && Base64::decode_text(&rest[..end]).is_some() {
            return Ok(Continue::Base64(Base64(c.text())));
        }
    }
    Ok(Continue::Text(StatusText::parse(c)?))
}

pub(super) fn status(c: &mut Cursor<'_>) -> PResult<StatusText> {
    StatusText::parse_after_keyword(c)
}

impl Data {
    pub(super) fn read(c: &mut Cursor<'_>) -> PResult<Data> {
        if c.peek().is_some_and(|b| b.is_ascii_digit()) {
            let n = c.number()?;
            c.sp()?;
            let name = c.take_while1_slice(crate::types::is_atom_char, "an atom")?;
            let upper = crate::parse::upper(name);
            return Ok(match &upper[..] {
                b"EXISTS" => Data::Exists(n),
                b"RECENT" => Data::Recent(n),
                b"EXPUNGE" => Data::Expunge(n),
                b"FETCH" => {
                    c.sp()?;
                    Data::Fetch {
                        seq: n,
                        items: fetch::parse_items(c)?,
                    }
                }
                _ => other(c, Some(n), c.share(name))?,
            });
        }
        let name = c.take_while1_slice(crate::types::is_atom_char, "an atom")?;
        let upper = crate::parse::upper(name);
        Ok(match &upper[..] {
            b"OK" => Data::Ok(status(c)?),
            b"NO" => Data::No(status(c)?),
            b"BAD" => Data::Bad(status(c)?),
            b"PREAUTH" => Data::PreAuth(status(c)?),
            b"BYE" => Data::Bye(status(c)?),
            b"CAPABILITY" => Data::Capability(code::capabilities(c)?),
            b"ENABLED" => Data::Enabled(code::capabilities(c)?),
            b"FLAGS" => {
                c.sp()?;
                Data::Flags(flag_list(c, false)?)
            }
            b"LIST" => {
                c.sp()?;
                Data::List(ListItem::parse(c)?)
            }
            b"LSUB" => {
                c.sp()?;
                Data::Lsub(ListItem::parse(c)?)
            }
            b"STATUS" => {
                c.sp()?;
                let mailbox = Mailbox::parse(c)?;
                c.sp()?;
                let items = c.list(StatusItem::parse)?;
                Data::Status { mailbox, items }
            }
            b"SEARCH" => {
                let (ids, modseq) = search::numbers(c)?;
                Data::Search { ids, modseq }
            }
            b"SORT" => {
                let (ids, modseq) = search::numbers(c)?;
                Data::Sort { ids, modseq }
            }
            b"THREAD" => Data::Thread(search::threads(c)?),
            b"ESEARCH" => Data::ESearch(ESearch::parse(c)?),
            b"VANISHED" => {
                c.sp()?;
                let earlier = if c.peek() == Some(b'(') {
                    c.expect(b'(', "(")?;
                    c.expect_keyword(b"EARLIER", "EARLIER")?;
                    c.expect(b')', ")")?;
                    c.sp()?;
                    true
                } else {
                    false
                };
                Data::Vanished {
                    earlier,
                    uids: sequence_set(c, SetError::AtStart)?,
                }
            }
            b"NAMESPACE" => {
                c.sp()?;
                Data::Namespace(Namespace::parse(c)?)
            }
            b"ID" => {
                c.sp()?;
                Data::Id(mailbox::id_params(c)?)
            }
            b"QUOTA" => {
                c.sp()?;
                let root = astring(c)?;
                c.sp()?;
                Data::Quota {
                    root,
                    resources: c.list(QuotaResource::parse)?,
                }
            }
            b"QUOTAROOT" => {
                c.sp()?;
                let mailbox = Mailbox::parse(c)?;
                let mut roots = Vec::new();
                while more(c)? {
                    roots.push(astring(c)?);
                }
                Data::QuotaRoot { mailbox, roots }
            }
            b"METADATA" => {
                c.sp()?;
                let mailbox = Mailbox::parse(c)?;
                c.sp()?;
                Data::Metadata {
                    mailbox,
                    data: MetadataData::parse(c)?,
                }
            }
            _ => other(c, None, c.share(name))?,
        })
    }
}

/// An unknown untagged response: the rest of the frame, without the final
/// line ending, kept as is.
pub(super) fn other(c: &mut Cursor<'_>, number: Option<u32>, name: Bytes) -> PResult<Data> {
    let name = crate::types::Atom::new(name).map_err(|_| c.error("an atom"))?;
    let rest = c.rest();
    let eol = if rest.ends_with(b"\r\n") {
        2
    } else if rest.ends_with(b"\n") {
        c.quirk(Quirk::BareLf, "CRLF")?;
        1
    } else {
        return Err(c.error("the end of the line"));
    };
    let body_len = rest.len() - eol;
    let rest = if body_len == 0 {
        Bytes::new()
    } else {
        c.expect(b' ', "a space or the line end")?;
        let rest = if body_len > 1 {
            take_n(c, body_len - 1, "data")?
        } else {
            Bytes::new()
        };
        if rest.first() == Some(&b' ') || rest.is_empty() {
            c.quirk(Quirk::ExtraSpace, "a single space")?;
        }
        rest
    };
    c.advance(eol);
    Ok(Data::Other { number, name, rest })
}
