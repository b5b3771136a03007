//! SEARCH and SORT numbers (RFC 3501, RFC 5256, RFC 7162), ESEARCH (RFC
//! 4731, RFC 9051) and THREAD (RFC 5256).

use super::Value;
use crate::encode::{Writer, write_num};
use crate::parse::values::{SetError, astring, more, sequence_set};
use crate::parse::{Cursor, PResult};
use crate::types::{Atom, IString, SequenceSet};

/// Reads `*(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]`.
pub(crate) fn numbers(c: &mut Cursor<'_>) -> PResult<(Vec<u32>, Option<u64>)> {
    let mut ids = Vec::new();
    let mut modseq = None;
    while more(c)? {
        if c.peek() == Some(b'(') {
            c.advance(1);
            c.expect_keyword(b"MODSEQ", "MODSEQ")?;
            c.sp()?;
            modseq = Some(c.number64()?);
            c.expect(b')', ") after the mod-sequence")?;
            break;
        }
        if ids.len() >= c.limits().max_items {
            return Err(c.error("fewer numbers"));
        }
        ids.push(c.nz_number()?);
    }
    Ok((ids, modseq))
}

pub(crate) fn write_numbers(out: &mut Writer<'_>, ids: &[u32], modseq: Option<u64>) {
    for n in ids {
        out.push(b' ');
        write_num(out, n);
    }
    if let Some(m) = modseq {
        out.extend_from_slice(b" (MODSEQ ");
        write_num(out, m);
        out.push(b')');
    }
}

/// A thread (RFC 5256 `thread-list`): messages in a chain, then the
/// threads branching off its last message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Thread {
    /// Messages, each the parent of the next (may be empty when the root is
    /// missing and only branches remain).
    pub members: Vec<u32>,
    /// Sub-threads under the last member.
    pub children: Vec<Thread>,
}

impl Thread {
    fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        c.expect(b'(', "( starting a thread")?;
        c.enter()?;
        let mut t = Thread::default();
        if c.peek() != Some(b'(') {
            t.members.push(c.nz_number()?);
            while c.peek() == Some(b' ') {
                c.sp()?;
                if c.peek() == Some(b'(') {
                    break;
                }
                if t.members.len() >= c.limits().max_items {
                    return Err(c.error("fewer thread members"));
                }
                t.members.push(c.nz_number()?);
            }
        }
        while c.peek() == Some(b'(') || spaced_thread(c)? {
            if t.children.len() >= c.limits().max_items {
                return Err(c.error("fewer threads"));
            }
            t.children.push(Thread::parse(c)?);
        }
        c.expect(b')', ") closing a thread")?;
        c.leave();
        Ok(t)
    }

    /// Writes the thread.
    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        out.push(b'(');
        for (i, m) in self.members.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            write_num(out, m);
        }
        if !self.members.is_empty() && !self.children.is_empty() {
            out.push(b' ');
        }
        for ch in &self.children {
            ch.write(out);
        }
        out.push(b')');
    }
}

/// Spaces before a further thread list (a quirk): skips them.
fn spaced_thread(c: &mut Cursor<'_>) -> PResult<bool> {
    let rest = c.rest();
    let n = rest.iter().take_while(|&&b| b == b' ').count();
    if n == 0 || rest.get(n) != Some(&b'(') {
        return Ok(false);
    }
    c.quirk(crate::Quirk::ExtraSpace, "thread lists without spaces")?;
    c.advance(n);
    Ok(true)
}

/// Reads `[SP 1*thread-list]`.
pub(crate) fn threads(c: &mut Cursor<'_>) -> PResult<Vec<Thread>> {
    let mut list = Vec::new();
    if more(c)? {
        while c.peek() == Some(b'(') || spaced_thread(c)? {
            if list.len() >= c.limits().max_items {
                return Err(c.error("fewer threads"));
            }
            list.push(Thread::parse(c)?);
        }
    }
    Ok(list)
}

/// An ESEARCH response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ESearch {
    /// `(TAG "...")`: the tag of the command answered.
    pub tag: Option<IString>,
    /// `UID`: the numbers are UIDs.
    pub uid: bool,
    /// The return data.
    pub items: Vec<ESearchItem>,
}

/// ESEARCH return data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ESearchItem {
    /// `MIN n`.
    Min(u32),
    /// `MAX n`.
    Max(u32),
    /// `ALL set`.
    All(SequenceSet),
    /// `COUNT n`.
    Count(u32),
    /// `MODSEQ n` (RFC 7162).
    ModSeq(u64),
    /// Other return data.
    Other {
        /// The name.
        name: Atom,
        /// The value.
        value: Value,
    },
}

impl ESearch {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let mut e = ESearch::default();
        let mut first = true;
        while more(c)? {
            if first && c.peek() == Some(b'(') {
                c.advance(1);
                c.expect_keyword(b"TAG", "TAG")?;
                c.sp()?;
                e.tag = Some(astring(c)?.0);
                c.expect(b')', ") closing the correlator")?;
                first = false;
                continue;
            }
            first = false;
            if e.items.is_empty() && !e.uid && c.eat_keyword(b"UID") {
                e.uid = true;
                continue;
            }
            if e.items.len() >= c.limits().max_items {
                return Err(c.error("fewer return data items"));
            }
            let name = c.atom()?;
            c.sp()?;
            let upper = crate::parse::upper(&name);
            e.items.push(match &upper[..] {
                b"MIN" => ESearchItem::Min(c.nz_number()?),
                b"MAX" => ESearchItem::Max(c.nz_number()?),
                b"ALL" => ESearchItem::All(sequence_set(c, SetError::AtStart)?),
                b"COUNT" => ESearchItem::Count(c.number()?),
                b"MODSEQ" => ESearchItem::ModSeq(c.number64()?),
                _ => ESearchItem::Other {
                    name: Atom::new(name).map_err(|_| c.error("a return data name"))?,
                    value: Value::parse(c)?,
                },
            });
        }
        Ok(e)
    }

    pub(crate) fn write(&self, out: &mut Writer<'_>) {
        if let Some(t) = &self.tag {
            out.extend_from_slice(b" (TAG ");
            out.string_bytes(t.as_bytes());
            out.push(b')');
        }
        if self.uid {
            out.extend_from_slice(b" UID");
        }
        for item in &self.items {
            out.push(b' ');
            let mut kv = |k: &[u8], v: &dyn std::fmt::Display| {
                out.extend_from_slice(k);
                out.push(b' ');
                write_num(out, v);
            };
            match item {
                ESearchItem::Min(n) => kv(b"MIN", n),
                ESearchItem::Max(n) => kv(b"MAX", n),
                ESearchItem::All(s) => kv(b"ALL", s),
                ESearchItem::Count(n) => kv(b"COUNT", n),
                ESearchItem::ModSeq(n) => kv(b"MODSEQ", n),
                ESearchItem::Other { name, value } => {
                    out.extend_from_slice(name.as_bytes());
                    out.push(b' ');
                    value.write_to(out);
                }
            }
        }
    }
}
