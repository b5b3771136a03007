//! The grammar layer's shared reading primitives: a [`Cursor`] over one
//! complete frame that reads the IMAP lexical items (atoms, numbers, quoted
//! strings, literals, NIL, parenthesized lists) and records the quirks it
//! tolerated, so a strict mode can refuse them.
//!
//! The command and response parsers are built on it. Literal data is sliced
//! out of the frame's `Bytes` (zero copy); NUL is refused in quoted strings
//! and plain literals and allowed in literal8 (`~{n}`, RFC 3516).

pub(crate) mod values;

use bytes::Bytes;

use crate::codec::Frame;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::limits::Limits;
use crate::types::{AString, IString, NString, is_atom_char, is_tag_char};

pub use crate::quirk::Quirk;

/// Whether a `"` followed by `next` can close a quoted string: in every
/// place the grammars put a string, a space, `)`, `]` or the line's end
/// comes after it.
#[inline]
fn closes_string(next: Option<&u8>) -> bool {
    matches!(next, None | Some(b' ' | b')' | b']' | b'\r' | b'\n'))
}

/// How tolerant decoding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// Accept the quirks real peers send (recorded, not refused).
    #[default]
    Lenient,
    /// Refuse every deviation from the ABNF.
    Strict,
}

/// An ASCII-uppercased copy of a keyword, on the stack: what the parsers
/// match command, response, item and code names against (no allocation per
/// name). Names longer than any keyword read as a single NUL, which matches
/// none.
pub(crate) struct Upper {
    buf: [u8; Upper::CAPACITY],
    len: usize,
}

impl Upper {
    const CAPACITY: usize = 32;
}

/// `name` uppercased (see [`Upper`]).
#[inline]
pub(crate) fn upper(name: &[u8]) -> Upper {
    let mut buf = [0; Upper::CAPACITY];
    if name.len() > Upper::CAPACITY {
        return Upper { buf, len: 1 };
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_uppercase();
    }
    Upper {
        buf,
        len: name.len(),
    }
}

impl std::ops::Deref for Upper {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// [`QUOTED_CLASS`]: a `QUOTED-CHAR` other than the two specials.
const PLAIN: u8 = 0;
/// [`QUOTED_CLASS`]: `"` or `\`.
const SPECIAL: u8 = 1;
/// [`QUOTED_CLASS`]: NUL, CR or LF, never allowed in a quoted string.
const FORBIDDEN: u8 = 2;
/// [`QUOTED_CLASS`]: an 8-bit octet (UTF-8, or a server's raw charset).
const EIGHT_BIT: u8 = 3;

/// An octet class table: 8-bit octets are [`EIGHT_BIT`], the octets listed
/// have their class, every other octet is [`PLAIN`].
const fn class_table(classes: &[(u8, u8)]) -> [u8; 256] {
    let mut table = [PLAIN; 256];
    let mut i = 0x80;
    while i < 256 {
        table[i] = EIGHT_BIT;
        i += 1;
    }
    let mut k = 0;
    while k < classes.len() {
        table[classes[k].0 as usize] = classes[k].1;
        k += 1;
    }
    table
}

/// The class of each octet inside a quoted string (RFC 3501 §9 `quoted`,
/// RFC 9051 §9 `QUOTED-CHAR` with UTF-8).
const QUOTED_CLASS: [u8; 256] = class_table(&[
    (b'"', SPECIAL),
    (b'\\', SPECIAL),
    (0, FORBIDDEN),
    (b'\r', FORBIDDEN),
    (b'\n', FORBIDDEN),
]);

/// The class of each octet in text (`resp-text`): CR and LF end it
/// ([`SPECIAL`]), NUL is refused ([`FORBIDDEN`]), 8-bit octets are noted.
const TEXT_CLASS: [u8; 256] = class_table(&[(0, FORBIDDEN), (b'\r', SPECIAL), (b'\n', SPECIAL)]);

/// Reads one frame's octets.
#[derive(Debug)]
pub struct Cursor<'a> {
    bytes: &'a Bytes,
    offset: u64,
    pos: usize,
    depth: usize,
    limits: &'a Limits,
    strictness: Strictness,
    quirks: Vec<Quirk>,
    /// Where the first 8-bit octet of a quoted string read so far is.
    eight_bit_quoted: Option<usize>,
    /// The same, in the first quoted string that is not UTF-8.
    non_utf8_quoted: Option<usize>,
}

/// Result of the reading primitives.
pub type PResult<T> = Result<T, ParseError>;

/// A parse failure on its way out of the grammar: a [`DecodeError`] behind a
/// pointer, so that every primitive's `Result` stays a few words wide on the
/// success path (errors are rare; results are returned millions of times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(Box<DecodeError>);

impl ParseError {
    /// The error.
    pub fn get(&self) -> &DecodeError {
        &self.0
    }
}

impl From<DecodeError> for ParseError {
    #[cold]
    fn from(error: DecodeError) -> Self {
        Self(Box::new(error))
    }
}

impl From<ParseError> for DecodeError {
    fn from(error: ParseError) -> Self {
        *error.0
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ParseError {}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `frame`.
    pub fn new(frame: &'a Frame, limits: &'a Limits, strictness: Strictness) -> Self {
        Self::over(frame.bytes(), frame.offset(), limits, strictness)
    }

    /// A cursor over raw message octets that start at stream offset `offset`.
    pub fn over(bytes: &'a Bytes, offset: u64, limits: &'a Limits, strictness: Strictness) -> Self {
        Self {
            bytes,
            offset,
            pos: 0,
            depth: 0,
            limits,
            strictness,
            quirks: Vec::new(),
            eight_bit_quoted: None,
            non_utf8_quoted: None,
        }
    }

    /// A lenient cursor at the same position, with no quirks recorded: for
    /// a tentative parse whose outcome decides how to read on.
    pub fn fork_lenient(&self) -> Cursor<'a> {
        Cursor {
            bytes: self.bytes,
            offset: self.offset,
            pos: self.pos,
            depth: self.depth,
            limits: self.limits,
            strictness: Strictness::Lenient,
            quirks: Vec::new(),
            eight_bit_quoted: None,
            non_utf8_quoted: None,
        }
    }

    /// Where the first 8-bit octet inside a quoted string read so far is
    /// (a position in the frame): in any quoted string, or with `utf8` in
    /// the first whose content is not UTF-8. RFC 3501 §9 makes
    /// `QUOTED-CHAR` 7-bit; RFC 6855 §3 lets quoted strings carry UTF-8 once
    /// UTF8=ACCEPT is enabled.
    pub fn eight_bit_quoted(&self, utf8: bool) -> Option<usize> {
        if utf8 {
            self.non_utf8_quoted
        } else {
            self.eight_bit_quoted
        }
    }

    /// Notes a quoted string with 8-bit content, whose octets as sent are
    /// `raw_start..raw_end` of the frame.
    #[cold]
    fn note_eight_bit(&mut self, raw_start: usize, raw_end: usize, utf8: bool) {
        let raw = &self.bytes[raw_start..raw_end];
        let at = raw_start + raw.iter().position(|b| !b.is_ascii()).unwrap_or(0);
        self.eight_bit_quoted.get_or_insert(at);
        if !utf8 {
            self.non_utf8_quoted.get_or_insert(at);
        }
    }

    /// The quirks tolerated so far.
    pub fn quirks(&self) -> &[Quirk] {
        &self.quirks
    }

    /// Position within the frame.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        self.limits
    }

    /// The octets not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    /// The next octet.
    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The octet before the next (the last one read).
    pub fn previous(&self) -> Option<u8> {
        self.bytes.get(self.pos.checked_sub(1)?).copied()
    }

    /// The octet after the next.
    pub fn peek2(&self) -> Option<u8> {
        self.bytes.get(self.pos + 1).copied()
    }

    /// A syntax error at the current position.
    #[cold]
    #[inline(never)]
    pub fn error(&self, expected: &'static str) -> ParseError {
        let end = (self.pos + 48).min(self.bytes.len());
        ParseError::from(DecodeError::new(
            self.offset + self.pos as u64,
            DecodeErrorKind::Syntax,
            expected,
            &self.bytes[self.pos..end],
        ))
    }

    /// Records a tolerated quirk, or fails in strict mode.
    pub fn quirk(&mut self, quirk: Quirk, expected: &'static str) -> PResult<()> {
        if self.strictness == Strictness::Strict {
            return Err(self.error(expected));
        }
        if !self.quirks.contains(&quirk) {
            self.quirks.push(quirk);
        }
        Ok(())
    }

    /// Skips `n` octets (at most to the end).
    pub fn advance(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.bytes.len());
    }

    /// Consumes `b` if it is next.
    pub fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `b` or fails.
    pub fn expect(&mut self, b: u8, expected: &'static str) -> PResult<()> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// Consumes `word` (uppercase ASCII; matched case-insensitively) if it
    /// is next and is not followed by another atom character.
    #[inline]
    pub fn eat_keyword(&mut self, word: &[u8]) -> bool {
        let rest = self.rest();
        // Most calls are a NIL test in front of a string: fail on the first
        // octet without a call.
        if rest.first().map(u8::to_ascii_uppercase) != word.first().copied() {
            return false;
        }
        if rest.len() >= word.len()
            && rest[..word.len()].eq_ignore_ascii_case(word)
            && !rest
                .get(word.len())
                .is_some_and(|&b| is_atom_char(b) && b != b']')
        {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// Consumes `word` (case-insensitive) or fails.
    pub fn expect_keyword(&mut self, word: &'static [u8], expected: &'static str) -> PResult<()> {
        if self.eat_keyword(word) {
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// One space; runs of spaces are a quirk.
    #[inline]
    pub fn sp(&mut self) -> PResult<()> {
        self.expect(b' ', "a space")?;
        if self.peek() == Some(b' ') {
            self.quirk(Quirk::ExtraSpace, "a single space")?;
            while self.eat(b' ') {}
        }
        Ok(())
    }

    /// Skips spaces that precede a closing `)`, the `]` of a response code,
    /// or the line end (a quirk).
    pub fn trailing_space(&mut self) -> PResult<()> {
        let start = self.pos;
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        if self.pos != start {
            // Inside a list `]` may start an item (an astring); outside,
            // it closes a response code.
            let closes_code = self.peek() == Some(b']') && self.depth == 0;
            if matches!(self.peek(), Some(b')' | b'\r' | b'\n') | None) || closes_code {
                return self.quirk(Quirk::ExtraSpace, "no trailing space");
            }
            self.pos = start;
        }
        Ok(())
    }

    /// The line end: CRLF (LF alone is a quirk), and the end of the frame.
    pub fn finish(&mut self) -> PResult<()> {
        self.trailing_space()?;
        if self.eat(b'\r') {
            self.expect(b'\n', "LF after CR")?;
        } else if self.eat(b'\n') {
            self.quirk(Quirk::BareLf, "CRLF")?;
        } else {
            return Err(self.error("the end of the line"));
        }
        if self.pos != self.bytes.len() {
            return Err(self.error("nothing after the line end"));
        }
        Ok(())
    }

    /// Whether the line ends here (after optional trailing spaces).
    pub fn at_line_end(&self) -> bool {
        let mut i = self.pos;
        while self.bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        matches!(self.bytes.get(i), Some(b'\r' | b'\n') | None)
    }

    /// Takes octets while `f` holds; at least one.
    pub fn take_while1(
        &mut self,
        f: impl Fn(u8) -> bool,
        expected: &'static str,
    ) -> PResult<Bytes> {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error(expected));
        }
        Ok(self.bytes.slice(start..self.pos))
    }

    /// Like [`Cursor::take_while1`], borrowing the octets (for tokens that
    /// are matched against keywords before anything is kept).
    pub fn take_while1_slice(
        &mut self,
        f: impl Fn(u8) -> bool,
        expected: &'static str,
    ) -> PResult<&'a [u8]> {
        let start = self.pos;
        let bytes: &'a Bytes = self.bytes;
        let n = bytes[start..].iter().take_while(|&&b| f(b)).count();
        if n == 0 {
            return Err(self.error(expected));
        }
        self.pos += n;
        Ok(&bytes[start..start + n])
    }

    /// `sub` (a slice of this frame's octets, as returned by
    /// [`Cursor::take_while1_slice`] or [`Cursor::rest`]) as shared `Bytes`.
    pub fn share(&self, sub: &[u8]) -> Bytes {
        self.bytes.slice_ref(sub)
    }

    /// An atom (`1*ATOM-CHAR`).
    pub fn atom(&mut self) -> PResult<Bytes> {
        self.take_while1(is_atom_char, "an atom")
    }

    /// A tag.
    pub fn tag(&mut self) -> PResult<Bytes> {
        self.take_while1(is_tag_char, "a tag")
    }

    /// `number` (RFC 3501: 32 bits unsigned).
    pub fn number(&mut self) -> PResult<u32> {
        let n = self.number64()?;
        u32::try_from(n).map_err(|_| self.error("a number below 2^32"))
    }

    /// `nz-number`.
    pub fn nz_number(&mut self) -> PResult<u32> {
        let start = self.pos;
        let n = self.number()?;
        if n == 0 {
            self.pos = start;
            return Err(self.error("a non-zero number"));
        }
        Ok(n)
    }

    /// `number64` (RFC 9051): 63 bits unsigned.
    pub fn number64(&mut self) -> PResult<u64> {
        let start = self.pos;
        let rest = self.rest();
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return Err(self.error("a number"));
        }
        // 18 digits always fit in 63 bits; longer numbers are checked.
        let n = if digits <= 18 {
            Some(
                rest[..digits]
                    .iter()
                    .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0')),
            )
        } else {
            rest[..digits]
                .iter()
                .try_fold(0u64, |acc, &d| {
                    acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                })
                .filter(|n| *n <= i64::MAX as u64)
        };
        match n {
            Some(n) => {
                self.pos = start + digits;
                Ok(n)
            }
            None => Err(self.error("a number below 2^63")),
        }
    }

    /// A quoted string: `"` *(QUOTED-CHAR / `\"` / `\\`) `"`. CR, LF and NUL
    /// are refused; 8-bit octets are kept (a quirk without UTF8=ACCEPT is
    /// for the caller to judge).
    pub fn quoted(&mut self) -> PResult<Bytes> {
        Ok(self.quoted_8bit()?.0)
    }

    /// A quoted string without escapes, borrowed from the frame, and
    /// whether it has 8-bit octets; `None` (nothing consumed) when it has a
    /// backslash escape, so its content is not a slice of the frame.
    #[inline]
    pub fn quoted_in_place(&mut self) -> PResult<Option<(&'a [u8], bool)>> {
        self.expect(b'"', "a quoted string")?;
        let start = self.pos;
        let bytes: &'a Bytes = self.bytes;
        let rest = &bytes[start..];
        // One pass over the octets, one table lookup each: strings are
        // short (addresses, parameters), so this beats a vector search and
        // checks for NUL, CR and LF in the same pass.
        let mut eight_bit = false;
        for (i, &b) in rest.iter().enumerate() {
            match QUOTED_CLASS[usize::from(b)] {
                PLAIN => {}
                EIGHT_BIT => eight_bit = true,
                // A quote that closes no string (see `closes_string`)
                // is read by the slow path below.
                SPECIAL if b == b'"' && !closes_string(rest.get(i + 1)) => break,
                SPECIAL if b == b'"' => {
                    self.pos = start + i + 1;
                    let content = &rest[..i];
                    if eight_bit {
                        self.note_eight_bit(start, start + i, std::str::from_utf8(content).is_ok());
                    }
                    return Ok(Some((content, eight_bit)));
                }
                // A backslash: the content is not a slice of the frame.
                SPECIAL => break,
                _ => {
                    self.pos = start + i;
                    return Err(self.error("a quoted character (no NUL, CR or LF)"));
                }
            }
        }
        self.pos = start - 1;
        Ok(None)
    }

    /// [`Cursor::quoted`], and whether the content has 8-bit octets.
    #[inline]
    pub fn quoted_8bit(&mut self) -> PResult<(Bytes, bool)> {
        let open = self.pos;
        if let Some((content, eight_bit)) = self.quoted_in_place()? {
            let start = open + 1;
            return Ok((self.bytes.slice(start..start + content.len()), eight_bit));
        }
        self.expect(b'"', "a quoted string")?;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                Some(b'"') if !closes_string(self.bytes.get(self.pos + 1)) => {
                    // A quote the server did not escape, inside: the header
                    // text of qq.com's and NetEase's envelopes and body
                    // fields (jakartaee/mail-api#669, go-imap#659), Gmail's
                    // (a MailKit test). What follows a string is always a
                    // space, `)`, `]` or the line's end.
                    self.quirk(Quirk::UnescapedQuote, "an escaped quote (\\\")")?;
                    out.push(b'"');
                    self.pos += 1;
                }
                Some(b'"') => {
                    self.pos += 1;
                    let eight_bit = !out.is_ascii();
                    if eight_bit {
                        let utf8 = std::str::from_utf8(&out).is_ok();
                        self.note_eight_bit(open + 1, self.pos - 1, utf8);
                    }
                    return Ok((Bytes::from(out), eight_bit));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => {
                            out.push(c);
                            self.pos += 1;
                        }
                        _ => return Err(self.error("\\\" or \\\\ after a backslash")),
                    }
                }
                Some(0 | b'\r' | b'\n') | None => {
                    return Err(self.error("a quoted character (no NUL, CR or LF)"));
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// Whether a literal starts here (`{`, or `~{` for literal8).
    pub fn at_literal(&self) -> bool {
        self.peek() == Some(b'{') || (self.peek() == Some(b'~') && self.peek2() == Some(b'{'))
    }

    /// A literal: `{n}` / `{n+}` / `~{n}` CRLF and n octets, sliced from the
    /// frame. Returns the data and whether it was literal8.
    pub fn literal(&mut self) -> PResult<(Bytes, bool)> {
        let binary = self.eat(b'~');
        self.expect(b'{', "a literal")?;
        let len = self.number64()?;
        let _non_sync = self.eat(b'+') || self.eat(b'-');
        self.expect(b'}', "} closing the literal length")?;
        if !self.eat(b'\r') {
            self.quirk(Quirk::BareLf, "CRLF after a literal length")?;
        }
        self.expect(b'\n', "LF after the literal length")?;
        let len = usize::try_from(len).map_err(|_| self.error("a literal that fits in memory"))?;
        if self.bytes.len() - self.pos < len {
            return Err(self.error("the literal's data (the frame ends first)"));
        }
        let data = self.bytes.slice(self.pos..self.pos + len);
        if !binary && memchr::memchr(0, &data).is_some() {
            return Err(self.error("no NUL in a literal (only in literal8)"));
        }
        self.pos += len;
        Ok((data, binary))
    }

    /// A literal where a `string` is expected: `{n}`, or a literal8
    /// without NUL (a quirk, [`Quirk::Literal8AsString`]). A string never holds
    /// NUL (RFC 3516 §4.2: only literal8 data may).
    pub fn string_literal(&mut self) -> PResult<Bytes> {
        let (data, binary) = self.literal()?;
        if binary {
            if memchr::memchr(0, &data).is_some() {
                return Err(self.error("a string without NUL (literal8 is for BINARY data)"));
            }
            self.quirk(Quirk::Literal8AsString, "a literal, not a literal8")?;
        }
        Ok(data)
    }

    /// `string` (quoted or literal). 8-bit octets in a quoted string are
    /// only noted (see [`Cursor::eight_bit_quoted`]).
    pub fn string(&mut self) -> PResult<IString> {
        values::string_with(self, values::EightBit::Defer)
    }

    /// `astring` (atom with `]` allowed, or string).
    pub fn astring(&mut self) -> PResult<AString> {
        values::astring_with(self, values::EightBit::Defer)
    }

    /// `nstring` (`NIL` or string).
    pub fn nstring(&mut self) -> PResult<NString> {
        values::nstring_with(self, values::EightBit::Defer)
    }

    /// A string where some servers send `NIL` (a quirk): `NIL` reads as empty.
    pub fn string_or_nil(&mut self) -> PResult<IString> {
        values::string_or_nil_with(self, values::EightBit::Defer)
    }

    /// Text to the end of the line (not consumed: the line end), in one pass
    /// that also refuses NUL and says whether there are 8-bit octets.
    pub fn text_checked(&mut self) -> PResult<(Bytes, bool)> {
        let start = self.pos;
        let rest = self.rest();
        let mut eight_bit = false;
        let mut nul = false;
        let mut end = rest.len();
        for (i, &b) in rest.iter().enumerate() {
            match TEXT_CLASS[usize::from(b)] {
                PLAIN => {}
                EIGHT_BIT => eight_bit = true,
                FORBIDDEN if b == 0 => nul = true,
                _ => {
                    end = i;
                    break;
                }
            }
        }
        self.pos = start + end;
        if nul {
            return Err(self.error("text without NUL"));
        }
        Ok((self.bytes.slice(start..start + end), eight_bit))
    }

    /// Text to the end of the line (not consumed: the line end).
    pub fn text(&mut self) -> Bytes {
        let rest = self.rest();
        let end = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
        let start = self.pos;
        self.pos += end;
        self.bytes.slice(start..self.pos)
    }

    /// A parenthesized list: `(` items separated by spaces `)`; `item` reads
    /// one element. Nesting depth and item count are limited.
    pub fn list<T>(&mut self, item: impl FnMut(&mut Self) -> PResult<T>) -> PResult<Vec<T>> {
        self.list_sized(0, item)
    }

    /// [`Cursor::list`] with room for `expected` items made up front (one
    /// allocation instead of a few growths for lists known to be long).
    pub fn list_sized<T>(
        &mut self,
        expected: usize,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.expect(b'(', "(")?;
        self.enter()?;
        let mut items = Vec::with_capacity(expected);
        if self.peek() == Some(b' ') {
            self.quirk(Quirk::ExtraSpace, "no space after (")?;
            while self.eat(b' ') {}
        }
        if !self.eat(b')') {
            loop {
                if items.len() >= self.limits.max_items {
                    return Err(self.error("fewer list items"));
                }
                items.push(item(self)?);
                self.trailing_space()?;
                if self.eat(b')') {
                    break;
                }
                self.sp()?;
            }
        }
        self.leave();
        Ok(items)
    }

    /// Enters a nested structure (lists, body structures).
    pub fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(self.error("less deeply nested parentheses"));
        }
        Ok(())
    }

    /// Leaves a nested structure.
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

/// Test helper: reads all of `s` with `f`, strictly.
#[cfg(test)]
pub(crate) fn read_all<T>(s: &str, f: impl FnOnce(&mut Cursor<'_>) -> PResult<T>) -> PResult<T> {
    let b = Bytes::copy_from_slice(s.as_bytes());
    let l = Limits::default();
    let mut c = Cursor::over(&b, 0, &l, Strictness::Strict);
    let r = f(&mut c)?;
    if !c.rest().is_empty() {
        return Err(c.error("the end of the input"));
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<T>(
        input: &str,
        f: impl FnOnce(&mut Cursor<'_>) -> PResult<T>,
    ) -> (PResult<T>, Vec<Quirk>) {
        let bytes = Bytes::copy_from_slice(input.as_bytes());
        let limits = Limits::default();
        let mut c = Cursor::over(&bytes, 0, &limits, Strictness::Lenient);
        let r = f(&mut c);
        (r, c.quirks().to_vec())
    }

    #[test]
    fn reads_lexical_items() {
        assert_eq!(
            with("\"a\\\"b\" ", |c| c.quoted()).0.unwrap(),
            Bytes::from_static(b"a\"b")
        );
        assert_eq!(
            with("\"plain\"", |c| c.quoted()).0.unwrap(),
            Bytes::from_static(b"plain")
        );
        assert!(with("\"a\0\"", |c| c.quoted()).0.is_err());
        assert_eq!(
            with("{3}\r\nabc", |c| c.literal()).0.unwrap(),
            (Bytes::from_static(b"abc"), false)
        );
        assert!(with("{3}\r\na\0c", |c| c.literal()).0.is_err());
        assert!(with("~{3}\r\na\0c", |c| c.literal()).0.unwrap().1);
        assert!(with("{5}\r\nabc", |c| c.literal()).0.is_err());
        assert_eq!(with("4294967295", |c| c.number()).0.unwrap(), u32::MAX);
        assert!(with("4294967296", |c| c.number()).0.is_err());
        assert!(with("99999999999999999999", |c| c.number64()).0.is_err());
        assert!(with("0", |c| c.nz_number()).0.is_err());
        assert_eq!(with("NIL", |c| c.nstring()).0.unwrap(), NString(None));
        assert_eq!(
            with("INBOX]x", |c| c.astring()).0.unwrap().as_bytes(),
            b"INBOX]x"
        );
    }

    #[test]
    fn lists_nesting_and_quirks() {
        let (r, q) = with("( a  b )", |c| c.list(|c| c.atom()));
        assert_eq!(r.unwrap().len(), 2);
        assert!(q.contains(&Quirk::ExtraSpace));
        let deep = format!("{}{}", "(".repeat(100), ")".repeat(100));
        fn nest(c: &mut Cursor<'_>) -> PResult<()> {
            c.list(nest).map(|_| ())
        }
        assert!(with(&deep, nest).0.is_err(), "depth is limited");
        let ok = format!("{}{}", "(".repeat(30), ")".repeat(30));
        assert!(with(&ok, nest).0.is_ok(), "32 levels are supported");
        let bytes = Bytes::from_static(b"( a  b )");
        let limits = Limits::default();
        let mut strict = Cursor::over(&bytes, 0, &limits, Strictness::Strict);
        assert!(strict.list(|c| c.atom()).is_err());
    }

    /// A quote closes a string when a space, `)`, `]` or the line's end
    /// follows; any other quote is content the server did not escape (a
    /// quirk, refused strictly), also where an escape makes the slow path
    /// read the string.
    #[test]
    fn unescaped_quotes_are_content_where_no_string_can_end() {
        for (input, content) in [
            ("\"a\" x", "a"),
            ("\"a\")", "a"),
            ("\"a\"]", "a"),
            ("\"a\"\r\n", "a"),
            ("\"a\"", "a"),
            ("\"\" x", ""),
        ] {
            let (r, q) = with(input, |c| c.quoted());
            assert_eq!(r.unwrap(), content.as_bytes(), "{input:?}");
            assert!(q.is_empty(), "{input:?}");
        }
        for (input, content) in [
            ("\"a\"b\" x", "a\"b"),
            ("\"\"\"\" x", "\"\""),
            ("\"a\\\\\"b\")", "a\\\"b"),
            ("\"<x.\"cv@y\"@z>\")", "<x.\"cv@y\"@z>"),
        ] {
            let (r, q) = with(input, |c| c.quoted());
            assert_eq!(r.unwrap(), content.as_bytes(), "{input:?}");
            assert_eq!(q, [Quirk::UnescapedQuote], "{input:?}");
            let bytes = Bytes::copy_from_slice(input.as_bytes());
            let limits = Limits::default();
            let mut strict = Cursor::over(&bytes, 0, &limits, Strictness::Strict);
            assert!(strict.quoted().is_err(), "{input:?}");
        }
        // A string that never closes stays an error.
        assert!(with("\"a\"b\r\n", |c| c.quoted()).0.is_err());
    }

    #[test]
    fn a_list_item_may_start_with_a_bracket() {
        let (r, q) = with("(a ]x)", |c| c.list(|c| c.astring()));
        assert_eq!(r.unwrap().len(), 2);
        assert!(q.is_empty());
        let (r, q) = with("5 ]", |c| {
            c.number()?;
            c.trailing_space()?;
            c.expect(b']', "]")
        });
        assert!(r.is_ok());
        assert_eq!(q, [Quirk::ExtraSpace]);
    }

    #[test]
    fn keywords_uppercase_on_the_stack() {
        assert_eq!(&*upper(b"x-Gm-Labels"), b"X-GM-LABELS");
        assert_eq!(&*upper(b""), b"");
        assert_eq!(&*upper(&[b'a'; 33]), b"\0", "too long to be a keyword");
    }

    #[test]
    fn keywords_and_line_end() {
        let (r, q) = with("nil x\n", |c| {
            assert!(c.eat_keyword(b"NIL"));
            c.sp()?;
            c.atom()?;
            c.finish()
        });
        assert!(r.is_ok());
        assert_eq!(q, [Quirk::BareLf]);
        assert!(!with("NILS", |c| Ok(c.eat_keyword(b"NIL"))).0.unwrap());
    }
}
