//! The value readers both grammars share, on top of [`Cursor`]: strings
//! (quoted, literal, literal8 where a string may be one), `astring`,
//! `nstring`, flags, sequence sets, atoms, and the separators of
//! space-separated sequences. The command parser (`command/`), the
//! response parser (`response/`) and the types that parse themselves
//! (sections, dates) read values only through these, so each value has one
//! reader.
//!
//! Where the two directions differ, the difference is a documented
//! argument, not a second copy: 8-bit octets in a quoted string are judged
//! per string in responses and once per command ([`EightBit`]); a flag a
//! server sends may be dropped or kept raw, a flag a client sends may not
//! ([`received_flag`] and [`flag`]).

use bytes::Bytes;

use super::{Cursor, PResult, Quirk};
use crate::types::{AString, Atom, Flag, IString, NString, SequenceSet, is_astring_char};

/// How a string reader judges 8-bit octets in a quoted string (RFC 3501 §9
/// `QUOTED-CHAR` is 7-bit; RFC 6855 §3 and RFC 9051 allow UTF-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EightBit {
    /// Octets that are not UTF-8 are [`Quirk::EightBitQuoted`] at the
    /// string (responses: a server's raw charset).
    Check,
    /// Only noted by the cursor ([`Cursor::eight_bit_quoted`]): the command
    /// parser judges them once the command is read, when it knows whether
    /// UTF-8 is in force, and points at the first such octet.
    Defer,
}

/// Takes the next `n` octets as a slice of the frame.
pub(crate) fn take_n(c: &mut Cursor<'_>, n: usize, expected: &'static str) -> PResult<Bytes> {
    let count = std::cell::Cell::new(0usize);
    c.take_while1(
        |_| {
            let k = count.get();
            count.set(k + 1);
            k < n
        },
        expected,
    )
}

/// Checks quoted or text octets: 8-bit octets that are not UTF-8 are a quirk.
pub(crate) fn check_8bit(c: &mut Cursor<'_>, data: &[u8], quirk: Quirk) -> PResult<()> {
    if !data.is_ascii() && std::str::from_utf8(data).is_err() {
        c.quirk(quirk, "ASCII or UTF-8")?;
    }
    Ok(())
}

/// `string`: a quoted string or a literal (a literal8 without NUL is a
/// quirk, [`Quirk::Literal8AsString`](crate::Quirk::Literal8AsString)); 8-bit octets judged by `eight_bit`.
#[inline]
fn read_string(c: &mut Cursor<'_>, eight_bit: EightBit) -> PResult<IString> {
    let data = if c.at_literal() {
        c.string_literal()?
    } else {
        let (d, has_8bit) = c.quoted_8bit()?;
        if has_8bit && eight_bit == EightBit::Check {
            check_8bit(c, &d, Quirk::EightBitQuoted)?;
        }
        d
    };
    // Both forms refuse NUL.
    Ok(IString::from_checked(data))
}

// The response faces below (`string`, `nstring`, `astring`,
// `string_or_nil`) are functions of their own, not inlined into their
// callers: `string` is called from many places in the body structure and
// envelope readers, and one copy of the quoted-string loop keeps the
// FETCH hot path in the instruction cache. The `_with` forms are inlined
// into them and into the `Cursor` methods (the `EightBit::Defer` faces).

/// `string` in a response ([`EightBit::Check`]).
pub(crate) fn string(c: &mut Cursor<'_>) -> PResult<IString> {
    read_string(c, EightBit::Check)
}

/// `string` with 8-bit octets judged by `eight_bit`.
#[inline]
pub(crate) fn string_with(c: &mut Cursor<'_>, eight_bit: EightBit) -> PResult<IString> {
    match eight_bit {
        EightBit::Check => string(c),
        EightBit::Defer => read_string(c, EightBit::Defer),
    }
}

/// `string`, where some servers send `NIL` (a quirk,
/// [`Quirk::NilAsString`]; reads as empty).
#[inline]
pub(crate) fn string_or_nil_with(c: &mut Cursor<'_>, eight_bit: EightBit) -> PResult<IString> {
    if c.eat_keyword(b"NIL") {
        c.quirk(Quirk::NilAsString, "a string, not NIL")?;
        return Ok(IString::default());
    }
    string_with(c, eight_bit)
}

/// [`string_or_nil_with`] in a response.
pub(crate) fn string_or_nil(c: &mut Cursor<'_>) -> PResult<IString> {
    string_or_nil_with(c, EightBit::Check)
}

/// `nstring`: `NIL` or a string.
#[inline]
pub(crate) fn nstring_with(c: &mut Cursor<'_>, eight_bit: EightBit) -> PResult<NString> {
    if c.eat_keyword(b"NIL") {
        return Ok(NString(None));
    }
    Ok(NString(Some(string_with(c, eight_bit)?)))
}

/// `nstring` in a response.
pub(crate) fn nstring(c: &mut Cursor<'_>) -> PResult<NString> {
    nstring_with(c, EightBit::Check)
}

/// `astring`: an atom (with `]` allowed, `ASTRING-CHAR`) or a string.
#[inline]
pub(crate) fn astring_with(c: &mut Cursor<'_>, eight_bit: EightBit) -> PResult<AString> {
    if c.peek() == Some(b'"') || c.at_literal() {
        return Ok(AString(string_with(c, eight_bit)?));
    }
    let atom = c.take_while1(is_astring_char, "an astring")?;
    Ok(AString(IString::from_checked(atom)))
}

/// `astring` in a response.
pub(crate) fn astring(c: &mut Cursor<'_>) -> PResult<AString> {
    astring_with(c, EightBit::Check)
}

/// A literal8 or an nstring, as bytes (`None` for NIL).
pub(crate) fn nstring_or_literal8(c: &mut Cursor<'_>) -> PResult<Option<Bytes>> {
    if c.peek() == Some(b'~') {
        return Ok(Some(c.literal()?.0));
    }
    Ok(nstring(c)?.0.map(|s| s.to_bytes()))
}

/// An atom as a value.
pub(crate) fn atom(c: &mut Cursor<'_>) -> PResult<Atom> {
    let a = c.atom()?;
    Atom::new(a).map_err(|_| c.error("an atom"))
}

/// After an item of a space-separated sequence: whether another follows
/// (a single space, then not the end). Trailing spaces are a quirk.
pub(crate) fn more(c: &mut Cursor<'_>) -> PResult<bool> {
    c.trailing_space()?;
    if c.peek() == Some(b' ') {
        c.sp()?;
        return Ok(true);
    }
    Ok(false)
}

/// A flag a client sends (STORE, APPEND, SEARCH KEYWORD, CREATE USE):
/// `\Name`, `\*` or a keyword. A keyword with `]` (not an atom, but what
/// some servers send and a client may echo back) is a quirk,
/// [`Quirk::BracketInKeyword`]; anything else that is no flag is an
/// error. Compare [`received_flag`].
pub(crate) fn flag(c: &mut Cursor<'_>) -> PResult<Flag> {
    let rest = c.rest();
    let start = c.pos();
    if c.eat(b'\\') {
        if !c.eat(b'*') {
            c.atom()?;
        }
        return Flag::parse(&rest[..c.pos() - start]).map_err(|_| c.error("a flag"));
    }
    c.take_while1(is_astring_char, "a flag")?;
    let flag = Flag::parse_received(&rest[..c.pos() - start]).map_err(|_| c.error("a flag"))?;
    if matches!(&flag, Flag::Keyword(k) if !k.is_atom()) {
        c.quirk(crate::Quirk::BracketInKeyword, "a keyword without ]")?;
    }
    Ok(flag)
}

/// A flag a server sends, as found in a FLAGS, FETCH FLAGS or PERMANENTFLAGS list; `None`
/// for an invalid keyword dropped as a quirk. A keyword with `]` is kept (a
/// quirk): the token ends at SP, `(`, `)` or `"`, so inside
/// `[PERMANENTFLAGS (...)]` the list's `)` still ends it.
pub(crate) fn received_flag(c: &mut Cursor<'_>, wildcard_ok: bool) -> PResult<Option<Flag>> {
    let backslash = c.peek() == Some(b'\\');
    let tok = if c.peek() == Some(b'"') {
        // `"\\Deleted"` (InterMail): a flag is an atom, never a string.
        let quoted = c.quoted()?;
        c.quirk(Quirk::QuotedFlag, "a flag, not a quoted string")?;
        quoted
    } else if backslash && c.peek2() == Some(b'*') {
        take_n(c, 2, "\\*")?
    } else {
        let n = usize::from(backslash)
            + c.rest()[usize::from(backslash)..]
                .iter()
                .take_while(|&&b| b > 0x20 && b < 0x7f && !matches!(b, b'(' | b')' | b'"'))
                .count();
        take_n(c, n, "a flag")?
    };
    match Flag::parse_received(&tok) {
        Ok(Flag::Keyword(k)) if !k.is_atom() => {
            c.quirk(Quirk::BracketInKeyword, "a keyword without ]")?;
            Ok(Some(Flag::Keyword(k)))
        }
        Ok(Flag::Wildcard) if !wildcard_ok => {
            c.quirk(Quirk::WildcardInFlags, "a flag other than \\*")?;
            Ok(Some(Flag::Wildcard))
        }
        Ok(f) => Ok(Some(f)),
        Err(_) => {
            c.quirk(Quirk::InvalidKeyword, "a flag")?;
            Ok(None)
        }
    }
}

/// `"(" [flag *(SP flag)] ")"`.
pub(crate) fn flag_list(c: &mut Cursor<'_>, wildcard_ok: bool) -> PResult<Vec<Flag>> {
    Ok(c.list(|c| received_flag(c, wildcard_ok))?
        .into_iter()
        .flatten()
        .collect())
}

/// Where an invalid sequence set is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetError {
    /// At its first octet, as "a sequence set" (responses).
    AtStart,
    /// After it, as "a valid sequence set" (commands).
    AtEnd,
}

/// `sequence-set`, read as one token of digits, `:`, `,` and `*` and then
/// checked (at most [`crate::Limits::max_items`] ranges).
pub(crate) fn sequence_set(c: &mut Cursor<'_>, report: SetError) -> PResult<SequenceSet> {
    let start_err = (report == SetError::AtStart).then(|| c.error("a sequence set"));
    let tok = c.take_while1(
        |b| b.is_ascii_digit() || matches!(b, b':' | b',' | b'*'),
        "a sequence set",
    )?;
    SequenceSet::parse(&tok, c.limits().max_items)
        .map_err(|_| start_err.unwrap_or_else(|| c.error("a valid sequence set")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::parse::Strictness;

    /// Runs `f` over `input` with a fresh cursor; the result, the quirks
    /// and where the first 8-bit quoted octet is.
    fn run<T>(
        input: &'static [u8],
        strictness: Strictness,
        f: impl FnOnce(&mut Cursor<'_>) -> PResult<T>,
    ) -> (PResult<T>, Vec<Quirk>, Option<usize>) {
        let bytes = Bytes::from_static(input);
        let limits = Limits::default();
        let mut c = Cursor::over(&bytes, 0, &limits, strictness);
        let r = f(&mut c);
        (r, c.quirks().to_vec(), c.eight_bit_quoted(false))
    }

    #[test]
    fn eight_bit_octets_are_judged_per_string_or_deferred() {
        // Latin-1 `é`: 8-bit and not UTF-8.
        let input = b"\"caf\xe9\" ";
        let (r, quirks, at) = run(input, Strictness::Lenient, |c| {
            string_with(c, EightBit::Check)
        });
        assert_eq!(r.unwrap().as_bytes(), b"caf\xe9");
        assert_eq!((quirks, at), (vec![Quirk::EightBitQuoted], Some(4)));

        let (r, _, _) = run(input, Strictness::Strict, |c| {
            string_with(c, EightBit::Check)
        });
        assert!(r.is_err());

        // Deferred: nothing judged yet, the position noted for the caller.
        for strictness in [Strictness::Lenient, Strictness::Strict] {
            let (r, quirks, at) = run(input, strictness, |c| astring_with(c, EightBit::Defer));
            assert_eq!(r.unwrap().as_bytes(), b"caf\xe9");
            assert_eq!((quirks, at), (vec![], Some(4)));
        }

        // UTF-8 is no quirk in a response string.
        let (r, quirks, _) = run("\"café\" ".as_bytes(), Strictness::Strict, string);
        assert_eq!(r.unwrap().as_bytes(), "café".as_bytes());
        assert!(quirks.is_empty());
    }

    #[test]
    fn the_faces_read_the_same_values() {
        let cases: &[(&'static [u8], Option<&[u8]>)] = &[
            (b"NIL ", None),
            (b"\"a b\" ", Some(b"a b")),
            (b"{3}\r\nx y ", Some(b"x y")),
            (b"\"\" ", Some(b"")),
        ];
        for &(input, want) in cases {
            for rule in [EightBit::Check, EightBit::Defer] {
                let (r, _, _) = run(input, Strictness::Strict, |c| nstring_with(c, rule));
                assert_eq!(r.unwrap().as_bytes(), want, "{input:?}");
            }
        }
        let (r, _, _) = run(b"INBOX.a] ", Strictness::Strict, astring);
        assert_eq!(r.unwrap().as_bytes(), b"INBOX.a]");
        let (r, quirks, _) = run(b"NIL ", Strictness::Lenient, string_or_nil);
        assert_eq!(
            (r.unwrap().as_bytes(), quirks),
            (&b""[..], vec![Quirk::NilAsString])
        );
        let (r, _, _) = run(b"NIL ", Strictness::Strict, string_or_nil);
        assert!(r.is_err());
    }

    #[test]
    fn a_bad_sequence_set_is_reported_where_each_grammar_wants() {
        let (r, _, _) = run(b"5:0,,1 ", Strictness::Strict, |c| {
            sequence_set(c, SetError::AtStart)
        });
        assert_eq!(r.unwrap_err().get().offset, 0);
        let (r, _, _) = run(b"5:0,,1 ", Strictness::Strict, |c| {
            sequence_set(c, SetError::AtEnd)
        });
        assert_eq!(r.unwrap_err().get().offset, 6);
        let (r, _, _) = run(b"1:3,7:* ", Strictness::Strict, |c| {
            sequence_set(c, SetError::AtEnd)
        });
        assert_eq!(r.unwrap().to_string(), "1:3,7:*");
    }

    #[test]
    fn client_and_server_flags_differ_where_the_grammars_do() {
        // A server's `"\\Seen"`: a quirk, read as the flag.
        let (r, quirks, _) = run(b"\"\\\\Seen\" ", Strictness::Lenient, |c| {
            received_flag(c, false)
        });
        assert_eq!(r.unwrap(), Some(Flag::Seen));
        assert_eq!(quirks, [Quirk::QuotedFlag]);
        // A client's is an error.
        let (r, _, _) = run(b"\"\\\\Seen\" ", Strictness::Lenient, flag);
        assert!(r.is_err());
        // `\*` outside PERMANENTFLAGS is a quirk for a server only.
        let (r, quirks, _) = run(b"\\* ", Strictness::Lenient, |c| received_flag(c, false));
        assert_eq!(
            (r.unwrap(), quirks),
            (Some(Flag::Wildcard), vec![Quirk::WildcardInFlags])
        );
        let (r, quirks, _) = run(b"\\* ", Strictness::Strict, flag);
        assert_eq!((r.unwrap(), quirks), (Flag::Wildcard, vec![]));
    }
}
