//! The views' reader: a cursor over one response line, through the CRLF
//! that ends it, that accepts only the canonical grammar and answers `None`
//! (give up, let the full parser decide) at anything else; and the tape it
//! records nested values on.
//!
//! Giving up is always safe: the owned parser then reads the line, with its
//! quirks, limits and errors. So this reader has no error paths of its own.
//! Views take 7-bit strings and text only (no NUL, CR, LF or other control
//! than TAB, no 8-bit octet):
//! text is checked as its end is searched for ([`text_end`]), strings as
//! their closing quote is ([`quoted_end`]), other octets by their class.
//! So the first LF of the line is the one after the CR the reader ends at,
//! where the framer would end the line.

use std::borrow::Cow;

use crate::types::is_atom_char;

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);

/// The high bit of the octets of `w` a scan of text or a string stops at:
/// controls and 8-bit octets. Only the lowest is exact, and it is the one
/// callers take: 8-bit octets have the bit, and subtracting 0x20 from each
/// octet sets it in a control (it wraps); an octet of 0x20 to 0x7f gets it
/// otherwise only from a borrow, and a borrow comes from a control below
/// it, an earlier stop. One test for all controls: the scans then look at
/// the octet, and step over a TAB (text may hold it, RFC 3501 §9
/// `TEXT-CHAR`), refusing NUL, CR, LF and the rest.
#[inline(always)]
fn control_stops(w: u64) -> u64 {
    (w | w.wrapping_sub(SPACES)) & HIGHS
}

/// Whether a scan stops at `c`: a control or 8-bit octet (see
/// [`control_stops`]).
#[inline]
fn is_stop(c: u8) -> bool {
    !(0x20..0x80).contains(&c)
}

/// Eight octets as a machine word.
#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(chunk);
    u64::from_le_bytes(word)
}

/// Where the text that starts at `data[at]` ends: the index of the CR of
/// the CRLF that ends the line, when the octets before it are 7-bit text
/// (RFC 3501 §9 `TEXT-CHAR`: no NUL, CR or LF; 8-bit octets and controls
/// other than TAB are left to the full parser). `None` for any other
/// octet first, a CR without its LF, or no line end in `data`.
#[inline]
pub(crate) fn text_end(data: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    loop {
        i += first_stop(data.get(i..)?, control_stops, is_stop)?;
        match data[i] {
            b'\r' if data.get(i + 1) == Some(&b'\n') => return Some(i),
            b'\t' => i += 1,
            _ => return None,
        }
    }
}

/// The high bit of each octet of `word` that is not an ASCII digit. Exact
/// for every octet: the sums stay within each octet (7-bit values plus
/// less than 0x80), so no carry crosses into the next.
#[inline(always)]
fn non_digits(word: u64) -> u64 {
    let low7 = word & !HIGHS;
    // The high bit is set when the octet is at least `0` / more than `9`.
    let from_zero = low7.wrapping_add(u64::from_ne_bytes([0x80 - b'0'; 8]));
    let past_nine = low7.wrapping_add(u64::from_ne_bytes([0x7f - b'9'; 8]));
    (!from_zero | past_nine | word) & HIGHS
}

/// The high bit of each octet of `word` that is an ASCII letter, digit,
/// `-`, `.` or `/`: the octets keywords, tags and most atoms are made of
/// (all of them `ATOM-CHAR`s and tag characters). Exact for every octet,
/// as [`non_digits`].
#[inline(always)]
fn word_chars(word: u64) -> u64 {
    // `-` (0x2d) to `9` (0x39), and letters: with bit 0x20 set, `a` (0x61)
    // to `z` (0x7a).
    let low7 = word & !HIGHS;
    let from_dash = low7.wrapping_add(u64::from_ne_bytes([0x80 - b'-'; 8]));
    let past_nine = low7.wrapping_add(u64::from_ne_bytes([0x7f - b'9'; 8]));
    let lower = low7 | u64::from_ne_bytes([0x20; 8]);
    let from_a = lower.wrapping_add(u64::from_ne_bytes([0x80 - b'a'; 8]));
    let past_z = lower.wrapping_add(u64::from_ne_bytes([0x7f - b'z'; 8]));
    ((from_dash & !past_nine) | (from_a & !past_z)) & !word & HIGHS
}

/// The value of the first `len` (1 to 8) octets of `word`, all ASCII
/// digits, the first the most significant: the digits are moved to the
/// word's top octets (what precedes them reads as leading zeros), then
/// pairs, quads and the two halves are combined.
#[inline(always)]
fn digits_value(word: u64, len: usize) -> u64 {
    let v = (word & u64::from_ne_bytes([0x0f; 8])) << (8 * (8 - len));
    let v = (v.wrapping_mul(10) + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_ffff_0000_ffff;
    (v.wrapping_mul(10_000) + (v >> 32)) & 0xffff_ffff
}

/// The ASCII digits `s` starts with as a `number64` (RFC 9051 §9: at most
/// 2^63 - 1), and how many there are; the value is `None` for no digits or
/// a larger value. Up to fifteen digits are read a word at a time when
/// sixteen octets are there (lines go on after their numbers); otherwise
/// octet by octet, in one pass: nineteen digits never wrap a u64, and more
/// are refused whatever they wrapped to.
#[inline(always)]
pub(crate) fn leading_number64(s: &[u8]) -> (Option<u64>, usize) {
    if let Some(first) = s.get(..8) {
        let first = word(first);
        let stops = non_digits(first);
        if stops != 0 {
            let len = (stops.trailing_zeros() / 8) as usize;
            return ((len > 0).then(|| digits_value(first, len)), len);
        }
        if let Some(second) = s.get(8..16) {
            let second = word(second);
            let stops = non_digits(second);
            if stops != 0 {
                // Eight digits and at most seven: they fit a number64.
                const SCALE: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
                let len = (stops.trailing_zeros() / 8) as usize;
                let high = digits_value(first, 8);
                let n = match len {
                    0 => high,
                    _ => high * SCALE[len] + digits_value(second, len),
                };
                return (Some(n), 8 + len);
            }
        }
    }
    let mut n = 0u64;
    let mut len = 0;
    for &c in s {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        n = n.wrapping_mul(10).wrapping_add(u64::from(d));
        len += 1;
    }
    let valid = matches!(len, 1..=19) && n <= i64::MAX as u64;
    (valid.then_some(n), len)
}

/// The index of the first octet of `s` that `stops` marks in its word
/// (see [`control_stops`]: only the lowest mark need be exact) and
/// `is_stop` names one by one; `None` when none comes. A word at a time:
/// text and strings are short, and machine words beat a vector search's
/// set-up.
#[inline(always)]
fn first_stop(s: &[u8], stops: impl Fn(u64) -> u64, is_stop: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = s.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let hits = stops(word(chunk));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    if chunks.remainder().is_empty() {
        return None;
    }
    if s.len() < 8 {
        return s.iter().position(|&c| is_stop(c));
    }
    // The last octets: the word that ends where `s` ends. Its first
    // octets were searched already and hold no stop, so the lowest hit is
    // a new one, and exact.
    let hits = stops(word(&s[s.len() - 8..]));
    if hits == 0 {
        return None;
    }
    Some(s.len() - 8 + (hits.trailing_zeros() / 8) as usize)
}

/// The index of the first `"`, `\`, control or 8-bit octet in `s`; `None`
/// when none comes. The checks of [`text_end`] come almost free in the
/// same pass.
#[inline(always)]
fn string_stop(s: &[u8]) -> Option<usize> {
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    // As `control_stops`, and subtracting one from each octet of `w ^ X`
    // sets the high bit where `w` holds `X` (0 - 1 = 0xff). The lowest hit
    // is exact: the octet there says which kind of stop it is.
    let stops = |w: u64| {
        control_stops(w)
            | ((w ^ QUOTES).wrapping_sub(ONES) | (w ^ BACKSLASHES).wrapping_sub(ONES)) & HIGHS
    };
    first_stop(s, stops, |c| c == b'"' || c == b'\\' || is_stop(c))
}

/// The end of the quoted string whose content starts at `line[start]`
/// (after its `"`): the index of the closing `"`, and whether the content
/// has escapes. `None` for an escape other than `\"` and `\\` (RFC 3501
/// §9 `quoted-specials`), a control other than TAB or an 8-bit octet, or
/// no closing quote.
#[inline(always)]
pub(crate) fn quoted_end(line: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    let mut i = start;
    loop {
        i += string_stop(line.get(i..)?)?;
        match line[i] {
            b'"' => return Some((i, escaped)),
            b'\\' if matches!(line.get(i + 1), Some(b'"' | b'\\')) => {
                escaped = true;
                i += 2;
            }
            b'\t' => i += 1,
            _ => return None,
        }
    }
}

/// Whether `s` is the keyword `upper` in any case. Servers write keywords
/// in upper case (and media types in lower or upper case), which compare as whole
/// words of a fixed size, without a call; mixed case takes the slow path.
#[inline(always)]
pub(crate) fn is_word<const N: usize>(s: &[u8], lower: &[u8; N], upper: &[u8; N]) -> bool {
    match <&[u8; N]>::try_from(s) {
        Ok(s) => s == upper || s == lower || s.eq_ignore_ascii_case(upper),
        Err(_) => false,
    }
}

/// A string as received: the content between the quotes, with its escapes
/// (`\"`, `\\`) still in place when [`Str::is_escaped`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Str<'a> {
    raw: &'a [u8],
    escaped: bool,
}

impl<'a> Str<'a> {
    pub(crate) fn new(raw: &'a [u8], escaped: bool) -> Self {
        Self { raw, escaped }
    }

    /// The content: borrowed from the line, or unescaped into a new buffer
    /// when the string had escapes.
    #[inline]
    pub fn bytes(&self) -> Cow<'a, [u8]> {
        if !self.escaped {
            return Cow::Borrowed(self.raw);
        }
        let mut out = Vec::with_capacity(self.raw.len());
        let mut escape = false;
        for &b in self.raw {
            if escape || b != b'\\' {
                out.push(b);
                escape = false;
            } else {
                escape = true;
            }
        }
        Cow::Owned(out)
    }

    /// The content as text (views only hold 7-bit strings).
    pub fn to_str(&self) -> Cow<'a, str> {
        match self.bytes() {
            Cow::Borrowed(b) => String::from_utf8_lossy(b),
            Cow::Owned(b) => Cow::Owned(String::from_utf8_lossy(&b).into_owned()),
        }
    }

    /// The octets as they were on the wire, escapes included.
    #[inline]
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Whether the wire form held `\"` or `\\` escapes.
    #[inline]
    pub fn is_escaped(&self) -> bool {
        self.escaped
    }

    /// Whether the content equals `other`, ignoring ASCII case.
    #[inline]
    pub fn eq_ignore_ascii_case(&self, other: &[u8]) -> bool {
        if self.escaped {
            self.bytes().eq_ignore_ascii_case(other)
        } else {
            self.raw.eq_ignore_ascii_case(other)
        }
    }

    /// The content as an owned string value.
    pub(crate) fn to_istring(self) -> crate::types::IString {
        crate::types::IString::from_checked(match self.bytes() {
            Cow::Borrowed(b) => bytes::Bytes::copy_from_slice(b),
            Cow::Owned(v) => bytes::Bytes::from(v),
        })
    }
}

impl std::fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_str())
    }
}

/// `NIL` (`None`) or a string.
pub type NStr<'a> = Option<Str<'a>>;

/// The owned form of an [`NStr`].
pub(crate) fn to_nstring(s: NStr<'_>) -> crate::types::NString {
    crate::types::NString(s.map(Str::to_istring))
}

/// Reads a line of the canonical grammar; `None` means "not canonical".
#[derive(Clone, Copy)]
pub(crate) struct Lex<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Lex<'a> {
    /// A reader over the octets from a line's start: the line, its CRLF,
    /// and possibly what follows (the readers stop at the CRLF).
    pub(crate) fn new(line: &'a [u8]) -> Self {
        Self { b: line, pos: 0 }
    }

    /// The octets read from (see [`Lex::new`]).
    #[inline]
    pub(crate) fn line(&self) -> &'a [u8] {
        self.b
    }

    /// The position.
    #[inline]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// The octets not read yet.
    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.b[self.pos.min(self.b.len())..]
    }

    /// The CRLF that ends the line: returns the line's length (without
    /// it) and steps over it.
    #[inline]
    pub(crate) fn crlf(&mut self) -> Option<usize> {
        let end = self.pos;
        if self.b.get(end..end + 2)? != b"\r\n" {
            return None;
        }
        self.pos += 2;
        Some(end)
    }

    /// Steps over `n` octets already looked at.
    #[inline]
    pub(crate) fn advance(&mut self, n: usize) {
        self.pos += n;
    }

    /// Consumes `c` if it is next.
    #[inline]
    pub(crate) fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `c` or gives up.
    #[inline]
    pub(crate) fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    /// One space.
    #[inline]
    pub(crate) fn sp(&mut self) -> Option<()> {
        self.expect(b' ')
    }

    /// Octets while `f` holds (possibly none). `f` must hold for every
    /// letter, digit, `-`, `.` and `/`: those are stepped over a word at a
    /// time (see [`word_chars`]), the rest octet by octet.
    #[inline(always)]
    pub(crate) fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let mut n = 0;
        while let Some(chunk) = rest.get(n..n + 8) {
            let others = !word_chars(word(chunk)) & HIGHS;
            if others != 0 {
                n += (others.trailing_zeros() / 8) as usize;
                break;
            }
            n += 8;
        }
        n += rest[n..].iter().take_while(|&&b| f(b)).count();
        self.pos += n;
        &rest[..n]
    }

    /// `1*ATOM-CHAR`.
    #[inline]
    pub(crate) fn atom(&mut self) -> Option<&'a [u8]> {
        let a = self.take_while(is_atom_char);
        (!a.is_empty()).then_some(a)
    }

    /// The keyword `word` as servers write it (upper case), a space after
    /// it: steps over the keyword (not the space), without scanning for its
    /// end. The common keywords take this before the general reading.
    #[inline]
    pub(crate) fn eat_written(&mut self, word: &[u8]) -> bool {
        let rest = self.rest();
        let written = rest.len() > word.len() && rest.starts_with(word) && rest[word.len()] == b' ';
        if written {
            self.pos += word.len();
        }
        written
    }

    /// The keyword `word` (uppercase), in any case, not followed by an
    /// atom character.
    #[inline]
    pub(crate) fn eat_keyword(&mut self, word: &[u8]) -> bool {
        let rest = self.rest();
        if rest.len() >= word.len()
            && rest[..word.len()].eq_ignore_ascii_case(word)
            && !rest.get(word.len()).is_some_and(|&b| is_atom_char(b))
        {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// `number64` (RFC 9051 §9: at most 2^63 - 1).
    #[inline]
    pub(crate) fn number64(&mut self) -> Option<u64> {
        let (n, len) = leading_number64(self.rest());
        self.pos += len;
        n
    }

    /// `number` (32 bits).
    #[inline(always)]
    pub(crate) fn number(&mut self) -> Option<u32> {
        u32::try_from(self.number64()?).ok()
    }

    /// A quoted string: where its content starts and ends, and whether it
    /// has escapes.
    #[inline(always)]
    pub(crate) fn quoted_span(&mut self) -> Option<(usize, usize, bool)> {
        self.expect(b'"')?;
        let start = self.pos;
        let (end, escaped) = quoted_end(self.b, start)?;
        self.pos = end + 1;
        Some((start, end, escaped))
    }
}

/// What a [`Tok`] on the tape is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `NIL`.
    Nil,
    /// A number (its digits).
    Number,
    /// An atom (a flag).
    Atom,
    /// A FETCH item name, known to the views.
    Item(Item),
    /// A quoted string without escapes (its content).
    Str,
    /// A quoted string with escapes (its content, escapes included).
    StrEscaped,
    /// A parenthesized list; its items follow on the tape, up to the
    /// token index in [`Tok::end`].
    List,
    /// A body structure: a list, and what kind of part it is.
    Body(Part),
}

impl Kind {
    /// Whether the token opens a list (its items follow it).
    #[inline]
    pub(crate) fn is_list(self) -> bool {
        matches!(self, Kind::List | Kind::Body(_))
    }
}

/// The FETCH items views read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Uid,
    Flags,
    InternalDate,
    Rfc822Size,
    Envelope,
    Body,
    BodyStructure,
    ModSeq,
    GmMsgId,
    GmThrId,
}

/// What kind of body part a [`Kind::Body`] list is (RFC 3501 §9 `body`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// `body-type-mpart`.
    Multi,
    /// `body-type-text`: the basic fields, then the size in lines.
    Text,
    /// `body-type-msg`: the basic fields, then envelope, body and lines.
    Message,
    /// `body-type-basic`: the basic fields.
    Basic,
}

/// One value on the tape: a kind and a span of the line, or for a list the
/// index just past its last item.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub(crate) kind: Kind,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// Records nested values while a line is read: lists, and the strings,
/// numbers and NILs in them, as spans of the line. Reused from line to
/// line, so reading allocates nothing once it has grown.
#[derive(Debug, Default)]
pub(crate) struct Tape {
    pub(crate) toks: Vec<Tok>,
}

impl Tape {
    /// Empties the tape for the next line.
    pub(crate) fn clear(&mut self) {
        self.toks.clear();
    }

    /// Records a value spanning `start..end` of the line.
    #[inline(always)]
    pub(crate) fn push(&mut self, kind: Kind, start: usize, end: usize) {
        // `read` takes no line of 4 GiB or more.
        self.toks.push(Tok {
            kind,
            start: start as u32,
            end: end as u32,
        });
    }

    /// Opens a list; returns its index, for [`Tape::close`].
    #[inline]
    pub(crate) fn open(&mut self, at: usize) -> usize {
        self.push(Kind::List, at, 0);
        self.toks.len() - 1
    }

    /// Sets the kind of the token at `index` (a body list, once its kind
    /// is known).
    #[inline]
    pub(crate) fn set_kind(&mut self, index: usize, kind: Kind) {
        if let Some(t) = self.toks.get_mut(index) {
            t.kind = kind;
        }
    }

    /// Closes the list opened at `index`.
    #[inline]
    pub(crate) fn close(&mut self, index: usize) {
        let end = self.toks.len() as u32;
        if let Some(t) = self.toks.get_mut(index) {
            t.end = end;
        }
    }
}

/// A value on the tape, with the line it spans.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    pub(crate) line: &'a [u8],
    pub(crate) toks: &'a [Tok],
    pub(crate) index: usize,
}

impl<'a> Node<'a> {
    #[inline]
    fn tok(&self) -> Tok {
        self.toks.get(self.index).copied().unwrap_or(Tok {
            kind: Kind::Nil,
            start: 0,
            end: 0,
        })
    }

    #[inline]
    pub(crate) fn kind(&self) -> Kind {
        self.tok().kind
    }

    /// The octets the value spans (a list: from its `(`).
    #[inline]
    pub(crate) fn span(&self) -> &'a [u8] {
        let t = self.tok();
        self.line
            .get(t.start as usize..t.end as usize)
            .unwrap_or_default()
    }

    /// The string, or `None` for NIL (or anything but a string).
    #[inline]
    pub(crate) fn nstr(&self) -> NStr<'a> {
        match self.kind() {
            Kind::Str => Some(Str::new(self.span(), false)),
            Kind::StrEscaped => Some(Str::new(self.span(), true)),
            _ => None,
        }
    }

    /// The string (empty for anything else; the reader recorded a string).
    #[inline]
    pub(crate) fn str(&self) -> Str<'a> {
        self.nstr().unwrap_or(Str::new(b"", false))
    }

    /// The number (0 for anything else).
    #[inline]
    pub(crate) fn number(&self) -> u64 {
        self.span().iter().fold(0u64, |n, &d| {
            n.wrapping_mul(10)
                .wrapping_add(u64::from(d.wrapping_sub(b'0')))
        })
    }

    /// The index just past this value (past a list's items).
    #[inline]
    pub(crate) fn next_index(&self) -> usize {
        let t = self.tok();
        if t.kind.is_list() {
            t.end as usize
        } else {
            self.index + 1
        }
    }

    /// The value at tape index `index`.
    #[inline]
    pub(crate) fn at(&self, index: usize) -> Node<'a> {
        Node {
            line: self.line,
            toks: self.toks,
            index,
        }
    }

    /// The value after this one in its list.
    #[inline]
    pub(crate) fn next(&self) -> Node<'a> {
        self.at(self.next_index())
    }

    /// The first item of a list (what follows the token).
    #[inline]
    pub(crate) fn first(&self) -> Node<'a> {
        self.at(self.index + 1)
    }

    /// The items of a list (none for anything else).
    #[inline]
    pub(crate) fn items(&self) -> Items<'a> {
        let t = self.tok();
        Items {
            line: self.line,
            toks: self.toks,
            next: self.index + 1,
            end: if t.kind.is_list() { t.end as usize } else { 0 },
        }
    }
}

/// The items of a list on the tape.
#[derive(Debug, Clone)]
pub(crate) struct Items<'a> {
    line: &'a [u8],
    toks: &'a [Tok],
    next: usize,
    end: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Node<'a>;

    #[inline]
    fn next(&mut self) -> Option<Node<'a>> {
        if self.next >= self.end {
            return None;
        }
        let node = Node {
            line: self.line,
            toks: self.toks,
            index: self.next,
        };
        self.next = node.next_index().max(self.next + 1);
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// [`quoted_end`] octet by octet.
    fn string_end(line: &[u8], start: usize) -> Option<(usize, bool)> {
        let mut escaped = false;
        let mut i = start;
        loop {
            match *line.get(i)? {
                b'"' => return Some((i, escaped)),
                b'\\' if matches!(line.get(i + 1), Some(b'"' | b'\\')) => {
                    escaped = true;
                    i += 2;
                }
                b'\\' | 0..=8 | 10..=31 | 0x80.. => return None,
                _ => i += 1,
            }
        }
    }

    /// [`text_end`] octet by octet.
    fn text_end_by_octets(data: &[u8], at: usize) -> Option<usize> {
        let stop = at + data[at..].iter().position(|&c| c != b'\t' && is_stop(c))?;
        (data.get(stop..stop + 2) == Some(b"\r\n")).then_some(stop)
    }

    /// Octets that matter to the scans, and some that differ from them by
    /// one bit (or by the borrow of the word tests).
    fn octet() -> impl Strategy<Value = u8> {
        prop_oneof![
            4 => prop::sample::select(b"aZ \"\\\r\n\t\x00\x80\xff\x01\x0b\x0c\x21\x5d\x5b\x7f".to_vec()),
            1 => any::<u8>(),
        ]
    }

    /// [`leading_number64`] octet by octet, without limits on the count.
    fn number_by_octets(s: &[u8]) -> (Option<u64>, usize) {
        let len = s.iter().take_while(|c| c.is_ascii_digit()).count();
        let value = std::str::from_utf8(&s[..len])
            .ok()
            .and_then(|d| d.parse::<u64>().ok())
            .filter(|&n| len <= 19 && n <= i64::MAX as u64);
        (value, len)
    }

    /// Digits, and the octets next to them in the class tests.
    fn digit_or_stop() -> impl Strategy<Value = u8> {
        prop_oneof![
            6 => b'0'..=b'9',
            1 => prop::sample::select(b"/: ()]\x00\x10\x7f\xb0\xb9\xff".to_vec()),
            1 => any::<u8>(),
        ]
    }

    proptest! {
        #[test]
        fn numbers_by_words_agree_with_numbers_by_octets(
            s in prop::collection::vec(digit_or_stop(), 0..28),
        ) {
            prop_assert_eq!(leading_number64(&s), number_by_octets(&s));
        }

        #[test]
        fn word_scans_agree_with_octet_scans(s in prop::collection::vec(octet(), 0..40)) {
            for start in 0..=s.len().min(9) {
                prop_assert_eq!(quoted_end(&s, start), string_end(&s, start));
            }
            for at in 0..=s.len().min(9) {
                prop_assert_eq!(text_end(&s, at), text_end_by_octets(&s, at));
            }
        }
    }

    /// Every octet value in every position of a word: `word_chars` marks
    /// exactly letters, digits, `-`, `.` and `/`, which are atom and tag
    /// characters.
    #[test]
    fn word_chars_marks_exactly_its_class() {
        for c in 0..=255u8 {
            let expected = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'/');
            assert!(!expected || (crate::types::is_atom_char(c) && crate::types::is_tag_char(c)));
            for at in 0..8 {
                let mut octets = [b'+'; 8];
                octets[at] = c;
                let marks = word_chars(u64::from_le_bytes(octets));
                assert_eq!(marks & (0x80 << (8 * at)) != 0, expected, "{c:#x} at {at}");
                assert_eq!(marks & !(0x80 << (8 * at)), 0, "{c:#x} at {at}");
            }
        }
    }

    /// Word-at-a-time stepping takes exactly the octets an octet-by-octet
    /// scan takes, at any length and stop.
    #[test]
    fn take_while_agrees_with_octets() {
        let class = |c: u8| crate::types::is_atom_char(c);
        for len in 0..20 {
            for stop in [b' ', b']', b'\r', b'(', b'%', 0x80, b'+', b'_', b'a'] {
                let mut s: Vec<u8> = (0..len).map(|i| b"AZaz09-./"[i % 9]).collect();
                s.push(stop);
                s.extend_from_slice(b"XYZ");
                let expected = s.iter().take_while(|&&c| class(c)).count();
                let mut lex = Lex::new(&s);
                assert_eq!(lex.take_while(class).len(), expected, "{s:?}");
                assert_eq!(lex.pos(), expected);
            }
        }
    }

    #[test]
    fn every_position_and_length_of_a_stop_is_found() {
        for len in 0..30 {
            for at in 0..len {
                for stop in [b'"', b'\\', 0, b'\r', b'\n', b'\t', 0x1f, 0x80] {
                    let mut s = vec![b'x'; len];
                    s[at] = stop;
                    for from in 0..=at {
                        assert_eq!(quoted_end(&s, from), string_end(&s, from), "{s:?}");
                    }
                    if at + 1 < len {
                        s[at + 1] = b'\n';
                    }
                    for from in 0..=at {
                        assert_eq!(text_end(&s, from), text_end_by_octets(&s, from), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_digit_count_reads_at_every_stop() {
        for len in 0..=21 {
            for stop in [&b" "[..], b"/", b":", b")", b"\x80", b"\xb5", b""] {
                for pad in [0, 1, 9, 17] {
                    let mut s: Vec<u8> = (0..len).map(|i| b"9876543210"[i % 10]).collect();
                    s.extend_from_slice(stop);
                    if !stop.is_empty() {
                        s.resize(s.len() + pad, b'7');
                    }
                    assert_eq!(leading_number64(&s), number_by_octets(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn numbers_are_read_in_one_pass_and_bounded() {
        let read = |line: &[u8]| {
            let mut lex = Lex::new(line);
            (lex.number64(), lex.pos())
        };
        assert_eq!(read(b"0"), (Some(0), 1));
        assert_eq!(read(b"42 EXISTS"), (Some(42), 2));
        assert_eq!(read(b"9223372036854775807"), (Some(i64::MAX as u64), 19));
        assert_eq!(read(b"9223372036854775808").0, None);
        assert_eq!(read(b"9999999999999999999").0, None);
        assert_eq!(read(b"18446744073709551616").0, None, "2^64 does not wrap");
        assert_eq!(read(b"000000000000000000001").0, None, "at most 19 digits");
        assert_eq!(read(b"x"), (None, 0));
        assert_eq!(Lex::new(b"4294967296").number(), None);
        assert_eq!(Lex::new(b"4294967295").number(), Some(u32::MAX));
    }
}
