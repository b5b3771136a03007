//! The reader of FETCH metadata in canonical form (RFC 3501 §7.4.2 /
//! RFC 9051 §7.5.2 `msg-att`): one pass over the octets, led by the
//! grammar, that checks each value where the grammar expects it and
//! records it on the tape (lists, strings, numbers, atoms, NIL), so the
//! views can walk it.
//!
//! Canonical means one space between items, none after `(` or before
//! `)`, address lists and body parts touching, quoted strings of 7-bit
//! text, sizes below 2^32, every body part with all its fields. Anything
//! else answers `None`, and the full parser reads the line with its quirks
//! and errors. Each value is read where it is expected, so no octet is
//! classified twice and no token is dispatched on its kind.

use super::lex::{Item, Kind, Lex, Part, Tape};
use crate::limits::Limits;
use crate::types::DateTime;

/// Deepest nesting the reader takes; deeper values go to the full parser.
const MAX_DEPTH: usize = 24;

/// Reads `"(" [msg-att *(SP msg-att)] ")"` at `lex`'s position onto `tape`
/// (the list is token 0), and steps over it. The octets may run past the
/// line's end (the caller looks for it after the list): the tape grows
/// with the tokens read, reused from line to line.
pub(crate) fn read_items(lex: &mut Lex<'_>, tape: &mut Tape, limits: &Limits) -> Option<()> {
    let mut r = Reader {
        lex: *lex,
        tape,
        depth: 0,
        max_depth: MAX_DEPTH.min(limits.max_depth),
    };
    r.list(true, Reader::item)?;
    *lex = r.lex;
    Some(())
}

/// The line's reader, and the tape it records on.
struct Reader<'l, 't> {
    lex: Lex<'l>,
    tape: &'t mut Tape,
    /// Lists open.
    depth: usize,
    max_depth: usize,
}

impl Reader<'_, '_> {
    /// Whether `c` is next (not consumed).
    #[inline]
    fn at(&self, c: u8) -> bool {
        self.lex.peek() == Some(c)
    }

    #[inline]
    fn sp(&mut self) -> Option<()> {
        self.lex.sp()
    }

    /// `(`: a list opened on the tape; returns its tape index.
    #[inline(always)]
    fn open(&mut self) -> Option<usize> {
        if !self.at(b'(') || self.depth >= self.max_depth {
            return None;
        }
        self.depth += 1;
        let list = self.tape.open(self.lex.pos());
        self.lex.advance(1);
        Some(list)
    }

    /// `)` closing the list opened at tape index `list`.
    #[inline(always)]
    fn close(&mut self, list: usize) -> Option<()> {
        self.lex.expect(b')')?;
        self.depth -= 1;
        self.tape.close(list);
        Some(())
    }

    /// `"(" item *(SP item) ")"`, also `"()"` when `empty` allows it.
    #[inline(always)]
    fn list(&mut self, empty: bool, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        let list = self.open()?;
        if empty && self.at(b')') {
            return self.close(list);
        }
        loop {
            item(self)?;
            if self.at(b')') {
                return self.close(list);
            }
            self.sp()?;
        }
    }

    /// A quoted string; returns its content's span.
    #[inline(always)]
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        let (start, end, escaped) = self.lex.quoted_span()?;
        let kind = if escaped { Kind::StrEscaped } else { Kind::Str };
        self.tape.push(kind, start, end);
        Some((start, end, escaped))
    }

    /// `NIL`, in any case.
    #[inline(always)]
    fn nil(&mut self) -> Option<()> {
        let at = self.lex.pos();
        if !self.lex.rest().get(..3)?.eq_ignore_ascii_case(b"NIL") {
            return None;
        }
        self.tape.push(Kind::Nil, at, at + 3);
        self.lex.advance(3);
        Some(())
    }

    /// A string or `NIL`.
    #[inline(always)]
    fn nstring(&mut self) -> Option<()> {
        if self.at(b'"') {
            self.string().map(drop)
        } else {
            self.nil()
        }
    }

    /// `number64` (RFC 9051 §9: at most 2^63 - 1).
    #[inline(always)]
    fn number64(&mut self) -> Option<u64> {
        let at = self.lex.pos();
        let n = self.lex.number64()?;
        self.tape.push(Kind::Number, at, self.lex.pos());
        Some(n)
    }

    /// `number` (32 bits): body sizes and line counts (larger is a quirk).
    #[inline]
    fn number32(&mut self) -> Option<u32> {
        u32::try_from(self.number64()?).ok()
    }

    /// One `name SP value` the views read.
    fn item(&mut self) -> Option<()> {
        let start = self.lex.pos();
        let (item, len) = super::fetch::item_at(self.lex.rest())?;
        self.tape.push(Kind::Item(item), start, start + len);
        self.lex.advance(len + 1);
        match item {
            Item::Uid => {
                self.number32().filter(|&n| n != 0)?;
            }
            Item::Flags => self.list(true, Reader::flag)?,
            Item::InternalDate => {
                let (start, end, escaped) = self.string()?;
                if escaped {
                    return None;
                }
                DateTime::parse_fixed(&self.lex.line()[start..end])?;
            }
            Item::Rfc822Size | Item::GmMsgId | Item::GmThrId => {
                self.number64()?;
            }
            Item::ModSeq => {
                let list = self.open()?;
                self.number64()?;
                self.close(list)?;
            }
            Item::Envelope => self.envelope()?,
            Item::Body | Item::BodyStructure => self.body()?,
        }
        Some(())
    }

    /// A flag: `\` and an atom, or an atom (`NIL` is not a flag).
    fn flag(&mut self) -> Option<()> {
        let start = self.lex.pos();
        self.lex.eat(b'\\');
        if self.lex.atom().is_none()
            || self.lex.line()[start..self.lex.pos()].eq_ignore_ascii_case(b"NIL")
        {
            return None;
        }
        self.tape.push(Kind::Atom, start, self.lex.pos());
        Some(())
    }

    /// `envelope` (RFC 3501 §9): date, subject, six address lists,
    /// in-reply-to, message id.
    fn envelope(&mut self) -> Option<()> {
        let list = self.open()?;
        self.nstring()?;
        self.sp()?;
        self.nstring()?;
        for _ in 0..6 {
            self.sp()?;
            self.addresses()?;
        }
        self.sp()?;
        self.nstring()?;
        self.sp()?;
        self.nstring()?;
        self.close(list)
    }

    /// `"(" 1*address ")" / nil`, the addresses touching (spaces between
    /// them, or an empty list, are quirks).
    fn addresses(&mut self) -> Option<()> {
        if !self.at(b'(') {
            return self.nil();
        }
        let list = self.open()?;
        loop {
            // `"(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"`.
            let address = self.open()?;
            self.nstring()?;
            for _ in 0..3 {
                self.sp()?;
                self.nstring()?;
            }
            self.close(address)?;
            if !self.at(b'(') {
                return self.close(list);
            }
        }
    }

    /// `body-fld-param`: NIL, or name / value string pairs (at least one).
    fn params(&mut self) -> Option<()> {
        if !self.at(b'(') {
            return self.nil();
        }
        self.list(false, |r| {
            r.string()?;
            r.sp()?;
            r.string().map(drop)
        })
    }

    /// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]` up to the
    /// `)` of the part; further extension data goes to the full parser.
    fn dsp_ext(&mut self) -> Option<()> {
        if self.at(b')') {
            return Some(());
        }
        self.sp()?;
        // `"(" string SP body-fld-param ")" / nil`; a bare string is a quirk.
        if self.at(b'(') {
            let list = self.open()?;
            self.string()?;
            self.sp()?;
            self.params()?;
            self.close(list)?;
        } else {
            self.nil()?;
        }
        if self.at(b')') {
            return Some(());
        }
        self.sp()?;
        // `nstring / "(" string *(SP string) ")"` (the full parser also
        // takes `()`, as no language).
        if self.at(b'(') {
            self.list(true, |r| r.string().map(drop))?;
        } else {
            self.nstring()?;
        }
        if self.at(b')') {
            return Some(());
        }
        self.sp()?;
        self.nstring()
    }

    /// `body` (RFC 3501 §9): a multipart's parts (touching), subtype and
    /// extension data; a single part's fields. Marks the list with its
    /// kind of part.
    fn body(&mut self) -> Option<()> {
        let list = self.open()?;
        let part = if self.at(b'(') {
            // Parts touch (spaces between them are a quirk).
            while self.at(b'(') {
                self.body()?;
            }
            self.sp()?;
            self.string()?;
            if self.lex.eat(b' ') {
                self.params()?;
                self.dsp_ext()?;
            }
            Part::Multi
        } else {
            let media = self.string()?;
            self.sp()?;
            let subtype = self.string()?;
            self.sp()?;
            self.params()?;
            // id, description, encoding, size.
            self.sp()?;
            self.nstring()?;
            self.sp()?;
            self.nstring()?;
            self.sp()?;
            self.string()?;
            self.sp()?;
            self.number32()?;
            let line = self.lex.line();
            let media = &line[media.0..media.1];
            let subtype = &line[subtype.0..subtype.1];
            let mut part = super::fetch::part_kind(media, subtype);
            match part {
                Part::Text => {
                    self.sp()?;
                    self.number32()?;
                }
                Part::Message if self.lex.rest().starts_with(b" (") => {
                    self.sp()?;
                    self.envelope()?;
                    self.sp()?;
                    if !self.at(b'(') {
                        return None;
                    }
                    self.body()?;
                    self.sp()?;
                    self.number32()?;
                }
                Part::Message => {
                    // message/global without an envelope is a basic part
                    // (RFC 3501 has no message/global); message/rfc822
                    // without one is a quirk.
                    if !subtype.eq_ignore_ascii_case(b"GLOBAL") {
                        return None;
                    }
                    part = Part::Basic;
                }
                Part::Basic | Part::Multi => {}
            }
            // `[SP body-fld-md5 [SP body-fld-dsp ...]]`.
            if self.lex.eat(b' ') {
                self.nstring()?;
                self.dsp_ext()?;
            }
            part
        };
        self.close(list)?;
        self.tape.set_kind(list, Kind::Body(part));
        Some(())
    }
}
