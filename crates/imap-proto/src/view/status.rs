//! Status responses read in place: `tag OK|NO|BAD`, untagged `OK`, `NO`,
//! `BAD`, `PREAUTH`, `BYE` with the response codes that need no
//! allocation, and `+ text` continuation requests (RFC 3501 §7.1, §7.5).

use bytes::Bytes;

use super::lex::{Lex, is_word, text_end};
use super::{Head, pos32};
use crate::response::{
    Base64, Code, Condition, Data, Response, SimpleCode, StatusText, Tagged, Text,
};
use crate::types::Tag;

/// Which status response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusKind {
    /// `OK`.
    Ok,
    /// `NO`.
    No,
    /// `BAD`.
    Bad,
    /// `PREAUTH` (untagged only).
    PreAuth,
    /// `BYE` (untagged only).
    Bye,
}

/// A status response read in place.
#[derive(Debug, Clone, Copy)]
pub struct StatusView<'a> {
    pub(super) tag: Option<&'a [u8]>,
    pub(super) kind: StatusKind,
    pub(super) code: Option<ViewCode>,
    pub(super) text: &'a [u8],
}

/// The response codes views carry, without allocation or drop.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ViewCode {
    /// A code that is a name alone.
    Simple(SimpleCode),
    UidNext(u32),
    UidValidity(u32),
    Unseen(u32),
    HighestModSeq(u64),
}

impl ViewCode {
    pub(crate) fn to_code(self) -> Code {
        match self {
            ViewCode::Simple(c) => c.code(),
            ViewCode::UidNext(n) => Code::UidNext(n),
            ViewCode::UidValidity(n) => Code::UidValidity(n),
            ViewCode::Unseen(n) => Code::Unseen(n),
            ViewCode::HighestModSeq(n) => Code::HighestModSeq(n),
        }
    }
}

impl<'a> StatusView<'a> {
    /// The tag; `None` for an untagged status.
    #[inline]
    pub fn tag(&self) -> Option<&'a str> {
        self.tag.and_then(|t| std::str::from_utf8(t).ok())
    }

    /// `OK`, `NO`, `BAD`, `PREAUTH` or `BYE`.
    #[inline]
    pub fn kind(&self) -> StatusKind {
        self.kind
    }

    /// The response code. Views carry the codes that are a name alone
    /// (`ALERT`, `READ-WRITE`, `TRYCREATE`, ...) or a name and a number
    /// (`UIDNEXT`, `UIDVALIDITY`, `UNSEEN`, `HIGHESTMODSEQ`); none of them
    /// allocates.
    #[inline]
    pub fn code(&self) -> Option<Code> {
        self.code.map(ViewCode::to_code)
    }

    /// The human-readable text (7-bit, possibly empty).
    #[inline]
    pub fn text(&self) -> &'a [u8] {
        self.text
    }

    /// The owned response.
    pub fn to_response(&self) -> Response {
        let text = StatusText {
            code: self.code(),
            text: Text::from_checked(Bytes::copy_from_slice(self.text)),
        };
        if let Some(tag) = self.tag {
            let condition = match self.kind {
                StatusKind::No => Condition::No,
                StatusKind::Bad => Condition::Bad,
                _ => Condition::Ok,
            };
            let tag = Tag::from_checked(Bytes::copy_from_slice(tag));
            return Response::Tagged(Tagged {
                tag,
                condition,
                text,
            });
        }
        Response::Untagged(match self.kind {
            StatusKind::Ok => Data::Ok(text),
            StatusKind::No => Data::No(text),
            StatusKind::Bad => Data::Bad(text),
            StatusKind::PreAuth => Data::PreAuth(text),
            StatusKind::Bye => Data::Bye(text),
        })
    }
}

/// `+ text`, not base64 and without a code.
pub(crate) fn read_continue(lex: &mut Lex<'_>) -> Option<Head> {
    lex.expect(b'+')?;
    lex.sp()?;
    let start = lex.pos();
    let end = text_end(lex.line(), start)?;
    let text = &lex.line()[start..end];
    // Text that is valid base64 reads as a SASL challenge (RFC 3501 §7.5);
    // the full parser makes that call.
    if text.first() == Some(&b'[') || (!text.is_empty() && Base64::decode_text(text).is_some()) {
        return None;
    }
    lex.advance(end - start);
    Some(Head::Continue)
}

/// The status response named `name` (any case); `PREAUTH` and `BYE` are
/// untagged only (RFC 3501 §7.1.4, §7.1.5).
#[inline]
pub(crate) fn status_kind(name: &[u8], tagged: bool) -> Option<StatusKind> {
    Some(match name.len() {
        2 if is_word(name, b"ok", b"OK") => StatusKind::Ok,
        2 if is_word(name, b"no", b"NO") => StatusKind::No,
        3 if is_word(name, b"bad", b"BAD") => StatusKind::Bad,
        3 if !tagged && is_word(name, b"bye", b"BYE") => StatusKind::Bye,
        7 if !tagged && is_word(name, b"preauth", b"PREAUTH") => StatusKind::PreAuth,
        _ => return None,
    })
}

/// A status response's ` [code] text`; `tag_end` says where the tag ends,
/// `None` for an untagged status.
#[inline(always)]
pub(crate) fn read_status(
    lex: &mut Lex<'_>,
    kind: StatusKind,
    tag_end: Option<u32>,
) -> Option<Head> {
    let (code, text) = read_resp_text(lex)?;
    Some(Head::Status {
        tag_end,
        kind,
        code,
        text,
    })
}

/// ` [code] text` after a status keyword: the code (if any) and where the
/// text starts. The text runs to the CRLF (7-bit, see [`text_end`]).
#[inline(always)]
fn read_resp_text(lex: &mut Lex<'_>) -> Option<(Option<ViewCode>, u32)> {
    // RFC 3501 §9 `resp-text`: a space, then an optional code and a space.
    lex.sp()?;
    let mut code = None;
    if lex.eat(b'[') {
        code = Some(read_code(lex)?);
        lex.expect(b']')?;
        lex.sp()?;
    }
    let text = lex.pos();
    lex.advance(text_end(lex.line(), text)? - text);
    Some((code, pos32(text)))
}

/// The codes views carry: a name alone, or a name and a number.
#[inline(always)]
fn read_code(lex: &mut Lex<'_>) -> Option<ViewCode> {
    let mut written = *lex;
    if let Some(code) = read_written_code(&mut written) {
        *lex = written;
        return Some(code);
    }
    let name = lex.atom()?;
    if lex.peek() == Some(b']') {
        // As servers write them (upper case), then in any case.
        let code = SimpleCode::from_upper(name)
            .or_else(|| SimpleCode::from_upper(&crate::parse::upper(name)));
        return code.map(ViewCode::Simple);
    }
    lex.sp()?;
    Some(match name.len() {
        7 if is_word(name, b"uidnext", b"UIDNEXT") => ViewCode::UidNext(lex.number()?),
        11 if is_word(name, b"uidvalidity", b"UIDVALIDITY") => ViewCode::UidValidity(lex.number()?),
        6 if is_word(name, b"unseen", b"UNSEEN") => ViewCode::Unseen(lex.number()?),
        13 if is_word(name, b"highestmodseq", b"HIGHESTMODSEQ") => {
            ViewCode::HighestModSeq(lex.number64()?)
        }
        _ => return None,
    })
}

/// The codes servers send most, as they write them: the name in upper case
/// and the octet after it compared whole, with no scan for the name's end.
/// `None` when the code is not one of them (or not so written).
#[inline(always)]
fn read_written_code(lex: &mut Lex<'_>) -> Option<ViewCode> {
    let rest = lex.rest();
    let mut eat = |written: &[u8]| {
        let eaten = rest.starts_with(written);
        if eaten {
            // Up to the `]`, which the caller reads.
            lex.advance(written.len() - usize::from(written.ends_with(b"]")));
        }
        eaten
    };
    let code = match rest.first()? {
        b'U' if eat(b"UIDNEXT ") => ViewCode::UidNext(lex.number()?),
        b'U' if eat(b"UIDVALIDITY ") => ViewCode::UidValidity(lex.number()?),
        b'U' if eat(b"UNSEEN ") => ViewCode::Unseen(lex.number()?),
        b'H' if eat(b"HIGHESTMODSEQ ") => ViewCode::HighestModSeq(lex.number64()?),
        b'R' if eat(b"READ-WRITE]") => ViewCode::Simple(SimpleCode::ReadWrite),
        b'R' if eat(b"READ-ONLY]") => ViewCode::Simple(SimpleCode::ReadOnly),
        b'T' if eat(b"TRYCREATE]") => ViewCode::Simple(SimpleCode::TryCreate),
        _ => return None,
    };
    Some(code)
}
