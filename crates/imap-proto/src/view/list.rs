//! `LIST` / `LSUB` responses read in place (RFC 3501 §7.2.2, §7.2.3),
//! without extended data (RFC 5258), which the full parser reads.

use bytes::Bytes;

use super::lex::{Lex, Str};
use super::{Head, pos32};
use crate::response::{ListItem, Mailbox, MailboxAttr};
use crate::types::{AString, Atom, MailboxEncoding, MailboxName, is_astring_char};

/// A `LIST` or `LSUB` response read in place (without extended data).
#[derive(Debug, Clone)]
pub struct ListView<'a> {
    pub(super) attributes: &'a [u8],
    pub(super) delimiter: Option<u8>,
    pub(super) mailbox: Str<'a>,
    pub(super) utf8: bool,
}

impl<'a> ListView<'a> {
    /// The attributes as sent, `\` included (`\HasNoChildren`).
    #[inline]
    pub fn attributes(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        self.attributes
            .split(|&b| b == b' ')
            .filter(|a| !a.is_empty())
    }

    /// The hierarchy delimiter; `None` for NIL.
    #[inline]
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The mailbox name as sent (modified UTF-7, or UTF-8 once UTF8=ACCEPT
    /// is in force).
    #[inline]
    pub fn mailbox(&self) -> Str<'a> {
        self.mailbox
    }

    /// The mailbox name decoded, if it decodes in the connection's
    /// encoding.
    #[inline]
    pub fn mailbox_name(&self) -> Option<MailboxName> {
        let encoding = if self.utf8 {
            MailboxEncoding::Utf8
        } else {
            MailboxEncoding::ModifiedUtf7
        };
        MailboxName::from_wire(&self.mailbox.bytes(), encoding).ok()
    }

    /// The owned LIST item.
    pub fn to_list_item(&self) -> ListItem {
        let attributes = self
            .attributes()
            .map(|a| {
                let name = a.strip_prefix(b"\\").unwrap_or(a);
                MailboxAttr::known(name).unwrap_or_else(|| {
                    MailboxAttr::Other(Atom::from_checked(Bytes::copy_from_slice(name)))
                })
            })
            .collect();
        let mut mailbox =
            Mailbox::from_wire(&self.mailbox.bytes(), || AString(self.mailbox.to_istring()));
        if self.utf8 {
            mailbox.reread_utf8();
        }
        ListItem {
            attributes,
            delimiter: self.delimiter,
            mailbox,
            extended: Vec::new(),
        }
    }
}

/// Steps over one of the attributes most servers send on most lines
/// (after its `\`), written as RFC 3348 and RFC 6154 spell them, when it
/// ends there (a space or `)` follows); `false` leaves the position.
#[inline]
fn eat_common_attribute(lex: &mut Lex<'_>) -> bool {
    const COMMON: [&[u8]; 4] = [b"HasNoChildren", b"HasChildren", b"Noselect", b"Marked"];
    let rest = lex.rest();
    for name in COMMON {
        if rest.starts_with(name) && matches!(rest.get(name.len()), Some(b' ' | b')')) {
            lex.advance(name.len());
            return true;
        }
    }
    false
}

/// ` (attributes) "d" mailbox` (RFC 3501 §7.2.2), without extended data.
#[inline(always)]
pub(crate) fn read_list(lex: &mut Lex<'_>, lsub: bool) -> Option<Head> {
    lex.sp()?;
    lex.expect(b'(')?;
    let start = lex.pos();
    if !lex.eat(b')') {
        loop {
            // `\` and an atom; an attribute without `\`, or `\` alone, is a
            // quirk. The common ones are compared whole, as servers write
            // them; any other is scanned.
            lex.expect(b'\\')?;
            if !eat_common_attribute(lex) {
                lex.atom()?;
            }
            if lex.eat(b')') {
                break;
            }
            lex.sp()?;
        }
    }
    let attributes = (pos32(start), pos32(lex.pos() - 1));
    lex.sp()?;
    let delimiter = if matches!(lex.peek(), Some(b'N' | b'n')) && lex.eat_keyword(b"NIL") {
        None
    } else {
        match *lex.rest() {
            // RFC 3501 §9 `QUOTED-CHAR`: a 7-bit `TEXT-CHAR` (one octet, so
            // any control but NUL, CR and LF is taken here); `"` and `\`
            // would be escaped.
            [b'"', d, b'"', ..] if crate::types::is_text_char(d) && d != b'"' && d != b'\\' => {
                lex.advance(3);
                Some(d)
            }
            _ => return None,
        }
    };
    lex.sp()?;
    let mailbox = if lex.peek() == Some(b'"') {
        let (start, end, escaped) = lex.quoted_span()?;
        (pos32(start), pos32(end), escaped)
    } else {
        let start = lex.pos();
        let a = lex.take_while(is_astring_char);
        if a.is_empty() {
            return None;
        }
        (pos32(start), pos32(lex.pos()), false)
    };
    Some(Head::List {
        lsub,
        attributes,
        delimiter,
        mailbox,
    })
}
