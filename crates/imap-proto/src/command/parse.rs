//! The command grammar over one framed message. Values (strings, flags,
//! sequence sets) are read by [`crate::parse::values`]; the writer of each
//! command body is in `encode.rs`.

use bytes::Bytes;

use super::search::{self, SearchReturn, SortCriterion, ThreadAlgorithm};
use super::{
    AppendMessage, AuthLine, Command, CommandBody, FetchItems, FetchModifier, ListPattern,
    ListReturn, ListSelect, MetadataOption, RawArgs, SaslInitial, SelectParam, Sequence,
    StatusAttr, StoreFlags,
};
use crate::codec::Frame;
use crate::error::DecodeError;
use crate::limits::Limits;
use crate::parse::{Cursor, PResult, Quirk, Strictness, values};
use crate::types::{AString, Atom, Secret, SequenceSet, Tag};

/// A command that could not be parsed: the tag when it was readable (so a
/// server can answer `tag BAD`), and where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct CommandError {
    /// The tag, when the line starts with a valid one.
    pub tag: Option<Tag>,
    /// What was wrong.
    pub error: DecodeError,
}

impl Command {
    /// Parses one complete framed message as a command.
    pub fn parse(
        frame: &Frame,
        limits: &Limits,
        strictness: Strictness,
    ) -> Result<Command, CommandError> {
        Self::parse_with_quirks(frame, limits, strictness).map(|(c, _)| c)
    }

    /// Like [`Command::parse`], and says which quirks were tolerated.
    ///
    /// 8-bit octets in a quoted string are [`Quirk::EightBitQuoted`]: RFC
    /// 3501 §9 `QUOTED-CHAR` is 7-bit. On a connection where UTF-8 is in
    /// force use [`Command::parse_with_quirks_utf8`].
    pub fn parse_with_quirks(
        frame: &Frame,
        limits: &Limits,
        strictness: Strictness,
    ) -> Result<(Command, Vec<Quirk>), CommandError> {
        Self::parse_with_quirks_utf8(frame, limits, strictness, false)
    }

    /// Like [`Command::parse_with_quirks`]; `utf8` says UTF-8 is in force
    /// (UTF8=ACCEPT enabled, RFC 6855 §3, or IMAP4rev2): quoted strings may
    /// then carry UTF-8, and only 8-bit octets that are not UTF-8 are
    /// [`Quirk::EightBitQuoted`].
    pub fn parse_with_quirks_utf8(
        frame: &Frame,
        limits: &Limits,
        strictness: Strictness,
        utf8: bool,
    ) -> Result<(Command, Vec<Quirk>), CommandError> {
        let mut c = Cursor::new(frame, limits, strictness);
        parse_command(&mut c, frame.offset(), utf8).map(|cmd| (cmd, c.quirks().to_vec()))
    }

    /// Parses a command from octets that form one whole message (line and
    /// literals), starting at stream offset `offset`.
    pub fn parse_bytes(
        bytes: &Bytes,
        offset: u64,
        limits: &Limits,
        strictness: Strictness,
    ) -> Result<Command, CommandError> {
        let mut c = Cursor::over(bytes, offset, limits, strictness);
        parse_command(&mut c, offset, false)
    }
}

/// Parses a command; `offset` is its stream offset, `utf8` whether UTF-8
/// is in force (see [`Command::parse_with_quirks_utf8`]).
fn parse_command(c: &mut Cursor<'_>, offset: u64, utf8: bool) -> Result<Command, CommandError> {
    let message = c.rest();
    let tag = c
        .tag()
        .ok()
        .and_then(|t| Tag::new(t).ok())
        .filter(|_| c.peek() == Some(b' '));
    let Some(tag) = tag else {
        return Err(CommandError {
            tag: None,
            error: c.error("a tag and a space").into(),
        });
    };
    let body = (|| {
        c.sp()?;
        let body = body(c)?;
        c.finish()?;
        if let Some(i) = c.eight_bit_quoted(utf8) {
            // Strictly refused, pointing at the octet.
            c.quirk(Quirk::EightBitQuoted, "").map_err(|_| {
                DecodeError::new(
                    offset + i as u64,
                    crate::error::DecodeErrorKind::Syntax,
                    "a 7-bit quoted string (UTF-8 only once UTF8=ACCEPT is enabled)",
                    &message[i..],
                )
            })?;
        }
        Ok(body)
    })();
    match body {
        Ok(body) => Ok(Command { tag, body }),
        Err(error) => Err(CommandError {
            tag: Some(tag),
            error,
        }),
    }
}

fn astring_list(c: &mut Cursor<'_>) -> PResult<Vec<AString>> {
    c.list(|c| c.astring())
}

fn select_params(c: &mut Cursor<'_>) -> PResult<Vec<SelectParam>> {
    if c.at_line_end() {
        return Ok(Vec::new());
    }
    c.sp()?;
    c.list(|c| {
        if c.eat_keyword(b"CONDSTORE") {
            return Ok(SelectParam::Condstore);
        }
        if !c.eat_keyword(b"QRESYNC") {
            // RFC 4466: tagged-label-fchar = ALPHA / "-" / "_" / "."; a name
            // starting with a digit would read back as the previous
            // parameter's value.
            if !c
                .peek()
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'_' | b'.'))
            {
                return Err(c.error("a parameter name (a letter, -, _ or . first)"));
            }
            let name = values::atom(c)?;
            let value = if c.peek() == Some(b' ') && c.peek2() == Some(b'(') {
                c.advance(1);
                Some(RawArgs::from_wire(super::fetch::raw_parens(c)?))
            } else if c.peek() == Some(b' ')
                && c.peek2().is_some_and(|b| b.is_ascii_digit() || b == b'*')
            {
                c.advance(1);
                Some(RawArgs::from_wire(c.take_while1(
                    |b| b.is_ascii_digit() || matches!(b, b':' | b',' | b'*'),
                    "a value",
                )?))
            } else {
                None
            };
            return Ok(SelectParam::Other { name, value });
        }
        c.sp()?;
        c.expect(b'(', "(")?;
        c.enter()?;
        let uid_validity = c.nz_number()?;
        c.sp()?;
        let mod_seq = c.number64()?;
        let mut known_uids = None;
        let mut seq_match = None;
        if c.eat(b' ') {
            if c.peek() != Some(b'(') {
                known_uids = Some(plain_set(c)?);
                c.eat(b' ');
            }
            if c.eat(b'(') {
                let a = plain_set(c)?;
                c.sp()?;
                let b = plain_set(c)?;
                c.expect(b')', ")")?;
                seq_match = Some((a, b));
            }
        }
        c.expect(b')', ")")?;
        c.leave();
        Ok(SelectParam::Qresync {
            uid_validity,
            mod_seq,
            known_uids,
            seq_match,
        })
    })
}

fn plain_set(c: &mut Cursor<'_>) -> PResult<SequenceSet> {
    match Sequence::parse(c)? {
        Sequence::Set(s) => Ok(s),
        Sequence::Saved => Err(c.error("a sequence set, not $")),
    }
}

fn optional_returns<T>(
    c: &mut Cursor<'_>,
    item: impl FnMut(&mut Cursor<'_>) -> PResult<T>,
) -> PResult<Option<Vec<T>>> {
    if c.eat_keyword(b"RETURN") {
        c.sp()?;
        let r = c.list(item)?;
        c.sp()?;
        Ok(Some(r))
    } else {
        Ok(None)
    }
}

fn auth_data(c: &mut Cursor<'_>) -> PResult<Atom> {
    let b = c.take_while1(
        |b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='),
        "base64 data or =",
    )?;
    Atom::new(b).map_err(|_| c.error("base64"))
}

fn body(c: &mut Cursor<'_>) -> PResult<CommandBody> {
    use CommandBody as C;
    let name = c.atom()?;
    let up = crate::parse::upper(&name);
    let sp = |c: &mut Cursor<'_>| c.sp();
    Ok(match &up[..] {
        b"CAPABILITY" => C::Capability,
        b"NOOP" => C::Noop,
        b"LOGOUT" => C::Logout,
        b"STARTTLS" => C::StartTls,
        b"AUTHENTICATE" => {
            sp(c)?;
            let mechanism = values::atom(c)?;
            let initial = if c.at_line_end() {
                None
            } else {
                sp(c)?;
                if c.rest().starts_with(b"=") && matches!(c.peek2(), Some(b'\r' | b'\n' | b' ')) {
                    c.advance(1);
                    Some(SaslInitial::Empty)
                } else {
                    Some(SaslInitial::Data(Secret::new(auth_data(c)?)))
                }
            };
            C::Authenticate { mechanism, initial }
        }
        b"LOGIN" => {
            sp(c)?;
            let username = c.astring()?;
            sp(c)?;
            C::Login {
                username,
                password: Secret::new(c.astring()?),
            }
        }
        b"ENABLE" => {
            let mut caps = Vec::new();
            while !c.at_line_end() || caps.is_empty() {
                sp(c)?;
                caps.push(values::atom(c)?);
            }
            C::Enable(caps)
        }
        b"SELECT" | b"EXAMINE" => {
            sp(c)?;
            let mailbox = c.astring()?;
            let params = select_params(c)?;
            if up[0] == b'S' {
                C::Select { mailbox, params }
            } else {
                C::Examine { mailbox, params }
            }
        }
        b"CREATE" => {
            sp(c)?;
            let mailbox = c.astring()?;
            let special_use = if c.at_line_end() {
                None
            } else {
                sp(c)?;
                c.expect(b'(', "(")?;
                c.expect_keyword(b"USE", "USE")?;
                sp(c)?;
                let f = c.list(values::flag)?;
                c.expect(b')', ")")?;
                Some(f)
            };
            C::Create {
                mailbox,
                special_use,
            }
        }
        b"DELETE" => {
            sp(c)?;
            C::Delete(c.astring()?)
        }
        b"RENAME" => {
            sp(c)?;
            let from = c.astring()?;
            sp(c)?;
            C::Rename {
                from,
                to: c.astring()?,
            }
        }
        b"SUBSCRIBE" => {
            sp(c)?;
            C::Subscribe(c.astring()?)
        }
        b"UNSUBSCRIBE" => {
            sp(c)?;
            C::Unsubscribe(c.astring()?)
        }
        b"LIST" => {
            sp(c)?;
            let selection = if c.peek() == Some(b'(') {
                let s = c.list(ListSelect::parse)?;
                sp(c)?;
                Some(s)
            } else {
                None
            };
            let reference = c.astring()?;
            sp(c)?;
            let patterns = if c.peek() == Some(b'(') {
                let p = c.list(ListPattern::parse)?;
                if p.is_empty() {
                    return Err(c.error("at least one pattern"));
                }
                p
            } else {
                vec![ListPattern::parse(c)?]
            };
            let returns = if c.at_line_end() {
                None
            } else {
                sp(c)?;
                c.expect_keyword(b"RETURN", "RETURN")?;
                sp(c)?;
                Some(c.list(ListReturn::parse)?)
            };
            C::List {
                selection,
                reference,
                patterns,
                returns,
            }
        }
        b"LSUB" => {
            sp(c)?;
            let reference = c.astring()?;
            sp(c)?;
            C::Lsub {
                reference,
                pattern: ListPattern::parse(c)?,
            }
        }
        b"NAMESPACE" => C::Namespace,
        b"STATUS" => {
            sp(c)?;
            let mailbox = c.astring()?;
            sp(c)?;
            let items = c.list(StatusAttr::parse)?;
            if items.is_empty() {
                return Err(c.error("at least one status item"));
            }
            C::Status { mailbox, items }
        }
        b"APPEND" => {
            sp(c)?;
            let mailbox = c.astring()?;
            let mut messages = Vec::new();
            while !c.at_line_end() || messages.is_empty() {
                sp(c)?;
                messages.push(AppendMessage::parse(c)?);
            }
            C::Append { mailbox, messages }
        }
        b"IDLE" => C::Idle,
        b"CHECK" => C::Check,
        b"CLOSE" => C::Close,
        b"UNSELECT" => C::Unselect,
        b"EXPUNGE" => C::Expunge,
        b"UID" => {
            sp(c)?;
            let sub = c.atom()?.to_ascii_uppercase();
            if sub == b"EXPUNGE" {
                sp(c)?;
                C::UidExpunge(Sequence::parse(c)?)
            } else {
                uid_command(c, &sub, true)?
            }
        }
        b"SEARCH" | b"FETCH" | b"STORE" | b"COPY" | b"MOVE" | b"SORT" | b"THREAD" => {
            uid_command(c, &up, false)?
        }
        b"GETQUOTA" => {
            sp(c)?;
            C::GetQuota(c.astring()?)
        }
        b"GETQUOTAROOT" => {
            sp(c)?;
            C::GetQuotaRoot(c.astring()?)
        }
        b"SETQUOTA" => {
            sp(c)?;
            let root = c.astring()?;
            sp(c)?;
            let limits = c.list(|c| {
                let name = values::atom(c)?;
                c.sp()?;
                Ok((name, c.number64()?))
            })?;
            C::SetQuota { root, limits }
        }
        b"GETMETADATA" => {
            sp(c)?;
            let mut options = metadata_options(c)?;
            if !options.is_empty() {
                sp(c)?;
            }
            let mailbox = c.astring()?;
            sp(c)?;
            // RFC 5464's examples put the options after the mailbox (the
            // ABNF before it); servers accept both.
            if options.is_empty() && is_metadata_options(c.rest()) {
                options = metadata_options(c)?;
                sp(c)?;
            }
            let entries = if c.peek() == Some(b'(') {
                astring_list(c)?
            } else {
                vec![c.astring()?]
            };
            if entries.is_empty() {
                return Err(c.error("at least one entry"));
            }
            C::GetMetadata {
                options,
                mailbox,
                entries,
            }
        }
        b"SETMETADATA" => {
            sp(c)?;
            let mailbox = c.astring()?;
            sp(c)?;
            let entries = c.list(|c| {
                let name = c.astring()?;
                c.sp()?;
                Ok((name, c.nstring()?))
            })?;
            if entries.is_empty() {
                return Err(c.error("at least one entry"));
            }
            C::SetMetadata { mailbox, entries }
        }
        b"ID" => {
            sp(c)?;
            if c.eat_keyword(b"NIL") {
                C::Id(None)
            } else {
                C::Id(Some(c.list(|c| {
                    let k = c.string()?;
                    c.sp()?;
                    Ok((k, c.nstring()?))
                })?))
            }
        }
        b"COMPRESS" => {
            sp(c)?;
            C::Compress(values::atom(c)?)
        }
        _ => {
            let name = Atom::new(name).map_err(|_| c.error("a command name"))?;
            let args = if c.at_line_end() {
                None
            } else {
                c.sp()?;
                let args = raw_rest(c)?;
                Some(RawArgs::from_wire(args))
            };
            C::Other { name, args }
        }
    })
}

fn is_metadata_options(rest: &[u8]) -> bool {
    let up = |w: &[u8]| {
        rest.len() > w.len() + 1 && rest[1..=w.len()].eq_ignore_ascii_case(w) && rest[0] == b'('
    };
    up(b"MAXSIZE ") || up(b"DEPTH ")
}

fn metadata_options(c: &mut Cursor<'_>) -> PResult<Vec<MetadataOption>> {
    if !is_metadata_options(c.rest()) {
        return Ok(Vec::new());
    }
    c.list(|c| {
        if c.eat_keyword(b"MAXSIZE") {
            c.sp()?;
            Ok(MetadataOption::MaxSize(c.number()?))
        } else {
            c.expect_keyword(b"DEPTH", "MAXSIZE or DEPTH")?;
            c.sp()?;
            if c.eat_keyword(b"INFINITY") {
                Ok(MetadataOption::Depth(None))
            } else if c.eat(b'0') {
                Ok(MetadataOption::Depth(Some(0)))
            } else {
                c.expect(b'1', "0, 1 or infinity")?;
                Ok(MetadataOption::Depth(Some(1)))
            }
        }
    })
}

fn uid_command(c: &mut Cursor<'_>, name: &[u8], uid: bool) -> PResult<CommandBody> {
    use CommandBody as C;
    c.sp()?;
    Ok(match name {
        b"SEARCH" => {
            let returns = optional_returns(c, SearchReturn::parse)?;
            let charset = if c.eat_keyword(b"CHARSET") {
                c.sp()?;
                let cs = c.astring()?;
                c.sp()?;
                Some(cs)
            } else {
                None
            };
            C::Search {
                uid,
                returns,
                charset,
                criteria: search::keys(c)?,
            }
        }
        b"FETCH" => {
            let set = Sequence::parse(c)?;
            c.sp()?;
            let items = FetchItems::parse(c)?;
            let modifiers = if c.at_line_end() {
                Vec::new()
            } else {
                c.sp()?;
                c.list(FetchModifier::parse)?
            };
            C::Fetch {
                uid,
                set,
                items,
                modifiers,
            }
        }
        b"STORE" => {
            let set = Sequence::parse(c)?;
            c.sp()?;
            let unchanged_since = if c.peek() == Some(b'(') {
                c.expect(b'(', "(")?;
                c.expect_keyword(b"UNCHANGEDSINCE", "UNCHANGEDSINCE")?;
                c.sp()?;
                let n = c.number64()?;
                c.expect(b')', ")")?;
                c.sp()?;
                Some(n)
            } else {
                None
            };
            C::Store {
                uid,
                set,
                unchanged_since,
                flags: StoreFlags::parse(c)?,
            }
        }
        b"COPY" | b"MOVE" => {
            let set = Sequence::parse(c)?;
            c.sp()?;
            let mailbox = c.astring()?;
            if name == b"COPY" {
                C::Copy { uid, set, mailbox }
            } else {
                C::Move { uid, set, mailbox }
            }
        }
        b"SORT" => {
            let returns = optional_returns(c, SearchReturn::parse)?;
            let criteria = c.list(SortCriterion::parse)?;
            if criteria.is_empty() {
                return Err(c.error("at least one sort criterion"));
            }
            c.sp()?;
            let charset = c.astring()?;
            c.sp()?;
            C::Sort {
                uid,
                returns,
                criteria,
                charset,
                search: search::keys(c)?,
            }
        }
        b"THREAD" => {
            let algorithm = ThreadAlgorithm::parse(c)?;
            c.sp()?;
            let charset = c.astring()?;
            c.sp()?;
            C::Thread {
                uid,
                algorithm,
                charset,
                search: search::keys(c)?,
            }
        }
        _ => return Err(c.error("a command that takes UID")),
    })
}

/// Parses an AUTHENTICATE data line: base64 (possibly empty) or `*`.
pub fn parse_auth_line(
    frame: &Frame,
    limits: &Limits,
    strictness: Strictness,
) -> Result<AuthLine, DecodeError> {
    let mut c = Cursor::new(frame, limits, strictness);
    if c.eat(b'*') {
        c.finish()?;
        return Ok(AuthLine::Cancel);
    }
    let data = if c.at_line_end() {
        Bytes::new()
    } else {
        c.take_while1(super::is_base64_char, "base64 data or *")?
    };
    c.finish()?;
    Ok(AuthLine::Data(super::SaslData::from_wire(data)))
}

/// Parses IDLE's `DONE` line.
pub(crate) fn parse_done(
    frame: &Frame,
    limits: &Limits,
    strictness: Strictness,
) -> Result<(), DecodeError> {
    let mut c = Cursor::new(frame, limits, strictness);
    c.expect_keyword(b"DONE", "DONE")?;
    Ok(c.finish()?)
}

/// The rest of an unknown command, up to its line ending: literals inside
/// are skipped whole (a CR that ends a literal's data is data, not half of
/// the line ending).
fn raw_rest(c: &mut Cursor<'_>) -> PResult<Bytes> {
    let rest = c.rest();
    let mut i = 0;
    let mut end = rest.len();
    while i < rest.len() {
        if let Some((header, len)) = literal_header_at(&rest[i..]) {
            i += header + len;
            continue;
        }
        match rest[i] {
            b'\r' if i + 2 == rest.len() && rest[i + 1] == b'\n' => {
                end = i;
                break;
            }
            b'\n' if i + 1 == rest.len() => {
                end = i;
                break;
            }
            _ => i += 1,
        }
    }
    let end = end.min(rest.len());
    if end == 0 {
        return Err(c.error("arguments"));
    }
    let n = std::cell::Cell::new(0usize);
    c.take_while1(
        |_| {
            n.set(n.get() + 1);
            n.get() <= end
        },
        "arguments",
    )
}

/// A literal header (`{n}`, `{n+}`, `{n-}`, `~{n}`, CRLF or LF) at the start
/// of `data`: its length and the literal's length, when the data is there.
fn literal_header_at(data: &[u8]) -> Option<(usize, usize)> {
    let mut i = usize::from(data.first() == Some(&b'~'));
    if data.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let digits = data[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 19 {
        return None;
    }
    let len: usize = std::str::from_utf8(&data[i..i + digits])
        .ok()?
        .parse()
        .ok()?;
    i += digits;
    if matches!(data.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    if data.get(i) != Some(&b'}') {
        return None;
    }
    i += 1;
    if data.get(i) == Some(&b'\r') {
        i += 1;
    }
    if data.get(i) != Some(&b'\n') {
        return None;
    }
    i += 1;
    (data.len() - i >= len).then_some((i, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Command, CommandError> {
        let b = Bytes::copy_from_slice(s.as_bytes());
        Command::parse_bytes(&b, 0, &Limits::default(), Strictness::Strict)
    }

    #[test]
    fn commands_table() {
        // (input, canonical encoding)
        let ok: &[(&str, &str)] = &[
            ("a noop\r\n", "a NOOP\r\n"),
            ("a uid expunge 1:*\r\n", "a UID EXPUNGE 1:*\r\n"),
            ("a select \"INBOX\"\r\n", "a SELECT INBOX\r\n"),
            (
                "a create x (use (\\junk))\r\n",
                "a CREATE x (USE (\\junk))\r\n",
            ),
            ("a login \"a b\" c\r\n", "a LOGIN \"a b\" c\r\n"),
            ("a enable utf8=accept\r\n", "a ENABLE utf8=accept\r\n"),
            ("a x-foo bar (baz)\r\n", "a x-foo bar (baz)\r\n"),
            ("a copy $ Trash\r\n", "a COPY $ Trash\r\n"),
            ("a id (\"k\" NIL)\r\n", "a ID (\"k\" NIL)\r\n"),
            (
                "a setquota \"\" (storage 1)\r\n",
                "a SETQUOTA \"\" (storage 1)\r\n",
            ),
            (
                "a getmetadata (depth infinity) \"\" /a\r\n",
                "a GETMETADATA (DEPTH infinity) \"\" /a\r\n",
            ),
        ];
        for (input, canonical) in ok {
            let c = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            let out = super::super::encode::to_bytes(&super::super::encode(&c, Default::default()));
            assert_eq!(String::from_utf8_lossy(&out), *canonical);
            assert_eq!(parse(canonical).unwrap(), c);
        }
        let bad: &[(&str, Option<&str>, u64)] = &[
            ("\r\n", None, 0),
            ("a\r\n", None, 1),
            ("a \r\n", Some("a"), 2),
            ("a noop x\r\n", Some("a"), 6),
            ("a select\r\n", Some("a"), 8),
            ("a fetch 0 flags\r\n", Some("a"), 9),
            ("a store 1 flags (\\seen\r\n", Some("a"), 22),
            ("a+ noop\r\n", None, 1),
            ("a login a b\0\r\n", Some("a"), 11),
            ("a search\r\n", Some("a"), 8),
            ("a status x ()\r\n", Some("a"), 13),
        ];
        for (input, tag, offset) in bad {
            let e = parse(input).unwrap_err();
            assert_eq!(e.tag.as_ref().map(Tag::as_str), *tag, "{input:?}");
            assert_eq!(e.error.offset, *offset, "{input:?}: {e}");
        }
    }

    #[test]
    fn auth_lines() {
        let f = |s: &str| {
            let b = Bytes::copy_from_slice(s.as_bytes());
            let l = Limits::default();
            let mut c = Cursor::over(&b, 0, &l, Strictness::Strict);
            if c.eat(b'*') {
                c.finish().map(|()| AuthLine::Cancel)
            } else {
                let d = if c.at_line_end() {
                    Bytes::new()
                } else {
                    c.take_while1(super::super::is_base64_char, "base64")?
                };
                c.finish()?;
                Ok(AuthLine::Data(super::super::SaslData::from_wire(d)))
            }
        };
        assert_eq!(f("*\r\n").unwrap(), AuthLine::Cancel);
        assert!(f("abc=\r\n").is_ok());
        assert!(f("\r\n").is_ok());
        assert!(f("ab c\r\n").is_err());
        assert!(super::super::SaslData::new("a\r\n").is_err());
    }
}
